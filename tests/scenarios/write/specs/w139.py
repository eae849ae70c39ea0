# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE2 layout, one CSV per service): about 2 s of network delay on
emailservice from 04:36:18 UTC. emailservice's own log keeps handling each confirmation in a few
milliseconds, but its measured latency jumps to about 2 s; checkoutservice sends the order
confirmation synchronously at the end of PlaceOrder, so its latency follows a second later
(the knock-on), the shoppers' clients give up at 2 s and the frontend logs `context canceled`
failures on POST /cart/checkout. Decoys: checkoutservice's latency and its confirmation
warnings, the frontend's ad-service timeouts that happen all day, and a cartservice restart at
04:12 with a Redis reconnect."""

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2025, 2, 4, 4, 10, tzinfo=UTC)
STEP = 1
MINUTES = 38
POINTS = MINUTES * 60
FAULT = 26 * 60 + 18


def rfc3339(time: datetime) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{time.microsecond * 1000:09d}Z"


@dataclass
class Logrus:
    """logrus' JSON formatter as Online Boutique's Go services configure it."""

    fields: dict[str, str] = field(default_factory=dict)

    def render(self, record: Record) -> list[str]:
        body = json.loads(record.logger) if record.logger else {}
        body.update(
            {
                "message": record.message,
                "severity": record.level.lower().replace("warn", "warning"),
                "timestamp": rfc3339(record.time),
            }
        )
        return [json.dumps(body, separators=(",", ":"))]


@dataclass
class PyJson:
    """emailservice's python-json-logger lines."""

    def render(self, record: Record) -> list[str]:
        stamp_text = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        return [
            json.dumps(
                {
                    "timestamp": stamp_text,
                    "severity": record.level,
                    "name": "emailservice-server",
                    "message": record.message,
                }
            )
        ]


def email(rng: random.Random) -> str:
    return f"{rng.choice(['someone', 'jdoe', 'ann.lee', 'k.tanaka', 'mrossi', 'p.novak'])}{rng.randrange(100)}@example.com"


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}"


def request_fields(rng: random.Random, path: str, method: str = "GET") -> dict[str, str]:
    return {
        "http.req.id": uid(rng),
        "http.req.method": method,
        "http.req.path": path,
        "session": uid(rng),
    }


def frontend_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    path = rng.choice(
        [
            "/",
            "/product/OLJCESPC7Z",
            "/product/66VCHSJNUP",
            "/product/1YMWWN1N4O",
            "/cart",
            "/product/L9ECAV7KIM",
            "/setCurrency",
        ]
    )
    if roll < 0.06:
        return (
            "WARN",
            "failed to retrieve ads",
            (
                json.dumps(
                    {"error": "rpc error: code = DeadlineExceeded desc = context deadline exceeded"}
                    | request_fields(rng, path)
                ),
            ),
        )
    if roll < 0.5:
        return "DEBUG", "request started", (json.dumps(request_fields(rng, path)),)
    fields = request_fields(rng, path) | {
        "http.resp.bytes": rng.randrange(900, 12000),
        "http.resp.status": 200,
        "http.resp.took_ms": rng.randrange(3, 60),
    }
    return "DEBUG", "request complete", (json.dumps(fields),)


def as_logrus(records: list[Record]) -> list[Record]:
    """Move each record's JSON fields (carried in the trailer) into its logger slot."""
    return [
        Record(r.time, r.level, r.message, (), r.trailer[0] if r.trailer else None) for r in records
    ]


