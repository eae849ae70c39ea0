# ruff: noqa: E501
# kubectl output, RabbitMQ lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the dead-letter queue `billing.events.dlq` on the rabbitmq StatefulSet has had
no consumer since a refactor three weeks ago and holds 6.4 million messages. At 13:47 UTC the
20Gi volume of rabbitmq-1 drops under its 2 GB `disk_free_limit`; RabbitMQ raises the disk
alarm and blocks every publishing connection cluster-wide. orders-api's publishes time out and
checkouts fail. Loud: orders-api's publish timeouts and 503s. Decoys: invoice-mailer's SMTP
errors, the broker's routine missed-heartbeat warnings, and a node's image garbage collection
failing on its own root disk."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Record, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic, web_api

START = datetime(2026, 4, 7, 13, 0, tzinfo=UTC)
NOW = datetime(2026, 4, 7, 14, 35, tzinfo=UTC)
ALARM = 47.0  # 13:47
NODE = "rabbit@rabbitmq-1.rabbitmq-nodes.messaging"


@dataclass
class Rabbit:
    """RabbitMQ 3.13's console log: `2026-04-07 13:47:12.418362+00:00 [warning] <0.512.0> message`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "info", "WARN": "warning", "ERROR": "error", "DEBUG": "debug"}[
            record.level
        ]
        stamp = record.time.strftime("%Y-%m-%d %H:%M:%S.%f") + "+00:00"
        pid = record.logger or f"<0.{self.rng.randrange(600, 40000)}.0>"
        return [f"{stamp} [{level}] {pid} {record.message}", *record.trailer]


def chatter(rng: random.Random) -> Line:
    roll = rng.random()
    peer = f"10.56.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}:{rng.randrange(32768, 61000)}"
    local = "10.56.2.31:5672"
    user = rng.choice(["orders-api", "invoice-mailer", "ledger-feed", "notifier"])
    if roll < 0.35:
        return (
            "INFO",
            f"accepting AMQP connection <0.{rng.randrange(1000, 90000)}.0> ({peer} -> {local})",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"connection <0.{rng.randrange(1000, 90000)}.0> ({peer} -> {local}): user '{user}' authenticated and granted access to vhost '/'",
            (),
        )
    if roll < 0.93:
        return (
            "INFO",
            f"closing AMQP connection <0.{rng.randrange(1000, 90000)}.0> ({peer} -> {local}, vhost: '/', user: '{user}')",
            (),
        )
    return (
        "WARN",
        f"closing AMQP connection <0.{rng.randrange(1000, 90000)}.0> ({peer} -> {local}):\nmissed heartbeats from client, timeout: 60s",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1204)
    total = (NOW - START).total_seconds() / 60
    broker = LogFile("logs/rabbitmq-1.log", Rabbit(rng))
    for record in traffic(rng, chatter, START, total, 2600):
        head, *rest = record.message.split("\n")
        broker.add([Record(record.time, record.level, head, tuple(rest), None)])
    broker.add(
        [
            at(
                START,
                ALARM,
                "WARN",
                "Free disk space is insufficient. Free bytes: 1999011840. Limit: 2000000000",
                logger="<0.498.0>",
            ),
            at(
                START,
                ALARM + 0.01,
                "WARN",
                f"disk resource limit alarm set on node '{NODE}'.",
                [
                    "",
                    "**********************************************************",
                    "*** Publishers will be blocked until this alarm clears ***",
                    "**********************************************************",
                ],
                logger="<0.495.0>",
            ),
        ]
    )
    orders = LogFile(
        "logs/orders-api.log",
        SpringBoot(
            (
                "c.s.orders.CheckoutController",
                "c.s.orders.EventPublisher",
                "o.s.a.r.c.CachingConnectionFactory",
            ),
            rng=rng,
        ),
    )
    orders.add(
        traffic(rng, web_api("orders-api", ["orders", "baskets", "shipments"]), START, total, 3400)
    )
    orders.add(
        loud(
            rng,
            START,
            ALARM + 0.2,
            total - ALARM - 0.5,
            900,
            fixed(
                "ERROR",
                lambda r: (
                    f"publish of OrderPlaced {r.randrange(10**7, 10**8)} to exchange 'billing.events' timed out after 5000ms (connection blocked by broker)"
                ),
            ),
        )
    )
    orders.add(
        loud(
            rng,
            START,
            ALARM + 0.5,
            total - ALARM - 1,
            420,
            fixed(
                "WARN",
                lambda r: (
                    f"POST /api/v1/orders 503 {r.randrange(5000, 5400)}ms client=10.56.{r.randrange(256)}.{r.randrange(1, 255)} (event not published, order rolled back)"
                ),
            ),
        )
    )
    orders.add(
        [
            at(
                START,
                ALARM + 0.05,
                "WARN",
                "Connection blocked by broker: low on disk",
                logger="o.s.a.r.c.CachingConnectionFactory",
            )
        ]
    )
    mailer = LogFile(
        "logs/invoice-mailer.log",
        SpringBoot(("c.s.mail.InvoiceSender", "c.s.mail.TemplateRenderer"), rng=rng),
    )
    mailer.add(
        traffic(rng, web_api("invoice-mailer", ["invoices", "templates"]), START, total, 1100)
    )
    mailer.add(
        loud(
            rng,
            START,
            8,
            total - 10,
            380,
            fixed(
                "ERROR",
                lambda r: (
                    f"sending invoice INV-{r.randrange(10**6)} failed: 421 4.7.0 Try again later, closing connection. (smtp.mailrelay.example:587)"
                ),
            ),
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    nodes = [
        "aks-system-14720938-vmss000002",
        "aks-apps-14720938-vmss00000d",
        "aks-apps-14720938-vmss00000f",
    ]
    routine = routine_events(
        rng, ["orders-api", "invoice-mailer", "ledger-feed"], 20, nodes, namespace="shop"
    )
    signal = [
        (
            ago(31),
            (
                "Warning",
                "FreeDiskSpaceFailed",
                "node/aks-apps-14720938-vmss00000d",
                "Failed to garbage collect required amount of images. Attempted to free 4218937344 bytes, but only found 0 bytes eligible to free.",
            ),
        ),
        (
            ago(32),
            (
                "Warning",
                "ImageGCFailed",
                "node/aks-apps-14720938-vmss00000d",
                "Failed to garbage collect required amount of images. Attempted to free 4218937344 bytes, but only found 0 bytes eligible to free.",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    kubectl = "\n".join(
        [
            "$ kubectl -n messaging get pods -l app.kubernetes.io/name=rabbitmq",
            "NAME         READY   STATUS    RESTARTS   AGE",
            "rabbitmq-0   1/1     Running   0          38d",
            "rabbitmq-1   1/1     Running   0          38d",
            "rabbitmq-2   1/1     Running   0          38d",
            "",
            "$ kubectl -n messaging describe pvc data-rabbitmq-1",
            "Name:          data-rabbitmq-1",
            "Namespace:     messaging",
            "StorageClass:  managed-csi-premium",
            "Status:        Bound",
            "Volume:        pvc-8d2e61c4-0f7a-4b93-a5c8-e17b3d9f4026",
            "Labels:        app.kubernetes.io/component=rabbitmq",
            "               app.kubernetes.io/name=rabbitmq",
            "Annotations:   pv.kubernetes.io/bind-completed: yes",
            "               pv.kubernetes.io/bound-by-controller: yes",
            "               volume.beta.kubernetes.io/storage-provisioner: disk.csi.azure.com",
            "               volume.kubernetes.io/storage-provisioner: disk.csi.azure.com",
            "Finalizers:    [kubernetes.io/pvc-protection]",
            "Capacity:      20Gi",
            "Access Modes:  RWO",
            "VolumeMode:    Filesystem",
            "Used By:       rabbitmq-1",
            "Events:        <none>",
            "",
            "$ kubectl -n messaging exec rabbitmq-1 -- df -h /var/lib/rabbitmq",
            "Filesystem      Size  Used Avail Use% Mounted on",
            "/dev/sdc         20G   18G  1.9G  91% /var/lib/rabbitmq",
            "",
            "$ kubectl -n messaging exec rabbitmq-1 -- rabbitmqctl list_queues name type messages consumers --formatter pretty_table",
            "Timeout: 60.0 seconds ...",
            "Listing queues for vhost / ...",
            "┌───────────────────────────┬─────────┬──────────┬───────────┐",
            "│ name                      │ type    │ messages │ consumers │",
            "├───────────────────────────┼─────────┼──────────┼───────────┤",
            "│ billing.events            │ quorum  │ 412      │ 6         │",
            "│ billing.events.dlq        │ quorum  │ 6418772  │ 0         │",
            "│ invoices.outbound         │ quorum  │ 1893     │ 2         │",
            "│ ledger.feed               │ classic │ 0        │ 3         │",
            "│ notifications.push        │ classic │ 27       │ 4         │",
            "└───────────────────────────┴─────────┴──────────┴───────────┘",
            "",
        ]
    )
    return Bundle(
        question="Checkout has been failing since about 13:47 UTC: orders-api cannot publish its events and answers 503. What is the root cause?",
        category="disk",
        component="rabbitmq",
        statement="At 13:47 UTC the 20Gi data volume of rabbitmq-1, filled by 6.4 million unconsumed messages in billing.events.dlq, fell below the 2 GB disk_free_limit; RabbitMQ set the disk resource alarm and blocked all publishers, so orders-api's publishes time out and checkouts fail.",
        files={
            "kubectl-output.txt": kubectl,
            "kubectl-get-events.txt": events,
            "logs/rabbitmq-1.log": broker.render(),
            "logs/orders-api.log": orders.render(),
            "logs/invoice-mailer.log": mailer.render(),
        },
        proofs=[
            Proof(
                "logs/rabbitmq-1.log",
                "Free disk space is insufficient.",
                "*** Publishers will be blocked until this alarm clears ***",
            ),
            Proof("kubectl-output.txt", "│ billing.events.dlq"),
        ],
        decoys=[
            "421 4.7.0 Try again later",
            "missed heartbeats from client, timeout: 60s",
            "Failed to garbage collect required amount of images.",
        ],
    )
