from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from faultmaven.logs.formats import check_line_accounting, read_events
from faultmaven.logs.text import split_lines

_FRAGMENTS = st.sampled_from(
    [
        "2024-03-01 12:00:00,123 ", "Mar  1 12:00:00 ", "<34>1 ", '{"log":"', "ts=",
        '"stream":"stdout"', '{"time":"2024-03-01T12:00:00Z","level":"error","msg":"x"}',
        "2024-03-01T12:00:00Z stdout P ", "2024-03-01T12:00:00Z stderr F ",
        "\tat com.x.Y(Y.java:1)", "Traceback (most recent call last):", '  File "x.py", line 1',
        "ValueError: x", "panic: boom", "goroutine 1 [running]:", "main.main()", "Caused by: x",
        "level=info msg=", "[", "]", "ERROR", " - ", ": ", "\n", "\r", " ", "{", "}", '"', "\\",
        "E0101 12:00:00.123456 1 a.go:1] ", '10.0.0.1 - - [01/Mar/2024:12:00:00 +0000] "',
        "081109 203615 148 INFO a: ", "2024/03/01 12:00:00 [error] 1#1: ", "12:00:00 ", "\ufffd",
    ]
)  # fmt: skip
_LOGGY_LINE = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600))
def test_read_events_never_raises_nor_loses_a_line_of_arbitrary_text(text: str) -> None:
    lines = split_lines(text)
    events = list(read_events(lines, now=datetime(2024, 1, 1, tzinfo=UTC)))
    check_line_accounting(events, len(lines))
    for event in events:
        assert event.time is None or event.time.utcoffset() is not None


@settings(max_examples=300, deadline=None)
@given(st.lists(_LOGGY_LINE, max_size=40), st.integers(min_value=1, max_value=6))
def test_read_events_covers_every_line_of_log_like_lists_exactly_once(
    lines: list[str], cap: int
) -> None:
    events = list(read_events(lines, max_event_lines=cap))
    check_line_accounting(events, len(lines))
    assert all(event.line_end - event.line_start < cap for event in events)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=30))
def test_read_events_accepts_any_list_of_strings(lines: list[str]) -> None:
    check_line_accounting(read_events(lines), len(lines))


def test_a_ten_thousand_character_line_is_one_event() -> None:
    line = "2024-03-01 12:00:00 ERROR " + "x" * 10_000
    (event,) = read_events([line, "{" * 10_000, "[" * 10_000 + "]"][:1])
    assert event.message == "x" * 10_000
    events = list(read_events(["{" * 10_000, "[" * 10_000, '{"a":' * 3_000 + "1" + "}" * 3_000]))
    check_line_accounting(events, 3)
