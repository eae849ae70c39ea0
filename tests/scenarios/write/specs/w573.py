# ruff: noqa: E501
# pgbouncer, PostgreSQL and logback lines and the pasted config diff are data, kept whole on one line.
"""PgBouncer, pool mode switched to transaction: a capacity change on pgb-ledger-01 (merged
as CHG-4471, reloaded at 13:52 Europe/Berlin) moved `pool_mode` from session to transaction to
squeeze more clients onto 40 server connections. The ledger-api's PostgreSQL JDBC driver uses
server-side prepared statements (prepareThreshold 5), which live on one server connection; with
transaction pooling the next transaction lands on another backend and the statements are
missing or already exist. From 14:00 the ledger-api answers 500 on postings. Decoys: a
checkpoint warning on PostgreSQL, a pgbouncer client login timeout from a monitoring probe, and
slow-request warnings in ledger-api."""

import random
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Postgres, Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import database_server, traffic, web_api

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 2, 17, 11, 30, tzinfo=ZoneInfo("UTC"))  # 12:30 CET
MINUTES = 170.0
RELOAD = 82.0  # 13:52 CET
BREAK = 90.0  # 14:00 CET


@dataclass
class PgBouncerLog:
    """pgbouncer's own log: local time with zone abbreviation, pid, level, message."""

    pid: int = 2241

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(BERLIN)
        stamp = (
            local.strftime("%Y-%m-%d %H:%M:%S.")
            + f"{local.microsecond // 1000:03d} {local.strftime('%Z')}"
        )
        level = {"INFO": "LOG", "WARN": "WARNING", "ERROR": "ERROR", "DEBUG": "DEBUG"}.get(
            record.level, "LOG"
        )
        return [f"{stamp} [{self.pid}] {level} {record.message}"]


