# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 style: wide CSV at 5 s with a `sockets` series): socket
exhaustion in recommendationservice's pod from 06:33:20 UTC (a stress process opening and
abandoning outbound connections until the ephemeral port range is used up). Its own log
shows a single catalog call failing with `Cannot assign requested address` before it logs
mostly `[Recv ListRecommendations]` lines again; the frontend, which fetches
recommendations on every product page, logs pages of `failed to get recommendations` errors
and serves product pages with 500. The on-call pasted `ss -s` from the pod into the
incident notes (CET). Decoys: the frontend's errors, productcatalogservice's catalog reload
line, and a shippingservice quote warning."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Record
from scenes import at, loud
from traffic import Line, traffic

CET = timezone(timedelta(hours=1))
START = datetime(2026, 2, 3, 6, 10, tzinfo=UTC)
MINUTES = 41
STEP = 5
FAULT = (23 * 60 + 20) // STEP
PRODUCTS = [
    "OLJCESPC7Z",
    "66VCHSJNUP",
    "1YMWWN1N4O",
    "L9ECAV7KIM",
    "2ZYFJ3GM2N",
    "0PUK6V6EV0",
    "LS4PSXUNUM",
    "9SIQT8TOJO",
    "6E92ZMYYFZ",
]


@dataclass
class PyJson:
    name: str

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [
            json.dumps(
                {
                    "timestamp": stamp,
                    "severity": record.level.replace("WARN", "WARNING"),
                    "name": self.name,
                    "message": record.message,
                }
            )
        ]


@dataclass
class Logrus:
    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}118Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-b{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def rec_line(rng: random.Random) -> Line:
    return "INFO", f"[Recv ListRecommendations] product_ids={rng.sample(PRODUCTS, 5)}", ()


def rec_fail(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'Exception calling application: <_MultiThreadedRendezvous of RPC that terminated with:\n\tstatus = StatusCode.UNAVAILABLE\n\tdetails = "failed to connect to all addresses; last error: UNKNOWN: ipv4:10.112.{rng.randrange(3, 9)}.{rng.randrange(2, 250)}:3550: Cannot assign requested address"\n>',
        (),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/product/" + rng.choice(PRODUCTS),
            "/cart",
            "/setCurrency",
            "/product/" + rng.choice(PRODUCTS),
        ]
    )
    return (
        "DEBUG",
        json.dumps(
            {
                "http.req.id": uid(rng),
                "http.req.method": "POST" if path == "/setCurrency" else "GET",
                "http.req.path": path,
                "http.resp.bytes": rng.randrange(1500, 14000),
                "http.resp.status": 200,
                "http.resp.took_ms": max(2, int(rng.lognormvariate(0, 0.5) * 31)),
                "message": "request complete",
                "session": uid(rng),
            }
        ),
        (),
    )


def front_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        json.dumps(
            {
                "error": 'failed to get recommendations: rpc error: code = Unknown desc = Exception calling application: <_MultiThreadedRendezvous of RPC that terminated with:\n\tstatus = StatusCode.UNAVAILABLE\n\tdetails = "failed to connect to all addresses"\n>',
                "http.req.id": uid(rng),
                "http.req.method": "GET",
                "http.req.path": "/product/" + rng.choice(PRODUCTS),
                "message": "request error",
                "session": uid(rng),
            }
        ),
        (),
    )


