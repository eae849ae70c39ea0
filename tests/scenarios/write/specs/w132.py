# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes (EKS): search-api's pods carry a topologySpreadConstraint on
topology.kubernetes.io/zone with maxSkew 1 and whenUnsatisfiable: DoNotSchedule (taints are
ignored when domains are counted, the default). The general node group spans eu-west-1a and
eu-west-1b only, and the six pods sit three and three. At 17:25 UTC the ML team adds a GPU node
group in eu-west-1c, tainted nvidia.com/gpu=present:NoSchedule: eu-west-1c now counts as a zone
holding zero search-api pods, so no new pod fits anywhere. At the 19:00 UTC evening peak the HPA
asks for 12 replicas, six stay Pending with `didn't match pod topology spread constraints`, and the
six running pods queue and shed load. Decoys: the cluster autoscaler not scaling up (max node
group size), a slow Redis command warning in search-api's log, and a stale HPA metrics error."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, age, describe_pod, table
from records import Zap
from scenes import at, loud
from traffic import Line, traffic

NOW = datetime(2025, 4, 23, 19, 34, tzinfo=UTC)
PEAK = datetime(2025, 4, 23, 19, 2, 10, tzinfo=UTC)
GENERAL = [
    ("ip-10-31-11-204.eu-west-1.compute.internal", "eu-west-1a"),
    ("ip-10-31-12-87.eu-west-1.compute.internal", "eu-west-1a"),
    ("ip-10-31-13-15.eu-west-1.compute.internal", "eu-west-1a"),
    ("ip-10-31-41-162.eu-west-1.compute.internal", "eu-west-1b"),
    ("ip-10-31-42-9.eu-west-1.compute.internal", "eu-west-1b"),
    ("ip-10-31-43-230.eu-west-1.compute.internal", "eu-west-1b"),
]
GPU = [
    ("ip-10-31-71-58.eu-west-1.compute.internal", "eu-west-1c"),
    ("ip-10-31-72-140.eu-west-1.compute.internal", "eu-west-1c"),
]
RUNNING = [
    "search-api-6f7b9c4d8-4mz8q",
    "search-api-6f7b9c4d8-9vxkt",
    "search-api-6f7b9c4d8-c2nwp",
    "search-api-6f7b9c4d8-hl5rd",
    "search-api-6f7b9c4d8-q8tfz",
    "search-api-6f7b9c4d8-xw3jm",
]
PENDING = [
    "search-api-6f7b9c4d8-25gkv",
    "search-api-6f7b9c4d8-7tqbn",
    "search-api-6f7b9c4d8-fk9sx",
    "search-api-6f7b9c4d8-mr6lz",
    "search-api-6f7b9c4d8-s4dwh",
    "search-api-6f7b9c4d8-zj2pc",
]
FAILED = "0/8 nodes are available: 2 node(s) had untolerated taint {nvidia.com/gpu: present}, 6 node(s) didn't match pod topology spread constraints. preemption: 0/8 nodes are available: 2 Preemption is not helpful for scheduling, 6 No preemption victims found for incoming pod."


def describe(rng: random.Random) -> str:
    pod = Pod(
        name=PENDING[2],
        namespace="search",
        node="",
        app="search-api",
        containers=[
            Container(
                name="search-api",
                image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/search-api:4.0.0",
                state=[],
                limits={"cpu": "2", "memory": "2Gi"},
                requests={"cpu": "1", "memory": "1536Mi"},
            )
        ],
        status="Pending",
        conditions={"PodScheduled": "False"},
        events=[
            ("Warning", "FailedScheduling", "2m4s (x7 over 31m)", "default-scheduler", FAILED),
            (
                "Normal",
                "NotTriggerScaleUp",
                "90s (x181 over 31m)",
                "cluster-autoscaler",
                "pod didn't trigger scale-up: 1 node(s) didn't match pod topology spread constraints, 1 max node group size reached",
            ),
        ],
        start_time="",
        labels=["app=search-api", "pod-template-hash=6f7b9c4d8", "version=4.0.0"],
    )
    text = describe_pod(pod, rng)
    return text.replace(
        "Events:",
        "Topology Spread Constraints:  topology.kubernetes.io/zone:DoNotSchedule when max skew 1 is exceeded for selector app=search-api\nEvents:",
        1,
    )


