"""`synchronous_standby_names` beside `pg_stat_replication`: a synchronous standby gone.

With synchronous replication a PostgreSQL primary does not acknowledge a commit until a
standby named in `synchronous_standby_names` has it. When every such standby is away (a
host rebooted, a unit that did not come back), commits wait forever (`wait_event`
`SyncRep`) while reads keep working: writers time out and exhaust their pools, and nothing
in the primary's log says why. The standby that is named but not connected is the cause.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.psql_tables import PsqlTable, psql_tables

_SETTING = "synchronous_standby_names"
_SINGLE_RULE = re.compile(r"^\s*-{3,}\s*$")
# `FIRST 1 (a, b)`, `ANY 2 (a, b, c)`, `2 (a, b)` or a plain list `a, b`.
_PRIORITY = re.compile(r"^\s*(?:(?:FIRST|ANY)\s+)?\d+\s*\((?P<names>.*)\)\s*$", re.IGNORECASE)
_CONFIG_LINE = re.compile(rf"^\s*{_SETTING}\s*=\s*'(?P<value>[^']*)'", re.IGNORECASE)
# A table cell (not a query's quoted literal) holding the wait event.
_SYNC_WAIT = re.compile(r"(?:^|\|)\s*SyncRep\s*(?:\||$)")


def sync_standby_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the named synchronous standbys that `pg_stat_replication` does not list.

    Needs evidence that the standby is away: a replication table without it, or backends
    waiting on `SyncRep` when only one standby is named. Each finding of a missing standby
    cites the setting's value; a `SyncRep` wait row is cited as a second finding of it.
    """
    setting = _setting(lines)
    if setting is None:
        return []
    line, names = setting
    replication = [table for table in psql_tables(lines) if _is_replication(table)]
    connected = {
        fields[table.columns.index("application_name")]
        for table in replication
        for _, fields in table.rows
    }
    waits = [number for number, text in enumerate(lines, start=1) if _SYNC_WAIT.search(text)]
    if replication:
        missing = [name for name in names if name not in connected]
        if len(missing) < len(names) or not missing:
            return []
    elif waits and len(names) == 1:
        missing = names
    else:
        return []
    standby = missing[0]
    detail = (
        f"{_SETTING} names {', '.join(names)}, but pg_stat_replication lists "
        f"{', '.join(sorted(connected)) or 'no standby'}"
    )
    found = [SnapshotFinding("sync_standby_missing", standby, line, line, detail, standby)]
    found += [
        SnapshotFinding(
            "sync_standby_missing", standby, number, number, "commits wait on SyncRep", standby
        )
        for number in waits[:1]
    ]
    return found


def _setting(lines: Sequence[str]) -> tuple[int, list[str]] | None:
    """Return the 1-based line of the setting's value and the standby names it holds."""
    for index, text in enumerate(lines):
        configured = _CONFIG_LINE.match(text)
        if configured:
            return _named(index + 1, configured["value"])
        if text.strip().lower() != _SETTING or index + 2 >= len(lines):
            continue
        if _SINGLE_RULE.match(lines[index + 1]):
            return _named(index + 3, lines[index + 2])
    return None


def _named(line: int, value: str) -> tuple[int, list[str]] | None:
    priority = _PRIORITY.match(value)
    listed = priority["names"] if priority else value
    names = [name.strip().strip('"') for name in listed.split(",")]
    names = [name for name in names if name and name != "*"]
    return (line, names) if names else None


def _is_replication(table: PsqlTable) -> bool:
    columns = set(table.columns)
    return "application_name" in columns and bool(
        columns & {"sync_state", "sent_lsn", "replay_lag", "write_lag", "flush_lag"}
    )
