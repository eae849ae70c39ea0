# ruff: noqa: E501
# kubectl output, crontab lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the settlement report moved on 23 November from a VM crontab with
`CRON_TZ=America/Chicago` to a CronJob with the same `0 6 * * *` schedule and no `timeZone`, so
it now runs at 06:00 UTC (00:00 in Chicago) instead of 06:00 Chicago time. The warehouse load of
the previous business day only finishes at about 10:30 UTC, so every run since 24 November finds
no settlement rows and mails empty statements to merchants. Decoys: a late acquirer file merged
by the warehouse load, SMTP deferrals, and the CronJob controller's routine job events."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Logfmt, PythonLogging
from scenes import at
from traffic import traffic, worker

FIRST = datetime(2026, 11, 19, 0, 0, tzinfo=UTC)
DAYS = 7  # 19..25 November, plus the morning of the 26th
MIGRATED = datetime(2026, 11, 23, 15, 20, tzinfo=UTC)

CRONJOB = """$ kubectl -n payments-batch get cronjob settlement-report -o yaml
apiVersion: batch/v1
kind: CronJob
metadata:
  annotations:
    argocd.argoproj.io/tracking-id: payments-batch:batch/CronJob:payments-batch/settlement-report
    ops.example.net/migrated-from: "batch-01.dc2 crontab (ticket OPS-4471)"
  creationTimestamp: "2026-11-23T15:20:44Z"
  generation: 1
  name: settlement-report
  namespace: payments-batch
  resourceVersion: "228871945"
  uid: 41d8b2e6-0c7a-4f93-b15e-7ad2c9e04f18
spec:
  concurrencyPolicy: Forbid
  failedJobsHistoryLimit: 1
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          containers:
          - command:
            - python
            - -m
            - settlement.report
            - --business-date=yesterday
            env:
            - name: WAREHOUSE_DSN
              valueFrom:
                secretKeyRef:
                  key: dsn
                  name: warehouse-readonly
            image: harbor.example.net/payments/settlement-report:2.3.0
            name: settlement-report
          restartPolicy: OnFailure
  schedule: 0 6 * * *
  successfulJobsHistoryLimit: 3
  suspend: false
status:
  lastScheduleTime: "2026-11-26T06:00:00Z"
  lastSuccessfulTime: "2026-11-26T06:03:12Z"

$ kubectl -n payments-batch get jobs
NAME                         STATUS     COMPLETIONS   DURATION   AGE
settlement-report-29400360   Complete   1/1           3m9s       2d8h
settlement-report-29401800   Complete   1/1           3m4s       32h
settlement-report-29403240   Complete   1/1           3m12s      8h

$ kubectl -n payments-batch get events --sort-by=.lastTimestamp | tail -4
LAST SEEN   TYPE     REASON             OBJECT                              MESSAGE
8h          Normal   SuccessfulCreate   cronjob/settlement-report           Created job settlement-report-29403240
8h          Normal   SawCompletedJob    cronjob/settlement-report           Saw completed job: settlement-report-29403240, condition: Complete
8h          Normal   SuccessfulDelete   cronjob/settlement-report           Deleted job settlement-report-29398920

# old host, before OPS-4471 (from the config repo)
$ cat hosts/batch-01.dc2/crontab.d/settlement
MAILTO=payments-oncall@example.net
CRON_TZ=America/Chicago
# after the warehouse load (done ~04:30 local)
0 6 * * * settle /opt/settlement/bin/run-report --business-date=yesterday
"""


