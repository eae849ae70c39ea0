# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE1/RE2 wide CSV at 5 s; logs pasted in AEDT, +11:00): network delay
(tc netem delay 1500ms 300ms) on payment's pod from 10:21:50 +11:00. payment's go-kit log
keeps reporting sub-millisecond `took=` values; only its latency series jump. orders' calls
to POST http://payment/paymentAuth exceed its read timeout and the front-end answers 500 on
POST /orders. The engineer pasted a `curl -w` timing run from inside the orders pod. Decoys:
orders' stack traces, payment's ordinary `declined` decisions for over-limit amounts, and
shipping's rabbitmq reconnect at 10:06."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

AEDT = timezone(timedelta(hours=11))
START = datetime(2026, 1, 21, 23, 0, tzinfo=UTC)
MINUTES = 37
STEP = 5
FAULT = (21 * 60 + 50) // STEP


@dataclass
class GoKit:
    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(AEDT)
        return [
            f"ts={local.strftime('%Y-%m-%dT%H:%M:%S.')}{local.microsecond:06d}+11:00 caller=logging.go:{record.logger or '24'} {record.message}"
        ]


@dataclass
class FrontEnd:
    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(AEDT)
        return [f"[{local.strftime('%d/%m/%Y, %H:%M:%S')}] {record.message}", *record.trailer]


def pay_line(rng: random.Random) -> Line:
    amount = round(rng.lognormvariate(3.2, 0.8), 2)
    took = f"{rng.uniform(0.004, 0.09):.6f}ms"
    if amount > 105:
        return (
            "INFO",
            f'method=Authorise result=false err="Payment declined: amount exceeds {100.00:.2f}" took={took}',
            (),
        )
    return "INFO", f"method=Authorise result=true err=null took={took}", ()


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return (
            "INFO",
            f"Starting calls for order: http://user/customers/5c{rng.getrandbits(88):022x}",
            (),
        )
    return (
        "DEBUG",
        f"Received payment response: PaymentResponse{{authorised={'true' if rng.random() < 0.93 else 'false'}, message=Payment {rng.choice(['authorised', 'authorised', 'declined'])}}}",
        (),
    )


def orders_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://payment/paymentAuth": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out] with root cause',
        tuple(
            java_trace(
                "java.net.SocketTimeoutException: Read timed out",
                [
                    "java.net.SocketInputStream.socketRead0(Native Method)",
                    "java.net.SocketInputStream.read(SocketInputStream.java:170)",
                    "org.apache.http.impl.io.SessionInputBufferImpl.fillBuffer(SessionInputBufferImpl.java:153)",
                    "org.springframework.web.client.RestTemplate.postForObject(RestTemplate.java:357)",
                    "works.weave.socks.orders.services.AsyncGetService.postResource(AsyncGetService.java:83)",
                    "works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:101)",
                ],
                more=66,
            )
        ),
    )


def front_line(rng: random.Random) -> Line:
    path, code = rng.choice(
        [
            ("GET /catalogue?size=5", 200),
            ("GET /cart", 200),
            ("GET /tags", 200),
            ("GET /orders", 200),
            ("GET /detail.html?id=819e1fbf-8b7e-4f6d-811f-693534916a8b", 200),
            ("POST /cart", 201),
            ("GET /login", 200),
        ]
    )
    return (
        "INFO",
        f"{path} {code} {rng.lognormvariate(0, 0.6) * 13:.3f} ms - {rng.randrange(150, 8000)}",
        (),
    )


def front_error(rng: random.Random) -> Line:
    return "ERROR", f"POST /orders 500 {rng.uniform(5010, 5400):.3f} ms - 276", ()


