# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one wide CSV): from 14:27:40 +08:00 (06:27:40 UTC) tc netem
delays every packet ts-ticketinfo-service sends by about 800 ms. Its own log stays ordinary and
its CPU does not move; only its latency columns jump first. ts-travel-service's and
ts-travel2-service's ticketinfo calls hit their 3 s read timeout, ts-preserve-service fails
bookings and the gateway's nginx answers 504 on trip searches. Decoys: ts-basic-service's slow
station lookup warnings (before and after), a ts-order-service restart at 14:09, and
ts-travel-service's read timeouts themselves."""

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxError, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2025, 9, 17, 6, 5, tzinfo=UTC)
MINUTES = 40
STEP = 5
FAULT = (22 * 60 + 40) // STEP
TRIPS = ["G1234", "G1236", "D1345", "Z1234", "T1235", "K1235", "G1237"]
STATIONS = ["shanghai", "nanjing", "suzhou", "wuxi", "beijing", "taiyuan", "shijiazhuang"]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-b{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def day(rng: random.Random) -> str:
    return f"2025-09-{rng.randrange(18, 28)}"


def spring(name: str, loggers: tuple[str, ...], rng: random.Random) -> LogFile:
    return LogFile(f"logs/{name}.log", SpringBoot(loggers, pid=1, rng=rng, zone=CST))


def ticketinfo_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "INFO",
            f"[queryForTravel][Query for travel][TripId: {rng.choice(TRIPS)}, start: {rng.choice(STATIONS)}, end: {rng.choice(STATIONS)}]",
            (),
        )
    return (
        "INFO",
        f"[queryForStationId][Query for station id][StationName: {rng.choice(STATIONS)}]",
        (),
    )


def travel_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[queryInfo][Query TripResponse][startPlace: {rng.choice(STATIONS)}, endPlace: {rng.choice(STATIONS)}, departureTime: {day(rng)}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[getTripAllDetailInfo][TripId: {rng.choice(TRIPS)}, from: {rng.choice(STATIONS)}, to: {rng.choice(STATIONS)}]",
            (),
        )
    return "INFO", f"[getRouteByTripId][Get Route By Trip ID][TripId: {rng.choice(TRIPS)}]", ()


def travel_timeout(service: str, port: int) -> Callable[[random.Random], Line]:
    def make(rng: random.Random) -> Line:
        return (
            "ERROR",
            f'[getTickets][Ticketinfo query failed][tripId: {rng.choice(TRIPS)}] I/O error on POST request for "http://ts-ticketinfo-service:15681/api/v1/ticketinfoservice/ticketinfo": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out',
            tuple(
                java_trace(
                    'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-ticketinfo-service:15681/api/v1/ticketinfoservice/ticketinfo": Read timed out',
                    [
                        "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
                        "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:666)",
                        f"{service.replace('ts-', '').replace('-service', '')}.service.impl.TravelServiceImpl.getTickets(TravelServiceImpl.java:{port})",
                    ],
                    more=71,
                )
            ),
        )

    return make


def basic_line(rng: random.Random) -> Line:
    if rng.random() < 0.8:
        return (
            "INFO",
            f"[queryForTravel][Query for travel][Train Type: {rng.choice(['GaoTieOne', 'DongCheOne', 'ZhiDa', 'KuaiSu'])}, route: {uuid(rng)}]",
            (),
        )
    return "INFO", f"[checkStationExists][Check station exists][name: {rng.choice(STATIONS)}]", ()


def preserve_line(rng: random.Random) -> Line:
    return "INFO", f"[preserve][Step 1: check security][Account Id: {uuid(rng)}]", ()


def preserve_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"[preserve][Step 4: do order][Get trip detail failed][TripId: {rng.choice(TRIPS)}, message: Read timed out]",
        (),
    )


