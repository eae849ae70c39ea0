# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Packets leaving ts-station-service are delayed by about 1.5 s; its own logs are normal while
the travel, ticketinfo and basic services and the UI gateway time out one level above it."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, service_metrics, shift
from records import NginxError, SpringBoot
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2025, 9, 16, 6, 0, tzinfo=UTC)
STEP = 15
FAULT_MINUTE = 27
STATIONS = [
    "Shang Hai",
    "Nan Jing",
    "Su Zhou",
    "Wu Xi",
    "Bei Jing",
    "Tai Yuan",
    "Shi Jia Zhuang",
    "Xu Zhou",
    "Ji Nan",
    "Hang Zhou",
    "Jia Xing Nan",
    "Zhen Jiang",
]
TRAINS = ["G1234", "G1235", "G1236", "G1237", "D1345", "Z1234", "Z1235", "T1235", "K1235"]


def station_line(rng: random.Random) -> Line:
    station = rng.choice(STATIONS)
    roll = rng.random()
    if roll < 0.55:
        return "INFO", f"[queryForStationId][Query for station id][StationName: {station}]", ()
    if roll < 0.85:
        return (
            "INFO",
            f"[queryForIdBatch][Query for id batch][StationNameNumbers: {rng.randrange(2, 12)}]",
            (),
        )
    if roll < 0.97:
        return (
            "INFO",
            f"[queryById][Query for station name][StationId: {station.lower().replace(' ', '')}]",
            (),
        )
    return (
        "WARN",
        f"[queryForStationId][Find station id error][station not found][StationName: {rng.choice(['Shang hai', 'nanjing', 'SuZhou'])}]",
        (),
    )


