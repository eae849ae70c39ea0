# ruff: noqa: E501
# Hand-written log lines, kubectl rows and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one CSV per service): a CPU hog (stress-ng --cpu 2) in
orders-db's container from 11:26:20 UTC. MongoDB writes no error; its operations slow down
and a handful of `Slow query` entries appear for inserts and finds that normally take a
millisecond. orders' calls to it time out with `MongoSocketReadTimeoutException`, and the
front-end answers 500 on POST /orders: the loudest errors one and two hops away. The
engineer pasted two `kubectl top pods` runs. Decoys: orders' read timeouts, a front-end
catalogue image 404, and an early payment call that failed once and was retried."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import KubectlTimestamps, Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 12, 2, 11, 4, tzinfo=UTC)
MINUTES = 38
STEP = 5
FAULT = (22 * 60 + 20) // STEP


@dataclass
class Mongo:
    """MongoDB 4.4+ structured log lines; the record's message is the rest of the object."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+00:00"
        )
        return ['{"t":{"$date":"' + stamp + '"},' + record.message]


def oid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def mongo_line(rng: random.Random) -> Line:
    conn = rng.randrange(40, 400)
    roll = rng.random()
    if roll < 0.35:
        body = {
            "s": "I",
            "c": "NETWORK",
            "id": 22943,
            "ctx": "listener",
            "msg": "Connection accepted",
            "attr": {
                "remote": f"10.44.{rng.randrange(0, 9)}.{rng.randrange(2, 250)}:{rng.randrange(32768, 60999)}",
                "connectionId": conn,
                "connectionCount": rng.randrange(9, 24),
            },
        }
    elif roll < 0.7:
        body = {
            "s": "I",
            "c": "NETWORK",
            "id": 22944,
            "ctx": f"conn{conn}",
            "msg": "Connection ended",
            "attr": {
                "remote": f"10.44.{rng.randrange(0, 9)}.{rng.randrange(2, 250)}:{rng.randrange(32768, 60999)}",
                "connectionId": conn,
                "connectionCount": rng.randrange(8, 23),
            },
        }
    elif roll < 0.85:
        body = {
            "s": "I",
            "c": "NETWORK",
            "id": 51800,
            "ctx": f"conn{conn}",
            "msg": "client metadata",
            "attr": {
                "remote": f"10.44.{rng.randrange(0, 9)}.{rng.randrange(2, 250)}:{rng.randrange(32768, 60999)}",
                "client": f"conn{conn}",
                "doc": {
                    "driver": {"name": "mongo-java-driver|legacy", "version": "3.8.2"},
                    "os": {"type": "Linux", "name": "Linux", "architecture": "amd64"},
                    "platform": "Java/Oracle Corporation/1.8.0_111-internal-alpine-r0-b14",
                },
            },
        }
    elif roll < 0.97:
        body = {
            "s": "I",
            "c": "STORAGE",
            "id": 22430,
            "ctx": "Checkpointer",
            "msg": "WiredTiger message",
            "attr": {
                "message": f"[{rng.randrange(1764000000, 1764999999)}:{rng.randrange(0, 999999)}][1:0x7f2c4b1fe700], WT_SESSION.checkpoint: [WT_VERB_CHECKPOINT_PROGRESS] saving checkpoint snapshot min: {rng.randrange(4000, 9000)}, snapshot max: {rng.randrange(4000, 9000)} snapshot count: 0, oldest timestamp: (0, 0) , meta checkpoint timestamp: (0, 0) base write gen: {rng.randrange(100, 999)}"
            },
        }
    else:
        body = {
            "s": "I",
            "c": "COMMAND",
            "id": 51803,
            "ctx": f"conn{conn}",
            "msg": "Slow query",
            "attr": {
                "type": "command",
                "ns": "data.customerOrder",
                "command": {
                    "aggregate": "customerOrder",
                    "pipeline": [{"$match": {}}],
                    "$db": "data",
                },
                "planSummary": "COLLSCAN",
                "keysExamined": 0,
                "docsExamined": rng.randrange(4100, 4300),
                "numYields": 4,
                "nreturned": 101,
                "reslen": rng.randrange(90000, 99000),
                "protocol": "op_msg",
                "durationMillis": rng.randrange(102, 160),
            },
        }
    return "INFO", json.dumps(body, separators=(",", ":"))[1:], ()


def mongo_slow(rng: random.Random) -> Line:
    kind = rng.random()
    if kind < 0.6:
        command = {"insert": "customerOrder", "ordered": True, "$db": "data"}
        extra = {"ninserted": 1, "keysInserted": 1}
    else:
        command = {"find": "customerOrder", "filter": {"customerId": oid(rng)}, "$db": "data"}
        extra = {
            "planSummary": "IXSCAN { customerId: 1 }",
            "keysExamined": rng.randrange(1, 8),
            "docsExamined": rng.randrange(1, 8),
            "nreturned": rng.randrange(1, 8),
        }
    body = {
        "s": "I",
        "c": "COMMAND",
        "id": 51803,
        "ctx": f"conn{rng.randrange(40, 400)}",
        "msg": "Slow query",
        "attr": {
            "type": "command",
            "ns": "data.customerOrder",
            "command": command,
            **extra,
            "numYields": 0,
            "protocol": "op_msg",
            "durationMillis": rng.randrange(900, 4200),
        },
    }
    return "INFO", json.dumps(body, separators=(",", ":"))[1:], ()


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "DEBUG",
            f"Order created: CustomerOrder{{id='{oid(rng)}', customerId='57a98d98e4b00679b4a830b{rng.randrange(0, 9)}', total={rng.randrange(1, 120)}.{rng.randrange(0, 99):02d}}}",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"Starting calls for order: http://user/customers/57a98d98e4b00679b4a830b{rng.randrange(0, 9)}",
            (),
        )
    return (
        "DEBUG",
        f"Received payment response: PaymentResponse{{authorised=true, message=Payment authorised}} in {rng.randrange(3, 40)} ms",
        (),
    )


def orders_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.data.mongodb.UncategorizedMongoDbException: Timeout while receiving message; nested exception is com.mongodb.MongoSocketReadTimeoutException: Timeout while receiving message] with root cause",
        tuple(
            java_trace(
                "java.net.SocketTimeoutException: Read timed out",
                [
                    "java.net.SocketInputStream.socketRead0(Native Method)",
                    "java.net.SocketInputStream.read(SocketInputStream.java:171)",
                    "com.mongodb.connection.SocketStream.read(SocketStream.java:85)",
                    "com.mongodb.connection.InternalStreamConnection.receiveResponseBuffers(InternalStreamConnection.java:503)",
                    "org.springframework.data.mongodb.core.MongoTemplate.insert(MongoTemplate.java:1004)",
                    "works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:106)",
                ],
                more=88,
            )
        ),
    )


def front_line(rng: random.Random) -> Line:
    path, code = rng.choice(
        [
            ("/catalogue?size=5", 200),
            ("/catalogue/size", 200),
            ("/cart", 200),
            ("/orders", 200),
            ("/customers/57a98d98e4b00679b4a830b2", 200),
            ("/category.html", 304),
            ("/basket.html", 200),
            ("/card", 200),
            ("/address", 200),
        ]
    )
    return (
        "INFO",
        f"GET {path} {code} {rng.lognormvariate(0, 0.6) * 14:.3f} ms - {rng.randrange(200, 9000)}",
        (),
    )


def front_order_ok(rng: random.Random) -> Line:
    return (
        "INFO",
        f"POST /orders 201 {rng.lognormvariate(0, 0.4) * 90:.3f} ms - {rng.randrange(380, 460)}",
        (),
    )


def front_error(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return (
            "ERROR",
            f"Order response: {json.dumps({'timestamp': 1764675000000 + rng.randrange(0, 700000), 'status': 500, 'error': 'Internal Server Error', 'exception': 'org.springframework.data.mongodb.UncategorizedMongoDbException', 'message': 'Timeout while receiving message; nested exception is com.mongodb.MongoSocketReadTimeoutException: Timeout while receiving message', 'path': '/orders'})}",
            (),
        )
    return "ERROR", f"POST /orders 500 {rng.uniform(10000, 10600):.3f} ms - 151", ()


def bundle() -> Bundle:
    rng = random.Random(20287)
    db = LogFile("logs/orders-db.log", Mongo())
    db.add(traffic(rng, mongo_line, START, MINUTES, 1300))
    db.add(
        [
            at(
                START,
                22.41,
                "INFO",
                '"s":"I","c":"COMMAND","id":51803,"ctx":"conn211","msg":"Slow query","attr":{"type":"command","ns":"data.customerOrder","command":{"insert":"customerOrder","ordered":true,"$db":"data"},"ninserted":1,"keysInserted":1,"numYields":0,"protocol":"op_msg","durationMillis":1386}}',
            )
        ]
    )
    db.add(loud(rng, START, 22.6, MINUTES - 22.7, 46, mongo_slow))
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
    orders.add(traffic(rng, orders_line, START, MINUTES, 1500))
    orders.add(
        [
            at(
                START,
                5.3,
                "WARN",
                'Payment call failed, retrying once: I/O error on POST request for "http://payment/paymentAuth": Connection reset; nested exception is java.net.SocketException: Connection reset',
                logger="works.weave.socks.orders.services.AsyncGetService",
            ),
        ]
    )
    orders.add(loud(rng, START, 22.7, MINUTES - 22.8, 190, orders_timeout))
    front = LogFile("logs/front-end.log", KubectlTimestamps())
    front.add(traffic(rng, front_line, START, MINUTES, 3600))
    front.add(traffic(rng, front_order_ok, START, 22.5, 160))
    front.add(loud(rng, START, 22.75, MINUTES - 22.8, 240, front_error))
    front.add([at(START, 9.1, "WARN", "GET /catalogue/images/holy_2.jpeg 404 1.842 ms - 162")])
    levels = {
        "front-end": (0.121, 84.3, (0.0121, 0.0488), 41.7),
        "orders": (0.064, 402.6, (0.0472, 0.1187), 2.9),
        "orders-db": (0.019, 61.4, (0.0011, 0.0034), 6.1),
        "carts": (0.071, 388.4, (0.0108, 0.0334), 12.4),
        "carts-db": (0.022, 73.9, (0.0009, 0.0027), 14.0),
        "catalogue": (0.028, 9.6, (0.0038, 0.0121), 29.5),
        "catalogue-db": (0.011, 197.2, (0.0007, 0.0022), 29.5),
        "user": (0.024, 11.8, (0.0031, 0.0094), 8.2),
        "payment": (0.006, 6.9, (0.0012, 0.0037), 2.9),
        "shipping": (0.031, 372.2, (0.0047, 0.0135), 2.9),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    db_series = services["orders-db"]
    db_series["cpu"] = shift(rng, 0.019, 1.994, FAULT, 0.02)
    db_series["latency-50"] = shift(rng, 0.0011, 0.0392, FAULT + 1, 0.3)
    db_series["latency-90"] = shift(rng, 0.0034, 1.8721, FAULT + 1, 0.3)
    o = services["orders"]
    o["latency-50"] = shift(rng, 0.0472, 2.417, FAULT + 2, 0.2)
    o["latency-90"] = shift(rng, 0.1187, 10.012, FAULT + 2, 0.02)
    services["front-end"]["latency-90"] = shift(rng, 0.0488, 0.7134, FAULT + 2, 0.1)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": f for m, f in series.items()}, 4
        )
        for name, series in services.items()
    }
    top_at = START + timedelta(minutes=31)
    files["kubectl-top.txt"] = (
        f"$ date -u; kubectl -n sock-shop top pods\n{(top_at - timedelta(minutes=15)).strftime('%a %b %d %H:%M:%S UTC %Y')}\n"
        "NAME                            CPU(cores)   MEMORY(bytes)\n"
        "carts-7c8d4f5b8-2kq9w           68m          391Mi\ncarts-db-6d9c7d9f7-wm5tx        21m          74Mi\n"
        "catalogue-5d9b8f6c4-lx7rd       27m          10Mi\ncatalogue-db-5c7f8b8d9-qz4gn    11m          198Mi\n"
        "front-end-6b7d5c9f8-7tj2p       118m         86Mi\norders-78f6f9c9d-bn4xs          66m          405Mi\n"
        "orders-db-5f8b9c7d6-hx2rm       19m          62Mi\npayment-84d5c8f7b-vq8sd         6m           7Mi\n"
        "queue-master-6c8f7d4b9-r2wfk    17m          288Mi\nrabbitmq-7b9c5d8f6-m9zpl        23m          129Mi\n"
        "shipping-65c8d7f9b-9gxtn        30m          374Mi\nuser-6f9d8c7b5-k8j4v            23m          12Mi\n"
        "user-db-7d8c9b6f5-p5fwz         9m           58Mi\n\n"
        f"$ date -u; kubectl -n sock-shop top pods\n{top_at.strftime('%a %b %d %H:%M:%S UTC %Y')}\n"
        "NAME                            CPU(cores)   MEMORY(bytes)\n"
        "carts-7c8d4f5b8-2kq9w           70m          392Mi\ncarts-db-6d9c7d9f7-wm5tx        22m          74Mi\n"
        "catalogue-5d9b8f6c4-lx7rd       28m          10Mi\ncatalogue-db-5c7f8b8d9-qz4gn    12m          198Mi\n"
        "front-end-6b7d5c9f8-7tj2p       131m         88Mi\norders-78f6f9c9d-bn4xs          41m          419Mi\n"
        "orders-db-5f8b9c7d6-hx2rm       1997m        71Mi\npayment-84d5c8f7b-vq8sd         4m           7Mi\n"
        "queue-master-6c8f7d4b9-r2wfk    15m          288Mi\nrabbitmq-7b9c5d8f6-m9zpl        22m          129Mi\n"
        "shipping-65c8d7f9b-9gxtn        18m          374Mi\nuser-6f9d8c7b5-k8j4v            24m          12Mi\n"
        "user-db-7d8c9b6f5-p5fwz         9m           58Mi\n"
    )
    files |= {
        "logs/front-end.log": front.render(),
        "logs/orders.log": orders.render(),
        "logs/orders-db.log": db.render(),
    }
    return Bundle(
        question="Customers can't place orders since about 11:27 UTC: POST /orders returns 500 after 10 seconds. What is the root cause?",
        category="cpu",
        component="orders-db",
        statement="From 11:26:20 UTC a CPU hog in orders-db's container pins it at ~2 cores (19m before); MongoDB's inserts and finds on data.customerOrder take seconds, so orders' Mongo reads time out and the front-end returns 500 on POST /orders.",
        files=files,
        proofs=[
            Proof("metrics/orders-db.csv", stamp(START, STEP, FAULT)),
            Proof("kubectl-top.txt", "1997m"),
            Proof("logs/orders-db.log", '"conn211","msg":"Slow query"'),
        ],
        decoys=[
            "MongoSocketReadTimeoutException",
            "holy_2.jpeg 404",
            "Payment call failed, retrying once",
        ],
    )
