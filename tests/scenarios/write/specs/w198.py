# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the data team's nightly `feature-backfill` Job was given the PriorityClass
`batch-critical` (value 1000000, copied from a platform template) in today's release. At
01:40 UTC its 10 parallel pods (6 CPU each) found the shared node pool full, and the scheduler
preempted priority-0 pods to place them: five of the eight search-api pods were deleted. Their
replacements stay Pending (Insufficient cpu, no preemption victims found, the node group at
its maximum). The storefront's search calls get 503 and time out. Loud: the storefront's 502/504,
search-api's queue warnings, the HPA scaling search-api up. Decoys: the HPA, an Elasticsearch
disk watermark warning and the cluster-autoscaler's max-size message."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import NginxAccess, SpringBoot
from scenes import at, fixed, loud
from traffic import http_access, traffic, web_api

START = datetime(2025, 10, 14, 0, 55, tzinfo=UTC)
NOW = datetime(2025, 10, 14, 2, 31, tzinfo=UTC)
PREEMPT = 45.0  # 01:40
BERLIN = ZoneInfo("Europe/Berlin")
NODES = [
    f"aks-general-31847265-vmss0000{suffix}" for suffix in ("0a", "0c", "0d", "0f", "0g", "0h")
]
BACKFILL_UID = "7e3c9a12-5b4d-4f8e-a1c6-0d9b2e7f4a35"


