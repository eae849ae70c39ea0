# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""ts-order-service 1.3.0 filters orders on DATE_FORMAT(travel_date), which no index serves;
each sold-ticket lookup scans millions of rows, the Hikari pool waits and callers time out."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, service_metrics, shift
from records import NginxAccess, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, http_access, traffic

START = datetime(2025, 9, 2, 8, 0, tzinfo=UTC)
STEP = 30
RELEASE_MINUTE = 11
TRAINS = ["G1234", "G1235", "G1236", "G1237", "D1345", "Z1234", "Z1235", "T1235", "K1235"]
SLOW_LOG_HEAD = """/usr/sbin/mysqld, Version: 8.0.35 (MySQL Community Server - GPL). started with:
Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock
Time                 Id Command    Argument
"""


def slow_entry(
    time: datetime,
    connection: int,
    host: str,
    query_time: float,
    rows_sent: int,
    rows_examined: int,
    statement: str,
) -> str:
    return (
        f"# Time: {time.strftime('%Y-%m-%dT%H:%M:%S')}.{time.microsecond:06d}Z\n"
        f"# User@Host: ts[ts] @  [{host}]  Id: {connection:>6}\n"
        f"# Query_time: {query_time:.6f}  Lock_time: 0.{rng_digits(connection)}  Rows_sent: {rows_sent}  Rows_examined: {rows_examined}\n"
        f"SET timestamp={int(time.timestamp())};\n"
        f"{statement}\n"
    )


def rng_digits(seed: int) -> str:
    return f"{(seed * 7919) % 90 + 10:06d}"


def bad_query(train: str, day: int) -> str:
    return f"select order0_.id as id1_0_, order0_.account_id as account_2_0_, order0_.bought_date as bought_d3_0_, order0_.coach_number as coach_nu4_0_, order0_.seat_number as seat_num9_0_, order0_.status as status10_0_ from orders order0_ where DATE_FORMAT(order0_.travel_date, '%Y-%m-%d')='2025-09-{day:02d}' and order0_.train_number='{train}';"


def slow_log(rng: random.Random) -> str:
    entries: list[tuple[datetime, str]] = []
    for _ in range(46):
        time = START + timedelta(seconds=rng.random() * 3600)
        statement = rng.choice(
            [
                "SELECT COUNT(*) FROM orders WHERE status = 6 AND bought_date < NOW() - INTERVAL 30 DAY;",
                f"DELETE FROM orders_history WHERE bought_date < '2025-0{rng.randrange(3, 6)}-01' LIMIT 5000;",
                "SELECT account_id, COUNT(*) AS n FROM orders GROUP BY account_id ORDER BY n DESC LIMIT 50;",
            ]
        )
        entries.append(
            (
                time,
                slow_entry(
                    time,
                    rng.randrange(2000, 4000),
                    "10.244.3.41",
                    1 + rng.random() * 1.4,
                    rng.randrange(1, 50),
                    rng.randrange(200000, 900000),
                    statement,
                ),
            )
        )
    first = START + timedelta(minutes=RELEASE_MINUTE, seconds=41, microseconds=412310)
    entries.append(
        (first, slow_entry(first, 4821, "10.244.1.17", 4.918223, 3, 2841107, bad_query("G1234", 3)))
    )
    for _ in range(520):
        time = first + timedelta(seconds=1 + rng.random() * (3600 - RELEASE_MINUTE * 60 - 45))
        entries.append(
            (
                time,
                slow_entry(
                    time,
                    rng.randrange(4800, 5200),
                    f"10.244.1.{rng.choice([17, 17, 23])}",
                    4.2 + rng.random() * 9,
                    rng.randrange(0, 40),
                    2841107 + rng.randrange(0, 9000),
                    bad_query(rng.choice(TRAINS), rng.randrange(3, 30)),
                ),
            )
        )
    entries.sort(key=lambda entry: entry[0])
    return SLOW_LOG_HEAD + "".join(entry for _, entry in entries)


