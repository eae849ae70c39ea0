# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one CSV per service): a memory hog (stress-ng --vm) in the
catalogue container from 08:13:00 UTC to about 08:23. catalogue's mem climbs from about 9 MiB to near its
1 GiB limit in three minutes; it is OOM-killed twice (restarts visible as start-up lines in its
log), and between restarts its requests slow down. Loud: the front-end's 500s on the catalogue
pages (`socket hang up`, ECONNREFUSED) and catalogue-db's `Aborted connection` warnings when
catalogue dies. Decoys: the front-end's 500s, catalogue-db's warnings, and orders' (Java) memory
being by far the largest series."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import KubectlTimestamps, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2025, 2, 11, 7, 55, tzinfo=UTC)
STEP = 1
MINUTES = 35
POINTS = MINUTES * 60 // STEP
FAULT = 18 * 60
KILLS = (FAULT + 190, FAULT + 430)
HOG_END = KILLS[1] + 170


@dataclass
class GoKitCatalogue:
    """go-kit logfmt as Sock Shop's catalogue writes it."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond:06d}{self.rng.randrange(100, 999)}Z"
        )
        return [f"ts={text} {record.message}"]


@dataclass
class MySql57:
    """MySQL 5.7 error log lines."""

    def render(self, record: Record) -> list[str]:
        text = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        level = {"WARN": "Warning", "ERROR": "ERROR"}.get(record.level, "Note")
        return [f"{text} {record.logger or '0'} [{level}] {record.message}"]


SOCKS = [
    "03fef6ac-1896-4ce8-bd69-b798f85c6e0b",
    "3395a43e-2d88-40de-b95f-e00e1502085b",
    "510a0d7e-8e83-4193-b483-e27e09ddc34d",
    "808a2de1-1aaa-4c25-a9b9-6612e8f29a38",
    "819e1fbf-8b7e-4f6d-811f-693534916a8b",
    "837ab141-399e-4c1f-9abc-bace40296bac",
    "a0a4f044-b040-410d-8ead-4de0446aec7e",
    "d3588630-ad8e-49df-bbd7-3167f7efb246",
    "zzz4f044-b040-410d-8ead-4de0446aec7e",
]


def catalogue_line(rng: random.Random, scale: float = 1.0) -> Line:
    took = f"{rng.lognormvariate(0, 0.5) * 1.4 * scale:.6f}ms"
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"method=List tags= order=id pageNum=1 pageSize={rng.choice([3, 6, 6, 12])} result={rng.choice([3, 6, 6, 9])} err=null took={took}",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"method=Get id={rng.choice(SOCKS)} sock={rng.choice(SOCKS)} err=null took={took}",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"method=Count tags={rng.choice(['', 'brown', 'blue', 'formal', 'sport'])} result={rng.randrange(1, 10)} err=null took={took}",
            (),
        )
    return "INFO", f"method=Tags result=12 err=null took={took}", ()


def front_line(rng: random.Random) -> Line:
    path, size = rng.choice(
        [
            ("/catalogue?page=1&size=6&tags=", 2904),
            ("/catalogue/" + rng.choice(SOCKS[:8]), 312),
            ("/catalogue/size?tags=", 15),
            ("/tags", 107),
            ("/cart", 389),
            ("/customers/57a98d98e4b00679b4a830b2", 236),
            ("/orders", 1411),
        ]
    )
    return "INFO", f"GET {path} 200 {rng.lognormvariate(0, 0.5) * 9:.3f} ms - {size}", ()


def front_error(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?page=1&size=6&tags=",
            "/catalogue/" + rng.choice(SOCKS[:8]),
            "/catalogue/size?tags=",
            "/tags",
        ]
    )
    return "ERROR", f"GET {path} 500 {rng.uniform(900, 4200):.3f} ms - {rng.choice([21, 38])}", ()


def bundle() -> Bundle:
    rng = random.Random(20228)
    fault = FAULT / 60
    kills = [k / 60 for k in KILLS]
    catalogue = LogFile("logs/catalogue.log", GoKitCatalogue(rng))
    catalogue.add(traffic(rng, catalogue_line, START, fault, 2100))
    catalogue.add(
        traffic(
            rng,
            lambda r: catalogue_line(r, 9.0),
            START + timedelta(minutes=fault),
            kills[0] - fault - 0.05,
            220,
        )
    )
    catalogue.add(
        traffic(
            rng,
            lambda r: catalogue_line(r, 11.0),
            START + timedelta(minutes=kills[0] + 0.5),
            kills[1] - kills[0] - 0.55,
            260,
        )
    )
    catalogue.add(
        traffic(
            rng,
            lambda r: catalogue_line(r, 12.0),
            START + timedelta(minutes=kills[1] + 0.55),
            HOG_END / 60 - kills[1] - 0.6,
            160,
        )
    )
    catalogue.add(
        traffic(
            rng,
            catalogue_line,
            START + timedelta(minutes=HOG_END / 60 + 0.05),
            MINUTES - HOG_END / 60 - 0.1,
            1300,
        )
    )
    for minute in (kills[0] + 0.45, kills[1] + 0.5):
        catalogue.add(
            [
                at(START, minute, "INFO", "transport=HTTP port=80"),
                at(START, minute + 0.01, "INFO", "Sleeping for 2s to let the database come up"),
            ]
        )
    catalogue.add(
        [
            at(
                START,
                2.3,
                "INFO",
                'method=Get id=zzz4f044-b040-410d-8ead-4de0446aec7e sock=zzz4f044-b040-410d-8ead-4de0446aec7e err="not found" took=1.118403ms',
            )
        ]
    )
    db = LogFile("logs/catalogue-db.log", MySql57())
    db.add(
        traffic(
            rng,
            lambda r: (
                (
                    "INFO",
                    f"Aborted connection {r.randrange(200, 400)} to db: 'socksdb' user: 'catalogue_user' host: '10.44.1.{r.randrange(2, 250)}' (Got an error reading communication packets)",
                    (),
                )
                if r.random() < 0.04
                else (
                    "INFO",
                    "InnoDB: page_cleaner: 1000ms intended loop took 1187ms. The settings might not be optimal.",
                    (),
                )
                if r.random() < 0.02
                else (
                    "INFO",
                    f"Access denied for user 'root'@'10.44.{r.randrange(0, 4)}.{r.randrange(2, 250)}' (using password: NO)",
                    (),
                )
            ),
            START,
            MINUTES,
            45,
        )
    )
    for minute in kills:
        db.add(
            loud(
                rng,
                START,
                minute,
                0.2,
                14,
                lambda r: (
                    "WARN",
                    f"Aborted connection {r.randrange(400, 900)} to db: 'socksdb' user: 'catalogue_user' host: '10.44.2.17' (Got an error reading communication packets)",
                    (),
                ),
            )
        )
    front = LogFile("logs/front-end.log", KubectlTimestamps())
    front.add(traffic(rng, front_line, START, MINUTES, 3800))
    for minute, span in ((kills[0], 0.6), (kills[1], 0.6)):
        front.add(
            loud(
                rng,
                START,
                minute,
                span,
                120,
                lambda r: (
                    "ERROR",
                    r.choice(
                        [
                            "Error: socket hang up",
                            "Error: connect ECONNREFUSED 10.47.251.90:80",
                            "Error: connect ECONNREFUSED 10.47.251.90:80",
                        ]
                    ),
                    ("    at TCPConnectWrap.afterConnect [as oncomplete] (net.js:1107:14)",),
                ),
            )
        )
        front.add(loud(rng, START, minute, span, 150, front_error))
    front.add(loud(rng, START, fault + 1, HOG_END / 60 - fault - 1, 260, front_error))
    levels = {
        "front-end": (0.171, 97.3, (0.0112, 0.0648), 40.1),
        "catalogue": (0.022, 8.7, (0.0021, 0.0049), 23.4),
        "catalogue-db": (0.015, 214.5, (0.0009, 0.0027), 23.3),
        "carts": (0.124, 377.9, (0.0058, 0.0251), 12.9),
        "carts-db": (0.039, 99.4, (0.0020, 0.0071), 12.7),
        "orders": (0.088, 561.2, (0.0431, 0.1420), 2.8),
        "orders-db": (0.031, 91.7, (0.0019, 0.0060), 2.8),
        "payment": (0.008, 9.9, (0.0007, 0.0022), 2.7),
        "shipping": (0.055, 359.4, (0.0066, 0.0297), 2.7),
        "user": (0.044, 12.8, (0.0049, 0.0093), 11.5),
        "user-db": (0.029, 86.2, (0.0017, 0.0058), 11.4),
    }
    series = {name: usual_series(rng, *values) for name, values in levels.items()}
    climb = shift(rng, 8.7, 1010.0, FAULT, 0.01, ramp=185)

    def catalogue_mem(index: int) -> float:
        if index < FAULT:
            return climb(index)
        if index < KILLS[0]:
            return climb(index)
        if index < KILLS[1]:
            return min(
                1012.0,
                climb(index - (KILLS[0] - FAULT) - 20)
                if index >= KILLS[0] + 20
                else 9.1 + rng.gauss(0, 0.1),
            )
        if index >= HOG_END:
            return 8.9 + rng.gauss(0, 0.1)
        return min(
            1012.0,
            climb(index - (KILLS[1] - FAULT) - 20)
            if index >= KILLS[1] + 20
            else 9.0 + rng.gauss(0, 0.1),
        )

    series["catalogue"]["mem"] = catalogue_mem
    hog_cpu = shift(rng, 0.022, 0.231, FAULT, 0.1)
    series["catalogue"]["cpu"] = lambda i: hog_cpu(i) if i < HOG_END else hog_cpu(0)
    for name, metric, before, during, delay in (
        ("catalogue", "latency-90", 0.0049, 0.0612, 60),
        ("catalogue", "latency-50", 0.0021, 0.0188, 60),
        ("front-end", "latency-90", 0.0648, 0.4120, 70),
    ):
        rise = shift(rng, before, during, FAULT + delay, 0.3, ramp=60)
        fall = shift(rng, during, before, HOG_END + 10, 0.2, ramp=40)
        series[name][metric] = lambda i, rise=rise, fall=fall: (
            rise(i) if i < HOG_END + 10 else fall(i)
        )
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, columns, 4)
        for name, columns in series.items()
    }
    files.update(
        {
            "logs/front-end.log": front.render(),
            "logs/catalogue.log": catalogue.render(),
            "logs/catalogue-db.log": db.render(),
        }
    )
    return Bundle(
        question="The Sock Shop catalogue pages started failing intermittently around 08:16 UTC and browsing is slow. Which service is the root cause?",
        category="memory",
        component="catalogue",
        statement="From 08:13 UTC a memory hog in the catalogue container drives its memory from about 9 MiB to its 1 GiB limit in about three minutes; it is OOM-killed at about 08:16 and 08:20 and restarts until the hog stops at about 08:23, so the front-end's catalogue pages fail with 500s and slow down.",
        files=files,
        proofs=[
            Proof(
                "metrics/catalogue.csv",
                stamp(START, STEP, FAULT + 60),
                stamp(START, STEP, FAULT + 185),
            )
        ],
        decoys=["Aborted connection", "socket hang up", "Access denied for user 'root'"],
    )
