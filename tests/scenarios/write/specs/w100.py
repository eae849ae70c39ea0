# ruff: noqa: E501
# Series definitions are data, kept whole on one line.
"""RCAEval RE1, metrics only: about 30% packet loss on productcatalogservice. Its median barely
moves, its p90 rises with TCP retransmissions and its workload dips, a few seconds before every
caller's latency climbs; the frontend's p90 and recommendationservice's CPU move the most, and
adservice's memory creeps up all along as it always does."""

import random
from datetime import UTC, datetime

from bundle import Bundle, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv

START = datetime(2024, 3, 21, 11, 4, 17, tzinfo=UTC)
STEP = 1
POINTS = 40 * 60
FAULT = 20 * 60 + 9


def bundle() -> Bundle:
    rng = random.Random(1100)
    services = {
        "frontend": usual_series(rng, 0.214, 61, (0.0181, 0.0704), 52.3),
        "cartservice": usual_series(rng, 0.072, 74, (0.0051, 0.0163), 21.6),
        "productcatalogservice": usual_series(rng, 0.101, 21, (0.0021, 0.0086), 118.4),
        "currencyservice": usual_series(rng, 0.198, 92, (0.0035, 0.0144), 88.2),
        "paymentservice": usual_series(rng, 0.017, 66, (0.0022, 0.0061), 2.4),
        "shippingservice": usual_series(rng, 0.015, 13, (0.0018, 0.0054), 7.3),
        "emailservice": usual_series(rng, 0.022, 51, (0.0149, 0.0392), 2.4),
        "checkoutservice": usual_series(rng, 0.034, 23, (0.0433, 0.1172), 2.4),
        "recommendationservice": usual_series(rng, 0.131, 59, (0.0124, 0.0318), 24.8),
        "adservice": usual_series(rng, 0.061, 219, (0.0031, 0.0097), 19.2),
        "redis-cart": usual_series(rng, 0.046, 9, (0.0006, 0.0015), 21.6),
    }
    catalogue = services["productcatalogservice"]
    catalogue["latency-50"] = shift(rng, 0.0021, 0.0026, FAULT, 0.1)
    catalogue["latency-90"] = shift(rng, 0.0086, 0.2147, FAULT, 0.25)
    catalogue["workload"] = shift(rng, 118.4, 97.1, FAULT, 0.06)
    catalogue["cpu"] = shift(rng, 0.101, 0.087, FAULT + 1, 0.08)
    services["recommendationservice"]["latency-50"] = shift(
        rng, 0.0124, 0.0571, FAULT + 3, 0.15, ramp=3
    )
    services["recommendationservice"]["latency-90"] = shift(
        rng, 0.0318, 0.4462, FAULT + 3, 0.2, ramp=3
    )
    services["recommendationservice"]["cpu"] = shift(rng, 0.131, 0.402, FAULT + 4, 0.1, ramp=10)
    services["frontend"]["latency-50"] = shift(rng, 0.0181, 0.2439, FAULT + 4, 0.15, ramp=4)
    services["frontend"]["latency-90"] = shift(rng, 0.0704, 1.2118, FAULT + 4, 0.2, ramp=4)
    services["frontend"]["workload"] = shift(rng, 52.3, 41.7, FAULT + 6, 0.07, ramp=5)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.1172, 0.6403, FAULT + 5, 0.2, ramp=4)
    services["cartservice"]["workload"] = shift(rng, 21.6, 17.4, FAULT + 8, 0.07, ramp=10)
    services["currencyservice"]["workload"] = shift(rng, 88.2, 70.9, FAULT + 7, 0.07, ramp=10)
    services["adservice"]["mem"] = shift(rng, 219, 263, 0, 0.006, ramp=POINTS)
    return Bundle(
        question="Online Boutique metrics for the last 40 minutes: latency went up across the shop halfway through. Which service is the root cause?",
        category="network",
        component="productcatalogservice",
        statement="Packet loss on productcatalogservice from 11:24:26 UTC turns its p90 latency from about 9 ms into about 210 ms with retransmissions and cuts its throughput, seconds before recommendationservice, frontend and checkoutservice slow down because they all call it.",
        files={"data.csv": wide_csv(START, STEP, POINTS, services)},
        proofs=[Proof("data.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2))],
        decoys=["frontend_latency-90", "recommendationservice_cpu", "adservice_mem"],
    )
