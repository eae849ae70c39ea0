# ruff: noqa: E501
# MySQL, journald and Spring Boot lines and pasted client output are data, kept whole on one line.
"""MySQL replication lag: the new `audit-purge` timer (added on 12 January) deletes a month of
`audit_events` in one DELETE statement on db-primary-1 at 02:00 local time. The primary
commits it after 38 minutes; the row-based binlog event reaches db-replica-1 as one huge
transaction, which its single SQL applier thread replays for over an hour. Every read
routed to the replica (order history, "my orders" after checkout) is stale; customers
see orders missing. Loud: order-service "order not found" on reads after writes.
Decoys: aborted connections on the primary, a GC pause in order-service, a backup's
lock wait warning."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Journal, Record, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api

IST = timezone(timedelta(hours=5, minutes=30))
START = datetime(2026, 1, 14, 20, 0, tzinfo=UTC)  # 01:30 IST
MINUTES = 200.0
PURGE = 30.0  # 02:00 IST
COMMIT = PURGE + 38.2


class MysqlError:
    """MySQL 8 error log: `2026-01-14T20:31:02.123456Z 12 [Warning] [MY-010055] [Server] ...`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "System", "WARN": "Warning", "ERROR": "ERROR"}.get(record.level, "Note")
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        code = record.logger or "MY-010914"
        return [
            f"{stamp} {self.rng.randrange(8, 9000)} [{level}] [{code}] [Server] {record.message}"
        ]


