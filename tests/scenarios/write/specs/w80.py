# ruff: noqa: E501
# Hand-written log lines, shell output and series definitions are data, kept whole on one line.
"""About 1.2 s of network delay (tc netem) on the redis-cart pod from 11:18:30 UTC: Redis
itself stays fast and quiet, cartservice's calls to it slow down and some time out, and the
frontend and checkoutservice log slow pages and failed checkouts."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2024, 10, 8, 11, 0, tzinfo=UTC)
STEP = 1
POINTS = 40 * 60
FAULT = 18 * 60 + 30
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
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-b{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


class DotnetConsole:
    """ASP.NET Core's simple console logger with timestamps: `info: Category[0]` then the message indented."""

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "info", "WARN": "warn", "ERROR": "fail", "DEBUG": "dbug"}[record.level]
        text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [
            f"{text} {level}: {record.logger or 'cartservice.cartstore.RedisCartStore[0]'}",
            f"      {record.message}",
            *record.trailer,
        ]


class RedisLog:
    """Redis server log: `pid:role dd Mon yyyy hh:mm:ss.mmm * message`."""

    def render(self, record: Record) -> list[str]:
        mark = {"INFO": "*", "WARN": "#", "DEBUG": "."}.get(record.level, "#")
        text = record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        return [f"1:M {text} {mark} {record.message}"]


def cart_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return "INFO", f"GetCartAsync called with userId={uuid(rng)}", ()
    if roll < 0.75:
        return (
            "INFO",
            f"AddItemAsync called with userId={uuid(rng)}, productId={rng.choice(PRODUCTS)}, quantity={rng.randrange(1, 5)}",
            (),
        )
    if roll < 0.85:
        return "INFO", f"EmptyCartAsync called with userId={uuid(rng)}", ()
    return "INFO", "Checking CartService Health", ()


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        ["/", "/", f"/product/{rng.choice(PRODUCTS)}", "/cart", "/setCurrency", "/_healthz"]
    )
    roll = rng.random()
    if roll < 0.45:
        return (
            "DEBUG",
            f"request started http.req.id={uuid(rng)} http.req.method=GET http.req.path={path}",
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            f"request complete http.req.id={uuid(rng)} http.req.path={path} http.resp.bytes={rng.randrange(400, 9000)} http.resp.status=200 http.resp.took_ms={rng.randrange(3, 80)}",
            (),
        )
    return "INFO", f"setting currency curr.new={rng.choice(['EUR', 'USD', 'JPY', 'CAD'])}", ()


def slow_frontend_line(rng: random.Random) -> Line:
    path = rng.choice(["/", "/cart", f"/product/{rng.choice(PRODUCTS)}", "/cart"])
    return (
        "DEBUG",
        f"request complete http.req.id={uuid(rng)} http.req.path={path} http.resp.bytes={rng.randrange(400, 9000)} http.resp.status=200 http.resp.took_ms={rng.randrange(1240, 2700)}",
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f'[PlaceOrder] user_id="{uuid(rng)}" user_currency="{rng.choice(["EUR", "USD", "JPY"])}"',
            (),
        )
    if roll < 0.75:
        return "INFO", f"payment went through (transaction_id: {uuid(rng)})", ()
    return "INFO", f'order confirmation email sent to "user{rng.randrange(999)}@example.com"', ()


def redis_records(rng: random.Random) -> list[Record]:
    records = []
    for minute in range(0, 40, 5):
        base = minute + rng.random() * 0.5
        changes = rng.randrange(100, 400)
        records += [
            at(START, base, "INFO", f"{changes} changes in 300 seconds. Saving..."),
            at(
                START,
                base + 0.01,
                "INFO",
                f"Background saving started by pid {rng.randrange(200, 9000)}",
            ),
            at(
                START,
                base + 0.02,
                "INFO",
                f"DB saved on disk (pid {rng.randrange(200, 9000)}, {rng.randrange(40, 90)} ms)",
            ),
            at(START, base + 0.03, "INFO", "Background saving terminated with success"),
        ]
    return records


