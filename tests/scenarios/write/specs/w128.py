# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one wide CSV with a `diskio` series per service): a
disk I/O hog (stress-ng --hdd) in the shippingservice container from 19:03:31 UTC. Its diskio
series jumps from a few hundred KB/s to about 210 MB/s, its CPU rises a little from iowait and its
p90 climbs to seconds. shippingservice's own log only thins out. Loud: checkoutservice's
`shipping quote failure` and the frontend's 500s on /cart/checkout and its cart view errors.
Decoys: a stale Redis timeout in cartservice at 18:42, recommendationservice's memory growing
slowly all along, and a short CPU bump in currencyservice at 19:17 from a synthetic load test."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import JsonLines, Pino
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2024, 10, 21, 18, 40, tzinfo=UTC)
STEP = 1
MINUTES = 40
POINTS = MINUTES * 60
FAULT = 23 * 60 + 31
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
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def frontend_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "info",
            f"request complete http.req.method=GET http.req.path=/product/{rng.choice(PRODUCTS)} http.resp.status=200 http.resp.took_ms={rng.randrange(4, 60)}",
            (),
        )
    if roll < 0.7:
        return (
            "info",
            f"request complete http.req.method=GET http.req.path=/ http.resp.status=200 http.resp.took_ms={rng.randrange(20, 120)}",
            (),
        )
    if roll < 0.85:
        return (
            "info",
            f"request complete http.req.method=GET http.req.path=/cart http.resp.status=200 http.resp.took_ms={rng.randrange(30, 140)}",
            (),
        )
    if roll < 0.95:
        return (
            "info",
            f"request complete http.req.method=POST http.req.path=/cart http.resp.status=302 http.resp.took_ms={rng.randrange(5, 40)}",
            (),
        )
    return (
        "info",
        f"order placed http.req.path=/cart/checkout order_id={uuid(rng)} http.resp.took_ms={rng.randrange(150, 420)}",
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "info",
            f'[PlaceOrder] user_id="{uuid(rng)}" user_currency="{rng.choice(["USD", "EUR", "JPY", "CAD"])}"',
            (),
        )
    if roll < 0.7:
        return "info", f"payment went through (transaction_id: {uuid(rng)})", ()
    return (
        "info",
        f'order confirmation email sent to "{rng.choice(["someone", "alex", "kim", "sam"])}{rng.randrange(100)}@example.com"',
        (),
    )


def shipping_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return "info", "[GetQuote] received request", ()
    if roll < 0.9:
        return "info", "[GetQuote] completed request", ()
    return (
        "info",
        f"[ShipOrder] completed request, tracking id {rng.choice('ABCDEFGH')}{rng.choice('KLMNPQ')}-{rng.randrange(10**4, 10**5)}-{rng.randrange(10**7, 10**8)}",
        (),
    )


