# ruff: noqa: E501
# Log lines, kubectl rows and YAML are data, kept whole on one line.
"""Kubernetes: the `fx-rates-sync` CronJob (every 15 minutes) was suspended with `kubectl patch`
during the rate provider's maintenance window on Friday evening and never resumed. No job has
run since; the FX rates in Redis keep their last values, pricing-api starts warning about stale
rates and on Monday morning invoicing rejects every foreign-currency invoice (rate older than
48 h). Decoys: the provider's 503 during its maintenance (the last failed job), a Redis
reconnect in pricing-api, and an SMTP deferral in invoicing."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Log4j, PythonLogging
from scenes import at, loud
from traffic import traffic, web_api

BRT = timezone(timedelta(hours=-3))
NOW = datetime(2026, 8, 17, 12, 40, tzinfo=UTC)  # Monday 09:40 BRT
SUSPENDED = datetime(2026, 8, 14, 21, 52, 37, tzinfo=UTC)  # Friday 18:52 BRT
LAST_OK = datetime(2026, 8, 14, 21, 30, tzinfo=UTC)
LAST_FAILED = datetime(2026, 8, 14, 21, 45, tzinfo=UTC)
START = datetime(2026, 8, 17, 9, 30, tzinfo=UTC)


def job(time: datetime) -> str:
    return f"fx-rates-sync-{int(time.timestamp() // 60)}"


def bundle() -> Bundle:
    rng = random.Random(4393)
    total = (NOW - START).total_seconds() / 60

    pricing = LogFile(
        "logs/pricing-api.log",
        PythonLogging(("pricing.api", "pricing.rates", "uvicorn.access"), rng=rng),
    )
    pricing.add(traffic(rng, web_api("pricing-api", ["quotes", "price-lists"]), START, total, 2600))
    pricing.add(
        [
            at(
                START,
                22.5,
                "WARN",
                "redis connection to fx-cache.treasury.svc:6379 reset, reconnected after 1 attempt",
                logger="pricing.rates",
            )
        ]
    )
    for minute in range(0, int(total), 10):
        age_h = (START + timedelta(minutes=minute) - LAST_OK).total_seconds() / 3600
        pricing.add(
            [
                at(
                    START,
                    minute + 0.4,
                    "WARN",
                    f"fx rate USD/BRL as_of=2026-08-14T21:30:04Z is {age_h:.1f}h old (warn after 6h), serving cached value",
                    logger="pricing.rates",
                )
            ]
        )

    invoicing = LogFile(
        "logs/invoicing.log",
        Log4j(
            ("br.com.acme.invoicing.InvoiceService", "br.com.acme.invoicing.mail.Mailer"), rng=rng
        ),
    )
    invoicing.add(traffic(rng, web_api("invoicing", ["invoices"]), START, total, 2200))
    invoicing.add(
        [
            at(
                START,
                67.0,
                "WARN",
                "SMTP 421 4.7.0 Try again later from mx.fornecedor.com.br, deferring 3 messages",
                logger="br.com.acme.invoicing.mail.Mailer",
            )
        ]
    )
    invoicing.add(
        loud(
            rng,
            START,
            150.0,
            total - 151,
            520,
            lambda r: (
                "ERROR",
                f"invoice INV-{r.randrange(10**6):06d} rejected: FX rate {r.choice(['USD/BRL', 'EUR/BRL', 'USD/MXN'])} as_of 2026-08-14T21:30:04Z older than 48h (policy fin-fx-02)",
                (),
            ),
        )
    )

    routine = routine_events(
        rng,
        ["pricing-api", "invoicing", "fx-cache"],
        16,
        ["gke-prod-sa-pool-a-4f2c9e1b-7kq2", "gke-prod-sa-pool-a-4f2c9e1b-m8x3"],
        namespace="treasury",
    )
    events = "$ kubectl -n treasury get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, []
    )

    def age(time: datetime) -> str:
        seconds = int((NOW - time).total_seconds())
        days, rest = divmod(seconds, 86400)
        return f"{days}d{rest // 3600}h"

    get = "\n".join(
        [
            "$ kubectl -n treasury get cronjobs",
            "NAME                 SCHEDULE       TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE",
            "fx-rates-sync        */15 * * * *   <none>     True      0        "
            + f"{age(LAST_FAILED):<16}"
            + "212d",
            "ledger-close         30 2 * * *     <none>     False     0        "
            + f"{'10h':<16}"
            + "212d",
            "statement-export     0 */6 * * *    <none>     False     0        "
            + f"{'40m':<16}"
            + "97d",
            "",
            "$ kubectl -n treasury get jobs -l app=fx-rates-sync --sort-by=.metadata.creationTimestamp",
            "NAME                           STATUS     COMPLETIONS   DURATION   AGE",
            *(
                f"{job(LAST_OK - timedelta(minutes=15 * k)):<31}Complete   1/1           {str(rng.randrange(6, 14)) + 's':<11}{age(LAST_OK - timedelta(minutes=15 * k))}"
                for k in (1, 0)
            ),
            f"{job(LAST_FAILED):<31}Failed     0/1           3s{' ' * 9}{age(LAST_FAILED)}",
            "",
            f"$ kubectl -n treasury logs job/{job(LAST_FAILED)}",
            "2026-08-14 21:45:03,118 INFO fxsync: fetching 41 pairs from https://api.ratesprovider.example/v3/latest",
            "2026-08-14 21:45:04,502 ERROR fxsync: provider returned 503 Service Unavailable (scheduled maintenance 21:30-23:00 UTC), keeping previous rates",
            "2026-08-14 21:45:04,503 ERROR fxsync: sync failed, exit 2",
            "",
            "$ kubectl -n treasury get cronjob fx-rates-sync -o yaml --show-managed-fields",
            "apiVersion: batch/v1",
            "kind: CronJob",
            "metadata:",
            '  creationTimestamp: "2026-01-17T14:02:55Z"',
            "  generation: 9",
            "  labels:",
            "    app: fx-rates-sync",
            "  managedFields:",
            "  - apiVersion: batch/v1",
            "    fieldsType: FieldsV1",
            "    fieldsV1:",
            "      f:spec:",
            "        f:concurrencyPolicy: {}",
            "        f:jobTemplate: {}",
            "        f:schedule: {}",
            "    manager: argocd-controller",
            "    operation: Apply",
            '    time: "2026-07-30T16:20:11Z"',
            "  - apiVersion: batch/v1",
            "    fieldsType: FieldsV1",
            "    fieldsV1:",
            "      f:spec:",
            "        f:suspend: {}",
            "    manager: kubectl-patch",
            "    operation: Update",
            f'    time: "{SUSPENDED.strftime("%Y-%m-%dT%H:%M:%SZ")}"',
            "  - apiVersion: batch/v1",
            "    fieldsType: FieldsV1",
            "    fieldsV1:",
            "      f:status:",
            "        f:lastScheduleTime: {}",
            "        f:lastSuccessfulTime: {}",
            "    manager: kube-controller-manager",
            "    operation: Update",
            "    subresource: status",
            f'    time: "{(LAST_FAILED + timedelta(seconds=7)).strftime("%Y-%m-%dT%H:%M:%SZ")}"',
            "  name: fx-rates-sync",
            "  namespace: treasury",
            '  resourceVersion: "918273645"',
            "  uid: 3f6a1c2e-8b9d-4e70-a5c1-d2e3f4a5b6c7",
            "spec:",
            "  concurrencyPolicy: Forbid",
            "  failedJobsHistoryLimit: 1",
            "  jobTemplate:",
            "    spec:",
            "      backoffLimit: 0",
            "      template:",
            "        spec:",
            "          containers:",
            "          - name: fxsync",
            "            image: southamerica-east1-docker.pkg.dev/acme-prod/treasury/fxsync:2.4.0",
            '            args: ["--pairs-from=/etc/fxsync/pairs.txt", "--target=redis://fx-cache.treasury.svc:6379/2"]',
            "          restartPolicy: Never",
            "  schedule: '*/15 * * * *'",
            "  successfulJobsHistoryLimit: 2",
            "  suspend: true",
            "status:",
            f'  lastScheduleTime: "{LAST_FAILED.strftime("%Y-%m-%dT%H:%M:%SZ")}"',
            f'  lastSuccessfulTime: "{(LAST_OK + timedelta(seconds=9)).strftime("%Y-%m-%dT%H:%M:%SZ")}"',
            "",
        ]
    )
    return Bundle(
        question="Since this morning (Monday, around 09:00 BRT) invoicing rejects almost every foreign-currency invoice because of old FX rates, and pricing-api warns about stale rates. The FX provider says its API is up. What is the root cause?",
        category="configuration",
        component="fx-rates-sync",
        statement="The fx-rates-sync CronJob was suspended with kubectl patch (suspend: true) at 21:52 UTC on Friday during the rate provider's maintenance window and never resumed, so no sync job has run since and the rates in fx-cache stayed at Friday 21:30 UTC until invoicing's 48 h policy began rejecting invoices.",
        files={
            "kubectl-get.txt": get,
            "kubectl-get-events.txt": events,
            pricing.name: pricing.render(),
            invoicing.name: invoicing.render(),
        },
        proofs=[
            Proof("kubectl-get.txt", "  suspend: true"),
            Proof(
                "kubectl-get.txt",
                "manager: kubectl-patch",
                f'    time: "{SUSPENDED.strftime("%Y-%m-%dT%H:%M:%SZ")}"',
            ),
            Proof("kubectl-get.txt", "fx-rates-sync        */15 * * * *"),
        ],
        decoys=[
            "provider returned 503 Service Unavailable",
            "redis connection to fx-cache.treasury.svc:6379 reset",
            "SMTP 421 4.7.0 Try again later",
        ],
    )
