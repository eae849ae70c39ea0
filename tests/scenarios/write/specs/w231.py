# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes (GKE), scheduling: the platform team migrated the memory-optimised node pool from
`highmem-pool` to `highmem-v2` overnight and deleted the old pool at 02:06 UTC. ledger-api's
Deployment still pins `nodeSelector: cloud.google.com/gke-nodepool: highmem-pool`; when the old
nodes were drained its four pods were evicted and every replacement stays Pending with
`didn't match Pod's node affinity/selector`; the cluster autoscaler cannot help either. Loud:
payments-gateway's 503s (`no healthy upstream`) and retries towards ledger-api. Decoys: the
drain's eviction events themselves, a reporting CronJob's BackoffLimitExceeded, and a
readiness-probe warning on fx-rates from the evening before."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, age, describe_pod, table
from records import JsonLines
from scenes import loud
from traffic import Line, traffic

NOW = datetime(2025, 3, 6, 2, 48, tzinfo=UTC)
DRAIN = datetime(2025, 3, 6, 2, 1, 30, tzinfo=UTC)
NODES = [
    ("gke-prod-eu-default-pool-3c1a9f2e-5kq1", "default-pool"),
    ("gke-prod-eu-default-pool-3c1a9f2e-h7vd", "default-pool"),
    ("gke-prod-eu-default-pool-3c1a9f2e-x2pn", "default-pool"),
    ("gke-prod-eu-default-pool-8e40b7d1-mm3w", "default-pool"),
    ("gke-prod-eu-default-pool-8e40b7d1-t9rc", "default-pool"),
    ("gke-prod-eu-highmem-v2-51d7c0aa-2jgx", "highmem-v2"),
    ("gke-prod-eu-highmem-v2-51d7c0aa-9wfb", "highmem-v2"),
    ("gke-prod-eu-highmem-v2-e2b93c14-dq6l", "highmem-v2"),
    ("gke-prod-eu-highmem-v2-e2b93c14-r5zt", "highmem-v2"),
]
PENDING = [
    "ledger-api-7c9d5f8b6-2xqlm",
    "ledger-api-7c9d5f8b6-bt4wz",
    "ledger-api-7c9d5f8b6-kf8rn",
    "ledger-api-7c9d5f8b6-vz6jd",
]
OLD = [
    "ledger-api-7c9d5f8b6-8hnq4",
    "ledger-api-7c9d5f8b6-d5mwc",
    "ledger-api-7c9d5f8b6-p7tlx",
    "ledger-api-7c9d5f8b6-wq29s",
]
OLD_NODES = [
    "gke-prod-eu-highmem-pool-0b7e2d51-c4vh",
    "gke-prod-eu-highmem-pool-0b7e2d51-n8zk",
    "gke-prod-eu-highmem-pool-a91f6c3e-6rjp",
]
UNSCHEDULABLE = "0/9 nodes are available: 9 node(s) didn't match Pod's node affinity/selector. preemption: 0/9 nodes are available: 9 Preemption is not helpful for scheduling."


def ago(moment: datetime) -> int:
    return int((NOW - moment).total_seconds())


def gateway_line(rng: random.Random) -> Line:
    route = rng.choice(
        ["/v2/payments", "/v2/payments", "/v2/refunds", "/v2/customers", "/v2/fx/quote"]
    )
    return (
        "info",
        f"{rng.choice(['POST', 'GET'])} {route} {rng.choices([200, 201, 400, 404], [70, 20, 6, 4])[0]} upstream={route.split('/')[2]} took_ms={max(2, int(rng.lognormvariate(0, 0.5) * 35))}",
        (),
    )


