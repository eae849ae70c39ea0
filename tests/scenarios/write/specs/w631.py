# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval layout, one CSV per service, 5 s steps): packet loss (tc netem loss 40%)
on the user container from 13:06:15 UTC. user's p90 jumps to seconds (TCP retransmissions)
while its p50 moves a little and its CPU not at all; its own log thins out but shows nothing
wrong. Loud: front-end's `Error with log in` and `ECONNRESET`/`ETIMEDOUT` on /login and
/customers, and orders' `Connection reset` fetching the customer and its address. Decoys: user-db
(its workload drops), orders' errors (loud and one hop away), and a payment declined message."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Record, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2025, 8, 19, 12, 48, tzinfo=UTC)
MINUTES = 36
STEP = 5
POINTS = MINUTES * 60 // STEP
FAULT = (18 * 60 + 15) // STEP
CUSTOMERS = [
    "57a98d98e4b00679b4a830af",
    "57a98d98e4b00679b4a830b2",
    "57a98d98e4b00679b4a830b5",
    "5cb6e5f1c8d2b70001c3a2e4",
]


@dataclass
class GoKitUser:
    def render(self, record: Record) -> list[str]:
        stamp_text = record.time.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        return [f"ts={stamp_text} caller=logging.go:{record.logger or '39'} {record.message}"]


@dataclass
class NodePlain:
    def render(self, record: Record) -> list[str]:
        return [record.time.strftime("%Y-%m-%dT%H:%M:%S.%f") + "771Z " + record.message]


def bundle() -> Bundle:
    rng = random.Random(631)
    fault = FAULT * STEP / 60
    user = LogFile("logs/user.log", GoKitUser())

    def user_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        c = r.choice(CUSTOMERS)
        return (
            "INFO",
            r.choice(
                [
                    f"method=GetUsers id={c} result=1 err=null took={r.uniform(0.8, 4):.6f}ms",
                    f"method=GetAddresses id={c} result=1 err=null took={r.uniform(0.6, 3):.6f}ms",
                    f"method=GetCards id={c} result=1 err=null took={r.uniform(0.6, 3):.6f}ms",
                    f"method=Login username=user{r.randrange(1, 400)} result={c} err=null took={r.uniform(2, 9):.6f}ms",
                ]
            ),
            (),
        )

    user.add(traffic(rng, user_line, START, fault, 2300))
    user.add(traffic(rng, user_line, START + timedelta(minutes=fault), MINUTES - fault, 1000))
    frontend = LogFile("logs/front-end.log", NodePlain())
    frontend.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"GET /catalogue?size=6 200 {r.randrange(4, 40)}.{r.randrange(100, 999)} ms - -",
                        f"GET /login 200 {r.randrange(8, 60)}.{r.randrange(100, 999)} ms - -",
                        f"GET /customers/{r.choice(CUSTOMERS)} 200 {r.randrange(3, 30)}.{r.randrange(100, 999)} ms - -",
                        f"GET /cart 200 {r.randrange(5, 50)}.{r.randrange(100, 999)} ms - -",
                    ]
                ),
                (),
            ),
            START,
            MINUTES,
            5000,
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            fault + 0.4,
            MINUTES - fault - 0.5,
            300,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        "Error with log in: Error: read ECONNRESET",
                        "Error with log in: Error: ETIMEDOUT",
                        f"GET /customers/{r.choice(CUSTOMERS)} 500 {r.randrange(3000, 9000)}.{r.randrange(100, 999)} ms - -",
                        f"GET /login 401 {r.randrange(3000, 9000)}.{r.randrange(100, 999)} ms - -",
                    ]
                ),
            ),
        )
    )
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            ("w.c.orders.controllers.OrdersController", "w.c.orders.services.AsyncGetService"),
            rng=rng,
        ),
    )
    orders.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"Created new order {r.getrandbits(96):024x} for customer {r.choice(CUSTOMERS)}",
                (),
            ),
            START,
            MINUTES,
            700,
        )
    )
    orders.add(
        [
            at(
                START,
                9.3,
                "WARN",
                'Payment response: {"authorised":false,"message":"Payment declined: amount exceeds 100.00"}',
                logger="w.c.orders.controllers.OrdersController",
            )
        ]
    )
    orders.add(
        loud(
            rng,
            START,
            fault + 0.6,
            MINUTES - fault - 0.7,
            130,
            fixed(
                "ERROR",
                lambda r: (
                    f'Unable to create order due to unspecified IO error: I/O error on GET request for "http://user/customers/{r.choice(CUSTOMERS)}{r.choice(["", "/addresses", "/cards"])}": Connection reset; nested exception is java.net.SocketException: Connection reset'
                ),
            ),
        )
    )
    levels = {
        "front-end": (0.088, 63.1, (0.0109, 0.0471), 50.6),
        "user": (0.017, 19.2, (0.0026, 0.0071), 24.3),
        "user-db": (0.013, 101.4, (0.0010, 0.0027), 24.1),
        "catalogue": (0.021, 23.7, (0.0022, 0.0060), 30.9),
        "catalogue-db": (0.010, 221.0, (0.0009, 0.0023), 31.0),
        "carts": (0.104, 399.1, (0.0089, 0.0305), 16.8),
        "carts-db": (0.029, 141.2, (0.0011, 0.0030), 16.6),
        "orders": (0.069, 391.8, (0.0371, 0.0915), 2.9),
        "orders-db": (0.018, 118.9, (0.0012, 0.0035), 2.9),
        "payment": (0.004, 11.6, (0.0009, 0.0020), 2.9),
        "shipping": (0.039, 368.5, (0.0042, 0.0131), 2.9),
        "queue-master": (0.035, 352.7, (0.0030, 0.0079), 2.8),
    }
    series = {name: usual_series(rng, *value) for name, value in levels.items()}
    u = series["user"]
    u["latency-90"] = shift(rng, 0.0071, 2.1183, FAULT, 0.25)
    u["latency-50"] = shift(rng, 0.0026, 0.0094, FAULT, 0.3)
    u["workload"] = shift(rng, 24.3, 15.2, FAULT + 3, 0.1, ramp=6)
    series["user-db"]["workload"] = shift(rng, 24.1, 15.0, FAULT + 3, 0.1, ramp=6)
    series["front-end"]["latency-90"] = shift(rng, 0.0471, 3.9125, FAULT + 2, 0.1, ramp=8)
    series["orders"]["latency-90"] = shift(rng, 0.0915, 4.4071, FAULT + 3, 0.1, ramp=8)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, cols, 4)
        for name, cols in series.items()
    }
    for log in (frontend, orders, user):
        files[log.name] = log.render()
    return Bundle(
        question="Sock Shop logins and order placement started failing intermittently around 13:06 UTC. Which service is at fault and why?",
        category="network",
        component="user",
        statement="From 13:06:15 UTC the user container suffers heavy packet loss: user's p90 jumps to about two seconds while its p50 and CPU barely move, and front-end's logins and orders' customer lookups, which call user, fail with resets and timeouts.",
        files=files,
        proofs=[
            Proof("metrics/user.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2))
        ],
        decoys=[
            "Payment declined: amount exceeds 100.00",
            "Unable to create order due to unspecified IO error",
            "Error with log in",
        ],
    )
