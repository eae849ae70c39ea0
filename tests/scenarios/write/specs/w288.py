# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 style: a wide CSV at 5 s, logs in Spring Boot 3's +08:00
layout): a memory hog (stress-ng --vm, 1.4 GiB) in ts-inside-payment-service's container
from 21:13:00 +08:00 (13:13:00 UTC). Its memory series climbs to the edge of its 2 GiB limit
and the JVM crawls under reclaim: its log shows one HikariPool housekeeper warning (`Thread
starvation or clock leap detected`) and payments that take seconds. ts-cancel-service's
drawBack calls and the dashboard's pay requests time out: the loudest errors are one hop
away. The on-call's notes hold a pasted alert. Decoys: ts-cancel-service's stack traces,
ts-order-service's earlier restart, and a dashboard 502 burst during that restart."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxAccess, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2025, 9, 23, 12, 50, tzinfo=UTC)
MINUTES = 40
STEP = 5
FAULT = (23 * 60) // STEP


def order_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def pay_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"[pay][Pay][orderId: {order_id(rng)}, tripId: {rng.choice(['G', 'D', 'Z', 'T'])}{rng.randrange(1234, 1299)}, price: {rng.choice(['50.0', '95.0', '100.0', '250.0', '22.5'])}]",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"[queryAccount][Query Account][userId: {order_id(rng)}, balance: {rng.randrange(1000, 60000)}.0]",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"[drawBack][Draw Back Money][userId: {order_id(rng)}, money: {rng.choice(['40.0', '80.0', '76.0'])}]",
            (),
        )
    return "INFO", f"[queryAddMoney][Query Add Money][size: {rng.randrange(1, 40)}]", ()


def pay_slow(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[pay][Pay][orderId: {order_id(rng)}, tripId: G{rng.randrange(1234, 1299)}, price: {rng.choice(['50.0', '95.0', '100.0'])}] done in {rng.randrange(3100, 12800)} ms",
        (),
    )


def cancel_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[cancelOrder][Cancel Order][orderId: {order_id(rng)}, loginId: {order_id(rng)}]",
            (),
        )
    return (
        "INFO",
        f"[calculateRefund][Calculate Refund][orderId: {order_id(rng)}, refund: {rng.choice(['40.00', '76.00', '80.00', '0.00'])}]",
        (),
    )


def cancel_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[drawbackMoney][Draw Back Money failed][orderId: {order_id(rng)}] I/O error on GET request for "http://ts-inside-payment-service:18673/api/v1/inside_pay_service/inside_payment/drawback/{order_id(rng)}/80.0": Read timed out',
        tuple(
            java_trace(
                'org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://ts-inside-payment-service:18673/api/v1/inside_pay_service/inside_payment/drawback": Read timed out',
                [
                    "org.springframework.web.client.RestTemplate.createResourceAccessException(RestTemplate.java:888)",
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:868)",
                    "cancel.service.CancelServiceImpl.drawbackMoney(CancelServiceImpl.java:412)",
                    "cancel.service.CancelServiceImpl.cancelOrder(CancelServiceImpl.java:96)",
                ],
                caused_by=[
                    "java.net.SocketTimeoutException: Read timed out",
                    "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)",
                ],
                more=61,
            )
        ),
    )


def dash_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/api/v1/travelservice/trips/left",
            "/api/v1/orderservice/order/refresh",
            "/api/v1/inside_pay_service/inside_payment",
            "/api/v1/users/login",
            "/client_order_list.html",
            "/api/v1/cancelservice/cancel/refound/",
            "/api/v1/contactservice/contacts/account/",
        ]
    )
    return (
        "INFO",
        f'"POST {path} HTTP/1.1" 200 {rng.randrange(90, 6000)} "http://ts.shop.internal/client_order_list.html" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"',
        (),
    )


def dash_error(rng: random.Random) -> Line:
    path = rng.choice(
        ["/api/v1/inside_pay_service/inside_payment", "/api/v1/cancelservice/cancel/"]
    )
    return (
        "ERROR",
        f'"POST {path} HTTP/1.1" 504 167 "http://ts.shop.internal/client_order_list.html" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"',
        (),
    )


