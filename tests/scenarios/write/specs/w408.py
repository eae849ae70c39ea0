# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: release 7.0 of the inventory-cache StatefulSet (Hazelcast on a JDK 17 base image)
kept `-XX:+UseCGroupMemoryLimitForHeap` in JAVA_TOOL_OPTIONS; the JVM refuses to start, so
inventory-cache-2, the first pod the rolling update replaced (13:31 UTC-5), crash-loops. The team
reverted the template at 14:10, but with podManagementPolicy OrderedReady the controller waits
for the broken pod to become Ready before touching it, so inventory-cache-2 stays on the bad
revision and the cluster keeps running on two members; orders-api sees slow inventory lookups.
Decoys: a Hazelcast partition migration notice, a slow Postgres query in orders-api, and a
BackOff pulling a sidecar image on another pod."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import KubectlTimestamps, Log4j, PythonLogging
from scenes import at, fixed, loud
from traffic import traffic, web_api, worker

EST = timezone(timedelta(hours=-5))
START = datetime(2026, 1, 15, 17, 40, tzinfo=UTC)
NOW = datetime(2026, 1, 15, 20, 5, tzinfo=UTC)
UPDATE = 51.0  # 18:31 UTC = 13:31 EST
REVERT = 90.0  # 19:10 UTC = 14:10 EST
NODES = [
    "gke-prod-east-pool-b-4f1e2c07-9kxd",
    "gke-prod-east-pool-b-4f1e2c07-r2mv",
    "gke-prod-east-pool-b-4f1e2c07-w7ht",
]
BAD = "inventory-cache-6d8b5f9c47"
GOOD = "inventory-cache-7f4c9b8d65"


