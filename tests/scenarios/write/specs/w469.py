# ruff: noqa: E501
# Log lines, kubectl rows and kubelet lines are data, kept whole on one line.
"""Kubernetes: node ip-10-42-7-19 keeps containerd's images on its own 50 GiB volume. A
nightly model-training job pulled three 14 GiB image versions there; image garbage
collection cannot free them because a stuck pod still uses one. From 05:50 (UTC-3) the
imagefs is full: kubelet reports ImageGCFailed, and every pod scheduled there since the 06:00
rollout of catalog-api fails with ErrImagePull `no space left on device`; the rollout stalls and
catalog-api runs at reduced capacity with slow searches. Decoys: a CoreDNS i/o timeout, an
ECR token refresh warning and a catalog-api cache warm-up warning."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Journal, Logfmt
from scenes import at, loud
from traffic import traffic, web_api

BRT = timezone(timedelta(hours=-3))
START = datetime(2026, 4, 14, 8, 0, tzinfo=UTC)  # 05:00 BRT
NOW = datetime(2026, 4, 14, 9, 35, tzinfo=UTC)
FULL = 50.0  # 08:50 UTC, 05:50 BRT
ROLLOUT = 61.0  # 09:01 UTC, 06:01 BRT
NODE = "ip-10-42-7-19.sa-east-1.compute.internal"


def bundle() -> Bundle:
    rng = random.Random(46903)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    kubelet = LogFile(
        "journal-kubelet-ip-10-42-7-19.txt", Journal("ip-10-42-7-19", "kubelet", 2291)
    )
    for minute in range(2, int(total), 3):
        kubelet.add(
            [
                at(
                    START,
                    minute + 0.1,
                    "INFO",
                    f'I0414 {(START + timedelta(minutes=minute)).strftime("%H:%M:%S")}.{rng.randrange(10**6):06d}    2291 kubelet_getters.go:218] "Pod status updated" pod="ml/trainer-nightly-28551840-6tq9x" status="Running"',
                )
            ]
        )
    kubelet.add(
        [
            at(
                START,
                12.0,
                "INFO",
                'I0414 08:12:40.311872    2291 image_gc_manager.go:391] "Disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold" usage=86 highThreshold=85 amountToFree=1288490188 lowThreshold=80',
            ),
            at(
                START,
                12.05,
                "INFO",
                'I0414 08:12:43.004117    2291 image_gc_manager.go:434] "Image garbage collection freed bytes" bytesFreed=412117223',
            ),
            at(
                START,
                FULL,
                "WARN",
                'E0414 08:50:02.718204    2291 kubelet.go:1522] "Image garbage collection failed multiple times in a row" err="failed to garbage collect required amount of images. Attempted to free 9663676416 bytes, but only found 0 bytes eligible to free."',
            ),
            at(
                START,
                FULL + 0.2,
                "INFO",
                'I0414 08:50:14.120945    2291 eviction_manager.go:366] "Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"',
            ),
            at(
                START,
                FULL + 0.25,
                "INFO",
                'I0414 08:50:14.121388    2291 eviction_manager.go:377] "Eviction manager: must evict pod(s) to reclaim" resourceName="ephemeral-storage"',
            ),
            at(
                START,
                FULL + 0.3,
                "WARN",
                'E0414 08:50:14.121544    2291 eviction_manager.go:395] "Eviction manager: eviction thresholds have been met, but no pods are active to evict"',
            ),
            at(
                START,
                30.0,
                "WARN",
                'E0414 08:30:11.501286    2291 dns.go:153] "Nameserver limits exceeded" err="Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.42.0.2 169.254.169.253 10.42.0.10"',
            ),
            at(
                START,
                ROLLOUT + 0.4,
                "ERROR",
                'E0414 09:01:37.882016    2291 remote_image.go:180] "PullImage from image service failed" err="rpc error: code = Unknown desc = failed to pull and unpack image \\"123456789012.dkr.ecr.sa-east-1.amazonaws.com/catalog-api:7.3.0\\": failed to extract layer sha256:9b1c44ad0e0f: write /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/4811/fs/usr/lib/x86_64-linux-gnu/libicudata.so.72.1: no space left on device: unknown" image="123456789012.dkr.ecr.sa-east-1.amazonaws.com/catalog-api:7.3.0"',
            ),
        ]
    )
    kubelet.add(
        loud(
            rng,
            START,
            ROLLOUT + 1,
            total - ROLLOUT - 2,
            40,
            lambda r: (
                "ERROR",
                f'E0414 {r.randrange(9, 10):02d}:{r.randrange(2, 34):02d}:{r.randrange(60):02d}.{r.randrange(10**6):06d}    2291 pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"catalog-api\\" with ImagePullBackOff: \\"Back-off pulling image \\\\\\"123456789012.dkr.ecr.sa-east-1.amazonaws.com/catalog-api:7.3.0\\\\\\"\\"" pod="shop/catalog-api-7f6d8c5b9-{r.choice(["wq2rt", "n8xkd"])}"',
                (),
            ),
        )
    )

    app = LogFile("logs/catalog-api.log", Logfmt("catalog-api", rng=rng))
    app.add(traffic(rng, web_api("catalog-api", ["products", "search"]), START, total, 3900))
    app.add(
        loud(
            rng,
            START,
            ROLLOUT + 3,
            total - ROLLOUT - 4,
            380,
            lambda r: (
                "WARN",
                f"slow request GET /api/v1/search?q=... took {r.randrange(2600, 7900)}ms (threshold 1000ms) inflight={r.randrange(60, 95)}",
                (),
            ),
        )
    )
    app.add(
        [
            at(
                START,
                ROLLOUT + 2.0,
                "WARN",
                "cache warm-up incomplete after 45s (loaded 71% of hot keys)",
            )
        ]
    )
    app.add([at(START, 22.0, "WARN", "ecr credential helper: token expires in 29m, refreshing")])

    pod = Pod(
        name="catalog-api-7f6d8c5b9-wq2rt",
        namespace="shop",
        node=NODE,
        app="catalog-api",
        status="Pending",
        ip="10.42.7.201",
        start_time="Tue, 14 Apr 2026 06:01:09 -0300",
        containers=[
            Container(
                name="catalog-api",
                image="123456789012.dkr.ecr.sa-east-1.amazonaws.com/catalog-api:7.3.0",
                state=["Waiting", "  Reason:       ImagePullBackOff"],
                ready=False,
                limits={"cpu": "2", "memory": "2Gi"},
                requests={"cpu": "1", "memory": "1536Mi"},
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
                "Scheduled",
                "33m",
                "default-scheduler",
                f"Successfully assigned shop/catalog-api-7f6d8c5b9-wq2rt to {NODE}",
            ),
            (
                "Normal",
                "Pulling",
                "31m (x4 over 33m)",
                "kubelet",
                'Pulling image "123456789012.dkr.ecr.sa-east-1.amazonaws.com/catalog-api:7.3.0"',
            ),
            (
                "Warning",
                "Failed",
                "31m (x4 over 33m)",
                "kubelet",
                'Failed to pull image "123456789012.dkr.ecr.sa-east-1.amazonaws.com/catalog-api:7.3.0": failed to pull and unpack image: failed to extract layer sha256:9b1c44ad0e0f: no space left on device: unknown',
            ),
            ("Warning", "Failed", "31m (x4 over 33m)", "kubelet", "Error: ErrImagePull"),
            (
                "Normal",
                "BackOff",
                "2m (x131 over 33m)",
                "kubelet",
                'Back-off pulling image "123456789012.dkr.ecr.sa-east-1.amazonaws.com/catalog-api:7.3.0"',
            ),
            ("Warning", "Failed", "2m (x131 over 33m)", "kubelet", "Error: ImagePullBackOff"),
        ],
    )
    node_text = "\n".join(
        [
            f"$ kubectl describe node {NODE} | sed -n '/Conditions:/,/Addresses:/p'",
            "Conditions:",
            "  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message",
            "  ----             ------  -----------------                 ------------------                ------                       -------",
            "  MemoryPressure   False   Tue, 14 Apr 2026 06:33:51 -0300   Fri, 10 Apr 2026 22:04:12 -0300   KubeletHasSufficientMemory   kubelet has sufficient memory available",
            "  DiskPressure     True    Tue, 14 Apr 2026 06:33:51 -0300   Tue, 14 Apr 2026 05:50:14 -0300   KubeletHasDiskPressure       kubelet has disk pressure",
            "  PIDPressure      False   Tue, 14 Apr 2026 06:33:51 -0300   Fri, 10 Apr 2026 22:04:12 -0300   KubeletHasSufficientPID      kubelet has sufficient PID available",
            "  Ready            True    Tue, 14 Apr 2026 06:33:51 -0300   Fri, 10 Apr 2026 22:04:31 -0300   KubeletReady                 kubelet is posting ready status",
            "",
            "$ kubectl debug node/ip-10-42-7-19.sa-east-1.compute.internal -it --image=busybox -- df -h /host/var/lib/containerd /host",
            "Filesystem                Size      Used Available Use% Mounted on",
            "/dev/nvme1n1             49.0G     49.0G         0 100% /host/var/lib/containerd",
            "/dev/nvme0n1p1           20.0G      6.1G     13.9G  31% /host",
            "",
            "$ kubectl debug node/ip-10-42-7-19.sa-east-1.compute.internal -it --image=busybox -- chroot /host crictl images | sort -k4 -h | tail -4",
            "123456789012.dkr.ecr.sa-east-1.amazonaws.com/catalog-api      7.2.4               4c0d1e2f5a6b3   412MB",
            "123456789012.dkr.ecr.sa-east-1.amazonaws.com/ml/trainer       2026.04.12          0e3a9b71c2d44   14.2GB",
            "123456789012.dkr.ecr.sa-east-1.amazonaws.com/ml/trainer       2026.04.13          8d12f0c6ab391   14.3GB",
            "123456789012.dkr.ecr.sa-east-1.amazonaws.com/ml/trainer       2026.04.14          f71be2a4c9d05   14.3GB",
            "",
        ]
    )
    routine = routine_events(
        rng,
        ["catalog-api", "cart", "search-indexer"],
        16,
        [
            "ip-10-42-5-88.sa-east-1.compute.internal",
            "ip-10-42-6-12.sa-east-1.compute.internal",
            NODE,
        ],
        namespace="shop",
    )
    signal = [
        (
            ago(FULL),
            (
                "Warning",
                "ImageGCFailed",
                f"node/{NODE}",
                "failed to garbage collect required amount of images. Attempted to free 9663676416 bytes, but only found 0 bytes eligible to free.",
            ),
        ),
        (
            ago(FULL + 0.3),
            (
                "Normal",
                "NodeHasDiskPressure",
                f"node/{NODE}",
                f"Node {NODE} status is now: NodeHasDiskPressure",
            ),
        ),
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/catalog-api",
                "Scaled up replica set catalog-api-7f6d8c5b9 to 2",
            ),
        ),
        (
            ago(ROLLOUT + 0.2),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/catalog-api",
                "Scaled down replica set catalog-api-5c4b9d7f6 to 4 from 6",
            ),
        ),
        (
            ago(40.0),
            (
                "Warning",
                "DNSConfigForming",
                "pod/cart-5d8c7b6f4-9ts2m",
                "Search Line limits were exceeded, some search paths have been omitted",
            ),
        ),
        (120, ("Warning", "Failed", "pod/catalog-api-7f6d8c5b9-n8xkd", "Error: ImagePullBackOff")),
    ]
    events = event_listing(routine, signal)
    return Bundle(
        question="Since about 06:00 (UTC-3) catalog searches are slow and the catalog-api 7.3.0 rollout is stuck with two pods in ImagePullBackOff. What is the root cause?",
        category="disk",
        component="ip-10-42-7-19.sa-east-1.compute.internal",
        statement="The image filesystem (/var/lib/containerd, 50 GiB) of node ip-10-42-7-19 is full of 14 GiB ml/trainer images that image GC cannot remove (ImageGCFailed, DiskPressure since 05:50), so the new catalog-api pods placed on it fail to extract layers with `no space left on device` and the rollout stalls at reduced capacity.",
        files={
            "kubectl-describe-pod.txt": describe_pod(pod, rng),
            "kubectl-node.txt": node_text,
            "kubectl-get-events.txt": events,
            kubelet.name: kubelet.render(),
            app.name: app.render(),
        },
        proofs=[
            Proof("kubectl-node.txt", "/dev/nvme1n1             49.0G"),
            Proof(kubelet.name, '"Image garbage collection failed multiple times in a row"'),
            Proof(
                "kubectl-describe-pod.txt",
                "failed to extract layer sha256:9b1c44ad0e0f: no space left on device",
            ),
        ],
        decoys=[
            "Nameserver limits exceeded",
            "ecr credential helper: token expires",
            "cache warm-up incomplete after 45s",
        ],
    )
