# ruff: noqa: E501
# HAProxy lines, openssl output and hand-written log lines are data, kept whole on one line.
"""TLS on a load balancer: the nightly certificate renewal on lb-pub-3 at 02:10 UTC rebuilt
/etc/haproxy/certs/api.pem from cert.pem (leaf only) instead of fullchain.pem, and reloaded
HAProxy. Browsers still work (they fetch the intermediate via AIA or have it cached), but Java and
Android clients and partner webhooks fail PKIX validation, and HAProxy logs handshake failures with
"unknown ca" alerts. Decoys: a backend health-check flap, an OCSP stapling refresh warning for
another certificate, and sshd brute-force noise."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot, Syslog3164
from scenes import at, fixed, java_trace, loud
from traffic import Line, host_traffic, traffic

START = datetime(2026, 3, 3, 1, 25, tzinfo=UTC)
NOW = datetime(2026, 3, 3, 3, 5, tzinfo=UTC)
RELOAD = 45.3  # 02:10:18
HOST = "lb-pub-3"
BACKENDS = ["api-1", "api-2", "api-3", "api-4"]


def client(rng: random.Random) -> str:
    return f"{rng.choice([81, 92, 151, 185, 203])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}:{rng.randrange(1024, 65535)}"


def ok_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/v2/payments",
            "/v2/payments/{id}",
            "/v2/refunds",
            "/v2/customers/{id}",
            "/v2/webhooks/test",
            "/health",
        ]
    ).replace("{id}", f"pay_{rng.getrandbits(48):012x}")
    method = "POST" if path in ("/v2/payments", "/v2/refunds") else "GET"
    status = rng.choices([200, 201, 204, 400, 404], [70, 14, 4, 7, 5])[0]
    tr = rng.randrange(4, 180)
    return (
        "INFO",
        f'{client(rng)} [STAMP] https-in~ api_back/{rng.choice(BACKENDS)} 0/0/1/{tr}/{tr + 1} {status} {rng.randrange(200, 4000)} - - ---- {rng.randrange(300, 900)}/{rng.randrange(300, 900)}/{rng.randrange(1, 40)}/{rng.randrange(1, 12)}/0 0/0 "{method} {path} HTTP/1.1"',
        (),
    )


class HaproxyLog:
    """HAProxy's httplog via rsyslog: syslog header, then the accept date in brackets."""

    def __init__(self) -> None:
        self.head = Syslog3164(HOST, "haproxy", 2211)

    def render(self, record: Record) -> list[str]:
        accept = record.time - timedelta(milliseconds=7)
        inner = accept.strftime("%d/%b/%Y:%H:%M:%S.") + f"{accept.microsecond // 1000:03d}"
        return self.head.render(
            Record(record.time, record.level, record.message.replace("STAMP", inner))
        )


