# ruff: noqa: E501
# Hand-written log lines, pasted shell output and series definitions are data, kept whole on one line.
"""Kafka, file descriptors: last week broker kafka-3 was moved from the old init script (which ran
`ulimit -n 100000`) to a systemd unit copied from another service's template, with
`LimitNOFILE=4096`. kafka-1 and kafka-2 still run under the init script. Every segment and index
file and every client socket costs a descriptor; at 13:52 UTC the data team creates a
120-partition topic, kafka-3 crosses 4,096 open files at 14:06: `Too many open files` in its
acceptor, then a segment roll fails, the log dir goes offline and the broker shuts down. Loud:
producers' NOT_LEADER_OR_FOLLOWER and expired batches, ISR shrinks on kafka-1 and kafka-2.
Decoys: the new topic's creation itself, kafka-1's ISR shrink warnings (a consequence), and a
long GC pause on kafka-2 in the morning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import Record
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 9, 2, 12, 0, tzinfo=UTC)
END = datetime(2025, 9, 2, 15, 0, tzinfo=UTC)
TOPIC = datetime(2025, 9, 2, 13, 52, tzinfo=UTC)
FULL = datetime(2025, 9, 2, 14, 6, tzinfo=UTC)
TOPICS = ["orders", "payments", "inventory-events", "clickstream"]


@dataclass
class KafkaLog:
    """Kafka's log4j `[%d] %p %m (%c)%n`; a record's logger is the class in parentheses."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        level = {
            "WARN": "WARN",
            "INFO": "INFO",
            "ERROR": "ERROR",
            "FATAL": "FATAL",
            "DEBUG": "DEBUG",
        }[record.level]
        return [f"[{stamp}] {level} {record.message} ({record.logger})", *record.trailer]


def broker_line(broker: int) -> "callable":
    def line(rng: random.Random) -> Line:
        topic = rng.choice(TOPICS[:3])
        partition = rng.randrange(24)
        roll = rng.random()
        if roll < 0.35:
            return (
                "INFO",
                f"[LocalLog partition={topic}-{partition}, dir=/var/lib/kafka/data] Rolled new log segment at offset {rng.randrange(10**7, 9 * 10**7)} in {rng.randrange(1, 9)} ms.",
                (),
            )
        if roll < 0.55:
            return (
                "INFO",
                f"[ProducerStateManager partition={topic}-{partition}] Wrote producer snapshot at offset {rng.randrange(10**7, 9 * 10**7)} with 0 producer ids in {rng.randrange(1, 12)} ms.",
                (),
            )
        if roll < 0.75:
            return (
                "INFO",
                f"[UnifiedLog partition={topic}-{partition}, dir=/var/lib/kafka/data] Deleting segment LogSegment(baseOffset={rng.randrange(10**6, 10**7)}, size={rng.randrange(10**8, 1073741824)}, lastModifiedTime={rng.randrange(1756000000000, 1756790000000)}, largestRecordTimestamp=Some({rng.randrange(1756000000000, 1756790000000)})) due to retention size {rng.randrange(10**9, 5 * 10**9)} breach. Log size after deletion will be {rng.randrange(10**9, 5 * 10**9)}.",
                (),
            )
        if roll < 0.9:
            return (
                "INFO",
                f"[GroupCoordinator {broker}]: Member consumer-{rng.choice(['billing', 'search-indexer', 'analytics'])}-{rng.randrange(1, 9)}-{rng.getrandbits(32):08x} in group {rng.choice(['billing', 'search-indexer', 'analytics'])} has left, removing it from group",
                (),
            )
        return (
            "INFO",
            f"[SnapshotEmitter id={broker}] Successfully wrote snapshot {rng.randrange(10**5, 10**6)}-{rng.randrange(1, 9)}",
            (),
        )

    return line


def named(records: list[Record], logger: str) -> list[Record]:
    return [Record(r.time, r.level, r.message, r.trailer, r.logger or logger) for r in records]


