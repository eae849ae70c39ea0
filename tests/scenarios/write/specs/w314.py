# ruff: noqa: E501
# Redis output, hand-written log lines and series definitions are data, kept whole on one line.
"""Redis: sessions-redis runs with maxmemory 4gb and maxmemory-policy noeviction. Since the
web-feed 8.2 release (three days earlier) every page view writes a `recent:<user>` list with no
TTL; used memory has climbed steadily and reached maxmemory at 03:14 UTC. From then on every write
fails with "OOM command not allowed", so logins cannot store sessions and carts cannot be saved,
while reads still work. Decoys: Redis's overcommit_memory startup warning, a slowlog entry on a
KEYS call, and a 429 from an external geo-IP API in auth-service."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import PythonLogging, Record, Zap
from scenes import at, fixed, loud
from traffic import Line, traffic, web_api

START = datetime(2026, 8, 14, 1, 30, tzinfo=UTC)
NOW = datetime(2026, 8, 14, 3, 52, tzinfo=UTC)
FULL = 104.0  # 03:14
OOM = "OOM command not allowed when used memory > 'maxmemory'."


@dataclass
class RedisLog:
    """redis-server's log: `pid:role dd Mon yyyy hh:mm:ss.mmm <mark> message`."""

    def render(self, record: Record) -> list[str]:
        mark = {"WARN": "#", "DEBUG": "-"}.get(record.level, "*")
        role = record.logger or "1:M"
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"{role} {stamp} {mark} {record.message}"]


def auth_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"login ok user_id={rng.randrange(10**7)} method={rng.choice(['password', 'google', 'apple'])} session_ttl=86400s",
            (),
        )
    if roll < 0.8:
        return "INFO", f"session validated sid={rng.getrandbits(96):024x}", ()
    return "INFO", f"token refreshed user_id={rng.randrange(10**7)}", ()


