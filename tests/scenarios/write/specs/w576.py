# ruff: noqa: E501
# Kafka log4j lines, consumer logback lines and pasted shell output are data, kept whole on one line.
"""Kafka, an offsets partition no longer compacted: three weeks ago kafka-3's log cleaner hit
a segment of __consumer_offsets-17 with more records than its dedupe buffer (the default
128 MB shared by 4 cleaner threads) can map and marked the partition uncleanable; since then
the partition has grown to 61 GB. At today's rolling patch (02:10 UTC) kafka-3 became
coordinator for partition 17 again and has to replay all of it: for 27 minutes every group
that hashes there (billing-events, ledger-projector) gets COORDINATOR_LOAD_IN_PROGRESS and
consumes nothing. Decoys: ISR shrinks and NOT_LEADER_OR_FOLLOWER retries expected during the
restart, a disk usage warning on kafka-3, and another group's routine rebalance."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot, space_millis
from scenes import at, fixed, java_trace, loud
from traffic import traffic, worker

START = datetime(2026, 5, 20, 1, 30, tzinfo=UTC)
MINUTES = 100.0
RESTART = 40.0  # 02:10
LOADED = RESTART + 4.0 + 27.1


@dataclass
class KafkaLog:
    """Kafka's log4j layout: `[%d] %p %m (%c)%n`."""

    def render(self, record: Record) -> list[str]:
        logger = record.logger or "kafka.server.ReplicaFetcherThread"
        return [
            f"[{space_millis(record.time, ',')}] {record.level} {record.message} ({logger})",
            *record.trailer,
        ]


