# ruff: noqa: E501
# kubectl rows, pilot-agent lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the billing namespace got Istio sidecar injection (label added at 05:40 AEDT).
The hourly CronJob invoice-rollup (`concurrencyPolicy: Forbid`) now runs with an istio-proxy
sidecar that never exits: the 06:05 run's main container completes with exit code 0, but the
pod stays 1/2 Running, the Job never completes, and every later schedule is skipped
(JobAlreadyActive). Invoice summaries go stale. Loud: billing-portal's stale-summary warnings.
Decoys: a pilot-agent xDS stream reconnect, billing-portal's Redis timeout, an evicted pod of
another job."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import PythonLogging, Record, SpringBoot
from scenes import at, loud
from traffic import traffic, web_api

ZONE = ZoneInfo("Australia/Sydney")
START = datetime(2026, 1, 20, 5, 30, tzinfo=ZONE)
NOW = datetime(2026, 1, 20, 10, 42, tzinfo=ZONE)
INJECT = 10.0  # 05:40
STUCK = 35.0  # 06:05
NODES = [
    "aks-system-31907755-vmss000002",
    "aks-apps-31907755-vmss000004",
    "aks-apps-31907755-vmss000007",
]


def job_name(minute: float) -> str:
    moment = START + timedelta(minutes=minute)
    return f"invoice-rollup-{int(moment.timestamp() // 60)}"


@dataclass
class PilotAgent:
    """istio-proxy's pilot-agent lines: `2026-01-19T19:05:12.345678Z\\tinfo\\tmessage`."""

    def render(self, record: Record) -> list[str]:
        utc = record.time.astimezone(UTC)
        level = {"WARN": "warn", "ERROR": "error"}.get(record.level, "info")
        return [f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond:06d}Z\t{level}\t{record.message}"]


