# ruff: noqa: E501
# Hand-written MongoDB log lines and pasted shell output are data, kept whole on one line.
"""MongoDB, a stale secondary in a PSA replica set: rs-orders has mongo-1 (primary), mongo-2
(secondary) and an arbiter. mongo-2 was powered off 31 hours for a disk swap; the primary's oplog
covers about 9 hours, so on restart at 10:02 UTC mongo-2 finds every sync source too stale and
stays in RECOVERING. With only one data-bearing member up, `w: "majority"` writes cannot be
acknowledged: order-service's writes time out (WriteConcernFailed) from 10:02 UTC. Loud:
order-service's write-concern timeouts and 503s; the primary's slow-operation lines and cache
pressure. Decoys: slow queries on mongo-1, a mongo-old connection refused, an arbiter restart."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Pino, Record, iso_offset
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 9, 18, 8, 30, tzinfo=UTC)
MINUTES = 180.0
BACK = 92.0


@dataclass
class MongoJson:
    """MongoDB 4.4+ structured log; the record's logger holds `component|id|ctx`, its trailer one `attr` JSON."""

    def render(self, record: Record) -> list[str]:
        component, ident, ctx = (record.logger or "NETWORK|22943|listener").split("|")
        body = {
            "t": {"$date": iso_offset(record.time, UTC).replace("+00:00", "+00:00")},
            "s": {"INFO": "I", "WARN": "W", "ERROR": "E", "FATAL": "F"}[record.level],
            "c": component,
            "id": int(ident),
            "ctx": ctx,
            "msg": record.message,
        }
        if record.trailer:
            body["attr"] = json.loads(record.trailer[0])
        return [json.dumps(body, separators=(",", ":"))]


