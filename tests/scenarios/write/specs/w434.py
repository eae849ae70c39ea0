# ruff: noqa: E501
# Hand-written PostgreSQL lines and pasted psql output are data, kept whole on one line.
"""PostgreSQL 16, transaction ID wraparound: a Metabase session on pg-ledger-01 has been
`idle in transaction` since Monday 07:40 UTC (52 h), holding its snapshot's xmin. Every
autovacuum of the busy `postings` table since then can only freeze up to that xmin, and the
log says so quietly (`removable cutoff ... XIDs old`, then `oldest xmin is far in the past`).
The ledger import burns ~20k XIDs a second; at 11:58 UTC the warnings `database "ledger" must
be vacuumed within N transactions` start, and at 12:31 the server refuses every write
(`database is not accepting commands that assign new transaction IDs`): ledger-api's postings
fail loudly. Decoys: frequent checkpoints, a client connection reset, and a replica lag note."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Postgres, PythonLogging, Record, space_millis
from scenes import at, fixed, loud, python_traceback
from traffic import Line, traffic

START = datetime(2026, 8, 12, 10, 50, tzinfo=UTC)
MINUTES = 120.0
WARNS = 68.0  # 11:58
STOP = 101.0  # 12:31


class PgLog(Postgres):
    """PostgreSQL's stderr log; a `HINT` record continues the previous message."""

    def render(self, record: Record) -> list[str]:
        if record.level != "HINT":
            return super().render(record)
        stamp = space_millis(record.time) + " UTC"
        return [f"{stamp} [{self.rng.randrange(100, 60000)}] HINT:  {record.message}"]


def pg_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f"connection authorized: user=ledger_app database=ledger application_name=ledger-api-{rng.randrange(12)}",
            (),
        )
    if roll < 0.55:
        return (
            "INFO",
            f"connection received: host=10.8.{rng.randrange(2, 6)}.{rng.randrange(2, 250)} port={rng.randrange(30000, 61000)}",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"disconnection: session time: 0:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(1000):03d} user=ledger_app database=ledger host=10.8.{rng.randrange(2, 6)}.{rng.randrange(2, 250)} port={rng.randrange(30000, 61000)}",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"duration: {rng.randrange(500, 2400)}.{rng.randrange(1000):03d} ms  execute <unnamed>: INSERT INTO postings (journal_id, account_id, amount_minor, currency, posted_at) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::timestamptz[])",
            (),
        )
    return (
        "INFO",
        f"checkpoint complete: wrote {rng.randrange(4000, 40000)} buffers ({rng.random() * 20:.1f}%); 0 WAL file(s) added, {rng.randrange(0, 30)} removed, {rng.randrange(10, 60)} recycled; write={rng.random() * 30:.3f} s, sync={rng.random():.3f} s, total={rng.random() * 31:.3f} s",
        (),
    )


def must_vacuum(rng: random.Random) -> Line:
    return (
        "WARN",
        f'database "ledger" must be vacuumed within {rng.randrange(3_100_000, 39_000_000)} transactions',
        (),
    )


def refused(rng: random.Random) -> Line:
    return (
        "ERROR",
        'database is not accepting commands that assign new transaction IDs to avoid wraparound data loss in database "ledger"',
        (),
    )


def api_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"posted journal J-{rng.randrange(10**8):08d} lines={rng.randrange(2, 9)} batch={rng.randrange(10**5)}",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"GET /v1/accounts/{rng.randrange(10**6)}/balance 200 {rng.randrange(2, 40)}ms",
            (),
        )
    return (
        "INFO",
        f"import chunk {rng.randrange(10**5)} committed rows={rng.randrange(5000, 20000)}",
        (),
    )


def api_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"failed to post journal J-{rng.randrange(10**8):08d}; returning 503",
        tuple(
            python_traceback(
                [
                    (
                        "/app/ledger/api/journals.py",
                        142,
                        "post_journal",
                        "await repo.insert_postings(journal)",
                    ),
                    (
                        "/app/ledger/store/postings.py",
                        88,
                        "insert_postings",
                        "await cur.execute(INSERT_POSTINGS, params)",
                    ),
                    (
                        "/usr/local/lib/python3.12/site-packages/psycopg/cursor_async.py",
                        97,
                        "execute",
                        "raise ex.with_traceback(None)",
                    ),
                ],
                'psycopg.errors.ProgramLimitExceeded: database is not accepting commands that assign new transaction IDs to avoid wraparound data loss in database "ledger"\nHINT:  Execute a database-wide VACUUM in that database.',
            )
        ),
    )


