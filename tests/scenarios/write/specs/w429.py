# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one wide CSV at 5 s): a memory hog (stress-ng --vm)
in adservice's container from 16:37:50 UTC. adservice's `mem` series climbs from ~190 MiB to
its 300 MiB limit within a minute and stays pinned; its JVM keeps serving but with page reclaim
its GC pauses and request handling stretch to seconds (one long G1 pause line, then slow
requests). frontend's ad calls hit their deadline and home and product pages log
`failed to retrieve ads` (loud). Decoys: frontend's NotFound for a removed product, a cartservice
Redis reconnect early on, and currencyservice's slow data reload warning."""

import json
import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Log4j, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 3, 9, 16, 24, tzinfo=UTC)
MINUTES = 36
STEP = 5
FAULT = (13 * 60 + 50) // STEP
WORDS = ["clothing", "accessories", "footwear", "hair", "decor", "kitchen"]


class Logrus:
    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}311Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


class Pino:
    def render(self, record: Record) -> list[str]:
        level = {"DEBUG": 20, "INFO": 30, "WARN": 40, "ERROR": 50}[record.level]
        return [
            json.dumps(
                {
                    "level": level,
                    "time": int(record.time.timestamp() * 1000),
                    "pid": 1,
                    "hostname": "currencyservice-5f9c8b7d6d-qx2lm",
                    "name": "currencyservice-server",
                    "msg": record.message,
                }
            )
        ]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def ad_line(rng: random.Random) -> Line:
    if rng.random() < 0.9:
        return "INFO", f"received ad request (context_words=[{rng.choice(WORDS)}])", ()
    return "INFO", "received ad request (context_words=[])", ()


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/product/OLJCESPC7Z",
            "/product/9SIQT8TOJO",
            "/cart",
            "/product/L9ECAV7KIM",
            "/static/icons/Hipster_HeroLogo.svg",
        ]
    )
    return (
        "DEBUG",
        json.dumps(
            {
                "http.req.id": uid(rng),
                "http.req.method": "GET",
                "http.req.path": path,
                "http.resp.bytes": rng.randrange(900, 14000),
                "http.resp.status": 200,
                "http.resp.took_ms": rng.randrange(4, 90),
                "message": "request complete",
                "session": uid(rng),
            }
        ),
        (),
    )


def front_error(rng: random.Random) -> Line:
    return (
        "WARN",
        json.dumps(
            {
                "error": "rpc error: code = DeadlineExceeded desc = context deadline exceeded",
                "http.req.id": uid(rng),
                "http.req.path": rng.choice(["/", "/product/OLJCESPC7Z", "/product/66VCHSJNUP"]),
                "message": "failed to retrieve ads",
                "session": uid(rng),
            }
        ),
        (),
    )


