"""Whether a log's timestamps say their zone, and which UTC offsets they state.

`2026-05-20T01:00:24+08:00` says its zone; `2026/11/18 04:12:33` (nginx's error log),
`Nov 18 04:12:23` (syslog) and `08-Jun-2026 10:14:12` (BIND) do not, and are read as UTC
unless the upload names a zone. Such a log written on a host that keeps local time sits
hours away from the case's other evidence; these facts let a reasoner notice.
"""

import re
from collections.abc import Sequence
from datetime import timedelta, timezone

from faultmaven.logs.formats import read_events

# Any offset will do: times that move with the default zone were read in it.
_PROBE = timezone(timedelta(hours=7))
# A clock time followed by its offset: `10:12:13-03:00`, `01:00:24.159+08:00`, `04:12:31 +0900`.
_STATED_OFFSET = re.compile(r"\d\d:\d\d:\d\d(?:[.,]\d+)?\s?([+-])(\d\d):?(\d\d)\b")
MIN_DATED = 3


def zone_free(lines: Sequence[str]) -> bool:
    """Tell whether most dated events of these lines carry no zone of their own."""
    as_utc = [event.time for event in read_events(lines)]
    as_probe = [event.time for event in read_events(lines, default_tz=_PROBE)]
    dated = [(a, b) for a, b in zip(as_utc, as_probe, strict=False) if a and b]
    moved = sum(1 for a, b in dated if a != b)
    return len(dated) >= MIN_DATED and moved * 2 > len(dated)


def stated_offsets(lines: Sequence[str]) -> set[timedelta]:
    """Return the UTC offsets other than zero that the lines' clock times state."""
    found: set[timedelta] = set()
    for line in lines:
        for sign, hours, minutes in _STATED_OFFSET.findall(line):
            offset = timedelta(hours=int(hours), minutes=int(minutes))
            if offset and int(hours) <= 14 and int(minutes) < 60:
                found.add(offset if sign == "+" else -offset)
    return found
