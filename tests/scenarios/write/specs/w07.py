# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""catalog's HTTP client pool to inventory is too small for a traffic spike; latency climbs."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import PythonLogging, Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2024, 7, 9, 11, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(107)
    catalog = LogFile(
        "catalog.log",
        PythonLogging(
            (
                "catalog.views",
                "catalog.clients.inventory",
                "urllib3.connectionpool",
                "gunicorn.access",
            ),
            rng,
        ),
    )
    catalog.add(
        traffic(rng, web_api("catalog", ["products", "categories", "prices"]), START, 60, 1035)
    )
    catalog.add(
        [
            at(
                START,
                26.0,
                "WARN",
                "Connection pool is full, discarding connection: inventory.shop.internal. Connection pool size: 10",
                logger="urllib3.connectionpool",
            ),
            at(
                START,
                26.1,
                "INFO",
                "inventory client: 10 of 10 pooled connections busy, 57 requests queued (pool_maxsize=10, pool_block=True)",
                logger="catalog.clients.inventory",
            ),
        ]
    )
    catalog.add(
        loud(
            rng,
            START,
            27.0,
            33,
            190,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /api/v1/products/{r.randrange(10**6)} failed: HTTPConnectionPool(host='inventory.shop.internal', port=80): Read timed out. (read timeout={r.choice([2, 2, 3])})"
                ),
            ),
        )
    )
    inventory = LogFile(
        "inventory.log", Zap(("api/stock.go:61", "api/server.go:140", "store/redis.go:33"), rng)
    )
    inventory.add(traffic(rng, web_api("inventory", ["stock", "reservations"]), START, 60, 603))
    inventory.add(
        loud(
            rng,
            START,
            29.0,
            30,
            59,
            fixed(
                "WARN",
                lambda r: (
                    f"slow redis call HMGET stock:{r.randrange(10**5)} took {r.randrange(120, 400)}ms"
                ),
            ),
        )
    )
    minutes = 60
    step = 30
    at_index = 26 * 60 // step
    series = {
        "catalog_requests_per_s": shift(rng, 180, 520, at_index - 6, 0.05, ramp=6),
        "catalog_p99_latency_ms": shift(rng, 85, 2400, at_index, 0.08, ramp=3),
        "catalog_http_pool_in_use": shift(rng, 4, 10, at_index - 1, 0.02, ramp=2),
        "inventory_p99_latency_ms": steady(rng, 22, 0.1),
        "inventory_cpu_percent": steady(rng, 31, 0.08),
    }
    metrics = csv_text(START, step, minutes * 60 // step, series)
    return Bundle(
        question="Product pages got slow around 11:26. Inventory looks fine. Why?",
        category="connection_pool",
        component="catalog",
        statement="catalog's HTTP client pool to inventory (pool_maxsize=10) is exhausted under the traffic spike, so requests queue for connections and time out.",
        files={
            "catalog.log": catalog.render(),
            "inventory.log": inventory.render(),
            "metrics.csv": metrics,
        },
        proofs=[
            Proof("catalog.log", "Connection pool is full, discarding connection"),
            Proof("catalog.log", "10 of 10 pooled connections busy"),
        ],
        decoys=["Read timed out", "slow redis call"],
    )
