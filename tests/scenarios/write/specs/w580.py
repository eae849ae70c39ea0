# ruff: noqa: E501
# nginx, Python and journald lines and the pasted shell session are data, kept whole on one line.
"""Host, name lookups short-circuited by mDNS: report-app-03 was rebuilt on Monday from the
new Ubuntu base image, which ships libnss-mdns and avahi. Its /etc/nsswitch.conf reads
`hosts: files mdns4_minimal [NOTFOUND=return] dns`, and the internal zone is `corp.local`, so
every `*.corp.local` lookup through glibc is answered by mDNS (nothing) and never reaches DNS.
`dig` works; the report service cannot resolve its database, and a third of report requests
(those balanced to report-app-03) fail. Decoys: systemd-resolved's degraded feature set
warning, one slow report upstream timeout on report-app-01, and a PostgreSQL autovacuum
warning."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, Postgres, PythonLogging, Record
from scenes import at, fixed, loud, python_traceback
from traffic import database_server, host_traffic, traffic

EASTERN = ZoneInfo("America/New_York")
START = datetime(2026, 9, 21, 12, 0, tzinfo=UTC)  # 08:00 EDT
MINUTES = 240.0
BACK = 75.0  # report-app-03 back in the pool at 13:15 UTC


def bundle() -> Bundle:
    rng = random.Random(58008)
    access = LogFile("lb-reports/access.log", NginxAccess(rng, zone=EASTERN))

    def ok(r: random.Random, upstream: str) -> tuple[str, str, tuple[str, ...]]:
        path = r.choice(
            [
                "/reports/monthly/{}",
                "/reports/export/{}.xlsx",
                "/reports/status/{}",
                "/static/app.js",
            ]
        ).format(r.randrange(10**5))
        status = r.choices([200, 202, 304, 404], [80, 10, 7, 3])[0]
        return (
            "INFO",
            f'"GET {path} HTTP/1.1" {status} {r.randrange(300, 90000)} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {r.uniform(0.05, 3.2):.3f} upstream={upstream}',
            (),
        )

    access.add(
        traffic(
            rng,
            lambda r: ok(r, r.choice(["10.12.4.21:8000", "10.12.4.22:8000"])),
            START,
            MINUTES,
            3600,
        )
    )
    access.add(
        traffic(
            rng,
            lambda r: ok(r, "10.12.4.23:8000"),
            START + timedelta(minutes=BACK),
            MINUTES - BACK,
            300,
        )
    )
    access.add(
        loud(
            rng,
            START,
            BACK + 0.5,
            MINUTES - BACK - 1,
            1500,
            fixed(
                "ERROR",
                lambda r: (
                    f'"GET /reports/{r.choice(["monthly", "export"])}/{r.randrange(10**5)} HTTP/1.1" 500 187 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {r.uniform(0.01, 0.09):.3f} upstream=10.12.4.23:8000'
                ),
            ),
        )
    )
    errors = LogFile("lb-reports/error.log", NginxError(rng))
    errors.add(
        [
            at(
                START,
                140.0,
                "ERROR",
                'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.40.2.77, server: reports.corp.local, request: "GET /reports/export/88412.xlsx HTTP/1.1", upstream: "http://10.12.4.21:8000/reports/export/88412.xlsx", host: "reports.corp.local"',
            )
        ]
    )
    app = LogFile(
        "report-app-03/reportsvc.log",
        PythonLogging(
            ("reportsvc.views", "reportsvc.render", "reportsvc.db", "gunicorn.error"), rng
        ),
    )
    app.add(
        [
            at(START, BACK - 0.4, "INFO", "Starting gunicorn 22.0.0", logger="gunicorn.error"),
            at(
                START,
                BACK - 0.38,
                "INFO",
                "Listening at: http://0.0.0.0:8000 (1142)",
                logger="gunicorn.error",
            ),
        ]
    )
    app.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"rendered report {r.randrange(10**5)} ({r.choice(['static', 'cached'])}) in {r.randrange(20, 400)}ms",
                (),
            ),
            START + timedelta(minutes=BACK),
            MINUTES - BACK,
            350,
        )
    )

    def cannot(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "ERROR",
            f"Internal Server Error: /reports/{r.choice(['monthly', 'export'])}/{r.randrange(10**5)}",
            tuple(
                python_traceback(
                    [
                        (
                            "/srv/reportsvc/reportsvc/views.py",
                            58,
                            "monthly",
                            "rows = fetch_rows(report_id)",
                        ),
                        (
                            "/srv/reportsvc/reportsvc/db.py",
                            31,
                            "fetch_rows",
                            "with pool.connection() as conn:",
                        ),
                        (
                            "/srv/reportsvc/.venv/lib/python3.12/site-packages/psycopg/connection.py",
                            119,
                            "connect",
                            "raise last_ex.with_traceback(None)",
                        ),
                    ],
                    'psycopg.OperationalError: [Errno -2] Name or service not known (host "pgdb-02.corp.local")'
                    if r.random() < 0.5
                    else 'psycopg.OperationalError: connection failed: could not translate host name "pgdb-02.corp.local" to address: Name or service not known',
                )
            ),
        )

    app.add(loud(rng, START, BACK + 0.5, MINUTES - BACK - 1, 700, cannot))
    for index, record in enumerate(app.records):
        if record.message.startswith("Internal Server Error"):
            app.records[index] = Record(
                record.time, record.level, record.message, record.trailer, "reportsvc.views"
            )
    journal_records = host_traffic(rng, START - timedelta(hours=3), MINUTES + 180, 900)
    journal_records += [
        at(
            START,
            BACK - 2.6,
            "INFO",
            "Cloud-init v. 24.1.3-0ubuntu3 finished at Mon, 21 Sep 2026 13:12:27 +0000. Datasource DataSourceNoCloud [seed=/dev/sr0].  Up 41.28 seconds",
            logger="cloud-init[988]",
        ),
        at(
            START,
            BACK - 3.1,
            "INFO",
            "Server startup complete. Host name is report-app-03.local. Local service cookie is 3166118920.",
            logger="avahi-daemon[612]",
        ),
        at(
            START,
            BACK - 3.2,
            "INFO",
            "Joining mDNS multicast group on interface ens18.IPv4 with address 10.12.4.23.",
            logger="avahi-daemon[612]",
        ),
        at(
            START,
            BACK - 1.0,
            "WARN",
            "Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 10.12.0.53.",
            logger="systemd-resolved[540]",
        ),
    ]
    journal = "".join(
        f"{r.time.strftime('%Y-%m-%dT%H:%M:%S+0000')} report-app-03 {r.logger}: {r.message}\n"
        for r in sorted(journal_records, key=lambda r: r.time)
    )
    pg_log = LogFile("pgdb-02/postgresql.log", Postgres(rng))
    pg_log.add(traffic(rng, database_server(), START, MINUTES, 1200))
    pg_log.add([at(START, 122.0, "WARN", "there is no transaction in progress")])
    shell = "\n".join(
        [
            "deploy@report-app-03:~$ dig +short pgdb-02.corp.local",
            "10.12.8.14",
            "deploy@report-app-03:~$ getent hosts pgdb-02.corp.local; echo rc=$?",
            "rc=2",
            "deploy@report-app-03:~$ getent hosts pgdb-02.corp.local.; echo rc=$?",
            "rc=2",
            "deploy@report-app-03:~$ grep -v '^#' /etc/nsswitch.conf | grep -v '^$'",
            "passwd:         files systemd",
            "group:          files systemd",
            "shadow:         files systemd",
            "gshadow:        files systemd",
            "hosts:          files mdns4_minimal [NOTFOUND=return] dns",
            "networks:       files",
            "protocols:      db files",
            "services:       db files",
            "ethers:         db files",
            "rpc:            db files",
            "netgroup:       nis",
            "deploy@report-app-03:~$ resolvectl status ens18 | grep -E 'DNS Servers|DNS Domain'",
            "       DNS Servers: 10.12.0.53 10.12.0.54",
            "        DNS Domain: corp.local",
            'deploy@report-app-03:~$ ssh report-app-02 "grep ^hosts: /etc/nsswitch.conf"',
            "hosts:          files dns",
            "",
        ]
    )
    return Bundle(
        question="About a third of report downloads fail with HTTP 500 since roughly 9:15 Eastern this morning. The database looks healthy. What is the root cause?",
        category="dns",
        component="report-app-03",
        statement="report-app-03, rebuilt from the new Ubuntu image and back in the pool at 13:15 UTC, has libnss-mdns with 'hosts: files mdns4_minimal [NOTFOUND=return] dns' in /etc/nsswitch.conf; because the internal zone is corp.local, glibc lookups of pgdb-02.corp.local stop at mDNS and fail, so the requests balanced to it return 500.",
        files={
            "lb-reports/access.log": access.render(),
            "lb-reports/error.log": errors.render(),
            "report-app-03/reportsvc.log": app.render(),
            "report-app-03/journalctl.txt": journal,
            "report-app-03/shell.txt": shell,
            "pgdb-02/postgresql.log": pg_log.render(),
        },
        proofs=[
            Proof(
                "report-app-03/shell.txt",
                "hosts:          files mdns4_minimal [NOTFOUND=return] dns",
            ),
            Proof("report-app-03/shell.txt", "getent hosts pgdb-02.corp.local; echo", "rc=2"),
            Proof(
                "report-app-03/journalctl.txt",
                "Server startup complete. Host name is report-app-03.local.",
            ),
        ],
        decoys=[
            "Using degraded feature set UDP instead of UDP+EDNS0",
            "upstream timed out (110: Connection timed out)",
            "there is no transaction in progress",
        ],
    )
