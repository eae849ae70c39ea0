# ruff: noqa: E501
# Hand-written log lines and psql output are data, kept whole on one line.
"""A two-phase-commit transaction left prepared on billing-db for six weeks holds back the xmin
horizon; vacuum cannot freeze, the transaction-ID age runs out and PostgreSQL stops assigning
XIDs, while the services shout about connection slots, retries and failed invoices."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Record, space_millis
from scenes import at, fixed, loud
from traffic import database_server, traffic, web_api

START = datetime(2025, 9, 25, 14, 0, tzinfo=UTC)
NEW_YORK = ZoneInfo("America/New_York")
STOP = 'database is not accepting commands to avoid wraparound data loss in database "billing"'


@dataclass
class PostgresDetail:
    """PostgreSQL's stderr log (`%m [%p] `) with HINT, DETAIL and STATEMENT lines after an entry."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "LOG", "WARN": "WARNING", "FATAL": "FATAL"}.get(record.level, "ERROR")
        prefix = f"{space_millis(record.time)} UTC [{self.rng.randrange(100, 60000)}] "
        return [f"{prefix}{level}:  {record.message}", *(prefix + line for line in record.trailer)]


def checks() -> str:
    lines = [
        "billing=# SELECT datname, age(datfrozenxid), 2^31 - age(datfrozenxid) AS remaining FROM pg_database ORDER BY 2 DESC;",
        "  datname  |    age     | remaining",
        "-----------+------------+-----------",
        " billing   | 2146483620 |   1000028",
        " postgres  |  412338113 | 1735145535",
        " template1 |  412338113 | 1735145535",
        " template0 |  412338113 | 1735145535",
        "(4 rows)",
        "",
        "billing=# SELECT gid, prepared, owner, database, transaction FROM pg_prepared_xacts;",
        "                     gid                      |           prepared            |  owner  | database | transaction",
        "----------------------------------------------+-------------------------------+---------+----------+-------------",
        " 131077_AAAAAAAAAAAAAP//CgEEMZ0EZSk6_ffff0a0104 | 2025-08-14 02:41:17.603044+00 | billing | billing  |   1208713344",
        "(1 row)",
        "",
        "billing=# SELECT slot_name, active, xmin, catalog_xmin FROM pg_replication_slots;",
        "   slot_name    | active | xmin | catalog_xmin",
        "----------------+--------+------+--------------",
        " billing_standby | t      |      |",
        "(1 row)",
        "",
        "billing=# SELECT pid, state, xact_start, backend_xmin FROM pg_stat_activity WHERE backend_xmin IS NOT NULL ORDER BY xact_start LIMIT 3;",
        "  pid  | state  |          xact_start           | backend_xmin",
        "-------+--------+-------------------------------+--------------",
        " 48812 | active | 2025-09-25 14:41:02.118831+00 |   3355196901",
        " 48790 | active | 2025-09-25 14:41:01.907144+00 |   3355196899",
        "(2 rows)",
    ]
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(162)
    database = LogFile("postgresql-billing-db.log", PostgresDetail(rng))
    database.add(traffic(rng, database_server(), START, 50, 2210))
    hint = (
        "HINT:  To avoid a database shutdown, execute a database-wide VACUUM in that database.",
        "\tYou might also need to commit or roll back old prepared transactions, or drop stale replication slots.",
    )
    database.add(
        [
            at(
                START,
                3.0,
                "INFO",
                'automatic aggressive vacuum to prevent wraparound of table "billing.public.invoice_lines": index scans: 0',
                (
                    "DETAIL:  pages: 0 removed, 1882410 remain, 1882410 scanned (100.00% of total)",
                    "\ttuples: 0 removed, 61022871 remain, 4188213 are dead but not yet removable",
                    "\tremovable cutoff: 1208713344, which was 2146311802 XIDs old when operation ended",
                    "\tfrozen: 0 pages from table (0.00% of total) had 0 tuples frozen",
                ),
            ),
            at(
                START,
                9.0,
                "WARN",
                'database "billing" must be vacuumed within 9000412 transactions',
                hint,
            ),
            at(
                START,
                26.0,
                "WARN",
                'database "billing" must be vacuumed within 3000117 transactions',
                hint,
            ),
            at(
                START,
                41.0,
                "ERROR",
                STOP,
                (
                    "HINT:  Stop the postmaster and vacuum that database in single-user mode.",
                    "\tYou might also need to commit or roll back old prepared transactions, or drop stale replication slots.",
                    "STATEMENT:  INSERT INTO invoices (account_id, period, total_cents, currency) VALUES ($1, $2, $3, $4) RETURNING id",
                ),
            ),
        ]
    )
    database.add(loud(rng, START, 41.05, 9, 164, fixed("ERROR", lambda r: STOP)))
    database.add(
        loud(
            rng,
            START,
            42,
            8,
            212,
            fixed(
                "FATAL",
                lambda r: (
                    "remaining connection slots are reserved for non-replication superuser connections"
                ),
            ),
        )
    )
    invoicing = LogFile(
        "invoicing.log",
        JsonLines("invoicing", ("timestamp", "level", "message"), rng=rng, zone=NEW_YORK),
    )
    invoicing.add(
        traffic(rng, web_api("invoicing", ["invoices", "accounts", "periods"]), START, 50, 1680)
    )
    invoicing.add(
        loud(
            rng,
            START,
            41.1,
            9,
            233,
            fixed(
                "ERROR",
                lambda r: (
                    f"invoice run for account {r.randrange(10**6)} failed, will retry in {r.choice([1, 2, 4, 8])}s: psycopg.errors.ProgramLimitExceeded"
                ),
            ),
        )
    )
    invoicing.add(
        loud(
            rng,
            START,
            42,
            8,
            190,
            fixed(
                "ERROR",
                lambda r: (
                    "psycopg.OperationalError: connection failed: FATAL:  remaining connection slots are reserved for non-replication superuser connections"
                ),
            ),
        )
    )
    payments = LogFile(
        "payments-api.log",
        JsonLines("payments-api", ("ts", "lvl", "msg"), service_key="app", rng=rng, zone=NEW_YORK),
    )
    payments.add(traffic(rng, web_api("payments-api", ["payments", "refunds"]), START, 50, 1240))
    payments.add(
        loud(
            rng,
            START,
            41.3,
            8.7,
            301,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /api/v1/payments 500 {r.randrange(3, 40)}ms: could not record payment (billing store unavailable, circuit half-open)"
                ),
            ),
        )
    )
    return Bundle(
        question="At 10:41 ET every write to billing started failing and now we also get 'remaining connection slots are reserved'. Reads still work. What happened?",
        category="database",
        component="billing-db",
        statement="A prepared (two-phase) transaction abandoned on billing-db since 14 August holds back the xmin horizon, so vacuum could not freeze old rows and PostgreSQL stopped accepting writes to avoid transaction ID wraparound.",
        files={
            "postgresql-billing-db.log": database.render(),
            "psql-checks.txt": checks(),
            "invoicing.log": invoicing.render(),
            "payments-api.log": payments.render(),
        },
        proofs=[
            Proof(
                "psql-checks.txt", " 131077_AAAAAAAAAAAAAP//CgEEMZ0EZSk6_ffff0a0104 | 2025-08-14"
            ),
            Proof(
                "postgresql-billing-db.log",
                'automatic aggressive vacuum to prevent wraparound of table "billing.public.invoice_lines"',
                "removable cutoff: 1208713344",
            ),
            Proof(
                "postgresql-billing-db.log",
                "must be vacuumed within 9000412 transactions",
                "old prepared transactions",
            ),
        ],
        decoys=[
            "remaining connection slots are reserved for non-replication superuser connections",
            "circuit half-open",
            "psycopg.errors.ProgramLimitExceeded",
        ],
    )
