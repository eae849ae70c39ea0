# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Online Boutique (RCAEval RE3 style: a code-level fault, logs and kubectl output only): at
15:27:40 UTC a paymentservice build is rolled out whose charge() checks the card's expiry
month and year separately, so every card whose expiry month is before the current month (11)
is rejected as expired, whatever its year; the load generator's card (01/2039) and most
shoppers' cards fail. paymentservice's stderr shows each `ExpiredCreditCard [Error]` with its
stack; the frontend shouts `failed to complete the order` with the card message, which reads
like a customer problem. Decoys: the card message itself (customers' expired cards), an
emailservice rollout 40 minutes earlier, the ordinary amex rejections, and the frontend's usual
`failed to retrieve ads` warnings."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Record
from scenes import at
from traffic import Line, traffic

START = datetime(2024, 11, 14, 15, 5, tzinfo=UTC)
MINUTES = 36
ROLLOUT = 22 * 60 + 40
FIRST_CARD = "7719"
CURRENCIES = ["USD", "EUR", "JPY", "CAD", "GBP"]
POD = "paymentservice-84f6d9c7b5-v2t8m"
OLD_POD = "paymentservice-5b7c9d8f64-q9nhx"


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


@dataclass
class PaymentLog:
    """paymentservice's stdout (pino JSON) and stderr (console.warn of the error) as `kubectl logs` merges them."""

    def render(self, record: Record) -> list[str]:
        if record.logger == "stderr":
            return [record.message, *record.trailer]
        body = {
            "level": 30 if record.level == "INFO" else 40,
            "time": int(record.time.timestamp() * 1000),
            "pid": 1,
            "hostname": record.logger or POD,
            "name": "paymentservice-server",
            "msg": record.message,
        }
        return [json.dumps(body, separators=(",", ":"))]


def card(rng: random.Random) -> tuple[str, str, int, int]:
    """(type, number, month, year) of a shopper's card, or the load generator's."""
    if rng.random() < 0.55:
        return "visa", "4432-8015-6152-0454", 1, 2039
    kind = rng.choice(["visa", "mastercard", "mastercard", "amex"])
    last = f"{rng.randrange(10000):04d}"
    while last == FIRST_CARD:
        last = f"{rng.randrange(10000):04d}"
    prefix = {"visa": "4", "mastercard": "5", "amex": "3"}[kind]
    return (
        kind,
        f"{prefix}{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}-{rng.randrange(1000, 9999)}-{last}",
        rng.randrange(1, 13),
        rng.randrange(2025, 2031),
    )


def request_json(rng: random.Random, number: str, month: int, year: int) -> str:
    units = rng.randrange(9, 700)
    nanos = rng.randrange(0, 999_999_999)
    return json.dumps(
        {
            "amount": {"currency_code": "USD", "units": str(units), "nanos": nanos},
            "credit_card": {
                "credit_card_number": number,
                "credit_card_cvv": rng.randrange(100, 999),
                "credit_card_expiration_year": year,
                "credit_card_expiration_month": month,
            },
        },
        separators=(",", ":"),
    )


def expired_trace(number: str, month: int, year: int) -> tuple[str, tuple[str, ...]]:
    digits = number.replace("-", "", 1)
    return (
        f"ExpiredCreditCard [Error]: Your credit card (ending {digits[-4:]}) expired on {month}/{year}",
        (
            "    at module.exports (/usr/src/app/charge.js:81:11)",
            "    at HipsterShopServer.ChargeServiceHandler (/usr/src/app/server.js:33:24)",
            "    at Object.onReceiveMessage (/usr/src/app/node_modules/@grpc/grpc-js/build/src/server.js:1208:21)",
            "    at InterceptingListenerImpl.onReceiveMessage (/usr/src/app/node_modules/@grpc/grpc-js/build/src/server-interceptors.js:593:19)",
            "    at Http2ServerCallStream.handleDataFrame (/usr/src/app/node_modules/@grpc/grpc-js/build/src/server-call.js:372:18) {",
            "  code: 400",
            "}",
        ),
    )


def unaccepted_trace(kind: str) -> tuple[str, tuple[str, ...]]:
    return (
        f"UnacceptedCreditCard [Error]: Sorry, we cannot process {kind} credit cards. Only VISA or MasterCard is accepted.",
        (
            "    at module.exports (/usr/src/app/charge.js:69:11)",
            "    at HipsterShopServer.ChargeServiceHandler (/usr/src/app/server.js:33:24)",
            "    at Object.onReceiveMessage (/usr/src/app/node_modules/@grpc/grpc-js/build/src/server.js:1208:21) {",
            "  code: 400",
            "}",
        ),
    )


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/",
            "/product/OLJCESPC7Z",
            "/product/66VCHSJNUP",
            "/product/1YMWWN1N4O",
            "/product/L9ECAV7KIM",
            "/product/2ZYFJ3GM2N",
            "/cart",
            "/product/9SIQT8TOJO",
            "/product/6E92ZMYYFZ",
        ]
    )
    if rng.random() < 0.03:
        return (
            "warning",
            f'failed to retrieve ads http.req.id={uuid(rng)} error="rpc error: code = DeadlineExceeded desc = context deadline exceeded"',
            (),
        )
    return (
        "debug",
        f"request complete http.req.id={uuid(rng)} http.req.method=GET http.req.path={path} http.resp.status=200 http.resp.took_ms={rng.randrange(6, 120)}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1176)
    rollout = START + timedelta(seconds=ROLLOUT)
    keys = ("timestamp", "severity", "message")
    payment = LogFile("logs/paymentservice.log", PaymentLog())
    frontend = LogFile(
        "logs/frontend.log", JsonLines("frontend", keys=keys, lower_level=False, rng=rng)
    )
    checkout = LogFile(
        "logs/checkoutservice.log",
        JsonLines("checkoutservice", keys=keys, lower_level=False, rng=rng),
    )
    frontend.add(traffic(rng, frontend_line, START, MINUTES, 3900))
    payment.add(
        [
            at(START, ROLLOUT / 60 - 0.35, "INFO", "Profiler disabled.", logger=POD),
            at(START, ROLLOUT / 60 - 0.34, "INFO", "Tracing enabled.", logger=POD),
            at(
                START,
                ROLLOUT / 60 - 0.33,
                "INFO",
                "PaymentService gRPC server started on port 50051",
                logger=POD,
            ),
        ]
    )
    first_done = False
    for offset in sorted(rng.random() * MINUTES * 60 for _ in range(560)):
        when = START + timedelta(seconds=offset)
        new = when >= rollout
        pod = POD if new else OLD_POD
        kind, number, month, year = card(rng)
        if new and not first_done and kind != "amex" and number.endswith("0454") is False:
            number, month, year = number[:-4] + FIRST_CARD, 3, 2027
            first_done = True
        user = uuid(rng)
        currency = rng.choice(CURRENCIES)
        checkout.add(
            [Record(when, "info", f'[PlaceOrder] user_id="{user}" user_currency="{currency}"')]
        )
        payment.add(
            [
                Record(
                    when + timedelta(milliseconds=31),
                    "INFO",
                    f"PaymentService#Charge invoked with request {request_json(rng, number, month, year)}",
                    (),
                    pod,
                )
            ]
        )
        rid = uuid(rng)
        took = rng.randrange(140, 420)
        done = when + timedelta(milliseconds=took)
        if kind == "amex":
            message, trailer = unaccepted_trace(kind)
            payment.add(
                [Record(when + timedelta(milliseconds=33), "WARN", message, trailer, "stderr")]
            )
            frontend.add(
                [
                    Record(
                        done,
                        "error",
                        f'request error http.req.id={rid} http.req.method=POST http.req.path=/cart/checkout http.resp.status=500 error="failed to complete the order: rpc error: code = Internal desc = failed to charge card: could not charge the card: rpc error: code = Unknown desc = Sorry, we cannot process amex credit cards. Only VISA or MasterCard is accepted."',
                    )
                ]
            )
            continue
        if new and month < 11:
            message, trailer = expired_trace(number, month, year)
            payment.add(
                [Record(when + timedelta(milliseconds=33), "WARN", message, trailer, "stderr")]
            )
            frontend.add(
                [
                    Record(
                        done,
                        "error",
                        f'request error http.req.id={rid} http.req.method=POST http.req.path=/cart/checkout http.resp.status=500 error="failed to complete the order: rpc error: code = Internal desc = failed to charge card: could not charge the card: rpc error: code = Unknown desc = Your credit card (ending {number[-4:]}) expired on {month}/{year}"',
                    )
                ]
            )
            continue
        units = rng.randrange(9, 700)
        payment.add(
            [
                Record(
                    when + timedelta(milliseconds=34),
                    "INFO",
                    f"Transaction processed: {kind} ending {number[-4:]}     Amount: {currency}{units}.{rng.randrange(0, 999_999_999)}",
                    (),
                    pod,
                )
            ]
        )
        checkout.add(
            [
                Record(
                    when + timedelta(milliseconds=60),
                    "info",
                    f"payment went through (transaction_id: {uuid(rng)})",
                )
            ]
        )
        checkout.add(
            [
                Record(
                    when + timedelta(milliseconds=took - 40),
                    "info",
                    f'order confirmation email sent to "{rng.choice(["someone", "kim", "ana", "raj"])}{rng.randrange(300)}@example.com"',
                )
            ]
        )
        frontend.add(
            [
                Record(
                    done,
                    "info",
                    f"order placed http.req.id={rid} order_id={uuid(rng)} currency={currency}",
                )
            ]
        )
    email = LogFile(
        "logs/emailservice.log",
        JsonLines("emailservice-server", keys=keys, service_key="name", lower_level=False, rng=rng),
    )
    email.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                "A request to send order confirmation email to "
                + f"{r.choice(['someone', 'kim', 'ana', 'raj'])}{r.randrange(300)}@example.com has been received.",
                (),
            ),
            START,
            MINUTES,
            260,
        )
    )
    history = """$ kubectl rollout history deployment/emailservice -n boutique
deployment.apps/emailservice
REVISION  CHANGE-CAUSE
6         <none>
7         kubectl set image deployment/emailservice server=gcr.io/rca-lab/emailservice:v0.10.1-re3-02 --namespace=boutique --record=true

$ kubectl rollout history deployment/paymentservice -n boutique
deployment.apps/paymentservice
REVISION  CHANGE-CAUSE
3         <none>
4         kubectl set image deployment/paymentservice server=gcr.io/rca-lab/paymentservice:v0.10.1-re3-f4 --namespace=boutique --record=true

$ kubectl get rs -n boutique -l 'app in (emailservice,paymentservice)'
NAME                        DESIRED   CURRENT   READY   AGE
emailservice-6f8d7c9b45     1         1         1       54m
emailservice-7b9c5d8f66     0         0         0       9d
paymentservice-5b7c9d8f64   0         0         0       9d
paymentservice-84f6d9c7b5   1         1         1       14m
"""
    files = {
        "logs/frontend.log": frontend.render(),
        "logs/checkoutservice.log": checkout.render(),
        "logs/paymentservice.log": payment.render(),
        "logs/emailservice.log": email.render(),
        "kubectl-rollout.txt": history,
    }
    return Bundle(
        question="Since about 15:28 UTC most Online Boutique checkouts fail: shoppers are told their credit card has expired, even on cards valid for years. What is the root cause?",
        category="code_error",
        component="paymentservice",
        statement="The paymentservice build rolled out at 15:27:40 UTC (paymentservice:v0.10.1-re3-f4) rejects every card whose expiry month is before the current month as expired, whatever its year (the load generator's 1/2039 card included), so from then on most checkouts fail with `failed to charge card` and the shop answers 500 on checkout.",
        files=files,
        proofs=[
            Proof(
                "logs/paymentservice.log",
                f"(ending {FIRST_CARD}) expired on 3/2027",
                "charge.js:81:11",
            ),
            Proof("kubectl-rollout.txt", "paymentservice:v0.10.1-re3-f4"),
        ],
        decoys=[
            "emailservice:v0.10.1-re3-02",
            "Sorry, we cannot process amex credit cards",
            "failed to retrieve ads",
        ],
    )
