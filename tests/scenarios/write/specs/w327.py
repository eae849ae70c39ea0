# ruff: noqa: E501
# Hand-written PostgreSQL and application lines and pasted psql output are data, kept whole on one line.
"""PostgreSQL, a lock queue behind a migration: at 14:02 UTC the release job of orders-api runs
`ALTER TABLE orders ADD COLUMN` on orders-db. The ALTER needs an ACCESS EXCLUSIVE lock and waits
behind a reporting query (a BI export started at 11:47 UTC still running); every later read and
write on `orders` queues behind the waiting ALTER. Loud: Hikari pool timeouts and 503s in
orders-api, statement timeouts. Decoys: frequent checkpoints, a slow autovacuum, a GC pause."""

import random
import re
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Postgres, SpringBoot
from scenes import at, fixed, loud
from traffic import database_server, traffic, web_api

START = datetime(2026, 3, 17, 12, 55, tzinfo=UTC)
MINUTES = 110.0
ALTER = 67.2


def bundle() -> Bundle:
    rng = random.Random(32701)
    pg = LogFile("logs/orders-db-postgresql.log", Postgres(rng))
    pg.add(traffic(rng, database_server(), START, MINUTES, 2600))
    pg.add(
        [
            at(START, 12.0, "WARN", "checkpoints are occurring too frequently (22 seconds apart)"),
            at(
                START,
                12.01,
                "INFO",
                'HINT:  Consider increasing the configuration parameter "max_wal_size".',
            ),
            at(
                START,
                ALTER,
                "INFO",
                "statement: ALTER TABLE public.orders ADD COLUMN fulfilment_region text",
            ),
            at(
                START,
                ALTER + 0.02,
                "INFO",
                "process 21877 still waiting for AccessExclusiveLock on relation 16502 of database 16391 after 1000.207 ms",
            ),
            at(
                START,
                ALTER + 0.03,
                "INFO",
                "DETAIL:  Process holding the lock: 14410. Wait queue: 21877, 21902, 21913.",
            ),
            at(
                START,
                ALTER + 0.04,
                "INFO",
                "STATEMENT:  ALTER TABLE public.orders ADD COLUMN fulfilment_region text",
            ),
            at(
                START,
                80.0,
                "INFO",
                'automatic vacuum of table "shop.public.order_events": index scans: 1 pages: 0 removed, 481220 remain; elapsed: 212.44 s',
            ),
        ]
    )
    pg.add(
        loud(
            rng,
            START,
            ALTER + 0.5,
            MINUTES - ALTER - 1,
            520,
            fixed(
                "INFO",
                lambda r: (
                    f"process {r.randrange(21900, 29000)} still waiting for AccessShareLock on relation 16502 of database 16391 after {r.uniform(1000, 1100):.3f} ms"
                ),
            ),
        )
    )
    pg.add(
        loud(
            rng,
            START,
            ALTER + 0.6,
            MINUTES - ALTER - 1,
            640,
            fixed("ERROR", lambda r: "canceling statement due to statement timeout"),
        )
    )
    text = (
        pg.render()
        .replace("LOG:  DETAIL:", "DETAIL:")
        .replace("LOG:  STATEMENT:", "STATEMENT:")
        .replace("LOG:  HINT:", "HINT:")
    )
    text = re.sub(
        r"\[\d+\] (LOG:  process 21877 still waiting|DETAIL:  Process holding the lock: 14410|STATEMENT:  ALTER TABLE|LOG:  statement: ALTER TABLE)",
        r"[21877] \1",
        text,
    )
    api = LogFile(
        "logs/orders-api.log",
        SpringBoot(
            (
                "c.s.orders.web.OrderController",
                "c.s.orders.repo.OrderRepository",
                "o.s.web.servlet.DispatcherServlet",
            ),
            pid=7,
            rng=rng,
        ),
    )
    api.add(
        traffic(
            rng, web_api("orders-api", ["orders", "order-lines", "shipments"]), START, MINUTES, 3400
        )
    )
    api.add(
        loud(
            rng,
            START,
            ALTER + 0.6,
            MINUTES - ALTER - 1,
            900,
            fixed(
                "ERROR",
                lambda r: (
                    f"HikariPool-1 - Connection is not available, request timed out after 30000ms (total={40}, active={40}, idle=0, waiting={r.randrange(60, 220)})"
                ),
                lambda r: [
                    "org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection",
                    "\tat c.s.orders.repo.OrderRepository.findById(OrderRepository.java:88)",
                ],
            ),
        )
    )
    api.add(
        [
            at(
                START,
                30.0,
                "WARN",
                "GC pause (G1 Evacuation Pause) (young) 612M->201M(2048M) 388.112ms",
                logger="gc",
            ),
            at(
                START,
                66.5,
                "INFO",
                "Release 2026.03.17-2 starting: running Flyway migration V214__orders_fulfilment_region.sql",
                logger="o.f.core.internal.command.DbMigrate",
            ),
            at(
                START,
                66.6,
                "INFO",
                'Migrating schema "public" to version "214 - orders fulfilment region"',
                logger="o.f.core.internal.command.DbMigrate",
            ),
        ]
    )
    activity = "\n".join(
        [
            "orders=# SELECT pid, usename, application_name, state, wait_event_type, xact_start, left(query, 60) AS query FROM pg_stat_activity WHERE datname = 'shop' AND (wait_event_type = 'Lock' OR now() - xact_start > interval '5 min') ORDER BY xact_start LIMIT 6;",
            "  pid  | usename  | application_name |        state        | wait_event_type |          xact_start           |                            query",
            "-------+----------+------------------+---------------------+-----------------+-------------------------------+--------------------------------------------------------------",
            " 14410 | bi_ro    | tableau-extract  | active              | IO              | 2026-03-17 11:47:09.331+00    | SELECT o.*, l.* FROM orders o JOIN order_lines l ON l.order_",
            " 21877 | migrator | flyway           | active              | Lock            | 2026-03-17 14:02:12.904+00    | ALTER TABLE public.orders ADD COLUMN fulfilment_region text",
            " 21902 | app      | orders-api       | active              | Lock            | 2026-03-17 14:02:14.118+00    | SELECT id, status, customer_id, total FROM orders WHERE id =",
            " 21913 | app      | orders-api       | active              | Lock            | 2026-03-17 14:02:14.502+00    | UPDATE orders SET status = $1, updated_at = now() WHERE id =",
            " 21920 | app      | orders-api       | active              | Lock            | 2026-03-17 14:02:14.771+00    | SELECT id, status, customer_id, total FROM orders WHERE id =",
            "(5 rows)",
            "",
        ]
    )
    notes = "\n".join(
        [
            "INC-5520 orders-api 503s — 14:20 UTC",
            "* 503s and Hikari timeouts on orders-api since ~14:03; DB CPU is 12%, no replication lag.",
            "* release 2026.03.17-2 went out at 14:01 (Flyway migration + new endpoint), pods healthy.",
            "* checkpoint warnings on orders-db are old news (max_wal_size ticket DBA-311).",
            "* pg_stat_activity pasted in orders-db-activity.txt",
            "",
        ]
    )
    return Bundle(
        question="orders-api returns 503s and its DB pool times out since about 14:03 UTC while orders-db CPU is low. What is the root cause?",
        category="database",
        component="orders-db",
        statement="The 14:02 UTC Flyway migration's ALTER TABLE orders waits for an AccessExclusiveLock behind a BI extract (pid 14410) running since 11:47; every later query on orders queues behind the waiting ALTER, so orders-api's pool is exhausted and requests time out.",
        files={
            "notes.md": notes,
            "orders-db-activity.txt": activity,
            "logs/orders-db-postgresql.log": text,
            "logs/orders-api.log": api.render(),
        },
        proofs=[
            Proof(
                "logs/orders-db-postgresql.log",
                "process 21877 still waiting for AccessExclusiveLock",
                "Process holding the lock: 14410",
            ),
            Proof("orders-db-activity.txt", " 14410 | bi_ro", " 21877 | migrator"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            'order_events": index scans: 1',
            "GC pause (G1 Evacuation Pause)",
        ],
    )
