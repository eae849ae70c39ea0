# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket RE3 (code fault; logs in Spring Boot 3's +08:00 layout, wide CSV): a
ts-cancel-service image rolled at 15:02 +08:00 computes the refund with
`BigDecimal.divide` and no rounding mode. Every cancellation whose refund is not a
terminating decimal (most fares, once divided by the three-way fee split) throws
`java.lang.ArithmeticException: Non-terminating decimal expansion; no exact representable
decimal result.`; the full trace is logged once, then only a one-line `[calculateRefund]`
error. The dashboard's nginx shows 500s on /api/v1/cancelservice/cancel/refound and cancel.
Metrics barely move. Decoys: ts-order-service's ordinary `Order Not Found` warnings, the
dashboard's 500s, and ts-inside-payment-service's slow drawBack logs from before the
release."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import NginxAccess, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2025, 10, 28, 6, 40, tzinfo=UTC)
MINUTES = 45
STEP = 5


def oid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def cancel_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return "INFO", f"[calculate][Cancel Order][orderId: {oid(rng)}]", ()
    if roll < 0.8:
        return (
            "INFO",
            f"[calculateRefund][Calculate Refund][orderId: {oid(rng)}, price: {rng.choice(['100.0', '50.0', '95.0', '250.0'])}, refund: {rng.choice(['80.00', '40.00', '76.00', '200.00'])}]",
            (),
        )
    return "INFO", f"[cancelOrder][Cancel Order Success][orderId: {oid(rng)}]", ()


def cancel_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"[calculateRefund][Calculate Refund Fail][orderId: {oid(rng)}, price: {rng.choice(['100.0', '50.0', '250.0', '95.0'])}] Non-terminating decimal expansion; no exact representable decimal result.",
        (),
    )


def cancel_ok_after(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[calculateRefund][Calculate Refund][orderId: {oid(rng)}, price: 90.0, refund: 72.00]",
        (),
    )


def order_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return "INFO", f"[getOrderById][Get Order By Id][orderId: {oid(rng)}]", ()
    if roll < 0.95:
        return (
            "INFO",
            f"[queryOrdersForRefresh][Query Orders For Refresh][loginId: {oid(rng)}, size: {rng.randrange(0, 12)}]",
            (),
        )
    return "WARN", f"[getOrderById][Get Order By Id Fail][Order Not Found][orderId: {oid(rng)}]", ()


def dash_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/api/v1/travelservice/trips/left",
            "/api/v1/orderservice/order/refresh",
            "/api/v1/users/login",
            "/client_order_list.html",
            "/api/v1/cancelservice/cancel/refound/" + oid(rng),
            "/api/v1/contactservice/contacts/account/" + oid(rng),
        ]
    )
    method = (
        "GET"
        if "/cancelservice/" in path or "contacts" in path or path.endswith(".html")
        else "POST"
    )
    return (
        "INFO",
        f'"{method} {path} HTTP/1.1" 200 {rng.randrange(90, 6000)} "http://ticket.rail.internal/client_order_list.html" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0 Safari/537.36"',
        (),
    )


