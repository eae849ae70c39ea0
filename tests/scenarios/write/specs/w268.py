# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 style: one CSV per service with `diskio`, logs in UTC): a disk I/O
hog (stress-ng --hdd) in orders-db's container from 10:26:40 UTC. orders-db's `diskio` jumps;
MongoDB logs a few `Slow query` lines whose time is spent reading from storage
(`timeReadingMicros`), then little else. orders throws `MongoSocketReadTimeoutException` on
inserts and finds (the loudest errors), and front-end answers 500 to POST /orders. Decoys:
orders' Mongo timeouts, a payment decline logged by payment, and carts' slow `GET /carts`
warning before the fault."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import KubectlTimestamps, Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 2, 3, 10, 4, tzinfo=UTC)
MINUTES = 40
STEP = 5
FAULT = (22 * 60 + 40) // STEP


@dataclass
class MongoLog:
    """MongoDB 4.4+ structured log; the record's message is the JSON after `t`."""

    def render(self, record: Record) -> list[str]:
        t = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+00:00"
        )
        return ['{"t":{"$date":"' + t + '"},' + record.message[1:]]


def mongo_line(rng: random.Random) -> Line:
    roll = rng.random()
    conn = rng.randrange(20, 400)
    ip = f"10.36.{rng.randrange(0, 4)}.{rng.randrange(2, 250)}"
    if roll < 0.4:
        return (
            "INFO",
            json.dumps(
                {
                    "s": "I",
                    "c": "NETWORK",
                    "id": 22943,
                    "ctx": "listener",
                    "msg": "Connection accepted",
                    "attr": {
                        "remote": f"{ip}:{rng.randrange(30000, 60000)}",
                        "connectionId": conn,
                        "connectionCount": rng.randrange(9, 24),
                    },
                },
                separators=(",", ":"),
            ),
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            json.dumps(
                {
                    "s": "I",
                    "c": "NETWORK",
                    "id": 22944,
                    "ctx": f"conn{conn}",
                    "msg": "Connection ended",
                    "attr": {
                        "remote": f"{ip}:{rng.randrange(30000, 60000)}",
                        "connectionId": conn,
                        "connectionCount": rng.randrange(8, 23),
                    },
                },
                separators=(",", ":"),
            ),
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            json.dumps(
                {
                    "s": "I",
                    "c": "NETWORK",
                    "id": 51800,
                    "ctx": f"conn{conn}",
                    "msg": "client metadata",
                    "attr": {
                        "remote": f"{ip}:{rng.randrange(30000, 60000)}",
                        "client": f"conn{conn}",
                        "doc": {
                            "driver": {"name": "mongo-java-driver|legacy", "version": "3.12.11"},
                            "os": {"type": "Linux", "architecture": "amd64"},
                        },
                    },
                },
                separators=(",", ":"),
            ),
            (),
        )
    return (
        "INFO",
        json.dumps(
            {
                "s": "I",
                "c": "STORAGE",
                "id": 22430,
                "ctx": "Checkpointer",
                "msg": "WiredTiger message",
                "attr": {
                    "message": f"[{rng.randrange(1770110000, 1770113000)}:{rng.randrange(999999)}][1:0x7f4b2c1e9700], WT_SESSION.checkpoint: [WT_VERB_CHECKPOINT_PROGRESS] saving checkpoint snapshot min: {rng.randrange(400, 900)}, snapshot max: {rng.randrange(400, 900)} snapshot count: 0, oldest timestamp: (0, 0) , meta checkpoint timestamp: (0, 0)"
                },
            },
            separators=(",", ":"),
        ),
        (),
    )


def slow(conn: int, op: str, millis: int, reading: int) -> str:
    body = {
        "s": "I",
        "c": "COMMAND",
        "id": 51803,
        "ctx": f"conn{conn}",
        "msg": "Slow query",
        "attr": {
            "type": "command",
            "ns": "data.customerOrder",
            "command": {op: "customerOrder", "$db": "data"},
            "numYields": 0,
            "reslen": 45,
            "locks": {"Global": {"acquireCount": {"w": 1}}},
            "storage": {"data": {"bytesRead": 32768 + conn * 7, "timeReadingMicros": reading}},
            "protocol": "op_msg",
            "durationMillis": millis,
        },
    }
    return json.dumps(body, separators=(",", ":"))


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"Order created: id={rng.getrandbits(96):024x}, customer={rng.getrandbits(96):024x}, total={rng.randrange(5, 120)}.{rng.randrange(100):02d}",
            (),
        )
    if roll < 0.85:
        return "DEBUG", f"Searching orders for customerId={rng.getrandbits(96):024x}", ()
    return "INFO", f"Shipping request sent for order {rng.getrandbits(96):024x}", ()


def orders_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.data.mongodb.UncategorizedMongoDbException: Timeout while receiving message; nested exception is com.mongodb.MongoSocketReadTimeoutException: Timeout while receiving message] with root cause",
        tuple(
            java_trace(
                "java.net.SocketTimeoutException: Read timed out",
                [
                    "java.net.SocketInputStream.socketRead0(Native Method)",
                    "com.mongodb.internal.connection.SocketStream.read(SocketStream.java:109)",
                    "com.mongodb.internal.connection.InternalStreamConnection.receiveResponseBuffers(InternalStreamConnection.java:579)",
                    f"works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:{rng.choice([112, 131])})",
                ],
                more=88,
            )
        ),
    )


