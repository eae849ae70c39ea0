# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""tc netem adds about 300 ms to every packet paymentservice sends; its own log stays quiet
while checkoutservice's 400 ms charge deadline and the frontend's order requests fail."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import JsonLines, Pino
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2024, 6, 14, 7, 30, tzinfo=UTC)
STEP = 1
POINTS = 40 * 60
FAULT = 21 * 60 + 17
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
CURRENCIES = ["EUR", "USD", "JPY", "CAD", "GBP", "TRY"]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-9{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/",
            f"/product/{rng.choice(PRODUCTS)}",
            "/cart",
            "/cart",
            "/setCurrency",
            "/_healthz",
        ]
    )
    roll = rng.random()
    if roll < 0.42:
        return (
            "DEBUG",
            f"request started http.req.id={uuid(rng)} http.req.method=GET http.req.path={path} session={uuid(rng)}",
            (),
        )
    if roll < 0.84:
        return (
            "DEBUG",
            f"request complete http.req.id={uuid(rng)} http.req.path={path} http.resp.bytes={rng.randrange(400, 9000)} http.resp.status=200 http.resp.took_ms={rng.randrange(2, 70)}",
            (),
        )
    if roll < 0.93:
        return (
            "INFO",
            f"setting currency curr.new={rng.choice(CURRENCIES)} curr.old={rng.choice(CURRENCIES)}",
            (),
        )
    if roll < 0.985:
        return (
            "INFO",
            f"order placed http.req.path=/cart/checkout order={uuid(rng)} total={rng.randrange(10, 900)}.{rng.randrange(100):02d}",
            (),
        )
    return (
        "WARN",
        "failed to retrieve ads: rpc error: code = Unavailable desc = transport is closing",
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f'[PlaceOrder] user_id="{uuid(rng)}" user_currency="{rng.choice(CURRENCIES)}"',
            (),
        )
    if roll < 0.65:
        return "INFO", f"payment went through (transaction_id: {uuid(rng)})", ()
    if roll < 0.85:
        return (
            "INFO",
            f'order confirmation email sent to "{rng.choice(["someone", "alice", "bob", "noreply"])}@example.com"',
            (),
        )
    return (
        "INFO",
        f"shipping quote: USD {rng.randrange(5, 12)}.{rng.randrange(100):02d} for {rng.randrange(1, 6)} items",
        (),
    )


def payment_line(rng: random.Random) -> Line:
    card = rng.choice(["visa", "mastercard"])
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"Transaction processed: {card} ending {rng.randrange(1000, 9999)}     Amount: {rng.choice(CURRENCIES)}{rng.randrange(10, 900)}.{rng.randrange(10**9)}",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f'PaymentService#Charge invoked with request {{"amount":{{"currency_code":"{rng.choice(CURRENCIES)}","units":"{rng.randrange(10, 900)}","nanos":{rng.randrange(10**9)}}},"credit_card":{{"credit_card_number":"4432-8015-6152-0454","credit_card_cvv":672,"credit_card_expiration_year":2030,"credit_card_expiration_month":1}}}}',
            (),
        )
    return "INFO", "Health check OK", ()


