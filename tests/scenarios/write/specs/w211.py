# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE3 style, logs only and a human's notes): a code fault in payment. A
payment build rolled out at 19:26 UTC adds a fraud check that reads the order's billing address
and dereferences it without a nil check; orders placed by customers without a default
address make the handler panic (`runtime error: invalid memory address or nil pointer
dereference` in payment's own log, with the goroutine trace). Go's net/http recovers the
panic and drops the connection, so orders logs `Unexpected end of file from server` on POST
http://payment/paymentAuth and the web tier answers 500 on POST /orders for about a third
of checkouts. Decoys: orders' loud errors, shipping's and queue-master's RabbitMQ reconnect at
19:12, and carts' ordinary slow-query warnings."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 2, 27, 19, 0, tzinfo=UTC)
MINUTES = 45
ROLL = 26.3


@dataclass
class GoKit:
    """go-kit logfmt; a record with a trailer is a panic the Go runtime wrote to stderr."""

    def render(self, record: Record) -> list[str]:
        text = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        if record.trailer:
            return [
                f"{record.time.strftime('%Y/%m/%d %H:%M:%S')} {record.message}",
                *record.trailer,
            ]
        return [f"ts={text} {record.message}"]


@dataclass
class Morgan:
    """The Node front-end's console: morgan `dev` lines prefixed by `kubectl logs --timestamps`."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}311Z"
        return [f"{stamp} {record.message}", *(f"{stamp} {line}" for line in record.trailer)]


def oid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def payment_line(rng: random.Random) -> Line:
    amount = rng.choice([9.99, 17.15, 24.98, 35.0, 49.99, 62.42, 104.97])
    return (
        "INFO",
        f"caller=logging.go:26 method=Authorise amount={amount} result=true err=null took={rng.uniform(0.004, 0.03):.6f}ms",
        (),
    )


def payment_panic(rng: random.Random) -> Line:
    port = rng.randrange(33000, 60000)
    goroutine = rng.randrange(20000, 90000)
    return (
        "ERROR",
        f"http: panic serving 10.32.0.21:{port}: runtime error: invalid memory address or nil pointer dereference",
        (
            f"goroutine {goroutine} [running]:",
            "net/http.(*conn).serve.func1(0xc4201a4be0)",
            "\t/usr/local/go/src/net/http/server.go:1726 +0xd0",
            "panic(0x7c2e60, 0xa1e8f0)",
            "\t/usr/local/go/src/runtime/panic.go:502 +0x229",
            "github.com/microservices-demo/payment.(*service).fraudCheck(0xc42007c4b0, 0x0, 0x4244a3d7, 0x0)",
            "\t/go/src/github.com/microservices-demo/payment/service.go:71 +0x3e",
            "github.com/microservices-demo/payment.(*service).Authorise(0xc42007c4b0, 0x4244a3d7, 0x0, 0x0, 0x0, 0x0)",
            "\t/go/src/github.com/microservices-demo/payment/service.go:48 +0x95",
            "github.com/microservices-demo/payment.loggingMiddleware.Authorise(0x9f6fa0, 0xc42008e2a0, 0x9f7a60, 0xc42007c4b0, 0x4244a3d7, 0x0, 0x0, 0x0)",
            "\t/go/src/github.com/microservices-demo/payment/logging.go:30 +0xd1",
        ),
    )


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"Sending payment request: PaymentRequest{{address=Address{{id='null', number='{rng.randrange(1, 300)}', street='{rng.choice(['Whitelees Road', 'Maple Street', 'Rue Oberkampf', 'Hauptstrasse'])}'}}, card=Card{{id='null', longNum='{rng.randrange(10**15, 10**16)}', expires='0{rng.randrange(1, 9)}/2{rng.randrange(6, 9)}'}}, amount={rng.uniform(9, 120):.2f}}}",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
            (),
        )
    return (
        "INFO",
        f"Order created: CustomerOrder{{id='{oid(rng)}', total={rng.uniform(9, 120):.2f}, shipment=Shipment{{name='{oid(rng)}'}}}}",
        (),
    )


def orders_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://payment/paymentAuth": Unexpected end of file from server; nested exception is java.net.SocketException: Unexpected end of file from server] with root cause',
        tuple(
            java_trace(
                "java.net.SocketException: Unexpected end of file from server",
                [
                    "sun.net.www.http.HttpClient.parseHTTPHeader(HttpClient.java:851)",
                    "sun.net.www.http.HttpClient.parseHTTP(HttpClient.java:678)",
                    "sun.net.www.protocol.http.HttpURLConnection.getInputStream0(HttpURLConnection.java:1587)",
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:652)",
                    "works.weave.socks.orders.services.AsyncGetService.postResource(AsyncGetService.java:82)",
                ],
                more=31,
            )
        ),
    )


def front_line(rng: random.Random) -> Line:
    path, size = rng.choice(
        [
            ("/catalogue?page=1&size=6&tags=", 2871),
            ("/catalogue/size?tags=", 15),
            ("/cart", 406),
            ("/customers/" + oid(rng), 241),
            ("/tags", 107),
            ("/orders", 1820),
            ("/cart", 2),
        ]
    )
    return "INFO", f"GET {path} 200 {rng.lognormvariate(0, 0.5) * 12:.3f} ms - {size}", ()


def front_error(rng: random.Random) -> Line:
    return "ERROR", f"POST /orders 500 {rng.uniform(60, 240):.3f} ms - {rng.choice([223, 224])}", ()


def carts_line(rng: random.Random) -> Line:
    if rng.random() < 0.95:
        return "INFO", f"Found cart with id {oid(rng)}; {rng.randrange(1, 6)} items", ()
    return (
        "WARN",
        f"Query on carts.cart took {rng.randrange(210, 480)}ms (slow query threshold 200ms)",
        (),
    )


NOTES = """# checkout errors, Sock Shop staging (handover, Feb 27)

- 19:29 UTC alert: front-end POST /orders 5xx > 20%. Not all orders fail; I placed two as
  `user` and both worked, Eve's account fails every time.
- orders is the one shouting: ResourceAccessException / Unexpected end of file, pages of it.
  Restarted orders-7f6c9d8b5-q2w8x at 19:38, made no difference.
- Earlier (19:12) rabbitmq was bounced for the disk alarm test; shipping and queue-master
  logged reconnects and then went back to normal.
- Today's deploys: payment (19:26, PR #214 "add basic fraud check"), carts config (yesterday).
- Question: which service is actually broken?
"""


def bundle() -> Bundle:
    rng = random.Random(20211)
    payment = LogFile("logs/payment.log", GoKit())
    payment.add(traffic(rng, payment_line, START, ROLL - 0.2, 700))
    payment.add(
        [
            at(
                START,
                ROLL - 0.15,
                "INFO",
                'caller=main.go:88 transport=HTTP msg="received signal" signal=terminated',
            ),
            at(
                START,
                ROLL,
                "INFO",
                "caller=main.go:79 transport=HTTP port=80 version=0.4.3-fraudcheck",
            ),
        ]
    )
    payment.add(
        traffic(rng, payment_line, START + timedelta(minutes=ROLL + 0.1), MINUTES - ROLL - 0.1, 520)
    )
    level, _, trailer = payment_panic(rng)
    first = "http: panic serving 10.32.0.21:47113: runtime error: invalid memory address or nil pointer dereference"
    payment.add(
        [Record(START + timedelta(minutes=ROLL + 1.9, milliseconds=217), level, first, trailer)]
    )
    payment.add(loud(rng, START, ROLL + 2.0, MINUTES - ROLL - 2.1, 170, payment_panic))
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
    orders.add(traffic(rng, orders_line, START, MINUTES, 1600))
    orders.add(loud(rng, START, ROLL + 1.9, MINUTES - ROLL - 2.0, 175, orders_error))
    orders.add(
        [
            at(
                START,
                38.1,
                "INFO",
                "Started OrderApplication in 24.117 seconds (JVM running for 26.302)",
            )
        ]
    )
    front = LogFile("logs/front-end.log", Morgan())
    front.add(traffic(rng, front_line, START, MINUTES, 3900))
    front.add(loud(rng, START, ROLL + 1.95, MINUTES - ROLL - 2.05, 175, front_error))
    shipping = LogFile(
        "logs/shipping.log",
        SpringBoot(
            (
                "org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer",
                "works.weave.socks.shipping.controllers.ShippingController",
            ),
            rng=rng,
        ),
    )
    shipping.add(
        traffic(
            rng,
            lambda r: ("INFO", f"Adding shipment to queue... {oid(r)}", ()),
            START,
            MINUTES,
            400,
        )
    )
    shipping.add(
        [
            at(
                START,
                12.0,
                "WARN",
                "Consumer raised exception, processing can restart if the connection factory supports it. Exception summary: org.springframework.amqp.AmqpConnectException: java.net.ConnectException: Connection refused (Connection refused)",
            ),
            at(
                START,
                12.6,
                "INFO",
                "Restarting Consumer@6b9ce1bf: tags=[{}], channel=null, acknowledgeMode=AUTO local queue size=0",
            ),
            at(
                START,
                13.1,
                "INFO",
                "Created new connection: rabbitConnectionFactory#2c8662ac:1/SimpleConnection@4f2b2c26 [delegate=amqp://guest@10.35.241.9:5672/, localPort= 51744]",
            ),
        ]
    )
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(("works.weave.socks.cart.controllers.CartsController",), rng=rng),
    )
    carts.add(traffic(rng, carts_line, START, MINUTES, 1400))
    files = {
        "notes.md": NOTES,
        "logs/front-end.log": front.render(),
        "logs/orders.log": orders.render(),
        "logs/payment.log": payment.render(),
        "logs/shipping.log": shipping.render(),
        "logs/carts.log": carts.render(),
    }
    return Bundle(
        question="About a third of Sock Shop checkouts fail with 500 since roughly 19:28 UTC. Which service is actually broken?",
        category="code_error",
        component="payment",
        statement="The payment build rolled out at 19:26 UTC (0.4.3-fraudcheck) dereferences a nil billing address in its new fraud check; from about 19:28 its handler panics with `invalid memory address or nil pointer dereference` for customers without a default address, net/http drops the connection, orders fails with `Unexpected end of file from server` on POST http://payment/paymentAuth and the shop answers 500 on POST /orders.",
        files=files,
        proofs=[
            Proof("logs/payment.log", "version=0.4.3-fraudcheck"),
            Proof("logs/payment.log", "10.32.0.21:47113", "service.go:71"),
        ],
        decoys=[
            "Unexpected end of file from server",
            "AmqpConnectException",
            "slow query threshold",
        ],
    )
