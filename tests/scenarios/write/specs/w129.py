# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one wide CSV, logs in Beijing time): a CPU hog (stress-ng)
in the ts-travel2-service container from 10:41:08 UTC (18:41:08 +08:00). Its CPU goes from about
0.09 to its one-core limit, then its latency climbs; its own log is not in the bundle (the
collector on its node was being restarted). Loud: ts-route-plan-service's read timeouts (in
stack traces that mostly show its own frames), ts-travel-plan-service's failed plans and the UI
gateway's 504s on /api/v1/travelplanservice. Decoys: ts-travel-service's stale `Train type not
found` error at 10:22, ts-route-plan-service's own CPU rising from its retries, and a GC pause
warning in ts-basic-service."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxAccess, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 11, 12, 10, 20, tzinfo=UTC)
BEIJING = timezone(timedelta(hours=8))
STEP = 1
MINUTES = 34
POINTS = MINUTES * 60
FAULT = 21 * 60 + 8
TRAINS = ["Z1234", "Z1235", "K1345", "T1235", "Z1236", "K1234"]
FAST = ["G1234", "G1235", "D1345", "G1236"]
STATIONS = ["shanghai", "nanjing", "suzhou", "wuxi", "taiyuan", "beijing", "shijiazhuang", "xuzhou"]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-b{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def route_plan_line(rng: random.Random) -> Line:
    roll = rng.random()
    a, b = rng.sample(STATIONS, 2)
    if roll < 0.35:
        return (
            "INFO",
            f"[searchCheapestResult] Search Cheapest Result, startStation: {a}, endStation: {b}, travelDate: 2024-11-1{rng.randrange(3, 9)}",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"[searchQuickestResult] Search Quickest Result, startStation: {a}, endStation: {b}",
            (),
        )
    return "INFO", f"[searchMinStopStations] Get route ids, size: {rng.randrange(1, 6)}", ()


def travel_plan_line(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "INFO",
            f"[getByCheapest] Get Travel Plan By Cheapest, from {rng.choice(STATIONS)}, size: {rng.randrange(1, 9)}",
            (),
        )
    return (
        "INFO",
        f"[getByQuickest] Get Travel Plan By Quickest, from {rng.choice(STATIONS)}, size: {rng.randrange(1, 9)}",
        (),
    )


def travel_line(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "INFO",
            f"[queryByBatch] Query trips, tripId: {rng.choice(FAST)}, left tickets: {rng.randrange(0, 1500)}",
            (),
        )
    return (
        "INFO",
        f"[getTripAllDetailInfo] TripId: {rng.choice(FAST)}, travelDate: 2024-11-1{rng.randrange(3, 9)}",
        (),
    )


def basic_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[queryForTravel] Train type: {rng.choice(['GaoTieOne', 'DongCheOne', 'ZhiDa', 'TeKuai', 'KuaiSu'])}, route: {uuid(rng)}, price config found",
        (),
    )


def route_plan_failure(rng: random.Random) -> Line:
    a, b = rng.sample(STATIONS, 2)
    return (
        "ERROR",
        f"[searchQuickestResult] Search Quickest Result failed, startStation: {a}, endStation: {b}",
        tuple(
            java_trace(
                'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-travel2-service:16346/api/v1/travel2service/trips/left": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out',
                [
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
                    "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:602)",
                    "plan.service.RoutePlanServiceImpl.getTripFromNormalTrainTravelService(RoutePlanServiceImpl.java:312)",
                    "plan.service.RoutePlanServiceImpl.searchQuickestResult(RoutePlanServiceImpl.java:106)",
                    "plan.controller.RoutePlanController.getQuickestRoutes(RoutePlanController.java:44)",
                ],
                more=62,
            )
        ),
    )


def travel_plan_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"[getByQuickest] Get Travel Plan By Quickest failed: 500 Internal Server Error from http://ts-route-plan-service:14578/api/v1/routeplanservice/routePlan/quickestRoute, from {rng.choice(STATIONS)}",
        (),
    )


def gateway_failure(rng: random.Random) -> Line:
    return (
        "INFO",
        f'"POST /api/v1/travelplanservice/travelPlan/quickest HTTP/1.1" 504 {rng.randrange(160, 190)} "http://ts.example.cn/client_ticket_book.html" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {rng.uniform(59.9, 60.0):.3f}',
        (),
    )


