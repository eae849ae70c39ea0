# ruff: noqa: E501
# kubectl output, metric rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: ledger-sync 3.0.0 (rolled out 15:12 UTC) is built on a distroless base with its
binary at `/ledger-sync`, but the Deployment still overrides `command: ["/app/ledger-sync"]`.
The new pod never starts (runc: `exec: "/app/ledger-sync": stat /app/ledger-sync: no such file
or directory`, StartError, exit 128, CrashLoopBackOff); with maxUnavailable 1 one of the two old
pods was already removed, so a single consumer handles all partitions, lag grows and
statements-api serves stale balances. Loud: statements-api's staleness warnings, the lag
series, the surviving pod's rebalance. Decoys: a Kafka under-replicated partition warning, a
statements-api readiness blip, and a slow query warning."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from metrics import csv_text, shift, steady
from records import Logfmt, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api, worker

START = datetime(2026, 1, 13, 14, 30, tzinfo=UTC)
NOW = datetime(2026, 1, 13, 16, 20, tzinfo=UTC)
ROLLOUT = 42.0  # 15:12
START_ERROR = 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/ledger-sync": stat /app/ledger-sync: no such file or directory: unknown'
NODES = [
    "gke-fin-prod-pool-b-91c2e7d4-4h2x",
    "gke-fin-prod-pool-b-91c2e7d4-dq8m",
    "gke-fin-prod-pool-b-91c2e7d4-t6nv",
]