def dash_error(rng: random.Random) -> Line:
    path = rng.choice(
        [
            f"/api/v1/cancelservice/cancel/refound/{oid(rng)}",
            f"/api/v1/cancelservice/cancel/{oid(rng)}/{oid(rng)}",
        ]
    )
    return (
        "ERROR",
        f'"GET {path} HTTP/1.1" 500 {rng.randrange(180, 240)} "http://ticket.rail.internal/client_order_list.html" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0 Safari/537.36"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20293)
    cancel = LogFile(
        "logs/ts-cancel-service.log",
        SpringBoot(
            ("cancel.service.CancelServiceImpl", "cancel.controller.CancelController"),
            rng=rng,
            zone=CST,
        ),
    )
    cancel.add(traffic(rng, cancel_line, START, 21.6, 800))
    cancel.add(traffic(rng, cancel_line, START + timedelta(minutes=22.4), MINUTES - 22.4, 230))
    cancel.add(
        [
            at(
                START,
                21.7,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            ),
            at(
                START,
                22.2,
                "INFO",
                "Starting CancelApplication v1.0.4-rc2 using Java 17.0.12 with PID 1 (/app/ts-cancel-service-1.0.jar started by root in /app)",
                logger="cancel.CancelApplication",
            ),
            at(
                START,
                22.35,
                "INFO",
                "Started CancelApplication in 24.611 seconds (process running for 26.02)",
                logger="cancel.CancelApplication",
            ),
            at(
                START,
                22.61,
                "ERROR",
                "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: java.lang.ArithmeticException: Non-terminating decimal expansion; no exact representable decimal result.] with root cause",
                java_trace(
                    "java.lang.ArithmeticException: Non-terminating decimal expansion; no exact representable decimal result.",
                    [
                        "java.base/java.math.BigDecimal.divide(BigDecimal.java:1780)",
                        "cancel.service.CancelServiceImpl.calculateRefund(CancelServiceImpl.java:338)",
                        "cancel.service.CancelServiceImpl.calculate(CancelServiceImpl.java:151)",
                        "cancel.controller.CancelController.calculate(CancelController.java:44)",
                        "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
                        "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
                    ],
                    more=48,
                ),
                logger="o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
        ]
    )
    cancel.add(loud(rng, START, 22.7, MINUTES - 22.8, 260, cancel_error))
    cancel.add(loud(rng, START, 22.7, MINUTES - 22.8, 40, cancel_ok_after))
    order = LogFile(
        "logs/ts-order-service.log",
        SpringBoot(
            ("order.service.OrderServiceImpl", "order.controller.OrderController"),
            rng=rng,
            zone=CST,
        ),
    )
    order.add(traffic(rng, order_line, START, MINUTES, 2600))
    pay = LogFile(
        "logs/ts-inside-payment-service.log",
        SpringBoot(("inside_payment.service.InsidePaymentServiceImpl",), rng=rng, zone=CST),
    )
    pay.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[drawBack][Draw Back Money][userId: {oid(r)}, money: {r.choice(['40.0', '80.0'])}]",
                (),
            ),
            START,
            22.0,
            300,
        )
    )
    pay.add(
        [
            at(
                START,
                9.3 + i * 0.21,
                "WARN",
                f"[drawBack][Draw Back Money slow][userId: {oid(rng)}] took {2100 + i * 317} ms",
            )
            for i in range(5)
        ]
    )
    dash = LogFile("logs/ts-ui-dashboard-access.log", NginxAccess(rng=rng, zone=CST))
    dash.add(traffic(rng, dash_line, START, MINUTES, 4400))
    dash.add(loud(rng, START, 22.65, MINUTES - 22.7, 280, dash_error))
    levels = {
        "ts-ui-dashboard": (0.139, 59.4, (0.0137, 0.0601), 37.1),
        "ts-cancel-service": (0.046, 590.2, (0.0588, 0.1744), 2.4),
        "ts-order-service": (0.226, 730.1, (0.0169, 0.0585), 15.0),
        "ts-order-other-service": (0.118, 655.7, (0.0159, 0.0544), 6.3),
        "ts-inside-payment-service": (0.069, 610.8, (0.0210, 0.0660), 5.2),
        "ts-user-service": (0.060, 595.1, (0.0076, 0.0217), 9.8),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    drop = (22 * 60 + 40) // STEP
    services["ts-cancel-service"]["latency-50"] = shift(rng, 0.0588, 0.0311, drop, 0.1)
    services["ts-cancel-service"]["cpu"] = shift(rng, 0.046, 0.051, drop, 0.1)
    files = {
        "metrics.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "logs/ts-ui-dashboard-access.log": dash.render(),
        "logs/ts-cancel-service.log": cancel.render(),
        "logs/ts-order-service.log": order.render(),
        "logs/ts-inside-payment-service.log": pay.render(),
    }
    return Bundle(
        question="Since a little after 15:02 (+08:00) most ticket cancellations fail with an error on the order list page. What is the root cause?",
        category="code_error",
        component="ts-cancel-service",
        statement="The ts-cancel-service build rolled at 15:02 +08:00 (v1.0.4-rc2) divides BigDecimal refunds without a rounding mode, so calculateRefund throws `ArithmeticException: Non-terminating decimal expansion` for most prices; cancellations and refund queries answer 500.",
        files=files,
        proofs=[
            Proof(
                "logs/ts-cancel-service.log",
                "threw exception [Request processing failed: java.lang.ArithmeticException",
                "CancelServiceImpl.calculateRefund(CancelServiceImpl.java:338)",
            ),
            Proof("logs/ts-cancel-service.log", "Starting CancelApplication v1.0.4-rc2"),
        ],
        decoys=[
            "Order Not Found",
            '" 500 ',
            "Draw Back Money slow",
        ],
    )
