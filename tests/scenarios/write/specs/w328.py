# ruff: noqa: E501
# Hand-written Redis, application and syslog lines and pasted shell output are data, kept whole on one line.
"""Redis, maxclients cut by a file-descriptor limit: on Tuesday's patch night the redis-server
package upgrade replaced the unit file on cache-redis-01 and dropped the local drop-in with
`LimitNOFILE=65535`. Redis starts with 4096 descriptors and logs, once, that it reduced maxclients
from 10000 to 4064. At the Wednesday evening peak (20:10 BRT, UTC-3) the session service's
connections pass 4064 and new connections get `ERR max number of clients reached`; logins fail.
Decoys: the usual overcommit_memory warning, a slow-log note, a session-svc retry."""

import random
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, PythonLogging, Record, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, http_access, traffic, web_api

BRT = ZoneInfo("America/Sao_Paulo")
START = datetime(2026, 6, 9, 23, 40, tzinfo=BRT)
MINUTES = 1350.0
PEAK = 1230.0


@dataclass
class RedisLog:
    """Redis's own log: `pid:role dd Mon yyyy HH:MM:SS.mmm <mark> message`."""

    pid: int
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        mark = {"DEBUG": ".", "INFO": "*", "WARN": "#", "ERROR": "#"}[record.level]
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        role = record.logger or "M"
        return [f"{self.pid}:{role} {stamp} {mark} {record.message}"]