def gateway_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.244.{rng.randrange(1, 4)}.{rng.randrange(2, 250)}, server: ts-ui-dashboard, request: "POST /api/v1/travelservice/trips/left HTTP/1.1", upstream: "http://10.96.{rng.randrange(10, 200)}.{rng.randrange(2, 250)}:12346/api/v1/travelservice/trips/left", host: "ts-ui-dashboard:8080"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(52117)
    ticketinfo = spring(
        "ts-ticketinfo-service",
        ("ticketinfo.service.TicketInfoServiceImpl", "ticketinfo.controller.TicketInfoController"),
        rng,
    )
    ticketinfo.add(traffic(rng, ticketinfo_line, START, MINUTES, 1900))
    travel = spring(
        "ts-travel-service",
        ("travel.service.TravelServiceImpl", "travel.controller.TravelController"),
        rng,
    )
    travel.add(traffic(rng, travel_line, START, MINUTES, 2100))
    travel.add(
        [
            at(
                START,
                22.9,
                "WARN",
                "[getTickets][Ticketinfo call slow][tripId: G1236, elapsed: 2987 ms, url: http://ts-ticketinfo-service:15681/api/v1/ticketinfoservice/ticketinfo] retrying once",
            ),
        ]
    )
    travel.add(
        loud(rng, START, 23.0, MINUTES - 23.1, 240, travel_timeout("ts-travel-service", 412))
    )
    travel2 = spring(
        "ts-travel2-service",
        ("travel2.service.TravelServiceImpl", "travel2.controller.Travel2Controller"),
        rng,
    )
    travel2.add(traffic(rng, travel_line, START, MINUTES, 900))
    travel2.add(
        loud(rng, START, 23.1, MINUTES - 23.2, 110, travel_timeout("ts-travel2-service", 398))
    )
    basic = spring(
        "ts-basic-service",
        (
            "fdse.microservice.service.BasicServiceImpl",
            "fdse.microservice.controller.BasicController",
        ),
        rng,
    )
    basic.add(traffic(rng, basic_line, START, MINUTES, 1700))
    basic.add(
        [
            at(
                START,
                6.4,
                "WARN",
                "[queryForStationId][slow call][ts-station-service took 1840 ms][StationName: taiyuan]",
            ),
            at(
                START,
                31.2,
                "WARN",
                "[queryForStationId][slow call][ts-station-service took 1710 ms][StationName: shijiazhuang]",
            ),
        ]
    )
    order = spring(
        "ts-order-service",
        ("order.service.OrderServiceImpl", "org.springframework.boot.SpringApplication"),
        rng,
    )
    order.add(
        traffic(
            rng,
            lambda r: ("INFO", f"[getOrderById][Get Order By Id][OrderId: {uuid(r)}]", ()),
            START,
            MINUTES,
            800,
        )
    )
    order.add(
        [
            at(
                START,
                4.1,
                "WARN",
                "Shutdown hook invoked: received SIGTERM, closing Spring application context",
            ),
            at(
                START,
                4.9,
                "INFO",
                "Started OrderApplication in 38.412 seconds (JVM running for 41.07)",
            ),
        ]
    )
    preserve = spring("ts-preserve-service", ("preserve.service.PreserveServiceImpl",), rng)
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 500))
    preserve.add(loud(rng, START, 23.2, MINUTES - 23.3, 70, preserve_error))
    gateway = LogFile("logs/ts-ui-dashboard.error.log", NginxError(rng=rng))
    gateway.add(loud(rng, START, 23.3, MINUTES - 23.4, 160, gateway_error))
    levels = {
        "ts-ui-dashboard": (0.061, 38.2, (0.012, 0.061), 31.0),
        "ts-travel-service": (0.184, 612.4, (0.071, 0.24), 14.2),
        "ts-travel2-service": (0.102, 588.9, (0.066, 0.21), 6.1),
        "ts-ticketinfo-service": (0.093, 541.7, (0.021, 0.058), 20.4),
        "ts-basic-service": (0.121, 566.3, (0.017, 0.049), 20.7),
        "ts-station-service": (0.071, 520.8, (0.006, 0.019), 48.3),
        "ts-route-service": (0.066, 530.1, (0.007, 0.022), 21.5),
        "ts-preserve-service": (0.044, 602.5, (0.151, 0.41), 2.2),
        "ts-order-service": (0.087, 640.2, (0.011, 0.036), 9.8),
        "ts-seat-service": (0.052, 548.0, (0.019, 0.062), 4.4),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    t = services["ts-ticketinfo-service"]
    t["latency-50"] = shift(rng, 0.021, 0.842, FAULT, 0.08)
    t["latency-90"] = shift(rng, 0.058, 1.71, FAULT, 0.1)
    t["workload"] = shift(rng, 20.4, 11.9, FAULT + 1, 0.08)
    for name, p50, p90 in (("ts-travel-service", 2.41, 3.02), ("ts-travel2-service", 2.37, 3.01)):
        s = services[name]
        s["latency-50"] = shift(rng, levels[name][2][0], p50, FAULT + 1, 0.06)
        s["latency-90"] = shift(rng, levels[name][2][1], p90, FAULT + 1, 0.02)
    services["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.061, 3.9, FAULT + 2, 0.05)
    services["ts-preserve-service"]["latency-90"] = shift(rng, 0.41, 3.3, FAULT + 2, 0.05)
    points = MINUTES * 60 // STEP
    files = {"metrics/data.csv": wide_csv(START, STEP, points, services)}
    for log in (ticketinfo, travel, travel2, basic, order, preserve, gateway):
        files[log.name] = log.render()
    return Bundle(
        question="Trip search and booking on the ticket site have been timing out since around 14:28 (+08:00). What is the root cause and which service is it in?",
        category="network",
        component="ts-ticketinfo-service",
        statement="From 06:27:40 UTC (14:27:40 +08:00) network delay injected on ts-ticketinfo-service adds about 800 ms to its responses while its CPU and log stay normal; ts-travel-service's and ts-travel2-service's ticketinfo calls hit their read timeout, so searches, bookings and the gateway fail.",
        files=files,
        proofs=[
            Proof("metrics/data.csv", stamp(START, STEP, FAULT)),
            Proof(
                "logs/ts-travel-service.log",
                "[Ticketinfo call slow][tripId: G1236, elapsed: 2987 ms",
            ),
        ],
        decoys=[
            "[queryForStationId][slow call][ts-station-service took 1840 ms]",
            "Shutdown hook invoked: received SIGTERM",
            "upstream timed out (110: Connection timed out)",
        ],
    )
