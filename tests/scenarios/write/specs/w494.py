# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE3 layout, one wide CSV): a new shippingservice build (v0.10.3,
rolled out 02:11 UTC, Europe/Dublin customers at night) parses the destination zip code with
strconv.Atoi to pick a rate band. Every address whose postal code is not all digits (UK,
Canada, Netherlands) now makes GetQuote and ShipOrder fail with `InvalidArgument`; the service's
own log says so in one error line per failed request. checkoutservice and
frontend log the loud `failed to prepare order: shipping quote failure` errors; metrics barely
move (the restart at the rollout is the only visible step). Decoys: frontend's
`currency_code` not supported warning, adservice's heap warning, and a recommendationservice
channel reconnect."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import PythonLogging, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2026, 11, 8, 1, 48, tzinfo=UTC)
MINUTES = 50
STEP = 5
ROLLOUT = 23.0  # 02:11
ZIPS_OK = ["94043", "10011", "60601", "73301", "98101", "30301", "02108"]
ZIPS_BAD = ["SW1A 1AA", "M5V 2T6", "1012 AB", "EH1 1YZ", "H2X 1Y4", "D02 X285"]


@dataclass
class Logrus:
    def render(self, record: Record) -> list[str]:
        body = (
            json.loads(record.message)
            if record.message.startswith("{")
            else {"message": record.message}
        )
        body["severity"] = record.level.lower().replace("warn", "warning")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}118Z"
        )
        return [json.dumps(dict(sorted(body.items())))]


def sid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def ship_ok(rng: random.Random) -> Line:
    return rng.choice(
        [
            ("INFO", "[GetQuote] received request", ()),
            (
                "INFO",
                f"[GetQuote] completed request (zip {rng.choice(ZIPS_OK)}, {rng.randrange(1, 9)} items)",
                (),
            ),
            ("INFO", "[ShipOrder] received request", ()),
            (
                "INFO",
                f"[ShipOrder] completed request, tracking id {rng.choice('ABCDEFGH')}{rng.choice('JKLMNP')}-{rng.randrange(10**7, 10**8)}-{rng.randrange(10**7, 10**8)}",
                (),
            ),
        ]
    )


def ship_bad(rng: random.Random) -> Line:
    zip_code = rng.choice(ZIPS_BAD)
    return (
        "ERROR",
        f'[GetQuote] failed: rate band for zip {zip_code!r}: strconv.Atoi: parsing "{zip_code}": invalid syntax',
        (),
    )


def front_ok(rng: random.Random) -> Line:
    return (
        "DEBUG",
        json.dumps(
            {
                "http.req.id": sid(rng),
                "http.req.method": "GET",
                "http.req.path": rng.choice(
                    [
                        "/",
                        "/cart",
                        "/product/L9ECAV7KIM",
                        "/product/OLJCESPC7Z",
                        "/product/6E92ZMYYFZ",
                    ]
                ),
                "http.resp.status": 200,
                "http.resp.took_ms": rng.randrange(3, 80),
                "message": "request complete",
                "session": sid(rng),
            }
        ),
        (),
    )


