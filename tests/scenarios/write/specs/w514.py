# ruff: noqa: E501
# Hand-written Kafka broker and client lines and pasted config are data, kept whole on one line.
"""Kafka, producers fencing each other: payout-emitter writes payouts in Kafka transactions with
a fixed `transactional.id` from its config file. It ran as one replica; at 09:20 +05:30 it was
scaled to three for the month-end run. Every new instance's initTransactions bumps the epoch
of the same transactional id, so the others get ProducerFencedException, abort and restart,
fencing in turn: payouts stop flowing to ledger-sink. Decoys: an ISR shrink that recovers, a
consumer rebalance, a deprecated config warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Log4j, Record
from scenes import at, fixed, java_trace, loud
from traffic import traffic, worker

IST = timezone(timedelta(hours=5, minutes=30))
START = datetime(2025, 2, 28, 3, 0, tzinfo=UTC)
MINUTES = 160.0
SCALE = 50.0  # 09:20 +05:30


@dataclass
class KafkaServer:
    """Kafka's server.log: `[2025-02-28 09:00:00,123] INFO message (logger)` in the broker's local time."""

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(IST)
        stamp = local.strftime("%Y-%m-%d %H:%M:%S,") + f"{local.microsecond // 1000:03d}"
        return [
            f"[{stamp}] {record.level} {record.message} ({record.logger or 'kafka.server.KafkaApis'})"
        ]


def bundle() -> Bundle:
    rng = random.Random(51404)
    broker = LogFile("logs/kafka-2-server.log", KafkaServer())
    tc = "kafka.coordinator.transaction.TransactionCoordinator"
    broker.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            900,
            fixed(
                "INFO",
                lambda r: (
                    f"[ProducerStateManager partition=payouts-{r.randrange(12)}] Wrote producer snapshot at offset {r.randrange(10**6, 10**7)} with {r.randrange(1, 9)} producer ids in {r.randrange(1, 9)} ms."
                ),
            ),
        )
    )
    broker.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            500,
            fixed(
                "INFO",
                lambda r: (
                    f"[GroupCoordinator 2]: Member ledger-sink-{r.randrange(4)}-{r.getrandbits(32):08x} in group ledger-sink has heartbeat ok"
                ),
            ),
        )
    )
    broker.add(
        [
            at(
                START,
                5.0,
                "INFO",
                "[TransactionCoordinator id=2] Initialized transactionalId payout-emitter-tx with producerId 40172 and producer epoch 211 on partition __transaction_state-31",
                logger=tc,
            )
        ]
    )
    epoch = 212
    for k in range(int((MINUTES - SCALE - 2) / 0.7)):
        broker.add(
            [
                at(
                    START,
                    SCALE + 0.3 + 0.7 * k,
                    "INFO",
                    f"[TransactionCoordinator id=2] Initialized transactionalId payout-emitter-tx with producerId 40172 and producer epoch {epoch} on partition __transaction_state-31",
                    logger=tc,
                )
            ]
        )
        epoch += 1
    broker.add(
        [
            at(
                START,
                22.0,
                "INFO",
                "[Partition payouts-7 broker=2] Shrinking ISR from 2,3,1 to 2,1. Leader: (highWatermark: 8812301, endOffset: 8812377). Out of sync replicas: (brokerId: 3, endOffset: 8812240).",
                logger="kafka.cluster.Partition",
            ),
            at(
                START,
                22.4,
                "INFO",
                "[Partition payouts-7 broker=2] ISR updated to 2,3,1 and version updated to 88",
                logger="kafka.cluster.Partition",
            ),
        ]
    )
    files: dict[str, str] = {}
    for index in range(3):
        log = LogFile(
            f"logs/payout-emitter-{index}.log",
            Log4j(
                (
                    "c.r.payout.Emitter",
                    "c.r.payout.BatchReader",
                    "o.a.k.clients.producer.KafkaProducer",
                ),
                "payout-tx",
                rng,
            ),
        )
        begin = 0.0 if index == 0 else SCALE + index * 0.1
        log.add(
            traffic(
                rng,
                worker(f"payout-emitter-{index}", ["payout-requests"]),
                START + timedelta(minutes=begin),
                SCALE - begin if index == 0 else 1,
                1300 if index == 0 else 20,
            )
        )
        log.add(
            [
                at(
                    START,
                    begin + 0.05,
                    "WARN",
                    "Configuration 'linger.ms.override' was supplied but isn't a known config.",
                    logger="o.a.k.clients.producer.ProducerConfig",
                )
            ]
        )
        log.add(
            [
                at(
                    START,
                    begin + 0.06,
                    "INFO",
                    f"[Producer clientId=payout-emitter-{index}, transactionalId=payout-emitter-tx] Instantiated a transactional producer.",
                    logger="o.a.k.clients.producer.KafkaProducer",
                )
            ]
        )
        log.add(
            loud(
                rng,
                START,
                SCALE + 0.5,
                MINUTES - SCALE - 2,
                180,
                fixed(
                    "ERROR",
                    lambda r, i=index: (
                        f"[Producer clientId=payout-emitter-{i}, transactionalId=payout-emitter-tx] aborting batch of {r.randrange(50, 400)} payouts, producer will be recreated"
                    ),
                    lambda r: java_trace(
                        "org.apache.kafka.common.errors.ProducerFencedException: There is a newer producer with the same transactionalId which fences the current one.",
                        [],
                    ),
                ),
            )
        )
        log.add(
            loud(
                rng,
                START,
                SCALE + 0.5,
                MINUTES - SCALE - 2,
                120,
                fixed(
                    "INFO",
                    lambda r, i=index: (
                        f"[Producer clientId=payout-emitter-{i}, transactionalId=payout-emitter-tx] Discovered transaction coordinator kafka-2:9092 (id: 2 rack: null)"
                    ),
                ),
            )
        )
        files[f"logs/payout-emitter-{index}.log"] = log.render()
    sink = LogFile(
        "logs/ledger-sink.log",
        Log4j(
            ("c.r.ledger.SinkLoop", "o.a.k.clients.consumer.internals.ConsumerCoordinator"),
            "sink",
            rng,
        ),
    )
    sink.add(traffic(rng, worker("ledger-sink", ["payouts"]), START, SCALE, 900))
    sink.add(
        loud(
            rng,
            START,
            SCALE + 5,
            MINUTES - SCALE - 6,
            120,
            fixed(
                "INFO",
                lambda r: (
                    f"poll returned 0 records from payouts (read_committed), last committed payout {r.choice(['PO-88120', 'PO-88121'])} at 09:19"
                ),
            ),
        )
    )
    sink.add(
        [
            at(
                START,
                12.0,
                "INFO",
                "[Consumer clientId=ledger-sink-1, groupId=ledger-sink] Request joining group due to: group is already rebalancing",
                logger="o.a.k.clients.consumer.internals.ConsumerCoordinator",
            )
        ]
    )
    config = "\n".join(
        [
            "# payout-emitter application.properties (image payout-emitter:5.3.1, unchanged since November)",
            "spring.kafka.bootstrap-servers=kafka-1:9092,kafka-2:9092,kafka-3:9092",
            "spring.kafka.producer.acks=all",
            "spring.kafka.producer.properties.enable.idempotence=true",
            "spring.kafka.producer.transaction-id-prefix=",
            "spring.kafka.producer.properties.transactional.id=payout-emitter-tx",
            "payout.batch.size=400",
            "",
        ]
    )
    notes = "\n".join(
        [
            "10:15 IST: month-end payouts not reaching the ledger since ~09:20.",
            "09:20 IST: scaled payout-emitter 1 -> 3 replicas (kubectl scale) to get through month-end faster.",
            "kafka-3 briefly dropped out of an ISR at 08:52, recovered within a second.",
            "",
        ]
    )
    files.update(
        {
            "notes.txt": notes,
            "payout-emitter/application.properties": config,
            "logs/kafka-2-server.log": broker.render(),
            "logs/ledger-sink.log": sink.render(),
        }
    )
    return Bundle(
        question="Month-end payouts stopped reaching the ledger around 09:20 IST. What is the root cause?",
        category="configuration",
        component="payout-emitter",
        statement="payout-emitter sets one fixed transactional.id (payout-emitter-tx) for every instance; once it was scaled to three replicas each instance's initTransactions fenced the others (ProducerFencedException), so transactions keep aborting and no payouts are committed.",
        files=files,
        proofs=[
            Proof("payout-emitter/application.properties", "transactional.id=payout-emitter-tx"),
            Proof("logs/kafka-2-server.log", "producer epoch 212 "),
        ],
        decoys=[
            "Shrinking ISR from 2,3,1 to 2,1",
            "Request joining group due to",
            "linger.ms.override",
        ],
    )
