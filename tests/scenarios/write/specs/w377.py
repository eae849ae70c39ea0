# ruff: noqa: E501
# kubectl output, CI output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: search-api is scaled by an HPA (min 3, max 20) but its manifest in the repo
still carries `replicas: 3`. The 14:02 UTC pipeline runs `kubectl apply -f deploy/k8s/`, which
resets the Deployment from the HPA's 14 replicas to 3 in the middle of the afternoon peak; the
remaining pods saturate, ingress-nginx answers 503/504 for about eight minutes until the HPA
scales back up. Loud: ingress 504s, search-api's deadline errors and slow queries. Decoys: an
Elasticsearch slow-log warning on a known heavy query, a cert-manager renewal, a ConfigMap
`unchanged` line in the same apply."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, NginxAccess
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 4, 14, 13, 0, tzinfo=UTC)
MINUTES = 100.0
DEPLOY = 62.0


def ingress_ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = rng.choice(["/v1/search?q=", "/v1/suggest?prefix=", "/v1/search?q=", "/v1/facets?cat="])
    took = max(0.004, rng.lognormvariate(0, 0.5) * 0.06)
    pod = f"10.52.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}:8080"
    return (
        "INFO",
        f'"GET {path}{rng.getrandbits(24):x} HTTP/2.0" 200 {rng.randrange(900, 24000)} "-" "Mozilla/5.0" {rng.randrange(60, 140)} {took:.3f} [shop-search-api-8080] [] {pod} {rng.randrange(900, 24000)} {took:.3f} 200 {rng.getrandbits(128):032x}',
        (),
    )


