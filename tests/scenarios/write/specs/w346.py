# ruff: noqa: E501
# Hand-written log lines and pasted command output are data, kept whole on one line.
"""Load balancer host lb-edge-02 (nginx): a logrotate change on 10-19 replaced the
`postrotate` reload with `copytruncate: no` and no signal, so nginx keeps writing the deleted
access.log.1. The deleted file grows until /var is full at 03:17 UTC; nginx then cannot buffer
request bodies (`client_body_temp ... No space left on device`) and uploads through the balancer
fail with 500, while `du` under /var/log shows only a few GB. Decoys: an upstream marked down
briefly, an OCSP stapling warning, and the app's loud upload errors."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import NginxError, Syslog3164
from scenes import at, loud
from traffic import Line, host_traffic, traffic

START = datetime(2026, 10, 23, 2, 20, tzinfo=UTC)
MINUTES = 95


def body_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'pwrite() "/var/cache/nginx/client_temp/00000{rng.randrange(10000, 99999)}" failed (28: No space left on device), client: 198.51.100.{rng.randrange(2, 250)}, server: upload.kestrel-files.example, request: "POST /v1/upload HTTP/1.1", host: "upload.kestrel-files.example"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(346_1023)
    err = LogFile("logs/nginx-error.log", NginxError(rng=rng))
    err.add(
        [
            at(
                START,
                11.0,
                "WARN",
                'upstream server temporarily disabled while connecting to upstream, client: 198.51.100.23, server: upload.kestrel-files.example, request: "GET /v1/files/88123 HTTP/1.1", upstream: "http://10.8.2.14:8080/v1/files/88123"',
            ),
            at(
                START,
                34.0,
                "WARN",
                '"ssl_stapling" ignored, host not found in OCSP responder "r11.o.lencr.org" in the certificate "/etc/nginx/tls/kestrel-files.pem"',
            ),
        ]
    )
    err.add(
        traffic(
            rng,
            lambda r: (
                "WARN",
                f"a client request body is buffered to a temporary file /var/cache/nginx/client_temp/00000{r.randrange(10000, 99999)}, client: 198.51.100.{r.randrange(2, 250)}",
                (),
            ),
            START,
            57,
            180,
        )
    )
    err.add(loud(rng, START, 57.3, MINUTES - 57.5, 420, body_error))
    sys = LogFile("logs/syslog-lb-edge-02.log", Syslog3164("lb-edge-02", "kernel", 0))
    sys.add(host_traffic(rng, START, MINUTES, 900))
    sys.add(
        [
            at(START, 57.1, "WARN", "/var: write failed, filesystem is full", logger="kernel"),
            at(
                START,
                38.0,
                "INFO",
                "Started logrotate.service - Rotate log files.",
                logger="systemd[1]",
            ),
        ]
    )
    notes = (
        "\n".join(
            [
                "# pasted from lb-edge-02 at 03:52 UTC",
                "$ df -h /var",
                "Filesystem                 Size  Used Avail Use% Mounted on",
                "/dev/mapper/vg0-var         40G   40G     0 100% /var",
                "$ sudo du -sh /var/log /var/cache /var/lib",
                "3.1G\t/var/log",
                "412M\t/var/cache",
                "1.9G\t/var/lib",
                "$ sudo lsof +L1 | grep -v '^COMMAND'",
                "nginx    1187 www-data    5w   REG  253,2 35864203264     0 1311022 /var/log/nginx/access.log.1 (deleted)",
                "nginx    1188 www-data    5w   REG  253,2 35864203264     0 1311022 /var/log/nginx/access.log.1 (deleted)",
                "$ cat /etc/logrotate.d/nginx",
                "/var/log/nginx/*.log {",
                "    daily",
                "    rotate 7",
                "    compress",
                "    delaycompress",
                "    missingok",
                "    notifempty",
                "    # 2026-10-19 hardening PR #412: removed postrotate (no signals from logrotate)",
                "}",
                "$ git -C /etc/ansible-facts log --oneline -1 roles/nginx/templates/logrotate.j2",
                "9f41c2e roles/nginx: drop postrotate invoke-rc.d reload",
            ]
        )
        + "\n"
    )
    return Bundle(
        question="Uploads through lb-edge-02 fail with 500 since about 03:17 UTC; downloads still work. What is the root cause?",
        category="disk",
        component="lb-edge-02",
        statement="Since a logrotate change on 10-19 dropped the postrotate reload, nginx on lb-edge-02 keeps writing the rotated, deleted access.log.1 (35 GB held open); /var filled at 03:17 UTC and nginx can no longer buffer request bodies (`No space left on device`), so uploads fail.",
        files={
            "logs/nginx-error.log": err.render(),
            "logs/syslog-lb-edge-02.log": sys.render(),
            "notes.md": notes,
        },
        proofs=[
            Proof("notes.md", "nginx    1187 www-data"),
            Proof("notes.md", "removed postrotate"),
            Proof("logs/syslog-lb-edge-02.log", "/var: write failed, filesystem is full"),
        ],
        decoys=["upstream server temporarily disabled", "ssl_stapling", "POST /v1/upload"],
    )
