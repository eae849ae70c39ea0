# ruff: noqa: E501
# kubelet lines, kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the media chart 3.1.0 (08:41 UTC) added `securityContext.fsGroup: 2000` to
asset-thumbnailer without `fsGroupChangePolicy: OnRootMismatch`. At every mount the kubelet now
walks the 2 TiB `asset-cache` volume (about nine million small files) to chown and chmod it, so
the recreated pod sits in ContainerCreating for the best part of an hour; uploads get no
thumbnails. Decoys: an S3 SlowDown retry in upload-api, the kubelet's orphaned-pod cleanup
message, and an image pull back-off of an unrelated CronJob."""

import random
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Record, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 11, 9, 7, 55, tzinfo=UTC)
NOW = datetime(2026, 11, 9, 9, 37, tzinfo=UTC)
ROLLOUT = 46.0  # 08:41
NODE = "ip-172-31-44-208.eu-south-2.compute.internal"
NODES = [
    NODE,
    "ip-172-31-12-77.eu-south-2.compute.internal",
    "ip-172-31-29-150.eu-south-2.compute.internal",
]
POD = "asset-thumbnailer-5f7c9d6b84-vk2rd"
POD_UID = "8c1e4f27-6b3a-4d90-a5e2-91f0c7d3b468"
PVC = "pvc-3b7e91c4-2d5a-48f6-b0c9-7e1a6f48d205"


@dataclass
class KubeletJournal:
    """`journalctl -u kubelet -o short-iso` with the kubelet's klog header in each message."""

    host: str
    pid: int
    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
        letter = record.level[0] if record.level != "FATAL" else "F"
        head = f"{letter}{record.time.strftime('%m%d %H:%M:%S')}.{record.time.microsecond + (zlib.crc32(record.message.encode()) % 1000 if record.time.microsecond % 1000 == 0 else 0):06d}    {self.pid} {record.logger or 'kubelet.go:2440'}]"
        return [f"{stamp} {self.host} kubelet[{self.pid}]: {head} {record.message}"]


def kubelet_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    pod = f"{rng.choice(['upload-api', 'media-gallery', 'fluent-bit', 'node-exporter'])}-{rng.getrandbits(40):010x}"[
        :30
    ]
    roll = rng.random()
    if roll < 0.35:
        return "INFO", f'"SyncLoop (probe)" probe="readiness" status="ready" pod="media/{pod}"', ()
    if roll < 0.55:
        return "INFO", f'"SyncLoop UPDATE" source="api" pods=["media/{pod}"]', ()
    if roll < 0.7:
        return (
            "INFO",
            f'"Housekeeping took longer than expected" err="housekeeping took too long" expected="1s" actual="{1 + rng.random():.3f}s"',
            (),
        )
    if roll < 0.85:
        return "INFO", f'"Image garbage collection succeeded" freed="{rng.randrange(0, 900)}Mi"', ()
    return (
        "INFO",
        f'"Container runtime status" status="Runtime Conditions: RuntimeReady=true reason: message:, NetworkReady=true reason: message:" pod="{pod}"',
        (),
    )


HELM_DIFF = """$ helm diff upgrade media ./charts/media -n media -f values-prod.yaml   # run by CI before 3.1.0
media, asset-thumbnailer, Deployment (apps) has changed:
  # Source: media/templates/thumbnailer-deployment.yaml
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    labels:
-     helm.sh/chart: media-3.0.4
+     helm.sh/chart: media-3.1.0
    name: asset-thumbnailer
  spec:
    replicas: 1
    strategy:
      type: Recreate
    template:
      spec:
+       securityContext:
+         fsGroup: 2000
+         runAsGroup: 2000
+         runAsNonRoot: true
+         runAsUser: 2000
        containers:
        - name: thumbnailer
-         image: 384910275563.dkr.ecr.eu-south-2.amazonaws.com/media/asset-thumbnailer:2.14.1
+         image: 384910275563.dkr.ecr.eu-south-2.amazonaws.com/media/asset-thumbnailer:2.15.0
          volumeMounts:
          - mountPath: /cache
            name: cache
        volumes:
        - name: cache
          persistentVolumeClaim:
            claimName: asset-cache
media, upload-api, Deployment (apps) has changed:
-     helm.sh/chart: media-3.0.4
+     helm.sh/chart: media-3.1.0

$ kubectl -n media get pvc asset-cache
NAME          STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
asset-cache   Bound    pvc-3b7e91c4-2d5a-48f6-b0c9-7e1a6f48d205   2Ti        RWO            gp3            <unset>                 412d

# from last week's capacity review
$ kubectl -n media exec asset-thumbnailer-6c94b8d7f5-m4tzn -- sh -c 'df -i /cache'
Filesystem      Inodes   IUsed    IFree IUse% Mounted on
/dev/nvme2n1  134217728 9184433 125033295    7% /cache
"""


