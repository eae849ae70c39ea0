# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one CSV per service with a `socket` series): socket
exhaustion injected in the orders container from 06:21:10 UTC (a stressor opening TCP
connections and leaving them in TIME_WAIT until the ephemeral ports are used up). orders'
socket count climbs first; about a minute later its outgoing calls to user, carts, payment and
shipping fail with `java.net.BindException: Cannot assign requested address`, so front-end's
POST /orders answers 500. Decoys: carts' MongoDB slow-operation warning, payment's
declined-card notice, and front-end's loud 500s."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Logfmt, Pino, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 8, 21, 6, 2, tzinfo=UTC)
MINUTES = 34
STEP = 1
FAULT = 19 * 60 + 10
TARGETS = [
    ("user", "/customers/{}"),
    ("carts", "/carts/{}/items"),
    ("payment", "/paymentAuth"),
    ("shipping", "/shipping"),
]


def cid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"Order {cid(rng)} created for customer {cid(rng)}, total {rng.randrange(5, 140)}.{rng.randrange(100):02d}",
            (),
        )
    if roll < 0.75:
        return (
            "DEBUG",
            f"Calling {rng.choice(['http://user/customers/', 'http://carts/carts/'])}{cid(rng)}",
            (),
        )
    return (
        "INFO",
        f"Received payment response: authorised=true, message=Payment authorised (took {rng.randrange(8, 60)} ms)",
        (),
    )


def orders_error(rng: random.Random) -> Line:
    svc, path = rng.choice(TARGETS)
    url = f"http://{svc}{path.format(cid(rng))}"
    return (
        "ERROR",
        f'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.web.client.ResourceAccessException: I/O error on GET request for "{url}": Cannot assign requested address (connect failed)] with root cause',
        tuple(
            java_trace(
                "java.net.BindException: Cannot assign requested address (connect failed)",
                [
                    "java.net.PlainSocketImpl.socketConnect(Native Method)",
                    "java.net.AbstractPlainSocketImpl.doConnect(AbstractPlainSocketImpl.java:350)",
                    "java.net.Socket.connect(Socket.java:607)",
                    "org.apache.http.conn.socket.PlainConnectionSocketFactory.connectSocket(PlainConnectionSocketFactory.java:75)",
                    "works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:86)",
                ],
                more=88,
            )
        ),
    )


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?size=6",
            "/cart",
            "/customers/" + cid(rng),
            "/orders",
            "/catalogue/" + cid(rng),
            "/tags",
        ]
    )
    method = "POST" if path == "/orders" and rng.random() < 0.5 else "GET"
    return (
        "INFO",
        f"{method} {path} {201 if method == 'POST' else 200} {rng.randrange(4, 90)}ms",
        (),
    )


def frontend_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        "POST /orders 500 - Error: Internal Server Error (upstream http://orders/orders)",
        (),
    )


def carts_line(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return "DEBUG", f"Found cart {cid(rng)} with {rng.randrange(0, 7)} items", ()
    return "INFO", f"Merging cart for customer {cid(rng)}", ()


def bundle() -> Bundle:
    rng = random.Random(368_2215)
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            ("w.w.s.orders.controllers.OrdersController", "w.w.s.orders.services.AsyncGetService"),
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, MINUTES, 2600))
    orders.add(
        [
            at(
                START,
                20.28,
                "WARN",
                "Failed to connect to payment/10.39.240.17:80: Cannot assign requested address (connect failed); retrying (1/3)",
                logger="o.a.http.impl.execchain.RetryExec",
            )
        ]
    )
    orders.add(loud(rng, START, 20.4, MINUTES - 20.6, 230, orders_error))
    front = LogFile("logs/front-end.log", Pino("front-end-7c94f8b6d9-x2kfw", rng=rng))
    front.add(traffic(rng, frontend_line, START, MINUTES, 3100))
    front.add(loud(rng, START, 20.45, MINUTES - 20.6, 240, frontend_error))
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(("w.w.s.cart.controllers.CartsController", "w.w.s.cart.cart.CartDAO"), rng=rng),
    )
    carts.add(traffic(rng, carts_line, START, MINUTES, 1900))
    carts.add(
        [
            at(
                START,
                8.7,
                "WARN",
                "Slow operation: find carts.cart {customerId: ?} planSummary: COLLSCAN docsExamined:88412 took 1312ms",
                logger="org.mongodb.driver.protocol.command",
            )
        ]
    )
    payment = LogFile("logs/payment.log", Logfmt("payment", rng=rng))
    payment.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"Payment authorised for {r.randrange(5, 140)}.{r.randrange(100):02d} in {r.randrange(1, 9)}ms",
                (),
            ),
            START,
            MINUTES,
            1100,
        )
    )
    payment.add(
        [
            at(
                START,
                13.1,
                "WARN",
                "Payment declined: amount 412.30 exceeds authorisation limit 400.00",
            )
        ]
    )
    levels = {
        "front-end": (0.061, 81.4, (0.0112, 0.0427), 48.0),
        "orders": (0.142, 402.7, (0.0621, 0.1804), 6.2),
        "carts": (0.118, 377.1, (0.0089, 0.0331), 31.4),
        "user": (0.041, 12.8, (0.0041, 0.0139), 22.7),
        "payment": (0.012, 8.9, (0.0018, 0.0052), 6.1),
        "shipping": (0.097, 351.6, (0.0102, 0.0297), 6.0),
        "catalogue": (0.033, 11.2, (0.0037, 0.0101), 39.5),
        "queue-master": (0.071, 318.4, (0.0071, 0.0204), 5.9),
    }
    services = {}
    for name, v in levels.items():
        series = usual_series(rng, *v)
        base = rng.uniform(30, 120)
        series["socket"] = shift(rng, base, base, 0, 0.05)
        services[name] = series
    o = services["orders"]
    o["socket"] = shift(rng, 74.0, 28230.0, FAULT, 0.02, ramp=55)
    o["cpu"] = shift(rng, 0.142, 0.233, FAULT, 0.1)
    o["latency-90"] = shift(rng, 0.1804, 1.66, FAULT + 70, 0.15)
    for name in ("payment", "shipping"):
        w = levels[name][3]
        services[name]["workload"] = shift(rng, w, w * 0.08, FAULT + 68, 0.2)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": fn for m, fn in series.items()}, 4
        )
        for name, series in services.items()
    }
    files |= {
        "logs/orders.log": orders.render(),
        "logs/front-end.log": front.render(),
        "logs/carts.log": carts.render(),
        "logs/payment.log": payment.render(),
    }
    return Bundle(
        question="Customers can browse but every checkout fails with a 500 since roughly 06:22 UTC. Which service is responsible and what happened?",
        category="network",
        component="orders",
        statement="From 06:21:10 UTC the orders container runs out of ephemeral ports (its socket count climbs from ~70 to ~28000), so its outgoing HTTP calls to user, carts, payment and shipping fail with `Cannot assign requested address` and POST /orders returns 500.",
        files=files,
        proofs=[
            Proof("metrics/orders.csv", stamp(START, STEP, FAULT)),
            Proof("logs/orders.log", "Failed to connect to payment/10.39.240.17:80"),
        ],
        decoys=[
            "docsExamined:88412",
            "exceeds authorisation limit",
            "POST /orders 500",
        ],
    )
