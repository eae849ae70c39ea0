# ruff: noqa: E501
# Hand-written PostgreSQL, partman and application lines and pasted psql output are data, kept whole on one line.
"""PostgreSQL, a lock table too small for a grown partition count: three weeks ago a change to
pg_partman's part_config switched `public.samples` on pg-metrics-01 to hourly partitions with
no retention. The partition count has grown past 3,900; queries on the parent that cannot be
pruned at plan time take one lock per partition, and from 13:12 UTC, as the dashboards' busy
hour starts, the shared lock table (max_locks_per_transaction = 64, max_connections = 200) runs
out: "out of shared memory". Loud: the ingest and dashboard API's 500s. Decoys: a checkpoint
warning, a slow autovacuum on another table, an ingest retry on a network blip."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Postgres, Record, Zap, space_millis
from scenes import at, fixed, loud
from traffic import database_server, traffic, web_api

START = datetime(2026, 3, 11, 11, 20, tzinfo=UTC)
MINUTES = 160.0
BUSY = 112.0


class PostgresDetail(Postgres):
    """PostgreSQL's stderr log where a record's trailer holds its HINT and STATEMENT lines."""

    def render(self, record: Record) -> list[str]:
        head = super().render(record)[0]
        prefix = (
            space_millis(record.time) + " UTC " + head.split(" UTC ", 1)[1].split("]", 1)[0] + "]"
        )
        return [head, *(f"{prefix} {line}" for line in record.trailer)]


def bundle() -> Bundle:
    rng = random.Random(35711)
    pg = LogFile("logs/pg-metrics-01-postgresql.log", PostgresDetail(rng))
    pg.add(traffic(rng, database_server(), START, MINUTES, 2600))
    pg.add(
        [
            at(
                START,
                6.0,
                "INFO",
                "statement: SELECT partman.run_maintenance(p_analyze := false)  /* pg_partman_bgw */",
            ),
            at(
                START,
                6.3,
                "INFO",
                "partman: public.samples: created 24 new child tables (partition_interval 01:00:00, retention none), 3912 children total",
            ),
            at(
                START,
                30.0,
                "WARN",
                "checkpoints are occurring too frequently (24 seconds apart)",
            ),
            at(
                START,
                58.0,
                "INFO",
                'automatic vacuum of table "metrics.public.alert_history": index scans: 1 pages: 0 removed, 412220 remain; elapsed: 214.88 s',
            ),
        ]
    )
    pg.add(
        loud(
            rng,
            START,
            BUSY,
            MINUTES - BUSY - 1,
            420,
            fixed(
                "ERROR",
                lambda r: "out of shared memory",
                lambda r: [
                    "HINT:  You might need to increase max_locks_per_transaction.",
                    f"STATEMENT:  SELECT time_bucket, avg(value) FROM samples WHERE series_id = {r.randrange(10**6)} AND ts > now() - interval '{r.choice([6, 12, 24])} hours' GROUP BY 1",
                ],
            ),
        )
    )
    api = LogFile(
        "logs/metrics-api.log",
        Zap(("api/handler.go:88", "store/query.go:141", "ingest/batch.go:52"), rng),
    )
    api.add(
        traffic(
            rng, web_api("metrics-api", ["series", "dashboards", "panels"]), START, MINUTES, 3400
        )
    )
    api.add(
        loud(
            rng,
            START,
            BUSY + 0.2,
            MINUTES - BUSY - 1.5,
            720,
            fixed(
                "ERROR",
                lambda r: (
                    f"query failed: ERROR: out of shared memory (SQLSTATE 53200) panel={r.randrange(10**5)} dashboard=dash-{r.randrange(400)} status=500"
                ),
            ),
        )
    )
    api.add(
        [
            at(
                START,
                47.0,
                "WARN",
                "ingest batch write failed: read tcp 10.31.4.18:50922->10.31.2.7:5432: read: connection reset by peer; retried ok (attempt 2)",
                logger="ingest/batch.go:52",
            )
        ]
    )
    psql = "\n".join(
        [
            "metrics=# SHOW max_locks_per_transaction;",
            " max_locks_per_transaction ",
            "---------------------------",
            " 64",
            "(1 row)",
            "",
            "metrics=# SHOW max_connections;",
            " max_connections ",
            "-----------------",
            " 200",
            "(1 row)",
            "",
            "metrics=# SELECT parent_table, partition_interval, premake, retention, infinite_time_partitions FROM partman.part_config;",
            "  parent_table   | partition_interval | premake | retention | infinite_time_partitions ",
            "-----------------+--------------------+---------+-----------+--------------------------",
            " public.events   | 1 day              |       4 | 90 days   | f",
            " public.samples  | 01:00:00           |      24 |           | t",
            "(2 rows)",
            "",
            "metrics=# SELECT count(*) FROM pg_inherits WHERE inhparent = 'public.samples'::regclass;",
            " count ",
            "-------",
            "  3912",
            "(1 row)",
            "",
            "metrics=# SELECT mode, count(*) FROM pg_locks GROUP BY 1 ORDER BY 2 DESC LIMIT 3;",
            "      mode       | count ",
            "-----------------+-------",
            " AccessShareLock | 12604",
            " ExclusiveLock   |    41",
            " RowExclusiveLock|    18",
            "(3 rows)",
            "",
        ]
    )
    notes = "\n".join(
        [
            "## metrics dashboards down - 2026-03-11",
            "- 13:15 UTC Grafana panels erroring, metrics-api 500s, 'out of shared memory' from pg-metrics-01.",
            "- pg-metrics-01 memory looks fine: 41% used, no OOM in dmesg.",
            "- infra MR !2231 (three weeks ago): 'samples: finer partitions for faster range scans' merged by data-eng.",
            "- checkpoint warnings are old, ticket DB-412.",
            "",
        ]
    )
    return Bundle(
        question="Dashboards and metrics-api queries fail with 'out of shared memory' since about 13:12 UTC, but the database host has plenty of RAM. What is the root cause?",
        category="database",
        component="pg-metrics-01",
        statement="pg_partman on pg-metrics-01 was switched to hourly partitions of public.samples with no retention, so the table now has 3,912 partitions; unpruned queries take a lock on every partition and exhaust the shared lock table sized by max_locks_per_transaction = 64, failing with 'out of shared memory' at the busy hour.",
        files={
            "notes.md": notes,
            "psql-pg-metrics-01.txt": psql,
            "logs/pg-metrics-01-postgresql.log": pg.render(),
            "logs/metrics-api.log": api.render(),
        },
        proofs=[
            Proof("logs/pg-metrics-01-postgresql.log", "3912 children total"),
            Proof("psql-pg-metrics-01.txt", " public.samples  | 01:00:00"),
            Proof("psql-pg-metrics-01.txt", "  3912"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "alert_history",
            "connection reset by peer; retried ok",
        ],
    )
