# ruff: noqa: E501
# Hand-written MySQL error-log lines, Python log lines and pasted shell output are data, kept whole on one line.
"""MySQL, reverse DNS on every connection: mysql-ro-03 was rebuilt on 13 March by a new Ansible
role that no longer writes `skip_name_resolve = ON`. The reports-api pods moved to the new
10.36.0.0/16 subnet on 14 March, for which the internal resolvers have no reverse zone and
forward the PTR queries to an upstream that never answers. Each new connection to mysql-ro-03
waits on the PTR lookup (about 10 s) before the server sends its greeting, longer than the
client's 5 s connect timeout. Quiet: one MY-010055 warning per client address in the error log
and `skip_name_resolve OFF` in a paste. Loud: "Can't connect ... (timed out)" in reports-api and
504s. Decoys: the mysql_native_password deprecation, an aborted connection, a slow report."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, PythonLogging, Record
from scenes import at, fixed, loud
from traffic import http_access, traffic, web_api

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 14, 8, 0, tzinfo=UTC)
MINUTES = 150.0
MOVE = 54.0


@dataclass
class MysqlError:
    """MySQL 8's error log: `2026-03-14T08:00:00.123456Z 12 [Warning] [MY-010055] [Server] ...`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "System", "DEBUG": "Note", "WARN": "Warning"}.get(record.level, "ERROR")
        stamp = record.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return [f"{stamp} {thread_id(self.rng)} [{level}] {record.message}"]


def thread_id(rng: random.Random) -> int:
    return rng.randrange(8, 90000)


