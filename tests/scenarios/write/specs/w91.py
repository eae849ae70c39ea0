# ruff: noqa: E501
# Hand-written log lines and kubectl output are data, kept whole on one line.
"""The kubelet on one EKS worker stops posting node status (PLEG unhealthy, then silence);
the node goes NotReady/Unknown, its pods are evicted after the 300 s toleration and stay
Terminating while replacements wait for capacity, and ingress-nginx answers 503 for
checkout and cart while cart logs Redis connection refusals."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import describe_events, event_listing, routine_events, table
from records import Record, Zap
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 3, 18, 13, 40, tzinfo=UTC)
NOW_MINUTE = 52
LOST_MINUTE = 27.4
NODE = "ip-10-42-7-113.eu-central-1.compute.internal"
NODES = [
    "ip-10-42-3-21.eu-central-1.compute.internal",
    "ip-10-42-5-187.eu-central-1.compute.internal",
    NODE,
    "ip-10-42-9-54.eu-central-1.compute.internal",
]
APPS = ["catalog", "search", "web", "recommendations", "notifications"]


def describe_node() -> str:
    return (
        f"""Name:               {NODE}
Roles:              <none>
Labels:             beta.kubernetes.io/arch=amd64
                    beta.kubernetes.io/instance-type=m6i.xlarge
                    eks.amazonaws.com/nodegroup=storefront-ng-2
                    kubernetes.io/hostname={NODE}
                    topology.kubernetes.io/zone=eu-central-1b
Annotations:        alpha.kubernetes.io/provided-node-ip: 10.42.7.113
                    node.alpha.kubernetes.io/ttl: 0
                    volumes.kubernetes.io/controller-managed-attach-detach: true
CreationTimestamp:  Mon, 03 Mar 2025 08:14:52 +0000
Taints:             node.kubernetes.io/unreachable:NoExecute
                    node.kubernetes.io/unreachable:NoSchedule
Unschedulable:      false
Lease:
  HolderIdentity:  {NODE}
  AcquireTime:     <unset>
  RenewTime:       Tue, 18 Mar 2025 14:06:58 +0000
Conditions:
  Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message
  ----             ------    -----------------                 ------------------                ------              -------
  MemoryPressure   Unknown   Tue, 18 Mar 2025 14:06:51 +0000   Tue, 18 Mar 2025 14:07:37 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
  DiskPressure     Unknown   Tue, 18 Mar 2025 14:06:51 +0000   Tue, 18 Mar 2025 14:07:37 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
  PIDPressure      Unknown   Tue, 18 Mar 2025 14:06:51 +0000   Tue, 18 Mar 2025 14:07:37 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
  Ready            Unknown   Tue, 18 Mar 2025 14:06:51 +0000   Tue, 18 Mar 2025 14:07:37 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
Addresses:
  InternalIP:   10.42.7.113
  InternalDNS:  {NODE}
  Hostname:     {NODE}
Capacity:
  cpu:                4
  ephemeral-storage:  83873772Ki
  hugepages-1Gi:      0
  hugepages-2Mi:      0
  memory:             15896536Ki
  pods:               58
Allocatable:
  cpu:                3920m
  ephemeral-storage:  76224326324
  hugepages-1Gi:      0
  hugepages-2Mi:      0
  memory:             14879704Ki
  pods:               58
System Info:
  Machine ID:                 ec2a81f5d0c94d8f2c1f7a6d3e4b9c10
  System UUID:                ec2a81f5-d0c9-4d8f-2c1f-7a6d3e4b9c10
  Boot ID:                    5b0f3c7e-61a2-4b0e-9e1f-4c2d8a7b6e31
  Kernel Version:             5.10.234-225.895.amzn2.x86_64
  OS Image:                   Amazon Linux 2
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  containerd://1.7.25
  Kubelet Version:            v1.30.9-eks-5d632ec
  Kube-Proxy Version:         v1.30.9-eks-5d632ec
