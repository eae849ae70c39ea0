# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""The AKS user node pool is moved from userpool1 to userpool2, whose nodes carry the taint
workload=general:NoSchedule; pdf-renderer's pods, evicted by the drain, tolerate no such taint
and the two userpool1 nodes left have no CPU for them, so they stay Pending while billing-api
times out and retries invoice renders."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import JsonLines
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2025, 5, 6, 7, 0, tzinfo=UTC)
DRAIN_MINUTE = 17.5
OLD = ["aks-userpool1-38211745-vmss000003", "aks-userpool1-38211745-vmss000004"]
NEW = [
    "aks-userpool2-51904622-vmss000000",
    "aks-userpool2-51904622-vmss000001",
    "aks-userpool2-51904622-vmss000002",
]
SYSTEM = ["aks-system-20731158-vmss000000", "aks-system-20731158-vmss000001"]
PODS = [
    "pdf-renderer-7c9f6d5b8-2hmxv",
    "pdf-renderer-7c9f6d5b8-9qk4r",
    "pdf-renderer-7c9f6d5b8-tzw6n",
]
SCHEDULING = "0/7 nodes are available: 2 Insufficient cpu, 2 node(s) had untolerated taint {CriticalAddonsOnly: true}, 3 node(s) had untolerated taint {workload: general}. preemption: 0/7 nodes are available: 2 No preemption victims found for incoming pod, 5 Preemption is not helpful for scheduling."


def nodes() -> str:
    rows = [
        (
            SYSTEM[0],
            "Ready",
            "<none>",
            "214d",
            "v1.29.7",
            "10.240.0.4",
            "<none>",
            "Ubuntu 22.04.4 LTS",
            "5.15.0-1068-azure",
            "containerd://1.7.15-1",
        ),
        (
            SYSTEM[1],
            "Ready",
            "<none>",
            "214d",
            "v1.29.7",
            "10.240.0.5",
            "<none>",
            "Ubuntu 22.04.4 LTS",
            "5.15.0-1068-azure",
            "containerd://1.7.15-1",
        ),
        (
            OLD[0],
            "Ready",
            "<none>",
            "61d",
            "v1.29.7",
            "10.240.0.33",
            "<none>",
            "Ubuntu 22.04.4 LTS",
            "5.15.0-1068-azure",
            "containerd://1.7.15-1",
        ),
        (
            OLD[1],
            "Ready",
            "<none>",
            "61d",
            "v1.29.7",
            "10.240.0.34",
            "<none>",
            "Ubuntu 22.04.4 LTS",
            "5.15.0-1068-azure",
            "containerd://1.7.15-1",
        ),
        (
            NEW[0],
            "Ready",
            "<none>",
            "52m",
            "v1.30.3",
            "10.240.0.61",
            "<none>",
            "Ubuntu 22.04.5 LTS",
            "5.15.0-1073-azure",
            "containerd://1.7.20-1",
        ),
        (
            NEW[1],
            "Ready",
            "<none>",
            "52m",
            "v1.30.3",
            "10.240.0.62",
            "<none>",
            "Ubuntu 22.04.5 LTS",
            "5.15.0-1073-azure",
            "containerd://1.7.20-1",
        ),
        (
            NEW[2],
            "Ready",
            "<none>",
            "51m",
            "v1.30.3",
            "10.240.0.63",
            "<none>",
            "Ubuntu 22.04.5 LTS",
            "5.15.0-1073-azure",
            "containerd://1.7.20-1",
        ),
    ]
    header = (
        "NAME",
        "STATUS",
        "ROLES",
        "AGE",
        "VERSION",
        "INTERNAL-IP",
        "EXTERNAL-IP",
        "OS-IMAGE",
        "KERNEL-VERSION",
        "CONTAINER-RUNTIME",
    )
    return "$ kubectl get nodes -o wide\n" + "\n".join(table(header, rows)) + "\n"


