# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE3 style, one wide CSV and every service's log): a new
currencyservice build (1.4.0, rolled out 16:05 UTC) carries the fractional part wrongly in
Convert, so converted amounts often come back with `nanos` above 999,999,999. currencyservice
answers fast and never logs an error; checkoutservice's money.Sum rejects the values and it
panics on PlaceOrder, so checkouts in EUR, JPY and GBP fail at the frontend while USD ones pass.
Decoys: a recommendationservice catalog refresh warning, shippingservice's ordinary quote
rounding note, and the frontend's ordinary session cookie warning."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import JsonLines, Pino, PythonLogging
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 10, 2, 15, 41, tzinfo=UTC)
STEP = 1
MINUTES = 40
POINTS = MINUTES * 60
ROLLOUT = 24 * 60 + 10
CODES = ["EUR", "JPY", "GBP", "CAD", "TRY"]


def currency_ok(rng: random.Random) -> Line:
    return "INFO", f"conversion request successful from USD to {rng.choice(CODES)}", ()


def currency_new(rng: random.Random) -> Line:
    code = rng.choice(CODES)
    units = rng.randrange(3, 900)
    nanos = rng.randrange(0, 999) * 10**6 + (10**9 if rng.random() < 0.45 else 0)
    return (
        "INFO",
        f'conversion request successful from USD to {code}: {{"currencyCode":"{code}","units":{units},"nanos":{nanos}}}',
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f'[PlaceOrder] user_id="{rng.getrandbits(128):032x}" user_currency="{rng.choice(["USD", "USD", *CODES])}"',
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"payment went through (transaction_id: {rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x})",
            (),
        )
    return (
        "INFO",
        f'order confirmation email sent to "{rng.choice(["someone", "ana", "li", "jo"])}@example.com"',
        (),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/product/OLJCESPC7Z",
            "/product/66VCHSJNUP",
            "/cart",
            "/setCurrency",
            "/cart/checkout",
        ]
    )
    return (
        "INFO",
        f"request complete http.req.path={path} http.resp.status=200 http.resp.took_ms={rng.randrange(3, 140)}",
        (),
    )


def checkout_panic(rng: random.Random) -> Line:
    return (
        "ERROR",
        "panic: one of the specified money values is invalid",
        (
            "",
            f"goroutine {rng.randrange(100, 9000)} [running]:",
            "github.com/GoogleCloudPlatform/microservices-demo/src/checkoutservice/money.Must(...)",
            "\t/src/money/money.go:187",
            "main.(*checkoutService).PlaceOrder(0xc0001a2e40, {0x1f0c3a8, 0xc00041c3f0}, 0xc0003d8000)",
            "\t/src/main.go:276 +0x9c5",
        ),
    )


