# ruff: noqa: E501
# Hand-written log lines and manifests are data, kept whole on one line.
"""A new NetworkPolicy admits only cart to redis; checkout's connections to redis time out and reset."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, Pino
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2024, 6, 11, 15, 0, tzinfo=UTC)
POLICY = """apiVersion: v1
items:
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    annotations:
      kubectl.kubernetes.io/last-applied-configuration: |
        {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"annotations":{},"name":"allow-frontend","namespace":"shop"},"spec":{"ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"gateway"}}}]}],"podSelector":{"matchLabels":{"app":"frontend"}},"policyTypes":["Ingress"]}}
    creationTimestamp: "2023-11-02T08:14:51Z"
    generation: 1
    name: allow-frontend
    namespace: shop
    resourceVersion: "18823114"
    uid: 0c5a2b8e-1f7d-4a39-8c2e-6b1d9f0e7a34
  spec:
    ingress:
    - from:
      - podSelector:
          matchLabels:
            app: gateway
    podSelector:
      matchLabels:
        app: frontend
    policyTypes:
    - Ingress
- apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata:
    annotations:
      kubectl.kubernetes.io/last-applied-configuration: |
        {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"annotations":{},"name":"redis-restrict-clients","namespace":"shop"},"spec":{"ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"cart"}}}],"ports":[{"port":6379,"protocol":"TCP"}]}],"podSelector":{"matchLabels":{"app":"redis"}},"policyTypes":["Ingress"]}}
    creationTimestamp: "2024-06-11T15:12:03Z"
    generation: 1
    name: redis-restrict-clients
    namespace: shop
    resourceVersion: "20117342"
    uid: 7e2d9c41-5b0a-4f83-a6d2-3c8e1b7f9a02
  spec:
    ingress:
    - from:
      - podSelector:
          matchLabels:
            app: cart
      ports:
      - port: 6379
        protocol: TCP
    podSelector:
      matchLabels:
        app: redis
    policyTypes:
    - Ingress
kind: List
metadata:
  resourceVersion: ""
"""


def bundle() -> Bundle:
    rng = random.Random(117)
    checkout = LogFile("checkout.log", Pino("checkout-7b9d6f5c8-k2vrt", rng))
    checkout.add(traffic(rng, web_api("checkout", ["checkout", "sessions"]), START, 40, 847))
    checkout.add(
        loud(
            rng,
            START,
            12.2,
            28,
            246,
            fixed(
                "ERROR",
                lambda r: (
                    f"ioredis: Error: connect ETIMEDOUT 10.96.{r.randrange(100, 120)}.{r.randrange(2, 250)}:6379 (session lookup {r.getrandbits(32):08x})"
                ),
            ),
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            12.4,
            28,
            92,
            fixed(
                "ERROR",
                lambda r: (
                    f"ioredis: Error: read ECONNRESET at TCP.onStreamRead; command GET sess:{r.getrandbits(48):012x} failed"
                ),
            ),
        )
    )
    checkout.add(
        [
            at(
                START,
                13.0,
                "FATAL",
                "session store unavailable for 30s, serving checkout in degraded mode (no saved carts)",
            )
        ]
    )
    cart = LogFile("cart.log", JsonLines("cart", ("ts", "level", "msg"), rng=rng))
    cart.add(traffic(rng, web_api("cart", ["carts"]), START, 40, 385))
    routine = routine_events(
        rng,
        ["catalog", "search", "cart", "frontend", "orders"],
        385,
        ["node-a1", "node-a2", "node-b1"],
    )
    return Bundle(
        question="checkout can't reach redis since 15:12 (ETIMEDOUT / ECONNRESET); redis itself is healthy. Why?",
        category="network",
        component="redis",
        statement="The NetworkPolicy redis-restrict-clients created at 15:12 admits only cart pods to redis on 6379, so checkout's connections to redis are dropped.",
        files={
            "checkout.log": checkout.render(),
            "cart.log": cart.render(),
            "networkpolicies.yaml": POLICY,
            "events.txt": event_listing(routine, []),
        },
        proofs=[Proof("networkpolicies.yaml", "    name: redis-restrict-clients", "    - Ingress")],
        decoys=["session store unavailable", "connect ETIMEDOUT"],
    )
