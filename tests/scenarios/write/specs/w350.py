# ruff: noqa: E501
# kubectl output, pgbouncer lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the platform team's base chart 2.0 gave every workload a shared `platform-defaults`
ConfigMap, appended to invoice-service's `envFrom` after the service's own ConfigMap. With
`envFrom` the last source wins for a duplicated key, and platform-defaults carries a default
`DATABASE_URL` for the shared pgbouncer's `app` database: since the 11:40 IST rollout
invoice-service connects there, pgbouncer answers `no such database: app`, and invoice creation
fails. Decoys: pgbouncer's routine `server_lifetime` closes, a Celery beat clock warning, and an
unrelated events' FailedMount on a report job."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import PythonLogging, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

IST = ZoneInfo("Asia/Kolkata")
START = datetime(2026, 10, 14, 5, 30, tzinfo=UTC)  # 11:00 IST
NOW = datetime(2026, 10, 14, 7, 15, tzinfo=UTC)  # 12:45 IST
ROLLOUT = 40.0  # 06:10 UTC, 11:40 IST
NODES = ["worker-blr-07", "worker-blr-08", "worker-blr-11", "worker-blr-12"]

KUBECTL = """$ kubectl -n billing get deploy invoice-service -o jsonpath='{.metadata.annotations.meta\\.helm\\.sh/release-name} {.metadata.labels.helm\\.sh/chart}{"\\n"}{range .spec.template.spec.containers[0].envFrom[*]}{.configMapRef.name}{.secretRef.name}{"\\n"}{end}'
invoice-service platform-base-2.0.1
invoice-service-config
invoice-service-db
platform-defaults

$ kubectl -n billing get configmap invoice-service-config -o yaml | sed -n '1,12p'
apiVersion: v1
data:
  DATABASE_URL: postgresql://invoice@invoice-db-rw.billing.svc:5432/invoices
  INVOICE_PDF_BUCKET: s3://acme-billing-invoices-prod
  LOG_LEVEL: INFO
  WORKERS: "4"
kind: ConfigMap
metadata:
  creationTimestamp: "2025-03-07T09:02:44Z"
  name: invoice-service-config
  namespace: billing

$ kubectl -n billing get configmap platform-defaults -o yaml
apiVersion: v1
data:
  DATABASE_URL: postgresql://app@pgbouncer.platform.svc:6432/app
  OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector.observability.svc:4317
  OTEL_TRACES_SAMPLER: parentbased_traceidratio
  TZ: UTC
kind: ConfigMap
metadata:
  annotations:
    meta.helm.sh/release-name: invoice-service
    meta.helm.sh/release-namespace: billing
  creationTimestamp: "2026-10-14T06:10:07Z"
  labels:
    app.kubernetes.io/managed-by: Helm
    helm.sh/chart: platform-base-2.0.1
  name: platform-defaults
  namespace: billing

$ kubectl -n billing exec deploy/invoice-service -- printenv DATABASE_URL
postgresql://app@pgbouncer.platform.svc:6432/app
"""


