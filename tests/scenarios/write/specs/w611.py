# ruff: noqa: E501
# klog lines, kubectl rows and node descriptions are data, kept whole on one line.
"""Kubernetes on OpenStack: the Keystone application credential used by
openstack-cloud-controller-manager expired at midnight Denver time (06:00 UTC). Nothing visible
broke until the morning ramp: cluster-autoscaler added three nodes at 07:48 MDT, but the cloud
node controller can no longer look them up (401), so they keep the
`node.cloudprovider.kubernetes.io/uninitialized` taint. route-planner's HPA pods stay Pending
on them and the running pods saturate; the gateway returns 503s. Decoys: a transient
FailedGetResourceMetric on the HPA, a Redis latency warning in route-planner, and an
eta-service readiness failure."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Pino, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 3, 9, 5, 30, tzinfo=UTC)
NOW = datetime(2026, 3, 9, 14, 40, tzinfo=UTC)
EXPIRY = 30.0  # 06:00 UTC, 00:00 MDT
SCALE_UP = 498.0  # 13:48 UTC, 07:48 MDT
OLD = [
    "k8s-prod-route-pool-4f2jk",
    "k8s-prod-route-pool-8xq7m",
    "k8s-prod-route-pool-c2n9t",
    "k8s-prod-route-pool-h5v3w",
    "k8s-prod-route-pool-m7d1p",
    "k8s-prod-route-pool-t8k6r",
]
NEW = ["k8s-prod-route-pool-2bq9z", "k8s-prod-route-pool-9fw4c", "k8s-prod-route-pool-r3x7h"]


class Klog:
    def render(self, record: Record) -> list[str]:
        t = record.time
        return [f"{record.level[0]}{t:%m%d %H:%M:%S}.{t.microsecond:06d}       1 {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(6113)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    ccm = LogFile("kubectl-logs-openstack-cloud-controller-manager.txt", Klog())

    def sync(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        roll = r.random()
        if roll < 0.4:
            return (
                "INFO",
                f'node_lifecycle_controller.go:{r.choice([164, 191])}] "Node still exists in cloud provider" node="{r.choice(OLD)}"',
                (),
            )
        if roll < 0.7:
            return (
                "INFO",
                f'loadbalancer.go:{r.choice([2010, 2148])}] "EnsureLoadBalancer: listener and pool in sync" service="{r.choice(["ingress/ingress-nginx-controller", "routing/partner-api"])}" lbID="{r.getrandbits(128):032x}"',
                (),
            )
        return (
            "INFO",
            f'controller.go:{r.choice([738, 772])}] "Syncing load balancer hosts" nodeCount={len(OLD)}',
            (),
        )

    ccm.add(traffic(rng, sync, START, EXPIRY, 80))
    ccm.add(
        [
            at(
                START,
                4.2,
                "WARN",
                'openstack.go:387] "Keystone application credential expires soon" id="4c91e2b07d6a4f3e8a15b9c02d7e6f18" expires_at="2026-03-09T06:00:00Z" remaining="25m48s"',
            ),
            at(
                START,
                EXPIRY + 0.4,
                "ERROR",
                'node_lifecycle_controller.go:156] "Error getting instance metadata" err="Authentication failed: The request you have made requires authentication. (HTTP 401) (Request-ID: req-5b0e7c91-2f4a-4d83-b16e-9a8c3f2d7e04)" node="k8s-prod-route-pool-4f2jk"',
            ),
        ]
    )
    ccm.add(
        loud(
            rng,
            START,
            EXPIRY + 1,
            SCALE_UP - EXPIRY - 2,
            150,
            fixed(
                "ERROR",
                lambda r: (
                    f'node_lifecycle_controller.go:156] "Error getting instance metadata" err="Authentication failed: The request you have made requires authentication. (HTTP 401) (Request-ID: req-{r.getrandbits(128):032x})" node="{r.choice(OLD)}"'
                ),
            ),
        )
    )
    ccm.add(
        loud(
            rng,
            START,
            EXPIRY + 1,
            total - EXPIRY - 2,
            60,
            fixed(
                "ERROR",
                lambda r: (
                    f'controller.go:{r.choice([289, 310])}] "Error processing service" err="failed to ensure load balancer: Authentication failed: The request you have made requires authentication. (HTTP 401)" service="routing/partner-api"'
                ),
            ),
        )
    )
    ccm.add(
        loud(
            rng,
            START,
            SCALE_UP + 1.5,
            total - SCALE_UP - 2,
            170,
            fixed(
                "ERROR",
                lambda r: (
                    f'node_controller.go:{r.choice([240, 389])}] "Failed to initialize node" err="failed to get instance metadata: Authentication failed: The request you have made requires authentication. (HTTP 401)" node="{r.choice(NEW)}"'
                ),
            ),
        )
    )
    ccm_text = (
        "$ kubectl -n kube-system logs deploy/openstack-cloud-controller-manager --since=10h\n"
        + ccm.render()
    )

    app = LogFile(
        "logs/route-planner.log", Pino(hostname="route-planner-7d8c5f6b94-wq2nd", rng=rng)
    )
    app.add(
        traffic(rng, web_api("route-planner", ["routes", "stops", "plans"]), START, total, 5200)
    )
    app.add([at(START, 431.5, "WARN", "redis EVALSHA eta-cache took 380ms (p99 40ms)")])
    app.add(
        loud(
            rng,
            START,
            SCALE_UP + 6,
            total - SCALE_UP - 7,
            420,
            fixed(
                "WARN",
                lambda r: (
                    f"POST /v2/plans served in {r.randrange(2600, 9800)}ms (event loop lag {r.randrange(300, 1900)}ms, in-flight {r.randrange(180, 400)})"
                ),
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            SCALE_UP + 9,
            total - SCALE_UP - 10,
            160,
            fixed(
                "ERROR",
                lambda r: (
                    f"request {r.getrandbits(40):010x} aborted: client closed connection after 10000ms"
                ),
            ),
        )
    )

    pod = Pod(
        name="route-planner-7d8c5f6b94-x8tfk",
        namespace="routing",
        node="",
        app="route-planner",
        status="Pending",
        start_time="",
        containers=[
            Container(
                name="route-planner",
                image="registry.fleetline.example/routing/route-planner:8.3.1",
                state=[],
                limits={"cpu": "2", "memory": "1536Mi"},
                requests={"cpu": "1500m", "memory": "1Gi"},
            )
        ],
        conditions={"PodScheduled": "False"},
        events=[
            (
                "Normal",
                "TriggeredScaleUp",
                "52m",
                "cluster-autoscaler",
                "pod triggered scale-up: [{k8s-prod-route-pool 6->9 (max: 15)}]",
            ),
            (
                "Warning",
                "FailedScheduling",
                "3m (x19 over 52m)",
                "default-scheduler",
                "0/9 nodes are available: 3 node(s) had untolerated taint {node.cloudprovider.kubernetes.io/uninitialized: true}, 6 Insufficient cpu. preemption: 0/9 nodes are available: 3 Preemption is not helpful for scheduling, 6 No preemption victims found for incoming pod.",
            ),
        ],
    )
    describe = "$ kubectl -n routing describe pod route-planner-7d8c5f6b94-x8tfk\n" + describe_pod(
        pod, rng
    )

    nodes = [
        "$ kubectl get nodes -o wide",
        "NAME                        STATUS   ROLES    AGE    VERSION   INTERNAL-IP    EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION     CONTAINER-RUNTIME",
    ]
    for index, name in enumerate(OLD):
        nodes.append(
            f"{name}   Ready    <none>   {rng.randrange(9, 40)}d    v1.30.6   10.70.8.{20 + index:<3}   <none>        Ubuntu 22.04.5 LTS   5.15.0-131-generic   containerd://1.7.24"
        )
    for index, name in enumerate(NEW):
        nodes.append(
            f"{name}   Ready    <none>   51m    v1.30.6   10.70.8.{41 + index:<3}   <none>        Ubuntu 22.04.5 LTS   5.15.0-131-generic   containerd://1.7.24"
        )
    nodes += [
        "",
        f"$ kubectl describe node {NEW[0]} | sed -n '1,/^Conditions/p'",
        f"Name:               {NEW[0]}",
        "Roles:              <none>",
        "Labels:             beta.kubernetes.io/arch=amd64",
        "                    beta.kubernetes.io/os=linux",
        f"                    kubernetes.io/hostname={NEW[0]}",
        "                    magnum.openstack.org/nodegroup=route-pool",
        "Annotations:        node.alpha.kubernetes.io/ttl: 0",
        "                    volumes.kubernetes.io/controller-managed-attach-detach: true",
        "CreationTimestamp:  Mon, 09 Mar 2026 13:49:12 +0000",
        "Taints:             node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule",
        "Unschedulable:      false",
        "Lease:",
        f"  HolderIdentity:  {NEW[0]}",
        "  AcquireTime:     <unset>",
        "  RenewTime:       Mon, 09 Mar 2026 14:39:51 +0000",
        "Conditions:",
        "",
        f"$ kubectl get node {NEW[0]} {OLD[0]} -o custom-columns=NAME:.metadata.name,PROVIDER:.spec.providerID,ZONE:.metadata.labels.topology\\.kubernetes\\.io/zone",
        "NAME                        PROVIDER                                                  ZONE",
        f"{NEW[0]}   <none>                                                    <none>",
        f"{OLD[0]}   openstack:///6e2f9b1c-4d7a-48e5-a3c0-91b8d2f7e645         nova-az2",
        "",
    ]

    routine = routine_events(
        rng, ["route-planner", "eta-service", "partner-api"], 24, OLD, namespace="routing"
    )
    signal = [
        (
            ago(SCALE_UP - 1.0),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/route-planner",
                "New size: 9; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(SCALE_UP - 1.2),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/route-planner",
                "failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)",
            ),
        ),
        (
            ago(SCALE_UP),
            (
                "Normal",
                "TriggeredScaleUp",
                "pod/route-planner-7d8c5f6b94-x8tfk",
                "pod triggered scale-up: [{k8s-prod-route-pool 6->9 (max: 15)}]",
            ),
        ),
        (
            ago(SCALE_UP + 3),
            (
                "Warning",
                "FailedScheduling",
                "pod/route-planner-7d8c5f6b94-x8tfk",
                "0/9 nodes are available: 3 node(s) had untolerated taint {node.cloudprovider.kubernetes.io/uninitialized: true}, 6 Insufficient cpu.",
            ),
        ),
        (
            ago(SCALE_UP + 3.1),
            (
                "Warning",
                "FailedScheduling",
                "pod/route-planner-7d8c5f6b94-b2lmv",
                "0/9 nodes are available: 3 node(s) had untolerated taint {node.cloudprovider.kubernetes.io/uninitialized: true}, 6 Insufficient cpu.",
            ),
        ),
        (
            ago(SCALE_UP + 3.2),
            (
                "Warning",
                "FailedScheduling",
                "pod/route-planner-7d8c5f6b94-k9zrq",
                "0/9 nodes are available: 3 node(s) had untolerated taint {node.cloudprovider.kubernetes.io/uninitialized: true}, 6 Insufficient cpu.",
            ),
        ),
        (
            ago(SCALE_UP - 40),
            (
                "Warning",
                "Unhealthy",
                "pod/eta-service-6f7b9c8d52-p4hxs",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
    ]
    events = "$ kubectl -n routing get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Since around 07:50 (Denver time) route-planner is slow and the gateway returns 503s; the HPA scaled it to 9 but three pods never start and the autoscaler's new nodes sit there idle. Why?",
        category="permission",
        component="openstack-cloud-controller-manager",
        statement="The Keystone application credential of openstack-cloud-controller-manager expired at 06:00 UTC, so each of its Keystone-authenticated requests fails with HTTP 401; the three nodes added by cluster-autoscaler at 07:48 MDT are never initialized and keep the node.cloudprovider.kubernetes.io/uninitialized taint, leaving route-planner's new pods Pending.",
        files={
            "kubectl-logs-openstack-cloud-controller-manager.txt": ccm_text,
            "logs/route-planner.log": app.render(),
            "kubectl-describe-pod-route-planner.txt": describe,
            "kubectl-describe-k8s-prod-pool.txt": "\n".join(nodes),
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof(
                "kubectl-logs-openstack-cloud-controller-manager.txt",
                "Keystone application credential expires soon",
            ),
            Proof(
                "kubectl-logs-openstack-cloud-controller-manager.txt",
                "req-5b0e7c91-2f4a-4d83-b16e-9a8c3f2d7e04",
            ),
            Proof(
                "kubectl-describe-k8s-prod-pool.txt",
                "Taints:             node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule",
            ),
        ],
        decoys=[
            "failed to get cpu utilization: did not receive metrics for targeted pods",
            "redis EVALSHA eta-cache took 380ms",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
        ],
    )
