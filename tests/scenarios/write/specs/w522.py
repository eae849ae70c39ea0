# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one CSV per service with `diskio`): a disk I/O hog (stress-ng
--hdd) in orders-db's container from 21:36:15 UTC. orders-db's `diskio` series jumps first and
MongoDB logs a single `serverStatus was very slow` line with the time spent in wiredTiger, then
only ordinary (if slower) commands. orders' Spring Data calls time out reading from
orders-db (the loudest errors) and front-end's POST /orders fails with ESOCKETTIMEDOUT. Decoys:
payment's ordinary card declines, shipping's RabbitMQ reconnect at 21:14, carts' long GC pause
warning and orders' own socket timeouts."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import KubectlTimestamps, Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 3, 11, 21, 8, tzinfo=UTC)
MINUTES = 42
STEP = 5
FAULT = (28 * 60 + 15) // STEP


@dataclass
class Mongo34:
    """mongod 3.4's text log: `<iso time> <sev> <component> [<context>] <message>`."""

    def render(self, record: Record) -> list[str]:
        sev = {"WARN": "W", "ERROR": "E"}.get(record.level, "I")
        component, context, message = record.message.split("|", 2)
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+0000"
        )
        return [f"{stamp} {sev} {component:<8} [{context}] {message}"]


def oid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def mongo_line(rng: random.Random) -> Line:
    roll = rng.random()
    conn = f"conn{rng.randrange(3, 60)}"
    if roll < 0.35:
        return (
            "INFO",
            f'NETWORK|{conn}|received client metadata from 10.44.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}:{rng.randrange(33000, 60000)} {conn}: {{ driver: {{ name: "mongo-java-driver", version: "3.4.2" }}, os: {{ type: "Linux", name: "Linux", architecture: "amd64", version: "5.15.0-1057-aws" }}, platform: "Java/Oracle Corporation/1.8.0_171-b11" }}',
            (),
        )
    if roll < 0.55:
        return (
            "INFO",
            f"NETWORK|listener|connection accepted from 10.44.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}:{rng.randrange(33000, 60000)} #{rng.randrange(100, 9000)} ({rng.randrange(4, 30)} connections now open)",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"-|{conn}|end connection 10.44.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}:{rng.randrange(33000, 60000)} ({rng.randrange(4, 30)} connections now open)",
            (),
        )
    return (
        "INFO",
        f'COMMAND|{conn}|command data.customerOrder command: find {{ find: "customerOrder", filter: {{ customerId: "{oid(rng)}" }} }} planSummary: COLLSCAN keysExamined:0 docsExamined:{rng.randrange(800, 2600)} cursorExhausted:1 numYields:{rng.randrange(5, 30)} nreturned:{rng.randrange(0, 6)} reslen:{rng.randrange(300, 9000)} locks:{{ Global: {{ acquireCount: {{ r: 2 }} }} }} protocol:op_query {rng.randrange(101, 190)}ms',
        (),
    )


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "DEBUG",
            f"Order created: CustomerOrder{{id='{oid(rng)}', customerId='{oid(rng)}', total={rng.randrange(10, 140)}.{rng.randrange(100):02d}}}",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
            (),
        )
    return "DEBUG", f"Sending shipment request for order {oid(rng)}", ()


def orders_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.dao.DataAccessResourceFailureException: Timeout while receiving message; nested exception is com.mongodb.MongoSocketReadTimeoutException: Timeout while receiving message] with root cause",
        tuple(
            java_trace(
                "java.net.SocketTimeoutException: Read timed out",
                [
                    "java.net.SocketInputStream.socketRead0(Native Method)",
                    "com.mongodb.connection.SocketStream.read(SocketStream.java:85)",
                    "com.mongodb.connection.InternalStreamConnection.receiveResponseBuffers(InternalStreamConnection.java:503)",
                    "org.springframework.data.mongodb.core.MongoTemplate.insert(MongoTemplate.java:1055)",
                    "works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:112)",
                ],
                more=88,
            )
        ),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?size=6",
            "/catalogue/size",
            "/cart",
            "/customers/" + oid(rng),
            "/tags",
            "/card",
        ]
    )
    return (
        "INFO",
        f"GET {path} 200 {rng.randrange(4, 90)}.{rng.randrange(1000):03d} ms - {rng.randrange(40, 5000)}",
        (),
    )


def front_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Error: ESOCKETTIMEDOUT",
        (
            "    at ClientRequest.<anonymous> (/usr/src/app/node_modules/request/request.js:816:19)",
            "    at Object.onceWrapper (events.js:313:30)",
            "    at Socket.emitRequestTimeout (_http_client.js:661:40)",
            f"POST /orders 500 {rng.randrange(10000, 10090)}.{rng.randrange(1000):03d} ms - 29",
        ),
    )


