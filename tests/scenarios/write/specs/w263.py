# ruff: noqa: E501
# Hand-written kernel lines, pasted command output and a diff are data, kept whole on one line.
"""Host, reverse-path filtering after a second NIC: at 13:04 UTC a netplan change gave app-11 a
backup-network interface eth1 as 10.40.200.11/16 (meant to be /24). The connected route for
10.40.0.0/16 now points at eth1, so with `rp_filter=1` the kernel drops, as martians, every
packet from the worker subnet 10.40.0.0/16 arriving on eth0: the job workers can no longer reach
app-11's API, while the load balancer (10.20.x) still sees it healthy. Loud: the workers'
connect timeouts and a growing job queue. Decoys: a failed rsync backup earlier, app-11's slow
query warnings, and a Redis latency warning on the workers."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Journal, Logfmt, Record
from scenes import at, fixed, loud
from traffic import host_traffic, traffic, web_api, worker

START = datetime(2025, 10, 2, 11, 30, tzinfo=UTC)
MINUTES = 200.0
CHANGE = 94.0


class HostJournal:
    """`journalctl -o short-iso` of the whole host: the record's logger is `program[pid]` (kernel when none)."""

    def render(self, record: Record) -> list[str]:
        program = record.logger or "kernel"
        return [
            f"{record.time.strftime('%Y-%m-%dT%H:%M:%S+0000')} app-11 {program}: {record.message}"
        ]


