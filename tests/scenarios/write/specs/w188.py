# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one CSV per service): about 900 ms of network delay (tc netem)
on the catalogue pod from 17:03:40 UTC. catalogue's own go-kit log keeps reporting `took=` in
microseconds to a few milliseconds (the delay is on the wire); only its measured latency and its
falling workload show the fault. The front-end's catalogue and product pages time out
(`ESOCKETTIMEDOUT`) and return 500. Decoys: catalogue-db's `Aborted connection` notes (its idle
pool connections, present all along), carts' ordinary slow-Mongo warnings and the front-end's
errors themselves."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Record, SpringBoot
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2025, 3, 9, 16, 50, tzinfo=UTC)
MINUTES = 26
POINTS = MINUTES * 60
FAULT = 13 * 60 + 40
SOCKS = [
    "3395a43e-2d88-40de-b95f-e00e1502085b",
    "510a0d7e-8e83-4193-b483-e27e09ddc34d",
    "808a2de1-1aaa-4c25-a9b9-6612e8f29a38",
    "819e1fbf-8b7e-4f6d-811f-693534916a8b",
    "a0a4f044-b040-410d-8ead-4de0446aec7e",
    "d3588630-ad8e-49df-bbd7-3167f7efb246",
]


class GoKit:
    def render(self, record: Record) -> list[str]:
        text = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        return [f"ts={text} caller={record.logger or 'logging.go:22'} {record.message}"]


class NodeConsole:
    def render(self, record: Record) -> list[str]:
        return [record.message, *record.trailer]


class MysqlLog:
    def render(self, record: Record) -> list[str]:
        text = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        level = {"WARN": "Warning", "ERROR": "ERROR"}.get(record.level, "Note")
        return [f"{text} {record.logger or '0'} [{level}] {record.message}"]


def catalogue_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return (
            "INFO",
            f"method=List tags= order=id pageNum={rng.randrange(1, 3)} pageSize=6 result=6 err=null took={rng.randrange(700, 4200)}.{rng.randrange(1000):03d}µs",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"method=Get id={rng.choice(SOCKS)} sock={rng.choice(SOCKS)} err=null took={rng.randrange(400, 2600)}.{rng.randrange(1000):03d}µs",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"method=Count tags={rng.choice(['', 'blue', 'formal', 'sport'])} result={rng.randrange(2, 10)} err=null took={rng.randrange(300, 1900)}.{rng.randrange(1000):03d}µs",
            (),
        )
    return (
        "INFO",
        f"method=Tags result=12 err=null took={rng.randrange(300, 900)}.{rng.randrange(1000):03d}µs",
        (),
    )


def front_ok(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?page=1&size=6",
            "/catalogue/size?tags=",
            f"/catalogue/{rng.choice(SOCKS)}",
            "/cart",
            "/cart",
            "/customers/57a98d98e4b00679b4a830af",
            "/tags",
            "/orders",
            "/index.html",
            "/category.html",
        ]
    )
    return "INFO", f"GET {path} 200 {rng.random() * 60 + 3:.3f} ms - {rng.randrange(40, 9000)}", ()


def front_fail(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?page=1&size=6",
            "/catalogue/size?tags=",
            f"/catalogue/{rng.choice(SOCKS)}",
            "/tags",
        ]
    )
    return (
        "ERROR",
        f"GET {path} 500 {10000 + rng.random() * 30:.3f} ms - 33",
        (
            "Error: ESOCKETTIMEDOUT",
            "    at ClientRequest.<anonymous> (/usr/src/app/node_modules/request/request.js:819:19)",
            "    at Object.onceWrapper (node:events:632:28)",
            "    at ClientRequest.emit (node:events:518:28)",
            "    at Socket.emitRequestTimeout (node:_http_client:849:9)",
        ),
    )


def carts_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.97:
        return (
            "INFO",
            f"Found cart for customer {rng.getrandbits(48):012x} with {rng.randrange(0, 6)} items",
            (),
        )
    return (
        "WARN",
        f"Slow Mongo query on collection 'cart' took {rng.randrange(210, 480)}ms (threshold 200ms)",
        (),
    )


