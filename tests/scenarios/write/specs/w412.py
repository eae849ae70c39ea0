# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: chart 2.3 of dispatch-engine (an Akka Cluster, rolled out 06:12 JST) took the
Artery canonical hostname from the Downward API's `status.hostIP` instead of `status.podIP`.
Each new pod advertises its node's address, which nothing listens on for port 25520; the
members cannot associate, mark each other UNREACHABLE and the cluster never forms across the
new pods, so the ride shards have no home and rider-api's asks time out (504s). Decoys: a long
GC pause, a Kafka consumer rebalance in rider-api and a readiness failure on driver-locator."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Record, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api

JST = timezone(timedelta(hours=9))
START = datetime(2026, 6, 18, 20, 30, tzinfo=UTC)  # 05:30 JST
NOW = datetime(2026, 6, 18, 23, 5, tzinfo=UTC)
ROLLOUT = 42.0  # 21:12 UTC = 06:12 JST
NODES = [
    "ip-10-0-2-41.ap-northeast-1.compute.internal",
    "ip-10-0-3-118.ap-northeast-1.compute.internal",
    "ip-10-0-1-207.ap-northeast-1.compute.internal",
]


@dataclass
class AkkaLog:
    """Akka's default stdout logger: `[LEVEL] [MM/dd/yyyy HH:mm:ss.SSS] [thread] [source] message`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(JST)
        stamp = local.strftime("%m/%d/%Y %H:%M:%S.") + f"{local.microsecond // 1000:03d}"
        thread = f"dispatch-engine-akka.actor.default-dispatcher-{self.rng.randrange(3, 24)}"
        source = record.logger or self.rng.choice(
            [
                "akka://dispatch-engine/system/sharding/Ride",
                "akka://dispatch-engine/user/matcher",
                "akka://dispatch-engine/user/pricing-feed",
            ]
        )
        level = {"WARN": "WARN", "ERROR": "ERROR", "INFO": "INFO", "DEBUG": "DEBUG"}[record.level]
        return [f"[{level}] [{stamp}] [{thread}] [{source}] {record.message}", *record.trailer]


def engine_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"ride r-{rng.getrandbits(36):09x} matched to driver d-{rng.randrange(10**6):06d} eta={rng.randrange(2, 14)}m",
            (),
        )
    if roll < 0.65:
        return (
            "DEBUG",
            f"surge zone {rng.choice(['shibuya', 'shinjuku', 'minato', 'meguro'])}-{rng.randrange(40)} factor={1 + rng.randrange(0, 9) / 10:.1f}",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"ride r-{rng.getrandbits(36):09x} state {rng.choice(['REQUESTED->MATCHING', 'MATCHING->ASSIGNED', 'ASSIGNED->PICKED_UP', 'PICKED_UP->DONE'])}",
            (),
        )
    if roll < 0.97:
        return "DEBUG", f"passivating idle entity r-{rng.getrandbits(36):09x} after 120000 ms", ()
    return (
        "WARN",
        f"driver d-{rng.randrange(10**6):06d} location update older than 30s, ignoring",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(4126)
    total = (NOW - START).total_seconds() / 60

    eng = LogFile("logs/dispatch-engine.log", AkkaLog(rng=rng))
    eng.add(traffic(rng, engine_line, START, ROLLOUT, 1100))
    eng.add(
        [
            at(
                START,
                17.0,
                "WARN",
                "Scheduled sending of heartbeat was delayed. Previous heartbeat was sent [2870] ms ago, expected interval is [1000] ms. This may cause failure detection to mark members as unreachable. The reason can be thread starvation, CPU overload, or GC.",
                logger="akka.cluster.Cluster",
            ),
            at(
                START,
                ROLLOUT + 0.5,
                "INFO",
                "Remoting started with transport [Artery tcp]; listening on address [akka://dispatch-engine@10.0.2.41:25520] with UID [-4471902385126644231]",
                logger="akka.remote.artery.tcp.ArteryTcpTransport",
            ),
            at(
                START,
                ROLLOUT + 0.6,
                "INFO",
                "Bootstrap using `akka.discovery` method: kubernetes-api; contact points: [10.1.14.22, 10.1.27.9, 10.1.6.131]",
                logger="akka.management.cluster.bootstrap.ClusterBootstrap",
            ),
        ]
    )
    eng.add(
        loud(
            rng,
            START,
            ROLLOUT + 1,
            total - ROLLOUT - 1,
            520,
            fixed(
                "WARN",
                lambda r: r.choice(
                    [
                        f"Association with remote system [akka://dispatch-engine@{r.choice(['10.0.3.118', '10.0.1.207'])}:25520] has failed; address is now gated for [5000] ms. Reason: [Connection refused: /{r.choice(['10.0.3.118', '10.0.1.207'])}:25520]",
                        "Cluster Node [akka://dispatch-engine@10.0.2.41:25520] - Marking node as UNREACHABLE [Member(akka://dispatch-engine@10.0.3.118:25520, Up)].",
                        f"Retrying a message identification for shard [{r.randrange(100)}] of type [Ride]: ShardRegion is not ready, no coordinator available (buffered {r.randrange(100, 9000)})",
                    ]
                ),
            ),
        )
    )
    eng.add(
        traffic(rng, engine_line, START + timedelta(minutes=ROLLOUT + 1), total - ROLLOUT - 1, 500)
    )

    api = LogFile(
        "logs/rider-api.log",
        SpringBoot(
            loggers=(
                "j.r.api.RideController",
                "j.r.kafka.DriverEvents",
                "j.r.client.DispatchClient",
            ),
            rng=rng,
            zone=JST,
        ),
    )
    api.add(traffic(rng, web_api("rider-api", ["rides", "quotes", "riders"]), START, total, 3200))
    api.add(
        [
            at(
                START,
                24.0,
                "INFO",
                "[Consumer clientId=rider-api-2, groupId=rider-api] Request joining group due to: group is already rebalancing",
                logger="o.a.k.c.c.internals.ConsumerCoordinator",
            )
        ]
    )
    api.add(
        loud(
            rng,
            START,
            ROLLOUT + 2,
            total - ROLLOUT - 3,
            700,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /api/v1/rides -> 504: Ask timed out on [Actor[akka://dispatch-engine/system/sharding/Ride#{r.randrange(10**9)}]] after [5000 ms]. Message of type [RequestRide] was sent by [Actor[akka://dispatch-engine/temp/$a{r.randrange(9999)}]]"
                ),
            ),
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["rider-api", "driver-locator", "dispatch-engine"], 22, NODES, namespace="mobility"
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/dispatch-engine",
                "Scaled up replica set dispatch-engine-6f9b7c5d84 to 3",
            ),
        ),
        (
            ago(ROLLOUT - 0.1),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/dispatch-engine",
                "Scaled down replica set dispatch-engine-58d6b4c7f9 to 0 from 3",
            ),
        ),
        (
            ago(88),
            (
                "Warning",
                "Unhealthy",
                "pod/driver-locator-7c4b9d6f58-p8n2x",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    kubectl = "\n".join(
        [
            "$ kubectl -n mobility get pods -l app=dispatch-engine -o wide",
            "NAME                               READY   STATUS    RESTARTS   AGE    IP            NODE                                            NOMINATED NODE   READINESS GATES",
            "dispatch-engine-6f9b7c5d84-kq2wm   1/1     Running   0          113m   10.1.14.22    ip-10-0-2-41.ap-northeast-1.compute.internal    <none>           <none>",
            "dispatch-engine-6f9b7c5d84-v7hzl   1/1     Running   0          112m   10.1.27.9     ip-10-0-3-118.ap-northeast-1.compute.internal   <none>           <none>",
            "dispatch-engine-6f9b7c5d84-d4xqc   1/1     Running   0          112m   10.1.6.131    ip-10-0-1-207.ap-northeast-1.compute.internal   <none>           <none>",
            "",
            "$ kubectl -n mobility get deploy dispatch-engine -o yaml | grep -B2 -A4 AKKA_",
            "        env:",
            "        - name: AKKA_CLUSTER_BOOTSTRAP_SERVICE_NAME",
            "          value: dispatch-engine",
            "        - name: AKKA_REMOTE_CANONICAL_HOSTNAME",
            "          valueFrom:",
            "            fieldRef:",
            "              apiVersion: v1",
            "              fieldPath: status.hostIP",
            "        - name: AKKA_REMOTE_CANONICAL_PORT",
            '          value: "25520"',
            "",
            "$ helm -n mobility history dispatch-engine | tail -2",
            "REVISION  UPDATED                   STATUS      CHART                  APP VERSION  DESCRIPTION",
            "31        Fri Jun 19 06:12:08 2026  deployed    dispatch-engine-2.3.0  5.8.1        Upgrade complete",
            "",
            "$ curl -s http://10.1.14.22:8558/cluster/members | jq -c '{self: .selfNode, members: [.members[] | {node, status}], unreachable: [.unreachable[].node]}'",
            '{"self":"akka://dispatch-engine@10.0.2.41:25520","members":[{"node":"akka://dispatch-engine@10.0.2.41:25520","status":"Up"},{"node":"akka://dispatch-engine@10.0.3.118:25520","status":"Up"}],"unreachable":["akka://dispatch-engine@10.0.3.118:25520"]}',
            "",
        ]
    )
    return Bundle(
        question="Ride requests have been failing with 504 from rider-api since shortly after 06:10 JST. What is the root cause?",
        category="configuration",
        component="dispatch-engine",
        statement="dispatch-engine chart 2.3 (06:12 JST) sets the Akka canonical hostname from status.hostIP instead of status.podIP, so every pod advertises its node's address where nothing listens on 25520; members cannot associate, become UNREACHABLE, the Ride shards have no coordinator and rider-api's asks time out.",
        files={
            "logs/dispatch-engine.log": eng.render(),
            "logs/rider-api.log": api.render(),
            "kubectl-get-events.txt": events,
            "kubectl-dispatch-engine.txt": kubectl,
        },
        proofs=[
            Proof("kubectl-dispatch-engine.txt", "fieldPath: status.hostIP"),
            Proof(
                "logs/dispatch-engine.log",
                "listening on address [akka://dispatch-engine@10.0.2.41:25520]",
            ),
        ],
        decoys=[
            "Scheduled sending of heartbeat was delayed",
            "Request joining group due to: group is already rebalancing",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
        ],
    )
