# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the cluster runs NodeLocal DNSCache, so every kubelet hands pods 169.254.20.10
as their resolver. A new spot node pool `batch-spot` (added 11:05 CEST) carries the taint
`workload=batch:NoSchedule`, and the node-local-dns DaemonSet has no toleration for it: no
cache runs on those nodes, and every lookup from the geo-ingest pods moved there times out.
Pods on the old pool are fine. Decoys: a CoreDNS watch restart, a spot interruption warning
and a 429 from the maps API."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import KubectlTimestamps, Logfmt
from scenes import at, fixed, loud
from traffic import traffic, worker

CEST = timezone(timedelta(hours=2))
START = datetime(2026, 5, 12, 8, 20, tzinfo=UTC)  # 10:20 CEST
NOW = datetime(2026, 5, 12, 11, 0, tzinfo=UTC)
POOL = 45.0  # 09:05 UTC = 11:05 CEST
MOVE = 58.0
OLD = [
    "ip-10-8-1-33.eu-central-1.compute.internal",
    "ip-10-8-2-71.eu-central-1.compute.internal",
    "ip-10-8-3-12.eu-central-1.compute.internal",
]
NEW = [
    "ip-10-8-21-140.eu-central-1.compute.internal",
    "ip-10-8-22-9.eu-central-1.compute.internal",
    "ip-10-8-23-201.eu-central-1.compute.internal",
]


