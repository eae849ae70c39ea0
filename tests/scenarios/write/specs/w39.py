# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""The reservation MongoDB's data volume fills up; WiredTiger cannot write and mongod aborts in a
loop, while reservation and frontend shout about timeouts, memcached and server selection."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import Series, csv_text, service_metrics, shift
from records import Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 8, 12, 3, 0, tzinfo=UTC)
STEP = 30
HOTELS = [str(number) for number in range(1, 81)]
DATA_FILE = "collection-4-8125127651453339212.wt"

FAILURE = [
    (
        19.03,
        "ERROR",
        '"s":"E",  "c":"STORAGE", "id":22435,  "ctx":"Checkpointer","msg":"WiredTiger error","attr":{"error":28,"message":"[1754968741:552817][1:0x7f3c2e1fc700], file:collection-4-8125127651453339212.wt, WT_SESSION.checkpoint: __posix_file_write, 617: /data/db/collection-4-8125127651453339212.wt: handle-write: pwrite: failed to write 4096 bytes at offset 28672: No space left on device"}',
    ),
    (
        19.04,
        "FATAL",
        '"s":"F",  "c":"-",       "id":23089,  "ctx":"Checkpointer","msg":"Fatal assertion","attr":{"msgid":50853,"file":"src/mongo/db/storage/wiredtiger/wiredtiger_util.cpp","line":577}',
    ),
    (
        19.05,
        "FATAL",
        '"s":"F",  "c":"-",       "id":23090,  "ctx":"Checkpointer","msg":"\\n\\n***aborting after fassert() failure\\n\\n"',
    ),
]
"""mongod's last words when the volume is full: (minute, level, log fields after `t`)."""
RESTART = [
    (
        0.0,
        "INFO",
        '"s":"I",  "c":"CONTROL", "id":23285,  "ctx":"main","msg":"Automatically disabling TLS 1.0, to force-enable TLS 1.0 specify --sslDisabledProtocols \'none\'"',
    ),
    (
        0.01,
        "INFO",
        '"s":"I",  "c":"CONTROL", "id":4615611,"ctx":"initandlisten","msg":"MongoDB starting","attr":{"pid":1,"port":27017,"dbPath":"/data/db","architecture":"64-bit","host":"mongodb-reservation-0"}',
    ),
    (
        0.03,
        "INFO",
        '"s":"I",  "c":"STORAGE", "id":22315,  "ctx":"initandlisten","msg":"Opening WiredTiger","attr":{"config":"create,cache_size=256M,session_max=33000,eviction=(threads_min=4,threads_max=4),config_base=false,statistics=(fast),log=(enabled=true,archive=true,path=journal,compressor=snappy)"}',
    ),
    (
        0.06,
        "ERROR",
        '"s":"E",  "c":"STORAGE", "id":22435,  "ctx":"initandlisten","msg":"WiredTiger error","attr":{"error":28,"message":"[EPOCH][1:0x7f9a4c3b1c80], connection: __posix_file_write, 617: /data/db/journal/WiredTigerLog.00000000LOG: handle-write: pwrite: failed to write 128 bytes at offset 0: No space left on device"}',
    ),
    (
        0.07,
        "FATAL",
        '"s":"F",  "c":"-",       "id":23091,  "ctx":"initandlisten","msg":"Fatal assertion","attr":{"msgid":28595,"file":"src/mongo/db/storage/wiredtiger/wiredtiger_kv_engine.cpp","line":646}',
    ),
]
"""Each restart's lines (minutes after it began); EPOCH and LOG vary per restart."""


@dataclass
class ZerologConsole:
    """zerolog's console writer as DeathStarBench's Go services print it: `time LVL caller > msg`."""

    callers: tuple[str, ...]
    rng: random.Random

    def render(self, record: Record) -> list[str]:
        level = {"DEBUG": "DBG", "INFO": "INF", "WARN": "WRN", "ERROR": "ERR", "FATAL": "FTL"}[
            record.level
        ]
        caller = record.logger or self.rng.choice(self.callers)
        return [f"{record.time.strftime('%Y-%m-%dT%H:%M:%SZ')} {level} {caller} > {record.message}"]


