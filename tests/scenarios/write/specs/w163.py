# ruff: noqa: E501
# kubectl rows, openssl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: an Argo CD restructuring at 21:05 UTC moves the storefront app (Deployment,
Service, Ingress) from namespace `shop` to a new namespace `web`. The Ingress still names
`secretName: storefront-tls`, but that Secret (a purchased certificate, created by hand) stays
in `shop`, and an Ingress can only use Secrets of its own namespace. ingress-nginx logs once per
sync that `web/storefront-tls` was not found and serves its default self-signed "Kubernetes
Ingress Controller Fake Certificate" for www.northbay-outfitters.com: browsers and the mobile
app refuse the handshake, synthetic checks fail with CERTIFICATE_VERIFY_FAILED and traffic
collapses. Decoys: a preview Service without endpoints, a legacy host's certificate expiring in
12 days, and cert-manager renewing the api certificate."""

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import table
from records import PythonLogging, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 9, 14, 20, 20, tzinfo=UTC)
NOW = datetime(2025, 9, 14, 21, 48, tzinfo=UTC)
MOVE = 45.7  # 21:05:42


class IngressNginx:
    """ingress-nginx controller output: klog lines (logger `klog:file.go:line`) and access lines."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        if record.logger and record.logger.startswith("klog:"):
            stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
            return [f"{record.level[0]}{stamp}       7 {record.logger[5:]}] {record.message}"]
        rng = self.rng
        client = f"{rng.choice([31, 46, 82, 109, 185])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        stamp = record.time.strftime("%d/%b/%Y:%H:%M:%S +0000")
        return [f"{client} - - [{stamp}] {record.message} {rng.getrandbits(128):032x}"]


def page(rng: random.Random) -> str:
    return rng.choice(
        [
            "/",
            "/collections/jackets",
            "/collections/boots",
            f"/products/{rng.randrange(10**4)}",
            "/cart",
            "/api/cart/items",
            "/checkout",
        ]
    )


def access(namespace: str) -> Callable[[random.Random], Line]:
    def make(rng: random.Random) -> Line:
        took = rng.randrange(6, 300) / 1000
        status = rng.choices([200, 200, 200, 304, 302, 404], k=1)[0]
        return (
            "INFO",
            f'"GET {page(rng)} HTTP/2.0" {status} {rng.randrange(300, 80000)} "-" "{rng.choice(["Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X)", "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "okhttp/4.12.0", "NorthbayApp/5.3.1 (Android 15)"])}" {rng.randrange(40, 700)} {took:.3f} [{namespace}-storefront-80] [] 10.8.{rng.randrange(1, 6)}.{rng.randrange(2, 250)}:8080 {rng.randrange(300, 80000)} {took - 0.001:.3f} {status}',
            (),
        )

    return make


def synthetic_ok(rng: random.Random) -> Line:
    check = rng.choice(["home", "product-page", "add-to-cart", "api-health"])
    host = "api.northbay-outfitters.com" if check == "api-health" else "www.northbay-outfitters.com"
    return (
        "INFO",
        f"check={check} url=https://{host}/ status=200 ttfb_ms={rng.randrange(60, 400)} ok",
        (),
    )


