# ruff: noqa: E501
# Hand-written RabbitMQ, pika and web lines are data, kept whole on one line.
"""RabbitMQ, a broker upgrade bringing the delivery acknowledgement timeout: over the weekend
rmq-east-1 went from 3.8.9 to 3.12.13, whose `consumer_timeout` defaults to 30 minutes. The
report-renderer workers take one message at a time (prefetch 1) and ack only after the PDF is
built; month-start audit reports take 35 to 55 minutes. On Monday 6 April (São Paulo, -03:00)
the broker closes each such channel with PRECONDITION_FAILED after 1800000 ms, the message is
requeued, another worker starts it again from scratch, and the big reports never finish while
the queue grows. Loud: reports-web's "still pending" complaints, queue depth, the workers'
ChannelClosedByBroker tracebacks. Decoys: a feature-flag notice after the upgrade, a font cache
warning in the workers, ordinary connection closes."""

import random
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Pino, PythonLogging, Record
from scenes import at, fixed, loud, python_traceback
from traffic import traffic

SAO = ZoneInfo("America/Sao_Paulo")
START = datetime(2026, 4, 6, 7, 30, tzinfo=SAO)
MINUTES = 300.0
BIG = (12.0, 14.5, 20.0, 33.0, 47.0)


@dataclass
class RabbitLog:
    """RabbitMQ 3.9+ log: `2026-04-06 09:12:33.123456-03:00 [info] <0.1234.0> message`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(SAO)
        stamp = local.strftime("%Y-%m-%d %H:%M:%S.") + f"{local.microsecond:06d}-03:00"
        level = {"WARN": "warning", "FATAL": "critical"}.get(record.level, record.level.lower())
        pid = record.logger or f"<0.{self.rng.randrange(400, 90000)}.0>"
        return [f"{stamp} [{level}] {pid} {record.message}", *record.trailer]


def bundle() -> Bundle:
    rng = random.Random(39105)
    boot_start = datetime(2026, 4, 6, 7, 30, tzinfo=SAO)
    rabbit = LogFile("logs/rmq-east-1-rabbit.log", RabbitLog(rng))
    rabbit.add(
        [
            at(
                boot_start,
                0.2,
                "INFO",
                "Starting RabbitMQ 3.12.13 on Erlang 26.2.3 [jit]",
                logger="<0.230.0>",
            ),
            at(
                boot_start,
                0.21,
                "INFO",
                " Copyright (c) 2007-2024 Broadcom Inc and/or its subsidiaries",
                logger="<0.230.0>",
            ),
            at(boot_start, 0.23, "INFO", " node           : rabbit@rmq-east-1", logger="<0.230.0>"),
            at(boot_start, 0.24, "INFO", " home dir       : /var/lib/rabbitmq", logger="<0.230.0>"),
            at(
                boot_start,
                0.25,
                "INFO",
                " config file(s) : /etc/rabbitmq/rabbitmq.conf",
                logger="<0.230.0>",
            ),
            at(
                boot_start,
                0.3,
                "WARN",
                "Feature flags: 3 feature flags are supported but not enabled yet: [message_containers, restart_streams, stream_filtering]; enable them with 'rabbitmqctl enable_feature_flag all' once every node is upgraded",
                logger="<0.233.0>",
            ),
            at(
                boot_start,
                0.5,
                "INFO",
                "Server startup complete; 6 plugins started.",
                logger="<0.230.0>",
            ),
        ]
    )
    rabbit.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"accepting AMQP connection <0.{r.randrange(400, 90000)}.0> (10.12.{r.randrange(1, 9)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} -> 10.12.0.21:5672)",
                        (),
                    ),
                    (
                        "INFO",
                        f"connection <0.{r.randrange(400, 90000)}.0> (10.12.{r.randrange(1, 9)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} -> 10.12.0.21:5672): user 'reports' authenticated and granted access to vhost 'reports'",
                        (),
                    ),
                    (
                        "INFO",
                        f"closing AMQP connection <0.{r.randrange(400, 90000)}.0> (10.12.{r.randrange(1, 9)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} -> 10.12.0.21:5672, vhost: 'notify', user: 'notify')",
                        (),
                    ),
                    (
                        "WARN",
                        f"closing AMQP connection <0.{r.randrange(400, 90000)}.0> (10.12.{r.randrange(1, 9)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} -> 10.12.0.21:5672, vhost: 'notify', user: 'notify'):\nclient unexpectedly closed TCP connection".replace(
                            "\n", " "
                        ),
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            1400,
        )
    )
    timeouts = []
    for index, first in enumerate(BIG):
        minute = first + 30.0
        while minute < MINUTES - 1:
            timeouts.append(minute + index * 0.01)
            minute += 30.0 + rng.random() * 0.4
    for n, minute in enumerate(sorted(timeouts)):
        rabbit.add(
            [
                at(
                    START,
                    minute,
                    "WARN",
                    f"Consumer amq.ctag-{rng.getrandbits(64):016x} on channel 1 has timed out waiting for a consumer acknowledgement of a delivery with delivery tag = 1. Timeout used: 1800000 ms. This timeout value can be configured, see consumers doc guide to learn more",
                    logger=f"<0.{31000 + n * 17}.0>",
                ),
                at(
                    START,
                    minute + 0.001,
                    "ERROR",
                    "Channel error on connection <0.%d.0> (10.12.4.%d:%d -> 10.12.0.21:5672, vhost: 'reports', user: 'reports'), channel 1:\noperation none caused a channel exception precondition_failed: delivery acknowledgement on channel 1 timed out. Timeout value used: 1800000 ms. This timeout value can be configured, see consumers doc guide to learn more".replace(
                        "\n", " "
                    )
                    % (30990 + n * 17, 30 + n % 6, 40000 + n * 11),
                    logger=f"<0.{31002 + n * 17}.0>",
                ),
            ]
        )
    worker = LogFile(
        "logs/report-renderer.log",
        PythonLogging(
            ("renderer.worker", "renderer.pdf", "pika.adapters.blocking_connection"), rng
        ),
    )
    worker.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"job {r.getrandbits(48):012x} kind=invoice-batch pages={r.randrange(2, 40)} rendered in {r.randrange(3, 90)}s, acked",
                        (),
                    ),
                    (
                        "INFO",
                        f"job {r.getrandbits(48):012x} kind=statement pages={r.randrange(2, 12)} rendered in {r.randrange(2, 30)}s, acked",
                        (),
                    ),
                    (
                        "INFO",
                        f"received job {r.getrandbits(48):012x} from queue reports.render (redelivered=False)",
                        (),
                    ),
                    (
                        "DEBUG",
                        f"uploaded s3://reports-out/{r.getrandbits(48):012x}.pdf ({r.randrange(80, 9000)} KiB)",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            2600,
        )
    )
    worker.add(
        [
            at(
                START,
                3.0,
                "WARN",
                "Matplotlib is building the font cache; this may take a moment.",
                logger="matplotlib.font_manager",
            )
        ]
    )
    for minute in sorted(timeouts):
        late = rng.uniform(5, 24)
        worker.add(
            [
                at(
                    START,
                    minute + late,
                    "ERROR",
                    f"job audit-{rng.randrange(1000, 9999)} kind=monthly-audit rendered {rng.randrange(700, 1100)} pages in {30 + late:.0f}m but the ack failed; message goes back to the queue",
                    trailer=python_traceback(
                        [
                            (
                                "/app/renderer/worker.py",
                                141,
                                "_ack",
                                "self.channel.basic_ack(delivery_tag=tag)",
                            ),
                            (
                                "/usr/local/lib/python3.11/site-packages/pika/adapters/blocking_connection.py",
                                2106,
                                "basic_ack",
                                "self._flush_output()",
                            ),
                            (
                                "/usr/local/lib/python3.11/site-packages/pika/adapters/blocking_connection.py",
                                1339,
                                "_flush_output",
                                "raise self._closing_reason",
                            ),
                        ],
                        "pika.exceptions.ChannelClosedByBroker: (406, 'PRECONDITION_FAILED - delivery acknowledgement on channel 1 timed out. Timeout value used: 1800000 ms. This timeout value can be configured, see consumers doc guide to learn more')",
                    ),
                    logger="renderer.worker",
                ),
                at(
                    START,
                    minute + late + 0.1,
                    "INFO",
                    f"received job audit-{rng.randrange(1000, 9999)} from queue reports.render (redelivered=True)",
                    logger="renderer.worker",
                ),
            ]
        )
    web = LogFile("logs/reports-web.log", Pino("reports-web-2", rng))
    web.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"GET /reports/{r.getrandbits(40):010x} 200 {r.randrange(5, 80)}ms",
                        (),
                    ),
                    (
                        "INFO",
                        f"report requested kind={r.choice(['statement', 'invoice-batch'])} tenant=t{r.randrange(900)} queued",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            2200,
        )
    )
    web.add(
        loud(
            rng,
            START,
            120.0,
            MINUTES - 121,
            180,
            fixed(
                "WARN",
                lambda r: (
                    f"report audit-{r.randrange(1000, 9999)} kind=monthly-audit still pending after {r.randrange(90, 290)}m (queue reports.render depth={r.randrange(40, 400)})"
                ),
            ),
        )
    )
    notes = "\n".join(
        [
            "Weekend maintenance (Sat 4 Apr): rmq-east-1 upgraded 3.8.9 -> 3.12.13 (via 3.9/3.10/3.11 steps), config file carried over unchanged.",
            "Mon 6 Apr: report-renderer 2.14.0 unchanged since March. 8 replicas, prefetch_count=1, ack after upload.",
            "Monthly audit PDFs usually take 35-55 min each (800+ pages).",
            "",
            "$ rabbitmqctl list_queues -p reports name messages messages_unacknowledged consumers",
            "Timeout: 60.0 seconds ...",
            "Listing queues for vhost reports ...",
            "name\tmessages\tmessages_unacknowledged\tconsumers",
            "reports.render\t318\t8\t8",
            "reports.render.dlq\t0\t0\t0",
            "",
            "$ rabbitmqctl environment | grep -i consumer_timeout",
            "      {consumer_timeout,1800000},",
            "",
        ]
    )
    return Bundle(
        question="Monthly audit reports have been stuck as pending all morning and the render queue keeps growing. What is the root cause?",
        category="configuration",
        component="rmq-east-1",
        statement="rmq-east-1 was upgraded to 3.12.13, whose consumer_timeout defaults to 30 minutes; report-renderer acks audit reports only after 35-55 minutes, so the broker closes the channel with PRECONDITION_FAILED, requeues the message and the reports restart forever.",
        files={
            "maintenance-and-queues.txt": notes,
            "logs/rmq-east-1-rabbit.log": rabbit.render(),
            "logs/report-renderer.log": worker.render(),
            "logs/reports-web.log": web.render(),
        },
        proofs=[
            Proof("logs/rmq-east-1-rabbit.log", "Starting RabbitMQ 3.12.13"),
            Proof("maintenance-and-queues.txt", "{consumer_timeout,1800000}"),
            Proof("logs/rmq-east-1-rabbit.log", "<0.31000.0> Consumer"),
        ],
        decoys=[
            "Feature flags: 3 feature flags are supported but not enabled",
            "Matplotlib is building the font cache",
            "client unexpectedly closed TCP connection",
        ],
    )
