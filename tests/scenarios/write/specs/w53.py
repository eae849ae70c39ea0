# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""An hourly cron export leaves a 9 GB file in /tmp on every run since its cleanup step was
dropped; the root filesystem fills and invoice-renderer fails to write its temporary PDFs."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import NginxError, PythonLogging, Record, Syslog3164
from scenes import at, fixed, loud, python_traceback
from traffic import host_traffic, traffic, web_api

START = datetime(2025, 11, 3, 22, 30, tzinfo=UTC)
HOST = "docs-1"
RUNS = [30, 90, 150, 210, 270]
FULL_MINUTE = 212.4


def export_run(rng: random.Random, minute: int, number: int) -> list[Record]:
    pid = rng.randrange(20000, 32000)
    stamp = (START + timedelta(minutes=minute)).strftime("%Y%m%dT%H%M")
    started = START + timedelta(minutes=minute, seconds=rng.randrange(1, 3))
    records = [
        Record(
            started - timedelta(seconds=1),
            "INFO",
            "pam_unix(cron:session): session opened for user etl(uid=1003) by (uid=0)",
            (),
            f"CRON[{pid}]",
        ),
        Record(
            started - timedelta(milliseconds=800),
            "INFO",
            "(etl) CMD (/opt/etl/bin/export-orders.sh --out /tmp >> /dev/null 2>&1)",
            (),
            f"CRON[{pid}]",
        ),
        Record(
            started,
            "INFO",
            f"export started: orders since 2025-10-04, batch 50000, target /tmp/orders-export-{stamp}.csv",
            (),
            f"export-orders[{pid + 2}]",
        ),
    ]
    if minute + 6 < FULL_MINUTE:
        records += [
            Record(
                started + timedelta(minutes=5, seconds=rng.randrange(50)),
                "INFO",
                f"wrote /tmp/orders-export-{stamp}.csv (9.4G, 18204117 rows)",
                (),
                f"export-orders[{pid + 2}]",
            ),
            Record(
                started + timedelta(minutes=7, seconds=rng.randrange(50)),
                "INFO",
                f"uploaded orders-export-{stamp}.csv to s3://acme-etl/exports/ (multipart, 188 parts)",
                (),
                f"export-orders[{pid + 2}]",
            ),
            Record(
                started + timedelta(minutes=7, seconds=55),
                "INFO",
                "pam_unix(cron:session): session closed for user etl",
                (),
                f"CRON[{pid}]",
            ),
        ]
    elif minute < FULL_MINUTE:
        records += [
            Record(
                START + timedelta(minutes=FULL_MINUTE, seconds=1),
                "ERROR",
                f"write failed after 6.1G: /tmp/orders-export-{stamp}.csv: No space left on device",
                (),
                f"export-orders[{pid + 2}]",
            )
        ]
    else:
        records += [
            Record(
                started + timedelta(seconds=2),
                "ERROR",
                f"cannot create /tmp/orders-export-{stamp}.csv: No space left on device",
                (),
                f"export-orders[{pid + 2}]",
            )
        ]
    return records


def operator_notes() -> str:
    return """$ df -h
Filesystem       Size  Used Avail Use% Mounted on
/dev/root         49G   49G     0 100% /
tmpfs            7.8G     0  7.8G   0% /dev/shm
tmpfs            3.1G  1.2M  3.1G   1% /run
/dev/nvme1n1     197G   61G  127G  33% /var/lib/postgresql
/dev/nvme0n1p15  105M  6.1M   99M   6% /boot/efi
tmpfs            1.6G  4.0K  1.6G   1% /run/user/1000
$ sudo du -xsh /tmp/* 2>/dev/null | sort -h | tail -8
4.0K	/tmp/systemd-private-4f1d9c2a8e7b4b0c9a1d3e5f7a9b1c3d-chrony.service-Hk2Xq9
12K	/tmp/tmpq8w1z3rx
38M	/tmp/renderer-fonts-cache
6.1G	/tmp/orders-export-20251104T0200.csv
9.4G	/tmp/orders-export-20251103T2300.csv
9.4G	/tmp/orders-export-20251104T0000.csv
9.4G	/tmp/orders-export-20251104T0100.csv
$ cat /etc/cron.d/etl-export
# m h dom mon dow user command
0 * * * * etl /opt/etl/bin/export-orders.sh --out /tmp >> /dev/null 2>&1
"""


