from datetime import UTC, datetime

from format_reading import Reader

from faultmaven.domain.evidence import Level


def test_json_line_with_common_keys_gives_time_level_message_and_attributes(read: Reader) -> None:
    (event,) = read(
        '{"time":"2024-03-01T12:00:00.123Z","level":"error","msg":"payment failed",'
        '"service":"checkout","host":"web-1","trace_id":"abc123","amount":12}'
    )
    assert event.format == "json"
    assert event.time == datetime(2024, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)
    assert event.level is Level.ERROR
    assert event.message == "payment failed"
    assert event.attributes == {"service": "checkout", "host": "web-1", "trace_id": "abc123"}


def test_ecs_style_dotted_keys_and_zone_offset_are_read(read: Reader) -> None:
    (event,) = read(
        '{"@timestamp":"2024-03-01T12:00:00.5+02:00","log.level":"WARN",'
        '"message":"pool nearly exhausted","service.name":"orders"}'
    )
    assert event.time == datetime(2024, 3, 1, 10, 0, 0, 500000, tzinfo=UTC)
    assert event.level is Level.WARN
    assert event.message == "pool nearly exhausted"
    assert event.attributes["service"] == "orders"


def test_pino_numeric_level_and_epoch_millis(read: Reader) -> None:
    (event,) = read('{"level":50,"time":1709294400123,"pid":7,"hostname":"api-1","msg":"boom"}')
    assert event.level is Level.ERROR
    assert event.time == datetime(2024, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)
    assert event.attributes == {"pid": "7", "host": "api-1"}


def test_zap_epoch_seconds_with_fraction(read: Reader) -> None:
    (event,) = read('{"level":"info","ts":1709294400.25,"caller":"main.go:12","msg":"ready"}')
    assert event.time == datetime(2024, 3, 1, 12, 0, 0, 250000, tzinfo=UTC)
    assert event.attributes["caller"] == "main.go:12"


def test_epoch_micros_and_nanos_strings_are_scaled(read: Reader) -> None:
    micros, nanos = read(
        '{"ts":"1709294400123456","level":"info","msg":"a"}\n'
        '{"ts":1709294400123456789,"level":"info","msg":"b"}'
    )
    assert micros.time == datetime(2024, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
    assert nanos.time is not None
    assert nanos.time.replace(microsecond=0) == datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def test_serilog_compact_and_python_json_logger_keys(read: Reader) -> None:
    serilog, python = read(
        '{"@t":"2024-03-01T12:00:00Z","@l":"Warning","@m":"Disk low on C:"}\n'
        '{"asctime":"2024-03-01 12:00:01,500","levelname":"CRITICAL","name":"app.db",'
        '"message":"replica lost"}'
    )
    assert (serilog.level, serilog.message) == (Level.WARN, "Disk low on C:")
    assert python.level is Level.FATAL
    assert python.time == datetime(2024, 3, 1, 12, 0, 1, 500000, tzinfo=UTC)
    assert python.attributes["logger"] == "app.db"


def test_mongodb_structured_log_date_wrapper_and_letter_severity(read: Reader) -> None:
    (event,) = read(
        '{"t":{"$date":"2024-03-01T12:00:00.000+00:00"},"s":"W","c":"NETWORK",'
        '"id":4615610,"ctx":"conn12","msg":"Slow query"}'
    )
    assert event.time == datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    assert event.level is Level.WARN
    assert event.message == "Slow query"
    assert event.attributes["component"] == "NETWORK"


def test_json_without_message_key_keeps_the_whole_record_as_message(read: Reader) -> None:
    line = '{"time":"2024-03-01T12:00:00Z","level":"info","user":"u1","action":"login"}'
    (event,) = read(line)
    assert event.message == line
    assert event.level is Level.INFO


def test_fluent_bit_kubernetes_block_gives_pod_namespace_and_container(read: Reader) -> None:
    (event,) = read(
        '{"log":"connection reset","time":"2024-03-01T12:00:00Z","kubernetes":'
        '{"pod_name":"checkout-7d9f8c6b5-x2k4q","namespace_name":"shop","container_name":"app"}}'
    )
    assert event.message == "connection reset"
    assert event.attributes == {
        "pod": "checkout-7d9f8c6b5-x2k4q",
        "namespace": "shop",
        "container": "app",
    }


def test_journald_json_record(read: Reader) -> None:
    (event,) = read(
        '{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1709294400123456","PRIORITY":"3",'
        '"_SYSTEMD_UNIT":"nginx.service","SYSLOG_IDENTIFIER":"nginx","_HOSTNAME":"web-1",'
        '"_PID":"812","MESSAGE":"bind() to 0.0.0.0:80 failed (98: Address already in use)"}'
    )
    assert event.format == "journald"
    assert event.time == datetime(2024, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)
    assert event.level is Level.ERROR
    assert event.message.startswith("bind() to 0.0.0.0:80 failed")
    assert event.attributes == {
        "unit": "nginx.service",
        "program": "nginx",
        "host": "web-1",
        "pid": "812",
    }


def test_journald_message_given_as_bytes_is_decoded(read: Reader) -> None:
    (event,) = read(
        '{"__REALTIME_TIMESTAMP":"1709294400000000","PRIORITY":"6","MESSAGE":[104,105]}'
    )
    assert event.message == "hi"
    assert event.level is Level.INFO


def test_malformed_json_is_read_as_another_format(read: Reader) -> None:
    (event,) = read('{"time":"2024-03-01T12:00:00Z","level":"error","msg":"cut off')
    assert event.format == "plain"
    assert event.level is Level.ERROR
    assert event.line_start == event.line_end == 1


def test_json_array_and_scalar_lines_are_not_json_events(read: Reader) -> None:
    events = read('[1, 2, 3]\n"just a string"')
    assert [event.format for event in events] == ["plain", "plain"]
