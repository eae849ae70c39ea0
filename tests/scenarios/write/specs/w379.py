# ruff: noqa: E501
# kubectl, helm and rabbitmqctl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: chart invoice-worker 3.4.0 (helm upgrade at 09:02 CEST) templates the KEDA
ScaledObject's Prometheus query from a new value whose default names the queue
`invoices-v2`, a queue that does not exist yet (the live one is `invoices`). The query returns
no series; KEDA's Prometheus scaler treats the empty result as 0, so after the 300 s cooldown
it scales invoice-worker from 4 to 0 (minReplicaCount 0). Nothing consumes `invoices`; 48k
messages pile up and customer-notify reports PDFs never ready. Decoys: a transient metrics
timeout for another ScaledObject, Prometheus out-of-order samples, billing-api SMTP retries."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, PythonLogging, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api, worker

CEST = timezone(timedelta(hours=2))
START = datetime(2026, 6, 10, 6, 30, tzinfo=UTC)  # 08:30 CEST
MINUTES = 150.0
UPGRADE = 32.0
ZERO = 38.2


class KedaConsole:
    """keda-operator's zap console encoder: time, level, logger, message, then JSON fields."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%SZ")
        logger, _, rest = record.message.partition("|")
        return [f"{stamp}\t{record.level}\t{logger}\t{rest}"]


def keda_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    name = rng.choice(["report-builder", "mail-sender", "invoice-worker", "thumbnailer"])
    roll = rng.random()
    if roll < 0.6:
        return (
            "DEBUG",
            f'scalehandler|Getting metrics from trigger	{{"scaledobject.Name": "{name}", "scaledObject.Namespace": "billing", "trigger": "prometheusScaler", "metricName": "s0-prometheus"}}',
            (),
        )
    return (
        "INFO",
        f'controller.scaledobject|Reconciling ScaledObject	{{"ScaledObject": {{"name":"{name}","namespace":"billing"}}, "namespace": "billing", "name": "{name}", "reconcileID": "{rng.getrandbits(128):032x}"}}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(37955)
    keda = LogFile("logs/keda-operator.log", KedaConsole())
    keda.add(traffic(rng, keda_line, START, MINUTES, 1900))
    keda.add(
        [
            at(
                START,
                14.0,
                "ERROR",
                'scalehandler|error getting metric for trigger	{"scaledObject.Namespace": "billing", "scaledObject.Name": "report-builder", "trigger": "prometheusScaler", "error": "prometheus query api error: Get \\"http://prometheus-operated.monitoring:9090/api/v1/query?query=sum%28report_jobs_pending%29\\": context deadline exceeded"}',
            ),
            at(
                START,
                UPGRADE + 0.3,
                "INFO",
                'controller.scaledobject|Detected resource targeted for scaling	{"ScaledObject": {"name":"invoice-worker","namespace":"billing"}, "resource": "apps/v1.Deployment", "name": "invoice-worker"}',
            ),
            at(
                START,
                UPGRADE + 0.31,
                "INFO",
                'controller.scaledobject|Initializing Scaling logic according to ScaledObject Specification	{"ScaledObject": {"name":"invoice-worker","namespace":"billing"}}',
            ),
            at(
                START,
                ZERO,
                "INFO",
                'scaleexecutor|Successfully set ScaleTarget replicas count to ScaledObject minReplicaCount	{"scaledobject.Name": "invoice-worker", "scaledObject.Namespace": "billing", "scaleTarget.Name": "invoice-worker", "Original Replicas Count": 4, "New Replicas Count": 0}',
            ),
        ]
    )

    work = LogFile(
        "logs/invoice-worker.log",
        PythonLogging(
            ("invoice_worker.consumer", "invoice_worker.render", "pika.adapters"), rng=rng
        ),
    )
    work.add(traffic(rng, worker("invoice-worker", ["invoices"]), START, ZERO, 1700))
    work.add(
        [
            at(
                START,
                ZERO + 0.05,
                "INFO",
                "Received SIGTERM, closing channel and draining 3 in-flight messages",
                logger="invoice_worker.consumer",
            ),
            at(
                START,
                ZERO + 0.1,
                "INFO",
                "Consumer stopped cleanly",
                logger="invoice_worker.consumer",
            ),
        ]
    )

    api = LogFile(
        "logs/billing-api.log",
        JsonLines("billing-api", keys=("@timestamp", "level", "message"), rng=rng, zone=CEST),
    )
    api.add(
        traffic(
            rng, web_api("billing-api", ["invoices", "customers", "payments"]), START, MINUTES, 2400
        )
    )
    api.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            520,
            fixed(
                "INFO",
                lambda r: (
                    f"published invoice.render request invoice_id=INV-{r.randrange(10**7, 10**8)} queue=invoices"
                ),
            ),
        )
    )
    api.add(
        [
            at(
                START,
                61.0,
                "WARN",
                "SMTP relay mx-out-2 returned 451 4.7.1 try again later; retry 1 of 5 (receipt mail)",
            )
        ]
    )

    notify = LogFile("logs/customer-notify.log", JsonLines("customer-notify", rng=rng, zone=CEST))
    notify.add(traffic(rng, worker("customer-notify", ["invoice-events"]), START, MINUTES, 900))
    notify.add(
        loud(
            rng,
            START,
            ZERO + 15,
            MINUTES - ZERO - 16,
            300,
            fixed(
                "ERROR",
                lambda r: (
                    f"invoice PDF for INV-{r.randrange(10**7, 10**8)} not ready after 900s, customer email postponed (attempt {r.randrange(1, 4)})"
                ),
            ),
        )
    )

    pasted = "\n".join(
        [
            "$ helm -n billing history invoice-worker --max 3",
            "REVISION\tUPDATED                 \tSTATUS    \tCHART               \tAPP VERSION\tDESCRIPTION",
            "12      \tTue May 26 10:41:07 2026\tsuperseded\tinvoice-worker-3.3.1\t2.18.0     \tUpgrade complete",
            "13      \tThu Jun  4 14:02:55 2026\tsuperseded\tinvoice-worker-3.3.2\t2.18.1     \tUpgrade complete",
            "14      \tWed Jun 10 09:02:13 2026\tdeployed  \tinvoice-worker-3.4.0\t2.19.0     \tUpgrade complete",
            "",
            "$ kubectl -n billing get scaledobject invoice-worker -o yaml",
            "apiVersion: keda.sh/v1alpha1",
            "kind: ScaledObject",
            "metadata:",
            "  annotations:",
            "    meta.helm.sh/release-name: invoice-worker",
            "    meta.helm.sh/release-namespace: billing",
            "  labels:",
            "    app.kubernetes.io/managed-by: Helm",
            "    helm.sh/chart: invoice-worker-3.4.0",
            "  name: invoice-worker",
            "  namespace: billing",
            "spec:",
            "  cooldownPeriod: 300",
            "  maxReplicaCount: 12",
            "  minReplicaCount: 0",
            "  pollingInterval: 30",
            "  scaleTargetRef:",
            "    name: invoice-worker",
            "  triggers:",
            "  - metadata:",
            '      query: sum(rabbitmq_queue_messages_ready{vhost="billing",queue="invoices-v2"})',
            "      serverAddress: http://prometheus-operated.monitoring:9090",
            '      threshold: "200"',
            "    type: prometheus",
            "status:",
            "  conditions:",
            "  - message: ScaledObject is defined correctly and is ready for scaling",
            "    reason: ScaledObjectReady",
            '    status: "True"',
            "    type: Ready",
            "  - message: Scaling is not performed because triggers are not active",
            "    reason: ScalerNotActive",
            '    status: "False"',
            "    type: Active",
            "  - status: Unknown",
            "    type: Fallback",
            "  externalMetricNames:",
            "  - s0-prometheus",
            '  lastActiveTime: "2026-06-10T07:02:01Z"',
            "  originalReplicaCount: 4",
            "  scaleTargetKind: apps/v1.Deployment",
            "",
            "$ kubectl -n billing get deploy invoice-worker",
            "NAME             READY   UP-TO-DATE   AVAILABLE   AGE",
            "invoice-worker   0/0     0            0           318d",
            "",
            "$ kubectl -n billing exec rabbitmq-0 -c rabbitmq -- rabbitmqctl list_queues -p billing name messages_ready consumers",
            "Timeout: 60.0 seconds ...",
            "Listing queues for vhost billing ...",
            "name\tmessages_ready\tconsumers",
            "invoices\t48213\t0",
            "invoice-events\t0\t2",
            "receipts.retry\t3\t1",
            "",
            "# pasted 11:02 CEST",
            "",
        ]
    )

    nodes = [
        "aks-user-31427906-vmss000004",
        "aks-user-31427906-vmss000007",
        "aks-user-31427906-vmss00000a",
    ]
    routine = routine_events(
        rng, ["billing-api", "customer-notify", "report-builder"], 22, nodes, namespace="billing"
    )
    signal = [
        (
            int((MINUTES - ZERO) * 60),
            (
                "Normal",
                "KEDAScaleTargetDeactivated",
                "scaledobject/invoice-worker",
                "Deactivated apps/v1.Deployment billing/invoice-worker from 4 to 0",
            ),
        ),
        (
            int((MINUTES - ZERO) * 60),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-worker",
                "Scaled down replica set invoice-worker-6f4b9d7c85 to 0 from 4",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    return Bundle(
        question="Customers stopped getting invoice PDFs this morning (from about 09:10 CEST); customer-notify keeps postponing emails. What's the root cause?",
        category="configuration",
        component="invoice-worker",
        statement="Chart invoice-worker-3.4.0 changed the KEDA ScaledObject's query to the non-existent queue `invoices-v2`; the empty result counts as 0, so KEDA scaled invoice-worker from 4 to 0 replicas at 09:08 CEST and nothing consumes the `invoices` queue (48k messages ready, 0 consumers).",
        files={
            "kubectl-pasted.txt": pasted,
            "kubectl-get-events.txt": events,
            "logs/keda-operator.log": keda.render(),
            "logs/invoice-worker.log": work.render(),
            "logs/billing-api.log": api.render(),
            "logs/customer-notify.log": notify.render(),
        },
        proofs=[
            Proof("kubectl-pasted.txt", 'queue="invoices-v2"'),
            Proof(
                "logs/keda-operator.log", '"Original Replicas Count": 4, "New Replicas Count": 0'
            ),
            Proof("kubectl-pasted.txt", "invoices\t48213\t0"),
        ],
        decoys=[
            "report_jobs_pending",
            "SMTP relay mx-out-2 returned 451",
            "Received SIGTERM, closing channel",
        ],
    )
