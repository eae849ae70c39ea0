# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Network delay injected on currencyservice (Online Boutique, RCAEval style): tc netem adds about
650 ms to every packet leaving the currencyservice pod from 14:21:40 UTC. Its CPU and memory stay flat
and its own log only shows ordinary conversions; its p50/p90 latency (as seen by its callers) jumps
first, then frontend and checkoutservice log DeadlineExceeded on GetSupportedCurrencies/Convert.
Decoys: a redis slowlog warning in cartservice, a recommendationservice retry, an adservice
"ad not found" error."""

import json
import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import JsonLines, Pino, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 3, 14, 14, 2, tzinfo=UTC)
STEP = 1
MINUTES = 40
POINTS = MINUTES * 60
INJECT = 19.67  # 14:21:40
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
CURRENCIES = ["EUR", "USD", "JPY", "GBP", "CAD", "TRY"]


class Logrus:
    """Online Boutique's Go services: logrus JSON with `severity` and `timestamp`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        body = {
            "http.req.id": f"{self.rng.getrandbits(128):032x}",
            "message": record.message,
            "severity": {"WARN": "warning"}.get(record.level, record.level.lower()),
            "timestamp": record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond * 1000:09d}Z",
        }
        return [json.dumps(body)]


def frontend_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        path = rng.choice(
            [
                "/",
                "/cart",
                f"/product/{rng.choice(PRODUCTS)}",
                "/_healthz",
                "/static/img/products/mug.jpg",
            ]
        )
        return (
            "DEBUG",
            f"request complete http.req.path={path} http.resp.status=200 http.resp.took_ms={rng.randrange(2, 60)}",
            (),
        )
    if roll < 0.6:
        return (
            "DEBUG",
            f"request started http.req.method=GET http.req.path=/product/{rng.choice(PRODUCTS)}",
            (),
        )
    if roll < 0.8:
        return "INFO", f"setting currency currency.code={rng.choice(CURRENCIES)}", ()
    if roll < 0.97:
        return (
            "DEBUG",
            f"serving home page ad_count=1 currency={rng.choice(CURRENCIES)} session={rng.getrandbits(64):016x}",
            (),
        )
    return (
        "WARN",
        "failed to retrieve ads: rpc error: code = Unavailable desc = transport is closing, retrying",
        (),
    )


def currency_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", "conversion request successful", ()
    if roll < 0.8:
        return (
            "INFO",
            f"received conversion request from={rng.choice(CURRENCIES)} to={rng.choice(CURRENCIES)}",
            (),
        )
    return "INFO", "Getting supported currencies...", ()


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f'[PlaceOrder] user_id="{rng.getrandbits(128):032x}" user_currency="{rng.choice(CURRENCIES)}"',
            (),
        )
    if roll < 0.7:
        return "INFO", f"payment went through (transaction_id: {rng.getrandbits(128):032x})", ()
    return "INFO", f'order confirmation email sent to "user{rng.randrange(10**5)}@example.com"', ()


