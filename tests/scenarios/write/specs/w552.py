# ruff: noqa: E501
# Hand-written PostgreSQL lines, autovacuum reports and pasted psql output are data, kept whole on one line.
"""PostgreSQL, database: on 26 November an engineer opened a psql session on the ledger database
from a bastion host, ran an UPDATE inside BEGIN and never committed; the session has sat `idle
in transaction` ever since (idle_in_transaction_session_timeout is 0). Its transaction ID
1874102553 is the oldest running XID, so every anti-wraparound autovacuum on ledger stops at
that removable cutoff and freezes nothing; age(datfrozenxid) climbs ~2M XIDs an hour. Through
the night the server warns on each write that database "ledger" must be vacuumed within N
transactions, and at 03:12 UTC it reaches the stop limit and refuses every command that
assigns an XID: ledger-api's POSTs and payout-worker's batch commits fail, reads still work.
Loud: the flood of must-be-vacuumed warnings and the write errors in both apps. Decoys:
frequent-checkpoint warnings, client connection resets, and ledger-api's stale FX rates."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, steady
from records import Record, SpringBoot, Zap
from scenes import at, fixed, java_trace, loud
from traffic import _ip, traffic, web_api, worker

START = datetime(2026, 1, 8, 0, 40, tzinfo=UTC)
END = datetime(2026, 1, 8, 4, 6, tzinfo=UTC)
STOP = 152.0  # 03:12 UTC
OPEN_XID = 1874102553
FROZEN = 1874090549
WRAP = FROZEN + 2**31 - 1
PER_MINUTE = 35_200
HINT_TAIL = "\tYou might also need to commit or roll back old prepared transactions, or drop stale replication slots."
TABLES = ["journal_entries", "postings", "payout_batches", "account_balances", "audit_events"]


@dataclass
class PgLog:
    """PostgreSQL 15 stderr log, `log_line_prefix = '%m [%p] %q%u@%d '`, continuation lines tab-indented."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        level = {
            "INFO": "LOG",
            "WARN": "WARNING",
            "ERROR": "ERROR",
            "FATAL": "FATAL",
            "DEBUG": "DEBUG",
        }[record.level]
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d} UTC"
        )
        who = f"{record.logger} " if record.logger else ""
        pid = self.rng.randrange(1000, 90000)
        lines = [f"{stamp} [{pid}] {who}{level}:  {record.message}"]
        for extra in record.trailer:
            if extra.startswith(("\tHINT:", "\tSTATEMENT:", "\tDETAIL:", "\tCONTEXT:")):
                lines.append(f"{stamp} [{pid}] {who}{extra[1:]}")
            else:
                lines.append(extra)
        return lines


def next_xid(minute: float) -> int:
    """The next XID at `minute`: climbing until the stop limit, flat afterwards."""
    return WRAP - 3_000_000 - int((STOP - min(minute, STOP)) * PER_MINUTE)


