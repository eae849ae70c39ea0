# ruff: noqa: E501
# Hand-written MySQL, application and pasted SQL output lines are data, kept whole on one line.
"""MySQL, connections used up by a new exporter: at 13:05 UTC the finance team deployed
report-exporter 1.0.0, whose HikariCP pool is sized 280 with `minimumIdle` 280 (a copy of a
load-test profile). It opens 280 idle connections to orders-mysql-01 (max_connections 400) on top
of the shop's usual ~150; at the 14:00 UTC peak checkout and inventory get `Too many connections`
(ER 1040). Loud: checkout's 500s and inventory's errors. Decoys: a slow query warning on
inventory, an aborted connection from a monitoring agent, and a replica lag warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 6, 11, 12, 20, tzinfo=UTC)
MINUTES = 140.0
DEPLOY = 45.0
PEAK = 101.0


@dataclass
class MysqlError:
    """MySQL 8.0's error log: `2025-06-11T12:20:01.123456Z 0 [Note] [MY-010000] [Server] ...`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "Note", "WARN": "Warning", "ERROR": "ERROR", "FATAL": "ERROR"}.get(
            record.level, "Note"
        )
        code, message = record.message.split(" ", 1)
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        thread = record.logger or str(self.rng.randrange(10000, 90000))
        return [f"{stamp} {thread} [{level}] [{code}] [Server] {message}"]


