# ruff: noqa: E501
# Hand-written log lines, pasted redis-cli output and series definitions are data, kept whole.
"""Redis at maxmemory with noeviction: auth-api 5.12 (deployed 06:05 UTC) added per-device
login throttling counters written with INCR into the same Redis as the sessions
(sessions-redis-01) but never sets a TTL on them. From 06:05 used_memory climbs steadily;
the instance runs `maxmemory 6gb` with `maxmemory-policy noeviction`, so at 08:41 it refuses
every write with `OOM command not allowed when used memory > 'maxmemory'`. auth-api cannot
create sessions, logins fail (nginx 500s). Redis's own log says nothing at that moment.
Decoys: Redis's start-up overcommit_memory warning (days ago), a slow fork during BGSAVE,
auth-api's slow Postgres query, and auth-api's own OOM errors."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import Series, csv_text, steady
from records import NginxAccess, PythonLogging, Record
from scenes import at, loud, python_traceback
from traffic import http_access, traffic

START = datetime(2026, 3, 16, 5, 30, tzinfo=UTC)
MINUTES = 240.0
DEPLOY = 35.0  # 06:05
FULL = 191.0  # 08:41
STEP = 60


@dataclass
class RedisLog:
    """Redis server log: `pid:role dd Mon yyyy hh:mm:ss.mmm <mark> message`."""

    pid: int = 1187

    def render(self, record: Record) -> list[str]:
        mark = {"WARN": "#", "DEBUG": "-", "ERROR": "#"}.get(record.level, "*")
        role, _, child = (record.logger or "M").partition(":")
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"{child or self.pid}:{role} {stamp} {mark} {record.message}"]


def memory(rng: random.Random) -> Series:
    deploy, full = int(DEPLOY), int(FULL)

    def value(index: int) -> float:
        if index < deploy:
            level = 2.71
        elif index < full:
            level = 2.71 + (6.0 - 2.71) * (index - deploy) / (full - deploy)
        else:
            level = 6.0
        return min(6.0, level + rng.gauss(0, 0.004))

    return value


def bundle() -> Bundle:
    rng = random.Random(56011)
    redis = LogFile("logs/sessions-redis-01.log", RedisLog())
    t = 0.0
    while t < FULL - 1.5:
        t += rng.uniform(1.1, 1.4)
        child = rng.randrange(200000, 400000)
        redis.add(
            [
                at(START, t, "INFO", "10000 changes in 60 seconds. Saving..."),
                at(START, t + 0.01, "INFO", f"Background saving started by pid {child}"),
            ]
        )
        redis.add(
            [
                at(START, t + 0.2, "INFO", "DB saved on disk", logger=f"C:{child}"),
                at(
                    START,
                    t + 0.21,
                    "INFO",
                    f"Fork CoW for RDB: current {rng.randrange(2, 40)} MB, peak {rng.randrange(40, 90)} MB, average {rng.randrange(2, 30)} MB",
                    logger=f"C:{child}",
                ),
                at(START, t + 0.25, "INFO", "Background saving terminated with success"),
            ]
        )
    redis.add(
        [
            at(
                START,
                122.4,
                "WARN",
                "Fork took 1184 ms, it is too long (latency-monitor threshold 100 ms); check THP and overcommit settings",
            )
        ]
    )
    boot = "\n".join(
        [
            "1187:C 09 Mar 2026 22:14:51.402 # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.",
            "1187:C 09 Mar 2026 22:14:51.402 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
            "1187:C 09 Mar 2026 22:14:51.402 * Redis version=7.2.5, bits=64, commit=00000000, modified=0, pid=1187, just started",
            "1187:C 09 Mar 2026 22:14:51.402 * Configuration loaded",
            "1187:M 09 Mar 2026 22:14:51.403 * Increased maximum number of open files to 10032 (it was originally set to 1024).",
            "1187:M 09 Mar 2026 22:14:51.403 * Server initialized",
            "1187:M 09 Mar 2026 22:14:52.911 * DB loaded from disk: 1.508 seconds",
            "1187:M 09 Mar 2026 22:14:52.911 * Ready to accept connections tcp",
        ]
    )
    api = LogFile(
        "logs/auth-api.log",
        PythonLogging(
            ("auth_api.views.login", "auth_api.sessions", "auth_api.throttle", "gunicorn.access"),
            rng=rng,
        ),
    )

    def api_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        roll = r.random()
        if roll < 0.5:
            return (
                "INFO",
                f"login ok user_id={r.randrange(10**7)} device={r.getrandbits(32):08x} session ttl=43200",
                (),
            )
        if roll < 0.8:
            return "INFO", f"session refreshed sid={r.getrandbits(64):016x}", ()
        return (
            "INFO",
            f"password check failed user_id={r.randrange(10**7)} attempts={r.randrange(1, 4)}",
            (),
        )

    api.add(traffic(rng, api_line, START, MINUTES, 5200))
    api.add(
        [
            at(
                START,
                DEPLOY - 0.6,
                "INFO",
                "Booting auth-api 5.12.0 (gunicorn 22.0.0, 8 workers)",
                logger="auth_api.app",
            ),
            at(
                START,
                DEPLOY - 0.5,
                "INFO",
                "device throttle enabled: key=throttle:{user_id}:{device_id} window=per-day backend=redis://sessions-redis-01:6379/0",
                logger="auth_api.throttle",
            ),
            at(
                START,
                77.3,
                "WARN",
                "slow query 2.31s: SELECT * FROM users WHERE lower(email) = lower(%s) LIMIT 1",
                logger="auth_api.db",
            ),
            at(
                START,
                FULL + 0.02,
                "ERROR",
                "failed to create session for user_id=5518204",
                python_traceback(
                    [
                        (
                            "/srv/auth_api/sessions.py",
                            88,
                            "create",
                            "self.redis.set(key, payload, ex=self.ttl)",
                        ),
                        (
                            "/srv/venv/lib/python3.11/site-packages/redis/client.py",
                            1269,
                            "execute_command",
                            "return self.parse_response(conn, command_name, **options)",
                        ),
                    ],
                    "redis.exceptions.OutOfMemoryError: OOM command not allowed when used memory > 'maxmemory'.",
                ),
                logger="auth_api.sessions",
            ),
        ]
    )
    api.add(
        loud(
            rng,
            START,
            FULL + 0.1,
            MINUTES - FULL - 0.2,
            900,
            lambda r: (
                "ERROR",
                f"failed to create session for user_id={r.randrange(10**7)}: OutOfMemoryError: OOM command not allowed when used memory > 'maxmemory'.",
                (),
            ),
        )
    )
    nginx = LogFile("logs/edge-nginx-access.log", NginxAccess(rng))
    nginx.add(
        traffic(
            rng,
            http_access(
                ["/api/login", "/api/session/refresh", "/api/me", "/static/app.{id}.js"], 20
            ),
            START,
            MINUTES,
            6000,
        )
    )
    nginx.add(
        loud(
            rng,
            START,
            FULL + 0.1,
            MINUTES - FULL - 0.2,
            850,
            lambda r: (
                "INFO",
                f'"POST /api/login HTTP/1.1" 500 71 "https://id.fernwood.example/login" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" 0.0{r.randrange(10, 99)}',
                (),
            ),
        )
    )
    points = int(MINUTES * 60 // STEP)
    series = {
        "used_memory_gb": memory(rng),
        "connected_clients": steady(rng, 212, 0.04),
        "instantaneous_ops_per_sec": steady(rng, 4100, 0.07),
        "evicted_keys": lambda i: 0.0,
        "expired_keys_per_min": steady(rng, 1350, 0.08),
    }
    info = "\n".join(
        [
            "$ redis-cli -h sessions-redis-01 INFO memory | egrep 'used_memory_human|maxmemory_human|maxmemory_policy|mem_fragmentation_ratio'",
            "used_memory_human:6.00G",
            "maxmemory_human:6.00G",
            "maxmemory_policy:noeviction",
            "mem_fragmentation_ratio:1.07",
            "$ redis-cli -h sessions-redis-01 INFO keyspace",
            "# Keyspace",
            "db0:keys=38114027,expires=1184312,avg_ttl=20931775",
            "$ redis-cli -h sessions-redis-01 --scan --pattern 'throttle:*' | head -3",
            "throttle:8812093:3fa01c9e",
            "throttle:1277410:b04d2e71",
            "throttle:6650188:9c1e07aa",
            "$ redis-cli -h sessions-redis-01 TTL throttle:8812093:3fa01c9e",
            "(integer) -1",
            "",
        ]
    )
    return Bundle(
        question="Users cannot log in since about 08:41 UTC; the login endpoint returns 500. What is the root cause?",
        category="memory",
        component="sessions-redis-01",
        statement="sessions-redis-01 reached its 6gb maxmemory with maxmemory-policy noeviction at 08:41 UTC, filled since 06:05 by auth-api 5.12's per-device throttle counters written without a TTL; from then on every write is rejected with `OOM command not allowed`, so auth-api cannot store new logins and they fail.",
        files={
            "logs/sessions-redis-01.log": boot + "\n" + redis.render(),
            "logs/auth-api.log": api.render(),
            "logs/edge-nginx-access.log": nginx.render(),
            "sessions-redis-01-stats.csv": csv_text(START, STEP, points, series, decimals=3),
            "redis-cli.txt": info,
        },
        proofs=[
            Proof("redis-cli.txt", "maxmemory_policy:noeviction"),
            Proof("redis-cli.txt", "db0:keys=38114027,expires=1184312"),
            Proof(
                "logs/auth-api.log", "device throttle enabled: key=throttle:{user_id}:{device_id}"
            ),
        ],
        decoys=[
            "WARNING Memory overcommit must be enabled!",
            "Fork took 1184 ms",
            "slow query 2.31s",
            "OOM command not allowed when used memory > 'maxmemory'.",
        ],
    )
