# ruff: noqa: E501
# Hand-written nginx and upstream lines and pasted ethtool output are data, kept whole on one line.
"""Cloud networking, an instance over its connection-tracking allowance: edge-proxy-03 (an EC2
nginx proxy) took over a second listener's traffic on 3 Nov; with security-group connection
tracking on every flow, its tracked connections exceed the instance type's allowance at the
evening peak. The ENA driver counts `conntrack_allowance_exceeded` and the hypervisor drops new
flows: clients see connect timeouts through edge-proxy-03 only. Decoys: an upstream 404 burst,
a worker process respawn, a certbot renewal dry run."""

import random
from datetime import datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError
from scenes import at, fixed, loud
from traffic import http_access, traffic

PST = timezone(timedelta(hours=-8))
START = datetime(2025, 11, 5, 16, 0, tzinfo=PST)
MINUTES = 240.0
PEAK = 118.0


def bundle() -> Bundle:
    rng = random.Random(48610)
    access = LogFile("logs/edge-proxy-03-access.log", NginxAccess(rng, PST))
    access.add(
        traffic(
            rng,
            http_access(["/api/feed/{id}", "/api/media/{id}", "/ws/notify", "/healthz"], 35),
            START,
            MINUTES,
            5200,
        )
    )
    access.add(
        loud(
            rng,
            START,
            40,
            3,
            60,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /api/media/legacy-{r.randrange(10**5)} HTTP/1.1" 404 153 "-" "okhttp/4.12.0" 0.004'
                ),
            ),
        )
    )
    err = LogFile("logs/edge-proxy-03-error.log", NginxError(rng))
    err.add(
        loud(
            rng,
            START,
            PEAK + 1,
            MINUTES - PEAK - 2,
            650,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while connecting to upstream, client: 10.61.{r.randrange(256)}.{r.randrange(1, 255)}, server: api.example.net, request: "GET /api/feed/{r.randrange(10**6)} HTTP/1.1", upstream: "http://10.61.{r.randrange(20, 24)}.{r.randrange(2, 250)}:8080/api/feed/{r.randrange(10**6)}", host: "api.example.net"'
                ),
            ),
        )
    )
    err.add(
        [
            at(START, 75.0, "WARN", "worker process 4188 exited on signal 9"),
            at(START, 75.02, "INFO", "start worker process 9121"),
        ]
    )
    err.records = [
        r.__class__(r.time.astimezone(PST), r.level, r.message, r.trailer, r.logger)
        for r in err.records
    ]
    pasted = "\n".join(
        [
            "[ec2-user@edge-proxy-03 ~]$ ethtool -S eth0 | grep -E 'allowance|conntrack'",
            "     bw_in_allowance_exceeded: 0",
            "     bw_out_allowance_exceeded: 0",
            "     pps_allowance_exceeded: 0",
            "     conntrack_allowance_exceeded: 1841277",
            "     linklocal_allowance_exceeded: 0",
            "     conntrack_allowance_available: 0",
            "[ec2-user@edge-proxy-03 ~]$ ss -s | head -2",
            "Total: 181204",
            "TCP:   240118 (estab 171022, closed 66021, orphaned 40, timewait 65877)",
            "[ec2-user@edge-proxy-01 ~]$ ethtool -S eth0 | grep conntrack_allowance_exceeded",
            "     conntrack_allowance_exceeded: 0",
            "[ec2-user@edge-proxy-03 ~]$ sudo certbot renew --dry-run 2>&1 | tail -1",
            "Congratulations, all simulated renewals succeeded:",
            "",
        ]
    )
    notes = (
        "INC-7310 (PST): ~30% of api.example.net requests time out since the 18:00 peak; all timeouts via edge-proxy-03 (NLB target).\n- CHG-4402 on 3 Nov: edge-proxy-03 also took over the websocket listener of the retired edge-proxy-05.\n- CPU 35%, bandwidth far below the instance limit; upstreams healthy when tested from edge-proxy-01.\n\n"
        + pasted
    )
    return Bundle(
        question="About 30% of API requests time out since the 18:00 PST peak, all through edge-proxy-03, while CPU and bandwidth are low. What is the root cause?",
        category="network",
        component="edge-proxy-03",
        statement="Since edge-proxy-03 also carries the retired proxy's long-lived websocket flows, its tracked connections exceed the EC2 instance's connection-tracking allowance at the peak; the ENA drops new flows (conntrack_allowance_exceeded), so connections to upstreams time out.",
        files={
            "notes.md": notes,
            "logs/edge-proxy-03-access.log": access.render(),
            "logs/edge-proxy-03-error.log": err.render(),
        },
        proofs=[
            Proof("notes.md", "conntrack_allowance_exceeded: 1841277"),
            Proof("notes.md", "conntrack_allowance_available: 0"),
        ],
        decoys=["legacy-", "worker process 4188 exited on signal 9", "certbot renew --dry-run"],
    )
