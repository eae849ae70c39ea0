# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one wide CSV): network delay (tc netem, 300 ms +- 60 ms)
injected on ts-ticketinfo-service's pod from 13:37:00 UTC. ts-ticketinfo-service's own log stays
ordinary (its handlers are fast; the delay is on the wire); its latency columns jump first.
ts-travel-service and ts-travel2-service, which call it once per trip in a search, log read
timeouts and "query ticket info failed" (the loudest errors), ts-preserve-service logs slow
bookings and ts-ui-dashboard answers 504. Decoys: ts-travel-service's own latency (a symptom),
a ts-basic-service station-not-found warning, and a ts-order-service connection reset before
the fault."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2026, 2, 17, 13, 22, tzinfo=UTC)
MINUTES = 30
STEP = 5
FAULT = 15 * 60 // STEP
TRIPS = ["G1234", "G1235", "D1345", "Z1234", "K1235", "T1235", "G1236"]
STATIONS = ["shanghai", "beijing", "nanjing", "suzhou", "wuxi", "taiyuan", "shijiazhuang"]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def travel_line(rng: random.Random) -> Line:
    a, b = rng.sample(STATIONS, 2)
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[queryInfo][Query TripResponse][startPlace: {a}, endPlace: {b}, departureTime: 2026-02-18]",
            (),
        )
    if roll < 0.8:
        return "INFO", f"[getTripAllDetailInfo][TripId: {rng.choice(TRIPS)}]", ()
    return (
        "INFO",
        f"[getRouteByTripId][Get Route By Trip ID][TripId: {rng.choice(TRIPS)}, routeId: {uid(rng)}]",
        (),
    )


def ticketinfo_line(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "INFO",
            f"[queryForTravel][Query for travel][Travel: {rng.choice(TRIPS)}, startPlace: {rng.choice(STATIONS)}]",
            (),
        )
    return (
        "INFO",
        f"[queryForStationId][Query for station id][stationName: {rng.choice(STATIONS)}]",
        (),
    )


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"[preserve][Verify login][Success] accountId: {uid(rng)}", ()
    if roll < 0.8:
        return "INFO", f"[preserve][Step 2][Check Security Complete] trip: {rng.choice(TRIPS)}", ()
    return "INFO", f"[preserve][Step 4][Do Order Complete] orderId: {uid(rng)}", ()


def basic_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[queryForTravel][Query for travel][TripId: {rng.choice(TRIPS)}, stationsOk: true]",
        (),
    )


def timeout(service: str):
    def message(r: random.Random) -> str:
        return f'[queryForTravel][query ticket info failed][TripId: {r.choice(TRIPS)}] org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-ticketinfo-service:15681/api/v1/ticketinfoservice/ticketinfo": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out'

    return fixed("ERROR", message)


