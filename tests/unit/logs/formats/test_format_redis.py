from datetime import UTC, datetime

from format_reading import Reader

from faultmaven.domain.evidence import Level

REDIS_LOG = """\
27507:C 25 Nov 2026 19:33:22.076 # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo
27507:M 25 Nov 2026 19:33:22.086 * Ready to accept connections
27507:M 25 Nov 2026 19:34:01.412 - Accepted 127.0.0.1:50412
27507:signal-handler (1795635216) Received SIGTERM scheduling shutdown...
27507:M 25 Nov 2026 19:33:36.790 # Redis is now ready to exit, bye bye..."""


def test_redis_lines_give_time_level_role_and_message(read: Reader) -> None:
    events = read(REDIS_LOG)
    assert [event.format for event in events] == ["redis"] * 5
    assert events[1].time == datetime(2026, 11, 25, 19, 33, 22, 86000, tzinfo=UTC)
    assert [event.level for event in events] == [
        Level.WARN,
        Level.INFO,
        Level.DEBUG,
        Level.WARN,
        Level.WARN,
    ]
    assert events[1].message == "Ready to accept connections"
    assert events[1].attributes == {"pid": "27507", "role": "master"}
    assert events[0].attributes["role"] == "child"


def test_signal_handler_line_takes_its_epoch_seconds(read: Reader) -> None:
    signal = read(REDIS_LOG)[3]
    assert signal.message == "Received SIGTERM scheduling shutdown..."
    assert signal.time == datetime.fromtimestamp(1795635216, tz=UTC)
    assert signal.attributes["role"] == "signal-handler"


def test_lines_that_only_start_with_digits_are_not_redis(read: Reader) -> None:
    (event,) = read("1234: not a redis line at all")
    assert event.format != "redis"
