# ruff: noqa: E501
# CoreDNS lines, kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: three weeks ago a cut-over rehearsal added a `hosts` block to CoreDNS's Corefile
pinning `api.paygate-partner.example` to the partner's old address 203.0.113.40
(`fallthrough` for everything else). The partner moved to its new address today at 14:00
Singapore time and shut the old one down; every pod still resolves the old address from CoreDNS
(`qr,aa,rd` authoritative answers), so settlement-worker's calls time out on connect.
Decoys: an NXDOMAIN for a mistyped service name, a slow Redis warning in settlement-worker, and a
readiness failure on another pod."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import traffic, worker

SGT = ZoneInfo("Asia/Singapore")
START = datetime(2026, 12, 3, 5, 10, tzinfo=UTC)  # 13:10 SGT
NOW = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)  # 15:00 SGT
CUTOVER = 50.0  # 06:00 UTC, 14:00 SGT
NODES = [
    "gke-prod-sg-pool-b-5d1e7a20-4jxk",
    "gke-prod-sg-pool-b-5d1e7a20-q9vw",
    "gke-prod-sg-pool-b-5d1e7a20-z2mn",
]

COREFILE = """$ kubectl -n kube-system get configmap coredns -o yaml
apiVersion: v1
data:
  Corefile: |
    .:53 {
        errors
        health {
           lameduck 5s
        }
        ready
        log . {
           class denial error success
        }
        kubernetes cluster.local in-addr.arpa ip6.arpa {
           pods insecure
           fallthrough in-addr.arpa ip6.arpa
           ttl 30
        }
        # CHG-4471 paygate cut-over rehearsal (11 Nov), pin partner API
        hosts {
           203.0.113.40 api.paygate-partner.example
           fallthrough
        }
        prometheus :9153
        forward . /etc/resolv.conf {
           max_concurrent 1000
        }
        cache 30
        loop
        reload
        loadbalance
    }
kind: ConfigMap
metadata:
  creationTimestamp: "2024-02-19T03:11:52Z"
  name: coredns
  namespace: kube-system
  resourceVersion: "918836421"
  uid: 4b0c9e2d-71a3-4f58-9d26-e1f0b3a7c845

$ kubectl -n payments exec deploy/settlement-worker -- getent hosts api.paygate-partner.example
203.0.113.40    api.paygate-partner.example

$ dig +short api.paygate-partner.example @1.1.1.1
198.51.100.77

$ kubectl -n payments exec deploy/settlement-worker -- curl -sS -m 5 -o /dev/null -w '%{http_code} %{remote_ip}\\n' https://api.paygate-partner.example/v3/health
curl: (28) Connection timed out after 5001 milliseconds
command terminated with exit code 28
"""


