# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE3 style, one wide CSV at 5 s, logs in UTC): a code fault in a new
ts-seat-service build rolled out at 21:07 UTC. The new build's seat allocator indexes coaches
from 1 instead of 0, so every allocation that reaches the last coach of a train throws
`IndexOutOfBoundsException: Index 16 out of bounds for length 16` in
SeatServiceImpl.distributeSeat; bookings on fuller trains fail while others succeed. Metrics
barely move. Loud: ts-preserve-service's `[Step 5][Dispatch seat][Fail]` 500s. Decoys: the
open-in-view startup warning, ts-auth-service's wrong-password rejections, and
ts-travel-service's trips without a route."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 4, 2, 20, 55, tzinfo=UTC)
MINUTES = 40
STEP = 5
ROLL = 12.0
FAULT = int((ROLL + 0.6) * 60) // STEP
TRAINS = ["G1234", "G1235", "G1236", "D1345", "Z1234", "K1345"]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-b{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def seat_line(rng: random.Random) -> Line:
    roll = rng.random()
    train = rng.choice(TRAINS)
    if roll < 0.45:
        return (
            "INFO",
            f"[distributeSeat][TravelDate: 2026-04-{rng.randrange(3, 20):02d}][TrainNumber: {train}][SeatType: {rng.choice([2, 3])}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[getLeftTicketOfInterval][Left ticket][TrainNumber: {train}][Number: {rng.randrange(20, 600)}]",
            (),
        )
    return (
        "INFO",
        f"[distributeSeat][Seat allocated][TrainNumber: {train}][Coach: {rng.randrange(1, 16)}][SeatNo: {rng.randrange(1, 90)}]",
        (),
    )


def seat_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: java.lang.IndexOutOfBoundsException: Index 16 out of bounds for length 16] with root cause",
        tuple(
            java_trace(
                "java.lang.IndexOutOfBoundsException: Index 16 out of bounds for length 16",
                [
                    "java.base/jdk.internal.util.Preconditions.outOfBounds(Preconditions.java:100)",
                    "java.base/java.util.Objects.checkIndex(Objects.java:385)",
                    "java.base/java.util.ArrayList.get(ArrayList.java:427)",
                    "seat.service.SeatServiceImpl.nextFreeCoach(SeatServiceImpl.java:214)",
                    "seat.service.SeatServiceImpl.distributeSeat(SeatServiceImpl.java:96)",
                    "seat.controller.SeatController.create(SeatController.java:44)",
                ],
                more=rng.randrange(70, 80),
            )
        ),
    )


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"[preserve][Step 1][Check Security][Success][accountId: {uuid(rng)}]", ()
    if roll < 0.85:
        return (
            "INFO",
            f"[preserve][Step 5][Dispatch seat][Success][orderId: {uuid(rng)}][trainNumber: {rng.choice(TRAINS)}]",
            (),
        )
    return "INFO", f"[preserve][Step 6][Send Order][Success][orderId: {uuid(rng)}]", ()


