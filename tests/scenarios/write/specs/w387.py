# ruff: noqa: E501
# Hand-written PostgreSQL, kernel and application lines are data, kept whole on one line.
"""PostgreSQL, work_mem raised cluster-wide: at 13:05 UTC an analyst's ticket gets
`ALTER SYSTEM SET work_mem = '1536MB'` applied on pg-tally-01 and reloaded (to speed up one
report). From the 14:00 month-end batch, dozens of sessions each sort and hash with that much
memory; the kernel OOM killer kills a backend, the postmaster terminates every other session and
runs crash recovery, three times in an hour. Loud: the tally API's "server closed the connection
unexpectedly" and "the database system is in recovery mode". Decoys: checkpoints occurring too
frequently, a pgbouncer pool warning, an autovacuum cancel."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Postgres, PythonLogging, Syslog3164
from scenes import at, fixed, loud
from traffic import database_server, host_traffic, traffic, web_api

START = datetime(2026, 1, 30, 12, 40, tzinfo=UTC)
MINUTES = 170.0
RELOAD = 25.3
BATCH = 80.0
KILLS = (93.2, 118.7, 141.9)
PIDS = (41877, 47302, 52916)
LAST_UP = ("14:03:12", "14:33:40", "14:59:05")


def bundle() -> Bundle:
    rng = random.Random(38701)
    pg = LogFile("logs/postgresql-2026-01-30.log", Postgres(rng))
    pg.add(traffic(rng, database_server(), START, MINUTES, 2600))
    pg.add(
        [
            at(START, RELOAD - 0.4, "INFO", "statement: ALTER SYSTEM SET work_mem = '1536MB';"),
            at(START, RELOAD, "INFO", "received SIGHUP, reloading configuration files"),
            at(START, RELOAD + 0.01, "INFO", 'parameter "work_mem" changed to "1536MB"'),
            at(START, 61.0, "WARN", "canceling autovacuum task"),
            at(
                START,
                BATCH + 2.0,
                "INFO",
                "checkpoints are occurring too frequently (19 seconds apart)",
            ),
        ]
    )
    for minute, pid, up in zip(KILLS, PIDS, LAST_UP, strict=True):
        pg.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"server process (PID {pid}) was terminated by signal 9: Killed",
                ),
                at(
                    START,
                    minute + 0.001,
                    "INFO",
                    "terminating any other active server processes",
                ),
                at(
                    START,
                    minute + 0.02,
                    "INFO",
                    "all server processes terminated; reinitializing",
                ),
                at(
                    START,
                    minute + 0.03,
                    "INFO",
                    f"database system was interrupted; last known up at 2026-01-30 {up} UTC",
                ),
                at(
                    START,
                    minute + 0.04,
                    "INFO",
                    "database system was not properly shut down; automatic recovery in progress",
                ),
                at(
                    START,
                    minute + 0.9,
                    "INFO",
                    "redo done at 3A/9C1E22F8 system usage: CPU: user: 4.11 s, system: 1.02 s, elapsed: 48.7 s",
                ),
                at(
                    START,
                    minute + 0.95,
                    "INFO",
                    "database system is ready to accept connections",
                ),
            ]
        )
        pg.add(
            loud(
                rng,
                START,
                minute + 0.05,
                0.8,
                40,
                fixed("FATAL", lambda r: "the database system is in recovery mode"),
            )
        )
    kern = LogFile("logs/pg-tally-01-kern.log", Syslog3164("pg-tally-01", "kernel", 0))
    kern.add(host_traffic(rng, START, MINUTES, 700))
    for minute, victim in zip(KILLS, PIDS, strict=True):
        rss = rng.randrange(9_800_000, 13_500_000)
        kern.add(
            [
                at(
                    START,
                    minute - 0.01,
                    "WARN",
                    f"[{rng.randrange(800000, 900000)}.{rng.randrange(10**6):06d}] postgres invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0",
                    logger="kernel",
                ),
                at(
                    START,
                    minute - 0.005,
                    "ERROR",
                    f"[{rng.randrange(800000, 900000)}.{rng.randrange(10**6):06d}] Out of memory: Killed process {victim} (postgres) total-vm:{rss + 4_300_000}kB, anon-rss:{rss}kB, file-rss:2104kB, shmem-rss:812344kB, UID:114 pgtables:25612kB oom_score_adj:0",
                    logger="kernel",
                ),
            ]
        )
    api = LogFile(
        "logs/tally-api.log",
        PythonLogging(("tally.api", "tally.db", "uvicorn.access"), rng),
    )
    api.add(
        traffic(
            rng, web_api("tally-api", ["entries", "accounts", "journals"]), START, MINUTES, 4200
        )
    )
    for minute in KILLS:
        api.add(
            loud(
                rng,
                START,
                minute,
                1.2,
                70,
                fixed(
                    "ERROR",
                    lambda r: r.choice(
                        [
                            "psycopg.OperationalError: consuming input failed: server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally",
                            "psycopg.OperationalError: connection failed: FATAL:  the database system is in recovery mode",
                            f"POST /api/v1/journals/{r.randrange(10**6)} 500 {r.randrange(30, 900)}ms: database unavailable",
                        ]
                    ).replace("\n\t", " "),
                ),
            )
        )
    api.add(
        loud(
            rng,
            START,
            BATCH,
            MINUTES - BATCH,
            25,
            fixed(
                "WARN",
                lambda r: (
                    f"pgbouncer pool tally/app waiting clients={r.randrange(3, 14)} for {r.randrange(1, 4)}s"
                ),
            ),
        )
    )
    notes = "\n".join(
        [
            "tally incident 30 Jan - scratch notes (times UTC)",
            "",
            "14:13, 14:38, 15:01: tally-api 500 bursts, ~1 min each. DB restarts itself each time?",
            "month-end batch started 14:00 as usual (same job definitions as December)",
            "DBA-4471 done 13:05 (report tuning for finance) - closed",
            "",
            "pg-tally-01$ free -g",
            "               total        used        free      shared  buff/cache   available",
            "Mem:              62          19           2          11          40          31",
            "Swap:              0           0           0",
            "",
            "tally=# SELECT name, setting, unit, source FROM pg_settings WHERE name IN ('work_mem','shared_buffers','max_connections','hash_mem_multiplier');",
            "        name         | setting | unit |       source",
            "---------------------+---------+------+--------------------",
            " hash_mem_multiplier | 2       |      | default",
            " max_connections     | 300     |      | configuration file",
            " shared_buffers      | 2097152 | 8kB  | configuration file",
            " work_mem            | 1572864 | kB   | configuration file",
            "(4 rows)",
            "",
            "tally=# SELECT count(*) FROM pg_stat_activity WHERE state = 'active';",
            " count",
            "-------",
            "    58",
            "(1 row)",
            "",
        ]
    )
    return Bundle(
        question="tally-api keeps throwing bursts of 500s since 14:10 UTC and Postgres seems to restart itself. What is the root cause?",
        category="memory",
        component="pg-tally-01",
        statement="work_mem was raised to 1536MB cluster-wide on pg-tally-01 by ALTER SYSTEM and a reload at 13:05; under the 14:00 month-end batch many sessions use that much each, the kernel OOM killer kills backends and the postmaster restarts in crash recovery, so tally-api's connections drop.",
        files={
            "notes.txt": notes,
            "logs/postgresql-2026-01-30.log": pg.render(),
            "logs/pg-tally-01-kern.log": kern.render(),
            "logs/tally-api.log": api.render(),
        },
        proofs=[
            Proof("logs/postgresql-2026-01-30.log", 'parameter "work_mem" changed to "1536MB"'),
            Proof("logs/pg-tally-01-kern.log", "Out of memory: Killed process 41877"),
            Proof("logs/postgresql-2026-01-30.log", "server process (PID 41877) was terminated"),
            Proof("notes.txt", " work_mem            | 1572864"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "pgbouncer pool tally/app waiting",
            "canceling autovacuum task",
        ],
    )