def checkout_done(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    fields = request_fields(rng, "/cart/checkout", "POST") | {
        "http.resp.bytes": rng.randrange(8000, 9500),
        "http.resp.status": 200,
        "http.resp.took_ms": rng.randrange(60, 190),
    }
    return "DEBUG", "request complete", (json.dumps(fields),)


def checkout_canceled(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    fields = {
        "error": "failed to complete the order: rpc error: code = Canceled desc = context canceled"
    } | request_fields(rng, "/cart/checkout", "POST")
    return "ERROR", "request error", (json.dumps(fields),)


def checkout_slow(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    fields = request_fields(rng, "/cart/checkout", "POST") | {
        "http.resp.bytes": rng.randrange(8000, 9500),
        "http.resp.status": 200,
        "http.resp.took_ms": rng.randrange(1990, 2300),
    }
    return "DEBUG", "request complete", (json.dumps(fields),)


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f'[PlaceOrder] user_id="{uid(rng)}" user_currency="{rng.choice(["USD", "EUR", "JPY", "CAD"])}"',
            (),
        )
    if roll < 0.7:
        return "INFO", f"payment went through (transaction_id: {uid(rng)})", ()
    return "INFO", f'order confirmation email sent to "{email(rng)}"', ()


def checkout_after(rng: random.Random) -> Line:
    level, message, trailer = checkout_line(rng)
    if message.startswith("order confirmation") and rng.random() < 0.75:
        return (
            "WARN",
            f'failed to send order confirmation to "{email(rng)}": rpc error: code = Canceled desc = context canceled',
            (),
        )
    return level, message, trailer


def email_line(rng: random.Random) -> Line:
    if rng.random() < 0.92:
        return (
            "INFO",
            f"A request to send order confirmation email to {email(rng)} has been received.",
            (),
        )
    return "INFO", "Health check received.", ()


def bundle() -> Bundle:
    rng = random.Random(1139)
    fault_minute = FAULT / 60
    after = MINUTES - fault_minute
    fault = START + timedelta(seconds=FAULT)
    frontend = LogFile("logs/frontend.log", Logrus())
    frontend.add(as_logrus(traffic(rng, frontend_line, START, MINUTES, 4200)))
    frontend.add(as_logrus(traffic(rng, checkout_done, START, fault_minute, 190)))
    frontend.add(
        as_logrus(traffic(rng, checkout_slow, fault + timedelta(seconds=2), after - 0.1, 80))
    )
    frontend.add(
        as_logrus(loud(rng, START, fault_minute + 0.04, after - 0.1, 290, checkout_canceled))
    )
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(traffic(rng, checkout_line, START, fault_minute, 620))
    checkout.add(traffic(rng, checkout_after, fault + timedelta(seconds=2), after - 0.05, 360))
    emailsvc = LogFile("logs/emailservice.log", PyJson())
    emailsvc.add(traffic(rng, email_line, START, MINUTES, 540))
    cart = LogFile("logs/cartservice.log", Logrus())
    cart.add(
        traffic(
            rng,
            lambda r: ("INFO", f"GetCartAsync called with userId={uid(r)}", ()),
            START,
            MINUTES,
            900,
        )
    )
    cart.add(
        [
            at(
                START,
                1.6,
                "INFO",
                "Connecting to Redis: redis-cart:6379,ssl=false,allowAdmin=false,connectRetry=5",
            ),
            at(
                START,
                1.7,
                "ERROR",
                "Wasn't able to connect to redis: It was not possible to connect to the redis server(s). UnableToConnect on redis-cart:6379/Interactive, Initializing/NotStarted, last: NONE, origin: BeginConnectAsync, outstanding: 0, last-read: 0s ago, last-write: 0s ago, keep-alive: 60s, state: Connecting, mgr: 10 of 10 available, last-heartbeat: never, global: 0s ago, v: 2.2.4.27433",
            ),
            at(START, 2.1, "INFO", "Successfully connected to Redis"),
        ]
    )

    levels = {
        "frontend": (0.092, 41, (0.0081, 0.0459), 36.8),
        "checkoutservice": (0.018, 19, (0.0412, 0.0933), 1.9),
        "emailservice": (0.011, 53, (0.0021, 0.0046), 1.9),
        "paymentservice": (0.012, 46, (0.0011, 0.0029), 1.9),
        "shippingservice": (0.009, 14, (0.0012, 0.0031), 4.1),
        "currencyservice": (0.061, 61, (0.0017, 0.0052), 48.2),
        "cartservice": (0.041, 72, (0.0032, 0.0121), 12.9),
        "productcatalogservice": (0.033, 22, (0.0011, 0.0037), 55.7),
        "recommendationservice": (0.047, 58, (0.0054, 0.0138), 9.8),
        "adservice": (0.028, 188, (0.0031, 0.0092), 10.2),
        "redis-cart": (0.014, 9, (0.0004, 0.0011), 12.9),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    services["emailservice"]["latency-50"] = shift(rng, 0.0021, 2.013, FAULT, 0.02)
    services["emailservice"]["latency-90"] = shift(rng, 0.0046, 2.071, FAULT, 0.02)
    services["checkoutservice"]["latency-50"] = shift(rng, 0.0412, 2.061, FAULT + 1, 0.03)
    services["checkoutservice"]["latency-90"] = shift(rng, 0.0933, 2.148, FAULT + 1, 0.03)
    services["frontend"]["latency-90"] = shift(rng, 0.0459, 0.612, FAULT + 2, 0.2)
    services["cartservice"]["cpu"] = shift(rng, 0.041, 0.041, 0, 0.08)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, series, 4)
        for name, series in services.items()
    }
    files |= {
        "logs/frontend.log": frontend.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/emailservice.log": emailsvc.render(),
        "logs/cartservice.log": cart.render(),
    }
    return Bundle(
        question="Checkouts in Online Boutique started failing or hanging around 04:36 UTC (customers see the spinner, then an error). Which service is the root cause?",
        category="network",
        component="emailservice",
        statement="From 04:36:18 UTC about 2 s of network delay sits on emailservice: its measured latency jumps from about 2-5 ms to about 2 s while its own handling stays fast, so checkoutservice's synchronous order-confirmation call makes every PlaceOrder take over 2 s (its latency follows a second later) and the frontend's checkouts are cancelled with `context canceled`.",
        files=files,
        proofs=[
            Proof(
                "metrics/emailservice.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2)
            )
        ],
        decoys=[
            "failed to send order confirmation",
            "failed to retrieve ads",
            "Wasn't able to connect to redis",
        ],
    )
