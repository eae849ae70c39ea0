# ruff: noqa: E501
# Hand-written nginx lines and pasted shell and AWS CLI output are data, kept whole on one line.
"""Host, a proxy holding stale upstream addresses: gw-edge-02's nginx names the internal ALB
of ledger-api as a hostname inside an `upstream` block and has no `resolver`, so the name was
resolved once when nginx started on 30 September. The ALB was scaled at 02:40 UTC on 21 October
and AWS moved it to new node addresses; the old ones kept answering while they drained and
were released at about 08:57 UTC. From then gw-edge-02 keeps connecting to 10.42.17.88 (no
longer assigned: connect timeouts) and 10.42.33.140 (now a batch instance: connection
refused), then answers 504 and 502 (`no live upstreams`). gw-edge-01, reloaded at 06:15 UTC by
a certificate deploy hook, re-resolved the name and is fine; the name resolves to the new
addresses from everywhere. Loud: the partners' 502/504s. Decoys: a security-group change on
the ALB, OCSP stapling warnings on gw-edge-02, slow ledger queries."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, NginxAccess, NginxError
from scenes import at, fixed, loud
from traffic import http_access, traffic, web_api

START = datetime(2025, 10, 21, 7, 20, tzinfo=UTC)
MINUTES = 170.0
RELEASED = 97.0
ALB = "internal-ledger-alb-1730488215.eu-central-1.elb.amazonaws.com"
PATHS = [
    "/v2/ledger/accounts/{id}/balance",
    "/v2/ledger/transfers",
    "/v2/ledger/transfers/{id}",
    "/v2/ledger/statements/{id}",
]


def _edge_noise(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    client = f"198.51.100.{rng.randrange(2, 250)}"
    roll = rng.random()
    if roll < 0.45:
        return (
            "WARN",
            f'a client request body is buffered to a temporary file /var/cache/nginx/client_temp/00000{rng.randrange(10000, 99999)}, client: {client}, server: api.partners.kestrelpay.eu, request: "POST /v2/ledger/transfers HTTP/1.1", host: "api.partners.kestrelpay.eu"',
            (),
        )
    if roll < 0.75:
        return (
            "ERROR",
            f"SSL_do_handshake() failed (SSL: error:0A000126:SSL routines::unexpected eof while reading) while SSL handshaking, client: {client}, server: 0.0.0.0:443",
            (),
        )
    return (
        "ERROR",
        f'open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: {client}, server: api.partners.kestrelpay.eu, request: "GET /favicon.ico HTTP/1.1", host: "api.partners.kestrelpay.eu"',
        (),
    )


def _buffered(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    client = f"198.51.100.{rng.randrange(2, 250)}"
    statement = rng.randrange(10**6)
    return (
        "WARN",
        f'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{rng.randrange(10)}/{rng.randrange(10, 99)}/00000{rng.randrange(10000, 99999)} while reading upstream, client: {client}, server: api.partners.kestrelpay.eu, request: "GET /v2/ledger/statements/{statement} HTTP/1.1", upstream: "https://10.42.{rng.choice(["17.88", "33.140"])}:443/v2/ledger/statements/{statement}", host: "api.partners.kestrelpay.eu"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(48921)
    access = LogFile("logs/gw-edge-02-access.log", NginxAccess(rng))
    access.add(traffic(rng, http_access(PATHS, 35), START, RELEASED, 3400))
    access.add(
        traffic(
            rng,
            http_access(["/healthz", "/v2/ledger/accounts/{id}/balance"], 35),
            START.replace(hour=8, minute=57),
            MINUTES - RELEASED,
            380,
        )
    )
    access.add(
        loud(
            rng,
            START,
            RELEASED + 0.3,
            MINUTES - RELEASED - 0.5,
            1500,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f'"GET /v2/ledger/accounts/{r.randrange(10**6)}/balance HTTP/1.1" 504 167 "-" "kestrel-partner-sdk/3.4.1 (java 17)" 10.00{r.randrange(1, 9)}',
                        f'"POST /v2/ledger/transfers HTTP/1.1" 504 167 "-" "kestrel-partner-sdk/3.4.1 (java 17)" 10.00{r.randrange(1, 9)}',
                        f'"GET /v2/ledger/transfers/{r.randrange(10**6)} HTTP/1.1" 502 157 "-" "python-requests/2.31" 0.000',
                        '"POST /v2/ledger/transfers HTTP/1.1" 502 157 "-" "kestrel-partner-sdk/3.4.1 (java 17)" 0.001',
                    ]
                ),
                (),
            ),
        )
    )

    error = LogFile("logs/gw-edge-02-error.log", NginxError(rng))
    error.add(traffic(rng, _edge_noise, START, MINUTES, 300))
    error.add(traffic(rng, _buffered, START, RELEASED, 160))
    error.add(
        loud(
            rng,
            START,
            RELEASED,
            MINUTES - RELEASED - 0.5,
            640,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while connecting to upstream, client: 198.51.100.{r.randrange(2, 250)}, server: api.partners.kestrelpay.eu, request: "GET /v2/ledger/accounts/{r.randrange(10**6)}/balance HTTP/1.1", upstream: "https://10.42.17.88:443/v2/ledger/accounts/{r.randrange(10**6)}/balance", host: "api.partners.kestrelpay.eu"'
                ),
            ),
        )
    )
    error.add(
        loud(
            rng,
            START,
            RELEASED + 0.2,
            MINUTES - RELEASED - 0.7,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f'connect() failed (111: Connection refused) while connecting to upstream, client: 198.51.100.{r.randrange(2, 250)}, server: api.partners.kestrelpay.eu, request: "POST /v2/ledger/transfers HTTP/1.1", upstream: "https://10.42.33.140:443/v2/ledger/transfers", host: "api.partners.kestrelpay.eu"'
                ),
            ),
        )
    )
    error.add(
        loud(
            rng,
            START,
            RELEASED + 0.5,
            MINUTES - RELEASED - 1.0,
            700,
            fixed(
                "ERROR",
                lambda r: (
                    f'no live upstreams while connecting to upstream, client: 198.51.100.{r.randrange(2, 250)}, server: api.partners.kestrelpay.eu, request: "GET /v2/ledger/transfers/{r.randrange(10**6)} HTTP/1.1", upstream: "https://ledger_backend/v2/ledger/transfers/{r.randrange(10**6)}", host: "api.partners.kestrelpay.eu"'
                ),
            ),
        )
    )
    error.add(
        loud(
            rng,
            START,
            RELEASED + 0.1,
            MINUTES - RELEASED - 0.5,
            90,
            fixed(
                "WARN",
                lambda r: (
                    f'upstream server temporarily disabled while connecting to upstream, client: 198.51.100.{r.randrange(2, 250)}, server: api.partners.kestrelpay.eu, request: "GET /v2/ledger/accounts/{r.randrange(10**6)}/balance HTTP/1.1", upstream: "https://{r.choice(["10.42.17.88", "10.42.33.140"])}:443/v2/ledger/accounts/{r.randrange(10**6)}/balance", host: "api.partners.kestrelpay.eu"'
                ),
            ),
        )
    )
    error.add(
        [
            at(
                START,
                minute,
                "WARN",
                f'"ssl_stapling" ignored, OCSP responder "r11.o.lencr.org" timed out (110: Connection timed out) while requesting certificate status, responder: r11.o.lencr.org, peer: 23.{minute:.0f}.114.{int(minute * 3) % 250}:80, certificate: "/etc/nginx/tls/api.partners.kestrelpay.eu/fullchain.pem"',
            )
            for minute in (21.0, 83.0, 141.0)
        ]
    )

    ledger = LogFile(
        "logs/ledger-api.jsonl",
        JsonLines("ledger-api", ("time", "severity", "message"), rng=rng),
    )
    ledger.add(
        traffic(
            rng,
            web_api("ledger-api", ["accounts", "transfers", "statements"]),
            START,
            RELEASED,
            3600,
        )
    )
    ledger.add(
        traffic(
            rng,
            web_api("ledger-api", ["accounts", "transfers", "statements"]),
            START.replace(hour=8, minute=57),
            MINUTES - RELEASED,
            1900,
        )
    )
    ledger.add(
        [
            at(
                START,
                minute,
                "WARN",
                f"slow query {ms}ms on ledger_entries: SELECT ... FROM ledger_entries WHERE account_id = $1 AND booked_at >= $2 ORDER BY booked_at DESC LIMIT 500 (threshold 1000ms)",
            )
            for minute, ms in ((34.0, 2310), (101.5, 1870), (128.0, 2642), (152.2, 1404))
        ]
    )

    shell = "\n".join(
        [
            "admin@gw-edge-02:~$ dig +short " + ALB,
            "10.42.21.7",
            "10.42.38.216",
            "admin@gw-edge-02:~$ sudo nginx -T 2>/dev/null | grep -nE 'resolver|upstream |server internal|proxy_pass|keepalive '",
            "38:    upstream ledger_backend {",
            f"39:        server {ALB}:443 max_fails=3 fail_timeout=15s;",
            "40:        keepalive 64;",
            "71:            proxy_pass https://ledger_backend;",
            "88:            proxy_pass http://127.0.0.1:9913;",
            "admin@gw-edge-02:~$ ps -o pid,lstart,cmd -C nginx | head -4",
            "    PID                  STARTED CMD",
            "   1207 Tue Sep 30 04:12:51 2025 nginx: master process /usr/sbin/nginx -g daemon on; master_process on;",
            "   1208 Tue Sep 30 04:12:51 2025 nginx: worker process",
            "   1209 Tue Sep 30 04:12:51 2025 nginx: worker process",
            "admin@gw-edge-02:~$ sudo ss -tn state syn-sent '( dport = :443 )' | head -5",
            "Recv-Q Send-Q   Local Address:Port     Peer Address:Port Process",
            "0      1          10.42.4.23:51344     10.42.17.88:443",
            "0      1          10.42.4.23:51398     10.42.17.88:443",
            "0      1          10.42.4.23:51402     10.42.17.88:443",
            "0      1          10.42.4.23:51417     10.42.17.88:443",
            f"admin@gw-edge-02:~$ curl -sk -o /dev/null -w '%{{http_code}} %{{remote_ip}} %{{time_total}}\\n' https://{ALB}/healthz",
            "200 10.42.38.216 0.021",
            "",
            "admin@gw-edge-01:~$ dig +short " + ALB,
            "10.42.38.216",
            "10.42.21.7",
            "admin@gw-edge-01:~$ ps -o pid,lstart,cmd -C nginx | head -3",
            "    PID                  STARTED CMD",
            "   1188 Tue Sep 30 04:09:02 2025 nginx: master process /usr/sbin/nginx -g daemon on; master_process on;",
            "  48811 Tue Oct 21 06:15:07 2025 nginx: worker process",
            "",
            "laptop$ aws ec2 describe-network-interfaces --filters Name=addresses.private-ip-address,Values=10.42.17.88,10.42.33.140,10.42.21.7,10.42.38.216 --query 'NetworkInterfaces[].[PrivateIpAddress,Description,Attachment.InstanceId]' --output text",
            "10.42.21.7\tELB app/internal-ledger-alb/5f2c81d0e93a4b17\tNone",
            "10.42.33.140\tPrimary network interface\ti-0c71e4a9b2d58f316",
            "10.42.38.216\tELB app/internal-ledger-alb/5f2c81d0e93a4b17\tNone",
            "laptop$ aws ec2 describe-instances --instance-ids i-0c71e4a9b2d58f316 --query 'Reservations[].Instances[].[Tags[?Key==`Name`]|[0].Value,LaunchTime]' --output text",
            "recon-batch-spot-07\t2025-10-21T08:58:40+00:00",
            "",
        ]
    )
    notes = "\n".join(
        [
            "## INC-7304 partner API errors (10:05 UTC)",
            "",
            "- Partners report 504/502 on api.partners.kestrelpay.eu since ~08:57 UTC; roughly half of calls fail (DNS round-robin over gw-edge-01 and gw-edge-02).",
            "- ledger-api dashboards normal: p99 140 ms, no 5xx, pods healthy; its request rate dropped by about a third at 08:57.",
            "- Netsec change NET-2219 at 08:40: tightened the security group of internal-ledger-alb (port 80 removed). Rolled back at 09:35, no change in errors.",
            "- The ALB was scaled up by AWS at 02:40 after last night's load test (ticket PERF-88).",
            "- gw-edge-01 got the certbot deploy hook this morning (06:15, `nginx -s reload`); gw-edge-02's certificate was not due.",
            "- OCSP stapling warnings on gw-edge-02 are old (seen for weeks).",
            "",
        ]
    )
    return Bundle(
        question="Since about 08:57 UTC roughly half of the partner API calls get 504 or 502 from the edge, while ledger-api looks healthy. What is the root cause?",
        category="dns",
        component="gw-edge-02",
        statement="gw-edge-02's nginx names ledger-api's internal ALB by hostname in its upstream block with no resolver, so it resolved it only at start-up on 30 September; after the ALB moved to new addresses and released 10.42.17.88 and 10.42.33.140 at about 08:57 UTC, gw-edge-02 keeps connecting to those stale addresses (timeouts, connection refused, no live upstreams) while the name resolves to 10.42.21.7 and 10.42.38.216.",
        files={
            "notes.md": notes,
            "edge-checks.txt": shell,
            "logs/gw-edge-02-error.log": error.render(),
            "logs/gw-edge-02-access.log": access.render(),
            "logs/ledger-api.jsonl": ledger.render(),
        },
        proofs=[
            Proof("edge-checks.txt", f"39:        server {ALB}:443"),
            Proof("edge-checks.txt", "   1207 Tue Sep 30 04:12:51 2025 nginx: master"),
            Proof("edge-checks.txt", "admin@gw-edge-02:~$ dig +short", "10.42.38.216"),
            Proof("edge-checks.txt", "0      1          10.42.4.23:51344"),
            Proof("edge-checks.txt", "10.42.33.140\tPrimary network interface"),
        ],
        decoys=["NET-2219", '"ssl_stapling" ignored', "slow query"],
    )