def bundle() -> Bundle:
    rng = random.Random(153)
    syslog = LogFile("syslog", Syslog3164(HOST, "CRON", 0))
    syslog.add(host_traffic(rng, START, 300, 1900))
    for number, minute in enumerate(RUNS):
        syslog.add(export_run(rng, minute, number))
    syslog.add(
        [
            Record(
                record.time,
                "WARN",
                "WARNING:  could not write to log file /var/log/postgresql/postgresql-15-main.log: No space left on device",
                (),
                "postgres[3071]",
            )
            for record in traffic(
                rng,
                fixed("INFO", lambda r: ""),
                START + timedelta(minutes=FULL_MINUTE + 0.5),
                80,
                60,
            )
        ]
    )
    syslog.add(
        [
            Record(
                record.time,
                "WARN",
                "Failed to write entry (9 items, 812 bytes), ignoring: No space left on device",
                (),
                "systemd-journald[311]",
            )
            for record in traffic(
                rng,
                fixed("INFO", lambda r: ""),
                START + timedelta(minutes=FULL_MINUTE + 0.2),
                80,
                40,
            )
        ]
    )
    renderer = LogFile(
        "invoice-renderer.log",
        PythonLogging(("renderer.api", "renderer.pdf", "gunicorn.error"), rng),
    )
    renderer.add(
        traffic(rng, web_api("invoice-renderer", ["invoices", "credit-notes"]), START, 300, 2300)
    )
    renderer.add(
        [
            at(
                START,
                FULL_MINUTE + 0.3,
                "ERROR",
                "render failed for invoice INV-2025-118204",
                python_traceback(
                    [
                        (
                            "/srv/renderer/renderer/pdf.py",
                            77,
                            "render",
                            "with tempfile.NamedTemporaryFile(suffix='.pdf', delete=False) as handle:",
                        ),
                        (
                            "/usr/lib/python3.11/tempfile.py",
                            563,
                            "NamedTemporaryFile",
                            "file = _io.open(dir, mode, buffering=buffering,",
                        ),
                    ],
                    "OSError: [Errno 28] No space left on device: '/tmp/tmpx1c9k2fe.pdf'",
                ),
                logger="renderer.pdf",
            )
        ]
    )
    renderer.add(
        loud(
            rng,
            START,
            FULL_MINUTE + 0.4,
            87,
            430,
            fixed(
                "ERROR",
                lambda r: (
                    f"render failed for invoice INV-2025-{r.randrange(118205, 119999)}: [Errno 28] No space left on device"
                ),
            ),
        )
    )
    renderer.add(
        loud(
            rng,
            START,
            FULL_MINUTE + 2,
            85,
            70,
            fixed(
                "ERROR",
                lambda r: (
                    f"Worker (pid:{r.randrange(4000, 9000)}) was sent SIGKILL! Perhaps out of memory?"
                ),
            ),
        )
    )
    nginx = LogFile("nginx-error.log", NginxError(rng))
    nginx.add(
        loud(
            rng,
            START,
            FULL_MINUTE + 0.5,
            87,
            260,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream prematurely closed connection while reading response header from upstream, client: 10.8.{r.randrange(256)}.{r.randrange(1, 255)}, server: docs.internal, request: "POST /api/v1/invoices/{r.randrange(10**6)}/pdf HTTP/1.1", upstream: "http://unix:/run/gunicorn.sock:/api/v1/invoices/pdf"'
                ),
            ),
        )
    )
    nginx.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: (
                    f'client intended to send too large body: {r.randrange(11, 40)}000000 bytes, client: 10.8.{r.randrange(256)}.{r.randrange(1, 255)}, server: docs.internal, request: "POST /api/v1/uploads HTTP/1.1"'
                ),
            ),
            START,
            300,
            35,
        )
    )
    return Bundle(
        question="Invoice PDFs fail since about 02:02 on docs-1 (gunicorn workers also getting killed). The df output is in ops-notes.txt. Root cause?",
        category="disk",
        component="export-orders",
        statement="The hourly export-orders cron job writes a 9.4 GB CSV to /tmp on the root filesystem and no longer deletes it after the upload, so four runs filled / (100%) and invoice-renderer can no longer create its temporary PDFs (Errno 28).",
        files={
            "syslog": syslog.render(),
            "invoice-renderer.log": renderer.render(),
            "nginx-error.log": nginx.render(),
            "ops-notes.txt": operator_notes(),
        },
        proofs=[
            Proof(
                "ops-notes.txt",
                "6.1G\t/tmp/orders-export-20251104T0200.csv",
                "9.4G\t/tmp/orders-export-20251104T0100.csv",
            ),
            Proof("syslog", "write failed after 6.1G"),
        ],
        decoys=[
            "Perhaps out of memory?",
            "upstream prematurely closed connection",
            "could not write to log file",
        ],
    )
