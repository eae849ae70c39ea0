# ruff: noqa: E501
# Hand-written log lines and pasted mysql output are data, kept whole on one line.
"""A BI dashboard's report query has been running on the MySQL read replica orders-replica-1
since 05:31 UTC. At 06:02 the morning release's migration adds an index to `orders` on the
primary (done in 41 s); when the replicated ALTER reaches the replica, its applier waits for the
table metadata lock the report holds, and replication stops applying: Seconds_Behind_Source
grows by a second every second. orders-api reads from the replica, so orders placed since 06:03
cannot be read: their queries queue behind the waiting ALTER. Decoys: the migration itself, the primary's
aborted-connection and DNS warnings, and payment-webhook retries."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Record
from scenes import loud
from traffic import Line, traffic

START = datetime(2025, 1, 15, 5, 20, tzinfo=UTC)
NOW = datetime(2025, 1, 15, 6, 52, 40, tzinfo=UTC)
MIGRATION = datetime(2025, 1, 15, 6, 2, 7, tzinfo=UTC)
LAG = int((NOW - MIGRATION).total_seconds()) - 38
REPORT_AGE = int((NOW - datetime(2025, 1, 15, 5, 31, 12, tzinfo=UTC)).total_seconds())


class MySQLError:
    """MySQL 8's error log: `time thread [Level] [MY-code] [Subsystem] message`."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        level = {
            "INFO": "Note",
            "WARN": "Warning",
            "ERROR": "ERROR",
            "DEBUG": "Note",
            "FATAL": "ERROR",
        }[record.level]
        thread, code, text = record.message.split("|", 2)
        return [f"{stamp} {thread} [{level}] [{code}] [Server] {text}"]


def mysql_table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    rule = "+" + "+".join("-" * (width + 2) for width in widths) + "+"

    def line(row: list[str], is_header: bool = False) -> str:
        cells = []
        for index, (cell, width) in enumerate(zip(row, widths, strict=True)):
            text = str(cell)
            cells.append(
                text.rjust(width) if index in right and not is_header else text.ljust(width)
            )
        return "| " + " | ".join(cells) + " |"

    return [rule, line(header, True), rule, *(line(row) for row in rows), rule]


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    order = f"ORD-{rng.randrange(10**7, 10**8)}"
    if roll < 0.3:
        return (
            "info",
            f"POST /v1/orders 201 {rng.randrange(40, 240)}ms order_id={order} db=primary",
            (),
        )
    if roll < 0.55:
        return "info", f"GET /v1/orders/{order} 200 {rng.randrange(2, 30)}ms db=replica", ()
    if roll < 0.7:
        return (
            "info",
            f"GET /v1/carts/{rng.randrange(10**6)} 200 {rng.randrange(2, 30)}ms db=replica",
            (),
        )
    if roll < 0.9:
        return (
            "info",
            f"GET /v1/customers/{rng.randrange(10**6)}/orders 200 {rng.randrange(5, 60)}ms rows={rng.randrange(0, 40)} db=replica",
            (),
        )
    if roll < 0.97:
        return (
            "info",
            f"payment webhook accepted provider=adyen psp_ref={rng.getrandbits(64):016X} order_id={order}",
            (),
        )
    return (
        "warn",
        f"payment webhook duplicate ignored provider=adyen psp_ref={rng.getrandbits(64):016X} attempt={rng.randrange(2, 5)}",
        (),
    )


def orders_after(rng: random.Random) -> Line:
    roll = rng.random()
    order = f"ORD-{rng.randrange(10**7, 10**8)}"
    if roll < 0.3:
        return (
            "info",
            f"POST /v1/orders 201 {rng.randrange(40, 240)}ms order_id={order} db=primary",
            (),
        )
    if roll < 0.7:
        return (
            "info",
            f"GET /v1/carts/{rng.randrange(10**6)} 200 {rng.randrange(2, 30)}ms db=replica",
            (),
        )
    return (
        "info",
        f"GET /v1/addresses?customer={rng.randrange(10**6)} 200 {rng.randrange(2, 30)}ms db=replica",
        (),
    )


def not_found(rng: random.Random) -> Line:
    order = f"ORD-{rng.randrange(10**7, 10**8)}"
    if rng.random() < 0.55:
        return (
            "error",
            f'GET /v1/orders/{order} 504 5001ms db=replica error="Error 3024 (HY000): Query execution was interrupted, maximum statement execution time exceeded"',
            (),
        )
    if rng.random() < 0.5:
        return (
            "error",
            f'payment webhook failed provider=adyen order_id={order} error="context deadline exceeded" status=500 (provider will retry)',
            (),
        )
    return (
        "warn",
        f"db pool replica: {rng.randrange(40, 51)}/50 connections busy, waited {rng.randrange(800, 3000)}ms for a connection",
        (),
    )


