"""Metrics CSV: a time column first, then one numeric column per series.

Grafana's "Download CSV" is read as it comes: quoted headers, the `sep=,` line of its
Excel variant, its full header style (`#name#`, `#unit#` lines), formatted values with
units, several frames separated by blank lines (each with its own header), and empty
cells for missing samples. A header row is required. Columns that hold text are skipped
and listed in `MetricSet.skipped`; rows whose first cell is not a time are ignored.
"""

import csv
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from faultmaven.domain.errors import InvalidInputError
from faultmaven.domain.metrics import MetricFormat, MetricSeries, MetricSet
from faultmaven.metrics.components import component_of_column, parse_series_name
from faultmaven.metrics.lines import split_lines
from faultmaven.metrics.times import parse_time
from faultmaven.metrics.units import NotNumericError, read_column

_DELIMITERS = (",", ";", "\t")
_NAME_HEADER = "#name#"
_UNIT_HEADER = "#unit#"


@dataclass
class _Table:
    """One frame of the export: its header, declared units, and rows as `(line, time, cells)`."""

    header: list[str]
    units: list[str] = field(default_factory=list)
    rows: list[tuple[int, datetime, list[str]]] = field(default_factory=list)


def read_csv(text: str, zone: tzinfo = UTC) -> MetricSet:
    """Read a metrics CSV; times without a zone are taken in `zone`."""
    lines = split_lines(text)
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
    start, delimiter = _dialect(lines)
    try:
        tables = _tables(lines, start, delimiter, zone)
    except csv.Error as error:
        raise InvalidInputError(f"Metrics CSV cannot be read: {error}") from error
    if not any(table.rows for table in tables):
        raise InvalidInputError(
            "Not a metrics CSV: no header row followed by rows whose first column is a time"
        )
    series: list[MetricSeries] = []
    skipped: list[str] = []
    for table in tables:
        _add_series(table, series, skipped)
    if not series:
        raise InvalidInputError(
            f"Metrics CSV has no numeric column; skipped: {', '.join(skipped) or 'none'}"
        )
    return MetricSet(format=MetricFormat.CSV, series=series, skipped=skipped)


def _dialect(lines: list[str]) -> tuple[int, str]:
    """Return where the table starts and its delimiter (Excel's `sep=` line, else the header's)."""
    if lines and lines[0].startswith("sep=") and len(lines[0]) == 5:
        return 1, lines[0][4]
    header = next((line for line in lines if line.strip()), "")
    if header.startswith(_NAME_HEADER):
        header = header[len(_NAME_HEADER) :]
    counts = {
        delimiter: len(next(csv.reader([header], delimiter=delimiter), []))
        for delimiter in _DELIMITERS
    }
    return 0, max(_DELIMITERS, key=lambda delimiter: counts[delimiter])


def _tables(lines: list[str], start: int, delimiter: str, zone: tzinfo) -> list[_Table]:
    tables: list[_Table] = []
    current: _Table | None = None
    expecting_header = True
    reader = csv.reader(lines[start:], delimiter=delimiter)
    consumed = 0
    for row in reader:
        line = start + consumed + 1
        consumed = reader.line_num
        if not any(cell.strip() for cell in row):
            expecting_header = True
            continue
        first = row[0].strip()
        if first.startswith(_NAME_HEADER):
            current = _Table([first[len(_NAME_HEADER) :], *row[1:]])
            tables.append(current)
            expecting_header = False
        elif first.startswith(_UNIT_HEADER) and current is not None:
            current.units = row
        elif first.startswith("#"):
            continue
        elif (time := parse_time(first, zone)) is not None:
            if current is not None:
                current.rows.append((line, time, row))
        elif expecting_header or (current is not None and not current.rows):
            current = _Table(row)
            tables.append(current)
            expecting_header = False
    return tables


def _add_series(table: _Table, series: list[MetricSeries], skipped: list[str]) -> None:
    taken = {existing.name for existing in series}
    for column in range(1, len(table.header)):
        name = table.header[column].strip() or f"column {column + 1}"
        cells = [cells[column] if column < len(cells) else "" for _, _, cells in table.rows]
        declared = table.units[column].strip() if column < len(table.units) else None
        try:
            numbers = read_column(cells, declared)
        except NotNumericError:
            skipped.append(name)
            continue
        points = [
            (time, value, line)
            for (line, time, _), value in zip(table.rows, numbers.values, strict=True)
            if value is not None
        ]
        if not points:
            skipped.append(name)
            continue
        unique = name
        copy = 1
        while unique in taken:
            copy += 1
            unique = f"{name} #{copy}"
        taken.add(unique)
        series.append(
            MetricSeries.of_points(
                unique,
                points,
                labels=parse_series_name(name) or {},
                component=component_of_column(name),
                unit=numbers.unit,
            )
        )
