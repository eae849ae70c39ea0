# ruff: noqa: E501
# Hand-written Redis, Node and pasted Ansible lines are data, kept whole on one line.
"""Redis, protected mode switched back on: the session store redis-sess-02 has no password
(it sits in a closed subnet) and ran with `protected-mode no`. An Ansible role upgrade at
09:02 JST rewrote redis.conf from the role's new template, which sets `protected-mode yes`,
and restarted Redis. Every remote connection is now answered with `-DENIED Redis is running in
protected mode`; session-gw cannot read sessions and users are logged out. Loud: session-gw's
ReplyError flood and 401s. Decoys: a Redis `overcommit_memory` startup warning, a slow
`HGETALL` in the slowlog, and a node exporter scrape timeout."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Pino, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 2, 17, 23, 10, tzinfo=UTC)
MINUTES = 95.0
RESTART = 52.0


@dataclass
class Redis:
    def render(self, record: Record) -> list[str]:
        mark = {"WARN": "#", "DEBUG": "-"}.get(record.level, "*")
        role = record.logger or "M"
        return [
            f"{role} {record.time.strftime('%d %b %Y %H:%M:%S.')}{record.time.microsecond // 1000:03d} {mark} {record.message}"
        ]


def bundle() -> Bundle:
    rng = random.Random(54202)
    gw = LogFile("logs/session-gw.log", Pino("session-gw-1", rng))
    gw.add(
        traffic(
            rng, web_api("session-gw", ["sessions", "tokens", "profiles"]), START, MINUTES, 4600
        )
    )
    gw.add(
        loud(
            rng,
            START,
            RESTART + 0.3,
            MINUTES - RESTART - 1,
            700,
            fixed(
                "ERROR",
                lambda r: f"session lookup failed sid={r.getrandbits(64):016x}",
                lambda r: [
                    "ReplyError: DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface.",
                    "    at parseError (/srv/session-gw/node_modules/redis-parser/lib/parser.js:179:12)",
                    "    at parseType (/srv/session-gw/node_modules/redis-parser/lib/parser.js:302:14)",
                ],
            ),
        )
    )
    gw.add(
        loud(
            rng,
            START,
            RESTART + 0.4,
            MINUTES - RESTART - 1,
            500,
            fixed(
                "WARN",
                lambda r: (
                    f"GET /api/v1/sessions/current 401 {r.randrange(2, 14)}ms client=10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)} reason=session_not_found"
                ),
            ),
        )
    )
    gw.add(
        [
            at(
                START,
                12.0,
                "WARN",
                "redis command HGETALL sess:idx:user took 212ms (slow threshold 100ms)",
            )
        ]
    )
    gw.add(
        [
            at(
                START,
                RESTART - 0.05,
                "WARN",
                "redis connection to 10.44.2.20:6379 closed (ECONNRESET), reconnecting",
            ),
            at(START, RESTART + 0.1, "INFO", "redis reconnected to 10.44.2.20:6379"),
        ]
    )
    redis = LogFile("logs/redis-sess-02.log", Redis())
    redis.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"{r.choice([100, 10000])} changes in {r.choice([60, 300])} seconds. Saving...",
                        (),
                    ),
                    ("INFO", f"Background saving started by pid {r.randrange(20000, 90000)}", ()),
                    ("INFO", "Background saving terminated with success", ()),
                    ("INFO", "DB saved on disk", ()),
                ]
            ),
            START,
            MINUTES,
            260,
        )
    )
    redis.add(
        [
            at(
                START,
                RESTART - 0.1,
                "WARN",
                "User requested shutdown...",
                logger="1807:signal-handler",
            ),
            at(START, RESTART - 0.09, "INFO", "Saving the final RDB snapshot before exiting."),
            at(START, RESTART - 0.07, "INFO", "Redis is now ready to exit, bye bye..."),
            at(
                START,
                RESTART,
                "INFO",
                "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
                logger="2291:C",
            ),
            at(
                START,
                RESTART + 0.01,
                "INFO",
                "Redis version=7.2.4, bits=64, commit=00000000, modified=0, pid=2291, just started",
                logger="2291:C",
            ),
            at(START, RESTART + 0.02, "INFO", "Configuration loaded", logger="2291:C"),
            at(
                START,
                RESTART + 0.03,
                "WARN",
                "WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.",
                logger="2291:M",
            ),
            at(START, RESTART + 0.04, "INFO", "Server initialized", logger="2291:M"),
            at(
                START,
                RESTART + 0.05,
                "INFO",
                "Loading RDB produced by version 7.2.4",
                logger="2291:M",
            ),
            at(
                START, RESTART + 0.06, "INFO", "DB loaded from disk: 3.812 seconds", logger="2291:M"
            ),
            at(START, RESTART + 0.07, "INFO", "Ready to accept connections tcp", logger="2291:M"),
        ]
    )
    ansible = "\n".join(
        [
            "$ ansible-playbook site.yml -l redis_sessions --diff   # run by cfg-bot, role redis 3.4.0 -> 4.0.1",
            "",
            "TASK [redis : Render redis.conf] ***********************************************",
            "--- before: /etc/redis/redis.conf",
            "+++ after: /home/cfg-bot/.ansible/tmp/ansible-local-41187/redis.conf.j2",
            "@@ -1,12 +1,14 @@",
            "-# managed by ansible role redis 3.4.0",
            "+# managed by ansible role redis 4.0.1",
            " bind 0.0.0.0",
            "-protected-mode no",
            "+protected-mode yes",
            " port 6379",
            " tcp-backlog 511",
            "-timeout 0",
            "+timeout 300",
            " tcp-keepalive 300",
            " daemonize no",
            " supervised systemd",
            " maxmemory 12gb",
            " maxmemory-policy volatile-lru",
            "+latency-tracking yes",
            "",
            "changed: [redis-sess-02]",
            "",
            "RUNNING HANDLER [redis : restart redis] ****************************************",
            "changed: [redis-sess-02]",
            "",
            "TASK [node_exporter : Check metrics endpoint] **********************************",
            'fatal: [redis-sess-02]: FAILED! => {"changed": false, "elapsed": 10, "msg": "Status code was -1 and not [200]: Request failed: <urlopen error timed out>"}',
            "...ignoring",
            "",
            "PLAY RECAP *********************************************************************",
            "redis-sess-02              : ok=14   changed=2    unreachable=0    failed=0    skipped=3    rescued=0    ignored=1",
            "",
        ]
    )
    chat = "\n".join(
        [
            "[09:49 JST] kenji: support queue filling with 'logged out again' complaints",
            "[09:51 JST] aiko: session-gw 401 rate went from 0.2% to 60% around 09:02",
            "[09:53 JST] aiko: redis-sess-02 is up, INFO from the box itself looks fine, used_memory 7.1G of 12G",
            "[09:55 JST] kenji: there's the overcommit warning in its log again, and node_exporter check failed in last night's cfg run",
            "",
        ]
    )
    return Bundle(
        question="Since about 09:02 JST users keep getting logged out and session-gw returns 401s. Redis is up. What is the root cause?",
        category="configuration",
        component="redis-sess-02",
        statement="An Ansible role upgrade rewrote redis-sess-02's redis.conf with protected-mode yes and restarted it; with no password set, Redis now refuses every non-loopback client with DENIED, so session-gw cannot read sessions.",
        files={
            "chat-excerpt.txt": chat,
            "ansible-run.txt": ansible,
            "logs/redis-sess-02.log": redis.render(),
            "logs/session-gw.log": gw.render(),
        },
        proofs=[
            Proof("ansible-run.txt", "+protected-mode yes"),
        ],
        decoys=[
            "Memory overcommit must be enabled",
            "HGETALL sess:idx:user took",
            "node_exporter : Check metrics",
        ],
    )
