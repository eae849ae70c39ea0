# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""ShopApp 7.4.0's phased release fetches saved payment methods on every app open; payments
looks them up at the provider PayVault per request, and the account's 100 requests/s limit is
crossed. PayVault answers 429 with Retry-After: 1, payments retries at once up to three times
ignoring it, which multiplies the calls, and checkout's payment intents are refused as well:
circuit breaker, pool warnings and nginx 502s are the loud part."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Logfmt, NginxAccess, NginxError
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 4, 8, 15, 30, tzinfo=UTC)
BERLIN = timezone(timedelta(hours=2))
RELEASE = 11.0
FIRST_429 = 21.37
MINUTES = 52.0
AGENTS = [
    "ShopApp/7.3.2 (iOS 18.3; iPhone15,2)",
    "ShopApp/7.3.2 (Android 14; Pixel 8)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0",
]
NEW_AGENT = "ShopApp/7.4.0 (iOS 18.3; iPhone15,2)"


def customer(rng: random.Random) -> str:
    return f"cus_{rng.getrandbits(60):015x}"


def shop_access(rng: random.Random) -> Line:
    path, status, seconds = rng.choice(
        [
            (f"/api/catalog/products/{rng.randrange(10**5)}", 200, 0.02),
            (f"/api/cart/{rng.randrange(10**6)}", 200, 0.015),
            ("/api/payments/methods", 200, 0.21),
            ("/api/checkout", 201, 0.64),
            (f"/api/orders/{rng.randrange(10**7)}", 200, 0.03),
            (f"/api/catalog/products/{rng.randrange(10**5)}", 200, 0.02),
        ]
    )
    method = "POST" if path == "/api/checkout" else "GET"
    return (
        "INFO",
        f'"{method} {path} HTTP/2.0" {status} {rng.randrange(200, 9000)} "-" "{rng.choice(AGENTS)}" {seconds * rng.uniform(0.5, 1.8):.3f}',
        (),
    )


def methods_from_new_app(rng: random.Random) -> Line:
    return (
        "INFO",
        f'"GET /api/payments/methods HTTP/2.0" 200 {rng.randrange(300, 1400)} "-" "{NEW_AGENT}" {0.21 * rng.uniform(0.5, 1.8):.3f}',
        (),
    )


def failing_access(rng: random.Random) -> Line:
    path, status = rng.choice(
        [
            ("/api/payments/methods", 502),
            ("/api/checkout", 502),
            ("/api/payments/methods", 502),
            ("/api/checkout", 503),
        ]
    )
    method = "POST" if path == "/api/checkout" else "GET"
    agent = NEW_AGENT if path.endswith("methods") and rng.random() < 0.8 else rng.choice(AGENTS)
    return (
        "INFO",
        f'"{method} {path} HTTP/2.0" {status} 157 "-" "{agent}" {rng.uniform(1.5, 6.2):.3f}',
        (),
    )


def payments_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"payment methods listed customer={customer(rng)} count={rng.randrange(0, 5)} provider_ms={rng.randrange(80, 260)}",
            (),
        )
    if roll < 0.65:
        return (
            "INFO",
            f"payment intent confirmed pi_{rng.getrandbits(72):018x} amount={rng.randrange(500, 40000)} currency=EUR provider_ms={rng.randrange(300, 900)}",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"webhook payment_intent.succeeded pi_{rng.getrandbits(72):018x} processed",
            (),
        )
    if roll < 0.97:
        return (
            "DEBUG",
            f"provider pool stats host=api.payvault.io active={rng.randrange(2, 30)} idle={rng.randrange(5, 40)} max=50",
            (),
        )
    return (
        "WARN",
        f"payment intent pi_{rng.getrandbits(72):018x} requires_action (3DS challenge) customer={customer(rng)}",
        (),
    )


def too_many(rng: random.Random) -> Line:
    attempt = rng.choice([1, 2, 3, 4])
    path = rng.choice(
        [
            f"GET /v1/customers/{customer(rng)}/payment_methods",
            f"GET /v1/customers/{customer(rng)}/payment_methods",
            "POST /v1/payment_intents",
        ]
    )
    return (
        "WARN",
        f"provider responded 429 Too Many Requests: {path} retry_after=1s attempt={attempt}/4 backoff=0ms",
        (),
    )


