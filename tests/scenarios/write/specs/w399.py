# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one wide CSV): a memory hog (stress-ng --vm, growing
allocations) in adservice's container from 03:11:00 UTC. adservice's `mem` climbs from ~230 MiB
towards its 1 GiB limit; its JVM answers slower, then the container is OOM-killed at ~03:24 and
restarts (a fresh start-up banner in its log, the only line of its own). frontend's ad calls hit
their deadline and it logs `failed to retrieve ads`; product pages get slow. Decoys: frontend's
ad warnings, a recommendationservice catalog refresh warning, and currencyservice's one-off
`conversion request failed` during a config reload."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Log4j, PythonLogging, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 4, 22, 2, 50, tzinfo=UTC)
MINUTES = 44
STEP = 1
FAULT = 21 * 60


@dataclass
class Logrus:
    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}118Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


@dataclass
class Pino:
    def render(self, record: Record) -> list[str]:
        return [
            json.dumps(
                {
                    "severity": record.level.lower(),
                    "time": int(record.time.timestamp() * 1000),
                    "pid": 1,
                    "hostname": "currencyservice-5c8d7b6f94-q2lzx",
                    "name": "currencyservice-server",
                    "message": record.message,
                }
            )
        ]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def ad_line(rng: random.Random) -> Line:
    words = rng.choice(
        ["[clothing, tops]", "[kitchen]", "[accessories]", "[footwear]", "[]", "[hair, beauty]"]
    )
    return "INFO", f"received ad request (context_words={words})", ()


def frontend_line(rng: random.Random) -> Line:
    body = {
        "http.req.id": uid(rng),
        "http.req.method": "GET",
        "http.req.path": rng.choice(
            ["/", "/product/OLJCESPC7Z", "/product/9SIQT8TOJO", "/cart", "/product/LS4PSXUNUM"]
        ),
        "http.resp.bytes": rng.randrange(1500, 14000),
        "http.resp.status": 200,
        "http.resp.took_ms": max(3, int(rng.lognormvariate(0, 0.5) * 31)),
        "message": "request complete",
        "session": uid(rng),
    }
    return "DEBUG", json.dumps(body), ()


def frontend_ads(rng: random.Random) -> Line:
    body = {
        "error": "rpc error: code = DeadlineExceeded desc = context deadline exceeded",
        "http.req.id": uid(rng),
        "http.req.method": "GET",
        "http.req.path": rng.choice(
            [
                "/product/OLJCESPC7Z",
                "/product/66VCHSJNUP",
                "/product/1YMWWN1N4O",
                "/product/L9ECAV7KIM",
            ]
        ),
        "message": "failed to retrieve ads",
        "session": uid(rng),
    }
    return "WARN", json.dumps(body), ()