def aborted(rng: random.Random) -> Line:
    return (
        "WARN",
        f"Aborted connection {rng.randrange(20, 900)} to db: 'socksdb' user: 'catalogue_user' host: '10.44.{rng.randrange(0, 3)}.{rng.randrange(2, 250)}' (Got timeout reading communication packets)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1188)
    fault = FAULT / 60
    after = MINUTES - fault
    cat = LogFile("logs/catalogue.log", GoKit())
    cat.add(traffic(rng, catalogue_line, START, fault, 2100))
    cat.add(traffic(rng, catalogue_line, START + timedelta(minutes=fault), after, 600))
    front = LogFile("logs/front-end.log", NodeConsole())
    front.add(traffic(rng, front_ok, START, MINUTES, 2600))
    front.add(loud(rng, START, fault + 0.4, after - 0.5, 150, front_fail))
    front.add(
        [
            at(START, 0.05, "INFO", "Using local session manager"),
            at(START, 0.06, "INFO", "App now running in production mode on port 8079"),
        ]
    )
    carts = LogFile(
        "logs/carts.log", SpringBoot(("w.c.CartsController", "w.c.ItemsController"), rng=rng)
    )
    carts.add(traffic(rng, carts_line, START, MINUTES, 1400))
    db = LogFile("logs/catalogue-db.log", MysqlLog())
    db.add(loud(rng, START, 0.0, MINUTES, 28, aborted))
    db.add(
        [
            at(
                START,
                0.1,
                "INFO",
                "InnoDB: page_cleaner: 1000ms intended loop took 4231ms. The settings might not be optimal. (flushed=0 and evicted=0, during the time.)",
                logger="0",
            )
        ]
    )

    levels = {
        "front-end": (0.121, 88, (0.0122, 0.0541), 31.4),
        "catalogue": (0.018, 9, (0.0021, 0.0068), 22.7),
        "catalogue-db": (0.014, 212, (0.0007, 0.0022), 22.9),
        "carts": (0.094, 402, (0.0088, 0.0291), 14.3),
        "carts-db": (0.022, 96, (0.0011, 0.0034), 14.5),
        "orders": (0.061, 441, (0.0411, 0.1210), 1.9),
        "payment": (0.006, 8, (0.0009, 0.0031), 1.9),
        "shipping": (0.043, 371, (0.0061, 0.0188), 1.9),
        "user": (0.012, 11, (0.0031, 0.0101), 9.2),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    c = services["catalogue"]
    c["latency-50"] = shift(rng, 0.0021, 0.9140, FAULT, 0.08)
    c["latency-90"] = shift(rng, 0.0068, 2.7330, FAULT, 0.2)
    c["workload"] = shift(rng, 22.7, 13.9, FAULT + 3, 0.1)
    services["catalogue-db"]["workload"] = shift(rng, 22.9, 14.1, FAULT + 4, 0.1)
    services["front-end"]["latency-90"] = shift(rng, 0.0541, 4.9120, FAULT + 2, 0.25, ramp=8)
    services["front-end"]["latency-50"] = shift(rng, 0.0122, 0.9710, FAULT + 2, 0.2, ramp=8)
    files = {}
    for name, series in services.items():
        columns = {f"{name}_{metric}": function for metric, function in series.items()}
        files[f"metrics/{name}.csv"] = unix_rows(START, 1, POINTS, columns, 4)
    files.update(
        {
            "logs/front-end.log": front.render(),
            "logs/catalogue.log": cat.render(),
            "logs/carts.log": carts.render(),
            "logs/catalogue-db.log": db.render(),
        }
    )
    return Bundle(
        question="Browsing the sock shop has been timing out with 500s since about 17:04 UTC. Which service is the root cause?",
        category="network",
        component="catalogue",
        statement="From 17:03:40 UTC about 900 ms of network delay on the catalogue pod lifts its measured p50 from 2 ms to about 0.9 s while its own log still reports sub-millisecond calls; the front-end's catalogue requests time out (ESOCKETTIMEDOUT) and return 500.",
        files=files,
        proofs=[Proof("metrics/catalogue.csv", stamp(START, 1, FAULT), stamp(START, 1, FAULT + 3))],
        decoys=["Aborted connection", "Slow Mongo query", "ESOCKETTIMEDOUT"],
    )
