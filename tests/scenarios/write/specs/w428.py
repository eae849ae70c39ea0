# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one CSV per service with a `socket` series, logs in
Spring Boot 3's +08:00 local time): socket exhaustion injected in ts-consign-service from
02:41:35 UTC (10:41 CST). Its open sockets climb from ~70 to ~28,000 within minutes; by 02:44
its outbound calls to ts-consign-price-service fail with `java.net.BindException: Cannot assign
requested address`, and ts-preserve-service's bookings that carry a consignment fail with 500.
Decoys: ts-consign-price-service's restart at 02:33 (rolled config, healthy after), a slow
query warning in ts-order-service, and ts-preserve-service's ordinary sold-out rejections."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2026, 1, 22, 2, 28, tzinfo=UTC)
MINUTES = 32
STEP = 5
FAULT = (13 * 60 + 35) // STEP


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def consign_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return "INFO", f"[insertConsignRecord][Insert consign record][OrderId: {uuid(rng)}]", ()
    if roll < 0.7:
        return "INFO", f"[queryByAccountId][Find consign by account id][accountId: {uuid(rng)}]", ()
    return (
        "INFO",
        f"[getPriceByWeightAndRegion][Consign price][weight: {rng.randrange(1, 30)}.0, isWithinRegion: {rng.choice(['true', 'false'])}]",
        (),
    )


def consign_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[insertConsignRecord][Consign price request failed][OrderId: {uuid(rng)}]: I/O error on GET request for "http://ts-consign-price-service:16110/api/v1/consignpriceservice/consignprice/{rng.randrange(1, 30)}.0/true": Cannot assign requested address',
        tuple(
            java_trace(
                "org.springframework.web.client.ResourceAccessException: I/O error on GET request: Cannot assign requested address",
                [
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:791)",
                    "consign.service.ConsignServiceImpl.insertConsignRecord(ConsignServiceImpl.java:58)",
                ],
                caused_by=[
                    "java.net.BindException: Cannot assign requested address",
                    "java.base/sun.nio.ch.Net.connect0(Native Method)",
                    "java.base/sun.nio.ch.Net.connect(Net.java:579)",
                ],
                more=88,
            )
        ),
    )


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"[preserve][Verify login][Success][accountId: {uuid(rng)}]", ()
    if roll < 0.85:
        return "INFO", f"[preserve][Step 4][Do Order][Order Success][orderId: {uuid(rng)}]", ()
    if roll < 0.95:
        return "INFO", f"[preserve][Step 7][Add Consign][Success][orderId: {uuid(rng)}]", ()
    return (
        "WARN",
        f"[preserve][Step 3][Check seat][Not enough seats][tripId: {rng.choice(['G1234', 'D1345', 'Z1236', 'T1235'])}]",
        (),
    )


def preserve_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[preserve][Step 7][Add Consign][Fail][orderId: {uuid(rng)}]: 500 Internal Server Error: "{{"status":0,"msg":"Consign price query failed","data":null}}"',
        (),
    )


def order_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[queryOrders][Query Orders for refresh][accountId: {uuid(rng)}][Order size: {rng.randrange(0, 14)}]",
        (),
    )


