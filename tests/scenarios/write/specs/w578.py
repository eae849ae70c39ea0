# ruff: noqa: E501
# RabbitMQ, zap and Python log lines and the pasted rabbitmqctl output are data, kept whole on one line.
"""RabbitMQ, a permission regex that no longer matches: a definitions import at 16:20 BRT
(19:20 UTC) on mq-orders-01 replaced the `order-svc` user's write permission with
`^(orders|order-svc)\\..*`, meant to match `orders.*` exchanges; the service publishes to the
exchange `order-events`, which does not match. Every basic.publish is refused with
ACCESS_REFUSED, the channel closes, and order-service keeps orders in its outbox while the
fulfillment worker receives nothing. Decoys: a management login refused for `guest`, routine
client disconnects, and an earlier heartbeat timeout in fulfillment-worker."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record, Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api, worker

BRT = ZoneInfo("America/Sao_Paulo")
START = datetime(2026, 7, 14, 17, 45, tzinfo=UTC)  # 14:45 BRT
MINUTES = 150.0
IMPORT = 95.0  # 19:20 UTC


@dataclass
class RabbitLog:
    """RabbitMQ 3.12's log: `2026-07-14 19:20:03.118412+00:00 [info] <0.123.0> message`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%d %H:%M:%S.%f") + "+00:00"
        level = {"INFO": "info", "WARN": "warning", "ERROR": "error"}.get(record.level, "debug")
        pid = record.logger or f"<0.{self.rng.randrange(1000, 60000)}.0>"
        return [f"{stamp} [{level}] {pid} {line}" for line in (record.message, *record.trailer)]


