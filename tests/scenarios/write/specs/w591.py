# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one wide CSV with `socket`): socket exhaustion injected in
ts-station-service's container from 06:14:00 UTC. Its `socket` series climbs from ~70 to tens of
thousands first; a few minutes later its own log shows `Cannot assign requested address` when
Hikari opens a MySQL connection, then its station lookups fail. ts-basic-service and
ts-travel-service log 500s from ts-station-service, the gateway answers 500 on searches. Logs
are in Australia/Eucla local time (+08:45). Decoys: ts-basic-service's errors, ts-route-service's
slow GC pause, ts-config-service's refresh warning."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

ZONE = ZoneInfo("Australia/Eucla")
START = datetime(2026, 5, 12, 5, 55, tzinfo=UTC)
MINUTES = 40
STEP = 1
FAULT = (19 * 60) // STEP
STATIONS = [
    "shanghai",
    "beijing",
    "nanjing",
    "shijiazhuang",
    "xuzhou",
    "jinan",
    "hangzhou",
    "jiaxingnan",
    "zhenjiang",
    "wuxi",
    "suzhou",
    "taiyuan",
]


def station_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"[queryForId][Query for station id][StationName: {rng.choice(STATIONS)}]",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"[queryByIdBatch][Query stations for name][Size: {rng.randrange(2, 12)}]",
            (),
        )
    return "INFO", "[query][Find all stations]", ()


def station_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"[queryForId][Query for station id failed][StationName: {rng.choice(STATIONS)}] org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager for transaction; nested exception is org.hibernate.exception.JDBCConnectionException: Unable to acquire JDBC Connection",
        (),
    )


def basic_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[queryForTravel][Query for travel][Travel: tripId={rng.choice('GDZ')}{rng.randrange(1000, 2000)}, startPlace={rng.choice(STATIONS)}, endPlace={rng.choice(STATIONS)}]",
        (),
    )


def basic_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[queryForStationId][Get station id failed][stationName: {rng.choice(STATIONS)}] 500 Internal Server Error: [{{"status":500,"error":"Internal Server Error","path":"/api/v1/stationservice/stations/id/{rng.choice(STATIONS)}"}}]',
        (),
    )


def travel_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[queryInfo][Query TripResponse][tripId: {rng.choice('GD')}{rng.randrange(1000, 2000)}]",
        (),
    )


def travel_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"[getTripResponseByTripAndDate][basic service failed][tripId: {rng.choice('GD')}{rng.randrange(1000, 2000)}] message=Station not found",
        (),
    )


def route_line(rng: random.Random) -> Line:
    return "INFO", f"[getRouteById][Get Route By Id][RouteId: {rng.getrandbits(128):032x}]", ()


