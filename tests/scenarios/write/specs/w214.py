# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one CSV per service with a `socket` series): a socket
exhaustion fault in the carts container from 05:33:20 UTC. Its open-socket count climbs from
about 60 to over 28,000 in two minutes; once the ephemeral ports are gone its MongoDB driver
cannot open connections to carts-db (`java.net.BindException: Cannot assign requested
address`, logged by carts a few times with its stack), its pool waits time out, and GET/POST
/carts answer 500. Loud: the front-end's 500s on /cart and orders' `500 Internal Server Error`
from http://carts/carts/.../items. Decoys: carts-db (its connection count drops, its log only
shows connections ending), orders' loud errors, and a catalogue-db restart at 05:21."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 5, 19, 5, 15, tzinfo=UTC)
MINUTES = 30
STEP = 2
POINTS = MINUTES * 60 // STEP
FAULT = (18 * 60 + 20) // STEP


@dataclass
class Mongo3:
    """MongoDB 3.x plain-text log: `time severity component [context] message`."""

    def render(self, record: Record) -> list[str]:
        text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+0000"
        )
        component, _, rest = record.message.partition("|")
        return [f"{text} {'W' if record.level == 'WARN' else 'I'} {component:<8} {rest}"]


@dataclass
class NodeConsole:
    """The Node front-end's console as `kubectl logs --timestamps` shows it."""

    def render(self, record: Record) -> list[str]:
        text = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}904Z"
        return [f"{text} {record.message}", *(f"{text} {line}" for line in record.trailer)]


def cid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def carts_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return "DEBUG", f"Found cart with id {cid(rng)}; items: {rng.randrange(0, 6)}", ()
    if roll < 0.85:
        return "DEBUG", f"Merging carts for customer id: {cid(rng)} and session id: {cid(rng)}", ()
    return (
        "INFO",
        f"Opened connection [connectionId{{localValue:{rng.randrange(100, 900)}, serverValue:{rng.randrange(1000, 9000)}}}] to carts-db:27017",
        (),
    )


def carts_bind(rng: random.Random) -> Line:
    return (
        "INFO",
        "Exception in monitor thread while connecting to server carts-db:27017",
        tuple(
            java_trace(
                "com.mongodb.MongoSocketOpenException: Exception opening socket",
                [
                    "com.mongodb.connection.SocketStream.open(SocketStream.java:63)",
                    "com.mongodb.connection.InternalStreamConnection.open(InternalStreamConnection.java:115)",
                    "com.mongodb.connection.DefaultServerMonitor$ServerMonitorRunnable.run(DefaultServerMonitor.java:113)",
                    "java.lang.Thread.run(Thread.java:748)",
                ],
                [
                    "java.net.BindException: Cannot assign requested address (connect failed)",
                    "java.net.PlainSocketImpl.socketConnect(Native Method)",
                    "java.net.AbstractPlainSocketImpl.doConnect(AbstractPlainSocketImpl.java:350)",
                    "java.net.Socket.connect(Socket.java:589)",
                    "com.mongodb.connection.SocketStreamHelper.initialize(SocketStreamHelper.java:57)",
                ],
                more=3,
            )
        ),
    )


def carts_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.dao.DataAccessResourceFailureException: Timed out after 10000 ms while waiting for a server that matches ReadPreferenceServerSelector{readPreference=primary}. Client view of cluster state is {type=UNKNOWN, servers=[{address=carts-db:27017, type=UNKNOWN, state=CONNECTING, exception={com.mongodb.MongoSocketOpenException: Exception opening socket}, caused by {java.net.BindException: Cannot assign requested address (connect failed)}}]"
        + "] with root cause",
        (),
    )


def orders_line(rng: random.Random) -> Line:
    return (
        "INFO",
        rng.choice(
            [
                "Order created: CustomerOrder{id='" + cid(rng) + "'}",
                "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
                "Creating order for customer " + cid(rng),
            ]
        ),
        (),
    )


