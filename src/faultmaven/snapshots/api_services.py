"""Aggregated APIs (`kubectl get apiservice`): one registered but not available.

An APIService whose backing service is gone or failing (`False (ServiceNotFound)`,
`False (FailedDiscoveryCheck)`) breaks API discovery for the whole cluster: namespaces
stay Terminating (NamespaceDeletionDiscoveryFailure), autoscalers cannot read custom
metrics, and clients warn that they cannot retrieve the complete list of server APIs.
The finding names the service behind it, whose removal or failure is the cause.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

_HEADER = re.compile(r"^NAME\s+SERVICE\s+AVAILABLE\s+AGE\s*$")
_ROW = re.compile(
    r"^(?P<name>v\w+\.[\w.-]+)\s+(?:(?P<namespace>[\w-]+)/)?(?P<service>[\w.-]+)\s+"
    r"False\s*\((?P<reason>\w+)\)"
)


def api_service_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each APIService a `kubectl get apiservice` table shows unavailable."""
    found: list[SnapshotFinding] = []
    in_table = False
    for number, line in enumerate(lines, start=1):
        if _HEADER.match(line):
            in_table = True
            continue
        row = _ROW.match(line) if in_table else None
        if row is None:
            in_table = in_table and bool(line.strip())
            continue
        found.append(
            SnapshotFinding(
                kind="api_service_unavailable",
                subject=row.group("service"),
                line_start=number,
                line_end=number,
                detail=f"{row.group('name')} is registered but unavailable ({row.group('reason')})",
            )
        )
    return found
