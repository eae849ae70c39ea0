# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one CSV per service): 35% packet loss injected on
ts-order-service at 14:32:23 Beijing time. Its own log stays quiet; its latency-90 jumps and its
workload sags while its CPU drops. The loud part is upstream: ts-preserve-service fails bookings
because ts-security-service answers 500, and ts-seat-service logs connection resets; a stale
ts-food-service NullPointerException and slow logins in ts-auth-service are unrelated."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 7, 9, 6, 20, tzinfo=UTC)
BEIJING = timezone(timedelta(hours=8))
STEP = 1
POINTS = 30 * 60
FAULT = 12 * 60 + 23
MINUTES = 30
TRIPS = ["G1234", "G1235", "D1345", "Z1234", "K1235", "G1236", "T1235"]
STATIONS = ["shanghai", "beijing", "nanjing", "suzhou", "taiyuan", "shijiazhuang"]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-9{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    order = uuid(rng)
    if roll < 0.3:
        return "INFO", f"[Preserve] [Step 1] Check Security Complete, OrderId: {order}", ()
    if roll < 0.55:
        return "INFO", f"[Preserve] [Step 2] Find contacts Complete, contactsId: {uuid(rng)}", ()
    if roll < 0.8:
        return (
            "INFO",
            f"[Preserve] [Step 3] Tripid: {rng.choice(TRIPS)}, seat class: {rng.choice([2, 3])}, from {rng.choice(STATIONS)} to {rng.choice(STATIONS)}",
            (),
        )
    return "INFO", f"[Preserve] [Step 4] Do Order Complete, OrderId: {order}", ()


def security_line(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "INFO",
            f"[Check] Security check passed, accountId: {uuid(rng)}, orderNumInLastOneHour: {rng.randrange(0, 3)}, orderNumOfValidOrder: {rng.randrange(0, 6)}",
            (),
        )
    return "INFO", f"[Find All Security Config] size: {rng.randrange(2, 4)}", ()


def seat_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[Distribute Seat] TravelDate: 2024-07-1{rng.randrange(0, 9)}, TrainNumber: {rng.choice(TRIPS)}, SeatType: {rng.choice([2, 3])}, SoldTickets: {rng.randrange(0, 300)}",
            (),
        )
    return (
        "INFO",
        f"[Get Left Ticket of Interval] TrainNumber: {rng.choice(TRIPS)}, left: {rng.randrange(0, 1200)}",
        (),
    )


def order_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f"[Get Sold Tickets] TravelDate: 2024-07-1{rng.randrange(0, 9)}, TrainNumber: {rng.choice(TRIPS)}, size: {rng.randrange(0, 400)}",
            (),
        )
    if roll < 0.6:
        return "INFO", f"[Create Order] Success, OrderId: {uuid(rng)}", ()
    if roll < 0.85:
        return (
            "INFO",
            f"[Check Security About Order] accountId: {uuid(rng)}, orderNum: {rng.randrange(0, 5)}",
            (),
        )
    return (
        "INFO",
        f"[Query Orders For Refresh] accountId: {uuid(rng)}, size: {rng.randrange(0, 12)}",
        (),
    )


def auth_line(rng: random.Random) -> Line:
    if rng.random() < 0.85:
        return "INFO", f"[Login] User fdse_{rng.randrange(1, 900)} login success, token issued", ()
    return (
        "WARN",
        f"[Login] BCrypt verification took {rng.randrange(900, 1600)} ms for fdse_{rng.randrange(1, 900)}",
        (),
    )


def food_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[Get All Food] TripId: {rng.choice(TRIPS)}, foodStoreListMap size: {rng.randrange(1, 5)}",
        (),
    )


def security_failure(rng: random.Random) -> Line:
    account = uuid(rng)
    return (
        "ERROR",
        f"[Check] Get order num info failed, accountId: {account}",
        tuple(
            java_trace(
                'org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://ts-order-service:12031/api/v1/orderservice/order/security/2024-07-09/'
                + account
                + '": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out',
                [
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
                    "org.springframework.web.client.RestTemplate.execute(RestTemplate.java:711)",
                    "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:602)",
                    "security.service.SecurityServiceImpl.getSecurityOrderInfoFromOrder(SecurityServiceImpl.java:156)",
                    "security.service.SecurityServiceImpl.check(SecurityServiceImpl.java:118)",
                ],
                more=58,
            )
        ),
    )


def preserve_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"[Preserve] [Step 1] Check Security Fail, OrderId: {uuid(rng)}, msg: 500 Internal Server Error from http://ts-security-service:11188/api/v1/securityservice/securityConfigs/{uuid(rng)}",
        (),
    )


def seat_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[Distribute Seat] get sold tickets failed, TrainNumber: {rng.choice(TRIPS)}: I/O error on POST request for "http://ts-order-service:12031/api/v1/orderservice/order/tickets": Connection reset; nested exception is java.net.SocketException: Connection reset',
        (),
    )


def spring(loggers: tuple[str, ...], rng: random.Random) -> SpringBoot:
    return SpringBoot(loggers, rng=rng, zone=BEIJING)


