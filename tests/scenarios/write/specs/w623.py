# ruff: noqa: E501
# Hand-written log lines, pasted command output and series definitions are data, kept whole.
"""Ad bidding: bidgate 7.4.0 (deployed 06:58 IST) added per-user frequency-cap counters in the
shared Redis `redis-fcap` (`INCR fc:{user}:{campaign}:{day}`) but never sets an expiry on them.
The instance runs with `maxmemory 6gb` and `maxmemory-policy noeviction`; used memory climbs for
hours and reaches the limit at 11:11 IST. From then every write (INCR, SET of bid-cache entries)
fails with `OOM command not allowed when used memory > 'maxmemory'`, while GETs still work: the
bidder drops frequency-capped campaigns and the budget pacer cannot record spend. Decoys: a slow
SCAN in Redis's latency monitor, a Kafka consumer rebalance in the pacer, and a
Postgres connection reset in the pacer."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import JsonLines, Logfmt, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api, worker

IST = ZoneInfo("Asia/Kolkata")
START = datetime(2026, 2, 17, 0, 50, tzinfo=UTC)  # 06:20 IST
MINUTES = 330.0
DEPLOY = 38.0  # 01:28 UTC, 06:58 IST
FULL = 291.0  # 05:41 UTC, 11:11 IST


@dataclass
class RedisServerLog:
    """Redis's own log: `pid:role day mon year hh:mm:ss.mmm level message`."""

    def render(self, record: Record) -> list[str]:
        mark = {"DEBUG": ".", "INFO": "*", "WARN": "#", "ERROR": "#"}[record.level]
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"1:M {stamp} {mark} {record.message}"]


