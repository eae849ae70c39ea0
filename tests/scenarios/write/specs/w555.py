# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one wide CSV): a memory hog (stress-ng --vm 2
--vm-bytes 240M) inside currencyservice's container from 22:07:45 UTC. Its `mem` column climbs
first from ~62 MiB toward the 256Mi limit; the Node process is OOM-killed at 22:11
and logs its start-up again; its own log shows only ordinary conversions around it. frontend logs
loud `could not retrieve currencies` / `failed to convert currency` errors (Unavailable) and
checkoutservice fails orders. Decoys: emailservice's template warning, a cartservice Redis
timeout at 21:52, productcatalogservice's catalog reload, and frontend's errors themselves."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import Series
from rcaeval import stamp, usual_series, wide_csv
from records import JsonLines, Pino, PythonLogging
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 8, 14, 21, 40, tzinfo=UTC)
MINUTES = 48
STEP = 5
FAULT = (27 * 60 + 45) // STEP
KILLS = [31.3]
KILLS_AT = int(31.3 * 60 // 5)
CODES = ["EUR", "USD", "JPY", "GBP", "CAD", "TRY"]


def sawtooth(rng: random.Random) -> Series:
    kills = [int(k * 60 // STEP) for k in KILLS]

    def value(index: int) -> float:
        if index < FAULT or index >= kills[0]:
            level = 62.0 if index < FAULT else 58.0
        else:
            level = min(253.5, 62.0 + (index - FAULT + 1) * 4.7)
        return level + rng.gauss(0, 0.6)

    return value


def currency_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return "INFO", "conversion request successful", ()
    if roll < 0.8:
        return (
            "INFO",
            f"received conversion request from {rng.choice(CODES)} to {rng.choice(CODES)}",
            (),
        )
    return "INFO", "Getting supported currencies...", ()


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/product/OLJCESPC7Z",
            "/product/66VCHSJNUP",
            "/cart",
            "/product/1YMWWN1N4O",
            "/_healthz",
        ]
    )
    return (
        "DEBUG",
        f"request complete (http.req.method=GET http.req.path={path} http.resp.status=200 http.resp.took_ms={rng.randrange(4, 120)})",
        (),
    )


def frontend_error(rng: random.Random) -> Line:
    if rng.random() < 0.55:
        return (
            "ERROR",
            f'request error: could not retrieve currencies: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 10.68.{rng.randrange(2, 9)}.{rng.randrange(2, 250)}:7000: connect: connection refused"',
            (),
        )
    return (
        "ERROR",
        f"request error: failed to convert currency for product {rng.choice(['OLJCESPC7Z', '66VCHSJNUP', '1YMWWN1N4O', 'L9ECAV7KIM', '2ZYFJ3GM2N'])}: rpc error: code = Unavailable desc = error reading from server: EOF",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(55529)
    currency = LogFile(
        "logs/currencyservice.log", Pino("currencyservice-6bd8b96c7f-qwz4p", rng=rng)
    )
    currency.add(traffic(rng, currency_line, START, MINUTES, 3900))
    for kill in KILLS:
        currency.add(
            [
                at(START, kill + 0.2, "INFO", "Profiler disabled."),
                at(START, kill + 0.25, "INFO", "Starting gRPC server on port 7000..."),
                at(START, kill + 0.3, "INFO", "CurrencyService gRPC server started on port 7000"),
            ]
        )
    frontend = LogFile(
        "logs/frontend.log",
        JsonLines("frontend", keys=("timestamp", "severity", "message"), rng=rng),
    )
    frontend.add(traffic(rng, frontend_line, START, MINUTES, 4200))
    for kill in KILLS:
        frontend.add(loud(rng, START, kill - 0.9, 1.3, 170, frontend_error))
    frontend.add(loud(rng, START, 29.5, 1.8, 90, frontend_error))
    checkout = LogFile(
        "logs/checkoutservice.log",
        JsonLines("checkoutservice", keys=("timestamp", "severity", "message"), rng=rng),
    )
    checkout.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"payment went through (transaction_id: {r.getrandbits(128):032x})",
                (),
            ),
            START,
            MINUTES,
            420,
        )
    )
    for kill in KILLS:
        checkout.add(
            loud(
                rng,
                START,
                kill - 0.7,
                1.1,
                25,
                lambda r: (
                    "WARN",
                    'failed to prepare order: failed to convert price of "OLJCESPC7Z" to EUR: rpc error: code = Unavailable desc = connection error',
                    (),
                ),
            )
        )
    email = LogFile("logs/emailservice.log", PythonLogging(("emailservice-server",), rng=rng))
    email.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"A request to send order confirmation email to {r.choice(['ana', 'ben', 'chen', 'dara'])}{r.randrange(100)}@example.com has been received.",
                (),
            ),
            START,
            MINUTES,
            400,
        )
    )
    email.add(
        [
            at(
                START,
                5.2,
                "WARN",
                "Template 'confirmation.html' references undefined variable 'order.shipping_tracking_id'; rendering empty string",
            )
        ]
    )
    cart = LogFile(
        "logs/cartservice.log",
        JsonLines("cartservice", keys=("@t", "@l", "@m"), rng=rng, lower_level=False),
    )
    cart.add(
        traffic(
            rng,
            lambda r: ("INFO", f"GetCartAsync called with userId={r.getrandbits(128):032x}", ()),
            START,
            MINUTES,
            1100,
        )
    )
    cart.add(
        [
            at(
                START,
                12.6,
                "WARN",
                "StackExchange.Redis.RedisTimeoutException: Timeout awaiting response (outbound=0KiB, inbound=0KiB, 5312ms elapsed, timeout is 5000ms), command=HGETALL, inst: 0, mgr: 10 of 10 available, serverEndpoint: redis-cart:6379",
            )
        ]
    )
    catalog = LogFile(
        "logs/productcatalogservice.log",
        JsonLines("productcatalogservice", keys=("timestamp", "severity", "message"), rng=rng),
    )
    catalog.add(
        traffic(
            rng,
            lambda r: ("INFO", "successfully parsed product catalog json", ()),
            START,
            MINUTES,
            300,
        )
    )
    catalog.add([at(START, 38.1, "WARN", "catalog reload took 1.94s (products.json 9 entries)")])
    levels = {
        "frontend": (0.071, 41.3, (0.014, 0.072), 38.5),
        "currencyservice": (0.058, 62.0, (0.002, 0.007), 96.4),
        "checkoutservice": (0.021, 18.6, (0.041, 0.13), 1.7),
        "cartservice": (0.044, 81.2, (0.003, 0.012), 12.2),
        "productcatalogservice": (0.033, 21.4, (0.002, 0.006), 54.9),
        "recommendationservice": (0.062, 58.3, (0.009, 0.027), 10.8),
        "emailservice": (0.012, 44.8, (0.006, 0.018), 1.7),
        "paymentservice": (0.009, 39.1, (0.003, 0.009), 1.7),
        "shippingservice": (0.011, 12.3, (0.002, 0.006), 4.9),
        "adservice": (0.052, 208.6, (0.004, 0.013), 11.3),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    c = services["currencyservice"]
    c["mem"] = sawtooth(rng)
    c["latency-90"] = lambda i: (
        (0.94 if FAULT + 18 <= i < KILLS_AT else 0.007) * (1 + rng.gauss(0, 0.15))
    )
    services["frontend"]["latency-90"] = lambda i: (
        (1.8 if FAULT + 20 <= i < KILLS_AT + 8 else 0.072) * (1 + rng.gauss(0, 0.15))
    )
    points = MINUTES * 60 // STEP
    files = {"metrics/data.csv": wide_csv(START, STEP, points, services)}
    for log in (currency, frontend, checkout, email, cart, catalog):
        files[log.name] = log.render()
    return Bundle(
        question="The Online Boutique storefront threw error pages and failed checkouts around 22:09-22:12 UTC, and was slow before that. What is the root cause?",
        category="memory",
        component="currencyservice",
        statement="From 22:07:45 UTC a memory hog inside currencyservice's container drives its memory to the 256Mi limit, so the Node process slows and is then OOM-killed and restarted (22:11); meanwhile frontend cannot retrieve currencies or convert prices and checkoutservice fails orders.",
        files=files,
        proofs=[
            Proof("metrics/data.csv", stamp(START, STEP, FAULT)),
            Proof("logs/currencyservice.log", "CurrencyService gRPC server started on port 7000"),
        ],
        decoys=[
            "references undefined variable 'order.shipping_tracking_id'",
            "RedisTimeoutException: Timeout awaiting response",
            "catalog reload took 1.94s",
            "could not retrieve currencies",
        ],
    )
