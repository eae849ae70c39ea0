# ruff: noqa: E501
# Hand-written log lines and psql output are data, kept whole on one line.
"""billing-api's 14:02 deploy runs Django migration 0087, which changes billing_invoice.amount
to numeric(14,2): PostgreSQL rewrites the 41-million-row table under an ACCESS EXCLUSIVE lock.
Every read and write of invoices queues behind it (log_lock_waits shows the queue), requests
hit the 15 s statement timeout, gunicorn workers time out, the pool of connections fills and
nginx answers 502/504. The pasted pg_stat_activity and pg_locks show who holds the lock."""

import random
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, PythonLogging, Record, space_millis
from scenes import at, fixed, loud, python_traceback
from traffic import Line, traffic

START = datetime(2025, 6, 12, 13, 40, tzinfo=UTC)
DDL = 22.18
MINUTES = 44.0
HOLDER = 27190
DDL_TEXT = 'ALTER TABLE "billing_invoice" ALTER COLUMN "amount" TYPE numeric(14, 2) USING "amount"::numeric(14, 2)'
QUERIES = [
    'SELECT "billing_invoice"."id", "billing_invoice"."account_id", "billing_invoice"."amount", "billing_invoice"."status" FROM "billing_invoice" WHERE "billing_invoice"."account_id" = $1 ORDER BY "billing_invoice"."issued_at" DESC LIMIT 21',
    'UPDATE "billing_invoice" SET "status" = $1, "paid_at" = $2 WHERE "billing_invoice"."id" = $3',
    'INSERT INTO "billing_invoice" ("account_id", "amount", "currency", "status", "issued_at") VALUES ($1, $2, $3, $4, $5) RETURNING "billing_invoice"."id"',
]


@dataclass
class PostgresWithApp:
    """PostgreSQL stderr log with `log_line_prefix = '%m [%p] %q%u@%d app=%a '`; trailer lines
    (DETAIL, STATEMENT) repeat the prefix as PostgreSQL writes them."""

    rng: random.Random
    pids: list[int] = field(default_factory=list)

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "LOG", "WARN": "WARNING", "FATAL": "FATAL"}.get(record.level, "ERROR")
        pid, who = (
            record.logger or f"{self.rng.randrange(20000, 40000)}|billing@billing app=billing-api"
        ).split("|")
        prefix = f"{space_millis(record.time)} UTC [{pid}] {who} "
        return [
            f"{prefix}{level}:  {record.message}",
            *(f"{prefix}{line}" for line in record.trailer),
        ]


def chatter(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f'duration: {rng.uniform(1000, 1900):.3f} ms  execute <unnamed>: SELECT "reports_daily"."day", SUM("reports_daily"."total") FROM "reports_daily" WHERE "reports_daily"."day" >= $1 GROUP BY 1',
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f'automatic analyze of table "billing.public.{rng.choice(["billing_payment", "billing_account", "django_session"])}" avg read rate: {rng.uniform(0, 40):.3f} MB/s, avg write rate: {rng.uniform(0, 5):.3f} MB/s',
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"checkpoint complete: wrote {rng.randrange(400, 9000)} buffers ({rng.uniform(0.5, 9):.1f}%); 0 WAL file(s) added, 0 removed, {rng.randrange(1, 9)} recycled; write={rng.uniform(20, 270):.3f} s, sync={rng.uniform(0, 2):.3f} s, total={rng.uniform(20, 270):.3f} s",
            (),
        )
    return "ERROR", 'duplicate key value violates unique constraint "django_session_pkey"', ()


def lock_wait(rng: random.Random) -> Line:
    waiter = rng.randrange(28000, 32000)
    query = rng.choice(QUERIES)
    mode = "AccessShareLock" if query.startswith("SELECT") else "RowExclusiveLock"
    queue = ", ".join(str(rng.randrange(28000, 32000)) for _ in range(rng.randrange(6, 40)))
    return (
        "INFO",
        f"process {waiter} still waiting for {mode} on relation 16731 of database 16402 after {rng.uniform(1000.0, 1000.4):.3f} ms",
        (
            f"DETAIL:  Process holding the lock: {HOLDER}. Wait queue: {queue}.",
            f"STATEMENT:  {query}",
        ),
    )


