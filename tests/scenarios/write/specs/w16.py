# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""One host's bonded uplink loses a member and drops packets; nginx times out on upstreams there."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, SpringBoot, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, http_access, traffic, web_api

START = datetime(2024, 5, 20, 9, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(116)
    kernel = LogFile("app-host-3.syslog", Syslog3164("app-host-3", "kernel", 0))
    kernel.add(host_traffic(rng, START, 40, 242))
    kernel.add(
        [
            at(
                START,
                11.0,
                "WARN",
                "[8812301.441122] bond0: (slave eth1): link status definitely down, disabling slave",
            ),
            at(START, 11.02, "WARN", "[8812301.502870] ixgbe 0000:3b:00.1 eth1: NIC Link is Down"),
            at(
                START,
                11.5,
                "WARN",
                "[8812331.100204] bond0: now running without any active interface!",
            ),
        ]
    )
    nginx_errors = LogFile("nginx-error.log", NginxError(rng))
    nginx_errors.add(
        loud(
            rng,
            START,
            0,
            40,
            32,
            fixed(
                "WARN",
                lambda r: (
                    f"an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{r.randrange(10)}/{r.randrange(100):02d}/{r.randrange(10**10):010d} while reading upstream"
                ),
            ),
        )
    )
    nginx_errors.add(
        loud(
            rng,
            START,
            11.6,
            28,
            364,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.1.{r.randrange(256)}.{r.randrange(256)}, server: shop.example.com, request: "GET /api/v1/quote/{r.randrange(10**6)} HTTP/1.1", upstream: "http://10.0.4.13:8080/api/v1/quote", host: "shop.example.com"'
                ),
            ),
        )
    )
    access = LogFile("nginx-access.log", NginxAccess(rng))
    access.add(
        traffic(
            rng,
            http_access(["/api/v1/quote/{id}", "/api/v1/products/{id}", "/", "/static/main.css"]),
            START,
            40,
            727,
        )
    )
    access.add(
        loud(
            rng,
            START,
            11.6,
            28,
            201,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /api/v1/quote/{r.randrange(10**6)} HTTP/1.1" 504 167 "-" "Mozilla/5.0 (X11; Linux x86_64)" 60.0{r.randrange(10, 99)}'
                ),
            ),
        )
    )
    quote = LogFile(
        "quote.log",
        SpringBoot(("c.s.quote.web.QuoteController", "c.s.quote.service.Pricing"), pid=1, rng=rng),
    )
    quote.add(traffic(rng, web_api("quote", ["quotes"]), START, 40, 403))
    quote.add(
        loud(
            rng,
            START,
            13,
            26,
            40,
            fixed("WARN", lambda r: f"GC pause (G1 Evacuation Pause) {r.randrange(120, 260)}ms"),
        )
    )
    return Bundle(
        question="Quote API calls time out through nginx since 09:11. Is the quote service broken?",
        category="network",
        component="app-host-3",
        statement="Host app-host-3 lost its bond0 uplink (eth1 link down, then no active interface), so nginx's requests to the quote service on 10.0.4.13 time out.",
        files={
            "app-host-3.syslog": kernel.render(),
            "nginx-error.log": nginx_errors.render(),
            "nginx-access.log": access.render(),
            "quote.log": quote.render(),
        },
        proofs=[
            Proof(
                "app-host-3.syslog",
                "link status definitely down",
                "now running without any active interface",
            )
        ],
        decoys=["GC pause (G1 Evacuation Pause)", "upstream timed out (110: Connection timed out)"],
    )
