# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one wide CSV): a network delay injected on ts-basic-service
from 14:21:30 UTC (about 900 ms added to every packet it sends). Its latency series jump first;
its own log only shows its outgoing calls to ts-station-service getting slow. Loud: ts-travel-service
read timeouts on /api/v1/basicservice/basic/travel and ts-ui-dashboard 504s on trip search.
Decoys: ts-order-service's seat-cache eviction warning, a ts-route-service GC pause, and a
ts-travel-service Mongo reconnect before the fault."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxError, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 6, 17, 14, 2, tzinfo=UTC)
STEP = 1
MINUTES = 34
POINTS = MINUTES * 60
FAULT = 19 * 60 + 30


def trip(rng: random.Random) -> str:
    return rng.choice(["G1234", "G1235", "D1345", "Z1236", "T1235", "K1345", "G1237"])


def station(rng: random.Random) -> str:
    return rng.choice(["shanghai", "beijing", "nanjing", "suzhou", "taiyuan", "shijiazhuang"])


def basic_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"[queryForTravel][Query for travel][Trip id: {trip(rng)}, start: {station(rng)}, end: {station(rng)}]",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"[queryForStationId][Query for station id][stationName: {station(rng)}] elapsed {rng.randrange(3, 28)}ms",
            (),
        )
    return (
        "INFO",
        f"[queryTrainType][Query train type][trainTypeId: {rng.choice(['GaoTieOne', 'DongCheOne', 'ZhiDa', 'KuaiSu'])}]",
        (),
    )


def travel_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return (
            "INFO",
            f"[queryInfo][Query trips][start: {station(rng)}, end: {station(rng)}, departureTime: 2025-06-18] found {rng.randrange(1, 9)} trips",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"[getTripAllDetailInfo][Get trip detail][tripId: {trip(rng)}] {rng.randrange(20, 140)}ms",
            (),
        )
    return "DEBUG", f"[getRouteByTripId][Get route][tripId: {trip(rng)}]", ()


def order_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "INFO",
            f"[getSoldTickets][Seat sold][tripId: {trip(rng)}, date: 2025-06-18, sold: {rng.randrange(0, 400)}]",
            (),
        )
    return "INFO", f"[create][Create order][orderId: {rng.getrandbits(128):032x}] success", ()


def route_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[getRouteById][Get route][routeId: {rng.getrandbits(64):016x}-{rng.randrange(1000, 9999)}]",
        (),
    )


def travel_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[queryInfo][Query trips failed][tripId: {trip(rng)}] I/O error on POST request for "http://ts-basic-service:15680/api/v1/basicservice/basic/travel": Read timed out',
        tuple(
            java_trace(
                'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-basic-service:15680/api/v1/basicservice/basic/travel": Read timed out',
                [
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
                    "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:670)",
                    "travel.service.TravelServiceImpl.getTickets(TravelServiceImpl.java:412)",
                    "travel.service.TravelServiceImpl.query(TravelServiceImpl.java:233)",
                ],
                caused_by=[
                    "java.net.SocketTimeoutException: Read timed out",
                    "java.base/java.net.SocketInputStream.socketRead0(Native Method)",
                ],
                more=61,
            )
        ),
    )


