# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique RE3, code fault in shippingservice: a rollout at 16:37:12 UTC ships a
ShipOrder that rejects every address whose zip code does not fit the new parser, so orders are
charged and then fail at shipping. shippingservice logs nothing but its restart and the requests
it receives; checkoutservice and frontend shout `failed to complete the order`, and
emailservice's old connection-refused errors and adservice's growing memory sit beside them."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import JsonLines, PythonLogging
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2024, 10, 3, 16, 20, tzinfo=UTC)
STEP = 1
POINTS = 36 * 60
FAULT = 17 * 60 + 12
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
CURRENCIES = ["EUR", "USD", "JPY", "CAD", "GBP"]
ZIPS = ["94043", "10013", "60606", "98109", "02139", "30301", "73301", "80202"]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-b{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def frontend_line(rng: random.Random) -> Line:
    roll = rng.random()
    path = rng.choice(
        [
            "/",
            f"/product/{rng.choice(PRODUCTS)}",
            "/cart",
            "/setCurrency",
            f"/product/{rng.choice(PRODUCTS)}",
            "/cart/checkout",
        ]
    )
    if roll < 0.44:
        return (
            "DEBUG",
            f"request started http.req.id={uuid(rng)} http.req.method=GET http.req.path={path}",
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            f"request complete http.req.id={uuid(rng)} http.req.path={path} http.resp.status=200 http.resp.took_ms={rng.randrange(2, 85)}",
            (),
        )
    if roll < 0.975:
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
    if roll < 0.3:
        return (
            "INFO",
            f'[PlaceOrder] user_id="{uuid(rng)}" user_currency="{rng.choice(CURRENCIES)}"',
            (),
        )
    if roll < 0.55:
        return "INFO", f"payment went through (transaction_id: {uuid(rng)})", ()
    if roll < 0.8:
        return (
            "INFO",
            f'order confirmation email sent to "{rng.choice(["dana", "li", "omar", "sven"])}{rng.randrange(999)}@example.org"',
            (),
        )
    return "INFO", f"order placed order_id={uuid(rng)} items={rng.randrange(1, 6)}", ()


def shipping_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return "INFO", "[GetQuote] received request", ()
    if roll < 0.8:
        return "INFO", "[GetQuote] completed request", ()
    if roll < 0.9:
        return "INFO", "[ShipOrder] received request", ()
    return (
        "INFO",
        f"[ShipOrder] completed request tracking_id={rng.choice('ABCDEFGHJK')}{rng.choice('LMNPQ')}-{rng.randrange(10**5)}-{rng.randrange(10**8)}",
        (),
    )


def shipping_after(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return "INFO", "[GetQuote] received request", ()
    if roll < 0.9:
        return "INFO", "[GetQuote] completed request", ()
    return "INFO", "[ShipOrder] received request", ()


def email_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"A request to send order confirmation email to {rng.choice(['dana', 'li', 'omar', 'sven'])}{rng.randrange(999)}@example.org has been received.",
        (),
    )


def checkout_failure(rng: random.Random) -> Line:
    return (
        "WARN",
        f'[PlaceOrder] order failed user_id="{uuid(rng)}": shipping error: rpc error: code = InvalidArgument desc = address validation failed: zip_code {rng.choice(ZIPS)} out of range',
        (),
    )


def frontend_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"request error http.req.id={uuid(rng)} http.req.method=POST http.req.path=/cart/checkout error=failed to complete the order: rpc error: code = Internal desc = shipping error: rpc error: code = InvalidArgument desc = address validation failed: zip_code {rng.choice(ZIPS)} out of range",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1108)
    rollout = FAULT / 60
    frontend = LogFile(
        "logs/frontend.log",
        JsonLines("frontend", keys=("timestamp", "severity", "message"), rng=rng),
    )
    frontend.add(traffic(rng, frontend_line, START, 36, 3100))
    frontend.add(loud(rng, START, rollout + 0.3, 18.4, 260, frontend_failure))
    frontend.add(
        loud(
            rng,
            START,
            rollout + 0.3,
            18.4,
            120,
            fixed(
                "WARN",
                lambda r: (
                    f"http.req.id={uuid(r)} http.req.path=/cart/checkout http.resp.status=500 http.resp.took_ms={r.randrange(60, 240)}"
                ),
            ),
        )
    )
    checkout = LogFile(
        "logs/checkoutservice.log",
        JsonLines("checkoutservice", keys=("timestamp", "severity", "message"), rng=rng),
    )
    checkout.add(traffic(rng, checkout_line, START, rollout + 0.2, 700))
    checkout.add(
        loud(
            rng,
            START,
            rollout + 0.25,
            18.5,
            300,
            fixed(
                "INFO",
                lambda r: (
                    f'[PlaceOrder] user_id="{uuid(r)}" user_currency="{r.choice(CURRENCIES)}"'
                ),
            ),
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            rollout + 0.25,
            18.5,
            290,
            fixed("INFO", lambda r: f"payment went through (transaction_id: {uuid(r)})"),
        )
    )
    checkout.add(loud(rng, START, rollout + 0.3, 18.4, 280, checkout_failure))
    shipping = LogFile(
        "logs/shippingservice.log",
        JsonLines("shippingservice", keys=("timestamp", "severity", "message"), rng=rng),
    )
    shipping.add(traffic(rng, shipping_line, START, rollout - 0.3, 1400))
    shipping.add(
        traffic(
            rng,
            shipping_after,
            START.replace(minute=START.minute)
            + (datetime(2024, 10, 3, 16, 37, 30, tzinfo=UTC) - START),
            18.4,
            1500,
        )
    )
    shipping.add(
        [
            at(
                START,
                rollout - 0.25,
                "INFO",
                "received signal terminated, shutting down gracefully",
            ),
            at(START, rollout - 0.02, "INFO", "Tracing disabled."),
            at(START, rollout - 0.01, "INFO", "Profiling disabled."),
            at(
                START,
                rollout,
                "INFO",
                "Shipping Service listening on port 50051 (build 0.10.2-re3-7d41c0e)",
            ),
        ]
    )
    email = LogFile("logs/emailservice.log", PythonLogging(("emailservice-server",), rng=rng))
    email.add(traffic(rng, email_line, START, rollout, 210))
    email.add(
        loud(
            rng,
            START,
            2.2,
            1.6,
            14,
            fixed(
                "ERROR",
                lambda r: (
                    f"failed to export span batch to otel-collector:4317: [Errno 111] Connection refused (attempt {r.randrange(1, 6)})"
                ),
            ),
        )
    )

    levels = {
        "frontend": (0.133, 52, (0.0151, 0.0647), 41.8),
        "checkoutservice": (0.036, 22, (0.0438, 0.1164), 2.6),
        "paymentservice": (0.019, 63, (0.0021, 0.0059), 2.6),
        "shippingservice": (0.016, 14, (0.0018, 0.0051), 8.1),
        "cartservice": (0.066, 73, (0.0049, 0.0158), 21.1),
        "currencyservice": (0.193, 90, (0.0033, 0.0141), 79.9),
        "productcatalogservice": (0.097, 20, (0.0020, 0.0083), 98.7),
        "recommendationservice": (0.128, 58, (0.0121, 0.0311), 22.9),
        "emailservice": (0.022, 48, (0.0157, 0.0391), 2.6),
        "adservice": (0.057, 208, (0.0030, 0.0092), 18.4),
        "redis-cart": (0.045, 9, (0.0006, 0.0014), 21.1),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    ship = services["shippingservice"]
    ship["mem"] = shift(rng, 14, 9, FAULT, 0.01)
    ship["cpu"] = shift(rng, 0.016, 0.018, FAULT, 0.08)
    services["checkoutservice"]["latency-50"] = shift(rng, 0.0438, 0.0391, FAULT + 14, 0.08)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.1164, 0.1402, FAULT + 14, 0.12)
    services["emailservice"]["workload"] = shift(rng, 2.6, 0.0, FAULT + 16, 0.05)
    services["cartservice"]["workload"] = shift(rng, 21.1, 19.2, FAULT + 16, 0.06)
    services["frontend"]["latency-90"] = shift(rng, 0.0647, 0.0811, FAULT + 15, 0.1)
    services["adservice"]["mem"] = shift(rng, 208, 266, 0, 0.006, ramp=POINTS)
    return Bundle(
        question="Since about 16:37 UTC customers get an error page at checkout, although their cards are charged. Logs and RCAEval-style metrics attached. Which service is the root cause?",
        category="code_error",
        component="shippingservice",
        statement="A new shippingservice build rolled out at 16:37:12 UTC rejects every ShipOrder with 'address validation failed: zip_code ... out of range', so checkoutservice fails each order after payment went through and frontend returns 500 on /cart/checkout.",
        files={
            "data.csv": wide_csv(START, STEP, POINTS, services),
            "logs/frontend.log": frontend.render(),
            "logs/checkoutservice.log": checkout.render(),
            "logs/shippingservice.log": shipping.render(),
            "logs/emailservice.log": email.render(),
        },
        proofs=[Proof("logs/shippingservice.log", "build 0.10.2-re3-7d41c0e")],
        decoys=[
            "failed to complete the order",
            "payment went through",
            "[Errno 111] Connection refused",
            "adservice_mem",
        ],
    )