def bundle() -> Bundle:
    rng = random.Random(43434)
    pg = LogFile("logs/pg-ledger-01-postgresql.log", PgLog(rng))
    pg.add(traffic(rng, pg_line, START, MINUTES, 4200))
    pg.add(
        [
            at(
                START,
                6.2,
                "INFO",
                'automatic aggressive vacuum to prevent wraparound of table "ledger.public.postings": index scans: 1\n\tpages: 0 removed, 48211907 remain, 9120331 scanned (18.92% of total)\n\ttuples: 211044 removed, 1908223145 remain, 40110391 are dead but not yet removable\n\tremovable cutoff: 1718220111, which was 2031007310 XIDs old when operation ended\n\tfrozen: 0 pages from table (0.00% of total) had 0 tuples frozen',
            ),
            at(START, 6.25, "WARN", "oldest xmin is far in the past"),
            at(
                START,
                6.26,
                "HINT",
                "Close open transactions soon to avoid wraparound problems.\n\tYou might also need to commit or roll back old prepared transactions, or drop stale replication slots.",
            ),
            at(START, 14.0, "WARN", "checkpoints are occurring too frequently (24 seconds apart)"),
            at(
                START,
                14.01,
                "HINT",
                'Consider increasing the configuration parameter "max_wal_size".',
            ),
            at(START, 33.8, "INFO", "could not receive data from client: Connection reset by peer"),
            at(
                START,
                52.4,
                "INFO",
                'automatic aggressive vacuum to prevent wraparound of table "ledger.public.postings": index scans: 1\n\tpages: 0 removed, 48302115 remain, 9287790 scanned (19.23% of total)\n\ttuples: 198320 removed, 1911420082 remain, 43007118 are dead but not yet removable\n\tremovable cutoff: 1718220111, which was 2086410477 XIDs old when operation ended\n\tfrozen: 0 pages from table (0.00% of total) had 0 tuples frozen',
            ),
        ]
    )
    pg.add(loud(rng, START, WARNS, STOP - WARNS, 160, must_vacuum))
    pg.add(loud(rng, START, STOP, MINUTES - STOP - 0.5, 700, refused))
    api = LogFile(
        "logs/ledger-api.log",
        PythonLogging(("ledger.api.journals", "ledger.store.postings", "uvicorn.access"), rng=rng),
    )
    api.add(traffic(rng, api_line, START, STOP, 3000))
    api.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"GET /v1/accounts/{r.randrange(10**6)}/balance 200 {r.randrange(2, 40)}ms"
                ),
            ),
            START + timedelta(minutes=STOP),
            MINUTES - STOP,
            500,
        )
    )
    api.add(loud(rng, START, STOP + 0.02, MINUTES - STOP - 0.5, 520, api_error))
    psql = "\n".join(
        [
            "ledger=# SELECT datname, age(datfrozenxid) AS xid_age, current_setting('autovacuum_freeze_max_age') AS freeze_max FROM pg_database ORDER BY 2 DESC;",
            " datname  |  xid_age   | freeze_max",
            "----------+------------+------------",
            " ledger   | 2144480120 | 200000000",
            " postgres |   61208770 | 200000000",
            " template1|   61208770 | 200000000",
            "(3 rows)",
            "",
            "ledger=# SELECT pid, usename, application_name, client_addr, state, now() - xact_start AS xact_age, backend_xmin, left(query, 60) AS query FROM pg_stat_activity WHERE backend_xmin IS NOT NULL ORDER BY xact_start LIMIT 4;",
            "  pid   |   usename   | application_name | client_addr |        state        |     xact_age     | backend_xmin |                            query",
            "--------+-------------+------------------+-------------+---------------------+------------------+--------------+--------------------------------------------------------------",
            ' 418822 | bi_reader   | Metabase v0.50.8 | 10.8.7.31   | idle in transaction | 2 days 04:51:37  |   1718220111 | SELECT "public"."postings"."account_id" AS "account_id", sum(',
            " 997104 | ledger_app  | ledger-api-4     | 10.8.3.118  | active              | 00:00:00.412     |   3862700231 | INSERT INTO postings (journal_id, account_id, amount_minor, c",
            " 997311 | ledger_app  | ledger-api-9     | 10.8.4.22   | active              | 00:00:00.108     |   3862700102 | INSERT INTO postings (journal_id, account_id, amount_minor, c",
            "(3 rows)",
            "",
            "ledger=# SELECT slot_name, active, xmin, catalog_xmin FROM pg_replication_slots;",
            "   slot_name    | active | xmin | catalog_xmin",
            "----------------+--------+------+--------------",
            " pg_ledger_02   | t      |      |",
            "(1 row)",
            "",
            "ledger=# SELECT count(*) FROM pg_prepared_xacts;",
            " count",
            "-------",
            "     0",
            "(1 row)",
            "",
        ]
    )
    notes = "\n".join(
        [
            "## ledger writes failing (12:40 UTC)",
            "",
            "- ledger-api returns 503 on every POST /v1/journals since ~12:31; balance reads still work.",
            "- 12:05: replica pg-ledger-02 lag alert fired (14 s) and cleared by itself at 12:09.",
            "- Bulk import of Q2 reconciliation running since Monday (about 20k commits/s at peak).",
            "- Nothing deployed to ledger-api since last Thursday.",
            "",
        ]
    )
    return Bundle(
        question="Since 12:31 UTC every journal posting to ledger-api fails with 503 while reads still work. What is the root cause?",
        category="database",
        component="pg-ledger-01",
        statement="On pg-ledger-01 a Metabase session has been idle in transaction for over two days holding backend_xmin 1718220111, so autovacuum cannot freeze past it; under the bulk import the ledger database's XID age reached the wraparound limit and from 12:31 UTC PostgreSQL refuses every command that needs a new transaction ID.",
        files={
            "notes.md": notes,
            "psql-pg-ledger-01.txt": psql,
            "logs/pg-ledger-01-postgresql.log": pg.render(),
            "logs/ledger-api.log": api.render(),
        },
        proofs=[
            Proof("psql-pg-ledger-01.txt", "| idle in transaction | 2 days 04:51:37"),
            Proof("logs/pg-ledger-01-postgresql.log", "oldest xmin is far in the past"),
            Proof(
                "logs/pg-ledger-01-postgresql.log",
                "removable cutoff: 1718220111, which was 2031007310",
            ),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "Connection reset by peer",
            "replica pg-ledger-02 lag alert",
        ],
    )
