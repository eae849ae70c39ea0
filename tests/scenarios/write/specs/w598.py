# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the risk team's chart 2.11.0 (13:20 UTC) cut fraud-scorer's memory limit from 3Gi
to 2Gi but left `JAVA_TOOL_OPTIONS=-Xmx2560m`. Under the afternoon load the heap grows past the
cgroup limit and the kernel kills the JVM (OOMKilled, exit 137) with no Java OutOfMemoryError in
its log; the pods restart in turn, CrashLoopBackOff, and checkout-api falls back to manual
review and times out. Decoys: a Kafka consumer rebalance in fraud-scorer, the cluster
autoscaler's scale-up note, and a checkout-api Redis reconnect."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Record, SpringBoot, space_millis
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2025, 11, 12, 12, 50, tzinfo=UTC)
NOW = datetime(2025, 11, 12, 14, 35, tzinfo=UTC)
RELEASE = 30.0  # 13:20
FIRST_KILL = 61.0  # 13:51
NODES = [
    "gke-prod-risk-pool-2-8c1f4e7a-5xkq",
    "gke-prod-risk-pool-2-8c1f4e7a-h2vd",
    "gke-prod-risk-pool-2-8c1f4e7a-qm7t",
]


@dataclass
class KubectlSpring:
    """`kubectl logs --timestamps` of a Spring Boot container (the JVM's own notice unformatted)."""

    def render(self, record: Record) -> list[str]:
        t = record.time
        outer = t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}{t.microsecond % 997:03d}Z"
        if record.level == "RAW":
            return [f"{outer} {record.message}"]
        level = (
            record.level.replace("WARN", "WARN ").replace("INFO", "INFO ").replace("DEBUG", "DEBUG")
        )
        thread = "           main" if "Application" in (record.logger or "") else "ntainer#0-0-C-1"
        return [
            f"{outer} {space_millis(t)} {level:5} 1 --- [{thread}] {record.logger:<40} : {record.message}"
        ]


