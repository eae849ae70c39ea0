# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one wide CSV with a `socket` series per service): a socket
exhaustion fault in the catalogue container from 11:08:20 UTC. Its socket count climbs from
about 30 to 27 thousand within two minutes; then catalogue cannot open new connections to
catalogue-db and logs `connect: cannot assign requested address` once before its queries fail.
Loud: the front-end's 500s on /catalogue and product pages. Decoys: a carts slow Mongo query, a
user-service JWT clock warning, and catalogue-db's routine aborted connection note earlier."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Pino, Record, SpringBoot, iso_millis
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 1, 22, 10, 49, tzinfo=UTC)
STEP = 1
MINUTES = 33
POINTS = MINUTES * 60
FAULT = 19 * 60 + 20
FULL = FAULT + 118


@dataclass
class GoKit:
    """go-kit's logfmt logger as Sock Shop's catalogue and user services use it."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        return [
            f"ts={iso_millis(record.time)} caller={record.logger or 'logging.go:22'} {record.message}"
        ]


@dataclass
class MysqlError:
    """MySQL 5.7's error log: `2025-01-22T10:49:00.123456Z 12 [Note] message`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        level = {"WARN": "Warning", "ERROR": "ERROR"}.get(record.level, "Note")
        return [
            record.time.strftime("%Y-%m-%dT%H:%M:%S.%f")
            + f"Z {self.rng.randrange(2, 900)} [{level}] {record.message}"
        ]


SOCKS = [
    "a0a4f044-b040-410d-8ead-4de0446aec7e",
    "808a2de1-1aaa-4c25-a9b9-6612e8f29a38",
    "510a0d7e-8e83-4193-b483-e27e09ddc34d",
    "03fef6ac-1896-4ce8-bd69-b798f85c6e0b",
    "d3588630-ad8e-49df-bbd7-3167f7efb246",
    "819e1fbf-8b7e-4f6d-811f-693534916a8b",
    "zzz4f044-b040-410d-8ead-4de0446aec7e",
]


def catalogue_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"method=List tags={rng.choice(['', 'brown', 'blue', 'sport', 'formal'])} order=id pageNum=1 pageSize={rng.choice([3, 6])} result={rng.choice([3, 6])} err=null took={rng.randrange(900, 4800)}.{rng.randrange(999)}µs",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"method=Get id={rng.choice(SOCKS)} sock={rng.choice(SOCKS)} err=null took={rng.randrange(700, 3100)}.{rng.randrange(999)}µs",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"method=Count tags= result=9 err=null took={rng.randrange(500, 2000)}.{rng.randrange(999)}µs",
            (),
        )
    return (
        "INFO",
        f"method=Tags result=11 err=null took={rng.randrange(400, 1600)}.{rng.randrange(999)}µs",
        (),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?page=1&size=6",
            "/catalogue/" + rng.choice(SOCKS),
            "/catalogue/size?tags=",
            "/tags",
            "/cart",
            "/customers/57a98d98e4b00679b4a830b2",
            "/orders",
        ]
    )
    return "INFO", f"GET {path} 200 {rng.randrange(3, 80)}ms", ()


