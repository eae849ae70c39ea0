# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval layout, one CSV per service): a memory hog inside the orders container from
21:41:05 UTC takes its memory from about 420 MiB to 1.9 GiB in forty seconds; the JVM then
spends its time in GC and the container in reclaim, so orders' p90 latency climbs and the
front-end's POST /orders calls time out. Orders' own log only slows down. Decoys: payment's
ordinary declines, a slow-query warning in carts-db and a user restart at the start."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import JsonLines, KubectlTimestamps, Logfmt, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2024, 2, 6, 21, 30, tzinfo=UTC)
STEP = 1
POINTS = 25 * 60
FAULT = 11 * 60 + 5
MINUTES = 25
SOCKS = [
    "a0a4f044-b040-410d-8ead-4de0446aec7e",
    "510a0d7e-8e83-4193-b483-e27e09ddc34d",
    "808a2de1-1aaa-4c25-a9b9-6612e8f29a38",
    "zzz4f044-b040-410d-8ead-4de0446aec7e",
    "03fef6ac-1896-4ce8-bd69-b798f85c6e0b",
    "d3588630-ad8e-49df-bbd7-3167f7efb246",
]


def hexid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def front_line(rng: random.Random) -> Line:
    path, status, millis = rng.choice(
        [
            ("/catalogue?size=5", 200, rng.uniform(4, 30)),
            (f"/catalogue/{rng.choice(SOCKS)}", 200, rng.uniform(3, 20)),
            ("/cart", 200, rng.uniform(6, 40)),
            ("/cart", 201, rng.uniform(10, 60)),
            ("/orders", 201, rng.uniform(180, 420)),
            ("/customers/" + hexid(rng)[:24], 200, rng.uniform(5, 30)),
            ("/login", 200, rng.uniform(20, 90)),
        ]
    )
    method = "POST" if status == 201 else "GET"
    return "INFO", f"{method} {path} {status} {millis:.3f} ms - {rng.randrange(2, 4000)}", ()


def front_failure(rng: random.Random) -> Line:
    if rng.random() < 0.55:
        return "INFO", f"POST /orders 500 {rng.uniform(5000, 5030):.3f} ms - 76", ()
    return (
        "ERROR",
        "Error: ESOCKETTIMEDOUT",
        (
            "    at ClientRequest.<anonymous> (/usr/src/app/node_modules/request/request.js:816:19)",
            "    at Object.onceWrapper (node:events:629:26)",
            "    at ClientRequest.emit (node:events:514:28)",
            "    at Socket.emitRequestTimeout (node:_http_client:849:9)",
        ),
    )


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"Order created with id: {hexid(rng)} and total: {rng.randrange(10, 120)}.{rng.randrange(100):02d}",
            (),
        )
    if roll < 0.7:
        return (
            "DEBUG",
            f"Sending payment request: PaymentRequest{{address=Address{{id='null', number='{rng.randrange(1, 300)}', street='Whitelees Road'}}, amount={rng.randrange(10, 120)}.{rng.randrange(100):02d}}}",
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
            (),
        )
    return "INFO", f"Getting orders for customer: {hexid(rng)}", ()


def payment_line(rng: random.Random) -> Line:
    if rng.random() < 0.93:
        return (
            "INFO",
            f"method=Authorise result=true took={rng.randrange(20, 400)}.{rng.randrange(1000)}µs",
            (),
        )
    return (
        "INFO",
        f'method=Authorise result=false message="Payment declined: amount exceeds {rng.choice(["100.00", "105.00"])}" took={rng.randrange(20, 200)}µs',
        (),
    )


def carts_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"Adding item to cart {hexid(rng)}: itemId={rng.choice(SOCKS)} quantity=1",
            (),
        )
    if roll < 0.85:
        return "DEBUG", f"Found cart for customer {hexid(rng)} with {rng.randrange(0, 6)} items", ()
    return "INFO", f"Merging carts for customer {hexid(rng)} and session {hexid(rng)}", ()


