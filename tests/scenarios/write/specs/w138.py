# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE3 layout: a code-level fault, logs in +08:00, one wide CSV): from
08:19:52 UTC (16:19:52 +08:00) the injected build of ts-assurance-service looks up assurance
types with an off-by-one index, so every booking that buys travel insurance (type index 1)
throws ArrayIndexOutOfBoundsException in AssuranceServiceImpl.create. Its own log shows the stack
trace once, then (the JIT's fast throw) only `ArrayIndexOutOfBoundsException: null`; its metrics barely move. Loud: ts-preserve-service's failed bookings
(`Step 7` of the preserve flow) and ts-order-service cancelling the orders preserve had already
created. Decoys: ts-notification-service failing to reach its SMTP server all day, ts-order's
cancellations, and a ts-food-service lookup that often finds no food for a trip."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2024, 7, 16, 8, 0, tzinfo=UTC)
STEP = 1
MINUTES = 40
POINTS = MINUTES * 60
FAULT = 19 * 60 + 52
FIRST_ORDER = "8a3f61c2-4e7b-4f0d-9b21-6c5de0a7f914"


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-{rng.choice('89ab')}{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def trip(rng: random.Random) -> str:
    return rng.choice(["G1234", "G1235", "G1236", "D1345", "Z1234", "K1235", "T1235"])


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    order = uuid(rng)
    if roll < 0.25:
        return "INFO", f"[preserve][Step 1][Check Security][Check Account Id: {uuid(rng)}]", ()
    if roll < 0.45:
        return "INFO", f"[preserve][Step 3][Check Tickets num][TripId: {trip(rng)}]", ()
    if roll < 0.65:
        return "INFO", f"[preserve][Step 6][Create Order Success][OrderId: {order}]", ()
    if roll < 0.75:
        return (
            "INFO",
            f"[preserve][Step 7][Buy Assurance Success][OrderId: {order}, AssuranceType: {rng.choice([0, 0, 1])}]",
            (),
        )
    if roll < 0.85:
        return "INFO", f"[preserve][Step 10][Send Email][OrderId: {order}]", ()
    return "INFO", f"[preserve][Preserve Success][OrderId: {order}, TripId: {trip(rng)}]", ()


def preserve_after(rng: random.Random) -> Line:
    level, message, trailer = preserve_line(rng)
    return level, message.replace("AssuranceType: 1]", "AssuranceType: 0]"), trailer


def preserve_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"[preserve][Step 7][Buy Assurance Fail][OrderId: {uuid(rng)}, message: Create Assurance Fail, status: 0]",
        (),
    )


def preserve_no_assurance(rng: random.Random) -> Line:
    return "INFO", f"[preserve][Preserve Success][OrderId: {uuid(rng)}, TripId: {trip(rng)}]", ()


def assurance_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"[findAssuranceById][find Assurance By Id][orderId: {uuid(rng)}]", ()
    if roll < 0.8:
        return "INFO", f"[create][Create Assurance Success][orderId: {uuid(rng)}, typeIndex: 0]", ()
    return "INFO", "[getAllAssuranceTypes][Get all assurance types][size: 1]", ()


def assurance_before(rng: random.Random) -> Line:
    if rng.random() < 0.25:
        return "INFO", f"[create][Create Assurance Success][orderId: {uuid(rng)}, typeIndex: 1]", ()
    return assurance_line(rng)


def assurance_fault(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"[create][Create Assurance Fail][orderId: {uuid(rng)}, typeIndex: 1] java.lang.ArrayIndexOutOfBoundsException: null",
        (),
    )


def order_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"[create][Create Order][Create Order Success][OrderId: {uuid(rng)}, TripId: {trip(rng)}]",
            (),
        )
    if roll < 0.7:
        return "INFO", f"[getOrderById][Get Order By Id Success][OrderId: {uuid(rng)}]", ()
    if roll < 0.9:
        return (
            "INFO",
            f"[queryOrdersForRefresh][Query Orders][AccountId: {uuid(rng)}, size: {rng.randrange(0, 9)}]",
            (),
        )
    return (
        "INFO",
        f"[modifyOrder][Modify Order Success][OrderId: {uuid(rng)}, status: {rng.choice([1, 2])}]",
        (),
    )


def order_cancel(rng: random.Random) -> Line:
    return (
        "WARN",
        f"[cancelOrder][Cancel Order][OrderId: {uuid(rng)}, reason: preserve rollback, status: 4]",
        (),
    )


def notification_line(rng: random.Random) -> Line:
    if rng.random() < 0.8:
        return "INFO", f"[preserve_success][send email][to: user_{rng.randrange(1000)}@163.com]", ()
    return (
        "ERROR",
        "[preserve_success][Mail send error][Mail server connection failed; nested exception is com.sun.mail.util.MailConnectException: Couldn't connect to host, port: smtp.163.com, 25; timeout -1]",
        (),
    )


def food_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "INFO",
            f"[getAllFood][Get All Food Success][tripId: {trip(rng)}, date: 2024-07-{rng.randrange(17, 30)}]",
            (),
        )
    return (
        "WARN",
        f"[getAllFood][Get the Get Food Request Failed!][tripId: {trip(rng)}, message: No food for this trip]",
        (),
    )


def spring(loggers: tuple[str, ...], rng: random.Random, pid: int) -> SpringBoot:
    return SpringBoot(loggers, pid=pid, rng=rng, zone=CST)