def preserve_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"[preserve][Step 5][Dispatch seat][Fail][orderId: {uuid(rng)}][trainNumber: {rng.choice(['G1234', 'G1236', 'D1345'])}]: 500 Internal Server Error from POST http://ts-seat-service:18898/api/v1/seatservice/seats",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(43030)
    seat = LogFile(
        "logs/ts-seat-service.log",
        SpringBoot(("seat.service.SeatServiceImpl", "seat.controller.SeatController"), rng=rng),
    )
    seat.add(traffic(rng, seat_line, START, MINUTES, 2400))
    seat.add(
        [
            at(
                START,
                ROLL - 0.2,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            ),
            at(
                START,
                ROLL,
                "INFO",
                "Starting SeatApplication v1.0.4 using Java 17.0.10 with PID 1 (/app/ts-seat-service-1.0.4.jar started by root in /app)",
                logger="seat.SeatApplication",
            ),
            at(
                START,
                ROLL + 0.1,
                "WARN",
                "spring.jpa.open-in-view is enabled by default. Therefore, database queries may be performed during view rendering. Explicitly configure spring.jpa.open-in-view to disable this warning",
                logger="JpaBaseConfiguration$JpaWebConfiguration",
            ),
            at(
                START,
                ROLL + 0.3,
                "INFO",
                "Started SeatApplication in 18.204 seconds (process running for 19.771)",
                logger="seat.SeatApplication",
            ),
            at(
                START,
                ROLL + 0.62,
                "ERROR",
                "[distributeSeat][Allocation failed][TrainNumber: G1236][TravelDate: 2026-04-04][coaches: 16][requested coach index: 16]",
                logger="seat.service.SeatServiceImpl",
            ),
        ]
    )
    seat.add(loud(rng, START, ROLL + 0.63, MINUTES - ROLL - 0.8, 190, seat_error))
    preserve = LogFile(
        "logs/ts-preserve-service.log",
        SpringBoot(("preserve.service.PreserveServiceImpl",), rng=rng),
    )
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 2500))
    preserve.add(loud(rng, START, ROLL + 0.65, MINUTES - ROLL - 0.8, 190, preserve_error))
    auth = LogFile(
        "logs/ts-auth-service.log", SpringBoot(("auth.service.impl.TokenServiceImpl",), rng=rng)
    )
    auth.add(
        traffic(
            rng,
            fixed(
                "INFO", lambda r: f"[getToken][Login success][userName: fdse_{r.randrange(1, 900)}]"
            ),
            START,
            MINUTES,
            1100,
        )
    )
    auth.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            25,
            fixed(
                "WARN",
                lambda r: (
                    f"[getToken][Incorrect username or password][userName: fdse_{r.randrange(1, 900)}]"
                ),
            ),
        )
    )
    travel = LogFile(
        "logs/ts-travel-service.log", SpringBoot(("travel.service.TravelServiceImpl",), rng=rng)
    )
    travel.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[queryByBatch][Query trips][startPlace: {r.choice(['shanghai', 'nanjing', 'suzhou'])}][endPlace: {r.choice(['beijing', 'taiyuan', 'wuxi'])}][size: {r.randrange(1, 9)}]"
                ),
            ),
            START,
            MINUTES,
            1700,
        )
    )
    travel.add(
        [
            at(
                START,
                25.4,
                "WARN",
                "[getTickets][Route not found][routeId: 0b23bd3e-876a-4af3-b920-c50a90c90b04][tripId: Z1235]",
                logger="travel.service.TravelServiceImpl",
            )
        ]
    )
    levels = {
        "ts-seat-service": (0.057, 601.8, (0.0302, 0.0844), 14.8),
        "ts-preserve-service": (0.094, 668.0, (0.1318, 0.2911), 8.1),
        "ts-travel-service": (0.067, 642.5, (0.0231, 0.0622), 19.9),
        "ts-order-service": (0.079, 709.3, (0.0195, 0.0506), 21.1),
        "ts-auth-service": (0.032, 557.2, (0.0097, 0.0251), 9.4),
        "ts-config-service": (0.018, 498.1, (0.0022, 0.0061), 16.0),
        "ts-basic-service": (0.049, 571.6, (0.0144, 0.0390), 18.3),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    services["ts-seat-service"]["cpu"] = shift(rng, 0.057, 0.066, FAULT, 0.08)
    services["ts-seat-service"]["latency-90"] = shift(rng, 0.0844, 0.0903, FAULT, 0.12)
    points = MINUTES * 60 // STEP
    return Bundle(
        question="About a fifth of ticket bookings have failed with 500 since around 21:08 UTC. What is the root cause?",
        category="code_error",
        component="ts-seat-service",
        statement="ts-seat-service v1.0.4, rolled out at 21:07 UTC, has an off-by-one in its coach index: distributeSeat asks for coach index 16 of a 16-coach train and throws IndexOutOfBoundsException, so ts-preserve-service's seat dispatch fails with 500 for bookings that reach the last coach.",
        files={
            "metrics/services.csv": wide_csv(START, STEP, points, services),
            "logs/ts-preserve-service.log": preserve.render(),
            "logs/ts-seat-service.log": seat.render(),
            "logs/ts-auth-service.log": auth.render(),
            "logs/ts-travel-service.log": travel.render(),
        },
        proofs=[
            Proof("logs/ts-seat-service.log", "Starting SeatApplication v1.0.4"),
            Proof("logs/ts-seat-service.log", "[requested coach index: 16]"),
        ],
        decoys=[
            "spring.jpa.open-in-view is enabled by default",
            "Incorrect username or password",
            "Route not found",
        ],
    )
