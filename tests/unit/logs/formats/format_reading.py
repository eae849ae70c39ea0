"""Helpers shared by the format reader tests."""

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo

from faultmaven.domain.logs import LogEvent
from faultmaven.logs.formats import check_line_accounting, read_events
from faultmaven.logs.text import split_lines

NOW = datetime(2024, 6, 15, 12, 0, tzinfo=UTC)

Reader = Callable[..., list[LogEvent]]


def read_text(text: str, *, default_tz: tzinfo = UTC, now: datetime = NOW) -> list[LogEvent]:
    """Read `text` as a log, checking that every line lands in exactly one event."""
    lines = split_lines(text)
    events = list(read_events(lines, default_tz=default_tz, now=now))
    check_line_accounting(events, len(lines))
    return events
