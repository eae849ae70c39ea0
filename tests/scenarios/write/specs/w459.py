# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE1/RE2 layout, one wide CSV): a memory hog (stress-ng --vm, growing
allocations) in currencyservice's container from 19:06:15 UTC. currencyservice's `mem` column
climbs over four minutes from ~68 MiB to ~490 MiB, near its 512Mi limit; page reclaim then makes
its Node.js process slow, so its latency rises while its own log only shows ordinary conversion
lines. frontend logs `failed to convert currency` / `could not retrieve currencies` with
DeadlineExceeded (the loudest errors, on every page), checkoutservice `failed to convert price`.
Decoys: frontend's ad errors before the fault, recommendationservice's slow catalog warning, and
a cartservice restart at 18:51."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Pino, PythonLogging, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2026, 8, 9, 18, 47, tzinfo=UTC)
MINUTES = 36
STEP = 5
FAULT = (19 * 60 + 15) // STEP
CURRENCIES = ["EUR", "USD", "JPY", "CAD", "GBP", "TRY", "CHF"]


@dataclass
class Logrus:
    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}311Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/product/OLJCESPC7Z",
            "/product/9SIQT8TOJO",
            "/cart",
            "/setCurrency",
            "/static/img/products/hairdryer.jpg",
        ]
    )
    return (
        "DEBUG",
        json.dumps(
            {
                "http.req.id": uid(rng),
                "http.req.method": "GET",
                "http.req.path": path,
                "http.resp.bytes": rng.randrange(900, 14000),
                "http.resp.status": 200,
                "http.resp.took_ms": rng.randrange(4, 70),
                "message": "request complete",
                "session": uid(rng),
            }
        ),
        (),
    )


def front_error(rng: random.Random) -> Line:
    error = rng.choice(
        [
            "could not retrieve currencies: rpc error: code = DeadlineExceeded desc = context deadline exceeded",
            f"failed to convert currency for product: rpc error: code = DeadlineExceeded desc = context deadline exceeded (to {rng.choice(CURRENCIES)})",
        ]
    )
    return (
        "ERROR",
        json.dumps(
            {
                "error": error,
                "http.req.id": uid(rng),
                "http.req.method": "GET",
                "http.req.path": rng.choice(["/", "/product/66VCHSJNUP", "/cart"]),
                "message": "request error",
                "session": uid(rng),
            }
        ),
        (),
    )


def currency_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "INFO",
            f"conversion request successful ({rng.choice(CURRENCIES)} -> {rng.choice(CURRENCIES)})",
            (),
        )
    return "INFO", "Getting supported currencies...", ()


