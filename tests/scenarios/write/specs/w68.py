# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""A memory hog (stress-ng --vm) in recommendationservice's container drives its memory to
the limit; only the metrics show it, and the frontend logs failed recommendation calls."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import JsonLines
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2024, 7, 2, 18, 40, tzinfo=UTC)
STEP = 5
POINTS = 50 * 60 // STEP
FAULT = 23 * 60 // STEP + 7
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


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/",
            f"/product/{rng.choice(PRODUCTS)}",
            f"/product/{rng.choice(PRODUCTS)}",
            "/cart",
            "/_healthz",
        ]
    )
    roll = rng.random()
    if roll < 0.4:
        return (
            "DEBUG",
            f"request started http.req.id={uuid(rng)} http.req.method=GET http.req.path={path} session={uuid(rng)}",
            (),
        )
    if roll < 0.82:
        return (
            "DEBUG",
            f"request complete http.req.id={uuid(rng)} http.req.path={path} http.resp.bytes={rng.randrange(400, 9000)} http.resp.status=200 http.resp.took_ms={rng.randrange(2, 80)}",
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            f"serving ad ctx_keys=[{rng.choice(['kitchen', 'footwear', 'hair', 'decor', 'accessories'])}] session={uuid(rng)}",
            (),
        )
    if roll < 0.97:
        return (
            "INFO",
            f"currency conversion fetched curr.from=USD curr.to={rng.choice(['EUR', 'JPY', 'CAD', 'GBP'])} took_ms={rng.randrange(1, 6)}",
            (),
        )
    return (
        "WARN",
        f"failed to retrieve ads: rpc error: code = Unavailable desc = transport is closing session={uuid(rng)}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(168)
    minute = FAULT * STEP / 60
    frontend = LogFile(
        "frontend.log", JsonLines("frontend", ("timestamp", "severity", "message"), rng=rng)
    )
    frontend.add(traffic(rng, frontend_line, START, 50, 3400))
    frontend.add(
        loud(
            rng,
            START,
            minute + 3.2,
            23,
            271,
            fixed(
                "ERROR",
                lambda r: (
                    f'request error error="failed to get product recommendations: rpc error: code = DeadlineExceeded desc = context deadline exceeded" http.req.id={uuid(r)} http.req.method=GET http.req.path=/product/{r.choice(PRODUCTS)}'
                ),
            ),
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            minute + 4.0,
            22,
            83,
            fixed(
                "ERROR",
                lambda r: (
                    f'request error error="failed to get product recommendations: rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial tcp 10.96.{r.randrange(10, 250)}.{r.randrange(2, 250)}:8080: connect: connection refused\\"" http.req.path=/product/{r.choice(PRODUCTS)}'
                ),
            ),
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            minute + 3.5,
            22,
            140,
            fixed(
                "WARN",
                lambda r: (
                    f"failed to retrieve ads: rpc error: code = DeadlineExceeded desc = context deadline exceeded session={uuid(r)}"
                ),
            ),
        )
    )
    services = {
        "adservice": usual_series(rng, 0.047, 231, (0.0022, 0.0071), 11.2),
        "cartservice": usual_series(rng, 0.071, 121, (0.0036, 0.0113), 24.1),
        "checkoutservice": usual_series(rng, 0.011, 33, (0.0581, 0.1402), 1.9),
        "currencyservice": usual_series(rng, 0.101, 77, (0.0013, 0.0044), 82.4),
        "emailservice": usual_series(rng, 0.009, 63, (0.0024, 0.0091), 1.9),
        "frontend": usual_series(rng, 0.163, 99, (0.0191, 0.1417), 61.7),
        "paymentservice": usual_series(rng, 0.005, 54, (0.0012, 0.0045), 1.9),
        "productcatalogservice": usual_series(rng, 0.077, 39, (0.0018, 0.0102), 104.3),
        "recommendationservice": usual_series(rng, 0.124, 191, (0.0091, 0.0437), 15.3),
        "shippingservice": usual_series(rng, 0.009, 28, (0.0012, 0.0039), 4.4),
    }
    recommendation = services["recommendationservice"]
    recommendation["mem"] = shift(rng, 191, 1497, FAULT, 0.004, ramp=36)
    recommendation["latency-50"] = shift(rng, 0.0091, 0.6214, FAULT + 38, 0.2, ramp=6)
    recommendation["latency-90"] = shift(rng, 0.0437, 2.9481, FAULT + 38, 0.15, ramp=6)
    recommendation["cpu"] = shift(rng, 0.124, 0.301, FAULT + 30, 0.12, ramp=10)
    recommendation["workload"] = shift(rng, 15.3, 9.8, FAULT + 40, 0.1, ramp=6)
    services["frontend"]["latency-90"] = shift(rng, 0.1417, 3.0322, FAULT + 39, 0.06, ramp=6)
    services["frontend"]["cpu"] = shift(rng, 0.163, 0.274, FAULT + 40, 0.08, ramp=12)
    services["adservice"]["latency-90"] = shift(rng, 0.0071, 0.0398, FAULT + 42, 0.3, ramp=12)
    services["adservice"]["mem"] = shift(rng, 231, 262, FAULT - 60, 0.01, ramp=200)
    services["cartservice"]["mem"] = shift(rng, 121, 168, 0, 0.01, ramp=POINTS)
    return Bundle(
        question="Product pages have been throwing 500s since ~19:06 UTC (Slack #oncall); root cause please, which service and why?",
        category="memory",
        component="recommendationservice",
        statement="recommendationservice's memory climbs from about 190 MiB to its 1.5 GiB limit from 19:03:35 UTC (a memory hog in its container), after which its latency jumps to seconds and the frontend's recommendation calls fail.",
        files={
            "online-boutique.csv": wide_csv(START, STEP, POINTS, services),
            "frontend.log": frontend.render(),
        },
        proofs=[
            Proof("online-boutique.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 6))
        ],
        decoys=[
            "failed to retrieve ads: rpc error: code = DeadlineExceeded",
            "connect: connection refused",
            "request error",
        ],
    )
