# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE3: metrics plus every service's log): a code fault in ts-price-service
from 03:17:40 UTC. Its price lookup cuts the train type to a three-letter code and throws
StringIndexOutOfBoundsException for the two-letter types ("DC", "ZK"), answering 500 for those
routes. The loud part is ts-basic-service's NullPointerException for each missing price config,
ts-travel-service's failed trip queries and the gateway's 500s. Metrics barely move (ts-basic-
service's CPU rises a little). Decoys: the NPE in ts-basic-service, a slow route query warning and
a ts-config-service restart earlier."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import NginxAccess, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 9, 3, 3, 0, tzinfo=UTC)
STEP = 1
POINTS = 35 * 60
FAULT = 17 * 60 + 40
MINUTES = 35
TRAINS = ["G1234", "G1235", "D1345", "Z1234", "K1235", "Z1235", "T1235"]
TYPES = ["GaoTieOne", "GaoTieTwo", "DongCheOne", "ZhiDa", "KuaiSu", "TeKuai"]
ROUTES = [
    f"{value:08x}-6aa4-4c4f-8d6b-{value * 7919:012x}"
    for value in (0x0B23BD3E, 0x1367DB1F, 0x92708982, 0x9FC9C261, 0xD693A2C5, 0x20EB7122)
]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def price_line(rng: random.Random) -> Line:
    route = rng.choice(ROUTES)
    kind = rng.choice(TYPES[:3] + TYPES[5:])
    if rng.random() < 0.8:
        return (
            "INFO",
            f"[Price Service][Find By Route And Train Type] Rote id: {route} Train Type: {kind}",
            (),
        )
    return (
        "INFO",
        f"[Price Service][Find By Route Ids] route ids: [{route}, {rng.choice(ROUTES)}]",
        (),
    )


def price_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.StringIndexOutOfBoundsException: begin 0, end 3, length 2] with root cause",
        tuple(
            java_trace(
                "java.lang.StringIndexOutOfBoundsException: begin 0, end 3, length 2",
                [
                    "java.base/java.lang.String.checkBoundsBeginEnd(String.java:4604)",
                    "java.base/java.lang.String.substring(String.java:2707)",
                    "price.service.PriceServiceImpl.typeCode(PriceServiceImpl.java:143)",
                    "price.service.PriceServiceImpl.findByRouteIdAndTrainType(PriceServiceImpl.java:71)",
                    "price.controller.PriceController.query(PriceController.java:39)",
                ],
                more=88,
            )
        ),
    )


def price_lookup(rng: random.Random) -> Line:
    route = rng.choice(ROUTES[:3] + ROUTES[4:])
    return (
        "INFO",
        f"[Price Service][Find By Route And Train Type] Rote id: {route} Train Type: {rng.choice(['ZhiDa', 'KuaiSu'])}",
        (),
    )


def basic_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "INFO",
            f"[Query For Travel] Travel: Travel{{trip=Trip{{tripId={rng.choice(TRAINS)}, trainTypeName={rng.choice(TYPES)}}}, startPlace='{rng.choice(['shanghai', 'nanjing', 'suzhou'])}', endPlace='{rng.choice(['beijing', 'taiyuan', 'shijiazhuang'])}', departureTime='2024-09-1{rng.randrange(0, 9)}'}}",
            (),
        )
    return (
        "INFO",
        f"[Query For Station Id] stationName: {rng.choice(['shanghai', 'nanjing', 'beijing', 'taiyuan'])}",
        (),
    )


def basic_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"[Query For Travel] price config query failed, tripId: {rng.choice(['Z1234', 'Z1235', 'K1235'])}",
        tuple(
            java_trace(
                'java.lang.NullPointerException: Cannot invoke "basic.entity.PriceConfig.getBasicPriceRate()" because "priceConfig" is null',
                [
                    "basic.service.BasicServiceImpl.queryForTravel(BasicServiceImpl.java:118)",
                    "basic.controller.BasicController.queryForTravel(BasicController.java:38)",
                ],
                more=63,
            )
        ),
    )


