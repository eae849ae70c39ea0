# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: thumbnailer 3.8 rolled out at 14:02 Berlin time (12:02 UTC). The Deployment has
one replica, a ReadWriteOnce PVC (`thumbnailer-cache`) and the default RollingUpdate strategy, so
the surge pod lands on another node while the old pod still holds the volume: the attach/detach
controller reports a Multi-Attach error, the new pod stays ContainerCreating and the rollout hits
its progress deadline. Decoys: a readiness failure on image-proxy, an S3 slow-down retry in the
old thumbnailer log, and a node's image GC event."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import JsonLines
from scenes import at
from traffic import traffic, web_api

START = datetime(2026, 10, 14, 11, 15, tzinfo=UTC)
NOW = datetime(2026, 10, 14, 12, 48, tzinfo=UTC)
ROLLOUT = 47.0  # 12:02 UTC
BERLIN = ZoneInfo("Europe/Berlin")
NODES = [
    "aks-media-31947206-vmss000004",
    "aks-media-31947206-vmss000007",
    "aks-media-31947206-vmss00000a",
]
PVC = "pvc-6d1e0b92-7a4f-4c83-9e25-0f3b8a61c7d4"


def bundle() -> Bundle:
    rng = random.Random(6031)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    old = LogFile(
        "logs/thumbnailer-5b7f9c8d64-qz2xw.log",
        JsonLines("thumbnailer", keys=("time", "severity", "message"), rng=rng, zone=BERLIN),
    )
    old.add(
        traffic(
            rng, web_api("thumbnailer", ["thumbnails", "renditions", "jobs"]), START, total, 3400
        )
    )
    old.add(
        [
            at(
                START,
                21.4,
                "WARN",
                "s3 PutObject media-renditions-prod: SlowDown, retrying in 400ms (attempt 2/5) -> ok",
            ),
            at(
                START,
                30.2,
                "INFO",
                "cache volume /var/cache/thumbnailer mounted, 38.2 GiB used of 50 GiB",
            ),
        ]
    )

    proxy = LogFile(
        "logs/image-proxy.log",
        JsonLines("image-proxy", keys=("time", "severity", "message"), rng=rng, zone=BERLIN),
    )
    proxy.add(traffic(rng, web_api("image-proxy", ["images", "thumbs"]), START, total, 2600))

    new_pod = Pod(
        name="thumbnailer-8c4d2f7b95-m6tjr",
        namespace="media",
        node=NODES[2],
        app="thumbnailer",
        status="Pending",
        start_time="Wed, 14 Oct 2026 14:02:09 +0200",
        ip="10.244.7.31",
        containers=[
            Container(
                name="thumbnailer",
                image="mediaacr.azurecr.io/media/thumbnailer:3.8.0",
                state=["Waiting", "  Reason:       ContainerCreating"],
                ready=False,
                limits={"cpu": "2", "memory": "2Gi"},
                requests={"cpu": "500m", "memory": "1Gi"},
            )
        ],
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        volumes=[
            "  cache:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  thumbnailer-cache",
            "    ReadOnly:   false",
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "46m",
                "default-scheduler",
                f"Successfully assigned media/thumbnailer-8c4d2f7b95-m6tjr to {NODES[2]}",
            ),
            (
                "Warning",
                "FailedAttachVolume",
                "46m",
                "attachdetach-controller",
                f'Multi-Attach error for volume "{PVC}" Volume is already used by pod(s) thumbnailer-5b7f9c8d64-qz2xw',
            ),
            (
                "Warning",
                "FailedMount",
                "2m (x21 over 44m)",
                "kubelet",
                "Unable to attach or mount volumes: unmounted volumes=[cache], unattached volumes=[cache kube-api-access-5qk2d]: timed out waiting for the condition",
            ),
        ],
    )
    describe = "$ kubectl -n media describe pod thumbnailer-8c4d2f7b95-m6tjr\n" + describe_pod(
        new_pod, rng
    )

    get_text = "\n".join(
        [
            "$ kubectl -n media get pods -o wide -l app=thumbnailer",
            "NAME                           READY   STATUS              RESTARTS   AGE   IP            NODE                            NOMINATED NODE   READINESS GATES",
            f"thumbnailer-5b7f9c8d64-qz2xw   1/1     Running             0          6d    10.244.4.18   {NODES[0]}   <none>           <none>",
            f"thumbnailer-8c4d2f7b95-m6tjr   0/1     ContainerCreating   0          46m   <none>        {NODES[2]}   <none>           <none>",
            "",
            "$ kubectl -n media get pvc thumbnailer-cache",
            "NAME                STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS      AGE",
            f"thumbnailer-cache   Bound    {PVC}   50Gi       RWO            managed-csi-premium   211d",
            "",
            "$ kubectl -n media get deploy thumbnailer -o yaml | sed -n '/^spec:/,/^status:/p' | grep -v '^    *-\\? *$'",
            "spec:",
            "  progressDeadlineSeconds: 600",
            "  replicas: 1",
            "  revisionHistoryLimit: 10",
            "  selector:",
            "    matchLabels:",
            "      app: thumbnailer",
            "  strategy:",
            "    rollingUpdate:",
            "      maxSurge: 25%",
            "      maxUnavailable: 25%",
            "    type: RollingUpdate",
            "  template:",
            "    metadata:",
            "      labels:",
            "        app: thumbnailer",
            "    spec:",
            "      containers:",
            "      - image: mediaacr.azurecr.io/media/thumbnailer:3.8.0",
            "        name: thumbnailer",
            "        volumeMounts:",
            "        - mountPath: /var/cache/thumbnailer",
            "          name: cache",
            "      volumes:",
            "      - name: cache",
            "        persistentVolumeClaim:",
            "          claimName: thumbnailer-cache",
            "status:",
            "  conditions:",
            '  - lastTransitionTime: "2026-10-14T12:12:10Z"',
            '    message: ReplicaSet "thumbnailer-8c4d2f7b95" has timed out progressing.',
            "    reason: ProgressDeadlineExceeded",
            '    status: "False"',
            "    type: Progressing",
            "",
        ]
    )

    routine = routine_events(
        rng, ["image-proxy", "upload-api", "transcoder"], 26, NODES, namespace="media"
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/thumbnailer",
                "Scaled up replica set thumbnailer-8c4d2f7b95 to 1",
            ),
        ),
        (
            ago(ROLLOUT + 0.2),
            (
                "Warning",
                "FailedAttachVolume",
                "pod/thumbnailer-8c4d2f7b95-m6tjr",
                f'Multi-Attach error for volume "{PVC}" Volume is already used by pod(s) thumbnailer-5b7f9c8d64-qz2xw',
            ),
        ),
        (
            ago(ROLLOUT + 10.1),
            (
                "Warning",
                "ProgressDeadlineExceeded",
                "deployment/thumbnailer",
                'Deployment "thumbnailer" has timed out progressing: ReplicaSet "thumbnailer-8c4d2f7b95" has timed out progressing.',
            ),
        ),
        (
            ago(36),
            (
                "Warning",
                "Unhealthy",
                "pod/image-proxy-6f9b8c7d5-2ndlh",
                'Readiness probe failed: Get "http://10.244.5.62:8081/readyz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            ago(58),
            (
                "Warning",
                "ImageGCFailed",
                f"node/{NODES[1]}",
                "failed to garbage collect required amount of images. Attempted to free 1843209216 bytes, but only found 0 bytes eligible to free.",
            ),
        ),
    ]
    events = "$ kubectl -n media get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    pipeline = "\n".join(
        [
            "[14:02:04] Deploying thumbnailer 3.8.0 to aks-media-prod/media",
            "[14:02:05] deployment.apps/thumbnailer image updated",
            "[14:02:05] $ kubectl -n media rollout status deploy/thumbnailer --timeout=15m",
            '[14:02:05] Waiting for deployment "thumbnailer" rollout to finish: 0 out of 1 new replicas have been updated...',
            '[14:02:06] Waiting for deployment "thumbnailer" rollout to finish: 1 old replicas are pending termination...',
            '[14:12:11] error: deployment "thumbnailer" exceeded its progress deadline',
            "[14:12:11] ##[error]Bash exited with code '1'.",
            "",
        ]
    )

    return Bundle(
        question="The thumbnailer 3.8 release started at 14:02 (Berlin) and the pipeline failed with 'exceeded its progress deadline'; the new pod has been ContainerCreating for 45 minutes. What is blocking it?",
        category="deployment",
        component="thumbnailer",
        statement="thumbnailer runs one replica with a ReadWriteOnce PVC (thumbnailer-cache) under the RollingUpdate strategy, so the 3.8 surge pod scheduled on another node cannot attach the volume still used by the old pod (Multi-Attach error); it stays ContainerCreating and the rollout exceeds its progress deadline.",
        files={
            "kubectl-describe-pod-thumbnailer.txt": describe,
            "kubectl-get-thumbnailer.txt": get_text,
            "kubectl-get-events.txt": events,
            "logs/thumbnailer-5b7f9c8d64-qz2xw.log": old.render(),
            "logs/image-proxy.log": proxy.render(),
            "pipeline-thumbnailer.txt": pipeline,
        },
        proofs=[
            Proof("kubectl-describe-pod-thumbnailer.txt", "Multi-Attach error for volume"),
            Proof("kubectl-get-thumbnailer.txt", "RWO            managed-csi-premium"),
            Proof("kubectl-get-thumbnailer.txt", "type: RollingUpdate"),
        ],
        decoys=[
            'Readiness probe failed: Get "http://10.244.5.62:8081/readyz"',
            "SlowDown, retrying in 400ms",
            "failed to garbage collect required amount of images",
        ],
    )
