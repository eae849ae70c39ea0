# ruff: noqa: E501
# nginx and journald lines and pasted openssl output are data, kept whole on one line.
"""TLS: mtls-gw-01 verifies partner client certificates against a CRL (`ssl_crl`) that a
systemd timer (`crl-fetch`) downloads every 6 hours. The PKI team moved the CRL distribution
point on Friday; since then the fetch gets 404 and keeps the old file. The old CRL's
nextUpdate passes on Monday 10:00 UTC; from then OpenSSL rejects every client certificate
with "CRL has expired" and nginx answers 400 to all partners. Decoys: a partner certificate
nearing expiry, an upstream keep-alive reset, a 401 from a partner using a revoked API key."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Journal, NginxAccess, NginxError
from scenes import at, fixed, loud
from traffic import http_access, traffic

START = datetime(2026, 6, 15, 8, 0, tzinfo=UTC)
MINUTES = 200.0
EXPIRY = 120.0


def bundle() -> Bundle:
    rng = random.Random(45509)
    access = LogFile("mtls-gw-01/nginx/access.log", NginxAccess(rng))
    access.add(
        traffic(
            rng,
            http_access(
                [
                    "/partner/v2/shipments/{id}",
                    "/partner/v2/labels/{id}",
                    "/partner/v2/tracking/{id}",
                ],
                55,
            ),
            START,
            EXPIRY,
            3600,
        )
    )
    access.add(
        loud(
            rng,
            START,
            EXPIRY,
            MINUTES - EXPIRY,
            1300,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /partner/v2/{r.choice(["shipments", "labels", "tracking"])}/{r.randrange(10**6)} HTTP/1.1" 400 {r.choice([215, 237])} "-" "{r.choice(["Apache-HttpClient/5.2.1 (Java/17.0.9)", "Go-http-client/2.0", "python-requests/2.31"])}" 0.000'
                ),
            ),
        )
    )
    access.add(
        [
            at(
                START,
                31.4,
                "INFO",
                '"POST /partner/v2/shipments HTTP/1.1" 401 71 "-" "Go-http-client/2.0" 0.004',
            )
        ]
    )
    error = LogFile("mtls-gw-01/nginx/error.log", NginxError(rng))
    error.add(
        loud(
            rng,
            START,
            EXPIRY,
            MINUTES - EXPIRY,
            1200,
            fixed(
                "INFO",
                lambda r: (
                    f'client SSL certificate verify error: (12:CRL has expired) while reading client request headers, client: {r.choice(["198.51.100", "203.0.113", "192.0.2"])}.{r.randrange(2, 250)}, server: partners.api.example.com, request: "POST /partner/v2/shipments HTTP/1.1", host: "partners.api.example.com"'
                ),
            ),
        )
    )
    error.add(
        [
            at(
                START,
                44.8,
                "ERROR",
                'recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 203.0.113.40, server: partners.api.example.com, request: "GET /partner/v2/tracking/88123 HTTP/1.1", upstream: "http://10.70.2.14:8080/partner/v2/tracking/88123", host: "partners.api.example.com"',
            ),
        ]
    )
    journal = LogFile("mtls-gw-01/journal-timer.txt", Journal("mtls-gw-01", "crl-fetch.sh", 0))
    runs = [
        -4080.0,
        -3720.0,
        -3360.0,
        -3000.0,
        -2640.0,
        -2280.0,
        -1920.0,
        -1560.0,
        -1200.0,
        -840.0,
        -480.0,
        -120.0,
        60.0,
    ]
    for index, minute in enumerate(runs):
        pid = 21000 + index * 377
        journal.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"crl-fetch.sh[{pid}]: fetching http://pki.corp.example.com/crl/partners-ca.crl",
                ),
                at(
                    START,
                    minute + 0.02,
                    "WARN",
                    f"crl-fetch.sh[{pid}]: curl: (22) The requested URL returned error: 404"
                    if minute > -3400
                    else f"crl-fetch.sh[{pid}]: saved 48213 bytes to /etc/nginx/pki/partners-ca.crl, nginx reloaded",
                ),
                at(
                    START,
                    minute + 0.03,
                    "INFO",
                    f"crl-fetch.sh[{pid}]: keeping existing /etc/nginx/pki/partners-ca.crl"
                    if minute > -3400
                    else f"crl-fetch.sh[{pid}]: done",
                ),
            ]
        )
    text = journal.render().replace("crl-fetch.sh[0]: crl-fetch.sh[", "crl-fetch.sh[")
    openssl = "\n".join(
        [
            "[root@mtls-gw-01 ~]# openssl crl -in /etc/nginx/pki/partners-ca.crl -noout -issuer -lastupdate -nextupdate",
            "issuer=C = DE, O = Example Logistics, CN = Example Partner CA G2",
            "lastUpdate=Jun  8 10:00:00 2026 GMT",
            "nextUpdate=Jun 15 10:00:00 2026 GMT",
            "[root@mtls-gw-01 ~]# grep -n ssl_ /etc/nginx/conf.d/partners.conf",
            "9:    ssl_certificate     /etc/nginx/pki/partners.api.example.com.pem;",
            "10:    ssl_certificate_key /etc/nginx/pki/partners.api.example.com.key;",
            "11:    ssl_client_certificate /etc/nginx/pki/partners-ca-chain.pem;",
            "12:    ssl_verify_client on;",
            "13:    ssl_crl /etc/nginx/pki/partners-ca.crl;",
            "[root@mtls-gw-01 ~]# openssl x509 -in /srv/partners/acme-freight.pem -noout -subject -enddate",
            "subject=CN = api-client.acme-freight.example",
            "notAfter=Jul  2 23:59:59 2026 GMT",
            "",
        ]
    )
    return Bundle(
        question="Since about 10:00 UTC every partner call through mtls-gw-01 gets HTTP 400; nothing was deployed today. What is the root cause?",
        category="tls",
        component="mtls-gw-01",
        statement="mtls-gw-01 checks client certificates against /etc/nginx/pki/partners-ca.crl, whose refresh (crl-fetch) has failed with 404 since the CRL URL moved on Friday; the stale CRL's nextUpdate passed at 10:00 UTC, so OpenSSL rejects every client certificate with 'CRL has expired' and nginx answers 400.",
        files={
            "mtls-gw-01/nginx/error.log": error.render(),
            "mtls-gw-01/nginx/access.log": access.render(),
            "mtls-gw-01/journal-timer.txt": text,
            "mtls-gw-01/openssl-session.txt": openssl,
        },
        proofs=[
            Proof("mtls-gw-01/openssl-session.txt", "nextUpdate=Jun 15 10:00:00 2026 GMT"),
            Proof("mtls-gw-01/journal-timer.txt", "crl-fetch.sh[21754]: curl: (22)"),
        ],
        decoys=[
            "notAfter=Jul  2 23:59:59 2026 GMT",
            "recv() failed (104: Connection reset by peer)",
            '401 71 "-"',
        ],
    )
