# ruff: noqa: E501
# kubectl output, Corefile lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: at 13:12 UTC a platform change raised CoreDNS's cache to 250000 success entries
and 60 minutes of TTL, but left the coredns Deployment's memory limit at 170Mi. As the cache
fills, the coredns pods are OOMKilled in turn (from about 13:50), and every restart drops the
queries in flight: orders-api's lookups time out and checkout fails intermittently. Decoys: a
slow-query warning in orders-api, a readiness failure of reports-ui, and a node's kernel
version note."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import JsonLines
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 8, 19, 12, 40, tzinfo=UTC)
NOW = datetime(2026, 8, 19, 14, 55, tzinfo=UTC)
CHANGE = 32.0  # 13:12
KILLS = [70.0, 83.0, 97.0, 104.0, 118.0, 124.0]
ZONE = timezone(timedelta(hours=2))
NODES = [
    "aks-system-31448710-vmss000002",
    "aks-system-31448710-vmss000003",
    "aks-apps-31448710-vmss00000a",
]


def bundle() -> Bundle:
    rng = random.Random(5631)
    total = (NOW - START).total_seconds() / 60
    orders = LogFile(
        "logs/orders-api.log",
        JsonLines("orders-api", keys=("time", "severity", "message"), rng=rng, zone=ZONE),
    )
    orders.add(
        traffic(rng, web_api("orders-api", ["orders", "carts", "payments"]), START, total, 3600)
    )
    for kill in KILLS:
        orders.add(
            loud(
                rng,
                START,
                kill,
                0.9,
                40,
                fixed(
                    "ERROR",
                    lambda r: (
                        f"POST /api/v1/orders 502 {r.randrange(5000, 5100)}ms: dial tcp: lookup payments-gw.payments.svc.cluster.local on 10.0.0.10:53: read udp 10.244.{r.randrange(2, 9)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)}->10.0.0.10:53: i/o timeout"
                    ),
                ),
            )
        )
    orders.add(
        [
            at(
                START,
                58.4,
                "WARN",
                "slow query (1843 ms): SELECT o.* FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.customer_id = $1",
            )
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["coredns", "konnectivity-agent", "metrics-server"], 14, NODES, namespace="kube-system"
    )
    signal = [
        (
            ago(CHANGE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/coredns",
                "Scaled up replica set coredns-6b9c8f7d5 to 2",
            ),
        ),
        (
            ago(CHANGE - 0.5),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/coredns",
                "Scaled down replica set coredns-77f4c9d86b to 0 from 2",
            ),
        ),
    ]
    pods = ["coredns-6b9c8f7d5-8vq2m", "coredns-6b9c8f7d5-tx4lk"]
    for index, kill in enumerate(KILLS):
        pod = pods[index % 2]
        signal.append(
            (
                ago(kill),
                (
                    "Warning",
                    "BackOff",
                    f"pod/{pod}",
                    "Back-off restarting failed container coredns in pod "
                    + pod
                    + "_kube-system("
                    + ("5e0c" if index % 2 == 0 else "91ab")
                    + "a7d2-1f3b-4c8e-9d60-2b7e4f1a0c93)",
                ),
            )
        )
    signal.append(
        (
            ago(61),
            (
                "Warning",
                "Unhealthy",
                "pod/reports-ui-5d7b9c6f4-2xw8k",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        )
    )
    events = event_listing(routine, signal)

    pod = Pod(
        name="coredns-6b9c8f7d5-8vq2m",
        namespace="kube-system",
        node=NODES[0],
        app="coredns",
        ip="10.244.0.17",
        start_time="Wed, 19 Aug 2026 13:12:08 +0000",
        labels=["k8s-app=kube-dns", "pod-template-hash=6b9c8f7d5"],
        service_account="coredns",
        containers=[
            Container(
                name="coredns",
                image="mcr.microsoft.com/oss/kubernetes/coredns:v1.11.3",
                port="53/UDP, 53/TCP, 9153/TCP",
                state=["Running", "  Started:      Wed, 19 Aug 2026 14:44:31 +0000"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Wed, 19 Aug 2026 14:18:02 +0000",
                    "  Finished:     Wed, 19 Aug 2026 14:44:29 +0000",
                ],
                restarts=3,
                limits={"memory": "170Mi"},
                requests={"cpu": "100m", "memory": "70Mi"},
                probes=[
                    "Liveness:     http-get http://:8080/health delay=60s timeout=5s period=10s #success=1 #failure=5",
                    "Readiness:    http-get http://:8181/ready delay=0s timeout=1s period=10s #success=1 #failure=3",
                ],
            )
        ],
        events=[
            (
                "Warning",
                "BackOff",
                "10m (x3 over 63m)",
                "kubelet",
                "Back-off restarting failed container coredns in pod coredns-6b9c8f7d5-8vq2m_kube-system(5e0ca7d2-1f3b-4c8e-9d60-2b7e4f1a0c93)",
            ),
            (
                "Normal",
                "Pulled",
                "10m (x4 over 102m)",
                "kubelet",
                'Container image "mcr.microsoft.com/oss/kubernetes/coredns:v1.11.3" already present on machine',
            ),
        ],
    )
    corefile = "\n".join(
        [
            "$ kubectl -n kube-system get configmap coredns-custom -o yaml",
            "apiVersion: v1",
            "kind: ConfigMap",
            "metadata:",
            "  annotations:",
            "    platform.example.net/changed-by: pipeline dns-tuning #4471",
            '  creationTimestamp: "2025-02-11T08:31:40Z"',
            "  name: coredns-custom",
            "  namespace: kube-system",
            '  resourceVersion: "918273645"',
            "data:",
            "  cache.override: |",
            "    cache 3600 {",
            "        success 250000",
            "        denial 50000",
            "        prefetch 10 1m",
            "    }",
            "  log.override: |",
            "    errors",
            "",
            "$ kubectl -n kube-system top pod -l k8s-app=kube-dns",
            "NAME                      CPU(cores)   MEMORY(bytes)",
            "coredns-6b9c8f7d5-8vq2m   41m          163Mi",
            "coredns-6b9c8f7d5-tx4lk   37m          118Mi",
            "",
            "$ kubectl get nodes -o custom-columns=NAME:.metadata.name,VERSION:.status.nodeInfo.kubeletVersion,KERNEL:.status.nodeInfo.kernelVersion",
            "NAME                             VERSION   KERNEL",
            f"{NODES[0]}   v1.30.4   5.15.0-1071-azure",
            f"{NODES[1]}   v1.30.4   5.15.0-1071-azure",
            f"{NODES[2]}     v1.30.4   5.15.0-1068-azure",
            "",
        ]
    )
    return Bundle(
        question="Checkout keeps failing in short bursts since roughly 15:50 (our time, UTC+2); orders-api logs 502s. What is the root cause?",
        category="memory",
        component="coredns",
        statement="At 13:12 UTC the coredns-custom ConfigMap raised CoreDNS's cache to 250000 success entries with a one-hour TTL while the coredns pods keep a 170Mi memory limit; as the cache fills the coredns pods are OOMKilled and restart one after the other, and orders-api's DNS lookups time out during each restart.",
        files={
            "logs/orders-api.log": orders.render(),
            "kubectl-get-events-kube-system.txt": events,
            "kubectl-describe-pod-coredns.txt": describe_pod(pod, rng),
            "kubectl-kube-system.txt": corefile,
        },
        proofs=[
            Proof("kubectl-describe-pod-coredns.txt", "Reason:       OOMKilled"),
            Proof("kubectl-kube-system.txt", "success 250000"),
        ],
        decoys=[
            "slow query (1843 ms)",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
            "5.15.0-1068-azure",
        ],
    )
