# ruff: noqa: E501
# Hand-written kernel and pino lines and pasted vSphere and shell output are data, kept whole on one line.
"""Host storage, a thin-provisioned datastore filling up: a backup job's VM snapshot on the
datastore DS-SAN-07 was never removed and its delta disk kept growing for eleven days; vCenter's
usage alarm turned yellow then red without anyone acting. At 13:47 JST (+09:00) the datastore has
no free space, ESXi cannot grow files-02's thin disk, the guest's writes fail, ext4 aborts its
journal and remounts /srv/uploads read-only. Loud: upload-api's EROFS errors and 500s. Inside the
guest `df` shows the volume 58% used. Decoys: a ClamAV reset, a slow thumbnail, a logrotate note."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, Pino, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, http_access, traffic

JST = ZoneInfo("Asia/Tokyo")
START = datetime(2026, 11, 5, 12, 20, tzinfo=JST)
MINUTES = 150.0
FULL = 87.0


def upload_line(r: random.Random):
    roll = r.random()
    if roll < 0.7:
        return (
            "INFO",
            f"stored upload {r.getrandbits(48):012x} size={r.randrange(2_000, 40_000_000)} path=/srv/uploads/{r.randrange(100):02d}/{r.getrandbits(32):08x} ms={r.randrange(20, 800)}",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"served {r.getrandbits(48):012x} bytes={r.randrange(2_000, 9_000_000)} ms={r.randrange(2, 90)}",
            (),
        )
    return (
        "WARN",
        f"thumbnail for {r.getrandbits(48):012x} took {r.randrange(2100, 5200)}ms (sharp, 24MP jpeg)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(33610)
    kern = LogFile("logs/files-02-syslog", Syslog3164("files-02", "kernel", 0))
    kern.add(host_traffic(rng, START, MINUTES, 700))
    k = "kernel"
    kern.add(
        [
            at(
                START,
                FULL,
                "ERROR",
                "sd 2:0:1:0: [sdb] tag#87 FAILED Result: hostbyte=DID_OK driverbyte=DRIVER_OK cmd_age=0s",
                logger=k,
            ),
            at(
                START,
                FULL + 0.01,
                "ERROR",
                "sd 2:0:1:0: [sdb] tag#87 Sense Key : Data Protect [current] ",
                logger=k,
            ),
            at(
                START,
                FULL + 0.02,
                "ERROR",
                "sd 2:0:1:0: [sdb] tag#87 Add. Sense: Space allocation failed write protect",
                logger=k,
            ),
            at(
                START,
                FULL + 0.03,
                "ERROR",
                "critical space allocation error, dev sdb, sector 412371200 op 0x1:(WRITE) flags 0x800 phys_seg 32 prio class 2",
                logger=k,
            ),
            at(
                START,
                FULL + 0.04,
                "ERROR",
                "Buffer I/O error on dev sdb1, logical block 51546144, lost async page write",
                logger=k,
            ),
            at(START, FULL + 0.05, "ERROR", "Aborting journal on device sdb1-8.", logger=k),
            at(
                START,
                FULL + 0.06,
                "ERROR",
                "EXT4-fs error (device sdb1): ext4_journal_check_start:83: comm node: Detected aborted journal",
                logger=k,
            ),
            at(
                START,
                FULL + 0.07,
                "ERROR",
                "EXT4-fs (sdb1): Remounting filesystem read-only",
                logger=k,
            ),
            at(
                START,
                25.0,
                "INFO",
                "logrotate.service: Consumed 1.204s CPU time, 4.1M memory peak.",
                logger="systemd[1]",
            ),
        ]
    )
    app = LogFile("logs/upload-api.log", Pino("files-02", rng))
    app.add(traffic(rng, upload_line, START, MINUTES, 3400))
    app.add(
        loud(
            rng,
            START,
            FULL + 0.1,
            MINUTES - FULL - 1,
            900,
            fixed(
                "ERROR",
                lambda r: (
                    f"upload failed: EROFS: read-only file system, open '/srv/uploads/{r.randrange(100):02d}/{r.getrandbits(32):08x}.part'"
                ),
            ),
        )
    )
    app.add(
        [
            at(
                START,
                52.0,
                "WARN",
                "clamd scan failed, retrying: read ECONNRESET (clamav.internal:3310), retry 1 ok",
            )
        ]
    )
    edge = LogFile("logs/files-edge-access.log", NginxAccess(rng, zone=JST))
    edge.add(
        traffic(
            rng,
            http_access(["/u/{id}", "/api/upload", "/api/upload", "/thumb/{id}"], 120),
            START,
            MINUTES,
            3600,
        )
    )
    edge.add(
        loud(
            rng,
            START,
            FULL + 0.1,
            MINUTES - FULL - 1,
            800,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /api/upload HTTP/1.1" 500 88 "-" "Mozilla/5.0 (X11; Linux x86_64)" {r.uniform(0.005, 0.08):.3f}'
                ),
            ),
        )
    )
    vsphere = "\n".join(
        [
            "PS> Get-VIEvent -Entity (Get-Datastore DS-SAN-07) -Start '2026-10-25' | Select CreatedTime, FullFormattedMessage | Format-Table -AutoSize",
            "",
            "CreatedTime          FullFormattedMessage",
            "-----------          --------------------",
            "2026/10/25 2:14:09   Task: Create virtual machine snapshot (files-02, 'veeam-job-files-daily-tmp')",
            "2026/11/01 9:02:41   Alarm 'Datastore usage on disk' on DS-SAN-07 changed from Green to Yellow",
            "2026/11/04 22:31:17  Alarm 'Datastore usage on disk' on DS-SAN-07 changed from Yellow to Red",
            "2026/11/05 13:46:58  files-02: There is no more space for virtual disk 'files-02_1-000003.vmdk'. Retry or cancel the operation after freeing space on the datastore.",
            "",
            "PS> Get-Datastore DS-SAN-07 | Select Name, CapacityGB, FreeSpaceGB",
            "",
            "Name       CapacityGB FreeSpaceGB",
            "----       ---------- -----------",
            "DS-SAN-07    4095.750       0.000",
            "",
            "PS> Get-VM files-02 | Get-Snapshot | Select Name, Created, SizeGB",
            "",
            "Name                        Created              SizeGB",
            "----                        -------              ------",
            "veeam-job-files-daily-tmp   2026/10/25 2:14:09  1412.88",
            "",
            "deploy@files-02:~$ df -h /srv/uploads",
            "Filesystem      Size  Used Avail Use% Mounted on",
            "/dev/sdb1       3.0T  1.7T  1.3T  58% /srv/uploads",
            "",
        ]
    )
    notes = "\n".join(
        [
            "障害メモ 14:10 JST — uploads failing with 500 since 13:47, downloads OK.",
            "- df on files-02 shows /srv/uploads 58% used, so not a full disk?",
            "- ClamAV had a reset at 13:12, retried OK.",
            "- Backup job for files-02 reported 'warning' on 25 Oct (snapshot removal timed out), ticket BKP-219 open.",
            "",
        ]
    )
    return Bundle(
        question="Uploads to files-02 fail with 500 and 'read-only file system' since 13:47 JST, yet df shows /srv/uploads only 58% full. What is the root cause?",
        category="disk",
        component="DS-SAN-07",
        statement="A backup snapshot of files-02 left on the thin-provisioned datastore DS-SAN-07 since 25 October grew until the datastore had no free space at 13:47 JST; ESXi could not extend files-02's disk, the guest's writes failed, ext4 aborted its journal and remounted /srv/uploads read-only.",
        files={
            "notes.md": notes,
            "vsphere-and-df.txt": vsphere,
            "logs/files-02-syslog": kern.render(),
            "logs/upload-api.log": app.render(),
            "logs/files-edge-access.log": edge.render(),
        },
        proofs=[
            Proof("vsphere-and-df.txt", "There is no more space for virtual disk"),
            Proof("vsphere-and-df.txt", "DS-SAN-07    4095.750       0.000"),
            Proof("vsphere-and-df.txt", "veeam-job-files-daily-tmp   2026/10/25"),
            Proof(
                "logs/files-02-syslog",
                "Space allocation failed write protect",
                "Remounting filesystem read-only",
            ),
        ],
        decoys=[
            "read ECONNRESET (clamav.internal:3310)",
            "(sharp, 24MP jpeg)",
            "logrotate.service: Consumed",
        ],
    )
