"""What every format parser shares: the parsed header of one line and the parser protocol."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Protocol

from faultmaven.domain.evidence import Level
from faultmaven.logs.timestamps import epoch_time, iso_time

# Attribute values are header fields, not payloads: longer values are cut.
MAX_ATTRIBUTE_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Clock:
    """How to read incomplete timestamps: the zone of zone-less ones, `now` for year-less ones."""

    default_tz: tzinfo = UTC
    now: datetime | None = None


@dataclass(slots=True)
class ParsedLine:
    """What a parser read from one physical line that starts an event.

    `wrapped` marks a container runtime's record (CRI, Docker) whose `message` is the
    application's own output, to be read again for its level and message; `partial`
    marks a record the runtime split, to be joined with the next one of the stream.
    `message_follows` marks a header whose message is on the lines it opens (.NET's
    console logger): the event's message is those lines, the header's text a label.
    """

    format: str
    message: str
    time: datetime | None = None
    level: Level | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    wrapped: bool = False
    partial: bool = False
    message_follows: bool = False


class FormatParser(Protocol):
    """A reader of one log layout (or one family of layouts sharing a first pattern).

    `parse` returns None, quickly, for a line that is not in its layout, and never raises.
    """

    name: str

    def parse(self, line: str, clock: Clock) -> ParsedLine | None:
        """Read the header of `line`, or return None when the line is not in this layout."""
        ...


def attribute(value: object) -> str:
    """Render a header field's value as a short attribute string."""
    text = value if isinstance(value, str) else str(value)
    return text[:MAX_ATTRIBUTE_LENGTH]


_EPOCH = re.compile(r"\d{9,19}(?:\.\d{1,9})?", re.ASCII)


def text_time(value: str, clock: Clock) -> datetime | None:
    """Read a time written as text: epoch digits (s, ms, us or ns) or ISO 8601."""
    if _EPOCH.fullmatch(value):
        return epoch_time(float(value) if "." in value else int(value))
    return iso_time(value, clock.default_tz)
