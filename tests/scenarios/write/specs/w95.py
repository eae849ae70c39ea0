# ruff: noqa: E501
# Hand-written log lines, tool output and series definitions are data, kept whole on one line.
"""The shared Redis fills up to its 4 GiB maxmemory with keys that never expire, and its policy
is noeviction; every cache write from catalog-api is refused with `OOM command not allowed`,
which the API only logs as a warning, so reads fall through to PostgreSQL, which then hits
max_connections and logs slow statements while the API times out."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import Pino, Postgres, Record
from scenes import at, fixed, loud
from traffic import Line, database_server, traffic

START = datetime(2024, 11, 21, 12, 50, tzinfo=UTC)
MINUTES = 55
FULL = 18.6
STEP = 15

REDIS_INFO = """$ redis-cli -h redis.internal -p 6379 INFO memory
# Memory
used_memory:4294961832
used_memory_human:4.00G
used_memory_rss:4471377920
used_memory_rss_human:4.16G
used_memory_peak:4294967104
used_memory_peak_human:4.00G
used_memory_peak_perc:100.00%
used_memory_overhead:312487720
used_memory_startup:865232
used_memory_dataset:3982474112
used_memory_dataset_perc:92.74%
allocator_frag_ratio:1.03
total_system_memory:16765730816
total_system_memory_human:15.61G
used_memory_lua:31744
maxmemory:4294967296
maxmemory_human:4.00G
maxmemory_policy:noeviction
mem_fragmentation_ratio:1.04
mem_allocator:jemalloc-5.3.0

$ redis-cli -h redis.internal -p 6379 INFO stats | egrep 'keys|ops|hits|misses'
instantaneous_ops_per_sec:9214
expired_keys:18204417
expired_stale_perc:0.31
evicted_keys:0
keyspace_hits:811540221
keyspace_misses:96241877

$ redis-cli -h redis.internal -p 6379 INFO keyspace
# Keyspace
db0:keys=21873114,expires=1211906,avg_ttl=241877

