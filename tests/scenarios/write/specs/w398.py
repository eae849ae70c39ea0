# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one CSV per service with `diskio`): a disk I/O hog
(stress-ng --hdd 4) in orders-db's container from 19:37:30 UTC. orders-db's `diskio` series
jumps; MongoDB itself logs a few slow writes with a long journal wait, nothing else. orders
(Spring Boot) throws `MongoSocketReadTimeoutException` on saving orders (the loudest errors) and
front-end answers 500 on POST /orders. Decoys: orders' timeouts, shipping's RabbitMQ reconnect,
and a catalogue `sql: connection is already closed` retry."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Logfmt, Record, SpringBoot
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 3, 9, 19, 15, tzinfo=UTC)
MINUTES = 38
STEP = 5
FAULT = (22 * 60 + 30) // STEP


@dataclass
class Mongo34:
    """MongoDB 3.4's text log."""

    def render(self, record: Record) -> list[str]:
        head = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+0000"
        )
        severity = {"WARN": "W", "ERROR": "E"}.get(record.level, "I")
        return [f"{head} {severity} {record.logger or 'NETWORK '} {record.message}"]


@dataclass
class NodeConsole:
    def render(self, record: Record) -> list[str]:
        return [record.message, *record.trailer]


def mongo_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[listener] connection accepted from 10.32.{rng.randrange(1, 4)}.{rng.randrange(2, 250)}:{rng.randrange(33000, 60000)} #{rng.randrange(40, 900)} ({rng.randrange(8, 24)} connections now open)",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"[conn{rng.randrange(40, 900)}] end connection 10.32.{rng.randrange(1, 4)}.{rng.randrange(2, 250)}:{rng.randrange(33000, 60000)} ({rng.randrange(8, 24)} connections now open)",
            (),
        )
    return (
        "INFO",
        f'[conn{rng.randrange(40, 900)}] received client metadata from 10.32.1.{rng.randrange(2, 250)}:{rng.randrange(33000, 60000)} conn{rng.randrange(40, 900)}: {{ driver: {{ name: "mongo-java-driver", version: "3.4.2" }}, os: {{ type: "Linux", name: "Linux", architecture: "amd64" }} }}',
        (),
    )


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"Sending payment request: PaymentRequest{{address=Address{{id='null', number='{rng.randrange(1, 300)}', street='Rue de la Paix', city='Paris', postcode='75002', country='France'}}, card=Card{{id='null', longNum='{rng.randrange(10**15, 10**16)}', expires='0{rng.randrange(1, 10)}/29', ccv='{rng.randrange(100, 999)}'}}, customer=..., amount={rng.randrange(10, 200)}.{rng.randrange(10, 99)}}}",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
            (),
        )
    return (
        "DEBUG",
        f"Order saved: CustomerOrder{{id='{rng.getrandbits(96):024x}', customerId='{rng.getrandbits(96):024x}'}}",
        (),
    )


def orders_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.dao.DataAccessResourceFailureException: Timeout while receiving message; nested exception is com.mongodb.MongoSocketReadTimeoutException: Timeout while receiving message] with root cause",
        (
            "com.mongodb.MongoSocketReadTimeoutException: Timeout while receiving message",
            "\tat com.mongodb.connection.InternalStreamConnection.translateReadException(InternalStreamConnection.java:475)",
            "\tat com.mongodb.connection.InternalStreamConnection.receiveMessage(InternalStreamConnection.java:226)",
            "\tat org.springframework.data.mongodb.core.MongoTemplate.insert(MongoTemplate.java:1012)",
            "\tat works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:118)",
        ),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?size=5",
            "/cart",
            "/customers/" + f"{rng.getrandbits(96):024x}",
            "/catalogue/size?tags=",
            "/tags",
            "/orders",
        ]
    )
    return (
        "INFO",
        f"GET {path} 200 {rng.randrange(3, 90)}.{rng.randrange(100, 999)} ms - {rng.randrange(40, 4000)}",
        (),
    )


def front_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"Error: ESOCKETTIMEDOUT\n    at ClientRequest.<anonymous> (/usr/src/app/node_modules/request/request.js:816:19)\nPOST /orders 500 {rng.randrange(10001, 10090)}.{rng.randrange(100, 999)} ms - 147",
        (),
    )


