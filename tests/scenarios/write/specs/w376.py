# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""Kafka: a hardening run on the night of 05-19 remounted /tmp with `noexec` on the brokers it
reached; only kafka-03 was rebooted into it (02:07 UTC). snappy-java unpacks its native library
into java.io.tmpdir (/tmp) on first use, so when producers' snappy batches arrive at kafka-03 the
broker cannot map the library (`UnsatisfiedLinkError ... failed to map segment from shared
object`) and answers UNKNOWN_SERVER_ERROR for every append to the partitions it leads. Producers
to those partitions retry and then fail; kafka-01 and kafka-02 are fine. Decoys: an ISR shrink
and re-expand on kafka-01 while kafka-03 restarted, a consumer group rebalance, and the
producers' loud errors."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Journal, Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 5, 19, 1, 40, tzinfo=UTC)
MINUTES = 110
LED = [1, 4, 7, 10]


@dataclass
class KafkaLog4j:
    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"[{stamp}] {record.level} {record.message}", *record.trailer]


def broker_line(broker: int):
    def line(rng: random.Random) -> Line:
        topic = rng.choice(["orders", "payments", "inventory-events", "audit"])
        p = rng.randrange(12)
        roll = rng.random()
        if roll < 0.35:
            return (
                "INFO",
                f"[LocalLog partition={topic}-{p}, dir=/var/lib/kafka/data] Rolled new log segment at offset {rng.randrange(10**7, 9 * 10**7)} in {rng.randrange(1, 6)} ms. (kafka.log.LocalLog)",
                (),
            )
        if roll < 0.6:
            return (
                "INFO",
                f"[UnifiedLog partition={topic}-{p}, dir=/var/lib/kafka/data] Deleting segment LogSegment(baseOffset={rng.randrange(10**6, 10**7)}, size={rng.randrange(10**8, 10**9)}, lastModifiedTime={rng.randrange(1778800000000, 1779100000000)}, largestRecordTimestamp=Some({rng.randrange(1778800000000, 1779100000000)})) due to retention size breach. (kafka.log.UnifiedLog)",
                (),
            )
        if roll < 0.85:
            return (
                "INFO",
                f"[GroupCoordinator {broker}]: Member {rng.choice(['fulfilment', 'ledger-sink', 'search-indexer'])}-{rng.getrandbits(32):08x} in group {rng.choice(['fulfilment', 'ledger-sink', 'search-indexer'])} has sent heartbeat (kafka.coordinator.group.GroupCoordinator)",
                (),
            )
        return (
            "INFO",
            f"[ProducerStateManager partition={topic}-{p}] Wrote producer snapshot at offset {rng.randrange(10**7, 9 * 10**7)} with {rng.randrange(1, 40)} producer ids in {rng.randrange(1, 9)} ms. (kafka.log.ProducerStateManager)",
            (),
        )

    return line


def broker_error(rng: random.Random) -> Line:
    topic = rng.choice(["orders", "payments", "inventory-events"])
    return (
        "ERROR",
        f"[ReplicaManager broker=3] Error processing append operation on partition {topic}-{rng.choice(LED)} (kafka.server.ReplicaManager)",
        tuple(
            java_trace(
                "java.lang.NoClassDefFoundError: Could not initialize class org.xerial.snappy.Snappy",
                [
                    "org.xerial.snappy.SnappyInputStream.readFully(SnappyInputStream.java:154)",
                    "org.apache.kafka.common.compress.SnappyFactory.wrapForInput(SnappyFactory.java:48)",
                    "org.apache.kafka.common.record.DefaultRecordBatch.compressedIterator(DefaultRecordBatch.java:285)",
                    "org.apache.kafka.storage.internals.log.LogValidator.validateMessagesAndAssignOffsetsCompressed(LogValidator.java:431)",
                    "kafka.log.UnifiedLog.append(UnifiedLog.scala:804)",
                ],
            )
        ),
    )


def producer_line(rng: random.Random) -> Line:
    if rng.random() < 0.8:
        return (
            "INFO",
            f"order {rng.randrange(10**8)} published to orders partition={rng.randrange(12)} offset={rng.randrange(10**7, 9 * 10**7)}",
            (),
        )
    return (
        "DEBUG",
        f"[Producer clientId=checkout-events] Sending metadata request MetadataRequestData(topics=[MetadataRequestTopic(topicId=AAAAAAAAAAAAAAAAAAAAAA, name='orders')]) to node kafka-0{rng.randrange(1, 4)}:9092 (id: {rng.randrange(1, 4)} rack: null)",
        (),
    )


