# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""productcatalogservice's container is pinned at its CPU limit by a CPU hog; frontend and
recommendationservice report deadline errors while the catalog itself logs nothing unusual."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, service_metrics, shift
from records import JsonLines
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2025, 6, 3, 10, 0, tzinfo=UTC)
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
STEP = 30
FAULT_INDEX = 22 * 60 // STEP


def frontend_line(rng: random.Random) -> Line:
    session = f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"
    path = rng.choice(
        [
            "/",
            "/",
            f"/product/{rng.choice(PRODUCTS)}",
            f"/product/{rng.choice(PRODUCTS)}",
            "/cart",
            "/_healthz",
            "/static/img/products/hairdryer.jpg",
        ]
    )
    roll = rng.random()
    if roll < 0.4:
        return "DEBUG", f"request started method=GET path={path} session={session}", ()
    if roll < 0.8:
        return (
            "DEBUG",
            f"request complete method=GET path={path} status=200 bytes={rng.randrange(400, 9000)} elapsed={rng.randrange(2, 60)}.{rng.randrange(1000):03d}ms session={session}",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"setting currency currency={rng.choice(['EUR', 'USD', 'JPY', 'CAD', 'GBP', 'TRY'])} session={session}",
            (),
        )
    if roll < 0.97:
        return (
            "DEBUG",
            f"serving ad context_keys=[{rng.choice(['kitchen', 'footwear', 'hair', 'decor', 'accessories'])}] session={session}",
            (),
        )
    if roll < 0.99:
        return (
            "WARN",
            f"failed to retrieve ads: rpc error: code = Unavailable desc = transport is closing (ads are optional) session={session}",
            (),
        )
    return (
        "ERROR",
        f"request error: method=GET path=/product/XXXXXXXXXX status=404 error=could not retrieve product: rpc error: code = NotFound desc = no product with ID XXXXXXXXXX session={session}",
        (),
    )


def catalog_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"[GetProduct] id={rng.choice(PRODUCTS)}", ()
    if roll < 0.8:
        return "INFO", f"[ListProducts] returned {len(PRODUCTS)} products", ()
    if roll < 0.95:
        return (
            "INFO",
            f"[SearchProducts] query={rng.choice(['mug', 'watch', 'tank', 'sunglasses', 'candle'])} results={rng.randrange(0, 3)}",
            (),
        )
    return "INFO", "successfully parsed product catalog json", ()


