"""Client hosts MySQL blocked for connection errors, read from performance_schema.host_cache."""

from faultmaven.snapshots import read_snapshots

HOST_CACHE = """mysql> SELECT IP, HOST, SUM_CONNECT_ERRORS FROM performance_schema.host_cache;
+------------+------------------------+--------------------+
| IP         | HOST                   | SUM_CONNECT_ERRORS |
+------------+------------------------+--------------------+
| 10.44.0.11 | dbproxy-01.billing.lan |                  0 |
| 10.44.0.12 | dbproxy-02.billing.lan |                 20 |
| 10.44.3.40 | NULL                   |                 25 |
+------------+------------------------+--------------------+
mysql> SHOW GLOBAL VARIABLES LIKE 'max_connect_errors';
+--------------------+-------+
| Variable_name      | Value |
+--------------------+-------+
| max_connect_errors | 20    |
+--------------------+-------+""".splitlines()


def _blocked(lines: list[str]) -> list[tuple[int, str]]:
    return [
        (finding.line_start, finding.subject)
        for finding in read_snapshots(lines)
        if finding.kind == "host_blocked"
    ]


def test_hosts_whose_connect_errors_reached_the_limit_are_named_by_their_first_label() -> None:
    assert _blocked(HOST_CACHE) == [(6, "dbproxy-02"), (7, "10.44.3.40")]


def test_without_the_limit_shown_mysqls_default_of_100_applies() -> None:
    assert _blocked(HOST_CACHE[:8]) == []
