# ruff: noqa: E501
# Hand-written acme.sh, nginx, fleet lines and pasted openssl output are data, kept whole on one line.
"""TLS, a renewed certificate with an ECDSA key for clients that only speak RSA: the nightly
renewal on pos-gw-01 was moved to acme.sh last week; at 03:10 CET (+01:00) it renews
pos.paygate.example for the first time and, with its default key length, issues an ECDSA P-256
certificate, deployed and nginx reloaded. Payment terminals on firmware 4.2 offer only RSA
cipher suites; from their first transactions at shop opening every handshake fails with "no
shared cipher", while newer terminals (firmware 5.x) keep working. Loud: the fleet service's
offline-terminal alarms, nginx handshake errors. Decoys: an OCSP responder timeout, one
terminal with its clock in 2019, a scanner's 404s."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, Syslog5424
from scenes import at, fixed, loud
from traffic import traffic

MADRID = ZoneInfo("Europe/Madrid")
START = datetime(2026, 1, 13, 2, 30, tzinfo=MADRID)
MINUTES = 420.0
RENEW = 40.0
OPEN = 330.0


def bundle() -> Bundle:
    rng = random.Random(36471)
    cron = "\n".join(
        [
            "[Tue Jan 13 03:10:02 CET 2026] ===Starting cron===",
            "[Tue Jan 13 03:10:02 CET 2026] Renew: 'pos.paygate.example'",
            "[Tue Jan 13 03:10:03 CET 2026] Renewing using Le_API=https://acme-v02.api.letsencrypt.org/directory",
            "[Tue Jan 13 03:10:03 CET 2026] Using CA: https://acme-v02.api.letsencrypt.org/directory",
            "[Tue Jan 13 03:10:04 CET 2026] Single domain='pos.paygate.example'",
            "[Tue Jan 13 03:10:09 CET 2026] Verifying: pos.paygate.example",
            "[Tue Jan 13 03:10:12 CET 2026] Success",
            "[Tue Jan 13 03:10:12 CET 2026] Verify finished, start to sign.",
            "[Tue Jan 13 03:10:14 CET 2026] Cert success.",
            "[Tue Jan 13 03:10:14 CET 2026] Your cert is in: /root/.acme.sh/pos.paygate.example_ecc/pos.paygate.example.cer",
            "[Tue Jan 13 03:10:14 CET 2026] Your cert key is in: /root/.acme.sh/pos.paygate.example_ecc/pos.paygate.example.key",
            "[Tue Jan 13 03:10:14 CET 2026] Installing key to: /etc/nginx/tls/pos.key",
            "[Tue Jan 13 03:10:14 CET 2026] Installing full chain to: /etc/nginx/tls/pos.fullchain.pem",
            "[Tue Jan 13 03:10:14 CET 2026] Run reload cmd: systemctl reload nginx",
            "[Tue Jan 13 03:10:15 CET 2026] Reload success",
            "[Tue Jan 13 03:10:15 CET 2026] ===End cron===",
            "",
        ]
    )
    err = LogFile("logs/pos-gw-01-nginx-error.log", NginxError(rng))
    err.add(
        [
            at(START, RENEW + 0.3, "INFO", "signal 1 (SIGHUP) received from 48812, reconfiguring"),
            at(START, RENEW + 0.31, "INFO", "reconfiguring"),
            at(
                START,
                150.0,
                "WARN",
                'OCSP responder timed out (110: Connection timed out) while requesting certificate status, responder: r11.o.lencr.org, peer: 23.36.77.10:80, certificate: "/etc/nginx/tls/pos.fullchain.pem"',
            ),
        ]
    )
    err.add(
        loud(
            rng,
            START,
            OPEN + 0.2,
            MINUTES - OPEN - 1,
            900,
            fixed(
                "ERROR",
                lambda r: (
                    f"SSL_do_handshake() failed (SSL: error:0A0000C1:SSL routines::no shared cipher) while SSL handshaking, client: 100.{r.randrange(64, 80)}.{r.randrange(256)}.{r.randrange(1, 255)}, server: 0.0.0.0:443"
                ),
            ),
        )
    )
    access = LogFile("logs/pos-gw-01-access.log", NginxAccess(rng, MADRID))
    access.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'"POST /v3/auth HTTP/1.1" {r.choice([200, 200, 200, 402])} {r.randrange(200, 900)} "-" "{r.choice(["PayTerm/5.1.7 (model T55)", "PayTerm/4.2.3 (model T40)", "PayTerm/4.2.3 (model T40)", "PayTerm/5.0.2 (model T55)"])}" {r.uniform(0.05, 0.4):.3f}',
                (),
            ),
            START,
            RENEW,
            300,
        )
    )
    access.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'"POST /v3/auth HTTP/1.1" {r.choice([200, 200, 200, 402])} {r.randrange(200, 900)} "-" "{r.choice(["PayTerm/5.1.7 (model T55)", "PayTerm/5.0.2 (model T55)"])}" {r.uniform(0.05, 0.4):.3f}',
                (),
            ),
            START.replace(hour=3, minute=11),
            MINUTES - RENEW - 1,
            2800,
        )
    )
    access.add(
        [
            at(
                START,
                200.0,
                "INFO",
                '"GET /.env HTTP/1.1" 404 153 "-" "Mozilla/5.0 zgrab/0.x" 0.000',
            ),
            at(
                START,
                200.2,
                "INFO",
                '"GET /wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0 zgrab/0.x" 0.000',
            ),
        ]
    )
    fleet = LogFile("logs/terminal-fleet.log", Syslog5424("fleet-01", "terminal-fleet", 2290))
    fleet.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"heartbeat terminal=T{r.randrange(10**5):05d} fw={r.choice(['4.2.3', '5.1.7', '5.0.2'])} shop={r.randrange(1, 600)} battery={r.randrange(20, 100)}%",
                        (),
                    ),
                    (
                        "INFO",
                        f"config pulled terminal=T{r.randrange(10**5):05d} version=cfg-{r.randrange(100, 200)}",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            1400,
        )
    )
    fleet.add(
        [
            at(
                START,
                280.0,
                "WARN",
                "terminal=T07731 fw=5.1.7 reported tls error: certificate is not yet valid (device clock 2019-03-02T08:11:00Z)",
            )
        ]
    )
    fleet.add(
        loud(
            rng,
            START,
            OPEN + 1,
            MINUTES - OPEN - 2,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"terminal=T{r.randrange(10**5):05d} fw=4.2.3 model=T40 shop={r.randrange(1, 600)} went offline-mode: auth host unreachable (tls alert handshake_failure 40), {r.randrange(1, 30)} transactions queued"
                ),
            ),
        )
    )
    ossl = "\n".join(
        [
            "pos-gw-01# openssl x509 -in /etc/nginx/tls/pos.fullchain.pem -noout -subject -issuer -dates -text | grep -E 'subject=|issuer=|notBefore|Public Key Algorithm|ASN1 OID|Signature Algorithm' | sort -u",
            "        ASN1 OID: prime256v1",
            "        Public Key Algorithm: id-ecPublicKey",
            "    Signature Algorithm: ecdsa-with-SHA384",
            "issuer=C = US, O = Let's Encrypt, CN = E6",
            "notBefore=Jan 13 01:11:44 2026 GMT",
            "subject=CN = pos.paygate.example",
            "pos-gw-01# grep -E 'ssl_(protocols|ciphers)' /etc/nginx/sites-enabled/pos.conf",
            "    ssl_protocols TLSv1.2;",
            "    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:AES128-SHA;",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Tuesday 13 Jan, 08:45 CET: support flooded, many shops' card terminals in offline mode since opening (~08:00).",
            "- affected: T40 terminals (fw 4.2.x); T55 terminals (fw 5.x) work.",
            "- last week: cert renewal on pos-gw-01 moved from the old bash script to acme.sh (OPS-3120).",
            "- OCSP stapling warnings are old.",
            "",
        ]
    )
    return Bundle(
        question="Since the shops opened around 08:00 CET the T40 card terminals cannot reach the payment gateway and fall back to offline mode; T55 terminals work. What is the root cause?",
        category="tls",
        component="pos-gw-01",
        statement="The 03:10 CET renewal on pos-gw-01, newly done by acme.sh, issued and deployed an ECDSA P-256 certificate; the firmware 4.2 terminals offer only RSA cipher suites, so their handshakes fail with 'no shared cipher' while firmware 5.x terminals negotiate ECDSA.",
        files={
            "notes.txt": notes,
            "acme-cron.log": cron,
            "pos-gw-01-openssl.txt": ossl,
            "logs/pos-gw-01-nginx-error.log": err.render(),
            "logs/pos-gw-01-access.log": access.render(),
            "logs/terminal-fleet.log": fleet.render(),
        },
        proofs=[
            Proof("acme-cron.log", "Your cert is in: /root/.acme.sh/pos.paygate.example_ecc/"),
            Proof("pos-gw-01-openssl.txt", "Public Key Algorithm: id-ecPublicKey"),
        ],
        decoys=[
            "OCSP responder timed out",
            "certificate is not yet valid (device clock 2019",
            "zgrab",
        ],
    )
