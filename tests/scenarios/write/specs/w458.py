# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one CSV per service with `diskio`): a disk I/O hog
(stress-ng --hdd 4) in orders-db's container from 06:48:40 UTC. orders-db's `diskio` column jumps
from ~0.3 to ~210 MB/s and mongod starts logging slow inserts into `data.customerOrder` (2-6 s,
where they took a few ms); nothing else in its log changes. orders' POST /orders requests time out
on MongoDB writes (`MongoSocketReadTimeoutException`), front-end answers 500 on checkout. Decoys:
orders' timeouts (a symptom), a shipping RabbitMQ reconnect before the fault, catalogue-db's
aborted-connection warnings, and front-end's 404s for missing images."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Pino, Record, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2026, 5, 21, 6, 31, tzinfo=UTC)
MINUTES = 32
STEP = 5
FAULT = (17 * 60 + 40) // STEP


@dataclass
class Mongo34:
    """mongod 3.4's text log: `2026-05-21T06:31:00.123+0000 I NETWORK  [conn12] message`."""

    def render(self, record: Record) -> list[str]:
        head = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+0000"
        )
        severity = {"WARN": "W", "ERROR": "E"}.get(record.level, "I")
        component, context, text = record.message.split("|", 2)
        return [f"{head} {severity} {component:<8} [{context}] {text}"]


@dataclass
class Mysql57:
    """MySQL 5.7's error log: `2026-05-21T06:31:16.683214Z 371 [Note] message`."""

    def render(self, record: Record) -> list[str]:
        head = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        thread, text = record.message.split("|", 1)
        return [f"{head} {thread} [{'Warning' if record.level == 'WARN' else 'Note'}] {text}"]


def oid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def mongo_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"NETWORK|thread1|connection accepted from 10.44.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)} #{rng.randrange(100, 9000)} ({rng.randrange(8, 30)} connections now open)",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f'NETWORK|conn{rng.randrange(100, 9000)}|received client metadata from 10.44.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)} conn{rng.randrange(100, 9000)}: {{ driver: {{ name: "mongo-java-driver", version: "3.4.2" }}, os: {{ type: "Linux", name: "Linux", architecture: "amd64", version: "5.15.0-1057-aws" }}, platform: "Java/Oracle Corporation/1.8.0_111-8u111-b14-2~bpo8+1-b14" }}',
            (),
        )
    return (
        "INFO",
        f"-|conn{rng.randrange(100, 9000)}|end connection 10.44.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)} ({rng.randrange(8, 30)} connections now open)",
        (),
    )


def slow_insert(rng: random.Random) -> Line:
    return (
        "INFO",
        f'COMMAND|conn{rng.randrange(100, 9000)}|command data.customerOrder command: insert {{ insert: "customerOrder", ordered: true, documents: [ {{ _id: ObjectId(\'{oid(rng)}\'), _class: "works.weave.socks.orders.entities.CustomerOrder", customerId: "{oid(rng)}" }} ] }} ninserted:1 keysInserted:2 numYields:0 reslen:29 locks:{{ Global: {{ acquireCount: {{ r: 1, w: 1 }} }}, Database: {{ acquireCount: {{ w: 1 }} }} }} protocol:op_query {rng.randrange(1900, 6400)}ms',
        (),
    )


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "DEBUG", f"Order created with id: {oid(rng)} for customer {oid(rng)}", ()
    if roll < 0.8:
        return (
            "INFO",
            f"Payment authorised for order {oid(rng)}, amount {rng.randrange(5, 120)}.{rng.randrange(100):02d}",
            (),
        )
    return "INFO", f"Shipping request sent for order {oid(rng)}", ()


def orders_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.data.mongodb.UncategorizedMongoDbException: Timed out after 5000 ms while waiting for a server that matches WritableServerSelector; nested exception is com.mongodb.MongoSocketReadTimeoutException: Timeout while receiving message] with root cause",
        (
            "com.mongodb.MongoSocketReadTimeoutException: Timeout while receiving message",
            "\tat com.mongodb.connection.InternalStreamConnection.translateReadException(InternalStreamConnection.java:475)",
            "\tat works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:112)",
        ),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(["/catalogue?size=6", "/cart", "/customers/" + oid(rng), "/tags", "/card"])
    return "INFO", f"GET {path} 200 {rng.randrange(4, 90)}ms", ()


