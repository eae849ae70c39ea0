# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes (AKS): a new GPU agent pool `gpul4` (NVIDIA L4) was added at 08:05 UTC to absorb
frame-embedder's growth, but the nvidia-device-plugin-daemonset in kube-system carries
`nodeSelector: agentpool=gput4` from when only the T4 pool existed. The plugin never runs on
the new machines, they advertise no `nvidia.com/gpu`, and frame-embedder's HPA-added replicas
stay Pending (`Insufficient nvidia.com/gpu`) while the three T4 machines are full; frame-router's
tagging backlog grows. Decoys: dcgm-exporter's back-off on a T4 machine, an image pull i/o
timeout retried successfully, frame-router's Redis reconnect."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Logfmt
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2026, 2, 24, 7, 40, tzinfo=UTC)
NOW = datetime(2026, 2, 24, 9, 25, tzinfo=UTC)
T4 = [f"aks-gput4-41907236-vmss00000{i}" for i in range(3)]
L4 = [f"aks-gpul4-28561930-vmss00000{i}" for i in range(3)]
SYS = [f"aks-system-17203948-vmss00000{i}" for i in range(3)]
PENDING = "frame-embedder-6b8d9f7c54-qz7lp"


def nodes_text() -> str:
    rows = [(n, "Ready", "<none>", "61d", "v1.30.7", "gput4", "nvidia") for n in T4]
    rows += [(n, "Ready", "<none>", "80m", "v1.30.7", "gpul4", "nvidia") for n in L4]
    rows += [(n, "Ready", "<none>", "96d", "v1.30.7", "system", "") for n in SYS]
    lines = [
        "$ kubectl get nodes -L agentpool,kubernetes.azure.com/accelerator",
        *table(("NAME", "STATUS", "ROLES", "AGE", "VERSION", "AGENTPOOL", "ACCELERATOR"), rows),
        "",
    ]
    lines += [
        "$ kubectl get nodes -o custom-columns=NAME:.metadata.name,GPU:.status.allocatable.nvidia\\.com/gpu"
    ]
    lines += table(
        ("NAME", "GPU"),
        [(n, "1") for n in T4] + [(n, "<none>") for n in L4] + [(n, "<none>") for n in SYS],
    )
    lines += ["", "$ kubectl -n kube-system get ds -o wide"]
    ds = [
        (
            "azure-ip-masq-agent",
            "9",
            "9",
            "9",
            "9",
            "9",
            "kubernetes.io/os=linux",
            "96d",
            "azure-ip-masq-agent",
            "mcr.microsoft.com/aks/ip-masq-agent-v2:v0.1.13",
            "k8s-app=azure-ip-masq-agent",
        ),
        (
            "cloud-node-manager",
            "9",
            "9",
            "9",
            "9",
            "9",
            "kubernetes.io/os=linux",
            "96d",
            "cloud-node-manager",
            "mcr.microsoft.com/oss/kubernetes/azure-cloud-node-manager:v1.30.5",
            "k8s-app=cloud-node-manager",
        ),
        (
            "csi-azuredisk-node",
            "9",
            "9",
            "9",
            "9",
            "9",
            "kubernetes.io/os=linux",
            "96d",
            "liveness-probe,node-driver-registrar,azuredisk",
            "mcr.microsoft.com/oss/kubernetes-csi/azuredisk-csi:v1.30.4",
            "app=csi-azuredisk-node",
        ),
        (
            "dcgm-exporter",
            "6",
            "6",
            "5",
            "6",
            "5",
            "kubernetes.azure.com/accelerator=nvidia",
            "58d",
            "dcgm-exporter",
            "nvcr.io/nvidia/k8s/dcgm-exporter:3.3.7-3.5.0-ubuntu22.04",
            "app=dcgm-exporter",
        ),
        (
            "kube-proxy",
            "9",
            "9",
            "9",
            "9",
            "9",
            "<none>",
            "96d",
            "kube-proxy",
            "mcr.microsoft.com/oss/kubernetes/kube-proxy:v1.30.7",
            "component=kube-proxy",
        ),
        (
            "nvidia-device-plugin-daemonset",
            "3",
            "3",
            "3",
            "3",
            "3",
            "agentpool=gput4",
            "61d",
            "nvidia-device-plugin-ctr",
            "nvcr.io/nvidia/k8s-device-plugin:v0.15.1",
            "name=nvidia-device-plugin-ds",
        ),
    ]
    lines += table(
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
        ds,
    )
    lines += ["", "$ kubectl -n vision get hpa frame-embedder"]
    lines += table(
        ("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"),
        [
            (
                "frame-embedder",
                "Deployment/frame-embedder",
                "queue_depth: 4812/200 (avg)",
                "2",
                "9",
                "9",
                "214d",
            )
        ],
    )
    lines += ["", "$ kubectl -n vision get pods -l app=frame-embedder -o wide"]
    pods = [
        (f"frame-embedder-6b8d9f7c54-{s}", "1/1", "Running", "0", a, f"10.244.{i}.{17 + i}", T4[i])
        for i, (s, a) in enumerate([("m4k2c", "3d2h"), ("w8rpx", "3d2h"), ("j2f6d", "71m")])
    ]
    pods += [
        (f"frame-embedder-6b8d9f7c54-{s}", "0/1", "Pending", "0", a, "<none>", "<none>")
        for s, a in [
            ("qz7lp", "68m"),
            ("b5n9t", "68m"),
            ("x7c3h", "61m"),
            ("d2v8k", "52m"),
            ("p9s4m", "52m"),
            ("h6g1r", "44m"),
        ]
    ]
    lines += table(("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"), pods)
    return "\n".join(lines) + "\n"


