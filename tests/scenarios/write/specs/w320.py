# ruff: noqa: E501
# ipamd lines, kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes on EKS: the cluster's three node subnets are /24s and aws-node runs with the default
`WARM_ENI_TARGET=1`, so every m5.4xlarge node holds a whole spare ENI of addresses. The flash
sale's scale-out (HPA, then 11 nodes from the cluster autoscaler) used up the subnets' free
addresses by 16:07 UTC: ipamd cannot attach ENIs (InsufficientFreeAddressesInSubnet) and new
checkout pods stay in ContainerCreating (`failed to assign an IP address to container`). Decoys:
the HPA and cluster-autoscaler scale-ups (the trigger), a slow payment-provider warning in
checkout, and a Readiness probe failure of a cart pod during its start-up."""

import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Record, Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 11, 21, 15, 10, tzinfo=UTC)
NOW = datetime(2026, 11, 21, 16, 48, tzinfo=UTC)
SALE = 40.0  # 15:50
EXHAUSTED = 57.0  # 16:07
NODE = "ip-10-42-3-217.us-east-2.compute.internal"
NODES = [
    NODE,
    "ip-10-42-1-88.us-east-2.compute.internal",
    "ip-10-42-2-131.us-east-2.compute.internal",
    "ip-10-42-1-240.us-east-2.compute.internal",
]


@dataclass
class Ipamd:
    """aws-node ipamd's JSON log (`/var/log/aws-routed-eni/ipamd.log`)."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [
            json.dumps(
                {
                    "level": record.level.lower(),
                    "ts": stamp,
                    "caller": record.logger or "ipamd/ipamd.go:677",
                    "msg": record.message,
                }
            )
        ]


def ipamd_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    total = rng.choice([29, 29, 44])
    if roll < 0.3:
        return (
            "DEBUG",
            f"IP pool stats: Total IPs/Prefixes = {total}/0, AssignedIPs/CooldownIPs: {rng.randrange(6, total - 10)}/0, c.maxIPsPerENI = 29",
            (),
        )
    if roll < 0.5:
        return (
            "INFO",
            f"Received AddNetwork for NS /var/run/netns/cni-{rng.getrandbits(128):032x}"[:90]
            + f", Sandbox {rng.getrandbits(128):032x}, ifname eth0",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"Send AddNetworkReply: IPv4Addr: 10.42.{rng.randrange(1, 4)}.{rng.randrange(4, 250)}, IPv6Addr: , DeviceNumber: {rng.randrange(0, 3)}, err: <nil>",
            (),
        )
    if roll < 0.85:
        return (
            "DEBUG",
            "IP pool is too low: available (0) vs 0 > 0 warm_ip_target (0) ... skipping",
            (),
        )
    return "DEBUG", f"Successfully Reconciled ENI/IP pool, total IPs {total}", ()


SUBNETS = """$ aws ec2 describe-subnets --subnet-ids subnet-0b3e71c9a4d2f8061 subnet-04f9d2a7c1e63b58d subnet-0e8a16c4f7b92d035 \\
    --query 'Subnets[].{id:SubnetId,az:AvailabilityZone,cidr:CidrBlock,free:AvailableIpAddressCount}' --output table
------------------------------------------------------------------------
|                            DescribeSubnets                           |
+------------+------------------+-------+------------------------------+
|     az     |      cidr        | free  |             id               |
+------------+------------------+-------+------------------------------+
|  us-east-2a|  10.42.1.0/24    |  0    |  subnet-0b3e71c9a4d2f8061    |
|  us-east-2b|  10.42.2.0/24    |  2    |  subnet-04f9d2a7c1e63b58d    |
|  us-east-2c|  10.42.3.0/24    |  0    |  subnet-0e8a16c4f7b92d035    |
+------------+------------------+-------+------------------------------+

$ kubectl -n kube-system get ds aws-node -o jsonpath='{.spec.template.spec.containers[0].env}' | jq -c '.[] | select(.name|test("WARM|MINIMUM|PREFIX"))'
{"name":"ENABLE_PREFIX_DELEGATION","value":"false"}
{"name":"WARM_ENI_TARGET","value":"1"}
{"name":"WARM_PREFIX_TARGET","value":"1"}

$ kubectl get nodes -L node.kubernetes.io/instance-type --no-headers | wc -l
25

$ kubectl -n shop get pods -l app=checkout -o wide | head -12
NAME                        READY   STATUS              RESTARTS   AGE   IP            NODE                                        NOMINATED NODE   READINESS GATES
checkout-7f6d9b5c48-2kq8n   1/1     Running             0          2d    10.42.1.37    ip-10-42-1-88.us-east-2.compute.internal    <none>           <none>
checkout-7f6d9b5c48-4hxzt   1/1     Running             0          2d    10.42.2.201   ip-10-42-2-131.us-east-2.compute.internal   <none>           <none>
checkout-7f6d9b5c48-8mvwd   1/1     Running             0          51m   10.42.3.64    ip-10-42-3-19.us-east-2.compute.internal    <none>           <none>
checkout-7f6d9b5c48-9c2lp   0/1     ContainerCreating   0          39m   <none>        ip-10-42-3-217.us-east-2.compute.internal   <none>           <none>
checkout-7f6d9b5c48-b7rnf   0/1     ContainerCreating   0          39m   <none>        ip-10-42-1-240.us-east-2.compute.internal   <none>           <none>
checkout-7f6d9b5c48-f5tqj   0/1     ContainerCreating   0          38m   <none>        ip-10-42-3-217.us-east-2.compute.internal   <none>           <none>
checkout-7f6d9b5c48-hn4gw   1/1     Running             0          47m   10.42.1.193   ip-10-42-1-240.us-east-2.compute.internal   <none>           <none>
checkout-7f6d9b5c48-kx8dz   0/1     ContainerCreating   0          36m   <none>        ip-10-42-2-77.us-east-2.compute.internal    <none>           <none>
checkout-7f6d9b5c48-p3jfm   0/1     ContainerCreating   0          36m   <none>        ip-10-42-1-240.us-east-2.compute.internal   <none>           <none>
checkout-7f6d9b5c48-w6zrc   1/1     Running             0          2d    10.42.3.12    ip-10-42-3-19.us-east-2.compute.internal    <none>           <none>
checkout-7f6d9b5c48-xv9bq   0/1     ContainerCreating   0          35m   <none>        ip-10-42-2-77.us-east-2.compute.internal    <none>           <none>
"""