def aborted(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    user = rng.choice(["orders_app", "orders_app", "catalog_ro", "metrics"])
    return (
        "NOTE",
        f"Aborted connection {rng.randrange(10**5, 10**6)} to db: 'shop' user: '{user}' host: '10.61.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}' (Got an error reading communication packets).",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(44802)
    primary = LogFile("db-primary-1/mysqld-error.log", MysqlError(rng))
    primary.add(traffic(rng, aborted, START, MINUTES, 420))
    primary.add(
        [
            at(
                START,
                3.0,
                "WARN",
                "Timeout waiting for reply of binlog (file: binlog.004512, pos: 88121733), semi-sync up to file binlog.004512, position 88119280.",
                logger="MY-011153",
            ),
        ]
    )

    purge = LogFile(
        "db-primary-1/journal-audit-purge.txt", Journal("db-primary-1", "audit-purge", 40172)
    )
    purge.add(
        [
            at(
                START,
                PURGE,
                "INFO",
                "audit-purge 0.3.0 starting (retention 30 days, table shop.audit_events)",
            ),
            at(
                START,
                PURGE + 0.01,
                "INFO",
                "executing: DELETE FROM audit_events WHERE created_at < '2025-12-15 00:00:00'",
            ),
            at(START, COMMIT, "INFO", "deleted 41882113 rows in 1 statement (2291.4 s), committed"),
            at(
                START,
                COMMIT + 0.02,
                "INFO",
                "audit-purge finished, next run 2026-01-16 02:00:00 IST",
            ),
        ]
    )
    purge_text = "\n".join(
        [
            "-- Journal begins at Mon 2026-01-12 09:14:02 IST. --",
            *purge.render().splitlines(),
            "2026-01-15T00:38:14+0000 db-primary-1 systemd[1]: audit-purge.service: Deactivated successfully.",
            "2026-01-15T00:38:14+0000 db-primary-1 systemd[1]: Finished audit-purge.service - Purge old audit events.",
            "2026-01-15T00:38:14+0000 db-primary-1 systemd[1]: audit-purge.service: Consumed 1.204s CPU time.",
            "",
        ]
    )
    # The journal's own lines are written in UTC like the rest; the last three are systemd's.
    purge_text = purge_text.replace(
        "2026-01-15T00:38:14+0000",
        (START + timedelta(minutes=COMMIT + 0.05)).strftime("%Y-%m-%dT%H:%M:%S+0000"),
    )

    orders = LogFile(
        "order-service/app.log",
        SpringBoot(
            (
                "c.s.orders.api.OrderController",
                "c.s.orders.repo.OrderReadRepository",
                "c.s.orders.checkout.CheckoutService",
            ),
            1,
            rng,
            IST,
        ),
    )
    orders.add(
        traffic(
            rng, web_api("order-service", ["orders", "checkouts", "invoices"]), START, MINUTES, 3900
        )
    )
    orders.add(
        loud(
            rng,
            START,
            COMMIT + 1.5,
            MINUTES - COMMIT - 3,
            620,
            fixed(
                "WARN",
                lambda r: (
                    f"order {r.randrange(7_000_000, 7_400_000)} created by checkout but not found on read (datasource=replica, customer={r.randrange(10**6)}), returning 404"
                ),
            ),
        )
    )
    orders.add(
        [
            at(
                START,
                122.6,
                "WARN",
                "JVM pause detected: 612 ms (G1 Evacuation Pause, young)",
                logger="c.s.orders.monitoring.PauseDetector",
            ),
        ]
    )

    status = "\n".join(
        [
            "mysql> SHOW REPLICA STATUS\\G   -- on db-replica-1, 04:21 IST",
            "*************************** 1. row ***************************",
            "             Replica_IO_State: Waiting for source to send event",
            "                  Source_Host: db-primary-1.shop.internal",
            "              Source_Log_File: binlog.004519",
            "          Read_Source_Log_Pos: 51928810",
            "        Relay_Source_Log_File: binlog.004513",
            "           Replica_IO_Running: Yes",
            "          Replica_SQL_Running: Yes",
            "          Exec_Source_Log_Pos: 1201",
            "        Seconds_Behind_Source: 8466",
            "      Replica_SQL_Running_State: Applying batch of row changes (delete)",
            "         Replica_Parallel_Workers: 0 (single applier)",
            "",
            "mysql> SELECT COUNT(*) FROM performance_schema.replication_applier_status_by_worker WHERE APPLYING_TRANSACTION <> '';",
            "+----------+",
            "| COUNT(*) |",
            "+----------+",
            "|        1 |",
            "+----------+",
            "",
            "$ mysqlbinlog --base64-output=decode-rows -vv binlog.004513 | grep -c '### DELETE FROM `shop`.`audit_events`'",
            "41882113",
            "",
            "$ systemctl list-timers audit-purge.timer   # on db-primary-1",
            "NEXT                        LEFT     LAST                        PASSED  UNIT              ACTIVATES",
            "Fri 2026-01-16 02:00:00 IST 21h left Thu 2026-01-15 02:00:00 IST 2h 21min ago audit-purge.timer audit-purge.service",
            "",
            "$ grep -i 'lock wait' /var/log/xtrabackup/2026-01-15.log   # on db-replica-1",
            "260115 01:41:07 >> log scanned up to (918273645112) ... waiting for FLUSH TABLES WITH READ LOCK (lock wait 9 s)",
            "",
        ]
    )
    return Bundle(
        question="Since around 02:40 IST customers say orders they just placed do not show in 'My orders', and order-service returns 404 for them. Why?",
        category="database",
        component="audit-purge",
        statement="The new audit-purge job deleted 41.9 million audit_events rows in a single DELETE on db-primary-1 at 02:00 IST; the one huge row-based transaction takes db-replica-1's single applier over an hour to replay (Seconds_Behind_Source 8466), so order-service's replica reads are stale and new orders are 'not found'.",
        files={
            "db-primary-1/journal-audit-purge.txt": purge_text,
            "db-primary-1/mysqld-error.log": primary.render(),
            "order-service/app.log": orders.render(),
            "db-replica-1-status.txt": status,
        },
        proofs=[
            Proof("db-primary-1/journal-audit-purge.txt", "deleted 41882113 rows in 1 statement"),
            Proof("db-replica-1-status.txt", "Seconds_Behind_Source: 8466"),
            Proof("db-replica-1-status.txt", "Applying batch of row changes (delete)"),
        ],
        decoys=[
            "Got an error reading communication packets",
            "JVM pause detected: 612 ms",
            "FLUSH TABLES WITH READ LOCK (lock wait 9 s)",
        ],
    )
