# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one wide CSV): a CPU hog (stress-ng, 2 workers) in the
cartservice container from 16:44:10 UTC. cartservice's CPU jumps to its limit and its p50 and
p90 climb; its own log only shows slower Redis round trips. Loud: frontend's `failed to get
cart` / `could not retrieve cart` with DeadlineExceeded and checkoutservice's
`failed to get user cart during checkout`. Decoys: frontend (loudest, its latency rising),
redis-cart (its workload dips because cartservice calls it less), and a stale currencyservice
`conversion request failed` at 16:31."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Record
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2025, 10, 28, 16, 25, tzinfo=UTC)
MINUTES = 35
POINTS = MINUTES * 60
FAULT = 19 * 60 + 10


@dataclass
class GoJson:
    """The Go services' JSON log lines (logrus), message holding the other fields."""

    def render(self, record: Record) -> list[str]:
        body = {
            "message": record.message,
            "severity": record.level.lower().replace("warn", "warning"),
        }
        body["timestamp"] = record.time.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"
        return [json.dumps(body)]


@dataclass
class DotnetConsole:
    """cartservice's .NET console output under `kubectl logs`: `info: Category[0]` then the text."""

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "info", "WARN": "warn", "ERROR": "fail", "DEBUG": "dbug"}[record.level]
        return [
            f"{level}: {record.logger or 'cartservice.cartstore.RedisCartStore'}[0]",
            f"      {record.message}",
        ]


def bundle() -> Bundle:
    rng = random.Random(62828)
    fault = FAULT / 60
    frontend = LogFile("logs/frontend.log", GoJson())
    frontend.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"request complete http.req.method={r.choice(['GET', 'POST'])} http.req.path={r.choice(['/', '/cart', '/product/OLJCESPC7Z', '/product/66VCHSJNUP', '/setCurrency'])} http.resp.status=200 http.resp.took_ms={r.randrange(4, 90)}",
                (),
            ),
            START,
            MINUTES,
            5200,
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            fault + 0.5,
            MINUTES - fault - 0.6,
            430,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        'request error http.req.path=/cart error="could not retrieve cart: rpc error: code = DeadlineExceeded desc = context deadline exceeded"',
                        f'request error http.req.path=/product/{r.choice(["OLJCESPC7Z", "66VCHSJNUP", "1YMWWN1N4O", "9SIQT8TOJO"])} error="failed to get cart: rpc error: code = DeadlineExceeded desc = context deadline exceeded"',
                    ]
                ),
            ),
        )
    )
    checkout = LogFile("logs/checkoutservice.log", GoJson())
    checkout.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'[PlaceOrder] user_id="{r.getrandbits(128):032x}" user_currency="{r.choice(["USD", "EUR", "JPY", "CAD"])}"',
                (),
            ),
            START,
            MINUTES,
            900,
        )
    )
    checkout.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"payment went through (transaction_id: {r.getrandbits(64):016x})",
                (),
            ),
            START,
            MINUTES,
            700,
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            fault + 0.6,
            MINUTES - fault - 0.7,
            120,
            fixed(
                "WARN",
                lambda r: (
                    "failed to prepare order: failed to get user cart during checkout: rpc error: code = DeadlineExceeded desc = context deadline exceeded"
                ),
            ),
        )
    )
    currency = LogFile("logs/currencyservice.log", GoJson())
    currency.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"conversion request successful from {r.choice(['USD', 'EUR'])} to {r.choice(['JPY', 'GBP', 'CAD', 'TRY'])}",
                (),
            ),
            START,
            MINUTES,
            2400,
        )
    )
    currency.add(
        [
            at(
                START,
                6.0,
                "ERROR",
                "conversion request failed: Error: 14 UNAVAILABLE: upstream connect error (retrying once) - succeeded",
            )
        ]
    )
    cart = LogFile("logs/cartservice.log", DotnetConsole())

    def cart_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "INFO",
            r.choice(
                [
                    f"GetCartAsync called with userId={r.getrandbits(128):032x}",
                    f"AddItemAsync called with userId={r.getrandbits(128):032x}, productId={r.choice(['OLJCESPC7Z', 'L9ECAV7KIM', '2ZYFJ3GM2N'])}, quantity={r.randrange(1, 5)}",
                    f"EmptyCartAsync called with userId={r.getrandbits(128):032x}",
                ]
            ),
            (),
        )

    cart.add(traffic(rng, cart_line, START, fault, 2600))
    cart.add(traffic(rng, cart_line, START + timedelta(minutes=fault), MINUTES - fault, 1100))
    cart.add(
        loud(
            rng,
            START,
            fault + 0.4,
            MINUTES - fault - 0.5,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f"Redis HGET for cart {r.getrandbits(128):032x} took {r.randrange(700, 1900)}ms"
                ),
            ),
        )
    )
    levels = {
        "frontend": (0.082, 38.4, (0.0121, 0.0603), 41.2),
        "cartservice": (0.061, 71.9, (0.0043, 0.0109), 22.4),
        "redis-cart": (0.018, 9.1, (0.0006, 0.0014), 35.1),
        "checkoutservice": (0.013, 18.2, (0.0211, 0.0482), 3.1),
        "currencyservice": (0.074, 52.6, (0.0024, 0.0071), 60.3),
        "productcatalogservice": (0.039, 21.5, (0.0019, 0.0051), 88.7),
        "recommendationservice": (0.058, 63.0, (0.0085, 0.0203), 14.6),
        "adservice": (0.046, 182.4, (0.0027, 0.0068), 12.9),
        "paymentservice": (0.007, 41.2, (0.0011, 0.0031), 3.1),
        "shippingservice": (0.009, 8.4, (0.0012, 0.0029), 8.2),
        "emailservice": (0.005, 36.8, (0.0032, 0.0088), 3.0),
    }
    series = {name: usual_series(rng, *value) for name, value in levels.items()}
    c = series["cartservice"]
    c["cpu"] = shift(rng, 0.061, 0.998, FAULT, 0.02)
    c["latency-50"] = shift(rng, 0.0043, 0.3812, FAULT + 3, 0.12, ramp=15)
    c["latency-90"] = shift(rng, 0.0109, 1.4415, FAULT + 3, 0.12, ramp=15)
    series["frontend"]["latency-90"] = shift(rng, 0.0603, 3.0142, FAULT + 10, 0.1, ramp=25)
    series["frontend"]["latency-50"] = shift(rng, 0.0121, 0.4907, FAULT + 10, 0.1, ramp=25)
    series["checkoutservice"]["latency-90"] = shift(rng, 0.0482, 2.6233, FAULT + 12, 0.1, ramp=25)
    series["redis-cart"]["workload"] = shift(rng, 35.1, 17.9, FAULT + 6, 0.08, ramp=20)
    files = {"metrics/data.csv": wide_csv(START, 1, POINTS, series)}
    for log in (frontend, checkout, cart, currency):
        files[log.name] = log.render()
    return Bundle(
        question="Online Boutique pages that show the cart have been slow or erroring since about 16:44 UTC in the test run. Which service is the root cause?",
        category="cpu",
        component="cartservice",
        statement="From 16:44:10 UTC cartservice is saturated by a CPU hog: its cpu jumps to a full core while its latency climbs, and frontend and checkoutservice, which call it for every cart, time out with DeadlineExceeded.",
        files=files,
        proofs=[Proof("metrics/data.csv", stamp(START, 1, FAULT), stamp(START, 1, FAULT + 2))],
        decoys=["conversion request failed", "redis-cart", "could not retrieve cart"],
    )
