"""Which logs state their zone, and which offsets they state."""

from datetime import timedelta

from faultmaven.logs.zones import stated_offsets, zone_free

NGINX_ERROR = [
    "2026/11/18 04:12:33 [error] 31#31: *42804 connect() to unix:/tmp/wiki.sock failed",
    "2026/11/18 04:12:35 [error] 31#31: *42805 connect() to unix:/tmp/wiki.sock failed",
    "2026/11/18 04:12:38 [error] 31#31: *42806 connect() to unix:/tmp/wiki.sock failed",
]
NGINX_ACCESS = [
    '10.1.2.3 - - [18/Nov/2026:04:12:31 +0900] "GET /wiki HTTP/1.1" 502 166 "-" "curl/8.5.0"',
    '10.1.2.4 - - [18/Nov/2026:04:12:37 +0900] "GET /wiki HTTP/1.1" 502 166 "-" "curl/8.5.0"',
    '10.1.2.5 - - [18/Nov/2026:04:12:39 +0900] "GET /wiki HTTP/1.1" 502 166 "-" "curl/8.5.0"',
]
SYSLOG = [f"Nov 18 04:12:2{i} wiki-app-01 systemd[1]: Started session {i}." for i in range(4)]
ISO_UTC = [f"2026-11-18T04:12:2{i}Z INFO started worker {i}" for i in range(4)]


def test_logs_without_zones_are_zone_free_and_zoned_ones_are_not() -> None:
    assert zone_free(NGINX_ERROR) and zone_free(SYSLOG)
    assert not zone_free(NGINX_ACCESS) and not zone_free(ISO_UTC)
    assert not zone_free(["no time here", "nor here"])


def test_stated_offsets_other_than_zero_are_collected() -> None:
    assert stated_offsets(NGINX_ACCESS) == {timedelta(hours=9)}
    assert stated_offsets(["2026-04-06 08:12:00.373000-03:00 [warning] x"]) == {timedelta(hours=-3)}
    assert stated_offsets(["2026-05-20T01:00:24.159+05:30 INFO y"]) == {
        timedelta(hours=5, minutes=30)
    }
    assert stated_offsets(ISO_UTC) == set()
    assert stated_offsets(["2026-05-20T01:00:24+00:00 INFO y"]) == set()
