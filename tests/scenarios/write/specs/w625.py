# ruff: noqa: E501
# kubectl rows, pasted command output and hand-written log lines are data, kept whole on one line.
"""Kubernetes (GKE, europe-west3): at 05:40 UTC the node pool `std-v1` (zones a, b, c) was
replaced by `std-v2`, created by a Terraform module whose `node_locations` lists only
europe-west3-a and europe-west3-b. The StatefulSet mq-broker (RabbitMQ, 3 replicas) had
mq-broker-2 on a zone-c node; its PersistentVolume (a zonal persistent disk) carries node
affinity for europe-west3-c, so after the drain the pod stays Pending with `volume node
affinity conflict`. Classic queues homed on rabbit@mq-broker-2 are down and invoice-publisher
gets NOT_FOUND on them; quorum queues keep working on two members. Decoys: a RabbitMQ memory
high-watermark notice on mq-broker-0 that cleared, a cluster-autoscaler `no scale-up` for an
unrelated pending batch pod, and a publisher TLS handshake retry."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import PythonLogging, Record
from scenes import at, fixed, loud
from traffic import traffic, worker

START = datetime(2026, 9, 14, 4, 55, tzinfo=UTC)
NOW = datetime(2026, 9, 14, 7, 10, tzinfo=UTC)
TOTAL = (NOW - START).total_seconds() / 60
SWAP = 45.0  # 05:40
DRAIN_C = 58.0  # 05:53, the zone-c node drained
OLD = {
    "gke-core-std-v1-3f2a9c1e-7kq2": "europe-west3-a",
    "gke-core-std-v1-8b1d04f6-m2zt": "europe-west3-b",
    "gke-core-std-v1-c47e21aa-x9pd": "europe-west3-c",
}
NEW = {
    "gke-core-std-v2-51e0b7d3-4hfn": "europe-west3-a",
    "gke-core-std-v2-51e0b7d3-qq8w": "europe-west3-a",
    "gke-core-std-v2-a93c6f28-b6vk": "europe-west3-b",
    "gke-core-std-v2-a93c6f28-t1rj": "europe-west3-b",
}
PV = "pvc-6d1e0b9a-27f4-4c3e-a8b5-90f1d2c7e463"


class RabbitLog:
    """RabbitMQ 3.13's console log: `2026-09-14 05:00:00.123456+00:00 [info] <0.812.0> message`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%d %H:%M:%S.%f") + "+00:00"
        level = {"WARN": "warning", "FATAL": "critical"}.get(record.level, record.level.lower())
        proc = f"<0.{self.rng.randrange(200, 9000)}.0>"
        return [f"{stamp} [{level}] {proc} {record.message}"]


