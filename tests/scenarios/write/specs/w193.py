# ruff: noqa: E501
# kubectl output and log lines are data, kept whole on one line.
"""Kubernetes: ledger-api mounts its `application.yaml` from the ConfigMap ledger-api-config with
`subPath`, so the file in the running pods never changes when the ConfigMap does. After the
database failover at 03:04 UTC the DBA points the ConfigMap at the new primary
(pg-ledger-2) at 03:11 and expects the app's file watcher to reload it; the pods keep the old
host pg-ledger-1, which has rejoined as a standby, so every write fails with `cannot execute
INSERT in a read-only transaction` while reads work. Decoys: the read-only errors themselves
(they look like a database fault), pg-ledger-1's own `ready to accept read-only connections`,
and a cert-manager renewal warning."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod
from records import Postgres, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 7, 3, 2, 30, tzinfo=UTC)
MINUTES = 75
FAILOVER = 34.0
POD = "ledger-api-7b9d5c8f4-tq6wn"


def ledger_ok(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"GET /v1/accounts/{rng.randrange(10**7)}/balance 200 {rng.randrange(2, 40)}ms",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"POST /v1/journal 201 {rng.randrange(8, 90)}ms entry=je_{rng.getrandbits(48):012x} lines={rng.randrange(2, 6)}",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"GET /v1/accounts/{rng.randrange(10**7)}/statements?month=2025-0{rng.randrange(1, 7)} 200 {rng.randrange(20, 300)}ms",
            (),
        )
    return (
        "WARN",
        f"idempotency key reused key=idem_{rng.getrandbits(40):010x}, returning stored response",
        (),
    )


def ledger_read_ok(rng: random.Random) -> Line:
    return (
        "INFO",
        f"GET /v1/accounts/{rng.randrange(10**7)}/balance 200 {rng.randrange(2, 40)}ms",
        (),
    )


def ledger_fail(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"POST /v1/journal 500 entry=je_{rng.getrandbits(48):012x}: could not execute statement [ERROR: cannot execute INSERT in a read-only transaction] [insert into journal_entries (account_id,amount_minor,created_at,currency,id) values (?,?,?,?,?)]",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1193)
    log = LogFile(
        "logs/ledger-api.log",
        SpringBoot(
            ("c.a.ledger.api.JournalController", "c.a.ledger.api.AccountController"), rng=rng
        ),
    )
    log.add(traffic(rng, ledger_ok, START, FAILOVER, 2300))
    log.add(
        traffic(
            rng,
            ledger_read_ok,
            START + timedelta(minutes=FAILOVER + 1.2),
            MINUTES - FAILOVER - 1.2,
            1500,
        )
    )
    log.add(
        loud(
            rng,
            START,
            FAILOVER + 0.2,
            0.9,
            60,
            fixed(
                "ERROR",
                lambda r: (
                    "HikariPool-1 - Connection is not available, request timed out after 30000ms."
                ),
            ),
        )
    )
    log.add(loud(rng, START, FAILOVER + 1.3, MINUTES - FAILOVER - 1.4, 420, ledger_fail))
    log.add(
        [
            at(
                START,
                0.5,
                "INFO",
                "Watching /app/config for changes (spring.config.import=optional:file:/app/config/application.yaml)",
                logger="c.a.ledger.config.ConfigFileWatcher",
            ),
            at(
                START,
                FAILOVER + 1.25,
                "INFO",
                "HikariPool-1 - Added connection org.postgresql.jdbc.PgConnection@5e1a7f3c",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
            at(
                START,
                FAILOVER + 1.35,
                "ERROR",
                "SQL Error: 0, SQLState: 25006",
                logger="o.h.engine.jdbc.spi.SqlExceptionHelper",
                trailer=java_trace(
                    "org.postgresql.util.PSQLException: ERROR: cannot execute INSERT in a read-only transaction",
                    [
                        "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)",
                        "org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2412)",
                        "org.postgresql.jdbc.PgStatement.executeInternal(PgStatement.java:517)",
                        "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java)",
                        "c.a.ledger.journal.JournalRepository.insert(JournalRepository.java:77)",
                    ],
                    more=41,
                ),
            ),
        ]
    )
    pg = LogFile("logs/pg-ledger-1.log", Postgres(rng=rng))
    pg.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"checkpoint complete: wrote {r.randrange(40, 3000)} buffers ({r.random() * 5:.1f}%); write={r.random() * 20:.3f} s, sync={r.random():.3f} s",
                (),
            ),
            START,
            FAILOVER - 0.2,
            60,
        )
    )
    pg.add(
        [
            at(
                START,
                FAILOVER - 0.1,
                "FATAL",
                "terminating connection due to administrator command",
            ),
            at(
                START,
                FAILOVER + 0.6,
                "INFO",
                "database system was interrupted; last known up at 2025-07-03 03:03:41 UTC",
            ),
            at(START, FAILOVER + 0.7, "INFO", "entering standby mode"),
            at(START, FAILOVER + 0.8, "INFO", "consistent recovery state reached at 3A/9F0021C8"),
            at(
                START,
                FAILOVER + 0.82,
                "INFO",
                "database system is ready to accept read-only connections",
            ),
            at(
                START,
                FAILOVER + 0.9,
                "INFO",
                "started streaming WAL from primary at 3A/9F000000 on timeline 7",
            ),
        ]
    )
    pg.add(
        loud(
            rng,
            START,
            FAILOVER + 1.3,
            MINUTES - FAILOVER - 1.4,
            260,
            fixed("ERROR", lambda r: "cannot execute INSERT in a read-only transaction"),
        )
    )
    pod = Pod(
        name=POD,
        namespace="ledger",
        node="aks-system-38271644-vmss00000c",
        app="ledger-api",
        ip="10.244.9.58",
        start_time="Wed, 02 Jul 2025 16:40:12 +0000",
        containers=[
            Container(
                name="ledger-api",
                image="acmecr.azurecr.io/ledger/ledger-api:5.12.1",
                state=["Running", "  Started:      Wed, 02 Jul 2025 16:40:31 +0000"],
                limits={"memory": "1536Mi"},
                requests={"cpu": "500m", "memory": "1536Mi"},
                probes=[
                    "Readiness:  http-get http://:8080/actuator/health/readiness delay=20s timeout=2s period=10s #success=1 #failure=3"
                ],
                environment=[
                    "SPRING_PROFILES_ACTIVE:  prod",
                    "DB_PASSWORD:             <set to the key 'password' in secret 'ledger-db'>  Optional: false",
                ],
            )
        ],
        volumes=[
            "  config:",
            "    Type:      ConfigMap (a volume populated by a ConfigMap)",
            "    Name:      ledger-api-config",
            "    Optional:  false",
        ],
    )
    described = describe_pod(pod, rng).replace(
        "    Mounts:\n",
        '    Mounts:\n      /app/config/application.yaml from config (ro,path="application.yaml")\n',
    )
    configmap = """$ kubectl -n ledger get configmap ledger-api-config -o yaml
