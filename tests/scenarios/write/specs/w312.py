# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the 09:14 UTC release of thumbnailer set the image to
`ghcr.io/pictora/thumbnailer:v2.31.0`, but the CI pipeline pushes tags without the `v`
(`2.31.0`). The new ReplicaSet's pods sit in ErrImagePull/ImagePullBackOff ("not found"), the
rollout stalls at ProgressDeadlineExceeded with one old pod already scaled away, and the remaining
workers cannot keep up: the render queue backlog grows. Decoys: a Docker Hub rate-limit pull
failure for an unrelated pod in another namespace, a Redis latency warning in the worker, and a
node's brief NotReady."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import (
    Container,
    Deployment,
    Pod,
    describe_deployment,
    describe_pod,
    event_listing,
    routine_events,
)
from records import JsonLines
from scenes import at, fixed, loud
from traffic import traffic, worker

START = datetime(2026, 6, 2, 8, 50, tzinfo=UTC)
NOW = datetime(2026, 6, 2, 10, 3, tzinfo=UTC)
RELEASE = 24.0  # 09:14
NS = "media"
NEW = "thumbnailer-84c6f9d7b5-pk5zr"
IMAGE = "ghcr.io/pictora/thumbnailer:v2.31.0"
NODES = [
    "gke-prod-media-pool-2c91a7e4-8kqz",
    "gke-prod-media-pool-2c91a7e4-v3tn",
    "gke-prod-media-pool-2c91a7e4-x0mw",
]
PULL = 'Failed to pull image "ghcr.io/pictora/thumbnailer:v2.31.0": rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/pictora/thumbnailer:v2.31.0": failed to resolve reference "ghcr.io/pictora/thumbnailer:v2.31.0": ghcr.io/pictora/thumbnailer:v2.31.0: not found'