def primary_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "WARN",
            f"{rng.randrange(1000, 99999)}|MY-010914|Aborted connection {rng.randrange(1000, 99999)} to db: 'orders' user: 'app' host: '10.20.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}' (Got an error reading communication packets).",
            (),
        )
    return (
        "WARN",
        f"{rng.randrange(1000, 99999)}|MY-010055|IP address '10.20.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}' could not be resolved: Name or service not known",
        (),
    )


def replica_status() -> list[str]:
    fields = [
        ("Replica_IO_State", "Waiting for source to send event"),
        ("Source_Host", "orders-primary.db.internal"),
        ("Source_User", "repl"),
        ("Source_Port", "3306"),
        ("Connect_Retry", "60"),
        ("Source_Log_File", "binlog.004817"),
        ("Read_Source_Log_Pos", "884213077"),
        ("Relay_Log_File", "orders-replica-1-relay-bin.012204"),
        ("Relay_Log_Pos", "41377219"),
        ("Relay_Source_Log_File", "binlog.004816"),
        ("Replica_IO_Running", "Yes"),
        ("Replica_SQL_Running", "Yes"),
        ("Replicate_Do_DB", ""),
        ("Last_Errno", "0"),
        ("Last_Error", ""),
        ("Skip_Counter", "0"),
        ("Exec_Source_Log_Pos", "1071842990"),
        ("Relay_Log_Space", "1312984112"),
        ("Seconds_Behind_Source", str(LAG)),
        ("Source_SSL_Verify_Server_Cert", "No"),
        ("Last_IO_Errno", "0"),
        ("Last_IO_Error", ""),
        ("Last_SQL_Errno", "0"),
        ("Last_SQL_Error", ""),
        ("Source_Server_Id", "101"),
        ("Source_UUID", "6f1b2c9e-3a47-11ef-9d21-0a58c1e4b7f2"),
        ("SQL_Delay", "0"),
        ("SQL_Remaining_Delay", "NULL"),
        ("Replica_SQL_Running_State", "Waiting for dependent transaction to commit"),
        ("Source_Retry_Count", "86400"),
        ("Retrieved_Gtid_Set", "6f1b2c9e-3a47-11ef-9d21-0a58c1e4b7f2:118820417-121904556"),
        ("Executed_Gtid_Set", "6f1b2c9e-3a47-11ef-9d21-0a58c1e4b7f2:1-121871203"),
        ("Auto_Position", "1"),
    ]
    return [
        "*************************** 1. row ***************************",
        *(f"{name:>30}: {value}" for name, value in fields),
        "1 row in set (0.00 sec)",
    ]


def processlist() -> list[str]:
    header = ["Id", "User", "Host", "db", "Command", "Time", "State", "Info"]
    rows = [
        [
            "5",
            "event_scheduler",
            "localhost",
            "NULL",
            "Daemon",
            "8123904",
            "Waiting on empty queue",
            "NULL",
        ],
        [
            "11",
            "system user",
            "connecting host",
            "NULL",
            "Connect",
            "1921177",
            "Waiting for source to send event",
            "NULL",
        ],
        [
            "12",
            "system user",
            "",
            "NULL",
            "Query",
            str(LAG + 36),
            "Waiting for dependent transaction to commit",
            "NULL",
        ],
        [
            "13",
            "system user",
            "",
            "orders",
            "Query",
            str(LAG + 36),
            "Waiting for table metadata lock",
            "ALTER TABLE `orders` ADD INDEX `idx_orders_customer_created` (`customer_id`, `created_at`), ALGORITHM=INPLACE, LOCK=NONE",
        ],
        [
            "14",
            "system user",
            "",
            "NULL",
            "Query",
            str(LAG + 38),
            "Waiting for an event from Coordinator",
            "NULL",
        ],
        [
            "88213",
            "bi_reader",
            "10.20.6.77:51522",
            "orders",
            "Query",
            str(REPORT_AGE),
            "Sending data",
            "SELECT o.customer_id, date_trunc_week(o.created_at) AS wk, sum(oi.qty * oi.unit_price) AS revenue, count(DISTINCT o.id) FROM orders o JOIN order_items oi ON oi.order_id = o.id JOIN customers c ON c.id = o.customer_id WHERE o.created_at >= '2022-01-01' GROUP BY 1, 2",
        ],
        [
            "90417",
            "app_ro",
            "10.20.3.41:40718",
            "orders",
            "Query",
            "4",
            "Waiting for table metadata lock",
            "SELECT id, status, total_cents, updated_at FROM orders WHERE id = 'ORD-58301947'",
        ],
        [
            "90419",
            "app_ro",
            "10.20.3.52:38874",
            "orders",
            "Query",
            "3",
            "Waiting for table metadata lock",
            "SELECT id, status, total_cents, updated_at FROM orders WHERE id = 'ORD-58302210'",
        ],
        [
            "90420",
            "app_ro",
            "10.20.3.41:40722",
            "orders",
            "Query",
            "1",
            "Waiting for table metadata lock",
            "SELECT o.id, o.status, o.created_at FROM orders o WHERE o.customer_id = 771204 ORDER BY o.created_at DESC LIMIT 20",
        ],
        ["90422", "app_ro", "10.20.3.52:38890", "orders", "Sleep", "2", "", "NULL"],
        ["90433", "ops", "10.20.9.14:60112", "NULL", "Query", "0", "init", "SHOW PROCESSLIST"],
    ]
    return mysql_table(header, rows, {0, 5})


