# ruff: noqa: E501
# Hand-written log lines and pasted command output are data, kept whole on one line.
"""MySQL: the orders primary mysql-orders-01 was rebuilt last week with the system time zone
left at UTC (the old host ran in Asia/Singapore). The nightly full backup in
/etc/cron.d/mysql-backup still says `0 3 * * *`, meant as 03:00 SGT, so it now starts at
03:00 UTC = 11:00 SGT, the lunchtime peak. xtrabackup reads the 1.4 TB datadir flat out; the
NVMe is saturated, the page cleaner falls behind, queries stall and orders-api's pool runs dry
(checkout timeouts). Decoys: aborted connections in the error log, the replica's growing lag,
and one deadlock in orders-api."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 7, 14, 2, 20, tzinfo=UTC)
MINUTES = 110
BACKUP = 40.0  # 03:00 UTC


@dataclass
class MysqlError:
    """MySQL 8's error log: `<iso micro>Z <thread> [<prio>] [<code>] [<subsystem>] <message>`."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        prio = {"WARN": "Warning", "ERROR": "ERROR", "INFO": "Note"}.get(record.level, "System")
        thread, code, subsystem, message = record.message.split("|", 3)
        return [f"{stamp} {thread} [{prio}] [{code}] [{subsystem}] {message}"]


def mysql_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.8:
        return (
            "WARN",
            f"{rng.randrange(100000, 999999)}|MY-010055|Server|IP address '10.60.{rng.randrange(1, 20)}.{rng.randrange(2, 250)}' could not be resolved: Name or service not known",
            (),
        )
    return (
        "INFO",
        f"{rng.randrange(100000, 999999)}|MY-010914|Server|Aborted connection {rng.randrange(100000, 999999)} to db: 'orders' user: 'report_ro' host: '10.60.7.{rng.randrange(2, 250)}' (Got an error reading communication packets).",
        (),
    )


def api_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"POST /v2/orders 201 {rng.randrange(30, 140)}ms order={rng.randrange(10**8, 10**9)} merchant={rng.randrange(1000, 9999)}",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"GET /v2/orders/{rng.randrange(10**8, 10**9)} 200 {rng.randrange(3, 40)}ms",
            (),
        )
    return (
        "DEBUG",
        f"HikariPool-1 - Pool stats (total=40, active={rng.randrange(3, 15)}, idle={rng.randrange(20, 37)}, waiting=0)",
        (),
    )


