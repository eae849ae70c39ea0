# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""stress-ng --vm inside ts-seat-service's container takes most of its memory; the JVM beside
it starts paging and its young-generation pauses grow to seconds. Its own log shows only those
pauses and a few slow responses, while ts-travel-service and ts-preserve-service time out
loudly on seat queries, ts-order-service logs slow queries and the gateway answers 504."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxError, Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 8, 19, 6, 30, tzinfo=UTC)
BEIJING = timezone(timedelta(hours=8))
STEP = 1
POINTS = 34 * 60
FAULT = 13 * 60 + 22
TRIPS = ["G1234", "G1235", "G1236", "G1237", "D1345", "Z1234", "Z1235", "T1235", "K1235"]
STATIONS = ["shanghai", "nanjing", "suzhou", "wuxi", "beijing", "taiyuan", "shijiazhuang"]


@dataclass
class SpringWithGcLog:
    """A container's stdout: Spring Boot lines, and `-Xlog:gc` lines for records logged by `gc`."""

    spring: SpringBoot
    uptime_start: float = 86211.4
    start: datetime = START
    counter: list[int] = field(default_factory=lambda: [4117])

    def render(self, record: Record) -> list[str]:
        if record.logger != "gc":
            return self.spring.render(record)
        uptime = self.uptime_start + (record.time - self.start).total_seconds()
        self.counter[0] += 1
        return [
            f"[{record.time.astimezone(BEIJING).isoformat(timespec='milliseconds')}][{uptime:.3f}s][info][gc] GC({self.counter[0]}) {record.message}"
        ]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def seat_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[getLeftTicketOfInterval][Get Left Ticket of Interval][TravelId: {rng.choice(TRIPS)}, seatType: {rng.choice([2, 3])}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[distributeSeat][Create seat][TravelId: {rng.choice(TRIPS)}, seatNo: {rng.randrange(1, 1200)}]",
            (),
        )
    return "INFO", f"[getLeftTicketOfInterval][Left ticket num][num: {rng.randrange(0, 1000)}]", ()


def young_pause(before: int, after: int, millis: float) -> Callable[[random.Random], Line]:
    def make(rng: random.Random) -> Line:
        used = before + rng.randrange(-6, 6)
        return (
            "INFO",
            f"Pause Young (Normal) (G1 Evacuation Pause) {used}M->{after + rng.randrange(-4, 4)}M({before + 96}M) {millis * rng.uniform(0.7, 1.3):.3f}ms",
            (),
        )

    return make


def simple_line(name: str, nouns: list[str]) -> Callable[[random.Random], Line]:
    def line(rng: random.Random) -> Line:
        noun = rng.choice(nouns)
        if rng.random() < 0.75:
            return "INFO", f"[{noun}][{name}][id: {uuid(rng)}]", ()
        return "INFO", f"[{noun}][Success][count: {rng.randrange(1, 40)}]", ()

    return line


def travel_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[getRestTicketNumber][Get rest ticket error][TripId: {rng.choice(TRIPS)}, message: I/O error on POST request for "http://ts-seat-service:18898/api/v1/seatservice/seats/left_tickets": Read timed out]',
        tuple(
            java_trace(
                'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-seat-service:18898/api/v1/seatservice/seats/left_tickets": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out',
                [
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
                    "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:670)",
                    "travel.service.TravelServiceImpl.getRestTicketNumber(TravelServiceImpl.java:512)",
                    "travel.service.TravelServiceImpl.getTickets(TravelServiceImpl.java:401)",
                ],
                [
                    "java.net.SocketTimeoutException: Read timed out",
                    "java.base/java.net.SocketInputStream.socketRead0(Native Method)",
                ],
                more=58,
            )
        ),
    )