def bundle() -> Bundle:
    rng = random.Random(2224)
    total = (END - START).total_seconds() / 60
    full = (FULL - START).total_seconds() / 60
    topic = (TOPIC - START).total_seconds() / 60

    k3 = LogFile("logs/kafka-3-server.log", KafkaLog())
    k3.add(named(traffic(rng, broker_line(3), START, full + 1, 1900), "kafka.log.LocalLog"))
    k3.add(
        [
            at(
                START,
                topic + 0.2,
                "INFO",
                "[Broker id=3] Creating new partition clickstream-41 with topic id Jd2cWq8xTbe3xYx6HkqQ0g.",
                logger="state.change.logger",
            ),
            at(
                START,
                full - 0.3,
                "ERROR",
                "Error while accepting connection",
                java_trace(
                    "java.io.IOException: Too many open files",
                    [
                        "java.base/sun.nio.ch.ServerSocketChannelImpl.accept0(Native Method)",
                        "java.base/sun.nio.ch.ServerSocketChannelImpl.implAccept(ServerSocketChannelImpl.java:425)",
                        "java.base/sun.nio.ch.ServerSocketChannelImpl.accept(ServerSocketChannelImpl.java:391)",
                        "kafka.network.Acceptor.accept(SocketServer.scala:756)",
                        "kafka.network.Acceptor.run(SocketServer.scala:701)",
                        "java.base/java.lang.Thread.run(Thread.java:840)",
                    ],
                ),
                logger="kafka.network.DataPlaneAcceptor",
            ),
            at(
                START,
                full + 0.9,
                "ERROR",
                "Error while rolling log segment for orders-17 in dir /var/lib/kafka/data",
                java_trace(
                    "java.io.FileNotFoundException: /var/lib/kafka/data/orders-17/00000000000041230018.index (Too many open files)",
                    [
                        "java.base/java.io.RandomAccessFile.open0(Native Method)",
                        "java.base/java.io.RandomAccessFile.open(RandomAccessFile.java:344)",
                        "org.apache.kafka.storage.internals.log.AbstractIndex.<init>(AbstractIndex.java:105)",
                        "org.apache.kafka.storage.internals.log.OffsetIndex.<init>(OffsetIndex.java:67)",
                        "org.apache.kafka.storage.internals.log.LogSegment.open(LogSegment.java:763)",
                        "kafka.log.LocalLog.roll(LocalLog.scala:540)",
                    ],
                    more=14,
                ),
                logger="kafka.server.LogDirFailureChannel",
            ),
            at(
                START,
                full + 0.95,
                "WARN",
                "[ReplicaManager broker=3] Stopping serving replicas in dir /var/lib/kafka/data",
                logger="kafka.server.ReplicaManager",
            ),
            at(
                START,
                full + 1.0,
                "WARN",
                "[ReplicaManager broker=3] Broker 3 stopped fetcher for partitions orders-17,payments-3,inventory-events-9,clickstream-41 and stopped moving logs for partitions  because they are in the failed log directory /var/lib/kafka/data.",
                logger="kafka.server.ReplicaManager",
            ),
            at(
                START,
                full + 1.05,
                "ERROR",
                "Shutdown broker because all log dirs in /var/lib/kafka/data have failed",
                logger="kafka.log.LogManager",
            ),
        ]
    )
    k3.add(
        named(
            loud(
                rng,
                START,
                full - 0.25,
                1.1,
                90,
                fixed(
                    "ERROR",
                    lambda r: "Error while accepting connection",
                    lambda r: ["java.io.IOException: Too many open files"],
                ),
            ),
            "kafka.network.DataPlaneAcceptor",
        )
    )

    k1 = LogFile("logs/kafka-1-server.log", KafkaLog())
    k1.add(named(traffic(rng, broker_line(1), START, total, 2200), "kafka.log.LocalLog"))
    k1.add(
        [
            at(
                START,
                topic,
                "INFO",
                "[Admin Manager on Broker 1]: Creating topic clickstream with configuration {retention.ms=259200000, min.insync.replicas=2} and initial partition assignment Map(0 -> ArrayBuffer(1, 2, 3), 1 -> ArrayBuffer(2, 3, 1), 2 -> ArrayBuffer(3, 1, 2), ...) (120 partitions)",
                logger="kafka.server.ZkAdminManager",
            ),
        ]
    )
    k1.add(
        named(
            loud(
                rng,
                START,
                full + 0.5,
                total - full - 1,
                260,
                fixed(
                    "INFO",
                    lambda r: (
                        f"[Partition {r.choice(TOPICS)}-{r.randrange(24)} broker=1] Shrinking ISR from 1,3 to 1. Leader: (highWatermark: {r.randrange(10**7, 9 * 10**7)}, endOffset: {r.randrange(10**7, 9 * 10**7)}). Out of sync replicas: (brokerId: 3, endOffset: {r.randrange(10**7, 9 * 10**7)}, lastCaughtUpTimeMs: {r.randrange(1756821900000, 1756822000000)})."
                    ),
                ),
            ),
            "kafka.cluster.Partition",
        )
    )
    k1.add(
        named(
            loud(
                rng,
                START,
                full + 0.5,
                total - full - 1,
                140,
                fixed(
                    "WARN",
                    lambda r: (
                        f"[ReplicaFetcher replicaId=1, leaderId=3, fetcherId=0] Error in response for fetch request (type=FetchRequest, replicaId=1, maxWait=500, minBytes=1, maxBytes=10485760, fetchData={{}}, isolationLevel=READ_UNCOMMITTED, removed=, replaced=, metadata=(sessionId={r.randrange(10**8, 10**9)}, epoch=INITIAL), rackId=)"
                    ),
                    lambda r: [
                        "java.io.IOException: Connection to 3 was disconnected before the response was read"
                    ],
                ),
            ),
            "kafka.server.ReplicaFetcherThread",
        )
    )

    k2 = LogFile("logs/kafka-2-gc.log", KafkaLog())
    k2.add(
        [
            at(
                START,
                23.0,
                "WARN",
                "GC(22811) Pause Young (G1 Evacuation Pause) 5812M->1190M(8192M) 1412.881ms (kafka-2, safepoint sync 3.2ms)",
                logger="gc",
            )
        ]
    )
    k2.add(
        named(
            traffic(
                rng,
                lambda r: (
                    "INFO",
                    f"GC({r.randrange(22700, 23400)}) Pause Young (Normal) (G1 Evacuation Pause) {r.randrange(4200, 6000)}M->{r.randrange(900, 1400)}M(8192M) {r.uniform(8, 40):.3f}ms",
                    (),
                ),
                START,
                total,
                420,
            ),
            "gc",
        )
    )

    producer = LogFile("logs/order-service.log", KafkaLog())
    producer.add(
        named(
            traffic(
                rng,
                lambda r: (
                    "INFO",
                    f"order {r.getrandbits(32):08x} accepted, event published to orders-{r.randrange(24)} offset {r.randrange(10**7, 9 * 10**7)}",
                    (),
                ),
                START,
                total,
                2600,
            ),
            "c.s.orders.OrderEventPublisher",
        )
    )
    producer.add(
        named(
            loud(
                rng,
                START,
                full + 1,
                total - full - 2,
                380,
                fixed(
                    "WARN",
                    lambda r: (
                        f"[Producer clientId=order-service-1] Got error produce response with correlation id {r.randrange(10**5, 10**6)} on topic-partition orders-{r.choice([2, 5, 8, 11, 14, 17, 20, 23])}, retrying ({r.randrange(1, 2147483647)} attempts left). Error: NOT_LEADER_OR_FOLLOWER"
                    ),
                ),
            ),
            "org.apache.kafka.clients.producer.internals.Sender",
        )
    )
    producer.add(
        named(
            loud(
                rng,
                START,
                full + 3,
                total - full - 4,
                220,
                fixed(
                    "ERROR",
                    lambda r: (
                        f"publish failed for order {r.getrandbits(32):08x}: org.apache.kafka.common.errors.TimeoutException: Expiring {r.randrange(1, 40)} record(s) for orders-{r.choice([2, 5, 8, 11, 14, 17, 20, 23])}:120011 ms has passed since batch creation"
                    ),
                ),
            ),
            "c.s.orders.OrderEventPublisher",
        )
    )

    shell = "\n".join(
        [
            '[ops@kafka-1 ~]$ for h in kafka-1 kafka-2 kafka-3; do echo "== $h"; ssh $h \'pid=$(pgrep -f kafka.Kafka); grep "Max open files" /proc/$pid/limits; ls /proc/$pid/fd | wc -l\'; done',
            "== kafka-1",
            "Max open files            100000               100000               files",
            "5391",
            "== kafka-2",
            "Max open files            100000               100000               files",
            "5467",
            "== kafka-3",
            "ssh: connect to host kafka-3 port 22: Connection timed out",
            "",
            "[ops@kafka-1 ~]$ kafka-topics.sh --bootstrap-server kafka-1:9092 --describe --under-replicated-partitions | wc -l",
            "392",
            "",
        ]
    )
    unit = "\n".join(
        [
            "# change CHG-5521 (2025-08-27): kafka-3 moved to systemd, unit as deployed",
            "[Unit]",
            "Description=Apache Kafka broker",
            "After=network-online.target",
            "",
            "[Service]",
            "Type=simple",
            "User=kafka",
            "Environment=KAFKA_HEAP_OPTS=-Xms6g -Xmx6g",
            "ExecStart=/opt/kafka/bin/kafka-server-start.sh /etc/kafka/server.properties",
            "LimitNOFILE=4096",
            "Restart=on-failure",
            "RestartSec=30",
            "",
            "[Install]",
            "WantedBy=multi-user.target",
            "",
        ]
    )
    points = int(total)
    metrics = csv_text(
        START,
        60,
        points,
        {
            "kafka_1_open_fds": shift(rng, 5020, 5391, int(topic), 0.005, ramp=3),
            "kafka_2_open_fds": shift(rng, 5110, 5467, int(topic), 0.005, ramp=3),
            "kafka_3_open_fds": lambda index: (
                min(4096.0, 3712 + 3.2 * index + rng.randrange(-8, 8))
                if index < int(topic)
                else (
                    min(4096.0, 3990 + 8 * (index - int(topic)) + rng.randrange(-5, 5))
                    if index <= int(full) + 1
                    else 0.0
                )
            ),
            "kafka_under_replicated_partitions": shift(
                rng, 0.001, 392, int(full) + 1, 0.01, ramp=2
            ),
            "order_service_publish_errors_per_min": shift(rng, 0.1, 74, int(full) + 2, 0.2, ramp=2),
        },
        decimals=0,
    )
    files = {
        "logs/kafka-3-server.log": k3.render(),
        "logs/kafka-1-server.log": k1.render(),
        "logs/kafka-2-gc.log": k2.render(),
        "logs/order-service.log": producer.render(),
        "broker-checks.txt": shell,
        "CHG-5521.txt": unit,
        "broker-metrics.csv": metrics,
    }
    return Bundle(
        question="Since about 14:07 UTC order-service can't publish reliably (NOT_LEADER_OR_FOLLOWER, expired batches) and hundreds of partitions are under-replicated. What is the root cause?",
        category="file_descriptors",
        component="kafka-3",
        statement="kafka-3 runs under a systemd unit with LimitNOFILE=4096 since last week (kafka-1 and kafka-2 have 100000); after the 120-partition clickstream topic was created at 13:52 UTC it reached 4,096 open files at about 14:06, its acceptor and a segment roll failed with 'Too many open files', its log dir went offline and the broker shut down.",
        files=files,
        proofs=[
            Proof(
                "logs/kafka-3-server.log",
                "Error while rolling log segment for orders-17",
                "(Too many open files)",
            ),
            Proof("CHG-5521.txt", "LimitNOFILE=4096"),
        ],
        decoys=[
            "Creating topic clickstream",
            "Shrinking ISR from 1,3 to 1",
            "1412.881ms",
        ],
    )
