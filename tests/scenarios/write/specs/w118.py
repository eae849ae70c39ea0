# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE1/RE2 wide CSV): a CPU hog (stress-ng in the container) saturates
currencyservice from 15:07:12 UTC. Its CPU goes from about 0.2 to the whole core, its latency
follows, and every page that shows prices gets slow; the frontend logs DeadlineExceeded for
currency conversion and the product catalog. The Node.js service itself only logs its usual
lines, a little less often. Decoys: adservice's JVM warnings, recommendationservice's errors
against productcatalogservice, and a memory step in recommendationservice an hour-quarter earlier."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import JsonLines, Log4j, Pino, PythonLogging
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2024, 10, 22, 14, 55, tzinfo=UTC)
STEP = 1
POINTS = 28 * 60
FAULT = 12 * 60 + 12
MINUTES = 28
PRODUCTS = [
    "0PUK6V6EV0",
    "1YMWWN1N4O",
    "2ZYFJ3GM2N",
    "66VCHSJNUP",
    "6E92ZMYYFZ",
    "9SIQT8TOJO",
    "L9ECAV7KIM",
    "LS4PSXUNUM",
    "OLJCESPC7Z",
]
CURRENCIES = ["EUR", "USD", "JPY", "GBP", "CAD", "TRY", "CHF"]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-b{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def frontend_line(rng: random.Random) -> Line:
    roll = rng.random()
    path = rng.choice(
        [
            "/",
            f"/product/{rng.choice(PRODUCTS)}",
            "/cart",
            f"/product/{rng.choice(PRODUCTS)}",
            "/setCurrency",
        ]
    )
    if roll < 0.45:
        return (
            "DEBUG",
            f"request started http.req.id={uuid(rng)} http.req.method=GET http.req.path={path} session={uuid(rng)}",
            (),
        )
    if roll < 0.92:
        return (
            "DEBUG",
            f"request complete http.req.id={uuid(rng)} http.req.path={path} http.resp.status=200 http.resp.bytes={rng.randrange(3000, 14000)} http.resp.took_ms={rng.randrange(4, 120)}",
            (),
        )
    if roll < 0.98:
        return (
            "INFO",
            f"currency changed http.req.id={uuid(rng)} curr.new={rng.choice(CURRENCIES)} curr.old={rng.choice(CURRENCIES)}",
            (),
        )
    return (
        "WARN",
        f"failed to retrieve ads http.req.id={uuid(rng)} error=rpc error: code = Unavailable desc = transport is closing",
        (),
    )


def frontend_failure(rng: random.Random) -> Line:
    request = uuid(rng)
    what = rng.choice(
        [
            "could not retrieve currencies: rpc error: code = DeadlineExceeded desc = context deadline exceeded",
            f"failed to do currency conversion for product {rng.choice(PRODUCTS)}: rpc error: code = DeadlineExceeded desc = context deadline exceeded",
            "could not retrieve products: rpc error: code = DeadlineExceeded desc = context deadline exceeded",
            "failed to convert currency for shipping cost: rpc error: code = DeadlineExceeded desc = context deadline exceeded",
        ]
    )
    return (
        "ERROR",
        f"request error http.req.id={request} http.req.method=GET http.req.path={rng.choice(['/', '/cart', '/product/' + rng.choice(PRODUCTS)])} error={what}",
        (),
    )


def currency_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return "INFO", "conversion request successful", ()
    if roll < 0.85:
        return "INFO", "Getting supported currencies...", ()
    return (
        "INFO",
        f"received conversion request from={rng.choice(CURRENCIES)} to={rng.choice(CURRENCIES)}",
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f'[PlaceOrder] user_id="{uuid(rng)}" user_currency="{rng.choice(CURRENCIES)}"',
            (),
        )
    if roll < 0.75:
        return "INFO", f"payment went through (transaction_id: {uuid(rng)})", ()
    return "INFO", f'order confirmation email sent to "user{rng.randrange(9999)}@example.com"', ()


def checkout_failure(rng: random.Random) -> Line:
    return (
        "WARN",
        f"failed to convert price of {rng.choice(PRODUCTS)} to {rng.choice(CURRENCIES)}: rpc error: code = DeadlineExceeded desc = context deadline exceeded",
        (),
    )


def recommendation_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[Recv ListRecommendations] product_ids=['{rng.choice(PRODUCTS)}', '{rng.choice(PRODUCTS)}', '{rng.choice(PRODUCTS)}', '{rng.choice(PRODUCTS)}', '{rng.choice(PRODUCTS)}']",
        (),
    )


def recommendation_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        'ListProducts failed: <_InactiveRpcError of RPC that terminated with: status = StatusCode.UNAVAILABLE details = "failed to connect to all addresses; last error: UNKNOWN: ipv4:10.96.104.37:3550: Failed to connect to remote host: Connection refused">',
        (),
    )


