# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""The card acquirer starts answering 503; payments and checkout fill with errors."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Pino
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2024, 11, 29, 18, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(112)
    payments = LogFile(
        "payments.log", JsonLines("payments", ("timestamp", "level", "message"), rng=rng)
    )
    payments.add(
        traffic(rng, web_api("payments", ["charges", "refunds", "payment-methods"]), START, 50, 845)
    )
    payments.add(
        [
            at(
                START,
                17.0,
                "WARN",
                "acquirer api.acquirer-pay.example POST /v2/authorizations answered 503 Service Unavailable (Retry-After: 120, x-acq-incident: INC-44812)",
            )
        ]
    )
    payments.add(
        loud(
            rng,
            START,
            17.2,
            33,
            292,
            fixed(
                "ERROR",
                lambda r: (
                    f"charge {r.getrandbits(48):012x} failed: payment declined by processor (code PROCESSOR_ERROR) after {r.randrange(2, 4)} attempts"
                ),
            ),
        )
    )
    checkout = LogFile("checkout.log", Pino("checkout-5c8d7", rng))
    checkout.add(traffic(rng, web_api("checkout", ["checkout", "cart"]), START, 50, 614))
    checkout.add(
        loud(
            rng,
            START,
            17.5,
            32,
            229,
            fixed(
                "ERROR",
                lambda r: (
                    f"checkout {r.getrandbits(40):010x} aborted: payments returned 402 Payment Required"
                ),
            ),
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            20,
            30,
            30,
            fixed(
                "WARN",
                lambda r: (
                    f"fraud score service slow: {r.randrange(700, 1500)}ms for session {r.getrandbits(32):08x}"
                ),
            ),
        )
    )
    return Bundle(
        question="Lots of declined payments since 18:17 on Black Friday; is our fraud check broken?",
        category="dependency",
        component="payments",
        statement="The external card acquirer (api.acquirer-pay.example) answers 503 Service Unavailable, so payments' charges fail and are reported as declines.",
        files={"payments.log": payments.render(), "checkout.log": checkout.render()},
        proofs=[Proof("payments.log", "answered 503 Service Unavailable (Retry-After: 120")],
        decoys=[
            "fraud score service slow",
            "payment declined by processor",
            "402 Payment Required",
        ],
    )
