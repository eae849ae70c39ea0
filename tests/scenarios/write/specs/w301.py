# ruff: noqa: E501
# Hand-written RabbitMQ, worker and pasted rabbitmqctl lines are data, kept whole on one line.
"""RabbitMQ, deliveries stopped by unacknowledged messages: invoice-worker 3.8.0 (deployed 10:02
BRT, 13:02 UTC) moved its acks into a BatchAcker that acknowledges every 200 messages, while the
channel's prefetch stays at 50. Each of the three consumers receives 50 messages, handles them,
never acks, and RabbitMQ delivers nothing more: invoices.generate piles up (ready 40k+,
unacked 150) while the workers sit idle and healthy. Loud: the billing portal's "invoice not
ready" errors and the queue depth. Decoys: a missed-heartbeat close of a reporting client, a
PDF font fallback warning, and a slow disk-free check on the broker."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import Pino, PythonLogging, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 4, 22, 12, 10, tzinfo=UTC)
MINUTES = 170.0
DEPLOY = 52.0


@dataclass
class RabbitLog:
    """RabbitMQ 3.12's log: `2025-04-22 12:10:00.123456+00:00 [info] <0.812.0> message`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "info", "WARN": "warning", "ERROR": "error", "DEBUG": "debug"}.get(
            record.level, "info"
        )
        stamp = record.time.strftime("%Y-%m-%d %H:%M:%S.") + f"{record.time.microsecond:06d}+00:00"
        pid = record.logger or f"<0.{self.rng.randrange(400, 40000)}.0>"
        return [f"{stamp} [{level}] {pid} {record.message}"]


