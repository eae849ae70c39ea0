# ruff: noqa: E501
# RabbitMQ, worker log lines and pasted command output are data, kept whole on one line.
"""RabbitMQ, client heartbeats switched off: billing-worker 3.9.0 (deployed 07:50 UTC) moved to a
new AMQP settings module that passes `heartbeat=0`. Its consumers sit on a firewall (fw-dc1-core)
whose idle TCP session timeout is 900 s. Overnight-quiet queue `invoices.render` gets no messages
for a while; the firewall silently expires the idle flows; neither end notices, RabbitMQ keeps
the consumers listed and pushes deliveries into dead sockets; messages pile up unacked and
invoices stop. Decoys: a RabbitMQ memory high-watermark notice that clears, a publisher's
channel-level precondition error on another exchange, and a slow PDF render warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record
from scenes import at, fixed, loud
from traffic import traffic, worker

START = datetime(2026, 5, 6, 7, 20, tzinfo=UTC)
MINUTES = 210.0
DEPLOY = 30.0  # 07:50
IDLE_END = 52.0  # quiet until ~08:12, flows expire ~08:05


@dataclass
class RabbitLog:
    """RabbitMQ 3.12's log: `2026-05-06 07:20:00.123456+00:00 [info] <0.1234.0> message`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        level = {"WARN": "warning", "ERROR": "error", "INFO": "info", "DEBUG": "debug"}[
            record.level
        ]
        stamp = record.time.strftime("%Y-%m-%d %H:%M:%S.%f") + "+00:00"
        proc = f"<0.{self.rng.randrange(1000, 99999)}.0>"
        return [f"{stamp} [{level}] {proc} {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(61604)
    rabbit = LogFile("rabbit-dc1-02/rabbit.log", RabbitLog(rng))
    rabbit.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"accepting AMQP connection <0.{r.randrange(1000, 99999)}.0> (10.30.{r.randrange(1, 6)}.{r.randrange(2, 250)}:{r.randrange(32768, 60999)} -> 10.30.9.12:5672)",
                        (),
                    ),
                    (
                        "INFO",
                        f"connection <0.{r.randrange(1000, 99999)}.0> (10.30.{r.randrange(1, 6)}.{r.randrange(2, 250)}:{r.randrange(32768, 60999)} -> 10.30.9.12:5672): user 'svc_orders' authenticated and granted access to vhost 'prod'",
                        (),
                    ),
                    (
                        "INFO",
                        f"closing AMQP connection <0.{r.randrange(1000, 99999)}.0> (10.30.{r.randrange(1, 6)}.{r.randrange(2, 250)}:{r.randrange(32768, 60999)} -> 10.30.9.12:5672, vhost: 'prod', user: 'svc_orders')",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            900,
        )
    )
    for minute, port in ((DEPLOY + 1.0, 41822), (DEPLOY + 1.1, 41830), (DEPLOY + 1.3, 52114)):
        rabbit.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"accepting AMQP connection <0.{port}.0> (10.30.4.{17 if port < 50000 else 18}:{port} -> 10.30.9.12:5672)",
                ),
                at(
                    START,
                    minute + 0.01,
                    "INFO",
                    f"connection <0.{port}.0> (10.30.4.{17 if port < 50000 else 18}:{port} -> 10.30.9.12:5672): user 'svc_billing' authenticated and granted access to vhost 'prod'",
                ),
                at(
                    START,
                    minute + 0.02,
                    "INFO",
                    f"connection <0.{port}.0>: client heartbeat of 0 negotiated, heartbeats disabled (server suggested 60)",
                ),
            ]
        )
    rabbit.add(
        [
            at(
                START,
                12.0,
                "WARN",
                "memory resource limit alarm set on node 'rabbit@rabbit-dc1-02'. Publishers will be blocked until this alarm clears",
            ),
            at(
                START,
                13.5,
                "WARN",
                "memory resource limit alarm cleared on node 'rabbit@rabbit-dc1-02'",
            ),
            at(
                START,
                98.0,
                "ERROR",
                "Channel error on connection <0.88123.0> (10.30.2.44:50122 -> 10.30.9.12:5672, vhost: 'prod', user: 'svc_audit'), channel 1: operation exchange.declare caused a channel exception precondition_failed: inequivalent arg 'durable' for exchange 'audit.fanout' in vhost 'prod': received 'false' but current is 'true'",
            ),
        ]
    )
    billing = LogFile(
        "billing-worker/worker.log",
        PythonLogging(
            (
                "billing.consumer",
                "billing.render",
                "pika.adapters.blocking_connection",
                "billing.app",
            ),
            rng,
        ),
    )
    billing.add(traffic(rng, worker("billing-worker", ["invoices.render"]), START, 24.0, 900))
    billing.add(
        [
            at(
                START,
                DEPLOY + 0.5,
                "INFO",
                "billing-worker 3.9.0 starting (git 4be19c2), settings module billing.settings.amqp_v2",
                logger="billing.app",
            ),
            at(
                START,
                DEPLOY + 0.6,
                "INFO",
                "AMQP parameters: host=rabbit-dc1-02.prod.internal port=5672 vhost=prod heartbeat=0 blocked_connection_timeout=None socket_timeout=10 prefetch=20",
                logger="billing.app",
            ),
            at(
                START,
                DEPLOY + 1.4,
                "INFO",
                "consumer 3 started on queue invoices.render (prefetch 20)",
                logger="billing.consumer",
            ),
            at(
                START,
                20.0,
                "WARN",
                "render of invoice INV-2026-0448120 took 9.8s (threshold 5s), 41 pages",
                logger="billing.render",
            ),
        ]
    )
    billing.add(
        traffic(
            rng, worker("billing-worker", ["invoices.render"]), START.replace(minute=52), 5.0, 160
        )
    )
    billing.add(
        loud(
            rng,
            START,
            IDLE_END + 8,
            MINUTES - IDLE_END - 9,
            180,
            fixed(
                "DEBUG",
                lambda r: (
                    f"consumer {r.randrange(1, 4)} waiting for deliveries on invoices.render (connection open, channel 1, last delivery {r.randrange(40, 180)} min ago)"
                ),
            ),
        )
    )
    api = LogFile(
        "billing-api/app.log", PythonLogging(("billing_api.views", "billing_api.queue"), rng)
    )
    api.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"POST /invoices/{r.randrange(10**6)}/render 202 queued to invoices.render in {r.randrange(2, 15)}ms",
                (),
            ),
            START,
            MINUTES,
            2400,
        )
    )
    api.add(
        loud(
            rng,
            START,
            IDLE_END + 30,
            MINUTES - IDLE_END - 31,
            140,
            fixed(
                "WARN",
                lambda r: (
                    f"invoice INV-2026-0{r.randrange(449000, 452000)} still not rendered after {r.randrange(30, 140)} min; customer notified of delay"
                ),
            ),
        )
    )
    paste = "\n".join(
        [
            "ops@rabbit-dc1-02:~$ rabbitmqctl list_queues -p prod name messages_ready messages_unacknowledged consumers | grep invoices",
            "invoices.render\t18211\t60\t3",
            "ops@rabbit-dc1-02:~$ rabbitmqctl list_connections -p prod user peer_host peer_port timeout recv_oct send_oct state | grep svc_billing",
            "svc_billing\t10.30.4.17\t41822\t0\t48211\t9912834\trunning",
            "svc_billing\t10.30.4.17\t41830\t0\t47002\t10022105\trunning",
            "svc_billing\t10.30.4.18\t52114\t0\t46120\t9870012\trunning",
            "ops@rabbit-dc1-02:~$ ss -tno state established '( sport = :5672 )' | grep 10.30.4.1",
            "0      2616112  10.30.9.12:5672   10.30.4.17:41822 timer:(on,1min32sec,14)",
            "0      2597020  10.30.9.12:5672   10.30.4.17:41830 timer:(on,1min8sec,14)",
            "0      2640288  10.30.9.12:5672   10.30.4.18:52114 timer:(on,1min51sec,15)",
            "",
            "netops@fw-dc1-core> show session all filter destination 10.30.9.12 destination-port 5672 source 10.30.4.17",
            "No matching sessions.",
            "netops@fw-dc1-core> show running application setting | match tcp-timeout",
            "  tcp-timeout:                               900 (application default)",
            "",
        ]
    )
    return Bundle(
        question="Invoices have stopped being rendered since roughly 08:15 UTC; the invoices.render queue keeps growing although three consumers are connected. What is the root cause?",
        category="configuration",
        component="billing-worker",
        statement="billing-worker 3.9.0 connects to RabbitMQ with heartbeat=0, so its quiet AMQP connections carry no traffic; fw-dc1-core drops the idle flows after its 900 s TCP timeout and the consumers sit on dead sockets while RabbitMQ still counts them, so invoices.render backs up.",
        files={
            "rabbit-dc1-02/rabbit.log": rabbit.render(),
            "rabbit-dc1-02/shell.txt": paste,
            "billing-worker/worker.log": billing.render(),
            "billing-api/app.log": api.render(),
        },
        proofs=[
            Proof("billing-worker/worker.log", "heartbeat=0 blocked_connection_timeout"),
            Proof("rabbit-dc1-02/rabbit.log", "41822.0>: client heartbeat of 0 negotiated"),
            Proof("rabbit-dc1-02/shell.txt", "No matching sessions."),
        ],
        decoys=[
            "memory resource limit alarm set",
            "inequivalent arg 'durable'",
            "took 9.8s (threshold 5s)",
        ],
    )
