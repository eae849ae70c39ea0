# ruff: noqa: E501
# kubectl rows, YAML and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the in-house validating admission webhook pod-policy-webhook serves a certificate
made by hand a year ago; it expired at 06:55:03 UTC. The webhook's failurePolicy is Fail, so from
then on the API server rejects every pod creation in the labelled namespaces. Nobody notices until
the morning node-pool upgrade drains nodes: the drained pods cannot be recreated, payments drops
to one replica and checkout to none, and the ingress answers 503. The webhook pod itself is
Running and Ready; its log only shows TLS handshake errors. Decoys: the node drain, a stale
ResourceQuota rejection in the analytics namespace, and a cluster-autoscaler scale-up."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import age, describe_events, table
from records import NginxAccess, Record
from scenes import fixed, loud
from traffic import http_access, traffic

NOW = datetime(2025, 2, 18, 7, 48, tzinfo=UTC)
EXPIRY = datetime(2025, 2, 18, 6, 55, 3, tzinfo=UTC)
WEBHOOK = "validate.pod-policy.platform.example.com"
URL = "https://pod-policy-webhook.platform.svc:443/validate-pods?timeout=10s"
OLD_NODES = [
    "aks-apps-41830217-vmss000003",
    "aks-apps-41830217-vmss000004",
    "aks-apps-41830217-vmss000005",
]
NEW_NODES = [
    "aks-apps-41830217-vmss000009",
    "aks-apps-41830217-vmss00000a",
    "aks-apps-41830217-vmss00000b",
]


def rejection(now: datetime) -> str:
    return f'Error creating: Internal error occurred: failed calling webhook "{WEBHOOK}": failed to call webhook: Post "{URL}": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time {now.strftime("%Y-%m-%dT%H:%M:%SZ")} is after {EXPIRY.strftime("%Y-%m-%dT%H:%M:%SZ")}'


class GoServerLog:
    """Go's standard `log` package: `2025/02/18 07:02:11 message`."""

    def render(self, record: Record) -> list[str]:
        return [record.time.strftime("%Y/%m/%d %H:%M:%S ") + record.message]


def webhook_log(rng: random.Random) -> str:
    log = LogFile("logs/pod-policy-webhook.log", GoServerLog())
    start = NOW - timedelta(hours=2)
    log.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"admission review uid={r.getrandbits(128):032x} kind=Pod namespace={r.choice(['payments', 'checkout', 'catalog', 'search'])} operation=CREATE allowed=true policy=baseline-v3 took={r.randrange(1, 9)}ms"
                ),
            ),
            start,
            (EXPIRY - start).total_seconds() / 60,
            160,
        )
    )
    log.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: f"GET /healthz 200 from 10.64.{r.randrange(0, 3)}.{r.randrange(2, 200)}",
            ),
            start,
            120,
            480,
        )
    )
    api_servers = ["10.64.0.4", "10.64.0.5"]

    def handshake(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "INFO",
            f"http: TLS handshake error from {r.choice(api_servers)}:{r.randrange(30000, 61000)}: remote error: tls: bad certificate",
            (),
        )

    log.add(loud(rng, EXPIRY, 2.0, 50.0, 230, handshake))
    log.add(
        [
            Record(
                EXPIRY + timedelta(seconds=48, milliseconds=310),
                "INFO",
                "http: TLS handshake error from 10.64.0.5:44017: remote error: tls: bad certificate",
            )
        ]
    )
    return log.render()