apiVersion: v1
data:
  application.yaml: |
    spring:
      datasource:
        url: jdbc:postgresql://pg-ledger-2.db.internal:5432/ledger?targetServerType=any
        username: ledger_app
        hikari:
          maximum-pool-size: 20
    ledger:
      statement-cache-ttl: 300s
kind: ConfigMap
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{},"name":"ledger-api-config","namespace":"ledger"}}
  creationTimestamp: "2024-11-18T10:22:05Z"
  name: ledger-api-config
  namespace: ledger
  resourceVersion: "99182734"
  uid: 0c8e4f3a-7d21-4b9e-a6f5-3e1d8c2b7a90
"""
    notes = """ledger writes failing -- handover from the DB on-call (Priya), 03:40 UTC

03:04  pg-ledger-1 (primary) stopped responding, Patroni promoted pg-ledger-2. pg-ledger-1 came
       back as a standby of pg-ledger-2 a minute later, replication healthy, lag 0.
03:11  I edited the ledger-api-config ConfigMap to point at pg-ledger-2 (kubectl edit). The app
       watches its config file and reloads the datasource, so no restart should be needed.
03:15  Still 500 on every POST /v1/journal. Reads are fine. Balances page fine.

What I checked from one pod:
$ kubectl -n ledger exec ledger-api-7b9d5c8f4-tq6wn -- grep url /app/config/application.yaml
        url: jdbc:postgresql://pg-ledger-1.db.internal:5432/ledger?targetServerType=any

The cert-manager warning in the channel is about the staging issuer, ignore:
  Warning  Failed  certificate/ledger-staging-tls  The certificate request has failed to complete and will be retried: Failed to wait for order resource "ledger-staging-tls-1-2841" to become ready
"""
    files = {
        "notes.md": notes,
        "kubectl-describe-pod.txt": described,
        "kubectl-get-configmap.yaml": configmap,
        "logs/ledger-api.log": log.render(),
        "logs/pg-ledger-1.log": pg.render(),
    }
    return Bundle(
        question="Every ledger write has been failing with 500 since the database failover at about 03:05 UTC, even after we updated the config. What is the root cause?",
        category="configuration",
        component="ledger-api",
        statement="ledger-api mounts application.yaml from the ledger-api-config ConfigMap with subPath, so the 03:11 UTC edit pointing it at the new primary pg-ledger-2 never reaches the running pods; they keep writing to pg-ledger-1, now a read-only standby, and every INSERT fails.",
        files=files,
        proofs=[
            Proof("kubectl-describe-pod.txt", 'from config (ro,path="application.yaml")'),
            Proof("notes.md", "url: jdbc:postgresql://pg-ledger-1.db.internal"),
        ],
        decoys=[
            "ready to accept read-only connections",
            "ledger-staging-tls",
            "HikariPool-1 - Connection is not available",
        ],
    )
