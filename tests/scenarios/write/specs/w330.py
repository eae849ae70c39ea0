# ruff: noqa: E501
# Hand-written RabbitMQ and application lines and pasted CLI output are data, kept whole on one line.
"""RabbitMQ, a memory alarm from a leftover override: mq-02 was rebuilt on a 64 GiB VM, but its
rabbitmq.conf still carries `total_memory_available_override_value = 2GB` from a load test, so the
0.4 watermark is 819 MiB. When the afternoon report backlog grows a few hundred thousand messages,
memory passes 819 MiB, the node raises the memory alarm and blocks every publishing connection;
checkout's order events time out. Times are CEST (+02:00). Decoys: routine client disconnects, a
slow report-builder batch, a disk-space warning on another host."""

import random
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import _ip, traffic, web_api, worker

CEST = ZoneInfo("Europe/Warsaw")
START = datetime(2026, 8, 12, 13, 20, tzinfo=CEST)
MINUTES = 200.0
ALARM = 134.0


@dataclass
class RabbitLog:
    """RabbitMQ 3.13's file log: `2026-08-12 13:20:01.123456+02:00 [info] <0.123.0> message`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "info", "WARN": "warning", "ERROR": "error", "DEBUG": "debug"}[
            record.level
        ]
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}{self.rng.randrange(1000):03d}"
            + record.time.strftime("%z")[:3]
            + ":"
            + record.time.strftime("%z")[3:]
        )
        pid = record.logger or f"<0.{self.rng.randrange(400, 90000)}.0>"
        return [f"{stamp} [{level}] {pid} {record.message}", *record.trailer]


def rabbit_chatter(rng: random.Random):
    roll = rng.random()
    ip = _ip(rng)
    port = rng.randrange(30000, 60000)
    if roll < 0.35:
        return "INFO", f"accepting AMQP connection {ip}:{port} -> 10.44.0.12:5672", ()
    if roll < 0.7:
        return (
            "INFO",
            f"connection {ip}:{port} -> 10.44.0.12:5672: user 'svc-{rng.choice(['checkout', 'reports', 'mailer', 'ledger'])}' authenticated and granted access to vhost 'prod'",
            (),
        )
    if roll < 0.93:
        return (
            "INFO",
            f"closing AMQP connection {ip}:{port} -> 10.44.0.12:5672, vhost: 'prod', user: 'svc-{rng.choice(['checkout', 'reports', 'mailer'])}'",
            (),
        )
    return (
        "WARN",
        f"closing AMQP connection <0.{rng.randrange(400, 90000)}.0> ({ip}:{port} -> 10.44.0.12:5672, vhost: 'prod', user: 'svc-mailer'):\nclient unexpectedly closed TCP connection",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(33004)
    mq = LogFile("logs/rabbit@mq-02.log", RabbitLog(rng))
    mq.add(traffic(rng, rabbit_chatter, START, MINUTES, 2300))
    mq.add(
        [
            at(
                START,
                3.0,
                "INFO",
                "Starting RabbitMQ 3.13.7 on Erlang 26.2.5.2 [jit]",
                logger="<0.230.0>",
            ),
            at(
                START,
                3.01,
                "INFO",
                " node           : rabbit@mq-02\n home dir       : /var/lib/rabbitmq\n config file(s) : /etc/rabbitmq/rabbitmq.conf",
                logger="<0.230.0>",
            ),
            at(
                START,
                3.02,
                "INFO",
                "Memory high watermark set to 819 MiB (858993459 bytes) of 2048 MiB (2147483648 bytes) total",
                logger="<0.241.0>",
            ),
            at(
                START,
                3.03,
                "INFO",
                "Enabling free disk space monitoring (disk free space: 431219200000, total memory: 2147483648)",
                logger="<0.243.0>",
            ),
            at(START, 3.04, "INFO", "Disk free limit set to 50MB", logger="<0.243.0>"),
            at(
                START,
                ALARM,
                "INFO",
                "vm_memory_high_watermark set. Memory used:859410432 allowed:858993459",
                logger="<0.241.0>",
            ),
            at(
                START,
                ALARM + 0.01,
                "WARN",
                "memory resource limit alarm set on node 'rabbit@mq-02'.\n\n**********************************************************\n*** Publishers will be blocked until this alarm clears ***\n**********************************************************",
                logger="<0.239.0>",
            ),
        ]
    )
    checkout = LogFile("logs/checkout.log", JsonLines("checkout", rng=rng, zone=CEST))
    checkout.add(
        traffic(rng, web_api("checkout", ["orders", "carts", "payments"]), START, MINUTES, 3600)
    )
    checkout.add(
        loud(
            rng,
            START,
            ALARM + 0.3,
            MINUTES - ALARM - 1,
            380,
            fixed(
                "WARN",
                lambda r: (
                    f"amqp connection blocked by broker: reason=low on memory (host mq-02.prod.internal, publisher=order-events-{r.randrange(4)})"
                ),
            ),
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            ALARM + 1.0,
            MINUTES - ALARM - 2,
            900,
            fixed(
                "ERROR",
                lambda r: (
                    f"publish order.created {r.getrandbits(48):012x} failed: timeout waiting for publisher confirm after 5000ms; order held in outbox, returning 503"
                ),
            ),
        )
    )
    reports = LogFile("logs/report-builder.log", JsonLines("report-builder", rng=rng, zone=CEST))
    reports.add(
        traffic(
            rng,
            worker("report-builder", ["reports.requested", "reports.render"]),
            START,
            MINUTES,
            1800,
        )
    )
    reports.add(
        [
            at(
                START,
                70.0,
                "WARN",
                "render batch 88 took 412 s (> 300 s budget): 14 PDFs over 40 pages",
            )
        ]
    )
    reports.add(
        loud(
            rng,
            START,
            95.0,
            60.0,
            40,
            fixed(
                "INFO",
                lambda r: (
                    f"queue reports.render backlog {r.randrange(150_000, 420_000)} messages, consumers 4, prefetch 20"
                ),
            ),
        )
    )
    diag = "\n".join(
        [
            "[root@mq-02 ~]# rabbitmq-diagnostics -q memory_breakdown --unit MB | head -6",
            "queue_procs: 512.4 mb (59.6%)",
            "binary: 171.2 mb (19.9%)",
            "allocated_unused: 61.3 mb (7.1%)",
            "code: 38.7 mb (4.5%)",
            "other_system: 28.4 mb (3.3%)",
            "[root@mq-02 ~]# rabbitmq-diagnostics -q status | grep -A3 -E '^Memory$'",
            "Memory",
            "",
            "Total memory used: 0.8601 gb",
            "Calculation strategy: rss",
            "Memory high watermark setting: 0.4 of available memory, computed to: 0.859 gb",
            "[root@mq-02 ~]# grep -n memory /etc/rabbitmq/rabbitmq.conf",
            "7:vm_memory_high_watermark.relative = 0.4",
            "8:total_memory_available_override_value = 2GB",
            "[root@mq-02 ~]# free -g | head -2",
            "               total        used        free      shared  buff/cache   available",
            "Mem:              62           3          55           0           3          58",
            "[root@mq-02 ~]# ssh mq-03 df -h /var/lib/rabbitmq | tail -1",
            "/dev/vdb        200G  171G   29G  86% /var/lib/rabbitmq",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Incident 12.08 15:45 CEST — checkout 503s on order placement since ~15:34 CEST.",
            "mq-02 rebuilt last week (CHG-6610, 64 GB VM, config restored from the perf-test branch).",
            "report-builder slow today (big month-end PDFs), backlog on reports.render.",
            "mq-03 disk at 86%, ticket open.",
            "",
        ]
    )
    return Bundle(
        question="Checkout returns 503 on order placement since about 15:34 CEST and says publisher confirms time out. What is the root cause?",
        category="memory",
        component="mq-02",
        statement="mq-02's rabbitmq.conf keeps total_memory_available_override_value = 2GB from a load test, so on the 64 GB VM the memory watermark is 819 MiB; when the reports backlog grows, memory passes it, the node raises its memory alarm and blocks all publishers, and checkout's publishes time out.",
        files={
            "notes.txt": notes,
            "mq-02-diagnostics.txt": diag,
            "logs/rabbit@mq-02.log": mq.render(),
            "logs/checkout.log": checkout.render(),
            "logs/report-builder.log": reports.render(),
        },
        proofs=[
            Proof("logs/rabbit@mq-02.log", "Memory high watermark set to 819 MiB"),
            Proof("logs/rabbit@mq-02.log", "memory resource limit alarm set on node"),
            Proof("mq-02-diagnostics.txt", "total_memory_available_override_value = 2GB"),
        ],
        decoys=[
            "render batch 88 took 412 s",
            "client unexpectedly closed TCP connection",
            "/dev/vdb        200G  171G",
        ],
    )
