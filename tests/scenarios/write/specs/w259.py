# ruff: noqa: E501
# Hand-written Redis log lines, a pasted diff and notes are data, kept whole on one line.
"""Redis, a replica in a full-sync loop: at 09:12 UTC a configuration-management run rewrote
redis-01's redis.conf from a new template with `client-output-buffer-limit replica 64mb 16mb 60`
(it was `1gb 512mb 120`). redis-02 restarted for a kernel patch at 09:31 and asked for a full
resync of the 11 GB dataset; the transfer takes minutes, the write backlog passes 64 MB within
seconds, redis-01 drops the replica, forks again, forever. Loud: catalog-api's reads on redis-02
get LOADING errors and timeouts; redis-01 forks every few minutes with AOF fsync warnings.
Decoys: the overcommit_memory warning, a slow AOF fsync warning, catalog-api's search timeouts."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Record, Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 2, 11, 8, 0, tzinfo=UTC)
MINUTES = 210.0
RESTART = 91.0


@dataclass
class RedisLog:
    """Redis server log: `pid:role dd Mon yyyy hh:mm:ss.mmm <mark> message`; the record's logger is `pid:role`."""

    def render(self, record: Record) -> list[str]:
        mark = {"DEBUG": ".", "INFO": "*", "WARN": "#", "ERROR": "#", "NOTICE": "-"}[record.level]
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"{record.logger} {stamp} {mark} {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(25903)
    r1 = LogFile("logs/redis-01.log", RedisLog())
    r2 = LogFile("logs/redis-02.log", RedisLog())
    for minute in range(0, int(MINUTES), 5):
        r1.add(
            [
                at(
                    START,
                    minute + 0.3,
                    "INFO",
                    f"{rng.choice([100, 10000])} changes in {rng.choice([60, 300])} seconds. Saving...",
                    logger="1:M",
                )
            ]
        )
        r1.add(
            [
                at(
                    START,
                    minute + 0.31,
                    "INFO",
                    f"Background saving started by pid {rng.randrange(20000, 90000)}",
                    logger="1:M",
                )
            ]
        )
        r1.add(
            [
                at(
                    START,
                    minute + 2.1,
                    "INFO",
                    "Background saving terminated with success",
                    logger="1:M",
                )
            ]
        )
    r1.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            420,
            fixed(
                "NOTICE",
                lambda r: (
                    f"Accepted {r.choice(['10.70.4', '10.70.5'])}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)}"
                ),
            ),
        )
    )
    r1.records = [
        Record(r.time, r.level, r.message, r.trailer, r.logger or "1:M") for r in r1.records
    ]
    r1.add(
        [
            at(
                START,
                0.02,
                "WARN",
                "WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.",
                logger="1:M",
            ),
        ]
    )
    cycle = RESTART
    n = 0
    while cycle < MINUTES - 4:
        pid = 51000 + n * 37
        port = 41000 + n * 13
        r1.add(
            [
                at(
                    START,
                    cycle + 0.01,
                    "INFO",
                    "Replica 10.70.1.12:6379 asks for synchronization",
                    logger="1:M",
                ),
                at(
                    START,
                    cycle + 0.02,
                    "INFO",
                    "Full resync requested by replica 10.70.1.12:6379",
                    logger="1:M",
                ),
                at(
                    START,
                    cycle + 0.03,
                    "INFO",
                    "Starting BGSAVE for SYNC with target: disk",
                    logger="1:M",
                ),
                at(
                    START,
                    cycle + 0.04,
                    "INFO",
                    f"Background saving started by pid {pid}",
                    logger="1:M",
                ),
                at(START, cycle + 0.9, "INFO", "DB saved on disk", logger=f"{pid}:C"),
                at(
                    START,
                    cycle + 0.91,
                    "INFO",
                    f"Fork CoW for RDB: current {rng.randrange(300, 700)} MB, peak {rng.randrange(700, 900)} MB, average {rng.randrange(200, 300)} MB",
                    logger=f"{pid}:C",
                ),
                at(
                    START,
                    cycle + 0.95,
                    "INFO",
                    "Background saving terminated with success",
                    logger="1:M",
                ),
                at(
                    START,
                    cycle + 0.96,
                    "INFO",
                    "Streamed RDB transfer with replica 10.70.1.12:6379 in progress",
                    logger="1:M",
                ),
                at(
                    START,
                    cycle + 1.4,
                    "WARN",
                    f"Client id={9000 + n} addr=10.70.1.12:{port} laddr=10.70.1.11:6379 fd=14 name= age={rng.randrange(80, 100)} idle=0 flags=S db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=20474 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll={rng.randrange(3000, 4200)} omem={67108864 + rng.randrange(10**6)} tot-mem={67130000 + rng.randrange(10**6)} events=r cmd=psync user=default redir=-1 resp=2 lib-name= lib-ver= scheduled to be closed ASAP for overcoming of output buffer limits.",
                    logger="1:M",
                ),
                at(
                    START,
                    cycle + 1.41,
                    "INFO",
                    "Connection with replica 10.70.1.12:6379 lost.",
                    logger="1:M",
                ),
            ]
        )
        r2.add(
            [
                at(START, cycle, "INFO", "Connecting to MASTER 10.70.1.11:6379", logger="1:S"),
                at(START, cycle + 0.005, "INFO", "MASTER <-> REPLICA sync started", logger="1:S"),
                at(
                    START,
                    cycle + 0.015,
                    "INFO",
                    "Partial resynchronization not possible (no cached master)",
                    logger="1:S",
                ),
                at(
                    START,
                    cycle + 0.025,
                    "INFO",
                    f"Full resync from master: 4f0c2a9d1be83e7c55a06d21f9e0b7c3a18d6e42:{881234000000 + n * 913377}",
                    logger="1:S",
                ),
                at(
                    START,
                    cycle + 0.96,
                    "INFO",
                    f"MASTER <-> REPLICA sync: receiving {11811160064 + rng.randrange(10**7)} bytes from master to disk",
                    logger="1:S",
                ),
                at(
                    START,
                    cycle + 1.42,
                    "WARN",
                    "I/O error trying to sync with MASTER: connection lost",
                    logger="1:S",
                ),
            ]
        )
        n += 1
        cycle += 1.6 + rng.random() * 0.8
    r2.add(
        [
            at(
                START,
                RESTART - 0.6,
                "INFO",
                "Redis version=7.2.4, bits=64, commit=00000000, modified=0, pid=1, just started",
                logger="1:C",
            ),
            at(START, RESTART - 0.5, "INFO", "Server initialized", logger="1:S"),
            at(
                START,
                RESTART - 0.45,
                "INFO",
                "Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.",
                logger="1:S",
            ),
            at(START, RESTART - 0.3, "INFO", "Ready to accept connections tcp", logger="1:S"),
        ]
    )
    for minute in range(5, int(MINUTES), 23):
        r1.add(
            [
                at(
                    START,
                    minute + 0.7,
                    "WARN",
                    "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.",
                    logger="1:M",
                )
            ]
        )

    api = LogFile(
        "logs/catalog-api.log",
        Zap(("catalog/handler.go:88", "catalog/store.go:141", "catalog/cache.go:57"), rng),
    )
    api.add(
        traffic(
            rng, web_api("catalog-api", ["products", "categories", "prices"]), START, MINUTES, 3600
        )
    )
    api.add(
        loud(
            rng,
            START,
            RESTART + 0.1,
            MINUTES - RESTART - 1,
            900,
            fixed(
                "ERROR",
                lambda r: (
                    f"cache read failed key=product:{r.randrange(10**6)} addr=redis-02.cache.internal:6379: LOADING Redis is loading the dataset in memory"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            RESTART + 0.1,
            MINUTES - RESTART - 1,
            300,
            fixed(
                "WARN",
                lambda r: (
                    f"GET /api/v1/products/{r.randrange(10**6)} 200 {r.randrange(600, 2400)}ms cache=miss fallback=postgres"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            60,
            fixed(
                "ERROR",
                lambda r: (
                    f"search backend timeout after 3000ms query_id={r.getrandbits(32):08x} (opensearch-catalog)"
                ),
            ),
        )
    )

    change = "\n".join(
        [
            "# change log excerpt (#ops-changes), 11 Feb",
            "",
            "09:10 UTC  mbauer   redis role v3.0 rolled to cache hosts (template moved to upstream defaults, see diff)",
            "09:30 UTC  oncall   kernel patch reboot redis-02 (replica), planned CHG-5531",
            "",
            "--- redis-01:/etc/redis/redis.conf (role v2.7)",
            "+++ redis-01:/etc/redis/redis.conf (role v3.0)",
            "@@ -58,9 +58,9 @@",
            " maxmemory 24gb",
            " maxmemory-policy allkeys-lru",
            "-repl-backlog-size 512mb",
            "+repl-backlog-size 1mb",
            "-client-output-buffer-limit replica 1gb 512mb 120",
            "+client-output-buffer-limit replica 64mb 16mb 60",
            " client-output-buffer-limit pubsub 32mb 8mb 60",
            " appendonly yes",
            " appendfsync everysec",
            "",
        ]
    )
    return Bundle(
        question="Product pages got slow and catalog-api logs thousands of cache errors since 09:31 UTC. What is the root cause and where?",
        category="configuration",
        component="redis-01",
        statement="A configuration run at 09:10 UTC set redis-01's `client-output-buffer-limit replica 64mb 16mb 60`; when redis-02 restarted at 09:31 UTC and needed a full resync of 11 GB, redis-01 dropped it for overcoming the output buffer limit on every attempt, so the replica loops through full syncs, stays LOADING for catalog-api and redis-01 forks over and over.",
        files={
            "changes.md": change,
            "logs/redis-01.log": r1.render(),
            "logs/redis-02.log": r2.render(),
            "logs/catalog-api.log": api.render(),
        },
        proofs=[
            Proof("changes.md", "+client-output-buffer-limit replica 64mb 16mb 60"),
            Proof("logs/redis-01.log", "Client id=9000 "),
        ],
        decoys=[
            "Memory overcommit must be enabled",
            "Asynchronous AOF fsync is taking too long",
            "search backend timeout",
        ],
    )