def bundle() -> Bundle:
    rng = random.Random(45959)
    front = LogFile("logs/frontend.log", Logrus())
    front.add(traffic(rng, front_line, START, MINUTES, 3100))
    front.add(loud(rng, START, 20.6, MINUTES - 20.7, 420, front_error))
    front.add(
        loud(
            rng,
            START,
            2,
            9,
            12,
            fixed(
                "WARN",
                lambda r: json.dumps(
                    {
                        "error": 'failed to retrieve ads: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 10.12.4.81:9555: connect: connection refused"',
                        "http.req.id": uid(r),
                        "message": "failed to retrieve ads",
                    }
                ),
            ),
        )
    )
    currency = LogFile(
        "logs/currencyservice.log", Pino("currencyservice-5b9d6c7f84-v2hxm", rng=rng)
    )
    currency.add(traffic(rng, currency_line, START, MINUTES, 3400))
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: json.dumps(
                    {"message": f"payment went through (transaction_id: {uid(r)})"}
                ),
            ),
            START,
            MINUTES,
            300,
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            21.0,
            MINUTES - 21.1,
            40,
            fixed(
                "WARN",
                lambda r: json.dumps(
                    {
                        "message": f'failed to prepare order: failed to convert price of "{r.choice(["OLJCESPC7Z", "L9ECAV7KIM", "2ZYFJ3GM2N"])}" to {r.choice(CURRENCIES)}: rpc error: code = DeadlineExceeded desc = context deadline exceeded'
                    }
                ),
            ),
        )
    )
    reco = LogFile(
        "logs/recommendationservice.log", PythonLogging(("recommendationservice-server",), rng=rng)
    )
    reco.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[Recv ListRecommendations] product_ids=['{r.choice(['OLJCESPC7Z', '0PUK6V6EV0', '1YMWWN1N4O', 'LS4PSXUNUM', '9SIQT8TOJO'])}', '{r.choice(['66VCHSJNUP', 'L9ECAV7KIM', '2ZYFJ3GM2N'])}']"
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
                13.4,
                "WARN",
                "ListProducts from productcatalogservice took 1.84s (threshold 1.0s)",
            )
        ]
    )
    cart = LogFile("logs/cartservice.log", Pino("cartservice-7c9f6d8b5-kq7rj", rng=rng))
    cart.add(
        [
            at(START, 4.1, "INFO", "Application is shutting down..."),
            at(START, 4.6, "INFO", "Successfully connected to Redis"),
            at(START, 4.7, "INFO", "Now listening on: http://0.0.0.0:7070"),
        ]
    )
    levels = {
        "frontend": (0.212, 49.7, (0.0301, 0.0842), 41.2),
        "currencyservice": (0.151, 68.3, (0.0021, 0.0064), 71.9),
        "cartservice": (0.069, 64.1, (0.0047, 0.0139), 14.0),
        "checkoutservice": (0.024, 23.8, (0.0417, 0.1113), 2.1),
        "productcatalogservice": (0.091, 20.9, (0.0019, 0.0057), 57.3),
        "recommendationservice": (0.081, 59.6, (0.0203, 0.0569), 11.2),
        "adservice": (0.118, 181.2, (0.0031, 0.0091), 9.8),
        "paymentservice": (0.011, 41.3, (0.0013, 0.0038), 2.1),
        "shippingservice": (0.017, 18.4, (0.0016, 0.0049), 4.3),
        "emailservice": (0.012, 38.7, (0.0041, 0.0109), 2.1),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    c = services["currencyservice"]
    c["mem"] = shift(rng, 68.3, 489.6, FAULT, 0.01, ramp=48)
    c["cpu"] = shift(rng, 0.151, 0.402, FAULT, 0.1, ramp=24)
    c["latency-50"] = shift(rng, 0.0021, 0.412, FAULT + 60, 0.2, ramp=12)
    c["latency-90"] = shift(rng, 0.0064, 2.913, FAULT + 60, 0.2, ramp=12)
    services["frontend"]["latency-90"] = shift(rng, 0.0842, 3.01, FAULT + 64, 0.05, ramp=6)
    services["frontend"]["latency-50"] = shift(rng, 0.0301, 0.884, FAULT + 64, 0.1, ramp=6)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.1113, 3.07, FAULT + 66, 0.05, ramp=6)
    points = MINUTES * 60 // STEP
    files = {
        "metrics/data.csv": wide_csv(START, STEP, points, services),
        "logs/frontend.log": front.render(),
        "logs/currencyservice.log": currency.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/recommendationservice.log": reco.render(),
        "logs/cartservice.log": cart.render(),
    }
    return Bundle(
        question="Product and cart pages on the boutique have been erroring since around 19:07 UTC, and checkout sometimes fails. Which service is the root cause?",
        category="memory",
        component="currencyservice",
        statement="From 19:06:15 UTC a memory hog in currencyservice's container drives its memory from ~68 MiB to ~490 MiB, near its limit; it becomes slow and frontend's and checkoutservice's currency calls hit DeadlineExceeded.",
        files=files,
        proofs=[Proof("metrics/data.csv", stamp(START, STEP, FAULT))],
        decoys=[
            "failed to retrieve ads",
            "ListProducts from productcatalogservice took 1.84s",
            "Application is shutting down...",
        ],
    )
