# ruff: noqa: E501
# Log lines, kubectl rows and YAML are data, kept whole on one line.
"""Kubernetes: the pricing team's chart 4.2.0 (12:40 IST) added its own HPA `quote-engine-cpu`
targeting Deployment quote-engine, which was already scaled by the platform's HPA
`quote-engine` on requests per second. Two HPAs on one Deployment: both report
AmbiguousSelector and the replica count flaps between 4 and 16; every scale-in during the lunch
peak drops pods under load and the edge answers 502. Decoys: a slow Redis warning, a
deprecated API warning from the chart, and a 401 burst from one partner key."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import NginxAccess, Zap
from scenes import at, loud
from traffic import http_access, traffic, web_api

IST = timezone(timedelta(hours=5, minutes=30))
START = datetime(2026, 3, 9, 6, 0, tzinfo=UTC)  # 11:30 IST
NOW = datetime(2026, 3, 9, 8, 5, tzinfo=UTC)
RELEASE = 70.0  # 07:10 UTC, 12:40 IST
PEAK = 95.0


def bundle() -> Bundle:
    rng = random.Random(46701)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    app = LogFile(
        "logs/quote-engine.log",
        Zap(("server/http.go:212", "quote/price.go:88", "cache/redis.go:61"), rng=rng),
    )
    app.add(traffic(rng, web_api("quote-engine", ["quotes", "fares"]), START, total, 3600))
    app.add(
        [
            at(
                START,
                31.0,
                "WARN",
                "redis GET fare:zone:7 took 412ms (slowlog threshold 250ms)",
                logger="cache/redis.go:61",
            ),
        ]
    )
    for minute in [PEAK + 2.1, PEAK + 6.3, PEAK + 10.8, PEAK + 15.2, PEAK + 19.9, PEAK + 24.4]:
        app.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"received SIGTERM, draining {rng.randrange(40, 140)} in-flight requests (grace 30s)",
                    logger="server/http.go:301",
                ),
                at(
                    START,
                    minute + 0.3,
                    "ERROR",
                    f"shutdown deadline exceeded, {rng.randrange(8, 60)} requests aborted",
                    logger="server/http.go:318",
                ),
            ]
        )

    edge = LogFile("logs/edge-nginx-access.log", NginxAccess(rng=rng, zone=IST))
    edge.add(
        traffic(
            rng,
            http_access(["/v2/quotes/{id}", "/v2/fares/{id}", "/healthz"], 45),
            START,
            total,
            5200,
        )
    )
    edge.add(
        loud(
            rng,
            START,
            48.0,
            4.0,
            70,
            lambda r: (
                "WARN",
                f'"POST /v2/quotes HTTP/1.1" 401 61 "-" "partner-sync/3.1 key=pk_live_7c1" 0.00{r.randrange(1, 9)}',
                (),
            ),
        )
    )
    edge.add(
        loud(
            rng,
            START,
            PEAK + 2,
            total - PEAK - 3,
            820,
            lambda r: (
                "ERROR",
                f'"GET /v2/quotes/{r.randrange(10**6)} HTTP/1.1" 502 157 "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)" {r.uniform(0.001, 0.05):.3f}',
                (),
            ),
        )
    )

    routine = routine_events(
        rng,
        ["quote-engine", "fare-cache", "edge-nginx"],
        20,
        ["gke-pricing-pool-a-9k2m", "gke-pricing-pool-a-x71q", "gke-pricing-pool-b-3tzd"],
        namespace="pricing",
    )
    signal = []
    for minute in [PEAK + 1.8, PEAK + 6.0, PEAK + 10.5, PEAK + 15.0, PEAK + 19.6, PEAK + 24.1]:
        signal.append(
            (
                ago(minute - 1.2),
                (
                    "Normal",
                    "ScalingReplicaSet",
                    "deployment/quote-engine",
                    "Scaled up replica set quote-engine-5b8f6c9d7 to 16 from 4",
                ),
            )
        )
        signal.append(
            (
                ago(minute),
                (
                    "Normal",
                    "ScalingReplicaSet",
                    "deployment/quote-engine",
                    "Scaled down replica set quote-engine-5b8f6c9d7 to 4 from 16",
                ),
            )
        )
    signal.append(
        (
            ago(RELEASE + 0.2),
            (
                "Warning",
                "AmbiguousSelector",
                "horizontalpodautoscaler/quote-engine",
                "pods by selector app.kubernetes.io/name=quote-engine are controlled by multiple HPAs: [pricing/quote-engine pricing/quote-engine-cpu]",
            ),
        )
    )
    signal.append(
        (
            ago(RELEASE + 0.3),
            (
                "Warning",
                "AmbiguousSelector",
                "horizontalpodautoscaler/quote-engine-cpu",
                "pods by selector app.kubernetes.io/name=quote-engine are controlled by multiple HPAs: [pricing/quote-engine pricing/quote-engine-cpu]",
            ),
        )
    )
    events = event_listing(routine, signal)

    get = "\n".join(
        [
            "$ kubectl -n pricing get hpa",
            "NAME               REFERENCE                 TARGETS          MINPODS   MAXPODS   REPLICAS   AGE",
            "quote-engine       Deployment/quote-engine   212/150 (avg)    4         24        4          211d",
            "quote-engine-cpu   Deployment/quote-engine   31%/70%          4         16        16         85m",
            "",
            "$ helm -n pricing history quote-engine --max 2",
            "REVISION   UPDATED                    STATUS       CHART                APP VERSION   DESCRIPTION",
            "57         Tue Mar  3 16:12:40 2026   superseded   quote-engine-4.1.7   4.1.7         Upgrade complete",
            "58         Mon Mar  9 12:40:11 2026   deployed     quote-engine-4.2.0   4.2.0         Upgrade complete",
            "",
            "$ helm -n pricing get notes quote-engine",
            "W0309 12:40:09.812331   30114 warnings.go:70] policy/v1beta1 PodDisruptionBudget is deprecated in v1.21+, unavailable in v1.25+; use policy/v1 PodDisruptionBudget",
            "",
            "$ kubectl -n pricing describe hpa quote-engine-cpu",
            "Name:                                                  quote-engine-cpu",
            "Namespace:                                             pricing",
            "Labels:                                                app.kubernetes.io/managed-by=Helm",
            "                                                       helm.sh/chart=quote-engine-4.2.0",
            "CreationTimestamp:                                     Mon, 09 Mar 2026 12:40:11 +0530",
            "Reference:                                             Deployment/quote-engine",
            "Metrics:                                               ( current / target )",
            "  resource cpu on pods  (as a percentage of request):  31% (155m) / 70%",
            "Min replicas:                                          4",
            "Max replicas:                                          16",
            "Deployment pods:                                       16 current / 16 desired",
            "Conditions:",
            "  Type            Status  Reason             Message",
            "  ----            ------  ------             -------",
            "  AbleToScale     True    SucceededRescale   the HPA controller was able to update the target scale to 4",
            "  ScalingActive   False   AmbiguousSelector  pods by selector app.kubernetes.io/name=quote-engine are controlled by multiple HPAs: [pricing/quote-engine pricing/quote-engine-cpu]",
            "Events:",
            "  Type     Reason             Age                 From                       Message",
            "  ----     ------             ----                ----                       -------",
            "  Warning  AmbiguousSelector  1m (x170 over 85m)  horizontal-pod-autoscaler  pods by selector app.kubernetes.io/name=quote-engine are controlled by multiple HPAs: [pricing/quote-engine pricing/quote-engine-cpu]",
            "",
        ]
    )
    return Bundle(
        question="Since about 13:05 IST the lunch peak gives 502s on /v2/quotes and quote-engine keeps scaling up and down. What is the root cause?",
        category="configuration",
        component="quote-engine",
        statement="Chart quote-engine 4.2.0 (12:40 IST) added a second HPA, quote-engine-cpu, on the same Deployment already scaled by HPA quote-engine; with two HPAs (AmbiguousSelector) the replicas flap between 16 and 4 and every scale-in aborts in-flight requests, so the edge answers 502.",
        files={
            "kubectl-hpa.txt": get,
            "kubectl-get-events.txt": events,
            app.name: app.render(),
            edge.name: edge.render(),
        },
        proofs=[
            Proof("kubectl-hpa.txt", "quote-engine-cpu   Deployment/quote-engine"),
            Proof("kubectl-hpa.txt", "  ScalingActive   False   AmbiguousSelector"),
            Proof("kubectl-get-events.txt", "horizontalpodautoscaler/quote-engine-cpu"),
        ],
        decoys=[
            "redis GET fare:zone:7 took 412ms",
            "policy/v1beta1 PodDisruptionBudget is deprecated",
            "partner-sync/3.1 key=pk_live_7c1",
        ],
    )
