"""Find the timestamp at the start of a log line and normalise it to UTC."""

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_MONTH_NAMES = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"

# How far into a line a timestamp may start and still count as "at the start".
_WINDOW = 120
# A year-less time this far ahead of `now` is still taken as this year (clock skew).
_FUTURE_TOLERANCE = timedelta(days=1)

_ISO = re.compile(
    r"(?<!\d)(\d{4})([-/])(\d{2})\2(\d{2})[T ](\d{2}):(\d{2}):(\d{2})"
    r"(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}(?::?\d{2})?(?!\d)|UTC|GMT)?"
)
_APACHE = re.compile(
    rf"\[(\d{{2}})/({_MONTH_NAMES})/(\d{{4}}):(\d{{2}}):(\d{{2}}):(\d{{2}})(?:\s*([+-]\d{{4}}))?\]"
)
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}}) ({_MONTH_NAMES}) (\d{{4}}) "
    r"(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?"
)
_SYSLOG = re.compile(
    rf"\b({_MONTH_NAMES})\s+(\d{{1,2}})\s+(\d{{2}}):(\d{{2}}):(\d{{2}})(?:\.(\d{{1,9}}))?"
    r"(?:\s+(\d{4})\b)?"
)
_HDFS = re.compile(r"(\d{2})(\d{2})(\d{2})\s+(\d{2})(\d{2})(\d{2})\s")
_GLOG = re.compile(r"[IWEF](\d{2})(\d{2})\s+(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s")
_JSON_TIME = re.compile(
    r'"(?:@timestamp|timestamp|time|ts)"\s*:\s*(?:"([^"]{4,64})"|(\d{9,19}(?:\.\d+)?))'
)
_EPOCH_TEXT = re.compile(r"\d{9,19}(?:\.\d+)?")


def _fraction(digits: str | None) -> int:
    """Turn the digits after a decimal point into microseconds."""
    if not digits:
        return 0
    return int(digits[:6].ljust(6, "0"))


def _zone(text: str | None, default_tz: tzinfo) -> tzinfo:
    """Read a `Z`, `UTC` or `+hh:mm`/`+hhmm`/`+hh` offset; fall back to `default_tz`."""
    if not text:
        return default_tz
    if text in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4] or 0)
    if hours > 23 or minutes > 59:
        return default_tz
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _build(
    year: int,
    month: int,
    day: int,
    clock: tuple[int, int, int, int],
    zone: tzinfo,
) -> datetime | None:
    """Assemble an aware UTC datetime, or None when the fields are not a real date."""
    hour, minute, second, micro = clock
    try:
        local = datetime(year, month, day, hour, minute, second, micro, tzinfo=zone)
        # Year 1 or 9999 with an offset falls off the calendar in UTC: no usable time.
        return local.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _without_year(
    month: int,
    day: int,
    clock: tuple[int, int, int, int],
    default_tz: tzinfo,
    now: datetime | None,
) -> datetime | None:
    """Give a year-less time the most recent year that does not put it in the future."""
    reference = now if now is not None else datetime.now(UTC)
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=UTC)
    year = reference.astimezone(default_tz).year
    # Eight years back always reaches a leap year for 29 February.
    for candidate_year in range(year, year - 8, -1):
        candidate = _build(candidate_year, month, day, clock, default_tz)
        if candidate is not None and candidate <= reference + _FUTURE_TOLERANCE:
            return candidate
    return None


def _from_epoch(text: str) -> datetime | None:
    """Read epoch seconds, milliseconds, microseconds or nanoseconds."""
    value = float(text)
    for scale in (1.0, 1e3, 1e6, 1e9):
        if value / scale < 1e11:
            value /= scale
            break
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _from_iso_match(match: re.Match[str], default_tz: tzinfo) -> datetime | None:
    """Build a datetime from an `_ISO` match."""
    year, _, month, day, hour, minute, second, fraction, zone = match.groups()
    clock = (int(hour), int(minute), int(second), _fraction(fraction))
    return _build(int(year), int(month), int(day), clock, _zone(zone, default_tz))


def _from_json(text: str, default_tz: tzinfo) -> datetime | None:
    """Read the `time`/`timestamp`/`ts`/`@timestamp` field of a JSON line."""
    match = _JSON_TIME.search(text)
    if match is None:
        return None
    quoted, number = match.groups()
    if number is not None:
        return _from_epoch(number)
    if _EPOCH_TEXT.fullmatch(quoted):
        return _from_epoch(quoted)
    iso = _ISO.match(quoted)
    return _from_iso_match(iso, default_tz) if iso else None


def _from_apache(match: re.Match[str], default_tz: tzinfo) -> datetime | None:
    """Build a datetime from an apache/nginx access-log `[dd/Mon/yyyy:HH:MM:SS +zzzz]`."""
    day, month, year, hour, minute, second, zone = match.groups()
    clock = (int(hour), int(minute), int(second), 0)
    month_number = _MONTHS[month.lower()]
    return _build(int(year), month_number, int(day), clock, _zone(zone, default_tz))