def bundle() -> Bundle:
    rng = random.Random(1117)
    fault_minute = FAULT / 60
    preserve = LogFile(
        "logs/ts-preserve-service.log",
        spring(
            ("preserve.service.PreserveServiceImpl", "preserve.controller.PreserveController"), rng
        ),
    )
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 1900))
    preserve.add(loud(rng, START, fault_minute + 0.4, 17.2, 260, preserve_failure))
    security = LogFile(
        "logs/ts-security-service.log", spring(("security.service.SecurityServiceImpl",), rng)
    )
    security.add(traffic(rng, security_line, START, MINUTES, 900))
    security.add(loud(rng, START, fault_minute + 0.3, 17.3, 140, security_failure))
    seat = LogFile("logs/ts-seat-service.log", spring(("seat.service.SeatServiceImpl",), rng))
    seat.add(traffic(rng, seat_line, START, MINUTES, 1600))
    seat.add(loud(rng, START, fault_minute + 0.2, 17.5, 110, seat_failure))
    order = LogFile(
        "logs/ts-order-service.log",
        spring(("order.service.OrderServiceImpl", "order.controller.OrderController"), rng),
    )
    order.add(traffic(rng, order_line, START, fault_minute, 1100))
    order.add(
        traffic(
            rng, order_line, START + timedelta(minutes=fault_minute), MINUTES - fault_minute, 520
        )
    )
    auth = LogFile(
        "logs/ts-auth-service.log",
        spring(("auth.service.impl.UserServiceImpl", "auth.security.jwt.JWTProvider"), rng),
    )
    auth.add(traffic(rng, auth_line, START, MINUTES, 700))
    auth.add(
        loud(
            rng,
            START,
            20.5,
            4.0,
            45,
            fixed(
                "WARN",
                lambda r: (
                    f"[Login] BCrypt verification took {r.randrange(1700, 3200)} ms for fdse_{r.randrange(1, 900)}"
                ),
            ),
        )
    )
    food = LogFile("logs/ts-food-service.log", spring(("foodsearch.service.FoodServiceImpl",), rng))
    food.add(traffic(rng, food_line, START, MINUTES, 600))
    food.add(
        [
            at(
                START,
                3.1,
                "ERROR",
                '[Get All Food] Get the Get Food Request Failed! tripId: Z1234, cause: java.lang.NullPointerException: Cannot invoke "foodsearch.entity.TrainFood.getFoodList()" because "trainFood" is null',
                java_trace(
                    'java.lang.NullPointerException: Cannot invoke "foodsearch.entity.TrainFood.getFoodList()" because "trainFood" is null',
                    [
                        "foodsearch.service.FoodServiceImpl.getAllFood(FoodServiceImpl.java:204)",
                        "foodsearch.controller.FoodController.getAllFood(FoodController.java:41)",
                    ],
                    more=71,
                ),
            )
        ]
    )
    levels = {
        "ts-ui-dashboard": (0.151, 61, (0.0112, 0.0483), 41.2),
        "ts-preserve-service": (0.094, 512, (0.0812, 0.2231), 3.1),
        "ts-security-service": (0.041, 431, (0.0139, 0.0382), 3.1),
        "ts-order-service": (0.118, 598, (0.0087, 0.0291), 14.6),
        "ts-seat-service": (0.103, 455, (0.0211, 0.0634), 9.8),
        "ts-travel-service": (0.176, 540, (0.0398, 0.1113), 12.4),
        "ts-auth-service": (0.088, 476, (0.0921, 0.1904), 2.4),
        "ts-food-service": (0.037, 402, (0.0142, 0.0377), 1.9),
        "ts-station-service": (0.061, 389, (0.0034, 0.0109), 22.7),
        "ts-basic-service": (0.072, 421, (0.0188, 0.0571), 12.9),
    }
    services = {}
    for name, (cpu, memory, latency, workload) in levels.items():
        services[name] = usual_series(rng, cpu, memory, latency, workload)
    order_series = services["ts-order-service"]
    order_series["latency-50"] = shift(rng, 0.0087, 0.0321, FAULT, 0.15)
    order_series["latency-90"] = shift(rng, 0.0291, 1.0834, FAULT, 0.18)
    order_series["workload"] = shift(rng, 14.6, 9.2, FAULT, 0.08)
    order_series["cpu"] = shift(rng, 0.118, 0.079, FAULT, 0.08)
    services["ts-security-service"]["latency-90"] = shift(rng, 0.0382, 0.9113, FAULT + 6, 0.2)
    services["ts-seat-service"]["latency-90"] = shift(rng, 0.0634, 0.8420, FAULT + 4, 0.2)
    services["ts-preserve-service"]["latency-90"] = shift(rng, 0.2231, 1.7460, FAULT + 8, 0.2)
    services["ts-preserve-service"]["workload"] = shift(rng, 3.1, 2.2, FAULT + 8, 0.1)
    services["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.0483, 0.6120, FAULT + 9, 0.2)
    services["ts-auth-service"]["cpu"] = shift(rng, 0.088, 0.241, int(20.5 * 60), 0.1)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, series, 4)
        for name, series in services.items()
    }
    files |= {
        "logs/ts-preserve-service.log": preserve.render(),
        "logs/ts-security-service.log": security.render(),
        "logs/ts-seat-service.log": seat.render(),
        "logs/ts-order-service.log": order.render(),
        "logs/ts-auth-service.log": auth.render(),
        "logs/ts-food-service.log": food.render(),
    }
    return Bundle(
        question="Ticket booking (preserve) has been failing intermittently since about 14:32 Beijing time and seat queries are slow. Which service is the root cause?",
        category="network",
        component="ts-order-service",
        statement="From 06:32:23 UTC (14:32:23 +08:00) ts-order-service suffers packet loss: its p90 latency jumps from about 30 ms to over a second and its throughput drops while its CPU falls and its log stays clean, so ts-security-service's and ts-seat-service's calls to it time out or reset and ts-preserve-service fails bookings in cascade.",
        files=files,
        proofs=[
            Proof(
                "metrics/ts-order-service.csv",
                stamp(START, STEP, FAULT),
                stamp(START, STEP, FAULT + 2),
            ),
        ],
        decoys=[
            "Check Security Fail",
            "BCrypt verification took",
            'because "trainFood" is null',
        ],
    )
