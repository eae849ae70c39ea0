r"""Split log lines into header fields and message content with a Loghub `log_format` string.

A log format names the header fields in angle brackets, e.g.
`<Date> <Time> <Pid> <Level> <Component>: <Content>`; the text between them is a regular
expression (`\[` for a literal bracket, `(\[<PID>\])?` for an optional part) in which runs of
spaces match any run of whitespace. This is the layout the Loghub benchmark uses to take the
header off each line before template mining.
"""

import re
from dataclasses import dataclass

_FIELD = re.compile(r"(<[^<>]+>)")
_SPACES = re.compile(r" +")
CONTENT = "Content"


def compile_log_format(log_format: str) -> re.Pattern[str]:
    """Compile a Loghub log format into an anchored regex with one named group per field.

    Every field matches lazily (`(?P<Name>.*?)`) except `Content`, which takes the rest of
    the line. Raises `ValueError` when the format has no `<Content>` field or a field name
    is not a valid group name.
    """
    parts = _FIELD.split(log_format)
    pattern = []
    names = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            pattern.append(_SPACES.sub(r"\\s+", part))
            continue
        name = part[1:-1]
        if not name.isidentifier():
            raise ValueError(f"log format field {part!r} is not a valid name")
        names.append(name)
        pattern.append(f"(?P<{name}>.*)" if name == CONTENT else f"(?P<{name}>.*?)")
    if CONTENT not in names:
        raise ValueError(f"log format {log_format!r} has no <{CONTENT}> field")
    return re.compile("^" + "".join(pattern) + "$")


@dataclass(frozen=True, slots=True)
class HeaderFormat:
    """A compiled Loghub log format: splits a line into its header fields and its content."""

    log_format: str
    regex: re.Pattern[str]

    @classmethod
    def parse(cls, log_format: str) -> "HeaderFormat":
        """Compile `log_format` (see `compile_log_format`)."""
        return cls(log_format, compile_log_format(log_format))

    def split(self, line: str) -> tuple[dict[str, str], str] | None:
        r"""Return the line's header fields and its content, or None when it does not match.

        An optional field that is absent from the line (`(\[<PID>\])?`) is an empty string.
        """
        match = self.regex.match(line.strip())
        if match is None:
            return None
        fields = {name: value or "" for name, value in match.groupdict().items() if name != CONTENT}
        return fields, match.group(CONTENT)

    def content(self, line: str) -> str:
        """Return the line's content, or the whole line (stripped) when it does not match."""
        stripped = line.strip()
        match = self.regex.match(stripped)
        return stripped if match is None else match.group(CONTENT)


def split_header(log_format: str, line: str) -> tuple[dict[str, str], str] | None:
    """Split one line with a log format; see `HeaderFormat.split` (compile once for many lines)."""
    return HeaderFormat.parse(log_format).split(line)
