# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""A long analytics query on the orders-db replica holds WAL replay; reads go stale."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import Logfmt, Postgres
from scenes import at, fixed, loud
from traffic import database_server, traffic, web_api

START = datetime(2024, 9, 2, 10, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(110)
    replica = LogFile("orders-db-replica.log", Postgres(rng))
    replica.add(traffic(rng, database_server(), START, 60, 839))
    replica.add(
        [
            at(
                START,
                15.0,
                "INFO",
                "recovery still waiting after 1000.184 ms: recovery conflict on snapshot",
            ),
            at(
                START,
                15.01,
                "INFO",
                "statement: SELECT customer_id, sum(total) FROM orders o JOIN order_lines l USING (order_id) WHERE o.created_at > now() - interval '2 years' GROUP BY 1  /* analytics-export */",
            ),
        ]
    )
    replica.add(
        loud(
            rng,
            START,
            40,
            20,
            22,
            fixed(
                "WARN",
                lambda r: (
                    f'temporary file: path "base/pgsql_tmp/pgsql_tmp{r.randrange(1000, 9999)}.{r.randrange(40)}", size {r.randrange(10**8, 10**9)}'
                ),
            ),
        )
    )
    orders = LogFile("orders.log", Logfmt("orders", rng))
    orders.add(traffic(rng, web_api("orders", ["orders", "order-status"]), START, 60, 687))
    orders.add(
        loud(
            rng,
            START,
            19,
            41,
            275,
            fixed(
                "ERROR",
                lambda r: (
                    f"order {r.randrange(10**7)} not found right after create (read from replica); returning 404 to client"
                ),
            ),
        )
    )
    orders.add(
        loud(
            rng,
            START,
            25,
            35,
            68,
            fixed(
                "WARN",
                lambda r: (
                    f"optimistic lock failure updating order {r.randrange(10**7)}: version {r.randrange(2, 9)} expected, retrying"
                ),
            ),
        )
    )
    step = 30
    at_index = 15 * 60 // step
    series = {
        "pg_replication_lag_seconds": shift(rng, 0.2, 1500, at_index, 0.03, ramp=90),
        "pg_replica_active_queries": shift(rng, 3, 4, at_index, 0.1),
        "orders_404_per_min": shift(rng, 2, 85, at_index + 8, 0.1, ramp=6),
        "pg_primary_tps": steady(rng, 1800, 0.05),
    }
    return Bundle(
        question="Customers see 'order not found' right after placing an order since about 10:20. Why?",
        category="database",
        component="orders-db-replica",
        statement="WAL replay on the orders-db replica is blocked by a long analytics query (recovery conflict), so replication lag grows and reads from the replica are stale.",
        files={
            "orders-db-replica.log": replica.render(),
            "orders.log": orders.render(),
            "metrics.csv": csv_text(START, step, 3600 // step, series),
        },
        proofs=[
            Proof(
                "orders-db-replica.log",
                "recovery still waiting after 1000.184 ms",
                "analytics-export",
            )
        ],
        decoys=["optimistic lock failure", "temporary file: path"],
    )