def bundle() -> Bundle:
    rng = random.Random(26307)
    kern = LogFile("logs/app-11-journal.txt", Journal("app-11", "kernel", 0))
    kern.add(host_traffic(rng, START, MINUTES, 700))
    for k in range(60):
        src = f"10.40.{rng.randrange(1, 12)}.{rng.randrange(2, 250)}"
        kern.add(
            [
                at(
                    START,
                    CHANGE + 0.6 + k * 1.7,
                    "WARN",
                    f"IPv4: martian source 10.20.3.11 from {src}, on dev eth0",
                )
            ]
        )
        kern.add(
            [
                at(
                    START,
                    CHANGE + 0.6 + k * 1.7 + 0.011,
                    "WARN",
                    "ll header: 00000000: 52 54 00 3a 91 0c 52 54 00 0e 77 d2 08 00",
                )
            ]
        )
    kern.add(
        [
            at(
                START,
                CHANGE - 0.4,
                "INFO",
                "e1000e 0000:00:19.0 eth1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx",
            ),
            at(
                START,
                CHANGE - 0.35,
                "INFO",
                "IPv6: ADDRCONF(NETDEV_CHANGE): eth1: link becomes ready",
            ),
        ]
    )
    kern.format = HostJournal()
    kern.add(
        [
            at(
                START,
                CHANGE - 1.9,
                "INFO",
                "New session 4127 of user netops.",
                logger="systemd-logind[702]",
            ),
            at(
                START,
                CHANGE - 0.7,
                "INFO",
                "  netops : TTY=pts/0 ; PWD=/home/netops ; USER=root ; COMMAND=/usr/sbin/netplan apply",
                logger="sudo[88120]",
            ),
            at(START, CHANGE - 0.3, "INFO", "eth1: Link UP", logger="systemd-networkd[611]"),
            at(
                START, CHANGE - 0.29, "INFO", "eth1: Gained carrier", logger="systemd-networkd[611]"
            ),
            at(
                START,
                31.0,
                "ERROR",
                "rsync error: some files vanished before they could be transferred (code 24) at main.c(1338) [sender=3.2.7]",
                logger="backup-nightly[70412]",
            ),
        ]
    )

    workers = LogFile("logs/job-workers.log", Logfmt("job-worker", rng))
    workers.add(
        traffic(
            rng, worker("job-worker", ["thumbnails", "exports", "webhooks"]), START, MINUTES, 3000
        )
    )
    workers.add(
        loud(
            rng,
            START,
            CHANGE + 0.7,
            MINUTES - CHANGE - 1,
            900,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST http://app-11.internal:8080/internal/jobs/{r.getrandbits(40):010x}/result failed: dial tcp 10.20.3.11:8080: connect: connection timed out (worker=wk-{r.randrange(1, 12):02d} host=10.40.{r.randrange(1, 12)}.{r.randrange(2, 250)})"
                ),
            ),
        )
    )
    workers.add(
        loud(
            rng,
            START,
            CHANGE + 5,
            MINUTES - CHANGE - 6,
            160,
            fixed(
                "WARN",
                lambda r: (
                    f"job queue depth {r.randrange(2000, 40000)} above threshold 1000 (oldest {r.randrange(5, 100)}m)"
                ),
            ),
        )
    )
    workers.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            50,
            fixed(
                "WARN",
                lambda r: (
                    f"redis latency spike: PING took {r.randrange(110, 400)}ms (redis-jobs.internal:6379)"
                ),
            ),
        )
    )

    app = LogFile("logs/app-11-api.log", Logfmt("api", rng))
    app.add(traffic(rng, web_api("api", ["jobs", "projects", "exports"]), START, MINUTES, 2600))
    app.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            45,
            fixed(
                "WARN",
                lambda r: (
                    f"slow query {r.randrange(1200, 4800)}ms: SELECT * FROM exports WHERE project_id = $1 ORDER BY created_at DESC"
                ),
            ),
        )
    )

    pasted = "\n".join(
        [
            "ops@app-11:~$ ip -br addr",
            "lo               UNKNOWN        127.0.0.1/8 ::1/128",
            "eth0             UP             10.20.3.11/24 fe80::5054:ff:fe3a:910c/64",
            "eth1             UP             10.40.200.11/16 fe80::5054:ff:fe71:2a04/64",
            "ops@app-11:~$ ip route",
            "default via 10.20.3.1 dev eth0 proto static",
            "10.20.3.0/24 dev eth0 proto kernel scope link src 10.20.3.11",
            "10.40.0.0/16 dev eth1 proto kernel scope link src 10.40.200.11",
            "ops@app-11:~$ sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.eth0.rp_filter net.ipv4.conf.all.log_martians",
            "net.ipv4.conf.all.rp_filter = 1",
            "net.ipv4.conf.eth0.rp_filter = 1",
            "net.ipv4.conf.all.log_martians = 1",
            "ops@app-11:~$ cat /etc/netplan/60-backup-net.yaml",
            "network:",
            "  version: 2",
            "  ethernets:",
            "    eth1:",
            "      addresses: [10.40.200.11/16]",
            "      dhcp4: false",
            "",
        ]
    )
    notes = "\n".join(
        [
            "- 13:05 UTC job results stop coming back, queue grows. Workers (10.40.x) say connect timeouts to app-11.",
            "- LB health checks for app-11 all green, the web UI works through the LB.",
            "- Backup team: 'we added the backup network NIC to app-11 today, ticket NET-3317, should be transparent'.",
            "- The nightly backup failed with rsync code 24 last night (vanished files, usual).",
            "",
        ]
    )
    return Bundle(
        question="Our job workers cannot deliver results to app-11 since about 13:05 UTC, but app-11 looks healthy behind the load balancer. Why?",
        category="network",
        component="app-11",
        statement="At 13:04 UTC app-11 got a backup NIC eth1 as 10.40.200.11/16 instead of /24; the new connected route sends 10.40.0.0/16 out of eth1, so strict reverse-path filtering drops every packet from the 10.40.x workers arriving on eth0 (martian source), and their connections to 10.20.3.11:8080 time out.",
        files={
            "notes.md": notes,
            "app-11-net.txt": pasted,
            "logs/app-11-journal.txt": kern.render(),
            "logs/job-workers.log": workers.render(),
            "logs/app-11-api.log": app.render(),
        },
        proofs=[
            Proof("app-11-net.txt", "10.40.0.0/16 dev eth1 proto kernel"),
            Proof("app-11-net.txt", "      addresses: [10.40.200.11/16]"),
            Proof("app-11-net.txt", "net.ipv4.conf.eth0.rp_filter = 1"),
        ],
        decoys=["rsync error: some files vanished", "slow query", "redis latency spike"],
    )
