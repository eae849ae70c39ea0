# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one wide CSV): about 35% packet loss (tc netem) on the
currencyservice pod from 13:08:09 UTC. Its median latency barely moves but its p90 jumps as
TCP retransmits, and its workload dips; the frontend (which converts every price on every page)
and checkoutservice slow down with it, and a few of the frontend's calls fail when a stream is
reset. currencyservice's own log keeps saying `conversion request successful`. The on-call
engineer pastes `ss -tni` from a frontend pod where only the connection to currencyservice shows
retransmissions. Loud: the load generator's timeouts and the frontend's slow pages and
`could not retrieve currencies` errors. Decoys: the frontend's ordinary `failed to retrieve
ads`, a stale redis-cart blip at 12:58, and the load generator's timeouts (symptom)."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import JsonLines, Pino, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2024, 11, 21, 12, 55, tzinfo=UTC)
MINUTES = 30
POINTS = MINUTES * 60
FAULT = 13 * 60 + 9
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
CURRENCIES = ["USD", "EUR", "JPY", "CAD", "GBP", "TRY"]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-9{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def frontend(slow: bool):
    def line(rng: random.Random) -> Line:
        path = rng.choice(
            [
                "/",
                "/",
                f"/product/{rng.choice(PRODUCTS)}",
                f"/product/{rng.choice(PRODUCTS)}",
                "/cart",
                "/cart/checkout",
                "/setCurrency",
            ]
        )
        if path == "/setCurrency":
            return (
                "debug",
                f"request complete http.req.id={uuid(rng)} http.req.method=POST http.req.path=/setCurrency http.resp.status=302 http.resp.took_ms={rng.randrange(1, 4)}",
                (),
            )
        if rng.random() < 0.03:
            return (
                "warning",
                f'failed to retrieve ads http.req.id={uuid(rng)} error="rpc error: code = DeadlineExceeded desc = context deadline exceeded"',
                (),
            )
        method = "POST" if path == "/cart/checkout" else "GET"
        took = rng.randrange(8, 130)
        if slow and rng.random() < 0.6:
            took += rng.choice([210, 420, 630, 1250, 2470, 3300]) + rng.randrange(0, 200)
        return (
            "debug",
            f"request complete http.req.id={uuid(rng)} http.req.method={method} http.req.path={path} http.resp.status=200 http.resp.took_ms={took}",
            (),
        )

    return line


def frontend_failure(rng: random.Random) -> Line:
    path = rng.choice(["/", f"/product/{rng.choice(PRODUCTS)}", "/cart"])
    what = "could not retrieve currencies" if path == "/" else "failed to convert currency"
    return (
        "error",
        f'request error http.req.id={uuid(rng)} http.req.method=GET http.req.path={path} http.resp.status=500 error="{what}: rpc error: code = Unavailable desc = error reading from server: read tcp 10.244.1.37:{rng.randrange(40000, 60000)}->10.96.188.40:7000: read: connection reset by peer"',
        (),
    )


def currency_line(rng: random.Random) -> Line:
    if rng.random() < 0.75:
        return "INFO", "conversion request successful", ()
    return "INFO", "Getting supported currencies...", ()


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "info",
            f'[PlaceOrder] user_id="{uuid(rng)}" user_currency="{rng.choice(CURRENCIES)}"',
            (),
        )
    if roll < 0.75:
        return "info", f"payment went through (transaction_id: {uuid(rng)})", ()
    return (
        "info",
        f'order confirmation email sent to "{rng.choice(["pat", "lee", "someone", "jo"])}{rng.randrange(500)}@example.com"',
        (),
    )


class Locust:
    def render(self, record: Record) -> list[str]:
        text = record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        return [
            f"[{text}] loadgenerator-7d8c5b9f6-kq4zr/{record.level}/locust.user.users: {record.message}"
        ]


def locust_failure(rng: random.Random) -> Line:
    path = rng.choice(["/", "/", f"/product/{rng.choice(PRODUCTS)}", "/cart"])
    return (
        "ERROR",
        f"GET {path}: ReadTimeout(\"HTTPConnectionPool(host='frontend', port=80): Read timed out. (read timeout=3)\")",
        (),
    )


NOTES = """Shop slow since ~13:08, notes (Kenji)

Frontend p90 is all over the place, some 500s. No deploys today. Pod list clean, no restarts.
From one frontend pod, connections to its gRPC backends (trimmed):

$ kubectl exec -n boutique deploy/frontend -- ss -tni state established
Recv-Q Send-Q  Local Address:Port    Peer Address:Port
0      0        10.244.1.37:51812   10.96.140.17:3550
\t cubic wscale:7,7 rto:204 rtt:0.412/0.171 ato:40 mss:1398 cwnd:10 bytes_acked:8811204 segs_out:60142 segs_in:59277 send 271.5Mbps retrans:0/2
0      0        10.244.1.37:46090   10.96.188.40:7000
\t cubic wscale:7,7 rto:3104 rtt:611.7/402.9 ato:40 mss:1398 cwnd:2 ssthresh:2 bytes_acked:5120933 segs_out:48201 segs_in:31477 send 36.6Kbps lost:3 retrans:1/4127 reordering:5
0      0        10.244.1.37:39518   10.96.41.201:7070
\t cubic wscale:7,7 rto:204 rtt:0.533/0.208 ato:40 mss:1398 cwnd:10 bytes_acked:3310752 segs_out:22915 segs_in:22409 send 209.8Mbps retrans:0/1
0      0        10.244.1.37:58264   10.96.12.88:50051
\t cubic wscale:7,7 rto:204 rtt:0.398/0.144 ato:40 mss:1398 cwnd:10 bytes_acked:412873 segs_out:3119 segs_in:3087 send 281.0Mbps retrans:0/0

(10.96.140.17 productcatalogservice, 10.96.188.40 currencyservice, 10.96.41.201 cartservice,
10.96.12.88 checkoutservice)
"""


def bundle() -> Bundle:
    rng = random.Random(1174)
    fault = FAULT / 60
    after = MINUTES - fault
    keys = ("timestamp", "severity", "message")
    front = LogFile(
        "logs/frontend.log", JsonLines("frontend", keys=keys, lower_level=False, rng=rng)
    )
    front.add(traffic(rng, frontend(False), START, fault + 0.1, 1900))
    front.add(
        traffic(rng, frontend(True), START + timedelta(minutes=fault + 0.1), after - 0.1, 1600)
    )
    front.add(loud(rng, START, fault + 0.3, after - 0.4, 65, frontend_failure))
    front.add(
        [
            at(
                START,
                3.2,
                "error",
                'request error http.req.id=2be71c94-0a6d-4f13-8e52-c91d6f3e7a08 http.req.method=GET http.req.path=/cart http.resp.status=500 error="could not retrieve cart: rpc error: code = FailedPrecondition desc = Can\'t access cart storage. StackExchange.Redis.RedisConnectionException: No connection is available to service this operation: HGETALL 9f1e2d3c-4b5a-4697-8a1b-0c2d3e4f5a6b"',
            ),
            at(
                START,
                3.25,
                "error",
                'request error http.req.id=71d0e5a2-3c4b-4e8f-9a61-5b2c7d8e9f01 http.req.method=GET http.req.path=/cart http.resp.status=500 error="could not retrieve cart: rpc error: code = FailedPrecondition desc = Can\'t access cart storage. StackExchange.Redis.RedisConnectionException: No connection is available to service this operation: HGETALL 3a4b5c6d-7e8f-4091-a2b3-c4d5e6f7a8b9"',
            ),
        ]
    )
    currency = LogFile("logs/currencyservice.log", Pino("currencyservice-6d7f8c9b5-hz2mw", rng=rng))
    currency.add(traffic(rng, currency_line, START, fault, 2200))
    currency.add(traffic(rng, currency_line, START + timedelta(minutes=fault), after, 1300))
    checkout = LogFile(
        "logs/checkoutservice.log",
        JsonLines("checkoutservice", keys=keys, lower_level=False, rng=rng),
    )
    checkout.add(traffic(rng, checkout_line, START, MINUTES, 700))
    locust = LogFile("logs/loadgenerator.log", Locust())
    locust.add(loud(rng, START, fault + 0.2, after - 0.3, 240, locust_failure))
    locust.add(
        loud(
            rng,
            START,
            0.0,
            MINUTES,
            30,
            fixed(
                "INFO",
                lambda r: (
                    f"Running: {r.randrange(95, 101)} users, {r.randrange(38, 46)}.{r.randrange(10)} req/s"
                ),
            ),
        )
    )

    levels = {
        "frontend": (0.162, 50, (0.0148, 0.0701), 43.9),
        "currencyservice": (0.238, 57, (0.0030, 0.0121), 83.7),
        "productcatalogservice": (0.086, 19, (0.0017, 0.0070), 96.8),
        "recommendationservice": (0.111, 62, (0.0102, 0.0289), 21.3),
        "cartservice": (0.070, 72, (0.0045, 0.0150), 18.6),
        "checkoutservice": (0.027, 21, (0.0399, 0.0922), 2.2),
        "shippingservice": (0.017, 13, (0.0016, 0.0048), 8.3),
        "paymentservice": (0.015, 62, (0.0021, 0.0062), 2.2),
        "emailservice": (0.021, 47, (0.0119, 0.0303), 2.2),
        "adservice": (0.049, 212, (0.0024, 0.0082), 18.1),
        "redis-cart": (0.031, 8, (0.0004, 0.0012), 19.2),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    cur = services["currencyservice"]
    cur["latency-50"] = shift(rng, 0.0030, 0.0041, FAULT, 0.15)
    cur["latency-90"] = shift(rng, 0.0121, 0.6240, FAULT, 0.35)
    cur["workload"] = shift(rng, 83.7, 61.2, FAULT + 2, 0.12)
    cur["cpu"] = shift(rng, 0.238, 0.181, FAULT + 2, 0.1)
    services["frontend"]["latency-90"] = shift(rng, 0.0701, 2.4810, FAULT + 3, 0.3, ramp=10)
    services["frontend"]["latency-50"] = shift(rng, 0.0148, 0.2210, FAULT + 3, 0.3, ramp=10)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.0922, 1.3350, FAULT + 4, 0.3, ramp=10)
    services["frontend"]["workload"] = shift(rng, 43.9, 35.2, FAULT + 10, 0.08)
    redis_latency = services["redis-cart"]["latency-90"]
    services["redis-cart"]["latency-90"] = lambda i: (
        redis_latency(i) * (40.0 if 190 <= i < 197 else 1.0)
    )
    files = {
        "data.csv": wide_csv(START, 1, POINTS, services),
        "logs/frontend.log": front.render(),
        "logs/currencyservice.log": currency.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/loadgenerator.log": locust.render(),
        "notes.md": NOTES,
    }
    return Bundle(
        question="Online Boutique pages are slow and some return 500 since about 13:08 UTC. Which service is the root cause?",
        category="network",
        component="currencyservice",
        statement="From 13:08:09 UTC about 35% packet loss on the currencyservice pod makes its p90 jump while its median barely moves (TCP retransmissions, 4127 retransmitted segments on the frontend's connection to it); every page that converts prices slows down, some calls are reset and return 500, and the load generator times out.",
        files=files,
        proofs=[
            Proof("data.csv", stamp(START, 1, FAULT), stamp(START, 1, FAULT + 3)),
            Proof("notes.md", "10.96.188.40:7000", "retrans:1/4127"),
        ],
        decoys=[
            "failed to retrieve ads",
            "Can't access cart storage",
            "Read timed out. (read timeout=3)",
        ],
    )
