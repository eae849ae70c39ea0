# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: a mesh-wide sidecar default lowered istio-proxy's memory limit to 128Mi (applied
16:05 UTC). orders-api's sidecar, holding thousands of upstream endpoints, is OOMKilled every
few minutes; while it restarts the app's outbound and inbound traffic fails (`upstream connect
error or disconnect/reset before headers`). The app container itself never restarts. Decoys:
the app's Postgres reconnects, checkout's 503s, and an HPA rescale."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod
from records import JsonLines
from scenes import fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 8, 19, 15, 50, tzinfo=UTC)
MINUTES = 70


def bundle() -> Bundle:
    rng = random.Random(40307)
    checkout = LogFile("logs/checkout.log", JsonLines("checkout", rng=rng))
    checkout.add(traffic(rng, web_api("checkout", ["checkouts", "quotes"]), START, MINUTES, 3000))
    orders = LogFile("logs/orders-api.log", JsonLines("orders-api", rng=rng))
    orders.add(traffic(rng, web_api("orders-api", ["orders", "lines"]), START, MINUTES, 3300))
    for minute in (24.0, 31.5, 38.2, 46.9, 53.1, 61.4):
        checkout.add(
            loud(
                rng,
                START,
                minute,
                0.4,
                70,
                fixed(
                    "ERROR",
                    lambda r: (
                        f"POST http://orders-api.commerce:8080/v1/orders -> 503 upstream connect error or disconnect/reset before headers. reset reason: connection failure, retries=2 order_ref=ORD-{r.randrange(10**6)}"
                    ),
                ),
            )
        )
        orders.add(
            loud(
                rng,
                START,
                minute,
                0.4,
                12,
                fixed(
                    "WARN",
                    lambda r: (
                        f"pg pool: Connection terminated unexpectedly, reconnecting (attempt {r.randrange(1, 3)})"
                    ),
                ),
            )
        )
    pod = Pod(
        name="orders-api-5f7c8d9b6-lx2pk",
        namespace="commerce",
        node="gke-prod-pool-b-9f3c21de-7k2m",
        app="orders-api",
        containers=[
            Container(
                "orders-api",
                "europe-docker.pkg.dev/acme-prod/commerce/orders-api:3.14.2",
                state=["Running", "  Started:      Wed, 19 Aug 2026 11:02:17 +0000"],
                limits={"cpu": "1", "memory": "1Gi"},
                requests={"cpu": "400m", "memory": "512Mi"},
            ),
            Container(
                "istio-proxy",
                "docker.io/istio/proxyv2:1.22.3",
                state=["Running", "  Started:      Wed, 19 Aug 2026 17:01:41 +0000"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Wed, 19 Aug 2026 16:53:05 +0000",
                    "  Finished:     Wed, 19 Aug 2026 17:01:24 +0000",
                ],
                restarts=6,
                limits={"cpu": "500m", "memory": "128Mi"},
                requests={"cpu": "50m", "memory": "64Mi"},
                port="15090/TCP",
            ),
        ],
        events=[
            (
                "Warning",
                "BackOff",
                "9m (x4 over 38m)",
                "kubelet",
                "Back-off restarting failed container istio-proxy in pod orders-api-5f7c8d9b6-lx2pk_commerce(b2c7e9a1-3f4d-4e58-91a6-7d0c2e5b8f34)",
            ),
            (
                "Normal",
                "Pulled",
                "9m (x6 over 47m)",
                "kubelet",
                'Container image "docker.io/istio/proxyv2:1.22.3" already present on machine',
            ),
        ],
        ip="10.60.4.23",
        start_time="Wed, 19 Aug 2026 11:02:09 +0000",
    )
    described = describe_pod(pod, rng)
    mesh = "\n".join(
        [
            "$ kubectl -n istio-system get cm istio-sidecar-injector -o yaml | grep -A6 'proxy_init\\|resources'",
            "        resources:",
            "          limits:",
            "            cpu: 500m",
            "            memory: 128Mi",
            "          requests:",
            "            cpu: 50m",
            "            memory: 64Mi",
            "",
            "$ kubectl -n istio-system get cm istio-sidecar-injector -o jsonpath='{.metadata.annotations.meta\\.helm\\.sh/release-name} {.metadata.labels.helm\\.sh/chart}'",
            "istiod istiod-1.22.3",
            "",
            "$ kubectl -n commerce top pod orders-api-5f7c8d9b6-lx2pk --containers",
            "POD                          NAME          CPU(cores)   MEMORY(bytes)",
            "orders-api-5f7c8d9b6-lx2pk   istio-proxy   88m          124Mi",
            "orders-api-5f7c8d9b6-lx2pk   orders-api    211m         603Mi",
            "",
            "$ kubectl -n commerce get events --sort-by=.lastTimestamp | tail -4",
            "LAST SEEN   TYPE     REASON              OBJECT                                   MESSAGE",
            "41m         Normal   SuccessfulRescale   horizontalpodautoscaler/checkout         New size: 6; reason: cpu resource utilization (percentage of request) above target",
            "9m          Warning  BackOff             pod/orders-api-5f7c8d9b6-lx2pk           Back-off restarting failed container istio-proxy in pod orders-api-5f7c8d9b6-lx2pk_commerce(b2c7e9a1-3f4d-4e58-91a6-7d0c2e5b8f34)",
            '3m          Normal   Pulled              pod/orders-api-5f7c8d9b6-kt8sd           Container image "docker.io/istio/proxyv2:1.22.3" already present on machine',
            "",
            "$ journalctl -k --since 16:50 | grep -i oom | tail -2   # on gke-prod-pool-b-9f3c21de-7k2m",
            "Aug 19 17:01:24 gke-prod-pool-b-9f3c21de-7k2m kernel: Memory cgroup out of memory: Killed process 412873 (envoy) total-vm:2214784kB, anon-rss:129412kB, file-rss:36120kB, shmem-rss:0kB, UID:1337 pgtables:612kB oom_score_adj:-997",
            "Aug 19 17:01:24 gke-prod-pool-b-9f3c21de-7k2m kernel: oom_reaper: reaped process 412873 (envoy), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB",
            "",
        ]
    )
    return Bundle(
        question="Checkout keeps getting bursts of 503 from orders-api every few minutes since about 16:15 UTC, but orders-api itself never restarts. What's going on?",
        category="memory",
        component="orders-api",
        statement="The sidecar injector's defaults now cap istio-proxy at 128Mi; orders-api's istio-proxy sidecar exceeds it and is OOMKilled repeatedly (6 restarts, Exit Code 137), and each restart drops orders-api's traffic, giving checkout's bursts of 503 `upstream connect error`.",
        files={
            "logs/checkout.log": checkout.render(),
            "logs/orders-api.log": orders.render(),
            "kubectl-describe-pod.txt": described,
            "kubectl-output.txt": mesh,
        },
        proofs=[
            Proof("kubectl-describe-pod.txt", "Reason:       OOMKilled"),
            Proof("kubectl-output.txt", "Killed process 412873 (envoy)"),
        ],
        decoys=[
            "pg pool: Connection terminated unexpectedly",
            "New size: 6; reason: cpu resource utilization",
            "upstream connect error or disconnect/reset before headers",
        ],
    )
