# ruff: noqa: E501
# kubectl output, audit summaries and hand-written log lines are data, kept whole on one line.
"""Kubernetes: backup-operator 2.4.0 (rolled out 14:05 UTC) runs with `--cache-mode=none` and
lists every pod of the cluster on each 2-second reconcile; its service account floods the
`workload-low` priority level of API Priority and Fairness, whose queues fill, so the API
server answers 429 to the other controllers sharing it. keda-operator can no longer read or
scale invoice-worker and the invoice queue backs up. Loud: keda's 429 errors, the queue depth,
invoice-worker's lag. Decoys: invoice-worker's lock wait warning, client-side throttling
messages in a CI job, and a cert-manager renewal notice."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import Logfmt, Record, iso_millis
from scenes import at, fixed, loud
from traffic import traffic, worker

START = datetime(2026, 5, 18, 13, 30, tzinfo=UTC)
NOW = datetime(2026, 5, 18, 15, 10, tzinfo=UTC)
ROLLOUT = 35.0  # 14:05


@dataclass
class ZapConsole:
    """controller-runtime's zap console encoder: time, level, logger, message, JSON fields."""

    logger: str

    def render(self, record: Record) -> list[str]:
        message, _, fields = record.message.partition(" {")
        tail = "\t{" + fields if fields else ""
        return [
            f"{iso_millis(record.time)}\t{record.level}\t{record.logger or self.logger}\t{message}{tail}"
        ]


