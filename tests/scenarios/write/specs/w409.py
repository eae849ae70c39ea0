# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: a values change for statement-worker 3.8 (rolled out 07:52 AEST) set the memory
request to `40Gi` instead of `4Gi`. No node in the cluster, and no node the cluster autoscaler
could add (the largest group is 32 GiB), can hold the pod: the new pods stay Pending with
FailedScheduling and NotTriggerScaleUp, the rolling update has already removed a quarter of the
old pods, and the KEDA scale-out for the month-end run adds only more Pending pods. The
statements queue grows. Decoys: a slow S3 upload retry, a node's kernel hung-task warning in
events, and a Postgres advisory-lock wait in statement-scheduler."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Pino, Zap
from scenes import at, loud
from traffic import traffic, worker

AEST = timezone(timedelta(hours=10))
START = datetime(2026, 3, 31, 21, 0, tzinfo=UTC)  # 07:00 AEST on the 1st
NOW = datetime(2026, 3, 31, 23, 40, tzinfo=UTC)
ROLLOUT = 52.0  # 21:52 UTC = 07:52 AEST
RUN = 60.0  # 08:00 AEST month-end run
NODES = [
    f"ip-10-32-{a}-{b}.ap-southeast-2.compute.internal"
    for a, b in ((10, 14), (11, 201), (12, 77), (10, 93), (11, 18), (12, 140))
]