def bundle() -> Bundle:
    rng = random.Random(1138)
    fault = START + timedelta(seconds=FAULT)
    fault_minute = FAULT / 60
    after = MINUTES - fault_minute
    preserve = LogFile(
        "logs/ts-preserve-service.log", spring(("preserve.service.PreserveServiceImpl",), rng, 1)
    )
    preserve.add(traffic(rng, preserve_line, START, fault_minute, 1560))
    preserve.add(traffic(rng, preserve_after, fault, after, 1640))
    preserve.add(loud(rng, START, fault_minute + 0.05, after - 0.1, 340, preserve_failure))
    preserve.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: (
                    f"[preserve][Preserve Fail][OrderId: {uuid(r)}, message: Buy assurance failed, order cancelled]"
                ),
            ),
            fault + timedelta(seconds=2),
            after - 0.1,
            330,
        )
    )
    assurance = LogFile(
        "logs/ts-assurance-service.log",
        spring(
            ("assurance.service.AssuranceServiceImpl", "assurance.controller.AssuranceController"),
            rng,
            1,
        ),
    )
    assurance.add(traffic(rng, assurance_before, START, fault_minute, 820))
    assurance.add(traffic(rng, assurance_line, fault, after, 560))
    assurance.add(
        [
            at(
                START,
                fault_minute + 0.01,
                "ERROR",
                f"[create][Create Assurance Fail][orderId: {FIRST_ORDER}, typeIndex: 1]",
                java_trace(
                    "java.lang.ArrayIndexOutOfBoundsException: Index 1 out of bounds for length 1",
                    [
                        "assurance.entity.AssuranceType.getTypeByIndex(AssuranceType.java:42)",
                        "assurance.service.AssuranceServiceImpl.create(AssuranceServiceImpl.java:71)",
                        "assurance.controller.AssuranceController.createNewAssurance(AssuranceController.java:88)",
                        "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
                        "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1011)",
                    ],
                    more=48,
                ),
                logger="assurance.service.AssuranceServiceImpl",
            )
        ]
    )
    assurance.add(loud(rng, START, fault_minute + 0.05, after - 0.1, 300, assurance_fault))
    order = LogFile(
        "logs/ts-order-service.log", spring(("order.service.OrderServiceImpl",), rng, 1)
    )
    order.add(traffic(rng, order_line, START, MINUTES, 2600))
    order.add(loud(rng, START, fault_minute + 0.08, after - 0.15, 320, order_cancel))
    notification = LogFile(
        "logs/ts-notification-service.log",
        spring(("notification.service.NotificationServiceImpl",), rng, 1),
    )
    notification.add(traffic(rng, notification_line, START, MINUTES, 900))
    food = LogFile(
        "logs/ts-food-service.log", spring(("foodsearch.service.FoodServiceImpl",), rng, 1)
    )
    food.add(traffic(rng, food_line, START, MINUTES, 700))

    levels = {
        "ts-ui-dashboard": (0.21, 63, (0.046, 0.181), 38.0),
        "ts-preserve-service": (0.31, 712, (0.152, 0.402), 6.1),
        "ts-assurance-service": (0.07, 598, (0.011, 0.029), 6.0),
        "ts-order-service": (0.24, 731, (0.018, 0.061), 17.4),
        "ts-travel-service": (0.28, 690, (0.061, 0.172), 12.2),
        "ts-seat-service": (0.19, 655, (0.044, 0.118), 9.8),
        "ts-food-service": (0.06, 577, (0.021, 0.066), 4.2),
        "ts-notification-service": (0.04, 540, (0.009, 0.027), 5.9),
        "ts-security-service": (0.05, 561, (0.012, 0.031), 6.0),
        "ts-contacts-service": (0.06, 566, (0.008, 0.022), 8.1),
        "ts-auth-service": (0.09, 602, (0.019, 0.054), 3.3),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    services["ts-assurance-service"]["latency-90"] = shift(rng, 0.029, 0.034, FAULT, 0.14)
    services["ts-preserve-service"]["latency-50"] = shift(rng, 0.152, 0.139, FAULT, 0.09)
    services["ts-order-service"]["workload"] = shift(rng, 17.4, 19.6, FAULT, 0.07)
    services["ts-notification-service"]["workload"] = shift(rng, 5.9, 3.9, FAULT, 0.08)
    files = {
        "metrics.csv": wide_csv(START, STEP, POINTS, services),
        "logs/ts-preserve-service.log": preserve.render(),
        "logs/ts-assurance-service.log": assurance.render(),
        "logs/ts-order-service.log": order.render(),
        "logs/ts-notification-service.log": notification.render(),
        "logs/ts-food-service.log": food.render(),
    }
    return Bundle(
        question="Since about 16:20 (+08:00) roughly a third of Train-Ticket bookings end with 'order failed' and the order is cancelled; latency dashboards look normal. What is the root cause?",
        category="code_error",
        component="ts-assurance-service",
        statement="From 08:19:52 UTC (16:19:52 +08:00) ts-assurance-service throws ArrayIndexOutOfBoundsException (Index 1 out of bounds for length 1) in AssuranceType.getTypeByIndex for every insurance of type index 1, so ts-preserve-service's Step 7 fails and ts-order-service cancels those bookings; the metrics barely move.",
        files=files,
        proofs=[
            Proof(
                "logs/ts-assurance-service.log",
                f"orderId: {FIRST_ORDER}",
                "AssuranceType.getTypeByIndex",
            )
        ],
        decoys=[
            "Couldn't connect to host, port: smtp.163.com",
            "reason: preserve rollback",
            "No food for this trip",
        ],
    )
