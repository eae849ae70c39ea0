# ruff: noqa: E501
# Log lines, kubectl rows and YAML are data, kept whole on one line.
"""Kubernetes: a cluster-add-on sync at 10:14 SAST replaced the `dns-autoscaler` ConfigMap's
linear parameters with a template meant for a small test cluster (`coresPerReplica: 2560`,
`nodesPerReplica: 160`, `min: 1`, `preventSinglePointFailure: false`). The
cluster-proportional-autoscaler computes one replica for this 64-node cluster and scales
CoreDNS from 6 to 1 at 10:15. At the midday peak that one CoreDNS pod sits at its CPU limit,
drops queries and services see `i/o timeout` on lookups. Decoys: a CoreDNS `[WARNING] No
files matching import glob pattern`, a loop-detection reload notice, and a slow external
API."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Record, Zap
from scenes import at, loud
from traffic import traffic, web_api

SAST = timezone(timedelta(hours=2))
START = datetime(2026, 8, 18, 7, 50, tzinfo=UTC)  # 09:50 SAST
NOW = datetime(2026, 8, 18, 10, 40, tzinfo=UTC)
SYNC = 24.0  # 08:14 UTC, 10:14 SAST
SCALE = 25.3
PEAK = 130.0  # 10:00 UTC, 12:00 SAST


class Klog:
    """klog's `I0818 08:15:18.123456       1 file.go:42] message` header."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        letter = {"INFO": "I", "WARN": "W", "ERROR": "E", "FATAL": "F"}.get(record.level, "I")
        stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
        return [
            f"{letter}{stamp}       1 {record.logger or 'autoscaler_server.go:120'}] {record.message}"
        ]


class CoreDNSLog:
    """CoreDNS `log` and `errors` plugin lines (no timestamp of their own)."""

    def render(self, record: Record) -> list[str]:
        return [record.message]


