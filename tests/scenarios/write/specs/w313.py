# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: a cost-saving values change (Friday) cut statement-renderer's memory limit from 4Gi
to 1536Mi but left NODE_OPTIONS=--max-old-space-size=3072. Under the month-end statement run V8
lets the heap grow past the container limit before collecting hard, and the kernel OOM-kills the
container (exit 137) every few minutes; the gateway sees 502s on /statements. Decoys: a slow S3
upload warning, a Postgres idle-connection reset, and an HPA at max replicas message."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import NginxAccess, Pino, Record
from scenes import at, fixed, loud
from traffic import http_access, traffic

START = datetime(2026, 4, 30, 22, 10, tzinfo=UTC)
NOW = datetime(2026, 4, 30, 23, 25, tzinfo=UTC)
NS = "billing"
POD = "statement-renderer-7d5c9f8b46-hv2qm"
NODES = [
    "ip-172-31-44-10.eu-west-1.compute.internal",
    "ip-172-31-12-201.eu-west-1.compute.internal",
    "ip-172-31-27-93.eu-west-1.compute.internal",
]
KILLS = [31.5, 43.0, 52.4, 61.8, 70.9]


def bundle() -> Bundle:
    rng = random.Random(31307)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    logs = LogFile("kubectl-logs-statement-renderer-previous.txt", Pino(POD, rng=rng))
    born = NOW - timedelta(minutes=total - KILLS[-2])
    logs.add(
        [
            Record(
                born,
                "INFO",
                "statement-renderer 3.9.2 listening on :3000 (node v20.12.2, NODE_OPTIONS=--max-old-space-size=3072)",
            )
        ]
    )
    logs.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"rendered statement acct={r.randrange(10**7, 10**8)} pages={r.randrange(1, 40)} in {r.randrange(300, 4000)}ms"
                ),
            ),
            born + timedelta(seconds=5),
            KILLS[-1] - KILLS[-2] - 0.2,
            700,
        )
    )
    heap = 310
    minute = KILLS[-2] + 0.5
    while minute < KILLS[-1] - 0.1:
        heap += rng.randrange(90, 160)
        logs.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"mem stats rss={heap + 180}MB heapUsed={heap}MB heapTotal={heap + 96}MB external={rng.randrange(30, 90)}MB",
                )
            ]
        )
        minute += 1
    logs.add(
        [
            at(
                START,
                64.3,
                "WARN",
                "s3 putObject statements-archive/2026/04/ took 6.2s (retrying part 3/7)",
            )
        ]
    )
    logs.add(
        [
            at(
                START,
                66.1,
                "WARN",
                "pg: Connection terminated unexpectedly (idle client), removed from pool",
            )
        ]
    )

    gateway = LogFile("api-gateway-access.log", NginxAccess(rng=rng))
    gateway.add(
        traffic(
            rng,
            http_access(
                [
                    "/api/statements/{id}",
                    "/api/invoices/{id}",
                    "/api/accounts/{id}",
                    "/api/payments/{id}",
                    "/healthz",
                ],
                60,
            ),
            START,
            total,
            5600,
        )
    )
    for kill in KILLS:
        gateway.add(
            loud(
                rng,
                START,
                kill,
                0.9,
                90,
                fixed(
                    "INFO",
                    lambda r: (
                        f'"GET /api/statements/{r.randrange(10**6)}.pdf HTTP/1.1" 502 157 "-" "billing-portal/2.3" {r.randrange(1, 900) / 1000:.3f}'
                    ),
                ),
            )
        )

    pod = Pod(
        name=POD,
        namespace=NS,
        node=NODES[0],
        app="statement-renderer",
        ip="172.31.40.118",
        start_time="Mon, 27 Apr 2026 09:41:22 +0000",
        containers=[
            Container(
                name="statement-renderer",
                image="314159265358.dkr.ecr.eu-west-1.amazonaws.com/billing/statement-renderer:3.9.2",
                state=["Running", "  Started:      Thu, 30 Apr 2026 23:20:57 +0000"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Thu, 30 Apr 2026 23:11:51 +0000",
                    "  Finished:     Thu, 30 Apr 2026 23:20:55 +0000",
                ],
                ready=True,
                restarts=5,
                limits={"cpu": "1500m", "memory": "1536Mi"},
                requests={"cpu": "500m", "memory": "1Gi"},
                probes=[
                    "Liveness:       http-get http://:3000/healthz delay=10s timeout=3s period=15s #success=1 #failure=3"
                ],
                environment=[
                    "NODE_ENV:      production",
                    "NODE_OPTIONS:  --max-old-space-size=3072",
                    "PDF_WORKERS:   4",
                ],
                port="3000/TCP",
            )
        ],
        events=[
            (
                "Warning",
                "BackOff",
                "14m (x3 over 32m)",
                "kubelet",
                "Back-off restarting failed container statement-renderer in pod statement-renderer-7d5c9f8b46-hv2qm_billing(0e93c1d5-42f7-4a6b-9e8d-7c2b1a5f0d34)",
            ),
            (
                "Normal",
                "Pulled",
                "4m5s (x6 over 3d13h)",
                "kubelet",
                'Container image "314159265358.dkr.ecr.eu-west-1.amazonaws.com/billing/statement-renderer:3.9.2" already present on machine',
            ),
            (
                "Normal",
                "Created",
                "4m5s (x6 over 3d13h)",
                "kubelet",
                "Created container statement-renderer",
            ),
            (
                "Normal",
                "Started",
                "4m5s (x6 over 3d13h)",
                "kubelet",
                "Started container statement-renderer",
            ),
        ],
    )
    describe = f"$ kubectl -n {NS} describe pod {POD}\n" + describe_pod(pod, rng)
    helm = "\n".join(
        [
            "$ helm -n billing history statement-renderer --max 3",
            "REVISION  UPDATED                   STATUS      CHART                      APP VERSION  DESCRIPTION",
            "40        Tue Apr 14 11:20:37 2026  superseded  statement-renderer-1.14.0  3.9.2        Upgrade complete",
            "41        Mon Apr 20 15:48:02 2026  superseded  statement-renderer-1.14.0  3.9.2        Upgrade complete",
            "42        Fri Apr 24 16:02:11 2026  deployed    statement-renderer-1.14.1  3.9.2        Upgrade complete",
            "",
            "$ helm -n billing get values statement-renderer --revision 42",
            "env:",
            "  NODE_OPTIONS: --max-old-space-size=3072",
            '  PDF_WORKERS: "4"',
            "hpa:",
            "  maxReplicas: 6",
            "resources:",
            "  limits:",
            "    cpu: 1500m",
            "    memory: 1536Mi   # was 4Gi, right-sized per FinOps review FIN-2291",
            "  requests:",
            "    cpu: 500m",
            "    memory: 1Gi",
            "",
            f"$ kubectl -n {NS} top pod -l app=statement-renderer",
            "NAME                                  CPU(cores)   MEMORY(bytes)",
            "statement-renderer-7d5c9f8b46-hv2qm   1211m        1388Mi",
            "statement-renderer-7d5c9f8b46-l8xtd   1347m        1491Mi",
            "statement-renderer-7d5c9f8b46-s4wpn   1102m        1207Mi",
            "",
        ]
    )
    routine = routine_events(
        rng, ["invoice-api", "payments-api", "ledger-sync"], 16, NODES, namespace=NS
    )
    signal = [
        (
            ago(kill),
            (
                "Warning",
                "BackOff",
                f"pod/{POD}",
                "Back-off restarting failed container statement-renderer in pod statement-renderer-7d5c9f8b46-hv2qm_billing(0e93c1d5-42f7-4a6b-9e8d-7c2b1a5f0d34)",
            ),
        )
        for kill in KILLS[1:4:2]
    ]
    signal += [
        (
            ago(KILLS[0] - 0.3),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/statement-renderer",
                "New size: 3; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(40),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/statement-renderer",
                "failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)",
            ),
        ),
        (
            ago(KILLS[-1]),
            (
                "Warning",
                "Unhealthy",
                f"pod/{POD}",
                'Liveness probe failed: Get "http://172.31.40.118:3000/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
    ]
    events = f"$ kubectl -n {NS} get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )
    return Bundle(
        question="Billing portal users get intermittent 502s downloading statements tonight, starting around 22:40 UTC, and the renderer pods keep restarting. What's the cause?",
        category="memory",
        component="statement-renderer",
        statement="statement-renderer's memory limit was cut to 1536Mi while NODE_OPTIONS still allows a 3072 MB V8 heap; under the month-end load the heap grows past the container limit and the kernel OOM-kills the container (exit 137), causing 502s.",
        files={
            "kubectl-describe-pod.txt": describe,
            "kubectl-get-events.txt": events,
            "helm-and-top.txt": helm,
            "kubectl-logs-statement-renderer-previous.txt": logs.render(),
            "api-gateway-access.log": gateway.render(),
        },
        proofs=[
            Proof("kubectl-describe-pod.txt", "Reason:       OOMKilled", "Exit Code:    137"),
            Proof("helm-and-top.txt", "memory: 1536Mi   # was 4Gi"),
            Proof("kubectl-describe-pod.txt", "NODE_OPTIONS:  --max-old-space-size=3072"),
        ],
        decoys=[
            "s3 putObject statements-archive/2026/04/ took 6.2s",
            "pg: Connection terminated unexpectedly (idle client)",
            "did not receive metrics for targeted pods",
        ],
    )
