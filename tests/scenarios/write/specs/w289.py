# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE1/RE2 wide CSV at 1 s granularity resampled to 10 s): network
delay (tc netem delay 1200ms) on checkoutservice's pod from 19:41:10 UTC. checkoutservice's
own log keeps saying `payment went through` and `order confirmation email sent` (only
slower), and its CPU and memory do not move; its latency series jump because every one of
its outbound calls (cart, catalog, currency, shipping, payment, email) crosses the delayed
interface. frontend's 7 s checkout deadline expires and it answers 500 on /cart/checkout;
the load generator (locust) prints the failures. Decoys: frontend's DeadlineExceeded errors,
an ad service `no ads for category` warning stream, and the load generator's earlier
ConnectionResetError on / during a frontend pod restart."""

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

START = datetime(2026, 1, 14, 19, 20, tzinfo=UTC)
MINUTES = 36
STEP = 10
FAULT = (21 * 60 + 10) // STEP


@dataclass
class Logrus:
    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}311Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


@dataclass
class Locust:
    """locust's console logging: `[2026-01-14 19:20:00,123] loadgenerator-.../LEVEL/logger: msg`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        return [
            f"[{stamp}] loadgenerator-5c9f6d7b8-wz4qp/{record.level}/{record.logger or 'locust.runners'}: {record.message}",
            *record.trailer,
        ]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/product/0PUK6V6EV0",
            "/product/LS4PSXUNUM",
            "/cart",
            "/setCurrency",
            "/product/9SIQT8TOJO",
            "/cart/checkout",
            "/product/6E92ZMYYFZ",
        ]
    )
    method = "POST" if path in ("/setCurrency", "/cart/checkout") else "GET"
    took = int(rng.lognormvariate(0, 0.5) * (310 if path == "/cart/checkout" else 24))
    return (
        "DEBUG",
        json.dumps(
            {
                "http.req.id": uid(rng),
                "http.req.method": method,
                "http.req.path": path,
                "http.resp.bytes": rng.randrange(900, 14000),
                "http.resp.status": 200,
                "http.resp.took_ms": max(2, took),
                "message": "request complete",
                "session": uid(rng),
            }
        ),
        (),
    )


def front_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        json.dumps(
            {
                "error": "failed to complete the order: rpc error: code = DeadlineExceeded desc = context deadline exceeded",
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
    if roll < 0.4:
        return (
            "INFO",
            json.dumps(
                {
                    "message": f'[PlaceOrder] user_id="{uid(rng)}" user_currency="{rng.choice(["USD", "EUR", "JPY", "GBP"])}"'
                }
            ),
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            json.dumps({"message": f"payment went through (transaction_id: {uid(rng)})"}),
            (),
        )
    return (
        "INFO",
        json.dumps(
            {
                "message": f'order confirmation email sent to "{rng.choice(["someone", "a.buyer", "jt", "kim.l", "mo"])}@example.com"'
            }
        ),
        (),
    )


def ad_line(rng: random.Random) -> Line:
    if rng.random() < 0.93:
        return (
            "INFO",
            f"received ad request (context_words=[{rng.choice(['clothing', 'accessories', 'footwear', 'hair', 'decor', 'kitchen'])}])",
            (),
        )
    return (
        "WARN",
        f"no ads for category {rng.choice(['vintage', 'cycling', 'garden'])}, serving random ads",
        (),
    )


@dataclass
class Log4jAd:
    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [
            f"{stamp} - {record.level:<5} [grpc-default-executor-{record.time.microsecond % 7}] hipstershop.AdService - {record.message}"
        ]


def locust_fail(rng: random.Random) -> Line:
    return (
        "ERROR",
        "POST /cart/checkout: HTTPError('500 Server Error: Internal Server Error for url: /cart/checkout')",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20289)
    front = LogFile("logs/frontend.log", Logrus())
    front.add(traffic(rng, front_line, START, MINUTES, 3900))
    front.add(loud(rng, START, 21.3, MINUTES - 21.4, 210, front_error))
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(traffic(rng, checkout_line, START, 21.2, 540))
    checkout.add(traffic(rng, checkout_line, START + timedelta(minutes=21.2), MINUTES - 21.2, 310))
    ad = LogFile("logs/adservice.log", Log4jAd())
    ad.add(traffic(rng, ad_line, START, MINUTES, 1600))
    load = LogFile("logs/loadgenerator.log", Locust())
    load.add(
        [
            at(START, 0.02, "INFO", "Ramping to 40 users at a rate of 4.00 per second"),
            at(START, 0.2, "INFO", 'All users spawned: {"UserBehavior": 40} (40 total users)'),
        ]
    )
    load.add(
        [
            at(START, 4.1, "ERROR", "GET /: ConnectionResetError(104, 'Connection reset by peer')"),
            at(
                START,
                4.13,
                "ERROR",
                "GET /product/OLJCESPC7Z: ConnectionResetError(104, 'Connection reset by peer')",
            ),
        ]
    )
    load.add(loud(rng, START, 21.4, MINUTES - 21.5, 150, locust_fail))
    levels = {
        "frontend": (0.221, 48.7, (0.0312, 0.0901), 42.5),
        "checkoutservice": (0.024, 21.9, (0.3012, 0.4881), 2.2),
        "cartservice": (0.081, 71.4, (0.0051, 0.0152), 14.0),
        "productcatalogservice": (0.101, 19.8, (0.0019, 0.0058), 58.1),
        "currencyservice": (0.144, 68.3, (0.0023, 0.0071), 66.4),
        "paymentservice": (0.012, 40.6, (0.0018, 0.0049), 2.2),
        "shippingservice": (0.017, 17.2, (0.0016, 0.0044), 4.3),
        "emailservice": (0.027, 63.5, (0.0095, 0.0241), 2.2),
        "recommendationservice": (0.083, 57.1, (0.0188, 0.0514), 11.2),
        "adservice": (0.061, 182.4, (0.0041, 0.0133), 12.0),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    c = services["checkoutservice"]
    c["latency-50"] = shift(rng, 0.3012, 7.021, FAULT, 0.05)
    c["latency-90"] = shift(rng, 0.4881, 7.004, FAULT, 0.01)
    c["workload"] = shift(rng, 2.2, 1.1, FAULT + 1, 0.1)
    services["frontend"]["latency-90"] = shift(rng, 0.0901, 0.2113, FAULT + 1, 0.1)
    files = {
        "data.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "logs/frontend.log": front.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/adservice.log": ad.render(),
        "logs/loadgenerator.log": load.render(),
    }
    return Bundle(
        question="Checkout has been failing with 500 for most users since about 19:41 UTC while browsing is fine. Which service is the root cause?",
        category="network",
        component="checkoutservice",
        statement="From 19:41:10 UTC network delay on checkoutservice's pod makes every PlaceOrder take ~7 s (p50 0.30 s to 7.0 s) while its CPU and memory are flat and its log shows the orders still completing slowly; frontend's checkout deadline expires and /cart/checkout answers 500.",
        files=files,
        proofs=[Proof("data.csv", stamp(START, STEP, FAULT))],
        decoys=[
            "context deadline exceeded",
            "no ads for category",
            "ConnectionResetError(104",
        ],
    )
