# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout: one CSV per service under metrics/, logs in +08:00):
packet loss (tc netem loss 35%) on ts-food-service's pod from 09:52:40 +08:00. Its own log
stays ordinary apart from fewer lines; its p90 jumps while its p50 barely moves. The
engineer pasted `nstat` from inside its pod, where TCP retransmissions and timeouts climb.
ts-preserve-service, which calls it to book a meal with every ticket, logs intermittent read
timeouts and resets, and ticket booking fails about one time in three. Decoys:
ts-preserve-service's exceptions, ts-food-service's ordinary `no food for trip` warnings,
and ts-station-food-service's slow start-up earlier in the morning."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Log4j
from scenes import at, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2025, 8, 19, 1, 30, tzinfo=UTC)
MINUTES = 44
STEP = 5
FAULT = (22 * 60 + 40) // STEP


class Log4jLocal(Log4j):
    def render(self, record):  # type: ignore[no-untyped-def]
        return super().render(
            type(record)(
                record.time.astimezone(CST),
                record.level,
                record.message,
                record.trailer,
                record.logger,
            )
        )


def tid(rng: random.Random) -> str:
    return f"{rng.choice(['G', 'D', 'Z', 'K'])}{rng.randrange(1234, 1299)}"


def food_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[getAllFood][Get Food Request!][date: 2025-08-{rng.randrange(19, 28)}, startStation: {rng.choice(['shanghai', 'nanjing', 'suzhou', 'beijing'])}, endStation: {rng.choice(['taiyuan', 'wuxi', 'hangzhou'])}, tripId: {tid(rng)}]",
            (),
        )
    if roll < 0.92:
        return (
            "INFO",
            f"[createFoodOrder][Try to Create a FoodOrder!][orderId: {rng.getrandbits(64):016x}, foodName: {rng.choice(['Rice', 'Soup', 'Hot dog', 'Spicy hot noodles', 'Chicken burger'])}, price: {rng.choice(['3.0', '5.0', '8.0', '12.5'])}]",
            (),
        )
    return (
        "WARN",
        f"[getAllFood][Get the Get Food Request Failed!][no food for trip: {tid(rng)}]",
        (),
    )


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"[preserve][Step 1] Check Security [accountId: {rng.getrandbits(128):032x}]",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"[preserve][Step 4] Do Order Complete [tripId: {tid(rng)}, seatClass: {rng.choice([2, 3])}]",
            (),
        )
    return (
        "INFO",
        f"[preserve][Step 6] Buy Food Success [foodName: {rng.choice(['Rice', 'Soup', 'Hot dog'])}, storeName: {rng.choice(['Roman Holiday', 'KFC', 'Burger King', 'Jiang Nan Kitchen'])}]",
        (),
    )


def preserve_error(rng: random.Random) -> Line:
    kind = rng.random()
    cause = (
        "java.net.SocketTimeoutException: Read timed out"
        if kind < 0.75
        else "java.net.SocketException: Connection reset"
    )
    return (
        "ERROR",
        f'[preserve][Step 6] Buy Food Fail: I/O error on POST request for "http://ts-food-service:18856/api/v1/foodservice/orders": {cause.split(": ", 1)[1]}',
        tuple(
            java_trace(
                f'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-food-service:18856/api/v1/foodservice/orders": {cause.split(": ", 1)[1]}',
                [
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
                    "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:670)",
                    "preserve.service.PreserveServiceImpl.createFoodOrder(PreserveServiceImpl.java:431)",
                    "preserve.service.PreserveServiceImpl.preserve(PreserveServiceImpl.java:207)",
                ],
                caused_by=[cause, "java.net.SocketInputStream.socketRead0(Native Method)"],
                more=74,
            )
        ),
    )


def sf_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[listFoodStores][Food store list][stationId: {rng.choice(['shanghai', 'nanjing', 'suzhou', 'wuxi'])}, size: {rng.randrange(1, 6)}]",
        (),
    )


NSTAT = """$ kubectl -n train-ticket exec ts-food-service-6f4d8b7c9-xk2pl -- nstat -az TcpRetransSegs TcpExtTCPTimeouts TcpExtTCPLostRetransmit TcpOutSegs TcpInSegs
{stamp1}
#kernel
TcpInSegs                       1842210            0.0
TcpOutSegs                      1903388            0.0
TcpRetransSegs                  412                0.0
TcpExtTCPTimeouts               9                  0.0
TcpExtTCPLostRetransmit         0                  0.0

$ sleep 60; kubectl -n train-ticket exec ts-food-service-6f4d8b7c9-xk2pl -- nstat -az TcpRetransSegs TcpExtTCPTimeouts TcpExtTCPLostRetransmit TcpOutSegs TcpInSegs
{stamp2}
#kernel
TcpInSegs                       1851047            0.0
TcpOutSegs                      1913905            0.0
TcpRetransSegs                  4127               0.0
TcpExtTCPTimeouts               1288               0.0
TcpExtTCPLostRetransmit         517                0.0
"""


