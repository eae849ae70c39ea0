"""`pg_stat_activity` rows: a session idle in a transaction opened long before the others.

A transaction left open (a psql session someone forgot, a client that stopped between
statements) holds back the xmin horizon for as long as it stays open: vacuum can neither
remove dead rows nor freeze old ones, until the database nears transaction-ID wraparound
and refuses writes. The reader reports the oldest session idle in a transaction opened at
least an hour before the newest time the same table shows (the moment it was queried).
"""

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.psql_tables import PsqlTable, psql_tables

LEFT_OPEN = timedelta(hours=1)
_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})")
_IDLE_IN_TRANSACTION = re.compile(r"^idle in transaction")
# psql's prompt names the database it is connected to: `ledger=# SELECT ...`.
_PSQL_PROMPT = re.compile(r"^(?P<database>[A-Za-z_][\w-]*)=[#>]")


def open_transaction_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the oldest transaction left open in each pasted `pg_stat_activity` table."""
    found: list[SnapshotFinding] = []
    for table in psql_tables(lines):
        if "state" not in table.columns or "xact_start" not in table.columns:
            continue
        finding = _oldest_left_open(table, lines)
        if finding is not None:
            found.append(finding)
    return found


def _oldest_left_open(table: PsqlTable, lines: Sequence[str]) -> SnapshotFinding | None:
    named_rows = [
        (line, dict(zip(table.columns, fields, strict=True))) for line, fields in table.rows
    ]
    times = [t for _, row in named_rows for value in row.values() if (t := _time(value))]
    if not times:
        return None
    queried = max(times)
    left_open = [
        (started, line, row)
        for line, row in named_rows
        if _IDLE_IN_TRANSACTION.match(row["state"])
        and (started := _time(row["xact_start"])) is not None
        and queried - started >= LEFT_OPEN
    ]
    if not left_open:
        return None
    started, line, row = min(left_open, key=lambda entry: entry[0])
    database = row.get("datname") or _connected_database(lines, table.rows[0][0]) or "database"
    who = row.get("usename") or row.get("application_name") or "a session"
    return SnapshotFinding(
        kind="transaction_left_open",
        subject=database,
        line_start=line,
        line_end=line,
        detail=f"{who} (pid {row.get('pid', '?')}) idle in a transaction open since {started}",
    )


def _time(value: str) -> datetime | None:
    found = _TIME.match(value)
    if found is None:
        return None
    return datetime.fromisoformat(f"{found.group(1)} {found.group(2)}")


def _connected_database(lines: Sequence[str], first_row: int) -> str | None:
    """Return the database psql's prompt above the table names, if any."""
    for line in reversed(lines[: first_row - 1]):
        prompt = _PSQL_PROMPT.match(line)
        if prompt is not None:
            return prompt.group("database")
    return None
