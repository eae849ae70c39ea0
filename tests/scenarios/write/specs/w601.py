# ruff: noqa: E501
# Syslog, HAProxy and pasted command lines are data, kept whole on one line.
"""Linux load balancer: lb-edge-03 was rebooted at 06:12 UTC for a kernel update. At boot
systemd-sysctl applied /etc/sysctl.d/90-lb.conf before the nf_conntrack module was loaded, so
`net.netfilter.nf_conntrack_max = 1048576` was skipped (one quiet line) and the limit stayed at
the default 65536. At the evening peak (18:41) the table fills and the kernel drops new
connections: clients behind the DNS round robin get connect timeouts on a third of attempts;
lb-edge-04 and the backends are healthy. Decoys: one backend marked DOWN by HAProxy for a
minute, chronyd stepping the clock after boot, and the synthetic monitor's TLS warning about a
certificate expiring in 26 days."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Record, Syslog3164
from scenes import at, fixed, loud
from traffic import Line, host_traffic, traffic

START = datetime(2025, 2, 18, 6, 12, tzinfo=UTC)
NOW = datetime(2025, 2, 18, 19, 20, tzinfo=UTC)
PEAK = 12 * 60 + 29.0  # 18:41
BACKENDS = ["api-01", "api-02", "api-03", "api-04", "api-05", "api-06"]


def haproxy_line(rng: random.Random) -> Line:
    t = rng.randrange(2, 180)
    status = rng.choices([200, 201, 204, 304, 404], [78, 8, 6, 5, 3])[0]
    path = rng.choice(
        ["/v1/feed", "/v1/profile", "/v1/messages", "/v1/search?q=x", "/v1/media/thumb"]
    )
    return (
        "INFO",
        f'{rng.choice([81, 90, 176, 212])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}:{rng.randrange(1024, 65535)} [{{TIME}}] fe_https~ be_api/{rng.choice(BACKENDS)} 0/0/1/{t}/{t + 1} {status} {rng.randrange(300, 9000)} - - ---- {rng.randrange(800, 4000)}/{rng.randrange(800, 4000)}/{rng.randrange(5, 80)}/{rng.randrange(1, 15)}/0 0/0 "GET {path} HTTP/1.1"',
        (),
    )


class Haproxy(Syslog3164):
    def render(self, record: Record) -> list[str]:
        line = super().render(record)[0]
        accept = (
            record.time.strftime("%d/%b/%Y:%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [line.replace("{TIME}", accept)]


def monitor_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"check=https-edge target={rng.choice(['lb-edge-03', 'lb-edge-04'])} connect={rng.randrange(8, 40)}ms ttfb={rng.randrange(30, 160)}ms status=200",
        (),
    )


def monitor_fail(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'check=https-edge target=lb-edge-03 error="dial tcp 198.51.100.73:443: i/o timeout" connect_timeout=5000ms attempt={rng.randrange(1, 4)}/3',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(60131)
    total = (NOW - START).total_seconds() / 60
    syslog = LogFile("lb-edge-03-syslog.txt", Syslog3164("lb-edge-03", "kernel", 0))
    syslog.add(host_traffic(rng, START, total, 2600))
    syslog.add(
        [
            at(
                START,
                0.01,
                "INFO",
                "Linux version 6.8.0-52-generic (buildd@lcy02-amd64-046) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.3.0-6ubuntu2~24.04) 13.3.0, GNU ld (GNU Binutils for Ubuntu) 2.42) #53-Ubuntu SMP PREEMPT_DYNAMIC",
                logger="kernel",
            ),
            at(
                START,
                0.15,
                "WARN",
                "Couldn't write '1048576' to 'net/netfilter/nf_conntrack_max', ignoring: No such file or directory",
                logger="systemd-sysctl[402]",
            ),
            at(
                START,
                0.16,
                "INFO",
                "Finished systemd-sysctl.service - Apply Kernel Variables.",
                logger="systemd[1]",
            ),
            at(START, 0.3, "WARN", "System clock wrong by 1.284113 seconds", logger="chronyd[771]"),
            at(
                START,
                0.31,
                "INFO",
                "System clock was stepped by 1.284113 seconds",
                logger="chronyd[771]",
            ),
            at(
                START,
                0.4,
                "INFO",
                "Started haproxy.service - HAProxy Load Balancer.",
                logger="systemd[1]",
            ),
            at(
                START,
                0.42,
                "INFO",
                "nf_conntrack: default automatic helper assignment has been turned off for security reasons and CT-based firewall rule not found. Use the iptables CT target to attach helpers instead.",
                logger="kernel",
            ),
        ]
    )
    syslog.add(
        loud(
            rng,
            START,
            PEAK,
            total - PEAK - 0.5,
            640,
            fixed("WARN", lambda r: "nf_conntrack: nf_conntrack: table full, dropping packet"),
        )
    )
    syslog.add(
        loud(
            rng,
            START,
            PEAK + 0.2,
            total - PEAK - 0.5,
            90,
            fixed(
                "WARN", lambda r: f"net_ratelimit: {r.randrange(200, 3000)} callbacks suppressed"
            ),
        )
    )

    def haproxy_for(host: str, lines: int) -> LogFile:
        log = LogFile(
            f"{host}-haproxy.log", Haproxy(host, "haproxy", 1187 if host == "lb-edge-03" else 1203)
        )
        log.add(traffic(rng, haproxy_line, START, total, lines))
        return log

    hap3 = haproxy_for("lb-edge-03", 3600)
    hap3.add(
        [
            at(
                START,
                9 * 60 + 14,
                "WARN",
                'Server be_api/api-05 is DOWN, reason: Layer7 wrong status, code: 503, info: "Service Unavailable", check duration: 4ms. 5 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
            ),
            at(
                START,
                9 * 60 + 15.1,
                "WARN",
                "Server be_api/api-05 is UP, reason: Layer7 check passed, code: 200, check duration: 3ms. 6 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
            ),
        ]
    )
    hap4 = haproxy_for("lb-edge-04", 3700)
    monitor = LogFile("synthetic-monitor.log", Syslog3164("mon-01", "blackbox", 2290))
    monitor.add(traffic(rng, monitor_line, START, total, 1500))
    monitor.add(
        [
            at(
                START,
                60.0,
                "WARN",
                "check=https-edge target=lb-edge-04 tls: certificate for api.pinwheel.example expires in 26 days (notAfter=2025-03-16T23:59:59Z)",
            )
        ]
    )
    monitor.add(loud(rng, START, PEAK + 0.3, total - PEAK - 0.5, 150, monitor_fail))
    paste = (
        "\n".join(
            [
                "$ ssh lb-edge-03 'sudo sysctl net.netfilter.nf_conntrack_max net.netfilter.nf_conntrack_count; cat /etc/sysctl.d/90-lb.conf; uptime'",
                "net.netfilter.nf_conntrack_max = 65536",
                "net.netfilter.nf_conntrack_count = 65536",
                "# edge load balancer tuning",
                "net.core.somaxconn = 65535",
                "net.ipv4.ip_local_port_range = 1024 65000",
                "net.netfilter.nf_conntrack_max = 1048576",
                "net.netfilter.nf_conntrack_tcp_timeout_time_wait = 30",
                " 19:14:52 up 13:02,  2 users,  load average: 0.61, 0.74, 0.70",
                "",
                "$ ssh lb-edge-04 'sudo sysctl net.netfilter.nf_conntrack_max net.netfilter.nf_conntrack_count; uptime'",
                "net.netfilter.nf_conntrack_max = 1048576",
                "net.netfilter.nf_conntrack_count = 71932",
                " 19:15:03 up 41 days,  3:18,  1 user,  load average: 0.58, 0.66, 0.63",
                "",
            ]
        )
        + "\n"
    )
    return Bundle(
        question="Since about 18:40 UTC roughly a third of our mobile clients' connections to api.pinwheel.example time out; backend dashboards look normal. What is the root cause?",
        category="network",
        component="lb-edge-03",
        statement="When lb-edge-03 rebooted at 06:12 UTC, systemd-sysctl ran before nf_conntrack was loaded and skipped nf_conntrack_max = 1048576, leaving the default 65536; at the 18:41 evening peak the connection-tracking table fills and the kernel drops new connections (table full, dropping packet), so clients routed to lb-edge-03 time out.",
        files={
            "lb-edge-03-syslog.txt": syslog.render(),
            "lb-edge-03-haproxy.log": hap3.render(),
            "lb-edge-04-haproxy.log": hap4.render(),
            "synthetic-monitor.log": monitor.render(),
            "lb-edges-cli.txt": paste,
        },
        proofs=[
            Proof(
                "lb-edge-03-syslog.txt",
                "Couldn't write '1048576' to 'net/netfilter/nf_conntrack_max'",
            ),
            Proof(
                "lb-edges-cli.txt",
                "net.netfilter.nf_conntrack_max = 65536",
                "net.netfilter.nf_conntrack_count = 65536",
            ),
        ],
        decoys=[
            "Server be_api/api-05 is DOWN",
            "System clock wrong by 1.284113 seconds",
            "expires in 26 days",
        ],
    )
