"""Web servers: nginx/Apache access logs (common, combined) and their error logs."""

import re

from faultmaven.domain.evidence import Level
from faultmaven.logs.formats._base import Clock, ParsedLine, attribute
from faultmaven.logs.severity import level_from_word
from faultmaven.logs.timestamps import fraction_micros, month_number, utc_time, zone_of

_ACCESS = re.compile(
    r"(\S+) \S+ (\S+) \[(\d{2})/(\w{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?: ([+-]\d{4}))?\] "
    r'"((?:[^"\\]|\\.)*)" (\d{3}) (\S+)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?',
    re.DOTALL,
)
_NGINX_ERROR = re.compile(
    r"(\d{4})/(\d{2})/(\d{2}) (\d{2}):(\d{2}):(\d{2}) \[(\w+)\] (\d+)#(\d+): (?:\*(\d+) )?(.*)",
    re.DOTALL,
)
_APACHE_ERROR = re.compile(
    r"\[(?:\w{3} )?(\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? (\d{4})\] "
    r"\[(?:([\w-]*):)?(\w+)\](?: \[pid (\d+)(?::tid (\d+))?\])?"
    r"(?: \[client ([^\]]{1,80})\])? ?(.*)",
    re.DOTALL,
)
_NGINX_CLIENT = re.compile(r", client: ([^,]{1,80})(?:, server: ([^,]{0,200}))?")


def _status_level(status: str) -> Level:
    """Map an HTTP status to the severity of its access-log line."""
    if status[0] == "5":
        return Level.ERROR
    if status[0] == "4":
        return Level.WARN
    return Level.INFO


class AccessLogParser:
    """nginx and Apache access logs in the common or combined layout."""

    name = "access"

    def parse(self, line: str, clock: Clock) -> ParsedLine | None:
        """Read an access-log line, or return None when the line is not one."""
        if " [" not in line[:80]:
            return None
        match = _ACCESS.match(line)
        if match is None:
            return None
        client, user, day, month, year, hour, minute, second, zone, request = match.groups()[:10]
        status, _, _, agent = match.groups()[10:]
        month_index = month_number(month)
        time = None
        if month_index is not None:
            time = utc_time(
                int(year),
                month_index,
                int(day),
                (int(hour), int(minute), int(second), 0),
                zone_of(zone, clock.default_tz),
            )
        parts = request.split(" ")
        attributes = {"client": attribute(client), "status": status}
        if len(parts) >= 2:
            attributes["method"] = attribute(parts[0])
            attributes["path"] = attribute(parts[1])
        if user != "-":
            attributes["user"] = attribute(user)
        if agent:
            attributes["user_agent"] = attribute(agent)
        return ParsedLine(
            format="access",
            message=line[match.start(10) - 1 :],
            time=time,
            level=_status_level(status),
            attributes=attributes,
        )


def _nginx_error(match: re.Match[str], clock: Clock) -> ParsedLine:
    """Read an nginx error-log line."""
    year, month, day, hour, minute, second, level, pid, tid, connection, message = match.groups()
    time_of_day = (int(hour), int(minute), int(second), 0)
    attributes = {"program": "nginx", "pid": pid, "tid": tid}
    if connection:
        attributes["connection"] = connection
    client = _NGINX_CLIENT.search(message)
    if client is not None:
        attributes["client"] = attribute(client.group(1))
        if client.group(2):
            attributes["server"] = attribute(client.group(2))
    return ParsedLine(
        format="nginx_error",
        message=message,
        time=utc_time(int(year), int(month), int(day), time_of_day, clock.default_tz),
        level=level_from_word(level),
        attributes=attributes,
    )


def _apache_error(match: re.Match[str], clock: Clock) -> ParsedLine:
    """Read an Apache error-log line (2.2 `[notice]` or 2.4 `[core:error] [pid 1:tid 2]`)."""
    month, day, hour, minute, second, fraction, year, module, level, pid, tid, client, message = (
        match.groups()
    )
    time_of_day = (int(hour), int(minute), int(second), fraction_micros(fraction))
    month_index = month_number(month)
    attributes = {"program": "apache"}
    for name, value in (("module", module), ("pid", pid), ("tid", tid), ("client", client)):
        if value:
            attributes[name] = attribute(value)
    return ParsedLine(
        format="apache_error",
        message=message,
        time=(
            utc_time(int(year), month_index, int(day), time_of_day, clock.default_tz)
            if month_index is not None
            else None
        ),
        level=level_from_word(level),
        attributes=attributes,
    )


class ErrorLogParser:
    """nginx (`2024/01/01 12:00:00 [error] 12#0: *3 msg`) and Apache (`[Wed Oct 11 ...]`) errors."""

    name = "web_error"

    def parse(self, line: str, clock: Clock) -> ParsedLine | None:
        """Read a web server's error-log line, or return None when the line is not one."""
        if line.startswith("["):
            match = _APACHE_ERROR.match(line)
            return _apache_error(match, clock) if match is not None else None
        if line[:1].isdigit() and line[4:5] == "/":
            match = _NGINX_ERROR.match(line)
            return _nginx_error(match, clock) if match is not None else None
        return None
