# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one CSV per service, 2 s steps): a memory hog (stress-ng vm
workers) in the catalogue container from 08:13:20 UTC. catalogue's memory climbs from about 24
MiB to 1.9 GiB within two minutes and stays there; its latency rises as the container pages
and the Go runtime stalls, while its CPU moves only a little. catalogue's own log keeps its
go-kit request lines, slower. Loud: front-end's `ESOCKETTIMEDOUT` on /catalogue and the load
generator's failed product pages. Decoys: catalogue-db (its workload drops, and an idle-connection warning), a carts slow
query warning, and an orders `RabbitMQ connection recovered` at 08:02."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Record, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2025, 3, 11, 7, 55, tzinfo=UTC)
MINUTES = 34
STEP = 2
POINTS = MINUTES * 60 // STEP
FAULT = (18 * 60 + 20) // STEP
IDS = [
    "3395a43e-2d88-40de-b95f-e00e1502085b",
    "510a0d7e-8e83-4193-b483-e27e09ddc34d",
    "808a2de1-1aaa-4c25-a9b9-6612e8f29a38",
    "a0a4f044-b040-410d-8ead-4de0446aec7e",
    "d3588630-ad8e-49df-bbd7-3167f7efb246",
]


@dataclass
class GoKit:
    """catalogue's go-kit logfmt: `ts=... caller=logging.go:62 method=Get id=... err=null took=...`."""

    def render(self, record: Record) -> list[str]:
        stamp_text = record.time.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        return [f"ts={stamp_text} caller={record.logger or 'logging.go:62'} {record.message}"]