def ad_line(rng: random.Random) -> Line:
    if rng.random() < 0.9:
        return (
            "INFO",
            f"received ad request (context_words=[{rng.choice(['clothing', 'kitchen', 'accessories', 'footwear', 'hair', 'decor'])}])",
            (),
        )
    return (
        "WARN",
        f"[GC (Allocation Failure) [PSYoungGen: {rng.randrange(60000, 70000)}K->{rng.randrange(4000, 9000)}K(76288K)] {rng.randrange(120000, 180000)}K->{rng.randrange(60000, 90000)}K(251392K), 0.0{rng.randrange(100, 999)} secs]",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1118)
    fault = FAULT / 60
    frontend = LogFile(
        "logs/frontend.log",
        JsonLines("frontend", keys=("timestamp", "severity", "message"), rng=rng),
    )
    frontend.add(traffic(rng, frontend_line, START, MINUTES, 3400))
    frontend.add(loud(rng, START, fault + 0.35, MINUTES - fault - 0.4, 520, frontend_failure))
    currency = LogFile("logs/currencyservice.log", Pino("currencyservice-7d5f6c8b9-kq4wn", rng=rng))
    currency.add(traffic(rng, currency_line, START, fault, 1500))
    currency.add(
        traffic(rng, currency_line, START + timedelta(minutes=fault), MINUTES - fault, 640)
    )
    checkout = LogFile(
        "logs/checkoutservice.log",
        JsonLines("checkoutservice", keys=("timestamp", "severity", "message"), rng=rng),
    )
    checkout.add(traffic(rng, checkout_line, START, MINUTES, 800))
    checkout.add(loud(rng, START, fault + 0.5, MINUTES - fault - 0.6, 70, checkout_failure))
    recommendation = LogFile(
        "logs/recommendationservice.log", PythonLogging(("recommendationservice-server",), rng=rng)
    )
    recommendation.add(traffic(rng, recommendation_line, START, MINUTES, 1200))
    recommendation.add(loud(rng, START, 2.2, 1.6, 85, recommendation_failure))
    recommendation.add(
        [
            at(
                START,
                3.9,
                "INFO",
                "product catalog channel READY again after 1 reconnect attempts (10.96.104.37:3550)",
            )
        ]
    )
    ad = LogFile(
        "logs/adservice.log",
        Log4j(("hipstershop.AdService",), threads="grpc-default-executor", rng=rng),
    )
    ad.add(traffic(rng, ad_line, START, MINUTES, 900))
    ad.add(
        [
            at(
                START,
                18.6,
                "WARN",
                "io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector: LEAK: ByteBuf.release() was not called before it's garbage-collected. See https://netty.io/wiki/reference-counted-objects.html for more information.",
            )
        ]
    )
    levels = {
        "frontend": (0.134, 51, (0.0151, 0.0590), 41.7),
        "currencyservice": (0.192, 92, (0.0031, 0.0121), 88.3),
        "productcatalogservice": (0.088, 21, (0.0018, 0.0077), 97.1),
        "checkoutservice": (0.029, 23, (0.0398, 0.1061), 2.4),
        "cartservice": (0.057, 73, (0.0046, 0.0148), 20.5),
        "recommendationservice": (0.117, 61, (0.0109, 0.0288), 22.8),
        "adservice": (0.062, 209, (0.0027, 0.0091), 18.6),
        "paymentservice": (0.017, 66, (0.0022, 0.0064), 2.4),
        "shippingservice": (0.013, 12, (0.0016, 0.0049), 7.1),
        "emailservice": (0.020, 48, (0.0149, 0.0379), 2.4),
        "redis-cart": (0.041, 9, (0.0006, 0.0013), 20.5),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    currency_series = services["currencyservice"]
    currency_series["cpu"] = shift(rng, 0.192, 0.987, FAULT, 0.02, ramp=4)
    currency_series["latency-50"] = shift(rng, 0.0031, 0.0482, FAULT + 3, 0.12)
    currency_series["latency-90"] = shift(rng, 0.0121, 0.2614, FAULT + 3, 0.15)
    currency_series["workload"] = shift(rng, 88.3, 61.0, FAULT + 5, 0.07)
    services["frontend"]["latency-50"] = shift(rng, 0.0151, 0.1193, FAULT + 6, 0.12)
    services["frontend"]["latency-90"] = shift(rng, 0.0590, 0.8810, FAULT + 6, 0.15)
    services["frontend"]["cpu"] = shift(rng, 0.134, 0.171, FAULT + 8, 0.08)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.1061, 0.4712, FAULT + 9, 0.15)
    services["productcatalogservice"]["workload"] = shift(rng, 97.1, 70.4, FAULT + 7, 0.06)
    services["recommendationservice"]["mem"] = shift(rng, 61, 118, 9 * 60, 0.01, ramp=40)
    return Bundle(
        question="The shop has been very slow and pages intermittently fail since about 15:07 UTC. Which service is the root cause?",
        category="cpu",
        component="currencyservice",
        statement="From 15:07:12 UTC currencyservice's CPU goes from about 0.19 to a full core (a CPU hog in its container) and its latency rises tenfold, so the frontend's and checkoutservice's currency conversions hit their gRPC deadlines and pages fail, while productcatalogservice and the others stay healthy.",
        files={
            "data.csv": wide_csv(START, STEP, POINTS, services),
            "logs/frontend.log": frontend.render(),
            "logs/currencyservice.log": currency.render(),
            "logs/checkoutservice.log": checkout.render(),
            "logs/recommendationservice.log": recommendation.render(),
            "logs/adservice.log": ad.render(),
        },
        proofs=[Proof("data.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 3))],
        decoys=[
            "could not retrieve products",
            "ListProducts failed",
            "ResourceLeakDetector: LEAK",
        ],
    )