def pgb_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    client = f"C-0x{rng.getrandbits(44):x}: ledger/ledger_app@10.44.{rng.randrange(2, 6)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 61000)}"
    if roll < 0.35:
        return (
            "INFO",
            f"{client} login attempt: db=ledger user=ledger_app tls=TLSv1.3/TLS_AES_256_GCM_SHA384",
            (),
        )
    if roll < 0.65:
        return (
            "INFO",
            f"{client} closing because: client close request (age={rng.randrange(1, 900)}s)",
            (),
        )
    if roll < 0.8:
        server = f"S-0x{rng.getrandbits(44):x}: ledger/ledger_app@10.44.9.21:5432"
        return (
            "INFO",
            f"{server} new connection to server (from 10.44.9.30:{rng.randrange(30000, 61000)})",
            (),
        )
    return (
        "INFO",
        f"stats: {rng.randrange(150, 420)} xacts/s, {rng.randrange(600, 1800)} queries/s, in {rng.randrange(90000, 300000)} B/s, out {rng.randrange(200000, 900000)} B/s, xact {rng.randrange(900, 2600)} us, query {rng.randrange(300, 900)} us, wait {rng.randrange(0, 40)} us",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(57301)
    pgb = LogFile("pgb-ledger-01/pgbouncer.log", PgBouncerLog())
    pgb.add(traffic(rng, pgb_line, START, MINUTES, 2600))
    pgb.add(
        [
            at(
                START,
                31.0,
                "WARN",
                "C-0x5581c3a0e2f0: (nodb)/(nouser)@10.44.1.7:40112 pooler error: client_login_timeout (server down)",
            ),
            at(START, RELOAD, "INFO", "got SIGHUP, re-reading config"),
            at(
                START,
                RELOAD + 0.03,
                "INFO",
                "max_client_conn=2000 default_pool_size=40 reserve_pool_size=5",
            ),
        ]
    )
    api = LogFile(
        "ledger-api/application.log",
        SpringBoot(
            (
                "c.k.ledger.web.PostingController",
                "c.k.ledger.repo.PostingRepository",
                "o.s.web.servlet.DispatcherServlet",
                "c.k.ledger.audit.AuditPublisher",
            ),
            pid=7,
            rng=rng,
            zone=BERLIN,
        ),
    )
    api.add(
        traffic(
            rng, web_api("ledger-api", ["postings", "accounts", "balances"]), START, MINUTES, 4200
        )
    )

    def missing(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        name = f"S_{r.randrange(1, 14)}"
        if r.random() < 0.7:
            head = f'org.postgresql.util.PSQLException: ERROR: prepared statement "{name}" does not exist'
        else:
            head = f'org.postgresql.util.PSQLException: ERROR: prepared statement "{name}" already exists'
        return (
            "ERROR",
            "Servlet.service() for servlet [dispatcherServlet] threw exception [Request processing failed: org.springframework.jdbc.UncategorizedSQLException: PreparedStatementCallback; uncategorized SQLException for SQL [insert into posting (account_id, amount, currency, booked_at) values (?, ?, ?, ?)]] with root cause",
            tuple(
                java_trace(
                    head,
                    [
                        "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)",
                        "org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2412)",
                        "org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:152)",
                        "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)",
                        "c.k.ledger.repo.PostingRepository.insert(PostingRepository.java:88)",
                    ],
                )
            ),
        )

    api.add(loud(rng, START, BREAK, MINUTES - BREAK - 1, 520, missing))
    api.add(
        loud(
            rng,
            START,
            BREAK,
            MINUTES - BREAK - 1,
            380,
            fixed(
                "WARN",
                lambda r: (
                    f"POST /api/v1/postings 500 {r.randrange(3, 40)}ms client=10.44.{r.randrange(2, 6)}.{r.randrange(2, 250)}"
                ),
            ),
        )
    )
    pg = LogFile("ledger-db/postgresql.log", Postgres(rng))
    pg.add(traffic(rng, database_server(), START, MINUTES, 2100))
    pg.add([at(START, 48.0, "WARN", "checkpoints are occurring too frequently (24 seconds apart)")])
    pg.add(
        loud(
            rng,
            START,
            BREAK,
            MINUTES - BREAK - 1,
            300,
            fixed("ERROR", lambda r: f'prepared statement "S_{r.randrange(1, 14)}" does not exist'),
        )
    )
    change = "\n".join(
        [
            "CHG-4471  pgb-ledger-01: raise client capacity for month-end",
            "Requested by: platform-db   Approved: 2026-02-16   Window: 2026-02-17 13:45-14:15 CET",
            "",
            "--- a/roles/pgbouncer/files/pgb-ledger-01.ini",
            "+++ b/roles/pgbouncer/files/pgb-ledger-01.ini",
            "@@ -12,9 +12,9 @@ [pgbouncer]",
            " listen_addr = 0.0.0.0",
            " listen_port = 6432",
            " auth_type = scram-sha-256",
            "-max_client_conn = 600",
            "+max_client_conn = 2000",
            "-pool_mode = session",
            "+pool_mode = transaction",
            " default_pool_size = 40",
            " reserve_pool_size = 5",
            " server_reset_query = DISCARD ALL",
            "",
            "Deployed 13:52 CET via `systemctl reload pgbouncer` (no client disconnects). Verification: SHOW POOLS ok.",
            "",
        ]
    )
    jdbc = "\n".join(
        [
            "# ledger-api 4.12.0 application-prod.yaml (excerpt)",
            "spring:",
            "  datasource:",
            "    url: jdbc:postgresql://pgb-ledger-01.db.internal:6432/ledger?prepareThreshold=5&ApplicationName=ledger-api",
            "    hikari:",
            "      maximum-pool-size: 30",
            "      max-lifetime: 1800000",
            "",
        ]
    )
    return Bundle(
        question="Since about 14:00 (Berlin time) ledger-api returns 500 on most POST /api/v1/postings. Nothing was deployed to ledger-api today. What is the root cause?",
        category="configuration",
        component="pgb-ledger-01",
        statement="Change CHG-4471 reloaded pgb-ledger-01 at 13:52 CET with pool_mode switched from session to transaction; ledger-api's JDBC driver uses server-side prepared statements, which do not survive being moved between server connections, so postings fail with 'prepared statement S_n does not exist / already exists'.",
        files={
            "pgb-ledger-01/pgbouncer.log": pgb.render(),
            "pgb-ledger-01/ansible-diff.txt": change,
            "ledger-api/application.log": api.render(),
            "ledger-api/application-prod.yaml": jdbc,
            "ledger-db/postgresql.log": pg.render(),
        },
        proofs=[
            Proof("pgb-ledger-01/pgbouncer.log", "got SIGHUP, re-reading config"),
            Proof("pgb-ledger-01/ansible-diff.txt", "+pool_mode = transaction"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "client_login_timeout (server down)",
            "slow request GET",
        ],
    )
