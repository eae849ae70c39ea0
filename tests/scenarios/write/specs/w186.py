# ruff: noqa: E501
# Hand-written log lines, InnoDB status, slow-log entries and series definitions are data, kept whole on one line.
"""MySQL 8.0 purge lag: on Monday 09:18 UTC an analyst's DBeaver session (autocommit off) ran a
SELECT on catalog-db-1 and was left open; its read view has been held for two days, so InnoDB
cannot purge any undo newer than it. The history list length climbs from a few thousand to
14 million, every read walks long undo chains, and by Wednesday morning catalog-api's product
queries take seconds and hit `max_execution_time` (ERROR 3024) - loud, with 5xx at the edge.
Only `SHOW ENGINE INNODB STATUS` names the 180080-second transaction and its read view; in the
processlist it is a sleeping connection. Decoys: yesterday's gh-ost migration of
catalog.product_prices, replica lag on catalog-db-2 during that migration, and `Aborted
connection` warnings in the error log."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic, web_api

START = datetime(2025, 2, 19, 9, 30, tzinfo=UTC)
END = datetime(2025, 2, 19, 11, 20, tzinfo=UTC)
OPENED = datetime(2025, 2, 17, 9, 18, 40, tzinfo=UTC)
METRICS_START = datetime(2025, 2, 17, 0, 0, tzinfo=UTC)


@dataclass
class SlowLog:
    """MySQL's slow query log: `# Time:` header, user/host, timings, then the statement."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        return [
            f"# Time: {stamp}",
            *record.trailer[:2],
            f"SET timestamp={int(record.time.timestamp())};",
            record.message,
        ]