def bundle() -> Bundle:
    rng = random.Random(45757)
    travel = LogFile(
        "logs/ts-travel-service.log",
        SpringBoot(
            ("travel.service.TravelServiceImpl", "travel.controller.TravelController"), rng=rng
        ),
    )
    travel.add(traffic(rng, travel_line, START, MINUTES, 2600))
    travel.add(loud(rng, START, 15.3, MINUTES - 15.4, 380, timeout("ts-travel-service")))
    travel.add(
        loud(
            rng,
            START,
            15.4,
            MINUTES - 15.5,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f"[queryInfo][Query TripResponse took {r.randrange(3100, 9800)} ms][startPlace: {r.choice(STATIONS)}, results: {r.randrange(1, 7)}]"
                ),
            ),
        )
    )
    travel2 = LogFile(
        "logs/ts-travel2-service.log", SpringBoot(("travel2.service.TravelServiceImpl",), rng=rng)
    )
    travel2.add(traffic(rng, travel_line, START, MINUTES, 1400))
    travel2.add(loud(rng, START, 15.35, MINUTES - 15.4, 190, timeout("ts-travel2-service")))
    ticketinfo = LogFile(
        "logs/ts-ticketinfo-service.log",
        SpringBoot(("ticketinfo.service.TicketInfoServiceImpl",), rng=rng),
    )
    ticketinfo.add(traffic(rng, ticketinfo_line, START, MINUTES, 1900))
    preserve = LogFile(
        "logs/ts-preserve-service.log",
        SpringBoot(("preserve.service.PreserveServiceImpl",), rng=rng),
    )
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 900))
    preserve.add(
        [
            at(
                START,
                6.2,
                "WARN",
                '[preserve][Step 4][Do Order] retrying after org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-order-service:12031/api/v1/orderservice/order": Connection reset; attempt 1 of 3',
            ),
        ]
    )
    preserve.add(
        loud(
            rng,
            START,
            15.5,
            MINUTES - 15.6,
            70,
            fixed(
                "ERROR",
                lambda r: (
                    f"[preserve][Step 3][Get Trip Info failed] tripId: {r.choice(TRIPS)}, message: query ticket info failed, Read timed out"
                ),
            ),
        )
    )
    basic = LogFile(
        "logs/ts-basic-service.log",
        SpringBoot(("fdse.microservice.service.BasicServiceImpl",), rng=rng),
    )
    basic.add(traffic(rng, basic_line, START, MINUTES, 1200))
    basic.add(
        [
            at(
                START,
                11.1,
                "WARN",
                "[queryForStationId][Station not found][stationName: xuzhou-east]",
            )
        ]
    )
    levels = {
        "ts-ui-dashboard": (0.31, 212.0, (0.0412, 0.118), 41.0),
        "ts-travel-service": (0.22, 611.0, (0.0611, 0.142), 30.5),
        "ts-travel2-service": (0.14, 588.0, (0.0583, 0.131), 14.1),
        "ts-ticketinfo-service": (0.11, 497.0, (0.0093, 0.0221), 44.7),
        "ts-basic-service": (0.17, 523.0, (0.0071, 0.0189), 52.3),
        "ts-station-service": (0.09, 455.0, (0.0031, 0.0083), 88.9),
        "ts-route-service": (0.08, 470.0, (0.0044, 0.0101), 31.0),
        "ts-preserve-service": (0.12, 640.0, (0.181, 0.412), 3.9),
        "ts-order-service": (0.19, 702.0, (0.0121, 0.0349), 12.8),
        "ts-seat-service": (0.1, 512.0, (0.0152, 0.0417), 9.6),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    t = services["ts-ticketinfo-service"]
    t["latency-50"] = shift(rng, 0.0093, 0.6214, FAULT, 0.1)
    t["latency-90"] = shift(rng, 0.0221, 0.9437, FAULT, 0.1)
    t["workload"] = shift(rng, 44.7, 31.2, FAULT + 1, 0.08)
    for name, p50, p90 in (
        ("ts-travel-service", 2.41, 5.02),
        ("ts-travel2-service", 2.18, 5.01),
        ("ts-ui-dashboard", 2.63, 5.11),
    ):
        services[name]["latency-50"] = shift(rng, levels[name][2][0], p50, FAULT + 2, 0.12)
        services[name]["latency-90"] = shift(rng, levels[name][2][1], p90, FAULT + 2, 0.03)
    services["ts-preserve-service"]["latency-90"] = shift(rng, 0.412, 5.33, FAULT + 3, 0.05)
    points = MINUTES * 60 // STEP
    files = {
        "metrics/data.csv": wide_csv(START, STEP, points, services),
        "logs/ts-travel-service.log": travel.render(),
        "logs/ts-travel2-service.log": travel2.render(),
        "logs/ts-ticketinfo-service.log": ticketinfo.render(),
        "logs/ts-preserve-service.log": preserve.render(),
        "logs/ts-basic-service.log": basic.render(),
    }
    return Bundle(
        question="Trip search and booking on Train-Ticket have been timing out since about 13:37 UTC. Which service is the root cause?",
        category="network",
        component="ts-ticketinfo-service",
        statement="From 13:37 UTC network delay on ts-ticketinfo-service's pod raises its p50 latency from ~9 ms to ~620 ms while its own log stays normal; ts-travel-service and ts-travel2-service read-time out on their ticketinfo calls, so searches and bookings fail.",
        files=files,
        proofs=[Proof("metrics/data.csv", stamp(START, STEP, FAULT))],
        decoys=[
            "Query TripResponse took",
            "Station not found",
            "Connection reset; attempt 1 of 3",
        ],
    )
