# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop RE2, network delay injected on the payment pod (about 1.8 s added per packet
exchange): payment's own go-kit log keeps saying `took=` a few microseconds, while its
measured latency jumps and orders' payment future times out with `Unable to create order due
to timeout from one of the services.`, which names no service. Decoys: shipping's RabbitMQ
reconnects, carts-db's slow query warnings and the front-end's 500s."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Record, SpringBoot
from scenes import fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 8, 20, 21, 5, tzinfo=UTC)
STEP = 1
POINTS = 30 * 60
FAULT = 13 * 60 + 41


@dataclass
class GoKit:
    """go-kit's logfmt logger as Sock Shop's Go services print it."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond:06d}{self.rng.randrange(1000):03d}Z"
        )
        return [f"ts={stamp} caller={record.logger or 'logging.go:31'} {record.message}"]


def hexid(rng: random.Random, digits: int = 24) -> str:
    return f"{rng.getrandbits(digits * 4):0{digits}x}"


def payment_line(rng: random.Random) -> Line:
    amount = f"{rng.randrange(5, 180)}.{rng.randrange(100):02d}"
    if rng.random() < 0.97:
        return (
            "INFO",
            f"method=Authorise amount={amount} result=true took={rng.randrange(3, 40)}.{rng.randrange(1000):03d}µs",
            (),
        )
    return (
        "INFO",
        f"method=Authorise amount={amount} result=false took={rng.randrange(3, 40)}.{rng.randrange(1000):03d}µs",
        (),
    )


def health_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"method=Health result=2 took={rng.randrange(2, 30)}.{rng.randrange(1000):03d}µs",
        (),
    )


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return "INFO", f"Order created: {hexid(rng)} for customer {hexid(rng)}", ()
    if roll < 0.6:
        return (
            "DEBUG",
            f"Sending payment request: PaymentRequest{{address=Address{{id='null', number='{rng.randrange(1, 400)}', street='Whitelees Road', city='Glasgow', postcode='G67 3DL', country='United Kingdom'}}, amount={rng.randrange(5, 180)}.{rng.randrange(100):02d}}}",
            (),
        )
    if roll < 0.85:
        return (
            "DEBUG",
            "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
            (),
        )
    return "INFO", f"Sending shipment request for order {hexid(rng)}", ()


def payment_request(rng: random.Random) -> Line:
    return (
        "DEBUG",
        f"Sending payment request: PaymentRequest{{address=Address{{id='null', number='{rng.randrange(1, 400)}', street='Kings Road', city='Leeds', postcode='LS1 4AP', country='United Kingdom'}}, amount={rng.randrange(5, 180)}.{rng.randrange(100):02d}}}",
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
                    "java.util.concurrent.CompletableFuture.timedGet(CompletableFuture.java:1771)",
                    "java.util.concurrent.CompletableFuture.get(CompletableFuture.java:1915)",
                    "works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:106)",
                    "sun.reflect.GeneratedMethodAccessor88.invoke(Unknown Source)",
                ],
            )
        ),
    )


def shipping_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"Adding shipment to queue... Shipment{{id='{hexid(rng, 8)}-{hexid(rng, 4)}', name='{hexid(rng)}'}}",
        (),
    )


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?size=5",
            "/catalogue/size?tags=",
            "/cart",
            "/customers/" + hexid(rng),
            "/tags",
            "/catalogue/" + hexid(rng, 8),
            "/cart/update",
        ]
    )
    method = "POST" if path == "/cart/update" else "GET"
    return (
        "INFO",
        f"{method} {path} 200 {rng.randrange(3, 160)}.{rng.randrange(1000):03d} ms - {rng.randrange(2, 4000)}",
        (),
    )


def order_ok(rng: random.Random) -> Line:
    return (
        "INFO",
        f"POST /orders 201 {rng.randrange(90, 420)}.{rng.randrange(1000):03d} ms - {rng.randrange(250, 1400)}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1109)
    delayed = FAULT / 60
    payment = LogFile("logs/payment.log", GoKit(rng=rng))
    payment.add(traffic(rng, payment_line, START, delayed, 380))
    payment.add(
        traffic(
            rng,
            payment_line,
            START.replace(minute=START.minute + 13, second=48),
            30 - delayed - 0.2,
            150,
        )
    )
    payment.add(traffic(rng, health_line, START, 30, 360))
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            (
                "works.weave.socks.orders.controllers.OrdersController",
                "works.weave.socks.orders.services.AsyncGetService",
                "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
            pid=6,
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, delayed, 740))
    orders.add(loud(rng, START, delayed, 30 - delayed, 420, payment_request))
    orders.add(loud(rng, START, delayed + 0.1, 16, 230, orders_timeout))
    orders.add(
        loud(
            rng,
            START,
            3.1,
            25,
            18,
            fixed(
                "WARN",
                lambda r: (
                    f"Request failed: GET http://carts/carts/{hexid(r)}/items took {r.randrange(1100, 2600)}ms, retrying (1/2)"
                ),
            ),
        )
    )
    shipping = LogFile(
        "logs/shipping.log",
        SpringBoot(
            (
                "works.weave.socks.shipping.controllers.ShippingController",
                "o.s.a.r.c.CachingConnectionFactory",
            ),
            pid=7,
            rng=rng,
        ),
    )
    shipping.add(traffic(rng, shipping_line, START, 30, 420))
    shipping.add(
        loud(
            rng,
            START,
            6.2,
            0.8,
            6,
            fixed(
                "WARN",
                lambda r: (
                    "Channel shutdown: connection error; protocol method: #method<connection.close>(reply-code=320, reply-text=CONNECTION_FORCED - broker forced connection closure with reason 'shutdown', class-id=0, method-id=0)"
                ),
            ),
        )
    )
    shipping.add(
        loud(
            rng,
            START,
            6.6,
            0.6,
            4,
            fixed(
                "INFO",
                lambda r: (
                    f"Created new connection: rabbitConnectionFactory#{r.randrange(1, 9)}:{r.randrange(2, 30)}/SimpleConnection@{r.getrandbits(28):x} [delegate=amqp://guest@10.104.{r.randrange(9, 200)}.{r.randrange(2, 250)}:5672/, localPort= {r.randrange(30000, 60000)}]"
                ),
            ),
        )
    )
    front = LogFile("logs/front-end.log", _Plain())
    front.add(traffic(rng, frontend_line, START, 30, 2500))
    front.add(traffic(rng, order_ok, START, delayed, 230))
    front.add(
        loud(
            rng,
            START,
            delayed + 0.15,
            16,
            230,
            fixed(
                "INFO",
                lambda r: (
                    f"POST /orders 500 {r.randrange(5000, 5100)}.{r.randrange(1000):03d} ms - 185"
                ),
            ),
        )
    )
    carts_db = LogFile("logs/carts-db.log", _Plain())
    carts_db.add(
        loud(
            rng,
            START,
            0.2,
            29.5,
            240,
            fixed(
                "INFO",
                lambda r: (
                    f'I COMMAND  [conn{r.randrange(10, 90)}] command data.cart command: find {{ find: "cart", filter: {{ customerId: "{hexid(r)}" }} }} planSummary: COLLSCAN keysExamined:0 docsExamined:{r.randrange(9000, 16000)} cursorExhausted:1 numYields:{r.randrange(70, 130)} nreturned:1 reslen:{r.randrange(200, 900)} locks:{{}} protocol:op_query {r.randrange(101, 480)}ms'
                ),
            ),
        )
    )

    levels = {
        "front-end": (0.241, 98, (0.0112, 0.0483), 33.7),
        "orders": (0.118, 412, (0.0391, 0.1022), 2.9),
        "payment": (0.009, 11, (0.0009, 0.0031), 2.9),
        "shipping": (0.031, 381, (0.0087, 0.0203), 2.9),
        "carts": (0.173, 421, (0.0137, 0.0412), 11.2),
        "catalogue": (0.042, 23, (0.0031, 0.0094), 19.6),
        "user": (0.027, 19, (0.0042, 0.0117), 8.8),
        "queue-master": (0.022, 377, (0.0051, 0.0128), 2.9),
        "carts-db": (0.091, 214, (0.0042, 0.1637), 11.2),
        "orders-db": (0.038, 188, (0.0011, 0.0034), 5.8),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    services["payment"]["latency-50"] = shift(rng, 0.0009, 1.8214, FAULT, 0.04)
    services["payment"]["latency-90"] = shift(rng, 0.0031, 1.8933, FAULT, 0.04)
    services["payment"]["workload"] = shift(rng, 2.9, 0.6, FAULT + 2, 0.15)
    services["orders"]["latency-50"] = shift(rng, 0.0391, 5.0217, FAULT + 3, 0.02, ramp=4)
    services["orders"]["latency-90"] = shift(rng, 0.1022, 5.0812, FAULT + 3, 0.02, ramp=4)
    services["orders"]["cpu"] = shift(rng, 0.118, 0.064, FAULT + 5, 0.1)
    services["front-end"]["latency-90"] = shift(rng, 0.0483, 3.8821, FAULT + 5, 0.15, ramp=6)
    services["front-end"]["cpu"] = shift(rng, 0.241, 0.297, FAULT + 5, 0.1)
    services["shipping"]["workload"] = shift(rng, 2.9, 0.3, FAULT + 6, 0.2)
    services["queue-master"]["workload"] = shift(rng, 2.9, 0.3, FAULT + 6, 0.2)
    services["orders-db"]["workload"] = shift(rng, 5.8, 3.1, FAULT + 6, 0.1)
    services["carts"]["latency-90"] = shift(rng, 0.0412, 0.0412, 0, 0.35)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, series, 4)
        for name, series in services.items()
    }
    return Bundle(
        question="Sock Shop: placing an order hangs for five seconds and then fails since about 21:18 UTC; browsing and the cart still work. Which service is the root cause?",
        category="network",
        component="payment",
        statement="From 21:18:41 UTC about 1.8 s of network delay is added to the payment service: its measured latency goes from about 1 ms to 1.8 s while its own handler still takes microseconds, so orders' payment call exceeds its timeout and every POST /orders fails with 'Unable to create order due to timeout from one of the services'.",
        files={
            **files,
            "logs/front-end.log": front.render(),
            "logs/orders.log": orders.render(),
            "logs/payment.log": payment.render(),
            "logs/shipping.log": shipping.render(),
            "logs/carts-db.log": carts_db.render(),
        },
        proofs=[
            Proof("metrics/payment.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2))
        ],
        decoys=[
            "Unable to create order due to timeout from one of the services",
            "CONNECTION_FORCED",
            "planSummary: COLLSCAN",
            "POST /orders 500",
        ],
    )


@dataclass
class _Plain:
    """A container's stdout as `kubectl logs --timestamps` saves it."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond:06d}{record.time.microsecond % 997:03d}Z"
        )
        return [f"{stamp} {record.message}", *record.trailer]
