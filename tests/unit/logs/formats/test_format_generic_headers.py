from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from format_reading import Reader
from hypothesis import given, settings
from hypothesis import strategies as st

from faultmaven.domain.evidence import Level
from faultmaven.logs.formats import Clock
from faultmaven.logs.formats._generic import GenericParser

T = datetime(2024, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "level", "message", "attributes"),
    [
        (
            "2024-03-01 12:00:00,123 ERROR [main] com.shop.OrderService - order failed",
            Level.ERROR, "order failed", {"thread": "main", "logger": "com.shop.OrderService"},
        ),
        (
            "2024-03-01 12:00:00,123 - app.db - WARNING - slow query took 3s",
            Level.WARN, "slow query took 3s", {"logger": "app.db"},
        ),
        (
            "2024-03-01 12:00:00.123  INFO 4242 --- [           main] o.s.b.w.e.TomcatWebServer"
            "  : Tomcat started on port(s): 8080 (http)",
            Level.INFO, "Tomcat started on port(s): 8080 (http)",
            {"pid": "4242", "thread": "main", "logger": "o.s.b.w.e.TomcatWebServer"},
        ),
        (
            "2024-03-01 12:00:00.123 UTC [4242] ERROR:  deadlock detected",
            Level.ERROR, "deadlock detected", {"pid": "4242"},
        ),
        (
            "2024-03-01T12:00:00.123Z 0 [Warning] [MY-010055] [Server] IP address not resolved",
            Level.WARN, "IP address not resolved", {"pid": "0", "thread": "MY-010055"},
        ),
        (
            "[2024-03-01 12:00:00,123] INFO [Controller id=1] Processing replica election",
            Level.INFO, "Processing replica election", {"thread": "Controller id=1"},
        ),
        (
            "2024-03-01 12:00:00.123 | ERROR    | __main__:main:12 - loguru failure",
            Level.ERROR, "loguru failure", {"logger": "__main__:main:12"},
        ),
        (
            "2024-03-01 12:00:00,123 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:"
            "FastLeaderElection@774] - Notification time out: 3200",
            Level.INFO, "Notification time out: 3200",
            {"thread": "QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774"},
        ),
    ],
)  # fmt: skip
def test_common_application_headers_are_split_from_the_message(
    read: Reader, line: str, level: Level, message: str, attributes: dict[str, str]
) -> None:
    (event,) = read(line)
    assert event.format == "generic"
    assert event.time == T
    assert event.level is level
    assert event.message == message
    assert dict(event.attributes) == attributes


def test_go_log_package_line_without_level(read: Reader) -> None:
    plain, short_file = read(
        "2024/03/01 12:00:00 listening on :8080\n2024/03/01 12:00:01 main.go:42: dial failed"
    )
    assert (plain.time, plain.level, plain.message) == (
        datetime(2024, 3, 1, 12, 0, tzinfo=UTC),
        None,
        "listening on :8080",
    )
    assert short_file.attributes == {"logger": "main.go:42"}
    assert short_file.message == "dial failed"


