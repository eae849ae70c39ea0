# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""cartservice's network drops about a third of its packets; callers see intermittent
Unavailable and deadline errors, cartservice itself blames Redis, and Redis is fine."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, service_metrics, shift
from records import JsonLines, Record
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2025, 10, 21, 9, 0, tzinfo=UTC)
STEP = 30
FAULT_MINUTE = 14
CART_ERRORS = [
    "Unavailable desc = connection error: desc = transport: Error while dialing: dial tcp 10.52.3.14:7070: i/o timeout",
    "DeadlineExceeded desc = context deadline exceeded",
    "Unavailable desc = error reading from server: read tcp 10.52.1.9:48812->10.52.3.14:7070: read: connection reset by peer",
]


@dataclass
class RedisLog:
    """redis-server's own log: `1:M 21 Oct 2025 09:00:00.123 * message`."""

    def render(self, record: Record) -> list[str]:
        mark = {"WARN": "#", "ERROR": "#", "DEBUG": "-"}.get(record.level, "*")
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"{record.logger or '1:M'} {stamp} {mark} {record.message}"]


@dataclass
class DotnetConsole:
    """ASP.NET Core's simple console logger: `info: Category[0]` then the indented message."""

    def render(self, record: Record) -> list[str]:
        level = {"DEBUG": "dbug", "INFO": "info", "WARN": "warn", "ERROR": "fail", "FATAL": "crit"}[
            record.level
        ]
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [
            f"{stamp} {level}: {record.logger or 'cartservice.services.CartService'}[0]",
            f"      {record.message}",
            *record.trailer,
        ]


