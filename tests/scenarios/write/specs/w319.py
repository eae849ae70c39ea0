# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the ledger-export CronJob has `activeDeadlineSeconds: 1800` in its Job template.
Its nightly run grew with the ledger (27, 29 minutes last week); from the night of 17 November it
needs a little over 30 minutes, so the Job controller kills it at the deadline
(DeadlineExceeded) before the export file is written. recon-service finds no export and the
reconciliation dashboard stays empty. Decoys: a FailedScheduling event before the job's pod was
placed, a stale FX rates warning in recon-service, and an S3 retry in the export."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Logfmt, Record, iso_offset
from scenes import at
from traffic import traffic, worker

ZONE = ZoneInfo("Europe/Warsaw")
NIGHTS = [datetime(2026, 11, d, 1, 15, tzinfo=UTC) for d in (15, 16, 17, 18, 19)]
DURATIONS = [27.6, 29.1, None, None, None]  # minutes; None: killed at the 30-minute deadline
ROWS_TOTAL = [6_412_880, 6_791_305, 7_163_442, 7_540_019, 7_902_664]
JOB_IDS = [29387595, 29389035, 29390475, 29391915, 29393355]

CRONJOB_YAML = """apiVersion: batch/v1
kind: CronJob
metadata:
  annotations:
    meta.helm.sh/release-name: finance-batch
    meta.helm.sh/release-namespace: finance
  creationTimestamp: "2025-03-02T10:44:09Z"
  generation: 6
  labels:
    app.kubernetes.io/managed-by: Helm
    app.kubernetes.io/name: ledger-export
  name: ledger-export
  namespace: finance
  resourceVersion: "91827734"
  uid: 7a3f0c51-9e26-4b8d-a1f4-0d5c62e9b713
spec:
  concurrencyPolicy: Forbid
  failedJobsHistoryLimit: 3
  jobTemplate:
    metadata:
      creationTimestamp: null
    spec:
      activeDeadlineSeconds: 1800
      backoffLimit: 0
      template:
        metadata:
          creationTimestamp: null
          labels:
            app.kubernetes.io/name: ledger-export
        spec:
          containers:
          - args:
            - export
            - --business-date=yesterday
            - --dest=s3://acme-finance-exports/ledger/
            image: registry.internal.acme.io/finance/ledger-export:1.9.3
            imagePullPolicy: IfNotPresent
            name: ledger-export
            resources:
              limits:
                memory: 2Gi
              requests:
                cpu: 500m
                memory: 1Gi
          restartPolicy: Never
          serviceAccountName: ledger-export
  schedule: 15 1 * * *
  startingDeadlineSeconds: 600
  successfulJobsHistoryLimit: 3
  suspend: false
status:
  lastScheduleTime: "2026-11-19T01:15:00Z"
  lastSuccessfulTime: "2026-11-16T01:44:21Z"
"""


@dataclass
class ExportJson:
    """The export job's structlog JSON lines (local time with offset)."""

    def render(self, record: Record) -> list[str]:
        body = {
            "timestamp": iso_offset(record.time, ZONE),
            "level": record.level.lower(),
            "logger": record.logger or "ledger_export.run",
            "event": record.message,
        }
        return [json.dumps(body)]


