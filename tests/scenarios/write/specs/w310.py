# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Code fault in a new paymentservice build (Online Boutique, RCAEval RE3 style): build v0.10.2-rc1
rolled out at 08:12 UTC refactored card validation and reads `credit_card.credit_card_expiration_month`
through a renamed field, so every Charge throws a TypeError that is returned as gRPC UNKNOWN.
checkoutservice and frontend fail loudly on checkout; the metrics barely move (payment's CPU even
drops). Decoys: an emailservice template warning, a shippingservice quote retry, a frontend 404."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import unix_rows, usual_series
from records import JsonLines, Pino, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 5, 19, 7, 51, tzinfo=UTC)
STEP = 1
MINUTES = 42
POINTS = MINUTES * 60
DEPLOY = 21.1  # 08:12:06
CARDS = ["visa", "mastercard", "amex"]


def pay_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f"Transaction processed: {rng.choice(CARDS)} ending {rng.randrange(1000, 9999)}     Amount: USD{rng.randrange(9, 900)}.{rng.randrange(100):02d}",
            (),
        )
    return (
        "INFO",
        f'PaymentService#Charge invoked with request {{"amount":{{"currency_code":"USD","units":{rng.randrange(9, 900)},"nanos":{rng.randrange(10**9)}}}}}',
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f'[PlaceOrder] user_id="{rng.getrandbits(128):032x}" user_currency="{rng.choice(["USD", "EUR", "JPY"])}"',
            (),
        )
    if roll < 0.7:
        return "INFO", f"payment went through (transaction_id: {rng.getrandbits(128):032x})", ()
    return (
        "INFO",
        f'order confirmation email sent to "shopper{rng.randrange(10**5)}@example.org"',
        (),
    )