def rabbit_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    client = f"10.3.{rng.randrange(2, 8)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 61000)} -> 10.3.9.10:5672"
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f"accepting AMQP connection <0.{rng.randrange(1000, 60000)}.0> ({client})",
            (),
        )
    if roll < 0.7:
        user = rng.choice(["fulfillment", "notify-svc", "audit-svc"])
        return (
            "INFO",
            f"connection <0.{rng.randrange(1000, 60000)}.0> ({client}): user '{user}' authenticated and granted access to vhost '/orders'",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"closing AMQP connection <0.{rng.randrange(1000, 60000)}.0> ({client}, vhost: '/orders', user: 'notify-svc')",
            (),
        )
    return (
        "WARN",
        f"closing AMQP connection <0.{rng.randrange(1000, 60000)}.0> ({client}, vhost: '/orders', user: 'audit-svc'):\nclient unexpectedly closed TCP connection",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(57806)
    mq = LogFile("mq-orders-01/rabbit.log", RabbitLog(rng))
    for record in traffic(rng, rabbit_line, START, MINUTES, 1900):
        head, *rest = record.message.split("\n")
        mq.add([Record(record.time, record.level, head, tuple(rest), record.logger)])
    mq.add(
        [
            at(
                START,
                30.0,
                "WARN",
                "HTTP access denied: user 'guest' - User can only log in via localhost",
            ),
            at(
                START,
                IMPORT,
                "INFO",
                "Asked to import definitions. Acting user: deploy-bot",
                logger="<0.8812.0>",
            ),
            at(
                START,
                IMPORT + 0.01,
                "INFO",
                "Importing concurrently 4 users...",
                logger="<0.8812.0>",
            ),
            at(
                START,
                IMPORT + 0.02,
                "INFO",
                "Importing concurrently 6 permissions...",
                logger="<0.8812.0>",
            ),
            at(
                START,
                IMPORT + 0.03,
                "INFO",
                "Successfully set permissions for user 'order-svc' in virtual host '/orders' to '^order-svc\\..*', '^(orders|order-svc)\\..*', '^order-svc\\..*'",
                logger="<0.8812.0>",
            ),
            at(
                START,
                IMPORT + 0.04,
                "INFO",
                "Successfully set permissions for user 'fulfillment' in virtual host '/orders' to '^fulfillment\\..*', '^fulfillment\\..*', '^(fulfillment\\..*|order-events)$'",
                logger="<0.8812.0>",
            ),
            at(
                START,
                IMPORT + 0.05,
                "INFO",
                "Definitions import finished in 0.21 seconds",
                logger="<0.8812.0>",
            ),
        ]
    )

    def refused(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "ERROR",
            f"Channel error on connection <0.{r.randrange(60000, 90000)}.0> (10.3.5.{r.randrange(20, 30)}:{r.randrange(30000, 61000)} -> 10.3.9.10:5672, vhost: '/orders', user: 'order-svc'), channel 1:",
            (
                "operation basic.publish caused a channel exception access_refused: write access to exchange 'order-events' in vhost '/orders' refused for user 'order-svc'",
            ),
        )

    mq.add(loud(rng, START, IMPORT + 0.3, MINUTES - IMPORT - 1, 380, refused))
    orders = LogFile(
        "order-service/order-service.log",
        Zap(
            (
                "outbox/relay.go:144",
                "api/checkout.go:88",
                "amqp/publisher.go:61",
                "db/orders.go:203",
            ),
            rng,
        ),
    )
    orders.add(traffic(rng, web_api("order-service", ["orders", "checkout"]), START, MINUTES, 3300))
    orders.add(
        loud(
            rng,
            START,
            IMPORT + 0.3,
            MINUTES - IMPORT - 1,
            390,
            fixed(
                "ERROR",
                lambda r: (
                    f"publish order.created id=ord_{r.getrandbits(40):010x} failed: Exception (403) Reason: \"ACCESS_REFUSED - write access to exchange 'order-events' in vhost '/orders' refused for user 'order-svc'\"; reopening channel, kept in outbox"
                ),
            ),
        )
    )
    orders.add(
        loud(
            rng,
            START,
            IMPORT + 5,
            MINUTES - IMPORT - 6,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f"outbox backlog {r.randrange(300, 9000)} rows, oldest {r.randrange(5, 54)}m"
                ),
            ),
        )
    )
    for index, record in enumerate(orders.records):
        if "ACCESS_REFUSED" in record.message or "outbox backlog" in record.message:
            orders.records[index] = Record(
                record.time, record.level, record.message, record.trailer, "outbox/relay.go:144"
            )
    ful = LogFile(
        "fulfillment-worker/worker.log",
        PythonLogging(
            (
                "fulfillment.consumer",
                "fulfillment.picking",
                "pika.adapters.utils.io_services_utils",
            ),
            rng,
        ),
    )
    ful.add(
        traffic(
            rng,
            worker("fulfillment-worker", ["order.created", "order.paid"]),
            START,
            IMPORT + 0.4,
            2100,
        )
    )
    ful.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                "waiting for messages on fulfillment.order-created (prefetch=20, delivered in last 60s: 0)",
                (),
            ),
            datetime(2026, 7, 14, 19, 21, tzinfo=UTC),
            MINUTES - IMPORT - 1,
            60,
        )
    )
    ful.add(
        [
            at(
                START,
                41.0,
                "WARN",
                "Connection to 10.3.9.10:5672 lost: missed heartbeats from server (timeout 60s); reconnected, consumer restored",
                logger="pika.adapters.utils.io_services_utils",
            )
        ]
    )
    perms = "\n".join(
        [
            "$ rabbitmqctl list_user_permissions order-svc",
            'Listing permissions for user "order-svc" ...',
            "vhost\tconfigure\twrite\tread",
            "/orders\t^order-svc\\..*\t^(orders|order-svc)\\..*\t^order-svc\\..*",
            "",
            "$ rabbitmqctl list_exchanges -p /orders name type",
            "Listing exchanges for vhost /orders ...",
            "name\ttype",
            "order-events\ttopic",
            "amq.topic\ttopic",
            "order-svc.dlx\tfanout",
            "fulfillment.retry\tdirect",
            "\tdirect",
            "",
        ]
    )
    return Bundle(
        question="No new orders have reached fulfillment since about 16:20 BRT, although checkout still says orders are accepted. What is the root cause?",
        category="permission",
        component="mq-orders-01",
        statement="A definitions import on mq-orders-01 at 16:20 BRT set order-svc's write permission to ^(orders|order-svc)\\..*, which does not match the exchange order-events it publishes to, so every basic.publish is refused with ACCESS_REFUSED and orders stay in order-service's outbox.",
        files={
            "mq-orders-01/rabbit.log": mq.render(),
            "mq-orders-01/rabbitmqctl.txt": perms,
            "order-service/order-service.log": orders.render(),
            "fulfillment-worker/worker.log": ful.render(),
        },
        proofs=[
            Proof("mq-orders-01/rabbit.log", "Successfully set permissions for user 'order-svc'"),
            Proof("mq-orders-01/rabbitmqctl.txt", "/orders\t^order-svc"),
        ],
        decoys=[
            "HTTP access denied: user 'guest'",
            "client unexpectedly closed TCP connection",
            "missed heartbeats from server (timeout 60s)",
        ],
    )
