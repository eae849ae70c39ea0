# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one CSV per service with `diskio`, logs in UTC-05:00 as the
team's laptops pasted them): a disk I/O hog (stress-ng --hdd 4) in catalogue-db's container
from 14:06:50 -05:00. MySQL logs one InnoDB `page_cleaner: 1000ms intended loop took 7431ms`
note and nothing else; its `diskio` series jumps. catalogue's go-kit log shows List and Get
taking seconds, then Get calls failing at its 5 s deadline; the front-end's product pages answer 500. Decoys: catalogue's `context deadline exceeded`
errors, MySQL's usual `Aborted connection` notes, and a front-end 404 for a missing image."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Record
from scenes import at, loud
from traffic import Line, traffic

EST = timezone(timedelta(hours=-5))
START = datetime(2025, 12, 9, 18, 45, tzinfo=UTC)
MINUTES = 40
STEP = 5
FAULT = (21 * 60 + 50) // STEP
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
class MySQL:
    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        level = {"WARN": "Warning", "ERROR": "ERROR"}.get(record.level, "Note")
        return [f"{stamp} {record.logger or '0'} [{level}] {record.message}"]


@dataclass
class GoKitLocal:
    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(EST)
        return [
            f"ts={local.strftime('%Y-%m-%dT%H:%M:%S.')}{local.microsecond:06d}-05:00 caller=logging.go:{record.logger or '22'} {record.message}"
        ]


@dataclass
class FrontEnd:
    def render(self, record: Record) -> list[str]:
        return [record.message, *record.trailer]


def sock_id(rng: random.Random) -> str:
    return rng.choice(
        [
            "03fef6ac-1896-4ce8-bd69-b798f85c6e0b",
            "3395a43e-2d88-40de-b95f-e00e1502085b",
            "510a0d7e-8e83-4193-b483-e27e09ddc34d",
            "808a2de1-1aaa-4c25-a9b9-6612e8f29a38",
            "819e1fbf-8b7e-4f6d-811f-693534916a8b",
            "837ab141-399e-4c1f-9abc-bace40296bac",
            "a0a4f044-b040-410d-8ead-4de0446aec7e",
            "d3588630-ad8e-49df-bbd7-3167f7efb246",
            "e9b4f1c2-6a3d-4f0b-9c1e-2d7a8b5c4f60",
        ]
    )


def cat_line(rng: random.Random) -> Line:
    took = f"{rng.uniform(0.6, 4.9):.6f}ms"
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"method=List tags={rng.choice(TAGS) if rng.random() < 0.4 else ''} order=id pageNum=1 pageSize={rng.choice([3, 6, 9])} result={rng.choice([3, 6, 9])} err=null took={took}",
            (),
        )
    if roll < 0.8:
        return "INFO", f"method=Get id={sock_id(rng)} sock={sock_id(rng)} err=null took={took}", ()
    if roll < 0.92:
        return "INFO", f"method=Count tags= result=9 err=null took={took}", ()
    return "INFO", f"method=Tags result={len(TAGS)} err=null took={took}", ()


def cat_slow(rng: random.Random) -> Line:
    if rng.random() < 0.55:
        return (
            "INFO",
            f"method=List tags= order=id pageNum=1 pageSize=6 result=6 err=null took={rng.uniform(1.2, 4.6):.6f}s",
            (),
        )
    return (
        "INFO",
        f'method=Get id={sock_id(rng)} sock= err="database connection error: context deadline exceeded" took={rng.uniform(5.0, 5.01):.6f}s',
        (),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?page=1&size=6",
            "/catalogue/size?tags=",
            "/tags",
            "/cart",
            "/detail.html?id=3395a43e-2d88-40de-b95f-e00e1502085b",
            "/catalogue/a0a4f044-b040-410d-8ead-4de0446aec7e",
            "/login",
        ]
    )
    return (
        "INFO",
        f"GET {path} 200 {rng.lognormvariate(0, 0.6) * 12:.3f} ms - {rng.randrange(150, 7000)}",
        (),
    )


def front_error(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "ERROR",
            f"GET /catalogue/{sock_id(rng)} 500 {rng.uniform(5002, 5030):.3f} ms - 94",
            (),
        )
    return "WARN", f"GET /catalogue?page=1&size=6 200 {rng.uniform(1300, 4800):.3f} ms - 2876", ()


def mysql_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[MY-010055] [Server] IP address '10.36.{rng.randrange(0, 6)}.{rng.randrange(2, 250)}' could not be resolved: Name or service not known",
        (),
    )


