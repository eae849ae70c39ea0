# ruff: noqa: E501
# kubectl rows, Envoy access-log lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: last week checkout moved to version 2 of the in-house `acme-service` library
chart, whose default Deployment strategy is `Recreate` (meant for singleton workers); checkout's
values never set one. Every rollout now scales the old ReplicaSet to 0 before the new pods
exist, and a checkout pod needs about 90 s (Flyway check, JIT warm-up) to pass readiness: the
15:02 UTC release 9.3.0 and the 15:41 hotfix 9.3.1 each cause about two minutes of 503
`no healthy upstream` at the Envoy edge. Decoys: the checkout PodDisruptionBudget (which does
not apply to rollouts), the HPA's missing-metrics warnings while pods restart, and a slow
payment-provider warning."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import table
from records import Record, SpringBoot
from scenes import at, loud
from traffic import Line, traffic, web_api

START = datetime(2025, 11, 18, 14, 40, tzinfo=UTC)
NOW = datetime(2025, 11, 18, 16, 5, tzinfo=UTC)
DEPLOYS = [22.2, 61.3]  # 15:02:12, 15:41:18
GAP = 1.75  # minutes without any ready pod


class Envoy:
    """Envoy's default access-log format."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [f"[{stamp}] {record.message}"]


def request(rng: random.Random) -> tuple[str, str]:
    return rng.choice(
        [
            ("POST", "/api/checkout"),
            ("GET", "/api/checkout/summary"),
            ("POST", "/api/checkout/payment"),
            ("GET", f"/api/checkout/orders/{rng.randrange(10**7)}"),
        ]
    )


def edge_ok(rng: random.Random) -> Line:
    method, path = request(rng)
    took = rng.randrange(20, 600)
    return (
        "INFO",
        f'"{method} {path} HTTP/1.1" 200 - 0 {rng.randrange(200, 6000)} {took} {took - 2} "203.0.113.{rng.randrange(1, 255)}" "Mozilla/5.0 (Linux; Android 14)" "{rng.getrandbits(64):016x}-{rng.getrandbits(16):04x}" "shop.example.net" "10.12.{rng.randrange(1, 8)}.{rng.randrange(2, 250)}:8080"',
        (),
    )


def edge_503(rng: random.Random) -> Line:
    method, path = request(rng)
    return (
        "ERROR",
        f'"{method} {path} HTTP/1.1" 503 UH 0 19 0 - "203.0.113.{rng.randrange(1, 255)}" "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)" "{rng.getrandbits(64):016x}-{rng.getrandbits(16):04x}" "shop.example.net" "-"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1166)
    total = (NOW - START).total_seconds() / 60
    edge = LogFile("logs/envoy-edge.log", Envoy(rng))
    cursor = 0.0
    for deploy in DEPLOYS:
        edge.add(
            traffic(
                rng,
                edge_ok,
                START + timedelta(minutes=cursor),
                deploy - cursor,
                int((deploy - cursor) * 70),
            )
        )
        edge.add(loud(rng, START, deploy + 0.05, GAP, 520, edge_503))
        cursor = deploy + GAP + 0.1
    edge.add(
        traffic(
            rng,
            edge_ok,
            START + timedelta(minutes=cursor),
            total - cursor,
            int((total - cursor) * 70),
        )
    )
    pod = "checkout-5d8f7c6b4-zq9lm"
    app = LogFile(
        f"logs/{pod}.log",
        SpringBoot(
            (
                "c.a.checkout.CheckoutController",
                "c.a.checkout.PaymentGateway",
                "c.a.checkout.OrderService",
            ),
            rng=rng,
        ),
    )
    boot = DEPLOYS[1] + 0.15
    app.add(
        [
            at(
                START,
                boot,
                "INFO",
                "Starting CheckoutApplication v9.3.1 using Java 21.0.5 with PID 1",
                logger="c.a.checkout.CheckoutApplication",
            ),
            at(
                START,
                boot + 0.3,
                "INFO",
                "Flyway Community Edition 10.20.1 by Redgate",
                logger="o.f.c.i.license.VersionPrinter",
            ),
            at(
                START,
                boot + 0.5,
                "INFO",
                'Current version of schema "checkout": 87',
                logger="o.f.core.internal.command.DbMigrate",
            ),
            at(
                START,
                boot + 0.52,
                "INFO",
                'Schema "checkout" is up to date. No migration necessary.',
                logger="o.f.core.internal.command.DbMigrate",
            ),
            at(
                START,
                boot + 1.45,
                "INFO",
                "Tomcat started on port 8080 (http) with context path '/'",
                logger="o.s.b.w.embedded.tomcat.TomcatWebServer",
            ),
            at(
                START,
                boot + 1.47,
                "INFO",
                "Started CheckoutApplication in 88.214 seconds (process running for 89.9)",
                logger="c.a.checkout.CheckoutApplication",
            ),
        ]
    )
    app.add(
        traffic(
            rng,
            web_api("checkout", ["checkout", "orders", "payments"]),
            START + timedelta(minutes=boot + 1.6),
            total - boot - 1.7,
            1500,
        )
    )
    app.add(
        [
            at(
                START,
                boot + 9.1,
                "WARN",
                "payment provider adyen responded in 2870 ms (threshold 2000 ms) for psp reference 8815631092754411",
                logger="c.a.checkout.PaymentGateway",
            )
        ]
    )
    describe = [
        "Name:               checkout",
        "Namespace:          shop",
        "CreationTimestamp:  Wed, 12 Feb 2025 10:41:55 +0000",
        "Labels:             app.kubernetes.io/instance=checkout",
        "                    app.kubernetes.io/managed-by=Helm",
        "                    app.kubernetes.io/name=checkout",
        "                    helm.sh/chart=acme-service-2.0.3",
        "Annotations:        deployment.kubernetes.io/revision: 58",
        "                    meta.helm.sh/release-name: checkout",
        "Selector:           app.kubernetes.io/instance=checkout,app.kubernetes.io/name=checkout",
        "Replicas:           6 desired | 6 updated | 6 total | 6 available | 0 unavailable",
        "StrategyType:       Recreate",
        "MinReadySeconds:    0",
        "Pod Template:",
        "  Labels:           app.kubernetes.io/instance=checkout",
        "                    app.kubernetes.io/name=checkout",
        "  Service Account:  checkout",
        "  Containers:",
        "   checkout:",
        "    Image:      ghcr.io/acme-shop/checkout:9.3.1",
        "    Port:       8080/TCP",
        "    Host Port:  0/TCP",
        "    Limits:",
        "      memory:  2Gi",
        "    Requests:",
        "      cpu:        1",
        "      memory:     2Gi",
        "    Readiness:    http-get http://:8080/actuator/health/readiness delay=30s timeout=2s period=5s #success=1 #failure=3",
        "    Environment:",
        "      SPRING_PROFILES_ACTIVE:  prod",
        "    Mounts:                  <none>",
        "  Volumes:                   <none>",
        "  Node-Selectors:            <none>",
        "  Tolerations:               <none>",
        "Conditions:",
        "  Type           Status  Reason",
        "  ----           ------  ------",
        "  Available      True    MinimumReplicasAvailable",
        "  Progressing    True    NewReplicaSetAvailable",
        "OldReplicaSets:  checkout-6f4b9d8c7 (0/0 replicas created), checkout-7b6c5d9f8 (0/0 replicas created)",
        "NewReplicaSet:   checkout-5d8f7c6b4 (6/6 replicas created)",
        "Events:",
        "  Type    Reason             Age   From                   Message",
        "  ----    ------             ----  ----                   -------",
        "  Normal  ScalingReplicaSet  63m   deployment-controller  Scaled down replica set checkout-7b6c5d9f8 to 0 from 6",
        "  Normal  ScalingReplicaSet  63m   deployment-controller  Scaled up replica set checkout-6f4b9d8c7 to 6",
        "  Normal  ScalingReplicaSet  24m   deployment-controller  Scaled down replica set checkout-6f4b9d8c7 to 0 from 6",
        "  Normal  ScalingReplicaSet  24m   deployment-controller  Scaled up replica set checkout-5d8f7c6b4 to 6",
    ]
    hpa = [
        "$ kubectl -n shop describe hpa checkout | tail -4",
        "  Type     Reason                        Age                From                       Message",
        "  ----     ------                        ----               ----                       -------",
        "  Warning  FailedGetResourceMetric       22m (x4 over 62m)  horizontal-pod-autoscaler  failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
        "  Warning  FailedComputeMetricsReplicas  22m (x4 over 62m)  horizontal-pod-autoscaler  invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
    ]
    pdb = [
        ("NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"),
        ("checkout", "4", "N/A", "2", "286d"),
    ]
    kubectl = "\n".join(
        [
            "$ kubectl -n shop describe deploy checkout",
            *describe,
            "",
            "$ kubectl -n shop get pdb",
            *table(pdb[0], pdb[1:]),
            "",
            *hpa,
            "",
            "$ helm -n shop history checkout | tail -4",
            "REVISION  UPDATED                   STATUS      CHART               APP VERSION  DESCRIPTION",
            "56        Tue Nov 11 10:12:40 2025  superseded  acme-service-2.0.3  9.2.4        Upgrade complete",
            "57        Tue Nov 18 15:02:11 2025  superseded  acme-service-2.0.3  9.3.0        Upgrade complete",
            "58        Tue Nov 18 15:41:17 2025  deployed    acme-service-2.0.3  9.3.1        Upgrade complete",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Post-incident notes, checkout, 18 Nov",
            "- 15:02 and 15:41: CheckoutAvailability SLO burn alerts, each ~2 min of 503 at the edge (Envoy flags UH).",
            "- Both line up with our deploys (9.3.0, then hotfix 9.3.1 for the voucher rounding bug). Before last week deploys were invisible.",
            "- Nov 11: migrated checkout from its own chart to acme-service 2.0 library chart (PR #2231, 'no functional change').",
            "- We have a PDB (minAvailable 4), so pods should not all go at once?",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "kubectl.txt": kubectl,
        "logs/envoy-edge.log": edge.render(),
        f"logs/{pod}.log": app.render(),
    }
    return Bundle(
        question="Both checkout deploys today (15:02 and 15:41 UTC) caused about two minutes of 503s at the edge. Deploys used to be invisible. Why?",
        category="deployment",
        component="checkout",
        statement="Since checkout moved to the acme-service 2.0 library chart on 11 Nov its Deployment uses strategy Recreate, so each rollout (15:02 and 15:41 UTC) scaled the old ReplicaSet to 0 before the new pods, which need about 90 s to become ready, existed; Envoy had no healthy upstream and returned 503 for about two minutes each time (the PDB does not apply to rollouts).",
        files=files,
        proofs=[
            Proof("kubectl.txt", "StrategyType:       Recreate"),
            Proof(
                "kubectl.txt",
                "Scaled down replica set checkout-6f4b9d8c7 to 0 from 6",
                "Scaled up replica set checkout-5d8f7c6b4 to 6",
            ),
        ],
        decoys=[
            "ALLOWED DISRUPTIONS",
            "no metrics returned from resource metrics API",
            "payment provider adyen responded in 2870 ms",
        ],
    )
