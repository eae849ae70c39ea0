# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one wide CSV): a CPU hog (stress-ng) in the adservice
container from 10:41:20 UTC. adservice's cpu goes from about 0.09 to its 1-core limit and its
p90 latency from 30 ms to about 1.4 s; its own Java log only shows GC and a thread-starvation
warning from the gRPC executor. Loud: the frontend's `failed to retrieve ads` warnings (100 ms
deadline) on every page and its p90 creeping up. Decoys: the frontend's warnings, a
currencyservice restart at 10:29, and recommendationservice's memory being the highest."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Log4j, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2024, 11, 5, 10, 20, tzinfo=UTC)
STEP = 1
MINUTES = 40
POINTS = MINUTES * 60 // STEP
FAULT = 21 * 60 + 20


@dataclass
class FrontendJson:
    """Online Boutique frontend's logrus JSON lines."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp_text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond * 1000:09d}Z"
        )
        body: dict[str, object] = {}
        if record.logger:
            body.update(json.loads(record.logger))
        body["message"] = record.message
        body["severity"] = {"WARN": "warning", "ERROR": "error", "DEBUG": "debug"}.get(
            record.level, "info"
        )
        body["timestamp"] = stamp_text
        return [json.dumps(body, separators=(",", ":"))]


def session(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}"


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


def frontend_records(
    rng: random.Random, start: datetime, minutes: float, count: int, slow: bool
) -> list[Record]:
    records = []
    for record in traffic(rng, lambda r: ("DEBUG", "", ()), start, minutes, count):
        path = rng.choice(
            [
                "/",
                "/",
                "/product/" + rng.choice(PRODUCTS),
                "/cart",
                "/setCurrency",
                "/product/" + rng.choice(PRODUCTS),
            ]
        )
        method = "POST" if path == "/setCurrency" else "GET"
        fields = {
            "http.req.id": session(rng),
            "http.req.method": method,
            "http.req.path": path,
            "session": session(rng),
        }
        records.append(Record(record.time, "DEBUG", "request started", (), json.dumps(fields)))
        elapsed = int(rng.lognormvariate(0, 0.4) * (160 if slow and path != "/cart" else 38) * 1000)
        if slow and path.startswith(("/product", "/")) and path not in ("/cart", "/setCurrency"):
            warn = dict(
                fields, error="rpc error: code = DeadlineExceeded desc = context deadline exceeded"
            )
            records.append(
                Record(record.time, "WARN", "failed to retrieve ads", (), json.dumps(warn))
            )
        done = dict(
            fields,
            **{
                "http.resp.bytes": rng.randrange(7000, 14000),
                "http.resp.status": 302 if method == "POST" else 200,
                "http.resp.took_ms": elapsed // 1000,
            },
        )
        records.append(Record(record.time, "DEBUG", "request complete", (), json.dumps(done)))
    return records


def ad_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f"received ad request (context_words=[{rng.choice(['clothing', 'accessories', 'footwear', 'hair', 'decor', 'kitchen'])}])",
            (),
        )
    if roll < 0.95:
        return "INFO", "received ad request (context_words=[])", ()
    return (
        "INFO",
        f"[GC (Allocation Failure) {rng.randrange(38000, 52000)}K->{rng.randrange(9000, 14000)}K({rng.randrange(120000, 126000)}K), 0.00{rng.randrange(180, 900)} secs]",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20227)
    fault_minute = FAULT * STEP / 60
    front = LogFile("logs/frontend.log", FrontendJson(rng))
    front.records.extend(frontend_records(rng, START, fault_minute, 1500, False))
    front.records.extend(
        frontend_records(
            rng, START.replace(minute=41, second=32), MINUTES - fault_minute - 0.3, 1100, True
        )
    )
    front.add(
        [
            at(
                START,
                9.1,
                "ERROR",
                "request error",
                (),
                json.dumps(
                    {
                        "error": 'failed to convert currency: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 10.52.6.118:7000: connect: connection refused"',
                        "http.req.method": "POST",
                        "http.req.path": "/setCurrency",
                    }
                ),
            )
        ]
    )
    ads = LogFile(
        "logs/adservice.log",
        Log4j(("hipstershop.AdService",), threads="grpc-default-executor", rng=rng),
    )
    ads.add(traffic(rng, ad_line, START, fault_minute, 1300))
    ads.add(
        traffic(
            rng, ad_line, START.replace(minute=41, second=22), MINUTES - fault_minute - 0.1, 310
        )
    )
    ads.add(
        [
            at(
                START,
                25.3,
                "WARN",
                "Thread starvation or clock leap detected (housekeeper delta=1m14s).",
                (),
                "io.grpc.netty.shaded.io.netty.util.concurrent.SingleThreadEventExecutor",
            )
        ]
    )
    checkout = LogFile("logs/checkoutservice.log", FrontendJson(rng))
    checkout.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            260,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        '[PlaceOrder] user_id="' + session(r) + '" user_currency="USD"',
                        "payment went through (transaction_id: " + session(r) + ")",
                        'order confirmation email sent to "someone@example.com"',
                    ]
                ),
                (),
            ),
        )
    )
    levels = {
        "frontend": (0.141, 52.4, (0.038, 0.091), 41.2),
        "adservice": (0.089, 171.6, (0.0041, 0.0312), 30.7),
        "cartservice": (0.062, 63.1, (0.0029, 0.0078), 18.5),
        "checkoutservice": (0.021, 24.9, (0.0112, 0.0281), 1.9),
        "currencyservice": (0.118, 48.2, (0.0018, 0.0046), 64.3),
        "emailservice": (0.012, 38.5, (0.0031, 0.0089), 1.9),
        "paymentservice": (0.009, 39.9, (0.0012, 0.0031), 1.9),
        "productcatalogservice": (0.077, 19.4, (0.0022, 0.0069), 57.8),
        "recommendationservice": (0.093, 338.7, (0.0101, 0.0342), 19.6),
        "shippingservice": (0.014, 11.8, (0.0016, 0.0047), 6.1),
        "redis-cart": (0.027, 9.3, (0.0004, 0.0011), 22.9),
    }
    series = {name: usual_series(rng, *values) for name, values in levels.items()}
    ad = series["adservice"]
    ad["cpu"] = shift(rng, 0.089, 0.991, FAULT, 0.02, ramp=4)
    ad["latency-50"] = shift(rng, 0.0041, 0.612, FAULT + 2, 0.15, ramp=20)
    ad["latency-90"] = shift(rng, 0.0312, 1.417, FAULT + 2, 0.15, ramp=20)
    ad["workload"] = shift(rng, 30.7, 30.2, FAULT, 0.06)
    series["frontend"]["latency-90"] = shift(rng, 0.091, 0.208, FAULT + 6, 0.1, ramp=20)
    series["frontend"]["latency-50"] = shift(rng, 0.038, 0.131, FAULT + 6, 0.1, ramp=20)
    currency_cpu = series["currencyservice"]["cpu"]
    series["currencyservice"]["cpu"] = lambda i: currency_cpu(i) * (0.04 if 540 <= i < 566 else 1.0)
    files = {
        "metrics.csv": wide_csv(START, STEP, POINTS, series),
        "logs/frontend.log": front.render(),
        "logs/adservice.log": ads.render(),
        "logs/checkoutservice.log": checkout.render(),
    }
    return Bundle(
        question="Since about 10:41 UTC the Online Boutique frontend is slower and logs warnings on almost every page. Which service is the root cause?",
        category="cpu",
        component="adservice",
        statement="From 10:41:20 UTC a CPU hog in the adservice container drives its CPU to about one full core; its p90 latency goes from about 30 ms to 1.4 s, the frontend's 100 ms ad calls hit DeadlineExceeded (`failed to retrieve ads`) and its page latency rises.",
        files=files,
        proofs=[Proof("metrics.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 4))],
        decoys=[
            "failed to retrieve ads",
            "connect: connection refused",
            "recommendationservice_mem",
        ],
    )
