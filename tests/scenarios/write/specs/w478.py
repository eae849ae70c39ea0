# ruff: noqa: E501
# Hand-written MySQL and Spring lines and pasted mysql output are data, kept whole on one line.
"""MySQL, a buffer pool back at its default: a patch night on db-orders-02 (02:00 +08:00) re-ran
the Ansible role, whose template no longer had the host's `innodb_buffer_pool_size = 48G`
override, so mysqld restarted with 128 MiB. Nothing fails overnight; at the 08:00 +08:00
morning peak every order query reads from disk, queries slow down, order-api's Hikari pool
runs dry and checkout times out. Decoys: an aborted connection, a deadlock, disk at 71%."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api

SGT = timezone(timedelta(hours=8))
START = datetime(2025, 6, 2, 17, 30, tzinfo=UTC)
MINUTES = 480.0
RESTART = 38.0
PEAK = 390.0  # 08:00 +08:00


@dataclass
class MysqlError:
    """MySQL 8's error log: `2025-06-03T02:08:11.123456Z 0 [Note] [MY-010000] [Server] ...`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        stamp = record.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        label = {"INFO": "Note", "WARN": "Warning", "ERROR": "ERROR", "FATAL": "System"}[
            record.level
        ]
        thread = record.logger or str(self.rng.randrange(8, 90000))
        return [f"{stamp} {thread} [{label}] {record.message}"]