def bundle() -> Bundle:
    rng = random.Random(31408)
    total = (NOW - START).total_seconds() / 60
    redis = LogFile("sessions-redis/redis-server.log", RedisLog())
    boot = START - timedelta(days=19, hours=4, minutes=12)
    redis.add(
        [
            Record(boot, "INFO", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", (), "1:C"),
            Record(
                boot + timedelta(milliseconds=1),
                "INFO",
                "Redis version=7.2.5, bits=64, commit=00000000, modified=0, pid=1, just started",
                (),
                "1:C",
            ),
            Record(boot + timedelta(milliseconds=2), "INFO", "Configuration loaded", (), "1:C"),
            Record(
                boot + timedelta(milliseconds=9),
                "WARN",
                "WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.",
            ),
            Record(
                boot + timedelta(milliseconds=11), "INFO", "Running mode=standalone, port=6379."
            ),
            Record(boot + timedelta(milliseconds=13), "INFO", "Server initialized"),
            Record(
                boot + timedelta(seconds=2, milliseconds=208),
                "INFO",
                "Ready to accept connections tcp",
            ),
        ]
    )
    minute = 3.0
    while minute < total:
        pid = rng.randrange(20000, 60000)
        changes = rng.randrange(100, 900) if minute < FULL else rng.randrange(100, 140)
        redis.add(
            [
                at(START, minute, "INFO", f"{changes * 100} changes in 300 seconds. Saving..."),
                at(START, minute + 0.001, "INFO", f"Background saving started by pid {pid}"),
                Record(
                    START + timedelta(minutes=minute, seconds=rng.randrange(20, 41)),
                    "INFO",
                    "DB saved on disk",
                    (),
                    f"{pid}:C",
                ),
                Record(
                    START + timedelta(minutes=minute, seconds=41, milliseconds=rng.randrange(999)),
                    "INFO",
                    f"Fork CoW for RDB: current {rng.randrange(4, 30)} MB, peak {rng.randrange(30, 90)} MB, average {rng.randrange(10, 30)} MB",
                    (),
                    f"{pid}:C",
                ),
                at(START, minute + 0.75, "INFO", "Background saving terminated with success"),
            ]
        )
        minute += 5.0
    auth = LogFile(
        "logs/auth-service.log",
        Zap(("session/store.go:88", "http/login.go:141", "http/middleware.go:57"), rng=rng),
    )
    auth.add(traffic(rng, auth_line, START, total, 4200))
    auth.add(
        loud(
            rng,
            START,
            FULL + 0.1,
            total - FULL - 0.2,
            900,
            fixed(
                "ERROR", lambda r: f"login failed: save session sid={r.getrandbits(96):024x}: {OOM}"
            ),
        )
    )
    auth.add(
        [
            at(
                START,
                38.2,
                "WARN",
                "geoip lookup failed: ipinfo responded 429 Too Many Requests, continuing without country",
            )
        ]
    )
    auth.add(
        [
            at(
                START,
                FULL + 0.04,
                "ERROR",
                f"session store: SET sess:4b9e7a1c02d85f3e6a71c9b0 EX 86400 failed: {OOM}",
            )
        ]
    )
    feed = LogFile(
        "logs/web-feed.log",
        PythonLogging(("feed.views", "feed.recent", "gunicorn.access"), rng=rng),
    )
    feed.add(traffic(rng, web_api("web-feed", ["feed", "recent", "stories"]), START, total, 3300))
    feed.add(
        loud(
            rng,
            START,
            FULL + 0.2,
            total - FULL - 0.3,
            500,
            fixed(
                "ERROR",
                lambda r: (
                    f"recent-items push failed for user {r.randrange(10**7)}: redis.exceptions.ResponseError: {OOM}"
                ),
            ),
        )
    )
    cart = LogFile("logs/cart-api.log", PythonLogging(("cart.store", "cart.views"), rng=rng))
    cart.add(traffic(rng, web_api("cart-api", ["carts", "items"]), START, total, 2100))
    cart.add(
        loud(
            rng,
            START,
            FULL + 0.3,
            total - FULL - 0.4,
            260,
            fixed(
                "ERROR",
                lambda r: f"PUT /api/v1/carts/{r.randrange(10**6)} 500: cart save failed: {OOM}",
            ),
        )
    )
    points = int(total)
    climb = shift(rng, 3.71e9, 4.2949e9, 0, 0.0004, ramp=int(FULL))

    def used(index: int) -> float:
        return min(climb(index), 4294893112.0 - rng.randrange(0, 40000))

    mem = csv_text(
        START,
        60,
        points,
        {
            'redis_memory_used_bytes{instance="sessions-redis:6379"}': used,
            'redis_memory_max_bytes{instance="sessions-redis:6379"}': lambda index: 4294967296.0,
            'redis_evicted_keys_total{instance="sessions-redis:6379"}': lambda index: 0.0,
            'redis_connected_clients{instance="sessions-redis:6379"}': shift(
                rng, 412, 418, 0, 0.03
            ),
            'redis_commands_processed_per_s{instance="sessions-redis:6379"}': shift(
                rng, 18400, 9100, int(FULL), 0.05
            ),
        },
        decimals=0,
    )
    info = "\n".join(
        [
            "$ redis-cli -h sessions-redis -p 6379 INFO memory",
            "# Memory",
            "used_memory:4294893112",
            "used_memory_human:4.00G",
            "used_memory_rss:4512337920",
            "used_memory_rss_human:4.20G",
            "used_memory_peak:4294967184",
            "used_memory_peak_human:4.00G",
            "used_memory_dataset_perc:98.71%",
            "maxmemory:4294967296",
            "maxmemory_human:4.00G",
            "maxmemory_policy:noeviction",
            "mem_fragmentation_ratio:1.05",
            "mem_allocator:jemalloc-5.3.0",
            "",
            "$ redis-cli -h sessions-redis -p 6379 INFO keyspace",
            "# Keyspace",
            "db0:keys=11873402,expires=1204417,avg_ttl=51238177",
            "",
            "$ redis-cli -h sessions-redis -p 6379 --memkeys --memkeys-samples 64 | tail -8",
            "-------- summary -------",
            "Sampled 11873402 keys in the keyspace!",
            "Biggest   list found 'recent:8812034' has 49152 bytes",
            "Biggest string found 'sess:7c1d03e9f4a2b6580de1c7f3' has 2184 bytes",
            "10668985 lists with 3398115872 bytes (89.86% of keys, avg size 318.51)",
            "1204417 strings with 611843836 bytes (10.14% of keys, avg size 508.00)",
            "",
            "$ redis-cli -h sessions-redis -p 6379 TTL recent:8812034",
            "(integer) -1",
            "",
            "$ redis-cli -h sessions-redis -p 6379 SLOWLOG GET 1",
            "1) 1) (integer) 88107",
            "   2) (integer) 1786677841",
            "   3) (integer) 21844",
            '   4) 1) "KEYS"',
            '      2) "sess:admin:*"',
            "",
            "$ kubectl -n web rollout history deploy/web-feed | tail -2",
            "63        web-feed 8.1.4",
            "64        web-feed 8.2.0 (recently viewed stories: per-user list in sessions-redis)",
            "",
        ]
    )
    return Bundle(
        question="Since about 03:14 UTC nobody can log in and carts fail to save, but browsing still works. What's the root cause?",
        category="memory",
        component="sessions-redis",
        statement="sessions-redis reached its 4 GB maxmemory at 03:14 UTC with maxmemory-policy noeviction, filled mostly by web-feed 8.2's `recent:<user>` lists that have no TTL; every write now fails with OOM command not allowed, so sessions and carts cannot be saved.",
        files={
            "sessions-redis/redis-server.log": redis.render(),
            "redis-cli.txt": info,
            "metrics/redis-info.csv": mem,
            "logs/auth-service.log": auth.render(),
            "logs/web-feed.log": feed.render(),
            "logs/cart-api.log": cart.render(),
        },
        proofs=[
            Proof("redis-cli.txt", "used_memory_human:4.00G"),
            Proof("redis-cli.txt", "maxmemory_policy:noeviction"),
            Proof("redis-cli.txt", "10668985 lists with 3398115872 bytes"),
            Proof("logs/auth-service.log", "SET sess:4b9e7a1c02d85f3e6a71c9b0 EX 86400 failed"),
        ],
        decoys=[
            "Memory overcommit must be enabled!",
            "sess:admin:*",
            "ipinfo responded 429 Too Many Requests",
        ],
    )
