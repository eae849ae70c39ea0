# ruff: noqa: E501
# cert-manager, ingress-nginx and client lines and pasted kubectl output are data, kept whole on one line.
"""Kubernetes: partner-portal's Ingress carries oauth2-proxy annotations (`auth-url`,
`auth-signin`) and its Certificate's issuer uses HTTP-01 with `http01-edit-in-place`. The ACME
challenge path is added to the same protected Ingress, so cert-manager's self check gets a 302
to the sign-in page: the challenge has stayed pending since renewal began 30 days ago (quietly,
retried with back-off), and the certificate expired at 08:14 UTC (17:14 JST). Loud: partners'
API clients failing certificate verification. Decoys: one partner's 401s from a revoked API
key, an Endpoints warning for another Service, and another Certificate renewed fine."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, PythonLogging, Record
from scenes import at, loud
from traffic import http_access, traffic

JST = ZoneInfo("Asia/Tokyo")
START = datetime(2026, 3, 3, 16, 30, tzinfo=JST)
NOW = datetime(2026, 3, 3, 19, 10, tzinfo=JST)
EXPIRY = 44.37  # 17:14:22 JST
CHALLENGE = "partner-portal-tls-1-2614407183-3962125021"
TOKEN = "q3Vd9mE1xJt0bKc8RwZ5nLhY2aGfP7sT4uOiNvWe6Ck"


@dataclass
class CertManagerLog:
    """cert-manager's klog text output: `I0303 08:01:02.123456       1 sync.go:123] "msg" key="value"`."""

    def render(self, record: Record) -> list[str]:
        t = record.time.astimezone(UTC)
        letter = {"INFO": "I", "WARN": "W", "ERROR": "E"}.get(record.level, "I")
        return [
            f"{letter}{t:%m%d %H:%M:%S}.{t.microsecond:06d}       1 {record.logger or 'controller.go:167'}] {record.message}"
        ]