def bundle() -> Bundle:
    rng = random.Random(20290)
    food = LogFile(
        "logs/ts-food-service.log",
        Log4jLocal(
            ("food.service.FoodServiceImpl", "food.controller.FoodController"),
            threads="http-nio-18856-exec",
            rng=rng,
        ),
    )
    food.add(traffic(rng, food_line, START, 22.6, 1500))
    food.add(traffic(rng, food_line, START + timedelta(minutes=22.6), MINUTES - 22.6, 780))
    preserve = LogFile(
        "logs/ts-preserve-service.log",
        Log4jLocal(
            ("preserve.service.PreserveServiceImpl",), threads="http-nio-14568-exec", rng=rng
        ),
    )
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 2100))
    preserve.add(loud(rng, START, 23.1, MINUTES - 23.2, 140, preserve_error))
    station_food = LogFile(
        "logs/ts-station-food-service.log",
        Log4jLocal(
            ("foodsearch.service.StationFoodServiceImpl",), threads="http-nio-18855-exec", rng=rng
        ),
    )
    station_food.add(traffic(rng, sf_line, START, MINUTES, 700))
    station_food.add(
        [
            at(
                START,
                2.4,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=48s112ms).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
            at(
                START,
                2.9,
                "INFO",
                "Started StationFoodApplication in 71.412 seconds (JVM running for 75.03)",
                logger="foodsearch.StationFoodApplication",
            ),
        ]
    )
    levels = {
        "ts-food-service": (0.084, 611.8, (0.0121, 0.0388), 7.1),
        "ts-preserve-service": (0.102, 648.3, (0.1654, 0.3911), 3.2),
        "ts-station-food-service": (0.049, 570.4, (0.0052, 0.0150), 7.1),
        "ts-train-food-service": (0.041, 566.0, (0.0049, 0.0141), 7.1),
        "ts-travel-service": (0.229, 702.2, (0.0341, 0.0972), 17.0),
        "ts-order-service": (0.224, 731.6, (0.0170, 0.0581), 15.5),
        "ts-ui-dashboard": (0.146, 60.1, (0.0139, 0.0604), 37.8),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    f = services["ts-food-service"]
    f["latency-50"] = shift(rng, 0.0121, 0.0164, FAULT, 0.1)
    f["latency-90"] = shift(rng, 0.0388, 1.2410, FAULT, 0.35)
    f["workload"] = shift(rng, 7.1, 4.6, FAULT + 1, 0.15)
    services["ts-preserve-service"]["latency-90"] = shift(rng, 0.3911, 3.082, FAULT + 2, 0.25)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": s for m, s in series.items()}, 4
        )
        for name, series in services.items()
    }
    first = (START + timedelta(minutes=31)).astimezone(CST)
    files["nstat.txt"] = NSTAT.format(
        stamp1=first.strftime("%a %b %d %H:%M:%S CST %Y"),
        stamp2=(first + timedelta(seconds=61)).strftime("%a %b %d %H:%M:%S CST %Y"),
    )
    files |= {
        "logs/ts-preserve-service.log": preserve.render(),
        "logs/ts-food-service.log": food.render(),
        "logs/ts-station-food-service.log": station_food.render(),
    }
    return Bundle(
        question="Ticket booking has been failing intermittently, about a third of the time, since around 09:53 (+08:00). What is the root cause?",
        category="network",
        component="ts-food-service",
        statement="From 09:52:40 +08:00 ts-food-service's pod loses packets: its p90 jumps from ~0.04 s to ~1.2 s while its p50 holds, and its TCP retransmissions and timeouts climb (TcpRetransSegs +3,700 in a minute); ts-preserve-service's food-order calls time out or are reset and bookings fail.",
        files=files,
        proofs=[
            Proof("metrics/ts-food-service.csv", stamp(START, STEP, FAULT)),
            Proof("nstat.txt", "TcpRetransSegs                  4127"),
        ],
        decoys=[
            "Buy Food Fail",
            "no food for trip",
            "Started StationFoodApplication",
        ],
    )
