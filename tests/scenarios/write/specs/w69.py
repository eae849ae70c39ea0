# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""A dd loop in the orders container writes and syncs hundreds of MB/s to the node's disk;
orders' own writes and orders-db (same node) slow down, orders-db logs slow queries and the
front-end fails checkouts, while only orders' disk I/O series shows the hog."""

import random
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Pino, Record, SpringBoot
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2024, 9, 9, 21, 15, tzinfo=UTC)
STEP = 5
POINTS = 40 * 60 // STEP
FAULT = 17 * 60 // STEP + 2
CUSTOMERS = [
    "57a98d98e4b00679b4a830af",
    "57a98d98e4b00679b4a830b2",
    "57a98d98e4b00679b4a830b5",
    "5c3f1e2a9b1d4e0001a1b2c3",
]


@dataclass
class MongoLog:
    """mongod 4.4+'s structured JSON log, one object per line."""

    def render(self, record: Record) -> list[str]:
        stamp_text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+00:00"
        )
        severity = {"WARN": "W", "ERROR": "E"}.get(record.level, "I")
        component, ident, body = record.message.split("|", 2)
        return [
            f'{{"t":{{"$date":"{stamp_text}"}},"s":"{severity}",  "c":"{component}", "id":{ident}, "ctx":"conn{zlib.crc32(body.encode()) % 900 + 100}",{body}}}'
        ]


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"Creating order for customer {rng.choice(CUSTOMERS)} with {rng.randrange(1, 6)} items, total {rng.randrange(5, 120)}.{rng.randrange(100):02d}",
            (),
        )
    if roll < 0.7:
        return "INFO", f"Order {rng.getrandbits(96):024x} saved, shipping task queued", ()
    if roll < 0.9:
        return (
            "DEBUG",
            f"GET /orders/search/customerId?custId={rng.choice(CUSTOMERS)} returned {rng.randrange(0, 14)} orders",
            (),
        )
    return (
        "INFO",
        f"Received payment response: authorised=true, message=Payment authorised ({rng.randrange(8, 60)} ms)",
        (),
    )


def database_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f'NETWORK|22943|"msg":"Connection accepted","attr":{{"remote":"10.244.2.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)}","connectionCount":{rng.randrange(8, 30)}}}',
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f'NETWORK|22944|"msg":"Connection ended","attr":{{"remote":"10.244.2.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)}","connectionCount":{rng.randrange(8, 30)}}}',
            (),
        )
    return (
        "INFO",
        f'STORAGE|22430|"msg":"WiredTiger message","attr":{{"message":"[{rng.randrange(10**9, 2 * 10**9)}:{rng.randrange(10**6)}][1:0x7f]), WT_SESSION.checkpoint: [WT_VERB_CHECKPOINT_PROGRESS] saving checkpoint snapshot min: {rng.randrange(10**5)}"}}',
        (),
    )


def slow_query(rng: random.Random) -> Line:
    return (
        "WARN",
        f'COMMAND|51803|"msg":"Slow query","attr":{{"type":"command","ns":"data.customerOrder","command":{{"insert":"customerOrder","ordered":true,"$db":"data"}},"ninserted":1,"numYields":0,"reslen":45,"locks":{{"Global":{{"acquireCount":{{"w":1}}}}}},"storage":{{"data":{{"timeWritingMicros":{rng.randrange(300000, 2900000)}}}}},"protocol":"op_msg","durationMillis":{rng.randrange(310, 3100)}}}',
        (),
    )


