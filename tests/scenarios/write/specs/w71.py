# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""invoice-api 4.8.0 (Recreate strategy) waits in an init container for the invoice-db-migrate
Job, whose Alembic upgrade fails on NULL tax_region rows until the Job's backoff limit is hit;
the new pods stay Init:0/1 and the Envoy gateway answers 503 no healthy upstream."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_events, describe_pod, event_listing, routine_events, table
from records import KubectlTimestamps, Record
from scenes import fixed, loud, python_traceback
from traffic import Line, traffic

START = datetime(2025, 1, 15, 8, 30, tzinfo=UTC)
ROLLOUT_MINUTE = 32.2
NODES = [
    "gke-prod-pool-2-9f1c2a7e-5xq1",
    "gke-prod-pool-2-9f1c2a7e-b7kd",
    "gke-prod-pool-2-9f1c2a7e-m2rt",
    "gke-prod-pool-3-41aa0c3d-0vjw",
]
JOB_PODS = [
    "invoice-db-migrate-4xk8q",
    "invoice-db-migrate-9tzwl",
    "invoice-db-migrate-qp2mc",
    "invoice-db-migrate-h6rbn",
]


@dataclass
class EnvoyAccess:
    """Envoy's default access-log format; the record's message is everything after the time."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [f"[{stamp}] {record.message}"]


def gateway_line(rng: random.Random) -> Line:
    cluster, path = rng.choice(
        [
            ("customers.billing:8080", f"/v1/customers/{rng.randrange(10**6)}"),
            ("payments.billing:8080", f"/v1/payments/{rng.getrandbits(40):010x}"),
            ("invoice-api.billing:8080", f"/v1/invoices/{rng.randrange(10**6)}"),
            ("invoice-api.billing:8080", "/v1/invoices?status=open&page=1"),
        ]
    )
    took = rng.randrange(2, 150)
    return (
        "INFO",
        f'"GET {path} HTTP/1.1" 200 - 0 {rng.randrange(90, 9000)} {took} {took - 1} "10.8.{rng.randrange(4)}.{rng.randrange(2, 250)}" "{rng.choice(["okhttp/4.12.0", "Go-http-client/2.0", "Mozilla/5.0"])}" "{rng.getrandbits(128):032x}" "{cluster}" "10.12.{rng.randrange(4)}.{rng.randrange(2, 250)}:8080"',
        (),
    )


def healthy_gateway_line(rng: random.Random) -> Line:
    cluster, path = rng.choice(
        [
            ("customers.billing:8080", f"/v1/customers/{rng.randrange(10**6)}"),
            ("payments.billing:8080", f"/v1/payments/{rng.getrandbits(40):010x}"),
        ]
    )
    took = rng.randrange(2, 150)
    return (
        "INFO",
        f'"GET {path} HTTP/1.1" 200 - 0 {rng.randrange(90, 9000)} {took} {took - 1} "10.8.{rng.randrange(4)}.{rng.randrange(2, 250)}" "okhttp/4.12.0" "{rng.getrandbits(128):032x}" "{cluster}" "10.12.{rng.randrange(4)}.{rng.randrange(2, 250)}:8080"',
        (),
    )


def migration_log(start: datetime) -> str:
    trace = python_traceback(
        [
            (
                "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/base.py",
                1967,
                "_exec_single_context",
                "self.dialect.do_execute(",
            ),
            (
                "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/default.py",
                941,
                "do_execute",
                "cursor.execute(statement, parameters)",
            ),
        ],
        'psycopg2.errors.NotNullViolation: column "tax_region" of relation "invoices" contains null values',
    )
    trace += ["", "The above exception was the direct cause of the following exception:", ""]
    trace += python_traceback(
        [
            ("/usr/local/bin/alembic", 8, "<module>", "sys.exit(main())"),
            (
                "/app/migrations/versions/8e2d4b6a1f03_tax_region_not_null.py",
                27,
                "upgrade",
                'op.alter_column("invoices", "tax_region", nullable=False)',
            ),
            (
                "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/default.py",
                941,
                "do_execute",
                "cursor.execute(statement, parameters)",
            ),
        ],
        'sqlalchemy.exc.IntegrityError: (psycopg2.errors.NotNullViolation) column "tax_region" of relation "invoices" contains null values',
    )
    trace += [
        "",
        "[SQL: ALTER TABLE invoices ALTER COLUMN tax_region SET NOT NULL]",
        "(Background on this error at: https://sqlalche.me/e/20/gkpj)",
    ]
    lines = [
        "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.",
        "INFO  [alembic.runtime.migration] Will assume transactional DDL.",
        "INFO  [alembic.runtime.migration] Running upgrade 5b1e9f0c3a72 -> 3f9a1c2b7d41, add invoices.tax_region",
        "INFO  [alembic.runtime.migration] Running upgrade 3f9a1c2b7d41 -> 8e2d4b6a1f03, tax_region not null",
        *trace,
    ]
    record = Record(start, "INFO", lines[0], tuple(lines[1:]))
    return "\n".join(KubectlTimestamps().render(record)) + "\n"


def describe_job() -> str:
    events = [
        ("Normal", "SuccessfulCreate", "43m", "job-controller", f"Created pod: {JOB_PODS[0]}"),
        ("Normal", "SuccessfulCreate", "42m", "job-controller", f"Created pod: {JOB_PODS[1]}"),
        ("Normal", "SuccessfulCreate", "41m", "job-controller", f"Created pod: {JOB_PODS[2]}"),
        ("Normal", "SuccessfulCreate", "39m", "job-controller", f"Created pod: {JOB_PODS[3]}"),
        (
            "Warning",
            "BackoffLimitExceeded",
            "36m",
            "job-controller",
            "Job has reached the specified backoff limit",
        ),
    ]
    lines = [
        "Name:             invoice-db-migrate",
        "Namespace:        billing",
        "Selector:         batch.kubernetes.io/controller-uid=6a0f3c1e-2b8d-4f7a-9c5e-1d3b7a9e0f42",
        "Labels:           app.kubernetes.io/instance=invoice-api",
        "                  app.kubernetes.io/version=4.8.0",
        "                  argocd.argoproj.io/instance=billing-prod",
        "Annotations:      argocd.argoproj.io/sync-wave: -1",
        "Parallelism:      1",
        "Completions:      1",
        "Completion Mode:  NonIndexed",
        "Suspend:          false",
        "Backoff Limit:    3",
        "Start Time:       Wed, 15 Jan 2025 09:02:13 +0000",
        "Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 4 Failed",
        "Pod Template:",
        "  Labels:  batch.kubernetes.io/controller-uid=6a0f3c1e-2b8d-4f7a-9c5e-1d3b7a9e0f42",
        "           batch.kubernetes.io/job-name=invoice-db-migrate",
        "           job-name=invoice-db-migrate",
        "  Containers:",
        "   migrate:",
        "    Image:      europe-docker.pkg.dev/acme-prod/billing/invoice-api:4.8.0",
        "    Port:       <none>",
        "    Host Port:  <none>",
        "    Command:",
        "      alembic",
        "      upgrade",
        "      head",
        "    Environment:",
        "      DATABASE_URL:  <set to the key 'url' in secret 'invoice-db'>  Optional: false",
        "    Mounts:          <none>",
        "  Volumes:           <none>",
        *describe_events(events),
    ]
    return "\n".join(lines) + "\n"


def pods(rng: random.Random) -> str:
    rows = [
        ("invoice-api-7d9c5b8f6-2lq8d", "0/1", "Init:0/1", "0", "43m"),
        ("invoice-api-7d9c5b8f6-8vnxs", "0/1", "Init:0/1", "0", "43m"),
        ("invoice-api-7d9c5b8f6-kd4wz", "0/1", "Init:0/1", "0", "43m"),
        *(
            (name, "0/1", "Error", "0", ago)
            for name, ago in zip(JOB_PODS, ["43m", "42m", "41m", "39m"], strict=True)
        ),
    ]
    for app in ["customers", "customers", "payments", "payments", "payments", "dunning-worker"]:
        rows.append(
            (
                f"{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}",
                "1/1",
                "Running",
                str(rng.choice([0, 0, 1])),
                f"{rng.randrange(2, 30)}d",
            )
        )
    rows.sort()
    return "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE"), rows)) + "\n"


def bundle() -> Bundle:
    rng = random.Random(171)
    waiting = Container(
        name="wait-for-migration",
        image="ghcr.io/groundnuty/k8s-wait-for:v2.0",
        state=["Running", "  Started:      Wed, 15 Jan 2025 09:02:16 +0000"],
        ready=False,
        environment=[],
        port="<none>",
    )
    app = Container(
        name="invoice-api",
        image="europe-docker.pkg.dev/acme-prod/billing/invoice-api:4.8.0",
        state=["Waiting", "  Reason:       PodInitializing"],
        ready=False,
        limits={"cpu": "1", "memory": "1Gi"},
        requests={"cpu": "250m", "memory": "512Mi"},
        probes=[
            "Readiness:      http-get http://:8080/readyz delay=5s timeout=1s period=10s #success=1 #failure=3"
        ],
    )
    pod = Pod(
        name="invoice-api-7d9c5b8f6-2lq8d",
        namespace="billing",
        node=NODES[1],
        app="invoice-api",
        containers=[app],
        init_containers=[waiting],
        status="Pending",
        conditions={
            "PodReadyToStartContainers": "True",
            "Initialized": "False",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        start_time="Wed, 15 Jan 2025 09:02:14 +0000",
        ip="10.12.2.77",
        events=[
            (
                "Normal",
                "Scheduled",
                "43m",
                "default-scheduler",
                f"Successfully assigned billing/invoice-api-7d9c5b8f6-2lq8d to {NODES[1]}",
            ),
            (
                "Normal",
                "Pulled",
                "43m",
                "kubelet",
                'Container image "ghcr.io/groundnuty/k8s-wait-for:v2.0" already present on machine',
            ),
            ("Normal", "Created", "43m", "kubelet", "Created container wait-for-migration"),
            ("Normal", "Started", "43m", "kubelet", "Started container wait-for-migration"),
        ],
    )
    waiter = LogFile("init-container.log", KubectlTimestamps())
    waiter.add(
        traffic(
            rng,
            lambda r: ("INFO", "[2025-01-15] Waiting for job invoice-db-migrate...", ()),
            START + timedelta(minutes=ROLLOUT_MINUTE),
            42,
            500,
        )
    )
    gateway = LogFile("gateway-access.log", EnvoyAccess())
    gateway.add(traffic(rng, gateway_line, START, ROLLOUT_MINUTE, 2400))
    gateway.add(
        traffic(rng, healthy_gateway_line, START + timedelta(minutes=ROLLOUT_MINUTE), 42, 1500)
    )
    gateway.add(
        loud(
            rng,
            START,
            ROLLOUT_MINUTE + 0.1,
            42,
            1160,
            fixed(
                "ERROR",
                lambda r: (
                    f'"GET /v1/invoices/{r.randrange(10**6)} HTTP/1.1" 503 UH no_healthy_upstream 0 19 0 - "10.8.{r.randrange(4)}.{r.randrange(2, 250)}" "okhttp/4.12.0" "{r.getrandbits(128):032x}" "invoice-api.billing:8080" "-"'
                ),
            ),
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            ROLLOUT_MINUTE + 3,
            38,
            90,
            fixed(
                "WARN",
                lambda r: (
                    f'"POST /v1/payments HTTP/1.1" 504 UT upstream_response_timeout 412 24 15000 - "10.8.{r.randrange(4)}.{r.randrange(2, 250)}" "Go-http-client/2.0" "{r.getrandbits(128):032x}" "payments.billing:8080" "10.12.{r.randrange(4)}.{r.randrange(2, 250)}:8080"'
                ),
            ),
        )
    )
    routine = routine_events(
        rng, ["customers", "payments", "dunning-worker"], 300, NODES, namespace="billing"
    )
    signal = [
        (
            2720,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-api",
                "Scaled down replica set invoice-api-6b8d4c9f7 to 0 from 3",
            ),
        ),
        (
            2600,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-api",
                "Scaled up replica set invoice-api-7d9c5b8f6 to 3",
            ),
        ),
        (
            2590,
            ("Normal", "SuccessfulCreate", "job/invoice-db-migrate", f"Created pod: {JOB_PODS[0]}"),
        ),
        (
            2160,
            (
                "Warning",
                "BackoffLimitExceeded",
                "job/invoice-db-migrate",
                "Job has reached the specified backoff limit",
            ),
        ),
        (
            1900,
            (
                "Warning",
                "Unhealthy",
                "pod/payments-5f7d8c9b6-x2kqp",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
        (
            600,
            (
                "Warning",
                "BackOff",
                "pod/dunning-worker-8c7b6d5f4-rt9wq",
                "Back-off restarting failed container dunning-worker in pod dunning-worker-8c7b6d5f4-rt9wq_billing(0b2e4f6a-8c1d-4e3f-a5b7-9d0c2e4f6a81)",
            ),
        ),
    ]
    return Bundle(
        question="invoice-api has been down since the 4.8.0 sync at 09:02 UTC (gateway 503s, pods never become ready). Root cause?",
        category="deployment",
        component="invoice-db-migrate",
        statement="The 4.8.0 migration Job invoice-db-migrate fails (Alembic cannot set invoices.tax_region NOT NULL because existing rows hold NULLs) until it hits its backoff limit, so invoice-api's init container waits for it forever and the new pods stay Init:0/1.",
        files={
            "get-pods.txt": pods(rng),
            "describe-pod.txt": describe_pod(pod, rng),
            "describe-job.txt": describe_job(),
            "job-logs.txt": migration_log(START + timedelta(minutes=ROLLOUT_MINUTE + 9.3)),
            "init-container.log": waiter.render(),
            "events.txt": event_listing(routine, signal),
            "gateway-access.log": gateway.render(),
        },
        proofs=[
            Proof(
                "job-logs.txt",
                'sqlalchemy.exc.IntegrityError: (psycopg2.errors.NotNullViolation) column "tax_region"',
                "[SQL: ALTER TABLE invoices ALTER COLUMN tax_region SET NOT NULL]",
            ),
            Proof(
                "describe-job.txt", "Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 4 Failed"
            ),
            Proof("describe-job.txt", "BackoffLimitExceeded"),
        ],
        decoys=[
            "503 UH no_healthy_upstream",
            "504 UT upstream_response_timeout",
            "Back-off restarting failed container dunning-worker",
        ],
    )
