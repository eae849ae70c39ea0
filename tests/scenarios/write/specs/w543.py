# ruff: noqa: E501
# Hand-written Kafka client and broker lines and a pasted config diff are data, kept whole on one line.
"""Kafka, a consumer's session timeout outside the broker's allowed range: ledger-sync 2.9.0
raised `session.timeout.ms` to 600000 "so long batches stop rebalancing", but the brokers run
with `group.max.session.timeout.ms=300000`. From the rollout at 15:40 (America/Sao_Paulo) every
JoinGroup is rejected with INVALID_SESSION_TIMEOUT; the consumers never get partitions, lag on
`ledger.entries` climbs and the balances page goes stale. Decoys: a broker's ISR shrink and
expand on another topic, a producer's metadata refresh warning, and a JVM GC line."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import Log4j, Record
from scenes import at, fixed, java_trace, loud
from traffic import traffic, worker

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
START = datetime(2026, 8, 20, 18, 5, tzinfo=UTC)
MINUTES = 120.0
ROLLOUT = 35.0


class KafkaServer:
    """Kafka's server.log: `[2026-08-20 15:05:00,123] INFO [Logger] message (class)`, local time."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(self.zone)
        stamp = local.strftime("%Y-%m-%d %H:%M:%S") + f",{local.microsecond // 1000:03d}"
        return [f"[{stamp}] {record.level} {record.message}", *record.trailer]


