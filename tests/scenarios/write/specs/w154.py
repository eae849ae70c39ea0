# ruff: noqa: E501
# Hand-written log lines and shell output are data, kept whole on one line.
"""Aurora PostgreSQL failover and a JVM that never re-resolves: at 03:12:07 UTC Aurora fails
orders-aurora over from instance-1 to instance-2 and points the cluster endpoint's CNAME at the
new writer; instance-1 comes back as a reader. checkout (Go) and fulfillment (Python) reconnect
through DNS and recover within a minute. orders-api runs on the hardened Java base image, whose
java.security sets `networkaddress.cache.ttl=-1`, so its JVM keeps the address it resolved at
start (10.8.19.37, instance-1): its pool reconnects to the reader, reads work and every write fails
with `cannot execute INSERT in a read-only transaction`. Decoys: the failover events themselves,
the reader's own read-only errors in its PostgreSQL log, checkout's and fulfillment's short
connection errors at the failover, and Hikari's `Thread starvation or clock leap` warning."""

import json
import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Logfmt, PythonLogging, Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 5, 14, 2, 50, tzinfo=UTC)
FAILOVER = datetime(2025, 5, 14, 3, 12, 7, tzinfo=UTC)
NOW = datetime(2025, 5, 14, 3, 44, tzinfo=UTC)
CLUSTER = "orders-aurora.cluster-c9x2kq7hpl1m.eu-central-1.rds.amazonaws.com"
OLD_WRITER = "10.8.19.37"
NEW_WRITER = "10.8.21.144"


