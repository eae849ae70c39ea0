"""Read a span table (CSV or TSV exported from Jaeger, Tempo, an OpenTelemetry collector).

A header names the columns; the reader needs a trace id, a span id, a parent span id, a
service and a status, and takes an operation and a start time when they are there. Start
times may be epoch seconds, milliseconds, microseconds or nanoseconds, or ISO-8601.
"""

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

_COLUMNS = {
    "trace": ("traceid", "trace_id", "trace"),
    "span": ("spanid", "span_id", "span"),
    "parent": ("parentspanid", "parent_span_id", "parentid", "parent_id", "parent"),
    "service": ("servicename", "service_name", "service", "resource.service.name"),
    "operation": ("operationname", "operation_name", "operation", "name", "spanname"),
    "start": (
        "starttime",
        "start_time",
        "start",
        "timestamp",
        "starttimeunixnano",
        "start_us",
        "start_ms",
        "start_ns",
        "start_time_us",
        "start_time_unix_nano",
    ),
    "status": (
        "statuscode",
        "status_code",
        "status",
        "http.status_code",
        "grpc.status_code",
        "http_status",
        "http_status_code",
        "otel.status_code",
    ),
}
_REQUIRED = ("trace", "span", "parent", "service", "status")
_ERROR_WORDS = frozenset({"error", "status_code_error", "true", "failed"})
# Epoch seconds stay below this until the year 5138; larger numbers are finer units.
_SECONDS_CEILING = 1e11


@dataclass(frozen=True)
class Span:
    """One span: where it sits in its trace, whose it is, when it began, whether it failed."""

    line: int
    trace: str
    span: str
    parent: str
    service: str
    operation: str
    start: datetime | None
    failed: bool


def read_spans(lines: Sequence[str]) -> list[Span] | None:
    """Return the spans of a span table, or None when the text is not one."""
    if not lines:
        return None
    header = lines[0]
    delimiter = "\t" if header.count("\t") > header.count(",") else ","
    names = [name.strip().lower() for name in next(csv.reader([header], delimiter=delimiter))]
    columns = {key: _index(names, aliases) for key, aliases in _COLUMNS.items()}
    if any(columns[key] is None for key in _REQUIRED):
        return None
    spans = []
    for number, row in enumerate(csv.reader(lines[1:], delimiter=delimiter), start=2):
        if len(row) < len(names):
            continue
        cell = {key: row[index].strip() for key, index in columns.items() if index is not None}
        spans.append(
            Span(
                line=number,
                trace=cell["trace"],
                span=cell["span"],
                parent=cell["parent"],
                service=cell["service"],
                operation=cell.get("operation", ""),
                start=_moment(cell.get("start", "")),
                failed=_failed(cell["status"]),
            )
        )
    return spans


def _index(names: list[str], aliases: tuple[str, ...]) -> int | None:
    return next((names.index(alias) for alias in aliases if alias in names), None)


def _failed(status: str) -> bool:
    """Read a span status: gRPC codes 1..16, HTTP 5xx and error words are failures."""
    if status.lower() in _ERROR_WORDS:
        return True
    if not status.isdigit():
        return False
    code = int(status)
    return 500 <= code <= 599 if code >= 100 else code != 0


def _moment(text: str) -> datetime | None:
    """Read an epoch number in any unit (judged by its size) or an ISO-8601 time."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        value = float(text)
        while value >= _SECONDS_CEILING:  # milliseconds, microseconds or nanoseconds
            value /= 1000
        return datetime.fromtimestamp(value, UTC)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
