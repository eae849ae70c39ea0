# ruff: noqa: E501
# Hand-written broker, producer and pasted kafka-configs lines are data, kept whole on one line.
"""Kafka, a replication throttle left behind: a partition reassignment on 5 March set
`leader/follower.replication.throttled.rate=1048576` on every broker of kafka-payments and
`*` throttled replicas on the topic; the reassignment finished but nobody ran `--verify`, which
would have removed the throttles. At the Friday 7 March promotion (11:00 Asia/Singapore, 03:00 UTC)
ingress per broker passes 1 MB/s; followers fall behind, ISRs shrink to the leader only, and
with min.insync.replicas=2 the acks=all producers get NotEnoughReplicas. Loud: ledger-writer's
failed sends and 503s. Decoys: a G1 pause on a broker, a consumer group rebalance, a log dir
usage warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import Record, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, worker

START = datetime(2025, 3, 7, 2, 10, tzinfo=UTC)
MINUTES = 130.0
PROMO = 50.0
SHRINK = 58.0


@dataclass
class KafkaServerLog:
    """Kafka's log4j `[2025-03-07 02:10:00,123] INFO message (logger)`; the logger rides on the record."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        level = {"WARN": "WARN"}.get(record.level, record.level)
        return [
            f"[{stamp}] {level} {record.message} ({record.logger or 'kafka.server.KafkaApis'})",
            *record.trailer,
        ]


