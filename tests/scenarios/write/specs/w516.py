# ruff: noqa: E501
# Hand-written kernel, RabbitMQ and client lines are data, kept whole on one line.
"""RabbitMQ, a partition from a flapping uplink: rmq-2's only uplink eno1 starts dropping its
link for a few seconds at a time from 15:47 CEST. Each drop outlasts the Erlang distribution's
net_tick_timeout, rmq-1 and rmq-3 see rabbit@rmq-2 down, and with `cluster_partition_handling =
pause_minority` rmq-2 pauses itself and closes every client connection on it, again and again.
Publishers connected through rmq-2 lose connections in waves. Decoys: a scanner's failed TLS
handshake, a clock step on rmq-1, order-router's 409 duplicates."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Logfmt, Record, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, traffic, web_api

CEST = timezone(timedelta(hours=2))
START = datetime(2025, 7, 22, 12, 30, tzinfo=UTC)
MINUTES = 150.0
FLAP = 77.0  # 15:47 CEST


@dataclass
class RabbitLog:
    """RabbitMQ 3.12's log: `2025-07-22 14:47:03.123456+02:00 [info] <0.512.0> message`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(CEST)
        level = {"WARN": "warning", "FATAL": "critical"}.get(record.level, record.level.lower())
        return [
            f"{local.isoformat(sep=' ', timespec='microseconds')} [{level}] <0.{self.rng.randrange(200, 9000)}.0> {record.message}"
        ]


