# ruff: noqa: E501
# Hand-written log lines and pasted psql output are data, kept whole on one line.
"""PostgreSQL 15, database: in March someone ran `ALTER TABLE ledger_entries SET
(autovacuum_enabled = false)` on payments-db for a bulk backfill and never reverted it. The
table's relfrozenxid kept ageing; from 15:00 the server warned `database "payments" must be
vacuumed within N transactions`, and at 16:41 UTC it stopped assigning transaction IDs
(`database is not accepting commands to avoid wraparound data loss`). Every write of payment-api
fails; reads still work. Decoys: payment-api's write errors and pool exhaustion, an active
Debezium logical replication slot, and a routine `checkpoints are occurring too frequently`
warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Logfmt, Postgres, Record
from scenes import at, loud
from traffic import Line, database_server, traffic

START = datetime(2025, 10, 7, 15, 0, tzinfo=UTC)
STOP = datetime(2025, 10, 7, 16, 41, 12, tzinfo=UTC)
MINUTES = 110


@dataclass
class PgTrailer:
    """PostgreSQL's stderr log (`%m [%p] `) with DETAIL/HINT lines under the same prefix."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        first = Postgres(self.rng).render(record)[0]
        prefix = first.split("]", 1)[0] + "] "
        return [
            first,
            *(line if line.startswith("\t") else prefix + line for line in record.trailer),
        ]


def api_line(rng: random.Random) -> Line:
    return (
        "INFO",
        rng.choice(
            [
                f"POST /v1/payments 201 {rng.randrange(8, 90)}ms merchant=m_{rng.randrange(10**4)}",
                f"GET /v1/payments/pay_{rng.getrandbits(40):010x} 200 {rng.randrange(2, 20)}ms",
                f"POST /v1/refunds 201 {rng.randrange(10, 120)}ms",
                f"ledger entry written payment=pay_{rng.getrandbits(40):010x} amount={rng.randrange(100, 500000)}",
            ]
        ),
        (),
    )


def api_error(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "ERROR",
            f'POST /v1/payments 500: insert ledger_entries: ERROR: database is not accepting commands to avoid wraparound data loss in database "payments" (SQLSTATE 54000) payment=pay_{rng.getrandbits(40):010x}',
            (),
        )
    if roll < 0.85:
        return (
            "ERROR",
            'POST /v1/refunds 500: begin tx: ERROR: database is not accepting commands to avoid wraparound data loss in database "payments" (SQLSTATE 54000)',
            (),
        )
    return (
        "WARN",
        f"db pool exhausted: in_use=40 idle=0 wait={rng.randrange(20, 300)}ms (retrying)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20234)
    stop = (STOP - START).total_seconds() / 60
    pg = LogFile("logs/payments-db-postgresql.log", PgTrailer(rng))
    pg.add(
        [
            Record(
                r.time,
                r.level,
                r.message.replace("database=shop", "database=payments").replace(
                    '"shop.public.', '"payments.public.'
                ),
                r.trailer,
            )
            for r in traffic(rng, database_server(), START, MINUTES, 2600)
        ]
    )
    minute = 0.7
    while minute < stop - 0.5:
        remaining = int(9_800_000 * (stop - minute) / stop * rng.uniform(0.97, 1.0))
        pg.add(
            [
                at(
                    START,
                    minute,
                    "WARN",
                    f'database "payments" must be vacuumed within {remaining} transactions',
                    (
                        "HINT:  To avoid a database shutdown, execute a database-wide VACUUM in that database.",
                        "\tYou might also need to commit or roll back old prepared transactions, or drop stale replication slots.",
                    ),
                )
            ]
        )
        minute += rng.uniform(3.5, 6.5)
    pg.add([at(START, 22.5, "WARN", "checkpoints are occurring too frequently (24 seconds apart)")])
    pg.add(
        loud(
            rng,
            START,
            stop,
            MINUTES - stop,
            600,
            lambda r: (
                "ERROR",
                'database is not accepting commands to avoid wraparound data loss in database "payments"',
                (
                    "HINT:  Stop the postmaster and vacuum that database in single-user mode.",
                    "\tYou might also need to commit or roll back old prepared transactions, or drop stale replication slots.",
                ),
            ),
        )
    )
    api = LogFile("logs/payment-api.log", Logfmt("payment-api", rng=rng))
    api.add(traffic(rng, api_line, START, stop, 3000))
    api.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"GET /v1/payments/pay_{r.getrandbits(40):010x} 200 {r.randrange(2, 20)}ms",
                (),
            ),
            START + timedelta(minutes=stop),
            MINUTES - stop,
            700,
        )
    )
    api.add(loud(rng, START, stop + 0.02, MINUTES - stop - 0.1, 1500, api_error))
    notes = "\n".join(
        [
            "DB on-call scratchpad, 17:05 UTC",
            "",
            "payments=# SELECT datname, age(datfrozenxid) FROM pg_database ORDER BY 2 DESC;",
            "  datname  |    age",
            "-----------+------------",
            " payments  | 2144483651",
            " postgres  |  212400118",
            " template1 |  212400118",
            " template0 |  212400118",
            "(4 rows)",
            "",
            "payments=# SELECT c.oid::regclass AS table, age(c.relfrozenxid) AS xid_age, pg_size_pretty(pg_total_relation_size(c.oid)) AS size, c.reloptions",
            "payments-#   FROM pg_class c WHERE c.relkind = 'r' ORDER BY 2 DESC LIMIT 5;",
            "        table        |  xid_age   |  size   |          reloptions",
            "---------------------+------------+---------+-------------------------------",
            " ledger_entries      | 2144483651 | 1874 GB | {autovacuum_enabled=false}",
            " payment_events      |  201884310 | 412 GB  |",
            " payments            |  187220451 | 96 GB   |",
            " refunds             |  140918833 | 11 GB   |",
            " merchants           |   98110274 | 208 MB  |",
            "(5 rows)",
            "",
            "payments=# SELECT slot_name, plugin, slot_type, active, age(xmin) AS xmin_age, age(catalog_xmin) AS catalog_xmin_age FROM pg_replication_slots;",
            "     slot_name     |  plugin  | slot_type | active | xmin_age | catalog_xmin_age",
            "-------------------+----------+-----------+--------+----------+------------------",
            " debezium_payments | pgoutput | logical   | t      |          |             2211",
            "(1 row)",
            "",
            "payments=# SELECT count(*) FROM pg_prepared_xacts;",
            " count",
            "-------",
            "     0",
            "(1 row)",
            "",
            "- Debezium slot is new since last week's CDC project, maybe that's holding things back?",
            "- disk at 71%, no change",
            "",
        ]
    )
    return Bundle(
        question="All payment and refund writes fail since 16:41 UTC; reads work. What is the root cause?",
        category="database",
        component="payments-db",
        statement="Autovacuum had been disabled on payments-db's ledger_entries table (reloptions autovacuum_enabled=false), so its relfrozenxid aged to about 2.144 billion; after an afternoon of 'must be vacuumed within N transactions' warnings PostgreSQL stopped assigning transaction IDs at 16:41 UTC to avoid wraparound, and every payment-api write fails.",
        files={
            "notes.md": notes,
            "logs/payments-db-postgresql.log": pg.render(),
            "logs/payment-api.log": api.render(),
        },
        proofs=[
            Proof(
                "notes.md",
                " ledger_entries      | 2144483651 | 1874 GB | {autovacuum_enabled=false}",
            )
        ],
        decoys=[
            "db pool exhausted",
            "debezium_payments",
            "checkpoints are occurring too frequently",
        ],
    )
