# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""report-builder now selects the highmem pool, whose nodes carry a dedicated=highmem taint it
does not tolerate; its pods stay Pending and nightly reports pile up behind them."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_events, describe_pod, event_listing, routine_events
from records import PythonLogging, Record
from scenes import fixed, loud
from traffic import Line, traffic, worker

START = datetime(2025, 10, 2, 1, 0, tzinfo=UTC)
NODES = [
    "aks-general-14592831-vmss000000",
    "aks-general-14592831-vmss000001",
    "aks-general-14592831-vmss000004",
    "aks-general-14592831-vmss000007",
    "aks-general-14592831-vmss000009",
]
HIGHMEM = ["aks-highmem-30718264-vmss000000", "aks-highmem-30718264-vmss000001"]
POD = "report-builder-64b8f9c7d5-9xq2k"
SCHEDULING = "0/7 nodes are available: 2 node(s) had untolerated taint {dedicated: highmem}, 5 node(s) didn't match Pod's node affinity/selector. preemption: 0/7 nodes are available: 7 Preemption is not helpful for scheduling."


@dataclass
class Klog:
    """A Kubernetes component's klog lines: `I1002 01:02:03.123456       1 file.go:42] message`."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
        return [f"{record.level[0]}{stamp}       1 {record.message}"]


def autoscaler_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return "INFO", "static_autoscaler.go:288] Starting main loop", ()
    if roll < 0.6:
        return (
            "INFO",
            f"filter_out_schedulable.go:{rng.choice([66, 82])}] Filtering out schedulables",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"scale_down.go:{rng.choice([443, 829])}] No candidates for scale down (node utilization above {rng.choice([0.5, 0.5, 0.55])})",
            (),
        )
    return (
        "INFO",
        f"azure_scale_set.go:{rng.choice([184, 211])}] VMSS: aks-general-14592831-vmss, current capacity: 5, max: 5",
        (),
    )


def describe_node() -> str:
    node = HIGHMEM[0]
    lines = [
        f"Name:               {node}",
        "Roles:              agent",
        "Labels:             agentpool=highmem",
        "                    beta.kubernetes.io/instance-type=Standard_E16s_v5",
        "                    kubernetes.azure.com/agentpool=highmem",
        "                    kubernetes.io/os=linux",
        "                    node.kubernetes.io/instance-type=Standard_E16s_v5",
        "                    pool=highmem",
        "                    topology.kubernetes.io/zone=westeurope-1",
        "Annotations:        node.alpha.kubernetes.io/ttl: 0",
        "                    volumes.kubernetes.io/controller-managed-attach-detach: true",
        "CreationTimestamp:  Mon, 29 Sep 2025 14:11:02 +0000",
        "Taints:             dedicated=highmem:NoSchedule",
        "Unschedulable:      false",
        "Conditions:",
        "  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message",
        "  ----             ------  -----------------                 ------------------                ------                       -------",
        "  MemoryPressure   False   Thu, 02 Oct 2025 01:39:12 +0000   Mon, 29 Sep 2025 14:11:02 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available",
        "  DiskPressure     False   Thu, 02 Oct 2025 01:39:12 +0000   Mon, 29 Sep 2025 14:11:02 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure",
        "  PIDPressure      False   Thu, 02 Oct 2025 01:39:12 +0000   Mon, 29 Sep 2025 14:11:02 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available",
        "  Ready            True    Thu, 02 Oct 2025 01:39:12 +0000   Mon, 29 Sep 2025 14:11:44 +0000   KubeletReady                 kubelet is posting ready status",
        "Capacity:",
        "  cpu:                16",
        "  ephemeral-storage:  129886128Ki",
        "  memory:             131896220Ki",
        "  pods:               110",
        "Allocatable:",
        "  cpu:                15820m",
        "  ephemeral-storage:  119703055367",
        "  memory:             120911260Ki",
        "  pods:               110",
        "Non-terminated Pods:          (4 in total)",
        "  Namespace                   Name                          CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age",
        "  ---------                   ----                          ------------  ----------  ---------------  -------------  ---",
        "  kube-system                 azure-ip-masq-agent-5xq8d     100m (0%)     500m (3%)   50Mi (0%)        250Mi (0%)     2d11h",
        "  kube-system                 cloud-node-manager-r7p2k      50m (0%)      0 (0%)      50Mi (0%)        512Mi (0%)     2d11h",
        "  kube-system                 kube-proxy-8jz4w              100m (0%)     0 (0%)      0 (0%)           0 (0%)         2d11h",
        "  ml                          feature-store-0               2 (12%)       4 (25%)     24Gi (20%)       32Gi (27%)     2d10h",
        "Allocated resources:",
        "  (Total limits may be over 100 percent, i.e., overcommitted.)",
        "  Resource           Requests       Limits",
        "  --------           --------       ------",
        "  cpu                2250m (14%)    4500m (28%)",
        "  memory             24676Mi (20%)  33554Mi (28%)",
        *describe_events([]),
    ]
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(150)
    container = Container(
        name="report-builder",
        image="crreports.azurecr.io/report-builder:5.0.1",
        state=[],
        ready=False,
        limits={"cpu": "4", "memory": "48Gi"},
        requests={"cpu": "2", "memory": "40Gi"},
    )
    pod = Pod(
        name=POD,
        namespace="reports",
        node="",
        app="report-builder",
        containers=[container],
        status="Pending",
        conditions={"PodScheduled": "False"},
        start_time="",
        node_selectors="pool=highmem",
        events=[
            ("Warning", "FailedScheduling", "4m12s (x9 over 41m)", "default-scheduler", SCHEDULING),
            (
                "Normal",
                "NotTriggerScaleUp",
                "70s (x243 over 41m)",
                "cluster-autoscaler",
                "pod didn't trigger scale-up: 1 node(s) had untolerated taint {dedicated: highmem}, 1 max node group size reached",
            ),
        ],
    )
    routine = routine_events(
        rng, ["report-api", "scheduler", "exporter"], 700, NODES, namespace="reports"
    )
    signal = [
        (
            2480,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/report-builder",
                "Scaled up replica set report-builder-64b8f9c7d5 to 2",
            ),
        ),
        (
            2478,
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/report-builder-64b8f9c7d5",
                f"Created pod: {POD}",
            ),
        ),
        (2470, ("Warning", "FailedScheduling", f"pod/{POD}", SCHEDULING)),
        (2469, ("Warning", "FailedScheduling", "pod/report-builder-64b8f9c7d5-kt7wm", SCHEDULING)),
        (
            2400,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/report-builder",
                "Scaled down replica set report-builder-7f6c5d9b8 to 1 from 2",
            ),
        ),
        (
            2350,
            (
                "Normal",
                "Killing",
                "pod/report-builder-7f6c5d9b8-p4c8z",
                "Stopping container report-builder",
            ),
        ),
        (
            1600,
            (
                "Warning",
                "BackOff",
                "pod/exporter-6d7c8b9f5-w2q7x",
                "Back-off restarting failed container exporter in pod exporter-6d7c8b9f5-w2q7x_reports(0c2e4a6b-8d1f-4a3c-9e5b-7f9d1b3c5e70)",
            ),
        ),
    ]
    autoscaler = LogFile("cluster-autoscaler.log", Klog())
    autoscaler.add(traffic(rng, autoscaler_line, START, 45, 2100))
    autoscaler.add(
        [
            Record(
                record.time,
                "INFO",
                f'orchestrator.go:{rng.choice([546, 565])}] Pod reports/{rng.choice([POD, "report-builder-64b8f9c7d5-kt7wm"])} can\'t be scheduled on aks-highmem-30718264-vmss, predicate checking error: node(s) had untolerated taint {{dedicated: highmem}}; predicateName=TaintToleration; reasons: node(s) had untolerated taint {{dedicated: highmem}}; debugInfo=taints on node: []v1.Taint{{v1.Taint{{Key:"dedicated", Value:"highmem", Effect:"NoSchedule", TimeAdded:<nil>}}}}',
            )
            for record in traffic(
                rng, autoscaler_line, START + timedelta(minutes=4, seconds=40), 40, 160
            )
        ]
    )
    autoscaler.add(
        [
            Record(
                record.time,
                "WARN",
                "orchestrator.go:594] Node group aks-general-14592831-vmss is not ready for scaleup - max size reached (5)",
            )
            for record in traffic(rng, autoscaler_line, START + timedelta(minutes=5), 40, 240)
        ]
    )
    api = LogFile(
        "report-api.log", PythonLogging(("reports.api", "reports.queue", "gunicorn.access"), rng)
    )
    api.add(traffic(rng, worker("report-api", ["report-requests", "exports"]), START, 45, 1300))
    api.add(
        loud(
            rng,
            START,
            8,
            37,
            310,
            fixed(
                "WARN",
                lambda r: (
                    f"report job {r.getrandbits(32):08x} still queued after {r.randrange(5, 40)}m (queue depth {r.randrange(40, 400)}, builders available: 1)"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            20,
            25,
            120,
            fixed(
                "ERROR",
                lambda r: (
                    f"export to sftp://partner-{r.randrange(1, 9)}.example.net failed: report {r.getrandbits(32):08x} not ready before deadline 02:00"
                ),
            ),
        )
    )
    return Bundle(
        question="The nightly reports are hours late. report-builder was scaled to 2 but stays at 1 running pod. Why?",
        category="scheduling",
        component="report-builder",
        statement="report-builder 5.0.1 selects nodes with pool=highmem, but those nodes carry the taint dedicated=highmem:NoSchedule and the pods have no matching toleration, so they stay Pending (FailedScheduling: untolerated taint).",
        files={
            "describe-pod.txt": describe_pod(pod, rng),
            "describe-node.txt": describe_node(),
            "events.txt": event_listing(routine, signal),
            "cluster-autoscaler.log": autoscaler.render(),
            "report-api.log": api.render(),
        },
        proofs=[
            Proof(
                "describe-pod.txt",
                "2 node(s) had untolerated taint {dedicated: highmem}, 5 node(s)",
            ),
            Proof("describe-node.txt", "Taints:             dedicated=highmem:NoSchedule"),
        ],
        decoys=[
            "max size reached",
            "not ready before deadline",
            "Back-off restarting failed container exporter",
        ],
    )
