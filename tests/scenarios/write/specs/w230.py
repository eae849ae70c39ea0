# ruff: noqa: E501
# Hand-written log lines, notes and stack frames are data, kept whole on one line.
"""Online Boutique (RCAEval RE3 style, code fault): currencyservice v0.10.3 rolled out at
13:04 UTC drops JPY from its rates table when it rebuilt `currency_conversion.json`; every
conversion to or from JPY throws `TypeError: Cannot read properties of undefined (reading
'units')` inside its `_carry` helper. Its log shows the stack trace once, then one short line
per failure. Loud: the frontend's 500s ("failed to convert currency") for every shopper with
JPY selected and checkoutservice's `failed to convert price` errors. Decoys: the frontend and
checkout errors, a paymentservice rollout at 12:41, and emailservice's template warnings."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Pino, Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2025, 1, 14, 12, 30, tzinfo=UTC)
MINUTES = 70
ROLLOUT = 34.5
CURRENCIES = ["USD", "EUR", "CAD", "GBP", "TRY", "JPY"]


@dataclass
class Logrus:
    """Online Boutique's Go services: logrus JSON with `message`, `severity`, `timestamp`."""

    def render(self, record: Record) -> list[str]:
        body: dict[str, object] = json.loads(record.logger) if record.logger else {}
        body["message"] = record.message
        body["severity"] = {"WARN": "warning", "ERROR": "error"}.get(record.level, "info")
        body["timestamp"] = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond * 1000:09d}Z"
        )
        return [json.dumps(body, separators=(",", ":"))]


def sid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}"


def currency_line(rng: random.Random) -> Line:
    if rng.random() < 0.25:
        return "INFO", "Getting supported currencies...", ()
    return "INFO", "conversion request successful", ()


def front_records(
    rng: random.Random, start: datetime, minutes: float, count: int, broken: bool
) -> list[Record]:
    records = []
    for base in traffic(rng, lambda r: ("INFO", "", ()), start, minutes, count):
        currency = rng.choices(CURRENCIES, [40, 25, 8, 12, 3, 12])[0]
        path = rng.choice(
            ["/", "/product/OLJCESPC7Z", "/product/9SIQT8TOJO", "/cart", "/product/LS4PSXUNUM"]
        )
        fields = {
            "currency": currency,
            "http.req.id": sid(rng),
            "http.req.method": "GET",
            "http.req.path": path,
            "session": sid(rng),
        }
        if broken and currency == "JPY" and path != "/cart":
            error = dict(
                fields,
                error="failed to convert currency: rpc error: code = Unknown desc = Cannot read properties of undefined (reading 'units')",
            )
            records.append(Record(base.time, "ERROR", "request error", (), json.dumps(error)))
            continue
        done = dict(
            fields,
            **{
                "http.resp.bytes": rng.randrange(6000, 13000),
                "http.resp.status": 200,
                "http.resp.took_ms": max(3, int(rng.lognormvariate(0, 0.4) * 41)),
            },
        )
        records.append(Record(base.time, "DEBUG", "request complete", (), json.dumps(done)))
    return records