def mysql_aborted(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[MY-010914] [Server] Aborted connection {rng.randrange(100, 900)} to db: 'socksdb' user: 'catalogue_user' host: '10.36.{rng.randrange(0, 6)}.{rng.randrange(2, 250)}' (Got an error reading communication packets).",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20291)
    db = LogFile("logs/catalogue-db.log", MySQL())
    db.add(traffic(rng, mysql_line, START, MINUTES, 60))
    db.add(traffic(rng, mysql_aborted, START, MINUTES, 22))
    db.add(
        [
            at(
                START,
                22.35,
                "INFO",
                "[MY-011953] [InnoDB] Page cleaner took 7431ms to flush 112 and evict 0 pages",
            ),
            at(
                START,
                22.36,
                "INFO",
                "[MY-013279] [InnoDB] page_cleaner: 1000ms intended loop took 7431ms. The settings might not be optimal. (flushed=112, during the time.)",
            ),
        ]
    )
    cat = LogFile("logs/catalogue.log", GoKitLocal())
    cat.add(traffic(rng, cat_line, START, 21.9, 1900))
    cat.add(traffic(rng, cat_line, START + timedelta(minutes=21.9), MINUTES - 21.9, 600))
    cat.add(loud(rng, START, 22.0, MINUTES - 22.1, 420, cat_slow))
    front = LogFile("logs/front-end.log", FrontEnd())
    front.add(traffic(rng, front_line, START, MINUTES, 3300))
    front.add(loud(rng, START, 22.1, MINUTES - 22.2, 300, front_error))
    front.add([at(START, 12.7, "WARN", "GET /catalogue/images/cat_socks_2.jpg 404 0.913 ms - 154")])
    levels = {
        "front-end": (0.117, 86.9, (0.0119, 0.0471), 40.3),
        "catalogue": (0.031, 9.9, (0.0036, 0.0118), 30.1),
        "catalogue-db": (0.012, 201.4, (0.0008, 0.0024), 30.1, 0.52),
        "carts": (0.069, 390.1, (0.0105, 0.0331), 12.1),
        "orders": (0.061, 404.0, (0.0466, 0.1170), 2.7),
        "user": (0.023, 12.0, (0.0030, 0.0091), 8.0),
        "payment": (0.006, 6.8, (0.0012, 0.0036), 2.7),
        "shipping": (0.030, 371.5, (0.0046, 0.0133), 2.7),
    }
    services = {
        name: usual_series(rng, *value[:4], diskio=value[4] if len(value) > 4 else None)
        for name, value in levels.items()
    }
    d = services["catalogue-db"]
    d["diskio"] = shift(rng, 0.52, 241.7, FAULT, 0.12)
    d["latency-50"] = shift(rng, 0.0008, 0.3120, FAULT + 1, 0.3)
    d["latency-90"] = shift(rng, 0.0024, 3.9113, FAULT + 1, 0.25)
    d["cpu"] = shift(rng, 0.012, 0.047, FAULT, 0.15)
    c = services["catalogue"]
    c["latency-50"] = shift(rng, 0.0036, 0.8114, FAULT + 2, 0.2)
    c["latency-90"] = shift(rng, 0.0118, 5.0071, FAULT + 2, 0.01)
    services["front-end"]["latency-90"] = shift(rng, 0.0471, 4.912, FAULT + 2, 0.05)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": s for m, s in series.items()}, 4
        )
        for name, series in services.items()
    }
    files |= {
        "logs/front-end.log": front.render(),
        "logs/catalogue.log": cat.render(),
        "logs/catalogue-db.log": db.render(),
    }
    return Bundle(
        question="Product pages have been loading slowly or erroring with 500 since about 14:07 Eastern. What is the root cause?",
        category="disk",
        component="catalogue-db",
        statement="From 14:06:50 -05:00 a disk I/O hog in catalogue-db's container saturates its disk (diskio ~0.5 to ~240); InnoDB's page cleaner reports a 1000 ms loop taking 7431 ms, catalogue's queries take seconds or hit its 5 s deadline, and the front-end's product pages answer 500.",
        files=files,
        proofs=[
            Proof("logs/catalogue-db.log", "page_cleaner: 1000ms intended loop took 7431ms"),
            Proof("metrics/catalogue-db.csv", stamp(START, STEP, FAULT)),
        ],
        decoys=[
            "context deadline exceeded",
            "Aborted connection",
            "cat_socks_2.jpg 404",
        ],
    )
