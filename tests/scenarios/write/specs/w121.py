# ruff: noqa: E501
# kubectl rows and pasted notes are data, kept whole on one line.
"""Kubernetes, seen only through kubectl: the node group's new launch template gave
ip-10-42-7-19 a 20 GiB root volume (its siblings have 100 GiB). Images and container logs fill
it within hours; the kubelet reports DiskPressure, image GC finds nothing to free, and pods of
many workloads are evicted from it, one after another. The replacements cannot all fit on the
other nodes, so some stay Pending with "Insufficient cpu", which is the loud, wrong lead; a stale
CronJob back-off and an HPA metrics warning are unrelated. The only direct proof is the
ephemeral-storage capacity in `kubectl describe node`."""

import random

from bundle import Bundle, Proof
from kube import describe_events, event_listing, routine_events, table

NODE = "ip-10-42-7-19.eu-central-1.compute.internal"
OTHERS = [
    "ip-10-42-4-133.eu-central-1.compute.internal",
    "ip-10-42-5-61.eu-central-1.compute.internal",
    "ip-10-42-6-208.eu-central-1.compute.internal",
    "ip-10-42-8-45.eu-central-1.compute.internal",
    "ip-10-42-9-170.eu-central-1.compute.internal",
]
NAMESPACE = "retail"
APPS = ["checkout-api", "cart-api", "search-api", "catalog-web", "promo-engine", "session-store"]


def pod_name(rng: random.Random, app: str) -> str:
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    hash_part = "".join(rng.choice(alphabet) for _ in range(10))
    suffix = "".join(rng.choice(alphabet) for _ in range(5))
    return f"{app}-{hash_part}-{suffix}"


