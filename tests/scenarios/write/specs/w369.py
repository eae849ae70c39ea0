# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one CSV per service): a memory hog injected in the
cartservice container from 11:52:30 UTC (a stressor allocating and touching memory until the
container sits near its 1 GiB limit). cartservice's memory series climbs first; the .NET
runtime then spends its time collecting and paging, its thread pool starves, and
StackExchange.Redis reports timeouts toward redis-cart although redis-cart itself is idle and
fast. frontend's cart and checkout pages fail with deadline errors. Decoys: the Redis client
timeouts blaming redis-cart, redis-cart's routine background save, and an adservice warning."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 6, 3, 11, 31, tzinfo=UTC)
MINUTES = 38
STEP = 1
FAULT = 21 * 60 + 30
PRODUCTS = [
    "OLJCESPC7Z",
    "66VCHSJNUP",
    "1YMWWN1N4O",
    "L9ECAV7KIM",
    "2ZYFJ3GM2N",
    "0PUK6V6EV0",
    "LS4PSXUNUM",
    "9SIQT8TOJO",
    "6E92ZMYYFZ",
]


@dataclass
class DotnetConsole:
    """Microsoft.Extensions.Logging's console formatter: `info: Category[0]` then the message."""

    category: str

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "info", "WARN": "warn", "ERROR": "fail", "DEBUG": "dbug"}[record.level]
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [
            f"{stamp} {level}: {record.logger or self.category}[0]",
            f"      {record.message}",
            *record.trailer,
        ]


@dataclass
class Logrus:
    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}442Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


@dataclass
class RedisLog:
    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        mark = {"WARN": "#", "INFO": "*", "DEBUG": "."}.get(record.level, "#")
        return [f"1:{record.logger or 'M'} {stamp} {mark} {record.message}"]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def cart_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return "INFO", f"GetCartAsync called with userId={uid(rng)}", ()
    if roll < 0.85:
        return (
            "INFO",
            f"AddItemAsync called with userId={uid(rng)}, productId={rng.choice(PRODUCTS)}, quantity={rng.randrange(1, 5)}",
            (),
        )
    return "INFO", f"EmptyCartAsync called with userId={uid(rng)}", ()


def cart_timeout(rng: random.Random) -> Line:
    busy = rng.randrange(38, 61)
    return (
        "ERROR",
        f"Can't access cart storage. StackExchange.Redis.RedisTimeoutException: Timeout performing HGET (5000ms), next: HGET {uid(rng)}, inst: 0, qu: 0, qs: {rng.randrange(3, 40)}, aw: False, bw: Inactive, rs: ReadAsync, ws: Idle, in: 0, serverEndpoint: redis-cart:6379, mc: 1/1/0, mgr: 10 of 10 available, clientName: cartservice-6d8f9c7b54-w7q2l, IOCP: (Busy=0,Free=1000,Min=2,Max=1000), WORKER: (Busy={busy},Free={32767 - busy},Min=2,Max=32767), POOL: (Threads={busy + 4},QueuedItems={rng.randrange(80, 900)},CompletedItems={rng.randrange(10**6, 3 * 10**6)}), v: 2.6.122.38350",
        (),
    )


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/",
            f"/product/{rng.choice(PRODUCTS)}",
            "/cart",
            "/setCurrency",
            "/static/img/products/mug.jpg",
        ]
    )
    method = "POST" if path == "/setCurrency" else "GET"
    body = {
        "http.req.id": uid(rng),
        "http.req.method": method,
        "http.req.path": path,
        "http.resp.bytes": rng.randrange(800, 14000),
        "http.resp.status": 302 if method == "POST" else 200,
        "http.resp.took_ms": max(2, int(rng.lognormvariate(0, 0.5) * 27)),
        "message": "request complete",
        "session": uid(rng),
    }
    return "DEBUG", json.dumps(body), ()


def frontend_error(rng: random.Random) -> Line:
    path, what = rng.choice(
        [
            ("/cart", "could not retrieve cart"),
            ("/cart/checkout", "failed to complete the order"),
            ("/cart", "failed to add to cart"),
        ]
    )
    body = {
        "error": f"{what}: rpc error: code = DeadlineExceeded desc = context deadline exceeded",
        "http.req.id": uid(rng),
        "http.req.method": "POST" if "checkout" in path else "GET",
        "http.req.path": path,
        "message": "request error",
        "session": uid(rng),
    }
    return "ERROR", json.dumps(body), ()


