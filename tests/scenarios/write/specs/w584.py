# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""PostgreSQL host pg-ledger-02: after a kernel-patch reboot on Saturday 03:10 UTC the NFS
share for WAL archiving (/mnt/walarchive, `nofail` in fstab) did not mount (the NFS server was
still rebooting), and systemd carried on. archive_command copies into
/mnt/walarchive/ledger/, which no longer exists, so every segment's archiving fails and
PostgreSQL keeps the WAL in pg_wal. On Monday at 11:47 UTC the data volume is full and the
server PANICs; ledger-api's writes fail. Decoys: checkpoints occurring too frequently
(a consequence of the write load, not the cause), a long autovacuum, smartd's temperature note,
ledger-api's pool errors."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import Journal, PythonLogging, Record
from scenes import at, fixed, loud
from traffic import Line, host_traffic, traffic

BOOT = datetime(2026, 9, 12, 3, 10, tzinfo=UTC)
FULL = datetime(2026, 9, 14, 11, 47, tzinfo=UTC)
SEG = "0000000100000A3F000000C2"


@dataclass
class PgLog:
    """`log_line_prefix = '%m [%p] %q%u@%d '`; a record's logger `raw` is a child's stderr."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        if record.logger == "raw":
            return [record.message]
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d} UTC"
        )
        pid = record.logger or str(self.rng.randrange(1000, 90000))
        return [f"{stamp} [{pid}] {record.level}:  {record.message}"]


def pg_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "LOG",
            "connection authorized: user=ledger_app database=ledger application_name=ledger-api SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)",
            (),
        )
    if roll < 0.65:
        return (
            "LOG",
            f"disconnection: session time: 0:{rng.randrange(0, 59):02d}:{rng.randrange(0, 59):02d}.{rng.randrange(100, 999)} user=ledger_app database=ledger host=10.30.{rng.randrange(4, 8)}.{rng.randrange(10, 200)} port={rng.randrange(30000, 60000)}",
            (),
        )
    if roll < 0.8:
        return (
            "LOG",
            f"checkpoint complete: wrote {rng.randrange(2000, 90000)} buffers ({rng.randrange(1, 40)}.{rng.randrange(10)}%); 0 WAL file(s) added, 0 removed, {rng.randrange(0, 3)} recycled; write={rng.randrange(100, 269)}.{rng.randrange(100, 999)} s, sync=0.{rng.randrange(100, 999)} s, total={rng.randrange(100, 270)}.{rng.randrange(100, 999)} s",
            (),
        )
    if roll < 0.9:
        return "LOG", "checkpoint starting: time", ()
    return (
        "LOG",
        f"duration: {rng.randrange(1000, 4200)}.{rng.randrange(100, 999)} ms  statement: SELECT account_id, sum(amount) FROM ledger_entries WHERE booked_at >= $1 GROUP BY account_id",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(58407)
    pg = LogFile("logs/postgresql-16-main.log", PgLog(random.Random(5841)))
    pg.add(traffic(rng, pg_line, BOOT - timedelta(minutes=40), 25, 260))
    pg.add(
        [
            at(BOOT, -14.0, "LOG", "received fast shutdown request", logger="1187"),
            at(BOOT, -13.98, "LOG", "aborting any active transactions", logger="1187"),
            at(BOOT, -13.6, "LOG", "database system is shut down", logger="1187"),
            at(
                BOOT,
                1.82,
                "LOG",
                "starting PostgreSQL 16.4 (Ubuntu 16.4-1.pgdg22.04+1) on x86_64-pc-linux-gnu, compiled by gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, 64-bit",
                logger="1042",
            ),
            at(BOOT, 1.83, "LOG", 'listening on IPv4 address "0.0.0.0", port 5432', logger="1042"),
            at(
                BOOT,
                1.9,
                "LOG",
                "database system was shut down at 2026-09-12 02:56:24 UTC",
                logger="1051",
            ),
            at(BOOT, 1.95, "LOG", "database system is ready to accept connections", logger="1042"),
        ]
    )
    pg.add(traffic(rng, pg_line, BOOT + timedelta(minutes=2), 120, 900))
    archiver = "1058"
    first = BOOT + timedelta(minutes=2, seconds=36, milliseconds=118)
    for i in range(3):
        t = first + timedelta(seconds=i, milliseconds=i * 7)
        pg.add(
            [
                Record(
                    t,
                    "raw",
                    f"cp: cannot create regular file '/mnt/walarchive/ledger/{SEG}': No such file or directory",
                    (),
                    "raw",
                ),
                Record(
                    t + timedelta(milliseconds=2),
                    "LOG",
                    "archive command failed with exit code 1",
                    (),
                    archiver,
                ),
                Record(
                    t + timedelta(milliseconds=3),
                    "DETAIL",
                    f"The failed archive command was: test ! -f /mnt/walarchive/ledger/{SEG} && cp pg_wal/{SEG} /mnt/walarchive/ledger/{SEG}",
                    (),
                    archiver,
                ),
            ]
        )
    pg.add(
        [
            at(
                BOOT,
                2.66,
                "WARNING",
                f'archiving write-ahead log file "{SEG}" failed too many times, will try again later',
                logger=archiver,
            )
        ]
    )
    for minute in range(4, 120, 1):
        pg.add(
            [
                at(
                    BOOT,
                    minute + 0.3,
                    "LOG",
                    "archive command failed with exit code 1",
                    logger=archiver,
                ),
                at(
                    BOOT,
                    minute + 0.33,
                    "WARNING",
                    f'archiving write-ahead log file "{SEG}" failed too many times, will try again later',
                    logger=archiver,
                ),
            ]
        )
    pg.add(
        [
            at(
                BOOT,
                41.0,
                "LOG",
                'automatic vacuum of table "ledger.public.ledger_entries": index scans: 1\n'.strip()
                + " pages: 0 removed, 3120448 remain, 421877 scanned (13.52% of total); elapsed: 1811.42 s",
                logger="22817",
            )
        ]
    )
    # Monday: the fill-up
    mon = FULL - timedelta(minutes=50)
    pg.add(traffic(rng, pg_line, mon, 62, 700))
    for minute in range(0, 50, 1):
        pg.add(
            [
                at(
                    mon,
                    minute + 0.41,
                    "LOG",
                    "archive command failed with exit code 1",
                    logger=archiver,
                ),
                at(
                    mon,
                    minute + 0.44,
                    "WARNING",
                    f'archiving write-ahead log file "{SEG}" failed too many times, will try again later',
                    logger=archiver,
                ),
            ]
        )
    pg.add(
        [
            at(
                mon,
                12.5,
                "LOG",
                "checkpoints are occurring too frequently (24 seconds apart)",
                logger="1049",
            ),
            at(
                mon,
                12.501,
                "HINT",
                'Consider increasing the configuration parameter "max_wal_size".',
                logger="1049",
            ),
            at(
                FULL,
                0.0,
                "PANIC",
                'could not write to file "pg_wal/xlogtemp.77314": No space left on device',
                logger="77314",
            ),
            at(
                FULL,
                0.02,
                "LOG",
                "WAL writer process (PID 77314) was terminated by signal 6: Aborted",
                logger="1042",
            ),
            at(FULL, 0.03, "LOG", "terminating any other active server processes", logger="1042"),
            at(FULL, 0.2, "LOG", "all server processes terminated; reinitializing", logger="1042"),
            at(
                FULL,
                0.25,
                "LOG",
                "database system was interrupted; last known up at 2026-09-14 11:46:31 UTC",
                logger="80112",
            ),
            at(
                FULL,
                0.4,
                "FATAL",
                'could not write to file "pg_wal/xlogtemp.80112": No space left on device',
                logger="80112",
            ),
            at(
                FULL,
                0.45,
                "LOG",
                "startup process (PID 80112) exited with exit code 1",
                logger="1042",
            ),
            at(FULL, 0.46, "LOG", "aborting startup due to startup process failure", logger="1042"),
            at(FULL, 0.5, "LOG", "database system is shut down", logger="1042"),
        ]
    )
    journal = LogFile("pg-ledger-02-journal.txt", Journal("pg-ledger-02", "systemd", 1))
    boot_lines = [
        (
            0.05,
            "kernel",
            "Linux version 5.15.0-122-generic (buildd@lcy02-amd64-034) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #132-Ubuntu SMP",
        ),
        (0.6, "systemd[1]", "Reached target local-fs.target - Local File Systems."),
        (0.9, "systemd[1]", "Starting networking.service - Raise network interfaces..."),
        (1.0, "systemd[1]", "Reached target network-online.target - Network is Online."),
        (1.05, "systemd[1]", "Mounting mnt-walarchive.mount - /mnt/walarchive..."),
        (
            1.7,
            "mount[812]",
            "mount.nfs: Connection timed out for nas-b.dc1.internal:/export/pgwal on /mnt/walarchive",
        ),
        (
            1.71,
            "systemd[1]",
            "mnt-walarchive.mount: Mount process exited, code=exited, status=32/n/a",
        ),
        (1.72, "systemd[1]", "mnt-walarchive.mount: Failed with result 'exit-code'."),
        (1.73, "systemd[1]", "Failed to mount mnt-walarchive.mount - /mnt/walarchive."),
        (1.74, "systemd[1]", "Reached target remote-fs.target - Remote File Systems."),
        (1.8, "systemd[1]", "Starting postgresql@16-main.service - PostgreSQL Cluster 16-main..."),
        (1.99, "systemd[1]", "Started postgresql@16-main.service - PostgreSQL Cluster 16-main."),
        (
            2.4,
            "smartd[702]",
            "Device: /dev/sdb [SAT], SMART Usage Attribute: 194 Temperature_Celsius changed from 34 to 41",
        ),
        (
            3.1,
            "systemd[1]",
            "Startup finished in 4.118s (kernel) + 1min 58.204s (userspace) = 2min 2.322s.",
        ),
    ]
    journal.add(
        [
            Record(BOOT + timedelta(minutes=m, milliseconds=(i * 37) % 500), "INFO", msg, (), prog)
            for i, (m, prog, msg) in enumerate(boot_lines)
        ]
    )
    journal.add(host_traffic(rng, BOOT + timedelta(minutes=4), 180, 320))
    journal.add(host_traffic(rng, FULL - timedelta(minutes=60), 70, 140))
    journal.add(
        [
            Record(
                FULL + timedelta(seconds=31),
                "INFO",
                "postgresql@16-main.service: Main process exited, code=exited, status=1/FAILURE",
                (),
                "systemd[1]",
            ),
            Record(
                FULL + timedelta(seconds=32),
                "INFO",
                "postgresql@16-main.service: Failed with result 'exit-code'.",
                (),
                "systemd[1]",
            ),
        ]
    )

    class JournalByProgram(Journal):
        def render(self, record: Record) -> list[str]:
            stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
            return [f"{stamp} pg-ledger-02 {record.logger}: {record.message}"]

    journal.format = JournalByProgram("pg-ledger-02", "systemd", 1)
    api = LogFile(
        "logs/ledger-api.log", PythonLogging(("ledger.api", "ledger.db", "uvicorn.access"))
    )
    api.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'10.30.{r.randrange(1, 3)}.{r.randrange(10, 250)}:{r.randrange(30000, 60000)} - "POST /v2/postings HTTP/1.1" 201',
                (),
            ),
            FULL - timedelta(minutes=50),
            64,
            2600,
            "uvicorn.access",
        )
    )
    api.add(
        loud(
            rng,
            FULL - timedelta(minutes=50),
            50.05,
            13,
            380,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        'posting failed: psycopg.OperationalError: connection to server at "pg-ledger-02.dc1.internal" (10.30.9.12), port 5432 failed: Connection refused',
                        "posting failed: psycopg.errors.AdminShutdown: terminating connection because of crash of another server process",
                        "posting failed: psycopg_pool.PoolTimeout: couldn't get a connection after 30.00 sec",
                    ]
                ),
            ),
        )
    )
    points = 62
    start = BOOT - timedelta(hours=2)
    used = shift(rng, 1.3, 1.3, 0, 0.15)
    fill = lambda i: min(100.0, 41.0 + max(0, i - 2) * (59.0 / (56.6))) + rng.gauss(0, 0.05)  # noqa: E731
    metrics = csv_text(
        start,
        3600,
        points,
        {
            "pg_data_used_percent": fill,
            "pg_wal_size_gb": lambda i: max(0.9, (fill(i) - 41.0) * 4.78 + 0.9),
            "pg_archiver_failed_count": lambda i: (
                0 if i < 2 else float(int((i - 2) * 60 + rng.randrange(0, 3)))
            ),
            "pg_xact_commit_rate": shift(rng, 412.0, 412.0, 0, 0.2),
            "node_load1": used,
        },
        1,
    )
    shell = (
        "\n".join(
            [
                "pg-ledger-02 (Monday 11:58 UTC, pasted by the on-call engineer)",
                "",
                "$ df -h /var/lib/postgresql /mnt/walarchive",
                "Filesystem                 Size  Used Avail Use% Mounted on",
                "/dev/mapper/vgdata-pgdata  480G  480G     0 100% /var/lib/postgresql",
                "/dev/mapper/vg0-root        48G   11G   35G  24% /",
                "",
                "$ du -sh /var/lib/postgresql/16/main/pg_wal /var/lib/postgresql/16/main/base",
                "284G\t/var/lib/postgresql/16/main/pg_wal",
                "193G\t/var/lib/postgresql/16/main/base",
                "",
                "$ ls /var/lib/postgresql/16/main/pg_wal/archive_status | grep -c ready",
                "18166",
                "",
                "$ grep -E 'walarchive|pgdata' /etc/fstab",
                "/dev/mapper/vgdata-pgdata  /var/lib/postgresql  xfs  defaults,noatime  0 2",
                "nas-b.dc1.internal:/export/pgwal  /mnt/walarchive  nfs4  rw,hard,_netdev,nofail,x-systemd.mount-timeout=30  0 0",
                "",
                '$ sudo -u postgres psql -Atc "show archive_command"',
                "test ! -f /mnt/walarchive/ledger/%f && cp %p /mnt/walarchive/ledger/%f",
                "",
                '(psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory -- server is down)',
            ]
        )
        + "\n"
    )
    return Bundle(
        question="ledger-api cannot write postings since 11:47 UTC on Monday and pg-ledger-02's PostgreSQL will not come back up. What is the root cause?",
        category="disk",
        component="pg-ledger-02",
        statement="After Saturday's 03:10 UTC reboot the NFS share /mnt/walarchive on pg-ledger-02 failed to mount (fstab `nofail`), so every archive_command run fails and the server retains all WAL in pg_wal until its data volume is 100% used on Monday 11:47 UTC and it PANICs with No space left on device.",
        files={
            "pg-ledger-02-journal.txt": journal.render(),
            "logs/postgresql-16-main.log": pg.render(),
            "logs/ledger-api.log": api.render(),
            "grafana-pg-ledger-02.csv": metrics,
            "oncall-shell.txt": shell,
        },
        proofs=[
            Proof("pg-ledger-02-journal.txt", "Failed to mount mnt-walarchive.mount"),
            Proof(
                "logs/postgresql-16-main.log",
                "2026-09-12 03:12:36.120 UTC [1058] LOG:  archive command failed",
                "The failed archive command was",
            ),
            Proof("logs/postgresql-16-main.log", 'could not write to file "pg_wal/xlogtemp.77314"'),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "automatic vacuum of table",
            "Temperature_Celsius changed",
            "PoolTimeout",
        ],
    )
