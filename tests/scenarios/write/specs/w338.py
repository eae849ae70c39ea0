# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one CSV per service with a `socket` series): socket
exhaustion injected in frontend's container from 21:47:20 UTC (a stressor opening and
dropping TCP connections until the ephemeral port range is used up). frontend's socket count
climbs first; a minute later its outgoing gRPC dials fail with `connect: cannot assign
requested address`, so product, cart and checkout pages answer 500 and the load generator
reports failures. The backends' own logs stay ordinary. Decoys: a currencyservice warning
about a stale rates file, a productcatalogservice catalog reload, and the load generator's
loud failures."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Pino, PythonLogging, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 1, 17, 21, 30, tzinfo=UTC)
MINUTES = 32
STEP = 1
FAULT = 17 * 60 + 20
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
PORTS = {
    "productcatalogservice": 3550,
    "cartservice": 7070,
    "currencyservice": 7000,
    "recommendationservice": 8080,
    "adservice": 9555,
    "checkoutservice": 5050,
    "shippingservice": 50051,
}


@dataclass
class Logrus:
    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}311Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/",
            f"/product/{rng.choice(PRODUCTS)}",
            "/cart",
            "/setCurrency",
            "/static/img/products/hairdryer.jpg",
        ]
    )
    method = "POST" if path == "/setCurrency" else "GET"
    body = {
        "http.req.id": uid(rng),
        "http.req.method": method,
        "http.req.path": path,
        "http.resp.bytes": rng.randrange(800, 14000),
        "http.resp.status": 302 if method == "POST" else 200,
        "http.resp.took_ms": max(2, int(rng.lognormvariate(0, 0.5) * 24)),
        "message": "request complete",
        "session": uid(rng),
    }
    return "DEBUG", json.dumps(body), ()


def frontend_error(rng: random.Random) -> Line:
    service = rng.choice(list(PORTS))
    what = {
        "productcatalogservice": "could not retrieve products",
        "cartservice": "could not retrieve cart",
        "currencyservice": "could not retrieve currencies",
        "recommendationservice": "failed to get product recommendations",
        "adservice": "failed to retrieve ads",
        "checkoutservice": "failed to complete the order",
        "shippingservice": "failed to get shipping quote",
    }[service]
    body = {
        "error": f'{what}: rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 10.96.{rng.randrange(0, 255)}.{rng.randrange(2, 254)}:{PORTS[service]}: connect: cannot assign requested address"',
        "http.req.id": uid(rng),
        "http.req.method": "GET",
        "http.req.path": rng.choice(["/", "/cart", f"/product/{rng.choice(PRODUCTS)}"]),
        "message": "request error",
        "session": uid(rng),
    }
    return "ERROR", json.dumps(body), ()


def catalog_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return "INFO", json.dumps({"message": f"[GetProduct] id={rng.choice(PRODUCTS)}"}), ()
    return (
        "INFO",
        json.dumps({"message": f"[ListProducts] returned {rng.choice([9, 9, 9])} products"}),
        (),
    )


