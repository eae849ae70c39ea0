# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE3 layout, wide CSV): a new ts-consign-service build (1.0.4-b217)
rolled out at 11:02 UTC unboxes the consignment's optional `weight` without a null check.
Bookings that add a consignee but leave the weight empty now throw a NullPointerException in
ConsignServiceImpl.insertConsignRecord; ts-preserve-service reports the booking as failed and the
dashboard answers 500 on those bookings. Metrics barely move. Decoys: ts-preserve-service's loud
errors, a Mongo driver warning at the consign service's start-up, and a ts-order-service
warning about a slow query."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import NginxAccess, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 4, 6, 10, 40, tzinfo=UTC)
MINUTES = 48
STEP = 5
ROLLOUT = 22.0


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-b{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def consign_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"[insertConsignRecord][Insert Consign Record][OrderId: {uid(rng)}, weight: {rng.uniform(0.5, 20):.1f}]",
            (),
        )
    if roll < 0.8:
        return "INFO", f"[queryByAccountId][Find consign by account id][accountId: {uid(rng)}]", ()
    return "INFO", f"[queryByOrderId][Find consign by order id][orderId: {uid(rng)}]", ()


def consign_npe(rng: random.Random) -> Line:
    return (
        "ERROR",
        'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException: Cannot invoke "java.lang.Double.doubleValue()" because the return value of "consign.entity.Consign.getWeight()" is null] with root cause',
        tuple(
            java_trace(
                'java.lang.NullPointerException: Cannot invoke "java.lang.Double.doubleValue()" because the return value of "consign.entity.Consign.getWeight()" is null',
                [
                    "consign.service.ConsignServiceImpl.insertConsignRecord(ConsignServiceImpl.java:58)",
                    "consign.controller.ConsignController.insertConsign(ConsignController.java:41)",
                ],
                more=87,
            )
        ),
    )


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return "INFO", f"[preserve][Step 1][Check Security][Account Id: {uid(rng)}]", ()
    if roll < 0.8:
        return "INFO", f"[preserve][Step 6][Create order success][OrderId: {uid(rng)}]", ()
    return "INFO", f"[preserve][Step 8][Add consign success][OrderId: {uid(rng)}]", ()


def preserve_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[preserve][Step 8][Add consign failed][OrderId: {uid(rng)}] org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 : [{{"timestamp":"2026-04-06","status":500,"error":"Internal Server Error","path":"/api/v1/consignservice/consigns"}}]',
        (),
    )


def order_line(rng: random.Random) -> Line:
    return "INFO", f"[queryOrdersForRefresh][Query Orders For Refresh][AccountId: {uid(rng)}]", ()


def access_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/api/v1/travelservice/trips/left",
            "/api/v1/orderservice/order/refresh",
            "/api/v1/preserveservice/preserve",
            "/api/v1/consignservice/consigns/account/" + uid(rng),
            "/client_order_list.html",
        ]
    )
    method = "GET" if ("account" in path or path.endswith("html")) else "POST"
    return (
        "INFO",
        f'"{method} {path} HTTP/1.1" 200 {rng.randrange(300, 9000)} "http://trainticket.qa.corp/client_ticket_book.html" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/124.0"',
        (),
    )