@dataclass
class NodePlain:
    """front-end's plain Node console output: the message only, stamped by `kubectl logs --timestamps`."""

    def render(self, record: Record) -> list[str]:
        stamp_text = record.time.strftime("%Y-%m-%dT%H:%M:%S.%f") + "412Z"
        return [f"{stamp_text} {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(629)
    fault = FAULT * STEP / 60
    catalogue = LogFile("logs/catalogue.log", GoKit())

    def cat_line(slow: bool):
        def make(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
            took = r.uniform(0.4, 3.0) if not slow else r.uniform(180, 2400)
            unit = "ms" if took < 1000 else "s"
            took_text = f"{took:.6f}ms" if unit == "ms" else f"{took / 1000:.6f}s"
            if r.random() < 0.5:
                return (
                    "INFO",
                    f"method=Get id={r.choice(IDS)} sock={r.choice(IDS)} err=null took={took_text}",
                    (),
                )
            return (
                "INFO",
                f"method=List tags= order=id pageNum=1 pageSize={r.choice([3, 6, 9])} result={r.choice([3, 6, 9])} err=null took={took_text}",
                (),
            )

        return make

    catalogue.add(traffic(rng, cat_line(False), START, fault, 2400))
    catalogue.add(
        traffic(rng, cat_line(True), START + timedelta(minutes=fault + 1), MINUTES - fault - 1, 900)
    )
    catalogue.add(traffic(rng, cat_line(False), START + timedelta(minutes=fault), 1, 60))
    catalogue.add(
        [
            at(
                START,
                4.2,
                "WARN",
                'err="invalid connection" msg="mysql: closing bad idle connection to catalogue-db:3306, reconnected"',
                logger="db.go:41",
            )
        ]
    )
    frontend = LogFile("logs/front-end.log", NodePlain())
    frontend.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"GET /catalogue?size={r.choice([3, 6])} 200 {r.randrange(4, 60)}.{r.randrange(100, 999)} ms - -",
                        f"GET /catalogue/{r.choice(IDS)} 200 {r.randrange(3, 40)}.{r.randrange(100, 999)} ms - -",
                        f"GET /cart 200 {r.randrange(5, 50)}.{r.randrange(100, 999)} ms - -",
                        "GET /customers/57a98d98e4b00679b4a830af 200 9.041 ms - -",
                    ]
                ),
                (),
            ),
            START,
            MINUTES,
            5400,
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            fault + 1.2,
            MINUTES - fault - 1.4,
            380,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        "Error with log in: Error: ESOCKETTIMEDOUT",
                        f"GET /catalogue/{r.choice(IDS)} 500 5001.{r.randrange(100, 999)} ms - -",
                        "Error: ESOCKETTIMEDOUT\n    at ClientRequest.<anonymous> (/usr/src/app/node_modules/request/request.js:816:19)\n    at Object.onceWrapper (node:events:632:28)\n    at ClientRequest.emit (node:events:518:28)\n    at Socket.emitRequestTimeout (node:_http_client:847:9)",
                    ]
                ),
            ),
        )
    )
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(
            ("w.c.carts.controllers.CartsController", "o.s.d.mongodb.core.MongoTemplate"), rng=rng
        ),
    )
    carts.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"Cart for customer {r.getrandbits(96):024x} has {r.randrange(0, 6)} items",
                (),
            ),
            START,
            MINUTES,
            1600,
        )
    )
    carts.add(
        [
            at(
                START,
                22.5,
                "WARN",
                "Slow query: find on data.cart took 612 ms (threshold 500 ms), keysExamined=0 docsExamined=48211",
                logger="o.s.d.mongodb.core.MongoTemplate",
            )
        ]
    )
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            ("w.c.orders.controllers.OrdersController", "o.s.a.r.c.CachingConnectionFactory"),
            rng=rng,
        ),
    )
    orders.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"Created new order {r.getrandbits(96):024x} total={r.randrange(10, 200)}.{r.randrange(10, 99)}",
                (),
            ),
            START,
            MINUTES,
            500,
        )
    )
    orders.add(
        [
            at(
                START,
                7.0,
                "WARN",
                "RabbitMQ connection to rabbitmq:5672 lost, recovering (attempt 1) - connection recovered",
                logger="o.s.a.r.c.CachingConnectionFactory",
            )
        ]
    )
    levels = {
        "front-end": (0.091, 61.3, (0.0112, 0.0485), 52.4),
        "catalogue": (0.024, 24.1, (0.0021, 0.0062), 31.8),
        "catalogue-db": (0.011, 218.7, (0.0009, 0.0024), 32.1),
        "carts": (0.108, 402.5, (0.0087, 0.0311), 17.2),
        "carts-db": (0.031, 139.0, (0.0011, 0.0032), 17.0),
        "orders": (0.072, 395.3, (0.0365, 0.0902), 2.8),
        "orders-db": (0.019, 120.6, (0.0012, 0.0036), 2.8),
        "user": (0.015, 18.6, (0.0024, 0.0066), 9.9),
        "user-db": (0.014, 98.7, (0.0010, 0.0028), 9.8),
        "payment": (0.004, 11.2, (0.0009, 0.0021), 2.8),
        "shipping": (0.041, 371.0, (0.0041, 0.0128), 2.8),
        "queue-master": (0.037, 356.2, (0.0031, 0.0081), 2.7),
    }
    series = {name: usual_series(rng, *value) for name, value in levels.items()}
    c = series["catalogue"]
    c["mem"] = shift(rng, 24.1, 1931.5, FAULT, 0.01, ramp=50)
    c["cpu"] = shift(rng, 0.024, 0.061, FAULT, 0.1, ramp=10)
    c["latency-50"] = shift(rng, 0.0021, 0.6218, FAULT + 30, 0.15, ramp=40)
    c["latency-90"] = shift(rng, 0.0062, 2.4731, FAULT + 30, 0.15, ramp=40)
    series["front-end"]["latency-90"] = shift(rng, 0.0485, 5.0213, FAULT + 35, 0.08, ramp=40)
    series["catalogue-db"]["workload"] = shift(rng, 32.1, 11.4, FAULT + 35, 0.08, ramp=30)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, cols, 4)
        for name, cols in series.items()
    }
    for log in (frontend, catalogue, carts, orders):
        files[log.name] = log.render()
    return Bundle(
        question="Sock Shop product listing and product pages started timing out at about 08:15 UTC during the load test. What is the root cause and in which service?",
        category="memory",
        component="catalogue",
        statement="From 08:13:20 UTC a memory hog in the catalogue container drives its memory from about 24 MiB to 1.9 GiB; catalogue's latency rises to seconds, and front-end's calls to /catalogue time out (ESOCKETTIMEDOUT).",
        files=files,
        proofs=[
            Proof(
                "metrics/catalogue.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 10)
            )
        ],
        decoys=[
            "catalogue-db",
            "Slow query: find on data.cart took 612 ms",
            "RabbitMQ connection to rabbitmq:5672 lost",
        ],
    )