def currency_line(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return "INFO", "Getting supported currencies...", ()
    return "INFO", "conversion request successful", ()


def bundle() -> Bundle:
    rng = random.Random(42929)
    ad = LogFile(
        "logs/adservice.log",
        Log4j(("hipstershop.AdService",), threads="grpc-default-executor", rng=rng),
    )
    ad.add(traffic(rng, ad_line, START, 14.0, 1500))
    ad.add(traffic(rng, ad_line, START.replace(minute=38), MINUTES - 14.0, 520))
    ad.add(
        [
            at(
                START,
                14.62,
                "WARN",
                "[gc] GC(1842) Pause Young (Normal) (G1 Evacuation Pause) 143M->97M(256M) 2871.406ms",
                logger="jvm.gc",
            ),
            at(
                START,
                14.7,
                "WARN",
                "Grpc call AdService/GetAds took 3114 ms to serve (context_words=[footwear])",
                logger="hipstershop.AdService",
            ),
        ]
    )
    front = LogFile("logs/frontend.log", Logrus())
    front.add(traffic(rng, front_line, START, MINUTES, 3300))
    front.add(loud(rng, START, 14.75, MINUTES - 14.9, 420, front_error))
    front.add(
        [
            at(
                START,
                27.1,
                "WARN",
                json.dumps(
                    {
                        "error": "could not retrieve product: rpc error: code = NotFound desc = no product with ID 2ZYFJ3GM2N",
                        "http.req.path": "/product/2ZYFJ3GM2N",
                        "message": "request error",
                    }
                ),
            )
        ]
    )
    cart = LogFile("logs/cartservice.log", Log4j(("cartservice",), rng=rng))
    cart.add(
        traffic(
            rng,
            lambda r: ("INFO", f"GetCartAsync called with userId={uid(r)}", ()),
            START,
            MINUTES,
            1700,
        )
    )
    cart.add(
        [
            at(
                START,
                3.1,
                "ERROR",
                "StackExchange.Redis.RedisConnectionException: No connection is active/available to service this operation: HGET 5d0a1f3e; UnableToConnect on redis-cart:6379/Interactive",
                logger="cartservice",
            ),
            at(START, 3.3, "INFO", "Successfully connected to Redis", logger="cartservice"),
        ]
    )
    currency = LogFile("logs/currencyservice.log", Pino())
    currency.add(traffic(rng, currency_line, START, MINUTES, 2100))
    currency.add(
        [at(START, 30.4, "WARN", "conversion data reload took 1840ms (currency_conversion.json)")]
    )
    levels = {
        "frontend": (0.211, 54.3, (0.0291, 0.0822), 41.2),
        "adservice": (0.061, 189.7, (0.0029, 0.0088), 21.6),
        "cartservice": (0.069, 71.1, (0.0046, 0.0133), 14.0),
        "checkoutservice": (0.019, 25.2, (0.0412, 0.1101), 1.9),
        "currencyservice": (0.142, 73.8, (0.0021, 0.0064), 66.1),
        "productcatalogservice": (0.097, 21.4, (0.0017, 0.0052), 57.3),
        "recommendationservice": (0.081, 61.5, (0.0188, 0.0533), 11.4),
        "shippingservice": (0.015, 17.9, (0.0016, 0.0044), 4.2),
        "emailservice": (0.012, 48.3, (0.0061, 0.0149), 1.9),
        "paymentservice": (0.009, 40.7, (0.0011, 0.0031), 1.9),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    a = services["adservice"]
    a["mem"] = shift(rng, 189.7, 297.4, FAULT, 0.004, ramp=10)
    a["latency-50"] = shift(rng, 0.0029, 0.8113, FAULT + 6, 0.2)
    a["latency-90"] = shift(rng, 0.0088, 2.9406, FAULT + 6, 0.15)
    a["cpu"] = shift(rng, 0.061, 0.204, FAULT + 3, 0.1)
    services["frontend"]["latency-90"] = shift(rng, 0.0822, 0.3157, FAULT + 7, 0.1)
    points = MINUTES * 60 // STEP
    return Bundle(
        question="Home and product pages have been slow and show no ads since about 16:38 UTC. Which service is the root cause?",
        category="memory",
        component="adservice",
        statement="From 16:37:50 UTC a memory hog in adservice's container drives its memory from ~190 MiB to its ~300 MiB limit; under memory pressure its JVM stalls (G1 pauses near 3 s) and GetAds slows to seconds, so frontend's ad calls exceed their deadline (`failed to retrieve ads`).",
        files={
            "metrics/online-boutique.csv": wide_csv(START, STEP, points, services),
            "logs/frontend.log": front.render(),
            "logs/adservice.log": ad.render(),
            "logs/cartservice.log": cart.render(),
            "logs/currencyservice.log": currency.render(),
        },
        proofs=[
            Proof("metrics/online-boutique.csv", stamp(START, STEP, FAULT)),
            Proof("logs/adservice.log", "GC(1842) Pause Young"),
        ],
        decoys=[
            "no product with ID 2ZYFJ3GM2N",
            "RedisConnectionException",
            "conversion data reload took",
        ],
    )
