# ruff: noqa: E501
# Hand-written log lines and the pasted ansible run are data, kept whole on one line.
"""A config-management run at 09:13 UTC re-rendered pgbouncer.ini on db-proxy-1 with
`pool_mode = transaction` (it was `session`) while raising default_pool_size, and PgBouncer
reloaded it. billing-api uses pgjdbc's server-side prepared statements, which do not survive
transaction pooling: from 09:14 its queries fail with `prepared statement "S_n" does not exist`
or `already exists`, loudly in billing-api and again in PostgreSQL's log. Decoys: Postgres's
frequent-checkpoint warnings, billing-api's Hikari pool timeouts that follow the errors, and the
pool size change in the same diff."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Postgres, Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 6, 3, 8, 40, tzinfo=UTC)
RELOAD = 34.03
MINUTES = 75


class PgBouncerLog:
    """PgBouncer's log: `2024-06-03 09:14:02.118 UTC [1043] LOG message`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d} UTC"
        )
        level = {
            "INFO": "LOG",
            "WARN": "WARNING",
            "ERROR": "ERROR",
            "DEBUG": "LOG",
            "FATAL": "FATAL",
        }[record.level]
        return [f"{stamp} [1043] {level} {record.message}"]


def client(rng: random.Random) -> str:
    return f"C-0x55d2c8{rng.getrandbits(24):06x}: billing/billing_app@10.30.2.{rng.randrange(10, 40)}:{rng.randrange(32000, 61000)}"


def bouncer_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return "INFO", f"{client(rng)} login attempt: db=billing user=billing_app tls=no", ()
    if roll < 0.8:
        return (
            "INFO",
            f"{client(rng)} closing because: client close request (age={rng.randrange(1, 900)}s)",
            (),
        )
    return (
        "INFO",
        f"S-0x55d2c9{rng.getrandbits(24):06x}: billing/billing_app@10.30.0.8:5432 new connection to server (from 10.30.0.5:{rng.randrange(32000, 61000)})",
        (),
    )


def billing_line(rng: random.Random) -> Line:
    roll = rng.random()
    invoice = f"INV-{rng.randrange(2024000000, 2024999999)}"
    if roll < 0.4:
        return "INFO", f"GET /api/invoices/{invoice} 200 {rng.randrange(3, 60)}ms", ()
    if roll < 0.65:
        return (
            "INFO",
            f"Invoice {invoice} finalized for account {rng.randrange(10**5, 10**6)} total={rng.randrange(10, 9000)}.{rng.randrange(100):02d} EUR",
            (),
        )
    if roll < 0.85:
        return "INFO", f"POST /api/payments/capture 200 {rng.randrange(30, 300)}ms psp=stripe", ()
    if roll < 0.97:
        return (
            "DEBUG",
            f"usage records ingested account={rng.randrange(10**5, 10**6)} count={rng.randrange(1, 400)}",
            (),
        )
    return (
        "WARN",
        f"Dunning e-mail for account {rng.randrange(10**5, 10**6)} deferred: mail relay busy (421 4.7.0 Try again later)",
        (),
    )


def prepared_error(rng: random.Random) -> Line:
    number = rng.randrange(1, 24)
    if rng.random() < 0.7:
        message = f'ERROR: prepared statement "S_{number}" does not exist'
    else:
        message = f'ERROR: prepared statement "S_{number}" already exists'
    return (
        "ERROR",
        f"Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.dao.DataAccessResourceFailureException: PreparedStatementCallback; SQL [select i.id, i.status, i.total_cents from invoices i where i.account_id = ? and i.period = ?]; {message}] with root cause",
        tuple(
            java_trace(
                f"org.postgresql.util.PSQLException: {message}",
                [
                    "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)",
                    "org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2412)",
                    "org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:371)",
                    "org.postgresql.jdbc.PgStatement.executeInternal(PgStatement.java:502)",
                    "org.postgresql.jdbc.PgPreparedStatement.executeQuery(PgPreparedStatement.java:137)",
                    "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery(HikariProxyPreparedStatement.java)",
                    "io.lumen.billing.invoices.InvoiceRepository.findForPeriod(InvoiceRepository.java:88)",
                ],
                more=0,
            )
        ),
    )


def postgres_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"duration: {rng.randrange(1000, 4000)}.{rng.randrange(1000):03d} ms  execute S_{rng.randrange(1, 24)}: select i.id, i.status, i.total_cents from invoices i where i.account_id = $1 and i.period = $2",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f'automatic analyze of table "billing.public.usage_records" system usage: CPU: user: {rng.randrange(1, 9)}.{rng.randrange(100):02d} s, system: 0.{rng.randrange(10, 99)} s, elapsed: {rng.randrange(5, 30)}.{rng.randrange(100):02d} s',
            (),
        )
    return (
        "INFO",
        f"checkpoint complete: wrote {rng.randrange(4000, 40000)} buffers ({rng.randrange(1, 30)}.{rng.randrange(10)}%); 0 WAL file(s) added, {rng.randrange(0, 9)} removed, {rng.randrange(9, 30)} recycled; write={rng.randrange(10, 27)}.{rng.randrange(1000):03d} s, sync=0.{rng.randrange(100, 999)} s, total={rng.randrange(27, 30)}.{rng.randrange(1000):03d} s",
        (),
    )


