"""`pg_prepared_xacts` rows: a two-phase transaction left prepared.

A prepared transaction belongs to no session, so `pg_stat_activity` never shows it, yet it
holds back the horizon below which vacuum may remove dead rows, for as long as it waits
for a COMMIT PREPARED that a crashed coordinator will never send. Every row of that view
pasted during an incident is such a transaction; the oldest one is the suspect.
"""

import re
from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding

_RULE = re.compile(r"^\s*-+(?:\+-+)+\s*$")


def prepared_transaction_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the oldest prepared transaction of each pasted `pg_prepared_xacts` table."""
    found: list[SnapshotFinding] = []
    for index in range(1, len(lines)):
        if not _RULE.match(lines[index]):
            continue
        columns = [name.strip().lower() for name in lines[index - 1].split("|")]
        if "gid" not in columns or "prepared" not in columns:
            continue
        rows = _rows(lines, index + 1, len(columns))
        if rows:
            found.append(_oldest(rows, columns))
    return found


def _rows(lines: Sequence[str], first: int, width: int) -> list[tuple[int, list[str]]]:
    """Return the (1-based line, fields) of the table's rows after its rule."""
    rows = []
    index = first
    while index < len(lines) and "|" in lines[index]:
        fields = [field.strip() for field in lines[index].split("|")]
        index += 1
        if len(fields) == width:
            rows.append((index, fields))
    return rows


def _oldest(rows: list[tuple[int, list[str]]], columns: list[str]) -> SnapshotFinding:
    prepared = columns.index("prepared")
    line, fields = min(rows, key=lambda row: row[1][prepared])
    named = dict(zip(columns, fields, strict=True))
    database = named.get("database") or named.get("owner") or "the database"
    return SnapshotFinding(
        kind="prepared_transaction",
        subject=database,
        line_start=line,
        line_end=line,
        detail=f"transaction {named['gid']} of {named.get('owner', '?')} prepared since"
        f" {fields[prepared]}",
    )
