# ruff: noqa: E501
# Hand-written kernel and nginx lines and pasted command output are data, kept whole on one line.
"""Host, listen queue overflow: pricing-07 was rebuilt on 3 March from a new base image that
lacks the old image's sysctl drop-in, so `net.core.somaxconn` is back to 128 (its peers have 4096).
At the 08:00 UTC traffic ramp the pricing app's accept queue on :8443 overflows; the kernel drops
SYNs and answers with cookies, and lb-01's nginx times out connecting to pricing-07 only. Loud:
nginx connect timeouts and 504s; the kernel's "Possible SYN flooding" line reads like an attack.
Decoys: a security ticket suspecting a SYN flood, pricing-05's restart, GC pauses in pricing."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, http_access, traffic

START = datetime(2025, 3, 4, 6, 30, tzinfo=UTC)
MINUTES = 180.0
RAMP = 92.0


def bundle() -> Bundle:
    rng = random.Random(26004)
    access = LogFile("logs/lb-01-access.log", NginxAccess(rng))
    access.add(
        traffic(
            rng,
            http_access(["/v2/quote/{id}", "/v2/quote/batch", "/v2/price/{id}", "/healthz"], 45),
            START,
            MINUTES,
            5200,
        )
    )
    access.add(
        loud(
            rng,
            START,
            RAMP + 1,
            MINUTES - RAMP - 2,
            700,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /v2/quote/{r.randrange(10**6)} HTTP/1.1" 504 167 "-" "okhttp/4.12.0" {r.choice([3.001, 3.002, 3.000, 3.004])}'
                ),
            ),
        )
    )
    error = LogFile("logs/lb-01-error.log", NginxError(rng))
    error.add(
        loud(
            rng,
            START,
            RAMP + 1,
            MINUTES - RAMP - 2,
            760,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while connecting to upstream, client: 10.80.{r.randrange(20, 40)}.{r.randrange(1, 255)}, server: pricing.internal, request: "GET /v2/quote/{r.randrange(10**6)} HTTP/1.1", upstream: "https://10.80.3.17:8443/v2/quote/{r.randrange(10**6)}", host: "pricing.internal"'
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
            30,
            fixed(
                "WARN",
                lambda r: (
                    f'upstream server temporarily disabled while connecting to upstream, client: 10.80.{r.randrange(20, 40)}.{r.randrange(1, 255)}, server: pricing.internal, request: "GET /v2/price/{r.randrange(10**6)} HTTP/1.1", upstream: "https://10.80.3.15:8443/v2/price/{r.randrange(10**6)}", host: "pricing.internal"'
                ),
            ),
        )
    )

    kern = LogFile("logs/pricing-07-syslog", Syslog3164("pricing-07", "kernel", 0))
    kern.add(host_traffic(rng, START, MINUTES, 900))
    kern.add(
        [
            at(
                START,
                RAMP + 0.4,
                "WARN",
                "[107231.118203] TCP: request_sock_TCP: Possible SYN flooding on port 8443. Sending cookies.  Check SNMP counters.",
                logger="kernel",
            ),
            at(
                START,
                17.0,
                "INFO",
                "[GC (Allocation Failure) [PSYoungGen: 1398144K->48011K(1514496K)] 2101233K->751200K(4911104K), 0.4112031 secs]",
                logger="pricing[1422]",
            ),
            at(
                START,
                131.0,
                "INFO",
                "[GC (Allocation Failure) [PSYoungGen: 1401022K->51190K(1514496K)] 2113871K->762411K(4911104K), 0.3987122 secs]",
                logger="pricing[1422]",
            ),
        ]
    )
    pasted = "\n".join(
        [
            "[ops@pricing-07 ~]$ ss -ltn 'sport = :8443'",
            "State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process",
            "LISTEN 129    128          0.0.0.0:8443       0.0.0.0:*",
            "[ops@pricing-07 ~]$ nstat -az TcpExtListenOverflows TcpExtListenDrops TcpExtSyncookiesSent",
            "#kernel",
            "TcpExtListenOverflows           1843311            0.0",
            "TcpExtListenDrops               1843311            0.0",
            "TcpExtSyncookiesSent            402118             0.0",
            "[ops@pricing-07 ~]$ sysctl net.core.somaxconn net.ipv4.tcp_max_syn_backlog",
            "net.core.somaxconn = 128",
            "net.ipv4.tcp_max_syn_backlog = 1024",
            "[ops@pricing-07 ~]$ uptime",
            " 09:41:07 up 1 day,  7:26,  1 user,  load average: 3.12, 3.40, 3.37",
            "",
            "[ops@pricing-05 ~]$ ss -ltn 'sport = :8443'",
            "State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process",
            "LISTEN 0      4096         0.0.0.0:8443       0.0.0.0:*",
            "[ops@pricing-05 ~]$ sysctl net.core.somaxconn",
            "net.core.somaxconn = 4096",
            "",
        ]
    )
    notes = "\n".join(
        [
            "## pricing 504s (09:45 UTC)",
            "",
            "- 504s from lb-01 since ~08:02 UTC, mostly quote calls, about 12% of requests.",
            "- SecOps ticket SEC-2291: 'kernel reports SYN flooding on a pricing host, possible attack?' — WAF shows nothing unusual, traffic is the normal morning ramp.",
            "- pricing-05 was restarted by the watchdog at 07:14 (temporarily disabled upstream), back since.",
            "- pricing-07 rebuilt yesterday from base image 2025.03 (CHG-7710), same app version 4.18.2 as the others.",
            "- CPU on all pricing hosts < 40%, GC pauses under 0.5 s.",
            "",
        ]
    )
    return Bundle(
        question="About 12% of quote requests return 504 from lb-01 since 08:00 UTC. What is the root cause?",
        category="network",
        component="pricing-07",
        statement="pricing-07 was rebuilt on a base image without the somaxconn tuning, so its listen backlog on :8443 is 128; from the 08:02 UTC ramp its accept queue overflows (ListenOverflows, SYN cookies) and lb-01 times out connecting to 10.80.3.17:8443, answering 504.",
        files={
            "notes.md": notes,
            "pricing-hosts.txt": pasted,
            "logs/pricing-07-syslog": kern.render(),
            "logs/lb-01-error.log": error.render(),
            "logs/lb-01-access.log": access.render(),
        },
        proofs=[
            Proof("pricing-hosts.txt", "LISTEN 129    128"),
            Proof("pricing-hosts.txt", "net.core.somaxconn = 128"),
        ],
        decoys=["SEC-2291", "upstream server temporarily disabled", "GC (Allocation Failure)"],
    )
