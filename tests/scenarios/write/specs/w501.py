# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (AKS, Europe/Warsaw): at 08:41 UTC a config refactor renamed the key DB_HOST to
DATABASE_HOST in ConfigMap ledger-sync-settings. The ledger-sync Deployment reads DB_HOST with
`configMapKeyRef` marked `optional: true`, so the pods started by the 09:20 image rollout get no
DB_HOST at all and the app falls back to its default `localhost`; each pod logs one INFO line with
the resolved database host, then every sync batch fails with connection refused and the
settlement API's ledger lookups go stale. Decoys: a slow-query WARN on the ledger database, a
Kafka rebalance on the settlement consumer, and an ImagePullBackOff of an unrelated CronJob."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Postgres, PythonLogging, SpringBoot
from scenes import at, loud, python_traceback
from traffic import database_server, traffic, web_api, worker

WAW = timezone(timedelta(hours=1))
START = datetime(2026, 2, 17, 8, 0, tzinfo=UTC)
NOW = datetime(2026, 2, 17, 10, 5, tzinfo=UTC)
ROLLOUT = 80.0  # 09:20 UTC


def deployment_yaml() -> str:
    return """$ kubectl -n finance get deploy ledger-sync -o yaml | sed -n '1,12p;/containers:/,/resources:/p'
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    deployment.kubernetes.io/revision: "57"
    meta.helm.sh/release-name: ledger-sync
  generation: 61
  labels:
    app.kubernetes.io/name: ledger-sync
  name: ledger-sync
  namespace: finance
spec:
      containers:
      - env:
        - name: DB_HOST
          valueFrom:
            configMapKeyRef:
              key: DB_HOST
              name: ledger-sync-settings
              optional: true
        - name: DB_NAME
          valueFrom:
            configMapKeyRef:
              key: DB_NAME
              name: ledger-sync-settings
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              key: password
              name: ledger-db-credentials
        - name: SYNC_BATCH_SIZE
          value: "400"
        image: crfinprod.azurecr.io/finance/ledger-sync:3.14.0
        imagePullPolicy: IfNotPresent
        name: ledger-sync
        ports:
        - containerPort: 8000
          name: http
          protocol: TCP
        resources:
"""


def configmap_yaml() -> str:
    return """$ kubectl -n finance get configmap ledger-sync-settings -o yaml
apiVersion: v1
data:
  DATABASE_HOST: pg-ledger-01.finance.svc.cluster.local
  DB_NAME: ledger
  LOG_LEVEL: INFO
  SYNC_INTERVAL_SECONDS: "30"
kind: ConfigMap
metadata:
  annotations:
    meta.helm.sh/release-name: finance-shared-config
  creationTimestamp: "2024-11-05T13:22:08Z"
  labels:
    app.kubernetes.io/managed-by: Helm
  name: ledger-sync-settings
  namespace: finance
  resourceVersion: "88120476"
  uid: 2d7e0b91-63a4-4f0e-9c51-7a2b8e4d1c36

$ helm -n finance history finance-shared-config --max 3
REVISION  UPDATED                   STATUS      CHART                         APP VERSION  DESCRIPTION
18        Mon Feb 16 15:02:40 2026  superseded  finance-shared-config-2.6.1   2.6.1        Upgrade complete
19        Tue Feb 17 09:41:12 2026  deployed    finance-shared-config-2.7.0   2.7.0        Upgrade complete

$ helm -n finance history ledger-sync --max 2
REVISION  UPDATED                   STATUS      CHART               APP VERSION  DESCRIPTION
56        Thu Feb 12 11:18:03 2026  superseded  ledger-sync-3.13.2  3.13.2       Upgrade complete
57        Tue Feb 17 10:20:31 2026  deployed    ledger-sync-3.14.0  3.14.0       Upgrade complete
"""


def pods() -> str:
    return """$ kubectl -n finance get pods -l app.kubernetes.io/name=ledger-sync -o wide
NAME                           READY   STATUS    RESTARTS   AGE   IP             NODE                                NOMINATED NODE   READINESS GATES
ledger-sync-6d8f7b9c54-7kq2x   1/1     Running   0          44m   10.244.3.118   aks-apps-31844207-vmss000004        <none>           <none>
ledger-sync-6d8f7b9c54-tz9wm   1/1     Running   0          44m   10.244.1.57    aks-apps-31844207-vmss000001        <none>           <none>
"""


