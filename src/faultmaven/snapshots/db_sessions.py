"""Session tables: one client holding the database's connections without using them.

A `pg_stat_activity` table with `state` and `application_name` (or `usename`) columns,
or a MySQL processlist with `command` and `user` (or `host`) columns, lists sessions: one
per row, or grouped with a `count` column. Idle is `idle` in PostgreSQL, `Sleep` in MySQL.
When one client holds most sessions and leaves them idle, it is leaking connections
(or its pool is far too large), and everyone else gets "too many clients".
"""

import re
from collections import Counter
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.psql_tables import PsqlTable, psql_tables

# One client holding this many idle sessions, and this share of all, is hoarding them.
HELD_MIN = 10
HELD_SHARE = 0.5
_COUNT_COLUMNS = ("count", "connections", "sessions", "conns", "n", "total")
_CLIENT_COLUMNS = ("application_name", "usename", "user", "client_addr", "client", "host")
_STATE_COLUMNS = ("state", "command")
_IDLE = re.compile(r"^(?:idle\b|sleep$)", re.IGNORECASE)


def session_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the client hoarding sessions in each pasted session table, if one does."""
    found: list[SnapshotFinding] = []
    for table in psql_tables(lines):
        columns = table.columns
        if not any(name in columns for name in _STATE_COLUMNS):
            continue
        if not any(name in columns for name in _CLIENT_COLUMNS):
            continue
        finding = _hoarder(table)
        if finding is not None:
            found.append(finding)
    return found


def _hoarder(table: PsqlTable) -> SnapshotFinding | None:
    """Tally idle sessions per client from the table's rows; name a hoarder."""
    columns = table.columns
    state = columns.index(next(name for name in _STATE_COLUMNS if name in columns))
    count = next((columns.index(name) for name in _COUNT_COLUMNS if name in columns), None)
    client_columns = [columns.index(name) for name in _CLIENT_COLUMNS if name in columns]
    idle: Counter[str] = Counter()
    total = 0
    rows_of: dict[str, int] = {}
    for line, fields in table.rows:
        sessions = _sessions(fields, count)
        if sessions is None:
            continue
        total += sessions
        client = next((fields[i] for i in client_columns if fields[i]), "")
        if client and _IDLE.match(fields[state]):
            idle[client] += sessions
            rows_of.setdefault(client, line)
    if not idle:
        return None
    client, held = idle.most_common(1)[0]
    if held < HELD_MIN or held < HELD_SHARE * total:
        return None
    line = rows_of[client]
    return SnapshotFinding(
        kind="connections_held",
        subject=client,
        line_start=line,
        line_end=line,
        detail=f"{client} holds {held} of {total} database sessions, idle",
    )


def _sessions(fields: list[str], count: int | None) -> int | None:
    """Return how many sessions a row stands for: its count column, else one."""
    if count is None:
        return 1
    value = fields[count]
    return int(value) if value.isdigit() else None
