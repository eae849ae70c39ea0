# ruff: noqa: E501
# Log lines and kubectl rows are data, kept whole on one line.
"""Kubernetes: someone created a Service named `kafka` in the `ledger` namespace (a TCP proxy
for a broker migration test). Kubernetes' service links inject `KAFKA_PORT=tcp://10.96.41.7:9092`
into every pod started afterwards in that namespace; ledger-consumer reads `KAFKA_PORT` as a
plain port number (it relied on its default 9092), so pods recreated by the 14:05 node drain
crash at start-up with `strconv.Atoi: parsing "tcp://10.96.41.7:9092"`. Old pods keep working
until they are recreated too. Decoys: the node drain (the trigger), a consumer-group rebalance
warning in an old pod, and a slow query warning from ledger-db."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import KubectlTimestamps, Zap
from scenes import at
from traffic import traffic, worker

START = datetime(2026, 10, 14, 11, 40, tzinfo=UTC)
NOW = datetime(2026, 10, 14, 13, 55, tzinfo=UTC)
SVC_CREATED = 12.0  # 11:52 UTC
DRAIN = 85.0  # 13:05 UTC
NODES = [
    "aks-app-31742095-vmss000004",
    "aks-app-31742095-vmss000007",
    "aks-app-31742095-vmss00000a",
]
CALLERS = ("consumer/loop.go:88", "consumer/commit.go:41", "store/ledger.go:133")
BAD = "ledger-consumer-6b9f7d5c84-tq2wz"


def bundle() -> Bundle:
    rng = random.Random(4370)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    old = LogFile("logs/ledger-consumer-6b9f7d5c84-h8rkd.log", Zap(CALLERS, rng=rng))
    old.add(
        traffic(
            rng,
            worker("ledger-consumer", ["payments.settled", "payments.refunded"]),
            START,
            total,
            2600,
        )
    )
    old.add(
        [
            at(
                START,
                31.4,
                "WARN",
                "consumer group ledger-consumer rebalancing: member left (generation 412 -> 413)",
                logger="consumer/group.go:207",
            ),
            at(
                START,
                31.6,
                "INFO",
                "partitions assigned: payments.settled[0-5] payments.refunded[0-2]",
                logger="consumer/group.go:231",
            ),
            at(
                START,
                DRAIN + 0.25,
                "INFO",
                "group ledger-consumer generation 414: member ledger-consumer-6b9f7d5c84-m4x7p gone, taking over its partitions",
                logger="consumer/group.go:207",
            ),
            at(
                START,
                DRAIN + 0.3,
                "INFO",
                "partitions assigned: payments.settled[0-11] payments.refunded[0-5]",
                logger="consumer/group.go:231",
            ),
        ]
    )
    for minute in range(int(DRAIN) + 6, int(total), 5):
        old.add(
            [
                at(
                    START,
                    minute + 0.7,
                    "WARN",
                    f"consumer lag payments.settled total={int((minute - DRAIN) ** 1.6 * 310)} (alert at 20000)",
                    logger="consumer/loop.go:140",
                )
            ]
        )

    crashed = LogFile(f"kubectl-logs-{BAD}-previous.txt", KubectlTimestamps())
    crash_at = total - 0.9
    ts = (START.timestamp() + crash_at * 60) + 0.4
    crashed.add(
        [
            at(
                START,
                crash_at,
                "INFO",
                f'{{"level":"info","ts":{ts:.3f},"caller":"cmd/main.go:52","msg":"ledger-consumer 3.8.2 starting","go":"go1.23.4"}}',
            ),
            at(
                START,
                crash_at + 0.01,
                "INFO",
                f'{{"level":"info","ts":{ts + 0.65:.3f},"caller":"config/env.go:30","msg":"config: KAFKA_HOST unset, using default kafka-brokers.messaging.svc.cluster.local"}}',
            ),
            at(
                START,
                crash_at + 0.02,
                "FATAL",
                f'{{"level":"fatal","ts":{ts + 1.36:.3f},"caller":"config/env.go:47","msg":"invalid KAFKA_PORT \\"tcp://10.96.41.7:9092\\": strconv.Atoi: parsing \\"tcp://10.96.41.7:9092\\": invalid syntax"}}',
            ),
        ]
    )

    db = LogFile(
        "logs/statement-api.log", Zap(("http/handler.go:77", "ledger/balance.go:58"), rng=rng)
    )
    db.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"GET /v2/accounts/{r.randrange(10**6)}/statement 200 {r.randrange(9, 80)}ms",
                (),
            ),
            START,
            total,
            1800,
        )
    )
    db.add(
        [
            at(
                START,
                47.2,
                "WARN",
                "ledger-db query took 1.84s (threshold 1s): SELECT sum(amount) FROM entries WHERE account_id=$1",
                logger="ledger/balance.go:58",
            ),
        ]
    )
    for minute in range(int(DRAIN) + 12, int(total), 4):
        db.add(
            [
                at(
                    START,
                    minute + 0.3,
                    "WARN",
                    f"balance for account {rng.randrange(10**6)} is stale: last ledger entry {minute - DRAIN + 2:.0f}m behind payments feed",
                    logger="ledger/balance.go:91",
                )
            ]
        )

    routine = routine_events(
        rng, ["statement-api", "ledger-writer", "fx-cache"], 20, NODES, namespace="ledger"
    )
    signal = [
        (
            ago(DRAIN),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{NODES[1]}",
                f"Node {NODES[1]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(DRAIN + 0.2),
            (
                "Normal",
                "Killing",
                "pod/ledger-consumer-6b9f7d5c84-m4x7p",
                "Stopping container ledger-consumer",
            ),
        ),
        (
            ago(DRAIN + 0.3),
            (
                "Normal",
                "Scheduled",
                f"pod/{BAD}",
                f"Successfully assigned ledger/{BAD} to {NODES[2]}",
            ),
        ),
        (
            ago(DRAIN + 0.4),
            ("Normal", "Started", f"pod/{BAD}", "Started container ledger-consumer"),
        ),
        (
            ago(DRAIN + 1.5),
            (
                "Warning",
                "BackOff",
                f"pod/{BAD}",
                f"Back-off restarting failed container ledger-consumer in pod {BAD}_ledger(5c1d8e2a-93f4-4b07-a6d1-7e0f2b9c4a18)",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    pod = Pod(
        name=BAD,
        namespace="ledger",
        node=NODES[2],
        app="ledger-consumer",
        status="Running",
        ip="10.244.7.31",
        start_time="Wed, 14 Oct 2026 13:05:19 +0000",
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                name="ledger-consumer",
                image="acrledgerprod.azurecr.io/ledger/ledger-consumer:3.8.2",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    "  Started:      Wed, 14 Oct 2026 13:54:06 +0000",
                    "  Finished:     Wed, 14 Oct 2026 13:54:07 +0000",
                ],
                ready=False,
                restarts=14,
                limits={"memory": "256Mi"},
                requests={"cpu": "100m", "memory": "128Mi"},
                environment=[
                    "KAFKA_GROUP:  ledger-consumer",
                    "LEDGER_DB_DSN:  <set to the key 'dsn' in secret 'ledger-db'>  Optional: false",
                ],
            )
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "49m",
                "default-scheduler",
                f"Successfully assigned ledger/{BAD} to {NODES[2]}",
            ),
            (
                "Normal",
                "Pulled",
                "47m (x5 over 49m)",
                "kubelet",
                'Container image "acrledgerprod.azurecr.io/ledger/ledger-consumer:3.8.2" already present on machine',
            ),
            (
                "Warning",
                "BackOff",
                "4m (x212 over 48m)",
                "kubelet",
                "Back-off restarting failed container ledger-consumer in pod "
                + BAD
                + "_ledger(5c1d8e2a-93f4-4b07-a6d1-7e0f2b9c4a18)",
            ),
        ],
    )
    services = "\n".join(
        [
            "$ kubectl -n ledger get svc -o wide",
            "NAME              TYPE        CLUSTER-IP      EXTERNAL-IP   PORT(S)    AGE    SELECTOR",
            "fx-cache          ClusterIP   10.96.12.201    <none>        6379/TCP   212d   app=fx-cache",
            "kafka             ClusterIP   10.96.41.7      <none>        9092/TCP   123m   app=kafka-migrate-proxy",
            "ledger-writer     ClusterIP   10.96.88.15     <none>        8080/TCP   212d   app=ledger-writer",
            "statement-api     ClusterIP   10.96.3.144     <none>        8080/TCP   212d   app=statement-api",
            "",
            "$ kubectl -n ledger get pods -l app=ledger-consumer -o wide",
            "NAME                               READY   STATUS             RESTARTS       AGE    IP             NODE                          NOMINATED NODE   READINESS GATES",
            f"ledger-consumer-6b9f7d5c84-h8rkd   1/1     Running            0              6d2h   10.244.4.18    {NODES[0]}   <none>           <none>",
            f"{BAD}   0/1     CrashLoopBackOff   14 (64s ago)   49m    10.244.7.31    {NODES[2]}   <none>           <none>",
            "",
            "$ kubectl -n ledger exec ledger-consumer-6b9f7d5c84-h8rkd -- env | grep -i kafka",
            "KAFKA_GROUP=ledger-consumer",
            "",
        ]
    )
    return Bundle(
        question="Account statements have shown stale balances since about 15:20 CEST and one ledger-consumer pod keeps restarting since this afternoon's node drain. What is the root cause?",
        category="configuration",
        component="ledger-consumer",
        statement="A Service named `kafka` created in the ledger namespace at 11:52 UTC makes Kubernetes inject `KAFKA_PORT=tcp://10.96.41.7:9092` into new pods; ledger-consumer parses KAFKA_PORT as a port number, so the pod recreated by the 13:05 drain crash-loops and the one old pod left cannot keep up with the afternoon's payments.",
        files={
            "kubectl-get.txt": services,
            "kubectl-get-events.txt": events,
            f"kubectl-describe-pod-{BAD}.txt": describe_pod(pod, rng),
            crashed.name: crashed.render(),
            old.name: old.render(),
            db.name: db.render(),
        },
        proofs=[
            Proof("kubectl-get.txt", "kafka             ClusterIP   10.96.41.7"),
            Proof(crashed.name, "invalid KAFKA_PORT"),
        ],
        decoys=[
            f"Node {NODES[1]} status is now: NodeNotSchedulable",
            "consumer group ledger-consumer rebalancing: member left",
            "ledger-db query took 1.84s",
        ],
    )