def order_line(rng: random.Random) -> Line:
    roll = rng.random()
    order = f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-b{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"
    if roll < 0.35:
        return (
            "INFO",
            f"[getSoldTickets][Get sold tickets][Travel Date: 2025-09-{rng.randrange(3, 30):02d}][TrainNumber: {rng.choice(TRAINS)}]",
            (),
        )
    if roll < 0.6:
        return "INFO", f"[create][Create Order][Order Id: {order}]", ()
    if roll < 0.8:
        return "INFO", f"[queryOrdersForRefresh][Query Orders for refresh][AccountId: {order}]", ()
    if roll < 0.95:
        return (
            "INFO",
            f"[modifyOrder][Modify Order][OrderId: {order}][Status: {rng.randrange(0, 7)}]",
            (),
        )
    return "WARN", f"[getOrderById][Order not found][OrderId: {order}]", ()


def travel_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[queryInfo][Query TripResponse][Start: {rng.choice(['Shang Hai', 'Nan Jing', 'Su Zhou'])}][End: {rng.choice(['Bei Jing', 'Tai Yuan', 'Wu Xi'])}][Departure time: 2025-09-{rng.randrange(3, 30):02d}]",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(144)
    order = LogFile(
        "ts-order-service.log",
        SpringBoot(
            (
                "order.service.OrderServiceImpl",
                "order.controller.OrderController",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            pid=1,
            rng=rng,
        ),
    )
    order.add(traffic(rng, order_line, START, 60, 2350))
    order.add(
        [
            at(
                START,
                RELEASE_MINUTE - 0.6,
                "INFO",
                "Starting OrderApplication v1.3.0 using Java 17.0.9 with PID 1 (/app/ts-order-service-1.3.0.jar started by root in /app)",
                logger="order.OrderApplication",
            ),
            at(
                START,
                RELEASE_MINUTE - 0.3,
                "INFO",
                "HikariPool-1 - Start completed.",
                logger="com.zaxxer.hikari.HikariDataSource",
            ),
            at(
                START,
                RELEASE_MINUTE - 0.2,
                "INFO",
                "Started OrderApplication in 14.903 seconds (process running for 16.1)",
                logger="order.OrderApplication",
            ),
        ]
    )
    order.add(
        loud(
            rng,
            START,
            RELEASE_MINUTE + 6,
            42,
            402,
            fixed(
                "WARN",
                lambda r: (
                    f"SQL Error: 0, SQLState: null; HikariPool-1 - Connection is not available, request timed out after 30000ms (total={10}, active=10, idle=0, waiting={r.randrange(20, 140)})"
                ),
            ),
        )
    )
    order.add(
        loud(
            rng,
            START,
            RELEASE_MINUTE + 6.2,
            42,
            233,
            fixed(
                "ERROR",
                lambda r: (
                    "Servlet.service() for servlet [dispatcherServlet] threw exception [Request processing failed: org.springframework.orm.jpa.JpaSystemException: Unable to acquire JDBC Connection] with root cause java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms"
                ),
            ),
        )
    )
    travel = LogFile(
        "ts-travel-service.log",
        SpringBoot(
            ("travel.service.TravelServiceImpl", "travel.controller.TravelController"),
            pid=1,
            rng=rng,
        ),
    )
    travel.add(traffic(rng, travel_line, START, 60, 1400))
    travel.add(
        loud(
            rng,
            START,
            RELEASE_MINUTE + 1,
            48,
            377,
            fixed(
                "ERROR",
                lambda r: (
                    f'[getRestTicketNumber][Get sold tickets failed][TrainNumber: {r.choice(TRAINS)}][org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-order-service:12031/api/v1/orderservice/order/tickets": Read timed out]'
                ),
            ),
        )
    )
    ui = LogFile("ts-ui-dashboard-access.log", NginxAccess(rng))
    ui.add(
        traffic(
            rng,
            http_access(
                [
                    "/api/v1/travelservice/trips/left",
                    "/api/v1/orderservice/order/refresh",
                    "/api/v1/contactservice/contacts/account/{id}",
                    "/index.html",
                ],
                upstream_ms=70,
            ),
            START,
            60,
            2600,
        )
    )
    ui.add(
        loud(
            rng,
            START,
            RELEASE_MINUTE + 1.2,
            48,
            341,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /api/v1/travelservice/trips/left HTTP/1.1" 504 {r.randrange(160, 170)} "-" "python-requests/2.31" 60.00{r.randrange(1, 9)}'
                ),
            ),
        )
    )
    points = 3600 // STEP
    release = RELEASE_MINUTE * 60 // STEP
    order_series = service_metrics(rng, 19, 720, (14, 70), 0.1, 52)
    order_series["latency_p50_ms"] = shift(rng, 14, 9200, release + 1, 0.1, ramp=6)
    order_series["latency_p99_ms"] = shift(rng, 70, 30000, release + 1, 0.02, ramp=6)
    order_series["error_rate_percent"] = shift(rng, 0.1, 36, release + 12, 0.1, ramp=4)
    mysql_series = service_metrics(rng, 12, 1450, (0.6, 4), 0.0, 610)
    mysql_series["cpu_usage_percent"] = shift(rng, 12, 97, release + 1, 0.03, ramp=3)
    mysql_series["innodb_rows_read_per_s"] = shift(rng, 5200, 1900000, release + 1, 0.05, ramp=3)
    mysql_series["latency_p99_ms"] = shift(rng, 4, 12800, release + 1, 0.1, ramp=3)
    mysql_series["requests_per_s"] = shift(rng, 610, 190, release + 2, 0.08, ramp=3)
    travel_series = service_metrics(rng, 22, 600, (60, 240), 0.3, 21)
    travel_series["latency_p99_ms"] = shift(rng, 240, 5100, release + 2, 0.03, ramp=2)
    travel_series["error_rate_percent"] = shift(rng, 0.3, 58, release + 2, 0.1, ramp=3)
    seat_series = service_metrics(rng, 10, 410, (9, 40), 0.0, 35)
    seat_series["latency_p99_ms"] = shift(rng, 40, 1900, release + 2, 0.15, ramp=3)
    return Bundle(
        question="Trip search (POST /api/v1/travelservice/trips/left) returns 504 since around 08:12 UTC. Which service is the root cause and why?",
        category="database",
        component="ts-order-service",
        statement="ts-order-service 1.3.0 (08:10) queries orders with DATE_FORMAT(travel_date, ...) = ?, which cannot use an index, so each sold-ticket lookup scans about 2.8 million rows for about 5-13 s in MySQL, exhausting its Hikari pool and timing out its callers.",
        files={
            "ts-order-service.log": order.render(),
            "ts-order-mysql-slow.log": slow_log(rng),
            "ts-travel-service.log": travel.render(),
            "ts-ui-dashboard-access.log": ui.render(),
            "metrics/ts-order-service.csv": csv_text(START, STEP, points, order_series, decimals=1),
            "metrics/ts-order-mysql.csv": csv_text(START, STEP, points, mysql_series, decimals=1),
            "metrics/ts-travel-service.csv": csv_text(
                START, STEP, points, travel_series, decimals=1
            ),
            "metrics/ts-seat-service.csv": csv_text(START, STEP, points, seat_series, decimals=1),
        },
        proofs=[
            Proof(
                "ts-order-mysql-slow.log",
                "# Time: 2025-09-02T08:11:41.412310Z",
                "train_number='G1234';",
            ),
            Proof("ts-order-service.log", "Starting OrderApplication v1.3.0"),
        ],
        decoys=[
            "Connection is not available, request timed out after 30000ms",
            "Get sold tickets failed",
            'HTTP/1.1" 504',
        ],
    )
