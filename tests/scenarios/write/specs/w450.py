# ruff: noqa: E501
# log4j lines and pasted kafka CLI output are data, kept whole on one line.
"""Kafka: ledger-writer 5.2.0 (deployed 09:12 CET) moved its producer settings into a new
properties file that left out `compression.type=lz4`, so batches go out uncompressed. The
nightly statement events (large JSON documents, ~600-900 KB compressed to ~90 KB before) now
exceed the topic's `max.message.bytes` (1 MB) once batched; the broker rejects them with
RecordTooLargeException and ledger-writer drops them after logging. Statements go missing
downstream. Decoys: an ISR shrink and re-expand on an unrelated topic, a consumer group's lag
warning, a metadata refresh warning."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Log4j
from scenes import at, fixed, loud
from traffic import traffic, worker

START = datetime(2026, 9, 22, 6, 30, tzinfo=UTC)
MINUTES = 240.0
DEPLOY = 42.0  # 07:12 UTC = 09:12 CEST

CONFIG = [
    "ProducerConfig values: ",
    "\tacks = -1",
    "\tbatch.size = 262144",
    "\tbootstrap.servers = [kafka-1.fin.internal:9092, kafka-2.fin.internal:9092, kafka-3.fin.internal:9092]",
    "\tbuffer.memory = 67108864",
    "\tclient.id = ledger-writer-producer-1",
    "\tcompression.type = none",
    "\tdelivery.timeout.ms = 120000",
    "\tenable.idempotence = true",
    "\tlinger.ms = 20",
    "\tmax.in.flight.requests.per.connection = 5",
    "\tmax.request.size = 8388608",
    "\tretries = 2147483647",
]


def bundle() -> Bundle:
    rng = random.Random(45004)
    app = LogFile(
        "ledger-writer/ledger-writer.log",
        Log4j(
            (
                "com.fin.ledger.StatementPublisher",
                "com.fin.ledger.PostingService",
                "com.fin.ledger.kafka.Outbox",
            ),
            "kafka-producer-network-thread",
            rng,
        ),
    )
    app.add(
        traffic(
            rng,
            worker("ledger-writer", ["postings", "statements", "fx-rates"]),
            START,
            MINUTES,
            3800,
        )
    )
    app.add(
        [
            at(
                START,
                DEPLOY,
                "INFO",
                "Starting ledger-writer 5.2.0 (git 7e1c0d2) with profile prod, producer settings from /etc/ledger-writer/producer.properties",
                logger="com.fin.ledger.Application",
            ),
            at(
                START,
                DEPLOY + 0.05,
                "INFO",
                CONFIG[0],
                CONFIG[1:],
                logger="org.apache.kafka.clients.producer.ProducerConfig",
            ),
            at(
                START,
                DEPLOY + 0.07,
                "INFO",
                "[Producer clientId=ledger-writer-producer-1] Instantiated an idempotent producer.",
                logger="org.apache.kafka.clients.producer.KafkaProducer",
            ),
            at(
                START,
                131.0,
                "WARN",
                "[Producer clientId=ledger-writer-producer-1] Got error produce response with correlation id 88213 on topic-partition fx-rates-2, retrying (2147483646 attempts left). Error: NOT_LEADER_OR_FOLLOWER",
                logger="org.apache.kafka.clients.producer.internals.Sender",
            ),
        ]
    )
    app.add(
        loud(
            rng,
            START,
            DEPLOY + 30,
            MINUTES - DEPLOY - 32,
            310,
            fixed(
                "ERROR",
                lambda r: (
                    f"statement event for account {r.randrange(10**7, 10**8)} not published to statements-v2 (partition {r.randrange(12)}): org.apache.kafka.common.errors.RecordTooLargeException: The request included a message larger than the max message size the server will accept."
                ),
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            DEPLOY + 30,
            MINUTES - DEPLOY - 32,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f"outbox batch {r.getrandbits(32):08x}: {r.randrange(3, 40)} of {r.randrange(40, 80)} statement events dropped after send failure, marked FAILED"
                ),
            ),
        )
    )

    broker = LogFile(
        "kafka-2/server.log",
        Log4j(
            (
                "kafka.cluster.Partition",
                "kafka.server.ReplicaFetcherThread",
                "kafka.log.LogCleaner",
            ),
            "data-plane-kafka-request-handler",
            rng,
        ),
    )

    def broker_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        roll = r.random()
        if roll < 0.5:
            return (
                "INFO",
                f"[LocalLog partition=postings-{r.randrange(24)}, dir=/var/lib/kafka/data] Rolled new log segment at offset {r.randrange(10**8)} in {r.randrange(1, 9)} ms.",
                (),
            )
        if roll < 0.8:
            return (
                "INFO",
                f"[UnifiedLog partition=__consumer_offsets-{r.randrange(50)}, dir=/var/lib/kafka/data] Incremented log start offset to {r.randrange(10**7)} due to segment deletion",
                (),
            )
        return (
            "INFO",
            f"[GroupCoordinator 2]: Member consumer-statements-{r.randrange(1, 9)} in group statement-renderer has left, removing it from the group",
            (),
        )

    broker.add(traffic(rng, broker_line, START, MINUTES, 1500))
    broker.add(
        [
            at(
                START,
                77.3,
                "INFO",
                "[Partition audit-trail-7 broker=2] Shrinking ISR from 2,3,1 to 2,1. Leader: (highWatermark: 9182211, endOffset: 9182290). Out of sync replicas: (brokerId: 3, endOffset: 9182211, lastCaughtUpTimeMs: 1790062561200).",
                logger="kafka.cluster.Partition",
            ),
            at(
                START,
                77.9,
                "INFO",
                "[Partition audit-trail-7 broker=2] ISR updated to 2,3,1 and version updated to 48",
                logger="kafka.cluster.Partition",
            ),
        ]
    )

    cli = "\n".join(
        [
            "$ kafka-configs.sh --bootstrap-server kafka-1.fin.internal:9092 --entity-type topics --entity-name statements-v2 --describe --all | grep -E 'max.message.bytes|compression.type'",
            "  compression.type=producer sensitive=false synonyms={DEFAULT_CONFIG:compression.type=producer}",
            "  max.message.bytes=1048588 sensitive=false synonyms={DEFAULT_CONFIG:message.max.bytes=1048588}",
            "",
            "$ kafka-consumer-groups.sh --bootstrap-server kafka-1.fin.internal:9092 --describe --group fx-rate-cache | tail -n +2 | head -4",
            "GROUP          TOPIC     PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG   CONSUMER-ID                                   HOST          CLIENT-ID",
            "fx-rate-cache  fx-rates  0          9921812         9930117         8305  fx-rate-cache-1-4d1f2a0e-77c1-4f0b-9a2e-1b3c  /10.80.3.41   fx-rate-cache-1",
            "fx-rate-cache  fx-rates  1          9918120         9918133         13    fx-rate-cache-1-4d1f2a0e-77c1-4f0b-9a2e-1b3c  /10.80.3.41   fx-rate-cache-1",
            "",
            "$ diff <(git show v5.1.4:deploy/application-prod.yml | grep -A8 'kafka.producer') <(cat deploy/producer.properties)",
            "< kafka.producer.compression-type: lz4",
            "< kafka.producer.acks: all",
            "< kafka.producer.batch-size: 262144",
            "---",
            "> acks=all",
            "> batch.size=262144",
            "> linger.ms=20",
            "> max.request.size=8388608",
            "",
        ]
    )
    return Bundle(
        question="Customers' monthly statements stopped arriving this morning (CEST); statement-renderer sees far fewer events than usual on statements-v2. What is the root cause?",
        category="configuration",
        component="ledger-writer",
        statement="ledger-writer 5.2.0 moved its producer settings to producer.properties without compression.type=lz4, so statement batches are sent uncompressed and exceed statements-v2's max.message.bytes (1 MB); the broker rejects them with RecordTooLargeException and the events are dropped.",
        files={
            "ledger-writer/ledger-writer.log": app.render(),
            "kafka-2/server.log": broker.render(),
            "kafka-cli.txt": cli,
        },
        proofs=[
            Proof("ledger-writer/ledger-writer.log", "\tcompression.type = none"),
            Proof("kafka-cli.txt", "< kafka.producer.compression-type: lz4"),
        ],
        decoys=[
            "Shrinking ISR from 2,3,1 to 2,1",
            "fx-rate-cache  fx-rates  0",
            "NOT_LEADER_OR_FOLLOWER",
        ],
    )
