# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one wide CSV): packet loss (tc netem loss 35%) injected on the
user service's interface from 17:44:10 UTC. user's CPU and memory stay flat and its go-kit log
keeps printing ordinary Login/GetCustomer lines, but `took=` grows to seconds as TCP retransmits;
its latency columns move first. front-end's logins and customer lookups fail with
ESOCKETTIMEDOUT, and orders cannot fetch the customer's address and card, so checkouts fail.
Decoys: a carts JVM heap warning, catalogue's unknown sock id, shipping's RabbitMQ reconnect,
and orders' own address lookup errors."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Record, SpringBoot, iso_millis
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 6, 9, 17, 20, tzinfo=UTC)
MINUTES = 45
STEP = 5
FAULT = (24 * 60 + 10) // STEP
NAMES = ["lmoreau", "okafor_b", "tschulz", "priya.n", "jdrake", "mkowalski", "aferreira", "hsato"]


@dataclass
class GoKit:
    """go-kit's logfmt logger: `ts=... caller=... key=value ...`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        caller = record.logger or self.rng.choice(
            ["logging.go:41", "logging.go:58", "logging.go:74"]
        )
        return [f"ts={iso_millis(record.time)} caller={caller} {record.message}"]


@dataclass
class FrontEnd:
    """front-end's console: Node's `console.log` lines as the Sock Shop front-end prints them."""

    def render(self, record: Record) -> list[str]:
        return [record.message, *record.trailer]


def cid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def user_line(rng: random.Random, slow: bool = False) -> Line:
    took = f"{rng.uniform(1.1, 6.3):.4f}s" if slow else f"{rng.uniform(1.2, 9.8):.6f}ms"
    roll = rng.random()
    if roll < 0.4:
        return "INFO", f"method=Login username={rng.choice(NAMES)} err=null took={took}", ()
    if roll < 0.75:
        return "INFO", f"method=GetUsers id={cid(rng)} result=1 err=null took={took}", ()
    if roll < 0.9:
        return "INFO", f"method=GetAddresses id={cid(rng)} result=1 err=null took={took}", ()
    return "INFO", f"method=GetCards id={cid(rng)} result=1 err=null took={took}", ()


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?size=6",
            "/cart",
            "/tags",
            "/catalogue/size",
            "/customers/" + cid(rng),
            "/login",
            "/orders",
        ]
    )
    return (
        "INFO",
        f"GET {path} 200 {rng.randrange(3, 90)}.{rng.randrange(100, 999)} ms - {rng.randrange(40, 4000)}",
        (),
    )


def front_error(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return (
            "ERROR",
            "Error: ESOCKETTIMEDOUT",
            (
                "    at ClientRequest.<anonymous> (/usr/src/app/node_modules/request/request.js:816:19)",
                "    at Object.onceWrapper (events.js:313:30)",
                "    at emitNone (events.js:106:13)",
                "    at ClientRequest.emit (events.js:208:7)",
                "    at Socket.emitRequestTimeout (_http_client.js:662:40)",
            ),
        )
    return (
        "ERROR",
        f"GET /login 500 {rng.randrange(5000, 5100)}.{rng.randrange(100, 999)} ms - 21",
        (),
    )


def orders_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"Order created with id {cid(rng)} and total {rng.randrange(10, 140)}.{rng.randrange(10, 99)}",
        (),
    )


def orders_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://user/customers/'
        + cid(rng)
        + '/addresses": Read timed out] with root cause',
        tuple(
            java_trace(
                "java.net.SocketTimeoutException: Read timed out",
                [
                    "java.net.SocketInputStream.socketRead0(Native Method)",
                    "java.net.SocketInputStream.read(SocketInputStream.java:170)",
                    "org.apache.http.impl.io.SessionInputBufferImpl.fillBuffer(SessionInputBufferImpl.java:153)",
                    "works.weave.socks.orders.services.AsyncGetService.getResource(AsyncGetService.java:49)",
                ],
                more=62,
            )
        ),
    )


def bundle() -> Bundle:
    rng = random.Random(55301)
    user = LogFile("logs/user.log", GoKit(rng))
    user.add(traffic(rng, user_line, START, 24.15, 2100))
    user.add(
        loud(rng, START, 24.2, MINUTES - 24.3, 1400, lambda r: user_line(r, slow=r.random() < 0.3))
    )
    front = LogFile("logs/front-end.log", FrontEnd())
    front.add(traffic(rng, front_line, START, MINUTES, 3400))
    front.add(loud(rng, START, 24.9, MINUTES - 25.0, 380, front_error))
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            ("w.w.s.o.controllers.OrdersController", "o.a.c.c.C.[.[.[/].[dispatcherServlet]"),
            pid=1,
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, MINUTES, 600))
    orders.add(
        [
            at(
                START,
                24.7,
                "WARN",
                "Address lookup for customer 5f2c91e0a7b34d18c6e09f3a took 4871 ms (http://user/customers/5f2c91e0a7b34d18c6e09f3a/addresses), retrying once",
            )
        ]
    )
    orders.add(loud(rng, START, 25.1, MINUTES - 25.2, 160, orders_error))
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(
            ("w.w.s.cart.controllers.ItemsController", "w.w.s.cart.cart.CartResource"),
            pid=1,
            rng=rng,
        ),
    )
    carts.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"Adding item to cart {cid(r)}: Item{{id='{cid(r)}', itemId='{r.choice(['03fef6ac-1896-4ce8-bd69-b798f85c6e0b', 'd3588630-ad8e-49df-bbd7-3167f7efb246', 'a0a4f044-b040-410d-8ead-4de0446aec7e'])}', quantity=1}}",
                (),
            ),
            START,
            MINUTES,
            900,
        )
    )
    carts.add(
        [
            at(
                START,
                9.3,
                "WARN",
                "Heap usage 81% of max 768M after full GC (G1 Old Generation), consider raising -Xmx",
            )
        ]
    )
    catalogue = LogFile("logs/catalogue.log", GoKit(rng))
    catalogue.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"method=List tags= order=id pageNum=1 pageSize={r.choice([6, 9, 100])} result={r.choice([6, 9])} err=null took={r.uniform(0.9, 4.5):.6f}ms",
                (),
            ),
            START,
            MINUTES,
            1500,
        )
    )
    catalogue.add(
        [
            at(
                START,
                31.8,
                "INFO",
                "method=Get id=zzz4f044-b040-410d-8ead-4de0446aec7e sock=null err=not found took=1.104522ms",
            )
        ]
    )
    shipping = LogFile(
        "logs/shipping.log",
        SpringBoot(
            ("w.w.s.s.controllers.ShippingController", "o.s.a.r.l.SimpleMessageListenerContainer"),
            pid=1,
            rng=rng,
        ),
    )
    shipping.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"Adding shipment to queue... Shipment{{id='{cid(r)}', name='{cid(r)}'}}",
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
                6.1,
                "WARN",
                "Consumer raised exception, processing can restart if the connection factory supports it. Exception summary: org.springframework.amqp.AmqpConnectException: java.net.ConnectException: Connection refused (Connection refused)",
            ),
            at(
                START,
                6.3,
                "INFO",
                "Restarting Consumer@2c4f1a9: tags=[{}], channel=null, acknowledgeMode=AUTO local queue size=0",
            ),
        ]
    )
    levels = {
        "front-end": (0.082, 88.4, (0.011, 0.052), 41.2),
        "user": (0.041, 9.6, (0.004, 0.011), 22.7),
        "user-db": (0.037, 71.2, (0.002, 0.006), 22.9),
        "orders": (0.071, 402.3, (0.041, 0.12), 3.1),
        "carts": (0.093, 431.8, (0.009, 0.034), 17.4),
        "catalogue": (0.028, 8.1, (0.003, 0.008), 30.6),
        "payment": (0.012, 6.3, (0.002, 0.005), 3.1),
        "shipping": (0.044, 377.1, (0.006, 0.019), 3.0),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    u = services["user"]
    u["latency-50"] = shift(rng, 0.004, 0.19, FAULT, 0.3)
    u["latency-90"] = shift(rng, 0.011, 3.24, FAULT, 0.2)
    u["workload"] = shift(rng, 22.7, 16.8, FAULT + 1, 0.1)
    services["front-end"]["latency-90"] = shift(rng, 0.052, 4.62, FAULT + 2, 0.1)
    services["orders"]["latency-90"] = shift(rng, 0.12, 5.1, FAULT + 2, 0.1)
    points = MINUTES * 60 // STEP
    files = {"metrics/data.csv": wide_csv(START, STEP, points, services)}
    for log in (user, front, orders, carts, catalogue, shipping):
        files[log.name] = log.render()
    return Bundle(
        question="Since about 17:45 UTC shoppers on the sock shop often cannot log in and checkouts fail with timeouts. What is the root cause and which service is it in?",
        category="network",
        component="user",
        statement="From 17:44:10 UTC packet loss injected on the user service's network interface makes its responses take seconds (TCP retransmissions) while its CPU, memory and errors stay normal; front-end's logins and orders' customer address lookups to user time out, so logins and checkouts fail.",
        files=files,
        proofs=[
            Proof("metrics/data.csv", stamp(START, STEP, FAULT)),
            Proof(
                "logs/orders.log",
                "Address lookup for customer 5f2c91e0a7b34d18c6e09f3a took 4871 ms",
            ),
        ],
        decoys=[
            "Heap usage 81% of max 768M",
            "sock=null err=not found",
            "AmqpConnectException: java.net.ConnectException",
            "Read timed out] with root cause",
        ],
    )
