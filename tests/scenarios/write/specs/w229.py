# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one wide CSV, logs in +08:00): 12% packet loss injected on
ts-seat-service's interface from 15:02:00 +08:00 (07:02:00 UTC). Its median latency barely
moves, its p90 jumps from about 40 ms to 1.1 s (retransmissions); its own log stays quiet and
only thins a little. Loud: ts-travel-service's and ts-preserve-service's `Read timed out` and
`Connection reset` errors on their calls to ts-seat-service, and the gateway's 500s on
left-ticket queries and bookings. Decoys: ts-travel-service's errors, a slow SQL warning in
ts-order-service from before the fault, and ts-auth-service's expired-token warnings."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2025, 4, 22, 6, 40, tzinfo=UTC)
STEP = 1
MINUTES = 40
POINTS = MINUTES * 60 // STEP
FAULT = 22 * 60
TRAINS = ["G1234", "G1235", "G1236", "D1345", "Z1234", "Z1235", "T1235", "K1345"]
STATIONS = ["shanghai", "beijing", "nanjing", "suzhou", "taiyuan", "shijiazhuang", "hangzhou"]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}"


def seat_line(rng: random.Random) -> Line:
    train = rng.choice(TRAINS)
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[getLeftTicketOfInterval][Seat Request][TrainNumber: {train}, Start Station: {rng.choice(STATIONS)}, End Station: {rng.choice(STATIONS)}, Travel Date: 2025-04-2{rng.randrange(3, 9)}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[distributeSeat][TravelDate: 2025-04-2{rng.randrange(3, 9)}, TrainNumber: {train}, SeatType: {rng.choice([2, 3])}] seat No. {rng.randrange(1, 1500)}",
            (),
        )
    return (
        "INFO",
        f"[getLeftTicketOfInterval][Left ticket][TrainNumber: {train}, Left: {rng.randrange(200, 1800)}]",
        (),
    )


def travel_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"[queryInfo][Query TripResponse][startPlace: {rng.choice(STATIONS)}, endPlace: {rng.choice(STATIONS)}, departureTime: 2025-04-2{rng.randrange(3, 9)}]",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"[getTickets][Trip info][tripId: {rng.choice(TRAINS)}, route: {uid(rng)}, left: {rng.randrange(200, 1800)}]",
            (),
        )
    return "INFO", f"[getTripAllDetailInfo][TripAllDetailInfo][tripId: {rng.choice(TRAINS)}]", ()


def travel_error(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "ERROR",
            f'[getRestTicketNumber][Seat service error][I/O error on POST request for "http://ts-seat-service:18898/api/v1/seatservice/seats/left_tickets": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out][tripId: {rng.choice(TRAINS)}]',
            (),
        )
    return (
        "ERROR",
        '[getRestTicketNumber][Seat service error][I/O error on POST request for "http://ts-seat-service:18898/api/v1/seatservice/seats/left_tickets": Connection reset; nested exception is java.net.SocketException: Connection reset]',
        (),
    )


def preserve_line(rng: random.Random) -> Line:
    return (
        "INFO",
        rng.choice(
            [
                f"[preserve][Step 1][Check Security][accountId: {uid(rng)}]",
                f"[preserve][Step 4][Do Order][orderId: {uid(rng)}]",
                f"[preserve][Step 5][Buy Assurance][orderId: {uid(rng)}]",
                f"[preserve][Step 6][Send Email][orderId: {uid(rng)}]",
            ]
        ),
        (),
    )


def preserve_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[preserve][Step 3][Dispatch Seat] failed: I/O error on POST request for "http://ts-seat-service:18898/api/v1/seatservice/seats": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out, orderId: {uid(rng)}',
        (),
    )


