# ruff: noqa: E501
# Hand-written log lines, config excerpts and notes are data, kept whole on one line.
"""nginx, rate limiting: at 11:30 local time (+02:00) marketing switched api.shopfront.example's
DNS to Cloudflare's proxy. The edge nginx still limits with `limit_req_zone $binary_remote_addr
zone=api_per_ip rate=20r/s` and has no real_ip configuration, so every visitor now shares the
bucket of the few Cloudflare addresses that connect; from about 11:34 most API calls get 503
(`limiting requests, excess: ... by zone "api_per_ip", client: 172.70...`). The Django backend
sees less traffic, not more. Loud: 503s in the access log and customer complaints. Decoys: the
backend's slow-query warning, a certbot reload at 10:12, and a bot scanning /wp-login.php that
was rate-limited earlier in the morning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record
from scenes import at, loud
from traffic import traffic

CEST = timezone(timedelta(hours=2))
START = datetime(2025, 6, 17, 7, 50, tzinfo=UTC)
SWITCH = 100.0
MINUTES = 160
CDN = [
    "172.70.135.22",
    "172.70.142.87",
    "162.158.90.14",
    "172.71.98.203",
    "162.158.94.61",
    "172.68.29.140",
]
PATHS = [
    "/v2/feed",
    "/v2/products/{id}",
    "/v2/cart",
    "/v2/search?q=sneakers",
    "/v2/products/{id}/reviews",
    "/v2/session",
    "/static/app.{id}.js",
]


@dataclass
class Access:
    """nginx combined log in +02:00; the record's logger is the client address."""

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(CEST)
        return [f"{record.logger} - - [{local.strftime('%d/%b/%Y:%H:%M:%S %z')}] {record.message}"]