def scorer_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f"scored txn={rng.getrandbits(48):012x} score={rng.random():.3f} model=gbm-v41 features=212 took={rng.randrange(4, 40)}ms",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"feature cache size={rng.randrange(400_000, 1_900_000)} entries hitRatio=0.{rng.randrange(80, 97)}",
            (),
        )
    return (
        "DEBUG",
        f"committed offsets for payments.authorised-0{rng.randrange(0, 6)} lag={rng.randrange(0, 50)}",
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    if rng.random() < 0.8:
        return (
            "INFO",
            f"POST /v1/checkout 200 {rng.randrange(60, 400)}ms order=ORD-{rng.randrange(10**7)}",
            (),
        )
    return (
        "INFO",
        f"fraud score ok order=ORD-{rng.randrange(10**7)} score=0.{rng.randrange(1, 40):02d}",
        (),
    )


def checkout_fail(rng: random.Random) -> Line:
    return (
        "WARN",
        f'fraud-scorer call failed (I/O error on POST request for "http://fraud-scorer.risk.svc:8080/v1/score": Connection refused), order ORD-{rng.randrange(10**7)} routed to manual review',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(59811)
    total = (NOW - START).total_seconds() / 60
    scorer = LogFile("kubectl-logs-fraud-scorer-previous.txt", KubectlSpring())
    boot = START.replace(hour=14, minute=21)
    scorer.add(
        [
            at(
                boot,
                0,
                "RAW",
                "Picked up JAVA_TOOL_OPTIONS: -Xmx2560m -XX:+UseG1GC -XX:MaxGCPauseMillis=200",
            ),
            at(
                boot,
                0.02,
                "INFO",
                "Starting FraudScorerApplication v2.11.0 using Java 17.0.12",
                logger="c.r.fraud.FraudScorerApplication",
            ),
            at(
                boot,
                0.35,
                "INFO",
                "Started FraudScorerApplication in 19.4 seconds",
                logger="c.r.fraud.FraudScorerApplication",
            ),
            at(
                boot,
                1.1,
                "INFO",
                "[Consumer clientId=fraud-scorer-0, groupId=fraud-scorer] Revoke previously assigned partitions payments.authorised-3; rebalancing",
                logger="o.a.k.c.c.internals.ConsumerCoordinator",
            ),
            at(
                boot,
                10.9,
                "WARN",
                "GC pause (G1 Evacuation Pause) 412ms, heap after GC 1987M of 2560M",
                logger="c.r.fraud.scoring.ScoringListener",
            ),
        ]
    )
    scorer.add(
        traffic(
            rng,
            scorer_line,
            boot.replace(minute=22),
            10.6,
            700,
            logger="c.r.fraud.scoring.ScoringListener",
        )
    )
    svc = LogFile(
        "logs/fraud-scorer.log",
        SpringBoot(
            ("c.r.fraud.scoring.ScoringListener", "c.r.fraud.features.FeatureCache"), rng=rng
        ),
    )
    svc.add(traffic(rng, scorer_line, START, total, 3000))
    svc.add(
        [
            at(
                START,
                22.4,
                "WARN",
                "[Consumer clientId=fraud-scorer-1, groupId=fraud-scorer] Offset commit failed on partition payments.authorised-2: The coordinator is loading and hence can't process requests",
                logger="o.a.k.c.c.internals.ConsumerCoordinator",
            )
        ]
    )
    checkout = LogFile(
        "logs/checkout-api.log",
        SpringBoot(
            ("com.shop.checkout.RiskClient", "com.shop.checkout.CheckoutController"), rng=rng
        ),
    )
    checkout.add(traffic(rng, checkout_line, START, total, 3400))
    checkout.add(
        [
            at(
                START,
                9.3,
                "WARN",
                "Redis connection to checkout-cache:6379 lost (Connection reset by peer); reconnected in 38ms",
                logger="io.lettuce.core.protocol.ConnectionWatchdog",
            )
        ]
    )
    for k in (FIRST_KILL, 74.0, 83.0, 91.0, 97.0):
        checkout.add(loud(rng, START, k, 1.4, 45, checkout_fail))

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["txn-enricher", "rules-engine", "fraud-scorer"], 24, NODES, namespace="risk"
    )
    signal = [
        (
            ago(RELEASE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/fraud-scorer",
                "Scaled up replica set fraud-scorer-84c6d9f7b5 to 3",
            ),
        ),
        (
            ago(FIRST_KILL),
            (
                "Warning",
                "BackOff",
                "pod/fraud-scorer-84c6d9f7b5-tw9rz",
                "Back-off restarting failed container fraud-scorer in pod fraud-scorer-84c6d9f7b5-tw9rz_risk(4b1c0e7d-9a2f-4e63-8d15-c27f0a9b3e61)",
            ),
        ),
        (
            ago(83.2),
            (
                "Warning",
                "BackOff",
                "pod/fraud-scorer-84c6d9f7b5-6jx2c",
                "Back-off restarting failed container fraud-scorer in pod fraud-scorer-84c6d9f7b5-6jx2c_risk(e07a3d52-1b8c-4f99-a6e4-5d2c81b0f734)",
            ),
        ),
        (
            ago(97.1),
            (
                "Warning",
                "BackOff",
                "pod/fraud-scorer-84c6d9f7b5-tw9rz",
                "Back-off restarting failed container fraud-scorer in pod fraud-scorer-84c6d9f7b5-tw9rz_risk(4b1c0e7d-9a2f-4e63-8d15-c27f0a9b3e61)",
            ),
        ),
        (
            ago(68),
            (
                "Normal",
                "TriggeredScaleUp",
                "pod/txn-enricher-6b9f8d7c4-m2kz8",
                "pod triggered scale-up: [{https://www.googleapis.com/compute/v1/projects/shop-prod/zones/europe-west1-b/instanceGroups/gke-prod-risk-pool-2-8c1f4e7a-grp 3->4 (max: 6)}]",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    pod = Pod(
        name="fraud-scorer-84c6d9f7b5-tw9rz",
        namespace="risk",
        node=NODES[1],
        app="fraud-scorer",
        ip="10.72.1.38",
        start_time="Wed, 12 Nov 2025 13:20:41 +0000",
        status="Running",
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                name="fraud-scorer",
                image="europe-west1-docker.pkg.dev/shop-prod/risk/fraud-scorer:2.11.0",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Wed, 12 Nov 2025 14:21:02 +0000",
                    "  Finished:     Wed, 12 Nov 2025 14:33:40 +0000",
                ],
                ready=False,
                restarts=4,
                limits={"cpu": "2", "memory": "2Gi"},
                requests={"cpu": "1", "memory": "1536Mi"},
                probes=[
                    "Liveness:   http-get http://:8080/actuator/health/liveness delay=60s timeout=2s period=10s #success=1 #failure=3",
                    "Readiness:  http-get http://:8080/actuator/health/readiness delay=30s timeout=2s period=5s #success=1 #failure=3",
                ],
                environment=[
                    "JAVA_TOOL_OPTIONS:  -Xmx2560m -XX:+UseG1GC -XX:MaxGCPauseMillis=200",
                    "KAFKA_BOOTSTRAP:    kafka-0.kafka.data.svc:9092,kafka-1.kafka.data.svc:9092",
                    "SPRING_PROFILES_ACTIVE:  prod",
                ],
            )
        ],
        events=[
            (
                "Warning",
                "BackOff",
                "3m (x14 over 44m)",
                "kubelet",
                "Back-off restarting failed container fraud-scorer in pod fraud-scorer-84c6d9f7b5-tw9rz_risk(4b1c0e7d-9a2f-4e63-8d15-c27f0a9b3e61)",
            )
        ],
    )
    pods = (
        "\n".join(
            table(
                ("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"),
                [
                    (
                        "fraud-scorer-84c6d9f7b5-6jx2c",
                        "1/1",
                        "Running",
                        "3 (14m ago)",
                        "75m",
                        "10.72.0.91",
                        NODES[0],
                    ),
                    (
                        "fraud-scorer-84c6d9f7b5-tw9rz",
                        "0/1",
                        "CrashLoopBackOff",
                        "4 (2m ago)",
                        "75m",
                        "10.72.1.38",
                        NODES[1],
                    ),
                    (
                        "fraud-scorer-84c6d9f7b5-zr4pn",
                        "1/1",
                        "Running",
                        "2 (31m ago)",
                        "75m",
                        "10.72.2.17",
                        NODES[2],
                    ),
                    (
                        "rules-engine-5c8f7b6d9-2kqxw",
                        "1/1",
                        "Running",
                        "0",
                        "6d",
                        "10.72.2.40",
                        NODES[2],
                    ),
                    (
                        "txn-enricher-6b9f8d7c4-m2kz8",
                        "1/1",
                        "Running",
                        "0",
                        "41m",
                        "10.72.3.8",
                        "gke-prod-risk-pool-2-8c1f4e7a-w81c",
                    ),
                ],
            )
        )
        + "\n"
    )
    return Bundle(
        question="checkout-api has been sending a lot of orders to manual review since about 13:50 UTC because the fraud scoring calls fail. Why?",
        category="memory",
        component="fraud-scorer",
        statement="The 13:20 UTC chart release cut fraud-scorer's memory limit to 2Gi but kept JAVA_TOOL_OPTIONS -Xmx2560m, so under load the JVM heap outgrows the container limit and the kernel kills it (OOMKilled, exit 137); the containers restart and crash-loop, and checkout-api's scoring calls are refused.",
        files={
            "kubectl-get-events.txt": events,
            "kubectl-describe-pod-fraud-scorer.txt": describe_pod(pod, rng),
            "kubectl-get-pods-wide.txt": pods,
            "kubectl-logs-fraud-scorer-previous.txt": scorer.render(),
            "logs/fraud-scorer.log": svc.render(),
            "logs/checkout-api.log": checkout.render(),
        },
        proofs=[
            Proof(
                "kubectl-describe-pod-fraud-scorer.txt",
                "Reason:       OOMKilled",
                "Exit Code:    137",
            ),
            Proof("kubectl-describe-pod-fraud-scorer.txt", "Limits:", "memory: 2Gi"),
            Proof("kubectl-describe-pod-fraud-scorer.txt", "JAVA_TOOL_OPTIONS:  -Xmx2560m"),
        ],
        decoys=[
            "The coordinator is loading",
            "pod triggered scale-up",
            "Redis connection to checkout-cache:6379 lost",
        ],
    )
