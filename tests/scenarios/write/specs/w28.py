# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""A node's kubelet stops reporting (NotReady); its pods are marked for deletion and traffic drops."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events, table
from records import Logfmt
from scenes import fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 5, 12, 3, 0, tzinfo=UTC)
NODE = "ip-10-0-7-21.ec2.internal"
NODES = [
    NODE,
    "ip-10-0-7-40.ec2.internal",
    "ip-10-0-8-11.ec2.internal",
    "ip-10-0-8-77.ec2.internal",
]


def describe_node() -> str:
    conditions = table(
        ("Type", "Status", "LastHeartbeatTime", "LastTransitionTime", "Reason", "Message"),
        [
            ("----", "------", "-----------------", "------------------", "------", "-------"),
            (
                "MemoryPressure",
                "Unknown",
                "Mon, 12 May 2025 03:11:42 +0000",
                "Mon, 12 May 2025 03:12:26 +0000",
                "NodeStatusUnknown",
                "Kubelet stopped posting node status.",
            ),
            (
                "DiskPressure",
                "Unknown",
                "Mon, 12 May 2025 03:11:42 +0000",
                "Mon, 12 May 2025 03:12:26 +0000",
                "NodeStatusUnknown",
                "Kubelet stopped posting node status.",
            ),
            (
                "PIDPressure",
                "Unknown",
                "Mon, 12 May 2025 03:11:42 +0000",
                "Mon, 12 May 2025 03:12:26 +0000",
                "NodeStatusUnknown",
                "Kubelet stopped posting node status.",
            ),
            (
                "Ready",
                "Unknown",
                "Mon, 12 May 2025 03:11:42 +0000",
                "Mon, 12 May 2025 03:12:26 +0000",
                "NodeStatusUnknown",
                "Kubelet stopped posting node status.",
            ),
        ],
        indent="  ",
    )
    pods = table(
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
            ("kube-system", "aws-node-8hx2c", "25m (1%)", "0 (0%)", "0 (0%)", "0 (0%)", "41d"),
            ("kube-system", "kube-proxy-5qj7w", "100m (5%)", "0 (0%)", "0 (0%)", "0 (0%)", "41d"),
            (
                "shop",
                "checkout-7b9d6f5c8-k2vrt",
                "500m (25%)",
                "1 (51%)",
                "512Mi (7%)",
                "1Gi (14%)",
                "6d",
            ),
            (
                "shop",
                "catalog-6c7d8e9f1-h4n8s",
                "250m (12%)",
                "500m (25%)",
                "256Mi (3%)",
                "512Mi (7%)",
                "6d",
            ),
            (
                "shop",
                "cart-6f7c9d8b4-q8z2m",
                "250m (12%)",
                "1 (51%)",
                "256Mi (3%)",
                "512Mi (7%)",
                "2d",
            ),
        ],
        indent="  ",
    )
    lines = [
        f"Name:               {NODE}",
        "Roles:              <none>",
        "Labels:             beta.kubernetes.io/arch=amd64",
        "                    node.kubernetes.io/instance-type=m5.large",
        "                    topology.kubernetes.io/zone=eu-west-1b",
        "Annotations:        node.alpha.kubernetes.io/ttl: 0",
        "CreationTimestamp:  Tue, 01 Apr 2025 09:12:03 +0000",
        "Taints:             node.kubernetes.io/unreachable:NoExecute",
        "                    node.kubernetes.io/unreachable:NoSchedule",
        "Unschedulable:      false",
        "Conditions:",
        *conditions,
        "Addresses:",
        "  InternalIP:   10.0.7.21",
        f"  Hostname:     {NODE}",
        "Capacity:",
        "  cpu:                2",
        "  ephemeral-storage:  83873772Ki",
        "  memory:             7934440Ki",
        "  pods:               29",
        "System Info:",
        "  Kernel Version:             5.10.230-223.885.amzn2.x86_64",
        "  Container Runtime Version:  containerd://1.7.23",
        "  Kubelet Version:            v1.30.6-eks-94953ac",
        "Non-terminated Pods:          (5 in total)",
        *pods,
        "Events:",
        "  Type     Reason          Age   From             Message",
        "  ----     ------          ----  ----             -------",
        f"  Normal   NodeNotReady    14m   node-controller  Node {NODE} status is now: NodeNotReady",
    ]
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(128)
    routine = routine_events(
        rng, ["catalog", "search", "cart", "orders", "checkout"], 894, NODES[1:]
    )
    signal = [
        (
            840,
            ("Normal", "NodeNotReady", f"node/{NODE}", f"Node {NODE} status is now: NodeNotReady"),
        ),
        (835, ("Warning", "NodeNotReady", "pod/checkout-7b9d6f5c8-k2vrt", "Node is not ready")),
        (835, ("Warning", "NodeNotReady", "pod/catalog-6c7d8e9f1-h4n8s", "Node is not ready")),
        (
            540,
            (
                "Normal",
                "TaintManagerEviction",
                "pod/checkout-7b9d6f5c8-k2vrt",
                "Marking for deletion Pod shop/checkout-7b9d6f5c8-k2vrt",
            ),
        ),
    ]
    gateway = LogFile("gateway.log", Logfmt("gateway", rng))
    gateway.add(traffic(rng, web_api("gateway", ["routes"]), START, 30, 804))
    gateway.add(
        loud(
            rng,
            START,
            12.5,
            17,
            268,
            fixed(
                "ERROR",
                lambda r: (
                    f"upstream checkout 10.0.7.{r.randrange(100, 140)}:8080 unreachable: dial tcp: i/o timeout (attempt {r.randrange(1, 4)})"
                ),
            ),
        )
    )
    return Bundle(
        question="Checkout and catalog lost capacity at 03:12 and the gateway shows timeouts. What happened?",
        category="scheduling",
        component=NODE,
        statement=f"Node {NODE} went NotReady (kubelet stopped posting node status), so its pods became unreachable and were marked for eviction.",
        files={
            "describe-node.txt": describe_node(),
            "events.txt": event_listing(routine, signal),
            "gateway.log": gateway.render(),
        },
        proofs=[Proof("describe-node.txt", "  Ready            Unknown")],
        decoys=["dial tcp: i/o timeout"],
    )