def ui_504(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.44.{rng.randrange(1, 6)}.{rng.randrange(2, 250)}, server: localhost, request: "POST /api/v1/travelservice/trips/left HTTP/1.1", upstream: "http://10.96.{rng.randrange(10, 99)}.{rng.randrange(2, 250)}:12346/api/v1/travelservice/trips/left", host: "ts-ui-dashboard:8080"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(59317)
    fm = FAULT / 60
    basic = LogFile(
        "logs/ts-basic-service.log", SpringBoot(("basic.service.BasicServiceImpl",), rng=rng)
    )
    basic.add(traffic(rng, basic_line, START, MINUTES, 2600))
    basic.add(
        [
            at(
                START,
                fm + 0.07,
                "WARN",
                "[queryForStationId][Query for station id][stationName: nanjing] elapsed 1874ms",
                logger="basic.service.BasicServiceImpl",
            ),
            at(
                START,
                fm + 0.3,
                "WARN",
                "[queryForStationId][Query for station id][stationName: suzhou] elapsed 1902ms",
                logger="basic.service.BasicServiceImpl",
            ),
        ]
    )
    basic.add(
        loud(
            rng,
            START,
            fm + 0.4,
            MINUTES - fm - 0.5,
            140,
            fixed(
                "WARN",
                lambda r: (
                    f"[queryForStationId][Query for station id][stationName: {station(r)}] elapsed {r.randrange(1790, 2100)}ms"
                ),
            ),
        )
    )
    travel = LogFile(
        "logs/ts-travel-service.log",
        SpringBoot(
            ("travel.service.TravelServiceImpl", "travel.controller.TravelController"), rng=rng
        ),
    )
    travel.add(traffic(rng, travel_line, START, MINUTES, 3000))
    travel.add(
        [
            at(
                START,
                4.1,
                "WARN",
                "Exception in monitor thread while connecting to server ts-travel-mongo:27017 com.mongodb.MongoSocketReadException: Prematurely reached end of stream; reconnected after 212ms",
                logger="org.mongodb.driver.cluster",
            )
        ]
    )
    travel.add(loud(rng, START, fm + 1.2, MINUTES - fm - 1.3, 260, travel_timeout))
    order = LogFile(
        "logs/ts-order-service.log", SpringBoot(("order.service.OrderServiceImpl",), rng=rng)
    )
    order.add(traffic(rng, order_line, START, MINUTES, 1500))
    order.add(
        [
            at(
                START,
                fm + 2.4,
                "WARN",
                "[SeatCache] evicted 1204 entries: cache size 5000 reached (maximumSize=5000)",
                logger="order.config.SeatCacheConfig",
            )
        ]
    )
    route = LogFile(
        "logs/ts-route-service.log", SpringBoot(("route.service.RouteServiceImpl",), rng=rng)
    )
    route.add(traffic(rng, route_line, START, MINUTES, 1100))
    route.add(
        [
            at(
                START,
                fm + 0.9,
                "WARN",
                "[GC (Allocation Failure) pause young 412ms, heap 611M->388M(1024M)] request latency above 300ms for 3 requests",
                logger="route.config.GcWatch",
            )
        ]
    )
    ui = LogFile("logs/ts-ui-dashboard-error.log", NginxError(rng=rng))
    ui.add(loud(rng, START, fm + 1.3, MINUTES - fm - 1.4, 190, ui_504))
    levels = {
        "ts-ui-dashboard": (0.21, 88, (0.021, 0.094), 41.2),
        "ts-travel-service": (0.36, 712, (0.061, 0.188), 17.3),
        "ts-basic-service": (0.27, 655, (0.018, 0.061), 33.8),
        "ts-station-service": (0.14, 590, (0.006, 0.019), 51.6),
        "ts-train-service": (0.09, 571, (0.005, 0.017), 22.4),
        "ts-route-service": (0.12, 602, (0.009, 0.031), 18.9),
        "ts-price-service": (0.08, 548, (0.007, 0.022), 16.1),
        "ts-order-service": (0.31, 744, (0.034, 0.112), 12.7),
        "ts-seat-service": (0.19, 630, (0.041, 0.129), 11.2),
        "ts-auth-service": (0.11, 598, (0.015, 0.048), 6.3),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    b = services["ts-basic-service"]
    b["latency-50"] = shift(rng, 0.018, 1.86, FAULT, 0.06)
    b["latency-90"] = shift(rng, 0.061, 2.71, FAULT, 0.08)
    b["workload"] = shift(rng, 33.8, 21.5, FAULT + 20, 0.08)
    t = services["ts-travel-service"]
    t["latency-50"] = shift(rng, 0.061, 3.92, FAULT + 25, 0.1)
    t["latency-90"] = shift(rng, 0.188, 5.01, FAULT + 25, 0.1)
    services["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.094, 5.2, FAULT + 30, 0.1)
    services["ts-station-service"]["workload"] = shift(rng, 51.6, 34.0, FAULT + 20, 0.08)
    services["ts-route-service"]["latency-90"] = shift(rng, 0.031, 0.038, FAULT, 0.2)
    return Bundle(
        question="Trip search on Train-Ticket started returning 504s a little after 14:22 UTC and ts-travel-service is full of read timeouts. Which service is the root cause?",
        category="network",
        component="ts-basic-service",
        statement="From 14:21:30 UTC a network delay on ts-basic-service adds roughly 1.8 s to its responses and to its own calls to ts-station-service; ts-travel-service's calls to ts-basic-service then hit their read timeout and the UI returns 504 on trip search.",
        files={
            "metrics.csv": wide_csv(START, STEP, POINTS, services),
            "logs/ts-basic-service.log": basic.render(),
            "logs/ts-travel-service.log": travel.render(),
            "logs/ts-order-service.log": order.render(),
            "logs/ts-route-service.log": route.render(),
            "logs/ts-ui-dashboard-error.log": ui.render(),
        },
        proofs=[
            Proof("metrics.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2)),
            Proof("logs/ts-basic-service.log", "[stationName: nanjing] elapsed 1874ms"),
        ],
        decoys=[
            "[SeatCache] evicted 1204 entries",
            "pause young 412ms",
            "Prematurely reached end of stream",
        ],
    )