def bundle() -> Bundle:
    rng = random.Random(45858)
    mongo = LogFile("logs/orders-db.log", Mongo34())
    mongo.add(traffic(rng, mongo_line, START, MINUTES, 700))
    mongo.add(
        [at(START, 17.83, "INFO", slow_insert(random.Random(1))[1].rsplit(" ", 1)[0] + " 2417ms")]
    )
    mongo.add(loud(rng, START, 18.1, MINUTES - 18.2, 120, slow_insert))
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            ("w.w.s.orders.controllers.OrdersController", "w.w.s.orders.services.AsyncGetService"),
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, MINUTES, 1500))
    orders.add(loud(rng, START, 18.0, MINUTES - 18.1, 240, orders_timeout))
    front = LogFile("logs/front-end.log", Pino("front-end-6d4b8f7c9-qp2lm", rng=rng))
    front.add(traffic(rng, front_line, START, MINUTES, 2600))
    front.add(
        loud(
            rng,
            START,
            18.05,
            MINUTES - 18.1,
            230,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /orders 500 {r.randrange(5000, 5090)}ms - Error: ESOCKETTIMEDOUT at ClientRequest.<anonymous> (/usr/src/app/node_modules/request/request.js:816:19)"
                ),
            ),
        )
    )
    front.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            25,
            fixed(
                "WARN",
                lambda r: (
                    f"GET /catalogue/images/{r.choice(['cross_1.jpeg', 'youtube_2.jpeg', 'bit_of_leg_2.jpeg'])} 404 3ms"
                ),
            ),
        )
    )
    shipping = LogFile(
        "logs/shipping.log",
        SpringBoot(
            (
                "w.w.s.shipping.controllers.ShippingController",
                "o.s.a.r.l.SimpleMessageListenerContainer",
            ),
            rng=rng,
        ),
    )
    shipping.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"Adding shipment to queue... shipment id {oid(r)}"),
            START,
            MINUTES,
            400,
        )
    )
    shipping.add(
        [
            at(
                START,
                4.4,
                "WARN",
                "Consumer raised exception, processing can restart if the connection factory supports it. Exception summary: org.springframework.amqp.AmqpConnectException: java.net.ConnectException: Connection refused (Connection refused)",
            ),
            at(
                START,
                4.5,
                "INFO",
                "Restarting Consumer@5e2c3d18: tags=[[]], channel=null, acknowledgeMode=AUTO local queue size=0",
            ),
        ]
    )
    catdb = LogFile("logs/catalogue-db.log", Mysql57())
    catdb.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            14,
            fixed(
                "INFO",
                lambda r: (
                    lambda n: (
                        f"{n}|Aborted connection {n} to db: 'socksdb' user: 'catalogue_user' host: '10.44.3.{r.randrange(2, 250)}' (Got an error reading communication packets)"
                    )
                )(r.randrange(100, 999)),
            ),
        )
    )
    levels = {
        "front-end": (0.142, 88.1, (0.0121, 0.0472), 36.2, 0.0),
        "orders": (0.083, 402.5, (0.0312, 0.0871), 4.1, 0.0),
        "orders-db": (0.031, 71.4, (0.0021, 0.0063), 8.3, 0.33),
        "carts": (0.074, 388.0, (0.0093, 0.0262), 17.9, 0.0),
        "carts-db": (0.026, 69.9, (0.0012, 0.0039), 17.9, 0.29),
        "catalogue": (0.027, 12.3, (0.0034, 0.0097), 28.4, 0.0),
        "payment": (0.012, 9.8, (0.0011, 0.0031), 4.1, 0.0),
        "shipping": (0.041, 351.2, (0.0081, 0.0203), 4.1, 0.0),
        "user": (0.019, 11.1, (0.0029, 0.0084), 12.6, 0.0),
    }
    services = {name: usual_series(rng, *v[:4], diskio=v[4] or None) for name, v in levels.items()}
    d = services["orders-db"]
    d["diskio"] = shift(rng, 0.33, 211.7, FAULT, 0.08)
    d["cpu"] = shift(rng, 0.031, 0.094, FAULT, 0.1)
    d["latency-50"] = shift(rng, 0.0021, 0.0387, FAULT + 1, 0.3)
    d["latency-90"] = shift(rng, 0.0063, 3.912, FAULT + 1, 0.2)
    o = services["orders"]
    o["latency-50"] = shift(rng, 0.0312, 1.874, FAULT + 2, 0.15)
    o["latency-90"] = shift(rng, 0.0871, 5.021, FAULT + 2, 0.02)
    services["front-end"]["latency-90"] = shift(rng, 0.0472, 0.913, FAULT + 2, 0.1)
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
        "logs/shipping.log": shipping.render(),
        "logs/catalogue-db.log": catdb.render(),
    }
    return Bundle(
        question="Checkout in the sock shop returns 500 for most customers since about 06:49 UTC. What is the root cause?",
        category="disk",
        component="orders-db",
        statement="From 06:48:40 UTC a disk I/O hog in orders-db's container saturates its disk (diskio ~0.3 to ~210); MongoDB's inserts into data.customerOrder take seconds, orders' writes time out after 5000 ms and front-end's POST /orders returns 500.",
        files=files,
        proofs=[
            Proof("metrics/orders-db.csv", stamp(START, STEP, FAULT)),
            Proof("logs/orders-db.log", " 2417ms"),
        ],
        decoys=[
            "MongoSocketReadTimeoutException",
            "AmqpConnectException",
            "Aborted connection",
            "/catalogue/images/",
        ],
    )
