# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE3 layout: per-service logs and one wide CSV): a new
shippingservice build (v0.10.4-rc2, rolled out at 17:14 UTC) parses the postal code as an
integer when it computes a quote. US ZIP codes still work, but every address with letters in
its postal code (Canada, UK, Netherlands) fails with `strconv.Atoi: parsing ... invalid
syntax`; checkoutservice fails those orders and frontend shows 500 on checkout for them. The
metrics barely move (a short restart dip and a small error share). Decoys: a currencyservice
stale-rates warning, emailservice's template fallback, and frontend's loud checkout errors."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import Pino, PythonLogging, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 10, 14, 16, 55, tzinfo=UTC)
MINUTES = 40
STEP = 1
ROLLOUT = 19 * 60 + 20
FOREIGN = [
    ("K1A 0B1", "CA"),
    ("M5V 3L9", "CA"),
    ("SW1A 1AA", "GB"),
    ("EC1A 1BB", "GB"),
    ("1012 JS", "NL"),
    ("H2X 1Y4", "CA"),
]
ZIPS = ["94043", "10001", "60601", "98109", "02139", "73301", "30301"]


@dataclass
class Logrus:
    tail: str

    def render(self, record: Record) -> list[str]:
        body = json.loads(record.message)
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond:06d}{self.tail}Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-9{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def shipping_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return "INFO", json.dumps({"message": "[GetQuote] received request"}), ()
    if roll < 0.9:
        return "INFO", json.dumps({"message": "[GetQuote] completed request"}), ()
    return (
        "INFO",
        json.dumps(
            {
                "message": f"[ShipOrder] completed request, tracking id {rng.choice('ABCDEFGH')}{rng.choice('JKLMNP')}-{rng.randrange(10**4, 10**5)}-{rng.randrange(10**7, 10**8)}"
            }
        ),
        (),
    )


def shipping_error(rng: random.Random) -> Line:
    code, _ = rng.choice(FOREIGN)
    return (
        "ERROR",
        json.dumps(
            {
                "message": f'[GetQuote] failed: strconv.Atoi: parsing "{code.replace(" ", "")}": invalid syntax'
            }
        ),
        (),
    )


def checkout_line(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return (
            "INFO",
            json.dumps(
                {
                    "message": f'[PlaceOrder] user_id="{uid(rng)}" user_currency="{rng.choice(["USD", "EUR", "CAD", "GBP"])}"'
                }
            ),
            (),
        )
    return "INFO", json.dumps({"message": f"payment went through (transaction_id: {uid(rng)})"}), ()


def checkout_error(rng: random.Random) -> Line:
    code, country = rng.choice(FOREIGN)
    return (
        "WARN",
        json.dumps(
            {
                "message": f'failed to prepare order: shipping quote failure: rpc error: code = Internal desc = failed to get quote for address (country={country} zip="{code}"): strconv.Atoi: parsing "{code.replace(" ", "")}": invalid syntax'
            }
        ),
        (),
    )


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/cart",
            "/product/OLJCESPC7Z",
            "/product/9SIQT8TOJO",
            "/setCurrency",
            "/cart/checkout",
        ]
    )
    method = "POST" if path in ("/setCurrency", "/cart/checkout") else "GET"
    return (
        "DEBUG",
        json.dumps(
            {
                "http.req.method": method,
                "http.req.path": path,
                "http.resp.status": 302 if method == "POST" else 200,
                "http.resp.took_ms": max(2, int(rng.lognormvariate(0, 0.5) * 30)),
                "message": "request complete",
                "session": uid(rng),
            }
        ),
        (),
    )