def bundle() -> Bundle:
    rng = random.Random(50101)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    sync = LogFile(
        "logs/ledger-sync.log",
        PythonLogging(("ledger_sync.batch", "ledger_sync.kafka", "ledger_sync.health"), rng=rng),
    )
    sync.add(traffic(rng, worker("ledger-sync", ["settlements", "refunds"]), START, ROLLOUT, 1700))
    sync.add(
        [
            at(
                START,
                ROLLOUT + 0.3,
                "INFO",
                "ledger-sync 3.14.0 starting (python 3.12.2, pid 1)",
                logger="ledger_sync.main",
            ),
            at(
                START,
                ROLLOUT + 0.32,
                "INFO",
                "settings: db_host=localhost db_name=ledger batch_size=400 interval=30s",
                logger="ledger_sync.settings",
            ),
            at(
                START,
                ROLLOUT + 0.35,
                "INFO",
                "health endpoint listening on 0.0.0.0:8000",
                logger="ledger_sync.health",
            ),
        ]
    )
    trace = python_traceback(
        [
            ("/app/ledger_sync/batch.py", 88, "run_batch", "with self.pool.connection() as conn:"),
            (
                "/usr/local/lib/python3.12/site-packages/psycopg_pool/pool.py",
                170,
                "connection",
                "conn = self.getconn(timeout=timeout)",
            ),
        ],
        "psycopg_pool.PoolTimeout: couldn't get a connection after 30.00 sec",
    )
    sync.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.5,
            total - ROLLOUT - 0.6,
            260,
            lambda r: (
                "ERROR",
                f'batch {r.getrandbits(32):08x} failed: connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused',
                tuple(trace) if r.random() < 0.2 else (),
            ),
        )
    )
    sync.add(
        traffic(
            rng,
            lambda r: ("INFO", f"GET /healthz 200 {r.randrange(1, 4)}ms", ()),
            START,
            total,
            500,
            logger="ledger_sync.health",
        )
    )

    api = LogFile(
        "logs/settlement-api.log",
        SpringBoot(
            (
                "p.f.settlement.LedgerClient",
                "p.f.settlement.SettlementController",
                "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator",
            ),
            rng=rng,
            zone=WAW,
        ),
    )
    api.add(
        traffic(
            rng,
            web_api("settlement-api", ["settlements", "payouts", "merchants"]),
            START,
            total,
            3400,
        )
    )
    api.add(
        [
            at(
                START,
                52.4,
                "INFO",
                "[Consumer clientId=settlement-api-0, groupId=settlement-api] Request joining group due to: group is already rebalancing",
                logger="org.apache.kafka.clients.consumer.internals.ConsumerCoordinator",
            ),
            at(
                START,
                52.6,
                "INFO",
                "[Consumer clientId=settlement-api-0, groupId=settlement-api] Successfully joined group with generation Generation{generationId=212}",
                logger="org.apache.kafka.clients.consumer.internals.ConsumerCoordinator",
            ),
        ]
    )
    api.add(
        loud(
            rng,
            START,
            ROLLOUT + 12,
            total - ROLLOUT - 12.5,
            190,
            lambda r: (
                "WARN",
                f"ledger position for merchant {r.randrange(10000, 99999)} is stale (last sync {r.randrange(12, 45)} min ago), serving cached balance",
                (),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            ROLLOUT + 30,
            total - ROLLOUT - 30.5,
            70,
            lambda r: (
                "ERROR",
                f"payout {r.getrandbits(40):010x} rejected: ledger staleness exceeds 30 min limit",
                (),
            ),
        )
    )

    db = LogFile("logs/pg-ledger-01.log", Postgres())
    db.add(traffic(rng, database_server(), START, total, 900))
    db.add(
        [
            at(
                START,
                33.0,
                "LOG",
                "duration: 4812.331 ms  statement: SELECT merchant_id, sum(amount) FROM ledger_entries WHERE booked_at >= $1 GROUP BY merchant_id",
            )
        ]
    )

    routine = routine_events(
        rng,
        ["settlement-api", "fx-rates", "merchant-portal"],
        14,
        ["aks-apps-31844207-vmss000001", "aks-apps-31844207-vmss000004"],
        namespace="finance",
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger-sync",
                "Scaled up replica set ledger-sync-6d8f7b9c54 to 2",
            ),
        ),
        (
            ago(ROLLOUT) - 20,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger-sync",
                "Scaled down replica set ledger-sync-5b7c9d8f66 to 0 from 2",
            ),
        ),
        (
            ago(ROLLOUT) - 2,
            (
                "Normal",
                "Started",
                "pod/ledger-sync-6d8f7b9c54-7kq2x",
                "Started container ledger-sync",
            ),
        ),
        (
            ago(ROLLOUT) - 3,
            (
                "Normal",
                "Started",
                "pod/ledger-sync-6d8f7b9c54-tz9wm",
                "Started container ledger-sync",
            ),
        ),
        (
            ago(60),
            (
                "Warning",
                "Failed",
                "pod/fx-rates-import-29516220-qx7vd",
                'Failed to pull image "crfinprod.azurecr.io/finance/fx-import:1.9.0": not found',
            ),
        ),
        (
            ago(60) - 30,
            (
                "Normal",
                "BackOff",
                "pod/fx-rates-import-29516220-qx7vd",
                'Back-off pulling image "crfinprod.azurecr.io/finance/fx-import:1.9.0"',
            ),
        ),
    ]
    events = "$ kubectl -n finance get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Payouts are being rejected for ledger staleness since about 11:00 Warsaw time and the ledger-sync pods look healthy. What is the root cause?",
        category="configuration",
        component="ledger-sync",
        statement="ConfigMap ledger-sync-settings was upgraded at 08:41 UTC and its DB_HOST key renamed to DATABASE_HOST; ledger-sync reads DB_HOST through an optional configMapKeyRef, so the pods rolled out at 09:20 start without it, fall back to localhost and every sync batch is refused, leaving the ledger stale.",
        files={
            "kubectl-get-deploy-ledger-sync.txt": deployment_yaml(),
            "kubectl-get-configmap.txt": configmap_yaml(),
            "kubectl-get-pods.txt": pods(),
            "kubectl-get-events.txt": events,
            sync.name: sync.render(),
            api.name: api.render(),
            db.name: db.render(),
        },
        proofs=[
            Proof("kubectl-get-configmap.txt", "  DATABASE_HOST: pg-ledger-01"),
            Proof("kubectl-get-deploy-ledger-sync.txt", "              optional: true"),
            Proof(sync.name, "settings: db_host=localhost"),
        ],
        decoys=[
            "duration: 4812.331 ms",
            "group is already rebalancing",
            "fx-import:1.9.0",
        ],
    )
