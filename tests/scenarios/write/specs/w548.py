# ruff: noqa: E501
# Hand-written nginx and Go lines and pasted openssl output are data, kept whole on one line.
"""TLS, a renewed certificate with no subjectAltName: the internal CA's ACME endpoint was down,
so at 13:20 New York time an engineer renewed rates.internal's certificate on rates-gw-01 by
hand with `openssl req -subj "/CN=rates.internal"` and no SAN extension, signed it with the
internal CA and reloaded nginx. Go clients (Go 1.15+) no longer accept the Common Name for the
host name check: pricing-engine fails every call with `x509: certificate relies on legacy
Common Name field, use SANs instead`; the Java settlement job still works (it falls back to the
CN). Loud: pricing-engine's fallback to stale rates and its errors. Decoys: an OCSP stapling
warning for an unrelated vhost, an nginx worker_connections warning, and pricing-engine's
cache-miss warnings."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Logfmt, NginxAccess, NginxError
from scenes import at, fixed, loud
from traffic import http_access, traffic

START = datetime(2026, 4, 22, 16, 30, tzinfo=UTC)
MINUTES = 120.0
RELOAD = 50.0


def bundle() -> Bundle:
    rng = random.Random(54808)
    access = LogFile("logs/rates-gw-01-access.log", NginxAccess(rng))
    access.add(
        traffic(
            rng,
            http_access(["/v3/rates/{id}", "/v3/rates/batch", "/v3/fx/{id}", "/healthz"], 18),
            START,
            RELOAD,
            2600,
        )
    )
    access.add(traffic(rng, http_access(["/v3/fx/{id}", "/healthz"], 18), START, MINUTES, 800))
    error = LogFile("logs/rates-gw-01-error.log", NginxError(rng))
    error.add(
        [
            at(START, RELOAD - 0.1, "INFO", "signal 1 (SIGHUP) received from 48210, reconfiguring"),
            at(START, RELOAD - 0.09, "INFO", "reconfiguring"),
            at(START, RELOAD - 0.05, "INFO", "start worker processes"),
            at(
                START,
                22.0,
                "WARN",
                '"ssl_stapling" ignored, no OCSP responder URL in the certificate "/etc/nginx/tls/legacy-fx.internal.crt"',
            ),
            at(START, 96.0, "WARN", "1024 worker_connections are not enough, reusing connections"),
        ]
    )
    error.add(
        loud(
            rng,
            START,
            RELOAD + 0.2,
            MINUTES - RELOAD - 1,
            700,
            fixed(
                "INFO",
                lambda r: (
                    f"SSL_do_handshake() failed (SSL: error:0A000412:SSL routines::sslv3 alert bad certificate:SSL alert number 42) while SSL handshaking, client: 10.52.{r.randrange(10, 14)}.{r.randrange(2, 250)}, server: 0.0.0.0:443"
                ),
            ),
        )
    )
    pricing = LogFile("logs/pricing-engine.log", Logfmt("pricing-engine", rng))
    pricing.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"quote computed sku=SKU-{r.randrange(10**5)} currency={r.choice(['USD', 'EUR', 'GBP', 'CAD'])} rate_age_s={r.randrange(1, 50)} took_ms={r.randrange(2, 40)}",
                (),
            ),
            START,
            MINUTES,
            4200,
        )
    )
    pricing.add(
        loud(
            rng,
            START,
            RELOAD + 0.3,
            MINUTES - RELOAD - 1,
            650,
            fixed(
                "ERROR",
                lambda r: (
                    f'rates refresh failed: Get "https://rates.internal/v3/rates/batch?since={r.randrange(10**9, 2 * 10**9)}": tls: failed to verify certificate: x509: certificate relies on legacy Common Name field, use SANs instead'
                ),
            ),
        )
    )
    pricing.add(
        loud(
            rng,
            START,
            RELOAD + 2,
            MINUTES - RELOAD - 3,
            400,
            fixed(
                "WARN",
                lambda r: (
                    f"serving stale rates currency={r.choice(['USD', 'EUR', 'GBP', 'CAD'])} rate_age_s={r.randrange(300, 4200)} (max 300)"
                ),
            ),
        )
    )
    pricing.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f"rate cache miss for pair {r.choice(['CHF', 'SEK', 'NOK'])}/USD, fetching synchronously"
                ),
            ),
        )
    )
    openssl = "\n".join(
        [
            "$ openssl s_client -connect rates-gw-01:443 -servername rates.internal </dev/null 2>/dev/null | openssl x509 -noout -text | sed -n '1,40p'",
            "Certificate:",
            "    Data:",
            "        Version: 3 (0x2)",
            "        Serial Number:",
            "            5e:0a:91:c4:27:3d:18:f2:66:0b:e1:7a:55:90:2c:41:0e:b8:93:12",
            "        Signature Algorithm: sha256WithRSAEncryption",
            "        Issuer: O = Halyard Internal, CN = Halyard Internal Issuing CA 2",
            "        Validity",
            "            Not Before: Apr 22 17:14:02 2026 GMT",
            "            Not After : Apr 22 17:14:02 2027 GMT",
            "        Subject: CN = rates.internal",
            "        Subject Public Key Info:",
            "            Public Key Algorithm: rsaEncryption",
            "                Public-Key: (2048 bit)",
            "        X509v3 extensions:",
            "            X509v3 Basic Constraints: critical",
            "                CA:FALSE",
            "            X509v3 Key Usage: critical",
            "                Digital Signature, Key Encipherment",
            "            X509v3 Authority Key Identifier:",
            "                3B:71:0C:9E:2A:58:D4:11:6F:E0:AB:47:92:C5:18:03:7D:64:BE:21",
            "    Signature Algorithm: sha256WithRSAEncryption",
            "",
            "$ history | grep openssl   # on rates-gw-01, user mhale",
            '  512  openssl req -new -newkey rsa:2048 -nodes -keyout rates.internal.key -out rates.internal.csr -subj "/CN=rates.internal"',
            "  513  openssl x509 -req -in rates.internal.csr -CA issuing-ca-2.crt -CAkey issuing-ca-2.key -days 365 -sha256 -out rates.internal.crt",
            "  514  sudo cp rates.internal.crt rates.internal.key /etc/nginx/tls/ && sudo nginx -s reload",
            "",
        ]
    )
    ticket = "\n".join(
        [
            "SEC-3318  rates.internal certificate expires 2026-04-23 (ACME on internal CA down, see CA-77)",
            "  2026-04-22 13:14 EDT mhale: ACME still failing, renewing manually with the issuing CA, reload at 13:20",
            "  2026-04-22 13:22 EDT mhale: settlement-job (Java) checked OK against new cert, closing",
            "",
        ]
    )
    return Bundle(
        question="pricing-engine has been serving stale exchange rates since about 13:20 EDT; the settlement job that uses the same rates API is fine. What is the root cause?",
        category="tls",
        component="rates-gw-01",
        statement="rates-gw-01's certificate for rates.internal was renewed by hand without a subjectAltName (CN only); Go clients such as pricing-engine reject certificates that rely on the legacy Common Name, so every rates refresh fails the TLS handshake.",
        files={
            "SEC-3318.txt": ticket,
            "rates-gw-01-cert.txt": openssl,
            "logs/rates-gw-01-error.log": error.render(),
            "logs/rates-gw-01-access.log": access.render(),
            "logs/pricing-engine.log": pricing.render(),
        },
        proofs=[
            Proof("rates-gw-01-cert.txt", "Subject: CN = rates.internal"),
            Proof(
                "rates-gw-01-cert.txt", "X509v3 extensions:", "Digital Signature, Key Encipherment"
            ),
            Proof("rates-gw-01-cert.txt", '-subj "/CN=rates.internal"'),
        ],
        decoys=[
            '"ssl_stapling" ignored',
            "worker_connections are not enough",
            "rate cache miss for pair",
        ],
    )
