# ruff: noqa: E501
# Redis and pino lines and the pasted redis-cli and git output are data, kept whole on one line.
"""Redis ACL, the gateway user lost scripting: a hardening change to redis-rl-01's users.acl
(pushed by config management and applied with ACL LOAD at 10:12 IST) rewrote the `gateway`
user as `+@read +@write -@dangerous`, leaving out `+@scripting`. edge-gateway's rate limiter
runs its token bucket with EVALSHA and fails closed, so from 10:12 most API calls get 503
"rate limiter unavailable". Loud: the gateway's 503s and NOPERM errors. Decoys: an ACL LOG
auth entry from an old staging client, a slow BGSAVE fork, and an upstream timeout to
catalog-api."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Pino, Record
from scenes import at, fixed, loud
from traffic import traffic

IST = ZoneInfo("Asia/Kolkata")
START = datetime(2026, 3, 12, 3, 0, tzinfo=UTC)  # 08:30 IST
MINUTES = 150.0
LOAD = 102.0  # 10:12 IST


@dataclass
class RedisLog:
    """Redis server log: `pid:role day month year time.ms <mark> message`, local time."""

    pid: int = 1187

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(IST)
        stamp = local.strftime("%d %b %Y %H:%M:%S.") + f"{local.microsecond // 1000:03d}"
        mark = {"WARN": "#", "ERROR": "#", "DEBUG": "."}.get(record.level, "*")
        role = record.logger or "M"
        return [
            f"{self.pid if role == 'M' else self.pid + 1}:{role} {stamp} {mark} {record.message}"
        ]


def redis_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    if roll < 0.4:
        return "INFO", f"Background saving started by pid {rng.randrange(20000, 60000)}", ()
    if roll < 0.8:
        return "INFO", "Background saving terminated with success", ()
    return "INFO", f"{rng.randrange(100, 10000)} changes in 60 seconds. Saving...", ()


def gateway_ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = rng.choice(["/v2/catalog/items", "/v2/cart", "/v2/orders", "/v2/search", "/v2/profile"])
    roll = rng.random()
    if roll < 0.85:
        return (
            "INFO",
            f"request completed GET {path} 200 {rng.randrange(4, 160)}ms tenant=t{rng.randrange(1, 400)}",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"rate limit ok tenant=t{rng.randrange(1, 400)} tokens={rng.randrange(1, 120)}/120",
            (),
        )
    return (
        "WARN",
        f"rate limit exceeded tenant=t{rng.randrange(1, 400)} 429 retry_after={rng.randrange(1, 30)}s",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(57503)
    redis = LogFile("redis-rl-01/redis-server.log", RedisLog())
    redis.add(traffic(rng, redis_line, START, MINUTES, 240))
    redis.add(
        [
            at(
                START,
                57.0,
                "WARN",
                "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.",
            )
        ]
    )
    gw = LogFile("edge-gateway/gateway.log", Pino("edge-gateway-6", rng))
    gw.add(traffic(rng, gateway_ok, START, MINUTES, 5200))
    gw.add(
        [
            at(
                START,
                38.0,
                "WARN",
                "upstream catalog-api timed out after 3000ms (GET /v2/catalog/items), served stale from cache",
            )
        ]
    )
    gw.add(
        loud(
            rng,
            START,
            LOAD + 0.1,
            MINUTES - LOAD - 1,
            700,
            fixed(
                "ERROR",
                lambda r: (
                    f"rate limiter unavailable, failing closed: ReplyError: NOPERM User gateway has no permissions to run the 'evalsha' command tenant=t{r.randrange(1, 400)}"
                ),
            ),
        )
    )
    gw.add(
        loud(
            rng,
            START,
            LOAD + 0.1,
            MINUTES - LOAD - 1,
            900,
            fixed(
                "WARN",
                lambda r: (
                    f"request completed {r.choice(['GET', 'POST'])} {r.choice(['/v2/cart', '/v2/orders', '/v2/search'])} 503 {r.randrange(1, 6)}ms tenant=t{r.randrange(1, 400)}"
                ),
            ),
        )
    )
    cli = "\n".join(
        [
            "$ redis-cli -h redis-rl-01 --user admin --askpass ACL LOG 2",
            '1)  1) "count"',
            "    2) (integer) 48213",
            '    3) "reason"',
            '    4) "command"',
            '    5) "context"',
            '    6) "toplevel"',
            '    7) "object"',
            '    8) "evalsha"',
            '    9) "username"',
            '   10) "gateway"',
            '   11) "age-seconds"',
            '   12) "0.214"',
            '   13) "client-info"',
            '   14) "id=88214 addr=10.61.3.18:50122 laddr=10.61.9.4:6379 fd=41 name=edge-gateway age=6112 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=96 multi-mem=0 rbs=1024 rbp=512 obl=0 oll=0 omem=0 tot-mem=2048 events=r cmd=evalsha user=gateway redir=-1 resp=2"',
            '   15) "entry-id"',
            "   16) (integer) 14",
            '   17) "timestamp-created"',
            "   18) (integer) 1773290525431",
            '   19) "timestamp-last-updated"',
            "   20) (integer) 1773294118022",
            '2)  1) "count"',
            "    2) (integer) 3",
            '    3) "reason"',
            '    4) "auth"',
            '    5) "context"',
            '    6) "toplevel"',
            '    7) "object"',
            '    8) "AUTH"',
            '    9) "username"',
            '   10) "stg_gateway"',
            '   11) "age-seconds"',
            '   12) "5211.07"',
            '   13) "client-info"',
            '   14) "id=80011 addr=10.62.1.40:41288 laddr=10.61.9.4:6379 fd=33 name= age=0 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1024 events=r cmd=auth user=default redir=-1 resp=2"',
            '   15) "entry-id"',
            "   16) (integer) 13",
            '   17) "timestamp-created"',
            "   18) (integer) 1773285300120",
            '   19) "timestamp-last-updated"',
            "   20) (integer) 1773285313004",
            "",
            "$ redis-cli -h redis-rl-01 --user admin --askpass ACL GETUSER gateway",
            ' 1) "flags"',
            ' 2) 1) "on"',
            ' 3) "passwords"',
            ' 4) 1) "5e8d1f0c9b5a2e7d3c4b6a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d"',
            ' 5) "commands"',
            ' 6) "-@all +@read +@write -@dangerous"',
            ' 7) "keys"',
            ' 8) "~rl:*"',
            ' 9) "channels"',
            '10) ""',
            '11) "selectors"',
            "12) (empty array)",
            "",
        ]
    )
    diff = "\n".join(
        [
            "commit 3e91c0a  (ops-config, merged 2026-03-12 09:58 IST, applied by redis-acl.timer 10:12 IST)",
            "    redis: tighten ACLs per SEC-219 (least privilege for service users)",
            "",
            "--- a/redis/redis-rl-01/users.acl",
            "+++ b/redis/redis-rl-01/users.acl",
            "@@ -1,4 +1,4 @@",
            " user default off",
            " user admin on #9f0e... ~* &* +@all",
            "-user gateway on #5e8d... ~rl:* +@all -@admin",
            "+user gateway on #5e8d... ~rl:* -@all +@read +@write -@dangerous",
            " user exporter on #11ab... -@all +info +ping +config|get +client|list +slowlog",
            "",
            "redis-acl.timer: ACL LOAD on redis-rl-01 -> OK",
            "",
        ]
    )
    return Bundle(
        question="Since about 10:12 IST the public API answers 503 'rate limiter unavailable' for most calls. Traffic volume is normal. What is the root cause?",
        category="permission",
        component="redis-rl-01",
        statement="An ACL tightening on redis-rl-01, loaded at 10:12 IST, rewrote edge-gateway's ACL user as -@all +@read +@write -@dangerous without +@scripting; the rate limiter runs EVALSHA, gets NOPERM, and fails closed with 503.",
        files={
            "redis-rl-01/redis-server.log": redis.render(),
            "redis-rl-01/redis-cli.txt": cli,
            "redis-rl-01/ops-config-commit.txt": diff,
            "edge-gateway/gateway.log": gw.render(),
        },
        proofs=[
            Proof("redis-rl-01/ops-config-commit.txt", "+user gateway on #5e8d"),
            Proof("redis-rl-01/redis-cli.txt", ' 6) "-@all +@read +@write -@dangerous"'),
            Proof("redis-rl-01/redis-cli.txt", '    8) "evalsha"'),
        ],
        decoys=[
            "stg_gateway",
            "Asynchronous AOF fsync is taking too long",
            "upstream catalog-api timed out",
        ],
    )
