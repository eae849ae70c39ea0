# ruff: noqa: E501
# Hand-written Kafka broker and client lines and pasted CLI output are data, kept whole on one line.
"""Kafka, a consumer group's offsets expired while it was stopped: invoice-indexer was scaled to
zero on 21 April for a search cluster move and only restarted on 30 April 09:12 IST. The brokers
keep offsets of an empty group for 7 days (`offsets.retention.minutes=10080`), so on 28 April the
group's offsets were removed. On restart the consumer found no committed offsets and, with
`auto.offset.reset = latest`, jumped to the end: nine days of invoice events were never indexed.
Nothing errors; users report missing invoices in search. Decoys: search cluster yellow, an URP
blip on broker 3, a rebalance on restart."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot
from scenes import at
from traffic import traffic

IST = ZoneInfo("Asia/Kolkata")
BROKER_START = datetime(2026, 4, 27, 6, 0, tzinfo=IST)
BROKER_MINUTES = 4.5 * 24 * 60
RESTART = datetime(2026, 4, 30, 9, 12, tzinfo=IST)


@dataclass
class KafkaLog:
    """Kafka's log4j layout: `[yyyy-MM-dd HH:mm:ss,SSS] LEVEL message (logger)`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        logger = record.logger or "kafka.log.LogManager"
        return [f"[{stamp}] {record.level} {record.message} ({logger})"]


