# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one CSV per service, logs in +08:00): a CPU hog
(stress-ng --cpu) in the ts-basic-service container from 10:12:20 UTC (18:12:20 local). Its cpu
series jumps to its 2-core limit while its workload falls; its own log only slows down (the same
`[queryForTravel]` lines, further apart). ts-ticketinfo-service, which calls it for every search,
logs loud read timeouts and its latency climbs; ts-travel-service and ts-travel2-service fail
their trip searches through ts-ticketinfo-service. Decoys: ts-ticketinfo-service (loud, and the
service the callers name), ts-route-service's ordinary MongoDB reconnect at 18:03, and
ts-travel-service's usual `no remaining tickets` warnings."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import SpringBoot
from scenes import at, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2025, 5, 22, 9, 58, tzinfo=UTC)
MINUTES = 30
POINTS = MINUTES * 60
FAULT = 14 * 60 + 20
TRAINS = ["G1234", "G1235", "G1236", "D1345", "Z1234", "Z1235", "T1235", "K1345"]
STATIONS = [
    "shanghai",
    "beijing",
    "nanjing",
    "suzhou",
    "taiyuan",
    "shijiazhuang",
    "wuxi",
    "zhenjiang",
]


def basic_line(rng: random.Random) -> Line:
    roll = rng.random()
    a, b = rng.sample(STATIONS, 2)
    if roll < 0.6:
        return (
            "INFO",
            f"[queryForTravel][Query for travel][Travel: {rng.choice(TRAINS)}, start: {a}, end: {b}]",
            (),
        )
    if roll < 0.85:
        return "INFO", f"[queryForStationId][Query for station id][stationName: {a}]", ()
    return (
        "INFO",
        f"[queryTrainTypeByName][Query train type by name][trainTypeName: {rng.choice(['GaoTieOne', 'GaoTieTwo', 'DongCheOne', 'ZhiDa', 'TeKuai', 'KuaiSu'])}]",
        (),
    )


def ticketinfo_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[queryForTravel][Query for travel][Trip: {rng.choice(TRAINS)}, startDate: 2025-05-{rng.randrange(23, 30)}]",
        (),
    )


def ticketinfo_fail(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[queryForTravel][Query basic service fail][Trip: {rng.choice(TRAINS)}][I/O error on POST request for "http://ts-basic-service:15680/api/v1/basicservice/basic/travel": Read timed out]',
        (),
    )


def travel_line(rng: random.Random) -> Line:
    roll = rng.random()
    a, b = rng.sample(STATIONS, 2)
    if roll < 0.85:
        return (
            "INFO",
            f"[queryByBatch][Query by batch][startPlace: {a}, endPlace: {b}, departureTime: 2025-05-{rng.randrange(23, 30)}]",
            (),
        )
    return (
        "WARN",
        f"[getTickets][Get tickets][no remaining tickets][tripId: {rng.choice(TRAINS)}]",
        (),
    )