@dataclass
class PgBouncer:
    """pgbouncer's log: `2026-10-14 06:10:00.123 UTC [1] LOG C-0x...: db/user@host:port message`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d} UTC"
        )
        level = {"INFO": "LOG", "WARN": "WARNING", "ERROR": "WARNING"}.get(record.level, "LOG")
        return [f"{stamp} [1] {level} {record.message}"]


def bouncer_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    db = rng.choice(["orders", "identity", "reports", "catalog"])
    addr = f"10.244.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 61000)}"
    ptr = f"0x{rng.getrandbits(40):010x}"
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"C-{ptr}: {db}/{db}_svc@{addr} login attempt: db={db} user={db}_svc tls=no",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"C-{ptr}: {db}/{db}_svc@{addr} closing because: client close request (age={rng.randrange(1, 900)}s)",
            (),
        )
    if roll < 0.93:
        return (
            "INFO",
            f"stats: {rng.randrange(20, 300)} xacts/s, {rng.randrange(20, 400)} queries/s, in {rng.randrange(10000, 90000)} B/s, out {rng.randrange(50000, 900000)} B/s, xact {rng.randrange(300, 3000)} us, query {rng.randrange(200, 2000)} us, wait {rng.randrange(0, 40)} us",
            (),
        )
    return (
        "INFO",
        f"S-{ptr}: {db}/{db}_svc@10.96.40.{rng.randrange(2, 30)}:5432 closing because: server lifetime over (age={rng.randrange(3600, 3700)}s)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(35004)
    total = (NOW - START).total_seconds() / 60

    app = LogFile(
        "logs/invoice-service.log",
        PythonLogging(
            ("invoice.api", "invoice.render", "invoice.tasks", "gunicorn.access"), rng=rng
        ),
    )
    app.add(
        traffic(rng, web_api("invoice-service", ["invoices", "credit-notes"]), START, ROLLOUT, 1500)
    )
    app.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.5,
            total - ROLLOUT - 0.5,
            600,
            fixed(
                "INFO",
                lambda r: (
                    f'10.244.{r.randrange(1, 9)}.{r.randrange(2, 250)} - - "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"'
                ),
            ),
        )
    )
    app.add(
        [
            at(
                START,
                8.5,
                "WARN",
                "Scheduler: beat clock drift 2.4s exceeds 1.0s; sending due task invoice.tasks.reminders anyway",
                logger="celery.beat",
            ),
            at(
                START,
                ROLLOUT + 0.4,
                "INFO",
                "gunicorn 22.0.0 booting 4 workers (pid 1); settings loaded from environment",
                logger="invoice.api",
            ),
            at(
                START,
                ROLLOUT + 0.45,
                "INFO",
                "database pool configured for pgbouncer.platform.svc:6432/app (min=2 max=10)",
                logger="invoice.api",
            ),
        ]
    )
    app.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.6,
            total - ROLLOUT - 0.6,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f'POST /api/v1/invoices failed: psycopg.OperationalError: connection failed: connection to server at "10.96.12.4", port 6432 failed: FATAL:  no such database: app (request_id={r.getrandbits(48):012x})'
                ),
                None,
            ),
        )
    )

    bouncer = LogFile("kubectl-logs-pgbouncer.txt", PgBouncer(rng=rng))
    bouncer.add(traffic(rng, bouncer_line, START, total, 2200))
    bouncer.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.6,
            total - ROLLOUT - 0.6,
            300,
            fixed(
                "WARN",
                lambda r: (
                    f"C-0x{r.getrandbits(40):010x}: (nodb)/app@10.244.{r.choice([3, 5, 6])}.{r.randrange(2, 250)}:{r.randrange(30000, 61000)} pooler error: no such database: app"
                ),
            ),
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["invoice-service", "dunning-worker", "tax-calc"], 20, NODES, namespace="billing"
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-service",
                "Scaled up replica set invoice-service-7d5c8f9b6 to 1",
            ),
        ),
        (
            ago(ROLLOUT + 0.8),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-service",
                "Scaled down replica set invoice-service-6a9b4e7c21 to 0 from 3",
            ),
        ),
        (
            ago(24),
            (
                "Warning",
                "FailedMount",
                "pod/monthly-report-29071440-x8hzp",
                'MountVolume.SetUp failed for volume "report-out" : nfs: mount error: mount.nfs: Connection timed out',
            ),
        ),
    ]
    events = event_listing(routine, signal)

    return Bundle(
        question="Customers can't create invoices since around 11:45 IST — every POST /api/v1/invoices fails with a database error, but the invoices database itself looks healthy. What is the root cause?",
        category="configuration",
        component="invoice-service",
        statement="The base chart 2.0 rollout (11:40 IST) appended the shared `platform-defaults` ConfigMap after invoice-service's own ConfigMap in `envFrom`; its default DATABASE_URL (pgbouncer.platform.svc:6432/app) overrides the service's own, so invoice-service connects to the shared pgbouncer and is refused with `no such database: app`.",
        files={
            "kubectl-invoice-service-config.txt": KUBECTL,
            "logs/invoice-service.log": app.render(),
            "kubectl-logs-pgbouncer.txt": bouncer.render(),
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof(
                "kubectl-invoice-service-config.txt",
                "  DATABASE_URL: postgresql://app@pgbouncer.platform.svc:6432/app",
            ),
            Proof(
                "kubectl-invoice-service-config.txt",
                "invoice-service platform-base-2.0.1",
                "platform-defaults",
            ),
            Proof(
                "logs/invoice-service.log",
                "database pool configured for pgbouncer.platform.svc:6432/app",
            ),
        ],
        decoys=[
            "closing because: server lifetime over",
            "beat clock drift 2.4s exceeds 1.0s",
            "nfs: mount error: mount.nfs: Connection timed out",
        ],
    )
