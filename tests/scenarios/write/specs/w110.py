# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique RE1, CPU hog in cartservice, shown through one wide metrics CSV and the
frontend's log only. cartservice's CPU goes from 0.07 to a full core and its latency follows;
the frontend's /cart and checkout pages slow down and some time out. redis-cart's measured
latency rises too (cartservice is its only client and now reads slowly), currencyservice's
CPU is always the highest, and productcatalogservice had a latency blip ten minutes earlier."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import JsonLines
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2024, 11, 18, 5, 42, 30, tzinfo=UTC)
STEP = 1
POINTS = 26 * 60
FAULT = 15 * 60 + 52
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
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-9{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def frontend_line(rng: random.Random, slow_cart: bool = False) -> Line:
    roll = rng.random()
    path = rng.choice(
        [
            "/",
            f"/product/{rng.choice(PRODUCTS)}",
            "/cart",
            f"/product/{rng.choice(PRODUCTS)}",
            "/setCurrency",
            "/",
        ]
    )
    if roll < 0.45:
        return (
            "DEBUG",
            f"request started http.req.id={uuid(rng)} http.req.method=GET http.req.path={path}",
            (),
        )
    if roll < 0.92:
        took = rng.randrange(2, 80)
        if (slow_cart and path in ("/", "/cart")) or (slow_cart and path.startswith("/product")):
            took = rng.randrange(700, 2900)
        return (
            "DEBUG",
            f"request complete http.req.id={uuid(rng)} http.req.path={path} http.resp.status=200 http.resp.took_ms={took}",
            (),
        )
    if roll < 0.975:
        return (
            "INFO",
            f"placing order http.req.id={uuid(rng)} currency={rng.choice(['EUR', 'USD', 'JPY', 'GBP'])}",
            (),
        )
    return (
        "WARN",
        f"failed to retrieve ads http.req.id={uuid(rng)} error=rpc error: code = DeadlineExceeded desc = context deadline exceeded",
        (),
    )


def cart_timeout(rng: random.Random) -> Line:
    path = rng.choice(["/cart", "/cart", "/", f"/product/{rng.choice(PRODUCTS)}", "/cart/checkout"])
    return (
        "ERROR",
        f"request error http.req.id={uuid(rng)} http.req.method=GET http.req.path={path} error=could not retrieve cart: rpc error: code = DeadlineExceeded desc = context deadline exceeded",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1110)
    hog = FAULT / 60
    frontend = LogFile(
        "frontend.log", JsonLines("frontend", keys=("timestamp", "severity", "message"), rng=rng)
    )
    frontend.add(traffic(rng, frontend_line, START, hog, 2200))
    frontend.add(
        traffic(
            rng,
            lambda r: frontend_line(r, True),
            START.replace(minute=58, second=30),
            26 - hog - 0.1,
            1300,
        )
    )
    frontend.add(loud(rng, START, hog + 0.6, 9.6, 140, cart_timeout))
    frontend.add(
        loud(
            rng,
            START,
            5.4,
            0.7,
            11,
            fixed(
                "WARN",
                lambda r: (
                    f"request complete http.req.id={uuid(r)} http.req.path=/product/{r.choice(PRODUCTS)} http.resp.status=200 http.resp.took_ms={r.randrange(400, 900)}"
                ),
            ),
        )
    )
    services = {
        "frontend": usual_series(rng, 0.208, 59, (0.0176, 0.0689), 50.7),
        "cartservice": usual_series(rng, 0.069, 76, (0.0052, 0.0161), 22.3),
        "productcatalogservice": usual_series(rng, 0.099, 21, (0.0020, 0.0084), 114.9),
        "currencyservice": usual_series(rng, 0.202, 91, (0.0036, 0.0147), 86.1),
        "paymentservice": usual_series(rng, 0.018, 65, (0.0021, 0.0062), 2.3),
        "shippingservice": usual_series(rng, 0.015, 13, (0.0017, 0.0053), 7.1),
        "emailservice": usual_series(rng, 0.021, 50, (0.0151, 0.0388), 2.3),
        "checkoutservice": usual_series(rng, 0.033, 22, (0.0427, 0.1149), 2.3),
        "recommendationservice": usual_series(rng, 0.127, 58, (0.0120, 0.0309), 24.1),
        "adservice": usual_series(rng, 0.060, 214, (0.0030, 0.0095), 18.7),
        "redis-cart": usual_series(rng, 0.045, 9, (0.0006, 0.0015), 22.3),
    }
    cart = services["cartservice"]
    cart["cpu"] = shift(rng, 0.069, 1.012, FAULT, 0.03, ramp=3)
    cart["latency-50"] = shift(rng, 0.0052, 0.2417, FAULT + 5, 0.2, ramp=10)
    cart["latency-90"] = shift(rng, 0.0161, 1.3392, FAULT + 5, 0.25, ramp=10)
    cart["workload"] = shift(rng, 22.3, 18.9, FAULT + 12, 0.08)
    services["redis-cart"]["latency-90"] = shift(rng, 0.0015, 0.0112, FAULT + 9, 0.3, ramp=8)
    services["redis-cart"]["workload"] = shift(rng, 22.3, 18.6, FAULT + 12, 0.08)
    services["frontend"]["latency-50"] = shift(rng, 0.0176, 0.3081, FAULT + 8, 0.15, ramp=10)
    services["frontend"]["latency-90"] = shift(rng, 0.0689, 1.6124, FAULT + 8, 0.2, ramp=10)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.1149, 0.9812, FAULT + 10, 0.2, ramp=8)
    services["frontend"]["workload"] = shift(rng, 50.7, 38.2, FAULT + 14, 0.07, ramp=8)
    catalog = services["productcatalogservice"]
    blip = 5 * 60 + 21
    catalog_p90 = catalog["latency-90"]
    catalog["latency-90"] = lambda index: (
        catalog_p90(index) * (31.0 if blip <= index < blip + 40 else 1.0)
    )
    return Bundle(
        question="Since shortly before 06:00 UTC the Online Boutique home and cart pages take seconds to load and some fail. We only have the RCAEval metrics export and the frontend log. Which service is the root cause?",
        category="cpu",
        component="cartservice",
        statement="At 05:58:22 UTC cartservice's CPU usage jumps from about 0.07 to a full core (a CPU hog) and its p90 latency climbs from 16 ms to over a second, so the frontend's pages that read the cart slow down and time out with 'could not retrieve cart'; redis-cart only looks slower because cartservice reads from it slowly.",
        files={
            "metrics/online-boutique.csv": wide_csv(START, STEP, POINTS, services),
            "frontend.log": frontend.render(),
        },
        proofs=[
            Proof(
                "metrics/online-boutique.csv",
                stamp(START, STEP, FAULT),
                stamp(START, STEP, FAULT + 3),
            )
        ],
        decoys=[
            "redis-cart_latency-90",
            "currencyservice_cpu",
            "failed to retrieve ads",
            "productcatalogservice_latency-90",
        ],
    )
