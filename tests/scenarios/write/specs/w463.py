# ruff: noqa: E501
# kubectl output, Kafka log lines and pasted Terraform output are data, kept whole on one line.
"""Kubernetes (EKS): the data node group was replaced at 09:30 UTC by a new one, ng-data-v2,
whose Terraform subnet list lost the eu-central-1a subnet, so all its nodes are in 1b and 1c.
kafka-1's EBS volume lives in eu-central-1a (the PV's nodeAffinity), so after the drain its pod
cannot be scheduled anywhere: `3 node(s) had volume node affinity conflict` (the ingest nodes
are tainted), and the cluster autoscaler cannot add a 1a node to a group with no 1a subnet. The
broker stays Pending, its partitions are under-replicated and producers retry through leader
changes. Decoys: the ingest nodes' untolerated taint, the producers' NOT_LEADER retries, a
FailedMount for another pod that resolved, and kafka-0's ISR shrink messages."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Record, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2026, 9, 8, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 9, 8, 10, 24, tzinfo=UTC)
DRAIN = 33.0
TOPICS = ["order-events", "payment-events", "inventory-changes", "audit-log"]
NODES = [
    "ip-10-31-74-12.eu-central-1.compute.internal",
    "ip-10-31-75-140.eu-central-1.compute.internal",
    "ip-10-31-88-201.eu-central-1.compute.internal",
]
SCHEDULING = "0/6 nodes are available: 3 node(s) had untolerated taint {dedicated: ingest}, 3 node(s) had volume node affinity conflict. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling."


@dataclass
class KafkaLog:
    """Kafka's log4j `[%d] %p %m (%c)%n`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        message, logger = record.message.rsplit(" @", 1)
        return [f"[{stamp}] {record.level} {message} ({logger})"]