def recommendation_line(rng: random.Random) -> Line:
    picks = rng.sample(PRODUCTS, 3)
    if rng.random() < 0.7:
        return "INFO", f"[Recv ListRecommendations] product_ids={picks}", ()
    return (
        "INFO",
        f"list_recommendations for user {rng.getrandbits(32):08x} in {rng.randrange(4, 30)}ms",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(137)
    frontend = LogFile(
        "logs/frontend.log", JsonLines("frontend", ("timestamp", "severity", "message"), rng=rng)
    )
    frontend.add(traffic(rng, frontend_line, START, 60, 2210))
    frontend.add(
        loud(
            rng,
            START,
            22.6,
            37,
            402,
            fixed(
                "ERROR",
                lambda r: (
                    f"request error: method=GET path=/product/{r.choice(PRODUCTS)} status=500 error=could not retrieve product: rpc error: code = DeadlineExceeded desc = context deadline exceeded"
                ),
            ),
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            23.0,
            36,
            188,
            fixed(
                "ERROR",
                lambda r: (
                    "request error: method=GET path=/ status=500 error=could not retrieve products: rpc error: code = DeadlineExceeded desc = context deadline exceeded"
                ),
            ),
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            24.0,
            35,
            121,
            fixed(
                "WARN",
                lambda r: (
                    f"failed to get product recommendations: rpc error: code = Unavailable desc = recommendationservice: upstream request timeout ({r.randrange(3000, 3100)}ms)"
                ),
            ),
        )
    )
    catalog = LogFile(
        "logs/productcatalogservice.log",
        JsonLines("productcatalogservice", ("timestamp", "severity", "message"), rng=rng),
    )
    catalog.add(traffic(rng, catalog_line, START, 60, 1460))
    recommendation = LogFile(
        "logs/recommendationservice.log",
        JsonLines(
            "recommendationservice",
            ("timestamp", "severity", "message"),
            service_key="name",
            lower_level=False,
            rng=rng,
        ),
    )
    recommendation.add(traffic(rng, recommendation_line, START, 60, 840))
    recommendation.add(
        loud(
            rng,
            START,
            22.8,
            37,
            233,
            fixed(
                "ERROR",
                lambda r: (
                    f'Exception calling application: <_InactiveRpcError of RPC that terminated with: status = StatusCode.DEADLINE_EXCEEDED details = "Deadline Exceeded" debug_error_string = "UNKNOWN:Deadline Exceeded {{grpc_status:4, created_time:\\"2025-06-03T10:{r.randrange(23, 59)}:{r.randrange(60):02d}.{r.randrange(10**6):06d}+00:00\\"}}">'
                ),
            ),
        )
    )
    recommendation.add(
        loud(
            rng,
            START,
            25.0,
            30,
            40,
            fixed(
                "WARN",
                lambda r: f"grpc worker pool busy: {r.randrange(9, 11)} of 10 threads in use",
            ),
        )
    )
    points = 3600 // STEP
    frontend_series = service_metrics(rng, 22, 96, (18, 140), 0.2, 58)
    frontend_series["latency_p99_ms"] = shift(rng, 140, 3050, FAULT_INDEX + 1, 0.08, ramp=2)
    frontend_series["latency_p50_ms"] = shift(rng, 18, 640, FAULT_INDEX + 1, 0.1, ramp=2)
    frontend_series["error_rate_percent"] = shift(rng, 0.2, 17.5, FAULT_INDEX + 1, 0.15, ramp=3)
    catalog_series = service_metrics(rng, 14, 38, (2, 11), 0.0, 310)
    catalog_series["cpu_usage_percent"] = shift(rng, 14, 99.2, FAULT_INDEX, 0.01)
    catalog_series["latency_p50_ms"] = shift(rng, 2, 420, FAULT_INDEX, 0.1, ramp=2)
    catalog_series["latency_p99_ms"] = shift(rng, 11, 2650, FAULT_INDEX, 0.1, ramp=2)
    catalog_series["requests_per_s"] = shift(rng, 310, 228, FAULT_INDEX + 1, 0.06, ramp=2)
    recommendation_series = service_metrics(rng, 31, 212, (9, 48), 0.1, 41)
    recommendation_series["cpu_usage_percent"] = shift(rng, 31, 74, FAULT_INDEX + 1, 0.08, ramp=3)
    recommendation_series["latency_p99_ms"] = shift(rng, 48, 3100, FAULT_INDEX + 1, 0.05, ramp=2)
    recommendation_series["error_rate_percent"] = shift(
        rng, 0.1, 41.0, FAULT_INDEX + 1, 0.1, ramp=3
    )
    checkout_series = service_metrics(rng, 9, 31, (35, 160), 0.1, 3.2)
    currency_series = service_metrics(rng, 26, 70, (1.5, 6), 0.0, 420)
    cart_series = service_metrics(rng, 11, 140, (3, 14), 0.0, 36)
    return Bundle(
        question="p99 latency alert on frontend (3 s, threshold 500 ms) since about 10:23 UTC. Which service is the root cause?",
        category="cpu",
        component="productcatalogservice",
        statement="productcatalogservice is CPU-saturated at its limit (a CPU hog in its container from 10:22), so its RPCs take seconds and frontend and recommendationservice hit their deadlines.",
        files={
            "logs/frontend.log": frontend.render(),
            "logs/productcatalogservice.log": catalog.render(),
            "logs/recommendationservice.log": recommendation.render(),
            "metrics/frontend.csv": csv_text(START, STEP, points, frontend_series, decimals=2),
            "metrics/productcatalogservice.csv": csv_text(
                START, STEP, points, catalog_series, decimals=2
            ),
            "metrics/recommendationservice.csv": csv_text(
                START, STEP, points, recommendation_series, decimals=2
            ),
            "metrics/checkoutservice.csv": csv_text(
                START, STEP, points, checkout_series, decimals=2
            ),
            "metrics/currencyservice.csv": csv_text(
                START, STEP, points, currency_series, decimals=2
            ),
            "metrics/cartservice.csv": csv_text(START, STEP, points, cart_series, decimals=2),
        },
        proofs=[
            Proof(
                "metrics/productcatalogservice.csv", "2025-06-03T10:22:00Z", "2025-06-03T10:23:00Z"
            )
        ],
        decoys=["StatusCode.DEADLINE_EXCEEDED", "grpc worker pool busy", "code = DeadlineExceeded"],
    )
