# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 style: one wide CSV at 5 s, logs in +08:00): network delay
(tc netem, +600 ms) on ts-food-service's interface from 06:41:15 UTC. Its latency series jump;
its own log stays ordinary (its requests are served in normal time once they arrive).
ts-preserve-service, the caller, logs `Read timed out` on GET .../foodservice/foods/... and
order preservation fails; the dashboard's nginx answers 500 on /api/v1/preserveservice/preserve.
Decoys: ts-preserve-service's read timeouts, ts-seat-service's slow-query warning, and a
ts-order-service pod restart at 06:29."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxAccess, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2026, 1, 21, 6, 18, tzinfo=UTC)
MINUTES = 44
STEP = 5
FAULT = (23 * 60 + 15) // STEP
STATIONS = ["shanghai", "nanjing", "suzhou", "wuxi", "taiyuan", "beijing", "shijiazhuang"]


def trip(rng: random.Random) -> str:
    return rng.choice(["G", "D", "Z", "T", "K"]) + str(rng.randrange(1000, 1999))


def food_line(rng: random.Random) -> Line:
    roll = rng.random()
    day = f"2026-01-{rng.randrange(21, 28)}"
    if roll < 0.5:
        return (
            "INFO",
            f"[getAllFood][Get All Food][date: {day}, startStation: {rng.choice(STATIONS)}, endStation: {rng.choice(STATIONS)}, tripId: {trip(rng)}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[getAllFood][Get Food Request success][trainFoodList size: {rng.randrange(2, 7)}, stationFoodStore size: {rng.randrange(1, 5)}]",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"[createFoodOrder][Create Food Order][orderId: {rng.getrandbits(64):016x}]",
            (),
        )
    return (
        "WARN",
        f"[getAllFood][Get the Get Food Request Failed][Train Food List Empty, tripId: {trip(rng)}]",
        (),
    )


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"[preserve][Step 1] Check Security, accountId: {rng.getrandbits(128):032x}",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"[preserve][Step 4] Do Order, tripId: {trip(rng)}, seatType: {rng.choice([2, 3])}",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"[preserve][Step 5] Buy Food, foodType: {rng.choice([1, 2])}, price: {rng.choice(['5.0', '12.5', '3.2'])}",
            (),
        )
    return "INFO", f"[preserve][Success] order {rng.getrandbits(64):016x} created", ()


def preserve_timeout(rng: random.Random) -> Line:
    url = f"http://ts-food-service:18856/api/v1/foodservice/foods/2026-01-2{rng.randrange(1, 8)}/{rng.choice(STATIONS)}/{rng.choice(STATIONS)}/{trip(rng)}"
    return (
        "ERROR",
        f'[preserve][Step 5] get food failed: I/O error on GET request for "{url}": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out',
        tuple(
            java_trace(
                "org.springframework.web.client.ResourceAccessException: I/O error on GET request: Read timed out",
                [
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
                    "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:666)",
                    "preserve.service.PreserveServiceImpl.getFoodByTrip(PreserveServiceImpl.java:412)",
                    "preserve.service.PreserveServiceImpl.preserve(PreserveServiceImpl.java:173)",
                ],
                more=61,
            )
        ),
    )


def dash_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/api/v1/travelservice/trips/left",
            "/api/v1/preserveservice/preserve",
            "/api/v1/orderservice/order/refresh",
            "/api/v1/foodservice/foods/2026-01-22/shanghai/suzhou/G1234",
            "/api/v1/users/login",
        ]
    )
    method = "POST" if "preserve" in path or "login" in path or "refresh" in path else "GET"
    return (
        "INFO",
        f'"{method} {path} HTTP/1.1" 200 {rng.randrange(200, 6000)} "-" "python-requests/2.31" {rng.randrange(8, 160) / 1000:.3f}',
        (),
    )