def describe_node() -> str:
    return f"""$ kubectl describe node {NEW[0]}
Name:               {NEW[0]}
Roles:              <none>
Labels:             agentpool=userpool2
                    beta.kubernetes.io/arch=amd64
                    beta.kubernetes.io/instance-type=Standard_D8s_v5
                    kubernetes.azure.com/agentpool=userpool2
                    kubernetes.azure.com/mode=user
                    kubernetes.io/hostname={NEW[0]}
                    kubernetes.io/os=linux
                    node.kubernetes.io/instance-type=Standard_D8s_v5
                    topology.kubernetes.io/region=westeurope
                    topology.kubernetes.io/zone=westeurope-1
Annotations:        node.alpha.kubernetes.io/ttl: 0
                    volumes.kubernetes.io/controller-managed-attach-detach: true
CreationTimestamp:  Tue, 06 May 2025 06:29:12 +0000
Taints:             workload=general:NoSchedule
Unschedulable:      false
Conditions:
  Type                 Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----                 ------  -----------------                 ------------------                ------                       -------
  MemoryPressure       False   Tue, 06 May 2025 07:41:08 +0000   Tue, 06 May 2025 06:29:12 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  DiskPressure         False   Tue, 06 May 2025 07:41:08 +0000   Tue, 06 May 2025 06:29:12 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure
  PIDPressure          False   Tue, 06 May 2025 07:41:08 +0000   Tue, 06 May 2025 06:29:12 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available
  Ready                True    Tue, 06 May 2025 07:41:08 +0000   Tue, 06 May 2025 06:29:43 +0000   KubeletReady                 kubelet is posting ready status
Addresses:
  InternalIP:  10.240.0.61
  Hostname:    {NEW[0]}
Capacity:
  cpu:                8
  ephemeral-storage:  129886128Ki
  memory:             32863404Ki
  pods:               110
Allocatable:
  cpu:                7820m
  ephemeral-storage:  119703055367
  memory:             28892332Ki
  pods:               110
System Info:
  Kernel Version:             5.15.0-1073-azure
  OS Image:                   Ubuntu 22.04.5 LTS
  Container Runtime Version:  containerd://1.7.20-1
  Kubelet Version:            v1.30.3
PodCIDR:                      10.244.9.0/24
ProviderID:                   azure:///subscriptions/2f1e6a7b-0c3d-4e5f-8a9b-1c2d3e4f5a6b/resourceGroups/mc_billing-prod_aks-billing_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets/aks-userpool2-51904622-vmss/virtualMachines/0
Non-terminated Pods:          (4 in total)
  Namespace                   Name                              CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----                              ------------  ----------  ---------------  -------------  ---
  kube-system                 azure-ip-masq-agent-x7r2d         100m (1%)     500m (6%)   50Mi (0%)        250Mi (0%)     52m
  kube-system                 cloud-node-manager-9fz5p          50m (0%)      0 (0%)      50Mi (0%)        512Mi (1%)     52m
  kube-system                 csi-azuredisk-node-q4m8t          30m (0%)      0 (0%)      60Mi (0%)        400Mi (1%)     52m
  kube-system                 kube-proxy-6w2lc                  100m (1%)     0 (0%)      0 (0%)           0 (0%)         52m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests    Limits
  --------           --------    ------
  cpu                280m (3%)   500m (6%)
  memory             160Mi (0%)  1162Mi (4%)
  ephemeral-storage  0 (0%)      0 (0%)
Events:
  Type    Reason                   Age   From             Message
  ----    ------                   ----  ----             -------
  Normal  Starting                 52m   kube-proxy
  Normal  NodeHasSufficientMemory  52m   kubelet          Node {NEW[0]} status is now: NodeHasSufficientMemory
  Normal  NodeReady                52m   kubelet          Node {NEW[0]} status is now: NodeReady
  Normal  RegisteredNode           52m   node-controller  Node {NEW[0]} event: Registered Node {NEW[0]} in Controller
"""


