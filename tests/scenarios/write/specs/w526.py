# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes (EKS): the GPU node group moved from g4dn (T4) to g6 (L4) instances; the new nodes
are labelled `gpu-type=l4`, but the NVIDIA device plugin DaemonSet still selects
`gpu-type=t4`, so no plugin pod runs on them and they advertise no `nvidia.com/gpu`. When the
old nodes were drained at 13:04 UTC the inference-worker pods went Pending (`Insufficient
nvidia.com/gpu`) and the cluster autoscaler does not help; the API gateway answers 503 for
image tagging. Decoys: the PDB eviction refusals during the drain, the old nodes going
NotReady after termination, and dcgm-exporter's scrape errors on a T4 node before it went."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import JsonLines
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 2, 9, 12, 20, tzinfo=UTC)
NOW = datetime(2026, 2, 9, 13, 52, tzinfo=UTC)
DRAIN = 44.0  # 13:04
NS = "vision"
OLD = [
    "ip-10-31-40-17.eu-west-1.compute.internal",
    "ip-10-31-52-230.eu-west-1.compute.internal",
    "ip-10-31-61-9.eu-west-1.compute.internal",
]
NEW = [
    "ip-10-31-44-182.eu-west-1.compute.internal",
    "ip-10-31-57-64.eu-west-1.compute.internal",
    "ip-10-31-63-141.eu-west-1.compute.internal",
]
CPU = [
    "ip-10-31-33-70.eu-west-1.compute.internal",
    "ip-10-31-48-5.eu-west-1.compute.internal",
    "ip-10-31-59-211.eu-west-1.compute.internal",
    "ip-10-31-36-98.eu-west-1.compute.internal",
    "ip-10-31-50-122.eu-west-1.compute.internal",
    "ip-10-31-62-44.eu-west-1.compute.internal",
]
PENDING = [
    "inference-worker-5f7b9c6d84-4bq2x",
    "inference-worker-5f7b9c6d84-9dkwm",
    "inference-worker-5f7b9c6d84-tz7rj",
]
SCHED = "0/9 nodes are available: 3 Insufficient nvidia.com/gpu, 6 node(s) didn't match Pod's node affinity/selector. preemption: 0/9 nodes are available: 3 No preemption victims found for incoming pod, 6 Preemption is not helpful for scheduling."


def gateway_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/v2/assets",
            "/v2/assets/{id}",
            "/v2/collections",
            "/v2/search?q=beach",
            "/v2/assets/{id}/thumbnail",
        ]
    ).replace("{id}", str(rng.randrange(10**7)))
    return (
        "INFO",
        f"request method=GET path={path} status=200 duration_ms={rng.randrange(6, 160)} upstream=assets-api",
        (),
    )


def tag_ok(rng: random.Random) -> Line:
    return (
        "INFO",
        f"request method=POST path=/v2/assets/{rng.randrange(10**7)}/tags status=200 duration_ms={rng.randrange(180, 900)} upstream=inference-worker",
        (),
    )


def tag_503(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'request method=POST path=/v2/assets/{rng.randrange(10**7)}/tags status=503 duration_ms={rng.randrange(1, 4)} upstream=inference-worker error="no healthy upstream"',
        (),
    )


