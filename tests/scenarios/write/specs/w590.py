# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one wide CSV): packet loss (netem loss 40%) on payment's pod
from 22:52:20 UTC. payment's go-kit log only thins out (its authorisations still answer in
microseconds of work); its latency-90 series jumps first and its median much less. orders
(Spring Boot, logs in America/St_Johns local time) gets intermittent read timeouts and
connection resets on POST http://payment/paymentAuth and fails some orders; front-end logs
500s from /orders. Decoys: orders' MongoDB slow-operation warning, shipping's RabbitMQ
channel recovery, front-end's session store reconnect."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Record, SpringBoot
from scenes import at, loud
from traffic import Line, traffic

ZONE = ZoneInfo("America/St_Johns")
START = datetime(2026, 10, 21, 22, 30, tzinfo=UTC)
MINUTES = 40
STEP = 1
FAULT = (22 * 60 + 20) // STEP


class GoKit:
    """go-kit's logfmt logger as payment writes it."""

    def render(self, record: Record) -> list[str]:
        stamp_text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}417Z"
        )
        return [f"ts={stamp_text} {record.message}"]


class Morgan:
    """front-end (Node/Express) console: morgan lines and console.error output."""

    def render(self, record: Record) -> list[str]:
        return [
            f"{record.time.strftime('%Y-%m-%dT%H:%M:%S.')}{record.time.microsecond // 1000:03d}Z {record.message}"
        ]


def payment_line(rng: random.Random) -> Line:
    took = rng.randrange(4, 40)
    return (
        "INFO",
        f"caller=logging.go:{rng.choice([28, 41])} method=Authorise result=true took={took}.{rng.randrange(100, 999)}µs",
        (),
    )


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"Order created: {rng.getrandbits(96):024x} for customer {rng.getrandbits(96):024x} total {rng.randrange(10, 120)}.{rng.randrange(10, 99)}",
            (),
        )
    if roll < 0.8:
        return (
            "DEBUG",
            f"Sending payment request: PaymentRequest{{amount={rng.randrange(10, 120)}.{rng.randrange(10, 99)}}}",
            (),
        )
    return (
        "DEBUG",
        "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
        (),
    )


def orders_error(rng: random.Random) -> Line:
    reason = rng.choice(
        ["Read timed out", "Read timed out", "Connection reset", "connect timed out"]
    )
    return (
        "ERROR",
        f'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://payment/paymentAuth": {reason}]',
        (),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?size=6",
            "/cart",
            "/customers/" + f"{rng.getrandbits(96):024x}",
            "/tags",
            "/catalogue/size",
            "/orders",
        ]
    )
    method = "POST" if path == "/orders" and rng.random() < 0.5 else "GET"
    status = 201 if method == "POST" else 200
    return (
        "INFO",
        f"{method} {path} {status} {rng.randrange(3, 90)}.{rng.randrange(100, 999)} ms - {rng.randrange(40, 4000)}",
        (),
    )


def front_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"POST /orders 500 {rng.randrange(1100, 5200)}.{rng.randrange(100, 999)} ms - 187",
        (),
    )


