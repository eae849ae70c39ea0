from datetime import UTC, datetime

from format_reading import Reader

from faultmaven.domain.evidence import Level
from faultmaven.logs.formats import read_events


def spans(events: list) -> list[tuple[int, int]]:  # type: ignore[type-arg]
    return [(event.line_start, event.line_end) for event in events]


JAVA = """\
2024-03-01 12:00:00,123 ERROR [http-nio-8080-exec-1] c.s.OrderController - request failed
org.springframework.web.client.ResourceAccessException: I/O error on POST
\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)
\tat com.shop.OrderController.create(OrderController.java:42)
Caused by: java.net.SocketTimeoutException: Read timed out
\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)
\t... 12 more
\tSuppressed: java.lang.IllegalStateException: closed
\t\t... 3 common frames omitted
2024-03-01 12:00:01,000 INFO  [main] c.s.App - still running"""


def test_java_stack_trace_with_causes_is_one_event(read: Reader) -> None:
    events = read(JAVA)
    assert spans(events) == [(1, 9), (10, 10)]
    assert events[0].level is Level.ERROR
    assert events[0].message.startswith("request failed\norg.springframework")
    assert events[0].message.endswith("... 3 common frames omitted")
    assert events[0].time == datetime(2024, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)


def test_exception_in_thread_starts_its_own_event_with_its_frames(read: Reader) -> None:
    events = read(
        "2024-03-01 12:00:00,000 INFO [main] App - starting\n"
        'Exception in thread "main" java.lang.NullPointerException: x is null\n'
        "\tat com.shop.App.main(App.java:5)"
    )
    assert spans(events) == [(1, 1), (2, 3)]
    assert events[1].format == "plain"
    assert events[1].level is Level.ERROR


PYTHON = """\
2024-03-01 12:00:00,000 - worker - ERROR - job 17 failed
Traceback (most recent call last):
  File "/app/worker.py", line 10, in run
    result = handler(job)
  File "/app/handlers.py", line 3, in handler
    return 1 / job.size
ZeroDivisionError: division by zero

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/app/worker.py", line 12, in run
    raise JobError(job.id)
worker.errors.JobError: 17
2024-03-01 12:00:01,000 - worker - INFO - job 18 started"""


def test_python_traceback_is_one_event_ending_at_the_exception_line(read: Reader) -> None:
    events = read(PYTHON)
    assert spans(events) == [(1, 14), (15, 15)]
    assert events[0].message.endswith("worker.errors.JobError: 17")
    assert events[0].level is Level.ERROR


def test_bare_python_traceback_is_one_plain_error_event(read: Reader) -> None:
    events = read(
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1, in <module>\n'
        "KeyError: 'id'\n"
        "next line of output"
    )
    assert spans(events) == [(1, 3), (4, 4)]
    assert events[0].level is Level.ERROR
    assert events[0].format == "plain"


def test_a_second_traceback_after_a_finished_one_is_a_new_event(read: Reader) -> None:
    events = read(
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1, in <module>\n'
        "ValueError: one\n"
        "Traceback (most recent call last):\n"
        '  File "x.py", line 2, in <module>\n'
        "ValueError: two"
    )
    assert spans(events) == [(1, 3), (4, 6)]


def test_a_pydantic_validation_error_keeps_its_field_by_field_body(read: Reader) -> None:
    events = read(
        "2025-03-05 10:12:57,472 ERROR [worker] failed to handle record orders-9@42\n"
        "Traceback (most recent call last):\n"
        '  File "/app/consumer.py", line 88, in handle\n'
        "pydantic_core._pydantic_core.ValidationError: 2 validation errors for OrderPlaced\n"
        "order_id\n"
        "  Field required [type=missing, input_value={'orderId': 'o1'}, input_type=dict]\n"
        "lines.0.sku\n"
        "  Input should be a valid string [type=string_type, input_value=7, input_type=int]\n"
        "2025-03-05 10:12:58,000 INFO [worker] committed offsets"
    )
    assert spans(events) == [(1, 8), (9, 9)]
    assert events[0].message.endswith("input_type=int]")


def test_a_logged_validation_error_without_traceback_keeps_its_body(read: Reader) -> None:
    events = read(
        "2025-03-05 10:00:00,000 ERROR [boot] 1 validation error for Settings\n"
        "database_url\n"
        "  Field required [type=missing, input_value={}, input_type=dict]\n"
        "plain words after it\n"
        "2025-03-05 10:00:01,000 INFO [boot] exiting"
    )
    assert spans(events) == [(1, 3), (4, 4), (5, 5)]


