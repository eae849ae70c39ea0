# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""The Sock Shop user service leaks a MongoDB socket per failed session lookup until it hits
its 1024 open-file limit; Go's server then logs `accept4: too many open files` and new dials
fail, while front-end logs login and customer timeouts, orders cannot fetch addresses and
user-db reports a climbing connection count."""

import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import KubectlTimestamps, Record, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2024, 2, 27, 16, 0, tzinfo=UTC)
STEP = 5
POINTS = 45 * 60 // STEP
EXHAUSTED = 24.6


@dataclass
class UserLog:
    """The user container's output: go-kit logfmt lines and Go's standard `log` lines."""

    def render(self, record: Record) -> list[str]:
        if record.logger == "stdlog":
            return [f"{record.time.strftime('%Y/%m/%d %H:%M:%S')} {record.message}"]
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        return [f"ts={stamp} caller={record.logger or 'logging.go:38'} {record.message}"]


@dataclass
class Mongo:
    """MongoDB 3.4's text log: `2024-02-27T16:00:00.123+0000 I NETWORK  [conn12] message`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+0000"
        )
        severity = {"WARN": "W", "ERROR": "E"}.get(record.level, "I")
        return [
            f"{stamp} {severity} {'COMMAND ' if record.message.startswith('command ') else 'NETWORK '} [{'listener' if 'accepted' in record.message else 'conn' + str(self.rng.randrange(1, 2000))}] {record.message}"
        ]


def stdlog(*arguments: Any) -> list[Record]:
    """Loud records written through Go's standard `log` package."""
    return [replace(record, logger="stdlog") for record in loud(*arguments)]


def hexid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def user_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"method=Login result=true took={rng.randrange(2, 9)}.{rng.randrange(10**6):06d}ms",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"method=GetUsers id={hexid(rng)} result=1 took={rng.randrange(700, 3000)}.{rng.randrange(1000):03d}µs",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"method=GetAddresses id={hexid(rng)} result={rng.randrange(1, 3)} took={rng.randrange(600, 2500)}.{rng.randrange(1000):03d}µs",
            (),
        )
    if roll < 0.97:
        return (
            "INFO",
            f"method=GetCards id={hexid(rng)} result=1 took={rng.randrange(600, 2500)}.{rng.randrange(1000):03d}µs",
            (),
        )
    return (
        "INFO",
        f'method=Login result=false err="mongo: session for {hexid(rng)} not found" took={rng.randrange(2, 9)}.{rng.randrange(10**6):06d}ms',
        (),
    )


def front_line(rng: random.Random) -> Line:
    path, ms = rng.choice(
        [
            ("/catalogue?page=1&size=6", 18),
            ("/cart", 22),
            (f"/customers/{hexid(rng)}", 25),
            (f"/customers/{hexid(rng)}", 25),
            ("/login", 40),
            ("/tags", 4),
            ("/orders", 70),
            (f"/cards/{hexid(rng)}", 12),
        ]
    )
    return (
        "INFO",
        f"GET {path} 200 {rng.randrange(max(1, ms // 3), ms * 2)}.{rng.randrange(1000):03d} ms - {rng.randrange(2, 4000)}",
        (),
    )


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"Order created: {hexid(rng)} total={rng.randrange(10, 120)}.{rng.randrange(100):02d}",
            (),
        )
    return (
        "DEBUG",
        f"Starting calls to address, card, customer and items for order {hexid(rng)}",
        (),
    )