@dataclass
class MysqlError:
    """MySQL 8 error log: `2025-02-19T09:41:02.118201Z 88121 [Warning] [MY-010055] [Server] ...`."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        level = {"WARN": "Warning", "ERROR": "ERROR", "INFO": "System"}[record.level]
        return [f"{stamp} {record.logger} [{level}] {record.message}"]


def slow_entry(rng: random.Random, seconds: float) -> Line:
    product = rng.randrange(10**6)
    statement = rng.choice(
        [
            f"SELECT p.id, p.sku, p.title, pr.amount, pr.currency FROM products p JOIN product_prices pr ON pr.product_id = p.id WHERE p.id = {product} AND pr.valid_to IS NULL;",
            f"SELECT id, sku, stock, reserved FROM inventory WHERE product_id IN ({product}, {product + 1}, {product + 7}) FOR SHARE;",
            f"SELECT c.id, c.slug FROM categories c JOIN product_categories pc ON pc.category_id = c.id WHERE pc.product_id = {product};",
        ]
    )
    rows = rng.randrange(1, 40)
    return (
        "INFO",
        statement,
        (
            f"# User@Host: catalog[catalog] @  [10.8.3.{rng.randrange(10, 40)}]  Id: {rng.randrange(900000, 990000)}",
            f"# Query_time: {seconds:.6f}  Lock_time: 0.000{rng.randrange(3, 40):03d} Rows_sent: {rows}  Rows_examined: {rows + rng.randrange(0, 12)}",
        ),
    )


def bundle() -> Bundle:
    rng = random.Random(1186)
    total = (END - START).total_seconds() / 60

    slow = LogFile("logs/mysql-slow.log", SlowLog())
    slow.add(traffic(rng, lambda r: slow_entry(r, r.uniform(1.0, 2.4)), START, 20, 60))
    slow.add(
        traffic(
            rng,
            lambda r: slow_entry(r, r.uniform(1.8, 9.9)),
            START + timedelta(minutes=20),
            total - 20,
            640,
        )
    )
    slow.add(
        [
            at(
                START,
                44.0,
                "INFO",
                "SELECT /*!40001 SQL_NO_CACHE */ * FROM `order_exports_2024`;",
                (
                    "# User@Host: backup[backup] @  [10.8.1.5]  Id: 912003",
                    "# Query_time: 212.441822  Lock_time: 0.000002 Rows_sent: 18211941  Rows_examined: 18211941",
                ),
            ),
        ]
    )

    errlog = LogFile("logs/mysql-error.log", MysqlError())
    errlog.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: (
                    f"[MY-010055] [Server] IP address '10.8.{r.randrange(3, 9)}.{r.randrange(10, 250)}' could not be resolved: Name or service not known"
                ),
            ),
            START - timedelta(hours=6),
            total + 360,
            40,
            logger="0",
        )
    )
    errlog.add(
        [
            Record(r.time, r.level, r.message, (), str(rng.randrange(900000, 990000)))
            for r in traffic(
                rng,
                fixed(
                    "WARN",
                    lambda r: (
                        f"[MY-010914] [Server] Aborted connection {r.randrange(900000, 990000)} to db: 'catalog' user: 'catalog' host: '10.8.3.{r.randrange(10, 40)}' (Got timeout reading communication packets)."
                    ),
                ),
                START - timedelta(hours=6),
                total + 360,
                120,
            )
        ]
    )

    api = LogFile(
        "logs/catalog-api.log",
        SpringBoot(
            (
                "c.s.catalog.web.ProductController",
                "c.s.catalog.repo.ProductRepository",
                "o.h.engine.jdbc.spi.SqlExceptionHelper",
            ),
            rng=rng,
        ),
    )
    api.add(
        traffic(
            rng, web_api("catalog-api", ["products", "categories", "inventory"]), START, total, 3000
        )
    )
    api.add(
        loud(
            rng,
            START,
            25,
            total - 26,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    "Query execution was interrupted, maximum statement execution time exceeded"
                ),
                lambda r: java_trace(
                    "org.springframework.dao.QueryTimeoutException: JDBC exception executing SQL [select p1_0.id,p1_0.sku,p1_0.title from products p1_0 where p1_0.id=?] [Query execution was interrupted, maximum statement execution time exceeded] [n/a]",
                    [
                        "org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:261)",
                        "org.springframework.orm.jpa.vendor.HibernateJpaDialect.translateExceptionIfPossible(HibernateJpaDialect.java:241)",
                        "com.shopline.catalog.repo.ProductRepository.findWithPrice(ProductRepository.java:88)",
                    ],
                    [
                        "java.sql.SQLTimeoutException: Query execution was interrupted, maximum statement execution time exceeded",
                        "com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:112)",
                    ],
                    more=31,
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            20,
            total - 21,
            700,
            fixed(
                "WARN",
                lambda r: (
                    f"GET /api/v1/products/{r.randrange(10**6)} 200 {r.randrange(1900, 9900)}ms client=10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)} (slow)"
                ),
            ),
        )
    )

    points = int((END - METRICS_START).total_seconds() // 600)
    opened = int((OPENED - METRICS_START).total_seconds() // 600) + 1
    migration = int(timedelta(days=1, hours=14).total_seconds() // 600)
    metrics = csv_text(
        METRICS_START,
        600,
        points,
        {
            "catalog_db_1_innodb_history_list_length": shift(
                rng, 3100, 14200000, opened, 0.01, ramp=points - opened
            ),
            "catalog_db_1_innodb_undo_tablespace_gb": shift(
                rng, 1.1, 38.6, opened, 0.01, ramp=points - opened
            ),
            "catalog_db_1_threads_running": shift(rng, 6, 41, points - 40, 0.1, ramp=30),
            "catalog_db_1_query_p99_ms": lambda index: (
                (35 + 9900 * (max(0, index - opened) / (points - opened)) ** 3)
                * rng.uniform(0.93, 1.07)
            ),
            "catalog_db_1_buffer_pool_hit_ratio": steady(rng, 99.2, 0.002),
            "catalog_db_2_replica_lag_s": lambda index: (
                1200.0 * max(0.0, 1 - abs(index - migration - 6) / 6) + rng.uniform(0, 1)
            ),
            "catalog_api_5xx_per_min": shift(rng, 0.4, 210, points - 9, 0.15, ramp=4),
        },
    )
    status = "\n".join(
        [
            "mysql> SHOW ENGINE INNODB STATUS\\G   (catalog-db-1, 11:20 UTC, excerpt)",
            "*************************** 1. row ***************************",
            "  Type: InnoDB",
            "  Name:",
            "Status:",
            "=====================================",
            "2025-02-19 11:20:00 140118301918784 INNODB MONITOR OUTPUT",
            "=====================================",
            "Per second averages calculated from the last 22 seconds",
            "-----------------",
            "BACKGROUND THREAD",
            "-----------------",
            "srv_master_thread loops: 1520118 srv_active, 0 srv_shutdown, 88121 srv_idle",
            "srv_master_thread log flush and writes: 0",
            "----------",
            "SEMAPHORES",
            "----------",
            "OS WAIT ARRAY INFO: reservation count 41277812",
            "OS WAIT ARRAY INFO: signal count 39901721",
            "RW-shared spins 0, rounds 0, OS waits 0",
            "RW-excl spins 0, rounds 0, OS waits 0",
            "------------",
            "TRANSACTIONS",
            "------------",
            "Trx id counter 4216630018",
            "Purge done for trx's n:o < 4102213304 undo n:o < 0 state: running but idle",
            "History list length 14211872",
            "LIST OF TRANSACTIONS FOR EACH SESSION:",
            "---TRANSACTION 421938512231160, not started",
            "0 lock struct(s), heap size 1128, 0 row lock(s)",
            "---TRANSACTION 421938512230352, not started",
            "0 lock struct(s), heap size 1128, 0 row lock(s)",
            "---TRANSACTION 4216630011, ACTIVE 4 sec fetching rows",
            "mysql tables in use 2, locked 0",
            "MySQL thread id 918812, OS thread handle 140117981243136, query id 1120918811 10.8.3.21 catalog executing",
            "SELECT p.id, p.sku, p.title, pr.amount, pr.currency FROM products p JOIN product_prices pr ON pr.product_id = p.id WHERE p.id = 88121 AND pr.valid_to IS NULL",
            "---TRANSACTION 421938512239392, ACTIVE 180080 sec",
            "MySQL thread id 77412, OS thread handle 140118325126720, query id 991827731 10.8.9.44 m.ortega",
            "Trx read view will not see trx with id >= 4102213304, sees < 4102213304",
            "--------",
            "FILE I/O",
            "--------",
            "Pending normal aio reads: [0, 0, 0, 0] , aio writes: [0, 0, 0, 0] ,",
            "Pending flushes (fsync) log: 0; buffer pool: 0",
            "----------------------",
            "BUFFER POOL AND MEMORY",
            "----------------------",
            "Total large memory allocated 0",
            "Buffer pool size   1572864",
            "Free buffers       8192",
            "Database pages     1548221",
            "Buffer pool hit rate 992 / 1000, young-making rate 3 / 1000 not 12 / 1000",
            "--------------",
            "ROW OPERATIONS",
            "--------------",
            "41 queries inside InnoDB, 18 queries in queue",
            "Number of rows inserted 118211, updated 9121881, deleted 22113, read 8812911872",
            "0.00 inserts/s, 211.41 updates/s, 0.00 deletes/s, 102213.77 reads/s",
            "----------------------------",
            "END OF INNODB MONITOR OUTPUT",
            "============================",
            "",
            "mysql> SELECT id, user, host, db, command, time, state FROM information_schema.processlist WHERE command <> 'Query' ORDER BY time DESC LIMIT 4;",
            "+--------+-----------------+-----------------+---------+---------+--------+------------------------+",
            "| id     | user            | host            | db      | command | time   | state                  |",
            "+--------+-----------------+-----------------+---------+---------+--------+------------------------+",
            "|  77412 | m.ortega        | 10.8.9.44:51822 | catalog | Sleep   | 180052 |                        |",
            "|      5 | event_scheduler | localhost       | NULL    | Daemon  | 941122 | Waiting on empty queue |",
            "| 918744 | catalog         | 10.8.3.14:40118 | catalog | Sleep   |      3 |                        |",
            "| 918790 | catalog         | 10.8.3.19:40522 | catalog | Sleep   |      1 |                        |",
            "+--------+-----------------+-----------------+---------+---------+--------+------------------------+",
            "4 rows in set (0.01 sec)",
            "",
        ]
    )
    notes = "\n".join(
        [
            "catalog slowness - handover 11:20 UTC",
            "",
            "- Product pages slow since early morning, catalog-api hitting max_execution_time (10 s) since ~09:50.",
            "- Yesterday 14:00 the DBA team ran gh-ost on catalog.product_prices (add column). catalog-db-2 replica lag peaked at ~20 min during the cut-over, back to 0 since.",
            "- Buffer pool hit rate looks normal, no lock waits in performance_schema.data_lock_waits.",
            "- Nothing deployed in catalog-api since last Thursday.",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "innodb-status.txt": status,
        "metrics-10m.csv": metrics,
        "logs/catalog-api.log": api.render(),
        "logs/mysql-slow.log": slow.render(),
        "logs/mysql-error.log": errlog.render(),
    }
    return Bundle(
        question="Product pages have been getting slower for two days and since about 09:50 UTC catalog-api fails with 'maximum statement execution time exceeded'. Nothing was deployed. What is the root cause?",
        category="database",
        component="catalog-db-1",
        statement="A DBeaver session of m.ortega (thread 77412) has held a read view open on catalog-db-1 since Monday 09:18 UTC (ACTIVE 180080 sec), so InnoDB cannot purge undo; the history list length grows to 14.2 million and reads walk long undo chains until catalog-api's queries exceed max_execution_time from about 09:50 UTC Wednesday.",
        files=files,
        proofs=[
            Proof(
                "innodb-status.txt",
                "---TRANSACTION 421938512239392, ACTIVE 180080 sec",
                "Trx read view will not see trx with id >= 4102213304",
            ),
            Proof("innodb-status.txt", "History list length 14211872"),
        ],
        decoys=[
            "gh-ost on catalog.product_prices",
            "catalog_db_2_replica_lag_s",
            "Aborted connection",
        ],
    )
