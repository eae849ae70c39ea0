# ruff: noqa: E501
# kubectl rows, pasted notes and hand-written log lines are data, kept whole on one line.
"""Kubernetes: geo-search loads its POI index into memory before it opens port 8080; it has a
liveness probe (delay 60s, period 10s, 3 failures) and no startup probe. Sunday's weekly import
grew the index from 4.8 GB to 6.1 GB, so a start now takes about 115 s instead of 71 s. Running
pods were unaffected until Karpenter consolidated two nodes at 02:14 UTC: the three rescheduled
pods are killed by the liveness probe around 90 s into every start and sit in
CrashLoopBackOff; the one remaining pod carries all traffic and maps-api times out. Decoys: the
consolidation itself, the import job's skipped malformed records, and a JVM CDS warning."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import KubectlTimestamps, Logfmt, Record
from scenes import fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 6, 10, 1, 40, tzinfo=UTC)
NOW = datetime(2025, 6, 10, 2, 52, tzinfo=UTC)
MOVE = 34.0  # 02:14
POD = "geo-search-7b5d9c6f48-qv2xh"
NODES = ["ip-10-1-12-87.ec2.internal", "ip-10-1-30-144.ec2.internal", "ip-10-1-47-9.ec2.internal"]


def previous_log() -> LogFile:
    """`kubectl logs --previous --timestamps` of the last killed container: a start cut short."""
    log = LogFile(f"logs/{POD}-previous.log", KubectlTimestamps())
    begin = datetime(2025, 6, 10, 2, 47, 10, 93000, tzinfo=UTC)
    main = "[geo-search] [           main] c.a.geo.GeoSearchApplication            "
    loader = "[geo-search] [           main] c.a.geo.index.PoiIndexLoader            "
    hook = "[geo-search] [ionShutdownHook]"
    lines: list[tuple[float, str | None, str]] = [
        (
            0.0,
            None,
            "OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader classes because bootstrap classpath has been appended",
        ),
        (
            1.9,
            main,
            "Starting GeoSearchApplication v4.2.1 using Java 21.0.7 with PID 1 (/app/app.jar started by app in /app)",
        ),
        (2.0, main, 'The following 1 profile is active: "prod"'),
        (
            4.8,
            "[geo-search] [           main] o.s.b.w.embedded.tomcat.TomcatWebServer ",
            "Tomcat initialized with port 8080 (http)",
        ),
        (
            6.4,
            loader,
            "Loading POI index from /data/index/poi-2025-06-08.idx (6.1 GB, 41,882,106 entries)",
        ),
    ]
    for step in range(1, 10):
        lines.append(
            (
                6.4 + step * 9.1,
                loader,
                f"index load {step * 9 + step // 3}% ({step * 4_188_210:,} entries, heap used {3.1 + step * 0.52:.1f} GB)",
            )
        )
    lines += [
        (
            90.3,
            f"{hook} o.s.b.w.e.tomcat.GracefulShutdown       ",
            "Commencing graceful shutdown. Waiting for active requests to complete",
        ),
        (
            90.4,
            f"{hook} c.a.geo.index.PoiIndexLoader            ",
            "index load interrupted at 86% (shutdown requested)",
        ),
    ]
    for seconds, prefix, text in lines:
        time = begin + timedelta(seconds=seconds)
        inner = time + timedelta(milliseconds=3)
        stamp = inner.strftime("%Y-%m-%dT%H:%M:%S.") + f"{inner.microsecond // 1000:03d}Z"
        message = text if prefix is None else f"{stamp}  INFO 1 --- {prefix}: {text}"
        log.records.append(Record(time, "INFO", message))
    return log


def maps_timeout(rng: random.Random) -> str:
    return f"upstream call failed: GET http://geo-search.maps.svc.cluster.local/v1/nearby?lat=40.{rng.randrange(10**4)}&lon=-73.{rng.randrange(10**4)}&r=500 context deadline exceeded (Client.Timeout exceeded while awaiting headers) after 2000ms"


def bundle() -> Bundle:
    rng = random.Random(1161)
    total = (NOW - START).total_seconds() / 60
    maps = LogFile("logs/maps-api.log", Logfmt("maps-api", rng=rng))
    maps.add(traffic(rng, web_api("maps-api", ["routes", "places", "tiles"]), START, total, 4200))
    maps.add(loud(rng, START, MOVE + 3.0, total - MOVE - 3.2, 1300, fixed("ERROR", maps_timeout)))
    maps.add(
        loud(
            rng,
            START,
            MOVE + 3.5,
            total - MOVE - 3.7,
            380,
            fixed(
                "WARN",
                lambda r: (
                    f"circuit geo-search half-open, probe request failed ({r.randrange(2000, 2100)}ms)"
                ),
            ),
        )
    )
    pod = Pod(
        name=POD,
        namespace="maps",
        node=NODES[2],
        app="geo-search",
        start_time="Tue, 10 Jun 2025 02:14:41 +0000",
        ip="10.1.47.201",
        containers=[
            Container(
                name="geo-search",
                image="381492203311.dkr.ecr.us-east-1.amazonaws.com/maps/geo-search:4.2.1",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    143",
                    "  Started:      Tue, 10 Jun 2025 02:47:10 +0000",
                    "  Finished:     Tue, 10 Jun 2025 02:48:41 +0000",
                ],
                ready=False,
                restarts=9,
                limits={"memory": "14Gi"},
                requests={"cpu": "2", "memory": "14Gi"},
                probes=[
                    "Liveness:   http-get http://:8080/actuator/health/liveness delay=60s timeout=1s period=10s #success=1 #failure=3",
                    "Readiness:  http-get http://:8080/actuator/health/readiness delay=60s timeout=1s period=10s #success=1 #failure=3",
                ],
                environment=[
                    "JAVA_TOOL_OPTIONS:  -XX:MaxRAMPercentage=80 -XX:+UseZGC",
                    "INDEX_PATH:         /data/index/current.idx",
                ],
            )
        ],
        conditions={
            "PodReadyToStartContainers": "True",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Normal",
                "Scheduled",
                "38m",
                "default-scheduler",
                f"Successfully assigned maps/{POD} to {NODES[2]}",
            ),
            (
                "Normal",
                "Pulled",
                "36m",
                "kubelet",
                'Successfully pulled image "381492203311.dkr.ecr.us-east-1.amazonaws.com/maps/geo-search:4.2.1" in 1m41.208s (1m41.208s including waiting). Image size: 412883107 bytes.',
            ),
            (
                "Warning",
                "Unhealthy",
                "4m31s (x27 over 35m)",
                "kubelet",
                'Liveness probe failed: Get "http://10.1.47.201:8080/actuator/health/liveness": dial tcp 10.1.47.201:8080: connect: connection refused',
            ),
            (
                "Normal",
                "Killing",
                "4m11s (x9 over 34m)",
                "kubelet",
                "Container geo-search failed liveness probe, will be restarted",
            ),
            (
                "Warning",
                "BackOff",
                "62s (x71 over 28m)",
                "kubelet",
                f"Back-off restarting failed container geo-search in pod {POD}_maps(3e1b77c2-8a4f-4d0e-9c61-5f2a0d8b9e14)",
            ),
        ],
        volumes=[
            "  poi-index:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  geo-index-cache",
            "    ReadOnly:   true",
        ],
    )
    routine = routine_events(
        rng, ["tile-render", "routes-api", "maps-api"], 20, NODES, namespace="maps"
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    signal = [
        (
            ago(MOVE - 0.4),
            (
                "Normal",
                "DisruptionTerminating",
                "nodeclaim/general-7xk2p",
                "Disrupting NodeClaim: Underutilized/Delete",
            ),
        ),
        (
            ago(MOVE - 0.2),
            (
                "Normal",
                "DisruptionTerminating",
                "node/ip-10-1-8-230.ec2.internal",
                "Disrupting Node: Underutilized/Delete",
            ),
        ),
        (
            ago(MOVE),
            (
                "Normal",
                "Killing",
                "pod/geo-search-7b5d9c6f48-d8fmk",
                "Stopping container geo-search",
            ),
        ),
        (
            ago(MOVE + 0.1),
            (
                "Normal",
                "Killing",
                "pod/geo-search-7b5d9c6f48-lk4tw",
                "Stopping container geo-search",
            ),
        ),
        (
            ago(MOVE + 0.2),
            (
                "Normal",
                "Killing",
                "pod/geo-search-7b5d9c6f48-s9nzb",
                "Stopping container geo-search",
            ),
        ),
        (
            ago(MOVE + 0.9),
            (
                "Warning",
                "Unhealthy",
                "pod/geo-search-7b5d9c6f48-9hrwp",
                'Liveness probe failed: Get "http://10.1.30.17:8080/actuator/health/liveness": dial tcp 10.1.30.17:8080: connect: connection refused',
            ),
        ),
        (
            ago(total - 2),
            (
                "Warning",
                "BackOff",
                "pod/geo-search-7b5d9c6f48-9hrwp",
                "Back-off restarting failed container geo-search in pod geo-search-7b5d9c6f48-9hrwp_maps(0c4d2e91-77ab-4f3c-b2de-1a9f6e3c5d20)",
            ),
        ),
        (
            ago(total - 1),
            (
                "Warning",
                "BackOff",
                "pod/geo-search-7b5d9c6f48-mm7cj",
                "Back-off restarting failed container geo-search in pod geo-search-7b5d9c6f48-mm7cj_maps(9a61b0f3-2c4e-4b8d-a7e5-60d1c2f8e3b7)",
            ),
        ),
    ]
    pods = [
        ("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
        ("geo-search-7b5d9c6f48-9hrwp", "0/1", "CrashLoopBackOff", "9 (2m ago)", "38m"),
        ("geo-search-7b5d9c6f48-mm7cj", "0/1", "CrashLoopBackOff", "9 (5m ago)", "38m"),
        (POD, "0/1", "CrashLoopBackOff", "9 (4m11s ago)", "38m"),
        ("geo-search-7b5d9c6f48-x4jq2", "1/1", "Running", "0", "6d3h"),
        ("poi-import-29153700-7rz4k", "0/1", "Completed", "0", "2d2h"),
    ]
    kubectl = "\n".join(
        [
            "$ kubectl -n maps get pods",
            *table(pods[0], pods[1:]),
            "",
            "$ kubectl -n maps get events --sort-by=.lastTimestamp",
            event_listing(routine, signal).rstrip("\n"),
            "",
            "$ kubectl -n maps logs job/poi-import-29153700 | tail -4",
            "2025-06-08T00:41:07Z INFO  poi-import: parsed planet extract, 41,883,310 candidate POIs",
            "2025-06-08T00:41:07Z WARN  poi-import: skipped 1,204 malformed records (missing coordinates)",
            "2025-06-08T00:58:44Z INFO  poi-import: wrote /data/index/poi-2025-06-08.idx (6.1 GB), previous 4.8 GB",
            "2025-06-08T00:58:45Z INFO  poi-import: switched /data/index/current.idx -> poi-2025-06-08.idx",
            "",
        ]
    )
    notes = "\n".join(
        [
            "oncall handover, maps, Tue 10 Jun",
            "- 02:17 GeoSearchAvailability page: 1/4 geo-search ready. Karpenter consolidated nodes at 02:14, pods rescheduled.",
            "- image is the same 4.2.1 as last week; that deploy (Wed) logged: Started GeoSearchApplication in 71.4 seconds (process running for 72.9)",
            "- PVC geo-index-cache mounts fine on the new nodes, no OOMKilled in describe.",
            "",
        ]
    )
    files = {
        "notes.txt": notes,
        "kubectl.txt": kubectl,
        "kubectl-describe-pod.txt": describe_pod(pod, rng),
        f"logs/{POD}-previous.log": previous_log().render(),
        "logs/maps-api.log": maps.render(),
    }
    return Bundle(
        question="Most geo-search pods have been crash-looping since about 02:15 UTC and maps-api is timing out. Same image as last week. What is the root cause?",
        category="scheduling",
        component="geo-search",
        statement="geo-search's liveness probe (delay 60s, period 10s, 3 failures, no startup probe) kills each container about 90 s into start-up, but since Sunday's import grew the POI index to 6.1 GB a start needs well over 100 s; the pods rescheduled by Karpenter's 02:14 UTC consolidation never finish loading and crash-loop, leaving one pod to serve maps-api.",
        files=files,
        proofs=[
            Proof(
                "kubectl-describe-pod.txt",
                "Liveness:   http-get http://:8080/actuator/health/liveness delay=60s",
            ),
            Proof(f"logs/{POD}-previous.log", "index load interrupted at 86%"),
        ],
        decoys=[
            "Disrupting Node: Underutilized/Delete",
            "skipped 1,204 malformed records",
            "Sharing is only supported for boot loader classes",
        ],
    )