def bundle() -> Bundle:
    rng = random.Random(47307)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    cpa = LogFile("logs/dns-autoscaler.log", Klog(rng))
    for minute in range(0, int(total), 1):
        cpa.add(
            [
                Record(
                    START
                    + timedelta(minutes=minute, seconds=18, microseconds=rng.randrange(10**6)),
                    "INFO",
                    "Polling cluster status: 64 nodes, 512 cores",
                    (),
                    "k8sclient.go:271",
                )
            ]
        )
    cpa.add(
        [
            at(
                START,
                SYNC + 0.6,
                "INFO",
                "ConfigMap version change (old: 71 new: 1193022) - rebuilding params",
                logger="autoscaler_server.go:136",
            ),
            at(
                START,
                SYNC + 0.61,
                "INFO",
                'Params from apiserver: \n{"coresPerReplica":2560,"nodesPerReplica":160,"min":1,"preventSinglePointFailure":false}',
                logger="linear_controller.go:60",
            ),
            at(
                START,
                SCALE - 0.3,
                "INFO",
                "Replicas are not as expected : updating replicas from 6 to 1",
                logger="autoscaler_server.go:145",
            ),
        ]
    )

    dns = LogFile("logs/coredns-7db6d8ff4d-vj2ks.log", CoreDNSLog())
    dns.add(
        [
            Record(
                START, "INFO", "[WARNING] No files matching import glob pattern: custom/*.override"
            ),
            Record(START + timedelta(seconds=1), "INFO", ".:53"),
            Record(START + timedelta(seconds=1), "INFO", "CoreDNS-1.11.1"),
            Record(
                START + timedelta(seconds=2),
                "INFO",
                "[INFO] plugin/reload: Running configuration SHA512 = 6f2d1c0b8ab5e3d9",
            ),
        ]
    )

    def query(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        name = r.choice(
            [
                "orders-db.shop.svc.cluster.local.",
                "redis-cart.shop.svc.cluster.local.",
                "api.paystack.co.",
                "kafka-0.kafka-headless.events.svc.cluster.local.",
            ]
        )
        return (
            "INFO",
            f'[INFO] 10.244.{r.randrange(64)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} - {r.randrange(65535)} "A IN {name} udp {r.randrange(60, 90)} false 512" NOERROR qr,aa,rd {r.randrange(100, 220)} 0.000{r.randrange(100, 999)}s',
            (),
        )

    dns.add(traffic(rng, query, START, total, 2500))
    dns.add(
        loud(
            rng,
            START,
            PEAK,
            total - PEAK,
            420,
            lambda r: (
                "ERROR",
                f"[ERROR] plugin/errors: 2 api.paystack.co. A: read udp 10.244.7.{r.randrange(2, 40)}:{r.randrange(30000, 60000)}->10.0.0.2:53: i/o timeout",
                (),
            ),
        )
    )
    dns.add(
        [
            at(
                START,
                70.0,
                "INFO",
                "[INFO] plugin/reload: Running configuration SHA512 = 6f2d1c0b8ab5e3d9 (no change, loop detection ok)",
            )
        ]
    )

    app = LogFile(
        "logs/checkout.log",
        Zap(("checkout/handler.go:118", "checkout/pay.go:64", "db/pool.go:40"), rng=rng),
    )
    app.add(traffic(rng, web_api("checkout", ["orders", "payments"]), START, total, 3800))
    app.add(
        loud(
            rng,
            START,
            PEAK + 1,
            total - PEAK - 2,
            560,
            lambda r: (
                "ERROR",
                f'charge failed: Post "https://api.paystack.co/charge": dial tcp: lookup api.paystack.co on 10.96.0.10:53: read udp 10.244.{r.randrange(64)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)}->10.96.0.10:53: i/o timeout',
                (),
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            PEAK + 1,
            total - PEAK - 2,
            240,
            lambda r: (
                "ERROR",
                f"db: dial tcp: lookup orders-db.shop.svc.cluster.local on 10.96.0.10:53: read udp 10.244.{r.randrange(64)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)}->10.96.0.10:53: i/o timeout",
                (),
            ),
        )
    )
    app.add(
        [
            at(
                START,
                58.0,
                "WARN",
                "paystack charge took 3891ms (p99 budget 2500ms)",
                logger="checkout/pay.go:64",
            )
        ]
    )

    routine = routine_events(
        rng,
        ["checkout", "cart", "orders"],
        16,
        ["worker-pool-b-5k2a", "worker-pool-b-7r9d", "worker-pool-c-1q3m"],
        namespace="shop",
    )
    signal = [
        (
            ago(SCALE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/coredns",
                "Scaled down replica set coredns-7db6d8ff4d to 1 from 6",
            ),
        )
    ]
    events = event_listing(routine, signal)

    get = "\n".join(
        [
            "> kubectl -n kube-system get deploy coredns dns-autoscaler",
            "NAME             READY   UP-TO-DATE   AVAILABLE   AGE",
            "coredns          1/1     1            1           402d",
            "dns-autoscaler   1/1     1            1           402d",
            "",
            "> kubectl -n kube-system top pod -l k8s-app=kube-dns",
            "NAME                       CPU(cores)   MEMORY(bytes)",
            "coredns-7db6d8ff4d-vj2ks   998m         61Mi",
            "",
            "> kubectl -n kube-system get cm dns-autoscaler -o yaml --show-managed-fields | grep -E 'linear|manager|time:'",
            '  linear: \'{"coresPerReplica":2560,"nodesPerReplica":160,"min":1,"preventSinglePointFailure":false}\'',
            "    manager: addon-sync",
            '    time: "2026-08-18T08:14:31Z"',
            "",
            "> git -C cluster-addons log -1 --format='%h %an %s' -- dns-autoscaler/configmap.yaml",
            "b41c9e0 platform-bot sync addons from template base/small-cluster",
            "",
        ]
    )
    return Bundle(
        question="Since noon SAST checkout fails payments with DNS lookup i/o timeouts, and other services see the same. What is the root cause?",
        category="dns",
        component="dns-autoscaler",
        statement="An add-on sync at 10:14 SAST gave the dns-autoscaler ConfigMap small-cluster linear parameters (coresPerReplica 2560, nodesPerReplica 160, min 1), so it scaled CoreDNS from 6 replicas to 1; at the midday peak the single CoreDNS pod is CPU-bound and lookups time out.",
        files={
            "kubectl-kube-system.txt": get,
            "kubectl-get-events.txt": events,
            cpa.name: cpa.render(),
            dns.name: dns.render(),
            app.name: app.render(),
        },
        proofs=[
            Proof("kubectl-kube-system.txt", '  linear: \'{"coresPerReplica":2560'),
            Proof(cpa.name, "updating replicas from 6 to 1"),
            Proof(
                "kubectl-get-events.txt", "Scaled down replica set coredns-7db6d8ff4d to 1 from 6"
            ),
        ],
        decoys=[
            "No files matching import glob pattern",
            "no change, loop detection ok",
            "paystack charge took 3891ms",
        ],
    )
