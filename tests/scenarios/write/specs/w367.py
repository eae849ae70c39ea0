# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one wide CSV): network delay (tc netem, ~1.2 s) injected
on ts-ticketinfo-service's pod from 15:07:40 UTC (23:07:40 in the +08:00 logs). Its own log
stays ordinary and merely thins out; its latency series jump first. ts-basic-service and
ts-travel-service, which call it for every ticket search, log read timeouts a minute later and
the dashboard answers 504 to searches. Decoys: ts-auth-service rotating its JWT key, a slow
query warning in ts-order-service, and the dashboard's loud 504s."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 3, 9, 14, 48, tzinfo=UTC)
CST = timezone(timedelta(hours=8))
MINUTES = 36
STEP = 1
FAULT = 19 * 60 + 40
STATIONS = ["shanghai", "beijing", "nanjing", "suzhou", "wuxi", "hangzhou", "taiyuan", "jinan"]
TRAINS = ["G1234", "G1235", "D1345", "Z1234", "T1235", "K1345", "G1236", "D1346"]


def ticketinfo_line(rng: random.Random) -> Line:
    a, b = rng.sample(STATIONS, 2)
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"[queryForTravel][Query for travel][TripId: {rng.choice(TRAINS)}][{a} -> {b}]",
            (),
        )
    if roll < 0.9:
        return "INFO", f"[queryForStationId][Query for station id][stationName: {a}]", ()
    return "DEBUG", f"Completed 200 OK in {rng.randrange(3, 28)}ms", ()


def basic_line(rng: random.Random) -> Line:
    a, b = rng.sample(STATIONS, 2)
    if rng.random() < 0.7:
        return (
            "INFO",
            f"[queryForTravel][Start query][Trip: {rng.choice(TRAINS)}, from {a} to {b}]",
            (),
        )
    return "INFO", f"[queryForStationId][Query station id][name: {b}]", ()


def travel_line(rng: random.Random) -> Line:
    a, b = rng.sample(STATIONS, 2)
    roll = rng.random()
    if roll < 0.65:
        return (
            "INFO",
            f"[queryInfo][Query TripResponse][startPlace: {a}, endPlace: {b}, departureTime: 2026-03-10]",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"[getTickets][Trip info][tripId: {rng.choice(TRAINS)}, restTicket: {rng.randrange(20, 1000)}]",
            (),
        )
    return (
        "WARN",
        f"[getRestTicketNumber][Seat service busy, retried once][tripId: {rng.choice(TRAINS)}]",
        (),
    )


def order_line(rng: random.Random) -> Line:
    if rng.random() < 0.8:
        return "INFO", f"[getOrderById][Get Order By Id][OrderId: {rng.getrandbits(64):016x}]", ()
    return (
        "INFO",
        f"[queryOrders][Query Orders for account][AccountId: {rng.getrandbits(48):012x}]",
        (),
    )


def auth_line(rng: random.Random) -> Line:
    return "INFO", f"[login][User login success][userName: fdse_{rng.randrange(1, 900)}]", ()


def travel_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[queryInfo][Query TripResponse failed][tripId: {rng.choice(TRAINS)}] I/O error on POST request for "http://ts-basic-service:15680/api/v1/basicservice/basic/travel": Read timed out',
        tuple(
            java_trace(
                'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-basic-service:15680/api/v1/basicservice/basic/travel": Read timed out',
                [
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
                    "travel.service.TravelServiceImpl.getTickets(TravelServiceImpl.java:331)",
                    "travel.controller.TravelController.queryInfo(TravelController.java:104)",
                ],
                [
                    "java.net.SocketTimeoutException: Read timed out",
                    "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)",
                ],
                more=61,
            )
        ),
    )