def own_pid(records: list[Record]) -> list[Record]:
    """A lock-wait line is written by the waiting backend, so its prefix carries the waiter's pid."""
    return [
        replace(record, logger=f"{record.message.split()[1]}|billing@billing app=billing-api")
        for record in records
    ]


def timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        "canceling statement due to statement timeout",
        (f"STATEMENT:  {rng.choice(QUERIES)}",),
    )


def psql_notes() -> str:
    return f"""#incident-billing, 14:19 UTC - pasted by @dana from a psql session on billing-db-1 (primary)

billing=# SELECT pid, application_name, state, wait_event_type, wait_event, now() - xact_start AS xact_age, left(query, 70) AS query
billing-#   FROM pg_stat_activity WHERE datname = 'billing' ORDER BY xact_start NULLS LAST LIMIT 12;
  pid  | application_name | state  | wait_event_type |  wait_event   |    xact_age     |                                 query
-------+------------------+--------+-----------------+---------------+-----------------+------------------------------------------------------------------------
 {HOLDER} | migrate          | active | IO              | DataFileWrite | 00:16:52.418213 | ALTER TABLE "billing_invoice" ALTER COLUMN "amount" TYPE numeric(14, 2
 28411 | billing-api      | active | Lock            | relation      | 00:16:49.107822 | SELECT "billing_invoice"."id", "billing_invoice"."account_id", "billin
 28417 | billing-api      | active | Lock            | relation      | 00:16:48.990216 | UPDATE "billing_invoice" SET "status" = $1, "paid_at" = $2 WHERE "bill
 28502 | billing-worker   | active | Lock            | relation      | 00:16:31.554907 | UPDATE "billing_invoice" SET "status" = $1, "paid_at" = $2 WHERE "bill
 29133 | billing-api      | active | Lock            | relation      | 00:00:14.882301 | SELECT "billing_invoice"."id", "billing_invoice"."account_id", "billin
 29141 | billing-api      | active | Lock            | relation      | 00:00:14.610044 | INSERT INTO "billing_invoice" ("account_id", "amount", "currency", "st
 29150 | billing-api      | active | Lock            | relation      | 00:00:13.977120 | SELECT "billing_invoice"."id", "billing_invoice"."account_id", "billin
 29162 | billing-api      | active | Lock            | relation      | 00:00:12.402561 | SELECT "billing_invoice"."id", "billing_invoice"."account_id", "billin
 29170 | reports          | active | Lock            | relation      | 00:00:11.860337 | SELECT count(*) FROM "billing_invoice" WHERE "billing_invoice"."status
 29188 | billing-api      | active | Lock            | relation      | 00:00:09.531907 | UPDATE "billing_invoice" SET "status" = $1, "paid_at" = $2 WHERE "bill
 29203 | billing-api      | active | Lock            | relation      | 00:00:08.114630 | SELECT "billing_invoice"."id", "billing_invoice"."account_id", "billin
 29214 | billing-api      | active | Lock            | relation      | 00:00:06.870245 | SELECT "billing_invoice"."id", "billing_invoice"."account_id", "billin
(12 rows)

billing=# SELECT count(*), state, wait_event_type FROM pg_stat_activity GROUP BY 2, 3 ORDER BY 1 DESC;
 count | state  | wait_event_type
-------+--------+-----------------
   171 | active | Lock
    19 | idle   | Client
     6 |        | Activity
     1 | active | IO
     1 | active |
(5 rows)

billing=# SELECT l.pid, l.locktype, c.relname, l.mode, l.granted FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
billing-#   WHERE c.relname = 'billing_invoice' ORDER BY l.granted DESC, l.pid LIMIT 8;
  pid  | locktype |     relname     |        mode         | granted
-------+----------+-----------------+---------------------+---------
 {HOLDER} | relation | billing_invoice | AccessExclusiveLock | t
 28411 | relation | billing_invoice | AccessShareLock     | f
 28417 | relation | billing_invoice | RowExclusiveLock    | f
 28502 | relation | billing_invoice | RowExclusiveLock    | f
 29133 | relation | billing_invoice | AccessShareLock     | f
 29141 | relation | billing_invoice | RowExclusiveLock    | f
 29150 | relation | billing_invoice | AccessShareLock     | f
 29162 | relation | billing_invoice | AccessShareLock     | f
(8 rows)

billing=# SELECT pg_size_pretty(pg_total_relation_size('billing_invoice')), (SELECT reltuples::bigint FROM pg_class WHERE relname = 'billing_invoice');
 pg_size_pretty | reltuples
----------------+-----------
 61 GB          |  41388210
(1 row)

dana: max_connections is 200 and we're at 198, so we were about to bump it to 400 and restart. Holding off until someone looks.
"""


