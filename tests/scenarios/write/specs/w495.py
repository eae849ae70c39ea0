# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes (GKE): the node pool upgrade replaced `batch-pool-v1` with `batch-pool-v2` (blue/green,
old pool drained and deleted at 13:05 UTC), but invoice-renderer's Deployment still pins
`nodeSelector: cloud.google.com/gke-nodepool: batch-pool-v1`. Its drained pods were recreated and
stay Pending (`0/8 nodes are available: ... didn't match Pod's node affinity/selector`); no
invoice is rendered, the render queue grows and billing-api times out waiting for PDFs. Decoys:
billing-api's HPA FailedGetResourceMetric while metrics-server restarted, a Postgres slow-query
warning in billing-api, and ledger-sync's readiness probe failure."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import JsonLines
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 10, 6, 12, 20, tzinfo=UTC)
NOW = datetime(2026, 10, 6, 14, 10, tzinfo=UTC)
DRAIN = 45.0  # 13:05
NEW_NODES = [f"gke-prod-eu-batch-pool-v2-5e7a1c90-{s}" for s in ("4kqp", "9vzt", "m2xd")]
APP_NODES = [
    f"gke-prod-eu-default-pool-0b3f88d2-{s}" for s in ("1hgw", "7rbn", "c6tj", "q8ls", "x0fe")
]
OLD_NODES = [f"gke-prod-eu-batch-pool-v1-a19c47e3-{s}" for s in ("2mwd", "hh4k", "t5rz")]
PENDING = [
    "invoice-renderer-7b9c5d6f48-8wqzk",
    "invoice-renderer-7b9c5d6f48-fj2lc",
    "invoice-renderer-7b9c5d6f48-rx7dn",
]
MSG = "0/8 nodes are available: 8 node(s) didn't match Pod's node affinity/selector. preemption: 0/8 nodes are available: 8 Preemption is not helpful for scheduling."