def bundle() -> Bundle:
    rng = random.Random(41717)
    local = START.astimezone(BERLIN)
    app = LogFile(
        "logs/reports-api.log",
        PythonLogging(("reports.api", "reports.query", "gunicorn.access", "reports.cache"), rng),
    )
    app.add(
        traffic(
            rng, web_api("reports-api", ["reports", "exports", "dashboards"]), local, MINUTES, 4200
        )
    )
    app.add(
        loud(
            rng,
            local,
            MOVE + 1,
            MINUTES - MOVE - 3,
            620,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        f"query failed for report {r.randrange(10**5)}: pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on 'mysql-ro-03.db.internal' (timed out)\")",
                        f"pool reader-b: new connection to mysql-ro-03.db.internal:3306 failed after 5.00s (connect_timeout=5), {r.randrange(1, 12)} waiters",
                        f"GET /api/v1/reports/{r.randrange(10**6)} 500 {r.randrange(5000, 15000)}ms",
                    ]
                ),
            ),
        ),
    )
    app.add(
        [
            at(
                local,
                22.0,
                "WARN",
                "report 88213 (quarterly-margins) took 41.2s, above the 30s budget",
                logger="reports.query",
            ),
            at(
                local,
                MOVE - 2.0,
                "INFO",
                "worker booted on 10.36.4.21 (pod reports-api-6c9f7d4b8-kq2lm, subnet app-2026)",
                logger="reports.api",
            ),
        ]
    )
    access = LogFile("logs/edge-nginx-access.log", NginxAccess(rng, BERLIN))
    access.add(
        traffic(
            rng,
            http_access(
                ["/api/v1/reports/{id}", "/api/v1/dashboards/{id}", "/static/app.js", "/healthz"],
                60,
            ),
            START,
            MINUTES,
            3600,
        )
    )
    access.add(
        loud(
            rng,
            START,
            MOVE + 1,
            MINUTES - MOVE - 3,
            300,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /api/v1/reports/{r.randrange(10**6)} HTTP/1.1" 504 167 "-" "Mozilla/5.0 (X11; Linux x86_64)" 30.001'
                ),
            ),
        )
    )
    mysql = LogFile("logs/mysql-ro-03-error.log", MysqlError(rng))

    def chatter(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        roll = r.random()
        if roll < 0.6:
            return (
                "DEBUG",
                f"[MY-010914] [Server] Aborted connection {r.randrange(10**6)} to db: 'reports' user: 'etl' host: '10.20.{r.randrange(1, 9)}.{r.randrange(2, 250)}' (Got an error reading communication packets).",
                (),
            )
        if roll < 0.85:
            return (
                "DEBUG",
                f"[MY-010584] [Repl] Replica SQL for channel '': Worker {r.randrange(1, 5)} waited {r.randrange(1, 30)} ms for a commit order, Error_code: MY-000000",
                (),
            )
        return (
            "WARN",
            "[MY-013360] [Server] Plugin mysql_native_password reported: ''mysql_native_password' is deprecated and will be removed in a future release. Please use caching_sha2_password instead'",
            (),
        )

    mysql.add(traffic(rng, chatter, START, MINUTES, 260))
    mysql.add(
        [
            at(
                START,
                MOVE + 0.3,
                "WARN",
                "[MY-010055] [Server] IP address '10.36.4.21' could not be resolved: Temporary failure in name resolution",
            ),
            at(
                START,
                MOVE + 2.1,
                "WARN",
                "[MY-010055] [Server] IP address '10.36.7.142' could not be resolved: Temporary failure in name resolution",
            ),
            at(
                START,
                MOVE + 3.6,
                "WARN",
                "[MY-010055] [Server] IP address '10.36.2.9' could not be resolved: Temporary failure in name resolution",
            ),
        ]
    )
    shell = "\n".join(
        [
            "dba@mysql-ro-03:~$ mysql -e \"SHOW GLOBAL VARIABLES WHERE Variable_name IN ('skip_name_resolve','host_cache_size','connect_timeout')\"",
            "+-------------------+-------+",
            "| Variable_name     | Value |",
            "+-------------------+-------+",
            "| connect_timeout   | 10    |",
            "| host_cache_size   | 279   |",
            "| skip_name_resolve | OFF   |",
            "+-------------------+-------+",
            "dba@mysql-ro-03:~$ cat /etc/mysql/mysql.conf.d/zz-role.cnf",
            "# managed by ansible role mysql_replica v2 -- do not edit",
            "[mysqld]",
            "server_id = 3103",
            "read_only = ON",
            "super_read_only = ON",
            "innodb_buffer_pool_size = 48G",
            "log_timestamps = UTC",
            "dba@mysql-ro-03:~$ time dig -x 10.36.4.21 +tries=1 +time=10 | grep -E 'status|SERVER'",
            ";; communications error to 10.20.0.53#53: timed out",
            "",
            "real\t0m10.012s",
            "dba@mysql-ro-03:~$ mysql -e 'SHOW REPLICA STATUS\\G' | grep -E 'Running|Seconds_Behind'",
            "        Replica_IO_Running: Yes",
            "       Replica_SQL_Running: Yes",
            "     Seconds_Behind_Source: 2",
            "",
            'dba@mysql-ro-01:~$ mysql -N -e "SELECT @@skip_name_resolve"',
            "1",
            "",
        ]
    )
    notes = "\n".join(
        [
            "# reports slow / 500s - 14 Mar (times CET)",
            "",
            "- reports-api rescheduled onto the new app-2026 node pool (10.36.0.0/16) this morning, ~09:50 CET",
            "- reader-b pool (mysql-ro-03) times out, reader-a (mysql-ro-01) fine; mysql-ro-03 rebuilt yesterday (CHG-5521, new ansible role mysql_replica v2)",
            "- replication healthy on both readers, lag < 5 s",
            "- the quarterly-margins report has always been slow",
            "",
        ]
    )
    return Bundle(
        question="reports-api returns 500s and the edge gives 504s on report pages since about 09:55 CET. What is the root cause?",
        category="dns",
        component="mysql-ro-03",
        statement="mysql-ro-03 was rebuilt without skip_name_resolve, so it does a reverse DNS lookup for every new client; the reports-api pods now come from 10.36.0.0/16, whose PTR queries time out after 10 s, longer than the client's 5 s connect timeout, so new connections to mysql-ro-03 fail.",
        files={
            "notes.md": notes,
            "mysql-ro-03-shell.txt": shell,
            "logs/mysql-ro-03-error.log": mysql.render(),
            "logs/reports-api.log": app.render(),
            "logs/edge-nginx-access.log": access.render(),
        },
        proofs=[
            Proof("mysql-ro-03-shell.txt", "| skip_name_resolve | OFF   |"),
            Proof("logs/mysql-ro-03-error.log", "IP address '10.36.4.21' could not be resolved"),
            Proof("mysql-ro-03-shell.txt", "communications error to 10.20.0.53#53: timed out"),
        ],
        decoys=["mysql_native_password' is deprecated", "quarterly-margins", "Aborted connection"],
    )
