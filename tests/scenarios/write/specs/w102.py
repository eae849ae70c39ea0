# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""The cluster upgrade replaced the in-tree StorageClasses with EBS CSI ones (`gp3`), but the
zookeeper StatefulSet's volumeClaimTemplate still names `gp2-retain`. When zookeeper-2 is
recreated on a fresh volume its PVC stays Pending (storageclass not found), the pod never
schedules, and the two remaining servers and their clients log quorum and election warnings."""

import random
from dataclasses import replace
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Log4j, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 6, 4, 7, 0, tzinfo=UTC)
RECREATE = 21.3
SNAPSHOT = 58.0
NAMESPACE = "data"
NODES = [
    "ip-10-40-11-72.ec2.internal",
    "ip-10-40-12-19.ec2.internal",
    "ip-10-40-13-145.ec2.internal",
    "ip-10-40-11-230.ec2.internal",
    "ip-10-40-12-77.ec2.internal",
    "ip-10-40-13-6.ec2.internal",
]


def storage_classes() -> str:
    rows = [
        ("gp3 (default)", "ebs.csi.aws.com", "Delete", "WaitForFirstConsumer", "true", "3h12m"),
        ("gp3-retain", "ebs.csi.aws.com", "Retain", "WaitForFirstConsumer", "true", "3h12m"),
        ("efs-shared", "efs.csi.aws.com", "Delete", "Immediate", "false", "214d"),
    ]
    return (
        "\n".join(
            table(
                (
                    "NAME",
                    "PROVISIONER",
                    "RECLAIMPOLICY",
                    "VOLUMEBINDINGMODE",
                    "ALLOWVOLUMEEXPANSION",
                    "AGE",
                ),
                rows,
            )
        )
        + "\n"
    )


def pvc_text() -> str:
    age = f"{int(SNAPSHOT - RECREATE)}m"
    lines = [
        "Name:          data-zookeeper-2",
        f"Namespace:     {NAMESPACE}",
        "StorageClass:  gp2-retain",
        "Status:        Pending",
        "Volume:",
        "Labels:        app.kubernetes.io/component=zookeeper",
        "               app.kubernetes.io/instance=zookeeper",
        "               app.kubernetes.io/name=zookeeper",
        "Annotations:   <none>",
        "Finalizers:    [kubernetes.io/pvc-protection]",
        "Capacity:",
        "Access Modes:",
        "VolumeMode:    Filesystem",
        "Used By:       zookeeper-2",
        "Events:",
        *table(
            ("Type", "Reason", "Age", "From", "Message"),
            [
                ("----", "------", "----", "----", "-------"),
                (
                    "Warning",
                    "ProvisioningFailed",
                    f"2m7s (x{int((SNAPSHOT - RECREATE) * 4)} over {age})",
                    "persistentvolume-controller",
                    'storageclass.storage.k8s.io "gp2-retain" not found',
                ),
            ],
            indent="  ",
        ),
    ]
    return "\n".join(lines) + "\n"


def pvcs_text() -> str:
    rows = [
        (
            "data-zookeeper-0",
            "Bound",
            "pvc-0c1f9a2e-7b41-4d6a-9e3f-51a7c2d8e901",
            "20Gi",
            "RWO",
            "gp2-retain",
            "<unset>",
            "412d",
        ),
        (
            "data-zookeeper-1",
            "Bound",
            "pvc-6e2d4b17-03a9-4f8c-b2d5-9c7e1a4f6b32",
            "20Gi",
            "RWO",
            "gp2-retain",
            "<unset>",
            "412d",
        ),
        (
            "data-zookeeper-2",
            "Pending",
            "",
            "",
            "",
            "gp2-retain",
            "<unset>",
            f"{int(SNAPSHOT - RECREATE)}m",
        ),
        (
            "kafka-data-kafka-0",
            "Bound",
            "pvc-91b3e7c4-5a2f-4c81-8d6e-2f4a9b7c1e05",
            "500Gi",
            "RWO",
            "gp3",
            "<unset>",
            "3h1m",
        ),
        (
            "kafka-data-kafka-1",
            "Bound",
            "pvc-a47d2c91-8e3b-4f5a-b16c-7d9e2a4c8f13",
            "500Gi",
            "RWO",
            "gp3",
            "<unset>",
            "3h1m",
        ),
        (
            "kafka-data-kafka-2",
            "Bound",
            "pvc-c2e8f5a7-1d4b-49c3-a7e2-5b8d1f3c6a94",
            "500Gi",
            "RWO",
            "gp3",
            "<unset>",
            "3h1m",
        ),
    ]
    return (
        "\n".join(
            table(
                (
                    "NAME",
                    "STATUS",
                    "VOLUME",
                    "CAPACITY",
                    "ACCESS MODES",
                    "STORAGECLASS",
                    "VOLUMEATTRIBUTESCLASS",
                    "AGE",
                ),
                rows,
            )
        )
        + "\n"
    )


def pods_text(rng: random.Random) -> str:
    rows = [
        ("zookeeper-0", "1/1", "Running", "0", "3h4m"),
        ("zookeeper-1", "1/1", "Running", "1 (3h2m ago)", "3h3m"),
        ("zookeeper-2", "0/1", "Pending", "0", f"{int(SNAPSHOT - RECREATE)}m"),
        ("kafka-0", "1/1", "Running", "0", "3h1m"),
        ("kafka-1", "1/1", "Running", "0", "3h1m"),
        ("kafka-2", "1/1", "Running", "0", "3h"),
    ]
    for app in ["order-events-consumer", "order-events-consumer", "schema-registry"]:
        rows.append(
            (
                f"{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}",
                "1/1",
                "Running",
                "0",
                f"{rng.randrange(2, 3)}h{rng.randrange(10, 59)}m",
            )
        )
    return "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE"), sorted(rows))) + "\n"


def pending_pod(rng: random.Random) -> str:
    container = Container(
        name="zookeeper",
        image="docker.io/bitnami/zookeeper:3.9.2-debian-12-r7",
        state=[],
        ready=False,
        limits={"cpu": "1", "memory": "2Gi"},
        requests={"cpu": "250m", "memory": "1Gi"},
        port="2181/TCP, 2888/TCP, 3888/TCP",
    )
    age = f"{int(SNAPSHOT - RECREATE)}m"
    pod = Pod(
        name="zookeeper-2",
        namespace=NAMESPACE,
        node="",
        app="zookeeper",
        containers=[container],
        status="Pending",
        conditions={"PodScheduled": "False"},
        start_time="",
        service_account="zookeeper",
        controller="StatefulSet/zookeeper",
        labels=[
            "app.kubernetes.io/component=zookeeper",
            "app.kubernetes.io/instance=zookeeper",
            "app.kubernetes.io/name=zookeeper",
            "apps.kubernetes.io/pod-index=2",
            "controller-revision-hash=zookeeper-7c9d5f8b6",
            "statefulset.kubernetes.io/pod-name=zookeeper-2",
        ],
        volumes=[
            "  data:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  data-zookeeper-2",
            "    ReadOnly:   false",
        ],
        events=[
            (
                "Warning",
                "FailedScheduling",
                f"2m1s (x{int(SNAPSHOT - RECREATE) // 5} over {age})",
                "default-scheduler",
                "0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.",
            )
        ],
    )
    return describe_pod(pod, rng)


def zookeeper_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"Accepted socket connection from /10.40.{rng.randrange(11, 14)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)}",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"Session establishment complete on server zookeeper-0/10.40.11.88:2181, session id = 0x{rng.getrandbits(60):015x}, negotiated timeout = 18000",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"Closed socket connection for client /10.40.{rng.randrange(11, 14)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)} which had sessionid 0x{rng.getrandbits(60):015x}",
            (),
        )
    return (
        "INFO",
        f"Snapshotting: 0x{rng.randrange(0x300000000, 0x3FFFFFFFF):x} to /bitnami/zookeeper/data/version-2/snapshot.{rng.randrange(0x300000000, 0x3FFFFFFFF):x}",
        (),
    )


def cannot_open(rng: random.Random) -> Line:
    return (
        "WARN",
        "Cannot open channel to 3 at election address zookeeper-2.zookeeper-headless.data.svc.cluster.local:3888",
        tuple(
            java_trace(
                "java.net.UnknownHostException: zookeeper-2.zookeeper-headless.data.svc.cluster.local",
                [
                    "java.base/java.net.InetAddress$CachedAddresses.get(InetAddress.java:801)",
                    "java.base/java.net.InetAddress.getAllByName0(InetAddress.java:1533)",
                    "org.apache.zookeeper.server.quorum.QuorumCnxManager.connectOne(QuorumCnxManager.java:698)",
                    "org.apache.zookeeper.server.quorum.QuorumCnxManager.connectAll(QuorumCnxManager.java:759)",
                ],
            )
        ),
    )


def consumer_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"processed order event order-{rng.randrange(10**7)} partition={rng.randrange(12)} offset={rng.randrange(10**7)}",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"lock acquired /locks/order-{rng.randrange(10**7)} in {rng.randrange(1, 9)}ms",
            (),
        )
    return "DEBUG", f"committed offsets for order-events lag={rng.randrange(0, 30)}", ()


def bundle() -> Bundle:
    rng = random.Random(1102)
    routine = routine_events(
        rng,
        ["order-events-consumer", "schema-registry", "kafka-ui"],
        240,
        NODES,
        namespace=NAMESPACE,
    )
    ago = int((SNAPSHOT - RECREATE) * 60)
    signal = [
        (
            ago + 30,
            (
                "Normal",
                "SuccessfulDelete",
                "statefulset/zookeeper",
                "delete Pod zookeeper-2 in StatefulSet zookeeper successful",
            ),
        ),
        (
            ago + 2,
            (
                "Normal",
                "SuccessfulCreate",
                "statefulset/zookeeper",
                "create Claim data-zookeeper-2 Pod zookeeper-2 in StatefulSet zookeeper success",
            ),
        ),
        (
            ago + 2,
            (
                "Normal",
                "SuccessfulCreate",
                "statefulset/zookeeper",
                "create Pod zookeeper-2 in StatefulSet zookeeper successful",
            ),
        ),
        (
            127,
            (
                "Warning",
                "ProvisioningFailed",
                "persistentvolumeclaim/data-zookeeper-2",
                'storageclass.storage.k8s.io "gp2-retain" not found',
            ),
        ),
        (
            121,
            (
                "Warning",
                "FailedScheduling",
                "pod/zookeeper-2",
                "0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.",
            ),
        ),
        (
            ago + 900,
            (
                "Normal",
                "NodeNotReady",
                f"node/{NODES[2]}",
                f"Node {NODES[2]} status is now: NodeNotReady",
            ),
        ),
        (
            ago + 400,
            (
                "Normal",
                "RemovingNode",
                f"node/{NODES[2]}",
                f"Node {NODES[2]} event: Removing Node {NODES[2]} from Controller",
            ),
        ),
    ]
    zookeeper = LogFile(
        "zookeeper-0.log",
        Log4j(
            (
                "org.apache.zookeeper.server.NIOServerCnxnFactory",
                "org.apache.zookeeper.server.ZooKeeperServer",
            ),
            threads="NIOWorkerThread",
            rng=rng,
        ),
    )
    zookeeper.add(traffic(rng, zookeeper_line, START, SNAPSHOT, 2600))
    zookeeper.add(
        [
            replace(record, logger="org.apache.zookeeper.server.quorum.QuorumCnxManager")
            for record in loud(
                rng, START, RECREATE + 0.6, SNAPSHOT - RECREATE - 0.7, 310, cannot_open
            )
        ]
    )
    zookeeper.add(
        [
            at(
                START,
                RECREATE + 0.05,
                "WARN",
                "Interrupting SendWorker thread from RecvWorker. sid: 3. myId: 1",
                logger="org.apache.zookeeper.server.quorum.QuorumCnxManager",
            ),
            at(
                START,
                RECREATE + 0.07,
                "WARN",
                "Connection broken for id 3, my id = 1",
                logger="org.apache.zookeeper.server.quorum.QuorumCnxManager",
            ),
            at(
                START,
                RECREATE + 0.5,
                "INFO",
                "Have quorum of supporters, sids: [[1, 2]]; starting up and setting last processed zxid: 0x50000a3f1",
                logger="org.apache.zookeeper.server.quorum.Leader",
            ),
        ]
    )
    zookeeper.add(
        loud(
            rng,
            START,
            RECREATE + 2,
            SNAPSHOT - RECREATE - 2,
            46,
            fixed(
                "WARN",
                lambda r: (
                    f"fsync-ing the write ahead log in SyncThread:1 took {r.randrange(1001, 2900)}ms which will adversely effect operation latency.File size is 67108880 bytes. See the ZooKeeper troubleshooting guide"
                ),
            ),
        )
    )
    consumer = LogFile(
        "order-events-consumer.log",
        SpringBoot(
            (
                "c.e.orders.OrderEventListener",
                "o.a.c.f.state.ConnectionStateManager",
                "o.a.c.f.imps.CuratorFrameworkImpl",
            ),
            pid=1,
            rng=rng,
        ),
    )
    consumer.add(traffic(rng, consumer_line, START, SNAPSHOT, 2900))
    consumer.add(
        [
            replace(record, logger="c.e.orders.QuorumHealthIndicator")
            for record in loud(
                rng,
                START,
                RECREATE + 1,
                SNAPSHOT - RECREATE - 1,
                110,
                fixed(
                    "WARN",
                    lambda r: (
                        "ZooKeeper ensemble degraded: 2 of 3 servers reachable (zookeeper-2 unresolved); one more failure loses quorum"
                    ),
                ),
            )
        ]
    )
    consumer.add(
        [
            replace(record, logger="o.a.c.f.state.ConnectionStateManager")
            for record in loud(
                rng,
                START,
                RECREATE + 0.1,
                0.8,
                9,
                fixed("INFO", lambda r: "State change: SUSPENDED"),
            )
        ]
    )
    consumer.add(
        [
            replace(record, logger="o.a.c.f.imps.CuratorFrameworkImpl")
            for record in loud(
                rng,
                START,
                RECREATE + 0.15,
                0.8,
                14,
                fixed(
                    "ERROR",
                    lambda r: "Background exception was not retry-able or retry gave up",
                    lambda r: java_trace(
                        "org.apache.zookeeper.KeeperException$ConnectionLossException: KeeperErrorCode = ConnectionLoss",
                        [
                            "org.apache.zookeeper.KeeperException.create(KeeperException.java:102)",
                            "org.apache.curator.framework.imps.CuratorFrameworkImpl.checkBackgroundRetry(CuratorFrameworkImpl.java:862)",
                        ],
                    ),
                ),
            )
        ]
    )
    consumer.add(
        loud(
            rng,
            START,
            RECREATE + 3,
            SNAPSHOT - RECREATE - 3,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f"lock /locks/order-{r.randrange(10**7)} acquired after {r.randrange(2000, 9000)}ms (slow ZooKeeper)"
                ),
            ),
        )
    )
    return Bundle(
        question="After the cluster upgrade we deleted zookeeper-2 and its PVC at ~07:21 UTC so it would move to the new node group. It never came back and the order consumers keep warning that the ensemble is degraded. Why?",
        category="configuration",
        component="zookeeper",
        statement="The zookeeper StatefulSet's volumeClaimTemplate still asks for StorageClass gp2-retain, which the cluster upgrade removed, so the recreated zookeeper-2's claim data-zookeeper-2 stays Pending, the pod never schedules and the ensemble runs on two of three servers.",
        files={
            "get-pods.txt": pods_text(rng),
            "get-pvc.txt": pvcs_text(),
            "get-storageclass.txt": storage_classes(),
            "describe-pvc.txt": pvc_text(),
            "describe-pod.txt": pending_pod(rng),
            "events.txt": event_listing(routine, signal),
            "zookeeper-0.log": zookeeper.render(),
            "order-events-consumer.log": consumer.render(),
        },
        proofs=[
            Proof("describe-pvc.txt", "StorageClass:  gp2-retain"),
            Proof("describe-pvc.txt", "ProvisioningFailed"),
            Proof("get-storageclass.txt", "gp3 (default)", "efs-shared"),
        ],
        decoys=[
            "java.net.UnknownHostException",
            "ConnectionLossException",
            "fsync-ing the write ahead log",
        ],
    )
