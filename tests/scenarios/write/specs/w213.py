# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one CSV per service): packet loss (tc netem, 35%) on
cartservice from 21:17:50 UTC. Its p90 jumps to seconds from TCP retransmissions while its
p50 moves little and its CPU not at all; its own log only thins out. Loud: frontend's
`could not retrieve cart` / `failed to add to cart` errors (DeadlineExceeded, and
Unavailable with connection resets) and checkoutservice's `failed to get user cart during
checkout`. Decoys: redis-cart (the cart's store, with its own start-up warning about
overcommit_memory and its workload dropping), checkoutservice's errors, and a stale
recommendationservice restart in the events listing."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2025, 4, 2, 21, 0, tzinfo=UTC)
MINUTES = 32
STEP = 5
POINTS = MINUTES * 60 // STEP
FAULT = (17 * 60 + 50) // STEP


@dataclass
class Logrus:
    """The Go services' logrus JSON: the record's message is the JSON of the other fields."""

    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}088Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


@dataclass
class KubectlStamped:
    """`kubectl logs --timestamps` around the .NET cart's one-line console output."""

    def render(self, record: Record) -> list[str]:
        stamp_text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}517Z"
        )
        return [f"{stamp_text} {record.message}"]


@dataclass
class RedisLog:
    def render(self, record: Record) -> list[str]:
        stamp_text = (
            record.time.strftime("%d %b %Y %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        mark = "#" if record.level == "WARN" else "*"
        return [f"1:M {stamp_text} {mark} {record.message}"]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-b{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/",
            "/product/2ZYFJ3GM2N",
            "/product/L9ECAV7KIM",
            "/cart",
            "/cart",
            "/product/0PUK6V6EV0",
            "/setCurrency",
        ]
    )
    method = "POST" if path == "/setCurrency" else "GET"
    return (
        "DEBUG",
        json.dumps(
            {
                "http.req.id": uid(rng),
                "http.req.method": method,
                "http.req.path": path,
                "http.resp.bytes": rng.randrange(800, 11000),
                "http.resp.status": 302 if method == "POST" else 200,
                "http.resp.took_ms": rng.randrange(4, 90),
                "message": "request complete",
                "session": uid(rng),
            }
        ),
        (),
    )


def front_error(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        error = "could not retrieve cart: rpc error: code = DeadlineExceeded desc = context deadline exceeded"
        method, path = "GET", "/cart"
    elif roll < 0.75:
        error = "could not retrieve cart: rpc error: code = Unavailable desc = error reading from server: read tcp 10.244.3.15:51862->10.96.42.117:7070: read: connection reset by peer"
        method, path = "GET", rng.choice(["/", "/cart"])
    else:
        error = "failed to add to cart: rpc error: code = DeadlineExceeded desc = context deadline exceeded"
        method, path = "POST", "/cart"
    return (
        "ERROR",
        json.dumps(
            {
                "error": error,
                "http.req.id": uid(rng),
                "http.req.method": method,
                "http.req.path": path,
                "message": "request error",
                "session": uid(rng),
            }
        ),
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return (
            "INFO",
            json.dumps(
                {
                    "message": f'[PlaceOrder] user_id="{uid(rng)}" user_currency="{rng.choice(["USD", "EUR", "GBP", "TRY"])}"'
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
                "message": f'[PlaceOrder] failed user_id="{uid(rng)}": rpc error: code = Internal desc = failed to get user cart during checkout: rpc error: code = DeadlineExceeded desc = context deadline exceeded'
            }
        ),
        (),
    )


def cart_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.65:
        return "INFO", f"GetCartAsync called with userId={uid(rng)}", ()
    if roll < 0.92:
        return (
            "INFO",
            f"AddItemAsync called with userId={uid(rng)}, productId={rng.choice(['2ZYFJ3GM2N', 'L9ECAV7KIM', '0PUK6V6EV0', '66VCHSJNUP'])}, quantity={rng.choice([1, 1, 2])}",
            (),
        )
    return "INFO", f"EmptyCartAsync called with userId={uid(rng)}", ()


EVENTS = """$ kubectl -n shop get events --sort-by=.lastTimestamp
LAST SEEN   TYPE      REASON      OBJECT                                        MESSAGE
52m         Normal    Killing     pod/recommendationservice-6d8c5b7f9-4xk2p     Stopping container server
52m         Warning   Unhealthy   pod/recommendationservice-6d8c5b7f9-4xk2p     Liveness probe failed: timeout: failed to connect service ":8080" within 1s
52m         Normal    Pulled      pod/recommendationservice-6d8c5b7f9-4xk2p     Container image "us-central1-docker.pkg.dev/google-samples/microservices-demo/recommendationservice:v0.10.1" already present on machine
52m         Normal    Created     pod/recommendationservice-6d8c5b7f9-4xk2p     Created container server
52m         Normal    Started     pod/recommendationservice-6d8c5b7f9-4xk2p     Started container server
3m2s        Warning   Unhealthy   pod/frontend-7b9c6d5f8-mz4qt                  Readiness probe failed: Get "http://10.244.3.15:8080/_healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)
"""


def bundle() -> Bundle:
    rng = random.Random(20213)
    fault = FAULT * STEP / 60
    after = MINUTES - fault
    front = LogFile("logs/frontend.log", Logrus())
    front.add(traffic(rng, front_line, START, MINUTES, 3800))
    front.add(loud(rng, START, fault + 0.3, after - 0.4, 540, front_error))
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(traffic(rng, checkout_line, START, MINUTES, 480))
    checkout.add(loud(rng, START, fault + 0.35, after - 0.45, 120, checkout_error))
    cart = LogFile("logs/cartservice.log", KubectlStamped())
    cart.add(traffic(rng, cart_line, START, fault, 2600))
    cart.add(traffic(rng, cart_line, START + timedelta(minutes=fault), after, 1300))
    redis = LogFile("logs/redis-cart.log", RedisLog())
    redis.add(
        [
            at(
                START,
                0.02,
                "WARN",
                "WARNING overcommit_memory is set to 0! Background save may fail under low memory condition. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.",
            ),
            at(START, 0.03, "INFO", "Server initialized"),
            at(START, 0.04, "INFO", "Ready to accept connections tcp"),
        ]
    )
    for minute in range(1, MINUTES, 5):
        redis.add(
            [
                at(START, minute, "INFO", "100 changes in 300 seconds. Saving..."),
                at(
                    START, minute + 0.01, "INFO", f"Background saving started by pid {211 + minute}"
                ),
                at(START, minute + 0.03, "INFO", "Background saving terminated with success"),
            ]
        )
    levels = {
        "frontend": (0.209, 62.7, (0.0173, 0.0815), 41.1),
        "cartservice": (0.091, 150.4, (0.0043, 0.0120), 18.1),
        "redis-cart": (0.033, 8.3, (0.0006, 0.0019), 31.4),
        "checkoutservice": (0.010, 25.0, (0.0405, 0.1181), 2.8),
        "currencyservice": (0.154, 70.1, (0.0021, 0.0096), 58.4),
        "productcatalogservice": (0.081, 31.9, (0.0031, 0.0087), 64.1),
        "recommendationservice": (0.124, 68.5, (0.0141, 0.0380), 19.8),
        "adservice": (0.043, 201.9, (0.0035, 0.0140), 14.2),
        "paymentservice": (0.012, 58.8, (0.0017, 0.0052), 2.8),
        "shippingservice": (0.014, 19.3, (0.0021, 0.0063), 5.5),
        "emailservice": (0.019, 70.6, (0.0064, 0.0171), 2.8),
    }
    series = {name: usual_series(rng, *value) for name, value in levels.items()}
    c = series["cartservice"]
    c["latency-90"] = shift(rng, 0.0120, 2.6133, FAULT, 0.3)
    c["latency-50"] = shift(rng, 0.0043, 0.0068, FAULT, 0.15)
    c["workload"] = shift(rng, 18.1, 11.2, FAULT + 2, 0.12)
    series["redis-cart"]["workload"] = shift(rng, 31.4, 17.9, FAULT + 2, 0.12)
    series["redis-cart"]["cpu"] = shift(rng, 0.033, 0.019, FAULT + 2, 0.1)
    series["frontend"]["latency-90"] = shift(rng, 0.0815, 3.0458, FAULT + 1, 0.2)
    series["checkoutservice"]["latency-90"] = shift(rng, 0.1181, 3.4120, FAULT + 2, 0.2)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, columns, 4)
        for name, columns in series.items()
    }
    files.update(
        {
            "logs/frontend.log": front.render(),
            "logs/checkoutservice.log": checkout.render(),
            "logs/cartservice.log": cart.render(),
            "logs/redis-cart.log": redis.render(),
            "events.txt": EVENTS,
        }
    )
    return Bundle(
        question="Online Boutique: the cart page and add-to-cart intermittently fail since about 21:18 UTC. Which service is the root cause?",
        category="network",
        component="cartservice",
        statement="From 21:17:50 UTC 35% packet loss on cartservice makes its p90 jump from about 12 ms to about 2.6 s through TCP retransmissions while its p50 and CPU barely move; frontend's cart calls hit DeadlineExceeded and connection resets and checkouts cannot get carts from about 21:18.",
        files=files,
        proofs=[
            Proof(
                "metrics/cartservice.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2)
            )
        ],
        decoys=[
            "overcommit_memory is set to 0",
            "failed to get user cart during checkout",
            "pod/recommendationservice-6d8c5b7f9-4xk2p",
        ],
    )
