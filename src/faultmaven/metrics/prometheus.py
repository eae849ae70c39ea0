"""Prometheus HTTP API query results (`/api/v1/query`, `/api/v1/query_range`) as series.

Reads the documented envelope `{"status": "success", "data": {"resultType": ..., "result":
...}}`, the bare `data` object, or a bare list of series (`promtool query ... -o json`).
Sample values are strings as Prometheus writes them, `NaN` and `+Inf` included. Native
histogram samples carry no single value and are skipped. Each point keeps the line where
its value sits in the text (pretty-printed or on one line).
"""

import json
import math
import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from faultmaven.domain.errors import InvalidInputError
from faultmaven.domain.metrics import MetricFormat, MetricSeries, MetricSet
from faultmaven.metrics.components import component_of_labels, promql_name
from faultmaven.metrics.lines import LineIndex
from faultmaven.metrics.times import epoch_to_datetime

_NUMBER = r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"
# A sample pair as it appears in the text: `[1710237600.5, "0.25"]`, across lines or not.
_SAMPLE = re.compile(rf'\[\s*({_NUMBER})\s*,\s*(?:"((?:[^"\\]|\\.)*)"|({_NUMBER}))\s*\]')
_HEAD = re.compile(
    r'^\s*(?:\{.*"resultType"\s*:\s*"(?:matrix|vector|scalar)"|\[\s*\{\s*"metric")', re.DOTALL
)

Sample = tuple[float, str | float]


class _Series(BaseModel):
    metric: dict[str, str] = {}
    values: list[Sample] | None = None
    value: Sample | None = None


class _Data(BaseModel):
    resultType: Literal["matrix", "vector", "scalar", "string"]  # noqa: N815 - the API's name
    result: list[_Series] | Sample


class _Response(BaseModel):
    status: Literal["success", "error"]
    data: _Data | None = None
    errorType: str | None = None  # noqa: N815 - the API's name
    error: str | None = None


def looks_like_prometheus(head: str) -> bool:
    """Tell from the start of a text whether it is a Prometheus query result."""
    return bool(_HEAD.match(head))


def read_prometheus(text: str) -> MetricSet:
    """Read a Prometheus query result into one series per result entry."""
    data = _data(_json(text))
    if data.resultType == "string":
        raise InvalidInputError("Prometheus result is a string, not series")
    if isinstance(data.result, tuple):
        entries = [_Series(metric={}, value=data.result)]
    else:
        entries = data.result
    located = _SampleLines(text)
    series: list[MetricSeries] = []
    skipped: list[str] = []
    for entry in entries:
        name = "scalar" if isinstance(data.result, tuple) else promql_name(entry.metric)
        samples = entry.values if entry.values is not None else []
        if entry.value is not None:
            samples = [*samples, entry.value]
        if not samples:
            skipped.append(name)
            continue
        points = [
            (_time(stamp), _value(value), located.line_of(stamp, value)) for stamp, value in samples
        ]
        labels = dict(entry.metric)
        series.append(
            MetricSeries.of_points(
                name, points, labels=labels, component=component_of_labels(labels)
            )
        )
    if not series:
        raise InvalidInputError("Prometheus result holds no samples")
    return MetricSet(format=MetricFormat.PROMETHEUS, series=series, skipped=skipped)


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"Metrics JSON is not valid JSON: {error.msg}"
            f" at line {error.lineno} column {error.colno}"
        ) from error
    except RecursionError as error:
        raise InvalidInputError("Metrics JSON is nested too deeply") from error


def _data(document: Any) -> _Data:
    if isinstance(document, list):
        document = {"status": "success", "data": {"resultType": "matrix", "result": document}}
    elif isinstance(document, dict) and "resultType" in document:
        document = {"status": "success", "data": document}
    try:
        response = _Response.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "document"
        raise InvalidInputError(
            f"Not a Prometheus query result: {where}: {first['msg']}"
        ) from error
    if response.status == "error":
        raise InvalidInputError(
            "Prometheus answered with an error: "
            f"{response.errorType or 'error'}: {response.error or ''}"
        )
    if response.data is None:
        raise InvalidInputError("Prometheus result has no data")
    return response.data


def _time(stamp: float) -> datetime:
    moment = epoch_to_datetime(stamp) if math.isfinite(stamp) else None
    if moment is None:
        raise InvalidInputError(f"Prometheus sample time {stamp!r} is out of range")
    return moment


def _value(value: str | float) -> float:
    if isinstance(value, float):
        return value
    try:
        return float(value)
    except ValueError as error:
        raise InvalidInputError(f"Prometheus sample value {value!r} is not a number") from error


class _SampleLines:
    """Find, in document order, the line where each sample's value sits."""

    _LOOKAHEAD = 64

    def __init__(self, text: str) -> None:
        index = LineIndex(text)
        self._pairs = [
            (
                float(match[1]),
                match[2] if match[2] is not None else float(match[3]),
                index.line_of(match.start(2) if match[2] is not None else match.start(3)),
            )
            for match in _SAMPLE.finditer(text)
        ]
        self._next = 0
        self._last = 1

    def line_of(self, stamp: float, value: str | float) -> int:
        """Return the line of the next sample pair in the text equal to `(stamp, value)`.

        A pair the text spells differently (escapes, a quoted time) is not found; it gets
        the line of the previous sample and the search does not move on.
        """
        end = min(len(self._pairs), self._next + self._LOOKAHEAD)
        for position in range(self._next, end):
            found_stamp, found_value, line = self._pairs[position]
            if found_stamp == stamp and found_value == value:
                self._next, self._last = position + 1, line
                return line
        return self._last
