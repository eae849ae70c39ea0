# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (Rancher RKE2, Europe/Paris): the policy engine admission-guard's mutating webhook
uses `failurePolicy: Fail` and its namespaceSelector only excludes kube-system, so it also
intercepts pods of its own namespace policy-system. The nightly patch run drained node rke2-w03
at 02:11 UTC, where both admission-guard replicas ran (no PodDisruptionBudget, no spread); their
ReplicaSet cannot create replacements because the webhook it needs has no endpoints, and from
then on no pod can be created anywhere. In the morning the HPA scales booking-api but no new pod
appears; bookings time out at the 08:30 peak. Decoys: an HPA metrics warning for the notifier, a PostgreSQL checkpoint warning, a cache warm-up warning in booking-api."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing
from records import JsonLines, Postgres
from scenes import at, loud
from traffic import database_server, traffic, web_api

CET = timezone(timedelta(hours=1))
START = datetime(2026, 2, 24, 1, 50, tzinfo=UTC)
NOW = datetime(2026, 2, 24, 8, 5, tzinfo=UTC)
DRAIN = 21.0  # 02:11 UTC
PEAK = 340.0  # 08:30 local = 07:30 UTC
WEBHOOK_ERR = 'Internal error occurred: failed calling webhook "mutate.admission-guard.io": failed to call webhook: Post "https://admission-guard-svc.policy-system.svc:443/mutate?timeout=10s": no endpoints available for service "admission-guard-svc"'


def webhook() -> str:
    return f"""$ kubectl get mutatingwebhookconfiguration admission-guard -o yaml | sed -n '/webhooks:/,$p'
webhooks:
- admissionReviewVersions:
  - v1
  clientConfig:
    service:
      name: admission-guard-svc
      namespace: policy-system
      path: /mutate
      port: 443
  failurePolicy: Fail
  matchPolicy: Equivalent
  name: mutate.admission-guard.io
  namespaceSelector:
    matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values:
      - kube-system
  rules:
  - apiGroups:
    - ""
    apiVersions:
    - v1
    operations:
    - CREATE
    resources:
    - pods
  sideEffects: None
  timeoutSeconds: 10

$ kubectl -n policy-system get deploy,rs,endpoints
NAME                              READY   UP-TO-DATE   AVAILABLE   AGE
deployment.apps/admission-guard   0/2     0            0           418d

NAME                                         DESIRED   CURRENT   READY   AGE
replicaset.apps/admission-guard-5f7c9b8d6c   2         0         0       37d

NAME                            ENDPOINTS   AGE
endpoints/admission-guard-svc   <none>      418d

$ kubectl -n policy-system describe rs admission-guard-5f7c9b8d6c | tail -4
Events:
  Type     Reason        Age                    From                   Message
  ----     ------        ----                   ----                   -------
  Warning  FailedCreate  3m (x91 over 5h52m)    replicaset-controller  Error creating: {WEBHOOK_ERR}
"""


def drain() -> str:
    return """# patch-runner, 24 Feb 02:11:04 UTC, node rke2-w03
$ kubectl drain rke2-w03 --ignore-daemonsets --delete-emptydir-data --timeout=300s
node/rke2-w03 cordoned
Warning: ignoring DaemonSet-managed Pods: kube-system/rke2-canal-7xk2p, monitoring/node-exporter-r5v8d
evicting pod policy-system/admission-guard-5f7c9b8d6c-wq8hx
evicting pod policy-system/admission-guard-5f7c9b8d6c-n2c4j
evicting pod booking/booking-api-7c6d9f5b8-tt4lm
evicting pod booking/search-cache-0
pod/booking-api-7c6d9f5b8-tt4lm evicted
pod/admission-guard-5f7c9b8d6c-n2c4j evicted
pod/admission-guard-5f7c9b8d6c-wq8hx evicted
pod/search-cache-0 evicted
node/rke2-w03 drained
# rebooting rke2-w03 for kernel 6.8.0-101
$ kubectl uncordon rke2-w03
node/rke2-w03 uncordoned
"""


