import json
from datetime import UTC, datetime

from format_reading import Reader

from faultmaven.domain.evidence import Level


def _docker(output: str, stream: str = "stdout", time: str = "2024-03-01T12:00:00.5Z") -> str:
    return json.dumps({"log": output, "stream": stream, "time": time})


def test_cri_line_gives_runtime_time_stream_and_inner_level(read: Reader) -> None:
    (event,) = read(
        "2024-03-01T12:00:00.123456789Z stderr F 2024-03-01 12:00:00,100 ERROR [main] "
        "c.s.Pay - card declined"
    )
    assert event.format == "cri"
    assert event.time == datetime(2024, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
    assert event.level is Level.ERROR
    assert event.message == "card declined"
    assert event.attributes == {"stream": "stderr", "thread": "main", "logger": "c.s.Pay"}


def test_cri_partial_lines_are_joined_with_their_final_part(read: Reader) -> None:
    events = read(
        '2024-03-01T12:00:00.1Z stdout P {"level":"warn","msg":"very lo\n'
        "2024-03-01T12:00:00.1Z stdout P ng message that the runtime spl\n"
        '2024-03-01T12:00:00.1Z stdout F it"}\n'
        "2024-03-01T12:00:01Z stdout F next"
    )
    assert [(event.line_start, event.line_end) for event in events] == [(1, 3), (4, 4)]
    assert events[0].level is Level.WARN
    assert events[0].message == "very long message that the runtime split"
    assert events[1].message == "next"


def test_cri_partial_of_another_stream_is_not_joined(read: Reader) -> None:
    events = read(
        "2024-03-01T12:00:00Z stdout P first half\n"
        "2024-03-01T12:00:00Z stderr F other stream\n"
        "2024-03-01T12:00:01Z stdout F second half"
    )
    assert [event.message for event in events] == ["first half", "other stream", "second half"]


def test_cri_records_of_a_java_stack_trace_form_one_event(read: Reader) -> None:
    events = read(
        "2024-03-01T12:00:00.1Z stderr F 2024-03-01 12:00:00 ERROR [main] App - request failed\n"
        "2024-03-01T12:00:00.1Z stderr F java.lang.IllegalStateException: boom\n"
        "2024-03-01T12:00:00.1Z stderr F \tat com.shop.App.run(App.java:10)\n"
        "2024-03-01T12:00:00.2Z stdout F 2024-03-01 12:00:00 INFO [main] App - recovered"
    )
    assert [(event.line_start, event.line_end) for event in events] == [(1, 3), (4, 4)]
    assert events[0].message == (
        "request failed\njava.lang.IllegalStateException: boom\n\tat com.shop.App.run(App.java:10)"
    )


def test_cri_empty_output_is_an_event_of_its_own(read: Reader) -> None:
    events = read("2024-03-01T12:00:00Z stdout F")
    assert len(events) == 1
    assert events[0].message == ""


def test_docker_json_with_nested_json_output(read: Reader) -> None:
    (event,) = read(
        _docker('{"level":"error","msg":"db unreachable","service":"orders"}\n', "stderr")
    )
    assert event.format == "docker"
    assert event.time == datetime(2024, 3, 1, 12, 0, 0, 500000, tzinfo=UTC)
    assert event.level is Level.ERROR
    assert event.message == "db unreachable"
    assert event.attributes == {"stream": "stderr", "service": "orders"}


def test_docker_json_with_logfmt_and_plain_outputs(read: Reader) -> None:
    logfmt, plain = read(
        _docker('level=warn msg="slow response" path=/api\n')
        + "\n"
        + _docker("Listening on port 8080\n")
    )
    assert (logfmt.level, logfmt.message, logfmt.attributes["path"]) == (
        Level.WARN,
        "slow response",
        "/api",
    )
    assert (plain.level, plain.message) == (None, "Listening on port 8080")


def test_docker_split_record_without_newline_is_joined_with_the_next(read: Reader) -> None:
    events = read(_docker("part one, ") + "\n" + _docker("part two\n"))
    assert [(event.line_start, event.line_end) for event in events] == [(1, 2)]
    assert events[0].message == "part one, part two"


def test_docker_python_traceback_joins_the_logged_error(read: Reader) -> None:
    events = read(
        "\n".join(
            _docker(output + "\n", "stderr")
            for output in (
                "2024-03-01 12:00:00,000 - worker - ERROR - job failed",
                "Traceback (most recent call last):",
                '  File "/app/job.py", line 3, in run',
                "    1 / 0",
                "ZeroDivisionError: division by zero",
                "2024-03-01 12:00:01,000 - worker - INFO - next job",
            )
        )
    )
    assert [(event.line_start, event.line_end) for event in events] == [(1, 5), (6, 6)]
    assert events[0].message.endswith("ZeroDivisionError: division by zero")
