# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: a GitOps change merged at 18:02 UTC added `replicas: 2` to the search-frontend
Deployment manifest that Argo CD syncs with self-heal on. The HorizontalPodAutoscaler keeps
scaling the Deployment to 10-12 replicas for the evening peak, and every few minutes Argo CD
sees the live replica count drift from git and syncs it back to 2, killing the new pods. The
two survivors saturate and ingress-nginx answers 503/504. Decoys: cluster-autoscaler adding a
node, an Elasticsearch slow-search warning in the app, and a PodDisruptionBudget warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 2, 6, 17, 50, tzinfo=UTC)
NOW = datetime(2026, 2, 6, 18, 46, tzinfo=UTC)
NODES = [
    "aks-user-23518874-vmss000002",
    "aks-user-23518874-vmss000005",
    "aks-user-23518874-vmss000009",
    "aks-user-23518874-vmss00000b",
]
DEPLOY = """$ kubectl -n search get deployment search-frontend -o yaml --show-managed-fields
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    argocd.argoproj.io/tracking-id: search-frontend:apps/Deployment:search/search-frontend
    deployment.kubernetes.io/revision: "41"
  creationTimestamp: "2025-03-02T11:40:19Z"
  generation: 1187
  labels:
    app.kubernetes.io/instance: search-frontend
    app.kubernetes.io/name: search-frontend
  managedFields:
  - apiVersion: apps/v1
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata:
        f:annotations:
          f:argocd.argoproj.io/tracking-id: {}
        f:labels:
          f:app.kubernetes.io/instance: {}
          f:app.kubernetes.io/name: {}
      f:spec:
        f:replicas: {}
        f:selector: {}
        f:template:
          f:metadata:
            f:labels:
              f:app.kubernetes.io/name: {}
          f:spec:
            f:containers:
              k:{"name":"search-frontend"}:
                .: {}
                f:image: {}
                f:name: {}
                f:ports: {}
                f:resources: {}
    manager: argocd-controller
    operation: Apply
    time: "2026-02-06T18:44:51Z"
  - apiVersion: autoscaling/v2
    fieldsType: FieldsV1
    fieldsV1:
      f:spec:
        f:replicas: {}
    manager: kube-controller-manager
    operation: Update
    subresource: scale
    time: "2026-02-06T18:43:20Z"
  name: search-frontend
  namespace: search
  resourceVersion: "177209314"
  uid: 9e41c7a2-0d3b-4a6f-8b15-f2c8e7d91a40
spec:
  progressDeadlineSeconds: 600
  replicas: 2
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app.kubernetes.io/name: search-frontend
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 25%
    type: RollingUpdate
  template:
    metadata:
      labels:
        app.kubernetes.io/name: search-frontend
    spec:
      containers:
      - image: acrsearchprod.azurecr.io/search-frontend:2026.02.05-1
        name: search-frontend
        ports:
        - containerPort: 8080
          protocol: TCP
        resources:
          limits:
            memory: 768Mi
          requests:
            cpu: 500m
            memory: 512Mi
status:
  availableReplicas: 2
  observedGeneration: 1187
  readyReplicas: 2
  replicas: 2
  updatedReplicas: 2
"""
HPA = """$ kubectl -n search describe hpa search-frontend
Name:                                                  search-frontend
Namespace:                                             search
Labels:                                                app.kubernetes.io/instance=search-frontend
Annotations:                                           <none>
CreationTimestamp:                                     Mon, 14 Apr 2025 08:12:40 +0000
Reference:                                             Deployment/search-frontend
Metrics:                                               ( current / target )
  resource cpu on pods  (as a percentage of request):  231% (1156m) / 65%
Min replicas:                                          3
Max replicas:                                          14
Deployment pods:                                       2 current / 12 desired
Conditions:
  Type            Status  Reason            Message
  ----            ------  ------            -------
  AbleToScale     True    SucceededRescale  the HPA controller was able to update the target scale to 12
  ScalingActive   True    ValidMetricFound  the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)
  ScalingLimited  False   DesiredWithinRange  the desired count is within the acceptable range
Events:
  Type    Reason             Age                 From                       Message
  ----    ------             ----                ----                       -------
  Normal  SuccessfulRescale  38m                 horizontal-pod-autoscaler  New size: 6; reason: cpu resource utilization (percentage of request) above target
  Normal  SuccessfulRescale  2m53s (x13 over 35m)  horizontal-pod-autoscaler  New size: 12; reason: cpu resource utilization (percentage of request) above target
  Normal  SuccessfulRescale  26s (x14 over 41m)  horizontal-pod-autoscaler  New size: 3; reason: Current number of replicas below Spec.MinReplicas
"""