def mongo_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"connection accepted from 10.244.{rng.randrange(1, 4)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)} #{rng.randrange(1000, 9000)} ({rng.randrange(20, 60)} connections now open)",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"end connection 10.244.{rng.randrange(1, 4)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)} ({rng.randrange(20, 60)} connections now open)",
            (),
        )
    return (
        "INFO",
        f"command users.customers command: find {{ find: \"customers\", filter: {{ _id: ObjectId('{hexid(rng)}') }} }} planSummary: IDHACK keysExamined:1 docsExamined:1 {rng.randrange(0, 3)}ms",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(190)
    user = LogFile("logs/user.log", UserLog())
    user.add(traffic(rng, user_line, START, 45, 2400))
    user.add(
        [
            at(
                START,
                EXHAUSTED,
                "ERROR",
                "http: Accept error: accept tcp [::]:80: accept4: too many open files; retrying in 5ms",
                logger="stdlog",
            )
        ]
    )
    user.add(
        stdlog(
            rng,
            START,
            EXHAUSTED + 0.05,
            19,
            96,
            fixed(
                "ERROR",
                lambda r: (
                    f"http: Accept error: accept tcp [::]:80: accept4: too many open files; retrying in {r.choice(['10ms', '20ms', '40ms', '80ms', '160ms', '320ms', '640ms', '1s', '1s', '1s'])}"
                ),
            ),
        )
    )
    user.add(
        loud(
            rng,
            START,
            EXHAUSTED + 0.2,
            19,
            71,
            fixed(
                "ERROR",
                lambda r: (
                    f'method=GetUsers id={hexid(r)} result=0 err="dial tcp 10.96.41.12:27017: socket: too many open files" took={r.randrange(1, 4)}.{r.randrange(1000):03d}µs'
                ),
            ),
        )
    )
    front = LogFile("logs/front-end.log", KubectlTimestamps())
    front.add(traffic(rng, front_line, START, 45, 3600))
    front.add(
        loud(
            rng,
            START,
            EXHAUSTED + 0.1,
            19,
            288,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET http://user/customers/{hexid(r)} failed: Error: {r.choice(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'socket hang up'])}"
                ),
                lambda r: [
                    "    at ClientRequest.<anonymous> (/usr/src/app/node_modules/request/request.js:816:19)",
                    "    at Socket.emitRequestTimeout (node:_http_client:847:9)",
                ],
            ),
        )
    )
    front.add(
        loud(
            rng,
            START,
            EXHAUSTED + 0.2,
            19,
            203,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /login 500 {r.randrange(5000, 10000)}.{r.randrange(1000):03d} ms - 0"
                ),
            ),
        )
    )
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            ("w.w.s.orders.controllers.OrdersController", "w.w.s.orders.services.AsyncGetService"),
            pid=7,
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, 45, 700))
    orders.add(
        loud(
            rng,
            START,
            EXHAUSTED + 0.5,
            18.5,
            84,
            fixed(
                "ERROR",
                lambda r: (
                    f'Unable to create order due to unspecified IO error: I/O error on GET request for "http://user/customers/{hexid(r)}/addresses": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out'
                ),
            ),
        )
    )
    database = LogFile("logs/user-db.log", Mongo(rng))
    database.add(traffic(rng, mongo_line, START, 10, 300))
    database.add(
        [
            at(
                START,
                10 + index * 0.0185,
                "INFO",
                f"connection accepted from 10.244.2.{rng.choice([17, 17, 17, 41])}:{rng.randrange(30000, 60000)} #{4100 + index} ({40 + index} connections now open)",
            )
            for index in range(800)
        ]
    )
    database.add(
        loud(
            rng,
            START,
            EXHAUSTED + 1,
            18,
            64,
            fixed(
                "INFO",
                lambda r: (
                    f"command users.customers command: find {{ find: \"customers\", filter: {{ _id: ObjectId('{hexid(r)}') }} }} planSummary: IDHACK keysExamined:1 docsExamined:1 numYields:0 reslen:{r.randrange(300, 600)} protocol:op_query {r.randrange(120, 900)}ms"
                ),
                None,
            ),
        )
    )
    series = {
        "front-end": usual_series(rng, 0.109, 99, (0.0139, 0.0494), 35.6),
        "carts": usual_series(rng, 0.231, 401, (0.0097, 0.0318), 13.9),
        "catalogue": usual_series(rng, 0.020, 14, (0.0030, 0.0083), 22.1),
        "orders": usual_series(rng, 0.191, 428, (0.0392, 0.1203), 1.5),
        "payment": usual_series(rng, 0.004, 9, (0.0008, 0.0021), 1.5),
        "shipping": usual_series(rng, 0.129, 349, (0.0059, 0.0179), 1.5),
        "user": usual_series(rng, 0.013, 19, (0.0028, 0.0098), 7.2),
        "user-db": usual_series(rng, 0.031, 196, (0.0010, 0.0031), 7.4),
    }
    exhausted_row = int(EXHAUSTED * 60 / STEP)
    series["user"]["mem"] = shift(rng, 19, 31, 120, 0.01, ramp=exhausted_row - 120)
    series["user"]["workload"] = shift(rng, 7.2, 1.9, exhausted_row + 1, 0.15)
    series["user"]["latency-90"] = shift(rng, 0.0098, 4.1221, exhausted_row + 1, 0.2, ramp=3)
    series["user-db"]["mem"] = shift(rng, 196, 287, 120, 0.01, ramp=exhausted_row - 120)
    series["user-db"]["cpu"] = shift(rng, 0.031, 0.067, 120, 0.1, ramp=exhausted_row - 120)
    series["front-end"]["latency-90"] = shift(rng, 0.0494, 5.0134, exhausted_row + 1, 0.1, ramp=4)
    series["orders"]["latency-90"] = shift(rng, 0.1203, 4.8117, exhausted_row + 2, 0.1, ramp=4)
    return Bundle(
        question="Logins and checkout on the sock shop hang and then fail since about 16:25 UTC. user-db shows hundreds of connections. Root cause?",
        category="file_descriptors",
        component="user",
        statement="The user service leaks its MongoDB sockets until it exhausts its open-file limit at 16:24:36 UTC, so it can no longer accept connections or dial user-db (accept4: too many open files) and front-end's logins and orders' address lookups time out.",
        files={
            "data.csv": wide_csv(START, STEP, POINTS, series),
            "logs/front-end.log": front.render(),
            "logs/orders.log": orders.render(),
            "logs/user.log": user.render(),
            "logs/user-db.log": database.render(),
        },
        proofs=[Proof("logs/user.log", "too many open files; retrying in 5ms")],
        decoys=[
            "GET /login 500",
            "connections now open",
            "Unable to create order due to unspecified IO error",
        ],
    )