def bundle() -> Bundle:
    rng = random.Random(4082)
    total = (NOW - START).total_seconds() / 60

    cache = LogFile(
        "logs/inventory-cache-0.log",
        Log4j(
            loggers=(
                "com.hazelcast.internal.cluster.ClusterService",
                "com.hazelcast.map.impl.MapService",
                "io.stockroom.cache.Loader",
            ),
            threads="hz.inventory.cached.thread",
            rng=rng,
        ),
    )
    cache.add(
        traffic(
            rng, worker("inventory-cache", ["stock-updates", "reservations"]), START, total, 2600
        )
    )
    cache.add(
        [
            at(
                START,
                UPDATE + 0.4,
                "WARN",
                "[10.48.2.19]:5701 [inventory] [5.3.6] Member [10.48.1.77]:5701 - 2b3f1c9e-7a41-4c0d-9e12-5f8a6b3d2c10 is suspected to be dead for reason: Connection closed by the other side",
                logger="com.hazelcast.internal.cluster.impl.MembershipManager",
            ),
            at(
                START,
                UPDATE + 0.9,
                "INFO",
                "[10.48.2.19]:5701 [inventory] [5.3.6] Members {size:2, ver:14} [ Member [10.48.2.19]:5701 this, Member [10.48.3.52]:5701 ]",
                logger="com.hazelcast.internal.cluster.ClusterService",
            ),
            at(
                START,
                UPDATE + 1.6,
                "INFO",
                "[10.48.2.19]:5701 [inventory] [5.3.6] Repartitioning cluster data. Migration tasks count: 271",
                logger="com.hazelcast.internal.partition.impl.MigrationManager",
            ),
            at(
                START,
                22.0,
                "INFO",
                "[10.48.2.19]:5701 [inventory] [5.3.6] Remaining migration tasks: 0. (repartitionTime=Thu Jan 15 17:52:03 UTC 2026, plannedMigrations=12, completedMigrations=12)",
                logger="com.hazelcast.internal.partition.impl.MigrationManager",
            ),
        ]
    )

    orders = LogFile(
        "logs/orders-api.log",
        PythonLogging(loggers=("orders.api", "orders.inventory", "orders.db"), rng=rng),
    )
    orders.add(traffic(rng, web_api("orders-api", ["orders", "reservations"]), START, total, 3100))
    orders.add(
        [
            at(
                START,
                37.5,
                "WARN",
                "slow query 2311 ms: SELECT ... FROM order_lines WHERE order_id = ANY($1) (rows=1840)",
                logger="orders.db",
            )
        ]
    )
    orders.add(
        loud(
            rng,
            START,
            UPDATE + 1,
            total - UPDATE - 1,
            380,
            fixed(
                "WARN",
                lambda r: (
                    f"inventory lookup sku={r.randrange(100000, 999999)} took {r.randrange(900, 3400)} ms (cache backup read, owner member unreachable)"
                ),
            ),
        )
    )

    prev = LogFile("kubectl-logs-inventory-cache-2-previous.txt", KubectlTimestamps())
    crash = datetime(2026, 1, 15, 20, 1, 12, tzinfo=UTC)
    prev.add(
        [
            at(
                crash,
                0,
                "INFO",
                "Picked up JAVA_TOOL_OPTIONS: -XX:+UseCGroupMemoryLimitForHeap -XX:MaxRAMFraction=2 -Dhazelcast.config=/opt/hazelcast/config/hazelcast.yaml",
            ),
            at(crash, 0.01, "ERROR", "Unrecognized VM option 'UseCGroupMemoryLimitForHeap'"),
            at(crash, 0.02, "ERROR", "Error: Could not create the Java Virtual Machine."),
            at(crash, 0.03, "ERROR", "Error: A fatal exception has occurred. Program will exit."),
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["orders-api", "reservation-sweeper", "stock-feed"], 20, NODES, namespace="stockroom"
    )
    signal = [
        (
            ago(UPDATE),
            (
                "Normal",
                "SuccessfulDelete",
                "statefulset/inventory-cache",
                "delete Pod inventory-cache-2 in StatefulSet inventory-cache successful",
            ),
        ),
        (
            ago(UPDATE - 0.2),
            (
                "Normal",
                "SuccessfulCreate",
                "statefulset/inventory-cache",
                "create Pod inventory-cache-2 in StatefulSet inventory-cache successful",
            ),
        ),
        (
            ago(UPDATE + 3),
            (
                "Warning",
                "BackOff",
                "pod/inventory-cache-2",
                "Back-off restarting failed container hazelcast in pod inventory-cache-2_stockroom(5e1a7c3d-90b2-4f68-a1d4-7c2e9b0f3a86)",
            ),
        ),
        (
            ago(64),
            (
                "Warning",
                "Failed",
                "pod/stock-feed-7b6d5c8f9-mq2lp",
                'Failed to pull image "gcr.io/stockroom-prod/otel-agent:0.98.1": rpc error: code = Unknown desc = failed to pull and unpack image: failed to resolve reference: unexpected status from HEAD request: 503 Service Unavailable',
            ),
        ),
        (
            ago(REVERT),
            ("Normal", "UpdatedRevision", "statefulset/inventory-cache", f"update revision {GOOD}"),
        ),
        (
            ago(4),
            (
                "Warning",
                "BackOff",
                "pod/inventory-cache-2",
                "Back-off restarting failed container hazelcast in pod inventory-cache-2_stockroom(5e1a7c3d-90b2-4f68-a1d4-7c2e9b0f3a86)",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    sts = "\n".join(
        [
            "$ kubectl -n stockroom get pods -l app=inventory-cache -L controller-revision-hash -o wide",
            "NAME                READY   STATUS             RESTARTS        AGE     IP            NODE                                   NOMINATED NODE   READINESS GATES   CONTROLLER-REVISION-HASH",
            f"inventory-cache-0   1/1     Running            0               9d      10.48.2.19    gke-prod-east-pool-b-4f1e2c07-9kxd     <none>           <none>            {GOOD}",
            f"inventory-cache-1   1/1     Running            0               9d      10.48.3.52    gke-prod-east-pool-b-4f1e2c07-w7ht     <none>           <none>            {GOOD}",
            f"inventory-cache-2   0/1     CrashLoopBackOff   22 (4m ago)     93m     10.48.1.80    gke-prod-east-pool-b-4f1e2c07-r2mv     <none>           <none>            {BAD}",
            "",
            "$ kubectl -n stockroom get statefulset inventory-cache -o yaml | sed -n '/^spec:/,$p' | grep -E 'podManagementPolicy|updateStrategy|partition|type:|replicas|Revision|image:|JAVA'",
            "  podManagementPolicy: OrderedReady",
            "  replicas: 3",
            "        - name: JAVA_TOOL_OPTIONS",
            "          image: gcr.io/stockroom-prod/inventory-cache:6.4.2",
            "  updateStrategy:",
            "      partition: 0",
            "    type: RollingUpdate",
            "  availableReplicas: 2",
            f"  currentRevision: {GOOD}",
            "  readyReplicas: 2",
            "  replicas: 3",
            f"  updateRevision: {GOOD}",
            "  updatedReplicas: 2",
            "",
            "$ kubectl -n stockroom rollout history statefulset/inventory-cache",
            "statefulset.apps/inventory-cache",
            "REVISION  CHANGE-CAUSE",
            "11        <none>",
            "12        <none>",
            "13        <none>",
            "",
            "$ kubectl -n stockroom get controllerrevision -l app=inventory-cache",
            "NAME                         CONTROLLER                              REVISION   AGE",
            f"{BAD}   statefulset.apps/inventory-cache   12         94m",
            f"{GOOD}   statefulset.apps/inventory-cache   13         55m",
            "",
        ]
    )
    pod = Pod(
        name="inventory-cache-2",
        namespace="stockroom",
        node=NODES[1],
        app="inventory-cache",
        controller="StatefulSet/inventory-cache",
        labels=[
            "app=inventory-cache",
            f"controller-revision-hash={BAD}",
            "statefulset.kubernetes.io/pod-name=inventory-cache-2",
        ],
        status="Running",
        ip="10.48.1.80",
        start_time="Thu, 15 Jan 2026 18:31:09 +0000",
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                name="hazelcast",
                image="gcr.io/stockroom-prod/inventory-cache:7.0.0-jdk17",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    "  Started:      Thu, 15 Jan 2026 20:01:12 +0000",
                    "  Finished:     Thu, 15 Jan 2026 20:01:12 +0000",
                ],
                ready=False,
                restarts=22,
                limits={"memory": "4Gi"},
                requests={"cpu": "1", "memory": "4Gi"},
                probes=[
                    "Readiness:  http-get http://:5701/hazelcast/health/ready delay=10s timeout=1s period=10s #success=1 #failure=3"
                ],
                environment=[
                    "JAVA_TOOL_OPTIONS:  -XX:+UseCGroupMemoryLimitForHeap -XX:MaxRAMFraction=2 -Dhazelcast.config=/opt/hazelcast/config/hazelcast.yaml"
                ],
                port="5701/TCP",
            )
        ],
        events=[
            (
                "Normal",
                "Pulled",
                "4m12s (x23 over 93m)",
                "kubelet",
                'Container image "gcr.io/stockroom-prod/inventory-cache:7.0.0-jdk17" already present on machine',
            ),
            (
                "Warning",
                "BackOff",
                "2m (x412 over 93m)",
                "kubelet",
                "Back-off restarting failed container hazelcast in pod inventory-cache-2_stockroom(5e1a7c3d-90b2-4f68-a1d4-7c2e9b0f3a86)",
            ),
        ],
    )
    return Bundle(
        question="We rolled back the inventory-cache release at 14:10 ET but inventory-cache-2 is still crash-looping and order placement stays slow. Why isn't the rollback taking effect, and what is the root cause?",
        category="deployment",
        component="inventory-cache",
        statement="The 7.0 release's image is JDK 17 but kept -XX:+UseCGroupMemoryLimitForHeap, so the JVM refuses to start and inventory-cache-2 crash-loops; with podManagementPolicy OrderedReady the StatefulSet controller waits for that broken pod to become Ready, so the reverted template (revision 13) is never applied to it and it stays on the bad revision.",
        files={
            "logs/inventory-cache-0.log": cache.render(),
            "logs/orders-api.log": orders.render(),
            "kubectl-logs-inventory-cache-2-previous.txt": prev.render(),
            "kubectl-describe-pod-inventory-cache-2.txt": describe_pod(pod, rng),
            "kubectl-statefulset.txt": sts,
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof(
                "kubectl-logs-inventory-cache-2-previous.txt",
                "Unrecognized VM option 'UseCGroupMemoryLimitForHeap'",
            ),
            Proof("kubectl-statefulset.txt", "inventory-cache-2   0/1     CrashLoopBackOff"),
            Proof("kubectl-statefulset.txt", "podManagementPolicy: OrderedReady"),
        ],
        decoys=[
            "Repartitioning cluster data. Migration tasks count: 271",
            "slow query 2311 ms: SELECT ... FROM order_lines",
            'Failed to pull image "gcr.io/stockroom-prod/otel-agent:0.98.1"',
        ],
    )
