# ruff: noqa: E501
# kubelet lines, kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the new gpu-l4 node group is tainted `nvidia.com/gpu=present:NoSchedule`, and the
ebs-csi-node DaemonSet (installed from an old manifest) tolerates only CriticalAddonsOnly, so no
CSI node plugin runs on those nodes. When model-server 4.0 moved onto them at 13:05 UTC its pods
could not mount their EBS model-cache volumes (`driver name ebs.csi.aws.com not found in the list
of registered CSI drivers`) and stay in ContainerCreating; the inference gateway has no live
upstreams. Decoys: an early FailedScheduling for `nvidia.com/gpu` cleared by the autoscaler,
the kubelet's system container stats error, and a client body too large in the gateway."""

import random
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod
from records import NginxAccess, NginxError, Record
from scenes import at, fixed, loud
from traffic import http_access, traffic

START = datetime(2026, 11, 2, 12, 15, tzinfo=UTC)
NOW = datetime(2026, 11, 2, 14, 10, tzinfo=UTC)
RELEASE = 50.0  # 13:05
NODE = "ip-10-16-40-77.ap-northeast-1.compute.internal"
POD = "model-server-7c5f8b9d46-rk4wz"
PVC = "pvc-9e2d4c71-5b3a-4f08-a6c1-83d7e0b5f924"
MOUNT_ERR = f'MountVolume.MountDevice failed for volume "{PVC}" : kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: driver name ebs.csi.aws.com not found in the list of registered CSI drivers'


@dataclass
class KubeletJournal:
    """`journalctl -u kubelet` (short-precise) with the kubelet's klog header."""

    host: str

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%b %d %H:%M:%S.")
            + f"{record.time.microsecond + (zlib.crc32(record.message.encode()) % 1000 if record.time.microsecond % 1000 == 0 else 0):06d}"
        )
        letter = record.level[0]
        return [
            f"{stamp} {self.host.split('.')[0]} kubelet[2614]: {letter}{record.time.strftime('%m%d %H:%M:%S')}.{record.time.microsecond + (zlib.crc32(record.message.encode()) % 1000 if record.time.microsecond % 1000 == 0 else 0):06d}    2614 {record.logger or 'kubelet.go:2455'}] {record.message}"
        ]


def kubelet_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    pod = rng.choice(
        [
            "nvidia-device-plugin-daemonset-x7v2q",
            "kube-proxy-4nq8d",
            "aws-node-t6m2l",
            "dcgm-exporter-9p4kc",
        ]
    )
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f'"SyncLoop (probe)" probe="readiness" status="ready" pod="kube-system/{pod}"',
            (),
        )
    if roll < 0.7:
        return "INFO", f'"SyncLoop UPDATE" source="api" pods=["kube-system/{pod}"]', ()
    if roll < 0.9:
        return "INFO", f'"Image garbage collection succeeded" freed="{rng.randrange(0, 500)}Mi"', ()
    return (
        "INFO",
        f'"Housekeeping took longer than expected" err="housekeeping took too long" expected="1s" actual="{1 + rng.random():.3f}s"',
        (),
    )


NOTES = """$ kubectl -n kube-system get ds
NAME                             DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR              AGE
aws-node                         9         9         9       9            9           <none>                     301d
dcgm-exporter                    3         3         3       3            3           nvidia.com/gpu.present=true 7d
ebs-csi-node                     6         6         6       6            6           kubernetes.io/os=linux     301d
kube-proxy                       9         9         9       9            9           <none>                     301d
nvidia-device-plugin-daemonset   3         3         3       3            3           <none>                     7d

$ kubectl -n kube-system get ds ebs-csi-node -o yaml | yq '.spec.template.spec.tolerations'
- key: CriticalAddonsOnly
  operator: Exists
- effect: NoExecute
  operator: Exists
  tolerationSeconds: 300

$ kubectl get nodes -l eks.amazonaws.com/nodegroup=gpu-l4 -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints
NAME                                              TAINTS
ip-10-16-40-77.ap-northeast-1.compute.internal    [map[effect:NoSchedule key:nvidia.com/gpu value:present]]
ip-10-16-41-180.ap-northeast-1.compute.internal   [map[effect:NoSchedule key:nvidia.com/gpu value:present]]
ip-10-16-42-23.ap-northeast-1.compute.internal    [map[effect:NoSchedule key:nvidia.com/gpu value:present]]

$ kubectl get csinodes
NAME                                              DRIVERS   AGE
ip-10-16-10-14.ap-northeast-1.compute.internal    1         44d
ip-10-16-11-203.ap-northeast-1.compute.internal   1         44d
ip-10-16-12-90.ap-northeast-1.compute.internal    1         44d
ip-10-16-20-51.ap-northeast-1.compute.internal    1         12d
ip-10-16-21-117.ap-northeast-1.compute.internal   1         12d
ip-10-16-22-8.ap-northeast-1.compute.internal     1         12d
ip-10-16-40-77.ap-northeast-1.compute.internal    0         7d
ip-10-16-41-180.ap-northeast-1.compute.internal   0         7d
ip-10-16-42-23.ap-northeast-1.compute.internal    0         7d

$ kubectl -n ml get pods -l app=model-server -o wide
NAME                            READY   STATUS              RESTARTS   AGE   IP       NODE                                              NOMINATED NODE   READINESS GATES
model-server-7c5f8b9d46-4d7nt   0/1     ContainerCreating   0          63m   <none>   ip-10-16-41-180.ap-northeast-1.compute.internal   <none>           <none>
model-server-7c5f8b9d46-rk4wz   0/1     ContainerCreating   0          63m   <none>   ip-10-16-40-77.ap-northeast-1.compute.internal    <none>           <none>
model-server-7c5f8b9d46-vb2mf   0/1     ContainerCreating   0          61m   <none>   ip-10-16-42-23.ap-northeast-1.compute.internal    <none>           <none>
"""


