"""A container whose root filesystem is read-only, read from its workload's YAML.

`readOnlyRootFilesystem: true` is sound hardening, until the program writes somewhere under
its root (a cache, a temporary or upload directory) with no writable volume mounted there:
every such write then fails with EROFS, "Read-only file system". The reader reports the
setting's line, named after the workload the command shows; the reasoner keeps it only
when writes fail so.
"""

import re
from collections.abc import Sequence

from faultmaven.domain.workloads import workload_name
from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.prompt import named_by_command

_READ_ONLY_ROOT = re.compile(r"^\s*(?:-\s+)?readOnlyRootFilesystem:\s*true\s*$")
# `kubectl get deploy labelgen -o yaml`, `kubectl get pod labelgen-5b9f7d6c84-h2vtn -o yaml`.
_WORKLOAD_COMMAND = re.compile(
    r"\bget\s+(?:deploy(?:ment)?s?|statefulsets?|sts|daemonsets?|ds|cronjobs?|cj|jobs?|pods?|po)"
    r"(?:\.[\w.]+)?(?:/|\s+)(?P<name>[a-z0-9][\w.-]*)"
)
_METADATA_NAME = re.compile(r"^ {2}name:\s*(?P<name>[a-z0-9][\w.-]*)\s*$")


def read_only_root_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return each container spec making its root filesystem read-only."""
    found: list[SnapshotFinding] = []
    for number, line in enumerate(lines, start=1):
        if not _READ_ONLY_ROOT.match(line):
            continue
        name = named_by_command(lines, number, _WORKLOAD_COMMAND, this_output=True)
        name = name or _metadata_name(lines, number)
        if name is None:
            continue
        workload = workload_name(name)
        found.append(
            SnapshotFinding(
                kind="read_only_root",
                subject=workload,
                line_start=number,
                line_end=number,
                detail=f"{workload}'s container root filesystem is read-only",
            )
        )
    return found


def _metadata_name(lines: Sequence[str], number: int) -> str | None:
    """Return the object's metadata name above the line, within its own output."""
    for line in reversed(lines[: number - 1]):
        named = _METADATA_NAME.match(line)
        if named is not None:
            return named.group("name")
        if line.startswith("$ ") or line.startswith("apiVersion:"):
            return None
    return None
