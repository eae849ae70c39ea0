# ruff: noqa: E501
# Log lines, kubectl rows and YAML are data, kept whole on one line.
"""Kubernetes: a platform "hardening" change to the ingress-nginx Helm values lowered the
controller-wide `proxy-read-timeout` from 300 to 20 seconds (and `proxy-send-timeout` to 20).
The controller reloaded at 09:58 CEST. reports-api's CSV exports take 25-60 s to produce their
first byte, so every large export is cut at exactly 20 s with a 504 while reports-api goes on
and finishes the export for a client that has gone. Decoys: a slow reporting-db query warning,
a cert-manager renewal, and clients' 499s on the dashboard."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import PythonLogging, Record
from scenes import at, loud
from traffic import traffic, web_api

CEST = timezone(timedelta(hours=2))
START = datetime(2026, 7, 2, 6, 30, tzinfo=UTC)
NOW = datetime(2026, 7, 2, 9, 10, tzinfo=UTC)
RELOAD = 88.0  # 07:58 UTC, 09:58 CEST
UPSTREAM = "reports-reports-api-8000"


@dataclass
class ControllerLog:
    """ingress-nginx controller pod output: klog lines, access lines (upstream format) and error_log lines."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        t = record.time
        if record.logger == "klog":
            letter = {"INFO": "I", "WARN": "W", "ERROR": "E"}[record.level]
            return [
                f"{letter}{t.strftime('%m%d %H:%M:%S')}.{t.microsecond:06d}       7 {record.message}"
            ]
        if record.logger == "error":
            return [
                f"{t.strftime('%Y/%m/%d %H:%M:%S')} [error] 41#41: *{self.rng.randrange(10**5, 10**7)} {record.message}"
            ]
        client = f"{self.rng.choice([84, 91, 185, 213])}.{self.rng.randrange(256)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
        local = t.astimezone(CEST).strftime("%d/%b/%Y:%H:%M:%S %z")
        return [f"{client} - - [{local}] {record.message} {self.rng.getrandbits(128):032x}"]


def ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = rng.choice(
        [
            "/api/v1/dashboards/{id}",
            "/api/v1/reports/{id}",
            "/api/v1/exports/{id}/status",
            "/static/app.{id}.js",
        ]
    ).replace("{id}", str(rng.randrange(10**5)))
    t = max(0.003, rng.lognormvariate(0, 0.7) * 0.08)
    status = rng.choices([200, 304, 404, 499], [90, 6, 3, 1])[0]
    pod = f"10.42.{rng.choice([3, 5, 8])}.{rng.choice([17, 64, 122])}:8000"
    up = "-" if status == 499 else f"{t:.3f}"
    return (
        "INFO",
        f'"GET {path} HTTP/2.0" {status} {rng.randrange(200, 40000)} "https://reports.nordlicht.example/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {rng.randrange(40, 900)} {t:.3f} [{UPSTREAM}] [] {pod} {rng.randrange(200, 40000)} {up} {status if status != 499 else "-"}',
        (),
    )


