# ruff: noqa: E501
# Redis log lines, app log lines and pasted redis-cli output are data, kept whole on one line.
"""Redis, an RDB `save 60 1000` rule added by a config-management run: at 10:12 (+09:00, Tokyo)
a role update rendered `save 60 1000` into redis-sess-01's redis.conf and reloaded it with CONFIG
REWRITE. The 18 GB session store now forks a background save every minute; each fork of a big
instance stalls the main thread for 300-700 ms (latest_fork_usec) and copy-on-write doubles memory
pressure. Loud: the web tier's Redis read timeouts and login 502s. Decoys: a slowlog KEYS notice,
a replica's brief link loss at 09:40, and a noisy TLS warning in the web tier."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

TOKYO = timezone(timedelta(hours=9))
START = datetime(2026, 2, 17, 0, 30, tzinfo=UTC)  # 09:30 JST
MINUTES = 150.0
ROLE_AT = 42.0  # 10:12 JST


@dataclass
class RedisLog:
    """Redis server log: `pid:role dd Mon yyyy hh:mm:ss.mmm * message` in the host's local time."""

    zone: timezone
    role: str = "M"

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(self.zone)
        mark = {"WARN": "#", "ERROR": "#", "DEBUG": "."}.get(record.level, "*")
        prefix = record.logger or f"1187:{self.role}"
        stamp = local.strftime("%d %b %Y %H:%M:%S.") + f"{local.microsecond // 1000:03d}"
        return [f"{prefix} {stamp} {mark} {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(61301)
    redis = LogFile("redis-sess-01/redis-server.log", RedisLog(TOKYO))
    # before the change: one hourly save (the old rule was `save 3600 1`)
    for minute in (5.0, 65.0):
        old_child = rng.randrange(20000, 40000)
        redis.add(
            [
                at(START, minute, "INFO", "1 changes in 3600 seconds. Saving..."),
                at(
                    START,
                    minute + 0.01,
                    "INFO",
                    f"Background saving started by pid {old_child}",
                ),
                at(
                    START,
                    minute + 0.9,
                    "INFO",
                    "DB saved on disk",
                    logger=f"{old_child}:C",
                ),
                at(
                    START,
                    minute + 0.95,
                    "INFO",
                    f"Fork CoW for RDB: current {rng.randrange(300, 900)} MB, peak {rng.randrange(900, 1400)} MB, average {rng.randrange(300, 700)} MB",
                    logger=f"{old_child}:C",
                ),
                at(START, minute + 1.0, "INFO", "Background saving terminated with success"),
            ]
        )
    redis.add(
        [
            at(START, 10.0, "WARN", "Connection with replica 10.42.8.22:6379 lost."),
            at(START, 10.3, "INFO", "Replica 10.42.8.22:6379 asks for synchronization"),
            at(
                START,
                10.31,
                "INFO",
                "Partial resynchronization request from 10.42.8.22:6379 accepted. Sending 48213 bytes of backlog starting from offset 88104412977.",
            ),
            at(START, ROLE_AT - 0.2, "INFO", "CONFIG REWRITE executed with success."),
        ]
    )
    minute = ROLE_AT + 0.8
    while minute < MINUTES - 1:
        child = rng.randrange(40000, 90000)
        redis.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"{rng.choice([1000, 1000, 1200, 1400]) + rng.randrange(0, 4000)} changes in 60 seconds. Saving...",
                ),
                at(START, minute + 0.01, "INFO", f"Background saving started by pid {child}"),
                at(START, minute + 0.55, "INFO", "DB saved on disk", logger=f"{child}:C"),
                at(
                    START,
                    minute + 0.56,
                    "INFO",
                    f"Fork CoW for RDB: current {rng.randrange(1800, 4200)} MB, peak {rng.randrange(4200, 6100)} MB, average {rng.randrange(1500, 3000)} MB",
                    logger=f"{child}:C",
                ),
                at(START, minute + 0.6, "INFO", "Background saving terminated with success"),
            ]
        )
        minute += 1.0 + rng.random() * 0.05
    web = LogFile(
        "web-frontend/app.json.log",
        JsonLines("web-frontend", ("time", "severity", "message"), rng=rng, zone=TOKYO),
    )
    web.add(
        traffic(
            rng,
            web_api("web-frontend", ["sessions", "cart", "profile", "login"]),
            START,
            MINUTES,
            5200,
        )
    )
    web.add(
        loud(
            rng,
            START,
            ROLE_AT + 1,
            MINUTES - ROLE_AT - 2,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"session lookup failed: redis: i/o timeout (read tcp 10.42.3.{r.randrange(10, 60)}:{r.randrange(32768, 60999)}->10.42.8.21:6379, timeout=250ms) path=/{r.choice(['login', 'cart', 'account', 'checkout'])}"
                ),
            ),
        )
    )
    web.add(
        loud(
            rng,
            START,
            ROLE_AT + 1,
            MINUTES - ROLE_AT - 2,
            160,
            fixed(
                "WARN",
                lambda r: (
                    f"POST /login 502 upstream session store unavailable after {r.randrange(250, 260)}ms user={r.randrange(10**5)}"
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
            14,
            fixed(
                "WARN",
                lambda r: (
                    "tls: client offered only deprecated cipher suites, negotiated TLS_RSA_WITH_AES_128_GCM_SHA256 for legacy kiosk"
                ),
            ),
        )
    )
    info = "\n".join(
        [
            "admin@bastion:~$ redis-cli -h redis-sess-01 -a \"$REDIS_PW\" --no-auth-warning INFO persistence | egrep 'rdb_|fork'",
            "rdb_changes_since_last_save:1743",
            "rdb_bgsave_in_progress:0",
            f"rdb_last_save_time:{int((START + timedelta(minutes=118)).timestamp())}",
            "rdb_last_bgsave_status:ok",
            "rdb_last_bgsave_time_sec:33",
            "rdb_saves:97",
            "rdb_last_cow_size:3921739776",
            "admin@bastion:~$ redis-cli -h redis-sess-01 -a \"$REDIS_PW\" --no-auth-warning INFO stats | egrep 'latest_fork_usec|total_forks'",
            "latest_fork_usec:612843",
            "total_forks:101",
            "admin@bastion:~$ redis-cli -h redis-sess-01 -a \"$REDIS_PW\" --no-auth-warning INFO memory | egrep 'used_memory_human|maxmemory_human'",
            "used_memory_human:17.92G",
            "maxmemory_human:24.00G",
            'admin@bastion:~$ redis-cli -h redis-sess-01 -a "$REDIS_PW" --no-auth-warning CONFIG GET save',
            '1) "save"',
            '2) "60 1000"',
            'admin@bastion:~$ redis-cli -h redis-sess-01 -a "$REDIS_PW" --no-auth-warning SLOWLOG GET 2',
            "1) 1) (integer) 88412",
            "   2) (integer) 1771290342",
            "   3) (integer) 18211",
            '   4) 1) "KEYS"',
            '      2) "ratelimit:*"',
            "2) 1) (integer) 88411",
            "   2) (integer) 1771290101",
            "   3) (integer) 10433",
            '   4) 1) "HGETALL"',
            '      2) "sess:9a1f"',
            "",
        ]
    )
    ansible = "\n".join(
        [
            "PLAY [redis_session] ***********************************************************",
            "",
            "TASK [redis : render redis.conf] ***********************************************",
            "--- before: /etc/redis/redis.conf",
            "+++ after: /etc/redis/redis.conf",
            "@@ -212,7 +212,9 @@",
            " # Snapshotting",
            "-save 3600 1",
            "+save 3600 1",
            "+save 300 100",
            "+save 60 1000",
            " stop-writes-on-bgsave-error yes",
            " rdbcompression yes",
            "changed: [redis-sess-01]",
            "",
            "TASK [redis : apply runtime config] ********************************************",
            'changed: [redis-sess-01] => (item=CONFIG SET save "3600 1 300 100 60 1000")',
            "changed: [redis-sess-01] => (item=CONFIG REWRITE)",
            "",
            "PLAY RECAP *********************************************************************",
            "redis-sess-01              : ok=14   changed=2    unreachable=0    failed=0    skipped=3",
            "",
            "# run by: awx job 55120 'redis baseline v3.4' at 2026-02-17 10:11 JST",
            "",
        ]
    )
    return Bundle(
        question="Logins on the web frontend are failing with 502s and Redis read timeouts since about 10:13 JST. What is the root cause?",
        category="configuration",
        component="redis-sess-01",
        statement="The redis baseline v3.4 role added the snapshot rule `save 60 1000` to redis-sess-01 at 10:12 JST; the 18 GB session store now forks a background save every minute, each fork stalling the main thread for ~600 ms, so web-frontend's 250 ms session reads time out.",
        files={
            "redis-sess-01/redis-server.log": redis.render(),
            "redis-sess-01/redis-cli.txt": info,
            "awx-job-55120.txt": ansible,
            "web-frontend/app.json.log": web.render(),
        },
        proofs=[
            Proof("awx-job-55120.txt", "+save 60 1000"),
            Proof("redis-sess-01/redis-cli.txt", "latest_fork_usec:612843"),
            Proof("redis-sess-01/redis-cli.txt", '2) "60 1000"'),
        ],
        decoys=[
            "ratelimit:*",
            "Connection with replica 10.42.8.22:6379 lost.",
            "deprecated cipher suites",
        ],
    )
