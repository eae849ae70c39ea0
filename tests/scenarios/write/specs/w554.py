# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one CSV per service, logs in +08:00): a CPU hog (stress-ng
--cpu 4) inside ts-route-service's container from 11:12:30 +08:00 (03:12:30 UTC). Its `cpu`
column jumps to its 2-core limit first; the JVM is throttled and HikariCP's housekeeper logs
`Thread starvation or clock leap detected` once, then only ordinary (slower) route lookups.
ts-basic-service and ts-travel-service time out on route calls, ts-travel-plan-service fails
plans, and the gateway answers 504. Decoys: ts-auth-service's bad credentials, a
ts-order-service slow query warning, ts-basic-service's own route timeouts."""

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import NginxError, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2026, 4, 21, 2, 50, tzinfo=UTC)
MINUTES = 42
STEP = 5
FAULT = (22 * 60 + 30) // STEP
STATIONS = [
    "shanghai",
    "nanjing",
    "suzhou",
    "wuxi",
    "hangzhou",
    "jiaxingnan",
    "beijing",
    "zhenjiang",
]


def rid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def spring(name: str, loggers: tuple[str, ...], rng: random.Random) -> LogFile:
    return LogFile(f"logs/{name}.log", SpringBoot(loggers, pid=1, rng=rng, zone=CST))


def route_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return "INFO", f"[getRouteById][Get Route By Id][RouteId: {rid(rng)}]", ()
    if roll < 0.85:
        return (
            "INFO",
            f"[getRouteByStartAndEnd][Get Route By Start And End][start: {rng.choice(STATIONS)}, end: {rng.choice(STATIONS)}]",
            (),
        )
    return "INFO", f"[getRouteByIds][Get Route By Ids][RouteIds: {rng.randrange(2, 9)} ids]", ()


def route_timeout(where: str) -> Callable[[random.Random], Line]:
    def make(rng: random.Random) -> Line:
        return (
            "ERROR",
            f'[{where}][Get route failed][routeId: {rid(rng)}] I/O error on GET request for "http://ts-route-service:11178/api/v1/routeservice/routes/{rid(rng)}": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out',
            tuple(
                java_trace(
                    "org.springframework.web.client.ResourceAccessException: I/O error on GET request: Read timed out",
                    [
                        "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
                        "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:666)",
                    ],
                    more=88,
                )
            ),
        )

    return make


