# ruff: noqa: E501
# Hand-written log lines and pasted command output are data, kept whole on one line.
"""MySQL 8: mysql-replica-02 was rebuilt on Monday and left with `read_only=OFF`; a nightly
cleanup job pointed at the read endpoint inserted a row into order_status_history directly on
it. At 05:47 UTC the same primary key arrives through replication, the applier stops with error
1062 (duplicate entry), and from then on the replica serves data frozen at 05:47 while
Seconds_Behind_Source reads NULL. order-tracking reads from it, so customers see stale order
states all morning; writes on mysql-primary are fine. Decoys: InnoDB page-cleaner warning on
the primary, a ProxySQL-style health-check timeout to mysql-replica-01, and order-tracking's
carrier API 429."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2025, 8, 14, 5, 10, tzinfo=UTC)
NOW = datetime(2025, 8, 14, 9, 40, tzinfo=UTC)
STOP = 37.3  # 05:47:18
DUP = "[ERROR] [MY-010584] [Repl] Replica SQL for channel '': Worker 1 failed executing transaction 'ANONYMOUS' at source log mysql-bin.004417, end_log_pos 83210455; Could not execute Write_rows event on table shop.order_status_history; Duplicate entry '88213004' for key 'order_status_history.PRIMARY', Error_code: 1062; handler error HA_ERR_FOUND_DUPP_KEY; the event's source log mysql-bin.004417, end_log_pos 83210455, Error_code: MY-001062"


@dataclass
class MysqlError:
    """MySQL 8's error log: `2025-08-14T05:10:00.123456Z 14 [Note] [MY-010000] [Server] message`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        thread = record.logger or str(self.rng.randrange(8, 900))
        return [f"{stamp} {thread} {record.message}"]


def replica_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"[Note] [MY-010914] [Server] Aborted connection {rng.randrange(1000, 90000)} to db: 'shop' user: 'tracking_ro' host: '10.30.{rng.randrange(1, 4)}.{rng.randrange(10, 250)}' (Got timeout reading communication packets).",
            (),
        )
    return (
        "INFO",
        f"[Note] [MY-010556] [Repl] Multi-threaded replica statistics for channel '': seconds elapsed = 120; events assigned = {rng.randrange(100000, 900000)}; worker queues filled over overrun level = 0; waited due a Worker queue full = 0; waited due the total size = 0; waited at clock conflicts = {rng.randrange(10**6, 10**8)} waited (count) when Workers occupied = {rng.randrange(0, 400)} waited when Workers occupied = {rng.randrange(0, 10**7)}",
        (),
    )


def primary_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[Note] [MY-010914] [Server] Aborted connection {rng.randrange(1000, 90000)} to db: 'shop' user: 'orders_rw' host: '10.30.{rng.randrange(1, 4)}.{rng.randrange(10, 250)}' (Got an error reading communication packets).",
        (),
    )


def tracking_line(rng: random.Random) -> Line:
    order = rng.randrange(88_100_000, 88_240_000)
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"GET /track/{order} 200 {rng.randrange(5, 60)}ms state={rng.choice(['PAID', 'PACKED', 'SHIPPED', 'IN_TRANSIT', 'DELIVERED'])}",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"carrier webhook order={order} event={rng.choice(['picked_up', 'in_transit', 'out_for_delivery', 'delivered'])} accepted, forwarded to orders-writer",
            (),
        )
    return (
        "DEBUG",
        f"read pool tracking_ro@mysql-read.shop.internal:3306 active={rng.randrange(1, 12)}/40",
        (),
    )


