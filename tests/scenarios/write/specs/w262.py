# ruff: noqa: E501
# Hand-written MySQL error-log lines and pasted shell output are data, kept whole on one line.
"""MySQL, binary logs filling the data volume: reporting-db was upgraded from MySQL 5.7 to 8.0 on
16 June. 8.0 enables binary logging by default (5.7's my.cnf never set log-bin), with 30 days'
retention; the nightly ETL writes about 11 GB of binlog a night, so the binlogs fill /var/lib/mysql and at
01:52 UTC on 9 July mysqld waits for space on `binlog.000231`: every write hangs. Loud: the ETL's
statement timeouts and the dashboards' errors. Decoys: Aborted connection warnings, the
self-signed CA warning at start-up, and a slow report query."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Log4j, Record
from scenes import at, fixed, loud
from traffic import traffic, worker

START = datetime(2025, 7, 9, 0, 0, tzinfo=UTC)
MINUTES = 240.0
FULL = 112.0
UPGRADE = datetime(2025, 6, 16, 7, 3, tzinfo=UTC)


@dataclass
class MysqlError:
    """MySQL 8.0 error log: `2025-07-09T01:52:11.123456Z 14 [ERROR] [MY-000035] [Server] msg`; logger holds `thread|code|subsystem`."""

    def render(self, record: Record) -> list[str]:
        thread, code, subsystem = (record.logger or "0|MY-010914|Server").split("|")
        level = {"INFO": "System", "WARN": "Warning", "ERROR": "ERROR", "NOTE": "Note"}[
            record.level
        ]
        return [
            f"{record.time.strftime('%Y-%m-%dT%H:%M:%S.%f')}Z {thread} [{level}] [{code}] [{subsystem}] {record.message}"
        ]


def bundle() -> Bundle:
    rng = random.Random(26206)
    err = LogFile("logs/mysqld.log", MysqlError())
    err.add(
        [
            at(
                UPGRADE,
                0,
                "INFO",
                "/usr/sbin/mysqld (mysqld 8.0.37) starting as process 1182",
                logger="0|MY-010116|Server",
            ),
            at(
                UPGRADE,
                0.01,
                "INFO",
                "Server upgrade from '50744' to '80037' started.",
                logger="1|MY-013381|Server",
            ),
            at(
                UPGRADE,
                0.9,
                "INFO",
                "Server upgrade from '50744' to '80037' completed.",
                logger="1|MY-013381|Server",
            ),
            at(
                UPGRADE,
                0.92,
                "WARN",
                "CA certificate ca.pem is self signed.",
                logger="0|MY-010068|Server",
            ),
            at(
                UPGRADE,
                0.93,
                "INFO",
                "Channel mysql_main configured to support TLS. Encrypted connections are now supported for this channel.",
                logger="0|MY-013602|Server",
            ),
            at(
                UPGRADE,
                0.95,
                "INFO",
                "/usr/sbin/mysqld: ready for connections. Version: '8.0.37'  socket: '/var/lib/mysql/mysql.sock'  port: 3306  MySQL Community Server - GPL.",
                logger="0|MY-010931|Server",
            ),
        ]
    )
    err.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            260,
            lambda r: (
                "WARN",
                f"Aborted connection {r.randrange(10**5, 10**6)} to db: 'reporting' user: 'metabase' host: '10.44.{r.randrange(1, 9)}.{r.randrange(2, 250)}' (Got timeout reading communication packets).",
                (),
            ),
        )
    )
    err.records = [
        Record(
            r.time,
            r.level,
            r.message,
            r.trailer,
            r.logger or f"{rng.randrange(100, 9000)}|MY-010055|Server",
        )
        for r in err.records
    ]
    for k in range(0, int((MINUTES - FULL) // 10) + 1):
        err.add(
            [
                at(
                    START,
                    FULL + k * 10,
                    "ERROR",
                    "Disk is full writing './binlog.000231' (OS errno 28 - No space left on device). Waiting for someone to free space... Retry in 60 secs. Message reprinted in 600 secs",
                    logger="41|MY-000035|Server",
                )
            ]
        )

    first_full = (
        min(r.time for r in err.records if "Disk is full" in r.message).strftime(
            "%Y-%m-%dT%H:%M:%S.%f"
        )
        + "Z 41 [ERROR]"
    )
    etl = LogFile(
        "logs/nightly-etl.log",
        Log4j(("etl.LoadFacts", "etl.Extract", "etl.Scheduler"), "etl-worker", rng),
    )
    etl.add(
        traffic(
            rng,
            worker("nightly-etl", ["orders_fact", "sessions_fact", "revenue_daily"]),
            START,
            FULL + 2,
            2400,
        )
    )
    etl.add(
        loud(
            rng,
            START,
            FULL + 10,
            MINUTES - FULL - 11,
            420,
            fixed(
                "ERROR",
                lambda r: (
                    f"step {r.choice(['orders_fact', 'sessions_fact', 'revenue_daily'])} failed after 600s: com.mysql.cj.jdbc.exceptions.MySQLTimeoutException: Statement cancelled due to timeout or client request (batch {r.randrange(10**5)})"
                ),
            ),
        )
    )
    etl.add(
        loud(
            rng,
            START,
            FULL + 11,
            MINUTES - FULL - 12,
            200,
            fixed(
                "WARN",
                lambda r: (
                    f"retrying batch {r.randrange(10**5)} (attempt {r.randrange(2, 5)} of 5) on reporting-db:3306"
                ),
            ),
        )
    )
    etl.add(
        [
            at(
                START,
                38.0,
                "WARN",
                "slow extract: SELECT ... FROM events_raw WHERE day = '2025-07-08' took 812s (threshold 600s)",
                logger="etl.Extract",
            )
        ]
    )

    shell = "\n".join(
        [
            "[root@reporting-db ~]# df -h /var/lib/mysql",
            "Filesystem               Size  Used Avail Use% Mounted on",
            "/dev/mapper/vgdata-mysql  660G  660G   20K 100% /var/lib/mysql",
            "[root@reporting-db ~]# du -sh /var/lib/mysql/reporting /var/lib/mysql/binlog.*  | sort -h | tail -4",
            "1.1G\t/var/lib/mysql/binlog.000229",
            "1.1G\t/var/lib/mysql/binlog.000230",
            "1.1G\t/var/lib/mysql/binlog.000231",
            "412G\t/var/lib/mysql/reporting",
            "[root@reporting-db ~]# ls /var/lib/mysql/binlog.0* | wc -l; du -ch /var/lib/mysql/binlog.0* | tail -1",
            "231",
            "248G\ttotal",
            "[root@reporting-db ~]# mysql -e \"SHOW VARIABLES WHERE Variable_name IN ('log_bin','binlog_expire_logs_seconds','version')\"",
            "+----------------------------+---------+",
            "| Variable_name              | Value   |",
            "+----------------------------+---------+",
            "| binlog_expire_logs_seconds | 2592000 |",
            "| log_bin                    | ON      |",
            "| version                    | 8.0.37  |",
            "+----------------------------+---------+",
            "[root@reporting-db ~]# grep -iE 'log.bin|expire' /etc/my.cnf /etc/my.cnf.d/*.cnf",
            "[root@reporting-db ~]# mysql -e 'SHOW REPLICAS'",
            "[root@reporting-db ~]#",
            "",
        ]
    )
    notes = "\n".join(
        [
            "reporting-db incident 09 Jul, handover 04:00 UTC",
            "",
            "- Nightly ETL stuck since ~01:50 UTC, Metabase dashboards time out.",
            "- Lots of 'Aborted connection' warnings in the error log, Metabase is noisy with those all the time.",
            "- events_raw extract was slow again (812 s), as every Tuesday.",
            "- reporting-db has no replicas. Upgraded 5.7 -> 8.0 on 16 June (CHG-4402), no other change.",
            "",
        ]
    )
    return Bundle(
        question="The nightly ETL into reporting-db hangs since about 01:50 UTC and dashboards time out. What is wrong?",
        category="disk",
        component="reporting-db",
        statement="Since its upgrade to MySQL 8.0 on 16 June, reporting-db writes binary logs by default (log_bin ON, 30-day expiry) although it has no replicas; 248 GB of binlogs filled /var/lib/mysql and from 01:52 UTC on 9 July the server waits for free space on binlog.000231, so every ETL write hangs.",
        files={
            "notes.md": notes,
            "reporting-db-shell.txt": shell,
            "logs/mysqld.log": err.render(),
            "logs/nightly-etl.log": etl.render(),
        },
        proofs=[
            Proof("logs/mysqld.log", first_full),
            Proof("reporting-db-shell.txt", "| log_bin                    | ON"),
            Proof("reporting-db-shell.txt", "248G\ttotal"),
        ],
        decoys=[
            "Got timeout reading communication packets",
            "CA certificate ca.pem is self signed",
            "slow extract",
        ],
    )
