# ruff: noqa: E501
# kubectl rows, ingress lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: invoice-api 3.8.0 (applied 09:12 UTC) added a log-shipper sidecar with its own
memory request. The billing namespace's ResourceQuota `billing-compute` caps requests.memory at
8Gi, so the new ReplicaSet cannot create its pods (FailedCreate, exceeded quota) while the
rolling update has already taken one old pod away: the Deployment sits at 3 of 4 pods and, as
the month-end invoice run ramps up, the remaining pods saturate and ingress-nginx returns 504s.
Decoys: a payments-gateway readiness blip, the metrics-server's scrape failure on one node, and
invoice-api's own warning about a slow PDF renderer."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Deployment, describe_deployment, event_listing, routine_events
from records import Logfmt, NginxAccess
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 7, 31, 8, 40, tzinfo=UTC)
NOW = datetime(2025, 7, 31, 10, 25, tzinfo=UTC)
APPLY = 32.0  # 09:12
RAMP = 58.0  # 09:38
NODES = [
    "aks-general-31874512-vmss00000a",
    "aks-general-31874512-vmss00000c",
    "aks-general-31874512-vmss00000d",
]
QUOTA = 'Error creating: pods "%s" is forbidden: exceeded quota: billing-compute, requested: requests.memory=1280Mi, used: requests.memory=7424Mi, limited: requests.memory=8Gi'


def invoice_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"GET /v2/invoices/INV-2025-{rng.randrange(10**6):06d} 200 {rng.randrange(8, 160)}ms",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"POST /v2/invoices/render 202 {rng.randrange(30, 300)}ms tenant=t-{rng.randrange(100, 999)}",
            (),
        )
    return (
        "INFO",
        f"invoice batch chunk {rng.randrange(1, 400)}/400 committed rows={rng.randrange(50, 250)}",
        (),
    )


def access_ok(rng: random.Random) -> Line:
    up = rng.randrange(8, 220) / 1000
    return (
        "INFO",
        f'"GET /v2/invoices/INV-2025-{rng.randrange(10**6):06d} HTTP/1.1" 200 {rng.randrange(900, 9000)} "-" "billing-portal/4.2" {rng.randrange(300, 700)} {up + 0.001:.3f} [billing-invoice-api-8080] [] 10.244.{rng.randrange(1, 4)}.{rng.randrange(10, 250)}:8080 {rng.randrange(900, 9000)} {up:.3f} 200 {rng.getrandbits(128):032x}',
        (),
    )


