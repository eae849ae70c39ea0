# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE3 layout: one wide CSV, Spring Boot logs in +08:00): a code fault in
ts-consign-service, redeployed at 14:20 local (06:20 UTC). Its insertConsignRecord now casts the
consign price returned by ts-consign-price-service to Integer, which fails with a
ClassCastException whenever the price is a Double; the full trace is logged once, later failures
only as one-line `Resolved [...]` warnings. Its metrics barely move (it fails fast). Loud:
ts-preserve-service's `[preserve][Step 7][Add consign result fail]` errors and the dashboard's 500s
on preserve. Decoys: ts-preserve-service (the loud errors), ts-consign-price-service's ordinary
`config not found, using default` warning, and ts-order-service's slow-SQL warnings."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2025, 4, 17, 6, 5, tzinfo=UTC)
MINUTES = 32
POINTS = MINUTES * 60
DEPLOY = 15.2
FIRST = 16.9


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-b{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def consign_ok(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"[queryByAccountId][Find consign by account id][id: {uuid(rng)}]", ()
    if roll < 0.75:
        return "INFO", f"[queryByOrderId][Find consign by order id][id: {uuid(rng)}]", ()
    return "INFO", f"[insertConsignRecord][Insert Start][order id: {uuid(rng)}]", ()


def consign_resolved(rng: random.Random) -> Line:
    return (
        "WARN",
        f"Resolved [java.lang.ClassCastException: class java.lang.Double cannot be cast to class java.lang.Integer (java.lang.Double and java.lang.Integer are in module java.base of loader 'bootstrap')] for order id {uuid(rng)}",
        (),
    )


def preserve_ok(rng: random.Random) -> Line:
    roll = rng.random()
    order = uuid(rng)
    if roll < 0.3:
        return (
            "INFO",
            f"[preserve][Step 1][Check Security][Check Security Complete][accountId: {uuid(rng)}]",
            (),
        )
    if roll < 0.55:
        return "INFO", f"[preserve][Step 4][Do Order][Do Order Complete][orderId: {order}]", ()
    if roll < 0.75:
        return (
            "INFO",
            f"[preserve][Step 5][Buy Assurance][Preserve Buy Assurance Success][orderId: {order}]",
            (),
        )
    if roll < 0.9:
        return "INFO", f"[preserve][Step 7][Add Consign][Consign Success][orderId: {order}]", ()
    return "INFO", f"[preserve][Step 8][Send Notification][orderId: {order}]", ()


def preserve_fail(rng: random.Random) -> Line:
    order = uuid(rng)
    if rng.random() < 0.6:
        return (
            "ERROR",
            f"[preserve][Step 7][Add consign result fail][orderId: {order}, status: 500, error: Internal Server Error, path: /api/v1/consignservice/consigns]",
            (),
        )
    return (
        "ERROR",
        f'[preserve][Preserve fail][orderId: {order}][reason: org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 : "{{"timestamp":"2025-04-17T06:{rng.randrange(22, 37)}:{rng.randrange(60):02d}.{rng.randrange(1000):03d}+00:00","status":500,"error":"Internal Server Error","path":"/api/v1/consignservice/consigns"}}"]',
        (),
    )


def price_line(rng: random.Random) -> Line:
    weight = rng.randrange(1, 40) + rng.choice([0.0, 0.5, 0.25])
    return (
        "INFO",
        f"[getPriceByWeightAndRegion][Get price][weight: {weight}, isWithinRegion: {rng.choice(['true', 'false'])}, price: {weight * rng.choice([2.0, 3.5, 4.25]) + 5.0}]",
        (),
    )


def order_line(rng: random.Random) -> Line:
    if rng.random() < 0.96:
        return "INFO", f"[getOrderById][Get Order By Id][OrderId: {uuid(rng)}]", ()
    return (
        "WARN",
        f"SlowSqlFilter: slow sql {rng.randrange(1100, 2900)} millis. select * from orders where account_id=? and status in (?,?,?)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1189)
    loggers = ("consign.controller.ConsignController", "consign.service.ConsignServiceImpl")
    consign = LogFile("logs/ts-consign-service.log", SpringBoot(loggers, rng=rng, zone=CST))
    consign.add(traffic(rng, consign_ok, START, DEPLOY - 0.3, 900))
    consign.add(
        traffic(
            rng, consign_ok, START + timedelta(minutes=DEPLOY + 0.9), MINUTES - DEPLOY - 0.9, 1100
        )
    )
    consign.add(loud(rng, START, FIRST + 0.2, MINUTES - FIRST - 0.3, 95, consign_resolved))
    trace = java_trace(
        "java.lang.ClassCastException: class java.lang.Double cannot be cast to class java.lang.Integer (java.lang.Double and java.lang.Integer are in module java.base of loader 'bootstrap')",
        [
            "consign.service.ConsignServiceImpl.insertConsignRecord(ConsignServiceImpl.java:58)",
            "consign.controller.ConsignController.insertConsign(ConsignController.java:41)",
            "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
            "java.base/java.lang.reflect.Method.invoke(Method.java:580)",
            "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:205)",
            "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
            "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
        ],
        more=52,
    )
    consign.add(
        [
            at(
                START,
                DEPLOY,
                "INFO",
                "Starting ConsignApplication v1.0 using Java 17.0.12 with PID 1 (/app/ts-consign-service-1.0.jar started by root in /app)",
                logger="consign.ConsignApplication",
            ),
            at(
                START,
                DEPLOY + 0.6,
                "INFO",
                "Started ConsignApplication in 23.184 seconds (process running for 24.902)",
                logger="consign.ConsignApplication",
            ),
            at(
                START,
                FIRST,
                "ERROR",
                "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: java.lang.ClassCastException: class java.lang.Double cannot be cast to class java.lang.Integer] with root cause",
                trace,
                logger="o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
        ]
    )
    preserve = LogFile(
        "logs/ts-preserve-service.log",
        SpringBoot(("preserve.service.PreserveServiceImpl",), rng=rng, zone=CST),
    )
    preserve.add(traffic(rng, preserve_ok, START, MINUTES, 1600))
    preserve.add(loud(rng, START, FIRST + 0.1, MINUTES - FIRST - 0.2, 140, preserve_fail))
    price = LogFile(
        "logs/ts-consign-price-service.log",
        SpringBoot(("consignprice.service.ConsignPriceServiceImpl",), rng=rng, zone=CST),
    )
    price.add(traffic(rng, price_line, START, MINUTES, 700))
    price.add(
        [at(START, 2.4, "WARN", "[getPriceConfig][config not found, using default][index: 0]")]
    )
    order = LogFile(
        "logs/ts-order-service.log",
        SpringBoot(("order.service.OrderServiceImpl",), rng=rng, zone=CST),
    )
    order.add(traffic(rng, order_line, START, MINUTES, 1500))

    levels = {
        "ts-ui-dashboard": (0.081, 31, (0.0211, 0.1120), 40.1),
        "ts-preserve-service": (0.142, 611, (0.3110, 0.7420), 3.1),
        "ts-consign-service": (0.052, 498, (0.0121, 0.0391), 3.0),
        "ts-consign-price-service": (0.031, 441, (0.0061, 0.0187), 3.0),
        "ts-order-service": (0.211, 702, (0.0451, 0.1520), 18.3),
        "ts-travel-service": (0.171, 655, (0.0812, 0.2230), 12.1),
        "ts-security-service": (0.041, 472, (0.0241, 0.0612), 3.1),
        "ts-assurance-service": (0.028, 433, (0.0081, 0.0220), 3.1),
        "ts-notification-service": (0.019, 402, (0.0101, 0.0311), 2.2),
        "ts-user-service": (0.036, 488, (0.0091, 0.0242), 6.0),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    at_first = int(FIRST * 60)
    services["ts-consign-service"]["latency-50"] = shift(rng, 0.0121, 0.0094, at_first, 0.1)
    services["ts-preserve-service"]["latency-90"] = shift(rng, 0.7420, 0.6110, at_first, 0.12)
    services["ts-ui-dashboard"]["workload"] = shift(rng, 40.1, 38.9, at_first, 0.06)
    data = wide_csv(START, 1, POINTS, services)
    files = {
        "data.csv": data,
        "logs/ts-preserve-service.log": preserve.render(),
        "logs/ts-consign-service.log": consign.render(),
        "logs/ts-consign-price-service.log": price.render(),
        "logs/ts-order-service.log": order.render(),
    }
    return Bundle(
        question="Some ticket bookings fail with an error since about 14:22 (UTC+8), others still go through. Which service is the root cause?",
        category="code_error",
        component="ts-consign-service",
        statement="ts-consign-service, redeployed at 14:20 (UTC+8, 06:20 UTC), throws a ClassCastException (Double cast to Integer) in insertConsignRecord from 14:21:54; every booking with consignment then fails at ts-preserve-service's step 7 with 500.",
        files=files,
        proofs=[
            Proof(
                "logs/ts-consign-service.log",
                "threw exception [Request processing failed: java.lang.ClassCastException",
                "ConsignServiceImpl.insertConsignRecord(ConsignServiceImpl.java:58)",
            )
        ],
        decoys=[
            "[Add consign result fail]",
            "config not found, using default",
            "SlowSqlFilter: slow sql",
        ],
    )
