# ruff: noqa: E501
# Hand-written Redis, Puppet and Node lines and pasted redis-cli output are data, kept whole on one line.
"""Redis, a pub/sub output-buffer limit cut by configuration management: at 16:52 CDT (-05:00)
a Puppet run rewrites redis-events-01's redis.conf from a shared template that carries
`client-output-buffer-limit pubsub 4mb 1mb 30` (the default is 32mb 8mb 60) and restarts
Redis. When the evening match traffic starts at 19:30 the score publisher's bursts outrun the
live-feed subscribers for a few seconds; Redis closes them "for overcoming of output buffer
limits", they resubscribe and miss every message in between, so fans see frozen scores. Loud:
live-feed's reconnects and "stale snapshot" warnings. Decoys: the overcommit_memory startup
warning, a slow BGSAVE fork, websocket 1006 closes."""

import random
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Pino, Record, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, traffic

CHICAGO = ZoneInfo("America/Chicago")
START = datetime(2026, 7, 14, 16, 20, tzinfo=CHICAGO)
MINUTES = 240.0
PUPPET = 32.0
MATCH = 190.0


@dataclass
class RedisLog:
    """Redis's own log: `pid:role dd Mon yyyy hh:mm:ss.mmm <mark> message` in local time."""

    pid: int

    def render(self, record: Record) -> list[str]:
        mark = {"WARN": "#", "ERROR": "#", "DEBUG": "."}.get(record.level, "*")
        local = record.time.astimezone(CHICAGO)
        stamp = local.strftime("%d %b %Y %H:%M:%S.") + f"{local.microsecond // 1000:03d}"
        role = record.logger or "M"
        return [f"{self.pid}:{role} {stamp} {mark} {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(35914)
    redis = LogFile("logs/redis-events-01-redis.log", RedisLog(2281))
    redis.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"{r.choice([1, 10, 100])} changes in {r.choice([3600, 300, 60])} seconds. Saving...",
                        (),
                    ),
                    ("INFO", f"Background saving started by pid {r.randrange(3000, 90000)}", ()),
                    ("INFO", "Background saving terminated with success", ()),
                    (
                        "INFO",
                        f"Fork CoW for RDB: current {r.randrange(1, 40)} MB, peak {r.randrange(1, 60)} MB, average {r.randrange(1, 20)} MB",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            600,
        )
    )
    redis.add(
        [
            at(START, PUPPET + 0.3, "INFO", "Received SIGTERM scheduling shutdown..."),
            at(START, PUPPET + 0.31, "INFO", "User requested shutdown..."),
            at(START, PUPPET + 0.32, "INFO", "Saving the final RDB snapshot before exiting."),
            at(START, PUPPET + 0.35, "INFO", "Redis is now ready to exit, bye bye..."),
            at(
                START,
                PUPPET + 0.4,
                "INFO",
                "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
                logger="C",
            ),
            at(
                START,
                PUPPET + 0.41,
                "INFO",
                "Redis version=7.2.5, bits=64, commit=00000000, modified=0, pid=2281, just started",
                logger="C",
            ),
            at(START, PUPPET + 0.42, "INFO", "Configuration loaded", logger="C"),
            at(
                START,
                PUPPET + 0.45,
                "WARN",
                "WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.",
            ),
            at(START, PUPPET + 0.5, "INFO", "Server initialized"),
            at(START, PUPPET + 0.55, "INFO", "DB loaded from disk: 0.412 seconds"),
            at(START, PUPPET + 0.56, "INFO", "Ready to accept connections tcp"),
            at(START, 140.0, "INFO", "Background saving started by pid 40112 (fork took 912 ms)"),
        ]
    )
    redis.add(
        loud(
            rng,
            START,
            MATCH + 0.5,
            MINUTES - MATCH - 1,
            230,
            fixed(
                "WARN",
                lambda r: (
                    f"Client id={r.randrange(1000, 99999)} addr=10.8.3.{r.randrange(20, 40)}:{r.randrange(30000, 60000)} laddr=10.8.1.5:6379 fd={r.randrange(9, 200)} name=live-feed age={r.randrange(5, 900)} idle=0 flags=P db=0 sub=0 psub=3 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll={r.randrange(600, 4000)} omem={r.randrange(1048600, 4194304)} tot-mem={r.randrange(1100000, 4300000)} events=rw cmd=psubscribe user=default redir=-1 resp=2 lib-name=ioredis lib-ver=5.4.1 scheduled to be closed ASAP for overcoming of output buffer limits."
                ),
            ),
        )
    )
    puppet = LogFile(
        "logs/redis-events-01-messages", Syslog3164("redis-events-01", "puppet-agent", 1544)
    )
    puppet.add(host_traffic(rng, START, MINUTES, 700))
    puppet.add(
        [
            at(START, PUPPET - 0.2, "INFO", "Applying configuration version 'prod-7f31c2e'"),
            at(
                START,
                PUPPET,
                "INFO",
                "(/Stage[main]/Profile::Redis/File[/etc/redis/redis.conf]/content) content changed '{sha256}4e0d91c7a2' to '{sha256}b83f02d6e1'",
            ),
            at(
                START,
                PUPPET + 0.1,
                "INFO",
                "(/Stage[main]/Profile::Redis/Service[redis-server]) Triggered 'refresh' from 1 event",
            ),
            at(START, PUPPET + 0.7, "INFO", "Applied catalog in 9.84 seconds"),
        ]
    )
    feed = LogFile("logs/live-feed.log", Pino("live-feed-6", rng))
    feed.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"ws client connected match={r.randrange(5000, 5100)} clients={r.randrange(200, 9000)}",
                        (),
                    ),
                    (
                        "INFO",
                        f"fanout score.update match={r.randrange(5000, 5100)} seq={r.randrange(10**6)} to {r.randrange(100, 9000)} clients in {r.randrange(1, 30)}ms",
                        (),
                    ),
                    (
                        "INFO",
                        f"ws client disconnected code=1006 match={r.randrange(5000, 5100)}",
                        (),
                    ),
                    ("DEBUG", f"heartbeat redis ok rtt={r.randrange(1, 4)}ms", ()),
                ]
            ),
            START,
            MINUTES,
            3600,
        )
    )
    feed.add(
        loud(
            rng,
            START,
            MATCH + 0.55,
            MINUTES - MATCH - 1.2,
            240,
            fixed(
                "WARN",
                lambda r: (
                    f"redis subscriber connection closed (Connection is closed.), resubscribing to score.* attempt={r.randrange(1, 4)}"
                ),
            ),
        )
    )
    feed.add(
        loud(
            rng,
            START,
            MATCH + 0.6,
            MINUTES - MATCH - 1.3,
            380,
            fixed(
                "ERROR",
                lambda r: (
                    f"sequence gap on score.{r.randrange(5000, 5100)}: expected seq {r.randrange(10**5)} got +{r.randrange(20, 900)}; clients serving stale snapshot"
                ),
            ),
        )
    )
    feed.add([at(START, 150.0, "WARN", "event loop delay p99=212ms above 200ms threshold")])
    cli = "\n".join(
        [
            "$ redis-cli -h redis-events-01 CONFIG GET client-output-buffer-limit",
            '1) "client-output-buffer-limit"',
            '2) "normal 0 0 0 slave 268435456 67108864 60 pubsub 4194304 1048576 30"',
            "$ redis-cli -h redis-events-01 INFO stats | grep -E 'client_output|evicted|rejected'",
            "client_output_buffer_limit_disconnections:231",
            "evicted_keys:0",
            "rejected_connections:0",
            "$ redis-cli -h redis-events-01 INFO memory | grep -E '^used_memory_human|^maxmemory_human'",
            "used_memory_human:1.12G",
            "maxmemory_human:6.00G",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Incident channel #live-scores, 19:50 CDT",
            "- fans report scores frozen for 10-60 s then jumping, started with the 19:30 kickoffs",
            "- live-feed pods healthy, CPU 35%, no restarts",
            "- redis-events-01 memory 1.1G of 6G, no evictions",
            "- platform team merged 'unify redis base config' earlier today",
            "",
        ]
    )
    return Bundle(
        question="Since the 19:30 CDT kickoffs live scores freeze and then jump, and live-feed keeps resubscribing to Redis. What is the root cause?",
        category="configuration",
        component="redis-events-01",
        statement="A Puppet run at 16:52 CDT rewrote redis-events-01's redis.conf with `client-output-buffer-limit pubsub 4mb 1mb 30` and restarted Redis; under the match-time bursts Redis disconnects the live-feed subscribers for exceeding the pub/sub output buffer limit, so they miss updates and serve stale scores.",
        files={
            "notes.md": notes,
            "redis-cli.txt": cli,
            "logs/redis-events-01-redis.log": redis.render(),
            "logs/redis-events-01-messages": puppet.render(),
            "logs/live-feed.log": feed.render(),
        },
        proofs=[
            Proof(
                "logs/redis-events-01-messages",
                "File[/etc/redis/redis.conf]/content) content changed",
            ),
            Proof("redis-cli.txt", "pubsub 4194304 1048576 30"),
            Proof("redis-cli.txt", "client_output_buffer_limit_disconnections:231"),
        ],
        decoys=[
            "Memory overcommit must be enabled",
            "fork took 912 ms",
            "event loop delay p99=212ms",
        ],
    )