def travel_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[Query Trip] startingPlace: {rng.choice(['Shang Hai', 'Nan Jing', 'Su Zhou'])}, endPlace: {rng.choice(['Bei Jing', 'Tai Yuan'])}, departureTime: 2024-09-1{rng.randrange(0, 9)}, trips: {rng.randrange(1, 8)}",
        (),
    )


def travel_failure(rng: random.Random) -> Line:
    return (
        "WARN",
        f"[Query Trip] get trip response failed, tripId: {rng.choice(['Z1234', 'Z1235', 'K1235'])}, msg: 500 Internal Server Error from POST http://ts-basic-service:15680/api/v1/basicservice/basic/travel",
        (),
    )


def route_line(rng: random.Random) -> Line:
    if rng.random() < 0.97:
        return "INFO", f"[Get Route By Id] RouteId: {rng.choice(ROUTES)}", ()
    return (
        "WARN",
        f"[Get Route By Ids] query took {rng.randrange(500, 900)} ms for {rng.randrange(20, 60)} ids (threshold 500 ms)",
        (),
    )


def gateway_line(rng: random.Random, statuses: tuple[int, ...] = (200,)) -> Line:
    path = rng.choice(
        [
            "/api/v1/travelservice/trips/left",
            "/api/v1/travel2service/trips/left",
            "/api/v1/stationservice/stations",
            "/api/v1/contactservice/contacts/account/" + uuid(rng),
            "/api/v1/orderservice/order/refresh",
        ]
    )
    status = rng.choice(statuses) if "trips" in path else 200
    return (
        "INFO",
        f'"POST {path} HTTP/1.1" {status} {rng.randrange(200, 9000)} "http://ts-ui-dashboard:8080/client_ticket_book.html" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1120)
    fault = FAULT / 60
    loggers = {
        "price": ("price.service.PriceServiceImpl", "price.controller.PriceController"),
        "basic": ("basic.service.BasicServiceImpl",),
        "travel": ("travel.service.TravelServiceImpl",),
        "route": ("route.service.RouteServiceImpl",),
        "config": (
            "config.service.ConfigServiceImpl",
            "org.springframework.boot.web.embedded.tomcat.TomcatWebServer",
        ),
    }
    price = LogFile("logs/ts-price-service.log", SpringBoot(loggers["price"], rng=rng))
    price.add(traffic(rng, price_line, START, MINUTES, 1700))
    price.add(loud(rng, START, fault + 0.2, MINUTES - fault - 0.3, 70, price_failure))
    price.add(loud(rng, START, fault + 0.2, MINUTES - fault - 0.3, 70, price_lookup))
    price.add(
        [
            at(
                START,
                fault - 0.01,
                "INFO",
                f"[Price Service][Find By Route And Train Type] Rote id: {ROUTES[3]} Train Type: ZhiDa",
                logger=loggers["price"][0],
            ),
            at(
                START,
                fault,
                "ERROR",
                "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.StringIndexOutOfBoundsException: begin 0, end 3, length 2] with root cause",
                java_trace(
                    "java.lang.StringIndexOutOfBoundsException: begin 0, end 3, length 2",
                    [
                        "java.base/java.lang.String.checkBoundsBeginEnd(String.java:4604)",
                        "java.base/java.lang.String.substring(String.java:2707)",
                        "price.service.PriceServiceImpl.typeCode(PriceServiceImpl.java:143)",
                        "price.service.PriceServiceImpl.findByRouteIdAndTrainType(PriceServiceImpl.java:71)",
                    ],
                    more=89,
                ),
                "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
        ]
    )
    basic = LogFile("logs/ts-basic-service.log", SpringBoot(loggers["basic"], rng=rng))
    basic.add(traffic(rng, basic_line, START, MINUTES, 2100))
    basic.add(loud(rng, START, fault + 0.05, MINUTES - fault - 0.1, 310, basic_failure))
    travel = LogFile("logs/ts-travel-service.log", SpringBoot(loggers["travel"], rng=rng))
    travel.add(traffic(rng, travel_line, START, MINUTES, 1500))
    travel.add(loud(rng, START, fault + 0.1, MINUTES - fault - 0.2, 290, travel_failure))
    route = LogFile("logs/ts-route-service.log", SpringBoot(loggers["route"], rng=rng))
    route.add(traffic(rng, route_line, START, MINUTES, 1800))
    config = LogFile("logs/ts-config-service.log", SpringBoot(loggers["config"], rng=rng))
    config.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[Query Config] name: {r.choice(['DirectTicketAllocationProportion', 'TrainTicketCancelFee'])}"
                ),
            ),
            START,
            MINUTES,
            300,
        )
    )
    config.add(
        [
            at(
                START,
                6.2,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m4s).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
            at(
                START,
                6.5,
                "INFO",
                "Tomcat started on port(s): 15679 (http) with context path ''",
                logger="org.springframework.boot.web.embedded.tomcat.TomcatWebServer",
            ),
            at(
                START,
                6.52,
                "INFO",
                "Started ConfigApplication in 41.918 seconds (JVM running for 44.207)",
                logger="config.ConfigApplication",
            ),
        ]
    )
    gateway = LogFile("logs/ts-ui-dashboard-access.log", NginxAccess(rng=rng))
    gateway.add(traffic(rng, gateway_line, START, MINUTES, 3000))
    gateway.add(
        loud(rng, START, fault + 0.1, MINUTES - fault - 0.2, 330, lambda r: gateway_line(r, (500,)))
    )
    levels = {
        "ts-ui-dashboard": (0.149, 60, (0.0119, 0.0502), 39.8),
        "ts-travel-service": (0.171, 552, (0.0411, 0.1187), 12.1),
        "ts-basic-service": (0.083, 433, (0.0192, 0.0603), 25.3),
        "ts-price-service": (0.044, 398, (0.0041, 0.0128), 25.3),
        "ts-route-service": (0.069, 420, (0.0052, 0.0166), 31.0),
        "ts-station-service": (0.058, 391, (0.0033, 0.0101), 40.2),
        "ts-train-service": (0.039, 377, (0.0029, 0.0088), 25.3),
        "ts-config-service": (0.022, 366, (0.0021, 0.0065), 3.4),
        "ts-order-service": (0.111, 589, (0.0089, 0.0287), 14.0),
        "ts-seat-service": (0.097, 461, (0.0204, 0.0611), 9.1),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    services["ts-basic-service"]["cpu"] = shift(rng, 0.083, 0.102, FAULT + 3, 0.08)
    services["ts-price-service"]["latency-50"] = shift(rng, 0.0041, 0.0036, FAULT, 0.08)
    services["ts-travel-service"]["workload"] = shift(rng, 12.1, 11.4, FAULT + 4, 0.06)
    services["ts-config-service"]["cpu"] = shift(rng, 0.022, 0.0, 6 * 60 + 5, 0.05)
    services["ts-config-service"]["cpu"] = shift(rng, 0.0, 0.022, 6 * 60 + 32, 0.08)
    return Bundle(
        question="Since about 03:17 UTC some trip searches return 500 (mostly Z and K trains) while others work. Which service is the root cause?",
        category="code_error",
        component="ts-price-service",
        statement="From 03:17:40 UTC ts-price-service throws StringIndexOutOfBoundsException in PriceServiceImpl.typeCode for the two-letter train type codes (ZhiDa, KuaiSu) and answers 500, so ts-basic-service gets no price config and fails with NullPointerException and trip searches for those trains fail at ts-travel-service and the gateway.",
        files={
            "data.csv": wide_csv(START, STEP, POINTS, services),
            "logs/ts-ui-dashboard-access.log": gateway.render(),
            "logs/ts-travel-service.log": travel.render(),
            "logs/ts-basic-service.log": basic.render(),
            "logs/ts-price-service.log": price.render(),
            "logs/ts-route-service.log": route.render(),
            "logs/ts-config-service.log": config.render(),
        },
        proofs=[
            Proof(
                "logs/ts-price-service.log",
                f"Rote id: {ROUTES[3]} Train Type: ZhiDa",
                "PriceServiceImpl.findByRouteIdAndTrainType",
            )
        ],
        decoys=[
            'because "priceConfig" is null',
            "Thread starvation or clock leap detected",
            "query took",
        ],
    )