def access_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'"POST /api/v1/preserveservice/preserve HTTP/1.1" 500 {rng.randrange(150, 260)} "http://trainticket.qa.corp/client_ticket_book.html" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/124.0"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(340_406)
    loggers = ("consign.service.ConsignServiceImpl", "consign.controller.ConsignController")
    consign = LogFile("logs/ts-consign-service.log", SpringBoot(loggers, rng=rng))
    consign.add(traffic(rng, consign_line, START, ROLLOUT - 0.2, 700))
    consign.add(
        [
            at(
                START,
                ROLLOUT - 0.1,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            ),
            at(
                START,
                ROLLOUT + 0.4,
                "INFO",
                "Starting ConsignApplication v1.0.4-b217 using Java 17.0.10 with PID 1 (/app/ts-consign-service-1.0.4-b217.jar started by root in /app)",
                logger="consign.ConsignApplication",
            ),
            at(
                START,
                ROLLOUT + 0.45,
                "WARN",
                "Exception in monitor thread while connecting to server ts-consign-mongo:27017 (Connection refused); retrying",
                logger="org.mongodb.driver.cluster",
            ),
            at(
                START,
                ROLLOUT + 0.6,
                "INFO",
                "Tomcat started on port(s): 16111 (http) with context path ''",
                logger="o.s.b.w.embedded.tomcat.TomcatWebServer",
            ),
            at(
                START,
                ROLLOUT + 0.62,
                "INFO",
                "Started ConsignApplication in 21.8 seconds (process running for 23.1)",
                logger="consign.ConsignApplication",
            ),
        ]
    )
    consign.add(
        traffic(
            rng,
            consign_line,
            START + timedelta(minutes=ROLLOUT + 0.7),
            MINUTES - ROLLOUT - 0.7,
            760,
        )
    )
    level, message, trailer = consign_npe(rng)
    first = at(
        START,
        ROLLOUT + 3.1,
        level,
        message,
        trailer,
        logger="o.a.c.c.C.[.[.[/].[dispatcherServlet]",
    )
    consign.add([first])
    consign.add(loud(rng, START, ROLLOUT + 3.3, MINUTES - ROLLOUT - 3.4, 118, consign_npe))
    preserve = LogFile(
        "logs/ts-preserve-service.log",
        SpringBoot(("preserve.service.PreserveServiceImpl",), rng=rng),
    )
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 1900))
    preserve.add(loud(rng, START, ROLLOUT + 3.12, MINUTES - ROLLOUT - 3.3, 119, preserve_error))
    order = LogFile(
        "logs/ts-order-service.log", SpringBoot(("order.service.OrderServiceImpl",), rng=rng)
    )
    order.add(traffic(rng, order_line, START, MINUTES, 1300))
    order.add(
        [
            at(
                START,
                30.7,
                "WARN",
                "Query orders for account took 1877 ms (threshold 1500 ms): db.orders.find({accountId: ...}).sort({boughtDate: -1})",
            )
        ]
    )
    access = LogFile("logs/ts-ui-dashboard-access.log", NginxAccess(rng=rng))
    access.add(traffic(rng, access_line, START, MINUTES, 3500))
    access.add(loud(rng, START, ROLLOUT + 3.15, MINUTES - ROLLOUT - 3.3, 117, access_error))
    levels = {
        "ts-ui-dashboard": (0.19, 90.4, (0.013, 0.051), 37.0),
        "ts-preserve-service": (0.17, 551.0, (0.121, 0.318), 3.8),
        "ts-consign-service": (0.07, 471.0, (0.008, 0.021), 2.9),
        "ts-consign-price-service": (0.04, 402.0, (0.004, 0.011), 2.9),
        "ts-order-service": (0.23, 580.0, (0.015, 0.044), 17.0),
        "ts-travel-service": (0.31, 603.0, (0.029, 0.089), 21.0),
        "ts-seat-service": (0.26, 495.0, (0.009, 0.027), 25.0),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    roll = int(ROLLOUT * 60 // STEP)
    services["ts-consign-service"]["mem"] = shift(rng, 471.0, 388.0, roll + 4, 0.01, ramp=12)
    services["ts-consign-service"]["latency-90"] = shift(rng, 0.021, 0.026, roll + 36, 0.12)
    files = {
        "metrics.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "logs/ts-consign-service.log": consign.render(),
        "logs/ts-preserve-service.log": preserve.render(),
        "logs/ts-order-service.log": order.render(),
        "logs/ts-ui-dashboard-access.log": access.render(),
    }
    return Bundle(
        question="QA reports that some ticket bookings fail with a 500 since about 11:05 UTC while others go through. What is the root cause?",
        category="code_error",
        component="ts-consign-service",
        statement="The ts-consign-service build 1.0.4-b217 rolled out at 11:02 UTC dereferences the consignment's optional weight without a null check; bookings with a consignee but no weight throw a NullPointerException in ConsignServiceImpl.insertConsignRecord, and ts-preserve-service fails those bookings with 500.",
        files=files,
        proofs=[
            Proof("logs/ts-consign-service.log", "Starting ConsignApplication v1.0.4-b217"),
            Proof(
                "logs/ts-consign-service.log",
                f"{first.time.strftime('%H:%M:%S.')}{first.time.microsecond // 1000:03d}",
                "ConsignServiceImpl.insertConsignRecord(ConsignServiceImpl.java:58)",
            ),
        ],
        decoys=[
            "Add consign failed",
            "Exception in monitor thread while connecting to server ts-consign-mongo",
            "Query orders for account took 1877 ms",
        ],
    )
