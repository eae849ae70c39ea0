# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 style: one wide CSV at 5 s, logs in UTC): a memory hog
(stress-ng --vm) in productcatalogservice's container from 19:07:20 UTC. Its `mem` series climbs
from ~24 MiB towards its 512 MiB limit over six minutes, its latency rises as the kernel
reclaims, and at 19:13:50 the container is OOM-killed and restarts (its log only shows a new
start-up). frontend logs `could not retrieve products` (DeadlineExceeded, then connection
refused during the restart) and recommendationservice fails to list products. Decoys:
frontend's errors, checkoutservice's email-confirmation warning before the fault, and
currencyservice's slow conversion warning."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import PythonLogging, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 3, 12, 18, 49, tzinfo=UTC)
MINUTES = 36
STEP = 5
FAULT = (18 * 60 + 20) // STEP
OOM = (24 * 60 + 50) // STEP
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
    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}318Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def catalog_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return "DEBUG", json.dumps({"message": f"[GetProduct] id={rng.choice(PRODUCTS)}"}), ()
    return (
        "DEBUG",
        json.dumps(
            {
                "message": f"[SearchProducts] query={rng.choice(['kitchen', 'vintage', 'watch', 'hairdryer'])}"
            }
        ),
        (),
    )


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            f"/product/{rng.choice(PRODUCTS)}",
            "/cart",
            "/static/img/products/mug.jpg",
            "/setCurrency",
        ]
    )
    body = {
        "http.req.id": uid(rng),
        "http.req.method": "POST" if path == "/setCurrency" else "GET",
        "http.req.path": path,
        "http.resp.bytes": rng.randrange(900, 14000),
        "http.resp.status": 302 if path == "/setCurrency" else 200,
        "http.resp.took_ms": max(2, int(rng.lognormvariate(0, 0.5) * 24)),
        "message": "request complete",
        "session": uid(rng),
    }
    return "DEBUG", json.dumps(body), ()