def bundle() -> Bundle:
    rng = random.Random(53883)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    api = LogFile(
        "logs/booking-api.log",
        JsonLines("booking-api", keys=("timestamp", "level", "message"), rng=rng, zone=CET),
    )
    api.add(
        traffic(rng, web_api("booking-api", ["bookings", "slots", "customers"]), START, total, 3600)
    )
    api.add(
        traffic(
            rng,
            web_api("booking-api", ["bookings", "slots"]),
            START + timedelta(minutes=PEAK - 30),
            60,
            1400,
        )
    )
    api.add(
        [
            at(
                START,
                355.0,
                "WARN",
                "cache warm-up incomplete: 61% of slot keys loaded after 30s, continuing in background",
            )
        ]
    )
    api.add(
        loud(
            rng,
            START,
            PEAK - 8,
            total - PEAK + 7.5,
            330,
            lambda r: (
                "ERROR",
                f"POST /api/v1/bookings 504 upstream request timeout after 15000ms (in-flight {r.randrange(180, 260)}, workers 48/48)",
                (),
            ),
        )
    )

    db = LogFile("logs/booking-db.log", Postgres(rng=rng))
    db.add(traffic(rng, database_server(), START, total, 900))
    db.add(
        [
            at(START, 130.0, "WARN", "checkpoints are occurring too frequently (24 seconds apart)"),
            at(
                START,
                130.01,
                "INFO",
                'HINT:  Consider increasing the configuration parameter "max_wal_size".',
            ),
        ]
    )

    pods = [
        "booking-api-7c6d9f5b8-2hkqz",
        "booking-api-7c6d9f5b8-9wv5r",
        "booking-api-7c6d9f5b8-lc8mt",
    ]
    ips = {
        "booking-api-7c6d9f5b8-2hkqz": "10.42.1.37",
        "booking-api-7c6d9f5b8-9wv5r": "10.42.2.118",
        "booking-api-7c6d9f5b8-lc8mt": "10.42.4.65",
    }
    routine = []
    for _ in range(14):
        pod = rng.choice(pods)
        routine.append(
            (
                rng.randrange(30, 1900),
                (
                    "Warning",
                    "Unhealthy",
                    f"pod/{pod}",
                    f'Readiness probe failed: Get "http://{ips[pod]}:8000/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
                ),
            )
        )
    signal = [
        (
            ago(PEAK - 25),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/notifier",
                "failed to get memory utilization: unable to get metrics for resource memory: no metrics returned from resource metrics API",
            ),
        ),
        (
            ago(PEAK - 12),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/booking-api",
                "New size: 9; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(PEAK - 12) - 5,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/booking-api",
                "Scaled up replica set booking-api-7c6d9f5b8 to 9 from 4",
            ),
        ),
        (
            ago(PEAK - 12) - 8,
            (
                "Warning",
                "FailedCreate",
                "replicaset/booking-api-7c6d9f5b8",
                f"Error creating: {WEBHOOK_ERR}",
            ),
        ),
        (
            ago(PEAK - 40),
            (
                "Warning",
                "FailedCreate",
                "job/notifier-digest-29529180",
                f"Error creating: {WEBHOOK_ERR}",
            ),
        ),
    ]
    events = "$ kubectl -n booking get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Bookings are timing out since the 08:30 rush and the HPA says 9 replicas but booking-api still has 3 pods. What is the root cause?",
        category="configuration",
        component="admission-guard",
        statement="admission-guard's mutating webhook has failurePolicy: Fail and does not exclude its own namespace; when the node maintenance run evicted both its replicas, their ReplicaSet could not recreate them through the endpoint-less webhook, so no pod, booking-api's included, can be created anywhere.",
        files={
            "kubectl-admission-guard.txt": webhook(),
            "patch-runner-drain.txt": drain(),
            "kubectl-get-events-booking.txt": events,
            api.name: api.render(),
            db.name: db.render(),
        },
        proofs=[
            Proof("kubectl-admission-guard.txt", "  failurePolicy: Fail"),
            Proof("kubectl-admission-guard.txt", "  namespaceSelector:", "      - kube-system"),
            Proof("kubectl-admission-guard.txt", "replicaset-controller  Error creating"),
            Proof(
                "patch-runner-drain.txt",
                "evicting pod policy-system/admission-guard-5f7c9b8d6c-wq8hx",
                "evicting pod policy-system/admission-guard-5f7c9b8d6c-n2c4j",
            ),
        ],
        decoys=[
            "horizontalpodautoscaler/notifier",
            "checkpoints are occurring too frequently",
            "cache warm-up incomplete",
        ],
    )