def bundle() -> Bundle:
    rng = random.Random(1201)
    total = (NOW - START).total_seconds() / 60
    sync = LogFile("logs/ledger-sync-7c9d5b8f46-kp2wz.log", Logfmt("ledger-sync", rng=rng))
    sync.add(
        traffic(
            rng, worker("ledger-sync", ["ledger.postings", "ledger.reversals"]), START, total, 3600
        )
    )
    sync.add(
        [
            at(
                START,
                11.7,
                "WARN",
                "broker kafka-2.kafka-headless:9092 reports 3 under-replicated partitions for topic audit.events",
            ),
            at(
                START,
                ROLLOUT + 0.9,
                "INFO",
                "group ledger-sync: rebalance started (member ledger-sync-7c9d5b8f46-r8tq5 left the group)",
            ),
            at(
                START,
                ROLLOUT + 1.0,
                "INFO",
                "group ledger-sync: assigned partitions ledger.postings-0..23, ledger.reversals-0..5 (generation 418)",
            ),
        ]
    )
    sync.add(
        loud(
            rng,
            START,
            ROLLOUT + 4,
            total - ROLLOUT - 4.5,
            420,
            fixed(
                "WARN",
                lambda r: (
                    f"consumer lag high topic=ledger.postings partition={r.randrange(24)} lag={r.randrange(4000, 90000)} (threshold 2000)"
                ),
            ),
        )
    )
    statements = LogFile(
        "logs/statements-api.log",
        SpringBoot(
            (
                "c.b.statements.BalanceController",
                "c.b.statements.LedgerView",
                "o.h.engine.jdbc.spi.SqlExceptionHelper",
            ),
            rng=rng,
        ),
    )
    statements.add(
        traffic(
            rng,
            web_api("statements-api", ["balances", "statements", "transactions"]),
            START,
            total,
            3100,
        )
    )
    statements.add(
        loud(
            rng,
            START,
            ROLLOUT + 9,
            total - ROLLOUT - 9.5,
            760,
            fixed(
                "WARN",
                lambda r: (
                    f"serving stale balance for account {r.randrange(10**9, 10**10)}: ledger view {r.randrange(420, 3900)}s behind (max 300s)"
                ),
            ),
        )
    )
    statements.add(
        loud(
            rng,
            START,
            ROLLOUT + 20,
            total - ROLLOUT - 21,
            140,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /api/v1/balances/{r.randrange(10**9, 10**10)} 409 reconciliation pending, client told to retry"
                ),
            ),
        )
    )
    statements.add(
        [
            at(
                START,
                27.3,
                "WARN",
                "slow query 2841ms: SELECT ... FROM ledger_view lv JOIN accounts a ON ... WHERE a.branch_id = ? (plan: seq scan on ledger_view)",
                logger="c.b.statements.LedgerView",
            )
        ]
    )
    lag = {
        "ledger_sync_consumer_lag": shift(rng, 180, 61000, int(ROLLOUT) + 2, 0.08, ramp=60),
        "ledger_sync_ready_replicas": shift(rng, 2, 1, int(ROLLOUT), 0.0),
        "ledger_sync_records_per_s": shift(rng, 820, 460, int(ROLLOUT) + 1, 0.06),
        "statements_api_p99_ms": steady(rng, 140, 0.1),
        "kafka_under_replicated_partitions": shift(rng, 0, 3, 11, 0.0),
    }
    metrics = csv_text(START, 60, int(total), lag, decimals=0)
    new_pod = Pod(
        name="ledger-sync-5f6b9c7d84-q7hjm",
        namespace="finance",
        node=NODES[2],
        app="ledger-sync",
        status="Running",
        ip="10.52.3.119",
        start_time="Tue, 13 Jan 2026 15:12:09 +0000",
        containers=[
            Container(
                "ledger-sync",
                "europe-west1-docker.pkg.dev/bank-core/apps/ledger-sync:3.0.0",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       StartError",
                    f"  Message:      {START_ERROR}",
                    "  Exit Code:    128",
                    "  Started:      Thu, 01 Jan 1970 00:00:00 +0000",
                    "  Finished:     Tue, 13 Jan 2026 16:14:41 +0000",
                ],
                ready=False,
                restarts=17,
                limits={"memory": "1Gi"},
                requests={"cpu": "500m", "memory": "1Gi"},
                environment=[
                    "KAFKA_BOOTSTRAP:  kafka-bootstrap.kafka:9092",
                    "GROUP_ID:         ledger-sync",
                ],
                port="9102/TCP",
            )
        ],
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Normal",
                "Scheduled",
                "68m",
                "default-scheduler",
                f"Successfully assigned finance/ledger-sync-5f6b9c7d84-q7hjm to {NODES[2]}",
            ),
            (
                "Normal",
                "Pulled",
                "68m",
                "kubelet",
                'Successfully pulled image "europe-west1-docker.pkg.dev/bank-core/apps/ledger-sync:3.0.0" in 2.114s (2.114s including waiting). Image size: 9814233 bytes.',
            ),
            (
                "Normal",
                "Pulled",
                "3m14s (x17 over 66m)",
                "kubelet",
                'Container image "europe-west1-docker.pkg.dev/bank-core/apps/ledger-sync:3.0.0" already present on machine',
            ),
            (
                "Normal",
                "Created",
                "3m14s (x18 over 68m)",
                "kubelet",
                "Created container ledger-sync",
            ),
            ("Warning", "Failed", "3m14s (x18 over 68m)", "kubelet", f"Error: {START_ERROR}"),
            (
                "Warning",
                "BackOff",
                "3m (x290 over 68m)",
                "kubelet",
                "Back-off restarting failed container ledger-sync in pod ledger-sync-5f6b9c7d84-q7hjm_finance(c1a7e3f9-0b42-4d8e-96a5-2f8d3b1c7e60)",
            ),
        ],
    )
    describe = describe_pod(new_pod, rng)

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["statements-api", "fx-rates", "notifications"], 20, NODES, namespace="finance"
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger-sync",
                "Scaled up replica set ledger-sync-5f6b9c7d84 to 1",
            ),
        ),
        (
            ago(ROLLOUT + 0.01),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger-sync",
                "Scaled down replica set ledger-sync-7c9d5b8f46 to 1 from 2",
            ),
        ),
        (
            ago(ROLLOUT + 0.02),
            (
                "Normal",
                "Killing",
                "pod/ledger-sync-7c9d5b8f46-r8tq5",
                "Stopping container ledger-sync",
            ),
        ),
        (
            ago(ROLLOUT + 0.3),
            ("Warning", "Failed", "pod/ledger-sync-5f6b9c7d84-q7hjm", f"Error: {START_ERROR}"),
        ),
        (
            ago(ROLLOUT + 2),
            (
                "Warning",
                "BackOff",
                "pod/ledger-sync-5f6b9c7d84-q7hjm",
                "Back-off restarting failed container ledger-sync in pod ledger-sync-5f6b9c7d84-q7hjm_finance(c1a7e3f9-0b42-4d8e-96a5-2f8d3b1c7e60)",
            ),
        ),
        (
            ago(ROLLOUT + 31),
            (
                "Warning",
                "Unhealthy",
                "pod/statements-api-6d8c7b5f9-zw4kp",
                'Readiness probe failed: Get "http://10.52.1.44:8080/actuator/health/readiness": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
    ]
    events = event_listing(routine, signal)
    get = "\n".join(
        [
            "$ kubectl -n finance get pods -l app=ledger-sync",
            "NAME                           READY   STATUS             RESTARTS         AGE",
            "ledger-sync-5f6b9c7d84-q7hjm   0/1     CrashLoopBackOff   17 (3m14s ago)   68m",
            "ledger-sync-7c9d5b8f46-kp2wz   1/1     Running            0                13d",
            "",
            "$ kubectl -n finance rollout status deploy/ledger-sync",
            'Waiting for deployment "ledger-sync" rollout to finish: 1 old replicas are pending termination...',
            "",
            '$ kubectl -n finance get deploy ledger-sync -o jsonpath=\'{.spec.strategy}{"\\n"}{.spec.template.spec.containers[0].command}{"\\n"}\'',
            '{"rollingUpdate":{"maxSurge":1,"maxUnavailable":1},"type":"RollingUpdate"}',
            '["/app/ledger-sync"]',
            "",
            "$ crane config europe-west1-docker.pkg.dev/bank-core/apps/ledger-sync:3.0.0 | jq -c .config",
            '{"User":"65532","Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"],"Entrypoint":["/ledger-sync"],"WorkingDir":"/","Labels":{"org.opencontainers.image.version":"3.0.0"}}',
            "",
        ]
    )
    return Bundle(
        question="Balances in the statements app are stale since about 15:15 UTC and ledger lag keeps climbing. What is the root cause?",
        category="deployment",
        component="ledger-sync",
        statement='The ledger-sync 3.0.0 image rolled out at 15:12 UTC has its binary at /ledger-sync, but the Deployment still sets command ["/app/ledger-sync"]; the new pod fails with StartError (stat /app/ledger-sync: no such file or directory) and crash-loops, the rollout removed one of the two old consumers, and lag builds up so statements-api serves stale balances.',
        files={
            "kubectl-describe-pod.txt": describe,
            "kubectl-get.txt": get,
            "kubectl-get-events.txt": events,
            "metrics.csv": metrics,
            "logs/ledger-sync-7c9d5b8f46-kp2wz.log": sync.render(),
            "logs/statements-api.log": statements.render(),
        },
        proofs=[
            Proof("kubectl-describe-pod.txt", "  Message:      failed to create containerd task"),
            Proof("kubectl-get.txt", '["/app/ledger-sync"]'),
        ],
        decoys=[
            "reports 3 under-replicated partitions",
            'Readiness probe failed: Get "http://10.52.1.44:8080/actuator/health/readiness"',
            "slow query 2841ms",
        ],
    )