def carts_line(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return "INFO", f"Request for cart {rng.getrandbits(96):024x}", ()
    return (
        "DEBUG",
        f"Merging carts for customer id: {rng.getrandbits(96):024x} and session id: {rng.getrandbits(96):024x}",
        (),
    )


def catalogue_fail(rng: random.Random) -> Line:
    return (
        "INFO",
        f'method={rng.choice(["List", "Get", "Count"])} tags= result=0 err="database connection error" took={rng.randrange(100, 900)}.{rng.randrange(999)}µs',
        (),
    )


def front_fail(rng: random.Random) -> Line:
    path = rng.choice(
        ["/catalogue?page=1&size=6", "/catalogue/" + rng.choice(SOCKS), "/catalogue/size?tags="]
    )
    return (
        "ERROR",
        f"GET {path} 500 {rng.randrange(2, 30)}ms - Error: Response was not 200: 500 Internal Server Error",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(95501)
    full = FULL / 60
    cat = LogFile("logs/catalogue.log", GoKit(rng=rng))
    cat.add(traffic(rng, catalogue_line, START, full, 2100))
    cat.add(
        [
            at(
                START,
                full + 0.02,
                "ERROR",
                'err="dial tcp 10.52.3.19:3306: connect: cannot assign requested address" msg="database connection error"',
                logger="service.go:104",
            )
        ]
    )
    cat.add(loud(rng, START, full + 0.1, MINUTES - full - 0.2, 620, catalogue_fail))
    front = LogFile("logs/front-end.log", Pino("front-end-7b5fd66c8d-r4kzs", rng=rng))
    front.add(traffic(rng, front_line, START, MINUTES, 3200))
    front.add(loud(rng, START, full + 0.12, MINUTES - full - 0.2, 380, front_fail))
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(("works.weave.socks.cart.controllers.CartsController",), rng=rng),
    )
    carts.add(traffic(rng, carts_line, START, MINUTES, 1500))
    carts.add(
        [
            at(
                START,
                full + 3.1,
                "WARN",
                'Slow query: find carts-db.cart { customerId: "57a98d98e4b00679b4a830b2" } took 1311ms (planSummary: COLLSCAN)',
                logger="org.mongodb.driver.protocol.command",
            )
        ]
    )
    user = LogFile("logs/user.log", GoKit(rng=rng))
    user.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"method=GetUsers id={r.getrandbits(96):024x} result=1 err=null took={r.randrange(900, 3000)}.{r.randrange(999)}µs"
                ),
            ),
            START,
            MINUTES,
            900,
        )
    )
    user.add(
        [
            at(
                START,
                6.7,
                "WARN",
                'msg="token issued in the future, tolerating" skew=1.3s leeway=5s',
                logger="auth.go:71",
            )
        ]
    )
    db = LogFile("logs/catalogue-db.log", MysqlError(rng=rng))
    db.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"Aborted connection {r.randrange(20, 400)} to db: 'socksdb' user: 'catalogue_user' host: '10.52.{r.randrange(1, 4)}.{r.randrange(2, 250)}' (Got an error reading communication packets)"
                ),
            ),
            START,
            MINUTES,
            14,
        )
    )
    levels = {
        "front-end": (0.17, 101, (0.0109, 0.0583), 36.4),
        "catalogue": (0.038, 11, (0.0027, 0.0081), 24.3),
        "catalogue-db": (0.052, 202, (0.0009, 0.0031), 24.1),
        "carts": (0.114, 391, (0.0061, 0.0207), 10.9),
        "carts-db": (0.021, 87, (0.0008, 0.0026), 10.9),
        "orders": (0.088, 409, (0.0397, 0.1144), 2.6),
        "user": (0.036, 13, (0.0042, 0.0129), 8.8),
        "payment": (0.008, 9, (0.0009, 0.0025), 2.6),
        "shipping": (0.041, 366, (0.0077, 0.0251), 2.6),
    }
    sockets = {
        "front-end": 64,
        "catalogue": 29,
        "catalogue-db": 33,
        "carts": 47,
        "carts-db": 21,
        "orders": 45,
        "user": 28,
        "payment": 12,
        "shipping": 38,
    }
    services = {}
    for name, value in levels.items():
        services[name] = usual_series(rng, *value)
        services[name]["socket"] = shift(rng, sockets[name], sockets[name], 0, 0.05)
    c = services["catalogue"]
    c["socket"] = shift(rng, 29, 27104, FAULT, 0.01, ramp=118)
    c["cpu"] = shift(rng, 0.038, 0.061, FAULT, 0.1)
    c["latency-50"] = shift(rng, 0.0027, 0.0004, FULL, 0.2)
    c["workload"] = shift(rng, 24.3, 31.0, FULL, 0.1)
    services["catalogue-db"]["workload"] = shift(rng, 24.1, 0.3, FULL, 0.3)
    services["catalogue-db"]["cpu"] = shift(rng, 0.052, 0.011, FULL, 0.1)
    services["front-end"]["cpu"] = shift(rng, 0.17, 0.23, FULL + 3, 0.1)
    return Bundle(
        question="Sock Shop's shop pages show an error since roughly 11:10 UTC: the front-end returns 500 for the catalogue and product pages. What is the root cause?",
        category="network",
        component="catalogue",
        statement="From 11:08:20 UTC the catalogue container's open sockets climb from about 30 to over 27,000; by 11:10:18 it can no longer open a connection to catalogue-db (`connect: cannot assign requested address`), so every catalogue query fails and the front-end returns 500; catalogue-db only goes idle because nothing reaches it.",
        files={
            "metrics.csv": wide_csv(START, STEP, POINTS, services),
            "logs/catalogue.log": cat.render(),
            "logs/front-end.log": front.render(),
            "logs/carts.log": carts.render(),
            "logs/user.log": user.render(),
            "logs/catalogue-db.log": db.render(),
        },
        proofs=[
            Proof("metrics.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2)),
            Proof("logs/catalogue.log", "connect: cannot assign requested address"),
        ],
        decoys=[
            "took 1311ms (planSummary: COLLSCAN)",
            "token issued in the future",
            "Aborted connection",
        ],
    )