def ingress_bad(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = rng.choice(["/v1/search?q=", "/v1/suggest?prefix="])
    status = rng.choice([504, 504, 503])
    took = 10.001 if status == 504 else 0.000
    up = f"10.52.{rng.randrange(1, 4)}.{rng.randrange(2, 250)}:8080" if status == 504 else "-"
    return (
        "INFO",
        f'"GET {path}{rng.getrandbits(24):x} HTTP/2.0" {status} 160 "-" "Mozilla/5.0" {rng.randrange(60, 140)} {took:.3f} [shop-search-api-8080] [] {up} 0 {took:.3f} {status if status == 504 else "-"} {rng.getrandbits(128):032x}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(37714)
    access = LogFile("logs/edge-controller.log", NginxAccess(rng))
    access.add(traffic(rng, ingress_ok, START, MINUTES, 4200))
    access.add(loud(rng, START, DEPLOY + 0.3, 8.5, 900, ingress_bad))

    api = LogFile(
        "logs/search-api.log",
        JsonLines("search-api", keys=("time", "level", "message"), rng=rng),
    )
    api.add(
        traffic(rng, web_api("search-api", ["query", "suggestion", "facet"]), START, MINUTES, 3100)
    )
    api.add(
        loud(
            rng,
            START,
            DEPLOY + 0.4,
            8.2,
            420,
            fixed(
                "ERROR",
                lambda r: (
                    f"search handler: elasticsearch query failed: context deadline exceeded (queue wait {r.randrange(4000, 9900)}ms, inflight={r.randrange(180, 256)}/256)"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            DEPLOY + 0.5,
            8.0,
            160,
            fixed(
                "WARN",
                lambda r: (
                    f"load shedding: rejecting request, inflight limit reached (256) pod=search-api-5f7c9d8b64-{r.getrandbits(25):05x}"
                ),
            ),
        )
    )
    api.add(
        [
            at(
                START,
                23.0,
                "WARN",
                "elasticsearch slowlog: took[2.4s] index[catalog-v41] query=facets_all_categories (known heavy query, JIRA SRCH-882)",
            )
        ]
    )

    ci = "\n".join(
        [
            "Running with gitlab-runner 17.9.1 (b7c5a1e2)",
            "  on k8s-runner-3 t3_Xk9ab, system ID: r_0c1d7a2e9f4b",
            'Preparing the "kubernetes" executor',
            "Using Kubernetes namespace: gitlab-runners",
            "Getting source from Git repository",
            "Checking out 4f1a9c2e as detached HEAD (ref is main)...",
            "$ kubectl config use-context shop-prod",
            'Switched to context "shop-prod".',
            "$ kubectl -n shop apply -f deploy/k8s/",
            "configmap/search-api-config unchanged",
            "deployment.apps/search-api configured",
            "horizontalpodautoscaler.autoscaling/search-api unchanged",
            "poddisruptionbudget.policy/search-api unchanged",
            "service/search-api unchanged",
            "$ kubectl -n shop rollout status deployment/search-api --timeout=300s",
            'Waiting for deployment "search-api" rollout to finish: 1 of 3 updated replicas are available...',
            'Waiting for deployment "search-api" rollout to finish: 2 of 3 updated replicas are available...',
            'deployment "search-api" successfully rolled out',
            "Cleaning up project directory and file based variables",
            "Job succeeded",
            "",
            '# job 88213 started 2026-04-14 14:01:47 UTC, finished 14:04:12 UTC, commit 4f1a9c2e "search-api: bump ranking model to v17"',
            "",
            "$ git show 4f1a9c2e:deploy/k8s/deployment.yaml | sed -n 1,24p",
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata:",
            "  name: search-api",
            "  namespace: shop",
            "  labels:",
            "    app: search-api",
            "spec:",
            "  replicas: 3",
            "  revisionHistoryLimit: 5",
            "  selector:",
            "    matchLabels:",
            "      app: search-api",
            "  template:",
            "    metadata:",
            "      labels:",
            "        app: search-api",
            "    spec:",
            "      containers:",
            "        - name: search-api",
            "          image: registry.shop.example/search-api:2026.04.14-4f1a9c2e",
            "          resources:",
            "            requests: {cpu: 750m, memory: 768Mi}",
            "            limits: {memory: 768Mi}",
            "",
        ]
    )

    hpa = "\n".join(
        [
            "$ kubectl -n shop describe hpa search-api",
            "Name:                                                  search-api",
            "Namespace:                                             shop",
            "Labels:                                                app=search-api",
            "Annotations:                                           <none>",
            "CreationTimestamp:                                     Tue, 03 Feb 2026 09:41:12 +0000",
            "Reference:                                             Deployment/search-api",
            "Metrics:                                               ( current / target )",
            "  resource cpu on pods  (as a percentage of request):  71% (533m) / 65%",
            "Min replicas:                                          3",
            "Max replicas:                                          20",
            "Deployment pods:                                       13 current / 13 desired",
            "Conditions:",
            "  Type            Status  Reason               Message",
            "  ----            ------  ------               -------",
            "  AbleToScale     True    ScaleDownStabilized  recent recommendations were higher than current one, applying the highest recent recommendation",
            "  ScalingActive   True    ValidMetricType      the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
            "  ScalingLimited  False   DesiredWithinRange   the desired count is within the acceptable range",
            "Events:",
            "  Type    Reason             Age    From                       Message",
            "  ----    ------             ----   ----                       -------",
            "  Normal  SuccessfulRescale  58m    horizontal-pod-autoscaler  New size: 11; reason: cpu resource utilization (percentage of request) above target",
            "  Normal  SuccessfulRescale  51m    horizontal-pod-autoscaler  New size: 14; reason: cpu resource utilization (percentage of request) above target",
            "  Normal  SuccessfulRescale  36m    horizontal-pod-autoscaler  New size: 6; reason: cpu resource utilization (percentage of request) above target",
            "  Normal  SuccessfulRescale  35m    horizontal-pod-autoscaler  New size: 12; reason: cpu resource utilization (percentage of request) above target",
            "  Normal  SuccessfulRescale  31m    horizontal-pod-autoscaler  New size: 13; reason: cpu resource utilization (percentage of request) above target",
            "",
            "$ kubectl -n shop describe deployment search-api | sed -n '/^Events:/,$p'",
            "Events:",
            "  Type    Reason             Age    From                   Message",
            "  ----    ------             ----   ----                   -------",
            "  Normal  ScalingReplicaSet  51m    deployment-controller  Scaled up replica set search-api-6b8d4f7c59 to 14 from 11",
            "  Normal  ScalingReplicaSet  38m    deployment-controller  Scaled down replica set search-api-6b8d4f7c59 to 3 from 14",
            "  Normal  ScalingReplicaSet  38m    deployment-controller  Scaled up replica set search-api-5f7c9d8b64 to 1",
            "  Normal  ScalingReplicaSet  37m    deployment-controller  Scaled down replica set search-api-6b8d4f7c59 to 2 from 3",
            "  Normal  ScalingReplicaSet  37m    deployment-controller  Scaled up replica set search-api-5f7c9d8b64 to 2 from 1",
            "  Normal  ScalingReplicaSet  36m    deployment-controller  Scaled down replica set search-api-6b8d4f7c59 to 1 from 2",
            "  Normal  ScalingReplicaSet  36m    deployment-controller  Scaled up replica set search-api-5f7c9d8b64 to 3 from 2",
            "  Normal  ScalingReplicaSet  36m    deployment-controller  Scaled down replica set search-api-6b8d4f7c59 to 0 from 1",
            "  Normal  ScalingReplicaSet  36m    deployment-controller  Scaled up replica set search-api-5f7c9d8b64 to 6 from 3",
            "  Normal  ScalingReplicaSet  35m    deployment-controller  Scaled up replica set search-api-5f7c9d8b64 to 12 from 6",
            "  Normal  ScalingReplicaSet  31m    deployment-controller  Scaled up replica set search-api-5f7c9d8b64 to 13 from 12",
            "",
            "# pasted 14:40 UTC",
            "",
        ]
    )

    nodes = ["gke-shop-pool-2-8f1c-k2v9", "gke-shop-pool-2-8f1c-m7q4", "gke-shop-pool-2-8f1c-x0d1"]
    routine = routine_events(rng, ["cart", "checkout", "catalog"], 30, nodes, namespace="shop")
    signal = [
        (
            2900,
            (
                "Normal",
                "Issuing",
                "certificate/search-shop-example-tls",
                "The certificate has been successfully issued",
            ),
        ),
        (
            2290,
            (
                "Normal",
                "Killing",
                "pod/search-api-6b8d4f7c59-w4kzt",
                "Stopping container search-api",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    return Bundle(
        question="Search returned 503/504 for about eight minutes after 14:02 UTC today, then recovered by itself. What caused it?",
        category="deployment",
        component="search-api",
        statement="search-api's manifest still sets `replicas: 3` although an HPA manages it; the 14:02 UTC pipeline's `kubectl apply` reset the Deployment from 14 replicas to 3 during the peak, the 3 pods saturated and ingress-nginx returned 503/504 until the HPA scaled back up.",
        files={
            "ci-job-88213.txt": ci,
            "kubectl-describe.txt": hpa,
            "kubectl-get-events.txt": events,
            "logs/edge-controller.log": access.render(),
            "logs/search-api.log": api.render(),
        },
        proofs=[
            Proof(
                "kubectl-describe.txt", "Scaled down replica set search-api-6b8d4f7c59 to 3 from 14"
            ),
            Proof("ci-job-88213.txt", "  replicas: 3"),
            Proof("ci-job-88213.txt", "deployment.apps/search-api configured"),
        ],
        decoys=[
            "elasticsearch slowlog: took[2.4s]",
            "The certificate has been successfully issued",
            "configmap/search-api-config unchanged",
        ],
    )
