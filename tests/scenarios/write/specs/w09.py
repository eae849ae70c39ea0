# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""A reporting job on the shared node eats its CPU; search, its neighbour, is throttled and slow."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import JsonLines, Logfmt
from scenes import at, fixed, loud
from traffic import traffic, web_api, worker

START = datetime(2024, 8, 19, 14, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(109)
    search = LogFile("search.log", JsonLines("search", ("time", "level", "msg"), rng=rng))
    search.add(traffic(rng, web_api("search", ["query", "suggest"]), START, 60, 1047))
    search.add(
        loud(
            rng,
            START,
            21.5,
            38,
            246,
            fixed(
                "WARN",
                lambda r: (
                    f"slow query q={r.choice(['shoes', 'jacket', 'lamp', 'desk', 'tent'])} took {r.randrange(1500, 6000)}ms shards=12 (threshold 1000ms)"
                ),
            ),
        )
    )
    search.add(
        loud(
            rng,
            START,
            24.0,
            36,
            111,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /api/v1/query 504 deadline exceeded after 5000ms request {r.getrandbits(40):010x}"
                ),
            ),
        )
    )
    reporting = LogFile("reporting.log", Logfmt("reporting", rng))
    reporting.add(traffic(rng, worker("reporting", ["report-requests"]), START, 60, 373))
    reporting.add(
        [
            at(
                START,
                20.0,
                "INFO",
                "starting quarterly rebuild of sales_cube with parallelism=32 on node ip-10-0-9-14 (no cpu limit set)",
            )
        ]
    )
    step = 15
    at_index = 20 * 60 // step
    series = {
        "node_cpu_busy_percent": shift(rng, 38, 99, at_index, 0.03, ramp=4),
        "reporting_cpu_cores": shift(rng, 0.2, 15.1, at_index, 0.04, ramp=4),
        "search_cpu_throttled_periods_per_s": shift(rng, 0.3, 41, at_index + 2, 0.1, ramp=4),
        "search_p99_latency_ms": shift(rng, 140, 3900, at_index + 4, 0.08, ramp=6),
        "search_requests_per_s": steady(rng, 240, 0.05),
    }
    return Bundle(
        question="Search p99 went from 150ms to several seconds after 14:20 with no deploy. Why?",
        category="cpu",
        component="reporting",
        statement="The reporting job's quarterly rebuild (parallelism 32, no CPU limit) saturates the shared node's CPU, so its neighbour search is starved and slow.",
        files={
            "search.log": search.render(),
            "reporting.log": reporting.render(),
            "metrics.csv": csv_text(START, step, 3600 // step, series, decimals=2),
        },
        proofs=[Proof("reporting.log", "starting quarterly rebuild of sales_cube")],
        decoys=["deadline exceeded after 5000ms", "slow query q="],
    )
