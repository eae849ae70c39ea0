# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""pricing 2.3.0 rolls out with a new response schema while its clients still expect the old one."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2024, 10, 21, 14, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(121)
    pricing = LogFile(
        "pricing.log", Zap(("server/main.go:52", "api/prices.go:88", "api/discounts.go:41"), rng)
    )
    pricing.add(traffic(rng, web_api("pricing", ["prices", "discounts"]), START, 40, 905))
    pricing.add(
        [
            at(
                START,
                8.0,
                "INFO",
                "starting pricing version=2.3.0 commit=9f1c2ab api_schema=3 (min_client_schema=3)",
                logger="server/main.go:52",
            ),
            at(
                START,
                8.01,
                "INFO",
                "pod pricing-6d4b8c9f7-w2xkq ready; rollout 1/6 new replicas",
                logger="server/main.go:71",
            ),
        ]
    )
    cart = LogFile("cart.log", JsonLines("cart", ("timestamp", "level", "message"), rng=rng))
    cart.add(traffic(rng, web_api("cart", ["carts", "cart-items"]), START, 40, 724))
    cart.add(
        loud(
            rng,
            START,
            8.2,
            32,
            271,
            fixed(
                "ERROR",
                lambda r: (
                    f"failed to decode pricing response for sku {r.randrange(10**6)}: json: cannot unmarshal object into Go struct field Price.amount of type int64 (pricing-client schema 2)"
                ),
            ),
        )
    )
    cart.add(
        loud(
            rng,
            START,
            9,
            31,
            108,
            fixed(
                "WARN",
                lambda r: (
                    f"price for sku {r.randrange(10**6)} missing, showing cached value from {r.randrange(2, 59)}m ago"
                ),
            ),
        )
    )
    cart.add([at(START, 20, "ERROR", "5xx ratio on /api/v1/cart is 14.2% (SLO 1%)")])
    return Bundle(
        question="cart shows stale or missing prices since 14:08 and errors ~15% of the time. Why?",
        category="deployment",
        component="pricing",
        statement="pricing 2.3.0 was rolled out with response schema 3 while cart's client still decodes schema 2 (amount became an object), so the version skew breaks price decoding.",
        files={"pricing.log": pricing.render(), "cart.log": cart.render()},
        proofs=[Proof("pricing.log", "starting pricing version=2.3.0 commit=9f1c2ab api_schema=3")],
        decoys=["5xx ratio on /api/v1/cart", "showing cached value"],
    )
