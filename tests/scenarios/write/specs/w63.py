# ruff: noqa: E501
# Hand-written kernel lines and smartctl output are data, kept whole on one line.
"""The data disk of media-store-2 is failing: medium errors and unrecoverable reads in the kernel
log, then ext4 aborts its journal and remounts the blob volume read-only; blobd and nginx shout
about read-only files and bad gateways, and a backup job fails beside them."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import NginxError, Record, Syslog3164
from scenes import fixed, loud
from traffic import host_traffic, traffic, web_api

TOKYO = ZoneInfo("Asia/Tokyo")
START = datetime(2025, 6, 17, 3, 10, tzinfo=TOKYO)
UPTIME_AT_START = 8_803_114.402


def kernel(minute: float, message: str, step: int = 0) -> Record:
    """A kernel ring-buffer line `minute` minutes after START, `step` microseconds apart in a burst."""
    time = START + timedelta(minutes=minute, microseconds=step * 41)
    uptime = UPTIME_AT_START + minute * 60 + step * 0.000041
    return Record(time, "ERROR", f"[{uptime:.6f}] {message}", (), "kernel")


def medium_error(minute: float, sector: int, tag: int) -> list[Record]:
    lines = [
        "ata3.00: exception Emask 0x0 SAct 0x800000 SErr 0x0 action 0x0",
        "ata3.00: irq_stat 0x40000008",
        "ata3.00: failed command: READ FPDMA QUEUED",
        f"ata3.00: cmd 60/08:b8:{sector & 0xFF:02x}:{(sector >> 8) & 0xFF:02x}:{(sector >> 16) & 0xFF:02x}/00:00:74:00:00/40 tag {tag} ncq dma 4096 in",
        f"         res 41/40:00:{sector & 0xFF:02x}:{(sector >> 8) & 0xFF:02x}:{(sector >> 16) & 0xFF:02x}/00:00:74:00:00/00 Emask 0x409 (media error) <F>",
        "ata3.00: status: { DRDY ERR }",
        "ata3.00: error: { UNC }",
        "ata3.00: configured for UDMA/133",
        f"sd 2:0:0:0: [sdc] tag#{tag} FAILED Result: hostbyte=DID_OK driverbyte=DRIVER_OK cmd_age=3s",
        f"sd 2:0:0:0: [sdc] tag#{tag} Sense Key : Medium Error [current]",
        f"sd 2:0:0:0: [sdc] tag#{tag} Add. Sense: Unrecovered read error - auto reallocate failed",
        f"I/O error, dev sdc, sector {sector} op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 2",
        "ata3: EH complete",
    ]
    return [kernel(minute, line, step) for step, line in enumerate(lines)]


def smartctl() -> str:
    lines = [
        "# smartctl -a /dev/sdc",
        "smartctl 7.4 2023-08-01 r5530 [x86_64-linux-6.8.0-57-generic] (local build)",
        "",
        "=== START OF INFORMATION SECTION ===",
        "Device Model:     ST8000NM017B-2TJ103",
        "Serial Number:    WWZ3K9QF",
        "User Capacity:    8,001,563,222,016 bytes [8.00 TB]",
        "Rotation Rate:    7200 rpm",
        "SMART support is: Enabled",
        "",
        "=== START OF READ SMART DATA SECTION ===",
        "SMART overall-health self-assessment test result: PASSED",
        "",
        "ID# ATTRIBUTE_NAME          FLAG     VALUE WORST THRESH TYPE      UPDATED  WHEN_FAILED RAW_VALUE",
        "  1 Raw_Read_Error_Rate     0x000f   071   064   044    Pre-fail  Always       -       12837409",
        "  3 Spin_Up_Time            0x0003   091   090   000    Pre-fail  Always       -       0",
        "  5 Reallocated_Sector_Ct   0x0033   088   088   010    Pre-fail  Always       -       1864",
        "  9 Power_On_Hours          0x0032   061   061   000    Old_age   Always       -       34411",
        "187 Reported_Uncorrect      0x0032   001   001   000    Old_age   Always       -       412",
        "194 Temperature_Celsius     0x0022   038   047   000    Old_age   Always       -       38 (0 17 0 0 0)",
        "197 Current_Pending_Sector  0x0012   100   100   000    Old_age   Always       -       296",
        "198 Offline_Uncorrectable   0x0010   100   100   000    Old_age   Offline      -       296",
        "199 UDMA_CRC_Error_Count    0x003e   200   200   000    Old_age   Always       -       0",
        "",
        "SMART Error Log Version: 1",
        "ATA Error Count: 412 (device log contains only the most recent five errors)",
        "Error 412 occurred at disk power-on lifetime: 34411 hours (1433 days + 19 hours)",
        "  When the command that caused the error occurred, the device was active or idle.",
        "  40 51 00 ff ff ff 0f  Error: UNC at LBA = 0x0fffffff = 268435455",
    ]
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(163)
    syslog = LogFile("syslog", Syslog3164("media-store-2", "blobd", 1422))
    syslog.add(host_traffic(rng, START, 45, 1320))
    syslog.add(
        traffic(
            rng,
            web_api("blobd", ["blobs", "thumbnails", "uploads"]),
            START,
            45,
            1540,
            logger="blobd[1422]",
        )
    )
    syslog.add(medium_error(6.3, 1951245336, 23))
    syslog.add(medium_error(11.8, 1951245344, 7))
    syslog.add(medium_error(18.2, 1951246016, 12))
    syslog.add(
        [
            kernel(
                18.4,
                "blk_update_request: I/O error, dev sdc, sector 1950880768 op 0x1:(WRITE) flags 0x800 phys_seg 8 prio class 2",
            ),
            kernel(
                18.4,
                "Buffer I/O error on dev sdc1, logical block 243859840, lost sync page write",
                1,
            ),
            kernel(18.4, "JBD2: Error -5 detected when updating journal superblock for sdc1-8.", 2),
            kernel(18.4, "Aborting journal on device sdc1-8.", 3),
            kernel(
                18.4,
                "EXT4-fs error (device sdc1): ext4_journal_check_start:84: comm blobd: Detected aborted journal",
                4,
            ),
            kernel(18.4, "EXT4-fs (sdc1): Remounting filesystem read-only", 5),
        ]
    )
    syslog.add(
        loud(
            rng,
            START,
            18.5,
            26,
            402,
            fixed(
                "ERROR",
                lambda r: (
                    f"PUT /api/v1/uploads/{r.getrandbits(48):012x} 500: open /srv/blobs/{r.getrandbits(8):02x}/{r.getrandbits(8):02x}/{r.getrandbits(64):016x}.part: read-only file system"
                ),
            ),
        )
    )
    syslog.add(
        loud(
            rng,
            START,
            18.6,
            26,
            96,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /api/v1/blobs/{r.getrandbits(64):016x} 500: read /srv/blobs/{r.getrandbits(8):02x}/{r.getrandbits(8):02x}/{r.getrandbits(64):016x}: input/output error"
                ),
            ),
        )
    )
    syslog.add(
        [
            Record(
                START + timedelta(minutes=30, seconds=2.118),
                "ERROR",
                'rsync: [receiver] mkstemp "/srv/blobs/.snapshots/2025-06-17/.index.db.Xk2qP1" failed: Read-only file system (30)',
                (),
                "backup-blobs[88213]",
            ),
            Record(
                START + timedelta(minutes=30, seconds=2.931),
                "ERROR",
                "rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1338) [generator=3.2.7]",
                (),
                "backup-blobs[88213]",
            ),
            Record(
                START + timedelta(minutes=30, seconds=3.004),
                "INFO",
                "backup-blobs.service: Main process exited, code=exited, status=23/n/a",
                (),
                "systemd[1]",
            ),
        ]
    )
    edge = LogFile("nginx-error.log", NginxError(rng))
    edge.add(
        loud(
            rng,
            START,
            0,
            45,
            120,
            fixed(
                "WARN",
                lambda r: (
                    f'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{r.randrange(10)}/{r.randrange(100):02d}/{r.randrange(10**10):010d} while reading upstream, client: 203.0.113.{r.randrange(1, 255)}, server: media.example.jp, request: "GET /i/{r.getrandbits(40):010x}.jpg HTTP/2.0", upstream: "http://127.0.0.1:9000/api/v1/blobs/{r.getrandbits(40):010x}"'
                ),
            ),
        )
    )
    edge.add(
        loud(
            rng,
            START,
            18.5,
            26,
            388,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream prematurely closed connection while reading response header from upstream, client: 203.0.113.{r.randrange(1, 255)}, server: media.example.jp, request: "PUT /upload HTTP/2.0", upstream: "http://127.0.0.1:9000/api/v1/uploads/{r.getrandbits(40):010x}"'
                ),
            ),
        )
    )
    edge.add(
        loud(
            rng,
            START,
            6.4,
            38,
            77,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 203.0.113.{r.randrange(1, 255)}, server: media.example.jp, request: "GET /i/{r.getrandbits(40):010x}.jpg HTTP/2.0", upstream: "http://127.0.0.1:9000/api/v1/blobs/{r.getrandbits(40):010x}"'
                ),
            ),
        )
    )
    return Bundle(
        question="media.example.jp uploads fail since about 03:28 JST and some images time out; the backup job also failed. What is broken on media-store-2?",
        category="hardware",
        component="media-store-2",
        statement="The data disk sdc on media-store-2 is failing (medium errors, unrecoverable reads, 296 pending sectors), and a failed write made ext4 abort its journal and remount /srv/blobs read-only.",
        files={
            "syslog": syslog.render(),
            "smartctl-sdc.txt": smartctl(),
            "nginx-error.log": edge.render(),
        },
        proofs=[
            Proof("syslog", "[sdc] tag#23 Add. Sense: Unrecovered read error", "sector 1951245336"),
            Proof(
                "syslog", "Aborting journal on device sdc1-8.", "Remounting filesystem read-only"
            ),
            Proof("smartctl-sdc.txt", "197 Current_Pending_Sector"),
        ],
        decoys=[
            "read-only file system",
            "upstream prematurely closed connection",
            "rsync error: some files/attrs were not transferred",
            "upstream timed out (110: Connection timed out)",
        ],
    )