def preserve_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[preserve][Step 4][Do Order][Create Order Fail][OrderId: {uuid(rng)}, Reason: 500 : "{{"status":500,"error":"Internal Server Error","message":"Hystrix circuit short-circuited and is OPEN","path":"/api/v1/orderservice/order"}}"]',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(198)
    minute = FAULT / 60

    def spring(service: str, loggers: tuple[str, ...]) -> LogFile:
        return LogFile(f"logs/{service}.log", SpringBoot(loggers, pid=1, rng=rng, zone=BEIJING))

    seat = LogFile(
        "logs/ts-seat-service.log",
        SpringWithGcLog(
            SpringBoot(
                ("seat.service.SeatServiceImpl", "seat.controller.SeatController"),
                pid=1,
                rng=rng,
                zone=BEIJING,
            )
        ),
    )
    seat.add(traffic(rng, seat_line, START, 34, 1500))
    normal_gc = traffic(rng, young_pause(412, 96, 6.2), START, minute, 68, logger="gc")
    slow_gc = traffic(
        rng,
        young_pause(412, 97, 1460.0),
        START + timedelta(minutes=minute + 1.2),
        34 - minute - 1.2,
        96,
        logger="gc",
    )
    seat.add(normal_gc + slow_gc)
    seat.add(
        [
            at(
                START,
                minute + 0.9,
                "INFO",
                "Pause Young (Normal) (G1 Evacuation Pause) 414M->98M(508M) 611.284ms",
                logger="gc",
            )
        ]
    )
    seat.add(
        loud(
            rng,
            START,
            minute + 1.5,
            32,
            41,
            fixed(
                "WARN",
                lambda r: (
                    f"[getLeftTicketOfInterval][Slow response][TravelId: {r.choice(TRIPS)}, took: {r.randrange(2100, 6400)}ms]"
                ),
            ),
        )
    )
    travel = spring(
        "ts-travel-service",
        ("travel.service.TravelServiceImpl", "travel.controller.TravelController"),
    )
    travel.add(
        traffic(
            rng,
            simple_line(
                "Query TripResponse", ["queryInfo", "getTripAllDetailInfo", "getRouteByTripId"]
            ),
            START,
            34,
            1400,
        )
    )
    travel.add(loud(rng, START, minute + 2.4, 19.5, 268, travel_timeout))
    preserve = spring("ts-preserve-service", ("preserve.service.PreserveServiceImpl",))
    preserve.add(
        traffic(
            rng,
            simple_line("Preserve", ["preserve", "checkSecurity", "getContactsById"]),
            START,
            34,
            800,
        )
    )
    preserve.add(loud(rng, START, minute + 3.1, 18.5, 172, preserve_failure))
    preserve.add(
        loud(
            rng,
            START,
            minute + 2.6,
            19,
            88,
            fixed(
                "ERROR",
                lambda r: (
                    f'[preserve][Step 3][Get Seat][Get seat error][TripId: {r.choice(TRIPS)}, message: I/O error on POST request for "http://ts-seat-service:18898/api/v1/seatservice/seats": Read timed out]'
                ),
            ),
        )
    )
    order = spring(
        "ts-order-service", ("order.service.OrderServiceImpl", "order.controller.OrderController")
    )
    order.add(
        traffic(
            rng,
            simple_line(
                "Get order", ["getTicketListByDateAndTripId", "queryOrders", "calculateSoldTicket"]
            ),
            START,
            34,
            1100,
        )
    )
    order.add(
        loud(
            rng,
            START,
            minute + 2,
            19,
            63,
            fixed(
                "WARN",
                lambda r: (
                    f"[calculateSoldTicket][slow query][collection: orders, took: {r.randrange(900, 2400)}ms, docsExamined: {r.randrange(40000, 90000)}]"
                ),
            ),
        )
    )
    order.add(
        loud(
            rng,
            START,
            minute + 4,
            17,
            34,
            fixed(
                "ERROR",
                lambda r: (
                    "[create][Hystrix][HystrixRuntimeException: create timed-out and fallback failed.]"
                ),
            ),
        )
    )
    config = spring("ts-config-service", ("config.service.ConfigServiceImpl",))
    config.add(traffic(rng, simple_line("Query config", ["query", "retrieve"]), START, 34, 700))
    basic = spring("ts-basic-service", ("fdse.microservice.service.BasicServiceImpl",))
    basic.add(
        traffic(
            rng,
            simple_line("Query for travel", ["queryForTravel", "queryForStationId"]),
            START,
            34,
            1300,
        )
    )
    station = spring("ts-station-service", ("fdse.microservice.service.StationServiceImpl",))
    station.add(
        traffic(
            rng, simple_line("Query stations", ["queryForIdBatch", "queryForId"]), START, 34, 1000
        )
    )
    gateway = LogFile("logs/ts-ui-dashboard-error.log", NginxError(rng))
    gateway.add(
        loud(
            rng,
            START,
            2,
            30,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{r.randrange(10)}/{r.randrange(10, 99)}/{r.randrange(10**10)} while reading upstream, client: 10.0.{r.randrange(256)}.{r.randrange(255)}, server: localhost, request: "GET /api/v1/stationservice/stations HTTP/1.1"'
                ),
            ),
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            minute + 2.6,
            19,
            356,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.{r.randrange(256)}.{r.randrange(255)}, server: localhost, request: "POST /api/v1/{r.choice(["travelservice/trips/left", "preserveservice/preserve", "travelservice/trips/left"])} HTTP/1.1", host: "ts.example.cn"'
                ),
            ),
        )
    )
    services = {
        "ts-ui-dashboard": usual_series(rng, 0.058, 23, (0.0202, 0.1388), 39.8),
        "ts-travel-service": usual_series(rng, 0.139, 618, (0.0402, 0.1498), 18.7),
        "ts-preserve-service": usual_series(rng, 0.061, 575, (0.0712, 0.2104), 3.9),
        "ts-seat-service": usual_series(rng, 0.074, 641, (0.0092, 0.0311), 24.6),
        "ts-order-service": usual_series(rng, 0.093, 652, (0.0089, 0.0301), 13.1),
        "ts-config-service": usual_series(rng, 0.038, 512, (0.0031, 0.0089), 22.4),
        "ts-basic-service": usual_series(rng, 0.097, 569, (0.0119, 0.0417), 33.2),
        "ts-station-service": usual_series(rng, 0.081, 553, (0.0028, 0.0091), 86.9),
        "ts-route-service": usual_series(rng, 0.051, 536, (0.0037, 0.0114), 60.4),
        "ts-user-service": usual_series(rng, 0.029, 498, (0.0041, 0.0127), 4.1),
    }
    services["ts-seat-service"]["mem"] = shift(rng, 641, 1987, FAULT, 0.006, ramp=40)
    services["ts-seat-service"]["cpu"] = shift(rng, 0.074, 0.338, FAULT, 0.09, ramp=10)
    services["ts-seat-service"]["latency-50"] = shift(
        rng, 0.0092, 0.8214, FAULT + 70, 0.15, ramp=20
    )
    services["ts-seat-service"]["latency-90"] = shift(rng, 0.0311, 3.1277, FAULT + 70, 0.2, ramp=20)
    services["ts-travel-service"]["latency-90"] = shift(
        rng, 0.1498, 3.0421, FAULT + 140, 0.08, ramp=10
    )
    services["ts-travel-service"]["cpu"] = shift(rng, 0.139, 0.291, FAULT + 150, 0.08, ramp=30)
    services["ts-preserve-service"]["latency-90"] = shift(
        rng, 0.2104, 5.8812, FAULT + 150, 0.08, ramp=10
    )
    services["ts-order-service"]["latency-90"] = shift(
        rng, 0.0301, 0.9114, FAULT + 120, 0.15, ramp=30
    )
    services["ts-order-service"]["cpu"] = shift(rng, 0.093, 0.184, FAULT + 120, 0.1, ramp=30)
    services["ts-ui-dashboard"]["latency-90"] = shift(
        rng, 0.1388, 2.9934, FAULT + 155, 0.07, ramp=5
    )
    return Bundle(
        question="From about 14:45 Beijing time ticket searches and bookings time out at the gateway. Which service is the root cause?",
        category="memory",
        component="ts-seat-service",
        statement="From 06:43:22 UTC a memory hog in ts-seat-service's container drives its memory from about 640 MiB to nearly 2 GiB, so its JVM's young-generation pauses grow from milliseconds to over a second and its seat queries slow down, and ts-travel-service, ts-preserve-service and the gateway time out waiting on it.",
        files={
            "metrics.csv": wide_csv(START, STEP, POINTS, services),
            "logs/ts-seat-service.log": seat.render(),
            "logs/ts-travel-service.log": travel.render(),
            "logs/ts-preserve-service.log": preserve.render(),
            "logs/ts-order-service.log": order.render(),
            "logs/ts-config-service.log": config.render(),
            "logs/ts-basic-service.log": basic.render(),
            "logs/ts-station-service.log": station.render(),
            "logs/ts-ui-dashboard-error.log": gateway.render(),
        },
        proofs=[
            Proof("metrics.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2)),
            Proof("logs/ts-seat-service.log", "414M->98M(508M) 611.284ms"),
        ],
        decoys=[
            "Create Order Fail",
            "[calculateSoldTicket][slow query]",
            "upstream timed out (110: Connection timed out)",
        ],
    )
