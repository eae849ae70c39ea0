# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""DNS: nginx on web-gw-02 proxies /api/ to `proxy_pass https://search-api.internal.vaalbank.example`
with no `resolver`, so it resolved the name once at its start (three days ago). The search
team's load balancer was replaced at 15:20 UTC and the name now points to new addresses; the old
ones stop answering at 15:42 and nginx keeps connecting to them: upstream timeouts and 504.
Decoys: a 499 burst from a mobile client, an nginx `worker_connections` notice, and a slow
upstream warning on /static."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError
from scenes import at, fixed, loud
from traffic import http_access, traffic

START = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
MINUTES = 75
OLD = ["10.140.8.21", "10.140.9.34"]


def bundle() -> Bundle:
    rng = random.Random(40610)
    access = LogFile("logs/access.log", NginxAccess(rng=rng))
    access.add(
        traffic(
            rng,
            http_access(
                [
                    "/api/search?q={id}",
                    "/api/suggest?q={id}",
                    "/static/app.{id}.js",
                    "/",
                    "/account",
                ]
            ),
            START,
            MINUTES,
            4200,
        )
    )
    access.add(
        loud(
            rng,
            START,
            42.2,
            MINUTES - 42.3,
            900,
            fixed(
                "ERROR",
                lambda r: (
                    f'"GET /api/search?q={r.randrange(10**6)} HTTP/1.1" 504 562 "-" "Mozilla/5.0 (X11; Linux x86_64)" 60.00{r.randrange(1, 9)}'
                ),
            ),
        )
    )
    error = LogFile("logs/error.log", NginxError(rng=rng))
    error.add(
        loud(
            rng,
            START,
            42.2,
            MINUTES - 42.3,
            700,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while connecting to upstream, client: 10.3.{r.randrange(256)}.{r.randrange(1, 255)}, server: www.vaalbank.example, request: "GET /api/search?q={r.randrange(10**6)} HTTP/1.1", upstream: "https://{r.choice(OLD)}:443/search", host: "www.vaalbank.example"'
                ),
            ),
        )
    )
    error.add(
        [
            at(START, 9.0, "WARN", "1024 worker_connections are not enough, reusing connections"),
            at(
                START,
                26.0,
                "WARN",
                'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/4/17/0000000174 while reading upstream, client: 10.3.44.9, server: www.vaalbank.example, request: "GET /static/app.bundle.js HTTP/1.1", upstream: "http://127.0.0.1:8081/static/app.bundle.js", host: "www.vaalbank.example"',
            ),
        ]
    )
    access.add(
        loud(
            rng,
            START,
            18.0,
            0.5,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f'"GET /api/suggest?q={r.randrange(10**6)} HTTP/1.1" 499 0 "-" "VaalBank/7.2 (iPhone; iOS 18.1)" 0.{r.randrange(100, 999)}'
                ),
            ),
        )
    )
    notes = "\n".join(
        [
            "$ dig +short search-api.internal.vaalbank.example",
            "10.140.12.7",
            "10.140.13.52",
            "",
            "$ sudo ss -tnp state syn-sent | grep nginx | head -3",
            '0      1      10.3.1.15:51834    10.140.8.21:443    users:(("nginx",pid=2231,fd=61))',
            '0      1      10.3.1.15:51846    10.140.9.34:443    users:(("nginx",pid=2233,fd=47))',
            '0      1      10.3.1.15:51852    10.140.8.21:443    users:(("nginx",pid=2232,fd=88))',
            "",
            "$ grep -n 'resolver\\|proxy_pass' /etc/nginx/conf.d/www.conf",
            "41:        proxy_pass https://search-api.internal.vaalbank.example/search;",
            "58:        proxy_pass http://127.0.0.1:8081;",
            "",
            "$ systemctl show nginx -p ActiveEnterTimestamp",
            "ActiveEnterTimestamp=Fri 2026-11-13 09:12:55 UTC",
            "",
            "# from #search-team, 15:21: new internal LB for search-api is live, DNS switched (TTL 60), old LB drained and deleted at 15:40",
            "",
        ]
    )
    return Bundle(
        question="Search on www.vaalbank.example returns 504 since about 15:42 UTC, but the search team says their service is healthy. Why?",
        category="dns",
        component="nginx",
        statement="nginx on web-gw-02 resolved search-api.internal.vaalbank.example only at start-up (no `resolver` directive), so after the search load balancer was replaced and the old one deleted, nginx still connects to the old addresses 10.140.8.21/10.140.9.34 and times out, giving 504.",
        files={
            "logs/access.log": access.render(),
            "logs/error.log": error.render(),
            "web-gw-02-checks.txt": notes,
        },
        proofs=[
            Proof("web-gw-02-checks.txt", "41:        proxy_pass https://search-api"),
            Proof("web-gw-02-checks.txt", "10.3.1.15:51834    10.140.8.21:443"),
        ],
        decoys=[
            "worker_connections are not enough",
            "an upstream response is buffered to a temporary file",
            '499 0 "-" "VaalBank/7.2',
        ],
    )
