# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""A cleanup migration drops the orders index on customer_id; lookups turn into sequential scans."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Postgres, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import database_server, traffic, web_api

START = datetime(2024, 10, 8, 9, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(111)
    postgres = LogFile("postgres.log", Postgres(rng))
    postgres.add(traffic(rng, database_server(), START, 45, 674))
    postgres.add(
        [
            at(
                START,
                10.0,
                "INFO",
                "statement: DROP INDEX CONCURRENTLY IF EXISTS idx_orders_customer_id;  /* migration V88__drop_unused_indexes */",
            )
        ]
    )
    postgres.add(
        loud(
            rng,
            START,
            11.0,
            34,
            215,
            fixed(
                "INFO",
                lambda r: (
                    f"duration: {r.randrange(2500, 9800)}.{r.randrange(1000):03d} ms  execute <unnamed>: SELECT o.* FROM orders o WHERE o.customer_id = $1 ORDER BY o.created_at DESC LIMIT 20"
                ),
            ),
        )
    )
    postgres.add(
        loud(
            rng,
            START,
            16.0,
            29,
            40,
            fixed(
                "ERROR",
                lambda r: (
                    f"canceling statement due to statement timeout (pid {r.randrange(1000, 60000)})"
                ),
            ),
        )
    )
    account = LogFile(
        "account.log",
        SpringBoot(
            (
                "c.s.account.web.HistoryController",
                "c.s.account.service.OrderHistory",
                "o.s.w.s.DispatcherServlet",
            ),
            pid=1,
            rng=rng,
        ),
    )
    account.add(
        traffic(rng, web_api("account", ["profile", "order-history", "addresses"]), START, 45, 539)
    )
    account.add(
        loud(
            rng,
            START,
            16.0,
            29,
            100,
            fixed(
                "ERROR",
                lambda r: "Order history lookup failed",
                lambda r: java_trace(
                    "org.springframework.dao.QueryTimeoutException: PreparedStatementCallback; SQL [SELECT o.* FROM orders o WHERE o.customer_id = ?]; ERROR: canceling statement due to statement timeout",
                    [
                        "org.springframework.jdbc.support.SQLStateSQLExceptionTranslator.doTranslate(SQLStateSQLExceptionTranslator.java:99)",
                        f"com.shop.account.service.OrderHistory.page(OrderHistory.java:{r.randrange(30, 90)})",
                    ],
                    more=r.randrange(70, 90),
                ),
            ),
        )
    )
    account.add(
        loud(
            rng,
            START,
            12.0,
            33,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={r.randrange(60, 90)}s)"
                ),
            ),
        )
    )
    return Bundle(
        question="The order history page times out since about 09:10. Why?",
        category="database",
        component="postgres",
        statement="Migration V88 dropped the index idx_orders_customer_id on orders, so order-history lookups by customer_id do sequential scans and hit the statement timeout.",
        files={"postgres.log": postgres.render(), "account.log": account.render()},
        proofs=[Proof("postgres.log", "DROP INDEX CONCURRENTLY IF EXISTS idx_orders_customer_id")],
        decoys=[
            "Thread starvation or clock leap detected",
            "canceling statement due to statement timeout",
        ],
    )
