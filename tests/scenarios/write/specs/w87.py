# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""tc netem adds about half a second to every packet ts-route-service sends; its own log and
CPU stay normal while ts-basic-service's reads time out, ts-travel-service fails its trip
searches and the gateway answers 504."""

import random
from collections.abc import Callable
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxError, SpringBoot
from scenes import fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 7, 2, 2, 10, tzinfo=UTC)
STEP = 1
POINTS = 36 * 60
FAULT = 17 * 60 + 41
TRIPS = ["G1234", "G1235", "G1236", "G1237", "D1345", "Z1234", "Z1235", "T1235", "K1235"]
STATIONS = ["shanghai", "nanjing", "suzhou", "wuxi", "beijing", "taiyuan", "shijiazhuang"]
ROUTES = [
    "92708982-77af-4318-be25-57ccb0ff69ad",
    "aefcef3f-3f42-46e8-afd7-6cb2a928bd3d",
    "a3f256c1-0e43-4f7d-9c21-121bf258101f",
    "084837bb-53c8-4438-87c8-0321a4d09917",
    "f3d4d4ef-693b-4456-8eed-59c0d717dd08",
]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def spring(service: str, loggers: tuple[str, ...], rng: random.Random) -> LogFile:
    return LogFile(f"logs/{service}.log", SpringBoot(loggers, pid=1, rng=rng))


def route_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return "INFO", f"[getRouteById][Get Route By Id][RouteId: {rng.choice(ROUTES)}]", ()
    if roll < 0.8:
        return (
            "INFO",
            f"[getRouteByStartAndEnd][Get Route By Start And End][start: {rng.choice(STATIONS)}, end: {rng.choice(STATIONS)}]",
            (),
        )
    if roll < 0.95:
        return "INFO", f"[getRouteByIds][Get Route By Ids][RouteIdsNum: {rng.randrange(1, 9)}]", ()
    return "DEBUG", f"Mongo cursor closed: routes collection scanned in {rng.randrange(1, 9)}ms", ()


def basic_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[queryForTravel][Query for travel][Travel: {rng.choice(TRIPS)}, startPlace: {rng.choice(STATIONS)}, endPlace: {rng.choice(STATIONS)}, departureTime: 2024-07-0{rng.randrange(3, 9)}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[queryForStationId][Query for station id][stationName: {rng.choice(STATIONS)}]",
            (),
        )
    return (
        "INFO",
        f"[queryTrainTypeByName][Query train type][trainTypeName: {rng.choice(['GaoTieOne', 'DongCheOne', 'ZhiDa', 'TeKuai'])}]",
        (),
    )


def travel_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"[queryInfo][Query TripResponse][startPlace: {rng.choice(STATIONS)}, endPlace: {rng.choice(STATIONS)}, departureTime: 2024-07-0{rng.randrange(3, 9)}]",
            (),
        )
    if roll < 0.75:
        return "INFO", f"[getTripAllDetailInfo][Get trip detail][tripId: {rng.choice(TRIPS)}]", ()
    if roll < 0.95:
        return "INFO", f"[getRouteByTripId][Get route by trip id][TripId: {rng.choice(TRIPS)}]", ()
    return (
        "WARN",
        f"[queryInfo][Query TripResponse][Trip {rng.choice(TRIPS)} has no seats left]",
        (),
    )


def simple_line(name: str, nouns: list[str]) -> Callable[[random.Random], Line]:
    def line(rng: random.Random) -> Line:
        roll = rng.random()
        noun = rng.choice(nouns)
        if roll < 0.7:
            return "INFO", f"[{noun}][{name}][id: {uuid(rng)}]", ()
        if roll < 0.95:
            return "INFO", f"[{noun}][Success][count: {rng.randrange(1, 40)}]", ()
        return "DEBUG", f"[{noun}][cache refresh][entries: {rng.randrange(100, 900)}]", ()

    return line


def read_timeout(rng: random.Random) -> Line:
    route = rng.choice(ROUTES)
    return (
        "ERROR",
        f'[queryForTravel][Get route error][I/O error on GET request for "http://ts-route-service:11178/api/v1/routeservice/routes/{route}": Read timed out]',
        tuple(
            java_trace(
                f'org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://ts-route-service:11178/api/v1/routeservice/routes/{route}": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out',
                [
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
                    "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:670)",
                    "fdse.microservice.service.BasicServiceImpl.getRouteByRouteId(BasicServiceImpl.java:274)",
                    "fdse.microservice.service.BasicServiceImpl.queryForTravel(BasicServiceImpl.java:71)",
                ],
                [
                    "java.net.SocketTimeoutException: Read timed out",
                    "java.base/java.net.SocketInputStream.socketRead0(Native Method)",
                ],
                more=61,
            )
        ),
    )


def travel_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[queryInfo][Query TripResponse error][tripId: {rng.choice(TRIPS)}, message: 500 : "{{"status":500,"error":"Internal Server Error","path":"/api/v1/basicservice/basic/travel"}}"]',
        tuple(
            java_trace(
                'org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 : [{"status":500,"error":"Internal Server Error","path":"/api/v1/basicservice/basic/travel"}]',
                [
                    "org.springframework.web.client.HttpServerErrorException.create(HttpServerErrorException.java:100)",
                    "org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:188)",
                    "travel.service.TravelServiceImpl.getTickets(TravelServiceImpl.java:389)",
                    "travel.service.TravelServiceImpl.query(TravelServiceImpl.java:201)",
                ],
            )
        ),
    )


def bundle() -> Bundle:
    rng = random.Random(187)
    minute = FAULT / 60
    route = spring(
        "ts-route-service",
        ("route.controller.RouteController", "route.service.RouteServiceImpl"),
        rng,
    )
    route.add(traffic(rng, route_line, START, 36, 1500))
    basic = spring(
        "ts-basic-service",
        (
            "fdse.microservice.service.BasicServiceImpl",
            "fdse.microservice.controller.BasicController",
        ),
        rng,
    )
    basic.add(traffic(rng, basic_line, START, 36, 1300))
    basic.add(loud(rng, START, minute + 0.02, 18, 214, read_timeout))
    travel = spring(
        "ts-travel-service",
        ("travel.service.TravelServiceImpl", "travel.controller.TravelController"),
        rng,
    )
    travel.add(traffic(rng, travel_line, START, 36, 1400))
    travel.add(loud(rng, START, minute + 0.3, 17.8, 356, travel_failure))
    travel.add(
        loud(
            rng,
            START,
            minute + 0.3,
            17.5,
            88,
            fixed(
                "WARN",
                lambda r: (
                    f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m{r.randrange(1, 40)}s{r.randrange(1000)}ms)."
                ),
            ),
        )
    )
    travel2 = spring("ts-travel2-service", ("travel2.service.TravelServiceImpl",), rng)
    travel2.add(traffic(rng, travel_line, START, 36, 700))
    travel2.add(
        loud(
            rng,
            START,
            minute + 0.35,
            17.5,
            97,
            fixed(
                "ERROR",
                lambda r: (
                    f'[queryInfo][Query TripResponse error][tripId: {r.choice(["Z1234", "K1235", "T1235"])}, message: I/O error on POST request for "http://ts-ticketinfo-service:15681/api/v1/ticketinfoservice/ticketinfo": Read timed out]'
                ),
            ),
        )
    )
    ticketinfo = spring("ts-ticketinfo-service", ("ticketinfo.service.TicketInfoServiceImpl",), rng)
    ticketinfo.add(
        traffic(
            rng,
            simple_line("Query For Travel", ["queryForTravel", "queryForStationId"]),
            START,
            36,
            900,
        )
    )
    station = spring("ts-station-service", ("fdse.microservice.service.StationServiceImpl",), rng)
    station.add(
        traffic(
            rng,
            simple_line("Query stations", ["queryForIdBatch", "queryForId", "queryById"]),
            START,
            36,
            1100,
        )
    )
    order = spring(
        "ts-order-service",
        ("order.service.OrderServiceImpl", "order.controller.OrderController"),
        rng,
    )
    order.add(
        traffic(
            rng,
            simple_line(
                "Get order", ["getTicketListByDateAndTripId", "queryOrders", "calculateSoldTicket"]
            ),
            START,
            36,
            1000,
        )
    )
    order.add(
        loud(
            rng,
            START,
            minute + 2,
            15,
            41,
            fixed(
                "WARN",
                lambda r: (
                    f"[queryOrdersForRefresh][slow query][took: {r.randrange(1100, 2600)}ms, orders: {r.randrange(20, 90)}]"
                ),
            ),
        )
    )
    gateway = LogFile("logs/ts-ui-dashboard-error.log", NginxError(rng))
    gateway.add(
        traffic(
            rng,
            lambda r: (
                "WARN",
                f'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{r.randrange(10)}/{r.randrange(10, 99)}/{r.randrange(10**10)} while reading upstream, client: 10.0.{r.randrange(256)}.{r.randrange(255)}, server: localhost, request: "GET /api/v1/stationservice/stations HTTP/1.1", upstream: "http://10.96.118.4:12345/api/v1/stationservice/stations"',
                (),
            ),
            START,
            36,
            70,
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            minute + 0.4,
            17.5,
            402,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.{r.randrange(256)}.{r.randrange(255)}, server: localhost, request: "POST /api/v1/{r.choice(["travelservice/trips/left", "travel2service/trips/left", "travelservice/trips/left"])} HTTP/1.1", upstream: "http://10.96.{r.randrange(256)}.{r.randrange(255)}:12346/api/v1/travelservice/trips/left", host: "ts.example.cn"'
                ),
            ),
        )
    )
    services = {
        "ts-ui-dashboard": usual_series(rng, 0.061, 22, (0.0213, 0.1421), 41.2),
        "ts-travel-service": usual_series(rng, 0.142, 612, (0.0418, 0.1533), 18.3),
        "ts-travel2-service": usual_series(rng, 0.071, 588, (0.0394, 0.1402), 6.1),
        "ts-basic-service": usual_series(rng, 0.098, 571, (0.0122, 0.0421), 33.7),
        "ts-ticketinfo-service": usual_series(rng, 0.064, 548, (0.0151, 0.0518), 24.4),
        "ts-route-service": usual_series(rng, 0.052, 534, (0.0038, 0.0117), 61.9),
        "ts-station-service": usual_series(rng, 0.083, 556, (0.0029, 0.0094), 88.1),
        "ts-order-service": usual_series(rng, 0.091, 640, (0.0087, 0.0312), 12.6),
        "ts-seat-service": usual_series(rng, 0.047, 529, (0.0106, 0.0377), 9.8),
    }
    services["ts-route-service"]["latency-50"] = shift(rng, 0.0038, 0.5127, FAULT, 0.04)
    services["ts-route-service"]["latency-90"] = shift(rng, 0.0117, 0.5583, FAULT, 0.05)
    services["ts-route-service"]["workload"] = shift(rng, 61.9, 44.8, FAULT + 2, 0.07, ramp=5)
    services["ts-basic-service"]["latency-50"] = shift(rng, 0.0122, 0.5411, FAULT + 1, 0.05)
    services["ts-basic-service"]["latency-90"] = shift(rng, 0.0421, 1.0186, FAULT + 1, 0.08)
    services["ts-ticketinfo-service"]["latency-90"] = shift(rng, 0.0518, 1.0734, FAULT + 1, 0.08)
    services["ts-travel-service"]["latency-50"] = shift(
        rng, 0.0418, 1.5871, FAULT + 2, 0.07, ramp=3
    )
    services["ts-travel-service"]["latency-90"] = shift(
        rng, 0.1533, 3.0114, FAULT + 2, 0.09, ramp=3
    )
    services["ts-travel-service"]["cpu"] = shift(rng, 0.142, 0.311, FAULT + 3, 0.08, ramp=20)
    services["ts-travel2-service"]["latency-90"] = shift(
        rng, 0.1402, 2.8807, FAULT + 2, 0.09, ramp=3
    )
    services["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.1421, 3.0027, FAULT + 3, 0.06, ramp=3)
    services["ts-order-service"]["latency-90"] = shift(
        rng, 0.0312, 0.0664, FAULT + 90, 0.2, ramp=60
    )
    return Bundle(
        question="Train ticket search (trips/left) started failing with 504s at about 10:27 Beijing time. Which service is at fault?",
        category="network",
        component="ts-route-service",
        statement="About 500 ms of network delay on ts-route-service from 02:27:41 UTC pushes its calls past ts-basic-service's read timeout while its own CPU, memory and log stay normal, so ts-basic-service, ts-travel-service and the gateway fail trip searches in cascade.",
        files={
            "data.csv": wide_csv(START, STEP, POINTS, services),
            "logs/ts-route-service.log": route.render(),
            "logs/ts-basic-service.log": basic.render(),
            "logs/ts-travel-service.log": travel.render(),
            "logs/ts-travel2-service.log": travel2.render(),
            "logs/ts-ticketinfo-service.log": ticketinfo.render(),
            "logs/ts-station-service.log": station.render(),
            "logs/ts-order-service.log": order.render(),
            "logs/ts-ui-dashboard-error.log": gateway.render(),
        },
        proofs=[Proof("data.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2))],
        decoys=[
            "Query TripResponse error",
            "upstream timed out (110: Connection timed out)",
            "Thread starvation or clock leap detected",
        ],
    )