def bundle() -> Bundle:
    rng = random.Random(3240)
    wl = LogFile("logs/warehouse-load.log", Logfmt("warehouse-load", rng=rng))
    wl.add(
        traffic(
            rng,
            worker("warehouse-load", ["acquirer.files", "ledger.entries", "fx.rates"]),
            FIRST,
            DAYS * 1440 + 600,
            4600,
        )
    )
    rep = LogFile(
        "logs/settlement-report.log",
        PythonLogging(("settlement.report", "settlement.mailer", "settlement.query"), rng=rng),
    )
    for day in range(DAYS + 1):
        date = FIRST + timedelta(days=day)
        business = (date - timedelta(days=1)).date()
        done = date + timedelta(hours=10, minutes=rng.randrange(12, 44))
        rows = rng.randrange(180_000, 260_000)
        wl.add([at(date, 9 * 60 + 2, "INFO", f"load started business_date={business} sources=14")])
        wl.add(
            [
                at(
                    done,
                    0,
                    "INFO",
                    f"load complete business_date={business} settlements={rows} merchants=1284 duration={(done - date).seconds // 60 - 542}m",
                )
            ]
        )
        if day == 2:
            wl.add(
                [
                    at(
                        date,
                        9 * 60 + 40,
                        "WARN",
                        f"late acquirer file FDX_SETTLE_{business:%Y%m%d}_2.csv arrived after cut-off; 17 rows merged into business_date={business}",
                    )
                ]
            )
        on_vm = date + timedelta(hours=12) < MIGRATED
        run = date + timedelta(hours=12 if on_vm else 6, seconds=rng.randrange(1, 20))
        if on_vm:
            rep.add(
                [
                    at(
                        run,
                        0,
                        "INFO",
                        f"settlement report 2.3.0 on batch-01.dc2 business_date={business}",
                        logger="settlement.report",
                    ),
                    at(
                        run,
                        0.4,
                        "INFO",
                        f"found {rows} settlement rows for business_date={business} across 1284 merchants",
                        logger="settlement.query",
                    ),
                    at(
                        run,
                        2.7,
                        "INFO",
                        f"sent 1284 statements for business_date={business}",
                        logger="settlement.mailer",
                    ),
                ]
            )
        else:
            pod = f"settlement-report-{29400360 + 1440 * (day - 5)}-{rng.getrandbits(20):05x}"
            rep.add(
                [
                    at(
                        run,
                        0,
                        "INFO",
                        f"settlement report 2.3.0 on {pod} business_date={business}",
                        logger="settlement.report",
                    ),
                    at(
                        run,
                        0.4,
                        "WARN",
                        f"found 0 settlement rows for business_date={business} across 0 merchants; statements will be empty",
                        logger="settlement.query",
                    ),
                    at(
                        run,
                        2.9,
                        "INFO",
                        f"sent 1284 statements for business_date={business}",
                        logger="settlement.mailer",
                    ),
                ]
            )
        for k in range(rng.randrange(200, 320)):
            rep.add(
                [
                    at(
                        run,
                        0.5 + k * 0.008,
                        "INFO",
                        f"rendered statement merchant=M{rng.randrange(10**6):06d} lines={0 if not on_vm else rng.randrange(1, 900)}",
                        logger="settlement.mailer",
                    )
                ]
            )
        rep.add(
            [
                at(
                    run,
                    1.9,
                    "WARN",
                    f"smtp deferral 451 4.7.1 greylisted for merchant=M{rng.randrange(10**6):06d}, retry queued",
                    logger="settlement.mailer",
                )
            ]
        )
    return Bundle(
        question="Merchants say their daily settlement statements have been empty since Tuesday 24 November. What is the root cause?",
        category="configuration",
        component="settlement-report",
        statement="The settlement-report CronJob kept the VM's '0 6 * * *' schedule but not its CRON_TZ=America/Chicago (no timeZone set), so it runs at 06:00 UTC, hours before the warehouse load of the previous business day completes (~10:30 UTC), and finds no settlement rows.",
        files={
            "kubectl-cronjob-settlement-report.txt": CRONJOB,
            "logs/settlement-report.log": rep.render(),
            "logs/warehouse-load.log": wl.render(),
        },
        proofs=[
            Proof("kubectl-cronjob-settlement-report.txt", "  schedule: 0 6 * * *"),
            Proof("kubectl-cronjob-settlement-report.txt", "CRON_TZ=America/Chicago"),
            Proof(
                "logs/settlement-report.log", "found 0 settlement rows for business_date=2026-11-23"
            ),
            Proof("logs/warehouse-load.log", "load complete business_date=2026-11-23"),
        ],
        decoys=["late acquirer file", "greylisted", "SawCompletedJob"],
    )
