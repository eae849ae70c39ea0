# ruff: noqa: E501
# Hand-written certbot and HAProxy lines and pasted openssl output are data, kept whole on one line.
"""TLS, a Must-Staple certificate behind a proxy that does not staple: on 3 Nov the renewal on
lb-edge-1 ran with a renewal configuration copied from the hardening template, which has
`must_staple = True`. The new certificate for shop.velaro.example carries the TLS Feature
(status_request) extension, but HAProxy has no OCSP response file to staple. Firefox enforces
Must-Staple and refuses the connection (MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING); Chrome
and Safari do not, so only Firefox users are locked out and the proxies log handshake failures
with alert 'bad certificate'. Decoys: a broken renewal config for a retired domain, a backend
marked DOWN for a few seconds, an HSTS preload notice."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import Record, Syslog3164
from scenes import at, fixed, loud
from traffic import traffic

AEST = timezone(timedelta(hours=11))
START = datetime(2025, 11, 2, 15, 0, tzinfo=UTC)
MINUTES = 600.0
RENEW = 14.0  # 02:14 +11:00
RELOAD = 15.0


@dataclass
class CertbotLog:
    """certbot's letsencrypt.log: `2025-11-03 02:14:07,123:DEBUG:module:message` in local time."""

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(AEST)
        stamp = local.strftime("%Y-%m-%d %H:%M:%S,") + f"{local.microsecond // 1000:03d}"
        return [
            f"{stamp}:{record.level.replace('WARN', 'WARNING')}:{record.logger or 'certbot._internal.main'}:{record.message}"
        ]


