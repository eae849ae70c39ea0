# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""promotions 4.2.0 dereferences a null coupon campaign; checkout and the gateway shout (~10k lines)."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, SpringBoot, Syslog5424
from scenes import at, fixed, java_trace, loud
from traffic import http_access, traffic, web_api

START = datetime(2025, 1, 13, 9, 0, tzinfo=UTC)


def npe(rng: random.Random) -> list[str]:
    return java_trace(
        'java.lang.NullPointerException: Cannot invoke "com.shop.promotions.model.Campaign.getDiscount()" because the return value of "com.shop.promotions.model.Coupon.getCampaign()" is null',
        [
            "com.shop.promotions.service.DiscountService.apply(DiscountService.java:118)",
            "com.shop.promotions.web.DiscountController.quote(DiscountController.java:52)",
            "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
        ],
        more=rng.randrange(80, 95),
    )


def bundle() -> Bundle:
    rng = random.Random(124)
    promotions = LogFile(
        "promotions.log",
        SpringBoot(
            (
                "c.s.promotions.web.DiscountController",
                "c.s.promotions.service.DiscountService",
                "c.s.promotions.PromotionsApplication",
            ),
            pid=1,
            rng=rng,
        ),
    )
    promotions.add(
        traffic(rng, web_api("promotions", ["discounts", "coupons", "campaigns"]), START, 80, 2332)
    )
    promotions.add(
        [
            at(
                START,
                30.0,
                "INFO",
                "Started PromotionsApplication in 14.882 seconds (process running for 16.1) version=4.2.0 build=2025.01.13-3",
                logger="c.s.promotions.PromotionsApplication",
            ),
            at(
                START,
                31.0,
                "ERROR",
                "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: java.lang.NullPointerException] with root cause",
                npe(rng),
                logger="o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
        ]
    )
    promotions.add(
        loud(
            rng,
            START,
            31.2,
            48,
            377,
            fixed(
                "ERROR",
                lambda r: "Servlet.service() for servlet [dispatcherServlet] threw exception",
                npe,
            ),
        )
    )
    checkout = LogFile("checkout.log", Syslog5424("checkout-2", "checkout", 4121))
    checkout.add(traffic(rng, web_api("checkout", ["checkouts", "totals"]), START, 80, 1794))
    checkout.add(
        loud(
            rng,
            START,
            31.3,
            48,
            628,
            fixed(
                "ERROR",
                lambda r: (
                    f"discount quote failed for cart {r.getrandbits(48):012x}: promotions returned 500; continuing without discount"
                ),
            ),
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            35,
            44,
            108,
            fixed(
                "WARN",
                lambda r: (
                    f"payment authorization took {r.randrange(2000, 5000)}ms for order {r.randrange(10**7)}"
                ),
            ),
        )
    )
    gateway = LogFile("gateway-access.log", NginxAccess(rng))
    gateway.add(
        traffic(
            rng,
            http_access(
                ["/api/v1/checkout/{id}", "/api/v1/promotions/quote", "/api/v1/products/{id}", "/"]
            ),
            START,
            80,
            1615,
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            31.3,
            48,
            539,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /api/v1/promotions/quote HTTP/1.1" 500 122 "-" "okhttp/4.12.0" 0.0{r.randrange(10, 99)}'
                ),
            ),
        )
    )
    return Bundle(
        question="Coupons stopped working after this morning's release and checkout logs are full of errors. What is the root cause?",
        category="code_error",
        component="promotions",
        statement="promotions 4.2.0 throws a NullPointerException in DiscountService.apply when a coupon has no campaign, so every discount quote fails with 500.",
        files={
            "promotions.log": promotions.render(),
            "checkout.log": checkout.render(),
            "gateway-access.log": gateway.render(),
        },
        proofs=[
            Proof(
                "promotions.log",
                "in context with path [] threw exception [Request processing failed: java.lang.NullPointerException]",
                "DiscountService.apply(DiscountService.java:118)",
            )
        ],
        decoys=[
            "payment authorization took",
            "promotions returned 500; continuing without discount",
        ],
    )
