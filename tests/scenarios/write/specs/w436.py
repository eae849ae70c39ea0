# ruff: noqa: E501
# Hand-written syslog lines and pasted command output are data, kept whole on one line.
"""Host disk: on ingest-03 the event-collector 3.2.0 package (upgraded two days ago) shipped a
new /etc/logrotate.d/event-collector with `create` instead of `copytruncate` and no postrotate
signal. At midnight logrotate renamed and compressed collector.log; the JVM kept writing to
the now deleted file, which grows at ~3 GB an hour while `du` sees nothing. /var fills at
13:52 UTC: ingest-api's spool writes fail with ENOSPC and it answers 507 (loud). Decoys: the
nightly restic backup's CPU, chronyd stepping the clock by 0.8 s, and sshd's failed logins."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text
from records import PythonLogging, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, traffic

START = datetime(2026, 10, 14, 0, 0, tzinfo=UTC)
MINUTES = 14 * 60 + 20.0
FULL = 13 * 60 + 52.0
STEP = 300


def bundle() -> Bundle:
    rng = random.Random(43636)
    sys = LogFile("logs/ingest-03-syslog", Syslog3164("ingest-03", "systemd", 1))
    sys.add(host_traffic(rng, START, MINUTES, 2600))
    sys.add(
        [
            at(
                START,
                0.0,
                "INFO",
                "Starting logrotate.service - Rotate log files...",
                logger="systemd[1]",
            ),
            at(
                START,
                0.05,
                "INFO",
                "logrotate.service: Deactivated successfully.",
                logger="systemd[1]",
            ),
            at(
                START,
                0.06,
                "INFO",
                "Finished logrotate.service - Rotate log files.",
                logger="systemd[1]",
            ),
            at(
                START,
                120.0,
                "INFO",
                "Starting restic-backup.service - Nightly restic backup to s3:backups-eu/ingest-03...",
                logger="systemd[1]",
            ),
            at(
                START,
                161.5,
                "INFO",
                "Files:       18211 new,   402 changed, 2201933 unmodified",
                logger="restic[40211]",
            ),
            at(
                START,
                161.6,
                "INFO",
                "restic-backup.service: Consumed 37min 12.488s CPU time.",
                logger="systemd[1]",
            ),
            at(
                START,
                377.2,
                "WARN",
                "System clock wrong by 0.812344 seconds",
                logger="chronyd[702]",
            ),
            at(
                START,
                377.21,
                "WARN",
                "System clock was stepped by 0.812344 seconds",
                logger="chronyd[702]",
            ),
        ]
    )
    sys.add(
        loud(
            rng,
            START,
            420.0,
            90.0,
            40,
            fixed(
                "INFO",
                lambda r: (
                    f"Failed password for invalid user {r.choice(['admin', 'oracle', 'test', 'ubuntu'])} from 193.32.162.{r.randrange(2, 250)} port {r.randrange(30000, 60000)} ssh2"
                ),
            ),
        )
    )
    api = LogFile(
        "logs/ingest-api.log",
        PythonLogging(("ingest.api", "ingest.spool", "uvicorn.access"), rng=rng),
    )
    api.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f'10.30.{r.randrange(1, 6)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} - "POST /v1/events HTTP/1.1" 202'
                ),
            ),
            START,
            MINUTES,
            5200,
            logger="uvicorn.access",
        )
    )
    api.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"spooled batch {r.getrandbits(48):012x} events={r.randrange(50, 900)} bytes={r.randrange(20000, 900000)}"
                ),
            ),
            START,
            FULL,
            2000,
            logger="ingest.spool",
        )
    )
    api.add(
        loud(
            rng,
            START,
            FULL + 0.1,
            MINUTES - FULL - 0.3,
            700,
            fixed(
                "ERROR",
                lambda r: (
                    f"spool write failed for batch {r.getrandbits(48):012x}: [Errno 28] No space left on device: '/var/spool/ingest/{r.getrandbits(48):012x}.part'; answering 507"
                ),
            ),
        )
    )
    points = int(MINUTES * 60 // STEP)

    def used(index: int) -> float:
        minute = index * STEP / 60
        return min(100.0, 78.9 + minute / FULL * 21.1 + rng.gauss(0, 0.1))

    metrics = csv_text(
        START,
        STEP,
        points,
        {
            "var_used_percent": used,
            "var_avail_gb": lambda i: max(0.0, 200 * (100 - used(i)) / 100),
            "cpu_percent": lambda i: 18 + rng.gauss(0, 2) + (55 if 24 <= i < 33 else 0),
            "disk_write_mb_s": lambda i: 1.2 + rng.gauss(0, 0.1),
        },
        1,
    )
    pasted = "\n".join(
        [
            "root@ingest-03:~# df -h /var",
            "Filesystem      Size  Used Avail Use% Mounted on",
            "/dev/nvme1n1p1  197G  197G     0 100% /var",
            "root@ingest-03:~# du -xsh /var/* 2>/dev/null | sort -h | tail -4",
            "1.9G\t/var/cache",
            "4.2G\t/var/lib",
            "6.8G\t/var/log",
            "143G\t/var/spool",
            "root@ingest-03:~# lsof -nP +L1 /var | head -5",
            "COMMAND    PID      USER   FD   TYPE DEVICE    SIZE/OFF NLINK    NODE NAME",
            "java      2291 collector   41w   REG  259,1 41983471616     0  524311 /var/log/event-collector/collector.log.1 (deleted)",
            "java      2291 collector   57r   REG  259,1      880640     0  524402 /var/lib/event-collector/tmp/geo.mmdb (deleted)",
            "root@ingest-03:~# cat /etc/logrotate.d/event-collector",
            "/var/log/event-collector/*.log {",
            "    daily",
            "    rotate 7",
            "    compress",
            "    missingok",
            "    notifempty",
            "    create 0640 collector collector",
            "}",
            "root@ingest-03:~# cat /etc/logrotate.d/event-collector.dpkg-old",
            "/var/log/event-collector/*.log {",
            "    daily",
            "    rotate 7",
            "    compress",
            "    delaycompress",
            "    missingok",
            "    notifempty",
            "    copytruncate",
            "}",
            "root@ingest-03:~# grep -E 'event-collector' /var/log/dpkg.log | tail -3",
            "2026-10-12 10:41:07 upgrade event-collector:amd64 3.1.4 3.2.0",
            "2026-10-12 10:41:09 conffile /etc/logrotate.d/event-collector install",
            "2026-10-12 10:41:12 status installed event-collector:amd64 3.2.0",
            "root@ingest-03:~# ls -l /var/log/event-collector/",
            "-rw-r----- 1 collector collector          0 Oct 14 00:00 collector.log",
            "-rw-r----- 1 collector collector 2811042190 Oct 13 00:00 collector.log.1.gz",
            "-rw-r----- 1 collector collector 2733918202 Oct 12 00:00 collector.log.2.gz",
            "",
        ]
    )
    return Bundle(
        question="ingest-api has been answering 507 to every event batch since about 13:52 UTC. What is the root cause?",
        category="disk",
        component="ingest-03",
        statement="event-collector 3.2.0's new logrotate config uses `create` without copytruncate or a reopen signal, so since midnight's rotation the collector JVM on ingest-03 writes to a deleted log file (about 42 GB held open, invisible to du); /var filled at 13:52 UTC and ingest-api's spool writes fail with ENOSPC.",
        files={
            "ingest-03-shell.txt": pasted,
            "metrics/ingest-03-node.csv": metrics,
            "logs/ingest-03-syslog": sys.render(),
            "logs/ingest-api.log": api.render(),
        },
        proofs=[
            Proof("ingest-03-shell.txt", "collector.log.1 (deleted)"),
            Proof("ingest-03-shell.txt", "    create 0640 collector collector"),
            Proof("ingest-03-shell.txt", "conffile /etc/logrotate.d/event-collector install"),
        ],
        decoys=[
            "restic-backup.service: Consumed",
            "System clock was stepped by 0.812344 seconds",
            "Failed password for invalid user",
        ],
    )