def dash_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'"POST /api/v1/preserveservice/preserve HTTP/1.1" 500 {rng.randrange(150, 260)} "-" "python-requests/2.31" {rng.uniform(5.9, 6.4):.3f}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(26701)
    food = LogFile(
        "logs/ts-food-service.log",
        SpringBoot(
            ("food.service.FoodServiceImpl", "food.controller.FoodController"),
            pid=1,
            rng=rng,
            zone=CST,
        ),
    )
    food.add(traffic(rng, food_line, START, MINUTES, 1900))
    preserve = LogFile(
        "logs/ts-preserve-service.log",
        SpringBoot(("preserve.service.PreserveServiceImpl",), pid=1, rng=rng, zone=CST),
    )
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 2300))
    preserve.add(loud(rng, START, 23.5, MINUTES - 23.6, 260, preserve_timeout))
    preserve.add(
        [
            at(
                START,
                9.2,
                "WARN",
                "[preserve][Step 3] get seat slow: ts-seat-service answered in 1874 ms (tripId: G1402)",
            )
        ]
    )
    seat = LogFile(
        "logs/ts-seat-service.log",
        SpringBoot(("seat.service.SeatServiceImpl",), pid=1, rng=rng, zone=CST),
    )
    seat.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[distributeSeat][Distribute seat][tripId: {trip(r)}, seatType: {r.choice([2, 3])}, seatNo: {r.randrange(1, 1200)}]",
                (),
            ),
            START,
            MINUTES,
            1200,
        )
    )
    seat.add(
        [
            at(
                START,
                9.15,
                "WARN",
                "[getLeftTicketOfInterval] slow query on ts-order-mysql: 1791 ms for SELECT ... FROM orders WHERE train_number=? AND travel_date=?",
                logger="seat.service.SeatServiceImpl",
            )
        ]
    )
    order = LogFile(
        "logs/ts-order-service.log",
        SpringBoot(("order.service.OrderServiceImpl",), pid=1, rng=rng, zone=CST),
    )
    order.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[create][Create Order][orderId: {r.getrandbits(64):016x}, tripId: {trip(r)}]",
                (),
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
                11.0,
                "INFO",
                "Started OrderApplication in 38.117 seconds (JVM running for 41.902)",
                logger="order.OrderApplication",
            )
        ]
    )
    dash = LogFile("logs/ts-ui-dashboard.log", NginxAccess(rng=rng, zone=CST))
    dash.add(traffic(rng, dash_line, START, MINUTES, 3400))
    dash.add(loud(rng, START, 23.6, MINUTES - 23.7, 190, dash_error))
    levels = {
        "ts-ui-dashboard": (0.21, 118.0, (0.031, 0.094), 44.0),
        "ts-preserve-service": (0.12, 612.0, (0.118, 0.262), 5.1),
        "ts-food-service": (0.06, 488.0, (0.021, 0.058), 9.8),
        "ts-station-food-service": (0.03, 402.0, (0.008, 0.019), 9.8),
        "ts-train-food-service": (0.03, 395.0, (0.007, 0.018), 9.8),
        "ts-travel-service": (0.15, 590.0, (0.061, 0.143), 21.5),
        "ts-order-service": (0.09, 571.0, (0.024, 0.071), 12.2),
        "ts-seat-service": (0.08, 530.0, (0.041, 0.118), 14.7),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    f = services["ts-food-service"]
    f["latency-50"] = shift(rng, 0.021, 0.624, FAULT, 0.04)
    f["latency-90"] = shift(rng, 0.058, 1.281, FAULT, 0.08)
    f["workload"] = shift(rng, 9.8, 7.4, FAULT + 1, 0.06)
    p = services["ts-preserve-service"]
    p["latency-50"] = shift(rng, 0.118, 2.91, FAULT + 2, 0.1)
    p["latency-90"] = shift(rng, 0.262, 6.02, FAULT + 2, 0.03)
    services["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.094, 6.11, FAULT + 2, 0.04)
    points = MINUTES * 60 // STEP
    return Bundle(
        question="Ticket booking (preserve) has been failing with 500s since about 14:41 Beijing time. What is the root cause and where?",
        category="network",
        component="ts-food-service",
        statement="From 06:41:15 UTC (14:41:15 +08:00) a network delay of about 600 ms is injected on ts-food-service; its latency series jump while its own log stays normal, so ts-preserve-service's food lookups hit read timeouts and preserve requests fail with 500 at the dashboard.",
        files={
            "metrics/data.csv": wide_csv(START, STEP, points, services),
            "logs/ts-food-service.log": food.render(),
            "logs/ts-preserve-service.log": preserve.render(),
            "logs/ts-seat-service.log": seat.render(),
            "logs/ts-order-service.log": order.render(),
            "logs/ts-ui-dashboard.log": dash.render(),
        },
        proofs=[Proof("metrics/data.csv", stamp(START, STEP, FAULT))],
        decoys=[
            "Read timed out",
            "slow query on ts-order-mysql",
            "Started OrderApplication in 38.117 seconds",
        ],
    )
