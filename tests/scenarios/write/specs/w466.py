# ruff: noqa: E501
# nginx and journal lines, client log lines and pasted shell output are data, kept whole on one line.
"""TLS: api.quillfold.com is served by two edge hosts in DNS round robin. Both renewed their
Let's Encrypt certificate on 14 October, but edge-02, rebuilt in September, lost the
`renewal-hooks/deploy/reload-nginx.sh` hook, so its nginx (master started 2 September, never
reloaded) still serves the old certificate from memory. That certificate expires on 12 November
at 08:17:09 UTC; from then about half of the clients' connections (those resolved to edge-02)
fail with `certificate has expired`, while the file on disk is valid. Decoys: edge-01's OCSP
stapling warning, certbot's "not yet due" lines, a partner's 401s unrelated to TLS, and the
SSL handshake errors themselves (a symptom)."""

import random
from dataclasses import replace
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, Zap
from scenes import at, fixed, loud
from traffic import Line, http_access, traffic

START = datetime(2026, 11, 12, 6, 45, tzinfo=UTC)
MINUTES = 150.0
EXPIRY = 92.15


def sync_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"pushed {rng.randrange(1, 80)} ledger entries to https://api.quillfold.com/v3/entries in {rng.randrange(40, 400)}ms",
            (),
        )
    return (
        "INFO",
        f"pulled account snapshot {rng.getrandbits(40):010x} ({rng.randrange(1, 900)} KiB)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(46666)
    paths = ["/v3/entries", "/v3/accounts/{id}", "/v3/accounts/{id}/balance", "/v3/health"]
    edge1 = LogFile("logs/edge-01-access.log", NginxAccess(rng))
    edge1.add(traffic(rng, http_access(paths, 35), START, MINUTES, 4200))
    edge2 = LogFile("logs/edge-02-access.log", NginxAccess(rng))
    edge2.add(traffic(rng, http_access(paths, 35), START, EXPIRY, 2600))
    edge2.add(
        traffic(
            rng,
            http_access(paths, 35),
            START.replace(hour=8, minute=17, second=20),
            MINUTES - EXPIRY - 0.4,
            350,
        )
    )
    err2 = LogFile("logs/edge-02-error.log", NginxError(rng))
    err2.add(
        loud(
            rng,
            START,
            EXPIRY + 0.01,
            MINUTES - EXPIRY - 0.2,
            900,
            fixed(
                "INFO",
                lambda r: (
                    f"SSL_do_handshake() failed (SSL: error:0A000416:SSL routines::sslv3 alert certificate unknown:SSL alert number 46) while SSL handshaking, client: {r.choice(['34.89', '52.17', '18.202', '3.121'])}.{r.randrange(256)}.{r.randrange(1, 255)}, server: 0.0.0.0:443"
                ),
            ),
        )
    )
    err2.add(
        loud(
            rng,
            START,
            EXPIRY + 0.01,
            MINUTES - EXPIRY - 0.2,
            300,
            fixed(
                "INFO",
                lambda r: (
                    f"SSL_do_handshake() failed (SSL: error:0A000412:SSL routines::sslv3 alert bad certificate:SSL alert number 42) while SSL handshaking, client: {r.choice(['34.89', '52.17'])}.{r.randrange(256)}.{r.randrange(1, 255)}, server: 0.0.0.0:443"
                ),
            ),
        )
    )
    err1 = LogFile("logs/edge-01-error.log", NginxError(rng))
    err1.add(
        [
            at(
                START,
                21.0,
                "WARN",
                'OCSP responder timed out (110: Connection timed out) while requesting certificate status, responder: r11.o.lencr.org, peer: 23.215.0.136:80, certificate: "/etc/letsencrypt/live/api.quillfold.com/fullchain.pem"',
            )
        ]
    )
    client = LogFile(
        "logs/ledger-sync.log", Zap(("sync/pusher.go:88", "sync/puller.go:131"), rng=rng)
    )
    client.add(traffic(rng, sync_line, START, MINUTES, 2400))
    failures = loud(
        rng,
        START,
        EXPIRY + 0.05,
        MINUTES - EXPIRY - 0.3,
        480,
        fixed(
            "ERROR",
            lambda r: (
                'push failed: Post "https://api.quillfold.com/v3/entries": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time NOW is after 2026-11-12T08:17:09Z'
            ),
        ),
    )
    client.add(
        [
            replace(
                f,
                message=f.message.replace("NOW", f.time.strftime("%Y-%m-%dT%H:%M:%SZ")),
                logger="sync/pusher.go:88",
            )
            for f in failures
        ]
    )
    client.add(
        loud(
            rng,
            START,
            30,
            4,
            12,
            fixed(
                "WARN",
                lambda r: (
                    'pull failed: GET https://partner.brightmint.io/v1/statements: 401 Unauthorized {"error":"token_expired"}; refreshing token'
                ),
            ),
        )
    )
    pasted = "\n".join(
        [
            "$ for h in edge-01 edge-02; do echo | openssl s_client -connect $h.quillfold.net:443 -servername api.quillfold.com 2>/dev/null | openssl x509 -noout -serial -enddate; done",
            "serial=04A17C2E9D3B5F60817E4C2D9A0B3F51C7E8",
            "notAfter=Jan 12 07:02:41 2027 GMT",
            "serial=03F9B2D61E0A4C7358B1E92F4D6A0C3B8E15",
            "notAfter=Nov 12 08:17:09 2026 GMT",
            "",
            "[root@edge-02 ~]# openssl x509 -noout -serial -enddate -in /etc/letsencrypt/live/api.quillfold.com/fullchain.pem",
            "serial=05C3E8A17B2D4F9061E3B7C5D0A2F48E9B16",
            "notAfter=Jan 12 07:05:13 2027 GMT",
            "[root@edge-02 ~]# ps -o pid,lstart,cmd -C nginx | head -2",
            "    PID                  STARTED CMD",
            "    911 Wed Sep  2 10:14:37 2026 nginx: master process /usr/sbin/nginx -g daemon on; master_process on;",
            "[root@edge-02 ~]# ls -la /etc/letsencrypt/renewal-hooks/deploy/",
            "total 8",
            "drwxr-xr-x. 2 root root 4096 Sep  2 10:02 .",
            "drwxr-xr-x. 5 root root 4096 Sep  2 10:02 ..",
            "[root@edge-02 ~]# journalctl -u certbot-renew --since 2026-10-14 --until 2026-10-15 --no-pager | tail -6",
            "Oct 14 03:12:44 edge-02 certbot[48211]: Renewing an existing certificate for api.quillfold.com",
            "Oct 14 03:12:58 edge-02 certbot[48211]: Congratulations, all renewals succeeded:",
            "Oct 14 03:12:58 edge-02 certbot[48211]:   /etc/letsencrypt/live/api.quillfold.com/fullchain.pem (success)",
            "Oct 14 03:12:58 edge-02 systemd[1]: certbot-renew.service: Deactivated successfully.",
            "Oct 14 03:12:58 edge-02 systemd[1]: Finished certbot-renew.service - This service automatically renews any certbot certificates found.",
            "[root@edge-02 ~]# journalctl -u certbot-renew --since today --no-pager | tail -2",
            "Nov 12 03:12:31 edge-02 certbot[77102]: Certificate not yet due for renewal",
            "Nov 12 03:12:31 edge-02 certbot[77102]: No renewals were attempted.",
            "",
            "[root@edge-01 ~]# ls -la /etc/letsencrypt/renewal-hooks/deploy/",
            "total 12",
            "drwxr-xr-x. 2 root root 4096 Mar  3  2025 .",
            "drwxr-xr-x. 5 root root 4096 Mar  3  2025 ..",
            "-rwxr-xr-x. 1 root root   58 Mar  3  2025 reload-nginx.sh",
            "[root@edge-01 ~]# journalctl -u certbot-renew --since 2026-10-14 --until 2026-10-15 --no-pager | grep -i hook",
            "Oct 14 03:09:17 edge-01 certbot[51930]: Running deploy-hook command: /etc/letsencrypt/renewal-hooks/deploy/reload-nginx.sh",
            "",
        ]
    )
    return Bundle(
        question="Since 08:17 UTC roughly half of ledger-sync's pushes to api.quillfold.com fail with certificate errors. What is the root cause?",
        category="tls",
        component="edge-02",
        statement="edge-02 renewed its certificate on 14 October but, rebuilt without the certbot deploy hook that reloads nginx, its nginx (running since 2 September) still serves the old certificate, which expired at 08:17:09 UTC on 12 November; clients sent to edge-02 by DNS round robin fail verification.",
        files={
            "edge-hosts.txt": pasted,
            "logs/ledger-sync.log": client.render(),
            "logs/edge-01-access.log": edge1.render(),
            "logs/edge-01-error.log": err1.render(),
            "logs/edge-02-access.log": edge2.render(),
            "logs/edge-02-error.log": err2.render(),
        },
        proofs=[
            Proof("edge-hosts.txt", "notAfter=Nov 12 08:17:09 2026 GMT"),
            Proof("edge-hosts.txt", "911 Wed Sep  2 10:14:37 2026 nginx: master process"),
            Proof(
                "edge-hosts.txt",
                "[root@edge-02 ~]# ls -la /etc/letsencrypt/renewal-hooks/deploy/",
                "drwxr-xr-x. 5 root root 4096 Sep  2 10:02 ..",
            ),
        ],
        decoys=[
            "OCSP responder timed out",
            "Certificate not yet due for renewal",
            "401 Unauthorized",
            "SSL_do_handshake() failed",
        ],
    )
