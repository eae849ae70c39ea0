# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE1/RE2 layout, one wide CSV): network delay (tc netem, +1.2 s) injected
on ts-seat-service's pod from 15:41:10 UTC. Its own log stays ordinary (seat queries answered
in a few ms of work); its latency series jumps first. ts-travel-service and ts-travel2-service
time out reading from ts-seat-service:18898, ts-preserve-service fails orders and the UI
gateway answers 504. Logs are in Asia/Kathmandu local time (+05:45). Decoys: ts-order-service's
slow query warning, ts-notification-service's SMTP failure, ts-preserve-service's errors."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

ZONE = ZoneInfo("Asia/Kathmandu")
START = datetime(2026, 3, 17, 15, 20, tzinfo=UTC)
MINUTES = 36
STEP = 1
FAULT = (21 * 60 + 10) // STEP


def seat_line(rng: random.Random) -> Line:
    roll = rng.random()
    train = f"{rng.choice('GDZTK')}{rng.randrange(1000, 2000)}"
    if roll < 0.5:
        return (
            "INFO",
            f"[getLeftTicketOfInterval][Seat Request][TrainNumber: {train}, start: {rng.choice(['shanghai', 'nanjing', 'suzhou', 'wuxi'])}, dest: {rng.choice(['beijing', 'taiyuan', 'shijiazhuang'])}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[distributeSeat][Seat Distribute][SeatType: {rng.choice([2, 3])}, TrainNumber: {train}, seatNo: {rng.randrange(1, 900)}]",
            (),
        )
    return (
        "INFO",
        f"[getLeftTicketOfInterval][Left ticket][seatTotal: {rng.randrange(600, 1200)}, solidTicketSize: {rng.randrange(0, 300)}]",
        (),
    )


def travel_line(rng: random.Random) -> Line:
    trip = f"{rng.choice('GD')}{rng.randrange(1000, 2000)}"
    if rng.random() < 0.6:
        return "INFO", f"[queryInfo][Query TripResponse][tripId: {trip}, date: 2026-03-18]", ()
    return "INFO", f"[getTripAllDetailInfo][TripId: {trip}, from: shanghai, to: suzhou]", ()


def travel_timeout(rng: random.Random) -> Line:
    trip = f"{rng.choice('GD')}{rng.randrange(1000, 2000)}"
    return (
        "ERROR",
        f'[getRestTicketNumber][Seat service call failed][tripId: {trip}] I/O error on POST request for "http://ts-seat-service:18898/api/v1/seatservice/seats/left_tickets": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out',
        (),
    )


def preserve_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[preserve][Step 1-2][Check security and contacts][OrderId: {rng.getrandbits(128):032x}]",
        (),
    )


def preserve_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[preserve][Step 3][Get trip detail failed][loginId: {rng.getrandbits(64):016x}] status=1 message="Trip detail unavailable"',
        (),
    )


def gateway_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/api/v1/travelservice/trips/left",
            "/api/v1/preserveservice/preserve",
            "/api/v1/orderservice/order/refresh",
            "/api/v1/stationservice/stations",
        ]
    )
    return "INFO", f"GET {path} 200 {rng.randrange(20, 240)}ms", ()


def gateway_error(rng: random.Random) -> Line:
    path = rng.choice(["/api/v1/travelservice/trips/left", "/api/v1/preserveservice/preserve"])
    return "ERROR", f"POST {path} 504 {rng.randrange(5000, 5100)}ms upstream timed out", ()


def order_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[queryOrders][Query Orders for refresh][accountId: {rng.getrandbits(64):016x}, size: {rng.randrange(0, 12)}]",
        (),
    )


