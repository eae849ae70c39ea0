# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 style, one wide CSV at 1 s and two logs): a CPU hog (stress-ng,
two workers) in adservice's container from 10:41:20 UTC. adservice's CPU goes to its 1-core
ceiling and its p90 to ~0.4 s; its own log carries on as usual. frontend asks for ads with a
100 ms deadline, so it logs `failed to retrieve ads` warnings (pages still render) and its
own p90 creeps up: the knock-on. Decoys: frontend's loud `request error` lines for
checkoutservice's `credit card info is invalid` (customer typos, before and after the
fault), currencyservice's workload spike at 10:30 (a crawler), and frontend's own latency."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Record
from scenes import loud
from traffic import Line, traffic

START = datetime(2025, 8, 19, 10, 20, tzinfo=UTC)
MINUTES = 36
STEP = 1
FAULT = (21 * 60 + 20) // STEP


@dataclass
class Logrus:
    """frontend's logrus JSON; the record's message is the JSON of the other fields."""

    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}441Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


@dataclass
class Log4j2Json:
    """adservice's log4j2 JsonLayout, compact, one event per line."""

    def render(self, record: Record) -> list[str]:
        return [
            json.dumps(
                {
                    "instant": {
                        "epochSecond": int(record.time.timestamp()),
                        "nanoOfSecond": record.time.microsecond * 1000,
                    },
                    "thread": "grpc-default-executor-" + str(record.time.microsecond % 7),
                    "level": record.level,
                    "loggerName": "hipstershop.AdService",
                    "message": record.message,
                    "endOfBatch": False,
                    "loggerFqcn": "org.apache.logging.log4j.spi.AbstractLogger",
                }
            )
        ]


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
WORDS = ["clothing", "accessories", "footwear", "hair", "decor", "kitchen", "vintage", "cycling"]


def req(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/product/" + rng.choice(PRODUCTS),
            "/product/" + rng.choice(PRODUCTS),
            "/cart",
            "/setCurrency",
            "/static/img/products/hairdryer.jpg",
        ]
    )
    method = "POST" if path == "/setCurrency" else "GET"
    body = {
        "http.req.id": req(rng),
        "http.req.method": method,
        "http.req.path": path,
        "session": req(rng),
    }
    roll = rng.random()
    if roll < 0.5:
        body |= {"message": "request started"}
    elif roll < 0.97:
        body |= {
            "http.resp.bytes": rng.randrange(1800, 14000),
            "http.resp.status": 302 if method == "POST" else 200,
            "http.resp.took_ms": max(2, int(rng.lognormvariate(0, 0.5) * 31)),
            "message": "request complete",
        }
    else:
        body |= {
            "message": "serving product page",
            "id": rng.choice(PRODUCTS),
            "curr": rng.choice(["USD", "EUR", "JPY", "CAD"]),
        }
    return ("DEBUG" if roll < 0.97 else "INFO"), json.dumps(body), ()


def frontend_card(rng: random.Random) -> Line:
    body = {
        "error": "failed to complete the order: rpc error: code = Internal desc = failed to charge card: could not charge the card: rpc error: code = Unknown desc = Credit card info is invalid",
        "http.req.id": req(rng),
        "http.req.method": "POST",
        "http.req.path": "/cart/checkout",
        "message": "request error",
        "session": req(rng),
    }
    return "ERROR", json.dumps(body), ()


def frontend_ads(rng: random.Random) -> Line:
    body = {
        "error": "rpc error: code = DeadlineExceeded desc = context deadline exceeded",
        "http.req.id": req(rng),
        "http.req.method": "GET",
        "http.req.path": rng.choice(["/product/" + rng.choice(PRODUCTS), "/cart"]),
        "message": "failed to retrieve ads",
        "session": req(rng),
    }
    return "WARN", json.dumps(body), ()


def ad_line(rng: random.Random) -> Line:
    words = rng.sample(WORDS, rng.choice([0, 1, 1, 2]))
    return "INFO", f"received ad request (context_words=[{', '.join(words)}])", ()


def bundle() -> Bundle:
    rng = random.Random(20247)
    frontend = LogFile("logs/frontend.log", Logrus())
    frontend.add(traffic(rng, frontend_line, START, MINUTES, 5200))
    frontend.add(loud(rng, START, 2.0, MINUTES - 2.5, 60, frontend_card))
    frontend.add(loud(rng, START, 21.45, MINUTES - 21.6, 140, frontend_ads))
    ads = LogFile("logs/adservice.log", Log4j2Json())
    ads.add(traffic(rng, ad_line, START, 21.33, 1500))
    ads.add(traffic(rng, ad_line, START + timedelta(minutes=21.33), MINUTES - 21.33, 820))
    levels = {
        "frontend": (0.212, 48.3, (0.0310, 0.0862), 41.2),
        "adservice": (0.093, 214.6, (0.0034, 0.0091), 21.0),
        "cartservice": (0.066, 61.9, (0.0052, 0.0148), 12.7),
        "checkoutservice": (0.021, 23.1, (0.0412, 0.1104), 1.9),
        "currencyservice": (0.145, 71.0, (0.0021, 0.0066), 66.4),
        "emailservice": (0.012, 44.7, (0.0125, 0.0301), 1.9),
        "paymentservice": (0.018, 52.2, (0.0017, 0.0049), 1.9),
        "productcatalogservice": (0.097, 19.8, (0.0019, 0.0057), 58.3),
        "recommendationservice": (0.081, 57.3, (0.0208, 0.0540), 11.5),
        "shippingservice": (0.015, 17.4, (0.0018, 0.0050), 4.2),
        "redis-cart": (0.030, 7.6, (0.0006, 0.0014), 12.7),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    ad = services["adservice"]
    ad["cpu"] = shift(rng, 0.093, 0.994, FAULT, 0.02, ramp=4)
    ad["latency-50"] = shift(rng, 0.0034, 0.061, FAULT, 0.2, ramp=6)
    ad["latency-90"] = shift(rng, 0.0091, 0.402, FAULT, 0.2, ramp=6)
    fe = services["frontend"]
    fe["latency-90"] = shift(rng, 0.0862, 0.1931, FAULT + 5, 0.12, ramp=10)
    cur = services["currencyservice"]
    spike = usual_series(rng, 0.145, 71.0, (0.0021, 0.0066), 66.4)
    cur["workload"] = lambda i: spike["workload"](i) * (2.6 if 590 <= i < 700 else 1.0)
    cur["cpu"] = lambda i: spike["cpu"](i) * (2.1 if 590 <= i < 700 else 1.0)
    files = {
        "metrics.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "logs/frontend.log": frontend.render(),
        "logs/adservice.log": ads.render(),
    }
    return Bundle(
        question="Online Boutique product and cart pages got slower from about 10:41 UTC. Which service is the root cause?",
        category="cpu",
        component="adservice",
        statement="From 10:41:20 UTC a CPU hog saturates adservice's container (cpu ~0.99 core, p90 0.4 s); frontend's 100 ms ad lookups hit DeadlineExceeded (`failed to retrieve ads`) and its own p90 rises as a knock-on.",
        files=files,
        proofs=[Proof("metrics.csv", stamp(START, STEP, FAULT + 3))],
        decoys=["Credit card info is invalid", "currencyservice_workload", "frontend_latency-90"],
    )
