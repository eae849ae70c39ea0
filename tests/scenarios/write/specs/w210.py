# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one wide CSV at 10 s): a memory hog (stress-ng --vm) in
the shippingservice container from 16:08:20 UTC. Its memory climbs from about 19 MiB towards
its 512Mi limit over six minutes; near the limit the kernel reclaims constantly and its
GetQuote and ShipOrder answers slow to seconds. Its own log says nothing but fewer lines; a
pasted `kubectl top pods` shows it at 498Mi. Loud: frontend's `failed to get shipping quote`
deadline errors on /cart and checkoutservice's `shipping quote failure`. Decoys: the
loadgenerator's three old restarts in `kubectl get pods`, currencyservice's ordinary
`conversion request successful` chatter being the busiest log, and checkoutservice's own
errors and latency."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Record
from scenes import loud
from traffic import Line, traffic

START = datetime(2025, 1, 14, 15, 50, tzinfo=UTC)
MINUTES = 40
STEP = 10
POINTS = MINUTES * 60 // STEP
FAULT = (18 * 60 + 20) // STEP


@dataclass
class Logrus:
    """The Go services' logrus JSON: the record's message is the JSON of the other fields."""

    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}402Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


@dataclass
class Pino:
    """currencyservice's pino JSON (`severity` and `message`, as Online Boutique configures it)."""

    def render(self, record: Record) -> list[str]:
        return [
            json.dumps(
                {
                    "severity": record.level.lower(),
                    "time": int(record.time.timestamp() * 1000),
                    "pid": 1,
                    "hostname": "currencyservice-5f7b9c7d4-t2wqn",
                    "name": "currencyservice-server",
                    "message": record.message,
                }
            )
        ]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-9{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def msg(text: str, **extra: object) -> str:
    return json.dumps({"message": text, **extra})


def shipping_line(rng: random.Random) -> Line:
    return (
        "INFO",
        msg(
            rng.choice(
                [
                    "[GetQuote] received request",
                    "[GetQuote] completed request",
                    "[ShipOrder] received request",
                    "[ShipOrder] completed request",
                    "[GetQuote] received request",
                    "[GetQuote] completed request",
                ]
            )
        ),
        (),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/",
            "/product/9SIQT8TOJO",
            "/product/LS4PSXUNUM",
            "/product/OLJCESPC7Z",
            "/cart",
            "/setCurrency",
            "/product/1YMWWN1N4O",
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
                "http.resp.bytes": rng.randrange(800, 11000),
                "http.resp.status": 302 if method == "POST" else 200,
                "http.resp.took_ms": rng.randrange(4, 80),
                "message": "request complete",
                "session": uid(rng),
            }
        ),
        (),
    )


