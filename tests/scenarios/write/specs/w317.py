# ruff: noqa: E501
# kubectl output, resolv.conf lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: invoice-api 4.2.0 (rolled out 13:12 UTC) was built from a chart that copied a
batch job's pod template, and it carries `dnsPolicy: Default`. The pods get the node's
resolv.conf (the VPC resolver, no cluster search domains), so every `*.svc.cluster.local` name
fails with "Name or service not known": the database and Redis are unreachable, invoice
downloads fail at the gateway. Decoys: a CoreDNS pod restarted on an unrelated node drain, an
SMTP relay certificate warning, and a slow PDF render warning."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import NginxAccess, PythonLogging
from scenes import at, fixed, loud, python_traceback
from traffic import http_access, traffic, web_api

START = datetime(2026, 10, 14, 12, 20, tzinfo=UTC)
NOW = datetime(2026, 10, 14, 13, 55, tzinfo=UTC)
RELEASE = 52.0  # 13:12
NODES = [
    "aks-system-31820475-vmss000004",
    "aks-apps-31820475-vmss00000a",
    "aks-apps-31820475-vmss00000c",
]
POD = "invoice-api-7b9c5d8f64-q2m7z"

POD_YAML = f"""apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: "2026-10-14T13:12:19Z"
  generateName: invoice-api-7b9c5d8f64-
  labels:
    app.kubernetes.io/instance: invoice-api
    app.kubernetes.io/name: invoice-api
    app.kubernetes.io/version: 4.2.0
    pod-template-hash: 7b9c5d8f64
  name: {POD}
  namespace: billing
  ownerReferences:
  - apiVersion: apps/v1
    blockOwnerDeletion: true
    controller: true
    kind: ReplicaSet
    name: invoice-api-7b9c5d8f64
    uid: 5d0c3e7a-81f2-4b6e-9a1d-2c7f0e4b9a63
  resourceVersion: "48213377"
  uid: 0f6a2b9e-3c71-4d58-b0e4-7a19c62d85f1
spec:
  containers:
  - env:
    - name: DATABASE_HOST
      value: pg-billing.billing.svc.cluster.local
    - name: REDIS_URL
      value: redis://redis-billing.billing.svc.cluster.local:6379/0
    - name: PDF_RENDERER_URL
      value: http://pdf-renderer.billing.svc.cluster.local:8080
    - name: GUNICORN_WORKERS
      value: "4"
    image: acrbillingprod.azurecr.io/billing/invoice-api:4.2.0
    imagePullPolicy: IfNotPresent
    name: invoice-api
    ports:
    - containerPort: 8000
      name: http
      protocol: TCP
    readinessProbe:
      failureThreshold: 3
      httpGet:
        path: /healthz
        port: http
        scheme: HTTP
      periodSeconds: 10
      successThreshold: 1
      timeoutSeconds: 2
    resources:
      limits:
        memory: 768Mi
      requests:
        cpu: 250m
        memory: 512Mi
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
    volumeMounts:
    - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
      name: kube-api-access-x8k2d
      readOnly: true
  dnsPolicy: Default
  enableServiceLinks: true
  nodeName: aks-apps-31820475-vmss00000c
  preemptionPolicy: PreemptLowerPriority
  priority: 0
  restartPolicy: Always
  schedulerName: default-scheduler
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
  serviceAccount: invoice-api
  serviceAccountName: invoice-api
  terminationGracePeriodSeconds: 30
  volumes:
  - name: kube-api-access-x8k2d
    projected:
      defaultMode: 420
      sources:
      - serviceAccountToken:
          expirationSeconds: 3607
          path: token
status:
  conditions:
  - lastProbeTime: null
    lastTransitionTime: "2026-10-14T13:12:19Z"
    status: "True"
    type: Initialized
  - lastProbeTime: null
    lastTransitionTime: "2026-10-14T13:12:31Z"
    status: "True"
    type: Ready
  containerStatuses:
  - image: acrbillingprod.azurecr.io/billing/invoice-api:4.2.0
    name: invoice-api
    ready: true
    restartCount: 0
    started: true
    state:
      running:
        startedAt: "2026-10-14T13:12:24Z"
  hostIP: 10.224.0.61
  phase: Running
  podIP: 10.244.3.118
  qosClass: Burstable
  startTime: "2026-10-14T13:12:19Z"
"""

