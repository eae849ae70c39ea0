# ruff: noqa: E501
# Redis and zap lines and pasted shell output are data, kept whole on one line.
"""Redis latency from transparent huge pages: cache-03 was rebuilt on a new machine image that
lacks the old image's `disable-thp` unit, so THP is `always`. Redis warns about it once at
start-up. Every background save (RDB every 5 minutes under the write load) forks, and copy on
write of 2 MB pages makes the fork and the following minutes slow: the latency monitor records
fork events of 1.5-2.3 s and session-gateway's reads to cache-03 time out in bursts every
five minutes. cache-01 and cache-02 (THP never) are fine. Decoys: the overcommit_memory
warning (present on every cache host), a slowlog entry, client-canceled requests."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record, Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 4, 8, 13, 0, tzinfo=UTC)
MINUTES = 150.0
BOOT = 2.0
SAVES = [BOOT + 5.0 * k + 0.7 for k in range(1, 30)]


class RedisLog:
    """Redis server log: `pid:role dd Mon yyyy hh:mm:ss.mmm <sym> message`."""

    def render(self, record: Record) -> list[str]:
        sym = {"WARN": "#", "INFO": "*", "DEBUG": "."}.get(record.level, "#")
        pid, role = (record.logger or "1:M").split(":")
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"{pid}:{role} {stamp} {sym} {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(44903)
    redis = LogFile("cache-03/redis-server.log", RedisLog())
    redis.add(
        [
            at(
                START,
                BOOT,
                "INFO",
                "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
                logger="1181:C",
            ),
            at(
                START,
                BOOT + 0.01,
                "INFO",
                "Redis version=7.2.5, bits=64, commit=00000000, modified=0, pid=1181, just started",
                logger="1181:C",
            ),
            at(START, BOOT + 0.02, "INFO", "Server initialized", logger="1181:M"),
            at(
                START,
                BOOT + 0.03,
                "WARN",
                "WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.",
                logger="1181:M",
            ),
            at(
                START,
                BOOT + 0.04,
                "WARN",
                "WARNING You have Transparent Huge Pages (THP) support enabled in your kernel. This will create latency and memory usage issues with Redis. To fix this issue run the command 'echo madvise > /sys/kernel/mm/transparent_hugepage/enabled' as root, and add it to your /etc/rc.local in order to retain the setting after a reboot. Redis must be restarted after THP is disabled (set to 'madvise' or 'never').",
                logger="1181:M",
            ),
            at(
                START, BOOT + 0.05, "INFO", "Loading RDB produced by version 7.2.5", logger="1181:M"
            ),
            at(START, BOOT + 0.4, "INFO", "DB loaded from disk: 21.884 seconds", logger="1181:M"),
            at(START, BOOT + 0.41, "INFO", "Ready to accept connections tcp", logger="1181:M"),
        ]
    )
    for index, minute in enumerate(SAVES):
        child = 1181 + 40 * (index + 1) + rng.randrange(1, 30)
        cow = rng.randrange(1500, 2900)
        took = rng.randrange(18, 31)
        redis.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"{rng.randrange(100, 900)} changes in 300 seconds. Saving...",
                    logger="1181:M",
                ),
                at(
                    START,
                    minute + 0.011,
                    "INFO",
                    f"Background saving started by pid {child}",
                    logger="1181:M",
                ),
                at(START, minute + took / 60, "INFO", "DB saved on disk", logger=f"{child}:C"),
                at(
                    START,
                    minute + took / 60 + 0.001,
                    "INFO",
                    f"Fork CoW for RDB: current {cow} MB, peak {cow + rng.randrange(10, 200)} MB, average {cow // 2} MB",
                    logger=f"{child}:C",
                ),
                at(
                    START,
                    minute + took / 60 + 0.02,
                    "INFO",
                    "Background saving terminated with success",
                    logger="1181:M",
                ),
            ]
        )

    def gateway_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
        level, message, trailer = web_api("session-gateway", ["sessions", "tokens"])(rng)
        return level, message, trailer

    gw = LogFile(
        "session-gateway/zap.json",
        Zap(("gateway/handler.go:88", "gateway/session.go:141", "cache/client.go:62"), rng),
    )
    gw.add(traffic(rng, gateway_line, START, MINUTES, 4200))
    for minute in SAVES:
        gw.add(
            loud(
                rng,
                START,
                minute,
                0.6,
                rng.randrange(25, 45),
                fixed(
                    "ERROR",
                    lambda r: (
                        f"session lookup failed: redis: read tcp 10.72.4.{r.randrange(10, 200)}:{r.randrange(30000, 60000)}->10.72.9.13:6379: i/o timeout (shard=cache-03, timeout=250ms)"
                    ),
                ),
            )
        )
    gw.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f"request {r.getrandbits(48):012x} aborted: context canceled by client after {r.randrange(2, 30)}s"
                ),
            ),
        )
    )

    pasted = "\n".join(
        [
            "[admin@cache-03 ~]$ redis-cli LATENCY LATEST",
            '1) 1) "fork"',
            "   2) (integer) 1775659517",
            "   3) (integer) 1920",
            "   4) (integer) 2318",
            '2) 1) "command"',
            "   2) (integer) 1775659519",
            "   3) (integer) 611",
            "   4) (integer) 840",
            "[admin@cache-03 ~]$ redis-cli INFO stats | grep latest_fork_usec",
            "latest_fork_usec:1920412",
            "[admin@cache-03 ~]$ cat /sys/kernel/mm/transparent_hugepage/enabled",
            "[always] madvise never",
            "[admin@cache-03 ~]$ sysctl vm.overcommit_memory",
            "vm.overcommit_memory = 0",
            "[admin@cache-03 ~]$ redis-cli SLOWLOG GET 1",
            "1) 1) (integer) 5521",
            "   2) (integer) 1775658802",
            "   3) (integer) 12340",
            '   4) 1) "ZRANGEBYSCORE"',
            '      2) "sess:expiry"',
            '      3) "0"',
            '      4) "1775658802"',
            "",
            "[admin@cache-01 ~]$ cat /sys/kernel/mm/transparent_hugepage/enabled",
            "always madvise [never]",
            "[admin@cache-01 ~]$ redis-cli INFO stats | grep latest_fork_usec",
            "latest_fork_usec:48115",
            "[admin@cache-01 ~]$ sysctl vm.overcommit_memory",
            "vm.overcommit_memory = 0",
            "",
        ]
    )
    local = timezone_note()
    return Bundle(
        question=f"Logins through session-gateway stall for a few seconds every five minutes or so since about {local}. What is causing it?",
        category="configuration",
        component="cache-03",
        statement="cache-03 was rebuilt on an image without the THP-disabling unit, so transparent huge pages are 'always'; each Redis background save forks with 2 MB copy-on-write pages (fork latency ~1.9 s), stalling the server and making session-gateway's reads to cache-03 time out every five minutes.",
        files={
            "cache-03/redis-server.log": redis.render(),
            "session-gateway/zap.json": gw.render(),
            "cache-hosts.txt": pasted,
        },
        proofs=[
            Proof("cache-hosts.txt", "[always] madvise never"),
            Proof(
                "cache-03/redis-server.log", "You have Transparent Huge Pages (THP) support enabled"
            ),
            Proof("cache-hosts.txt", "latest_fork_usec:1920412"),
        ],
        decoys=[
            "Memory overcommit must be enabled",
            '"ZRANGEBYSCORE"',
            "context canceled by client",
        ],
    )


def timezone_note() -> str:
    """The start of the stalls in São Paulo time (UTC-3), as the on-call engineer writes it."""
    first = START + timedelta(minutes=SAVES[0]) - timedelta(hours=3)
    return first.strftime("%H:%M") + " BRT"
