# ruff: noqa: E501
# RabbitMQ and pino lines and pasted rabbitmqctl output are data, kept whole on one line.
"""RabbitMQ: a policy `events-cap` (pattern `^events\\.`, max-length 10000, overflow drop-head)
was meant for the telemetry queues. The new `events.billing` queue, created on Thursday for
billing-consumer, matches the pattern. During the Monday 09:00 Sydney batch, billing-consumer
is slower than the publisher, the queue reaches 10000 messages and RabbitMQ silently drops
the oldest ones: invoice events are lost without any error at the publisher. Only the
consumer's sequence gaps show it. Decoys: a memory high-watermark notice on another node that
cleared, a consumer channel closed by a client restart, a TLS handshake error from a scanner."""

import random
import zlib
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Pino, Record
from scenes import at, loud
from traffic import traffic, worker

START = datetime(2026, 7, 19, 22, 30, tzinfo=UTC)  # 08:30 AEST Monday
MINUTES = 160.0
BATCH = 30.0


class RabbitLog:
    """RabbitMQ 3.12 log: `2026-07-19 22:30:00.123456+00:00 [info] <0.812.0> message`."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%d %H:%M:%S.%f") + "+00:00"
        level = {"WARN": "warning", "ERROR": "error"}.get(record.level, "info")
        return [
            f"{stamp} [{level}] <0.{zlib.crc32(record.message.encode()) % 9000 + 200}.0> {record.message}"
        ]


def rabbit_ordinary(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = r.random()
    ip = f"10.33.{r.randrange(1, 12)}.{r.randrange(2, 250)}"
    if roll < 0.4:
        return (
            "INFO",
            f"accepting AMQP connection <0.{r.randrange(1000, 90000)}.0> ({ip}:{r.randrange(30000, 60000)} -> 10.33.0.21:5672)",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"connection <0.{r.randrange(1000, 90000)}.0> ({ip}:{r.randrange(30000, 60000)} -> 10.33.0.21:5672): user 'svc_{r.choice(['telemetry', 'billing', 'orders'])}' authenticated and granted access to vhost 'prod'",
            (),
        )
    return (
        "INFO",
        f"closing AMQP connection <0.{r.randrange(1000, 90000)}.0> ({ip}:{r.randrange(30000, 60000)} -> 10.33.0.21:5672, vhost: 'prod', user: 'svc_telemetry')",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(45206)
    rabbit = LogFile("rabbit@rmq-01.log", RabbitLog())
    rabbit.add(traffic(rng, rabbit_ordinary, START, MINUTES, 2200))
    rabbit.add(
        [
            at(START, 12.4, "WARN", "memory resource limit alarm set on node 'rabbit@rmq-02'."),
            at(START, 13.1, "INFO", "memory resource limit alarm cleared on node 'rabbit@rmq-02'"),
            at(
                START,
                96.2,
                "ERROR",
                "Channel error on connection <0.44102.0> (10.33.4.17:51522 -> 10.33.0.21:5672, vhost: 'prod', user: 'svc_billing'), channel 1: operation none caused a connection exception connection_forced: \"shutdown\"",
            ),
            at(
                START,
                71.5,
                "ERROR",
                "TLS server: In state hello at tls_record.erl:558 generated SERVER ALERT: Fatal - Unexpected Message",
            ),
        ]
    )
    consumer = LogFile(
        "billing-consumer/billing-consumer.ndjson", Pino("billing-consumer-6b7d9c-2xkfp", rng)
    )
    consumer.add(traffic(rng, worker("billing-consumer", ["events.billing"]), START, MINUTES, 3400))
    seq = [412_000]

    def gap(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        seq[0] += r.randrange(300, 900)
        missing = r.randrange(40, 400)
        return (
            "WARN",
            f"sequence gap on events.billing: expected {seq[0]} got {seq[0] + missing} ({missing} invoice events missing)",
            (),
        )

    consumer.add(loud(rng, START, BATCH + 9, 70, 180, gap))
    consumer.add(
        [
            at(START, 96.1, "INFO", "SIGTERM received, closing channel (rolling restart)"),
        ]
    )
    ctl = "\n".join(
        [
            "rmq-01 # rabbitmqctl list_policies -p prod",
            'Listing policies for vhost "prod" ...',
            "vhost\tname\tpattern\tapply-to\tdefinition\tpriority",
            'prod\tha-orders\t^orders\\.\tqueues\t{"queue-mode":"lazy"}\t0',
            'prod\tevents-cap\t^events\\.\tqueues\t{"max-length":10000,"overflow":"drop-head"}\t5',
            "",
            "rmq-01 # rabbitmqctl list_queues -p prod name policy messages consumers message_stats.publish_details.rate message_stats.deliver_get_details.rate",
            "Timeout: 60.0 seconds ...",
            "Listing queues for vhost prod ...",
            "name\tpolicy\tmessages\tconsumers\tpublish_rate\tdeliver_rate",
            "events.telemetry\tevents-cap\t2210\t6\t1480.2\t1479.6",
            "events.billing\tevents-cap\t10000\t2\t412.7\t171.3",
            "orders.created\tha-orders\t18\t4\t55.1\t55.0",
            "",
            "rmq-01 # rabbitmqctl list_queues -p prod name arguments durable | grep billing",
            'events.billing\t[{"x-queue-type","classic"}]\ttrue',
            "",
        ]
    )
    return Bundle(
        question="Finance says about a fifth of this morning's invoices (Sydney time) were never generated; billing-consumer reports nothing but warnings. What is the root cause?",
        category="configuration",
        component="rabbitmq",
        statement="The RabbitMQ policy events-cap (pattern ^events\\., max-length 10000, overflow drop-head), meant for telemetry queues, also matches the new events.billing queue; during the morning batch the queue hit 10000 messages and RabbitMQ dropped the oldest invoice events, hence billing-consumer's sequence gaps.",
        files={
            "rabbit@rmq-01.log": rabbit.render(),
            "billing-consumer/billing-consumer.ndjson": consumer.render(),
            "rabbitmqctl.txt": ctl,
        },
        proofs=[
            Proof("rabbitmqctl.txt", "prod\tevents-cap\t^events\\.\tqueues"),
            Proof("rabbitmqctl.txt", "events.billing\tevents-cap\t10000"),
        ],
        decoys=[
            "memory resource limit alarm set on node 'rabbit@rmq-02'",
            "connection_forced",
            "SERVER ALERT: Fatal - Unexpected Message",
        ],
    )
