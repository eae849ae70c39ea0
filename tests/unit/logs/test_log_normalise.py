import pytest

from faultmaven.logs import line_group


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "2024-03-01 12:00:00,123 ERROR [main] Payment 4411 failed after 1200ms",
            "2024-03-01 12:07:45,999 ERROR [main] Payment 97 failed after 35ms",
        ),
        (
            "Mar  1 12:00:00 web01 sshd[812]: Failed password for root from 10.0.0.7 port 52144",
            "Mar  1 12:03:10 web01 sshd[990]: Failed password for root from 192.168.1.20 port 22",
        ),
        (
            "request 550e8400-e29b-41d4-a716-446655440000 took 1.5s",
            "request 6fa459ea-ee8a-3ca4-894e-db77e160355e took 12ms",
        ),
        (
            "segfault at 0000000000000008 ip 00007f3a1c2b4e10 sp 00007ffd5e3a1b20 error 4",
            "segfault at 00000000deadbee0 ip 00007f3a1c2b4f22 sp 00007ffd5e3a1c40 error 4",
        ),
        (
            "mail to alice@example.com bounced: mailbox 0x7ffe full",
            "mail to bob.smith@corp.example.org bounced: mailbox 0x1a full",
        ),
        (
            "dial tcp [fe80::1ff:fe23:4567:890a]:5432: connect: connection refused",
            "dial tcp [2001:db8::1]:5432: connect: connection refused",
        ),
        (
            'user "u-1234" not found in /var/lib/app/17/users.db',
            'user "u-9" not found in /var/lib/app/3/users.db',
        ),
        (
            "pool stats active=10 idle=0 waiting=35",
            "pool stats active=2 idle=8 waiting=0",
        ),
        (
            '10.0.0.7 - - [10/Oct/2000:13:55:36 -0700] "GET /api/orders/17 HTTP/1.1" 504 167',
            '10.0.0.9 - - [11/Oct/2000:01:02:03 -0700] "GET /api/orders/4242 HTTP/1.1" 504 0',
        ),
    ],
)
def test_lines_differing_only_in_variables_share_a_group(first: str, second: str) -> None:
    assert line_group(first) == line_group(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            "2024-03-01 12:00:00 ERROR Payment 4411 failed",
            "2024-03-01 12:00:00 ERROR Refund 4411 failed",
        ),
        ("connection refused by db", "connection reset by db"),
        (
            "2024-03-01 12:00:00 ERROR No space left on device",
            "2024-03-01 12:00:00 ERROR No inodes left on device",
        ),
    ],
)
def test_lines_differing_in_words_fall_into_different_groups(first: str, second: str) -> None:
    assert line_group(first) != line_group(second)


def test_header_timestamp_and_level_are_stripped() -> None:
    group = line_group("2024-03-01T12:00:00.123Z ERROR [worker-3] upstream failed")
    assert group == "upstream failed"


def test_whitespace_is_collapsed() -> None:
    assert line_group("disk   full\t on   sda") == "disk full on sda"


def test_a_line_that_is_only_a_header_keeps_its_text() -> None:
    assert line_group("ERROR") == "ERROR"