def price_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[getPriceByWeightAndRegion][Calculate price][weight: {rng.randrange(1, 30)}.0, price: {rng.randrange(10, 200)}.0]",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(42828)
    consign = LogFile(
        "logs/ts-consign-service.log",
        SpringBoot(
            ("consign.service.ConsignServiceImpl", "consign.controller.ConsignController"),
            rng=rng,
            zone=CST,
        ),
    )
    consign.add(traffic(rng, consign_line, START, 14.0, 900))
    consign.add(traffic(rng, consign_line, START + timedelta(minutes=14), 2.2, 60))
    consign.add(
        [
            at(
                START,
                15.91,
                "WARN",
                "[insertConsignRecord][Consign price request retry][connect to ts-consign-price-service/10.96.41.7:16110 failed: Cannot assign requested address (connect failed), retry 1 of 1]",
                logger="consign.service.ConsignServiceImpl",
            ),
        ]
    )
    consign.add(loud(rng, START, 16.2, MINUTES - 16.3, 70, consign_error))
    preserve = LogFile(
        "logs/ts-preserve-service.log",
        SpringBoot(
            ("preserve.service.PreserveServiceImpl", "preserve.controller.PreserveController"),
            rng=rng,
            zone=CST,
        ),
    )
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 2600))
    preserve.add(loud(rng, START, 16.25, MINUTES - 16.4, 310, preserve_error))
    price = LogFile(
        "logs/ts-consign-price-service.log",
        SpringBoot(
            (
                "consignprice.service.ConsignPriceServiceImpl",
                "o.s.b.w.embedded.tomcat.TomcatWebServer",
            ),
            rng=rng,
            zone=CST,
        ),
    )
    price.add(traffic(rng, price_line, START, 16.0, 800))
    price.add(
        [
            at(
                START,
                5.0,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.embedded.tomcat.GracefulShutdown",
            ),
            at(
                START,
                5.6,
                "INFO",
                "Tomcat started on port(s): 16110 (http) with context path ''",
                logger="o.s.b.w.embedded.tomcat.TomcatWebServer",
            ),
            at(
                START,
                5.62,
                "INFO",
                "Started ConsignPriceApplication in 21.337 seconds (process running for 23.05)",
                logger="consignprice.ConsignPriceApplication",
            ),
        ]
    )
    order = LogFile(
        "logs/ts-order-service.log",
        SpringBoot(("order.service.OrderServiceImpl",), rng=rng, zone=CST),
    )
    order.add(traffic(rng, order_line, START, MINUTES, 1400))
    order.add(
        [
            at(
                START,
                24.3,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m2s81ms).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            )
        ]
    )
    levels = {
        "ts-consign-service": (0.041, 598.2, (0.0071, 0.0188), 6.2, 71.0),
        "ts-consign-price-service": (0.019, 512.7, (0.0028, 0.0069), 6.2, 44.0),
        "ts-preserve-service": (0.092, 661.3, (0.1311, 0.2904), 7.9, 158.0),
        "ts-order-service": (0.078, 702.5, (0.0192, 0.0511), 21.4, 96.0),
        "ts-travel-service": (0.066, 640.1, (0.0233, 0.0617), 19.7, 88.0),
        "ts-seat-service": (0.054, 590.4, (0.0301, 0.0812), 14.6, 73.0),
        "ts-auth-service": (0.031, 555.0, (0.0098, 0.0253), 9.1, 52.0),
    }
    services = {}
    for name, (cpu, mem, lat, work, sockets) in levels.items():
        services[name] = usual_series(rng, cpu, mem, lat, work)
        services[name]["socket"] = shift(rng, sockets, sockets, 0, 0.05)
    c = services["ts-consign-service"]
    c["socket"] = shift(rng, 71.0, 28190.0, FAULT, 0.01, ramp=30)
    c["cpu"] = shift(rng, 0.041, 0.188, FAULT, 0.1)
    c["workload"] = shift(rng, 6.2, 1.1, FAULT + 32, 0.2)
    services["ts-preserve-service"]["latency-90"] = shift(rng, 0.2904, 1.412, FAULT + 28, 0.1)
    services["ts-consign-price-service"]["workload"] = shift(rng, 6.2, 0.4, FAULT + 32, 0.3)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": f for m, f in series.items()}, 4
        )
        for name, series in services.items()
    }
    files |= {
        "logs/ts-preserve-service.log": preserve.render(),
        "logs/ts-consign-service.log": consign.render(),
        "logs/ts-consign-price-service.log": price.render(),
        "logs/ts-order-service.log": order.render(),
    }
    return Bundle(
        question="Since about 10:44 Beijing time bookings with a consignment fail with 500 in ts-preserve-service. Which service is the root cause?",
        category="network",
        component="ts-consign-service",
        statement="From 02:41:35 UTC (10:41 CST) ts-consign-service runs out of sockets (its socket series climbs from ~70 to ~28,000), so its outbound connections to ts-consign-price-service fail with `java.net.BindException: Cannot assign requested address`; ts-preserve-service's consignment step then fails with 500.",
        files=files,
        proofs=[
            Proof("metrics/ts-consign-service.csv", stamp(START, STEP, FAULT)),
            Proof("logs/ts-consign-service.log", "(connect failed), retry 1 of 1"),
        ],
        decoys=[
            "Commencing graceful shutdown",
            "Thread starvation or clock leap detected",
            "Not enough seats",
        ],
    )