def front_fail(rng: random.Random) -> Line:
    return (
        "ERROR",
        'request error http.req.path=/cart/checkout error="failed to complete the order: rpc error: code = Unavailable desc = error reading from server: EOF" http.resp.status=500',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(5961)
    rm = ROLLOUT / 60
    cur = LogFile("logs/currencyservice.log", Pino("currencyservice-6d94b7f5c8-lq7tm", rng=rng))
    cur.add(traffic(rng, currency_ok, START, rm - 0.3, 2200))
    cur.add(
        [
            at(START, rm - 0.2, "INFO", "Received SIGTERM, shutting down gRPC server"),
            at(
                START,
                rm,
                "INFO",
                "currencyservice 1.4.0 (build 7e21c94) starting, conversion data from ./data/currency_conversion.json",
            ),
            at(START, rm + 0.01, "INFO", "Listening on port 7000"),
            at(
                START,
                rm + 0.6,
                "INFO",
                'conversion request successful from USD to JPY: {"currencyCode":"JPY","units":1532,"nanos":1420000000}',
            ),
        ]
    )
    cur.add(loud(rng, START, rm + 0.7, MINUTES - rm - 0.8, 1500, currency_new))
    chk = LogFile(
        "logs/checkoutservice.log",
        JsonLines("checkoutservice", keys=("timestamp", "severity", "message"), rng=rng),
    )
    chk.add(traffic(rng, checkout_line, START, MINUTES, 1700))
    chk.add(loud(rng, START, rm + 0.65, MINUTES - rm - 0.8, 70, checkout_panic))
    front = LogFile(
        "logs/frontend.log",
        JsonLines("frontend", keys=("timestamp", "severity", "message"), rng=rng),
    )
    front.add(traffic(rng, front_line, START, MINUTES, 3400))
    front.add(
        traffic(
            rng,
            fixed("WARN", lambda r: "session cookie missing, issuing new session id"),
            START,
            MINUTES,
            60,
        )
    )
    front.add(loud(rng, START, rm + 0.66, MINUTES - rm - 0.8, 260, front_fail))
    rec = LogFile(
        "logs/recommendationservice.log", PythonLogging(("recommendationservice-server",), rng=rng)
    )
    rec.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[Recv ListRecommendations] product_ids=['{r.choice(['OLJCESPC7Z', '9SIQT8TOJO', 'L9ECAV7KIM', '2ZYFJ3GM2N', 'LS4PSXUNUM'])}']"
                ),
            ),
            START,
            MINUTES,
            1300,
        )
    )
    rec.add(
        [
            at(
                START,
                rm - 6.2,
                "WARN",
                "product catalog refresh took 2.8s (deadline 3s), keeping previous list of 9 products",
            )
        ]
    )
    ship = LogFile(
        "logs/shippingservice.log",
        JsonLines("shippingservice", keys=("timestamp", "severity", "message"), rng=rng),
    )
    ship.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[GetQuote] completed request, quote {r.randrange(5, 12)}.{r.randrange(100):02d} rounded to cents"
                ),
            ),
            START,
            MINUTES,
            700,
        )
    )
    levels = {
        "frontend": (0.29, 61, (0.018, 0.077), 42.6),
        "checkoutservice": (0.04, 22, (0.039, 0.128), 2.3),
        "currencyservice": (0.16, 57, (0.004, 0.014), 40.2),
        "cartservice": (0.21, 114, (0.006, 0.021), 18.8),
        "productcatalogservice": (0.11, 28, (0.003, 0.010), 57.1),
        "recommendationservice": (0.08, 69, (0.011, 0.036), 12.9),
        "paymentservice": (0.02, 45, (0.002, 0.008), 2.3),
        "shippingservice": (0.02, 13, (0.002, 0.007), 4.6),
        "emailservice": (0.03, 56, (0.004, 0.011), 2.3),
        "adservice": (0.07, 183, (0.005, 0.018), 12.1),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    services["currencyservice"]["mem"] = shift(rng, 57, 49, ROLLOUT, 0.01)
    c = services["checkoutservice"]
    c["cpu"] = shift(rng, 0.04, 0.09, ROLLOUT + 40, 0.3)
    c["latency-90"] = shift(rng, 0.128, 0.61, ROLLOUT + 40, 0.3)
    services["paymentservice"]["workload"] = shift(rng, 2.3, 1.1, ROLLOUT + 40, 0.15)
    services["emailservice"]["workload"] = shift(rng, 2.3, 1.1, ROLLOUT + 40, 0.15)
    return Bundle(
        question="Since about 16:06 UTC roughly half of Online Boutique checkouts fail with a 500, mostly for shoppers not paying in USD. What is the root cause?",
        category="code_error",
        component="currencyservice",
        statement="currencyservice 1.4.0, rolled out at 16:05 UTC, returns converted amounts with nanos above 999,999,999 (a carry bug in Convert); checkoutservice's money.Sum rejects them as invalid and panics in PlaceOrder, so non-USD checkouts fail at the frontend.",
        files={
            "metrics.csv": wide_csv(START, STEP, POINTS, services),
            "logs/currencyservice.log": cur.render(),
            "logs/checkoutservice.log": chk.render(),
            "logs/frontend.log": front.render(),
            "logs/recommendationservice.log": rec.render(),
            "logs/shippingservice.log": ship.render(),
        },
        proofs=[
            Proof("logs/currencyservice.log", "currencyservice 1.4.0 (build 7e21c94) starting"),
            Proof("logs/currencyservice.log", 'units\\":1532,'),
        ],
        decoys=["product catalog refresh took 2.8s", "rounded to cents", "session cookie missing"],
    )
