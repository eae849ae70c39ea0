import pytest

from faultmaven.domain.evidence import Level
from faultmaven.logs import find_level


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2024-03-01 12:00:00,123 ERROR [main] c.e.Pay - charge failed", Level.ERROR),
        ("2024-03-01 12:00:00,123 WARN  [pool-1] c.e.Pay - retrying", Level.WARN),
        ("2024-03-01 12:00:00 [WARNING] disk 85% full", Level.WARN),
        ("2024-03-01T12:00:00Z DEBUG cache miss", Level.DEBUG),
        ("2024-03-01T12:00:00Z TRACE entering", Level.TRACE),
        ("2024-03-01 12:00:00 NOTICE reloaded", Level.INFO),
        ("Mar  1 12:00:00 web01 app[1]: <crit> database unreachable", Level.FATAL),
        ("2024-03-01 12:00:00 CRITICAL worker died", Level.FATAL),
        ("2024-03-01 12:00:00 EMERG system unusable", Level.FATAL),
        ("2024/03/01 12:00:00 [error] 31#31: *7 connect() failed", Level.ERROR),
        ("[Wed Oct 11 14:32:52 2000] [core:error] [pid 35708] File does not exist", Level.ERROR),
        ('2024-03-01 12:00:00.123 UTC [42] ERROR:  relation "x" does not exist', Level.ERROR),
        ("2024-03-01 12:00:00.123 UTC [42] LOG:  checkpoint starting", Level.INFO),
        ("2024-03-01 12:00:00.123 UTC [42] FATAL:  too many connections", Level.FATAL),
        ("E0301 12:00:00.123456    1 reflector.go:138] failed to list", Level.ERROR),
        ("W0301 12:00:00.123456    1 warnings.go:70] deprecated", Level.WARN),
        ("I0301 12:00:00.123456    1 main.go:12] starting", Level.INFO),
        ('time="2024-03-01T12:00:00Z" level=error msg="dial failed"', Level.ERROR),
        ("ts=2024-03-01T12:00:00Z level=warn caller=main.go:1 msg=slow", Level.WARN),
        ('{"level":"error","msg":"boom"}', Level.ERROR),
        ('{"severity":"WARNING","message":"quota"}', Level.WARN),
        ('{"level":50,"msg":"pino error"}', Level.ERROR),
        ("1:M 01 Mar 2024 12:00:00.123 # WARNING overcommit_memory is set to 0", Level.WARN),
        ("error: failed to push some refs", Level.ERROR),
        ("2024-03-01T12:00:00.000Z\terror\tcheckout/pay.go:12\tpayment failed", Level.ERROR),
    ],
)
def test_declared_level_tokens_are_recognised(line: str, expected: Level) -> None:
    assert find_level(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('10.0.0.7 - - [10/Oct/2000:13:55:36 -0700] "GET /api HTTP/1.1" 504 167', Level.ERROR),
        ('10.0.0.7 - - [10/Oct/2000:13:55:36 -0700] "POST /login HTTP/1.1" 401 12', Level.WARN),
        ('10.0.0.7 - - [10/Oct/2000:13:55:36 -0700] "GET /error HTTP/1.1" 200 99', Level.INFO),
    ],
)
def test_access_log_level_follows_the_http_status(line: str, expected: Level) -> None:
    assert find_level(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Traceback (most recent call last):",
        "java.lang.NullPointerException: Cannot invoke method on null",
        "panic: runtime error: invalid memory address or nil pointer dereference",
        "Mar  1 12:00:00 web01 kernel: Out of memory: Killed process 4242 (java)",
        "ValueError: invalid literal for int() with base 10: 'abc'",
    ],
)
def test_strong_failure_words_without_level_mean_error(line: str) -> None:
    assert find_level(line) in (Level.ERROR, Level.FATAL)


@pytest.mark.parametrize(
    "line",
    [
        "the retry loop handles error responses gracefully",
        "Mar  1 12:00:00 web01 systemd[1]: Started Daily apt activities.",
        "connection established to 10.0.0.5:5432",
        "",
    ],
)
def test_lines_without_level_or_failure_words_have_none(line: str) -> None:
    assert find_level(line) is None


def test_leftmost_level_token_wins_over_words_in_the_message() -> None:
    assert find_level("2024-03-01 12:00:00 INFO retried after ERROR from upstream") == Level.INFO
