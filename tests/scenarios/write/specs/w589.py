# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one CSV per service): network delay (+800 ms netem) on
productcatalogservice's pod from 04:07:40 UTC. Its own log shows nothing but ordinary catalog
reloads; its latency series moves first. frontend's product pages slow down and hit the 3 s
context deadline on GetProduct/ListProducts, recommendationservice's ListProducts calls exceed
their deadline, checkoutservice's PlaceOrder slows. Decoys: currencyservice's conversion-rate
reload warning, recommendationservice's deadline errors, a frontend 404 burst from a crawler."""

import json
import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Pino, PythonLogging, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 6, 9, 3, 48, tzinfo=UTC)
MINUTES = 38
STEP = 1
FAULT = (19 * 60 + 40) // STEP
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


class Logrus:
    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}311Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def catalog_line(rng: random.Random) -> Line:
    if rng.random() < 0.9:
        return "INFO", json.dumps({"message": f"[GetProduct] id={rng.choice(PRODUCTS)}"}), ()
    return "INFO", json.dumps({"message": "successfully parsed product catalog json"}), ()


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        ["/", "/product/" + rng.choice(PRODUCTS), "/cart", "/static/img/products/mug.jpg"]
    )
    body = {
        "http.req.id": uid(rng),
        "http.req.method": "GET",
        "http.req.path": path,
        "http.resp.bytes": rng.randrange(900, 14000),
        "http.resp.status": 200,
        "http.resp.took_ms": max(2, int(rng.lognormvariate(0, 0.5) * 31)),
        "message": "request complete",
        "session": uid(rng),
    }
    return "DEBUG", json.dumps(body), ()


def frontend_404(rng: random.Random) -> Line:
    body = {
        "http.req.id": uid(rng),
        "http.req.method": "GET",
        "http.req.path": rng.choice(["/wp-login.php", "/.env", "/admin/config.php", "/xmlrpc.php"]),
        "http.resp.status": 404,
        "message": "request complete",
        "session": uid(rng),
    }
    return "DEBUG", json.dumps(body), ()


def frontend_error(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        error = "could not retrieve product: rpc error: code = DeadlineExceeded desc = context deadline exceeded"
        path = "/product/" + rng.choice(PRODUCTS)
    else:
        error = "could not retrieve products: rpc error: code = DeadlineExceeded desc = context deadline exceeded"
        path = "/"
    body = {
        "error": error,
        "http.req.id": uid(rng),
        "http.req.method": "GET",
        "http.req.path": path,
        "message": "request error",
        "session": uid(rng),
    }
    return "ERROR", json.dumps(body), ()


def reco_line(rng: random.Random) -> Line:
    ids = rng.sample(PRODUCTS, 5)
    return "INFO", f"[Recv ListRecommendations] product_ids={ids}", ()


def reco_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        'Exception calling application: <_InactiveRpcError of RPC that terminated with: status = StatusCode.DEADLINE_EXCEEDED details = "Deadline Exceeded" (ListProducts)',
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "INFO",
            json.dumps(
                {
                    "message": f'[PlaceOrder] user_id="{uid(rng)}" user_currency="{rng.choice(["USD", "EUR", "JPY", "GBP"])}"'
                }
            ),
            (),
        )
    return "INFO", json.dumps({"message": f"payment went through (transaction_id: {uid(rng)})"}), ()


def currency_line(rng: random.Random) -> Line:
    return "INFO", "conversion request successful", ()


