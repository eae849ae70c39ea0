# ruff: noqa: E501
# Hand-written PostgreSQL and report lines are data, kept whole on one line.
"""PostgreSQL, a standby cut off from WAL: a configuration push at 21:10 UTC lowered
pg-ledger-1's `wal_keep_size` from 16GB to 256MB (no replication slot is used). During the
nightly ledger close the standby pg-ledger-2 fell a few minutes behind, the primary recycled the
segments it still needed, and the standby's walreceiver loops on "requested WAL segment ... has
already been removed". Reports that read from the standby show yesterday's balances. Decoys:
"checkpoints are occurring too frequently", a unique violation, a slow report query."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Postgres, PythonLogging
from scenes import at, fixed, loud
from traffic import database_server, traffic

CET = timezone(timedelta(hours=1))
START = datetime(2025, 1, 14, 20, 40, tzinfo=UTC)
MINUTES = 420.0
RELOAD = 30.0
CUT = 181.0


def bundle() -> Bundle:
    rng = random.Random(51101)
    primary = LogFile("pg-ledger-1/postgresql.log", Postgres(rng))
    primary.add(traffic(rng, database_server(), START, MINUTES, 2600))
    primary.add(
        [
            at(START, RELOAD, "INFO", "received SIGHUP, reloading configuration files"),
            at(START, RELOAD + 0.01, "INFO", 'parameter "wal_keep_size" changed to "256MB"'),
            at(
                START,
                RELOAD + 0.02,
                "INFO",
                'parameter "log_min_duration_statement" changed to "2s"',
            ),
            at(
                START,
                CUT - 2.5,
                "WARN",
                'duplicate key value violates unique constraint "ledger_close_run_pkey"',
            ),
        ]
    )
    primary.add(
        loud(
            rng,
            START,
            150,
            60,
            14,
            fixed(
                "INFO",
                lambda r: (
                    f"checkpoints are occurring too frequently ({r.randrange(9, 28)} seconds apart)"
                ),
            ),
        )
    )
    standby = LogFile("pg-ledger-2/postgresql.log", Postgres(rng))
    standby.add(
        loud(
            rng,
            START,
            0,
            CUT,
            300,
            fixed(
                "INFO",
                lambda r: (
                    f"restartpoint complete: wrote {r.randrange(40, 3000)} buffers ({r.random() * 9:.1f}%); write={r.random() * 30:.3f} s, sync={r.random():.3f} s"
                ),
            ),
        )
    )
    standby.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            900,
            fixed(
                "INFO",
                lambda r: (
                    f"connection authorized: user=reporting database=ledger application_name=report-{r.randrange(12)}"
                ),
            ),
        )
    )
    standby.add(
        [
            at(
                START,
                CUT - 0.3,
                "INFO",
                "started streaming WAL from primary at A3F/C1000000 on timeline 1",
            )
        ]
    )
    standby.add(
        loud(
            rng,
            START,
            CUT,
            MINUTES - CUT - 1,
            240,
            fixed(
                "FATAL",
                lambda r: (
                    "could not receive data from WAL stream: ERROR:  requested WAL segment 0000000100000A3F000000C1 has already been removed"
                ),
            ),
        )
    )
    report = LogFile(
        "report-runner/report-runner.log",
        PythonLogging(("reports.runner", "reports.sql", "reports.mail"), rng),
    )
    report.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"rendered report {r.choice(['daily_balances', 'fx_exposure', 'gl_trial', 'ar_aging'])} for entity {r.randrange(10, 90)} in {r.randrange(200, 4000)} ms"
                ),
            ),
            START,
            MINUTES,
            1400,
        )
    )
    report.add(
        loud(
            rng,
            START,
            CUT + 20,
            MINUTES - CUT - 22,
            160,
            fixed(
                "WARN",
                lambda r: (
                    f"freshness check failed for daily_balances entity {r.randrange(10, 90)}: pg_last_xact_replay_timestamp() is {r.randrange(1300, 14000)} s old (limit 300 s)"
                ),
            ),
        )
    )
    report.add(
        [
            at(
                START,
                95.0,
                "WARN",
                "query for gl_trial entity 41 took 38.2 s (statement_timeout 60 s)",
            )
        ]
    )
    report.records = [
        r.__class__(r.time.astimezone(CET), r.level, r.message, r.trailer, r.logger)
        for r in report.records
    ]
    notes = "\n".join(
        [
            "Ticket FIN-4471 (08:05 CET): finance says the morning balance reports still show figures from before last night's ledger close.",
            "report-runner reads from the hot standby pg-ledger-2 (reporting user).",
            "Config push CHG-2291 went out yesterday evening to the ledger database hosts (postgresql.conf template refresh).",
            "",
        ]
    )
    standby_text = standby.render()
    first_removed = next(
        line for line in standby_text.splitlines() if "has already been removed" in line
    )
    return Bundle(
        question="Finance's morning balance reports still show yesterday's figures. What is the root cause?",
        category="database",
        component="pg-ledger-1",
        statement="A configuration reload lowered pg-ledger-1's wal_keep_size to 256MB with no replication slot; during the nightly ledger close the primary removed WAL segments the standby pg-ledger-2 still needed, so its replication stopped with 'requested WAL segment has already been removed' and the reports read stale data.",
        files={
            "notes.txt": notes,
            "logs/pg-ledger-1/postgresql.log": primary.render(),
            "logs/pg-ledger-2/postgresql.log": standby_text,
            "logs/report-runner.log": report.render(),
        },
        proofs=[
            Proof(
                "logs/pg-ledger-1/postgresql.log",
                'parameter "wal_keep_size" changed to "256MB"',
            ),
            Proof(
                "logs/pg-ledger-2/postgresql.log",
                first_removed,
            ),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "ledger_close_run_pkey",
            "query for gl_trial entity 41 took 38.2 s",
        ],
    )