ProviderID:                   aws:///eu-central-1b/i-0c4f7a2b91e3d5f68
Non-terminated Pods:          (9 in total)
  Namespace                   Name                           CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----                           ------------  ----------  ---------------  -------------  ---
  kube-system                 aws-node-7wq2k                 25m (0%)      0 (0%)      0 (0%)           0 (0%)         15d
  kube-system                 kube-proxy-m4x8d               100m (2%)     0 (0%)      0 (0%)           0 (0%)         15d
  kube-system                 ebs-csi-node-2kx9p             30m (0%)      0 (0%)      120Mi (0%)       768Mi (5%)     15d
  storefront                  cart-5f7c9d8b6-q7w4n           500m (12%)    1 (25%)     512Mi (3%)       1Gi (7%)       6d2h
  storefront                  checkout-7d9f84c5b-2xk8m       500m (12%)    1 (25%)     768Mi (5%)       1536Mi (10%)   6d2h
  storefront                  checkout-7d9f84c5b-hx7zt       500m (12%)    1 (25%)     768Mi (5%)       1536Mi (10%)   2d4h
  storefront                  redis-0                        250m (6%)     500m (12%)  1Gi (7%)         1Gi (7%)       15d
  storefront                  payments-6b8d7c9f5-vr2lk       250m (6%)     500m (12%)  256Mi (1%)       512Mi (3%)     6d2h
  storefront                  catalog-84c6d7f9b-w2n5r        250m (6%)     500m (12%)  384Mi (2%)       768Mi (5%)     6d2h
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests      Limits
  --------           --------      ------
  cpu                2405m (61%)   5 (127%)
  memory             3776Mi (25%)  7424Mi (51%)
  ephemeral-storage  0 (0%)        0 (0%)
"""
        + "\n".join(
            describe_events(
                [
                    (
                        "Warning",
                        "ContainerGCFailed",
                        "31m",
                        "kubelet",
                        "rpc error: code = DeadlineExceeded desc = context deadline exceeded",
                    ),
                    (
                        "Normal",
                        "NodeNotReady",
                        "27m",
                        "kubelet",
                        f"Node {NODE} status is now: NodeNotReady",
                    ),
                    (
                        "Normal",
                        "NodeNotReady",
                        "24m",
                        "node-controller",
                        f"Node {NODE} status is now: NodeNotReady",
                    ),
                ]
            )
        )
        + "\n"
    )


def pods_wide(rng: random.Random) -> str:
    rows = [
        ("cart-5f7c9d8b6-q7w4n", "1/1", "Terminating", "0", "6d2h", "10.42.7.201", NODE),
        ("cart-5f7c9d8b6-z9c2d", "1/1", "Running", "0", "19m", "10.42.9.77", NODES[3]),
        ("cart-5f7c9d8b6-p4v8r", "1/1", "Running", "1 (6d ago)", "6d2h", "10.42.3.140", NODES[0]),
        ("checkout-7d9f84c5b-2xk8m", "1/1", "Terminating", "0", "6d2h", "10.42.7.36", NODE),
        ("checkout-7d9f84c5b-hx7zt", "1/1", "Terminating", "0", "2d4h", "10.42.7.92", NODE),
        ("checkout-7d9f84c5b-5bq7s", "0/1", "Pending", "0", "19m", "<none>", "<none>"),
        ("checkout-7d9f84c5b-tn6jw", "0/1", "Running", "0", "19m", "10.42.5.19", NODES[1]),
        ("catalog-84c6d7f9b-w2n5r", "1/1", "Terminating", "0", "6d2h", "10.42.7.58", NODE),
        ("catalog-84c6d7f9b-8kd4m", "1/1", "Running", "0", "19m", "10.42.3.77", NODES[0]),
        ("payments-6b8d7c9f5-vr2lk", "1/1", "Terminating", "0", "6d2h", "10.42.7.164", NODE),
        ("payments-6b8d7c9f5-jm2xq", "1/1", "Running", "0", "19m", "10.42.9.23", NODES[3]),
        ("redis-0", "1/1", "Terminating", "0", "15d", "10.42.7.12", NODE),
    ]
    hashes: dict[str, str] = {}
    for app in [
        "search",
        "search",
        "web",
        "web",
        "web",
        "recommendations",
        "notifications",
    ]:
        hashes.setdefault(app, f"{rng.getrandbits(36):09x}")
        node = rng.choice([NODES[0], NODES[1], NODES[3]])
        rows.append(
            (
                f"{app}-{hashes[app]}-{rng.getrandbits(20):05x}",
                "1/1",
                "Running",
                str(rng.choice([0, 0, 0, 1])),
                f"{rng.randrange(2, 15)}d",
                f"10.42.{node.split('-')[3]}.{rng.randrange(2, 250)}",
                node,
            )
        )
    rows.sort()
    rows = [(*row, "<none>", "<none>") for row in rows]
    return (
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
                rows,
            )
        )
        + "\n"
    )


@dataclass
class IngressNginx:
    """ingress-nginx's access log format (upstream fields at the end)."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        client = f"10.42.{self.rng.randrange(0, 10)}.{self.rng.randrange(2, 250)}"
        stamp = record.time.strftime("%d/%b/%Y:%H:%M:%S +0000")
        return [f"{client} - - [{stamp}] {record.message} {self.rng.getrandbits(128):032x}"]


