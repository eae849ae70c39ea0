# ruff: noqa: E501
# Hand-written RabbitMQ, HAProxy and pika lines and pasted rabbitmqctl output are data, kept whole on one line.
"""RabbitMQ, a rebuilt node with the wrong Erlang cookie: mq-3 was rebuilt on Ubuntu 24.04 on
10 February; the playbook's cookie task was skipped (its vault variable had been renamed), so
the package generated a fresh random cookie. When mq-3 started, mq-1 and mq-2 rejected its
distribution connections ("Invalid challenge reply") and mq-3, unable to reach any peer,
started as a blank standalone node: no vhosts, no users. The HAProxy frontend only TCP-checks
port 5672, so when mq-3 was put back in rotation at 07:10 Sydney time about a third of new AMQP
connections landed on it and were refused (`invalid credentials`). Loud: order-api's
ACCESS_REFUSED errors, which read like a credentials problem. Decoys: missed heartbeats on mq-2,
the classic-mirroring deprecation warning, a memory alarm note from last week."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record, Syslog3164
from scenes import at, fixed, loud
from traffic import traffic, web_api

SYDNEY = ZoneInfo("Australia/Sydney")
START = datetime(2026, 2, 10, 19, 30, tzinfo=UTC)
MINUTES = 110.0
ROTATION = 10.0 + 30.0
REBUILD = -820.0


@dataclass
class Rabbit:
    """RabbitMQ 3.13's log: `2026-02-11 07:10:03.123456+11:00 [error] <0.812.0> message`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(SYDNEY)
        stamp = (
            local.strftime("%Y-%m-%d %H:%M:%S.%f")
            + local.strftime("%z")[:3]
            + ":"
            + local.strftime("%z")[3:]
        )
        level = {"WARN": "warning", "FATAL": "critical"}.get(record.level, record.level.lower())
        pid = f"<0.{self.rng.randrange(200, 90000)}.0>"
        return [
            f"{stamp} [{level}] {pid} {record.message}",
            *(f"{stamp} [{level}] {pid} {line}" for line in record.trailer),
        ]


def client_conn(r: random.Random) -> str:
    return f"10.70.{r.randrange(8, 12)}.{r.randrange(2, 250)}:{r.randrange(32768, 60999)}"


