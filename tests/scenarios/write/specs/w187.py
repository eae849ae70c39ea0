# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one wide CSV): a memory hog (stress-ng --vm) in the
cartservice container from 08:41:30 UTC. Its `mem` series climbs from about 70 MiB to 1.9 GiB
over four minutes; the .NET runtime starves, its p90 climbs to seconds and its StackExchange.Redis
client starts timing out with a busy worker pool (which reads as if redis-cart were slow, but
redis-cart's own series stay flat). Loud: the frontend's `failed to add to cart` and
`could not retrieve cart` 500s. Decoys: redis-cart (the timeouts name it), a stale
recommendationservice restart at 08:29, and adservice's ordinary warnings."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 2, 14, 8, 25, tzinfo=UTC)
MINUTES = 28
POINTS = MINUTES * 60
FAULT = 16 * 60 + 30
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


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


class DotnetConsole:
    """ASP.NET console logger, single-line: `info: Category[0] message` after a UTC stamp."""

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "info", "WARN": "warn", "ERROR": "fail", "DEBUG": "dbug"}[record.level]
        stamp_text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        category = record.logger or "cartservice.cartstore.RedisCartStore"
        return [f"{stamp_text} {level}: {category}[0] {record.message}", *record.trailer]


def cart_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"GetCartAsync called with userId={uuid(rng)}", ()
    if roll < 0.85:
        return (
            "INFO",
            f"AddItemAsync called with userId={uuid(rng)}, productId={rng.choice(PRODUCTS)}, quantity={rng.randrange(1, 5)}",
            (),
        )
    return "INFO", f"EmptyCartAsync called with userId={uuid(rng)}", ()


def cart_timeout(rng: random.Random) -> Line:
    busy = rng.randrange(180, 260)
    op = rng.choice(["HGETALL", "HSET", "EXPIRE"])
    return (
        "ERROR",
        f"Can't access cart storage. StackExchange.Redis.RedisTimeoutException: Timeout performing {op} ({rng.choice([5000, 5000, 5000])}ms), next: {op} {uuid(rng)}, inst: {rng.randrange(0, 4)}, qu: 0, qs: {rng.randrange(20, 90)}, aw: False, bw: SpinningDown, rs: ReadAsync, ws: Idle, in: 0, in-pipe: 0, out-pipe: 0, last-in: 2, cur-in: 0, sync-ops: 0, async-ops: {rng.randrange(40000, 90000)}, serverEndpoint: redis-cart:6379, conn-sec: {rng.randrange(1000, 5000)}, mc: 1/1/0, mgr: 10 of 10 available, clientName: cartservice-5b8f6d7c49-tq2vn, IOCP: (Busy=0,Free=1000,Min=1,Max=1000), WORKER: (Busy={busy},Free={32767 - busy},Min=2,Max=32767), POOL: (Threads={busy + 4},QueuedItems={rng.randrange(300, 1400)},CompletedItems={rng.randrange(10**5, 10**6)}), v: 2.6.122.38350",
        (),
    )


def frontend_ok(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/",
            f"/product/{rng.choice(PRODUCTS)}",
            f"/product/{rng.choice(PRODUCTS)}",
            "/cart",
            "/cart",
            "/cart/checkout",
        ]
    )
    method = "POST" if path == "/cart/checkout" else "GET"
    if rng.random() < 0.025:
        return (
            "warning",
            f'failed to retrieve ads http.req.id={uuid(rng)} error="rpc error: code = DeadlineExceeded desc = context deadline exceeded"',
            (),
        )
    return (
        "debug",
        f"request complete http.req.id={uuid(rng)} http.req.method={method} http.req.path={path} http.resp.status=200 http.resp.took_ms={rng.randrange(6, 140)}",
        (),
    )