def bundle() -> Bundle:
    rng = random.Random(3250)
    total = (NOW - START).total_seconds() / 60
    kubelet = LogFile("journal-kubelet-ip-10-16-40-77.txt", KubeletJournal(NODE))
    kubelet.add(traffic(rng, kubelet_line, START, total, 2100))
    kubelet.add(
        [
            at(
                START,
                8.4,
                "ERROR",
                '"Failed to get system container stats" err="failed to get cgroup stats for \\"/system.slice/kubelet.service\\": failed to get container info for \\"/system.slice/kubelet.service\\": unknown container \\"/system.slice/kubelet.service\\"" containerName="/system.slice/kubelet.service"',
                logger="summary_sys_containers.go:51",
            ),
            at(
                START,
                RELEASE + 1.4,
                "INFO",
                f'"SyncLoop ADD" source="api" pods=["ml/{POD}"]',
                logger="kubelet.go:2412",
            ),
            at(
                START,
                RELEASE + 1.45,
                "INFO",
                f'"operationExecutor.VerifyControllerAttachedVolume started for volume \\"{PVC}\\" (UniqueName: \\"kubernetes.io/csi/ebs.csi.aws.com^vol-07e3c91b4d2a5f680\\") pod \\"{POD}\\"" pod="ml/{POD}"',
                logger="reconciler_common.go:258",
            ),
            at(
                START,
                RELEASE + 1.9,
                "ERROR",
                f'"Error: MountVolume.MountDevice failed for volume \\"{PVC}\\" (UniqueName: \\"kubernetes.io/csi/ebs.csi.aws.com^vol-07e3c91b4d2a5f680\\") pod \\"{POD}\\": kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: driver name ebs.csi.aws.com not found in the list of registered CSI drivers"',
                logger="nestedpendingoperations.go:348",
            ),
        ]
    )
    kubelet.add(
        loud(
            rng,
            START,
            RELEASE + 2.5,
            total - RELEASE - 2.5,
            60,
            fixed(
                "ERROR",
                lambda r: (
                    f'"Error: MountVolume.MountDevice failed for volume \\"{PVC}\\" (UniqueName: \\"kubernetes.io/csi/ebs.csi.aws.com^vol-07e3c91b4d2a5f680\\") pod \\"{POD}\\": kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: driver name ebs.csi.aws.com not found in the list of registered CSI drivers (durationBeforeRetry {r.choice(["2m2s", "2m2s", "1m4s"])})"'
                ),
            ),
        )
    )
    kubelet.add(
        loud(
            rng,
            START,
            RELEASE + 3,
            total - RELEASE - 3,
            30,
            fixed(
                "ERROR",
                lambda r: (
                    f'"Unable to attach or mount volumes for pod; skipping pod" err="unmounted volumes=[model-cache], unattached volumes=[], failed to process volumes=[]: context deadline exceeded" pod="ml/{POD}"'
                ),
            ),
        )
    )

    access = LogFile(
        "logs/inference-gateway-access.log", NginxAccess(rng=rng, zone=ZoneInfo("Asia/Tokyo"))
    )
    access.add(
        traffic(
            rng,
            http_access(["/v1/embeddings", "/v1/rerank", "/v1/models", "/healthz"], upstream_ms=90),
            START,
            total,
            3900,
        )
    )
    access.add(
        loud(
            rng,
            START,
            RELEASE + 6,
            total - RELEASE - 6,
            1400,
            fixed(
                "ERROR",
                lambda r: (
                    f'"POST /v1/{r.choice(["embeddings", "rerank"])} HTTP/1.1" 503 {r.randrange(150, 200)} "-" "python-requests/2.31" 0.000'
                ),
            ),
        )
    )
    errors = LogFile("logs/inference-gateway-error.log", NginxError(rng=rng))
    errors.add(
        [
            at(
                START,
                31.2,
                "WARN",
                'client intended to send too large body: 41982113 bytes, client: 10.16.3.88, server: inference.internal, request: "POST /v1/embeddings HTTP/1.1", host: "inference.internal"',
            )
        ]
    )
    errors.add(
        loud(
            rng,
            START,
            RELEASE + 6,
            total - RELEASE - 6,
            420,
            fixed(
                "ERROR",
                lambda r: (
                    f'no live upstreams while connecting to upstream, client: 10.16.{r.randrange(1, 12)}.{r.randrange(2, 250)}, server: inference.internal, request: "POST /v1/{r.choice(["embeddings", "rerank"])} HTTP/1.1", upstream: "http://model_server/v1/{r.choice(["embeddings", "rerank"])}", host: "inference.internal"'
                ),
            ),
        )
    )
    errors.add(
        loud(
            rng,
            START,
            RELEASE + 0.5,
            5.5,
            40,
            fixed(
                "ERROR",
                lambda r: (
                    f'connect() failed (111: Connection refused) while connecting to upstream, client: 10.16.{r.randrange(1, 12)}.{r.randrange(2, 250)}, server: inference.internal, request: "POST /v1/embeddings HTTP/1.1", upstream: "http://10.16.2.{r.randrange(10, 250)}:8000/v1/embeddings", host: "inference.internal"'
                ),
            ),
        )
    )

    pod = Pod(
        name=POD,
        namespace="ml",
        node=NODE,
        app="model-server",
        status="Pending",
        ip="",
        start_time="Mon, 02 Nov 2026 13:06:27 +0000",
        containers=[
            Container(
                name="model-server",
                image="123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/ml/model-server:4.0.1",
                state=["Waiting", "  Reason:       ContainerCreating"],
                ready=False,
                limits={"memory": "24Gi", "nvidia.com/gpu": "1"},
                requests={"cpu": "6", "memory": "20Gi", "nvidia.com/gpu": "1"},
                port="8000/TCP",
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
            "  model-cache:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  model-cache-model-server-rk4wz",
            "    ReadOnly:   false",
        ],
        node_selectors="eks.amazonaws.com/nodegroup=gpu-l4",
        events=[
            (
                "Warning",
                "FailedScheduling",
                "64m",
                "default-scheduler",
                "0/8 nodes are available: 2 Insufficient nvidia.com/gpu, 6 node(s) didn't match Pod's node affinity/selector. preemption: 0/8 nodes are available: 2 No preemption victims found for incoming pod, 6 Preemption is not helpful for scheduling.",
            ),
            (
                "Normal",
                "TriggeredScaleUp",
                "64m",
                "cluster-autoscaler",
                "pod triggered scale-up: [{eks-gpu-l4-30c9b2e4-7d1a-4f5e-91b8-2c6a0d4e8f13 2->3 (max: 6)}]",
            ),
            (
                "Normal",
                "Scheduled",
                "63m",
                "default-scheduler",
                f"Successfully assigned ml/{POD} to {NODE}",
            ),
            (
                "Normal",
                "SuccessfulAttachVolume",
                "63m",
                "attachdetach-controller",
                f'AttachVolume.Attach succeeded for volume "{PVC}"',
            ),
            ("Warning", "FailedMount", "2m (x31 over 62m)", "kubelet", MOUNT_ERR),
        ],
    )
    text = describe_pod(pod, rng).replace(
        "IP:\nIPs:\n  IP:           \n", "IP:\nIPs:              <none>\n"
    )
    text = re.sub(r"(Node:             ip-10-16-40-77[^/]*)/[0-9.]+", r"\1/10.16.40.77", text)
    text = "\n".join(
        line
        for line in text.split("\n")
        if not line.startswith(("    Container ID:", "    Image ID:"))
    )
    text = text.replace(
        "    Mounts:\n", "    Mounts:\n      /models from model-cache (rw)\n"
    ).replace(
        "Tolerations:                 node.kubernetes.io",
        "Tolerations:                 nvidia.com/gpu=present:NoSchedule\n                             node.kubernetes.io",
    )
    return Bundle(
        question="The inference gateway has answered 503 for embeddings and rerank since the model-server 4.0 rollout at about 13:05 UTC. What is the root cause?",
        category="configuration",
        component="ebs-csi-node",
        statement="The ebs-csi-node DaemonSet does not tolerate the gpu-l4 node group's nvidia.com/gpu NoSchedule taint, so no EBS CSI node plugin runs there; model-server's pods on those nodes cannot mount their volumes (driver not registered) and never start.",
        files={
            "kubectl-describe-pod-model-server.txt": text,
            "kubectl-notes.txt": NOTES,
            "journal-kubelet-ip-10-16-40-77.txt": kubelet.render(),
            "logs/inference-gateway-access.log": access.render(),
            "logs/inference-gateway-error.log": errors.render(),
        },
        proofs=[
            Proof("kubectl-notes.txt", "ebs-csi-node                     6"),
            Proof("kubectl-notes.txt", "- key: CriticalAddonsOnly", "tolerationSeconds: 300"),
            Proof("kubectl-describe-pod-model-server.txt", "FailedMount"),
        ],
        decoys=[
            "Insufficient nvidia.com/gpu",
            "Failed to get system container stats",
            "client intended to send too large body",
        ],
    )