def access_line(rng: random.Random) -> Line:
    service, path = rng.choice(
        [
            ("web", "/"),
            ("web", f"/p/{rng.randrange(10**5)}"),
            ("catalog", f"/api/catalog/items/{rng.randrange(10**5)}"),
            ("search", "/api/search?q=boots"),
            ("cart", "/api/cart"),
            ("checkout", "/api/checkout/quote"),
        ]
    )
    status = rng.choices([200, 200, 304, 404], [80, 10, 6, 4])[0]
    took = rng.randrange(3, 160) / 1000
    return (
        "INFO",
        f'"GET {path} HTTP/2.0" {status} {rng.randrange(90, 9000)} "https://shop.example.de/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {rng.randrange(30, 90)} {took:.3f} [storefront-{service}-8080] [] 10.42.{rng.randrange(10)}.{rng.randrange(2, 250)}:8080 {rng.randrange(90, 9000)} {took:.3f} {status}',
        (),
    )


def cart_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"cart loaded session={rng.getrandbits(64):016x} items={rng.randrange(0, 7)} took={rng.randrange(1, 12)}ms",
            (),
        )
    if roll < 0.9:
        return "INFO", f"item added sku={rng.randrange(10**6)} qty={rng.randrange(1, 3)}", ()
    return (
        "DEBUG",
        f"redis pool stats hits={rng.randrange(10**5)} misses={rng.randrange(100)} timeouts=0 total=20 idle={rng.randrange(5, 20)}",
        (),
    )


@dataclass
class KubeletJournal:
    """`journalctl -u kubelet -o short-iso` of klog lines (`I0318 14:01:02.123456    3120 file.go:12] msg`)."""

    def render(self, record: Record) -> list[str]:
        letter = record.level[0]
        klog = f"{letter}{record.time.strftime('%m%d %H:%M:%S')}.{record.time.microsecond:06d}    3120 {record.message}"
        return [
            f"{record.time.strftime('%Y-%m-%dT%H:%M:%S+0000')} {NODE.split('.')[0]} kubelet[3120]: {klog}"
        ]