def gave_up(rng: random.Random) -> Line:
    if rng.random() < 0.55:
        return (
            "ERROR",
            f"list payment methods failed customer={customer(rng)}: payvault: giving up after 4 attempts: 429 Too Many Requests",
            (),
        )
    return (
        "ERROR",
        f"checkout payment failed order={rng.randrange(10**7)}: create payment intent: payvault: giving up after 4 attempts: 429 Too Many Requests",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1106)
    access = LogFile("nginx/access.log", NginxAccess(rng, zone=BERLIN))
    access.add(traffic(rng, shop_access, START, MINUTES, 7000))
    ramp = [(RELEASE + 4 * step, 120 + 140 * step) for step in range(10)]
    for begin, count in ramp:
        access.add(loud(rng, START, begin, 4, count, methods_from_new_app))
    access.add(loud(rng, START, FIRST_429 + 1.5, MINUTES - FIRST_429 - 1.5, 2100, failing_access))
    errors = LogFile("nginx/error.log", NginxError(rng))
    errors.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{r.randrange(10)}/{r.randrange(10, 99)}/{r.randrange(10**10):010d} while reading upstream, client: 10.8.{r.randrange(256)}.{r.randrange(1, 255)}, server: shop.example.de, request: "GET /api/catalog/products HTTP/2.0"'
                ),
            ),
        )
    )
    errors.add(
        loud(
            rng,
            START,
            FIRST_429 + 1.5,
            MINUTES - FIRST_429 - 1.5,
            620,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream prematurely closed connection while reading response header from upstream, client: 10.8.{r.randrange(256)}.{r.randrange(1, 255)}, server: shop.example.de, request: "{r.choice(["GET /api/payments/methods", "POST /api/checkout"])} HTTP/2.0", upstream: "http://10.8.4.{r.randrange(10, 40)}:8080/", host: "shop.example.de"'
                ),
            ),
        )
    )
    payments = LogFile("payments.log", Logfmt("payments", rng=rng))
    payments.add(traffic(rng, payments_line, START, MINUTES, 6400))
    for begin, count in ramp:
        payments.add(
            loud(
                rng,
                START,
                begin,
                4,
                count // 2,
                fixed(
                    "INFO",
                    lambda r: (
                        f"payment methods listed customer={customer(r)} count={r.randrange(0, 5)} provider_ms={r.randrange(80, 260)}"
                    ),
                ),
            )
        )
    payments.add(
        [
            at(
                START,
                FIRST_429,
                "WARN",
                "provider responded 429 Too Many Requests: GET /v1/customers/cus_4f0a9c21d7e3b58/payment_methods retry_after=1s attempt=1/4 backoff=0ms ratelimit_limit=100 ratelimit_remaining=0 ratelimit_reset=1744127483",
            ),
            at(
                START,
                FIRST_429 + 0.01,
                "WARN",
                "provider responded 429 Too Many Requests: GET /v1/customers/cus_4f0a9c21d7e3b58/payment_methods retry_after=1s attempt=2/4 backoff=0ms ratelimit_limit=100 ratelimit_remaining=0 ratelimit_reset=1744127483",
            ),
        ]
    )
    payments.add(loud(rng, START, FIRST_429 + 0.1, MINUTES - FIRST_429 - 0.1, 2900, too_many))
    payments.add(loud(rng, START, FIRST_429 + 0.8, MINUTES - FIRST_429 - 0.8, 900, gave_up))
    payments.add(
        loud(
            rng,
            START,
            FIRST_429 + 3,
            MINUTES - FIRST_429 - 3,
            34,
            fixed(
                "ERROR",
                lambda r: (
                    "circuit breaker payvault state changed CLOSED -> OPEN (failure rate 71.4% over 200 calls)"
                ),
            ),
        )
    )
    payments.add(
        loud(
            rng,
            START,
            FIRST_429 + 3.2,
            MINUTES - FIRST_429 - 3.2,
            34,
            fixed(
                "INFO",
                lambda r: "circuit breaker payvault state changed OPEN -> HALF_OPEN after 30s",
            ),
        )
    )
    payments.add(
        loud(
            rng,
            START,
            FIRST_429 + 2,
            MINUTES - FIRST_429 - 2,
            260,
            fixed(
                "WARN",
                lambda r: (
                    f"provider pool exhausted host=api.payvault.io active=50 max=50 waiters={r.randrange(20, 400)}"
                ),
            ),
        )
    )
    return Bundle(
        question="why is checkout failing? payments started erroring around 17:52 Berlin time and nginx is full of 502s",
        category="rate_limit",
        component="payments",
        statement="After ShopApp 7.4.0 started fetching saved payment methods on every app open, payments' per-request lookups at PayVault exceed the account's 100 requests/s limit, PayVault answers 429 with Retry-After: 1, and payments' immediate retries without backoff multiply the calls so checkout's payment intents are refused too.",
        files={
            "nginx/access.log": access.render(),
            "nginx/error.log": errors.render(),
            "payments.log": payments.render(),
        },
        proofs=[
            Proof(
                "payments.log",
                "attempt=1/4 backoff=0ms ratelimit_limit=100",
                "attempt=2/4 backoff=0ms ratelimit_limit=100",
            ),
        ],
        decoys=[
            "circuit breaker payvault state changed CLOSED -> OPEN",
            "provider pool exhausted",
            "upstream prematurely closed connection",
        ],
    )
