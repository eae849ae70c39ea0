"""Tell metrics evidence from other text, and read it into series."""

from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from faultmaven.domain.errors import InvalidInputError
from faultmaven.domain.metrics import MetricSet
from faultmaven.metrics.csv_reader import read_csv
from faultmaven.metrics.lines import split_lines
from faultmaven.metrics.prometheus import looks_like_prometheus, read_prometheus

_SNIFF_CHARACTERS = 64 * 1024
_SNIFF_LINES = 50


def is_metrics_text(text: str) -> bool:
    """Tell whether a text is metrics evidence: a Prometheus query result or a metrics CSV.

    Looks at the start only: the JSON envelope's `resultType`, or the first rows of a CSV
    (a header, then rows whose first column is a time and with at least one numeric column).
    """
    head = text[:_SNIFF_CHARACTERS].lstrip("\ufeff")
    if head.lstrip().startswith(("{", "[")):
        return looks_like_prometheus(head)
    try:
        read_csv("\n".join(split_lines(head)[:_SNIFF_LINES]))
    except InvalidInputError:
        return False
    return True


def read_metrics(text: str, *, timezone: str | None = None) -> MetricSet:
    """Read metrics evidence into series; InvalidInputError when it is not metrics.

    JSON is read as a Prometheus query result, anything else as a metrics CSV. Times without
    a zone are UTC unless `timezone` (an IANA name such as `Europe/Berlin`) says otherwise.
    """
    body = text.lstrip("\ufeff")
    if not body.strip():
        raise InvalidInputError("Metrics evidence is empty")
    if body.lstrip().startswith(("{", "[")):
        return read_prometheus(body)
    return read_csv(body, _zone(timezone))


def _zone(name: str | None) -> tzinfo:
    if name is None:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidInputError(f"Unknown time zone {name!r}") from error
