# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""A HAProxy config reload changes the orders health check to /health, which the app answers
404; every orders server is marked DOWN and the storefront gets 503s from a healthy backend."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Record, Syslog3164
from scenes import fixed, loud
from traffic import Line, traffic, web_api

START = datetime(2026, 1, 21, 9, 40, tzinfo=UTC)
RELOAD = START + timedelta(minutes=22, seconds=3, milliseconds=412)
OLD_WORKER, NEW_WORKER, MASTER = 20114, 31877, 1022
SERVERS = {"orders-1": "10.0.2.11", "orders-2": "10.0.2.12", "orders-3": "10.0.2.13"}


def http_line(rng: random.Random, backend: str, server: str, status: int, path: str) -> str:
    client = f"10.0.{rng.randrange(0, 2)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)}"
    stamp = "{stamp}"
    timers = (
        f"0/0/{rng.randrange(0, 2)}/{rng.randrange(2, 90)}/{rng.randrange(3, 95)}"
        if server != "<NOSRV>"
        else "0/-1/-1/-1/0"
    )
    flags = "----" if server != "<NOSRV>" else "SC--"
    return f'{client} [{stamp}] fe_https~ {backend}/{server} {timers} {status} {rng.randrange(200, 9000) if status != 503 else 217} - - {flags} {rng.randrange(5, 80)}/{rng.randrange(5, 80)}/{rng.randrange(0, 9)}/{rng.randrange(0, 4)}/0 0/0 "{path}"'


def routine(rng: random.Random, include_orders: bool) -> Line:
    choices = [
        ("be_catalog", "catalog", "GET /api/catalog/{id} HTTP/1.1"),
        ("be_cart", "cart", "GET /api/cart HTTP/1.1"),
        ("be_static", "static", "GET /assets/app.{id}.js HTTP/1.1"),
    ]
    if include_orders:
        choices += [
            ("be_orders", "orders", "GET /api/orders/{id} HTTP/1.1"),
            ("be_orders", "orders", "POST /api/orders HTTP/1.1"),
        ]
    backend, prefix, path = rng.choice(choices)
    server = f"{prefix}-{rng.randrange(1, 4)}"
    return (
        "INFO",
        http_line(
            rng,
            backend,
            server,
            rng.choices([200, 201, 304, 404], [85, 6, 7, 2])[0],
            path.replace("{id}", str(rng.randrange(10**6))),
        ),
        (),
    )


