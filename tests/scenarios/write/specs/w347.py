# ruff: noqa: E501
# kubectl rows, YAML and hand-written log lines are data, kept whole on one line.
"""Kubernetes: ledger-api's chart 4.2.0 (rolled out 08:12 UTC) moved the container to a non-root
user (`runAsUser: 10001`) but left the TLS Secret volume at `defaultMode: 0400` (shown by
`-o yaml` as 256) with no `fsGroup`: the key file stays root-only, the new pods exit with
`permission denied` reading it and crash-loop while the old ReplicaSet is scaled down to one pod.
payments-gateway (logs in Europe/Berlin time) sees 503s and timeouts. Decoys: a slow Postgres
query warning in ledger-api's previous run, an unrelated HPA metric error, and a gateway
retry of the fx-rates service."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import JsonLines, KubectlTimestamps, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 11, 19, 7, 30, tzinfo=UTC)
NOW = datetime(2026, 11, 19, 9, 5, tzinfo=UTC)
ROLLOUT = 42.0  # 08:12 UTC
BERLIN = ZoneInfo("Europe/Berlin")
NODES = [
    "aks-system-31552087-vmss000004",
    "aks-apps-31552087-vmss00000a",
    "aks-apps-31552087-vmss00000c",
]

DEPLOY_YAML = """$ kubectl -n finance get deploy ledger-api -o yaml | sed -n '1,12p;/template:/,$p'
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    deployment.kubernetes.io/revision: "31"
    meta.helm.sh/release-name: ledger-api
    meta.helm.sh/release-namespace: finance
  creationTimestamp: "2025-06-02T13:40:19Z"
  generation: 58
  labels:
    app.kubernetes.io/managed-by: Helm
    helm.sh/chart: ledger-api-4.2.0
  template:
    metadata:
      labels:
        app: ledger-api
    spec:
      containers:
      - env:
        - name: LEDGER_TLS_CERT
          value: /etc/ledger/tls/tls.crt
        - name: LEDGER_TLS_KEY
          value: /etc/ledger/tls/tls.key
        - name: LEDGER_DB_DSN
          valueFrom:
            secretKeyRef:
              key: dsn
              name: ledger-db
        image: ledgeracr.azurecr.io/finance/ledger-api:4.2.0
        imagePullPolicy: IfNotPresent
        name: ledger-api
        ports:
        - containerPort: 8443
          name: https
          protocol: TCP
        readinessProbe:
          failureThreshold: 3
          httpGet:
            path: /readyz
            port: 8443
            scheme: HTTPS
          periodSeconds: 10
        resources:
          limits:
            memory: 512Mi
          requests:
            cpu: 250m
            memory: 256Mi
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          runAsNonRoot: true
          runAsUser: 10001
        volumeMounts:
        - mountPath: /etc/ledger/tls
          name: tls
          readOnly: true
      securityContext: {}
      serviceAccountName: ledger-api
      terminationGracePeriodSeconds: 30
      volumes:
      - name: tls
        secret:
          defaultMode: 256
          secretName: ledger-api-tls
status:
  availableReplicas: 1
  conditions:
  - lastTransitionTime: "2026-11-19T08:12:40Z"
    message: ReplicaSet "ledger-api-7c9b5d84f6" is progressing.
    reason: ReplicaSetUpdated
    status: "True"
    type: Progressing
  observedGeneration: 58
  readyReplicas: 1
  replicas: 4
  unavailableReplicas: 3
  updatedReplicas: 3

$ kubectl -n finance exec ledger-api-5d6f8b7c49-qz2wm -- ls -ln /etc/ledger/tls/..data/
total 8
-r-------- 1 0 0 1318 Nov 19 06:58 tls.crt
-r-------- 1 0 0 1704 Nov 19 06:58 tls.key

