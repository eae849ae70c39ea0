# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one CSV per service, databases included): about 600 ms of
network delay (tc netem) on the carts-db pod from 17:19:33 UTC. MongoDB itself stays fast (its
log shows commands at 0 ms) but every round trip from carts now takes over half a second, and
carts does several per request, so carts' latency climbs to seconds one sample later. The
driver opens more connections as its pool stays busy. Loud: orders' `Unable to create order due
to timeout from one of the services.` and the front-end's 500s on POST /orders and slow /cart.
The on-call note pastes a ping from the carts pod. Decoys: orders' timeout message (it names no
service), carts-db's rising connection count, a stale catalogue-db aborted connection at 17:09,
and carts' own latency (a knock-on)."""

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Pino, Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 10, 30, 17, 5, tzinfo=UTC)
MINUTES = 30
POINTS = MINUTES * 60
FAULT = 14 * 60 + 33


def oid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


class Mongo:
    """MongoDB 3.4's text log."""

    def render(self, record: Record) -> list[str]:
        text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+0000"
        )
        return [f"{text} {record.message}"]


class MysqlError:
    """MySQL 5.7's error log."""

    def render(self, record: Record) -> list[str]:
        text = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        return [f"{text} {record.message}"]


def cartsdb(connections: tuple[int, int]) -> Callable[[random.Random], Line]:
    def line(rng: random.Random) -> Line:
        conn = rng.randrange(300, 900)
        roll = rng.random()
        if roll < 0.12:
            return (
                "INFO",
                f"I NETWORK  [thread1] connection accepted from 10.244.1.18:{rng.randrange(33000, 60000)} #{conn} ({rng.randrange(*connections)} connections now open)",
                (),
            )
        if roll < 0.2:
            return (
                "INFO",
                f'I NETWORK  [conn{conn}] received client metadata from 10.244.1.18:{rng.randrange(33000, 60000)} conn{conn}: {{ driver: {{ name: "mongo-java-driver", version: "3.2.2" }}, os: {{ type: "Linux", name: "Linux", architecture: "amd64", version: "5.15.0-1051-aws" }}, platform: "Java/Oracle Corporation/1.8.0_111-internal-alpine-r0-b14" }}',
                (),
            )
        if roll < 0.6:
            return (
                "INFO",
                f'I COMMAND  [conn{conn}] command data.cart command: find {{ find: "cart", filter: {{ customerId: "{oid(rng)}" }} }} planSummary: COLLSCAN keysExamined:0 docsExamined:{rng.randrange(40, 400)} cursorExhausted:1 numYields:{rng.randrange(0, 4)} nreturned:1 reslen:{rng.randrange(300, 900)} locks:{{ Global: {{ acquireCount: {{ r: 2 }} }} }} protocol:op_query 0ms',
                (),
            )
        if roll < 0.9:
            return (
                "INFO",
                f'I WRITE    [conn{conn}] update data.item query: {{ _id: ObjectId(\'{oid(rng)}\') }} planSummary: IDHACK update: {{ _class: "works.weave.socks.cart.entities.Item", itemId: "{oid(rng)}", quantity: {rng.randrange(1, 4)}, unitPrice: {rng.choice(["12.0", "15.0", "17.32", "99.99"])} }} keysExamined:1 docsExamined:1 nMatched:1 nModified:1 numYields:0 locks:{{}} 0ms',
                (),
            )
        return (
            "INFO",
            f"I -        [conn{conn}] end connection 10.244.1.18:{rng.randrange(33000, 60000)} ({rng.randrange(*connections)} connections now open)",
            (),
        )

    return line


def carts_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "DEBUG", f"GET /carts/{oid(rng)}/items 200", ()
    if roll < 0.8:
        return "DEBUG", f"POST /carts/{oid(rng)}/items 201", ()
    return "DEBUG", f"Merging carts for customer id: {oid(rng)} and session id: {oid(rng)}", ()


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"Order created: {oid(rng)} customer={oid(rng)} total={rng.randrange(10, 99)}.{rng.randrange(100):02d}",
            (),
        )
    return (
        "DEBUG",
        "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
        (),
    )


def orders_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.IllegalStateException: Unable to create order due to timeout from one of the services.] with root cause",
        tuple(
            java_trace(
                "java.util.concurrent.TimeoutException: null",
                [
                    "java.util.concurrent.FutureTask.get(FutureTask.java:205)",
                    "works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:98)",
                    "sun.reflect.GeneratedMethodAccessor93.invoke(Unknown Source)",
                ],
                more=44,
            )
        ),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?page=1&size=6",
            "/cart",
            f"/customers/{oid(rng)}",
            "/catalogue/size",
            "/tags",
            f"/catalogue/{oid(rng)}",
            "/orders",
            "/cart",
        ]
    )
    return "INFO", f"GET {path} 200 {rng.randrange(3, 90)}ms", ()


def front_slow(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return "INFO", f"GET /cart 200 {rng.randrange(1800, 6500)}ms", ()
    return "INFO", f"POST /cart 201 {rng.randrange(1800, 5000)}ms", ()


def front_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"POST /orders 500 {rng.randrange(9000, 10400)}ms - Error: Request to orders failed: 500 Internal Server Error",
        (),
    )


NOTES = """Checkout broken, 30 Oct (Marta, on call)

17:21  alerts: front-end 5xx on POST /orders, /cart p99 > 5 s
17:24  orders pods fine, CPU idle. carts pods fine, CPU idle too (lower than usual).
17:27  from inside the carts pod:

    $ kubectl -n sock-shop exec deploy/carts -- ping -c 4 carts-db
    PING carts-db (10.244.3.9): 56 data bytes
    64 bytes from 10.244.3.9: seq=0 ttl=62 time=603.412 ms
    64 bytes from 10.244.3.9: seq=1 ttl=62 time=601.977 ms
    64 bytes from 10.244.3.9: seq=2 ttl=62 time=604.105 ms
    64 bytes from 10.244.3.9: seq=3 ttl=62 time=602.630 ms

    --- carts-db ping statistics ---
    4 packets transmitted, 4 packets received, 0% packet loss
    round-trip min/avg/max = 601.977/603.031/604.105 ms

    $ kubectl -n sock-shop exec deploy/carts -- ping -c 2 catalogue-db
    64 bytes from 10.244.2.14: seq=0 ttl=62 time=0.412 ms
    64 bytes from 10.244.2.14: seq=1 ttl=62 time=0.388 ms

17:30  attached: per-service metrics (RE2 export), logs of front-end, orders, carts,
       carts-db and catalogue-db (catalogue-db had a blip earlier today).
"""


def bundle() -> Bundle:
    rng = random.Random(1172)
    fault = FAULT / 60
    after = MINUTES - fault
    db = LogFile("logs/carts-db.log", Mongo())
    db.add(traffic(rng, cartsdb((9, 12)), START, fault, 1700))
    db.add(
        traffic(rng, cartsdb((38, 61)), START + timedelta(minutes=fault + 0.2), after - 0.2, 420)
    )
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(
            (
                "works.weave.socks.cart.controllers.ItemsController",
                "works.weave.socks.cart.controllers.CartsController",
            ),
            rng=rng,
        ),
    )
    carts.add(traffic(rng, carts_line, START, fault, 1300))
    carts.add(traffic(rng, carts_line, START + timedelta(minutes=fault), after, 330))
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(("works.weave.socks.orders.controllers.OrdersController",), rng=rng),
    )
    orders.add(traffic(rng, orders_line, START, fault, 450))
    orders.add(traffic(rng, orders_line, START + timedelta(minutes=fault), after, 60))
    orders.add(loud(rng, START, fault + 0.1, after - 0.2, 310, orders_timeout))
    front = LogFile("logs/front-end.log", Pino("front-end-6649b9c6b7-lm8rx", rng=rng))
    front.add(traffic(rng, front_line, START, MINUTES, 3600))
    front.add(loud(rng, START, fault + 0.05, after - 0.1, 700, front_slow))
    front.add(loud(rng, START, fault + 0.2, after - 0.3, 300, front_failure))
    catdb = LogFile("logs/catalogue-db.log", MysqlError())
    catdb.add(
        [
            at(
                START,
                4.3,
                "WARN",
                "1377 [Note] Aborted connection 1377 to db: 'socksdb' user: 'catalogue_user' host: '10.244.2.7' (Got an error reading communication packets)",
            ),
            at(
                START,
                4.31,
                "WARN",
                "1379 [Note] Aborted connection 1379 to db: 'socksdb' user: 'catalogue_user' host: '10.244.2.7' (Got an error reading communication packets)",
            ),
            at(
                START,
                4.33,
                "WARN",
                "1381 [Note] Aborted connection 1381 to db: 'socksdb' user: 'catalogue_user' host: '10.244.2.7' (Got an error reading communication packets)",
            ),
        ]
    )
    levels = {
        "front-end": (0.172, 99, (0.0108, 0.0581), 41.9),
        "carts": (0.124, 393, (0.0062, 0.0207), 11.2),
        "carts-db": (0.016, 97, (0.0011, 0.0034), 33.6),
        "catalogue": (0.036, 15, (0.0029, 0.0081), 25.1),
        "catalogue-db": (0.021, 214, (0.0008, 0.0023), 25.0),
        "orders": (0.094, 409, (0.0401, 0.1169), 2.7),
        "orders-db": (0.012, 87, (0.0009, 0.0027), 5.4),
        "payment": (0.008, 9, (0.0009, 0.0026), 2.7),
        "shipping": (0.044, 367, (0.0078, 0.0249), 2.7),
        "user": (0.039, 12, (0.0043, 0.0127), 9.2),
        "user-db": (0.018, 70, (0.0006, 0.0019), 9.1),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    cdb = services["carts-db"]
    cdb["latency-50"] = shift(rng, 0.0011, 0.6038, FAULT, 0.02)
    cdb["latency-90"] = shift(rng, 0.0034, 0.6127, FAULT, 0.03)
    cdb["workload"] = shift(rng, 33.6, 12.1, FAULT + 2, 0.08, ramp=10)
    cdb["cpu"] = shift(rng, 0.016, 0.011, FAULT + 2, 0.1)
    c = services["carts"]
    c["latency-50"] = shift(rng, 0.0062, 1.8240, FAULT + 1, 0.12, ramp=8)
    c["latency-90"] = shift(rng, 0.0207, 3.6610, FAULT + 1, 0.12, ramp=8)
    c["cpu"] = shift(rng, 0.124, 0.071, FAULT + 2, 0.1)
    c["workload"] = shift(rng, 11.2, 6.3, FAULT + 8, 0.08)
    services["orders"]["latency-90"] = shift(rng, 0.1169, 10.0420, FAULT + 4, 0.05, ramp=10)
    services["front-end"]["latency-90"] = shift(rng, 0.0581, 5.3120, FAULT + 4, 0.15, ramp=15)
    services["orders-db"]["workload"] = shift(rng, 5.4, 1.1, FAULT + 10, 0.1)
    files = {
        f"metrics/{name}.csv": unix_rows(START, 1, POINTS, series, 4)
        for name, series in services.items()
    }
    files |= {
        "logs/front-end.log": front.render(),
        "logs/orders.log": orders.render(),
        "logs/carts.log": carts.render(),
        "logs/carts-db.log": db.render(),
        "logs/catalogue-db.log": catdb.render(),
        "notes.md": NOTES,
    }
    return Bundle(
        question="Since about 17:20 UTC Sock Shop checkouts fail with 500 and the cart page takes seconds. Which service is the root cause?",
        category="network",
        component="carts-db",
        statement="From 17:19:33 UTC about 600 ms of network delay on the carts-db pod makes every MongoDB round trip from carts take over half a second (carts-db itself answers in 0 ms), so the cart service's latency climbs to seconds, orders' cart lookups time out and checkouts fail with 500.",
        files=files,
        proofs=[
            Proof("metrics/carts-db.csv", stamp(START, 1, FAULT), stamp(START, 1, FAULT + 3)),
            Proof("notes.md", "seq=0 ttl=62 time=603.412 ms", "round-trip min/avg/max"),
        ],
        decoys=[
            "Unable to create order due to timeout from one of the services.",
            "connections now open",
            "Aborted connection 1377",
        ],
    )