def api_slow(rng: random.Random) -> Line:
    return (
        "WARN" if rng.random() < 0.6 else "ERROR",
        rng.choice(
            [
                f"POST /v2/orders 201 {rng.randrange(3000, 9800)}ms order={rng.randrange(10**8, 10**9)} merchant={rng.randrange(1000, 9999)}",
                "HikariPool-1 - Connection is not available, request timed out after 10000ms (total=40, active=40, idle=0, waiting=57)",
                f'POST /v2/orders 503 10004ms merchant={rng.randrange(1000, 9999)} error="Could not open JDBC Connection for transaction"',
            ]
        ),
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(53017)
    err = LogFile("mysql-orders-01/error.log", MysqlError())
    err.add(traffic(rng, mysql_line, START, MINUTES, 240))
    err.add(
        [
            at(
                START,
                BACKUP + 3.2,
                "WARN",
                "0|MY-013865|InnoDB|Page cleaner took 4736ms to flush 1960 and evict 0 pages",
            ),
            at(
                START,
                BACKUP + 6.9,
                "WARN",
                "0|MY-013865|InnoDB|Page cleaner took 6102ms to flush 2000 and evict 0 pages",
            ),
            at(
                START,
                BACKUP + 11.4,
                "WARN",
                "0|MY-013865|InnoDB|Page cleaner took 5318ms to flush 1874 and evict 0 pages",
            ),
            at(
                START,
                BACKUP + 19.8,
                "WARN",
                "0|MY-013865|InnoDB|Page cleaner took 7044ms to flush 2000 and evict 0 pages",
            ),
            at(
                START,
                BACKUP + 27.5,
                "WARN",
                "0|MY-013865|InnoDB|Page cleaner took 4981ms to flush 1992 and evict 0 pages",
            ),
        ]
    )
    xb = "\n".join(
        [
            "$ sudo head -n 14 /var/log/mysql-backup/full-2026-07-14.log",
            "2026-07-14T03:00:01.418302-00:00 0 [Note] [MY-011825] [Xtrabackup] recognized server arguments: --datadir=/var/lib/mysql --innodb_buffer_pool_size=96G --server-id=101 --log_bin=binlog",
            "2026-07-14T03:00:01.418911-00:00 0 [Note] [MY-011825] [Xtrabackup] recognized client arguments: --backup=1 --user=backup --parallel=8 --compress --target-dir=/backup/full/2026-07-14",
            "xtrabackup version 8.0.35-31 based on MySQL server 8.0.35 Linux (x86_64) (revision id: 55ec21d7)",
            "2026-07-14T03:00:01.533470-00:00 0 [Note] [MY-011825] [Xtrabackup] Connecting to MySQL server host: localhost, user: backup, password: set, port: not set, socket: not set",
            "2026-07-14T03:00:01.547102-00:00 0 [Note] [MY-011825] [Xtrabackup] Using server version 8.0.35",
            "2026-07-14T03:00:01.549018-00:00 0 [Note] [MY-011825] [Xtrabackup] Executing LOCK INSTANCE FOR BACKUP ...",
            "2026-07-14T03:00:01.612344-00:00 0 [Note] [MY-011825] [Xtrabackup] uses posix_fadvise().",
            "2026-07-14T03:00:01.612781-00:00 0 [Note] [MY-011825] [Xtrabackup] cd to /var/lib/mysql",
            "2026-07-14T03:00:01.613002-00:00 0 [Note] [MY-011825] [Xtrabackup] open files limit requested 0, set to 1048576",
            "2026-07-14T03:00:02.007613-00:00 0 [Note] [MY-011825] [Xtrabackup] Starting 8 threads for parallel data files transfer",
            "2026-07-14T03:00:02.011290-00:00 1 [Note] [MY-011825] [Xtrabackup] Compressing ./orders/order_line.ibd to /backup/full/2026-07-14/orders/order_line.ibd.zst",
            "2026-07-14T03:00:02.011372-00:00 2 [Note] [MY-011825] [Xtrabackup] Compressing ./orders/orders.ibd to /backup/full/2026-07-14/orders/orders.ibd.zst",
            "2026-07-14T03:00:02.011409-00:00 3 [Note] [MY-011825] [Xtrabackup] Compressing ./orders/payment_event.ibd to /backup/full/2026-07-14/orders/payment_event.ibd.zst",
            "",
        ]
    )
    host = "\n".join(
        [
            "# pasted from mysql-orders-01 at 11:24 SGT (03:24 UTC)",
            "$ cat /etc/cron.d/mysql-backup",
            "# Nightly full backup, off-peak (03:00 local). Managed by ansible role mysql_backup.",
            "MAILTO=dba-alerts@example.sg",
            "0 3 * * * backup /usr/local/bin/mysql-full-backup.sh >> /var/log/mysql-backup/cron.log 2>&1",
            "",
            "$ timedatectl | grep -E 'Local time|Time zone'",
            "               Local time: Tue 2026-07-14 03:24:41 UTC",
            "                Time zone: Etc/UTC (UTC, +0000)",
            "",
            "$ ssh mysql-orders-01-old timedatectl | grep 'Time zone'   # the host it replaced, kept for a week",
            "                Time zone: Asia/Singapore (+08, +0800)",
            "",
            "$ iostat -x nvme0n1 5 2 | tail -n 3",
            "Device            r/s     rMB/s   rrqm/s  %rrqm r_await rareq-sz     w/s     wMB/s   wrqm/s  %wrqm w_await wareq-sz     d/s     dMB/s   drqm/s  %drqm d_await dareq-sz     f/s f_await  aqu-sz  %util",
            "nvme0n1       21873.40   2714.31     0.00   0.00   11.92   127.07  4182.60    211.48     3.20   0.08   38.61    51.78    0.00      0.00     0.00   0.00    0.00     0.00  512.40    6.12  425.73 100.00",
            "",
            "$ ps -eo pid,etime,pcpu,comm --sort=-pcpu | head -n 4",
            "    PID     ELAPSED %CPU COMMAND",
            "   2811  7-02:14:09  412 mysqld",
            "  91733       24:40  268 xtrabackup",
            "  91790       24:38   71 zstd",
            "",
        ]
    )
    replica = "\n".join(
        [
            "$ mysql -h mysql-orders-02 -e 'SHOW REPLICA STATUS\\G' | grep -E 'Running|Seconds_Behind|Last_IO_Error'",
            "             Replica_IO_Running: Yes",
            "            Replica_SQL_Running: Yes",
            "          Seconds_Behind_Source: 418",
            "                  Last_IO_Error: ",
            "",
        ]
    )
    api = LogFile(
        "logs/orders-api.log",
        SpringBoot(
            (
                "sg.acme.orders.api.OrderController",
                "com.zaxxer.hikari.pool.HikariPool",
                "sg.acme.orders.service.OrderService",
            ),
            rng=rng,
        ),
    )
    api.add(traffic(rng, api_line, START, MINUTES, 4800))
    api.add(loud(rng, START, BACKUP + 2.0, MINUTES - BACKUP - 3, 900, api_slow))
    api.add(
        [
            at(
                START,
                17.3,
                "ERROR",
                "Deadlock found when trying to get lock; try restarting transaction (SQLState 40001) on UPDATE merchant_balance, retried OK",
            )
        ]
    )
    return Bundle(
        question="From about 11:00 SGT checkout on the orders API became very slow and starts timing out; nothing was deployed today. What is the root cause?",
        category="disk",
        component="mysql-orders-01",
        statement="mysql-orders-01 was rebuilt with its time zone at UTC, so the nightly xtrabackup job in /etc/cron.d/mysql-backup (`0 3 * * *`, meant as 03:00 Singapore time) now runs at 03:00 UTC = 11:00 SGT; the full backup saturates the NVMe (100% util), InnoDB's page cleaner stalls, queries slow down and orders-api's connection pool runs dry.",
        files={
            err.name: err.render(),
            "mysql-orders-01/xtrabackup.txt": xb,
            "mysql-orders-01/host-notes.txt": host,
            "mysql-orders-02-replica.txt": replica,
            api.name: api.render(),
        },
        proofs=[
            Proof(
                "mysql-orders-01/host-notes.txt",
                "0 3 * * * backup /usr/local/bin/mysql-full-backup.sh",
            ),
            Proof("mysql-orders-01/host-notes.txt", "Time zone: Etc/UTC (UTC, +0000)"),
            Proof("mysql-orders-01/xtrabackup.txt", "2026-07-14T03:00:01.418302"),
            Proof("mysql-orders-01/host-notes.txt", "nvme0n1       21873.40"),
        ],
        decoys=[
            "Got an error reading communication packets",
            "Seconds_Behind_Source: 418",
            "Deadlock found when trying to get lock",
        ],
    )
