"""psql's aligned output: a header of `|`-separated column names, a `---+---` rule, rows.

Each reader of pasted query results (sessions, prepared transactions) walks the same
shape; this finds every such table once, with its rows' 1-based line numbers.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_RULE = re.compile(r"^\s*-+(?:\+-+)+\s*$")


@dataclass(frozen=True)
class PsqlTable:
    """A query result: lower-cased column names and its (1-based line, fields) rows."""

    columns: list[str]
    rows: list[tuple[int, list[str]]]


def psql_tables(lines: Sequence[str]) -> Iterator[PsqlTable]:
    """Yield every psql result table in `lines`; rows of another width are left out."""
    for index in range(1, len(lines)):
        if not _RULE.match(lines[index]):
            continue
        columns = [name.strip().lower() for name in lines[index - 1].split("|")]
        rows = []
        row = index + 1
        while row < len(lines) and "|" in lines[row]:
            fields = [field.strip() for field in lines[row].split("|")]
            row += 1
            if len(fields) == len(columns):
                rows.append((row, fields))
        yield PsqlTable(columns, rows)
