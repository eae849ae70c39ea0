# ruff: noqa: E501
# Hand-written PostgreSQL, journald and application lines and pasted psql output are data, kept whole on one line.
"""PostgreSQL, commits waiting on a missing synchronous standby: pg-ledger-1 names a single
synchronous standby (`synchronous_standby_names = 'pg-ledger-2'`, synchronous_commit on). In the
02:00 CDT patch window pg-ledger-2 is rebooted for a kernel update, and its postgresql-16 unit,
never enabled at boot since the host was rebuilt, stays down. From 07:04 UTC every writing
transaction on the primary waits in SyncRep; ledger-api's pool fills with connections stuck
in COMMIT and requests time out, while reads keep working. Loud: Hikari timeouts, cancelled
sync-rep waits. Decoys: checkpoints too frequent, pg-ledger-3 (async) replay lag, a failed
Grafana login."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot, space_millis
from scenes import at, fixed, loud
from traffic import database_server, host_traffic, traffic, web_api

START = datetime(2025, 5, 20, 6, 30, tzinfo=UTC)
MINUTES = 120.0
REBOOT = 34.0


@dataclass
class PgLog:
    """PostgreSQL's stderr log, `log_line_prefix = '%m [%p] '`; trailer lines (DETAIL, HINT) share the prefix."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "LOG", "WARN": "WARNING", "FATAL": "FATAL"}.get(record.level, "ERROR")
        prefix = f"{space_millis(record.time)} UTC [{self.rng.randrange(100, 60000)}] "
        return [f"{prefix}{level}:  {record.message}", *(prefix + line for line in record.trailer)]