def front_line(rng: random.Random) -> Line:
    roll = rng.random()
    path = rng.choice(
        [
            "/",
            "/cart",
            "/product/OLJCESPC7Z",
            "/product/66VCHSJNUP",
            "/product/9SIQT8TOJO",
            "/setCurrency",
        ]
    )
    if roll < 0.6:
        return (
            "DEBUG",
            f"request complete http.req.method=GET http.req.path={path} http.resp.status=200 http.resp.took_ms={rng.randrange(3, 70)}",
            (),
        )
    if roll < 0.95:
        return "DEBUG", f"request started http.req.method=GET http.req.path={path}", ()
    return (
        "DEBUG",
        f"request complete http.req.method=POST http.req.path=/cart/checkout http.resp.status=200 http.resp.took_ms={rng.randrange(120, 400)}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(31004)
    deploy = START + timedelta(minutes=DEPLOY)
    pay = LogFile("logs/paymentservice.log", Pino("paymentservice-7b9d4c6f58-mx2rk", rng=rng))
    pay.add(traffic(rng, pay_line, START, DEPLOY, 420))
    pay.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f'PaymentService#Charge invoked with request {{"amount":{{"currency_code":"USD","units":{r.randrange(9, 900)},"nanos":{r.randrange(10**9)}}}}}'
                ),
            ),
            deploy + timedelta(seconds=20),
            MINUTES - DEPLOY - 0.4,
            330,
        )
    )
    pay.add(
        [
            Record(deploy, "INFO", "Profiler disabled.", ()),
            Record(
                deploy + timedelta(milliseconds=210),
                "INFO",
                "paymentservice build v0.10.2-rc1 (git 4e1a9c2, card-validator refactor) starting",
                (),
            ),
            Record(
                deploy + timedelta(milliseconds=655),
                "INFO",
                "PaymentService gRPC server started on port 50051",
                (),
            ),
        ]
    )
    pay.add(
        loud(
            rng,
            START,
            DEPLOY + 0.35,
            MINUTES - DEPLOY - 0.5,
            300,
            fixed(
                "ERROR",
                lambda r: (
                    "PaymentService#Charge failed: TypeError: Cannot read properties of undefined (reading 'toString')"
                ),
                lambda r: [
                    "TypeError: Cannot read properties of undefined (reading 'toString')",
                    "    at validateExpiry (/usr/src/app/charge.js:61:52)",
                    "    at module.exports (/usr/src/app/charge.js:88:3)",
                    "    at Object.chargeServiceHandler [as charge] (/usr/src/app/server.js:33:22)",
                    "    at Object.onReceiveMessage (/usr/src/app/node_modules/@grpc/grpc-js/build/src/server.js:1194:19)",
                ],
            ),
        )
    )
    pay.add(
        [
            at(
                START,
                DEPLOY + 0.31,
                "ERROR",
                "first Charge after start failed: TypeError: Cannot read properties of undefined (reading 'toString') at validateExpiry (/usr/src/app/charge.js:61:52)",
            )
        ]
    )
    checkout = LogFile(
        "logs/checkoutservice.log",
        JsonLines("checkoutservice", keys=("timestamp", "severity", "message"), rng=rng),
    )
    checkout.add(traffic(rng, checkout_line, START, DEPLOY + 0.3, 700))
    checkout.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: f'[PlaceOrder] user_id="{r.getrandbits(128):032x}" user_currency="USD"',
            ),
            deploy + timedelta(seconds=20),
            MINUTES - DEPLOY - 0.4,
            300,
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            DEPLOY + 0.4,
            MINUTES - DEPLOY - 0.5,
            300,
            fixed(
                "WARN",
                lambda r: (
                    "failed to charge card: could not charge the card: rpc error: code = Unknown desc = Cannot read properties of undefined (reading 'toString')"
                ),
            ),
        )
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
                    f"[GetQuote] completed request, quote USD {r.randrange(5, 20)}.{r.randrange(100):02d}"
                ),
            ),
            START,
            MINUTES,
            900,
        )
    )
    ship.add(
        [
            at(
                START,
                9.8,
                "WARN",
                "[GetQuote] quote cache miss, upstream rate table refresh took 1.9s",
            )
        ]
    )
    email = LogFile(
        "logs/emailservice.log",
        JsonLines("emailservice", keys=("timestamp", "severity", "message"), rng=rng),
    )
    email.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"A request to send order confirmation email to shopper{r.randrange(10**5)}@example.org has been received."
                ),
            ),
            START,
            MINUTES,
            600,
        )
    )
    email.add(
        [
            at(
                START,
                33.7,
                "WARN",
                "jinja2 template confirmation.html: undefined variable 'order.shipping_cost.nanos', rendering 0",
            )
        ]
    )
    front = LogFile(
        "logs/frontend.log",
        JsonLines("frontend", keys=("timestamp", "severity", "message"), rng=rng),
    )
    front.add(traffic(rng, front_line, START, MINUTES, 4300))
    front.add(
        loud(
            rng,
            START,
            DEPLOY + 0.45,
            MINUTES - DEPLOY - 0.6,
            290,
            fixed(
                "ERROR",
                lambda r: (
                    "request error: failed to complete the order: rpc error: code = Internal desc = failed to charge card: could not charge the card: rpc error: code = Unknown desc = Cannot read properties of undefined (reading 'toString') http.req.path=/cart/checkout http.resp.status=500"
                ),
            ),
        )
    )
    front.add(
        [
            at(
                START,
                4.2,
                "WARN",
                "request complete http.req.method=GET http.req.path=/product/HQTGWGPNH4 http.resp.status=404",
            )
        ]
    )

    levels = {
        "frontend": (0.171, 63, (0.0131, 0.0412), 36.4),
        "paymentservice": (0.011, 47, (0.0006, 0.0014), 1.7),
        "checkoutservice": (0.022, 25, (0.0421, 0.0951), 1.7),
        "currencyservice": (0.091, 57, (0.0008, 0.0022), 58.2),
        "cartservice": (0.069, 94, (0.0025, 0.0083), 14.1),
        "productcatalogservice": (0.042, 19, (0.0009, 0.0029), 50.8),
        "shippingservice": (0.009, 12, (0.0006, 0.0017), 3.4),
        "emailservice": (0.012, 39, (0.0031, 0.0088), 1.7),
        "recommendationservice": (0.104, 70, (0.0080, 0.0219), 11.8),
    }
    files: dict[str, str] = {}
    restart = int(DEPLOY * 60)
    for name, (cpu, memory, latency, workload) in levels.items():
        series = usual_series(rng, cpu, memory, latency, workload)
        if name == "paymentservice":
            series["mem"] = shift(rng, 47, 38, restart, 0.01)
            series["latency-50"] = shift(rng, 0.0006, 0.0003, restart + 20, 0.1)
        if name == "checkoutservice":
            series["latency-50"] = shift(rng, 0.0421, 0.0198, restart + 25, 0.08)
        if name == "emailservice":
            series["workload"] = shift(rng, 1.7, 0.0, restart + 25, 0.05)
        files[f"metrics/{name}.csv"] = unix_rows(
            START, STEP, POINTS, {f"{name}_{key}": value for key, value in series.items()}, 4
        )
    files |= {
        "logs/frontend.log": front.render(),
        "logs/paymentservice.log": pay.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/shippingservice.log": ship.render(),
        "logs/emailservice.log": email.render(),
    }
    return Bundle(
        question="Every checkout in the boutique has failed with a 500 since shortly after 08:12 UTC. Browsing works fine. What broke?",
        category="code_error",
        component="paymentservice",
        statement="The paymentservice build v0.10.2-rc1 rolled out at 08:12 UTC has a bug in its refactored card validation (validateExpiry reads an undefined field), so every Charge throws a TypeError and checkoutservice cannot charge cards.",
        files=files,
        proofs=[
            Proof("logs/paymentservice.log", "paymentservice build v0.10.2-rc1"),
            Proof("logs/paymentservice.log", "first Charge after start failed"),
        ],
        decoys=[
            "undefined variable 'order.shipping_cost.nanos'",
            "upstream rate table refresh took 1.9s",
            "/product/HQTGWGPNH4 http.resp.status=404",
        ],
    )