def shipping_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"Adding shipment to queue... Shipment{{id='{rng.getrandbits(128):032x}', name='{rng.getrandbits(128):032x}'}}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20296)
    pay = LogFile("logs/payment.log", GoKit())
    pay.add(traffic(rng, pay_line, START, 21.85, 330))
    pay.add(traffic(rng, pay_line, START + timedelta(minutes=21.85), MINUTES - 21.85, 140))
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            (
                "works.weave.socks.orders.controllers.OrdersController",
                "works.weave.socks.orders.services.AsyncGetService",
            ),
            rng=rng,
            zone=AEDT,
        ),
    )
    orders.add(traffic(rng, orders_line, START, MINUTES, 1100))
    orders.add(loud(rng, START, 22.1, MINUTES - 22.2, 160, orders_error))
    front = LogFile("logs/front-end.log", FrontEnd())
    front.add(traffic(rng, front_line, START, MINUTES, 3300))
    front.add(loud(rng, START, 22.15, MINUTES - 22.2, 170, front_error))
    ship = LogFile(
        "logs/shipping.log",
        SpringBoot(
            ("works.weave.socks.shipping.controllers.ShippingController",), rng=rng, zone=AEDT
        ),
    )
    ship.add(traffic(rng, shipping_line, START, MINUTES, 420))
    ship.add(
        [
            at(
                START,
                6.4,
                "WARN",
                "Attempting to reconnect to: [rabbitmq:5672]",
                logger="o.s.a.r.l.SimpleMessageListenerContainer",
            ),
            at(
                START,
                6.5,
                "INFO",
                "Created new connection: rabbitConnectionFactory#3f4f1a2c:2/SimpleConnection@6c2e9b1d [delegate=amqp://guest@10.52.3.17:5672/, localPort= 45716]",
                logger="o.s.a.r.c.CachingConnectionFactory",
            ),
        ]
    )
    levels = {
        "front-end": (0.118, 85.6, (0.0121, 0.0483), 40.4),
        "orders": (0.062, 403.0, (0.0468, 0.1175), 2.9),
        "payment": (0.006, 6.9, (0.0011, 0.0034), 2.9),
        "user": (0.024, 12.1, (0.0031, 0.0092), 8.3),
        "carts": (0.070, 389.6, (0.0106, 0.0332), 12.3),
        "shipping": (0.031, 372.4, (0.0047, 0.0135), 2.9),
        "catalogue": (0.028, 9.8, (0.0037, 0.0119), 29.7),
        "queue-master": (0.017, 287.9, (0.0021, 0.0064), 2.9),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    p = services["payment"]
    p["latency-50"] = shift(rng, 0.0011, 1.5121, FAULT, 0.06)
    p["latency-90"] = shift(rng, 0.0034, 1.8837, FAULT, 0.05)
    o = services["orders"]
    o["latency-50"] = shift(rng, 0.0468, 5.0033, FAULT + 1, 0.01)
    o["latency-90"] = shift(rng, 0.1175, 5.0121, FAULT + 1, 0.01)
    curl_at = (START + timedelta(minutes=28)).astimezone(AEDT)
    curl = (
        f"# {curl_at.strftime('%Y-%m-%d %H:%M')} AEDT, from inside the orders pod\n"
        "$ kubectl -n sock-shop exec deploy/orders -- sh -c 'for s in user carts payment shipping; do curl -s -o /dev/null -w \"$s connect=%{time_connect} total=%{time_total} code=%{http_code}\\n\" http://$s/health; done'\n"
        "user connect=0.000912 total=0.002841 code=200\n"
        "carts connect=0.001104 total=0.004377 code=200\n"
        "payment connect=1.622310 total=4.871902 code=200\n"
        "shipping connect=0.000988 total=0.003516 code=200\n"
    )
    files = {
        "data.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "curl-from-orders.txt": curl,
        "logs/front-end.log": front.render(),
        "logs/orders.log": orders.render(),
        "logs/payment.log": pay.render(),
        "logs/shipping.log": ship.render(),
    }
    return Bundle(
        question="From about 10:22 (Sydney time) every order fails after a five-second wait. payment's logs look clean. What is the root cause?",
        category="network",
        component="payment",
        statement="From 10:21:50 +11:00 network delay on payment's pod (~1.5 s per packet exchange) raises its p50 from ~1 ms to ~1.5 s while its handler still reports sub-millisecond times; orders' paymentAuth calls exceed their 5 s read timeout and the front-end answers 500 on POST /orders.",
        files=files,
        proofs=[
            Proof("data.csv", stamp(START, STEP, FAULT)),
            Proof("curl-from-orders.txt", "payment connect=1.622310"),
        ],
        decoys=[
            "SocketTimeoutException: Read timed out",
            "Payment declined: amount exceeds",
            "Attempting to reconnect to: [rabbitmq:5672]",
        ],
    )
