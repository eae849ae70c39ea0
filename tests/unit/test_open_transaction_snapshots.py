"""A session idle in a transaction opened long before the others, read from pg_stat_activity."""

from faultmaven.snapshots import read_snapshots

ACTIVITY = """ledger=# SELECT pid, usename, xact_start, state FROM pg_stat_activity;
  pid  |  usename   |          xact_start           |        state
-------+------------+-------------------------------+---------------------
 48213 | m.okonkwo  | 2025-11-26 16:47:12.904117+00 | idle in transaction
 77120 | ledger_app | 2026-01-08 04:02:51.100452+00 | active
 77125 | ledger_app | 2026-01-08 04:02:50.100452+00 | idle in transaction
(3 rows)"""


def _left_open(text: str) -> list[tuple[int, str, str]]:
    return [
        (finding.line_start, finding.subject, finding.detail)
        for finding in read_snapshots(text.splitlines())
        if finding.kind == "transaction_left_open"
    ]


def test_the_oldest_transaction_left_open_is_read_with_the_database_psql_is_on() -> None:
    assert _left_open(ACTIVITY) == [
        (4, "ledger", "m.okonkwo (pid 48213) idle in a transaction open since 2025-11-26 16:47:12")
    ]


def test_a_transaction_idle_for_a_second_is_no_finding() -> None:
    assert _left_open(ACTIVITY.replace("2025-11-26 16:47:12", "2026-01-08 04:02:49")) == []
