# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""About a fifth of the packets to and from the catalogue pod are dropped (tc netem loss);
front-end retries and logs socket resets, catalogue-db logs aborted connections, and
catalogue's own log shows only slow but successful calls."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import KubectlTimestamps, Record
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2024, 3, 11, 13, 0, tzinfo=UTC)
STEP = 5
POINTS = 45 * 60 // STEP
FAULT = 26 * 60 // STEP + 3
SOCKS = [
    "a0a4f044-b040-410d-8ead-4de0446aec7e",
    "808a2de1-1aaa-4c25-a9b9-6612e8f29a38",
    "510a0d7e-8e83-4193-b483-e27e09ddc34d",
    "03fef6ac-1896-4ce8-bd69-b798f85c6e0b",
    "d3588630-ad8e-49df-bbd7-3167f7efb246",
    "819e1fbf-8b7e-4f6d-811f-693534916a8b",
    "zzz4f044-b040-410d-8ead-4de0446aec7e",
    "3395a43e-2d88-40de-b95f-e00e1502085b",
    "837ab141-399e-4c1f-9abc-bace40296bac",
]
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
    """go-kit's logfmt logger as the Sock Shop Go services write it: `ts=... caller=... k=v`."""

    def render(self, record: Record) -> list[str]:
        stamp_text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}" + "Z"
        )
        return [f"ts={stamp_text} caller={record.logger or 'logging.go:32'} {record.message}"]


@dataclass
class Mysql:
    """MySQL 5.7's error log: `2024-03-11T13:00:00.123456Z 1234 [Note] message`."""

    def render(self, record: Record) -> list[str]:
        level = {"WARN": "Warning", "ERROR": "ERROR"}.get(record.level, "Note")
        stamp_text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}" + "Z"
        )
        return [f"{stamp_text} {record.logger or '0'} [{level}] {record.message}"]


def ip(rng: random.Random) -> str:
    return f"10.244.{rng.randrange(1, 4)}.{rng.randrange(2, 250)}"


def front_end_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.3:
        return (
            "INFO",
            f"GET /catalogue?page=1&size=6&tags={rng.choice(TAGS)} 200 {rng.randrange(4, 30)}.{rng.randrange(1000):03d} ms - {rng.randrange(1800, 4200)}",
            (),
        )
    if roll < 0.45:
        return (
            "INFO",
            f"GET /catalogue/{rng.choice(SOCKS)} 200 {rng.randrange(3, 20)}.{rng.randrange(1000):03d} ms - {rng.randrange(380, 520)}",
            (),
        )
    if roll < 0.6:
        return (
            "INFO",
            f"GET /cart 200 {rng.randrange(5, 40)}.{rng.randrange(1000):03d} ms - {rng.randrange(2, 900)}",
            (),
        )
    if roll < 0.7:
        return "INFO", f"POST /cart 201 {rng.randrange(8, 60)}.{rng.randrange(1000):03d} ms - -", ()
    if roll < 0.78:
        return (
            "INFO",
            f"GET /tags 200 {rng.randrange(2, 12)}.{rng.randrange(1000):03d} ms - 107",
            (),
        )
    if roll < 0.86:
        return (
            "INFO",
            f"GET /customers/{rng.getrandbits(96):024x} 200 {rng.randrange(6, 50)}.{rng.randrange(1000):03d} ms - {rng.randrange(300, 600)}",
            (),
        )
    if roll < 0.92:
        return (
            "INFO",
            f"GET /login 200 {rng.randrange(20, 120)}.{rng.randrange(1000):03d} ms - 0",
            (),
        )
    if roll < 0.98:
        return (
            "INFO",
            f"GET /orders 200 {rng.randrange(20, 160)}.{rng.randrange(1000):03d} ms - {rng.randrange(2, 3000)}",
            (),
        )
    return (
        "INFO",
        f"GET /catalogue/images/{rng.choice(['holy_1.jpeg', 'youtube_1.jpeg', 'bit_of_leg_1.jpeg', 'cross_1.jpeg'])} 304 {rng.randrange(1, 6)}.{rng.randrange(1000):03d} ms - -",
        (),
    )


def catalogue_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"method=List tags={rng.choice(TAGS)} order=id pageNum=1 pageSize=6 result=6 err=null took={rng.randrange(1, 6)}.{rng.randrange(10**6):06d}ms",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"method=Get id={rng.choice(SOCKS)} sock={{{rng.choice(SOCKS)}}} err=null took={rng.randrange(400, 1900)}.{rng.randrange(1000):03d}µs",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"method=Count tags={rng.choice(TAGS)} result={rng.randrange(1, 9)} err=null took={rng.randrange(500, 1500)}.{rng.randrange(1000):03d}µs",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"method=Tags result=11 err=null took={rng.randrange(300, 900)}.{rng.randrange(1000):03d}µs",
            (),
        )
    return (
        "INFO",
        f"method=Health result=2 took={rng.randrange(1, 30)}.{rng.randrange(1000):03d}µs",
        (),
    )


def slow_catalogue_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"method=List tags={rng.choice(TAGS)} order=id pageNum=1 pageSize=6 result=6 err=null took={rng.randrange(200, 1400)}.{rng.randrange(10**6):06d}ms",
        (),
    )