def gateway_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/api/v1/travelservice/trips/left",
            "/api/v1/travelplanservice/travelPlan/cheapest",
            "/api/v1/travelplanservice/travelPlan/quickest",
            "/api/v1/orderservice/order/refresh",
            "/api/v1/stationservice/stations",
            "/client_ticket_book.html",
        ]
    )
    return (
        "INFO",
        f'"POST {path} HTTP/1.1" 200 {rng.randrange(300, 9000)} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {rng.lognormvariate(0, 0.5) * 0.08:.3f}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1129)
    fault_minute = FAULT / 60

    def spring(loggers: tuple[str, ...]) -> SpringBoot:
        return SpringBoot(loggers, rng=rng, zone=BEIJING)

    route_plan = LogFile(
        "logs/ts-route-plan-service.log", spring(("plan.service.RoutePlanServiceImpl",))
    )
    route_plan.add(traffic(rng, route_plan_line, START, MINUTES, 1800))
    route_plan.add(
        loud(rng, START, fault_minute + 1.2, MINUTES - fault_minute - 1.4, 190, route_plan_failure)
    )
    travel_plan = LogFile(
        "logs/ts-travel-plan-service.log", spring(("travelplan.service.TravelPlanServiceImpl",))
    )
    travel_plan.add(traffic(rng, travel_plan_line, START, MINUTES, 1500))
    travel_plan.add(
        loud(rng, START, fault_minute + 1.3, MINUTES - fault_minute - 1.5, 240, travel_plan_failure)
    )
    travel = LogFile("logs/ts-travel-service.log", spring(("travel.service.TravelServiceImpl",)))
    travel.add(traffic(rng, travel_line, START, MINUTES, 1700))
    travel.add(
        [
            at(
                START,
                2.4,
                "ERROR",
                "[getTripAllDetailInfo] Train type not found, tripId: G1237, trainTypeName: GaoTieTwo",
                java_trace(
                    "travel.exception.TravelNotFoundException: Train type not found: GaoTieTwo",
                    [
                        "travel.service.TravelServiceImpl.getTickets(TravelServiceImpl.java:402)",
                        "travel.service.TravelServiceImpl.getTripAllDetailInfo(TravelServiceImpl.java:351)",
                    ],
                    more=58,
                ),
            ),
        ]
    )
    basic = LogFile(
        "logs/ts-basic-service.log", spring(("fdse.microservice.service.BasicServiceImpl",))
    )
    basic.add(traffic(rng, basic_line, START, MINUTES, 1300))
    basic.add(
        [
            at(
                START,
                26.7,
                "WARN",
                "[queryForTravel] JVM pause detected: 1284ms (G1 Evacuation Pause, to-space exhausted)",
                logger="fdse.microservice.config.JvmPauseMonitor",
            )
        ]
    )
    gateway = LogFile("logs/ts-ui-dashboard-access.log", NginxAccess(rng=rng, zone=BEIJING))
    gateway.add(traffic(rng, gateway_line, START, MINUTES, 2600))
    gateway.add(
        loud(rng, START, fault_minute + 1.5, MINUTES - fault_minute - 1.6, 120, gateway_failure)
    )
    levels = {
        "ts-ui-dashboard": (0.139, 58, (0.0121, 0.0511), 39.4),
        "ts-travel-plan-service": (0.081, 488, (0.0915, 0.2410), 4.1),
        "ts-route-plan-service": (0.092, 501, (0.0711, 0.1902), 4.1),
        "ts-travel-service": (0.164, 553, (0.0352, 0.0981), 15.2),
        "ts-travel2-service": (0.087, 529, (0.0298, 0.0873), 9.7),
        "ts-basic-service": (0.121, 436, (0.0176, 0.0532), 24.9),
        "ts-ticketinfo-service": (0.067, 411, (0.0204, 0.0611), 24.7),
        "ts-seat-service": (0.098, 463, (0.0190, 0.0598), 18.1),
        "ts-station-service": (0.058, 392, (0.0031, 0.0102), 31.3),
        "ts-route-service": (0.049, 399, (0.0044, 0.0139), 12.6),
        "ts-order-other-service": (0.071, 512, (0.0088, 0.0279), 9.4),
    }
    services = {}
    for name, (cpu, memory, latency, workload) in levels.items():
        services[name] = usual_series(rng, cpu, memory, latency, workload)
    hog = services["ts-travel2-service"]
    hog["cpu"] = shift(rng, 0.087, 0.994, FAULT, 0.015, ramp=3)
    hog["latency-50"] = shift(rng, 0.0298, 0.7811, FAULT + 25, 0.15, ramp=20)
    hog["latency-90"] = shift(rng, 0.0873, 3.4420, FAULT + 25, 0.15, ramp=20)
    hog["workload"] = shift(rng, 9.7, 6.3, FAULT + 30, 0.1)
    services["ts-route-plan-service"]["latency-90"] = shift(rng, 0.1902, 5.9112, FAULT + 60, 0.15)
    services["ts-route-plan-service"]["cpu"] = shift(rng, 0.092, 0.231, FAULT + 70, 0.1)
    services["ts-travel-plan-service"]["latency-90"] = shift(rng, 0.2410, 6.3008, FAULT + 70, 0.15)
    services["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.0511, 1.9020, FAULT + 75, 0.2)
    services["ts-ticketinfo-service"]["workload"] = shift(rng, 24.7, 19.8, FAULT + 40, 0.08)
    files = {
        "metrics.csv": wide_csv(START, STEP, POINTS, services),
        "logs/ts-route-plan-service.log": route_plan.render(),
        "logs/ts-travel-plan-service.log": travel_plan.render(),
        "logs/ts-travel-service.log": travel.render(),
        "logs/ts-basic-service.log": basic.render(),
        "logs/ts-ui-dashboard-access.log": gateway.render(),
    }
    return Bundle(
        question="Travel plan searches (quickest route) return 504 since about 18:42 Beijing time. Which service is the root cause?",
        category="cpu",
        component="ts-travel2-service",
        statement="From 10:41:08 UTC (18:41:08 +08:00) a CPU hog saturates ts-travel2-service at its one-core limit; its latency climbs to seconds, so ts-route-plan-service's calls to it time out, ts-travel-plan-service fails quickest-route plans and the UI gateway answers 504.",
        files=files,
        proofs=[Proof("metrics.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2))],
        decoys=["Train type not found", "JVM pause detected", "Get Travel Plan By Quickest failed"],
    )
