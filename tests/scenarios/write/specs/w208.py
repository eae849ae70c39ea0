# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE3 layout, one wide CSV): a code fault in cartservice. A build
rolled out at 09:41 UTC changed RedisCartStore: AddItem appends a second entry for a product
already in the cart instead of raising its quantity, and GetCartAsync's `Single()` throws
`InvalidOperationException: Sequence contains more than one matching element` for such carts.
cartservice logs the exception itself (ASP.NET console, `Error when executing service method
'GetCart'`), but its metrics barely move. Loud: frontend's `request error` lines on /cart and
POST /cart/checkout with `Exception was thrown by handler.` and checkoutservice's `failed to
get user cart during checkout`. Decoys: checkoutservice (the loudest gRPC errors in the
checkout path), adservice's `failed to retrieve ads` warnings that run all along, and
redis-cart's background saves."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2024, 10, 8, 9, 30, tzinfo=UTC)
MINUTES = 26
ROLL = 11.2
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
class Logrus:
    """The Go services' logrus JSON: the record's message is the JSON of the other fields."""

    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}123Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


@dataclass
class AspNetConsole:
    """ASP.NET Core's simple console logger: `level: category[event]` then indented lines."""

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "info", "WARN": "warn", "ERROR": "fail", "DEBUG": "dbug"}[record.level]
        category, _, text = record.message.partition("|")
        return [
            f"{level}: {category}",
            *(f"      {line}" for line in text.split("\n")),
            *record.trailer,
        ]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/",
            "/product/" + rng.choice(PRODUCTS),
            "/product/" + rng.choice(PRODUCTS),
            "/cart",
            "/setCurrency",
            "/cart",
            "/_healthz",
        ]
    )
    method = (
        "POST" if path == "/setCurrency" or (rng.random() < 0.12 and path == "/cart") else "GET"
    )
    status = 302 if method == "POST" else 200
    roll = rng.random()
    if roll < 0.08:
        return (
            "WARN",
            json.dumps(
                {
                    "error": 'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 10.12.6.40:9555: i/o timeout"',
                    "http.req.id": uid(rng),
                    "http.req.method": "GET",
                    "http.req.path": path,
                    "message": "failed to retrieve ads",
                    "session": uid(rng),
                }
            ),
            (),
        )
    if roll < 0.5:
        return (
            "DEBUG",
            json.dumps(
                {
                    "http.req.id": uid(rng),
                    "http.req.method": method,
                    "http.req.path": path,
                    "message": "request started",
                    "session": uid(rng),
                }
            ),
            (),
        )
    return (
        "DEBUG",
        json.dumps(
            {
                "http.req.id": uid(rng),
                "http.req.method": method,
                "http.req.path": path,
                "http.resp.bytes": rng.randrange(900, 12000),
                "http.resp.status": status,
                "http.resp.took_ms": rng.randrange(3, 90),
                "message": "request complete",
                "session": uid(rng),
            }
        ),
        (),
    )


def front_error(rng: random.Random) -> Line:
    if rng.random() < 0.55:
        return (
            "ERROR",
            json.dumps(
                {
                    "error": "could not retrieve cart: rpc error: code = Unknown desc = Exception was thrown by handler.",
                    "http.req.id": uid(rng),
                    "http.req.method": "GET",
                    "http.req.path": "/cart",
                    "message": "request error",
                    "session": uid(rng),
                }
            ),
            (),
        )
    return (
        "ERROR",
        json.dumps(
            {
                "error": "failed to complete the order: rpc error: code = Internal desc = failed to get user cart during checkout: rpc error: code = Unknown desc = Exception was thrown by handler.",
                "http.req.id": uid(rng),
                "http.req.method": "POST",
                "http.req.path": "/cart/checkout",
                "message": "request error",
                "session": uid(rng),
            }
        ),
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.3:
        return (
            "INFO",
            json.dumps(
                {
                    "message": f'[PlaceOrder] user_id="{uid(rng)}" user_currency="{rng.choice(["USD", "EUR", "JPY", "CAD", "GBP"])}"'
                }
            ),
            (),
        )
    if roll < 0.55:
        return (
            "INFO",
            json.dumps({"message": f"payment went through (transaction_id: {uid(rng)})"}),
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            json.dumps(
                {
                    "message": f'order confirmation email sent to "{rng.choice(["someone", "ana", "j.doe", "mkt"])}@example.com"'
                }
            ),
            (),
        )
    return (
        "INFO",
        json.dumps({"message": f"health check: serving, uptime {rng.randrange(10000, 90000)}s"}),
        (),
    )


def checkout_error(rng: random.Random) -> Line:
    return (
        "WARN",
        json.dumps(
            {
                "message": f'[PlaceOrder] failed user_id="{uid(rng)}": rpc error: code = Internal desc = failed to get user cart during checkout: rpc error: code = Unknown desc = Exception was thrown by handler.'
            }
        ),
        (),
    )


def cart_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"cartservice.services.CartService[0]|GetCartAsync called with userId={uid(rng)}",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"cartservice.services.CartService[0]|AddItemAsync called with userId={uid(rng)}, productId={rng.choice(PRODUCTS)}, quantity={rng.choice([1, 1, 2, 3])}",
            (),
        )
    return (
        "INFO",
        f"cartservice.services.CartService[0]|EmptyCartAsync called with userId={uid(rng)}",
        (),
    )


def cart_fault(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Grpc.AspNetCore.Server.ServerCallHandler[6]|Error when executing service method 'GetCart'.\nSystem.InvalidOperationException: Sequence contains more than one matching element",
        (
            "   at System.Linq.ThrowHelper.ThrowMoreThanOneMatchException()",
            "   at System.Linq.Enumerable.TryGetSingle[TSource](IEnumerable`1 source, Func`2 predicate, Boolean& found)",
            "   at cartservice.cartstore.RedisCartStore.GetCartAsync(String userId) in /app/cartstore/RedisCartStore.cs:line 187",
            "   at cartservice.services.CartService.GetCart(GetCartRequest request, ServerCallContext context) in /app/services/CartService.cs:line 44",
            "   at Grpc.Shared.Server.UnaryServerMethodInvoker`3.ResolvedInterceptorInvoker(TRequest resolvedRequest, ServerCallContext resolvedContext)",
        ),
    )


