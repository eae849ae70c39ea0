# ruff: noqa: E501
# Hand-written PostgreSQL and batch lines and pasted psql output are data, kept whole on one line.
"""PostgreSQL, a database-wide statement_timeout: to stop a BI tool's runaway queries a DBA ran
`ALTER DATABASE ledger SET statement_timeout = '20s'` on pg-fin-01 at 13:12 UTC. Every new
session inherits it; the nightly invoice batch (Europe/Berlin logs), whose aggregation takes
minutes, is cancelled from 23:00 local. Loud: the batch's cancelled statements and retries.
Decoys: frequent checkpoints, an autovacuum of a big table, a replica's lag warning."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Postgres, PythonLogging
from scenes import at, fixed, loud, python_traceback
from traffic import database_server, traffic, worker

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2025, 9, 18, 14, 0, tzinfo=BERLIN)
MINUTES = 600.0
BATCH = 540.0  # 23:00 local


def bundle() -> Bundle:
    rng = random.Random(47701)
    start_utc = START.astimezone(UTC)
    pg = LogFile("logs/pg-fin-01/postgresql-2025-09-18.log", Postgres(rng))
    pg.add(traffic(rng, database_server(), start_utc - timedelta(minutes=60), MINUTES + 60, 3600))
    pg.add(
        [
            at(
                start_utc,
                -47.5,
                "INFO",
                "statement: ALTER DATABASE ledger SET statement_timeout = '20s';",
            ),
            at(
                start_utc,
                -47.9,
                "INFO",
                "connection authorized: user=dba_kpohl database=ledger application_name=psql",
            ),
            at(
                start_utc,
                95.0,
                "INFO",
                "checkpoints are occurring too frequently (24 seconds apart)",
            ),
            at(
                start_utc,
                95.01,
                "INFO",
                'HINT:  Consider increasing the configuration parameter "max_wal_size".',
            ),
            at(
                start_utc,
                310.0,
                "INFO",
                'automatic vacuum of table "ledger.public.journal_lines": index scans: 1 pages: 0 removed, 2811094 remain, 0 skipped due to pins',
            ),
            at(start_utc, 20.0, "ERROR", "canceling statement due to statement timeout"),
            at(
                start_utc,
                20.01,
                "INFO",
                "STATEMENT:  SELECT d.region, sum(l.amount) FROM journal_lines l JOIN dim_account d USING (account_id) GROUP BY 1 /* metabase */",
            ),
        ]
    )
    pg.add(
        loud(
            rng,
            start_utc,
            BATCH + 1,
            50,
            140,
            fixed(
                "ERROR",
                lambda r: (
                    f"canceling statement due to statement timeout (pid {r.randrange(20000, 60000)}, user=invoice_batch)"
                ),
            ),
        )
    )
    batch = LogFile(
        "logs/invoice-batch.log",
        PythonLogging(("invoice.batch", "invoice.db", "invoice.render"), rng),
    )
    batch.add(
        traffic(rng, worker("invoice-batch", ["invoices", "credit-notes"]), START, MINUTES, 2600)
    )
    trace = python_traceback(
        [
            (
                "/opt/invoice/batch/run.py",
                212,
                "aggregate_period",
                "cur.execute(PERIOD_TOTALS_SQL, params)",
            ),
            (
                "/opt/invoice/venv/lib/python3.11/site-packages/psycopg/cursor.py",
                732,
                "execute",
                "raise ex.with_traceback(None)",
            ),
        ],
        "psycopg.errors.QueryCanceled: canceling statement due to statement timeout",
    )
    batch.add(
        loud(
            rng,
            START,
            BATCH + 1,
            50,
            60,
            fixed(
                "ERROR",
                lambda r: (
                    f"period aggregation failed for tenant t{r.randrange(100, 999)} (attempt {r.randrange(1, 4)}/3)"
                ),
                lambda r: trace,
            ),
        )
    )
    batch.add(
        [
            at(
                START, BATCH, "INFO", "nightly run 2025-09-18 starting: 412 tenants, period 2025-09"
            ),
            at(
                START,
                BATCH + 52,
                "FATAL",
                "nightly run aborted: 388 of 412 tenants failed, invoices not issued",
            ),
            at(
                START,
                120.0,
                "WARN",
                "replica pg-fin-02 lag 14.2s above 10s, reads routed to primary",
            ),
        ]
    )
    pasted = "\n".join(
        [
            "ledger=> SELECT coalesce(r.rolname, '*') AS role, d.datname, s.setconfig FROM pg_db_role_setting s LEFT JOIN pg_roles r ON r.oid = s.setrole LEFT JOIN pg_database d ON d.oid = s.setdatabase;",
            "    role     | datname |              setconfig",
            "-------------+---------+-------------------------------------",
            " *           | ledger  | {statement_timeout=20s}",
            " metabase_ro |         | {work_mem=64MB}",
            "(2 rows)",
            "",
            "ledger=> SHOW statement_timeout;",
            " statement_timeout",
            "-------------------",
            " 20s",
            "(1 row)",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Ticket FIN-3390 (opened 23:58 Europe/Berlin): invoice run failed for most tenants, nothing changed in invoice-batch since August (v2.14.0).",
            "- DB team chat 13:10: 'metabase dashboards keep running 40-minute queries, I'll put a guard on ledger'.",
            "- pg-fin-02 replica lag alerts in the afternoon, cleared on their own.",
            "- psql output below captured by on-call at 00:20.",
            "",
            pasted,
        ]
    )
    return Bundle(
        question="The nightly invoice batch failed for almost every tenant tonight (from 23:00 Berlin time). Nothing was deployed. What is the root cause?",
        category="configuration",
        component="pg-fin-01",
        statement="A DBA set statement_timeout = 20s for the whole ledger database on pg-fin-01 (ALTER DATABASE at 11:12 UTC) to stop BI queries; the invoice batch's long aggregation statements inherit it and are cancelled, so the nightly run fails.",
        files={
            "notes.md": notes,
            "logs/pg-fin-01/postgresql-2025-09-18.log": pg.render(),
            "logs/invoice-batch.log": batch.render(),
        },
        proofs=[
            Proof(
                "logs/pg-fin-01/postgresql-2025-09-18.log",
                "ALTER DATABASE ledger SET statement_timeout",
            ),
            Proof("notes.md", " *           | ledger  | {statement_timeout=20s}"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "journal_lines",
            "replica pg-fin-02 lag",
        ],
    )