def front_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"GET /catalogue?size={rng.choice([3, 5, 6])}&page=1&tags= 200 {rng.randrange(4, 40)}ms",
            (),
        )
    if roll < 0.8:
        return "INFO", f"GET /cart 200 {rng.randrange(5, 50)}ms", ()
    if roll < 0.92:
        return "INFO", f"POST /orders 201 {rng.randrange(180, 520)}ms", ()
    return "INFO", f"GET /orders 200 {rng.randrange(20, 90)}ms", ()


def front_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"POST /orders 500 {rng.randrange(10000, 10090)}ms - Error: ESOCKETTIMEDOUT from http://orders/orders",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(26802)
    mongo = LogFile("logs/orders-db.log", MongoLog())
    mongo.add(traffic(rng, mongo_line, START, MINUTES, 420))
    mongo.add(
        [
            at(START, 22.8, "INFO", slow(188, "insert", 1432, 1398211)),
            at(START, 23.4, "INFO", slow(204, "find", 2960, 2911578)),
            at(START, 24.9, "INFO", slow(211, "insert", 4871, 4826004)),
        ]
    )
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            (
                "works.weave.socks.orders.controllers.OrdersController",
                "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, MINUTES, 1700))
    orders.add(loud(rng, START, 23.0, MINUTES - 23.1, 210, orders_timeout))
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(("works.weave.socks.cart.controllers.CartsController",), rng=rng),
    )
    carts.add(
        traffic(
            rng,
            lambda r: ("DEBUG", f"Merging carts for customer {r.getrandbits(96):024x}", ()),
            START,
            MINUTES,
            800,
        )
    )
    carts.add(
        [
            at(
                START,
                6.3,
                "WARN",
                "GET /carts/57a98d98e4b00679b4a830af/items took 2140 ms (threshold 1000 ms)",
            )
        ]
    )
    payment = LogFile("logs/payment.log", KubectlTimestamps())
    payment.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"caller=logging.go:32 method=Authorise result=true took={r.randrange(20, 90)}.{r.randrange(999)}µs",
                (),
            ),
            START,
            MINUTES,
            600,
        )
    )
    payment.add(
        [
            at(
                START,
                17.2,
                "WARN",
                'caller=logging.go:32 method=Authorise result=false err="Payment declined: amount exceeds 105.00" took=41.2µs',
            )
        ]
    )
    front = LogFile("logs/front-end.log", KubectlTimestamps())
    front.add(traffic(rng, front_line, START, MINUTES, 3100))
    front.add(loud(rng, START, 23.1, MINUTES - 23.2, 160, front_error))
    levels = {
        "front-end": (0.18, 92.0, (0.018, 0.061), 38.0, 0.02),
        "orders": (0.11, 410.0, (0.142, 0.331), 3.8, 0.05),
        "orders-db": (0.02, 118.0, (0.003, 0.008), 7.6, 0.37),
        "carts": (0.13, 395.0, (0.012, 0.039), 21.4, 0.04),
        "carts-db": (0.03, 104.0, (0.002, 0.006), 24.0, 0.33),
        "catalogue": (0.04, 19.0, (0.004, 0.011), 30.2, 0.0),
        "payment": (0.01, 9.0, (0.001, 0.003), 3.8, 0.0),
        "shipping": (0.05, 330.0, (0.009, 0.026), 3.8, 0.0),
        "user": (0.03, 14.0, (0.005, 0.014), 12.0, 0.0),
    }
    services = {name: usual_series(rng, *v[:4], diskio=v[4] or None) for name, v in levels.items()}
    db = services["orders-db"]
    db["diskio"] = shift(rng, 0.37, 214.2, FAULT, 0.1)
    db["latency-50"] = shift(rng, 0.003, 0.418, FAULT + 1, 0.3)
    db["latency-90"] = shift(rng, 0.008, 2.71, FAULT + 1, 0.3)
    db["cpu"] = shift(rng, 0.02, 0.047, FAULT, 0.1)
    o = services["orders"]
    o["latency-50"] = shift(rng, 0.142, 1.94, FAULT + 2, 0.2)
    o["latency-90"] = shift(rng, 0.331, 10.02, FAULT + 2, 0.01)
    services["front-end"]["latency-90"] = shift(rng, 0.061, 0.82, FAULT + 2, 0.1)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": f for m, f in series.items()}, 4
        )
        for name, series in services.items()
    }
    files |= {
        "logs/front-end.log": front.render(),
        "logs/orders.log": orders.render(),
        "logs/orders-db.log": mongo.render(),
        "logs/carts.log": carts.render(),
        "logs/payment.log": payment.render(),
    }
    return Bundle(
        question="Customers can't place orders since about 10:27 UTC, POST /orders returns 500 after ten seconds. What is the root cause?",
        category="disk",
        component="orders-db",
        statement="From 10:26:40 UTC a disk I/O hog in orders-db's container saturates its disk (diskio ~0.4 to ~210); MongoDB's operations spend seconds reading from storage, so orders' Mongo calls time out and front-end's POST /orders fails with 500.",
        files=files,
        proofs=[
            Proof("metrics/orders-db.csv", stamp(START, STEP, FAULT)),
            Proof("logs/orders-db.log", '"timeReadingMicros":1398211'),
        ],
        decoys=[
            "MongoSocketReadTimeoutException",
            "Payment declined: amount exceeds 105.00",
            "took 2140 ms (threshold 1000 ms)",
        ],
    )
