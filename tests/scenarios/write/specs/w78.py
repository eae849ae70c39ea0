# ruff: noqa: E501
# Hand-written log lines, stack frames and series definitions are data, kept whole on one line.
"""A code change in ts-basic-service's travel query dereferences the price config on the wrong
branch, so every query for a ZhiDa or KuaiSu train throws a NullPointerException; the callers
ts-travel-service and ts-travel2-service log each 500 loudly and the dashboard answers 500."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import NginxAccess, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2024, 7, 3, 10, 20, tzinfo=UTC)
STEP = 1
POINTS = 40 * 60
FAULT_MINUTE = 21 + 7 / 60
STATIONS = [
    "shanghai",
    "beijing",
    "nanjing",
    "suzhou",
    "taiyuan",
    "shijiazhuang",
    "wuxi",
    "hangzhou",
    "jinan",
    "xuzhou",
    "zhenjiang",
]
FAST = ["G1234", "G1235", "G1236", "D1345", "D1346"]
SLOW = ["Z1234", "Z1235", "Z1236", "T1235", "K1345"]
NPE_FRAMES = [
    "\tat fdse.microservice.service.BasicServiceImpl.queryForTravel(BasicServiceImpl.java:87)",
    "\tat fdse.microservice.controller.BasicController.queryForTravel(BasicController.java:39)",
    "\tat sun.reflect.GeneratedMethodAccessor143.invoke(Unknown Source)",
    "\tat sun.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)",
    "\tat java.lang.reflect.Method.invoke(Method.java:498)",
    "\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:205)",
    "\tat org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:117)",
    "\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:967)",
    "\tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:166)",
]
SERVLET = "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException] with root cause"


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def trip(rng: random.Random) -> str:
    start, end = rng.sample(STATIONS, 2)
    return f"{rng.choice(FAST + SLOW)}, from {start} to {end}"


def basic_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return "INFO", f"[queryForTravel][Query for travel][Travel: TripId {trip(rng)}]", ()
    if roll < 0.6:
        return (
            "INFO",
            f"[queryForStationId][Query for station id][stationName: {rng.choice(STATIONS)}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[queryForTravel][Price config][routeId: {uuid(rng)}, basicPriceRate: 0.{rng.randrange(30, 80)}, firstClassPriceRate: 1.0]",
            (),
        )
    return (
        "INFO",
        f"[queryTrainTypeByName][Query train type][trainTypeName: {rng.choice(['GaoTieOne', 'GaoTieTwo', 'DongCheOne', 'ZhiDa', 'TeKuai', 'KuaiSu'])}]",
        (),
    )


def travel_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        start, end = rng.sample(STATIONS, 2)
        return (
            "INFO",
            f"[query][Query trips][start: {start}, end: {end}, date: 2024-07-0{rng.randrange(3, 9)}]",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"[getTripAllDetailInfo][Get trip detail][tripId: {rng.choice(FAST + SLOW)}]",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"[getRestTicketNumber][Seat request][trip: {rng.choice(FAST + SLOW)}, seatType: {rng.choice([2, 3])}, rest: {rng.randrange(1, 1100)}]",
            (),
        )
    return "INFO", f"[retrieve][Retrieve trip][tripId: {rng.choice(FAST + SLOW)}]", ()


def route_line(rng: random.Random) -> Line:
    start, end = rng.sample(STATIONS, 2)
    if rng.random() < 0.7:
        return "INFO", f"[getRouteById][Get route by id][RouteId: {uuid(rng)}]", ()
    return "INFO", f"[getRouteByStartAndEnd][Get route][start: {start}, end: {end}]", ()


def price_line(rng: random.Random) -> Line:
    if rng.random() < 0.8:
        return (
            "INFO",
            f"[findByRouteIdAndTrainType][Find price config][routeId: {uuid(rng)}, trainType: {rng.choice(['GaoTieOne', 'DongCheOne', 'ZhiDa', 'KuaiSu'])}]",
            (),
        )
    return "INFO", "[findAllPriceConfig][Find all price config]", ()


def dashboard_line(rng: random.Random) -> Line:
    path, method = rng.choice(
        [
            ("/api/v1/travelservice/trips/left", "POST"),
            ("/api/v1/travel2service/trips/left", "POST"),
            ("/api/v1/travelservice/trips/left", "POST"),
            ("/api/v1/orderservice/order/refresh", "POST"),
            ("/api/v1/stationservice/stations", "GET"),
            ("/api/v1/users/login", "POST"),
            ("/api/v1/contactservice/contacts/account/" + uuid(rng), "GET"),
            ("/api/v1/foodservice/foods/2024-07-04/shanghai/suzhou/D1345", "GET"),
            ("/index.html", "GET"),
        ]
    )
    took = rng.lognormvariate(0, 0.5) * 0.08
    return (
        "INFO",
        f'"{method} {path} HTTP/1.1" 200 {rng.randrange(200, 9000)} "http://ts.example.net/client_ticket_book.html" "Mozilla/5.0 (X11; Linux x86_64)" {took:.3f}',
        (),
    )


def caller_error(service: str) -> str:
    return f'[getTripAllDetailInfo][Ts-basic-service response error][{service} query travel] 500 : [{{"timestamp":"2024-07-03T10:41:58.219+0000","status":500,"error":"Internal Server Error","message":"No message available","path":"/api/v1/basicservice/basic/travel"}}]'


def bundle() -> Bundle:
    rng = random.Random(178)
    basic = LogFile(
        "logs/ts-basic-service.log",
        SpringBoot(("fdse.microservice.service.BasicServiceImpl",), pid=1, rng=rng),
    )
    basic.add(traffic(rng, basic_line, START, 40, 2600))
    basic.add(
        [
            at(
                START,
                FAULT_MINUTE,
                "INFO",
                "[queryForTravel][Query for travel][Travel: TripId Z1235, from shanghai to taiyuan, trainType ZhiDa]",
            ),
            at(
                START,
                FAULT_MINUTE + 0.01,
                "ERROR",
                SERVLET,
                ["java.lang.NullPointerException: null", *NPE_FRAMES],
                "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
        ]
    )
    basic.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 0.3,
            18.5,
            118,
            fixed(
                "ERROR",
                lambda r: SERVLET,
                lambda r: ["java.lang.NullPointerException: null", *NPE_FRAMES],
            ),
        )
    )
    travel = LogFile(
        "logs/ts-travel-service.log",
        SpringBoot(
            ("travel.service.TravelServiceImpl", "travel.controller.TravelController"), rng=rng
        ),
    )
    travel.add(traffic(rng, travel_line, START, 40, 2900))
    travel.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 0.1,
            18.7,
            402,
            fixed("ERROR", lambda r: caller_error("ts-travel-service")),
        )
    )
    travel.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 0.1,
            18.7,
            210,
            fixed(
                "WARN",
                lambda r: (
                    f"[query][Query trips][Trip {r.choice(SLOW)} skipped: basic information unavailable, returning partial result]"
                ),
            ),
        )
    )
    travel2 = LogFile(
        "logs/ts-travel2-service.log",
        SpringBoot(
            ("travel2.service.TravelServiceImpl", "travel2.controller.Travel2Controller"), rng=rng
        ),
    )
    travel2.add(traffic(rng, travel_line, START, 40, 1700))
    travel2.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 0.2,
            18.6,
            251,
            fixed("ERROR", lambda r: caller_error("ts-travel2-service")),
        )
    )
    route = LogFile(
        "logs/ts-route-service.log", SpringBoot(("route.service.RouteServiceImpl",), rng=rng)
    )
    route.add(traffic(rng, route_line, START, 40, 1500))
    price = LogFile(
        "logs/ts-price-service.log", SpringBoot(("price.service.PriceServiceImpl",), rng=rng)
    )
    price.add(traffic(rng, price_line, START, 40, 1300))
    dashboard = LogFile("logs/ts-ui-dashboard.log", NginxAccess(rng=rng))
    dashboard.add(traffic(rng, dashboard_line, START, 40, 3400))
    dashboard.add(
        loud(
            rng,
            START,
            FAULT_MINUTE + 0.1,
            18.7,
            371,
            fixed(
                "ERROR",
                lambda r: (
                    f'"POST /api/v1/{r.choice(["travelservice", "travel2service"])}/trips/left HTTP/1.1" 500 {r.randrange(180, 260)} "http://ts.example.net/client_ticket_book.html" "Mozilla/5.0 (X11; Linux x86_64)" {r.random() * 0.4 + 0.1:.3f}'
                ),
            ),
        )
    )
    fault = int(FAULT_MINUTE * 60)
    services = {
        name: usual_series(rng, cpu, memory, latency, workload)
        for name, cpu, memory, latency, workload in [
            ("ts-basic-service", 0.142, 682, (0.0121, 0.0382), 41.7),
            ("ts-price-service", 0.061, 598, (0.0043, 0.0117), 40.9),
            ("ts-route-service", 0.083, 611, (0.0052, 0.0164), 44.2),
            ("ts-station-service", 0.097, 623, (0.0031, 0.0098), 66.3),
            ("ts-train-service", 0.052, 577, (0.0029, 0.0087), 40.1),
            ("ts-travel-service", 0.188, 731, (0.0814, 0.2417), 12.2),
            ("ts-travel2-service", 0.114, 702, (0.0779, 0.2206), 7.9),
            ("ts-ui-dashboard", 0.021, 38, (0.0912, 0.3105), 24.6),
        ]
    }
    services["ts-basic-service"]["latency-50"] = shift(rng, 0.0121, 0.0109, fault, 0.08)
    services["ts-travel-service"]["latency-90"] = shift(rng, 0.2417, 0.2104, fault + 2, 0.12)
    services["ts-ui-dashboard"]["latency-50"] = shift(rng, 0.0912, 0.0801, fault + 2, 0.08)
    services["ts-basic-service"]["cpu"] = shift(rng, 0.142, 0.171, fault + 1, 0.07, ramp=20)
    return Bundle(
        question="Users report 'search failed' on the ticket booking page since about 10:41 UTC, mostly for Z/T/K trains. What is broken?",
        category="code_error",
        component="ts-basic-service",
        statement="ts-basic-service's travel query throws a NullPointerException at BasicServiceImpl.queryForTravel line 87 for ZhiDa and KuaiSu trains from 10:41:07 UTC, and ts-travel-service and ts-travel2-service pass its 500s on to the dashboard.",
        files={
            "metrics.csv": wide_csv(START, STEP, POINTS, services),
            "logs/ts-ui-dashboard.log": dashboard.render(),
            "logs/ts-travel-service.log": travel.render(),
            "logs/ts-travel2-service.log": travel2.render(),
            "logs/ts-basic-service.log": basic.render(),
            "logs/ts-route-service.log": route.render(),
            "logs/ts-price-service.log": price.render(),
        },
        proofs=[
            Proof(
                "logs/ts-basic-service.log",
                "TripId Z1235, from shanghai to taiyuan, trainType ZhiDa",
                "BasicServiceImpl.queryForTravel(BasicServiceImpl.java:87)",
            )
        ],
        decoys=[
            "Ts-basic-service response error",
            "skipped: basic information unavailable",
            '/trips/left HTTP/1.1" 500',
        ],
    )