@dataclass
class MongoJson:
    """mongod 4.4+ structured log; a record's message holds every field after `t`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+00:00"
        )
        return ['{"t":{"$date":"' + stamp + '"},' + record.message + "}"]


def mongo(
    severity: str,
    component: str,
    log_id: int,
    context: str,
    message: str,
    attributes: dict[str, object] | None = None,
) -> str:
    component_field = f'"c":"{component}",'
    id_field = f'"id":{log_id},'
    body = f'"s":"{severity}",  {component_field:<15}{id_field:<13}"ctx":"{context}","msg":{json.dumps(message)}'
    return body + (
        f',"attr":{json.dumps(attributes, separators=(",", ":"))}' if attributes is not None else ""
    )


def mongo_line(rng: random.Random) -> Line:
    remote = f"10.244.{rng.randrange(1, 4)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)}"
    connection = rng.randrange(2000, 9000)
    roll = rng.random()
    if roll < 0.3:
        return (
            "INFO",
            mongo(
                "I",
                "NETWORK",
                22943,
                "listener",
                "Connection accepted",
                {
                    "remote": remote,
                    "uuid": f"{rng.getrandbits(128):032x}",
                    "connectionId": connection,
                    "connectionCount": rng.randrange(8, 40),
                },
            ),
            (),
        )
    if roll < 0.55:
        return (
            "INFO",
            mongo(
                "I",
                "NETWORK",
                22944,
                f"conn{connection}",
                "Connection ended",
                {
                    "remote": remote,
                    "uuid": f"{rng.getrandbits(128):032x}",
                    "connectionId": connection,
                    "connectionCount": rng.randrange(8, 40),
                },
            ),
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            mongo(
                "I",
                "NETWORK",
                51800,
                f"conn{connection}",
                "client metadata",
                {
                    "remote": remote,
                    "client": f"conn{connection}",
                    "doc": {
                        "driver": {"name": "mongo-go-driver", "version": "v1.11.4"},
                        "os": {"type": "linux", "architecture": "amd64"},
                        "platform": "go1.21.5",
                    },
                },
            ),
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            mongo(
                "I",
                "STORAGE",
                22430,
                "Checkpointer",
                "WiredTiger message",
                {
                    "message": f"[{rng.randrange(1754960000, 1754970000)}:{rng.randrange(10**6)}][1:0x7f3c2e1fc700], WT_SESSION.checkpoint: [WT_VERB_CHECKPOINT_PROGRESS] saving checkpoint snapshot min: {rng.randrange(10**5)}, snapshot max: {rng.randrange(10**5)} snapshot count: 0, oldest timestamp: (0, 0) , meta checkpoint timestamp: (0, 0) base write gen: {rng.randrange(10**5)}"
                },
            ),
            (),
        )
    return (
        "INFO",
        mongo(
            "I",
            "COMMAND",
            51803,
            f"conn{connection}",
            "Slow query",
            {
                "type": "command",
                "ns": "reservation-db.reservation",
                "command": {"find": "reservation", "filter": {"hotelId": rng.choice(HOTELS)}},
                "planSummary": "COLLSCAN",
                "docsExamined": rng.randrange(3000, 9000),
                "durationMillis": rng.randrange(100, 160),
            },
        ),
        (),
    )


def reservation_line(rng: random.Random, database_up: bool = True) -> Line:
    hotel = rng.choice(HOTELS)
    roll = rng.random() if database_up else rng.random() * 0.8
    if roll < 0.5:
        return (
            "DEBUG",
            f"CheckAvailability hotelId={hotel} inDate=2025-08-{rng.randrange(12, 28)} available=true",
            (),
        )
    if roll < 0.8:
        return "DEBUG", f"memcached hit for {hotel}_2025-08-{rng.randrange(12, 28)}", ()
    if roll < 0.95:
        return (
            "INFO",
            f"MakeReservation customer=Cornell_{rng.randrange(1, 500)} hotelId={hotel} rooms=1 ok",
            (),
        )
    return (
        "WARN",
        f"memcached miss for {hotel}_2025-08-{rng.randrange(12, 28)}, reading reservation-db",
        (),
    )


def frontend_line(rng: random.Random, database_up: bool = True) -> Line:
    roll = rng.random() if database_up else rng.random() * 0.8
    lat, lon = 37.7 + rng.random() * 0.1, -122.4 + rng.random() * 0.1
    if roll < 0.6:
        return (
            "INFO",
            f"searchHandler [lat: {lat:.3f}, lon: {lon:.3f}, inDate: 2025-08-{rng.randrange(12, 20)}, outDate: 2025-08-{rng.randrange(20, 28)}] found {rng.randrange(3, 9)} hotels",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f'recommendHandler require="{rng.choice(["dis", "rate", "price"])}" hotels={rng.randrange(2, 6)}',
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"reservationHandler customer=Cornell_{rng.randrange(1, 500)} hotelId={rng.choice(HOTELS)} ok",
            (),
        )
    return "WARN", f"userHandler: wrong password for Cornell_{rng.randrange(1, 500)}", ()


def disk_used(rng: random.Random) -> Series:
    def value(index: int) -> float:
        minute = index * STEP / 60
        level = 81.6 if minute < 9 else min(100.0, 81.6 + (minute - 9) * 1.84)
        return min(100.0, level + rng.gauss(0, 0.05))

    return value


def bundle() -> Bundle:
    rng = random.Random(139)
    database = LogFile("mongodb-reservation.log", MongoJson())
    database.add(traffic(rng, mongo_line, START, 19.02, 1180))
    database.add([at(START, minute, level, body) for minute, level, body in FAILURE])
    for restart, began in enumerate([20.2, 22.9, 27.6, 36.8]):
        epoch = (
            f"{int((START + timedelta(minutes=began + 0.06)).timestamp())}:{rng.randrange(10**6)}"
        )
        database.add(
            [
                at(
                    START,
                    began + minute,
                    level,
                    body.replace("EPOCH", epoch).replace("LOG", str(41 + restart)),
                )
                for minute, level, body in RESTART
            ]
        )
    reservation = LogFile(
        "reservation.log",
        ZerologConsole(
            (
                "services/reservation/server.go:131",
                "services/reservation/server.go:201",
                "services/reservation/server.go:268",
            ),
            rng,
        ),
    )
    reservation.add(traffic(rng, reservation_line, START, 19, 520))
    reservation.add(
        traffic(
            rng,
            lambda r: reservation_line(r, False),
            START + timedelta(minutes=19, seconds=2),
            41,
            1000,
        )
    )
    reservation.add(
        loud(
            rng,
            START,
            19.1,
            40,
            388,
            fixed(
                "ERROR",
                lambda r: (
                    f"MakeReservation: server selection error: context deadline exceeded, current topology: {{ Type: Single, Servers: [{{ Addr: mongodb-reservation:27017, Type: Unknown, Last error: dial tcp 10.96.{r.choice([88, 88, 88])}.204:27017: connect: connection refused }}, ] }}"
                ),
            ),
        )
    )
    reservation.add(
        loud(
            rng,
            START,
            19.5,
            40,
            243,
            fixed(
                "WARN",
                lambda r: (
                    f"memcached-reserve: memcache: connect timeout to 10.96.{r.choice([30, 30])}.7:11211 (pool {r.randrange(480, 513)}/512 busy)"
                ),
            ),
        )
    )
    frontend = LogFile(
        "frontend.log",
        ZerologConsole(
            (
                "services/frontend/server.go:212",
                "services/frontend/server.go:344",
                "services/frontend/server.go:402",
            ),
            rng,
        ),
    )
    frontend.add(traffic(rng, frontend_line, START, 19, 740))
    frontend.add(
        traffic(
            rng,
            lambda r: frontend_line(r, False),
            START + timedelta(minutes=19, seconds=2),
            41,
            1500,
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            19.2,
            40,
            361,
            fixed(
                "ERROR",
                lambda r: (
                    "reservationHandler: rpc error: code = Unknown desc = server selection error: context deadline exceeded"
                ),
            ),
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            20,
            38,
            152,
            fixed(
                "WARN",
                lambda r: f"searchHandler slow: rate service took {r.randrange(1100, 2900)}ms",
            ),
        )
    )
    points = 3600 // STEP
    fault = 19 * 60 // STEP
    mongo_series = service_metrics(rng, 11, 610, (0.8, 6), 0.0, 140)
    mongo_series["cpu_usage_percent"] = shift(rng, 11, 2, fault, 0.3)
    mongo_series["requests_per_s"] = shift(rng, 140, 0, fault, 0.05)
    mongo_series["disk_used_percent"] = disk_used(rng)
    mongo_series["disk_write_mb_per_s"] = shift(rng, 0.4, 6.3, 9 * 60 // STEP, 0.08)
    reservation_series = service_metrics(rng, 9, 48, (3, 20), 0.0, 44)
    reservation_series["latency_p99_ms"] = shift(rng, 20, 30000, fault, 0.02)
    reservation_series["error_rate_percent"] = shift(rng, 0.0, 96, fault, 0.03)
    frontend_series = service_metrics(rng, 21, 64, (6, 58), 0.2, 230)
    frontend_series["error_rate_percent"] = shift(rng, 0.2, 18.4, fault, 0.08)
    rate_series = service_metrics(rng, 13, 40, (4, 26), 0.0, 190)
    rate_series["latency_p99_ms"] = shift(rng, 26, 1900, fault + 2, 0.15, ramp=4)
    memcached_series = service_metrics(rng, 6, 180, (0.3, 1.2), 0.0, 520)
    geo_series = service_metrics(rng, 7, 35, (2, 9), 0.0, 190)
    return Bundle(
        question="Hotel reservations fail since ~03:19 UTC (frontend answers 500 on /reservation). Which service is the root cause?",
        category="disk",
        component="mongodb-reservation",
        statement="The mongodb-reservation data volume filled up (No space left on device), so WiredTiger could not write its checkpoint and mongod aborted and now fails on every restart.",
        files={
            "mongodb-reservation.log": database.render(),
            "reservation.log": reservation.render(),
            "frontend.log": frontend.render(),
            "metrics/mongodb-reservation.csv": csv_text(
                START, STEP, points, mongo_series, decimals=2
            ),
            "metrics/reservation.csv": csv_text(
                START, STEP, points, reservation_series, decimals=2
            ),
            "metrics/frontend.csv": csv_text(START, STEP, points, frontend_series, decimals=2),
            "metrics/rate.csv": csv_text(START, STEP, points, rate_series, decimals=2),
            "metrics/memcached-reserve.csv": csv_text(
                START, STEP, points, memcached_series, decimals=2
            ),
            "metrics/geo.csv": csv_text(START, STEP, points, geo_series, decimals=2),
        },
        proofs=[
            Proof(
                "mongodb-reservation.log",
                "failed to write 4096 bytes at offset 28672: No space left on device",
                '"msgid":50853',
            ),
            Proof("metrics/mongodb-reservation.csv", "2025-08-12T03:19:00Z"),
        ],
        decoys=["server selection error", "memcache: connect timeout", "searchHandler slow"],
    )