def test_glog_header_gives_level_letter_and_source(read: Reader) -> None:
    (event,) = read("E0301 12:00:00.123456    4242 reflector.go:138] failed to list *v1.Pod")
    assert event.level is Level.ERROR
    assert event.time == datetime(2024, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
    assert event.message == "failed to list *v1.Pod"
    assert event.attributes == {"pid": "4242", "source": "reflector.go:138"}


def test_spark_two_digit_year_header(read: Reader) -> None:
    (event,) = read("17/06/09 20:10:40 INFO spark.SecurityManager: Changing view acls to: yarn")
    assert event.time == datetime(2017, 6, 9, 20, 10, 40, tzinfo=UTC)
    assert event.message == "Changing view acls to: yarn"
    assert event.attributes == {"logger": "spark.SecurityManager"}


def test_tomcat_and_us_style_dates(read: Reader) -> None:
    tomcat, windows = read(
        "11-Oct-2023 14:32:52.123 SEVERE [main] org.apache.catalina.Catalina startup failed\n"
        "3/1/2024 1:02:03 PM Error Service Control Manager: The X service terminated"
    )
    assert tomcat.time == datetime(2023, 10, 11, 14, 32, 52, 123000, tzinfo=UTC)
    assert tomcat.level is Level.ERROR
    assert windows.time == datetime(2024, 3, 1, 13, 2, 3, tzinfo=UTC)
    assert windows.level is Level.ERROR


def test_logback_time_only_header_has_no_time_but_is_split(read: Reader) -> None:
    (event,) = read("12:00:00.123 [main] DEBUG com.foo.Bar - cache warmed")
    assert event.time is None
    assert event.level is Level.DEBUG
    assert event.message == "cache warmed"


def test_zone_less_times_use_the_default_zone_across_dst(read: Reader) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    winter, summer = read(
        "2024-03-31 01:30:00 INFO before the switch\n2024-03-31 03:30:00 INFO after the switch",
        default_tz=berlin,
    )
    assert winter.time == datetime(2024, 3, 31, 0, 30, tzinfo=UTC)
    assert summer.time == datetime(2024, 3, 31, 1, 30, tzinfo=UTC)


def test_explicit_offset_wins_over_the_default_zone(read: Reader) -> None:
    (event,) = read("2024-03-01T12:00:00-05:00 WARN late", default_tz=ZoneInfo("Asia/Tokyo"))
    assert event.time == datetime(2024, 3, 1, 17, 0, tzinfo=UTC)


def test_impossible_date_gives_no_time_but_keeps_the_line(read: Reader) -> None:
    (event,) = read("2024-13-45 12:00:00 ERROR odd clock")
    assert event.time is None
    assert event.level is Level.ERROR
    assert event.message == "odd clock"


def test_failure_word_in_a_message_without_level_field_sets_the_level(read: Reader) -> None:
    (event,) = read("2024/03/01 12:00:00 worker 3 panic: nil map")
    assert event.level is Level.ERROR
    assert event.message == "worker 3 panic: nil map"


def test_logfmt_line(read: Reader) -> None:
    (event,) = read(
        'ts=2024-03-01T12:00:00.123Z level=error msg="connection refused" '
        'component=db err="dial tcp: i/o timeout" retries=3'
    )
    assert event.format == "logfmt"
    assert event.time == T
    assert event.level is Level.ERROR
    assert event.message == "connection refused"
    assert event.attributes == {"component": "db", "error": "dial tcp: i/o timeout"}


def test_prose_with_an_equals_sign_is_not_logfmt(read: Reader) -> None:
    (event,) = read("authentication failure; logname= uid=0 euid=0")
    assert event.format == "plain"


_STAMPS = st.sampled_from(
    [
        "2024-03-01 12:00:00",
        "2024-03-01T12:00:00.5",
        "2024-03-01 12:00:00,123",
        "2024-03-01 12:00:00.123456789",
        "2024-03-01 12:00:00:123",
        "2024-03-01T12:00:00Z",
        "2024-03-01 12:00:00 +0100",
        "2024-03-01 12:00:00.123 UTC",
        "2024/03/01 12:00:00",
        "2024-13-01 12:00:00",
        "2024-02-30 12:00:00,1",
        "0001-01-01 00:00:00+01:00",
        "2024-03-01  12:00:00",
        "[2024-03-01 12:00:00,123]",
        "2024-03-31 02:30:00",
    ]
)
_HEADERS = st.sampled_from(
    [
        "INFO  [main] com.shop.Api - ",
        "ERROR: ",
        "[4242] LOG:  ",
        "WARN [a [b] c] x.y: ",
        "| DEBUG | mod:fn:1 - ",
        "7 Warning [t] ",
        "- app.db - WARNING - ",
        "[ERROR] [",
        "",
        "info ",
        "ERROR [] logger - ",
    ]
)
_MESSAGES = st.sampled_from(["served in 12 ms", "ERROR: boom", "[x] y", "   ", "Traceback (x)"])


class _LongWayParser(GenericParser):
    """The generic parser without its one-match reading of known layouts."""

    def _read_stamped(self, line: str, clock: Clock) -> None:
        return None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_STAMPS, _HEADERS, _MESSAGES), min_size=1, max_size=30),
    st.sampled_from([UTC, ZoneInfo("Europe/Berlin")]),
)
def test_known_layouts_read_in_one_match_give_what_the_field_by_field_reading_gives(
    parts: list[tuple[str, str, str]], zone: ZoneInfo
) -> None:
    clock = Clock(default_tz=zone)
    fast, long_way = GenericParser(), _LongWayParser()
    for stamp, header, message in parts:
        line = stamp + " " + header + message
        assert fast.parse(line, clock) == long_way.parse(line, clock)
