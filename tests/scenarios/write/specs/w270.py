# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE3 style: one CSV per service at 5 s, logs in UTC): a code fault in
a new build of ts-consign-price-service, started at 03:11:52 UTC. Its `getPriceByWeightAndRegion`
now looks up the out-of-region price rule under a key the configuration does not have and throws
a NullPointerException for every consignment outside the region; in-region consignments still
work. Its log shows the new build's start-up and the stack traces; ts-consign-service logs
500s from it and the dashboard answers 500 on PUT/POST /api/v1/consignservice/consigns. The
metrics barely move. Decoys: ts-consign-service's errors, a HikariCP thread-starvation warning
in ts-consign-service, and ts-order-service's 'Order Not Found' warnings."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import unix_rows, usual_series
from records import NginxAccess, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 4, 7, 2, 58, tzinfo=UTC)
MINUTES = 38
STEP = 5
DEPLOY = 13 + 52 / 60
FAULT = int((DEPLOY + 0.5) * 60) // STEP
NPE_FRAMES = [
    "consignprice.service.ConsignPriceServiceImpl.getPriceByWeightAndRegion(ConsignPriceServiceImpl.java:58)",
    "consignprice.controller.ConsignPriceController.getPriceByWeightAndRegion(ConsignPriceController.java:41)",
    "sun.reflect.GeneratedMethodAccessor187.invoke(Unknown Source)",
    "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:205)",
]


def price_line(rng: random.Random) -> Line:
    w = rng.randrange(1, 40)
    if rng.random() < 0.6:
        return (
            "INFO",
            f"[getPriceByWeightAndRegion][Get price by weight and region][weight: {w}.0, region: true]",
            (),
        )
    return (
        "INFO",
        "[getPriceInfo][Get price info][initialWeight: 1.0, initialPrice: 8.0, withinPrice: 2.0, beyondPrice: 4.0]",
        (),
    )


def price_npe(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException] with root cause",
        tuple(java_trace("java.lang.NullPointerException: null", NPE_FRAMES, more=54)),
    )


def consign_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[insertConsign][Insert Consign][consignId: {rng.getrandbits(64):016x}, orderId: {rng.getrandbits(64):016x}, within: {str(rng.random() < 0.55).lower()}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[queryByAccountId][Find consign by account id][accountId: {rng.getrandbits(128):032x}]",
            (),
        )
    return (
        "INFO",
        f"[updateConsignRecord][Update consign record][consignId: {rng.getrandbits(64):016x}]",
        (),
    )


def consign_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[insertConsign][Compute price failed][orderId: {rng.getrandbits(64):016x}, within: false] 500 Internal Server Error: [{{"timestamp":"2026-04-07T03:{rng.randrange(12, 36)}:{rng.randrange(60):02d}.{rng.randrange(1000):03d}+00:00","status":500,"error":"Internal Server Error","message":"","path":"/api/v1/consignpriceservice/consignprice/{rng.randrange(2, 40)}.0/false"}}]',
        (),
    )


def dash_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/api/v1/consignservice/consigns",
            "/api/v1/consignservice/consigns/account/4d2a46c7-71cb-4cf1-b5bb-b68406d9da6f",
            "/api/v1/travelservice/trips/left",
            "/api/v1/orderservice/order/refresh",
            "/api/v1/users/login",
        ]
    )
    method = "GET" if "account" in path else "POST"
    return (
        "INFO",
        f'"{method} {path} HTTP/1.1" 200 {rng.randrange(120, 4000)} "-" "python-requests/2.31" {rng.randrange(9, 140) / 1000:.3f}',
        (),
    )