def bundle() -> Bundle:
    rng = random.Random(4093)
    total = (NOW - START).total_seconds() / 60

    work = LogFile(
        "logs/statement-worker.log",
        Zap(callers=("render/pdf.go:212", "queue/consumer.go:88", "store/s3.go:140"), rng=rng),
    )
    work.add(
        traffic(
            rng,
            worker("statement-worker", ["statements.render", "statements.deliver"]),
            START,
            total,
            3300,
        )
    )
    work.add(
        [
            at(
                START,
                31.0,
                "WARN",
                "s3 PutObject statements-archive/2026/03/acc-5512093.pdf attempt 1 failed: RequestTimeout; retrying in 400ms",
                logger="store/s3.go:151",
            )
        ]
    )

    sched = LogFile(
        "logs/statement-scheduler.log",
        Pino(hostname="statement-scheduler-58c7d9f6b4-hv2kq", rng=rng),
    )
    sched.add(traffic(rng, worker("statement-scheduler", ["statements.plan"]), START, total, 1500))
    sched.add(
        [
            at(
                START,
                RUN,
                "INFO",
                "month-end run 2026-03 started: 412880 statements enqueued to statements.render",
            ),
            at(
                START,
                RUN - 0.5,
                "WARN",
                "waited 7.4s for advisory lock 90210 (another scheduler replica held it)",
            ),
        ]
    )
    depth = 412880

    def backlog(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        nonlocal depth
        depth += r.randrange(200, 2600)
        return (
            "WARN",
            f"statements.render backlog {depth} messages, consumers=6, oldest message age {r.randrange(20, 95)}m; month-end SLA at risk",
            (),
        )

    sched.add(loud(rng, START, RUN + 10, total - RUN - 10, 180, backlog))

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    fail = "0/6 nodes are available: 6 Insufficient memory. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod."
    routine = routine_events(
        rng, ["statement-scheduler", "notifier", "statement-worker"], 22, NODES, namespace="billing"
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/statement-worker",
                "Scaled up replica set statement-worker-84bd6c7f95 to 2",
            ),
        ),
        (
            ago(ROLLOUT - 0.05),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/statement-worker",
                "Scaled down replica set statement-worker-5c9f7b6d48 to 6 from 8",
            ),
        ),
        (
            ago(ROLLOUT + 0.5),
            ("Warning", "FailedScheduling", "pod/statement-worker-84bd6c7f95-4tq8z", fail),
        ),
        (
            ago(ROLLOUT + 0.7),
            (
                "Normal",
                "NotTriggerScaleUp",
                "pod/statement-worker-84bd6c7f95-4tq8z",
                "pod didn't trigger scale-up: 2 Insufficient memory, 1 node(s) didn't match Pod's node affinity/selector",
            ),
        ),
        (
            ago(RUN + 1),
            (
                "Normal",
                "KEDAScaleTargetActivated",
                "scaledobject/statement-worker",
                "Scaled apps/v1.Deployment billing/statement-worker from 8 to 20",
            ),
        ),
        (
            ago(RUN + 2),
            ("Warning", "FailedScheduling", "pod/statement-worker-84bd6c7f95-x7mnp", fail),
        ),
        (
            ago(47),
            (
                "Warning",
                "TaskHung",
                "node/ip-10-32-11-18.ap-southeast-2.compute.internal",
                "kernel: INFO: task jbd2/nvme0n1p1-:412 blocked for more than 120 seconds.",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    pending = [
        "statement-worker-84bd6c7f95-4tq8z",
        "statement-worker-84bd6c7f95-9wzlc",
        "statement-worker-84bd6c7f95-x7mnp",
        "statement-worker-84bd6c7f95-b2k5d",
        "statement-worker-84bd6c7f95-hq7vr",
    ]
    get = [
        "$ kubectl -n billing get pods -l app=statement-worker",
        "NAME                                READY   STATUS    RESTARTS   AGE",
        *(f"{name}   0/1     Pending   0          {rng.randrange(40, 108)}m" for name in pending),
        *(
            f"statement-worker-5c9f7b6d48-{rng.getrandbits(25):05x}   1/1     Running   0          6d2h"
            for _ in range(6)
        ),
        "",
        "$ kubectl -n billing rollout status deploy/statement-worker --timeout=5s",
        'Waiting for deployment "statement-worker" rollout to finish: 2 out of 20 new replicas have been updated...',
        "error: timed out waiting for the condition",
        "",
        "$ kubectl describe nodes | grep -A6 'Allocatable:' | grep memory | sort | uniq -c",
        "      3   memory:             15896204Ki",
        "      3   memory:             31442604Ki",
        "",
        "$ kubectl -n kube-system logs deploy/cluster-autoscaler --since=10m | grep statement-worker | tail -3",
        "I0331 23:31:07.412930       1 orchestrator.go:565] Pod billing/statement-worker-84bd6c7f95-x7mnp can't be scheduled on ng-general-m6i-2xl, predicate checking error: Insufficient memory; predicateName=NodeResourcesFit; reasons: Insufficient memory; debugInfo=",
        "I0331 23:31:07.413004       1 orchestrator.go:565] Pod billing/statement-worker-84bd6c7f95-x7mnp can't be scheduled on ng-general-m6i-xl, predicate checking error: Insufficient memory; predicateName=NodeResourcesFit; reasons: Insufficient memory; debugInfo=",
        "I0331 23:31:07.413188       1 orchestrator.go:602] No pod can fit to ng-general-m6i-2xl",
        "",
    ]
    pod = Pod(
        name="statement-worker-84bd6c7f95-4tq8z",
        namespace="billing",
        node="",
        app="statement-worker",
        status="Pending",
        start_time="",
        conditions={"PodScheduled": "False"},
        containers=[
            Container(
                name="statement-worker",
                image="123456789012.dkr.ecr.ap-southeast-2.amazonaws.com/billing/statement-worker:3.8.0",
                state=[],
                ready=False,
                limits={"cpu": "2", "memory": "40Gi"},
                requests={"cpu": "1", "memory": "40Gi"},
            )
        ],
        events=[
            ("Warning", "FailedScheduling", "3m (x21 over 107m)", "default-scheduler", fail),
            (
                "Normal",
                "NotTriggerScaleUp",
                "2m (x630 over 107m)",
                "cluster-autoscaler",
                "pod didn't trigger scale-up: 2 Insufficient memory, 1 node(s) didn't match Pod's node affinity/selector",
            ),
        ],
    )
    return Bundle(
        question="The March statements run started at 08:00 AEST and the render queue just keeps growing; only six workers seem to be doing anything. What is going on?",
        category="scheduling",
        component="statement-worker",
        statement="statement-worker 3.8 (rolled out 07:52 AEST) requests 40Gi of memory instead of 4Gi; no node or autoscaler node group can fit it, so every new pod stays Pending (FailedScheduling, NotTriggerScaleUp) and only six old pods work the month-end queue.",
        files={
            "logs/statement-worker.log": work.render(),
            "logs/statement-scheduler.log": sched.render(),
            "kubectl-describe-pod.txt": describe_pod(pod, rng),
            "kubectl-get.txt": "\n".join(get),
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof("kubectl-describe-pod.txt", "Requests:", "memory: 40Gi"),
            Proof("kubectl-describe-pod.txt", "NotTriggerScaleUp"),
            Proof("kubectl-describe-pod.txt", "FailedScheduling"),
        ],
        decoys=[
            "s3 PutObject statements-archive/2026/03/acc-5512093.pdf attempt 1 failed",
            "task jbd2/nvme0n1p1-:412 blocked for more than 120 seconds",
            "waited 7.4s for advisory lock 90210",
        ],
    )