def access_504(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'"POST /v2/invoices/render HTTP/1.1" 504 160 "-" "billing-portal/4.2" {rng.randrange(300, 700)} 60.00{rng.randrange(1, 9)} [billing-invoice-api-8080] [] 10.244.{rng.randrange(1, 4)}.{rng.randrange(10, 250)}:8080 0 60.000 504 {rng.getrandbits(128):032x}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(59702)
    total = (NOW - START).total_seconds() / 60
    api = LogFile("logs/invoice-api.log", Logfmt("invoice-api", rng=rng))
    api.add(traffic(rng, invoice_line, START, total, 3200))
    api.add(
        [at(START, 14.2, "WARN", "pdf renderer pool slow: p95 render 2.4s over 5m (threshold 2s)")]
    )
    api.add(
        loud(
            rng,
            START,
            RAMP + 2,
            total - RAMP - 3,
            260,
            fixed(
                "WARN",
                lambda r: (
                    f"request queue wait {r.randrange(8, 55)}s exceeds 5s, workers busy {r.choice([32, 32, 31])}/32"
                ),
            ),
        )
    )
    ingress = LogFile("logs/ingress-nginx-controller.log", NginxAccess(rng=rng))
    ingress.add(traffic(rng, access_ok, START, total, 4100))
    ingress.add(loud(rng, START, RAMP + 4, total - RAMP - 5, 340, access_504))

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["payments-gateway", "ledger-sync", "invoice-api"], 24, NODES, namespace="billing"
    )
    signal = [
        (
            ago(APPLY),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-api",
                "Scaled up replica set invoice-api-6f7c9d8b45 to 1",
            ),
        ),
        (
            ago(APPLY - 0.01),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-api",
                "Scaled down replica set invoice-api-58b4d7c9f6 to 3 from 4",
            ),
        ),
        (
            ago(APPLY + 0.02),
            (
                "Warning",
                "FailedCreate",
                "replicaset/invoice-api-6f7c9d8b45",
                QUOTA % "invoice-api-6f7c9d8b45-q7m2x",
            ),
        ),
        (
            ago(APPLY + 0.3),
            (
                "Warning",
                "FailedCreate",
                "replicaset/invoice-api-6f7c9d8b45",
                QUOTA % "invoice-api-6f7c9d8b45-b8nlt",
            ),
        ),
        (
            ago(APPLY + 6),
            (
                "Warning",
                "FailedCreate",
                "replicaset/invoice-api-6f7c9d8b45",
                "(combined from similar events): " + QUOTA % "invoice-api-6f7c9d8b45-z4wr9",
            ),
        ),
        (
            ago(APPLY + 10.5),
            (
                "Warning",
                "ProgressDeadlineExceeded",
                "deployment/invoice-api",
                'Deployment "invoice-api" has timed out progressing.',
            ),
        ),
        (
            ago(47),
            (
                "Warning",
                "Unhealthy",
                "pod/payments-gateway-7d5b8c6f9-hk3tw",
                'Readiness probe failed: Get "http://10.244.2.61:8081/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            ago(63),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/ledger-sync",
                "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    deployment = describe_deployment(
        Deployment(
            name="invoice-api",
            namespace="billing",
            image="billingacr.azurecr.io/billing/invoice-api:3.8.0",
            replicas="4 desired | 1 updated | 3 total | 3 available | 1 unavailable",
            conditions=[
                ("Available", "False", "MinimumReplicasUnavailable"),
                ("ReplicaFailure", "True", "FailedCreate"),
                ("Progressing", "False", "ProgressDeadlineExceeded"),
            ],
            old_replica_set="invoice-api-58b4d7c9f6 (3/3 replicas created)",
            new_replica_set="invoice-api-6f7c9d8b45 (0/1 replicas created)",
            events=[
                (
                    "Normal",
                    "ScalingReplicaSet",
                    "73m",
                    "deployment-controller",
                    "Scaled up replica set invoice-api-6f7c9d8b45 to 1",
                ),
                (
                    "Normal",
                    "ScalingReplicaSet",
                    "73m",
                    "deployment-controller",
                    "Scaled down replica set invoice-api-58b4d7c9f6 to 3 from 4",
                ),
            ],
        )
    )
    namespace = "\n".join(
        [
            "$ kubectl describe namespace billing",
            "Name:         billing",
            "Labels:       kubernetes.io/metadata.name=billing",
            "              team=finance-platform",
            "Annotations:  <none>",
            "Status:       Active",
            "",
            "Resource Quotas",
            "  Name:            billing-compute",
            "  Resource         Used    Hard",
            "  --------         ---     ---",
            "  limits.cpu       11      16",
            "  limits.memory    13Gi    16Gi",
            "  pods             14      30",
            "  requests.cpu     5200m   8",
            "  requests.memory  7424Mi  8Gi",
            "",
            "No LimitRange resource.",
            "",
            '$ kubectl -n billing get deploy invoice-api -o jsonpath=\'{range .spec.template.spec.containers[*]}{.name}{"\\t"}{.resources.requests.memory}{"\\n"}{end}\'',
            "invoice-api\t1Gi",
            "log-shipper\t256Mi",
            "",
            "$ kubectl -n billing rollout history deploy/invoice-api | tail -2",
            "17        <none>",
            "18        kubectl apply --filename=deploy/invoice-api.yaml (3.8.0, adds log-shipper sidecar)",
            "",
        ]
    )
    return Bundle(
        question="Since about 09:40 UTC the billing portal's invoice rendering returns 504 Gateway Timeout for many requests. Nothing was changed in ingress. What is going on?",
        category="scheduling",
        component="invoice-api",
        statement="invoice-api 3.8.0 (09:12 UTC) added a log-shipper sidecar, raising each pod's memory request to 1280Mi; the ResourceQuota billing-compute (requests.memory 8Gi, 7424Mi used) forbids the new pods (FailedCreate: exceeded quota), so the rollout stalls with only 3 of 4 pods serving, which saturate under the month-end load and answer too late (504).",
        files={
            "kubectl-get-events.txt": events,
            "kubectl-describe-deploy-invoice-api.txt": deployment,
            "kubectl-describe-ns.txt": namespace,
            "logs/invoice-api.log": api.render(),
            "logs/ingress-nginx-controller.log": ingress.render(),
        },
        proofs=[
            Proof("kubectl-get-events.txt", "invoice-api-6f7c9d8b45-q7m2x"),
            Proof("kubectl-describe-ns.txt", "requests.memory  7424Mi  8Gi"),
            Proof("kubectl-describe-deploy-invoice-api.txt", "ReplicaFailure"),
        ],
        decoys=[
            "pdf renderer pool slow",
            "payments-gateway-7d5b8c6f9-hk3tw",
            "FailedGetResourceMetric",
        ],
    )