GO = """\
2024/03/01 12:00:00 starting worker pool
panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a5b2c]

goroutine 1 [running]:
main.(*Server).handle(0x0, {0xc000012345, 0x5})
\t/app/server.go:42 +0x1c
main.main()
\t/app/main.go:12 +0x25

goroutine 7 [chan receive]:
main.worker(0xc00001a0c0)
\t/app/worker.go:9 +0x45
created by main.main in goroutine 1
\t/app/main.go:10 +0x1f
exit status 2
2024/03/01 12:00:05 restarted"""


def test_go_panic_and_goroutine_dump_are_one_event(read: Reader) -> None:
    events = read(GO)
    assert spans(events) == [(1, 1), (2, 16), (17, 17)]
    assert events[1].level is Level.FATAL
    assert events[1].message.startswith("panic: runtime error")
    assert events[1].message.endswith("exit status 2")


def test_node_error_stack_joins_the_logged_line(read: Reader) -> None:
    events = read(
        "2024-03-01T12:00:00.000Z ERROR unhandled rejection\n"
        "TypeError: Cannot read properties of undefined (reading 'id')\n"
        "    at getUser (/app/src/users.js:12:20)\n"
        "    at async Promise.all (index 0)\n"
        "2024-03-01T12:00:01.000Z INFO ok"
    )
    assert spans(events) == [(1, 4), (5, 5)]


def test_dotnet_exception_with_inner_exception_is_one_event(read: Reader) -> None:
    events = read(
        "2024-03-01 12:00:00.000 +00:00 [ERR] Unhandled exception\n"
        "System.InvalidOperationException: Sequence contains no elements ---> "
        "System.Exception: inner\n"
        "   at System.Linq.ThrowHelper.ThrowNoElementsException() in Enumerable.cs:line 12\n"
        "   --- End of inner exception stack trace ---\n"
        "   at Shop.Orders.Handle() in /src/Orders.cs:line 40\n"
        "2024-03-01 12:00:01.000 +00:00 [INF] Next"
    )
    assert spans(events) == [(1, 5), (6, 6)]
    assert events[0].level is Level.ERROR
    assert events[1].level is Level.INFO


def test_indented_lines_continue_a_timestamped_event(read: Reader) -> None:
    events = read(
        "2024-03-01 12:00:00 INFO config loaded:\n"
        "    listen: 8080\n"
        "    workers: 4\n"
        "2024-03-01 12:00:01 INFO ready"
    )
    assert spans(events) == [(1, 3), (4, 4)]
    assert events[0].message == "config loaded:\n    listen: 8080\n    workers: 4"


def test_indented_lines_after_plain_text_stay_separate(read: Reader) -> None:
    events = read("Some notes\n  indented detail\n  more detail")
    assert spans(events) == [(1, 1), (2, 2), (3, 3)]


def test_frames_join_even_a_plain_line(read: Reader) -> None:
    events = read("java.lang.OutOfMemoryError: Java heap space\n\tat java.util.Arrays.copyOf")
    assert spans(events) == [(1, 2)]


def test_continuation_never_swallows_a_well_formed_event_start(read: Reader) -> None:
    events = read(
        "2024-03-01 12:00:00,000 - app - ERROR - failed\n"
        "Traceback (most recent call last):\n"
        '  File "a.py", line 1, in f\n'
        "Mar  1 12:00:01 web01 nginx[1]: a syslog line in the middle\n"
        "2024-03-01 12:00:02,000 - app - INFO - next"
    )
    assert spans(events) == [(1, 3), (4, 4), (5, 5)]
    assert events[1].format == "syslog"


def test_blank_lines_join_the_event_above_but_not_its_message(read: Reader) -> None:
    events = read("2024-03-01 12:00:00 INFO a\n\n\n2024-03-01 12:00:01 INFO b\n\n")
    assert spans(events) == [(1, 3), (4, 5)]
    assert events[0].message == "a"


def test_leading_blank_lines_form_one_plain_event(read: Reader) -> None:
    events = read("\n\n2024-03-01 12:00:00 INFO a")
    assert spans(events) == [(1, 2), (3, 3)]
    assert events[0].format == "plain"
    assert events[0].message == ""


def test_huge_stack_trace_is_cut_into_capped_events_without_losing_lines() -> None:
    lines = ["2024-03-01 12:00:00 ERROR [main] App - boom"]
    lines += [f"\tat com.shop.Frame{index}.call(Frame.java:{index})" for index in range(1, 1200)]
    events = list(read_events(lines, max_event_lines=500))
    assert spans(events) == [(1, 500), (501, 1000), (1001, 1200)]
    assert all(event.level is Level.ERROR for event in events)
    assert all(event.time == datetime(2024, 3, 1, 12, 0, tzinfo=UTC) for event in events)
    assert events[1].message.startswith("\tat com.shop.Frame500")