def redis_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"{rng.choice([100, 100, 10])} changes in {rng.choice([300, 60])} seconds. Saving...",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(369_7731)
    cart = LogFile("logs/cartservice.log", DotnetConsole("cartservice.cartstore.RedisCartStore"))
    cart.add(traffic(rng, cart_line, START, MINUTES, 2700))
    cart.add(loud(rng, START, 23.9, MINUTES - 24.1, 170, cart_timeout))
    front = LogFile("logs/frontend.log", Logrus())
    front.add(traffic(rng, frontend_line, START, MINUTES, 3300))
    front.add(loud(rng, START, 23.4, MINUTES - 23.6, 300, frontend_error))
    redis = LogFile("logs/redis-cart.log", RedisLog())
    redis.add(traffic(rng, redis_line, START, MINUTES, 40))
    redis.add(
        [
            at(START, 16.2, "INFO", "Background saving started by pid 2291", logger="M"),
            at(START, 16.25, "INFO", "DB saved on disk", logger="2291:C"),
            at(START, 16.3, "INFO", "Background saving terminated with success"),
        ]
    )
    ad = LogFile("logs/adservice.log", Logrus())
    ad.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                json.dumps(
                    {
                        "message": f"received ad request (context_words=[{r.choice(['clothing', 'kitchen', 'accessories', 'footwear'])}])"
                    }
                ),
                (),
            ),
            START,
            MINUTES,
            1200,
        )
    )
    ad.add(
        [
            at(
                START,
                9.4,
                "WARN",
                json.dumps({"message": "no ads found for context word 'hair', serving random ads"}),
            )
        ]
    )
    levels = {
        "frontend": (0.231, 51.2, (0.0244, 0.0731), 43.6),
        "cartservice": (0.093, 82.4, (0.0049, 0.0141), 14.8),
        "redis-cart": (0.021, 7.9, (0.0006, 0.0019), 14.7),
        "productcatalogservice": (0.097, 22.1, (0.0018, 0.0052), 57.9),
        "currencyservice": (0.148, 73.6, (0.0022, 0.0064), 65.4),
        "recommendationservice": (0.081, 60.7, (0.0191, 0.0544), 11.1),
        "adservice": (0.052, 190.2, (0.0029, 0.0083), 12.7),
        "checkoutservice": (0.026, 25.9, (0.0412, 0.1139), 2.2),
        "shippingservice": (0.019, 17.3, (0.0016, 0.0046), 4.4),
        "paymentservice": (0.015, 48.6, (0.0011, 0.0034), 2.1),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    c = services["cartservice"]
    c["mem"] = shift(rng, 82.4, 987.0, FAULT, 0.01, ramp=110)
    c["latency-50"] = shift(rng, 0.0049, 0.612, FAULT + 140, 0.15, ramp=60)
    c["latency-90"] = shift(rng, 0.0141, 4.98, FAULT + 140, 0.1, ramp=60)
    c["cpu"] = shift(rng, 0.093, 0.41, FAULT + 100, 0.1, ramp=40)
    services["frontend"]["latency-90"] = shift(rng, 0.0731, 3.6, FAULT + 170, 0.1)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.1139, 4.7, FAULT + 170, 0.1)
    services["redis-cart"]["workload"] = shift(rng, 14.7, 6.1, FAULT + 150, 0.1)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": fn for m, fn in series.items()}, 4
        )
        for name, series in services.items()
    }
    files |= {
        "logs/cartservice.log": cart.render(),
        "logs/frontend.log": front.render(),
        "logs/redis-cart.log": redis.render(),
        "logs/adservice.log": ad.render(),
    }
    return Bundle(
        question="Cart and checkout pages have been failing with deadline errors since about 11:54 UTC, and cartservice says it cannot reach redis-cart. What is the root cause?",
        category="memory",
        component="cartservice",
        statement="From 11:52:30 UTC a memory hog in the cartservice container drives its memory from ~80 MiB to ~990 MiB near its limit; the runtime then starves its own thread pool, so its Redis calls time out client-side (redis-cart is idle) and frontend's cart and checkout calls hit their deadlines.",
        files=files,
        proofs=[Proof("metrics/cartservice.csv", stamp(START, STEP, FAULT))],
        decoys=[
            "Timeout performing HGET (5000ms)",
            "Background saving started by pid 2291",
            "no ads found for context word",
        ],
    )