def bundle() -> Bundle:
    rng = random.Random(54303)
    consumer = LogFile(
        "logs/ledger-sync.log",
        Log4j(
            (
                "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator",
                "br.com.tamarin.ledger.sync.EntryHandler",
                "org.apache.kafka.clients.consumer.KafkaConsumer",
            ),
            threads="ledger-sync-consumer",
            rng=rng,
        ),
    )
    consumer.add(
        traffic(
            rng,
            worker("ledger-sync", ["ledger.entries", "ledger.adjustments"]),
            START,
            ROLLOUT - 1,
            2600,
        )
    )
    consumer.add(
        [
            at(
                START,
                ROLLOUT - 0.6,
                "INFO",
                "Shutting down ledger-sync 2.8.4 (SIGTERM)",
                logger="br.com.tamarin.ledger.sync.Main",
            ),
            at(
                START,
                ROLLOUT,
                "INFO",
                "Starting ledger-sync 2.9.0 on ledger-sync-7c6d9 with PID 1",
                logger="br.com.tamarin.ledger.sync.Main",
            ),
            at(
                START,
                ROLLOUT + 0.05,
                "INFO",
                "ConsumerConfig values: allow.auto.create.topics = false, auto.offset.reset = earliest, bootstrap.servers = [kafka-1.data:9092, kafka-2.data:9092, kafka-3.data:9092], enable.auto.commit = false, group.id = ledger-sync, heartbeat.interval.ms = 20000, max.poll.interval.ms = 900000, max.poll.records = 200, session.timeout.ms = 600000",
                logger="org.apache.kafka.clients.consumer.ConsumerConfig",
            ),
            at(
                START,
                ROLLOUT + 0.08,
                "INFO",
                "Kafka version: 3.6.1",
                logger="org.apache.kafka.common.utils.AppInfoParser",
            ),
        ]
    )
    trace = java_trace(
        "org.apache.kafka.common.errors.InvalidSessionTimeoutException: The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms).",
        [],
    )
    consumer.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.2,
            MINUTES - ROLLOUT - 1,
            260,
            fixed(
                "ERROR",
                lambda r: (
                    f"[Consumer clientId=consumer-ledger-sync-{r.randrange(1, 4)}, groupId=ledger-sync] JoinGroup failed: The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms). Need to re-join the group. Sent generation was Generation{{generationId=-1, memberId='', protocol='null'}}"
                ),
            ),
        )
    )
    consumer.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.3,
            MINUTES - ROLLOUT - 1,
            120,
            fixed(
                "ERROR",
                lambda r: "Consumer loop crashed, restarting in 5s",
                lambda r: [
                    *trace,
                    "\tat br.com.tamarin.ledger.sync.ConsumerLoop.run(ConsumerLoop.java:77)",
                    "\tat java.base/java.lang.Thread.run(Thread.java:1583)",
                ],
            ),
        )
    )
    consumer.add(
        [
            at(
                START,
                14.0,
                "WARN",
                "[Producer clientId=ledger-sync-audit] Error while fetching metadata with correlation id 4412 : {ledger.audit=LEADER_NOT_AVAILABLE}",
                logger="org.apache.kafka.clients.NetworkClient",
            ),
            at(
                START,
                71.0,
                "INFO",
                "[GC (Allocation Failure) 1048576K->301221K(2097152K), 0.2011432 secs]",
                logger="gc",
            ),
        ]
    )
    broker = LogFile("logs/kafka-2-server.log", KafkaServer(SAO_PAULO))
    broker.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"[LocalLog partition=ledger.entries-{r.randrange(12)}, dir=/var/lib/kafka/data] Rolled new log segment at offset {r.randrange(10**7, 10**8)} in {r.randrange(1, 9)} ms. (kafka.log.LocalLog)",
                        (),
                    ),
                    (
                        "INFO",
                        f"[GroupCoordinator 2]: Member consumer-billing-{r.randrange(1, 4)}-{r.getrandbits(32):08x} in group billing-export has left, removing it from the group (kafka.coordinator.group.GroupCoordinator)",
                        (),
                    ),
                    (
                        "INFO",
                        f"[GroupCoordinator 2]: Stabilized group billing-export generation {r.randrange(300, 400)} (__consumer_offsets-{r.randrange(50)}) with 3 members (kafka.coordinator.group.GroupCoordinator)",
                        (),
                    ),
                    (
                        "INFO",
                        f"[UnifiedLog partition=payments.out-{r.randrange(6)}, dir=/var/lib/kafka/data] Deleting segment LogSegment(baseOffset={r.randrange(10**6, 10**7)}, size=1073741792) due to retention time 604800000ms breach (kafka.log.UnifiedLog)",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            1100,
        )
    )
    broker.add(
        [
            at(
                START,
                22.0,
                "INFO",
                "[Partition ledger.audit-3 broker=2] Shrinking ISR from 2,3,1 to 2,1. Leader: (highWatermark: 88120, endOffset: 88141). Out of sync replicas: (brokerId: 3, endOffset: 88119). (kafka.cluster.Partition)",
            ),
            at(
                START,
                22.8,
                "INFO",
                "[Partition ledger.audit-3 broker=2] ISR updated to 2,1,3 and version updated to 118 (kafka.cluster.Partition)",
            ),
            at(
                START,
                ROLLOUT - 0.5,
                "INFO",
                "[GroupCoordinator 2]: Preparing to rebalance group ledger-sync in state PreparingRebalance with old generation 211 (__consumer_offsets-17) (reason: removing member consumer-ledger-sync-1-5a1c on LeaveGroup; client reason: the consumer is being closed) (kafka.coordinator.group.GroupCoordinator)",
            ),
            at(
                START,
                ROLLOUT - 0.45,
                "INFO",
                "[GroupCoordinator 2]: Group ledger-sync with generation 212 is now empty (__consumer_offsets-17) (kafka.coordinator.group.GroupCoordinator)",
            ),
        ]
    )
    series = {
        "ledger_sync_lag_messages": shift(rng, 40, 310000, int(ROLLOUT), 0.05, ramp=85),
        "ledger_entries_in_per_s": shift(rng, 43, 43, 0, 0.08),
        "ledger_sync_consumed_per_s": shift(rng, 43, 0.01, int(ROLLOUT), 0.05),
        "kafka_2_request_handler_idle_pct": shift(rng, 81, 80, 0, 0.03),
    }
    metrics = csv_text(START, 60, int(MINUTES), series)
    props = "\n".join(
        [
            "$ kubectl -n ledger get cm ledger-sync-kafka -o yaml | diff - <(git show v2.8.4:deploy/kafka.properties.yaml)   # pasted by marina",
            "< # 2.9.0: raise session timeout so long batches stop rebalancing (LED-1290)",
            "< session.timeout.ms=600000",
            "< heartbeat.interval.ms=20000",
            "---",
            "> session.timeout.ms=45000",
            "> heartbeat.interval.ms=3000",
            "",
            "$ ssh kafka-2.data 'grep -E \"^group\\.\" /etc/kafka/server.properties'",
            "group.initial.rebalance.delay.ms=3000",
            "group.min.session.timeout.ms=6000",
            "group.max.session.timeout.ms=300000",
            "",
        ]
    )
    return Bundle(
        question="Balances have not updated since about 15:40 São Paulo time and lag on ledger.entries keeps growing. What is the root cause?",
        category="configuration",
        component="ledger-sync",
        statement="ledger-sync 2.9.0 sets session.timeout.ms=600000, above the brokers' group.max.session.timeout.ms=300000, so every JoinGroup is rejected with InvalidSessionTimeoutException and the group never consumes ledger.entries.",
        files={
            "config-diff.txt": props,
            "metrics/ledger-sync-lag.csv": metrics,
            "logs/kafka-2-server.log": broker.render(),
            "logs/ledger-sync.log": consumer.render(),
        },
        proofs=[
            Proof("logs/ledger-sync.log", "session.timeout.ms = 600000"),
            Proof("config-diff.txt", "< session.timeout.ms=600000"),
            Proof("config-diff.txt", "group.max.session.timeout.ms=300000"),
        ],
        decoys=[
            "Shrinking ISR from 2,3,1 to 2,1",
            "ledger.audit=LEADER_NOT_AVAILABLE",
            "GC (Allocation Failure)",
        ],
    )
