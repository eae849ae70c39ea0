"""Header layouts of the Loghub systems that no general pattern reads well.

HDFS (`081109 203615 148 INFO dfs.DataNode: msg`), BGL, HPC, Android logcat,
HealthApp (`20171223-22:15:29:606|Step_LSC|30002312|msg`) and OpenStack (`nova-api.log...
2017-05-16 00:00:00.008 25746 INFO nova.x [req-...] msg`).
"""

import re
from collections.abc import Callable

from faultmaven.domain.evidence import Level
from faultmaven.logs.formats._base import Clock, ParsedLine, attribute
from faultmaven.logs.severity import level_from_word
from faultmaven.logs.timestamps import (
    epoch_time,
    fraction_micros,
    iso_time,
    utc_time,
    yearless_time,
)

_LEVELS = r"(?:TRACE|DEBUG|INFO|NOTICE|WARNING|WARN|ERROR|SEVERE|FATAL|CRITICAL|FAILURE)(?!\w)"
_HDFS = re.compile(rf"(\d\d)(\d\d)(\d\d) (\d\d)(\d\d)(\d\d) (\d+) ({_LEVELS}) ([^\s:]+): ?(.*)")
_BGL = re.compile(
    r"(\S+) (\d{9,10}) \d{4}\.\d\d\.\d\d (\S+) \d{4}-\d\d-\d\d-\d\d\.\d\d\.\d\d\.\d+ \S+ "
    rf"(\w+) (\w+) ({_LEVELS})(?: (.*))?"
)
_HPC = re.compile(r"(\d+) (\S+) (\S+) (\S+) (\d{9,10}) (-?\d+) (.*)")
_ANDROID = re.compile(
    r"(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) +(\d+) +(\d+) ([VDIWEFA]) (.*?) ?: (.*)"
)
_HEALTHAPP = re.compile(
    r"(\d{4})(\d\d)(\d\d)-(\d{1,2}):(\d{1,2}):(\d{1,2}):(\d{1,3})\|([^|]*)\|(\d+)\|(.*)"
)
_OPENSTACK = re.compile(
    r"(\S+\.log\S*) (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (\d+) "
    rf"({_LEVELS}) (\S+) (?:\[([^\]]*)\] )?(.*)"
)
# A label of BGL's first column is an alert category: never read it as the level.
_LOGHUB_LEVELS = {"FAILURE": Level.ERROR}


def _level(word: str) -> Level | None:
    """Map a Loghub level column to a Level."""
    return _LOGHUB_LEVELS.get(word) or level_from_word(word)


def _hdfs(match: re.Match[str], clock: Clock) -> ParsedLine:
    year, month, day, hour, minute, second, pid, level, component, message = match.groups()
    return ParsedLine(
        format="loghub",
        message=message,
        time=utc_time(
            2000 + int(year),
            int(month),
            int(day),
            (int(hour), int(minute), int(second), 0),
            clock.default_tz,
        ),
        level=_level(level),
        attributes={"pid": pid, "component": attribute(component)},
    )


def _bgl(match: re.Match[str], clock: Clock) -> ParsedLine:
    _, epoch, node, kind, component, level, message = match.groups()
    return ParsedLine(
        format="loghub",
        message=message or "",
        time=epoch_time(int(epoch)),
        level=_level(level),
        attributes={"node": attribute(node), "type": kind, "component": component},
    )


def _hpc(match: re.Match[str], clock: Clock) -> ParsedLine:
    _, node, component, state, epoch, _, message = match.groups()
    return ParsedLine(
        format="loghub",
        message=message,
        time=epoch_time(int(epoch)),
        attributes={
            "node": attribute(node),
            "component": attribute(component),
            "state": attribute(state),
        },
    )


def _android(match: re.Match[str], clock: Clock) -> ParsedLine:
    month, day, hour, minute, second, millis, pid, tid, letter, component, message = match.groups()
    time_of_day = (int(hour), int(minute), int(second), fraction_micros(millis))
    return ParsedLine(
        format="loghub",
        message=message,
        time=yearless_time(int(month), int(day), time_of_day, clock.default_tz, clock.now),
        level=level_from_word(letter),
        attributes={"pid": pid, "tid": tid, "component": attribute(component)},
    )


def _healthapp(match: re.Match[str], clock: Clock) -> ParsedLine:
    year, month, day, hour, minute, second, millis, component, pid, message = match.groups()
    time_of_day = (int(hour), int(minute), int(second), int(millis) * 1000)
    return ParsedLine(
        format="loghub",
        message=message,
        time=utc_time(int(year), int(month), int(day), time_of_day, clock.default_tz),
        attributes={"component": attribute(component), "pid": pid},
    )


def _openstack(match: re.Match[str], clock: Clock) -> ParsedLine:
    source, stamp, pid, level, component, context, message = match.groups()
    attributes = {"source": attribute(source), "pid": pid, "component": attribute(component)}
    if context and context.startswith("req-"):
        attributes["request_id"] = attribute(context.split(" ", 1)[0])
    return ParsedLine(
        format="loghub",
        message=message,
        time=iso_time(stamp, clock.default_tz),
        level=_level(level),
        attributes=attributes,
    )


_Reader = Callable[[re.Match[str], Clock], ParsedLine]
_LAYOUTS: tuple[tuple[re.Pattern[str], _Reader], ...] = (
    (_HDFS, _hdfs),
    (_ANDROID, _android),
    (_HEALTHAPP, _healthapp),
    (_HPC, _hpc),
    (_BGL, _bgl),
    (_OPENSTACK, _openstack),
)


class LoghubParser:
    """The fixed header layouts of HDFS, BGL, HPC, Android, HealthApp and OpenStack logs."""

    name = "loghub"

    def __init__(self) -> None:
        self._last = 0

    def parse(self, line: str, clock: Clock) -> ParsedLine | None:
        """Read a line in one of these layouts, or return None; the last layout is tried first."""
        if len(line) < 12:
            return None
        last_pattern, last_reader = _LAYOUTS[self._last]
        match = last_pattern.match(line)
        if match is not None:
            return last_reader(match, clock)
        for index, (pattern, reader) in enumerate(_LAYOUTS):
            match = pattern.match(line)
            if match is not None:
                self._last = index
                return reader(match, clock)
        return None