NOTES = """on-call scratch, billing, 14 Oct

$ kubectl -n billing get pods -l app.kubernetes.io/name=invoice-api -o wide
NAME                           READY   STATUS    RESTARTS   AGE   IP             NODE                            NOMINATED NODE   READINESS GATES
invoice-api-7b9c5d8f64-q2m7z   1/1     Running   0          42m   10.244.3.118   aks-apps-31820475-vmss00000c    <none>           <none>
invoice-api-7b9c5d8f64-w8ncl   1/1     Running   0          42m   10.244.2.47    aks-apps-31820475-vmss00000a    <none>           <none>
invoice-api-7b9c5d8f64-zt4hx   1/1     Running   0          41m   10.244.3.201   aks-apps-31820475-vmss00000c    <none>           <none>

$ kubectl -n kube-system get pods -l k8s-app=kube-dns
NAME                       READY   STATUS    RESTARTS   AGE
coredns-6f7d9c8b5d-4lfxk   1/1     Running   0          6d2h
coredns-6f7d9c8b5d-mv9sd   1/1     Running   1          71m

$ kubectl -n billing exec invoice-api-7b9c5d8f64-q2m7z -- cat /etc/resolv.conf
nameserver 168.63.129.16
search 3xq0vnyd1ktuzbkd2wpr0cm1ne.ax.internal.cloudapp.net

$ kubectl -n billing exec pdf-renderer-5c8d7f9b6-hk2vq -- cat /etc/resolv.conf
search billing.svc.cluster.local svc.cluster.local cluster.local 3xq0vnyd1ktuzbkd2wpr0cm1ne.ax.internal.cloudapp.net
nameserver 10.0.0.10
options ndots:5

$ kubectl -n billing get svc pg-billing redis-billing
NAME            TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)    AGE
pg-billing      ClusterIP   10.0.148.33    <none>        5432/TCP   211d
redis-billing   ClusterIP   10.0.92.170    <none>        6379/TCP   211d
"""