def events_text(rng: random.Random) -> str:
    rows: list[tuple[int, tuple[str, str, str, str, str]]] = []
    drain = int((NOW - datetime(2025, 2, 18, 7, 20, tzinfo=UTC)).total_seconds())
    for index, node in enumerate(OLD_NODES):
        base = drain - index * 240
        rows.append(
            (
                base,
                (
                    "default",
                    "Normal",
                    "NodeNotSchedulable",
                    f"node/{node}",
                    f"Node {node} status is now: NodeNotSchedulable",
                ),
            )
        )
        rows.append(
            (
                base - 30,
                (
                    "default",
                    "Normal",
                    "Drain",
                    f"node/{node}",
                    "Draining node for upgrade to 1.30.7",
                ),
            )
        )
    rows.append(
        (
            drain + 90,
            (
                "kube-system",
                "Normal",
                "TriggeredScaleUp",
                "pod/cluster-autoscaler-status",
                "pod triggered scale-up: [{aks-apps-41830217-vmss 6->9 (max: 12)}]",
            ),
        )
    )
    for index, node in enumerate(NEW_NODES):
        rows.append(
            (
                drain + 60 - index * 20,
                (
                    "default",
                    "Normal",
                    "RegisteredNode",
                    f"node/{node}",
                    f"Node {node} event: Registered Node {node} in Controller",
                ),
            )
        )
    for namespace, deployment, rs in (
        ("payments", "payments-api", "payments-api-59d7c8b6f4"),
        ("checkout", "checkout-web", "checkout-web-7f4b9c5d86"),
        ("catalog", "catalog-api", "catalog-api-6c9f8d7b55"),
    ):
        for repeat in range(6):
            ago = drain - 60 - repeat * 380 - rng.randrange(0, 60)
            rows.append(
                (
                    ago,
                    (
                        namespace,
                        "Warning",
                        "FailedCreate",
                        f"replicaset/{rs}",
                        rejection(NOW - timedelta(seconds=ago)),
                    ),
                )
            )
        rows.append(
            (
                drain - 10,
                (
                    namespace,
                    "Normal",
                    "Killing",
                    f"pod/{rs}-{rng.getrandbits(20):05x}",
                    f"Stopping container {deployment}",
                ),
            )
        )
    rows.append(
        (
            drain - 120,
            (
                "checkout",
                "Warning",
                "FailedCreate",
                "replicaset/checkout-web-7f4b9c5d86",
                rejection(NOW - timedelta(seconds=drain - 120)),
            ),
        )
    )
    rows.append(
        (
            17400,
            (
                "analytics",
                "Warning",
                "FailedCreate",
                "job/nightly-rollup-29001120",
                'Error creating: pods "nightly-rollup-29001120-6xq2m" is forbidden: exceeded quota: analytics-compute, requested: requests.cpu=4, used: requests.cpu=14, limited: requests.cpu=16',
            ),
        )
    )
    rows.append(
        (
            17300,
            (
                "analytics",
                "Normal",
                "SuccessfulCreate",
                "job/nightly-rollup-29001120",
                "Created pod: nightly-rollup-29001120-kq8zt",
            ),
        )
    )
    for _ in range(70):
        app, namespace = rng.choice(
            [
                ("search-api", "search"),
                ("catalog-api", "catalog"),
                ("payments-api", "payments"),
                ("metrics-server", "kube-system"),
                ("recs-worker", "search"),
            ]
        )
        node = rng.choice(OLD_NODES)
        ago = rng.randrange(drain + 300, 3 * 3600)
        pod = f"{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}"
        rows.append(
            (
                ago - 1,
                (
                    namespace,
                    "Normal",
                    "Pulled",
                    f"pod/{pod}",
                    f'Container image "acrprod.azurecr.io/{app}:{rng.randrange(1, 9)}.{rng.randrange(20)}.{rng.randrange(9)}" already present on machine',
                ),
            )
        )
        rows.append(
            (ago - 2, (namespace, "Normal", "Started", f"pod/{pod}", f"Started container {app}"))
        )
        rows.append(
            (
                ago,
                (
                    namespace,
                    "Normal",
                    "Scheduled",
                    f"pod/{pod}",
                    f"Successfully assigned {namespace}/{pod} to {node}",
                ),
            )
        )
    rows.sort(key=lambda item: -item[0])
    header = ("NAMESPACE", "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE")
    return "\n".join(table(header, [(row[0], age(ago), *row[1:]) for ago, row in rows])) + "\n"


