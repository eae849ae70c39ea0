# ruff: noqa: E501
# kubectl output, klog lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: a Terraform cost clean-up applied on Monday lowered the k8s-batch-spot Auto
Scaling group's max size from 24 to 6. At the 01:00 UTC nightly run the Spark executors no
longer fit; cluster-autoscaler skips the group (`max size reached`) and 38 executor pods stay
Pending, so the nightly ETL does not finish by 06:00. Loud: the Spark driver's "Initial job has
not accepted any resources" warnings, Pending pods, FailedScheduling. Decoys: a spot
interruption notice handled by aws-node-termination-handler, an older executor OOM, and a slow
image pull."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Log4j, Record
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 10, 6, 0, 40, tzinfo=UTC)
NOW = datetime(2026, 10, 6, 6, 20, tzinfo=UTC)
RUN = 20.0  # 01:00
NODES = [
    f"ip-10-70-{a}-{b}.us-east-2.compute.internal"
    for a, b in ((32, 14), (33, 201), (34, 77), (32, 150), (33, 9), (34, 182))
]
SKIP = "Skipping node group k8s-batch-spot - max size reached"


@dataclass
class Klog:
    """klog: `I1006 01:00:12.118224       1 scale_up.go:308] message`."""

    def render(self, record: Record) -> list[str]:
        letter = {"WARN": "W", "ERROR": "E", "FATAL": "F"}.get(record.level, "I")
        stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
        return [f"{letter}{stamp}       1 {record.message}"]


