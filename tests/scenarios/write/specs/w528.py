# ruff: noqa: E501
# Hand-written log lines and pasted command output are data, kept whole on one line.
"""PostgreSQL on pg-billing-01: the host was rebooted for kernel patching on Sunday 02:14 UTC and
its NFS mount /mnt/walarchive (backup-nas) timed out at boot; systemd carried on without it.
The `archive_command` copies into /mnt/walarchive/pg-billing/, which no longer exists, so every
WAL segment has failed to archive since, and PostgreSQL keeps them all in pg_wal. On Tuesday
at 09:41 UTC the 200 GB WAL volume fills: `PANIC: could not write to file "pg_wal/xlogtemp..."
: No space left on device`, the postmaster restarts, recovery fails for space, and billing-api
loses its database. Decoys: `checkpoints are occurring too frequently` (the nightly batch), an
SSH brute-force from the internet, and billing-api's pool timeouts."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot, space_millis
from scenes import at, loud
from traffic import Line, database_server, traffic

START = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
MINUTES = 175
FULL = 161.0  # 09:41


SEGMENT = "00000001000002760000004E"


@dataclass
class PgLog:
    """PostgreSQL's stderr log with `log_line_prefix = '%m [%p] '`; RAW lines are a child's stderr."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        if record.level == "RAW":
            return [record.message]
        level = {"INFO": "LOG", "WARN": "WARNING", "DEBUG": "DEBUG"}.get(record.level, record.level)
        pid = record.logger or str(self.rng.randrange(100, 60000))
        stamp = space_millis(record.time) + " UTC"
        return [f"{stamp} [{pid}] {level}:  {record.message}"]


def api_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"Invoice INV-{rng.randrange(10**6, 10**7)} finalised for account {rng.randrange(10**5)} amount={rng.randrange(5, 900)}.{rng.randrange(100):02d} EUR",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"GET /v3/accounts/{rng.randrange(10**5)}/balance 200 {rng.randrange(3, 60)}ms",
            (),
        )
    return (
        "DEBUG",
        f"HikariPool-1 - Pool stats (total=30, active={rng.randrange(2, 12)}, idle={rng.randrange(10, 28)}, waiting=0)",
        (),
    )


