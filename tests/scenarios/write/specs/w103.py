# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""The analytics chart's 2.0.0 upgrade moved RBAC behind `rbac.create` (off by default), so the
RoleBinding giving ServiceAccount warehouse-export its Role on Leases was deleted. From the next
hourly run on, the CronJob's pods exit on a 403 when they take their run lock, every Job ends in
BackoffLimitExceeded, and the sales dashboards and dbt freshness checks complain loudly that
sales_hourly is hours behind."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import describe_events, event_listing, routine_events, table
from records import PythonLogging, Record
from scenes import fixed, loud, python_traceback
from traffic import Line, traffic

NAMESPACE = "analytics"
SNAPSHOT = datetime(2025, 9, 16, 11, 41, 30, tzinfo=UTC)
UPGRADE = datetime(2025, 9, 16, 5, 47, 12, tzinfo=UTC)
START = datetime(2025, 9, 16, 5, 0, tzinfo=UTC)
NODES = [
    "aks-analytics-31415926-vmss000003",
    "aks-analytics-31415926-vmss000005",
    "aks-analytics-31415926-vmss000007",
]
FORBIDDEN = 'leases.coordination.k8s.io "warehouse-export-lock" is forbidden: User "system:serviceaccount:analytics:warehouse-export" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "analytics"'


def run_times() -> list[datetime]:
    first = datetime(2025, 9, 15, 22, 5, tzinfo=UTC)
    return [first + timedelta(hours=hour) for hour in range(14)]


def job_name(time: datetime) -> str:
    return f"warehouse-export-{int(time.timestamp() // 60)}"


