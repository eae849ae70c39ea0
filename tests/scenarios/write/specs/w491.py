# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval layout, one wide CSV): network delay (tc netem, 1800 ms +/- 200 ms)
injected on paymentservice's interface from 06:52:30 UTC. paymentservice's latency columns jump
at once while its CPU and memory stay flat and its own log keeps printing ordinary
`Transaction processed` lines. checkoutservice's Charge calls hit their deadline and frontend
logs `failed to complete the order` with DeadlineExceeded on every checkout. Decoys: an
emailservice template warning, a cartservice Redis reconnect before the fault, and shippingservice
quote warnings."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Pino, PythonLogging, Zap
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2026, 9, 14, 6, 31, tzinfo=UTC)
MINUTES = 40
STEP = 5
FAULT = (21 * 60 + 30) // STEP  # 06:52:30
CARDS = ["visa", "mastercard", "amex"]
CUR = ["USD", "EUR", "JPY", "CAD", "GBP"]


def order_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-11ef-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}"


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/product/1YMWWN1N4O",
            "/product/LS4PSXUNUM",
            "/cart",
            "/setCurrency",
            "/product/2ZYFJ3GM2N",
        ]
    )
    return (
        "DEBUG",
        f"request complete http.req.method=GET http.req.path={path} http.resp.status=200 http.resp.took_ms={rng.randrange(3, 90)}",
        (),
    )


def front_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'request error http.req.method=POST http.req.path=/cart/checkout error="failed to complete the order: rpc error: code = Internal desc = failed to charge card: could not charge the card: rpc error: code = DeadlineExceeded desc = context deadline exceeded" session={order_id(rng)}',
        (),
    )


def payment_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"Transaction processed: {rng.choice(CARDS)} ending {rng.randrange(1000, 9999)}     Amount: {rng.choice(CUR)}{rng.randrange(5, 900)}.{rng.randrange(0, 99):02d}",
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return (
            "INFO",
            f'[PlaceOrder] user_id="{order_id(rng)}" user_currency="{rng.choice(CUR)}"',
            (),
        )
    return "INFO", f"payment went through (transaction_id: {order_id(rng)})", ()