def basic_timeout(rng: random.Random) -> Line:
    return (
        "WARN",
        f'[queryForTravel][ticketinfo call slow][Trip: {rng.choice(TRAINS)}] I/O error on POST request for "http://ts-ticketinfo-service:15681/api/v1/ticketinfoservice/ticketinfo": Read timed out',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(367_4409)
    fmt = lambda loggers: SpringBoot(loggers, rng=rng, zone=CST)  # noqa: E731
    ticketinfo = LogFile(
        "logs/ts-ticketinfo-service.log", fmt(("ticketinfo.service.TicketInfoServiceImpl",))
    )
    ticketinfo.add(traffic(rng, ticketinfo_line, START, FAULT / 60, 2300))
    ticketinfo.add(
        traffic(rng, ticketinfo_line, START + timedelta(seconds=FAULT), MINUTES - FAULT / 60, 700)
    )
    basic = LogFile("logs/ts-basic-service.log", fmt(("basic.service.BasicServiceImpl",)))
    basic.add(traffic(rng, basic_line, START, MINUTES, 2600))
    basic.add(loud(rng, START, 20.6, MINUTES - 20.8, 260, basic_timeout))
    basic.add(
        [
            at(
                START,
                20.55,
                "WARN",
                "[queryForTravel][ticketinfo call slow][Trip: G1237] first response after 1418ms (readTimeout 3000ms)",
            )
        ]
    )
    travel = LogFile("logs/ts-travel-service.log", fmt(("travel.service.TravelServiceImpl",)))
    travel.add(traffic(rng, travel_line, START, MINUTES, 2400))
    travel.add(loud(rng, START, 21.2, MINUTES - 21.4, 190, travel_timeout))
    order = LogFile("logs/ts-order-service.log", fmt(("order.service.OrderServiceImpl",)))
    order.add(traffic(rng, order_line, START, MINUTES, 1500))
    order.add(
        [
            at(
                START,
                9.3,
                "WARN",
                "[queryOrders][Slow query][took 2874ms, rows examined 418220, table orders]",
            )
        ]
    )
    auth = LogFile("logs/ts-auth-service.log", fmt(("auth.service.impl.TokenServiceImpl",)))
    auth.add(traffic(rng, auth_line, START, MINUTES, 900))
    auth.add(
        [
            at(
                START,
                14.8,
                "WARN",
                "[rotateKey][JWT signing key rotated; tokens signed with kid=ts-2026-02 accepted until 2026-03-10T23:00+08:00]",
            )
        ]
    )
    levels = {
        "ts-ui-dashboard": (0.11, 42.0, (0.018, 0.061), 61.0),
        "ts-travel-service": (0.31, 611.0, (0.092, 0.214), 38.0),
        "ts-basic-service": (0.27, 583.0, (0.051, 0.132), 72.0),
        "ts-ticketinfo-service": (0.19, 541.0, (0.014, 0.037), 70.0),
        "ts-station-service": (0.14, 502.0, (0.006, 0.019), 95.0),
        "ts-train-service": (0.12, 497.0, (0.005, 0.016), 44.0),
        "ts-route-service": (0.15, 519.0, (0.008, 0.024), 41.0),
        "ts-order-service": (0.22, 640.0, (0.021, 0.078), 23.0),
        "ts-auth-service": (0.09, 455.0, (0.012, 0.041), 8.0),
        "ts-seat-service": (0.18, 566.0, (0.019, 0.058), 31.0),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    t = services["ts-ticketinfo-service"]
    t["latency-50"] = shift(rng, 0.014, 1.231, FAULT, 0.05)
    t["latency-90"] = shift(rng, 0.037, 1.412, FAULT, 0.06)
    t["workload"] = shift(rng, 70.0, 29.0, FAULT + 20, 0.1)
    services["ts-basic-service"]["latency-90"] = shift(rng, 0.132, 2.91, FAULT + 35, 0.08)
    services["ts-travel-service"]["latency-90"] = shift(rng, 0.214, 3.05, FAULT + 60, 0.08)
    services["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.061, 3.11, FAULT + 65, 0.08)
    points = MINUTES * 60 // STEP
    files = {
        "metrics/data.csv": wide_csv(START, STEP, points, services),
        "logs/ts-ticketinfo-service.log": ticketinfo.render(),
        "logs/ts-basic-service.log": basic.render(),
        "logs/ts-travel-service.log": travel.render(),
        "logs/ts-order-service.log": order.render(),
        "logs/ts-auth-service.log": auth.render(),
    }
    return Bundle(
        question="Ticket searches on the dashboard have been timing out since about 23:09 (+08:00). ts-travel-service is full of read timeouts. What is the root cause?",
        category="network",
        component="ts-ticketinfo-service",
        statement="From 15:07:40 UTC (23:07:40 +08:00) network delay of about 1.2 s is injected on ts-ticketinfo-service: its p50 and p90 latency jump while its own log stays clean, so ts-basic-service and then ts-travel-service hit read timeouts and searches fail.",
        files=files,
        proofs=[Proof("metrics/data.csv", stamp(START, STEP, FAULT))],
        decoys=[
            "JWT signing key rotated",
            "rows examined 418220",
            "Read timed out",
        ],
    )
