# ruff: noqa: E501
# kubectl output, klog lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: a Helm upgrade of metrics-server at 08:52 UTC (chart 3.12.1) dropped the
`--kubelet-insecure-tls` argument the cluster relied on; the kubelets serve self-signed
certificates without IP SANs, so every scrape fails with `x509: cannot validate certificate for
<ip> because it doesn't contain any IP SANs`, the Metrics API has no data and the checkout HPA
cannot read CPU. When the lunch peak arrives at 11:30 checkout stays at 3 replicas and times out.
Decoys: a slow query on the orders database, a Redis reconnect, and an older HPA
ScalingLimited on search."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import describe_events, event_listing, routine_events, table
from metrics import csv_text, shift, steady
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 4, 2, 8, 30, tzinfo=UTC)
NOW = datetime(2026, 4, 2, 12, 10, tzinfo=UTC)
UPGRADE = 22.0  # 08:52
PEAK = 180.0  # 11:30
NODES = [
    "ip-10-61-12-31.ec2.internal",
    "ip-10-61-13-207.ec2.internal",
    "ip-10-61-14-88.ec2.internal",
    "ip-10-61-12-154.ec2.internal",
]


@dataclass
class Klog:
    """klog's header: `E0402 08:52:40.118224       1 scraper.go:149] message`."""

    def render(self, record: Record) -> list[str]:
        letter = {"WARN": "W", "ERROR": "E", "FATAL": "F"}.get(record.level, "I")
        stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
        return [f"{letter}{stamp}       1 {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(2380)
    total = (NOW - START).total_seconds() / 60
    ms = LogFile("logs/metrics-server-5d8f7c9b6-hq2lx.log", Klog())
    ms.add(
        [
            at(
                START,
                UPGRADE + 0.1,
                "INFO",
                "serving.go:374] Generated self-signed cert (/tmp/apiserver.crt, /tmp/apiserver.key)",
            ),
            at(
                START,
                UPGRADE + 0.15,
                "INFO",
                "handler.go:275] Adding GroupVersion metrics.k8s.io v1beta1 to ResourceManager",
            ),
            at(
                START,
                UPGRADE + 0.2,
                "INFO",
                "requestheader_controller.go:169] Starting RequestHeaderAuthRequestController",
            ),
            at(
                START,
                UPGRADE + 0.22,
                "INFO",
                "secure_serving.go:213] Serving securely on [::]:10250",
            ),
            at(
                START,
                UPGRADE + 0.3,
                "ERROR",
                'scraper.go:149] "Failed to scrape node" err="Get \\"https://10.61.12.31:10250/metrics/resource\\": x509: cannot validate certificate for 10.61.12.31 because it doesn\'t contain any IP SANs" node="ip-10-61-12-31.ec2.internal"',
            ),
        ]
    )

    def scrape(r: random.Random) -> str:
        node = r.choice(NODES)
        ip = node[3:].split(".")[0].replace("-", ".")
        return f'scraper.go:149] "Failed to scrape node" err="Get \\"https://{ip}:10250/metrics/resource\\": x509: cannot validate certificate for {ip} because it doesn\'t contain any IP SANs" node="{node}"'

    ms.add(loud(rng, START, UPGRADE + 0.5, total - UPGRADE - 1, 1100, fixed("ERROR", scrape)))
    ms.add(
        loud(
            rng,
            START,
            UPGRADE + 1,
            total - UPGRADE - 2,
            220,
            fixed(
                "INFO",
                lambda r: (
                    'server.go:187] "Failed probe" probe="metric-storage-ready" err="no metrics to serve"'
                ),
            ),
        )
    )

    checkout = LogFile("logs/checkout.log", JsonLines("checkout", rng=rng))
    checkout.add(
        traffic(rng, web_api("checkout", ["orders", "carts", "payments"]), START, total, 3800)
    )
    checkout.add(
        [
            at(
                START,
                64.0,
                "WARN",
                "redis: connection pool: reconnecting to redis-master.shop:6379 after EOF (attempt 1)",
            ),
            at(START, 64.02, "INFO", "redis: reconnected to redis-master.shop:6379"),
            at(
                START,
                PEAK + 9.4,
                "WARN",
                "slow query 1842ms: SELECT o.id, o.total FROM orders o WHERE o.customer_id = $1 ORDER BY o.created_at DESC LIMIT 20",
            ),
        ]
    )
    checkout.add(
        loud(
            rng,
            START,
            PEAK + 4,
            total - PEAK - 5,
            900,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /api/v1/checkout 503 request queue full: {r.randrange(180, 260)} in flight, worker pool saturated (cpu throttled {r.randrange(40, 80)}%)"
                ),
            ),
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            PEAK + 6,
            total - PEAK - 7,
            500,
            fixed(
                "WARN",
                lambda r: (
                    f"handler latency {r.randrange(2100, 9800)}ms over SLO 800ms path=/api/v1/checkout"
                ),
            ),
        )
    )

    hpa = "\n".join(
        [
            "$ kubectl -n shop describe hpa checkout",
            "Name:                                                  checkout",
            "Namespace:                                             shop",
            "Labels:                                                app.kubernetes.io/name=checkout",
            "Annotations:                                           <none>",
            "CreationTimestamp:                                     Thu, 14 Aug 2025 10:11:52 +0000",
            "Reference:                                             Deployment/checkout",
            "Metrics:                                               ( current / target )",
            "  resource cpu on pods  (as a percentage of request):  <unknown> / 60%",
            "Min replicas:                                          3",
            "Max replicas:                                          24",
            "Deployment pods:                                       3 current / 3 desired",
            "Conditions:",
            "  Type           Status  Reason                   Message",
            "  ----           ------  ------                   -------",
            "  AbleToScale    True    SucceededGetScale        the HPA controller was able to get the target's current scale",
            "  ScalingActive  False   FailedGetResourceMetric  the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)",
            *describe_events(
                [
                    (
                        "Warning",
                        "FailedGetResourceMetric",
                        "2m (x1304 over 3h17m)",
                        "horizontal-pod-autoscaler",
                        "failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)",
                    ),
                    (
                        "Warning",
                        "FailedComputeMetricsReplicas",
                        "2m (x1304 over 3h17m)",
                        "horizontal-pod-autoscaler",
                        "invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)",
                    ),
                ]
            ),
            "",
            "$ kubectl top nodes",
            "error: Metrics API not available",
            "",
            "$ kubectl get apiservice v1beta1.metrics.k8s.io",
            *table(
                ("NAME", "SERVICE", "AVAILABLE", "AGE"),
                [
                    (
                        "v1beta1.metrics.k8s.io",
                        "kube-system/metrics-server",
                        "False (MissingEndpoints)",
                        "412d",
                    )
                ],
            ),
            "",
            "$ helm -n kube-system history metrics-server --max 2",
            *table(
                ("REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"),
                [
                    (
                        "7",
                        "Mon Mar  2 14:20:03 2026",
                        "superseded",
                        "metrics-server-3.11.0",
                        "0.6.4",
                        "Upgrade complete",
                    ),
                    (
                        "8",
                        "Thu Apr  2 08:52:11 2026",
                        "deployed",
                        "metrics-server-3.12.1",
                        "0.7.1",
                        "Upgrade complete",
                    ),
                ],
            ),
            "",
            "$ helm -n kube-system get values metrics-server --revision 7",
            "USER-SUPPLIED VALUES:",
            "args:",
            "- --kubelet-insecure-tls",
            "- --kubelet-preferred-address-types=InternalIP",
            "",
            "$ helm -n kube-system get values metrics-server --revision 8",
            "USER-SUPPLIED VALUES:",
            "defaultArgs:",
            "- --cert-dir=/tmp",
            "- --kubelet-preferred-address-types=InternalIP",
            "- --kubelet-use-node-status-port",
            "- --metric-resolution=15s",
            "",
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(rng, ["cart", "catalog", "search"], 24, NODES)
    signal = [
        (
            ago(150),
            (
                "Normal",
                "ScalingLimited",
                "horizontalpodautoscaler/search",
                "the desired replica count is more than the maximum replica count",
            ),
        ),
        (
            ago(total - 3),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/checkout",
                "failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server is currently unable to handle the request (get pods.metrics.k8s.io)",
            ),
        ),
        (
            ago(PEAK + 12),
            (
                "Warning",
                "Unhealthy",
                "pod/checkout-84f6c9d7b5-2xq8r",
                'Readiness probe failed: Get "http://10.61.13.92:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
    ]
    events = event_listing(routine, signal)
    series = {
        "checkout_replicas": steady(rng, 3, 0.0),
        "checkout_cpu_percent_of_request": shift(rng, 41, 188, int(PEAK / 5), 0.06, ramp=3),
        "checkout_p99_ms": shift(rng, 310, 7400, int(PEAK / 5) + 1, 0.1, ramp=2),
        "checkout_5xx_per_s": shift(rng, 0.2, 38, int(PEAK / 5) + 1, 0.2, ramp=2),
        "orders_db_connections": shift(rng, 44, 61, int(PEAK / 5), 0.05),
    }
    metrics = csv_text(START, 300, int(total / 5) + 1, series, decimals=1)
    return Bundle(
        question="Checkout started timing out at the 11:30 UTC lunch peak and did not scale out. Why?",
        category="tls",
        component="metrics-server",
        statement="The metrics-server Helm upgrade at 08:52 UTC dropped `--kubelet-insecure-tls`; every kubelet scrape fails with `x509: cannot validate certificate ... doesn't contain any IP SANs`, the Metrics API is unavailable, so the checkout HPA cannot read CPU and stays at 3 replicas when the 11:30 peak saturates them.",
        files={
            "kubectl-describe-hpa.txt": hpa,
            "kubectl-get-events.txt": events,
            "logs/metrics-server-5d8f7c9b6-hq2lx.log": ms.render(),
            "logs/checkout.log": checkout.render(),
            "metrics.csv": metrics,
        },
        proofs=[
            Proof(
                "logs/metrics-server-5d8f7c9b6-hq2lx.log",
                "Serving securely on [::]:10250",
                "Failed to scrape node",
            ),
            Proof("kubectl-describe-hpa.txt", "- --kubelet-insecure-tls"),
        ],
        decoys=[
            "slow query 1842ms",
            "reconnecting to redis-master.shop:6379 after EOF",
            "the desired replica count is more than the maximum replica count",
        ],
    )