def cart_line(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return "info", f"GetCartAsync called with userId={uuid(rng)}", ()
    return (
        "info",
        f"AddItemAsync called with userId={uuid(rng)}, productId={rng.choice(PRODUCTS)}, quantity={rng.randrange(1, 5)}",
        (),
    )


def currency_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return "INFO", "conversion request successful", ()
    return "INFO", "Getting supported currencies...", ()


def checkout_failure(rng: random.Random) -> Line:
    return (
        "warning",
        f'[PlaceOrder] user_id="{uuid(rng)}" failed: shipping quote failure: failed to get shipping quote: rpc error: code = DeadlineExceeded desc = context deadline exceeded',
        (),
    )


def frontend_failure(rng: random.Random) -> Line:
    if rng.random() < 0.55:
        return (
            "error",
            f'request error http.req.method=POST http.req.path=/cart/checkout http.resp.status=500 error="failed to complete the order: rpc error: code = Internal desc = shipping quote failure: failed to get shipping quote: rpc error: code = DeadlineExceeded desc = context deadline exceeded" http.resp.took_ms={rng.randrange(5000, 5400)}',
            (),
        )
    return (
        "error",
        f'request error http.req.method=GET http.req.path=/cart http.resp.status=500 error="failed to get shipping quote: rpc error: code = DeadlineExceeded desc = context deadline exceeded" http.resp.took_ms={rng.randrange(1000, 1300)}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1128)
    fault_minute = FAULT / 60
    keys = ("timestamp", "severity", "message")
    frontend = LogFile(
        "logs/frontend.log", JsonLines("frontend", keys=keys, lower_level=False, rng=rng)
    )
    frontend.add(traffic(rng, frontend_line, START, MINUTES, 3600))
    frontend.add(
        loud(rng, START, fault_minute + 0.7, MINUTES - fault_minute - 1, 310, frontend_failure)
    )
    checkout = LogFile(
        "logs/checkoutservice.log",
        JsonLines("checkoutservice", keys=keys, lower_level=False, rng=rng),
    )
    checkout.add(traffic(rng, checkout_line, START, MINUTES, 900))
    checkout.add(
        loud(rng, START, fault_minute + 0.6, MINUTES - fault_minute - 1, 170, checkout_failure)
    )
    shipping = LogFile(
        "logs/shippingservice.log",
        JsonLines("shippingservice", keys=keys, lower_level=False, rng=rng),
    )
    shipping.add(traffic(rng, shipping_line, START, fault_minute, 1300))
    shipping.add(
        traffic(
            rng, shipping_line, START + timedelta(minutes=fault_minute), MINUTES - fault_minute, 240
        )
    )
    cart = LogFile(
        "logs/cartservice.log", JsonLines("cartservice", keys=keys, lower_level=False, rng=rng)
    )
    cart.add(traffic(rng, cart_line, START, MINUTES, 1500))
    cart.add(
        [
            at(
                START,
                2.1,
                "error",
                "Can't access cart storage. StackExchange.Redis.RedisTimeoutException: Timeout performing HGET (5000ms), next: HGET 5b2e1c3a-7d41-4f0e-a9c2-1f0d5c6e8a77, inst: 2, qu: 0, qs: 3, aw: False, rs: ReadAsync, ws: Idle, in: 0, serverEndpoint: redis-cart:6379, mgr: 10 of 10 available, clientName: cartservice-5c7f9d8b6-2hmkq, IOCP: (Busy=0,Free=1000,Min=1,Max=1000), WORKER: (Busy=3,Free=32764,Min=2,Max=32767), v: 2.2.4.27433",
            ),
            at(
                START,
                2.3,
                "error",
                "Can't access cart storage. StackExchange.Redis.RedisTimeoutException: Timeout performing HGET (5000ms), next: HGET 0c9a7e21-33f5-4b8d-8e1a-6d2b7f904c15, inst: 1, qu: 0, qs: 2, aw: False, rs: ReadAsync, ws: Idle, in: 0, serverEndpoint: redis-cart:6379, mgr: 10 of 10 available, clientName: cartservice-5c7f9d8b6-2hmkq, IOCP: (Busy=0,Free=1000,Min=1,Max=1000), WORKER: (Busy=2,Free=32765,Min=2,Max=32767), v: 2.2.4.27433",
            ),
        ]
    )
    currency = LogFile("logs/currencyservice.log", Pino("currencyservice-7d94f5c8b-pl9vw", rng=rng))
    currency.add(traffic(rng, currency_line, START, MINUTES, 1400))
    currency.add(
        loud(rng, START, 37.0, 2.0, 120, fixed("INFO", lambda r: "conversion request successful"))
    )
    levels = {
        "frontend": (0.161, 52, (0.0151, 0.0702), 44.1),
        "checkoutservice": (0.028, 21, (0.0392, 0.0911), 2.1),
        "shippingservice": (0.017, 13, (0.0016, 0.0048), 8.2),
        "cartservice": (0.072, 71, (0.0045, 0.0149), 18.3),
        "currencyservice": (0.101, 58, (0.0029, 0.0122), 81.6),
        "productcatalogservice": (0.087, 19, (0.0017, 0.0072), 97.4),
        "recommendationservice": (0.113, 61, (0.0103, 0.0288), 21.2),
        "paymentservice": (0.015, 62, (0.0021, 0.0063), 2.1),
        "emailservice": (0.021, 47, (0.0119, 0.0301), 2.1),
        "adservice": (0.048, 208, (0.0024, 0.0081), 17.9),
        "redis-cart": (0.031, 8, (0.0004, 0.0012), 19.5),
    }
    services = {}
    for name, (cpu, memory, latency, workload) in levels.items():
        services[name] = usual_series(
            rng, cpu, memory, latency, workload, diskio=rng.uniform(0.05, 0.6)
        )
    ship = services["shippingservice"]
    ship["diskio"] = shift(rng, 0.31, 211.4, FAULT, 0.06, ramp=4)
    ship["cpu"] = shift(rng, 0.017, 0.061, FAULT, 0.12)
    ship["latency-50"] = shift(rng, 0.0016, 0.3820, FAULT + 5, 0.2)
    ship["latency-90"] = shift(rng, 0.0048, 2.9140, FAULT + 5, 0.2)
    ship["workload"] = shift(rng, 8.2, 4.1, FAULT + 5, 0.12)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.0911, 4.5531, FAULT + 20, 0.15)
    services["frontend"]["latency-90"] = shift(rng, 0.0702, 1.2640, FAULT + 22, 0.15)
    services["recommendationservice"]["mem"] = shift(rng, 61, 96, 0, 0.01, ramp=POINTS)
    currency_cpu = services["currencyservice"]["cpu"]

    def load_test(index: int) -> float:
        return currency_cpu(index) * (2.6 if 37 * 60 <= index < 39 * 60 else 1.0)

    services["currencyservice"]["cpu"] = load_test
    files = {
        "metrics/data.csv": wide_csv(START, STEP, POINTS, services),
        "logs/frontend.log": frontend.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/shippingservice.log": shipping.render(),
        "logs/cartservice.log": cart.render(),
        "logs/currencyservice.log": currency.render(),
    }
    return Bundle(
        question="Since about 19:04 UTC checkouts fail with 500s and the cart page is slow or errors. What is the root cause?",
        category="disk",
        component="shippingservice",
        statement="From 19:03:31 UTC a disk I/O hog in the shippingservice container drives its disk I/O from about 0.3 to over 200 MB/s; its GetQuote latency climbs to seconds, so checkoutservice's shipping quotes exceed their deadline and the frontend returns 500 on /cart/checkout and errors on /cart.",
        files=files,
        proofs=[
            Proof("metrics/data.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 3))
        ],
        decoys=["RedisTimeoutException", "shipping quote failure"],
    )