def shipping_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"Adding shipment to queue... Shipment{{id='{rng.getrandbits(128):032x}', name='{rng.getrandbits(96):024x}'}}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(59003)
    payment = LogFile("logs/payment.log", GoKit())
    payment.add(traffic(rng, payment_line, START, 22.4, 820))
    payment.add(
        traffic(rng, payment_line, START.replace(minute=52, second=24), MINUTES - 22.4, 470)
    )
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            (
                "w.weave.works.orders.controllers.OrdersController",
                "w.weave.works.orders.services.AsyncGetService",
            ),
            1,
            random.Random(5901),
            ZONE,
        ),
    )
    orders.add(traffic(rng, orders_line, START, MINUTES, 2400))
    orders.add(
        [
            at(
                START,
                9.2,
                "WARN",
                'Slow query: {"type": "find", "ns": "data.customerOrder", "millis": 342} (org.mongodb.driver.protocol.command)',
                logger="org.mongodb.driver.protocol.command",
            )
        ]
    )
    orders.add(
        [
            at(
                START,
                22.71,
                "ERROR",
                'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://payment/paymentAuth": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out] with root cause',
                logger="o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            )
        ]
    )
    orders.add(loud(rng, START, 22.9, MINUTES - 23.0, 170, orders_error))
    front = LogFile("logs/front-end.log", Morgan())
    front.add(traffic(rng, front_line, START, MINUTES, 3300))
    front.add(loud(rng, START, 22.9, MINUTES - 23.0, 160, front_error))
    front.add(
        [
            at(
                START,
                14.6,
                "WARN",
                "Session store: connection to session-db:6379 lost, reconnecting (ECONNRESET)",
            ),
            at(START, 14.62, "INFO", "Session store: reconnected to session-db:6379"),
        ]
    )
    shipping = LogFile(
        "logs/shipping.log",
        SpringBoot(
            ("works.weave.socks.shipping.controllers.ShippingController",),
            1,
            random.Random(5902),
            ZONE,
        ),
    )
    shipping.add(traffic(rng, shipping_line, START, MINUTES, 300))
    shipping.add(
        [
            at(
                START,
                31.1,
                "WARN",
                "An unexpected connection driver error occured (Exception message: Connection reset)",
                logger="o.s.a.r.c.CachingConnectionFactory",
            ),
            at(
                START,
                31.2,
                "INFO",
                "Created new connection: rabbitConnectionFactory#5e9f23b4:2/SimpleConnection@4a3b1c2e [delegate=amqp://guest@10.42.3.19:5672/, localPort= 48810]",
                logger="o.s.a.r.c.CachingConnectionFactory",
            ),
        ]
    )
    levels = {
        "front-end": (0.152, 88.1, (0.0242, 0.0913), 46.0),
        "orders": (0.061, 401.2, (0.0319, 0.0804), 3.9),
        "payment": (0.004, 9.7, (0.0011, 0.0029), 3.9),
        "carts": (0.083, 377.5, (0.0087, 0.0251), 17.1),
        "catalogue": (0.021, 11.8, (0.0034, 0.0098), 29.9),
        "user": (0.018, 14.2, (0.0041, 0.0117), 12.0),
        "shipping": (0.022, 352.0, (0.0062, 0.0183), 3.8),
        "queue-master": (0.019, 341.6, (0.0021, 0.0066), 3.8),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    p = services["payment"]
    p["latency-50"] = shift(rng, 0.0011, 0.0026, FAULT, 0.4)
    p["latency-90"] = shift(rng, 0.0029, 1.038, FAULT, 0.35)
    p["workload"] = shift(rng, 3.9, 2.4, FAULT + 1, 0.15)
    o = services["orders"]
    o["latency-90"] = shift(rng, 0.0804, 2.91, FAULT + 2, 0.2)
    o["latency-50"] = shift(rng, 0.0319, 0.0611, FAULT + 2, 0.2)
    services["front-end"]["latency-90"] = shift(rng, 0.0913, 1.77, FAULT + 2, 0.2)
    points = MINUTES * 60 // STEP
    return Bundle(
        question="Since about 20:23 Newfoundland time (22:53 UTC) some customers get an error when placing an order, others wait seconds. What is the root cause?",
        category="network",
        component="payment",
        statement="From 22:52:20 UTC packet loss on payment's pod makes its p90 latency jump (0.003 s to about 1 s) while its median and log barely change; orders' POST http://payment/paymentAuth calls time out or are reset, so some orders fail with 500 at front-end.",
        files={
            "metrics.csv": wide_csv(START, STEP, points, services),
            "logs/payment.log": payment.render(),
            "logs/orders.log": orders.render(),
            "logs/front-end.log": front.render(),
            "logs/shipping.log": shipping.render(),
        },
        proofs=[
            Proof("metrics.csv", stamp(START, STEP, FAULT)),
            Proof("logs/orders.log", "Read timed out] with root cause"),
        ],
        decoys=[
            "Slow query:",
            "An unexpected connection driver error occured",
            "Session store: connection to session-db:6379 lost",
        ],
    )