def basic_line(rng: random.Random) -> Line:
    start, end = rng.sample(STATIONS, 2)
    train = rng.choice(TRAINS)
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[queryForTravel][Query for travel][Train Type: {rng.choice(['GaoTieOne', 'GaoTieTwo', 'DongCheOne', 'ZhiDa', 'TeKuai', 'KuaiSu'])}][Route Id: {rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[queryForTravels][Query for travels][Travel Number: {rng.randrange(1, 9)}][Start: {start}][End: {end}]",
            (),
        )
    if roll < 0.95:
        return "INFO", f"[queryForStationId][Query for station id][StationName: {start}]", ()
    return (
        "WARN",
        f"[queryForTravel][Train type not found][TrainNumber: {train}][Train Type: GaoTieThree]",
        (),
    )


def ticketinfo_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return "INFO", f"[queryForTravel][Query for travel][Trip id: {rng.choice(TRAINS)}]", ()
    return "INFO", f"[queryForTravels][Query for travels][Size: {rng.randrange(1, 9)}]", ()


def travel_line(rng: random.Random) -> Line:
    start, end = rng.sample(STATIONS, 2)
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"[queryInfo][Query TripResponse][Start: {start}][End: {end}][Departure time: 2025-09-{rng.randrange(17, 30)}]",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"[getTripAllDetailInfo][Query trip detail][TripId: {rng.choice(TRAINS)}]",
            (),
        )
    if roll < 0.97:
        return "INFO", f"[getRouteByTripId][Get route by trip id][TripId: {rng.choice(TRAINS)}]", ()
    return (
        "WARN",
        f"[queryInfo][Query TripResponse failed][Start: {start}][End: {end}][reason: no left ticket]",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(140)
    shanghai = ZoneInfo("Asia/Shanghai")
    station = LogFile(
        "ts-station-service.log",
        SpringBoot(
            ("s.controller.StationController", "s.service.StationServiceImpl"),
            pid=1,
            rng=rng,
            zone=shanghai,
        ),
    )
    station.add(traffic(rng, station_line, START, FAULT_MINUTE, 1690))
    station.add(
        traffic(rng, station_line, START.replace(minute=FAULT_MINUTE), 60 - FAULT_MINUTE, 880)
    )
    basic = LogFile(
        "ts-basic-service.log",
        SpringBoot(
            ("b.controller.BasicController", "b.service.BasicServiceImpl"),
            pid=1,
            rng=rng,
            zone=shanghai,
        ),
    )
    basic.add(traffic(rng, basic_line, START, 60, 1510))
    basic.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 0.5,
            32,
            96,
            fixed(
                "WARN",
                lambda r: (
                    f"[queryForTravel][Query for travel took {r.randrange(3000, 6800)}ms][TrainNumber: {r.choice(TRAINS)}]"
                ),
            ),
        )
    )
    ticketinfo = LogFile(
        "ts-ticketinfo-service.log",
        SpringBoot(
            (
                "ticketinfo.controller.TicketInfoController",
                "ticketinfo.service.TicketInfoServiceImpl",
            ),
            pid=1,
            rng=rng,
            zone=shanghai,
        ),
    )
    ticketinfo.add(traffic(rng, ticketinfo_line, START, 60, 880))
    ticketinfo.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 0.8,
            32,
            161,
            fixed(
                "ERROR",
                lambda r: (
                    '[queryForTravel][Query for travel error][org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-basic-service:15680/api/v1/basicservice/basic/travel": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out]'
                ),
            ),
        )
    )
    travel = LogFile(
        "ts-travel-service.log",
        SpringBoot(
            ("travel.controller.TravelController", "travel.service.TravelServiceImpl"),
            pid=1,
            rng=rng,
            zone=shanghai,
        ),
    )
    travel.add(traffic(rng, travel_line, START, 60, 1240))
    travel.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 1.0,
            32,
            284,
            fixed(
                "ERROR",
                lambda r: (
                    '[getTickets][Get tickets failed][org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-ticketinfo-service:15681/api/v1/ticketinfoservice/ticketinfo": Read timed out]'
                ),
            ),
        )
    )
    travel.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 2.0,
            30,
            118,
            fixed(
                "WARN",
                lambda r: (
                    f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={r.randrange(40, 75)}s{r.randrange(100, 999)}ms)."
                ),
            ),
        )
    )
    gateway = LogFile("ts-ui-dashboard-error.log", NginxError(rng))
    gateway.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 1.1,
            32,
            330,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.244.0.{r.randrange(2, 250)}, server: localhost, request: "POST /api/v1/travelservice/trips/left HTTP/1.1", upstream: "http://10.96.157.22:12346/api/v1/travelservice/trips/left", host: "ts-ui-dashboard:8080"'
                ),
            ),
        )
    )
    gateway.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: (
                    f'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{r.randrange(10)}/{r.randrange(10, 99)}/00000{r.randrange(10000, 99999)} while reading upstream, client: 10.244.0.{r.randrange(2, 250)}, server: localhost, request: "GET /index.html HTTP/1.1"'
                ),
            ),
            START,
            60,
            61,
        )
    )
    points = 3600 // STEP
    fault = FAULT_MINUTE * 60 // STEP
    station_series = service_metrics(rng, 17, 402, (4, 18), 0.0, 96)
    station_series["latency_p50_ms"] = shift(rng, 4, 1508, fault, 0.03)
    station_series["latency_p99_ms"] = shift(rng, 18, 1540, fault, 0.03)
    station_series["requests_per_s"] = shift(rng, 96, 41, fault + 1, 0.06, ramp=2)
    station_series["cpu_usage_percent"] = shift(rng, 17, 8, fault + 1, 0.1, ramp=2)
    basic_series = service_metrics(rng, 14, 455, (24, 90), 0.0, 39)
    basic_series["latency_p50_ms"] = shift(rng, 24, 4560, fault, 0.05, ramp=2)
    basic_series["latency_p99_ms"] = shift(rng, 90, 6300, fault, 0.05, ramp=2)
    basic_series["requests_per_s"] = shift(rng, 39, 17, fault + 1, 0.06, ramp=2)
    ticketinfo_series = service_metrics(rng, 9, 380, (30, 120), 0.0, 24)
    ticketinfo_series["latency_p99_ms"] = shift(rng, 120, 5000, fault + 1, 0.02, ramp=2)
    ticketinfo_series["error_rate_percent"] = shift(rng, 0.0, 38, fault + 1, 0.1, ramp=2)
    travel_series = service_metrics(rng, 22, 610, (60, 240), 0.3, 18)
    travel_series["latency_p99_ms"] = shift(rng, 240, 5100, fault + 1, 0.02, ramp=2)
    travel_series["error_rate_percent"] = shift(rng, 0.3, 61, fault + 1, 0.08, ramp=3)
    travel_series["cpu_usage_percent"] = shift(rng, 22, 37, fault + 2, 0.1, ramp=3)
    route_series = service_metrics(rng, 8, 390, (5, 22), 0.0, 33)
    train_series = service_metrics(rng, 6, 370, (3, 15), 0.0, 35)
    price_series = service_metrics(rng, 5, 360, (3, 14), 0.0, 30)
    return Bundle(
        question="ts-travel-service error rate alert (61%) and the UI's trip search times out since 14:27 CST. What is the root cause?",
        category="network",
        component="ts-station-service",
        statement="Network delay of about 1.5 s on ts-station-service (from 06:27 UTC) makes every station lookup slow while its CPU and errors stay flat, so ts-basic-service, ts-ticketinfo-service and ts-travel-service time out above it.",
        files={
            "ts-station-service.log": station.render(),
            "ts-basic-service.log": basic.render(),
            "ts-ticketinfo-service.log": ticketinfo.render(),
            "ts-travel-service.log": travel.render(),
            "ts-ui-dashboard-error.log": gateway.render(),
            "metrics/ts-station-service.csv": csv_text(
                START, STEP, points, station_series, decimals=2
            ),
            "metrics/ts-basic-service.csv": csv_text(START, STEP, points, basic_series, decimals=2),
            "metrics/ts-ticketinfo-service.csv": csv_text(
                START, STEP, points, ticketinfo_series, decimals=2
            ),
            "metrics/ts-travel-service.csv": csv_text(
                START, STEP, points, travel_series, decimals=2
            ),
            "metrics/ts-route-service.csv": csv_text(START, STEP, points, route_series, decimals=2),
            "metrics/ts-train-service.csv": csv_text(START, STEP, points, train_series, decimals=2),
            "metrics/ts-price-service.csv": csv_text(START, STEP, points, price_series, decimals=2),
        },
        proofs=[
            Proof("metrics/ts-station-service.csv", "2025-09-16T06:27:00Z", "2025-09-16T06:27:30Z")
        ],
        decoys=[
            "Get tickets failed",
            "upstream timed out (110: Connection timed out)",
            "Thread starvation or clock leap detected",
        ],
    )