def bundle() -> Bundle:
    rng = random.Random(58902)
    catalog = LogFile("logs/productcatalogservice.log", Logrus())
    catalog.add(traffic(rng, catalog_line, START, MINUTES, 2300))
    frontend = LogFile("logs/frontend.log", Logrus())
    frontend.add(traffic(rng, frontend_line, START, MINUTES, 3100))
    frontend.add(loud(rng, START, 6.0, 1.2, 60, frontend_404))
    frontend.add(
        [
            at(
                START,
                19.98,
                "ERROR",
                json.dumps(
                    {
                        "error": "could not retrieve product: rpc error: code = DeadlineExceeded desc = context deadline exceeded",
                        "http.req.id": "5c2f0a1e-77d1-4b0e-a3c2-90e1d4f7b812",
                        "http.req.method": "GET",
                        "http.req.path": "/product/66VCHSJNUP",
                        "http.resp.took_ms": 3002,
                        "message": "request error",
                        "session": "e0b4d6c1-3a9e-4f21-8d5b-1c7a2e9f4b30",
                    }
                ),
            )
        ]
    )
    frontend.add(loud(rng, START, 20.1, MINUTES - 20.2, 420, frontend_error))
    reco = LogFile(
        "logs/recommendationservice.log", PythonLogging(("recommendationservice-server",))
    )
    reco.add(traffic(rng, reco_line, START, MINUTES, 900))
    reco.add(loud(rng, START, 20.2, MINUTES - 20.3, 150, reco_error))
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(traffic(rng, checkout_line, START, MINUTES, 380))
    currency = LogFile("logs/currencyservice.log", Pino("currencyservice-7b9f6c5d48-m2q8z"))
    currency.add(traffic(rng, currency_line, START, MINUTES, 1800))
    currency.add(
        [
            at(
                START,
                11.4,
                "WARN",
                "Conversion rates file /usr/src/app/data/currency_conversion.json was modified; reloading 33 currencies",
            )
        ]
    )
    levels = {
        "frontend": (0.211, 55.4, (0.0301, 0.0842), 42.1),
        "productcatalogservice": (0.101, 21.7, (0.0019, 0.0058), 58.2),
        "recommendationservice": (0.082, 61.3, (0.0214, 0.0577), 11.3),
        "checkoutservice": (0.024, 25.1, (0.0412, 0.1108), 2.1),
        "currencyservice": (0.142, 71.8, (0.0023, 0.0071), 64.4),
        "cartservice": (0.075, 67.0, (0.0051, 0.0149), 13.6),
        "adservice": (0.061, 182.0, (0.0031, 0.0094), 9.8),
        "paymentservice": (0.017, 63.9, (0.0024, 0.0071), 2.1),
        "shippingservice": (0.015, 18.4, (0.0018, 0.0049), 4.2),
        "emailservice": (0.013, 43.0, (0.0033, 0.0102), 2.0),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    c = services["productcatalogservice"]
    c["latency-50"] = shift(rng, 0.0019, 0.8061, FAULT, 0.02)
    c["latency-90"] = shift(rng, 0.0058, 0.8417, FAULT, 0.03)
    c["workload"] = shift(rng, 58.2, 31.5, FAULT + 3, 0.07)
    f = services["frontend"]
    f["latency-50"] = shift(rng, 0.0301, 1.702, FAULT + 2, 0.08)
    f["latency-90"] = shift(rng, 0.0842, 3.004, FAULT + 2, 0.01)
    services["recommendationservice"]["latency-90"] = shift(rng, 0.0577, 0.912, FAULT + 2, 0.05)
    services["checkoutservice"]["latency-50"] = shift(rng, 0.0412, 0.871, FAULT + 2, 0.06)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": fn for m, fn in series.items()}, 4
        )
        for name, series in services.items()
    }
    files |= {
        "logs/frontend.log": frontend.render(),
        "logs/productcatalogservice.log": catalog.render(),
        "logs/recommendationservice.log": reco.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/currencyservice.log": currency.render(),
    }
    return Bundle(
        question="The storefront has been very slow since about 04:08 UTC and product pages often fail. Which service is the root cause?",
        category="network",
        component="productcatalogservice",
        statement="From 04:07:40 UTC a network delay of about 800 ms on productcatalogservice's pod raises its latency (p50 0.002 s to 0.8 s) while its log stays ordinary; frontend's GetProduct and ListProducts calls hit their deadline and recommendationservice and checkoutservice slow down.",
        files=files,
        proofs=[
            Proof("metrics/productcatalogservice.csv", stamp(START, STEP, FAULT)),
            Proof("logs/frontend.log", "5c2f0a1e-77d1-4b0e-a3c2-90e1d4f7b812"),
        ],
        decoys=[
            "Conversion rates file",
            "DEADLINE_EXCEEDED",
            "/wp-login.php",
        ],
    )