def broker_chatter(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = r.random()
    partition = f"payments.ledger-{r.randrange(24)}"
    if roll < 0.35:
        return (
            "INFO",
            f"[LocalLog partition={partition}, dir=/var/lib/kafka/data] Rolled new log segment at offset {r.randrange(10**7, 9 * 10**7)} in {r.randrange(1, 9)} ms.",
            (),
        )
    if roll < 0.6:
        return (
            "INFO",
            f"[ProducerStateManager partition={partition}] Wrote producer snapshot at offset {r.randrange(10**7, 9 * 10**7)} with {r.randrange(3, 40)} producer ids in {r.randrange(1, 12)} ms.",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[UnifiedLog partition={partition}, dir=/var/lib/kafka/data] Deleting segment LogSegment(baseOffset={r.randrange(10**6, 9 * 10**6)}, size={r.randrange(10**8, 10**9)}) due to retention time 604800000ms breach",
            (),
        )
    return (
        "INFO",
        f"[GroupCoordinator 1]: Member settlement-{r.getrandbits(32):08x} in group settlement has left, removing it from the group",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(29907)
    broker = LogFile("logs/kafka-payments-1/server.log", KafkaServerLog())
    broker.add(traffic(rng, broker_chatter, START, MINUTES, 1400))
    for index, partition in enumerate([3, 7, 11, 15, 19, 22, 1, 9]):
        end = rng.randrange(20_000_000, 80_000_000)
        caught = int((START + timedelta(minutes=SHRINK - 0.6)).timestamp() * 1000)
        broker.add(
            [
                at(
                    START,
                    SHRINK + index * 0.7,
                    "INFO",
                    f"[Partition payments.ledger-{partition} broker=1] Shrinking ISR from 1,2,3 to 1. Leader: (highWatermark: {end - rng.randrange(9000, 30000)}, endOffset: {end}). Out of sync replicas: (brokerId: 2, endOffset: {end - rng.randrange(9000, 30000)}, lastCaughtUpTimeMs: {caught - rng.randrange(0, 900)}) (brokerId: 3, endOffset: {end - rng.randrange(9000, 30000)}, lastCaughtUpTimeMs: {caught - rng.randrange(0, 900)}).",
                    logger="kafka.cluster.Partition",
                ),
            ]
        )

    def rejected(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        partition = r.choice([3, 7, 11, 15, 19, 22, 1, 9])
        return (
            "ERROR",
            f"[ReplicaManager broker=1] Error processing append operation on partition payments.ledger-{partition}",
            (
                f"org.apache.kafka.common.errors.NotEnoughReplicasException: The size of the current ISR Set(1) is insufficient to satisfy the min.isr requirement of 2 for partition payments.ledger-{partition}",
            ),
        )

    broker.add(
        [
            Record(rec.time, rec.level, rec.message, rec.trailer, "kafka.server.ReplicaManager")
            for rec in loud(rng, START, SHRINK + 1, MINUTES - SHRINK - 2, 380, rejected)
        ]
    )
    broker.add(
        [
            at(
                START,
                31.0,
                "INFO",
                "[GroupCoordinator 1]: Preparing to rebalance group settlement in state PreparingRebalance with old generation 412 (__consumer_offsets-17) (reason: Adding new member settlement-7c21 with group instance id None)",
                logger="kafka.coordinator.group.GroupCoordinator",
            ),
            at(
                START,
                47.5,
                "INFO",
                "[GC pause (G1 Evacuation Pause) (young) 1843M->412M(6144M) 212.418ms]",
                logger="kafka.utils.GcLogger",
            ),
        ]
    )

    producer = LogFile(
        "logs/ledger-writer.log",
        SpringBoot(
            (
                "c.p.ledger.LedgerController",
                "c.p.ledger.EventPublisher",
                "o.a.k.clients.producer.internals.Sender",
            ),
            pid=1,
            rng=rng,
        ),
    )
    producer.add(
        traffic(
            rng,
            worker("ledger-writer", ["payments.ledger", "payments.refunds"]),
            START,
            MINUTES,
            3600,
        )
    )
    producer.add(
        loud(
            rng,
            START,
            SHRINK + 1,
            MINUTES - SHRINK - 2,
            300,
            fixed(
                "WARN",
                lambda r: (
                    f"[Producer clientId=ledger-writer-1] Got error produce response with correlation id {r.randrange(10**6)} on topic-partition payments.ledger-{r.choice([3, 7, 11, 15, 19, 22, 1, 9])}, retrying ({r.randrange(1, 5)} attempts left). Error: NOT_ENOUGH_REPLICAS"
                ),
            ),
        )
    )
    producer.add(
        loud(
            rng,
            START,
            SHRINK + 3,
            MINUTES - SHRINK - 4,
            240,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /api/v1/ledger/entries 503: publish failed after 5 attempts: org.apache.kafka.common.errors.NotEnoughReplicasException: Messages are rejected since there are fewer in-sync replicas than required. (txn {r.getrandbits(48):012x})"
                ),
            ),
        )
    )

    series = {
        "kafka_payments_1_bytes_in_per_s": shift(rng, 610_000, 1_720_000, int(PROMO), 0.06, 4),
        "kafka_payments_2_bytes_in_per_s": shift(rng, 590_000, 1_690_000, int(PROMO), 0.06, 4),
        "kafka_payments_3_bytes_in_per_s": shift(rng, 600_000, 1_700_000, int(PROMO), 0.06, 4),
        "kafka_payments_1_replication_bytes_out_per_s": shift(
            rng, 1_190_000, 2_090_000, int(PROMO), 0.03, 3
        ),
        "kafka_payments_2_replication_bytes_in_per_s": shift(
            rng, 610_000, 1_046_000, int(PROMO), 0.01, 2
        ),
        "kafka_payments_3_replication_bytes_in_per_s": shift(
            rng, 600_000, 1_047_000, int(PROMO), 0.01, 2
        ),
        "kafka_payments_under_replicated_partitions": shift(rng, 0, 8, int(SHRINK), 0.0),
        "kafka_payments_under_min_isr_partitions": shift(rng, 0, 8, int(SHRINK), 0.0),
        "kafka_payments_1_cpu_percent": steady(rng, 34, 0.1),
    }
    metrics = csv_text(START, 60, int(MINUTES), series, decimals=0)

    pasted = "\n".join(
        [
            "kafka@kafka-payments-1:~$ kafka-configs.sh --bootstrap-server localhost:9092 --describe --entity-type brokers --entity-name 2",
            "Dynamic configs for broker 2 are:",
            "  leader.replication.throttled.rate=1048576 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:leader.replication.throttled.rate=1048576}",
            "  follower.replication.throttled.rate=1048576 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:follower.replication.throttled.rate=1048576}",
            "kafka@kafka-payments-1:~$ kafka-configs.sh --bootstrap-server localhost:9092 --describe --entity-type topics --entity-name payments.ledger",
            "Dynamic configs for topic payments.ledger are:",
            "  min.insync.replicas=2 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:min.insync.replicas=2, DEFAULT_CONFIG:min.insync.replicas=1}",
            "  leader.replication.throttled.replicas=* sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:leader.replication.throttled.replicas=*}",
            "  follower.replication.throttled.replicas=* sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:follower.replication.throttled.replicas=*}",
            "  retention.ms=604800000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=604800000}",
            "kafka@kafka-payments-1:~$ kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic payments.ledger --under-min-isr-partitions",
            "\tTopic: payments.ledger\tPartition: 1\tLeader: 1\tReplicas: 1,2,3\tIsr: 1",
            "\tTopic: payments.ledger\tPartition: 3\tLeader: 1\tReplicas: 1,3,2\tIsr: 1",
            "\tTopic: payments.ledger\tPartition: 7\tLeader: 1\tReplicas: 1,2,3\tIsr: 1",
            "\tTopic: payments.ledger\tPartition: 9\tLeader: 1\tReplicas: 1,3,2\tIsr: 1",
            "\tTopic: payments.ledger\tPartition: 11\tLeader: 1\tReplicas: 1,2,3\tIsr: 1",
            "\tTopic: payments.ledger\tPartition: 15\tLeader: 1\tReplicas: 1,3,2\tIsr: 1",
            "\tTopic: payments.ledger\tPartition: 19\tLeader: 1\tReplicas: 1,2,3\tIsr: 1",
            "\tTopic: payments.ledger\tPartition: 22\tLeader: 1\tReplicas: 1,3,2\tIsr: 1",
            "",
        ]
    )
    notes = "\n".join(
        [
            "# INC-5521 ledger writes failing (opened 11:12 SGT, Fri 7 Mar)",
            "",
            "- Promo started 11:00 SGT; ledger-writer returning 503 on ~40% of POSTs since ~11:08.",
            "- CHG-3310 (Wed 5 Mar): moved payments.ledger partitions onto the new broker disks with kafka-reassign-partitions.sh --execute --throttle 1048576. Reassignment finished the same evening.",
            "- Brokers are up, no restarts, CPU ~35%, disk 78% on kafka-payments-1 (expected after the move).",
            "- settlement consumer group rebalanced at 10:41 SGT when a pod was added; lag is normal.",
            "",
        ]
    )
    return Bundle(
        question="ledger-writer has been returning 503s since shortly after the promotion started at 11:00 SGT. Why are the ledger writes failing?",
        category="configuration",
        component="kafka-payments",
        statement="The replication throttles set for CHG-3310's partition reassignment (1 MB/s leader/follower throttled rate on the brokers, throttled replicas '*' on payments.ledger) were never removed; when promotion traffic passed 1 MB/s the followers fell behind, ISRs shrank to the leader and acks=all writes failed min.insync.replicas=2 with NOT_ENOUGH_REPLICAS.",
        files={
            "notes.md": notes,
            "kafka-configs.txt": pasted,
            "metrics/kafka-payments.csv": metrics,
            "logs/kafka-payments-1/server.log": broker.render(),
            "logs/ledger-writer.log": producer.render(),
        },
        proofs=[
            Proof(
                "kafka-configs.txt",
                "  leader.replication.throttled.rate=1048576",
                "  follower.replication.throttled.rate=1048576",
            ),
            Proof(
                "kafka-configs.txt",
                "  leader.replication.throttled.replicas=*",
                "  follower.replication.throttled.replicas=*",
            ),
        ],
        decoys=[
            "disk 78% on kafka-payments-1",
            "Preparing to rebalance group settlement",
            "G1 Evacuation Pause",
        ],
    )
