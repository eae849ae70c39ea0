# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 style: a wide CSV at 5 s with a `sockets` series, three logs in
UTC): socket exhaustion in ts-route-plan-service from 17:48:30 UTC (a sidecar-less stress
opening and holding sockets). Its `sockets` series climbs into the tens of thousands and its
outbound connects start failing with `java.net.NoRouteToHostException: Cannot assign
requested address (Address not available)`, logged a handful of times among its normal
lines; its CPU and memory barely move. ts-travel-plan-service, its caller, logs pages of 500s
from POST http://ts-route-plan-service:14578/... and the dashboard's nginx answers 500 on
/api/v1/travelplanservice/travelPlan/*: the loudest errors one and two hops away. Decoys:
ts-travel-plan-service's stack traces, its own restart at 17:31 (a config reload), and
ts-ui-dashboard's 499s from clients that gave up."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxAccess, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 7, 15, 17, 25, tzinfo=UTC)
MINUTES = 42
STEP = 5
FAULT = (23 * 60 + 30) // STEP
PLACES = [
    "Shang Hai",
    "Nan Jing",
    "Su Zhou",
    "Wu Xi",
    "Tai Yuan",
    "Bei Jing",
    "Shi Jia Zhuang",
    "Xu Zhou",
    "Jia Xing Nan",
]


def plan_line(rng: random.Random) -> Line:
    a, b = rng.sample(PLACES, 2)
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"[searchCheapestResult][Search Cheapest Result][start: {a}, end: {b}, num: {rng.randrange(1, 6)}]",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"[searchQuickestResult][Search Quickest Result][start: {a}, end: {b}, num: {rng.randrange(1, 6)}]",
            (),
        )
    return (
        "INFO",
        f"[searchMinStopStations][Search Min Stop Stations][start: {a}, end: {b}, route size: {rng.randrange(1, 9)}]",
        (),
    )


def plan_bind(rng: random.Random) -> Line:
    target = rng.choice(
        [
            "ts-travel2-service:16346/api/v1/travel2service/trips/left",
            "ts-route-service:11178/api/v1/routeservice/routes/byIds",
        ]
    )
    return (
        "ERROR",
        f'[{"getTripFromNormalTrainTravelService" if "travel2" in target else "getRouteByIds"}][I/O error on POST request for "http://{target}": Cannot assign requested address (Address not available); nested exception is java.net.NoRouteToHostException: Cannot assign requested address (Address not available)]',
        (),
    )


def travelplan_line(rng: random.Random) -> Line:
    a, b = rng.sample(PLACES, 2)
    return (
        "INFO",
        f"[getByCheapest][Search Cheapest][start: {a}, end: {b}, transfer: {rng.choice(['', 'Nan Jing', 'Xu Zhou'])}]",
        (),
    )


def travelplan_error(rng: random.Random) -> Line:
    op = rng.choice(["cheapestRoute", "quickestRoute", "minStopStations"])
    return (
        "ERROR",
        f'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 : [{{"timestamp":"2025-07-15T17:{rng.randrange(49, 59)}:{rng.randrange(10, 59)}.{rng.randrange(100, 999)}+00:00","status":500,"error":"Internal Server Error","path":"/api/v1/routeplanservice/routePlan/{op}"}}]] with root cause',
        tuple(
            java_trace(
                'org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 : [{"status":500,"error":"Internal Server Error"}]',
                [
                    "org.springframework.web.client.HttpServerErrorException.create(HttpServerErrorException.java:100)",
                    "org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:188)",
                    "org.springframework.web.client.RestTemplate.handleResponse(RestTemplate.java:819)",
                    "travelplan.service.TravelPlanServiceImpl.getRoutePlanResultCheapest(TravelPlanServiceImpl.java:214)",
                    "travelplan.service.TravelPlanServiceImpl.getCheapest(TravelPlanServiceImpl.java:58)",
                ],
                more=97,
            )
        ),
    )


def dashboard_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/api/v1/travelservice/trips/left",
            "/api/v1/travel2service/trips/left",
            "/api/v1/stationservice/stations",
            "/api/v1/users/login",
            "/client_ticket_book.html",
            "/api/v1/orderservice/order/refresh",
            "/api/v1/travelplanservice/travelPlan/cheapest",
        ]
    )
    method = "GET" if path.endswith(".html") or path.endswith("stations") else "POST"
    return (
        "INFO",
        f'"{method} {path} HTTP/1.1" 200 {rng.randrange(180, 9000)} "http://train-ticket.staging.local/client_travel_plan.html" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"',
        (),
    )


def dashboard_error(rng: random.Random) -> Line:
    op = rng.choice(["cheapest", "quickest", "minStation"])
    status = 499 if rng.random() < 0.18 else 500
    return (
        "ERROR",
        f'"POST /api/v1/travelplanservice/travelPlan/{op} HTTP/1.1" {status} {0 if status == 499 else 230} "http://train-ticket.staging.local/client_travel_plan.html" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20252)
    plan = LogFile(
        "logs/ts-route-plan-service.log",
        SpringBoot(("plan.service.RoutePlanServiceImpl",), rng=rng),
    )
    plan.add(traffic(rng, plan_line, START, 23.7, 1400))
    plan.add(traffic(rng, plan_line, START.replace(minute=48, second=45), MINUTES - 23.75, 260))
    plan.add(
        [
            at(
                START,
                23.82,
                "ERROR",
                '[getTripFromHighSpeedTravelServive][I/O error on POST request for "http://ts-travel-service:12346/api/v1/travelservice/trips/left": Cannot assign requested address (Address not available); nested exception is java.net.NoRouteToHostException: Cannot assign requested address (Address not available)] first',
                logger="plan.service.RoutePlanServiceImpl",
            )
        ]
    )
    plan.add(loud(rng, START, 24.0, MINUTES - 24.2, 14, plan_bind))
    travelplan = LogFile(
        "logs/ts-travel-plan-service.log",
        SpringBoot(
            (
                "travelplan.service.TravelPlanServiceImpl",
                "travelplan.controller.TravelPlanController",
            ),
            rng=rng,
        ),
    )
    travelplan.add(traffic(rng, travelplan_line, START, MINUTES, 1500))
    travelplan.add(
        [
            at(
                START,
                5.8,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            ),
            at(
                START,
                6.5,
                "INFO",
                "Started TravelPlanApplication in 27.904 seconds (JVM running for 30.117)",
                logger="travelplan.TravelPlanApplication",
            ),
        ]
    )
    travelplan.add(loud(rng, START, 23.9, MINUTES - 24.0, 300, travelplan_error))
    dash = LogFile("logs/ts-ui-dashboard-access.log", NginxAccess(rng=rng))
    dash.add(traffic(rng, dashboard_line, START, MINUTES, 4800))
    dash.add(loud(rng, START, 23.95, MINUTES - 24.0, 320, dashboard_error))
    levels = {
        "ts-ui-dashboard": (0.152, 57.9, (0.0133, 0.0597), 38.8),
        "ts-travel-plan-service": (0.094, 598.1, (0.0911, 0.2430), 4.1),
        "ts-route-plan-service": (0.088, 601.7, (0.0722, 0.1964), 4.1),
        "ts-travel-service": (0.236, 701.3, (0.0349, 0.0988), 16.2),
        "ts-travel2-service": (0.181, 688.0, (0.0397, 0.1119), 8.4),
        "ts-route-service": (0.091, 597.6, (0.0070, 0.0199), 27.5),
        "ts-station-service": (0.119, 606.5, (0.0059, 0.0171), 36.1),
        "ts-order-service": (0.219, 729.9, (0.0168, 0.0575), 14.8),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    for name, value in levels.items():
        services[name]["sockets"] = shift(rng, 80 + value[3] * 3, 80 + value[3] * 3, 0, 0.05)
    rp = services["ts-route-plan-service"]
    rp["sockets"] = shift(rng, 92.0, 28180.0, FAULT, 0.01, ramp=3)
    rp["latency-50"] = shift(rng, 0.0722, 0.0081, FAULT + 3, 0.1)
    tp = services["ts-travel-plan-service"]
    tp["latency-90"] = shift(rng, 0.2430, 0.0395, FAULT + 3, 0.1)
    files = {
        "metrics.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "logs/ts-ui-dashboard-access.log": dash.render(),
        "logs/ts-travel-plan-service.log": travelplan.render(),
        "logs/ts-route-plan-service.log": plan.render(),
    }
    return Bundle(
        question="Travel plan searches (cheapest, quickest, fewest stops) have returned 500 since about 17:49 UTC. Which service is the root cause?",
        category="network",
        component="ts-route-plan-service",
        statement="From 17:48:30 UTC ts-route-plan-service's sockets climb to ~28,000 and its outbound connects fail with `java.net.NoRouteToHostException: Cannot assign requested address`; ts-travel-plan-service gets 500 from it and the dashboard answers 500 on every travel plan search.",
        files=files,
        proofs=[
            Proof(
                "logs/ts-route-plan-service.log",
                "ts-travel-service:12346/api/v1/travelservice/trips/left",
            ),
            Proof("metrics.csv", stamp(START, STEP, FAULT + 1)),
        ],
        decoys=[
            "HttpServerErrorException$InternalServerError",
            "Started TravelPlanApplication",
            '" 499 0 "',
        ],
    )