def producer_error(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "WARN",
            f"[Producer clientId=checkout-events] Got error produce response with correlation id {rng.randrange(10**6, 10**7)} on topic-partition orders-{rng.choice(LED)}, retrying ({rng.randrange(0, 3)} attempts left). Error: UNKNOWN_SERVER_ERROR",
            (),
        )
    return (
        "ERROR",
        f"failed to publish order {rng.randrange(10**8)}: org.apache.kafka.common.errors.UnknownServerException: The server experienced an unexpected error when processing the request.",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(376_3317)
    k3 = LogFile("kafka-03-server.log", KafkaLog4j())
    k3.add(traffic(rng, broker_line(3), START, 26.5, 700))
    k3.add(
        [
            at(START, 26.6, "INFO", "[KafkaServer id=3] shutting down (kafka.server.KafkaServer)"),
            at(
                START,
                27.9,
                "INFO",
                "Registered kafka:type=kafka.Log4jController MBean (kafka.utils.Log4jControllerRegistration$)",
            ),
            at(
                START,
                27.95,
                "INFO",
                "KafkaConfig values: \n\tadvertised.listeners = PLAINTEXT://kafka-03:9092",
            ),
            at(START, 28.4, "INFO", "[KafkaServer id=3] started (kafka.server.KafkaServer)"),
        ]
    )
    k3.add(traffic(rng, broker_line(3), START.replace(minute=8, hour=2), MINUTES - 28.5, 1500))
    k3.add(
        [
            at(
                START,
                29.3,
                "ERROR",
                "[ReplicaManager broker=3] Error processing append operation on partition orders-7 (kafka.server.ReplicaManager)",
                java_trace(
                    "org.apache.kafka.common.KafkaException: java.lang.reflect.InvocationTargetException",
                    [
                        "org.apache.kafka.common.compress.SnappyFactory.wrapForInput(SnappyFactory.java:50)",
                        "org.apache.kafka.common.record.DefaultRecordBatch.compressedIterator(DefaultRecordBatch.java:285)",
                        "org.apache.kafka.storage.internals.log.LogValidator.validateMessagesAndAssignOffsetsCompressed(LogValidator.java:431)",
                    ],
                    [
                        "java.lang.UnsatisfiedLinkError: /tmp/snappy-1.1.10.5-6c2a84e1-07d3-4b9a-b2f1-0e97c3d5a1f4-libsnappyjava.so: /tmp/snappy-1.1.10.5-6c2a84e1-07d3-4b9a-b2f1-0e97c3d5a1f4-libsnappyjava.so: failed to map segment from shared object",
                        "java.base/jdk.internal.loader.NativeLibraries.load(Native Method)",
                        "java.base/java.lang.System.load(System.java:2025)",
                        "org.xerial.snappy.SnappyLoader.loadNativeLibrary(SnappyLoader.java:182)",
                    ],
                    more=31,
                ),
            )
        ]
    )
    k3.add(loud(rng, START, 29.5, MINUTES - 29.7, 420, broker_error))
    k1 = LogFile("kafka-01-server.log", KafkaLog4j())
    k1.add(traffic(rng, broker_line(1), START, MINUTES, 2100))
    k1.add(
        [
            at(
                START,
                26.9,
                "INFO",
                "[Partition payments-4 broker=1] Shrinking ISR from 1,2,3 to 1,2. Leader: (highWatermark: 48811207, endOffset: 48811231). Out of sync replicas: (brokerId: 3, endOffset: 48811207, lastCaughtUpTimeMs: 1779154021117). (kafka.cluster.Partition)",
            ),
            at(
                START,
                28.9,
                "INFO",
                "[Partition payments-4 broker=1] ISR updated to 1,2,3  and version updated to 188 (kafka.cluster.Partition)",
            ),
        ]
    )
    k1.add(
        [
            at(
                START,
                61.2,
                "INFO",
                "[GroupCoordinator 1]: Preparing to rebalance group fulfilment in state PreparingRebalance with old generation 412 (__consumer_offsets-31) (reason: Leaving group caused by consumer poll timeout) (kafka.coordinator.group.GroupCoordinator)",
            )
        ]
    )
    journal = LogFile("kafka-03-journal.txt", Journal("kafka-03", "systemd", 1))
    journal.add(
        [
            at(START, 24.1, "INFO", "Started ansible-hardening: cis-level1 (tag: tmp_noexec)."),
            at(
                START,
                24.5,
                "INFO",
                "tmp.mount: Directory /tmp to mount over is not empty, mounting anyway.",
            ),
            at(
                START,
                24.52,
                "INFO",
                "Mounted tmp.mount - Temporary Directory /tmp (nodev,nosuid,noexec).",
            ),
            at(START, 26.0, "INFO", "Stopping kafka.service - Apache Kafka broker..."),
            at(START, 26.9, "INFO", "Reached target reboot.target - System Reboot."),
            at(START, 27.6, "INFO", "Starting kafka.service - Apache Kafka broker..."),
            at(START, 27.62, "INFO", "Started kafka.service - Apache Kafka broker."),
        ]
    )
    prod = LogFile(
        "checkout-events-producer.log",
        SpringBoot(
            (
                "c.shop.checkout.events.OrderPublisher",
                "o.a.kafka.clients.producer.internals.Sender",
            ),
            rng=rng,
        ),
    )
    prod.add(traffic(rng, producer_line, START, MINUTES, 3300))
    prod.add(loud(rng, START, 29.4, MINUTES - 29.6, 600, producer_error))
    mounts = """$ for h in kafka-01 kafka-02 kafka-03; do echo "== $h"; ssh $h 'findmnt -no TARGET,SOURCE,FSTYPE,OPTIONS /tmp; uptime -s'; done
== kafka-01
/tmp tmpfs  tmpfs rw,nosuid,nodev,relatime,size=8155412k,inode64
2026-03-02 04:11:52
== kafka-02
/tmp tmpfs  tmpfs rw,nosuid,nodev,relatime,size=8155412k,inode64
2026-03-02 04:19:07
== kafka-03
/tmp tmpfs  tmpfs rw,nosuid,nodev,noexec,relatime,size=8155412k,inode64
2026-05-19 02:07:21

$ kafka-topics.sh --bootstrap-server kafka-01:9092 --describe --topic orders | head -5
Topic: orders	TopicId: 3Qm0v1XcRp2c7yB1k9tA1w	PartitionCount: 12	ReplicationFactor: 3	Configs: compression.type=producer,min.insync.replicas=2
	Topic: orders	Partition: 0	Leader: 2	Replicas: 2,3,1	Isr: 2,3,1
	Topic: orders	Partition: 1	Leader: 3	Replicas: 3,1,2	Isr: 3,1,2
	Topic: orders	Partition: 2	Leader: 1	Replicas: 1,2,3	Isr: 1,2,3
	Topic: orders	Partition: 3	Leader: 2	Replicas: 2,1,3	Isr: 2,1,3
"""
    files = {
        "kafka-03-server.log": k3.render(),
        "kafka-01-server.log": k1.render(),
        "kafka-03-journal.txt": journal.render(),
        "checkout-events-producer.log": prod.render(),
        "findmnt-and-topics.txt": mounts,
    }
    return Bundle(
        question="Since about 02:09 UTC a third of order events fail to publish with UNKNOWN_SERVER_ERROR, always on the same partitions. What is the root cause?",
        category="configuration",
        component="kafka-03",
        statement="A hardening run remounted /tmp with noexec on kafka-03, which then rebooted at 02:07; snappy-java cannot load its native library from /tmp (`UnsatisfiedLinkError ... failed to map segment from shared object`), so kafka-03 fails every append of snappy-compressed batches to the partitions it leads with UNKNOWN_SERVER_ERROR.",
        files=files,
        proofs=[
            Proof("kafka-03-journal.txt", "(nodev,nosuid,noexec)"),
            Proof("findmnt-and-topics.txt", "nodev,noexec,relatime"),
            Proof("kafka-03-server.log", "java.lang.UnsatisfiedLinkError"),
        ],
        decoys=[
            "Shrinking ISR from 1,2,3 to 1,2",
            "Preparing to rebalance group fulfilment",
            "UNKNOWN_SERVER_ERROR",
        ],
    )
