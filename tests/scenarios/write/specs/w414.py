# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: at 15:38 PDT a developer applied a `checkout-canary` Deployment to the prod
namespace to try a build against the payment provider's sandbox. Its pod template carries only
`app: checkout` (no `track` label), so the `checkout` Service, selecting `app=checkout`, adds
the canary pod to its endpoints: about one checkout in four now reaches a pod configured with
the sandbox URL and test key, and the sandbox rejects live card tokens. Decoys: an HPA
scale-out of checkout, a Redis eviction notice and a fraud-check timeout that was retried."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import KubectlTimestamps, NginxAccess, Pino
from scenes import at, fixed, loud
from traffic import http_access, traffic, web_api

START = datetime(2026, 9, 24, 21, 50, tzinfo=UTC)  # 14:50 PDT
NOW = datetime(2026, 9, 25, 0, 25, tzinfo=UTC)
CANARY = 48.0  # 22:38 UTC = 15:38 PDT
NODES = [
    "gke-shop-prod-default-1a2b3c4d-0wq1",
    "gke-shop-prod-default-1a2b3c4d-7mzk",
    "gke-shop-prod-default-1a2b3c4d-q3nd",
]
CANARY_POD = "checkout-canary-5b7d8c9f64-jx2tn"


def bundle() -> Bundle:
    rng = random.Random(4148)
    total = (NOW - START).total_seconds() / 60

    edge = LogFile("logs/edge-nginx-access.log", NginxAccess(rng=rng))
    edge.add(
        traffic(
            rng,
            http_access(
                ["/api/cart/{id}", "/api/products/{id}", "/api/checkout", "/static/app.{id}.js"], 45
            ),
            START,
            total,
            4200,
        )
    )
    edge.add(
        loud(
            rng,
            START,
            CANARY + 0.5,
            total - CANARY - 0.5,
            610,
            fixed(
                "ERROR",
                lambda r: (
                    f'"POST /api/checkout HTTP/1.1" 502 {r.randrange(180, 260)} "https://shop.larkspur.example/cart" "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)" {r.randrange(200, 900) / 1000:.3f}'
                ),
            ),
        )
    )

    co = LogFile("logs/checkout.log", Pino(hostname="checkout-7f6d9b8c45-8hk2v", rng=rng))
    co.add(
        traffic(rng, web_api("checkout", ["checkout", "payments", "orders"]), START, total, 3000)
    )
    co.add(
        [
            at(
                START,
                22.0,
                "WARN",
                "fraud-check POST /v1/score timed out after 800ms (attempt 1/2), retrying",
            ),
            at(
                START,
                91.0,
                "WARN",
                "redis: evicted_keys increased by 1432 in the last 60s (maxmemory-policy allkeys-lru); cart cache hit ratio 0.91",
            ),
        ]
    )

    canary = LogFile(f"kubectl-logs-{CANARY_POD}.txt", KubectlTimestamps())
    canary.add(
        [
            at(
                START,
                CANARY + 0.3,
                "INFO",
                '{"level":30,"msg":"checkout 5.0.0-rc.3 listening on :8080"}',
            ),
            at(
                START,
                CANARY + 0.31,
                "INFO",
                '{"level":30,"msg":"payment provider configured","baseUrl":"https://sandbox.api.paystream.example/v3","keyMode":"test"}',
            ),
        ]
    )
    canary.add(
        loud(
            rng,
            START,
            CANARY + 0.6,
            total - CANARY - 0.7,
            330,
            fixed(
                "ERROR",
                lambda r: (
                    f'{{"level":50,"msg":"charge failed","orderId":"o-{r.getrandbits(40):010x}","status":400,"code":"token_mode_mismatch","detail":"A live-mode card token was used with a test-mode API key"}}'
                ),
            ),
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(rng, ["cart", "catalog", "checkout"], 22, NODES, namespace="shop-prod")
    signal = [
        (
            ago(CANARY),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/checkout-canary",
                "Scaled up replica set checkout-canary-5b7d8c9f64 to 1",
            ),
        ),
        (
            ago(CANARY - 0.1),
            (
                "Normal",
                "Scheduled",
                f"pod/{CANARY_POD}",
                f"Successfully assigned shop-prod/{CANARY_POD} to {NODES[1]}",
            ),
        ),
        (
            ago(CANARY - 0.3),
            ("Normal", "Started", f"pod/{CANARY_POD}", "Started container checkout"),
        ),
        (
            ago(66),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/checkout",
                "New size: 3; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    kubectl = "\n".join(
        [
            "$ kubectl -n shop-prod get svc checkout -o wide",
            "NAME       TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)    AGE    SELECTOR",
            "checkout   ClusterIP   10.12.14.203   <none>        8080/TCP   412d   app=checkout",
            "",
            "$ kubectl -n shop-prod get endpoints checkout",
            "NAME       ENDPOINTS                                                  AGE",
            "checkout   10.40.1.17:8080,10.40.2.88:8080,10.40.0.143:8080 + 1 more...   412d",
            "",
            "$ kubectl -n shop-prod get pods -l app=checkout -L track,app.kubernetes.io/version -o wide | awk '{print $1, $2, $3, $6, $10, $11}'",
            "NAME READY STATUS IP TRACK VERSION",
            "checkout-7f6d9b8c45-8hk2v 1/1 Running 10.40.1.17 stable 4.18.2",
            "checkout-7f6d9b8c45-m4v7q 1/1 Running 10.40.2.88 stable 4.18.2",
            "checkout-7f6d9b8c45-zt9xw 1/1 Running 10.40.0.143 stable 4.18.2",
            f"{CANARY_POD} 1/1 Running 10.40.2.91",
            "",
            "$ kubectl -n shop-prod get deploy checkout-canary -o yaml | grep -E -A3 'labels:|PAYMENT_' | head -24",
            "  labels:",
            "    owner: rtakeda",
            "  name: checkout-canary",
            "--",
            "      labels:",
            "        app: checkout",
            "    spec:",
            "      containers:",
            "--",
            "        - name: PAYMENT_BASE_URL",
            "          value: https://sandbox.api.paystream.example/v3",
            "        - name: PAYMENT_API_KEY",
            "          valueFrom:",
            "",
        ]
    )
    return Bundle(
        question="About a quarter of checkouts have failed with 502 since around 15:40 PDT; the rest go through. What is the root cause?",
        category="deployment",
        component="checkout-canary",
        statement="A checkout-canary Deployment applied to shop-prod at 15:38 PDT labels its pods only app=checkout, so the checkout Service (selector app=checkout) sends about a quarter of traffic to the canary pod, which is configured for the payment sandbox with a test key and rejects every live card token.",
        files={
            "logs/edge-nginx-access.log": edge.render(),
            "logs/checkout.log": co.render(),
            f"kubectl-logs-{CANARY_POD}.txt": canary.render(),
            "kubectl-get-events.txt": events,
            "kubectl-checkout.txt": kubectl,
        },
        proofs=[
            Proof("kubectl-checkout.txt", f"{CANARY_POD} 1/1 Running 10.40.2.91"),
            Proof("kubectl-checkout.txt", "        app: checkout"),
            Proof(f"kubectl-logs-{CANARY_POD}.txt", '"keyMode":"test"'),
        ],
        decoys=[
            "fraud-check POST /v1/score timed out after 800ms",
            "redis: evicted_keys increased by 1432",
            "New size: 3; reason: cpu resource utilization",
        ],
    )
