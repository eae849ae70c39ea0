# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""PostgreSQL: at 13:05 UTC a DBA raised `work_mem` from 16MB to 1GB with ALTER SYSTEM and a
reload on db-orders-02 (32 GiB RAM, 260 connections) to speed up one report. From 13:40 the
BI tool's parallel hash aggregates each take gigabytes; the kernel's OOM killer kills a
backend, the postmaster terminates every session and goes through crash recovery, and it
happens three times in half an hour. orders-api sees `terminating connection because of crash
of another server process` and `the database system is in recovery mode`. Decoys: frequent
checkpoints, a canceled autovacuum, and orders-api's loud Hikari pool timeouts."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Journal, Postgres, Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, database_server, traffic

START = datetime(2026, 9, 17, 12, 50, tzinfo=UTC)
MINUTES = 78
CRASHES = [
    (52.3, 48211, "2026-09-17 13:42:13 UTC"),
    (63.9, 51877, "2026-09-17 13:53:58 UTC"),
    (71.6, 55302, "2026-09-17 14:01:38 UTC"),
]
REPORT = "SELECT c.region, p.category, date_trunc('day', o.created_at) AS d, count(DISTINCT o.customer_id), sum(l.qty * l.unit_price) FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN products p ON p.id = l.product_id JOIN customers c ON c.id = o.customer_id WHERE o.created_at >= '2026-01-01' GROUP BY 1, 2, 3"


def api_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return "INFO", f"GET /api/orders/{rng.randrange(10**7)} 200 {rng.randrange(3, 40)}ms", ()
    if roll < 0.9:
        return (
            "INFO",
            f"POST /api/orders 201 {rng.randrange(12, 90)}ms order={rng.randrange(10**7)}",
            (),
        )
    return (
        "DEBUG",
        f"HikariPool-1 - Pool stats (total=40, active={rng.randrange(2, 14)}, idle={rng.randrange(20, 38)}, waiting=0)",
        (),
    )


def api_error(rng: random.Random) -> Line:
    kind = rng.random()
    if kind < 0.45:
        return (
            "ERROR",
            "HikariPool-1 - Connection is not available, request timed out after 30000ms.",
            (),
        )
    if kind < 0.8:
        return (
            "ERROR",
            "POST /api/orders 500: org.postgresql.util.PSQLException: FATAL: the database system is in recovery mode",
            (),
        )
    return (
        "WARN",
        f"HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@{rng.getrandbits(28):07x} (This connection has been closed.). Possibly consider using a shorter maxLifetime value.",
        (),
    )


def kernel_oom(pid: int, rss_kb: int) -> list[str]:
    return [
        "postgres invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0",
        f"CPU: 11 PID: {pid} Comm: postgres Not tainted 5.15.0-119-generic #129-Ubuntu",
        "Mem-Info:",
        f"active_anon:{rss_kb // 4 + 411000} inactive_anon:98211 isolated_anon:0 active_file:1408 inactive_file:977 isolated_file:0",
        "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/postgresql@16-main.service,task=postgres,pid="
        + str(pid)
        + ",uid=114",
        f"Out of memory: Killed process {pid} (postgres) total-vm:{rss_kb + 8901232}kB, anon-rss:{rss_kb}kB, file-rss:4412kB, shmem-rss:3140228kB, UID:114 pgtables:{rss_kb // 480}kB oom_score_adj:0",
    ]