class RdsPostgres:
    """RDS for PostgreSQL's log_line_prefix `%t:%r:%u@%d:[%p]:`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%d %H:%M:%S UTC")
        level = {"INFO": "LOG", "WARN": "WARNING", "ERROR": "ERROR", "FATAL": "FATAL"}[record.level]
        client = (
            record.logger
            or f"{self.rng.choice(['10.8.33.120', '10.8.34.201', '10.8.35.18'])}({self.rng.randrange(32768, 60999)}):orders_app@orders"
        )
        return [
            f"{stamp}:{client}:[{self.rng.randrange(2000, 32000)}]:{level}:  {record.message}",
            *record.trailer,
        ]


def minutes(time: datetime) -> float:
    return (time - START).total_seconds() / 60


def order_id(rng: random.Random) -> str:
    return f"ORD-{rng.randrange(10**7, 10**8)}"


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f"POST /orders 201 in {rng.randrange(18, 140)} ms order={order_id(rng)} items={rng.randrange(1, 7)}",
            (),
        )
    if roll < 0.75:
        return "INFO", f"GET /orders/{order_id(rng)} 200 in {rng.randrange(3, 40)} ms", ()
    if roll < 0.9:
        return (
            "INFO",
            f"PATCH /orders/{order_id(rng)}/status 200 in {rng.randrange(9, 80)} ms status={rng.choice(['PAID', 'PACKED', 'SHIPPED'])}",
            (),
        )
    return (
        "DEBUG",
        f"HikariPool-1 - Pool stats (total=20, active={rng.randrange(1, 9)}, idle={rng.randrange(11, 19)}, waiting=0)",
        (),
    )


def orders_reads(rng: random.Random) -> Line:
    if rng.random() < 0.8:
        return "INFO", f"GET /orders/{order_id(rng)} 200 in {rng.randrange(3, 40)} ms", ()
    return (
        "DEBUG",
        f"HikariPool-1 - Pool stats (total=20, active={rng.randrange(1, 5)}, idle={rng.randrange(15, 19)}, waiting=0)",
        (),
    )


def write_failure(rng: random.Random) -> Line:
    verb, table, method = rng.choice(
        [
            ("INSERT", "orders", "OrderRepository.insert"),
            ("INSERT", "orders", "OrderRepository.insert"),
            ("UPDATE", "orders", "OrderRepository.updateStatus"),
            ("INSERT", "order_events", "OrderEventRepository.append"),
        ]
    )
    return (
        "ERROR",
        f"Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.dao.TransientDataAccessResourceException: PreparedStatementCallback; SQL [{verb} INTO {table} ...]; ERROR: cannot execute {verb} in a read-only transaction] with root cause",
        tuple(
            java_trace(
                f"org.postgresql.util.PSQLException: ERROR: cannot execute {verb} in a read-only transaction",
                [
                    "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)",
                    "org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2412)",
                    "org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:152)",
                    "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)",
                    f"com.acme.orders.persistence.{method}("
                    + method.split(".")[0]
                    + ".java:"
                    + str(rng.choice([88, 88, 131, 57]))
                    + ")",
                ],
                more=58,
            )
        ),
    )


def checkout_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "INFO",
            f"checkout completed cart={rng.getrandbits(48):012x} order={order_id(rng)} payment=captured",
            (),
        )
    return "INFO", f"reserved stock sku={rng.randrange(10**5, 10**6)} qty={rng.randrange(1, 4)}", ()


def fulfillment_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"picked order {order_id(rng)} wave={rng.randrange(100, 999)} lines={rng.randrange(1, 8)}",
            (),
        )
    return (
        "INFO",
        f"label printed for {order_id(rng)} carrier={rng.choice(['DHL', 'DPD', 'GLS', 'UPS'])}",
        (),
    )


def rds_events() -> str:
    def event(minute_offset: float, message: str, source: str, category: str) -> dict[str, object]:
        when = FAILOVER + timedelta(seconds=minute_offset)
        return {
            "SourceIdentifier": source,
            "SourceType": "db-cluster" if source == "orders-aurora" else "db-instance",
            "Message": message,
            "EventCategories": [category],
            "Date": when.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{(int(minute_offset * 1000) % 1000):03d}000+00:00",
            "SourceArn": f"arn:aws:rds:eu-central-1:560912734418:{'cluster' if source == 'orders-aurora' else 'db'}:{source}",
        }

    events = [
        event(
            -2140,
            "DB instance orders-aurora-instance-2 storage autoscaling check completed",
            "orders-aurora-instance-2",
            "notification",
        ),
        event(
            0,
            "Started cross AZ failover to DB instance: orders-aurora-instance-2",
            "orders-aurora",
            "failover",
        ),
        event(9.4, "DB instance restarted", "orders-aurora-instance-1", "availability"),
        event(
            21.8,
            "Completed failover to DB instance: orders-aurora-instance-2",
            "orders-aurora",
            "failover",
        ),
        event(38.2, "DB instance restarted", "orders-aurora-instance-1", "availability"),
    ]
    return (
        "$ aws rds describe-events --source-type db-cluster --duration 120 (merged with db-instance events)\n"
        + json.dumps({"Events": events}, indent=4)
        + "\n"
    )


def shell() -> str:
    return "\n".join(
        [
            "$ kubectl -n orders get pods -l app=orders-api -o wide",
            "NAME                          READY   STATUS    RESTARTS   AGE   IP            NODE                                            NOMINATED NODE   READINESS GATES",
            "orders-api-5c9b7d8f64-7tq2m   1/1     Running   0          6d    10.8.33.120   ip-10-8-33-12.eu-central-1.compute.internal     <none>           <none>",
            "orders-api-5c9b7d8f64-kx4n8   1/1     Running   0          6d    10.8.34.201   ip-10-8-34-77.eu-central-1.compute.internal     <none>           <none>",
            "orders-api-5c9b7d8f64-w9zr5   1/1     Running   0          6d    10.8.35.18    ip-10-8-35-140.eu-central-1.compute.internal    <none>           <none>",
            "",
            f"$ kubectl -n orders exec orders-api-5c9b7d8f64-7tq2m -- getent hosts {CLUSTER}",
            f"{NEW_WRITER}     orders-aurora-instance-2.c9x2kq7hpl1m.eu-central-1.rds.amazonaws.com {CLUSTER}",
            "",
            "$ kubectl -n orders exec orders-api-5c9b7d8f64-7tq2m -- ss -tn state established '( dport = :5432 )' | head -6",
            "Recv-Q Send-Q     Local Address:Port        Peer Address:Port",
            f"0      0          10.8.33.120:48812        {OLD_WRITER}:5432",
            f"0      0          10.8.33.120:48826        {OLD_WRITER}:5432",
            f"0      0          10.8.33.120:48830        {OLD_WRITER}:5432",
            f"0      0          10.8.33.120:48844        {OLD_WRITER}:5432",
            f"0      0          10.8.33.120:48852        {OLD_WRITER}:5432",
            "",
            "$ kubectl -n orders exec orders-api-5c9b7d8f64-7tq2m -- sh -c 'grep -E \"^(networkaddress|security.provider.1)\" $JAVA_HOME/conf/security/java.security; java -version 2>&1 | head -1'",
            "security.provider.1=SUN",
            "networkaddress.cache.ttl=-1",
            'openjdk version "17.0.11" 2024-04-16',
            "",
            "$ kubectl -n orders get deploy orders-api -o jsonpath='{.spec.template.spec.containers[0].image}{\"\\n\"}'",
            "560912734418.dkr.ecr.eu-central-1.amazonaws.com/orders/orders-api:4.12.3",
            "$ grep ^FROM services/orders-api/Dockerfile",
            "FROM 560912734418.dkr.ecr.eu-central-1.amazonaws.com/corp/java-base:17-hardened-2025.04",
            "",
            "$ psql -h orders-aurora.cluster-c9x2kq7hpl1m.eu-central-1.rds.amazonaws.com -U ops -d orders -c 'select pg_is_in_recovery(), inet_server_addr()'",
            " pg_is_in_recovery | inet_server_addr",
            "-------------------+------------------",
            f" f                 | {NEW_WRITER}",
            "(1 row)",
            "",
        ]
    )


def bundle() -> Bundle:
    rng = random.Random(1154)
    total = minutes(NOW)
    failover = minutes(FAILOVER)
    orders = LogFile(
        "logs/orders-api.log",
        SpringBoot(
            ("c.a.orders.web.RequestLogFilter", "com.zaxxer.hikari.pool.HikariPool"), rng=rng
        ),
    )
    orders.add(
        traffic(rng, orders_line, START, failover, 2600, logger="c.a.orders.web.RequestLogFilter")
    )
    orders.add(
        [
            at(
                START,
                7.3,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m12s310ms).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
            at(
                START,
                failover + 0.05,
                "WARN",
                "SQL Error: 0, SQLState: 57P01",
                logger="o.h.engine.jdbc.spi.SqlExceptionHelper",
            ),
            at(
                START,
                failover + 0.06,
                "ERROR",
                "FATAL: terminating connection due to administrator command",
                logger="o.h.engine.jdbc.spi.SqlExceptionHelper",
            ),
            at(
                START,
                failover + 0.12,
                "WARN",
                "HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@6f1c2a9d (This connection has been closed.). Possibly consider using a shorter maxLifetime value.",
                logger="com.zaxxer.hikari.pool.PoolBase",
            ),
            at(
                START,
                failover + 0.3,
                "WARN",
                "HikariPool-1 - Connection is not available, request timed out after 30000ms (total=0, active=0, idle=0, waiting=4)",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
            at(
                START,
                failover + 0.55,
                "INFO",
                "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@1e7b4c30",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
        ]
    )
    orders.add(
        traffic(
            rng,
            orders_reads,
            START + timedelta(minutes=failover + 0.6),
            total - failover - 0.7,
            1500,
            logger="c.a.orders.web.RequestLogFilter",
        )
    )
    orders.add(
        [
            Record(r.time, r.level, r.message, r.trailer, "o.a.c.c.C.[.[.[/].[dispatcherServlet]")
            for r in loud(rng, START, failover + 0.62, total - failover - 0.8, 640, write_failure)
        ]
    )
    checkout = LogFile("logs/checkout.log", Logfmt("checkout", rng=rng))
    checkout.add(traffic(rng, checkout_line, START, failover, 900))
    checkout.add(
        [
            at(
                START,
                failover + 0.04,
                "ERROR",
                "reserve stock: pq: terminating connection due to administrator command",
            ),
            at(
                START,
                failover + 0.07,
                "ERROR",
                "reserve stock: dial tcp 10.8.19.37:5432: connect: connection refused",
            ),
            at(
                START,
                failover + 0.2,
                "ERROR",
                "reserve stock: read tcp 10.8.34.55:51120->10.8.19.37:5432: read: connection reset by peer",
            ),
            at(START, failover + 0.45, "INFO", f"db pool reconnected host={CLUSTER}"),
        ]
    )
    checkout.add(
        traffic(
            rng,
            checkout_line,
            START + timedelta(minutes=failover + 0.5),
            total - failover - 0.6,
            420,
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            failover + 0.65,
            total - failover - 0.8,
            230,
            lambda r: (
                "ERROR",
                f"create order {order_id(r)}: orders-api POST /orders returned 500 Internal Server Error",
                (),
            ),
        )
    )
    fulfillment = LogFile(
        "logs/fulfillment.log", PythonLogging(("fulfillment.worker", "fulfillment.db"), rng=rng)
    )
    fulfillment.add(traffic(rng, fulfillment_line, START, total, 1100, logger="fulfillment.worker"))
    fulfillment.add(
        [
            at(
                START,
                failover + 0.08,
                "ERROR",
                "psycopg.OperationalError: consuming input failed: server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.",
                logger="fulfillment.db",
            ),
            at(
                START,
                failover + 0.4,
                "WARN",
                "connection pool 'orders' reconnecting (attempt 2)",
                logger="fulfillment.db",
            ),
            at(
                START,
                failover + 0.6,
                "INFO",
                "connection pool 'orders' ready (min_size=2, max_size=10)",
                logger="fulfillment.db",
            ),
        ]
    )
    reader = LogFile("logs/orders-aurora-instance-1.postgresql.log", RdsPostgres(rng))
    reader.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"checkpoint complete: wrote {r.randrange(80, 3000)} buffers ({r.random() * 4:.1f}%); 0 WAL file(s) added, 0 removed, {r.randrange(0, 3)} recycled; write={r.random() * 20:.3f} s, sync={r.random() * 0.05:.3f} s, total={r.random() * 20:.3f} s",
                (),
            ),
            START,
            failover,
            5,
        )
    )
    reader.records = [Record(r.time, r.level, r.message, r.trailer, ":@") for r in reader.records]
    reader.add(
        [
            Record(
                FAILOVER + timedelta(seconds=2),
                "FATAL",
                "terminating connection due to administrator command",
                (),
                ":@",
            ),
            Record(
                FAILOVER + timedelta(seconds=10),
                "INFO",
                "starting PostgreSQL 16.4 on aarch64-unknown-linux-gnu, compiled by aarch64-unknown-linux-gnu-gcc (GCC) 10.5.0, 64-bit",
                (),
                ":@",
            ),
            Record(
                FAILOVER + timedelta(seconds=39),
                "INFO",
                "database system is ready to accept read-only connections",
                (),
                ":@",
            ),
        ]
    )
    reader.add(
        loud(
            rng,
            START,
            failover + 0.62,
            total - failover - 0.8,
            640,
            lambda r: (
                "ERROR",
                f"cannot execute {r.choice(['INSERT', 'INSERT', 'UPDATE'])} in a read-only transaction",
                (),
            ),
        )
    )
    files = {
        "logs/orders-api.log": orders.render(),
        "logs/checkout.log": checkout.render(),
        "logs/fulfillment.log": fulfillment.render(),
        "logs/orders-aurora-instance-1.postgresql.log": reader.render(),
        "rds-events.json": rds_events(),
        "shell.txt": shell(),
    }
    return Bundle(
        question="Since the Aurora failover at 03:12 UTC no new orders can be created (POST /orders returns 500), while checkout's other calls and fulfillment recovered within a minute. What is wrong?",
        category="dns",
        component="orders-api",
        statement="orders-api's JVM caches DNS forever (`networkaddress.cache.ttl=-1` in the hardened base image's java.security), so after the 03:12:07 UTC Aurora failover it keeps connecting to the cluster endpoint's old address 10.8.19.37, now the reader instance-1, and every write fails with `cannot execute INSERT in a read-only transaction`, while other services re-resolved to the new writer.",
        files=files,
        proofs=[
            Proof("shell.txt", "networkaddress.cache.ttl=-1"),
            Proof(
                "shell.txt",
                f"{NEW_WRITER}     orders-aurora-instance-2",
                f"10.8.33.120:48852        {OLD_WRITER}:5432",
            ),
        ],
        decoys=[
            "Completed failover to DB instance",
            "database system is ready to accept read-only connections",
            "pq: terminating connection due to administrator command",
            "Thread starvation or clock leap detected",
        ],
    )
