# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""A CoreDNS config reload breaks the cluster zone; services cannot resolve each other."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import KubectlTimestamps, Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2024, 4, 17, 12, 0, tzinfo=UTC)


def coredns_query(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    name = rng.choice(
        [
            "inventory.shop.svc.cluster.local.",
            "payments.shop.svc.cluster.local.",
            "api.github.com.",
            "redis.shop.svc.cluster.local.",
        ]
    )
    return (
        "INFO",
        f'[INFO] 10.244.{rng.randrange(8)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)} - {rng.randrange(65536)} "A IN {name} udp {rng.randrange(40, 90)} false 512" NOERROR qr,aa,rd {rng.randrange(90, 200)} {rng.random() / 1000:.6f}s',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(114)
    coredns = LogFile("coredns.log", KubectlTimestamps())
    coredns.add(traffic(rng, coredns_query, START, 40, 770))
    coredns.add(
        [
            at(START, 14.0, "INFO", "[INFO] Reloading"),
            at(
                START,
                14.02,
                "INFO",
                "[INFO] plugin/reload: Running configuration SHA512 = 8c1e0a9f4b7d2e61",
            ),
            at(
                START,
                14.03,
                "WARN",
                "[WARNING] plugin/kubernetes: zone cluster.local. not served: Corefile block 'cluster.lokal:53' has no kubernetes plugin for cluster.local",
            ),
        ]
    )
    coredns.add(
        loud(
            rng,
            START,
            14.1,
            26,
            222,
            fixed(
                "INFO",
                lambda r: (
                    f'[INFO] 10.244.{r.randrange(8)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} - {r.randrange(65536)} "A IN inventory.shop.svc.cluster.local. udp 52 false 512" NXDOMAIN qr,rd {r.randrange(90, 200)} 0.000{r.randrange(100, 999)}s'
                ),
            ),
        )
    )
    cart = LogFile("cart.log", Zap(("client/inventory.go:77", "api/cart.go:140"), rng))
    cart.add(traffic(rng, web_api("cart", ["carts", "cart-items"]), START, 40, 684))
    cart.add(
        loud(
            rng,
            START,
            14.2,
            26,
            299,
            fixed(
                "ERROR",
                lambda r: (
                    f'Get "http://inventory.shop.svc.cluster.local/api/v1/stock/{r.randrange(10**6)}": dial tcp: lookup inventory.shop.svc.cluster.local on 10.96.0.10:53: no such host'
                ),
            ),
        )
    )
    cart.add(
        loud(
            rng,
            START,
            16,
            24,
            34,
            fixed(
                "WARN",
                lambda r: f"circuit breaker inventory half-open, probe {r.randrange(100)} failed",
            ),
        )
    )
    return Bundle(
        question="cart cannot reach inventory since 12:14; inventory pods are healthy. What's wrong?",
        category="dns",
        component="coredns",
        statement="A CoreDNS configuration reload at 12:14 left the cluster.local zone unserved (typo 'cluster.lokal'), so in-cluster service names return NXDOMAIN.",
        files={"coredns.log": coredns.render(), "cart.log": cart.render()},
        proofs=[Proof("coredns.log", "[INFO] Reloading", "zone cluster.local. not served")],
        decoys=["circuit breaker inventory half-open", "no such host"],
    )
