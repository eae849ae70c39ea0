"""Time cells of a metrics export to UTC datetimes: ISO-8601, or epoch seconds/milliseconds."""

import re
from datetime import UTC, datetime, tzinfo

_EPOCH = re.compile(r"^\d{9,20}(?:\.\d+)?$")
_DATE_PREFIX = re.compile(r"^(\d{4})[-/](\d{2})[-/](\d{2})(?=$|[T ])")
_ZONE_WORD = re.compile(r"\s+(?:UTC|GMT)$")
# Epoch values below this are counts or indexes, not times (1e8 s is March 1973).
_EPOCH_MINIMUM = 1e8
# Magnitude bands of epoch seconds, milliseconds, microseconds and nanoseconds.
_EPOCH_DIVISORS = ((1e11, 1.0), (1e14, 1e3), (1e17, 1e6), (1e20, 1e9))


def parse_time(cell: str, zone: tzinfo = UTC) -> datetime | None:
    """Return the UTC time a cell holds, or None when it holds no time.

    Epoch numbers are read as seconds, milliseconds, microseconds or nanoseconds by their
    magnitude. ISO-8601 (`T` or space, any fraction, `Z` or an offset, `/` as the date
    separator) without a zone is taken in `zone`.
    """
    cell = cell.strip()
    if _EPOCH.match(cell):
        return _from_epoch(float(cell))
    prefix = _DATE_PREFIX.match(cell)
    if not prefix:
        return None
    cell = f"{prefix[1]}-{prefix[2]}-{prefix[3]}{cell[prefix.end() :]}"
    zoned_word = _ZONE_WORD.search(cell)
    if zoned_word:
        cell = cell[: zoned_word.start()] + "+00:00"
    try:
        moment = datetime.fromisoformat(cell)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _from_epoch(number: float) -> datetime | None:
    if number < _EPOCH_MINIMUM:
        return None
    for limit, divisor in _EPOCH_DIVISORS:
        if number < limit:
            return epoch_to_datetime(number / divisor)
    return None


def epoch_to_datetime(seconds: float) -> datetime | None:
    """Return the UTC time of epoch `seconds`, or None when no datetime can hold it."""
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None
