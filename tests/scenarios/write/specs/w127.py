# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one CSV per service with a `socket` series): a socket
exhaustion fault in the shipping container from 02:14:40 UTC. Its open-socket count climbs from
about 40 to some 28 thousand in a minute and a half; from then on shipping cannot open a new
connection to rabbitmq, so every POST /shipping hangs until orders gives up. shipping's own log
says it once (`Cannot assign requested address`) and then goes nearly silent. Loud: orders' read
timeouts and the front-end's 500s on POST /orders. Decoys: rabbitmq's publish rate collapsing
(nothing reaches it), a stale queue-master consumer restart from 01:52, and payment declining
large amounts as it always does."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Pino, Record, SpringBoot, iso_millis
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 9, 3, 1, 50, tzinfo=UTC)
STEP = 1
MINUTES = 36
POINTS = MINUTES * 60
FAULT = 24 * 60 + 40
FULL = FAULT + 95


@dataclass
class GoKit:
    """go-kit's logfmt logger as Sock Shop's payment and user services use it."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        return [
            f"ts={iso_millis(record.time)} caller={record.logger or 'logging.go:29'} {record.message}"
        ]


def order_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def shipping_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "INFO",
            f"Adding shipment to queue... Shipment{{id='{order_id(rng)}', name='{order_id(rng)}'}}",
            (),
        )
    return "INFO", f"GET /health 200 {rng.randrange(1, 9)}ms", ()


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"Order created: {order_id(rng)} customer={order_id(rng)} total={rng.randrange(10, 99)}.{rng.randrange(100):02d}",
            (),
        )
    if roll < 0.7:
        return (
            "DEBUG",
            "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            f"Sending shipment request to http://shipping/shipping for order {order_id(rng)}",
            (),
        )
    return "INFO", f"GET /orders/search/customerId?custId={order_id(rng)} 200", ()


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?page=1&size=6",
            "/cart",
            "/customers/" + order_id(rng),
            "/catalogue/size",
            "/orders",
            "/tags",
        ]
    )
    return "INFO", f"GET {path} 200 {rng.randrange(3, 90)}ms", ()


def payment_line(rng: random.Random) -> Line:
    amount = rng.choice(
        [
            12.99,
            18.0,
            25.5,
            33.98,
            45.0,
            70.5,
            99.99,
            12.99,
            18.0,
            25.5,
            33.98,
            45.0,
            70.5,
            99.99,
            104.98,
            18.0,
            25.5,
            33.98,
            45.0,
            152.0,
        ]
    )
    if amount > 100:
        return (
            "INFO",
            f'method=Authorise result=false took={rng.randrange(20, 90)}.{rng.randrange(999)}µs err="Payment declined: amount exceeds 100.00"',
            (),
        )
    return (
        "INFO",
        f"method=Authorise result=true took={rng.randrange(20, 90)}.{rng.randrange(999)}µs",
        (),
    )


def queue_line(rng: random.Random) -> Line:
    return "INFO", f"Received shipment task: {order_id(rng)}", ()


def orders_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://shipping/shipping": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out] with root cause',
        tuple(
            java_trace(
                "java.net.SocketTimeoutException: Read timed out",
                [
                    "java.net.SocketInputStream.socketRead0(Native Method)",
                    "java.net.SocketInputStream.read(SocketInputStream.java:171)",
                    "org.apache.http.impl.io.SessionInputBufferImpl.fillBuffer(SessionInputBufferImpl.java:153)",
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:666)",
                    "works.weave.socks.orders.services.AsyncGetService.postResource(AsyncGetService.java:81)",
                ],
                more=47,
            )
        ),
    )


def front_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"POST /orders 500 {rng.randrange(30000, 31500)}ms - Error: Order response was not 201: 500 (Internal Server Error)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1127)
    fault = START + timedelta(seconds=FAULT)
    full_minute = FULL / 60
    shipping = LogFile(
        "logs/shipping.log",
        SpringBoot(("works.weave.socks.shipping.controllers.ShippingController",), rng=rng),
    )
    shipping.add(traffic(rng, shipping_line, START, FAULT / 60, 820))
    shipping.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"GET /health 200 {r.randrange(1, 9)}ms"),
            fault,
            MINUTES - FAULT / 60,
            40,
        )
    )
    shipping.add(
        [
            at(
                START,
                full_minute + 0.05,
                "WARN",
                "Failed to create connection to rabbitmq:5672: java.net.NoRouteToHostException: Cannot assign requested address (Address not available)",
                logger="o.s.a.r.c.CachingConnectionFactory",
            )
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
    orders.add(traffic(rng, orders_line, START, MINUTES, 2400))
    orders.add(
        loud(rng, START, full_minute + 0.5, MINUTES - full_minute - 0.6, 230, orders_timeout)
    )
    front = LogFile("logs/front-end.log", Pino("front-end-6f8b9d7c5-xq2lm", rng=rng))
    front.add(traffic(rng, front_line, START, MINUTES, 3100))
    front.add(loud(rng, START, full_minute + 0.55, MINUTES - full_minute - 0.6, 240, front_failure))
    payment = LogFile("logs/payment.log", GoKit(rng=rng))
    payment.add(traffic(rng, payment_line, START, MINUTES, 700))
    queue = LogFile(
        "logs/queue-master.log",
        SpringBoot(("works.weave.socks.shipping.consumer.ShippingTaskHandler",), rng=rng),
    )
    queue.add(traffic(rng, queue_line, START, FAULT / 60, 780))
    queue.add(
        [
            at(
                START,
                2.2,
                "WARN",
                "Consumer raised exception, processing can restart if the connection factory supports it. Exception summary: org.springframework.amqp.AmqpConnectException: java.net.ConnectException: Connection refused (Connection refused)",
                logger="o.s.a.r.l.SimpleMessageListenerContainer",
            ),
            at(
                START,
                2.25,
                "INFO",
                "Restarting Consumer@4e1d422d: tags=[{}], channel=null, acknowledgeMode=AUTO local queue size=0",
                logger="o.s.a.r.l.SimpleMessageListenerContainer",
            ),
            at(
                START,
                2.6,
                "INFO",
                "Created new connection: rabbitConnectionFactory#1b0375b3:1/SimpleConnection@2a556333 [delegate=amqp://guest@10.36.4.17:5672/, localPort= 41822]",
                logger="o.s.a.r.c.CachingConnectionFactory",
            ),
        ]
    )
    levels = {
        "front-end": (0.182, 96, (0.0118, 0.0611), 38.2),
        "orders": (0.097, 402, (0.0411, 0.1207), 2.9),
        "carts": (0.121, 388, (0.0064, 0.0218), 11.4),
        "catalogue": (0.033, 14, (0.0031, 0.0089), 21.7),
        "user": (0.041, 12, (0.0045, 0.0133), 9.6),
        "payment": (0.009, 9, (0.0009, 0.0027), 2.9),
        "shipping": (0.046, 371, (0.0082, 0.0263), 2.9),
        "queue-master": (0.038, 355, (0.0051, 0.0140), 2.8),
        "rabbitmq": (0.071, 143, (0.0012, 0.0041), 5.7),
    }
    sockets = {
        "front-end": 61,
        "orders": 48,
        "carts": 52,
        "catalogue": 27,
        "user": 31,
        "payment": 14,
        "shipping": 41,
        "queue-master": 22,
        "rabbitmq": 36,
    }
    services = {}
    for name, (cpu, memory, latency, workload) in levels.items():
        services[name] = usual_series(rng, cpu, memory, latency, workload)
        services[name]["socket"] = shift(rng, sockets[name], sockets[name], 0, 0.05)
    ship = services["shipping"]
    ship["socket"] = shift(rng, 41, 28221, FAULT, 0.01, ramp=95)
    ship["cpu"] = shift(rng, 0.046, 0.071, FAULT, 0.1)
    ship["latency-50"] = shift(rng, 0.0082, 4.91, FULL, 0.1)
    ship["latency-90"] = shift(rng, 0.0263, 9.84, FULL, 0.1)
    ship["workload"] = shift(rng, 2.9, 0.6, FULL, 0.2)
    services["orders"]["latency-90"] = shift(rng, 0.1207, 5.62, FULL + 8, 0.12)
    services["orders"]["latency-50"] = shift(rng, 0.0411, 2.87, FULL + 8, 0.12)
    services["front-end"]["latency-90"] = shift(rng, 0.0611, 0.942, FULL + 9, 0.15)
    services["rabbitmq"]["workload"] = shift(rng, 5.7, 0.4, FULL, 0.2)
    services["rabbitmq"]["cpu"] = shift(rng, 0.071, 0.022, FULL, 0.1)
    services["queue-master"]["workload"] = shift(rng, 2.8, 0.1, FULL + 3, 0.3)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, series, 4)
        for name, series in services.items()
    }
    files |= {
        "logs/front-end.log": front.render(),
        "logs/orders.log": orders.render(),
        "logs/payment.log": payment.render(),
        "logs/shipping.log": shipping.render(),
        "logs/queue-master.log": queue.render(),
    }
    return Bundle(
        question="Sock Shop checkouts started failing around 02:16 UTC: POST /orders returns 500 after ~30 s. Which service is the root cause?",
        category="network",
        component="shipping",
        statement="From 02:14:40 UTC the shipping container's open sockets climb from about 40 to over 28,000 and by 02:16:15 it can no longer open connections (`Cannot assign requested address` towards rabbitmq), so POST /shipping hangs, orders times out reading from shipping and the web tier returns 500 on POST /orders; rabbitmq only goes quiet because nothing is published.",
        files=files,
        proofs=[
            Proof("metrics/shipping.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2)),
            Proof("logs/shipping.log", "Cannot assign requested address"),
        ],
        decoys=["Consumer raised exception", "amount exceeds 100.00", "Order response was not 201"],
    )