def orders_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.HttpServerErrorException: 500 Internal Server Error] with root cause (GET http://carts/carts/{cid(rng)}/items)",
        (),
    )


def front_line(rng: random.Random) -> Line:
    path, size = rng.choice(
        [
            ("/catalogue?page=1&size=6&tags=", 2903),
            ("/catalogue/size?tags=", 15),
            ("/cart", 388),
            ("/customers/" + cid(rng), 244),
            ("/tags", 107),
            ("/cart", 2),
            ("/orders", 1811),
        ]
    )
    return "INFO", f"GET {path} 200 {rng.lognormvariate(0, 0.5) * 10:.3f} ms - {size}", ()


def front_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        rng.choice(
            [
                f"GET /cart 500 {rng.uniform(9800, 10400):.3f} ms - 254",
                f"POST /cart 500 {rng.uniform(9800, 10400):.3f} ms - 254",
                f"POST /orders 500 {rng.uniform(10100, 10900):.3f} ms - 238",
            ]
        ),
        (),
    )


def mongo_line(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return (
            "INFO",
            f"NETWORK|[conn{rng.randrange(300, 990)}] end connection 10.40.2.17:{rng.randrange(40000, 60000)} ({rng.randrange(20, 40)} connections now open)",
            (),
        )
    return (
        "INFO",
        f"NETWORK|[listener] connection accepted from 10.40.2.17:{rng.randrange(40000, 60000)} #{rng.randrange(300, 990)} ({rng.randrange(20, 40)} connections now open)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20214)
    fault = FAULT * STEP / 60
    after = MINUTES - fault
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(
            (
                "works.weave.socks.cart.controllers.CartsController",
                "works.weave.socks.cart.cart.CartDAO",
                "org.mongodb.driver.connection",
                "org.mongodb.driver.cluster",
            ),
            rng=rng,
        ),
    )
    carts.add(traffic(rng, carts_line, START, fault + 1.6, 2400))
    level, message, trailer = carts_bind(rng)
    carts.add(
        [
            Record(
                START + timedelta(minutes=fault + 1.7, milliseconds=88),
                level,
                message,
                trailer,
                "org.mongodb.driver.cluster",
            )
        ]
    )
    carts.add(loud(rng, START, fault + 2.2, after - 2.3, 6, carts_bind))
    carts.add(loud(rng, START, fault + 1.9, after - 2.0, 90, carts_error))
    carts.add(traffic(rng, carts_line, START + timedelta(minutes=fault + 1.9), after - 1.9, 60))
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(("works.weave.socks.orders.controllers.OrdersController",), rng=rng),
    )
    orders.add(traffic(rng, orders_line, START, MINUTES, 600))
    orders.add(loud(rng, START, fault + 2.0, after - 2.1, 140, orders_error))
    front = LogFile("logs/front-end.log", NodeConsole())
    front.add(traffic(rng, front_line, START, MINUTES, 3300))
    front.add(loud(rng, START, fault + 2.0, after - 2.1, 480, front_error))
    mongo = LogFile("logs/carts-db.log", Mongo3())
    mongo.add(traffic(rng, mongo_line, START, fault + 1.6, 700))
    mongo.add(traffic(rng, mongo_line, START + timedelta(minutes=fault + 1.6), after - 1.6, 25))
    catdb = LogFile("logs/catalogue-db.log", NodeConsole())
    catdb.add(
        [
            at(
                START,
                6.1,
                "WARN",
                "2025-05-19T05:21:06.412093Z 0 [Note] Giving 2 client threads a chance to die gracefully",
            ),
            at(
                START,
                6.15,
                "INFO",
                "2025-05-19T05:21:09.077431Z 0 [Note] mysqld: Shutdown complete",
            ),
            at(
                START,
                6.6,
                "INFO",
                "2025-05-19T05:21:36.220115Z 0 [Note] InnoDB: 5.7.44 started; log sequence number 12613449",
            ),
            at(
                START,
                6.7,
                "INFO",
                "2025-05-19T05:21:42.515370Z 0 [Note] mysqld: ready for connections.",
            ),
            at(
                START,
                6.71,
                "INFO",
                "Version: '5.7.44'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server (GPL)",
            ),
        ]
    )
    levels = {
        "front-end": (0.179, 97.2, (0.0118, 0.0701), 38.1, 66.0),
        "carts": (0.129, 384.9, (0.0063, 0.0274), 12.6, 58.0),
        "carts-db": (0.041, 103.1, (0.0021, 0.0074), 12.5, 31.0),
        "catalogue": (0.030, 14.2, (0.0033, 0.0079), 21.6, 27.0),
        "catalogue-db": (0.022, 181.5, (0.0014, 0.0043), 21.5, 18.0),
        "orders": (0.089, 398.7, (0.0437, 0.1497), 2.8, 49.0),
        "payment": (0.009, 9.1, (0.0008, 0.0027), 2.7, 14.0),
        "shipping": (0.056, 368.3, (0.0071, 0.0309), 2.7, 40.0),
        "user": (0.045, 12.1, (0.0050, 0.0093), 10.9, 28.0),
        "queue-master": (0.035, 352.4, (0.0047, 0.0163), 1.8, 21.0),
        "rabbitmq": (0.071, 144.0, (0.0013, 0.0042), 6.1, 38.0),
    }
    series = {}
    for name, (cpu, mem, latency, work, sockets) in levels.items():
        series[name] = usual_series(rng, cpu, mem, latency, work)
        series[name]["socket"] = shift(rng, sockets, sockets, 0, 0.05)
    c = series["carts"]
    c["socket"] = shift(rng, 58.0, 28237.0, FAULT, 0.01, ramp=60)
    c["cpu"] = shift(rng, 0.129, 0.311, FAULT, 0.08)
    c["latency-90"] = shift(rng, 0.0274, 9.8840, FAULT + 55, 0.05, ramp=10)
    c["latency-50"] = shift(rng, 0.0063, 4.0215, FAULT + 55, 0.2, ramp=10)
    series["carts-db"]["socket"] = shift(rng, 31.0, 9.0, FAULT + 52, 0.08, ramp=6)
    series["carts-db"]["workload"] = shift(rng, 12.5, 0.6, FAULT + 52, 0.3, ramp=6)
    series["front-end"]["latency-90"] = shift(rng, 0.0701, 10.1120, FAULT + 56, 0.05, ramp=10)
    series["orders"]["latency-90"] = shift(rng, 0.1497, 10.3310, FAULT + 56, 0.05, ramp=10)
    catdb_cpu = series["catalogue-db"]["cpu"]
    series["catalogue-db"]["cpu"] = lambda i: catdb_cpu(i) * (0.05 if 183 <= i < 201 else 1.0)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, columns, 4)
        for name, columns in series.items()
    }
    files.update(
        {
            "logs/front-end.log": front.render(),
            "logs/orders.log": orders.render(),
            "logs/carts.log": carts.render(),
            "logs/carts-db.log": mongo.render(),
            "logs/catalogue-db.log": catdb.render(),
        }
    )
    return Bundle(
        question="Sock Shop: adding to cart and checkout return 500 since about 05:35 UTC. Which service is the root cause?",
        category="network",
        component="carts",
        statement="From 05:33:20 UTC the carts container's open sockets climb from about 60 to over 28,000; by about 05:35 its MongoDB driver can no longer open connections to carts-db (`java.net.BindException: Cannot assign requested address`), its requests wait 10 s for a server and fail, so the cart page, add-to-cart and orders' calls to carts answer 500.",
        files=files,
        proofs=[
            Proof("metrics/carts.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 60)),
            Proof("logs/carts.log", "05:35:02.088", "Cannot assign requested address"),
        ],
        decoys=["connections now open", "500 Internal Server Error", "mysqld: Shutdown complete"],
    )