def database_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f"Aborted connection {rng.randrange(100, 9000)} to db: 'socksdb' user: 'catalogue_user' host: '{ip(rng)}' (Got timeout reading communication packets)",
            (),
        )
    return "WARN", "IP address '10.244.2.7' could not be resolved: Name or service not known", ()


def bundle() -> Bundle:
    rng = random.Random(166)
    minute = FAULT * STEP / 60
    front_end = LogFile("logs/front-end.log", KubectlTimestamps())
    front_end.add(traffic(rng, front_end_line, START, 45, 3300))
    front_end.add(
        loud(
            rng,
            START,
            minute + 0.05,
            18.5,
            188,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET http://catalogue/catalogue?page=1&size=6&tags={r.choice(TAGS)} failed: Error: read ECONNRESET"
                ),
                lambda r: [
                    "    at TCP.onStreamRead (node:internal/stream_base_commons:217:20) {",
                    "  errno: -104,",
                    "  code: 'ECONNRESET',",
                    "  syscall: 'read'",
                    "}",
                ],
            ),
        )
    )
    front_end.add(
        loud(
            rng,
            START,
            minute + 0.1,
            18.4,
            242,
            fixed(
                "WARN",
                lambda r: (
                    f"retrying GET http://catalogue/catalogue/{r.choice(SOCKS)} after ETIMEDOUT (attempt {r.randrange(2, 4)} of 3)"
                ),
            ),
        )
    )
    front_end.add(
        loud(
            rng,
            START,
            minute + 0.2,
            18,
            97,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /catalogue?page=1&size=6&tags={r.choice(TAGS)} 500 {r.randrange(3000, 6000)}.{r.randrange(1000):03d} ms - 57"
                ),
            ),
        )
    )
    front_end.add(
        loud(
            rng,
            START,
            minute + 1.0,
            17,
            64,
            fixed(
                "ERROR",
                lambda r: "POST http://orders/orders failed: Error: socket hang up",
                lambda r: [
                    "    at connResetException (node:internal/errors:720:14)",
                    "    at Socket.socketOnEnd (node:_http_client:525:23)",
                ],
            ),
        )
    )
    catalogue = LogFile("logs/catalogue.log", GoKit())
    catalogue.add(traffic(rng, catalogue_line, START, 45, 2200))
    catalogue.add(loud(rng, START, minute + 0.1, 18.5, 120, slow_catalogue_line))
    database = LogFile("logs/catalogue-db.log", Mysql())
    database.add(traffic(rng, database_line, START, 45, 40))
    database.add(
        loud(
            rng,
            START,
            minute + 0.2,
            18,
            131,
            fixed(
                "WARN",
                lambda r: (
                    f"Aborted connection {r.randrange(9000, 30000)} to db: 'socksdb' user: 'catalogue_user' host: '10.244.1.31' (Got an error reading communication packets)"
                ),
            ),
        )
    )
    series = {
        "front-end": usual_series(rng, 0.118, 104, (0.0121, 0.0483), 31.2),
        "catalogue": usual_series(rng, 0.021, 14, (0.0031, 0.0087), 22.6),
        "catalogue-db": usual_series(rng, 0.034, 212, (0.0009, 0.0024), 22.6),
        "carts": usual_series(rng, 0.244, 388, (0.0112, 0.0358), 9.8),
        "orders": usual_series(rng, 0.198, 402, (0.0405, 0.1214), 1.4),
        "payment": usual_series(rng, 0.004, 9, (0.0008, 0.0021), 1.4),
        "shipping": usual_series(rng, 0.137, 341, (0.0061, 0.0183), 1.4),
        "user": usual_series(rng, 0.012, 18, (0.0027, 0.0096), 6.1),
    }
    series["catalogue"]["latency-50"] = shift(rng, 0.0031, 0.0054, FAULT, 0.15)
    series["catalogue"]["latency-90"] = shift(rng, 0.0087, 1.0642, FAULT, 0.25)
    series["catalogue"]["workload"] = shift(rng, 22.6, 16.9, FAULT, 0.08)
    series["catalogue-db"]["workload"] = shift(rng, 22.6, 16.4, FAULT + 1, 0.08)
    series["front-end"]["latency-90"] = shift(rng, 0.0483, 1.6127, FAULT + 1, 0.2, ramp=3)
    series["front-end"]["cpu"] = shift(rng, 0.118, 0.236, FAULT + 1, 0.09, ramp=6)
    series["orders"]["latency-90"] = shift(rng, 0.1214, 0.1893, FAULT + 8, 0.2, ramp=30)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, columns, 4)
        for name, columns in series.items()
    }
    return Bundle(
        question="Sock Shop catalogue pages hang or fail intermittently since about 14:26 Paris time (CET). What is the root cause and where?",
        category="network",
        component="catalogue",
        statement="Packets to and from the catalogue pod are being dropped from 13:26:15 UTC, so catalogue's p90 latency jumps from about 9 ms to over a second while its p50 and CPU barely move, and front-end's calls to it reset and time out.",
        files={
            "logs/front-end.log": front_end.render(),
            "logs/catalogue.log": catalogue.render(),
            "logs/catalogue-db.log": database.render(),
            **files,
        },
        proofs=[
            Proof("metrics/catalogue.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2))
        ],
        decoys=[
            "Got an error reading communication packets",
            "Error: socket hang up",
            "could not be resolved: Name or service not known",
        ],
    )