def describe_node() -> str:
    node = NEW[1]
    return "\n".join(
        [
            f"$ kubectl describe node {node}",
            f"Name:               {node}",
            "Roles:              <none>",
            "Labels:             beta.kubernetes.io/arch=amd64",
            "                    beta.kubernetes.io/instance-type=g6.xlarge",
            "                    eks.amazonaws.com/capacityType=ON_DEMAND",
            "                    eks.amazonaws.com/nodegroup=gpu-l4-2026-02",
            "                    gpu-type=l4",
            "                    kubernetes.io/arch=amd64",
            f"                    kubernetes.io/hostname={node}",
            "                    kubernetes.io/os=linux",
            "                    node.kubernetes.io/instance-type=g6.xlarge",
            "                    topology.kubernetes.io/zone=eu-west-1b",
            "                    workload=gpu",
            "Annotations:        alpha.kubernetes.io/provided-node-ip: 10.31.57.64",
            "                    node.alpha.kubernetes.io/ttl: 0",
            "                    volumes.kubernetes.io/controller-managed-attach-detach: true",
            "CreationTimestamp:  Mon, 09 Feb 2026 12:41:37 +0000",
            "Taints:             nvidia.com/gpu=present:NoSchedule",
            "Unschedulable:      false",
            "Conditions:",
            "  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message",
            "  ----             ------  -----------------                 ------------------                ------                       -------",
            "  MemoryPressure   False   Mon, 09 Feb 2026 13:51:02 +0000   Mon, 09 Feb 2026 12:41:37 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available",
            "  DiskPressure     False   Mon, 09 Feb 2026 13:51:02 +0000   Mon, 09 Feb 2026 12:41:37 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure",
            "  PIDPressure      False   Mon, 09 Feb 2026 13:51:02 +0000   Mon, 09 Feb 2026 12:41:37 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available",
            "  Ready            True    Mon, 09 Feb 2026 13:51:02 +0000   Mon, 09 Feb 2026 12:42:09 +0000   KubeletReady                 kubelet is posting ready status",
            "Capacity:",
            "  cpu:                4",
            "  ephemeral-storage:  104845292Ki",
            "  hugepages-1Gi:      0",
            "  hugepages-2Mi:      0",
            "  memory:             16078348Ki",
            "  pods:               58",
            "Allocatable:",
            "  cpu:                3920m",
            "  ephemeral-storage:  95551679124",
            "  hugepages-1Gi:      0",
            "  hugepages-2Mi:      0",
            "  memory:             15388172Ki",
            "  pods:               58",
            "System Info:",
            "  Kernel Version:             6.1.119-129.201.amzn2023.x86_64",
            "  OS Image:                   Amazon Linux 2023.6.20250115",
            "  Container Runtime Version:  containerd://1.7.25",
            "  Kubelet Version:            v1.31.4-eks-aeac579",
            "Non-terminated Pods:          (3 in total)",
            "  Namespace    Name                 CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age",
            "  ---------    ----                 ------------  ----------  ---------------  -------------  ---",
            "  kube-system  aws-node-7xq4d       25m (0%)      0 (0%)      0 (0%)           0 (0%)         70m",
            "  kube-system  ebs-csi-node-r2m8k   30m (0%)      0 (0%)      120Mi (0%)       768Mi (5%)     70m",
            "  kube-system  kube-proxy-9fz6c     100m (2%)     0 (0%)      0 (0%)           0 (0%)         70m",
            "Allocated resources:",
            "  (Total limits may be over 100 percent, i.e., overcommitted.)",
            "  Resource           Requests    Limits",
            "  --------           --------    ------",
            "  cpu                155m (3%)   0 (0%)",
            "  memory             120Mi (0%)  768Mi (5%)",
            "  ephemeral-storage  0 (0%)      0 (0%)",
            "Events:              <none>",
            "",
        ]
    )