def describe_rs() -> str:
    events = describe_events(
        [
            (
                "Normal",
                "SuccessfulCreate",
                "6d",
                "replicaset-controller",
                "Created pod: payments-api-59d7c8b6f4-8hqzv",
            ),
            (
                "Normal",
                "SuccessfulCreate",
                "6d",
                "replicaset-controller",
                "Created pod: payments-api-59d7c8b6f4-w2kcn",
            ),
            (
                "Normal",
                "SuccessfulCreate",
                "6d",
                "replicaset-controller",
                "Created pod: payments-api-59d7c8b6f4-tj7mx",
            ),
            (
                "Warning",
                "FailedCreate",
                "2m31s (x19 over 27m)",
                "replicaset-controller",
                rejection(NOW - timedelta(seconds=151)),
            ),
        ]
    )
    lines = [
        "Name:           payments-api-59d7c8b6f4",
        "Namespace:      payments",
        "Selector:       app=payments-api,pod-template-hash=59d7c8b6f4",
        "Labels:         app=payments-api",
        "                pod-template-hash=59d7c8b6f4",
        "Annotations:    deployment.kubernetes.io/desired-replicas: 3",
        "                deployment.kubernetes.io/max-replicas: 4",
        "                deployment.kubernetes.io/revision: 18",
        "Controlled By:  Deployment/payments-api",
        "Replicas:       1 current / 3 desired",
        "Pods Status:    1 Running / 0 Waiting / 0 Succeeded / 0 Failed",
        "Pod Template:",
        "  Labels:           app=payments-api",
        "                    pod-template-hash=59d7c8b6f4",
        "  Service Account:  payments-api",
        "  Containers:",
        "   payments-api:",
        "    Image:      acrprod.azurecr.io/payments-api:4.12.1",
        "    Port:       8080/TCP",
        "    Host Port:  0/TCP",
        "    Limits:",
        "      memory:  1Gi",
        "    Requests:",
        "      cpu:      250m",
        "      memory:   512Mi",
        "    Readiness:  http-get http://:8080/ready delay=0s timeout=1s period=5s #success=1 #failure=3",
        "    Environment:  <none>",
        "    Mounts:       <none>",
        "  Volumes:        <none>",
        "Conditions:",
        "  Type             Status  Reason",
        "  ----             ------  ------",
        "  ReplicaFailure   True    FailedCreate",
        *events,
    ]
    return "\n".join(lines) + "\n"


WEBHOOK_YAML = f"""apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  annotations:
    meta.helm.sh/release-name: pod-policy
    meta.helm.sh/release-namespace: platform
  creationTimestamp: "2024-02-18T07:03:40Z"
  generation: 3
  labels:
    app.kubernetes.io/managed-by: Helm
    app.kubernetes.io/name: pod-policy-webhook
  name: pod-policy-webhook
  resourceVersion: "418273301"
  uid: 3b7e2c91-5d0a-4f6e-9c18-a2d47b6e0f53
webhooks:
- admissionReviewVersions:
  - v1
  clientConfig:
    caBundle: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURFekNDQWZ1Z0F3SUJBZ0lVUjNrOWZxV2Y4N2xNMk1vYzBRbTJ4Z3N6Y2Rrd0RRWUpLb1pJaHZjTkFRRUwKQlFBd0dURVhNQlVHQTFVRUF3d09jRzlrTFhCdmJHbGplUzFqWVRBZUZ3MHlOREF5TVRnd05qVTFNRE5hRncweQpOVEF5TVRnd05qVTFNRE5hTUJreEZ6QVZCZ05WQkFNTURuQnZaQzF3YjJ4cFkza3RZMkV3Z2dFaU1BMEdDU3FHClNJYjNEUUVCQVFVQUE0SUJEd0F3Z2dFS0FvSUJBUUMK
    service:
      name: pod-policy-webhook
      namespace: platform
      path: /validate-pods
      port: 443
  failurePolicy: Fail
  matchPolicy: Equivalent
  name: {WEBHOOK}
  namespaceSelector:
    matchLabels:
      pod-policy.platform.example.com/enforce: "true"
  objectSelector: {{}}
  rules:
  - apiGroups:
    - ""
    apiVersions:
    - v1
    operations:
    - CREATE
    - UPDATE
    resources:
    - pods
    scope: '*'
  sideEffects: None
  timeoutSeconds: 10
"""


