from datetime import UTC, datetime

import pytest

from faultmaven.domain.evidence import AnalysedLine, Level
from faultmaven.logs import LineAnalyser, component_of


@pytest.mark.parametrize(
    ("name", "line", "expected"),
    [
        ("syslog", "Mar  1 12:00:00 web01 nginx[123]: worker exited", "nginx"),
        ("messages", "Mar  1 12:00:00 web01 /usr/sbin/cron[77]: (root) CMD (job)", "cron"),
        ("messages", "Mar  1 12:00:00 web01 kernel: Out of memory: Killed process 1", "web01"),
        ("all.log", "ts=2024-03-01T12:00:00Z level=error service=payments msg=x", "payments"),
        ("all.log", '{"level":"error","service":"billing-api","msg":"x"}', "billing-api"),
        ("all.log", "ts=2024-03-01 app=cart level=warn msg=slow", "cart"),
        ("events.txt", 'pod="default/checkout-7d9f8c6b5-x2k4q" msg="probe failed"', "checkout"),
        ("events.txt", "Warning  BackOff  pod/db-0  Back-off restarting failed container", "db"),
        ("checkout.log", "2024-03-01 12:00:00 ERROR payment failed", "checkout"),
        ("logs/api-gateway.log.gz", "plain message", "api-gateway"),
        ("checkout-7d9f8c6b5-x2k4q.log", "plain message", "checkout"),
        ("bundle.zip/var/log/nginx/error.log", "plain message", "nginx"),
        ("app.log.1", "plain message", "app"),
    ],
)
def test_component_is_the_service_the_line_is_about(name: str, line: str, expected: str) -> None:
    assert component_of(name, line) == expected


def test_words_like_proxy_are_not_mistaken_for_a_pod_suffix() -> None:
    assert component_of("api-proxy.log", "plain message") == "api-proxy"


def _analyse(lines: list[str]) -> list[AnalysedLine]:
    analyser = LineAnalyser("ev-1", "orders.log", now=datetime(2024, 3, 2, tzinfo=UTC))
    return [analyser.analyse(n, text) for n, text in enumerate(lines, start=1)]


def test_java_stack_trace_inherits_time_and_level_of_its_error() -> None:
    analysed = _analyse(
        [
            "2024-03-01 12:00:00,123 ERROR [main] c.e.Orders - save failed",
            "java.sql.SQLException: Connection is closed",
            "\tat com.example.Orders.save(Orders.java:42)",
            "\tat com.example.Api.post(Api.java:17)",
            "Caused by: java.net.SocketException: Broken pipe",
            "\t... 12 more",
            "2024-03-01 12:00:05,000 INFO [main] c.e.Orders - recovered",
        ]
    )
    started = datetime(2024, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)
    assert all(line.time == started for line in analysed[:6])
    assert all(line.level == Level.ERROR for line in analysed[:6])
    assert analysed[6].level == Level.INFO
    assert analysed[6].time == datetime(2024, 3, 1, 12, 0, 5, tzinfo=UTC)


def test_python_traceback_body_belongs_to_the_event_and_ends_with_the_exception() -> None:
    analysed = _analyse(
        [
            "2024-03-01 12:00:00,000 ERROR worker crashed",
            "Traceback (most recent call last):",
            '  File "/app/worker.py", line 10, in <module>',
            "    main()",
            "KeyError: 'DATABASE_URL'",
            "plain output after the traceback",
        ]
    )
    started = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    assert [line.time for line in analysed[:5]] == [started] * 5
    assert analysed[3].level == Level.ERROR
    assert analysed[5].time is None
    assert analysed[5].level is None


def test_go_goroutine_dump_follows_its_panic() -> None:
    analysed = _analyse(
        [
            "2024-03-01T12:00:00Z level=info msg=serving",
            "panic: runtime error: invalid memory address or nil pointer dereference",
            "",
            "goroutine 1 [running]:",
            "main.handler(0xc000010000)",
            "\t/app/main.go:42 +0x1d",
        ]
    )
    assert analysed[1].level == Level.FATAL
    assert all(line.level == Level.FATAL for line in analysed[2:])


def test_analysed_line_carries_identity_group_and_signature() -> None:
    analyser = LineAnalyser("ev-9", "db.log")
    line = analyser.analyse(7, "2024-03-01 12:00:00 ERROR disk 3 failed", signature="disk_io_error")
    assert (line.evidence_id, line.evidence_name, line.n) == ("ev-9", "db.log", 7)
    assert line.group == "disk <*> failed"
    assert line.signature == "disk_io_error"