def payment_line(rng: random.Random) -> Line:
    if rng.random() < 0.93:
        return (
            "INFO",
            f"caller=logging.go:{rng.randrange(30, 40)} method=Authorise result=true took={rng.randrange(6, 40)}.{rng.randrange(1000):03d}µs",
            (),
        )
    return (
        "INFO",
        f'caller=logging.go:31 method=Authorise result=false err="payment declined: amount exceeds {rng.choice([100, 105])}.00"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(52209)
    mongo = LogFile("logs/orders-db.log", Mongo34())
    mongo.add(traffic(rng, mongo_line, START, MINUTES, 1500))
    mongo.add(
        [
            at(
                START,
                28.55,
                "INFO",
                "-|ftdc|serverStatus was very slow: { after basic: 0, after asserts: 0, after connections: 0, after extra_info: 0, after globalLock: 0, after locks: 0, after network: 0, after opLatencies: 0, after opcounters: 0, after opcountersRepl: 0, after repl: 0, after storageEngine: 0, after tcmalloc: 0, after wiredTiger: 3894, at end: 3896 }",
            ),
            at(
                START,
                29.4,
                "INFO",
                'COMMAND|conn41|command data.customerOrder command: insert { insert: "customerOrder", ordered: true, documents: 1 } ninserted:1 keysInserted:2 numYields:0 reslen:29 locks:{ Global: { acquireCount: { r: 2, w: 2 } } } protocol:op_query 11873ms',
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
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, MINUTES, 1300))
    orders.add(loud(rng, START, 28.9, MINUTES - 29.0, 190, orders_timeout))
    front = LogFile("logs/front-end.log", KubectlTimestamps())
    front.add(traffic(rng, front_line, START, MINUTES, 3100))
    front.add(loud(rng, START, 29.0, MINUTES - 29.1, 170, front_error))
    payment = LogFile("logs/payment.log", KubectlTimestamps())
    payment.add(traffic(rng, payment_line, START, MINUTES, 600))
    shipping = LogFile(
        "logs/shipping.log",
        SpringBoot(
            (
                "works.weave.socks.shipping.controllers.ShippingController",
                "org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer",
            ),
            rng=rng,
        ),
    )
    shipping.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"Adding shipment to queue... Shipment{{id='{oid(r)}', name='{oid(r)}'}}",
                (),
            ),
            START,
            MINUTES,
            500,
        )
    )
    shipping.add(
        [
            at(
                START,
                6.2,
                "WARN",
                "Consumer raised exception, processing can restart if the connection factory supports it. Exception summary: org.springframework.amqp.AmqpConnectException: java.net.ConnectException: Connection refused (Connection refused)",
            ),
            at(
                START,
                6.3,
                "INFO",
                "Restarting Consumer@6b2e46af: tags=[{}], channel=null, acknowledgeMode=AUTO local queue size=0",
            ),
            at(
                START,
                6.5,
                "INFO",
                "Created new connection: rabbitConnectionFactory#1f3b9abf:1/SimpleConnection@4e0b0d6c [delegate=amqp://guest@10.44.3.19:5672/, localPort= 41832]",
            ),
        ]
    )
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(
            (
                "works.weave.socks.cart.controllers.CartsController",
                "works.weave.socks.cart.cart.CartDAO",
            ),
            rng=rng,
        ),
    )
    carts.add(
        traffic(
            rng,
            lambda r: (
                "DEBUG",
                f"Merging carts for customer id: {oid(r)} and session id: {oid(r)[:16]}",
                (),
            ),
            START,
            MINUTES,
            700,
        )
    )
    carts.add(
        [
            at(
                START,
                35.3,
                "WARN",
                "Pause Young (G1 Evacuation Pause) took 612ms, exceeding the 500ms target",
            )
        ]
    )
    levels = {
        "front-end": (0.091, 88.4, (0.011, 0.052), 44.1, 0.02),
        "orders": (0.052, 402.3, (0.039, 0.121), 4.2, 0.03),
        "orders-db": (0.017, 71.2, (0.0019, 0.0064), 6.1, 0.37),
        "carts": (0.061, 388.9, (0.008, 0.027), 18.3, 0.02),
        "carts-db": (0.019, 68.3, (0.0012, 0.004), 18.7, 0.31),
        "catalogue": (0.011, 9.6, (0.003, 0.009), 25.4, 0.0),
        "payment": (0.004, 7.4, (0.0006, 0.0021), 4.1, 0.0),
        "shipping": (0.027, 351.0, (0.006, 0.019), 4.0, 0.01),
        "user": (0.009, 11.2, (0.004, 0.012), 13.9, 0.0),
        "user-db": (0.012, 59.7, (0.001, 0.004), 13.6, 0.22),
    }
    services = {name: usual_series(rng, *v[:4], diskio=v[4] or None) for name, v in levels.items()}
    d = services["orders-db"]
    d["diskio"] = shift(rng, 0.37, 231.6, FAULT, 0.1)
    d["cpu"] = shift(rng, 0.017, 0.044, FAULT, 0.12)
    d["latency-50"] = shift(rng, 0.0019, 0.412, FAULT + 1, 0.3)
    d["latency-90"] = shift(rng, 0.0064, 6.81, FAULT + 1, 0.3)
    o = services["orders"]
    o["latency-50"] = shift(rng, 0.039, 3.71, FAULT + 2, 0.2)
    o["latency-90"] = shift(rng, 0.121, 10.02, FAULT + 2, 0.02)
    services["front-end"]["latency-90"] = shift(rng, 0.052, 2.9, FAULT + 2, 0.1)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": f for m, f in series.items()}, 4
        )
        for name, series in services.items()
    }
    for log in (mongo, orders, front, payment, shipping, carts):
        files[log.name] = log.render()
    return Bundle(
        question="Customers can browse but placing an order fails with a 500 after about ten seconds, since roughly 21:37 UTC. Which service is the root cause?",
        category="disk",
        component="orders-db",
        statement="From 21:36:15 UTC a disk I/O hog in orders-db's container saturates its disk (diskio ~0.4 to ~230); MongoDB's wiredTiger stalls (`serverStatus was very slow ... after wiredTiger: 3894`) and inserts take seconds, so orders' writes time out and front-end's POST /orders fails.",
        files=files,
        proofs=[
            Proof("metrics/orders-db.csv", stamp(START, STEP, FAULT)),
            Proof("logs/orders-db.log", "serverStatus was very slow"),
        ],
        decoys=[
            "payment declined: amount exceeds",
            "AmqpConnectException: java.net.ConnectException: Connection refused",
            "Pause Young (G1 Evacuation Pause) took 612ms",
            "MongoSocketReadTimeoutException",
        ],
    )