def kafka_line(rng: random.Random) -> Line:
    roll = rng.random()
    topic = rng.choice(TOPICS)
    if roll < 0.4:
        return (
            "INFO",
            f"[LocalLog partition={topic}-{rng.randrange(12)}, dir=/var/lib/kafka/data] Rolled new log segment at offset {rng.randrange(10**6, 10**8)} in {rng.randrange(1, 9)} ms. @kafka.log.LocalLog",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"[ProducerStateManager partition={topic}-{rng.randrange(12)}] Wrote producer snapshot at offset {rng.randrange(10**6, 10**8)} with {rng.randrange(1, 40)} producer ids in {rng.randrange(1, 6)} ms. @kafka.log.ProducerStateManager",
            (),
        )
    return (
        "INFO",
        f"[GroupCoordinator 0]: Member consumer-{rng.choice(['fulfilment', 'ledger-sync', 'search-indexer'])}-{rng.randrange(1, 9)}-{rng.getrandbits(32):08x} in group {rng.choice(['fulfilment', 'ledger-sync', 'search-indexer'])} has heartbeat ok @kafka.coordinator.group.GroupCoordinator",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(46363)
    total = (NOW - START).total_seconds() / 60
    kafka0 = LogFile("logs/kafka-0.log", KafkaLog())
    kafka0.add(traffic(rng, kafka_line, START, total, 2600))
    kafka0.add(
        loud(
            rng,
            START,
            DRAIN + 0.6,
            0.8,
            18,
            fixed(
                "INFO",
                lambda r: (
                    f"[Partition {r.choice(TOPICS)}-{r.randrange(12)} broker=0] Shrinking ISR from 0,1,2 to 0,2. Leader: (highWatermark: {r.randrange(10**6, 10**8)}, endOffset: {r.randrange(10**6, 10**8)}). Out of sync replicas: (brokerId: 1, endOffset: {r.randrange(10**6, 10**8)}). @kafka.cluster.Partition"
                ),
            ),
        )
    )
    kafka0.add(
        [
            at(
                START,
                DRAIN + 0.5,
                "INFO",
                "[Controller id=0] Broker 1 has been removed from the cluster; 16 partition leaders moved @kafka.controller.KafkaController",
            )
        ]
    )
    producer = LogFile(
        "logs/order-events-writer.log",
        SpringBoot(("o.a.k.c.producer.internals.Sender", "c.h.orders.events.OutboxRelay"), rng=rng),
    )
    producer.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"relayed {r.randrange(1, 60)} outbox rows to order-events (last id {r.randrange(10**7, 10**8)})"
                ),
            ),
            START,
            total,
            2200,
            logger="c.h.orders.events.OutboxRelay",
        )
    )
    producer.add(
        loud(
            rng,
            START,
            DRAIN + 0.5,
            1.5,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f"[Producer clientId=order-events-writer-1] Got error produce response with correlation id {r.randrange(10**5, 10**6)} on topic-partition order-events-{r.randrange(12)}, retrying (2147483646 attempts left). Error: NOT_LEADER_OR_FOLLOWER"
                ),
            ),
        )
    )
    pod = Pod(
        name="kafka-1",
        namespace="streaming",
        node="",
        app="kafka",
        status="Pending",
        start_time="",
        controller="StatefulSet/kafka",
        labels=[
            "app.kubernetes.io/name=kafka",
            "apps.kubernetes.io/pod-index=1",
            "controller-revision-hash=kafka-6b8d5c9f47",
            "statefulset.kubernetes.io/pod-name=kafka-1",
        ],
        conditions={"PodScheduled": "False"},
        containers=[
            Container(
                name="kafka",
                image="registry.hallmarkgoods.io/platform/kafka:3.7.1",
                state=[],
                port="9092/TCP, 9093/TCP",
                limits={"memory": "8Gi"},
                requests={"cpu": "2", "memory": "8Gi"},
            )
        ],
        volumes=[
            "  data:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  data-kafka-1",
            "    ReadOnly:   false",
        ],
        node_selectors="workload=data",
        events=[
            ("Warning", "FailedScheduling", "3m (x19 over 51m)", "default-scheduler", SCHEDULING),
            (
                "Normal",
                "NotTriggerScaleUp",
                "2m (x301 over 51m)",
                "cluster-autoscaler",
                "pod didn't trigger scale-up: 1 node(s) had volume node affinity conflict, 1 node(s) didn't match Pod's node affinity/selector",
            ),
        ],
    )
    describe = "$ kubectl -n streaming describe pod kafka-1\n" + describe_pod(pod, rng)

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["schema-registry", "kafka-exporter", "connect"], 22, NODES, namespace="streaming"
    )
    signal = [
        (ago(DRAIN - 0.3), ("Normal", "Killing", "pod/kafka-1", "Stopping container kafka")),
        (
            ago(DRAIN + 0.2),
            (
                "Normal",
                "SuccessfulCreate",
                "statefulset/kafka",
                "create Pod kafka-1 in StatefulSet kafka successful",
            ),
        ),
        (ago(DRAIN + 0.3), ("Warning", "FailedScheduling", "pod/kafka-1", SCHEDULING)),
        (
            ago(DRAIN + 2),
            (
                "Warning",
                "FailedMount",
                "pod/connect-7c4f8b9d6-2wq5n",
                'MountVolume.SetUp failed for volume "connect-secrets" : secret "connect-secrets" not found',
            ),
        ),
        (
            ago(DRAIN + 6),
            ("Normal", "Started", "pod/connect-7c4f8b9d6-2wq5n", "Started container connect"),
        ),
    ]
    events = event_listing(routine, signal)
    get = "\n".join(
        [
            "$ kubectl get nodes -L topology.kubernetes.io/zone,eks.amazonaws.com/nodegroup,workload",
            "NAME                                            STATUS   ROLES    AGE   VERSION               ZONE            NODEGROUP       WORKLOAD",
            "ip-10-31-74-12.eu-central-1.compute.internal    Ready    <none>   58m   v1.30.4-eks-a737599   eu-central-1b   ng-data-v2      data",
            "ip-10-31-75-140.eu-central-1.compute.internal   Ready    <none>   57m   v1.30.4-eks-a737599   eu-central-1b   ng-data-v2      data",
            "ip-10-31-88-201.eu-central-1.compute.internal   Ready    <none>   58m   v1.30.4-eks-a737599   eu-central-1c   ng-data-v2      data",
            "ip-10-31-52-33.eu-central-1.compute.internal    Ready    <none>   41d   v1.30.4-eks-a737599   eu-central-1a   ng-ingest       ingest",
            "ip-10-31-77-9.eu-central-1.compute.internal     Ready    <none>   41d   v1.30.4-eks-a737599   eu-central-1b   ng-ingest       ingest",
            "ip-10-31-90-164.eu-central-1.compute.internal   Ready    <none>   41d   v1.30.4-eks-a737599   eu-central-1c   ng-ingest       ingest",
            "",
            "$ kubectl -n streaming get pvc data-kafka-1",
            "NAME           STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE",
            "data-kafka-1   Bound    pvc-4e7a91c3-0b5d-4f28-9c6e-1d3a8b7f2e05   500Gi      RWO            gp3            <unset>                 214d",
            "",
            "$ kubectl get pv pvc-4e7a91c3-0b5d-4f28-9c6e-1d3a8b7f2e05 -o yaml | sed -n '/nodeAffinity:/,/persistentVolumeReclaimPolicy/p'",
            "  nodeAffinity:",
            "    required:",
            "      nodeSelectorTerms:",
            "      - matchExpressions:",
            "        - key: topology.ebs.csi.aws.com/zone",
            "          operator: In",
            "          values:",
            "          - eu-central-1a",
            "  persistentVolumeReclaimPolicy: Retain",
            "",
            "$ kubectl -n streaming get pods -l app.kubernetes.io/name=kafka -o wide",
            "NAME      READY   STATUS    RESTARTS   AGE    IP             NODE                                            NOMINATED NODE   READINESS GATES",
            "kafka-0   1/1     Running   0          54m    10.31.75.88    ip-10-31-75-140.eu-central-1.compute.internal   <none>           <none>",
            "kafka-1   0/1     Pending   0          51m    <none>         <none>                                          <none>           <none>",
            "kafka-2   1/1     Running   0          55m    10.31.88.17    ip-10-31-88-201.eu-central-1.compute.internal   <none>           <none>",
            "",
        ]
    )
    notes = "\n".join(
        [
            "## CHG-5521 data node group replacement (09:30 UTC) - apply output excerpt",
            "",
            '  # module.eks.aws_eks_node_group.data["ng-data-v2"] will be created',
            '  + resource "aws_eks_node_group" "data" {',
            '      + node_group_name = "ng-data-v2"',
            '      + instance_types  = ["r6i.2xlarge"]',
            "      + subnet_ids      = [",
            '          + "subnet-0b7d21c9e4a5f3816", # private-eu-central-1b',
            '          + "subnet-0c3f8a62d1b9e7405", # private-eu-central-1c',
            "        ]",
            '      + labels          = { "workload" = "data" }',
            "    }",
            '  # module.eks.aws_eks_node_group.data["ng-data-v1"] will be destroyed',
            "",
            "Apply complete! Resources: 1 added, 0 changed, 1 destroyed.",
            "",
            "- drained ng-data-v1 at 09:33; kafka-0 and kafka-2 came back within 3 minutes.",
            "- alert KafkaUnderReplicatedPartitions firing since 09:34 (16 partitions).",
            "",
        ]
    )
    return Bundle(
        question="After this morning's node group replacement kafka-1 has stayed Pending and 16 partitions are under-replicated since 09:34 UTC. Why can't it come back?",
        category="scheduling",
        component="ng-data-v2",
        statement="The replacement node group ng-data-v2 was created with subnets only in eu-central-1b and 1c; kafka-1's EBS volume is pinned to eu-central-1a, so the scheduler finds a volume node affinity conflict on every data node (the ingest nodes are tainted) and the autoscaler cannot add a 1a node, leaving the broker Pending.",
        files={
            "kubectl-describe-pod.txt": describe,
            "kubectl-get-events.txt": events,
            "kubectl-get.txt": get,
            "notes.md": notes,
            "logs/kafka-0.log": kafka0.render(),
            "logs/order-events-writer.log": producer.render(),
        },
        proofs=[
            Proof("kubectl-describe-pod.txt", "3 node(s) had volume node affinity conflict"),
            Proof("kubectl-get.txt", "          - eu-central-1a"),
            Proof("notes.md", "+ subnet_ids      = [", "private-eu-central-1c"),
        ],
        decoys=[
            "untolerated taint {dedicated: ingest}",
            "NOT_LEADER_OR_FOLLOWER",
            'secret "connect-secrets" not found',
            "Shrinking ISR from 0,1,2 to 0,2",
        ],
    )