def keda_routine(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    target = rng.choice(["invoice-worker", "mailer", "pdf-render", "ledger-export"])
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f'Reconciling ScaledObject {{"controller": "scaledobject", "ScaledObject": {{"name":"{target}","namespace":"billing"}}, "reconcileID": "{rng.getrandbits(128):032x}"}}',
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            f'Scaler metric value {{"scaledObject.Namespace": "billing", "scaledObject.Name": "{target}", "Metric": "s0-rabbitmq-{target}", "Value": {rng.randrange(0, 40)}}}',
            (),
        )
    return (
        "INFO",
        f'Initializing Scaling logic according to ScaledObject Specification {{"scaledobject.Name": "{target}", "scaledObject.Namespace": "billing"}}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(2390)
    total = (NOW - START).total_seconds() / 60
    keda = LogFile("logs/keda-operator.log", ZapConsole("controller.scaledobject"))
    keda.add(traffic(rng, keda_routine, START, total, 2200))

    def decision(r: random.Random) -> str:
        name = r.choice(["invoice-worker", "invoice-worker", "mailer", "pdf-render"])
        return f'Error getting scale decision {{"scaledobject.Name": "{name}", "scaledObject.Namespace": "billing", "error": "the server has received too many requests and has asked us to try again later (get deployments.apps {name})"}}'

    keda.add(loud(rng, START, ROLLOUT + 3, total - ROLLOUT - 4, 640, fixed("ERROR", decision)))
    keda.add(
        loud(
            rng,
            START,
            ROLLOUT + 5,
            total - ROLLOUT - 6,
            160,
            fixed(
                "ERROR",
                lambda r: (
                    'failed to update scale {"scaledobject.Name": "invoice-worker", "scaledObject.Namespace": "billing", "error": "Operation cannot be fulfilled: the server has received too many requests and has asked us to try again later (put deployments.apps invoice-worker)"}'
                ),
            ),
        )
    )

    op = LogFile("logs/backup-operator.log", Logfmt("backup-operator", rng=rng))
    op.add(
        traffic(
            rng, worker("backup-operator", ["velero.backups", "snapshots"]), START, ROLLOUT, 240
        )
    )
    op.add(
        [
            at(
                START,
                ROLLOUT + 0.3,
                "INFO",
                'starting backup-operator version=2.4.0 commit=7e1d0c4 cache-mode=none reconcile-interval=2s watch-namespaces="*"',
            ),
            at(
                START,
                ROLLOUT + 0.35,
                "INFO",
                "informer cache disabled: reading pods, pvcs and namespaces directly from the API server",
            ),
        ]
    )
    op.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.5,
            total - ROLLOUT - 1,
            1500,
            fixed(
                "INFO",
                lambda r: (
                    f"reconcile complete pods_listed={r.randrange(14200, 14600)} pvcs_listed={r.randrange(800, 840)} backups_due=0 took={r.randrange(900, 3900)}ms"
                ),
            ),
        )
    )
    op.add(
        loud(
            rng,
            START,
            ROLLOUT + 4,
            total - ROLLOUT - 5,
            120,
            fixed(
                "WARN",
                lambda r: (
                    f"list pods: the server has received too many requests and has asked us to try again later, retrying in {r.choice([1, 2, 4])}s"
                ),
            ),
        )
    )

    inv = LogFile("logs/invoice-worker.log", Logfmt("invoice-worker", rng=rng))
    inv.add(
        traffic(
            rng, worker("invoice-worker", ["invoices.render", "invoices.send"]), START, total, 2600
        )
    )
    inv.add(
        [
            at(
                START,
                18.2,
                "WARN",
                "lock wait 2.3s on invoices row id=88120417 (another worker holds it), retried ok",
            )
        ]
    )
    inv.add(
        loud(
            rng,
            START,
            ROLLOUT + 12,
            total - ROLLOUT - 13,
            420,
            fixed(
                "WARN",
                lambda r: (
                    f"queue invoices.render backlog={r.randrange(4000, 61000)} consumers=2 oldest_message_age={r.randrange(300, 3600)}s"
                ),
            ),
        )
    )

    ci = "\n".join(
        [
            "2026-05-18T14:31:02Z I0518 14:31:02.118203    4121 request.go:697] Waited for 1.187440911s due to client-side throttling, not priority and fairness, request: GET:https://api.k8s.prod.internal:6443/apis/apps/v1/namespaces/billing/deployments?limit=500",
            "2026-05-18T14:31:05Z deployment.apps/pdf-render configured",
            "2026-05-18T14:31:07Z cert-manager: certificate billing/api-tls is up to date and has no renewal due until 2026-07-01",
            "",
        ]
    )

    raw = "\n".join(
        [
            "$ kubectl get --raw /metrics | grep -E '^apiserver_flowcontrol_(rejected_requests_total|current_inqueue_requests)' | grep -v ' 0$'",
            'apiserver_flowcontrol_current_inqueue_requests{flow_schema="service-accounts",priority_level="workload-low"} 128',
            'apiserver_flowcontrol_rejected_requests_total{flow_schema="service-accounts",priority_level="workload-low",reason="queue-full"} 1.841207e+06',
            'apiserver_flowcontrol_rejected_requests_total{flow_schema="service-accounts",priority_level="workload-low",reason="time-out"} 23118',
            "",
            "$ kubectl get prioritylevelconfiguration workload-low -o jsonpath='{.spec.limited.nominalConcurrencyShares} {.spec.limited.limitResponse.queuing}{\"\\n\"}'",
            '100 {"handSize":6,"queueLengthLimit":50,"queues":128}',
            "",
            "# audit log, last 10 minutes, requests by user and verb (jq over /var/log/kubernetes/audit.log on cp-1)",
            "$ jq -r 'select(.stage==\"ResponseComplete\") | [.user.username, .verb, .objectRef.resource, .responseStatus.code] | @tsv' audit.log | sort | uniq -c | sort -rn | head -8",
            " 291604 system:serviceaccount:backup:backup-operator\tlist\tpods\t200",
            "  40117 system:serviceaccount:backup:backup-operator\tlist\tpods\t429",
            "  18290 system:serviceaccount:backup:backup-operator\tlist\tpersistentvolumeclaims\t200",
            "   9214 system:serviceaccount:keda:keda-operator\tget\tdeployments\t429",
            "   4018 system:node:ip-10-12-4-77.eu-central-1.compute.internal\tupdate\tleases\t200",
            "   3307 system:serviceaccount:keda:keda-operator\tget\tdeployments\t200",
            "   2210 system:kube-controller-manager\tget\tleases\t200",
            "   1762 system:serviceaccount:argocd:argocd-application-controller\twatch\tpods\t200",
            "",
            "$ kubectl -n backup rollout history deploy/backup-operator",
            "deployment.apps/backup-operator",
            "REVISION  CHANGE-CAUSE",
            "11        helm upgrade backup-operator 2.3.2",
            "12        helm upgrade backup-operator 2.4.0",
            "",
        ]
    )
    series = {
        "invoice_queue_depth": shift(rng, 140, 58000, int(ROLLOUT) + 10, 0.06, ramp=50),
        "invoice_worker_replicas": shift(rng, 9, 2, int(ROLLOUT) + 8, 0.0, ramp=1),
        "apiserver_429_per_s": shift(rng, 0.1, 310, int(ROLLOUT) + 1, 0.1, ramp=3),
        "apiserver_cpu_cores": shift(rng, 1.6, 5.8, int(ROLLOUT), 0.05, ramp=3),
        "keda_errors_per_min": shift(rng, 0, 11, int(ROLLOUT) + 3, 0.2),
        "invoice_db_lock_waits": steady(rng, 2, 0.5),
    }
    metrics = csv_text(START, 60, int(total), series, decimals=1)
    return Bundle(
        question="The invoice queue has been growing since around 14:15 UTC and invoice-worker went back to 2 pods. Why is it not scaling?",
        category="rate_limit",
        component="backup-operator",
        statement="backup-operator 2.4.0, rolled out at 14:05 UTC with its informer cache disabled, lists every pod of the cluster every 2 seconds; API Priority and Fairness's workload-low queues fill and the API server answers 429 to keda-operator, which can no longer read or scale invoice-worker, so the invoice queue backs up.",
        files={
            "logs/keda-operator.log": keda.render(),
            "logs/backup-operator.log": op.render(),
            "logs/invoice-worker.log": inv.render(),
            "logs/ci-deploy.txt": ci,
            "apiserver-debug.txt": raw,
            "metrics.csv": metrics,
        },
        proofs=[
            Proof("logs/backup-operator.log", "cache-mode=none reconcile-interval=2s"),
            Proof("apiserver-debug.txt", " 291604 system:serviceaccount:backup:backup-operator"),
        ],
        decoys=[
            "lock wait 2.3s on invoices row id=88120417",
            "due to client-side throttling, not priority and fairness",
            "certificate billing/api-tls is up to date",
        ],
    )
