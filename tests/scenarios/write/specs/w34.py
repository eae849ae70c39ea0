# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""A 20-second inventory blip is amplified by cart's immediate retries into a long overload."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import JsonLines, Logfmt, Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 11, 3, 19, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(134)
    cart = LogFile("cart.log", Logfmt("cart", rng))
    cart.add(traffic(rng, web_api("cart", ["carts", "cart-items"]), START, 50, 539))
    cart.add(
        [
            at(
                START,
                0.2,
                "INFO",
                "http client inventory configured: timeout=500ms max_attempts=6 backoff=0ms jitter=false",
            ),
            at(
                START,
                15.0,
                "WARN",
                "inventory call attempt 6/6 failed: context deadline exceeded; giving up",
            ),
        ]
    )
    cart.add(
        loud(
            rng,
            START,
            15.1,
            34,
            179,
            fixed(
                "WARN",
                lambda r: (
                    f"inventory call attempt {r.randrange(2, 7)}/6 failed: {r.choice(['context deadline exceeded', '503 Service Unavailable', 'connection reset by peer'])}; retrying immediately"
                ),
            ),
        )
    )
    inventory = LogFile(
        "inventory.log", Zap(("api/stock.go:61", "api/server.go:140", "store/pg.go:88"), rng)
    )
    inventory.add(traffic(rng, web_api("inventory", ["stock", "reservations"]), START, 50, 479))
    inventory.add(
        [
            at(
                START,
                14.8,
                "INFO",
                "pg pool reconnect after failover of inventory-db (19.6s)",
                logger="store/pg.go:88",
            )
        ]
    )
    inventory.add(
        loud(
            rng,
            START,
            15.2,
            34,
            227,
            fixed(
                "ERROR",
                lambda r: (
                    f"load shedding: {r.randrange(900, 2000)} in-flight requests > limit 800, returning 503"
                ),
            ),
        )
    )
    checkout = LogFile("checkout.log", JsonLines("checkout", ("ts", "level", "msg"), rng=rng))
    checkout.add(traffic(rng, web_api("checkout", ["checkout"]), START, 50, 300))
    checkout.add(
        loud(
            rng,
            START,
            16,
            33,
            90,
            fixed(
                "ERROR",
                lambda r: (
                    f"checkout {r.getrandbits(40):010x} failed: cart unavailable (timeout 3s)"
                ),
            ),
        )
    )
    step = 15
    at_index = 15 * 60 // step
    series = {
        "inventory_requests_per_s": shift(rng, 420, 2450, at_index, 0.06, ramp=2),
        "cart_requests_per_s": steady(rng, 400, 0.05),
        "inventory_p99_latency_ms": shift(rng, 35, 1800, at_index, 0.1, ramp=2),
        "inventory_db_connections_active": steady(rng, 38, 0.06),
        "checkout_errors_per_s": shift(rng, 0.2, 38, at_index + 4, 0.1, ramp=3),
    }
    return Bundle(
        question="inventory has been overloaded for 30 minutes since a brief database failover at 19:14. Why doesn't it recover?",
        category="configuration",
        component="cart",
        statement="cart retries inventory calls up to 6 times with no backoff or jitter, so the short inventory-db failover turned into a retry storm of ~6x traffic that keeps inventory overloaded.",
        files={
            "cart.log": cart.render(),
            "inventory.log": inventory.render(),
            "checkout.log": checkout.render(),
            "metrics.csv": csv_text(START, step, 3000 // step, series),
        },
        proofs=[Proof("cart.log", "max_attempts=6 backoff=0ms jitter=false")],
        decoys=[
            "load shedding",
            "cart unavailable (timeout 3s)",
            "pg pool reconnect after failover",
        ],
    )