def gateway_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.244.{rng.randrange(1, 5)}.{rng.randrange(2, 250)}, server: ts-ui-dashboard, request: "POST /api/v1/travelplanservice/travelPlan/cheapest HTTP/1.1", upstream: "http://10.96.{rng.randrange(10, 200)}.{rng.randrange(2, 250)}:14322/api/v1/travelplanservice/travelPlan/cheapest", host: "ts-ui-dashboard:8080"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(55417)
    route = spring(
        "ts-route-service",
        ("route.service.RouteServiceImpl", "route.controller.RouteController"),
        rng,
    )
    route.add(traffic(rng, route_line, START, MINUTES, 2600))
    route.add(
        [
            at(
                START,
                23.1,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=58s412ms).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            )
        ]
    )
    basic = spring(
        "ts-basic-service",
        (
            "fdse.microservice.service.BasicServiceImpl",
            "fdse.microservice.controller.BasicController",
        ),
        rng,
    )
    basic.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[queryForTravel][Query for travel][start: {r.choice(STATIONS)}, end: {r.choice(STATIONS)}]",
                (),
            ),
            START,
            MINUTES,
            1800,
        )
    )
    basic.add(loud(rng, START, 22.9, MINUTES - 23.0, 260, route_timeout("queryForTravel")))
    travel = spring(
        "ts-travel-service",
        ("travel.service.TravelServiceImpl", "travel.controller.TravelController"),
        rng,
    )
    travel.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[queryInfo][Query TripResponse][startPlace: {r.choice(STATIONS)}, endPlace: {r.choice(STATIONS)}]",
                (),
            ),
            START,
            MINUTES,
            1700,
        )
    )
    travel.add(loud(rng, START, 23.0, MINUTES - 23.1, 190, route_timeout("getRouteByTripId")))
    plan = spring("ts-travel-plan-service", ("travelplan.service.TravelPlanServiceImpl",), rng)
    plan.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[getCheapest][Search Cheapest Result][from: {r.choice(STATIONS)}, to: {r.choice(STATIONS)}]",
                (),
            ),
            START,
            MINUTES,
            500,
        )
    )
    plan.add(
        loud(
            rng,
            START,
            23.3,
            MINUTES - 23.4,
            120,
            lambda r: (
                "ERROR",
                f"[getCheapest][Get cheapest trip failed][from: {r.choice(STATIONS)}, to: {r.choice(STATIONS)}, message: 500 INTERNAL_SERVER_ERROR]",
                (),
            ),
        )
    )
    auth = spring("ts-auth-service", ("auth.service.impl.TokenServiceImpl",), rng)
    auth.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[getToken][Login success][USER: fdse_microservice, Id: {rid(r)}]",
                (),
            ),
            START,
            MINUTES,
            400,
        )
    )
    auth.add(
        [
            at(START, m, "WARN", f"[getToken][Incorrect username or password][USER: {u}]")
            for m, u in ((7.4, "fdse_micro"), (18.2, "admin1"), (33.6, "guest"))
        ]
    )
    order = spring("ts-order-service", ("order.service.OrderServiceImpl",), rng)
    order.add(
        traffic(
            rng,
            lambda r: ("INFO", f"[getOrderById][Get Order By Id][OrderId: {rid(r)}]", ()),
            START,
            MINUTES,
            700,
        )
    )
    order.add(
        [
            at(
                START,
                14.7,
                "WARN",
                "Slow query: 2417 ms, SELECT * FROM orders WHERE account_id = ? AND travel_date >= ? ORDER BY bought_date DESC",
                logger="order.repository.OrderRepository",
            )
        ]
    )
    gateway = LogFile("logs/ts-ui-dashboard.error.log", NginxError(rng=rng))
    gateway.add(loud(rng, START, 23.5, MINUTES - 23.6, 140, gateway_error))
    levels = {
        "ts-ui-dashboard": (0.058, 36.9, (0.013, 0.066), 28.4),
        "ts-route-service": (0.211, 588.3, (0.008, 0.024), 44.1),
        "ts-basic-service": (0.131, 571.2, (0.019, 0.052), 21.8),
        "ts-travel-service": (0.176, 618.0, (0.069, 0.22), 15.1),
        "ts-travel-plan-service": (0.047, 553.4, (0.18, 0.46), 3.2),
        "ts-auth-service": (0.039, 498.6, (0.011, 0.03), 2.4),
        "ts-order-service": (0.091, 633.9, (0.012, 0.041), 9.1),
        "ts-station-service": (0.069, 517.5, (0.006, 0.018), 47.6),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    r = services["ts-route-service"]
    r["cpu"] = shift(rng, 0.211, 1.987, FAULT, 0.02)
    r["latency-50"] = shift(rng, 0.008, 0.61, FAULT + 1, 0.15)
    r["latency-90"] = shift(rng, 0.024, 2.48, FAULT + 1, 0.12)
    for name in ("ts-basic-service", "ts-travel-service"):
        services[name]["latency-90"] = shift(rng, levels[name][2][1], 3.01, FAULT + 2, 0.02)
    services["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.066, 4.2, FAULT + 3, 0.05)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{k}": v for k, v in s.items()}, 4
        )
        for name, s in services.items()
    }
    for log in (route, basic, travel, plan, auth, order, gateway):
        files[log.name] = log.render()
    return Bundle(
        question="Travel plan and trip searches on the ticket site are timing out since about 11:13 (+08:00). What is the root cause and where is it?",
        category="cpu",
        component="ts-route-service",
        statement="From 03:12:30 UTC (11:12:30 +08:00) a CPU hog inside ts-route-service's container saturates its CPU limit, so the JVM is starved (HikariCP reports thread starvation) and route lookups slow to seconds; ts-basic-service and ts-travel-service time out calling it, failing plans and searches.",
        files=files,
        proofs=[
            Proof("metrics/ts-route-service.csv", stamp(START, STEP, FAULT)),
            Proof("logs/ts-route-service.log", "Thread starvation or clock leap detected"),
        ],
        decoys=[
            "Incorrect username or password",
            "Slow query: 2417 ms",
            "[queryForTravel][Get route failed]",
        ],
    )