def pg_chatter(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    app = rng.choice(["ledger-api", "payout-worker", "recon-job"])
    if roll < 0.3:
        return (
            "INFO",
            f"connection authorized: user=ledger_app database=ledger application_name={app}",
            (),
        )
    if roll < 0.5:
        return (
            "INFO",
            f"connection received: host={_ip(rng)} port={rng.randrange(30000, 60000)}",
            (),
        )
    if roll < 0.68:
        return (
            "INFO",
            f"disconnection: session time: 0:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(1000):03d} user=ledger_app database=ledger host={_ip(rng)} port={rng.randrange(30000, 60000)}",
            (),
        )
    if roll < 0.78:
        return (
            "INFO",
            f"checkpoint complete: wrote {rng.randrange(800, 9000)} buffers ({rng.random() * 12:.1f}%); 0 WAL file(s) added, {rng.randrange(0, 9)} removed, {rng.randrange(4, 30)} recycled; write={rng.random() * 160:.3f} s, sync={rng.random():.3f} s, total={rng.random() * 170:.3f} s",
            (),
        )
    if roll < 0.86:
        return "INFO", "checkpoint starting: time", ()
    return (
        "INFO",
        f"duration: {rng.uniform(1000, 4200):.3f} ms  statement: SELECT account_id, sum(amount) FROM postings WHERE booked_on >= $1 GROUP BY account_id",
        (),
    )


def aggressive_vacuum(rng: random.Random, minute: float, table: str) -> tuple[str, tuple[str, ...]]:
    pages = rng.randrange(200_000, 2_400_000)
    dead = rng.randrange(400_000, 9_000_000)
    age = next_xid(minute) - OPEN_XID
    return (
        f'automatic aggressive vacuum to prevent wraparound of table "ledger.public.{table}": index scans: 0',
        (
            f"\tpages: 0 removed, {pages} remain, {pages} scanned (100.00% of total)",
            f"\ttuples: 0 removed, {pages * 61 + dead} remain, {dead} are dead but not yet removable",
            f"\tremovable cutoff: {OPEN_XID}, which was {age} XIDs old when operation ended",
            "\tfrozen: 0 pages from table (0.00% of total) had 0 tuples frozen",
            f"\tindex scan bypassed: {rng.randrange(200, 4000)} pages from table (0.{rng.randrange(1, 99):02d}% of total) have {rng.randrange(1000, 90000)} dead item identifiers",
            f"\tavg read rate: {rng.uniform(40, 160):.3f} MB/s, avg write rate: {rng.uniform(0, 3):.3f} MB/s",
            f"\tbuffer usage: {pages + rng.randrange(1000)} hits, {rng.randrange(100000, 900000)} misses, {rng.randrange(0, 90)} dirtied",
            f"\tWAL usage: {rng.randrange(0, 80)} records, {rng.randrange(0, 40)} full page images, {rng.randrange(0, 90000)} bytes",
            f"\tsystem usage: CPU: user: {rng.uniform(3, 40):.2f} s, system: {rng.uniform(1, 9):.2f} s, elapsed: {rng.uniform(60, 420):.2f} s",
        ),
    )


def bundle() -> Bundle:
    rng = random.Random(55209)
    total = (END - START).total_seconds() / 60

    pg = LogFile("logs/postgresql-2026-01-08.log", PgLog(rng))
    pg.add(traffic(rng, pg_chatter, START, total, 2600))

    minute = rng.uniform(1.0, 4.0)
    index = 0
    while minute < total - 2:
        table = TABLES[index % len(TABLES)]
        pg.add(
            [
                at(
                    START,
                    minute,
                    "WARN",
                    "cutoff for removing and freezing tuples is far in the past",
                    (
                        "\tHINT:  Close open transactions soon to avoid wraparound problems.",
                        HINT_TAIL,
                    ),
                ),
            ]
        )
        ended = minute + 0.9 + (index % 3) * 0.37
        message, trailer = aggressive_vacuum(rng, ended, table)
        pg.add([at(START, ended, "INFO", message, trailer)])
        minute += rng.uniform(7.0, 11.0)
        index += 1

    # Every XID assignment past the warn limit warns; the log samples them as clients write.
    offsets = sorted(rng.uniform(0, STOP - 0.02) for _ in range(1500))
    for offset in offsets:
        remaining = WRAP - next_xid(offset) + rng.randrange(0, 900)
        pg.add(
            [
                Record(
                    START + timedelta(minutes=offset),
                    "WARN",
                    f'database "ledger" must be vacuumed within {remaining} transactions',
                    (
                        "\tHINT:  To avoid a database shutdown, execute a database-wide VACUUM in that database.",
                        HINT_TAIL,
                    ),
                    rng.choice(["ledger_app@ledger", "payout@ledger"]),
                )
            ]
        )

    statements = [
        "INSERT INTO journal_entries (id, account_id, amount, currency, booked_on, ref) VALUES ($1, $2, $3, $4, $5, $6)",
        "UPDATE payout_batches SET status = 'committed', committed_at = now() WHERE id = $1",
        "INSERT INTO postings (entry_id, account_id, side, amount) VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)",
    ]

    def refused(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "ERROR",
            'database is not accepting commands to avoid wraparound data loss in database "ledger"',
            (
                "\tHINT:  Stop the postmaster and vacuum that database in single-user mode.",
                HINT_TAIL,
                f"\tSTATEMENT:  {r.choice(statements)}",
            ),
        )

    errors = loud(rng, START, STOP + 0.01, total - STOP - 0.1, 900, refused)
    pg.add(
        [
            Record(
                r.time,
                r.level,
                r.message,
                r.trailer,
                rng.choice(["ledger_app@ledger", "payout@ledger"]),
            )
            for r in errors
        ]
    )
    pg.add(
        loud(
            rng,
            START,
            0,
            total,
            26,
            fixed(
                "INFO",
                lambda r: (
                    f"checkpoints are occurring too frequently ({r.randrange(11, 27)} seconds apart)"
                ),
                lambda r: (
                    '\tHINT:  Consider increasing the configuration parameter "max_wal_size".',
                ),
            ),
        )
    )
    pg.add(
        loud(
            rng,
            START,
            0,
            total,
            40,
            fixed("INFO", lambda r: "could not receive data from client: Connection reset by peer"),
        )
    )

    api = LogFile(
        "logs/ledger-api.log",
        Zap(
            (
                "httpapi/entries.go:118",
                "httpapi/accounts.go:64",
                "store/postgres.go:211",
                "fx/client.go:49",
            ),
            rng=rng,
        ),
    )
    api.add(
        traffic(
            rng, web_api("ledger-api", ["accounts", "balances", "statements"]), START, total, 3800
        )
    )
    api.add(
        loud(
            rng,
            START,
            0,
            STOP,
            700,
            fixed(
                "INFO",
                lambda r: (
                    f"POST /v1/entries 201 {r.randrange(6, 60)}ms entry_id=je_{r.getrandbits(48):012x} postings=2"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            STOP + 0.02,
            total - STOP - 0.1,
            640,
            fixed(
                "ERROR",
                lambda r: (
                    f'POST /v1/entries 500 {r.randrange(2, 9)}ms: insert journal entry: pq: database is not accepting commands to avoid wraparound data loss in database "ledger"'
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            0,
            total,
            35,
            fixed(
                "WARN",
                lambda r: (
                    f"fx-rates upstream slow ({r.randrange(2100, 4800)}ms), serving cached rates age={r.randrange(300, 1800)}s"
                ),
            ),
        )
    )

    payout = LogFile(
        "logs/payout-worker.log",
        SpringBoot(
            (
                "c.k.payout.batch.BatchCommitter",
                "c.k.payout.batch.BatchScheduler",
                "c.k.payout.bank.SepaClient",
                "o.s.k.l.KafkaMessageListenerContainer",
            ),
            pid=1,
            rng=rng,
        ),
    )
    payout.add(
        traffic(
            rng, worker("payout-worker", ["payout.requested", "payout.settled"]), START, total, 2400
        )
    )

    def commit_failed(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        batch = r.randrange(90000, 99999)
        return (
            "ERROR",
            f"Commit of payout batch {batch} failed, will retry in 30s",
            tuple(
                java_trace(
                    "org.springframework.dao.DataAccessResourceFailureException: PreparedStatementCallback; SQL [UPDATE payout_batches SET status = 'committed', committed_at = now() WHERE id = ?]; ERROR: database is not accepting commands to avoid wraparound data loss in database \"ledger\"",
                    [
                        "org.springframework.jdbc.support.SQLStateSQLExceptionTranslator.doTranslate(SQLStateSQLExceptionTranslator.java:105)",
                        "org.springframework.jdbc.core.JdbcTemplate.update(JdbcTemplate.java:1008)",
                        "com.kestrel.payout.batch.BatchCommitter.commit(BatchCommitter.java:77)",
                    ],
                    [
                        'org.postgresql.util.PSQLException: ERROR: database is not accepting commands to avoid wraparound data loss in database "ledger"',
                        "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2713)",
                        "org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2401)",
                        "org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:152)",
                    ],
                    more=14,
                )
            ),
        )

    payout.add(
        [
            Record(r.time, r.level, r.message, r.trailer, "c.k.payout.batch.BatchCommitter")
            for r in loud(rng, START, STOP + 0.05, total - STOP - 0.2, 160, commit_failed)
        ]
    )
    payout.add(
        [
            Record(r.time, r.level, r.message, r.trailer, "c.k.payout.batch.BatchCommitter")
            for r in loud(
                rng,
                START,
                0,
                STOP,
                140,
                fixed(
                    "INFO",
                    lambda r: (
                        f"Committed payout batch {r.randrange(90000, 99999)} ({r.randrange(20, 400)} transfers)"
                    ),
                ),
            )
        ]
    )

    samples = int(total)

    def xid_age(index: int) -> float:
        return next_xid(index) - FROZEN + (rng.randrange(0, 400) if index < STOP else 4)

    def tx_rate(index: int) -> float:
        return PER_MINUTE / 60 * rng.uniform(0.93, 1.07) if index < STOP else rng.uniform(0, 2)

    def longest_tx(index: int) -> float:
        opened = datetime(2025, 11, 26, 16, 47, 12, tzinfo=UTC)
        return (START + timedelta(minutes=index) - opened).total_seconds()

    metrics = csv_text(
        START,
        60,
        samples,
        {
            'pg_database_datfrozenxid_age{datname="ledger"}': xid_age,
            'pg_stat_database_xact_commit_rate{datname="ledger"}': tx_rate,
            "pg_stat_activity_max_tx_duration_seconds": longest_tx,
            'pg_stat_database_numbackends{datname="ledger"}': steady(rng, 64, 0.08),
            "node_filesystem_used_percent_pgdata": steady(rng, 71, 0.004),
        },
        decimals=0,
    )

    final_age = WRAP - 3_000_000 - FROZEN
    psql = "\n".join(
        [
            "ledger=# SELECT now();",
            "              now",
            "-------------------------------",
            " 2026-01-08 04:02:51.118331+00",
            "(1 row)",
            "",
            "ledger=# SELECT datname, age(datfrozenxid) FROM pg_database ORDER BY 2 DESC;",
            "  datname  |    age",
            "-----------+------------",
            f" ledger    | {final_age + 4}",
            f" postgres  | {final_age - 11873}",
            f" template1 | {final_age - 12004}",
            f" template0 | {final_age - 12391}",
            "(4 rows)",
            "",
            "ledger=# SELECT c.relname, age(c.relfrozenxid) FROM pg_class c WHERE c.relkind IN ('r','t','m') ORDER BY 2 DESC LIMIT 5;",
            "     relname      |    age",
            "------------------+------------",
            f" payout_batches   | {final_age + 4}",
            f" journal_entries  | {final_age - 2210}",
            f" postings         | {final_age - 5107}",
            f" account_balances | {final_age - 7781}",
            f" audit_events     | {final_age - 9950}",
            "(5 rows)",
            "",
            "ledger=# SELECT slot_name, slot_type, active, xmin, catalog_xmin, restart_lsn FROM pg_replication_slots;",
            "    slot_name     | slot_type | active | xmin | catalog_xmin | restart_lsn",
            "------------------+-----------+--------+------+--------------+--------------",
            " ledger_replica_b | physical  | t      |      |              | 9C1/5E0A4B28",
            "(1 row)",
            "",
            "ledger=# SELECT gid, prepared, owner, database FROM pg_prepared_xacts;",
            " gid | prepared | owner | database",
            "-----+----------+-------+----------",
            "(0 rows)",
            "",
            "ledger=# SELECT pid, usename, application_name, client_addr, backend_start, xact_start, state, backend_xid, backend_xmin, left(query, 60) AS query FROM pg_stat_activity WHERE backend_xid IS NOT NULL OR backend_xmin IS NOT NULL ORDER BY xact_start LIMIT 4;",
            "  pid  |   usename   | application_name | client_addr |         backend_start         |          xact_start           |        state        | backend_xid | backend_xmin |                            query",
            "-------+-------------+------------------+-------------+-------------------------------+-------------------------------+---------------------+-------------+--------------+--------------------------------------------------------------",
            f" 48213 | m.okonkwo   | psql             | 10.40.9.23  | 2025-11-26 16:44:08.551902+00 | 2025-11-26 16:47:12.904117+00 | idle in transaction |  {OPEN_XID} |              | UPDATE payout_batches SET status = 'retry' WHERE id = 88213;",
            f" 77120 | ledger_app  | ledger-api       | 10.40.3.61  | 2026-01-08 03:58:40.220193+00 | 2026-01-08 04:02:51.100452+00 | active              |             |   {OPEN_XID} | SELECT id, account_id, amount, currency FROM journal_entries",
            f" 77311 | postgres    | psql             |             | 2026-01-08 03:59:02.771640+00 | 2026-01-08 04:02:51.118331+00 | active              |             |   {OPEN_XID} | SELECT pid, usename, application_name, client_addr, backend_",
            "(3 rows)",
            "",
            "ledger=# SHOW idle_in_transaction_session_timeout;",
            " idle_in_transaction_session_timeout",
            "-------------------------------------",
            " 0",
            "(1 row)",
            "",
        ]
    )
    return Bundle(
        question="Since 03:12 UTC every write to the ledger fails: ledger-api answers 500 on POST /v1/entries and payout-worker cannot commit any payout batch, while reads still work. No deploy happened tonight. What is the root cause?",
        category="database",
        component="ledger",
        statement="An interactive session opened on 26 November (pid 48213, m.okonkwo from 10.40.9.23) has been idle in transaction for six weeks with XID 1874102553, holding back the xmin horizon so anti-wraparound autovacuum on ledger can freeze nothing; age(datfrozenxid) reached the stop limit at 03:12 UTC and PostgreSQL now refuses every command that needs a new XID to avoid wraparound data loss.",
        files={
            "logs/postgresql-2026-01-08.log": pg.render(),
            "logs/ledger-api.log": api.render(),
            "logs/payout-worker.log": payout.render(),
            "metrics/ledger-db.csv": metrics,
            "psql-ledger-0402.txt": psql,
        },
        proofs=[
            Proof("psql-ledger-0402.txt", "| idle in transaction |"),
            Proof("psql-ledger-0402.txt", f" ledger    | {final_age + 4}"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "could not receive data from client: Connection reset by peer",
            "fx-rates upstream slow",
        ],
    )
