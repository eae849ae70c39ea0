# ruff: noqa: E501
# Hand-written MySQL, application lines and pasted shell output are data, kept whole on one line.
"""MySQL, a temporary directory on a small tmpfs: a tuning change rolled out last week set
`tmpdir = /run/mysqltmp` on db-orders-02, a 256 MB tmpfs meant to speed up temporary tables.
On the first business day of the month (Europe/Berlin, +02:00) the finance reports' big sorts
and on-disk temporary tables fill it from 08:05: MySQL logs "No space left on device" on
/run/mysqltmp and "The table ... is full", and report and order-search queries fail while the
data volume has plenty of room. Loud: order-reports' SQLExceptions. Decoys: a page_cleaner
warning, aborted connections from a monitoring client, slow-query noise."""

import random
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Log4j, Record
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 6, 1, 6, 40, tzinfo=BERLIN)
MINUTES = 150.0
RUSH = 85.0


@dataclass
class MysqlError:
    """MySQL 8's error log with `log_timestamps = SYSTEM`: local time with its offset."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        stamp = record.time.astimezone(BERLIN).isoformat(timespec="microseconds")
        level = {"INFO": "System", "WARN": "Warning", "ERROR": "ERROR"}.get(record.level, "Note")
        code, text = record.message.split(" ", 1)
        return [f"{stamp} {self.rng.randrange(10, 90000)} [{level}] [{code}] [Server] {text}"]


def bundle() -> Bundle:
    rng = random.Random(35802)
    mysql = LogFile("logs/db-orders-02-mysqld.err", MysqlError(rng))
    mysql.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "WARN",
                        f"MY-010055 IP address '10.44.{r.randrange(256)}.{r.randrange(1, 255)}' could not be resolved: Name or service not known",
                        (),
                    ),
                    (
                        "NOTE",
                        f"MY-010914 Aborted connection {r.randrange(10**6)} to db: 'orders' user: 'app' host: '10.44.{r.randrange(8)}.{r.randrange(1, 255)}' (Got an error reading communication packets).",
                        (),
                    ),
                    (
                        "NOTE",
                        f"MY-013360 Plugin mysql_native_password reported: ''mysql_native_password' is deprecated and will be removed in a future release. Please use caching_sha2_password instead' (user app@10.44.{r.randrange(8)}.{r.randrange(1, 255)})",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            900,
        )
    )
    mysql.add(
        [
            at(
                START,
                22.0,
                "WARN",
                "MY-011959 InnoDB: page_cleaner: 1000ms intended loop took 4213ms. The settings might not be optimal. (flushed=812 and evicted=0, during the time.)",
            ),
            at(
                START,
                49.0,
                "WARN",
                "MY-010914 Aborted connection 88120 to db: 'unconnected' user: 'exporter' host: '10.44.9.3' (Got timeout reading communication packets).",
            ),
        ]
    )
    mysql.add(
        loud(
            rng,
            START,
            RUSH,
            MINUTES - RUSH - 1,
            260,
            lambda r: r.choice(
                [
                    (
                        "ERROR",
                        f"MY-000035 Disk is full writing '/run/mysqltmp/MYfd={r.randrange(40, 300)}' (OS errno 28 - No space left on device). Waiting for someone to free space... Retry in 60 secs. Message reprinted in 600 secs.",
                        (),
                    ),
                    (
                        "ERROR",
                        f"MY-013132 The table '/run/mysqltmp/#sql{r.getrandbits(16):x}_{r.randrange(10, 99):x}_{r.randrange(9)}' is full!",
                        (),
                    ),
                ]
            ),
        )
    )
    app = LogFile(
        "logs/order-reports.log",
        Log4j(
            (
                "com.shopco.reports.MonthlyJob",
                "com.shopco.orders.SearchService",
                "com.zaxxer.hikari.HikariPool",
            ),
            "http-nio-8443-exec",
            rng,
        ),
    )
    app.add(
        traffic(
            rng, web_api("order-reports", ["orders", "reports", "invoices"]), START, MINUTES, 3000
        )
    )
    trace = java_trace(
        "java.sql.SQLException: The table '/run/mysqltmp/#sql1f2a_3c_2' is full",
        [
            "com.mysql.cj.jdbc.exceptions.SQLError.createSQLException(SQLError.java:130)",
            "com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping.translateException(SQLExceptionsMapping.java:122)",
            "com.mysql.cj.jdbc.ClientPreparedStatement.executeInternal(ClientPreparedStatement.java:916)",
            "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery(HikariProxyPreparedStatement.java:52)",
            "com.shopco.orders.SearchService.search(SearchService.java:211)",
        ],
    )
    app.add(
        loud(
            rng,
            START,
            RUSH + 0.3,
            MINUTES - RUSH - 1.5,
            340,
            fixed(
                "ERROR",
                lambda r: (
                    f"order search failed customer={r.randrange(10**6)} sort=created_at range=P{r.choice([30, 90, 365])}D"
                ),
                lambda r: trace,
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            RUSH + 1,
            MINUTES - RUSH - 2,
            40,
            fixed(
                "ERROR",
                lambda r: (
                    f"MonthlyJob revenue-by-region failed after {r.randrange(20, 400)}s: Error writing file '/run/mysqltmp/MYfd={r.randrange(40, 300)}' (OS errno 28 - No space left on device)"
                ),
            ),
        )
    )
    shell = "\n".join(
        [
            "[root@db-orders-02 ~]# df -h /var/lib/mysql /run/mysqltmp /tmp",
            "Filesystem                 Size  Used Avail Use% Mounted on",
            "/dev/mapper/vg_data-mysql  1.8T  702G  1.1T  40% /var/lib/mysql",
            "tmpfs                      256M  256M     0 100% /run/mysqltmp",
            "/dev/mapper/vg_root-root    40G  9.1G   31G  23% /",
            "[root@db-orders-02 ~]# grep -n tmp /etc/my.cnf.d/60-tuning.cnf /etc/fstab",
            "/etc/my.cnf.d/60-tuning.cnf:14:tmpdir = /run/mysqltmp",
            "/etc/my.cnf.d/60-tuning.cnf:15:tmp_table_size = 64M",
            "/etc/fstab:9:tmpfs  /run/mysqltmp  tmpfs  size=256M,mode=0750,uid=mysql,gid=mysql  0 0",
            "[root@db-orders-02 ~]# mysql -e \"SHOW GLOBAL STATUS LIKE 'Created_tmp%'\"",
            "+-------------------------+---------+",
            "| Variable_name           | Value   |",
            "+-------------------------+---------+",
            "| Created_tmp_disk_tables | 1840221 |",
            "| Created_tmp_files       | 99412   |",
            "| Created_tmp_tables      | 6712093 |",
            "+-------------------------+---------+",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Monday 1 June, 08:20 CEST - order search and the monthly finance reports failing on db-orders-02.",
            "* last week: CHG-5519 'mysql tuning wave 2' applied to db-orders-* (Ansible role mysql_tuning).",
            "* monitoring user 'exporter' timeouts are known (scrape every 15 s).",
            "* data disk at 40%, nothing alarming in the volume graphs.",
            "",
        ]
    )
    return Bundle(
        question="Since about 08:05 CEST order search and the month-start finance reports fail with 'table is full' errors, yet db-orders-02's data disk is only 40% used. What is the root cause?",
        category="disk",
        component="db-orders-02",
        statement="A tuning change set MySQL's tmpdir on db-orders-02 to /run/mysqltmp, a 256 MB tmpfs; the month-start reports' sorts and on-disk temporary tables fill it (errno 28, 'table is full'), so queries needing temporary files fail although the data volume has space.",
        files={
            "notes.txt": notes,
            "db-orders-02-shell.txt": shell,
            "logs/db-orders-02-mysqld.err": mysql.render(),
            "logs/order-reports.log": app.render(),
        },
        proofs=[
            Proof("db-orders-02-shell.txt", "tmpfs                      256M  256M"),
            Proof("db-orders-02-shell.txt", "60-tuning.cnf:14:tmpdir = /run/mysqltmp"),
            Proof("db-orders-02-shell.txt", "/etc/fstab:9:tmpfs"),
        ],
        decoys=[
            "page_cleaner: 1000ms intended loop took 4213ms",
            "user: 'exporter' host: '10.44.9.3'",
            "could not be resolved: Name or service not known",
        ],
    )
