# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: Redis for the loyalty namespace moved to the shared `cache` namespace last week
and the old Service loyalty/redis was deleted this morning. points-api's container already uses
redis.cache.svc.cluster.local, but its init container `wait-for-redis` still loops on
`nc -z redis 6379`, a short name that now resolves nowhere. Running pods are fine; when the
14:00 NZDT node upgrade drains nodes, every recreated points-api pod stays Init:0/1 and the two
remaining pods are overloaded (503s at the gateway). Decoys: the drain's PDB eviction refusals,
a Redis slow command warning and the new nodes' registration."""

import random
import re
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import KubectlTimestamps, NginxAccess, Pino
from scenes import at, fixed, loud
from traffic import http_access, traffic, web_api

NZDT = timezone(timedelta(hours=13))
START = datetime(2026, 12, 8, 0, 15, tzinfo=UTC)
NOW = datetime(2026, 12, 8, 2, 30, tzinfo=UTC)
DRAIN = 45.0  # 01:00 UTC = 14:00 NZDT
OLD = [
    "aks-general-13077422-vmss00001c",
    "aks-general-13077422-vmss00001d",
    "aks-general-13077422-vmss00001e",
]
NEW = [
    "aks-general-13077422-vmss00002a",
    "aks-general-13077422-vmss00002b",
    "aks-general-13077422-vmss00002c",
]


