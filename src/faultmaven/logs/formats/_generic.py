"""Lines that open with a timestamp, then level, pid, [thread] and component fields in any order.

Covers log4j/logback, Python logging, Go's log package, glog, Spring Boot, PostgreSQL,
MySQL, Kafka, Zookeeper, Spark, loguru and most home-grown layouts; `plain` takes the rest.
"""

import re
from functools import lru_cache

from faultmaven.domain.evidence import Level
from faultmaven.logs.formats._base import Clock, ParsedLine, attribute
from faultmaven.logs.formats._stamps import ISO_STAMP_PATTERN, iso_text_time, leading_stamp
from faultmaven.logs.severity import find_level, level_from_word
from faultmaven.logs.timestamps import fraction_micros, yearless_time

_GLOG = re.compile(
    r"([IWEF])(\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{1,9}) +(\d+) ([^\s\]]{1,200})\] ?(.*)",
    re.DOTALL,
)
_SEPARATOR = re.compile(r"[\s,|]*(?:-+(?=\s)[\s|]*)?")
_WORD = re.compile(r"([A-Za-z]{3,13})(:?)(?=[\s\]|,]|$)")
_NUMBER = re.compile(r"(\d{1,10})(?=\s)")
_COMPONENT = re.compile(r"([^\s\[\]\"'=]{1,160})(?:\s*: |\s+- |:$)")
_MAX_FIELDS = 8
_MAX_LAYOUTS = 8
# The same fields as `_Header.field` reads, as patterns, to read a file's usual layout in
# one match once the field-by-field reader has seen it.
_SEPARATOR_PATTERN = r"[\s,|]*(?:-+(?=\s)[\s|]*)?"
_FIELD_PATTERNS = {
    "level": r"([A-Za-z]{3,13}:?)(?=[\s\]|,]|$)",
    "bracket": r"\[([^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*)\]",
    "number": r"(\d{1,10})(?=\s)",
    "component": r"([^\s\[\]\"'=]{1,160})(?:\s*: |\s+- |:$)",
}
_MAX_BRACKET = 300


def _header_level(word: str, colon: str) -> Level | None:
    """Read a level word of a header: upper or title case, or any case before a colon."""
    if not (colon or word.isupper() or word.istitle()) or (word.lower() == "log" and not colon):
        return None
    return level_from_word(word)


def _bracket_end(line: str, start: int) -> int:
    """Return the index after the `]` closing the bracket at `start` (nesting counted), or -1."""
    depth = 0
    for index in range(start, min(len(line), start + _MAX_BRACKET)):
        character = line[index]
        if character == "[":
            depth += 1
        elif character == "]":
            depth -= 1
            if depth == 0:
                return index + 1
    return -1


class _Header:
    """The fields of a header as they are read, left to right."""

    __slots__ = ("attributes", "component_seen", "kinds", "last", "level")

    def __init__(self) -> None:
        self.level: Level | None = None
        self.attributes: dict[str, str] = {}
        self.component_seen = False
        self.last = "time"
        self.kinds: list[str] = []

    def bracket(self, content: str) -> None:
        """Keep a bracketed field: a level, a pid or the thread/context."""
        level = level_from_word(content) if content.isalpha() else None
        if level is not None and self.level is None:
            self.level = level
        elif content.isdigit():
            self.attributes.setdefault("pid", content)
        elif content.strip():
            self.attributes.setdefault("thread", attribute(content.strip()))
        self.last = "bracket"

    def field(self, line: str, position: int) -> int:
        """Read one header field at `position`; return the position after it, or -1."""
        if line.startswith("[", position):
            end = _bracket_end(line, position)
            if end > 0:
                self.bracket(line[position + 1 : end - 1])
                self.kinds.append("bracket")
            return end
        if self.level is None:
            word = _WORD.match(line, position)
            if word is not None:
                level = _header_level(word.group(1), word.group(2))
                if level is not None:
                    self.level, self.last = level, "level"
                    self.kinds.append("level")
                    return word.end()
        number = _NUMBER.match(line, position)
        if number is not None:
            self.attributes.setdefault("pid", number.group(1))
            self.last = "number"
            self.kinds.append("number")
            return number.end()
        if not self.component_seen:
            component = _COMPONENT.match(line, position)
            if component is not None:
                self.component_seen, self.last = True, "component"
                self.attributes["logger"] = attribute(component.group(1))
                self.kinds.append("component")
                return component.end()
        return -1


def _read_header(line: str, position: int) -> tuple[_Header, int]:
    """Read header fields after the timestamp; return them and where the message starts."""
    header = _Header()
    for _ in range(_MAX_FIELDS):
        separated = _SEPARATOR.match(line, position)
        after = separated.end() if separated is not None else position
        if header.last == "bracket" and "-" in line[position:after]:
            return header, after
        if header.last == "component" and header.level is not None:
            return header, position
        end = header.field(line, after)
        if end < 0:
            return header, after
        position = end
    return header, position


def _glog(match: re.Match[str], clock: Clock) -> ParsedLine:
    """Read a glog/klog line: `E0101 12:00:00.123456 1234 file.go:12] msg`."""
    letter, month, day, hour, minute, second, fraction, thread, source, message = match.groups()
    time_of_day = (int(hour), int(minute), int(second), fraction_micros(fraction))
    return ParsedLine(
        format="generic",
        message=message,
        time=yearless_time(int(month), int(day), time_of_day, clock.default_tz, clock.now),
        level=level_from_word(letter),
        attributes={"pid": thread, "source": attribute(source)},
    )


