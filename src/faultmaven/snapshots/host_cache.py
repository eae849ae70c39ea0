"""Client hosts MySQL has blocked for connection errors (`performance_schema.host_cache`).

MySQL counts, per client address, connections that fail before the handshake completes
(a load balancer's bare TCP health check, a port scanner, a flaky network); at
`max_connect_errors` it blocks the address, and every client behind it (all the
applications a proxy fronts) is refused with "Host ... is blocked because of many
connection errors". The reader reports the host_cache rows whose errors reached the limit
(the `max_connect_errors` the same text shows, else MySQL's default of 100), named after
the host's first label.
"""

from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.psql_tables import PsqlTable, psql_tables

DEFAULT_MAX_CONNECT_ERRORS = 100


def blocked_host_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the host_cache rows whose connect errors reached max_connect_errors."""
    tables = list(psql_tables(lines))
    limit = _limit(tables) or DEFAULT_MAX_CONNECT_ERRORS
    found: list[SnapshotFinding] = []
    for table in tables:
        if "sum_connect_errors" not in table.columns:
            continue
        for number, fields in table.rows:
            row = dict(zip(table.columns, fields, strict=True))
            errors = row["sum_connect_errors"]
            if not errors.isdigit() or int(errors) < limit:
                continue
            host = row.get("host", "NULL")
            name = row.get("ip", "") if host in ("", "NULL") else host.split(".")[0]
            found.append(
                SnapshotFinding(
                    kind="host_blocked",
                    subject=name,
                    line_start=number,
                    line_end=number,
                    detail=f"{errors} connect errors from {row.get('ip', name)}, limit {limit}",
                )
            )
    return found


def _limit(tables: Sequence[PsqlTable]) -> int | None:
    """Return the max_connect_errors a `SHOW VARIABLES` table states, if one does."""
    for table in tables:
        for _, fields in table.rows:
            if len(fields) == 2 and fields[0] == "max_connect_errors" and fields[1].isdigit():
                return int(fields[1])
    return None
