# ruff: noqa: E501
# Log lines, kubectl rows and the pasted launch template are data, kept whole on one line.
"""Kubernetes (EKS, Mumbai): two days ago the `apps-v7` node group was rolled onto a new launch
template whose user data, copied from a Calico cluster, passes `--max-pods=20` to the kubelet.
Every node now holds at most 20 pods although CPU and memory are mostly free. At the evening
peak checkout's HPA asks for 14 replicas; the new pods stay Pending with `Too many pods`, the
existing ones saturate and the edge answers 503/504. Decoys: an HPA metrics hiccup on
search-api, a slow Redis call in checkout, and a readiness failure on recommendations."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import NginxAccess, SpringBoot
from scenes import at, loud
from traffic import http_access, traffic, web_api

IST = timezone(timedelta(hours=5, minutes=30))
START = datetime(2026, 9, 18, 12, 0, tzinfo=UTC)
NOW = datetime(2026, 9, 18, 14, 20, tzinfo=UTC)
PEAK = 88.0  # 13:28 UTC, 18:58 IST
NODES = [
    f"ip-10-61-{a}-{b}.ap-south-1.compute.internal"
    for a, b in ((11, 42), (12, 17), (13, 203), (11, 96), (12, 151))
]
PENDING = "checkout-7c5d9b6f4d-wq8zn"


def describe_node(rng: random.Random) -> str:
    pods = [
        ("kube-system", "aws-node-9xk2p", "50m (1%)"),
        ("kube-system", "kube-proxy-h4q7n", "100m (2%)"),
        ("kube-system", "ebs-csi-node-2mw8c", "30m (0%)"),
        ("kube-system", "coredns-5b9c8d7f6-ptl4s", "100m (2%)"),
        ("monitoring", "node-exporter-f8r2d", "10m (0%)"),
        ("monitoring", "fluent-bit-6jz9t", "50m (1%)"),
        ("shop", "checkout-7c5d9b6f4d-4hs2m", "250m (6%)"),
        ("shop", "checkout-7c5d9b6f4d-b7x1q", "250m (6%)"),
        ("shop", "checkout-7c5d9b6f4d-n9c3v", "250m (6%)"),
        ("shop", "cart-6f7b8c9d5-k2l8w", "100m (2%)"),
        ("shop", "cart-6f7b8c9d5-r5t6y", "100m (2%)"),
        ("shop", "search-api-58d6c7b9f-mm3k1", "200m (5%)"),
        ("shop", "search-api-58d6c7b9f-zq8p4", "200m (5%)"),
        ("shop", "recommendations-7d8e9f6c-x1v2b", "100m (2%)"),
        ("shop", "catalog-5c6d7e8f9-j3h4g", "100m (2%)"),
        ("shop", "catalog-5c6d7e8f9-w6e7r", "100m (2%)"),
        ("shop", "pricing-8b9c7d6e5-t8y9u", "100m (2%)"),
        ("shop", "notifier-6d7c8b9a5-p2o3i", "50m (1%)"),
        ("shop", "session-store-0", "100m (2%)"),
        ("shop", "fx-rates-5f6g7h8j9-q1w2e", "50m (1%)"),
    ]
    rows = [
        f"  {ns:<20}{name:<36}{cpu:<12}0 (0%)      128Mi (0%)       512Mi (3%)     {rng.randrange(1, 48)}h"
        for ns, name, cpu in pods
    ]
    node = NODES[0]
    return "\n".join(
        [
            f"$ kubectl describe node {node}",
            f"Name:               {node}",
            "Roles:              <none>",
            "Labels:             beta.kubernetes.io/arch=amd64",
            "                    beta.kubernetes.io/instance-type=m6i.xlarge",
            "                    eks.amazonaws.com/capacityType=ON_DEMAND",
            "                    eks.amazonaws.com/nodegroup=apps-v7",
            "                    eks.amazonaws.com/nodegroup-image=ami-0c7d1e9a4b2f38d65",
            f"                    kubernetes.io/hostname={node}",
            "                    node.kubernetes.io/instance-type=m6i.xlarge",
            "                    topology.kubernetes.io/zone=ap-south-1a",
            "CreationTimestamp:  Wed, 16 Sep 2026 09:41:27 +0000",
            "Taints:             <none>",
            "Unschedulable:      false",
            "Conditions:",
            "  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message",
            "  ----             ------  -----------------                 ------------------                ------                       -------",
            "  MemoryPressure   False   Fri, 18 Sep 2026 14:18:51 +0000   Wed, 16 Sep 2026 09:41:27 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available",
            "  DiskPressure     False   Fri, 18 Sep 2026 14:18:51 +0000   Wed, 16 Sep 2026 09:41:27 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure",
            "  PIDPressure      False   Fri, 18 Sep 2026 14:18:51 +0000   Wed, 16 Sep 2026 09:41:27 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available",
            "  Ready            True    Fri, 18 Sep 2026 14:18:51 +0000   Wed, 16 Sep 2026 09:42:03 +0000   KubeletReady                 kubelet is posting ready status",
            "Capacity:",
            "  cpu:                4",
            "  ephemeral-storage:  83873772Ki",
            "  memory:             15896364Ki",
            "  pods:               20",
            "Allocatable:",
            "  cpu:                3920m",
            "  ephemeral-storage:  76224326324",
            "  memory:             14879532Ki",
            "  pods:               20",
            "System Info:",
            "  Kernel Version:             6.1.109-118.189.amzn2023.x86_64",
            "  OS Image:                   Amazon Linux 2023.5.20240916",
            "  Container Runtime Version:  containerd://1.7.20",
            "  Kubelet Version:            v1.31.0-eks-a737599",
            "ProviderID:                   aws:///ap-south-1a/i-04b9e2c7d1f3a8560",
            "Non-terminated Pods:          (20 in total)",
            "  Namespace           Name                                CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age",
            "  ---------           ----                                ------------  ----------  ---------------  -------------  ---",
            *rows,
            "Allocated resources:",
            "  (Total limits may be over 100 percent, i.e., overcommitted.)",
            "  Resource           Requests      Limits",
            "  --------           --------      ------",
            "  cpu                2190m (55%)   0 (0%)",
            "  memory             2560Mi (17%)  10240Mi (70%)",
            "Events:              <none>",
            "",
        ]
    )


def bundle() -> Bundle:
    rng = random.Random(4381)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    edge = LogFile("logs/edge-nginx-access.log", NginxAccess(rng=rng, zone=IST))
    edge.add(
        traffic(
            rng,
            http_access(
                [
                    "/api/checkout/{id}",
                    "/api/cart/{id}",
                    "/api/search?q=shoes",
                    "/api/catalog/{id}",
                ],
                60,
            ),
            START,
            total,
            5200,
        )
    )
    edge.add(
        loud(
            rng,
            START,
            PEAK + 4,
            total - PEAK - 6,
            900,
            lambda r: (
                "ERROR",
                f'"POST /api/checkout/{r.randrange(10**6)} HTTP/1.1" {r.choice([503, 503, 504])} {r.randrange(150, 600)} "-" "Mozilla/5.0 (Linux; Android 14)" {r.choice([r.randrange(2900, 3100) / 1000, 30.001])}',
                (),
            ),
        )
    )

    checkout = LogFile(
        "logs/checkout.log",
        SpringBoot(
            (
                "c.s.checkout.api.CheckoutController",
                "c.s.checkout.pay.PaymentClient",
                "c.s.checkout.cart.CartClient",
            ),
            rng=rng,
            zone=IST,
        ),
    )
    checkout.add(traffic(rng, web_api("checkout", ["orders", "payments"]), START, total, 3600))
    checkout.add(
        [
            at(
                START,
                41.3,
                "WARN",
                "Redis command HGETALL cart:8831245 took 212ms (slowlog threshold 100ms)",
                logger="c.s.checkout.cart.CartClient",
            )
        ]
    )
    checkout.add(
        loud(
            rng,
            START,
            PEAK + 3,
            total - PEAK - 5,
            420,
            lambda r: (
                "WARN",
                f"Task rejected from executor checkout-io (pool size 64, active 64, queued 500): order {r.randrange(10**7)} answered 503",
                (),
            ),
        )
    )

    routine = routine_events(
        rng, ["cart", "catalog", "search-api", "pricing"], 20, NODES, namespace="shop"
    )
    signal = [
        (
            ago(35),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/search-api",
                "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
            ),
        ),
        (
            ago(PEAK),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/checkout",
                "New size: 10; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(PEAK + 3),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/checkout",
                "New size: 14; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(PEAK + 3.1),
            (
                "Warning",
                "FailedScheduling",
                f"pod/{PENDING}",
                "0/5 nodes are available: 5 Too many pods. preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod.",
            ),
        ),
        (
            ago(PEAK + 9),
            (
                "Warning",
                "Unhealthy",
                "pod/recommendations-7d8e9f6c-x1v2b",
                'Readiness probe failed: Get "http://10.61.11.77:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
    ]
    events = event_listing(routine, signal)

    pod = Pod(
        name=PENDING,
        namespace="shop",
        node="",
        app="checkout",
        status="Pending",
        start_time="",
        conditions={"PodScheduled": "False"},
        containers=[
            Container(
                name="checkout",
                image="123456789012.dkr.ecr.ap-south-1.amazonaws.com/shop/checkout:5.12.1",
                state=[],
                requests={"cpu": "250m", "memory": "512Mi"},
                limits={"memory": "1Gi"},
            )
        ],
        events=[
            (
                "Warning",
                "FailedScheduling",
                "3m12s (x14 over 48m)",
                "default-scheduler",
                "0/5 nodes are available: 5 Too many pods. preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod.",
            )
        ],
    )
    nodes = "\n".join(
        [
            "$ kubectl get nodes -L eks.amazonaws.com/nodegroup,node.kubernetes.io/instance-type",
            "NAME                                          STATUS   ROLES    AGE   VERSION               NODEGROUP   INSTANCE-TYPE",
            *(
                f"{n:<46}Ready    <none>   2d    v1.31.0-eks-a737599   apps-v7     m6i.xlarge"
                for n in NODES
            ),
            "",
            "$ kubectl get pods -A --field-selector=status.phase=Pending",
            "NAMESPACE   NAME                        READY   STATUS    RESTARTS   AGE",
            *(
                f"shop        checkout-7c5d9b6f4d-{s}   0/1     Pending   0          {a}"
                for s, a in (
                    ("wq8zn", "48m"),
                    ("d4f6g", "48m"),
                    ("k8j2h", "45m"),
                    ("v3b5n", "45m"),
                    ("z9x7c", "45m"),
                )
            ),
            "",
        ]
    )
    template = "\n".join(
        [
            "$ aws ec2 describe-launch-template-versions --launch-template-name lt-prod-mum-apps --versions 7 --query 'LaunchTemplateVersions[0].LaunchTemplateData.UserData' --output text | base64 -d",
            "MIME-Version: 1.0",
            'Content-Type: multipart/mixed; boundary="//"',
            "",
            "--//",
            'Content-Type: text/x-shellscript; charset="us-ascii"',
            "#!/bin/bash",
            "set -ex",
            "# v7: copied from eks-payments-calico bootstrap (hardened sysctl + logrotate)",
            "sysctl -w net.core.somaxconn=4096",
            "/etc/eks/bootstrap.sh prod-mum --use-max-pods false --kubelet-extra-args '--max-pods=20 --node-labels=eks.amazonaws.com/nodegroup=apps-v7'",
            "--//--",
            "",
            "$ aws eks describe-nodegroup --cluster-name prod-mum --nodegroup-name apps-v7 --query 'nodegroup.[scalingConfig,launchTemplate]'",
            '[{"minSize": 5, "maxSize": 5, "desiredSize": 5}, {"name": "lt-prod-mum-apps", "version": "7", "id": "lt-0e4d2c9b7a1f36e58"}]',
            "",
        ]
    )
    return Bundle(
        question="Since about 19:00 IST checkout requests get 503 and 504 at the edge during the evening peak. CPU on the nodes looks fine. What is the root cause?",
        category="scheduling",
        component="apps-v7",
        statement="The apps-v7 node group's new launch template (version 7) passes `--max-pods=20` to the kubelet, so each node is full at 20 pods with CPU and memory to spare; checkout's HPA scale-out at the evening peak leaves its new pods Pending with `Too many pods` and the existing pods saturate.",
        files={
            "kubectl-describe-node.txt": describe_node(rng),
            "kubectl-get.txt": nodes,
            f"kubectl-describe-pod-{PENDING}.txt": describe_pod(pod, rng),
            "kubectl-get-events.txt": events,
            "aws-pasted-v7.txt": template,
            edge.name: edge.render(),
            checkout.name: checkout.render(),
        },
        proofs=[
            Proof("aws-pasted-v7.txt", "--max-pods=20 --node-labels"),
            Proof("kubectl-describe-node.txt", "Allocatable:", "  pods:               20"),
            Proof(f"kubectl-describe-pod-{PENDING}.txt", "5 Too many pods"),
        ],
        decoys=[
            "no metrics returned from resource metrics API",
            "HGETALL cart:8831245 took 212ms",
            'Readiness probe failed: Get "http://10.61.11.77:8080/healthz"',
        ],
    )