def bundle() -> Bundle:
    rng = random.Random(31509)
    total = (NOW - START).total_seconds() / 60
    ha = LogFile("lb-pub-3/haproxy.log", HaproxyLog())
    ha.add(traffic(rng, ok_line, START, total, 5200))
    ha.add(
        loud(
            rng,
            START,
            RELOAD + 0.2,
            total - RELOAD - 0.3,
            1100,
            fixed(
                "WARN",
                lambda r: (
                    f"{client(r)} [STAMP] https-in/1: SSL handshake failure (error:0A000418:SSL routines::tlsv1 alert unknown ca)"
                ),
            ),
        )
    )
    ha.add(
        [
            at(
                START,
                22.4,
                "WARN",
                "Health check for server api_back/api-4 failed, reason: Layer7 timeout, check duration: 2001ms, status: 2/3 UP.",
            ),
            at(
                START,
                22.6,
                "INFO",
                "Health check for server api_back/api-4 succeeded, reason: Layer7 check passed, code: 200, check duration: 14ms, status: 3/3 UP.",
            ),
            at(START, RELOAD + 0.01, "INFO", "Proxy https-in started."),
            at(START, RELOAD + 0.02, "INFO", "Proxy api_back started."),
            at(START, RELOAD + 0.03, "INFO", "Loading success."),
            at(
                START,
                71.5,
                "WARN",
                "OCSP response for certificate /etc/haproxy/certs/www.pem could not be updated: responder timeout (next attempt in 3600s)",
            ),
        ]
    )
    journal = LogFile(f"{HOST}/syslog", Syslog3164(HOST, "renew-certs", 48112))
    journal.add(host_traffic(rng, START, total, 900))
    journal.add(
        [
            at(
                START,
                RELOAD - 0.4,
                "INFO",
                "Certificate not yet due for renewal: www.trellispay.example (expires 2026-05-11)",
                logger="renew-certs[48112]",
            ),
            at(
                START,
                RELOAD - 0.35,
                "INFO",
                "Renewing certificate api.trellispay.example (expires 2026-03-10, 7 days left)",
                logger="renew-certs[48112]",
            ),
            at(
                START,
                RELOAD - 0.12,
                "INFO",
                "Certificate issued: /etc/letsencrypt/live/api.trellispay.example/{cert.pem,chain.pem,fullchain.pem,privkey.pem}",
                logger="renew-certs[48112]",
            ),
            at(
                START,
                RELOAD - 0.1,
                "INFO",
                "deploy-hook: cat /etc/letsencrypt/live/api.trellispay.example/cert.pem /etc/letsencrypt/live/api.trellispay.example/privkey.pem > /etc/haproxy/certs/api.pem",
                logger="renew-certs[48112]",
            ),
            at(
                START,
                RELOAD - 0.08,
                "INFO",
                "deploy-hook: haproxy -c -f /etc/haproxy/haproxy.cfg: Configuration file is valid",
                logger="renew-certs[48112]",
            ),
            at(
                START,
                RELOAD - 0.02,
                "INFO",
                "Reloading haproxy.service - HAProxy Load Balancer...",
                logger="systemd[1]",
            ),
            at(
                START,
                RELOAD + 0.04,
                "INFO",
                "Reloaded haproxy.service - HAProxy Load Balancer.",
                logger="systemd[1]",
            ),
        ]
    )
    for minute in (12.0, 58.5, 88.1):
        journal.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"Invalid user admin from 45.148.{rng.randrange(256)}.{rng.randrange(256)} port {rng.randrange(30000, 60000)}",
                    logger="sshd[1022]",
                )
            ]
        )
    relay = LogFile(
        "logs/webhook-relay.log",
        SpringBoot(("c.t.relay.DeliveryWorker", "c.t.relay.PartnerClient"), pid=7, rng=rng),
    )
    relay.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"delivered event evt_{r.getrandbits(64):016x} to partner {r.choice(['shopline', 'cartwise', 'ledgerly'])} in {r.randrange(40, 700)}ms"
                ),
            ),
            START,
            total,
            1600,
        )
    )
    relay.add(
        loud(
            rng,
            START,
            RELOAD + 0.5,
            total - RELOAD - 0.6,
            150,
            fixed(
                "ERROR",
                lambda r: (
                    "refund status callback to https://api.trellispay.example/v2/refunds failed: I/O error"
                ),
                lambda r: java_trace(
                    "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
                    [
                        "java.base/sun.security.ssl.Alert.createSSLException(Alert.java:130)",
                        "java.base/sun.security.ssl.CertificateMessage$T13CertificateConsumer.checkServerCerts(CertificateMessage.java:1357)",
                        "org.apache.hc.client5.http.ssl.SSLConnectionSocketFactory.createLayeredSocket(SSLConnectionSocketFactory.java:275)",
                    ],
                    more=22,
                ),
            ),
        )
    )
    mobile = LogFile(
        "logs/mobile-crash-digest.log", SpringBoot(("c.t.telemetry.CrashDigest",), pid=3, rng=rng)
    )
    mobile.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"digest window ok: app=android-{r.choice(['5.18.0', '5.18.1'])} sessions={r.randrange(800, 2400)} crashes={r.randrange(0, 3)}"
                ),
            ),
            START,
            total,
            300,
        )
    )
    mobile.add(
        loud(
            rng,
            START,
            RELOAD + 1.0,
            total - RELOAD - 1.2,
            90,
            fixed(
                "WARN",
                lambda r: (
                    f"spike: app=android-5.18.1 error=javax.net.ssl.SSLHandshakeException: java.security.cert.CertPathValidatorException: Trust anchor for certification path not found. count={r.randrange(40, 400)}"
                ),
            ),
        )
    )
    openssl = "\n".join(
        [
            "$ openssl s_client -connect api.trellispay.example:443 -servername api.trellispay.example -showcerts </dev/null",
            "CONNECTED(00000003)",
            "depth=0 CN = api.trellispay.example",
            "verify error:num=20:unable to get local issuer certificate",
            "verify return:1",
            "depth=0 CN = api.trellispay.example",
            "verify error:num=21:unable to verify the first certificate",
            "verify return:1",
            "---",
            "Certificate chain",
            " 0 s:CN = api.trellispay.example",
            "   i:C = US, O = Let's Encrypt, CN = R11",
            "   a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256",
            "   v:NotBefore: Mar  3 01:11:52 2026 GMT; NotAfter: Jun  1 01:11:51 2026 GMT",
            "-----BEGIN CERTIFICATE-----",
            "MIIFCTCCA/GgAwIBAgISA0f3kQy7Lr2m8e1W9pX4d5sVMA0GCSqGSIb3DQEBCwUA",
            "(...)",
            "-----END CERTIFICATE-----",
            "---",
            "Server certificate",
            "subject=CN = api.trellispay.example",
            "issuer=C = US, O = Let's Encrypt, CN = R11",
            "---",
            "SSL handshake has read 2011 bytes and written 409 bytes",
            "Verification error: unable to verify the first certificate",
            "---",
            "New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384",
            "    Verify return code: 21 (unable to verify the first certificate)",
            "",
            "$ openssl s_client -connect www.trellispay.example:443 -servername www.trellispay.example </dev/null 2>/dev/null | grep -E 'depth|Verify return'",
            "depth=2 C = US, O = Internet Security Research Group, CN = ISRG Root X1",
            "depth=1 C = US, O = Let's Encrypt, CN = R10",
            "depth=0 CN = www.trellispay.example",
            "    Verify return code: 0 (ok)",
            "",
        ]
    )
    return Bundle(
        question="Since about 02:10 UTC our Android app and several partners can't reach the payments API (SSL errors), but it opens fine in a browser. What changed?",
        category="tls",
        component=HOST,
        statement="The 02:10 UTC certificate renewal on lb-pub-3 built /etc/haproxy/certs/api.pem from cert.pem instead of fullchain.pem, so HAProxy now serves the leaf certificate without the Let's Encrypt R11 intermediate; clients without AIA fetching (Java, Android, partner webhooks) fail chain validation.",
        files={
            "lb-pub-3/haproxy.log": ha.render(),
            "lb-pub-3/syslog": journal.render(),
            "openssl-s_client.txt": openssl,
            "logs/webhook-relay.log": relay.render(),
            "logs/mobile-crash-digest.log": mobile.render(),
        },
        proofs=[
            Proof(
                "lb-pub-3/syslog",
                "deploy-hook: cat /etc/letsencrypt/live/api.trellispay.example/cert.pem",
            ),
            Proof(
                "openssl-s_client.txt",
                "Certificate chain",
                "   i:C = US, O = Let's Encrypt, CN = R11",
            ),
            Proof(
                "openssl-s_client.txt",
                "Verify return code: 21 (unable to verify the first certificate)",
            ),
        ],
        decoys=[
            "Health check for server api_back/api-4 failed",
            "OCSP response for certificate /etc/haproxy/certs/www.pem could not be updated",
            "Invalid user admin from 45.148.",
        ],
    )