def notify_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[preserve_success][Send email to {rng.choice(['fdse', 'admin', 'user'])}{rng.randrange(100)}@163.com]",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(58801)

    def spring(loggers: tuple[str, ...]) -> SpringBoot:
        return SpringBoot(loggers, 1, random.Random(rng.random()), ZONE)

    seat = LogFile(
        "logs/ts-seat-service.log",
        spring(("seat.service.SeatServiceImpl", "seat.controller.SeatController")),
    )
    seat.add(traffic(rng, seat_line, START, MINUTES, 2600))
    travel = LogFile("logs/ts-travel-service.log", spring(("travel.service.TravelServiceImpl",)))
    travel.add(traffic(rng, travel_line, START, MINUTES, 1900))
    first = at(
        START,
        21.42,
        "ERROR",
        '[getRestTicketNumber][Seat service call failed][tripId: G1237] I/O error on POST request for "http://ts-seat-service:18898/api/v1/seatservice/seats/left_tickets": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out (first after 1209 ms of 1000 ms read timeout)',
    )
    travel.add([first])
    travel.add(loud(rng, START, 21.5, MINUTES - 21.6, 380, travel_timeout))
    travel2 = LogFile("logs/ts-travel2-service.log", spring(("travel2.service.TravelServiceImpl",)))
    travel2.add(traffic(rng, travel_line, START, MINUTES, 900))
    travel2.add(loud(rng, START, 21.6, MINUTES - 21.7, 160, travel_timeout))
    preserve = LogFile(
        "logs/ts-preserve-service.log", spring(("preserve.service.PreserveServiceImpl",))
    )
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 700))
    preserve.add(loud(rng, START, 21.7, MINUTES - 21.8, 240, preserve_error))
    order = LogFile("logs/ts-order-service.log", spring(("order.service.OrderServiceImpl",)))
    order.add(traffic(rng, order_line, START, MINUTES, 1100))
    order.add(
        [
            at(
                START,
                12.3,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m4s84ms).",
            )
        ]
    )
    notify = LogFile(
        "logs/ts-notification-service.log", spring(("notification.service.MailServiceImpl",))
    )
    notify.add(traffic(rng, notify_line, START, MINUTES, 240))
    notify.add(
        [
            at(
                START,
                17.9,
                "ERROR",
                "[sendEmail][Mail server connection failed] org.springframework.mail.MailSendException: Mail server connection failed; nested exception is javax.mail.MessagingException: Could not connect to SMTP host: smtp.163.com, port: 25",
                java_trace(
                    "javax.mail.MessagingException: Could not connect to SMTP host: smtp.163.com, port: 25",
                    [
                        "com.sun.mail.smtp.SMTPTransport.openServer(SMTPTransport.java:2211)",
                        "com.sun.mail.smtp.SMTPTransport.protocolConnect(SMTPTransport.java:740)",
                    ],
                ),
            )
        ]
    )
    gateway = LogFile("logs/ts-ui-dashboard.log", spring(("gateway.filter.AccessLogFilter",)))
    gateway.add(traffic(rng, gateway_line, START, MINUTES, 2200))
    gateway.add(loud(rng, START, 21.8, MINUTES - 21.9, 300, gateway_error))
    levels = {
        "ts-ui-dashboard": (0.21, 310.0, (0.062, 0.181), 44.0),
        "ts-travel-service": (0.12, 512.0, (0.031, 0.094), 18.0),
        "ts-travel2-service": (0.08, 498.0, (0.029, 0.088), 7.0),
        "ts-seat-service": (0.09, 455.0, (0.0061, 0.0174), 31.0),
        "ts-preserve-service": (0.05, 470.0, (0.118, 0.302), 3.0),
        "ts-order-service": (0.11, 530.0, (0.017, 0.049), 22.0),
        "ts-station-service": (0.07, 402.0, (0.0041, 0.011), 40.0),
        "ts-basic-service": (0.10, 440.0, (0.021, 0.061), 19.0),
        "ts-notification-service": (0.01, 380.0, (0.044, 0.12), 0.4),
        "ts-route-service": (0.06, 420.0, (0.0052, 0.015), 17.0),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    s = services["ts-seat-service"]
    s["latency-50"] = shift(rng, 0.0061, 1.214, FAULT, 0.03)
    s["latency-90"] = shift(rng, 0.0174, 1.262, FAULT, 0.04)
    s["workload"] = shift(rng, 31.0, 19.0, FAULT + 2, 0.08)
    for name, p50, p90 in [
        ("ts-travel-service", 1.02, 1.31),
        ("ts-travel2-service", 0.98, 1.29),
        ("ts-preserve-service", 1.41, 2.95),
        ("ts-ui-dashboard", 0.74, 4.91),
    ]:
        services[name]["latency-50"] = shift(rng, levels[name][2][0], p50, FAULT + 3, 0.06)
        services[name]["latency-90"] = shift(rng, levels[name][2][1], p90, FAULT + 3, 0.06)
    points = MINUTES * 60 // STEP
    files = {
        "metrics.csv": wide_csv(START, STEP, points, services),
        "logs/ts-seat-service.log": seat.render(),
        "logs/ts-travel-service.log": travel.render(),
        "logs/ts-travel2-service.log": travel2.render(),
        "logs/ts-preserve-service.log": preserve.render(),
        "logs/ts-order-service.log": order.render(),
        "logs/ts-notification-service.log": notify.render(),
        "logs/ts-ui-dashboard.log": gateway.render(),
    }
    return Bundle(
        question="Ticket searches and bookings have been timing out (504) since about 21:27 Kathmandu time. Which service is the root cause?",
        category="network",
        component="ts-seat-service",
        statement="From 15:41:10 UTC a network delay of about 1.2 s on ts-seat-service's pod raises its latency (p50 0.006 s to 1.2 s) while its own log stays ordinary; ts-travel-service and ts-travel2-service time out reading from ts-seat-service:18898, so preserve and the gateway fail.",
        files=files,
        proofs=[
            Proof("metrics.csv", stamp(START, STEP, FAULT)),
            Proof("logs/ts-travel-service.log", "first after 1209 ms of 1000 ms read timeout"),
        ],
        decoys=[
            "Thread starvation or clock leap detected",
            "Could not connect to SMTP host",
            "Get trip detail failed",
        ],
    )