def bundle() -> Bundle:
    rng = random.Random(374_8813)
    pg = LogFile("postgresql-16-main.log", Postgres(rng=rng))
    pg.add(traffic(rng, database_server(), START, MINUTES, 3100))
    pg.add(
        [
            at(START, 15.2, "INFO", "received SIGHUP, reloading configuration files"),
            at(START, 15.21, "INFO", 'parameter "work_mem" changed to "1GB"'),
            at(START, 11.0, "INFO", "checkpoints are occurring too frequently (24 seconds apart)"),
            at(START, 38.4, "ERROR", "canceling autovacuum task"),
        ]
    )
    for minute, pid, _ in CRASHES:
        pg.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"server process (PID {pid}) was terminated by signal 9: Killed",
                ),
                at(START, minute + 0.01, "INFO", f"DETAIL:  Failed process was running: {REPORT}"),
                at(START, minute + 0.02, "INFO", "terminating any other active server processes"),
                at(START, minute + 0.04, "INFO", "all server processes terminated; reinitializing"),
                at(
                    START,
                    minute + 0.06,
                    "INFO",
                    f"database system was interrupted; last known up at {(START + timedelta(minutes=minute - 1.37)).strftime('%Y-%m-%d %H:%M:%S')} UTC",
                ),
                at(
                    START,
                    minute + 0.08,
                    "INFO",
                    "database system was not properly shut down; automatic recovery in progress",
                ),
                at(
                    START,
                    minute + 0.3,
                    "INFO",
                    "redo done at 3A/9F1C2E80 system usage: CPU: user: 4.12 s, system: 1.87 s, elapsed: 16.22 s",
                ),
                at(START, minute + 0.33, "INFO", "database system is ready to accept connections"),
            ]
        )
        pg.add(
            loud(
                rng,
                START,
                minute + 0.1,
                0.25,
                40,
                lambda r: ("FATAL", "the database system is in recovery mode", ()),
            )
        )
    kern = LogFile("journalctl-k.txt", Journal("db-orders-02", "kernel", 0))
    kern.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                rng.choice(
                    [
                        'audit: type=1400 audit(1758113400.112:4411): apparmor="ALLOWED" operation="open" profile="/usr/sbin/chronyd" name="/etc/chrony/chrony.conf"',
                        "EXT4-fs (nvme1n1p1): mounted filesystem with ordered data mode. Quota mode: none.",
                        "ena 0000:00:05.0 ens5: Reset indication didn't turn off",
                    ]
                ),
                (),
            ),
            START,
            MINUTES,
            30,
        )
    )
    for minute, pid, _ in CRASHES:
        kern.add(
            [
                Record(START + timedelta(minutes=minute, milliseconds=i - 40), "INFO", line)
                for i, line in enumerate(kernel_oom(pid, rng.randrange(21_800_000, 24_900_000)))
            ]
        )
    api = LogFile(
        "orders-api.log",
        SpringBoot(
            ("c.s.orders.web.OrderController", "com.zaxxer.hikari.pool.HikariPool"), rng=rng
        ),
    )
    api.add(traffic(rng, api_line, START, MINUTES, 3600))
    for minute, _, _ in CRASHES:
        api.add(
            [
                at(
                    START,
                    minute + 0.005,
                    "ERROR",
                    "POST /api/orders 500: org.postgresql.util.PSQLException: FATAL: terminating connection because of crash of another server process",
                    java_trace(
                        "org.postgresql.util.PSQLException: FATAL: terminating connection because of crash of another server process",
                        [
                            "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)",
                            "org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2412)",
                            "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)",
                        ],
                        more=112,
                    ),
                )
            ]
        )
        api.add(loud(rng, START, minute + 0.01, 1.2, 90, api_error))
    free = """$ ssh db-orders-02 'free -g; nproc; psql -Atc "select name, setting, unit, source from pg_settings where name in (\\'work_mem\\',\\'max_connections\\',\\'shared_buffers\\',\\'max_parallel_workers_per_gather\\',\\'hash_mem_multiplier\\')"'
               total        used        free      shared  buff/cache   available
Mem:              31          9           1           3          20          18
Swap:              0           0           0
16
hash_mem_multiplier|2||default
max_connections|260||configuration file
max_parallel_workers_per_gather|4||configuration file
shared_buffers|1048576|8kB|configuration file
work_mem|1048576|kB|configuration file
"""
    files = {
        "postgresql-16-main.log": pg.render().replace("LOG:  DETAIL:", "DETAIL:"),
        "journalctl-k.txt": kern.render().replace(" kernel[0]: ", " kernel: "),
        "orders-api.log": api.render(),
        "db-orders-02-settings.txt": free,
    }
    return Bundle(
        question="orders-api has been failing in bursts since 13:42 UTC with 'the database system is in recovery mode'. The database host did not reboot. What is the root cause?",
        category="memory",
        component="db-orders-02",
        statement="A reload at 13:05 UTC raised work_mem to 1GB on db-orders-02; the BI report's parallel hash aggregates then use many gigabytes per query, the kernel OOM killer kills a postgres backend, and the postmaster resets every connection and runs crash recovery, three times in twenty minutes.",
        files=files,
        proofs=[
            Proof("postgresql-16-main.log", 'parameter "work_mem" changed to "1GB"'),
            Proof("journalctl-k.txt", "Out of memory: Killed process 48211"),
            Proof(
                "postgresql-16-main.log", "server process (PID 48211) was terminated by signal 9"
            ),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "canceling autovacuum task",
            "Connection is not available, request timed out after 30000ms",
        ],
    )