class GenericParser:
    """Any line that opens with a recognisable timestamp (or a glog header)."""

    name = "generic"

    def __init__(self) -> None:
        # Each known layout: its field kinds, its pattern, and the same pattern after an ISO
        # stamp, which reads most lines of a file in one match (`_read_stamped`).
        self._layouts: list[tuple[tuple[str, ...], re.Pattern[str], re.Pattern[str]]] = []

    def _header(self, line: str, position: int) -> tuple[Level | None, dict[str, str], int]:
        """Read the header after the timestamp: with a known layout, else field by field."""
        for kinds, pattern, _ in self._layouts:
            match = pattern.match(line, position)
            if match is not None and not line.startswith("[", match.end()):
                fields = _apply_layout(kinds, match.groups())
                if fields is not None:
                    return fields[0], dict(fields[1]), match.end()
        header, start = _read_header(line, position)
        kinds = tuple(header.kinds)
        if kinds and all(known != kinds for known, _, _ in self._layouts):
            ends_with_separator = not (kinds[-1] == "component" and header.level is not None)
            body = layout_body(kinds, ends_with_separator)
            stamped = re.compile(f"((?>{ISO_STAMP_PATTERN})){body}")
            self._layouts.insert(0, (kinds, re.compile(body), stamped))
            del self._layouts[_MAX_LAYOUTS:]
        return header.level, header.attributes, start

    def _read_stamped(self, line: str, clock: Clock) -> ParsedLine | None:
        """Read a line of a known layout after an ISO stamp in one match, else None.

        The stamp's group is atomic, so each match reads the stamp `leading_stamp` reads and
        then tries the layout where `_header` would: the layouts are tried in the same order
        and the first that reads the line gives the same fields. Any other line (None) is
        read the long way.
        """
        for kinds, _, stamped in self._layouts:
            match = stamped.match(line)
            if match is None or line.startswith("[", match.end()):
                continue
            groups = match.groups()  # the stamp, its zone, the layout's fields
            fields = _apply_layout(kinds, groups[2:])
            if fields is None:
                continue
            time = iso_text_time(groups[0], groups[1] is not None, clock)
            if time is False:
                return None
            level, attributes = fields
            message = line[match.end() :].lstrip()
            if level is None:
                level = find_level(message[:200])
            return ParsedLine("generic", message, time, level, dict(attributes))
        return None

    def parse(self, line: str, clock: Clock) -> ParsedLine | None:
        """Read a timestamped line's header, or return None when it opens with no timestamp."""
        if len(line) < 8:
            return None
        first = line[0]
        if first.isdigit():
            parsed = self._read_stamped(line, clock)
            if parsed is not None:
                return parsed
        elif first in "IWEF" and line[1].isdigit():
            glog = _GLOG.match(line)
            if glog is not None:
                return _glog(glog, clock)
        stamp = leading_stamp(line, 0, clock)
        if stamp is None:
            return None
        time, position = stamp
        level, attributes, start = self._header(line, position)
        message = line[start:].lstrip()
        if level is None:
            level = find_level(message[:200])
        return ParsedLine(
            format="generic", message=message, time=time, level=level, attributes=attributes
        )


class PlainParser:
    """The last resort: any line, as it is, with the level its words declare."""

    name = "plain"

    def parse(self, line: str, clock: Clock) -> ParsedLine:
        """Read any line as a plain message."""
        return ParsedLine(format="plain", message=line, level=find_level(line[:500]))


def layout_body(kinds: tuple[str, ...], ends_with_separator: bool) -> str:
    """Return the pattern of the header layout `kinds` (as `_Header` recorded it)."""
    body = _SEPARATOR_PATTERN + _SEPARATOR_PATTERN.join(_FIELD_PATTERNS[kind] for kind in kinds)
    return body + (_SEPARATOR_PATTERN if ends_with_separator else "")


@lru_cache(maxsize=4096)  # a file's headers repeat the same few levels, threads and loggers
def _apply_layout(
    kinds: tuple[str, ...], values: tuple[str, ...]
) -> tuple[Level | None, tuple[tuple[str, str], ...]] | None:
    """Read the fields of a layout match; None when its level field is no level word."""
    level: Level | None = None
    attributes: dict[str, str] = {}
    for kind, value in zip(kinds, values, strict=True):
        if kind == "level":
            colon = value[-1] == ":"
            level = _header_level(value[:-1] if colon else value, ":" if colon else "")
            if level is None:
                return None
        elif kind == "bracket":
            if value.isdigit():
                attributes.setdefault("pid", value)
            elif level is None and value.isalpha() and level_from_word(value) is not None:
                level = level_from_word(value)
            elif value.strip():
                attributes.setdefault("thread", attribute(value.strip()))
        elif kind == "number":
            attributes.setdefault("pid", value)
        elif _header_level(value, ":") is not None:
            return None  # `ERROR:` is a level, not a component
        else:
            attributes["logger"] = attribute(value)
    return level, tuple(attributes.items())