def chatter(rng: random.Random):
    roll = rng.random()
    if roll < 0.6:
        return (
            "WARN",
            f"[MY-010055] [Server] IP address '10.31.{rng.randrange(4, 9)}.{rng.randrange(2, 250)}' could not be resolved: Name or service not known",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"[MY-010914] [Server] Aborted connection {rng.randrange(10**5, 10**6)} to db: 'orders' user: 'report' host: '10.31.7.{rng.randrange(2, 250)}' (Got an error reading communication packets).",
            (),
        )
    return (
        "INFO",
        f"[MY-011953] [InnoDB] Page cleaner took {rng.randrange(4100, 9000)}ms to flush {rng.randrange(100, 900)} and evict 0 pages",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(47802)
    err = LogFile("logs/db-orders-02/error.log", MysqlError(rng))
    err.add(traffic(rng, chatter, START, MINUTES, 140))
    boot = [
        (
            "FATAL",
            "[MY-013172] [Server] Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: 8.0.36).",
            0.0,
        ),
        (
            "FATAL",
            "[MY-010910] [Server] /usr/sbin/mysqld: Shutdown complete (mysqld 8.0.36)  MySQL Community Server - GPL.",
            0.9,
        ),
        (
            "FATAL",
            "[MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.37) starting as process 2214",
            1.6,
        ),
        ("INFO", "[MY-012366] [InnoDB] Using Linux native AIO", 1.62),
        ("INFO", "[MY-013546] [InnoDB] Atomic write enabled", 1.63),
        ("INFO", "[MY-012932] [InnoDB] PUNCH HOLE support available", 1.64),
        ("INFO", "[MY-012944] [InnoDB] Uses event mutexes", 1.65),
        (
            "INFO",
            "[MY-012203] [InnoDB] Initializing buffer pool, total size = 128.000000M, instances = 1, chunk size = 128.000000M ",
            1.66,
        ),
        ("INFO", "[MY-012204] [InnoDB] Completed initialization of buffer pool", 1.68),
        ("FATAL", "[MY-013576] [InnoDB] InnoDB initialization has started.", 1.7),
        ("FATAL", "[MY-013577] [InnoDB] InnoDB initialization has ended.", 1.9),
        (
            "FATAL",
            "[MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.0.37'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.",
            2.2,
        ),
    ]
    err.add([at(START, RESTART + off, level, msg, logger="0") for level, msg, off in boot])
    err.add(
        [
            at(
                START,
                300.0,
                "INFO",
                "[MY-012468] [InnoDB] Transactions deadlock detected, dumping detailed information. (lock0lock.cc:6482)",
                logger="41",
            ),
            at(
                START,
                300.01,
                "INFO",
                "[MY-012469] [InnoDB] *** WE ROLL BACK TRANSACTION (2)",
                logger="41",
            ),
        ]
    )
    app = LogFile(
        "logs/order-api.log",
        SpringBoot(
            (
                "c.s.orders.api.OrderController",
                "c.s.orders.repo.OrderRepository",
                "o.s.web.servlet.DispatcherServlet",
            ),
            1,
            rng,
            SGT,
        ),
    )
    app.add(
        traffic(rng, web_api("order-api", ["orders", "carts", "checkout"]), START, MINUTES, 4200)
    )
    app.add(
        loud(
            rng,
            START,
            PEAK + 4,
            MINUTES - PEAK - 5,
            520,
            fixed(
                "WARN",
                lambda r: (
                    f"slow query: OrderRepository.findOpenByCustomer took {r.randrange(2800, 9800)}ms"
                ),
            ),
        )
    )
    trace = java_trace(
        "java.sql.SQLTransientConnectionException: orders-pool - Connection is not available, request timed out after 30000ms (total=40, active=40, idle=0, waiting=117)",
        [
            "com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)",
            "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)",
            "c.s.orders.repo.OrderRepository.findOpenByCustomer(OrderRepository.java:88)",
        ],
    )
    app.add(
        loud(
            rng,
            START,
            PEAK + 14,
            MINUTES - PEAK - 15,
            300,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /api/v1/checkout/{r.randrange(10**6)} failed: could not get JDBC connection"
                ),
                lambda r: trace,
            ),
        )
    )
    pasted = "\n".join(
        [
            "mysql> SELECT @@hostname, @@innodb_buffer_pool_size/1024/1024 AS pool_mb, @@version;",
            "+--------------+----------+-----------+",
            "| @@hostname   | pool_mb  | @@version |",
            "+--------------+----------+-----------+",
            "| db-orders-02 | 128.0000 | 8.0.37    |",
            "+--------------+----------+-----------+",
            "mysql> SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_read_requests','Innodb_buffer_pool_reads','Innodb_buffer_pool_pages_free','Uptime');",
            "+----------------------------------+-------------+",
            "| Variable_name                    | Value       |",
            "+----------------------------------+-------------+",
            "| Innodb_buffer_pool_pages_free    | 0           |",
            "| Innodb_buffer_pool_read_requests | 918227301   |",
            "| Innodb_buffer_pool_reads         | 61044172    |",
            "| Uptime                           | 22113       |",
            "+----------------------------------+-------------+",
            "",
            "$ iostat -x 5 1 nvme1n1   (db-orders-02)",
            "Device            r/s     w/s     rkB/s     wkB/s  r_await  %util",
            "nvme1n1       18211.4   402.0  291382.4   9120.8     4.81  99.60",
            "$ df -h /var/lib/mysql",
            "Filesystem      Size  Used Avail Use% Mounted on",
            "/dev/nvme1n1    1.0T  712G  312G  71% /var/lib/mysql",
            "",
        ]
    )
    notes = "\n".join(
        [
            "INC-5521 checkout timeouts, SG morning peak (from ~08:05 +08:00)",
            "- order-api unchanged since last week (build 7781). DB CPU low, disk very busy.",
            "- patch night: db-orders-02 upgraded 8.0.36 -> 8.0.37 via ansible role mysql-server (run 02:05 +08:00, CHG-1180). Role refactor merged last week moved tuning into group_vars; host_vars/db-orders-02.yml not read anymore.",
            "- storage team flagged /var/lib/mysql at 71%, planned expansion next sprint.",
            "",
            pasted,
        ]
    )
    return Bundle(
        question="Checkout on order-api times out since the 08:00 morning peak (Singapore time); the Hikari pool is exhausted. What is the root cause?",
        category="configuration",
        component="db-orders-02",
        statement="The patch-night Ansible run restarted mysqld on db-orders-02 with a template that lost the host's 48G innodb_buffer_pool_size, so InnoDB started with the 128 MiB default; at the morning peak nearly every read goes to disk, queries slow down and order-api's connection pool is exhausted.",
        files={
            "notes.md": notes,
            "logs/db-orders-02/error.log": err.render(),
            "logs/order-api.log": app.render(),
        },
        proofs=[
            Proof(
                "logs/db-orders-02/error.log", "Initializing buffer pool, total size = 128.000000M"
            ),
            Proof("notes.md", "| db-orders-02 | 128.0000"),
        ],
        decoys=["Transactions deadlock detected", "Aborted connection", "71% /var/lib/mysql"],
    )
