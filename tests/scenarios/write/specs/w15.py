# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""The ledger's internal certificate expires after its renewal failed; billing's calls fail the handshake."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Journal, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import host_traffic, traffic, web_api

START = datetime(2024, 12, 1, 23, 30, tzinfo=UTC)


def handshake_trace(rng: random.Random) -> list[str]:
    return java_trace(
        "javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed",
        [
            "java.base/sun.security.ssl.Alert.createSSLException(Alert.java:131)",
            "java.base/sun.security.ssl.TransportContext.fatal(TransportContext.java:378)",
            f"com.shop.billing.ledger.LedgerClient.post(LedgerClient.java:{rng.randrange(50, 60)})",
        ],
        caused_by=[
            "java.security.cert.CertificateExpiredException: NotAfter: Mon Dec 02 00:00:00 UTC 2024",
            "java.base/sun.security.x509.CertificateValidity.valid(CertificateValidity.java:277)",
        ],
        more=rng.randrange(30, 50),
    )


def bundle() -> Bundle:
    rng = random.Random(115)
    certs = LogFile("ledger-host.log", Journal("ledger-1", "certbot", 4410))
    certs.add(host_traffic(rng, START, 60, 342))
    certs.add(
        [
            at(
                START,
                2.0,
                "WARN",
                "Attempting to renew cert (ledger.internal) from /etc/letsencrypt/renewal/ledger.internal.conf produced an unexpected error: Connection refused to internal ACME directory https://acme.internal/directory. Skipping. Certificate expires 2024-12-02 00:00:00+00:00",
            )
        ]
    )
    billing = LogFile(
        "billing.log",
        SpringBoot(
            (
                "c.s.billing.ledger.LedgerClient",
                "c.s.billing.web.InvoiceController",
                "c.s.billing.service.Settlement",
            ),
            pid=1,
            rng=rng,
        ),
    )
    billing.add(traffic(rng, web_api("billing", ["invoices", "settlements"]), START, 60, 686))
    billing.add(
        [
            at(
                START,
                30.02,
                "ERROR",
                'I/O error on POST request for "https://ledger.internal:8443/v1/entries": PKIX path validation failed',
                handshake_trace(rng),
                logger="c.s.billing.ledger.LedgerClient",
            )
        ]
    )
    billing.add(
        loud(
            rng,
            START,
            30.3,
            29,
            116,
            fixed(
                "ERROR",
                lambda r: f"settlement batch {r.randrange(10**6)} rolled back: ledger unavailable",
                handshake_trace,
            ),
        )
    )
    billing.add(
        loud(
            rng,
            START,
            31,
            28,
            41,
            fixed(
                "WARN",
                lambda r: f"retry queue for ledger postings has {r.randrange(100, 9000)} entries",
            ),
        )
    )
    return Bundle(
        question="Billing can't post to the ledger since midnight. Is the ledger down?",
        category="tls",
        component="ledger",
        statement="The TLS certificate of the internal ledger endpoint (ledger.internal) expired at 2024-12-02 00:00 UTC after its renewal failed, so billing's handshakes fail.",
        files={"ledger-host.log": certs.render(), "billing.log": billing.render()},
        proofs=[
            Proof("ledger-host.log", "Attempting to renew cert (ledger.internal)"),
            Proof(
                "billing.log",
                'I/O error on POST request for "https://ledger.internal:8443/v1/entries"',
                "CertificateExpiredException",
            ),
        ],
        decoys=["ledger unavailable", "retry queue for ledger postings"],
    )
