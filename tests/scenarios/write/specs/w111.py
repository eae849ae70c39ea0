# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""The overnight node-group roll (general-v1 to general-v2) brought up nodes in eu-west-1a and
eu-west-1b only, because the new node group was created without the eu-west-1c subnet. When
opensearch-data-2's node in eu-west-1c was drained, the pod could not come back: its EBS volume
lives in eu-west-1c, so every node fails with `volume node affinity conflict` and the autoscaler
cannot help. The loud part is OpenSearch going RED and search-api's 503s; a disk watermark
warning, a GC overhead warning and an old FailedScheduling of another pod sit beside them."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import PythonLogging, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

NOW = datetime(2024, 12, 4, 8, 20, tzinfo=UTC)
START = datetime(2024, 12, 4, 1, 50, tzinfo=UTC)
DRAIN = 41.0
NAMESPACE = "search"
OLD_NODES = {
    "ip-10-31-44-18.eu-west-1.compute.internal": "eu-west-1c",
}
NODES = [
    ("ip-10-31-12-201.eu-west-1.compute.internal", "eu-west-1a", "5h41m"),
    ("ip-10-31-13-77.eu-west-1.compute.internal", "eu-west-1a", "5h39m"),
    ("ip-10-31-14-9.eu-west-1.compute.internal", "eu-west-1a", "5h52m"),
    ("ip-10-31-27-140.eu-west-1.compute.internal", "eu-west-1b", "5h50m"),
    ("ip-10-31-28-33.eu-west-1.compute.internal", "eu-west-1b", "5h44m"),
    ("ip-10-31-29-118.eu-west-1.compute.internal", "eu-west-1b", "5h37m"),
]


