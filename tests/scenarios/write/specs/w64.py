# ruff: noqa: E501
# Hand-written kernel lines, journal lines and command output are data, kept whole on one line.
"""After a reboot lb-edge-2's sysctl for nf_conntrack_max was not applied (the module loaded
later), so the table stays at the 262144 default; at the evening peak it fills and the kernel
drops new connections, while nginx blames the upstreams and the kernel warns of SYN floods."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, Record
from scenes import fixed, loud
from traffic import Line, http_access, traffic

START = datetime(2025, 10, 14, 18, 20, tzinfo=UTC)
BOOT = datetime(2025, 10, 14, 6, 2, 11, tzinfo=UTC)


@dataclass
class KernelJournal:
    """`journalctl -k -o short-iso` on lb-edge-2."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
        return [f"{stamp} lb-edge-2 kernel: {record.message}"]


def kernel_chatter(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f'audit: type=1400 audit({rng.randrange(1760460000, 1760470000)}.{rng.randrange(1000):03d}:{rng.randrange(10**5)}): apparmor="ALLOWED" operation="open" profile="nginx" name="/etc/nginx/conf.d/upstreams.conf" pid={rng.randrange(1000, 9000)} comm="nginx" requested_mask="r" denied_mask="r" fsuid=0 ouid=0',
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[UFW BLOCK] IN=ens5 OUT= MAC=0a:1b:2c:3d:4e:5f:0a:9b:8c:7d:6e:5f:08:00 SRC=198.51.100.{rng.randrange(1, 255)} DST=10.40.0.12 LEN=44 TOS=0x00 PREC=0x00 TTL={rng.randrange(40, 250)} ID={rng.randrange(65535)} PROTO=TCP SPT={rng.randrange(1024, 65535)} DPT={rng.choice([22, 23, 3389, 8080, 5900])} WINDOW=1024 RES=0x00 SYN URGP=0",
            (),
        )
    return (
        "INFO",
        f"ena 0000:00:05.0 ens5: Keep alive watchdog timeout tx_timeout={rng.randrange(2)}",
        (),
    )


def journal_boot() -> str:
    lines = [
        "-- Boot 7c1e4b0a9d2f4e8c8a1b3c5d7e9f0a2b --",
        "2025-10-14T06:02:11+0000 lb-edge-2 kernel: Linux version 6.8.0-1016-aws (buildd@lcy02-amd64-047) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0) #17-Ubuntu SMP",
        "2025-10-14T06:02:11+0000 lb-edge-2 kernel: Command line: BOOT_IMAGE=/vmlinuz-6.8.0-1016-aws root=PARTUUID=5b2c6a3e-01 ro console=tty1 console=ttyS0 nvme_core.io_timeout=4294967295",
        "2025-10-14T06:02:12+0000 lb-edge-2 systemd[1]: Starting systemd-sysctl.service - Apply Kernel Variables...",
        "2025-10-14T06:02:12+0000 lb-edge-2 systemd-sysctl[318]: Couldn't write '1048576' to 'net/netfilter/nf_conntrack_max', ignoring: No such file or directory",
        "2025-10-14T06:02:12+0000 lb-edge-2 systemd-sysctl[318]: Couldn't write '131072' to 'net/netfilter/nf_conntrack_buckets', ignoring: No such file or directory",
        "2025-10-14T06:02:12+0000 lb-edge-2 systemd[1]: Finished systemd-sysctl.service - Apply Kernel Variables.",
        "2025-10-14T06:02:13+0000 lb-edge-2 systemd[1]: Started systemd-journald.service - Journal Service.",
        "2025-10-14T06:02:14+0000 lb-edge-2 cloud-init[502]: Cloud-init v. 24.3.1-0ubuntu0~24.04.2 running 'init' at Tue, 14 Oct 2025 06:02:14 +0000. Up 3.21 seconds.",
        "2025-10-14T06:02:16+0000 lb-edge-2 systemd[1]: Starting ufw.service - Uncomplicated firewall...",
        "2025-10-14T06:02:16+0000 lb-edge-2 kernel: nf_conntrack: default automatic helper assignment has been turned off for security reasons and CT-based firewall rule not found. Use the iptables CT target to attach helpers instead.",
        "2025-10-14T06:02:16+0000 lb-edge-2 systemd[1]: Finished ufw.service - Uncomplicated firewall.",
        "2025-10-14T06:02:17+0000 lb-edge-2 systemd[1]: Starting nginx.service - A high performance web server and a reverse proxy server...",
        "2025-10-14T06:02:17+0000 lb-edge-2 systemd[1]: Started nginx.service - A high performance web server and a reverse proxy server.",
        "2025-10-14T06:02:18+0000 lb-edge-2 systemd[1]: Started node-exporter.service - Prometheus Node Exporter.",
        "2025-10-14T06:02:19+0000 lb-edge-2 systemd[1]: Reached target multi-user.target - Multi-User System.",
        "2025-10-14T06:02:19+0000 lb-edge-2 systemd[1]: Startup finished in 2.114s (kernel) + 6.402s (userspace) = 8.516s.",
    ]
    return "\n".join(lines) + "\n"


