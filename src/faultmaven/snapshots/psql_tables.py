"""Query results as database clients print them, pasted into a case.

psql aligns a header of `|`-separated column names over a `---+---` rule and the rows;
the mysql client boxes the same between `+---+---+` borders (`| user | n |`). Each reader
of pasted query results (sessions, prepared transactions, replication) walks that shape;
this finds every such table once, with its rows' 1-based line numbers.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_RULE = re.compile(r"^\s*-+(?:\+-+)+\s*$")
_BORDER = re.compile(r"^\s*\+-+(?:\+-+)*\+\s*$")


@dataclass(frozen=True)
class PsqlTable:
    """A query result: lower-cased column names and its (1-based line, fields) rows."""

    columns: list[str]
    rows: list[tuple[int, list[str]]]


def psql_tables(lines: Sequence[str]) -> Iterator[PsqlTable]:
    """Yield every psql or mysql result table in `lines`; rows of another width are left out."""
    yield from _aligned_tables(lines)
    yield from _boxed_tables(lines)


def _aligned_tables(lines: Sequence[str]) -> Iterator[PsqlTable]:
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


def _boxed_tables(lines: Sequence[str]) -> Iterator[PsqlTable]:
    """Yield the mysql client's tables: border, header, border, rows, border."""
    index = 0
    while index + 2 < len(lines):
        if not (_BORDER.match(lines[index]) and _BORDER.match(lines[index + 2])):
            index += 1
            continue
        columns = [name.strip().lower() for name in _cells(lines[index + 1])]
        rows = []
        row = index + 3
        while row < len(lines) and not _BORDER.match(lines[row]):
            fields = [field.strip() for field in _cells(lines[row])]
            row += 1
            if len(fields) == len(columns):
                rows.append((row, fields))
        yield PsqlTable(columns, rows)
        index = row + 1


def _cells(line: str) -> list[str]:
    """Return the cells of a boxed row `| a | b |` (its outer bars dropped)."""
    inner = line.strip()
    return inner.removeprefix("|").removesuffix("|").split("|")
