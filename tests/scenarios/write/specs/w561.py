# ruff: noqa: E501
# HAProxy lines, openssl output and hand-written log lines are data, kept whole on one line.
"""TLS, missing intermediate on one load balancer: the nightly certificate renewal for
api.lindqvist.example ran at 23:41 UTC on both HAProxy nodes, but edge-lb-02's deploy hook
(a hand-edited copy from a ticket) concatenates `cert.pem` instead of `fullchain.pem` with the
key, so edge-lb-02 serves the leaf only. Browsers cope (cached intermediates, AIA fetching);
Java, Python and Android clients on the ~50% of connections DNS round-robin sends to edge-lb-02
fail with PKIX / `unable to get local issuer certificate`. Loud: HAProxy `SSL handshake
failure (... alert unknown ca)` on edge-lb-02, partner-sync's PKIX errors at 07:00 when
partners start. Decoys: app-03's health check flap, a partner 429, and edge-lb-01's own
ordinary handshake failures from scanners."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Journal, SpringBoot, Syslog3164
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 9, 29, 22, 30, tzinfo=UTC)
MINUTES = 600.0  # to 08:30
RENEW = 71.0  # 23:41
BUSY = 510.0  # 07:00
PATHS = [
    "/v2/orders",
    "/v2/orders/{id}",
    "/v2/stock/{id}",
    "/v2/customers/{id}",
    "/v2/auth/token",
    "/healthz",
]


def client(rng: random.Random) -> str:
    return f"{rng.choice([81, 94, 185, 212, 37, 88])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}:{rng.randrange(1024, 65535)}"


def stamp(time: datetime) -> str:
    return time.strftime("%d/%b/%Y:%H:%M:%S.") + f"{time.microsecond // 1000:03d}"


def haproxy_ok(rng: random.Random) -> Line:
    path = rng.choice(PATHS).replace("{id}", str(rng.randrange(10**6)))
    status = rng.choices([200, 201, 204, 401, 404], [80, 8, 4, 4, 4])[0]
    t = rng.randrange(4, 180)
    return (
        "INFO",
        f'{client(rng)} [STAMP] fe_https~ be_api/app-0{rng.randrange(1, 5)} 0/0/{rng.randrange(0, 3)}/{t}/{t + rng.randrange(0, 3)} {status} {rng.randrange(120, 9000)} - - ---- {rng.randrange(300, 900)}/{rng.randrange(300, 900)}/{rng.randrange(2, 40)}/{rng.randrange(1, 12)}/0 0/0 "{rng.choice(["GET", "GET", "POST"])} {path} HTTP/1.1"',
        (),
    )


class HaproxyLog(Syslog3164):
    """HAProxy's syslog lines; `[STAMP]` in the message becomes the accept date."""

    def render(self, record):  # type: ignore[no-untyped-def]
        accept = record.time - timedelta(milliseconds=record.time.microsecond % 200)
        line = super().render(record)[0]
        return [line.replace("STAMP", stamp(accept))]