def bundle() -> Bundle:
    rng = random.Random(52631)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    pod = Pod(
        name=PENDING[0],
        namespace=NS,
        node="",
        app="inference-worker",
        status="Pending",
        start_time="",
        conditions={"PodScheduled": "False"},
        containers=[
            Container(
                name="inference-worker",
                image="318442907561.dkr.ecr.eu-west-1.amazonaws.com/vision/inference-worker:4.11.2",
                state=[],
                limits={"nvidia.com/gpu": "1", "memory": "12Gi"},
                requests={"cpu": "2", "memory": "10Gi", "nvidia.com/gpu": "1"},
                port="8500/TCP",
            )
        ],
        node_selectors="workload=gpu",
        events=[
            ("Warning", "FailedScheduling", "3m (x19 over 47m)", "default-scheduler", SCHED),
            (
                "Normal",
                "NotTriggerScaleUp",
                "2m (x270 over 47m)",
                "cluster-autoscaler",
                "pod didn't trigger scale-up: 1 max node group size reached, 2 node(s) didn't match Pod's node affinity/selector",
            ),
        ],
    )
    describe = f"$ kubectl -n {NS} describe pod {PENDING[0]}\n" + describe_pod(pod, rng).replace(
        "Tolerations:                 node.kubernetes.io/not-ready",
        "Tolerations:                 nvidia.com/gpu:NoSchedule op=Exists\n                             node.kubernetes.io/not-ready",
    )
    ds = "\n".join(
        [
            "$ kubectl -n kube-system get ds -o wide",
            *table(
                (
                    "NAME",
                    "DESIRED",
                    "CURRENT",
                    "READY",
                    "UP-TO-DATE",
                    "AVAILABLE",
                    "NODE SELECTOR",
                    "AGE",
                    "CONTAINERS",
                    "IMAGES",
                    "SELECTOR",
                ),
                [
                    (
                        "aws-node",
                        "9",
                        "9",
                        "9",
                        "9",
                        "9",
                        "<none>",
                        "412d",
                        "aws-node,aws-eks-nodeagent",
                        "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.2-eksbuild.1,602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/aws-network-policy-agent:v1.1.6-eksbuild.1",
                        "k8s-app=aws-node",
                    ),
                    (
                        "dcgm-exporter",
                        "0",
                        "0",
                        "0",
                        "0",
                        "0",
                        "gpu-type=t4",
                        "203d",
                        "dcgm-exporter",
                        "nvcr.io/nvidia/k8s/dcgm-exporter:3.3.5-3.4.1-ubuntu22.04",
                        "app=dcgm-exporter",
                    ),
                    (
                        "ebs-csi-node",
                        "9",
                        "9",
                        "9",
                        "9",
                        "9",
                        "kubernetes.io/os=linux",
                        "388d",
                        "ebs-plugin,node-driver-registrar,liveness-probe",
                        "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/aws-ebs-csi-driver:v1.38.1",
                        "app=ebs-csi-node",
                    ),
                    (
                        "kube-proxy",
                        "9",
                        "9",
                        "9",
                        "9",
                        "9",
                        "<none>",
                        "412d",
                        "kube-proxy",
                        "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/kube-proxy:v1.31.3-minimal-eksbuild.2",
                        "k8s-app=kube-proxy",
                    ),
                    (
                        "nvidia-device-plugin-daemonset",
                        "0",
                        "0",
                        "0",
                        "0",
                        "0",
                        "gpu-type=t4",
                        "203d",
                        "nvidia-device-plugin-ctr",
                        "nvcr.io/nvidia/k8s-device-plugin:v0.17.0",
                        "name=nvidia-device-plugin-ds",
                    ),
                ],
            ),
            "",
            "$ kubectl get nodes -L gpu-type,eks.amazonaws.com/nodegroup -l workload=gpu",
            *table(
                ("NAME", "STATUS", "ROLES", "AGE", "VERSION", "GPU-TYPE", "NODEGROUP"),
                [
                    (n, "Ready", "<none>", "70m", "v1.31.4-eks-aeac579", "l4", "gpu-l4-2026-02")
                    for n in NEW
                ],
            ),
            "",
            "$ kubectl get nodes -l workload=gpu -o custom-columns=NAME:.metadata.name,GPU:.status.allocatable.nvidia\\.com/gpu",
            *table(("NAME", "GPU"), [(n, "<none>") for n in NEW]),
            "",
        ]
    )
    pods = "\n".join(
        [
            f"$ kubectl -n {NS} get pods -o wide",
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
                        "assets-api-7c4d8b9f6-2xkqz",
                        "1/1",
                        "Running",
                        "0",
                        "3d2h",
                        "10.31.35.201",
                        CPU[0],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "assets-api-7c4d8b9f6-m9p4t",
                        "1/1",
                        "Running",
                        "0",
                        "3d2h",
                        "10.31.49.17",
                        CPU[1],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "gateway-6f9b7d5c48-8rj2n",
                        "1/1",
                        "Running",
                        "0",
                        "6d",
                        "10.31.60.88",
                        CPU[2],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "gateway-6f9b7d5c48-wq5vh",
                        "1/1",
                        "Running",
                        "0",
                        "6d",
                        "10.31.37.140",
                        CPU[3],
                        "<none>",
                        "<none>",
                    ),
                    *[
                        (p, "0/1", "Pending", "0", "48m", "<none>", "<none>", "<none>", "<none>")
                        for p in PENDING
                    ],
                ],
            ),
            "",
        ]
    )
    routine = routine_events(rng, ["assets-api", "gateway", "thumbnailer"], 24, CPU, namespace=NS)
    signal = [
        (
            ago(DRAIN - 0.2),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{OLD[0]}",
                f"Node {OLD[0]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(DRAIN),
            (
                "Warning",
                "FailedEviction",
                "pod/inference-worker-6c8d5f7b49-x2lwp",
                "Cannot evict pod as it would violate the pod's disruption budget.",
            ),
        ),
        (
            ago(DRAIN + 0.9),
            (
                "Normal",
                "Killing",
                "pod/inference-worker-6c8d5f7b49-x2lwp",
                "Stopping container inference-worker",
            ),
        ),
        (
            ago(DRAIN + 1.8),
            (
                "Normal",
                "Killing",
                "pod/inference-worker-6c8d5f7b49-c7n5s",
                "Stopping container inference-worker",
            ),
        ),
        (
            ago(DRAIN + 2.6),
            (
                "Normal",
                "Killing",
                "pod/inference-worker-6c8d5f7b49-hv9fd",
                "Stopping container inference-worker",
            ),
        ),
        (
            ago(DRAIN + 6.0),
            (
                "Normal",
                "NodeNotReady",
                f"node/{OLD[1]}",
                f"Node {OLD[1]} status is now: NodeNotReady",
            ),
        ),
        (ago(total - 3), ("Warning", "FailedScheduling", f"pod/{PENDING[1]}", SCHED)),
        (
            ago(total - 2),
            (
                "Normal",
                "NotTriggerScaleUp",
                f"pod/{PENDING[2]}",
                "pod didn't trigger scale-up: 1 max node group size reached, 2 node(s) didn't match Pod's node affinity/selector",
            ),
        ),
    ]
    events = f"$ kubectl -n {NS} get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )
    gateway = LogFile(
        "logs/gateway.log", JsonLines("gateway", keys=("time", "level", "msg"), rng=rng)
    )
    gateway.add(traffic(rng, gateway_line, START, total, 3300))
    gateway.add(traffic(rng, tag_ok, START, DRAIN + 2.5, 700))
    gateway.add(loud(rng, START, DRAIN + 2.7, total - DRAIN - 2.8, 520, tag_503))
    gateway.add(
        [
            at(
                START,
                31.5,
                "WARN",
                f"metrics scrape of dcgm-exporter at {OLD[2]}:9400 failed: context deadline exceeded",
            )
        ]
    )
    return Bundle(
        question="Since about 13:05 UTC every image tagging call returns 503 and the inference-worker pods are Pending. The new GPU nodes are up. What is the root cause?",
        category="configuration",
        component="nvidia-device-plugin-daemonset",
        statement="The NVIDIA device plugin DaemonSet (nvidia-device-plugin-daemonset) still selects `gpu-type=t4`, while the replacement g6 nodes are labelled `gpu-type=l4`; no plugin pod runs there, the nodes advertise no nvidia.com/gpu, so after the T4 nodes were drained at 13:04 UTC the inference-worker pods stay Pending with `Insufficient nvidia.com/gpu` and tagging calls get 503.",
        files={
            f"kubectl-describe-pod-{PENDING[0]}.txt": describe,
            f"kubectl-describe-node-{NEW[1]}.txt": describe_node(),
            "kubectl-get-ds-nodes.txt": ds,
            "kubectl-get-pods.txt": pods,
            "kubectl-get-events.txt": events,
            gateway.name: gateway.render(),
        },
        proofs=[
            Proof("kubectl-get-ds-nodes.txt", "nvidia-device-plugin-daemonset"),
            Proof(f"kubectl-describe-node-{NEW[1]}.txt", "gpu-type=l4"),
            Proof(f"kubectl-describe-pod-{PENDING[0]}.txt", "3 Insufficient nvidia.com/gpu"),
        ],
        decoys=[
            "Cannot evict pod as it would violate the pod's disruption budget.",
            f"Node {OLD[1]} status is now: NodeNotReady",
            "metrics scrape of dcgm-exporter",
        ],
    )
