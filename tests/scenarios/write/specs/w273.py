# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: a chart change for metrics-relay (10:20 UTC) added `hostPort: 9100` to its
container so a legacy scraper could reach it on the node, and node-exporter's DaemonSet already
holds port 9100 on every node. The pods created by the rollout stay Pending (`node(s) didn't have
free ports for the requested pod ports`), the rollout stalls with the old pods at reduced
capacity, and the relay's queue lag grows until the ingest workers drop samples. Decoys: the
cluster autoscaler's scale-up that does not help, an Unhealthy probe on grafana, and ingest-worker's
lag warnings."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Zap
from scenes import at, loud
from traffic import traffic, worker

START = datetime(2026, 7, 2, 9, 55, tzinfo=UTC)
NOW = datetime(2026, 7, 2, 11, 5, tzinfo=UTC)
NODES = [
    f"ip-10-31-{a}-{b}.eu-central-1.compute.internal"
    for a, b in [(4, 17), (5, 201), (6, 88), (4, 142)]
]
PENDING = "metrics-relay-85c6f9d7b4-wq7zt"
FILTER = "0/4 nodes are available: 4 node(s) didn't have free ports for the requested pod ports. preemption: 0/4 nodes are available: 4 No preemption victims found for incoming pod."


def bundle() -> Bundle:
    rng = random.Random(27307)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["ingest-worker", "grafana", "alert-router"], 24, NODES, namespace="observability"
    )
    signal = [
        (
            ago(25.0),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/metrics-relay",
                "Scaled up replica set metrics-relay-85c6f9d7b4 to 2",
            ),
        ),
        (
            ago(25.05),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/metrics-relay",
                "Scaled down replica set metrics-relay-6b4d8c7f95 to 3 from 4",
            ),
        ),
        (ago(25.1), ("Warning", "FailedScheduling", f"pod/{PENDING}", FILTER)),
        (
            ago(25.3),
            (
                "Normal",
                "TriggeredScaleUp",
                f"pod/{PENDING}",
                "pod triggered scale-up: [{eks-obs-general-3ec4a1b2-7f0d-4c1e-9a8b-5d6e2f1c0a93 4->5 (max: 8)}]",
            ),
        ),
        (
            ago(29.0),
            (
                "Normal",
                "Scheduled",
                "pod/node-exporter-x4kq2",
                "Successfully assigned observability/node-exporter-x4kq2 to ip-10-31-5-66.eu-central-1.compute.internal",
            ),
        ),
        (
            ago(31.0),
            (
                "Warning",
                "FailedScheduling",
                f"pod/{PENDING}",
                FILTER.replace("0/4", "0/5")
                .replace("4 node(s)", "5 node(s)")
                .replace("4 No", "5 No"),
            ),
        ),
        (
            ago(44.0),
            (
                "Warning",
                "Unhealthy",
                "pod/grafana-7d5b8c9f6-2hj8l",
                'Readiness probe failed: Get "http://10.31.6.40:3000/api/health": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
    ]
    events = event_listing(routine, signal)
    pod = Pod(
        name=PENDING,
        namespace="observability",
        node="",
        app="metrics-relay",
        status="Pending",
        start_time="",
        conditions={"PodScheduled": "False"},
        containers=[
            Container(
                name="metrics-relay",
                image="quay.io/kestrel/metrics-relay:2.7.1",
                state=[],
                port="9100/TCP",
                limits={"memory": "768Mi"},
                requests={"cpu": "300m", "memory": "512Mi"},
            )
        ],
        events=[("Warning", "FailedScheduling", "2m (x9 over 42m)", "default-scheduler", FILTER)],
    )
    text = describe_pod(pod, rng).replace("    Host Port:  0/TCP", "    Host Port:  9100/TCP")
    spec = "\n".join(
        [
            "$ kubectl -n observability get deploy metrics-relay -o yaml | grep -B2 -A6 'ports:'",
            "        ports:",
            "        - containerPort: 9100",
            "          hostPort: 9100",
            "          name: remote-write",
            "          protocol: TCP",
            "",
            "$ kubectl -n observability get ds node-exporter -o jsonpath='{.spec.template.spec.hostNetwork} {.spec.template.spec.containers[0].ports}'",
            'true [{"containerPort":9100,"hostPort":9100,"name":"metrics","protocol":"TCP"}]',
            "",
            "$ kubectl -n observability get rs -l app=metrics-relay",
            "NAME                       DESIRED   CURRENT   READY   AGE",
            "metrics-relay-6b4d8c7f95   3         3         3       12d",
            "metrics-relay-85c6f9d7b4   2         2         0       45m",
            "",
        ]
    )
    ingest = LogFile(
        "logs/ingest-worker.log", Zap(("ingest/pipeline.go:212", "ingest/writer.go:88"), rng=rng)
    )
    ingest.add(
        traffic(rng, worker("ingest-worker", ["samples.raw", "samples.agg"]), START, total, 2600)
    )
    ingest.add(
        loud(
            rng,
            START,
            38.0,
            total - 38.5,
            90,
            lambda r: (
                "WARN",
                f"relay backlog high: queue=metrics-relay lag={r.randrange(40, 400)}k samples, oldest={r.randrange(60, 900)}s",
                (),
            ),
        )
    )
    ingest.add(
        loud(
            rng,
            START,
            52.0,
            total - 52.5,
            60,
            lambda r: (
                "ERROR",
                f"dropping {r.randrange(2, 90)}k samples: remote-write queue full (capacity 500000)",
                (),
            ),
        )
    )
    relay = LogFile(
        "logs/metrics-relay.log", Zap(("relay/server.go:77", "relay/queue.go:140"), rng=rng)
    )
    relay.add(traffic(rng, worker("metrics-relay", ["remote_write"]), START, total, 1800))
    relay.add([at(START, 24.9, "INFO", "received SIGTERM, draining 1 of 4 shards")])
    return Bundle(
        question="Metric ingestion has been lagging and dropping samples since about 10:35 UTC; dashboards show gaps. What is the root cause?",
        category="scheduling",
        component="metrics-relay",
        statement="A chart change at 10:20 UTC added hostPort 9100 to metrics-relay, a port node-exporter's DaemonSet already holds on every node; the new pods stay Pending (`didn't have free ports for the requested pod ports`), the rollout stalls at reduced capacity and the relay's backlog grows until ingest drops samples.",
        files={
            "kubectl-get-events.txt": events,
            "kubectl-describe-pod.txt": text,
            "kubectl.txt": spec,
            "logs/ingest-worker.log": ingest.render(),
            "logs/metrics-relay.log": relay.render(),
        },
        proofs=[
            Proof("kubectl-describe-pod.txt", "didn't have free ports for the requested pod ports"),
            Proof("kubectl.txt", "          hostPort: 9100"),
        ],
        decoys=[
            "TriggeredScaleUp",
            'Readiness probe failed: Get "http://10.31.6.40:3000/api/health"',
            "relay backlog high",
        ],
    )