def rabbit_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    peer = f"10.48.{rng.randrange(0, 8)}.{rng.randrange(2, 250)}"
    if roll < 0.35:
        return (
            "INFO",
            f"accepting AMQP connection <0.{rng.randrange(2000, 90000)}.0> ({peer}:{rng.randrange(30000, 60000)} -> 10.48.2.31:5672)",
            (),
        )
    if roll < 0.65:
        return (
            "INFO",
            f"connection <0.{rng.randrange(2000, 90000)}.0> ({peer}:{rng.randrange(30000, 60000)} -> 10.48.2.31:5672): user 'svc-billing' authenticated and granted access to vhost '/'",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"closing AMQP connection <0.{rng.randrange(2000, 90000)}.0> ({peer}:{rng.randrange(30000, 60000)} -> 10.48.2.31:5672, vhost: '/', user: 'svc-billing')",
            (),
        )
    return (
        "INFO",
        f"queue 'settlement.q{rng.randrange(1, 9)}' in vhost '/': segment file written, {rng.randrange(200, 9000)} messages",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(6251)

    def ago(minute: float) -> int:
        return int((TOTAL - minute) * 60)

    b0 = LogFile("mq-broker-0.log", RabbitLog(rng))
    b0.add(traffic(rng, rabbit_line, START, TOTAL, 2600))
    b0.add(
        [
            at(
                START,
                27.0,
                "WARN",
                "memory resource limit alarm set on node 'rabbit@mq-broker-0.mq-broker-nodes.messaging'.",
            ),
            at(
                START,
                27.9,
                "INFO",
                "memory resource limit alarm cleared on node 'rabbit@mq-broker-0.mq-broker-nodes.messaging'",
            ),
            at(
                START,
                DRAIN_C + 0.1,
                "INFO",
                "rabbit on node 'rabbit@mq-broker-2.mq-broker-nodes.messaging' down",
            ),
            at(
                START,
                DRAIN_C + 0.3,
                "INFO",
                "node 'rabbit@mq-broker-2.mq-broker-nodes.messaging' down: connection_closed",
            ),
            at(
                START,
                DRAIN_C + 0.5,
                "INFO",
                "queue 'settlement.q3' in vhost '/': leader rabbit@mq-broker-2.mq-broker-nodes.messaging unavailable, election triggered, new leader rabbit@mq-broker-0.mq-broker-nodes.messaging term 19",
            ),
        ]
    )
    b0.add(
        loud(
            rng,
            START,
            DRAIN_C + 2,
            TOTAL - DRAIN_C - 3,
            240,
            fixed(
                "ERROR",
                lambda r: (
                    f"Channel error on connection <0.{r.randrange(2000, 90000)}.0> (10.48.{r.randrange(0, 8)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} -> 10.48.2.31:5672, vhost: '/', user: 'svc-billing'), channel 1:\noperation basic.publish caused a channel exception not_found: home node 'rabbit@mq-broker-2.mq-broker-nodes.messaging' of durable queue '{r.choice(['invoices.render', 'invoices.email', 'dunning.retry'])}' in vhost '/' is down or inaccessible"
                ),
            ),
        )
    )

    pub = LogFile(
        "invoice-publisher.log",
        PythonLogging(("publisher.amqp", "publisher.jobs", "publisher.tls"), rng=rng),
    )
    pub.add(
        traffic(
            rng,
            worker("invoice-publisher", ["invoices.render", "invoices.email", "settlement.q3"]),
            START,
            TOTAL,
            2400,
        )
    )
    pub.add(
        [
            at(
                START,
                83.0,
                "WARN",
                "TLS handshake with mq-broker.messaging.svc:5671 timed out after 5.0s, reconnecting (attempt 1) - connected",
                logger="publisher.tls",
            )
        ]
    )
    pub.add(
        loud(
            rng,
            START,
            DRAIN_C + 2.2,
            TOTAL - DRAIN_C - 3.2,
            380,
            fixed(
                "ERROR",
                lambda r: (
                    f"publish of invoice batch b-{r.getrandbits(32):08x} to '{r.choice(['invoices.render', 'invoices.email'])}' failed: ChannelClosedByBroker: (404, \"NOT_FOUND - home node 'rabbit@mq-broker-2.mq-broker-nodes.messaging' of durable queue is down or inaccessible\"); batch parked, will retry in 60s"
                ),
            ),
        )
    )

    pod = Pod(
        name="mq-broker-2",
        namespace="messaging",
        node="",
        app="mq-broker",
        status="Pending",
        start_time="",
        controller="StatefulSet/mq-broker",
        labels=[
            "app.kubernetes.io/name=mq-broker",
            "apps.kubernetes.io/pod-index=2",
            "controller-revision-hash=mq-broker-6b9c7d5f48",
            "statefulset.kubernetes.io/pod-name=mq-broker-2",
        ],
        containers=[
            Container(
                "rabbitmq",
                "rabbitmq:3.13.7-management",
                state=[],
                ready=False,
                limits={"memory": "4Gi"},
                requests={"cpu": "1", "memory": "4Gi"},
                port="5672/TCP",
            )
        ],
        conditions={"PodScheduled": "False"},
        volumes=[
            "  persistence:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  persistence-mq-broker-2",
            "    ReadOnly:   false",
        ],
        events=[
            (
                "Warning",
                "FailedScheduling",
                "3m12s (x15 over 72m)",
                "default-scheduler",
                "0/4 nodes are available: 4 node(s) had volume node affinity conflict. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
            ),
            (
                "Normal",
                "NotTriggerScaleUp",
                "2m40s (x420 over 72m)",
                "cluster-autoscaler",
                "pod didn't trigger scale-up: 1 node(s) had volume node affinity conflict",
            ),
        ],
    )
    describe = describe_pod(pod, rng)
    pv = "\n".join(
        [
            f"$ kubectl describe pv {PV}",
            f"Name:              {PV}",
            "Labels:            <none>",
            "Annotations:       pv.kubernetes.io/provisioned-by: pd.csi.storage.gke.io",
            "                   volume.kubernetes.io/provisioner-deletion-secret-name:",
            "Finalizers:        [kubernetes.io/pv-protection external-attacher/pd-csi-storage-gke-io]",
            "StorageClass:      standard-rwo",
            "Status:            Bound",
            "Claim:             messaging/persistence-mq-broker-2",
            "Reclaim Policy:    Retain",
            "Access Modes:      RWO",
            "VolumeMode:        Filesystem",
            "Capacity:          50Gi",
            "Node Affinity:",
            "  Required Terms:",
            "    Term 0:        topology.gke.io/zone in [europe-west3-c]",
            "Message:",
            "Source:",
            "    Type:              CSI (a Container Storage Interface (CSI) volume source)",
            "    Driver:            pd.csi.storage.gke.io",
            "    FSType:            ext4",
            "    VolumeHandle:      projects/tallyhub-prod/zones/europe-west3-c/disks/pvc-6d1e0b9a-27f4-4c3e-a8b5-90f1d2c7e463",
            "    ReadOnly:          false",
            "Events:                <none>",
            "",
        ]
    )
    nodes_rows = [("NAME", "STATUS", "ROLES", "AGE", "VERSION", "ZONE")]
    for name, zone in NEW.items():
        nodes_rows.append(
            (name, "Ready", "<none>", f"{rng.randrange(80, 92)}m", "v1.30.5-gke.1443000", zone)
        )
    nodes = (
        "$ kubectl get nodes -L topology.kubernetes.io/zone\n"
        + "\n".join(table(nodes_rows[0], nodes_rows[1:]))
        + "\n"
    )
    sts = "\n".join(
        [
            "$ kubectl -n messaging get sts,pvc",
            *table(
                ("NAME", "READY", "AGE"),
                [("statefulset.apps/mq-broker", "2/3", "214d")],
            ),
            "",
            *table(
                ("NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "AGE"),
                [
                    (
                        "persistentvolumeclaim/persistence-mq-broker-0",
                        "Bound",
                        "pvc-1a7c3e95-b02d-4f81-9c6e-3d5f7a9b1c02",
                        "50Gi",
                        "RWO",
                        "standard-rwo",
                        "214d",
                    ),
                    (
                        "persistentvolumeclaim/persistence-mq-broker-1",
                        "Bound",
                        "pvc-8e2f4a60-d13b-47c9-b5a8-6c0e2f4d9a17",
                        "50Gi",
                        "RWO",
                        "standard-rwo",
                        "214d",
                    ),
                    (
                        "persistentvolumeclaim/persistence-mq-broker-2",
                        "Bound",
                        PV,
                        "50Gi",
                        "RWO",
                        "standard-rwo",
                        "214d",
                    ),
                ],
            ),
            "",
        ]
    )
    pools = "\n".join(
        [
            "$ gcloud container node-pools list --cluster core --region europe-west3 --format='table(name,config.machineType,locations.list(),status)'",
            "NAME     MACHINE_TYPE   LOCATIONS                         STATUS",
            "std-v2   e2-standard-8  europe-west3-a,europe-west3-b     RUNNING",
            "batch    c2-standard-16 europe-west3-a                    RUNNING",
            "",
            "$ gcloud container operations list --region europe-west3 --sort-by=~START_TIME --limit=3 --format='table(operationType,targetLink.basename(),status,startTime)'",
            "OPERATION_TYPE    TARGET   STATUS  START_TIME",
            "DELETE_NODE_POOL  std-v1   DONE    2026-09-14T05:47:31Z",
            "CREATE_NODE_POOL  std-v2   DONE    2026-09-14T05:40:05Z",
            "UPGRADE_MASTER    core     DONE    2026-09-02T01:12:44Z",
            "",
        ]
    )
    routine = routine_events(
        rng,
        ["billing-api", "invoice-publisher", "ledger-sync"],
        18,
        list(NEW),
        namespace="messaging",
    )
    signal = [
        (
            ago(SWAP + 1),
            (
                "Normal",
                "NodeNotReady",
                "node/gke-core-std-v1-3f2a9c1e-7kq2",
                "Node gke-core-std-v1-3f2a9c1e-7kq2 status is now: NodeNotSchedulable",
            ),
        ),
        (ago(DRAIN_C), ("Normal", "Killing", "pod/mq-broker-2", "Stopping container rabbitmq")),
        (
            ago(DRAIN_C + 0.5),
            (
                "Warning",
                "FailedScheduling",
                "pod/mq-broker-2",
                "0/4 nodes are available: 4 node(s) had volume node affinity conflict. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
            ),
        ),
        (
            ago(70),
            (
                "Normal",
                "NotTriggerScaleUp",
                "pod/nightly-reindex-28771140-5xv2c",
                "pod didn't trigger scale-up: 1 max node group size reached, 1 Insufficient cpu",
            ),
        ),
        (
            ago(TOTAL - 1),
            (
                "Warning",
                "FailedScheduling",
                "pod/mq-broker-2",
                "0/4 nodes are available: 4 node(s) had volume node affinity conflict. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    return Bundle(
        question="Since the maintenance this morning (about 07:55 Berlin time) invoice-publisher cannot publish to invoices.render and invoices.email, and mq-broker shows 2/3 ready. What is the root cause?",
        category="scheduling",
        component="mq-broker",
        statement="The replacement GKE node group std-v2 spans only europe-west3-a and -b; mq-broker-2's PersistentVolume is a zonal disk pinned to europe-west3-c, so the pod cannot be placed anywhere (volume node affinity conflict) and stays Pending, taking down the classic queues homed on it.",
        files={
            "mq-broker-0.log": b0.render(),
            "invoice-publisher.log": pub.render(),
            "kubectl-describe-pod-mq-broker-2.txt": describe,
            "kubectl-describe-pv.txt": pv,
            "kubectl-get-nodes.txt": nodes,
            "kubectl-get-sts-pvc.txt": sts,
            "kubectl-get-events-messaging.txt": events,
            "gcloud-container.txt": pools,
        },
        proofs=[
            Proof(
                "kubectl-describe-pod-mq-broker-2.txt",
                "4 node(s) had volume node affinity conflict",
            ),
            Proof("kubectl-describe-pv.txt", "topology.gke.io/zone in [europe-west3-c]"),
            Proof("gcloud-container.txt", "std-v2   e2-standard-8  europe-west3-a,europe-west3-b"),
        ],
        decoys=[
            "memory resource limit alarm set on node",
            "1 max node group size reached, 1 Insufficient cpu",
            "TLS handshake with mq-broker.messaging.svc:5671 timed out",
        ],
    )
