"""Timestamps that open a log line, in the layouts applications commonly write them."""

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Literal

from faultmaven.logs.formats._base import Clock
from faultmaven.logs.timestamps import (
    fraction_micros,
    month_number,
    utc_time,
    yearless_time,
    zone_of,
)

_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_FRACTION = r"(?:[.,:](\d{1,9}))?"
_ZONE = r"(?: ?(Z|[+-]\d\d:?\d\d|UTC|GMT)(?![\w:]))?"

# `2024-01-01T12:00:00.123Z`, `2024/01/01 12:00:00`, `2024-01-01 12:00:00,123 +0100`
_ISO_PARTS = r"(\d{4})[-/.](\d\d)[-/.](\d\d)[T ]+(\d\d):(\d\d):(\d\d)"
_ISO = re.compile(_ISO_PARTS + _FRACTION + _ZONE)
# The same stamp with only its zone captured, for patterns that read a header after it
# (none of these parts holds an escaped parenthesis).
ISO_STAMP_PATTERN = re.sub(r"\((?!\?)", "(?:", _ISO_PARTS + _FRACTION) + _ZONE
# Spark and Hadoop: `17/06/09 20:10:40`
_SHORT_YEAR = re.compile(rf"(\d\d)/(\d\d)/(\d\d) (\d\d):(\d\d):(\d\d){_FRACTION}")
# Windows and US locales: `1/31/2024 1:02:03 PM`
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}),? (\d{1,2}):(\d\d):(\d\d)(?: ?([AP]M))?")
# Tomcat `11-Oct-2023 14:32:52.123`, Redis `01 Jan 2024 12:00:00.123`
_DAY_MONTH = re.compile(
    rf"(\d{{1,2}})[- ]({_MONTHS})[- ](\d{{4}})[ :](\d\d):(\d\d):(\d\d){_FRACTION}"
)
# `Oct 11 14:32:52`, `Wed Oct 11 14:32:52 2000`, `Oct 11 2023 14:32:52`
_MONTH_DAY = re.compile(
    rf"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? )?({_MONTHS}) +(\d{{1,2}}),? (?:(\d{{4}}) )?"
    rf"(\d\d):(\d\d):(\d\d){_FRACTION}(?: (\d{{4}})(?!\S))?"
)
# logback's default `%d{HH:mm:ss.SSS}`: a time without a date, so no usable time.
_TIME_ONLY = re.compile(r"(\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(?=\s)")

Stamp = tuple[datetime | None, int]


def iso_text_time(text: str, zoned: bool, clock: Clock) -> datetime | Literal[False] | None:
    """Read the text of an ISO stamp (as `_ISO` matches it) with `fromisoformat`, as UTC.

    `zoned` tells whether the stamp states its zone. False when `fromisoformat` cannot read
    it (a `/` date, a `UTC` suffix, no such day): `leading_stamp` reads those field by field.
    """
    if text[4] != "-" or text[-1] == "C" or text[-1] == "T":  # not `UTC`/`GMT`
        return False
    if clock.default_tz is UTC and not zoned:
        # The zone written out is read in the same call, much faster than `replace`.
        text += "+00:00"
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return False
    if value.tzinfo is None:
        value = value.replace(tzinfo=clock.default_tz)
    if value.tzinfo is UTC:  # what `astimezone(UTC)` would return, without the call
        return value
    try:
        return value.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 with an offset: off the calendar in UTC
        return None


def _iso(match: re.Match[str], clock: Clock) -> datetime | None:
    value = iso_text_time(match.group(), match.group(8) is not None, clock)
    if value is not False:
        return value
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    time_of_day = (int(hour), int(minute), int(second), fraction_micros(fraction))
    return utc_time(int(year), int(month), int(day), time_of_day, zone_of(zone, clock.default_tz))


def _short_year(match: re.Match[str], clock: Clock) -> datetime | None:
    year, month, day, hour, minute, second, fraction = match.groups()
    time_of_day = (int(hour), int(minute), int(second), fraction_micros(fraction))
    return utc_time(2000 + int(year), int(month), int(day), time_of_day, clock.default_tz)


def _us(match: re.Match[str], clock: Clock) -> datetime | None:
    month, day, year, hour, minute, second, half = match.groups()
    hours = int(hour) % 12 + (12 if half == "PM" else 0) if half else int(hour)
    return utc_time(
        int(year), int(month), int(day), (hours, int(minute), int(second), 0), clock.default_tz
    )


def _day_month(match: re.Match[str], clock: Clock) -> datetime | None:
    day, month, year, hour, minute, second, fraction = match.groups()
    time_of_day = (int(hour), int(minute), int(second), fraction_micros(fraction))
    return utc_time(int(year), month_number(month) or 1, int(day), time_of_day, clock.default_tz)


def _month_day(match: re.Match[str], clock: Clock) -> datetime | None:
    month, day, year, hour, minute, second, fraction, trailing_year = match.groups()
    time_of_day = (int(hour), int(minute), int(second), fraction_micros(fraction))
    month_index = month_number(month) or 1
    year = year or trailing_year
    if year is None:
        return yearless_time(month_index, int(day), time_of_day, clock.default_tz, clock.now)
    return utc_time(int(year), month_index, int(day), time_of_day, clock.default_tz)


def _time_only(match: re.Match[str], clock: Clock) -> datetime | None:
    return None


_Reader = Callable[[re.Match[str], Clock], datetime | None]
_BY_DIGIT: tuple[tuple[re.Pattern[str], _Reader], ...] = (
    (_ISO, _iso),
    (_SHORT_YEAR, _short_year),
    (_DAY_MONTH, _day_month),
    (_US, _us),
    (_TIME_ONLY, _time_only),
)


def leading_stamp(line: str, start: int, clock: Clock) -> Stamp | None:
    """Find a timestamp at `start` of `line`: its UTC time (None if it has no date) and end.

    A bracketed stamp (`[2024-01-01 12:00:00,123]`) counts, its closing bracket included.
    """
    bracketed = line.startswith("[", start)
    position = start + 1 if bracketed else start
    first = line[position : position + 1]
    match: re.Match[str] | None = None
    reader: _Reader = _month_day
    if first.isdigit():
        for pattern, candidate in _BY_DIGIT:
            match = pattern.match(line, position)
            if match is not None:
                reader = candidate
                break
    elif first.isalpha():
        match = _MONTH_DAY.match(line, position)
    if match is None:
        return None
    end = match.end()
    if bracketed:
        if not line.startswith("]", end):
            return None
        end += 1
    return reader(match, clock), end