def chatter(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = r.random()
    ip = f"10.9.{r.randrange(20, 30)}.{r.randrange(2, 250)}"
    if roll < 0.4:
        return (
            "INFO",
            f"accepting AMQP connection <0.{r.randrange(9000, 90000)}.0> ({ip}:{r.randrange(30000, 60000)} -> 10.9.4.12:5672)",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"connection <0.{r.randrange(9000, 90000)}.0> ({ip}:{r.randrange(30000, 60000)} -> 10.9.4.12:5672): user 'orders' authenticated and granted access to vhost '/orders'",
            (),
        )
    return (
        "INFO",
        f"closing AMQP connection <0.{r.randrange(9000, 90000)}.0> ({ip}:{r.randrange(30000, 60000)} -> 10.9.4.12:5672, vhost: '/orders', user: 'orders')",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(51606)
    flaps = [FLAP + k * rng.uniform(3.5, 6.0) for k in range(13)]
    flaps = [m for m in flaps if m < MINUTES - 3]
    kern = LogFile("logs/rmq-2-syslog", Syslog3164("rmq-2", "kernel", 0))
    kern.add(host_traffic(rng, START, MINUTES, 700))
    kern.add(
        [
            at(
                START,
                8.0,
                "INFO",
                "ixgbe 0000:3b:00.0 eno1: NIC Link is Up 10 Gbps, Flow Control: RX/TX",
            )
        ]
    )
    downs = [rng.uniform(0.95, 1.5) for _ in flaps]
    for m, down in zip(flaps, downs, strict=True):
        kern.add(
            [
                at(START, m, "INFO", "ixgbe 0000:3b:00.0 eno1: NIC Link is Down"),
                at(
                    START,
                    m + down,
                    "INFO",
                    "ixgbe 0000:3b:00.0 eno1: NIC Link is Up 10 Gbps, Flow Control: RX/TX",
                ),
            ]
        )
    text = kern.render()
    first = at(START, flaps[0], "INFO", "ixgbe 0000:3b:00.0 eno1: NIC Link is Down").time
    first_line = (
        first.strftime("%b ")
        + f"{first.day:2d}"
        + first.strftime(" %T")
        + " rmq-2 kernel: ixgbe 0000:3b:00.0 eno1: NIC Link is Down"
    )
    rmq2 = LogFile("logs/rmq-2-rabbit.log", RabbitLog(rng))
    rmq2.add(traffic(rng, chatter, START, MINUTES, 2400))
    rmq1 = LogFile("logs/rmq-1-rabbit.log", RabbitLog(rng))
    rmq1.add(traffic(rng, chatter, START, MINUTES, 1800))
    rmq1.add(
        [
            at(
                START,
                40.0,
                "WARN",
                'error on AMQP connection <0.4411.0> (10.200.7.3:51234 -> 10.9.4.11:5671, state: starting): {handshake_failure, tls_alert, "unsupported protocol version"}',
            )
        ]
    )
    for m, down in zip(flaps, downs, strict=True):
        rmq1.add(
            [
                at(START, m + 0.8, "INFO", "node 'rabbit@rmq-2' down: net_tick_timeout"),
                at(
                    START,
                    m + 0.81,
                    "ERROR",
                    "Mnesia('rabbit@rmq-1'): ** ERROR ** mnesia_event got {inconsistent_database, running_partitioned_network, 'rabbit@rmq-2'}",
                ),
                at(START, m + down + 0.1, "INFO", "node 'rabbit@rmq-2' up"),
            ]
        )
        rmq2.add(
            [
                at(START, m + 0.79, "INFO", "rabbit on node 'rabbit@rmq-1' down"),
                at(
                    START,
                    m + 0.8,
                    "WARN",
                    "Cluster minority/secondary status detected - awaiting recovery",
                ),
                at(
                    START,
                    m + 0.82,
                    "INFO",
                    "Stopping RabbitMQ applications and their dependencies in the following order: rabbitmq_management, rabbit",
                ),
                at(
                    START,
                    m + down + 0.12,
                    "INFO",
                    "Cluster minority/secondary status cleared - recovering",
                ),
            ]
        )
        rmq2.add(
            loud(
                rng,
                START,
                m + 0.83,
                0.05,
                rng.randrange(30, 60),
                fixed(
                    "WARN",
                    lambda r: (
                        f"closing AMQP connection <0.{r.randrange(9000, 90000)}.0> (10.9.{r.randrange(20, 30)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} -> 10.9.4.12:5672, vhost: '/orders', user: 'orders', reason: 'shutdown')"
                    ),
                ),
            )
        )
    rmq1.add(
        [
            at(
                START,
                63.0,
                "WARN",
                "Clock jumped forward by 1.8 s (chronyd step on rmq-1 after restart)",
            )
        ]
    )
    router = LogFile("logs/order-router.log", Logfmt("order-router", rng))
    router.add(traffic(rng, web_api("order-router", ["orders", "routes"]), START, MINUTES, 3000))
    for m in flaps:
        router.add(
            loud(
                rng,
                START,
                m + 0.83,
                0.6,
                rng.randrange(20, 40),
                fixed(
                    "ERROR",
                    lambda r: (
                        f"publish order.created id={r.getrandbits(48):012x} failed: Exception (320) Reason: \"CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'\""
                    ),
                ),
            )
        )
        router.add(
            loud(
                rng,
                START,
                m + 0.9,
                0.5,
                rng.randrange(10, 20),
                fixed(
                    "WARN",
                    lambda r: (
                        "amqp reconnect to rmq-2:5672 failed: dial tcp 10.9.4.12:5672: connect: connection refused; retrying in 2s"
                    ),
                ),
            )
        )
    router.add(
        loud(
            rng,
            START,
            30,
            2,
            25,
            fixed(
                "WARN",
                lambda r: (
                    f"POST /api/v1/orders 409 duplicate idempotency key {r.getrandbits(32):08x}"
                ),
            ),
        )
    )
    link = "\n".join(
        [
            "[root@rmq-2 ~]# ip -br link show eno1",
            "eno1             UP             3c:ec:ef:41:0a:12 <BROADCAST,MULTICAST,UP,LOWER_UP>",
            "[root@rmq-2 ~]# cat /sys/class/net/eno1/carrier_changes",
            f"{2 + 2 * len(flaps)}",
            "[root@rmq-1 ~]# cat /sys/class/net/eno1/carrier_changes",
            "2",
            "[root@rmq-2 ~]# grep -E 'net_ticktime|partition' /etc/rabbitmq/rabbitmq.conf",
            "cluster_partition_handling = pause_minority",
            "",
        ]
    )
    notes = "\n".join(
        [
            "RabbitMQ cluster orders-mq: rmq-1, rmq-2, rmq-3 (3.12.14), cluster_partition_handling = pause_minority",
            "order-router publishers connect via DNS round-robin, a third of them land on rmq-2",
            "16:20 CEST: order-router reports publish failures in waves since ~15:47; management UI shows rmq-2 going red/green",
            "",
        ]
    )
    return Bundle(
        question="order-router has been failing to publish orders in waves since about 15:47 CEST. What is the root cause?",
        category="network",
        component="rmq-2",
        statement="rmq-2's uplink eno1 keeps losing link for several seconds; each outage exceeds the Erlang net_tick_timeout, the cluster sees a partition and pause_minority pauses rmq-2, closing every client connection on it, so publishers fail in waves.",
        files={
            "notes.txt": notes,
            "logs/rmq-2-syslog": text,
            "rmq-2-link.txt": link,
            "logs/rmq-2-rabbit.log": rmq2.render(),
            "logs/rmq-1-rabbit.log": rmq1.render(),
            "logs/order-router.log": router.render(),
        },
        proofs=[
            Proof("logs/rmq-2-syslog", first_line),
            Proof(
                "rmq-2-link.txt",
                "rmq-2 ~]# cat /sys/class/net/eno1/carrier_changes",
                f"{2 + 2 * len(flaps)}",
            ),
        ],
        decoys=["handshake_failure", "Clock jumped forward", "409 duplicate idempotency key"],
    )
