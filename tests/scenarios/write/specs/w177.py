# ruff: noqa: E501
# Hand-written log lines, the consumer config dump and series definitions are data, kept whole on one line.
"""Kafka: ledger-projector 2.9.0 (rolled out 10:06 UTC) sets `max.poll.interval.ms = 30000`
(the Java client's default is 300000) to "detect stuck consumers faster", while a poll of up to
500 records still takes 35-50 s to upsert into Postgres. From 10:07:40 the consumers' heartbeat
threads leave the group on poll timeout, the coordinator on kafka-2 rebalances group
ledger-projector every minute or so, commits fail with CommitFailedException, the same batches
are reprocessed and the lag on ledger-postings climbs from a few hundred to 180k; ledger-api
serves stale balances (loud). Decoys: an ISR shrink/expand on audit-events-3 on kafka-2, the
projector database's `checkpoints are occurring too frequently` hint, and ledger-api's stale
balance warnings."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import JsonLines, Postgres, Record, space_millis
from scenes import at, fixed, loud
from traffic import Line, database_server, traffic, web_api

START = datetime(2025, 3, 18, 9, 40, tzinfo=UTC)
DEPLOY = datetime(2025, 3, 18, 10, 6, 41, 118000, tzinfo=UTC)
FIRST = datetime(2025, 3, 18, 10, 7, 40, 502000, tzinfo=UTC)
END = datetime(2025, 3, 18, 10, 58, tzinfo=UTC)
GROUP = "ledger-projector"
CLIENT = "consumer-ledger-projector-1"

CONFIG = [
    "\tallow.auto.create.topics = false",
    "\tauto.commit.interval.ms = 5000",
    "\tauto.offset.reset = earliest",
    "\tbootstrap.servers = [kafka-1.data.svc:9092, kafka-2.data.svc:9092, kafka-3.data.svc:9092]",
    "\tcheck.crcs = true",
    "\tclient.dns.lookup = use_all_dns_ips",
    f"\tclient.id = {CLIENT}",
    "\tconnections.max.idle.ms = 540000",
    "\tenable.auto.commit = false",
    "\tfetch.max.bytes = 52428800",
    "\tfetch.max.wait.ms = 500",
    "\tfetch.min.bytes = 1",
    f"\tgroup.id = {GROUP}",
    "\tgroup.instance.id = null",
    "\theartbeat.interval.ms = 3000",
    "\tisolation.level = read_committed",
    "\tkey.deserializer = class org.apache.kafka.common.serialization.StringDeserializer",
    "\tmax.partition.fetch.bytes = 1048576",
    "\tmax.poll.interval.ms = 30000",
    "\tmax.poll.records = 500",
    "\tpartition.assignment.strategy = [class org.apache.kafka.clients.consumer.RangeAssignor, class org.apache.kafka.clients.consumer.CooperativeStickyAssignor]",
    "\trequest.timeout.ms = 30000",
    "\tretry.backoff.ms = 100",
    "\tsecurity.protocol = SASL_SSL",
    "\tsession.timeout.ms = 45000",
    "\tvalue.deserializer = class io.confluent.kafka.serializers.KafkaAvroDeserializer",
]


@dataclass
class SpringKafka:
    """Spring Boot's logback console pattern with the threads a Spring Kafka consumer logs from."""

    loggers: tuple[str, ...]
    rng: random.Random

    def render(self, record: Record) -> list[str]:
        logger = record.logger or self.rng.choice(self.loggers)
        if "poll timeout has expired" in record.message:
            thread = "kafka-coordinator-heartbeat-thread | ledger-projector"
        elif logger.endswith(
            ("Application", "AppInfoParser", "ConsumerConfig", "LifecycleProcessor")
        ):
            thread = "main"
        else:
            thread = f"ntainer#0-0-C-{self.rng.randrange(1, 4)}"
        level = record.level.replace("WARN", "WARN ").replace("INFO", "INFO ")
        head = f"{space_millis(record.time)} {level:5} 1 --- [{thread[-15:]:>15}] {logger:<40} : "
        return [head + record.message, *record.trailer]


