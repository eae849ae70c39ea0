# ruff: noqa: E501, RUF001
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (Linkerd mesh, UTC+05:30): the identity issuer certificate in Secret
linkerd-identity-issuer was created by hand a year earlier with a one-year lifetime and no
cert-manager renewal. It expired at 04:00 UTC; linkerd-identity then refuses to issue workload
certificates, and as proxies' 24-hour certificates lapse, meshed calls between services fail
TLS. Decoys: a destination controller WARN, a quote-api cache WARN, and a policy controller
restart."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Logfmt
from scenes import at, loud
from traffic import traffic, web_api

START = datetime(2026, 10, 6, 3, 30, tzinfo=UTC)
NOW = datetime(2026, 10, 6, 5, 10, tzinfo=UTC)
EXPIRY = 30.0


def kubectl_text() -> str:
    return """$ linkerd check --proxy | sed -n '/linkerd-identity/,/linkerd-webhooks/p'
linkerd-identity
----------------
√ certificate config is valid
√ trust anchors are using supported crypto algorithm
√ trust anchors are within their validity period
√ trust anchors are valid for at least 60 days
√ issuer cert is using supported crypto algorithm
× issuer cert is within its validity period
    issuer certificate is not valid anymore. Expired on 2026-10-06T04:00:00Z
    see https://linkerd.io/2/checks/#l5d-identity-issuer-cert-is-time-valid for hints

$ kubectl -n linkerd get secret linkerd-identity-issuer -o jsonpath='{.data.crt\\.pem}' | base64 -d | openssl x509 -noout -dates -issuer
notBefore=Oct  6 04:00:00 2025 GMT
notAfter=Oct  6 04:00:00 2026 GMT
issuer=CN = root.linkerd.cluster.local

$ kubectl -n linkerd get pods
NAME                                      READY   STATUS    RESTARTS      AGE
linkerd-destination-6f8c7d9b54-k2x7p      4/4     Running   0             41d
linkerd-identity-5d9b8c7f66-w8q4n         2/2     Running   0             41d
linkerd-proxy-injector-7b6c5d8f49-t5mzr   2/2     Running   0             41d
"""


def bundle() -> Bundle:
    rng = random.Random(50917)
    total = (NOW - START).total_seconds() / 60
    ident = LogFile("logs/linkerd-identity.log", Logfmt("linkerd-identity", rng=rng))
    ident.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"issued certificate for {r.choice(['quote-api', 'checkout', 'pricing', 'inventory'])}.{r.choice(['shop', 'pricing'])}.serviceaccount.identity.linkerd.cluster.local until {r.randrange(4, 28)}h",
                (),
            ),
            START,
            EXPIRY,
            300,
        )
    )
    ident.add(
        [
            at(
                START,
                EXPIRY + 0.1,
                "ERROR",
                "issuer certificate expired at 2026-10-06T04:00:00Z, refusing to certify new identities",
            )
        ]
    )
    ident.add(
        loud(
            rng,
            START,
            EXPIRY + 0.3,
            total - EXPIRY - 0.5,
            260,
            lambda r: (
                "ERROR",
                f"failed to certify identity for {r.choice(['quote-api', 'checkout', 'pricing'])}: x509: certificate has expired or is not yet valid",
                (),
            ),
        )
    )
    proxy = LogFile(
        "logs/checkout-linkerd-proxy.log",
        JsonLines(
            "linkerd-proxy", keys=("timestamp", "level", "message"), lower_level=False, rng=rng
        ),
    )
    proxy.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"outbound connection established peer=10.1.{r.randrange(256)}.{r.randrange(256)}:8080 tls=true",
                (),
            ),
            START,
            total,
            900,
        )
    )
    proxy.add(
        loud(
            rng,
            START,
            EXPIRY + 20,
            total - EXPIRY - 20.5,
            240,
            lambda r: (
                "WARN",
                "Failed to connect error=TLS handshake: peer certificate expired (quote-api.pricing.serviceaccount.identity.linkerd.cluster.local)",
                (),
            ),
        )
    )
    dest = LogFile("logs/linkerd-destination.log", Logfmt("linkerd-destination", rng=rng))
    dest.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"endpoints updated service=quote-api.pricing count={r.randrange(2, 5)}",
                (),
            ),
            START,
            total,
            300,
        )
    )
    dest.add(
        [
            at(
                START,
                10.0,
                "WARN",
                "failed to get endpoint slice owner, ignoring slice pricing/legacy-quote-8x2k",
            ),
            at(START, 50.0, "INFO", "policy controller restarted (liveness), watch resumed"),
        ]
    )
    app = LogFile("logs/checkout.log", JsonLines("checkout", rng=rng))
    app.add(traffic(rng, web_api("checkout", ["orders", "quotes"]), START, total, 3000))
    app.add([at(START, 15.0, "WARN", "quote-api cache stale for 3 keys, refreshing")])
    app.add(
        loud(
            rng,
            START,
            EXPIRY + 20,
            total - EXPIRY - 20.5,
            300,
            lambda r: (
                "ERROR",
                f"POST http://quote-api.pricing:8080/v1/quote failed: 502 Bad Gateway (l5d-proxy-error: connection closed) order={r.getrandbits(32):08x}",
                (),
            ),
        )
    )
    return Bundle(
        question="Since around 10:00 IST checkout's calls to quote-api fail with 502s one service after another, with nothing deployed today. What is the root cause?",
        category="tls",
        component="linkerd-identity",
        statement="The Linkerd identity issuer certificate expired at 04:00 UTC and is not auto-renewed; linkerd-identity stops issuing workload certificates, so as proxies' certificates lapse the meshed TLS between checkout and quote-api fails.",
        files={
            "linkerd-check.txt": kubectl_text(),
            ident.name: ident.render(),
            proxy.name: proxy.render(),
            dest.name: dest.render(),
            app.name: app.render(),
        },
        proofs=[
            Proof(
                "linkerd-check.txt",
                "issuer cert is within its validity period",
                "Expired on 2026-10-06T04:00:00Z",
            ),
            Proof("linkerd-check.txt", "notAfter=Oct  6 04:00:00 2026 GMT"),
            Proof(ident.name, "issuer certificate expired at"),
        ],
        decoys=[
            "failed to get endpoint slice owner",
            "quote-api cache stale",
            "policy controller restarted",
        ],
    )
