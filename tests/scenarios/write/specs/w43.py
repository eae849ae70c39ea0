# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""currencyservice 0.10.1 throws a TypeError in its Convert handler for every non-EUR target;
frontend and checkout report conversion and order failures, and ads fail at the same time."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, service_metrics, shift
from records import JsonLines, Pino
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 12, 2, 15, 0, tzinfo=UTC)
STEP = 30
RELEASE_MINUTE = 18
CURRENCIES = ["USD", "CAD", "JPY", "GBP", "TRY", "CHF"]
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
TRACE = [
    "TypeError: Cannot read properties of undefined (reading 'nanos')",
    "    at _carry (/usr/src/app/server.js:91:33)",
    "    at convert (/usr/src/app/server.js:142:20)",
    "    at /usr/src/app/server.js:128:7",
    "    at Object.getCurrencyData (/usr/src/app/server.js:104:3)",
    "    at Object.convert (/usr/src/app/server.js:126:5)",
    "    at Object.onReceiveMessage (/usr/src/app/node_modules/@grpc/grpc-js/build/src/server.js:1106:21)",
]


def currency_line(rng: random.Random) -> Line:
    if rng.random() < 0.75:
        return "INFO", "conversion request successful", ()
    return "INFO", "Getting supported currencies...", ()


def currency_after(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.3:
        return "INFO", "Getting supported currencies...", ()
    if roll < 0.45:
        return "INFO", "conversion request successful", ()
    return (
        "ERROR",
        "conversion request failed: TypeError: Cannot read properties of undefined (reading 'nanos')",
        (),
    )


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/cart",
            f"/product/{rng.choice(PRODUCTS)}",
            f"/product/{rng.choice(PRODUCTS)}",
            "/_healthz",
        ]
    )
    roll = rng.random()
    if roll < 0.45:
        return "DEBUG", f"request started http.req.method=GET http.req.path={path}", ()
    if roll < 0.9:
        return (
            "DEBUG",
            f"request complete http.req.path={path} http.resp.status=200 http.resp.took_ms={rng.randrange(3, 80)}",
            (),
        )
    return "INFO", f"setting currency curr.new={rng.choice([*CURRENCIES, 'EUR'])}", ()


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f'[PlaceOrder] user_id="{rng.getrandbits(64):016x}" user_currency="{rng.choice([*CURRENCIES, "EUR"])}"',
            (),
        )
    if roll < 0.8:
        return "INFO", f"payment went through (transaction_id: {rng.getrandbits(64):016x})", ()
    return "INFO", f'order confirmation email sent to "user{rng.randrange(1000)}@example.com"', ()


