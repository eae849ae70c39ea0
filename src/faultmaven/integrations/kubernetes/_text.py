"""Lines, column tables and printed times, the way kubectl writes them."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from faultmaven.domain.kubernetes import LineSpan

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A column title is words joined by single spaces; tabwriter pads columns with 2+ spaces.
_COLUMN = re.compile(r"\S+(?: \S+)*")
_CELL_GAP = re.compile(r"\s{2,}")
_SERIES_AGE = re.compile(r"^(\S+) \(x(\d+) over (\S+)\)$")
_RFC1123Z = "%a, %d %b %Y %H:%M:%S %z"


def split_lines(text: str) -> list[str]:
    r"""Split text into lines as CONTRACTS.md section 1 numbers them (`\n`, `\r\n`, lone `\r`)."""
    if not text:
        return []
    lines = _LINE_BREAK.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines


def span(start: int, end: int | None = None) -> LineSpan:
    """Make the 1-based span `start`..`end` (one line when `end` is omitted)."""
    return LineSpan(line_start=start, line_end=start if end is None else max(start, end))


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a kubectl table: its upper-cased title and where its cells start."""

    title: str
    start: int


def columns_of(header: str) -> list[Column]:
    """Read the columns of a table header such as `LAST SEEN   TYPE   REASON   OBJECT`."""
    return [Column(match.group(0).upper(), match.start()) for match in _COLUMN.finditer(header)]


def cells_of(row: str, columns: list[Column], *, wide: str | None = None) -> dict[str, str]:
    """Cut a table row into cells by its header's column positions.

    Rows whose spacing no longer matches the header (re-indented or collapsed while
    pasting) are split on runs of 2+ spaces instead; surplus pieces then belong to the
    `wide` column, the one whose text may itself hold double spaces (a message).
    """
    if _aligned(row, columns):
        cells = {}
        for index, column in enumerate(columns):
            end = columns[index + 1].start if index + 1 < len(columns) else len(row)
            cells[column.title] = row[column.start : end].strip()
        return cells
    pieces = _CELL_GAP.split(row.strip())
    titles = [column.title for column in columns]
    if len(pieces) > len(titles):
        at = titles.index(wide) if wide in titles else len(titles) - 1
        extra = len(pieces) - len(titles)
        pieces[at : at + extra + 1] = ["  ".join(pieces[at : at + extra + 1])]
    pieces += [""] * (len(titles) - len(pieces))
    return dict(zip(titles, pieces, strict=True))


def _aligned(row: str, columns: list[Column]) -> bool:
    if not columns or row[: columns[0].start].strip():
        return False
    for column in columns[1:]:
        if column.start < len(row) and row[column.start - 1] != " ":
            return False
    return True


@dataclass(frozen=True, slots=True)
class Age:
    """A relative age as kubectl prints it: `4m`, or `4m (x7 over 28m)` for a repeated event."""

    last: str
    first: str
    count: int | None


def read_age(text: str) -> Age | None:
    """Read an events table age cell; None when it is empty or `<unknown>`."""
    text = text.strip()
    if not text or text.startswith("<"):
        return None
    match = _SERIES_AGE.match(text)
    if match:
        return Age(last=match.group(1), first=match.group(3), count=int(match.group(2)))
    return Age(last=text, first=text, count=None)


def read_printed_time(text: str | None) -> datetime | None:
    """Read kubectl describe's RFC 1123 time (`Tue, 12 Mar 2024 09:40:11 +0000`) as UTC."""
    if not text:
        return None
    try:
        return datetime.strptime(text.strip(), _RFC1123Z).astimezone(UTC)
    except ValueError:
        return None


def as_utc(moment: datetime | None) -> datetime | None:
    """Return the same instant in UTC; a time without a zone is taken as UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def read_int(text: str | None) -> int | None:
    """Read the leading integer of a cell such as `6` or `6 (2m ago)`; None if none."""
    if not text:
        return None
    match = re.match(r"\s*(-?\d+)", text)
    return int(match.group(1)) if match else None


def merge_spans(spans: list[LineSpan]) -> list[LineSpan]:
    """Sort spans and join those that overlap or touch."""
    merged: list[LineSpan] = []
    for item in sorted(spans, key=lambda each: (each.line_start, each.line_end)):
        if merged and item.line_start <= merged[-1].line_end + 1:
            last = merged[-1]
            merged[-1] = span(last.line_start, max(last.line_end, item.line_end))
        else:
            merged.append(item)
    return merged


def key_value_pairs(items: Iterable[str]) -> dict[str, str]:
    """Read `key=value` items (labels, selectors) into a mapping; other items are skipped."""
    pairs = (item.split("=", 1) for item in items if "=" in item)
    return {key.strip(): value.strip() for key, value in pairs}


def selector_pairs(text: str | None) -> dict[str, str]:
    """Read `app=web,tier=api` into its pairs; `<none>` and set-based terms give nothing."""
    if not text or text.startswith("<"):
        return {}
    return key_value_pairs(item for item in text.split(",") if "!" not in item)


_PORT = re.compile(r"^(\d+)/(?:TCP|UDP|SCTP)$")
# A Kubernetes object's name as tables print it: lower-case DNS labels joined by dots.
OBJECT_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
# A shell prompt (or none) then a kubectl command, the command captured.
KUBECTL_COMMAND = re.compile(r"^\s*(?:\S*[$#%>]\s*)?(kubectl\s.*)$")


def port_numbers(text: str) -> list[int]:
    """Read describe's `8000/TCP` or `8080/TCP, 9090/TCP` into port numbers.

    `<none>` or a named port (`http/TCP`) gives none.
    """
    found = [_PORT.match(part.strip()) for part in text.split(",")]
    return [int(match.group(1)) for match in found if match is not None]


_CPU = re.compile(r"^(\d+(?:\.\d+)?)(m?)$")


def millicores(text: str) -> int | None:
    """Read a CPU quantity (`250m`, `1`, `0.5`, `1500m`) in millicores; None if it is none."""
    found = _CPU.match(text.strip())
    if found is None:
        return None
    number, milli = float(found.group(1)), found.group(2)
    return round(number if milli else number * 1000)
