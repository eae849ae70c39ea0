# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""Host vm-store-03 (VictoriaMetrics single node, journal in America/Bogota local time): its
data disk was replaced on Sunday by a larger volume formatted fresh and synced, which gave the
filesystem a new UUID, but /etc/fstab still mounts /srv/vmdata by the old UUID with `nofail`.
Nothing restarted until Monday night's kernel update reboot (21:02 local, 02:02 UTC): systemd
times out waiting for the old device, skips the mount, and victoriametrics.service, which has
`RequiresMountsFor=/srv/vmdata`, fails with a dependency error. vmagent's remote writes are
refused and Grafana's dashboards go blank. Decoys: systemd-resolved's degraded feature set,
a vmagent scrape timeout on one exporter, Grafana's NoData alert states."""

import random
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Record
from traffic import Line, traffic

LOCAL = ZoneInfo("America/Bogota")
BOOT = datetime(2026, 11, 3, 2, 2, 10, tzinfo=UTC)
OLD = "3f1c9a2e-58b4-4d0f-9e21-7ab4c6d0e913"
NEW = "b7e04d51-2c93-4f6a-8d17-e95a0c3f4b28"
OLD_UNIT = "dev-disk-by\\x2duuid-3f1c9a2e\\x2d58b4\\x2d4d0f\\x2d9e21\\x2d7ab4c6d0e913.device"


@dataclass
class ShortPrecise:
    """`journalctl -o short-precise`: local time with microseconds, no zone."""

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(LOCAL)
        return [
            f"{local.strftime('%b %d %H:%M:%S')}.{local.microsecond:06d} vm-store-03 {record.logger}: {record.message}"
        ]


