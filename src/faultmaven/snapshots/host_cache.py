"""Client hosts MySQL has blocked for connection errors (`performance_schema.host_cache`).

MySQL counts, per client address, connections that fail before the handshake completes
(a load balancer's bare TCP health check, a port scanner, a flaky network); at
`max_connect_errors` it blocks the address, and every client behind it (all the
applications a proxy fronts) is refused with "Host ... is blocked because of many
connection errors". The reader reports the host_cache rows whose errors reached the limit
(the `max_connect_errors` the same text shows, else MySQL's default of 100), named after
the host's first label.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

DEFAULT_MAX_CONNECT_ERRORS = 100
_LIMIT = re.compile(r"^\|\s*max_connect_errors\s*\|\s*(?P<value>\d+)\s*\|")


def blocked_host_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the host_cache rows whose connect errors reached max_connect_errors."""
    limits = [int(shown.group("value")) for line in lines if (shown := _LIMIT.match(line))]
    limit = limits[0] if limits else DEFAULT_MAX_CONNECT_ERRORS
    found: list[SnapshotFinding] = []
    columns: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        cells = _cells(line)
        if cells is None:
            if not line.startswith("+"):
                columns = None
            continue
        if "SUM_CONNECT_ERRORS" in cells:
            columns = cells
            continue
        if columns is None or len(cells) != len(columns):
            continue
        row = dict(zip(columns, cells, strict=True))
        errors = row.get("SUM_CONNECT_ERRORS", "")
        if not errors.isdigit() or int(errors) < limit:
            continue
        host = row.get("HOST", "NULL")
        name = row.get("IP", "") if host in ("", "NULL") else host.split(".")[0]
        found.append(
            SnapshotFinding(
                kind="host_blocked",
                subject=name,
                line_start=number,
                line_end=number,
                detail=f"{errors} connect errors from {row.get('IP', name)}, limit {limit}",
            )
        )
    return found


def _cells(line: str) -> list[str] | None:
    """Return the cells of a `| a | b |` table row, else None."""
    stripped = line.strip()
    if not (stripped.startswith("|") and stripped.endswith("|")):
        return None
    return [cell.strip() for cell in stripped[1:-1].split("|")]
