# ruff: noqa: E501
# kubectl rows, CI output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: geo-lookup 2.8.0 was built by a CI job that had moved to an arm64 runner pool
(`docker build` without `--platform`), so the pushed image holds only a linux/arm64 binary. The
cluster's nodes are amd64: every new pod starts and dies at once with `exec /app/geo-lookup: exec
format error` (CrashLoopBackOff). The rollout at 11:02 UTC stalled with 3 of 4 old pods still
serving; at the 11:40 lunch peak the HPA added replicas, all from the new template, none ready,
and the old pods saturate: route-planner's calls to geo-lookup time out. Decoys: route-planner's
Redis reconnect, a `Readiness probe failed` on an old geo-lookup pod under load (a symptom)
and an ImageGCFailed event on one node."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import JsonLines
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 7, 23, 10, 30, tzinfo=UTC)
NOW = datetime(2026, 7, 23, 12, 15, tzinfo=UTC)
ROLLOUT = 32.0  # 11:02
PEAK = 70.0  # 11:40
NODES = [f"aks-apps-31457798-vmss00000{c}" for c in "0124568"]
IMAGE = "acrmobility.azurecr.io/maps/geo-lookup:2.8.0"
NEW = [
    "geo-lookup-85f6d4c7b9-2kxvw",
    "geo-lookup-85f6d4c7b9-7qmzr",
    "geo-lookup-85f6d4c7b9-h4bnt",
    "geo-lookup-85f6d4c7b9-tz9lc",
]
OLD = ["geo-lookup-6c4b9f8d57-bq8xr", "geo-lookup-6c4b9f8d57-m2hsn", "geo-lookup-6c4b9f8d57-w7dfk"]


def bundle() -> Bundle:
    rng = random.Random(49633)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    planner = LogFile(
        "logs/route-planner.log", JsonLines("route-planner", keys=("time", "level", "msg"), rng=rng)
    )
    planner.add(
        traffic(rng, web_api("route-planner", ["routes", "trips", "eta"]), START, total, 4200)
    )
    planner.add(
        loud(
            rng,
            START,
            PEAK + 1.5,
            total - PEAK - 1.6,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f'geocode {r.choice(["origin", "destination"])} failed: Post "http://geo-lookup.maps.svc.cluster.local:8080/v2/reverse": context deadline exceeded (Client.Timeout exceeded while awaiting headers) after 3000ms'
                ),
            ),
        )
    )
    planner.add(
        loud(
            rng,
            START,
            PEAK + 2,
            total - PEAK - 2.1,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f"circuit breaker geo-lookup half-open -> open (failures={r.randrange(50, 90)}/100)"
                ),
            ),
        )
    )
    planner.add(
        [
            at(
                START,
                17.3,
                "WARN",
                "redis: connection pool: connection to 10.40.6.12:6379 reset by peer, redialing (pool size 32)",
            )
        ]
    )
    logs = (
        f"$ kubectl -n maps logs {NEW[0]} --previous --timestamps\n"
        "2026-07-23T12:10:39.518204117Z exec /app/geo-lookup: exec format error\n"
    )
    old_logs = LogFile(
        "logs/geo-lookup-old.log", JsonLines("geo-lookup", keys=("ts", "level", "msg"), rng=rng)
    )
    old_logs.add(
        traffic(rng, web_api("geo-lookup", ["reverse", "forward", "tiles"]), START, total, 2600)
    )
    old_logs.add(
        loud(
            rng,
            START,
            PEAK + 1,
            total - PEAK - 1.1,
            90,
            fixed(
                "WARN",
                lambda r: (
                    f"request queue full ({r.randrange(250, 257)}/256 in flight), shedding POST /v2/reverse"
                ),
            ),
        )
    )
    routine = routine_events(
        rng, ["route-planner", "tile-cache", "geo-lookup"], 24, NODES, namespace="maps"
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/geo-lookup",
                "Scaled up replica set geo-lookup-85f6d4c7b9 to 1",
            ),
        ),
        (
            ago(ROLLOUT - 0.05),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/geo-lookup",
                "Scaled down replica set geo-lookup-6c4b9f8d57 to 3 from 4",
            ),
        ),
        (
            ago(ROLLOUT - 0.1),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/geo-lookup",
                "Scaled up replica set geo-lookup-85f6d4c7b9 to 2",
            ),
        ),
        (
            ago(ROLLOUT - 0.2),
            (
                "Normal",
                "Pulled",
                f"pod/{NEW[0]}",
                f'Successfully pulled image "{IMAGE}" in 4.212s (4.212s including waiting). Image size: 28118304 bytes.',
            ),
        ),
        (
            ago(PEAK),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/geo-lookup",
                "New size: 7; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(PEAK - 0.05),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/geo-lookup",
                "Scaled up replica set geo-lookup-85f6d4c7b9 to 4",
            ),
        ),
        (
            ago(PEAK + 8),
            (
                "Warning",
                "Unhealthy",
                f"pod/{OLD[1]}",
                'Readiness probe failed: Get "http://10.244.3.27:8080/readyz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            ago(51),
            (
                "Warning",
                "ImageGCFailed",
                f"node/{NODES[3]}",
                "failed to garbage collect required amount of images. Attempted to free 2147483648 bytes, but only found 0 bytes eligible to free.",
            ),
        ),
        (
            150,
            (
                "Warning",
                "BackOff",
                f"pod/{NEW[0]}",
                "Back-off restarting failed container geo-lookup in pod geo-lookup-85f6d4c7b9-2kxvw_maps(5d0e6c1a-7b2f-4f93-a8d4-19c3e7b05f62)",
            ),
        ),
        (
            95,
            (
                "Warning",
                "BackOff",
                f"pod/{NEW[2]}",
                "Back-off restarting failed container geo-lookup in pod geo-lookup-85f6d4c7b9-h4bnt_maps(e81b3d47-0c6a-4e25-9f1d-6a2c8b4d7e09)",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    pods = "\n".join(
        [
            "$ kubectl -n maps get pods -l app=geo-lookup -o wide",
            *table(
                (
                    "NAME",
                    "READY",
                    "STATUS",
                    "RESTARTS",
                    "AGE",
                    "IP",
                    "NODE",
                    "NOMINATED NODE",
                    "READINESS GATES",
                ),
                [
                    (
                        OLD[0],
                        "1/1",
                        "Running",
                        "0",
                        "6d2h",
                        "10.244.1.19",
                        NODES[0],
                        "<none>",
                        "<none>",
                    ),
                    (
                        OLD[1],
                        "0/1",
                        "Running",
                        "0",
                        "6d2h",
                        "10.244.3.27",
                        NODES[2],
                        "<none>",
                        "<none>",
                    ),
                    (
                        OLD[2],
                        "1/1",
                        "Running",
                        "0",
                        "6d2h",
                        "10.244.5.61",
                        NODES[4],
                        "<none>",
                        "<none>",
                    ),
                    (
                        NEW[0],
                        "0/1",
                        "CrashLoopBackOff",
                        "16 (2m31s ago)",
                        "73m",
                        "10.244.2.44",
                        NODES[1],
                        "<none>",
                        "<none>",
                    ),
                    (
                        NEW[1],
                        "0/1",
                        "CrashLoopBackOff",
                        "16 (4m8s ago)",
                        "73m",
                        "10.244.6.13",
                        NODES[5],
                        "<none>",
                        "<none>",
                    ),
                    (
                        NEW[2],
                        "0/1",
                        "CrashLoopBackOff",
                        "9 (95s ago)",
                        "35m",
                        "10.244.4.90",
                        NODES[3],
                        "<none>",
                        "<none>",
                    ),
                    (
                        NEW[3],
                        "0/1",
                        "CrashLoopBackOff",
                        "9 (3m47s ago)",
                        "35m",
                        "10.244.0.72",
                        NODES[6],
                        "<none>",
                        "<none>",
                    ),
                ],
            ),
            "",
            "$ kubectl -n maps rollout status deploy/geo-lookup --timeout=10s",
            'Waiting for deployment "geo-lookup" rollout to finish: 2 out of 4 new replicas have been updated...',
            "error: timed out waiting for the condition",
            "",
            "$ kubectl get nodes -L kubernetes.io/arch --no-headers | awk '{print $NF}' | sort | uniq -c",
            "      7 amd64",
            "",
        ]
    )
    pod = Pod(
        name=NEW[0],
        namespace="maps",
        node=NODES[1],
        app="geo-lookup",
        containers=[
            Container(
                "geo-lookup",
                IMAGE,
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    255",
                    "  Started:      Thu, 23 Jul 2026 12:10:39 +0000",
                    "  Finished:     Thu, 23 Jul 2026 12:10:39 +0000",
                ],
                ready=False,
                restarts=16,
                limits={"memory": "512Mi"},
                requests={"cpu": "250m", "memory": "256Mi"},
                probes=[
                    "Readiness:      http-get http://:8080/readyz delay=3s timeout=1s period=5s #success=1 #failure=3"
                ],
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
                "12m (x16 over 73m)",
                "kubelet",
                f'Container image "{IMAGE}" already present on machine',
            ),
            (
                "Warning",
                "BackOff",
                "2m31s (x331 over 73m)",
                "kubelet",
                "Back-off restarting failed container geo-lookup in pod geo-lookup-85f6d4c7b9-2kxvw_maps(5d0e6c1a-7b2f-4f93-a8d4-19c3e7b05f62)",
            ),
        ],
        ip="10.244.2.44",
        start_time="Thu, 23 Jul 2026 11:02:14 +0000",
    )
    describe = f"$ kubectl -n maps describe pod {NEW[0]}\n" + describe_pod(pod, rng)
    ci = "\n".join(
        [
            "$ gh run view 88123407 --log | grep -E 'Set up job|Runner|docker build|docker push|digest'",
            "build-image\tSet up job\t2026-07-23T10:41:52.0311948Z Current runner version: '2.317.0'",
            "build-image\tSet up job\t2026-07-23T10:41:52.0340177Z Runner name: 'ci-graviton-arm64-07'",
            "build-image\tSet up job\t2026-07-23T10:41:52.0340801Z Runner group name: 'linux-build'",
            "build-image\tBuild\t2026-07-23T10:42:03.5512094Z + docker build -t acrmobility.azurecr.io/maps/geo-lookup:2.8.0 .",
            "build-image\tPush\t2026-07-23T10:44:17.2046331Z 2.8.0: digest: sha256:4f1d0be7a39c2e58d6b71f04ae93c5d2b8e6f0a17c4d3925e8b1f6a07c2d94e3 size: 1160",
            "",
            "$ docker manifest inspect -v acrmobility.azurecr.io/maps/geo-lookup:2.8.0 | jq '.Descriptor.platform'",
            "{",
            '  "architecture": "arm64",',
            '  "os": "linux"',
            "}",
            "",
        ]
    )
    return Bundle(
        question="route-planner's calls to geo-lookup have been timing out since about 11:40 UTC and ETAs are failing. geo-lookup's HPA did scale up. What is the root cause?",
        category="deployment",
        component="geo-lookup",
        statement="geo-lookup 2.8.0 was built on an arm64 CI runner without --platform, so its image holds only an arm64 binary; on the amd64 nodes every new pod fails with `exec /app/geo-lookup: exec format error` (CrashLoopBackOff), the rollout stalls and the HPA's new replicas never become ready, leaving three old pods to saturate at the 11:40 peak.",
        files={
            "logs/route-planner.log": planner.render(),
            "logs/geo-lookup-old.log": old_logs.render(),
            "kubectl-get-events.txt": events,
            "kubectl-get-pods.txt": pods,
            "kubectl-describe-pod.txt": describe,
            "kubectl-logs-geo-lookup.txt": logs,
            "ci-build.txt": ci,
        },
        proofs=[
            Proof("kubectl-logs-geo-lookup.txt", "exec /app/geo-lookup: exec format error"),
            Proof("ci-build.txt", '"architecture": "arm64"'),
        ],
        decoys=[
            "redis: connection pool: connection to 10.40.6.12:6379 reset by peer",
            "ImageGCFailed",
            'Readiness probe failed: Get "http://10.244.3.27:8080/readyz"',
        ],
    )