def chatter(rng: random.Random):
    return (
        "INFO",
        rng.choice(
            [
                f"Background saving started by pid {rng.randrange(40000, 90000)}",
                "Background saving terminated with success",
                "DB saved on disk",
                f"Fork CoW for RDB: current {rng.randrange(2, 40)} MB, peak {rng.randrange(40, 90)} MB, average {rng.randrange(2, 40)} MB",
                f"{rng.randrange(100, 900)} changes in 60 seconds. Saving...",
            ]
        ),
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(32802)
    redis = LogFile("logs/cache-redis-01-redis.log", RedisLog(31877, rng))
    redis.add(traffic(rng, chatter, START, MINUTES, 1400))
    boot = 22.0
    redis.add(
        [
            at(START, boot, "INFO", "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", logger="C"),
            at(
                START,
                boot + 0.01,
                "INFO",
                "Redis version=7.2.6, bits=64, commit=00000000, modified=0, pid=31877, just started",
                logger="C",
            ),
            at(START, boot + 0.02, "INFO", "Configuration loaded", logger="C"),
            at(
                START,
                boot + 0.03,
                "WARN",
                "You requested maxclients of 10000 requiring at least 10032 max file descriptors.",
            ),
            at(
                START,
                boot + 0.04,
                "WARN",
                "Server can't set maximum open files to 10032 because of OS error: Operation not permitted.",
            ),
            at(
                START,
                boot + 0.05,
                "WARN",
                "Current maximum open files is 4096. maxclients has been reduced to 4064 to compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.",
            ),
            at(
                START,
                boot + 0.06,
                "WARN",
                "WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.",
            ),
            at(START, boot + 0.07, "INFO", "Server initialized"),
            at(START, boot + 0.08, "INFO", "Loading RDB produced by version 7.2.4"),
            at(START, boot + 0.2, "INFO", "DB loaded from disk: 9.412 seconds"),
            at(START, boot + 0.21, "INFO", "Ready to accept connections tcp"),
        ]
    )
    sysl = LogFile("logs/cache-redis-01-syslog", Syslog3164("cache-redis-01", "systemd", 1))
    sysl.add(host_traffic(rng, START, MINUTES, 700))
    sysl.add(
        [
            at(
                START,
                15.0,
                "INFO",
                "Unpacking redis-server (5:7.2.6-1rl1~jammy1) over (5:7.2.4-1rl1~jammy1) ...",
                logger="apt[30144]",
            ),
            at(
                START,
                15.3,
                "INFO",
                "Configuration file '/etc/systemd/system/redis-server.service.d/limits.conf' removed by package maintainer script (obsolete)",
                logger="dpkg[30151]",
            ),
            at(
                START,
                21.9,
                "INFO",
                "Reloading requested from client PID 30190 ('systemctl') (unit session-88.scope)...",
                logger="systemd[1]",
            ),
            at(
                START,
                21.95,
                "INFO",
                "Started redis-server.service - Advanced key-value store.",
                logger="systemd[1]",
            ),
        ]
    )
    app = LogFile(
        "logs/session-svc.log",
        PythonLogging(("session.api", "session.store", "uvicorn.access"), rng),
    )
    app.add(
        traffic(rng, web_api("session-svc", ["sessions", "tokens", "logins"]), START, MINUTES, 4200)
    )
    app.add(
        loud(
            rng,
            START,
            PEAK,
            MINUTES - PEAK - 2,
            1100,
            fixed(
                "ERROR",
                lambda r: (
                    f"redis.exceptions.ConnectionError: max number of clients reached (pool=session-store host=cache-redis-01:6379 in_use={r.randrange(180, 260)})"
                ),
                lambda r: [
                    "Traceback (most recent call last):",
                    '  File "/srv/session/store.py", line 61, in get',
                    "    return self.redis.get(key)",
                    "redis.exceptions.ConnectionError: ERR max number of clients reached",
                ],
            ),
        )
    )
    app.add(
        [
            at(
                START,
                600.0,
                "WARN",
                "redis.exceptions.ConnectionError: Error 104 while writing to socket. Connection reset by peer. (retry 1/3 succeeded)",
                logger="session.store",
            )
        ]
    )
    edge = LogFile("logs/edge-access.log", NginxAccess(rng, zone=BRT))
    edge.add(
        traffic(
            rng,
            http_access(["/login", "/api/session", "/api/session/refresh", "/static/app.js"], 25),
            START,
            MINUTES,
            3000,
        )
    )
    edge.add(
        loud(
            rng,
            START,
            PEAK + 0.5,
            MINUTES - PEAK - 3,
            700,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /login HTTP/1.1" 500 {r.randrange(90, 140)} "-" "Mozilla/5.0 (X11; Linux x86_64)" {r.uniform(0.02, 0.3):.3f}'
                ),
            ),
        )
    )
    pasted = "\n".join(
        [
            "root@cache-redis-01:~# redis-cli INFO clients | head -4",
            "# Clients",
            "connected_clients:4064",
            "cluster_connections:0",
            "maxclients:4064",
            "root@cache-redis-01:~# grep 'open files' /proc/$(pidof redis-server)/limits",
            "Max open files            4096                 4096                 files",
            "root@cache-redis-01:~# systemctl show redis-server -p LimitNOFILE -p DropInPaths",
            "LimitNOFILE=4096",
            "DropInPaths=",
            "root@cache-redis-01:~# redis-cli SLOWLOG GET 1",
            "1) 1) (integer) 88214",
            "   2) (integer) 1781051102",
            "   3) (integer) 14102",
            '   4) 1) "HGETALL"',
            '      2) "session:admin-bulk"',
            "",
        ]
    )
    notes = "\n".join(
        [
            "Plantão 10/06 20:30 BRT — logins failing since ~20:10 BRT (UTC-3), session-svc 500s.",
            "- Tuesday patch night ran on cache-redis-01 (redis-server 7.2.4 -> 7.2.6, restart ~00:02).",
            "- slowlog shows one 14 ms HGETALL on the admin bulk session, nothing else slow.",
            "- memory on cache-redis-01 at 38%, CPU 20%.",
            "",
        ]
    )
    return Bundle(
        question="Since about 20:10 BRT logins fail with 500s and session-svc logs Redis connection errors. What is the root cause?",
        category="file_descriptors",
        component="cache-redis-01",
        statement="The redis-server package upgrade removed cache-redis-01's LimitNOFILE drop-in, so Redis restarted with 4096 open files and cut maxclients from 10000 to 4064; at the evening peak the connections reach 4064 and new ones get 'max number of clients reached'.",
        files={
            "notes.md": notes,
            "cache-redis-01-shell.txt": pasted,
            "logs/cache-redis-01-redis.log": redis.render(),
            "logs/cache-redis-01-syslog": sysl.render(),
            "logs/session-svc.log": app.render(),
            "logs/edge-access.log": edge.render(),
        },
        proofs=[
            Proof(
                "logs/cache-redis-01-redis.log",
                "Server can't set maximum open files to 10032",
                "maxclients has been reduced to 4064",
            ),
            Proof("logs/cache-redis-01-syslog", "limits.conf' removed by package maintainer"),
            Proof("cache-redis-01-shell.txt", "Max open files            4096"),
        ],
        decoys=[
            "Memory overcommit must be enabled",
            "session:admin-bulk",
            "Connection reset by peer. (retry 1/3 succeeded)",
        ],
    )