def currency_line(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return "INFO", "Getting supported currencies...", ()
    return (
        "INFO",
        f"conversion request successful ({rng.choice(['USD', 'EUR', 'JPY', 'CAD', 'GBP'])} -> {rng.choice(['USD', 'EUR', 'JPY', 'TRY'])})",
        (),
    )


def locust_line(rng: random.Random) -> Line:
    name = rng.choice(
        ["/", f"/product/{rng.choice(PRODUCTS)}", "/cart", "/cart/checkout", "/setCurrency"]
    )
    return (
        "INFO",
        f"{rng.choice(['GET', 'GET', 'POST'])} {name} 200 in {max(3, int(rng.lognormvariate(0, 0.6) * 35))}ms",
        (),
    )


def locust_error(rng: random.Random) -> Line:
    name = rng.choice(["/", f"/product/{rng.choice(PRODUCTS)}", "/cart", "/cart/checkout"])
    return (
        "ERROR",
        f"{'POST' if 'checkout' in name else 'GET'} {name}: HTTPError('500 Server Error: Internal Server Error for url: http://frontend:80{name}')",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(338_117)
    frontend = LogFile("logs/frontend.log", Logrus())
    frontend.add(traffic(rng, frontend_line, START, MINUTES, 3400))
    frontend.add(
        [
            at(
                START,
                18.41,
                "WARN",
                json.dumps(
                    {
                        "message": 'grpc: addrConn.createTransport failed to connect to {10.96.41.118:3550 10.96.41.118:3550 <nil> 0 <nil>}. Err: connection error: desc = "transport: Error while dialing dial tcp 10.96.41.118:3550: connect: cannot assign requested address". Reconnecting...'
                    }
                ),
            )
        ]
    )
    frontend.add(loud(rng, START, 18.45, MINUTES - 18.6, 520, frontend_error))
    catalog = LogFile("logs/productcatalogservice.log", Logrus())
    catalog.add(traffic(rng, catalog_line, START, MINUTES, 1700))
    catalog.add(
        [
            at(
                START,
                6.3,
                "INFO",
                json.dumps({"message": "successfully parsed product catalog json"}),
            ),
            at(
                START,
                6.25,
                "WARN",
                json.dumps({"message": "received SIGUSR1, reloading catalog from products.json"}),
            ),
        ]
    )
    currency = LogFile(
        "logs/currencyservice.log", Pino("currencyservice-5b7c8d4f96-qm2zn", rng=rng)
    )
    currency.add(traffic(rng, currency_line, START, MINUTES, 1900))
    currency.add(
        [
            at(
                START,
                11.7,
                "WARN",
                "currency_conversion.json is older than 24h (last modified 2026-01-15T03:00:00Z); serving cached rates",
            )
        ]
    )
    locust = LogFile(
        "logs/loadgenerator.log", PythonLogging(("locust.runners", "locust.user.task"))
    )
    locust.add(traffic(rng, locust_line, START, MINUTES, 1800))
    locust.add(loud(rng, START, 18.5, MINUTES - 18.7, 460, locust_error))
    levels = {
        "frontend": (0.241, 48.3, (0.0231, 0.0702), 44.1),
        "productcatalogservice": (0.102, 21.6, (0.0017, 0.0051), 58.3),
        "currencyservice": (0.151, 72.9, (0.0021, 0.0062), 66.0),
        "cartservice": (0.071, 64.8, (0.0046, 0.0133), 14.2),
        "recommendationservice": (0.083, 61.2, (0.0188, 0.0539), 11.4),
        "adservice": (0.049, 188.4, (0.0027, 0.0081), 12.9),
        "checkoutservice": (0.024, 25.1, (0.0401, 0.1113), 2.1),
        "shippingservice": (0.018, 17.6, (0.0015, 0.0044), 4.3),
    }
    services = {}
    for name, v in levels.items():
        series = usual_series(rng, *v)
        base = rng.uniform(40, 140)
        series["socket"] = shift(rng, base, base, 0, 0.05)
        services[name] = series
    f = services["frontend"]
    f["socket"] = shift(rng, 96.0, 28150.0, FAULT, 0.02, ramp=60)
    f["latency-90"] = shift(rng, 0.0702, 0.94, FAULT + 75, 0.2)
    f["cpu"] = shift(rng, 0.241, 0.37, FAULT, 0.1)
    for name in (
        "productcatalogservice",
        "currencyservice",
        "cartservice",
        "recommendationservice",
        "adservice",
    ):
        w = levels[name][3]
        services[name]["workload"] = shift(rng, w, w * 0.31, FAULT + 72, 0.1)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": fn for m, fn in series.items()}, 4
        )
        for name, series in services.items()
    }
    files |= {
        "logs/frontend.log": frontend.render(),
        "logs/productcatalogservice.log": catalog.render(),
        "logs/currencyservice.log": currency.render(),
        "logs/loadgenerator.log": locust.render(),
    }
    return Bundle(
        question="The shop has been throwing 500s on most pages since about 21:48 UTC. Which service is at fault and why?",
        category="network",
        component="frontend",
        statement="From 21:47:20 UTC frontend's container runs out of sockets (its socket count climbs from ~100 to ~28000 as the ephemeral port range is used up); its outgoing gRPC dials then fail with `connect: cannot assign requested address`, so pages answer 500 although every backend is healthy.",
        files=files,
        proofs=[
            Proof("metrics/frontend.csv", stamp(START, STEP, FAULT)),
            Proof(
                "logs/frontend.log",
                "addrConn.createTransport failed to connect to {10.96.41.118:3550",
            ),
        ],
        decoys=[
            "currency_conversion.json is older than 24h",
            "reloading catalog from products.json",
            "500 Server Error: Internal Server Error",
        ],
    )
