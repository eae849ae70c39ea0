# ruff: noqa: E501
# kubectl rows, Java log lines and stack frames are data, kept whole on one line.
"""Kubernetes: a resource right-sizing change (applied 09:10 São Paulo time, 12:10 UTC) cut the
memory limit of ledger-api's `cloud-sql-proxy` sidecar from 256Mi to 64Mi. At the month-end
batch peak the proxy holds hundreds of client connections, is OOMKilled again and again, and
each time ledger-api's HikariCP pool gets `Connection refused` from 127.0.0.1:5432; statements
fail with 500s. The app container itself never restarts. Decoys: a slow query warning, a Kafka
consumer rebalance, and an HPA scale-out event."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api

START = datetime(2026, 9, 30, 11, 40, tzinfo=UTC)
NOW = datetime(2026, 9, 30, 14, 5, tzinfo=UTC)
CHANGE = 30.0  # 12:10 UTC
KILLS = [66.0, 79.5, 91.0, 104.0, 118.5, 138.0]
SAO_PAULO = ZoneInfo("America/Sao_Paulo")
NODES = [
    "gke-fin-prod-pool-c-5e1a9f0b-7kq2",
    "gke-fin-prod-pool-c-5e1a9f0b-m3xd",
    "gke-fin-prod-pool-c-5e1a9f0b-t9rw",
]
LOGGERS = (
    "c.f.ledger.api.PostingController",
    "c.f.ledger.service.JournalService",
    "c.f.ledger.kafka.SettlementListener",
    "o.s.web.servlet.DispatcherServlet",
)


def bundle() -> Bundle:
    rng = random.Random(6042)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    app = LogFile("logs/ledger-api.log", SpringBoot(LOGGERS, pid=1, rng=rng, zone=SAO_PAULO))
    app.add(
        traffic(
            rng, web_api("ledger-api", ["postings", "accounts", "journals"]), START, total, 4800
        )
    )
    app.add(
        [
            at(
                START,
                14.3,
                "WARN",
                "Slow query (2.41 s): SELECT a.* FROM account_balance a WHERE a.book_id = ? ORDER BY a.updated_at DESC",
                logger="c.f.ledger.service.JournalService",
            ),
            at(
                START,
                48.8,
                "INFO",
                "[Consumer clientId=ledger-api-2, groupId=ledger-settlement] Request joining group due to: group is already rebalancing",
                logger="o.a.k.c.c.internals.ConsumerCoordinator",
            ),
        ]
    )
    refused = fixed(
        "WARN",
        lambda r: (
            f"HikariPool-1 - Connection is not available, request timed out after {r.randrange(30001, 30090)}ms (total={r.randrange(0, 4)}, active={r.randrange(0, 4)}, idle=0, waiting={r.randrange(12, 60)})"
        ),
    )
    failure = fixed(
        "ERROR",
        lambda r: (
            f"POST /api/v1/postings failed: could not open JDBC connection (posting {r.getrandbits(40):010x})"
        ),
        lambda r: java_trace(
            "org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager for transaction",
            [
                "org.springframework.orm.jpa.JpaTransactionManager.doBegin(JpaTransactionManager.java:466)",
                "c.f.ledger.service.JournalService.post(JournalService.java:212)",
            ],
            caused_by=[
                "org.postgresql.util.PSQLException: Connection to 127.0.0.1:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.",
                "org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:346)",
            ],
            more=71,
        ),
    )
    for kill in KILLS:
        app.add(loud(rng, START, kill + 0.05, 1.6, 40, refused))
        app.add(loud(rng, START, kill + 0.1, 1.5, 55, failure))

    pod = Pod(
        name="ledger-api-7f6d9b5c48-h2vqp",
        namespace="ledger",
        node=NODES[1],
        app="ledger-api",
        start_time="Wed, 30 Sep 2026 12:10:37 +0000",
        ip="10.52.3.119",
        containers=[
            Container(
                name="ledger-api",
                image="southamerica-east1-docker.pkg.dev/fin-prod/ledger/ledger-api:5.12.4",
                state=["Running", "  Started:      Wed, 30 Sep 2026 12:10:44 +0000"],
                limits={"cpu": "2", "memory": "3Gi"},
                requests={"cpu": "1", "memory": "3Gi"},
                probes=[
                    "Readiness:      http-get http://:8080/actuator/health/readiness delay=20s timeout=2s period=10s #success=1 #failure=3"
                ],
                environment=[
                    "SPRING_DATASOURCE_URL:  jdbc:postgresql://127.0.0.1:5432/ledger",
                    "SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE:  40",
                ],
            ),
            Container(
                name="cloud-sql-proxy",
                image="gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.4",
                port="<none>",
                state=["Running", "  Started:      Wed, 30 Sep 2026 14:01:22 +0000"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Wed, 30 Sep 2026 13:48:41 +0000",
                    "  Finished:     Wed, 30 Sep 2026 13:58:30 +0000",
                ],
                restarts=6,
                limits={"cpu": "250m", "memory": "64Mi"},
                requests={"cpu": "100m", "memory": "48Mi"},
                environment=[
                    "CSQL_PROXY_MAX_CONNECTIONS:  0",
                    "CSQL_PROXY_INSTANCE:  fin-prod:southamerica-east1:ledger-pg",
                ],
            ),
        ],
        events=[
            (
                "Normal",
                "Pulled",
                "4m (x7 over 115m)",
                "kubelet",
                'Container image "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.4" already present on machine',
            ),
            (
                "Normal",
                "Created",
                "4m (x7 over 115m)",
                "kubelet",
                "Created container cloud-sql-proxy",
            ),
            (
                "Normal",
                "Started",
                "4m (x7 over 115m)",
                "kubelet",
                "Started container cloud-sql-proxy",
            ),
            (
                "Warning",
                "BackOff",
                "6m (x9 over 52m)",
                "kubelet",
                "Back-off restarting failed container cloud-sql-proxy in pod ledger-api-7f6d9b5c48-h2vqp_ledger(3c0e9a71-5b2d-4f8e-a61c-9d7b2e04f5a3)",
            ),
        ],
    )
    describe = "$ kubectl -n ledger describe pod ledger-api-7f6d9b5c48-h2vqp\n" + describe_pod(
        pod, rng
    )

    routine = routine_events(
        rng, ["ledger-api", "statement-render", "fx-rates"], 24, NODES, namespace="ledger"
    )
    signal = [
        (
            ago(CHANGE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger-api",
                "Scaled up replica set ledger-api-7f6d9b5c48 to 1",
            ),
        ),
        (
            ago(CHANGE + 1.5),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger-api",
                "Scaled down replica set ledger-api-54c8d7b9f6 to 0 from 3",
            ),
        ),
        (
            ago(61),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/ledger-api",
                "New size: 5; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
    ]
    for kill in KILLS:
        signal.append(
            (
                ago(kill),
                (
                    "Warning",
                    "BackOff",
                    "pod/ledger-api-7f6d9b5c48-" + rng.choice(["h2vqp", "b8kzt", "w4lnc"]),
                    "Back-off restarting failed container cloud-sql-proxy in pod",
                ),
            )
        )
    events = "$ kubectl -n ledger get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    diff = "\n".join(
        [
            "$ kubectl -n ledger rollout history deploy/ledger-api --revision=31 | grep -A3 -i limits",
            "    Limits:",
            "      cpu:\t250m",
            "      memory:\t64Mi",
            "$ kubectl -n ledger rollout history deploy/ledger-api --revision=30 | grep -A3 -i limits",
            "    Limits:",
            "      cpu:\t250m",
            "      memory:\t256Mi",
            "$ kubectl -n ledger rollout history deploy/ledger-api | tail -2",
            "30        <none>",
            "31        kubernetes.io/change-cause: rightsizing batch 2026-09 (vpa recommendations, sidecars)",
            "",
            "$ kubectl -n ledger top pod --containers | grep ledger-api",
            "ledger-api-7f6d9b5c48-b8kzt   cloud-sql-proxy   31m          61Mi",
            "ledger-api-7f6d9b5c48-b8kzt   ledger-api        842m         2310Mi",
            "ledger-api-7f6d9b5c48-h2vqp   cloud-sql-proxy   12m          23Mi",
            "ledger-api-7f6d9b5c48-h2vqp   ledger-api        901m         2288Mi",
            "ledger-api-7f6d9b5c48-w4lnc   cloud-sql-proxy   29m          58Mi",
            "ledger-api-7f6d9b5c48-w4lnc   ledger-api        877m         2301Mi",
            "",
        ]
    )

    return Bundle(
        question="Since about 09:45 (São Paulo time) month-end postings to ledger-api keep failing in waves with 'Connection to 127.0.0.1:5432 refused', but Cloud SQL itself looks healthy. What is going on?",
        category="memory",
        component="ledger-api",
        statement="The rightsizing change (revision 31, 09:10 São Paulo) cut the memory limit of ledger-api's cloud-sql-proxy sidecar to 64Mi; under the month-end load the proxy is OOMKilled repeatedly, and while it restarts the application's connections to 127.0.0.1:5432 are refused.",
        files={
            "kubectl-describe-pod-ledger-api.txt": describe,
            "kubectl-get-events-ledger.txt": events,
            "kubectl-ledger-api-history.txt": diff,
            "logs/ledger-api.log": app.render(),
        },
        proofs=[
            Proof("kubectl-describe-pod-ledger-api.txt", "Reason:       OOMKilled"),
            Proof("kubectl-describe-pod-ledger-api.txt", "memory: 64Mi"),
            Proof("kubectl-ledger-api-history.txt", "memory:\t64Mi"),
        ],
        decoys=[
            "Slow query (2.41 s)",
            "Request joining group due to: group is already rebalancing",
            "New size: 5; reason: cpu resource utilization",
        ],
    )
