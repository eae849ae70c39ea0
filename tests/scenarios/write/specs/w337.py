# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one wide CSV, logs in +08:00): network delay (tc netem,
~900 ms) injected on ts-seat-service's interface from 14:21:00 +08:00 (06:21 UTC). Its own log
stays clean and only thins out; its latency series jump first. ts-travel-service's
getLeftTicketOfInterval and ts-preserve-service's seat allocation calls hit their 3 s read
timeout, and ts-ui-dashboard answers 500/504 for orders. Decoys: ts-preserve-service's
warning about ts-security-service's order-count check, a Mongo slow query in
ts-travel-service, and ts-preserve-service's loud read timeouts."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxAccess, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2026, 2, 9, 6, 2, tzinfo=UTC)
MINUTES = 36
STEP = 1
FAULT = 19 * 60
STATIONS = [
    "Shang Hai",
    "Su Zhou",
    "Nan Jing",
    "Bei Jing",
    "Wu Xi",
    "Tai Yuan",
    "Jia Xing Nan",
    "Shi Jia Zhuang",
]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def trip(rng: random.Random) -> str:
    return f"{rng.choice('GDZTK')}{rng.randrange(1000, 9999)}"


def seat_line(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "INFO",
            f"[distributeSeat][Distribute seat][TravelDate: 2026-02-{rng.randrange(10, 28)}, TrainNumber: {trip(rng)}, SeatType: {rng.choice([2, 3])}]",
            (),
        )
    return (
        "INFO",
        f"[getLeftTicketOfInterval][Get left ticket of interval][TravelDate: 2026-02-{rng.randrange(10, 28)}, TrainNumber: {trip(rng)}, SeatType: {rng.choice([2, 3])}, seats left: {rng.randrange(0, 900)}]",
        (),
    )


def travel_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        a, b = rng.sample(STATIONS, 2)
        return (
            "INFO",
            f"[queryInfo][Query TripResponse][Start: {a}, End: {b}, departure date: 2026-02-{rng.randrange(10, 28)}]",
            (),
        )
    if roll < 0.85:
        return "INFO", f"[getTripAllDetailInfo][Get trip detail][TripId: {trip(rng)}]", ()
    return "INFO", f"[getRouteByTripId][Get Route By Trip ID][TripId: {trip(rng)}]", ()


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return "INFO", f"[preserve][Verify login][Account Id: {uid(rng)}]", ()
    if roll < 0.7:
        return "INFO", f"[preserve][Step 3][Check seat is enough][TripId: {trip(rng)}]", ()
    if roll < 0.95:
        return "INFO", f"[preserve][Step 6][Create order success][OrderId: {uid(rng)}]", ()
    return "INFO", f"[preserve][Step 7][Send email][Account Id: {uid(rng)}]", ()


def travel_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[getTickets][Get left ticket of interval failed][TripId: {trip(rng)}, message: I/O error on POST request for "http://ts-seat-service:18898/api/v1/seatservice/seats/left_tickets": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out]',
        (),
    )


def preserve_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[preserve][Step 4][Dispatch seat failed][TripId: {trip(rng)}] org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-seat-service:18898/api/v1/seatservice/seats": Read timed out',
        tuple(
            java_trace(
                "java.net.SocketTimeoutException: Read timed out",
                [
                    "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)",
                    "java.base/java.net.Socket$SocketInputStream.read(Socket.java:976)",
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
                    "preserve.service.PreserveServiceImpl.dipatchSeat(PreserveServiceImpl.java:312)",
                ],
                more=64,
            )
        ),
    )


def access_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/api/v1/travelservice/trips/left",
            "/api/v1/orderservice/order/refresh",
            "/api/v1/stationservice/stations",
            "/index.html",
            "/api/v1/preserveservice/preserve",
        ]
    )
    method = "GET" if path.endswith("html") or "stations" in path else "POST"
    return (
        "INFO",
        f'"{method} {path} HTTP/1.1" 200 {rng.randrange(300, 9000)} "http://tt.lab.internal/client_ticket_book.html" "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"',
        (),
    )