def bundle() -> Bundle:
    rng = random.Random(56147)
    lb1 = LogFile("logs/edge-lb-01-haproxy.log", HaproxyLog("edge-lb-01", "haproxy", 1893))
    lb2 = LogFile("logs/edge-lb-02-haproxy.log", HaproxyLog("edge-lb-02", "haproxy", 2207))
    for lb in (lb1, lb2):
        lb.add(traffic(rng, haproxy_ok, START, MINUTES, 3600))
        lb.add(traffic(rng, haproxy_ok, START + timedelta(minutes=BUSY), MINUTES - BUSY, 2600))
        lb.add(
            loud(
                rng,
                START,
                0,
                MINUTES,
                14,
                lambda r: (
                    "INFO",
                    f"{client(r)} [STAMP] fe_https/1: SSL handshake failure (error:0A00006C:SSL routines::bad key share)",
                    (),
                ),
            )
        )
        lb.add(
            [
                at(START, RENEW + 0.3, "INFO", "Proxy fe_https started."),
                at(
                    START,
                    RENEW + 0.31,
                    "INFO",
                    "Loading success.",
                    logger=f"haproxy[{1893 if lb is lb1 else 2207}]",
                ),
            ]
        )
    lb1.add(
        [
            at(
                START,
                402.5,
                "WARN",
                "Server be_api/app-03 is DOWN, reason: Layer4 timeout, check duration: 2001ms. 3 active and 0 backup servers left. 41 sessions active, 0 requeued, 0 remaining in queue.",
            ),
            at(
                START,
                403.9,
                "WARN",
                "Server be_api/app-03 is UP, reason: Layer7 check passed, code: 200, check duration: 4ms. 4 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
            ),
        ]
    )
    lb2.add(
        [
            at(
                START,
                402.6,
                "WARN",
                "Server be_api/app-03 is DOWN, reason: Layer4 timeout, check duration: 2001ms. 3 active and 0 backup servers left. 38 sessions active, 0 requeued, 0 remaining in queue.",
            ),
            at(
                START,
                403.8,
                "WARN",
                "Server be_api/app-03 is UP, reason: Layer7 check passed, code: 200, check duration: 5ms. 4 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
            ),
        ]
    )
    lb2.add(
        loud(
            rng,
            START,
            RENEW + 2,
            BUSY - RENEW - 2,
            260,
            lambda r: (
                "INFO",
                f"{client(r)} [STAMP] fe_https/1: SSL handshake failure (error:0A000418:SSL routines::tlsv1 alert unknown ca)",
                (),
            ),
        )
    )
    lb2.add(
        loud(
            rng,
            START,
            BUSY,
            MINUTES - BUSY,
            1500,
            lambda r: (
                "INFO",
                f"{client(r)} [STAMP] fe_https/1: SSL handshake failure (error:0A000418:SSL routines::tlsv1 alert unknown ca)",
                (),
            ),
        )
    )
    hook = LogFile("edge-lb-02-journal.txt", Journal("edge-lb-02", "certbot", 40112))
    hook.add(
        [
            at(START, RENEW - 0.9, "INFO", "Certificate is due for renewal, auto-renewing..."),
            at(
                START,
                RENEW - 0.85,
                "INFO",
                "Renewing an existing certificate for api.lindqvist.example and 2 more domains",
            ),
            at(
                START,
                RENEW - 0.2,
                "INFO",
                "Congratulations, all renewals succeeded: /etc/letsencrypt/live/api.lindqvist.example/fullchain.pem (success)",
            ),
            at(
                START,
                RENEW - 0.15,
                "INFO",
                "Running deploy-hook command: /etc/letsencrypt/renewal-hooks/deploy/haproxy.sh",
            ),
            at(
                START,
                RENEW - 0.1,
                "INFO",
                "Hook 'deploy-hook' ran with output:\n cat /etc/letsencrypt/live/api.lindqvist.example/cert.pem /etc/letsencrypt/live/api.lindqvist.example/privkey.pem > /etc/haproxy/certs/api.lindqvist.example.pem\n systemctl reload haproxy",
            ),
        ]
    )
    host = LogFile("edge-lb-02-journal.txt", Journal("edge-lb-02", "systemd", 1))
    host.add(
        [
            at(START, RENEW + 0.28, "INFO", "Reloading haproxy.service - HAProxy Load Balancer..."),
            at(START, RENEW + 0.32, "INFO", "Reloaded haproxy.service - HAProxy Load Balancer."),
            at(START, 300.0, "INFO", "Starting logrotate.service - Rotate log files..."),
            at(START, 300.05, "INFO", "logrotate.service: Deactivated successfully."),
        ]
    )
    journal = (
        "\n".join(
            line
            for _, line in sorted(
                [
                    (r.time, ln)
                    for lf in (hook, host)
                    for r in lf.records
                    for ln in lf.format.render(r)
                ],
                key=lambda x: x[0],
            )
        )
        + "\n"
    )
    sync = LogFile(
        "logs/partner-sync.log",
        SpringBoot(
            ("c.l.partnersync.PullJob", "c.l.partnersync.client.ApiClient"), pid=4127, rng=rng
        ),
    )

    def sync_ok(r: random.Random) -> Line:
        return (
            "INFO",
            f"pulled {r.randrange(1, 400)} stock updates for partner {r.choice(['nordvik', 'halsten', 'brekke-bygg', 'ostlund'])} in {r.randrange(80, 900)} ms",
            (),
        )

    sync.add(traffic(rng, sync_ok, START, MINUTES, 1500))
    sync.add(
        loud(
            rng,
            START,
            BUSY + 0.5,
            MINUTES - BUSY - 1,
            330,
            lambda r: (
                "ERROR",
                "stock push to https://api.lindqvist.example/v2/stock failed: javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
                tuple(
                    java_trace(
                        "javax.net.ssl.SSLHandshakeException: PKIX path building failed",
                        [
                            "java.base/sun.security.ssl.Alert.createSSLException(Alert.java:130)",
                            "java.base/sun.security.ssl.TransportContext.fatal(TransportContext.java:378)",
                            "java.base/sun.security.ssl.CertificateMessage$T13CertificateConsumer.checkServerCerts(CertificateMessage.java:1334)",
                        ],
                        more=41,
                    )
                )
                if r.random() < 0.3
                else (),
            ),
        )
    )
    sync.add(
        [
            at(
                START,
                515.2,
                "WARN",
                "partner halsten answered 429 Too Many Requests (Retry-After: 30), backing off",
            )
        ]
    )
    probe = "\n".join(
        [
            "$ for h in edge-lb-01 edge-lb-02; do echo \"== $h\"; openssl s_client -connect $h.lindqvist.example:443 -servername api.lindqvist.example </dev/null 2>&1 | egrep '^depth|verify error|^ [0-9] s:|Verify return code'; done",
            "== edge-lb-01",
            "depth=2 C = US, O = Internet Security Research Group, CN = ISRG Root X1",
            "depth=1 C = US, O = Let's Encrypt, CN = R11",
            "depth=0 CN = api.lindqvist.example",
            " 0 s:CN = api.lindqvist.example",
            " 1 s:C = US, O = Let's Encrypt, CN = R11",
            "Verify return code: 0 (ok)",
            "== edge-lb-02",
            "depth=0 CN = api.lindqvist.example",
            "verify error:num=20:unable to get local issuer certificate",
            "verify error:num=21:unable to verify the first certificate",
            " 0 s:CN = api.lindqvist.example",
            "Verify return code: 21 (unable to verify the first certificate)",
            "",
            "$ dig +short api.lindqvist.example",
            "185.41.12.20",
            "185.41.12.21",
            "",
        ]
    )
    return Bundle(
        question="Since this morning the Android app and partner integrations often fail with SSL errors against api.lindqvist.example, while the website works fine. What is the root cause?",
        category="tls",
        component="edge-lb-02",
        statement="At the 23:41 UTC renewal edge-lb-02's deploy hook built its PEM from cert.pem instead of fullchain.pem, so edge-lb-02 presents only the leaf certificate without the Let's Encrypt intermediate; clients that do not fetch intermediates (Java, Python, Android) fail verification on connections that land on edge-lb-02.",
        files={
            "logs/edge-lb-01-haproxy.log": lb1.render(),
            "logs/edge-lb-02-haproxy.log": lb2.render(),
            "edge-lb-02-journal.txt": journal,
            "logs/partner-sync.log": sync.render(),
            "openssl-s_client.txt": probe,
        },
        proofs=[
            Proof(
                "edge-lb-02-journal.txt", "cat /etc/letsencrypt/live/api.lindqvist.example/cert.pem"
            ),
            Proof(
                "openssl-s_client.txt",
                "verify error:num=20:unable to get local issuer certificate",
                "Verify return code: 21",
            ),
        ],
        decoys=[
            "Server be_api/app-03 is DOWN",
            "429 Too Many Requests",
            "bad key share",
        ],
    )