def bundle() -> Bundle:
    rng = random.Random(5708)
    total = (NOW - START).total_seconds() / 60
    api = LogFile("logs/points-api.log", Pino("points-api-6f9b8d7c5-k4wrt", rng=rng))
    api.add(
        traffic(rng, web_api("points-api", ["points", "members", "rewards"]), START, total, 3300)
    )
    api.add(
        loud(
            rng,
            START,
            DRAIN + 8,
            total - DRAIN - 9,
            420,
            fixed(
                "WARN",
                lambda r: (
                    f"event loop lag {r.randrange(400, 2600)}ms, {r.randrange(200, 900)} requests in flight (limit 200), shedding with 503"
                ),
            ),
        )
    )
    api.add(
        [
            at(
                START,
                19.3,
                "WARN",
                "redis slow command: HGETALL member:profile:88213 took 212ms (redis.cache.svc.cluster.local:6379)",
            )
        ]
    )

    gateway = LogFile("logs/api-gateway-access.log", NginxAccess(rng=rng, zone=NZDT))
    gateway.add(
        traffic(
            rng,
            http_access(
                ["/loyalty/v1/points/{id}", "/loyalty/v1/members/{id}", "/shop/v2/cart/{id}"], 35
            ),
            START,
            total,
            3600,
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            DRAIN + 8,
            total - DRAIN - 9,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f'"GET /loyalty/v1/points/{r.randrange(10**6)} HTTP/1.1" 503 {r.randrange(60, 90)} "-" "LoyaltyApp/6.2 (Android 14)" {r.randrange(1, 3000) / 1000:.3f}'
                ),
            ),
        )
    )

    init = LogFile("kubectl-logs-points-api-q7tlx.txt", KubectlTimestamps())
    pending = START + timedelta(minutes=DRAIN + 6)
    seconds = 0.0
    while seconds < (NOW - pending).total_seconds() - 30:
        init.add(
            [
                at(pending, seconds / 60, "INFO", "nc: bad address 'redis'"),
                at(pending, seconds / 60 + 0.001, "INFO", "waiting for redis:6379 ..."),
            ]
        )
        seconds += 2.0 + rng.random() * 0.02

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["points-api", "rewards-worker", "member-sync"], 18, OLD, namespace="loyalty"
    )
    signal = [
        (
            ago(DRAIN - 4),
            (
                "Normal",
                "RegisteredNode",
                f"node/{NEW[0]}",
                f"Node {NEW[0]} event: Registered Node {NEW[0]} in Controller",
            ),
        ),
        (
            ago(DRAIN),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{OLD[0]}",
                f"Node {OLD[0]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(DRAIN + 1),
            (
                "Warning",
                "EvictionBlocked",
                "pod/rewards-worker-5d8c7b6f4-v2qzd",
                "Cannot evict pod as it would violate the pod's disruption budget.",
            ),
        ),
        (
            ago(DRAIN + 5),
            (
                "Normal",
                "Killing",
                "pod/points-api-6f9b8d7c5-h8mzn",
                "Stopping container points-api",
            ),
        ),
        (
            ago(DRAIN + 6),
            (
                "Normal",
                "Scheduled",
                "pod/points-api-6f9b8d7c5-q7tlx",
                f"Successfully assigned loyalty/points-api-6f9b8d7c5-q7tlx to {NEW[0]}",
            ),
        ),
        (
            ago(DRAIN + 6.2),
            (
                "Normal",
                "Started",
                "pod/points-api-6f9b8d7c5-q7tlx",
                "Started container wait-for-redis",
            ),
        ),
        (
            ago(DRAIN + 21),
            (
                "Normal",
                "Killing",
                "pod/points-api-6f9b8d7c5-m3pcv",
                "Stopping container points-api",
            ),
        ),
        (
            ago(DRAIN + 22),
            (
                "Normal",
                "Scheduled",
                "pod/points-api-6f9b8d7c5-zd5wb",
                f"Successfully assigned loyalty/points-api-6f9b8d7c5-zd5wb to {NEW[1]}",
            ),
        ),
        (
            ago(DRAIN + 22.2),
            (
                "Normal",
                "Started",
                "pod/points-api-6f9b8d7c5-zd5wb",
                "Started container wait-for-redis",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    pod = Pod(
        name="points-api-6f9b8d7c5-q7tlx",
        namespace="loyalty",
        node=NEW[0],
        app="points-api",
        status="Pending",
        ip="10.244.7.31",
        start_time="Tue, 08 Dec 2026 01:05:56 +0000",
        conditions={
            "PodReadyToStartContainers": "True",
            "Initialized": "False",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        init_containers=[
            Container(
                name="wait-for-redis",
                image="docker.io/library/busybox:1.36.1",
                port="<none>",
                state=["Running", "  Started:      Tue, 08 Dec 2026 01:06:00 +0000"],
                ready=False,
            )
        ],
        containers=[
            Container(
                name="points-api",
                image="acrloyaltyprod.azurecr.io/points-api:3.14.2",
                state=["Waiting", "  Reason:       PodInitializing"],
                ready=False,
                limits={"memory": "768Mi"},
                requests={"cpu": "300m", "memory": "768Mi"},
                environment=[
                    "REDIS_URL:  redis://redis.cache.svc.cluster.local:6379/4",
                    "NODE_ENV:   production",
                ],
            )
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "84m",
                "default-scheduler",
                f"Successfully assigned loyalty/points-api-6f9b8d7c5-q7tlx to {NEW[0]}",
            ),
            (
                "Normal",
                "Pulled",
                "84m",
                "kubelet",
                'Container image "docker.io/library/busybox:1.36.1" already present on machine',
            ),
            ("Normal", "Created", "84m", "kubelet", "Created container wait-for-redis"),
            ("Normal", "Started", "84m", "kubelet", "Started container wait-for-redis"),
        ],
    )
    described = describe_pod(pod, rng).replace(
        "    Port:           <none>\n    Host Port:      0/TCP\n",
        '    Port:           <none>\n    Host Port:      <none>\n    Command:\n      sh\n      -c\n      until nc -z redis 6379; do echo "waiting for redis:6379 ..."; sleep 2; done\n',
        1,
    )
    described = re.sub(
        r"(  points-api:\n)    Container ID: .*\n(    Image: .*\n)    Image ID: .*\n",
        r"\1\2",
        described,
    )
    paste = "\n".join(
        [
            "$ kubectl -n loyalty get pods -l app=points-api -o wide",
            *table(
                ("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"),
                [
                    (
                        "points-api-6f9b8d7c5-k4wrt",
                        "1/1",
                        "Running",
                        "0",
                        "9d",
                        "10.244.3.18",
                        OLD[2],
                    ),
                    (
                        "points-api-6f9b8d7c5-q7tlx",
                        "0/1",
                        "Init:0/1",
                        "0",
                        "84m",
                        "10.244.7.31",
                        NEW[0],
                    ),
                    (
                        "points-api-6f9b8d7c5-t2hvs",
                        "1/1",
                        "Running",
                        "0",
                        "9d",
                        "10.244.4.52",
                        OLD[2],
                    ),
                    (
                        "points-api-6f9b8d7c5-zd5wb",
                        "0/1",
                        "Init:0/1",
                        "0",
                        "68m",
                        "10.244.8.9",
                        NEW[1],
                    ),
                ],
            ),
            "",
            "$ kubectl get svc -A | grep -i redis",
            "cache      redis                 ClusterIP   10.0.118.42    <none>        6379/TCP   8d",
            "cache      redis-headless        ClusterIP   None           <none>        6379/TCP   8d",
            "",
            "$ kubectl -n loyalty get svc redis",
            'Error from server (NotFound): services "redis" not found',
            "",
            "$ kubectl -n platform-ops get configmap change-log -o jsonpath='{.data.2026-12-08}'",
            "09:02 NZDT PLAT-812 loyalty: Redis cut over to cache namespace (redis.cache.svc) on 2026-11-30; removed leftover Service loyalty/redis and its StatefulSet",
            "14:00 NZDT PLAT-820 AKS node image upgrade, pool general (surge 1)",
            "",
        ]
    )
    return Bundle(
        question="From about 14:10 NZDT the loyalty app gets lots of 503s on points lookups and only two points-api pods seem to be serving. What is the root cause?",
        category="configuration",
        component="points-api",
        statement="points-api's init container wait-for-redis still waits for the short name `redis` (nc -z redis 6379), but Redis moved to the cache namespace and the Service loyalty/redis was deleted this morning; pods recreated by the 14:00 NZDT node upgrade loop forever in Init:0/1 (nc: bad address 'redis'), leaving two overloaded pods that shed load with 503s.",
        files={
            "logs/points-api.log": api.render(),
            "logs/api-gateway-access.log": gateway.render(),
            "kubectl-logs-points-api-q7tlx.txt": init.render(),
            "kubectl-get-events.txt": events,
            "kubectl-describe-pod-points-api.txt": described,
            "kubectl-session.txt": paste,
        },
        proofs=[
            Proof("kubectl-describe-pod-points-api.txt", "until nc -z redis 6379"),
            Proof("kubectl-session.txt", "removed leftover Service loyalty/redis"),
            Proof("kubectl-session.txt", "points-api-6f9b8d7c5-q7tlx   0/1"),
        ],
        decoys=[
            "Cannot evict pod as it would violate the pod's disruption budget.",
            "redis slow command: HGETALL member:profile:88213",
            "Registered Node",
        ],
    )
