# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one wide CSV): a memory hog (stress-ng --vm) in the
cartservice container from 13:05:47 UTC. cartservice's memory climbs from about 70 MiB to just
under its 128 MiB limit within forty seconds; the reclaim pressure slows every cart call, its
latency rises to seconds, and the frontend's cart pages and checkoutservice's PlaceOrder (which
reads the cart first) fail. cartservice's own log only thins out. Decoys: checkoutservice's
`failed to get user cart during checkout` errors, an AOF fsync warning on redis-cart at 13:05,
a short currencyservice CPU spike at 12:57, and the frontend's ad timeouts that happen all day."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2025, 3, 11, 12, 40, tzinfo=UTC)
STEP = 1
MINUTES = 40
POINTS = MINUTES * 60
FAULT = 25 * 60 + 47


def nanos(time: datetime) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{time.microsecond * 1000:09d}Z"


@dataclass
class Logrus:
    """The JSON lines Online Boutique's Go services write (fields carried in the logger slot)."""

    def render(self, record: Record) -> list[str]:
        body = json.loads(record.logger) if record.logger else {}
        body |= {
            "message": record.message,
            "severity": record.level.lower().replace("warn", "warning"),
            "timestamp": nanos(record.time),
        }
        return [json.dumps(body, separators=(",", ":"))]


@dataclass
class Plain:
    """cartservice's console lines as `kubectl logs` returns them."""

    def render(self, record: Record) -> list[str]:
        return [record.message]


@dataclass
class RedisLog:
    """Redis' own log: `pid:role day mon year time.ms level message`."""

    def render(self, record: Record) -> list[str]:
        mark = {"WARN": "#", "INFO": "*", "DEBUG": "."}.get(record.level, "#")
        when = record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        return [f"1:M {when} {mark} {record.message}"]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}"


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


def fields(rng: random.Random, path: str, method: str = "GET") -> dict[str, object]:
    return {
        "http.req.id": uid(rng),
        "http.req.method": method,
        "http.req.path": path,
        "session": uid(rng),
    }


def with_fields(records: list[Record]) -> list[Record]:
    return [
        Record(r.time, r.level, r.message, (), r.trailer[0] if r.trailer else None) for r in records
    ]


def frontend_line(rng: random.Random) -> Line:
    roll = rng.random()
    path = rng.choice(
        [
            "/",
            f"/product/{rng.choice(PRODUCTS)}",
            f"/product/{rng.choice(PRODUCTS)}",
            "/cart",
            "/setCurrency",
            "/",
        ]
    )
    method = "POST" if path == "/setCurrency" else "GET"
    if roll < 0.05:
        error = {"error": "rpc error: code = DeadlineExceeded desc = context deadline exceeded"}
        return "WARN", "failed to retrieve ads", (json.dumps(error | fields(rng, path, method)),)
    if roll < 0.5:
        return "DEBUG", "request started", (json.dumps(fields(rng, path, method)),)
    done = fields(rng, path, method) | {
        "http.resp.bytes": rng.randrange(900, 14000),
        "http.resp.status": 200 if method == "GET" else 302,
        "http.resp.took_ms": rng.randrange(3, 70),
    }
    return "DEBUG", "request complete", (json.dumps(done),)