def dash_502(rng: random.Random) -> Line:
    return (
        "ERROR",
        '"POST /api/v1/orderservice/order/refresh HTTP/1.1" 502 157 "http://ts.shop.internal/client_order_list.html" "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20288)
    pay = LogFile(
        "logs/ts-inside-payment-service.log",
        SpringBoot(
            (
                "inside_payment.service.InsidePaymentServiceImpl",
                "inside_payment.controller.InsidePaymentController",
            ),
            rng=rng,
            zone=CST,
        ),
    )
    pay.add(traffic(rng, pay_line, START, 23.3, 1300))
    pay.add(traffic(rng, pay_line, START + timedelta(minutes=23.3), MINUTES - 23.3, 240))
    pay.add(loud(rng, START, 23.5, MINUTES - 23.6, 70, pay_slow))
    pay.add(
        [
            at(
                START,
                23.72,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m12s384ms).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            )
        ]
    )
    cancel = LogFile(
        "logs/ts-cancel-service.log",
        SpringBoot(
            ("cancel.service.CancelServiceImpl", "cancel.controller.CancelController"),
            rng=rng,
            zone=CST,
        ),
    )
    cancel.add(traffic(rng, cancel_line, START, MINUTES, 900))
    cancel.add(loud(rng, START, 23.9, MINUTES - 24.0, 120, cancel_error))
    dash = LogFile("logs/ts-ui-dashboard-access.log", NginxAccess(rng=rng, zone=CST))
    dash.add(traffic(rng, dash_line, START, MINUTES, 4200))
    dash.add(loud(rng, START, 24.0, MINUTES - 24.1, 260, dash_error))
    dash.add(loud(rng, START, 6.2, 0.8, 14, dash_502))
    levels = {
        "ts-ui-dashboard": (0.141, 61.2, (0.0141, 0.0612), 36.4),
        "ts-inside-payment-service": (0.071, 612.4, (0.0214, 0.0671), 5.3),
        "ts-cancel-service": (0.043, 588.9, (0.0611, 0.1802), 2.1),
        "ts-order-service": (0.228, 731.0, (0.0171, 0.0590), 15.2),
        "ts-payment-service": (0.038, 577.3, (0.0089, 0.0250), 3.4),
        "ts-user-service": (0.061, 596.8, (0.0077, 0.0219), 9.9),
        "ts-travel-service": (0.231, 703.7, (0.0344, 0.0962), 16.8),
        "ts-preserve-service": (0.097, 640.2, (0.1712, 0.4020), 3.0),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    ip = services["ts-inside-payment-service"]
    ip["mem"] = shift(rng, 612.4, 1986.0, FAULT, 0.004, ramp=6)
    ip["cpu"] = shift(rng, 0.071, 0.214, FAULT + 2, 0.1)
    ip["latency-50"] = shift(rng, 0.0214, 1.874, FAULT + 4, 0.2)
    ip["latency-90"] = shift(rng, 0.0671, 9.412, FAULT + 4, 0.15)
    services["ts-cancel-service"]["latency-90"] = shift(rng, 0.1802, 5.006, FAULT + 5, 0.02)
    local = START.astimezone(CST)
    notes = (
        "## pay / cancel incident — scratch notes (times are Beijing time)\n\n"
        f"- {(local + timedelta(minutes=6)).strftime('%H:%M')} ts-order-service rolled (config reload, ticket TT-4412), a few 502s on order refresh while it restarted, recovered by {(local + timedelta(minutes=7.5)).strftime('%H:%M')}\n"
        f'- {(local + timedelta(minutes=24.5)).strftime("%H:%M")} users report "pay" spinning then failing, cancel refunds failing\n'
        "- alert pasted from #ts-alerts:\n\n"
        "```\n"
        f"[FIRING:1] ContainerMemoryNearLimit namespace=train-ticket container=ts-inside-payment-service pod=ts-inside-payment-service-7d5b9c6f4-q2vxl value=95.4% of limit (1986Mi / 2Gi) since {(local + timedelta(minutes=24.2)).strftime('%Y-%m-%d %H:%M:%S')} +0800\n"
        f"[FIRING:3] HighErrorRate service=ts-ui-dashboard route=/api/v1/inside_pay_service/inside_payment status=504 rate=41% since {(local + timedelta(minutes=24.6)).strftime('%Y-%m-%d %H:%M:%S')} +0800\n"
        "```\n\n"
        "- no deploy of inside-payment today according to the release channel\n"
    )
    files = {
        "metrics.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "notes.md": notes,
        "logs/ts-ui-dashboard-access.log": dash.render(),
        "logs/ts-cancel-service.log": cancel.render(),
        "logs/ts-inside-payment-service.log": pay.render(),
    }
    return Bundle(
        question="Since about 21:14 Beijing time paying for tickets spins and then fails with 504, and refunds on cancel fail too. What is the root cause?",
        category="memory",
        component="ts-inside-payment-service",
        statement="From 21:13 +08:00 a memory hog in ts-inside-payment-service's container drives its memory from ~610 MiB to ~1986 MiB of its 2 GiB limit; the JVM stalls (Hikari reports thread starvation), its pay and drawBack calls take seconds, so ts-cancel-service's drawBack calls time out and the dashboard answers 504.",
        files=files,
        proofs=[
            Proof("metrics.csv", stamp(START, STEP, FAULT + 3)),
            Proof("logs/ts-inside-payment-service.log", "Thread starvation or clock leap detected"),
            Proof("notes.md", "ContainerMemoryNearLimit"),
        ],
        decoys=[
            "Draw Back Money failed",
            "ts-order-service rolled",
            '" 502 157 "',
        ],
    )
