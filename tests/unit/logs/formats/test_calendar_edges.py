"""Stamps at the ends of the calendar never crash a reader; the event just has no time."""

import pytest

from faultmaven.logs.formats import read_events

EDGE_LINES = [
    "0001-01-01T00:00:00+01:00 ERROR boom",
    "0001-01-01 00:30:00 +0100 WARN early",
    "9999-12-31T23:59:59-01:00 ERROR late",
    '{"time": "0001-01-01T00:00:00+05:00", "level": "error", "msg": "json edge"}',
    '{"ts": 1e30, "level": "info", "msg": "huge epoch"}',
    "<34>1 0001-01-01T00:00:00+01:00 host app 1 - - syslog edge",
    '10.0.0.1 - - [01/Jan/0001:00:00:00 +0100] "GET / HTTP/1.1" 500 12 "-" "curl"',
    "time=9999-12-31T23:59:59-10:00 level=error msg=logfmt",
]


@pytest.mark.parametrize("line", EDGE_LINES)
def test_a_stamp_off_the_utc_calendar_leaves_the_event_without_a_time(line: str) -> None:
    events = list(read_events([line, "2024-05-01T10:00:00Z INFO fine"]))
    assert sum(event.line_end - event.line_start + 1 for event in events) == 2
    assert events[-1].time is not None