def bundle() -> Bundle:
    rng = random.Random(3190)
    export = LogFile("logs/ledger-export-pods.jsonl", ExportJson())
    for night, duration, rows, job in zip(NIGHTS, DURATIONS, ROWS_TOTAL, JOB_IDS, strict=True):
        start = night + timedelta(seconds=rng.randrange(4, 40))
        run = duration if duration else 30.0
        per_min = rows / ((duration or 31.6) - 1.0)
        export.add(
            [
                at(
                    start,
                    0.0,
                    "INFO",
                    f"ledger-export 1.9.3 starting pod=ledger-export-{job}-{rng.getrandbits(20):05x} business_date={(night - timedelta(days=1)).date()}",
                )
            ]
        )
        export.add(
            [
                at(
                    start,
                    0.3,
                    "INFO",
                    f"source query planned: {rows} ledger rows to export in chunks of 50000",
                )
            ]
        )
        done = 0
        minute = 1.0
        while minute < run - 0.5:
            done = min(rows, int(per_min * minute))
            export.add(
                [
                    at(
                        start,
                        minute,
                        "INFO",
                        f"exported {done}/{rows} rows ({done * 100 // rows}%) chunk={done // 50000}",
                        logger="ledger_export.writer",
                    )
                ]
            )
            minute += 0.5 + rng.random() * 0.2
        if duration:
            export.add(
                [
                    at(
                        start,
                        duration - 0.6,
                        "INFO",
                        f"exported {rows}/{rows} rows (100%)",
                        logger="ledger_export.writer",
                    )
                ]
            )
            export.add(
                [
                    at(
                        start,
                        duration - 0.2,
                        "INFO",
                        f"uploaded s3://acme-finance-exports/ledger/{(night - timedelta(days=1)).date()}/ledger.parquet ({rows // 9100} MiB)",
                        logger="ledger_export.s3",
                    )
                ]
            )
            export.add([at(start, duration - 0.1, "INFO", "export finished ok")])
        else:
            export.add(
                [
                    at(
                        start,
                        29.98,
                        "WARN",
                        "received SIGTERM, aborting export (partial file discarded)",
                    )
                ]
            )
    export.add(
        [
            at(
                NIGHTS[3],
                14.1,
                "WARN",
                "S3 UploadPart 212 for multipart upload on acme-finance-exports failed (RequestTimeout), retry 1 succeeded",
                logger="ledger_export.s3",
            )
        ]
    )

    recon = LogFile("logs/recon-service.log", Logfmt("recon-service", rng=rng))
    recon_start = datetime(2026, 11, 15, 0, 0, tzinfo=UTC)
    recon.add(
        traffic(
            rng,
            worker("recon-service", ["ledger.posted", "bank.statement", "fx.rate"]),
            recon_start,
            5 * 24 * 60 - 300,
            4200,
        )
    )
    for night, duration in zip(NIGHTS, DURATIONS, strict=True):
        day = (night - timedelta(days=1)).date()
        if duration:
            recon.add(
                [
                    at(
                        night,
                        50.0,
                        "INFO",
                        f"reconciliation business_date={day} matched=99.2% unmatched=412 published to dashboard",
                    )
                ]
            )
        else:
            recon.add(
                [
                    at(
                        night,
                        50.0,
                        "WARN",
                        f"no ledger export found at s3://acme-finance-exports/ledger/{day}/ledger.parquet, skipping reconciliation for business_date={day}",
                    )
                ]
            )
            for k in range(1, 7):
                recon.add(
                    [
                        at(
                            night,
                            50.0 + k * 60,
                            "WARN",
                            f"reconciliation for business_date={day} still waiting for ledger export (retry {k}/6)",
                        )
                    ]
                )
            recon.add(
                [
                    at(
                        night,
                        50.0 + 7 * 60 + 0.5,
                        "ERROR",
                        f"giving up on business_date={day}: ledger export missing; dashboard not updated",
                    )
                ]
            )
    recon.add(
        [
            at(
                NIGHTS[2],
                200.0,
                "WARN",
                "fx rates feed stale: last ECB fixing 3h12m old, using previous fixing",
            )
        ]
    )

    jobs_table = """$ kubectl -n finance get jobs -l app.kubernetes.io/name=ledger-export
NAME                     STATUS     COMPLETIONS   DURATION   AGE
ledger-export-29390475   Failed     0/1           30m        2d9h
ledger-export-29391915   Failed     0/1           30m        33h
ledger-export-29393355   Failed     0/1           30m        9h

$ kubectl -n finance describe job ledger-export-29393355
Name:                     ledger-export-29393355
Namespace:                finance
Selector:                 batch.kubernetes.io/controller-uid=c2e81f4a-6d07-49b3-8e5a-f91b03d7a628
Labels:                   app.kubernetes.io/name=ledger-export
Annotations:              batch.kubernetes.io/cronjob-scheduled-timestamp: 2026-11-19T01:15:00Z
Controlled By:            CronJob/ledger-export
Parallelism:              1
Completions:              1
Completion Mode:          NonIndexed
Suspend:                  false
Backoff Limit:            0
Active Deadline Seconds:  1800s
Start Time:               Thu, 19 Nov 2026 01:15:00 +0000
Pods Statuses:            0 Active (0 Ready) / 0 Succeeded / 1 Failed
Pod Template:
  Labels:  app.kubernetes.io/name=ledger-export
  Containers:
   ledger-export:
    Image:      registry.internal.acme.io/finance/ledger-export:1.9.3
    Port:       <none>
    Host Port:  <none>
    Args:
      export
      --business-date=yesterday
      --dest=s3://acme-finance-exports/ledger/
    Limits:
      memory:  2Gi
    Requests:
      cpu:        500m
      memory:     1Gi
    Environment:  <none>
    Mounts:       <none>
  Volumes:        <none>
Events:
  Type     Reason            Age   From            Message
  ----     ------            ----  ----            -------
  Normal   SuccessfulCreate  9h    job-controller  Created pod: ledger-export-29393355-kq7wd
  Normal   SuccessfulDelete  8h    job-controller  Deleted pod: ledger-export-29393355-kq7wd
  Warning  DeadlineExceeded  8h    job-controller  Job was active longer than specified deadline

$ kubectl -n finance get events --field-selector involvedObject.name=ledger-export-29393355-kq7wd
LAST SEEN   TYPE      REASON             OBJECT                             MESSAGE
9h          Warning   FailedScheduling   pod/ledger-export-29393355-kq7wd   0/9 nodes are available: 2 Insufficient cpu, 7 node(s) didn't match Pod's node affinity/selector. preemption: 0/9 nodes are available: 2 No preemption victims found for incoming pod, 7 Preemption is not helpful for scheduling.
9h          Normal    Scheduled          pod/ledger-export-29393355-kq7wd   Successfully assigned finance/ledger-export-29393355-kq7wd to gke-fin-batch-pool-2b7c4e91-xq3d
9h          Normal    Pulled             pod/ledger-export-29393355-kq7wd   Container image "registry.internal.acme.io/finance/ledger-export:1.9.3" already present on machine
9h          Normal    Created            pod/ledger-export-29393355-kq7wd   Created container ledger-export
9h          Normal    Started            pod/ledger-export-29393355-kq7wd   Started container ledger-export
8h          Normal    Killing            pod/ledger-export-29393355-kq7wd   Stopping container ledger-export
"""
    return Bundle(
        question="The finance reconciliation dashboard has had no new data since Tuesday 17 November. What is the root cause?",
        category="configuration",
        component="ledger-export",
        statement="The ledger-export CronJob's Job template sets activeDeadlineSeconds: 1800; the nightly export has grown past 30 minutes, so since 17 November the Job controller kills it (DeadlineExceeded) before the file is uploaded and the reconciliation has nothing to reconcile.",
        files={
            "kubectl-get-cronjob-ledger-export.yaml": CRONJOB_YAML,
            "kubectl-jobs-ledger-export.txt": jobs_table,
            "logs/ledger-export-pods.jsonl": export.render(),
            "logs/recon-service.log": recon.render(),
        },
        proofs=[
            Proof("kubectl-get-cronjob-ledger-export.yaml", "activeDeadlineSeconds: 1800"),
            Proof(
                "kubectl-jobs-ledger-export.txt", "Job was active longer than specified deadline"
            ),
            Proof("logs/ledger-export-pods.jsonl", "2026-11-17T02:45:19"),
        ],
        decoys=["FailedScheduling", "fx rates feed stale", "RequestTimeout), retry 1 succeeded"],
    )
