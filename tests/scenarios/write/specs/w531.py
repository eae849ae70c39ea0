# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (on-prem, Asia/Tokyo): the preview-environment generator creates one Service per pull
request in the shared namespace `storefront-qa`; by 05:10 UTC it holds over 3,900 Services. The
`cart-gateway` Deployment keeps the default `enableServiceLinks: true`, so every new container gets
tens of thousands of `*_SERVICE_HOST`/`*_PORT` variables; the pods rolled at 05:22 fail to start with
`argument list too long` and the QA checkout tests fail. Decoys: a slow Redis command, an HPA
metric fetch warning, a node's image GC message."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Logfmt, NginxAccess
from scenes import at, loud
from traffic import http_access, traffic, web_api

TOKYO = timezone(timedelta(hours=9))
START = datetime(2026, 4, 8, 4, 30, tzinfo=UTC)
NOW = datetime(2026, 4, 8, 6, 0, tzinfo=UTC)
ROLL = 52.0  # 05:22 UTC


def services() -> str:
    return """$ kubectl -n storefront-qa get svc --no-headers | wc -l
3947
$ kubectl -n storefront-qa get svc --sort-by=.metadata.creationTimestamp | tail -6
NAME                         TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)             AGE
pr-18842-catalog-web         ClusterIP   10.112.201.17   <none>        80/TCP,9090/TCP     41m
pr-18843-catalog-web         ClusterIP   10.112.87.203   <none>        80/TCP,9090/TCP     33m
pr-18843-search-api          ClusterIP   10.112.14.96    <none>        8080/TCP,9090/TCP   33m
pr-18844-catalog-web         ClusterIP   10.112.160.5    <none>        80/TCP,9090/TCP     12m
pr-18844-search-api          ClusterIP   10.112.33.241   <none>        8080/TCP,9090/TCP   12m
$ kubectl -n storefront-qa get deploy cart-gateway -o jsonpath='{.spec.template.spec.enableServiceLinks}{"\\n"}'
true
"""


def bundle() -> Bundle:
    rng = random.Random(53107)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    crash = "exec /usr/local/bin/cart-gateway: argument list too long"
    logs = (
        "$ kubectl -n storefront-qa logs cart-gateway-7f4c9d6b8-q2lmv --previous\n"
        f"{crash}\n"
        "$ kubectl -n storefront-qa logs cart-gateway-7f4c9d6b8-x8rzn --previous\n"
        f"{crash}\n"
    )
    pod = Pod(
        name="cart-gateway-7f4c9d6b8-q2lmv",
        namespace="storefront-qa",
        node="qa-worker-07",
        app="cart-gateway",
        status="Running",
        ip="10.60.7.142",
        start_time="Wed, 08 Apr 2026 14:22:09 +0900",
        containers=[
            Container(
                name="cart-gateway",
                image="harbor.qa.internal/storefront/cart-gateway:2.31.0",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    "  Started:      Wed, 08 Apr 2026 14:58:41 +0900",
                    "  Finished:     Wed, 08 Apr 2026 14:58:41 +0900",
                ],
                ready=False,
                restarts=11,
                limits={"cpu": "500m", "memory": "256Mi"},
                requests={"cpu": "100m", "memory": "128Mi"},
                environment=["REDIS_ADDR:  cart-redis:6379", "LOG_FORMAT:  logfmt"],
            )
        ],
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Normal",
                "Pulled",
                "2m (x12 over 38m)",
                "kubelet",
                'Container image "harbor.qa.internal/storefront/cart-gateway:2.31.0" already present on machine',
            ),
            (
                "Warning",
                "BackOff",
                "90s (x170 over 38m)",
                "kubelet",
                "Back-off restarting failed container cart-gateway in pod cart-gateway-7f4c9d6b8-q2lmv_storefront-qa(5b1e0c4d-2f6a-4c71-9e0b-a8d3f6c21e47)",
            ),
        ],
    )

    gw = LogFile("logs/cart-gateway-old-pod.log", Logfmt("cart-gateway", rng=rng))
    gw.add(
        traffic(rng, web_api("cart-gateway", ["carts", "lines", "coupons"]), START, ROLL + 1, 1500)
    )
    gw.add([at(START, 18.2, "WARN", "redis command slow: HGETALL cart:qa-5521 took 212ms")])
    gw.add([at(START, ROLL + 0.9, "INFO", "received SIGTERM, draining 14 open connections")])

    edge = LogFile("logs/qa-edge-access.log", NginxAccess(rng=rng, zone=TOKYO))
    edge.add(
        traffic(rng, http_access(["/", "/catalog", "/search", "/api/cart"]), START, total, 2600)
    )
    edge.add(
        loud(
            rng,
            START,
            ROLL + 1.2,
            total - ROLL - 1.5,
            320,
            lambda r: (
                "INFO",
                f'"POST /api/cart/lines HTTP/1.1" 503 190 "-" "qa-e2e/{r.randrange(3, 5)}.{r.randrange(10)}" upstream="cart-gateway" rt=0.00{r.randrange(1, 9)}',
                (),
            ),
        )
    )

    routine = routine_events(
        rng,
        ["catalog-web", "search-api", "cart-redis"],
        16,
        ["qa-worker-03", "qa-worker-07", "qa-worker-09"],
        namespace="storefront-qa",
    )
    signal = [
        (
            ago(ROLL),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/cart-gateway",
                "Scaled up replica set cart-gateway-7f4c9d6b8 to 2",
            ),
        ),
        (
            ago(ROLL) - 40,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/cart-gateway",
                "Scaled down replica set cart-gateway-64d8b5f9c to 0 from 2",
            ),
        ),
        (
            ago(ROLL) - 60,
            (
                "Warning",
                "BackOff",
                "pod/cart-gateway-7f4c9d6b8-x8rzn",
                "Back-off restarting failed container cart-gateway in pod cart-gateway-7f4c9d6b8-x8rzn_storefront-qa(0c7e44b2-91d3-4a58-b6f1-2e9d05ac7b13)",
            ),
        ),
        (
            ago(30),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/search-api",
                "failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)",
            ),
        ),
        (
            ago(25),
            ("Normal", "ImageGCFreed", "node/qa-worker-09", "Image garbage collection freed 2.1GB"),
        ),
    ]
    events = "$ kubectl -n storefront-qa get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="QA checkout tests have failed since about 14:23 JST with 503s from cart-gateway; its new pods keep restarting. What is the root cause?",
        category="configuration",
        component="cart-gateway",
        statement="The shared storefront-qa namespace grew to nearly 4,000 preview Services and cart-gateway keeps the default enableServiceLinks: true, so each new container's environment holds the service-link variables of all of them and exec fails with 'argument list too long'.",
        files={
            "kubectl-get-svc.txt": services(),
            "kubectl-describe-pod-cart-gateway.txt": "$ kubectl -n storefront-qa describe pod cart-gateway-7f4c9d6b8-q2lmv\n"
            + describe_pod(pod, rng),
            "kubectl-logs-previous.txt": logs,
            "kubectl-get-events.txt": events,
            gw.name: gw.render(),
            edge.name: edge.render(),
        },
        proofs=[
            Proof("kubectl-get-svc.txt", "3947"),
            Proof("kubectl-get-svc.txt", "enableServiceLinks}", "true"),
            Proof(
                "kubectl-logs-previous.txt",
                "cart-gateway-7f4c9d6b8-q2lmv --previous",
                "argument list too long",
            ),
        ],
        decoys=["took 212ms", "FailedGetResourceMetric", "ImageGCFreed"],
    )
