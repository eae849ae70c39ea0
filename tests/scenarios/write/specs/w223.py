# ruff: noqa: E501
# Hand-written log lines, pasted psql output and notes are data, kept whole on one line.
"""PostgreSQL, permission: a compliance script run a year ago set `VALID UNTIL '2025-07-01
00:00:00+00'` on warehouse-db's login role `reporting`. At midnight the password expired; the
password itself is unchanged, so every new connection of report-builder and of the BI tool now
fails with `password authentication failed for user "reporting"`, and only the server log's
DETAIL line says "User "reporting" has an expired password." Connections opened before midnight
keep working, so the first failures are scattered, then total once the pools recycle. Loud:
report-builder's failed nightly jobs and stale dashboards. Decoys: yesterday's Vault rotation
of the `etl_loader` credentials, a pg_hba.conf reload at 23:52 for a new subnet, and a
monitoring probe without a pg_hba entry that has failed for weeks."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Logfmt, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 6, 30, 21, 0, tzinfo=UTC)
END = datetime(2025, 7, 1, 7, 30, tzinfo=UTC)
EXPIRY = datetime(2025, 7, 1, 0, 0, tzinfo=UTC)


@dataclass
class PgLog:
    """PostgreSQL 16 stderr log, `log_line_prefix = '%m [%p] %q%u@%d '`; DETAIL and HINT lines carry the same prefix."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "LOG", "WARN": "WARNING", "ERROR": "ERROR", "FATAL": "FATAL"}[record.level]
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d} UTC"
        )
        pid = self.rng.randrange(100000, 999999)
        who = f"{record.logger} " if record.logger else ""
        return [
            f"{stamp} [{pid}] {who}{level}:  {record.message}",
            *(f"{stamp} [{pid}] {who}{extra}" for extra in record.trailer),
        ]


