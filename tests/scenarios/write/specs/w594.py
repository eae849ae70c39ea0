# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one CSV per service with a `diskio` series): a disk I/O
hog in the redis-cart container from 03:47:10 UTC. Its diskio series jumps first; Redis itself
says only that the AOF fsync is taking too long. cartservice's StackExchange.Redis calls then
time out and the frontend fails add-to-cart and checkout with FailedPrecondition. Decoys: an
adservice "no ads for category" warning, a currencyservice slow conversion log, and the
frontend's ordinary 404s for a missing product image."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import JsonLines, Pino, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 3, 9, 3, 25, tzinfo=UTC)
STEP = 1
MINUTES = 38
POINTS = MINUTES * 60
FAULT = 22 * 60 + 10


@dataclass
class RedisLog:
    """Redis server log: `1:M 09 Mar 2025 03:25:00.123 * message`."""

    def render(self, record: Record) -> list[str]:
        mark = {"WARN": "#", "ERROR": "#", "DEBUG": "-"}.get(record.level, "*")
        stamp_ = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [f"1:{record.logger or 'M'} {stamp_} {mark} {record.message}"]


@dataclass
class DotnetConsole:
    """ASP.NET Core's console logger, the message on the line after the category."""

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "info", "WARN": "warn", "ERROR": "fail", "DEBUG": "dbug"}[record.level]
        return [
            f"{level}: {record.logger or 'cartservice.cartstore.RedisCartStore'}[0]",
            f"      {record.message}",
            *record.trailer,
        ]


def user(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


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


def redis_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "INFO",
            f"{rng.choice([1, 10, 100])} changes in {rng.choice([60, 300, 3600])} seconds. Saving...",
            (),
        )
    return "INFO", "Background saving terminated with success", ()


def cart_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"AddItemAsync called with userId={user(rng)}, productId={rng.choice(PRODUCTS)}, quantity={rng.randrange(1, 5)}",
            (),
        )
    if roll < 0.9:
        return "INFO", f"GetCartAsync called with userId={user(rng)}", ()
    return "INFO", f"EmptyCartAsync called with userId={user(rng)}", ()


def front_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.93:
        path = rng.choice(
            ["/", "/product/" + rng.choice(PRODUCTS), "/cart", "/setCurrency", "/cart/checkout"]
        )
        return (
            "INFO",
            f"request complete http.req.path={path} http.resp.status=200 http.resp.took_ms={rng.randrange(4, 120)}",
            (),
        )
    return (
        "WARN",
        "request complete http.req.path=/static/img/products/hairdryer.jpg http.resp.status=404 http.resp.took_ms=1",
        (),
    )


def cart_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"Can't access cart storage. StackExchange.Redis.RedisTimeoutException: Timeout performing HGET (5000ms), next: HGET {user(rng)}, inst: 0, qu: 0, qs: {rng.randrange(12, 60)}, aw: False, rs: ReadAsync, ws: Idle, in: 0, serverEndpoint: redis-cart:6379, mc: 1/1/0, mgr: 10 of 10 available, clientName: cartservice-7d8f9c6b54-p2x4n, IOCP: (Busy=0,Free=1000,Min=1,Max=1000), WORKER: (Busy={rng.randrange(2, 9)},Free=32762,Min=2,Max=32767), v: 2.6.122.38350",
        (),
    )


