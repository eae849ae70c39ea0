# ruff: noqa: E501
# RabbitMQ lines, kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the messaging chart bumped the rabbitmq StatefulSet from 3.11.28 to 3.12.14 at
06:30 UTC. 3.12 requires every 3.11 stable feature flag to be enabled first, and on this
cluster `stream_single_active_consumer` and `classic_queue_type_delivery_support` were never
enabled, so rabbitmq-2 (updated first, highest ordinal) refuses to boot and crash-loops;
the RollingUpdate stops there. Classic durable queues homed on rabbit@rabbitmq-2 (notifications)
are unavailable: the notifier's consumers fail with NOT_FOUND home node down. Decoys: a memory
alarm cleared on rabbitmq-0, SMTP 421 retries in notifier, and an unrelated PDB event."""

import random
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Pino, Record
from scenes import at, fixed, loud
from traffic import traffic, worker

START = datetime(2026, 11, 12, 5, 50, tzinfo=UTC)
NOW = datetime(2026, 11, 12, 7, 25, tzinfo=UTC)
ROLLOUT = 40.0  # 06:30
NODES = [
    "gke-core-msg-pool-4c2a91e0-7hq2",
    "gke-core-msg-pool-4c2a91e0-b3xk",
    "gke-core-msg-pool-4c2a91e0-t9vd",
]
HEADLESS = "rabbitmq-nodes.messaging.svc.cluster.local"


@dataclass
class RabbitLog:
    """RabbitMQ 3.11+'s default log line: `2026-11-12 06:31:04.118311+00:00 [info] <0.230.0> msg`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        micro = record.time.microsecond
        micro += zlib.crc32(record.message.encode()) % 1000 if micro % 1000 == 0 else 0
        stamp = record.time.strftime("%Y-%m-%d %H:%M:%S.") + f"{micro:06d}+00:00"
        level = {"WARN": "warning", "FATAL": "critical"}.get(record.level, record.level.lower())
        pid = record.logger or f"<0.{self.rng.randrange(200, 40000)}.0>"
        return [
            f"{stamp} [{level}] {pid} {record.message}",
            *(f"{stamp} [{level}] {pid} {line}" for line in record.trailer),
        ]


def rabbit_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    peer = f"10.64.{rng.randrange(1, 12)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)}"
    conn = f"{peer} -> 10.64.3.17:5672"
    roll = rng.random()
    if roll < 0.3:
        return "INFO", f"accepting AMQP connection <0.{rng.randrange(1000, 90000)}.0> ({conn})", ()
    if roll < 0.55:
        return (
            "INFO",
            f"connection <0.{rng.randrange(1000, 90000)}.0> ({conn}): user '{rng.choice(['orders', 'notifier', 'billing'])}' authenticated and granted access to vhost '/'",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"closing AMQP connection <0.{rng.randrange(1000, 90000)}.0> ({conn}, vhost: '/', user: '{rng.choice(['orders', 'notifier', 'billing'])}')",
            (),
        )
    if roll < 0.88:
        return (
            "WARN",
            f"closing AMQP connection <0.{rng.randrange(1000, 90000)}.0> ({conn}): client unexpectedly closed TCP connection",
            (),
        )
    return (
        "INFO",
        f"Queue '{rng.choice(['orders.created', 'billing.invoice', 'audit'])}' in vhost '/': segment file rolled over",
        (),
    )


FF_ERROR = "Feature flags: failed to initialize the registry: the following stable feature flags must be enabled before upgrading to 3.12.14: [classic_queue_type_delivery_support, stream_single_active_consumer]"

