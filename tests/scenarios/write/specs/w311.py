# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: claims-api 4.7.0 (rolled out 13:02 UTC) added a rate-table cache warm-up, so the
Spring Boot app now needs about 100 s to start, but the Deployment's liveness probe still begins at
30 s (period 10 s, failure threshold 3) with no startupProbe. The kubelet kills every new pod at
about 60 s, mid warm-up (exit 143), so pods loop in CrashLoopBackOff and the ingress returns 503.
Decoys: a Postgres "too many clients" warning from an unrelated batch job, an HPA rescale, and a
readiness failure of notifications-worker."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import KubectlTimestamps, NginxAccess, Record
from scenes import fixed, loud
from traffic import http_access, traffic

START = datetime(2026, 2, 10, 12, 40, tzinfo=UTC)
NOW = datetime(2026, 2, 10, 13, 31, tzinfo=UTC)
ROLLOUT = 22.0  # 13:02
NS = "insurance"
POD = "claims-api-6f4d9b7c85-tq8zl"
NODES = [
    "aks-apps-31887201-vmss000004",
    "aks-apps-31887201-vmss000007",
    "aks-apps-31887201-vmss00000a",
]


def attempt(start: datetime, last: bool) -> list[Record]:
    """One container start of claims-api 4.7.0, killed mid warm-up by the liveness probe."""

    def rec(seconds: float, message: str) -> Record:
        time = start + timedelta(seconds=seconds)
        if message.startswith("INFO 1"):
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{time.microsecond // 1000:03d}Z"
            message = f"{stamp}  {message}"
        return Record(time, "INFO", message)

    lines = [
        rec(0.0, "  .   ____          _            __ _ _"),
        rec(0.1, " :: Spring Boot ::                (v3.2.4)"),
        rec(
            1.4,
            "INFO 1 --- [           main] c.n.claims.ClaimsApiApplication          : Starting ClaimsApiApplication v4.7.0 using Java 21.0.2 with PID 1",
        ),
        rec(
            2.2,
            'INFO 1 --- [           main] c.n.claims.ClaimsApiApplication          : The following 1 profile is active: "prod"',
        ),
        rec(
            9.8,
            "INFO 1 --- [           main] com.zaxxer.hikari.HikariDataSource       : claims-pool - Start completed.",
        ),
        rec(
            12.6,
            "INFO 1 --- [           main] o.f.core.internal.command.DbValidate     : Successfully validated 84 migrations (execution time 00:00.412s)",
        ),
        rec(
            14.1,
            "INFO 1 --- [           main] c.n.claims.rates.RateTableWarmup         : Warming rate-table cache from claims-db (1,842,330 rows, batch 50000) before opening HTTP port",
        ),
    ]
    for index, second in enumerate(range(20, 60, 8)):
        lines.append(
            rec(
                second + 0.3,
                f"INFO 1 --- [           main] c.n.claims.rates.RateTableWarmup         : rate-table warm-up {(index + 1) * 250000}/1842330 rows loaded",
            )
        )
    lines.append(
        rec(
            61.2,
            "INFO 1 --- [ionShutdownHook] o.s.b.w.e.tomcat.GracefulShutdown        : Commencing graceful shutdown. Waiting for active requests to complete",
        )
    )
    lines.append(
        rec(
            61.4,
            "INFO 1 --- [ionShutdownHook] com.zaxxer.hikari.HikariDataSource       : claims-pool - Shutdown completed.",
        )
    )
    return lines


def bundle() -> Bundle:
    rng = random.Random(31105)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    logs = LogFile("kubectl-logs-claims-api-previous.txt", KubectlTimestamps())
    logs.add(attempt(NOW - timedelta(seconds=139), True))
    ingress = LogFile("ingress-nginx-access.log", NginxAccess(rng=rng))
    ingress.add(
        traffic(
            rng,
            http_access(
                [
                    "/api/v2/claims/{id}",
                    "/api/v2/claims",
                    "/api/v2/policies/{id}",
                    "/api/v2/quotes/{id}",
                    "/healthz",
                ],
                45,
            ),
            START,
            total,
            5200,
        )
    )
    ingress.add(
        loud(
            rng,
            START,
            ROLLOUT + 1.2,
            total - ROLLOUT - 1.3,
            1300,
            fixed(
                "INFO",
                lambda r: (
                    f'"{r.choice(["GET", "POST"])} /api/v2/claims/{r.randrange(10**6)} HTTP/1.1" 503 {r.choice([190, 197])} "-" "okhttp/4.12.0" 0.000'
                ),
            ),
        )
    )

    probe = "Liveness:       http-get http://:8080/actuator/health/liveness delay=30s timeout=2s period=10s #success=1 #failure=3"
    pod = Pod(
        name=POD,
        namespace=NS,
        node=NODES[1],
        app="claims-api",
        ip="10.244.7.193",
        start_time="Tue, 10 Feb 2026 13:02:14 +0000",
        status="Running",
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                name="claims-api",
                image="acrnorthwind.azurecr.io/insurance/claims-api:4.7.0",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    143",
                    "  Started:      Tue, 10 Feb 2026 13:28:41 +0000",
                    "  Finished:     Tue, 10 Feb 2026 13:29:42 +0000",
                ],
                ready=False,
                restarts=9,
                limits={"cpu": "2", "memory": "2Gi"},
                requests={"cpu": "500m", "memory": "1536Mi"},
                probes=[
                    probe,
                    "Readiness:      http-get http://:8080/actuator/health/readiness delay=20s timeout=2s period=5s #success=1 #failure=3",
                ],
                environment=[
                    "SPRING_PROFILES_ACTIVE:  prod",
                    "JAVA_TOOL_OPTIONS:       -XX:MaxRAMPercentage=70",
                    "CLAIMS_DB_URL:           <set to the key 'url' in secret 'claims-db'>  Optional: false",
                ],
            )
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "29m",
                "default-scheduler",
                f"Successfully assigned {NS}/{POD} to {NODES[1]}",
            ),
            (
                "Normal",
                "Pulled",
                "28m (x10 over 29m)",
                "kubelet",
                'Container image "acrnorthwind.azurecr.io/insurance/claims-api:4.7.0" already present on machine',
            ),
            (
                "Warning",
                "Unhealthy",
                "52s (x28 over 29m)",
                "kubelet",
                'Liveness probe failed: Get "http://10.244.7.193:8080/actuator/health/liveness": dial tcp 10.244.7.193:8080: connect: connection refused',
            ),
            (
                "Normal",
                "Killing",
                "52s (x9 over 28m)",
                "kubelet",
                "Container claims-api failed liveness probe, will be restarted",
            ),
            (
                "Warning",
                "BackOff",
                "3m12s (x61 over 24m)",
                "kubelet",
                "Back-off restarting failed container claims-api in pod claims-api-6f4d9b7c85-tq8zl_insurance(5e0b7a21-93c4-4d1f-a8e2-7bc41f09d356)",
            ),
        ],
    )
    describe = "$ kubectl -n insurance describe pod claims-api-6f4d9b7c85-tq8zl\n" + describe_pod(
        pod, rng
    )
    get_pods = "\n".join(
        [
            "$ kubectl -n insurance get pods -o wide",
            "NAME                                     READY   STATUS             RESTARTS        AGE    IP             NODE                           NOMINATED NODE   READINESS GATES",
            f"claims-api-58c7d4f9b6-2xw9p              1/1     Running            0               6d2h   10.244.4.61    {NODES[0]}   <none>           <none>",
            f"claims-api-6f4d9b7c85-tq8zl              0/1     CrashLoopBackOff   9 (48s ago)     29m    10.244.7.193   {NODES[1]}   <none>           <none>",
            f"claims-api-6f4d9b7c85-wm4hd              0/1     CrashLoopBackOff   9 (2m11s ago)   29m    10.244.10.27   {NODES[2]}   <none>           <none>",
            f"notifications-worker-7c5b8d9f4-j6kqs     0/1     Running            0               3h     10.244.4.90    {NODES[0]}   <none>           <none>",
            f"policy-api-5d8f7c6b9-hz2vn               1/1     Running            0               2d     10.244.10.14   {NODES[2]}   <none>           <none>",
            f"policy-api-5d8f7c6b9-r7pqk               1/1     Running            0               2d     10.244.7.88    {NODES[1]}   <none>           <none>",
            f"claims-reindex-28470660-9xq2c             0/1     Completed          0               31m    10.244.4.112   {NODES[0]}   <none>           <none>",
            "",
            "$ kubectl -n insurance rollout history deploy/claims-api | tail -2",
            "31        <none>",
            "32        kubectl.kubernetes.io/change-cause: claims-api 4.7.0 (rate-table cache warm-up at boot)",
            "",
        ]
    )
    routine = routine_events(
        rng,
        ["policy-api", "quotes-api", "claims-reindex", "notifications-worker"],
        18,
        NODES,
        namespace=NS,
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/claims-api",
                "Scaled up replica set claims-api-6f4d9b7c85 to 1",
            ),
        ),
        (
            ago(ROLLOUT - 0.1),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/claims-api",
                "Scaled down replica set claims-api-58c7d4f9b6 to 2 from 3",
            ),
        ),
        (
            ago(ROLLOUT + 1.1),
            (
                "Warning",
                "Unhealthy",
                f"pod/{POD}",
                'Liveness probe failed: Get "http://10.244.7.193:8080/actuator/health/liveness": dial tcp 10.244.7.193:8080: connect: connection refused',
            ),
        ),
        (
            ago(ROLLOUT + 1.2),
            (
                "Normal",
                "Killing",
                f"pod/{POD}",
                "Container claims-api failed liveness probe, will be restarted",
            ),
        ),
        (
            ago(ROLLOUT + 5),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/claims-api",
                "Scaled down replica set claims-api-58c7d4f9b6 to 1 from 2",
            ),
        ),
        (
            ago(ROLLOUT + 6.5),
            (
                "Warning",
                "BackOff",
                f"pod/{POD}",
                "Back-off restarting failed container claims-api in pod claims-api-6f4d9b7c85-tq8zl_insurance(5e0b7a21-93c4-4d1f-a8e2-7bc41f09d356)",
            ),
        ),
        (
            ago(13),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/policy-api",
                "New size: 2; reason: cpu resource utilization (percentage of request) below target",
            ),
        ),
        (
            ago(38),
            (
                "Warning",
                "Unhealthy",
                "pod/notifications-worker-7c5b8d9f4-j6kqs",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
        (
            ago(11),
            (
                "Warning",
                "BackoffLimitExceeded",
                "job/claims-reindex-28470620",
                "Job has reached the specified backoff limit",
            ),
        ),
    ]
    events = "$ kubectl -n insurance get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )
    reindex = "\n".join(
        [
            "$ kubectl -n insurance logs job/claims-reindex-28470620 --tail=4",
            "2026-02-10T12:51:09Z INFO reindex: starting batch claims 0..50000",
            "2026-02-10T12:51:10Z WARN reindex: FATAL:  sorry, too many clients already (claims-db-replica), retrying in 5s",
            "2026-02-10T12:51:40Z ERROR reindex: giving up after 6 attempts",
            "2026-02-10T12:51:40Z INFO reindex: exit 1",
            "",
        ]
    )
    return Bundle(
        question="Since the claims-api deploy at 13:02 UTC the claims endpoints return 503 for a growing share of requests and the new pods keep restarting. Why?",
        category="scheduling",
        component="claims-api",
        statement="claims-api 4.7.0 warms a rate-table cache at boot and needs about 100 s before it listens, but its liveness probe starts at 30 s with 3 failures of 10 s allowed and no startupProbe, so the kubelet kills each new pod at about 60 s mid warm-up (exit 143) and the pods crash-loop.",
        files={
            "kubectl-describe-pod.txt": describe,
            "kubectl-get-pods.txt": get_pods,
            "kubectl-get-events.txt": events,
            "kubectl-logs-claims-api-previous.txt": logs.render(),
            "kubectl-logs-claims-reindex.txt": reindex,
            "ingress-nginx-access.log": ingress.render(),
        },
        proofs=[
            Proof(
                "kubectl-describe-pod.txt",
                "Liveness:       http-get http://:8080/actuator/health/liveness delay=30s",
            ),
            Proof(
                "kubectl-logs-claims-api-previous.txt", "Warming rate-table cache from claims-db"
            ),
            Proof("kubectl-logs-claims-api-previous.txt", "Commencing graceful shutdown"),
            Proof(
                "kubectl-describe-pod.txt",
                "Container claims-api failed liveness probe, will be restarted",
            ),
        ],
        decoys=[
            "sorry, too many clients already",
            "New size: 2; reason: cpu resource utilization",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
        ],
    )
