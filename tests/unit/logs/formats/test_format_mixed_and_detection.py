import json
from datetime import UTC, datetime

import pytest
from format_reading import Reader

import faultmaven.logs.formats as formats
from faultmaven.domain.evidence import Level
from faultmaven.logs.formats import (
    FormatDetector,
    LineAccountingError,
    check_line_accounting,
    read_events,
)


def test_mixed_file_reads_each_line_in_its_own_format(read: Reader) -> None:
    events = read(
        "\n".join(
            [
                '{"time":"2024-03-01T12:00:00Z","level":"info","msg":"json line"}',
                "Mar  1 12:00:01 web01 nginx[1]: syslog line",
                "ts=2024-03-01T12:00:02Z level=warn msg=logfmt",
                '10.0.0.1 - - [01/Mar/2024:12:00:03 +0000] "GET / HTTP/1.1" 500 1',
                "2024-03-01 12:00:04,000 ERROR [main] App - generic line",
                "just some words",
            ]
        )
    )
    assert [event.format for event in events] == [
        "json", "syslog", "logfmt", "access", "generic", "plain",
    ]  # fmt: skip
    assert [event.level for event in events] == [
        Level.INFO, None, Level.WARN, Level.ERROR, Level.ERROR, None,
    ]  # fmt: skip


def test_a_format_first_seen_after_the_sample_is_still_read() -> None:
    lines = [
        f"2024-03-01 12:00:{index % 60:02d} INFO [main] App - tick {index}" for index in range(300)
    ]
    lines.append('{"time":"2024-03-01T13:00:00Z","level":"error","msg":"late json"}')
    events = list(read_events(lines))
    assert events[-1].format == "json"
    assert events[-1].level is Level.ERROR
    check_line_accounting(events, len(lines))


def test_detector_ranks_the_specific_layout_before_generic() -> None:
    sample = [f"Mar  1 12:00:{second:02d} web01 app[1]: message {second}" for second in range(20)]
    assert FormatDetector().detect(sample) == "syslog"
    ranked = [parser.name for parser in FormatDetector().rank(sample)]
    assert ranked.index("syslog") < ranked.index("generic")


def test_detector_names_plain_text_plain() -> None:
    assert FormatDetector().detect(["hello", "world"]) == "plain"


def test_reader_is_lazy_and_streams() -> None:
    def endless() -> object:
        index = 0
        while True:
            index += 1
            yield json.dumps({"time": "2024-03-01T12:00:00Z", "level": "info", "msg": index})

    events = read_events(endless())  # type: ignore[arg-type]
    first = next(iter(events))
    assert first.line_start == 1
    assert first.message == "1"


def test_empty_input_gives_no_events() -> None:
    assert list(read_events([])) == []
    check_line_accounting([], 0)


def test_line_accounting_check_reports_gaps_and_overlaps(read: Reader) -> None:
    events = read("2024-03-01 12:00:00 INFO a\n2024-03-01 12:00:01 INFO b")
    check_line_accounting(events, 2)
    with pytest.raises(LineAccountingError):
        check_line_accounting(events[1:], 2)
    with pytest.raises(LineAccountingError):
        check_line_accounting(events + events[1:], 2)
    with pytest.raises(LineAccountingError):
        check_line_accounting(events, 3)


def test_times_are_aware_utc(read: Reader) -> None:
    events = read(
        "2024-03-01T12:00:00+05:30 INFO a\nMar  1 12:00:00 h p: b\n"
        '{"time":"2024-03-01T12:00:00","msg":"c"}',
        now=datetime(2024, 6, 1, tzinfo=UTC),
    )
    assert all(event.time is not None and event.time.utcoffset() is not None for event in events)
    assert events[0].time == datetime(2024, 3, 1, 6, 30, tzinfo=UTC)


def test_public_names_are_exported() -> None:
    assert sorted(formats.__all__) == sorted(
        [
            "MAX_EVENT_LINES", "PARSER_FACTORIES", "Clock", "EventFields", "EventReader",
            "FormatDetector",
            "FormatParser", "LineAccountingError", "ParsedLine", "check_line_accounting",
            "default_parsers", "read_events",
        ]
    )  # fmt: skip
    for name in formats.__all__:
        assert getattr(formats, name) is not None


def test_every_registered_parser_declines_a_blank_line_quietly() -> None:
    from faultmaven.logs.formats import Clock, default_parsers

    for parser in default_parsers():
        assert parser.parse("", Clock()) is None
        assert parser.parse("x", Clock()) is None
