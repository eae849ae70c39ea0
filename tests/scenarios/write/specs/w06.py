# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""billing leaks database connections from a report endpoint; its Hikari pool runs dry (~10k lines)."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, NginxAccess, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import http_access, traffic, web_api

START = datetime(2024, 6, 3, 7, 0, tzinfo=UTC)
LOGGERS = (
    "c.s.billing.web.InvoiceController",
    "c.s.billing.service.InvoiceService",
    "c.s.billing.report.ReportJob",
    "o.s.w.s.DispatcherServlet",
)


def bundle() -> Bundle:
    rng = random.Random(106)
    billing = LogFile("billing.log", SpringBoot(LOGGERS, pid=1, rng=rng))
    billing.add(
        traffic(rng, web_api("billing", ["invoices", "statements", "refunds"]), START, 90, 2605)
    )
    billing.add(
        [
            at(
                START,
                41.0,
                "WARN",
                "Connection leak detection triggered for org.postgresql.jdbc.PgConnection@5b2a1f0 on thread nio-8080-exec-17, stack trace follows",
                java_trace(
                    "java.lang.Exception: Apparent connection leak detected",
                    [
                        "com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:128)",
                        "com.shop.billing.report.MonthlyReport.stream(MonthlyReport.java:73)",
                        "com.shop.billing.web.ReportController.export(ReportController.java:40)",
                    ],
                ),
                logger="com.zaxxer.hikari.pool.ProxyLeakTask",
            ),
            at(
                START,
                52.0,
                "DEBUG",
                "HikariPool-1 - Pool stats (total=20, active=20, idle=0, waiting=37)",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
        ]
    )
    billing.add(
        loud(
            rng,
            START,
            53.0,
            37,
            607,
            fixed(
                "ERROR",
                lambda r: (
                    f"Request processing failed: org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection; HikariPool-1 - Connection is not available, request timed out after {r.randrange(30000, 30100)}ms."
                ),
                lambda r: java_trace(
                    "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.",
                    [
                        "com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)",
                        "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)",
                        f"com.shop.billing.service.InvoiceService.find(InvoiceService.java:{r.randrange(40, 200)})",
                    ],
                    more=r.randrange(60, 90),
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
                    "/api/v1/invoices/{id}",
                    "/api/v1/statements/{id}",
                    "/api/v1/refunds/{id}",
                    "/api/v1/reports/monthly",
                ]
            ),
            START,
            90,
            1910,
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            53.0,
            37,
            782,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /api/v1/invoices/{r.randrange(10**6)} HTTP/1.1" 504 167 "-" "okhttp/4.12.0" 60.{r.randrange(1000):03d}'
                ),
            ),
        )
    )
    db = LogFile(
        "db-proxy.log", JsonLines("pgbouncer", ("@timestamp", "log.level", "message"), rng=rng)
    )
    db.add(traffic(rng, web_api("pgbouncer", ["pools"]), START, 90, 261))
    db.add(
        loud(
            rng,
            START,
            55.0,
            30,
            69,
            fixed(
                "WARN",
                lambda r: (
                    f"client {r.randrange(10, 99)} idle in transaction for {r.randrange(600, 3000)}s on pool billing"
                ),
            ),
        )
    )
    return Bundle(
        question="billing times out on every request since 07:53; the database looks healthy. What is the cause?",
        category="connection_pool",
        component="billing",
        statement="billing's HikariPool-1 is exhausted (20 of 20 active) because the monthly report export leaks connections it never closes.",
        files={
            "billing.log": billing.render(),
            "gateway-access.log": gateway.render(),
            "db-proxy.log": db.render(),
        },
        proofs=[
            Proof("billing.log", "Connection leak detection triggered", "MonthlyReport.stream"),
            Proof(
                "billing.log", "HikariPool-1 - Pool stats (total=20, active=20, idle=0, waiting=37)"
            ),
        ],
        decoys=["CannotGetJdbcConnectionException", "idle in transaction", " 504 167 "],
    )