def timeout(export: int) -> tuple[str, str, tuple[str, ...]]:
    return (
        "ERROR",
        f'upstream timed out (110: Operation timed out) while reading response header from upstream, client: 10.42.0.1, server: reports.nordlicht.example, request: "GET /api/v1/exports/{export}.csv?range=quarter HTTP/2.0", upstream: "http://10.42.5.64:8000/api/v1/exports/{export}.csv?range=quarter", host: "reports.nordlicht.example"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(4404)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    ctrl = LogFile("kubectl-logs-ingress-nginx-controller.txt", ControllerLog(rng=rng))
    ctrl.add(traffic(rng, ok, START, total, 4800))
    ctrl.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'"GET /api/v1/exports/{r.randrange(10**5)}.csv?range=quarter HTTP/2.0" 200 {r.randrange(10**6, 9 * 10**6)} "https://reports.nordlicht.example/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)" 612 {r.uniform(24, 58):.3f} [{UPSTREAM}] [] 10.42.5.64:8000 {r.randrange(10**6, 9 * 10**6)} {r.uniform(24, 58):.3f} 200',
                (),
            ),
            START,
            RELOAD,
            40,
        )
    )
    ctrl.add(
        [
            at(
                START,
                RELOAD - 0.05,
                "INFO",
                'store.go:440] "Found configmap" configmap="ingress-nginx/ingress-nginx-controller"',
                logger="klog",
            ),
            at(
                START,
                RELOAD,
                "INFO",
                'controller.go:190] "Configuration changes detected, backend reload required"',
                logger="klog",
            ),
            at(
                START,
                RELOAD + 0.02,
                "INFO",
                'controller.go:210] "Backend successfully reloaded"',
                logger="klog",
            ),
            at(
                START,
                RELOAD + 0.03,
                "INFO",
                'event.go:377] Event(v1.ObjectReference{Kind:"Pod", Namespace:"ingress-nginx", Name:"ingress-nginx-controller-6d9c8b7f5-2xkqp", APIVersion:"v1", FieldPath:""}): type: \'Normal\' reason: \'RELOAD\' NGINX reload triggered due to a change in configuration',
                logger="klog",
            ),
            at(
                START,
                41.0,
                "INFO",
                'controller.go:190] "Configuration changes detected, backend reload required"',
                logger="klog",
            ),
            at(
                START,
                41.02,
                "INFO",
                'controller.go:210] "Backend successfully reloaded"',
                logger="klog",
            ),
        ]
    )
    ctrl.add(
        loud(
            rng,
            START,
            RELOAD + 3,
            total - RELOAD - 4,
            160,
            lambda r: timeout(r.randrange(10**5)),
        )
    )
    ctrl.records = [
        Record(r.time, r.level, r.message, r.trailer, "error")
        if r.level == "ERROR" and r.logger is None
        else r
        for r in ctrl.records
    ]
    ctrl.add(
        loud(
            rng,
            START,
            RELOAD + 3,
            total - RELOAD - 4,
            160,
            lambda r: (
                "WARN",
                f'"GET /api/v1/exports/{r.randrange(10**5)}.csv?range=quarter HTTP/2.0" 504 160 "https://reports.nordlicht.example/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" 604 {r.uniform(20.000, 20.012):.3f} [{UPSTREAM}] [] 10.42.{r.choice([3, 5, 8])}.{r.choice([17, 64, 122])}:8000 0 20.00{r.randrange(0, 9)} 504',
                (),
            ),
        )
    )
    ctrl.add(
        [
            at(
                START,
                63.4,
                "INFO",
                '"GET /api/v1/dashboards/88120 HTTP/2.0" 499 0 "https://reports.nordlicht.example/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" 488 4.218 [reports-reports-api-8000] [] 10.42.3.17:8000 0 4.218 -',
            )
        ]
    )

    api = LogFile(
        "logs/reports-api.log",
        PythonLogging(("reports.api", "reports.export", "gunicorn.error"), rng=rng),
    )
    api.add(traffic(rng, web_api("reports-api", ["reports", "dashboards"]), START, total, 3000))
    api.add(
        [
            at(
                START,
                52.6,
                "WARN",
                "reporting-db query took 3.41s (statement_timeout 30s): SELECT ... FROM fact_bookings WHERE quarter = $1",
                logger="reports.export",
            )
        ]
    )
    api.add(
        loud(
            rng,
            START,
            RELOAD + 4,
            total - RELOAD - 5,
            150,
            lambda r: (
                "WARN",
                f"export {r.randrange(10**5)} finished in {r.uniform(24, 58):.1f}s rows={r.randrange(10**5, 10**6)} but client disconnected before response (BrokenPipeError: [Errno 32] Broken pipe)",
                (),
            ),
        )
    )

    routine = routine_events(
        rng,
        ["reports-api", "dashboards-ui", "ingress-nginx-controller"],
        14,
        ["k3s-agent-02", "k3s-agent-03", "k3s-agent-05"],
        namespace="reports",
    )
    signal = [
        (
            ago(RELOAD),
            (
                "Normal",
                "RELOAD",
                "pod/ingress-nginx-controller-6d9c8b7f5-2xkqp",
                "NGINX reload triggered due to a change in configuration",
            ),
        ),
        (
            ago(70),
            (
                "Normal",
                "Issuing",
                "certificate/reports-nordlicht-tls",
                "The certificate has been successfully issued",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    cm = "\n".join(
        [
            "$ helm -n ingress-nginx history ingress-nginx --max 3",
            "REVISION  UPDATED                   STATUS      CHART                 APP VERSION  DESCRIPTION",
            "17        Tue Jun 16 11:02:40 2026  superseded  ingress-nginx-4.12.1  1.12.1       Upgrade complete",
            "18        Thu Jul  2 09:57:51 2026  deployed    ingress-nginx-4.12.1  1.12.1       Upgrade complete",
            "",
            "$ kubectl -n ingress-nginx get configmap ingress-nginx-controller -o yaml",
            "apiVersion: v1",
            "data:",
            '  allow-snippet-annotations: "false"',
            '  enable-real-ip: "true"',
            '  hsts-max-age: "31536000"',
            '  keep-alive-requests: "1000"',
            '  proxy-body-size: "25m"',
            '  proxy-connect-timeout: "5"',
            '  proxy-read-timeout: "20"',
            '  proxy-send-timeout: "20"',
            '  server-tokens: "false"',
            '  ssl-protocols: "TLSv1.2 TLSv1.3"',
            '  use-forwarded-headers: "true"',
            "kind: ConfigMap",
            "metadata:",
            "  annotations:",
            "    meta.helm.sh/release-name: ingress-nginx",
            "    meta.helm.sh/release-namespace: ingress-nginx",
            "  labels:",
            "    app.kubernetes.io/component: controller",
            "    app.kubernetes.io/managed-by: Helm",
            "  name: ingress-nginx-controller",
            "  namespace: ingress-nginx",
            '  resourceVersion: "77812945"',
            "",
            "$ kubectl -n reports get ingress reports-api -o jsonpath='{.metadata.annotations}'",
            '{"cert-manager.io/cluster-issuer":"letsencrypt-prod","nginx.ingress.kubernetes.io/proxy-body-size":"50m"}',
            "",
        ]
    )
    return Bundle(
        question="Since shortly before 10:00 CEST every quarterly CSV export in the reports app fails with a 504 Gateway Timeout after about 20 seconds; small reports still work. What is the root cause?",
        category="configuration",
        component="ingress-nginx-controller",
        statement="Helm revision 18 of ingress-nginx (09:57 CEST) set the controller-wide proxy-read-timeout to 20 s; reports-api's large CSV exports need 25-60 s before their first byte, so ingress-nginx cuts them with 504 at 20 s while reports-api finishes them for a client that is gone.",
        files={
            ctrl.name: ctrl.render(),
            "kubectl-get.txt": cm,
            "kubectl-get-events.txt": events,
            api.name: api.render(),
        },
        proofs=[
            Proof("kubectl-get.txt", 'proxy-read-timeout: "20"'),
            Proof("kubectl-get.txt", "18        Thu Jul  2 09:57:51 2026"),
        ],
        decoys=[
            "reporting-db query took 3.41s",
            "The certificate has been successfully issued",
            '"GET /api/v1/dashboards/88120 HTTP/2.0" 499',
        ],
    )