def api_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f'"GET /api/v2/accounts/{rng.randrange(10**6)}/invoices HTTP/1.1" 200 {rng.randrange(400, 9000)} {rng.randrange(8, 90)}ms',
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f'"POST /api/v2/invoices/{rng.randrange(10**7)}/pay HTTP/1.1" 200 {rng.randrange(100, 400)} {rng.randrange(20, 200)}ms',
            (),
        )
    return "INFO", f"payment webhook accepted provider=adyen event={rng.getrandbits(48):012x}", ()


def api_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"Internal Server Error: /api/v2/accounts/{rng.randrange(10**6)}/invoices",
        tuple(
            python_traceback(
                [
                    (
                        "/usr/local/lib/python3.12/site-packages/django/db/backends/utils.py",
                        105,
                        "_execute",
                        "return self.cursor.execute(sql, params)",
                    ),
                    (
                        "/usr/local/lib/python3.12/site-packages/psycopg/cursor.py",
                        732,
                        "execute",
                        "raise ex.with_traceback(None)",
                    ),
                ],
                "django.db.utils.OperationalError: canceling statement due to statement timeout",
            )
        ),
    )


def bundle() -> Bundle:
    rng = random.Random(1105)
    postgres = LogFile("postgresql-2025-06-12.log", PostgresWithApp(rng))
    postgres.add(traffic(rng, chatter, START, MINUTES, 900))
    postgres.add(
        [
            at(
                START,
                DDL - 0.2,
                "INFO",
                "connection authorized: user=billing_owner database=billing application_name=migrate SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)",
                logger=f"{HOLDER}|billing_owner@billing app=migrate",
            ),
            at(
                START,
                DDL,
                "INFO",
                f"statement: {DDL_TEXT}",
                logger=f"{HOLDER}|billing_owner@billing app=migrate",
            ),
        ]
    )
    postgres.add(own_pid(loud(rng, START, DDL + 0.02, MINUTES - DDL - 0.02, 1150, lock_wait)))
    postgres.add(loud(rng, START, DDL + 0.26, MINUTES - DDL - 0.26, 640, timeout))
    postgres.add(
        loud(
            rng,
            START,
            DDL + 9,
            MINUTES - DDL - 9,
            180,
            fixed(
                "FATAL",
                lambda r: (
                    "remaining connection slots are reserved for non-replication superuser connections"
                ),
            ),
        )
    )
    api = LogFile(
        "billing-api.log", PythonLogging(("gunicorn.access", "billing.payments"), rng=rng)
    )
    api.add(traffic(rng, api_line, START, MINUTES, 5200))
    api.add(loud(rng, START, DDL + 0.3, MINUTES - DDL - 0.3, 520, api_timeout))
    api.add(
        loud(
            rng,
            START,
            DDL + 1,
            MINUTES - DDL - 1,
            240,
            fixed("FATAL", lambda r: f"WORKER TIMEOUT (pid:{r.randrange(10, 400)})"),
        )
    )
    api.add(
        loud(
            rng,
            START,
            DDL + 9,
            MINUTES - DDL - 9,
            160,
            fixed(
                "ERROR",
                lambda r: (
                    "django.db.utils.OperationalError: connection failed: FATAL:  remaining connection slots are reserved for non-replication superuser connections"
                ),
            ),
        )
    )
    deploy = LogFile("ci-release-billing-api.log", PythonLogging(("deploy",), rng=rng))
    begin = START + timedelta(minutes=DDL - 0.45)
    deploy.add(
        [
            Record(
                begin,
                "INFO",
                "release billing-api v2025.06.12-1 (a93c1e7) started by github-actions",
                (),
                "deploy",
            ),
            Record(
                begin + timedelta(seconds=4),
                "INFO",
                "pre-deploy hook: python manage.py migrate --noinput",
                (),
                "deploy",
            ),
            Record(
                begin + timedelta(seconds=19),
                "INFO",
                "Operations to perform:",
                ("  Apply all migrations: admin, auth, billing, contenttypes, sessions",),
                "deploy",
            ),
            Record(
                begin + timedelta(seconds=19, milliseconds=40),
                "INFO",
                "Running migrations:",
                (),
                "deploy",
            ),
            Record(
                begin + timedelta(seconds=24),
                "INFO",
                "  Applying billing.0086_account_tax_region... OK",
                (),
                "deploy",
            ),
            Record(
                begin + timedelta(seconds=25),
                "INFO",
                "  Applying billing.0087_invoice_amount_precision...",
                (),
                "deploy",
            ),
            Record(
                begin + timedelta(minutes=10, seconds=25),
                "WARN",
                "pre-deploy hook still running after 600s",
                (),
                "deploy",
            ),
            Record(
                begin + timedelta(minutes=20, seconds=25),
                "WARN",
                "pre-deploy hook still running after 1200s",
                (),
                "deploy",
            ),
        ]
    )
    nginx = LogFile("nginx-access.log", NginxAccess(rng))
    nginx.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'"GET /api/v2/accounts/{r.randrange(10**6)}/invoices HTTP/1.1" 200 {r.randrange(400, 9000)} "-" "billing-web/5.2" 0.0{r.randrange(10, 99)}',
                (),
            ),
            START,
            MINUTES,
            3000,
        )
    )
    nginx.add(
        loud(
            rng,
            START,
            DDL + 0.5,
            MINUTES - DDL - 0.5,
            1300,
            fixed(
                "INFO",
                lambda r: (
                    f'"{r.choice(["GET /api/v2/accounts/" + str(r.randrange(10**6)) + "/invoices", "POST /api/v2/invoices/" + str(r.randrange(10**7)) + "/pay"])} HTTP/1.1" {r.choice([502, 504, 504])} 166 "-" "billing-web/5.2" {r.choice(["30.001", "30.002", "15.214"])}'
                ),
            ),
        )
    )
    return Bundle(
        question="Billing API is timing out and Postgres is nearly out of connections since about 14:03 UTC. Should we raise max_connections?",
        category="database",
        component="postgres",
        statement="Migration 0087 from the 14:02 UTC billing-api deploy runs ALTER TABLE billing_invoice ALTER COLUMN amount TYPE numeric(14, 2), which rewrites the 41-million-row table while holding an ACCESS EXCLUSIVE lock, so every query on billing_invoice waits behind it until the statement timeout and the waiting sessions use up the connections.",
        files={
            "postgresql-2025-06-12.log": postgres.render(),
            "billing-api.log": api.render(),
            "ci-release-billing-api.log": deploy.render(),
            "nginx-access.log": nginx.render(),
            "psql-notes.txt": psql_notes(),
        },
        proofs=[
            Proof("postgresql-2025-06-12.log", f"statement: {DDL_TEXT}"),
            Proof("psql-notes.txt", "| AccessExclusiveLock | t"),
            Proof("psql-notes.txt", f" {HOLDER} | migrate"),
        ],
        decoys=[
            "remaining connection slots are reserved",
            "WORKER TIMEOUT",
            "canceling statement due to statement timeout",
        ],
    )
