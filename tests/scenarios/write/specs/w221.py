# ruff: noqa: E501
# Hand-written log lines, autovacuum reports and pasted psql output are data, kept whole on one line.
"""PostgreSQL, database: on Friday 23:41 UTC the payments service crashed in the middle of a
two-phase commit (its XA transaction manager had just run PREPARE TRANSACTION on jobs-db) and
came back with a fresh transaction log, so the prepared transaction
`131077_Y29yZS1wYXltZW50cw==_88121` was never committed or rolled back. A prepared transaction
holds back the xmin horizon like a session would, but shows up in no session: pg_stat_activity
is clean. Autovacuum keeps running on jobs.public.job_queue (a hot queue table, every row
inserted, updated and deleted within seconds) but removes nothing ("are dead but not yet
removable", the removable cutoff stuck at 81123311); by Monday the table has grown from 60 MB
to 9 GB and job claims (`FOR UPDATE SKIP LOCKED`) hit the statement timeout. Loud: job-worker's
timeouts and backlog. Decoys: frequent-checkpoint warnings, connection resets from clients,
and a pgbouncer restart on Sunday."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import PythonLogging, Record
from scenes import at, fixed, loud
from traffic import database_server, traffic, worker

START = datetime(2025, 5, 12, 6, 0, tzinfo=UTC)
END = datetime(2025, 5, 12, 9, 40, tzinfo=UTC)
PREPARED = datetime(2025, 5, 9, 23, 41, 7, tzinfo=UTC)
CUTOFF = 81123311


@dataclass
class PgLog:
    """PostgreSQL 15 stderr log, `log_line_prefix = '%m [%p] %q%u@%d '`, continuation lines tab-indented."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        level = {
            "INFO": "LOG",
            "WARN": "WARNING",
            "ERROR": "ERROR",
            "FATAL": "FATAL",
            "DEBUG": "DEBUG",
        }[record.level]
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d} UTC"
        )
        who = f"{record.logger} " if record.logger else ""
        pid = self.rng.randrange(1000, 90000)
        lines = [f"{stamp} [{pid}] {who}{level}:  {record.message}"]
        for extra in record.trailer:
            if extra.startswith(("\tHINT:", "\tSTATEMENT:", "\tDETAIL:")):
                lines.append(f"{stamp} [{pid}] {who}{extra[1:]}")
            else:
                lines.append(extra)
        return lines


def vacuum_report(
    rng: random.Random, hours: float, pages: int, live: int, dead: int
) -> tuple[str, tuple[str, ...]]:
    age = int(400000 + hours * 41000 + rng.randrange(-3000, 3000))
    return (
        'automatic vacuum of table "jobs.public.job_queue": index scans: 0',
        (
            f"\tpages: 0 removed, {pages} remain, {pages} scanned (100.00% of total)",
            f"\ttuples: 0 removed, {live + dead} remain, {dead} are dead but not yet removable",
            f"\tremovable cutoff: {CUTOFF}, which was {age} XIDs old when operation ended",
            f"\tindex scan bypassed: {rng.randrange(1, 40)} pages from table (0.00% of total) have {rng.randrange(10, 900)} dead item identifiers",
            f"\tavg read rate: {rng.uniform(20, 90):.3f} MB/s, avg write rate: {rng.uniform(0, 2):.3f} MB/s",
            f"\tbuffer usage: {pages * 2 + rng.randrange(1000)} hits, {rng.randrange(10000, 90000)} misses, {rng.randrange(0, 40)} dirtied",
            f"\tWAL usage: {rng.randrange(0, 60)} records, {rng.randrange(0, 30)} full page images, {rng.randrange(0, 90000)} bytes",
            f"\tsystem usage: CPU: user: {rng.uniform(0.5, 9):.2f} s, system: {rng.uniform(0.2, 3):.2f} s, elapsed: {rng.uniform(4, 90):.2f} s",
        ),
    )


