# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one CSV per service, logs in +08:00): socket exhaustion
injected in ts-basic-service's container from 15:18:40 +08:00 (07:18:40 UTC): a process opens
outbound connections and leaves them in TIME_WAIT/ESTABLISHED until the ephemeral port range is
used up. ts-basic-service's `socket` series climbs from ~180 to ~28,000 first; a minute later its
own RestTemplate calls to ts-station-service and ts-train-service fail once with `Cannot assign
requested address`, then it answers 500s. ts-travel-service and ts-travel2-service log loud
`queryForTravel` errors; the gateway logs 500s on /travelservice/trips/left. Decoys: a
ts-order-service slow SQL warning, ts-station-service's Mongo reconnect, ts-travel2's cache miss."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2026, 10, 21, 6, 58, tzinfo=UTC)
MINUTES = 42
STEP = 5
FAULT = (20 * 60 + 40) // STEP  # 07:18:40 UTC
STATIONS = ["shanghai", "beijing", "nanjing", "suzhou", "taiyuan", "shijiazhuang", "xuzhou"]
TRAINS = ["G1234", "G1236", "D1345", "Z1234", "T1235", "K1235"]


def basic_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[queryForTravel][Query for travel][Trip id: {rng.choice(TRAINS)}][start: {rng.choice(STATIONS)}, end: {rng.choice(STATIONS)}]",
        (),
    )


def travel_line(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "INFO",
            f"[queryInfo][Query TripResponse][Trip: {rng.choice(TRAINS)}, from {rng.choice(STATIONS)} to {rng.choice(STATIONS)}]",
            (),
        )
    return (
        "INFO",
        f"[getTickets][Get left tickets][trip id: {rng.choice(TRAINS)}, seat left: {rng.randrange(0, 1100)}]",
        (),
    )


