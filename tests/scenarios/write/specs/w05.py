# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""The edge proxy leaks sockets and hits its file descriptor limit; clients see refused connections."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Journal, Logfmt
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2024, 2, 14, 16, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(105)
    edge = LogFile("edge-proxy.log", Journal("edge-1", "edge-proxy", 2231))
    edge.add(traffic(rng, web_api("edge-proxy", ["route", "upstreams", "tls"]), START, 40, 866))
    edge.add(
        [
            at(
                START,
                12.0,
                "INFO",
                "open sockets 61204 of RLIMIT_NOFILE 65536 (upstream keepalive pool not closing idle conns)",
            ),
            at(
                START,
                17.25,
                "ERROR",
                "http: Accept error: accept tcp [::]:8443: accept4: too many open files; retrying in 5ms",
            ),
        ]
    )
    edge.add(
        loud(
            rng,
            START,
            17.3,
            22,
            174,
            fixed(
                "ERROR",
                lambda r: (
                    f"http: Accept error: accept tcp [::]:8443: accept4: too many open files; retrying in {r.choice([10, 20, 40, 80, 160, 320, 640, 1000])}ms"
                ),
            ),
        )
    )
    shop = LogFile("storefront.log", Logfmt("storefront", rng))
    shop.add(traffic(rng, web_api("storefront", ["pages", "products", "cart"]), START, 40, 649))
    shop.add(
        loud(
            rng,
            START,
            17.4,
            22,
            273,
            fixed(
                "ERROR",
                lambda r: (
                    f"upstream request failed: dial tcp 10.20.0.{r.randrange(2, 9)}:8443: connect: connection refused"
                ),
            ),
        )
    )
    shop.add(
        loud(
            rng,
            START,
            18.0,
            20,
            43,
            fixed(
                "WARN",
                lambda r: f"health check of edge-1 failed ({r.randrange(2, 30)} consecutive)",
            ),
        )
    )
    return Bundle(
        question="Storefront requests fail with connection refused since 16:17; what broke?",
        category="file_descriptors",
        component="edge-proxy",
        statement="The edge proxy exhausted its open-file limit (accept4: too many open files) because idle upstream connections were never closed.",
        files={"edge-proxy.log": edge.render(), "storefront.log": shop.render()},
        proofs=[
            Proof("edge-proxy.log", "too many open files; retrying in 5ms"),
            Proof("edge-proxy.log", "open sockets 61204 of RLIMIT_NOFILE 65536"),
        ],
        decoys=["connect: connection refused", "health check of edge-1 failed"],
    )
