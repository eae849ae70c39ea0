# ruff: noqa: E501
# Hand-written log lines, tool output and series definitions are data, kept whole on one line.
"""A record without the Schema Registry framing lands on payments.events partition 7; the
ledger-sync consumer fails to deserialize it on every poll and never moves past it, so the
partition's lag grows, statements-api serves stale balances and reconciliation alarms fire,
while the broker logs an unrelated ISR shrink and consumer-group rebalances."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import table
from metrics import csv_text, shift
from records import PythonLogging, Record, SpringBoot, space_millis
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 10, 15, 8, 50, tzinfo=UTC)
MINUTES = 60
POISON = 24.4
OFFSET = 1843221
TRACE = [
    *java_trace(
        "java.lang.IllegalStateException: This error handler cannot process 'SerializationException's directly; please consider configuring an 'ErrorHandlingDeserializer' in the value and/or key deserializer",
        [
            "org.springframework.kafka.listener.DefaultErrorHandler.handleOtherException(DefaultErrorHandler.java:198)",
            "org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.handleConsumerException(KafkaMessageListenerContainer.java:1934)",
            "org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.run(KafkaMessageListenerContainer.java:1332)",
            "java.base/java.lang.Thread.run(Thread.java:1583)",
        ],
        [
            f"org.apache.kafka.common.errors.RecordDeserializationException: Error deserializing key/value for partition payments.events-7 at offset {OFFSET}. If needed, please seek past the record to continue consumption.",
            "org.apache.kafka.clients.consumer.internals.CompletedFetch.parseRecord(CompletedFetch.java:309)",
            "org.apache.kafka.clients.consumer.internals.CompletedFetch.fetchRecords(CompletedFetch.java:263)",
            "org.apache.kafka.clients.consumer.internals.FetchCollector.fetchRecords(FetchCollector.java:168)",
        ],
    ),
    "Caused by: org.apache.kafka.common.errors.SerializationException: Unknown magic byte!",
    "\tat io.confluent.kafka.serializers.AbstractKafkaSchemaSerDe.getByteBuffer(AbstractKafkaSchemaSerDe.java:600)",
    "\tat io.confluent.kafka.serializers.AbstractKafkaAvroDeserializer$DeserializationContext.<init>(AbstractKafkaAvroDeserializer.java:364)",
    "\t... 12 more",
]


def ledger_line(rng: random.Random, partitions: tuple[int, ...] = tuple(range(12))) -> Line:
    roll = rng.random()
    partition = rng.choice(partitions)
    if roll < 0.6:
        return (
            "INFO",
            f"Applied PaymentSettled {rng.getrandbits(48):012x} to account {rng.randrange(10**7):07d} (partition {partition}, offset {rng.randrange(1800000, 1900000)})",
            (),
        )
    if roll < 0.85:
        return (
            "DEBUG",
            f"Committed offsets for payments.events-{partition} in {rng.randrange(2, 30)}ms",
            (),
        )
    return "INFO", f"Ledger snapshot flushed: {rng.randrange(50, 900)} accounts", ()


def statements_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"GET /v2/accounts/{rng.randrange(10**7):07d}/balance 200 {rng.randrange(3, 40)}ms",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"GET /v2/accounts/{rng.randrange(10**7):07d}/statements?month=2024-{rng.randrange(1, 10):02d} 200 {rng.randrange(20, 200)}ms",
            (),
        )
    return (
        "INFO",
        f"reconciliation batch {rng.getrandbits(32):08x} matched {rng.randrange(100, 900)} entries",
        (),
    )


@dataclass
class KafkaServer:
    """Kafka broker's server.log (`[2024-10-15 08:50:00,123] INFO message (logger)`)."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        return [
            f"[{space_millis(record.time, ',')}] {record.level} {record.message} ({record.logger or 'kafka.server.ReplicaFetcherManager'})"
        ]


def broker_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[LocalLog partition=payments.events-{rng.randrange(12)}, dir=/var/lib/kafka/data] Rolled new log segment at offset {rng.randrange(1800000, 1900000)} in {rng.randrange(1, 9)} ms.",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[ProducerStateManager partition=payments.events-{rng.randrange(12)}] Wrote producer snapshot at offset {rng.randrange(1800000, 1900000)} with 0 producer ids in {rng.randrange(1, 12)} ms.",
            (),
        )
    return (
        "INFO",
        f"[GroupCoordinator 2]: Member statements-api-{rng.getrandbits(24):06x} in group statements-api has left, removing it from the group",
        (),
    )


def consumer_groups(when: str, lags: list[int], ends: list[int]) -> list[str]:
    rows = []
    for partition in range(12):
        end = ends[partition]
        current = OFFSET if partition == 7 else end - lags[partition]
        lag = end - current
        rows.append(
            (
                "ledger-sync",
                "payments.events",
                str(partition),
                str(current),
                str(end),
                str(lag),
                f"ledger-sync-{partition // 3}-{'7a1c' if partition // 3 == 2 else 'b3e0'}",
                f"/10.12.4.{30 + partition // 3}",
                f"ledger-sync-{partition // 3}",
            )
        )
    return [
        f"$ kafka-consumer-groups.sh --bootstrap-server kafka-0:9092 --describe --group ledger-sync   # {when}",
        "",
        *table(
            (
                "GROUP",
                "TOPIC",
                "PARTITION",
                "CURRENT-OFFSET",
                "LOG-END-OFFSET",
                "LAG",
                "CONSUMER-ID",
                "HOST",
                "CLIENT-ID",
            ),
            rows,
        ),
        "",
    ]


