# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""A feature flag switches checkout to a tax engine whose region table is empty; totals fail."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Logfmt, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api

START = datetime(2024, 8, 5, 13, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(119)
    flags = LogFile("flagd.log", Logfmt("flagd", rng))
    flags.add(traffic(rng, web_api("flagd", ["flags", "segments"]), START, 40, 239))
    flags.add(
        [
            at(
                START,
                9.0,
                "INFO",
                "flag checkout.tax-engine-v2 changed default false -> true (100% rollout) by a.kovacs via console",
            )
        ]
    )
    checkout = LogFile(
        "checkout.log",
        SpringBoot(
            (
                "c.s.checkout.web.CheckoutController",
                "c.s.checkout.service.Totals",
                "c.s.checkout.tax.TaxEngine",
            ),
            pid=1,
            rng=rng,
        ),
    )
    checkout.add(traffic(rng, web_api("checkout", ["checkouts", "totals"]), START, 40, 539))
    checkout.add(
        [
            at(
                START,
                9.05,
                "INFO",
                "feature flags refreshed: checkout.tax-engine-v2=true (was false)",
                logger="c.s.checkout.flags.FlagClient",
            )
        ]
    )
    checkout.add(
        loud(
            rng,
            START,
            9.1,
            30,
            168,
            fixed(
                "ERROR",
                lambda r: "Failed to compute totals",
                lambda r: java_trace(
                    f"com.shop.checkout.tax.TaxException: no tax rule for region {r.choice(['DE-BY', 'FR-IDF', 'NL-NH', 'AT-9', 'IT-25'])} in table tax_rules_v2",
                    [
                        "com.shop.checkout.tax.TaxEngineV2.rate(TaxEngineV2.java:64)",
                        "com.shop.checkout.service.Totals.compute(Totals.java:38)",
                    ],
                    more=r.randrange(40, 60),
                ),
            ),
        )
    )
    web = LogFile("web.log", JsonLines("web", ("ts", "level", "msg"), rng=rng))
    web.add(traffic(rng, web_api("web", ["pages"]), START, 40, 239))
    web.add(
        loud(
            rng,
            START,
            9.5,
            30,
            149,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /checkout/total 500 from checkout ({r.randrange(20, 90)}ms); EU customers affected"
                ),
            ),
        )
    )
    return Bundle(
        question="EU customers cannot complete checkout since 13:09, totals fail with 500. What happened?",
        category="configuration",
        component="checkout",
        statement="The feature flag checkout.tax-engine-v2 was switched on for 100% at 13:09, and the new tax engine has no rules for EU regions, so checkout's totals fail.",
        files={
            "flagd.log": flags.render(),
            "checkout.log": checkout.render(),
            "web.log": web.render(),
        },
        proofs=[
            Proof("flagd.log", "flag checkout.tax-engine-v2 changed default false -> true"),
            Proof("checkout.log", "feature flags refreshed: checkout.tax-engine-v2=true"),
        ],
        decoys=["EU customers affected", "no tax rule for region"],
    )