def bundle() -> Bundle:
    rng = random.Random(20230)
    rollout = START + timedelta(minutes=ROLLOUT)
    after = MINUTES - ROLLOUT
    currency = LogFile("logs/currencyservice.log", Pino("currencyservice-6b9d8c7f4-q2wzl", rng))
    currency.add(traffic(rng, currency_line, START, ROLLOUT - 0.3, 2600))
    currency.add([at(START, ROLLOUT - 0.25, "INFO", "Currency Service is shutting down")])
    currency2 = LogFile("logs/currencyservice.log", Pino("currencyservice-57fd4c9b8-m7ktx", rng))
    currency2.add(
        [
            at(START, ROLLOUT, "INFO", "Profiler enabled."),
            at(START, ROLLOUT + 0.01, "INFO", "Tracing enabled."),
            at(START, ROLLOUT + 0.02, "INFO", "Starting gRPC server on port 7000..."),
            at(START, ROLLOUT + 0.03, "INFO", "CurrencyService gRPC server started on port 7000"),
        ]
    )
    currency2.add(traffic(rng, currency_line, rollout + timedelta(seconds=5), after - 0.1, 2200))
    currency2.add(
        [
            at(
                START,
                ROLLOUT + 0.9,
                "ERROR",
                "conversion request failed: TypeError: Cannot read properties of undefined (reading 'units')",
                (
                    "TypeError: Cannot read properties of undefined (reading 'units')",
                    "    at _carry (/usr/src/app/server.js:98:23)",
                    "    at /usr/src/app/server.js:142:24",
                    "    at getCurrencyData (/usr/src/app/server.js:87:3)",
                    "    at convert (/usr/src/app/server.js:131:5)",
                    "    at Object.onReceiveMessage (/usr/src/app/node_modules/@grpc/grpc-js/build/src/server.js:1075:13)",
                ),
            ),
        ]
    )
    currency2.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.95,
            after - 1.0,
            420,
            lambda r: (
                "ERROR",
                "conversion request failed: TypeError: Cannot read properties of undefined (reading 'units')",
                (),
            ),
        )
    )
    front = LogFile("logs/frontend.log", Logrus())
    front.add(front_records(rng, START, ROLLOUT + 0.8, 2700, False))
    front.add(front_records(rng, START + timedelta(minutes=ROLLOUT + 0.8), after - 0.8, 2500, True))
    checkout = LogFile("logs/checkoutservice.log", Logrus())
    checkout.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f'[PlaceOrder] user_id="{sid(r)}" user_currency="{r.choice(CURRENCIES[:5])}"',
                        f"payment went through (transaction_id: {sid(r)})",
                        'order confirmation email sent to "someone@example.com"',
                    ]
                ),
                (),
            ),
            START,
            MINUTES,
            700,
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            ROLLOUT + 1.5,
            after - 2,
            95,
            lambda r: (
                "WARN",
                'failed to prepare order: failed to convert price of "'
                + r.choice(["OLJCESPC7Z", "66VCHSJNUP", "2ZYFJ3GM2N", "9SIQT8TOJO"])
                + "\" to JPY: rpc error: code = Unknown desc = Cannot read properties of undefined (reading 'units')",
                (),
            ),
        )
    )
    email = LogFile("logs/emailservice.log", Logrus())
    email.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                "A request to send order confirmation email to someone@example.com has been received.",
                (),
            ),
            START,
            MINUTES,
            600,
        )
    )
    email.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            40,
            lambda r: (
                "WARN",
                "Template 'confirmation_v2.html' not found, falling back to 'confirmation.html'",
                (),
            ),
        )
    )
    notes = "\n".join(
        [
            "Pasted by on-call (Slack #boutique-oncall), 13:49 UTC",
            "",
            "$ kubectl -n boutique get deploy -o wide",
            "NAME                    READY   UP-TO-DATE   AVAILABLE   AGE    CONTAINERS   IMAGES                                                            SELECTOR",
            "adservice               1/1     1            1           41d    server       europe-docker.pkg.dev/acme-shop/boutique/adservice:v0.10.2        app=adservice",
            "cartservice             1/1     1            1           41d    server       europe-docker.pkg.dev/acme-shop/boutique/cartservice:v0.10.2      app=cartservice",
            "checkoutservice         1/1     1            1           41d    server       europe-docker.pkg.dev/acme-shop/boutique/checkoutservice:v0.10.2  app=checkoutservice",
            "currencyservice         1/1     1            1           41d    server       europe-docker.pkg.dev/acme-shop/boutique/currencyservice:v0.10.3  app=currencyservice",
            "emailservice            1/1     1            1           41d    server       europe-docker.pkg.dev/acme-shop/boutique/emailservice:v0.10.2     app=emailservice",
            "frontend                1/1     1            1           41d    server       europe-docker.pkg.dev/acme-shop/boutique/frontend:v0.10.2         app=frontend",
            "paymentservice          1/1     1            1           41d    server       europe-docker.pkg.dev/acme-shop/boutique/paymentservice:v0.10.3   app=paymentservice",
            "productcatalogservice   1/1     1            1           41d    server       europe-docker.pkg.dev/acme-shop/boutique/productcatalogservice:v0.10.2   app=productcatalogservice",
            "",
            "$ kubectl -n boutique rollout history deploy/paymentservice deploy/currencyservice",
            "deployment.apps/paymentservice",
            "REVISION  CHANGE-CAUSE",
            "11        <none>",
            "12        ci: paymentservice v0.10.3 (2025-01-14 12:41 UTC)",
            "",
            "deployment.apps/currencyservice",
            "REVISION  CHANGE-CAUSE",
            "8         <none>",
            "9         ci: currencyservice v0.10.3 (2025-01-14 13:04 UTC)",
            "",
            "Customers say the site shows 'Uh, oh! Something has failed' on product pages. Payments team deployed earlier, could be them?",
            "",
        ]
    )
    currency_text = currency.render() + currency2.render()
    return Bundle(
        question="Since a bit after 13:00 UTC some shoppers get the Online Boutique error page on product pages and some orders fail. Which service is the root cause?",
        category="code_error",
        component="currencyservice",
        statement="currencyservice v0.10.3, rolled out at 13:04 UTC, throws `TypeError: Cannot read properties of undefined (reading 'units')` on every conversion involving JPY; from about 13:05 the frontend answers 500 to shoppers using JPY and checkoutservice fails to prepare their orders.",
        files={
            "notes.md": notes,
            "logs/frontend.log": front.render(),
            "logs/currencyservice.log": currency_text,
            "logs/checkoutservice.log": checkout.render(),
            "logs/emailservice.log": email.render(),
        },
        proofs=[Proof("logs/currencyservice.log", "at _carry (/usr/src/app/server.js:98:23)")],
        decoys=[
            "failed to convert currency",
            "ci: paymentservice v0.10.3",
            "Template 'confirmation_v2.html' not found",
        ],
    )
