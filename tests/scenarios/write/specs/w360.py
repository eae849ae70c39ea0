# ruff: noqa: E501
# Hand-written Kafka broker, client and ops lines are data, kept whole on one line.
"""Kafka, a replaced broker advertising localhost to clients: at 10:04 JST (+09:00) kafka-3 is
replaced by a new instance whose server.properties came from a test template:
`advertised.listeners=INTERNAL://kafka-3.data.internal:9093,CLIENT://localhost:9092`.
Replication over INTERNAL works and the broker takes back its preferred leaderships at 10:11,
but clients are told to reach broker 3 at localhost:9092: producers and consumers cannot reach
the leaders of the partitions kafka-3 leads, batches expire and a third of the orders
partitions stall. Loud: order-service's "Connection to node 3 (localhost/127.0.0.1:9092)" and
expiring batches. Decoys: the expected ISR shrink during the replacement, a consumer group
rebalance, a log-cleaner note."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api

TOKYO = ZoneInfo("Asia/Tokyo")
START = datetime(2026, 8, 20, 9, 15, tzinfo=TOKYO)
MINUTES = 150.0
SWAP = 49.0
ELECT = 56.0


@dataclass
class KafkaLog:
    """Kafka's log4j layout `[%d] %p %m (%c)%n` in the broker's local time."""

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(TOKYO)
        stamp = local.strftime("%Y-%m-%d %H:%M:%S,") + f"{local.microsecond // 1000:03d}"
        head = f"[{stamp}] {record.level} {record.message} ({record.logger or 'kafka.server.KafkaServer'})"
        return [head, *record.trailer]


def bundle() -> Bundle:
    rng = random.Random(36020)
    k3 = LogFile("logs/kafka-3-server.log", KafkaLog())
    k3.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"[LocalLog partition=orders-{r.randrange(24)}, dir=/var/lib/kafka/data] Rolled new log segment at offset {r.randrange(10**8)} in {r.randrange(1, 9)} ms.",
                        (),
                    ),
                    (
                        "INFO",
                        f"[ProducerStateManager partition=orders-{r.randrange(24)}] Wrote producer snapshot at offset {r.randrange(10**8)} with 0 producer ids in {r.randrange(1, 6)} ms.",
                        (),
                    ),
                    (
                        "INFO",
                        f"[UnifiedLog partition=payments-{r.randrange(12)}, dir=/var/lib/kafka/data] Deleting segment LogSegment(baseOffset={r.randrange(10**7)}, size={r.randrange(10**6, 10**9)}) due to retention time 604800000ms breach",
                        (),
                    ),
                ]
            ),
            START.replace(hour=10, minute=5),
            MINUTES - SWAP - 1,
            700,
        )
    )
    k3.add(
        [
            at(
                START,
                SWAP,
                "INFO",
                "Registered kafka:type=kafka.Log4jController MBean",
                logger="kafka.utils.Log4jControllerRegistration$",
            ),
            Record(
                START + timedelta(minutes=SWAP + 0.02),
                "INFO",
                "KafkaConfig values: ",
                (
                    "\tadvertised.listeners = INTERNAL://kafka-3.data.internal:9093,CLIENT://localhost:9092",
                    "\tauto.create.topics.enable = false",
                    "\tbroker.id = 3",
                    "\tbroker.rack = apne1-az3",
                    "\tdefault.replication.factor = 3",
                    "\tinter.broker.listener.name = INTERNAL",
                    "\tlistener.security.protocol.map = INTERNAL:PLAINTEXT,CLIENT:PLAINTEXT",
                    "\tlisteners = INTERNAL://0.0.0.0:9093,CLIENT://0.0.0.0:9092",
                    "\tlog.dirs = /var/lib/kafka/data",
                    "\tmin.insync.replicas = 2",
                    "\tnum.partitions = 24",
                    "\tzookeeper.connect = zk-1.data.internal:2181,zk-2.data.internal:2181,zk-3.data.internal:2181/kafka",
                    "",
                ),
                "kafka.server.KafkaConfig",
            ),
            at(START, SWAP + 0.3, "INFO", "[KafkaServer id=3] started"),
            at(
                START,
                SWAP + 0.5,
                "INFO",
                "[ReplicaFetcherManager on broker 3] Added fetcher to broker 1 for partitions HashMap(orders-4 -> InitialFetchState(...), orders-10 -> InitialFetchState(...))",
                logger="kafka.server.ReplicaFetcherManager",
            ),
            at(
                START,
                ELECT,
                "INFO",
                "[Partition orders-2 broker=3] orders-2 starts at leader epoch 41 from offset 88120331 with partition epoch 77, high watermark 88120331. Previous leader epoch was 40.",
                logger="kafka.cluster.Partition",
            ),
            at(
                START,
                ELECT + 0.01,
                "INFO",
                "[Partition orders-5 broker=3] orders-5 starts at leader epoch 39 from offset 87311209 with partition epoch 71, high watermark 87311209. Previous leader epoch was 38.",
                logger="kafka.cluster.Partition",
            ),
        ]
    )
    k1 = LogFile("logs/kafka-1-server.log", KafkaLog())
    k1.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"[LocalLog partition=orders-{r.randrange(24)}, dir=/var/lib/kafka/data] Rolled new log segment at offset {r.randrange(10**8)} in {r.randrange(1, 9)} ms.",
                        (),
                    ),
                    (
                        "INFO",
                        f"[GroupCoordinator 1]: Member consumer-fulfil-{r.randrange(1, 9)}-{r.getrandbits(32):08x} in group fulfil has left, removing it from the group",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            500,
        )
    )
    k1.add(
        [
            at(
                START,
                SWAP - 8.0,
                "INFO",
                "[Partition orders-2 broker=1] Shrinking ISR from 1,3,2 to 1,2. Leader: (highWatermark: 88120331, endOffset: 88120331). Out of sync replicas: (brokerId: 3, endOffset: 88120320).",
                logger="kafka.cluster.Partition",
            ),
            at(
                START,
                SWAP + 2.0,
                "INFO",
                "[Partition orders-2 broker=1] ISR updated to 1,2,3 and version updated to 77",
                logger="kafka.cluster.Partition",
            ),
            at(
                START,
                31.0,
                "INFO",
                "[GroupCoordinator 1]: Preparing to rebalance group fulfil in state PreparingRebalance with old generation 212 (__consumer_offsets-17) (reason: Leaving group)",
                logger="kafka.coordinator.group.GroupCoordinator",
            ),
            at(
                START,
                70.0,
                "INFO",
                "[kafka-log-cleaner-thread-0]: Log cleaner thread 0 cleaned log __consumer_offsets-17 (dirty section = [1120, 4411]) 0.4 MB of log processed in 0.2 seconds",
                logger="kafka.log.LogCleaner",
            ),
        ]
    )
    app = LogFile(
        "logs/order-service.log",
        SpringBoot(
            ("c.s.orders.api.OrderController", "c.s.orders.events.OrderPublisher"), 1, rng, TOKYO
        ),
    )
    app.add(traffic(rng, web_api("order-service", ["orders", "checkout"]), START, MINUTES, 3200))
    app.add(
        loud(
            rng,
            START,
            ELECT + 0.2,
            MINUTES - ELECT - 1,
            520,
            fixed(
                "WARN",
                lambda r: (
                    f"[Producer clientId=order-service-{r.randrange(1, 5)}] Connection to node 3 (localhost/127.0.0.1:9092) could not be established. Node may not be available."
                ),
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            ELECT + 2.2,
            MINUTES - ELECT - 3,
            310,
            fixed(
                "ERROR",
                lambda r: (
                    f"failed to publish OrderPlaced id={r.randrange(10**7)}: org.apache.kafka.common.errors.TimeoutException: Expiring {r.randrange(1, 40)} record(s) for orders-{r.choice([2, 5, 8, 13, 17, 20])}:120001 ms has passed since batch creation"
                ),
            ),
        )
    )
    notes = "\n".join(
        [
            "2026-08-20 ops log (JST)",
            "09:50 kafka-3 instance retirement notice from the cloud provider, replacing with a new instance from the kafka-broker launch template v14 (same EBS data volume reattached)",
            "10:05 kafka-3 back, ISR caught up by 10:07, preferred leader election at 10:11",
            "10:40 order-service publish failures, only for some partitions; fulfil lag on orders-2/5/8/13/17/20",
            "",
        ]
    )
    return Bundle(
        question="Since about 10:11 JST order-service fails to publish OrderPlaced events to some orders partitions with expiring batches. The Kafka cluster looks healthy. What is the root cause?",
        category="configuration",
        component="kafka-3",
        statement="The replacement kafka-3 broker started with `advertised.listeners=...,CLIENT://localhost:9092`, so once it took back its preferred leaderships at 10:11 clients were told to reach broker 3 at localhost:9092 and could not produce to or fetch from the partitions it leads.",
        files={
            "ops-log.txt": notes,
            "logs/kafka-3-server.log": k3.render(),
            "logs/kafka-1-server.log": k1.render(),
            "logs/order-service.log": app.render(),
        },
        proofs=[
            Proof("logs/kafka-3-server.log", "CLIENT://localhost:9092"),
        ],
        decoys=[
            "Shrinking ISR from 1,3,2 to 1,2",
            "Preparing to rebalance group fulfil",
            "Log cleaner thread 0 cleaned log",
        ],
    )