def ago(time: datetime) -> str:
    seconds = int((SNAPSHOT - time).total_seconds())
    hours, rest = divmod(seconds // 60, 60)
    return f"{hours}h{rest}m" if hours else f"{rest}m"


def jobs_text() -> str:
    rows = []
    for time in run_times():
        failed = time > UPGRADE
        status = "Failed" if failed else "Complete"
        duration = "4m3s" if failed else f"{6 + time.hour % 3}m{(time.hour * 7) % 60}s"
        rows.append((job_name(time), status, "0/1" if failed else "1/1", duration, ago(time)))
    return "\n".join(table(("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"), rows[-6:])) + "\n"


def cronjob_text() -> str:
    rows = [
        ("warehouse-export", "5 * * * *", "<none>", "False", "0", "36m", "211d"),
        ("warehouse-compact", "30 2 * * *", "<none>", "False", "0", "9h", "211d"),
        ("dbt-freshness", "*/15 * * * *", "<none>", "False", "0", "11m", "97d"),
    ]
    return (
        "\n".join(
            table(
                ("NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"), rows
            )
        )
        + "\n"
    )


def helm_history() -> str:
    rows = [
        (
            "16",
            "Tue Aug 26 09:12:40 2025",
            "superseded",
            "analytics-1.14.2",
            "2025.8.3",
            "Upgrade complete",
        ),
        (
            "17",
            "Wed Sep  3 14:02:18 2025",
            "superseded",
            "analytics-1.15.0",
            "2025.9.1",
            "Upgrade complete",
        ),
        (
            "18",
            "Tue Sep 16 05:47:12 2025",
            "deployed",
            "analytics-2.0.0",
            "2025.9.2",
            "Upgrade complete",
        ),
    ]
    return (
        "\n".join(
            "\t".join(row)
            for row in [
                ("REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"),
                *rows,
            ]
        )
        + "\n"
    )


def rolebindings_text() -> str:
    rows = [
        ("analytics-readers", "ClusterRole/view", "211d"),
        ("dbt-runner", "Role/dbt-runner", "97d"),
        ("reports-api", "Role/reports-api", "211d"),
        ("warehouse-compact", "Role/warehouse-compact", "5h54m"),
    ]
    return "\n".join(table(("NAME", "ROLE", "AGE"), rows)) + "\n"


def describe_job(last: datetime) -> str:
    name = job_name(last)
    lines = [
        f"Name:             {name}",
        f"Namespace:        {NAMESPACE}",
        "Selector:         batch.kubernetes.io/controller-uid=5f2c9e41-8a7d-4b36-a1e0-7c9d3f2b8e61",
        "Labels:           app.kubernetes.io/name=warehouse-export",
        "Annotations:      batch.kubernetes.io/cronjob-scheduled-timestamp: "
        + last.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Controlled By:    CronJob/warehouse-export",
        "Parallelism:      1",
        "Completions:      1",
        "Completion Mode:  NonIndexed",
        "Suspend:          false",
        "Backoff Limit:    3",
        f"Start Time:       {last.strftime('%a, %d %b %Y %H:%M:%S +0000')}",
        "Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 4 Failed",
        "Pod Template:",
        "  Labels:           app.kubernetes.io/name=warehouse-export",
        "  Service Account:  warehouse-export",
        "  Containers:",
        "   export:",
        "    Image:      acrdataplatform.azurecr.io/analytics/warehouse-export:2025.9.2",
        "    Port:       <none>",
        "    Host Port:  <none>",
        "    Command:",
        "      python",
        "      -m",
        "      warehouse_export",
        "      --dataset=sales_hourly",
        "    Environment:",
        "      LOCK_NAME:  warehouse-export-lock",
        "    Mounts:       <none>",
        "  Volumes:        <none>",
        *describe_events(
            [
                (
                    "Normal",
                    "SuccessfulCreate",
                    "36m",
                    "job-controller",
                    f"Created pod: {name}-x2m7q",
                ),
                (
                    "Normal",
                    "SuccessfulCreate",
                    "36m",
                    "job-controller",
                    f"Created pod: {name}-b9k4d",
                ),
                (
                    "Normal",
                    "SuccessfulCreate",
                    "35m",
                    "job-controller",
                    f"Created pod: {name}-p5wzc",
                ),
                (
                    "Normal",
                    "SuccessfulCreate",
                    "34m",
                    "job-controller",
                    f"Created pod: {name}-h8trn",
                ),
                (
                    "Warning",
                    "BackoffLimitExceeded",
                    "32m",
                    "job-controller",
                    "Job has reached the specified backoff limit",
                ),
            ]
        ),
    ]
    return "\n".join(lines) + "\n"


def export_log(last: datetime) -> str:
    begin = last + timedelta(seconds=3 * 60 + 51)
    step = timedelta(milliseconds=1)
    trace = [
        *python_traceback(
            [
                (
                    "/app/warehouse_export/__main__.py",
                    41,
                    "main",
                    "with run_lock(settings.lock_name, settings.namespace):",
                ),
                (
                    "/usr/local/lib/python3.12/contextlib.py",
                    137,
                    "__enter__",
                    "return next(self.gen)",
                ),
                (
                    "/app/warehouse_export/lock.py",
                    28,
                    "run_lock",
                    "lease = api.read_namespaced_lease(name, namespace)",
                ),
                (
                    "/usr/local/lib/python3.12/site-packages/kubernetes/client/rest.py",
                    238,
                    "request",
                    "raise ApiException(http_resp=r)",
                ),
            ],
            "kubernetes.client.exceptions.ApiException: (403)",
        ),
        "Reason: Forbidden",
        "HTTP response headers: HTTPHeaderDict({'Audit-Id': '8c1e0f4a-2b7d-4e93-a6c5-1f9d8e2b7a40', 'Cache-Control': 'no-cache, private', 'Content-Type': 'application/json', 'X-Content-Type-Options': 'nosniff', 'Date': 'Tue, 16 Sep 2025 11:08:54 GMT', 'Content-Length': '395'})",
        'HTTP response body: {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"'
        + FORBIDDEN.replace('"', '\\"')
        + '","reason":"Forbidden","details":{"name":"warehouse-export-lock","group":"coordination.k8s.io","kind":"leases"},"code":403}',
    ]
    records = [
        Record(
            begin,
            "INFO",
            "warehouse-export 2025.9.2 dataset=sales_hourly window=2025-09-16T10:00:00Z/2025-09-16T11:00:00Z",
            (),
            "warehouse_export",
        ),
        Record(
            begin + 40 * step,
            "INFO",
            "loaded in-cluster config (namespace analytics, service account warehouse-export)",
            (),
            "warehouse_export.kube",
        ),
        Record(
            begin + 61 * step,
            "INFO",
            "acquiring run lock lease analytics/warehouse-export-lock",
            (),
            "warehouse_export.lock",
        ),
        Record(
            begin + 88 * step,
            "ERROR",
            "run aborted before export: could not acquire run lock",
            tuple(trace),
            "warehouse_export",
        ),
    ]
    log = LogFile("export", PythonLogging(("warehouse_export",)))
    log.add(records)
    return log.render()


def reports_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"GET /api/dashboards/{rng.choice(['sales-today', 'regional-sales', 'inventory-turns', 'returns'])} 200 {rng.randrange(40, 600)}ms user={rng.randrange(10**4)}",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"query cache hit dashboard={rng.choice(['inventory-turns', 'returns'])} age={rng.randrange(10, 300)}s",
            (),
        )
    return "DEBUG", f"pool stats: size=20 idle={rng.randrange(8, 19)} waiting=0", ()