def bundle() -> Bundle:
    rng = random.Random(1123)
    ingress = LogFile("logs/ingress-access.log", NginxAccess(rng=rng))
    start = NOW - timedelta(minutes=60)
    ingress.add(
        traffic(
            rng,
            http_access(
                [
                    "/api/checkout/{id}",
                    "/api/payments/{id}/status",
                    "/api/catalog/items/{id}",
                    "/api/search?q=shoes",
                ],
                45,
            ),
            start,
            60,
            4200,
        )
    )
    drained = datetime(2025, 2, 18, 7, 22, tzinfo=UTC)
    ingress.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /api/checkout/{r.randrange(10**6)} HTTP/1.1" 503 190 "-" "okhttp/4.12.0" 0.000'
                ),
            ),
            drained,
            (NOW - drained).total_seconds() / 60,
            900,
        )
    )
    ingress.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /api/payments/{r.randrange(10**6)}/capture HTTP/1.1" 504 160 "-" "okhttp/4.12.0" 30.00{r.randrange(1, 9)}'
                ),
            ),
            drained + timedelta(minutes=4),
            20,
            300,
        )
    )
    pods = table(
        (
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED NODE",
            "READINESS GATES",
        ),
        [
            (
                "pod-policy-webhook-6b8c7d9f5-xq4lz",
                "1/1",
                "Running",
                "0",
                "41d",
                "10.64.3.27",
                "aks-system-20615144-vmss000001",
                "<none>",
                "<none>",
            ),
            (
                "pod-policy-webhook-6b8c7d9f5-zm7wr",
                "1/1",
                "Running",
                "0",
                "41d",
                "10.64.4.113",
                "aks-system-20615144-vmss000002",
                "<none>",
                "<none>",
            ),
        ],
    )
    notes = "\n".join(
        [
            "## Incident 2025-02-18: checkout down after node pool upgrade",
            "",
            "07:20 UTC scheduled AKS node image upgrade of pool `apps` (surge 3). Drain went through, new nodes registered fine.",
            "07:24 checkout 503s, payments capture timeouts. payments-api at 1/3, checkout-web at 0/2, catalog-api at 1/3.",
            "Cluster autoscaler scaled the pool 6->9 but pods are not even created, so it's not capacity.",
            "The analytics quota error is from last night's rollup, known, ignore.",
            "",
            "$ kubectl -n platform get pods -o wide",
            *pods,
            "",
            "$ kubectl -n platform get secret pod-policy-webhook-tls -o jsonpath='{.data.tls\\.crt}' | base64 -d | openssl x509 -noout -subject -issuer -dates",
            "subject=CN = pod-policy-webhook.platform.svc",
            "issuer=CN = pod-policy-ca",
            "notBefore=Feb 18 06:55:03 2024 GMT",
            "notAfter=Feb 18 06:55:03 2025 GMT",
            "",
        ]
    )
    return Bundle(
        question="After this morning's node pool upgrade, payments, checkout and catalog cannot get their pods back and checkout returns 503. What is the root cause?",
        category="tls",
        component="pod-policy-webhook",
        statement="The serving certificate of the validating admission webhook pod-policy-webhook expired at 06:55:03 UTC on 18 Feb 2025; with failurePolicy Fail the API server rejects every pod creation in the enforced namespaces ('x509: certificate has expired'), so when the 07:20 node upgrade drained the nodes, the evicted pods of payments-api, checkout-web and catalog-api could not be recreated and checkout returned 503s.",
        files={
            "notes.md": notes,
            "kubectl-get-events-A.txt": events_text(rng),
            "kubectl-describe-rs.txt": describe_rs(),
            "validatingwebhookconfiguration.yaml": WEBHOOK_YAML,
            "logs/pod-policy-webhook.log": webhook_log(rng),
            "logs/ingress-access.log": ingress.render(),
        },
        proofs=[
            Proof("notes.md", "notAfter=Feb 18 06:55:03 2025 GMT"),
            Proof("logs/pod-policy-webhook.log", "10.64.0.5:44017: remote error"),
        ],
        decoys=["exceeded quota: analytics-compute", "NodeNotSchedulable", "TriggeredScaleUp"],
    )
