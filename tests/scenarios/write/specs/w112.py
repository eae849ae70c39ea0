# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""thumbnailer 2.14.0 was built by a CI job that had moved to an arm64 self-hosted runner and
pushed a linux/arm64-only image; the cluster's nodes are amd64. Every new pod exits at once
with `exec /usr/local/bin/thumbnailer: exec format error` and backs off, the rollout stops half
way, and the two old pods left cannot keep up: uploads-api's resize calls time out and queue.
Decoys: the HPA's missing-metrics warning, uploads-api's Redis slow-log warnings and an old
ImagePullBackOff of a sidecar from last week's registry outage."""

import random
import re
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import (
    Container,
    Deployment,
    Pod,
    describe_deployment,
    describe_pod,
    event_listing,
    routine_events,
    table,
)
from records import Logfmt, Record
from scenes import at, loud
from traffic import Line, traffic

NOW = datetime(2024, 3, 14, 14, 5, tzinfo=UTC)
START = datetime(2024, 3, 14, 12, 50, tzinfo=UTC)
RELEASE = datetime(2024, 3, 14, 13, 22, 41, tzinfo=UTC)
NAMESPACE = "media"
IMAGE = "ghcr.io/pixelhaus/thumbnailer:2.14.0"
OLD_IMAGE = "ghcr.io/pixelhaus/thumbnailer:2.13.2"
NEW_POD = "thumbnailer-6b8f4d9c7-t5wzr"
NODES = [
    "ip-172-20-41-17.ec2.internal",
    "ip-172-20-42-203.ec2.internal",
    "ip-172-20-43-88.ec2.internal",
    "ip-172-20-41-156.ec2.internal",
]


def ago(time: datetime) -> int:
    return int((NOW - time).total_seconds())


def rfc1123(time: datetime) -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000")


