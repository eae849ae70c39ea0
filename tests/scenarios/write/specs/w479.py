# ruff: noqa: E501
# Hand-written Redis, web and recommender lines and pasted redis-cli output are data, kept whole on one line.
"""Redis, sessions evicted by a neighbour's cache: recs-service 1.9 (released 15:20 UTC) started
caching per-user recommendation blobs, without a TTL, in the shared Redis redis-sessions, which
runs `maxmemory 4gb` with `allkeys-lru`. Memory reaches maxmemory around 16:05 and Redis
silently evicts the least recently used keys, most of them login sessions; storefront users are
logged out at random. Loud: storefront's session misses and login redirects. Decoys: a slow
BGSAVE fork, a client output buffer warning, storefront's CSRF warnings."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Pino, Record, Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 11, 6, 14, 0, tzinfo=UTC)
MINUTES = 200.0
RELEASE = 80.0
FULL = 125.0


@dataclass
class RedisLog:
    """Redis's own log: `4171:M 06 Nov 2025 14:00:01.123 * message`."""

    pid: int

    def render(self, record: Record) -> list[str]:
        mark = {"WARN": "#", "INFO": "*", "DEBUG": "-", "ERROR": "#"}[record.level]
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"{self.pid}:{record.logger or 'M'} {stamp} {mark} {record.message}"]


def redis_chatter(rng: random.Random):
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"{rng.choice([10, 100])} changes in {rng.choice([60, 300])} seconds. Saving...",
            (),
        )
    if roll < 0.75:
        return ("INFO", f"Background saving started by pid {rng.randrange(20000, 90000)}", ())
    return ("INFO", "Background saving terminated with success", ())


def bundle() -> Bundle:
    rng = random.Random(47903)
    redis = LogFile("logs/redis-sessions.log", RedisLog(1207))
    redis.add(traffic(rng, redis_chatter, START, MINUTES, 260))
    redis.add(
        [
            at(START, 30.0, "INFO", "DB saved on disk"),
            at(
                START,
                52.0,
                "WARN",
                "Client id=88123 addr=10.40.2.17:51022 laddr=10.40.9.5:6379 fd=41 name= age=3 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=812 omem=17842311 tot-mem=17845063 events=rw cmd=lrange user=default redir=-1 resp=2 lib-name= lib-ver= closed for overcoming of output buffer limits.",
            ),
            at(
                START,
                140.0,
                "WARN",
                "Background saving started by pid 77120 (fork took 812.114 ms, possibly due to memory pressure)",
            ),
        ]
    )
    recs = LogFile(
        "logs/recs-service.log",
        Zap(("recs/cache.go:74", "recs/handler.go:131", "recs/model.go:52"), rng),
    )

    def recs_line(r: random.Random):
        return (
            "INFO",
            f"served recommendations user={r.randrange(10**6)} items=24 source={r.choice(['model', 'model', 'fallback'])} took_ms={r.randrange(8, 90)}",
            (),
        )

    recs.add(traffic(rng, recs_line, START, MINUTES, 1800))
    recs.add(
        [
            at(
                START,
                RELEASE,
                "INFO",
                "recs-service 1.9.0 starting commit=4be81d0 feature.user_blob_cache=true",
            ),
            at(
                START,
                RELEASE + 0.02,
                "INFO",
                "blob cache enabled addr=redis-sessions.prod.internal:6379 db=0 key_prefix=recs:blob: ttl=0s",
            ),
        ]
    )
    recs.add(
        loud(
            rng,
            START,
            RELEASE + 1,
            MINUTES - RELEASE - 2,
            900,
            fixed(
                "DEBUG",
                lambda r: (
                    f"blob cache SET recs:blob:{r.randrange(10**6)} bytes={r.randrange(38000, 61000)}"
                ),
            ),
        )
    )
    web = LogFile("logs/storefront.log", Pino("storefront-6c9d7-qz2lm", rng))
    web.add(
        traffic(rng, web_api("storefront", ["products", "cart", "account"]), START, MINUTES, 4000)
    )
    web.add(
        loud(
            rng,
            START,
            FULL + 1,
            MINUTES - FULL - 2,
            700,
            fixed(
                "WARN",
                lambda r: (
                    f"session sid:{r.getrandbits(64):016x} not found in store, redirecting to /login (user was authenticated)"
                ),
            ),
        )
    )
    web.add(
        loud(
            rng,
            START,
            FULL + 3,
            MINUTES - FULL - 4,
            160,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /cart/checkout 401 unauthenticated: cart {r.randrange(10**6)} lost its session mid-checkout"
                ),
            ),
        )
    )
    web.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            25,
            fixed(
                "WARN",
                lambda r: (
                    f"CSRF token mismatch for POST /account/address from 10.12.{r.randrange(256)}.{r.randrange(256)} (stale form)"
                ),
            ),
        )
    )
    pasted = "\n".join(
        [
            "$ redis-cli -h redis-sessions.prod.internal INFO memory | egrep 'used_memory_human|maxmemory_human|maxmemory_policy'",
            "used_memory_human:3.99G",
            "maxmemory_human:4.00G",
            "maxmemory_policy:allkeys-lru",
            "$ redis-cli -h redis-sessions.prod.internal INFO stats | egrep 'evicted_keys|expired_keys|keyspace_misses'",
            "expired_keys:1182201",
            "evicted_keys:2841177",
            "keyspace_misses:3390184",
            "$ redis-cli -h redis-sessions.prod.internal --scan --pattern 'recs:blob:*' | wc -l",
            "71904",
            "$ redis-cli -h redis-sessions.prod.internal --scan --pattern 'sess:*' | wc -l",
            "40117",
            "$ redis-cli -h redis-sessions.prod.internal MEMORY USAGE recs:blob:401772",
            "(integer) 53392",
            "",
        ]
    )
    notes = "\n".join(
        [
            "17:30 UTC #storefront: customers report being logged out randomly since ~16:05, carts lose checkout. No storefront deploy today.",
            "- releases today: recs-service 1.9.0 at 15:20 (per-user blob cache, reviewed in PR #2231).",
            "- redis-sessions BGSAVE fork slower than usual at 16:20.",
            "- redis-cli output taken 17:35 UTC:",
            "",
            pasted,
        ]
    )
    return Bundle(
        question="Storefront users are being logged out at random since about 16:05 UTC and lose their carts at checkout. What is the root cause?",
        category="memory",
        component="redis-sessions",
        statement="Since recs-service 1.9.0 (15:20 UTC) caches per-user blobs without a TTL in redis-sessions, the instance reached its 4 GB maxmemory around 16:05 and, with allkeys-lru, evicts storefront's session keys, so users lose their sessions.",
        files={
            "notes.md": notes,
            "logs/redis-sessions.log": redis.render(),
            "logs/recs-service.log": recs.render(),
            "logs/storefront.log": web.render(),
        },
        proofs=[
            Proof("notes.md", "evicted_keys:2841177"),
            Proof("notes.md", "maxmemory_policy:allkeys-lru"),
            Proof("logs/recs-service.log", "key_prefix=recs:blob: ttl=0s"),
        ],
        decoys=[
            "closed for overcoming of output buffer limits",
            "possibly due to memory pressure",
            "CSRF token mismatch",
        ],
    )
