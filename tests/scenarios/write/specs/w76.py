# ruff: noqa: E501
# Hand-written log lines and pasted psql output are data, kept whole on one line.
"""loyalty-sync 3.4.0 leaves its connection `idle in transaction` whenever a member's points
calculation raises, and never returns it; over five hours it holds 150 of PostgreSQL's 200
connections, so orders-api and accounts-api time out waiting for connections. Only a pasted
pg_stat_activity listing shows who holds them."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Postgres, PythonLogging, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, database_server, traffic, web_api

START = datetime(2025, 6, 30, 9, 0, tzinfo=UTC)
PASTED = START + timedelta(hours=5, minutes=21)
FULL_MINUTE = 292.0
LEAKED = 150
QUERY_WIDTH = 62


def psql_table(header: list[str], rows: list[list[str]], numeric: set[int]) -> list[str]:
    """psql's aligned output: centred headers, numbers right-aligned, text left-aligned."""
    widths = [
        max(len(cell) for cell in [name, *(row[index] for row in rows)])
        for index, name in enumerate(header)
    ]
    lines = [
        " "
        + " | ".join(
            name.center(width) for name, width in zip(header, widths, strict=True)
        ).rstrip()
    ]
    lines.append("-" + "-+-".join("-" * width for width in widths) + "-")
    for row in rows:
        cells = [
            cell.rjust(width) if index in numeric else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append((" " + " | ".join(cells)).rstrip())
    return lines


def stamp(time: datetime) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S.") + f"{time.microsecond:06d}+00"


def activity(rng: random.Random) -> list[tuple[datetime, list[str]]]:
    """(backend_start, row) for every backend in pg_stat_activity at the time of the paste."""
    rows: list[tuple[datetime, list[str]]] = []
    pids = rng.sample(range(1000, 65000), 220)

    def add(
        started: datetime,
        user: str,
        app: str,
        address: str,
        transaction: datetime | None,
        changed: datetime | None,
        state: str,
        query: str,
    ) -> None:
        rows.append(
            (
                started,
                [
                    str(pids[len(rows)]),
                    user,
                    app,
                    address,
                    stamp(started),
                    stamp(transaction) if transaction else "",
                    stamp(changed) if changed else "",
                    state,
                    query[:QUERY_WIDTH],
                ],
            )
        )

    boot = datetime(2025, 6, 27, 3, 12, 44, 120311, tzinfo=UTC)
    add(boot, "", "", "", None, None, "", "")
    add(boot + timedelta(milliseconds=12), "postgres", "", "", None, None, "", "")
    for index in range(30):
        started = datetime(2025, 6, 28, 22, 41, tzinfo=UTC) + timedelta(
            seconds=index * 3 + rng.random()
        )
        busy = rng.random() < 0.2
        changed = PASTED - timedelta(
            seconds=rng.randrange(1, 40), microseconds=rng.randrange(10**6)
        )
        add(
            started,
            "orders_app",
            "orders-api",
            f"10.60.{rng.randrange(1, 4)}.{rng.randrange(2, 250)}",
            changed if busy else None,
            changed,
            "active" if busy else "idle",
            rng.choice(
                [
                    "SELECT o.id, o.status, o.total FROM orders o WHERE o.customer_id = $1 ORDER BY created_at DESC LIMIT 20",
                    "SELECT i.sku, i.quantity FROM order_items i WHERE i.order_id = $1",
                    "COMMIT",
                    "SELECT 1",
                ]
            ),
        )
    for index in range(14):
        started = datetime(2025, 6, 29, 6, 3, tzinfo=UTC) + timedelta(
            seconds=index * 7 + rng.random()
        )
        changed = PASTED - timedelta(
            seconds=rng.randrange(1, 90), microseconds=rng.randrange(10**6)
        )
        add(
            started,
            "accounts_app",
            "accounts-api",
            f"10.60.{rng.randrange(1, 4)}.{rng.randrange(2, 250)}",
            None,
            changed,
            "idle",
            rng.choice(
                [
                    "SELECT accounts.id, accounts.email FROM accounts WHERE accounts.id = %(id_1)s",
                    "ROLLBACK",
                    "SELECT 1",
                ]
            ),
        )
    for index in range(3):
        started = datetime(2025, 6, 30, 2, 0, tzinfo=UTC) + timedelta(
            minutes=index * 20, seconds=rng.random()
        )
        add(
            started,
            "reporting",
            "metabase",
            "10.60.9.14",
            None,
            PASTED - timedelta(minutes=rng.randrange(5, 50)),
            "idle",
            'SELECT count(*) AS "count" FROM "public"."orders" WHERE "public"."orders"."created_at" >= timestamp with time zone \'2025-06-01\'',
        )
    leaked = sorted(START + timedelta(minutes=7 + rng.random() * 280) for _ in range(LEAKED))
    for index, started in enumerate(leaked):
        begun = started + timedelta(milliseconds=rng.randrange(3, 40))
        changed = begun + timedelta(milliseconds=rng.randrange(5, 90))
        add(
            started,
            "loyalty",
            "loyalty-sync",
            f"10.60.{rng.randrange(4, 6)}.{rng.randrange(2, 250)}",
            begun,
            changed,
            "idle in transaction",
            "UPDATE loyalty_accounts SET points = points + $1, updated_at = now() WHERE member_id = $2"
            if index % 5
            else "SELECT points, tier FROM loyalty_accounts WHERE member_id = $1 FOR UPDATE",
        )
    add(
        PASTED - timedelta(seconds=2),
        "postgres",
        "psql",
        "",
        PASTED,
        PASTED,
        "active",
        "SELECT pid, usename, application_name, client_addr, backend_start, xact_start, state_change, state, left(query, 62) AS query FROM pg_stat_activity ORDER BY backend_start",
    )
    return rows


def notes(rng: random.Random) -> tuple[str, str, str]:
    """The pasted psql session, and the first and last row of the leaked backends."""
    backends = activity(rng)
    backends.sort(key=lambda item: item[0])
    header = [
        "pid",
        "usename",
        "application_name",
        "client_addr",
        "backend_start",
        "xact_start",
        "state_change",
        "state",
        "query",
    ]
    table = psql_table(header, [row for _, row in backends], {0})
    leaked = [row[0] for _, row in backends if row[2] == "loyalty-sync"]
    first, last = (f" {pid.rjust(5)} | loyalty " for pid in (leaked[0], leaked[-1]))
    text = "\n".join(
        [
            "Notes from the #db-oncall thread, 30 June (times UTC)",
            "",
            "14:21 prod-pg-01, as postgres:",
            "",
            "prod=# SHOW max_connections;",
            " max_connections",
            "-----------------",
            " 200",
            "(1 row)",
            "",
            "prod=# SELECT pid, usename, application_name, client_addr, backend_start, xact_start, state_change, state, left(query, 62) AS query FROM pg_stat_activity ORDER BY backend_start;",
            *table,
            f"({len(backends)} rows)",
            "",
            "14:24 orders-api pods restarted twice already, did not help. Checked replication: lag 0. CPU on prod-pg-01 is 11%.",
        ]
    )
    return text + "\n", first, last


def loyalty_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f"batch {rng.randrange(8000, 9999)}: applied points to {rng.randrange(200, 500)} members in {rng.randrange(300, 2500)} ms",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"fetched {rng.randrange(200, 500)} order events from orders.completed (offset {rng.randrange(10**7)})",
            (),
        )
    return "DEBUG", f"tier recalculation queued for {rng.randrange(1, 40)} members", ()


