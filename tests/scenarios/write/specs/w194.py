# ruff: noqa: E501
# Log lines, SQL and series definitions are data, kept whole on one line.
"""PostgreSQL: Flyway migration V87 (widening shipments.tracking_number) at 21:02 UTC rebuilds the
shipments table as `CREATE TABLE shipments_new (LIKE shipments INCLUDING DEFAULTS INCLUDING
CONSTRAINTS)`, copies the rows and swaps the names; `LIKE` without `INCLUDING INDEXES` drops
every index, so the per-order lookup becomes a sequential scan of 9 million rows. pg-logistics-1's
CPU saturates, statements take seconds, and tracking-api's SQLAlchemy pool runs out
(`QueuePool limit ... reached`). Decoys: the pool exhaustion (looks like a connection-pool
fault), the slow statements themselves, and a replica's ordinary lag warning."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import Postgres, PythonLogging
from scenes import at, loud, python_traceback
from traffic import Line, database_server, traffic

START = datetime(2025, 8, 19, 20, 30, tzinfo=UTC)
MINUTES = 80
MIGRATION = 32.0
DONE = 35.5


def api_ok(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f'10.12.{rng.randrange(8)}.{rng.randrange(2, 250)} "GET /v1/orders/{rng.randrange(10**8)}/shipment HTTP/1.1" 200 {rng.randrange(12, 70)}ms',
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f'10.12.{rng.randrange(8)}.{rng.randrange(2, 250)} "POST /v1/shipments/{rng.getrandbits(40):010x}/events HTTP/1.1" 202 {rng.randrange(5, 40)}ms',
            (),
        )
    if roll < 0.97:
        return (
            "INFO",
            f"carrier webhook processed carrier={rng.choice(['dhl', 'gls', 'dpd'])} events={rng.randrange(1, 30)}",
            (),
        )
    return (
        "WARN",
        f"carrier {rng.choice(['gls', 'dpd'])} returned unknown status code '{rng.choice(['X9', 'ZZ', 'Q1'])}', mapped to IN_TRANSIT",
        (),
    )


def api_slow(rng: random.Random) -> Line:
    return (
        "WARN",
        f'10.12.{rng.randrange(8)}.{rng.randrange(2, 250)} "GET /v1/orders/{rng.randrange(10**8)}/shipment HTTP/1.1" 200 {rng.randrange(2500, 9800)}ms',
        (),
    )


def api_pool(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'10.12.{rng.randrange(8)}.{rng.randrange(2, 250)} "GET /v1/orders/{rng.randrange(10**8)}/shipment HTTP/1.1" 503 30003ms sqlalchemy.exc.TimeoutError: QueuePool limit of size 10 overflow 20 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)',
        (),
    )


def pg_slow(rng: random.Random) -> Line:
    return (
        "INFO",
        f"duration: {rng.randrange(1900, 8800)}.{rng.randrange(1000):03d} ms  execute <unnamed>: SELECT shipments.id, shipments.status, shipments.carrier, shipments.tracking_number, shipments.eta FROM shipments WHERE shipments.order_id = $1",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1194)
    pg = LogFile("logs/pg-logistics-1.log", Postgres(rng=rng))
    pg.add(traffic(rng, database_server(), START, MINUTES, 2400))
    pg.add(
        [
            at(
                START,
                MIGRATION,
                "INFO",
                "statement: CREATE TABLE shipments_new (LIKE shipments INCLUDING DEFAULTS INCLUDING CONSTRAINTS)",
            ),
            at(
                START,
                MIGRATION + 0.05,
                "INFO",
                "statement: ALTER TABLE shipments_new ALTER COLUMN tracking_number TYPE varchar(64)",
            ),
            at(
                START,
                MIGRATION + 3.2,
                "INFO",
                "duration: 191844.207 ms  statement: INSERT INTO shipments_new SELECT * FROM shipments",
            ),
            at(
                START,
                MIGRATION + 3.3,
                "INFO",
                "statement: ALTER TABLE shipments RENAME TO shipments_old",
            ),
            at(
                START,
                MIGRATION + 3.31,
                "INFO",
                "statement: ALTER TABLE shipments_new RENAME TO shipments",
            ),
            at(START, MIGRATION + 3.4, "INFO", "statement: DROP TABLE shipments_old"),
            at(
                START,
                DONE + 0.4,
                "INFO",
                "duration: 4417.090 ms  plan:\n\tQuery Text: SELECT shipments.id, shipments.status, shipments.carrier, shipments.tracking_number, shipments.eta FROM shipments WHERE shipments.order_id = $1\n\tSeq Scan on shipments  (cost=0.00..268411.06 rows=3 width=71) (actual time=1210.337..4416.902 rows=2 loops=1)\n\t  Filter: (order_id = '40771893'::bigint)\n\t  Rows Removed by Filter: 9120455".replace(
                    "\n", " "
                ),
            ),
        ]
    )
    pg.add(loud(rng, START, DONE + 0.2, MINUTES - DONE - 0.3, 520, pg_slow))
    pg.add([at(START, 8.0, "WARN", "could not receive data from client: Connection reset by peer")])
    api = LogFile(
        "logs/tracking-api.log",
        PythonLogging(("tracking.api", "tracking.carriers", "uvicorn.access"), rng=rng),
    )
    api.add(traffic(rng, api_ok, START, DONE, 2600))
    api.add(
        traffic(
            rng,
            lambda r: api_ok(r) if r.random() < 0.6 else api_slow(r),
            START + timedelta(minutes=DONE),
            MINUTES - DONE,
            1400,
        )
    )
    api.add(loud(rng, START, DONE + 4.0, MINUTES - DONE - 4.2, 310, api_pool))
    api.add(
        [
            at(
                START,
                DONE + 4.1,
                "ERROR",
                "Exception in ASGI application",
                python_traceback(
                    [
                        (
                            "/app/tracking/api/shipments.py",
                            48,
                            "get_shipment",
                            "row = session.execute(stmt).first()",
                        ),
                        (
                            "/usr/local/lib/python3.12/site-packages/sqlalchemy/pool/impl.py",
                            168,
                            "_do_get",
                            "raise exc.TimeoutError(",
                        ),
                    ],
                    "sqlalchemy.exc.TimeoutError: QueuePool limit of size 10 overflow 20 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)",
                ),
                logger="uvicorn.error",
            )
        ]
    )
    replica = LogFile("logs/pg-logistics-2.log", Postgres(rng=rng))
    replica.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"restartpoint complete: wrote {r.randrange(100, 3000)} buffers ({r.random() * 4:.1f}%); write={r.random() * 25:.3f} s, sync={r.random():.3f} s",
                (),
            ),
            START,
            MINUTES,
            50,
        )
    )
    replica.add(
        [
            at(
                START,
                MIGRATION + 2.0,
                "WARN",
                "replication lag 41 s exceeds warning threshold 30 s (application_name=pg-logistics-2)",
            )
        ]
    )
    deploy = "\n".join(
        [
            "2025-08-19T21:01:49Z Flyway Community Edition 10.17.0 by Redgate",
            "2025-08-19T21:01:49Z Database: jdbc:postgresql://pg-logistics-1.db.internal:5432/logistics (PostgreSQL 15.8)",
            "2025-08-19T21:01:50Z Successfully validated 87 migrations (execution time 00:00.112s)",
            '2025-08-19T21:01:50Z Current version of schema "public": 86',
            '2025-08-19T21:01:50Z Migrating schema "public" to version "87 - widen shipments tracking number"',
            '2025-08-19T21:05:25Z Successfully applied 1 migration to schema "public", now at version v87 (execution time 03:35.066s)',
            "2025-08-19T21:05:31Z deploy tracking-api 3.22.0: rollout complete (6/6 pods ready)",
            "",
        ]
    )
    series = {
        "pg_logistics_1_cpu_percent": shift(rng, 23, 97, int(DONE + 0.3), 0.04),
        "pg_logistics_1_active_connections": shift(rng, 14, 118, int(DONE + 2), 0.05, ramp=3),
        "pg_logistics_1_seq_scans_per_s": shift(rng, 0.4, 310, int(DONE + 0.3), 0.1),
        "tracking_api_p99_ms": shift(rng, 85, 30000, int(DONE + 1), 0.05, ramp=4),
        "tracking_api_5xx_per_s": shift(rng, 0.02, 14.5, int(DONE + 4), 0.2),
    }
    files = {
        "deploy-job.log": deploy,
        "metrics.csv": csv_text(START, 60, MINUTES, series),
        "logs/tracking-api.log": api.render(),
        "logs/pg-logistics-1.log": pg.render(),
        "logs/pg-logistics-2.log": replica.render(),
    }
    return Bundle(
        question="Shipment tracking has been timing out and returning 503 since the 21:00 UTC release. What is the root cause?",
        category="database",
        component="pg-logistics-1",
        statement="Flyway migration V87 at 21:02 UTC rebuilt the shipments table with CREATE TABLE ... (LIKE shipments INCLUDING DEFAULTS INCLUDING CONSTRAINTS), which copies no indexes; from 21:05 every lookup by order_id is a sequential scan of 9 million rows on pg-logistics-1, its CPU saturates and tracking-api's connection pool runs out.",
        files=files,
        proofs=[
            Proof(
                "logs/pg-logistics-1.log", "LIKE shipments INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
            ),
            Proof("logs/pg-logistics-1.log", "Seq Scan on shipments"),
        ],
        decoys=[
            "QueuePool limit of size 10 overflow 20 reached",
            "replication lag 41 s",
            "returned unknown status code",
        ],
    )
