# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""PostgreSQL on pg-telemetry-01: the `readings` table is partitioned daily and nothing drops old
partitions; the month rollover job at 00:00 UTC created partition 1,041. Queries over the parent
without a date filter now lock every partition and exhaust the shared lock table sized by
`max_locks_per_transaction = 64`: `out of shared memory` with the hint to raise it. The reporting
API's aggregate queries fail. Decoys: a checkpoint warning, an autovacuum cancel, and the
API's loud 500s."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Postgres, Record, SpringBoot
from scenes import at, loud
from traffic import Line, database_server, traffic, web_api


class PgLog(Postgres):
    """Postgres's stderr log, with HINT and STATEMENT detail lines under their own prefix."""

    def render(self, record: Record) -> list[str]:
        if record.level in ("HINT", "STATEMENT"):
            line = super().render(Record(record.time, "INFO", record.message))[0]
            return [line.replace("LOG:  ", f"{record.level}:  ", 1)]
        return super().render(record)


START = datetime(2026, 8, 31, 23, 30, tzinfo=UTC)
MINUTES = 70


def pg_error(rng: random.Random) -> Line:
    return "ERROR", "out of shared memory", ()


def api_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"GET /v2/fleet/{rng.randrange(100, 999)}/summary 500: org.postgresql.util.PSQLException: ERROR: out of shared memory",
        ("  Hint: You might need to increase max_locks_per_transaction.",),
    )


def bundle() -> Bundle:
    rng = random.Random(344_831)
    pg = LogFile("logs/postgresql-pg-telemetry-01.log", PgLog(rng=rng))
    pg.add(traffic(rng, database_server(), START, MINUTES, 1400))
    pg.add(
        [
            at(
                START,
                30.02,
                "INFO",
                "statement: CREATE TABLE readings_2026_09_01 PARTITION OF readings FOR VALUES FROM ('2026-09-01') TO ('2026-09-02')",
            ),
            at(START, 30.03, "INFO", "duration: 41.882 ms"),
            at(START, 12.4, "WARN", "checkpoints are occurring too frequently (24 seconds apart)"),
            at(START, 21.7, "ERROR", "canceling autovacuum task"),
        ]
    )
    first = at(START, 31.6, "ERROR", "out of shared memory")
    pg.add(
        [
            first,
            Record(
                first.time + timedelta(microseconds=300),
                "HINT",
                "You might need to increase max_locks_per_transaction.",
            ),
            Record(
                first.time + timedelta(microseconds=600),
                "STATEMENT",
                "SELECT vehicle_id, avg(speed_kmh), max(engine_temp_c) FROM readings WHERE fleet_id = $1 GROUP BY vehicle_id",
            ),
        ]
    )
    pg.add(loud(rng, START, 31.7, MINUTES - 31.8, 240, pg_error))
    api = LogFile(
        "logs/fleet-reporting-api.log",
        SpringBoot(
            (
                "c.n.fleet.api.SummaryController",
                "c.n.fleet.repo.ReadingRepository",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            rng=rng,
        ),
    )
    api.add(
        traffic(
            rng,
            web_api("fleet-reporting-api", ["fleet", "vehicles", "trips"]),
            START,
            MINUTES,
            2600,
        )
    )
    api.add(loud(rng, START, 31.65, MINUTES - 31.8, 260, api_error))
    notes = (
        "\n".join(
            [
                "# pasted by on-call, 00:58 UTC",
                "",
                "telemetry=> SHOW max_locks_per_transaction;",
                " max_locks_per_transaction",
                "---------------------------",
                " 64",
                "(1 row)",
                "",
                "telemetry=> SELECT count(*) FROM pg_inherits WHERE inhparent = 'readings'::regclass;",
                " count",
                "-------",
                "  1041",
                "(1 row)",
                "",
                "telemetry=> SHOW max_connections;",
                " max_connections",
                "-----------------",
                " 200",
                "(1 row)",
                "",
                "$ free -m   # on pg-telemetry-01",
                "               total        used        free      shared  buff/cache   available",
                "Mem:           64215       11873        2204       16391       50137       35188",
                "Swap:              0           0           0",
            ]
        )
        + "\n"
    )
    return Bundle(
        question="The fleet dashboards have shown errors since just after midnight UTC; the reporting API returns 500. What is the root cause?",
        category="database",
        component="pg-telemetry-01",
        statement="The daily-partitioned readings table reached 1,041 partitions at the midnight rollover; queries over the parent without a date filter lock every partition and exhaust the lock table sized by max_locks_per_transaction = 64, failing with `out of shared memory`.",
        files={
            "logs/postgresql-pg-telemetry-01.log": pg.render(),
            "logs/fleet-reporting-api.log": api.render(),
            "notes.md": notes,
        },
        proofs=[
            Proof(
                "logs/postgresql-pg-telemetry-01.log",
                "HINT:  You might need to increase max_locks_per_transaction.",
            ),
            Proof("notes.md", "  1041"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "canceling autovacuum task",
            "GET /v2/fleet/",
        ],
    )
