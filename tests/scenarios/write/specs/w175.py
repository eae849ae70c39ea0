# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE1 layout, metrics only, plus a human's notes): a memory hog in the
ts-station-service container from 03:11:47 UTC takes its memory from about 610 MiB to near its
2 GiB limit in a minute; the container reclaims page cache and faults its JIT code back in, so
its latency climbs, and ts-basic-service and ts-travel-service, which look stations up on every
search, slow down after it. The notes paste a few caller log lines and point at the wrong
services. Decoys: ts-order-service's memory, always the largest and creeping up, which the note
calls a leak; ts-basic-service's pasted read timeouts; and ts-travel-service's CPU rising with
its retries."""

import random
from datetime import UTC, datetime

from bundle import Bundle, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv

START = datetime(2024, 5, 27, 3, 0, tzinfo=UTC)
MINUTES = 20
POINTS = MINUTES * 60
FAULT = 11 * 60 + 47

NOTES = """## Search slow, 27 May early shift (Li Na)

- 11:12 (+08:00, i.e. 03:12 UTC): ticket search page spins for seconds, sometimes "no trips".
- ts-travel-service CPU went up right after, it's retrying something.
- ts-basic-service log has read timeouts, pasted two:

      2024-05-27 03:12:31.208 ERROR 1 --- [nio-15680-exec-7] fdse.microservice.service.BasicServiceImpl : [queryForTravel][Query for station id error][stationName: nanjing, message: I/O error on GET request for "http://ts-station-service:12345/api/v1/stationservice/stations/id/nanjing": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out]
      2024-05-27 03:12:33.940 ERROR 1 --- [nio-15680-exec-2] fdse.microservice.service.BasicServiceImpl : [queryForTravel][Query for station id error][stationName: shanghai, message: I/O error on GET request for "http://ts-station-service:12345/api/v1/stationservice/stations/id/shanghai": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out]

- ts-order-service memory is the highest of all and keeps growing, leak again?
- no deploys since Friday. metrics.csv is the RE1 export, 1 s step, unix seconds,
  mem in MiB, latencies in seconds.
"""


def bundle() -> Bundle:
    rng = random.Random(1175)
    levels = {
        "ts-ui-dashboard": (0.144, 59, (0.0129, 0.0601), 38.7),
        "ts-travel-service": (0.233, 701, (0.0309, 0.0897), 14.8),
        "ts-travel2-service": (0.127, 662, (0.0288, 0.0851), 7.1),
        "ts-basic-service": (0.204, 690, (0.0186, 0.0548), 22.3),
        "ts-station-service": (0.118, 612, (0.0061, 0.0169), 40.1),
        "ts-train-service": (0.071, 587, (0.0052, 0.0149), 21.9),
        "ts-route-service": (0.089, 598, (0.0082, 0.0229), 12.6),
        "ts-price-service": (0.048, 569, (0.0048, 0.0139), 8.9),
        "ts-seat-service": (0.171, 658, (0.0219, 0.0634), 17.1),
        "ts-order-service": (0.229, 1402, (0.0168, 0.0591), 16.4),
        "ts-auth-service": (0.091, 603, (0.0188, 0.0541), 3.2),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    station = services["ts-station-service"]
    station["mem"] = shift(rng, 612, 1991, FAULT, 0.004, ramp=55)
    station["cpu"] = shift(rng, 0.118, 0.214, FAULT + 30, 0.12, ramp=10)
    station["latency-50"] = shift(rng, 0.0061, 0.3370, FAULT + 35, 0.2, ramp=20)
    station["latency-90"] = shift(rng, 0.0169, 1.4620, FAULT + 35, 0.2, ramp=20)
    station["workload"] = shift(rng, 40.1, 27.6, FAULT + 45, 0.08)
    basic = services["ts-basic-service"]
    basic["latency-50"] = shift(rng, 0.0186, 0.7310, FAULT + 38, 0.18, ramp=20)
    basic["latency-90"] = shift(rng, 0.0548, 3.0150, FAULT + 38, 0.18, ramp=20)
    travel = services["ts-travel-service"]
    travel["latency-90"] = shift(rng, 0.0897, 4.8820, FAULT + 41, 0.15, ramp=20)
    travel["latency-50"] = shift(rng, 0.0309, 1.1930, FAULT + 41, 0.15, ramp=20)
    travel["cpu"] = shift(rng, 0.233, 0.391, FAULT + 43, 0.08)
    services["ts-travel2-service"]["latency-90"] = shift(
        rng, 0.0851, 3.9260, FAULT + 42, 0.15, ramp=20
    )
    services["ts-ui-dashboard"]["latency-90"] = shift(
        rng, 0.0601, 5.2240, FAULT + 44, 0.15, ramp=20
    )
    services["ts-order-service"]["mem"] = shift(rng, 1402, 1488, 0, 0.003, ramp=POINTS)
    return Bundle(
        question="Since about 11:12 (+08:00) the Train-Ticket ticket search takes seconds and sometimes shows no trips. Which service is the root cause?",
        category="memory",
        component="ts-station-service",
        statement="From 03:11:47 UTC (11:11:47 +08:00) a memory hog in the ts-station-service container drives its memory from about 610 MiB to nearly 2 GiB within a minute; its latency climbs about half a minute later, and ts-basic-service, ts-travel-service and the dashboard, which depend on its station lookups, slow down after it.",
        files={"metrics.csv": wide_csv(START, 1, POINTS, services), "notes.md": NOTES},
        proofs=[Proof("metrics.csv", stamp(START, 1, FAULT), stamp(START, 1, FAULT + 3))],
        decoys=["leak again?", "Query for station id error", "it's retrying something"],
    )