def mysql_chatter(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = r.random()
    if roll < 0.5:
        return (
            "INFO",
            f"MY-010914 Aborted connection {r.randrange(10**6, 9 * 10**6)} to db: 'shop' user: 'app' host: '10.44.{r.randrange(1, 9)}.{r.randrange(2, 250)}' (Got an error reading communication packets).",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"MY-013360 Plugin sha256_password reported: ''sha256_password' is deprecated and will be removed in a future release. Please use caching_sha2_password instead' (session {r.randrange(10**5)})",
            (),
        )
    return (
        "INFO",
        f"MY-010116 Buffer pool(s) dump completed: {r.randrange(20000, 90000)} pages at {r.randrange(10**4)}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(29711)
    mysql = LogFile("logs/orders-mysql-01/mysqld.err", MysqlError(rng))
    mysql.add(traffic(rng, mysql_chatter, START, MINUTES, 160))
    mysql.add(
        [
            at(
                START,
                8.0,
                "WARN",
                "MY-010914 Aborted connection 7713021 to db: 'unconnected' user: 'pmm' host: '10.44.0.9' (Got timeout reading communication packets).",
                logger="7713021",
            ),
            at(
                START,
                70.0,
                "WARN",
                "MY-010584 Replica SQL for channel '': Worker 2 waited 11 s for commit order; seconds behind source 14 (orders-mysql-02).",
                logger="12",
            ),
        ]
    )
    exporter = LogFile(
        "logs/report-exporter.log",
        SpringBoot(
            (
                "c.a.f.exporter.ExportScheduler",
                "c.a.f.exporter.OrdersReader",
                "com.zaxxer.hikari.HikariDataSource",
            ),
            pid=1,
            rng=rng,
        ),
    )
    exporter.add(
        [
            at(
                START,
                DEPLOY,
                "INFO",
                "Starting ReportExporterApplication v1.0.0 using Java 21.0.3 on report-exporter-01 with PID 1 (/app/report-exporter.jar started by app in /app)",
                logger="c.a.f.ReportExporterApplication",
            ),
            at(
                START,
                DEPLOY + 0.1,
                "INFO",
                'The following 1 profile is active: "loadtest"',
                logger="c.a.f.ReportExporterApplication",
            ),
            at(
                START,
                DEPLOY + 0.2,
                "INFO",
                "HikariPool-1 - configuration: jdbcUrl=jdbc:mysql://orders-mysql-01:3306/shop username=fin_exp maximumPoolSize=280 minimumIdle=280 idleTimeout=0",
                logger="com.zaxxer.hikari.HikariConfig",
            ),
            at(
                START,
                DEPLOY + 0.3,
                "INFO",
                "HikariPool-1 - Starting...",
                logger="com.zaxxer.hikari.HikariDataSource",
            ),
            at(
                START,
                DEPLOY + 1.4,
                "INFO",
                "HikariPool-1 - Added connection com.mysql.cj.jdbc.ConnectionImpl@5b1f29fa (pool total=280, active=0, idle=280)",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
            at(
                START,
                DEPLOY + 1.5,
                "INFO",
                "Started ReportExporterApplication in 9.412 seconds (process running for 10.03)",
                logger="c.a.f.ReportExporterApplication",
            ),
        ]
    )
    exporter.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"export batch {r.randrange(10**5)} written: {r.randrange(200, 5000)} rows to s3://fin-exports/orders/2025-06-11/part-{r.randrange(999):03d}.parquet",
                        f"HikariPool-1 - Pool stats (total=280, active={r.randrange(0, 4)}, idle={r.randrange(276, 281)}, waiting=0)",
                    ]
                ),
                (),
            ),
            START.replace(hour=13, minute=7),
            MINUTES - DEPLOY - 3,
            260,
        )
    )

    checkout = LogFile(
        "logs/checkout.log",
        PythonLogging(("checkout.api", "checkout.db", "checkout.payments"), rng),
    )
    checkout.add(
        traffic(rng, web_api("checkout", ["orders", "carts", "payments"]), START, MINUTES, 3400)
    )
    checkout.add(
        loud(
            rng,
            START,
            PEAK + 0.5,
            MINUTES - PEAK - 2,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /api/v1/orders 500 {r.randrange(5, 40)}ms: sqlalchemy.exc.OperationalError: (pymysql.err.OperationalError) (1040, 'Too many connections')"
                ),
            ),
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            PEAK + 0.5,
            MINUTES - PEAK - 2,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f"db pool: connection attempt {r.randrange(1, 4)} of 3 to orders-mysql-01:3306 failed, retrying in {r.choice([100, 200, 400])}ms"
                ),
            ),
        )
    )

    inventory = LogFile(
        "logs/inventory.log",
        SpringBoot(
            (
                "c.s.inventory.StockController",
                "c.s.inventory.StockRepository",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            pid=7,
            rng=rng,
        ),
    )
    inventory.add(
        traffic(rng, web_api("inventory", ["stock", "skus", "reservations"]), START, MINUTES, 2600)
    )
    inventory.add(
        [
            at(
                START,
                33.0,
                "WARN",
                "slow query 2.8s: SELECT sku, qty FROM stock WHERE warehouse_id = ? ORDER BY updated_at DESC (rows=48211)",
                logger="c.s.inventory.StockRepository",
            )
        ]
    )
    inventory.add(
        loud(
            rng,
            START,
            PEAK + 1,
            MINUTES - PEAK - 2,
            240,
            fixed(
                "ERROR",
                lambda r: (
                    'HikariPool-1 - Exception during pool initialization of new connection: java.sql.SQLNonTransientConnectionException: Data source rejected establishment of connection,  message from server: "Too many connections"'
                ),
            ),
        )
    )

    pasted = "\n".join(
        [
            "mysql> SHOW GLOBAL VARIABLES LIKE 'max_connections';",
            "+-----------------+-------+",
            "| Variable_name   | Value |",
            "+-----------------+-------+",
            "| max_connections | 400   |",
            "+-----------------+-------+",
            "1 row in set (0.00 sec)",
            "",
            "mysql> SELECT user, substring_index(host, ':', 1) AS client, command, count(*) AS n FROM information_schema.processlist GROUP BY 1, 2, 3 ORDER BY n DESC;",
            "+-----------+--------------+---------+-----+",
            "| user      | client       | command | n   |",
            "+-----------+--------------+---------+-----+",
            "| fin_exp   | 10.44.7.31   | Sleep   | 280 |",
            "| app       | 10.44.2.18   | Sleep   |  41 |",
            "| app       | 10.44.2.19   | Sleep   |  38 |",
            "| app       | 10.44.3.40   | Query   |  17 |",
            "| app       | 10.44.3.41   | Query   |  15 |",
            "| repl      | 10.44.0.12   | Binlog Dump GTID | 1 |",
            "| pmm       | 10.44.0.9    | Sleep   |   2 |",
            "+-----------+--------------+---------+-----+",
            "7 rows in set (0.01 sec)",
            "",
            "mysql> SHOW GLOBAL STATUS LIKE 'Max_used_connections%';",
            "+---------------------------+---------------------+",
            "| Variable_name             | Value               |",
            "+---------------------------+---------------------+",
            "| Max_used_connections      | 401                 |",
            "| Max_used_connections_time | 2025-06-11 14:01:12 |",
            "+---------------------------+---------------------+",
            "",
        ]
    )
    return Bundle(
        question="Checkout has been failing with 500s since about 14:00 UTC and inventory is throwing errors too. What is the root cause?",
        category="connection_pool",
        component="report-exporter",
        statement="report-exporter 1.0.0, deployed at 13:05 UTC with a load-test profile, holds a pool of 280 idle connections (minimumIdle=280) to orders-mysql-01, whose max_connections is 400; at the 14:00 peak the server refuses checkout's and inventory's connections with 1040 Too many connections.",
        files={
            "orders-mysql-01-processlist.txt": pasted,
            "logs/orders-mysql-01/mysqld.err": mysql.render(),
            "logs/report-exporter.log": exporter.render(),
            "logs/checkout.log": checkout.render(),
            "logs/inventory.log": inventory.render(),
        },
        proofs=[
            Proof("logs/report-exporter.log", "maximumPoolSize=280 minimumIdle=280"),
            Proof("orders-mysql-01-processlist.txt", "| fin_exp   | 10.44.7.31"),
        ],
        decoys=["slow query 2.8s", "user: 'pmm'", "seconds behind source 14"],
    )