def bundle() -> Bundle:
    rng = random.Random(165)
    minute = FAULT / 60
    frontend = LogFile(
        "logs/frontend.log", JsonLines("frontend", ("timestamp", "severity", "message"), rng=rng)
    )
    frontend.add(traffic(rng, frontend_line, START, 40, 2900))
    frontend.add(
        loud(
            rng,
            START,
            minute + 0.1,
            18.5,
            236,
            fixed(
                "ERROR",
                lambda r: (
                    f'request error error="failed to complete the order: rpc error: code = Internal desc = failed to charge card: could not charge the card: rpc error: code = DeadlineExceeded desc = context deadline exceeded" http.req.id={uuid(r)} http.req.method=POST http.req.path=/cart/checkout'
                ),
            ),
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            minute + 0.4,
            18,
            71,
            fixed(
                "WARN",
                lambda r: (
                    f"failed to retrieve ads: rpc error: code = DeadlineExceeded desc = context deadline exceeded session={uuid(r)}"
                ),
            ),
        )
    )
    checkout = LogFile(
        "logs/checkoutservice.log",
        JsonLines("checkoutservice", ("timestamp", "severity", "message"), rng=rng),
    )
    checkout.add(traffic(rng, checkout_line, START, 40, 1240))
    checkout.add(
        loud(
            rng,
            START,
            minute + 0.1,
            18.5,
            229,
            fixed(
                "WARN",
                lambda r: (
                    f"failed to charge card: could not charge the card: rpc error: code = DeadlineExceeded desc = context deadline exceeded (order {uuid(r)}, deadline 400ms)"
                ),
            ),
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            minute + 1.5,
            17,
            43,
            fixed(
                "WARN",
                lambda r: (
                    f'failed to send order confirmation to "{r.choice(["someone", "alice", "bob"])}@example.com": rpc error: code = Canceled desc = context canceled'
                ),
            ),
        )
    )
    payment = LogFile("logs/paymentservice.log", Pino("paymentservice-6d8f8b9c4-xq2lm", rng=rng))
    payment.add(traffic(rng, payment_line, START, 40, 980))
    services = {
        "adservice": usual_series(rng, 0.041, 212, (0.0021, 0.0064), 9.1),
        "cartservice": usual_series(rng, 0.063, 118, (0.0034, 0.0105), 21.4),
        "checkoutservice": usual_series(rng, 0.012, 31, (0.0715, 0.1542), 2.1),
        "currencyservice": usual_series(rng, 0.094, 74, (0.0012, 0.0041), 77.8),
        "emailservice": usual_series(rng, 0.008, 61, (0.0026, 0.0088), 2.1),
        "frontend": usual_series(rng, 0.152, 96, (0.0174, 0.1328), 58.3),
        "paymentservice": usual_series(rng, 0.006, 52, (0.0013, 0.0047), 2.1),
        "productcatalogservice": usual_series(rng, 0.071, 38, (0.0017, 0.0096), 96.2),
        "recommendationservice": usual_series(rng, 0.118, 214, (0.0089, 0.0421), 14.6),
        "shippingservice": usual_series(rng, 0.009, 27, (0.0011, 0.0038), 4.2),
    }
    services["paymentservice"]["latency-50"] = shift(rng, 0.0013, 0.3021, FAULT, 0.05)
    services["paymentservice"]["latency-90"] = shift(rng, 0.0047, 0.3862, FAULT, 0.07)
    services["checkoutservice"]["latency-50"] = shift(rng, 0.0715, 0.4108, FAULT + 1, 0.05)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.1542, 0.4937, FAULT + 1, 0.03)
    services["frontend"]["latency-90"] = shift(rng, 0.1328, 0.4519, FAULT + 1, 0.09, ramp=4)
    services["frontend"]["cpu"] = shift(rng, 0.152, 0.191, FAULT + 3, 0.07, ramp=30)
    services["adservice"]["latency-90"] = shift(rng, 0.0064, 0.0071, FAULT, 0.3)
    services["emailservice"]["workload"] = shift(rng, 2.1, 0.3, FAULT + 2, 0.3, ramp=10)
    services["shippingservice"]["workload"] = shift(rng, 4.2, 2.4, FAULT + 2, 0.1, ramp=10)
    return Bundle(
        question="Checkout success rate on the boutique fell to about 30% at 07:51 UTC; which service is the root cause?",
        category="network",
        component="paymentservice",
        statement="About 300 ms of network delay on paymentservice (from 07:51:17 UTC) pushes every Charge RPC past checkoutservice's 400 ms deadline while paymentservice's CPU, memory and log stay normal, so orders fail with DeadlineExceeded.",
        files={
            "data.csv": wide_csv(START, STEP, POINTS, services),
            "logs/frontend.log": frontend.render(),
            "logs/checkoutservice.log": checkout.render(),
            "logs/paymentservice.log": payment.render(),
        },
        proofs=[Proof("data.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2))],
        decoys=[
            "failed to complete the order",
            "failed to retrieve ads: rpc error: code = DeadlineExceeded",
            "failed to send order confirmation",
        ],
    )