def redis_line(rng: random.Random) -> Line:
    return "INFO", f"1:M {rng.randrange(10)} changes in 300 seconds. Saving...", ()


@dataclass
class RedisLog:
    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        pid, _, text = record.message.partition(" ")
        return [f"{pid} {stamp} * {text}"]


def bundle() -> Bundle:
    rng = random.Random(20208)
    roll = START + timedelta(minutes=ROLL)
    front = LogFile("logs/frontend.log", Logrus())
    front.add(traffic(rng, front_line, START, MINUTES, 4200))
    front.add(loud(rng, START, ROLL + 1.4, MINUTES - ROLL - 1.5, 460, front_error))
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(traffic(rng, checkout_line, START, MINUTES, 700))
    checkout.add(loud(rng, START, ROLL + 1.4, MINUTES - ROLL - 1.5, 210, checkout_error))
    cart = LogFile("logs/cartservice.log", AspNetConsole())
    cart.add(traffic(rng, cart_line, START, ROLL - 0.3, 900))
    cart.add(
        [
            at(
                START,
                ROLL - 0.25,
                "INFO",
                "Microsoft.Hosting.Lifetime[0]|Application is shutting down...",
            ),
            at(
                START,
                ROLL,
                "INFO",
                "cartservice.Startup[0]|Connecting to Redis: redis-cart:6379,ssl=false,allowAdmin=true,abortConnect=false",
            ),
            at(
                START,
                ROLL + 0.02,
                "INFO",
                "cartservice.cartstore.RedisCartStore[0]|RedisCartStore build 0.10.2-rc1 (AddItem: append line item)",
            ),
            at(
                START,
                ROLL + 0.04,
                "INFO",
                "Microsoft.Hosting.Lifetime[14]|Now listening on: http://[::]:7070",
            ),
            at(
                START,
                ROLL + 0.05,
                "INFO",
                "Microsoft.Hosting.Lifetime[0]|Application started. Press Ctrl+C to shut down.",
            ),
        ]
    )
    cart.add(traffic(rng, cart_line, roll + timedelta(minutes=0.1), MINUTES - ROLL - 0.1, 1100))
    level, message, trailer = cart_fault(rng)
    cart.add(
        [
            at(
                START,
                ROLL + 1.2,
                "INFO",
                "cartservice.services.CartService[0]|GetCartAsync called with userId=c1f07a4e-93d2-4b6e-a0f1-5be2d09c7741",
            ),
            Record(roll + timedelta(minutes=1.2, milliseconds=900), level, message, trailer),
        ]
    )
    cart.add(loud(rng, START, ROLL + 1.3, MINUTES - ROLL - 1.4, 150, cart_fault))
    redis = LogFile("logs/redis-cart.log", RedisLog())
    for minute in range(0, MINUTES, 5):
        redis.add(
            [
                at(START, minute + 0.3, "INFO", "1:M 100 changes in 300 seconds. Saving..."),
                at(
                    START,
                    minute + 0.31,
                    "INFO",
                    f"1:M Background saving started by pid {1400 + minute * 7}",
                ),
                at(START, minute + 0.33, "INFO", f"{1400 + minute * 7}:C DB saved on disk"),
                at(START, minute + 0.34, "INFO", "1:M Background saving terminated with success"),
            ]
        )
    levels = {
        "frontend": (0.214, 62.1, (0.0171, 0.0820), 41.3),
        "cartservice": (0.094, 151.7, (0.0042, 0.0118), 17.9),
        "checkoutservice": (0.031, 24.6, (0.0412, 0.1190), 2.8),
        "currencyservice": (0.156, 70.3, (0.0021, 0.0095), 58.2),
        "productcatalogservice": (0.083, 31.8, (0.0031, 0.0088), 64.4),
        "recommendationservice": (0.127, 68.2, (0.0142, 0.0382), 19.7),
        "adservice": (0.061, 201.3, (0.0035, 0.0141), 14.1),
        "paymentservice": (0.018, 58.9, (0.0017, 0.0052), 2.6),
        "shippingservice": (0.014, 19.2, (0.0021, 0.0064), 5.4),
        "emailservice": (0.022, 71.1, (0.0064, 0.0172), 2.6),
        "redis-cart": (0.035, 8.1, (0.0006, 0.0019), 31.2),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    at_roll = int(ROLL * 60 / 5)
    services["cartservice"]["mem"] = shift(rng, 151.7, 118.4, at_roll, 0.01, ramp=6)
    services["checkoutservice"]["workload"] = shift(rng, 2.8, 1.6, at_roll + 18, 0.08)
    services["emailservice"]["workload"] = shift(rng, 2.6, 1.4, at_roll + 18, 0.08)
    services["paymentservice"]["workload"] = shift(rng, 2.6, 1.5, at_roll + 18, 0.08)
    files = {
        "metrics.csv": wide_csv(START, 5, MINUTES * 12, services),
        "logs/frontend.log": front.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/cartservice.log": cart.render(),
        "logs/redis-cart.log": redis.render(),
    }
    return Bundle(
        question="Since about 09:43 UTC some shoppers get a 500 on the cart page and when placing an order; the rest of Online Boutique works. Which service is the root cause?",
        category="code_error",
        component="cartservice",
        statement="A cartservice build rolled out at 09:41 UTC (RedisCartStore 0.10.2-rc1) appends a second line item for a product already in the cart, and from about 09:42 its GetCart throws InvalidOperationException (Sequence contains more than one matching element) for those carts; frontend's /cart and checkoutservice's PlaceOrder fail with `Exception was thrown by handler.`.",
        files=files,
        proofs=[
            Proof("logs/cartservice.log", "RedisCartStore build 0.10.2-rc1"),
            Proof(
                "logs/cartservice.log",
                "userId=c1f07a4e-93d2-4b6e-a0f1-5be2d09c7741",
                "RedisCartStore.cs:line 187",
            ),
        ],
        decoys=[
            "failed to get user cart during checkout",
            "failed to retrieve ads",
            "Background saving started",
        ],
    )