@dataclass
class Logrus:
    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%SZ")
        msg, _, fields = record.message.partition("| ")
        return [
            f'time="{stamp}" level={record.level.lower().replace("warn", "warning")} msg="{msg}" {fields}'.rstrip()
        ]


@dataclass
class Raw:
    def render(self, record: Record) -> list[str]:
        return [record.message]


def argo_line(rng: random.Random) -> Line:
    app = rng.choice(["search-indexer", "search-api", "suggest", "search-frontend"])
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"Reconciliation completed| application=argocd/{app} comparison-level=1 dedup_ms=0 diff_ms={rng.randrange(0, 9)} git_ms={rng.randrange(0, 40)} health_ms={rng.randrange(0, 4)} live_ms={rng.randrange(0, 6)} patch_ms=0 setop_ms=0 settings_ms=0 sync_ms=0 time_ms={rng.randrange(20, 160)}",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"Refreshing app status (normal refresh requested), level (1)| application=argocd/{app}",
            (),
        )
    return (
        "INFO",
        f"Comparing app state (cluster: https://kubernetes.default.svc, namespace: search)| application=argocd/{app}",
        (),
    )


def nginx_line(rng: random.Random) -> Line:
    q = rng.choice(["boots", "rain+jacket", "tent", "headlamp", "gloves", "trail+shoes", "stove"])
    t = rng.lognormvariate(0, 0.4) * 0.09
    return (
        "INFO",
        f'10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)} - - [{{}}] "GET /search?q={q}&page={rng.randrange(1, 4)} HTTP/2.0" 200 {rng.randrange(9000, 40000)} "-" "Mozilla/5.0" {rng.randrange(60, 300)} {t:.3f} [search-search-frontend-8080] [] 10.244.{rng.randrange(0, 12)}.{rng.randrange(2, 250)}:8080 {rng.randrange(9000, 40000)} {t:.3f} 200 {rng.getrandbits(128):032x}',
        (),
    )


def nginx_error(rng: random.Random) -> Line:
    q = rng.choice(["boots", "rain+jacket", "tent", "headlamp", "gloves"])
    status, t = rng.choice([(503, 0.0), (504, 10.001), (504, 10.002)])
    up = "-" if status == 503 else f"10.244.{rng.randrange(0, 12)}.{rng.randrange(2, 250)}:8080"
    return (
        "ERROR",
        f'10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)} - - [{{}}] "GET /search?q={q}&page=1 HTTP/2.0" {status} {rng.choice([190, 592])} "-" "Mozilla/5.0" {rng.randrange(60, 300)} {t:.3f} [search-search-frontend-8080] [] {up} 0 {t:.3f} {status} {rng.getrandbits(128):032x}',
        (),
    )


@dataclass
class NginxStamp:
    def render(self, record: Record) -> list[str]:
        return [record.message.replace("{}", record.time.strftime("%d/%b/%Y:%H:%M:%S +0000"), 1)]