def conntrack_state() -> str:
    lines = [
        "$ sysctl net.netfilter.nf_conntrack_max net.netfilter.nf_conntrack_count net.netfilter.nf_conntrack_tcp_timeout_time_wait",
        "net.netfilter.nf_conntrack_max = 262144",
        "net.netfilter.nf_conntrack_count = 262144",
        "net.netfilter.nf_conntrack_tcp_timeout_time_wait = 120",
        "$ grep -r conntrack /etc/sysctl.d/",
        "/etc/sysctl.d/60-lb-tuning.conf:net.netfilter.nf_conntrack_max = 1048576",
        "/etc/sysctl.d/60-lb-tuning.conf:net.netfilter.nf_conntrack_buckets = 131072",
        "$ conntrack -S",
        "cpu=0   \tfound=0 invalid=1190 insert=0 insert_failed=118213 drop=118213 early_drop=40211 error=4 search_restart=8812",
        "cpu=1   \tfound=0 invalid=1044 insert=0 insert_failed=121877 drop=121877 early_drop=41903 error=2 search_restart=9120",
        "cpu=2   \tfound=0 invalid=1211 insert=0 insert_failed=116340 drop=116340 early_drop=39877 error=6 search_restart=8640",
        "cpu=3   \tfound=0 invalid=987 insert=0 insert_failed=119902 drop=119902 early_drop=40560 error=3 search_restart=8893",
        "$ uptime",
        " 19:04:37 up 13:02,  1 user,  load average: 0.91, 0.88, 0.83",
    ]
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(164)
    kern = LogFile("kernel.log", KernelJournal())
    kern.add(traffic(rng, kernel_chatter, START, 45, 610))
    first_drop = START + timedelta(minutes=14, seconds=3.118)
    kern.add(
        [Record(first_drop, "ERROR", "nf_conntrack: nf_conntrack: table full, dropping packet")]
    )
    kern.add(
        loud(
            rng,
            START,
            14.2,
            30,
            205,
            fixed("ERROR", lambda r: "nf_conntrack: nf_conntrack: table full, dropping packet"),
        )
    )
    kern.add(
        loud(
            rng,
            START,
            14.3,
            30,
            188,
            fixed(
                "WARN", lambda r: f"net_ratelimit: {r.randrange(200, 9000)} callbacks suppressed"
            ),
        )
    )
    kern.add(
        loud(
            rng,
            START,
            15,
            29,
            34,
            fixed(
                "WARN",
                lambda r: (
                    "TCP: request_sock_TCP: Possible SYN flooding on port 0.0.0.0:443. Sending cookies.  Check SNMP counters."
                ),
            ),
        )
    )
    paths = ["/", "/api/v2/feed", "/api/v2/items/{id}", "/static/app.{id}.js", "/api/v2/session"]
    access = LogFile("nginx-access.log", NginxAccess(rng))
    access.add(traffic(rng, http_access(paths, upstream_ms=45), START, 45, 2600))
    access.add(
        loud(
            rng,
            START,
            14.5,
            30,
            296,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /api/v2/feed HTTP/1.1" 504 562 "-" "okhttp/4.12.0" 60.0{r.randrange(10, 99)}'
                ),
            ),
        )
    )
    access.add(
        loud(
            rng,
            START,
            14.5,
            30,
            181,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /api/v2/session HTTP/1.1" 502 552 "-" "Mozilla/5.0 (X11; Linux x86_64)" {r.uniform(3, 9):.3f}'
                ),
            ),
        )
    )
    errors = LogFile("nginx-error.log", NginxError(rng))
    errors.add(
        loud(
            rng,
            START,
            0,
            45,
            70,
            fixed(
                "WARN",
                lambda r: (
                    f'upstream server temporarily disabled while reading response header from upstream, client: 198.51.100.{r.randrange(1, 255)}, server: api.example.net, request: "GET /api/v2/feed HTTP/1.1", upstream: "http://10.40.{r.randrange(1, 4)}.{r.randrange(2, 250)}:8080/api/v2/feed"'
                ),
            ),
        )
    )
    errors.add(
        loud(
            rng,
            START,
            14.4,
            30,
            344,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while connecting to upstream, client: 198.51.100.{r.randrange(1, 255)}, server: api.example.net, request: "GET /api/v2/feed HTTP/1.1", upstream: "http://10.40.{r.randrange(1, 4)}.{r.randrange(2, 250)}:8080/api/v2/feed"'
                ),
            ),
        )
    )
    errors.add(
        loud(
            rng,
            START,
            14.6,
            30,
            139,
            fixed(
                "ERROR",
                lambda r: (
                    f'no live upstreams while connecting to upstream, client: 198.51.100.{r.randrange(1, 255)}, server: api.example.net, request: "POST /api/v2/session HTTP/1.1", upstream: "http://feed_backend/api/v2/session"'
                ),
            ),
        )
    )
    return Bundle(
        question="Around 18:34 UTC the API behind lb-edge-2 started answering 502/504 and nginx says the upstreams time out, but the app servers look idle. Are the backends down or is it the load balancer?",
        category="network",
        component="lb-edge-2",
        statement="lb-edge-2's connection-tracking table is full (nf_conntrack_max stayed at the 262144 default after this morning's reboot because the sysctl was applied before the module loaded), so the kernel drops packets of new connections.",
        files={
            "kernel.log": kern.render(),
            "journal-boot.txt": journal_boot(),
            "conntrack-state.txt": conntrack_state(),
            "nginx-access.log": access.render(),
            "nginx-error.log": errors.render(),
        },
        proofs=[
            Proof(
                "journal-boot.txt", "Couldn't write '1048576' to 'net/netfilter/nf_conntrack_max'"
            ),
            Proof(
                "conntrack-state.txt",
                "net.netfilter.nf_conntrack_max = 262144",
                "net.netfilter.nf_conntrack_count = 262144",
            ),
            Proof(
                "kernel.log",
                "2025-10-14T18:34:03+0000 lb-edge-2 kernel: nf_conntrack: nf_conntrack: table full",
            ),
        ],
        decoys=[
            "upstream timed out (110: Connection timed out) while connecting to upstream",
            "no live upstreams",
            "Possible SYN flooding on port 0.0.0.0:443",
            '" 504 ',
        ],
    )
