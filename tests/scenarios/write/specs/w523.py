# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one wide CSV): a memory hog (stress-ng --vm) inside
adservice's container from 03:51:20 UTC. adservice's `mem` climbs first from ~210 MiB toward its
512 MiB limit; ad requests slow down
until the container is OOM-killed at 03:58 and adservice logs its start-up again. frontend logs
`failed to retrieve ads` (a warning, pages still render) and its p90 latency rises. Decoys:
cartservice's Redis reconnect at 03:31, emailservice's invalid address error, recommendationservice's
slow catalog call, and frontend's ad warnings."""

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import PythonLogging, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2025, 6, 24, 3, 24, tzinfo=UTC)
MINUTES = 44
STEP = 5
FAULT = (27 * 60 + 20) // STEP
OOM = 34.3
WORDS = ["clothing", "accessories", "footwear", "hair", "decor", "kitchen", "vintage", "cycling"]


@dataclass
class Log4j2Json:
    """adservice's log4j2 JsonLayout (compact, one event per line)."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        body = {
            "instant": {
                "epochSecond": int(record.time.timestamp()),
                "nanoOfSecond": record.time.microsecond * 1000,
            },
            "thread": record.logger or f"grpc-default-executor-{self.rng.randrange(0, 12)}",
            "level": record.level,
            "loggerName": "hipstershop.AdService",
            "message": record.message,
            "endOfBatch": False,
            "loggerFqcn": "org.apache.logging.log4j.spi.AbstractLogger",
            "threadId": self.rng.randrange(14, 60),
            "threadPriority": 5,
            "logging.googleapis.com/trace": f"{self.rng.getrandbits(128):032x}",
        }
        return [json.dumps(body, separators=(",", ":"))]


@dataclass
class Logrus:
    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}118Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def ad_line(rng: random.Random) -> Line:
    if rng.random() < 0.8:
        return "INFO", f"received ad request (context_words=[{rng.choice(WORDS)}])", ()
    return "INFO", "received ad request (context_words=[])", ()


def front_line(rng: random.Random) -> Line:
    body = {
        "http.req.id": uid(rng),
        "http.req.method": "GET",
        "http.req.path": rng.choice(
            ["/", "/product/OLJCESPC7Z", "/product/LS4PSXUNUM", "/product/9SIQT8TOJO", "/cart"]
        ),
        "http.resp.bytes": rng.randrange(1500, 14000),
        "http.resp.status": 200,
        "http.resp.took_ms": max(4, int(rng.lognormvariate(0, 0.5) * 33)),
        "message": "request complete",
        "session": uid(rng),
    }
    return "DEBUG", json.dumps(body), ()


def front_ads(rng: random.Random) -> Line:
    return (
        "WARN",
        json.dumps(
            {
                "error": rng.choice(
                    [
                        "rpc error: code = DeadlineExceeded desc = context deadline exceeded",
                        'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 10.12.9.41:9555: connect: connection refused"',
                    ]
                ),
                "http.req.id": uid(rng),
                "http.req.method": "GET",
                "http.req.path": rng.choice(["/", "/product/OLJCESPC7Z", "/product/2ZYFJ3GM2N"]),
                "message": "failed to retrieve ads",
                "session": uid(rng),
            }
        ),
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(52361)
    ads = LogFile("logs/adservice.log", Log4j2Json(rng=rng))
    ads.add(traffic(rng, ad_line, START, 27.2, 1400))
    ads.add(traffic(rng, ad_line, START, MINUTES, 300))
    ads.add(
        [
            at(START, OOM + 0.9, "INFO", "AdService starting.", logger="main"),
            at(START, OOM + 1.1, "INFO", "Ad Service started, listening on 9555", logger="main"),
        ]
    )
    front = LogFile("logs/frontend.log", Logrus())
    front.add(traffic(rng, front_line, START, MINUTES, 3300))
    front.add(loud(rng, START, 28.4, MINUTES - 28.5, 260, front_ads))
    cart = LogFile("logs/cartservice.log", PythonLogging(("cartservice",), rng=rng))
    cart.add(
        traffic(
            rng,
            lambda r: ("INFO", f"GetCartAsync called with userId={uid(r)}", ()),
            START,
            MINUTES,
            900,
        )
    )
    cart.add(
        [
            at(
                START,
                7.1,
                "WARN",
                "StackExchange.Redis: connection to redis-cart:6379 lost (SocketClosed), reconnecting",
            ),
            at(START, 7.2, "INFO", "StackExchange.Redis: redis-cart:6379 reconnected"),
        ]
    )
    email = LogFile("logs/emailservice.log", PythonLogging(("emailservice-server",), rng=rng))
    email.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"A request to send order confirmation email to {r.choice(['ana', 'li', 'omar', 'kai', 'zoe'])}{r.randrange(10, 999)}@example.com has been received.",
                (),
            ),
            START,
            MINUTES,
            300,
        )
    )
    email.add(
        [
            at(
                START,
                19.8,
                "ERROR",
                "Unable to send order confirmation: invalid email address 'sam@@example.com'",
            )
        ]
    )
    reco = LogFile(
        "logs/recommendationservice.log", PythonLogging(("recommendationservice-server",), rng=rng)
    )
    reco.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[Recv ListRecommendations] product_ids={[r.choice(['OLJCESPC7Z', '66VCHSJNUP', '1YMWWN1N4O', 'L9ECAV7KIM', '2ZYFJ3GM2N']) for _ in range(5)]}",
                (),
            ),
            START,
            MINUTES,
            1100,
        )
    )
    reco.add([at(START, 30.4, "WARN", "ListProducts from productcatalogservice took 1.42s")])
    levels = {
        "frontend": (0.211, 47.3, (0.0301, 0.0842), 42.6),
        "adservice": (0.083, 211.4, (0.0031, 0.0089), 19.8),
        "cartservice": (0.069, 61.7, (0.0047, 0.0139), 13.4),
        "redis-cart": (0.024, 7.9, (0.0005, 0.0014), 13.2),
        "checkoutservice": (0.021, 23.6, (0.0402, 0.1093), 2.1),
        "currencyservice": (0.142, 69.5, (0.0021, 0.0064), 61.8),
        "emailservice": (0.017, 38.9, (0.0052, 0.0148), 2.0),
        "paymentservice": (0.009, 36.2, (0.0017, 0.0049), 2.0),
        "productcatalogservice": (0.097, 19.7, (0.0019, 0.0056), 56.3),
        "recommendationservice": (0.081, 57.3, (0.0203, 0.0561), 11.1),
        "shippingservice": (0.015, 17.4, (0.0018, 0.0049), 4.1),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    a = services["adservice"]
    rise = shift(rng, 211.4, 506.8, FAULT, 0.01, ramp=60)
    after = shift(rng, 224.0, 231.0, 0, 0.01)
    restart = int(OOM * 60 // STEP)
    a["mem"] = lambda i: rise(i) if i < restart else after(i)
    cpu = shift(rng, 0.083, 0.61, FAULT + 20, 0.1, ramp=30)
    a["cpu"] = lambda i: cpu(i) if i < restart else 0.09 + rng.random() * 0.01
    lat = shift(rng, 0.0089, 0.91, FAULT + 25, 0.2, ramp=30)
    a["latency-90"] = lambda i: lat(i) if i < restart + 12 else 0.0094 + rng.random() * 0.001
    front_lat = shift(rng, 0.0842, 0.412, FAULT + 30, 0.1, ramp=20)
    services["frontend"]["latency-90"] = lambda i: (
        front_lat(i) if i < restart + 12 else 0.089 + rng.random() * 0.01
    )
    points = MINUTES * 60 // STEP
    files = {"metrics/data.csv": wide_csv(START, STEP, points, services)}
    for log in (ads, front, cart, email, reco):
        files[log.name] = log.render()
    return Bundle(
        question="The storefront got slow around 03:55 UTC and the frontend is full of warnings. What is the root cause?",
        category="memory",
        component="adservice",
        statement="From 03:51:20 UTC a memory hog in adservice's container drives its memory from ~210 MiB to its ~512 MiB limit; ad requests slow down and the container is OOM-killed at about 03:58 and restarts (`AdService starting.`), so frontend's ad calls time out or are refused.",
        files=files,
        proofs=[
            Proof("metrics/data.csv", stamp(START, STEP, FAULT)),
            Proof("logs/adservice.log", "AdService starting."),
        ],
        decoys=[
            "connection to redis-cart:6379 lost (SocketClosed)",
            "invalid email address 'sam@@example.com'",
            "ListProducts from productcatalogservice took 1.42s",
            "failed to retrieve ads",
        ],
    )