SANDBOX = 'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "{sb}": plugin type="aws-cni" name="aws-cni" failed (add): add cmd: failed to assign an IP address to container'


def bundle() -> Bundle:
    rng = random.Random(3200)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    ipamd = LogFile("aws-node-ipamd.log", Ipamd())
    ipamd.add(traffic(rng, ipamd_line, START, total, 2300))
    ipamd.add(
        [
            at(
                START,
                EXHAUSTED - 4.2,
                "INFO",
                "Starting to increase pool size",
                logger="ipamd/ipamd.go:1044",
            ),
            at(
                START,
                EXHAUSTED - 4.18,
                "DEBUG",
                "Trying to allocate an ENI: subnet=subnet-0e8a16c4f7b92d035",
                logger="awsutils/awsutils.go:831",
            ),
            at(
                START,
                EXHAUSTED,
                "ERROR",
                "Failed to increase pool size due to not able to allocate ENI AllocENI: error attaching ENI: CreateNetworkInterface: InsufficientFreeAddressesInSubnet: insufficient free IP addresses in subnet subnet-0e8a16c4f7b92d035 to create network interface",
                logger="ipamd/ipamd.go:843",
            ),
        ]
    )
    ipamd.add(
        loud(
            rng,
            START,
            EXHAUSTED + 0.5,
            total - EXHAUSTED - 0.5,
            140,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        "Failed to increase pool size due to not able to allocate ENI AllocENI: error attaching ENI: CreateNetworkInterface: InsufficientFreeAddressesInSubnet: insufficient free IP addresses in subnet subnet-0e8a16c4f7b92d035",
                        f"AssignPodIPv4Address: no available IP/Prefix addresses in the datastore for pod checkout-7f6d9b5c48-{r.choice(['9c2lp', 'f5tqj'])}",
                        f"Send AddNetworkReply: IPv4Addr: , IPv6Addr: , DeviceNumber: -1, err: assignPodIPv4AddressUnsafe: no available IP/Prefix addresses (container {r.getrandbits(64):016x})",
                    ]
                ),
            ),
        )
    )

    checkout = LogFile(
        "logs/checkout.log",
        Zap(("server/handler.go:88", "payment/client.go:141", "cart/client.go:62"), rng=rng),
    )
    checkout.add(
        traffic(rng, web_api("checkout", ["orders", "checkout", "quotes"]), START, total, 3200)
    )
    checkout.add(
        [
            at(
                START,
                26.4,
                "WARN",
                "payment provider adyen p99 1840ms over last 5m (slo 1500ms)",
                logger="payment/client.go:203",
            )
        ]
    )
    checkout.add(
        loud(
            rng,
            START,
            SALE + 4,
            total - SALE - 4,
            1300,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        f"POST /api/v1/checkout 503 {r.randrange(2000, 5000)}ms: server overloaded, inflight={r.randrange(480, 512)}/512",
                        f"request shed: inflight limit reached (512), cart={r.getrandbits(32):08x}",
                        f"POST /api/v1/checkout 504 {r.randrange(10000, 10050)}ms: context deadline exceeded",
                    ]
                ),
            ),
        )
    )

    routine = routine_events(rng, ["cart", "catalog", "checkout"], 24, NODES, namespace="shop")
    signal = [
        (
            ago(SALE + 1),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/checkout",
                "New size: 12; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(SALE + 9),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/checkout",
                "New size: 24; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(SALE + 2),
            (
                "Normal",
                "TriggeredScaleUp",
                "pod/checkout-7f6d9b5c48-8mvwd",
                "pod triggered scale-up: [{eks-shop-m5-4xl-6ec5b9d2 14->25 (max: 40)}]",
            ),
        ),
        (
            ago(SALE + 3),
            (
                "Warning",
                "Unhealthy",
                "pod/cart-5d8c7b9f6-t2wnx",
                'Readiness probe failed: Get "http://10.42.2.58:8080/ready": dial tcp 10.42.2.58:8080: connect: connection refused',
            ),
        ),
        (
            ago(EXHAUSTED + 1),
            (
                "Warning",
                "FailedCreatePodSandBox",
                "pod/checkout-7f6d9b5c48-9c2lp",
                SANDBOX.format(sb=f"{rng.getrandbits(256):064x}"),
            ),
        ),
        (
            ago(EXHAUSTED + 1.5),
            (
                "Warning",
                "FailedCreatePodSandBox",
                "pod/checkout-7f6d9b5c48-b7rnf",
                SANDBOX.format(sb=f"{rng.getrandbits(256):064x}"),
            ),
        ),
        (
            ago(EXHAUSTED + 3),
            (
                "Warning",
                "FailedCreatePodSandBox",
                "pod/checkout-7f6d9b5c48-kx8dz",
                SANDBOX.format(sb=f"{rng.getrandbits(256):064x}"),
            ),
        ),
    ]
    pod = Pod(
        name="checkout-7f6d9b5c48-9c2lp",
        namespace="shop",
        node=NODE,
        app="checkout",
        status="Pending",
        ip="",
        start_time="Sat, 21 Nov 2026 16:09:12 +0000",
        containers=[
            Container(
                name="checkout",
                image="902114357826.dkr.ecr.us-east-2.amazonaws.com/shop/checkout:5.22.1",
                state=["Waiting", "  Reason:       ContainerCreating"],
                ready=False,
                limits={"memory": "1Gi"},
                requests={"cpu": "1", "memory": "768Mi"},
            )
        ],
        conditions={
            "PodReadyToStartContainers": "False",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Normal",
                "Scheduled",
                "39m",
                "default-scheduler",
                f"Successfully assigned shop/checkout-7f6d9b5c48-9c2lp to {NODE}",
            ),
            (
                "Warning",
                "FailedCreatePodSandBox",
                "38m",
                "kubelet",
                SANDBOX.format(
                    sb="5c0e2b9d81f4a7c36e09d1b2f8a4c7e5d3b6a90f1e2c4d8b7a6f5e3d2c1b0a98"
                ),
            ),
            (
                "Warning",
                "FailedCreatePodSandBox",
                "3m12s (x171 over 38m)",
                "kubelet",
                "(combined from similar events): "
                + SANDBOX.format(
                    sb="e71d4c9a2b8f06d35c1e7a49b2f8d0c6a3e5b7d9f1c2a4e6b8d0f2a4c6e8b0d2"
                ),
            ),
        ],
    )
    text = describe_pod(pod, rng).replace(
        "IP:\nIPs:\n  IP:           \n", "IP:\nIPs:              <none>\n"
    )
    text = re.sub(r"(Node:             ip-10-42-3-217[^/]*)/[0-9.]+", r"\1/10.42.3.217", text)
    text = "\n".join(
        line
        for line in text.split("\n")
        if not line.startswith(("    Container ID:", "    Image ID:"))
    )
    return Bundle(
        question="Checkout started returning 503s and 504s during the flash sale around 16:00 UTC even though the HPA scaled it up. What is the root cause?",
        category="network",
        component="aws-node",
        statement="The node subnets (/24s, with aws-node keeping a warm ENI per node) ran out of free IP addresses during the scale-out; the VPC CNI cannot attach ENIs (InsufficientFreeAddressesInSubnet), so the new checkout pods never get an IP and stay in ContainerCreating.",
        files={
            "aws-node-ipamd.log": ipamd.render(),
            "logs/checkout.log": checkout.render(),
            "kubectl-describe-pod-checkout.txt": text,
            "kubectl-get-events-shop.txt": event_listing(routine, signal),
            "notes-vpc-and-pods.txt": SUBNETS,
        },
        proofs=[
            Proof(
                "aws-node-ipamd.log",
                "insufficient free IP addresses in subnet subnet-0e8a16c4f7b92d035 to create network interface",
            ),
            Proof("notes-vpc-and-pods.txt", "|  us-east-2a|  10.42.1.0/24    |  0 "),
            Proof("kubectl-describe-pod-checkout.txt", "FailedCreatePodSandBox   38m"),
        ],
        decoys=[
            "above target",
            "pod triggered scale-up",
            "payment provider adyen p99",
            "Readiness probe failed",
        ],
    )
