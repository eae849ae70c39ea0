# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: chart 4.0 of pricing-engine renamed its Deployment to `pricing-engine-server`
(rolled out 17:20 CET) but left the HorizontalPodAutoscaler's scaleTargetRef on the old name
`pricing-engine`. The HPA reports FailedGetScale and stays at its last size; at the evening peak
the two remaining pods saturate and the storefront gets 503s and timeouts. Decoys: a Redis
reconnect in pricing-engine, a readiness blip on promo-banner, a node's image GC warning."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api

CET = timezone(timedelta(hours=1))
START = datetime(2026, 12, 4, 15, 10, tzinfo=UTC)
NOW = datetime(2026, 12, 4, 18, 5, tzinfo=UTC)
ROLLOUT = 70.0  # 16:20 UTC
PEAK = 140.0  # 17:30 UTC
NODES = [
    "aks-general-31877420-vmss000004",
    "aks-general-31877420-vmss000007",
    "aks-general-31877420-vmss00000a",
]


def bundle() -> Bundle:
    rng = random.Random(4071)
    total = (NOW - START).total_seconds() / 60

    engine = LogFile(
        "logs/pricing-engine-server.log",
        SpringBoot(
            loggers=(
                "c.s.pricing.api.PriceController",
                "c.s.pricing.rules.RuleCache",
                "o.a.c.c.C.[Tomcat].[localhost]",
            ),
            rng=rng,
            zone=CET,
        ),
    )
    engine.add(
        traffic(rng, web_api("pricing-engine", ["prices", "baskets", "rules"]), START, total, 3400)
    )
    engine.add(
        [
            at(
                START,
                33.2,
                "WARN",
                "Redis connection to pricing-redis.pricing.svc:6379 lost (Connection reset by peer); reconnected after 212 ms",
                logger="i.l.core.protocol.ConnectionWatchdog",
            ),
            at(
                START,
                PEAK + 6,
                "WARN",
                "Tomcat thread pool near exhaustion: busy=196 max=200 queue=412",
                logger="c.s.pricing.ops.PoolMonitor",
            ),
        ]
    )
    engine.add(
        loud(
            rng,
            START,
            PEAK + 7,
            28,
            420,
            fixed(
                "WARN",
                lambda r: (
                    f"request POST /api/v1/prices/basket took {r.randrange(4100, 9800)}ms (slow threshold 1000ms)"
                ),
            ),
        )
    )

    store = LogFile(
        "logs/storefront.log",
        JsonLines("storefront", keys=("@timestamp", "level", "message"), rng=rng, zone=CET),
    )
    store.add(
        traffic(rng, web_api("storefront", ["pages", "basket", "search"]), START, total, 3000)
    )
    store.add(
        loud(
            rng,
            START,
            PEAK + 8,
            27,
            560,
            fixed(
                "ERROR",
                lambda r: (
                    f"upstream pricing-engine.pricing.svc:8080 returned 503 for POST /api/v1/prices/basket after {r.randrange(5000, 10000)}ms (basket {r.getrandbits(32):08x})"
                ),
            ),
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng,
        ["promo-banner", "pricing-engine-server", "rule-importer"],
        24,
        NODES,
        namespace="pricing",
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/pricing-engine-server",
                "Scaled up replica set pricing-engine-server-7c5f9d8b64 to 2",
            ),
        ),
        (
            ago(ROLLOUT + 1),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/pricing-engine",
                "Scaled down replica set pricing-engine-6b9d4c7f58 to 0 from 2",
            ),
        ),
        (
            ago(ROLLOUT + 2),
            (
                "Warning",
                "FailedGetScale",
                "horizontalpodautoscaler/pricing-engine",
                'deployments/scale.apps "pricing-engine" not found',
            ),
        ),
        (
            ago(96),
            (
                "Warning",
                "Unhealthy",
                "pod/promo-banner-5d8f6c9b7-q2xrt",
                'Readiness probe failed: Get "http://10.244.3.41:3000/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            ago(121),
            (
                "Warning",
                "ImageGCFailed",
                "node/aks-general-31877420-vmss000007",
                'failed to get imageFs info: non-existent label "containerd-image"',
            ),
        ),
    ]
    events = event_listing(routine, signal)

    hpa = "\n".join(
        [
            "$ kubectl -n pricing get hpa,deploy -o wide",
            "NAME                                                 REFERENCE                          TARGETS         MINPODS   MAXPODS   REPLICAS   AGE",
            "horizontalpodautoscaler.autoscaling/pricing-engine   Deployment/pricing-engine          <unknown>/65%   2         12        2          214d",
            "horizontalpodautoscaler.autoscaling/promo-banner     Deployment/promo-banner            22%/70%         2         6         2          88d",
            "",
            "NAME                                    READY   UP-TO-DATE   AVAILABLE   AGE    CONTAINERS              IMAGES                                                   SELECTOR",
            "deployment.apps/pricing-engine-server   2/2     2            2           105m   pricing-engine-server   shopacr.azurecr.io/pricing/pricing-engine:4.0.2          app.kubernetes.io/name=pricing-engine",
            "deployment.apps/promo-banner            2/2     2            2           88d    promo-banner            shopacr.azurecr.io/pricing/promo-banner:1.12.0           app=promo-banner",
            "deployment.apps/rule-importer           1/1     1            1           61d    rule-importer           shopacr.azurecr.io/pricing/rule-importer:2.3.1           app=rule-importer",
            "",
            "$ kubectl -n pricing describe hpa pricing-engine",
            "Name:                                                  pricing-engine",
            "Namespace:                                             pricing",
            "Labels:                                                app.kubernetes.io/managed-by=Helm",
            "Annotations:                                           meta.helm.sh/release-name: pricing-engine",
            "CreationTimestamp:                                     Sat, 03 May 2026 09:14:22 +0100",
            "Reference:                                             Deployment/pricing-engine",
            "Metrics:                                               ( current / target )",
            "  resource cpu on pods  (as a percentage of request):  <unknown> / 65%",
            "Min replicas:                                          2",
            "Max replicas:                                          12",
            "Deployment pods:                                       0 current / 0 desired",
            "Conditions:",
            "  Type         Status  Reason          Message",
            "  ----         ------  ------          -------",
            '  AbleToScale  False   FailedGetScale  the HPA controller was unable to get the target\'s current scale: deployments/scale.apps "pricing-engine" not found',
            "Events:",
            "  Type     Reason          Age                  From                       Message",
            "  ----     ------          ----                 ----                       -------",
            '  Warning  FailedGetScale  3m2s (x421 over 105m)  horizontal-pod-autoscaler  deployments/scale.apps "pricing-engine" not found',
            "",
            "$ kubectl -n pricing top pods",
            "NAME                                     CPU(cores)   MEMORY(bytes)",
            "pricing-engine-server-7c5f9d8b64-8wqzt   1996m        1411Mi",
            "pricing-engine-server-7c5f9d8b64-tn4kd   1999m        1398Mi",
            "promo-banner-5d8f6c9b7-q2xrt             14m          96Mi",
            "promo-banner-5d8f6c9b7-zz8pm             12m          91Mi",
            "rule-importer-6f7b8c5d9-2hxkp            3m           210Mi",
            "",
        ]
    )
    return Bundle(
        question="The shop's basket page has been timing out and throwing 503s since about 18:35 CET tonight, during the evening peak. What is the root cause?",
        category="configuration",
        component="pricing-engine",
        statement="Chart 4.0 (rolled out 17:20 CET) renamed the Deployment to pricing-engine-server but the HorizontalPodAutoscaler pricing-engine still targets Deployment/pricing-engine, which no longer exists (FailedGetScale), so it never scaled past the two pods that saturated at the evening peak.",
        files={
            "logs/pricing-engine-server.log": engine.render(),
            "logs/storefront.log": store.render(),
            "kubectl-get-events.txt": events,
            "kubectl-hpa.txt": hpa,
        },
        proofs=[
            Proof("kubectl-hpa.txt", "AbleToScale  False   FailedGetScale"),
            Proof("kubectl-hpa.txt", "Deployment/pricing-engine          <unknown>/65%"),
            Proof("kubectl-get-events.txt", "FailedGetScale"),
        ],
        decoys=[
            "Redis connection to pricing-redis.pricing.svc:6379 lost",
            'Readiness probe failed: Get "http://10.244.3.41:3000/healthz"',
            "ImageGCFailed",
        ],
    )
