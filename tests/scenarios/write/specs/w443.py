# ruff: noqa: E501
# Log lines, kubectl rows and YAML are data, kept whole on one line.
"""Kubernetes: search-api chart 3.4.0 (rolled out Tuesday) copied `sessionAffinity: ClientIP`
(timeout 3 h) into the search-api Service from a websocket service's template. Its only caller,
storefront, runs 4 pods that call search-api through the ClusterIP, so kube-proxy pins each
storefront pod to a single search-api pod: 4 of the 12 search-api pods take all the traffic at
their CPU limit while the HPA, averaging over 12, sees 42 % and does nothing. Search latency
climbs at the lunch peak and storefront times out. Decoys: an Elasticsearch slow-log line, a
feature-flag fallback in storefront, and a readiness failure on a starting search-api pod."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Logfmt, Pino
from scenes import at, loud
from traffic import traffic

MSK = timezone(timedelta(hours=3))
START = datetime(2026, 4, 8, 7, 30, tzinfo=UTC)  # 10:30 MSK
NOW = datetime(2026, 4, 8, 10, 0, tzinfo=UTC)
PEAK = 80.0  # 08:50 UTC, 11:50 MSK
HOT = [
    "search-api-7b6f9d8c54-2kqzl",
    "search-api-7b6f9d8c54-8xw4n",
    "search-api-7b6f9d8c54-hm5rt",
    "search-api-7b6f9d8c54-v9pjd",
]
COLD = [
    "search-api-7b6f9d8c54-4tnbc",
    "search-api-7b6f9d8c54-6fglr",
    "search-api-7b6f9d8c54-bq2xs",
    "search-api-7b6f9d8c54-dz7mk",
    "search-api-7b6f9d8c54-jr4wp",
    "search-api-7b6f9d8c54-ns8fh",
    "search-api-7b6f9d8c54-qw3cv",
    "search-api-7b6f9d8c54-xl6gt",
]


def bundle() -> Bundle:
    rng = random.Random(4436)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    api = LogFile("logs/search-api.log", Logfmt("search-api", rng=rng))

    def query(r: random.Random, slow: bool = False) -> tuple[str, str, tuple[str, ...]]:
        pod = r.choice(HOT) if r.random() < 0.97 else r.choice(COLD)
        ms = int(r.lognormvariate(0, 0.5) * (900 if slow and pod in HOT else 45))
        return (
            "INFO",
            f"pod={pod} GET /v2/search q_len={r.randrange(3, 40)} hits={r.randrange(0, 5000)} took={ms}ms",
            (),
        )

    api.add(traffic(rng, query, START, PEAK, 2600))
    api.add(
        traffic(
            rng, lambda r: query(r, slow=True), START + timedelta(minutes=PEAK), total - PEAK, 2400
        )
    )
    api.add(
        [
            at(
                START,
                36.2,
                "WARN",
                "pod=search-api-7b6f9d8c54-8xw4n es slowlog: [products-v12][3] took[1.2s], took_millis[1204], search_type[QUERY_THEN_FETCH], total_shards[6]",
            )
        ]
    )
    api.add(
        loud(
            rng,
            START,
            PEAK + 5,
            total - PEAK - 6,
            140,
            lambda r: (
                "WARN",
                f"pod={r.choice(HOT)} request queue full (workers=8, queued=64), shedding GET /v2/search with 503",
                (),
            ),
        )
    )

    front = LogFile("logs/storefront.log", Pino("storefront-5d8c7b6a9f-" + "k2m4p", rng=rng))
    front.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"GET /{r.choice(['', 'c/shoes', 'c/jackets', 'p/' + str(r.randrange(10**6))])} 200 {r.randrange(20, 240)}ms",
                (),
            ),
            START,
            total,
            3200,
        )
    )
    front.add(
        [
            at(
                START,
                12.4,
                "WARN",
                "feature flag service unreachable (flags.platform.svc:8080), using cached defaults",
            )
        ]
    )
    front.add(
        loud(
            rng,
            START,
            PEAK + 3,
            total - PEAK - 4,
            900,
            lambda r: (
                "ERROR",
                f"search upstream failed: {r.choice(['timeout of 3000ms exceeded', 'Request failed with status code 503'])} url=http://search-api.search.svc.cluster.local/v2/search",
                (),
            ),
        )
    )

    routine = routine_events(
        rng,
        ["storefront", "search-api", "suggest"],
        14,
        ["worker-msk-a-07", "worker-msk-a-11", "worker-msk-b-02", "worker-msk-b-05"],
        namespace="search",
    )
    signal = [
        (
            ago(PEAK + 12),
            (
                "Warning",
                "Unhealthy",
                "pod/search-api-7b6f9d8c54-xl6gt",
                'Readiness probe failed: Get "http://10.233.71.40:8080/ready": dial tcp 10.233.71.40:8080: connect: connection refused',
            ),
        ),
    ]
    events = event_listing(routine, signal)

    top_rows = [
        (p, cpu, f"{rng.randrange(610, 700)}Mi")
        for p, cpu in zip(HOT, ["991m", "987m", "996m", "979m"], strict=True)
    ] + [(p, f"{rng.randrange(4, 19)}m", f"{rng.randrange(280, 330)}Mi") for p in COLD]
    rng.shuffle(top_rows)
    get = "\n".join(
        [
            "$ kubectl -n search top pods -l app=search-api",
            "NAME                          CPU(cores)   MEMORY(bytes)",
            *(f"{p:<30}{c:<13}{m}" for p, c, m in top_rows),
            "",
            "$ kubectl -n search get hpa search-api",
            "NAME         REFERENCE               TARGETS       MINPODS   MAXPODS   REPLICAS   AGE",
            "search-api   Deployment/search-api   cpu: 42%/60%  12        24        12         301d",
            "",
            "$ kubectl -n search get deploy search-api -o jsonpath='{.spec.template.spec.containers[0].resources}'",
            '{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"800m","memory":"768Mi"}}',
            "",
            "$ kubectl -n search rollout history deploy/search-api | tail -2",
            "27        helm upgrade search-api chart search-api-3.3.2",
            "28        helm upgrade search-api chart search-api-3.4.0",
            "",
            "$ kubectl -n search get svc search-api -o yaml",
            "apiVersion: v1",
            "kind: Service",
            "metadata:",
            "  annotations:",
            "    meta.helm.sh/release-name: search-api",
            "  labels:",
            "    app: search-api",
            "    helm.sh/chart: search-api-3.4.0",
            "  name: search-api",
            "  namespace: search",
            "spec:",
            "  clusterIP: 10.233.14.92",
            "  internalTrafficPolicy: Cluster",
            "  ports:",
            "  - name: http",
            "    port: 80",
            "    protocol: TCP",
            "    targetPort: 8080",
            "  selector:",
            "    app: search-api",
            "  sessionAffinity: ClientIP",
            "  sessionAffinityConfig:",
            "    clientIP:",
            "      timeoutSeconds: 10800",
            "  type: ClusterIP",
            "",
            "$ kubectl -n search get pods -l app=storefront -o wide",
            "NAME                          READY   STATUS    RESTARTS   AGE   IP              NODE",
            "storefront-5d8c7b6a9f-k2m4p   1/1     Running   0          6d    10.233.65.12    worker-msk-a-07",
            "storefront-5d8c7b6a9f-p8r2t   1/1     Running   0          6d    10.233.66.91    worker-msk-a-11",
            "storefront-5d8c7b6a9f-t5v7x   1/1     Running   0          6d    10.233.70.23    worker-msk-b-02",
            "storefront-5d8c7b6a9f-z3c9b   1/1     Running   0          6d    10.233.71.8     worker-msk-b-05",
            "",
        ]
    )
    return Bundle(
        question="Search on the web shop has been slow and failing with timeouts since the lunch peak (about 11:50 MSK). The HPA says search-api is at 42% CPU, so why?",
        category="configuration",
        component="search-api",
        statement="search-api chart 3.4.0 set sessionAffinity: ClientIP (3 h timeout) on the search-api Service; with only four storefront pods calling it, kube-proxy pins all traffic to four of the twelve search-api pods, which saturate at their 1-CPU limit while the HPA's average stays at 42 %, so searches time out at peak.",
        files={
            "kubectl-get.txt": get,
            "kubectl-get-events.txt": events,
            api.name: api.render(),
            front.name: front.render(),
        },
        proofs=[
            Proof("kubectl-get.txt", "  sessionAffinity: ClientIP", "      timeoutSeconds: 10800"),
            Proof("kubectl-get.txt", "28        helm upgrade search-api chart search-api-3.4.0"),
        ],
        decoys=[
            "es slowlog: [products-v12][3] took[1.2s]",
            "feature flag service unreachable",
            'Readiness probe failed: Get "http://10.233.71.40:8080/ready"',
        ],
    )
