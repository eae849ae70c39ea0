# ruff: noqa: E501
# kubectl output, ingress-nginx access lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: search-web chart 3.8.0 (released Tuesday) copied a batch service's HPA
`behavior`: scale up by at most 1 pod per 300 s. When the evening newsletter lands at 19:00 CET
traffic triples; the HPA wants 21 replicas but adds one every five minutes (ScalingLimited,
ScaleUpLimit), so search-web stays saturated for an hour: gunicorn worker timeouts and 503/504
at ingress-nginx. Decoys: a slow Elasticsearch query warning, a new pod's start-up readiness
failure, and an ingress-nginx configuration reload."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import NginxAccess, PythonLogging, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

CET = timezone(timedelta(hours=1))
START = datetime(2026, 11, 12, 17, 10, tzinfo=UTC)
NOW = datetime(2026, 11, 12, 19, 5, tzinfo=UTC)
SPIKE = 50.0  # 18:00 UTC = 19:00 CET
NODES = [
    "gke-prod-eu-pool-b-8f31c2d4-2kq1",
    "gke-prod-eu-pool-b-8f31c2d4-7vzm",
    "gke-prod-eu-pool-b-8f31c2d4-xd0p",
]
UPSTREAM = "search-search-web-80"


def ingress_line(rng: random.Random, status: int, seconds: float) -> str:
    term = rng.choice(
        ["zapatillas", "chaqueta impermeable", "mochila", "botas montaña", "camiseta técnica"]
    )
    size = rng.randrange(900, 24000) if status == 200 else rng.randrange(150, 200)
    upstream = f"10.8.{rng.randrange(0, 4)}.{rng.randrange(2, 250)}:8000"
    upstream_status = status if status != 504 else "-"
    return f'"GET /buscar?q={term.replace(" ", "+")}&p={rng.randrange(1, 5)} HTTP/2.0" {status} {size} "https://www.tiendamonte.example/" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)" {rng.randrange(40, 90)} {seconds:.3f} [{UPSTREAM}] [] {upstream} {size} {seconds:.3f} {upstream_status} {rng.getrandbits(128):032x}'


