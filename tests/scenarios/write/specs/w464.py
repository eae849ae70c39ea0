# ruff: noqa: E501
# PostgreSQL log lines and pasted psql output are data, kept whole on one line.
"""PostgreSQL 14 on pg-billing-01: months ago a bulk import set per-table options on the
812 GB `invoice_lines` table to keep autovacuum gentle (`autovacuum_vacuum_cost_delay=20`,
`autovacuum_vacuum_cost_limit=50`) and nobody removed them. When the table's relfrozenxid age
passed autovacuum_freeze_max_age, the anti-wraparound autovacuum started but, throttled by
those options, has scanned only 38% of the heap in three days while the write rate keeps
consuming XIDs. The server warns quietly for hours (`database "billing" must be vacuumed within
N transactions`); at 14:06 UTC it stops assigning transaction IDs and every write fails with
`database is not accepting commands to avoid wraparound data loss in database "billing"`, while
reads still work. invoicing-api logs a flood of write errors. Decoys: frequent-checkpoint
warnings, a client connection reset, a replica lag alert in the notes, and invoicing-api's pool timeouts."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Postgres, PythonLogging, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2026, 12, 3, 11, 30, tzinfo=UTC)
MINUTES = 190.0
STOP = 156.0


class PostgresHint(Postgres):
    """The stderr log, with HINT lines as PostgreSQL writes them after a message."""

    def render(self, record: Record) -> list[str]:
        if record.level != "HINT":
            return super().render(record)
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d} UTC"
        )
        return [f"{stamp} [{self.rng.randrange(100, 60000)}] HINT:  {record.message}"]


def ip(rng: random.Random) -> str:
    return f"10.60.{rng.randrange(1, 6)}.{rng.randrange(2, 250)}"


def pg_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.3:
        return (
            "INFO",
            f"connection authorized: user=invoicing database=billing application_name=invoicing-api-{rng.randrange(1, 7)}",
            (),
        )
    if roll < 0.5:
        return "INFO", f"connection received: host={ip(rng)} port={rng.randrange(30000, 60000)}", ()
    if roll < 0.65:
        return (
            "INFO",
            f"disconnection: session time: 0:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(1000):03d} user=invoicing database=billing host={ip(rng)} port={rng.randrange(30000, 60000)}",
            (),
        )
    if roll < 0.75:
        table = rng.choice(["invoices", "payments", "customers", "dunning_runs"])
        return (
            "INFO",
            f'automatic vacuum of table "billing.public.{table}": index scans: {rng.randrange(3)}',
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"checkpoint complete: wrote {rng.randrange(500, 9000)} buffers ({rng.random() * 10:.1f}%); 0 WAL file(s) added, {rng.randrange(3)} removed, {rng.randrange(20)} recycled; write={rng.random() * 200:.3f} s, sync={rng.random():.3f} s, total={rng.random() * 200:.3f} s",
            (),
        )
    return (
        "INFO",
        f"duration: {rng.random() * 900 + 100:.3f} ms  statement: SELECT i.id, i.total FROM invoices i WHERE i.customer_id = {rng.randrange(10**6)} ORDER BY i.issued_at DESC LIMIT 50",
        (),
    )


def api_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"POST /v1/invoices/{rng.randrange(10**7)}/lines 201 {rng.randrange(8, 90)}ms",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"GET /v1/customers/{rng.randrange(10**6)}/invoices 200 {rng.randrange(5, 60)}ms",
            (),
        )
    return (
        "INFO",
        f"usage batch {rng.getrandbits(32):08x} rated: {rng.randrange(100, 5000)} lines",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(46464)
    pg = LogFile("logs/postgresql-2026-12-03.log", PostgresHint(rng))
    pg.add(traffic(rng, pg_line, START, MINUTES, 4200))
    remaining = 41_207_339
    for index, minute in enumerate([2.0, 31.0, 62.0, 93.0, 124.0, 147.0]):
        left = remaining - index * 7_300_000 + rng.randrange(10**5)
        pg.add(
            [
                at(
                    START,
                    minute,
                    "WARN",
                    f'database "billing" must be vacuumed within {left} transactions',
                ),
                Record(
                    at(START, minute, "WARN", "x").time + timedelta(milliseconds=1),
                    "HINT",
                    "To avoid a database shutdown, execute a database-wide VACUUM in that database. You might also need to commit or roll back old prepared transactions, or drop stale replication slots.",
                ),
            ]
        )
    pg.add(
        [
            at(
                START,
                STOP - 0.9,
                "WARN",
                'database "billing" must be vacuumed within 3012884 transactions',
            )
        ]
    )
    pg.add(
        loud(
            rng,
            START,
            STOP,
            MINUTES - STOP - 0.5,
            900,
            fixed(
                "ERROR",
                lambda r: (
                    'database is not accepting commands to avoid wraparound data loss in database "billing"'
                ),
            ),
        )
    )
    pg.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            9,
            fixed(
                "INFO",
                lambda r: (
                    f"checkpoints are occurring too frequently ({r.randrange(14, 29)} seconds apart)"
                ),
            ),
        )
    )
    pg.add(
        [at(START, 48.5, "INFO", "could not receive data from client: Connection reset by peer")]
    )
    api = LogFile(
        "logs/invoicing-api.log",
        PythonLogging(("invoicing.api", "invoicing.rating", "uvicorn.access"), rng=rng),
    )
    api.add(traffic(rng, api_line, START, MINUTES, 3600))
    api.add(
        loud(
            rng,
            START,
            STOP + 0.05,
            MINUTES - STOP - 0.6,
            700,
            fixed(
                "ERROR",
                lambda r: (
                    f'POST /v1/invoices/{r.randrange(10**7)}/lines failed: psycopg.errors.ProgramLimitExceeded: database is not accepting commands to avoid wraparound data loss in database "billing"'
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            70,
            3,
            14,
            fixed(
                "WARN",
                lambda r: (
                    f"connection pool 'billing' timeout after 10.0s waiting for a connection (pool size 20, {r.randrange(18, 21)} in use)"
                ),
            ),
        )
    )
    pasted = "\n".join(
        [
            "billing=> SELECT datname, age(datfrozenxid) AS xid_age, current_setting('autovacuum_freeze_max_age') AS freeze_max FROM pg_database ORDER BY 2 DESC;",
            "  datname  |  xid_age   | freeze_max",
            "-----------+------------+------------",
            " billing   | 2146484649 | 1500000000",
            " postgres  |  211093412 | 1500000000",
            " template1 |  211093412 | 1500000000",
            " template0 |  211093412 | 1500000000",
            "(4 rows)",
            "",
            "billing=> SELECT c.relname, age(c.relfrozenxid) AS xid_age, pg_size_pretty(pg_total_relation_size(c.oid)) AS size, c.reloptions FROM pg_class c WHERE c.relkind = 'r' ORDER BY 2 DESC LIMIT 5;",
            "    relname     |  xid_age   |  size   |                           reloptions",
            "----------------+------------+---------+-----------------------------------------------------------------",
            " invoice_lines  | 2146484649 | 812 GB  | {autovacuum_vacuum_cost_delay=20,autovacuum_vacuum_cost_limit=50}",
            " invoices       |  193220417 | 61 GB   |",
            " payments       |  187551902 | 23 GB   |",
            " usage_events   |  171004388 | 144 GB  | {autovacuum_vacuum_scale_factor=0.01}",
            " customers      |  102873316 | 3912 MB |",
            "(5 rows)",
            "",
            "billing=> SELECT pid, backend_type, now() - xact_start AS xact_age, left(query, 64) AS query FROM pg_stat_activity WHERE backend_type = 'autovacuum worker';",
            "  pid   |   backend_type    |        xact_age        |                            query",
            "--------+-------------------+------------------------+-------------------------------------------------------------",
            " 188214 | autovacuum worker | 3 days 02:11:47.903126 | autovacuum: VACUUM public.invoice_lines (to prevent wraparound)",
            "(1 row)",
            "",
            "billing=> SELECT pid, relid::regclass, phase, heap_blks_total, heap_blks_scanned, index_vacuum_count FROM pg_stat_progress_vacuum;",
            "  pid   |     relid     |     phase     | heap_blks_total | heap_blks_scanned | index_vacuum_count",
            "--------+---------------+---------------+-----------------+-------------------+--------------------",
            " 188214 | invoice_lines | scanning heap |       106430012 |          40912877 |                  0",
            "(1 row)",
            "",
            "billing=> SELECT slot_name, active, xmin FROM pg_replication_slots;",
            "  slot_name   | active | xmin",
            "--------------+--------+------",
            " pg_billing_02 | t      |",
            "(1 row)",
            "",
        ]
    )
    notes = "\n".join(
        [
            "# INC-8830 invoicing writes failing (14:10 UTC)",
            "",
            "- invoicing-api: every POST fails since ~14:06; GETs fine.",
            "- Grafana: pg-billing-02 replication lag alert flapped at 12:40 (peaked 9 s), cleared by itself.",
            "- No deploys today. Last DB change: CHG-4102 (August) bulk import of historical invoice lines.",
            "- psql output from pg-billing-01 pasted in pg-billing-01-psql.txt.",
            "",
        ]
    )
    return Bundle(
        question="Since about 14:06 UTC every invoice write fails while reads work. What is the root cause?",
        category="database",
        component="billing",
        statement="Per-table options left from a bulk import (autovacuum_vacuum_cost_delay=20, cost_limit=50) throttle the anti-wraparound autovacuum of the 812 GB invoice_lines table, which after three days has scanned only 38% of it, so the billing database's transaction ID age reached the wraparound limit; after hours of `must be vacuumed within N transactions` warnings PostgreSQL stopped assigning XIDs at 14:06 UTC and rejects every write.",
        files={
            "logs/postgresql-2026-12-03.log": pg.render(),
            "logs/invoicing-api.log": api.render(),
            "pg-billing-01-psql.txt": pasted,
            "notes.md": notes,
        },
        proofs=[
            Proof("pg-billing-01-psql.txt", " invoice_lines  | 2146484649"),
            Proof(
                "logs/postgresql-2026-12-03.log", 'database "billing" must be vacuumed within 41'
            ),
            Proof("pg-billing-01-psql.txt", " 188214 | invoice_lines | scanning heap"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "Connection reset by peer",
            "replication lag alert",
            "connection pool 'billing' timeout",
        ],
    )
