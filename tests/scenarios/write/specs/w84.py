# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""ledger moves to the new prod-eu-2 cluster, but its SealedSecret ledger-db-credentials is
left out of the overlay, so the Secret never exists there: ledger's pods stay in
ContainerCreating with FailedMount, while payments-api and the settlement job log loud errors
about the ledger they cannot reach."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Zap
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2025, 9, 2, 9, 0, tzinfo=UTC)
CUTOVER_MINUTE = 12.0
NODES = [
    "ip-10-64-21-17.eu-central-1.compute.internal",
    "ip-10-64-22-140.eu-central-1.compute.internal",
    "ip-10-64-23-9.eu-central-1.compute.internal",
]
PODS = ["ledger-7f5b9c6d48-8gq2n", "ledger-7f5b9c6d48-m4x7t"]
MOUNT = 'MountVolume.SetUp failed for volume "db-credentials" : secret "ledger-db-credentials" not found'


def secrets(rng: random.Random) -> str:
    rows = [
        ("payments-api-stripe", "Opaque", "2", "41m"),
        ("payments-api-db-credentials", "Opaque", "3", "41m"),
        ("ledger-signing-key", "Opaque", "1", "41m"),
        ("settlement-sftp", "Opaque", "2", "41m"),
        ("regcred", "kubernetes.io/dockerconfigjson", "1", "44m"),
        ("sh.helm.release.v1.payments-api.v1", "helm.sh/release.v1", "1", "41m"),
    ]
    return (
        "$ kubectl -n payments get secrets\n"
        + "\n".join(table(("NAME", "TYPE", "DATA", "AGE"), rows))
        + "\n"
    )


def pods(rng: random.Random) -> str:
    rows = [(name, "0/1", "ContainerCreating", "0", "39m") for name in PODS]
    for app in ["payments-api", "payments-api", "payments-api", "fx-rates", "webhook-relay"]:
        rows.append(
            (
                f"{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}",
                "1/1",
                "Running",
                "0",
                f"{rng.randrange(38, 42)}m",
            )
        )
    rows.append(("settlement-29280092-x8d2k", "0/1", "Error", "0", "18m"))
    rows.sort()
    return (
        "$ kubectl -n payments get pods\n"
        + "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE"), rows))
        + "\n"
    )


def payments_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"request served method=GET path=/v1/payments/pay_{rng.getrandbits(48):012x} status=200 latency={rng.randrange(2, 40)}ms",
            (),
        )
    if roll < 0.65:
        return (
            "INFO",
            f"payment authorised id=pay_{rng.getrandbits(48):012x} amount={rng.randrange(100, 90000)} currency={rng.choice(['EUR', 'GBP', 'PLN'])}",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"fx rate refreshed pair=EUR{rng.choice(['GBP', 'PLN', 'USD'])} age={rng.randrange(1, 60)}s",
            (),
        )
    if roll < 0.95:
        return "DEBUG", f"stripe webhook evt_{rng.getrandbits(64):016x} acknowledged", ()
    return (
        "WARN",
        f"idempotency key replayed key=idk_{rng.getrandbits(40):010x}, returning stored response",
        (),
    )