ANSIBLE = """PLAY [db proxies] **************************************************************

TASK [Gathering Facts] *********************************************************
ok: [db-proxy-1]

TASK [pgbouncer : install packages] ********************************************
ok: [db-proxy-1]

TASK [pgbouncer : render userlist.txt] *****************************************
ok: [db-proxy-1]

TASK [pgbouncer : render pgbouncer.ini] ****************************************
--- before: /etc/pgbouncer/pgbouncer.ini
+++ after: /home/deploy/.ansible/tmp/ansible-local-48211k3v0qzt1/tmpx8c2n4pd/pgbouncer.ini.j2
@@ -12,12 +12,12 @@
 listen_addr = 0.0.0.0
 listen_port = 6432
 auth_type = scram-sha-256
 auth_file = /etc/pgbouncer/userlist.txt
 admin_users = pgbouncer_admin
 stats_users = pgbouncer_stats, datadog
-pool_mode = session
+pool_mode = transaction
 max_client_conn = 2000
-default_pool_size = 20
+default_pool_size = 60
 reserve_pool_size = 5
 server_idle_timeout = 300
 server_lifetime = 3600
 log_connections = 1

changed: [db-proxy-1]

RUNNING HANDLER [pgbouncer : reload pgbouncer] *********************************
changed: [db-proxy-1]

PLAY RECAP *********************************************************************
db-proxy-1                 : ok=5    changed=2    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0

"""


def bundle() -> Bundle:
    rng = random.Random(1115)
    billing = LogFile(
        "logs/billing-api.log",
        SpringBoot(
            (
                "io.lumen.billing.invoices.InvoiceService",
                "io.lumen.billing.web.RequestLog",
                "io.lumen.billing.payments.CaptureService",
            ),
            pid=1,
            rng=rng,
        ),
    )
    billing.add(traffic(rng, billing_line, START, MINUTES, 3600))
    billing.add(loud(rng, START, RELOAD + 0.2, MINUTES - RELOAD - 0.3, 520, prepared_error))
    billing.add(
        loud(
            rng,
            START,
            RELOAD + 6,
            20,
            48,
            fixed(
                "WARN",
                lambda r: (
                    f"HikariPool-1 - Connection is not available, request timed out after 30000ms (total={r.randrange(18, 21)}, active={r.randrange(18, 21)}, idle=0, waiting={r.randrange(20, 90)})"
                ),
            ),
        )
    )
    bouncer = LogFile("logs/pgbouncer.log", PgBouncerLog())
    bouncer.add(traffic(rng, bouncer_line, START, MINUTES, 1400))
    bouncer.add(
        [
            at(
                START,
                minute + 0.001,
                "INFO",
                f"stats: {rng.randrange(300, 420)} xacts/s, {rng.randrange(1200, 1700)} queries/s, in {rng.randrange(700000, 900000)} B/s, out {rng.randrange(2000000, 2600000)} B/s, xact {rng.randrange(1800, 2600)} us, query {rng.randrange(400, 600)} us, wait {rng.randrange(5, 30)} us",
            )
            for minute in range(0, MINUTES)
        ]
    )
    bouncer.add(
        [
            at(START, RELOAD, "INFO", "got SIGHUP, re-reading config"),
            at(START, RELOAD + 0.01, "INFO", "RELOAD command issued"),
        ]
    )
    postgres = LogFile("logs/postgresql-15-main.log", Postgres(rng=rng))
    postgres.add(traffic(rng, postgres_line, START, MINUTES, 600))
    postgres.add(
        loud(
            rng,
            START,
            RELOAD + 0.2,
            MINUTES - RELOAD - 0.3,
            420,
            fixed("ERROR", lambda r: f'prepared statement "S_{r.randrange(1, 24)}" does not exist'),
        )
    )
    postgres.add(
        loud(
            rng,
            START,
            3,
            MINUTES - 4,
            12,
            fixed(
                "INFO",
                lambda r: (
                    f"checkpoints are occurring too frequently ({r.randrange(14, 28)} seconds apart)"
                ),
            ),
        )
    )
    return Bundle(
        question="billing-api started throwing database errors at about 09:14 UTC and invoices fail to load; nothing was deployed to billing-api today. What is the root cause?",
        category="configuration",
        component="pgbouncer",
        statement="At 09:13-09:14 UTC a config-management run changed PgBouncer on db-proxy-1 from pool_mode = session to pool_mode = transaction and reloaded it; billing-api's server-side prepared statements (pgjdbc S_n) then land on other server connections, so its queries fail with 'prepared statement \"S_n\" does not exist' or 'already exists'.",
        files={
            "ansible-run-2024-06-03T0913.txt": ANSIBLE,
            "logs/billing-api.log": billing.render(),
            "logs/pgbouncer.log": bouncer.render(),
            "logs/postgresql-15-main.log": postgres.render(),
        },
        proofs=[
            Proof("ansible-run-2024-06-03T0913.txt", "+pool_mode = transaction"),
            Proof("logs/pgbouncer.log", "RELOAD command issued"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "Connection is not available, request timed out",
            "+default_pool_size = 60",
            "421 4.7.0 Try again later",
        ],
    )
