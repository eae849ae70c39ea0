# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one wide CSV at 5 s): network delay (tc netem, about 900 ms)
injected on shipping's interface from 13:19:10 UTC. shipping's own log stays ordinary (its
handler times are fast; the delay is on the wire); its latency series jumps first. orders'
RestTemplate calls to shipping hit the 1 s read timeout and orders answers 500, the front-end
logs `POST /orders 500`. Decoys: payment's routine declines over the amount limit, carts' slow
MongoDB query warning, and queue-master's RabbitMQ reconnect before the fault."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Logfmt, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 2, 17, 13, 5, tzinfo=UTC)
MINUTES = 30
STEP = 5
FAULT = (14 * 60 + 10) // STEP


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "DEBUG",
            f"Order {uid(rng)} created for customer {uid(rng)} total {rng.randrange(10, 99)}.{rng.randrange(100):02d}",
            (),
        )
    if roll < 0.6:
        return (
            "INFO",
            f"Sending payment request: PaymentRequest{{address=Address{{id='{uid(rng)}'}}, amount={rng.randrange(10, 99)}.{rng.randrange(100):02d}}}",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
            (),
        )
    return "INFO", f"Sending shipment request for order {uid(rng)}", ()


def orders_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://shipping/shipping": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out] with root cause',
        tuple(
            java_trace(
                "java.net.SocketTimeoutException: Read timed out",
                [
                    "java.base/java.net.SocketInputStream.socketRead0(Native Method)",
                    "java.base/java.net.SocketInputStream.read(SocketInputStream.java:168)",
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:666)",
                    "works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:121)",
                ],
                more=rng.randrange(60, 70),
            )
        ),
    )


def shipping_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"Adding shipment to queue: Shipment{{id='{uid(rng)}', name='{uid(rng)}'}}",
            (),
        )
    if roll < 0.8:
        return "DEBUG", f"Completed 201 CREATED in {rng.randrange(2, 9)}ms", ()
    return "INFO", "GET /health 200", ()


def payment_line(rng: random.Random) -> Line:
    if rng.random() < 0.96:
        return (
            "INFO",
            f"method=Authorise result=true took={rng.randrange(40, 300)}.{rng.randrange(1000):03d}µs",
            (),
        )
    return (
        "INFO",
        f'method=Authorise result=false took={rng.randrange(40, 300)}µs err="Payment declined: amount exceeds {rng.choice([100, 105])}.00"',
        (),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?size=5",
            "/cart",
            "/customers/" + uid(rng),
            "/catalogue/" + uid(rng),
            "/orders",
        ]
    )
    method = "POST" if path == "/orders" else "GET"
    status = 201 if method == "POST" else 200
    return "INFO", f"{method} {path} {status} {rng.randrange(4, 120)}ms", ()