def bundle() -> Bundle:
    rng = random.Random(59104)

    def spring(loggers: tuple[str, ...], pid: int) -> SpringBoot:
        return SpringBoot(loggers, pid, random.Random(rng.random()), ZONE)

    station = LogFile(
        "logs/ts-station-service.log",
        spring(("station.service.StationServiceImpl", "station.controller.StationController"), 1),
    )
    station.add(traffic(rng, station_line, START, MINUTES, 2500))
    station.add(
        [
            at(
                START,
                23.37,
                "WARN",
                "HikariPool-1 - Connection is not available, request timed out after 30004ms. Unable to create new connection: Communications link failure - java.net.NoRouteToHostException: Cannot assign requested address (Address not available) to ts-station-mysql:3306",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
            at(
                START,
                23.4,
                "ERROR",
                "SQL Error: 0, SQLState: 08S01",
                java_trace(
                    "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure",
                    [
                        "com.mysql.cj.jdbc.exceptions.SQLError.createCommunicationsException(SQLError.java:174)",
                        "com.mysql.cj.jdbc.ConnectionImpl.createNewIO(ConnectionImpl.java:836)",
                        "com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:358)",
                    ],
                    [
                        "java.net.NoRouteToHostException: Cannot assign requested address (Address not available)",
                        "java.base/sun.nio.ch.Net.connect0(Native Method)",
                        "java.base/sun.nio.ch.Net.connect(Net.java:579)",
                    ],
                    14,
                ),
                logger="o.h.engine.jdbc.spi.SqlExceptionHelper",
            ),
        ]
    )
    station.add(loud(rng, START, 23.5, MINUTES - 23.6, 260, station_error))
    basic = LogFile("logs/ts-basic-service.log", spring(("basic.service.BasicServiceImpl",), 1))
    basic.add(traffic(rng, basic_line, START, MINUTES, 1700))
    basic.add(loud(rng, START, 23.6, MINUTES - 23.7, 340, basic_error))
    travel = LogFile("logs/ts-travel-service.log", spring(("travel.service.TravelServiceImpl",), 1))
    travel.add(traffic(rng, travel_line, START, MINUTES, 1500))
    travel.add(loud(rng, START, 23.7, MINUTES - 23.8, 280, travel_error))
    route = LogFile("logs/ts-route-service.log", spring(("route.service.RouteServiceImpl",), 1))
    route.add(traffic(rng, route_line, START, MINUTES, 800))
    route.add(
        [
            at(
                START,
                8.8,
                "WARN",
                "GC pause (G1 Evacuation Pause) (young) 412M->118M(1024M) 486.312ms exceeded 400ms threshold",
                logger="route.config.GcMonitor",
            )
        ]
    )
    config = LogFile("logs/ts-config-service.log", spring(("config.service.ConfigServiceImpl",), 1))
    config.add(
        traffic(
            rng,
            lambda r: ("INFO", f"[queryAll][Query all configs][size: {r.randrange(4, 9)}]", ()),
            START,
            MINUTES,
            300,
        )
    )
    config.add(
        [
            at(
                START,
                16.2,
                "WARN",
                "[refresh][Config refresh skipped][reason: DirectTicketAllocationProportion unchanged]",
            )
        ]
    )
    levels = {
        "ts-ui-dashboard": (0.19, 301.0, (0.058, 0.171), 41.0, 210.0),
        "ts-travel-service": (0.12, 508.0, (0.031, 0.091), 17.0, 96.0),
        "ts-basic-service": (0.10, 446.0, (0.022, 0.063), 19.0, 88.0),
        "ts-station-service": (0.07, 404.0, (0.0042, 0.0116), 41.0, 71.0),
        "ts-route-service": (0.06, 421.0, (0.0051, 0.0149), 17.0, 52.0),
        "ts-train-service": (0.05, 398.0, (0.0039, 0.0112), 16.0, 49.0),
        "ts-price-service": (0.04, 392.0, (0.0044, 0.0121), 9.0, 44.0),
        "ts-config-service": (0.03, 376.0, (0.0031, 0.0092), 5.0, 38.0),
        "ts-order-service": (0.11, 529.0, (0.017, 0.048), 22.0, 104.0),
    }
    services = {}
    for name, (cpu, mem, lat, work, sock) in levels.items():
        series = usual_series(rng, cpu, mem, lat, work)
        series["socket"] = shift(rng, sock, sock, 0, 0.05)
        services[name] = series
    s = services["ts-station-service"]
    s["socket"] = shift(rng, 71.0, 28214.0, FAULT, 0.03, ramp=150)
    s["cpu"] = shift(rng, 0.07, 0.41, FAULT, 0.1, ramp=60)
    s["latency-50"] = shift(rng, 0.0042, 0.0312, FAULT + 260, 0.2)
    s["latency-90"] = shift(rng, 0.0116, 30.01, FAULT + 260, 0.01)
    for name in ("ts-basic-service", "ts-travel-service", "ts-ui-dashboard"):
        services[name]["latency-90"] = shift(rng, levels[name][2][1], 30.4, FAULT + 265, 0.02)
    points = MINUTES * 60 // STEP
    return Bundle(
        question="Train searches have been returning errors since about 15:03 Eucla time. What is the root cause?",
        category="network",
        component="ts-station-service",
        statement="From 06:14 UTC socket exhaustion in ts-station-service's container drives its open sockets from ~70 to ~28,000 until it cannot open a MySQL connection (`Cannot assign requested address`); its station lookups fail, so ts-basic-service, ts-travel-service and the gateway return errors.",
        files={
            "metrics.csv": wide_csv(START, STEP, points, services),
            "logs/ts-station-service.log": station.render(),
            "logs/ts-basic-service.log": basic.render(),
            "logs/ts-travel-service.log": travel.render(),
            "logs/ts-route-service.log": route.render(),
            "logs/ts-config-service.log": config.render(),
        },
        proofs=[
            Proof("metrics.csv", stamp(START, STEP, FAULT)),
            Proof(
                "logs/ts-station-service.log",
                "Cannot assign requested address (Address not available) to ts-station-mysql",
            ),
        ],
        decoys=[
            "Get station id failed",
            "GC pause (G1 Evacuation Pause)",
            "Config refresh skipped",
        ],
    )