def synthetic_fail(rng: random.Random) -> Line:
    check = rng.choice(["home", "product-page", "add-to-cart"])
    return (
        "ERROR",
        f"check={check} url=https://www.northbay-outfitters.com/ failed: SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)'))",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1163)
    total = (NOW - START).total_seconds() / 60
    ingress = LogFile("logs/ingress-nginx-controller.log", IngressNginx(rng))
    ingress.add(traffic(rng, access("shop"), START, MOVE, 4100))
    ingress.add(
        traffic(rng, access("web"), START + timedelta(minutes=MOVE + 0.1), total - MOVE - 0.2, 520)
    )
    ingress.add(
        [
            at(
                START,
                MOVE - 0.02,
                "INFO",
                'Found valid IngressClass ingress="web/storefront" ingressclass="nginx"',
                logger="klog:main.go:107",
            ),
            at(
                START,
                MOVE,
                "WARN",
                'Error obtaining X.509 certificate: no object matching key "web/storefront-tls" in local store',
                logger="klog:backend_ssl.go:47",
            ),
            at(
                START,
                MOVE + 0.01,
                "WARN",
                'Error getting SSL certificate "web/storefront-tls": local SSL certificate web/storefront-tls was not found. Using default certificate',
                logger="klog:controller.go:1387",
            ),
            at(
                START,
                MOVE + 0.02,
                "INFO",
                "Configuration changes detected, backend reload required",
                logger="klog:controller.go:214",
            ),
            at(
                START,
                MOVE + 0.05,
                "INFO",
                "Backend successfully reloaded",
                logger="klog:controller.go:225",
            ),
            at(
                START,
                12.3,
                "INFO",
                'updating Ingress status ingress="shop/api" currentValue=[{"ip":"34.90.14.201"}] newValue=[{"ip":"34.90.14.201"}]',
                logger="klog:status.go:300",
            ),
        ]
    )
    ingress.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: 'Service "web/storefront-preview" does not have any active Endpoint.',
            ),
            START + timedelta(minutes=MOVE + 0.1),
            total - MOVE - 0.2,
            60,
            logger="klog:controller.go:1112",
        )
    )
    synth = LogFile("logs/synthetics.log", PythonLogging(("synthetics.runner",), rng=rng))
    synth.add(traffic(rng, synthetic_ok, START, total, 700))
    synth.add(loud(rng, START, MOVE + 0.3, total - MOVE - 0.5, 420, synthetic_fail))
    synth.add(
        [
            at(
                START,
                2.4,
                "WARN",
                "check=legacy-cert url=https://legacy.northbay-outfitters.com/ certificate expires in 12 days (notAfter=Sep 26 23:59:59 2025 GMT)",
            )
        ]
    )
    ingresses = [
        ("NAMESPACE", "NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"),
        ("shop", "api", "nginx", "api.northbay-outfitters.com", "34.90.14.201", "80, 443", "412d"),
        (
            "web",
            "storefront",
            "nginx",
            "www.northbay-outfitters.com,northbay-outfitters.com",
            "34.90.14.201",
            "80, 443",
            "42m",
        ),
        (
            "web",
            "storefront-preview",
            "nginx",
            "preview.northbay-outfitters.com",
            "34.90.14.201",
            "80, 443",
            "42m",
        ),
    ]
    secrets = [
        ("NAMESPACE", "NAME", "TYPE", "DATA", "AGE"),
        ("shop", "api-tls", "kubernetes.io/tls", "2", "412d"),
        ("shop", "storefront-tls", "kubernetes.io/tls", "2", "187d"),
        ("web", "storefront-preview-tls", "kubernetes.io/tls", "2", "41m"),
    ]
    kubectl = "\n".join(
        [
            "$ kubectl get ingress -A",
            *table(ingresses[0], ingresses[1:]),
            "",
            "$ kubectl -n web describe ingress storefront",
            "Name:             storefront",
            "Labels:           app.kubernetes.io/instance=storefront",
            "Namespace:        web",
            "Address:          34.90.14.201",
            "Ingress Class:    nginx",
            "Default backend:  <default>",
            "TLS:",
            "  storefront-tls terminates www.northbay-outfitters.com,northbay-outfitters.com",
            "Rules:",
            "  Host                         Path  Backends",
            "  ----                         ----  --------",
            "  www.northbay-outfitters.com",
            "                               /   storefront:80 (10.8.2.41:8080,10.8.4.17:8080,10.8.5.93:8080)",
            "  northbay-outfitters.com",
            "                               /   storefront:80 (10.8.2.41:8080,10.8.4.17:8080,10.8.5.93:8080)",
            "Annotations:                  argocd.argoproj.io/tracking-id: storefront:networking.k8s.io/Ingress:web/storefront",
            "                              nginx.ingress.kubernetes.io/proxy-body-size: 8m",
            "Events:",
            "  Type    Reason  Age                From                      Message",
            "  ----    ------  ----               ----                      -------",
            "  Normal  Sync    42m (x2 over 42m)  nginx-ingress-controller  Scheduled for sync",
            "",
            "$ kubectl get secrets -A --field-selector type=kubernetes.io/tls",
            *table(secrets[0], secrets[1:]),
            "",
            "$ kubectl -n shop get certificate",
            *table(("NAME", "READY", "SECRET", "AGE"), [("api-tls", "True", "api-tls", "412d")]),
            "$ kubectl -n shop describe certificate api-tls | tail -2",
            "  Normal  Issuing  3h11m  cert-manager-certificates-issuing  The certificate has been successfully issued",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Sun 14 Sep, incident channel",
            "21:09 PagerDuty: StorefrontTraffic dropped 85% (5m). Checkout conversions ~0.",
            "21:12 Argo CD: storefront app re-synced into namespace web at 21:05 as planned (PLAT-1802, 'one namespace per team'). All pods Ready.",
            "21:20 support: customers report 'Your connection is not private' on www.",
            "",
            "$ openssl s_client -connect www.northbay-outfitters.com:443 -servername www.northbay-outfitters.com </dev/null 2>/dev/null | head -4",
            "CONNECTED(00000003)",
            "---",
            "Certificate chain",
            " 0 s:O = Acme Co, CN = Kubernetes Ingress Controller Fake Certificate",
            "",
        ]
    )
    files = {
        "notes.txt": notes,
        "kubectl.txt": kubectl,
        "logs/ingress-nginx-controller.log": ingress.render(),
        "logs/synthetics.log": synth.render(),
    }
    return Bundle(
        question="Since about 21:05 UTC customers get 'Your connection is not private' on www and traffic has collapsed, although all pods are Ready. What is the root cause?",
        category="tls",
        component="storefront",
        statement="At 21:05 UTC the storefront Ingress was moved by Argo CD into namespace web, but its TLS Secret storefront-tls stayed in namespace shop; ingress-nginx cannot find web/storefront-tls and serves its default self-signed Kubernetes Ingress Controller Fake Certificate for www.northbay-outfitters.com, so clients fail certificate verification.",
        files=files,
        proofs=[
            Proof(
                "logs/ingress-nginx-controller.log",
                'Error getting SSL certificate "web/storefront-tls"',
            ),
            Proof("kubectl.txt", "shop        storefront-tls "),
        ],
        decoys=[
            'Service "web/storefront-preview" does not have any active Endpoint.',
            "certificate expires in 12 days",
            "The certificate has been successfully issued",
        ],
    )