$ helm -n finance history ledger-api | tail -3
REVISION  UPDATED                   STATUS      CHART             APP VERSION  DESCRIPTION
30        Tue Nov 10 14:21:07 2026  superseded  ledger-api-4.1.3  4.1.3        Upgrade complete
31        Thu Nov 19 08:12:33 2026  deployed    ledger-api-4.2.0  4.2.0        Upgrade complete
"""


def bundle() -> Bundle:
    rng = random.Random(34701)
    total = (NOW - START).total_seconds() / 60

    # the crash-looping container's last run, with kubectl logs --previous --timestamps
    previous = LogFile("kubectl-logs-ledger-api-previous.txt", KubectlTimestamps())
    crash = START.replace(hour=9, minute=1)
    previous.add(
        [
            at(
                crash,
                0.0,
                "INFO",
                '{"level":"info","ts":1795078860.112,"caller":"cmd/main.go:61","msg":"ledger-api 4.2.0 starting","uid":10001,"gid":10001}',
            ),
            at(
                crash,
                0.01,
                "INFO",
                '{"level":"info","ts":1795078860.129,"caller":"config/load.go:88","msg":"config loaded","listen":":8443","db_pool_max":20}',
            ),
            at(
                crash,
                0.02,
                "INFO",
                '{"level":"warn","ts":1795078860.214,"caller":"store/pg.go:140","msg":"slow query on startup migration check","table":"journal_entries","elapsed_ms":1412}',
            ),
            at(
                crash,
                0.03,
                "INFO",
                '{"level":"fatal","ts":1795078860.233,"caller":"server/tls.go:37","msg":"failed to load TLS key pair","error":"open /etc/ledger/tls/tls.key: permission denied"}',
            ),
        ]
    )

    old = LogFile("logs/ledger-api-5d6f8b7c49-qz2wm.log", JsonLines("ledger-api", rng=rng))
    old.add(
        traffic(rng, web_api("ledger-api", ["journal", "accounts", "postings"]), START, total, 2600)
    )
    old.add(
        [
            at(
                START,
                51.0,
                "WARN",
                "in-flight requests 188 above soft limit 150; shedding with 503 (replicas ready: 1)",
            )
        ]
    )
    old.add(
        loud(
            rng,
            START,
            52,
            total - 52,
            160,
            fixed(
                "WARN",
                lambda r: (
                    f"POST /api/v1/postings 503 {r.randrange(1, 4)}ms client=10.244.{r.randrange(1, 6)}.{r.randrange(2, 250)} reason=overloaded"
                ),
            ),
        )
    )

    gateway = LogFile(
        "logs/payments-gateway.log",
        SpringBoot(
            (
                "c.n.p.gateway.LedgerClient",
                "c.n.p.gateway.PaymentController",
                "c.n.p.gateway.FxRatesClient",
                "o.s.w.s.DispatcherServlet",
            ),
            rng=rng,
            zone=BERLIN,
        ),
    )
    gateway.add(
        traffic(
            rng, web_api("payments-gateway", ["payments", "refunds", "payouts"]), START, total, 3300
        )
    )
    gateway.add(
        [
            at(
                START,
                23.4,
                "WARN",
                "fx-rates call failed (HTTP 502), served cached EUR/GBP rate from 06:00, retrying in 30s",
                logger="c.n.p.gateway.FxRatesClient",
            )
        ]
    )
    gateway.add(
        loud(
            rng,
            START,
            47,
            total - 47,
            420,
            fixed(
                "ERROR",
                lambda r: (
                    f"ledger posting failed for payment pay_{r.getrandbits(40):010x}: 503 Service Unavailable from https://ledger-api.finance.svc:8443/api/v1/postings"
                ),
                None,
            ),
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            49,
            total - 49,
            140,
            fixed(
                "ERROR",
                lambda r: (
                    f"ledger posting timed out after 5000ms for payment pay_{r.getrandbits(40):010x}; payment left in PENDING_LEDGER"
                ),
                None,
            ),
        )
    )

    describe = describe_pod(
        Pod(
            name="ledger-api-7c9b5d84f6-m4xkp",
            namespace="finance",
            node=NODES[2],
            app="ledger-api",
            service_account="ledger-api",
            status="Running",
            ip="10.244.3.61",
            start_time="Thu, 19 Nov 2026 08:12:41 +0000",
            conditions={
                "Initialized": "True",
                "Ready": "False",
                "ContainersReady": "False",
                "PodScheduled": "True",
            },
            containers=[
                Container(
                    name="ledger-api",
                    image="ledgeracr.azurecr.io/finance/ledger-api:4.2.0",
                    state=["Waiting", "  Reason:       CrashLoopBackOff"],
                    last_state=[
                        "Terminated",
                        "  Reason:       Error",
                        "  Exit Code:    1",
                        "  Started:      Thu, 19 Nov 2026 09:01:00 +0000",
                        "  Finished:     Thu, 19 Nov 2026 09:01:00 +0000",
                    ],
                    ready=False,
                    restarts=14,
                    limits={"memory": "512Mi"},
                    requests={"cpu": "250m", "memory": "256Mi"},
                    probes=[
                        "Readiness:  http-get https://:8443/readyz delay=0s timeout=1s period=10s #success=1 #failure=3"
                    ],
                    environment=[
                        "LEDGER_TLS_CERT:  /etc/ledger/tls/tls.crt",
                        "LEDGER_TLS_KEY:   /etc/ledger/tls/tls.key",
                        "LEDGER_DB_DSN:    <set to the key 'dsn' in secret 'ledger-db'>  Optional: false",
                    ],
                    port="8443/TCP",
                )
            ],
            volumes=[
                "  tls:",
                "    Type:        Secret (a volume populated by a Secret)",
                "    SecretName:  ledger-api-tls",
                "    Optional:    false",
            ],
            events=[
                (
                    "Normal",
                    "Scheduled",
                    "48m",
                    "default-scheduler",
                    f"Successfully assigned finance/ledger-api-7c9b5d84f6-m4xkp to {NODES[2]}",
                ),
                (
                    "Normal",
                    "Pulled",
                    "48m",
                    "kubelet",
                    'Successfully pulled image "ledgeracr.azurecr.io/finance/ledger-api:4.2.0" in 3.204s (3.204s including waiting)',
                ),
                (
                    "Normal",
                    "Pulled",
                    "47m (x4 over 48m)",
                    "kubelet",
                    'Container image "ledgeracr.azurecr.io/finance/ledger-api:4.2.0" already present on machine',
                ),
                (
                    "Normal",
                    "Created",
                    "47m (x5 over 48m)",
                    "kubelet",
                    "Created container ledger-api",
                ),
                (
                    "Normal",
                    "Started",
                    "47m (x5 over 48m)",
                    "kubelet",
                    "Started container ledger-api",
                ),
                (
                    "Warning",
                    "BackOff",
                    "3m (x221 over 48m)",
                    "kubelet",
                    "Back-off restarting failed container ledger-api in pod ledger-api-7c9b5d84f6-m4xkp_finance(5e0b7a41-9c2d-4f63-8b1e-d07c3a9f2e45)",
                ),
            ],
        ),
        rng,
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["payments-gateway", "fx-rates", "statement-worker"], 20, NODES, namespace="finance"
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger-api",
                "Scaled up replica set ledger-api-7c9b5d84f6 to 1",
            ),
        ),
        (
            ago(ROLLOUT + 0.4),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger-api",
                "Scaled down replica set ledger-api-5d6f8b7c49 to 3 from 4",
            ),
        ),
        (
            ago(ROLLOUT + 0.5),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger-api",
                "Scaled up replica set ledger-api-7c9b5d84f6 to 2 from 1",
            ),
        ),
        (
            ago(ROLLOUT + 0.6),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger-api",
                "Scaled down replica set ledger-api-5d6f8b7c49 to 1 from 3",
            ),
        ),
        (
            ago(ROLLOUT + 0.7),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/ledger-api",
                "Scaled up replica set ledger-api-7c9b5d84f6 to 3 from 2",
            ),
        ),
        (
            ago(ROLLOUT + 6),
            (
                "Warning",
                "BackOff",
                "pod/ledger-api-7c9b5d84f6-m4xkp",
                "Back-off restarting failed container ledger-api in pod ledger-api-7c9b5d84f6-m4xkp_finance(5e0b7a41-9c2d-4f63-8b1e-d07c3a9f2e45)",
            ),
        ),
        (
            ago(ROLLOUT + 6.2),
            (
                "Warning",
                "BackOff",
                "pod/ledger-api-7c9b5d84f6-2hv8d",
                "Back-off restarting failed container ledger-api in pod ledger-api-7c9b5d84f6-2hv8d_finance(a1c4e6f8-3b57-49d2-8e0f-61b9d7c2a4e3)",
            ),
        ),
        (
            ago(ROLLOUT + 6.5),
            (
                "Warning",
                "BackOff",
                "pod/ledger-api-7c9b5d84f6-x9t7s",
                "Back-off restarting failed container ledger-api in pod ledger-api-7c9b5d84f6-x9t7s_finance(0f2d4b6a-8c1e-4a39-b7d5-e3f1a9c8b260)",
            ),
        ),
        (
            ago(30),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/statement-worker",
                "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    return Bundle(
        question="Payments have been stuck in PENDING_LEDGER since a little after 09:15 Berlin time and the gateway logs 503s and timeouts from the ledger. What is the root cause?",
        category="permission",
        component="ledger-api",
        statement="ledger-api's chart 4.2.0 (08:12 UTC) runs the container as non-root user 10001 but mounts the TLS Secret with defaultMode 0400 (256) and no fsGroup, so the root-owned key is unreadable; new pods exit with `open /etc/ledger/tls/tls.key: permission denied` and crash-loop while the rollout leaves a single old pod serving, which sheds load with 503s.",
        files={
            "kubectl-describe-pod.txt": describe,
            "kubectl-get-deploy-ledger-api.txt": DEPLOY_YAML,
            "kubectl-logs-ledger-api-previous.txt": previous.render(),
            "kubectl-get-events.txt": events,
            "logs/ledger-api-5d6f8b7c49-qz2wm.log": old.render(),
            "logs/payments-gateway.log": gateway.render(),
        },
        proofs=[
            Proof(
                "kubectl-logs-ledger-api-previous.txt",
                "open /etc/ledger/tls/tls.key: permission denied",
            ),
            Proof("kubectl-get-deploy-ledger-api.txt", "runAsUser: 10001"),
            Proof("kubectl-get-deploy-ledger-api.txt", "defaultMode: 256"),
            Proof("kubectl-get-deploy-ledger-api.txt", "-r-------- 1 0 0 1704"),
        ],
        decoys=[
            "slow query on startup migration check",
            "failed to get cpu utilization: unable to get metrics for resource cpu",
            "fx-rates call failed (HTTP 502)",
        ],
    )