def bundle() -> Bundle:
    rng = random.Random(49506)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    api = LogFile(
        "logs/billing-api.log", JsonLines("billing-api", keys=("ts", "level", "msg"), rng=rng)
    )
    api.add(
        traffic(
            rng, web_api("billing-api", ["invoices", "accounts", "payments"]), START, total, 3600
        )
    )
    api.add(
        loud(
            rng,
            START,
            DRAIN + 9,
            total - DRAIN - 9.1,
            240,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /api/v1/invoices/INV-{r.randrange(2026100000, 2026109999)}/pdf 504: render job not completed within 30s (queue invoice-render)"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            DRAIN + 12,
            total - DRAIN - 12.1,
            14,
            fixed(
                "WARN",
                lambda r: (
                    f"render queue invoice-render depth={r.randrange(3000, 16000)} oldest_age={r.randrange(10, 60)}m consumers=0"
                ),
            ),
        )
    )
    api.add(
        [
            at(
                START,
                31.4,
                "WARN",
                "slow query 2317ms: SELECT ... FROM invoice_lines WHERE account_id = $1 ORDER BY created_at DESC (billing-db)",
            )
        ]
    )
    routine = routine_events(
        rng,
        ["billing-api", "ledger-sync", "invoice-renderer"],
        26,
        APP_NODES + NEW_NODES,
        namespace="billing",
    )
    signal = [
        (
            ago(DRAIN - 1.5),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{n}",
                f"Node {n} status is now: NodeNotSchedulable",
            ),
        )
        for n in OLD_NODES
    ]
    for i, pod in enumerate(PENDING):
        signal += [
            (
                ago(DRAIN - 1.0 + i * 0.2),
                (
                    "Normal",
                    "Killing",
                    f"pod/invoice-renderer-7b9c5d6f48-{['b5nmc', 'k9tvh', 'z2plx'][i]}",
                    "Stopping container invoice-renderer",
                ),
            ),
            (
                ago(DRAIN - 0.9 + i * 0.2),
                (
                    "Normal",
                    "SuccessfulCreate",
                    "replicaset/invoice-renderer-7b9c5d6f48",
                    f"Created pod: {pod}",
                ),
            ),
            (ago(1 + i), ("Warning", "FailedScheduling", f"pod/{pod}", MSG)),
        ]
    signal += [
        (
            ago(DRAIN + 2),
            (
                "Normal",
                "RemovingNode",
                f"node/{OLD_NODES[0]}",
                f"Node {OLD_NODES[0]} event: Removing Node {OLD_NODES[0]} from Controller",
            ),
        ),
        (
            ago(22),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/billing-api",
                "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
            ),
        ),
        (
            ago(88),
            (
                "Warning",
                "Unhealthy",
                "pod/ledger-sync-66d8f7b5c9-2nqlw",
                'Readiness probe failed: Get "http://10.28.3.41:8081/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
    ]
    events = event_listing(routine, signal)
    pods = "\n".join(
        [
            "$ kubectl -n billing get pods -o wide",
            *table(
                (
                    "NAME",
                    "READY",
                    "STATUS",
                    "RESTARTS",
                    "AGE",
                    "IP",
                    "NODE",
                    "NOMINATED NODE",
                    "READINESS GATES",
                ),
                [
                    (
                        "billing-api-5c8f9d7b6-6xkqn",
                        "1/1",
                        "Running",
                        "0",
                        "2d4h",
                        "10.28.1.17",
                        APP_NODES[0],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "billing-api-5c8f9d7b6-jp4rt",
                        "1/1",
                        "Running",
                        "0",
                        "2d4h",
                        "10.28.2.63",
                        APP_NODES[2],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "billing-api-5c8f9d7b6-w9mzs",
                        "1/1",
                        "Running",
                        "1 (31h ago)",
                        "2d4h",
                        "10.28.4.8",
                        APP_NODES[4],
                        "<none>",
                        "<none>",
                    ),
                    *[
                        (p, "0/1", "Pending", "0", "65m", "<none>", "<none>", "<none>", "<none>")
                        for p in PENDING
                    ],
                    (
                        "ledger-sync-66d8f7b5c9-2nqlw",
                        "1/1",
                        "Running",
                        "0",
                        "5h12m",
                        "10.28.3.41",
                        APP_NODES[1],
                        "<none>",
                        "<none>",
                    ),
                ],
            ),
            "",
            "$ kubectl get nodes -L cloud.google.com/gke-nodepool",
            *table(
                ("NAME", "STATUS", "ROLES", "AGE", "VERSION", "GKE-NODEPOOL"),
                [
                    (n, "Ready", "<none>", "41d", "v1.30.5-gke.1014001", "default-pool")
                    for n in APP_NODES
                ]
                + [
                    (n, "Ready", "<none>", "3h2m", "v1.31.1-gke.1678000", "batch-pool-v2")
                    for n in NEW_NODES
                ],
            ),
            "",
        ]
    )
    pod = Pod(
        name=PENDING[0],
        namespace="billing",
        node="",
        app="invoice-renderer",
        containers=[
            Container(
                "invoice-renderer",
                "europe-west1-docker.pkg.dev/acme-prod/billing/invoice-renderer:3.14.2",
                state=[],
                limits={"cpu": "2", "memory": "3Gi"},
                requests={"cpu": "1", "memory": "2Gi"},
            )
        ],
        status="Pending",
        conditions={"PodScheduled": "False"},
        events=[("Warning", "FailedScheduling", "3m (x14 over 65m)", "default-scheduler", MSG)],
        start_time="",
        node_selectors="cloud.google.com/gke-nodepool=batch-pool-v1",
    )
    describe = f"$ kubectl -n billing describe pod {PENDING[0]}\n" + describe_pod(pod, rng)
    describe = describe.replace(
        "Tolerations:                 node.kubernetes.io/not-ready",
        "Tolerations:                 workload=batch:NoSchedule\n                             node.kubernetes.io/not-ready",
    )
    return Bundle(
        question="Customers can't download invoice PDFs since about 13:15 UTC (billing-api returns 504 'render job not completed'). Nothing was deployed to billing today. What is the root cause?",
        category="scheduling",
        component="invoice-renderer",
        statement="invoice-renderer's pods pin nodeSelector cloud.google.com/gke-nodepool=batch-pool-v1, but the node pool upgrade replaced that pool with batch-pool-v2 and drained it at 13:05; the recreated pods stay Pending (no node matches the selector), so no invoice is rendered and billing-api's PDF requests time out.",
        files={
            "kubectl-get-events.txt": events,
            "kubectl-get-pods.txt": pods,
            "kubectl-describe-pod.txt": describe,
            "logs/billing-api.log": api.render(),
        },
        proofs=[
            Proof(
                "kubectl-describe-pod.txt",
                "Node-Selectors:              cloud.google.com/gke-nodepool=batch-pool-v1",
            ),
            Proof("kubectl-describe-pod.txt", "3m (x14 over 65m)"),
        ],
        decoys=[
            "FailedGetResourceMetric",
            "slow query 2317ms",
            'Readiness probe failed: Get "http://10.28.3.41:8081/healthz"',
        ],
    )