def api_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        rng.choice(
            [
                "HikariPool-1 - Exception during pool initialization. org.postgresql.util.PSQLException: FATAL: the database system is in recovery mode",
                "SQL Error: 0, SQLState: 08001 - Connection to pg-billing-01.db.internal:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.",
                "HikariPool-1 - Connection is not available, request timed out after 30000ms.",
            ]
        ),
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(52811)
    pg = LogFile("postgresql-2026-03-10.log", PgLog(rng=rng))
    pg.add(traffic(rng, database_server(), START, FULL, 5200))
    archiver = 1187
    minute = 0.3
    while minute < FULL:
        base = START + timedelta(minutes=minute, milliseconds=rng.randrange(1000))
        for attempt in range(3):
            t = base + timedelta(seconds=attempt)
            pg.add(
                [
                    Record(
                        t,
                        "RAW",
                        f"cp: cannot create regular file '/mnt/walarchive/pg-billing/{SEGMENT}': No such file or directory",
                    ),
                    Record(
                        t + timedelta(microseconds=310),
                        "LOG",
                        "archive command failed with exit code 1",
                        (),
                        str(archiver),
                    ),
                    Record(
                        t + timedelta(microseconds=330),
                        "DETAIL",
                        f"The failed archive command was: test ! -f /mnt/walarchive/pg-billing/{SEGMENT} && cp pg_wal/{SEGMENT} /mnt/walarchive/pg-billing/{SEGMENT}",
                        (),
                        str(archiver),
                    ),
                ]
            )
        pg.add(
            [
                Record(
                    base + timedelta(seconds=2, microseconds=400),
                    "WARNING",
                    f'archiving write-ahead log file "{SEGMENT}" failed too many times, will try again later',
                    (),
                    str(archiver),
                )
            ]
        )
        minute += 1.0
    pg.add(
        [
            at(
                START,
                38.2,
                "LOG",
                "checkpoints are occurring too frequently (21 seconds apart)",
                logger="1183",
            ),
            at(
                START,
                38.21,
                "HINT",
                'Consider increasing the configuration parameter "max_wal_size".',
                logger="1183",
            ),
            at(
                START,
                52.7,
                "LOG",
                "checkpoints are occurring too frequently (26 seconds apart)",
                logger="1183",
            ),
            at(
                START,
                FULL,
                "PANIC",
                'could not write to file "pg_wal/xlogtemp.48213": No space left on device',
                logger="48213",
            ),
            at(
                START,
                FULL + 0.01,
                "LOG",
                "server process (PID 48213) was terminated by signal 6: Aborted",
                logger="1179",
            ),
            at(
                START,
                FULL + 0.02,
                "LOG",
                "terminating any other active server processes",
                logger="1179",
            ),
            at(
                START,
                FULL + 0.05,
                "LOG",
                "all server processes terminated; reinitializing",
                logger="1179",
            ),
            at(
                START,
                FULL + 0.07,
                "LOG",
                "database system was interrupted; last known up at 2026-03-10 09:39:52 UTC",
                logger="48291",
            ),
            at(
                START,
                FULL + 0.09,
                "LOG",
                "database system was not properly shut down; automatic recovery in progress",
                logger="48291",
            ),
            at(START, FULL + 0.11, "LOG", "redo starts at 2A7/F6D1C2B8", logger="48291"),
            at(
                START,
                FULL + 0.4,
                "FATAL",
                'could not write to file "pg_wal/xlogtemp.48291": No space left on device',
                logger="48291",
            ),
            at(
                START,
                FULL + 0.41,
                "LOG",
                "startup process (PID 48291) exited with exit code 1",
                logger="1179",
            ),
            at(
                START,
                FULL + 0.42,
                "LOG",
                "aborting startup due to startup process failure",
                logger="1179",
            ),
            at(START, FULL + 0.43, "LOG", "database system is shut down", logger="1179"),
        ]
    )
    api = LogFile(
        "logs/billing-api.log",
        SpringBoot(
            (
                "com.acme.billing.InvoiceService",
                "com.acme.billing.web.BalanceController",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            rng=rng,
        ),
    )
    api.add(traffic(rng, api_line, START, MINUTES, 3900))
    api.add(loud(rng, START, FULL + 0.1, MINUTES - FULL - 0.2, 420, api_error))
    journal = "\n".join(
        [
            "$ journalctl -b -u mnt-walarchive.mount -u remote-fs.target -u postgresql@16-main --no-pager",
            "Mar 08 02:14:51 pg-billing-01 systemd[1]: Mounting mnt-walarchive.mount - /mnt/walarchive...",
            "Mar 08 02:16:22 pg-billing-01 mount[712]: mount.nfs: Connection timed out for backup-nas.storage.internal:/export/walarchive on /mnt/walarchive",
            "Mar 08 02:16:22 pg-billing-01 systemd[1]: mnt-walarchive.mount: Mount process exited, code=exited, status=32/n/a",
            "Mar 08 02:16:22 pg-billing-01 systemd[1]: mnt-walarchive.mount: Failed with result 'exit-code'.",
            "Mar 08 02:16:22 pg-billing-01 systemd[1]: Failed to mount mnt-walarchive.mount - /mnt/walarchive.",
            "Mar 08 02:16:22 pg-billing-01 systemd[1]: Reached target remote-fs.target - Remote File Systems.",
            "Mar 08 02:16:24 pg-billing-01 systemd[1]: Starting postgresql@16-main.service - PostgreSQL Cluster 16-main...",
            "Mar 08 02:16:27 pg-billing-01 systemd[1]: Started postgresql@16-main.service - PostgreSQL Cluster 16-main.",
            "Mar 10 09:41:09 pg-billing-01 systemd[1]: postgresql@16-main.service: Control process exited, code=exited, status=1/FAILURE",
            "Mar 10 09:41:09 pg-billing-01 systemd[1]: postgresql@16-main.service: Failed with result 'exit-code'.",
            "",
        ]
    )
    notes = "\n".join(
        [
            "# pasted by on-call, 09:52 UTC",
            "$ df -h /var/lib/postgresql /var/lib/postgresql/16/main/pg_wal /mnt/walarchive",
            "Filesystem                  Size  Used Avail Use% Mounted on",
            "/dev/mapper/vg_data-pgdata  1.5T  612G  830G  43% /var/lib/postgresql",
            "/dev/mapper/vg_data-pgwal   200G  200G     0 100% /var/lib/postgresql/16/main/pg_wal",
            "/dev/nvme0n1p2               40G  9.1G   29G  24% /",
            "",
            "$ ls /mnt/walarchive/",
            "$ ls /var/lib/postgresql/16/main/pg_wal | wc -l",
            "12791",
            "$ ls /var/lib/postgresql/16/main/pg_wal/archive_status | grep -c '\\.ready$'",
            "12786",
            "",
            "$ sudo -u postgres psql -x -c 'select * from pg_stat_archiver'   # output from 09:20, before the crash",
            "-[ RECORD 1 ]------+------------------------------",
            "archived_count     | 1412876",
            "last_archived_wal  | 00000001000002760000004D",
            "last_archived_time | 2026-03-08 02:13:58.417+00",
            "failed_count       | 10338",
            "last_failed_wal    | 00000001000002760000004E",
            "last_failed_time   | 2026-03-10 09:20:31.905+00",
            "stats_reset        | 2025-06-02 11:04:17.22+00",
            "",
            "$ grep -E 'archive_(mode|command)' /etc/postgresql/16/main/conf.d/10-archiving.conf",
            "archive_mode = on",
            "archive_command = 'test ! -f /mnt/walarchive/pg-billing/%f && cp %p /mnt/walarchive/pg-billing/%f'",
            "",
        ]
    )
    pg_text = (
        pg.render()
        .replace("database=shop", "database=billing")
        .replace('"shop.public.', '"billing.public.')
    )
    ssh = "\n".join(
        f"Mar 10 {(START + timedelta(minutes=m)).strftime('%H:%M:%S')} pg-billing-01 sshd[{rng.randrange(40000, 60000)}]: Invalid user {rng.choice(['admin', 'oracle', 'ubuntu', 'test', 'postgres', 'git'])} from 45.{rng.randrange(1, 250)}.{rng.randrange(1, 250)}.{rng.randrange(1, 250)} port {rng.randrange(30000, 65000)}"
        for m in sorted(rng.uniform(0, MINUTES) for _ in range(90))
    )
    return Bundle(
        question="billing-api lost its database at 09:41 UTC and PostgreSQL on pg-billing-01 will not start again. What is the root cause?",
        category="disk",
        component="pg-billing-01",
        statement="Since the Sunday 02:14 UTC reboot the NFS mount /mnt/walarchive failed to mount, so PostgreSQL's archive_command (cp into /mnt/walarchive/pg-billing/) fails for every WAL segment and the unarchived segments pile up in pg_wal until its 200 GB volume is full at 09:41 UTC: PANIC `No space left on device`, and recovery cannot start for the same reason.",
        files={
            "postgresql-2026-03-10.log": pg_text,
            "journalctl-boot.txt": journal,
            "notes.txt": notes,
            "logs/billing-api.log": api.render(),
            "auth.log": ssh + "\n",
        },
        proofs=[
            Proof("journalctl-boot.txt", "Failed to mount mnt-walarchive.mount"),
            Proof("notes.txt", "last_archived_time | 2026-03-08 02:13:58"),
            Proof("postgresql-2026-03-10.log", "PANIC:  could not write to file"),
        ],
        decoys=[
            "checkpoints are occurring too frequently (21 seconds apart)",
            "Invalid user",
            "Connection is not available, request timed out after 30000ms",
        ],
    )
