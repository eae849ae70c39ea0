"""Redis server logs: `27507:M 25 Nov 2026 19:33:22.086 * Ready to accept connections`.

The header is the pid, the role (`M` master, `S` replica, `C` child, `X` sentinel), a
day-month-year time and a level mark: `.` debug, `-` verbose, `*` notice, `#` warning.
Redis writes signal-handler lines without a time (`27507:signal-handler (1795635216)
Received SIGTERM...`); they carry the handler's epoch seconds in brackets instead.
"""

import re

from faultmaven.domain.evidence import Level
from faultmaven.logs.formats._base import Clock, ParsedLine
from faultmaven.logs.timestamps import TimeOfDay, epoch_time, month_number, utc_time

_LINE = re.compile(
    r"(\d{1,10}):([MSCX]) (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d)\.(\d{3}) "
    r"([.\-*#]) (.*)",
    re.DOTALL,
)
_SIGNAL = re.compile(r"(\d{1,10}):signal-handler \((\d{9,11})\) (.*)", re.DOTALL)
_LEVELS = {".": Level.DEBUG, "-": Level.DEBUG, "*": Level.INFO, "#": Level.WARN}
_ROLES = {"M": "master", "S": "replica", "C": "child", "X": "sentinel"}


class RedisParser:
    """The layout redis-server (and sentinel) writes to its log file or stdout."""

    name = "redis"

    def parse(self, line: str, clock: Clock) -> ParsedLine | None:
        """Read a Redis log line, or return None when the line is not one."""
        if not line[:1].isdigit() or ":" not in line[:11]:
            return None
        match = _LINE.match(line)
        if match is None:
            return self._signal_line(line)
        pid, role, day, month, year, hour, minute, second, millis, mark, message = match.groups()
        number = month_number(month)
        if number is None:
            return None
        clock_time: TimeOfDay = (int(hour), int(minute), int(second), int(millis) * 1000)
        return ParsedLine(
            format="redis",
            message=message,
            time=utc_time(int(year), number, int(day), clock_time, clock.default_tz),
            level=_LEVELS[mark],
            attributes={"pid": pid, "role": _ROLES[role]},
        )

    def _signal_line(self, line: str) -> ParsedLine | None:
        match = _SIGNAL.match(line)
        if match is None:
            return None
        pid, seconds, message = match.groups()
        return ParsedLine(
            format="redis",
            message=message,
            time=epoch_time(int(seconds)),
            level=Level.WARN,
            attributes={"pid": pid, "role": "signal-handler"},
        )
