# ruff: noqa: E501
# Hand-written log lines, kubectl rows and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE1/RE2 style: one wide CSV at 1 s, the front-end's log and a
`kubectl get pods` snapshot): packet loss (tc netem loss 40%) on catalogue's pod from
03:26:05 UTC. Its p90 jumps by TCP retransmission timeouts, its workload dips, its CPU does
not move; catalogue's own log is not in the bundle. The front-end, which proxies every
catalogue and product page, logs `read ECONNRESET` / `socket hang up` on
http://catalogue/... and answers 500 on /catalogue: the loudest errors are in the caller.
Decoys: the front-end's errors and its restart count (one restart four days ago),
catalogue-db's CPU bump at 03:10 from the nightly `ANALYZE TABLE`, and carts' p90 (a slow
Mongo query pattern present all along)."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Record
from scenes import loud
from traffic import Line, traffic

START = datetime(2025, 12, 1, 3, 5, tzinfo=UTC)
MINUTES = 30
STEP = 1
FAULT = 21 * 60 + 5


@dataclass
class NodeConsole:
    """The Node front-end's stdout as `kubectl logs --timestamps` shows it."""

    def render(self, record: Record) -> list[str]:
        head = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}803Z"
        return [f"{head} {record.message}", *(f"{head} {line}" for line in record.trailer)]


ITEMS = [
    "03fef6ac-1896-4ce8-bd69-b798f85c6e0b",
    "3395a43e-2d88-40de-b95f-e00e1502085b",
    "510a0d7e-8e83-4193-b483-e27e09ddc34d",
    "808a2de1-1aaa-4c25-a9b9-6612e8f29a38",
    "819e1fbf-8b7e-4f6d-811f-693534916a8b",
    "zzz4f044-b040-410d-8ead-4de0446aec7e",
    "d3588630-ad8e-49df-bbd7-3167f7efb246",
]


def front_line(rng: random.Random) -> Line:
    path, size = rng.choice(
        [
            ("/catalogue?page=1&size=6&tags=", 2871),
            ("/catalogue/size?tags=", 15),
            ("/catalogue/" + rng.choice(ITEMS), 351),
            ("/cart", 406),
            ("/tags", 107),
            ("/index.html", 8688),
            ("/customers/57a98d98e4b00679b4a830b2", 241),
        ]
    )
    return "INFO", f"GET {path} 200 {rng.lognormvariate(0, 0.45) * 11:.3f} ms - {size}", ()


def front_error(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        path = rng.choice(
            [
                "/catalogue?page=1&size=6&tags=",
                "/catalogue/" + rng.choice(ITEMS),
                "/catalogue/size?tags=",
            ]
        )
        return "ERROR", f"GET {path} 500 {rng.uniform(1000, 3200):.3f} ms - 67", ()
    if roll < 0.75:
        return (
            "ERROR",
            "Error: read ECONNRESET",
            ("    at TCP.onStreamRead (internal/stream_base_commons.js:111:27)",),
        )
    return (
        "ERROR",
        "Error: socket hang up",
        (
            "    at createHangUpError (_http_client.js:323:15)",
            "    at Socket.socketOnEnd (_http_client.js:426:23)",
            "    at Socket.emit (events.js:198:15)",
        ),
    )


PODS = """NAME                            READY   STATUS    RESTARTS      AGE
carts-5b7d94f6c7-8kq2n          1/1     Running   0             6d2h
carts-db-6c4f8d9b57-wz7pm       1/1     Running   0             6d2h
catalogue-7c8bd9b6b5-mr4xd      1/1     Running   0             6d2h
catalogue-db-5f5c7b58d8-2h9fq   1/1     Running   0             6d2h
front-end-6f4c8b7d9-qv2ls       1/1     Running   1 (4d ago)    6d2h
orders-74d9f5c8b6-c8jxw         1/1     Running   0             6d2h
orders-db-7d5b9c6f4d-kk5tn      1/1     Running   0             6d2h
payment-66b4d7c9f8-pw6fz        1/1     Running   0             6d2h
queue-master-58f9c5d47b-zq7rh   1/1     Running   0             6d2h
rabbitmq-6d7f94c5b8-9xvgn       2/2     Running   0             6d2h
session-db-7f6bc9d5f4-g4mtx     1/1     Running   0             6d2h
shipping-6b8f6d5c9c-jt2lp       1/1     Running   0             6d2h
user-5d9d8bc6f7-4ccxf           1/1     Running   0             6d2h
user-db-6f9c59d8b4-n7qwb        1/1     Running   0             6d2h
"""


def bundle() -> Bundle:
    rng = random.Random(20251)
    front = LogFile("logs/front-end.log", NodeConsole())
    front.add(traffic(rng, front_line, START, MINUTES, 4400))
    front.add(loud(rng, START, 21.2, MINUTES - 21.3, 380, front_error))
    levels = {
        "front-end": (0.126, 81.0, (0.0131, 0.0394), 42.7),
        "catalogue": (0.031, 10.2, (0.0044, 0.0127), 24.9),
        "catalogue-db": (0.022, 203.4, (0.0011, 0.0032), 24.9),
        "carts": (0.181, 402.9, (0.0201, 0.1490), 10.1),
        "carts-db": (0.041, 91.7, (0.0017, 0.0049), 10.1),
        "orders": (0.124, 418.2, (0.0498, 0.1322), 2.2),
        "payment": (0.007, 6.4, (0.0010, 0.0029), 2.2),
        "shipping": (0.041, 339.7, (0.0086, 0.0231), 2.2),
        "user": (0.022, 13.3, (0.0020, 0.0061), 16.8),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    cat = services["catalogue"]
    cat["latency-90"] = shift(rng, 0.0127, 1.214, FAULT, 0.18)
    cat["latency-50"] = shift(rng, 0.0044, 0.0068, FAULT, 0.2)
    cat["workload"] = shift(rng, 24.9, 14.6, FAULT + 1, 0.1)
    services["catalogue-db"]["workload"] = shift(rng, 24.9, 14.8, FAULT + 1, 0.1)
    services["front-end"]["latency-90"] = shift(rng, 0.0394, 1.806, FAULT + 2, 0.15)
    db = services["catalogue-db"]
    base = db["cpu"]
    db["cpu"] = lambda i: base(i) * (7.5 if 300 <= i < 372 else 1.0)
    files = {
        "metrics.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "logs/front-end.log": front.render(),
        "kubectl-get-pods.txt": PODS,
    }
    return Bundle(
        question="The Sock Shop catalogue pages error out intermittently since about 03:26 UTC. Which service is the root cause?",
        category="network",
        component="catalogue",
        statement="From 03:26:05 UTC about 40% packet loss was injected on catalogue's pod: its p90 jumps to over a second and its workload drops while its CPU stays flat; front-end's calls to catalogue end in `read ECONNRESET` / `socket hang up` and 500s on the catalogue pages.",
        files=files,
        proofs=[Proof("metrics.csv", stamp(START, STEP, FAULT + 1))],
        decoys=["Error: read ECONNRESET", "1 (4d ago)", "catalogue-db_cpu"],
    )
