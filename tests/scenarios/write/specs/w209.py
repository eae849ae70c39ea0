# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one CSV per service): a network delay (tc netem, 1500 ms)
on ts-basic-service from 03:52:40 UTC. Its p50 and p90 jump by about 1.5 s while its CPU and
its own log stay ordinary (it logs each query as usual, only fewer). Loud, one and two hops
away: ts-travel-service's and ts-travel2-service's `Read timed out` calling
/api/v1/basicservice/basic/travels, ts-preserve-service's failed bookings, and the load
generator's failures on /travelservice/trips/left. Decoys: ts-travel-service (the loudest
errors and a p90 knee), ts-station-service whose workload drops because basic calls it less,
and ts-seat-service's stale `Connection refused` to ts-config-service at 03:41."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 11, 20, 3, 35, tzinfo=UTC)
MINUTES = 36
POINTS = MINUTES * 60
FAULT = 17 * 60 + 40
STATIONS = [
    "shanghai",
    "beijing",
    "nanjing",
    "suzhou",
    "taiyuan",
    "shijiazhuang",
    "xuzhou",
    "jinan",
    "hangzhou",
]


def trip(rng: random.Random) -> str:
    return f"{rng.choice('GDZTK')}{rng.randrange(1000, 9999)}"


def basic_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[queryForTravel][Query for travel][Travel: TripId: {trip(rng)}, StartPlace: {rng.choice(STATIONS)}, EndPlace: {rng.choice(STATIONS)}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[queryForTravels][Query for travels][Travels size: {rng.randrange(1, 12)}]",
            (),
        )
    return (
        "INFO",
        f"[queryForStationId][Query for station id][stationName: {rng.choice(STATIONS)}]",
        (),
    )


def travel_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"[queryByBatch][Query trips][startPlace: {rng.choice(STATIONS)}, endPlace: {rng.choice(STATIONS)}, departureTime: 2024-11-2{rng.randrange(1, 9)}]",
            (),
        )
    if roll < 0.9:
        return "INFO", f"[getTripAllDetailInfo][Get trip detail][TripId: {trip(rng)}]", ()
    return (
        "WARN",
        f"[queryByBatch][Query trips][No trips for route: {rng.choice(STATIONS)} -> {rng.choice(STATIONS)}]",
        (),
    )


def travel_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-basic-service:15680/api/v1/basicservice/basic/travels": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out] with root cause',
        tuple(
            java_trace(
                "java.net.SocketTimeoutException: Read timed out",
                [
                    "java.base/java.net.SocketInputStream.socketRead0(Native Method)",
                    "java.base/java.net.SocketInputStream.read(SocketInputStream.java:168)",
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:739)",
                    "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:602)",
                    "travel.service.TravelServiceImpl.getTickets(TravelServiceImpl.java:297)",
                    "travel.service.TravelServiceImpl.queryByBatch(TravelServiceImpl.java:252)",
                ],
                more=74,
            )
        ),
    )


def travel2_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[getTickets][Query tickets failed][TripId: {trip(rng)}, message: I/O error on POST request for "http://ts-basic-service:15680/api/v1/basicservice/basic/travel": Read timed out]',
        (),
    )


def preserve_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[preserve][Step 1 - Check Contacts Exists][Contacts Id: {rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}]",
        (),
    )


def preserve_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[preserve][Step 4 - Do Order][Ticket info error][TripId: {trip(rng)}, message: I/O error on POST request for "http://ts-basic-service:15680/api/v1/basicservice/basic/travel": Read timed out]',
        (),
    )


def station_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[queryForIdBatch][Query stations for id batch][StationNameNumbers: {rng.randrange(2, 9)}]",
        (),
    )


def seat_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[distributeSeat][Seat distributed][TrainNumber: {trip(rng)}, coach: {rng.randrange(1, 11)}, seat: {rng.randrange(1, 90)}]",
        (),
    )


def seat_stale(rng: random.Random) -> Line:
    return (
        "ERROR",
        '[getLeftTicketOfInterval][Query config failed][message: I/O error on GET request for "http://ts-config-service:15679/api/v1/configservice/configs/DirectTicketAllocationProportion": Connection refused (Connection refused)]',
        (),
    )


def spring(rng: random.Random, *loggers: str) -> SpringBoot:
    return SpringBoot(loggers, rng=rng)


