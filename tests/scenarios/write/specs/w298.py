# ruff: noqa: E501
# Hand-written Redis, cron and application lines and pasted redis-cli output are data, kept whole on one line.
"""Redis, a blocking KEYS from a housekeeping job: on 17 September a change to the cache-audit
script (run by cron every 10 minutes on ops-cron-02) replaced its SCAN loop with a single
`KEYS sess:*` over 4.1 million session keys. Every run blocks redis-sess-01's single thread for
about 2 s; session-api's commands time out and logins fail in bursts at :00, :10, :20 ... Loud:
session-api's command timeouts and the gateway's 503s. Decoys: a Redis `latency-monitor`
notice about AOF fsync, a failed ssh login on ops-cron-02 and a session-api memory warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Record, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, traffic, web_api

START = datetime(2025, 9, 18, 6, 0, tzinfo=UTC)
MINUTES = 150.0
BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class RedisLog:
    """Redis server log: `1:M 18 Sep 2025 06:00:01.123 * message`."""

    def render(self, record: Record) -> list[str]:
        mark = {"DEBUG": ".", "INFO": "*", "WARN": "#", "ERROR": "#"}.get(record.level, "*")
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"1:M {stamp} {mark} {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(29823)
    redis = LogFile("logs/redis-sess-01.log", RedisLog())
    redis.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        "Background append only file rewriting started by pid "
                        + str(r.randrange(1000, 9000)),
                        "DB saved on disk",
                        f"Residual parent diff successfully flushed to the rewritten AOF ({r.uniform(0.1, 3):.2f} MB)",
                        "Background AOF rewrite finished successfully",
                        f"Accepted 10.31.{r.randrange(2, 6)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)}",
                    ]
                ),
                (),
            ),
            START,
            MINUTES,
            240,
        )
    )
    redis.add(
        [
            at(
                START,
                52.0,
                "WARN",
                "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.",
            ),
        ]
    )

    cron = LogFile("logs/ops-cron-02-syslog", Syslog3164("ops-cron-02", "CRON", 0))
    cron.add(host_traffic(rng, START, MINUTES, 500))
    for run in range(15):
        minute = run * 10.0 + 0.02
        cron.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    "(svc-cache) CMD (/opt/cache-audit/bin/cache-audit --redis redis-sess-01:6379 --prefix 'sess:*' >> /var/log/cache-audit.log 2>&1)",
                    logger=f"CRON[{41000 + run * 37}]",
                ),
            ]
        )
    cron.add(
        [
            at(
                START,
                77.0,
                "WARN",
                "Failed password for invalid user admin from 185.220.101.44 port 53112 ssh2",
                logger="sshd[1291]",
            )
        ]
    )

    audit = LogFile(
        "logs/cache-audit.log", JsonLines("cache-audit", ("time", "level", "message"), rng=rng)
    )
    audit.add(
        [
            at(
                START - timedelta(hours=14),
                0.0,
                "INFO",
                "cache-audit 2.3.0 (commit 9e1c4d2 'simplify key listing: use KEYS instead of SCAN cursor loop')",
            ),
        ]
    )
    for run in range(15):
        minute = run * 10.0 + 0.03
        keys = 4_100_000 + run * 1900 + rng.randrange(500)
        audit.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"listing keys with KEYS 'sess:*' on redis-sess-01:6379 run={run + 1}",
                ),
                at(
                    START,
                    minute + 0.04,
                    "INFO",
                    f"listed {keys} keys in {rng.uniform(1.8, 2.3):.2f}s; {rng.randrange(900, 4000)} without TTL, ttl fixed",
                ),
            ]
        )

    api = LogFile(
        "logs/session-api.log",
        JsonLines("session-api", ("@timestamp", "level", "message"), rng=rng, zone=BERLIN),
    )
    api.add(
        traffic(rng, web_api("session-api", ["sessions", "logins", "tokens"]), START, MINUTES, 4200)
    )
    for run in range(15):
        api.add(
            loud(
                rng,
                START,
                run * 10.0 + 0.04,
                0.05,
                rng.randrange(35, 60),
                fixed(
                    "ERROR",
                    lambda r: (
                        f"redis command GET sess:{r.getrandbits(64):016x} failed: Command timed out after 500 ms (redis-sess-01:6379); POST /api/v1/logins 503"
                    ),
                ),
            )
        )
    api.add([at(START, 101.0, "WARN", "heap used 71% of 512 MiB (gc pause 38 ms)")])

    pasted = "\n".join(
        [
            "$ redis-cli -h redis-sess-01 SLOWLOG GET 4",
            "1) 1) (integer) 90211",
            "   2) (integer) 1758183601",
            "   3) (integer) 2114873",
            '   4) 1) "KEYS"',
            '      2) "sess:*"',
            '   5) "10.31.9.14:41822"',
            '   6) ""',
            "2) 1) (integer) 90210",
            "   2) (integer) 1758183001",
            "   3) (integer) 2087219",
            '   4) 1) "KEYS"',
            '      2) "sess:*"',
            '   5) "10.31.9.14:40176"',
            '   6) ""',
            "3) 1) (integer) 90209",
            "   2) (integer) 1758182638",
            "   3) (integer) 13892",
            '   4) 1) "HGETALL"',
            '      2) "sess:c41f09a2e7b3d118"',
            '   5) "10.31.4.77:52210"',
            '   6) "session-api"',
            "$ redis-cli -h redis-sess-01 INFO keyspace",
            "# Keyspace",
            "db0:keys=4127705,expires=4124101,avg_ttl=6911203",
            "$ redis-cli -h redis-sess-01 LATENCY LATEST",
            '1) 1) "command"',
            "   2) (integer) 1758183603",
            "   3) (integer) 2114",
            "   4) (integer) 2298",
            '2) 1) "aof-write-pending-fsync"',
            "   2) (integer) 1758178320",
            "   3) (integer) 210",
            "   4) (integer) 210",
            "$ getent hosts 10.31.9.14",
            "10.31.9.14      ops-cron-02.infra.internal",
            "",
        ]
    )
    return Bundle(
        question="Logins fail in short bursts roughly every ten minutes since yesterday evening (session-api 503s). What is causing it?",
        category="database",
        component="cache-audit",
        statement="cache-audit 2.3.0, run by cron every 10 minutes on ops-cron-02, now lists keys with a single KEYS 'sess:*' over 4.1 million keys, blocking redis-sess-01 for about 2 s each run; session-api's commands time out in those windows and logins fail.",
        files={
            "redis-sess-01-slowlog.txt": pasted,
            "logs/redis-sess-01.log": redis.render(),
            "logs/ops-cron-02-syslog": cron.render(),
            "logs/cache-audit.log": audit.render(),
            "logs/session-api.log": api.render(),
        },
        proofs=[
            Proof("logs/cache-audit.log", "use KEYS instead of SCAN"),
            Proof("redis-sess-01-slowlog.txt", "1) (integer) 90211", "10.31.9.14:41822"),
        ],
        decoys=[
            "Asynchronous AOF fsync is taking too long",
            "Failed password for invalid user",
            "heap used 71%",
        ],
    )