def gateway_error(rng: random.Random) -> Line:
    kind = rng.random()
    if kind < 0.6:
        return (
            "error",
            f'POST /v2/payments 503 upstream=ledger-api err="ledger-api.payments.svc.cluster.local:8443: no healthy upstream" attempt={rng.randrange(1, 4)}',
            (),
        )
    if kind < 0.85:
        return (
            "error",
            f'POST /v2/refunds 503 upstream=ledger-api err="dial tcp 10.112.9.41:8443: connect: connection refused" attempt={rng.randrange(1, 4)}',
            (),
        )
    return (
        "warn",
        f"circuit breaker ledger-api state=open failures={rng.randrange(20, 80)} window=30s",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20231)
    described = Pod(
        name=PENDING[1],
        namespace="payments",
        node="",
        app="ledger-api",
        status="Pending",
        conditions={"PodScheduled": "False"},
        start_time="",
        node_selectors="cloud.google.com/gke-nodepool=highmem-pool",
        containers=[
            Container(
                "ledger-api",
                "europe-west1-docker.pkg.dev/acme-prod/payments/ledger-api:4.18.2",
                state=[],
                limits={"memory": "6Gi"},
                requests={"cpu": "1", "memory": "6Gi"},
                port="8443/TCP",
            )
        ],
        events=[
            (
                "Warning",
                "FailedScheduling",
                f"{rng.randrange(1, 4)}m (x9 over {ago(DRAIN) // 60 - 1}m)",
                "default-scheduler",
                UNSCHEDULABLE,
            ),
            (
                "Normal",
                "NotTriggerScaleUp",
                f"{rng.randrange(5, 59)}s (x271 over {ago(DRAIN) // 60 - 2}m)",
                "cluster-autoscaler",
                "pod didn't trigger scale-up: 2 node(s) didn't match Pod's node affinity/selector",
            ),
        ],
    )
    describe = describe_pod(described, rng)
    pods = [("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE")]
    for app, count in (
        ("payments-gateway", 3),
        ("fx-rates", 2),
        ("ledger-worker", 2),
        ("notification-relay", 2),
    ):
        hash_ = f"{rng.getrandbits(36):09x}"
        for _ in range(count):
            node = rng.choice([n for n, pool in NODES if pool == "default-pool"])
            pods.append(
                (
                    f"{app}-{hash_}-{rng.getrandbits(20):05x}",
                    "1/1",
                    "Running",
                    str(rng.choice([0, 0, 1])),
                    f"{rng.randrange(2, 19)}d",
                    f"10.112.{rng.randrange(1, 12)}.{rng.randrange(2, 250)}",
                    node,
                )
            )
    for name in PENDING:
        pods.append((name, "0/1", "Pending", "0", f"{ago(DRAIN) // 60}m", "<none>", "<none>"))
    pods.append(
        ("ledger-reconcile-28993320-x8fjp", "0/1", "Error", "0", "48m", "10.112.3.77", NODES[2][0])
    )
    pods.sort(key=lambda row: row[0] if row[0] != "NAME" else "")
    get_pods = (
        "$ kubectl -n payments get pods -o wide\n" + "\n".join(table(pods[0], pods[1:])) + "\n"
    )
    nodes = [("NAME", "STATUS", "ROLES", "AGE", "VERSION", "GKE-NODEPOOL")]
    for name, pool in NODES:
        nodes.append(
            (
                name,
                "Ready",
                "<none>",
                f"{rng.randrange(20, 60)}d"
                if pool == "default-pool"
                else f"{rng.randrange(5, 9)}h",
                "v1.30.5-gke.1014001",
                pool,
            )
        )
    get_nodes = (
        "$ kubectl get nodes -L cloud.google.com/gke-nodepool\n"
        + "\n".join(table(nodes[0], nodes[1:]))
        + "\n"
    )
    rows = []
    for index, name in enumerate(OLD):
        node = OLD_NODES[index % 3]
        moment = DRAIN + timedelta(seconds=20 * index)
        rows.append(
            (ago(moment), ("Normal", "Killing", f"pod/{name}", "Stopping container ledger-api"))
        )
        rows.append(
            (
                ago(moment) - 1,
                (
                    "Normal",
                    "SuccessfulCreate",
                    "replicaset/ledger-api-7c9d5f8b6",
                    f"Created pod: {PENDING[index]}",
                ),
            )
        )
    for name in OLD_NODES:
        rows.append(
            (
                ago(DRAIN) + 60,
                (
                    "Normal",
                    "NodeNotSchedulable",
                    f"node/{name}",
                    f"Node {name} status is now: NodeNotSchedulable",
                ),
            )
        )
        rows.append(
            (
                ago(DRAIN) - 290,
                (
                    "Normal",
                    "RemovingNode",
                    f"node/{name}",
                    f"Node {name} event: Removing Node {name} from Controller",
                ),
            )
        )
    for name in PENDING:
        rows.append(
            (rng.randrange(30, 200), ("Warning", "FailedScheduling", f"pod/{name}", UNSCHEDULABLE))
        )
        rows.append(
            (
                rng.randrange(5, 60),
                (
                    "Normal",
                    "NotTriggerScaleUp",
                    f"pod/{name}",
                    "pod didn't trigger scale-up: 2 node(s) didn't match Pod's node affinity/selector",
                ),
            )
        )
    rows.append(
        (
            2900,
            (
                "Warning",
                "BackoffLimitExceeded",
                "job/ledger-reconcile-28993320",
                "Job has reached the specified backoff limit",
            ),
        )
    )
    rows.append(
        (
            10400,
            (
                "Warning",
                "Unhealthy",
                "pod/fx-rates-5d8f7b9c4-pl2qa",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        )
    )
    for _ in range(60):
        app = rng.choice(["payments-gateway", "fx-rates", "notification-relay", "ledger-worker"])
        pod = f"{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}"
        reason, message = rng.choice(
            [
                ("Started", f"Started container {app}"),
                ("Created", f"Created container {app}"),
                (
                    "Pulled",
                    f'Container image "europe-west1-docker.pkg.dev/acme-prod/payments/{app}:2.{rng.randrange(9)}.{rng.randrange(9)}" already present on machine',
                ),
            ]
        )
        rows.append((rng.randrange(3600, 10700), ("Normal", reason, f"pod/{pod}", message)))
    rows.sort(key=lambda item: -item[0])
    events = (
        "$ kubectl -n payments get events --sort-by=.lastTimestamp\n"
        + "\n".join(
            table(
                ("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"),
                [(age(a), *row) for a, row in rows],
            )
        )
        + "\n"
    )
    gateway = LogFile("logs/payments-gateway.log", JsonLines("payments-gateway", rng=rng))
    start = NOW - timedelta(hours=1, minutes=20)
    gateway.add(
        traffic(
            rng,
            lambda r: (lambda line: (line[0].upper(), line[1], ()))(gateway_line(r)),
            start,
            80,
            3400,
        )
    )
    gateway.add(
        loud(
            rng,
            start,
            (DRAIN - start).total_seconds() / 60 + 1.2,
            44,
            1300,
            lambda r: (lambda line: (line[0].upper(), line[1], ()))(gateway_error(r)),
        )
    )
    return Bundle(
        question="Payments have been failing with 503 since about 02:03 UTC. Nothing was deployed tonight. What's wrong?",
        category="scheduling",
        component="ledger-api",
        statement="ledger-api's Deployment pins nodeSelector cloud.google.com/gke-nodepool=highmem-pool; the platform team replaced that node pool with highmem-v2 and drained it at about 02:01 UTC, so all four ledger-api pods were evicted and their replacements stay Pending (didn't match Pod's node affinity/selector), and payments-gateway answers 503 (no healthy upstream).",
        files={
            "kubectl-get-pods.txt": get_pods,
            "kubectl-describe-pod.txt": describe,
            "kubectl-get-nodes.txt": get_nodes,
            "kubectl-get-events.txt": events,
            "logs/payments-gateway.log": gateway.render(),
        },
        proofs=[
            Proof(
                "kubectl-describe-pod.txt",
                "Node-Selectors:              cloud.google.com/gke-nodepool=highmem-pool",
            )
        ],
        decoys=[
            "no healthy upstream",
            "Job has reached the specified backoff limit",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
        ],
    )
