# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE1-like layout, one wide CSV with 5 s steps): a memory hog (stress-ng
--vm) in catalogue's container from 03:08:40 UTC. catalogue's `mem` climbs from ~9 MiB towards
its 300 MiB limit over three minutes; its cpu and latency rise as the container reclaims pages,
and its go-kit log shows `took` growing while it keeps answering. front-end's catalogue calls
time out (ESOCKETTIMEDOUT) and the home and category pages fail. Decoys: catalogue-db's aborted
connection note, an orders warning about shipping, and front-end's loud timeouts."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Record, SpringBoot
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 3, 22, 2, 50, tzinfo=UTC)
MINUTES = 40
STEP = 5
FAULT = (18 * 60 + 40) // STEP
TAGS = [
    "brown",
    "geek",
    "formal",
    "blue",
    "skin",
    "red",
    "action",
    "sport",
    "black",
    "magic",
    "green",
]


@dataclass
class GoKit:
    def render(self, record: Record) -> list[str]:
        stamp_ = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}123Z"
        return [f"ts={stamp_} {record.message}"]


@dataclass
class Morgan:
    def render(self, record: Record) -> list[str]:
        return [record.message, *record.trailer]


@dataclass
class MysqlErr:
    def render(self, record: Record) -> list[str]:
        stamp_ = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        kind = {"WARN": "Warning", "ERROR": "ERROR"}.get(record.level, "Note")
        return [f"{stamp_} {record.logger or '0'} [{kind}] {record.message}"]


def took(rng: random.Random, scale: float) -> str:
    return f"{rng.lognormvariate(0, 0.5) * scale:.6f}ms"


def catalogue_line(rng: random.Random, scale: float = 1.4) -> Line:
    roll = rng.random()
    if roll < 0.5:
        tags = ",".join(rng.sample(TAGS, rng.randrange(0, 2)))
        return (
            "INFO",
            f"caller=logging.go:31 method=List tags={tags} order=id pageNum=1 pageSize={rng.choice([3, 6, 9])} result={rng.randrange(1, 9)} err=null took={took(rng, scale)}",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"caller=logging.go:62 method=Get id={rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x} sock={rng.choice(['Holy', 'Crossed', 'Figueroa', 'Classic', 'YouTube.sock', 'Colourful', 'SuperSport XL', 'Nerd leg'])} err=null took={took(rng, scale)}",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"caller=logging.go:48 method=Count tags={rng.choice(TAGS)} result={rng.randrange(1, 9)} err=null took={took(rng, scale * 0.8)}",
            (),
        )
    return (
        "INFO",
        f"caller=logging.go:76 method=Tags result=11 err=null took={took(rng, scale * 0.6)}",
        (),
    )


def slow_catalogue_line(rng: random.Random) -> Line:
    return catalogue_line(rng, 380.0)


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/index.html",
            "/catalogue?size=5",
            "/catalogue?page=1&size=6",
            "/catalogue/size?tags=",
            "/cart",
            "/customers/57a98d98e4b00679b4a830af",
            "/tags",
            "/category.html",
            "/js/client.js",
        ]
    )
    return (
        "INFO",
        f"GET {path} 200 {rng.lognormvariate(0, 0.5) * 9:.3f} ms - {rng.randrange(200, 9000)}",
        (),
    )


def frontend_error(rng: random.Random) -> Line:
    path = rng.choice(
        ["/catalogue?size=5", "/catalogue?page=1&size=6", "/catalogue/size?tags=", "/tags"]
    )
    if rng.random() < 0.6:
        return (
            "ERROR",
            f"Error: ESOCKETTIMEDOUT (GET http://catalogue{path})",
            (
                "    at ClientRequest.<anonymous> (/usr/src/app/node_modules/request/request.js:816:19)",
            ),
        )
    return "ERROR", f"GET {path} 500 {rng.uniform(4900, 5100):.3f} ms - 21", ()


def orders_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "INFO",
            f"Order created with id: {rng.getrandbits(96):024x} and total {rng.uniform(8, 120):.2f}",
            (),
        )
    return (
        "INFO",
        "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
        (),
    )