def bundle() -> Bundle:
    rng = random.Random(1114)
    broke = (MIGRATION - START).total_seconds() / 60 + 0.8
    total = (NOW - START).total_seconds() / 60
    api = LogFile(
        "logs/orders-api.log",
        JsonLines("orders-api", keys=("time", "level", "message"), rng=rng, lower_level=False),
    )
    api.add(traffic(rng, orders_line, START, broke, 1700))
    api.add(traffic(rng, orders_after, START + timedelta(minutes=broke), total - broke, 1500))
    api.add(loud(rng, START, broke + 1.5, total - broke - 2, 640, not_found))
    primary = LogFile("logs/mysql-orders-primary-error.log", MySQLError())
    primary.add(traffic(rng, primary_line, START, total, 160))
    migrate = "\n".join(
        [
            "$ kubectl logs -n shop job/orders-api-migrate-20250115-0600",
            "2025-01-15T06:01:58Z INFO  migrate: connecting to orders-primary.db.internal:3306/orders as migrator",
            "2025-01-15T06:01:58Z INFO  migrate: current version 0041_refunds_reason, 1 pending",
            "2025-01-15T06:02:07Z INFO  migrate: applying 0042_orders_customer_created_idx",
            "2025-01-15T06:02:07Z INFO  migrate:   ALTER TABLE `orders` ADD INDEX `idx_orders_customer_created` (`customer_id`, `created_at`), ALGORITHM=INPLACE, LOCK=NONE",
            "2025-01-15T06:02:48Z INFO  migrate: applied 0042_orders_customer_created_idx in 41.3s",
            "2025-01-15T06:02:48Z INFO  migrate: schema is up to date (0042_orders_customer_created_idx)",
            "",
        ]
    )
    notes = "\n".join(
        [
            "# orders: order pages and webhooks failing after checkout (on-call notes, 15 Jan)",
            "",
            "Support escalated at 06:40 UTC: customers pay, get the confirmation page, then their order page spins and errors; payment webhooks fail and Adyen retries.",
            "The 06:00 release of orders-api ran one migration (index on orders), job log attached. App pods look healthy, no restarts.",
            "Primary error log shows the usual aborted connections, nothing new.",
            "",
            "Pasted from orders-replica-1 (the read replica orders-api uses for GETs):",
            "",
            "```",
            "mysql> SHOW REPLICA STATUS\\G",
            *replica_status(),
            "",
            "mysql> SHOW PROCESSLIST;",
            *processlist(),
            "11 rows in set, 1 warning (0.00 sec)",
            "```",
            "",
            "Grafana: replica lag panel went from 0 to 'off the chart' around 06:03. Redis hit ratio normal.",
            "",
        ]
    )
    return Bundle(
        question="Since a bit after 06:00 UTC customers cannot open their orders (the page spins, then errors) and payment webhooks fail. What is the root cause?",
        category="database",
        component="orders-replica-1",
        statement="On the read replica orders-replica-1, a BI report query running since 05:31 UTC holds a metadata lock on orders, so the replicated ALTER TABLE from the 06:02 migration waits for it and replication stalls (Seconds_Behind_Source near 3000 s); orders-api's reads of orders on the replica queue behind the waiting ALTER and hit the 5 s statement limit, so order pages and payment webhooks fail.",
        files={
            "notes.md": notes,
            "migrate-job.log": migrate,
            "logs/orders-api.log": api.render(),
            "logs/mysql-orders-primary-error.log": primary.render(),
        },
        proofs=[
            Proof("notes.md", f"Seconds_Behind_Source: {LAG}"),
            Proof("notes.md", "ALTER TABLE `orders` ADD INDEX"),
            Proof("notes.md", "bi_reader"),
        ],
        decoys=[
            "applied 0042_orders_customer_created_idx",
            "Aborted connection",
            "could not be resolved",
            "payment webhook duplicate ignored",
        ],
    )
