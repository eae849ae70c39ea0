# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""orders runs out of Java heap after a cache grows without bound; the gateway and checkout shout."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, NginxAccess, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import http_access, traffic, web_api

START = datetime(2024, 3, 12, 9, 0, tzinfo=UTC)
ORDERS_LOGGERS = (
    "c.s.orders.web.OrderController",
    "c.s.orders.service.OrderService",
    "o.s.w.s.DispatcherServlet",
    "c.s.orders.cache.PriceCache",
)


def bundle() -> Bundle:
    rng = random.Random(101)
    orders = LogFile("orders.log", SpringBoot(ORDERS_LOGGERS, pid=7, rng=rng))
    orders.add(
        traffic(rng, web_api("orders", ["orders", "order-lines", "invoices"]), START, 60, 696)
    )
    orders.add(
        [
            at(
                START,
                31.2,
                "WARN",
                "Price cache size 1843221 entries exceeds soft limit 200000; eviction disabled by price.cache.evict=false",
                logger="c.s.orders.cache.PriceCache",
            ),
            at(
                START,
                38.05,
                "ERROR",
                "Servlet.service() for servlet [dispatcherServlet] threw exception [Handler dispatch failed: java.lang.OutOfMemoryError: Java heap space] with root cause",
                java_trace(
                    "java.lang.OutOfMemoryError: Java heap space",
                    [
                        "java.base/java.util.HashMap.resize(HashMap.java:702)",
                        "java.base/java.util.HashMap.putVal(HashMap.java:661)",
                        "com.shop.orders.cache.PriceCache.put(PriceCache.java:88)",
                        "com.shop.orders.service.OrderService.price(OrderService.java:214)",
                        "com.shop.orders.web.OrderController.create(OrderController.java:61)",
                    ],
                ),
                logger="o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
        ]
    )
    orders.add(
        loud(
            rng,
            START,
            38.3,
            21,
            83,
            fixed(
                "ERROR",
                lambda r: (
                    f"Failed to complete request: org.springframework.dao.QueryTimeoutException: order {r.randrange(10**6)} pricing timed out after {r.randrange(5000, 9000)}ms"
                ),
            ),
        )
    )
    gateway = LogFile("gateway-access.log", NginxAccess(rng))
    gateway.add(
        traffic(
            rng,
            http_access(
                [
                    "/api/v1/orders/{id}",
                    "/api/v1/cart/{id}",
                    "/static/app.js",
                    "/api/v1/products/{id}",
                ]
            ),
            START,
            60,
            557,
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            38.2,
            21,
            209,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /api/v1/orders HTTP/1.1" 502 157 "-" "okhttp/4.12.0" {r.randrange(1000, 60000) / 1000:.3f}'
                ),
            ),
        )
    )
    checkout = LogFile(
        "checkout.log",
        JsonLines("checkout", ("timestamp", "severity", "message"), lower_level=False, rng=rng),
    )
    checkout.add(traffic(rng, web_api("checkout", ["checkouts", "payments"]), START, 60, 348))
    checkout.add(
        loud(
            rng,
            START,
            38.4,
            21,
            104,
            fixed(
                "ERROR",
                lambda r: (
                    f"order submission failed for cart {r.getrandbits(48):012x}: upstream orders returned 502 Bad Gateway after {r.randrange(900, 30000)}ms"
                ),
            ),
        )
    )
    checkout.add(
        [
            at(
                START,
                44.0,
                "FATAL",
                "circuit breaker 'orders' OPEN: failure rate 97.2% over last 100 calls",
            )
        ]
    )
    return Bundle(
        question="Why are orders failing since about 09:38?",
        category="memory",
        component="orders",
        statement="The orders service ran out of Java heap (OutOfMemoryError) because its price cache grew without eviction.",
        files={
            "orders.log": orders.render(),
            "gateway-access.log": gateway.render(),
            "checkout.log": checkout.render(),
        },
        proofs=[
            Proof(
                "orders.log",
                "java.lang.OutOfMemoryError: Java heap space] with root cause",
                "PriceCache.put(PriceCache.java:88)",
            ),
            Proof("orders.log", "Price cache size 1843221 entries"),
        ],
        decoys=[
            "circuit breaker 'orders' OPEN",
            "upstream orders returned 502 Bad Gateway",
            "QueryTimeoutException",
        ],
    )