def user(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def cart_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"GetCartAsync called with userId={user(rng)}", ()
    if roll < 0.85:
        return (
            "INFO",
            f"AddItemAsync called with userId={user(rng)}, productId={rng.choice(['OLJCESPC7Z', '66VCHSJNUP', '1YMWWN1N4O', 'L9ECAV7KIM', '2ZYFJ3GM2N'])}, quantity={rng.randrange(1, 5)}",
            (),
        )
    if roll < 0.97:
        return "INFO", f"EmptyCartAsync called with userId={user(rng)}", ()
    return "INFO", "Checking CartService Health", ()


def frontend_line(rng: random.Random) -> Line:
    roll = rng.random()
    path = rng.choice(
        [
            "/",
            "/cart",
            "/product/OLJCESPC7Z",
            "/product/66VCHSJNUP",
            "/product/L9ECAV7KIM",
            "/cart/checkout",
            "/setCurrency",
        ]
    )
    if roll < 0.45:
        return (
            "DEBUG",
            f"request started http.req.method=GET http.req.path={path} http.req.id={user(rng)}",
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            f"request complete http.req.path={path} http.resp.status=200 http.resp.bytes={rng.randrange(500, 9000)} http.resp.took_ms={rng.randrange(3, 90)}",
            (),
        )
    return (
        "INFO",
        f"placing order session={user(rng)} currency={rng.choice(['USD', 'EUR', 'CAD'])}",
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f'[PlaceOrder] user_id="{user(rng)}" user_currency="{rng.choice(["USD", "EUR", "CAD"])}"',
            (),
        )
    if roll < 0.7:
        return "INFO", f"payment went through (transaction_id: {user(rng)})", ()
    return (
        "INFO",
        f'order confirmation email sent to "{rng.choice(["someone", "alice", "bob"])}@example.com"',
        (),
    )


def redis_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"{rng.choice([1, 10, 100])} changes in {rng.choice([60, 300, 3600])} seconds. Saving...",
            (),
        )
    if roll < 0.6:
        return "INFO", f"Background saving started by pid {rng.randrange(100, 9000)}", ()
    if roll < 0.8:
        return "INFO", "Background saving terminated with success", ()
    return (
        "INFO",
        f"DB saved on disk ({rng.randrange(1, 4)} MB of memory used by copy-on-write)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(141)
    cart = LogFile("cartservice.log", DotnetConsole())
    cart.add(traffic(rng, cart_line, START, 60, 1650))
    cart.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 0.4,
            45,
            139,
            fixed(
                "ERROR",
                lambda r: (
                    f"Can't access cart storage. StackExchange.Redis.RedisTimeoutException: Timeout awaiting response (outbound=0KiB, inbound=0KiB, {r.randrange(5001, 5900)}ms elapsed, timeout is 5000ms), command=HGET, next: HGET {user(r)}, inst: 0, qu: 0, qs: {r.randrange(1, 9)}, aw: False, bw: Inactive, rs: ReadAsync, ws: Idle, in: 0, in-pipe: 0, out-pipe: 0, last-in: 0, cur-in: 0, sync-ops: 0, async-ops: {r.randrange(10**5, 10**6)}, serverEndpoint: redis-cart:6379, conn-sec: {r.randrange(10**4, 10**5)}.{r.randrange(100):02d}, mgr: 10 of 10 available, clientName: cartservice-6c7d9b8f5-k2xq7(SE.Redis-v2.6.122.38350), IOCP: (Busy=0,Free=1000,Min=1,Max=1000), WORKER: (Busy={r.randrange(1, 6)},Free=32762,Min=2,Max=32767), POOL: (Threads={r.randrange(6, 14)},QueuedItems=0,CompletedItems={r.randrange(10**5, 10**6)}), v: 2.6.122.38350 (Please take a look at this article for some common client-side issues that can cause timeouts: https://stackexchange.github.io/StackExchange.Redis/Timeouts)"
                ),
            ),
        )
    )
    cart.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 2,
            40,
            37,
            fixed(
                "WARN",
                lambda r: (
                    "StackExchange.Redis: redis-cart:6379/Interactive: Disconnected; reconnecting (SocketFailure on redis-cart:6379/Interactive, Idle, last: HGET, origin: ReadFromPipe)"
                ),
            ),
        )
    )
    frontend = LogFile(
        "frontend.log", JsonLines("frontend", ("timestamp", "severity", "message"), rng=rng)
    )
    frontend.add(traffic(rng, frontend_line, START, 60, 2600))
    frontend.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 0.3,
            45,
            214,
            fixed(
                "ERROR",
                lambda r: (
                    f'request error http.req.path=/cart error="could not retrieve cart: rpc error: code = {r.choice(CART_ERRORS)}"'
                ),
            ),
        )
    )
    checkout = LogFile(
        "checkoutservice.log",
        JsonLines("checkoutservice", ("timestamp", "severity", "message"), rng=rng),
    )
    checkout.add(traffic(rng, checkout_line, START, 60, 610))
    checkout.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 0.5,
            45,
            88,
            fixed(
                "WARN",
                lambda r: (
                    f"failed to get user cart during checkout: rpc error: code = {r.choice(['DeadlineExceeded desc = context deadline exceeded', 'Unavailable desc = connection error'])}"
                ),
            ),
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 3,
            40,
            52,
            fixed(
                "ERROR",
                lambda r: (
                    f"failed to charge card: rpc error: code = Unknown desc = Credit card info is invalid (card ending {r.randrange(1000, 9999)})"
                ),
            ),
        )
    )
    redis = LogFile("redis-cart.log", RedisLog())
    redis.add(traffic(rng, redis_line, START, 60, 260))
    points = 3600 // STEP
    fault = FAULT_MINUTE * 60 // STEP
    cart_series = service_metrics(rng, 19, 144, (4, 21), 0.0, 84)
    cart_series["latency_p50_ms"] = shift(rng, 4, 9, fault, 0.2)
    cart_series["latency_p99_ms"] = shift(rng, 21, 3400, fault, 0.2)
    cart_series["error_rate_percent"] = shift(rng, 0.0, 7.5, fault, 0.3)
    cart_series["tcp_retransmits_per_s"] = shift(rng, 0.4, 61, fault, 0.15)
    frontend_series = service_metrics(rng, 24, 88, (17, 130), 0.2, 60)
    frontend_series["latency_p99_ms"] = shift(rng, 130, 3600, fault, 0.15)
    frontend_series["error_rate_percent"] = shift(rng, 0.2, 8.8, fault, 0.3)
    frontend_series["tcp_retransmits_per_s"] = shift(rng, 0.6, 0.6, 0, 0.5)
    checkout_series = service_metrics(rng, 8, 30, (40, 180), 0.2, 3)
    checkout_series["error_rate_percent"] = shift(rng, 0.2, 11, fault, 0.3)
    checkout_series["tcp_retransmits_per_s"] = shift(rng, 0.1, 0.1, 0, 0.5)
    redis_series = service_metrics(rng, 4, 38, (0.2, 0.9), 0.0, 170)
    redis_series["requests_per_s"] = shift(rng, 170, 151, fault, 0.06)
    redis_series["tcp_retransmits_per_s"] = shift(rng, 0.1, 0.1, 0, 0.5)
    catalog_series = service_metrics(rng, 13, 37, (2, 11), 0.0, 300)
    catalog_series["tcp_retransmits_per_s"] = shift(rng, 0.3, 0.3, 0, 0.5)
    payment_series = service_metrics(rng, 3, 52, (1, 5), 1.2, 3)
    payment_series["error_rate_percent"] = shift(rng, 1.2, 1.4, 0, 0.3)
    payment_series["tcp_retransmits_per_s"] = shift(rng, 0.1, 0.1, 0, 0.5)
    return Bundle(
        question="Intermittent 'could not retrieve cart' errors on the storefront since 09:14 UTC, about 1 request in 12. Root cause?",
        category="network",
        component="cartservice",
        statement="cartservice's network is losing packets from 09:14 (TCP retransmits jump from under 1 to about 60 per second), so its gRPC calls and its own Redis calls intermittently time out or reset.",
        files={
            "cartservice.log": cart.render(),
            "frontend.log": frontend.render(),
            "checkoutservice.log": checkout.render(),
            "redis-cart.log": redis.render(),
            "metrics/cartservice.csv": csv_text(START, STEP, points, cart_series, decimals=2),
            "metrics/frontend.csv": csv_text(START, STEP, points, frontend_series, decimals=2),
            "metrics/checkoutservice.csv": csv_text(
                START, STEP, points, checkout_series, decimals=2
            ),
            "metrics/redis-cart.csv": csv_text(START, STEP, points, redis_series, decimals=2),
            "metrics/productcatalogservice.csv": csv_text(
                START, STEP, points, catalog_series, decimals=2
            ),
            "metrics/paymentservice.csv": csv_text(START, STEP, points, payment_series, decimals=2),
        },
        proofs=[Proof("metrics/cartservice.csv", "2025-10-21T09:14:00Z", "2025-10-21T09:14:30Z")],
        decoys=["RedisTimeoutException", "failed to charge card", "connection reset by peer"],
    )