def redis_routine(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    if roll < 0.55:
        return "INFO", f"{rng.randrange(100, 2000)} changes in 300 seconds. Saving...", ()
    if roll < 0.75:
        return "INFO", f"Background saving started by pid {rng.randrange(1000, 90000)}", ()
    if roll < 0.9:
        return "INFO", "Background saving terminated with success", ()
    return (
        "INFO",
        f"Fork CoW for RDB: current {rng.randrange(2, 60)} MB, peak {rng.randrange(60, 200)} MB, average {rng.randrange(2, 40)} MB",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(62317)
    redis = LogFile("redis-fcap/redis-server.log", RedisServerLog())
    redis.add(traffic(rng, redis_routine, START, MINUTES, 260))
    redis.add(
        [
            at(
                START,
                64.0,
                "WARN",
                "WARNING: the latency monitor recorded a 412 milliseconds event of type 'command' (SCAN 0 MATCH bidcache:* COUNT 10000 from 10.42.7.19)",
            ),
        ]
    )

    bidgate = LogFile(
        "bidgate/bidgate.log",
        JsonLines(
            "bidgate",
            keys=("@timestamp", "severity", "message"),
            rng=rng,
            zone=IST,
            lower_level=False,
        ),
    )
    bidgate.add(
        traffic(rng, web_api("bidgate", ["bids", "campaigns", "placements"]), START, MINUTES, 5200)
    )
    bidgate.add(
        [
            at(
                START, DEPLOY, "INFO", "bidgate 7.4.0 (git 5c19e0a) starting, profile=prod-ap-south"
            ),
            at(
                START,
                DEPLOY + 0.02,
                "INFO",
                "frequency capping enabled: store=redis-fcap.ads.svc:6379 key=fc:{user}:{campaign}:{day} op=INCR window=per-day",
            ),
            at(
                START,
                DEPLOY + 0.03,
                "INFO",
                "bid cache: store=redis-fcap.ads.svc:6379 prefix=bidcache: ttl=900s",
            ),
        ]
    )
    oom = "OOM command not allowed when used memory > 'maxmemory'."
    bidgate.add(
        loud(
            rng,
            START,
            FULL + 0.1,
            MINUTES - FULL - 0.2,
            700,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        f"frequency cap update failed for campaign c-{r.randrange(1000, 9999)}: redis INCR fc:u{r.getrandbits(40):010x}:c-{r.randrange(1000, 9999)}:20260217: {oom} (campaign skipped)",
                        f"bid cache write failed (SET bidcache:pl-{r.randrange(10**5)}): {oom}",
                        f"frequency cap update failed for campaign c-{r.randrange(1000, 9999)}: redis INCR fc:u{r.getrandbits(40):010x}:c-{r.randrange(1000, 9999)}:20260217: {oom} (campaign skipped)",
                    ]
                ),
            ),
        )
    )
    bidgate.add(
        loud(
            rng,
            START,
            FULL + 0.1,
            MINUTES - FULL - 0.2,
            260,
            fixed(
                "INFO",
                lambda r: (
                    f"frequency cap read fc:u{r.getrandbits(40):010x}:c-{r.randrange(1000, 9999)}:20260217 = {r.randrange(0, 9)} (GET ok, {r.randrange(1, 4)}ms)"
                ),
            ),
        )
    )

    pacer = LogFile("budget-pacer/pacer.log", Logfmt("budget-pacer", rng=rng))
    pacer.add(
        traffic(rng, worker("budget-pacer", ["spend-events", "impressions"]), START, MINUTES, 3000)
    )
    pacer.add(
        [
            at(
                START,
                121.0,
                "WARN",
                "kafka: group budget-pacer rebalancing (member pacer-2 left), partitions revoked: 6",
            ),
            at(
                START,
                121.4,
                "INFO",
                "kafka: group budget-pacer rebalanced, generation=88, assigned partitions: 0,1,2,3,4,5",
            ),
            at(
                START,
                183.0,
                "WARN",
                "pg: read tcp 10.42.3.8:51544->10.42.9.2:5432: connection reset by peer, retrying (1/3) ... ok",
            ),
        ]
    )
    pacer.add(
        loud(
            rng,
            START,
            FULL + 0.2,
            MINUTES - FULL - 0.3,
            330,
            fixed(
                "ERROR",
                lambda r: (
                    f"spend record failed for campaign c-{r.randrange(1000, 9999)}: INCRBYFLOAT spend:c-{r.randrange(1000, 9999)}:20260217 -> {oom} (will retry in 5s)"
                ),
            ),
        )
    )

    points = int(MINUTES)
    full_index = int(FULL)
    limit = 6442450944

    def used(index: int) -> float:
        if index < DEPLOY:
            return 2.31e9 + rng.gauss(0, 2e7)
        grown = 2.31e9 + (limit - 2.31e9) * min(1.0, (index - DEPLOY) / (FULL - DEPLOY))
        return min(limit - rng.randrange(0, 4000), grown + rng.gauss(0, 1.2e7))

    def keys(index: int) -> float:
        return 1.9e6 + (min(index, FULL) - DEPLOY) * 61000 if index > DEPLOY else 1.9e6

    series = {
        "redis_used_memory_bytes": used,
        "redis_maxmemory_bytes": lambda index: float(limit),
        "redis_evicted_keys_total": lambda index: 0.0,
        "redis_db0_keys": lambda index: keys(index) + rng.randrange(-2000, 2000),
        "redis_db0_expires": shift(rng, 1.86e6, 1.86e6, 0, 0.01),
        "redis_rejected_writes_per_s": shift(rng, 0, 410, full_index, 0.1),
        "redis_ops_per_s": shift(rng, 38000, 36500, full_index, 0.05),
    }
    csv = csv_text(START, 60, points, series, decimals=0)
    info = "\n".join(
        [
            "$ redis-cli -h redis-fcap.ads.svc INFO memory | egrep 'used_memory:|used_memory_human|maxmemory'",
            "used_memory:6442446120",
            "used_memory_human:6.00G",
            "maxmemory:6442450944",
            "maxmemory_human:6.00G",
            "maxmemory_policy:noeviction",
            "$ redis-cli -h redis-fcap.ads.svc INFO keyspace",
            "# Keyspace",
            "db0:keys=17334990,expires=1861307,avg_ttl=412088",
            "$ redis-cli -h redis-fcap.ads.svc --scan --pattern 'fc:*' | head -3 | xargs -n1 redis-cli -h redis-fcap.ads.svc TTL",
            "(integer) -1",
            "(integer) -1",
            "(integer) -1",
            "$ redis-cli -h redis-fcap.ads.svc GET bidcache:pl-20417",
            '"{\\"floor\\":0.42,\\"cur\\":\\"INR\\"}"',
            "",
        ]
    )
    return Bundle(
        question="Since about 11:10 IST bidgate is skipping most frequency-capped campaigns and the budget pacer keeps retrying spend records. Reads from the ad stores look fine. What is going on?",
        category="memory",
        component="redis-fcap",
        statement="The Redis instance redis-fcap reached its 6 GB maxmemory at 11:11 IST with maxmemory-policy noeviction, because bidgate 7.4.0 writes per-user fc:* counters without an expiry; since then every write (INCR, SET, INCRBYFLOAT) is refused with an OOM error while reads succeed.",
        files={
            "bidgate/bidgate.log": bidgate.render(),
            "budget-pacer/pacer.log": pacer.render(),
            "redis-fcap/redis-server.log": redis.render(),
            "redis-fcap/redis-cli.txt": info,
            "redis-fcap/exporter.csv": csv,
        },
        proofs=[
            Proof("redis-fcap/redis-cli.txt", "maxmemory_policy:noeviction"),
            Proof("redis-fcap/redis-cli.txt", "db0:keys=17334990,expires=1861307"),
            Proof("bidgate/bidgate.log", "key=fc:{user}:{campaign}:{day} op=INCR"),
        ],
        decoys=[
            "the latency monitor recorded a 412 milliseconds event",
            "kafka: group budget-pacer rebalancing",
            "connection reset by peer, retrying (1/3)",
        ],
    )