def bundle() -> Bundle:
    rng = random.Random(176)
    pasted, first, last = notes(rng)
    database = LogFile("postgresql-Mon.log", Postgres(rng))
    database.add(traffic(rng, database_server(), START, 330, 3300))
    database.add(
        loud(
            rng,
            START,
            FULL_MINUTE,
            38,
            402,
            fixed("FATAL", lambda r: "sorry, too many clients already"),
        )
    )
    database.add(
        loud(
            rng,
            START,
            FULL_MINUTE - 4,
            40,
            88,
            fixed(
                "FATAL",
                lambda r: (
                    "remaining connection slots are reserved for non-replication superuser connections"
                ),
            ),
        )
    )
    database.add(
        loud(
            rng,
            START,
            190,
            130,
            61,
            fixed(
                "INFO",
                lambda r: (
                    f"process {r.randrange(1000, 65000)} still waiting for ShareLock on transaction {r.randrange(91800000, 91900000)} after 1000.{r.randrange(100, 999)} ms"
                ),
            ),
        )
    )
    orders = LogFile(
        "orders-api.log",
        SpringBoot(("c.s.orders.api.OrderController", "c.s.orders.repo.OrderRepository"), rng=rng),
    )
    orders.add(
        traffic(rng, web_api("orders-api", ["orders", "returns", "invoices"]), START, 330, 3600)
    )
    orders.add(
        loud(
            rng,
            START,
            FULL_MINUTE + 0.5,
            37,
            512,
            fixed(
                "ERROR",
                lambda r: (
                    f"HikariPool-1 - Connection is not available, request timed out after 30000ms (total={r.randrange(18, 28)}, active={r.randrange(18, 28)}, idle=0, waiting={r.randrange(20, 90)})"
                ),
                lambda r: [
                    "org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection",
                    "\tat org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)",
                    "Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms",
                    "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)",
                    "Caused by: org.postgresql.util.PSQLException: FATAL: sorry, too many clients already",
                ],
            ),
        )
    )
    accounts = LogFile(
        "accounts-api.log",
        PythonLogging(
            ("accounts.api", "sqlalchemy.pool.impl.QueuePool", "uvicorn.access"), rng=rng
        ),
    )
    accounts.add(
        traffic(
            rng, web_api("accounts-api", ["accounts", "sessions", "addresses"]), START, 330, 2400
        )
    )
    accounts.add(
        loud(
            rng,
            START,
            FULL_MINUTE + 1,
            36,
            230,
            fixed(
                "ERROR",
                lambda r: (
                    "QueuePool limit of size 10 overflow 5 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)"
                ),
            ),
        )
    )
    loyalty = LogFile(
        "loyalty-sync.log", PythonLogging(("loyalty.sync", "loyalty.points"), rng=rng)
    )
    loyalty.add(traffic(rng, loyalty_line, START, 330, 1900))
    loyalty.add([at(START, 5.2, "INFO", "loyalty-sync 3.4.0 starting, 4 workers, batch size 500")])
    loyalty.add(
        loud(
            rng,
            START,
            7,
            285,
            LEAKED,
            fixed(
                "WARN",
                lambda r: (
                    f"points calculation skipped for member {r.randrange(10**6, 10**7)}: campaign multiplier missing for tier 'platinum-legacy'"
                ),
                None,
            ),
        )
    )
    return Bundle(
        question="orders-api and accounts-api can't get database connections since ~13:50 UTC; Postgres CPU and replication look fine. Who is eating the connections?",
        category="connection_pool",
        component="loyalty-sync",
        statement="loyalty-sync 3.4.0 leaks PostgreSQL connections: 150 of its sessions sit idle in transaction (one more each time a member's points calculation is skipped), filling the 200 max_connections so orders-api and accounts-api cannot get connections.",
        files={
            "notes.txt": pasted,
            "postgresql-Mon.log": database.render(),
            "orders-api.log": orders.render(),
            "accounts-api.log": accounts.render(),
            "loyalty-sync.log": loyalty.render(),
        },
        proofs=[Proof("notes.txt", first, last)],
        decoys=[
            "still waiting for ShareLock",
            "remaining connection slots are reserved",
            "QueuePool limit of size 10 overflow 5 reached",
        ],
    )