@dataclass
class KafkaServer:
    """Kafka broker's server.log: `[2025-03-18 10:00:00,123] INFO message (logger)`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"[{stamp}] {record.level} {record.message} ({record.logger})"]


def broker_line(rng: random.Random) -> tuple[str, str, str]:
    topic = rng.choice(["ledger-postings", "payments-events", "audit-events", "notifications"])
    partition = rng.randrange(12)
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f"[LocalLog partition={topic}-{partition}, dir=/var/lib/kafka/data] Rolled new log segment at offset {rng.randrange(10**6, 10**8)} in {rng.randrange(1, 9)} ms.",
            "kafka.log.LocalLog",
        )
    if roll < 0.6:
        return (
            "INFO",
            f"[ProducerStateManager partition={topic}-{partition}] Wrote producer snapshot at offset {rng.randrange(10**6, 10**8)} with {rng.randrange(0, 8)} producer ids in {rng.randrange(1, 12)} ms.",
            "kafka.log.ProducerStateManager",
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[UnifiedLog partition={topic}-{partition}, dir=/var/lib/kafka/data] Deleting segment files LogSegment(baseOffset={rng.randrange(10**6)}, size={rng.randrange(10**8, 10**9)}, lastModifiedTime={rng.randrange(1742200000000, 1742280000000)}, largestRecordTimestamp=Some({rng.randrange(1742200000000, 1742280000000)}))",
            "kafka.log.LocalLog$",
        )
    if roll < 0.95:
        return (
            "INFO",
            f"[GroupMetadataManager brokerId=2] Removed {rng.randrange(0, 4)} expired offsets in {rng.randrange(0, 3)} milliseconds.",
            "kafka.coordinator.group.GroupMetadataManager",
        )
    return (
        "INFO",
        f"[GroupCoordinator 2]: Member consumer-notifier-{rng.randrange(1, 4)}-{rng.getrandbits(32):08x} in group notifier has left, removing it from the group (reason: the consumer is being closed)",
        "kafka.coordinator.group.GroupCoordinator",
    )


def broker_records(rng: random.Random, start: datetime, minutes: float, count: int) -> list[Record]:
    records = []
    for record in traffic(rng, lambda r: ("INFO", "", ()), start, minutes, count):
        level, message, logger = broker_line(rng)
        records.append(Record(record.time, level, message, (), logger))
    return records


def projector_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"projected batch partition=ledger-postings-{rng.randrange(12)} records={rng.randrange(40, 500)} lastOffset={rng.randrange(10**7, 2 * 10**7)} took={rng.randrange(800, 9000)}ms",
            (),
        )
    if roll < 0.85:
        return (
            "DEBUG",
            f"upserted account_balance account={rng.randrange(10**8):08d} version={rng.randrange(1, 900)}",
            (),
        )
    return "INFO", f"committed offsets for {rng.randrange(1, 4)} partitions", ()


def bundle() -> Bundle:
    rng = random.Random(1177)
    total = (END - START).total_seconds() / 60
    deploy = (DEPLOY - START).total_seconds() / 60
    first = (FIRST - START).total_seconds() / 60
    kafka_logger = "o.a.k.c.c.internals.ConsumerCoordinator"
    prefix = f"[Consumer clientId={CLIENT}, groupId={GROUP}]"

    projector = LogFile(
        "logs/ledger-projector-0.log",
        SpringKafka(
            ("c.n.ledger.projector.BatchProjector", "c.n.ledger.projector.OffsetManager"), rng=rng
        ),
    )
    projector.add(traffic(rng, projector_line, START, deploy - 0.4, 1500))
    projector.add(
        [
            at(
                START,
                deploy - 0.3,
                "INFO",
                "Shutdown phase 2147482623 ends",
                logger="o.s.c.s.DefaultLifecycleProcessor",
            ),
            at(
                START,
                deploy - 0.05,
                "INFO",
                "Starting LedgerProjectorApplication v2.9.0 using Java 21.0.2 with PID 1",
                logger="c.n.ledger.LedgerProjectorApplication",
            ),
            Record(
                DEPLOY,
                "INFO",
                "ConsumerConfig values: ",
                tuple(CONFIG),
                "o.a.k.clients.consumer.ConsumerConfig",
            ),
            at(
                START,
                deploy + 0.01,
                "INFO",
                "Kafka version: 3.7.0",
                logger="o.a.kafka.common.utils.AppInfoParser",
            ),
            at(
                START,
                deploy + 0.03,
                "INFO",
                f"{prefix} Subscribed to topic(s): ledger-postings",
                logger="o.a.k.c.c.internals.LegacyKafkaConsumer",
            ),
            at(
                START,
                deploy + 0.1,
                "INFO",
                f"{prefix} Successfully joined group with generation Generation{{generationId=412, memberId='{CLIENT}-3f1c9a2e-5b7d-4e18-9a61-0c2b7d4e8f13', protocol='range'}}",
                logger=kafka_logger,
            ),
            at(
                START,
                deploy + 0.12,
                "INFO",
                f"{prefix} Adding newly assigned partitions: ledger-postings-0, ledger-postings-1, ledger-postings-2, ledger-postings-3",
                logger=kafka_logger,
            ),
            at(
                START,
                deploy + 0.2,
                "INFO",
                "Started LedgerProjectorApplication in 7.912 seconds (process running for 8.604)",
                logger="c.n.ledger.LedgerProjectorApplication",
            ),
        ]
    )
    after = total - deploy - 0.3
    projector.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"projected batch partition=ledger-postings-{r.randrange(4)} records=500 lastOffset={r.randrange(10**7, 2 * 10**7)} took={r.randrange(34000, 52000)}ms",
                (),
            ),
            DEPLOY + timedelta(seconds=20),
            after,
            160,
        )
    )
    projector.add(traffic(rng, projector_line, DEPLOY + timedelta(seconds=20), after, 500))
    generation = [413]

    def leave(r: random.Random) -> Line:
        return (
            "WARN",
            f"{prefix} consumer poll timeout has expired. This means the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is spending too much time processing messages. You can address this either by increasing max.poll.interval.ms or by reducing the maximum size of batches returned in poll() with max.poll.records.",
            (),
        )

    def commit_failed(r: random.Random) -> Line:
        return (
            "ERROR",
            f"offset commit failed for batch ending at offset {r.randrange(10**7, 2 * 10**7)}, batch will be redelivered",
            (
                "org.apache.kafka.clients.consumer.CommitFailedException: Offset commit cannot be completed since the consumer is not part of an active group for auto partition assignment; it is likely that the consumer was kicked out of the group.",
                "\tat org.apache.kafka.clients.consumer.internals.ConsumerCoordinator.sendOffsetCommitRequest(ConsumerCoordinator.java:1351)",
                "\tat org.apache.kafka.clients.consumer.internals.ConsumerCoordinator.commitOffsetsSync(ConsumerCoordinator.java:1173)",
                "\tat org.apache.kafka.clients.consumer.internals.LegacyKafkaConsumer.commitSync(LegacyKafkaConsumer.java:830)",
                "\tat org.apache.kafka.clients.consumer.KafkaConsumer.commitSync(KafkaConsumer.java:1024)",
                "\tat com.northwind.ledger.projector.OffsetManager.commit(OffsetManager.java:58)",
                "\tat com.northwind.ledger.projector.BatchProjector.run(BatchProjector.java:117)",
            ),
        )

    def rejoin(r: random.Random) -> Line:
        generation[0] += 1
        return (
            "INFO",
            f"{prefix} Successfully joined group with generation Generation{{generationId={generation[0]}, memberId='{CLIENT}-{r.getrandbits(32):08x}-{r.getrandbits(16):04x}-4{r.getrandbits(12):03x}-{r.getrandbits(16):04x}-{r.getrandbits(48):012x}', protocol='range'}}",
            (),
        )

    def revoke(r: random.Random) -> Line:
        return (
            "INFO",
            f"{prefix} Revoke previously assigned partitions ledger-postings-{r.randrange(4)}, ledger-postings-{r.randrange(4, 8)}",
            (),
        )

    projector.add(
        [Record(FIRST, "WARN", leave(rng)[1], (), "o.a.k.c.c.internals.ConsumerCoordinator")]
    )
    for maker, count in ((leave, 44), (commit_failed, 52), (rejoin, 46), (revoke, 46)):
        projector.add(
            [
                Record(
                    r.time,
                    r.level,
                    r.message,
                    r.trailer,
                    kafka_logger
                    if maker is not commit_failed
                    else "c.n.ledger.projector.OffsetManager",
                )
                for r in loud(rng, START, first + 0.5, total - first - 1, count, maker)
            ]
        )

    broker = LogFile("logs/kafka-2-server.log", KafkaServer())
    broker.add(broker_records(rng, START, total, 1300))
    gen = 412
    time = FIRST + timedelta(milliseconds=240)
    coordinator = "kafka.coordinator.group.GroupCoordinator"
    while time < END - timedelta(seconds=30):
        member = f"consumer-ledger-projector-{rng.randrange(1, 4)}-{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}"
        broker.add(
            [
                Record(
                    time,
                    "INFO",
                    f"[GroupCoordinator 2]: Preparing to rebalance group {GROUP} in state PreparingRebalance with old generation {gen} (__consumer_offsets-17) (reason: Removing member {member} on LeaveGroup; client reason: consumer poll timeout has expired.)",
                    (),
                    coordinator,
                ),
                Record(
                    time + timedelta(seconds=rng.uniform(3, 9)),
                    "INFO",
                    f"[GroupCoordinator 2]: Stabilized group {GROUP} generation {gen + 1} (__consumer_offsets-17) with {rng.choice([2, 3, 3])} members",
                    (),
                    coordinator,
                ),
                Record(
                    time + timedelta(seconds=rng.uniform(9, 11)),
                    "INFO",
                    f"[GroupCoordinator 2]: Assignment received from leader consumer-ledger-projector-1 for group {GROUP} for generation {gen + 1}. The group has {rng.choice([2, 3])} members, 0 of which are static.",
                    (),
                    coordinator,
                ),
            ]
        )
        gen += 1
        time += timedelta(seconds=rng.uniform(25, 70))
    isr = START + timedelta(minutes=47, seconds=12, milliseconds=611)
    broker.add(
        [
            Record(
                isr,
                "INFO",
                "[Partition audit-events-3 broker=2] Shrinking ISR from 2,1,3 to 2,3. Leader: (highWatermark: 88120412, endOffset: 88121877). Out of sync replicas: (brokerId: 1, endOffset: 88120412, lastCaughtUpTimeMs: 1742292397120).",
                (),
                "kafka.cluster.Partition",
            ),
            Record(
                isr + timedelta(seconds=19),
                "INFO",
                "[Partition audit-events-3 broker=2] ISR updated to 2,3 and version updated to 212",
                (),
                "kafka.cluster.Partition",
            ),
            Record(
                isr + timedelta(seconds=41),
                "INFO",
                "[Partition audit-events-3 broker=2] Expanding ISR from 2,3 to 2,3,1",
                (),
                "kafka.cluster.Partition",
            ),
        ]
    )

    api = LogFile("logs/ledger-api.log", JsonLines("ledger-api", rng=rng))
    api.add(
        traffic(
            rng, web_api("ledger-api", ["balances", "accounts", "statements"]), START, total, 2100
        )
    )
    api.add(
        loud(
            rng,
            START,
            first + 4,
            total - first - 5,
            380,
            fixed(
                "WARN",
                lambda r: (
                    f"stale balance for account {r.randrange(10**8):08d}: projection lags postings by {r.randrange(90, 2400)}s, serving snapshot version {r.randrange(1, 900)}"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            first + 9,
            total - first - 10,
            160,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /api/v1/transfers 409 insufficient_funds computed from stale balance account={r.randrange(10**8):08d} {r.randrange(20, 90)}ms"
                ),
            ),
        )
    )

    pg = LogFile("logs/postgresql-ledger-db.log", Postgres(rng=rng))
    pg.add(traffic(rng, database_server(), START, total, 900))
    for minute in (12.4, 29.7, 44.2, 61.8, 73.1):
        pg.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"checkpoints are occurring too frequently ({rng.randrange(18, 29)} seconds apart)",
                )
            ]
        )

    points = int(total * 2)
    deploy_index = int(deploy * 2) + 2
    metrics = csv_text(
        START,
        30,
        points,
        {
            "kafka_consumergroup_lag_ledger_projector": shift(
                rng, 320, 180000, deploy_index, 0.08, ramp=points - deploy_index
            ),
            "kafka_consumergroup_members_ledger_projector": shift(rng, 3, 2.3, deploy_index, 0.15),
            "kafka_consumergroup_lag_notifier": steady(rng, 140, 0.3),
            "ledger_postings_in_per_s": steady(rng, 210, 0.06),
            "ledger_db_write_latency_ms": steady(rng, 68, 0.1),
            "ledger_api_stale_reads_per_s": shift(rng, 0.05, 7.5, deploy_index + 8, 0.2, ramp=20),
            "kafka_2_under_replicated_partitions": steady(rng, 0.01, 0.1),
        },
    )
    notes = "\n".join(
        [
            "ledger incident - handover 10:58 UTC",
            "",
            "- Customers report balances several minutes behind; transfers rejected with insufficient funds.",
            "- ledger-api is healthy (p99 90 ms), but its stale-balance warnings started ~10:12.",
            "- Lag on ledger-postings for group ledger-projector keeps growing, see metrics.csv.",
            "- kafka-2 had an ISR shrink on audit-events-3 around 10:27; platform says broker 1 had a GC pause.",
            "- ledger-db logs checkpoint warnings (they have been there since the January resize).",
            "- Deploys today: ledger-projector 2.9.0 at 10:06 (changelog: 'faster stuck-consumer detection', dependency bumps).",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "metrics.csv": metrics,
        "logs/ledger-projector-0.log": projector.render(),
        "logs/kafka-2-server.log": broker.render(),
        "logs/ledger-api.log": api.render(),
        "logs/postgresql-ledger-db.log": pg.render(),
    }
    return Bundle(
        question="Balances in the app are minutes behind since about 10:10 UTC and the ledger-postings lag keeps growing. What is the root cause?",
        category="configuration",
        component="ledger-projector",
        statement="ledger-projector 2.9.0, rolled out at 10:06 UTC, runs with max.poll.interval.ms = 30000 while a 500-record batch takes 35-50 s to project, so from 10:07:40 its consumers are dropped from group ledger-projector on poll timeout, the group rebalances every minute, commits fail and the lag grows.",
        files=files,
        proofs=[
            Proof("logs/ledger-projector-0.log", "\tmax.poll.interval.ms = 30000"),
            Proof("logs/ledger-projector-0.log", "10:07:40.502"),
        ],
        decoys=[
            "Shrinking ISR from 2,1,3 to 2,3",
            "checkpoints are occurring too frequently",
            "stale balance for account",
        ],
    )
