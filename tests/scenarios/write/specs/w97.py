# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""A socket-exhaustion fault in checkoutservice fills its connection table: its socket count
climbs for two minutes, then every outgoing dial fails with `connect: cannot assign requested
address`. Its own log shows that once as a gRPC channel warning; the loud part is the frontend's
500s on /cart/checkout, whose errors name paymentservice's and cartservice's addresses."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import JsonLines, Pino
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2024, 5, 14, 8, 0, tzinfo=UTC)
STEP = 1
POINTS = 32 * 60
FAULT = 11 * 60 + 47
EXHAUSTED = 14.05
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
PAYMENT = "10.96.12.88:50051"
CART = "10.96.41.201:7070"
SHIPPING = "10.96.7.143:50051"


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def frontend_line(rng: random.Random) -> Line:
    roll = rng.random()
    path = rng.choice(
        [
            "/",
            f"/product/{rng.choice(PRODUCTS)}",
            "/cart",
            "/setCurrency",
            f"/product/{rng.choice(PRODUCTS)}",
        ]
    )
    if roll < 0.45:
        return (
            "DEBUG",
            f"request started http.req.id={uuid(rng)} http.req.method=GET http.req.path={path}",
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            f"request complete http.req.id={uuid(rng)} http.req.path={path} http.resp.status=200 http.resp.took_ms={rng.randrange(3, 90)}",
            (),
        )
    if roll < 0.97:
        return (
            "INFO",
            f"placing order http.req.id={uuid(rng)} currency={rng.choice(CURRENCIES)}",
            (),
        )
    return (
        "WARN",
        f"failed to retrieve ads http.req.id={uuid(rng)} error=rpc error: code = DeadlineExceeded desc = context deadline exceeded",
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
    if roll < 0.6:
        return "INFO", f"payment went through (transaction_id: {uuid(rng)})", ()
    if roll < 0.8:
        return (
            "INFO",
            f'order confirmation email sent to "{rng.choice(["alice", "bob", "someone", "cx"])}{rng.randrange(999)}@example.com"',
            (),
        )
    return "INFO", f"order placed order_id={uuid(rng)} items={rng.randrange(1, 6)}", ()


def payment_line(rng: random.Random) -> Line:
    card = rng.choice(["visa", "mastercard"])
    return (
        "INFO",
        f"Transaction processed: {card} ending {rng.randrange(1000, 9999)}     Amount: {rng.choice(CURRENCIES)}{rng.randrange(5, 900)}.{rng.randrange(100):02d}",
        (),
    )


def cart_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"GetCartAsync called with userId={uuid(rng)}", ()
    if roll < 0.85:
        return (
            "INFO",
            f"AddItemAsync called with userId={uuid(rng)}, productId={rng.choice(PRODUCTS)}, quantity={rng.randrange(1, 5)}",
            (),
        )
    return "INFO", f"EmptyCartAsync called with userId={uuid(rng)}", ()


def shipping_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", "[GetQuote] received request", ()
    if roll < 0.75:
        return "INFO", "[GetQuote] completed request", ()
    return (
        "INFO",
        f"[ShipOrder] completed request tracking_id={rng.choice('ABCDEFGH')}{rng.choice('XYZQ')}-{rng.randrange(10**5)}-{rng.randrange(10**8)}",
        (),
    )


def currency_line(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return "INFO", "conversion request successful", ()
    return "INFO", "Getting supported currencies...", ()


def order_failure(rng: random.Random) -> Line:
    target, what = rng.choice(
        [
            (PAYMENT, "failed to charge card: could not charge the card"),
            (
                CART,
                "failed to prepare order: cart failure: failed to get user cart during checkout",
            ),
            (PAYMENT, "failed to charge card: could not charge the card"),
            (
                SHIPPING,
                "failed to prepare order: shipping quote failure: failed to get shipping quote",
            ),
        ]
    )
    return (
        "ERROR",
        f'request error http.req.id={uuid(rng)} http.req.method=POST http.req.path=/cart/checkout error=failed to complete the order: rpc error: code = Internal desc = {what}: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp {target}: connect: cannot assign requested address"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(197)
    exhausted = EXHAUSTED
    frontend = LogFile(
        "logs/frontend.log",
        JsonLines("frontend", keys=("timestamp", "severity", "message"), rng=rng),
    )
    frontend.add(traffic(rng, frontend_line, START, 32, 2600))
    frontend.add(loud(rng, START, exhausted + 0.2, 17.5, 430, order_failure))
    frontend.add(
        loud(
            rng,
            START,
            exhausted + 0.3,
            17.5,
            96,
            fixed(
                "WARN",
                lambda r: (
                    f"http.req.id={uuid(r)} http.req.path=/cart/checkout http.resp.status=500 http.resp.took_ms={r.randrange(2, 9)}"
                ),
            ),
        )
    )
    checkout = LogFile(
        "logs/checkoutservice.log",
        JsonLines("checkoutservice", keys=("timestamp", "severity", "message"), rng=rng),
    )
    checkout.add(traffic(rng, checkout_line, START, exhausted + 0.1, 900))
    checkout.add(
        loud(
            rng,
            START,
            exhausted + 0.05,
            17.8,
            520,
            fixed(
                "INFO",
                lambda r: (
                    f'[PlaceOrder] user_id="{uuid(r)}" user_currency="{r.choice(CURRENCIES)}"'
                ),
            ),
        )
    )
    checkout.add(
        [
            at(
                START,
                exhausted,
                "WARN",
                f'[core] [Channel #14 SubChannel #2871] grpc: addrConn.createTransport failed to connect to {{Addr: "{CART}", ServerName: "cartservice:7070", }}. Err: connection error: desc = "transport: Error while dialing: dial tcp {CART}: connect: cannot assign requested address"',
            ),
            at(
                START,
                exhausted + 0.4,
                "INFO",
                "[core] [Channel #9] Channel Connectivity change to TRANSIENT_FAILURE",
            ),
            at(
                START,
                exhausted + 0.5,
                "INFO",
                "[core] [Channel #11] Channel Connectivity change to TRANSIENT_FAILURE",
            ),
        ]
    )
    payment = LogFile("logs/paymentservice.log", Pino("paymentservice-6c8d9f7b54-q2xkd", rng=rng))
    payment.add(traffic(rng, payment_line, START, exhausted, 380))
    cart = LogFile(
        "logs/cartservice.log",
        JsonLines("cartservice", keys=("@t", "@l", "@m"), lower_level=False, rng=rng),
    )
    cart.add(traffic(rng, cart_line, START, 32, 1700))
    shipping = LogFile(
        "logs/shippingservice.log",
        JsonLines("shippingservice", keys=("timestamp", "severity", "message"), rng=rng),
    )
    shipping.add(traffic(rng, shipping_line, START, 32, 900))
    currency = LogFile(
        "logs/currencyservice.log", Pino("currencyservice-5f9b7c6d48-m8vth", rng=rng)
    )
    currency.add(traffic(rng, currency_line, START, 32, 1500))
    currency.add(
        loud(
            rng,
            START,
            6.4,
            2.5,
            24,
            fixed(
                "WARN",
                lambda r: (
                    f"conversion request took {r.randrange(900, 1700)}ms (event loop lag {r.randrange(300, 800)}ms)"
                ),
            ),
        )
    )
    names = [
        "frontend",
        "checkoutservice",
        "paymentservice",
        "cartservice",
        "shippingservice",
        "currencyservice",
        "productcatalogservice",
        "recommendationservice",
        "emailservice",
        "adservice",
        "redis-cart",
    ]
    levels = {
        "frontend": (0.121, 48, (0.0143, 0.0622), 38.1),
        "checkoutservice": (0.032, 21, (0.0412, 0.1107), 2.2),
        "paymentservice": (0.018, 64, (0.0021, 0.0063), 2.2),
        "cartservice": (0.061, 71, (0.0048, 0.0152), 19.3),
        "shippingservice": (0.014, 12, (0.0017, 0.0052), 6.8),
        "currencyservice": (0.187, 88, (0.0034, 0.0139), 74.6),
        "productcatalogservice": (0.093, 19, (0.0019, 0.0081), 92.4),
        "recommendationservice": (0.122, 57, (0.0118, 0.0302), 21.7),
        "emailservice": (0.021, 49, (0.0152, 0.0386), 2.2),
        "adservice": (0.058, 212, (0.0029, 0.0094), 17.9),
        "redis-cart": (0.044, 9, (0.0006, 0.0014), 19.3),
    }
    services = {}
    for name in names:
        cpu, memory, latency, workload = levels[name]
        series = usual_series(rng, cpu, memory, latency, workload)
        series["socket"] = shift(rng, rng.randrange(18, 60), 0, 10**9, 0.03)
        services[name] = series
    fail = int(exhausted * 60)
    services["checkoutservice"]["socket"] = shift(rng, 41, 28219, FAULT, 0.01, ramp=fail - FAULT)
    services["checkoutservice"]["cpu"] = shift(rng, 0.032, 0.071, FAULT, 0.1, ramp=30)
    services["checkoutservice"]["mem"] = shift(rng, 21, 33, FAULT, 0.01, ramp=fail - FAULT)
    services["checkoutservice"]["latency-50"] = shift(rng, 0.0412, 0.0019, fail, 0.1)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.1107, 0.0046, fail, 0.1)
    services["frontend"]["latency-90"] = shift(rng, 0.0622, 0.0301, fail + 5, 0.1)
    services["paymentservice"]["workload"] = shift(rng, 2.2, 0.0, fail, 0.05)
    services["shippingservice"]["workload"] = shift(rng, 6.8, 4.6, fail, 0.06)
    services["emailservice"]["workload"] = shift(rng, 2.2, 0.0, fail, 0.05)
    services["cartservice"]["workload"] = shift(rng, 19.3, 17.1, fail, 0.06)
    return Bundle(
        question="Checkout has been failing for almost every user since about 08:14 UTC (frontend returns 500 on /cart/checkout). Which service is the root cause?",
        category="network",
        component="checkoutservice",
        statement="From 08:11:47 UTC checkoutservice's socket count climbs from about 40 to over 28,000 until its connection table is exhausted, so every outgoing dial it makes fails with 'connect: cannot assign requested address' and orders fail even though paymentservice, cartservice and shippingservice are healthy.",
        files={
            "data.csv": wide_csv(START, STEP, POINTS, services),
            "logs/frontend.log": frontend.render(),
            "logs/checkoutservice.log": checkout.render(),
            "logs/paymentservice.log": payment.render(),
            "logs/cartservice.log": cart.render(),
            "logs/shippingservice.log": shipping.render(),
            "logs/currencyservice.log": currency.render(),
        },
        proofs=[
            Proof("data.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2)),
            Proof("logs/checkoutservice.log", "SubChannel #2871"),
        ],
        decoys=[
            "failed to charge card: could not charge the card",
            "http.resp.status=500",
            "conversion request took",
        ],
    )
