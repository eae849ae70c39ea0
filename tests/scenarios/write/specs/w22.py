# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""A Flyway migration fails halfway at startup; the new code then queries a column that is not there."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, Postgres, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import database_server, http_access, traffic, web_api

START = datetime(2024, 11, 4, 8, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(122)
    orders = LogFile(
        "orders.log",
        SpringBoot(
            (
                "c.s.orders.web.OrderController",
                "c.s.orders.repo.OrderRepository",
                "c.s.orders.service.OrderService",
            ),
            pid=1,
            rng=rng,
        ),
    )
    orders.add(traffic(rng, web_api("orders", ["orders", "invoices"]), START, 45, 519))
    orders.add(
        [
            at(
                START,
                12.0,
                "INFO",
                'Migrating schema "public" to version "42 - add tax columns"',
                logger="o.f.core.internal.command.DbMigrate",
            ),
            at(
                START,
                12.05,
                "ERROR",
                'Migration of schema "public" to version "42 - add tax columns" failed! Changes successfully rolled back.',
                logger="o.f.core.internal.command.DbMigrate",
            ),
            at(
                START,
                12.06,
                "WARN",
                "flyway.validateOnMigrate=false, flyway.failOnMissingMigration=false: continuing startup with schema at version 41",
                logger="c.s.orders.config.FlywayConfig",
            ),
        ]
    )
    orders.add(
        loud(
            rng,
            START,
            12.3,
            32,
            135,
            fixed(
                "ERROR",
                lambda r: "Request processing failed",
                lambda r: java_trace(
                    "org.springframework.jdbc.BadSqlGrammarException: PreparedStatementCallback; bad SQL grammar [INSERT INTO orders (id, customer_id, total, tax_rate) VALUES (?, ?, ?, ?)]",
                    [
                        "org.springframework.jdbc.core.JdbcTemplate.update(JdbcTemplate.java:988)",
                        f"com.shop.orders.repo.OrderRepository.insert(OrderRepository.java:{r.randrange(40, 80)})",
                    ],
                    caused_by=[
                        'org.postgresql.util.PSQLException: ERROR: column "tax_rate" of relation "orders" does not exist'
                    ],
                    more=r.randrange(50, 70),
                ),
            ),
        )
    )
    postgres = LogFile("postgres.log", Postgres(rng))
    postgres.add(traffic(rng, database_server(), START, 45, 208))
    postgres.add(
        [
            at(
                START,
                12.04,
                "ERROR",
                'could not create unique index "orders_invoice_no_key": Key (invoice_no)=(INV-2024-118273) is duplicated.',
            )
        ]
    )
    postgres.add(
        loud(
            rng,
            START,
            12.3,
            32,
            104,
            fixed(
                "ERROR",
                lambda r: (
                    f'column "tax_rate" of relation "orders" does not exist at character {r.choice([41, 41, 58])}'
                ),
            ),
        )
    )
    access = LogFile("gateway-access.log", NginxAccess(rng))
    access.add(
        traffic(rng, http_access(["/api/v1/orders/{id}", "/api/v1/cart/{id}"]), START, 45, 260)
    )
    access.add(
        loud(
            rng,
            START,
            12.3,
            32,
            104,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /api/v1/orders HTTP/1.1" 500 311 "-" "okhttp/4.12.0" 0.0{r.randrange(10, 99)}'
                ),
            ),
        )
    )
    return Bundle(
        question="After this morning's orders release every new order fails with a 500. Why?",
        category="deployment",
        component="orders",
        statement="The release's Flyway migration V42 (add tax columns) failed on a duplicate invoice number and was rolled back, but orders started anyway and its code writes the missing tax_rate column.",
        files={
            "orders.log": orders.render(),
            "postgres.log": postgres.render(),
            "gateway-access.log": access.render(),
        },
        proofs=[
            Proof(
                "orders.log",
                'to version "42 - add tax columns" failed!',
                "continuing startup with schema at version 41",
            ),
            Proof("postgres.log", 'could not create unique index "orders_invoice_no_key"'),
        ],
        decoys=["bad SQL grammar", '"POST /api/v1/orders HTTP/1.1" 500'],
    )