def cm_routine(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    return rng.choice(
        [
            (
                "INFO",
                f'"certificate does not require re-issuance. certificate renewal scheduled near expiry time." logger="cert-manager.controller.certificates-trigger" key="{rng.choice(["shop/shop-web-tls", "ops/grafana-tls", "auth/oauth2-proxy-tls"])}" renewal_time="2026-04-{rng.randrange(1, 28):02d} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} +0000 UTC"',
                (),
            ),
            (
                "INFO",
                '"found one existing HTTP01 solver pod" logger="cert-manager.controller.http01" resource_name="'
                + CHALLENGE
                + '" resource_namespace="partners" resource_kind="Challenge" resource_version="v1" dnsName="partners.kaiun-logi.example" type="HTTP-01"',
                (),
            ),
            (
                "INFO",
                '"found one existing HTTP01 solver Service for challenge resource" logger="cert-manager.controller.http01" resource_name="'
                + CHALLENGE
                + '" resource_namespace="partners" resource_kind="Challenge" dnsName="partners.kaiun-logi.example" type="HTTP-01"',
                (),
            ),
            (
                "INFO",
                f'"certificate is up to date" logger="cert-manager.controller.certificates-readiness" key="ops/grafana-tls" generation={rng.randrange(2, 9)}',
                (),
            ),
        ]
    )


def bundle() -> Bundle:
    rng = random.Random(28307)
    total = (NOW - START).total_seconds() / 60
    cm = LogFile("logs/cert-manager.log", CertManagerLog())
    cm.add(traffic(rng, cm_routine, START, total, 1400))
    for minute in [3.0, 33.5, 64.0, 94.5, 125.0, 155.5]:
        cm.add(
            [
                at(
                    START,
                    minute,
                    "ERROR",
                    f'"propagation check failed" err="failed to perform self check GET request \'http://partners.kaiun-logi.example/.well-known/acme-challenge/{TOKEN}\': wrong status code \'302\', expected \'200\'" logger="cert-manager.controller" resource_name="{CHALLENGE}" resource_namespace="partners" resource_kind="Challenge" resource_version="v1" dnsName="partners.kaiun-logi.example" type="HTTP-01"',
                    logger="sync.go:190",
                ),
            ]
        )
    cm.add(
        [
            at(
                START,
                71.0,
                "INFO",
                '"Certificate has been issued" logger="cert-manager.controller.certificates-issuing" key="shop/shop-web-tls" secret_name="shop-web-tls" not_after="2026-06-01T09:35:10Z"',
                logger="issuing_controller.go:258",
            )
        ]
    )

    ingress = LogFile("logs/ingress-nginx-access.log", NginxAccess(rng, zone=JST))
    ingress.add(
        traffic(
            rng,
            http_access(
                [
                    "/api/v2/shipments/{id}",
                    "/api/v2/rates?lane={id}",
                    "/portal/dashboard",
                    "/oauth2/auth",
                    "/healthz",
                ],
                35,
            ),
            START,
            EXPIRY,
            2100,
        )
    )
    ingress.add(
        traffic(
            rng,
            http_access(["/portal/dashboard", "/oauth2/auth", "/healthz"], 35),
            START,
            total,
            500,
        )
    )
    for minute in [3.0, 33.5, 64.0, 94.5, 125.0, 155.5]:
        ingress.add(
            [
                at(
                    START,
                    minute - 0.02,
                    "INFO",
                    f'"GET /.well-known/acme-challenge/{TOKEN} HTTP/1.1" 302 138 "-" "cert-manager-challenges/v1.16.2 (linux/amd64) cert-manager/b4a1c0f5e27d" 0.004 [partners-partner-portal-8080] [] - - - - 5f{int(minute * 10):04d}a91c7e2b3d4',
                )
            ]
        )
    ingress.add(
        loud(
            rng,
            START,
            1.0,
            EXPIRY - 2,
            70,
            lambda r: (
                "WARN",
                f'"POST /api/v2/shipments HTTP/1.1" 401 61 "-" "python-requests/2.32.3" 0.006 [partners-partner-portal-8080] [] 10.52.3.{r.randrange(2, 250)}:8080 61 0.006 401 partner=tonami-exp',
                (),
            ),
        )
    )

    client = LogFile(
        "logs/partner-sync-client.log",
        PythonLogging(
            ("partner_sync.client", "partner_sync.jobs", "urllib3.connectionpool"), rng=rng
        ),
    )

    def ok(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "INFO",
            r.choice(
                [
                    f"pushed {r.randrange(1, 80)} shipment updates to https://partners.kaiun-logi.example/api/v2/shipments in {r.randrange(90, 700)}ms",
                    f"fetched rates lane=JP-{r.randrange(10, 47)} status=200",
                    "job tick: 0 pending retries",
                ]
            ),
            (),
        )

    client.add(traffic(rng, ok, START, EXPIRY, 600))
    client.add(
        loud(
            rng,
            START,
            EXPIRY + 0.2,
            total - EXPIRY - 0.5,
            420,
            lambda r: (
                "ERROR",
                f"push failed: HTTPSConnectionPool(host='partners.kaiun-logi.example', port=443): Max retries exceeded with url: /api/v2/shipments (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1010)'))) batch={r.randrange(10**5)}",
                (),
            ),
        )
    )

    described = "\n".join(
        [
            "$ kubectl -n partners describe certificate partner-portal-tls",
            "Name:         partner-portal-tls",
            "Namespace:    partners",
            "Labels:       app.kubernetes.io/name=partner-portal",
            "Annotations:  <none>",
            "API Version:  cert-manager.io/v1",
            "Kind:         Certificate",
            "Spec:",
            "  Dns Names:",
            "    partners.kaiun-logi.example",
            "  Issuer Ref:",
            "    Kind:       ClusterIssuer",
            "    Name:       letsencrypt-prod",
            "  Secret Name:  partner-portal-tls",
            "Status:",
            "  Conditions:",
            "    Last Transition Time:  2026-02-01T08:14:25Z",
            '    Message:               Issuing certificate as Secret was previously issued by "ClusterIssuer.cert-manager.io/letsencrypt-prod"',
            "    Observed Generation:   3",
            "    Reason:                Renewing",
            "    Status:                True",
            "    Type:                  Issuing",
            "    Last Transition Time:  2026-03-03T08:14:23Z",
            "    Message:               Certificate expired on Tue, 03 Mar 2026 08:14:22 UTC",
            "    Observed Generation:   3",
            "    Reason:                Expired",
            "    Status:                False",
            "    Type:                  Ready",
            "  Not After:                 2026-03-03T08:14:22Z",
            "  Not Before:                2025-12-03T08:14:23Z",
            "  Renewal Time:              2026-02-01T08:14:22Z",
            "Events:       <none>",
            "",
            f"$ kubectl -n partners describe challenge {CHALLENGE} | sed -n '/^Spec/,$p'",
            "Spec:",
            "  Dns Name:  partners.kaiun-logi.example",
            "  Solver:",
            "    http01:",
            "      Ingress:",
            "        Name:  partner-portal",
            f"  Token:      {TOKEN}",
            "  Type:       HTTP-01",
            "Status:",
            "  Presented:   true",
            "  Processing:  true",
            "  Reason:      Waiting for HTTP-01 challenge propagation: wrong status code '302', expected '200'",
            "  State:       pending",
            "Events:        <none>",
            "",
            "$ kubectl -n partners get ingress partner-portal -o jsonpath='{.metadata.annotations}' | jq .",
            "{",
            '  "cert-manager.io/cluster-issuer": "letsencrypt-prod",',
            '  "acme.cert-manager.io/http01-edit-in-place": "true",',
            '  "nginx.ingress.kubernetes.io/auth-signin": "https://auth.kaiun-logi.example/oauth2/start?rd=$scheme://$host$escaped_request_uri",',
            '  "nginx.ingress.kubernetes.io/auth-url": "https://auth.kaiun-logi.example/oauth2/auth",',
            '  "nginx.ingress.kubernetes.io/backend-protocol": "HTTP"',
            "}",
            "",
            "$ kubectl -n ingress-nginx logs deploy/ingress-nginx-controller --since=3h | grep -c 'Error obtaining Endpoints for Service \"ops/loki-gateway\"'",
            "212",
            "",
        ]
    )
    return Bundle(
        question="Since about 17:15 JST every partner integration calling partners.kaiun-logi.example fails with SSL errors. What is the root cause?",
        category="tls",
        component="partner-portal",
        statement="partner-portal's certificate could not be renewed: with http01-edit-in-place the ACME challenge path sits on the partner-portal Ingress, whose oauth2-proxy auth annotations answer the challenge requests with a 302 to the sign-in page, so the HTTP-01 challenge has stayed pending for 30 days and the certificate expired at 08:14 UTC (17:14 JST).",
        files={
            "kubectl-describe.txt": described,
            "logs/cert-manager.log": cm.render(),
            "logs/ingress-nginx-access.log": ingress.render(),
            "logs/partner-sync-client.log": client.render(),
        },
        proofs=[
            Proof(
                "kubectl-describe.txt",
                "Reason:      Waiting for HTTP-01 challenge propagation: wrong status code '302'",
            ),
            Proof("kubectl-describe.txt", '"nginx.ingress.kubernetes.io/auth-url"'),
            Proof("kubectl-describe.txt", "Message:               Certificate expired on"),
        ],
        decoys=[
            "partner=tonami-exp",
            "Error obtaining Endpoints for Service",
            'key="shop/shop-web-tls" secret_name',
        ],
    )