def redis_cli(rng: random.Random) -> str:
    remote = "\n".join(
        f"min: {rng.randrange(1080, 1140)}, max: {rng.randrange(1290, 1420)}, avg: {rng.uniform(1190, 1230):.2f} ({rng.randrange(11, 13)} samples) -- 15.{rng.randrange(10, 99)} seconds range"
        for _ in range(5)
    )
    local = "\n".join(
        f"min: 0, max: {rng.randrange(1, 3)}, avg: 0.{rng.randrange(6, 11):02d} ({rng.randrange(1380, 1420)} samples) -- 15.01 seconds range"
        for _ in range(4)
    )
    return f"""# 11:31 UTC, from a debug pod on the same node as cartservice (nicolaka/netshoot)
$ redis-cli -h redis-cart -p 6379 --latency-history -i 15
min: 1093, max: 1352, avg: 1207.42 (12 samples) -- 15.38 seconds range
{remote}
^C

# inside the redis-cart pod itself (loopback)
$ kubectl exec -it redis-cart-7b9f5c6d8-qx2lp -c redis -- redis-cli --latency-history -i 15
min: 0, max: 1, avg: 0.07 (1409 samples) -- 15.01 seconds range
{local}
^C

$ kubectl exec -it redis-cart-7b9f5c6d8-qx2lp -c redis -- redis-cli SLOWLOG GET 10
(empty array)

$ kubectl exec -it redis-cart-7b9f5c6d8-qx2lp -c redis -- redis-cli INFO stats | egrep 'instantaneous_ops|rejected|expired_keys|evicted'
instantaneous_ops_per_sec:41
rejected_connections:0
expired_keys:0
evicted_keys:0

$ kubectl exec -it redis-cart-7b9f5c6d8-qx2lp -c redis -- redis-cli INFO memory | egrep 'used_memory_human|maxmemory_human'
used_memory_human:3.12M
maxmemory_human:0B
"""


def timeout_message(rng: random.Random) -> str:
    command = rng.choice(["HGET", "HGET", "HSET", "EXPIRE"])
    return f"Timeout performing {command} ({5000}ms), next: {command} {uuid(rng)}, inst: 0, qu: 0, qs: {rng.randrange(9, 31)}, aw: False, bw: SpinningDown, rs: ReadAsync, ws: Idle, in: 0, serverEndpoint: redis-cart:6379, mc: 1/1/0, mgr: 10 of 10 available, clientName: cartservice-5c8d7b6f4-hz9wm, IOCP: (Busy=0,Free=1000,Min=1,Max=1000), WORKER: (Busy={rng.randrange(30, 60)},Free=32{rng.randrange(700, 740)},Min=2,Max=32767), v: 2.2.4.27433"


