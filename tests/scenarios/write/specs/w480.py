# ruff: noqa: E501
# Hand-written Kafka and producer lines and pasted shell output are data, kept whole on one line.
"""Kafka, one broker's log dir full: kafka-3 was replaced in May and its data volume provisioned
at 500 GiB instead of the 2 TiB of its peers. Retention is time-based only (7 days); when a
campaign raises clickstream volume, kafka-3's /data/kafka fills first, appends fail with "No
space left on device", the log dir goes offline and the broker shuts down; its partitions'
leaders move and producers see NOT_LEADER and timeouts. Decoys: an ISR shrink during a
restart earlier, a consumer rebalance, a producer's idempotence warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Log4j, Record
from scenes import at, fixed, java_trace, loud
from traffic import traffic, worker

START = datetime(2025, 7, 21, 6, 0, tzinfo=UTC)
MINUTES = 240.0
FULL = 171.0


@dataclass
class KafkaLog:
    """Kafka's log4j layout: `[2025-07-21 06:00:01,123] INFO message (logger)`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        return [
            f"[{stamp}] {record.level} {record.message} ({record.logger or 'kafka.log.LogManager'})",
            *record.trailer,
        ]


def broker_chatter(rng: random.Random):
    topic = rng.choice(["clickstream", "orders", "payments", "audit"])
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"[LocalLog partition={topic}-{rng.randrange(12)}, dir=/data/kafka] Rolled new log segment at offset {rng.randrange(10**9)} in {rng.randrange(1, 9)} ms.",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[ProducerStateManager partition={topic}-{rng.randrange(12)}] Wrote producer snapshot at offset {rng.randrange(10**9)} with 0 producer ids in {rng.randrange(1, 6)} ms.",
            (),
        )
    return (
        "INFO",
        f"[UnifiedLog partition={topic}-{rng.randrange(12)}, dir=/data/kafka] Deleting segment LogSegment(baseOffset={rng.randrange(10**9)}, size=1073741{rng.randrange(100, 999)}) due to retention time 604800000ms breach based on the largest record timestamp in the segment",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(48004)
    broker = LogFile("logs/kafka-3/server.log", KafkaLog())
    broker.add(traffic(rng, broker_chatter, START, FULL, 1900))
    ioe = java_trace(
        "java.io.IOException: No space left on device",
        [
            "java.base/sun.nio.ch.FileDispatcherImpl.write0(Native Method)",
            "java.base/sun.nio.ch.FileChannelImpl.write(FileChannelImpl.java:285)",
            "org.apache.kafka.common.record.MemoryRecords.writeFullyTo(MemoryRecords.java:92)",
            "kafka.log.LogSegment.append(LogSegment.scala:158)",
        ],
    )
    broker.add(
        [
            at(
                START,
                20.0,
                "INFO",
                "[Partition orders-2 broker=3] Shrinking ISR from 1,3,5 to 3,5. Leader: (highWatermark: 88120931, endOffset: 88120944). Out of sync replicas: (brokerId: 1, endOffset: 88120931).",
                logger="kafka.cluster.Partition",
            ),
            at(
                START,
                FULL,
                "ERROR",
                "Error while appending records to clickstream-7 in dir /data/kafka",
                ioe,
                logger="kafka.server.LogDirFailureChannel",
            ),
            at(
                START,
                FULL + 0.02,
                "WARN",
                "[ReplicaManager broker=3] Stopping serving replicas in dir /data/kafka",
                logger="kafka.server.ReplicaManager",
            ),
            at(
                START,
                FULL + 0.05,
                "ERROR",
                "Shutdown broker because all log dirs in /data/kafka have failed",
                logger="kafka.log.LogManager",
            ),
        ]
    )
    prod = LogFile(
        "logs/click-ingest.log",
        Log4j(
            ("c.t.ingest.ClickPublisher", "o.a.k.clients.producer.internals.Sender"),
            "kafka-producer-network-thread",
            rng,
        ),
    )
    prod.add(traffic(rng, worker("click-ingest", ["clickstream"]), START, MINUTES, 3600))
    prod.add(
        loud(
            rng,
            START,
            FULL + 0.3,
            3,
            240,
            fixed(
                "WARN",
                lambda r: (
                    f"[Producer clientId=click-ingest-1] Got error produce response with correlation id {r.randrange(10**7)} on topic-partition clickstream-{r.choice([1, 4, 7, 10])}, retrying (2147483646 attempts left). Error: NOT_LEADER_OR_FOLLOWER"
                ),
            ),
        )
    )
    prod.add(
        loud(
            rng,
            START,
            FULL + 1,
            MINUTES - FULL - 2,
            420,
            fixed(
                "ERROR",
                lambda r: (
                    f"send failed for click batch {r.randrange(10**8)}: org.apache.kafka.common.errors.TimeoutException: Expiring {r.randrange(20, 400)} record(s) for clickstream-{r.choice([1, 4, 7, 10])}:120004 ms has passed since batch creation"
                ),
            ),
        )
    )
    prod.add(
        [
            at(
                START,
                3.0,
                "WARN",
                "[Producer clientId=click-ingest-1] enable.idempotence is overridden to false because max.in.flight.requests.per.connection=10",
                logger="o.a.k.clients.producer.KafkaProducer",
            ),
            at(
                START,
                95.0,
                "INFO",
                "[Consumer clientId=sessionizer-2, groupId=sessionizer] Request joining group due to: group is already rebalancing",
                logger="o.a.k.clients.consumer.internals.ConsumerCoordinator",
            ),
        ]
    )
    pasted = "\n".join(
        [
            '$ for b in kafka-1 kafka-2 kafka-3 kafka-4 kafka-5; do ssh $b df -h /data/kafka | tail -1 | sed "s/^/$b  /"; done',
            "kafka-1  /dev/nvme1n1    2.0T  1.3T  712G  65% /data/kafka",
            "kafka-2  /dev/nvme1n1    2.0T  1.3T  701G  66% /data/kafka",
            "kafka-3  /dev/nvme1n1    500G  500G     0 100% /data/kafka",
            "kafka-4  /dev/nvme1n1    2.0T  1.4T  655G  68% /data/kafka",
            "kafka-5  /dev/nvme1n1    2.0T  1.3T  688G  66% /data/kafka",
            "$ kafka-configs.sh --bootstrap-server kafka-1:9092 --entity-type topics --entity-name clickstream --describe",
            "Dynamic configs for topic clickstream are:",
            "  retention.ms=604800000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=604800000, DEFAULT_CONFIG:log.retention.hours=168}",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Incident 2025-07-21: click-ingest producer timeouts from 08:51 UTC, kafka-3 down.",
            "- Summer campaign live since Saturday, clickstream volume x2.6.",
            "- kafka-3 hardware replaced 2025-05-12 (RMA), rebuilt from the broker runbook.",
            "- orders-2 ISR shrank at 06:20 while kafka-1 was patched, recovered.",
            "",
            pasted,
        ]
    )
    return Bundle(
        question="click-ingest cannot publish since 08:51 UTC (NOT_LEADER, then expiring batches) and kafka-3 is down. What is the root cause?",
        category="disk",
        component="kafka-3",
        statement="kafka-3 was rebuilt with a 500 GiB data volume (its peers have 2 TiB) and retention is time-based only; with the campaign's clickstream volume /data/kafka filled, appends failed with No space left on device, the log dir went offline and the broker shut down, so producers lost their partition leaders.",
        files={
            "notes.md": notes,
            "logs/kafka-3/server.log": broker.render(),
            "logs/click-ingest.log": prod.render(),
        },
        proofs=[
            Proof(
                "logs/kafka-3/server.log",
                "Error while appending records to clickstream-7",
                "No space left on device",
            ),
            Proof("notes.md", "kafka-3  /dev/nvme1n1    500G"),
        ],
        decoys=[
            "Shrinking ISR from 1,3,5",
            "enable.idempotence is overridden",
            "group is already rebalancing",
        ],
    )