def ca_routine(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    if roll < 0.35:
        return ("INFO", "static_autoscaler.go:290] Starting main loop", ())
    if roll < 0.55:
        return (
            "INFO",
            f"filter_out_schedulable.go:{rng.choice([63, 65])}] Filtering out schedulables",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"filter_out_schedulable.go:{rng.choice([120, 122])}] {rng.randrange(0, 3)} pods marked as unschedulable can be scheduled.",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"static_autoscaler.go:{rng.choice([634, 650])}] Scale down status: lastScaleUpTime=2026-10-06 01:0{rng.randrange(10)}:12 +0000 UTC lastScaleDownDeleteTime=2026-10-05 07:14:02 +0000 UTC lastScaleDownFailTime=2026-10-05 03:02:41 +0000 UTC scaleDownForbidden=false scaleDownInCooldown=true",
            (),
        )
    return (
        "INFO",
        f"aws_manager.go:{rng.choice([187, 188])}] Refreshed ASG list, next refresh after 2026-10-06 0{rng.randrange(1, 6)}:{rng.randrange(60):02d}:00 +0000 UTC",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(2440)
    total = (NOW - START).total_seconds() / 60
    ca = LogFile("logs/cluster-autoscaler.log", Klog())
    ca.add(traffic(rng, ca_routine, START, total, 1600))
    ca.add(
        [
            at(START, RUN + 0.6, "INFO", "scale_up.go:477] Best option to resize: k8s-batch-spot"),
            at(
                START,
                RUN + 0.61,
                "INFO",
                "scale_up.go:481] Estimated 38 nodes needed in k8s-batch-spot",
            ),
            at(
                START,
                RUN + 0.63,
                "INFO",
                "scale_up.go:607] Final scale-up plan: [{k8s-batch-spot 2->6 (max: 6)}]",
            ),
            at(
                START,
                RUN + 0.64,
                "INFO",
                "auto_scaling_groups.go:248] Setting asg k8s-batch-spot size to 6",
            ),
            at(
                START,
                RUN + 58.4,
                "WARN",
                "clusterstate.go:443] Failed to find readiness information for k8s-batch-spot",
            ),
        ]
    )
    ca.add(
        loud(
            rng,
            START,
            RUN + 2,
            total - RUN - 3,
            640,
            fixed("INFO", lambda r: "orchestrator.go:" + "210] " + SKIP),
        )
    )
    ca.add(
        loud(
            rng,
            START,
            RUN + 2,
            total - RUN - 3,
            640,
            fixed(
                "INFO", lambda r: f"orchestrator.go:{r.choice([565, 566])}] No expansion options"
            ),
        )
    )
    ca.add(
        loud(
            rng,
            START,
            RUN + 2,
            total - RUN - 3,
            400,
            fixed(
                "INFO",
                lambda r: (
                    f'event_sink_logging_wrapper.go:48] Event(v1.ObjectReference{{Kind:"Pod", Namespace:"data", Name:"nightly-etl-{r.getrandbits(32):08x}-exec-{r.randrange(7, 45)}", UID:"", APIVersion:"v1", ResourceVersion:"", FieldPath:""}}): type: \'Normal\' reason: \'NotTriggerScaleUp\' pod didn\'t trigger scale-up: 1 max node group size reached, 3 node(s) didn\'t match Pod\'s node affinity/selector'
                ),
            ),
        )
    )

    driver = LogFile(
        "logs/nightly-etl-driver.log",
        Log4j(
            (
                "org.apache.spark.scheduler.TaskSchedulerImpl",
                "org.apache.spark.scheduler.DAGScheduler",
                "org.apache.spark.deploy.k8s.ExecutorPodsAllocator",
            ),
            threads="dag-scheduler-event-loop",
            rng=rng,
        ),
    )

    def spark(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
        stage = rng.randrange(3, 40)
        if rng.random() < 0.5:
            return (
                "INFO",
                f"Finished task {rng.randrange(0, 400)}.0 in stage {stage}.0 (TID {rng.randrange(10**5)}) in {rng.randrange(800, 90000)} ms on 10.70.{rng.randrange(32, 35)}.{rng.randrange(2, 250)} (executor {rng.randrange(1, 7)}) ({rng.randrange(1, 400)}/400)",
                (),
            )
        return (
            "INFO",
            f"Starting task {rng.randrange(0, 400)}.0 in stage {stage}.0 (TID {rng.randrange(10**5)}) (10.70.{rng.randrange(32, 35)}.{rng.randrange(2, 250)}, executor {rng.randrange(1, 7)}, partition {rng.randrange(400)}, PROCESS_LOCAL, 9120 bytes)",
            (),
        )

    driver.add(traffic(rng, spark, START + timedelta(minutes=RUN + 3), total - RUN - 4, 2600))
    driver.add(
        [
            at(
                START,
                RUN + 0.3,
                "INFO",
                "Going to request 40 executors from Kubernetes for ResourceProfile Id: 0, target: 40, known: 0, sharedSlotFromPendingPods: 2147483647.",
                logger="org.apache.spark.deploy.k8s.ExecutorPodsAllocator",
            ),
            at(
                START,
                2.0,
                "WARN",
                "Lost executor 17 on 10.70.34.19: The executor with id 17 exited with exit code 137(SIGKILL, possible container OOM).",
                logger="org.apache.spark.scheduler.TaskSchedulerImpl",
            ),
        ]
    )
    driver.add(
        loud(
            rng,
            START,
            RUN + 1,
            total - RUN - 2,
            520,
            fixed(
                "WARN",
                lambda r: (
                    "Initial job has not accepted any resources; check your cluster UI to ensure that workers are registered and have sufficient resources"
                ),
            ),
        )
    )
    driver.add(
        loud(
            rng,
            START,
            RUN + 3,
            total - RUN - 4,
            180,
            fixed(
                "INFO",
                lambda r: (
                    f"Stage {r.randrange(3, 40)} running with 6/40 executors; {r.randrange(900, 4000)} tasks pending"
                ),
            ),
        )
    )

    pod = Pod(
        name="nightly-etl-7c2e91ab-exec-23",
        namespace="data",
        node="",
        app="nightly-etl",
        status="Pending",
        start_time="",
        controller="Pod/nightly-etl-7c2e91ab-driver",
        labels=[
            "spark-app-selector=spark-7c2e91ab4d0f4e9b8a61c5d3f2e1b0a9",
            "spark-exec-id=23",
            "spark-role=executor",
        ],
        node_selectors="node.kubernetes.io/lifecycle=spot\n                             workload=batch",
        service_account="spark",
        containers=[
            Container(
                "spark-kubernetes-executor",
                "123456789012.dkr.ecr.us-east-2.amazonaws.com/data/nightly-etl:2026.09.4",
                state=[],
                limits={"memory": "14Gi"},
                requests={"cpu": "3", "memory": "14Gi"},
                port="7079/TCP",
            )
        ],
        conditions={"PodScheduled": "False"},
        events=[
            (
                "Warning",
                "FailedScheduling",
                "3m12s (x62 over 5h18m)",
                "default-scheduler",
                "0/14 nodes are available: 6 Insufficient cpu, 6 Insufficient memory, 8 node(s) didn't match Pod's node affinity/selector. preemption: 0/14 nodes are available: 6 No preemption victims found for incoming pod, 8 Preemption is not helpful for scheduling.",
            ),
            (
                "Normal",
                "NotTriggerScaleUp",
                "2m51s (x1890 over 5h18m)",
                "cluster-autoscaler",
                "pod didn't trigger scale-up: 1 max node group size reached, 3 node(s) didn't match Pod's node affinity/selector",
            ),
        ],
    )
    describe = describe_pod(pod, rng)
    notes = "\n".join(
        [
            "# ETL on-call notes, Tue 6 Oct",
            "",
            "- nightly-etl started 01:00 as usual, still running at 06:10 (normally done by 03:30); finance dashboards empty",
            "- 38 executor pods Pending, 6 running. One batch node got a spot interruption around 01:58, replaced",
            "- yesterday's run lost executor 17 to an OOM kill but finished",
            "- image pull took 41s on the new nodes (ECR), that is normal for the first pull",
            "",
            "$ aws autoscaling describe-auto-scaling-groups --auto-scaling-group-names k8s-batch-spot --query 'AutoScalingGroups[0].[MinSize,MaxSize,DesiredCapacity]' --output text",
            "2\t6\t6",
            "",
            "$ git -C infra log -1 --format='%h %ad %s' --date=iso -- eks/nodegroups.tf",
            "e41b7c2 2026-10-05 16:22:09 +0000 cost: right-size batch ASGs (max_size 24 -> 6), see FIN-2211",
            "",
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(rng, ["orders-sync", "reports-api"], 16, NODES, namespace="data")
    signal = [
        (
            ago(RUN + 1.5),
            (
                "Normal",
                "TriggeredScaleUp",
                "pod/nightly-etl-7c2e91ab-exec-3",
                "pod triggered scale-up: [{k8s-batch-spot 2->6 (max: 6)}]",
            ),
        ),
        (
            ago(RUN + 5.2),
            (
                "Normal",
                "Pulled",
                "pod/nightly-etl-7c2e91ab-exec-5",
                'Successfully pulled image "123456789012.dkr.ecr.us-east-2.amazonaws.com/data/nightly-etl:2026.09.4" in 41.237s (41.237s including waiting). Image size: 1684220118 bytes.',
            ),
        ),
        (
            ago(RUN + 58.2),
            (
                "Warning",
                "SpotInterruption",
                "node/ip-10-70-33-9.us-east-2.compute.internal",
                "Spot interruption notice received, node cordoned and drained",
            ),
        ),
        (
            ago(total - 3),
            (
                "Normal",
                "NotTriggerScaleUp",
                "pod/nightly-etl-7c2e91ab-exec-23",
                "pod didn't trigger scale-up: 1 max node group size reached, 3 node(s) didn't match Pod's node affinity/selector",
            ),
        ),
        (
            ago(total - 3.2),
            (
                "Warning",
                "FailedScheduling",
                "pod/nightly-etl-7c2e91ab-exec-23",
                "0/14 nodes are available: 6 Insufficient cpu, 6 Insufficient memory, 8 node(s) didn't match Pod's node affinity/selector. preemption: 0/14 nodes are available: 6 No preemption victims found for incoming pod, 8 Preemption is not helpful for scheduling.",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    return Bundle(
        question="The nightly ETL that starts at 01:00 UTC is still running at 06:10 with most executors Pending. What is the root cause?",
        category="scheduling",
        component="k8s-batch-spot",
        statement="A Terraform change on 5 Oct lowered the k8s-batch-spot Auto Scaling group's max size from 24 to 6; at the 01:00 UTC nightly run cluster-autoscaler could only grow it to 6 nodes and then skipped it (max node group size reached), so 38 Spark executor pods stayed Pending and the ETL ran at a fraction of its capacity.",
        files={
            "logs/cluster-autoscaler.log": ca.render(),
            "logs/nightly-etl-driver.log": driver.render(),
            "kubectl-describe-pod.txt": describe,
            "kubectl-get-events.txt": events,
            "notes.md": notes,
        },
        proofs=[
            Proof(
                "logs/cluster-autoscaler.log",
                "Final scale-up plan: [{k8s-batch-spot 2->6 (max: 6)}]",
            ),
            Proof("notes.md", "max_size 24 -> 6"),
        ],
        decoys=[
            "Spot interruption notice received",
            "exited with exit code 137(SIGKILL, possible container OOM)",
            "in 41.237s (41.237s including waiting)",
        ],
    )