def bundle() -> Bundle:
    rng = random.Random(180)
    minute = FAULT / 60
    cart = LogFile("logs/cartservice.log", DotnetConsole())
    cart.add(traffic(rng, cart_line, START, 40, 2100))
    cart.add(
        loud(
            rng,
            START,
            minute + 2.3,
            19,
            67,
            fixed(
                "ERROR",
                lambda r: (
                    f"Can't access cart storage. StackExchange.Redis.RedisTimeoutException: {timeout_message(r)}"
                ),
                None,
            ),
        )
    )
    frontend = LogFile(
        "logs/frontend.log", JsonLines("frontend", ("timestamp", "severity", "message"), rng=rng)
    )
    frontend.add(traffic(rng, frontend_line, START, 40, 3200))
    frontend.add(loud(rng, START, minute + 0.1, 21, 520, slow_frontend_line))
    frontend.add(
        loud(
            rng,
            START,
            minute + 2.4,
            19,
            143,
            fixed(
                "ERROR",
                lambda r: (
                    f'request error error="failed to complete the order: rpc error: code = Internal desc = failed to prepare order: failed to get user cart during checkout: rpc error: code = DeadlineExceeded desc = context deadline exceeded" http.req.id={uuid(r)} http.req.path=/cart/checkout'
                ),
            ),
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            minute + 2.5,
            19,
            88,
            fixed(
                "ERROR",
                lambda r: (
                    f'request error error="could not retrieve cart: rpc error: code = FailedPrecondition desc = Can\'t access cart storage." http.req.id={uuid(r)} http.req.path=/cart'
                ),
            ),
        )
    )
    checkout = LogFile(
        "logs/checkoutservice.log",
        JsonLines("checkoutservice", ("timestamp", "severity", "message"), rng=rng),
    )
    checkout.add(traffic(rng, checkout_line, START, 40, 900))
    checkout.add(
        loud(
            rng,
            START,
            minute + 2.4,
            19,
            139,
            fixed(
                "WARN",
                lambda r: (
                    f"failed to prepare order: failed to get user cart during checkout: rpc error: code = DeadlineExceeded desc = context deadline exceeded (user {uuid(r)})"
                ),
            ),
        )
    )
    redis = LogFile("logs/redis-cart.log", RedisLog())
    redis.add(redis_records(rng))
    services = {
        name: usual_series(rng, cpu, memory, latency, workload)
        for name, cpu, memory, latency, workload in [
            ("adservice", 0.038, 207, (0.0022, 0.0061), 8.8),
            ("cartservice", 0.071, 62, (0.0019, 0.0058), 24.3),
            ("checkoutservice", 0.011, 29, (0.0688, 0.1473), 2.0),
            ("currencyservice", 0.091, 71, (0.0012, 0.0039), 74.1),
            ("frontend", 0.149, 94, (0.0168, 0.1291), 57.6),
            ("paymentservice", 0.006, 51, (0.0013, 0.0044), 2.0),
            ("productcatalogservice", 0.069, 37, (0.0016, 0.0093), 93.4),
            ("recommendationservice", 0.113, 209, (0.0087, 0.0398), 14.1),
            ("redis-cart", 0.012, 9.6, (0.0004, 0.0011), 41.2),
            ("shippingservice", 0.009, 26, (0.0011, 0.0036), 4.1),
        ]
    }
    services["cartservice"]["latency-50"] = shift(rng, 0.0019, 1.2141, FAULT, 0.04)
    services["cartservice"]["latency-90"] = shift(rng, 0.0058, 1.3902, FAULT, 0.05)
    services["cartservice"]["cpu"] = shift(rng, 0.071, 0.134, FAULT + 60, 0.1, ramp=60)
    services["frontend"]["latency-50"] = shift(rng, 0.0168, 1.2513, FAULT + 1, 0.05, ramp=3)
    services["frontend"]["latency-90"] = shift(rng, 0.1291, 2.6107, FAULT + 1, 0.06, ramp=3)
    services["checkoutservice"]["latency-50"] = shift(rng, 0.0688, 2.5218, FAULT + 1, 0.05, ramp=3)
    services["redis-cart"]["workload"] = shift(rng, 41.2, 36.9, FAULT + 2, 0.06, ramp=20)
    return Bundle(
        question="The boutique got slow around 11:18 UTC and checkouts fail with deadline errors; cartservice looks fine on CPU. What's wrong?",
        category="network",
        component="redis-cart",
        statement="From 11:18:30 UTC about 1.2 s of network delay sits on the path to redis-cart: Redis answers in well under a millisecond on loopback with an empty slowlog, but every call from cartservice takes over a second, so cart reads time out and checkouts miss their deadlines.",
        files={
            "metrics.csv": wide_csv(START, STEP, POINTS, services),
            "logs/frontend.log": frontend.render(),
            "logs/checkoutservice.log": checkout.render(),
            "logs/cartservice.log": cart.render(),
            "logs/redis-cart.log": redis.render(),
            "redis-cli.txt": redis_cli(rng),
        },
        proofs=[
            Proof("redis-cli.txt", "min: 1093, max: 1352, avg: 1207.42"),
            Proof("redis-cli.txt", "min: 0, max: 1, avg: 0.07 (1409 samples)"),
            Proof("metrics.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 1)),
        ],
        decoys=[
            "failed to get user cart during checkout",
            "RedisTimeoutException",
            "could not retrieve cart",
        ],
    )
