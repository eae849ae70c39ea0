# ruff: noqa: E501
# Hand-written RabbitMQ, Python lines and pasted configuration are data, kept whole on one line.
"""RabbitMQ, `channel_max` cut to 16: a hardening change (CHG-5521) applied to mq-prod-1 at
05:30 UTC set `channel_max = 16` in rabbitmq.conf, copied from a guide, and the node was
restarted. notify-dispatcher's publishers open one channel per worker thread (32 per
connection); after the restart, when they reconnect, every channel above 16 is refused with
`NOT_ALLOWED - number of channels opened (16) has reached the negotiated channel_max (16)`, half
the workers die and notifications back up. The pre-existing connections on the other node are
fine. Decoys: a queue federation link warning, a memory alarm that cleared in seconds on
mq-prod-2, and a slow SMTP relay warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, worker

START = datetime(2026, 10, 13, 4, 45, tzinfo=UTC)
MINUTES = 130.0
RESTART = 45.0


@dataclass
class Rabbit:
    """RabbitMQ 3.12's log: `2026-10-13 04:45:00.123456+00:00 [info] <0.812.0> message`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "info", "WARN": "warning", "ERROR": "error", "DEBUG": "debug"}[
            record.level
        ]
        stamp = record.time.strftime("%Y-%m-%d %H:%M:%S.") + f"{record.time.microsecond:06d}+00:00"
        pid = record.logger or f"<0.{self.rng.randrange(300, 90000)}.0>"
        return [f"{stamp} [{level}] {pid} {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(54505)
    mq = LogFile("logs/mq-prod-1-rabbit.log", Rabbit(rng))
    mq.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"accepting AMQP connection <0.{r.randrange(3000, 90000)}.0> (10.12.{r.randrange(4, 9)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} -> 10.12.1.11:5672)",
                        (),
                    ),
                    (
                        "INFO",
                        f"connection <0.{r.randrange(3000, 90000)}.0> (10.12.{r.randrange(4, 9)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} -> 10.12.1.11:5672): user 'billing' authenticated and granted access to vhost '/billing'",
                        (),
                    ),
                    (
                        "INFO",
                        f"closing AMQP connection <0.{r.randrange(3000, 90000)}.0> (10.12.{r.randrange(4, 9)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} -> 10.12.1.11:5672, vhost: '/billing', user: 'billing')",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            900,
        )
    )
    mq.add(
        [
            at(START, RESTART - 0.4, "INFO", "RabbitMQ is asked to stop...", logger="<0.5821.0>"),
            at(
                START,
                RESTART - 0.2,
                "INFO",
                "Successfully stopped RabbitMQ and its dependencies",
                logger="<0.5821.0>",
            ),
            at(
                START,
                RESTART,
                "INFO",
                "Starting RabbitMQ 3.12.14 on Erlang 26.2.5 [jit]",
                logger="<0.230.0>",
            ),
            at(
                START,
                RESTART + 0.01,
                "INFO",
                " Config file(s)       : /etc/rabbitmq/rabbitmq.conf",
                logger="<0.230.0>",
            ),
            at(
                START,
                RESTART + 0.02,
                "INFO",
                "                       : /etc/rabbitmq/conf.d/10-defaults.conf",
                logger="<0.230.0>",
            ),
            at(
                START,
                RESTART + 0.03,
                "INFO",
                "                       : /etc/rabbitmq/conf.d/40-hardening.conf",
                logger="<0.230.0>",
            ),
            at(
                START,
                RESTART + 0.3,
                "INFO",
                "Server startup complete; 6 plugins started.",
                logger="<0.230.0>",
            ),
            at(
                START,
                20.0,
                "WARN",
                "Federation link (upstream: dc2-billing, policy: federate-billing) received 'connection_closed_abruptly', restarting in 1s",
                logger="<0.4120.0>",
            ),
        ]
    )
    mq.add(
        loud(
            rng,
            START,
            RESTART + 0.6,
            MINUTES - RESTART - 1,
            430,
            fixed(
                "ERROR",
                lambda r: (
                    f"Error on AMQP connection <0.{r.randrange(6000, 9000)}.0> (10.12.6.{r.randrange(20, 40)}:{r.randrange(30000, 60000)} -> 10.12.1.11:5672, vhost: '/notify', user: 'notify', state: running), channel 0:\n operation channel.open caused a connection exception not_allowed: \"number of channels opened (16) has reached the negotiated channel_max (16)\"".replace(
                        "\n", ""
                    )
                ),
            ),
        )
    )
    mq2 = LogFile("logs/mq-prod-2-rabbit.log", Rabbit(rng))
    mq2.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"accepting AMQP connection <0.{r.randrange(3000, 90000)}.0> (10.12.{r.randrange(4, 9)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} -> 10.12.1.12:5672)",
                (),
            ),
            START,
            MINUTES,
            400,
        )
    )
    mq2.add(
        [
            at(
                START,
                88.0,
                "WARN",
                "memory resource limit alarm set on node 'rabbit@mq-prod-2'.",
                logger="<0.488.0>",
            ),
            at(
                START,
                88.02,
                "WARN",
                "Publishers will be blocked until this alarm clears",
                logger="<0.488.0>",
            ),
            at(
                START,
                88.3,
                "INFO",
                "memory resource limit alarm cleared on node 'rabbit@mq-prod-2'",
                logger="<0.488.0>",
            ),
        ]
    )
    disp = LogFile(
        "logs/notify-dispatcher.log",
        PythonLogging(
            ("notify.dispatch", "notify.smtp", "notify.push", "pika.adapters.blocking_connection"),
            rng,
        ),
    )
    disp.add(
        traffic(
            rng,
            worker("notify-dispatcher", ["notify.email", "notify.push", "notify.sms"]),
            START,
            MINUTES,
            4200,
        )
    )
    disp.add(
        [
            at(
                START,
                RESTART - 0.15,
                "WARN",
                "Connection to mq-prod-1.internal:5672 lost (ConnectionClosedByBroker: (320) \"CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'\"), reconnecting",
                logger="notify.dispatch",
            ),
            at(
                START,
                RESTART + 0.5,
                "INFO",
                "Connected to mq-prod-1.internal:5672 (channel_max=16, frame_max=131072, heartbeat=60)",
                logger="pika.adapters.blocking_connection",
            ),
            at(
                START,
                67.0,
                "WARN",
                "SMTP relay smtp-out-2 answered 451 4.7.1 try again later, message requeued",
                logger="notify.smtp",
            ),
        ]
    )
    tb = python_traceback(
        [
            (
                "/srv/notify/notify/dispatch.py",
                141,
                "_worker",
                "channel = self.connection.channel()",
            ),
            (
                "/srv/notify/.venv/lib/python3.11/site-packages/pika/adapters/blocking_connection.py",
                821,
                "channel",
                "impl_channel = self._impl.channel(",
            ),
            (
                "/srv/notify/.venv/lib/python3.11/site-packages/pika/connection.py",
                1267,
                "channel",
                "raise exceptions.NoFreeChannels()",
            ),
        ],
        "pika.exceptions.NoFreeChannels",
    )
    disp.add(
        loud(
            rng,
            START,
            RESTART + 0.55,
            MINUTES - RESTART - 1,
            300,
            fixed(
                "ERROR",
                lambda r: f"worker notify-w{r.randrange(16, 32)} could not open a channel, exiting",
                lambda r: tb,
            ),
        )
    )
    disp.add(
        loud(
            rng,
            START,
            RESTART + 5,
            MINUTES - RESTART - 6,
            200,
            fixed(
                "WARN",
                lambda r: (
                    f"backlog notify.email ready={r.randrange(20000, 180000)} consumers=16 (expected 32)"
                ),
            ),
        )
    )
    conf = "\n".join(
        [
            "root@mq-prod-1:~# cat /etc/rabbitmq/conf.d/40-hardening.conf",
            "# CHG-5521 broker hardening (from the security baseline guide), applied 2026-10-13 05:30 UTC",
            "loopback_users.guest = true",
            "listeners.tcp.default = 5672",
            "channel_max = 16",
            "heartbeat = 60",
            "max_message_size = 134217728",
            "",
            "root@mq-prod-2:~# ls /etc/rabbitmq/conf.d/",
            "10-defaults.conf",
            "root@mq-prod-2:~# rabbitmq-diagnostics environment | grep -E 'channel_max'",
            "      {channel_max,2047},",
            "root@mq-prod-1:~# rabbitmq-diagnostics environment | grep -E 'channel_max'",
            "      {channel_max,16},",
            "",
        ]
    )
    return Bundle(
        question="Email and push notifications are delayed by up to an hour since about 05:30 UTC; notify-dispatcher workers keep exiting. What is the root cause?",
        category="configuration",
        component="mq-prod-1",
        statement="CHG-5521's hardening file set channel_max = 16 on mq-prod-1 and the node was restarted; notify-dispatcher opens 32 channels per connection, so channels above 16 are refused with NOT_ALLOWED and half its workers exit.",
        files={
            "mq-prod-config.txt": conf,
            "logs/mq-prod-1-rabbit.log": mq.render(),
            "logs/mq-prod-2-rabbit.log": mq2.render(),
            "logs/notify-dispatcher.log": disp.render(),
        },
        proofs=[
            Proof("mq-prod-config.txt", "channel_max = 16"),
            Proof("mq-prod-config.txt", "{channel_max,16}"),
        ],
        decoys=[
            "Federation link (upstream: dc2-billing",
            "memory resource limit alarm set",
            "451 4.7.1 try again later",
        ],
    )
