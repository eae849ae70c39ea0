# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the ledger-jobs chart 2.3.0 (helm upgrade the afternoon before) gave every Job
template a default `activeDeadlineSeconds: 900`. The nightly ledger-reconcile CronJob needs
about 40 minutes over a month-end ledger, so at 02:15 the Job controller kills its pod with
DeadlineExceeded and the morning reconciliation report is missing. Decoys: the job's own slow-query warning, finance-api's 404s
for the missing report, and a node's kernel-deadlock condition message on another node."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events, table
from records import Record
from scenes import at
from traffic import Line, traffic

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
NODES = [
    "gke-fin-pool-2-8c1e44a7-0v9k",
    "gke-fin-pool-2-8c1e44a7-5lq2",
    "gke-fin-pool-2-8c1e44a7-jz7w",
]
CRONJOB = """$ kubectl -n finance get cronjob ledger-reconcile -o yaml
apiVersion: batch/v1
kind: CronJob
metadata:
  annotations:
    meta.helm.sh/release-name: ledger-jobs
    meta.helm.sh/release-namespace: finance
  creationTimestamp: "2025-07-14T09:20:51Z"
  generation: 9
  labels:
    app.kubernetes.io/managed-by: Helm
    helm.sh/chart: ledger-jobs-2.3.0
  name: ledger-reconcile
  namespace: finance
  resourceVersion: "301772640"
  uid: 0b7d9a31-5e2c-4f08-a6d1-c48e2f7b9a15
spec:
  concurrencyPolicy: Forbid
  failedJobsHistoryLimit: 3
  jobTemplate:
    metadata:
      creationTimestamp: null
    spec:
      activeDeadlineSeconds: 900
      backoffLimit: 1
      template:
        metadata:
          creationTimestamp: null
          labels:
            app: ledger-reconcile
        spec:
          containers:
          - args:
            - reconcile
            - --period=previous-month
            - --batch-size=5000
            image: europe-docker.pkg.dev/fin-prod/jobs/ledger-tools:5.8.2
            imagePullPolicy: IfNotPresent
            name: reconcile
            resources:
              limits:
                memory: 2Gi
              requests:
                cpu: "1"
                memory: 1Gi
          restartPolicy: Never
          serviceAccountName: ledger-jobs
  schedule: 0 2 * * *
  successfulJobsHistoryLimit: 3
  suspend: false
status:
  lastScheduleTime: "2026-12-01T02:00:00Z"
  lastSuccessfulTime: "2026-11-30T02:38:44Z"
"""
HISTORY = """$ helm -n finance history ledger-jobs
REVISION	UPDATED                 	STATUS    	CHART           	APP VERSION	DESCRIPTION
14      	Tue Nov 18 10:02:33 2026	superseded	ledger-jobs-2.2.0	5.8.1      	Upgrade complete
15      	Mon Nov 24 15:41:07 2026	superseded	ledger-jobs-2.2.1	5.8.2      	Upgrade complete
16      	Mon Nov 30 16:27:52 2026	deployed  	ledger-jobs-2.3.0	5.8.2      	Upgrade complete
"""
DESCRIBE_JOB = """$ kubectl -n finance describe job ledger-reconcile-29410680
Name:                     ledger-reconcile-29410680
Namespace:                finance
Selector:                 batch.kubernetes.io/controller-uid=6e2f1a90-3b7c-4d58-9e14-a0c7d2b6f381
Labels:                   app=ledger-reconcile
Annotations:              batch.kubernetes.io/job-tracking:
Controlled By:            CronJob/ledger-reconcile
Parallelism:              1
Completions:              1
Completion Mode:          NonIndexed
Suspend:                  false
Backoff Limit:            1
Active Deadline Seconds:  900s
Start Time:               Tue, 01 Dec 2026 02:00:00 +0000
Pods Statuses:            0 Active (0 Ready) / 0 Succeeded / 1 Failed
Pod Template:
  Labels:           app=ledger-reconcile
  Service Account:  ledger-jobs
  Containers:
   reconcile:
    Image:      europe-docker.pkg.dev/fin-prod/jobs/ledger-tools:5.8.2
    Port:       <none>
    Host Port:  <none>
    Args:
      reconcile
      --period=previous-month
      --batch-size=5000
    Limits:
      memory:  2Gi
    Requests:
      cpu:        1
      memory:     1Gi
    Environment:  <none>
    Mounts:       <none>
  Volumes:        <none>
Conditions:
  Type                   Status  Reason
  ----                   ------  ------
  FailureTarget          True    DeadlineExceeded
  Failed                 True    DeadlineExceeded
Events:
  Type     Reason            Age   From            Message
  ----     ------            ----  ----            -------
  Normal   SuccessfulCreate  58m   job-controller  Created pod: ledger-reconcile-29410680-k4m9t
  Normal   SuccessfulDelete  43m   job-controller  Deleted pod: ledger-reconcile-29410680-k4m9t
  Warning  DeadlineExceeded  43m   job-controller  Job was active longer than specified deadline
"""


@dataclass
class Structlog:
    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        return [f"{stamp} [{record.level.lower():<7}] {record.message}"]


def reconcile_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"batch reconciled                 account_range={rng.randrange(10**5, 9 * 10**5)}-{rng.randrange(10**5, 9 * 10**5)} matched={rng.randrange(4800, 5000)} unmatched={rng.randrange(0, 12)} took_ms={rng.randrange(800, 3100)}",
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            f"fetched bank statement lines      source=sepa-camt053 file=stmt_{rng.randrange(10**6)}.xml lines={rng.randrange(200, 4000)}",
            (),
        )
    return "INFO", f"checkpoint written               offset={rng.randrange(10**6, 2 * 10**6)}", ()