def travel_fail(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[queryForTravel][Query ticketinfo service fail][tripId: {rng.choice(TRAINS)}][500 Internal Server Error: "{{"status":0,"msg":"Read timed out","data":null}}" from POST http://ts-ticketinfo-service:15681/api/v1/ticketinfoservice/ticketinfo]',
        (),
    )


def route_line(rng: random.Random) -> Line:
    a, b = rng.sample(STATIONS, 2)
    return "INFO", f"[getRouteByStartAndEnd][Get route by start and end][start: {a}, end: {b}]", ()


def bundle() -> Bundle:
    rng = random.Random(1190)
    fault = FAULT / 60
    after = MINUTES - fault
    basic = LogFile(
        "logs/ts-basic-service.log",
        SpringBoot(("basic.service.BasicServiceImpl",), rng=rng, zone=CST),
    )
    basic.add(traffic(rng, basic_line, START, fault, 3000))
    basic.add(traffic(rng, basic_line, START + timedelta(minutes=fault), after, 900))
    info = LogFile(
        "logs/ts-ticketinfo-service.log",
        SpringBoot(("ticketinfo.service.TicketInfoServiceImpl",), rng=rng, zone=CST),
    )
    info.add(traffic(rng, ticketinfo_line, START, fault + 0.5, 1300))
    info.add(
        traffic(rng, ticketinfo_line, START + timedelta(minutes=fault + 0.5), after - 0.5, 450)
    )
    info.add(loud(rng, START, fault + 0.6, after - 0.7, 210, ticketinfo_fail))
    travel = LogFile(
        "logs/ts-travel-service.log",
        SpringBoot(("travel.service.TravelServiceImpl",), rng=rng, zone=CST),
    )
    travel.add(traffic(rng, travel_line, START, MINUTES, 1500))
    travel.add(loud(rng, START, fault + 0.7, after - 0.8, 160, travel_fail))
    route = LogFile(
        "logs/ts-route-service.log",
        SpringBoot(("route.service.RouteServiceImpl",), rng=rng, zone=CST),
    )
    route.add(traffic(rng, route_line, START, MINUTES, 800))
    route.add(
        [
            at(
                START,
                5.1,
                "WARN",
                "Exception in monitor thread while connecting to server ts-route-mongo:27017 com.mongodb.MongoSocketReadException: Prematurely reached end of stream",
                logger="org.mongodb.driver.cluster",
            ),
            at(
                START,
                5.3,
                "INFO",
                "Monitor thread successfully connected to server with description ServerDescription{address=ts-route-mongo:27017, type=STANDALONE, state=CONNECTED, ok=true}",
                logger="org.mongodb.driver.cluster",
            ),
        ]
    )

    levels = {
        "ts-ui-dashboard": (0.083, 30, (0.0231, 0.1180), 41.0),
        "ts-travel-service": (0.182, 671, (0.0852, 0.2310), 12.6),
        "ts-travel2-service": (0.121, 640, (0.0791, 0.2080), 6.1),
        "ts-ticketinfo-service": (0.142, 590, (0.0412, 0.1020), 24.8),
        "ts-basic-service": (0.311, 612, (0.0198, 0.0512), 24.9),
        "ts-station-service": (0.091, 520, (0.0031, 0.0088), 61.2),
        "ts-train-service": (0.043, 488, (0.0029, 0.0079), 24.9),
        "ts-route-service": (0.067, 530, (0.0041, 0.0121), 18.7),
        "ts-price-service": (0.039, 470, (0.0032, 0.0090), 24.9),
        "ts-seat-service": (0.101, 566, (0.0512, 0.1230), 9.4),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    b = services["ts-basic-service"]
    b["cpu"] = shift(rng, 0.311, 1.982, FAULT, 0.02)
    b["latency-50"] = shift(rng, 0.0198, 0.8820, FAULT + 4, 0.25, ramp=20)
    b["latency-90"] = shift(rng, 0.0512, 3.6100, FAULT + 4, 0.25, ramp=20)
    b["workload"] = shift(rng, 24.9, 9.7, FAULT + 8, 0.12, ramp=20)
    t = services["ts-ticketinfo-service"]
    t["latency-50"] = shift(rng, 0.0412, 1.1030, FAULT + 10, 0.25, ramp=20)
    t["latency-90"] = shift(rng, 0.1020, 5.0120, FAULT + 10, 0.25, ramp=20)
    t["cpu"] = shift(rng, 0.142, 0.231, FAULT + 12, 0.12)
    services["ts-travel-service"]["latency-90"] = shift(
        rng, 0.2310, 5.4020, FAULT + 14, 0.25, ramp=20
    )
    services["ts-travel2-service"]["latency-90"] = shift(
        rng, 0.2080, 5.2280, FAULT + 14, 0.25, ramp=20
    )
    for name in ("ts-station-service", "ts-train-service", "ts-price-service"):
        services[name]["workload"] = shift(
            rng, levels[name][3], levels[name][3] * 0.45, FAULT + 10, 0.1, ramp=20
        )
    files = {}
    for name, series in services.items():
        files[f"metrics/{name}.csv"] = unix_rows(
            START, 1, POINTS, {f"{name}_{m}": f for m, f in series.items()}, 4
        )
    files.update(
        {
            "logs/ts-travel-service.log": travel.render(),
            "logs/ts-ticketinfo-service.log": info.render(),
            "logs/ts-basic-service.log": basic.render(),
            "logs/ts-route-service.log": route.render(),
        }
    )
    return Bundle(
        question="Trip search on Train-Ticket has been failing and timing out since about 18:12 (UTC+8). Which service is the root cause?",
        category="cpu",
        component="ts-basic-service",
        statement="From 10:12:20 UTC (18:12:20 UTC+8) a CPU hog in the ts-basic-service container pins it at its 2-core limit; its latency climbs to seconds, ts-ticketinfo-service's calls to it time out, and the trip searches that go through it fail.",
        files=files,
        proofs=[
            Proof(
                "metrics/ts-basic-service.csv", stamp(START, 1, FAULT), stamp(START, 1, FAULT + 4)
            )
        ],
        decoys=[
            "Query ticketinfo service fail",
            "MongoSocketReadException",
            "no remaining tickets",
        ],
    )