def bundle() -> Bundle:
    rng = random.Random(31206)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    pod = Pod(
        name=NEW,
        namespace=NS,
        node=NODES[2],
        app="thumbnailer",
        ip="10.52.3.41",
        start_time="Tue, 02 Jun 2026 09:14:07 +0000",
        status="Pending",
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                name="thumbnailer",
                image=IMAGE,
                state=["Waiting", "  Reason:       ImagePullBackOff"],
                ready=False,
                restarts=0,
                limits={"cpu": "4", "memory": "3Gi"},
                requests={"cpu": "2", "memory": "2Gi"},
                environment=[
                    "QUEUE_URL:     redis://render-queue.media.svc:6379/2",
                    "CONCURRENCY:   6",
                ],
            )
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "49m",
                "default-scheduler",
                f"Successfully assigned {NS}/{NEW} to {NODES[2]}",
            ),
            ("Normal", "Pulling", "47m (x4 over 49m)", "kubelet", f'Pulling image "{IMAGE}"'),
            ("Warning", "Failed", "47m (x4 over 49m)", "kubelet", PULL),
            ("Warning", "Failed", "47m (x4 over 49m)", "kubelet", "Error: ErrImagePull"),
            (
                "Normal",
                "BackOff",
                "4m1s (x208 over 49m)",
                "kubelet",
                f'Back-off pulling image "{IMAGE}"',
            ),
            ("Warning", "Failed", "4m1s (x208 over 49m)", "kubelet", "Error: ImagePullBackOff"),
        ],
    )
    deploy = Deployment(
        name="thumbnailer",
        namespace=NS,
        image=IMAGE,
        replicas="4 desired | 1 updated | 4 total | 3 available | 1 unavailable",
        conditions=[
            ("Available", "True", "MinimumReplicasAvailable"),
            ("Progressing", "False", "ProgressDeadlineExceeded"),
        ],
        old_replica_set="thumbnailer-6b7f5c8d94 (3/3 replicas created)",
        new_replica_set="thumbnailer-84c6f9d7b5 (1/1 replicas created)",
        events=[
            (
                "Normal",
                "ScalingReplicaSet",
                "49m",
                "deployment-controller",
                "Scaled up replica set thumbnailer-84c6f9d7b5 to 1",
            ),
            (
                "Normal",
                "ScalingReplicaSet",
                "49m",
                "deployment-controller",
                "Scaled down replica set thumbnailer-6b7f5c8d94 to 3 from 4",
            ),
        ],
    )
    describe = (
        f"$ kubectl -n {NS} describe deploy thumbnailer\n"
        + describe_deployment(deploy)
        + f"\n$ kubectl -n {NS} describe pod {NEW}\n"
        + describe_pod(pod, rng)
    )
    get_pods = "\n".join(
        [
            f"$ kubectl -n {NS} get pods -l app=thumbnailer -o wide",
            "NAME                           READY   STATUS             RESTARTS   AGE   IP            NODE                                NOMINATED NODE   READINESS GATES",
            f"thumbnailer-6b7f5c8d94-7mdxq   1/1     Running            0          9d    10.52.1.18    {NODES[0]}   <none>           <none>",
            f"thumbnailer-6b7f5c8d94-gw2lc   1/1     Running            0          9d    10.52.2.77    {NODES[1]}   <none>           <none>",
            f"thumbnailer-6b7f5c8d94-r4n8v   1/1     Running            0          4d    10.52.3.12    {NODES[2]}   <none>           <none>",
            f"thumbnailer-84c6f9d7b5-pk5zr   0/1     ImagePullBackOff   0          49m   10.52.3.41    {NODES[2]}   <none>           <none>",
            "",
        ]
    )
    ci = "\n".join(
        [
            "Run docker/build-push-action@v5 (release thumbnailer, run #1874, 2026-06-02T09:06:52Z)",
            "#14 exporting to image",
            "#14 exporting layers 11.8s done",
            "#14 writing image sha256:5f0e2b9c47a1d83e6c0b95f7d1a2e4c3b6f9087d2e1c4a5b3f6d9e8c7a0b1d2e done",
            "#14 naming to ghcr.io/pictora/thumbnailer:2.31.0 done",
            "#14 pushing ghcr.io/pictora/thumbnailer:2.31.0 with docker",
            "#14 pushing layer 3c1f7a9e2b4d 41.2MB / 41.2MB 6.1s done",
            "#14 DONE 19.4s",
            "Run helm upgrade thumbnailer charts/thumbnailer -n media --set image.tag=v${{ github.ref_name }}",
            'Release "thumbnailer" has been upgraded. Happy Helming!',
            "NAME: thumbnailer",
            "LAST DEPLOYED: Tue Jun  2 09:14:05 2026",
            "NAMESPACE: media",
            "STATUS: deployed",
            "REVISION: 57",
            "",
        ]
    )
    routine = routine_events(
        rng, ["upload-api", "gallery-web", "render-queue"], 16, NODES, namespace=NS
    )
    signal = [
        (
            ago(RELEASE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/thumbnailer",
                "Scaled up replica set thumbnailer-84c6f9d7b5 to 1",
            ),
        ),
        (
            ago(RELEASE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/thumbnailer",
                "Scaled down replica set thumbnailer-6b7f5c8d94 to 3 from 4",
            ),
        ),
        (ago(RELEASE + 0.1), ("Warning", "Failed", f"pod/{NEW}", PULL)),
        (
            ago(RELEASE + 10.5),
            (
                "Warning",
                "ProgressDeadlineExceeded",
                "deployment/thumbnailer",
                'ReplicaSet "thumbnailer-84c6f9d7b5" has timed out progressing.',
            ),
        ),
        (240, ("Warning", "Failed", f"pod/{NEW}", "Error: ImagePullBackOff")),
        (
            ago(8),
            (
                "Warning",
                "Failed",
                "pod/log-shipper-9tq4x",
                'Failed to pull image "fluent/fluent-bit:3.0.4": rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/fluent/fluent-bit:3.0.4": 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.',
            ),
        ),
        (
            ago(52),
            (
                "Normal",
                "NodeNotReady",
                f"node/{NODES[1]}",
                f"Node {NODES[1]} status is now: NodeNotReady",
            ),
        ),
        (
            ago(52.8),
            (
                "Normal",
                "NodeReady",
                f"node/{NODES[1]}",
                f"Node {NODES[1]} status is now: NodeReady",
            ),
        ),
    ]
    events = f"$ kubectl -n {NS} get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )
    wk = LogFile("logs/thumbnailer-6b7f5c8d94-7mdxq.log", JsonLines("thumbnailer", rng=rng))
    wk.add(
        traffic(
            rng, worker("thumbnailer", ["render.thumbs", "render.previews"]), START, total, 3600
        )
    )
    wk.add(
        [
            at(
                START,
                17.3,
                "WARN",
                "redis: slow reply from render-queue.media.svc:6379 (BLMOVE 412ms), continuing",
            )
        ]
    )
    level = 40
    for minute in range(int(RELEASE) + 2, int(total), 3):
        level += rng.randrange(70, 140)
        wk.add(
            [
                at(
                    START,
                    minute + 0.37,
                    "INFO",
                    f"queue stats render.thumbs depth={level} consumers=3 oldest_job_age={level // 9}s",
                )
            ]
        )
    for minute in range(2, int(RELEASE), 4):
        wk.add(
            [
                at(
                    START,
                    minute + 0.37,
                    "INFO",
                    f"queue stats render.thumbs depth={rng.randrange(10, 60)} consumers=4 oldest_job_age={rng.randrange(1, 8)}s",
                )
            ]
        )
    wk.add(
        loud(
            rng,
            START,
            RELEASE + 20,
            total - RELEASE - 21,
            80,
            fixed(
                "WARN",
                lambda r: (
                    f"job {r.getrandbits(48):012x} waited {r.randrange(120, 900)}s in queue before start (SLA 60s)"
                ),
            ),
        )
    )
    return Bundle(
        question="Thumbnails for new uploads are taking many minutes to appear and the render queue keeps growing since around 09:15 UTC. What is going on?",
        category="deployment",
        component="thumbnailer",
        statement="The 09:14 UTC thumbnailer deploy points at image tag v2.31.0, but CI pushed the image as 2.31.0; the new pod cannot pull it (not found, ImagePullBackOff), the rollout stalls at ProgressDeadlineExceeded after removing one old worker, and three workers cannot keep up with the queue.",
        files={
            "kubectl-describe.txt": describe,
            "kubectl-get-pods.txt": get_pods,
            "kubectl-get-events.txt": events,
            "ci-release-1874.log": ci,
            "logs/thumbnailer-6b7f5c8d94-7mdxq.log": wk.render(),
        },
        proofs=[
            Proof("kubectl-describe.txt", "kubelet             Failed to pull image"),
            Proof("ci-release-1874.log", "#14 naming to ghcr.io/pictora/thumbnailer:2.31.0"),
            Proof("ci-release-1874.log", "--set image.tag=v${{ github.ref_name }}"),
        ],
        decoys=[
            "toomanyrequests: You have reached your pull rate limit",
            "BLMOVE 412ms",
            "status is now: NodeNotReady",
        ],
    )