def describe_node(rng: random.Random, pods: list[tuple[str, str, str, str, str, str, str]]) -> str:
    conditions = table(
        ("Type", "Status", "LastHeartbeatTime", "LastTransitionTime", "Reason", "Message"),
        [
            ("----", "------", "-----------------", "------------------", "------", "-------"),
            (
                "MemoryPressure",
                "False",
                "Wed, 13 Nov 2024 10:41:30 +0000",
                "Tue, 12 Nov 2024 21:14:07 +0000",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
            ),
            (
                "DiskPressure",
                "True",
                "Wed, 13 Nov 2024 10:41:30 +0000",
                "Wed, 13 Nov 2024 09:58:44 +0000",
                "KubeletHasDiskPressure",
                "kubelet has disk pressure",
            ),
            (
                "PIDPressure",
                "False",
                "Wed, 13 Nov 2024 10:41:30 +0000",
                "Tue, 12 Nov 2024 21:14:07 +0000",
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
            ),
            (
                "Ready",
                "True",
                "Wed, 13 Nov 2024 10:41:30 +0000",
                "Tue, 12 Nov 2024 21:14:38 +0000",
                "KubeletReady",
                "kubelet is posting ready status",
            ),
        ],
        indent="  ",
    )
    non_terminated = table(
        (
            "Namespace",
            "Name",
            "CPU Requests",
            "CPU Limits",
            "Memory Requests",
            "Memory Limits",
            "Age",
        ),
        [
            (
                "---------",
                "----",
                "------------",
                "----------",
                "---------------",
                "-------------",
                "---",
            ),
            *pods,
        ],
        indent="  ",
    )
    allocated = table(
        ("Resource", "Requests", "Limits"),
        [
            ("--------", "--------", "------"),
            ("cpu", "1355m (34%)", "3100m (79%)"),
            ("memory", "2368Mi (15%)", "5120Mi (34%)"),
            ("ephemeral-storage", "0 (0%)", "0 (0%)"),
            ("hugepages-1Gi", "0 (0%)", "0 (0%)"),
            ("hugepages-2Mi", "0 (0%)", "0 (0%)"),
        ],
        indent="  ",
    )
    events = describe_events(
        [
            (
                "Normal",
                "NodeHasDiskPressure",
                "43m",
                "kubelet",
                f"Node {NODE} status is now: NodeHasDiskPressure",
            ),
            (
                "Warning",
                "EvictionThresholdMet",
                "2m10s (x19 over 43m)",
                "kubelet",
                "Attempting to reclaim ephemeral-storage",
            ),
            (
                "Warning",
                "FreeDiskSpaceFailed",
                "3m1s (x8 over 38m)",
                "kubelet",
                "Failed to garbage collect required amount of images. Attempted to free 1873215488 bytes, but only found 0 bytes eligible to free.",
            ),
            (
                "Warning",
                "ImageGCFailed",
                "3m1s (x8 over 38m)",
                "kubelet",
                "Failed to garbage collect required amount of images. Attempted to free 1873215488 bytes, but only found 0 bytes eligible to free.",
            ),
        ]
    )
    lines = [
        f"Name:               {NODE}",
        "Roles:              <none>",
        "Labels:             beta.kubernetes.io/arch=amd64",
        "                    beta.kubernetes.io/instance-type=m6i.xlarge",
        "                    beta.kubernetes.io/os=linux",
        "                    eks.amazonaws.com/capacityType=ON_DEMAND",
        "                    eks.amazonaws.com/nodegroup=general-v2",
        "                    eks.amazonaws.com/nodegroup-image=ami-0c5e8f2a7d1b94e36",
        "                    eks.amazonaws.com/sourceLaunchTemplateId=lt-0f3b9d27c64e1a8b5",
        "                    eks.amazonaws.com/sourceLaunchTemplateVersion=7",
        "                    failure-domain.beta.kubernetes.io/region=eu-central-1",
        "                    failure-domain.beta.kubernetes.io/zone=eu-central-1b",
        "                    kubernetes.io/arch=amd64",
        f"                    kubernetes.io/hostname={NODE}",
        "                    kubernetes.io/os=linux",
        "                    node.kubernetes.io/instance-type=m6i.xlarge",
        "                    topology.kubernetes.io/region=eu-central-1",
        "                    topology.kubernetes.io/zone=eu-central-1b",
        "Annotations:        alpha.kubernetes.io/provided-node-ip: 10.42.7.19",
        "                    node.alpha.kubernetes.io/ttl: 0",
        "                    volumes.kubernetes.io/controller-managed-attach-detach: true",
        "CreationTimestamp:  Tue, 12 Nov 2024 21:13:52 +0000",
        "Taints:             node.kubernetes.io/disk-pressure:NoSchedule",
        "Unschedulable:      false",
        "Lease:",
        f"  HolderIdentity:  {NODE}",
        "  AcquireTime:     <unset>",
        "  RenewTime:       Wed, 13 Nov 2024 10:41:49 +0000",
        "Conditions:",
        *conditions,
        "Addresses:",
        "  InternalIP:   10.42.7.19",
        f"  InternalDNS:  {NODE}",
        f"  Hostname:     {NODE}",
        "Capacity:",
        "  cpu:                4",
        "  ephemeral-storage:  20959212Ki",
        "  hugepages-1Gi:      0",
        "  hugepages-2Mi:      0",
        "  memory:             15896356Ki",
        "  pods:               58",
        "Allocatable:",
        "  cpu:                3920m",
        "  ephemeral-storage:  18242267924",
        "  hugepages-1Gi:      0",
        "  hugepages-2Mi:      0",
        "  memory:             14879524Ki",
        "  pods:               58",
        "System Info:",
        f"  Machine ID:                 ec2{rng.getrandbits(116):029x}",
        f"  System UUID:                ec2{rng.getrandbits(20):05x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}",
        f"  Boot ID:                    {rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}",
        "  Kernel Version:             6.1.112-122.189.amzn2023.x86_64",
        "  OS Image:                   Amazon Linux 2023.6.20241031",
        "  Operating System:           linux",
        "  Architecture:               amd64",
        "  Container Runtime Version:  containerd://1.7.22",
        "  Kubelet Version:            v1.30.4-eks-a737599",
        "  Kube-Proxy Version:         v1.30.4-eks-a737599",
        "ProviderID:                   aws:///eu-central-1b/i-0a7c3e9f12b4d5e68",
        f"Non-terminated Pods:          ({len(pods)} in total)",
        *non_terminated,
        "Allocated resources:",
        "  (Total limits may be over 100 percent, i.e., overcommitted.)",
        *allocated,
        *events,
    ]
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(1121)
    node_pods = [
        (
            "kube-system",
            f"aws-node-{rng.choice('bcdfghjk')}{rng.choice('lmnpqrst')}{rng.choice('vwxz2456')}{rng.choice('789bcdfg')}{rng.choice('hjklmnpq')}",
            "50m (1%)",
            "0 (0%)",
            "0 (0%)",
            "0 (0%)",
            "13h",
        ),
        (
            "kube-system",
            "ebs-csi-node-8q2wd",
            "30m (0%)",
            "0 (0%)",
            "120Mi (0%)",
            "768Mi (5%)",
            "13h",
        ),
        ("kube-system", "kube-proxy-t7mzc", "100m (2%)", "0 (0%)", "0 (0%)", "0 (0%)", "13h"),
        (
            "logging",
            "fluent-bit-r4xkn",
            "100m (2%)",
            "500m (12%)",
            "128Mi (0%)",
            "512Mi (3%)",
            "13h",
        ),
        (
            "monitoring",
            "node-exporter-6lbgv",
            "25m (0%)",
            "250m (6%)",
            "32Mi (0%)",
            "128Mi (0%)",
            "13h",
        ),
        (
            NAMESPACE,
            pod_name(rng, "catalog-web"),
            "250m (6%)",
            "500m (12%)",
            "512Mi (3%)",
            "1Gi (7%)",
            "11h",
        ),
        (
            NAMESPACE,
            pod_name(rng, "promo-engine"),
            "500m (12%)",
            "1 (25%)",
            "1Gi (7%)",
            "2Gi (14%)",
            "9h",
        ),
        (
            NAMESPACE,
            pod_name(rng, "session-store"),
            "300m (7%)",
            "850m (21%)",
            "576Mi (3%)",
            "1536Mi (10%)",
            "6h",
        ),
    ]
    evicted = []
    signal = []
    for index, (app, used, ago) in enumerate(
        [
            ("checkout-api", "1912Ki", 2580),
            ("search-api", "3204Ki", 2340),
            ("cart-api", "744Ki", 1990),
            ("checkout-api", "1220Ki", 1610),
            ("search-api", "2876Ki", 1240),
            ("catalog-web", "516Ki", 860),
            ("cart-api", "988Ki", 420),
            ("checkout-api", "1604Ki", 150),
        ]
    ):
        pod = pod_name(rng, app)
        available = 1930000 - index * 61234
        evicted.append((pod, app, ago))
        signal.append(
            (
                ago,
                (
                    "Warning",
                    "Evicted",
                    f"pod/{pod}",
                    f"The node was low on resource: ephemeral-storage. Threshold quantity: 2095921152, available: {available}Ki. Container {app} was using {used}, request is 0, has larger consumption of ephemeral-storage. ",
                ),
            )
        )
        signal.append((ago - 1, ("Normal", "Killing", f"pod/{pod}", f"Stopping container {app}")))
        replacement = pod_name(rng, app)
        if index >= 5:
            signal.append(
                (
                    ago - 2,
                    (
                        "Warning",
                        "FailedScheduling",
                        f"pod/{replacement}",
                        "0/6 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }, 5 Insufficient cpu. preemption: 0/6 nodes are available: 1 Preemption is not helpful for scheduling, 5 No preemption victims found for incoming pod.",
                    ),
                )
            )
        else:
            signal.append(
                (
                    ago - 2,
                    (
                        "Normal",
                        "Scheduled",
                        f"pod/{replacement}",
                        f"Successfully assigned {NAMESPACE}/{replacement} to {OTHERS[index]}",
                    ),
                )
            )
    signal += [
        (
            2590,
            (
                "Normal",
                "NodeHasDiskPressure",
                f"node/{NODE}",
                f"Node {NODE} status is now: NodeHasDiskPressure",
            ),
        ),
        (
            2280,
            (
                "Warning",
                "FreeDiskSpaceFailed",
                f"node/{NODE}",
                "Failed to garbage collect required amount of images. Attempted to free 1873215488 bytes, but only found 0 bytes eligible to free.",
            ),
        ),
        (
            1820,
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/search-api",
                "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
            ),
        ),
        (
            130,
            (
                "Warning",
                "EvictionThresholdMet",
                f"node/{NODE}",
                "Attempting to reclaim ephemeral-storage",
            ),
        ),
        (
            9400,
            (
                "Warning",
                "BackoffLimitExceeded",
                "job/loyalty-export-28859940",
                "Job has reached the specified backoff limit",
            ),
        ),
        (
            9410,
            (
                "Warning",
                "BackOff",
                "pod/loyalty-export-28859940-lq6fd",
                "Back-off restarting failed container export in pod loyalty-export-28859940-lq6fd_retail(6b1e0c3f-62f9-4bb4-9d5e-2c71a0e84b9f)",
            ),
        ),
    ]
    routine = routine_events(rng, APPS, 120, OTHERS, namespace=NAMESPACE)
    events = event_listing(routine, signal)
    node_rows = [
        (
            OTHERS[0],
            "Ready",
            "<none>",
            "27d",
            "v1.30.4-eks-a737599",
            "10.42.4.133",
            "Amazon Linux 2023.5.20240916",
            "6.1.109-118.189.amzn2023.x86_64",
            "containerd://1.7.22",
        ),
        (
            OTHERS[1],
            "Ready",
            "<none>",
            "27d",
            "v1.30.4-eks-a737599",
            "10.42.5.61",
            "Amazon Linux 2023.5.20240916",
            "6.1.109-118.189.amzn2023.x86_64",
            "containerd://1.7.22",
        ),
        (
            OTHERS[2],
            "Ready",
            "<none>",
            "27d",
            "v1.30.4-eks-a737599",
            "10.42.6.208",
            "Amazon Linux 2023.5.20240916",
            "6.1.109-118.189.amzn2023.x86_64",
            "containerd://1.7.22",
        ),
        (
            NODE,
            "Ready",
            "<none>",
            "13h",
            "v1.30.4-eks-a737599",
            "10.42.7.19",
            "Amazon Linux 2023.6.20241031",
            "6.1.112-122.189.amzn2023.x86_64",
            "containerd://1.7.22",
        ),
        (
            OTHERS[3],
            "Ready",
            "<none>",
            "27d",
            "v1.30.4-eks-a737599",
            "10.42.8.45",
            "Amazon Linux 2023.5.20240916",
            "6.1.109-118.189.amzn2023.x86_64",
            "containerd://1.7.22",
        ),
        (
            OTHERS[4],
            "Ready",
            "<none>",
            "27d",
            "v1.30.4-eks-a737599",
            "10.42.9.170",
            "Amazon Linux 2023.5.20240916",
            "6.1.109-118.189.amzn2023.x86_64",
            "containerd://1.7.22",
        ),
    ]
    nodes = (
        "\n".join(
            table(
                (
                    "NAME",
                    "STATUS",
                    "ROLES",
                    "AGE",
                    "VERSION",
                    "INTERNAL-IP",
                    "OS-IMAGE",
                    "KERNEL-VERSION",
                    "CONTAINER-RUNTIME",
                ),
                node_rows,
            )
        )
        + "\n"
    )
    pod_rows = []
    for pod, _app, _ago in evicted:
        pod_rows.append(
            (
                pod,
                "0/1",
                "Evicted",
                "0",
                f"{rng.randrange(2, 13)}h",
                "<none>",
                NODE,
                "<none>",
                "<none>",
            )
        )
    for app in APPS:
        for replica in range(3 if app in ("checkout-api", "search-api") else 2):
            node = OTHERS[(replica + len(app)) % len(OTHERS)]
            pod_rows.append(
                (
                    pod_name(rng, app),
                    "1/1",
                    "Running",
                    str(rng.choice([0, 0, 0, 1])),
                    f"{rng.randrange(2, 26)}d",
                    f"10.42.{OTHERS.index(node) + 4}.{rng.randrange(10, 250)}",
                    node,
                    "<none>",
                    "<none>",
                )
            )
    for app in ("checkout-api", "cart-api", "catalog-web"):
        pod_rows.append(
            (
                pod_name(rng, app),
                "0/1",
                "Pending",
                "0",
                f"{rng.randrange(2, 14)}m",
                "<none>",
                "<none>",
                "<none>",
                "<none>",
            )
        )
    pod_rows.sort(key=lambda row: row[0])
    pods = (
        "\n".join(
            table(
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
                pod_rows,
            )
        )
        + "\n"
    )
    notes = "\n".join(
        [
            "# retail: checkout flapping, 13 Nov",
            "",
            "- 10:05 UTC pager: checkout-api availability SLO burn (5xx from the ALB, short bursts).",
            "- Pods of checkout-api, search-api and cart-api keep getting replaced; some replacements stay Pending.",
            "- FailedScheduling says Insufficient cpu. Karpenter is not used here; cluster-autoscaler max for general-v2 is 6 and we are at 6.",
            "- The old general-v1 node group was drained and deleted yesterday evening (AL2023 migration); general-v2 came up with the new launch template.",
            "- loyalty-export job failed overnight again, separate ticket RET-2291.",
            "- Attached: get nodes -o wide, get pods -o wide, get events, describe node for the node most evictions name.",
            "",
        ]
    )
    return Bundle(
        question="checkout-api keeps losing pods in the retail namespace since about 10:00 UTC and some new pods stay Pending. What is the root cause?",
        category="disk",
        component=NODE,
        statement=f"{NODE} joined with a 20 GiB root volume (ephemeral-storage capacity 20959212Ki) from node group general-v2's new launch template; from 09:58 UTC the kubelet reports DiskPressure, image garbage collection can free nothing, and it evicts pods of checkout-api, search-api, cart-api and catalog-web one after another, whose replacements partly stay Pending for lack of CPU on the other nodes.",
        files={
            "notes.md": notes,
            "kubectl-get-nodes.txt": nodes,
            "kubectl-get-pods.txt": pods,
            "kubectl-get-events.txt": events,
            "kubectl-describe-node.txt": describe_node(rng, node_pods),
        },
        proofs=[
            Proof("kubectl-describe-node.txt", "ephemeral-storage:  20959212Ki"),
            Proof("kubectl-describe-node.txt", "DiskPressure     True"),
        ],
        decoys=["Insufficient cpu", "BackoffLimitExceeded", "FailedGetResourceMetric"],
    )
