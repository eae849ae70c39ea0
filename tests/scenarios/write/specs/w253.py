# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE3 style: logs of three services and a wide CSV whose series
barely move): a code fault in currencyservice. Build v0.10.3-rc2, started at 14:05 UTC,
rounds converted amounts with a per-currency precision table that has no entry for zero-decimal
currencies, so `Convert` throws `RangeError: toFixed() digits argument must be between 0 and
100` whenever the target is JPY or KRW; every other currency still works. currencyservice
logs each failure as one `conversion request failed` line among thousands of successful
ones. frontend renders 500 (`failed to convert currency`) on product and cart pages for
those users, and checkoutservice (two hops from the shopper) fails orders with `failed to
convert price`. Decoys: frontend's loud 500s, checkoutservice's errors, and frontend's
long-standing `failed to retrieve ads` warnings."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2025, 5, 12, 13, 50, tzinfo=UTC)
MINUTES = 33
STEP = 5
ROLL = 15.0
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
class PinoGcp:
    """currencyservice's pino logger with OB's GCP-style keys."""

    def render(self, record: Record) -> list[str]:
        return [
            json.dumps(
                {
                    "severity": record.level.lower().replace("warn", "warning"),
                    "time": int(record.time.timestamp() * 1000),
                    "pid": 1,
                    "hostname": "currencyservice-5b9c8d7f64-hq2vz",
                    "name": "currencyservice-server",
                    "message": record.message,
                }
            )
        ]


@dataclass
class Logrus:
    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}119Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


def rid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-b{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def currency_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.47:
        return "INFO", "received conversion request", ()
    if roll < 0.94:
        return "INFO", "conversion request successful", ()
    return "INFO", "Getting supported currencies...", ()


def currency_fail(rng: random.Random) -> Line:
    return (
        "ERROR",
        "conversion request failed: RangeError: toFixed() digits argument must be between 0 and 100",
        (),
    )


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/product/" + rng.choice(PRODUCTS),
            "/cart",
            "/setCurrency",
            "/product/" + rng.choice(PRODUCTS),
        ]
    )
    if rng.random() < 0.03:
        return (
            "WARN",
            json.dumps(
                {
                    "error": 'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 10.12.7.31:9555: connect: connection refused"',
                    "http.req.id": rid(rng),
                    "http.req.method": "GET",
                    "http.req.path": path,
                    "message": "failed to retrieve ads",
                    "session": rid(rng),
                }
            ),
            (),
        )
    return (
        "DEBUG",
        json.dumps(
            {
                "curr": rng.choice(["USD", "USD", "EUR", "GBP", "CAD", "JPY"]),
                "http.req.id": rid(rng),
                "http.req.method": "POST" if path == "/setCurrency" else "GET",
                "http.req.path": path,
                "http.resp.bytes": rng.randrange(1500, 12000),
                "http.resp.status": 302 if path == "/setCurrency" else 200,
                "http.resp.took_ms": max(2, int(rng.lognormvariate(0, 0.5) * 26)),
                "message": "request complete",
                "session": rid(rng),
            }
        ),
        (),
    )


def frontend_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        json.dumps(
            {
                "error": "failed to convert currency: rpc error: code = Unknown desc = toFixed() digits argument must be between 0 and 100",
                "http.req.id": rid(rng),
                "http.req.method": "GET",
                "http.req.path": rng.choice(["/product/" + rng.choice(PRODUCTS), "/cart", "/"]),
                "message": "request error",
                "session": rid(rng),
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
                    "message": f'[PlaceOrder] user_id="{rid(rng)}" user_currency="{rng.choice(["USD", "EUR", "GBP", "CAD"])}"'
                }
            ),
            (),
        )
    return (
        "INFO",
        json.dumps(
            {
                "message": f'order confirmation email sent to "{rng.choice(["someone", "alex.k", "mina", "j.ortiz"])}@example.com"'
            }
        ),
        (),
    )


def checkout_error(rng: random.Random) -> Line:
    return (
        "WARN",
        json.dumps(
            {
                "message": f'failed to prepare order: failed to convert price of "{rng.choice(PRODUCTS)}" to {rng.choice(["JPY", "JPY", "KRW"])}: rpc error: code = Unknown desc = toFixed() digits argument must be between 0 and 100'
            }
        ),
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20253)
    currency = LogFile("logs/currencyservice.log", PinoGcp())
    currency.add(traffic(rng, currency_line, START, MINUTES, 6200))
    currency.add(
        [
            at(START, ROLL - 0.3, "INFO", "Shutting down gracefully: SIGTERM"),
            at(START, ROLL, "INFO", "Profiler disabled."),
            at(START, ROLL + 0.01, "INFO", "Tracing disabled."),
            at(
                START,
                ROLL + 0.02,
                "INFO",
                "starting gRPC server on port 7000, version v0.10.3-rc2 (rounding: per-currency precision)",
            ),
            at(START, ROLL + 0.03, "INFO", "CurrencyService gRPC server started on port 7000"),
        ]
    )
    currency.add(loud(rng, START, ROLL + 0.6, MINUTES - ROLL - 0.7, 140, currency_fail))
    frontend = LogFile("logs/frontend.log", Logrus())
    frontend.add(traffic(rng, frontend_line, START, MINUTES, 3900))
    frontend.add(loud(rng, START, ROLL + 0.62, MINUTES - ROLL - 0.7, 118, frontend_error))
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(traffic(rng, checkout_line, START, MINUTES, 380))
    checkout.add(loud(rng, START, ROLL + 0.7, MINUTES - ROLL - 0.8, 22, checkout_error))
    levels = {
        "frontend": (0.205, 49.6, (0.0291, 0.0833), 40.5),
        "currencyservice": (0.149, 72.8, (0.0022, 0.0068), 64.9),
        "checkoutservice": (0.021, 23.7, (0.0407, 0.1090), 1.9),
        "cartservice": (0.069, 62.4, (0.0050, 0.0144), 12.9),
        "productcatalogservice": (0.095, 20.1, (0.0019, 0.0056), 57.0),
        "paymentservice": (0.017, 51.9, (0.0016, 0.0048), 1.9),
        "shippingservice": (0.016, 17.7, (0.0018, 0.0049), 4.1),
        "adservice": (0.091, 212.2, (0.0033, 0.0093), 20.6),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    index = int((ROLL + 0.6) * 60 // STEP)
    services["currencyservice"]["mem"] = shift(
        rng, 72.8, 58.1, int(ROLL * 60 // STEP), 0.01, ramp=30
    )
    services["paymentservice"]["workload"] = shift(rng, 1.9, 1.6, index, 0.08)
    files = {
        "metrics.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "logs/frontend.log": frontend.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/currencyservice.log": currency.render(),
    }
    return Bundle(
        question="Since about 14:06 UTC some shoppers get an error page on product and cart pages and cannot place orders; most shoppers are fine. Which service is the root cause?",
        category="code_error",
        component="currencyservice",
        statement="currencyservice's build v0.10.3-rc2, started at 14:05 UTC, throws `RangeError: toFixed() digits argument must be between 0 and 100` when converting to zero-decimal currencies (JPY, KRW); from 14:05:36 frontend renders 500 for those shoppers and checkoutservice fails their orders with `failed to convert price`.",
        files=files,
        proofs=[
            Proof("logs/currencyservice.log", "version v0.10.3-rc2"),
        ],
        decoys=["failed to convert currency", "failed to prepare order", "failed to retrieve ads"],
    )
