# ruff: noqa: E501
# kubectl output, hand-written log lines and pasted commands are data, kept whole on one line.
"""Kubernetes: ledger-api 4.2.0 (rolled out 14:02 UTC) replaced the JVM option
`-XX:MaxRAMPercentage=70` with a hard-coded `-Xms1g -Xmx2g` in JAVA_TOOL_OPTIONS, copied from
a VM deployment, while the container's memory limit stays 1536Mi. The heap may grow past the
limit, so under the afternoon batch load each pod's RSS crosses 1536Mi and the kernel kills it
(OOMKilled, exit 137) with no Java OutOfMemoryError at all; pods restart into CrashLoopBackOff
and the gateway answers 503. The cause is quiet: the JVM's `Picked up JAVA_TOOL_OPTIONS` line
at start-up and the Environment field of `describe`. Decoys: readiness probe failures during
start-up, the gateway's 503s, a Postgres connection warning, and an HPA scaling event."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import KubectlTimestamps, NginxError
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2026, 6, 30, 14, 40, tzinfo=UTC)
NOW = datetime(2026, 6, 30, 15, 27, tzinfo=UTC)
RUN = datetime(2026, 6, 30, 15, 21, 12, tzinfo=UTC)
POD = "ledger-api-7b5f9d6c48-m4tzx"
NODES = [
    "aks-pool2-28816431-vmss000004",
    "aks-pool2-28816431-vmss000007",
    "aks-pool2-28816431-vmss00000a",
]
OPTIONS = "-Xms1g -Xmx2g -XX:+UseG1GC -Dfile.encoding=UTF-8"


def ledger_line(rng: random.Random) -> Line:
    roll = rng.random()

    def stamp() -> str:
        return f"{rng.choice(['INFO ', 'INFO ', 'DEBUG'])} 1 --- [nio-8080-exec-{rng.randrange(1, 60)}]"

    if roll < 0.45:
        return (
            "INFO",
            f"{stamp()} c.n.ledger.api.PostingController        : POST /v2/postings account={rng.randrange(10**7, 10**8)} lines={rng.randrange(2, 9)} 201 in {rng.randrange(8, 90)}ms",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"{stamp()} c.n.ledger.api.BalanceController        : GET /v2/accounts/{rng.randrange(10**7, 10**8)}/balance 200 in {rng.randrange(3, 40)}ms",
            (),
        )
    return (
        "INFO",
        f"INFO  1 --- [   batch-exec-{rng.randrange(1, 9)}] c.n.ledger.batch.StatementJob           : statement chunk {rng.randrange(1, 900)} of tenant {rng.choice(['nordbank', 'fjordpay', 'alpkredit'])} written ({rng.randrange(500, 4000)} rows)",
        (),
    )


def startup(minute: float) -> list:
    return [
        at(RUN, minute, "INFO", f"Picked up JAVA_TOOL_OPTIONS: {OPTIONS}"),
        at(
            RUN,
            minute + 0.1,
            "INFO",
            "INFO  1 --- [           main] c.n.ledger.LedgerApiApplication          : Starting LedgerApiApplication v4.2.0 using Java 17.0.11 with PID 1 (/app/ledger-api.jar started by app in /app)",
        ),
        at(
            RUN,
            minute + 0.45,
            "INFO",
            "INFO  1 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat started on port 8080 (http) with context path ''",
        ),
        at(
            RUN,
            minute + 0.46,
            "INFO",
            "INFO  1 --- [           main] c.n.ledger.LedgerApiApplication          : Started LedgerApiApplication in 24.611 seconds (process running for 26.02)",
        ),
    ]


def bundle() -> Bundle:
    rng = random.Random(46161)
    total = (NOW - START).total_seconds() / 60
    log = LogFile("logs/ledger-api-previous.log", KubectlTimestamps())
    log.add(startup(0.0))
    log.add(traffic(rng, ledger_line, RUN + timedelta(minutes=0.5), 2.7, 1100))
    log.add(
        [
            at(
                RUN,
                1.9,
                "WARN",
                "WARN  1 --- [nio-8080-exec-22] com.zaxxer.hikari.pool.PoolBase          : LedgerPool - Failed to validate connection org.postgresql.jdbc.PgConnection@5d1c2a7e (This connection has been closed.). Possible consider using a shorter maxLifetime value.",
            )
        ]
    )
    log.add(
        [
            at(
                RUN,
                0.7,
                "INFO",
                "INFO  1 --- [   batch-exec-3] c.n.ledger.batch.StatementJob           : month-end statement run started for 3 tenants (parallelism 6)",
            )
        ]
    )
    gateway = LogFile("logs/gateway-error.log", NginxError(rng))
    gateway.add(
        loud(
            rng,
            START,
            0,
            total,
            20,
            fixed(
                "WARN",
                lambda r: (
                    f'upstream server temporarily disabled while reading response header from upstream, client: 10.244.{r.randrange(1, 9)}.{r.randrange(2, 250)}, server: api.nordledger.internal, request: "GET /v2/fx/rates HTTP/1.1", upstream: "http://10.244.3.{r.randrange(2, 250)}:8080/v2/fx/rates", host: "api.nordledger.internal"'
                ),
            ),
        )
    )
    for crash in (39.3, 41.6, 44.4):
        gateway.add(
            loud(
                rng,
                START,
                crash,
                1.6,
                120,
                fixed(
                    "ERROR",
                    lambda r: (
                        f'connect() failed (111: Connection refused) while connecting to upstream, client: 10.244.{r.randrange(1, 9)}.{r.randrange(2, 250)}, server: api.nordledger.internal, request: "POST /v2/postings HTTP/1.1", upstream: "http://10.244.5.{r.randrange(2, 250)}:8080/v2/postings", host: "api.nordledger.internal"'
                    ),
                ),
            )
        )
    gateway.add(
        loud(
            rng,
            START,
            39.4,
            total - 39.5,
            260,
            fixed(
                "ERROR",
                lambda r: (
                    f'no live upstreams while connecting to upstream, client: 10.244.{r.randrange(1, 9)}.{r.randrange(2, 250)}, server: api.nordledger.internal, request: "{r.choice(["POST /v2/postings", "GET /v2/accounts/" + str(r.randrange(10**7, 10**8)) + "/balance"])} HTTP/1.1", upstream: "http://ledger-api/", host: "api.nordledger.internal"'
                ),
            ),
        )
    )
    pod = Pod(
        name=POD,
        namespace="finance",
        node=NODES[1],
        app="ledger-api",
        ip="10.244.5.87",
        start_time="Tue, 30 Jun 2026 14:02:37 +0000",
        status="Running",
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                name="ledger-api",
                image="nordledger.azurecr.io/finance/ledger-api:4.2.0",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Tue, 30 Jun 2026 15:21:12 +0000",
                    "  Finished:     Tue, 30 Jun 2026 15:24:25 +0000",
                ],
                ready=False,
                restarts=7,
                limits={"cpu": "2", "memory": "1536Mi"},
                requests={"cpu": "500m", "memory": "1Gi"},
                probes=[
                    "Liveness:   http-get http://:8080/actuator/health/liveness delay=60s timeout=3s period=10s #success=1 #failure=3",
                    "Readiness:  http-get http://:8080/actuator/health/readiness delay=20s timeout=3s period=5s #success=1 #failure=3",
                ],
                environment=[
                    f"JAVA_TOOL_OPTIONS:       {OPTIONS}",
                    "SPRING_PROFILES_ACTIVE:  prod",
                    "DB_URL:                  <set to the key 'url' in secret 'ledger-db'>  Optional: false",
                    "DB_PASSWORD:             <set to the key 'password' in secret 'ledger-db'>  Optional: false",
                ],
            )
        ],
        events=[
            (
                "Warning",
                "Unhealthy",
                "31m (x14 over 82m)",
                "kubelet",
                'Readiness probe failed: Get "http://10.244.5.87:8080/actuator/health/readiness": dial tcp 10.244.5.87:8080: connect: connection refused',
            ),
            (
                "Normal",
                "Pulled",
                "5m (x8 over 84m)",
                "kubelet",
                'Container image "nordledger.azurecr.io/finance/ledger-api:4.2.0" already present on machine',
            ),
            ("Normal", "Started", "5m (x8 over 84m)", "kubelet", "Started container ledger-api"),
            (
                "Warning",
                "BackOff",
                "2m (x19 over 46m)",
                "kubelet",
                "Back-off restarting failed container ledger-api in pod ledger-api-7b5f9d6c48-m4tzx_finance(3c9a1e02-7f4b-4d61-a2c8-9b05e7d31f64)",
            ),
        ],
    )
    describe = "$ kubectl -n finance describe pod ledger-api-7b5f9d6c48-m4tzx\n" + describe_pod(
        pod, rng
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["fx-rates", "statement-renderer", "ledger-api"], 24, NODES, namespace="finance"
    )
    signal = [
        (
            ago(-38),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger-api",
                "Scaled up replica set ledger-api-7b5f9d6c48 to 3",
            ),
        ),
        (
            ago(-37),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger-api",
                "Scaled down replica set ledger-api-6c8d4b7f95 to 0 from 3",
            ),
        ),
        (
            ago(39.2),
            (
                "Warning",
                "BackOff",
                "pod/ledger-api-7b5f9d6c48-q8wvn",
                "Back-off restarting failed container ledger-api in pod ledger-api-7b5f9d6c48-q8wvn_finance(9f1d7b32-5a0c-4e8b-b6e1-72c4d0a9e815)",
            ),
        ),
        (
            ago(40.0),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/ledger-api",
                "New size: 4; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(44.5),
            (
                "Warning",
                "BackOff",
                "pod/ledger-api-7b5f9d6c48-m4tzx",
                "Back-off restarting failed container ledger-api in pod ledger-api-7b5f9d6c48-m4tzx_finance(3c9a1e02-7f4b-4d61-a2c8-9b05e7d31f64)",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    pods = "\n".join(
        [
            "$ kubectl -n finance get pods -l app=ledger-api -o wide",
            "NAME                          READY   STATUS             RESTARTS        AGE   IP             NODE                            NOMINATED NODE   READINESS GATES",
            "ledger-api-7b5f9d6c48-m4tzx   0/1     CrashLoopBackOff   7 (2m11s ago)   84m   10.244.5.87    aks-pool2-28816431-vmss000007   <none>           <none>",
            "ledger-api-7b5f9d6c48-q8wvn   0/1     CrashLoopBackOff   6 (4m50s ago)   84m   10.244.3.141   aks-pool2-28816431-vmss000004   <none>           <none>",
            "ledger-api-7b5f9d6c48-xk2jd   1/1     Running            6 (58s ago)     84m   10.244.9.23    aks-pool2-28816431-vmss00000a   <none>           <none>",
            "ledger-api-7b5f9d6c48-zr7bn   0/1     Running            1 (31s ago)     13m   10.244.3.160   aks-pool2-28816431-vmss000004   <none>           <none>",
            "",
            "$ kubectl -n finance top pod -l app=ledger-api",
            "NAME                          CPU(cores)   MEMORY(bytes)",
            "ledger-api-7b5f9d6c48-xk2jd   1411m        1489Mi",
            "ledger-api-7b5f9d6c48-zr7bn   902m         1107Mi",
            "",
            "$ kubectl -n finance rollout history deploy/ledger-api",
            "deployment.apps/ledger-api",
            "REVISION  CHANGE-CAUSE",
            "31        helm upgrade ledger-api 4.1.7",
            "32        helm upgrade ledger-api 4.2.0",
            "",
        ]
    )
    return Bundle(
        question="The ledger API keeps returning 503 through the gateway since about 15:19 UTC and its pods restart over and over. What is the root cause?",
        category="memory",
        component="ledger-api",
        statement="ledger-api 4.2.0 sets JAVA_TOOL_OPTIONS `-Xms1g -Xmx2g` while its container limit is 1536Mi; under the month-end batch load the JVM's memory passes the limit and the kernel OOM-kills the container (OOMKilled, exit 137), so the pods crash-loop and the gateway has no live upstream.",
        files={
            "kubectl-describe-pod.txt": describe,
            "kubectl-get-events.txt": events,
            "kubectl-get.txt": pods,
            "logs/ledger-api-previous.log": log.render(),
            "logs/gateway-error.log": gateway.render(),
        },
        proofs=[
            Proof("kubectl-describe-pod.txt", "JAVA_TOOL_OPTIONS:       -Xms1g -Xmx2g"),
            Proof("kubectl-describe-pod.txt", "Reason:       OOMKilled", "Exit Code:    137"),
            Proof("kubectl-describe-pod.txt", "memory: 1536Mi"),
            Proof("logs/ledger-api-previous.log", "Picked up JAVA_TOOL_OPTIONS"),
        ],
        decoys=[
            "Readiness probe failed",
            "no live upstreams while connecting to upstream",
            "Failed to validate connection",
            "New size: 4",
        ],
    )