@dataclass
class VmLog:
    """VictoriaMetrics components' tab-separated log lines."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [
            f"{stamp}\t{record.level.lower()}\t{record.logger or 'VictoriaMetrics/lib/promscrape/scraper.go:129'}\t{record.message}"
        ]


@dataclass
class GrafanaLog:
    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.astimezone(LOCAL).strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}-05:00"
        )
        return [f"logger={record.logger} t={stamp} level={record.level.lower()} {record.message}"]


def j(seconds: float, program: str, message: str) -> Record:
    jitter = zlib.crc32(message.encode()) % 9000
    return Record(
        BOOT + timedelta(seconds=seconds, microseconds=jitter), "INFO", message, (), program
    )


def host_line(rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.3:
        return f"CRON[{rng.randrange(3000, 9000)}]", "(root) CMD (/usr/lib/sysstat/debian-sa1 1 1)"
    if roll < 0.55:
        return (
            f"sshd[{rng.randrange(3000, 9000)}]",
            f"Accepted publickey for ops from 10.70.{rng.randrange(1, 9)}.{rng.randrange(2, 250)} port {rng.randrange(30000, 60000)} ssh2: ED25519 SHA256:{rng.getrandbits(96):024x}",
        )
    if roll < 0.75:
        return (
            "systemd[1]",
            f"Started session-{rng.randrange(10, 900)}.scope - Session {rng.randrange(10, 900)} of User ops.",
        )
    if roll < 0.9:
        return (
            "node_exporter[1187]",
            f'ts={(BOOT + timedelta(minutes=rng.randrange(60))).strftime("%Y-%m-%dT%H:%M:%S.000Z")} caller=collector.go:169 level=debug msg="collector succeeded" name={rng.choice(["cpu", "filesystem", "diskstats", "netdev"])}',
        )
    return (
        "systemd-resolved[702]",
        "Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 10.70.0.2.",
    )


def vmagent_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"{rng.choice(['node', 'blackbox', 'postgres', 'nginx'])} scrape job: successfully scraped {rng.randrange(3, 60)} targets; samples={rng.randrange(1000, 90000)}",
        (),
    )


def refused(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'couldn\'t send a block with size {rng.randrange(80000, 900000)} bytes to "1:secret-url": Post "http://vm-store-03:8428/api/v1/write": dial tcp 10.70.2.33:8428: connect: connection refused; re-sending the block in {rng.choice(["2.000", "4.000", "8.000", "16.000", "32.000", "1m0s"])} seconds',
        (),
    )


def query_error(rng: random.Random) -> Line:
    dashboard = rng.choice(["Node overview", "Postgres fleet", "Edge latency", "Payments SLO"])
    return (
        "ERROR",
        f'Query error error="Post \\"http://vm-store-03:8428/api/v1/query_range\\": dial tcp 10.70.2.33:8428: connect: connection refused" dashboard="{dashboard}" refId=A',
        (),
    )


def nodata(rng: random.Random) -> Line:
    rule = rng.choice(["HighErrorRate", "DiskAlmostFull", "NodeDown"])
    return (
        "INFO",
        f'State changed from Normal to NoData rule_uid={rng.getrandbits(40):010x} rule="{rule}"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(58710)
    journal = LogFile("vm-store-03-journal.txt", ShortPrecise())
    before = BOOT - timedelta(hours=1)
    for offset in sorted(rng.random() * 3300 for _ in range(260)):
        program, message = host_line(rng)
        journal.add([Record(before + timedelta(seconds=offset), "INFO", message, (), program)])
    journal.add(
        [
            Record(
                BOOT - timedelta(seconds=140),
                "INFO",
                "Received SIGTERM",
                (),
                "victoria-metrics[1211]",
            ),
            Record(
                BOOT - timedelta(seconds=139),
                "INFO",
                "gracefully shutting down the service",
                (),
                "victoria-metrics[1211]",
            ),
            Record(
                BOOT - timedelta(seconds=131),
                "INFO",
                "Stopped victoriametrics.service - VictoriaMetrics single-node.",
                (),
                "systemd[1]",
            ),
            Record(
                BOOT - timedelta(seconds=129),
                "INFO",
                "Unmounting srv-vmdata.mount - /srv/vmdata...",
                (),
                "systemd[1]",
            ),
            Record(
                BOOT - timedelta(seconds=128),
                "INFO",
                "srv-vmdata.mount: Deactivated successfully.",
                (),
                "systemd[1]",
            ),
            Record(
                BOOT - timedelta(seconds=120), "INFO", "reboot: Restarting system", (), "kernel"
            ),
            j(
                0.0,
                "kernel",
                "Linux version 6.8.0-49-generic (buildd@lcy02-amd64-103) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0) #49-Ubuntu SMP PREEMPT_DYNAMIC",
            ),
            j(1.2, "kernel", "nvme nvme1: 2/0/0 default/read/poll queues"),
            j(1.3, "kernel", " nvme1n1:"),
            j(
                3.9,
                "systemd[1]",
                "Expecting device dev-disk-by\\x2duuid-3f1c9a2e\\x2d58b4\\x2d4d0f\\x2d9e21\\x2d7ab4c6d0e913.device - /dev/disk/by-uuid/3f1c9a2e-58b4-4d0f-9e21-7ab4c6d0e913...",
            ),
            j(4.4, "systemd[1]", "Reached target cryptsetup.target - Local Encrypted Volumes."),
            j(5.1, "systemd-resolved[702]", "Positive Trust Anchors:"),
            j(6.0, "systemd[1]", "Reached target network-online.target - Network is Online."),
            j(93.9, "systemd[1]", f"{OLD_UNIT}: Job {OLD_UNIT}/start timed out."),
            j(
                93.91,
                "systemd[1]",
                f"Timed out waiting for device {OLD_UNIT} - /dev/disk/by-uuid/{OLD}.",
            ),
            j(93.92, "systemd[1]", "Dependency failed for srv-vmdata.mount - /srv/vmdata."),
            j(
                93.93,
                "systemd[1]",
                "Dependency failed for victoriametrics.service - VictoriaMetrics single-node.",
            ),
            j(
                93.94,
                "systemd[1]",
                "victoriametrics.service: Job victoriametrics.service/start failed with result 'dependency'.",
            ),
            j(
                93.95,
                "systemd[1]",
                "srv-vmdata.mount: Job srv-vmdata.mount/start failed with result 'dependency'.",
            ),
            j(
                93.96,
                "systemd[1]",
                f"{OLD_UNIT}: Job {OLD_UNIT}/start failed with result 'timeout'.",
            ),
            j(94.1, "systemd[1]", "Reached target local-fs.target - Local File Systems."),
            j(95.7, "systemd[1]", "Started node_exporter.service - Prometheus node exporter."),
            j(96.2, "systemd[1]", "Reached target multi-user.target - Multi-User System."),
            j(
                96.3,
                "systemd[1]",
                "Startup finished in 3.212s (kernel) + 1min 33.118s (userspace) = 1min 36.330s.",
            ),
            j(
                96.8,
                "systemd-resolved[702]",
                "Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 10.70.0.2.",
            ),
        ]
    )
    for offset in sorted(rng.random() * 3000 for _ in range(240)):
        program, message = host_line(rng)
        journal.add([Record(BOOT + timedelta(seconds=100 + offset), "INFO", message, (), program)])
    agent = LogFile("logs/vmagent-edge-01.log", VmLog())
    agent.add(
        traffic(
            rng,
            vmagent_line,
            BOOT - timedelta(minutes=50),
            105,
            1900,
            "VictoriaMetrics/lib/promscrape/scraper.go:129",
        )
    )
    client = "VictoriaMetrics/app/vmagent/remotewrite/client.go:390"
    agent.add(traffic(rng, refused, BOOT - timedelta(minutes=2.2), 2.0, 60, client))
    agent.add(traffic(rng, refused, BOOT + timedelta(minutes=0.5), 54, 700, client))
    agent.add(
        [
            Record(
                BOOT - timedelta(minutes=31, seconds=7),
                "WARN",
                'cannot scrape target "http://10.70.4.18:9187/metrics" ({job="postgres", instance="pg-analytics-02:9187"}) 1 out of 1 times during -promscrape.suppressScrapeErrorsDelay=0s; the last error: cannot read data: cannot scrape "http://10.70.4.18:9187/metrics": Get "http://10.70.4.18:9187/metrics": context deadline exceeded',
                (),
                "VictoriaMetrics/lib/promscrape/scrapework.go:383",
            )
        ]
    )
    grafana = LogFile("logs/grafana.log", GrafanaLog())
    grafana.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"method=GET path=/api/ds/query status=200 remote_addr=10.70.9.{r.randrange(2, 250)} time_ms={r.randrange(20, 400)} handler=/api/ds/query",
                (),
            ),
            BOOT - timedelta(minutes=50),
            105,
            1400,
            "context userId=7 orgId=1",
        )
    )
    grafana.add(
        traffic(rng, query_error, BOOT + timedelta(minutes=0.3), 54, 380, "tsdb.prometheus")
    )
    grafana.add(traffic(rng, nodata, BOOT + timedelta(minutes=4), 50, 40, "ngalert.state.manager"))
    shell = (
        "\n".join(
            [
                "# vm-store-03, Monday 21:58 local (pasted)",
                "$ systemctl status victoriametrics --no-pager",
                "○ victoriametrics.service - VictoriaMetrics single-node",
                "     Loaded: loaded (/etc/systemd/system/victoriametrics.service; enabled; preset: enabled)",
                "     Active: inactive (dead)",
                "",
                "Nov 02 21:03:43 vm-store-03 systemd[1]: Dependency failed for victoriametrics.service - VictoriaMetrics single-node.",
                "Nov 02 21:03:43 vm-store-03 systemd[1]: victoriametrics.service: Job victoriametrics.service/start failed with result 'dependency'.",
                "",
                "$ systemctl cat victoriametrics | grep -E 'Requires|ExecStart'",
                "RequiresMountsFor=/srv/vmdata",
                "ExecStart=/usr/local/bin/victoria-metrics-prod -storageDataPath=/srv/vmdata -retentionPeriod=400d -httpListenAddr=:8428",
                "",
                "$ grep vmdata /etc/fstab",
                f"UUID={OLD}  /srv/vmdata  xfs  defaults,noatime,nofail  0 2",
                "",
                "$ lsblk -f",
                "NAME         FSTYPE FSVER LABEL           UUID                                 FSAVAIL FSUSE% MOUNTPOINTS",
                "nvme0n1",
                "├─nvme0n1p1  ext4   1.0   cloudimg-rootfs 0c6e1b9d-7f42-4e3a-9a55-2d1f8e6b7c04   21.4G    26% /",
                "├─nvme0n1p15 vfat   FAT32 UEFI            5A1C-3E7B                             98.2M     6% /boot/efi",
                f"nvme1n1      xfs                           {NEW}",
                "",
                "$ df -h /srv/vmdata",
                "Filesystem      Size  Used Avail Use% Mounted on",
                "/dev/nvme0n1p1   29G  7.4G   22G  26% /",
            ]
        )
        + "\n"
    )
    return Bundle(
        question="All our Grafana dashboards went blank around 21:03 Bogotá time (02:03 UTC) and vmagent keeps retrying. What is the root cause?",
        category="configuration",
        component="vm-store-03",
        statement="vm-store-03's /etc/fstab still mounts /srv/vmdata by the UUID of the disk replaced on Sunday (with `nofail`), so at the 02:02 UTC reboot systemd timed out waiting for that device, skipped the mount, and victoriametrics.service (RequiresMountsFor=/srv/vmdata) failed with a dependency error; remote writes and queries are refused.",
        files={
            "vm-store-03-journal.txt": journal.render(),
            "vm-store-03-shell.txt": shell,
            "logs/vmagent-edge-01.log": agent.render(),
            "logs/grafana.log": grafana.render(),
        },
        proofs=[
            Proof(
                "vm-store-03-journal.txt",
                f"Timed out waiting for device {OLD_UNIT}",
                "victoriametrics.service: Job victoriametrics.service/start failed",
            ),
            Proof("vm-store-03-shell.txt", f"UUID={OLD}  /srv/vmdata"),
            Proof("vm-store-03-shell.txt", f"nvme1n1      xfs                           {NEW}"),
        ],
        decoys=[
            "Using degraded feature set UDP instead of UDP+EDNS0",
            "cannot scrape target",
            "State changed from Normal to NoData",
        ],
    )
