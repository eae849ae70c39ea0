# ruff: noqa: E501
# Hand-written Redis, zap and pino lines are data, kept whole on one line.
"""Redis, a long Lua script blocking the server: leaderboard-worker 2.14.0 (deployed 13:52 UTC)
recomputes season ranks with one EVALSHA that walks every member of the season sorted sets in a
single script. Each run holds Redis's only command thread for 20-40 s; past `busy-reply-threshold`
every other client gets `BUSY Redis is busy running a script`, so game-api's session and score
calls fail in waves every five minutes. Decoys: a background save, a fragmentation notice,
a 404 burst on game-api."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Pino, Record, Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api, worker

START = datetime(2025, 6, 18, 13, 0, tzinfo=UTC)
MINUTES = 150.0
DEPLOY = 52.0
SHA = "7f3c91de0a2b64c8e1f05d9a33be7c12a8f4d6e0"


@dataclass
class RedisLog:
    """redis-server's log: `pid:role day mon year time.ms level message`."""

    pid: int

    def render(self, record: Record) -> list[str]:
        mark = {"DEBUG": ".", "INFO": "*", "WARN": "#", "ERROR": "#", "FATAL": "#"}[record.level]
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"{self.pid}:M {stamp} {mark} {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(51303)
    redis = LogFile("logs/redis-game-01.log", RedisLog(1187))
    redis.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            60,
            fixed("INFO", lambda r: f"{r.randrange(100, 10000)} changes in 60 seconds. Saving..."),
        )
    )
    redis.add(loud(rng, START, 0, MINUTES, 60, fixed("INFO", lambda r: "DB saved on disk")))
    redis.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            60,
            fixed(
                "INFO",
                lambda r: (
                    f"Fork CoW for RDB: current {r.randrange(2, 90)} MB, peak {r.randrange(90, 200)} MB, average {r.randrange(20, 80)} MB"
                ),
            ),
        )
    )
    redis.add(
        [
            at(
                START,
                31.0,
                "WARN",
                "WARNING: mem_fragmentation_ratio is 1.62, consider enabling activedefrag",
            )
        ]
    )
    runs = [DEPLOY + 3 + 5 * k for k in range(int((MINUTES - DEPLOY - 4) / 5))]
    redis.add(
        [
            at(
                START,
                m,
                "WARN",
                f"Slow script detected: still in execution after 5000 milliseconds. You can try killing the script using the SCRIPT KILL command. Script SHA1 is: {SHA}",
            )
            for m in runs
        ]
    )
    wk = LogFile(
        "logs/leaderboard-worker.log",
        Zap(("ranks/recompute.go:88", "ranks/loop.go:41", "season/store.go:120"), rng),
    )
    wk.add(traffic(rng, worker("leaderboard-worker", ["scores", "matches"]), START, MINUTES, 2200))
    wk.add(
        [
            at(
                START,
                DEPLOY,
                "INFO",
                "starting leaderboard-worker version=2.14.0 commit=e51a0c2",
                logger="cmd/worker/main.go:33",
            ),
            at(
                START,
                DEPLOY + 0.2,
                "INFO",
                f"loaded lua script recompute_season_ranks sha={SHA} mode=single-call keys=season:*:scores",
                logger="ranks/recompute.go:61",
            ),
        ]
    )
    wk.add(
        [
            at(
                START,
                m + 0.5,
                "INFO",
                f"season ranks recomputed seasons=14 members={rng.randrange(4_100_000, 4_300_000)} took={rng.randrange(21, 39)}.{rng.randrange(10)}s",
                logger="ranks/recompute.go:88",
            )
            for m in runs
        ]
    )
    api = LogFile("logs/game-api.log", Pino("game-api-6f9c4d7b8-qz2lm", rng))
    api.add(
        traffic(
            rng,
            web_api("game-api", ["sessions", "scores", "matches", "profiles"]),
            START,
            MINUTES,
            4200,
        )
    )
    for m in runs:
        api.add(
            loud(
                rng,
                START,
                m + 0.02,
                0.4,
                rng.randrange(25, 45),
                fixed(
                    "ERROR",
                    lambda r: (
                        f"{r.choice(['GET /v1/sessions', 'POST /v1/scores', 'GET /v1/profiles'])}/{r.randrange(10**6)} failed: ReplyError: BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
                    ),
                ),
            )
        )
    api.add(
        loud(
            rng,
            START,
            20,
            2,
            70,
            fixed("WARN", lambda r: f"GET /v1/matches/legacy/{r.randrange(10**5)} 404 not found"),
        )
    )
    slowlog = "\n".join(
        [
            "$ redis-cli -h redis-game-01 SLOWLOG GET 2",
            "1) 1) (integer) 48213",
            "   2) (integer) 1750258512",
            "   3) (integer) 33871422",
            '   4) 1) "EVALSHA"',
            f'      2) "{SHA}"',
            '      3) "0"',
            '   5) "10.61.4.77:51822"',
            '   6) "leaderboard-worker"',
            "2) 1) (integer) 48212",
            "   2) (integer) 1750258211",
            "   3) (integer) 12004",
            '   4) 1) "ZUNIONSTORE"',
            '      2) "tmp:friends:88213"',
            '      3) "3"',
            '   5) "10.61.2.14:40122"',
            '   6) "game-api"',
            "",
        ]
    )
    notes = "\n".join(
        [
            "#inc-game-redis 14:40 UTC",
            "players report 'session expired' popups and lost scores in bursts",
            "deploys today: leaderboard-worker 2.14.0 (13:52), game-api unchanged since Monday",
            "redis-game-01 memory 61%, CPU 1 core pegged during the bursts",
            "",
        ]
    )
    return Bundle(
        question="Since about 13:55 UTC game-api fails players' session and score calls in bursts every few minutes. What is the root cause?",
        category="code_error",
        component="leaderboard-worker",
        statement="leaderboard-worker 2.14.0 recomputes season ranks in one Lua script over every season sorted-set member; each run blocks redis-game-01 for 20-40 s, and game-api's calls meanwhile get BUSY Redis is busy running a script.",
        files={
            "notes.txt": notes,
            "slowlog.txt": slowlog,
            "logs/redis-game-01.log": redis.render(),
            "logs/leaderboard-worker.log": wk.render(),
            "logs/game-api.log": api.render(),
        },
        proofs=[
            Proof("logs/leaderboard-worker.log", "loaded lua script recompute_season_ranks"),
            Proof("slowlog.txt", '4) 1) "EVALSHA"', f'2) "{SHA}"'),
        ],
        decoys=[
            "mem_fragmentation_ratio is 1.62",
            "changes in 60 seconds. Saving",
            "404 not found",
        ],
    )