def bundle() -> Bundle:
    rng = random.Random(373_1458)
    argo = LogFile("argocd", Logrus())
    argo.add(traffic(rng, argo_line, START, 56, 1500))
    argo.add(
        [
            at(
                START,
                12.3,
                "INFO",
                'Reconciliation completed| application=argocd/search-frontend comparison-level=3 git_ms=412 time_ms=611 revision=7c2e19f4 message="Merge pull request #1884 from team-search/tune-frontend-resources"',
            )
        ]
    )
    for k in range(13):
        m = 15.8 + k * 2.9
        argo.add(
            [
                at(
                    START,
                    m,
                    "INFO",
                    "Comparing app state (cluster: https://kubernetes.default.svc, namespace: search)| application=argocd/search-frontend",
                ),
                at(
                    START,
                    m + 0.01,
                    "INFO",
                    "Initiated automated sync to '7c2e19f4'| application=argocd/search-frontend dest-namespace=search dest-server=https://kubernetes.default.svc reason=OutOfSync type=Normal",
                ),
                at(
                    START,
                    m + 0.02,
                    "INFO",
                    f"Applying resource Deployment/search-frontend in cluster: https://kubernetes.default.svc, namespace: search| application=argocd/search-frontend syncId=00{k + 41}-{rng.choice('AbCdEfGh')}{rng.choice('kLmNpQ')}x{rng.randrange(10)}",
                ),
                at(
                    START,
                    m + 0.03,
                    "INFO",
                    "Updating operation state. phase: Running -> Succeeded, message: successfully synced (all tasks run)| application=argocd/search-frontend",
                ),
            ]
        )
    argo.add(
        [
            at(
                START,
                16.0,
                "INFO",
                "Partial sync operation to 7c2e19f4 succeeded| application=argocd/search-frontend dest-namespace=search",
            )
        ]
    )
    argo.add(
        [
            at(
                START,
                15.81,
                "INFO",
                "apps/Deployment search/search-frontend: spec.replicas live=6 desired=2| application=argocd/search-frontend diff=modified",
            )
        ]
    )
    nginx = LogFile("nginx", NginxStamp())
    nginx.add(traffic(rng, nginx_line, START, 56, 4200))
    nginx.add(loud(rng, START, 18.5, 37, 900, nginx_error))
    app = LogFile("app", Raw())
    app.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'{{"level":"INFO","logger":"search.web","msg":"rendered results","q_len":{r.randrange(3, 20)},"hits":{r.randrange(0, 900)},"es_ms":{r.randrange(8, 90)},"render_ms":{r.randrange(20, 140)}}}',
                (),
            ),
            START,
            56,
            2400,
        )
    )
    app.add(
        [
            at(
                START,
                9.6,
                "WARN",
                '{"level":"WARNING","logger":"search.es","msg":"slow search: took 2311ms on index products-v31 (shards 6/6)"}',
            )
        ]
    )
    routine = routine_events(
        rng, ["search-api", "suggest", "search-indexer"], 20, NODES, namespace="search"
    )
    signal: list = []
    for k in range(13):
        ago = int((NOW - (START + timedelta(minutes=15.8 + k * 2.9))).total_seconds())
        n = rng.choice([10, 11, 12])
        signal += [
            (
                ago + 70,
                (
                    "Normal",
                    "ScalingReplicaSet",
                    "deployment/search-frontend",
                    f"Scaled up replica set search-frontend-6c8f7d9b5 to {n} from 3",
                ),
            ),
            (
                ago,
                (
                    "Normal",
                    "ScalingReplicaSet",
                    "deployment/search-frontend",
                    f"Scaled down replica set search-frontend-6c8f7d9b5 to 2 from {n}",
                ),
            ),
            (
                ago - 25,
                (
                    "Normal",
                    "ScalingReplicaSet",
                    "deployment/search-frontend",
                    "Scaled up replica set search-frontend-6c8f7d9b5 to 3 from 2",
                ),
            ),
        ]
    signal += [
        (
            1900,
            (
                "Normal",
                "TriggeredScaleUp",
                "pod/search-frontend-6c8f7d9b5-7wq2k",
                "pod triggered scale-up: [{aks-user-23518874-vmss 4->5 (max: 8)}]",
            ),
        ),
        (
            2600,
            (
                "Warning",
                "CalculateExpectedPodCountFailed",
                "poddisruptionbudget/search-indexer",
                'Failed to calculate the number of expected pods: found no controllers for pod "search-indexer-migrate-x8k2p"',
            ),
        ),
    ]
    files = {
        "kubectl-get-deployment-search-frontend.yaml.txt": DEPLOY,
        "kubectl-describe-hpa.txt": HPA,
        "kubectl-get-events.txt": "$ kubectl -n search get events --sort-by=.lastTimestamp\n"
        + event_listing(routine, signal),
        "argocd-application-controller.log": argo.render(),
        "ingress-nginx-access.log": nginx.render(),
        "kubectl-logs-search-frontend.txt": "$ kubectl -n search logs deploy/search-frontend --since=1h\n"
        + app.render(),
    }
    return Bundle(
        question="Search has been throwing 503s and 504s since about 18:08 UTC during the evening peak even though the HPA says it wants 12 replicas. Why is search-frontend not scaling?",
        category="configuration",
        component="search-frontend",
        statement="A GitOps change synced at 18:02 UTC put `replicas: 2` into the search-frontend Deployment manifest; Argo CD with self-heal keeps applying it, so every few minutes it scales the Deployment back to 2 after the HPA raised it to 10-12, and the two remaining pods are overloaded.",
        files=files,
        proofs=[
            Proof(
                "kubectl-get-deployment-search-frontend.yaml.txt",
                "progressDeadlineSeconds: 600",
                "  replicas: 2",
            ),
            Proof("argocd-application-controller.log", "spec.replicas live=6 desired=2"),
        ],
        decoys=[
            "pod triggered scale-up",
            "slow search: took 2311ms",
            "CalculateExpectedPodCountFailed",
        ],
    )