def currency_line(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return "INFO", "Getting supported currencies...", ()
    return "INFO", "conversion request successful", ()


def reco_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[Recv ListRecommendations] product_ids={rng.sample(['OLJCESPC7Z', '66VCHSJNUP', '1YMWWN1N4O', 'L9ECAV7KIM', '2ZYFJ3GM2N', '0PUK6V6EV0', 'LS4PSXUNUM', '9SIQT8TOJO', '6E92ZMYYFZ'], 5)}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(39903)
    ads = LogFile(
        "logs/adservice.log",
        Log4j(("hipstershop.AdService",), threads="grpc-default-executor", rng=rng),
    )
    ads.add(traffic(rng, ad_line, START, MINUTES, 2600, logger="hipstershop.AdService"))
    ads.add(
        [
            at(START, 34.2, "INFO", "AdService starting.", logger="hipstershop.AdService"),
            at(START, 34.5, "INFO", "Stats enabled", logger="hipstershop.AdService"),
            at(
                START,
                34.9,
                "INFO",
                "Ad Service started, listening on 9555",
                logger="hipstershop.AdService",
            ),
        ]
    )
    frontend = LogFile("logs/frontend.log", Logrus())
    frontend.add(traffic(rng, frontend_line, START, MINUTES, 3100))
    frontend.add(loud(rng, START, 26.5, 8.4, 240, frontend_ads))
    frontend.add(loud(rng, START, 8.2, 0.4, 3, frontend_ads))
    currency = LogFile("logs/currencyservice.log", Pino())
    currency.add(traffic(rng, currency_line, START, MINUTES, 2200))
    currency.add(
        [
            at(
                START,
                13.7,
                "WARN",
                "conversion request failed: Error: ENOENT: no such file or directory, open './data/currency_conversion.json' (reloading)",
            ),
            at(START, 13.72, "INFO", "conversion data reloaded (33 currencies)"),
        ]
    )
    reco = LogFile(
        "logs/recommendationservice.log", PythonLogging(("recommendationservice-server",), rng=rng)
    )
    reco.add(traffic(rng, reco_line, START, MINUTES, 900))
    reco.add(
        [
            at(
                START,
                17.3,
                "WARN",
                "product catalog refresh took 2.41s (threshold 2s); serving cached list of 9 products",
            )
        ]
    )
    levels = {
        "frontend": (0.24, 58.0, (0.0291, 0.0874), 44.0),
        "adservice": (0.09, 231.0, (0.0036, 0.0094), 17.2),
        "cartservice": (0.07, 68.0, (0.0051, 0.0144), 13.9),
        "checkoutservice": (0.02, 25.0, (0.0402, 0.1081), 1.9),
        "currencyservice": (0.15, 72.0, (0.0023, 0.0069), 66.0),
        "emailservice": (0.01, 44.0, (0.0087, 0.0191), 1.9),
        "paymentservice": (0.01, 39.0, (0.0014, 0.0037), 1.9),
        "productcatalogservice": (0.10, 21.0, (0.0019, 0.0057), 58.1),
        "recommendationservice": (0.08, 61.0, (0.0203, 0.0549), 11.3),
        "shippingservice": (0.02, 18.5, (0.0018, 0.0049), 4.2),
        "redis-cart": (0.03, 8.3, (0.0005, 0.0013), 13.9),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    a = services["adservice"]
    oom = 34 * 60

    mem_up = shift(rng, 231.0, 1012.0, FAULT, 0.01, ramp=oom - FAULT - 40)
    mem_after = shift(rng, 238.0, 238.0, 0, 0.01)
    a["mem"] = lambda i: mem_up(i) if i < oom else mem_after(i)
    lat = shift(rng, 0.0036, 0.19, FAULT + 240, 0.2, ramp=300)
    a["latency-50"] = lambda i: lat(i) if i < oom else 0.0037
    lat90 = shift(rng, 0.0094, 0.52, FAULT + 240, 0.2, ramp=300)
    a["latency-90"] = lambda i: lat90(i) if i < oom else 0.0099
    cpu = shift(rng, 0.09, 0.41, FAULT, 0.1)
    a["cpu"] = lambda i: cpu(i) if i < oom else 0.1
    services["frontend"]["latency-90"] = shift(rng, 0.0874, 0.161, FAULT + 300, 0.08, ramp=200)
    files = {
        "metrics/data.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "logs/adservice.log": ads.render(),
        "logs/frontend.log": frontend.render(),
        "logs/currencyservice.log": currency.render(),
        "logs/recommendationservice.log": reco.render(),
    }
    return Bundle(
        question="Product pages have been slow and the ads banner keeps disappearing since a little after 03:15 UTC. Which service is causing it?",
        category="memory",
        component="adservice",
        statement="From 03:11 UTC a memory hog in adservice's container drives its memory from ~230 MiB towards its 1 GiB limit; adservice slows down and is OOM-killed and restarted at ~03:24, while frontend's ad calls hit their deadline (`failed to retrieve ads`).",
        files=files,
        proofs=[
            Proof("metrics/data.csv", stamp(START, STEP, FAULT)),
            Proof("logs/adservice.log", "AdService starting."),
        ],
        decoys=[
            "failed to retrieve ads",
            "conversion request failed: Error: ENOENT",
            "product catalog refresh took 2.41s",
        ],
    )
