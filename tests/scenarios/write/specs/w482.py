# ruff: noqa: E501
# Hand-written RabbitMQ, notify-api and worker lines and pasted rabbitmqctl output are data, kept whole on one line.
"""RabbitMQ, a publisher leaking connections: notify-api 2.8.0 (deployed 09:05 UTC) opens a new
AMQP connection for every publish and never closes it. Connections on rabbit-1 climb for two
hours until the node runs out of file descriptors (limit 32768); Ranch stops accepting and every
client, including the order workers, fails to connect. Loud: the workers' connection refusals.
Decoys: a memory high-watermark note from an earlier load test, a consumer cancel notification,
a TLS handshake error from a scanner."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Pino, PythonLogging, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api, worker

START = datetime(2025, 2, 11, 8, 30, tzinfo=UTC)
MINUTES = 230.0
DEPLOY = 35.0
OUT = 178.0


@dataclass
class RabbitLog:
    """RabbitMQ 3.13's log: `2025-02-11 08:30:01.123456+00:00 [info] <0.812.0> message`."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%d %H:%M:%S.%f") + "+00:00"
        level = {"INFO": "info", "WARN": "warning", "ERROR": "error", "DEBUG": "debug"}[
            record.level
        ]
        return [
            f"{stamp} [{level}] <0.{(record.time.microsecond % 9000) + 400}.0> {record.message}"
        ]


def bundle() -> Bundle:
    rng = random.Random(48206)
    rabbit = LogFile("logs/rabbit-1.log", RabbitLog())

    def steady(r: random.Random):
        ip = f"10.44.{r.randrange(1, 6)}.{r.randrange(2, 250)}"
        if r.random() < 0.5:
            return (
                "INFO",
                f"accepting AMQP connection <0.{r.randrange(10**4)}.0> ({ip}:{r.randrange(30000, 60000)} -> 10.44.9.11:5672)",
                (),
            )
        return (
            "INFO",
            f"connection <0.{r.randrange(10**4)}.0> ({ip}:{r.randrange(30000, 60000)} -> 10.44.9.11:5672 - order-worker): user 'orders' authenticated and granted access to vhost '/'",
            (),
        )

    rabbit.add(traffic(rng, steady, START, DEPLOY, 120))
    rabbit.add(
        loud(
            rng,
            START,
            DEPLOY + 1,
            OUT - DEPLOY - 1,
            2600,
            fixed(
                "INFO",
                lambda r: (
                    f"connection <0.{r.randrange(10**5)}.0> (10.44.3.{r.choice([21, 22, 23])}:{r.randrange(30000, 60000)} -> 10.44.9.11:5672 - notify-api): user 'notify' authenticated and granted access to vhost '/'"
                ),
            ),
        )
    )
    rabbit.add(
        [
            at(START, 12.0, "INFO", "memory resource limit alarm cleared on node rabbit@rabbit-1"),
            at(
                START,
                60.0,
                "WARN",
                "Consumer ctag-Kq81xPz on channel 1 of connection <0.9912.0> has been cancelled by the broker: queue 'report.tmp.e81f' deleted",
            ),
            at(
                START,
                97.0,
                "ERROR",
                "TLS server: In state hello at tls_record.erl:561 generated SERVER ALERT: Fatal - Unexpected Message - {unsupported_record_type,71}",
            ),
            at(
                START,
                OUT,
                "WARN",
                "Ranch acceptor reducing accepting rate: out of file descriptors",
            ),
            at(
                START,
                OUT + 0.3,
                "WARN",
                "file descriptor limit alarm set. New connections will not be accepted until this alarm clears.",
            ),
        ]
    )
    notify = LogFile("logs/notify-api.log", Pino("notify-api-5f7b9-2kx8d", rng))
    notify.add(
        traffic(rng, web_api("notify-api", ["notifications", "templates"]), START, MINUTES, 2400)
    )
    notify.add(
        [
            at(
                START,
                DEPLOY,
                "INFO",
                "notify-api 2.8.0 listening on :3000 (amqp publisher: amqplib 0.10.4, mode=connect-per-publish)",
            )
        ]
    )
    workers = LogFile(
        "logs/order-worker.log",
        PythonLogging(("order_worker.consume", "pika.adapters.utils.connection_workflow"), rng),
    )
    workers.add(
        traffic(
            rng, worker("order-worker", ["orders.created", "orders.paid"]), START, MINUTES, 3000
        )
    )
    workers.add(
        loud(
            rng,
            START,
            OUT + 1,
            MINUTES - OUT - 2,
            500,
            fixed(
                "ERROR",
                lambda r: (
                    f"AMQP connection to rabbit-1.mq.internal:5672 failed: pika.exceptions.AMQPConnectionError: (StreamLostError: ('Transport indicated EOF',)) attempt {r.randrange(1, 30)}"
                ),
            ),
        )
    )
    pasted = "\n".join(
        [
            "# rabbitmq-diagnostics -q status | grep -A4 'File Descriptors'",
            "File Descriptors",
            "",
            "Total: 32766, limit: 32671",
            "Sockets: 32761, limit: 29401",
            "# rabbitmqctl -q list_connections client_properties user peer_host | awk '{print $NF, $2}' | sort | uniq -c | sort -rn | head -4",
            "  31602 notify 10.44.3.21",
            "    611 notify 10.44.3.22",
            "    508 notify 10.44.3.23",
            "     38 orders 10.44.2.40",
            "",
        ]
    )
    notes = (
        "#payments-oncall 12:40 UTC: order-worker cannot connect to RabbitMQ since ~11:28, orders stuck as 'created'.\n- rabbit-1 had a memory alarm during yesterday's load test; cleared this morning.\n- releases today: notify-api 2.8.0 (09:05, switched AMQP client library).\n\n"
        + pasted
    )
    return Bundle(
        question="order-worker cannot connect to RabbitMQ since about 11:28 UTC and orders are stuck. What is the root cause?",
        category="code_error",
        component="notify-api",
        statement="notify-api 2.8.0, deployed at 09:05 UTC, opens a new AMQP connection for each publish and never closes it; connections on rabbit-1 grew until the node ran out of file descriptors at 11:28 and stopped accepting connections from every client.",
        files={
            "notes.md": notes,
            "logs/rabbit-1.log": rabbit.render(),
            "logs/notify-api.log": notify.render(),
            "logs/order-worker.log": workers.render(),
        },
        proofs=[
            Proof("logs/notify-api.log", "mode=connect-per-publish"),
            Proof("notes.md", "31602 notify 10.44.3.21"),
            Proof("logs/rabbit-1.log", "out of file descriptors"),
        ],
        decoys=[
            "memory resource limit alarm cleared",
            "has been cancelled by the broker",
            "unsupported_record_type",
        ],
    )
