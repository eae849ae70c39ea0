# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one CSV per service with a `diskio` series): a disk I/O hog
(stress-ng --hdd) in the user-db container (MongoDB) from 14:21:30 UTC. user-db's diskio goes
from a few MB/s to about 160 MB/s and its finds on `users.customers` and `users.addresses` take
seconds (a handful of slow-operation lines in its log). Loud: the user service's
`i/o timeout` errors towards user-db and the front-end's 500s on GET /login and
GET /customers; the user service looks guilty. Decoys: the user service's loud errors, a
stale carts restart at 14:12, and orders' usual disk writes being the largest before the
fault."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import KubectlTimestamps, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2024, 9, 17, 14, 5, tzinfo=UTC)
STEP = 2
MINUTES = 30
POINTS = MINUTES * 60 // STEP
FAULT = (16 * 60 + 30) // STEP


@dataclass
class GoKit:
    """go-kit's logfmt logger as Sock Shop's user service writes it."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp_text = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        caller = record.logger or "logging.go:" + str(self.rng.choice([33, 45, 58, 71]))
        return [f"ts={stamp_text} caller={caller} {record.message}"]


@dataclass
class Mongo3:
    """MongoDB 3.x plain-text log: `time severity component [context] message`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp_text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+0000"
        )
        severity = {"WARN": "W", "ERROR": "E"}.get(record.level, "I")
        component, _, rest = record.message.partition("|")
        return [f"{stamp_text} {severity} {component:<8} {rest}"]


def customer(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def took(rng: random.Random, scale: float = 1.0) -> str:
    return f"{rng.lognormvariate(0, 0.5) * 1.9 * scale:.6f}ms"


def user_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f"method=Login username={rng.choice(['user', 'Eve_Berger', 'kbrown', 'nwalsh', 'priya.k'])} err=null took={took(rng)}",
            (),
        )
    if roll < 0.6:
        return "INFO", f"method=GetUsers id={customer(rng)} result=1 err=null took={took(rng)}", ()
    if roll < 0.8:
        return (
            "INFO",
            f"method=GetAddresses id={customer(rng)} result=1 err=null took={took(rng)}",
            (),
        )
    if roll < 0.97:
        return "INFO", f"method=GetCards id={customer(rng)} result=1 err=null took={took(rng)}", ()
    return (
        "INFO",
        f'method=Login username=guest{rng.randrange(100, 999)} err="Unauthorized" took={took(rng)}',
        (),
    )


def user_timeout(rng: random.Random) -> Line:
    method = rng.choice(["Login", "GetUsers", "GetAddresses", "GetCards"])
    port = rng.randrange(40000, 60000)
    return (
        "INFO",
        f'method={method} id={customer(rng)} result=0 err="read tcp 10.36.4.19:{port}->10.39.250.86:27017: i/o timeout" took={rng.uniform(3.0, 5.2):.6f}s',
        (),
    )


def mongo_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"NETWORK|[conn{rng.randrange(2000, 9000)}] end connection 10.36.4.19:{rng.randrange(40000, 60000)} ({rng.randrange(8, 30)} connections now open)",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"NETWORK|[listener] connection accepted from 10.36.4.19:{rng.randrange(40000, 60000)} #{rng.randrange(2000, 9000)} ({rng.randrange(8, 30)} connections now open)",
            (),
        )
    return (
        "INFO",
        f"COMMAND|[conn{rng.randrange(2000, 9000)}] command users.cards command: find {{ find: \"cards\", filter: {{ _id: ObjectId('{customer(rng)}') }} }} planSummary: IDHACK keysExamined:1 docsExamined:1 idhack:1 numYields:0 nreturned:1 reslen:{rng.randrange(180, 260)} locks:{{ Global: {{ acquireCount: {{ r: 2 }} }} }} protocol:op_query {rng.randrange(100, 140)}ms",
        (),
    )


def mongo_slow(rng: random.Random) -> Line:
    collection = rng.choice(["customers", "addresses", "cards"])
    return (
        "INFO",
        f"COMMAND|[conn{rng.randrange(9000, 9900)}] command users.{collection} command: find {{ find: \"{collection}\", filter: {{ _id: ObjectId('{customer(rng)}') }} }} planSummary: IDHACK keysExamined:1 docsExamined:1 idhack:1 numYields:1 nreturned:1 reslen:{rng.randrange(180, 260)} locks:{{ Global: {{ acquireCount: {{ r: 4 }} }} }} protocol:op_query {rng.randrange(2400, 7900)}ms",
        (),
    )


def front_line(rng: random.Random) -> Line:
    path, size = rng.choice(
        [
            ("/catalogue?size=6", 2891),
            ("/catalogue/size?tags=", 15),
            ("/cart", 412),
            ("/login", 2),
            ("/customers/" + customer(rng), 238),
            ("/tags", 107),
            ("/card", 171),
            ("/address", 196),
        ]
    )
    return "INFO", f"GET {path} 200 {rng.lognormvariate(0, 0.5) * 11:.3f} ms - {size}", ()