@dataclass
class CoreDnsLog:
    """CoreDNS's `log` plugin lines; a message starting with `[` is written as is."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        return [record.message]


NAMES = [
    ("ledger-api.payments.svc.cluster.local.", "A", "NOERROR", "qr,aa,rd", 118),
    ("redis-master.payments.svc.cluster.local.", "A", "NOERROR", "qr,aa,rd", 126),
    ("fx-quotes.payments.svc.cluster.local.", "AAAA", "NOERROR", "qr,aa,rd", 155),
    ("storage.googleapis.com.", "A", "NOERROR", "qr,rd,ra", 362),
    ("oauth2.googleapis.com.", "A", "NOERROR", "qr,rd,ra", 108),
    ("api.paygate-partner.example.payments.svc.cluster.local.", "A", "NXDOMAIN", "qr,aa,rd", 184),
    ("api.paygate-partner.example.", "A", "NOERROR", "qr,aa,rd", 106),
]


def dns_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    name, qtype, code, flags, size = rng.choice(NAMES)
    client = f"10.88.{rng.randrange(0, 4)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 61000)}"
    took = (
        rng.randrange(40, 900) / 1_000_000
        if "aa" in flags
        else rng.randrange(900, 14000) / 1_000_000
    )
    return (
        "INFO",
        f'[INFO] {client} - {rng.randrange(1, 65535)} "{qtype} IN {name} udp {len(name) + 28} false 1232" {code} {flags} {size} {took:.6f}s',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(34903)
    total = (NOW - START).total_seconds() / 60

    coredns = LogFile("kubectl-logs-coredns-6f9d7c8b54-hq2lt.txt", CoreDnsLog(rng=rng))
    coredns.add(traffic(rng, dns_line, START, total, 2600))
    coredns.add(
        [
            at(
                START,
                3.0,
                "INFO",
                '[INFO] 10.88.2.71:52214 - 40117 "A IN ledgr-api.payments.svc.cluster.local. udp 65 false 1232" NXDOMAIN qr,aa,rd 158 0.000097s',
            ),
        ]
    )

    settle = LogFile(
        "logs/settlement-worker.log",
        JsonLines(
            "settlement-worker",
            keys=("@timestamp", "severity", "message"),
            lower_level=False,
            rng=rng,
            zone=SGT,
        ),
    )
    settle.add(
        traffic(rng, worker("settlement-worker", ["settlements", "payouts"]), START, total, 2900)
    )
    settle.add(
        [
            at(
                START,
                21.3,
                "WARN",
                "redis GET settle:cursor took 812ms (slowlog threshold 500ms), continuing",
            ),
            at(
                START,
                CUTOVER + 1.2,
                "INFO",
                "resolved api.paygate-partner.example -> 203.0.113.40 (cache refresh)",
            ),
        ]
    )
    settle.add(
        loud(
            rng,
            START,
            CUTOVER + 1.5,
            total - CUTOVER - 1.5,
            380,
            fixed(
                "ERROR",
                lambda r: (
                    f"settlement batch stl_{r.getrandbits(32):08x} upload failed: ConnectTimeoutError(connect to api.paygate-partner.example (203.0.113.40):443 timed out after 10.0s); retry {r.randrange(1, 6)}/5"
                ),
            ),
        )
    )
    settle.add(
        loud(
            rng,
            START,
            CUTOVER + 12,
            total - CUTOVER - 12,
            60,
            fixed(
                "ERROR",
                lambda r: (
                    f"settlement batch stl_{r.getrandbits(32):08x} moved to dead-letter after 5 attempts (partner unreachable)"
                ),
            ),
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["settlement-worker", "ledger-api", "fx-quotes"], 20, NODES, namespace="payments"
    )
    signal = [
        (
            ago(70),
            (
                "Warning",
                "Unhealthy",
                "pod/fx-quotes-84c6d9f7b-mm2qs",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
        (
            ago(CUTOVER + 30),
            (
                "Warning",
                "BackOff",
                "pod/settlement-worker-5bd7f6c98-rk4ns",
                'Back-off pulling image "asia-southeast1-docker.pkg.dev/prod-sg/payments/settlement-worker:3.8.0-rc1"',
            ),
        ),
    ]
    events = event_listing(routine, signal)

    return Bundle(
        question="Since about 14:00 SGT every settlement upload to the payment partner times out and batches are going to the dead-letter queue. The partner says their API is up. What's wrong?",
        category="dns",
        component="coredns",
        statement="A `hosts` block left in CoreDNS's Corefile since the CHG-4471 rehearsal pins api.paygate-partner.example to the partner's old address 203.0.113.40; when the partner moved to 198.51.100.77 at 14:00 SGT, pods kept getting the stale authoritative answer and settlement-worker's connections time out.",
        files={
            "kubectl-coredns-and-checks.txt": COREFILE,
            "kubectl-logs-coredns-6f9d7c8b54-hq2lt.txt": coredns.render(),
            "logs/settlement-worker.log": settle.render(),
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof(
                "kubectl-coredns-and-checks.txt",
                "# CHG-4471 paygate cut-over",
                "203.0.113.40 api.paygate-partner.example",
            ),
            Proof("kubectl-coredns-and-checks.txt", "203.0.113.40    api.paygate-partner.example"),
            Proof("kubectl-coredns-and-checks.txt", "198.51.100.77"),
        ],
        decoys=[
            "ledgr-api.payments.svc.cluster.local.",
            "redis GET settle:cursor took 812ms",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
            "settlement-worker:3.8.0-rc1",
        ],
    )