ROLLOUT_TEXT = """$ kubectl -n messaging rollout status sts/rabbitmq --timeout=10s
Waiting for 1 pods to be ready...
error: timed out waiting for the condition

$ kubectl -n messaging get pods -l app.kubernetes.io/name=rabbitmq -o wide
NAME         READY   STATUS             RESTARTS        AGE    IP            NODE                             NOMINATED NODE   READINESS GATES
rabbitmq-0   1/1     Running            0               41d    10.64.3.17    gke-core-msg-pool-4c2a91e0-7hq2  <none>           <none>
rabbitmq-1   1/1     Running            0               41d    10.64.5.102   gke-core-msg-pool-4c2a91e0-b3xk  <none>           <none>
rabbitmq-2   0/1     CrashLoopBackOff   11 (2m4s ago)   54m    10.64.7.41    gke-core-msg-pool-4c2a91e0-t9vd  <none>           <none>

$ kubectl -n messaging get sts rabbitmq -o yaml | yq '.spec.template.spec.containers[0].image, .spec.updateStrategy, .status'
rabbitmq:3.12.14-management
rollingUpdate:
  partition: 0
type: RollingUpdate
availableReplicas: 2
collisionCount: 0
currentReplicas: 2
currentRevision: rabbitmq-6d4f8b9c7
observedGeneration: 14
readyReplicas: 2
replicas: 3
updateRevision: rabbitmq-58c7f9d6b4
updatedReplicas: 1

$ kubectl -n messaging exec rabbitmq-0 -- rabbitmqctl list_feature_flags name state --formatter=pretty_table
Listing feature flags ...
┌─────────────────────────────────────┬──────────┐
│ name                                │ state    │
├─────────────────────────────────────┼──────────┤
│ classic_mirrored_queue_version      │ enabled  │
│ classic_queue_type_delivery_support │ disabled │
│ direct_exchange_routing_v2          │ enabled  │
│ drop_unroutable_metric              │ enabled  │
│ empty_basic_get_metric              │ enabled  │
│ feature_flags_v2                    │ enabled  │
│ implicit_default_bindings           │ enabled  │
│ listener_records_in_ets             │ enabled  │
│ maintenance_mode_status             │ enabled  │
│ quorum_queue                        │ enabled  │
│ stream_queue                        │ enabled  │
│ stream_single_active_consumer       │ disabled │
│ tracking_records_in_ets             │ enabled  │
│ user_limits                         │ enabled  │
│ virtual_host_metadata               │ enabled  │
└─────────────────────────────────────┴──────────┘
"""