def ok(rng: random.Random) -> Line:
    return (
        "INFO",
        ingress_line(
            rng,
            rng.choices([200, 200, 200, 304, 404], [60, 20, 10, 6, 4])[0],
            rng.lognormvariate(0, 0.5) * 0.09,
        ),
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(5664)
    total = (NOW - START).total_seconds() / 60
    ingress = LogFile("logs/ingress-nginx-controller.log", NginxAccess(rng=rng, zone=CET))
    ingress.add(traffic(rng, ok, START, SPIKE, 1700))
    ingress.add(traffic(rng, ok, START + timedelta(minutes=SPIKE), total - SPIKE, 3300))
    ingress.add(
        loud(
            rng,
            START,
            SPIKE + 1,
            total - SPIKE - 2,
            900,
            lambda r: (
                "ERROR",
                ingress_line(r, r.choice([503, 504, 504]), r.choice([30.001, 30.002, 0.000])),
                (),
            ),
        )
    )

    web = LogFile(
        "logs/search-web.log",
        PythonLogging(("search.views", "search.es_client", "search.render"), rng=rng),
    )

    def served(r: random.Random) -> Line:
        return (
            "INFO",
            f"GET /buscar q_len={r.randrange(3, 30)} hits={r.randrange(0, 4000)} es_took={r.randrange(8, 120)}ms render={r.randrange(10, 60)}ms",
            (),
        )

    web.add(traffic(rng, served, START, total, 2600))
    web.add(
        [
            Record(x.time, x.level, x.message, (), "gunicorn.error")
            for x in loud(
                rng,
                START,
                SPIKE + 1,
                total - SPIKE - 2,
                260,
                fixed("FATAL", lambda r: f"WORKER TIMEOUT (pid:{r.randrange(20, 90)})"),
            )
        ]
    )
    web.add(
        loud(
            rng,
            START,
            SPIKE + 1,
            total - SPIKE - 2,
            140,
            fixed(
                "WARN",
                lambda r: (
                    f"request queue depth {r.randrange(60, 250)} exceeds 50 on worker pool (8 workers busy)"
                ),
            ),
        )
    )
    web.add(
        [
            at(
                START,
                22.7,
                "WARN",
                "elasticsearch slow query took 1840ms index=products-es-v14 shards=6 (slowlog threshold 1s)",
            )
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["search-web", "suggest-api", "catalog-sync"], 16, NODES, namespace="search"
    )
    signal = [
        (
            ago(3),
            (
                "Normal",
                "RELOAD",
                "pod/ingress-nginx-controller-5b8c6d7f9-m2x4t",
                "NGINX reload triggered due to a change in configuration",
            ),
        )
    ]
    for step in range(11):
        minute = SPIKE + 2 + step * 5.05
        if minute > total - 1:
            break
        signal.append(
            (
                ago(minute),
                (
                    "Normal",
                    "SuccessfulRescale",
                    "horizontalpodautoscaler/search-web",
                    f"New size: {5 + step}; reason: cpu resource utilization (percentage of request) above target",
                ),
            )
        )
    signal.append(
        (
            ago(SPIKE + 3.1),
            (
                "Warning",
                "Unhealthy",
                "pod/search-web-7d9c4b6f58-q8ncw",
                'Readiness probe failed: Get "http://10.8.2.61:8000/healthz": dial tcp 10.8.2.61:8000: connect: connection refused',
            ),
        )
    )
    events = event_listing(routine, signal)

    hpa = "\n".join(
        [
            "$ kubectl -n search describe hpa search-web",
            "Name:                                                  search-web",
            "Namespace:                                             search",
            "Labels:                                                app.kubernetes.io/instance=search-web",
            "                                                       helm.sh/chart=search-web-3.8.0",
            "Annotations:                                           meta.helm.sh/release-name: search-web",
            "CreationTimestamp:                                     Thu, 14 Mar 2024 09:41:07 +0100",
            "Reference:                                             Deployment/search-web",
            "Metrics:                                               ( current / target )",
            "  resource cpu on pods  (as a percentage of request):  184% (920m) / 60%",
            "Min replicas:                                          4",
            "Max replicas:                                          40",
            "Behavior:",
            "  Scale Up:",
            "    Stabilization Window: 0 seconds",
            "    Select Policy: Max",
            "    Policies:",
            "      - Type: Pods  Value: 1  Period: 300 seconds",
            "  Scale Down:",
            "    Stabilization Window: 300 seconds",
            "    Select Policy: Max",
            "    Policies:",
            "      - Type: Percent  Value: 100  Period: 15 seconds",
            "Deployment pods:                                       14 current / 15 desired",
            "Conditions:",
            "  Type            Status  Reason            Message",
            "  ----            ------  ------            -------",
            "  AbleToScale     True    ScaleUpLimit      the desired replica count is increasing faster than the maximum scale rate",
            "  ScalingActive   True    ValidMetricFound  the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
            "  ScalingLimited  True    ScaleUpLimit      the desired replica count is increasing faster than the maximum scale rate",
            "Events:",
            "  Type    Reason             Age                  From                       Message",
            "  ----    ------             ----                 ----                       -------",
            "  Normal  SuccessfulRescale  3m (x10 over 58m)    horizontal-pod-autoscaler  (combined from similar events): New size: 15; reason: cpu resource utilization (percentage of request) above target",
            "",
            "$ helm -n search history search-web --max 3",
            "REVISION  UPDATED                   STATUS      CHART             APP VERSION  DESCRIPTION",
            "41        Thu Oct 29 10:12:44 2026  superseded  search-web-3.7.2  2.31.0       Upgrade complete",
            "42        Tue Nov 10 11:03:19 2026  deployed    search-web-3.8.0  2.31.0       Upgrade complete",
            "",
            "$ kubectl -n search top pods -l app=search-web --sort-by=cpu | head -4",
            "NAME                          CPU(cores)   MEMORY(bytes)",
            "search-web-7d9c4b6f58-4hlpz   1003m        412Mi",
            "search-web-7d9c4b6f58-jw7ts   998m         398Mi",
            "search-web-7d9c4b6f58-b2mkd   996m         405Mi",
            "",
        ]
    )
    return Bundle(
        question="The shop's search page has been throwing 503s and 504s since the newsletter went out at 19:00 CET and it still hasn't recovered an hour later. What is the root cause?",
        category="configuration",
        component="search-web",
        statement="search-web's chart 3.8.0 gave its HPA a scale-up policy of at most 1 pod per 300 seconds; when traffic tripled at 19:00 CET the HPA was held at ScaleUpLimit and added one replica every five minutes, so the saturated pods timed out for an hour.",
        files={
            "logs/ingress-nginx-controller.log": ingress.render(),
            "logs/search-web.log": web.render(),
            "kubectl-get-events.txt": events,
            "kubectl-describe-hpa-search-web.txt": hpa,
        },
        proofs=[
            Proof(
                "kubectl-describe-hpa-search-web.txt", "- Type: Pods  Value: 1  Period: 300 seconds"
            ),
            Proof("kubectl-describe-hpa-search-web.txt", "ScalingLimited  True    ScaleUpLimit"),
        ],
        decoys=[
            "elasticsearch slow query took 1840ms",
            'Readiness probe failed: Get "http://10.8.2.61:8000/healthz"',
            "NGINX reload triggered due to a change in configuration",
        ],
    )