def frontend_error(rng: random.Random) -> Line:
    path = rng.choice(["/", f"/product/{rng.choice(PRODUCTS)}"])
    cause = rng.choice(
        ["rpc error: code = DeadlineExceeded desc = context deadline exceeded"] * 3
        + [
            'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing dial tcp 10.52.3.41:3550: connect: connection refused"'
        ]
    )
    what = "could not retrieve products" if path == "/" else "could not retrieve product"
    return (
        "ERROR",
        json.dumps(
            {
                "error": f"{what}: {cause}",
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
    return "INFO", f"[Recv ListRecommendations] product_ids={rng.sample(PRODUCTS, 4)}", ()


def reco_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        'Exception calling application: <_InactiveRpcError of RPC that terminated with: status = StatusCode.DEADLINE_EXCEEDED details = "Deadline Exceeded" debug_error_string = "UNKNOWN:Deadline Exceeded {grpc_status:4}">',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(26903)
    catalog = LogFile("logs/productcatalogservice.log", Logrus())
    catalog.add(traffic(rng, catalog_line, START, MINUTES, 700))
    restart = 24.0 + 50 / 60 + 0.12
    catalog.add(
        [
            at(
                START,
                restart,
                "INFO",
                json.dumps({"message": "successfully parsed product catalog json"}),
            ),
            at(
                START,
                restart + 0.01,
                "INFO",
                json.dumps({"message": "starting grpc server at :3550"}),
            ),
            at(START, restart + 0.02, "INFO", json.dumps({"message": "Tracing enabled."})),
        ]
    )
    frontend = LogFile("logs/frontend.log", Logrus())
    frontend.add(traffic(rng, frontend_line, START, MINUTES, 3300))
    frontend.add(loud(rng, START, 20.6, 4.4, 120, frontend_error))
    frontend.add(loud(rng, START, 25.0, MINUTES - 25.1, 25, frontend_error))
    reco = LogFile(
        "logs/recommendationservice.log", PythonLogging(("recommendationservice-server",), rng=rng)
    )
    reco.add(traffic(rng, reco_line, START, MINUTES, 900))
    reco.add(loud(rng, START, 20.8, 4.2, 60, reco_error))
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                json.dumps({"message": f"payment went through (transaction_id: {uid(r)})"}),
                (),
            ),
            START,
            MINUTES,
            260,
        )
    )
    checkout.add(
        [
            at(
                START,
                7.4,
                "WARN",
                json.dumps(
                    {
                        "message": 'failed to send order confirmation to "tim.b@example.com": rpc error: code = Unavailable desc = connection error'
                    }
                ),
            )
        ]
    )
    currency = LogFile("logs/currencyservice.log", Logrus())
    currency.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                json.dumps(
                    {
                        "message": f"conversion request successful ({r.choice(['USD', 'EUR', 'JPY', 'CAD'])})"
                    }
                ),
                (),
            ),
            START,
            MINUTES,
            1500,
        )
    )
    currency.add(
        [
            at(
                START,
                12.9,
                "WARN",
                json.dumps({"message": "conversion took 412ms: ECB rates file reloaded"}),
            )
        ]
    )
    levels = {
        "frontend": (0.22, 54.0, (0.027, 0.083), 41.0),
        "productcatalogservice": (0.09, 24.0, (0.0019, 0.0058), 58.0),
        "recommendationservice": (0.08, 61.0, (0.021, 0.057), 11.0),
        "checkoutservice": (0.02, 26.0, (0.041, 0.109), 2.1),
        "currencyservice": (0.14, 71.0, (0.0023, 0.0068), 64.0),
        "cartservice": (0.07, 67.0, (0.005, 0.014), 13.0),
        "adservice": (0.05, 188.0, (0.0031, 0.0094), 9.2),
        "shippingservice": (0.02, 18.0, (0.0017, 0.0046), 4.1),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    pc = services["productcatalogservice"]
    ramp = OOM - FAULT
    hog = shift(rng, 24.0, 505.0, FAULT, 0.01, ramp=ramp)
    pc["mem"] = lambda i: hog(i) if i < OOM else 23.0 + rng.gauss(0, 0.3)
    slow50 = shift(rng, 0.0019, 0.38, FAULT + ramp // 2, 0.2, ramp=ramp // 2)
    slow90 = shift(rng, 0.0058, 1.9, FAULT + ramp // 2, 0.2, ramp=ramp // 2)
    pc["latency-50"] = lambda i: slow50(i) if i < OOM + 6 else 0.0019 + rng.gauss(0, 0.0002)
    pc["latency-90"] = lambda i: slow90(i) if i < OOM + 6 else 0.0058 + rng.gauss(0, 0.0006)
    fr = shift(rng, 0.083, 2.4, FAULT + ramp // 2 + 1, 0.1, ramp=ramp // 2)
    services["frontend"]["latency-90"] = lambda i: (
        fr(i) if i < OOM + 8 else 0.09 + rng.gauss(0, 0.01)
    )
    points = MINUTES * 60 // STEP
    return Bundle(
        question="The shop's home and product pages got slow and then started erroring around 19:10 UTC, with a short outage near 19:14. What is the root cause?",
        category="memory",
        component="productcatalogservice",
        statement="From 19:07:20 UTC a memory hog in productcatalogservice's container grows its memory from ~24 MiB towards its 512 MiB limit; it slows down under reclaim and is OOM-killed and restarted at about 19:13:50, so frontend's product calls time out and are refused.",
        files={
            "metrics/data.csv": wide_csv(START, STEP, points, services),
            "logs/productcatalogservice.log": catalog.render(),
            "logs/frontend.log": frontend.render(),
            "logs/recommendationservice.log": reco.render(),
            "logs/checkoutservice.log": checkout.render(),
            "logs/currencyservice.log": currency.render(),
        },
        proofs=[
            Proof("metrics/data.csv", stamp(START, STEP, FAULT)),
            Proof("logs/productcatalogservice.log", "successfully parsed product catalog json"),
        ],
        decoys=[
            "could not retrieve products",
            "failed to send order confirmation",
            "conversion took 412ms",
        ],
    )