def front_error(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "ERROR",
            json.dumps(
                {
                    "error": "failed to get shipping quote: rpc error: code = DeadlineExceeded desc = context deadline exceeded",
                    "http.req.id": uid(rng),
                    "http.req.method": "GET",
                    "http.req.path": "/cart",
                    "message": "request error",
                    "session": uid(rng),
                }
            ),
            (),
        )
    return (
        "ERROR",
        json.dumps(
            {
                "error": "failed to complete the order: rpc error: code = Internal desc = shipping quote failure: rpc error: code = DeadlineExceeded desc = context deadline exceeded",
                "http.req.id": uid(rng),
                "http.req.method": "POST",
                "http.req.path": "/cart/checkout",
                "message": "request error",
                "session": uid(rng),
            }
        ),
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return (
            "INFO",
            msg(
                f'[PlaceOrder] user_id="{uid(rng)}" user_currency="{rng.choice(["USD", "EUR", "CAD", "JPY"])}"'
            ),
            (),
        )
    return "INFO", msg(f"payment went through (transaction_id: {uid(rng)})"), ()


def checkout_error(rng: random.Random) -> Line:
    return (
        "WARN",
        msg(
            f'[PlaceOrder] failed user_id="{uid(rng)}": rpc error: code = Internal desc = shipping quote failure: rpc error: code = DeadlineExceeded desc = context deadline exceeded'
        ),
        (),
    )


def currency_line(rng: random.Random) -> Line:
    return (
        "INFO",
        rng.choice(
            [
                "conversion request successful",
                "Getting supported currencies...",
                "received conversion request",
            ]
        ),
        (),
    )


KUBECTL = """$ kubectl -n boutique get pods -o wide
NAME                                     READY   STATUS    RESTARTS      AGE   IP             NODE                 NOMINATED NODE   READINESS GATES
adservice-6c9f5d8b77-q8xzr               1/1     Running   0             6d    10.244.2.31    rca-worker-2         <none>           <none>
cartservice-74d4c6f5b9-m2lkp             1/1     Running   0             6d    10.244.1.17    rca-worker-1         <none>           <none>
checkoutservice-8d5c77f6f-7hnzd          1/1     Running   0             6d    10.244.3.12    rca-worker-3         <none>           <none>
currencyservice-5f7b9c7d4-t2wqn          1/1     Running   0             6d    10.244.2.29    rca-worker-2         <none>           <none>
emailservice-7b6c4f9b8d-xv5pf            1/1     Running   0             6d    10.244.1.21    rca-worker-1         <none>           <none>
frontend-6f9d7c8b5c-2kq9w                1/1     Running   0             6d    10.244.3.15    rca-worker-3         <none>           <none>
loadgenerator-5d8f6b7c9f-hw6tn           1/1     Running   3 (2d ago)    6d    10.244.2.40    rca-worker-2         <none>           <none>
paymentservice-6b8d9c5f7-jq4ms           1/1     Running   0             6d    10.244.1.19    rca-worker-1         <none>           <none>
productcatalogservice-77c8f5d9b6-ptl2c   1/1     Running   0             6d    10.244.3.18    rca-worker-3         <none>           <none>
recommendationservice-5b4c8d7f6-wr8nk    1/1     Running   0             6d    10.244.2.33    rca-worker-2         <none>           <none>
redis-cart-6d4f8b9c57-5zl7d              1/1     Running   0             6d    10.244.1.14    rca-worker-1         <none>           <none>
shippingservice-7c9b6f5d84-kx2vb         1/1     Running   0             6d    10.244.3.20    rca-worker-3         <none>           <none>

$ kubectl -n boutique top pods
NAME                                     CPU(cores)   MEMORY(bytes)
adservice-6c9f5d8b77-q8xzr               41m          203Mi
cartservice-74d4c6f5b9-m2lkp             88m          149Mi
checkoutservice-8d5c77f6f-7hnzd          9m           25Mi
currencyservice-5f7b9c7d4-t2wqn          152m         71Mi
emailservice-7b6c4f9b8d-xv5pf            18m          70Mi
frontend-6f9d7c8b5c-2kq9w                204m         63Mi
loadgenerator-5d8f6b7c9f-hw6tn           317m         142Mi
paymentservice-6b8d9c5f7-jq4ms           11m          59Mi
productcatalogservice-77c8f5d9b6-ptl2c   79m          32Mi
recommendationservice-5b4c8d7f6-wr8nk    121m         69Mi
redis-cart-6d4f8b9c57-5zl7d              31m          8Mi
shippingservice-7c9b6f5d84-kx2vb         347m         498Mi
"""


def bundle() -> Bundle:
    rng = random.Random(20210)
    fault = FAULT * STEP / 60
    slow = fault + 4.5
    front = LogFile("logs/frontend.log", Logrus())
    front.add(traffic(rng, front_line, START, MINUTES, 3600))
    front.add(loud(rng, START, slow, MINUTES - slow - 0.1, 610, front_error))
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(traffic(rng, checkout_line, START, MINUTES, 520))
    checkout.add(loud(rng, START, slow + 0.1, MINUTES - slow - 0.2, 160, checkout_error))
    shipping = LogFile("logs/shippingservice.log", Logrus())
    shipping.add(traffic(rng, shipping_line, START, slow, 2100))
    shipping.add(traffic(rng, shipping_line, START + timedelta(minutes=slow), MINUTES - slow, 340))
    currency = LogFile("logs/currencyservice.log", Pino())
    currency.add(traffic(rng, currency_line, START, MINUTES, 4800))
    levels = {
        "frontend": (0.204, 63.2, (0.0169, 0.0804), 40.7),
        "shippingservice": (0.013, 19.4, (0.0020, 0.0061), 5.6),
        "checkoutservice": (0.009, 25.1, (0.0401, 0.1172), 2.7),
        "currencyservice": (0.152, 70.8, (0.0022, 0.0097), 57.9),
        "cartservice": (0.088, 149.2, (0.0041, 0.0116), 18.3),
        "productcatalogservice": (0.079, 31.7, (0.0030, 0.0086), 63.8),
        "recommendationservice": (0.121, 68.9, (0.0139, 0.0377), 19.9),
        "adservice": (0.041, 202.7, (0.0034, 0.0139), 14.4),
        "paymentservice": (0.011, 58.6, (0.0016, 0.0051), 2.7),
        "emailservice": (0.018, 70.2, (0.0063, 0.0170), 2.7),
        "redis-cart": (0.031, 8.2, (0.0006, 0.0018), 31.0),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    s = services["shippingservice"]
    s["mem"] = shift(rng, 19.4, 497.6, FAULT, 0.004, ramp=36)
    s["cpu"] = shift(rng, 0.013, 0.347, FAULT, 0.06, ramp=4)
    s["latency-50"] = shift(rng, 0.0020, 1.3140, FAULT + 27, 0.15, ramp=12)
    s["latency-90"] = shift(rng, 0.0061, 4.8820, FAULT + 27, 0.12, ramp=12)
    services["frontend"]["latency-90"] = shift(rng, 0.0804, 3.9710, FAULT + 28, 0.1, ramp=12)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.1172, 4.5020, FAULT + 28, 0.1, ramp=12)
    services["checkoutservice"]["latency-50"] = shift(
        rng, 0.0401, 1.4410, FAULT + 28, 0.15, ramp=12
    )
    files = {
        "metrics.csv": wide_csv(START, STEP, POINTS, services),
        "logs/frontend.log": front.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/shippingservice.log": shipping.render(),
        "logs/currencyservice.log": currency.render(),
        "kubectl.txt": KUBECTL,
    }
    return Bundle(
        question="The cart page and checkout on our Online Boutique lab started failing with deadline errors at about 16:13 UTC. What is the root cause, and in which service?",
        category="memory",
        component="shippingservice",
        statement="From 16:08:20 UTC a memory hog in the shippingservice container drives its memory from about 19 MiB to about 498 MiB against its 512Mi limit; under constant reclaim its GetQuote answers slow to seconds from about 16:13, so frontend's /cart and checkoutservice's shipping quotes fail with DeadlineExceeded.",
        files=files,
        proofs=[
            Proof("metrics.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 36)),
            Proof("kubectl.txt", "shippingservice-7c9b6f5d84-kx2vb         347m"),
        ],
        decoys=["3 (2d ago)", "conversion request successful", "shipping quote failure"],
    )
