# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval layout, one wide CSV): a memory hog (stress-ng --vm) in catalogue's
container from 21:37:20 UTC. catalogue's `mem` column climbs over five minutes from ~11 MiB to
~236 MiB, against its 256Mi limit; the kernel reclaims its pages and the Go process stalls, so
its latency rises while its go-kit log keeps printing ordinary `List`/`Get` lines (only slower,
`took=`). front-end logs loud catalogue errors: `socket hang up` and
ESOCKETTIMEDOUT on /catalogue, and the shop pages come up empty. Decoys: user's `invalid
credentials` warnings, orders' MongoDB slow query, carts' JVM start-up warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Record, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2026, 12, 2, 21, 14, tzinfo=UTC)
MINUTES = 38
STEP = 5
FAULT = (23 * 60 + 20) // STEP  # 21:37:20
SOCKS = [
    "03fef6ac-1896-4ce8-bd69-b798f85c6e0b",
    "3395a43e-2d88-40de-b95f-e00e1502085b",
    "510a0d7e-8e83-4193-b483-e27e09ddc34d",
    "808a2de1-1aaa-4c25-a9b9-6612e8f29a38",
    "a0a4f044-b040-410d-8ead-4de0446aec7e",
    "d3588630-ad8e-49df-bbd7-3167f7efb246",
]
TAGS = ["", "blue", "sport", "formal", "magic", "brown,geek"]


@dataclass
class GoKit:
    def render(self, record: Record) -> list[str]:
        ts = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}432Z"
        return [f"ts={ts} {record.message}"]


@dataclass
class NodePlain:
    def render(self, record: Record) -> list[str]:
        return [f"{record.time.strftime('%a, %d %b %Y %H:%M:%S GMT')} {record.message}"]


def catalogue_fast(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "INFO",
            f"caller=logging.go:62 method=List tags={rng.choice(TAGS)} order=id pageNum=1 pageSize={rng.choice([6, 9, 12])} result={rng.choice([6, 9, 12])} err=null took={rng.uniform(0.6, 4.5):.6f}ms",
            (),
        )
    if rng.random() < 0.5:
        return (
            "INFO",
            f"caller=logging.go:71 method=Count tags={rng.choice(TAGS)} result={rng.randrange(1, 10)} err=null took={rng.uniform(0.4, 2.0):.6f}ms",
            (),
        )
    return (
        "INFO",
        f"caller=logging.go:80 method=Get id={rng.choice(SOCKS)} sock={rng.choice(SOCKS)} err=null took={rng.uniform(0.5, 3.0):.6f}ms",
        (),
    )


def catalogue_slow(rng: random.Random) -> Line:
    return (
        "INFO",
        f"caller=logging.go:62 method=List tags={rng.choice(TAGS)} order=id pageNum=1 pageSize=6 result=6 err=null took={rng.uniform(700, 4800):.4f}ms",
        (),
    )


def front_ok(rng: random.Random) -> Line:
    return (
        "INFO",
        rng.choice(
            [
                "GET /catalogue?size=5 200",
                "GET /catalogue/size?tags= 200",
                f"GET /catalogue/{rng.choice(SOCKS)} 200",
                "GET /cart 200",
                "GET /customers/57a98d98e4b00679b4a830af 200",
                "GET /tags 200",
            ]
        )
        + f" {rng.randrange(3, 60)}.{rng.randrange(100, 999)} ms - {rng.randrange(200, 4000)}",
        (),
    )


def front_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        rng.choice(
            [
                "Error: ESOCKETTIMEDOUT\n    at ClientRequest.<anonymous> (/usr/src/app/node_modules/request/request.js:816:19)",
                "Error: socket hang up\n    at createHangUpError (_http_client.js:331:15)",
                f"GET /catalogue?page=1&size=6&tags={rng.choice(TAGS)} 500 {rng.randrange(2500, 9000)}.{rng.randrange(100, 999)} ms - 47",
                f"GET /catalogue/{rng.choice(SOCKS)} 500 {rng.randrange(2500, 9000)}.{rng.randrange(100, 999)} ms - 47",
            ]
        ).split("\n")[0],
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(49301)
    catalogue = LogFile("logs/catalogue.log", GoKit())
    catalogue.add(traffic(rng, catalogue_fast, START, 24.8, 2600))
    catalogue.add(loud(rng, START, 24.8, MINUTES - 24.9, 520, catalogue_slow))
    front = LogFile("logs/front-end.log", NodePlain())
    front.add(traffic(rng, front_ok, START, MINUTES, 3400))
    front.add(loud(rng, START, 25.5, MINUTES - 25.6, 460, front_error))
    user = LogFile("logs/user.log", GoKit())
    user.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"caller=logging.go:{r.choice([36, 95])} method={r.choice(['GetUsers', 'GetAddresses', 'GetCards'])} result=1 err=null took={r.uniform(0.5, 3):.6f}ms"
                ),
            ),
            START,
            MINUTES,
            900,
        )
    )
    user.add(
        loud(
            rng,
            START,
            6.0,
            14.0,
            9,
            fixed(
                "WARN",
                lambda r: (
                    f'caller=logging.go:22 method=Login result=false err="invalid credentials" username={r.choice(["Eve_Berger", "user", "testuser7", "mc_sock"])} took={r.uniform(1, 4):.6f}ms'
                ),
            ),
        )
    )
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            ("w.w.s.o.r.OrdersController", "org.mongodb.driver.protocol.command"), pid=1, rng=rng
        ),
    )
    orders.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"Received new order request for customer 57a98d98e4b00679b4a830af items={r.randrange(1, 6)}"
                ),
            ),
            START,
            MINUTES,
            260,
        )
    )
    orders.add(
        [
            at(
                START,
                15.9,
                "WARN",
                "Slow MongoDB operation: find orders-db.customerOrder filter {customerId: 1} took 1342 ms (planSummary: COLLSCAN)",
                logger="org.mongodb.driver.protocol.command",
            )
        ]
    )
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(("w.w.s.c.c.CartsController", "o.s.b.w.e.t.TomcatWebServer"), pid=1, rng=rng),
    )
    carts.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"Adding item to cart: {r.choice(SOCKS)}"),
            START,
            MINUTES,
            700,
        )
    )
    carts.add(
        [
            at(
                START,
                1.2,
                "WARN",
                "Creating instance of SecureRandom using [SHA1PRNG] took [5,231] milliseconds.",
                logger="o.a.c.u.SessionIdGeneratorBase",
            )
        ]
    )
    levels = {
        "front-end": (0.412, 91.4, (0.0121, 0.0487), 61.7),
        "catalogue": (0.028, 11.3, (0.0018, 0.0044), 38.2),
        "catalogue-db": (0.036, 204.6, (0.0009, 0.0027), 38.9),
        "carts": (0.161, 402.9, (0.0094, 0.0288), 12.6),
        "carts-db": (0.029, 88.4, (0.0011, 0.0031), 12.8),
        "orders": (0.118, 391.2, (0.0231, 0.0642), 2.3),
        "orders-db": (0.022, 79.6, (0.0012, 0.0035), 2.4),
        "payment": (0.009, 8.7, (0.0006, 0.0015), 2.3),
        "shipping": (0.071, 356.3, (0.0052, 0.0139), 2.3),
        "user": (0.032, 12.9, (0.0021, 0.0058), 9.1),
        "user-db": (0.019, 71.1, (0.0008, 0.0022), 9.2),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    c = services["catalogue"]
    c["mem"] = shift(rng, 11.3, 236.4, FAULT, 0.01, ramp=60)
    c["cpu"] = shift(rng, 0.028, 0.318, FAULT, 0.1, ramp=10)
    c["latency-50"] = shift(rng, 0.0018, 0.913, FAULT + 54, 0.2, ramp=10)
    c["latency-90"] = shift(rng, 0.0044, 4.217, FAULT + 54, 0.2, ramp=10)
    services["front-end"]["latency-90"] = shift(rng, 0.0487, 5.102, FAULT + 60, 0.05, ramp=6)
    services["front-end"]["latency-50"] = shift(rng, 0.0121, 1.884, FAULT + 60, 0.1, ramp=6)
    points = MINUTES * 60 // STEP
    return Bundle(
        question="The sock shop's home and catalogue pages have been loading empty or timing out since about 21:40 UTC. What is the root cause?",
        category="memory",
        component="catalogue",
        statement="From 21:37:20 UTC a memory hog in catalogue's container drives its memory from ~11 MiB to ~236 MiB, near its 256Mi limit; the stalled catalogue answers slowly and front-end's catalogue requests time out (ESOCKETTIMEDOUT, socket hang up, 500).",
        files={
            "metrics/data.csv": wide_csv(START, STEP, points, services),
            "logs/front-end.log": front.render(),
            "logs/catalogue.log": catalogue.render(),
            "logs/user.log": user.render(),
            "logs/orders.log": orders.render(),
            "logs/carts.log": carts.render(),
        },
        proofs=[Proof("metrics/data.csv", stamp(START, STEP, FAULT))],
        decoys=[
            'err="invalid credentials"',
            "Slow MongoDB operation: find orders-db.customerOrder",
            "Creating instance of SecureRandom using [SHA1PRNG]",
        ],
    )
