from datetime import UTC, datetime

from format_reading import Reader

from faultmaven.domain.evidence import Level


def test_combined_access_log_line(read: Reader) -> None:
    (event,) = read(
        '10.0.0.7 - frank [10/Oct/2000:13:55:36 -0700] "GET /index.html?q=1 HTTP/1.0" 200 2326 '
        '"http://example.com/start" "Mozilla/5.0 (X11)"'
    )
    assert event.format == "access"
    assert event.time == datetime(2000, 10, 10, 20, 55, 36, tzinfo=UTC)
    assert event.level is Level.INFO
    assert event.message.startswith('"GET /index.html?q=1 HTTP/1.0" 200 2326')
    assert event.attributes == {
        "client": "10.0.0.7",
        "status": "200",
        "method": "GET",
        "path": "/index.html?q=1",
        "user": "frank",
        "user_agent": "Mozilla/5.0 (X11)",
    }


def test_access_log_status_class_sets_the_level(read: Reader) -> None:
    events = read(
        '10.0.0.1 - - [01/Mar/2024:12:00:00 +0000] "GET /a HTTP/1.1" 200 10\n'
        '10.0.0.1 - - [01/Mar/2024:12:00:01 +0000] "GET /b HTTP/1.1" 404 10\n'
        '10.0.0.1 - - [01/Mar/2024:12:00:02 +0000] "POST /c HTTP/1.1" 503 -\n'
        '10.0.0.1 - - [01/Mar/2024:12:00:03 +0000] "GET /d HTTP/1.1" 301 0'
    )
    assert [event.level for event in events] == [Level.INFO, Level.WARN, Level.ERROR, Level.INFO]
    assert [event.attributes["status"] for event in events] == ["200", "404", "503", "301"]


def test_access_log_with_garbage_request_line_is_still_an_access_event(read: Reader) -> None:
    (event,) = read('192.0.2.9 - - [01/Mar/2024:12:00:00 +0000] "\\x16\\x03\\x01" 400 150 "-" "-"')
    assert event.format == "access"
    assert event.level is Level.WARN
    assert "method" not in event.attributes


def test_nginx_error_log_line(read: Reader) -> None:
    (event,) = read(
        "2024/03/01 12:00:00 [error] 31#31: *7 upstream timed out (110: Connection timed out) "
        "while reading response header from upstream, client: 10.0.0.1, server: api.local, "
        'request: "GET / HTTP/1.1"'
    )
    assert event.format == "nginx_error"
    assert event.time == datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
    assert event.level is Level.ERROR
    assert event.message.startswith("upstream timed out (110: Connection timed out)")
    assert event.attributes == {
        "program": "nginx",
        "pid": "31",
        "tid": "31",
        "connection": "7",
        "client": "10.0.0.1",
        "server": "api.local",
    }


def test_nginx_error_levels(read: Reader) -> None:
    events = read(
        "2024/03/01 12:00:00 [warn] 1#1: conflicting server name\n"
        "2024/03/01 12:00:01 [crit] 1#1: *2 open() failed\n"
        "2024/03/01 12:00:02 [notice] 1#1: signal process started\n"
        "2024/03/01 12:00:03 [emerg] 1#1: bind() failed"
    )
    assert [event.level for event in events] == [Level.WARN, Level.FATAL, Level.INFO, Level.FATAL]


def test_apache_24_error_log_line(read: Reader) -> None:
    (event,) = read(
        "[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 123:tid 456] "
        "[client 1.2.3.4:5678] AH00037: Symbolic link not allowed: /var/www/x"
    )
    assert event.format == "apache_error"
    assert event.time == datetime(2000, 10, 11, 14, 32, 52, 123456, tzinfo=UTC)
    assert event.level is Level.ERROR
    assert event.message == "AH00037: Symbolic link not allowed: /var/www/x"
    assert event.attributes == {
        "program": "apache",
        "module": "core",
        "pid": "123",
        "tid": "456",
        "client": "1.2.3.4:5678",
    }


def test_apache_22_error_log_line(read: Reader) -> None:
    (event,) = read("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf")
    assert event.level is Level.INFO
    assert event.message == "workerEnv.init() ok /etc/httpd/conf"
    assert event.time == datetime(2005, 12, 4, 4, 47, 44, tzinfo=UTC)
