# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""TLS: on lb-edge-01 the certificate for api.tidewater.example was renewed on 09-20, but the
renewal hook's `systemctl reload haproxy` failed its configuration check (an unknown keyword
added by hand the week before) and haproxy kept running with the old certificate in memory,
which expired at 2026-10-04 08:14 UTC. Clients now fail their handshakes. Decoys: a backend
health check flap, a `Proxy ... started` line, and a client sending HTTP to the TLS port."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Journal, Syslog3164
from scenes import at, fixed, loud
from traffic import Line, host_traffic, traffic

START = datetime(2026, 10, 4, 7, 40, tzinfo=UTC)
MINUTES = 70


def ok(rng: random.Random) -> Line:
    return (
        "INFO",
        f'10.8.{rng.randrange(256)}.{rng.randrange(1, 255)}:{rng.randrange(1024, 65535)} [04/Oct/2026:0{rng.randrange(7, 9)}:{rng.randrange(10, 59)}:{rng.randrange(10, 59)}.{rng.randrange(100, 999)}] fe_https~ be_api/api0{rng.randrange(1, 4)} 0/0/{rng.randrange(1, 3)}/{rng.randrange(5, 90)}/{rng.randrange(6, 95)} 200 {rng.randrange(300, 9000)} - - ---- {rng.randrange(100, 300)}/{rng.randrange(100, 300)}/{rng.randrange(1, 9)}/0/0 0/0 "GET /v2/{rng.choice(["tides", "stations", "forecast"])}/{rng.randrange(9999)} HTTP/1.1"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(40509)
    hap = LogFile("logs/haproxy.log", Syslog3164("lb-edge-01", "haproxy", 2214))
    hap.add(traffic(rng, ok, START, 34.0, 3000))
    hap.add(
        loud(
            rng,
            START,
            34.1,
            MINUTES - 34.2,
            2100,
            fixed(
                "ERROR",
                lambda r: (
                    f"10.8.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(1024, 65535)} [04/Oct/2026:08:{r.randrange(14, 50)}:{r.randrange(10, 59)}.{r.randrange(100, 999)}] fe_https/1: SSL handshake failure"
                ),
            ),
        )
    )
    hap.add(
        [
            at(
                START,
                12.0,
                "WARN",
                "Server be_api/api02 is DOWN, reason: Layer7 timeout, check duration: 2001ms. 2 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
            ),
            at(
                START,
                12.6,
                "INFO",
                "Server be_api/api02 is UP, reason: Layer7 check passed, code: 200, check duration: 14ms. 3 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
            ),
            at(
                START,
                20.0,
                "ERROR",
                "10.8.77.19:51212 [04/Oct/2026:08:00:02.114] fe_https/1: SSL handshake failure (error:0A00009C:SSL routines::http request)",
            ),
        ]
    )
    journal = LogFile("journal-lb-edge-01.txt", Journal("lb-edge-01", "systemd", 1))
    journal.add(host_traffic(rng, START, MINUTES, 300))
    journal.add(
        [
            at(
                START,
                55.0,
                "INFO",
                "haproxy.service: Reloading requested by operator (not performed yet)",
            )
        ]
    )
    renew = "\n".join(
        [
            "$ sudo grep -h 'api.tidewater' /var/log/letsencrypt/letsencrypt.log* | tail -4",
            "2026-09-20 03:17:41,208:INFO:certbot._internal.renewal:Certificate for api.tidewater.example renewed, new expiry 2026-12-19",
            "2026-09-20 03:17:41,552:INFO:certbot._internal.hooks:Running deploy-hook command: /etc/letsencrypt/renewal-hooks/deploy/haproxy.sh",
            '2026-09-20 03:17:41,894:ERROR:certbot._internal.hooks:deploy-hook command "/etc/letsencrypt/renewal-hooks/deploy/haproxy.sh" returned error code 1',
            "2026-09-20 03:17:41,895:ERROR:certbot._internal.hooks:Error output from deploy-hook command haproxy.sh:\n[ALERT]    (918244) : config : parsing [/etc/haproxy/haproxy.cfg:88] : unknown keyword 'http-reuse-always' in 'backend' section\n[ALERT]    (918244) : config : Fatal errors found in configuration.\nJob for haproxy.service failed because the control process exited with error code.",
            "",
            "$ echo | openssl s_client -connect 127.0.0.1:443 -servername api.tidewater.example 2>/dev/null | openssl x509 -noout -enddate -serial",
            "notAfter=Oct  4 08:14:03 2026 GMT",
            "serial=04A91C77E2B3F0D96B1C5E2A8F70D4431E52",
            "",
            "$ sudo openssl x509 -in /etc/haproxy/certs/api.tidewater.example.pem -noout -enddate",
            "notAfter=Dec 19 02:17:40 2026 GMT",
            "",
            "$ systemctl show haproxy -p ActiveEnterTimestamp",
            "ActiveEnterTimestamp=Mon 2026-08-31 22:41:09 UTC",
            "",
        ]
    )
    return Bundle(
        question="Since about 08:14 UTC every client of api.tidewater.example fails with TLS errors; the backends are healthy. What happened?",
        category="tls",
        component="haproxy",
        statement="haproxy on lb-edge-01 still serves the old certificate for api.tidewater.example, which expired at 08:14 UTC: the 09-20 renewal wrote a new certificate but the deploy hook's reload failed on an invalid config line (`unknown keyword 'http-reuse-always'`), so the running process never loaded it.",
        files={
            "logs/haproxy.log": hap.render(),
            "journal-lb-edge-01.txt": journal.render(),
            "shell-and-checks.txt": renew,
        },
        proofs=[
            Proof("shell-and-checks.txt", "returned error code 1"),
            Proof("shell-and-checks.txt", "notAfter=Oct  4 08:14:03 2026 GMT"),
        ],
        decoys=[
            "Server be_api/api02 is DOWN, reason: Layer7 timeout",
            "SSL routines::http request",
            "Reloading requested by operator",
        ],
    )
