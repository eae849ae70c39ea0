# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE3 layout, one CSV per service): a new shippingservice build
(v0.10.4-rc2) rolled out at 18:21:38 UTC looks the destination up in a shipping-zone table that
holds only the United States, so ShipOrder fails for every other country with `no shipping zone
for country`. PlaceOrder charges the card before shipping, so paymentservice keeps logging
successful charges while checkoutservice's orders fail and the frontend shows 500s for foreign
addresses only; the metrics barely move. Decoys: a checkoutservice pod rescheduled by a node drain
two minutes earlier, paymentservice's card-type rejections (they happen all day), and
currencyservice's slow-conversion warnings."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import unix_rows, usual_series
from records import Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2025, 9, 23, 18, 2, tzinfo=UTC)
STEP = 1
MINUTES = 41
POINTS = MINUTES * 60
ROLLOUT = 19 * 60 + 38
COUNTRIES = ["United Kingdom", "Canada", "Germany", "Japan", "France", "Australia", "Netherlands"]


def nanos(time: datetime) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{time.microsecond * 1000:09d}Z"


@dataclass
class Logrus:
    """Online Boutique's Go services: logrus JSON, extra fields carried in the logger slot."""

    def render(self, record: Record) -> list[str]:
        body = json.loads(record.logger) if record.logger else {}
        body |= {
            "message": record.message,
            "severity": record.level.lower().replace("warn", "warning"),
            "timestamp": nanos(record.time),
        }
        return [json.dumps(body, separators=(",", ":"))]


@dataclass
class PinoOB:
    """paymentservice and currencyservice (Node, pino) as Online Boutique configures them."""

    name: str

    def render(self, record: Record) -> list[str]:
        level = {"DEBUG": 20, "INFO": 30, "WARN": 40, "ERROR": 50}[record.level]
        body = {
            "severity": record.level.lower().replace("warn", "warning"),
            "time": int(record.time.timestamp() * 1000),
            "pid": 1,
            "hostname": self.name,
            "name": f"{self.name.split('-')[0]}-server",
            "message": record.message,
            "level": level,
        }
        return [json.dumps(body, separators=(",", ":"))]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}"


def shipping_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.3:
        return "INFO", "[GetQuote] received request", ()
    if roll < 0.6:
        return "INFO", "[GetQuote] completed request", ()
    if roll < 0.8:
        return "INFO", "[ShipOrder] received request", ()
    return "INFO", "[ShipOrder] completed request", ()


def shipping_error(rng: random.Random) -> Line:
    return "ERROR", f'[ShipOrder] no shipping zone for country "{rng.choice(COUNTRIES)}"', ()


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/product/9SIQT8TOJO",
            "/product/OLJCESPC7Z",
            "/cart",
            "/product/LS4PSXUNUM",
            "/",
            "/cart",
            "/product/2ZYFJ3GM2N",
        ]
    )
    if rng.random() < 0.5:
        return (
            "DEBUG",
            "request started",
            (
                json.dumps(
                    {
                        "http.req.id": uid(rng),
                        "http.req.method": "GET",
                        "http.req.path": path,
                        "session": uid(rng),
                    }
                ),
            ),
        )
    return (
        "DEBUG",
        "request complete",
        (
            json.dumps(
                {
                    "http.req.id": uid(rng),
                    "http.req.method": "GET",
                    "http.req.path": path,
                    "http.resp.bytes": rng.randrange(1500, 14000),
                    "http.resp.status": 200,
                    "http.resp.took_ms": rng.randrange(4, 80),
                    "session": uid(rng),
                }
            ),
        ),
    )


def order_ok(rng: random.Random) -> Line:
    return (
        "INFO",
        "order placed",
        (
            json.dumps(
                {
                    "http.req.id": uid(rng),
                    "http.req.method": "POST",
                    "http.req.path": "/cart/checkout",
                    "order": uid(rng),
                    "session": uid(rng),
                }
            ),
        ),
    )


def order_failed(rng: random.Random) -> Line:
    error = f'failed to complete the order: rpc error: code = Unavailable desc = shipping error: failed to ship order: rpc error: code = Internal desc = no shipping zone for country "{rng.choice(COUNTRIES)}"'
    return (
        "ERROR",
        "request error",
        (
            json.dumps(
                {
                    "error": error,
                    "http.req.id": uid(rng),
                    "http.req.method": "POST",
                    "http.req.path": "/cart/checkout",
                    "session": uid(rng),
                }
            ),
        ),
    )