def api_line(rng: random.Random) -> Line:
    path = rng.choice(
        ["/v1/accounts/{}", "/v1/ledger/entries?account={}", "/v1/balances/{}"]
    ).format(rng.randrange(10**5))
    return (
        "INFO",
        f'{{"level":"info","method":"GET","path":"{path}","status":200,"duration_ms":{rng.randrange(3, 60)}}}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(372_9034)
    log = LogFile("x", Structlog())
    log.add(
        [
            at(
                START,
                0.05,
                "INFO",
                "ledger-tools 5.8.2 reconcile starting period=2026-11 batch_size=5000",
            ),
            at(
                START,
                0.12,
                "INFO",
                "period 2026-11 has 13,482,117 ledger entries across 2,698 batches (previous month: 8,911,402)",
            ),
        ]
    )
    log.add(traffic(rng, reconcile_line, START.replace(minute=0, second=8), 14.8, 1900))
    log.add(
        [
            at(
                START,
                6.4,
                "WARN",
                "slow query: SELECT ... FROM ledger_entries WHERE period = $1 AND account_id BETWEEN $2 AND $3 took 4812 ms",
            )
        ]
    )
    log.add(
        [at(START, 14.97, "INFO", "progress 871/2698 batches (32.3%), estimated remaining 31m04s")]
    )
    log.add([at(START, 15.0, "WARN", "received SIGTERM, flushing checkpoint and exiting")])
    api = LogFile("y", Structlog())
    api.add(traffic(rng, api_line, START.replace(minute=28), 30, 900))
    api.add(
        [
            at(
                START.replace(minute=28),
                28.0 + i * 0.07,
                "WARN",
                '{"level":"warn","method":"GET","path":"/v1/reports/reconciliation/2026-11","status":404,"error":"report for period 2026-11 not found; last available 2026-10"}',
            )
            for i in range(14)
        ]
    )
    jobs = (
        "$ kubectl -n finance get jobs -l app=ledger-reconcile\n"
        + "\n".join(
            table(
                ("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"),
                [
                    ("ledger-reconcile-29406360", "Complete", "1/1", "38m", "3d1h"),
                    ("ledger-reconcile-29407800", "Complete", "1/1", "36m", "2d1h"),
                    ("ledger-reconcile-29409240", "Complete", "1/1", "38m", "25h"),
                    ("ledger-reconcile-29410680", "Failed", "0/1", "15m", "58m"),
                ],
            )
        )
        + "\n"
    )
    routine = routine_events(
        rng, ["finance-api", "statement-renderer"], 36, NODES, namespace="finance"
    )
    signal = [
        (
            3480,
            (
                "Normal",
                "SuccessfulCreate",
                "cronjob/ledger-reconcile",
                "Created job ledger-reconcile-29410680",
            ),
        ),
        (
            3480,
            (
                "Normal",
                "SuccessfulCreate",
                "job/ledger-reconcile-29410680",
                "Created pod: ledger-reconcile-29410680-k4m9t",
            ),
        ),
        (
            2580,
            (
                "Normal",
                "Killing",
                "pod/ledger-reconcile-29410680-k4m9t",
                "Stopping container reconcile",
            ),
        ),
        (
            2580,
            (
                "Warning",
                "DeadlineExceeded",
                "job/ledger-reconcile-29410680",
                "Job was active longer than specified deadline",
            ),
        ),
        (
            2579,
            (
                "Normal",
                "SawCompletedJob",
                "cronjob/ledger-reconcile",
                "Saw completed job: ledger-reconcile-29410680, status: Failed",
            ),
        ),
        (
            7100,
            (
                "Warning",
                "KernelDeadlock",
                f"node/{NODES[2]}",
                "kernel: INFO: task jbd2/sda1-8:412 blocked for more than 120 seconds.",
            ),
        ),
    ]
    files = {
        "kubectl-get-cronjob-ledger-reconcile.yaml.txt": CRONJOB,
        "helm-history.txt": HISTORY,
        "kubectl-get-jobs.txt": jobs,
        "kubectl-describe-job.txt": DESCRIBE_JOB,
        "kubectl-get-events.txt": "$ kubectl -n finance get events --sort-by=.lastTimestamp\n"
        + event_listing(routine, signal),
        "reconcile-pod-logs.txt": "# ledger-reconcile-29410680-k4m9t, exported from Cloud Logging\n"
        + log.render(),
        "kubectl-logs-finance-api.txt": "$ kubectl -n finance logs deploy/finance-api --since=30m\n"
        + api.render(),
    }
    return Bundle(
        question="The nightly ledger-reconcile run failed at 02:15 UTC and finance-api now answers 404 for the November reconciliation report. It worked every night last week. What went wrong?",
        category="configuration",
        component="ledger-reconcile",
        statement="The ledger-jobs chart 2.3.0 upgraded the evening before set activeDeadlineSeconds: 900 on the ledger-reconcile CronJob's Job template; the month-end run needs about 40 minutes, so the Job controller killed it at 02:15 with DeadlineExceeded and no report was written.",
        files=files,
        proofs=[
            Proof("kubectl-get-cronjob-ledger-reconcile.yaml.txt", "activeDeadlineSeconds: 900"),
            Proof("helm-history.txt", "ledger-jobs-2.3.0"),
            Proof("kubectl-describe-job.txt", "Warning  DeadlineExceeded"),
        ],
        decoys=[
            "slow query: SELECT",
            "report for period 2026-11 not found",
            "KernelDeadlock",
        ],
    )