def frontend_fail(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        what = "failed to add to cart: rpc error: code = DeadlineExceeded desc = context deadline exceeded"
        path, method = "/cart", "POST"
    else:
        what = "could not retrieve cart: rpc error: code = FailedPrecondition desc = Can't access cart storage. StackExchange.Redis.RedisTimeoutException: Timeout performing HGETALL (5000ms)"
        path, method = "/cart", "GET"
    return (
        "error",
        f'request error http.req.id={uuid(rng)} http.req.method={method} http.req.path={path} http.resp.status=500 error="{what}"',
        (),
    )


class RedisLog:
    def render(self, record: Record) -> list[str]:
        return [
            f"1:M {record.time.strftime('%d %b %Y %H:%M:%S.')}{record.time.microsecond // 1000:03d} * {record.message}"
        ]


def redis_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"{rng.choice([1, 10, 100])} changes in {rng.choice([3600, 300, 60])} seconds. Saving...",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1187)
    fault = FAULT / 60
    keys = ("timestamp", "severity", "message")
    front = LogFile(
        "logs/frontend.log", JsonLines("frontend", keys=keys, lower_level=False, rng=rng)
    )
    front.add(traffic(rng, frontend_ok, START, MINUTES, 3400))
    front.add(loud(rng, START, fault + 2.6, MINUTES - fault - 2.8, 180, frontend_fail))
    cart = LogFile("logs/cartservice.log", DotnetConsole())
    cart.add(traffic(rng, cart_line, START, fault + 2, 2600))
    cart.add(
        traffic(rng, cart_line, START + timedelta(minutes=fault + 2), MINUTES - fault - 2, 500)
    )
    cart.add(loud(rng, START, fault + 2.4, MINUTES - fault - 2.6, 120, cart_timeout))
    cart.add(
        [
            at(
                START,
                0.2,
                "INFO",
                "Now listening on: http://0.0.0.0:7070",
                logger="Microsoft.Hosting.Lifetime",
            )
        ]
    )
    redis = LogFile("logs/redis-cart.log", RedisLog())
    redis.add(loud(rng, START, 0.0, MINUTES, 40, redis_line))
    redis.add(
        loud(
            rng,
            START,
            0.0,
            MINUTES,
            40,
            fixed(
                "INFO", lambda r: "Background saving started by pid " + str(r.randrange(100, 9000))
            ),
        )
    )
    redis.add(
        loud(
            rng,
            START,
            0.0,
            MINUTES,
            40,
            fixed("INFO", lambda r: "Background saving terminated with success"),
        )
    )
    reco = LogFile(
        "logs/recommendationservice.log",
        JsonLines(
            "recommendationservice",
            keys=("timestamp", "severity", "message"),
            lower_level=False,
            rng=rng,
        ),
    )
    reco.add(
        loud(
            rng,
            START,
            0.0,
            MINUTES,
            600,
            fixed(
                "INFO", lambda r: f"[Recv ListRecommendations] product_ids={r.sample(PRODUCTS, 4)}"
            ),
        )
    )
    reco.add(
        [
            at(
                START,
                3.9,
                "ERROR",
                'Exception in thread grpc-server: grpc._channel._InactiveRpcError: StatusCode.UNAVAILABLE details="failed to connect to all addresses; last error: UNKNOWN: ipv4:10.96.77.14:3550: Failed to connect to remote host: Connection refused"',
            ),
            at(
                START,
                4.0,
                "INFO",
                "initializing recommendationservice after restart (reason: Error, exit code 1)",
            ),
        ]
    )

    levels = {
        "frontend": (0.171, 48, (0.0151, 0.0688), 44.2),
        "cartservice": (0.061, 71, (0.0043, 0.0147), 19.1),
        "redis-cart": (0.029, 9, (0.0004, 0.0011), 19.4),
        "currencyservice": (0.231, 58, (0.0031, 0.0118), 82.6),
        "productcatalogservice": (0.091, 20, (0.0018, 0.0071), 95.1),
        "recommendationservice": (0.108, 63, (0.0099, 0.0291), 21.0),
        "checkoutservice": (0.026, 22, (0.0402, 0.0911), 2.1),
        "shippingservice": (0.018, 13, (0.0016, 0.0049), 8.2),
        "paymentservice": (0.016, 61, (0.0020, 0.0061), 2.1),
        "emailservice": (0.020, 46, (0.0121, 0.0309), 2.1),
        "adservice": (0.051, 210, (0.0025, 0.0081), 18.0),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    c = services["cartservice"]
    c["mem"] = shift(rng, 71, 1932, FAULT, 0.01, ramp=240)
    c["cpu"] = shift(rng, 0.061, 0.412, FAULT + 30, 0.1, ramp=120)
    c["latency-50"] = shift(rng, 0.0043, 0.3710, FAULT + 150, 0.2, ramp=60)
    c["latency-90"] = shift(rng, 0.0147, 4.8820, FAULT + 150, 0.25, ramp=60)
    c["workload"] = shift(rng, 19.1, 11.4, FAULT + 170, 0.1, ramp=30)
    services["frontend"]["latency-90"] = shift(rng, 0.0688, 3.1120, FAULT + 160, 0.2, ramp=40)
    services["redis-cart"]["workload"] = shift(rng, 19.4, 11.8, FAULT + 175, 0.1, ramp=30)
    reco_mem = services["recommendationservice"]["mem"]
    services["recommendationservice"]["mem"] = lambda i: (
        reco_mem(i) * (0.45 if 234 <= i < 262 else 1.0)
    )
    files = {
        "data.csv": wide_csv(START, 1, POINTS, services),
        "logs/frontend.log": front.render(),
        "logs/cartservice.log": cart.render(),
        "logs/redis-cart.log": redis.render(),
        "logs/recommendationservice.log": reco.render(),
    }
    return Bundle(
        question="Carts are failing on the shop since about 08:44 UTC (add to cart and the cart page give 500). Which service is the root cause?",
        category="memory",
        component="cartservice",
        statement="From 08:41:30 UTC a memory hog in the cartservice container drives its memory from about 70 MiB to 1.9 GiB; the starved .NET process slows to seconds per call and its Redis client times out with a busy worker pool, so the frontend's cart calls fail with 500 while redis-cart itself stays healthy.",
        files=files,
        proofs=[Proof("data.csv", stamp(START, 1, FAULT), stamp(START, 1, FAULT + 60))],
        decoys=[
            "serverEndpoint: redis-cart:6379",
            "initializing recommendationservice after restart",
            "failed to retrieve ads",
        ],
    )
