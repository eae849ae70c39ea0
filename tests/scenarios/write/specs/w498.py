# ruff: noqa: E501
# PostgreSQL lines, psql output and hand-written log lines are data, kept whole on one line.
"""PostgreSQL 16 (ledger-db): a two-phase-commit transaction prepared by settlement-worker on
2026-02-26 was never committed or rolled back (the worker's transaction manager lost its
journal in a redeploy). The orphaned prepared transaction holds back the xmin horizon, so
autovacuum's anti-wraparound runs cannot advance datfrozenxid; for hours the log carries
`oldest xmin is far in the past` and `must be vacuumed within N transactions` warnings. At
03:41 UTC the server stops assigning new XIDs: every write from ledger-api and
settlement-worker fails with `database is not accepting commands that assign new XIDs`. Decoys:
frequent-checkpoint warnings, a pgbouncer `client_login_timeout` line, and ledger-api's slow
report query."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Postgres, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 3, 18, 1, 5, tzinfo=UTC)
MINUTES = 200
STOP = 156.0  # 03:41
APPS = ["ledger-api", "settlement-worker", "ledger-reports"]


def pg_line(rng: random.Random) -> Line:
    roll = rng.random()
    ip = f"10.14.{rng.randrange(2, 6)}.{rng.randrange(10, 250)}"
    if roll < 0.35:
        return (
            "INFO",
            f"connection authorized: user=ledger_app database=ledger application_name={rng.choice(APPS)}",
            (),
        )
    if roll < 0.55:
        return "INFO", f"connection received: host={ip} port={rng.randrange(30000, 61000)}", ()
    if roll < 0.72:
        return (
            "INFO",
            f"disconnection: session time: 0:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(1000):03d} user=ledger_app database=ledger host={ip} port={rng.randrange(30000, 61000)}",
            (),
        )
    if roll < 0.82:
        return (
            "INFO",
            f"checkpoint complete: wrote {rng.randrange(200, 9000)} buffers ({rng.random() * 6:.1f}%); 0 WAL file(s) added, 0 removed, {rng.randrange(1, 9)} recycled; write={rng.random() * 120:.3f} s, sync={rng.random():.3f} s, total={rng.random() * 130:.3f} s",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f'automatic vacuum of table "ledger.public.{rng.choice(["entries", "postings", "balances", "audit_log"])}": index scans: {rng.randrange(2)}',
            (),
        )
    return (
        "INFO",
        f"duration: {rng.uniform(1, 90):.3f} ms  execute S_{rng.randrange(1, 30)}: INSERT INTO postings (entry_id, account_id, amount_minor, currency) VALUES ($1, $2, $3, $4)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(49812)
    pg = LogFile("postgresql-16-main.log", Postgres(rng=rng))
    pg.add(traffic(rng, pg_line, START, STOP, 4200))
    pg.add(traffic(rng, pg_line, START, MINUTES, 300))
    for i in range(240):
        minute = 3.0 + i * (STOP - 3.2) / 240
        remaining = int(15_312_000 - (15_312_000 - 3_000_400) * i / 239) - rng.randrange(0, 900)
        pg.add(
            [
                at(
                    START,
                    minute,
                    "WARN",
                    f'database "ledger" must be vacuumed within {remaining} transactions',
                )
            ]
        )
    pg.add([at(START, 2.2, "WARN", "oldest xmin is far in the past")])
    pg.add(
        [
            at(
                START,
                2.21,
                "INFO",
                'automatic aggressive vacuum to prevent wraparound of table "ledger.public.postings": index scans: 1',
            )
        ]
    )
    pg.add(
        loud(
            rng,
            START,
            30,
            90,
            14,
            fixed(
                "WARN",
                lambda r: (
                    f"checkpoints are occurring too frequently ({r.randrange(9, 25)} seconds apart)"
                ),
            ),
        )
    )
    pg.add(
        loud(
            rng,
            START,
            STOP,
            MINUTES - STOP - 0.1,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    'database is not accepting commands that assign new XIDs to avoid wraparound data loss in database "ledger"'
                ),
            ),
        )
    )
    api = LogFile(
        "logs/ledger-api.log",
        SpringBoot(
            (
                "c.l.api.EntryController",
                "c.l.api.ReportController",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            pid=7,
            rng=rng,
        ),
    )
    api.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"POST /v1/entries 201 entry={r.getrandbits(40):010x} postings={r.randrange(2, 6)} took={r.randrange(4, 60)}ms"
                ),
            ),
            START,
            STOP,
            2900,
        )
    )
    api.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"GET /v1/accounts/{r.randrange(10**6, 10**7)}/balance 200 took={r.randrange(2, 30)}ms"
                ),
            ),
            START,
            MINUTES,
            1400,
        )
    )
    trace = java_trace(
        'org.postgresql.util.PSQLException: ERROR: database is not accepting commands that assign new XIDs to avoid wraparound data loss in database "ledger"',
        [
            "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)",
            "org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2412)",
            "org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:152)",
            "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)",
            "com.ledger.api.store.PostingStore.insert(PostingStore.java:88)",
        ],
        more=63,
    )
    api.add(
        loud(
            rng,
            START,
            STOP + 0.05,
            MINUTES - STOP - 0.2,
            380,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /v1/entries 500 entry={r.getrandbits(40):010x}: could not execute statement; SQL [n/a]"
                ),
                lambda r: trace[:2],
            ),
        )
    )
    api.add(
        [
            at(
                START,
                71.3,
                "WARN",
                "GET /v1/reports/monthly-close 200 took=18422ms (slow: ReportController.monthlyClose)",
            )
        ]
    )
    worker = LogFile(
        "logs/settlement-worker.log",
        SpringBoot(
            ("c.l.settle.BatchRunner", "c.l.settle.xa.TwoPhaseCoordinator"), pid=11, rng=rng
        ),
    )
    worker.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"settlement batch {r.randrange(40000, 49999)} committed: {r.randrange(10, 400)} transfers, xid xa-settle-{r.getrandbits(32):08x}"
                ),
            ),
            START,
            STOP,
            900,
        )
    )
    worker.add(
        loud(
            rng,
            START,
            STOP + 0.3,
            MINUTES - STOP - 0.4,
            120,
            fixed(
                "ERROR",
                lambda r: (
                    f'settlement batch {r.randrange(50000, 50100)} failed in PREPARE phase: ERROR: database is not accepting commands that assign new XIDs to avoid wraparound data loss in database "ledger"'
                ),
            ),
        )
    )
    worker.add(
        [
            at(
                START,
                0.5,
                "INFO",
                "TwoPhaseCoordinator started; recovery journal /var/lib/settlement/txlog is empty, nothing to recover",
                logger="c.l.settle.xa.TwoPhaseCoordinator",
            )
        ]
    )
    bouncer = "\n".join(
        [
            "2026-03-18 02:17:40.311 UTC [1042] WARNING C-0x55d1c8e3a2f0: ledger/ledger_app@10.14.3.77:49822 pooler error: client_login_timeout (server down)",
        ]
    )
    psql = "\n".join(
        [
            "ledger-db=# SELECT datname, age(datfrozenxid) AS xid_age FROM pg_database ORDER BY 2 DESC;",
            "  datname  |  xid_age",
            "-----------+------------",
            " ledger    | 2144483688",
            " postgres  |  214330167",
            " template1 |  214330167",
            " template0 |  214330167",
            "(4 rows)",
            "",
            "ledger-db=# SELECT backend_xmin, age(backend_xmin), state, xact_start FROM pg_stat_activity WHERE backend_xmin IS NOT NULL ORDER BY 2 DESC LIMIT 3;",
            " backend_xmin |   age   | state  |          xact_start",
            "--------------+---------+--------+-------------------------------",
            "   3922117781 |      41 | active | 2026-03-18 04:21:12.031+00",
            "(1 row)",
            "",
            "ledger-db=# SELECT slot_name, xmin, catalog_xmin FROM pg_replication_slots;",
            " slot_name  | xmin | catalog_xmin",
            "------------+------+--------------",
            " replica_b1 |      |",
            "(1 row)",
            "",
            "ledger-db=# SELECT gid, prepared, owner, database, transaction FROM pg_prepared_xacts;",
            "             gid             |           prepared            |   owner    | database | transaction",
            "-----------------------------+-------------------------------+------------+----------+-------------",
            " xa-settle-3e9a71c4:41877:br | 2026-02-26 22:14:09.517+00    | ledger_app | ledger   |  1775634130",
            "(1 row)",
            "",
        ]
    )
    return Bundle(
        question="Since about 03:41 UTC every write to the ledger fails (ledger-api returns 500 on POST /v1/entries and settlements fail). What is the root cause and how do we get out of it?",
        category="database",
        component="ledger-db",
        statement="An orphaned two-phase-commit transaction (xa-settle-3e9a71c4, prepared on 2026-02-26 and never resolved) pins ledger-db's xmin horizon, so anti-wraparound vacuum cannot advance datfrozenxid; at 03:41 the database reached the wraparound stop limit and refuses to assign new XIDs, failing every write.",
        files={
            "postgresql-16-main.log": pg.render(),
            "logs/ledger-api.log": api.render(),
            "logs/settlement-worker.log": worker.render(),
            "pgbouncer.log": bouncer + "\n",
            "psql-ledger-db.txt": psql,
        },
        proofs=[
            Proof("psql-ledger-db.txt", " xa-settle-3e9a71c4:41877:br |"),
            Proof("postgresql-16-main.log", "WARNING:  oldest xmin is far in the past"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "client_login_timeout (server down)",
            "took=18422ms (slow: ReportController.monthlyClose)",
        ],
    )
