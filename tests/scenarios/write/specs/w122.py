# ruff: noqa: E501
# kubectl rows, hand-written log lines and pasted notes are data, kept whole on one line.
"""Kubernetes: chart search-api 3.9.0 moved `resources` under `app:` in its values, and the
release's values file was not updated, so the Deployment's container has no CPU request. The
HorizontalPodAutoscaler cannot compute utilisation ("missing request for cpu") and stays at its
minimum of 3 replicas; when the evening sale starts, the three pods saturate, latency climbs and
the ingress returns 504s. Decoys: OpenSearch bulk rejections (429), a few Redis pool timeouts and
a node that was NotReady hours before."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import describe_events, event_listing, routine_events, table
from records import NginxAccess, Zap
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2024, 11, 21, 17, 30, tzinfo=UTC)
SALE = 30.0
MINUTES = 75
NAMESPACE = "discovery"
RS = "search-api-7b9d5c6f48"
PODS = [f"{RS}-{suffix}" for suffix in ("2xkqp", "h8vtn", "r5mwd")]
NODES = [
    "gke-prod-eu-pool-b-3f1d2a9c-7wq2",
    "gke-prod-eu-pool-b-3f1d2a9c-k81m",
    "gke-prod-eu-pool-b-3f1d2a9c-zr5t",
    "gke-prod-eu-pool-b-3f1d2a9c-p0dx",
]
TERMS = [
    "winter jacket",
    "boots",
    "lego",
    "air fryer",
    "iphone case",
    "yoga mat",
    "espresso",
    "headphones",
    "scarf",
    "tent",
]


def search_line(rng: random.Random, slow: float = 1.0) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f'request served method=GET path=/v2/search q="{rng.choice(TERMS)}" status=200 hits={rng.randrange(0, 900)} took={rng.lognormvariate(0, 0.4) * 38 * slow:.1f}ms',
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f'request served method=GET path=/v2/suggest q="{rng.choice(TERMS)[:3]}" status=200 took={rng.lognormvariate(0, 0.4) * 9 * slow:.1f}ms',
            (),
        )
    if roll < 0.95:
        return (
            "DEBUG",
            f"cache hit key=facets:{rng.getrandbits(32):08x} ttl={rng.randrange(30, 300)}s",
            (),
        )
    return (
        "INFO",
        f"index alias products -> products-2024.11.{rng.randrange(18, 21)} refreshed, docs={rng.randrange(2_400_000, 2_500_000)}",
        (),
    )


def search_failure(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "ERROR",
            f'request failed method=GET path=/v2/search q="{rng.choice(TERMS)}" status=503 error="context deadline exceeded" took={rng.uniform(5000, 5030):.1f}ms',
            (),
        )
    return (
        "WARN",
        f"handler queue saturated: {rng.randrange(400, 520)} requests waiting, GOMAXPROCS=2",
        (),
    )


def ingress_line(rng: random.Random, statuses: tuple[int, ...] = (200,), slow: float = 1.0) -> Line:
    path = rng.choice(
        [
            "/v2/search?q=" + rng.choice(TERMS).replace(" ", "+"),
            "/v2/suggest?q=" + rng.choice(TERMS)[:3],
            "/v2/search?q=" + rng.choice(TERMS).replace(" ", "+") + "&page=2",
        ]
    )
    status = rng.choice(statuses)
    seconds = (
        5.0 + rng.random() * 0.02 if status == 504 else rng.lognormvariate(0, 0.4) * 0.041 * slow
    )
    return (
        "INFO",
        f'"GET {path} HTTP/2.0" {status} {rng.randrange(160, 9000) if status == 200 else 160} "https://www.shop.example/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {rng.randrange(30, 90)} {seconds:.3f} [{NAMESPACE}-search-api-80] [] 10.8.{rng.randrange(1, 4)}.{rng.randrange(2, 250)}:8080 {rng.randrange(160, 9000)} {seconds:.3f} {status}',
        (),
    )


def hpa_text() -> str:
    conditions = table(
        ("Type", "Status", "Reason", "Message"),
        [
            ("----", "------", "------", "-------"),
            (
                "AbleToScale",
                "True",
                "SucceededGetScale",
                "the HPA controller was able to get the target's current scale",
            ),
            (
                "ScalingActive",
                "False",
                "FailedGetResourceMetric",
                f"the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container search-api of Pod {PODS[0]}",
            ),
        ],
        indent="  ",
    )
    events = describe_events(
        [
            (
                "Warning",
                "FailedGetResourceMetric",
                "41s (x261 over 65m)",
                "horizontal-pod-autoscaler",
                f"failed to get cpu utilization: missing request for cpu in container search-api of Pod {PODS[1]}",
            ),
            (
                "Warning",
                "FailedComputeMetricsReplicas",
                "41s (x261 over 65m)",
                "horizontal-pod-autoscaler",
                f"invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: missing request for cpu in container search-api of Pod {PODS[1]}",
            ),
        ]
    )
    lines = [
        "Name:                                                  search-api",
        f"Namespace:                                             {NAMESPACE}",
        "Labels:                                                app.kubernetes.io/instance=search-api",
        "                                                       app.kubernetes.io/managed-by=Helm",
        "                                                       app.kubernetes.io/name=search-api",
        "                                                       helm.sh/chart=search-api-3.9.0",
        "Annotations:                                           meta.helm.sh/release-name: search-api",
        f"                                                       meta.helm.sh/release-namespace: {NAMESPACE}",
        "CreationTimestamp:                                     Tue, 02 Apr 2024 11:20:45 +0000",
        "Reference:                                             Deployment/search-api",
        "Metrics:                                               ( current / target )",
        "  resource cpu on pods  (as a percentage of request):  <unknown> / 65%",
        "Min replicas:                                          3",
        "Max replicas:                                          24",
        "Deployment pods:                                       3 current / 3 desired",
        "Conditions:",
        *conditions,
        *events,
    ]
    return "\n".join(lines) + "\n"


def deployment_text() -> str:
    conditions = table(
        ("Type", "Status", "Reason"),
        [
            ("----", "------", "------"),
            ("Progressing", "True", "NewReplicaSetAvailable"),
            ("Available", "True", "MinimumReplicasAvailable"),
        ],
        indent="  ",
    )
    lines = [
        "Name:                   search-api",
        f"Namespace:              {NAMESPACE}",
        "CreationTimestamp:      Tue, 02 Apr 2024 11:20:44 +0000",
        "Labels:                 app.kubernetes.io/instance=search-api",
        "                        app.kubernetes.io/managed-by=Helm",
        "                        app.kubernetes.io/name=search-api",
        "                        helm.sh/chart=search-api-3.9.0",
        "Annotations:            deployment.kubernetes.io/revision: 57",
        "                        meta.helm.sh/release-name: search-api",
        f"                        meta.helm.sh/release-namespace: {NAMESPACE}",
        "Selector:               app.kubernetes.io/instance=search-api,app.kubernetes.io/name=search-api",
        "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable",
        "StrategyType:           RollingUpdate",
        "MinReadySeconds:        0",
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge",
        "Pod Template:",
        "  Labels:           app.kubernetes.io/instance=search-api",
        "                    app.kubernetes.io/name=search-api",
        "  Annotations:      checksum/config: 9d41c7e0a8b3f2d6e51c0b7a4f9e8d2c6b1a3f5e7d9c0b2a4e6f8d1c3b5a7e9f",
        "  Service Account:  search-api",
        "  Containers:",
        "   search-api:",
        "    Image:      europe-docker.pkg.dev/shop-prod/apps/search-api:3.9.0",
        "    Port:       8080/TCP",
        "    Host Port:  0/TCP",
        "    Liveness:   http-get http://:8080/healthz delay=10s timeout=1s period=10s #success=1 #failure=3",
        "    Readiness:  http-get http://:8080/readyz delay=5s timeout=1s period=5s #success=1 #failure=3",
        "    Environment:",
        "      OPENSEARCH_URL:  https://opensearch-products.discovery.svc:9200",
        "      REDIS_ADDR:      redis-facets.discovery.svc:6379",
        "      GOMAXPROCS:      2",
        "      LOG_LEVEL:       info",
        "    Mounts:            <none>",
        "  Volumes:             <none>",
        "Conditions:",
        *conditions,
        "OldReplicaSets:  search-api-5c8f9d7b46 (0/0 replicas created)",
        f"NewReplicaSet:   {RS} (3/3 replicas created)",
        "Events:          <none>",
    ]
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(1122)
    logs = LogFile(
        "logs/search-api.log",
        Zap(
            (
                "search/handler.go:142",
                "search/handler.go:88",
                "cache/facets.go:57",
                "index/alias.go:31",
            ),
            rng=rng,
        ),
    )
    logs.add(traffic(rng, search_line, START, SALE, 1500))
    logs.add(traffic(rng, lambda r: search_line(r, 6.0), START + timedelta(minutes=SALE), 12, 1400))
    logs.add(
        traffic(
            rng,
            lambda r: search_line(r, 22.0),
            START + timedelta(minutes=SALE + 12),
            MINUTES - SALE - 12,
            2200,
        )
    )
    logs.add(loud(rng, START, SALE + 13, MINUTES - SALE - 13.5, 420, search_failure))
    logs.add(
        loud(
            rng,
            START,
            12.0,
            4.0,
            26,
            fixed(
                "WARN",
                lambda r: (
                    f"bulk indexer: opensearch returned 429 Too Many Requests (es_rejected_execution_exception: rejected execution of coordinating operation [coordinating_and_primary_bytes={r.randrange(500, 540)}mb]), retrying batch {r.randrange(9000, 9999)} in 2s"
                ),
            ),
        )
    )
    logs.add(
        loud(
            rng,
            START,
            SALE + 20,
            20,
            9,
            fixed(
                "WARN",
                lambda r: (
                    f"facets cache get failed: redis: connection pool timeout (pool size 10), serving uncached key=facets:{r.getrandbits(32):08x}"
                ),
            ),
        )
    )
    logs.add(
        [
            at(
                START,
                0.2,
                "INFO",
                "starting search-api version=3.9.0 commit=8e1f4c2 go=go1.23.3 GOMAXPROCS=2",
            )
        ]
    )
    ingress = LogFile("logs/ingress-nginx.log", NginxAccess(rng=rng))
    ingress.add(traffic(rng, ingress_line, START, SALE, 2100))
    ingress.add(
        traffic(
            rng, lambda r: ingress_line(r, (200,), 6.0), START + timedelta(minutes=SALE), 12, 2300
        )
    )
    ingress.add(
        traffic(
            rng,
            lambda r: ingress_line(r, (200, 200, 200, 504), 22.0),
            START + timedelta(minutes=SALE + 12),
            MINUTES - SALE - 12,
            4600,
        )
    )
    signal = [
        (
            11800,
            (
                "Normal",
                "NodeNotReady",
                f"node/{NODES[3]}",
                f"Node {NODES[3]} status is now: NodeNotReady",
            ),
        ),
        (
            11620,
            (
                "Normal",
                "NodeReady",
                f"node/{NODES[3]}",
                f"Node {NODES[3]} status is now: NodeReady",
            ),
        ),
        (
            3900,
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/search-api",
                f"failed to get cpu utilization: missing request for cpu in container search-api of Pod {PODS[0]}",
            ),
        ),
        (
            41,
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/search-api",
                f"failed to get cpu utilization: missing request for cpu in container search-api of Pod {PODS[1]}",
            ),
        ),
        (
            95,
            (
                "Warning",
                "Unhealthy",
                f"pod/{PODS[2]}",
                'Readiness probe failed: Get "http://10.8.2.117:8080/readyz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            60,
            (
                "Warning",
                "Unhealthy",
                f"pod/{PODS[0]}",
                'Readiness probe failed: Get "http://10.8.1.40:8080/readyz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            3960,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/search-api",
                f"Scaled up replica set {RS} to 1",
            ),
        ),
        (
            3930,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/search-api",
                "Scaled down replica set search-api-5c8f9d7b46 to 2 from 3",
            ),
        ),
        (
            3890,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/search-api",
                f"Scaled up replica set {RS} to 3 from 2",
            ),
        ),
        (
            3860,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/search-api",
                "Scaled down replica set search-api-5c8f9d7b46 to 0 from 1",
            ),
        ),
    ]
    events = event_listing(
        routine_events(
            rng,
            ["catalog-sync", "recs-api", "opensearch-exporter", "facets-warmer"],
            90,
            NODES,
            namespace=NAMESPACE,
        ),
        signal,
    )
    hpa_rows = [
        ("search-api", "Deployment/search-api", "cpu: <unknown>/65%", "3", "24", "3", "233d"),
        ("recs-api", "Deployment/recs-api", "cpu: 81%/70%", "2", "10", "6", "233d"),
    ]
    top = table(
        ("NAME", "CPU(cores)", "MEMORY(bytes)"),
        [
            (PODS[0], "1994m", "412Mi"),
            (PODS[1], "1987m", "398Mi"),
            (PODS[2], "1999m", "420Mi"),
            ("recs-api-66d9b8f7c5-4lz8q", "702m", "611Mi"),
            ("recs-api-66d9b8f7c5-9wfjn", "688m", "597Mi"),
        ],
    )
    notes = "\n".join(
        [
            "On-call handover, Thu 21 Nov (evening sale started 18:00 UTC)",
            "",
            "* 18:12 search p99 alert, then ingress 504s on /v2/search from ~18:13",
            "* OpenSearch cluster is green, heap 55%. Bulk 429s earlier this evening were the nightly reindex, already finished.",
            "* recs-api scaled 2 -> 6 fine. search-api still 3 pods??",
            "* search-api chart bumped 3.8.0 -> 3.9.0 at 16:25 (platform team's chart refactor, values files unchanged)",
            "* pasted: kubectl get hpa, kubectl top pods, kubectl describe hpa search-api, kubectl describe deploy search-api, events",
            "",
            "$ kubectl -n discovery get hpa",
            *table(
                ("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"), hpa_rows
            ),
            "",
            "$ kubectl -n discovery top pods",
            *top,
            "",
        ]
    )
    return Bundle(
        question="Search is timing out (504s) since the evening sale started at 18:00 UTC even though we have autoscaling. What is the root cause?",
        category="configuration",
        component="search-api",
        statement="Since chart search-api 3.9.0 was deployed at 16:25 UTC the search-api Deployment's container has no CPU request (the values file was not moved to the chart's new layout), so its HorizontalPodAutoscaler reports 'missing request for cpu' and never scales beyond 3 replicas; from 18:00 UTC the three pods saturate at 2 cores and search requests time out with 504s.",
        files={
            "notes.md": notes,
            "kubectl-describe-hpa.txt": hpa_text(),
            "kubectl-describe-deployment.txt": deployment_text(),
            "kubectl-get-events.txt": events,
            "logs/search-api.log": logs.render(),
            "logs/ingress-nginx.log": ingress.render(),
        },
        proofs=[
            Proof("kubectl-describe-hpa.txt", "ScalingActive   False"),
            Proof("kubectl-describe-hpa.txt", "<unknown> / 65%"),
        ],
        decoys=[
            "es_rejected_execution_exception",
            "redis: connection pool timeout",
            "NodeNotReady",
        ],
    )