def front_bad(rng: random.Random) -> Line:
    return (
        "ERROR",
        json.dumps(
            {
                "error": "failed to complete the order: rpc error: code = Internal desc = failed to prepare order: shipping quote failure: rpc error: code = InvalidArgument desc = could not quote shipment",
                "http.req.id": sid(rng),
                "http.req.method": "POST",
                "http.req.path": "/cart/checkout",
                "message": "request error",
                "session": sid(rng),
            }
        ),
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(49488)
    ship = LogFile("logs/shippingservice.log", Logrus())
    ship.add(traffic(rng, ship_ok, START, MINUTES, 2100))
    ship.add(
        [
            at(START, ROLLOUT - 0.1, "INFO", "Shipping Service: shutting down (SIGTERM)"),
            at(
                START,
                ROLLOUT + 0.2,
                "INFO",
                json.dumps(
                    {
                        "message": "starting shippingservice",
                        "version": "v0.10.3",
                        "commit": "9d41c7e",
                        "rate_table": "zone-bands-2026q4",
                    }
                ),
            ),
            at(START, ROLLOUT + 0.21, "INFO", "Shipping Service listening on port 50051"),
        ]
    )
    ship.add(loud(rng, START, ROLLOUT + 1.4, MINUTES - ROLLOUT - 1.5, 160, ship_bad))
    ship.add(
        [
            at(
                START,
                ROLLOUT + 1.3,
                "ERROR",
                "[GetQuote] failed: rate band for zip 'SW1A 2AA': strconv.Atoi: parsing \"SW1A 2AA\": invalid syntax; returning InvalidArgument",
            )
        ]
    )
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f'[PlaceOrder] user_id="{sid(r)}" user_currency="{r.choice(["EUR", "GBP", "USD", "CAD"])}"'
                ),
            ),
            START,
            MINUTES,
            520,
        )
    )
    checkout.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"payment went through (transaction_id: {sid(r)})"),
            START,
            MINUTES,
            360,
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            ROLLOUT + 1.4,
            MINUTES - ROLLOUT - 1.5,
            150,
            fixed(
                "WARN",
                lambda r: (
                    "failed to prepare order: shipping quote failure: rpc error: code = InvalidArgument desc = could not quote shipment"
                ),
            ),
        )
    )
    front = LogFile("logs/frontend.log", Logrus())
    front.add(traffic(rng, front_ok, START, MINUTES, 3600))
    front.add(loud(rng, START, ROLLOUT + 1.4, MINUTES - ROLLOUT - 1.5, 155, front_bad))
    front.add(
        loud(
            rng,
            START,
            4.0,
            40.0,
            11,
            fixed(
                "WARN",
                lambda r: json.dumps(
                    {
                        "message": f"currency_code {r.choice(['ISK', 'HUF', 'ZAR'])} not supported, falling back to EUR",
                        "session": sid(r),
                    }
                ),
            ),
        )
    )
    ads = LogFile("logs/adservice.log", Logrus())
    ads.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"received ad request (context_words=[{r.choice(['clothing', 'kitchen', 'accessories', 'footwear'])}])"
                ),
            ),
            START,
            MINUTES,
            1100,
        )
    )
    ads.add(
        [at(START, 35.7, "WARN", "GC overhead: heap usage 81% of -Xmx256m after young collection")]
    )
    reco = LogFile(
        "logs/recommendationservice.log", PythonLogging(("recommendationservice-server",), rng=rng)
    )
    reco.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[Recv ListRecommendations] product_ids=['{r.choice(['0PUK6V6EV0', 'LS4PSXUNUM', '9SIQT8TOJO'])}']"
                ),
            ),
            START,
            MINUTES,
            1200,
        )
    )
    reco.add(
        [
            at(
                START,
                14.4,
                "WARN",
                "grpc channel to productcatalogservice:3550 went TRANSIENT_FAILURE, reconnecting",
            )
        ]
    )
    levels = {
        "frontend": (0.198, 48.1, (0.0292, 0.0874), 39.7),
        "checkoutservice": (0.025, 23.4, (0.0407, 0.1082), 2.0),
        "shippingservice": (0.015, 17.9, (0.0016, 0.0046), 4.1),
        "paymentservice": (0.012, 42.2, (0.0013, 0.0037), 2.0),
        "emailservice": (0.013, 37.9, (0.0042, 0.0107), 2.0),
        "currencyservice": (0.147, 67.5, (0.0021, 0.0062), 69.3),
        "cartservice": (0.071, 63.4, (0.0048, 0.0137), 13.8),
        "productcatalogservice": (0.093, 20.4, (0.0019, 0.0058), 56.1),
        "recommendationservice": (0.083, 58.8, (0.0201, 0.0571), 10.9),
        "adservice": (0.116, 179.4, (0.0030, 0.0089), 9.6),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    at_roll = int(ROLLOUT * 60 // STEP)
    services["shippingservice"]["mem"] = shift(rng, 17.9, 12.6, at_roll, 0.01, ramp=1)
    services["checkoutservice"]["workload"] = shift(rng, 2.0, 1.6, at_roll + 17, 0.06)
    services["paymentservice"]["workload"] = shift(rng, 2.0, 1.3, at_roll + 17, 0.06)
    points = MINUTES * 60 // STEP
    return Bundle(
        question="Since a bit after 02:10 UTC a lot of checkouts on the boutique fail with 'could not quote shipment', but only for some customers. What is the root cause?",
        category="code_error",
        component="shippingservice",
        statement="shippingservice v0.10.3, rolled out at 02:11 UTC, parses the destination zip code with strconv.Atoi to choose a rate band, so every non-numeric postal code (UK, Canada, Netherlands) makes GetQuote fail with InvalidArgument and checkoutservice cannot prepare those orders.",
        files={
            "metrics/data.csv": wide_csv(START, STEP, points, services),
            "logs/frontend.log": front.render(),
            "logs/checkoutservice.log": checkout.render(),
            "logs/shippingservice.log": ship.render(),
            "logs/adservice.log": ads.render(),
            "logs/recommendationservice.log": reco.render(),
        },
        proofs=[
            Proof("logs/shippingservice.log", '"version": "v0.10.3"'),
            Proof(
                "logs/shippingservice.log",
                'parsing \\"SW1A 2AA\\": invalid syntax; returning InvalidArgument',
            ),
        ],
        decoys=[
            "not supported, falling back to EUR",
            "GC overhead: heap usage 81% of -Xmx256m",
            "went TRANSIENT_FAILURE, reconnecting",
        ],
    )