def bundle() -> Bundle:
    rng = random.Random(4137)
    total = (NOW - START).total_seconds() / 60

    geo = LogFile("logs/geo-ingest.log", Logfmt("geo-ingest", rng=rng))
    geo.add(traffic(rng, worker("geo-ingest", ["tiles.raw", "tiles.enriched"]), START, MOVE, 2500))
    geo.add(
        traffic(
            rng,
            worker("geo-ingest", ["tiles.raw", "tiles.enriched"]),
            START + timedelta(minutes=MOVE),
            4,
            60,
        )
    )
    geo.add(
        [
            at(
                START,
                36.0,
                "WARN",
                "maps api: 429 Too Many Requests (quota 600/min), backing off 2s",
            ),
            at(
                START,
                MOVE + 0.5,
                "INFO",
                "geo-ingest 1.44.0 starting on node ip-10-8-21-140.eu-central-1.compute.internal (pool batch-spot)",
            ),
        ]
    )
    geo.add(
        loud(
            rng,
            START,
            MOVE + 1,
            total - MOVE - 1,
            720,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        f"pg connect failed: dial tcp: lookup tiles-pg.data.svc.cluster.local on 169.254.20.10:53: read udp 10.8.{r.choice([21, 22, 23])}.{r.randrange(10, 250)}:{r.randrange(30000, 60000)}->169.254.20.10:53: i/o timeout",
                        f"kafka: client has run out of available brokers to talk to: dial tcp: lookup kafka-{r.randrange(3)}.kafka-headless.streaming.svc.cluster.local on 169.254.20.10:53: read udp 10.8.{r.choice([21, 22, 23])}.{r.randrange(10, 250)}:{r.randrange(30000, 60000)}->169.254.20.10:53: i/o timeout",
                    ]
                ),
            ),
        )
    )

    dns = LogFile("kubectl-logs-coredns-5d78c9869d-7xk2p.txt", KubectlTimestamps())

    def dns_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        name = r.choice(
            [
                "tiles-pg.data.svc.cluster.local.",
                "kafka-1.kafka-headless.streaming.svc.cluster.local.",
                "api.mapbox.com.",
                "sts.eu-central-1.amazonaws.com.",
            ]
        )
        return (
            "INFO",
            f'[INFO] 10.8.{r.choice([1, 2, 3])}.{r.randrange(10, 250)}:{r.randrange(30000, 60000)} - {r.randrange(65535)} "A IN {name} udp {r.randrange(40, 90)} false 512" NOERROR qr,aa,rd {r.randrange(90, 300)} 0.000{r.randrange(100, 999)}s',
            (),
        )

    dns.add(traffic(rng, dns_line, START, total, 1800))
    dns.add(
        [
            at(
                START,
                29.0,
                "WARN",
                '[WARNING] plugin/kubernetes: Kubernetes API connection failure: Get "https://172.20.0.1:443/version": context deadline exceeded; watch restarted',
            )
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["tile-api", "enricher", "tile-renderer"], 22, OLD, namespace="geo"
    )
    signal = [
        (
            ago(POOL),
            (
                "Normal",
                "RegisteredNode",
                "node/ip-10-8-21-140.eu-central-1.compute.internal",
                "Node ip-10-8-21-140.eu-central-1.compute.internal event: Registered Node ip-10-8-21-140.eu-central-1.compute.internal in Controller",
            ),
        ),
        (
            ago(MOVE),
            (
                "Normal",
                "Scheduled",
                "pod/geo-ingest-8c5d7f9b6-2wq7t",
                "Successfully assigned geo/geo-ingest-8c5d7f9b6-2wq7t to ip-10-8-21-140.eu-central-1.compute.internal",
            ),
        ),
        (
            ago(112),
            (
                "Warning",
                "SpotInterruption",
                "node/ip-10-8-23-201.eu-central-1.compute.internal",
                "Received EC2 Spot Interruption warning for instance i-0c4e8a91f2b7d3650; node will be drained",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    kubectl = "\n".join(
        [
            "$ kubectl get nodes -L eks.amazonaws.com/nodegroup",
            "NAME                                          STATUS   ROLES    AGE    VERSION               NODEGROUP",
            *(f"{n}   Ready    <none>   41d    v1.30.4-eks-a737599   general" for n in OLD),
            *(
                f"{n}   Ready    <none>   {a}    v1.30.4-eks-a737599   batch-spot"
                for n, a in zip(NEW, ["115m", "114m", "61m"], strict=True)
            ),
            "",
            "$ kubectl -n kube-system get ds node-local-dns kube-proxy aws-node",
            "NAME             DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE",
            "node-local-dns   3         3         3       3            3           kubernetes.io/os=linux   301d",
            "kube-proxy       6         6         6       6            6           <none>                   301d",
            "aws-node         6         6         6       6            6           <none>                   301d",
            "",
            "$ kubectl describe node ip-10-8-21-140.eu-central-1.compute.internal | grep -A1 Taints",
            "Taints:             workload=batch:NoSchedule",
            "Unschedulable:      false",
            "",
            "$ kubectl -n kube-system get ds node-local-dns -o jsonpath='{.spec.template.spec.tolerations}'; echo",
            '[{"key":"CriticalAddonsOnly","operator":"Exists"}]',
            "",
            "$ kubectl -n geo get pods -l app=geo-ingest -o wide | awk '{print $1, $3, $7}'",
            "NAME STATUS NODE",
            "geo-ingest-8c5d7f9b6-2wq7t Running ip-10-8-21-140.eu-central-1.compute.internal",
            "geo-ingest-8c5d7f9b6-hx4lm Running ip-10-8-22-9.eu-central-1.compute.internal",
            "geo-ingest-8c5d7f9b6-t9r2c Running ip-10-8-23-201.eu-central-1.compute.internal",
            "",
            "$ kubectl -n geo exec geo-ingest-8c5d7f9b6-2wq7t -- cat /etc/resolv.conf",
            "search geo.svc.cluster.local svc.cluster.local cluster.local eu-central-1.compute.internal",
            "nameserver 169.254.20.10",
            "options ndots:5",
            "",
        ]
    )
    return Bundle(
        question="Since about 11:00 CEST geo-ingest can't reach Postgres or Kafka: every connection fails with a DNS i/o timeout. The rest of the cluster looks fine. What is the root cause?",
        category="dns",
        component="node-local-dns",
        statement="The node-local-dns DaemonSet only tolerates CriticalAddonsOnly, so it runs no pod on the new batch-spot nodes tainted workload=batch:NoSchedule (DESIRED 3 of 6 nodes); geo-ingest pods moved there send DNS to 169.254.20.10 where nothing answers and every lookup times out.",
        files={
            "logs/geo-ingest.log": geo.render(),
            "kubectl-logs-coredns-5d78c9869d-7xk2p.txt": dns.render(),
            "kubectl-get-events.txt": events,
            "kubectl-nodes-dns.txt": kubectl,
        },
        proofs=[
            Proof("kubectl-nodes-dns.txt", "node-local-dns   3         3"),
            Proof("kubectl-nodes-dns.txt", '[{"key":"CriticalAddonsOnly","operator":"Exists"}]'),
            Proof("kubectl-nodes-dns.txt", "Taints:             workload=batch:NoSchedule"),
        ],
        decoys=[
            "Kubernetes API connection failure",
            "Received EC2 Spot Interruption warning",
            "maps api: 429 Too Many Requests",
        ],
    )
