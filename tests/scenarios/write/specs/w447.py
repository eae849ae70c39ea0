# ruff: noqa: E501
# PostgreSQL lines, Python log lines and pasted psql output are data, kept whole on one line.
"""PostgreSQL hot standby: pg-replica-2 was rebuilt on Monday by the `pg_replica` Ansible role
v3, which no longer sets `hot_standby_feedback = on` (the old hand-edited config did). The
primary's autovacuum now removes row versions that long report queries on pg-replica-2 still
need, and after `max_standby_streaming_delay` (30 s) the standby cancels them ("conflict with
recovery", snapshot conflicts). report-api's long finance exports fail on pg-replica-2 only;
pg-replica-1 still has feedback on. Decoys: a disk usage warning on pg-replica-1, a client
connection reset in the replica log, a slow-query warning in report-api."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Postgres, PythonLogging, Record
from scenes import at, fixed, loud
from traffic import database_server, traffic, web_api


@dataclass
class PostgresDetail(Postgres):
    """PostgreSQL's stderr log; a record's trailer lines are its DETAIL lines, same prefix."""

    def render(self, record: Record) -> list[str]:
        first = super().render(record)[0]
        prefix = first[: first.index("] ") + 2]
        return [first, *(f"{prefix}DETAIL:  {line}" for line in record.trailer)]


START = datetime(2026, 2, 17, 5, 0, tzinfo=UTC)
MINUTES = 300.0


def bundle() -> Bundle:
    rng = random.Random(44701)
    replica = LogFile("logs/pg-replica-2/postgresql-Tue.log", PostgresDetail(rng))
    replica.add(traffic(rng, database_server(), START, MINUTES, 3600))
    replica.add(
        loud(
            rng,
            START,
            62,
            MINUTES - 64,
            46,
            fixed(
                "ERROR",
                lambda r: "canceling statement due to conflict with recovery",
                lambda r: [
                    "User query might have needed to see row versions that must be removed."
                ],
            ),
        )
    )
    replica.add(
        [
            at(START, 1.2, "INFO", "entering standby mode"),
            at(START, 1.3, "INFO", "consistent recovery state reached at 4A/1C3F22E8"),
            at(START, 1.4, "INFO", "database system is ready to accept read-only connections"),
            at(
                START,
                1.5,
                "INFO",
                "started streaming WAL from primary at 4A/1C000000 on timeline 7",
            ),
            at(
                START, 133.7, "INFO", "could not receive data from client: Connection reset by peer"
            ),
        ]
    )

    api = LogFile(
        "logs/report-api.log",
        PythonLogging(("report_api.http", "report_api.jobs", "report_api.db"), rng),
    )
    api.add(
        traffic(rng, web_api("report-api", ["reports", "exports", "ledgers"]), START, MINUTES, 2600)
    )
    api.add(
        loud(
            rng,
            START,
            62,
            MINUTES - 64,
            44,
            fixed(
                "ERROR",
                lambda r: (
                    f"export job {r.getrandbits(32):08x} failed after {r.randrange(31, 58)}.{r.randrange(10)}s on pg-replica-2.db.internal: psycopg2.errors.SerializationFailure: canceling statement due to conflict with recovery"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            62,
            MINUTES - 64,
            30,
            fixed(
                "WARN",
                lambda r: (
                    f"GET /api/v1/exports/{r.randrange(10**5)} 500 {r.randrange(31000, 58000)}ms client=10.44.{r.randrange(256)}.{r.randrange(1, 255)}"
                ),
            ),
        )
    )
    api.add(
        [
            at(
                START,
                88.4,
                "WARN",
                "slow query 4.21s on pg-replica-1.db.internal: SELECT account_id, sum(amount) FROM ledger_entries GROUP BY 1",
                logger="report_api.db",
            ),
        ]
    )

    pasted = "\n".join(
        [
            "postgres@pg-replica-1:~$ psql -XAtc \"SELECT name, setting FROM pg_settings WHERE name IN ('hot_standby_feedback','max_standby_streaming_delay','max_standby_archive_delay') ORDER BY 1\"",
            "hot_standby_feedback|on",
            "max_standby_archive_delay|30000",
            "max_standby_streaming_delay|30000",
            "postgres@pg-replica-2:~$ psql -XAtc \"SELECT name, setting FROM pg_settings WHERE name IN ('hot_standby_feedback','max_standby_streaming_delay','max_standby_archive_delay') ORDER BY 1\"",
            "hot_standby_feedback|off",
            "max_standby_archive_delay|30000",
            "max_standby_streaming_delay|30000",
            "postgres@pg-replica-2:~$ psql -Xc 'SELECT datname, confl_tablespace, confl_lock, confl_snapshot, confl_bufferpin, confl_deadlock FROM pg_stat_database_conflicts WHERE datname = $$finance$$'",
            " datname | confl_tablespace | confl_lock | confl_snapshot | confl_bufferpin | confl_deadlock ",
            "---------+------------------+------------+----------------+-----------------+----------------",
            " finance |                0 |          1 |            213 |               2 |              0",
            "(1 row)",
            "",
            "postgres@pg-primary:~$ psql -Xc 'SELECT application_name, client_addr, state, backend_xmin FROM pg_stat_replication'",
            " application_name | client_addr |   state   | backend_xmin ",
            "------------------+-------------+-----------+--------------",
            " pg-replica-1     | 10.44.8.21  | streaming |    918273645",
            " pg-replica-2     | 10.44.8.22  | streaming |             ",
            "(2 rows)",
            "",
            "postgres@pg-replica-1:~$ df -h /var/lib/postgresql",
            "Filesystem      Size  Used Avail Use% Mounted on",
            "/dev/nvme1n1    1.0T  781G  243G  77% /var/lib/postgresql",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Finance exports - on-call notes (times CET)",
            "",
            "* Since Tue ~08:00 CET about a third of export jobs fail, dashboards show partial data.",
            "* report-api load-balances read queries over pg-replica-1 and pg-replica-2 (pgbouncer, round robin).",
            "* pg-replica-2 was rebuilt Mon afternoon with the pg_replica Ansible role v3 (CHG-3318) after the disk swap.",
            "* Monitoring: disk on pg-replica-1 at 77%, warning threshold 75% - ticket OPS-9120 open.",
            "* Primary: autovacuum busy on ledger_entries as usual after the month-end load.",
            "",
        ]
    )
    return Bundle(
        question="About a third of the finance export jobs in report-api have been failing since Tuesday morning and dashboards show partial data. What is the root cause?",
        category="database",
        component="pg-replica-2",
        statement="pg-replica-2 was rebuilt by Ansible role v3 without hot_standby_feedback (now off, no backend_xmin on the primary), so vacuum on the primary removes rows that long report queries on pg-replica-2 still need and the standby cancels them after 30 s (confl_snapshot, 'conflict with recovery'); exports routed to pg-replica-2 fail.",
        files={
            "notes.txt": notes,
            "psql-checks.txt": pasted,
            "logs/pg-replica-2/postgresql-Tue.log": replica.render(),
            "logs/report-api.log": api.render(),
        },
        proofs=[
            Proof("psql-checks.txt", "hot_standby_feedback|off"),
            Proof("psql-checks.txt", " finance |                0 |          1 |            213"),
            Proof("psql-checks.txt", " pg-replica-2     | 10.44.8.22  | streaming |             "),
        ],
        decoys=[
            "OPS-9120",
            "could not receive data from client: Connection reset by peer",
            "slow query 4.21s on pg-replica-1",
        ],
    )
