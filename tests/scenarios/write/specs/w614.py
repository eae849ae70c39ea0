# ruff: noqa: E501
# Broker, service log lines and pasted shell output are data, kept whole on one line.
"""Kafka, partitions added to a keyed topic: at 14:05 (-03:00, São Paulo) an SRE raised
`order-events` from 12 to 24 partitions with kafka-topics --alter to give the projector more
consumers. The producer keys events by order id; with 24 partitions the default partitioner maps
most existing orders to a different partition, so an order's later events (`order.paid`,
`order.shipped`) land on new partitions and are consumed before the `order.created` still queued
on the old one. order-projector rejects them as out of sequence and parks them; the customer
portal shows orders stuck in "processing". Decoys: a consumer-group rebalance (expected with
more consumers), a broker's ISR shrink and re-expand, and a slow Postgres upsert warning."""

import random
import re
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Log4j, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api, worker

SAO_PAULO = timezone(timedelta(hours=-3))
START = datetime(2026, 3, 11, 16, 20, tzinfo=UTC)  # 13:20 -03:00
MINUTES = 160.0
ALTER_AT = 45.0  # 14:05 -03:00


def bundle() -> Bundle:
    rng = random.Random(61402)
    broker = LogFile(
        "kafka-2/server.log",
        Log4j(
            (
                "kafka.server.ReplicaFetcherManager",
                "kafka.log.LogManager",
                "kafka.cluster.Partition",
                "kafka.coordinator.group.GroupCoordinator",
            ),
            "data-plane-kafka-request-handler",
            rng,
        ),
    )
    broker.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"[LocalLog partition=order-events-{r.randrange(12)}, dir=/var/lib/kafka/data] Rolled new log segment at offset {r.randrange(10**7, 10**8)} in {r.randrange(1, 9)} ms.",
                        (),
                    ),
                    (
                        "INFO",
                        f"[ProducerStateManager partition=payments-{r.randrange(6)}] Wrote producer snapshot at offset {r.randrange(10**6, 10**7)} with 0 producer ids in {r.randrange(1, 5)} ms.",
                        (),
                    ),
                    (
                        "INFO",
                        f"[GroupCoordinator 2]: Member consumer-reporting-{r.randrange(1, 9)}-{r.getrandbits(32):08x} in group reporting has left, removing it from the group",
                        (),
                    ),
                    (
                        "INFO",
                        f"[UnifiedLog partition=__consumer_offsets-{r.randrange(50)}, dir=/var/lib/kafka/data] Deleting segment LogSegment(baseOffset={r.randrange(10**6)}) due to retention time 604800000ms breach",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            1300,
        )
    )
    broker.add(
        [
            at(
                START,
                21.0,
                "INFO",
                "[Partition order-events-7 broker=2] Shrinking ISR from 2,3,1 to 2,1. Leader: (highWatermark: 58120931, endOffset: 58120977). Out of sync replicas: (brokerId: 3, endOffset: 58120931, lastCaughtUpTimeMs: 1773246079120).",
                logger="kafka.cluster.Partition",
            ),
            at(
                START,
                21.4,
                "INFO",
                "[Partition order-events-7 broker=2] ISR updated to 2,3,1 and version updated to 41",
                logger="kafka.cluster.Partition",
            ),
            at(
                START,
                ALTER_AT + 0.05,
                "INFO",
                "[ReplicaFetcherManager on broker 2] Added fetcher to broker 1 for partitions HashMap(order-events-13 -> InitialFetchState(None,BrokerEndPoint(id=1, host=kafka-1.data.internal:9092),0,0), order-events-16 -> InitialFetchState(None,BrokerEndPoint(id=1, host=kafka-1.data.internal:9092),0,0), order-events-22 -> InitialFetchState(None,BrokerEndPoint(id=1, host=kafka-1.data.internal:9092),0,0))",
                logger="kafka.server.ReplicaFetcherManager",
            ),
            at(
                START,
                ALTER_AT + 0.02,
                "INFO",
                "[LogManager brokerId=2] Created log for partition order-events-14 in /var/lib/kafka/data/order-events-14 with properties {min.insync.replicas=2, retention.ms=604800000}",
                logger="kafka.log.LogManager",
            ),
            at(
                START,
                ALTER_AT + 0.03,
                "INFO",
                "[LogManager brokerId=2] Created log for partition order-events-17 in /var/lib/kafka/data/order-events-17 with properties {min.insync.replicas=2, retention.ms=604800000}",
                logger="kafka.log.LogManager",
            ),
            at(
                START,
                ALTER_AT + 1.2,
                "INFO",
                "[GroupCoordinator 2]: Preparing to rebalance group order-projector in state PreparingRebalance with old generation 311 (__consumer_offsets-29) (reason: Adding new member consumer-order-projector-1-5c1e0a77 with group instance id None)",
                logger="kafka.coordinator.group.GroupCoordinator",
            ),
            at(
                START,
                ALTER_AT + 1.5,
                "INFO",
                "[GroupCoordinator 2]: Stabilized group order-projector generation 312 (__consumer_offsets-29) with 6 members",
                logger="kafka.coordinator.group.GroupCoordinator",
            ),
        ]
    )
    projector = LogFile(
        "order-projector/app.log",
        SpringBoot(
            (
                "c.l.orders.projector.EventHandler",
                "c.l.orders.projector.OrderRepository",
                "o.a.k.c.c.internals.ConsumerCoordinator",
                "o.s.k.l.KafkaMessageListenerContainer",
            ),
            1,
            rng,
            SAO_PAULO,
        ),
    )
    base = worker("order-projector", ["order-events"])

    def twelve(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        level, message, trailer = base(r)
        message = re.sub(r"partition=(\d+)", lambda m: f"partition={int(m.group(1)) % 12}", message)
        return level, message, trailer

    projector.add(traffic(rng, twelve, START, ALTER_AT, 1300))
    projector.add(
        traffic(rng, base, START + timedelta(minutes=ALTER_AT + 2), MINUTES - ALTER_AT - 2, 2900)
    )
    projector.add(
        [
            at(
                START,
                ALTER_AT + 1.3,
                "INFO",
                "[Consumer clientId=consumer-order-projector-1, groupId=order-projector] Request joining group due to: group is already rebalancing",
                logger="o.a.k.c.c.internals.ConsumerCoordinator",
            ),
            at(
                START,
                ALTER_AT + 1.6,
                "INFO",
                "[Consumer clientId=consumer-order-projector-1, groupId=order-projector] Notifying assignor about the new Assignment(partitions=[order-events-4, order-events-5, order-events-16, order-events-17])",
                logger="o.a.k.c.c.internals.ConsumerCoordinator",
            ),
            at(
                START,
                33.0,
                "WARN",
                "slow upsert into order_view took 1840 ms (threshold 1000 ms), order=ORD-7731902",
                logger="c.l.orders.projector.OrderRepository",
            ),
        ]
    )
    projector.add(
        loud(
            rng,
            START,
            ALTER_AT + 2,
            MINUTES - ALTER_AT - 3,
            610,
            fixed(
                "WARN",
                lambda r: (
                    f"out-of-sequence event {r.choice(['order.paid', 'order.shipped', 'order.paid', 'order.address_changed'])} for order=ORD-{r.randrange(7700000, 7900000)} partition=order-events-{r.randrange(12, 24)}: no order.created seen yet, parked to order-events.parking (attempt 1)"
                ),
            ),
        )
    )
    projector.add(
        loud(
            rng,
            START,
            ALTER_AT + 9,
            MINUTES - ALTER_AT - 10,
            120,
            fixed(
                "ERROR",
                lambda r: (
                    f"parked event for order=ORD-{r.randrange(7700000, 7900000)} expired after 3 retries; order_view left in state PROCESSING"
                ),
            ),
        )
    )
    portal = LogFile(
        "customer-portal/app.log",
        SpringBoot(
            ("c.l.portal.web.OrderController", "c.l.portal.client.OrderViewClient"),
            1,
            rng,
            SAO_PAULO,
        ),
    )
    portal.add(
        traffic(
            rng, web_api("customer-portal", ["orders", "invoices", "account"]), START, MINUTES, 2600
        )
    )
    portal.add(
        loud(
            rng,
            START,
            ALTER_AT + 15,
            MINUTES - ALTER_AT - 16,
            90,
            fixed(
                "WARN",
                lambda r: (
                    f"order ORD-{r.randrange(7700000, 7900000)} shown as PROCESSING for {r.randrange(20, 95)} min although payment captured (support ticket linked)"
                ),
            ),
        )
    )
    shell = "\n".join(
        [
            "sre@kafka-admin:~$ history | tail -6",
            " 2011  kafka-consumer-groups.sh --bootstrap-server kafka-1.data.internal:9092 --describe --group order-projector",
            " 2012  kafka-topics.sh --bootstrap-server kafka-1.data.internal:9092 --describe --topic order-events | head -3",
            " 2013  kafka-topics.sh --bootstrap-server kafka-1.data.internal:9092 --alter --topic order-events --partitions 24",
            " 2014  kubectl -n orders scale deploy/order-projector --replicas=6",
            " 2015  kafka-topics.sh --bootstrap-server kafka-1.data.internal:9092 --describe --topic order-events | head -3",
            " 2016  history | tail -6",
            "sre@kafka-admin:~$ kafka-topics.sh --bootstrap-server kafka-1.data.internal:9092 --describe --topic order-events | head -3",
            "Topic: order-events\tTopicId: 7rQm1xTnS0yJb3o0k2v9qA\tPartitionCount: 24\tReplicationFactor: 3\tConfigs: min.insync.replicas=2,retention.ms=604800000",
            "\tTopic: order-events\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2,3",
            "\tTopic: order-events\tPartition: 1\tLeader: 2\tReplicas: 2,3,1\tIsr: 2,3,1",
            "",
            "# order-service producer settings (application.yml excerpt)",
            "spring.kafka.producer.key-serializer: org.apache.kafka.common.serialization.StringSerializer   # key = orderId",
            "spring.kafka.producer.properties.partitioner.class: (default)",
            "spring.kafka.producer.acks: all",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Slack #orders-oncall, 11 Mar",
            "13:58 ana.r: order-projector lag ~40k at lunch peak, going to add partitions + consumers",
            "14:06 ana.r: done, 6 consumers now, lag draining",
            "14:40 support-bot: 37 tickets 'order paid but still processing'",
            "14:52 joao.m: projector parking lots of events, says no order.created seen. producer unchanged since Monday's deploy.",
            "",
        ]
    )
    return Bundle(
        question="Since about 14:10 (São Paulo time) customers see paid orders stuck in PROCESSING and order-projector parks many events. What is the root cause?",
        category="configuration",
        component="order-events",
        statement="At 14:05 -03:00 the keyed topic order-events was altered from 12 to 24 partitions; the producer keys by order id with the default partitioner, so existing orders' later events now go to other partitions and reach order-projector before their order.created, which parks them as out of sequence.",
        files={
            "kafka-admin-shell.txt": shell,
            "oncall-chat.txt": notes,
            "kafka-2/server.log": broker.render(),
            "order-projector/app.log": projector.render(),
            "customer-portal/app.log": portal.render(),
        },
        proofs=[
            Proof("kafka-admin-shell.txt", "--alter --topic order-events --partitions 24"),
            Proof("kafka-admin-shell.txt", "PartitionCount: 24"),
        ],
        decoys=[
            "Shrinking ISR from 2,3,1 to 2,1",
            "slow upsert into order_view",
            "Preparing to rebalance group order-projector",
        ],
    )