def db_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"Aborted connection {rng.randrange(40, 900)} to db: 'socksdb' user: 'catalogue_user' host: '10.32.0.{rng.randrange(2, 60)}' (Got an error reading communication packets)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(339_322)
    fault_minute = FAULT * STEP / 60
    cat = LogFile("logs/catalogue.log", GoKit())
    cat.add(traffic(rng, catalogue_line, START, fault_minute + 0.6, 2300))
    cat.add(
        loud(rng, START, fault_minute + 0.6, MINUTES - fault_minute - 0.6, 700, slow_catalogue_line)
    )
    front = LogFile("logs/front-end.log", Morgan())
    front.add(traffic(rng, frontend_line, START, MINUTES, 3100))
    front.add(
        loud(rng, START, fault_minute + 1.9, MINUTES - fault_minute - 2.0, 380, frontend_error)
    )
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            ("w.w.s.orders.controllers.OrdersController", "w.w.s.orders.config.RestProxyTemplate"),
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, MINUTES, 330))
    orders.add(
        [
            at(
                START,
                12.8,
                "WARN",
                "Shipping request for order 6a1c0f3b took 2311 ms (expected < 1000 ms); continuing",
                logger="w.w.s.orders.controllers.OrdersController",
            )
        ]
    )
    db = LogFile("logs/catalogue-db.log", MysqlErr())
    db.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                "InnoDB: page_cleaner: 1000ms intended loop took "
                + str(r.randrange(1001, 1300))
                + "ms. The settings might not be optimal.",
                (),
            ),
            START,
            MINUTES,
            12,
        )
    )
    db.add([at(START, 9.2, "WARN", db_line(rng)[1])])
    levels = {
        "front-end": (0.142, 82.6, (0.0061, 0.0203), 38.1),
        "catalogue": (0.036, 9.2, (0.0014, 0.0039), 31.7),
        "catalogue-db": (0.022, 215.4, (0.0009, 0.0024), 31.7),
        "carts": (0.163, 342.8, (0.0082, 0.0251), 12.3),
        "carts-db": (0.041, 88.3, (0.0011, 0.0031), 12.3),
        "orders": (0.118, 371.5, (0.0411, 0.1188), 1.9),
        "orders-db": (0.027, 79.6, (0.0012, 0.0034), 1.9),
        "payment": (0.011, 7.8, (0.0008, 0.0021), 1.9),
        "shipping": (0.093, 301.2, (0.0071, 0.0216), 1.9),
        "user": (0.018, 8.9, (0.0021, 0.0063), 9.4),
        "user-db": (0.031, 94.1, (0.0010, 0.0029), 9.4),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    c = services["catalogue"]
    c["mem"] = shift(rng, 9.2, 291.0, FAULT, 0.01, ramp=36)
    c["cpu"] = shift(rng, 0.036, 0.412, FAULT + 20, 0.08, ramp=10)
    c["latency-50"] = shift(rng, 0.0014, 0.388, FAULT + 24, 0.2, ramp=6)
    c["latency-90"] = shift(rng, 0.0039, 2.71, FAULT + 24, 0.2, ramp=6)
    services["front-end"]["latency-90"] = shift(rng, 0.0203, 5.02, FAULT + 26, 0.02, ramp=4)
    services["front-end"]["latency-50"] = shift(rng, 0.0061, 0.41, FAULT + 26, 0.1, ramp=4)
    files = {
        "metrics.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "logs/catalogue.log": cat.render(),
        "logs/front-end.log": front.render(),
        "logs/orders.log": orders.render(),
        "logs/catalogue-db.log": db.render(),
    }
    return Bundle(
        question="Since roughly 03:11 UTC the sock shop home page and category pages time out for many users. What is the root cause?",
        category="memory",
        component="catalogue",
        statement="From 03:08:40 UTC a memory hog in catalogue's container drives its memory from ~9 MiB towards its ~300 MiB limit; reclaim pressure makes catalogue's CPU and latency climb and front-end's catalogue calls time out (ESOCKETTIMEDOUT), so pages fail.",
        files=files,
        proofs=[Proof("metrics.csv", stamp(START, STEP, FAULT))],
        decoys=[
            "Got an error reading communication packets",
            "Shipping request for order 6a1c0f3b took 2311 ms",
            "ESOCKETTIMEDOUT",
        ],
    )