def cart_failure(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        error = {
            "error": "could not retrieve cart: rpc error: code = Canceled desc = context canceled"
        }
        return "ERROR", "request error", (json.dumps(error | fields(rng, "/cart")),)
    if roll < 0.75:
        error = {
            "error": "failed to add to cart: rpc error: code = Canceled desc = context canceled"
        }
        return "ERROR", "request error", (json.dumps(error | fields(rng, "/cart", "POST")),)
    error = {
        "error": "failed to complete the order: rpc error: code = Internal desc = cart failure: failed to get user cart during checkout: rpc error: code = DeadlineExceeded desc = context deadline exceeded"
    }
    return "ERROR", "request error", (json.dumps(error | fields(rng, "/cart/checkout", "POST")),)


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.34:
        return (
            "INFO",
            f'[PlaceOrder] user_id="{uid(rng)}" user_currency="{rng.choice(["USD", "EUR", "CAD", "GBP"])}"',
            (),
        )
    if roll < 0.67:
        return "INFO", f"payment went through (transaction_id: {uid(rng)})", ()
    return (
        "INFO",
        f'order confirmation email sent to "{rng.choice(["ana", "li.wei", "tom.h", "mbeck", "s.okafor"])}{rng.randrange(100)}@example.com"',
        (),
    )


def checkout_failure(rng: random.Random) -> Line:
    return (
        "WARN",
        "failed to get user cart during checkout: rpc error: code = DeadlineExceeded desc = context deadline exceeded",
        (),
    )


def cart_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return "INFO", f"GetCartAsync called with userId={uid(rng)}", ()
    return (
        "INFO",
        f"AddItemAsync called with userId={uid(rng)}, productId={rng.choice(PRODUCTS)}, quantity={rng.randrange(1, 5)}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1147)
    fault_minute = FAULT / 60
    after = MINUTES - fault_minute
    frontend = LogFile("logs/frontend.log", Logrus())
    frontend.add(with_fields(traffic(rng, frontend_line, START, MINUTES, 4600)))
    frontend.add(with_fields(loud(rng, START, fault_minute + 0.6, after - 0.7, 520, cart_failure)))
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(traffic(rng, checkout_line, START, fault_minute, 700))
    checkout.add(
        traffic(rng, checkout_line, START + timedelta(minutes=fault_minute + 0.5), after - 0.6, 90)
    )
    checkout.add(loud(rng, START, fault_minute + 0.7, after - 0.8, 210, checkout_failure))
    cart = LogFile("logs/cartservice.log", Plain())
    cart.add(traffic(rng, cart_line, START, fault_minute, 2300))
    cart.add(traffic(rng, cart_line, START + timedelta(minutes=fault_minute), after, 260))
    redis = LogFile("logs/redis-cart.log", RedisLog())
    for minute in range(2, MINUTES, 5):
        redis.add(
            [
                at(START, minute, "INFO", "100 changes in 300 seconds. Saving..."),
                at(
                    START,
                    minute + 0.01,
                    "INFO",
                    f"Background saving started by pid {rng.randrange(200, 900)}",
                ),
                at(START, minute + 0.05, "INFO", "Background saving terminated with success"),
            ]
        )
    redis.add(
        [
            at(
                START,
                fault_minute - 0.4,
                "WARN",
                "Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.",
            ),
        ]
    )

    levels = {
        "frontend": (0.101, 39, (0.0079, 0.0431), 41.2),
        "cartservice": (0.038, 71, (0.0029, 0.0094), 14.6),
        "checkoutservice": (0.017, 20, (0.0398, 0.0911), 2.1),
        "currencyservice": (0.064, 58, (0.0016, 0.0049), 52.3),
        "productcatalogservice": (0.031, 23, (0.0012, 0.0036), 58.9),
        "recommendationservice": (0.044, 61, (0.0051, 0.0131), 10.4),
        "paymentservice": (0.011, 44, (0.0011, 0.0027), 2.1),
        "shippingservice": (0.009, 15, (0.0011, 0.0029), 4.4),
        "emailservice": (0.012, 52, (0.0022, 0.0047), 2.1),
        "adservice": (0.027, 191, (0.0030, 0.0090), 11.0),
        "redis-cart": (0.015, 10, (0.0004, 0.0012), 14.6),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    services["cartservice"]["mem"] = shift(rng, 71, 121.5, FAULT, 0.006, ramp=38)
    services["cartservice"]["cpu"] = shift(rng, 0.038, 0.214, FAULT, 0.1, ramp=5)
    services["cartservice"]["latency-50"] = shift(rng, 0.0029, 0.63, FAULT + 24, 0.25, ramp=20)
    services["cartservice"]["latency-90"] = shift(rng, 0.0094, 1.94, FAULT + 24, 0.2, ramp=20)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.0911, 2.62, FAULT + 31, 0.2, ramp=20)
    services["frontend"]["latency-90"] = shift(rng, 0.0431, 1.87, FAULT + 30, 0.2, ramp=20)
    services["frontend"]["workload"] = shift(rng, 41.2, 33.8, FAULT + 40, 0.06, ramp=30)
    spike = shift(rng, 0.064, 0.064, 0, 0.07)
    services["currencyservice"]["cpu"] = lambda index: (
        spike(index) * (3.6 if 17 * 60 + 5 <= index < 17 * 60 + 50 else 1)
    )
    files = {
        "data.csv": wide_csv(START, STEP, POINTS, services),
        "logs/frontend.log": frontend.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/cartservice.log": cart.render(),
        "logs/redis-cart.log": redis.render(),
    }
    return Bundle(
        question="Since about 13:06 UTC many Online Boutique shoppers cannot open their cart or check out. Which service is the root cause?",
        category="memory",
        component="cartservice",
        statement="From 13:05:47 UTC a memory hog in the cartservice container drives its memory from about 70 MiB to just under its 128 MiB limit within forty seconds; the memory pressure makes every cart call take seconds, so the frontend's cart pages and checkoutservice's PlaceOrder (which reads the cart first) fail.",
        files=files,
        proofs=[Proof("data.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 30))],
        decoys=[
            "failed to get user cart during checkout",
            "Asynchronous AOF fsync is taking too long",
            "failed to retrieve ads",
        ],
    )
