# ruff: noqa: E501
# Hand-written Redis, Sentinel and service lines and pasted shell output are data, kept whole on one line.
"""Redis, a client pinned to the old master after a Sentinel failover: three weeks ago a
"skip Sentinel discovery" change gave session-api a fixed `REDIS_ADDR=10.30.1.11:6379`
(redis-a, then the master) instead of its Sentinel list. At 02:04 EDT unattended-upgrades
rebooted redis-a; the Sentinels failed over to redis-b, and when redis-a came back at 02:07 they
reconfigured it as a replica of redis-b. cart-api asks the Sentinels and followed the new
master; session-api reconnected to redis-a and every session write since fails with READONLY,
so logins fail. Quiet: the env in a paste, Sentinel's +switch-master and +convert-to-slave.
Loud: READONLY errors and login 500s. Decoys: Redis's THP and overcommit warnings, a bot
rate-limited on /login, cart-api's brief reconnect during the failover."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Journal, JsonLines, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

EDT = timezone(timedelta(hours=-4))
START = datetime(2026, 5, 12, 5, 30, tzinfo=UTC)
MINUTES = 130.0
REBOOT = 34.0
BACK = 37.3


@dataclass
class RedisLog:
    """Redis's own log: `1:X 12 May 2026 06:04:11.123 # message` (role letter, level mark)."""

    role: str
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        mark = {"DEBUG": "-", "INFO": "*", "WARN": "#", "ERROR": "#"}[record.level]
        role = record.logger or self.role
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"1:{role} {stamp} {mark} {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(42626)
    sentinel = LogFile("logs/sentinel-1.log", RedisLog("X", rng))
    sentinel.add(
        [
            at(START, REBOOT + 0.09, "WARN", "+sdown master mymaster 10.30.1.11 6379"),
            at(START, REBOOT + 0.12, "WARN", "+odown master mymaster 10.30.1.11 6379 #quorum 2/2"),
            at(START, REBOOT + 0.13, "WARN", "+new-epoch 19"),
            at(START, REBOOT + 0.14, "WARN", "+try-failover master mymaster 10.30.1.11 6379"),
            at(
                START,
                REBOOT + 0.16,
                "WARN",
                "+vote-for-leader 4c1f0a9b7d22e86135cb0d4f9a61e27b83c5d0e2 19",
            ),
            at(
                START,
                REBOOT + 0.19,
                "WARN",
                "+selected-slave slave 10.30.1.12:6379 10.30.1.12 6379 @ mymaster 10.30.1.11 6379",
            ),
            at(
                START,
                REBOOT + 0.2,
                "INFO",
                "+failover-state-send-slaveof-noone slave 10.30.1.12:6379 10.30.1.12 6379 @ mymaster 10.30.1.11 6379",
            ),
            at(
                START,
                REBOOT + 0.23,
                "WARN",
                "+promoted-slave slave 10.30.1.12:6379 10.30.1.12 6379 @ mymaster 10.30.1.11 6379",
            ),
            at(START, REBOOT + 0.27, "WARN", "+failover-end master mymaster 10.30.1.11 6379"),
            at(
                START,
                REBOOT + 0.28,
                "WARN",
                "+switch-master mymaster 10.30.1.11 6379 10.30.1.12 6379",
            ),
            at(
                START,
                REBOOT + 0.29,
                "INFO",
                "+slave slave 10.30.1.13:6379 10.30.1.13 6379 @ mymaster 10.30.1.12 6379",
            ),
            at(
                START,
                REBOOT + 0.3,
                "INFO",
                "+slave slave 10.30.1.11:6379 10.30.1.11 6379 @ mymaster 10.30.1.12 6379",
            ),
            at(
                START,
                REBOOT + 0.33,
                "WARN",
                "+sdown slave 10.30.1.11:6379 10.30.1.11 6379 @ mymaster 10.30.1.12 6379",
            ),
            at(
                START,
                BACK + 0.1,
                "WARN",
                "-sdown slave 10.30.1.11:6379 10.30.1.11 6379 @ mymaster 10.30.1.12 6379",
            ),
            at(
                START,
                BACK + 0.25,
                "INFO",
                "+convert-to-slave slave 10.30.1.11:6379 10.30.1.11 6379 @ mymaster 10.30.1.12 6379",
            ),
        ]
    )
    redis_a = LogFile("logs/redis-a.log", RedisLog("M", rng))

    def chatter(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "INFO",
            f"{r.choice([100, 1000, 10000])} changes in {r.choice([60, 300, 3600])} seconds. Saving...",
            (),
        )

    redis_a.add(traffic(rng, chatter, START, REBOOT - 0.5, 40))
    redis_a.add(
        [
            at(START, REBOOT - 0.05, "WARN", "Received SIGTERM scheduling shutdown...", logger="M"),
            at(START, REBOOT - 0.04, "WARN", "User requested shutdown...", logger="M"),
            at(
                START,
                REBOOT - 0.03,
                "INFO",
                "Saving the final RDB snapshot before exiting.",
                logger="M",
            ),
            at(START, REBOOT - 0.02, "WARN", "Redis is now ready to exit, bye bye...", logger="M"),
            at(
                START,
                BACK - 0.1,
                "INFO",
                "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
                logger="C",
            ),
            at(
                START,
                BACK - 0.09,
                "WARN",
                "WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.",
                logger="C",
            ),
            at(START, BACK - 0.08, "INFO", "Server initialized", logger="M"),
            at(START, BACK - 0.07, "INFO", "DB loaded from disk: 2.114 seconds", logger="M"),
            at(START, BACK - 0.06, "INFO", "Ready to accept connections tcp", logger="M"),
            at(
                START,
                BACK + 0.27,
                "INFO",
                "Before turning into a replica, using my own master parameters to synthesize a cached master: I may be able to synchronize with the new master with just a partial transfer.",
                logger="S",
            ),
            at(START, BACK + 0.27, "INFO", "Connecting to MASTER 10.30.1.12:6379", logger="S"),
            at(
                START,
                BACK + 0.26,
                "INFO",
                "REPLICAOF 10.30.1.12:6379 enabled (user request from 'id=31 addr=10.30.1.21:40112 laddr=10.30.1.11:6379 fd=12 name=sentinel-4c1f0a9b-cmd age=0 idle=0 flags=x db=0 sub=0 psub=0 ssub=0 multi=4 qbuf=188 qbuf-free=20286 argv-mem=4 multi-mem=169 rbs=2048 rbp=1024 obl=45 oll=0 omem=0 tot-mem=23413 events=r cmd=exec user=default redir=-1 resp=2 lib-name= lib-ver=')",
                logger="S",
            ),
            at(
                START,
                BACK + 0.3,
                "INFO",
                "MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.",
                logger="S",
            ),
        ]
    )
    redis_a.add(
        [
            at(
                START,
                BACK - 0.085,
                "WARN",
                "WARNING you have Transparent Huge Pages (THP) support enabled in your kernel. This will create latency and memory usage issues with Redis. To fix this issue run the command 'echo madvise > /sys/kernel/mm/transparent_hugepage/enabled' as root.",
                logger="M",
            )
        ]
    )
    local = START.astimezone(EDT)
    session = LogFile(
        "logs/session-api.json",
        JsonLines("session-api", ("time", "level", "message"), "svc", True, rng, EDT),
    )
    session.add(
        traffic(rng, web_api("session-api", ["sessions", "logins", "tokens"]), local, MINUTES, 3900)
    )
    session.add(
        [
            at(
                local,
                8.0,
                "WARN",
                "rate limit: 429 for POST /login from 185.220.101.44 (62 attempts/min, limit 30)",
            ),
            at(
                local,
                REBOOT + 0.1,
                "ERROR",
                "redis: dial tcp 10.30.1.11:6379: connect: connection refused (pool: 10.30.1.11:6379)",
            ),
            at(local, BACK + 0.1, "INFO", "redis pool reconnected to 10.30.1.11:6379"),
        ]
    )
    session.add(
        loud(
            rng,
            local,
            REBOOT + 0.2,
            BACK - REBOOT - 0.4,
            90,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /login 500: create session: dial tcp 10.30.1.11:6379: connect: connection refused ({r.randrange(1, 40)}ms)"
                ),
            ),
        )
    )
    session.add(
        loud(
            rng,
            local,
            BACK + 0.4,
            MINUTES - BACK - 3,
            760,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        f"POST /login 500: create session sess:{r.getrandbits(64):016x}: READONLY You can't write against a read only replica.",
                        f"POST /token/refresh 500: extend ttl sess:{r.getrandbits(64):016x}: READONLY You can't write against a read only replica.",
                    ]
                ),
            ),
        )
    )
    cart = LogFile(
        "logs/cart-api.json",
        JsonLines("cart-api", ("ts", "level", "msg"), "service", True, rng, EDT),
    )
    cart.add(
        traffic(rng, web_api("cart-api", ["carts", "items", "promotions"]), local, MINUTES, 2600)
    )
    cart.add(
        [
            at(
                local,
                REBOOT + 0.1,
                "WARN",
                "redis: sentinel: master mymaster unreachable (10.30.1.11:6379), waiting for failover",
            ),
            at(
                local,
                REBOOT + 0.3,
                "INFO",
                'sentinel: new master="mymaster" addr="10.30.1.12:6379"',
            ),
        ]
    )
    journal = LogFile("logs/redis-a-journal.txt", Journal("redis-a", "unattended-upgrade", 7712))
    journal.add(
        [
            at(
                START,
                REBOOT - 3.0,
                "INFO",
                "Packages that will be upgraded: linux-image-6.8.0-62-generic linux-modules-6.8.0-62-generic",
            ),
            at(START, REBOOT - 0.3, "WARN", "Found /var/run/reboot-required, rebooting"),
        ]
    )
    shell = "\n".join(
        [
            "$ kubectl -n identity get deploy session-api -o jsonpath='{.spec.template.spec.containers[0].env}' | jq -c '.[] | select(.name|test(\"REDIS\"))'",
            '{"name":"REDIS_ADDR","value":"10.30.1.11:6379"}',
            '{"name":"REDIS_POOL_SIZE","value":"64"}',
            "$ kubectl -n shop get deploy cart-api -o jsonpath='{.spec.template.spec.containers[0].env}' | jq -c '.[] | select(.name|test(\"REDIS\"))'",
            '{"name":"REDIS_SENTINELS","value":"10.30.1.21:26379,10.30.1.22:26379,10.30.1.23:26379"}',
            '{"name":"REDIS_MASTER_NAME","value":"mymaster"}',
            "$ git log --oneline -1 -- charts/session-api/values-prod.yaml",
            "e41b7c2 session-api: connect to redis directly, skip sentinel discovery (faster cold start)",
            "$ redis-cli -h 10.30.1.11 role",
            '1) "slave"',
            '2) "10.30.1.12"',
            "3) (integer) 6379",
            '4) "connected"',
            "5) (integer) 88120311",
            "$ redis-cli -h 10.30.1.21 -p 26379 sentinel get-master-addr-by-name mymaster",
            '1) "10.30.1.12"',
            '2) "6379"',
            "",
        ]
    )
    notes = "\n".join(
        [
            "Login failures, 12 May (EDT)",
            "- logins fail since ~02:07 EDT; carts fine",
            "- redis-a rebooted by unattended-upgrades at 02:04 (kernel), back at 02:07, Sentinel failover to redis-b",
            "- Redis logs on every start complain about THP and overcommit, has always been like that",
            "- WAF: a bot on /login got 429s around 01:38",
            "",
        ]
    )
    return Bundle(
        question="Logins fail with 500 since about 02:07 EDT while carts work. What is the root cause?",
        category="configuration",
        component="session-api",
        statement="session-api is configured with a fixed REDIS_ADDR=10.30.1.11:6379 instead of the Sentinels; after redis-a's reboot the Sentinels failed over to redis-b and turned redis-a into a replica, so session-api keeps writing to a read-only replica and every session write fails with READONLY.",
        files={
            "notes.md": notes,
            "shell.txt": shell,
            "logs/sentinel-1.log": sentinel.render(),
            "logs/redis-a.log": redis_a.render(),
            "logs/redis-a-journal.txt": journal.render(),
            "logs/session-api.json": session.render(),
            "logs/cart-api.json": cart.render(),
        },
        proofs=[
            Proof("shell.txt", '{"name":"REDIS_ADDR","value":"10.30.1.11:6379"}'),
            Proof("logs/sentinel-1.log", "+switch-master mymaster 10.30.1.11 6379 10.30.1.12 6379"),
            Proof("logs/sentinel-1.log", "+convert-to-slave slave 10.30.1.11:6379"),
        ],
        decoys=[
            "Memory overcommit must be enabled",
            "rate limit: 429 for POST /login",
            "waiting for failover",
        ],
    )