def rabbit_chatter(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    client = f"10.12.{r.randrange(1, 6)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)}"
    roll = r.random()
    if roll < 0.35:
        return (
            "INFO",
            f"accepting AMQP connection <0.{r.randrange(400, 40000)}.0> ({client} -> 10.12.0.21:5672)",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"connection <0.{r.randrange(400, 40000)}.0> ({client} -> 10.12.0.21:5672): user 'orders' authenticated and granted access to vhost 'billing'",
            (),
        )
    return (
        "INFO",
        f"closing AMQP connection <0.{r.randrange(400, 40000)}.0> ({client} -> 10.12.0.21:5672, vhost: 'billing', user: 'orders')",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(30122)
    broker = LogFile("logs/rabbit@mq-billing-1.log", RabbitLog(rng))
    broker.add(traffic(rng, rabbit_chatter, START, MINUTES, 700))
    broker.add(
        [
            at(
                START,
                DEPLOY - 0.4,
                "INFO",
                "closing AMQP connection <0.30211.0> (10.12.4.18:51220 -> 10.12.0.21:5672, vhost: 'billing', user: 'invoice-worker')",
            ),
            at(
                START,
                DEPLOY + 0.3,
                "INFO",
                "connection <0.30877.0> (10.12.4.31:40118 -> 10.12.0.21:5672): user 'invoice-worker' authenticated and granted access to vhost 'billing'",
            ),
            at(
                START,
                37.0,
                "ERROR",
                "closing AMQP connection <0.22714.0> (10.12.5.9:47720 -> 10.12.0.21:5672, vhost: 'billing', user: 'reporting'):\nmissed heartbeats from client, timeout: 60s".replace(
                    "\n", " "
                ),
            ),
            at(
                START,
                121.0,
                "WARN",
                "Free disk space monitor encountered an error (e.g. failed to parse output from OS tools). Retries left: 9 (disk check took 11203 ms)",
            ),
        ]
    )

    worker = LogFile(
        "logs/invoice-worker-1.log",
        PythonLogging(
            (
                "invoice_worker.consumer",
                "invoice_worker.render",
                "invoice_worker.acker",
                "pika.adapters.blocking_connection",
            ),
            rng,
        ),
    )
    before = traffic(
        rng,
        lambda r: (
            "INFO",
            r.choice(
                [
                    f"invoice INV-{r.randrange(10**6, 10**7)} generated ({r.randrange(1, 14)} pages) and stored in s3://billing-invoices/2025/04/22/",
                    f"message {r.getrandbits(48):012x} acked (delivery_tag={r.randrange(1, 10**5)})",
                ]
            ),
            (),
        ),
        START,
        DEPLOY - 1,
        1300,
    )
    worker.add(before)
    worker.add(
        [
            at(
                START,
                DEPLOY + 0.2,
                "INFO",
                "invoice-worker 3.8.0 starting (python 3.12.3, pika 1.3.2)",
                logger="invoice_worker.main",
            ),
            at(
                START,
                DEPLOY + 0.25,
                "INFO",
                "connected to amqp://mq-billing-1:5672/billing; basic.qos prefetch_count=50",
                logger="invoice_worker.consumer",
            ),
            at(
                START,
                DEPLOY + 0.26,
                "INFO",
                "BatchAcker enabled: ack multiple=True every 200 deliveries (or on shutdown)",
                logger="invoice_worker.acker",
            ),
            at(
                START,
                DEPLOY + 0.27,
                "INFO",
                "consuming from queue invoices.generate (consumer tag ctag1.7f3c0e)",
                logger="invoice_worker.consumer",
            ),
        ]
    )
    worker.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"invoice INV-{r.randrange(10**6, 10**7)} generated ({r.randrange(1, 14)} pages) and stored in s3://billing-invoices/2025/04/22/",
                (),
            ),
            START.replace(hour=13, minute=2, second=20),
            1.3,
            50,
            logger="invoice_worker.render",
        )
    )
    worker.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"BatchAcker: 50 deliveries pending, next ack at 200 (idle {r.randrange(30, 4000)}s)",
                (),
            ),
            START.replace(hour=13, minute=5),
            MINUTES - DEPLOY - 4,
            20,
            logger="invoice_worker.acker",
        )
    )
    worker.add(
        [
            at(
                START,
                20.0,
                "WARN",
                "font 'Noto Sans Thai' not found, falling back to DejaVu Sans for invoice INV-5521907",
                logger="invoice_worker.render",
            ),
        ]
    )

    portal = LogFile("logs/billing-portal.log", Pino("billing-portal-6b9f", rng))
    portal.add(
        traffic(
            rng,
            web_api("billing-portal", ["invoices", "accounts", "statements"]),
            START,
            MINUTES,
            3600,
        )
    )
    portal.add(
        loud(
            rng,
            START,
            DEPLOY + 15,
            MINUTES - DEPLOY - 16,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /api/v1/invoices/INV-{r.randrange(10**6, 10**7)}/pdf 409: invoice not ready (requested {r.randrange(16, 110)} min ago, still pending generation)"
                ),
            ),
        )
    )

    series = {
        "invoices_generate_messages_ready": shift(
            rng, 40, 46000, int(DEPLOY) + 1, 0.02, int(MINUTES - DEPLOY - 2)
        ),
        "invoices_generate_messages_unacked": shift(rng, 22, 150, int(DEPLOY) + 1, 0.0),
        "invoices_generate_publish_rate": steady(rng, 380, 0.1),
        "invoices_generate_deliver_rate": shift(rng, 380, 0, int(DEPLOY) + 2, 0.1),
        "invoices_generate_consumers": shift(rng, 3, 3, 0, 0.0),
        "mq_billing_1_mem_used_mb": shift(
            rng, 610, 1420, int(DEPLOY) + 1, 0.02, int(MINUTES - DEPLOY - 2)
        ),
    }
    metrics = csv_text(START, 60, int(MINUTES), series, decimals=0)

    pasted = "\n".join(
        [
            "root@mq-billing-1:~# rabbitmqctl -p billing list_queues name messages_ready messages_unacknowledged consumers",
            "Timeout: 60.0 seconds ...",
            "Listing queues for vhost billing ...",
            "name\tmessages_ready\tmessages_unacknowledged\tconsumers",
            "invoices.generate\t44127\t150\t3",
            "invoices.generate.dlq\t12\t0\t0",
            "statements.monthly\t0\t0\t2",
            "root@mq-billing-1:~# rabbitmqctl -p billing list_consumers queue_name channel_pid consumer_tag ack_required prefetch_count active",
            "Listing consumers in vhost billing ...",
            "queue_name\tchannel_pid\tconsumer_tag\tack_required\tprefetch_count\tactive",
            "invoices.generate\t<rabbit@mq-billing-1.1713787201.30877.0>\tctag1.7f3c0e\ttrue\t50\ttrue",
            "invoices.generate\t<rabbit@mq-billing-1.1713787201.30912.0>\tctag1.19ab44\ttrue\t50\ttrue",
            "invoices.generate\t<rabbit@mq-billing-1.1713787201.30940.0>\tctag1.c0d571\ttrue\t50\ttrue",
            "statements.monthly\t<rabbit@mq-billing-1.1713787201.22018.0>\tctag1.aa0e12\ttrue\t10\ttrue",
            "statements.monthly\t<rabbit@mq-billing-1.1713787201.22031.0>\tctag1.51f0b9\ttrue\t10\ttrue",
            "root@mq-billing-1:~# rabbitmq-diagnostics -q alarms",
            "Node rabbit@mq-billing-1 reported no alarms, local or clustered",
            "",
        ]
    )
    return Bundle(
        question="Customers can't download invoices since late morning (billing portal says 'invoice not ready'). What is the root cause?",
        category="code_error",
        component="invoice-worker",
        statement="invoice-worker 3.8.0 (13:02 UTC) acknowledges in batches of 200 deliveries while its prefetch is 50, so each consumer gets 50 messages, never acks them, and RabbitMQ stops delivering; invoices.generate grows (150 unacked, 44k ready) and invoices are never generated.",
        files={
            "rabbitmqctl.txt": pasted,
            "metrics/invoices-queue.csv": metrics,
            "logs/rabbit@mq-billing-1.log": broker.render(),
            "logs/invoice-worker-1.log": worker.render(),
            "logs/billing-portal.log": portal.render(),
        },
        proofs=[
            Proof("logs/invoice-worker-1.log", "basic.qos prefetch_count=50", "BatchAcker enabled"),
            Proof("rabbitmqctl.txt", "invoices.generate\t44127\t150\t3"),
        ],
        decoys=[
            "missed heartbeats from client",
            "font 'Noto Sans Thai' not found",
            "Free disk space monitor encountered an error",
        ],
    )
