# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""A code change in recommendationservice drops the bound on how many products it samples;
ListRecommendations raises `ValueError: Sample larger than population` whenever the candidate
list is short, its log shows one quiet traceback per failed call, and frontend answers 500
on /cart and warns on product pages."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import JsonLines, Record
from scenes import at, fixed, loud, python_traceback
from traffic import Line, traffic

START = datetime(2024, 9, 9, 14, 0, tzinfo=UTC)
STEP = 1
POINTS = 40 * 60
RELEASE = 18.2
FIRST_FAILURE = 18.9
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
CURRENCIES = ["EUR", "USD", "JPY", "CAD", "GBP"]
TRACEBACK = python_traceback(
    [
        (
            "/usr/local/lib/python3.12/site-packages/grpc/_server.py",
            555,
            "_call_behavior",
            "response_or_iterator = behavior(argument, context)",
        ),
        (
            "/recommendationservice/recommendation_server.py",
            68,
            "ListRecommendations",
            "indices = random.sample(range(num_products), max_responses)",
        ),
        (
            "/usr/local/lib/python3.12/random.py",
            430,
            "sample",
            'raise ValueError("Sample larger than population or is negative")',
        ),
    ],
    "ValueError: Sample larger than population or is negative",
)


@dataclass
class ContainerLog:
    """`kubectl logs --timestamps` of the Python server: its JSON logger and grpc's plain stderr lines."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond:06d}{record.time.microsecond % 997:03d}Z"
        )
        if record.logger == "grpc._server":
            body = f"ERROR:grpc._server:{record.message}"
        else:
            body = json.dumps(
                {
                    "timestamp": record.time.strftime("%Y-%m-%dT%H:%M:%S.")
                    + f"{record.time.microsecond:06d}Z",
                    "severity": record.level,
                    "name": "recommendationservice-server",
                    "message": record.message,
                }
            )
        return [f"{stamp} {body}", *(f"{stamp} {line}" for line in record.trailer)]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def recommendation_line(rng: random.Random) -> Line:
    if rng.random() < 0.93:
        picked = rng.sample(PRODUCTS, rng.randrange(0, 4))
        return "INFO", f"[Recv ListRecommendations] product_ids={picked}", ()
    return "INFO", "Health check OK", ()


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/",
            f"/product/{rng.choice(PRODUCTS)}",
            f"/product/{rng.choice(PRODUCTS)}",
            "/cart",
            "/setCurrency",
            "/_healthz",
        ]
    )
    roll = rng.random()
    if roll < 0.42:
        return (
            "DEBUG",
            f"request started http.req.id={uuid(rng)} http.req.method=GET http.req.path={path} session={uuid(rng)}",
            (),
        )
    if roll < 0.86:
        return (
            "DEBUG",
            f"request complete http.req.id={uuid(rng)} http.req.path={path} http.resp.bytes={rng.randrange(400, 9000)} http.resp.status=200 http.resp.took_ms={rng.randrange(2, 80)}",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"setting currency curr.new={rng.choice(CURRENCIES)} curr.old={rng.choice(CURRENCIES)}",
            (),
        )
    if roll < 0.99:
        return (
            "INFO",
            f"order placed http.req.path=/cart/checkout order={uuid(rng)} total={rng.randrange(10, 900)}.{rng.randrange(100):02d}",
            (),
        )
    return (
        "WARN",
        "failed to retrieve ads: rpc error: code = Unavailable desc = transport is closing",
        (),
    )


def cart_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"GetCartAsync called with userId={uuid(rng)}", ()
    if roll < 0.8:
        return (
            "INFO",
            f"AddItemAsync called with userId={uuid(rng)}, productId={rng.choice(PRODUCTS)}, quantity={rng.randrange(1, 5)}",
            (),
        )
    return "INFO", f"EmptyCartAsync called with userId={uuid(rng)}", ()


def failed_call(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Exception calling application: Sample larger than population or is negative",
        tuple(TRACEBACK),
    )


def bundle() -> Bundle:
    rng = random.Random(189)
    recommendation = LogFile("logs/recommendationservice.log", ContainerLog())
    recommendation.add(traffic(rng, recommendation_line, START, 40, 2100))
    recommendation.add(
        [
            at(START, RELEASE, "INFO", "initializing recommendationservice"),
            at(
                START, RELEASE + 0.02, "INFO", "product catalog address: productcatalogservice:3550"
            ),
            at(START, RELEASE + 0.05, "INFO", "listening on port: 8080"),
            at(START, FIRST_FAILURE, "ERROR", failed_call(rng)[1], TRACEBACK, "grpc._server"),
        ]
    )
    recommendation.add(
        [
            Record(record.time, record.level, record.message, record.trailer, "grpc._server")
            for record in loud(rng, START, FIRST_FAILURE + 0.2, 20.5, 173, failed_call)
        ]
    )
    first = at(START, FIRST_FAILURE, "ERROR", failed_call(rng)[1], TRACEBACK, "grpc._server")
    first_stamp = ContainerLog().render(first)[0].split(" ")[0]
    frontend = LogFile(
        "logs/frontend.log", JsonLines("frontend", ("timestamp", "severity", "message"), rng=rng)
    )
    frontend.add(traffic(rng, frontend_line, START, 40, 3300))
    frontend.add(
        loud(
            rng,
            START,
            FIRST_FAILURE + 0.1,
            20.5,
            188,
            fixed(
                "ERROR",
                lambda r: (
                    f'request error error="failed to get product recommendations: rpc error: code = Unknown desc = Exception calling application: Sample larger than population or is negative" http.req.id={uuid(r)} http.req.method=GET http.req.path=/cart http.resp.status=500'
                ),
            ),
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            FIRST_FAILURE + 0.3,
            20,
            140,
            fixed(
                "WARN",
                lambda r: (
                    f"failed to retrieve ads: rpc error: code = DeadlineExceeded desc = context deadline exceeded session={uuid(r)}"
                ),
            ),
        )
    )
    cart = LogFile(
        "logs/cartservice.log",
        JsonLines(
            "cartservice",
            ("@t", "@l", "@m"),
            service_key="SourceContext",
            lower_level=False,
            rng=rng,
        ),
    )
    cart.add(traffic(rng, cart_line, START, 40, 1600))
    cart.add(
        loud(
            rng,
            START,
            FIRST_FAILURE + 4,
            12,
            54,
            fixed(
                "WARN",
                lambda r: (
                    f"StackExchange.Redis.RedisTimeoutException: Timeout awaiting response (outbound=0KiB, inbound=0KiB, {r.randrange(5000, 5600)}ms elapsed, timeout is 5000ms), command=HGET, active: HGET, next: HGET, inst: 0, qu: 0, qs: {r.randrange(1, 9)}, aw: False, rs: ReadAsync, ws: Idle, in: 0, in-pipe: 0, out-pipe: 0, serverEndpoint: redis-cart:6379"
                ),
            ),
        )
    )
    services = {
        "adservice": usual_series(rng, 0.039, 209, (0.0022, 0.0071), 9.4),
        "cartservice": usual_series(rng, 0.061, 121, (0.0036, 0.0112), 22.1),
        "checkoutservice": usual_series(rng, 0.011, 30, (0.0702, 0.1511), 2.0),
        "currencyservice": usual_series(rng, 0.091, 72, (0.0012, 0.0043), 79.1),
        "frontend": usual_series(rng, 0.149, 94, (0.0171, 0.1302), 59.0),
        "productcatalogservice": usual_series(rng, 0.069, 39, (0.0017, 0.0098), 97.4),
        "recommendationservice": usual_series(rng, 0.114, 211, (0.0091, 0.0433), 15.1),
        "redis-cart": usual_series(rng, 0.021, 8, (0.0004, 0.0011), 22.1),
        "shippingservice": usual_series(rng, 0.009, 27, (0.0011, 0.0039), 4.1),
    }
    release_row = int(RELEASE * 60)
    services["recommendationservice"]["latency-50"] = shift(
        rng, 0.0091, 0.0063, release_row + 30, 0.1
    )
    services["recommendationservice"]["cpu"] = shift(rng, 0.114, 0.097, release_row + 30, 0.08)
    services["recommendationservice"]["mem"] = shift(rng, 211, 184, release_row, 0.01)
    services["adservice"]["latency-90"] = shift(rng, 0.0071, 0.1642, release_row + 70, 0.3, ramp=60)
    services["redis-cart"]["latency-90"] = shift(
        rng, 0.0011, 0.0094, release_row + 280, 0.4, ramp=30
    )
    return Bundle(
        question="why is the cart page throwing 500s since this afternoon?",
        category="code_error",
        component="recommendationservice",
        statement="The recommendationservice build rolled out at 14:18 UTC raises ValueError (Sample larger than population) in ListRecommendations whenever fewer candidate products remain, so frontend's /cart page, which needs recommendations, fails with 500.",
        files={
            "data.csv": wide_csv(START, STEP, POINTS, services),
            "logs/frontend.log": frontend.render(),
            "logs/cartservice.log": cart.render(),
            "logs/recommendationservice.log": recommendation.render(),
        },
        proofs=[
            Proof(
                "logs/recommendationservice.log",
                f"{first_stamp} ERROR:grpc._server:Exception calling application",
                "ValueError: Sample larger than population",
            ),
            Proof("logs/recommendationservice.log", "initializing recommendationservice"),
        ],
        decoys=[
            "http.req.path=/cart http.resp.status=500",
            "failed to retrieve ads: rpc error: code = DeadlineExceeded",
            "StackExchange.Redis.RedisTimeoutException",
        ],
    )
