"""The reader's promise about lines: every physical line belongs to exactly one event."""

from collections.abc import Iterable

from faultmaven.domain.logs import LogEvent


class LineAccountingError(ValueError):
    """Events that leave a line out, count one twice, or run out of order."""


def check_line_accounting(events: Iterable[LogEvent], line_count: int) -> int:
    """Check that `events` cover lines 1..`line_count` in order, without gap or overlap.

    Returns the number of events; raises LineAccountingError at the first violation.
    """
    expected = 1
    count = 0
    for event in events:
        if event.line_start != expected or event.line_end < event.line_start:
            raise LineAccountingError(
                f"event {count + 1} spans {event.line_start}..{event.line_end}, "
                f"expected it to start at line {expected}"
            )
        expected = event.line_end + 1
        count += 1
    if expected != line_count + 1:
        raise LineAccountingError(f"events end at line {expected - 1}, the log has {line_count}")
    return count