class HaproxySyslog(Syslog3164):
    """HAProxy's syslog lines: the request's accept date is filled in from the record's time."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%d/%b/%Y:%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        return [line.replace("{stamp}", stamp) for line in super().render(record)]


def bundle() -> Bundle:
    rng = random.Random(155)
    haproxy = LogFile("lb-1-syslog.log", HaproxySyslog("lb-1", "haproxy", OLD_WORKER))
    haproxy.add(
        [
            Record(r.time, r.level, r.message, (), f"haproxy[{OLD_WORKER}]")
            for r in traffic(rng, lambda g: routine(g, True), START, 22.05, 2300)
        ]
    )
    haproxy.add(
        [
            Record(r.time, r.level, r.message, (), f"haproxy[{NEW_WORKER}]")
            for r in traffic(
                rng, lambda g: routine(g, False), RELOAD + timedelta(seconds=1), 17.9, 1500
            )
        ]
    )
    reload_lines = [
        (0.0, "systemd[1]", "Reloading haproxy.service - HAProxy Load Balancer..."),
        (0.05, f"haproxy[{MASTER}]", f"[NOTICE]   ({MASTER}) : Reloading HAProxy"),
        (0.21, f"haproxy[{MASTER}]", f"[NOTICE]   ({MASTER}) : haproxy version is 2.8.5-1ubuntu3"),
        (
            0.22,
            f"haproxy[{MASTER}]",
            f"[NOTICE]   ({MASTER}) : path to executable is /usr/sbin/haproxy",
        ),
        (0.31, f"haproxy[{MASTER}]", f"[NOTICE]   ({MASTER}) : New worker ({NEW_WORKER}) forked"),
        (0.32, f"haproxy[{MASTER}]", f"[NOTICE]   ({MASTER}) : Loading success."),
        (0.33, "systemd[1]", "Reloaded haproxy.service - HAProxy Load Balancer."),
        (
            0.9,
            f"haproxy[{MASTER}]",
            f"[WARNING]  ({MASTER}) : Former worker ({OLD_WORKER}) exited with code 0 (Exit)",
        ),
    ]
    haproxy.add(
        [
            Record(RELOAD + timedelta(seconds=offset), "INFO", message, (), program)
            for offset, program, message in reload_lines
        ]
    )
    left = 2
    for number, (server, _) in enumerate(SERVERS.items()):
        time = RELOAD + timedelta(seconds=2.1 + number * 0.7, milliseconds=rng.randrange(100))
        haproxy.add(
            [
                Record(
                    time,
                    "WARN",
                    f'[WARNING]  ({NEW_WORKER}) : Server be_orders/{server} is DOWN, reason: Layer7 wrong status, code: 404, info: "Not Found", check duration: {rng.randrange(1, 4)}ms. {left} active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
                    (),
                    f"haproxy[{NEW_WORKER}]",
                )
            ]
        )
        left -= 1
    haproxy.add(
        [
            Record(
                RELOAD + timedelta(seconds=3.6),
                "ERROR",
                f"[ALERT]    ({NEW_WORKER}) : backend 'be_orders' has no server available!",
                (),
                f"haproxy[{NEW_WORKER}]",
            )
        ]
    )
    haproxy.add(
        [
            Record(r.time, "INFO", r.message, (), f"haproxy[{NEW_WORKER}]")
            for r in loud(
                rng,
                START,
                22.1,
                17.8,
                760,
                fixed(
                    "INFO",
                    lambda g: http_line(
                        g,
                        "be_orders",
                        "<NOSRV>",
                        503,
                        g.choice(
                            [
                                "GET /api/orders/" + str(g.randrange(10**6)) + " HTTP/1.1",
                                "POST /api/orders HTTP/1.1",
                            ]
                        ),
                    ),
                ),
            )
        ]
    )
    orders = LogFile(
        "orders-1.log",
        JsonLines(
            "orders", ("@timestamp", "log.level", "message"), service_key="service.name", rng=rng
        ),
    )
    orders.add(traffic(rng, web_api("orders", ["orders", "returns"]), START, 22.05, 900))
    orders.add(
        traffic(
            rng,
            fixed("INFO", lambda g: f"GET /healthz 200 {g.randrange(1, 3)}ms client=10.0.0.10"),
            START,
            22.05,
            660,
        )
    )
    orders.add(
        traffic(
            rng,
            fixed("WARN", lambda g: f"GET /health 404 {g.randrange(1, 3)}ms client=10.0.0.10"),
            RELOAD + timedelta(seconds=2),
            17.9,
            530,
        )
    )
    orders.add(
        traffic(
            rng,
            fixed("INFO", lambda g: f"outbox relay published {g.randrange(1, 40)} events to kafka"),
            START,
            40,
            240,
        )
    )
    orders.add(
        loud(
            rng,
            START,
            23,
            17,
            55,
            fixed(
                "WARN",
                lambda g: (
                    f"order throughput dropped to 0/min (expected ~{g.randrange(300, 420)}/min); checking upstream"
                ),
            ),
        )
    )
    storefront = LogFile(
        "storefront.log", JsonLines("storefront", ("time", "level", "msg"), rng=rng)
    )
    storefront.add(
        traffic(rng, web_api("storefront", ["pages", "cart", "products"]), START, 40, 1700)
    )
    storefront.add(
        loud(
            rng,
            START,
            22.1,
            17.9,
            420,
            fixed(
                "ERROR",
                lambda g: (
                    f"place order failed: POST https://lb-1.internal/api/orders -> 503 Service Unavailable (orders backend); cart {g.getrandbits(40):010x} kept"
                ),
            ),
        )
    )
    etckeeper = """$ sudo git -C /etc log -1 -p --stat -- haproxy/haproxy.cfg
commit 3b9e4d1f7a2c8e6b0d5f9a1c3e7b2d4f6a8c0e1b
Author: root <root@lb-1>
Date:   Wed Jan 21 11:01:58 2026 +0100

    saving uncommitted changes in /etc prior to systemctl reload haproxy (OPS-4182 health check tidy-up)

 haproxy/haproxy.cfg | 3 ++-
 1 file changed, 2 insertions(+), 1 deletion(-)

diff --git a/haproxy/haproxy.cfg b/haproxy/haproxy.cfg
index 51c2e0a..8d7f3b4 100644
--- a/haproxy/haproxy.cfg
+++ b/haproxy/haproxy.cfg
@@ -61,7 +61,8 @@ backend be_orders
     balance roundrobin
-    option httpchk GET /healthz
+    option httpchk
+    http-check send meth GET uri /health ver HTTP/1.1 hdr Host orders.internal
     http-check expect status 200
     default-server inter 2s fall 3 rise 2
     server orders-1 10.0.2.11:8080 check
"""
    return Bundle(
        question="Alert: 'POST /api/orders 5xx rate > 50%' firing since 11:02 CET. The orders servers look healthy. What is going on?",
        category="configuration",
        component="haproxy",
        statement="A HAProxy reload at 10:02 UTC changed be_orders' health check from GET /healthz to GET /health, which orders answers with 404, so all three orders servers were marked DOWN and HAProxy answers 503 (no server available) although the backend is healthy.",
        files={
            "lb-1-syslog.log": haproxy.render(),
            "orders-1.log": orders.render(),
            "storefront.log": storefront.render(),
            "etckeeper-last-change.txt": etckeeper,
        },
        proofs=[
            Proof(
                "lb-1-syslog.log",
                "Server be_orders/orders-1 is DOWN, reason: Layer7 wrong status, code: 404",
            ),
            Proof(
                "etckeeper-last-change.txt",
                "-    option httpchk GET /healthz",
                "+    http-check send meth GET uri /health ",
            ),
        ],
        decoys=[
            "backend 'be_orders' has no server available!",
            "order throughput dropped to 0/min",
            "503 Service Unavailable (orders backend)",
        ],
    )
