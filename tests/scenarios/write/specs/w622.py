# ruff: noqa: E501
# PostgreSQL, app log lines and pasted psql output are data, kept whole on one line.
"""PostgreSQL, the database's default isolation raised to SERIALIZABLE: at 16:25 UTC a DBA
following an audit finding ran `ALTER DATABASE ledger SET default_transaction_isolation TO
'serializable'` on pg-ledger-01. New sessions from the payout and wallet services (which never
retry 40001) now run every transaction as SERIALIZABLE; under concurrent updates of the same
account rows they fail with "could not serialize access due to read/write dependencies among
transactions" and wallet top-ups return 500. Pooled sessions opened before 16:25 keep READ
COMMITTED, so the failures grow as the pools recycle. Decoys: an autovacuum cancel, a report's
lock timeout and a replication-slot size warning on the monitoring host."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Log4j, Postgres
from scenes import at, fixed, java_trace, loud
from traffic import database_server, traffic, web_api

START = datetime(2026, 12, 2, 15, 40, tzinfo=UTC)
MINUTES = 170.0
ALTER = 45.0  # 16:25 UTC


def bundle() -> Bundle:
    rng = random.Random(62210)
    pg = LogFile("pg-ledger-01/postgresql-2026-12-02.log", Postgres(rng))
    pg.add(traffic(rng, database_server(), START, MINUTES, 2600))
    pg.add(
        [
            at(
                START,
                ALTER - 0.2,
                "INFO",
                "connection authorized: user=dba_mlin database=ledger application_name=psql",
            ),
            at(
                START,
                ALTER,
                "INFO",
                "statement: ALTER DATABASE ledger SET default_transaction_isolation TO 'serializable';",
            ),
            at(START, 14.0, "ERROR", "canceling autovacuum task"),
            at(
                START,
                14.01,
                "INFO",
                'automatic vacuum of table "ledger.public.account_balances": index scans: 1',
            ),
            at(START, 70.0, "ERROR", "canceling statement due to lock timeout"),
            at(
                START,
                70.01,
                "INFO",
                "statement: SELECT * FROM monthly_statement_report('2026-11') FOR SHARE",
            ),
        ]
    )
    pg.add(
        loud(
            rng,
            START,
            ALTER + 3,
            MINUTES - ALTER - 4,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"could not serialize access due to read/write dependencies among transactions (pid {r.randrange(20000, 60000)}, account_id={r.randrange(10**6, 10**7)}, Reason code: Canceled on identification as a pivot, during {r.choice(['write', 'commit attempt', 'conflict out checking'])}.)"
                ),
            ),
        )
    )
    loggers = (
        "com.tallo.wallet.TopUpService",
        "com.tallo.wallet.web.TopUpController",
        "com.zaxxer.hikari.pool.HikariPool",
        "com.tallo.wallet.AccountRepository",
    )
    wallet = LogFile("wallet-service/wallet.log", Log4j(loggers, "http-nio-8080-exec", rng))
    wallet.add(
        traffic(
            rng,
            web_api("wallet-service", ["topups", "balances", "transfers"]),
            START,
            MINUTES,
            4400,
        )
    )

    def failed(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "ERROR",
            f"POST /api/v2/topups 500 top-up {r.getrandbits(40):010x} for account {r.randrange(10**6, 10**7)} failed",
            tuple(
                java_trace(
                    "org.springframework.dao.CannotAcquireLockException: PreparedStatementCallback; SQL [UPDATE account_balances SET balance = balance + ? WHERE account_id = ?]; ERROR: could not serialize access due to read/write dependencies among transactions",
                    [
                        "org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator.doTranslate(SQLErrorCodeSQLExceptionTranslator.java:262)",
                        "org.springframework.jdbc.core.JdbcTemplate.update(JdbcTemplate.java:1015)",
                        "com.tallo.wallet.AccountRepository.credit(AccountRepository.java:58)",
                        "com.tallo.wallet.TopUpService.apply(TopUpService.java:104)",
                    ],
                    [
                        "org.postgresql.util.PSQLException: ERROR: could not serialize access due to read/write dependencies among transactions",
                        "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)",
                    ],
                    37,
                )
            ),
        )

    wallet.add(loud(rng, START, ALTER + 4, MINUTES - ALTER - 5, 240, failed))
    wallet.add(
        [
            at(
                START,
                8.0,
                "WARN",
                "HikariPool-1 - Retrograde clock change detected (housekeeper delta=29s), soft-evicting connections from pool.",
                logger="com.zaxxer.hikari.pool.HikariPool",
            )
        ]
    )
    mon = LogFile("pgmon-01/alerts.log", Log4j(("pgmon.Alerts",), "alert", rng))
    mon.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"pg-ledger-01 ok: connections={r.randrange(60, 110)}/400 tps={r.randrange(800, 1400)} repl_lag=0s",
                (),
            ),
            START,
            MINUTES,
            340,
        )
    )
    mon.add(
        [
            at(
                START,
                30.0,
                "WARN",
                "pg-ledger-01 replication slot 'debezium_ledger' retains 3.1 GB of WAL (warn at 2 GB)",
                logger="pgmon.Alerts",
            )
        ]
    )
    mon.add(
        loud(
            rng,
            START,
            ALTER + 10,
            MINUTES - ALTER - 11,
            30,
            fixed(
                "WARN",
                lambda r: (
                    f"pg-ledger-01 rollback ratio {r.randrange(6, 19)}% (warn at 5%), sqlstate 40001 top"
                ),
            ),
        )
    )
    psql = "\n".join(
        [
            "ledger=> SELECT d.datname, s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase;",
            " datname |                   setconfig",
            "---------+-----------------------------------------------",
            " ledger  | {default_transaction_isolation=serializable}",
            "(1 row)",
            "",
            "ledger=> SELECT application_name, count(*) FILTER (WHERE backend_start < '2026-12-02 16:25+00') AS before_1625, count(*) FILTER (WHERE backend_start >= '2026-12-02 16:25+00') AS after_1625 FROM pg_stat_activity WHERE datname = 'ledger' GROUP BY 1;",
            " application_name | before_1625 | after_1625",
            "------------------+-------------+------------",
            " wallet-service   |           9 |         31",
            " payout-worker    |           2 |         14",
            " reports          |           1 |          0",
            "(3 rows)",
            "",
            "ledger=> SELECT datname, xact_commit, xact_rollback, conflicts FROM pg_stat_database WHERE datname = 'ledger';",
            " datname | xact_commit | xact_rollback | conflicts",
            "---------+-------------+---------------+-----------",
            " ledger  |   918220411 |       2281903 |         0",
            "(1 row)",
            "",
        ]
    )
    return Bundle(
        question="Wallet top-ups have been failing with HTTP 500 since about 16:30 UTC and the failures are growing. What is the root cause?",
        category="configuration",
        component="pg-ledger-01",
        statement="At 16:25 UTC ALTER DATABASE ledger SET default_transaction_isolation TO 'serializable' was run on pg-ledger-01; new pooled sessions of wallet-service run SERIALIZABLE, concurrent balance updates fail with serialization errors (40001) that the service does not retry, so top-ups return 500 more and more as the pools recycle.",
        files={
            "pg-ledger-01/postgresql-2026-12-02.log": pg.render(),
            "pg-ledger-01/psql.txt": psql,
            "wallet-service/wallet.log": wallet.render(),
            "pgmon-01/alerts.log": mon.render(),
        },
        proofs=[
            Proof(
                "pg-ledger-01/postgresql-2026-12-02.log",
                "ALTER DATABASE ledger SET default_transaction_isolation",
            ),
            Proof("pg-ledger-01/psql.txt", "{default_transaction_isolation=serializable}"),
        ],
        decoys=[
            "canceling autovacuum task",
            "canceling statement due to lock timeout",
            "retains 3.1 GB of WAL",
        ],
    )