def bundle() -> Bundle:
    rng = random.Random(1119)
    fault = FAULT / 60
    front = LogFile("logs/front-end.log", KubectlTimestamps())
    front.add(traffic(rng, front_line, START, MINUTES, 3200))
    front.add(loud(rng, START, fault + 0.9, MINUTES - fault - 1.0, 240, front_failure))
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            (
                "works.weave.socks.orders.controllers.OrdersController",
                "works.weave.socks.orders.services.AsyncGetService",
            ),
            pid=7,
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, fault, 700))
    orders.add(traffic(rng, orders_line, START + timedelta(minutes=fault), MINUTES - fault, 230))
    payment = LogFile("logs/payment.log", Logfmt("payment", rng=rng))
    payment.add(traffic(rng, payment_line, START, MINUTES, 520))
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(
            (
                "works.weave.socks.cart.controllers.CartsController",
                "works.weave.socks.cart.cart.CartDAO",
            ),
            pid=6,
            rng=rng,
        ),
    )
    carts.add(traffic(rng, carts_line, START, MINUTES, 1300))
    carts.add(
        loud(
            rng,
            START,
            16.0,
            3.0,
            30,
            fixed(
                "WARN",
                lambda r: (
                    f'Slow query on carts-db: find carts {{ customerId: "{hexid(r)}" }} took {r.randrange(1100, 2900)} ms'
                ),
            ),
        )
    )
    user = LogFile("logs/user.log", JsonLines("user", keys=("ts", "level", "msg"), rng=rng))
    user.add(
        [
            at(START, 0.4, "INFO", "shutting down: received signal terminated"),
            at(START, 0.9, "INFO", "Connecting to user-db mongodb://user-db:27017/users"),
            at(START, 1.0, "INFO", "transport=HTTP port=80 listening"),
        ]
    )
    user.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"method=Login username=user{r.randrange(1, 500)} err=null took={r.randrange(2, 20)}.{r.randrange(1000)}ms"
                ),
            ),
            START,
            MINUTES,
            600,
        )
    )
    levels = {
        "front-end": (0.148, 88, (0.0092, 0.0411), 31.6),
        "orders": (0.071, 421, (0.2214, 0.3980), 2.9),
        "carts": (0.112, 402, (0.0094, 0.0265), 14.2),
        "catalogue": (0.031, 14, (0.0027, 0.0081), 19.8),
        "payment": (0.006, 9, (0.0004, 0.0011), 2.9),
        "shipping": (0.028, 354, (0.0051, 0.0137), 2.9),
        "user": (0.019, 11, (0.0032, 0.0094), 9.4),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    orders_series = services["orders"]
    orders_series["mem"] = shift(rng, 421, 1893, FAULT, 0.006, ramp=40)
    orders_series["cpu"] = shift(rng, 0.071, 0.168, FAULT + 30, 0.1)
    orders_series["latency-50"] = shift(rng, 0.2214, 1.3120, FAULT + 45, 0.15)
    orders_series["latency-90"] = shift(rng, 0.3980, 4.8170, FAULT + 45, 0.1)
    orders_series["workload"] = shift(rng, 2.9, 1.2, FAULT + 50, 0.1)
    services["front-end"]["latency-90"] = shift(rng, 0.0411, 1.9540, FAULT + 50, 0.15)
    services["payment"]["workload"] = shift(rng, 2.9, 1.1, FAULT + 50, 0.1)
    services["shipping"]["workload"] = shift(rng, 2.9, 1.1, FAULT + 50, 0.1)
    services["carts"]["latency-90"] = shift(rng, 0.0265, 0.0830, 16 * 60, 0.15)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, series, 4)
        for name, series in services.items()
    }
    files |= {
        "logs/front-end.log": front.render(),
        "logs/orders.log": orders.render(),
        "logs/payment.log": payment.render(),
        "logs/carts.log": carts.render(),
        "logs/user.log": user.render(),
    }
    return Bundle(
        question="Placing orders on the sock shop times out for most customers since about 21:42 UTC. Which service is the root cause?",
        category="memory",
        component="orders",
        statement="From 21:41:05 UTC the orders container's memory climbs from about 420 MiB to 1.9 GiB in forty seconds (a memory hog), after which orders' latency rises more than tenfold and the front-end's POST /orders calls time out with 500s, while every service orders depends on stays healthy.",
        files=files,
        proofs=[
            Proof("metrics/orders.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 5))
        ],
        decoys=["Payment declined", "Slow query on carts-db", "ESOCKETTIMEDOUT"],
    )