def bundle() -> Bundle:
    rng = random.Random(1103)
    runs = run_times()
    last = runs[-1]
    routine = routine_events(
        rng, ["reports-api", "dbt-docs", "superset"], 220, NODES, namespace=NAMESPACE
    )
    signal = []
    for time in runs[-7:]:
        seconds = int((SNAPSHOT - time).total_seconds())
        name = job_name(time)
        signal.append(
            (
                seconds,
                ("Normal", "SuccessfulCreate", "cronjob/warehouse-export", f"Created job {name}"),
            )
        )
        if time > UPGRADE:
            signal.append(
                (
                    seconds - 230,
                    (
                        "Warning",
                        "BackoffLimitExceeded",
                        f"job/{name}",
                        "Job has reached the specified backoff limit",
                    ),
                )
            )
            signal.append(
                (
                    seconds - 231,
                    (
                        "Normal",
                        "SawCompletedJob",
                        "cronjob/warehouse-export",
                        f"Saw completed job: {name}, condition: Failed",
                    ),
                )
            )
        else:
            signal.append((seconds - 400, ("Normal", "Completed", f"job/{name}", "Job completed")))
    reports = LogFile(
        "reports-api.log",
        PythonLogging(("reports.api", "reports.freshness", "sqlalchemy.pool"), rng=rng),
    )
    minutes = (SNAPSHOT - START).total_seconds() / 60
    reports.add(traffic(rng, reports_line, START, minutes, 4200))
    stale_from = (datetime(2025, 9, 16, 7, 20, tzinfo=UTC) - START).total_seconds() / 60
    reports.add(
        loud(
            rng,
            START,
            stale_from,
            minutes - stale_from,
            380,
            fixed(
                "WARN",
                lambda r: (
                    f"dashboard sales-today served stale data: sales_hourly max(hour)=2025-09-16T05:00:00Z, threshold 2h (user={r.randrange(10**4)})"
                ),
            ),
        )
    )
    reports.add(
        loud(
            rng,
            START,
            stale_from + 20,
            minutes - stale_from - 20,
            120,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /api/dashboards/regional-sales 500 {r.randrange(30000, 30100)}ms: canceling statement due to statement timeout (fallback query over raw orders)"
                ),
            ),
        )
    )
    freshness = LogFile("dbt-freshness.log", PythonLogging(("dbt",), rng=rng))
    for index in range(int(minutes // 15) + 1):
        time = START + timedelta(minutes=15 * index, milliseconds=rng.randrange(20000, 30000))
        behind = (time - datetime(2025, 9, 16, 5, 11, 38, tzinfo=UTC)).total_seconds() / 3600
        if behind > 2:
            freshness.add(
                [
                    Record(
                        time,
                        "ERROR",
                        f"ERROR STALE freshness of warehouse.sales_hourly ........................ [ERROR STALE in {rng.uniform(0.3, 0.9):.2f}s] max_loaded_at 2025-09-16 05:11:38 ({behind:.1f}h ago, error_after 2h)",
                        (),
                        "dbt",
                    )
                ]
            )
        else:
            freshness.add(
                [
                    Record(
                        time,
                        "INFO",
                        f"PASS freshness of warehouse.sales_hourly ........................ [PASS in {rng.uniform(0.3, 0.9):.2f}s]",
                        (),
                        "dbt",
                    )
                ]
            )
        freshness.add(
            [
                Record(
                    time + timedelta(milliseconds=rng.randrange(700, 1500)),
                    "INFO",
                    f"PASS freshness of warehouse.inventory_daily ........................ [PASS in {rng.uniform(0.3, 0.9):.2f}s]",
                    (),
                    "dbt",
                )
            ]
        )
        freshness.add(
            [
                Record(
                    time + timedelta(milliseconds=rng.randrange(1600, 2500)),
                    "WARN",
                    f"WARN freshness of warehouse.returns ........................ [WARN in {rng.uniform(0.3, 0.9):.2f}s] max_loaded_at 2025-09-15 23:10:02 (warn_after 12h)",
                    (),
                    "dbt",
                )
            ]
        )
    return Bundle(
        question="The sales dashboards have been stale since this morning (last data 05:00 UTC) and dbt freshness is red. What broke?",
        category="permission",
        component="warehouse-export",
        statement="Since the analytics chart upgrade at 05:47 UTC removed its RoleBinding, ServiceAccount warehouse-export can no longer get its lock Lease, so every warehouse-export run exits on a 403 Forbidden, each Job ends in BackoffLimitExceeded and sales_hourly stops loading.",
        files={
            "get-cronjobs.txt": cronjob_text(),
            "get-jobs.txt": jobs_text(),
            "describe-job.txt": describe_job(last),
            f"logs-{job_name(last)}-h8trn.txt": export_log(last),
            "get-rolebindings.txt": rolebindings_text(),
            "helm-history.txt": helm_history(),
            "events.txt": event_listing(routine, signal),
            "reports-api.log": reports.render(),
            "dbt-freshness.log": freshness.render(),
        },
        proofs=[
            Proof(
                f"logs-{job_name(last)}-h8trn.txt",
                "kubernetes.client.exceptions.ApiException: (403)",
                "HTTP response body",
            ),
            Proof("helm-history.txt", "analytics-2.0.0"),
        ],
        decoys=[
            "served stale data",
            "canceling statement due to statement timeout",
            "ERROR STALE freshness",
        ],
    )
