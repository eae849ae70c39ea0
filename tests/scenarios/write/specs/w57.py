# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""cert-manager cannot renew the storefront ingress certificate: its DNS-01 solver's Cloudflare
token was revoked, every challenge fails with 403, and the certificate expires at the edge while
ingress-nginx, the synthetic checks and the mobile API clients report handshake failures."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import describe_events, event_listing, routine_events
from records import NginxError, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 9, 22, 23, 30, tzinfo=UTC)
NODES = [
    "gke-prod-pool-a-5f1c",
    "gke-prod-pool-a-8d2e",
    "gke-prod-pool-b-1a7b",
    "gke-prod-pool-b-c40f",
]
ORDER = "storefront-tls-7x2kq-3382104957"


@dataclass
class Klog:
    """klog's header `E0922 23:41:07.512301       1 file.go:123] message` (cert-manager's logs)."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        letter = record.level[0] if record.level != "WARN" else "W"
        stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
        source = record.logger or self.rng.choice(
            ["controller.go:152", "sync.go:95", "requestmanager_controller.go:311"]
        )
        return [f"{letter}{stamp}       1 {source}] {record.message}"]


def controller_line(rng: random.Random) -> Line:
    namespace, name = rng.choice(
        [
            ("shop", "api-tls"),
            ("shop", "admin-tls"),
            ("payments", "payments-tls"),
            ("monitoring", "grafana-tls"),
            ("auth", "sso-tls"),
        ]
    )
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f'"certificate does not require re-issuance. certificate renewal time was found to be in the future." logger="cert-manager.certificates-trigger" key="{namespace}/{name}"',
            (),
        )
    if roll < 0.65:
        return (
            "INFO",
            f'"Certificate must be re-issued" logger="cert-manager.certificates-trigger" key="{namespace}/{name}" reason="Renewing" message="Renewing certificate as renewal was scheduled at {rng.randrange(1, 28)} days before expiry"',
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f'"cleaning up challenge" logger="cert-manager.challenges" resource_name="{name}-{rng.getrandbits(20):05x}-{rng.randrange(10**9)}-0" resource_namespace="{namespace}" type="DNS-01"',
            (),
        )
    if roll < 0.93:
        return (
            "INFO",
            f'"Order has already been completed, cleaning up any owned Challenge resources" logger="cert-manager.orders" resource_name="{name}-{rng.getrandbits(20):05x}-{rng.randrange(10**9)}" resource_namespace="{namespace}"',
            (),
        )
    return (
        "INFO",
        f'"updated ACME account status" logger="cert-manager.clusterissuers" resource_name="letsencrypt-prod" status="valid" registration_time="{rng.randrange(2, 400)}d"',
        (),
    )


def ingress_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f'{rng.choice(["api.shop.example.com", "admin.shop.example.com"])} upstream keepalive connection reused, upstream: "http://10.52.{rng.randrange(8)}.{rng.randrange(2, 250)}:8080"',
            (),
        )
    if roll < 0.9:
        return (
            "WARN",
            f"an upstream response is buffered to a temporary file /tmp/nginx/proxy_temp/{rng.randrange(10)}/{rng.randrange(100):02d}/{rng.randrange(10**10)} while reading upstream, client: 10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}, server: api.shop.example.com",
            (),
        )
    return (
        "ERROR",
        f'upstream prematurely closed connection while reading response header from upstream, client: 10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}, server: api.shop.example.com, request: "GET /v2/search HTTP/2.0"',
        (),
    )


def describe_certificate() -> str:
    lines = [
        "Name:         storefront-tls",
        "Namespace:    shop",
        "Labels:       app.kubernetes.io/managed-by=Helm",
        "Annotations:  <none>",
        "API Version:  cert-manager.io/v1",
        "Kind:         Certificate",
        "Spec:",
        "  Dns Names:",
        "    www.shop.example.com",
        "    shop.example.com",
        "  Issuer Ref:",
        "    Group:      cert-manager.io",
        "    Kind:       ClusterIssuer",
        "    Name:       letsencrypt-prod",
        "  Renew Before:  720h0m0s",
        "  Secret Name:   storefront-tls",
        "Status:",
        "  Conditions:",
        "    Last Transition Time:  2025-09-22T23:38:01Z",
        "    Message:               Certificate expired on Mon, 22 Sep 2025 23:38:00 UTC",
        "    Observed Generation:   4",
        "    Reason:                Expired",
        "    Status:                False",
        "    Type:                  Ready",
        "    Last Transition Time:  2025-08-23T23:38:04Z",
        "    Message:               Renewing certificate as renewal was scheduled at 2025-08-23 23:38:00 +0000 UTC",
        "    Observed Generation:   4",
        "    Reason:                Renewing",
        "    Status:                True",
        "    Type:                  Issuing",
        "  Not After:                 2025-09-22T23:38:00Z",
        "  Not Before:                2025-06-24T23:38:01Z",
        "  Renewal Time:              2025-08-23T23:38:00Z",
        "  Revision:                  3",
        *describe_events(
            [
                (
                    "Normal",
                    "Issuing",
                    "30d",
                    "cert-manager-certificates-trigger",
                    "Renewing certificate as renewal was scheduled at 2025-08-23 23:38:00 +0000 UTC",
                ),
                (
                    "Normal",
                    "Requested",
                    "30d",
                    "cert-manager-certificates-request-manager",
                    'Created new CertificateRequest resource "storefront-tls-7x2kq"',
                ),
            ]
        ),
    ]
    return "\n".join(lines) + "\n"


def describe_challenge() -> str:
    lines = [
        f"Name:         {ORDER}-1749392034",
        "Namespace:    shop",
        "API Version:  acme.cert-manager.io/v1",
        "Kind:         Challenge",
        "Spec:",
        "  Dns Name:        shop.example.com",
        "  Issuer Ref:",
        "    Kind:  ClusterIssuer",
        "    Name:  letsencrypt-prod",
        "  Key:     Zq3tU1h4m0fV8wK2aRZ5pXo9cB7yLd6sNe1gHj4Tk0Q",
        "  Solver:",
        "    Dns 01:",
        "      Cloudflare:",
        "        API Token Secret Ref:",
        "          Key:   api-token",
        "          Name:  cloudflare-api-token",
        "  Type:  DNS-01",
        "Status:",
        "  Presented:   false",
        "  Processing:  true",
        '  Reason:      Error presenting challenge: Cloudflare API error for POST "/zones/2f6b1d0e9a7c4e3f8b5a6d2c1e0f9a8b/dns_records": Error: 10000: Authentication error',
        "  State:       pending",
        *describe_events(
            [
                (
                    "Normal",
                    "Started",
                    "31m",
                    "cert-manager-challenges",
                    "Challenge scheduled for processing",
                ),
                (
                    "Warning",
                    "PresentError",
                    "2m14s (x19 over 31m)",
                    "cert-manager-challenges",
                    'Error presenting challenge: Cloudflare API error for POST "/zones/2f6b1d0e9a7c4e3f8b5a6d2c1e0f9a8b/dns_records": Error: 10000: Authentication error',
                ),
            ]
        ),
    ]
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(157)
    manager = LogFile("cert-manager.log", Klog(rng))
    manager.add(traffic(rng, controller_line, START, 40, 1460))
    manager.add(
        [
            at(
                START,
                1.0,
                "ERROR",
                f'"error presenting challenge" err="Cloudflare API error for POST \\"/zones/2f6b1d0e9a7c4e3f8b5a6d2c1e0f9a8b/dns_records\\": Error: 10000: Authentication error" logger="cert-manager.challenges" resource_name="{ORDER}-1749392034" resource_namespace="shop" dnsName="shop.example.com" type="DNS-01"',
                logger="dns.go:143",
            ),
        ]
    )
    manager.add(
        loud(
            rng,
            START,
            1.2,
            38,
            19,
            fixed(
                "ERROR",
                lambda r: (
                    f'"re-queuing item due to error processing" err="Cloudflare API error for POST \\"/zones/2f6b1d0e9a7c4e3f8b5a6d2c1e0f9a8b/dns_records\\": Error: 10000: Authentication error" logger="cert-manager.challenges" key="shop/{ORDER}-1749392034" attempt="{r.randrange(400, 900)}"'
                ),
            ),
        )
    )
    ingress = LogFile("ingress-nginx-controller.log", NginxError(rng))
    ingress.add(traffic(rng, ingress_line, START, 40, 910))
    ingress.add(
        loud(
            rng,
            START,
            8.1,
            31,
            412,
            fixed(
                "ERROR",
                lambda r: (
                    f"SSL_do_handshake() failed (SSL: error:0A000416:SSL routines::sslv3 alert certificate unknown:SSL alert number 46) while SSL handshaking, client: 10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(256)}, server: 0.0.0.0:443"
                ),
            ),
        )
    )
    ingress.add(
        loud(
            rng,
            START,
            9.0,
            30,
            96,
            fixed(
                "WARN",
                lambda r: (
                    f'upstream timed out (110: Operation timed out) while reading response header from upstream, client: 10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(256)}, server: shop.example.com, request: "POST /api/v1/cart/{r.randrange(10**6)}/checkout HTTP/2.0", upstream: "http://10.52.3.{r.randrange(2, 250)}:8080/api/v1/cart/checkout"'
                ),
            ),
        )
    )
    routine = routine_events(rng, ["storefront", "cart", "search", "accounts"], 520, NODES)
    signal = [
        (
            1830,
            (
                "Warning",
                "PresentError",
                f"challenge/{ORDER}-1749392034",
                'Error presenting challenge: Cloudflare API error for POST "/zones/2f6b1d0e9a7c4e3f8b5a6d2c1e0f9a8b/dns_records": Error: 10000: Authentication error',
            ),
        ),
        (
            1800,
            (
                "Warning",
                "Unhealthy",
                "pod/cart-6c9f7d5b8-k2j4w",
                'Readiness probe failed: Get "http://10.52.3.77:8080/ready": context deadline exceeded',
            ),
        ),
        (
            1290,
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/cart",
                "New size: 9; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            700,
            (
                "Warning",
                "BackOff",
                "pod/search-77b9c4d8f-p6v2m",
                "Back-off restarting failed container search in pod search-77b9c4d8f-p6v2m_shop(5e3b8a21-9c4d-4f7e-b2a1-6d8e0f3c7b95)",
            ),
        ),
    ]
    return Bundle(
        question="Since just before midnight UTC customers can't open shop.example.com (browser security warnings) and the cart is timing out. What is the root cause?",
        category="tls",
        component="cert-manager",
        statement="cert-manager could not renew the storefront-tls certificate for a month because its Cloudflare DNS-01 solver token is rejected (Error 10000: Authentication error), so the edge certificate expired at 23:38 UTC.",
        files={
            "describe-certificate.txt": describe_certificate(),
            "describe-challenge.txt": describe_challenge(),
            "cert-manager.log": manager.render(),
            "ingress-nginx-controller.log": ingress.render(),
            "events.txt": event_listing(routine, signal),
        },
        proofs=[
            Proof("describe-certificate.txt", "Message:               Certificate expired on"),
            Proof("describe-challenge.txt", "  Reason:      Error presenting challenge"),
            Proof("cert-manager.log", '"error presenting challenge"'),
        ],
        decoys=[
            "sslv3 alert certificate unknown",
            "upstream timed out (110: Operation timed out)",
            "Back-off restarting failed container search",
        ],
    )
