# ruff: noqa: E501
# Log lines, kubectl rows and YAML are data, kept whole on one line.
"""Kubernetes: billing-db is a Service without a selector whose Endpoints object was written
by hand to reach a PostgreSQL VM outside the cluster (10.60.4.21). The database was moved to
a managed instance (10.60.9.140) at 21:00 AEST and the old VM was stopped at 21:30, but the
Endpoints still list 10.60.4.21, so every new connection from invoicer through billing-db
times out; the existing pool connections die when the VM stops. Decoys: a PgBouncer
deprecation notice, a JWT clock warning and an HPA scale-up."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import SpringBoot
from scenes import at, java_trace, loud
from traffic import traffic, web_api

AEST = timezone(timedelta(hours=10))
START = datetime(2026, 6, 2, 10, 30, tzinfo=UTC)  # 20:30 AEST
NOW = datetime(2026, 6, 2, 12, 10, tzinfo=UTC)
STOP = 60.0  # 11:30 UTC, 21:30 AEST


def bundle() -> Bundle:
    rng = random.Random(47004)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    app = LogFile(
        "logs/invoicer.log",
        SpringBoot(
            (
                "c.a.invoicer.InvoiceController",
                "c.a.invoicer.RunScheduler",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            rng=rng,
            zone=AEST,
        ),
    )
    app.add(traffic(rng, web_api("invoicer", ["invoices", "runs"]), START, total, 3800))
    app.add(
        [
            at(
                START,
                14.0,
                "WARN",
                "JWT iat is 3s in the future for client portal-web; accepted within 30s leeway",
                logger="c.a.invoicer.security.JwtFilter",
            )
        ]
    )
    app.add(
        [
            at(
                START,
                STOP + 0.6,
                "WARN",
                "HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@6b1e3a0c (An I/O error occurred while sending to the backend.). Possibly consider using a shorter maxLifetime value.",
                logger="com.zaxxer.hikari.pool.PoolBase",
            ),
            at(
                START,
                STOP + 1.2,
                "ERROR",
                "Invoice run 2026-06-02/nightly failed",
                java_trace(
                    "org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection",
                    [
                        "org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)",
                        "c.a.invoicer.RunScheduler.runNightly(RunScheduler.java:57)",
                    ],
                    [
                        "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=0, active=0, idle=0, waiting=12)",
                        "com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)",
                    ],
                    more=41,
                ),
                logger="c.a.invoicer.RunScheduler",
            ),
        ]
    )
    app.add(
        loud(
            rng,
            START,
            STOP + 1.5,
            total - STOP - 2,
            520,
            lambda r: (
                "WARN",
                f"HikariPool-1 - Pool is empty, failed to create/setup connection: The connection attempt failed. (java.net.SocketTimeoutException: Connect timed out to billing-db.finance.svc.cluster.local/172.20.118.9:5432) waiting={r.randrange(3, 40)}",
                (),
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            STOP + 1.5,
            total - STOP - 2,
            300,
            lambda r: (
                "ERROR",
                f"GET /api/v1/invoices/{r.randrange(10**6)} 503 30012ms: database unavailable",
                (),
            ),
        )
    )

    routine = routine_events(
        rng,
        ["invoicer", "portal-web", "pgbouncer-reports"],
        16,
        ["aks-fin-10412-vmss000001", "aks-fin-10412-vmss000002"],
        namespace="finance",
    )
    signal = [
        (
            ago(STOP + 6),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/invoicer",
                "New size: 5; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(STOP + 3),
            (
                "Warning",
                "Unhealthy",
                "pod/invoicer-6cf7d9b84-t2x8q",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
        (
            ago(STOP + 3.4),
            (
                "Warning",
                "Unhealthy",
                "pod/invoicer-6cf7d9b84-j5m4c",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    get = "\n".join(
        [
            "PS C:\\Users\\oncall> kubectl -n finance get svc billing-db -o wide",
            "NAME         TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)    AGE    SELECTOR",
            "billing-db   ClusterIP   172.20.118.9   <none>        5432/TCP   2y41d   <none>",
            "",
            "PS C:\\Users\\oncall> kubectl -n finance get endpoints billing-db -o yaml",
            "apiVersion: v1",
            "kind: Endpoints",
            "metadata:",
            "  annotations:",
            "    kubectl.kubernetes.io/last-applied-configuration: |",
            '      {"apiVersion":"v1","kind":"Endpoints","metadata":{"annotations":{},"name":"billing-db","namespace":"finance"},"subsets":[{"addresses":[{"ip":"10.60.4.21"}],"ports":[{"name":"postgres","port":5432}]}]}',
            '  creationTimestamp: "2024-04-22T03:11:52Z"',
            "  name: billing-db",
            "  namespace: finance",
            '  resourceVersion: "88172011"',
            "subsets:",
            "- addresses:",
            "  - ip: 10.60.4.21",
            "  ports:",
            "  - name: postgres",
            "    port: 5432",
            "    protocol: TCP",
            "",
            "PS C:\\Users\\oncall> Get-Content .\\change-CHG0041877.txt",
            "CHG0041877  Move billing PostgreSQL to managed instance   window 21:00-22:00 AEST",
            "  21:00 replication cut over, new primary pgflex-billing-prod 10.60.9.140:5432",
            "  21:25 app teams confirm (reports via pgbouncer-reports: OK)",
            "  21:30 stop VM pg-billing-01 (10.60.4.21)",
            "",
            "PS C:\\Users\\oncall> kubectl -n finance logs deploy/pgbouncer-reports --tail=3",
            "2026-06-02 11:29:41.004 UTC [1] LOG stats: 14 xacts/s, 31 queries/s, in 9120 B/s, out 88291 B/s, xact 4112 us, query 1710 us, wait 0 us",
            '2026-06-02 11:29:58.310 UTC [1] WARNING config: "server_reset_query_always" is deprecated and will be removed',
            "2026-06-02 11:30:41.002 UTC [1] LOG stats: 13 xacts/s, 30 queries/s, in 8971 B/s, out 86110 B/s, xact 4009 us, query 1688 us, wait 0 us",
            "",
        ]
    )
    return Bundle(
        question="Invoicer has been failing since about 21:30 AEST with connection timeouts to billing-db and the nightly invoice run failed. What is the root cause?",
        category="configuration",
        component="billing-db",
        statement="Service billing-db has no selector and a hand-written Endpoints object that still points at the old PostgreSQL VM 10.60.4.21; after the database moved to 10.60.9.140 and the VM was stopped at 21:30 AEST, every connection through billing-db times out.",
        files={"oncall-shell.txt": get, "kubectl-get-events.txt": events, app.name: app.render()},
        proofs=[
            Proof("oncall-shell.txt", "  - ip: 10.60.4.21"),
            Proof("oncall-shell.txt", "21:00 replication cut over, new primary"),
            Proof("oncall-shell.txt", "21:30 stop VM pg-billing-01"),
        ],
        decoys=[
            "server_reset_query_always",
            "JWT iat is 3s in the future",
            "New size: 5; reason: cpu resource utilization",
        ],
    )