$ redis-cli -h redis.internal -p 6379 --scan --pattern 'ratelimit:*' | head -3
ratelimit:v2:user:4418201:2024-11-21T13:41
ratelimit:v2:user:99120:2024-11-19T07:02
ratelimit:v2:ip:10.40.7.19:2024-11-20T22:15
"""


@dataclass
class RedisLog:
    """Redis server log: `1:M 21 Nov 2024 12:50:00.123 * message`."""

    def render(self, record: Record) -> list[str]:
        mark = {"WARN": "#", "ERROR": "#"}.get(record.level, "*")
        role = record.logger or "1:M"
        return [
            f"{role} {record.time.strftime('%d %b %Y %H:%M:%S')}.{record.time.microsecond // 1000:03d} {mark} {record.message}"
        ]


def redis_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"Background saving started by pid {rng.randrange(1000, 90000)}", ()
    if roll < 0.75:
        return "INFO", "Background saving terminated with success", ()
    return "INFO", f"{rng.randrange(10000, 400000)} changes in 60 seconds. Saving...", ()


def api_line(rng: random.Random) -> Line:
    roll = rng.random()
    product = rng.randrange(10**6)
    if roll < 0.5:
        return "INFO", f"GET /products/{product} 200 {rng.randrange(2, 30)}ms cache=hit", ()
    if roll < 0.7:
        return "INFO", f"GET /products/{product} 200 {rng.randrange(20, 90)}ms cache=miss", ()
    if roll < 0.85:
        return (
            "INFO",
            f"GET /categories/{rng.choice(['garden', 'kitchen', 'tools', 'toys'])}?page={rng.randrange(1, 9)} 200 {rng.randrange(5, 60)}ms cache=hit",
            (),
        )
    if roll < 0.95:
        return "DEBUG", f"cache set product:{product} ttl=300", ()
    return "INFO", f"POST /cart/items 201 {rng.randrange(10, 60)}ms", ()


def bundle() -> Bundle:
    rng = random.Random(195)
    api = LogFile("catalog-api.log", Pino("catalog-api-5d9c7b8f6-kq2xw", rng=rng))
    api.add(traffic(rng, api_line, START, MINUTES, 4200))
    first = at(
        START,
        FULL,
        "WARN",
        "cache write failed for key product:318842, continuing without cache: ReplyError: OOM command not allowed when used memory > 'maxmemory'.",
    )
    api.add([first])
    api.add(
        loud(
            rng,
            START,
            FULL + 0.1,
            MINUTES - FULL - 0.5,
            262,
            fixed(
                "WARN",
                lambda r: (
                    f"cache write failed for key {r.choice(['product', 'category', 'price'])}:{r.randrange(10**6)}, continuing without cache: ReplyError: OOM command not allowed when used memory > 'maxmemory'."
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            FULL + 9,
            MINUTES - FULL - 9.5,
            388,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /products/{r.randrange(10**6)} 503 {r.randrange(5000, 10000)}ms: KnexTimeoutError: Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            FULL + 11,
            MINUTES - FULL - 12,
            141,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /categories/{r.choice(['garden', 'kitchen', 'tools'])} 500 {r.randrange(300, 3000)}ms: error: sorry, too many clients already"
                ),
            ),
        )
    )
    database = LogFile("postgresql-15-main.log", Postgres(rng))
    database.add(traffic(rng, database_server(), START, MINUTES, 2600))
    database.add(
        loud(
            rng,
            START,
            FULL + 6,
            MINUTES - FULL - 6.5,
            356,
            fixed(
                "INFO",
                lambda r: (
                    f"duration: {r.randrange(1000, 9000)}.{r.randrange(1000):03d} ms  statement: SELECT p.*, array_agg(v.*) FROM products p JOIN variants v ON v.product_id = p.id WHERE p.id = {r.randrange(10**6)} GROUP BY p.id"
                ),
            ),
        )
    )
    database.add(
        loud(
            rng,
            START,
            FULL + 10,
            MINUTES - FULL - 11,
            203,
            fixed("FATAL", lambda r: "sorry, too many clients already"),
        )
    )
    database.add(
        loud(
            rng,
            START,
            FULL + 10.5,
            MINUTES - FULL - 11,
            77,
            fixed(
                "FATAL",
                lambda r: (
                    "remaining connection slots are reserved for non-replication superuser connections"
                ),
            ),
        )
    )
    redis = LogFile("redis-server.log", RedisLog())
    redis.add(traffic(rng, redis_line, START, MINUTES, 180))
    redis.add(
        [
            at(START, 3.2, "INFO", "DB saved on disk"),
            at(
                START,
                3.25,
                "INFO",
                "Fork CoW for RDB: current 412 MB, peak 412 MB, average 246 MB",
                logger="211877:C",
            ),
        ]
    )
    full_point = int(FULL * 60 / STEP)
    series = {
        "redis_used_memory_bytes": shift(rng, 4.21e9, 4.29476e9, 1, 0.000005, ramp=full_point),
        "redis_keyspace_hit_ratio": shift(rng, 0.94, 0.41, full_point + 4, 0.02, ramp=50),
        "redis_evicted_keys_per_s": shift(rng, 0, 0, 0, 0),
        "pg_active_connections": shift(rng, 41, 97, full_point + 20, 0.04, ramp=30),
        "pg_cpu_percent": shift(rng, 23, 96, full_point + 16, 0.03, ramp=30),
        "api_p99_latency_ms": shift(rng, 88, 6400, full_point + 24, 0.1, ramp=20),
    }
    return Bundle(
        question="catalog-api latency is through the roof and Postgres is out of connections since about 13:20 UTC. Do we need a bigger database?",
        category="memory",
        component="redis",
        statement="Redis reached its 4 GB maxmemory at 13:08 UTC with maxmemory-policy noeviction (filled by rate-limit keys that never expire), so every cache write is refused with OOM command not allowed, the hit ratio collapses and catalog-api's reads fall through to PostgreSQL until it runs out of connections.",
        files={
            "catalog-api.log": api.render(),
            "postgresql-15-main.log": database.render(),
            "redis-server.log": redis.render(),
            "redis-cli.txt": REDIS_INFO,
            "dashboard.csv": csv_text(START, STEP, MINUTES * 60 // STEP, series, decimals=2),
        },
        proofs=[
            Proof("catalog-api.log", "cache write failed for key product:318842"),
            Proof("redis-cli.txt", "used_memory:4294961832", "maxmemory_policy:noeviction"),
        ],
        decoys=[
            "sorry, too many clients already",
            "KnexTimeoutError",
            "remaining connection slots are reserved",
        ],
    )
