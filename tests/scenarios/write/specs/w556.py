# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE3 style, code fault, one CSV per service): payment 0.4.4 rolled out at
09:26 UTC. The new build changed AuthorisationRequest.Amount from float32 to int64 (cents), but
orders still posts the order total as a decimal in dollars, so every total with cents fails to
decode: go-kit's transport logs `json: cannot unmarshal number 38.99 into Go struct field ...
of type int64` and answers 400. orders logs loud `HttpClientErrorException: 400` and
`PaymentDeclinedException`, front-end's POST /orders returns 500; round totals still pass.
Metrics barely move (payment's restart at the rollout). Decoys: user's failed logins,
catalogue's slow query, shipping's RabbitMQ heartbeat warning, orders' own errors."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import unix_rows, usual_series
from records import Record, SpringBoot, iso_millis
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 2, 17, 8, 58, tzinfo=UTC)
MINUTES = 55
STEP = 5
ROLLOUT = 28.2


@dataclass
class GoKit:
    """go-kit's logfmt logger: `ts=... caller=... key=value ...`."""

    callers: tuple[str, ...]
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        caller = record.logger or self.rng.choice(self.callers)
        return [f"ts={iso_millis(record.time)} caller={caller} {record.message}"]


def cid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def total(rng: random.Random) -> str:
    return f"{rng.randrange(8, 120)}.{rng.choice(['99', '49', '98', '50', '47', '97', '00'])}"


def payment_ok(rng: random.Random) -> Line:
    return "INFO", f"method=Authorise result=true took={rng.uniform(0.004, 0.05):.6f}ms", ()


def payment_bad(rng: random.Random) -> Line:
    if rng.random() < 0.18:
        return payment_ok(rng)
    return (
        "ERROR",
        f'err="json: cannot unmarshal number {rng.choice([n for n in range(8, 120) if n != 38])}.{rng.choice(["99", "49", "98", "47", "97", "95"])} into Go struct field AuthorisationRequest.amount of type int64"',
        (),
    )


def orders_line(rng: random.Random) -> Line:
    return "INFO", f"Order created with id {cid(rng)} and total {total(rng)}", ()


def orders_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is works.weave.socks.orders.controllers.OrdersController$PaymentDeclinedException: Unable to parse authorisation packet: org.springframework.web.client.HttpClientErrorException: 400 Bad Request] with root cause (customer {cid(rng)})",
        tuple(
            java_trace(
                "org.springframework.web.client.HttpClientErrorException: 400 Bad Request",
                [
                    "org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:91)",
                    "org.springframework.web.client.RestTemplate.handleResponse(RestTemplate.java:700)",
                    "works.weave.socks.orders.services.AsyncGetService.postResource(AsyncGetService.java:72)",
                    "works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:104)",
                ],
                more=57,
            )
        ),
    )


def bundle() -> Bundle:
    rng = random.Random(55683)
    callers = ("logging.go:30",)
    payment = LogFile("logs/payment.log", GoKit(callers, rng))
    payment.add(traffic(rng, payment_ok, START, ROLLOUT, 420))
    payment.add(
        [
            at(
                START, 8.1, "INFO", "method=Health result=2 took=0.004312ms", logger="logging.go:47"
            ),
            at(START, ROLLOUT, "INFO", "transport=HTTP port=80", logger="main.go:96"),
            at(
                START,
                ROLLOUT + 0.01,
                "INFO",
                "version=0.4.4 commit=9e27b1fd decline_over=200.00 amount_unit=cents",
                logger="main.go:71",
            ),
            at(
                START,
                ROLLOUT + 0.35,
                "ERROR",
                'err="json: cannot unmarshal number 38.99 into Go struct field AuthorisationRequest.amount of type int64"',
            ),
        ]
    )
    payment.add(loud(rng, START, ROLLOUT + 0.4, MINUTES - ROLLOUT - 0.5, 560, payment_bad))
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            (
                "w.w.s.o.controllers.OrdersController",
                "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                "w.w.s.o.services.AsyncGetService",
            ),
            pid=1,
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, ROLLOUT, 410))
    orders.add(loud(rng, START, ROLLOUT + 0.45, MINUTES - ROLLOUT - 0.6, 430, orders_error))
    orders.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.45,
            MINUTES - ROLLOUT - 0.6,
            95,
            lambda r: (
                "INFO",
                f"Order created with id {cid(r)} and total {r.randrange(10, 90)}.00",
                (),
            ),
        )
    )
    front = LogFile("logs/front-end.log", GoKit(("server.js:62",), rng))
    front.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"method={r.choice(['GET', 'GET', 'GET', 'POST'])} path={r.choice(['/catalogue', '/cart', '/tags', '/customers/' + cid(r), '/orders', '/address', '/card'])} status=200 took={r.randrange(3, 140)}ms",
                (),
            ),
            START,
            MINUTES,
            3600,
        )
    )
    front.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.5,
            MINUTES - ROLLOUT - 0.6,
            430,
            lambda r: (
                "ERROR",
                f'method=POST path=/orders status=500 took={r.randrange(40, 300)}ms error="Error: Could not place order: 500 Internal Server Error"',
                (),
            ),
        )
    )
    user = LogFile("logs/user.log", GoKit(("logging.go:41", "logging.go:58"), rng))
    user.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"method=GetUsers id={cid(r)} result=1 err=null took={r.uniform(1.0, 8.0):.6f}ms",
                (),
            ),
            START,
            MINUTES,
            1900,
        )
    )
    user.add(
        [
            at(
                START,
                m,
                "INFO",
                f'method=Login username={u} err="User not found" took=2.{m * 1000:.0f}ms',
            )
            for m, u in ((11.3, "evatest"), (36.9, "jjones7"), (49.2, "admin"))
        ]
    )
    catalogue = LogFile("logs/catalogue.log", GoKit(("logging.go:22",), rng))
    catalogue.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"method=List tags= order=id pageNum=1 pageSize=6 result=6 err=null took={r.uniform(1.0, 4.0):.6f}ms",
                (),
            ),
            START,
            MINUTES,
            1400,
        )
    )
    catalogue.add(
        [
            at(
                START,
                19.8,
                "INFO",
                "method=List tags=magic,geek order=price pageNum=2 pageSize=100 result=11 err=null took=1.842113s",
            )
        ]
    )
    shipping = LogFile(
        "logs/shipping.log",
        SpringBoot(
            ("w.w.s.s.controllers.ShippingController", "o.s.a.r.c.CachingConnectionFactory"),
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
            ROLLOUT + 0.5,
            300,
        )
    )
    shipping.add(
        [
            at(
                START,
                44.6,
                "WARN",
                "Missed heartbeats from rabbitmq (rabbitmq:5672), timeout: 30s; attempting recovery",
            )
        ]
    )
    levels = {
        "front-end": (0.079, 91.2, (0.012, 0.055), 39.8),
        "orders": (0.068, 398.7, (0.043, 0.13), 3.0),
        "payment": (0.011, 6.2, (0.002, 0.005), 3.0),
        "user": (0.039, 9.8, (0.004, 0.012), 21.6),
        "catalogue": (0.027, 8.4, (0.003, 0.008), 29.9),
        "shipping": (0.041, 371.4, (0.006, 0.018), 3.0),
        "carts": (0.091, 428.2, (0.009, 0.033), 16.8),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    r_at = int(ROLLOUT * 60 // STEP)
    services["payment"]["mem"] = shift(rng, 6.2, 4.9, r_at, 0.01)
    services["shipping"]["workload"] = shift(rng, 3.0, 0.6, r_at + 6, 0.1)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{k}": v for k, v in s.items()}, 4
        )
        for name, s in services.items()
    }
    for log in (payment, orders, front, user, catalogue, shipping):
        files[log.name] = log.render()
    return Bundle(
        question="Most sock shop customers get an error when placing an order since about 09:26 UTC, though browsing and carts work. What is the root cause?",
        category="code_error",
        component="payment",
        statement="payment 0.4.4, rolled out at 09:26 UTC, changed the authorisation request's amount field to an int64 of cents while orders still sends a decimal total, so every total with cents fails JSON decoding in payment (400); orders reports a decline and front-end's POST /orders returns 500.",
        files=files,
        proofs=[
            Proof("logs/payment.log", "version=0.4.4 commit=9e27b1fd"),
            Proof("logs/payment.log", "cannot unmarshal number 38.99 into Go struct field"),
        ],
        decoys=[
            'err="User not found"',
            "took=1.842113s",
            "Missed heartbeats from rabbitmq",
            "PaymentDeclinedException: Unable to parse authorisation packet",
        ],
    )