def bundle() -> Bundle:
    rng = random.Random(49114)
    front = LogFile(
        "logs/frontend.log", Zap(("frontend/handlers.go:74", "frontend/middleware.go:41"), rng=rng)
    )
    front.add(traffic(rng, front_line, START, MINUTES, 3300))
    front.add(loud(rng, START, 22.2, MINUTES - 22.3, 210, front_error))
    payment = LogFile("logs/paymentservice.log", Pino("paymentservice-6b8f7d9c54-p4tnz", rng=rng))
    payment.add(traffic(rng, payment_line, START, MINUTES, 620))
    checkout = LogFile(
        "logs/checkoutservice.log",
        Zap(("checkoutservice/main.go:231", "checkoutservice/main.go:266"), rng=rng),
    )
    checkout.add(traffic(rng, checkout_line, START, 21.5, 560))
    checkout.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: f'[PlaceOrder] user_id="{order_id(r)}" user_currency="{r.choice(CUR)}"',
            ),
            START,
            MINUTES,
            260,
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            22.1,
            MINUTES - 22.2,
            190,
            fixed(
                "WARN",
                lambda r: (
                    f"failed to charge card: could not charge the card: rpc error: code = DeadlineExceeded desc = context deadline exceeded (order {order_id(r)})"
                ),
            ),
        )
    )
    checkout.add(
        [
            at(
                START,
                9.3,
                "WARN",
                'failed to send order confirmation to "someone@example.com": rpc error: code = Unavailable desc = transport is closing',
            )
        ]
    )
    email = LogFile("logs/emailservice.log", PythonLogging(("emailservice-server",), rng=rng))
    email.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    "A request to send order confirmation email to someone@example.com has been received."
                ),
            ),
            START,
            MINUTES,
            380,
        )
    )
    email.add(
        [
            at(
                START,
                4.2,
                "WARN",
                "jinja2 template confirmation.html: undefined variable 'order.shipping_tracking_url', rendering empty string",
            )
        ]
    )
    cart = LogFile("logs/cartservice.log", Pino("cartservice-58d4c9f7b6-w8kqs", rng=rng))
    cart.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"GetCartAsync called with userId={order_id(r)}"),
            START,
            MINUTES,
            900,
        )
    )
    cart.add(
        [
            at(
                START,
                12.7,
                "WARN",
                "StackExchange.Redis: connection to redis-cart:6379 lost (SocketClosed), reconnecting",
            ),
            at(START, 12.8, "INFO", "Successfully connected to Redis"),
        ]
    )
    ship = LogFile("logs/shippingservice.log", Zap(("shippingservice/main.go:118",), rng=rng))
    ship.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[GetQuote] completed request, quote=${r.randrange(5, 30)}.{r.randrange(0, 99):02d}"
                ),
            ),
            START,
            MINUTES,
            700,
        )
    )
    ship.add(
        loud(
            rng,
            START,
            28.0,
            3.0,
            6,
            fixed(
                "WARN",
                lambda r: (
                    f"[GetQuote] address zip_code {r.randrange(10000, 99999)} not in rate table, using flat rate"
                ),
            ),
        )
    )
    levels = {
        "frontend": (0.231, 51.4, (0.0284, 0.0911), 44.6),
        "checkoutservice": (0.027, 24.9, (0.0392, 0.1044), 2.3),
        "paymentservice": (0.013, 43.8, (0.0012, 0.0035), 2.3),
        "currencyservice": (0.142, 70.1, (0.0022, 0.0061), 68.4),
        "cartservice": (0.074, 66.2, (0.0049, 0.0142), 15.1),
        "productcatalogservice": (0.088, 21.7, (0.0018, 0.0055), 55.9),
        "recommendationservice": (0.079, 61.3, (0.0197, 0.0552), 10.8),
        "shippingservice": (0.016, 19.1, (0.0015, 0.0047), 4.6),
        "emailservice": (0.011, 39.5, (0.0043, 0.0112), 2.3),
        "adservice": (0.121, 184.6, (0.0029, 0.0088), 9.4),
        "redis-cart": (0.031, 12.2, (0.0004, 0.0011), 15.0),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    p = services["paymentservice"]
    p["latency-50"] = shift(rng, 0.0012, 1.811, FAULT, 0.06)
    p["latency-90"] = shift(rng, 0.0035, 2.046, FAULT, 0.06)
    p["workload"] = shift(rng, 2.3, 1.1, FAULT + 4, 0.1, ramp=6)
    c = services["checkoutservice"]
    c["latency-50"] = shift(rng, 0.0392, 1.902, FAULT + 3, 0.07, ramp=3)
    c["latency-90"] = shift(rng, 0.1044, 3.004, FAULT + 3, 0.04, ramp=3)
    services["frontend"]["latency-90"] = shift(rng, 0.0911, 3.08, FAULT + 5, 0.05, ramp=4)
    points = MINUTES * 60 // STEP
    return Bundle(
        question="Customers can browse the boutique but almost every checkout fails since about 06:53 UTC. Which service is the root cause and what is wrong with it?",
        category="network",
        component="paymentservice",
        statement="From 06:52:30 UTC about 1.8 s of network delay is injected on paymentservice; its latency jumps while CPU and memory stay flat, so checkoutservice's Charge calls exceed their deadline and frontend's checkouts fail with DeadlineExceeded.",
        files={
            "metrics/data.csv": wide_csv(START, STEP, points, services),
            "logs/frontend.log": front.render(),
            "logs/checkoutservice.log": checkout.render(),
            "logs/paymentservice.log": payment.render(),
            "logs/emailservice.log": email.render(),
            "logs/cartservice.log": cart.render(),
            "logs/shippingservice.log": ship.render(),
        },
        proofs=[Proof("metrics/data.csv", stamp(START, STEP, FAULT))],
        decoys=[
            "undefined variable 'order.shipping_tracking_url'",
            "connection to redis-cart:6379 lost",
            "not in rate table, using flat rate",
        ],
    )