def access_error(rng: random.Random) -> Line:
    path, status = rng.choice(
        [
            ("/api/v1/preserveservice/preserve", 500),
            ("/api/v1/travelservice/trips/left", 504),
            ("/api/v1/travelservice/trips/left", 500),
        ]
    )
    return (
        "ERROR",
        f'"POST {path} HTTP/1.1" {status} {rng.randrange(120, 400)} "http://tt.lab.internal/client_ticket_book.html" "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(337_0209)
    seat = LogFile(
        "logs/ts-seat-service.log",
        SpringBoot(
            ("seat.service.SeatServiceImpl", "seat.controller.SeatController"), rng=rng, zone=CST
        ),
    )
    seat.add(traffic(rng, seat_line, START, FAULT / 60, 1500))
    seat.add(traffic(rng, seat_line, START + timedelta(seconds=FAULT), MINUTES - FAULT / 60, 420))
    travel = LogFile(
        "logs/ts-travel-service.log",
        SpringBoot(
            ("travel.service.TravelServiceImpl", "travel.controller.TravelController"),
            rng=rng,
            zone=CST,
        ),
    )
    travel.add(traffic(rng, travel_line, START, MINUTES, 2600))
    travel.add(
        [
            at(
                START,
                9.4,
                "WARN",
                "Slow query detected: db.trip.find({startStationName: 'shanghai'}) took 1210ms (threshold 1000ms)",
                logger="org.mongodb.driver.protocol.command",
            )
        ]
    )
    travel.add(loud(rng, START, 19.06, MINUTES - 19.2, 260, travel_timeout))
    preserve = LogFile(
        "logs/ts-preserve-service.log",
        SpringBoot(
            ("preserve.service.PreserveServiceImpl", "preserve.controller.PreserveController"),
            rng=rng,
            zone=CST,
        ),
    )
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 1400))
    preserve.add(
        [
            at(
                START,
                4.2,
                "WARN",
                "[preserve][Step 2][Check Security][ts-security-service answered slowly: 1840ms for check of account orders, continuing]",
            )
        ]
    )
    preserve.add(loud(rng, START, 19.1, MINUTES - 19.2, 140, preserve_timeout))
    access = LogFile("logs/ts-ui-dashboard-access.log", NginxAccess(rng=rng, zone=CST))
    access.add(traffic(rng, access_line, START, MINUTES, 3200))
    access.add(loud(rng, START, 19.15, MINUTES - 19.3, 330, access_error))
    levels = {
        "ts-ui-dashboard": (0.21, 88.0, (0.012, 0.048), 41.0),
        "ts-travel-service": (0.34, 612.0, (0.031, 0.094), 22.0),
        "ts-preserve-service": (0.19, 540.0, (0.118, 0.301), 4.1),
        "ts-seat-service": (0.27, 498.0, (0.009, 0.026), 27.0),
        "ts-order-service": (0.22, 575.0, (0.014, 0.041), 18.0),
        "ts-basic-service": (0.18, 470.0, (0.011, 0.033), 24.0),
        "ts-station-service": (0.08, 401.0, (0.004, 0.012), 30.0),
        "ts-security-service": (0.06, 433.0, (0.021, 0.066), 4.1),
        "ts-auth-service": (0.11, 520.0, (0.016, 0.052), 6.0),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    s = services["ts-seat-service"]
    s["latency-50"] = shift(rng, 0.009, 0.912, FAULT, 0.05)
    s["latency-90"] = shift(rng, 0.026, 1.874, FAULT, 0.08)
    s["workload"] = shift(rng, 27.0, 9.5, FAULT + 3, 0.1)
    s["cpu"] = shift(rng, 0.27, 0.09, FAULT + 3, 0.1)
    services["ts-travel-service"]["latency-90"] = shift(rng, 0.094, 3.02, FAULT + 5, 0.03)
    services["ts-travel-service"]["latency-50"] = shift(rng, 0.031, 1.96, FAULT + 5, 0.06)
    services["ts-preserve-service"]["latency-90"] = shift(rng, 0.301, 3.11, FAULT + 6, 0.03)
    services["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.048, 3.2, FAULT + 6, 0.05)
    files = {
        "metrics.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "logs/ts-seat-service.log": seat.render(),
        "logs/ts-travel-service.log": travel.render(),
        "logs/ts-preserve-service.log": preserve.render(),
        "logs/ts-ui-dashboard-access.log": access.render(),
    }
    return Bundle(
        question="Ticket booking and trip search on the Train-Ticket lab started failing around 14:21 (+08:00). What is the root cause?",
        category="network",
        component="ts-seat-service",
        statement="From 14:21:00 +08:00 (06:21 UTC) network delay on ts-seat-service adds about 0.9 s to every packet: its p50/p90 latency jumps while its own log stays clean, and ts-travel-service's and ts-preserve-service's calls to it hit their read timeouts, so trip search and booking fail.",
        files=files,
        proofs=[Proof("metrics.csv", stamp(START, STEP, FAULT))],
        decoys=[
            "ts-security-service answered slowly",
            "Slow query detected",
            "Dispatch seat failed",
        ],
    )