def bundle() -> Bundle:
    rng = random.Random(3180)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    kubelet = LogFile("journal-kubelet.txt", KubeletJournal(NODE, 1873, rng))
    kubelet.add(traffic(rng, kubelet_line, START, total, 2600))
    kubelet.add(
        [
            at(
                START,
                12.3,
                "ERROR",
                f'"Orphaned pod found, but volume paths are still present on disk" podUID="{"e4a1b7c2-93d5-4f08-8b6e-2c5d9f1a7e30"}" paths=1',
                logger="kubelet_volumes.go:160",
            ),
            at(
                START,
                ROLLOUT + 0.1,
                "INFO",
                f'"SyncLoop ADD" source="api" pods=["media/{POD}"]',
                logger="kubelet.go:2412",
            ),
            at(
                START,
                ROLLOUT + 0.2,
                "INFO",
                f'"MountVolume.MountDevice succeeded for volume \\"{PVC}\\" (UniqueName: \\"kubernetes.io/csi/ebs.csi.aws.com^vol-0c4f81e29b7a3d615\\") pod \\"{POD}\\" (UID: \\"{POD_UID}\\") device mount path \\"/var/lib/kubelet/plugins/kubernetes.io/csi/ebs.csi.aws.com/4b1f0e7d9a2c/globalmount\\"" pod="media/{POD}"',
                logger="operation_generator.go:580",
            ),
            at(
                START,
                ROLLOUT + 0.22,
                "WARN",
                f"Setting volume ownership for /var/lib/kubelet/pods/{POD_UID}/volumes/kubernetes.io~csi/{PVC}/mount and fsGroup set. If the volume has a lot of files then setting volume ownership could be slow, see https://github.com/kubernetes/kubernetes/issues/69699",
                logger="volume_linux.go:49",
            ),
        ]
    )
    for k in range(1, 26):
        kubelet.add(
            [
                at(
                    START,
                    ROLLOUT + 2.1 + k * 2.03,
                    "ERROR",
                    f'"Unable to attach or mount volumes for pod; skipping pod" err="unmounted volumes=[cache], unattached volumes=[], failed to process volumes=[]: context deadline exceeded" pod="media/{POD}"',
                    logger="pod_workers.go:1298",
                )
            ]
        )

    upload = LogFile(
        "logs/upload-api.log",
        SpringBoot(
            (
                "com.lumen.media.upload.UploadController",
                "com.lumen.media.storage.S3Store",
                "com.lumen.media.thumbs.ThumbnailClient",
            ),
            rng=rng,
            zone=ZoneInfo("Europe/Madrid"),
        ),
    )
    upload.add(
        traffic(rng, web_api("upload-api", ["uploads", "albums", "assets"]), START, total, 3300)
    )
    upload.add(
        [
            at(
                START,
                27.5,
                "WARN",
                "S3 PutObject part 4/9 for upload u-5c01d9 throttled (503 SlowDown), retry 1 succeeded",
                logger="com.lumen.media.storage.S3Store",
            )
        ]
    )
    upload.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.5,
            total - ROLLOUT - 0.5,
            700,
            fixed(
                "WARN",
                lambda r: r.choice(
                    [
                        f"thumbnail request for asset a-{r.getrandbits(32):08x} failed: Connection refused: asset-thumbnailer.media.svc.cluster.local/10.100.71.19:8080; serving placeholder",
                        f"thumbnail queue depth {r.randrange(1200, 19000)} (no consumer heartbeat for {r.randrange(60, 3300)}s)",
                    ]
                ),
            ),
        )
    )

    routine = routine_events(rng, ["upload-api", "media-gallery"], 16, NODES, namespace="media")
    signal = [
        (
            ago(ROLLOUT - 0.1),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/asset-thumbnailer",
                "Scaled down replica set asset-thumbnailer-6c94b8d7f5 to 0 from 1",
            ),
        ),
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/asset-thumbnailer",
                "Scaled up replica set asset-thumbnailer-5f7c9d6b84 to 1",
            ),
        ),
        (
            ago(ROLLOUT + 0.05),
            ("Normal", "Scheduled", f"pod/{POD}", f"Successfully assigned media/{POD} to {NODE}"),
        ),
        (
            ago(ROLLOUT + 0.15),
            (
                "Normal",
                "SuccessfulAttachVolume",
                f"pod/{POD}",
                f'AttachVolume.Attach succeeded for volume "{PVC}"',
            ),
        ),
        (
            ago(ROLLOUT + 2.2),
            (
                "Warning",
                "FailedMount",
                f"pod/{POD}",
                "Unable to attach or mount volumes: unmounted volumes=[cache], unattached volumes=[], failed to process volumes=[]: context deadline exceeded",
            ),
        ),
        (
            ago(ROLLOUT + 0.5),
            (
                "Warning",
                "VolumePermissionChangeInProgress",
                f"pod/{POD}",
                f"Setting volume ownership for /var/lib/kubelet/pods/{POD_UID}/volumes/kubernetes.io~csi/{PVC}/mount is taking longer than expected, consider using OnRootMismatch - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#configure-volume-permission-and-ownership-change-policy-for-pods",
            ),
        ),
        (
            ago(70.0),
            (
                "Warning",
                "Failed",
                "pod/media-cleanup-29378520-8xq4v",
                'Failed to pull image "384910275563.dkr.ecr.eu-south-2.amazonaws.com/media/cleanup:1.4": not found',
            ),
        ),
        (
            ago(69.8),
            (
                "Normal",
                "BackOff",
                "pod/media-cleanup-29378520-8xq4v",
                'Back-off pulling image "384910275563.dkr.ecr.eu-south-2.amazonaws.com/media/cleanup:1.4"',
            ),
        ),
    ]
    pod = Pod(
        name=POD,
        namespace="media",
        node=NODE,
        app="asset-thumbnailer",
        status="Pending",
        ip="",
        start_time="Mon, 09 Nov 2026 08:41:04 +0000",
        containers=[
            Container(
                name="thumbnailer",
                image="384910275563.dkr.ecr.eu-south-2.amazonaws.com/media/asset-thumbnailer:2.15.0",
                state=["Waiting", "  Reason:       ContainerCreating"],
                ready=False,
                limits={"memory": "3Gi"},
                requests={"cpu": "1", "memory": "2Gi"},
                environment=["CACHE_DIR:   /cache", "WORKERS:     6"],
            )
        ],
        conditions={
            "PodReadyToStartContainers": "False",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        volumes=[
            "  cache:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  asset-cache",
            "    ReadOnly:   false",
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "56m",
                "default-scheduler",
                f"Successfully assigned media/{POD} to {NODE}",
            ),
            (
                "Normal",
                "SuccessfulAttachVolume",
                "56m",
                "attachdetach-controller",
                f'AttachVolume.Attach succeeded for volume "{PVC}"',
            ),
            (
                "Warning",
                "VolumePermissionChangeInProgress",
                "55m",
                "kubelet",
                "Setting volume ownership for /var/lib/kubelet/pods/.../mount is taking longer than expected, consider using OnRootMismatch",
            ),
            (
                "Warning",
                "FailedMount",
                "2m1s (x26 over 54m)",
                "kubelet",
                "Unable to attach or mount volumes: unmounted volumes=[cache], unattached volumes=[], failed to process volumes=[]: context deadline exceeded",
            ),
        ],
    )
    text = describe_pod(pod, rng).replace(
        "IP:\nIPs:\n  IP:           \n", "IP:\nIPs:              <none>\n"
    )
    lines = [
        line
        for line in text.split("\n")
        if not line.startswith(("    Container ID:", "    Image ID:"))
    ]
    text = "\n".join(lines).replace("    Mounts:\n", "    Mounts:\n      /cache from cache (rw)\n")
    return Bundle(
        question="Since the media release this morning (around 08:40 UTC) new uploads show placeholder images instead of thumbnails. What is the root cause?",
        category="configuration",
        component="asset-thumbnailer",
        statement="Chart 3.1.0 gave asset-thumbnailer fsGroup 2000 without fsGroupChangePolicy: OnRootMismatch, so the kubelet recursively changes ownership of the 9-million-file asset-cache volume at mount and the new pod stays in ContainerCreating.",
        files={
            "kubectl-describe-pod-asset-thumbnailer.txt": text,
            "kubectl-get-events-media.txt": event_listing(routine, signal),
            "journal-kubelet.txt": kubelet.render(),
            "logs/upload-api.log": upload.render(),
            "helm-diff-and-pvc.txt": HELM_DIFF,
        },
        proofs=[
            Proof("helm-diff-and-pvc.txt", "+         fsGroup: 2000"),
            Proof("journal-kubelet.txt", "and fsGroup set. If the volume has a lot of files"),
            Proof("kubectl-describe-pod-asset-thumbnailer.txt", "VolumePermissionChangeInProgress"),
        ],
        decoys=[
            "503 SlowDown",
            "Orphaned pod found, but volume paths are still present on disk",
            "Back-off pulling image",
        ],
    )
