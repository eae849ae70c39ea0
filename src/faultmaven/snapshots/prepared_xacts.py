"""`pg_prepared_xacts` rows: a two-phase transaction left prepared.

A prepared transaction belongs to no session, so `pg_stat_activity` never shows it, yet it
holds back the horizon below which vacuum may remove dead rows, for as long as it waits
for a COMMIT PREPARED that a crashed coordinator will never send. Every row of that view
pasted during an incident is such a transaction; the oldest one is the suspect.
"""

from collections.abc import Sequence

from faultmaven.snapshots.finding import SnapshotFinding
from faultmaven.snapshots.psql_tables import PsqlTable, psql_tables


def prepared_transaction_findings(lines: Sequence[str]) -> list[SnapshotFinding]:
    """Return the oldest prepared transaction of each pasted `pg_prepared_xacts` table."""
    return [
        _oldest(table)
        for table in psql_tables(lines)
        if "gid" in table.columns and "prepared" in table.columns and table.rows
    ]


def _oldest(table: PsqlTable) -> SnapshotFinding:
    columns = table.columns
    prepared = columns.index("prepared")
    line, fields = min(table.rows, key=lambda row: row[1][prepared])
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
