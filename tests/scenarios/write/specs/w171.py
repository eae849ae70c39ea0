# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one CSV per service): a CPU hog (stress-ng) in the
productcatalogservice container from 10:32:42 UTC. The container is limited to 200m, so its CPU
only goes from about 0.09 to a flat 0.2 cores (the limit) while its p90 climbs from a few
milliseconds to about 1.9 s; recommendationservice (which lists the catalog on every call) and
the frontend follow a few seconds later. Nothing fails outright: the incident is slowness.
productcatalogservice logs nothing; the frontend's request log shows pages taking seconds.
Decoys: currencyservice, always the busiest CPU, the load generator's own `CPU usage above
90%` warning, recommendationservice's and the frontend's latency (knock-ons), the frontend's ordinary
`failed to retrieve ads` warnings and one stale invalid-card checkout error at 10:21."""

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import JsonLines, Record
from scenes import at
from traffic import Line, traffic

START = datetime(2024, 9, 12, 10, 15, tzinfo=UTC)
MINUTES = 35
POINTS = MINUTES * 60
FAULT = 17 * 60 + 42
KNOCK = FAULT + 6
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


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-b{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def frontend(slow: bool) -> Callable[[random.Random], Line]:
    def line(rng: random.Random) -> Line:
        path = rng.choice(
            [
                "/",
                f"/product/{rng.choice(PRODUCTS)}",
                f"/product/{rng.choice(PRODUCTS)}",
                "/cart",
                "/cart/checkout",
                "/setCurrency",
            ]
        )
        if path == "/setCurrency":
            return (
                "debug",
                f"request complete http.req.id={uuid(rng)} http.req.method=POST http.req.path=/setCurrency http.resp.status=302 http.resp.took_ms={rng.randrange(1, 4)}",
                (),
            )
        if rng.random() < 0.03:
            return (
                "warning",
                f'failed to retrieve ads http.req.id={uuid(rng)} error="rpc error: code = DeadlineExceeded desc = context deadline exceeded"',
                (),
            )
        method = "POST" if path == "/cart/checkout" else "GET"
        took = rng.randrange(1200, 5200) if slow else rng.randrange(9, 140)
        if path == "/cart/checkout":
            took += rng.randrange(150, 400)
        return (
            "debug",
            f"request complete http.req.id={uuid(rng)} http.req.method={method} http.req.path={path} http.resp.status=200 http.resp.bytes={rng.randrange(5000, 13000)} http.resp.took_ms={took}",
            (),
        )

    return line


def recommendation(slow: bool) -> Callable[[random.Random], Line]:
    def line(rng: random.Random) -> Line:
        ids = ", ".join(f"'{p}'" for p in rng.sample(PRODUCTS, rng.randrange(0, 3)))
        return "INFO", f"[Recv ListRecommendations] product_ids=[{ids}]", ()

    return line


class LocustLog:
    """Locust's default log format: `[time] host/LEVEL/logger: message`."""

    def render(self, record: Record) -> list[str]:
        stamp_text = (
            record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        level = {"WARN": "WARNING"}.get(record.level, record.level)
        return [
            f"[{stamp_text}] loadgenerator-6c8f9d7b54-2tq9x/{level}/{record.logger or 'locust.main'}: {record.message}"
        ]


def bundle() -> Bundle:
    rng = random.Random(1171)
    fault_minute = KNOCK / 60 + 0.1
    keys = ("timestamp", "severity", "message")
    front = LogFile(
        "logs/frontend.log", JsonLines("frontend", keys=keys, lower_level=False, rng=rng)
    )
    front.add(traffic(rng, frontend(False), START, fault_minute, 2400))
    front.add(
        traffic(
            rng,
            frontend(True),
            START + timedelta(minutes=fault_minute),
            MINUTES - fault_minute,
            1900,
        )
    )
    front.add(
        [
            at(
                START,
                6.1,
                "error",
                'request error http.req.id=8f0c2d71-5b3e-4a96-bd12-7e4f09a1c385 http.req.method=POST http.req.path=/cart/checkout http.resp.status=500 error="failed to complete the order: rpc error: code = Internal desc = failed to charge card: could not charge the card: rpc error: code = Unknown desc = Credit card info is invalid"',
            ),
        ]
    )
    rec = LogFile(
        "logs/recommendationservice.log",
        JsonLines(
            "recommendationservice-server",
            keys=keys,
            service_key="name",
            lower_level=False,
            rng=rng,
        ),
    )
    rec.add(traffic(rng, recommendation(False), START, fault_minute, 1100))
    rec.add(
        traffic(
            rng,
            recommendation(True),
            START + timedelta(minutes=fault_minute),
            MINUTES - fault_minute,
            700,
        )
    )
    locust = LogFile("logs/loadgenerator.log", LocustLog())
    locust.add(
        [
            at(START, 0.2, "INFO", "Starting Locust 2.20.1", logger="locust.main"),
            at(
                START,
                0.25,
                "INFO",
                "Ramping to 180 users at a rate of 3.00 per second",
                logger="locust.runners",
            ),
            at(
                START,
                1.3,
                "INFO",
                'All users spawned: {"UserBehavior": 180} (180 total users)',
                logger="locust.runners",
            ),
            at(
                START,
                6.8,
                "WARN",
                "CPU usage above 90%! This may constrain your throughput and may even give inconsistent response time measurements! See https://docs.locust.io/en/stable/running-distributed.html for how to distribute the load over multiple CPU cores or machines",
                logger="root",
            ),
            at(
                START,
                19.5,
                "WARN",
                "CPU usage above 90%! This may constrain your throughput and may even give inconsistent response time measurements! See https://docs.locust.io/en/stable/running-distributed.html for how to distribute the load over multiple CPU cores or machines",
                logger="root",
            ),
            at(
                START,
                27.9,
                "WARN",
                "CPU usage above 90%! This may constrain your throughput and may even give inconsistent response time measurements! See https://docs.locust.io/en/stable/running-distributed.html for how to distribute the load over multiple CPU cores or machines",
                logger="root",
            ),
        ]
    )
    levels = {
        "frontend": (0.164, 51, (0.0149, 0.0712), 43.6),
        "productcatalogservice": (0.089, 19, (0.0017, 0.0071), 98.2),
        "recommendationservice": (0.112, 62, (0.0101, 0.0292), 21.0),
        "currencyservice": (0.247, 58, (0.0031, 0.0124), 84.9),
        "cartservice": (0.071, 72, (0.0046, 0.0151), 18.8),
        "checkoutservice": (0.027, 21, (0.0397, 0.0921), 2.2),
        "shippingservice": (0.017, 13, (0.0016, 0.0049), 8.4),
        "paymentservice": (0.016, 61, (0.0021, 0.0062), 2.2),
        "emailservice": (0.021, 46, (0.0118, 0.0302), 2.2),
        "adservice": (0.049, 211, (0.0024, 0.0082), 18.2),
        "redis-cart": (0.031, 8, (0.0004, 0.0012), 19.1),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    catalog = services["productcatalogservice"]
    raw = shift(rng, 0.089, 0.2, FAULT, 0.03, ramp=3)
    catalog["cpu"] = lambda index: min(0.2, raw(index)) if index >= FAULT else raw(index)
    catalog["latency-50"] = shift(rng, 0.0017, 0.4120, FAULT + 3, 0.18, ramp=15)
    catalog["latency-90"] = shift(rng, 0.0071, 1.8830, FAULT + 3, 0.15, ramp=15)
    catalog["workload"] = shift(rng, 98.2, 61.5, FAULT + 10, 0.08)
    services["recommendationservice"]["latency-90"] = shift(
        rng, 0.0292, 2.2140, KNOCK, 0.15, ramp=20
    )
    services["recommendationservice"]["latency-50"] = shift(
        rng, 0.0101, 0.5630, KNOCK, 0.15, ramp=20
    )
    services["frontend"]["latency-90"] = shift(rng, 0.0712, 4.3810, KNOCK + 2, 0.15, ramp=20)
    services["frontend"]["latency-50"] = shift(rng, 0.0149, 1.2470, KNOCK + 2, 0.15, ramp=20)
    services["frontend"]["workload"] = shift(rng, 43.6, 27.9, KNOCK + 15, 0.07)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.0921, 1.9710, KNOCK + 4, 0.15, ramp=20)
    services["currencyservice"]["workload"] = shift(rng, 84.9, 55.3, KNOCK + 15, 0.07)
    files = {
        f"metrics/{name}.csv": unix_rows(START, 1, POINTS, series, 4)
        for name, series in services.items()
    }
    files |= {
        "logs/frontend.log": front.render(),
        "logs/recommendationservice.log": rec.render(),
        "logs/loadgenerator.log": locust.render(),
    }
    return Bundle(
        question="Online Boutique has become very slow since about 10:33 UTC: pages take several seconds, nothing errors. Which service is the root cause?",
        category="cpu",
        component="productcatalogservice",
        statement="From 10:32:42 UTC a CPU hog in the productcatalogservice container pins it at its 200m CPU limit (from about 0.09 cores) and its p90 climbs to about 1.9 s; every service that calls it slows down a few seconds later, so every page of the shop takes seconds.",
        files=files,
        proofs=[
            Proof(
                "metrics/productcatalogservice.csv",
                stamp(START, 1, FAULT),
                stamp(START, 1, FAULT + 3),
            )
        ],
        decoys=[
            "CPU usage above 90%",
            "Credit card info is invalid",
            "failed to retrieve ads",
        ],
    )
