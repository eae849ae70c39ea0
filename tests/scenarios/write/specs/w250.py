# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one CSV per service with `diskio`): a disk I/O hog
(stress-ng --hdd) in redis-cart's container from 08:12:30 UTC. redis-cart's `diskio` series
jumps and its latency climbs; Redis itself writes a single notice, `Asynchronous AOF fsync is
taking too long (disk is busy?)`, then nothing unusual. cartservice throws
`RedisTimeoutException` on HGET/HSET (the loudest errors), frontend logs `could not retrieve
cart` and checkoutservice `failed to get user cart during checkout`. Decoys: cartservice's
timeouts, cartservice's own rollout at 07:58 (config change, restarted cleanly), and
checkoutservice's errors."""

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

START = datetime(2025, 11, 4, 7, 50, tzinfo=UTC)
MINUTES = 34
STEP = 5
FAULT = (22 * 60 + 30) // STEP


@dataclass
class Redis:
    def render(self, record: Record) -> list[str]:
        mark = {"WARN": "#", "DEBUG": "-"}.get(record.level, "*")
        return [
            f"1:M {record.time.strftime('%d %b %Y %H:%M:%S.')}{record.time.microsecond // 1000:03d} {mark} {record.message}"
        ]


@dataclass
class DotnetConsole:
    """cartservice's console (ASP.NET Core) behind `kubectl logs --timestamps`."""

    def render(self, record: Record) -> list[str]:
        head = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}204Z"
        return [f"{head} {record.message}", *(f"{head} {line}" for line in record.trailer)]


@dataclass
class Logrus:
    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}702Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-9{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def cart_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return "INFO", f"GetCartAsync called with userId={uid(rng)}", ()
    if roll < 0.85:
        return (
            "INFO",
            f"AddItemAsync called with userId={uid(rng)}, productId={rng.choice(['OLJCESPC7Z', '66VCHSJNUP', '9SIQT8TOJO', 'L9ECAV7KIM', 'LS4PSXUNUM'])}, quantity={rng.randrange(1, 5)}",
            (),
        )
    if roll < 0.95:
        return "INFO", f"EmptyCartAsync called with userId={uid(rng)}", ()
    return "INFO", "Checking CartService Health", ()


def cart_timeout(rng: random.Random) -> Line:
    cmd = rng.choice(["HGET", "HGET", "HSET"])
    return (
        "ERROR",
        f'Status(StatusCode="FailedPrecondition", Detail="Can\'t access cart storage. StackExchange.Redis.RedisTimeoutException: Timeout performing {cmd} (5000ms), next: {cmd} {uid(rng)}, inst: {rng.randrange(1, 9)}, qu: 0, qs: {rng.randrange(12, 61)}, aw: False, bw: SpinningDown, rs: ReadAsync, ws: Idle, in: 0, serverEndpoint: redis-cart:6379, mc: 1/1/0, mgr: 10 of 10 available, clientName: cartservice-6d8f79c94b-tx4kp, IOCP: (Busy=0,Free=1000,Min=1,Max=1000), WORKER: (Busy={rng.randrange(2, 9)},Free=32763,Min=2,Max=32767), v: 2.2.4.27433")',
        (
            "   at cartservice.cartstore.RedisCartStore.GetCartAsync(String userId) in /app/src/cartservice/cartstore/RedisCartStore.cs:line 189",
        ),
    )


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        ["/", "/product/OLJCESPC7Z", "/product/1YMWWN1N4O", "/cart", "/static/styles/styles.css"]
    )
    body = {
        "http.req.id": uid(rng),
        "http.req.method": "GET",
        "http.req.path": path,
        "http.resp.bytes": rng.randrange(1200, 13000),
        "http.resp.status": 200,
        "http.resp.took_ms": max(3, int(rng.lognormvariate(0, 0.5) * 28)),
        "message": "request complete",
        "session": uid(rng),
    }
    return "DEBUG", json.dumps(body), ()


def frontend_error(rng: random.Random) -> Line:
    body = {
        "error": "could not retrieve cart: rpc error: code = FailedPrecondition desc = Can't access cart storage. StackExchange.Redis.RedisTimeoutException: Timeout performing HGET (5000ms)",
        "http.req.id": uid(rng),
        "http.req.method": "GET",
        "http.req.path": rng.choice(["/cart", "/", "/product/2ZYFJ3GM2N"]),
        "message": "request error",
        "session": uid(rng),
    }
    return "ERROR", json.dumps(body), ()


def checkout_line(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "INFO",
            json.dumps(
                {
                    "message": f'[PlaceOrder] user_id="{uid(rng)}" user_currency="{rng.choice(["USD", "EUR", "CAD"])}"'
                }
            ),
            (),
        )
    return "INFO", json.dumps({"message": f"payment went through (transaction_id: {uid(rng)})"}), ()