def server_line(rng: random.Random) -> Line:
    roll = rng.random()
    user = rng.choice(["reporting", "reporting", "etl_loader", "bi_reader", "app_ro"])
    host = f"10.50.{rng.randrange(3, 9)}.{rng.randrange(10, 200)}"
    if roll < 0.35:
        return "INFO", f"connection received: host={host} port={rng.randrange(30000, 60000)}", ()
    if roll < 0.65:
        return (
            "INFO",
            f'connection authenticated: identity="{user}" method=scram-sha-256 (/etc/postgresql/16/main/pg_hba.conf:112)',
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"disconnection: session time: {rng.randrange(0, 3)}:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(1000):03d} user={user} database=warehouse host={host} port={rng.randrange(30000, 60000)}",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"checkpoint complete: wrote {rng.randrange(100, 9000)} buffers ({rng.uniform(0.1, 6):.1f}%); 0 WAL file(s) added, 0 removed, {rng.randrange(1, 9)} recycled; write={rng.uniform(10, 270):.3f} s, sync={rng.uniform(0, 2):.3f} s, total={rng.uniform(10, 270):.3f} s",
            (),
        )
    return (
        "INFO",
        f"duration: {rng.uniform(1000, 60000):.3f} ms  statement: SELECT d.day, sum(f.amount) FROM fact_orders f JOIN dim_date d ON d.id = f.date_id WHERE d.day >= $1 GROUP BY d.day",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(2223)
    total = (END - START).total_seconds() / 60
    expiry = (EXPIRY - START).total_seconds() / 60

    pg = LogFile("logs/warehouse-db-postgresql.log", PgLog(rng))
    pg.add(traffic(rng, server_line, START, expiry, 1300))
    after = [
        r
        for r in traffic(rng, server_line, EXPIRY, total - expiry, 1500)
        if 'identity="reporting"' not in r.message and "user=reporting" not in r.message
    ]
    pg.add(after)

    def expired(r: random.Random) -> Line:
        return (
            "FATAL",
            'password authentication failed for user "reporting"',
            (
                'DETAIL:  User "reporting" has an expired password.',
                'Connection matched file "/etc/postgresql/16/main/pg_hba.conf" line 112: "hostssl  all  all  10.50.0.0/16  scram-sha-256"',
            ),
        )

    failures = loud(rng, START, expiry + 0.6, total - expiry - 1, 610, expired)
    pg.add([Record(r.time, r.level, r.message, r.trailer, "reporting@warehouse") for r in failures])
    probe = loud(
        rng,
        START - timedelta(hours=1),
        0,
        total + 60,
        60,
        fixed(
            "FATAL",
            lambda r: (
                'no pg_hba.conf entry for host "10.9.1.4", user "monitoring", database "postgres", SSL encryption'
            ),
        ),
    )
    pg.add([Record(r.time, r.level, r.message, r.trailer, "monitoring@postgres") for r in probe])
    pg.add(
        [
            at(START, 172.0, "INFO", "received SIGHUP, reloading configuration files"),
            at(
                START,
                172.02,
                "INFO",
                'pg_hba.conf line 118: added "hostssl warehouse bi_reader 10.58.0.0/20 scram-sha-256"',
            ),
        ]
    )

    builder = LogFile("logs/report-builder.log", Logfmt("report-builder", rng=rng))
    builder.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"job {r.choice(['daily_sales', 'inventory_aging', 'returns_by_region', 'ad_spend'])} step={r.choice(['extract', 'render', 'upload'])} ok rows={r.randrange(100, 90000)} took={r.randrange(1, 300)}s",
                        f"pool stats open=8 idle={r.randrange(0, 8)} wait_count=0",
                        f"uploaded s3://acme-reports/{r.choice(['daily', 'weekly'])}/{r.getrandbits(32):08x}.pdf",
                    ]
                ),
                (),
            ),
            START,
            expiry + 70,
            900,
        )
    )
    builder.add(
        loud(
            rng,
            START,
            expiry + 35,
            total - expiry - 36,
            420,
            fixed(
                "ERROR",
                lambda r: (
                    f'job {r.choice(["daily_sales", "inventory_aging", "returns_by_region", "ad_spend", "finance_close"])} failed: failed to connect to `host=warehouse-db.internal user=reporting database=warehouse`: failed SASL auth (FATAL: password authentication failed for user "reporting" (SQLSTATE 28P01))'
                ),
            ),
        )
    )
    builder.add(
        loud(
            rng,
            START,
            expiry + 70,
            total - expiry - 71,
            120,
            fixed(
                "WARN",
                lambda r: (
                    f"job {r.choice(['daily_sales', 'inventory_aging', 'returns_by_region'])} retry {r.randrange(1, 6)}/5 in {r.choice([30, 60, 120, 240])}s"
                ),
            ),
        )
    )

    vault = "\n".join(
        [
            "$ vault audit excerpt (database secrets engine), 2025-06-30",
            '{"time":"2025-06-30T16:02:41.881Z","type":"response","auth":{"display_name":"approle-ops-rotation"},"request":{"operation":"update","path":"database/rotate-role/etl_loader"},"response":{"data":{}}}',
            '{"time":"2025-06-30T16:02:42.007Z","type":"response","auth":{"display_name":"approle-etl"},"request":{"operation":"read","path":"database/static-creds/etl_loader"},"response":{"data":{"last_vault_rotation":"2025-06-30T16:02:41.9Z","username":"etl_loader","ttl":2591999}}}',
            "",
        ]
    )
    notes = "\n".join(
        [
            "Data platform on-call, 07:30 UTC",
            "",
            "- All nightly report-builder jobs failed, dashboards in the BI tool show yesterday's numbers, BI tool gets 'password authentication failed' too.",
            "- The reporting password in the secret store is unchanged since March (checked: same version 14).",
            "- Vault rotated etl_loader yesterday afternoon (see vault-audit.txt), ETL loads ran fine overnight.",
            "- DBA reloaded pg_hba.conf at 23:52 to add the new BI subnet 10.58.0.0/20.",
            "",
            "warehouse=> \\du",
            "                                    List of roles",
            "  Role name  |                         Attributes",
            "-------------+------------------------------------------------------------",
            " app_ro      | ",
            " bi_reader   | ",
            " etl_loader  | ",
            " monitoring  | Cannot login",
            " postgres    | Superuser, Create role, Create DB, Replication, Bypass RLS",
            " reporting   | Password valid until 2025-07-01 00:00:00+00",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "vault-audit.txt": vault,
        "logs/warehouse-db-postgresql.log": pg.render(),
        "logs/report-builder.log": builder.render(),
    }
    return Bundle(
        question="Every nightly report failed and the BI tool can't log in since last night: 'password authentication failed for user reporting'. The password wasn't changed. What is the root cause?",
        category="permission",
        component="warehouse-db",
        statement="The login role reporting on warehouse-db had VALID UNTIL 2025-07-01 00:00:00+00; at midnight UTC its password expired, so every new connection of report-builder and the BI tool is rejected ('User \"reporting\" has an expired password') from about 00:01 UTC while the password itself is unchanged.",
        files=files,
        proofs=[
            Proof("notes.md", " reporting   | Password valid until 2025-07-01 00:00:00+00"),
        ],
        decoys=[
            "database/rotate-role/etl_loader",
            "received SIGHUP, reloading configuration files",
            'no pg_hba.conf entry for host "10.9.1.4"',
        ],
    )
