"""ASP.NET Core's console logger: `fail: Grpc.AspNetCore.Server.ServerCallHandler[6]`.

Each entry opens with a four-letter level (`trce`, `dbug`, `info`, `warn`, `fail`, `crit`),
the logging category and the event id in brackets; the message and any exception follow
on lines indented by six spaces. A `TimestampFormat` puts a time before the level
(`2025-04-02 09:43:12 fail: ...`); without one the entries carry no time.
"""

import re

from faultmaven.domain.evidence import Level
from faultmaven.logs.formats._base import Clock, ParsedLine
from faultmaven.logs.formats._stamps import leading_stamp

_HEADER = re.compile(r"(trce|dbug|info|warn|fail|crit): ([\w.`+<>-]{1,200})\[(\d{1,10})\]\s*$")
_LEVELS = {
    "trce": Level.TRACE,
    "dbug": Level.DEBUG,
    "info": Level.INFO,
    "warn": Level.WARN,
    "fail": Level.ERROR,
    "crit": Level.FATAL,
}


class DotnetConsoleParser:
    """The entry header .NET's `Microsoft.Extensions.Logging` console formatter writes."""

    name = "dotnet"

    def parse(self, line: str, clock: Clock) -> ParsedLine | None:
        """Read an entry's header line, or return None when the line is not one."""
        start, time = 0, None
        if line[:1].isdigit() or line[:1] == "[":
            stamp = leading_stamp(line, 0, clock)
            if stamp is None:
                return None
            time, start = stamp[0], stamp[1] + 1
        match = _HEADER.match(line, start)
        if match is None:
            return None
        level, category, event = match.groups()
        return ParsedLine(
            format="dotnet",
            message=f"{category}[{event}]",
            time=time,
            level=_LEVELS[level],
            attributes={"logger": category, "event_id": event},
            message_follows=True,
        )