def broker_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    topic = rng.choice(
        ["payments.v2", "invoices", "ledger.entries", "audit.trail", "billing.usage"]
    )
    if roll < 0.35:
        return (
            "INFO",
            f"[ProducerStateManager partition={topic}-{rng.randrange(24)}] Wrote producer snapshot at offset {rng.randrange(10**6, 10**8)} with 0 producer ids in {rng.randrange(1, 9)} ms.",
            (),
        )
    if roll < 0.65:
        return (
            "INFO",
            f"[LocalLog partition={topic}-{rng.randrange(24)}, dir=/var/lib/kafka/data] Rolled new log segment at offset {rng.randrange(10**6, 10**8)} in {rng.randrange(1, 6)} ms.",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"[UnifiedLog partition={topic}-{rng.randrange(24)}, dir=/var/lib/kafka/data] Deleting segment LogSegment(baseOffset={rng.randrange(10**5, 10**7)}, size=1073741{rng.randrange(100, 999)}, lastModifiedTime={rng.randrange(1778000000000, 1779000000000)}, largestRecordTimestamp=None) due to log retention time 604800000ms breach based on the largest record timestamp in the segment",
            (),
        )
    return (
        "INFO",
        f"[GroupCoordinator 3]: Member consumer-{rng.choice(['search-indexer', 'notifier'])}-{rng.randrange(1, 9)}-{rng.getrandbits(48):012x} in group {rng.choice(['search-indexer', 'notifier'])} has left, removing it from the group",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(57604)
    cleaner = LogFile("kafka-3/log-cleaner.log", KafkaLog())
    cleaner.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[kafka-log-cleaner-thread-{r.randrange(4)}]: Log cleaner thread {r.randrange(4)} cleaned log __consumer_offsets-{r.choice([3, 9, 22, 31, 40, 44])} (dirty section = [{r.randrange(10**6, 10**7)}, {r.randrange(10**7, 2 * 10**7)}])",
                (),
            ),
            datetime(2026, 4, 27, 0, 0, tzinfo=UTC),
            23 * 24 * 60.0,
            1400,
        )
    )
    cleaner.add(
        [
            Record(
                datetime(2026, 4, 28, 22, 41, 3, 118000, tzinfo=UTC),
                "WARN",
                "[kafka-log-cleaner-thread-2]: Unexpected exception thrown when cleaning log Log(dir=/var/lib/kafka/data/__consumer_offsets-17, topicId=Q0p1rW3sTk6yX9vB2nL5cA, topic=__consumer_offsets, partition=17, highWatermark=418226350, lastStableOffset=418226350, logStartOffset=0, logEndOffset=418226351). Marking its partition (__consumer_offsets-17) as uncleanable",
                tuple(
                    java_trace(
                        "java.lang.IllegalArgumentException: requirement failed: 1391044 messages in segment __consumer_offsets-17/00000000000401187312.log but offset map can fit only 1006632. You can increase log.cleaner.dedupe.buffer.size or decrease log.cleaner.threads",
                        [
                            "scala.Predef$.require(Predef.scala:337)",
                            "kafka.log.Cleaner.$anonfun$buildOffsetMap$1(LogCleaner.scala:1044)",
                            "kafka.log.Cleaner.buildOffsetMap(LogCleaner.scala:1041)",
                            "kafka.log.Cleaner.doClean(LogCleaner.scala:538)",
                            "kafka.log.Cleaner.clean(LogCleaner.scala:512)",
                            "kafka.log.LogCleaner$CleanerThread.cleanLog(LogCleaner.scala:380)",
                            "kafka.log.LogCleaner$CleanerThread.cleanFilthiestLog(LogCleaner.scala:352)",
                        ],
                    )
                ),
                "kafka.log.LogCleaner",
            )
        ]
    )
    server = LogFile("kafka-3/server.log", KafkaLog())
    server.add(traffic(rng, broker_line, START, MINUTES, 2400))
    server.add(
        [
            at(
                START,
                RESTART,
                "INFO",
                "[KafkaServer id=3] shutting down",
                logger="kafka.server.KafkaServer",
            ),
            at(
                START,
                RESTART + 1.2,
                "INFO",
                "[KafkaServer id=3] shut down completed",
                logger="kafka.server.KafkaServer",
            ),
            at(
                START,
                RESTART + 3.1,
                "INFO",
                "[KafkaServer id=3] started",
                logger="kafka.server.KafkaServer",
            ),
            at(
                START,
                RESTART + 3.6,
                "INFO",
                "[Partition payments.v2-4 broker=1] Shrinking ISR from 1,3,5 to 1,5. Leader: (highWatermark: 88123004, endOffset: 88123112). Out of sync replicas: (brokerId: 3, endOffset: 88121940).",
                logger="kafka.cluster.Partition",
            ),
            at(
                START,
                RESTART + 4.0,
                "INFO",
                "[GroupMetadataManager brokerId=3] Scheduling loading of offsets and group metadata from __consumer_offsets-17 for epoch 58",
                logger="kafka.coordinator.group.GroupMetadataManager",
            ),
            at(
                START,
                RESTART + 4.2,
                "INFO",
                "[GroupMetadataManager brokerId=3] Finished loading offsets and group metadata from __consumer_offsets-9 in 311 milliseconds for epoch 58, of which 2 milliseconds was spent in the scheduler.",
                logger="kafka.coordinator.group.GroupMetadataManager",
            ),
            at(
                START,
                RESTART + 4.3,
                "INFO",
                "[GroupMetadataManager brokerId=3] Finished loading offsets and group metadata from __consumer_offsets-31 in 402 milliseconds for epoch 58, of which 1 milliseconds was spent in the scheduler.",
                logger="kafka.coordinator.group.GroupMetadataManager",
            ),
            at(
                START,
                LOADED,
                "INFO",
                "[GroupMetadataManager brokerId=3] Finished loading offsets and group metadata from __consumer_offsets-17 in 1626448 milliseconds for epoch 58, of which 3 milliseconds was spent in the scheduler.",
                logger="kafka.coordinator.group.GroupMetadataManager",
            ),
            at(
                START,
                20.0,
                "INFO",
                "[GroupCoordinator 3]: Preparing to rebalance group search-indexer in state PreparingRebalance with old generation 211 (__consumer_offsets-22) (reason: Adding new member consumer-search-indexer-3-7a1f)",
                logger="kafka.coordinator.group.GroupCoordinator",
            ),
        ]
    )
    billing = LogFile(
        "billing-events/billing-events.log",
        SpringBoot(
            (
                "c.n.billing.ingest.UsageListener",
                "o.a.k.clients.consumer.internals.ConsumerCoordinator",
                "o.a.k.clients.producer.internals.Sender",
            ),
            pid=1,
            rng=rng,
        ),
    )
    billing.add(
        traffic(
            rng, worker("billing-events", ["billing.usage", "invoices"]), START, RESTART + 3.5, 1700
        )
    )
    billing.add(
        traffic(
            rng,
            worker("billing-events", ["billing.usage", "invoices"]),
            START + timedelta(minutes=LOADED + 0.5),
            MINUTES - LOADED - 0.5,
            900,
        )
    )
    billing.add(
        [
            at(
                START,
                RESTART + 0.5,
                "WARN",
                "[Producer clientId=billing-events-dlq] Got error produce response with correlation id 88121 on topic-partition billing.dlq-2, retrying (2147483646 attempts left). Error: NOT_LEADER_OR_FOLLOWER",
                logger="o.a.k.clients.producer.internals.Sender",
            )
        ]
    )
    billing.add(
        loud(
            rng,
            START,
            RESTART + 4.1,
            LOADED - RESTART - 4.2,
            420,
            fixed(
                "WARN",
                lambda r: (
                    f"[Consumer clientId=consumer-billing-events-{r.randrange(1, 7)}, groupId=billing-events] {r.choice(['JoinGroup failed: The coordinator is loading and hence can' + chr(39) + 't process requests. Need to re-join the group. Sent generation was Generation{generationId=-1, memberId=' + chr(39) + chr(39) + ', protocol=' + chr(39) + 'null' + chr(39) + '}', 'Offset commit failed on partition billing.usage-' + str(r.randrange(12)) + ' at offset ' + str(r.randrange(10**6, 10**7)) + ': The coordinator is loading and hence can' + chr(39) + 't process requests.'])}"
                ),
            ),
        )
    )
    for row in billing.records:
        if "coordinator is loading" in row.message:
            object.__setattr__(
                row, "logger", "o.a.k.clients.consumer.internals.ConsumerCoordinator"
            )
    shell = "\n".join(
        [
            "[ops@kafka-3 ~]$ du -sh /var/lib/kafka/data/__consumer_offsets-* | sort -h | tail -5",
            "24M\t/var/lib/kafka/data/__consumer_offsets-40",
            "26M\t/var/lib/kafka/data/__consumer_offsets-22",
            "31M\t/var/lib/kafka/data/__consumer_offsets-9",
            "33M\t/var/lib/kafka/data/__consumer_offsets-31",
            "61G\t/var/lib/kafka/data/__consumer_offsets-17",
            "[ops@kafka-3 ~]$ df -h /var/lib/kafka",
            "Filesystem      Size  Used Avail Use% Mounted on",
            "/dev/nvme1n1    1.8T  1.5T  336G  81% /var/lib/kafka",
            "[ops@kafka-3 ~]$ grep -E 'log.cleaner' /etc/kafka/server.properties",
            "log.cleaner.threads=4",
            "log.cleaner.enable=true",
            "[ops@kafka-3 ~]$ kafka-consumer-groups.sh --bootstrap-server kafka-3:9092 --describe --group billing-events --state",
            "",
            "Error: Executing consumer group command failed due to org.apache.kafka.common.errors.CoordinatorLoadInProgressException: The coordinator is loading and hence can't process requests.",
            "[ops@kafka-3 ~]$ kafka-consumer-groups.sh --bootstrap-server kafka-3:9092 --describe --group notifier --state",
            "",
            "GROUP           COORDINATOR (ID)          ASSIGNMENT-STRATEGY  STATE           #MEMBERS",
            "notifier        kafka-3:9092 (3)          cooperative-sticky   Stable          6",
            "",
        ]
    )
    return Bundle(
        question="During the rolling patch of the Kafka brokers this morning, billing-events consumed nothing from about 02:14 to 02:41 UTC and built up a large lag, while other consumer groups recovered at once. What is the root cause?",
        category="configuration",
        component="kafka-3",
        statement="Since 28 April kafka-3 has stopped compacting __consumer_offsets-17 (one segment held more records than the default dedupe buffer, split over 4 compaction threads, can map), so that offsets partition grew to 61 GB; after the 02:10 restart kafka-3 needed 27 minutes to load it as coordinator, and the groups hashed to it got COORDINATOR_LOAD_IN_PROGRESS.",
        files={
            "kafka-3/server.log": server.render(),
            "kafka-3/log-cleaner.log": cleaner.render(),
            "kafka-3/shell-session.txt": shell,
            "billing-events/billing-events.log": billing.render(),
        },
        proofs=[
            Proof(
                "kafka-3/log-cleaner.log",
                "Marking its partition (__consumer_offsets-17) as uncleanable",
                "offset map can fit only 1006632",
            ),
            Proof("kafka-3/shell-session.txt", "61G\t/var/lib/kafka/data/__consumer_offsets-17"),
            Proof("kafka-3/server.log", "__consumer_offsets-17 in 1626448 milliseconds"),
        ],
        decoys=[
            "Shrinking ISR from 1,3,5 to 1,5",
            "NOT_LEADER_OR_FOLLOWER",
            "1.8T  1.5T  336G  81% /var/lib/kafka",
            "Preparing to rebalance group search-indexer",
        ],
    )