def container_creating(text: str) -> str:
    """A container never created has no id yet, and the pod's own volumes are mounted too."""
    lines = []
    for line in text.splitlines():
        if line.startswith("    Container ID:") or line.startswith("    Image ID:"):
            line = line.split(":")[0] + ":"
        lines.append(line)
        if line == "    Mounts:":
            lines += [
                "      /etc/ledger/db from db-credentials (ro)",
                "      /etc/ledger/signing from signing-key (ro)",
            ]
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(184)
    container = Container(
        name="ledger",
        image="123456789012.dkr.ecr.eu-central-1.amazonaws.com/payments/ledger:4.9.3",
        state=["Waiting", "  Reason:       ContainerCreating"],
        ready=False,
        limits={"cpu": "1", "memory": "1Gi"},
        requests={"cpu": "300m", "memory": "768Mi"},
    )
    pod = Pod(
        name=PODS[0],
        namespace="payments",
        node=NODES[1],
        app="ledger",
        containers=[container],
        status="Pending",
        conditions={
            "PodReadyToStartContainers": "False",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        start_time="Tue, 02 Sep 2025 09:11:47 +0000",
        ip="10.64.22.201",
        service_account="ledger",
        volumes=[
            "  db-credentials:",
            "    Type:        Secret (a volume populated by a Secret)",
            "    SecretName:  ledger-db-credentials",
            "    Optional:    false",
            "  signing-key:",
            "    Type:        Secret (a volume populated by a Secret)",
            "    SecretName:  ledger-signing-key",
            "    Optional:    false",
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "39m",
                "default-scheduler",
                f"Successfully assigned payments/{PODS[0]} to {NODES[1]}",
            ),
            ("Warning", "FailedMount", "2m44s (x27 over 39m)", "kubelet", MOUNT),
        ],
    )
    routine = routine_events(
        rng, ["payments-api", "fx-rates", "webhook-relay"], 240, NODES, namespace="payments"
    )
    signal = [
        (
            2350,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger",
                "Scaled up replica set ledger-7f5b9c6d48 to 2",
            ),
        ),
        (
            2349,
            (
                "Normal",
                "Scheduled",
                f"pod/{PODS[0]}",
                f"Successfully assigned payments/{PODS[0]} to {NODES[1]}",
            ),
        ),
        (
            2349,
            (
                "Normal",
                "Scheduled",
                f"pod/{PODS[1]}",
                f"Successfully assigned payments/{PODS[1]} to {NODES[2]}",
            ),
        ),
        (2340, ("Warning", "FailedMount", f"pod/{PODS[0]}", MOUNT)),
        (2338, ("Warning", "FailedMount", f"pod/{PODS[1]}", MOUNT)),
        (
            1080,
            (
                "Normal",
                "SuccessfulCreate",
                "job/settlement-29280092",
                "Created pod: settlement-29280092-x8d2k",
            ),
        ),
        (
            960,
            (
                "Warning",
                "BackoffLimitExceeded",
                "job/settlement-29280092",
                "Job has reached the specified backoff limit",
            ),
        ),
        (164, ("Warning", "FailedMount", f"pod/{PODS[1]}", MOUNT)),
    ]
    payments = LogFile(
        "payments-api.log",
        Zap(("api/handler.go:88", "api/payments.go:214", "fx/client.go:57"), rng=rng),
    )
    payments.add(traffic(rng, payments_line, START, 50, 4100))
    payments.add(
        loud(
            rng,
            START,
            CUTOVER_MINUTE + 0.4,
            37,
            610,
            fixed(
                "ERROR",
                lambda r: (
                    f'failed to post ledger entry payment=pay_{r.getrandbits(48):012x}: Post "http://ledger.payments.svc.cluster.local:8080/v1/entries": dial tcp 172.20.88.14:8080: connect: connection refused'
                ),
            ),
        )
    )
    payments.add(
        loud(
            rng,
            START,
            CUTOVER_MINUTE + 0.5,
            37,
            220,
            fixed(
                "WARN",
                lambda r: (
                    f"ledger outbox backlog {r.randrange(200, 9000)} entries, oldest {r.randrange(1, 37)}m; payments accepted but not booked"
                ),
            ),
        )
    )
    payments.add(
        loud(
            rng,
            START,
            CUTOVER_MINUTE + 3,
            34,
            48,
            fixed(
                "ERROR",
                lambda r: (
                    "readiness: dependency ledger unhealthy (0 endpoints) - reporting degraded"
                ),
            ),
        )
    )
    settlement = LogFile(
        "settlement-job.log",
        Zap(("cmd/settlement/main.go:64", "cmd/settlement/run.go:131"), rng=rng),
    )
    run = START + timedelta(minutes=32)
    settlement.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"loaded {r.randrange(100, 900)} card transactions for batch {r.randrange(1, 40)}",
                (),
            ),
            run,
            1.5,
            40,
        )
    )
    settlement.add(
        loud(
            rng,
            run,
            1.5,
            1.5,
            24,
            fixed(
                "ERROR",
                lambda r: (
                    f'ledger balance query failed: Get "http://ledger.payments.svc.cluster.local:8080/v1/accounts/acc_{r.getrandbits(32):08x}/balance": dial tcp 172.20.88.14:8080: connect: connection refused'
                ),
            ),
        )
    )
    settlement.add(
        loud(
            rng,
            run,
            3.05,
            0.01,
            1,
            fixed(
                "FATAL",
                lambda r: "settlement run 2025-09-02 aborted: 24 of 24 balance checks failed",
            ),
        )
    )
    return Bundle(
        question="We cut payments over to prod-eu-2 at 09:12 UTC. Payments are accepted but nothing is booked and the settlement job failed. Where's the problem?",
        category="configuration",
        component="ledger",
        statement="The Secret ledger-db-credentials does not exist in the payments namespace of the new cluster, so ledger's pods cannot mount their db-credentials volume (FailedMount) and stay in ContainerCreating, leaving payments-api and the settlement job with no ledger to call.",
        files={
            "get-pods.txt": pods(rng),
            "describe-pod.txt": container_creating(describe_pod(pod, rng)),
            "get-secrets.txt": secrets(rng),
            "events.txt": event_listing(routine, signal),
            "payments-api.log": payments.render(),
            "settlement-job.log": settlement.render(),
        },
        proofs=[
            Proof("describe-pod.txt", MOUNT),
            Proof("describe-pod.txt", "SecretName:  ledger-db-credentials"),
        ],
        decoys=[
            "connect: connection refused",
            "ledger outbox backlog",
            "BackoffLimitExceeded",
            "settlement run 2025-09-02 aborted",
        ],
    )