class OpenSearchLog:
    """OpenSearch's log4j2 pattern: `[time][LEVEL][logger] [node] message`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        level = f"{record.level:<5}"
        logger = record.logger or next(
            (
                name
                for marker, name in (
                    ("[gc]", "o.o.m.j.JvmGcMonitorService"),
                    ("update_mapping", "o.o.c.m.MetadataMappingService"),
                    ("Rolling over", "o.o.c.m.MetadataRolloverService"),
                    ("watermark", "o.o.c.r.a.DiskThresholdMonitor"),
                )
                if marker in record.message
            ),
            "o.o.n.Node",
        )
        return [f"[{stamp}][{level}][{logger}] [opensearch-data-0] {record.message}"]


def ago(time: datetime) -> int:
    return int((NOW - time).total_seconds())


def opensearch_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"[gc][{rng.randrange(40000, 90000)}] overhead, spent [{rng.randrange(100, 400)}ms] collecting in the last [1s]",
            (),
        )
    if roll < 0.7:
        return "INFO", f"[orders-2024.11/{rng.getrandbits(64):016x}] update_mapping [_doc]", ()
    return (
        "INFO",
        f"Rolling over index [logs-app-{rng.randrange(10, 99)}] using [{rng.choice(['max_age', 'max_size'])}] condition",
        (),
    )


def search_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"GET /v1/orders/search?q={rng.choice(['status:shipped', 'customer:' + str(rng.randrange(10**6)), 'sku:SK-' + str(rng.randrange(10**5))])} 200 {rng.randrange(8, 140)}ms",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"GET /v1/orders/{rng.randrange(10**7, 10**8)} 200 {rng.randrange(3, 40)}ms",
            (),
        )
    return (
        "INFO",
        f"indexed order {rng.randrange(10**7, 10**8)} into orders-2024.12 in {rng.randrange(4, 30)}ms",
        (),
    )


def search_failure(rng: random.Random) -> Line:
    order = rng.randrange(10**7, 10**8)
    if rng.random() < 0.5:
        return (
            "ERROR",
            f"GET /v1/orders/{order} 503: TransportError(503, 'no_shard_available_action_exception', 'No shard available for [get [orders-2024.12][{order}]: routing [null]]')",
            (),
        )
    return (
        "ERROR",
        "GET /v1/orders/search 503: TransportError(503, 'search_phase_execution_exception', 'all shards failed') index=orders-2024.12",
        (),
    )


def pv_text() -> str:
    lines = [
        "Name:              pvc-7b3e91c4-58d2-4f0a-9c61-2e4d7a1f08b3",
        "Labels:            <none>",
        "Annotations:       pv.kubernetes.io/provisioned-by: ebs.csi.aws.com",
        "                   volume.kubernetes.io/provisioner-deletion-secret-name: ",
        "                   volume.kubernetes.io/provisioner-deletion-secret-namespace: ",
        "Finalizers:        [kubernetes.io/pv-protection external-attacher/ebs-csi-aws-com]",
        "StorageClass:      gp3-retain",
        "Status:            Bound",
        f"Claim:             {NAMESPACE}/data-opensearch-data-2",
        "Reclaim Policy:    Retain",
        "Access Modes:      RWO",
        "VolumeMode:        Filesystem",
        "Capacity:          800Gi",
        "Node Affinity:     ",
        "  Required Terms:  ",
        "    Term 0:        topology.ebs.csi.aws.com/zone in [eu-west-1c]",
        "Message:           ",
        "Source:",
        "    Type:              CSI (a Container Storage Interface (CSI) volume source)",
        "    Driver:            ebs.csi.aws.com",
        "    FSType:            ext4",
        "    VolumeHandle:      vol-04e9c2a7d15b86f30",
        "    ReadOnly:          false",
        "    VolumeAttributes:      storage.kubernetes.io/csiProvisionerIdentity=1718112305512-7012-ebs.csi.aws.com",
        "Events:                <none>",
    ]
    return "\n".join(lines) + "\n"


def nodes_text() -> str:
    rows = [
        (name, "Ready", "<none>", age, "v1.30.4-eks-a737599", zone, "general-v2")
        for name, zone, age in NODES
    ]
    header = ("NAME", "STATUS", "ROLES", "AGE", "VERSION", "ZONE", "NODEGROUP")
    return (
        "$ kubectl get nodes -L topology.kubernetes.io/zone,eks.amazonaws.com/nodegroup\n"
        + "\n".join(table(header, rows))
        + "\n"
    )


def pods_text() -> str:
    rows = [
        ("opensearch-cluster-manager-0", "1/1", "Running", "0", "5h38m"),
        ("opensearch-cluster-manager-1", "1/1", "Running", "0", "5h44m"),
        ("opensearch-cluster-manager-2", "1/1", "Running", "0", "5h36m"),
        ("opensearch-data-0", "1/1", "Running", "0", "5h40m"),
        ("opensearch-data-1", "1/1", "Running", "1 (5h31m ago)", "5h47m"),
        ("opensearch-data-2", "0/1", "Pending", "0", "5h49m"),
        ("opensearch-dashboards-6f9c7d8b54-x7kqp", "1/1", "Running", "0", "5h39m"),
        ("search-api-58d9c6b7f4-2mhzw", "1/1", "Running", "0", "3d"),
        ("search-api-58d9c6b7f4-qv8tn", "1/1", "Running", "0", "5h41m"),
        ("search-api-58d9c6b7f4-z4lpc", "1/1", "Running", "0", "5h38m"),
    ]
    return "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE"), rows)) + "\n"


def bundle() -> Bundle:
    rng = random.Random(1111)
    drained = START + timedelta(minutes=DRAIN)
    pending_message = "0/6 nodes are available: 6 node(s) had volume node affinity conflict. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling."
    pod = Pod(
        name="opensearch-data-2",
        namespace=NAMESPACE,
        node="",
        app="opensearch-data",
        status="Pending",
        start_time="",
        controller="StatefulSet/opensearch-data",
        service_account="opensearch",
        labels=[
            "app.kubernetes.io/component=opensearch-data",
            "app.kubernetes.io/instance=opensearch",
            "app.kubernetes.io/name=opensearch",
            "apps.kubernetes.io/pod-index=2",
            "controller-revision-hash=opensearch-data-7c9d5f8b6d",
            "statefulset.kubernetes.io/pod-name=opensearch-data-2",
        ],
        containers=[
            Container(
                "opensearch",
                "opensearchproject/opensearch:2.17.1",
                state=[],
                ready=False,
                limits={"cpu": "4", "memory": "16Gi"},
                requests={"cpu": "2", "memory": "16Gi"},
                port="9200/TCP, 9300/TCP",
            )
        ],
        conditions={"PodScheduled": "False"},
        volumes=[
            "  data:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  data-opensearch-data-2",
            "    ReadOnly:   false",
        ],
        events=[
            (
                "Warning",
                "FailedScheduling",
                "3m12s (x71 over 5h49m)",
                "default-scheduler",
                pending_message,
            ),
            (
                "Normal",
                "NotTriggerScaleUp",
                "2m4s (x1894 over 5h48m)",
                "cluster-autoscaler",
                "pod didn't trigger scale-up: 1 node(s) had volume node affinity conflict",
            ),
        ],
    )
    routine = routine_events(
        rng,
        ["search-api", "opensearch-dashboards"],
        14,
        [name for name, _, _ in NODES],
        namespace=NAMESPACE,
    )
    signal = [
        (
            ago(drained) + 12,
            ("Normal", "Killing", "pod/opensearch-data-2", "Stopping container opensearch"),
        ),
        (
            ago(drained),
            (
                "Normal",
                "SuccessfulCreate",
                "statefulset/opensearch-data",
                "create Pod opensearch-data-2 in StatefulSet opensearch-data successful",
            ),
        ),
        (192, ("Warning", "FailedScheduling", "pod/opensearch-data-2", pending_message)),
        (
            124,
            (
                "Normal",
                "NotTriggerScaleUp",
                "pod/opensearch-data-2",
                "pod didn't trigger scale-up: 1 node(s) had volume node affinity conflict",
            ),
        ),
        (
            ago(START) - 1400,
            (
                "Warning",
                "FailedScheduling",
                "pod/opensearch-dashboards-6f9c7d8b54-x7kqp",
                "0/5 nodes are available: 2 Insufficient memory, 3 node(s) were unschedulable. preemption: 0/5 nodes are available: 2 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
            ),
        ),
        (
            ago(START) - 1520,
            (
                "Normal",
                "Scheduled",
                "pod/opensearch-dashboards-6f9c7d8b54-x7kqp",
                f"Successfully assigned {NAMESPACE}/opensearch-dashboards-6f9c7d8b54-x7kqp to {NODES[4][0]}",
            ),
        ),
        (
            ago(START) - 600,
            (
                "Warning",
                "Unhealthy",
                "pod/opensearch-data-1",
                "Readiness probe failed: curl: (7) Failed to connect to localhost port 9200 after 0 ms: Couldn't connect to server",
            ),
        ),
    ]
    cluster = LogFile("logs/opensearch-data-0.log", OpenSearchLog())
    cluster.add(traffic(rng, opensearch_line, START, 390, 1100))
    cluster.add(
        [
            at(
                START,
                DRAIN + 0.05,
                "INFO",
                "removed {{opensearch-data-2}{Wq3xT0bZS8yC1fJm4nK2dA}{Hc7pQe1dR9mN2vB5tL0ySg}{10.31.44.87}{10.31.44.87:9300}{d}{shard_indexing_pressure_enabled=true}}, term: 41, version: 88213, reason: ApplyCommitRequest{term=41, version=88213, sourceNode={opensearch-cluster-manager-1}}",
                logger="o.o.c.s.ClusterApplierService",
            ),
            at(
                START,
                DRAIN + 0.9,
                "WARN",
                "[orders-2024.12][0] primary-replica resync failed: no copy of shard available",
                logger="o.o.i.s.IndexShard",
            ),
            at(
                START,
                DRAIN + 1.0,
                "WARN",
                "Cluster health status changed from [YELLOW] to [RED] (reason: [shards failed [[orders-2024.12][0], [orders-2024.12][1]]]).",
                logger="o.o.c.r.a.AllocationService",
            ),
        ]
    )
    cluster.add(
        loud(
            rng,
            START,
            60,
            330,
            36,
            fixed(
                "WARN",
                lambda r: (
                    f"low disk watermark [85%] exceeded on [Wq{r.getrandbits(40):010x}][opensearch-data-0][/usr/share/opensearch/data/nodes/0] free: {r.randrange(96, 118)}.{r.randrange(10)}gb[{r.randrange(13, 15)}.{r.randrange(10)}%], replicas will not be assigned to this node"
                ),
            ),
        )
    )
    api = LogFile(
        "logs/search-api.log", PythonLogging(("search_api.routes", "search_api.store"), rng=rng)
    )
    api.add(traffic(rng, search_line, START, 390, 2600))
    api.add(loud(rng, START, DRAIN + 1.1, 388 - DRAIN, 520, search_failure))
    api.add(
        loud(
            rng,
            START,
            2.0,
            20,
            30,
            fixed(
                "WARN",
                lambda r: (
                    f"GET http://opensearch:9200/_cluster/health failed (ConnectionError: [Errno 111] Connection refused), retry {r.randrange(1, 4)}/3 succeeded"
                ),
            ),
        )
    )
    notes = "\n".join(
        [
            "Handover from night shift (Kai):",
            "- 02:00-02:45 UTC: rolled EKS worker nodes to the 1.30 AMI, node group general-v1 replaced by general-v2 (terraform apply, change CHG-40211).",
            "- OpenSearch went RED at about 02:32, orders lookups in the app fail with 503. Cluster-manager looks fine, data-0 and data-1 are up.",
            "- data-0 has been warning about the disk watermark for weeks, ticket OPS-7714 is open for it.",
            "- Tried deleting opensearch-data-2 once at 04:10, it came back Pending again.",
            "Question for day shift: why is opensearch RED and how do we get orders search back?",
            "",
        ]
    )
    return Bundle(
        question="Orders search has been returning 503s since the node upgrade last night and OpenSearch is RED. What is the root cause?",
        category="scheduling",
        component="opensearch-data",
        statement="Since the node-group roll drained it at about 02:31 UTC, pod opensearch-data-2 stays Pending: its EBS volume is bound to eu-west-1c but the new general-v2 node group has nodes only in eu-west-1a and eu-west-1b, so every node fails with 'volume node affinity conflict' and the autoscaler cannot add one; the orders-2024.12 shards it held stay unassigned and OpenSearch is RED.",
        files={
            "notes.md": notes,
            "get-pods.txt": pods_text(),
            "describe-pod.txt": describe_pod(pod, rng),
            "describe-pv.txt": pv_text(),
            "get-nodes.txt": nodes_text(),
            "events.txt": event_listing(routine, signal),
            "logs/opensearch-data-0.log": cluster.render(),
            "logs/search-api.log": api.render(),
        },
        proofs=[
            Proof("describe-pod.txt", "6 node(s) had volume node affinity conflict"),
            Proof("describe-pv.txt", "topology.ebs.csi.aws.com/zone in [eu-west-1c]"),
        ],
        decoys=[
            "low disk watermark [85%] exceeded",
            "Insufficient memory",
            "no_shard_available_action_exception",
            "Readiness probe failed",
        ],
    )