def front_end_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"GET /catalogue?page=1&size=6 200 {rng.randrange(4, 30)}ms", ()
    if roll < 0.75:
        return "INFO", f"GET /cart 200 {rng.randrange(5, 40)}ms", ()
    if roll < 0.9:
        return (
            "INFO",
            f"POST /orders 201 {rng.randrange(120, 600)}ms customer={rng.choice(CUSTOMERS)}",
            (),
        )
    return (
        "INFO",
        f"GET /orders 200 {rng.randrange(20, 160)}ms customer={rng.choice(CUSTOMERS)}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(169)
    minute = FAULT * STEP / 60
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            (
                "works.weave.socks.orders.controllers.OrdersController",
                "works.weave.socks.orders.services.AsyncGetService",
            ),
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, 40, 1500))
    orders.add(
        loud(
            rng,
            START,
            minute + 0.8,
            22,
            61,
            fixed(
                "WARN",
                lambda r: (
                    f"Order creation took {r.randrange(3100, 9800)} ms (customer {r.choice(CUSTOMERS)})"
                ),
            ),
        )
    )
    database = LogFile("logs/orders-db.log", MongoLog())
    database.add(traffic(rng, database_line, START, 40, 1100))
    database.add(loud(rng, START, minute + 0.4, 22.5, 233, slow_query))
    front_end = LogFile("logs/front-end.log", Pino("front-end-5c9f8d6b7-4nqwd", rng=rng))
    front_end.add(traffic(rng, front_end_line, START, 40, 2600))
    front_end.add(
        loud(
            rng,
            START,
            minute + 0.9,
            22,
            148,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /orders 500 {r.randrange(5000, 5100)}ms: Error: ESOCKETTIMEDOUT calling http://orders/orders"
                ),
            ),
        )
    )
    front_end.add(
        loud(
            rng,
            START,
            minute + 1.2,
            21,
            52,
            fixed(
                "WARN",
                lambda r: (
                    f"GET /orders 504 {r.randrange(5000, 5100)}ms customer={r.choice(CUSTOMERS)}"
                ),
            ),
        )
    )
    series = {
        "orders": usual_series(rng, 0.212, 415, (0.0623, 0.1721), 1.6, diskio=0.21),
        "orders-db": usual_series(rng, 0.057, 288, (0.0021, 0.0083), 3.3, diskio=1.84),
        "front-end": usual_series(rng, 0.121, 101, (0.0133, 0.0512), 29.4, diskio=0.02),
        "carts": usual_series(rng, 0.251, 392, (0.0119, 0.0371), 9.6, diskio=0.09),
        "catalogue": usual_series(rng, 0.022, 15, (0.0032, 0.0091), 21.7, diskio=0.01),
        "payment": usual_series(rng, 0.004, 9, (0.0008, 0.0022), 1.6, diskio=0.0),
        "shipping": usual_series(rng, 0.139, 344, (0.0063, 0.0188), 1.6, diskio=0.05),
        "user": usual_series(rng, 0.013, 19, (0.0028, 0.0101), 6.3, diskio=0.03),
    }
    series["orders"]["diskio"] = shift(rng, 0.21, 486.3, FAULT, 0.06)
    series["orders"]["cpu"] = shift(rng, 0.212, 0.287, FAULT, 0.1)
    series["orders"]["latency-90"] = shift(rng, 0.1721, 5.1034, FAULT + 3, 0.1, ramp=4)
    series["orders"]["latency-50"] = shift(rng, 0.0623, 1.2977, FAULT + 3, 0.15, ramp=4)
    series["orders-db"]["latency-90"] = shift(rng, 0.0083, 1.8842, FAULT + 1, 0.2, ramp=3)
    series["orders-db"]["diskio"] = shift(rng, 1.84, 2.31, FAULT + 1, 0.2)
    series["front-end"]["latency-90"] = shift(rng, 0.0512, 5.0311, FAULT + 4, 0.03, ramp=4)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, columns, 4)
        for name, columns in series.items()
    }
    return Bundle(
        question="Checkouts on the sock shop keep failing with 500s (started a bit after 21:32 UTC). What's going on?",
        category="disk",
        component="orders",
        statement="A disk I/O hog in the orders container (diskio jumps from about 0.2 to 480 MB/s at 21:32:10 UTC) saturates the node's disk, so orders and orders-db on the same node stall on writes and front-end's POST /orders time out.",
        files={
            "logs/orders.log": orders.render(),
            "logs/orders-db.log": database.render(),
            "logs/front-end.log": front_end.render(),
            **files,
        },
        proofs=[
            Proof("metrics/orders.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2))
        ],
        decoys=['"msg":"Slow query"', "Error: ESOCKETTIMEDOUT", "Order creation took"],
    )