def ordinary(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    port = rng.randrange(40000, 60000)
    if roll < 0.4:
        return (
            "INFO",
            "Connection accepted",
            (
                json.dumps(
                    {
                        "remote": f"10.61.2.{rng.randrange(10, 60)}:{port}",
                        "uuid": f"{rng.getrandbits(128):032x}",
                        "connectionId": rng.randrange(1000, 90000),
                        "connectionCount": rng.randrange(40, 90),
                    }
                ),
            ),
        )
    if roll < 0.75:
        return (
            "INFO",
            "Connection ended",
            (
                json.dumps(
                    {
                        "remote": f"10.61.2.{rng.randrange(10, 60)}:{port}",
                        "connectionId": rng.randrange(1000, 90000),
                        "connectionCount": rng.randrange(40, 90),
                    }
                ),
            ),
        )
    if roll < 0.9:
        return (
            "INFO",
            "client metadata",
            (
                json.dumps(
                    {
                        "remote": f"10.61.2.{rng.randrange(10, 60)}:{port}",
                        "client": f"conn{rng.randrange(1000, 90000)}",
                        "doc": {"driver": {"name": "nodejs", "version": "5.9.2"}},
                    }
                ),
            ),
        )
    return (
        "INFO",
        "WiredTiger message",
        (
            json.dumps(
                {
                    "message": f"[{rng.randrange(1726640000, 1726650000)}:{rng.randrange(10**6)}][1:0x7f3a] WT_SESSION.checkpoint: [WT_VERB_CHECKPOINT_PROGRESS] saving checkpoint snapshot min: {rng.randrange(10**6)}"
                }
            ),
        ),
    )


def bundle() -> Bundle:
    rng = random.Random(25802)
    m1 = LogFile("logs/mongo-1.log", MongoJson())
    m1.add(traffic(rng, ordinary, START, MINUTES, 2200))
    m1.records = [
        Record(
            r.time,
            r.level,
            r.message,
            r.trailer,
            {
                "Connection accepted": "NETWORK|22943|listener",
                "Connection ended": "NETWORK|22944|conn",
                "client metadata": "NETWORK|51800|conn",
                "WiredTiger message": "WTCHKPT|22430|Checkpointer",
            }[r.message],
        )
        for r in m1.records
    ]
    m1.add(
        loud(
            rng,
            START,
            BACK + 1,
            MINUTES - BACK - 2,
            260,
            lambda r: (
                "INFO",
                "Slow query",
                (
                    json.dumps(
                        {
                            "type": "command",
                            "ns": "shop.orders",
                            "command": {
                                "insert": "orders",
                                "ordered": True,
                                "writeConcern": {"w": "majority", "wtimeout": 5000},
                            },
                            "numYields": 0,
                            "ok": 0,
                            "errMsg": "waiting for replication timed out",
                            "errName": "WriteConcernFailed",
                            "errCode": 64,
                            "durationMillis": r.randrange(5001, 5090),
                        }
                    ),
                ),
            ),
        )
    )
    m1.add(
        loud(
            rng,
            START,
            10,
            MINUTES - 11,
            70,
            lambda r: (
                "INFO",
                "Slow query",
                (
                    json.dumps(
                        {
                            "type": "command",
                            "ns": "shop.orders",
                            "command": {
                                "aggregate": "orders",
                                "pipeline": [
                                    {"$match": {"status": "shipped"}},
                                    {"$group": {"_id": "$region"}},
                                ],
                            },
                            "planSummary": "COLLSCAN",
                            "docsExamined": r.randrange(2_000_000, 4_000_000),
                            "durationMillis": r.randrange(900, 4000),
                        }
                    ),
                ),
            ),
        )
    )
    m1.records = [
        Record(
            r.time,
            r.level,
            r.message,
            r.trailer,
            "COMMAND|51803|conn" + str(rng.randrange(1000, 90000))
            if r.message == "Slow query"
            else r.logger,
        )
        for r in m1.records
    ]
    m1.add(
        [
            at(
                START,
                47.0,
                "INFO",
                "Member is in new state",
                (
                    json.dumps(
                        {
                            "hostAndPort": "mongo-arb.db.internal:27017",
                            "newState": "(not reachable/healthy)",
                        }
                    ),
                ),
                "REPL_HB|21216|ReplCoord-4",
            ),
            at(
                START,
                48.2,
                "INFO",
                "Member is in new state",
                (
                    json.dumps(
                        {"hostAndPort": "mongo-arb.db.internal:27017", "newState": "ARBITER"}
                    ),
                ),
                "REPL_HB|21215|ReplCoord-2",
            ),
            at(
                START,
                BACK - 0.3,
                "INFO",
                "Member is in new state",
                (json.dumps({"hostAndPort": "mongo-2.db.internal:27017", "newState": "STARTUP2"}),),
                "REPL_HB|21215|ReplCoord-7",
            ),
            at(
                START,
                BACK + 0.6,
                "INFO",
                "Member is in new state",
                (
                    json.dumps(
                        {"hostAndPort": "mongo-2.db.internal:27017", "newState": "RECOVERING"}
                    ),
                ),
                "REPL_HB|21215|ReplCoord-1",
            ),
        ]
    )

    m2 = LogFile("logs/mongo-2.log", MongoJson())
    m2.add(traffic(rng, ordinary, START + timedelta(minutes=BACK), MINUTES - BACK, 300))
    m2.records = [
        Record(r.time, r.level, r.message, r.trailer, "NETWORK|22943|listener") for r in m2.records
    ]
    m2.add(
        [
            at(
                START,
                BACK - 0.8,
                "INFO",
                "Build Info",
                (
                    json.dumps(
                        {
                            "buildInfo": {
                                "version": "6.0.16",
                                "gitVersion": "1bbe71e91a0b5a9e8ef4b2f4d2bbc0d4f3b0f6ad",
                                "openSSLVersion": "OpenSSL 3.0.2 15 Mar 2022",
                            }
                        }
                    ),
                ),
                "CONTROL|23403|initandlisten",
            ),
            at(
                START,
                BACK - 0.7,
                "INFO",
                "Detected unclean shutdown - Lock file is not empty",
                (json.dumps({"lockFile": "/var/lib/mongodb/mongod.lock"}),),
                "STORAGE|22270|initandlisten",
            ),
            at(
                START,
                BACK - 0.4,
                "INFO",
                "transition to STARTUP2 from STARTUP",
                (),
                "REPL|21358|ReplCoord-0",
            ),
            at(
                START,
                BACK - 0.38,
                "INFO",
                "Starting replication fetcher thread",
                (),
                "REPL|21299|initandlisten",
            ),
            at(
                START,
                BACK - 0.2,
                "INFO",
                "transition to RECOVERING from STARTUP2",
                (),
                "REPL|21358|ReplCoord-0",
            ),
            at(
                START,
                BACK - 0.1,
                "INFO",
                "Sync source candidate chosen",
                (json.dumps({"syncSource": "mongo-1.db.internal:27017"}),),
                "REPL|21799|BackgroundSync",
            ),
            at(
                START,
                BACK,
                "ERROR",
                "We are too stale to use candidate as a sync source. Denylisting this sync source because our last fetched timestamp is before their earliest timestamp",
                (
                    json.dumps(
                        {
                            "candidate": "mongo-1.db.internal:27017",
                            "lastOpTimeFetchedTimestamp": {"$timestamp": {"t": 1726537812, "i": 4}},
                            "remoteEarliestOpTimeTimestamp": {
                                "$timestamp": {"t": 1726619411, "i": 19}
                            },
                            "denylistDuration": "1min",
                            "denylistUntil": {"$date": "2025-09-18T10:03:22.109+00:00"},
                        }
                    ),
                ),
                "REPL|23727|BackgroundSync",
            ),
            at(
                START,
                BACK + 0.02,
                "ERROR",
                "Could not find member to sync from",
                (),
                "REPL|21798|BackgroundSync",
            ),
        ]
    )
    for k in range(1, 80):
        m2.add(
            [
                at(
                    START,
                    BACK + k * 1.1,
                    "ERROR" if k % 2 else "INFO",
                    "Could not find member to sync from"
                    if k % 2
                    else "Sync source candidate chosen",
                    () if k % 2 else (json.dumps({"syncSource": "mongo-1.db.internal:27017"}),),
                    "REPL|21798|BackgroundSync" if k % 2 else "REPL|21799|BackgroundSync",
                )
            ]
        )

    svc = LogFile("logs/order-service.log", Pino("order-service-5c8f9d-2wqlk", rng))
    svc.add(
        traffic(rng, web_api("order-service", ["orders", "carts", "quotes"]), START, MINUTES, 3000)
    )
    svc.add(
        loud(
            rng,
            START,
            BACK + 0.2,
            MINUTES - BACK - 1,
            800,
            fixed(
                "ERROR",
                lambda r: (
                    f"MongoWriteConcernError: waiting for replication timed out (code 64, codeName WriteConcernFailed) insert shop.orders writeConcern={{w:'majority',wtimeout:5000}} order={r.getrandbits(48):012x}"
                ),
            ),
        )
    )
    svc.add(
        loud(
            rng,
            START,
            BACK + 0.5,
            MINUTES - BACK - 1,
            400,
            fixed(
                "WARN",
                lambda r: (
                    f"POST /api/v1/orders 503 {r.randrange(5004, 5200)}ms client=10.61.{r.randrange(256)}.{r.randrange(1, 255)}"
                ),
            ),
        )
    )
    svc.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            40,
            fixed(
                "ERROR",
                lambda r: (
                    "MongoServerSelectionError: connect ECONNREFUSED 10.61.9.4:27017 (mongo-old.db.internal, legacy-reports connection)"
                ),
            ),
        )
    )

    status = "\n".join(
        [
            "rs-orders [direct: primary] shop> rs.status().members.map(m => ({name: m.name, state: m.stateStr, optime: m.optimeDate, lag: m.infoMessage}))",
            "[",
            "  { name: 'mongo-1.db.internal:27017', state: 'PRIMARY', optime: ISODate('2025-09-18T11:28:51.000Z'), lag: '' },",
            "  { name: 'mongo-2.db.internal:27017', state: 'RECOVERING', optime: ISODate('2025-09-17T01:50:12.000Z'), lag: '' },",
            "  { name: 'mongo-arb.db.internal:27017', state: 'ARBITER', optime: undefined, lag: '' }",
            "]",
            "rs-orders [direct: primary] shop> rs.printReplicationInfo()",
            "actual oplog size",
            "'2048 MB'",
            "---",
            "log length start to end",
            "'32400 secs (9 hrs)'",
            "---",
            "oplog first event time",
            "'Thu Sep 18 2025 02:30:11 GMT+0000 (Coordinated Universal Time)'",
            "---",
            "oplog last event time",
            "'Thu Sep 18 2025 11:28:51 GMT+0000 (Coordinated Universal Time)'",
            "",
        ]
    )
    return Bundle(
        question="Orders started failing with 503s around 10:00 UTC and the database looks busy with slow inserts. Which component is at fault?",
        category="database",
        component="mongo-2",
        statement="mongo-2 came back at 10:02 UTC after 31 hours offline, beyond mongo-1's 9-hour oplog window, so it is too stale to sync and stays RECOVERING; with only one data-bearing member of the PSA set, order-service's w:majority inserts time out (WriteConcernFailed) from 10:02 UTC.",
        files={
            "rs-status.txt": status,
            "logs/mongo-1.log": m1.render(),
            "logs/mongo-2.log": m2.render(),
            "logs/order-service.log": svc.render(),
        },
        proofs=[
            Proof("logs/mongo-2.log", "We are too stale to use candidate"),
            Proof("rs-status.txt", "state: 'RECOVERING'"),
        ],
        decoys=["COLLSCAN", "mongo-old.db.internal", "(not reachable/healthy)"],
    )