def bundle() -> Bundle:
    rng = random.Random(27802)
    total = (NOW - START).total_seconds() / 60
    stuck_job = job_name(STUCK)
    stuck_pod = f"{stuck_job}-x7q2d"

    rollup = LogFile(
        "logs/invoice-rollup.log", PythonLogging(("rollup", "rollup.db", "rollup.export"), rng=rng)
    )
    for minute, pod_note in ((STUCK, stuck_pod),):
        rollup.add(
            [
                at(
                    START,
                    minute + 0.1,
                    "INFO",
                    "starting invoice rollup window=2026-01-20T05:00+11:00",
                    logger="rollup",
                ),
                at(
                    START,
                    minute + 0.12,
                    "INFO",
                    "connected to billing-db.billing.svc:5432 (pool size 4)",
                    logger="rollup.db",
                ),
                *[
                    at(
                        START,
                        minute + 0.2 + i * 0.05,
                        "INFO",
                        f"aggregated {rng.randrange(800, 4000)} line items for tenant batch {i + 1}/12",
                        logger="rollup",
                    )
                    for i in range(12)
                ],
                at(
                    START,
                    minute + 0.9,
                    "INFO",
                    "wrote 9114 invoice summaries to summaries.invoice_daily",
                    logger="rollup.export",
                ),
                at(
                    START,
                    minute + 0.92,
                    "INFO",
                    f"rollup complete in 49.2s, exiting 0 (pod {pod_note})",
                    logger="rollup",
                ),
            ]
        )

    proxy = LogFile("logs/invoice-rollup-istio-proxy.log", PilotAgent())
    proxy.add(
        [
            at(START, STUCK + 0.02, "INFO", "Apply proxy config from env {}"),
            at(
                START,
                STUCK + 0.03,
                "INFO",
                "Effective config: binaryPath: /usr/local/bin/envoy concurrency: 2 holdApplicationUntilProxyStarts: false terminationDrainDuration: 5s",
            ),
            at(START, STUCK + 0.05, "INFO", "Pilot SAN: [istiod.istio-system.svc]"),
            at(START, STUCK + 0.06, "INFO", "Starting proxy agent"),
            at(START, STUCK + 0.08, "INFO", "Envoy proxy is ready"),
            at(
                START,
                141.7,
                "WARN",
                'xds: ADS stream closed: rpc error: code = Unavailable desc = closing transport due to: connection error: desc = "error reading from server: EOF", received prior goaway: code: NO_ERROR, reconnecting',
            ),
            at(START, 141.72, "INFO", "xds: ADS stream connected to istiod.istio-system.svc:15012"),
        ]
    )
    proxy.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"cache: generated new workload certificate latency={r.randrange(40, 160)}ms ttl=23h59m59.{r.randrange(10**9):09d}s",
                        f"ads: CDS: PUSH request for node:{stuck_pod}.billing resources:{r.randrange(40, 60)} size:{r.uniform(30, 60):.1f}kB",
                        f"ads: EDS: PUSH request for node:{stuck_pod}.billing resources:{r.randrange(40, 60)} size:{r.uniform(8, 20):.1f}kB empty:0 cached:{r.randrange(40, 60)}/{r.randrange(40, 60)}",
                    ]
                ),
                (),
            ),
            START + timedelta(minutes=STUCK + 1),
            total - STUCK - 1,
            140,
        )
    )

    portal = LogFile(
        "logs/billing-portal.log",
        SpringBoot(
            (
                "c.a.b.portal.InvoiceController",
                "c.a.b.portal.SummaryService",
                "o.s.web.servlet.DispatcherServlet",
            ),
            rng=rng,
            zone=ZONE,
        ),
    )
    portal.add(
        traffic(
            rng, web_api("billing-portal", ["invoices", "summaries", "tenants"]), START, total, 3400
        )
    )
    portal.add(
        loud(
            rng,
            START,
            STUCK + 70,
            total - STUCK - 71,
            260,
            lambda r: (
                "WARN",
                f"invoice summary for tenant {r.randrange(1000, 9999)} is stale: last rollup window 2026-01-20T05:00+11:00, expected >= 2026-01-20T{r.choice(['08', '09', '10'])}:00+11:00",
                (),
            ),
        )
    )
    portal.add(
        [
            at(
                START,
                97.3,
                "WARN",
                "Redis command timed out after 2000 ms (GET session:7f3a91); falling back to database session lookup",
                logger="c.a.b.portal.SessionStore",
            )
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["billing-portal", "payment-sync"], 22, NODES, namespace="billing"
    )
    signal = [
        (
            ago(STUCK),
            ("Normal", "SuccessfulCreate", "cronjob/invoice-rollup", f"Created job {stuck_job}"),
        ),
        (
            ago(STUCK - 0.01),
            ("Normal", "SuccessfulCreate", f"job/{stuck_job}", f"Created pod: {stuck_pod}"),
        ),
        (
            ago(STUCK + 0.05),
            ("Normal", "Started", f"pod/{stuck_pod}", "Started container istio-proxy"),
        ),
        (
            ago(STUCK + 0.06),
            ("Normal", "Started", f"pod/{stuck_pod}", "Started container invoice-rollup"),
        ),
        (
            ago(118),
            (
                "Warning",
                "Evicted",
                "pod/ledger-export-29484700-m2s8k",
                "The node was low on resource: ephemeral-storage. Threshold quantity: 3182956045, available: 2811224Ki.",
            ),
        ),
    ]
    for hour in range(1, 5):
        signal.append(
            (
                ago(STUCK + 60 * hour),
                (
                    "Normal",
                    "JobAlreadyActive",
                    "cronjob/invoice-rollup",
                    "Not starting job because prior execution is running and concurrency policy is Forbid",
                ),
            )
        )
    events = event_listing(routine, signal)

    started = (
        (START + timedelta(minutes=STUCK, seconds=4))
        .astimezone(UTC)
        .strftime("%a, %d %b %Y %H:%M:%S +0000")
    )
    finished = (
        (START + timedelta(minutes=STUCK, seconds=59))
        .astimezone(UTC)
        .strftime("%a, %d %b %Y %H:%M:%S +0000")
    )
    pod = Pod(
        name=stuck_pod,
        namespace="billing",
        node=NODES[2],
        app="invoice-rollup",
        controller=f"Job/{stuck_job}",
        labels=[
            "batch.kubernetes.io/job-name=" + stuck_job,
            "security.istio.io/tlsMode=istio",
            "service.istio.io/canonical-name=invoice-rollup",
        ],
        start_time=started,
        ip="10.244.7.31",
        init_containers=[
            Container(
                "istio-init",
                "docker.io/istio/proxyv2:1.24.2",
                state=[
                    "Terminated",
                    "  Reason:       Completed",
                    "  Exit Code:    0",
                    f"  Started:      {started}",
                    f"  Finished:     {started}",
                ],
                ready=True,
                port="<none>",
            ),
        ],
        containers=[
            Container(
                "invoice-rollup",
                "acrbilling.azurecr.io/billing/invoice-rollup:3.8.1",
                state=[
                    "Terminated",
                    "  Reason:       Completed",
                    "  Exit Code:    0",
                    f"  Started:      {started}",
                    f"  Finished:     {finished}",
                ],
                ready=False,
                port="<none>",
                limits={"cpu": "1", "memory": "1Gi"},
                requests={"cpu": "250m", "memory": "512Mi"},
            ),
            Container(
                "istio-proxy",
                "docker.io/istio/proxyv2:1.24.2",
                state=["Running", f"  Started:      {started}"],
                ready=True,
                port="15090/TCP",
                limits={"cpu": "2", "memory": "1Gi"},
                requests={"cpu": "100m", "memory": "128Mi"},
                probes=[
                    "Readiness:  http-get http://:15021/healthz/ready delay=0s timeout=3s period=15s #success=1 #failure=4"
                ],
            ),
        ],
        conditions={
            "PodReadyToStartContainers": "True",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[],
    )
    described = "$ kubectl -n billing describe pod " + stuck_pod + "\n" + describe_pod(pod, rng)
    gets = "\n".join(
        [
            "$ kubectl -n billing get cronjob,job,pod -l app.kubernetes.io/name=invoice-rollup",
            "NAME                           SCHEDULE    TIMEZONE           SUSPEND   ACTIVE   LAST SCHEDULE   AGE",
            "cronjob.batch/invoice-rollup   5 * * * *   Australia/Sydney   False     1        4h37m           311d",
            "",
            "NAME                                STATUS    COMPLETIONS   DURATION   AGE",
            f"job.batch/{job_name(STUCK - 60)}   Complete  1/1           53s        5h37m",
            f"job.batch/{stuck_job}   Running   0/1           4h37m      4h37m",
            "",
            "NAME                                 READY   STATUS      RESTARTS   AGE",
            f"pod/{job_name(STUCK - 60)}-4bn9w   0/1     Completed   0          5h37m",
            f"pod/{stuck_pod}   1/2     NotReady    0          4h37m",
            "",
            "$ kubectl get ns billing --show-labels",
            "NAME      STATUS   AGE    LABELS",
            "billing   Active   311d   istio-injection=enabled,kubernetes.io/metadata.name=billing,team=billing",
            "",
            '$ kubectl -n billing get cronjob invoice-rollup -o jsonpath=\'{.spec.concurrencyPolicy}{" "}{.spec.jobTemplate.spec.activeDeadlineSeconds}{"\\n"}\'',
            "Forbid ",
            "",
        ]
    )
    return Bundle(
        question="Customers' invoice summaries in the billing portal have not moved since about 06:00 Sydney time this morning. What is the root cause?",
        category="configuration",
        component="invoice-rollup",
        statement="Since the billing namespace got Istio sidecar injection, the invoice-rollup CronJob's pods carry an istio-proxy sidecar that never exits: the 06:05 run finished (exit 0) but its pod stays 1/2 and the Job never completes, so with concurrencyPolicy Forbid every later run is skipped (JobAlreadyActive) and the summaries go stale.",
        files={
            "kubectl-get.txt": gets,
            "kubectl-describe-pod.txt": described,
            "kubectl-get-events.txt": events,
            "logs/invoice-rollup.log": rollup.render(),
            "logs/invoice-rollup-istio-proxy.log": proxy.render(),
            "logs/billing-portal.log": portal.render(),
        },
        proofs=[
            Proof("kubectl-get.txt", f"pod/{stuck_pod}   1/2"),
            Proof("kubectl-get.txt", "istio-injection=enabled"),
            Proof("kubectl-describe-pod.txt", "    State:          Running"),
        ],
        decoys=[
            "xds: ADS stream closed",
            "Redis command timed out after 2000 ms",
            "ledger-export-29484700-m2s8k",
        ],
    )