def ship_line(rng: random.Random) -> Line:
    if rng.random() < 0.97:
        return (
            "INFO",
            json.dumps(
                {
                    "message": f"[GetQuote] completed request, quote: {rng.randrange(5, 30)}.{rng.randrange(0, 99):02d} USD"
                }
            ),
            (),
        )
    return (
        "WARN",
        json.dumps(
            {"message": "[GetQuote] received request with empty address, using default zip"}
        ),
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20292)
    rec = LogFile("logs/recommendationservice.log", PyJson("recommendationservice-server"))
    rec.add(traffic(rng, rec_line, START, 23.4, 1250))
    rec.add(traffic(rng, rec_line, START + timedelta(minutes=23.4), MINUTES - 23.4, 340))
    rec.add(
        [
            at(
                START,
                23.48,
                "ERROR",
                'Exception calling application: <_InactiveRpcError of RPC that terminated with:\n\tstatus = StatusCode.UNAVAILABLE\n\tdetails = "failed to connect to all addresses; last error: UNKNOWN: ipv4:10.112.4.37:3550: Cannot assign requested address"\n>',
            )
        ]
    )
    rec.add(loud(rng, START, 23.6, MINUTES - 23.7, 9, rec_fail))
    front = LogFile("logs/frontend.log", Logrus())
    front.add(traffic(rng, front_line, START, MINUTES, 3700))
    front.add(loud(rng, START, 23.55, MINUTES - 23.6, 420, front_error))
    ship = LogFile("logs/shippingservice.log", Logrus())
    ship.add(traffic(rng, ship_line, START, MINUTES, 300))
    catalog = LogFile("logs/productcatalogservice.log", Logrus())
    catalog.add(
        [
            at(
                START,
                1.0 + i * 8.0,
                "INFO",
                json.dumps({"message": "successfully parsed product catalog json"}),
            )
            for i in range(5)
        ]
    )
    catalog.add(
        [
            at(
                START,
                17.2,
                "INFO",
                json.dumps({"message": "Received signal: user defined signal 1"}),
            ),
            at(START, 17.21, "WARN", json.dumps({"message": "Enable catalog reloading"})),
        ]
    )
    levels = {
        "frontend": (0.209, 50.3, (0.0297, 0.0842), 40.6),
        "recommendationservice": (0.081, 58.2, (0.0193, 0.0538), 11.4),
        "productcatalogservice": (0.097, 20.0, (0.0018, 0.0056), 57.0),
        "cartservice": (0.078, 70.1, (0.0050, 0.0148), 13.5),
        "currencyservice": (0.140, 69.0, (0.0022, 0.0068), 64.2),
        "checkoutservice": (0.022, 23.8, (0.0402, 0.1090), 2.1),
        "shippingservice": (0.016, 17.6, (0.0017, 0.0046), 4.2),
        "adservice": (0.058, 180.9, (0.0040, 0.0129), 11.6),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    for name, value in levels.items():
        services[name]["sockets"] = shift(rng, 60 + value[3] * 2, 60 + value[3] * 2, 0, 0.06)
    r = services["recommendationservice"]
    r["sockets"] = shift(rng, 83.0, 28210.0, FAULT, 0.01, ramp=4)
    r["latency-50"] = shift(rng, 0.0193, 0.0047, FAULT + 4, 0.1)
    r["cpu"] = shift(rng, 0.081, 0.121, FAULT, 0.08)
    local = (START + timedelta(minutes=29)).astimezone(CET)
    notes = (
        f"# INC-2231 product pages 500 ({local.strftime('%d.%m.%Y')}, times CET)\n\n"
        f"{(START + timedelta(minutes=24.5)).astimezone(CET).strftime('%H:%M')} pager: frontend 5xx > 20% on /product/*\n"
        f"{(START + timedelta(minutes=27)).astimezone(CET).strftime('%H:%M')} productcatalogservice looks fine (catalog reload earlier was a test, reverted)\n"
        f"{local.strftime('%H:%M')} ss from recommendationservice pod:\n\n"
        "    $ kubectl exec deploy/recommendationservice -c server -- ss -s\n"
        "    Total: 28402\n"
        "    TCP:   28356 (estab 41, closed 28297, orphaned 0, timewait 61)\n\n"
        "    Transport Total     IP        IPv6\n"
        "    RAW\t  0         0         0\n"
        "    UDP\t  1         1         0\n"
        "    TCP\t  59        57        2\n"
        "    INET\t  60        58        2\n"
        "    FRAG\t  0         0         0\n\n"
        "    $ kubectl exec deploy/recommendationservice -c server -- cat /proc/sys/net/ipv4/ip_local_port_range\n"
        "    32768\t60999\n\n"
        f"{(START + timedelta(minutes=33)).astimezone(CET).strftime('%H:%M')} shipping warnings are the usual empty-address thing, ignore\n"
    )
    files = {
        "metrics.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "notes.md": notes,
        "logs/frontend.log": front.render(),
        "logs/recommendationservice.log": rec.render(),
        "logs/productcatalogservice.log": catalog.render(),
        "logs/shippingservice.log": ship.render(),
    }
    return Bundle(
        question="Product pages started returning 500 around 07:34 CET; the catalog team says their service is fine. What is the root cause?",
        category="network",
        component="recommendationservice",
        statement="From 06:33:20 UTC (07:33 CET) recommendationservice's pod runs out of ephemeral ports: its sockets climb from ~80 to ~28,000 (28,297 closed-but-held TCP sockets in `ss -s`) and its outbound connects fail with `Cannot assign requested address`; the frontend's recommendation calls fail and product pages answer 500.",
        files=files,
        proofs=[
            Proof(
                "logs/recommendationservice.log",
                "ipv4:10.112.4.37:3550: Cannot assign requested address",
            ),
            Proof("metrics.csv", stamp(START, STEP, FAULT + 1)),
            Proof("notes.md", "TCP:   28356"),
        ],
        decoys=[
            "failed to get recommendations",
            "Enable catalog reloading",
            "received request with empty address",
        ],
    )