def bundle() -> Bundle:
    rng = random.Random(30701)
    inject = int(INJECT * 60)
    frontend = LogFile("logs/frontend.log", Logrus(rng))
    frontend.add(traffic(rng, frontend_line, START, MINUTES, 4200))
    frontend.add(
        loud(
            rng,
            START,
            INJECT + 0.4,
            MINUTES - INJECT - 0.5,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"request error: could not retrieve currencies: rpc error: code = DeadlineExceeded desc = context deadline exceeded http.req.path={r.choice(['/', '/cart', '/product/' + r.choice(PRODUCTS)])}"
                ),
            ),
        )
    )
    frontend.add(
        [
            at(
                START,
                INJECT + 0.15,
                "WARN",
                "slow rpc hipstershop.CurrencyService/GetSupportedCurrencies took 1342ms (currencyservice:7000)",
            )
        ]
    )
    currency = LogFile("logs/currencyservice.log", Pino("currencyservice-5c8f7b6d9-q2w7n", rng=rng))
    currency.add(traffic(rng, currency_line, START, MINUTES, 3600))
    checkout = LogFile("logs/checkoutservice.log", Logrus(rng))
    checkout.add(traffic(rng, checkout_line, START, MINUTES, 900))
    checkout.add(
        loud(
            rng,
            START,
            INJECT + 0.7,
            MINUTES - INJECT - 1,
            140,
            fixed(
                "WARN",
                lambda r: (
                    f'failed to prepare order: failed to convert price of "{r.choice(PRODUCTS)}" to {r.choice(CURRENCIES)}: rpc error: code = DeadlineExceeded desc = context deadline exceeded'
                ),
            ),
        )
    )
    cart = LogFile("logs/cartservice.log", JsonLines("cartservice", rng=rng))
    cart.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"GetCartAsync called with userId={r.getrandbits(128):032x}"),
            START,
            MINUTES,
            1500,
        )
    )
    cart.add(
        [
            at(
                START,
                8.2,
                "WARN",
                "StackExchange.Redis: slowlog entry 212ms HGETALL on redis-cart:6379 (connection multiplexer healthy)",
            )
        ]
    )
    reco = LogFile(
        "logs/recommendationservice.log",
        JsonLines("recommendationservice", keys=("timestamp", "severity", "message"), rng=rng),
    )
    reco.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[Recv ListRecommendations] product_ids=['{r.choice(PRODUCTS)}', '{r.choice(PRODUCTS)}']"
                ),
            ),
            START,
            MINUTES,
            1300,
        )
    )
    reco.add(
        [
            at(
                START,
                27.4,
                "WARN",
                "ListProducts from productcatalogservice failed (UNAVAILABLE), retry 1/3 ok",
            )
        ]
    )
    ads = LogFile(
        "logs/adservice.log",
        JsonLines(
            "adservice", keys=("timestamp", "severity", "message"), lower_level=False, rng=rng
        ),
    )
    ads.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"received ad request (context_words=[{r.choice(['clothing', 'kitchen', 'accessories', 'hair'])}])"
                ),
            ),
            START,
            MINUTES,
            1100,
        )
    )
    ads.add(
        [
            at(
                START,
                31.3,
                "ERROR",
                "GetAds Failed with status Status{code=NOT_FOUND, description=ad not found for category 'footwear', cause=null}",
            )
        ]
    )

    levels = {
        "frontend": (0.182, 61, (0.0123, 0.0398), 38.1),
        "currencyservice": (0.094, 58, (0.0007, 0.0021), 61.4),
        "checkoutservice": (0.021, 24, (0.0411, 0.0932), 1.6),
        "cartservice": (0.071, 92, (0.0024, 0.0081), 14.9),
        "productcatalogservice": (0.044, 19, (0.0009, 0.0028), 52.3),
        "recommendationservice": (0.108, 71, (0.0081, 0.0223), 12.2),
        "paymentservice": (0.009, 44, (0.0005, 0.0013), 1.6),
        "shippingservice": (0.008, 12, (0.0006, 0.0017), 3.2),
        "emailservice": (0.012, 38, (0.0031, 0.0087), 1.6),
        "adservice": (0.051, 176, (0.0019, 0.0059), 11.8),
        "redis-cart": (0.015, 9, (0.0002, 0.0006), 29.8),
    }
    services = {}
    for name, (cpu, memory, latency, workload) in levels.items():
        series = usual_series(rng, cpu, memory, latency, workload)
        if name == "currencyservice":
            series["latency-50"] = shift(rng, 0.0007, 0.6581, inject, 0.03)
            series["latency-90"] = shift(rng, 0.0021, 1.3164, inject, 0.05)
            series["workload"] = shift(rng, 61.4, 22.7, inject + 2, 0.08)
        if name == "frontend":
            series["latency-50"] = shift(rng, 0.0123, 0.7012, inject + 3, 0.06)
            series["latency-90"] = shift(rng, 0.0398, 2.8733, inject + 3, 0.1)
        if name == "checkoutservice":
            series["latency-90"] = shift(rng, 0.0932, 1.9814, inject + 4, 0.1)
        services[name] = series
    files = {
        "metrics/data.csv": wide_csv(START, STEP, POINTS, services),
        "logs/frontend.log": frontend.render(),
        "logs/currencyservice.log": currency.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/cartservice.log": cart.render(),
        "logs/recommendationservice.log": reco.render(),
        "logs/adservice.log": ads.render(),
    }
    return Bundle(
        question="The boutique storefront has been timing out on most pages since about 14:22 UTC and checkouts are failing. Which service is at fault and why?",
        category="network",
        component="currencyservice",
        statement="A network delay of roughly 650 ms was injected on currencyservice at 14:21:40 UTC: its latency jumps while its CPU and memory stay flat, so frontend and checkoutservice calls to GetSupportedCurrencies/Convert hit their deadlines.",
        files=files,
        proofs=[
            Proof("metrics/data.csv", stamp(START, STEP, inject)),
            Proof(
                "logs/frontend.log",
                "slow rpc hipstershop.CurrencyService/GetSupportedCurrencies took 1342ms",
            ),
        ],
        decoys=[
            "slowlog entry 212ms HGETALL",
            "ListProducts from productcatalogservice failed (UNAVAILABLE)",
            "ad not found for category 'footwear'",
        ],
    )