def bundle() -> Bundle:
    rng = random.Random(42121)
    mq1 = LogFile("logs/mq-1-rabbit.log", Rabbit(rng))

    def ordinary(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        roll = r.random()
        if roll < 0.45:
            return (
                "INFO",
                f"accepting AMQP connection <0.{r.randrange(1000, 90000)}.0> ({client_conn(r)} -> 10.70.2.11:5672)",
                (),
            )
        if roll < 0.8:
            return (
                "INFO",
                f"connection <0.{r.randrange(1000, 90000)}.0> ({client_conn(r)} -> 10.70.2.11:5672): user 'svc-orders' authenticated and granted access to vhost 'orders'",
                (),
            )
        return (
            "INFO",
            f"closing AMQP connection <0.{r.randrange(1000, 90000)}.0> ({client_conn(r)} -> 10.70.2.11:5672, vhost: 'orders', user: 'svc-orders')",
            (),
        )

    mq1.add(
        traffic(
            rng, ordinary, START + timedelta(minutes=REBUILD - 20), MINUTES - REBUILD + 20, 1800
        )
    )
    mq1.add(
        [
            at(
                START,
                REBUILD - 10,
                "WARN",
                "Classic mirrored queues are deprecated and will be removed in RabbitMQ 4.0. Policies 'ha-orders' configure mirroring",
            ),
            at(
                START,
                REBUILD + 2.0,
                "ERROR",
                "** Connection attempt from node 'rabbit@mq-3' rejected. Invalid challenge reply. **",
            ),
            at(START, REBUILD + 2.6, "INFO", "node 'rabbit@mq-3' down: connection_closed"),
        ]
    )
    mq3 = LogFile("logs/mq-3-rabbit.log", Rabbit(rng))
    mq3.add(
        [
            at(START, REBUILD + 1.5, "INFO", "Starting RabbitMQ 3.13.7 on Erlang 26.2.5.2 [jit]"),
            at(
                START,
                REBUILD + 1.6,
                "INFO",
                "Peer discovery backend rabbit_peer_discovery_classic_config does not support registration, skipping registration.",
            ),
            at(
                START,
                REBUILD + 2.0,
                "INFO",
                "All discovered existing cluster peers: rabbit@mq-1, rabbit@mq-2",
            ),
            at(
                START,
                REBUILD + 2.1,
                "WARN",
                "Could not auto-cluster with node rabbit@mq-1: {badrpc,nodedown}",
            ),
            at(
                START,
                REBUILD + 2.4,
                "WARN",
                "Could not auto-cluster with node rabbit@mq-2: {badrpc,nodedown}",
            ),
            at(
                START,
                REBUILD + 2.7,
                "WARN",
                "Could not successfully contact any node of: rabbit@mq-1,rabbit@mq-2 (as in Erlang distribution). Starting as a blank standalone node...",
            ),
            at(
                START,
                REBUILD + 2.9,
                "INFO",
                "Adding vhost '/' (description: 'Default virtual host', tags: [])",
            ),
            at(START, REBUILD + 3.0, "INFO", "Creating user 'guest'"),
            at(START, REBUILD + 3.4, "INFO", "Server startup complete; 5 plugins started."),
        ]
    )
    mq3.add(
        loud(
            rng,
            START,
            ROTATION + 0.3,
            MINUTES - ROTATION - 2,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"Error on AMQP connection <0.{r.randrange(1000, 90000)}.0> ({client_conn(r)} -> 10.70.2.13:5672, state: starting):\nPLAIN login refused: user 'svc-orders' - invalid credentials"
                ),
            ),
        )
    )
    mq3.records = [
        Record(
            x.time, x.level, x.message.split("\n")[0], tuple(x.message.split("\n")[1:]), x.logger
        )
        for x in mq3.records
    ]
    mq2 = LogFile("logs/mq-2-rabbit.log", Rabbit(rng))
    mq2.add(
        traffic(
            rng, ordinary, START + timedelta(minutes=REBUILD - 20), MINUTES - REBUILD + 20, 1100
        )
    )
    mq2.add(
        [
            at(
                START,
                REBUILD + 2.4,
                "ERROR",
                "** Connection attempt from node 'rabbit@mq-3' rejected. Invalid challenge reply. **",
            )
        ]
    )
    mq2.add(
        [
            at(
                START,
                63.0,
                "ERROR",
                "closing AMQP connection <0.48122.0> (10.70.9.77:51544 -> 10.70.2.12:5672):\nmissed heartbeats from client, timeout: 60s",
            )
        ]
    )
    mq2.records = [
        Record(
            x.time, x.level, x.message.split("\n")[0], tuple(x.message.split("\n")[1:]), x.logger
        )
        for x in mq2.records
    ]
    ha = LogFile("logs/lb-amqp-haproxy.log", Syslog3164("lb-amqp-1", "haproxy", 1402))

    def tcp(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        server = r.choice(["mq-1", "mq-2"])
        return (
            "INFO",
            f"{client_conn(r)} [{'x'}] amqp amqp_nodes/{server} 1/0/{r.randrange(60000, 3600000)} {r.randrange(2000, 900000)} -- {r.randrange(300, 420)}/{r.randrange(300, 420)}/{r.randrange(100, 200)}/{r.randrange(50, 140)}/0 0/0",
            (),
        )

    ha_records = traffic(rng, tcp, START.astimezone(SYDNEY), MINUTES, 2600)
    ha_records += loud(
        rng,
        START.astimezone(SYDNEY),
        ROTATION + 0.2,
        MINUTES - ROTATION - 2,
        560,
        fixed(
            "INFO",
            lambda r: (
                f"{client_conn(r)} [x] amqp amqp_nodes/mq-3 1/0/{r.randrange(3, 30)} 412 -- {r.randrange(300, 420)}/{r.randrange(300, 420)}/{r.randrange(100, 200)}/{r.randrange(20, 60)}/0 0/0"
            ),
        ),
    )
    ha_records.append(
        at(
            START.astimezone(SYDNEY),
            ROTATION,
            "WARN",
            "Server amqp_nodes/mq-3 is UP (leaving forced maintenance).",
        )
    )
    ha.add(
        [
            Record(
                x.time,
                x.level,
                x.message.replace("[x]", "[" + x.time.strftime("%d/%b/%Y:%H:%M:%S.%f")[:-3] + "]"),
                x.trailer,
            )
            for x in ha_records
        ]
    )
    app = LogFile(
        "logs/order-api.log",
        PythonLogging(
            (
                "order_api.views",
                "order_api.events",
                "pika.adapters.blocking_connection",
                "order_api.db",
            ),
            rng,
        ),
    )
    app.add(
        traffic(
            rng,
            web_api("order-api", ["orders", "baskets", "refunds"]),
            START.astimezone(SYDNEY),
            MINUTES,
            3600,
        )
    )
    app.add(
        loud(
            rng,
            START.astimezone(SYDNEY),
            ROTATION + 0.3,
            MINUTES - ROTATION - 2,
            430,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        "publish order.created failed: pika.exceptions.ProbableAuthenticationError: ConnectionClosedByBroker: (403) 'ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.'",
                        f"POST /api/v1/orders 503 {r.randrange(20, 90)}ms: event bus unavailable (amqp://svc-orders@amqp.internal:5672/orders)",
                    ]
                ),
            ),
        )
    )
    shell = "\n".join(
        [
            "root@mq-1:~# rabbitmqctl cluster_status --formatter plaintext | sed -n '/Disk Nodes/,/Network Partitions/p'",
            "Disk Nodes",
            "",
            "rabbit@mq-1",
            "rabbit@mq-2",
            "rabbit@mq-3",
            "",
            "Running Nodes",
            "",
            "rabbit@mq-1",
            "rabbit@mq-2",
            "",
            "Network Partitions",
            "root@mq-3:~# rabbitmqctl list_vhosts",
            "Listing vhosts ...",
            "name",
            "/",
            "root@mq-3:~# rabbitmqctl cluster_status --formatter plaintext | sed -n '/Running Nodes/,+3p'",
            "Running Nodes",
            "",
            "rabbit@mq-3",
            "root@mq-3:~# md5sum /var/lib/rabbitmq/.erlang.cookie; ssh mq-1 md5sum /var/lib/rabbitmq/.erlang.cookie",
            "5e0c7f9b61d2a4e83a0f7d2c1b9e4a66  /var/lib/rabbitmq/.erlang.cookie",
            "b41d8e0a9f3c27e6d5a1c0f48e2b7d19  /var/lib/rabbitmq/.erlang.cookie",
            "root@lb-amqp-1:~# grep -A5 'backend amqp_nodes' /etc/haproxy/haproxy.cfg",
            "backend amqp_nodes",
            "    mode tcp",
            "    balance roundrobin",
            "    server mq-1 10.70.2.11:5672 check inter 5s",
            "    server mq-2 10.70.2.12:5672 check inter 5s",
            "    server mq-3 10.70.2.13:5672 check inter 5s",
            "",
        ]
    )
    notes = "\n".join(
        [
            "INC-2291 order-api 503s (11 Feb, AEDT)",
            "- starts ~07:10; about 1 in 3 publishes fail with ACCESS_REFUSED; secrets team says svc-orders password unchanged since November",
            "- mq-3 rebuilt yesterday afternoon on 24.04 (CHG-1180) and put back in the pool this morning",
            "- mq-1 hit its memory alarm once last week during the bulk re-index; not since",
            "- one heartbeat timeout on mq-2 at 07:33 from a batch host",
            "",
        ]
    )
    return Bundle(
        question="About a third of order-api's publishes fail with ACCESS_REFUSED since 07:10 AEDT and orders return 503. The password has not changed. What is the root cause?",
        category="configuration",
        component="mq-3",
        statement="mq-3 was rebuilt with a freshly generated Erlang cookie, so mq-1 and mq-2 rejected it (Invalid challenge reply) and it started as a blank standalone node without the orders vhost or the svc-orders user; HAProxy only TCP-checks it, so once it was back in rotation a third of connections were refused.",
        files={
            "notes.md": notes,
            "rabbit-shell.txt": shell,
            "logs/mq-3-rabbit.log": mq3.render(),
            "logs/mq-1-rabbit.log": mq1.render(),
            "logs/mq-2-rabbit.log": mq2.render(),
            "logs/lb-amqp-haproxy.log": ha.render(),
            "logs/order-api.log": app.render(),
        },
        proofs=[
            Proof("logs/mq-1-rabbit.log", "Invalid challenge reply"),
            Proof("logs/mq-3-rabbit.log", "Starting as a blank standalone node"),
            Proof("rabbit-shell.txt", "5e0c7f9b61d2a4e83a0f7d2c1b9e4a66"),
        ],
        decoys=[
            "missed heartbeats from client",
            "Classic mirrored queues are deprecated",
            "memory alarm once last week",
        ],
    )
