# ruff: noqa: E501
# Hand-written syslog, nginx and pino lines and pasted shell output are data, kept whole on one line.
"""Host, a data volume not mounted after an instance type change: media-02 moved from an m4
(Xen) to an m6i (Nitro) instance in Saturday's maintenance window. Its fstab still names the
media volume `/dev/xvdf`, which on Nitro appears as `/dev/nvme1n1`; with `nofail` the boot went
on after "Dependency failed for srv-media.mount", and media-upload kept writing new uploads
into the now-plain directory /srv/media on the 20 GB root volume. Older media answered 404
from then on (quiet), and on Monday at 09:41 CST the root filesystem filled: uploads fail
with ENOSPC and nginx cannot buffer request bodies (loud). Decoys: an XFS 2038 timestamp
notice, a slow image resize warning, certbot's renewal dry run."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, Pino, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, http_access, traffic, web_api

CHICAGO = ZoneInfo("America/Chicago")
START = datetime(2026, 11, 16, 14, 0, tzinfo=UTC)
MINUTES = 170.0
FULL = 101.0
BOOT = START - timedelta(days=1, hours=9, minutes=52)


def bundle() -> Bundle:
    rng = random.Random(42424)
    messages = LogFile("logs/media-02-messages", Syslog3164("media-02", "systemd", 1))
    messages.add(host_traffic(rng, BOOT + timedelta(minutes=3), MINUTES + 2029, 1400))
    messages.add(
        [
            at(
                BOOT,
                0.0,
                "INFO",
                "Linux version 6.1.112-124.190.amzn2023.x86_64 (mockbuild@ip-10-0-40-12) (gcc (GCC) 11.4.1 20230605) #1 SMP PREEMPT_DYNAMIC",
                logger="kernel",
            ),
            at(
                BOOT,
                0.02,
                "INFO",
                "DMI: Amazon EC2 m6i.2xlarge/, BIOS 1.0 10/16/2017",
                logger="kernel",
            ),
            at(BOOT, 0.05, "INFO", "nvme nvme1: 2/0/0 default/read/poll queues", logger="kernel"),
            at(
                BOOT,
                0.08,
                "WARN",
                "xfs filesystem being mounted at / supports timestamps until 2038-01-19 (0x7fffffff)",
                logger="kernel",
            ),
            at(
                BOOT,
                1.52,
                "ERROR",
                "dev-xvdf.device: Job dev-xvdf.device/start timed out.",
                logger="systemd[1]",
            ),
            at(
                BOOT,
                1.53,
                "ERROR",
                "Timed out waiting for device dev-xvdf.device - /dev/xvdf.",
                logger="systemd[1]",
            ),
            at(
                BOOT,
                1.54,
                "WARN",
                "Dependency failed for srv-media.mount - /srv/media.",
                logger="systemd[1]",
            ),
            at(
                BOOT,
                1.6,
                "INFO",
                "Reached target local-fs.target - Local File Systems.",
                logger="systemd[1]",
            ),
            at(
                BOOT,
                2.1,
                "INFO",
                "Started media-upload.service - Media upload API.",
                logger="systemd[1]",
            ),
            at(
                BOOT,
                2.2,
                "INFO",
                "Started nginx.service - A high performance web server and a reverse proxy server.",
                logger="systemd[1]",
            ),
            at(
                START,
                40.0,
                "INFO",
                "Saving debug log to /var/log/letsencrypt/letsencrypt.log",
                logger="certbot[88121]",
            ),
            at(
                START,
                40.3,
                "INFO",
                "Congratulations, all simulated renewals succeeded",
                logger="certbot[88121]",
            ),
        ]
    )
    app = LogFile("logs/media-upload.json", Pino("media-02", rng))
    app.add(
        traffic(
            rng, web_api("media-upload", ["uploads", "albums", "thumbnails"]), START, MINUTES, 3800
        )
    )
    app.add(
        [
            at(
                START,
                55.0,
                "WARN",
                "resize of 8000x6000 image u/77120/IMG_4411.HEIC took 4.8s (budget 2s)",
            ),
            at(
                START,
                FULL - 3.0,
                "INFO",
                "stored upload u/51288/vid_2026111609.mp4 (1.9 GiB) at /srv/media/u/51288/vid_2026111609.mp4",
            ),
        ]
    )
    app.add(
        loud(
            rng,
            START,
            FULL,
            MINUTES - FULL - 3,
            520,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        f"upload failed for user {r.randrange(10**5)}: ENOSPC: no space left on device, write '/srv/media/u/{r.randrange(10**5)}/{r.getrandbits(40):010x}.jpg'",
                        f"thumbnail job {r.getrandbits(32):08x} failed: ENOSPC: no space left on device, open '/srv/media/thumbs/{r.getrandbits(40):010x}_320.webp'",
                    ]
                ),
            ),
        )
    )
    access = LogFile("logs/media-02-nginx-access.log", NginxAccess(rng, CHICAGO))
    access.add(
        traffic(
            rng,
            http_access(["/api/uploads/{id}", "/api/albums/{id}", "/healthz"], 50),
            START,
            MINUTES,
            3000,
        )
    )
    access.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            900,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /media/u/{r.randrange(10**5)}/{r.getrandbits(40):010x}.jpg HTTP/1.1" {r.choice([200, 404, 404, 404])} {r.choice([153, 48211, 153])} "https://photos.example.com/" "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)" 0.001'
                ),
            ),
        )
    )
    access.add(
        loud(
            rng,
            START,
            FULL,
            MINUTES - FULL - 3,
            300,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /api/uploads HTTP/1.1" {r.choice([500, 500, 507])} 172 "https://photos.example.com/" "Mozilla/5.0 (X11; Linux x86_64)" {r.random() * 3:.3f}'
                ),
            ),
        )
    )
    error = LogFile("logs/media-02-nginx-error.log", NginxError(rng))
    error.add(
        loud(
            rng,
            START,
            FULL + 0.2,
            MINUTES - FULL - 3,
            260,
            fixed(
                "ERROR",
                lambda r: (
                    f'pwrite() "/var/lib/nginx/tmp/client_body/00000{r.randrange(10000, 99999)}" failed (28: No space left on device), client: 10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}, server: media.example.com, request: "POST /api/uploads HTTP/1.1", host: "media.example.com"'
                ),
            ),
        )
    )
    error.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f'a client request body is buffered to a temporary file /var/lib/nginx/tmp/client_body/00000{r.randrange(10000, 99999)}, client: 10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}, server: media.example.com, request: "POST /api/uploads HTTP/1.1", host: "media.example.com"'
                ),
            ),
        )
    )
    shell = "\n".join(
        [
            "[ec2-user@media-02 ~]$ df -h / /srv/media",
            "Filesystem      Size  Used Avail Use% Mounted on",
            "/dev/nvme0n1p1   20G   20G   20K 100% /",
            "/dev/nvme0n1p1   20G   20G   20K 100% /",
            "[ec2-user@media-02 ~]$ lsblk -o NAME,SIZE,FSTYPE,MOUNTPOINTS",
            "NAME          SIZE FSTYPE MOUNTPOINTS",
            "nvme0n1        20G",
            "├─nvme0n1p1    20G xfs    /",
            "└─nvme0n1p128  10M vfat   /boot/efi",
            "nvme1n1       500G xfs",
            "[ec2-user@media-02 ~]$ grep media /etc/fstab",
            "/dev/xvdf   /srv/media   xfs   defaults,nofail   0 2",
            "[ec2-user@media-02 ~]$ sudo du -sh /srv/media",
            "11G\t/srv/media",
            "[ec2-user@media-02 ~]$ findmnt /srv/media; echo rc=$?",
            "rc=1",
            "",
        ]
    )
    notes = "\n".join(
        [
            "media uploads failing - Mon 16 Nov (CST)",
            "- POST /api/uploads 500/507 since ~09:40 CST; media-01 unaffected (it is on the old instance type until next week)",
            "- Saturday 22:08 CST maintenance: media-02 resized m4.2xlarge -> m6i.2xlarge (CHG-9310), boot OK, health checks green",
            "- support tickets since Sunday: 'some of my old photos don't load' (SUP-4471, SUP-4480)",
            "- certbot dry run this morning fine",
            "",
        ]
    )
    return Bundle(
        question="Uploads to media-02 fail with 500s since about 09:40 CST. What is the root cause?",
        category="disk",
        component="media-02",
        statement="After media-02 was moved to a Nitro instance type, its fstab entry /dev/xvdf no longer matched the media volume (now nvme1n1); with nofail the mount was skipped, so uploads went into /srv/media on the 20 GB root volume until it filled on Monday and writes failed with ENOSPC.",
        files={
            "notes.md": notes,
            "media-02-shell.txt": shell,
            "logs/media-02-messages": messages.render(),
            "logs/media-upload.json": app.render(),
            "logs/media-02-nginx-error.log": error.render(),
            "logs/media-02-nginx-access.log": access.render(),
        },
        proofs=[
            Proof("logs/media-02-messages", "Dependency failed for srv-media.mount"),
            Proof("media-02-shell.txt", "/dev/xvdf   /srv/media"),
            Proof("media-02-shell.txt", "nvme1n1       500G xfs"),
        ],
        decoys=[
            "supports timestamps until 2038",
            "took 4.8s (budget 2s)",
            "all simulated renewals succeeded",
        ],
    )