def pods(rng: random.Random) -> str:
    rows = [(name, "0/1", "Pending", "0", "23m", "<none>", "<none>") for name in PODS]
    for app, node in [
        ("billing-api", OLD[0]),
        ("billing-api", OLD[1]),
        ("ledger", OLD[0]),
        ("ledger", OLD[1]),
        ("invoice-mailer", OLD[1]),
        ("tax-rates", OLD[0]),
    ]:
        rows.append(
            (
                f"{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}",
                "1/1",
                "Running",
                "0",
                f"{rng.randrange(3, 30)}d",
                f"10.244.{rng.randrange(2, 6)}.{rng.randrange(2, 250)}",
                node,
            )
        )
    rows.sort()
    return (
        "$ kubectl -n billing get pods -o wide\n"
        + "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"), rows))
        + "\n"
    )


def billing_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "info",
            f"GET /v2/invoices/INV-{rng.randrange(10**6, 10**7)} 200 {rng.randrange(4, 60)}ms",
            (),
        )
    if roll < 0.6:
        return (
            "info",
            f"POST /v2/payments 201 {rng.randrange(30, 200)}ms tenant=t-{rng.randrange(900)}",
            (),
        )
    if roll < 0.8:
        return (
            "info",
            f"invoice INV-{rng.randrange(10**6, 10**7)} rendered by pdf-renderer in {rng.randrange(300, 1800)}ms ({rng.randrange(1, 9)} pages)",
            (),
        )
    if roll < 0.95:
        return "info", f"ledger sync ok: {rng.randrange(1, 90)} entries posted", ()
    return (
        "warn",
        f"tax-rates lookup slow ({rng.randrange(500, 900)}ms) for region {rng.choice(['DE', 'FR', 'NL', 'ES'])}",
        (),
    )


def billing_line_without_renders(rng: random.Random) -> Line:
    while True:
        line = billing_line(rng)
        if "rendered by pdf-renderer" not in line[1]:
            return line