def bundle() -> Bundle:
    rng = random.Random(42717)
    boot = (
        "works.weave.socks.orders.controllers.OrdersController",
        "works.weave.socks.orders.services.AsyncGetService",
        "o.s.web.servlet.DispatcherServlet",
    )
    orders = LogFile("logs/orders.log", SpringBoot(boot, rng=rng))
    orders.add(traffic(rng, orders_line, START, MINUTES, 2300))
    orders.add(
        [
            at(
                START,
                14.31,
                "WARN",
                'Shipping call failed for order 67b3c1e09a2f4d51c8e70b3a: I/O error on POST request for "http://shipping/shipping": Read timed out after 1000 ms',
                logger="works.weave.socks.orders.services.AsyncGetService",
            )
        ]
    )
    orders.add(loud(rng, START, 14.4, MINUTES - 14.5, 240, orders_timeout))
    ship_loggers = (
        "works.weave.socks.shipping.controllers.ShippingController",
        "o.s.web.servlet.DispatcherServlet",
    )
    shipping = LogFile("logs/shipping.log", SpringBoot(ship_loggers, rng=rng))
    shipping.add(traffic(rng, shipping_line, START, MINUTES, 1100))
    payment = LogFile("logs/payment.log", Logfmt("payment", rng=rng))
    payment.add(traffic(rng, payment_line, START, MINUTES, 1300))
    front = LogFile("logs/front-end.log", Logfmt("front-end", rng=rng))
    front.add(traffic(rng, front_line, START, MINUTES, 3100))
    front.add(
        loud(
            rng,
            START,
            14.45,
            MINUTES - 14.6,
            230,
            fixed(
                "ERROR",
                lambda r: (
                    f'POST /orders 500 {r.randrange(1005, 1090)}ms error="Internal Server Error" customer={uid(r)}'
                ),
            ),
        )
    )
    carts_loggers = (
        "works.weave.socks.cart.controllers.CartsController",
        "org.mongodb.driver.protocol.command",
    )
    carts = LogFile("logs/carts.log", SpringBoot(carts_loggers, rng=rng))
    carts.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"GET /carts/{uid(r)}/items 200 {r.randrange(3, 40)}ms"),
            START,
            MINUTES,
            1500,
        )
    )
    carts.add(
        [
            at(
                START,
                22.7,
                "WARN",
                "Execution of command with request id 8813 completed slowly: find on data.item took 612 ms",
                logger="org.mongodb.driver.protocol.command",
            )
        ]
    )
    queue = LogFile(
        "logs/queue-master.log",
        SpringBoot(
            (
                "o.s.a.r.l.SimpleMessageListenerContainer",
                "works.weave.socks.queuemaster.ShippingTaskHandler",
            ),
            rng=rng,
        ),
    )
    queue.add(
        traffic(
            rng, fixed("INFO", lambda r: f"Received shipment task: {uid(r)}"), START, MINUTES, 700
        )
    )
    queue.add(
        [
            at(
                START,
                4.2,
                "WARN",
                "Consumer raised exception, processing can restart if the connection factory supports it. Exception summary: org.springframework.amqp.AmqpConnectException: java.net.ConnectException: Connection refused (Connection refused)",
                logger="o.s.a.r.l.SimpleMessageListenerContainer",
            ),
            at(
                START,
                4.3,
                "INFO",
                "Restarting Consumer@5d1f2b7: tags=[{}], channel=null, acknowledgeMode=AUTO local queue size=0",
                logger="o.s.a.r.l.SimpleMessageListenerContainer",
            ),
        ]
    )
    levels = {
        "front-end": (0.081, 88.2, (0.0121, 0.0398), 31.5),
        "orders": (0.064, 412.7, (0.0311, 0.0802), 4.1),
        "shipping": (0.021, 301.4, (0.0036, 0.0091), 4.1),
        "payment": (0.006, 9.8, (0.0009, 0.0022), 4.1),
        "carts": (0.071, 388.0, (0.0088, 0.0241), 22.9),
        "catalogue": (0.019, 11.6, (0.0041, 0.0107), 40.3),
        "user": (0.027, 14.9, (0.0052, 0.0133), 18.2),
        "queue-master": (0.012, 270.5, (0.0019, 0.0048), 4.0),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    s = services["shipping"]
    s["latency-50"] = shift(rng, 0.0036, 0.9071, FAULT, 0.05)
    s["latency-90"] = shift(rng, 0.0091, 0.9662, FAULT, 0.05)
    o = services["orders"]
    o["latency-50"] = shift(rng, 0.0311, 1.0412, FAULT + 1, 0.04)
    o["latency-90"] = shift(rng, 0.0802, 1.0921, FAULT + 1, 0.04)
    services["front-end"]["latency-90"] = shift(rng, 0.0398, 0.2211, FAULT + 1, 0.1)
    services["shipping"]["workload"] = shift(rng, 4.1, 3.2, FAULT + 2, 0.06)
    points = MINUTES * 60 // STEP
    return Bundle(
        question="Since about 13:19 UTC customers cannot place orders on the sock shop (POST /orders returns 500). Which service is the root cause?",
        category="network",
        component="shipping",
        statement="From 13:19:10 UTC network delay of about 900 ms was injected on shipping: its latency jumps from ~4 ms to ~0.9 s while its own log stays normal, so orders' POST to http://shipping/shipping exceeds the 1 s read timeout and orders answers 500 to the front-end.",
        files={
            "metrics/sock-shop.csv": wide_csv(START, STEP, points, services),
            "logs/front-end.log": front.render(),
            "logs/orders.log": orders.render(),
            "logs/shipping.log": shipping.render(),
            "logs/payment.log": payment.render(),
            "logs/carts.log": carts.render(),
            "logs/queue-master.log": queue.render(),
        },
        proofs=[
            Proof("metrics/sock-shop.csv", stamp(START, STEP, FAULT)),
            Proof("logs/orders.log", "Shipping call failed for order 67b3c1e09a2f4d51c8e70b3a"),
        ],
        decoys=[
            "Payment declined: amount exceeds",
            "completed slowly: find on data.item",
            "AmqpConnectException",
        ],
    )