def cluster_text(rng: random.Random) -> str:
    nodes = [("NAME", "STATUS", "ROLES", "AGE", "VERSION", "ZONE", "NODEGROUP")]
    for name, zone in GENERAL:
        nodes.append(
            (
                name,
                "Ready",
                "<none>",
                f"{rng.randrange(3, 19)}d",
                "v1.30.9-eks-5d632ec",
                zone,
                "general-m6i-2xl",
            )
        )
    for name, zone in GPU:
        nodes.append((name, "Ready", "<none>", "2h9m", "v1.30.9-eks-5d632ec", zone, "gpu-g5-xl"))
    pods = [("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE")]
    for index, name in enumerate(RUNNING):
        node = GENERAL[index][0]
        pods.append(
            (
                name,
                "1/1",
                "Running",
                "0",
                "4h12m",
                f"10.31.{11 + index}.{rng.randrange(20, 250)}",
                node,
            )
        )
    for name in PENDING:
        pods.append((name, "0/1", "Pending", "0", f"{rng.randrange(29, 32)}m", "<none>", "<none>"))
    hpa = [
        ("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"),
        ("search-api", "Deployment/search-api", "cpu: 173%/60%", "6", "24", "12", "212d"),
    ]
    events = []
    since = int((NOW - PEAK).total_seconds())
    events.append(
        (
            since,
            "Normal",
            "SuccessfulRescale",
            "horizontalpodautoscaler/search-api",
            "New size: 9; reason: cpu resource utilization (percentage of request) above target",
        )
    )
    events.append(
        (
            since - 75,
            "Normal",
            "SuccessfulRescale",
            "horizontalpodautoscaler/search-api",
            "New size: 12; reason: cpu resource utilization (percentage of request) above target",
        )
    )
    events.append(
        (
            since - 2,
            "Normal",
            "ScalingReplicaSet",
            "deployment/search-api",
            "Scaled up replica set search-api-6f7b9c4d8 to 9 from 6",
        )
    )
    events.append(
        (
            since - 77,
            "Normal",
            "ScalingReplicaSet",
            "deployment/search-api",
            "Scaled up replica set search-api-6f7b9c4d8 to 12 from 9",
        )
    )
    events.append(
        (
            40500,
            "Warning",
            "FailedGetResourceMetric",
            "horizontalpodautoscaler/search-api",
            "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
        )
    )
    events.append(
        (
            15120,
            "Normal",
            "ScalingReplicaSet",
            "deployment/search-api",
            "Scaled up replica set search-api-6f7b9c4d8 to 2",
        )
    )
    events.append(
        (
            14900,
            "Normal",
            "ScalingReplicaSet",
            "deployment/search-api",
            "Scaled down replica set search-api-58d4f7b6c5 to 0 from 1",
        )
    )
    for index, name in enumerate(PENDING):
        when = since - 3 if index < 3 else since - 78
        events.append(
            (
                when,
                "Normal",
                "SuccessfulCreate",
                "replicaset/search-api-6f7b9c4d8",
                f"Created pod: {name}",
            )
        )
        events.append(
            (rng.randrange(60, 300), "Warning", "FailedScheduling", f"pod/{name}", FAILED)
        )
        events.append(
            (
                rng.randrange(30, 120),
                "Normal",
                "NotTriggerScaleUp",
                f"pod/{name}",
                "pod didn't trigger scale-up: 1 node(s) didn't match pod topology spread constraints, 1 max node group size reached",
            )
        )
    for _ in range(30):
        app = rng.choice(["catalog-indexer", "query-suggest", "search-gateway"])
        pod = f"{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}"
        events.append(
            (
                rng.randrange(300, 7000),
                "Normal",
                "Pulled",
                f"pod/{pod}",
                f'Container image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/{app}:{rng.randrange(1, 4)}.{rng.randrange(20)}.{rng.randrange(9)}" already present on machine',
            )
        )
    events.sort(key=lambda row: -row[0])
    rows = [
        ("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"),
        *((age(a), *rest) for a, *rest in events),
    ]
    return (
        "\n".join(
            [
                "$ kubectl get nodes -L topology.kubernetes.io/zone,eks.amazonaws.com/nodegroup",
                *table(nodes[0], nodes[1:]),
                "",
                "$ kubectl describe node ip-10-31-71-58.eu-west-1.compute.internal | grep -A1 Taints",
                "Taints:             nvidia.com/gpu=present:NoSchedule",
                "Unschedulable:      false",
                "",
                "$ kubectl get pods -n search -l app=search-api -o wide",
                *table(pods[0], pods[1:]),
                "",
                "$ kubectl get hpa -n search",
                *table(hpa[0], hpa[1:]),
                "",
                "$ kubectl get events -n search --sort-by=.lastTimestamp",
                *table(rows[0], rows[1:]),
            ]
        )
        + "\n"
    )