def bundle() -> Bundle:
    rng = random.Random(194)
    ledger = LogFile(
        "ledger-sync.log",
        SpringBoot(
            (
                "c.e.ledger.sync.PaymentEventsListener",
                "o.s.k.l.KafkaMessageListenerContainer",
                "o.a.k.c.c.internals.ConsumerCoordinator",
            ),
            pid=1,
            rng=rng,
        ),
    )
    ledger.add(traffic(rng, ledger_line, START, POISON, 1380))
    others = tuple(partition for partition in range(12) if partition != 7)
    ledger.add(
        traffic(
            rng,
            lambda r: ledger_line(r, others),
            START + timedelta(minutes=POISON),
            MINUTES - POISON,
            2020,
        )
    )
    first = at(
        START, POISON, "ERROR", "Consumer exception", TRACE, "o.s.k.l.KafkaMessageListenerContainer"
    )
    ledger.add([first])
    ledger.add(
        loud(
            rng,
            START,
            POISON + 0.09,
            MINUTES - POISON - 0.2,
            402,
            fixed("ERROR", lambda r: "Consumer exception", lambda r: TRACE),
        )
    )
    statements = LogFile(
        "statements-api.log",
        PythonLogging(("statements.api", "statements.reconcile", "uvicorn.access"), rng=rng),
    )
    statements.add(traffic(rng, statements_line, START, MINUTES, 2600))
    statements.add(
        loud(
            rng,
            START,
            POISON + 9,
            MINUTES - POISON - 9.5,
            318,
            fixed(
                "WARN",
                lambda r: (
                    f"balance for account {r.randrange(10**7):07d} is stale: last ledger update {r.randrange(10, 35)}m ago, serving cached value"
                ),
            ),
        )
    )
    statements.add(
        loud(
            rng,
            START,
            POISON + 14,
            MINUTES - POISON - 14.5,
            147,
            fixed(
                "ERROR",
                lambda r: (
                    f"reconciliation mismatch for account {r.randrange(10**7):07d}: ledger={r.randrange(100, 9000)}.{r.randrange(100):02d} psp={r.randrange(100, 9000)}.{r.randrange(100):02d} (settlement {r.getrandbits(40):010x} not yet applied)"
                ),
            ),
        )
    )
    broker = LogFile("kafka-2-server.log", KafkaServer(rng))
    broker.add(traffic(rng, broker_line, START, MINUTES, 1200))
    broker.add(
        [
            at(
                START,
                31.2,
                "INFO",
                "[Partition payments.events-3 broker=2] Shrinking ISR from 2,1,3 to 2,1. Leader: (highWatermark: 1869112, endOffset: 1869120). Out of sync replicas: (brokerId: 3, endOffset: 1869041, lastCaughtUpTimeMs: 1728983352901).",
                logger="kafka.cluster.Partition",
            ),
            at(
                START,
                31.9,
                "INFO",
                "[Partition payments.events-3 broker=2] ISR updated to 2,1,3 and version updated to 57",
                logger="kafka.cluster.Partition",
            ),
        ]
    )
    broker.add(
        loud(
            rng,
            START,
            POISON + 5,
            MINUTES - POISON - 6,
            38,
            fixed(
                "INFO",
                lambda r: (
                    f"[GroupCoordinator 2]: Preparing to rebalance group statements-api in state PreparingRebalance with old generation {r.randrange(300, 340)} (__consumer_offsets-17) (reason: Adding new member statements-api-{r.getrandbits(24):06x} with group instance id None)"
                ),
            ),
        )
    )
    minutes_in = [36, 51]
    snapshots: list[str] = []
    for minute in minutes_in:
        ends = [
            1870000 + partition * 913 + minute * 2100 + rng.randrange(400)
            for partition in range(12)
        ]
        ends[7] = OFFSET + int((minute - POISON) * 60 * 35.1)
        lags = [rng.randrange(0, 60) for _ in range(12)]
        snapshots += consumer_groups(
            (START + timedelta(minutes=minute)).strftime("%H:%M UTC"), lags, ends
        )
    stuck_row = next(
        line
        for line in reversed(snapshots)
        if line.startswith("ledger-sync   payments.events   7 ")
    )
    lag_series = {
        f"lag_partition_{partition}": shift(rng, 14, 14, 0, 0.8) for partition in range(12)
    }
    poison_point = int(POISON * 4)
    lag_series["lag_partition_7"] = shift(
        rng,
        14,
        35.1 * 15 * (MINUTES * 4 - poison_point),
        poison_point + 1,
        0.01,
        ramp=MINUTES * 4 - poison_point,
    )
    return Bundle(
        question="Customers see balances that are 20-30 minutes old and reconciliation is alarming. What broke?",
        category="data",
        component="ledger-sync",
        statement=f"Since 09:14 UTC ledger-sync has been stuck on a record it cannot deserialize (Unknown magic byte) at payments.events partition 7 offset {OFFSET}, retrying it on every poll, so that partition's lag grows without bound and statements-api serves stale balances.",
        files={
            "ledger-sync.log": ledger.render(),
            "statements-api.log": statements.render(),
            "kafka-2-server.log": broker.render(),
            "consumer-groups.txt": "\n".join(snapshots),
            "kafka-exporter-lag.csv": csv_text(START, 15, MINUTES * 4, lag_series, decimals=0),
        },
        proofs=[
            Proof("ledger-sync.log", f"{space_millis(first.time)} ERROR", "Unknown magic byte!"),
            Proof("consumer-groups.txt", stuck_row),
        ],
        decoys=["is stale: last ledger update", "reconciliation mismatch", "Shrinking ISR"],
    )