def tracking_stale(rng: random.Random) -> Line:
    order = rng.randrange(88_213_010, 88_240_000)
    return (
        "WARN",
        f"order {order}: carrier reports '{rng.choice(['delivered', 'out_for_delivery', 'in_transit'])}' but state read is '{rng.choice(['PAID', 'PACKED'])}' (last change {rng.randrange(1, 4)}h ago); customer ticket auto-created",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(60017)
    total = (NOW - START).total_seconds() / 60
    replica = LogFile("mysql-replica-02-error.log", MysqlError(rng=rng))
    replica.add(traffic(rng, replica_line, START, total, 900))
    replica.add(
        [
            at(START, STOP, "ERROR", DUP, logger="41"),
            at(
                START,
                STOP + 0.01,
                "ERROR",
                "[ERROR] [MY-010586] [Repl] Error running query, replica SQL thread aborted. Fix the problem, and restart the replica SQL thread with \"START REPLICA\". We stopped at log 'mysql-bin.004417' position 83209871",
                logger="38",
            ),
        ]
    )
    replica_01 = LogFile("mysql-replica-01-error.log", MysqlError(rng=rng))
    replica_01.add(traffic(rng, replica_line, START, total, 700))
    primary = LogFile("mysql-primary-error.log", MysqlError(rng=rng))
    primary.add(traffic(rng, primary_line, START, total, 500))
    primary.add(
        [
            at(
                START,
                94.0,
                "WARN",
                "[Note] [MY-011953] [InnoDB] Page cleaner took 4213ms to flush 2000 and evict 0 pages",
                logger="0",
            )
        ]
    )
    tracking = LogFile(
        "logs/order-tracking.log",
        PythonLogging(("tracking.api", "tracking.webhooks", "tracking.db"), rng=rng),
    )
    tracking.add(traffic(rng, tracking_line, START, total, 4200))
    tracking.add(
        [
            at(
                START,
                61.5,
                "WARN",
                "health check mysql-replica-01:3306 timed out after 1000ms (1 of 3), keeping in read pool",
                logger="tracking.db",
            ),
            at(
                START,
                122.0,
                "WARN",
                "carrier API returned 429 Too Many Requests, backing off 30s (quota 600/min)",
                logger="tracking.webhooks",
            ),
        ]
    )
    tracking.add(loud(rng, START, STOP + 40, total - STOP - 41, 480, tracking_stale))
    cli = (
        "\n".join(
            [
                "mysql> SHOW REPLICA STATUS\\G  -- on mysql-replica-02, 09:31 UTC",
                "*************************** 1. row ***************************",
                "             Replica_IO_State: Waiting for source to send event",
                "                  Source_Host: mysql-primary.shop.internal",
                "                  Source_User: repl",
                "              Source_Log_File: mysql-bin.004431",
                "          Read_Source_Log_Pos: 19442107",
                "        Relay_Source_Log_File: mysql-bin.004417",
                "           Replica_IO_Running: Yes",
                "          Replica_SQL_Running: No",
                "                   Last_Errno: 1062",
                "                   Last_Error: Coordinator stopped because there were error(s) in the worker(s). The most recent failure being: Worker 1 failed executing transaction 'ANONYMOUS' at source log mysql-bin.004417, end_log_pos 83210455. See error log and/or performance_schema.replication_applier_status_by_worker table for more details about this failure or others, if any.",
                "          Exec_Source_Log_Pos: 83209871",
                "        Seconds_Behind_Source: NULL",
                "               Last_SQL_Errno: 1062",
                "     Last_SQL_Error_Timestamp: 250814 05:47:18",
                "1 row in set (0.00 sec)",
                "",
                "mysql> SELECT @@hostname, @@read_only, @@super_read_only;",
                "+------------------+-------------+-------------------+",
                "| @@hostname       | @@read_only | @@super_read_only |",
                "+------------------+-------------+-------------------+",
                "| mysql-replica-02 |           0 |                 0 |",
                "+------------------+-------------+-------------------+",
                "1 row in set (0.00 sec)",
                "",
                "mysql> SELECT id, order_id, state, changed_by, changed_at FROM shop.order_status_history WHERE id = 88213004;",
                "+----------+----------+----------+-------------------+---------------------+",
                "| id       | order_id | state    | changed_by        | changed_at          |",
                "+----------+----------+----------+-------------------+---------------------+",
                "| 88213004 | 88211977 | ARCHIVED | cleanup-nightly   | 2025-08-14 03:12:40 |",
                "+----------+----------+----------+-------------------+---------------------+",
                "1 row in set (0.00 sec)",
                "",
                "$ dig +short mysql-read.shop.internal",
                "10.30.2.41",
                "10.30.3.18",
                "",
            ]
        )
        + "\n"
    )
    return Bundle(
        question="Since early this morning customers complain the tracking page shows old order states (orders delivered hours ago still show PACKED). Writes look fine. What is the root cause?",
        category="database",
        component="mysql-replica-02",
        statement="mysql-replica-02 was left writable (read_only=0) and a cleanup job wrote row 88213004 of order_status_history on it; when the same row came through replication at 05:47:18 UTC the applier stopped on code 1062 (duplicate entry), so it stopped applying changes (SQL thread not running, Seconds_Behind_Source NULL) and order-tracking has read frozen data from it since.",
        files={
            "mysql-replica-02-error.log": replica.render(),
            "mysql-replica-01-error.log": replica_01.render(),
            "mysql-primary-error.log": primary.render(),
            "logs/order-tracking.log": tracking.render(),
            "mysql-replica-02-cli.txt": cli,
        },
        proofs=[
            Proof("mysql-replica-02-error.log", "Duplicate entry '88213004'"),
            Proof("mysql-replica-02-cli.txt", "Replica_SQL_Running: No"),
            Proof("mysql-replica-02-cli.txt", "| mysql-replica-02 |           0 |"),
        ],
        decoys=[
            "Page cleaner took 4213ms",
            "health check mysql-replica-01:3306 timed out",
            "carrier API returned 429",
        ],
    )
