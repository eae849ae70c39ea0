# ruff: noqa: E501
# Log lines, kubectl rows and YAML are data, kept whole on one line.
"""Kubernetes: render-api chart 2.8.0 (deployed 11:06 WAT) renamed the Service's metrics port
from `http-metrics` to `metrics`. The ServiceMonitor still selects port `http-metrics`, so
Prometheus silently drops every render-api target; prometheus-adapter has no
`http_requests_in_flight` series and the HPA, which scales on it, reports FailedGetPodsMetric
and keeps 3 replicas. At the evening load render-api saturates and the docs gateway returns
503s. Decoys: a font cache rebuild warning, a readiness failure during the rollout, and 429s
for one scraping client."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import NginxAccess, SpringBoot
from scenes import at, loud
from traffic import http_access, traffic, web_api

WAT = timezone(timedelta(hours=1))
START = datetime(2026, 2, 19, 9, 0, tzinfo=UTC)  # 10:00 WAT
NOW = datetime(2026, 2, 19, 18, 20, tzinfo=UTC)
RELEASE = 66.0  # 10:06 UTC, 11:06 WAT
LOAD = 485.0  # 17:05 UTC, 18:05 WAT


def bundle() -> Bundle:
    rng = random.Random(4459)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    api = LogFile(
        "logs/render-api.log",
        SpringBoot(
            ("n.d.render.PdfController", "n.d.render.FontRegistry", "n.d.render.RenderPool"),
            rng=rng,
            zone=WAT,
        ),
    )
    api.add(traffic(rng, web_api("render-api", ["documents", "renders"]), START, total, 4200))
    api.add(
        [
            at(
                START,
                RELEASE + 1.4,
                "WARN",
                "Font cache rebuild took 2317 ms (412 fonts, cache dir /tmp/fontcache was empty)",
                logger="n.d.render.FontRegistry",
            )
        ]
    )
    api.add(
        loud(
            rng,
            START,
            LOAD + 4,
            total - LOAD - 5,
            640,
            lambda r: (
                "WARN",
                f"render pool exhausted (active=16/16, queue=200/200), rejecting document {r.randrange(10**7)} with 503",
                (),
            ),
        )
    )

    gw = LogFile("logs/docs-gateway-access.log", NginxAccess(rng=rng, zone=WAT))
    gw.add(
        traffic(
            rng,
            http_access(["/api/render/{id}.pdf", "/api/documents/{id}", "/healthz"], 220),
            START,
            total,
            5000,
        )
    )
    gw.add(
        loud(
            rng,
            START,
            300.0,
            9.0,
            150,
            lambda r: (
                "WARN",
                f'"GET /api/documents/{r.randrange(10**6)} HTTP/1.1" 429 112 "-" "python-httpx/0.27.0 (+archiver-bot)" 0.000',
                (),
            ),
        )
    )
    gw.add(
        loud(
            rng,
            START,
            LOAD + 4,
            total - LOAD - 5,
            900,
            lambda r: (
                "ERROR",
                f'"GET /api/render/{r.randrange(10**6)}.pdf HTTP/1.1" 503 {r.randrange(150, 200)} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {r.uniform(0.01, 0.2):.3f}',
                (),
            ),
        )
    )

    routine = routine_events(
        rng,
        ["render-api", "docs-gateway", "thumbs"],
        18,
        ["pool-lag-b-01", "pool-lag-b-02", "pool-lag-b-03"],
        namespace="docs",
    )
    signal = [
        (
            ago(RELEASE + 0.5),
            (
                "Warning",
                "Unhealthy",
                "pod/render-api-6c9f8d7b45-tx2lm",
                'Readiness probe failed: Get "http://10.112.2.41:8080/actuator/health/readiness": dial tcp 10.112.2.41:8080: connect: connection refused',
            ),
        ),
        (
            125,
            (
                "Warning",
                "FailedGetPodsMetric",
                "horizontalpodautoscaler/render-api",
                "unable to get metric http_requests_in_flight: unable to fetch metrics from custom metrics API: the server could not find the metric http_requests_in_flight for pods",
            ),
        ),
        (
            124,
            (
                "Warning",
                "FailedComputeMetricsReplicas",
                "horizontalpodautoscaler/render-api",
                "invalid metrics (1 invalid out of 1), first error is: failed to get pods metric value: unable to get metric http_requests_in_flight: unable to fetch metrics from custom metrics API: the server could not find the metric http_requests_in_flight for pods",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    get = "\n".join(
        [
            "$ kubectl -n docs describe hpa render-api",
            "Name:                                         render-api",
            "Namespace:                                    docs",
            "Reference:                                    Deployment/render-api",
            "Metrics:                                      ( current / target )",
            '  "http_requests_in_flight" on pods:          <unknown> / 8',
            "Min replicas:                                 3",
            "Max replicas:                                 20",
            "Deployment pods:                              3 current / 3 desired",
            "Conditions:",
            "  Type            Status  Reason               Message",
            "  ----            ------  ------               -------",
            "  AbleToScale     True    SucceededGetScale    the HPA controller was able to get the target's current scale",
            "  ScalingActive   False   FailedGetPodsMetric  the HPA was unable to compute the replica count: unable to get metric http_requests_in_flight: unable to fetch metrics from custom metrics API: the server could not find the metric http_requests_in_flight for pods",
            "Events:",
            "  Type     Reason                        Age                   From                       Message",
            "  ----     ------                        ----                  ----                       -------",
            "  Warning  FailedGetPodsMetric           2m (x447 over 8h)     horizontal-pod-autoscaler  unable to get metric http_requests_in_flight: unable to fetch metrics from custom metrics API: the server could not find the metric http_requests_in_flight for pods",
            "  Warning  FailedComputeMetricsReplicas  2m (x447 over 8h)     horizontal-pod-autoscaler  invalid metrics (1 invalid out of 1), first error is: failed to get pods metric value: unable to get metric http_requests_in_flight: unable to fetch metrics from custom metrics API: the server could not find the metric http_requests_in_flight for pods",
            "",
            "$ helm -n docs history render-api --max 2",
            "REVISION   UPDATED                    STATUS       CHART              APP VERSION   DESCRIPTION",
            "40         Mon Feb 16 14:31:09 2026   superseded   render-api-2.7.4   2.7.4         Upgrade complete",
            "41         Thu Feb 19 10:06:22 2026   deployed     render-api-2.8.0   2.8.0         Upgrade complete",
            "",
            '$ kubectl -n docs get svc render-api -o jsonpath=\'{range .spec.ports[*]}{.name}{"\\t"}{.port}{"\\t"}{.targetPort}{"\\n"}{end}\'',
            "http\t80\t8080",
            "metrics\t9102\t9102",
            "",
            "$ kubectl -n docs get servicemonitor render-api -o yaml | yq .spec",
            "endpoints:",
            "  - interval: 15s",
            "    path: /metrics",
            "    port: http-metrics",
            "namespaceSelector:",
            "  matchNames:",
            "    - docs",
            "selector:",
            "  matchLabels:",
            "    app.kubernetes.io/name: render-api",
            "",
            "$ kubectl -n monitoring exec prometheus-k8s-0 -c prometheus -- promtool query instant http://localhost:9090 'count by (job) (up{namespace=\"docs\"})'",
            '{job="docs-gateway"} => 2 @[1771524893.411]',
            '{job="thumbs"} => 2 @[1771524893.411]',
            "",
        ]
    )
    return Bundle(
        question="Since about 18:05 WAT users get 503 when they download rendered PDFs; render-api is overloaded but the HPA never scaled it above 3 pods. Why?",
        category="configuration",
        component="render-api",
        statement="render-api chart 2.8.0 (10:06 UTC) renamed the Service's metrics port to `metrics` while its ServiceMonitor still scrapes port `http-metrics`, so Prometheus has no render-api targets, the custom metric http_requests_in_flight disappears and the HPA (FailedGetPodsMetric) stays at 3 replicas when the evening load arrives.",
        files={
            "kubectl-get.txt": get,
            "kubectl-get-events.txt": events,
            api.name: api.render(),
            gw.name: gw.render(),
        },
        proofs=[
            Proof("kubectl-get.txt", "metrics\t9102\t9102"),
            Proof("kubectl-get.txt", "    port: http-metrics"),
            Proof("kubectl-get.txt", "  ScalingActive   False   FailedGetPodsMetric"),
        ],
        decoys=[
            "Font cache rebuild took 2317 ms",
            'Readiness probe failed: Get "http://10.112.2.41:8080/actuator/health/readiness"',
            "python-httpx/0.27.0 (+archiver-bot)",
        ],
    )