@dataclass
class Error:
    """nginx error log (local time)."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(CEST)
        level = {"WARN": "warn", "INFO": "notice", "ERROR": "error"}[record.level]
        return [
            f"{local.strftime('%Y/%m/%d %H:%M:%S')} [{level}] {self.rng.choice([2811, 2812, 2813, 2814])}#0: *{self.rng.randrange(10**5, 10**7)} {record.message}"
        ]


def request(rng: random.Random, status: int | None = None) -> str:
    path = rng.choice(PATHS).replace("{id}", str(rng.randrange(10**5)))
    code = status or rng.choices([200, 200, 304, 404, 499], [70, 10, 12, 5, 1])[0]
    size = 197 if code == 503 else rng.randrange(300, 40000)
    took = 0.000 if code == 503 else rng.lognormvariate(0, 0.5) * 0.045
    agent = rng.choice(
        [
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/125.0",
            "ShopfrontApp/6.2.1 (Android 14)",
        ]
    )
    return f'"{"POST" if path == "/v2/cart" and rng.random() < 0.5 else "GET"} {path} HTTP/1.1" {code} {size} "-" "{agent}" rt={took:.3f}'


def bundle() -> Bundle:
    rng = random.Random(20235)
    access = LogFile("nginx/access.log", Access())
    before = traffic(rng, lambda r: ("INFO", request(r), ()), START, SWITCH, 4200)
    access.add(
        [
            Record(
                r.time,
                r.level,
                r.message,
                (),
                f"{rng.choice([81, 85, 91, 93, 178, 212])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            )
            for r in before
        ]
    )
    after = traffic(
        rng, lambda r: ("INFO", "", ()), START + timedelta(minutes=SWITCH), MINUTES - SWITCH, 3600
    )
    ramp = 4.0
    for r in after:
        minute = (r.time - START).total_seconds() / 60 - SWITCH
        limited = rng.random() < min(0.78, 0.78 * minute / ramp)
        access.add(
            [Record(r.time, "INFO", request(rng, 503 if limited else None), (), rng.choice(CDN))]
        )
    error = LogFile("nginx/error.log", Error(rng))
    error.add(
        [
            at(START, 22.0, "INFO", "signal process started"),
            at(START, 22.01, "INFO", "reconfiguring"),
        ]
    )
    scanner = "45.148.10.62"
    error.add(
        loud(
            rng,
            START,
            5,
            9,
            90,
            lambda r: (
                "ERROR",
                f'limiting requests, excess: {r.uniform(40.01, 41.9):.3f} by zone "api_per_ip", client: {scanner}, server: api.shopfront.example, request: "POST /wp-login.php HTTP/1.1", host: "api.shopfront.example"',
                (),
            ),
        )
    )
    error.add(
        loud(
            rng,
            START,
            SWITCH + 0.6,
            MINUTES - SWITCH - 0.7,
            1900,
            lambda r: (
                "ERROR",
                f'limiting requests, excess: {r.uniform(40.01, 41.9):.3f} by zone "api_per_ip", client: {r.choice(CDN)}, server: api.shopfront.example, request: "GET {r.choice(PATHS).replace("{id}", str(r.randrange(10**5)))} HTTP/1.1", host: "api.shopfront.example"',
                (),
            ),
        )
    )
    error.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            25,
            lambda r: (
                "ERROR",
                f'open() "/var/www/shopfront/static/app.{r.randrange(10**5)}.js" failed (2: No such file or directory), client: 10.0.4.{r.randrange(2, 250)}, server: api.shopfront.example, request: "GET /static/app.{r.randrange(10**5)}.js HTTP/1.1", host: "api.shopfront.example"',
                (),
            ),
        )
    )
    app = LogFile(
        "logs/django.log", PythonLogging(("django.request", "shop.views", "shop.cache"), rng=rng)
    )
    app.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"feed built for user {r.randrange(10**6)} items=40 in {r.randrange(12, 90)}ms",
                        f"cart {r.getrandbits(32):08x} updated",
                        f"search q=sneakers results={r.randrange(0, 400)}",
                    ]
                ),
                (),
            ),
            START,
            SWITCH,
            2600,
        )
    )
    app.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"feed built for user {r.randrange(10**6)} items=40 in {r.randrange(12, 90)}ms",
                        f"cart {r.getrandbits(32):08x} updated",
                    ]
                ),
                (),
            ),
            START + timedelta(minutes=SWITCH),
            MINUTES - SWITCH,
            520,
        )
    )
    app.add(
        [
            at(
                START,
                118.2,
                "WARN",
                "slow query 1.84s: SELECT ... FROM shop_review WHERE product_id = %s ORDER BY created DESC",
                (),
                "django.db.backends",
            )
        ]
    )
    notes = "\n".join(
        [
            "# Incident channel paste, 13:05 CEST",
            "",
            "Change calendar today:",
            "- 10:12 certbot renewed api.shopfront.example, nginx reloaded",
            "- 11:30 marketing: api.shopfront.example DNS switched to Cloudflare (proxied, orange cloud) for the DDoS protection trial, TTL 300",
            "",
            "edge-01:/etc/nginx/conf.d/api.conf (unchanged since May, per git):",
            "",
            "```",
            "limit_req_zone $binary_remote_addr zone=api_per_ip:10m rate=20r/s;",
            "",
            "server {",
            "    listen 443 ssl http2;",
            "    server_name api.shopfront.example;",
            "    ssl_certificate     /etc/letsencrypt/live/api.shopfront.example/fullchain.pem;",
            "    ssl_certificate_key /etc/letsencrypt/live/api.shopfront.example/privkey.pem;",
            "",
            "    location / {",
            "        limit_req zone=api_per_ip burst=40 nodelay;",
            "        proxy_pass http://django_upstream;",
            "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
            "    }",
            "}",
            "```",
            "",
            "Customers on app and web get 'Service Temporarily Unavailable' since ~11:35. Django pods look idle, CPU 8%. Is the backend dying?",
            "",
        ]
    )
    return Bundle(
        question="Since about 11:35 (CEST) most shop API calls return 503 and the app shows 'Service Temporarily Unavailable'. What is the root cause?",
        category="rate_limit",
        component="nginx",
        statement="After api.shopfront.example was put behind Cloudflare's proxy at 11:30 CEST, the edge nginx's limit_req zone api_per_ip, keyed on $binary_remote_addr with no real_ip setup, counts all visitors against a handful of Cloudflare addresses; from about 11:31 most requests are rejected with 503 ('limiting requests ... by zone \"api_per_ip\"') while the backend idles.",
        files={
            "notes.md": notes,
            "nginx/access.log": access.render(),
            "nginx/error.log": error.render(),
            "logs/django.log": app.render(),
        },
        proofs=[
            Proof("notes.md", "limit_req_zone $binary_remote_addr zone=api_per_ip:10m rate=20r/s;")
        ],
        decoys=["slow query 1.84s", "certbot renewed", "POST /wp-login.php"],
    )