@dataclass
class JournalByProgram:
    """`journalctl -o short-iso` with each record's own program (its logger)."""

    host: str

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
        return [f"{stamp} {self.host} {record.logger or 'systemd[1]'}: {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(30647)
    primary = LogFile("logs/pg-ledger-1/postgresql-Tue.log", PgLog(rng))
    primary.add(traffic(rng, database_server(), START, MINUTES, 2400))
    primary.add(
        [
            at(
                START,
                REBOOT + 0.05,
                "INFO",
                "could not receive data from client: Connection reset by peer",
            ),
            at(START, REBOOT + 0.06, "INFO", "unexpected EOF on standby connection"),
            at(
                START,
                21.0,
                "INFO",
                "checkpoints are occurring too frequently (24 seconds apart)",
                ('HINT:  Consider increasing the configuration parameter "max_wal_size".',),
            ),
            at(START, 52.0, "FATAL", 'password authentication failed for user "grafana"'),
        ]
    )
    primary.add(
        loud(
            rng,
            START,
            REBOOT + 1.5,
            MINUTES - REBOOT - 2,
            260,
            fixed(
                "WARN",
                lambda r: "canceling wait for synchronous replication due to user request",
                lambda r: (
                    "DETAIL:  The transaction has already committed locally, but might not have been replicated to the standby.",
                ),
            ),
        )
    )

    standby = LogFile("logs/pg-ledger-2-journal.log", JournalByProgram("pg-ledger-2"))
    standby.add(
        [
            at(
                START,
                REBOOT - 3.0,
                "INFO",
                "Started dnf-automatic-install.service - dnf automatic install updates.",
            ),
            at(
                START,
                REBOOT - 1.0,
                "INFO",
                "Installed: kernel-5.14.0-503.40.1.el9_5.x86_64; reboot required, scheduling reboot",
                logger="dnf-automatic[2231]",
            ),
            at(
                START,
                REBOOT - 0.5,
                "INFO",
                "Stopping postgresql-16.service - PostgreSQL 16 database server...",
            ),
            at(START, REBOOT - 0.2, "INFO", "postgresql-16.service: Deactivated successfully."),
            at(START, REBOOT - 0.1, "INFO", "Reached target reboot.target - System Reboot."),
            at(
                START,
                REBOOT + 1.2,
                "INFO",
                "Linux version 5.14.0-503.40.1.el9_5.x86_64 (mockbuild@x86-64-01.build.eng.rdu2.redhat.com) #1 SMP PREEMPT_DYNAMIC",
                logger="kernel",
            ),
            at(
                START, REBOOT + 1.6, "INFO", "Reached target multi-user.target - Multi-User System."
            ),
            at(
                START,
                REBOOT + 1.65,
                "INFO",
                "Startup finished in 2.101s (kernel) + 4.733s (initrd) + 9.220s (userspace) = 16.055s.",
            ),
        ]
    )
    standby.add(host_traffic(rng, START + timedelta(minutes=REBOOT + 2), MINUTES - REBOOT - 2, 160))
    standby.add(host_traffic(rng, START, REBOOT - 4, 60))

    api = LogFile(
        "logs/ledger-api.log",
        SpringBoot(
            (
                "c.f.ledger.web.EntryController",
                "c.f.ledger.service.PostingService",
                "com.zaxxer.hikari.pool.HikariPool",
                "o.h.engine.jdbc.spi.SqlExceptionHelper",
            ),
            pid=1,
            rng=rng,
        ),
    )
    api.add(
        traffic(
            rng, web_api("ledger-api", ["entries", "accounts", "balances"]), START, MINUTES, 3900
        )
    )
    api.add(
        loud(
            rng,
            START,
            REBOOT + 1.5,
            MINUTES - REBOOT - 2,
            420,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /api/v1/entries failed after 30002ms: org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager for transaction; HikariPool-1 - Connection is not available, request timed out after 30000ms (total=40, active=40, idle=0, waiting={r.randrange(20, 120)})"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            REBOOT + 1.5,
            MINUTES - REBOOT - 2,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f"slow transaction {r.getrandbits(40):010x}: commit took {r.randrange(30, 120)}s (PostingService.post)"
                ),
            ),
        )
    )

    pasted = "\n".join(
        [
            "ledger=# SHOW synchronous_standby_names; SHOW synchronous_commit;",
            " synchronous_standby_names ",
            "---------------------------",
            " pg-ledger-2",
            "(1 row)",
            "",
            " synchronous_commit ",
            "--------------------",
            " on",
            "(1 row)",
            "",
            "ledger=# SELECT application_name, client_addr, state, sync_state, replay_lag FROM pg_stat_replication;",
            " application_name | client_addr |   state   | sync_state |   replay_lag    ",
            "------------------+-------------+-----------+------------+-----------------",
            " pg-ledger-3      | 10.8.1.23   | streaming | async      | 00:00:41.20811",
            "(1 row)",
            "",
            "ledger=# SELECT wait_event_type, wait_event, state, count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY 1, 2, 3 ORDER BY 4 DESC;",
            " wait_event_type | wait_event |        state        | count ",
            "-----------------+------------+---------------------+-------",
            " IPC             | SyncRep    | active              |    38",
            "                 |            | idle                |     9",
            " Client          | ClientRead | idle in transaction |     2",
            "                 |            | active              |     1",
            "(4 rows)",
            "",
            "[root@pg-ledger-2 ~]# systemctl status postgresql-16 --no-pager | head -3",
            "○ postgresql-16.service - PostgreSQL 16 database server",
            "     Loaded: loaded (/usr/lib/systemd/system/postgresql-16.service; disabled; preset: disabled)",
            "     Active: inactive (dead) since Tue 2025-05-20 02:03:47 CDT; 1h 21min ago",
            "",
        ]
    )
    return Bundle(
        question="ledger-api has been timing out on every posting since just after 02:00 CDT, but balance reads still work. What is the root cause?",
        category="database",
        component="pg-ledger-2",
        statement="pg-ledger-2, the only synchronous standby named in pg-ledger-1's synchronous_standby_names, was rebooted for a kernel update at 02:03 CDT and its postgresql-16 unit (disabled at boot) never came back; every commit on pg-ledger-1 waits in SyncRep, ledger-api's pool fills with stuck commits and postings time out.",
        files={
            "psql-and-hosts.txt": pasted,
            "logs/pg-ledger-1/postgresql-Tue.log": primary.render(),
            "logs/pg-ledger-2-journal.log": standby.render(),
            "logs/ledger-api.log": api.render(),
        },
        proofs=[
            Proof(
                "psql-and-hosts.txt",
                "postgresql-16.service; disabled; preset: disabled",
                "Active: inactive (dead)",
            ),
            Proof("psql-and-hosts.txt", " pg-ledger-2"),
            Proof("psql-and-hosts.txt", " IPC             | SyncRep"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "00:00:41.20811",
            'password authentication failed for user "grafana"',
        ],
    )