def frontend_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        json.dumps(
            {
                "error": "failed to complete the order: rpc error: code = Internal desc = failed to prepare order: shipping quote failure",
                "http.req.method": "POST",
                "http.req.path": "/cart/checkout",
                "message": "request error",
                "session": uid(rng),
            }
        ),
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(370_5182)
    ship = LogFile("logs/shippingservice.log", Logrus("107"))
    ship.add(traffic(rng, shipping_line, START, ROLLOUT / 60 - 0.3, 1500))
    ship.add(
        [
            at(
                START,
                ROLLOUT / 60 - 0.05,
                "INFO",
                json.dumps({"message": "Shipping Service listening on port 50051"}),
            ),
            at(
                START,
                ROLLOUT / 60 - 0.06,
                "INFO",
                json.dumps(
                    {
                        "message": "starting shippingservice version=v0.10.4-rc2 commit=8d41e3c quote=zone-rates"
                    }
                ),
            ),
            at(START, ROLLOUT / 60 - 0.04, "INFO", json.dumps({"message": "Profiler enabled."})),
        ]
    )
    ship.add(
        traffic(
            rng, shipping_line, START + timedelta(seconds=ROLLOUT), MINUTES - ROLLOUT / 60, 1300
        )
    )
    ship.add(
        [
            at(
                START,
                ROLLOUT / 60 + 0.71,
                "ERROR",
                json.dumps(
                    {
                        "message": '[GetQuote] failed: strconv.Atoi: parsing "M5V3L9": invalid syntax (address.ZipCode="M5V 3L9" country=CA)'
                    }
                ),
            )
        ]
    )
    ship.add(loud(rng, START, ROLLOUT / 60 + 0.8, MINUTES - ROLLOUT / 60 - 1, 140, shipping_error))
    chk = LogFile("logs/checkoutservice.log", Logrus("551"))
    chk.add(traffic(rng, checkout_line, START, MINUTES, 1400))
    chk.add(loud(rng, START, ROLLOUT / 60 + 0.75, MINUTES - ROLLOUT / 60 - 1, 140, checkout_error))
    front = LogFile("logs/frontend.log", Logrus("903"))
    front.add(traffic(rng, frontend_line, START, MINUTES, 3200))
    front.add(
        loud(rng, START, ROLLOUT / 60 + 0.78, MINUTES - ROLLOUT / 60 - 1, 140, frontend_error)
    )
    cur = LogFile("logs/currencyservice.log", Pino("currencyservice-7f6d8c9b4-lm2rt", rng=rng))
    cur.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"conversion request successful ({r.choice(['USD', 'EUR', 'CAD'])} -> {r.choice(['USD', 'GBP', 'JPY'])})",
                (),
            ),
            START,
            MINUTES,
            1600,
        )
    )
    cur.add(
        [
            at(
                START,
                7.2,
                "WARN",
                "rates cache older than 12h; upstream ECB feed returned 503, keeping previous rates",
            )
        ]
    )
    email = LogFile("logs/emailservice.log", PythonLogging(("emailservice-server",), rng=rng))
    email.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"A request to send order confirmation email to {r.choice(['alice', 'bo', 'chen', 'dana', 'eli'])}{r.randrange(100)}@example.com has been received.",
                (),
            ),
            START,
            MINUTES,
            700,
        )
    )
    email.add(
        [
            at(
                START,
                30.5,
                "WARN",
                "template confirmation.html: missing translation for locale fr_CA, falling back to en",
            )
        ]
    )
    levels = {
        "frontend": (0.226, 49.7, (0.0238, 0.0711), 42.9),
        "checkoutservice": (0.027, 26.3, (0.0408, 0.1127), 2.3),
        "shippingservice": (0.019, 17.9, (0.0015, 0.0043), 4.6),
        "cartservice": (0.074, 65.1, (0.0047, 0.0136), 14.5),
        "currencyservice": (0.151, 72.2, (0.0021, 0.0063), 66.8),
        "paymentservice": (0.014, 47.9, (0.0011, 0.0033), 2.2),
        "emailservice": (0.021, 38.4, (0.0052, 0.0141), 1.8),
        "productcatalogservice": (0.099, 21.9, (0.0017, 0.0050), 58.1),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    s = services["shippingservice"]
    s["mem"] = shift(rng, 17.9, 12.4, ROLLOUT, 0.01)
    s["workload"] = shift(rng, 4.6, 4.5, ROLLOUT, 0.08)
    services["paymentservice"]["workload"] = shift(rng, 2.2, 1.7, ROLLOUT + 45, 0.08)
    services["emailservice"]["workload"] = shift(rng, 1.8, 1.4, ROLLOUT + 45, 0.08)
    points = MINUTES * 60 // STEP
    files = {
        "metrics/data.csv": wide_csv(START, STEP, points, services),
        "logs/shippingservice.log": ship.render(),
        "logs/checkoutservice.log": chk.render(),
        "logs/frontend.log": front.render(),
        "logs/currencyservice.log": cur.render(),
        "logs/emailservice.log": email.render(),
    }
    return Bundle(
        question="Support says customers in Canada and the UK cannot check out since around 17:15 UTC, while US orders go through. What is the root cause?",
        category="code_error",
        component="shippingservice",
        statement="The shippingservice build v0.10.4-rc2 rolled out at 17:14 UTC parses the postal code as an integer when quoting; every non-numeric postal code fails with `strconv.Atoi ... invalid syntax`, so checkoutservice cannot prepare those orders and checkout fails for non-US addresses.",
        files=files,
        proofs=[
            Proof("logs/shippingservice.log", "version=v0.10.4-rc2"),
            Proof("logs/shippingservice.log", "(address.ZipCode="),
        ],
        decoys=[
            "upstream ECB feed returned 503",
            "missing translation for locale fr_CA",
            'shipping quote failure", "http.req.method',
        ],
    )