class GithubActions:
    """A GitHub Actions job log as downloaded: each line after an RFC 3339 stamp."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}0Z"
        return [f"{stamp} {record.message}"]


def uploads_line(rng: random.Random) -> Line:
    roll = rng.random()
    asset = f"{rng.getrandbits(48):012x}"
    if roll < 0.4:
        return (
            "INFO",
            f"upload stored asset={asset} bytes={rng.randrange(40_000, 9_000_000)} tenant=t{rng.randrange(100, 999)}",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"thumbnail ready asset={asset} sizes=160,480,1080 took={rng.randrange(120, 900)}ms",
            (),
        )
    if roll < 0.95:
        return "INFO", f"GET /v2/assets/{asset} 200 {rng.randrange(3, 60)}ms", ()
    return (
        "WARN",
        f"slow redis command: ZADD recent:t{rng.randrange(100, 999)} took {rng.randrange(12, 40)}ms (threshold 10ms)",
        (),
    )


def resize_timeout(rng: random.Random) -> Line:
    asset = f"{rng.getrandbits(48):012x}"
    return (
        "ERROR",
        f'resize failed asset={asset} err="Post \\"http://thumbnailer.media.svc:8080/v1/resize\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)" queued_for_retry=true queue_depth={rng.randrange(800, 14000)}',
        (),
    )


def pods_text() -> str:
    rows = [
        ("thumbnailer-5d7c9b8f64-8kq2m", "1/1", "Running", "0", "2d3h"),
        ("thumbnailer-5d7c9b8f64-rx4vn", "1/1", "Running", "0", "2d3h"),
        ("thumbnailer-6b8f4d9c7-9hjlp", "0/1", "CrashLoopBackOff", "12 (4m38s ago)", "42m"),
        (NEW_POD, "0/1", "CrashLoopBackOff", "12 (2m51s ago)", "42m"),
        ("uploads-api-7f6d5c9b84-4tq8x", "1/1", "Running", "0", "6d"),
        ("uploads-api-7f6d5c9b84-m2v9d", "1/1", "Running", "0", "6d"),
        ("uploads-api-7f6d5c9b84-zs7kb", "1/1", "Running", "1 (5d ago)", "6d"),
    ]
    return "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE"), rows)) + "\n"


def hpa_text() -> str:
    rows = [("thumbnailer", "Deployment/thumbnailer", "cpu: <unknown>/70%", "4", "12", "4", "88d")]
    return (
        "\n".join(
            table(("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"), rows)
        )
        + "\n"
    )


def bundle() -> Bundle:
    rng = random.Random(1112)
    last_start = NOW - timedelta(minutes=2, seconds=51)
    pod = Pod(
        name=NEW_POD,
        namespace=NAMESPACE,
        node=NODES[2],
        app="thumbnailer",
        ip="10.20.43.119",
        start_time=rfc1123(RELEASE + timedelta(seconds=4)),
        labels=[
            "app=thumbnailer",
            "pod-template-hash=6b8f4d9c7",
            "app.kubernetes.io/version=2.14.0",
        ],
        conditions={
            "PodReadyToStartContainers": "True",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                "thumbnailer",
                IMAGE,
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    f"  Started:      {rfc1123(last_start)}",
                    f"  Finished:     {rfc1123(last_start)}",
                ],
                ready=False,
                restarts=12,
                limits={"cpu": "2", "memory": "1Gi"},
                requests={"cpu": "500m", "memory": "512Mi"},
                probes=[
                    "Readiness:  http-get http://:8080/healthz delay=3s timeout=1s period=5s #success=1 #failure=3"
                ],
                environment=[
                    "RESIZE_WORKERS:  4",
                    "MAX_PIXELS:      40000000",
                    "LOG_FORMAT:      logfmt",
                ],
            )
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "42m",
                "default-scheduler",
                f"Successfully assigned {NAMESPACE}/{NEW_POD} to {NODES[2]}",
            ),
            ("Normal", "Pulling", "42m", "kubelet", f'Pulling image "{IMAGE}"'),
            (
                "Normal",
                "Pulled",
                "42m",
                "kubelet",
                f'Successfully pulled image "{IMAGE}" in 2.318s (2.318s including waiting). Image size: 48213457 bytes.',
            ),
            ("Normal", "Created", "40m (x5 over 42m)", "kubelet", "Created container thumbnailer"),
            ("Normal", "Started", "40m (x5 over 42m)", "kubelet", "Started container thumbnailer"),
            (
                "Normal",
                "Pulled",
                "40m (x4 over 42m)",
                "kubelet",
                f'Container image "{IMAGE}" already present on machine',
            ),
            (
                "Warning",
                "BackOff",
                "2m10s (x186 over 42m)",
                "kubelet",
                f"Back-off restarting failed container thumbnailer in pod {NEW_POD}_{NAMESPACE}(3c1e7a52-90d4-4b6e-a8f1-5d27c0b9e613)",
            ),
        ],
    )
    deployment = Deployment(
        name="thumbnailer",
        namespace=NAMESPACE,
        image=IMAGE,
        replicas="4 desired | 2 updated | 4 total | 2 available | 2 unavailable",
        conditions=[
            ("Available", "False", "MinimumReplicasUnavailable"),
            ("Progressing", "True", "ReplicaSetUpdated"),
        ],
        old_replica_set="thumbnailer-5d7c9b8f64 (2/2 replicas created)",
        new_replica_set="thumbnailer-6b8f4d9c7 (2/2 replicas created)",
        events=[
            (
                "Normal",
                "ScalingReplicaSet",
                "42m",
                "deployment-controller",
                "Scaled up replica set thumbnailer-6b8f4d9c7 to 1",
            ),
            (
                "Normal",
                "ScalingReplicaSet",
                "42m",
                "deployment-controller",
                "Scaled down replica set thumbnailer-5d7c9b8f64 to 3 from 4",
            ),
            (
                "Normal",
                "ScalingReplicaSet",
                "42m",
                "deployment-controller",
                "Scaled up replica set thumbnailer-6b8f4d9c7 to 2 from 1",
            ),
            (
                "Normal",
                "ScalingReplicaSet",
                "42m",
                "deployment-controller",
                "Scaled down replica set thumbnailer-5d7c9b8f64 to 2 from 3",
            ),
        ],
    )
    routine = routine_events(rng, ["uploads-api", "gallery-web"], 16, NODES, namespace=NAMESPACE)
    signal = [
        (
            ago(RELEASE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/thumbnailer",
                "Scaled up replica set thumbnailer-6b8f4d9c7 to 1",
            ),
        ),
        (
            ago(RELEASE) - 1,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/thumbnailer",
                "Scaled down replica set thumbnailer-5d7c9b8f64 to 3 from 4",
            ),
        ),
        (
            ago(RELEASE) - 2,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/thumbnailer",
                "Scaled up replica set thumbnailer-6b8f4d9c7 to 2 from 1",
            ),
        ),
        (
            ago(RELEASE) - 3,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/thumbnailer",
                "Scaled down replica set thumbnailer-5d7c9b8f64 to 2 from 3",
            ),
        ),
        (
            130,
            (
                "Warning",
                "BackOff",
                f"pod/{NEW_POD}",
                "Back-off restarting failed container thumbnailer in pod "
                + NEW_POD
                + "_media(3c1e7a52-90d4-4b6e-a8f1-5d27c0b9e613)",
            ),
        ),
        (
            278,
            (
                "Warning",
                "BackOff",
                "pod/thumbnailer-6b8f4d9c7-9hjlp",
                "Back-off restarting failed container thumbnailer in pod thumbnailer-6b8f4d9c7-9hjlp_media(8e02b6f1-2c7d-4a95-b3e0-71f4d9a6c28e)",
            ),
        ),
        (
            ago(RELEASE) + 840,
            (
                "Warning",
                "Failed",
                "pod/gallery-web-84c6f9d7b5-qx2rn",
                'Failed to pull image "ghcr.io/pixelhaus/scan-sidecar:0.9.1": failed to pull and unpack image "ghcr.io/pixelhaus/scan-sidecar:0.9.1": failed to copy: httpReadSeeker: failed open: unexpected status code https://ghcr.io/v2/pixelhaus/scan-sidecar/blobs/sha256:e3b1c4a9f07d2b58c6a1e94f30d7b2c85e6f1a09d4c37b2e8f5a60c1d9e4b7f2: 429 Too Many Requests',
            ),
        ),
        (
            ago(RELEASE) + 830,
            ("Warning", "Failed", "pod/gallery-web-84c6f9d7b5-qx2rn", "Error: ErrImagePull"),
        ),
        (
            ago(RELEASE) + 800,
            (
                "Normal",
                "BackOff",
                "pod/gallery-web-84c6f9d7b5-qx2rn",
                'Back-off pulling image "ghcr.io/pixelhaus/scan-sidecar:0.9.1"',
            ),
        ),
        (
            ago(RELEASE) + 790,
            ("Warning", "Failed", "pod/gallery-web-84c6f9d7b5-qx2rn", "Error: ImagePullBackOff"),
        ),
        (
            ago(RELEASE) + 700,
            (
                "Normal",
                "Pulled",
                "pod/gallery-web-84c6f9d7b5-qx2rn",
                'Successfully pulled image "ghcr.io/pixelhaus/scan-sidecar:0.9.1" in 1.904s (1m39.112s including waiting). Image size: 9214377 bytes.',
            ),
        ),
        (
            95,
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/thumbnailer",
                "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
            ),
        ),
        (
            96,
            (
                "Warning",
                "FailedComputeMetricsReplicas",
                "horizontalpodautoscaler/thumbnailer",
                "invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
            ),
        ),
    ]
    logs = "\n".join(
        [
            f"$ kubectl logs -n {NAMESPACE} {NEW_POD} --previous",
            "exec /usr/local/bin/thumbnailer: exec format error",
            f"$ kubectl logs -n {NAMESPACE} thumbnailer-5d7c9b8f64-8kq2m --tail=6",
            *[
                f'time={(NOW - timedelta(seconds=40 - i * 7)).strftime("%Y-%m-%dT%H:%M:%S")}.{rng.randrange(1000):03d}Z level=info app=thumbnailer msg="resized asset={rng.getrandbits(48):012x} sizes=160,480,1080 took={rng.randrange(900, 3900)}ms" inflight={rng.randrange(14, 17)}'
                for i in range(6)
            ],
            "",
        ]
    )
    ci = LogFile("ci-job-88213.log", GithubActions())
    t0 = (RELEASE - START).total_seconds() / 60 - 9.0
    ci_lines = [
        "Current runner version: '2.313.0'",
        "Runner name: 'ph-build-07'",
        "Runner group name: 'self-hosted-fast'",
        "Machine name: 'ph-build-07'",
        "##[group]Run docker/build-push-action@v5",
        "with:",
        "  context: .",
        "  push: true",
        f"  tags: {IMAGE}",
        "##[endgroup]",
        '#0 building with "default" instance using docker driver',
        "#1 [internal] load build definition from Dockerfile",
        "#1 transferring dockerfile: 812B done",
        "#2 [internal] load metadata for docker.io/library/golang:1.22-bookworm",
        "#3 [internal] load metadata for gcr.io/distroless/static-debian12:nonroot",
        '#6 [builder 4/5] RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=2.14.0" -o /out/thumbnailer ./cmd/thumbnailer',
        "#6 DONE 71.4s",
        "#8 exporting to image",
        "#8 exporting manifest sha256:9f2c4e71b0a8d35e6c17f49a2b8d0e63c5a17f2d94b0e8c61a3f7d25e9b04c18 done",
        "#8 exporting config sha256:41d7e0c9a2f58b36e14c7a9d20f6b83e5c1a47d92e0b6f38a5c71d4e29b0f863 done",
        f"#8 naming to {IMAGE} done",
        "#8 DONE 3.1s",
        "#9 pushing layers 12.8s done",
        "Setting up QEMU is not needed on this runner, skipped",
        "ImageID: sha256:41d7e0c9a2f58b36e14c7a9d20f6b83e5c1a47d92e0b6f38a5c71d4e29b0f863",
        "Digest: sha256:9f2c4e71b0a8d35e6c17f49a2b8d0e63c5a17f2d94b0e8c61a3f7d25e9b04c18",
        "##[group]Run docker image inspect --format '{{.Os}}/{{.Architecture}}' " + IMAGE,
        "linux/arm64",
        "##[endgroup]",
        "##[group]Run kubectl -n media set image deployment/thumbnailer thumbnailer=" + IMAGE,
        "deployment.apps/thumbnailer image updated",
        "##[endgroup]",
        "Cleaning up orphan processes",
    ]
    ci.add(
        [
            at(START, t0 + index * 0.2 * (1 if index < 18 else 1.0), "INFO", line)
            for index, line in enumerate(ci_lines)
        ]
    )
    uploads = LogFile("logs/uploads-api.log", Logfmt("uploads-api", rng=rng))
    uploads.add(traffic(rng, uploads_line, START, 75, 2400))
    uploads.add(
        loud(rng, START, (RELEASE - START).total_seconds() / 60 + 1.5, 42, 460, resize_timeout)
    )
    nodes = "\n".join(
        [
            "$ kubectl get nodes -L kubernetes.io/arch,node.kubernetes.io/instance-type",
            *table(
                ("NAME", "STATUS", "ROLES", "AGE", "VERSION", "ARCH", "INSTANCE-TYPE"),
                [
                    (
                        name,
                        "Ready",
                        "<none>",
                        f"{rng.randrange(9, 40)}d",
                        "v1.28.5-eks-5e0fdde",
                        "amd64",
                        rng.choice(["m6i.2xlarge", "c6i.2xlarge"]),
                    )
                    for name in NODES
                ],
            ),
            "",
        ]
    )
    return Bundle(
        question="Thumbnails have been lagging for about 40 minutes (uploads-api shows resize timeouts and a growing retry queue). What is going on?",
        category="deployment",
        component="thumbnailer",
        statement="The thumbnailer 2.14.0 release at 13:22 UTC shipped a linux/arm64-only image (built on an arm64 runner) to amd64 nodes, so every new pod fails with 'exec /usr/local/bin/thumbnailer: exec format error' and crash-loops; the rollout stalls with only two old pods serving, and uploads-api's resize calls time out.",
        files={
            "get-pods.txt": pods_text(),
            "describe-pod.txt": re.sub(
                r"(Node:\s+ip-172-20-43-88\.ec2\.internal/)\S+",
                r"\g<1>172.20.43.88",
                describe_pod(pod, rng),
            ),
            "describe-deploy.txt": describe_deployment(deployment),
            "kubectl-logs.txt": logs,
            "get-hpa.txt": hpa_text(),
            "get-nodes.txt": nodes,
            "events.txt": event_listing(routine, signal),
            "ci-job-88213.log": ci.render(),
            "logs/uploads-api.log": uploads.render(),
        },
        proofs=[
            Proof("kubectl-logs.txt", "exec format error"),
            Proof("ci-job-88213.log", "linux/arm64"),
        ],
        decoys=[
            "no metrics returned from resource metrics API",
            "slow redis command",
            "ImagePullBackOff",
            "context deadline exceeded",
        ],
    )