def bundle() -> Bundle:
    rng = random.Random(3210)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    r0 = LogFile("logs/rabbitmq-0.log", RabbitLog(rng))
    r0.add(traffic(rng, rabbit_line, START, total, 2400))
    r0.add(
        [
            at(
                START,
                14.2,
                "WARN",
                "memory resource limit alarm set on node 'rabbit@rabbitmq-0.rabbitmq-nodes.messaging.svc.cluster.local'.",
            ),
            at(
                START,
                14.9,
                "WARN",
                "memory resource limit alarm cleared on node 'rabbit@rabbitmq-0.rabbitmq-nodes.messaging.svc.cluster.local'",
            ),
            at(
                START,
                ROLLOUT + 0.1,
                "INFO",
                f"node 'rabbit@rabbitmq-2.{HEADLESS}' down: connection_closed",
            ),
            at(
                START,
                ROLLOUT + 0.12,
                "INFO",
                f"Node rabbit@rabbitmq-2.{HEADLESS} is down, deleting its listeners",
            ),
        ]
    )

    r2 = LogFile("kubectl-logs-rabbitmq-2-previous.txt", RabbitLog(rng))
    boot = START + timedelta(minutes=ROLLOUT + 52.5, milliseconds=193)

    def boot_line(step: int, level: str, message: str) -> Record:
        """One line of the boot, in order, from the boot process."""
        pid = "<0.230.0>" if level == "INFO" else "<0.248.0>"
        return Record(
            boot + timedelta(milliseconds=step * 41 + rng.randrange(30)), level, message, (), pid
        )

    r2.add(
        [
            boot_line(1, "INFO", "Starting RabbitMQ 3.12.14 on Erlang 25.3.2.15 [jit]"),
            boot_line(
                2,
                "INFO",
                " Copyright (c) 2007-2024 Broadcom Inc and/or its subsidiaries",
            ),
            boot_line(
                3,
                "INFO",
                " Licensed under the MPL 2.0. Website: https://rabbitmq.com",
            ),
            boot_line(4, "INFO", f"node           : rabbit@rabbitmq-2.{HEADLESS}"),
            boot_line(5, "INFO", "home dir       : /var/lib/rabbitmq"),
            boot_line(
                6,
                "INFO",
                "config file(s) : /etc/rabbitmq/conf.d/10-defaults.conf, /etc/rabbitmq/conf.d/11-cluster.conf",
            ),
            boot_line(
                7,
                "INFO",
                f"database dir   : /var/lib/rabbitmq/mnesia/rabbit@rabbitmq-2.{HEADLESS}",
            ),
            boot_line(8, "INFO", "Running boot step pre_boot defined by app rabbit"),
            boot_line(
                9,
                "INFO",
                "Running boot step rabbit_global_counters defined by app rabbit",
            ),
            boot_line(
                10,
                "INFO",
                "Running boot step rabbit_osiris_metrics defined by app rabbit",
            ),
            boot_line(
                11,
                "INFO",
                "Running boot step rabbit_core_metrics defined by app rabbit",
            ),
            boot_line(12, "INFO", "Feature flags: list of feature flags found:"),
            boot_line(
                13,
                "INFO",
                "Feature flags:   [ ] classic_queue_type_delivery_support",
            ),
            boot_line(14, "INFO", "Feature flags:   [x] quorum_queue"),
            boot_line(15, "INFO", "Feature flags:   [ ] stream_single_active_consumer"),
            boot_line(
                16,
                "INFO",
                "Feature flags: feature flag states written to disk: yes",
            ),
            boot_line(17, "ERROR", FF_ERROR),
            boot_line(18, "ERROR", "BOOT FAILED"),
            boot_line(19, "ERROR", "==========="),
            boot_line(
                20,
                "ERROR",
                "Error during startup: {error,{incompatible_feature_flags,[classic_queue_type_delivery_support,stream_single_active_consumer]}}",
            ),
            boot_line(
                21,
                "FATAL",
                "Supervisor {<0.233.0>,application_master} had child {application_master,start_it} exit with reason {{incompatible_feature_flags,[classic_queue_type_delivery_support,stream_single_active_consumer]},{rabbit,start,[normal,[]]}}",
            ),
        ]
    )

    notifier = LogFile("logs/notifier.log", Pino("notifier-6b7d9c5f48-4zq8m", rng=rng))
    notifier.add(traffic(rng, worker("notifier", ["notifications", "digests"]), START, total, 2800))
    notifier.add(
        [
            at(
                START,
                22.7,
                "WARN",
                "smtp relay answered 421 4.7.0 Try again later, message n-8c21f4 requeued (attempt 2), sent on retry",
            )
        ]
    )
    notifier.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.3,
            total - ROLLOUT - 0.3,
            800,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        f"channel closed by server: 404 (NOT-FOUND) with message \"NOT_FOUND - home node 'rabbit@rabbitmq-2.{HEADLESS}' of durable queue 'notifications' in vhost '/' is down or inaccessible\"",
                        f"consumer for queue 'notifications' cancelled, resubscribing in {r.choice([5, 10, 20])}s",
                        f"publish to notifications failed for n-{r.getrandbits(24):06x}: Channel closed, stored in outbox ({r.randrange(100, 9000)} pending)",
                    ]
                ),
            ),
        )
    )

    routine = routine_events(rng, ["notifier", "orders-consumer"], 14, NODES, namespace="messaging")
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "SuccessfulDelete",
                "statefulset/rabbitmq",
                "delete Pod rabbitmq-2 in StatefulSet rabbitmq successful",
            ),
        ),
        (
            ago(ROLLOUT + 0.3),
            (
                "Normal",
                "SuccessfulCreate",
                "statefulset/rabbitmq",
                "create Pod rabbitmq-2 in StatefulSet rabbitmq successful",
            ),
        ),
        (
            ago(ROLLOUT + 0.5),
            (
                "Normal",
                "Pulled",
                "pod/rabbitmq-2",
                'Successfully pulled image "rabbitmq:3.12.14-management" in 6.412s (6.412s including waiting). Image size: 109822417 bytes.',
            ),
        ),
        (
            ago(ROLLOUT + 4),
            (
                "Warning",
                "BackOff",
                "pod/rabbitmq-2",
                "Back-off restarting failed container rabbitmq in pod rabbitmq-2_messaging(3f9c0d27-41b8-4e6a-9c5d-b72e10a8f46d)",
            ),
        ),
        (
            ago(ROLLOUT + 3),
            (
                "Warning",
                "Unhealthy",
                "pod/rabbitmq-2",
                "Readiness probe failed: dial tcp 10.64.7.41:5672: connect: connection refused",
            ),
        ),
        (
            ago(30.0),
            ("Normal", "NoPods", "poddisruptionbudget/orders-consumer", "No matching pods found"),
        ),
    ]
    return Bundle(
        question="Since about 06:30 UTC the notifier keeps failing to consume the notifications queue and e-mails are piling up. What is the root cause?",
        category="deployment",
        component="rabbitmq",
        statement="The rabbitmq StatefulSet was upgraded from 3.11 to 3.12.14 without first enabling the required feature flags (classic_queue_type_delivery_support, stream_single_active_consumer); rabbitmq-2 refuses to boot and crash-loops, so the upgrade stalls and the notifications queue homed on it is unavailable.",
        files={
            "kubectl-logs-rabbitmq-2-previous.txt": r2.render(),
            "logs/rabbitmq-0.log": r0.render(),
            "logs/notifier.log": notifier.render(),
            "kubectl-rollout-and-flags.txt": ROLLOUT_TEXT,
            "kubectl-get-events-messaging.txt": event_listing(routine, signal),
        },
        proofs=[
            Proof(
                "kubectl-logs-rabbitmq-2-previous.txt",
                "the following stable feature flags must be enabled before upgrading",
            ),
            Proof(
                "kubectl-rollout-and-flags.txt",
                "│ stream_single_active_consumer       │ disabled │",
            ),
            Proof("kubectl-rollout-and-flags.txt", "rabbitmq-2   0/1     CrashLoopBackOff"),
        ],
        decoys=[
            "memory resource limit alarm set",
            "421 4.7.0 Try again later",
            "No matching pods found",
        ],
    )
