# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""PostgreSQL: the `audit_log` table of the accounts database was created years ago with
`id serial`, an int4 column whose sequence stops at 2147483647. At 11:26:41 UTC (12:26 CET) the
sequence reaches its maximum; every transaction that records an audit event (each login, token
refresh and profile change) fails with `nextval: reached maximum value of sequence
"audit_log_id_seq" (2147483647)`, accounts-api (Django) answers 500 and the edge nginx shows
logins failing for everybody, while reads still work. Decoys: an aggressive anti-wraparound
autovacuum running on audit_log (it sounds like transaction-ID wraparound, which is fine),
`checkpoints are occurring too frequently`, accounts-api 2.31.0 deployed at 10:52 UTC, and the
session Redis' reconnect warnings at 11:02."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, PythonLogging, Record, space_millis
from scenes import at, loud, python_traceback
from traffic import Line, traffic

CET = timezone(timedelta(hours=1))
START = datetime(2026, 2, 10, 10, 40, tzinfo=UTC)
LIMIT = datetime(2026, 2, 10, 11, 26, 41, 311000, tzinfo=UTC)
NOW = datetime(2026, 2, 10, 11, 58, tzinfo=UTC)


class PostgresStatements:
    """PostgreSQL's stderr log (`log_line_prefix = '%m [%p] '`); a record's logger can set the
    severity word (STATEMENT, DETAIL) and the process id as `WORD pid`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        if record.logger:
            word, pid = record.logger.split(" ")
        else:
            word = {
                "INFO": "LOG",
                "WARN": "WARNING",
                "ERROR": "ERROR",
                "FATAL": "FATAL",
                "DEBUG": "DEBUG",
            }[record.level]
            pid = str(self.rng.randrange(30000, 60000))
        return [
            f"{space_millis(record.time)} UTC [{pid}] {word}:  {record.message}",
            *record.trailer,
        ]


def pg_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f"connection authorized: user=accounts_app database=accounts application_name=accounts-api-{rng.randrange(1, 7)}",
            (),
        )
    if roll < 0.55:
        return (
            "INFO",
            f"disconnection: session time: 0:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(1000):03d} user=accounts_app database=accounts host=10.30.{rng.randrange(4, 8)}.{rng.randrange(2, 250)} port={rng.randrange(30000, 60000)}",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"duration: {rng.randrange(200, 900)}.{rng.randrange(1000):03d} ms  execute <unnamed>: SELECT a.id, a.email, a.status FROM accounts a WHERE a.email = $1",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"checkpoint complete: wrote {rng.randrange(2000, 30000)} buffers ({rng.random() * 9:.1f}%); 0 WAL file(s) added, 0 removed, {rng.randrange(3, 30)} recycled; write={rng.random() * 25:.3f} s, sync={rng.random():.3f} s, total={rng.random() * 26:.3f} s; sync files={rng.randrange(20, 200)}, longest={rng.random():.3f} s, average={rng.random() / 10:.3f} s; distance={rng.randrange(100000, 900000)} kB, estimate={rng.randrange(100000, 900000)} kB; lsn=4F1/{rng.getrandbits(32):08X}, redo lsn=4F1/{rng.getrandbits(32):08X}",
            (),
        )
    return (
        "INFO",
        f'automatic analyze of table "accounts.public.{rng.choice(["sessions", "refresh_tokens", "accounts"])}"',
        (),
    )


def app_line(rng: random.Random) -> Line:
    roll = rng.random()
    account = rng.randrange(10**6, 10**7)
    if roll < 0.3:
        return (
            "INFO",
            f'"POST /v1/login HTTP/1.1" 200 {rng.randrange(600, 900)} account={account} mfa={rng.choice(["none", "totp", "webauthn"])}',
            (),
        )
    if roll < 0.55:
        return (
            "INFO",
            f'"POST /v1/token/refresh HTTP/1.1" 200 {rng.randrange(500, 700)} account={account}',
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f'"GET /v1/profile HTTP/1.1" 200 {rng.randrange(1200, 4000)} account={account}',
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f'"PATCH /v1/profile HTTP/1.1" 200 {rng.randrange(1200, 4000)} account={account}',
            (),
        )
    return (
        "WARN",
        f'"POST /v1/login HTTP/1.1" 401 {rng.randrange(80, 120)} reason=bad_password attempts={rng.randrange(1, 5)}',
        (),
    )


def app_reads(rng: random.Random) -> Line:
    return (
        "INFO",
        f'"GET /v1/profile HTTP/1.1" 200 {rng.randrange(1200, 4000)} account={rng.randrange(10**6, 10**7)}',
        (),
    )


def app_failure(rng: random.Random) -> Line:
    path, view, line = rng.choice(
        [
            ("/v1/login", "login", 88),
            ("/v1/login", "login", 88),
            ("/v1/token/refresh", "refresh_token", 131),
            ("/v1/profile", "update_profile", 207),
        ]
    )
    frames = [
        (
            "/usr/local/lib/python3.12/site-packages/django/db/backends/utils.py",
            105,
            "_execute",
            "return self.cursor.execute(sql, params)",
        ),
        (
            "/usr/local/lib/python3.12/site-packages/psycopg/cursor.py",
            97,
            "execute",
            "raise ex.with_traceback(None)",
        ),
    ]
    trace = python_traceback(
        frames,
        'psycopg.errors.SequenceGeneratorLimitExceeded: nextval: reached maximum value of sequence "audit_log_id_seq" (2147483647)',
    )
    trace += ["", "The above exception was the direct cause of the following exception:", ""]
    trace += python_traceback(
        [
            (
                "/usr/local/lib/python3.12/site-packages/django/core/handlers/exception.py",
                55,
                "inner",
                "response = get_response(request)",
            ),
            (
                "/app/accounts/api/views.py",
                line,
                view,
                "audit.record(request.user, action=ACTION, request=request)",
            ),
            (
                "/app/accounts/audit/models.py",
                41,
                "record",
                "return AuditLog.objects.create(account=account, action=action, ip=ip, user_agent=agent)",
            ),
            (
                "/usr/local/lib/python3.12/site-packages/django/db/backends/utils.py",
                100,
                "_execute",
                "with self.db.wrap_database_errors:",
            ),
        ],
        'django.db.utils.DataError: nextval: reached maximum value of sequence "audit_log_id_seq" (2147483647)',
    )
    return "ERROR", f"Internal Server Error: {path}", tuple(trace)


def edge_ok(rng: random.Random) -> Line:
    path, method = rng.choice(
        [
            ("/v1/login", "POST"),
            ("/v1/token/refresh", "POST"),
            ("/v1/profile", "GET"),
            ("/v1/profile", "GET"),
            ("/v1/profile", "PATCH"),
            ("/v1/sessions", "GET"),
        ]
    )
    return (
        "INFO",
        f'"{method} {path} HTTP/2.0" 200 {rng.randrange(300, 4000)} "-" "{rng.choice(["AcmeApp/8.14.0 (iOS 18.2)", "AcmeApp/8.14.1 (Android 15)", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)"])}" rt={rng.randrange(8, 160) / 1000:.3f} urt={rng.randrange(7, 150) / 1000:.3f}',
        (),
    )


def edge_failed(rng: random.Random) -> Line:
    path, method = rng.choice(
        [
            ("/v1/login", "POST"),
            ("/v1/login", "POST"),
            ("/v1/token/refresh", "POST"),
            ("/v1/profile", "PATCH"),
        ]
    )
    return (
        "ERROR",
        f'"{method} {path} HTTP/2.0" 500 145 "-" "{rng.choice(["AcmeApp/8.14.0 (iOS 18.2)", "AcmeApp/8.14.1 (Android 15)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"])}" rt={rng.randrange(9, 60) / 1000:.3f} urt={rng.randrange(8, 55) / 1000:.3f}',
        (),
    )


def edge_reads(rng: random.Random) -> Line:
    return (
        "INFO",
        f'"GET /v1/profile HTTP/2.0" 200 {rng.randrange(1200, 4000)} "-" "AcmeApp/8.14.1 (Android 15)" rt={rng.randrange(8, 90) / 1000:.3f} urt={rng.randrange(7, 80) / 1000:.3f}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1156)
    total = (NOW - START).total_seconds() / 60
    limit = (LIMIT - START).total_seconds() / 60
    after = total - limit
    db = LogFile("postgresql-accounts-db-1.log", PostgresStatements(rng))
    db.add(traffic(rng, pg_line, START, total, 2100))
    vacuum = at(
        START,
        3.7,
        "INFO",
        'automatic aggressive vacuum to prevent wraparound of table "accounts.public.audit_log": index scans: 1',
    )
    db.add(
        [
            Record(
                vacuum.time,
                "INFO",
                vacuum.message,
                (
                    "\tpages: 0 removed, 18234411 remain, 1122871 scanned (6.16% of total)",
                    "\ttuples: 0 removed, 2147183309 remain, 0 are dead but not yet removable",
                ),
                "LOG 57396",
            ),
        ]
    )
    for minute, apart in ((17.2, 19), (41.9, 22)):
        checkpoint = at(
            START,
            minute,
            "INFO",
            f"checkpoints are occurring too frequently ({apart} seconds apart)",
        )
        db.add(
            [
                Record(checkpoint.time, "INFO", checkpoint.message, (), "LOG 1184"),
                Record(
                    checkpoint.time,
                    "INFO",
                    'Consider increasing the configuration parameter "max_wal_size".',
                    (),
                    "HINT 1184",
                ),
            ]
        )
    first_pid = "47213"
    db.add(
        [
            Record(
                LIMIT,
                "ERROR",
                'nextval: reached maximum value of sequence "audit_log_id_seq" (2147483647)',
                (),
                f"ERROR {first_pid}",
            ),
            Record(
                LIMIT + timedelta(microseconds=1),
                "ERROR",
                'INSERT INTO "audit_log" ("account_id", "action", "ip", "user_agent", "created_at") VALUES ($1, $2, $3, $4, $5) RETURNING "audit_log"."id"',
                (),
                f"STATEMENT {first_pid}",
            ),
        ]
    )
    for record in loud(rng, START, limit + 0.01, after - 0.1, 520, lambda r: ("ERROR", "", ())):
        pid = str(rng.randrange(30000, 60000))
        db.add(
            [
                Record(
                    record.time,
                    "ERROR",
                    'nextval: reached maximum value of sequence "audit_log_id_seq" (2147483647)',
                    (),
                    f"ERROR {pid}",
                ),
                Record(
                    record.time + timedelta(microseconds=1),
                    "ERROR",
                    'INSERT INTO "audit_log" ("account_id", "action", "ip", "user_agent", "created_at") VALUES ($1, $2, $3, $4, $5) RETURNING "audit_log"."id"',
                    (),
                    f"STATEMENT {pid}",
                ),
            ]
        )

    app = LogFile(
        "logs/accounts-api.log", PythonLogging(("django.server", "accounts.api"), rng=rng)
    )
    app.add(traffic(rng, app_line, START, limit, 2700, logger="django.server"))
    app.add(traffic(rng, app_reads, LIMIT, after - 0.05, 900, logger="django.server"))
    app.add(
        [
            Record(r.time, r.level, r.message, r.trailer, "django.request")
            for r in loud(rng, START, limit + 0.01, after - 0.1, 520, app_failure)
        ]
    )
    app.add(
        [
            at(
                START,
                12.1,
                "INFO",
                "Booting accounts-api 2.31.0 (gunicorn 23.0.0, 8 workers, DJANGO_SETTINGS_MODULE=accounts.settings.prod)",
                logger="accounts.boot",
            ),
            at(
                START,
                21.8,
                "WARN",
                "Error 104 while reading from socket: Connection reset by peer (redis://sessions-redis.accounts.svc:6379/0), reconnecting",
                logger="django_redis.client",
            ),
            at(
                START,
                21.83,
                "INFO",
                "reconnected to redis://sessions-redis.accounts.svc:6379/0",
                logger="django_redis.client",
            ),
        ]
    )
    edge = LogFile("logs/edge-nginx-access.log", NginxAccess(rng=rng, zone=CET))
    edge.add(traffic(rng, edge_ok, START, limit, 5200))
    edge.add(traffic(rng, edge_reads, LIMIT, after, 1500))
    edge.add(loud(rng, START, limit + 0.01, after - 0.1, 1900, edge_failed))
    notes = "\n".join(
        [
            "Incident channel #inc-login (times CET)",
            "",
            "12:29 support: app users get 'Something went wrong' at login, web too",
            "12:31 already logged-in users can browse their profile, saving changes fails",
            "12:33 accounts-api deploy 2.31.0 went out at 11:52, candidate for rollback? diff is only a translation update + gunicorn bump",
            "12:36 DB CPU 38%, connections 140/500, replication lag 0; autovacuum busy on audit_log since this morning (anti-wraparound)",
            "12:40 redis sessions had a blip at 12:02, fine since",
            "",
        ]
    )
    files = {
        "postgresql-accounts-db-1.log": db.render(),
        "logs/accounts-api.log": app.render(),
        "logs/edge-nginx-access.log": edge.render(),
        "notes.md": notes,
    }
    first = f"{space_millis(LIMIT)} UTC [{first_pid}] ERROR:"
    return Bundle(
        question="Nobody can log in since about 12:26 CET (the app shows 'Something went wrong'); profile pages still load but saving fails. What is the root cause?",
        category="data",
        component="audit_log",
        statement="The audit_log table's id is an int4 serial whose sequence audit_log_id_seq reached its maximum 2147483647 at 11:26:41 UTC (12:26 CET); since then every transaction that records an audit event (login, token refresh, profile change) fails with `nextval: reached maximum value of sequence`, so accounts-api answers 500 while reads keep working.",
        files=files,
        proofs=[Proof("postgresql-accounts-db-1.log", first, f"[{first_pid}] STATEMENT:")],
        decoys=[
            "automatic aggressive vacuum to prevent wraparound",
            "checkpoints are occurring too frequently",
            "Booting accounts-api 2.31.0",
            "Error 104 while reading from socket",
        ],
    )