def bundle() -> Bundle:
    rng = random.Random(1198)
    total = (NOW - START).total_seconds() / 60
    edge = LogFile("logs/storefront-access.log", NginxAccess(rng=rng, zone=BERLIN))
    edge.add(
        traffic(
            rng,
            http_access(["/", "/p/{id}", "/api/cart", "/api/search?q=boots", "/static/app.js"]),
            START,
            total,
            5200,
        )
    )
    edge.add(
        loud(
            rng,
            START,
            PREEMPT + 1.5,
            total - PREEMPT - 2,
            900,
            lambda r: (
                "ERROR",
                f'"GET /api/search?q={r.choice(["jacket", "sneakers", "scarf", "gloves", "parka"])}&page={r.randrange(1, 6)} HTTP/1.1" {r.choice([502, 503, 504, 504])} {r.randrange(150, 600)} "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)" {r.uniform(3, 10):.3f}',
                (),
            ),
        )
    )
    search = LogFile(
        "logs/search-api.log",
        SpringBoot(
            ("c.s.search.QueryController", "c.s.search.EsGateway", "c.s.search.RankingService"),
            rng=rng,
            zone=BERLIN,
        ),
    )
    search.add(
        traffic(
            rng, web_api("search-api", ["queries", "suggestions", "facets"]), START, total, 3100
        )
    )
    search.add(
        loud(
            rng,
            START,
            PREEMPT + 1,
            total - PREEMPT - 1.5,
            650,
            fixed(
                "WARN",
                lambda r: (
                    f"request queue at {r.randrange(180, 257)}/256, shedding GET /api/search (in-flight {r.randrange(190, 200)}/200)"
                ),
            ),
        )
    )
    search.add(
        [
            at(
                START,
                9.2,
                "WARN",
                "high disk watermark [90%] exceeded on [es-data-2][/usr/share/elasticsearch/data] free: 41.2gb[9.8%], shards will be relocated away from this node",
                logger="c.s.search.EsGateway",
            ),
            at(
                START,
                PREEMPT + 0.3,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            ),
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    victims = [
        "search-api-5c7d8f9b6-2lq9x",
        "search-api-5c7d8f9b6-8vtr4",
        "search-api-5c7d8f9b6-hk3zm",
        "search-api-5c7d8f9b6-p6wd1",
        "search-api-5c7d8f9b6-x4nbc",
    ]
    routine = routine_events(
        rng, ["storefront", "cart-api", "recommendations"], 26, NODES, namespace="shop"
    )
    signal = []
    for index, victim in enumerate(victims):
        node = NODES[index]
        signal.append(
            (
                ago(PREEMPT + index * 0.05),
                (
                    "Normal",
                    "Preempted",
                    f"pod/{victim}",
                    f"Preempted by pod {BACKFILL_UID if index == 0 else f'{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-9{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}'} on node {node}",
                ),
            )
        )
        signal.append(
            (
                ago(PREEMPT + index * 0.05 + 0.01),
                ("Normal", "Killing", f"pod/{victim}", "Stopping container search-api"),
            )
        )
    signal += [
        (
            ago(PREEMPT + 0.4),
            (
                "Warning",
                "FailedScheduling",
                "pod/search-api-5c7d8f9b6-q8m2f",
                "0/6 nodes are available: 6 Insufficient cpu. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.",
            ),
        ),
        (
            ago(PREEMPT + 0.5),
            (
                "Normal",
                "NotTriggerScaleUp",
                "pod/search-api-5c7d8f9b6-q8m2f",
                "pod didn't trigger scale-up: 1 max node group size reached",
            ),
        ),
        (
            ago(PREEMPT + 6),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/search-api",
                "New size: 10; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(PREEMPT + 6.1),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/search-api",
                "Scaled up replica set search-api-5c7d8f9b6 to 10 from 8",
            ),
        ),
        (
            ago(total - 2),
            (
                "Warning",
                "FailedScheduling",
                "pod/search-api-5c7d8f9b6-zt7kd",
                "0/6 nodes are available: 6 Insufficient cpu. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    pending = Pod(
        name="search-api-5c7d8f9b6-q8m2f",
        namespace="shop",
        node="",
        app="search-api",
        status="Pending",
        containers=[
            Container(
                "search-api",
                "acrshopprod.azurecr.io/shop/search-api:4.21.0",
                state=[],
                requests={"cpu": "2", "memory": "3Gi"},
                limits={"memory": "3Gi"},
            )
        ],
        conditions={"PodScheduled": "False"},
        start_time="",
        events=[
            (
                "Warning",
                "FailedScheduling",
                "3m (x12 over 49m)",
                "default-scheduler",
                "0/6 nodes are available: 6 Insufficient cpu. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.",
            )
        ],
    )
    describe = describe_pod(pending, rng)
    get = "\n".join(
        [
            "$ kubectl -n shop get deploy search-api",
            "NAME         READY   UP-TO-DATE   AVAILABLE   AGE",
            "search-api   3/10    10           3           1y87d",
            "",
            "$ kubectl get pods -A --field-selector=status.phase=Running -o wide | grep -E 'NAME|feature-backfill'",
            "NAMESPACE   NAME                     READY   STATUS    RESTARTS   AGE   IP             NODE                              NOMINATED NODE   READINESS GATES",
            *[
                f"data        feature-backfill-{suffix}   1/1     Running   0          49m   {f'10.244.{rng.randrange(2, 10)}.{rng.randrange(2, 250)}':<12}   {NODES[index % 6]}   <none>           <none>"
                for index, suffix in enumerate(
                    [
                        "4bq8s",
                        "7hxdn",
                        "9k2lr",
                        "c5mvw",
                        "fj8tz",
                        "gw3pq",
                        "m6rzc",
                        "r1vkx",
                        "t8snd",
                        "xz4lh",
                    ]
                )
            ],
            "",
            "$ kubectl get priorityclass",
            "NAME                      VALUE        GLOBAL-DEFAULT   AGE",
            "batch-critical            1000000      false            9h",
            "batch-low                 -100         false            212d",
            "system-cluster-critical   2000000000   false            2y14d",
            "system-node-critical      2000001000   false            2y14d",
            "",
            "$ kubectl -n data get job feature-backfill -o jsonpath='{.metadata.uid} {.spec.parallelism} {.spec.template.spec.priorityClassName}'",
            "2b61f0d4-8a7e-4c39-b5d2-91e6f3a0c7d8 10 batch-critical",
            "$ kubectl -n data get pod feature-backfill-4bq8s -o jsonpath='{.metadata.uid} {.spec.priority}'",
            f"{BACKFILL_UID} 1000000",
            "",
        ]
    )
    return Bundle(
        question="Search on the storefront has been failing since about 03:40 Berlin time (01:40 UTC). search-api is mostly Pending. Why?",
        category="scheduling",
        component="feature-backfill",
        statement="The feature-backfill Job was released with the PriorityClass batch-critical (value 1000000); at 01:40 UTC its ten 6-CPU pods made the scheduler preempt five priority-0 search-api pods on the full node pool, and their replacements stay Pending on Insufficient cpu, so storefront search fails.",
        files={
            "kubectl-get-events.txt": events,
            "kubectl-describe-pod.txt": describe,
            "kubectl-get.txt": get,
            "logs/storefront-access.log": edge.render(),
            "logs/search-api.log": search.render(),
        },
        proofs=[
            Proof("kubectl-get-events.txt", f"Preempted by pod {BACKFILL_UID}"),
            Proof("kubectl-get.txt", "batch-critical            1000000"),
        ],
        decoys=[
            "New size: 10; reason: cpu resource utilization",
            "high disk watermark [90%] exceeded on [es-data-2]",
            "pod didn't trigger scale-up: 1 max node group size reached",
        ],
    )
