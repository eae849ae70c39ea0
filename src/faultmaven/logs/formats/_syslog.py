"""Syslog: RFC 5424 and RFC 3164 (BSD) lines, with or without the `<PRI>` prefix."""

import re

from faultmaven.logs.formats._base import Clock, ParsedLine, attribute
from faultmaven.logs.severity import find_level, level_from_syslog_severity
from faultmaven.logs.timestamps import (
    fraction_micros,
    iso_time,
    month_number,
    utc_time,
    yearless_time,
)

_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_RFC5424 = re.compile(
    r"(?:<(\d{1,3})>)?1 (\S+) (\S+) (\S+) (\S+) (\S+) "
    r'(-|(?:\[(?:[^\]"\\]|\\.|"(?:[^"\\]|\\.)*")*\])+)(?: \ufeff?(.*))?',
    re.DOTALL,
)
# BSD syslog; modern rsyslog writes an RFC 3339 time in the same layout.
_RFC3164 = re.compile(
    rf"(?:<(\d{{1,3}})>)?(?:({_MONTHS}) +(\d{{1,2}}) (\d\d):(\d\d):(\d\d)"
    r"(?:\.(\d{1,9}))?(?: (\d{4}))?"
    r"|(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)))"
    r" ([\w.:-]+) ([^\s\[:]{1,64}?)(?: v?\d[\w.]{0,20})?(?:\[(\d{1,10})\])?: ?(.*)",
    re.DOTALL,
)
# Loghub's Linux sample and some BSDs log the program straight after the time.
_NO_HOST = re.compile(
    rf"(?:<(\d{{1,3}})>)?({_MONTHS}) +(\d{{1,2}}) (\d\d):(\d\d):(\d\d)"
    r" ([^\s\[:]{1,64}?)(?:\[(\d{1,10})\])?: (.*)",
    re.DOTALL,
)
_START = frozenset("<JFMASOND12")
# A "host" spelled as a level is an application line ("<time> ERROR pkg.Class: msg").
_LEVEL_WORDS = frozenset(
    [
        "TRACE",
        "DEBUG",
        "INFO",
        "NOTICE",
        "WARN",
        "WARNING",
        "ERROR",
        "ERR",
        "CRIT",
        "CRITICAL",
        "FATAL",
        "SEVERE",
        "PANIC",
        "ALERT",
        "EMERG",
    ]
)


def _severity(pri: str | None, message: str) -> ParsedLine:
    """Start a parsed line whose level comes from the PRI or, without one, from the text."""
    if pri is not None and int(pri) <= 191:
        return ParsedLine(
            format="syslog", message=message, level=level_from_syslog_severity(int(pri) % 8)
        )
    return ParsedLine(format="syslog", message=message, level=find_level(message))


def _rfc5424(match: re.Match[str], clock: Clock) -> ParsedLine:
    """Read the fields of an RFC 5424 line."""
    pri, stamp, host, app, procid, msgid, _, message = match.groups()
    parsed = _severity(pri, message or "")
    parsed.time = None if stamp == "-" else iso_time(stamp, clock.default_tz)
    for name, value in (("host", host), ("program", app), ("pid", procid), ("msgid", msgid)):
        if value != "-":
            parsed.attributes[name] = attribute(value)
    return parsed


def _rfc3164(match: re.Match[str], clock: Clock) -> ParsedLine:
    """Read the fields of a BSD syslog line."""
    pri, month, day, hour, minute, second, fraction, year, iso, host, program, pid, message = (
        match.groups()
    )
    parsed = _severity(pri, message)
    if iso is not None:
        parsed.time = iso_time(iso, clock.default_tz)
    else:
        month_index = month_number(month) or 1
        time_of_day = (int(hour), int(minute), int(second), fraction_micros(fraction))
        parsed.time = (
            utc_time(int(year), month_index, int(day), time_of_day, clock.default_tz)
            if year
            else yearless_time(month_index, int(day), time_of_day, clock.default_tz, clock.now)
        )
    parsed.attributes["host"] = attribute(host)
    parsed.attributes["program"] = attribute(program)
    if pid:
        parsed.attributes["pid"] = pid
    return parsed


def _without_host(match: re.Match[str], clock: Clock) -> ParsedLine:
    """Read a BSD syslog line that has no host field."""
    pri, month, day, hour, minute, second, program, pid, message = match.groups()
    parsed = _severity(pri, message)
    time_of_day = (int(hour), int(minute), int(second), 0)
    parsed.time = yearless_time(
        month_number(month) or 1, int(day), time_of_day, clock.default_tz, clock.now
    )
    parsed.attributes["program"] = attribute(program)
    if pid:
        parsed.attributes["pid"] = pid
    return parsed


class SyslogParser:
    """RFC 5424 (`<PRI>1 2024-... host app procid msgid [sd] msg`) and RFC 3164 lines."""

    name = "syslog"

    def parse(self, line: str, clock: Clock) -> ParsedLine | None:
        """Read a syslog line, or return None when the line is not one."""
        if not line or line[0] not in _START:
            return None
        if line[0] == "<" or line[0] == "1":
            match = _RFC5424.match(line)
            if match is not None:
                return _rfc5424(match, clock)
        match = _RFC3164.match(line)
        if match is not None:
            return None if match.group(10).upper() in _LEVEL_WORDS else _rfc3164(match, clock)
        match = _NO_HOST.match(line)
        return _without_host(match, clock) if match is not None else None
