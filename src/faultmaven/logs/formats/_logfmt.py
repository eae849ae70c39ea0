"""logfmt: `ts=... level=... msg="..." key=value` lines (Go kit, logrus text, Heroku)."""

import re

from faultmaven.logs.formats._base import Clock, ParsedLine, attribute, text_time
from faultmaven.logs.severity import level_from_word

_PAIR = r'[A-Za-z_@][\w.@/-]*=(?:"(?:[^"\\]|\\.)*"|[^\s"]*)'
# Pairs separated by blanks, nothing else: plain prose with an `a=b` in it is not logfmt.
_LINE = re.compile(rf"{_PAIR}(?:[ \t]+{_PAIR})+[ \t]*")
_PAIRS = re.compile(r'([A-Za-z_@][\w.@/-]*)=(?:"((?:[^"\\]|\\.)*)"|([^\s"]*))')
_ESCAPE = re.compile(r"\\(.)")

_TIME_KEYS = ("ts", "time", "timestamp", "t", "@timestamp", "datetime", "date")
_LEVEL_KEYS = ("level", "lvl", "severity", "loglevel", "log.level")
_MESSAGE_KEYS = ("msg", "message", "event", "log")
_ATTRIBUTE_KEYS = {
    "service": "service", "app": "service", "component": "component", "logger": "logger",
    "caller": "caller", "host": "host", "hostname": "host", "pod": "pod",
    "namespace": "namespace", "container": "container", "pid": "pid", "module": "module",
    "status": "status", "method": "method", "path": "path", "err": "error", "error": "error",
}  # fmt: skip
_KNOWN = frozenset(_TIME_KEYS + _LEVEL_KEYS + _MESSAGE_KEYS)


def _unquote(text: str) -> str:
    """Undo the backslash escapes of a quoted logfmt value."""
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda match: "\n" if match.group(1) == "n" else match.group(1), text)


class LogfmtParser:
    """Lines made only of `key=value` pairs, with at least a time, level or message key."""

    name = "logfmt"

    def parse(self, line: str, clock: Clock) -> ParsedLine | None:
        """Read a logfmt line, or return None when the line is not only `key=value` pairs."""
        if not line or not (line[0].isalpha() or line[0] in "_@") or "=" not in line[:40]:
            return None
        if _LINE.fullmatch(line) is None:
            return None
        fields: dict[str, str] = {}
        for match in _PAIRS.finditer(line):
            key, quoted, bare = match.groups()
            fields.setdefault(key, _unquote(quoted) if quoted is not None else bare)
        if _KNOWN.isdisjoint(fields):
            return None
        parsed = ParsedLine(format="logfmt", message="")
        for key in _TIME_KEYS:
            if fields.get(key):
                value = fields.pop(key)
                parsed.time = text_time(value, clock)
                break
        for key in _LEVEL_KEYS:
            if fields.get(key):
                parsed.level = level_from_word(fields.pop(key))
                break
        for key in _MESSAGE_KEYS:
            if key in fields:
                parsed.message = fields.pop(key)
                break
        else:
            parsed.message = " ".join(f"{key}={value}" for key, value in fields.items())
        for key, name in _ATTRIBUTE_KEYS.items():
            if key in fields and name not in parsed.attributes:
                parsed.attributes[name] = attribute(fields[key])
        return parsed
