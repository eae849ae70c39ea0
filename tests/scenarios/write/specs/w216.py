# ruff: noqa: E501
# Hand-written log lines, spans and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout with spans): a network delay (tc netem, 3000 ms) on
recommendationservice from 11:06:30 UTC. Its p50 and p90 rise by about 3 s while its CPU
stays flat and its Python log only thins out. In the spans, frontend's ListRecommendations
client spans and recommendationservice's server spans last seconds while its
ProductCatalogService/ListProducts child spans stay at a few ms. Loud: frontend's
`failed to get product recommendations` (context canceled as the load generator's clients give
up) on /product/* and /cart, and the load generator's read timeouts. Decoys:
productcatalogservice (the child in the slow traces and the busiest service), frontend's own
errors and latency, and adservice's ordinary `Ad service` chatter with a stale JVM warning."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Log4j, PythonLogging, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2025, 8, 5, 10, 50, tzinfo=UTC)
MINUTES = 28
POINTS = MINUTES * 60
FAULT = 16 * 60 + 30
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


@dataclass
class Logrus:
    """The Go frontend's logrus JSON: the record's message is the JSON of the other fields."""

    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}640Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/",
            "/product/" + rng.choice(PRODUCTS),
            "/product/" + rng.choice(PRODUCTS),
            "/cart",
            "/setCurrency",
            "/_healthz",
        ]
    )
    method = "POST" if path == "/setCurrency" else "GET"
    return (
        "DEBUG",
        json.dumps(
            {
                "http.req.id": uid(rng),
                "http.req.method": method,
                "http.req.path": path,
                "http.resp.bytes": rng.randrange(900, 12000),
                "http.resp.status": 302 if method == "POST" else 200,
                "http.resp.took_ms": rng.randrange(3, 85),
                "message": "request complete",
                "session": uid(rng),
            }
        ),
        (),
    )


def front_slow(rng: random.Random) -> Line:
    path = rng.choice(["/product/" + rng.choice(PRODUCTS), "/cart"])
    return (
        "DEBUG",
        json.dumps(
            {
                "http.req.id": uid(rng),
                "http.req.method": "GET",
                "http.req.path": path,
                "http.resp.bytes": rng.randrange(7000, 12000),
                "http.resp.status": 200,
                "http.resp.took_ms": rng.randrange(6050, 6900),
                "message": "request complete",
                "session": uid(rng),
            }
        ),
        (),
    )


def front_error(rng: random.Random) -> Line:
    path = rng.choice(
        ["/product/" + rng.choice(PRODUCTS), "/product/" + rng.choice(PRODUCTS), "/cart"]
    )
    return (
        "ERROR",
        json.dumps(
            {
                "error": "failed to get product recommendations: rpc error: code = Canceled desc = context canceled",
                "http.req.id": uid(rng),
                "http.req.method": "GET",
                "http.req.path": path,
                "message": "request error",
                "session": uid(rng),
            }
        ),
        (),
    )


def reco_line(rng: random.Random) -> Line:
    ids = ", ".join(rng.sample(PRODUCTS, rng.randrange(1, 4)))
    return (
        "INFO",
        f"[Recv ListRecommendations] product_ids=['{ids.replace(', ', chr(39) + ', ' + chr(39))}']",
        (),
    )


def ad_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"received ad request (context_words=[{rng.choice(['clothing', 'accessories', 'kitchen', 'footwear', 'hair', 'decor'])}])",
        (),
    )


@dataclass
class Locust:
    """Locust's console log (`[time] host/LEVEL/logger: message`)."""

    def render(self, record: Record) -> list[str]:
        text = record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        return [
            f"[{text}] loadgenerator-6b7d9c8f5-rk2lz/{record.level}/locust.user.users: {record.message}"
        ]


def locust_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"GET /product/{rng.choice(PRODUCTS)}: ReadTimeout(\"HTTPConnectionPool(host='frontend', port=80): Read timed out. (read timeout=5)\")",
        (),
    )


def spans(
    rng: random.Random, start: datetime, minutes: float, count: int, delay: bool
) -> list[tuple[int, str]]:
    rows = []
    for _ in range(count):
        begin = start + timedelta(seconds=rng.random() * minutes * 60)
        t0 = int(begin.timestamp() * 1_000_000)
        trace = f"{rng.getrandbits(128):032x}"
        root, client, server, child = (f"{rng.getrandbits(64):016x}" for _ in range(4))
        catalog = rng.randrange(900, 4200)
        if delay:
            inner = catalog + rng.randrange(2_995_000, 3_030_000)
            outer = inner + rng.randrange(2_990_000, 3_040_000)
        else:
            inner = catalog + rng.randrange(2_000, 9_000)
            outer = inner + rng.randrange(600, 2_500)
        total = outer + rng.randrange(4_000, 40_000)
        rows.append((t0, f"{trace},{root},,frontend,HTTP GET /product/{{id}},{t0},{total}"))
        rows.append(
            (
                t0 + 300,
                f"{trace},{client},{root},frontend,hipstershop.RecommendationService/ListRecommendations,{t0 + 300},{outer}",
            )
        )
        rows.append(
            (
                t0 + 300 + (outer - inner) // 2,
                f"{trace},{server},{client},recommendationservice,/hipstershop.RecommendationService/ListRecommendations,{t0 + 300 + (outer - inner) // 2},{inner}",
            )
        )
        rows.append(
            (
                t0 + 300 + (outer - inner) // 2 + inner - catalog - 200,
                f"{trace},{child},{server},productcatalogservice,hipstershop.ProductCatalogService/ListProducts,{t0 + 300 + (outer - inner) // 2 + inner - catalog - 200},{catalog}",
            )
        )
    return rows


def bundle() -> Bundle:
    rng = random.Random(20216)
    fault = FAULT / 60
    after = MINUTES - fault
    front = LogFile("logs/frontend.log", Logrus())
    front.add(traffic(rng, front_line, START, MINUTES, 4100))
    front.add(loud(rng, START, fault + 0.15, after - 0.2, 260, front_slow))
    front.add(loud(rng, START, fault + 0.2, after - 0.3, 430, front_error))
    reco = LogFile(
        "logs/recommendationservice.log", PythonLogging(("recommendationservice-server",), rng=rng)
    )
    reco.add(traffic(rng, reco_line, START, fault, 2300))
    reco.add(traffic(rng, reco_line, START + timedelta(minutes=fault), after, 520))
    ads = LogFile(
        "logs/adservice.log",
        Log4j(("hipstershop.AdService",), threads="grpc-default-executor", rng=rng),
    )
    ads.add(traffic(rng, ad_line, START, MINUTES, 1500))
    ads.add(
        [
            at(
                START,
                1.3,
                "WARN",
                "Failed to export spans: UNAVAILABLE: io exception; will retry in 30s",
                logger="io.opencensus.exporter.trace.stackdriver.StackdriverTraceExporter",
            )
        ]
    )
    locust = LogFile("logs/loadgenerator.log", Locust())
    locust.add([at(START, 0.1, "INFO", "Ramping to 80 users at a rate of 4.00 per second")])
    locust.add(loud(rng, START, fault + 0.25, after - 0.35, 290, locust_error))
    rows = spans(rng, START, fault, 240, False) + spans(
        rng, START + timedelta(minutes=fault + 0.05), after - 0.1, 210, True
    )
    traces = (
        "traceID,spanID,parentSpanID,serviceName,operationName,startTime,duration\n"
        + "\n".join(row for _, row in sorted(rows))
        + "\n"
    )
    levels = {
        "frontend": (0.211, 62.4, (0.0168, 0.0811), 40.9),
        "recommendationservice": (0.125, 68.7, (0.0140, 0.0379), 19.6),
        "productcatalogservice": (0.082, 31.6, (0.0030, 0.0087), 64.7),
        "cartservice": (0.090, 150.9, (0.0042, 0.0119), 18.0),
        "currencyservice": (0.155, 70.4, (0.0021, 0.0096), 58.6),
        "checkoutservice": (0.010, 25.2, (0.0403, 0.1176), 2.7),
        "adservice": (0.042, 202.2, (0.0035, 0.0139), 14.3),
        "paymentservice": (0.011, 58.7, (0.0017, 0.0051), 2.7),
        "shippingservice": (0.013, 19.3, (0.0021, 0.0062), 5.5),
        "emailservice": (0.018, 70.4, (0.0063, 0.0170), 2.7),
        "redis-cart": (0.032, 8.2, (0.0006, 0.0019), 31.1),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    r = services["recommendationservice"]
    r["latency-50"] = shift(rng, 0.0140, 3.0172, FAULT, 0.02)
    r["latency-90"] = shift(rng, 0.0379, 3.0741, FAULT, 0.02)
    r["workload"] = shift(rng, 19.6, 7.1, FAULT + 4, 0.1, ramp=10)
    services["frontend"]["latency-90"] = shift(rng, 0.0811, 6.3408, FAULT + 2, 0.05, ramp=6)
    services["frontend"]["latency-50"] = shift(rng, 0.0168, 2.9215, FAULT + 2, 0.1, ramp=6)
    services["productcatalogservice"]["workload"] = shift(rng, 64.7, 49.8, FAULT + 4, 0.06, ramp=10)
    files = {
        "metrics.csv": wide_csv(START, 1, POINTS, services),
        "traces.csv": traces,
        "logs/frontend.log": front.render(),
        "logs/loadgenerator.log": locust.render(),
        "logs/recommendationservice.log": reco.render(),
        "logs/adservice.log": ads.render(),
    }
    return Bundle(
        question="Online Boutique product and cart pages hang and then fail since about 11:07 UTC. Which service is the root cause?",
        category="network",
        component="recommendationservice",
        statement="From 11:06:30 UTC a 3 s network delay on recommendationservice raises its p50 and p90 by about 3 s with flat CPU, while its ListProducts calls to productcatalogservice stay at a few ms; the frontend's product and cart pages wait on ListRecommendations and fail with `context canceled` as clients time out from about 11:06:45.",
        files=files,
        proofs=[Proof("metrics.csv", stamp(START, 1, FAULT), stamp(START, 1, FAULT + 2))],
        decoys=[
            "hipstershop.ProductCatalogService/ListProducts",
            "failed to get product recommendations",
            "Failed to export spans",
        ],
    )