def bundle() -> Bundle:
    rng = random.Random(3170)
    total = (NOW - START).total_seconds() / 60
    app = LogFile(
        "logs/invoice-api.log",
        PythonLogging(
            ("invoice_api.views", "invoice_api.db", "gunicorn.access", "invoice_api.tasks"), rng=rng
        ),
    )
    app.add(
        traffic(
            rng,
            web_api("invoice-api", ["invoices", "credit-notes", "statements"]),
            START,
            RELEASE,
            1900,
        )
    )
    app.add(
        traffic(
            rng,
            web_api("invoice-api", ["statements"]),
            START + (NOW - START) * 0.6,
            total * 0.4,
            260,
        )
    )
    app.add(
        [
            at(
                START,
                21.4,
                "WARN",
                "smtp relay mail.billing-relay.net certificate expires in 19 days (notAfter=2026-11-02)",
                logger="invoice_api.mail",
            ),
            at(
                START,
                33.8,
                "WARN",
                "pdf render for invoice INV-2026-0418832 took 4.81s (threshold 3s)",
                logger="invoice_api.pdf",
            ),
            at(
                START,
                RELEASE + 0.2,
                "INFO",
                "Starting gunicorn 22.0.0 (invoice-api 4.2.0, 4 workers)",
                logger="gunicorn.error",
            ),
            at(
                START,
                RELEASE + 0.25,
                "INFO",
                "config loaded: DATABASE_HOST=pg-billing.billing.svc.cluster.local REDIS_URL=redis://redis-billing.billing.svc.cluster.local:6379/0",
                logger="invoice_api.settings",
            ),
            at(
                START,
                RELEASE + 0.6,
                "ERROR",
                "database pool warm-up failed, will retry lazily",
                python_traceback(
                    [
                        (
                            "/app/invoice_api/db.py",
                            58,
                            "warm_up",
                            "conn = psycopg.connect(self.dsn, connect_timeout=3)",
                        ),
                        (
                            "/usr/local/lib/python3.12/site-packages/psycopg/connection.py",
                            119,
                            "connect",
                            "raise last_ex.with_traceback(None)",
                        ),
                    ],
                    "psycopg.OperationalError: failed to resolve host 'pg-billing.billing.svc.cluster.local': [Errno -2] Name or service not known",
                ),
                logger="invoice_api.db",
            ),
        ]
    )
    app.add(
        loud(
            rng,
            START,
            RELEASE + 1,
            total - RELEASE - 1,
            900,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        f"GET /api/v1/invoices/{r.randrange(10**6)}/pdf 500: psycopg.OperationalError: failed to resolve host 'pg-billing.billing.svc.cluster.local': [Errno -2] Name or service not known",
                        f"cache lookup failed for statement:{r.randrange(10**5)}: Error -2 connecting to redis-billing.billing.svc.cluster.local:6379. Name or service not known.",
                        f"POST /api/v1/credit-notes 500 after {r.randrange(3000, 3100)}ms: database unavailable",
                    ]
                ),
            ),
        )
    )
    gw = LogFile("logs/gateway-access.log", NginxAccess(rng=rng))
    gw.add(
        traffic(
            rng,
            http_access(
                [
                    "/api/v1/invoices/{id}",
                    "/api/v1/invoices/{id}/pdf",
                    "/api/v1/statements/{id}",
                    "/static/app.js",
                ]
            ),
            START,
            total,
            3600,
        )
    )
    gw.add(
        loud(
            rng,
            START,
            RELEASE + 1,
            total - RELEASE - 1,
            1100,
            fixed(
                "ERROR",
                lambda r: (
                    f'"GET /api/v1/invoices/{r.randrange(10**6)}/pdf HTTP/1.1" 500 {r.randrange(60, 200)} "-" "Mozilla/5.0 (X11; Linux x86_64)" {r.randrange(3000, 3200) / 1000:.3f}'
                ),
            ),
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["pdf-renderer", "statement-worker", "invoice-api"], 20, NODES, namespace="billing"
    )
    signal = [
        (
            ago(RELEASE - 0.2),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-api",
                "Scaled up replica set invoice-api-7b9c5d8f64 to 1",
            ),
        ),
        (
            ago(RELEASE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-api",
                "Scaled down replica set invoice-api-6d48f7c9b5 to 0 from 3",
            ),
        ),
        (ago(RELEASE - 0.1), ("Normal", "Started", f"pod/{POD}", "Started container invoice-api")),
        (
            ago(24.0),
            ("Normal", "Killing", "pod/coredns-6f7d9c8b5d-j7p2w", "Stopping container coredns"),
        ),
        (
            ago(23.5),
            (
                "Warning",
                "Unhealthy",
                "pod/coredns-6f7d9c8b5d-mv9sd",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    return Bundle(
        question="Invoice PDF downloads have been failing with 500s since about 13:15 UTC. What is the root cause?",
        category="dns",
        component="invoice-api",
        statement="The invoice-api 4.2.0 pods run with dnsPolicy: Default, so they use the node's resolv.conf (Azure resolver, no cluster search domains) and cannot resolve pg-billing and redis-billing's cluster.local names.",
        files={
            "logs/invoice-api.log": app.render(),
            "logs/gateway-access.log": gw.render(),
            "kubectl-get-pod-invoice-api.yaml": POD_YAML,
            "kubectl-get-events-billing.txt": events,
            "notes.txt": NOTES,
        },
        proofs=[
            Proof("kubectl-get-pod-invoice-api.yaml", "dnsPolicy: Default"),
            Proof("notes.txt", "nameserver 168.63.129.16"),
            Proof(
                "logs/invoice-api.log",
                "database pool warm-up failed",
                "psycopg.OperationalError: failed to resolve host",
            ),
        ],
        decoys=[
            "certificate expires in 19 days",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
            "took 4.81s (threshold 3s)",
        ],
    )