def bundle() -> Bundle:
    rng = random.Random(20209)
    fault = FAULT / 60
    after = MINUTES - fault
    basic = LogFile(
        "logs/ts-basic-service.log",
        spring(rng, "basic.service.BasicServiceImpl", "basic.controller.BasicController"),
    )
    basic.add(traffic(rng, basic_line, START, fault, 2300))
    basic.add(traffic(rng, basic_line, START + timedelta(minutes=fault), after, 900))
    travel = LogFile(
        "logs/ts-travel-service.log",
        spring(rng, "travel.service.TravelServiceImpl", "travel.controller.TravelController"),
    )
    travel.add(traffic(rng, travel_line, START, MINUTES, 2500))
    travel.add(loud(rng, START, fault + 0.55, after - 0.6, 260, travel_timeout))
    travel2 = LogFile(
        "logs/ts-travel2-service.log", spring(rng, "travel2.service.TravelServiceImpl")
    )
    travel2.add(traffic(rng, travel_line, START, MINUTES, 1100))
    travel2.add(loud(rng, START, fault + 0.6, after - 0.7, 190, travel2_timeout))
    preserve = LogFile(
        "logs/ts-preserve-service.log", spring(rng, "preserve.service.PreserveServiceImpl")
    )
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 600))
    preserve.add(loud(rng, START, fault + 0.7, after - 0.8, 140, preserve_error))
    station = LogFile(
        "logs/ts-station-service.log", spring(rng, "fdse.microservice.service.StationServiceImpl")
    )
    station.add(traffic(rng, station_line, START, fault, 1500))
    station.add(traffic(rng, station_line, START + timedelta(minutes=fault), after, 420))
    seat = LogFile("logs/ts-seat-service.log", spring(rng, "seat.service.SeatServiceImpl"))
    seat.add(traffic(rng, seat_line, START, MINUTES, 800))
    seat.add(loud(rng, START, 6.1, 0.9, 45, seat_stale))
    seat.add(
        [
            at(
                START,
                7.2,
                "INFO",
                "[getLeftTicketOfInterval][Query config][DirectTicketAllocationProportion: 0.5]",
            )
        ]
    )
    levels = {
        "ts-ui-dashboard": (0.151, 61.2, (0.0140, 0.0611), 39.8),
        "ts-travel-service": (0.241, 702.8, (0.0322, 0.0951), 14.2),
        "ts-travel2-service": (0.112, 654.1, (0.0301, 0.0873), 6.1),
        "ts-basic-service": (0.102, 611.4, (0.0117, 0.0352), 21.7),
        "ts-station-service": (0.121, 610.9, (0.0063, 0.0174), 39.1),
        "ts-train-service": (0.064, 583.2, (0.0058, 0.0162), 17.9),
        "ts-route-service": (0.088, 598.5, (0.0085, 0.0239), 18.4),
        "ts-price-service": (0.059, 571.8, (0.0061, 0.0166), 17.6),
        "ts-preserve-service": (0.279, 718.4, (0.1502, 0.3988), 5.4),
        "ts-seat-service": (0.133, 640.2, (0.0201, 0.0583), 9.2),
        "ts-config-service": (0.047, 560.7, (0.0049, 0.0131), 9.1),
        "ts-order-service": (0.226, 729.6, (0.0169, 0.0581), 16.0),
    }
    series = {name: usual_series(rng, *value) for name, value in levels.items()}
    b = series["ts-basic-service"]
    b["latency-50"] = shift(rng, 0.0117, 1.5231, FAULT, 0.03)
    b["latency-90"] = shift(rng, 0.0352, 1.5874, FAULT, 0.04)
    b["workload"] = shift(rng, 21.7, 8.3, FAULT + 5, 0.1, ramp=20)
    for name, p90, _workload in (
        ("ts-travel-service", 0.0951, 14.2),
        ("ts-travel2-service", 0.0873, 6.1),
    ):
        series[name]["latency-90"] = shift(rng, p90, 5.0102, FAULT + 4, 0.05, ramp=25)
        series[name]["latency-50"] = shift(rng, p90 / 3, 3.1944, FAULT + 4, 0.1, ramp=25)
    series["ts-preserve-service"]["latency-90"] = shift(
        rng, 0.3988, 6.2210, FAULT + 8, 0.06, ramp=25
    )
    series["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.0611, 5.8305, FAULT + 8, 0.06, ramp=25)
    series["ts-station-service"]["workload"] = shift(rng, 39.1, 16.2, FAULT + 5, 0.1, ramp=20)
    series["ts-station-service"]["cpu"] = shift(rng, 0.121, 0.061, FAULT + 5, 0.08, ramp=20)
    config_cpu = series["ts-config-service"]["cpu"]
    series["ts-config-service"]["cpu"] = lambda i: config_cpu(i) * (0.04 if 362 <= i < 420 else 1.0)
    files = {
        f"metrics/{name}.csv": unix_rows(START, 1, POINTS, columns, 4)
        for name, columns in series.items()
    }
    for log in (travel, travel2, preserve, basic, station, seat):
        files[log.name] = log.render()
    return Bundle(
        question="Train-Ticket searches and bookings have been timing out since roughly 03:53 UTC during the load test. Which service is the root cause?",
        category="network",
        component="ts-basic-service",
        statement="From 03:52:40 UTC a 1.5 s network delay on ts-basic-service raises its p50 and p90 by about 1.5 s while its CPU and log stay ordinary; the travel and booking services, which call /api/v1/basicservice/basic/travel(s) for every trip, hit `Read timed out` and trip searches and bookings fail from about 03:53.",
        files=files,
        proofs=[
            Proof(
                "metrics/ts-basic-service.csv", stamp(START, 1, FAULT), stamp(START, 1, FAULT + 2)
            )
        ],
        decoys=[
            "java.net.SocketTimeoutException: Read timed out",
            "ts-config-service:15679",
            "Query stations for id batch",
        ],
    )