def kubelet_line(rng: random.Random) -> Line:
    roll = rng.random()
    pod = f"storefront/{rng.choice(['checkout-7d9f84c5b-2xk8m', 'checkout-7d9f84c5b-hx7zt', 'cart-5f7c9d8b6-q7w4n', 'catalog-84c6d7f9b-w2n5r', 'payments-6b8d7c9f5-vr2lk', 'redis-0'])}"
    if roll < 0.4:
        return (
            "INFO",
            f'kubelet.go:2470] "SyncLoop (PLEG): event for pod" pod="{pod}" event={{"ID":"{rng.getrandbits(64):016x}","Type":"ContainerStarted"}}',
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f'prober.go:107] "Probe succeeded" probeType="Readiness" pod="{pod}" containerName="{pod.split("/")[1].split("-")[0]}"',
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f'kuberuntime_manager.go:1050] "Pod sandbox status" podSandboxID="{rng.getrandbits(128):032x}"',
            (),
        )
    return (
        "INFO",
        f'image_gc_manager.go:{rng.choice([272, 309])}] "Disk usage on image filesystem is within threshold" usage={rng.randrange(38, 44)} highThreshold=85',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(191)
    now = NOW_MINUTE * 60
    lost = int(LOST_MINUTE * 60)
    journal = LogFile("kubelet-journal.txt", KubeletJournal())
    journal.add(traffic(rng, kubelet_line, START, 18.5, 900))
    journal.add(
        [
            at(
                START,
                21.0,
                "ERROR",
                'kuberuntime_container.go:1198] "ContainerGC failed" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded"',
            ),
            at(
                START,
                21.9,
                "ERROR",
                'remote_runtime.go:633] "ListContainers with filter from runtime service failed" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded" filter="&ContainerFilter{Id:,State:nil,PodSandboxId:,LabelSelector:map[string]string{},}"',
            ),
            at(
                START,
                23.2,
                "ERROR",
                'generic.go:238] "GenericPLEG: Unable to retrieve pods" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded"',
            ),
            at(
                START,
                24.9,
                "INFO",
                'kubelet.go:2349] "Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active 3m0.512s ago; threshold is 3m0s"',
            ),
            at(
                START,
                25.1,
                "INFO",
                f'setters.go:600] "Node became not ready" node="{NODE}" condition={{"type":"Ready","status":"False","lastHeartbeatTime":"2025-03-18T14:05:06Z","lastTransitionTime":"2025-03-18T14:05:06Z","reason":"KubeletNotReady","message":"PLEG is not healthy: pleg was last seen active 3m4.218s ago; threshold is 3m0s"}}',
            ),
            at(
                START,
                26.3,
                "ERROR",
                'kubelet_node_status.go:540] "Error updating node status, will retry" err="error getting node \\"'
                + NODE
                + '\\": Get \\"https://4F1C7B2E9A.gr7.eu-central-1.eks.amazonaws.com/api/v1/nodes/'
                + NODE
                + '?timeout=10s\\": context deadline exceeded"',
            ),
            at(
                START,
                26.85,
                "ERROR",
                'kubelet.go:2349] "Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active 4m57.008s ago; threshold is 3m0s"',
            ),
        ]
    )
    ingress = LogFile("ingress-nginx-controller.log", IngressNginx(rng))
    ingress.add(traffic(rng, access_line, START, NOW_MINUTE, 4200))
    ingress.add(
        loud(
            rng,
            START,
            LOST_MINUTE + 0.9,
            NOW_MINUTE - LOST_MINUTE - 1,
            604,
            fixed(
                "ERROR",
                lambda r: (
                    f'"{r.choice(["GET", "POST"])} /api/{r.choice(["checkout/quote", "checkout/submit"])} HTTP/2.0" 503 190 "https://shop.example.de/" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)" {r.randrange(30, 90)} 0.000 [storefront-checkout-8080] [] - - - -'
                ),
            ),
        )
    )
    ingress.add(
        loud(
            rng,
            START,
            LOST_MINUTE + 0.3,
            4.5,
            97,
            fixed(
                "ERROR",
                lambda r: (
                    f'"POST /api/checkout/submit HTTP/2.0" 504 160 "https://shop.example.de/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {r.randrange(30, 90)} 60.001 [storefront-checkout-8080] [] 10.42.7.{r.choice([36, 92])}:8080 0 60.001 504'
                ),
            ),
        )
    )
    cart = LogFile(
        "cart.log",
        Zap(("redis/client.go:212", "http/handler.go:64", "cart/service.go:118"), rng=rng),
    )
    cart.add(traffic(rng, cart_line, START, NOW_MINUTE, 2100))
    cart.add(
        loud(
            rng,
            START,
            LOST_MINUTE + 0.2,
            NOW_MINUTE - LOST_MINUTE - 0.5,
            388,
            fixed(
                "ERROR",
                lambda r: (
                    f"get cart session={r.getrandbits(64):016x}: dial tcp 10.42.7.12:6379: {r.choice(['connect: connection refused', 'i/o timeout', 'connect: no route to host'])}"
                ),
            ),
        )
    )
    cart.add(
        [
            at(
                START,
                LOST_MINUTE + 0.4,
                "WARN",
                "redis: sentinel unavailable, falling back to redis-0.redis.storefront.svc.cluster.local:6379",
            )
        ]
    )
    routine = routine_events(rng, APPS, 380, [NODES[0], NODES[1], NODES[3]], namespace="storefront")
    signal = [
        (
            now - lost,
            ("Normal", "NodeNotReady", f"node/{NODE}", f"Node {NODE} status is now: NodeNotReady"),
        ),
        (now - lost - 40, ("Warning", "NodeNotReady", "pod/redis-0", "Node is not ready")),
        (
            now - lost - 40,
            ("Warning", "NodeNotReady", "pod/checkout-7d9f84c5b-2xk8m", "Node is not ready"),
        ),
        (
            now - lost - 40,
            ("Warning", "NodeNotReady", "pod/checkout-7d9f84c5b-hx7zt", "Node is not ready"),
        ),
        (
            now - lost - 40,
            ("Warning", "NodeNotReady", "pod/cart-5f7c9d8b6-q7w4n", "Node is not ready"),
        ),
        (
            now - lost - 300,
            (
                "Normal",
                "TaintManagerEviction",
                "pod/checkout-7d9f84c5b-2xk8m",
                "Marking for deletion Pod storefront/checkout-7d9f84c5b-2xk8m",
            ),
        ),
        (
            now - lost - 300,
            (
                "Normal",
                "TaintManagerEviction",
                "pod/checkout-7d9f84c5b-hx7zt",
                "Marking for deletion Pod storefront/checkout-7d9f84c5b-hx7zt",
            ),
        ),
        (
            now - lost - 300,
            (
                "Normal",
                "TaintManagerEviction",
                "pod/redis-0",
                "Marking for deletion Pod storefront/redis-0",
            ),
        ),
        (
            now - lost - 300,
            (
                "Normal",
                "TaintManagerEviction",
                "pod/cart-5f7c9d8b6-q7w4n",
                "Marking for deletion Pod storefront/cart-5f7c9d8b6-q7w4n",
            ),
        ),
        (
            now - lost - 301,
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/checkout-7d9f84c5b",
                "Created pod: checkout-7d9f84c5b-5bq7s",
            ),
        ),
        (
            now - lost - 301,
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/checkout-7d9f84c5b",
                "Created pod: checkout-7d9f84c5b-tn6jw",
            ),
        ),
        (
            now - lost - 302,
            (
                "Warning",
                "FailedScheduling",
                "pod/checkout-7d9f84c5b-5bq7s",
                "0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 3 Insufficient memory. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.",
            ),
        ),
        (
            now - lost - 340,
            (
                "Warning",
                "Unhealthy",
                "pod/checkout-7d9f84c5b-tn6jw",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
        (
            now - lost - 420,
            (
                "Warning",
                "FailedAttachVolume",
                "pod/redis-0",
                'Multi-Attach error for volume "pvc-4e1c9a7b-3f2d-4b8e-a1c6-9d7e5f2b8c01" Volume is already exclusively attached to one node and can\'t be attached to another',
            ),
        ),
        (
            120,
            (
                "Warning",
                "FailedScheduling",
                "pod/checkout-7d9f84c5b-5bq7s",
                "0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 3 Insufficient memory. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.",
            ),
        ),
    ]
    return Bundle(
        question="Storefront has been returning 503 on checkout and cart since about 14:08 UTC and a bunch of pods got recreated. What happened?",
        category="scheduling",
        component=NODE,
        statement=f"The kubelet on node {NODE} stopped posting node status at 14:07 UTC (PLEG unhealthy, container runtime hanging), so the node went NotReady/Unknown, its checkout, cart and redis-0 pods were evicted after the 300 s toleration and their replacements are still pending or starting, leaving checkout and cart without endpoints.",
        files={
            "describe-node.txt": describe_node(),
            "get-pods-o-wide.txt": pods_wide(rng),
            "events.txt": event_listing(routine, signal),
            "ingress-nginx-controller.log": ingress.render(),
            "cart.log": cart.render(),
            "kubelet-journal.txt": journal.render(),
        },
        proofs=[
            Proof("describe-node.txt", "  Ready            Unknown"),
            Proof("kubelet-journal.txt", '"Node became not ready"'),
        ],
        decoys=['HTTP/2.0" 503 190', "dial tcp 10.42.7.12:6379", "Insufficient memory"],
    )