def front_fail(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'request error http.req.path={rng.choice(["/cart", "/cart/checkout"])} error="failed to {rng.choice(["add to cart", "get cart"])}: rpc error: code = FailedPrecondition desc = Can\'t access cart storage. StackExchange.Redis.RedisTimeoutException: Timeout performing HGET (5000ms)" http.resp.status=500',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(40594)
    fm = FAULT / 60
    redis = LogFile("logs/redis-cart.log", RedisLog())
    redis.add(traffic(rng, redis_line, START, MINUTES, 260))
    redis.add(
        [
            at(
                START,
                fm + 0.12,
                "WARN",
                "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.",
            )
        ]
    )
    redis.add([at(START, fm + 6.3, "INFO", "Background AOF rewrite scheduled")])
    cart = LogFile("logs/cartservice.log", DotnetConsole())
    cart.add(traffic(rng, cart_line, START, MINUTES, 2400))
    cart.add(loud(rng, START, fm + 0.3, MINUTES - fm - 0.4, 210, cart_timeout))
    front = LogFile(
        "logs/frontend.log",
        JsonLines("frontend", keys=("timestamp", "severity", "message"), rng=rng),
    )
    front.add(traffic(rng, front_line, START, MINUTES, 3300))
    front.add(loud(rng, START, fm + 0.35, MINUTES - fm - 0.45, 240, front_fail))
    ad = LogFile(
        "logs/adservice.log", JsonLines("adservice", keys=("time", "level", "msg"), rng=rng)
    )
    ad.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"received ad request (context_words=[{r.choice(['clothing', 'kitchen', 'accessories', 'footwear'])}])"
                ),
            ),
            START,
            MINUTES,
            900,
        )
    )
    ad.add([at(START, fm - 3.4, "WARN", "No ads for category: decor, serving random ads")])
    currency = LogFile("logs/currencyservice.log", Pino("currencyservice-5c7d96b8f-9kq2w", rng=rng))
    currency.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"conversion request successful from USD to {r.choice(['EUR', 'JPY', 'CAD', 'GBP', 'TRY'])}"
                ),
            ),
            START,
            MINUTES,
            1800,
        )
    )
    currency.add(
        [
            at(
                START,
                fm + 4.7,
                "WARN",
                "conversion request took 812ms (from USD to JPY), above 500ms",
            )
        ]
    )
    levels = {
        "frontend": (0.31, 64, (0.019, 0.081), 44.1),
        "cartservice": (0.22, 118, (0.006, 0.022), 19.5),
        "redis-cart": (0.05, 21, (0.0011, 0.0036), 25.2),
        "checkoutservice": (0.04, 23, (0.041, 0.133), 2.1),
        "currencyservice": (0.17, 59, (0.004, 0.015), 41.3),
        "productcatalogservice": (0.12, 29, (0.003, 0.011), 58.7),
        "recommendationservice": (0.09, 71, (0.011, 0.037), 13.4),
        "adservice": (0.07, 188, (0.005, 0.019), 12.6),
        "paymentservice": (0.02, 47, (0.002, 0.008), 2.1),
        "shippingservice": (0.02, 14, (0.002, 0.007), 4.3),
        "emailservice": (0.03, 58, (0.004, 0.012), 2.1),
    }
    disk = {"redis-cart": 0.41, "cartservice": 0.02, "adservice": 0.06, "frontend": 0.03}
    services = {}
    for name, value in levels.items():
        services[name] = usual_series(rng, *value, diskio=disk.get(name, 0.01))
    r = services["redis-cart"]
    r["diskio"] = shift(rng, 0.41, 184.6, FAULT, 0.08, ramp=6)
    r["latency-50"] = shift(rng, 0.0011, 0.61, FAULT + 5, 0.2)
    r["latency-90"] = shift(rng, 0.0036, 2.37, FAULT + 5, 0.2)
    r["cpu"] = shift(rng, 0.05, 0.09, FAULT, 0.1)
    c = services["cartservice"]
    c["latency-50"] = shift(rng, 0.006, 1.94, FAULT + 14, 0.15)
    c["latency-90"] = shift(rng, 0.022, 5.01, FAULT + 14, 0.05)
    services["frontend"]["latency-90"] = shift(rng, 0.081, 5.09, FAULT + 16, 0.05)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.133, 5.11, FAULT + 17, 0.06)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, series, 4)
        for name, series in services.items()
    }
    for log in (redis, cart, front, ad, currency):
        files[log.name] = log.render()
    return Bundle(
        question="Since about 03:47 UTC shoppers get 500s on add-to-cart and checkout in Online Boutique. What is the root cause?",
        category="disk",
        component="redis-cart",
        statement="From 03:47:10 UTC a disk I/O hog in the redis-cart container saturates its disk (diskio from about 0.4 to over 180) so Redis's AOF fsync stalls; cartservice's HGET calls time out after 5 s and the frontend fails cart and checkout requests with FailedPrecondition.",
        files=files,
        proofs=[
            Proof(
                "metrics/redis-cart.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2)
            ),
            Proof("logs/redis-cart.log", "Asynchronous AOF fsync is taking too long"),
        ],
        decoys=[
            "No ads for category: decor",
            "took 812ms (from USD to JPY)",
            "hairdryer.jpg http.resp.status=404",
        ],
    )
