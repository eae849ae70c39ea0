# ruff: noqa: E501
# Hand-written log lines, Kafka records and pasted notes are data, kept whole on one line.
"""order-service 3.4.0 (rolled out 10:12 UTC) publishes OrderPlaced events from a new Java record,
so Jackson writes camelCase keys (orderId, customerId, totalCents) instead of the snake_case the
schema had. invoice-worker's pydantic model rejects every new event and parks it on the dead-letter
topic; no invoices are created and billing-api answers 404 for them. The proof is quiet: the
release's start-up line and two records dumped from the topic in the notes. Decoys: the worker's
loud validation tracebacks and lag, an ISR shrink on a Kafka broker, and a stale deadlock in
billing-api."""

import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 3, 5, 9, 40, tzinfo=UTC)
ROLLOUT = 32.2
MINUTES = 75


@dataclass
class KafkaServer:
    """Kafka's server.log: `[2025-03-05 10:14:03,123] INFO message (logger)`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S") + f",{record.time.microsecond // 1000:03d}"
        )
        return [
            f"[{stamp}] {record.level} {record.message} ({record.logger or 'kafka.server.ReplicaManager'})"
        ]


def order_id(rng: random.Random) -> str:
    return "ord_" + "".join(rng.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(20))


def order_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"order {order_id(rng)} placed: {rng.randrange(1, 7)} items, total {rng.randrange(500, 40000)} cents, customer cus_{rng.getrandbits(40):010x}",
            (),
        )
    if roll < 0.8:
        return (
            "DEBUG",
            f"published OrderPlaced to orders.events partition={rng.randrange(12)} offset={rng.randrange(4_100_000, 4_300_000)}",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"reserved stock for {order_id(rng)} in warehouse {rng.choice(['AMS1', 'FRA2', 'WAW1'])}",
            (),
        )
    return (
        "WARN",
        f"payment authorisation for {order_id(rng)} declined by issuer (do_not_honor)",
        (),
    )


def worker_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"invoice INV-2025-{rng.randrange(100000, 999999)} created for {order_id(rng)} (amount {rng.randrange(5, 400)}.{rng.randrange(100):02d} EUR, vat {rng.choice(['NL', 'DE', 'PL'])})",
            (),
        )
    if roll < 0.85:
        return (
            "DEBUG",
            f"committed offsets orders.events-{rng.randrange(12)}: {rng.randrange(4_100_000, 4_300_000)}",
            (),
        )
    return (
        "INFO",
        f"pdf rendered for invoice INV-2025-{rng.randrange(100000, 999999)} in {rng.randrange(80, 400)} ms",
        (),
    )


def worker_failure(rng: random.Random) -> Line:
    oid = order_id(rng)
    customer = f"cus_{rng.getrandbits(40):010x}"
    total = rng.randrange(500, 40000)
    payload = f"{{'orderId': '{oid}', 'customerId': '{customer}', 'totalCents': {total}, 'currency': 'EUR', 'lines': [...], 'placedAt': '2025-03-05T10:{rng.randrange(12, 55)}:{rng.randrange(60):02d}Z'}}"
    return (
        "ERROR",
        f"failed to handle record orders.events-{rng.randrange(12)}@{rng.randrange(4_200_000, 4_300_000)}, sending to orders.events.dlq",
        (
            "Traceback (most recent call last):",
            '  File "/app/invoice_worker/consumer.py", line 88, in handle',
            "    event = OrderPlaced.model_validate_json(record.value())",
            "            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            "pydantic_core._pydantic_core.ValidationError: 3 validation errors for OrderPlaced",
            "order_id",
            f"  Field required [type=missing, input_value={payload}, input_type=dict]",
            "    For further information visit https://errors.pydantic.dev/2.6/v/missing",
            "customer_id",
            f"  Field required [type=missing, input_value={payload}, input_type=dict]",
            "    For further information visit https://errors.pydantic.dev/2.6/v/missing",
            "total_cents",
            f"  Field required [type=missing, input_value={payload}, input_type=dict]",
            "    For further information visit https://errors.pydantic.dev/2.6/v/missing",
        ),
    )


def kafka_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[ProducerStateManager partition=orders.events-{rng.randrange(12)}] Wrote producer snapshot at offset {rng.randrange(4_100_000, 4_300_000)} with 0 producer ids in {rng.randrange(1, 9)} ms.",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[LocalLog partition=__consumer_offsets-{rng.randrange(50)}, dir=/var/lib/kafka/data] Rolled new log segment at offset {rng.randrange(10**6, 10**7)} in {rng.randrange(1, 6)} ms.",
            (),
        )
    return (
        "INFO",
        f"[GroupCoordinator 2]: Member invoice-worker-{rng.randrange(3)}-{rng.getrandbits(32):08x} in group invoice-worker has heartbeat",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1125)
    order = LogFile(
        "logs/order-service.log",
        SpringBoot(
            (
                "c.s.orders.api.OrderController",
                "c.s.orders.events.OrderEventPublisher",
                "c.s.orders.stock.StockClient",
            ),
            rng=rng,
        ),
    )
    order.add(traffic(rng, order_line, START, ROLLOUT - 0.5, 900))
    order.add(
        traffic(
            rng, order_line, START + timedelta(minutes=ROLLOUT + 0.4), MINUTES - ROLLOUT - 0.4, 1400
        )
    )
    order.add(
        [
            at(
                START,
                ROLLOUT - 0.4,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            ),
            at(
                START,
                ROLLOUT,
                "INFO",
                "Starting OrderServiceApplication v3.4.0 using Java 21.0.2 with PID 1 (/workspace/BOOT-INF/classes started by cnb in /workspace)",
                logger="c.s.orders.OrderServiceApplication",
            ),
            at(
                START,
                ROLLOUT + 0.2,
                "INFO",
                "OrderEventPublisher initialised: topic=orders.events serializer=JsonSerializer<OrderPlacedEvent> (record, default property naming) acks=all",
                logger="c.s.orders.events.OrderEventPublisher",
            ),
            at(
                START,
                ROLLOUT + 0.3,
                "INFO",
                "Started OrderServiceApplication in 11.804 seconds (process running for 12.61)",
                logger="c.s.orders.OrderServiceApplication",
            ),
        ]
    )
    worker = LogFile(
        "logs/invoice-worker.log",
        PythonLogging(
            ("invoice_worker.consumer", "invoice_worker.invoices", "invoice_worker.pdf"), rng=rng
        ),
    )
    worker.add(traffic(rng, worker_line, START, ROLLOUT + 0.6, 1100))
    worker.add(
        traffic(
            rng,
            fixed(
                "DEBUG",
                lambda r: (
                    f"committed offsets orders.events-{r.randrange(12)}: {r.randrange(4_200_000, 4_300_000)}"
                ),
            ),
            START + timedelta(minutes=ROLLOUT + 0.6),
            MINUTES - ROLLOUT - 0.6,
            300,
        )
    )
    worker.add(
        [
            replace(record, logger="invoice_worker.consumer")
            for record in loud(
                rng, START, ROLLOUT + 0.6, MINUTES - ROLLOUT - 0.8, 460, worker_failure
            )
        ]
    )
    worker.add(
        loud(
            rng,
            START,
            ROLLOUT + 8,
            MINUTES - ROLLOUT - 9,
            30,
            fixed(
                "WARN",
                lambda r: (
                    f"dead-letter rate {r.randrange(95, 101)}% over the last 60s ({r.randrange(180, 260)} records), consumer lag orders.events={r.randrange(0, 40)}"
                ),
            ),
        )
    )
    kafka = LogFile("logs/kafka-broker-2.log", KafkaServer())
    kafka.add(traffic(rng, kafka_line, START, MINUTES, 1200))
    kafka.add(
        [
            at(
                START,
                51.3,
                "INFO",
                "[Partition orders.events-7 broker=2] Shrinking ISR from 2,3,1 to 2,3. Leader: (highWatermark: 4231876, endOffset: 4231901). Out of sync replicas: (brokerId: 1, endOffset: 4231602, lastCaughtUpTimeMs: 1741171851220).",
                logger="kafka.cluster.Partition",
            ),
            at(
                START,
                51.9,
                "INFO",
                "[Partition orders.events-7 broker=2] ISR updated to 2,3,1 and version updated to 58",
                logger="kafka.cluster.Partition",
            ),
        ]
    )
    billing = LogFile("logs/billing-api.log", PythonLogging(("billing.api", "billing.db"), rng=rng))
    billing.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: f"GET /v1/invoices?order_id={order_id(r)} 200 {r.randrange(4, 40)}ms",
            ),
            START,
            ROLLOUT + 3,
            700,
        )
    )
    billing.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"GET /v1/invoices/summary?customer=cus_{r.getrandbits(40):010x} 200 {r.randrange(8, 60)}ms"
                ),
            ),
            START,
            MINUTES,
            500,
        )
    )
    billing.add(
        loud(
            rng,
            START,
            ROLLOUT + 3,
            MINUTES - ROLLOUT - 4,
            520,
            fixed(
                "WARN",
                lambda r: (
                    f"GET /v1/invoices?order_id={order_id(r)} 404 {r.randrange(3, 20)}ms (no invoice for order)"
                ),
            ),
        )
    )
    billing.add(
        [
            at(
                START,
                4.7,
                "ERROR",
                "psycopg.errors.DeadlockDetected: deadlock detected DETAIL:  Process 31877 waits for ShareLock on transaction 90817723; blocked by process 31902. (retried, succeeded on attempt 2)",
                logger="billing.db",
            )
        ]
    )
    old = '{"order_id":"ord_7QX2M9K4TB1ZC8HD0NWA","customer_id":"cus_5d0e91a7c3","total_cents":12490,"currency":"EUR","lines":[{"sku":"TS-1182-M","qty":2,"unit_cents":4995},{"sku":"SHIP-STD","qty":1,"unit_cents":2500}],"placed_at":"2025-03-05T10:11:58Z"}'
    new = '{"orderId":"ord_7QX2MCR1V0F3E6YJ2PBS","customerId":"cus_8b2f60d41e","totalCents":3890,"currency":"EUR","lines":[{"sku":"MUG-0042","qty":1,"unitCents":1390},{"sku":"SHIP-STD","qty":1,"unitCents":2500}],"placedAt":"2025-03-05T10:12:51Z"}'
    notes = "\n".join(
        [
            "# invoices missing since this morning",
            "",
            "Support: customers who ordered after ~10:13 UTC get no invoice e-mail; billing-api returns 404 for their invoices.",
            "invoice-worker is up, consumer lag is ~0, but almost everything goes to orders.events.dlq.",
            "Kafka: broker 2 had an ISR shrink on orders.events-7 at 10:31, recovered within a minute.",
            "",
            "Two records around the morning deploy, from the topic:",
            "",
            "$ kafka-console-consumer --bootstrap-server kafka-2:9092 --topic orders.events --partition 3 --offset 4218833 --max-messages 2 --property print.timestamp=true",
            f"CreateTime:1741169518402\t{old}",
            f"CreateTime:1741169571733\t{new}",
            "Processed a total of 2 messages",
            "",
        ]
    )
    return Bundle(
        question="Customers who ordered after about 10:13 UTC got no invoice and billing-api returns 404 for their invoices. What is the root cause?",
        category="data",
        component="order-service",
        statement="order-service 3.4.0, rolled out at 10:12 UTC, publishes OrderPlaced events with camelCase keys (orderId, customerId, totalCents) instead of the snake_case fields of the event schema, so from 10:12:51 UTC invoice-worker's validation rejects every new event and sends it to the dead-letter topic, and no invoices are created.",
        files={
            "notes.md": notes,
            "logs/order-service.log": order.render(),
            "logs/invoice-worker.log": worker.render(),
            "logs/kafka-broker-2.log": kafka.render(),
            "logs/billing-api.log": billing.render(),
        },
        proofs=[
            Proof("notes.md", '"orderId":"ord_7QX2MCR1V0F3E6YJ2PBS"'),
            Proof(
                "logs/order-service.log",
                "Starting OrderServiceApplication v3.4.0",
                "default property naming",
            ),
        ],
        decoys=["3 validation errors for OrderPlaced", "Shrinking ISR", "deadlock detected"],
    )