def bundle() -> Bundle:
    rng = random.Random(143)
    currency = LogFile("currencyservice.log", Pino("currencyservice-7b9f6c5d48-pq2wz", rng))
    currency.add(traffic(rng, currency_line, START, RELEASE_MINUTE - 0.5, 1830))
    currency.add(
        traffic(
            rng,
            currency_after,
            START.replace(minute=RELEASE_MINUTE, second=20),
            60 - RELEASE_MINUTE - 0.5,
            2900,
        )
    )
    currency.add(
        [
            at(START, RELEASE_MINUTE - 0.4, "INFO", "Received SIGTERM, shutting down gRPC server"),
            at(START, RELEASE_MINUTE - 0.05, "INFO", "Profiler disabled."),
            at(START, RELEASE_MINUTE, "INFO", "Tracing disabled."),
            at(
                START,
                RELEASE_MINUTE + 0.1,
                "INFO",
                "Starting gRPC server on port 7000 (currencyservice 0.10.1, node v20.10.0)",
            ),
            at(
                START,
                RELEASE_MINUTE + 0.32,
                "ERROR",
                "conversion request failed (from EUR to JPY)",
                TRACE,
            ),
        ]
    )
    frontend = LogFile(
        "frontend.log", JsonLines("frontend", ("timestamp", "severity", "message"), rng=rng)
    )
    frontend.add(traffic(rng, frontend_line, START, 60, 2500))
    frontend.add(
        loud(
            rng,
            START,
            RELEASE_MINUTE + 0.35,
            41,
            590,
            fixed(
                "ERROR",
                lambda r: (
                    f"request error http.req.path={r.choice(['/', '/cart', '/product/' + r.choice(PRODUCTS)])} http.resp.status=500 error=\"failed to convert currency for product: rpc error: code = Unknown desc = Cannot read properties of undefined (reading 'nanos')\""
                ),
            ),
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            RELEASE_MINUTE + 1,
            30,
            140,
            fixed(
                "WARN",
                lambda r: (
                    "failed to retrieve ads: rpc error: code = Unavailable desc = connection error: desc = transport: Error while dialing: dial tcp 10.52.6.31:9555: connect: connection refused"
                ),
            ),
        )
    )
    checkout = LogFile(
        "checkoutservice.log",
        JsonLines("checkoutservice", ("timestamp", "severity", "message"), rng=rng),
    )
    checkout.add(traffic(rng, checkout_line, START, 60, 700))
    checkout.add(
        loud(
            rng,
            START,
            RELEASE_MINUTE + 0.5,
            41,
            134,
            fixed(
                "ERROR",
                lambda r: (
                    f"failed to prepare order: failed to convert price of \"{r.choice(PRODUCTS)}\" to {r.choice(CURRENCIES)}: rpc error: code = Unknown desc = Cannot read properties of undefined (reading 'nanos')"
                ),
            ),
        )
    )
    ads = LogFile(
        "adservice.log",
        JsonLines("adservice", ("@timestamp", "severity", "message"), lower_level=False, rng=rng),
    )
    ads.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"received ad request (context_words=[{r.choice(['clothing', 'kitchen', 'hair', 'decor', 'footwear'])}])"
                ),
            ),
            START,
            60,
            900,
        )
    )
    ads.add(
        [
            at(
                START,
                RELEASE_MINUTE + 0.9,
                "ERROR",
                'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space (ad cache warm-up, -Xmx256m)',
            ),
            at(START, RELEASE_MINUTE + 1.6, "INFO", "AdService starting."),
            at(START, RELEASE_MINUTE + 2.1, "INFO", "Ad Service started, listening on 9555"),
        ]
    )
    points = 3600 // STEP
    release = RELEASE_MINUTE * 60 // STEP
    currency_series = service_metrics(rng, 27, 71, (1.4, 6), 0.0, 430)
    currency_series["error_rate_percent"] = shift(rng, 0.0, 57, release, 0.05)
    currency_series["latency_p50_ms"] = shift(rng, 1.4, 0.9, release, 0.1)
    currency_series["memory_usage_mb"] = shift(rng, 71, 58, release, 0.02)
    frontend_series = service_metrics(rng, 23, 92, (18, 130), 0.2, 61)
    frontend_series["error_rate_percent"] = shift(rng, 0.2, 44, release, 0.06)
    checkout_series = service_metrics(rng, 9, 31, (38, 170), 0.1, 3)
    checkout_series["error_rate_percent"] = shift(rng, 0.1, 79, release, 0.06)
    ads_series = service_metrics(rng, 18, 232, (3, 17), 0.0, 40)
    ads_series["memory_usage_mb"] = shift(rng, 232, 251, release + 1, 0.02, ramp=2)
    catalog_series = service_metrics(rng, 13, 38, (2, 11), 0.0, 290)
    return Bundle(
        question="What changed? Storefront error rate went from 0.2% to 44% at about 15:18 UTC.",
        category="code_error",
        component="currencyservice",
        statement="currencyservice 0.10.1, deployed at 15:18, throws TypeError: Cannot read properties of undefined (reading 'nanos') in its Convert handler (_carry in server.js) for non-EUR conversions, so store pages and checkout fail.",
        files={
            "currencyservice.log": currency.render(),
            "frontend.log": frontend.render(),
            "checkoutservice.log": checkout.render(),
            "adservice.log": ads.render(),
            "metrics/currencyservice.csv": csv_text(
                START, STEP, points, currency_series, decimals=2
            ),
            "metrics/frontend.csv": csv_text(START, STEP, points, frontend_series, decimals=2),
            "metrics/checkoutservice.csv": csv_text(
                START, STEP, points, checkout_series, decimals=2
            ),
            "metrics/adservice.csv": csv_text(START, STEP, points, ads_series, decimals=2),
            "metrics/productcatalogservice.csv": csv_text(
                START, STEP, points, catalog_series, decimals=2
            ),
        },
        proofs=[
            Proof("currencyservice.log", "conversion request failed (from EUR to JPY)"),
            Proof("currencyservice.log", "currencyservice 0.10.1"),
        ],
        decoys=[
            "java.lang.OutOfMemoryError: Java heap space",
            "failed to retrieve ads",
            "failed to prepare order",
        ],
    )