def checkout_line(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return (
            "INFO",
            f'[PlaceOrder] user_id="{uid(rng)}" user_currency="{rng.choice(["USD", "GBP", "CAD", "EUR", "JPY"])}"',
            (),
        )
    return "INFO", f"payment went through (transaction_id: {uid(rng)})", ()


def payment_line(rng: random.Random) -> Line:
    if rng.random() < 0.95:
        return (
            "INFO",
            f"Transaction processed: {rng.choice(['visa', 'mastercard'])} ending {rng.randrange(1000, 9999)}     Amount: {rng.choice(['USD', 'GBP', 'CAD', 'EUR'])}{rng.randrange(10, 900)}.{rng.randrange(100):02d}",
            (),
        )
    return (
        "WARN",
        f"Sorry, we cannot process {rng.choice(['amex', 'discover', 'jcb'])} credit cards. Only VISA or MasterCard is accepted.",
        (),
    )


def currency_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", "Getting supported currencies...", ()
    if roll < 0.97:
        return "INFO", "conversion request successful", ()
    return (
        "WARN",
        f"conversion took {rng.randrange(400, 900)}ms (slow): EUR -> {rng.choice(['JPY', 'GBP', 'CAD'])}",
        (),
    )


def with_fields(records: list[Record]) -> list[Record]:
    return [
        Record(r.time, r.level, r.message, (), r.trailer[0] if r.trailer else None) for r in records
    ]


def bundle() -> Bundle:
    rng = random.Random(1150)
    rollout = ROLLOUT / 60
    after = MINUTES - rollout
    shipping = LogFile("logs/shippingservice.log", Logrus())
    shipping.add(traffic(rng, shipping_line, START, rollout - 0.4, 1500))
    shipping.add(
        [
            at(START, rollout - 0.02, "INFO", "Tracing disabled."),
            at(START, rollout - 0.015, "INFO", "Profiling disabled."),
            at(
                START,
                rollout - 0.01,
                "INFO",
                "shipping zones loaded from /etc/shipping/zones.json: 1 zone(s) [US]",
                logger=json.dumps({"build": "v0.10.4-rc2"}),
            ),
            at(START, rollout, "INFO", "Shipping Service listening on port 50051"),
        ]
    )
    shipping.add(
        traffic(rng, shipping_line, START + timedelta(minutes=rollout + 0.1), after - 0.2, 1400)
    )
    shipping.add(loud(rng, START, rollout + 0.3, after - 0.5, 160, shipping_error))
    frontend = LogFile("logs/frontend.log", Logrus())
    frontend.add(with_fields(traffic(rng, frontend_line, START, MINUTES, 4300)))
    frontend.add(with_fields(traffic(rng, order_ok, START, rollout, 190)))
    frontend.add(
        with_fields(
            traffic(rng, order_ok, START + timedelta(minutes=rollout + 0.3), after - 0.5, 230)
        )
    )
    frontend.add(with_fields(loud(rng, START, rollout + 0.3, after - 0.5, 160, order_failed)))
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(traffic(rng, checkout_line, START, MINUTES, 1500))
    checkout.add(
        [
            at(
                START,
                rollout - 2.3,
                "INFO",
                "service config: &{productCatalogSvcAddr:productcatalogservice:3550 cartSvcAddr:cartservice:7070 currencySvcAddr:currencyservice:7000 shippingSvcAddr:shippingservice:50051 emailSvcAddr:emailservice:5000 paymentSvcAddr:paymentservice:50051}",
            ),
            at(START, rollout - 2.29, "INFO", 'starting to listen on tcp: "[::]:5050"'),
        ]
    )
    payment = LogFile("logs/paymentservice.log", PinoOB("paymentservice-6c9d54b8f7-tq2vx"))
    payment.add(traffic(rng, payment_line, START, MINUTES, 1350))
    currency = LogFile("logs/currencyservice.log", PinoOB("currencyservice-77f4d8c6b9-b7m5r"))
    currency.add(traffic(rng, currency_line, START, MINUTES, 2600))

    levels = {
        "frontend": (0.094, 42, (0.0083, 0.0472), 39.5),
        "checkoutservice": (0.019, 21, (0.0421, 0.0958), 2.2),
        "shippingservice": (0.010, 16, (0.0012, 0.0031), 4.4),
        "paymentservice": (0.012, 47, (0.0011, 0.0028), 2.2),
        "currencyservice": (0.066, 60, (0.0017, 0.0050), 50.1),
        "cartservice": (0.040, 73, (0.0031, 0.0113), 13.7),
        "productcatalogservice": (0.034, 22, (0.0011, 0.0036), 57.2),
        "emailservice": (0.011, 54, (0.0021, 0.0045), 2.2),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    services["shippingservice"]["mem"] = shift(rng, 16.4, 11.2, ROLLOUT, 0.01)
    services["shippingservice"]["cpu"] = shift(rng, 0.010, 0.011, ROLLOUT, 0.08)
    services["checkoutservice"]["mem"] = shift(rng, 21.3, 14.9, ROLLOUT - 138, 0.01, ramp=60)
    services["emailservice"]["workload"] = shift(rng, 2.2, 1.4, ROLLOUT + 20, 0.08, ramp=30)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, series, 4)
        for name, series in services.items()
    }
    files |= {
        "logs/frontend.log": frontend.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/shippingservice.log": shipping.render(),
        "logs/paymentservice.log": payment.render(),
        "logs/currencyservice.log": currency.render(),
    }
    return Bundle(
        question="Since about 18:22 UTC some Online Boutique customers get an error when placing an order, yet their cards are charged; customers in the US seem fine. Which service is the root cause?",
        category="code_error",
        component="shippingservice",
        statement="The shippingservice build v0.10.4-rc2 rolled out at 18:21:38 UTC loads a shipping-zone table holding only the United States, so from then on ShipOrder fails with `no shipping zone for country` for every other destination; PlaceOrder has already charged the card, so payments succeed while those orders fail with 500s.",
        files=files,
        proofs=[
            Proof("logs/shippingservice.log", "1 zone(s) [US]"),
        ],
        decoys=[
            "starting to listen on tcp",
            "credit cards. Only VISA or MasterCard is accepted.",
            "(slow): EUR",
        ],
    )