def node_text() -> str:
    n = L4[1]
    lines = [
        "$ kubectl describe node " + n,
        f"Name:               {n}",
        "Roles:              <none>",
        "Labels:             agentpool=gpul4",
        "                    beta.kubernetes.io/arch=amd64",
        "                    beta.kubernetes.io/instance-type=Standard_NC16as_L4_v1",
        "                    kubernetes.azure.com/accelerator=nvidia",
        "                    kubernetes.azure.com/agentpool=gpul4",
        "                    kubernetes.azure.com/mode=user",
        "                    kubernetes.azure.com/node-image-version=AKSUbuntu-2204gen2containerd-202602.10.0",
        "                    kubernetes.io/hostname=" + n,
        "                    topology.kubernetes.io/zone=westeurope-2",
        "Annotations:        node.alpha.kubernetes.io/ttl: 0",
        "                    volumes.kubernetes.io/controller-managed-attach-detach: true",
        "CreationTimestamp:  Tue, 24 Feb 2026 08:05:41 +0000",
        "Taints:             sku=gpu:NoSchedule",
        "Unschedulable:      false",
        "Conditions:",
        "  Type                 Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message",
        "  ----                 ------  -----------------                 ------------------                ------                       -------",
        "  MemoryPressure       False   Tue, 24 Feb 2026 09:24:12 +0000   Tue, 24 Feb 2026 08:05:41 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available",
        "  DiskPressure         False   Tue, 24 Feb 2026 09:24:12 +0000   Tue, 24 Feb 2026 08:05:41 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure",
        "  PIDPressure          False   Tue, 24 Feb 2026 09:24:12 +0000   Tue, 24 Feb 2026 08:05:41 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available",
        "  Ready                True    Tue, 24 Feb 2026 09:24:12 +0000   Tue, 24 Feb 2026 08:06:19 +0000   KubeletReady                 kubelet is posting ready status",
        "Capacity:",
        "  cpu:                16",
        "  ephemeral-storage:  259966896Ki",
        "  hugepages-1Gi:      0",
        "  hugepages-2Mi:      0",
        "  memory:             115432852Ki",
        "  pods:               30",
        "Allocatable:",
        "  cpu:                15740m",
        "  ephemeral-storage:  239585490957",
        "  memory:             104938388Ki",
        "  pods:               30",
        "System Info:",
        "  Kernel Version:             5.15.0-1079-azure",
        "  OS Image:                   Ubuntu 22.04.5 LTS",
        "  Container Runtime Version:  containerd://1.7.25-1",
        "  Kubelet Version:            v1.30.7",
        "Non-terminated Pods:          (6 in total)",
        "  Namespace    Name                          CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age",
        "  ---------    ----                          ------------  ----------  ---------------  -------------  ---",
        "  kube-system  azure-ip-masq-agent-k9d2t     100m (0%)     500m (3%)   50Mi (0%)        250Mi (0%)     79m",
        "  kube-system  cloud-node-manager-5xq8w      50m (0%)      0 (0%)      50Mi (0%)        512Mi (0%)     79m",
        "  kube-system  csi-azuredisk-node-r2m7f      30m (0%)      0 (0%)      60Mi (0%)        400Mi (0%)     79m",
        "  kube-system  dcgm-exporter-h4w6z           100m (0%)     500m (3%)   128Mi (0%)       512Mi (0%)     79m",
        "  kube-system  kube-proxy-t8b3n              100m (0%)     0 (0%)      0 (0%)           0 (0%)         79m",
        "  monitoring   node-exporter-gq5kd           50m (0%)      250m (1%)   64Mi (0%)        128Mi (0%)     79m",
        "Allocated resources:",
        "  (Total limits may be over 100 percent, i.e., overcommitted.)",
        "  Resource           Requests    Limits",
        "  --------           --------    ------",
        "  cpu                430m (2%)   1250m (7%)",
        "  memory             352Mi (0%)  1802Mi (1%)",
        "  ephemeral-storage  0 (0%)      0 (0%)",
        "Events:",
        "  Type    Reason                   Age   From             Message",
        "  ----    ------                   ----  ----             -------",
        "  Normal  Starting                 79m   kube-proxy",
        "  Normal  NodeHasSufficientMemory  79m   kubelet          Node "
        + n
        + " status is now: NodeHasSufficientMemory",
        "  Normal  RegisteredNode           79m   node-controller  Node "
        + n
        + " event: Registered Node "
        + n
        + " in Controller",
        "  Normal  NodeReady                79m   kubelet          Node "
        + n
        + " status is now: NodeReady",
    ]
    return "\n".join(lines) + "\n"