def travel_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[getTickets][Query for travel failed][trip id: {rng.choice(TRAINS)}] org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 : "{{"timestamp":"2026-10-21T07:2{rng.randrange(0, 9)}:{rng.randrange(10, 59)}.{rng.randrange(100, 999)}+0000","status":500,"error":"Internal Server Error","path":"/api/v1/basicservice/basic/travel"}}"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(49227)
    loggers = ("b.s.BasicServiceImpl", "b.c.BasicController")
    basic = LogFile("logs/ts-basic-service.log", SpringBoot(loggers, pid=1, rng=rng, zone=CST))
    basic.add(traffic(rng, basic_line, START, 21.6, 2300))
    basic.add(traffic(rng, basic_line, START + timedelta(minutes=21.6), MINUTES - 21.6, 140))
    trace = java_trace(
        'org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://ts-station-service:12345/api/v1/stationservice/stations/id/nanjing": Cannot assign requested address; nested exception is java.net.NoRouteToHostException: Cannot assign requested address',
        [
            "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
            "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:666)",
            "fdse.microservice.service.BasicServiceImpl.queryForStationId(BasicServiceImpl.java:214)",
            "fdse.microservice.service.BasicServiceImpl.queryForTravel(BasicServiceImpl.java:61)",
            "fdse.microservice.controller.BasicController.queryForTravel(BasicController.java:39)",
        ],
        caused_by=[
            "java.net.NoRouteToHostException: Cannot assign requested address",
            "java.base/sun.nio.ch.Net.connect0(Native Method)",
            "java.base/sun.nio.ch.Net.connect(Net.java:579)",
            "java.base/java.net.Socket.connect(Socket.java:633)",
        ],
        more=41,
    )
    basic.add(
        [
            at(
                START,
                21.55,
                "ERROR",
                'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://ts-station-service:12345/api/v1/stationservice/stations/id/nanjing": Cannot assign requested address] with root cause',
                trace,
                logger="o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
            at(
                START,
                22.4,
                "WARN",
                "[queryForTravel][Query train type failed][http://ts-train-service:14567 unreachable]",
            ),
        ]
    )
    travel = LogFile(
        "logs/ts-travel-service.log",
        SpringBoot(("t.s.TravelServiceImpl", "t.c.TravelController"), pid=1, rng=rng, zone=CST),
    )
    travel.add(traffic(rng, travel_line, START, MINUTES, 2600))
    travel.add(loud(rng, START, 21.9, MINUTES - 22, 380, travel_error))
    travel2 = LogFile(
        "logs/ts-travel2-service.log",
        SpringBoot(("t.s.Travel2ServiceImpl",), pid=1, rng=rng, zone=CST),
    )
    travel2.add(traffic(rng, travel_line, START, MINUTES, 1200))
    travel2.add(loud(rng, START, 22.0, MINUTES - 22.1, 170, travel_error))
    travel2.add(
        [
            at(
                START,
                6.3,
                "WARN",
                "[getRouteByTripId][route cache miss, reloading 412 routes from ts-route-service]",
            )
        ]
    )
    order = LogFile(
        "logs/ts-order-service.log", SpringBoot(("o.s.OrderServiceImpl",), pid=1, rng=rng, zone=CST)
    )
    order.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[getSoldTickets][Left ticket info][trip: {r.choice(TRAINS)}, sold: {r.randrange(0, 300)}]"
                ),
            ),
            START,
            MINUTES,
            900,
        )
    )
    order.add(
        [
            at(
                START,
                11.2,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m2s87ms).",
            )
        ]
    )
    station = LogFile(
        "logs/ts-station-service.log",
        SpringBoot(
            ("s.s.StationServiceImpl", "org.mongodb.driver.cluster"), pid=1, rng=rng, zone=CST
        ),
    )
    station.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: f"[queryForId][Find station id][stationName: {r.choice(STATIONS)}]",
            ),
            START,
            MINUTES,
            1500,
        )
    )
    station.add(
        [
            at(
                START,
                3.9,
                "INFO",
                "Exception in monitor thread while connecting to server ts-station-mongo:27017",
                logger="org.mongodb.driver.cluster",
            ),
            at(
                START,
                4.0,
                "INFO",
                "Monitor thread successfully connected to server with description ServerDescription{address=ts-station-mongo:27017, type=STANDALONE, state=CONNECTED}",
                logger="org.mongodb.driver.cluster",
            ),
        ]
    )
    gateway = LogFile(
        "logs/ts-gateway-service.log",
        SpringBoot(("o.s.c.g.f.LoadBalancerClientFilter",), pid=1, rng=rng, zone=CST),
    )
    gateway.add(
        traffic(
            rng,
            fixed(
                "DEBUG",
                lambda r: (
                    f"route to http://{r.choice(['ts-travel-service:12346', 'ts-order-service:12031', 'ts-auth-service:12340'])}"
                ),
            ),
            START,
            MINUTES,
            1800,
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            22.0,
            MINUTES - 22.1,
            240,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /api/v1/{r.choice(['travelservice', 'travel2service'])}/trips/left 500 INTERNAL_SERVER_ERROR in {r.randrange(40, 900)}ms"
                ),
            ),
        )
    )
    levels = {
        "ts-basic-service": (0.118, 402.3, (0.0142, 0.0381), 24.1),
        "ts-travel-service": (0.164, 511.6, (0.0611, 0.1544), 13.2),
        "ts-travel2-service": (0.091, 488.2, (0.0587, 0.1479), 6.1),
        "ts-station-service": (0.097, 437.9, (0.0041, 0.0117), 58.4),
        "ts-train-service": (0.044, 398.4, (0.0033, 0.0094), 23.7),
        "ts-route-service": (0.052, 421.7, (0.0049, 0.0132), 19.9),
        "ts-order-service": (0.083, 547.1, (0.0126, 0.0351), 21.4),
        "ts-gateway-service": (0.221, 612.8, (0.0703, 0.1861), 49.3),
    }
    files: dict[str, str] = {}
    points = MINUTES * 60 // STEP
    for name, v in levels.items():
        series = usual_series(rng, *v)
        series["socket"] = shift(rng, rng.randrange(90, 260), rng.randrange(90, 260), 0, 0.05)
        if name == "ts-basic-service":
            series["socket"] = shift(rng, 181, 28214, FAULT, 0.02, ramp=14)
            series["cpu"] = shift(rng, 0.118, 0.241, FAULT, 0.08, ramp=6)
            series["latency-90"] = shift(rng, 0.0381, 0.472, FAULT + 14, 0.1, ramp=3)
        if name in ("ts-travel-service", "ts-travel2-service"):
            series["latency-90"] = shift(rng, v[2][1], 0.63, FAULT + 15, 0.1, ramp=3)
        files[f"metrics/{name}.csv"] = unix_rows(
            START, STEP, points, {f"{name}_{k}": f for k, f in series.items()}, 4
        )
    files.update(
        {
            "logs/ts-gateway-service.log": gateway.render(),
            "logs/ts-travel-service.log": travel.render(),
            "logs/ts-travel2-service.log": travel2.render(),
            "logs/ts-basic-service.log": basic.render(),
            "logs/ts-order-service.log": order.render(),
            "logs/ts-station-service.log": station.render(),
        }
    )
    return Bundle(
        question="Ticket search on Train-Ticket started returning 500s around 15:20 (Beijing time) for both travel services. What is the root cause?",
        category="network",
        component="ts-basic-service",
        statement="From 15:18:40 +08:00 a socket exhaustion fault in ts-basic-service opens outbound connections until its ephemeral ports run out (its socket count climbs from ~180 to ~28,000); its own calls to ts-station-service then fail with `Cannot assign requested address`, it answers 500, and ts-travel-service/ts-travel2-service searches fail.",
        files=files,
        proofs=[
            Proof("metrics/ts-basic-service.csv", stamp(START, STEP, FAULT)),
            Proof(
                "logs/ts-basic-service.log",
                "threw exception [Request processing failed; nested exception is org.springframework.web.client.ResourceAccessException",
            ),
        ],
        decoys=[
            "HikariPool-1 - Thread starvation or clock leap detected",
            "Exception in monitor thread while connecting to server ts-station-mongo:27017",
            "route cache miss, reloading 412 routes",
        ],
    )
