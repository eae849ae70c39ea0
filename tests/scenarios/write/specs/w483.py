# ruff: noqa: E501
# Hand-written HAProxy and app lines and pasted output are data, kept whole on one line.
"""Load balancer, health checks without a Host header: inventory-api 3.2.0 (rolled 14:10 UTC)
turned on host validation (ALLOWED_HOSTS=inventory.internal). HAProxy's check sends
`GET /health HTTP/1.0` with no Host, so each upgraded server answers 400 and is marked DOWN;
when the last one is upgraded the backend has no server and the edge answers 503.
Decoys: a slow request warning, a cache miss storm note, an unrelated backend flapping."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Syslog3164
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 10, 2, 13, 30, tzinfo=UTC)
MINUTES = 150.0
ROLL = 40.0


def bundle() -> Bundle:
    rng = random.Random(48307)
    lb = LogFile("logs/lb-edge-01-haproxy.log", Syslog3164("lb-edge-01", "haproxy", 2231))

    def ok(r: random.Random):
        return (
            "INFO",
            f'10.9.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(30000, 60000)} [02/Oct/2025:13:30:00.000] fe_https~ be_inventory/inv-{r.randrange(1, 5)} 0/0/1/{r.randrange(3, 60)}/{r.randrange(4, 62)} 200 {r.randrange(300, 4000)} - - ---- 212/210/3/1/0 0/0 "GET /v1/stock/{r.randrange(10**5)} HTTP/1.1"',
            (),
        )

    lb.add(traffic(rng, ok, START, ROLL + 12, 2600))
    msgs = []
    for n, m in ((1, 0.5), (2, 4.2), (3, 8.0), (4, 11.6)):
        left = 4 - n
        msgs.append(
            at(
                START,
                ROLL + m,
                "WARN",
                f'Server be_inventory/inv-{n} is DOWN, reason: Layer7 wrong status, code: 400, info: "Bad Request", check duration: 2ms. {left} active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
            )
        )
    msgs.append(at(START, ROLL + 11.61, "ERROR", "backend be_inventory has no server available!"))
    msgs.append(
        at(
            START,
            20.0,
            "WARN",
            "Server be_search/search-2 is DOWN, reason: Layer4 timeout, check duration: 2001ms. 2 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
        )
    )
    msgs.append(
        at(
            START,
            21.0,
            "WARN",
            "Server be_search/search-2 is UP, reason: Layer7 check passed, code: 200, check duration: 4ms. 3 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
        )
    )
    lb.add(msgs)
    lb.add(
        loud(
            rng,
            START,
            ROLL + 12,
            MINUTES - ROLL - 13,
            900,
            fixed(
                "INFO",
                lambda r: (
                    f'10.9.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(30000, 60000)} [02/Oct/2025:14:22:00.000] fe_https~ be_inventory/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 180/178/0/0/0 0/0 "GET /v1/stock/{r.randrange(10**5)} HTTP/1.1"'
                ),
            ),
        )
    )
    lb.records = [
        r.__class__(
            r.time,
            r.level,
            r.message.replace(
                "[02/Oct/2025:13:30:00.000]",
                r.time.strftime("[%d/%b/%Y:%H:%M:%S.") + f"{r.time.microsecond // 1000:03d}]",
            ).replace(
                "[02/Oct/2025:14:22:00.000]",
                r.time.strftime("[%d/%b/%Y:%H:%M:%S.") + f"{r.time.microsecond // 1000:03d}]",
            ),
            r.trailer,
            r.logger,
        )
        for r in lb.records
    ]
    app = LogFile("logs/inventory-api.log", JsonLines("inventory-api", rng=rng))
    app.add(traffic(rng, web_api("inventory-api", ["stock", "reservations"]), START, MINUTES, 3000))
    app.add(
        [
            at(
                START,
                ROLL,
                "INFO",
                "inventory-api 3.2.0 starting on inv-1: security.host_validation=enabled allowed_hosts=[inventory.internal]",
            )
        ]
    )
    app.add(
        loud(
            rng,
            START,
            ROLL + 0.5,
            MINUTES - ROLL - 1,
            700,
            fixed(
                "WARN",
                lambda r: (
                    f'rejected request GET /health from 10.9.0.{r.choice([5, 6])}: Host header missing or not allowed (got "") -> 400'
                ),
            ),
        )
    )
    app.add(
        [
            at(
                START,
                70.0,
                "WARN",
                "cache warmup: 18211 misses in first 60s after start, filling from postgres",
            )
        ]
    )
    pasted = "\n".join(
        [
            "lb-edge-01:/etc/haproxy/haproxy.cfg (excerpt)",
            "backend be_inventory",
            "    option httpchk GET /health HTTP/1.0",
            "    http-check expect status 200",
            "    server inv-1 10.9.4.11:8080 check inter 2s fall 3 rise 2",
            "    server inv-2 10.9.4.12:8080 check inter 2s fall 3 rise 2",
            "",
        ]
    )
    notes = (
        "14:25 UTC: all /v1/stock calls get 503 from lb-edge-01. inventory-api 3.2.0 rollout finished 14:22, pods healthy when curled directly with the service name.\n- search-2 flapped at 13:50, fine since.\n\n"
        + pasted
    )
    return Bundle(
        question="Every inventory request gets 503 from lb-edge-01 since about 14:22 UTC, although the instances look healthy. What is the root cause?",
        category="configuration",
        component="inventory-api",
        statement="inventory-api 3.2.0 enabled Host header validation (allowed_hosts inventory.internal); HAProxy's HTTP/1.0 health check sends no Host header, gets 400, and marks each upgraded server DOWN until be_inventory has no server, so the edge answers 503.",
        files={
            "notes.md": notes,
            "logs/lb-edge-01-haproxy.log": lb.render(),
            "logs/inventory-api.log": app.render(),
        },
        proofs=[
            Proof("logs/inventory-api.log", "allowed_hosts=[inventory.internal]"),
            Proof("logs/lb-edge-01-haproxy.log", "be_inventory/inv-1 is DOWN"),
        ],
        decoys=["be_search/search-2 is DOWN", "cache warmup: 18211 misses"],
    )