def checkout_error(rng: random.Random) -> Line:
    return (
        "WARN",
        json.dumps(
            {
                "message": "failed to prepare order: failed to get user cart during checkout: rpc error: code = FailedPrecondition desc = Can't access cart storage. StackExchange.Redis.RedisTimeoutException: Timeout performing HGET (5000ms)"
            }
        ),
        (),
    )


def redis_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"{rng.choice([1, 10, 100])} changes in {rng.choice([3600, 300, 60])} seconds. Saving...",
            (),
        )
    if roll < 0.75:
        return "INFO", f"Background saving started by pid {rng.randrange(200, 9000)}", ()
    return "INFO", "Background saving terminated with success", ()


def bundle() -> Bundle:
    rng = random.Random(20250)
    redis = LogFile("logs/redis-cart.log", Redis())
    redis.add(traffic(rng, redis_line, START, MINUTES, 90))
    redis.add(
        [
            at(
                START,
                22.62,
                "INFO",
                "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.",
            )
        ]
    )
    cart = LogFile("logs/cartservice.log", DotnetConsole())
    cart.add(traffic(rng, cart_line, START, MINUTES, 2900))
    cart.add(
        [
            at(START, 7.7, "INFO", "Application is shutting down..."),
            at(START, 8.3, "INFO", "Reading host address from LISTEN_ADDR environment variable"),
            at(
                START,
                8.32,
                "INFO",
                "Connecting to Redis: redis-cart:6379,ssl=false,allowAdmin=true,abortConnect=false,connectTimeout=5000",
            ),
            at(START, 8.36, "INFO", "Successfully connected to Redis"),
            at(START, 8.4, "INFO", "Now listening on: http://0.0.0.0:7070"),
        ]
    )
    cart.add(loud(rng, START, 22.8, MINUTES - 22.9, 330, cart_timeout))
    frontend = LogFile("logs/frontend.log", Logrus())
    frontend.add(traffic(rng, frontend_line, START, MINUTES, 2400))
    frontend.add(loud(rng, START, 22.85, MINUTES - 22.9, 250, frontend_error))
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(traffic(rng, checkout_line, START, MINUTES, 420))
    checkout.add(loud(rng, START, 22.9, MINUTES - 23.0, 45, checkout_error))
    levels = {
        "frontend": (0.198, 51.6, (0.0284, 0.0791), 39.8, 0.0),
        "cartservice": (0.073, 66.2, (0.0049, 0.0141), 13.1, 0.02),
        "redis-cart": (0.028, 8.1, (0.0005, 0.0013), 13.1, 0.41),
        "checkoutservice": (0.022, 24.4, (0.0398, 0.1072), 2.0, 0.0),
        "productcatalogservice": (0.094, 20.3, (0.0018, 0.0055), 55.6, 0.0),
        "currencyservice": (0.139, 70.2, (0.0022, 0.0067), 63.0, 0.0),
        "recommendationservice": (0.078, 58.9, (0.0199, 0.0551), 10.8, 0.0),
        "shippingservice": (0.016, 18.0, (0.0017, 0.0047), 4.0, 0.0),
    }
    services = {name: usual_series(rng, *v[:4], diskio=v[4] or None) for name, v in levels.items()}
    r = services["redis-cart"]
    r["diskio"] = shift(rng, 0.41, 188.5, FAULT, 0.1)
    r["latency-50"] = shift(rng, 0.0005, 0.0081, FAULT + 1, 0.3)
    r["latency-90"] = shift(rng, 0.0013, 1.447, FAULT + 1, 0.3)
    r["cpu"] = shift(rng, 0.028, 0.061, FAULT, 0.1)
    c = services["cartservice"]
    c["latency-50"] = shift(rng, 0.0049, 0.214, FAULT + 2, 0.2)
    c["latency-90"] = shift(rng, 0.0141, 5.003, FAULT + 2, 0.02)
    services["frontend"]["latency-90"] = shift(rng, 0.0791, 5.09, FAULT + 2, 0.04)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": f for m, f in series.items()}, 4
        )
        for name, series in services.items()
    }
    files |= {
        "logs/frontend.log": frontend.render(),
        "logs/cartservice.log": cart.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/redis-cart.log": redis.render(),
    }
    return Bundle(
        question="Since about 08:13 UTC the cart page often errors and checkouts fail. Which service is the root cause?",
        category="disk",
        component="redis-cart",
        statement="From 08:12:30 UTC a disk I/O hog in redis-cart's container saturates its disk (diskio ~0.4 to ~190) and Redis warns `Asynchronous AOF fsync is taking too long (disk is busy?)`; cartservice's HGET/HSET calls time out after 5000 ms, and frontend's and checkoutservice's cart calls fail.",
        files=files,
        proofs=[
            Proof("logs/redis-cart.log", "Asynchronous AOF fsync is taking too long"),
            Proof("metrics/redis-cart.csv", stamp(START, STEP, FAULT)),
        ],
        decoys=[
            "RedisTimeoutException",
            "Application is shutting down...",
            "failed to get user cart during checkout",
        ],
    )