def api_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f"search served q_len={rng.randrange(3, 40)} hits={rng.randrange(0, 5000)} took_ms={rng.randrange(12, 90)} shard_fanout=8",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"suggest served prefix_len={rng.randrange(1, 8)} took_ms={rng.randrange(2, 15)}",
            (),
        )
    return "DEBUG", f"cache hit key=facets:{rng.getrandbits(32):08x}", ()


def api_overload(rng: random.Random) -> Line:
    if rng.random() < 0.65:
        return (
            "WARN",
            f"request shed: in-flight limit reached (inflight=64, limit=64), returning 503 path=/v1/search remote=10.31.{rng.randrange(0, 80)}.{rng.randrange(2, 250)}",
            (),
        )
    return (
        "WARN",
        f"search served q_len={rng.randrange(3, 40)} hits={rng.randrange(0, 5000)} took_ms={rng.randrange(1800, 5200)} shard_fanout=8 queued_ms={rng.randrange(900, 4000)}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1132)
    log = LogFile(
        "logs/search-api.log",
        Zap(("server/handler.go:88", "server/search.go:141", "cache/redis.go:57"), rng=rng),
    )
    start = NOW - timedelta(minutes=75)
    log.add(traffic(rng, api_line, start, 75, 3800))
    peak = (PEAK - start).total_seconds() / 60
    log.add(loud(rng, start, peak + 1.5, 75 - peak - 1.6, 420, api_overload))
    log.add(
        [
            at(
                start,
                12.4,
                "WARN",
                "redis command slow: HGETALL facets:index took 212ms (threshold 100ms)",
                logger="cache/redis.go:57",
            ),
            at(
                start,
                51.2,
                "WARN",
                "redis command slow: HGETALL facets:index took 187ms (threshold 100ms)",
                logger="cache/redis.go:57",
            ),
        ]
    )
    return Bundle(
        question="Search is returning 503s and is very slow since the evening peak started around 19:00 UTC, even though the HPA scaled it up. Why?",
        category="scheduling",
        component="search-api",
        statement="search-api's zone topologySpreadConstraint (maxSkew 1, DoNotSchedule, taints ignored) counts eu-west-1c, where only the tainted GPU nodes added at 17:25 UTC live, as a zone with no search-api pod, so when the HPA scales to 12 at about 19:02 UTC the six new pods stay Pending (didn't match pod topology spread constraints) and the six running pods shed load with 503s.",
        files={
            "kubectl-describe-pod.txt": describe(rng),
            "kubectl-get.txt": cluster_text(rng),
            "logs/search-api.log": log.render(),
        },
        proofs=[
            Proof("kubectl-describe-pod.txt", "Topology Spread Constraints:"),
            Proof("kubectl-describe-pod.txt", "FailedScheduling"),
        ],
        decoys=["max node group size reached", "redis command slow", "FailedGetResourceMetric"],
    )
