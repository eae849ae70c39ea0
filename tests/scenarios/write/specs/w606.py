# ruff: noqa: E501
# kubectl output, squid and Python log lines are data, kept whole on one line.
"""Kubernetes: the platform team installed a mutating webhook, egress-proxy-injector, at 10:05
IST. It injects HTTP_PROXY/HTTPS_PROXY pointing at the egress squid into every pod of labelled
namespaces, with a NO_PROXY list that lacks `.svc` and `.cluster.local`. claims-intake's pods,
recreated by its 11:32 IST deploy, now send their in-cluster calls to policy-api through squid,
which only allows the partner allow-list and answers 403 ERR_ACCESS_DENIED. policy-api itself
is healthy and sees no requests from the new pods. Decoys: an OCR timeout retry in
claims-intake, a slow checkpoint in policy-api, and a certificate renewal event."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import PythonLogging, Record
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, web_api

IST = ZoneInfo("Asia/Kolkata")
START = datetime(2026, 12, 2, 9, 40, tzinfo=IST)
NOW = datetime(2026, 12, 2, 12, 25, tzinfo=IST)
WEBHOOK = 25.0  # 10:05 IST
DEPLOY = 112.0  # 11:32 IST
NODES = [
    "ip-10-31-4-18.ap-south-1.compute.internal",
    "ip-10-31-5-201.ap-south-1.compute.internal",
    "ip-10-31-6-77.ap-south-1.compute.internal",
]


class Squid:
    """squid's native access.log: `epoch.ms elapsed client code/status bytes method URL user hier type`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        stamp = f"{record.time.timestamp():.3f}"
        return [f"{stamp} {self.rng.randrange(1, 900):>6} {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(6067)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    intake = LogFile(
        "logs/claims-intake.log",
        PythonLogging(
            (
                "claims_intake.api",
                "claims_intake.pipeline",
                "claims_intake.clients.ocr",
                "uvicorn.access",
            ),
            rng=rng,
        ),
    )
    intake.add(
        traffic(
            rng,
            web_api("claims-intake", ["claims", "documents", "attachments"]),
            START,
            total,
            3900,
        )
    )
    intake.add(
        [
            at(
                START,
                12.0,
                "INFO",
                "settings loaded: POLICY_API_URL=http://policy-api.claims.svc.cluster.local:8080 OCR_URL=https://ocr.partner-docs.example.net",
                logger="claims_intake.settings",
            ),
            at(
                START,
                63.4,
                "WARN",
                "OCR request for document 7f31c9 timed out after 20.0s, retrying (1/3)",
                logger="claims_intake.clients.ocr",
            ),
            at(
                START,
                DEPLOY + 0.8,
                "INFO",
                "settings loaded: POLICY_API_URL=http://policy-api.claims.svc.cluster.local:8080 OCR_URL=https://ocr.partner-docs.example.net",
                logger="claims_intake.settings",
            ),
            at(
                START,
                DEPLOY + 0.82,
                "INFO",
                "outbound proxy in use for http/https (from environment); no_proxy=localhost,127.0.0.1,169.254.169.254,.internal,.amazonaws.com",
                logger="claims_intake.clients.http",
            ),
        ]
    )
    denied = fixed(
        "ERROR",
        lambda r: (
            f"policy lookup failed for claim CLM-{r.randrange(10**7):07d}: 403 Forbidden from http://policy-api.claims.svc.cluster.local:8080/v2/policies/{r.randrange(10**8)} (server=squid/6.6, x-squid-error=ERR_ACCESS_DENIED 0)"
        ),
        lambda r: python_traceback(
            [
                (
                    "/app/claims_intake/pipeline.py",
                    188,
                    "enrich",
                    "policy = self.policies.get(claim.policy_no)",
                ),
                ("/app/claims_intake/clients/policy.py", 61, "get", "resp.raise_for_status()"),
                (
                    "/usr/local/lib/python3.12/site-packages/requests/models.py",
                    1024,
                    "raise_for_status",
                    "raise HTTPError(http_error_msg, response=self)",
                ),
            ],
            f"requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: http://policy-api.claims.svc.cluster.local:8080/v2/policies/{r.randrange(10**8)}",
        ),
    )
    intake.add(loud(rng, START, DEPLOY + 1.5, total - DEPLOY - 2, 420, denied))

    policy = LogFile(
        "logs/policy-api.log",
        PythonLogging(("policy_api.views", "policy_api.db", "gunicorn.access"), rng=rng),
    )
    policy.add(
        traffic(rng, web_api("policy-api", ["policies", "coverages"]), START, DEPLOY + 1.5, 2300)
    )
    policy.add(
        traffic(
            rng,
            web_api("policy-api", ["policies", "coverages"]),
            START + timedelta(minutes=DEPLOY + 1.5),
            total - DEPLOY - 1.5,
            160,
        )
    )
    policy.add(
        [
            at(
                START,
                88.1,
                "WARN",
                "database checkpoint took 9.8s (checkpoint_timeout pressure), queries may be slow",
                logger="policy_api.db",
            )
        ]
    )

    squid = LogFile("squid-access.log", Squid(rng))

    def allowed(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        host = r.choice(
            [
                "ocr.partner-docs.example.net:443",
                "api.sms-gateway.example.in:443",
                "hooks.slack.com:443",
            ]
        )
        return (
            "INFO",
            f"10.31.{r.randrange(4, 7)}.{r.randrange(10, 250)} TCP_TUNNEL/200 {r.randrange(3000, 90000)} CONNECT {host} - HIER_DIRECT/{r.randrange(13, 99)}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)} -",
            (),
        )

    def internal(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "WARN",
            f"{r.choice(['10.31.5.143', '10.31.6.62'])} TCP_DENIED/403 3921 GET http://policy-api.claims.svc.cluster.local:8080/v2/policies/{r.randrange(10**8)} - HIER_NONE/- text/html",
            (),
        )

    squid.add(traffic(rng, allowed, START, total, 1500))
    squid.add(loud(rng, START, DEPLOY + 1.5, total - DEPLOY - 2, 430, internal))

    webhook = "\n".join(
        [
            "$ kubectl get mutatingwebhookconfiguration egress-proxy-injector -o yaml",
            "apiVersion: admissionregistration.k8s.io/v1",
            "kind: MutatingWebhookConfiguration",
            "metadata:",
            '  creationTimestamp: "2026-12-02T04:35:12Z"',
            "  generation: 1",
            "  labels:",
            "    app.kubernetes.io/managed-by: Helm",
            "    app.kubernetes.io/name: egress-proxy-injector",
            "  name: egress-proxy-injector",
            "webhooks:",
            "- admissionReviewVersions:",
            "  - v1",
            "  clientConfig:",
            "    service:",
            "      name: egress-proxy-injector",
            "      namespace: platform-egress",
            "      path: /mutate",
            "      port: 443",
            "  failurePolicy: Ignore",
            "  name: inject.egress.platform.io",
            "  namespaceSelector:",
            "    matchLabels:",
            "      egress.platform.io/proxy: enabled",
            "  objectSelector: {}",
            "  reinvocationPolicy: Never",
            "  rules:",
            "  - apiGroups:",
            '    - ""',
            "    apiVersions:",
            "    - v1",
            "    operations:",
            "    - CREATE",
            "    resources:",
            "    - pods",
            "  sideEffects: None",
            "  timeoutSeconds: 5",
            "",
            "$ kubectl -n platform-egress get configmap egress-proxy-injector -o jsonpath='{.data.inject\\.yaml}'",
            "env:",
            "  - name: HTTP_PROXY",
            "    value: http://squid.platform-egress.svc:3128",
            "  - name: HTTPS_PROXY",
            "    value: http://squid.platform-egress.svc:3128",
            "  - name: NO_PROXY",
            "    value: localhost,127.0.0.1,169.254.169.254,.internal,.amazonaws.com",
            "",
            "$ kubectl get ns claims --show-labels",
            "NAME     STATUS   AGE    LABELS",
            "claims   Active   412d   egress.platform.io/proxy=enabled,kubernetes.io/metadata.name=claims,team=claims",
            "",
        ]
    )

    env = "\n".join(
        [
            "$ kubectl -n claims get pods -l app=claims-intake -o wide",
            "NAME                             READY   STATUS    RESTARTS   AGE   IP             NODE                                         NOMINATED NODE   READINESS GATES",
            f"claims-intake-5cf8d9b7a4-7vq2n   1/1     Running   0          53m   10.31.5.143    {NODES[1]}   <none>           <none>",
            f"claims-intake-5cf8d9b7a4-tx8mw   1/1     Running   0          52m   10.31.6.62     {NODES[2]}   <none>           <none>",
            "",
            "$ kubectl -n claims exec claims-intake-5cf8d9b7a4-7vq2n -- env | grep -i -e proxy -e policy",
            "POLICY_API_URL=http://policy-api.claims.svc.cluster.local:8080",
            "HTTP_PROXY=http://squid.platform-egress.svc:3128",
            "HTTPS_PROXY=http://squid.platform-egress.svc:3128",
            "NO_PROXY=localhost,127.0.0.1,169.254.169.254,.internal,.amazonaws.com",
            "",
            "$ kubectl -n claims get pod claims-intake-5cf8d9b7a4-7vq2n -o jsonpath='{.metadata.annotations}'",
            '{"egress.platform.io/injected":"true","egress.platform.io/injector-version":"0.3.1","kubectl.kubernetes.io/restartedAt":"2026-12-02T06:02:03Z"}',
            "",
        ]
    )

    routine = routine_events(
        rng, ["claims-intake", "policy-api", "notifier"], 22, NODES, namespace="claims"
    )
    signal = [
        (
            ago(DEPLOY),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/claims-intake",
                "Scaled up replica set claims-intake-5cf8d9b7a4 to 1",
            ),
        ),
        (
            ago(DEPLOY + 0.6),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/claims-intake",
                "Scaled down replica set claims-intake-6b4d7c9f85 to 0 from 2",
            ),
        ),
        (
            ago(70.0),
            (
                "Normal",
                "Issuing",
                "certificate/claims-portal-tls",
                "The certificate has been successfully issued",
            ),
        ),
    ]
    events = "$ kubectl -n claims get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Since the claims-intake deploy at 11:32 IST every new claim fails at the policy lookup with 403 Forbidden. policy-api looks fine and nobody changed its auth. What is causing it?",
        category="configuration",
        component="egress-proxy-injector",
        statement="egress-proxy-injector, installed at 10:05 IST, injects HTTP_PROXY/HTTPS_PROXY with a NO_PROXY list lacking .svc and .cluster.local into every new container of labelled namespaces; claims-intake, restarted at 11:32, now sends its policy-api calls through squid, which denies them (TCP_DENIED/403).",
        files={
            "logs/claims-intake.log": intake.render(),
            "logs/policy-api.log": policy.render(),
            "squid-access.log": squid.render(),
            "kubectl-get-mwc-egress-proxy-injector.txt": webhook,
            "kubectl-claims-intake-exec.txt": env,
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof(
                "kubectl-get-mwc-egress-proxy-injector.txt",
                "    value: localhost,127.0.0.1,169.254.169.254,.internal,.amazonaws.com",
            ),
            Proof("kubectl-claims-intake-exec.txt", "NO_PROXY=localhost"),
            Proof("logs/claims-intake.log", "outbound proxy in use for http/https"),
        ],
        decoys=[
            "OCR request for document 7f31c9 timed out",
            "database checkpoint took 9.8s",
            "The certificate has been successfully issued",
        ],
    )