def shipping_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"Adding shipment to queue... Shipment{{id='{rng.getrandbits(128):032x}', name='{rng.getrandbits(96):024x}'}}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(39802)
    mongo = LogFile("logs/orders-db.log", Mongo34())
    mongo.add(traffic(rng, mongo_line, START, MINUTES, 640, logger="NETWORK "))
    mongo.add(
        [
            at(
                START,
                22.71,
                "INFO",
                "[conn512] insert data.customerOrder ninserted:1 keysInserted:2 numYields:0 locks:{ Global: { acquireCount: { r: 2, w: 2 } }, Database: { acquireCount: { w: 2 } }, Collection: { acquireCount: { w: 1 } } } 4873ms",
                logger="WRITE   ",
            ),
            at(
                START,
                22.74,
                "INFO",
                '[conn512] command data.$cmd command: insert { insert: "customerOrder", ordered: true, documents: 1 } ninserted:1 keysInserted:2 numYields:0 reslen:29 protocol:op_query 4875ms',
                logger="COMMAND ",
            ),
            at(
                START,
                27.9,
                "INFO",
                '[conn498] command data.$cmd command: insert { insert: "customerOrder", ordered: true, documents: 1 } ninserted:1 keysInserted:2 numYields:0 reslen:29 protocol:op_query 9611ms',
                logger="COMMAND ",
            ),
        ]
    )
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            (
                "works.weave.socks.orders.controllers.OrdersController",
                "works.weave.socks.orders.services.AsyncGetService",
            ),
            pid=7,
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, MINUTES, 1500))
    orders.add(loud(rng, START, 22.9, MINUTES - 23.0, 170, orders_error))
    front = LogFile("logs/front-end.log", NodeConsole())
    front.add(traffic(rng, front_line, START, MINUTES, 2600))
    front.add(loud(rng, START, 23.0, MINUTES - 23.1, 150, front_error))
    shipping = LogFile(
        "logs/shipping.log",
        SpringBoot(
            (
                "works.weave.socks.shipping.controllers.ShippingController",
                "org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer",
            ),
            pid=6,
            rng=rng,
        ),
    )
    shipping.add(traffic(rng, shipping_line, START, MINUTES, 380))
    shipping.add(
        [
            at(
                START,
                11.3,
                "WARN",
                "Consumer raised exception, processing can restart if the connection factory supports it. Exception summary: org.springframework.amqp.AmqpConnectException: java.net.ConnectException: Connection refused (Connection refused)",
                logger="org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer",
            ),
            at(
                START,
                11.4,
                "INFO",
                "Restarting Consumer@5e4c8041: tags=[{}], channel=null, acknowledgeMode=AUTO local queue size=0",
                logger="org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer",
            ),
        ]
    )
    catalogue = LogFile("logs/catalogue.log", Logfmt("catalogue", rng=rng))
    catalogue.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"method=List tags= order= pageNum=1 pageSize={r.choice([3, 5, 6])} result={r.choice([3, 5, 6])} err=null took={r.randrange(400, 3000)}.{r.randrange(100, 999)}µs",
                (),
            ),
            START,
            MINUTES,
            1700,
        )
    )
    catalogue.add(
        [
            at(
                START,
                31.2,
                "ERROR",
                'method=Get id=3395a43e-2d88-40de-b95f-e00e1502085b err="sql: connection is already closed" retried=1 took=2.118ms',
            )
        ]
    )
    levels = {
        "front-end": (0.31, 88.0, (0.0121, 0.0442), 41.0, 0.12),
        "orders": (0.14, 402.0, (0.0388, 0.0911), 3.9, 0.07),
        "orders-db": (0.05, 71.0, (0.0019, 0.0052), 4.0, 0.33),
        "carts": (0.18, 391.0, (0.0094, 0.0263), 17.8, 0.05),
        "carts-db": (0.06, 69.0, (0.0012, 0.0037), 17.9, 0.41),
        "catalogue": (0.04, 11.0, (0.0021, 0.0061), 22.3, 0.0),
        "catalogue-db": (0.05, 214.0, (0.0011, 0.0032), 22.3, 0.52),
        "payment": (0.02, 9.0, (0.0009, 0.0022), 3.9, 0.0),
        "shipping": (0.07, 344.0, (0.0063, 0.0151), 3.9, 0.02),
        "user": (0.04, 12.0, (0.0031, 0.0088), 9.6, 0.0),
        "user-db": (0.05, 66.0, (0.0014, 0.0039), 9.6, 0.29),
    }
    services = {name: usual_series(rng, *v[:4], diskio=v[4] or None) for name, v in levels.items()}
    d = services["orders-db"]
    d["diskio"] = shift(rng, 0.33, 241.7, FAULT, 0.1)
    d["cpu"] = shift(rng, 0.05, 0.11, FAULT, 0.1)
    d["latency-50"] = shift(rng, 0.0019, 0.61, FAULT + 1, 0.3)
    d["latency-90"] = shift(rng, 0.0052, 6.8, FAULT + 1, 0.3)
    o = services["orders"]
    o["latency-50"] = shift(rng, 0.0388, 1.92, FAULT + 2, 0.2)
    o["latency-90"] = shift(rng, 0.0911, 10.01, FAULT + 2, 0.02)
    services["front-end"]["latency-90"] = shift(rng, 0.0442, 0.31, FAULT + 2, 0.1)
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
        "logs/catalogue.log": catalogue.render(),
    }
    return Bundle(
        question="Customers report that placing an order spins and then fails since roughly 19:38 UTC; browsing and the cart work. What is the root cause?",
        category="disk",
        component="orders-db",
        statement="From 19:37:30 UTC a disk I/O hog in orders-db's container saturates its disk (diskio ~0.3 to ~240) and MongoDB's inserts into customerOrder take 5-10 s; orders' saves time out with MongoSocketReadTimeoutException and front-end's POST /orders returns 500.",
        files=files,
        proofs=[
            Proof("metrics/orders-db.csv", stamp(START, STEP, FAULT)),
            Proof("logs/orders-db.log", "keysInserted:2 numYields:0 locks:"),
        ],
        decoys=[
            "MongoSocketReadTimeoutException: Timeout while receiving message",
            "AmqpConnectException: java.net.ConnectException: Connection refused",
            "sql: connection is already closed",
        ],
    )