def bundle() -> Bundle:
    rng = random.Random(51909)
    cb = LogFile("lb-edge-1/letsencrypt.log", CertbotLog())
    cb_lines = [
        ("DEBUG", "certbot version: 2.11.0", "certbot._internal.main"),
        (
            "DEBUG",
            "Arguments: ['--quiet', '--deploy-hook', '/usr/local/sbin/haproxy-deploy-cert']",
            "certbot._internal.main",
        ),
        (
            "DEBUG",
            "Discovered plugins: PluginsRegistry(PluginEntryPoint#manual,PluginEntryPoint#null,PluginEntryPoint#standalone,PluginEntryPoint#webroot)",
            "certbot._internal.plugins.disco",
        ),
        (
            "WARN",
            "Renewal configuration file /etc/letsencrypt/renewal/old-shop.velaro.example.conf is broken. Skipping.",
            "certbot._internal.renewal",
        ),
        ("DEBUG", "Auto-renewal forced with --force-renewal...", "certbot._internal.renewal"),
        (
            "DEBUG",
            "Reading renewal config /etc/letsencrypt/renewal/shop.velaro.example.conf",
            "certbot._internal.renewal",
        ),
        (
            "DEBUG",
            "Renewal options: authenticator = webroot, key_type = ecdsa, elliptic_curve = secp384r1, must_staple = True, rsa_key_size = 2048, server = https://acme-v02.api.letsencrypt.org/directory",
            "certbot._internal.renewal",
        ),
        (
            "INFO",
            "Renewing an existing certificate for shop.velaro.example and www.shop.velaro.example",
            "certbot._internal.client",
        ),
        ("DEBUG", "Requesting fresh nonce", "acme.client"),
        ("DEBUG", "Storing nonce: 9Qd3xK2pR7w1Yb6mT0fHzA", "acme.client"),
        (
            "INFO",
            "Performing the following challenges: http-01 challenge for shop.velaro.example, http-01 challenge for www.shop.velaro.example",
            "certbot._internal.auth_handler",
        ),
        (
            "DEBUG",
            "CSR: CSR(file='/etc/letsencrypt/csr/0041_csr-certbot.pem', form='pem')",
            "certbot._internal.client",
        ),
        (
            "INFO",
            "Successfully received certificate. Certificate is saved at: /etc/letsencrypt/live/shop.velaro.example/fullchain.pem",
            "certbot._internal.main",
        ),
        (
            "INFO",
            "Running deploy-hook command: /usr/local/sbin/haproxy-deploy-cert",
            "certbot._internal.hooks",
        ),
        (
            "INFO",
            "Output from deploy-hook command haproxy-deploy-cert: combined.pem copied to lb-edge-1, lb-edge-2; haproxy reloaded",
            "certbot._internal.hooks",
        ),
    ]
    cb.add(
        [
            at(START, RENEW + 0.02 * k, level, msg, logger=logger)
            for k, (level, msg, logger) in enumerate(cb_lines)
        ]
    )

    def ok(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        path = r.choice(
            [
                "/",
                "/cart",
                f"/p/{r.randrange(10**5)}",
                "/api/search?q=lamp",
                "/checkout",
                "/static/app.js",
            ]
        )
        return (
            "INFO",
            f'10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(30000, 60000)} [ACCEPT] fe_https~ be_web/web{r.randrange(1, 5)} 0/0/1/{r.randrange(5, 90)}/{r.randrange(6, 95)} 200 {r.randrange(400, 90000)} - - ---- {r.randrange(200, 900)}/{r.randrange(200, 900)}/{r.randrange(5, 40)}/{r.randrange(1, 12)}/0 0/0 "GET {path} HTTP/2.0"',
            (),
        )

    files: dict[str, str] = {}
    for host in ("lb-edge-1", "lb-edge-2"):
        log = LogFile(
            f"logs/{host}-haproxy.log",
            Syslog3164(host, "haproxy", 911 if host == "lb-edge-1" else 1204),
        )
        log.add(traffic(rng, ok, START, MINUTES, 2600))
        log.add(
            loud(
                rng,
                START,
                RELOAD + 300,
                MINUTES - RELOAD - 301,
                520,
                fixed(
                    "WARN",
                    lambda r: (
                        f"10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(30000, 60000)} [ACCEPT] fe_https/1: SSL handshake failure (error:0A000412:SSL routines::sslv3 alert bad certificate)"
                    ),
                ),
            )
        )
        log.add(
            loud(
                rng,
                START,
                RELOAD + 1,
                299,
                40,
                fixed(
                    "WARN",
                    lambda r: (
                        f"10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(30000, 60000)} [ACCEPT] fe_https/1: SSL handshake failure (error:0A000412:SSL routines::sslv3 alert bad certificate)"
                    ),
                ),
            )
        )
        log.add(
            [
                at(
                    START,
                    RELOAD,
                    "INFO",
                    "Proxy fe_https started.",
                    logger=f"haproxy[{911 if host == 'lb-edge-1' else 1204}]",
                )
            ]
        )
        if host == "lb-edge-2":
            log.add(
                [
                    at(
                        START,
                        133.0,
                        "WARN",
                        "Server be_web/web3 is DOWN, reason: Layer7 timeout, check duration: 2001ms. 3 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
                        logger="haproxy[1204]",
                    ),
                    at(
                        START,
                        133.2,
                        "WARN",
                        "Server be_web/web3 is UP, reason: Layer7 check passed, code: 200, check duration: 14ms. 4 active and 0 backup servers online.",
                        logger="haproxy[1204]",
                    ),
                ]
            )
        for index, record in enumerate(log.records):
            local = record.time
            stamp = local.strftime("%d/%b/%Y:%H:%M:%S.") + f"{local.microsecond // 1000:03d}"
            log.records[index] = record.__class__(
                record.time,
                record.level,
                record.message.replace("ACCEPT", stamp),
                record.trailer,
                record.logger,
            )
        files[f"logs/{host}-haproxy.log"] = log.render()
    step, points = 600, int(MINUTES / 10)
    browsers = csv_text(
        START,
        step,
        points,
        {
            "sessions_chrome": steady(rng, 5200, 0.06),
            "sessions_safari": steady(rng, 3100, 0.06),
            "sessions_firefox": shift(rng, 820, 6, 3, 0.1),
            "sessions_edge": steady(rng, 900, 0.07),
            "checkout_conversions": shift(rng, 310, 285, 3, 0.08),
        },
        0,
    )
    cert = "\n".join(
        [
            "[root@lb-edge-1 ~]# openssl x509 -in /etc/letsencrypt/live/shop.velaro.example/cert.pem -noout -subject -dates -ext subjectAltName,tlsfeature",
            "subject=CN = shop.velaro.example",
            "notBefore=Nov  2 14:15:12 2025 GMT",
            "notAfter=Jan 31 14:15:11 2026 GMT",
            "X509v3 Subject Alternative Name: ",
            "    DNS:shop.velaro.example, DNS:www.shop.velaro.example",
            "TLS Feature: ",
            "    status_request",
            "[root@lb-edge-1 ~]# echo | openssl s_client -connect shop.velaro.example:443 -servername shop.velaro.example -status 2>/dev/null | grep -A2 'OCSP'",
            "OCSP response: no response sent",
            "[root@lb-edge-1 ~]# ls /etc/haproxy/certs/",
            "shop.velaro.example.pem",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Support escalation 11:40 AEDT (Mon 3 Nov): customers cannot open the shop, 'Secure Connection Failed'.",
            "Screenshot from a customer: Error code: MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING",
            "Our own checks (Chrome, curl) work fine; SSL Labs grade A, HSTS preload status: pending (submitted last week).",
            "",
        ]
    )
    files.update(
        {
            "notes.txt": notes,
            "lb-edge-1/letsencrypt.log": cb.render(),
            "lb-edge-1/openssl.txt": cert,
            "metrics/sessions-by-browser.csv": browsers,
        }
    )
    return Bundle(
        question="Some customers cannot reach the shop since this morning ('Secure Connection Failed'), while our own checks pass. What is the root cause?",
        category="tls",
        component="lb-edge-1",
        statement="The 3 Nov renewal on lb-edge-1 used a renewal config with must_staple = True, so the new certificate carries the TLS Feature status_request extension, but HAProxy staples no OCSP response; Firefox enforces Must-Staple and rejects the certificate.",
        files=files,
        proofs=[
            Proof("lb-edge-1/letsencrypt.log", "must_staple = True"),
            Proof("lb-edge-1/openssl.txt", "TLS Feature: ", "status_request"),
            Proof("lb-edge-1/openssl.txt", "OCSP response: no response sent"),
        ],
        decoys=[
            "old-shop.velaro.example.conf is broken",
            "Server be_web/web3 is DOWN",
            "HSTS preload",
        ],
    )
