# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""fraud-model v7 is much slower; payments' calls to it time out and checkout fails (Prometheus JSON)."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import Series, prometheus_text, shift
from records import JsonLines, PythonLogging, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 1, 19, 13, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(136)
    model = LogFile(
        "fraud-model.log", PythonLogging(("fraud.server", "fraud.model", "uvicorn.access"), rng)
    )
    model.add(traffic(rng, web_api("fraud-model", ["score"]), START, 60, 177))
    model.add(
        [
            at(
                START,
                18.0,
                "INFO",
                "loaded model fraud-gbm v7 (4000 trees, depth 14, 1.9 GB) in 41.2s; previous v6 had 400 trees",
                logger="fraud.model",
            )
        ]
    )
    model.add(
        loud(
            rng,
            START,
            19,
            40,
            24,
            fixed(
                "INFO",
                lambda r: f"score request {r.getrandbits(32):08x} took {r.randrange(700, 1600)}ms",
            ),
        )
    )
    payments = LogFile(
        "payments.log",
        SpringBoot(
            ("c.s.payments.fraud.FraudClient", "c.s.payments.web.PaymentController"), pid=1, rng=rng
        ),
    )
    payments.add(traffic(rng, web_api("payments", ["payments", "refunds"]), START, 60, 177))
    payments.add(
        loud(
            rng,
            START,
            19.2,
            40,
            59,
            fixed(
                "ERROR",
                lambda r: (
                    f"fraud check for payment {r.randrange(10**8)} failed: java.net.SocketTimeoutException: Read timed out (500ms); rejecting payment"
                ),
            ),
        )
    )
    checkout = LogFile("checkout.log", JsonLines("checkout", ("time", "level", "msg"), rng=rng))
    checkout.add(traffic(rng, web_api("checkout", ["checkout"]), START, 60, 118))
    checkout.add(
        loud(
            rng,
            START,
            20,
            40,
            49,
            fixed(
                "ERROR",
                lambda r: (
                    f"payment step failed for order {r.randrange(10**7)}: payments answered 502"
                ),
            ),
        )
    )
    step = 30
    at_index = 18 * 60 // step
    series: dict[tuple[tuple[str, str], ...], Series] = {
        (("__name__", "http_request_duration_p99_ms"), ("service", "fraud-model")): shift(
            rng, 60, 1250, at_index, 0.06, ramp=2
        ),
        (("__name__", "http_request_duration_p99_ms"), ("service", "payments")): shift(
            rng, 180, 620, at_index + 2, 0.06, ramp=2
        ),
        (("__name__", "http_request_duration_p99_ms"), ("service", "checkout")): shift(
            rng, 300, 900, at_index + 4, 0.06, ramp=2
        ),
        (("__name__", "http_requests_errors_per_s"), ("service", "checkout")): shift(
            rng, 0.3, 25, at_index + 4, 0.1, ramp=2
        ),
    }
    return Bundle(
        question="Checkout failures jumped around 13:19. payments and checkout both look broken — which one is it?",
        category="deployment",
        component="fraud-model",
        statement="fraud-model v7 (ten times more trees) was deployed at 13:18 and scores far slower, so payments' 500 ms fraud checks time out and payments are rejected.",
        files={
            "fraud-model.log": model.render(),
            "payments.log": payments.render(),
            "checkout.log": checkout.render(),
            "latency.json": prometheus_text(START, step, 3600 // step, series),
        },
        proofs=[Proof("fraud-model.log", "loaded model fraud-gbm v7")],
        decoys=["payments answered 502", "Read timed out (500ms)"],
    )