def auth_line(rng: random.Random) -> Line:
    if rng.random() < 0.06:
        return (
            "WARN",
            f"[validateToken][Token expired][JWT expired at 2025-04-22T{rng.randrange(13, 15)}:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z. Current time: 2025-04-22T15:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z]",
            (),
        )
    return (
        "INFO",
        rng.choice(
            [
                f"[login][User login][username: fdse_microservice, userId: {uid(rng)}]",
                f"[createDefaultAuthUser][Create default auth user][userId: {uid(rng)}]",
            ]
        ),
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20229)
    fault = FAULT / 60
    after = MINUTES - fault

    def log(name: str, loggers: tuple[str, ...]) -> LogFile:
        return LogFile(f"logs/{name}.log", SpringBoot(loggers, pid=1, rng=rng, zone=CST))

    seat = log("ts-seat-service", ("s.c.SeatController", "seat.service.SeatServiceImpl"))
    seat.add(traffic(rng, seat_line, START, fault, 2300))
    seat.add(traffic(rng, seat_line, START + timedelta(minutes=fault), after, 1750))
    travel = log("ts-travel-service", ("t.c.TravelController", "travel.service.TravelServiceImpl"))
    travel.add(traffic(rng, travel_line, START, MINUTES, 3100))
    travel.add(loud(rng, START, fault + 0.4, after - 0.5, 640, travel_error))
    preserve = log(
        "ts-preserve-service", ("p.c.PreserveController", "preserve.service.PreserveServiceImpl")
    )
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 1200))
    preserve.add(loud(rng, START, fault + 0.6, after - 0.7, 170, preserve_error))
    preserve.add(
        [
            at(
                START,
                fault + 3.2,
                "ERROR",
                'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-seat-service:18898/api/v1/seatservice/seats": Read timed out] with root cause',
                java_trace(
                    "java.net.SocketTimeoutException: Read timed out",
                    [
                        "java.base/java.net.SocketInputStream.socketRead0(Native Method)",
                        "java.base/java.net.SocketInputStream.socketRead(SocketInputStream.java:115)",
                        "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:751)",
                        "preserve.service.PreserveServiceImpl.dipatchSeat(PreserveServiceImpl.java:311)",
                    ],
                ),
                "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            )
        ]
    )
    order = log("ts-order-service", ("o.c.OrderController", "order.service.OrderServiceImpl"))
    order.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[queryOrders][Query Orders][accountId: {uid(r)}, size: {r.randrange(0, 30)}]",
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
                6.4,
                "WARN",
                "[SQL] slow query 2381 ms: select order0_.id as id1_0_ ... from orders order0_ where order0_.account_id=? and order0_.travel_date>=?",
                (),
                "o.h.e.j.s.SqlStatementLogger",
            )
        ]
    )
    auth = log(
        "ts-auth-service", ("auth.service.impl.TokenServiceImpl", "auth.controller.AuthController")
    )
    auth.add(traffic(rng, auth_line, START, MINUTES, 1100))
    names = [
        "ts-ui-dashboard",
        "ts-auth-service",
        "ts-user-service",
        "ts-travel-service",
        "ts-travel2-service",
        "ts-seat-service",
        "ts-preserve-service",
        "ts-order-service",
        "ts-order-other-service",
        "ts-route-service",
        "ts-station-service",
        "ts-train-service",
        "ts-basic-service",
        "ts-config-service",
        "ts-price-service",
    ]
    series = {}
    for name in names:
        series[name] = usual_series(
            rng,
            rng.uniform(0.02, 0.3),
            rng.uniform(380, 720),
            (rng.uniform(0.004, 0.02), rng.uniform(0.02, 0.07)),
            rng.uniform(3, 40),
        )
    series["ts-seat-service"] = usual_series(rng, 0.118, 541.3, (0.0117, 0.0402), 38.9)
    seat_series = series["ts-seat-service"]
    seat_series["latency-90"] = shift(rng, 0.0402, 1.112, FAULT, 0.2, ramp=6)
    seat_series["latency-50"] = shift(rng, 0.0117, 0.0149, FAULT, 0.1)
    seat_series["workload"] = shift(rng, 38.9, 30.4, FAULT, 0.08, ramp=5)
    series["ts-travel-service"]["latency-90"] = shift(rng, 0.061, 2.87, FAULT + 8, 0.15, ramp=15)
    series["ts-travel-service"]["latency-50"] = shift(rng, 0.019, 0.512, FAULT + 8, 0.15, ramp=15)
    series["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.068, 3.11, FAULT + 10, 0.15, ramp=15)
    series["ts-preserve-service"]["latency-90"] = shift(rng, 0.071, 2.46, FAULT + 9, 0.15, ramp=15)
    files = {
        "metrics.csv": wide_csv(START, STEP, POINTS, series),
        **{f.name: f.render() for f in (seat, travel, preserve, order, auth)},
    }
    return Bundle(
        question="Since about 15:02 (Beijing time) ticket searches and bookings on Train-Ticket time out. Which service is the root cause?",
        category="network",
        component="ts-seat-service",
        statement="From 15:02:00 +08:00 (07:02 UTC) packet loss on ts-seat-service's network makes its p90 latency jump from about 40 ms to 1.1 s while its median and its own log stay normal; ts-travel-service and ts-preserve-service time out (`Read timed out`, `Connection reset`) on their calls to it.",
        files=files,
        proofs=[Proof("metrics.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 6))],
        decoys=["[Seat service error]", "slow query 2381 ms", "[Token expired]"],
    )
