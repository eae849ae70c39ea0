# ruff: noqa: E501
# Series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE1 style, metrics only: one wide CSV at 1 s over 12 minutes, 11
services): network delay (tc netem delay 250 ms) on shippingservice from 06:48:15 UTC. Its
p50 and p90 step up by about a quarter of a second and its workload is unchanged; its CPU and
memory do not move. checkoutservice calls it twice per order (GetQuote, ShipOrder), so its
p50/p90 rise by about half a second, more than shippingservice's own, and frontend's cart
page (GetQuote) slows too: the largest jumps are in the callers. Decoys: checkoutservice's
latency, frontend's latency, and recommendationservice's CPU burst at 06:43 (a cache warm-up,
before the fault)."""

import random
from datetime import UTC, datetime

from bundle import Bundle, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv

START = datetime(2025, 6, 2, 6, 42, tzinfo=UTC)
MINUTES = 12
STEP = 1
FAULT = 6 * 60 + 15


def bundle() -> Bundle:
    rng = random.Random(20256)
    levels = {
        "frontend": (0.231, 47.9, (0.0335, 0.0912), 44.6),
        "adservice": (0.089, 209.8, (0.0035, 0.0095), 22.3),
        "cartservice": (0.071, 63.0, (0.0051, 0.0145), 13.8),
        "checkoutservice": (0.023, 22.8, (0.0436, 0.1139), 2.1),
        "currencyservice": (0.151, 70.7, (0.0021, 0.0065), 69.8),
        "emailservice": (0.013, 45.1, (0.0121, 0.0297), 2.1),
        "paymentservice": (0.019, 52.7, (0.0017, 0.0050), 2.1),
        "productcatalogservice": (0.101, 20.4, (0.0019, 0.0057), 61.2),
        "recommendationservice": (0.084, 57.9, (0.0211, 0.0548), 12.4),
        "shippingservice": (0.016, 17.2, (0.0018, 0.0051), 6.3),
        "redis-cart": (0.031, 7.7, (0.0006, 0.0014), 13.8),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    ship = services["shippingservice"]
    ship["latency-50"] = shift(rng, 0.0018, 0.2513, FAULT, 0.03)
    ship["latency-90"] = shift(rng, 0.0051, 0.2642, FAULT, 0.04)
    co = services["checkoutservice"]
    co["latency-50"] = shift(rng, 0.0436, 0.5531, FAULT + 1, 0.05)
    co["latency-90"] = shift(rng, 0.1139, 0.6488, FAULT + 1, 0.06)
    fe = services["frontend"]
    fe["latency-90"] = shift(rng, 0.0912, 0.3571, FAULT + 1, 0.1)
    fe["latency-50"] = shift(rng, 0.0335, 0.0418, FAULT + 1, 0.08)
    rec = services["recommendationservice"]
    base = rec["cpu"]
    rec["cpu"] = lambda i: base(i) * (5.2 if 55 <= i < 118 else 1.0)
    return Bundle(
        question="Checkout and the cart page of our Online Boutique got slower a few minutes before 06:50 UTC. Here are the service metrics; which service is the root cause?",
        category="network",
        component="shippingservice",
        statement="From 06:48:15 UTC about 250 ms of network delay was injected on shippingservice: its p50/p90 step up by a quarter of a second with CPU, memory and workload unchanged, and its callers checkoutservice (two calls per order) and frontend (cart page) slow down as knock-ons.",
        files={"metrics.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services)},
        proofs=[Proof("metrics.csv", stamp(START, STEP, FAULT))],
        decoys=["checkoutservice_latency-50", "frontend_latency-90", "recommendationservice_cpu"],
    )