def router_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "info",
            f"dispatched batch video_id=v{rng.randrange(10**7, 10**8)} frames={rng.randrange(40, 400)} target=frame-embedder",
            (),
        )
    if roll < 0.9:
        return (
            "info",
            f"embedding stored video_id=v{rng.randrange(10**7, 10**8)} vectors={rng.randrange(40, 400)} took_ms={rng.randrange(300, 2400)}",
            (),
        )
    return "debug", f"queue stats depth={rng.randrange(60, 380)} consumers=3", ()


def backlog(rng: random.Random) -> Line:
    return (
        "warn",
        f"tagging backlog above threshold depth={rng.randrange(2400, 44000)} oldest_age_s={rng.randrange(600, 5400)} ready_consumers=3",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(58306)
    pod = Pod(
        PENDING,
        "vision",
        "",
        "frame-embedder",
        [
            Container(
                "frame-embedder",
                "acrvisionprod.azurecr.io/vision/frame-embedder:2.18.3",
                state=[],
                ready=False,
                limits={"cpu": "6", "memory": "28Gi", "nvidia.com/gpu": "1"},
                requests={"cpu": "4", "memory": "24Gi", "nvidia.com/gpu": "1"},
            )
        ],
        status="Pending",
        conditions={"PodScheduled": "False"},
        start_time="",
        node_selectors="kubernetes.azure.com/accelerator=nvidia",
        events=[
            (
                "Warning",
                "FailedScheduling",
                "3m (x19 over 68m)",
                "default-scheduler",
                "0/9 nodes are available: 3 node(s) had untolerated taint {CriticalAddonsOnly: true}, 6 Insufficient nvidia.com/gpu. preemption: 0/9 nodes are available: 3 Preemption is not helpful for scheduling, 6 No preemption victims found for incoming pod.",
            ),
            (
                "Normal",
                "NotTriggerScaleUp",
                "2m (x41 over 68m)",
                "cluster-autoscaler",
                "pod didn't trigger scale-up: 1 max node group size reached, 1 node(s) had untolerated taint {CriticalAddonsOnly: true}, 1 Insufficient nvidia.com/gpu",
            ),
        ],
    )
    pod_text = describe_pod(pod, rng).replace(
        "Tolerations:                 node.kubernetes.io/not-ready",
        "Tolerations:                 sku=gpu:NoSchedule\n                             node.kubernetes.io/not-ready",
    )
    routine = routine_events(
        rng, ["frame-router", "thumbnailer", "caption-worker"], 150, T4 + SYS, "vision"
    )
    signal = [
        (
            4790,
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/frame-embedder",
                "New size: 6; reason: external metric queue_depth(&LabelSelector{MatchLabels:map[string]string{queue: frames},MatchExpressions:[]LabelSelectorRequirement{},}) above target",
            ),
        ),
        (
            4785,
            (
                "Warning",
                "FailedScheduling",
                "pod/frame-embedder-6b8d9f7c54-b5n9t",
                "0/9 nodes are available: 3 node(s) had untolerated taint {CriticalAddonsOnly: true}, 6 Insufficient nvidia.com/gpu. preemption: 0/9 nodes are available: 3 Preemption is not helpful for scheduling, 6 No preemption victims found for incoming pod.",
            ),
        ),
        (
            4500,
            (
                "Warning",
                "Failed",
                "pod/caption-worker-5f7d8c9b6-tr4qs",
                'Failed to pull image "acrvisionprod.azurecr.io/vision/caption-worker:1.9.0": failed to do request: Head "https://acrvisionprod.azurecr.io/v2/vision/caption-worker/manifests/1.9.0": dial tcp 20.61.4.18:443: i/o timeout',
            ),
        ),
        (
            4470,
            (
                "Normal",
                "Pulled",
                "pod/caption-worker-5f7d8c9b6-tr4qs",
                'Successfully pulled image "acrvisionprod.azurecr.io/vision/caption-worker:1.9.0" in 4.212s (4.212s including waiting)',
            ),
        ),
        (
            3660,
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/frame-embedder",
                "New size: 9; reason: external metric queue_depth(&LabelSelector{MatchLabels:map[string]string{queue: frames},MatchExpressions:[]LabelSelectorRequirement{},}) above target",
            ),
        ),
        (
            180,
            (
                "Warning",
                "FailedScheduling",
                "pod/" + PENDING,
                "0/9 nodes are available: 3 node(s) had untolerated taint {CriticalAddonsOnly: true}, 6 Insufficient nvidia.com/gpu. preemption: 0/9 nodes are available: 3 Preemption is not helpful for scheduling, 6 No preemption victims found for incoming pod.",
            ),
        ),
        (
            120,
            (
                "Normal",
                "NotTriggerScaleUp",
                "pod/" + PENDING,
                "pod didn't trigger scale-up: 1 max node group size reached, 1 node(s) had untolerated taint {CriticalAddonsOnly: true}, 1 Insufficient nvidia.com/gpu",
            ),
        ),
    ]
    events = "$ kubectl -n vision get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )
    sys_events = (
        "\n".join(
            [
                "$ kubectl -n kube-system get events --sort-by=.lastTimestamp",
                *table(
                    ("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"),
                    [
                        (
                            "81m",
                            "Normal",
                            "SuccessfulCreate",
                            "daemonset/dcgm-exporter",
                            "Created pod: dcgm-exporter-h4w6z",
                        ),
                        (
                            "81m",
                            "Normal",
                            "SuccessfulCreate",
                            "daemonset/kube-proxy",
                            "Created pod: kube-proxy-t8b3n",
                        ),
                        (
                            "81m",
                            "Normal",
                            "SuccessfulCreate",
                            "daemonset/csi-azuredisk-node",
                            "Created pod: csi-azuredisk-node-r2m7f",
                        ),
                        (
                            "80m",
                            "Normal",
                            "SuccessfulCreate",
                            "daemonset/dcgm-exporter",
                            "Created pod: dcgm-exporter-6fkw2",
                        ),
                        (
                            "80m",
                            "Normal",
                            "SuccessfulCreate",
                            "daemonset/kube-proxy",
                            "Created pod: kube-proxy-v2r9d",
                        ),
                        (
                            "79m",
                            "Normal",
                            "SuccessfulCreate",
                            "daemonset/dcgm-exporter",
                            "Created pod: dcgm-exporter-n8s5j",
                        ),
                        (
                            "34m",
                            "Warning",
                            "BackOff",
                            "pod/dcgm-exporter-p3l7c",
                            "Back-off restarting failed container dcgm-exporter in pod dcgm-exporter-p3l7c_kube-system(5d1e2a9c-7b3f-4c8e-a1d6-0f9b8c7e6d54)",
                        ),
                        (
                            "12m",
                            "Normal",
                            "ScaledUpGroup",
                            "configmap/cluster-autoscaler-status",
                            "Scale-up: group aks-gpul4-28561930-vmss max size reached (3/3)",
                        ),
                    ],
                ),
            ]
        )
        + "\n"
    )
    router = LogFile("logs/frame-router.log", Logfmt("frame-router", random.Random(5831)))
    router.add(traffic(rng, router_line, START, 105, 2600))
    router.add(loud(rng, START, 38, 66, 130, fixed("warn", lambda r: backlog(r)[1])))
    router.add(
        [
            at(
                START,
                57.3,
                "warn",
                "redis: connection pool: connection to frames-redis:6379 reset by peer; reconnecting",
            ),
            at(START, 57.31, "info", "redis: reconnected to frames-redis:6379"),
        ]
    )
    return Bundle(
        question="frame-embedder replicas have been stuck Pending for over an hour and the video tagging backlog keeps growing. What is the root cause?",
        category="configuration",
        component="nvidia-device-plugin-daemonset",
        statement="The nvidia-device-plugin-daemonset is restricted to `agentpool=gput4`, so it never runs on the L4 agent pool added at 08:05 UTC; those machines advertise no nvidia.com/gpu and frame-embedder's scaled-out replicas report `Insufficient nvidia.com/gpu` while the three T4 machines are full.",
        files={
            "kubectl-get-nodes.txt": nodes_text(),
            "kubectl-describe-node-" + L4[1] + ".txt": node_text(),
            "kubectl-describe-pod-" + PENDING + ".txt": pod_text,
            "kubectl-get-events-vision.txt": events,
            "kubectl-get-events-kube-system.txt": sys_events,
            "logs/frame-router.log": router.render(),
        },
        proofs=[
            Proof("kubectl-get-nodes.txt", "nvidia-device-plugin-daemonset   3"),
            Proof("kubectl-describe-node-" + L4[1] + ".txt", "Labels:             agentpool=gpul4"),
            Proof("kubectl-describe-pod-" + PENDING + ".txt", "6 Insufficient nvidia.com/gpu"),
        ],
        decoys=[
            "Back-off restarting failed container dcgm-exporter",
            "dial tcp 20.61.4.18:443: i/o timeout",
            "connection to frames-redis:6379 reset by peer",
        ],
    )
