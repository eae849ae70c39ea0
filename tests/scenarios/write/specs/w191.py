# ruff: noqa: E501
# kubectl rows and log lines are data, kept whole on one line.
"""Kubernetes: the evening peak makes checkout-api's HorizontalPodAutoscaler ask for 9 replicas
at 19:02 UTC, but the storefront namespace's ResourceQuota `team-quota` has only 1Gi of
`limits.memory` left, so every new pod of the ReplicaSet is forbidden (`exceeded quota`). The
Deployment stays at 4 available pods with a `ReplicaFailure` condition, the 4 pods run hot and
fail readiness now and then, and the ingress returns 504s on checkout. Nothing is Pending: the
pods are never created. Evidence: `kubectl get events`, `kubectl get hpa`, `kubectl describe
deployment`, `kubectl describe namespace` and the ingress controller's log. Decoys: the
checkout-api readiness failures (a symptom), an unrelated promo-banner ImagePullBackOff, and a
node's earlier `NodeNotReady` blip that recovered."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Deployment, describe_deployment, event_listing, routine_events, table
from records import Record
from scenes import fixed, loud
from traffic import Line, traffic

NOW = datetime(2025, 6, 6, 19, 31, tzinfo=UTC)
START = NOW - timedelta(minutes=60)
NODES = [
    "ip-10-31-4-18.eu-west-1.compute.internal",
    "ip-10-31-5-203.eu-west-1.compute.internal",
    "ip-10-31-6-77.eu-west-1.compute.internal",
    "ip-10-31-4-142.eu-west-1.compute.internal",
]
RS = "checkout-api-6f9c7b8d54"


class IngressAccess:
    def render(self, record: Record) -> list[str]:
        return [record.message.replace("@T", record.time.strftime("%d/%b/%Y:%H:%M:%S +0000"))]


def ingress_ok(rng: random.Random) -> Line:
    path, upstream = rng.choice(
        [
            ("/api/checkout", "storefront-checkout-api-8080"),
            ("/api/cart", "storefront-cart-8080"),
            ("/api/cart", "storefront-cart-8080"),
            ("/", "storefront-web-80"),
            ("/", "storefront-web-80"),
            ("/api/products", "storefront-catalog-8080"),
        ]
    )
    seconds = rng.lognormvariate(0, 0.5) * (0.21 if "checkout" in path else 0.04)
    ip = f"10.31.{rng.randrange(4, 7)}.{rng.randrange(2, 250)}:8080"
    return (
        "INFO",
        f'10.31.{rng.randrange(0, 3)}.{rng.randrange(2, 250)} - - [@T] "{"POST" if "checkout" in path else "GET"} {path} HTTP/1.1" 200 {rng.randrange(200, 9000)} "-" "Mozilla/5.0" {rng.randrange(300, 900)} {seconds:.3f} [{upstream}] [] {ip} {rng.randrange(200, 9000)} {seconds:.3f} 200 {rng.getrandbits(128):032x}',
        (),
    )


def ingress_fail(rng: random.Random) -> Line:
    ip = f"10.31.{rng.randrange(4, 7)}.{rng.choice([17, 91, 140, 212])}:8080"
    if rng.random() < 0.7:
        return (
            "INFO",
            f'10.31.{rng.randrange(0, 3)}.{rng.randrange(2, 250)} - - [@T] "POST /api/checkout HTTP/1.1" 504 160 "-" "Mozilla/5.0" {rng.randrange(300, 900)} 15.00{rng.randrange(10)} [storefront-checkout-api-8080] [] {ip} 0 15.00{rng.randrange(10)} 504 {rng.getrandbits(128):032x}',
            (),
        )
    return (
        "INFO",
        f'10.31.{rng.randrange(0, 3)}.{rng.randrange(2, 250)} - - [@T] "POST /api/checkout HTTP/1.1" 503 190 "-" "Mozilla/5.0" {rng.randrange(300, 900)} 0.00{rng.randrange(10)} [storefront-checkout-api-8080] [] - - - - {rng.getrandbits(128):032x}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1191)
    apps = ["web", "cart", "catalog", "checkout-api", "recommendations", "session-store"]
    routine = routine_events(rng, apps, 44, NODES, namespace="storefront")
    suffixes = [
        "".join(rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5)) for _ in range(6)
    ]
    signal = [
        (
            1740,
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/checkout-api",
                "New size: 6; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            1739,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/checkout-api",
                f"Scaled up replica set {RS} to 6 from 4",
            ),
        ),
        (
            1738,
            (
                "Warning",
                "FailedCreate",
                f"replicaset/{RS}",
                f'Error creating: pods "{RS}-{suffixes[0]}" is forbidden: exceeded quota: team-quota, requested: limits.memory=2Gi, used: limits.memory=31Gi, limited: limits.memory=32Gi',
            ),
        ),
        (
            1500,
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/checkout-api",
                "New size: 9; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            1499,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/checkout-api",
                f"Scaled up replica set {RS} to 9 from 6",
            ),
        ),
        (
            5,
            (
                "Warning",
                "FailedCreate",
                f"replicaset/{RS}",
                f'(combined from similar events): Error creating: pods "{RS}-{suffixes[1]}" is forbidden: exceeded quota: team-quota, requested: limits.memory=2Gi, used: limits.memory=31Gi, limited: limits.memory=32Gi',
            ),
        ),
        (
            300,
            (
                "Warning",
                "Unhealthy",
                f"pod/{RS}-x7q2d",
                'Readiness probe failed: Get "http://10.31.5.91:8080/healthz/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            140,
            (
                "Warning",
                "Unhealthy",
                f"pod/{RS}-kp4wz",
                'Readiness probe failed: Get "http://10.31.4.17:8080/healthz/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            2400,
            (
                "Warning",
                "Failed",
                "pod/promo-banner-7c5d9f8b6-r2m8n",
                'Failed to pull image "registry.example.com/storefront/promo-banner:2025-06-06": rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/storefront/promo-banner:2025-06-06": not found',
            ),
        ),
        (
            2390,
            (
                "Normal",
                "BackOff",
                "pod/promo-banner-7c5d9f8b6-r2m8n",
                'Back-off pulling image "registry.example.com/storefront/promo-banner:2025-06-06"',
            ),
        ),
        (
            3300,
            (
                "Normal",
                "NodeNotReady",
                f"node/{NODES[2]}",
                f"Node {NODES[2]} status is now: NodeNotReady",
            ),
        ),
        (
            3240,
            (
                "Normal",
                "NodeReady",
                f"node/{NODES[2]}",
                f"Node {NODES[2]} status is now: NodeReady",
            ),
        ),
    ]
    events = "$ kubectl -n storefront get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )
    hpa = (
        "\n".join(
            [
                "$ kubectl -n storefront get hpa",
                *table(
                    ("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"),
                    [
                        (
                            "checkout-api",
                            "Deployment/checkout-api",
                            "cpu: 187%/60%",
                            "4",
                            "12",
                            "4",
                            "212d",
                        ),
                        ("catalog", "Deployment/catalog", "cpu: 41%/70%", "2", "8", "3", "212d"),
                        ("web", "Deployment/web", "cpu: 38%/70%", "3", "10", "4", "212d"),
                    ],
                ),
            ]
        )
        + "\n"
    )
    deployment = describe_deployment(
        Deployment(
            name="checkout-api",
            namespace="storefront",
            image="registry.example.com/storefront/checkout-api:4.8.2",
            replicas="9 desired | 4 updated | 4 total | 4 available | 5 unavailable",
            conditions=[
                ("Progressing", "True", "NewReplicaSetAvailable"),
                ("Available", "True", "MinimumReplicasAvailable"),
                ("ReplicaFailure", "True", "FailedCreate"),
            ],
            old_replica_set="<none>",
            new_replica_set=f"{RS} (4/9 replicas created)",
            events=[
                (
                    "Normal",
                    "ScalingReplicaSet",
                    "29m",
                    "deployment-controller",
                    f"Scaled up replica set {RS} to 6 from 4",
                ),
                (
                    "Normal",
                    "ScalingReplicaSet",
                    "25m",
                    "deployment-controller",
                    f"Scaled up replica set {RS} to 9 from 6",
                ),
            ],
        )
    )
    quota_rows = [
        ("--------", "----", "----"),
        ("limits.cpu", "14", "24"),
        ("limits.memory", "31Gi", "32Gi"),
        ("pods", "23", "60"),
        ("requests.cpu", "7", "16"),
        ("requests.memory", "15872Mi", "24Gi"),
    ]
    namespace = (
        "\n".join(
            [
                "$ kubectl describe namespace storefront",
                "Name:         storefront",
                "Labels:       kubernetes.io/metadata.name=storefront",
                "              team=web-commerce",
                "Annotations:  <none>",
                "Status:       Active",
                "",
                "Resource Quotas",
                "  Name:            team-quota",
                *table(("Resource", "Used", "Hard"), quota_rows, indent="  "),
                "",
                "No LimitRange resource.",
            ]
        )
        + "\n"
    )
    ingress = LogFile("logs/ingress-nginx-controller.log", IngressAccess())
    ingress.add(traffic(rng, ingress_ok, START, 60, 3600))
    ingress.add(loud(rng, START, 31, 28.5, 260, fixed("INFO", lambda r: ingress_fail(r)[1])))
    files = {
        "kubectl-get-events.txt": events,
        "kubectl-get-hpa.txt": hpa,
        "kubectl-describe-deployment.txt": deployment,
        "kubectl-describe-namespace.txt": namespace,
        "logs/ingress-nginx-controller.log": ingress.render(),
    }
    return Bundle(
        question="Checkout has been returning 504s since the evening peak started around 19:02 UTC even though the HPA scaled up. What is wrong?",
        category="scheduling",
        component="checkout-api",
        statement="From 19:02 UTC checkout-api's HPA asks for 6 then 9 replicas, but the storefront namespace's ResourceQuota team-quota has only 1Gi of limits.memory left (31Gi of 32Gi used), so every new 2Gi pod is forbidden (exceeded quota); the Deployment stays at 4 overloaded pods and checkout times out with 504s.",
        files=files,
        proofs=[
            Proof(
                "kubectl-get-events.txt", f'pods "{RS}-{suffixes[0]}" is forbidden: exceeded quota'
            ),
            Proof("kubectl-describe-namespace.txt", "limits.memory"),
        ],
        decoys=["Readiness probe failed", "promo-banner", "NodeNotReady"],
    )
