# ruff: noqa: E501
# Series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE1 layout, metrics only: one wide CSV, 1 s samples, 24 services): a
CPU hog (stress-ng --cpu 2) in ts-config-service from 07:44:05 UTC. Its CPU goes from about
0.05 to about 1.9 cores and its p90 from 13 ms to about 0.9 s. ts-seat-service, which reads
a config value for each seat distribution, shows the larger latency jump (about 2.4 s), and
ts-travel-service and ts-travel2-service, which ask seat for left tickets, follow; no
service's CPU moves but the cause's. Decoys: ts-seat-service's larger latency, ts-order-service's
memory creeping up all along, and an earlier short workload spike on ts-ui-dashboard."""

import random
from datetime import UTC, datetime

from bundle import Bundle, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv

START = datetime(2025, 3, 11, 7, 30, tzinfo=UTC)
MINUTES = 25
POINTS = MINUTES * 60
FAULT = 14 * 60 + 5


def bundle() -> Bundle:
    rng = random.Random(20212)
    levels = {
        "ts-ui-dashboard": (0.149, 60.8, (0.0129, 0.0601), 40.6),
        "ts-auth-service": (0.117, 622.4, (0.0410, 0.1129), 7.8),
        "ts-user-service": (0.051, 570.3, (0.0082, 0.0231), 3.2),
        "ts-verification-code-service": (0.060, 547.1, (0.0093, 0.0279), 7.7),
        "ts-travel-service": (0.238, 701.1, (0.0311, 0.0918), 14.4),
        "ts-travel2-service": (0.114, 655.3, (0.0298, 0.0866), 6.2),
        "ts-basic-service": (0.101, 612.0, (0.0116, 0.0349), 21.5),
        "ts-seat-service": (0.131, 641.7, (0.0204, 0.0588), 9.4),
        "ts-config-service": (0.048, 561.2, (0.0048, 0.0132), 9.3),
        "ts-order-service": (0.224, 728.8, (0.0168, 0.0579), 16.1),
        "ts-order-other-service": (0.097, 664.2, (0.0144, 0.0437), 5.9),
        "ts-route-service": (0.087, 597.9, (0.0084, 0.0237), 18.2),
        "ts-station-service": (0.122, 611.5, (0.0062, 0.0173), 38.7),
        "ts-train-service": (0.063, 582.6, (0.0057, 0.0161), 17.7),
        "ts-price-service": (0.058, 572.4, (0.0060, 0.0165), 17.4),
        "ts-preserve-service": (0.276, 717.9, (0.1497, 0.3972), 5.3),
        "ts-contacts-service": (0.057, 565.2, (0.0078, 0.0218), 8.2),
        "ts-food-service": (0.071, 603.8, (0.0212, 0.0644), 4.1),
        "ts-consign-service": (0.044, 577.3, (0.0091, 0.0259), 1.8),
        "ts-security-service": (0.053, 568.9, (0.0119, 0.0333), 5.3),
        "ts-inside-payment-service": (0.066, 590.6, (0.0133, 0.0391), 4.9),
        "ts-cancel-service": (0.039, 571.0, (0.0101, 0.0297), 1.1),
        "ts-assurance-service": (0.042, 562.5, (0.0069, 0.0190), 4.8),
        "ts-notification-service": (0.031, 540.1, (0.0058, 0.0150), 4.7),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    c = services["ts-config-service"]
    c["cpu"] = shift(rng, 0.048, 1.912, FAULT, 0.04, ramp=2)
    c["latency-50"] = shift(rng, 0.0048, 0.2214, FAULT + 2, 0.2, ramp=8)
    c["latency-90"] = shift(rng, 0.0132, 0.9031, FAULT + 2, 0.18, ramp=8)
    c["workload"] = shift(rng, 9.3, 6.1, FAULT + 20, 0.1, ramp=20)
    s = services["ts-seat-service"]
    s["latency-50"] = shift(rng, 0.0204, 0.8817, FAULT + 6, 0.15, ramp=15)
    s["latency-90"] = shift(rng, 0.0588, 2.4405, FAULT + 6, 0.12, ramp=15)
    s["workload"] = shift(rng, 9.4, 6.3, FAULT + 20, 0.1, ramp=20)
    for name, p90 in (("ts-travel-service", 0.0918), ("ts-travel2-service", 0.0866)):
        services[name]["latency-90"] = shift(rng, p90, 2.9120, FAULT + 9, 0.12, ramp=20)
        services[name]["latency-50"] = shift(rng, p90 / 3, 0.7402, FAULT + 9, 0.15, ramp=20)
    services["ts-ui-dashboard"]["latency-90"] = shift(
        rng, 0.0601, 3.1087, FAULT + 12, 0.12, ramp=20
    )
    services["ts-order-service"]["mem"] = shift(rng, 728.8, 809.5, 0, 0.004, ramp=POINTS)
    dash = services["ts-ui-dashboard"]["workload"]
    services["ts-ui-dashboard"]["workload"] = lambda i: dash(i) * (2.6 if 240 <= i < 300 else 1.0)
    dash_cpu = services["ts-ui-dashboard"]["cpu"]
    services["ts-ui-dashboard"]["cpu"] = lambda i: dash_cpu(i) * (2.1 if 240 <= i < 300 else 1.0)
    files = {"metrics.csv": wide_csv(START, 1, POINTS, services)}
    return Bundle(
        question="We only have the metrics export of this Train-Ticket run: from about 07:44 UTC searching for tickets got slow. Which service is the root cause?",
        category="cpu",
        component="ts-config-service",
        statement="From 07:44:05 UTC a CPU hog in ts-config-service drives its CPU from about 0.05 to about 1.9 cores and its p90 to about 0.9 s; ts-seat-service, which reads its configuration for every seat distribution, and then ts-travel-service, ts-travel2-service and the dashboard slow down to seconds.",
        files=files,
        proofs=[Proof("metrics.csv", stamp(START, 1, FAULT), stamp(START, 1, FAULT + 2))],
        decoys=["ts-seat-service_latency-90", "ts-order-service_mem", "ts-ui-dashboard_workload"],
    )