def dash_error(rng: random.Random) -> Line:
    method = rng.choice(["POST", "PUT"])
    return (
        "ERROR",
        f'"{method} /api/v1/consignservice/consigns HTTP/1.1" 500 {rng.randrange(160, 240)} "-" "python-requests/2.31" {rng.randrange(30, 90) / 1000:.3f}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(27004)
    price = LogFile(
        "logs/ts-consign-price-service.log",
        SpringBoot(
            (
                "consignprice.service.ConsignPriceServiceImpl",
                "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
            pid=1,
            rng=rng,
        ),
    )
    price.add(traffic(rng, price_line, START, MINUTES, 900))
    price.add(
        [
            at(
                START,
                DEPLOY - 0.9,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            ),
            at(
                START,
                DEPLOY,
                "INFO",
                "Starting ConsignPriceApplication v1.0.3-rc2 using Java 1.8.0_372 with PID 1 (/app/ts-consign-price-service-1.0.3-rc2.jar started by root in /app)",
                logger="consignprice.ConsignPriceApplication",
            ),
            at(
                START,
                DEPLOY + 0.4,
                "INFO",
                "Started ConsignPriceApplication in 24.611 seconds (JVM running for 27.318)",
                logger="consignprice.ConsignPriceApplication",
            ),
        ]
    )
    price.add(
        [
            at(
                START,
                DEPLOY + 0.5,
                "INFO",
                "[getPriceByWeightAndRegion][Get price by weight and region][weight: 12.0, region: false]",
            ),
            at(START, DEPLOY + 0.51, "ERROR", price_npe(rng)[1], price_npe(rng)[2]),
        ]
    )
    price.add(loud(rng, START, DEPLOY + 0.55, MINUTES - DEPLOY - 0.6, 140, price_npe))
    consign = LogFile(
        "logs/ts-consign-service.log",
        SpringBoot(("consign.service.ConsignServiceImpl",), pid=1, rng=rng),
    )
    consign.add(traffic(rng, consign_line, START, MINUTES, 1600))
    consign.add(loud(rng, START, DEPLOY + 0.56, MINUTES - DEPLOY - 0.6, 140, consign_error))
    consign.add(
        [
            at(
                START,
                5.7,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m4s312ms).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            )
        ]
    )
    order = LogFile(
        "logs/ts-order-service.log", SpringBoot(("order.service.OrderServiceImpl",), pid=1, rng=rng)
    )
    order.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[getOrderById][Get Order By Id][orderId: {r.getrandbits(64):016x}]",
                (),
            ),
            START,
            MINUTES,
            1100,
        )
    )
    order.add(
        loud(
            rng,
            START,
            2.0,
            MINUTES - 3,
            18,
            lambda r: (
                "WARN",
                f"[getOrderById][Order Not Found][orderId: {r.getrandbits(64):016x}]",
                (),
            ),
        )
    )
    dash = LogFile("logs/ts-ui-dashboard.log", NginxAccess(rng=rng))
    dash.add(traffic(rng, dash_line, START, MINUTES, 2600))
    dash.add(loud(rng, START, DEPLOY + 0.57, MINUTES - DEPLOY - 0.6, 130, dash_error))
    levels = {
        "ts-ui-dashboard": (0.19, 121.0, (0.029, 0.088), 36.0),
        "ts-consign-service": (0.07, 548.0, (0.034, 0.092), 6.3),
        "ts-consign-price-service": (0.04, 471.0, (0.006, 0.017), 6.3),
        "ts-order-service": (0.09, 566.0, (0.022, 0.069), 12.0),
        "ts-travel-service": (0.14, 602.0, (0.058, 0.139), 19.0),
        "ts-auth-service": (0.05, 512.0, (0.041, 0.097), 4.4),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    cp = services["ts-consign-price-service"]
    cp["mem"] = shift(rng, 471.0, 388.0, FAULT - 6, 0.01)
    cp["cpu"] = shift(rng, 0.04, 0.052, FAULT, 0.08)
    services["ts-consign-service"]["latency-90"] = shift(rng, 0.092, 0.071, FAULT, 0.12)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": f for m, f in series.items()}, 4
        )
        for name, series in services.items()
    }
    files |= {
        "logs/ts-consign-price-service.log": price.render(),
        "logs/ts-consign-service.log": consign.render(),
        "logs/ts-order-service.log": order.render(),
        "logs/ts-ui-dashboard.log": dash.render(),
    }
    return Bundle(
        question="About half of all consignment requests fail with 500 since shortly after 03:12 UTC; nothing looks slow. What is the root cause?",
        category="code_error",
        component="ts-consign-price-service",
        statement="A new build of ts-consign-price-service (1.0.3-rc2), started at 03:11:52 UTC, throws a NullPointerException in getPriceByWeightAndRegion for every out-of-region consignment, so ts-consign-service's price calls fail and the web UI answers 500 on consign requests.",
        files=files,
        proofs=[
            Proof(
                "logs/ts-consign-price-service.log", "Starting ConsignPriceApplication v1.0.3-rc2"
            ),
            Proof(
                "logs/ts-consign-price-service.log",
                "weight: 12.0, region: false",
                "ConsignPriceServiceImpl.java:58",
            ),
        ],
        decoys=[
            "[Compute price failed]",
            "Thread starvation or clock leap detected",
            "[Order Not Found]",
        ],
    )