def broker_chatter(rng: random.Random):
    roll = rng.random()
    topic = rng.choice(["invoice-events", "payment-events", "customer-events", "audit-log"])
    part = rng.randrange(12)
    if roll < 0.4:
        return (
            "INFO",
            f"[LocalLog partition={topic}-{part}, dir=/var/lib/kafka/data] Rolled new log segment at offset {rng.randrange(10**6, 9 * 10**6)} in {rng.randrange(1, 9)} ms.",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"[UnifiedLog partition={topic}-{part}, dir=/var/lib/kafka/data] Deleting segment LogSegment(baseOffset={rng.randrange(10**5, 10**6)}, size={rng.randrange(10**8, 10**9)}, lastModifiedTime={rng.randrange(10**12, 2 * 10**12)}, largestRecordTimestamp={rng.randrange(10**12, 2 * 10**12)}) due to log retention time 1209600000ms breach",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"[GroupMetadataManager brokerId=2] Removed 0 expired offsets in {rng.randrange(0, 3)} milliseconds.",
            (),
        )
    return (
        "INFO",
        f"[GroupCoordinator 2]: Member consumer-{rng.choice(['billing-sync', 'audit-sink', 'mailer'])}-1-{rng.getrandbits(32):08x} in group {rng.choice(['billing-sync', 'audit-sink', 'mailer'])} has left, removing it from the group",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(32903)
    broker = LogFile("logs/kafka-2-server.log", KafkaLog(rng))
    broker.add(traffic(rng, broker_chatter, BROKER_START, BROKER_MINUTES, 2600))
    expiry = datetime(2026, 4, 28, 14, 37, tzinfo=IST)
    broker.add(
        [
            at(
                expiry,
                0.0,
                "INFO",
                "[GroupMetadataManager brokerId=2] Group invoice-indexer transitioned to Dead in generation 41",
                logger="kafka.coordinator.group.GroupMetadataManager",
            ),
            at(
                expiry,
                0.01,
                "INFO",
                "[GroupMetadataManager brokerId=2] Removed 12 expired offsets in 4 milliseconds.",
                logger="kafka.coordinator.group.GroupMetadataManager",
            ),
            at(
                BROKER_START,
                300.0,
                "WARN",
                "[ReplicaFetcher replicaId=2, leaderId=3, fetcherId=0] Error in response for fetch request (type=FetchRequest, replicaId=2, maxWait=500, minBytes=1, maxBytes=10485760) org.apache.kafka.common.errors.DisconnectException",
                logger="kafka.server.ReplicaFetcherThread",
            ),
            at(
                BROKER_START,
                301.5,
                "INFO",
                "[Partition payment-events-7 broker=2] ISR updated to 2,3,1 and version updated to 88",
                logger="kafka.cluster.Partition",
            ),
            at(
                RESTART,
                0.3,
                "INFO",
                "[GroupCoordinator 2]: Preparing to rebalance group invoice-indexer in state PreparingRebalance with old generation 0 (__consumer_offsets-17) (reason: Adding new member consumer-invoice-indexer-1-5c0a77e1 with group instance id None)",
                logger="kafka.coordinator.group.GroupCoordinator",
            ),
            at(
                RESTART,
                0.35,
                "INFO",
                "[GroupCoordinator 2]: Stabilized group invoice-indexer generation 1 (__consumer_offsets-17) with 3 members",
                logger="kafka.coordinator.group.GroupCoordinator",
            ),
        ]
    )
    app = LogFile(
        "logs/invoice-indexer.log",
        SpringBoot(
            (
                "c.f.search.indexer.InvoiceIndexer",
                "o.a.k.c.c.internals.ConsumerCoordinator",
                "c.f.search.es.BulkWriter",
            ),
            pid=1,
            rng=rng,
            zone=IST,
        ),
    )

    def indexing(r: random.Random):
        if r.random() < 0.8:
            return (
                "INFO",
                f"indexed batch of {r.randrange(20, 500)} invoices into invoices-v7 in {r.randrange(40, 600)} ms (partition invoice-events-{r.randrange(12)}, lag {r.randrange(0, 40)})",
                (),
            )
        return (
            "DEBUG",
            f"bulk request {r.getrandbits(32):08x} acknowledged took={r.randrange(5, 90)}ms errors=false",
            (),
        )

    app.add(traffic(rng, indexing, RESTART + timedelta(minutes=1), 300.0, 3200))
    ccfg = "o.a.k.clients.consumer.ConsumerConfig"
    coord = "o.a.k.c.c.internals.ConsumerCoordinator"
    lines = [
        at(
            RESTART,
            0.0,
            "INFO",
            "Starting InvoiceIndexerApplication v3.9.1 using Java 21.0.3 with PID 1",
            logger="c.f.search.InvoiceIndexerApplication",
        ),
        at(
            RESTART,
            0.05,
            "INFO",
            "ConsumerConfig values: \n\tallow.auto.create.topics = true\n\tauto.commit.interval.ms = 5000\n\tauto.offset.reset = latest\n\tbootstrap.servers = [kafka-1:9092, kafka-2:9092, kafka-3:9092]\n\tclient.id = consumer-invoice-indexer-1\n\tenable.auto.commit = false\n\tgroup.id = invoice-indexer\n\tmax.poll.records = 500",
            logger=ccfg,
        ),
        at(
            RESTART,
            0.4,
            "INFO",
            "[Consumer clientId=consumer-invoice-indexer-1, groupId=invoice-indexer] Successfully joined group with generation Generation{generationId=1, memberId='consumer-invoice-indexer-1-5c0a77e1', protocol='range'}",
            logger=coord,
        ),
        at(
            RESTART,
            0.5,
            "WARN",
            "cluster search-prod health is YELLOW (1 unassigned replica shard on invoices-v7) after node migration",
            logger="c.f.search.es.BulkWriter",
        ),
    ]
    for p in range(12):
        lines.append(
            at(
                RESTART,
                0.42 + p * 0.001,
                "INFO",
                f"[Consumer clientId=consumer-invoice-indexer-1, groupId=invoice-indexer] Found no committed offset for partition invoice-events-{p}",
                logger=coord,
            )
        )
    for p in range(12):
        lines.append(
            at(
                RESTART,
                0.45 + p * 0.001,
                "INFO",
                f"[Consumer clientId=consumer-invoice-indexer-1, groupId=invoice-indexer] Resetting offset for partition invoice-events-{p} to position FetchPosition{{offset={rng.randrange(5_000_000, 6_000_000)}, offsetEpoch=Optional.empty, currentLeader=LeaderAndEpoch{{leader=Optional[kafka-{p % 3 + 1}:9092 (id: {p % 3 + 1} rack: null)], epoch=14}}}}.",
                logger="o.a.k.c.c.internals.SubscriptionState",
            )
        )
    app.add(lines)
    text = app.render()
    describe = "\n".join(
        [
            "$ kafka-consumer-groups.sh --bootstrap-server kafka-1:9092 --describe --group invoice-indexer | head -5",
            "",
            "GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                                         HOST            CLIENT-ID",
            "invoice-indexer invoice-events  0          5612094         5612101         7               consumer-invoice-indexer-1-5c0a77e1                 /10.31.4.18     consumer-invoice-indexer-1",
            "invoice-indexer invoice-events  1          5577120         5577120         0               consumer-invoice-indexer-1-5c0a77e1                 /10.31.4.18     consumer-invoice-indexer-1",
            "invoice-indexer invoice-events  2          5590412         5590415         3               consumer-invoice-indexer-1-5c0a77e1                 /10.31.4.18     consumer-invoice-indexer-1",
            "$ grep -E 'offsets.retention|log.retention.hours' /etc/kafka/server.properties",
            "offsets.retention.minutes=10080",
            "log.retention.hours=336",
            "$ kubectl -n search get deploy invoice-indexer -o jsonpath='{.metadata.annotations.ops/last-scale}'",
            "2026-04-21T10:05:44+05:30 replicas 3->0 (CHG-2217 search-prod migration); 2026-04-30T09:11:58+05:30 replicas 0->3",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Support escalation SUP-9042 (1 May, 11:00 IST): customers cannot find invoices created between 21 and 30 April in search; newer ones (after 30 Apr 09:15) are found. The invoices exist in billing.",
            "invoice-indexer looks healthy: no errors, lag near 0. Search cluster went yellow after the migration, one replica unassigned.",
            "",
        ]
    )
    return Bundle(
        question="Invoices created between 21 and 30 April are missing from search, but the indexer shows no errors and no lag. What is the root cause?",
        category="configuration",
        component="invoice-indexer",
        statement="invoice-indexer was stopped for nine days, longer than the brokers' 7-day offsets.retention.minutes, so its group's committed offsets were removed on 28 April; on restart it found no committed offsets and auto.offset.reset=latest skipped every invoice event published while it was down.",
        files={
            "notes.txt": notes,
            "kafka-cli.txt": describe,
            "logs/kafka-2-server.log": broker.render(),
            "logs/invoice-indexer.log": text,
        },
        proofs=[
            Proof(
                "logs/kafka-2-server.log",
                "Group invoice-indexer transitioned to Dead",
                "Removed 12 expired offsets",
            ),
            Proof("logs/invoice-indexer.log", "\tauto.offset.reset = latest"),
            Proof(
                "logs/invoice-indexer.log",
                "Found no committed offset for partition invoice-events-0",
            ),
            Proof("logs/invoice-indexer.log", "Resetting offset for partition invoice-events-0 "),
        ],
        decoys=[
            "health is YELLOW",
            "org.apache.kafka.common.errors.DisconnectException",
            "Preparing to rebalance group invoice-indexer",
        ],
    )
