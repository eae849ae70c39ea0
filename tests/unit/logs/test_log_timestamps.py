from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from faultmaven.logs import find_timestamp

NEW_YEAR = datetime(2024, 1, 1, 0, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "2024-03-01T12:00:00.123+02:00 INFO server started",
            datetime(2024, 3, 1, 10, 0, 0, 123000, tzinfo=UTC),
        ),
        (
            "2024-03-01T12:00:00Z level=info msg=ready",
            datetime(2024, 3, 1, 12, 0, tzinfo=UTC),
        ),
        (
            "2024-03-01 12:00:00.5-0530 WARN slow",
            datetime(2024, 3, 1, 17, 30, 0, 500000, tzinfo=UTC),
        ),
        (
            "2024-03-01T12:00:00.123456789Z ERROR nanoseconds",
            datetime(2024, 3, 1, 12, 0, 0, 123456, tzinfo=UTC),
        ),
        (
            "2024-03-01 12:00:00,123 ERROR [main] c.e.OrderService - failed",
            datetime(2024, 3, 1, 12, 0, 0, 123000, tzinfo=UTC),
        ),
        (
            "2024/03/01 12:00:00 [error] 31#31: *7 upstream timed out",
            datetime(2024, 3, 1, 12, 0, tzinfo=UTC),
        ),
        (
            "2024-03-01 12:00:00.123 UTC [4242] ERROR:  deadlock detected",
            datetime(2024, 3, 1, 12, 0, 0, 123000, tzinfo=UTC),
        ),
        (
            "081109 203615 148 INFO dfs.DataNode$PacketResponder: Received block",
            datetime(2008, 11, 9, 20, 36, 15, tzinfo=UTC),
        ),
        (
            "<34>1 2024-03-01T12:00:00.003Z web01 nginx 123 - - message",
            datetime(2024, 3, 1, 12, 0, 0, 3000, tzinfo=UTC),
        ),
    ],
)
def test_zoned_and_zoneless_formats_are_read_as_utc(line: str, expected: datetime) -> None:
    assert find_timestamp(line) == expected


def test_apache_access_log_offset_is_applied() -> None:
    line = '10.0.0.7 - - [10/Oct/2000:13:55:36 -0700] "GET /index.html HTTP/1.0" 200 2326'
    assert find_timestamp(line) == datetime(2000, 10, 10, 20, 55, 36, tzinfo=UTC)


def test_syslog_just_before_new_year_takes_previous_year() -> None:
    line = "Dec 31 23:59:58 web01 nginx[812]: worker process exited"
    assert find_timestamp(line, now=NEW_YEAR) == datetime(2023, 12, 31, 23, 59, 58, tzinfo=UTC)


def test_syslog_just_after_new_year_takes_current_year() -> None:
    line = "Jan  1 00:01:00 web01 kernel: Out of memory: Killed process 4242 (java)"
    assert find_timestamp(line, now=NEW_YEAR) == datetime(2024, 1, 1, 0, 1, tzinfo=UTC)


def test_syslog_leap_day_goes_back_to_a_leap_year() -> None:
    now = datetime(2025, 6, 1, tzinfo=UTC)
    assert find_timestamp("Feb 29 10:00:00 host cron[1]: job", now=now) == datetime(
        2024, 2, 29, 10, 0, tzinfo=UTC
    )


def test_yearless_time_is_never_far_in_the_future() -> None:
    now = datetime(2024, 6, 15, 12, 0, tzinfo=UTC)
    found = find_timestamp("Nov 20 08:00:00 db01 postgres[99]: LOG: checkpoint", now=now)
    assert found is not None
    assert found <= now + timedelta(days=1)
    assert found.year == 2023


def test_json_epoch_millis_and_iso_fields() -> None:
    millis = '{"ts":1704067200123,"level":"error","msg":"payment failed"}'
    seconds = '{"level":"info","time":1704067200,"msg":"ok"}'
    iso = '{"@timestamp":"2024-01-01T00:00:00.250+01:00","message":"x"}'
    assert find_timestamp(millis) == datetime(2024, 1, 1, 0, 0, 0, 123000, tzinfo=UTC)
    assert find_timestamp(seconds) == datetime(2024, 1, 1, tzinfo=UTC)
    assert find_timestamp(iso) == datetime(2023, 12, 31, 23, 0, 0, 250000, tzinfo=UTC)


def test_zoneless_time_is_read_in_the_default_timezone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert find_timestamp("2024-07-01 12:00:00 INFO up", berlin) == datetime(
        2024, 7, 1, 10, 0, tzinfo=UTC
    )
    assert find_timestamp("2024-07-01T12:00:00Z INFO up", berlin) == datetime(
        2024, 7, 1, 12, 0, tzinfo=UTC
    )


def test_result_is_always_aware_utc() -> None:
    found = find_timestamp("2024-07-01T12:00:00+09:00 x", ZoneInfo("America/New_York"))
    assert found is not None
    assert found.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "line",
    [
        "",
        "    at com.example.Checkout.pay(Checkout.java:42)",
        "Traceback (most recent call last):",
        "processed 123456 789012 records",
        "2024-13-45 99:99:99 not a date",
        '{"msg":"no time here"}',
    ],
)
def test_lines_without_a_timestamp_give_none(line: str) -> None:
    assert find_timestamp(line) is None