def bundle() -> Bundle:
    rng = random.Random(182)
    container = Container(
        name="pdf-renderer",
        image="billingacr.azurecr.io/billing/pdf-renderer:3.6.2",
        state=[],
        ready=False,
        limits={"cpu": "4", "memory": "4Gi"},
        requests={"cpu": "2", "memory": "3Gi"},
    )
    pod = Pod(
        name=PODS[0],
        namespace="billing",
        node="",
        app="pdf-renderer",
        containers=[container],
        status="Pending",
        conditions={"PodScheduled": "False"},
        start_time="",
        events=[
            ("Warning", "FailedScheduling", "3m12s (x7 over 23m)", "default-scheduler", SCHEDULING),
            (
                "Normal",
                "NotTriggerScaleUp",
                "2m41s (x121 over 23m)",
                "cluster-autoscaler",
                "pod didn't trigger scale-up: 1 max node group size reached, 1 node(s) had untolerated taint {CriticalAddonsOnly: true}, 1 node(s) had untolerated taint {workload: general}",
            ),
        ],
    )
    routine = routine_events(
        rng, ["billing-api", "ledger", "invoice-mailer", "tax-rates"], 260, OLD, namespace="billing"
    )
    signal = [
        (
            2600,
            (
                "Normal",
                "ScaleUp",
                "configmap/cluster-autoscaler-status",
                "agent pool userpool2 created with 3 nodes (Standard_D8s_v5, v1.30.3)",
            ),
        ),
        (
            1450,
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{OLD[0].replace('03', '01')}",
                f"Node {OLD[0].replace('03', '01')} status is now: NodeNotSchedulable",
            ),
        ),
        (
            1440,
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{OLD[0].replace('03', '02')}",
                f"Node {OLD[0].replace('03', '02')} status is now: NodeNotSchedulable",
            ),
        ),
        (
            1420,
            (
                "Normal",
                "Killing",
                "pod/pdf-renderer-7c9f6d5b8-l5r8d",
                "Stopping container pdf-renderer",
            ),
        ),
        (
            1415,
            (
                "Normal",
                "Killing",
                "pod/pdf-renderer-7c9f6d5b8-fb7wq",
                "Stopping container pdf-renderer",
            ),
        ),
        (1410, ("Warning", "FailedScheduling", f"pod/{PODS[0]}", SCHEDULING)),
        (1405, ("Warning", "FailedScheduling", f"pod/{PODS[1]}", SCHEDULING)),
        (
            1400,
            (
                "Normal",
                "Killing",
                "pod/pdf-renderer-7c9f6d5b8-m2c9s",
                "Stopping container pdf-renderer",
            ),
        ),
        (1390, ("Warning", "FailedScheduling", f"pod/{PODS[2]}", SCHEDULING)),
        (
            1200,
            (
                "Normal",
                "RemovingNode",
                f"node/{OLD[0].replace('03', '01')}",
                f"Node {OLD[0].replace('03', '01')} event: Removing Node {OLD[0].replace('03', '01')} from Controller",
            ),
        ),
        (
            1180,
            (
                "Normal",
                "RemovingNode",
                f"node/{OLD[0].replace('03', '02')}",
                f"Node {OLD[0].replace('03', '02')} event: Removing Node {OLD[0].replace('03', '02')} from Controller",
            ),
        ),
        (
            160,
            (
                "Normal",
                "NotTriggerScaleUp",
                f"pod/{PODS[1]}",
                "pod didn't trigger scale-up: 1 max node group size reached, 1 node(s) had untolerated taint {CriticalAddonsOnly: true}, 1 node(s) had untolerated taint {workload: general}",
            ),
        ),
    ]
    billing = LogFile(
        "billing-api.log", JsonLines("billing-api", ("time", "level", "message"), rng=rng)
    )
    billing.add(traffic(rng, billing_line, START, DRAIN_MINUTE + 0.5, 1400))
    billing.add(
        traffic(
            rng,
            billing_line_without_renders,
            START + timedelta(minutes=DRAIN_MINUTE + 0.5),
            45 - DRAIN_MINUTE - 0.5,
            1800,
        )
    )
    billing.add(
        loud(
            rng,
            START,
            DRAIN_MINUTE + 0.6,
            27,
            388,
            fixed(
                "error",
                lambda r: (
                    f"render invoice INV-{r.randrange(10**6, 10**7)} failed: POST http://pdf-renderer.billing.svc:8080/render: dial tcp 10.0.148.21:8080: connect: connection refused (attempt {r.randrange(1, 4)}/3)"
                ),
            ),
        )
    )
    billing.add(
        loud(
            rng,
            START,
            DRAIN_MINUTE + 2,
            25,
            171,
            fixed(
                "warn",
                lambda r: (
                    f"invoice run 2025-05 tenant=t-{r.randrange(900)}: {r.randrange(20, 400)} invoices deferred, render queue depth {r.randrange(800, 6000)}"
                ),
            ),
        )
    )
    billing.add(
        loud(
            rng,
            START,
            DRAIN_MINUTE + 4,
            23,
            57,
            fixed(
                "error",
                lambda r: (
                    "circuit breaker pdf-renderer OPEN after 50 consecutive failures; retry in 30s"
                ),
            ),
        )
    )
    return Bundle(
        question="Invoice PDFs stopped generating during this morning's node pool migration on aks-billing (about 07:17 UTC). What's going on?",
        category="scheduling",
        component="pdf-renderer",
        statement="pdf-renderer's pods stay Pending because the new userpool2 nodes carry the taint workload=general:NoSchedule that pdf-renderer does not tolerate, and the two userpool1 nodes left lack the 2 CPUs each pod requests.",
        files={
            "get-pods.txt": pods(rng),
            "describe-pod.txt": describe_pod(pod, rng),
            "get-nodes.txt": nodes(),
            "describe-node.txt": describe_node(),
            "events.txt": event_listing(routine, signal),
            "billing-api.log": billing.render(),
        },
        proofs=[
            Proof("describe-pod.txt", "0/7 nodes are available: 2 Insufficient cpu"),
            Proof("describe-node.txt", "Taints:             workload=general:NoSchedule"),
        ],
        decoys=[
            "connect: connection refused",
            "circuit breaker pdf-renderer OPEN",
            "NotTriggerScaleUp",
        ],
    )