def bundle() -> Bundle:
    rng = random.Random(2221)
    total = (END - START).total_seconds() / 60

    pg = LogFile("logs/jobs-db-postgresql.log", PgLog(rng))
    pg.add(traffic(rng, database_server(), START, total, 2400))
    minute = 0.0
    while minute < total:
        hours = (START + timedelta(minutes=minute) - PREPARED).total_seconds() / 3600
        pages = int(1_100_000 + minute * 310)
        message, trailer = vacuum_report(
            rng, hours, pages, rng.randrange(800, 4000), int(61_000_000 + minute * 41000)
        )
        pg.add([at(START, minute, "INFO", message, trailer)])
        minute += rng.uniform(2.5, 4.5)
    pg.add(
        loud(
            rng,
            START,
            0,
            total,
            30,
            fixed(
                "INFO",
                lambda r: (
                    f"checkpoints are occurring too frequently ({r.randrange(14, 29)} seconds apart)"
                ),
            ),
        )
    )
    pg.add(
        loud(
            rng,
            START,
            0,
            total,
            50,
            fixed("INFO", lambda r: "could not receive data from client: Connection reset by peer"),
        )
    )
    pg.add(
        loud(
            rng,
            START,
            60,
            total - 61,
            380,
            fixed("ERROR", lambda r: "canceling statement due to statement timeout"),
        )
    )
    pg.records = [
        Record(r.time, r.level, r.message, r.trailer, "jobworker@jobs")
        if r.message.startswith("canceling")
        else r
        for r in pg.records
    ]
    pg.records = [
        Record(
            r.time,
            r.level,
            r.message,
            ('\tHINT:  Consider increasing the configuration parameter "max_wal_size".',),
            r.logger,
        )
        if r.message.startswith("checkpoints are occurring")
        else r
        for r in pg.records
    ]
    pg.records = [
        Record(
            r.time,
            r.level,
            r.message,
            (
                "\tSTATEMENT:  UPDATE job_queue SET state = 'running', locked_by = $1, locked_at = now() WHERE id IN (SELECT id FROM job_queue WHERE state = 'ready' AND queue = $2 ORDER BY priority, id LIMIT 50 FOR UPDATE SKIP LOCKED) RETURNING id, payload",
            ),
            r.logger,
        )
        if r.message.startswith("canceling")
        else r
        for r in pg.records
    ]

    jobs = LogFile(
        "logs/job-worker.log",
        PythonLogging(("jobworker.claim", "jobworker.run", "jobworker.heartbeat"), rng=rng),
    )
    jobs.add(
        traffic(
            rng,
            worker("job-worker", ["emails", "invoices", "webhooks", "exports"]),
            START,
            total,
            2800,
        )
    )
    jobs.add(
        loud(
            rng,
            START,
            0,
            60,
            120,
            fixed(
                "WARN",
                lambda r: (
                    f"claim of 50 jobs from queue={r.choice(['emails', 'webhooks', 'invoices'])} took {r.randrange(1800, 4900)}ms"
                ),
            ),
        )
    )
    jobs.add(
        loud(
            rng,
            START,
            60,
            total - 61,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"claim failed on queue={r.choice(['emails', 'webhooks', 'invoices', 'exports'])}: psycopg.errors.QueryCanceled: canceling statement due to statement timeout (statement_timeout=5s), backing off {r.choice([2, 4, 8, 16])}s"
                ),
            ),
        )
    )
    jobs.add(
        loud(
            rng,
            START,
            70,
            total - 71,
            90,
            fixed(
                "WARN",
                lambda r: (
                    f"backlog alarm: {r.randrange(40000, 190000)} jobs ready, oldest waiting {r.randrange(12, 95)} min"
                ),
            ),
        )
    )

    psql = "\n".join(
        [
            "jobs=# SELECT pid, usename, state, now() - xact_start AS xact_age, left(query, 40) FROM pg_stat_activity WHERE xact_start < now() - interval '2 minutes' ORDER BY xact_start;",
            " pid | usename | state | xact_age | left",
            "-----+---------+-------+----------+------",
            "(0 rows)",
            "",
            "jobs=# SELECT slot_name, active, xmin, catalog_xmin FROM pg_replication_slots;",
            "   slot_name    | active | xmin | catalog_xmin",
            "----------------+--------+------+--------------",
            " jobs_db_2_slot | t      |      |",
            "(1 row)",
            "",
            "jobs=# SELECT transaction, gid, prepared, owner, database FROM pg_prepared_xacts;",
            " transaction |                gid                 |           prepared            |  owner   | database",
            "-------------+------------------------------------+-------------------------------+----------+----------",
            f"    {CUTOFF} | 131077_Y29yZS1wYXltZW50cw==_88121   | 2025-05-09 23:41:07.118842+00 | payments | jobs",
            "(1 row)",
            "",
            "jobs=# SELECT relname, n_live_tup, n_dead_tup, last_autovacuum, pg_size_pretty(pg_total_relation_size(relid)) FROM pg_stat_user_tables ORDER BY n_dead_tup DESC LIMIT 3;",
            "  relname   | n_live_tup | n_dead_tup |        last_autovacuum        | pg_size_pretty",
            "------------+------------+------------+-------------------------------+----------------",
            " job_queue  |       2211 |   69912877 | 2025-05-12 09:37:52.201116+00 | 9214 MB",
            " job_events |   41220918 |      18812 | 2025-05-12 08:02:11.880712+00 | 7830 MB",
            " schedules  |       1204 |         88 | 2025-05-12 09:21:40.009281+00 | 432 kB",
            "(3 rows)",
            "",
        ]
    )
    points = int((END - (START - timedelta(days=3, hours=6))).total_seconds() // 1800)
    first = START - timedelta(days=3, hours=6)
    prepared_index = int((PREPARED - first).total_seconds() // 1800) + 1
    metrics = csv_text(
        first,
        1800,
        points,
        {
            "jobs_db_job_queue_size_mb": shift(
                rng, 61, 9214, prepared_index, 0.01, ramp=points - prepared_index
            ),
            "jobs_db_job_queue_dead_tuples": shift(
                rng, 41000, 69900000, prepared_index, 0.01, ramp=points - prepared_index
            ),
            "jobs_db_oldest_xmin_age": shift(
                rng, 9000, 4300000, prepared_index, 0.02, ramp=points - prepared_index
            ),
            "jobs_db_longest_transaction_s": steady(rng, 1.4, 0.5),
            "jobs_db_cpu_percent": shift(rng, 18, 71, points - 14, 0.08, ramp=8),
            "job_worker_claim_p99_ms": lambda index: (
                45 + 5200 * max(0, (index - prepared_index) / (points - prepared_index)) ** 2.5
            ),
        },
        decimals=0,
    )
    notes = "\n".join(
        [
            "jobs backlog - 09:40 UTC",
            "",
            "- Emails and webhooks are going out late; job-worker claims time out (statement_timeout 5s) since ~07:00.",
            "- pgbouncer on jobs-db was restarted Sunday 10:15 for the TLS cert renewal.",
            "- We see lots of 'checkpoints are occurring too frequently' in the log, max_wal_size is 1GB.",
            "- Payments had a crash on Friday night (OOM in the JVM), restarted on a new node, their team says all good.",
            "- No long-running queries in pg_stat_activity (pasted in psql.txt).",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "psql.txt": psql,
        "logs/jobs-db-postgresql.log": pg.render(),
        "logs/job-worker.log": jobs.render(),
        "jobs-db-metrics.csv": metrics,
    }
    return Bundle(
        question="Since this morning job-worker can't claim jobs fast enough and the backlog keeps growing; claims hit the statement timeout. Nothing long-running shows in pg_stat_activity. What is the root cause?",
        category="database",
        component="jobs-db",
        statement="An orphaned two-phase-commit transaction prepared on jobs-db on Friday 23:41 UTC by the crashed payments service (gid 131077_Y29yZS1wYXltZW50cw==_88121) holds back the xmin horizon, so autovacuum removes no dead tuples from job_queue (removable cutoff stuck at 81123311); the table bloats to 9 GB and job claims exceed the statement timeout from about 07:00 UTC Monday.",
        files=files,
        proofs=[
            Proof("psql.txt", "131077_Y29yZS1wYXltZW50cw==_88121"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "Connection reset by peer",
            "pgbouncer on jobs-db was restarted",
        ],
    )