def _from_syslog(match: re.Match[str], default_tz: tzinfo, now: datetime | None) -> datetime | None:
    """Build a datetime from `Mmm dd HH:MM:SS` (RFC 3164), with or without a trailing year."""
    month, day, hour, minute, second, fraction, year = match.groups()
    clock = (int(hour), int(minute), int(second), _fraction(fraction))
    month_number = _MONTHS[month.lower()]
    if year is not None:
        return _build(int(year), month_number, int(day), clock, default_tz)
    return _without_year(month_number, int(day), clock, default_tz, now)


def _from_line_start(text: str, default_tz: tzinfo, now: datetime | None) -> datetime | None:
    """Try the compact formats that only count at the very start of a line."""
    first = text[0]
    if first in "IWEF":
        glog = _GLOG.match(text)
        if glog:
            month, day, hour, minute, second, fraction = glog.groups()
            clock = (int(hour), int(minute), int(second), _fraction(fraction))
            return _without_year(int(month), int(day), clock, default_tz, now)
    elif first.isdigit():
        hdfs = _HDFS.match(text)
        if hdfs:
            year, month, day, hour, minute, second = (int(part) for part in hdfs.groups())
            return _build(2000 + year, month, day, (hour, minute, second, 0), default_tz)
    return None


def find_timestamp(
    text: str, default_tz: tzinfo = UTC, now: datetime | None = None
) -> datetime | None:
    """Return the timestamp at or near the start of a log line as an aware UTC datetime.

    A timestamp without a zone is read in `default_tz`; a year-less one (syslog, glog)
    gets the most recent year that is not in the future relative to `now`.
    """
    window = text[:_WINDOW].lstrip()
    if len(window) < 8:
        return None
    if window[0] == "{":
        return _from_json(text, default_tz)
    early = _from_line_start(window, default_tz, now)
    if early is not None:
        return early
    if ":" not in window:
        return None
    iso = _ISO.search(window)
    if iso:
        return _from_iso_match(iso, default_tz)
    if "[" in window:
        apache = _APACHE.search(window)
        if apache:
            return _from_apache(apache, default_tz)
    day_month_year = _DAY_MONTH_YEAR.search(window)
    if day_month_year:
        day, month, year, hour, minute, second, fraction = day_month_year.groups()
        clock = (int(hour), int(minute), int(second), _fraction(fraction))
        return _build(int(year), _MONTHS[month.lower()], int(day), clock, default_tz)
    syslog = _SYSLOG.search(window)
    if syslog:
        return _from_syslog(syslog, default_tz, now)
    return None


# Building blocks for the format readers (`faultmaven.logs.formats`), which find the
# fields of a timestamp with their own layout-specific patterns.

TimeOfDay = tuple[int, int, int, int]


def fraction_micros(digits: str | None) -> int:
    """Turn the digits after a decimal point (`123`, `123456789`) into microseconds."""
    return _fraction(digits)


def month_number(name: str) -> int | None:
    """Return the number (1-12) of an English month abbreviation or name, else None."""
    return _MONTHS.get(name[:3].lower())


def zone_of(text: str | None, default_tz: tzinfo) -> tzinfo:
    """Read a `Z`, `UTC`, `GMT`, `+hh:mm`, `+hhmm` or `+hh` zone; fall back to `default_tz`."""
    return _zone(text, default_tz)


def utc_time(year: int, month: int, day: int, clock: TimeOfDay, zone: tzinfo) -> datetime | None:
    """Return the aware UTC datetime of a local date and time, or None if it is no real date."""
    return _build(year, month, day, clock, zone)


def yearless_time(
    month: int, day: int, clock: TimeOfDay, default_tz: tzinfo, now: datetime | None
) -> datetime | None:
    """Return a year-less time in the most recent year that does not put it in the future."""
    return _without_year(month, day, clock, default_tz, now)


def epoch_time(value: float) -> datetime | None:
    """Read epoch seconds, milliseconds, microseconds or nanoseconds as a UTC datetime."""
    if value != value or value < 0:  # NaN or before 1970: not a log timestamp
        return None
    try:
        return _from_epoch(repr(value) if isinstance(value, float) else str(value))
    except ValueError:
        return None


def iso_time(text: str, default_tz: tzinfo) -> datetime | None:
    """Read an ISO 8601 / RFC 3339 date-time (any fraction, `Z` or offset) as UTC.

    A zone-less value is read in `default_tz`; text that is not such a date-time gives None.
    """
    if len(text) < 19 or not text[:4].isdigit():
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        match = _ISO.match(text)
        return _from_iso_match(match, default_tz) if match else None
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_tz)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