def front_error(rng: random.Random) -> Line:
    path = rng.choice(["/login", "/login", "/customers/" + customer(rng), "/address", "/card"])
    return "ERROR", f"GET {path} 500 {rng.uniform(5000, 5400):.3f} ms - {rng.choice([47, 62])}", ()


def bundle() -> Bundle:
    rng = random.Random(20207)
    fault = FAULT * STEP / 60
    after = MINUTES - fault
    user = LogFile("logs/user.log", GoKit(rng))
    user.add(traffic(rng, user_line, START, MINUTES, 2600))
    user.add(loud(rng, START, fault + 0.6, after - 0.7, 780, user_timeout))
    mongo = LogFile("logs/user-db.log", Mongo3(rng))
    mongo.add(traffic(rng, mongo_line, START, MINUTES, 900))
    mongo.add(loud(rng, START, fault + 0.4, after - 0.5, 38, mongo_slow))
    mongo.add(
        [
            at(
                START,
                2.2,
                "INFO",
                "STORAGE|[WTCheckpointThread] WiredTiger message [1726582032:118274][1:0x7f2c4e1b4700], file:collection-7--2389178921451236711.wt, WT_SESSION.checkpoint: Checkpoint has been running for 21 seconds and wrote: 1000 pages (9 MB)",
            )
        ]
    )
    front = LogFile("logs/front-end.log", KubectlTimestamps())
    front.add(traffic(rng, front_line, START, MINUTES, 3400))
    front.add(loud(rng, START, fault + 0.7, after - 0.8, 520, front_error))
    front.add(
        [
            at(
                START,
                6.9,
                "ERROR",
                "Error: connect ECONNREFUSED 10.39.246.12:80",
                ("    at TCPConnectWrap.afterConnect [as oncomplete] (net.js:1107:14)",),
            ),
            at(START, 7.0, "ERROR", "GET /cart 500 3.118 ms - 57"),
        ]
    )
    levels = {
        "front-end": (0.182, 98.4, (0.0121, 0.0694), 38.6, 0.31),
        "user": (0.046, 12.3, (0.0052, 0.0097), 11.2, 0.08),
        "user-db": (0.031, 88.1, (0.0018, 0.0061), 11.0, 3.4),
        "carts": (0.131, 381.7, (0.0061, 0.0270), 12.5, 0.46),
        "carts-db": (0.042, 102.6, (0.0021, 0.0075), 12.4, 2.9),
        "catalogue": (0.029, 14.4, (0.0034, 0.0081), 21.9, 0.05),
        "orders": (0.091, 402.2, (0.0442, 0.1510), 2.7, 6.8),
        "payment": (0.009, 9.2, (0.0008, 0.0026), 2.6, 0.02),
        "shipping": (0.057, 366.1, (0.0070, 0.0311), 2.6, 0.41),
    }
    series = {
        name: usual_series(rng, cpu, mem, lat, work, diskio=disk)
        for name, (cpu, mem, lat, work, disk) in levels.items()
    }
    db = series["user-db"]
    db["diskio"] = shift(rng, 3.4, 161.8, FAULT, 0.05, ramp=2)
    db["cpu"] = shift(rng, 0.031, 0.074, FAULT, 0.1)
    db["latency-50"] = shift(rng, 0.0018, 1.6920, FAULT + 3, 0.2, ramp=15)
    db["latency-90"] = shift(rng, 0.0061, 6.0410, FAULT + 3, 0.2, ramp=15)
    series["user"]["latency-90"] = shift(rng, 0.0097, 5.0120, FAULT + 6, 0.08, ramp=15)
    series["user"]["latency-50"] = shift(rng, 0.0052, 1.8810, FAULT + 6, 0.2, ramp=15)
    series["front-end"]["latency-90"] = shift(rng, 0.0694, 5.2170, FAULT + 8, 0.08, ramp=15)
    carts_cpu = series["carts"]["cpu"]
    series["carts"]["cpu"] = lambda i: carts_cpu(i) * (0.05 if 204 <= i < 222 else 1.0)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, columns, 4)
        for name, columns in series.items()
    }
    files.update(
        {
            "logs/front-end.log": front.render(),
            "logs/user.log": user.render(),
            "logs/user-db.log": mongo.render(),
        }
    )
    return Bundle(
        question="Logins and the account page on our Sock Shop test cluster fail with 500 since about 14:22 UTC. Which service is the root cause?",
        category="disk",
        component="user-db",
        statement="From 14:21:30 UTC a disk I/O hog in the user-db (MongoDB) container drives its disk I/O from about 3 MB/s to about 160 MB/s; its finds take seconds, the user service's reads from user-db hit `i/o timeout` and the shop answers 500 on /login and the account pages from about 14:22.",
        files=files,
        proofs=[
            Proof("metrics/user-db.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2))
        ],
        decoys=["i/o timeout", "ECONNREFUSED 10.39.246.12:80", "Checkpoint has been running"],
    )
