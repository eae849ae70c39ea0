# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one wide CSV with a `socket` series per service): a socket
exhaustion fault in the ts-travel-service container from 01:24:22 UTC (09:24:22 +08:00). Its open
socket count climbs from about 60 to some 27 thousand in a minute and ten seconds; from then on
every connection it tries to open to ts-basic-service and ts-seat-service fails inside its own
pod, and it answers 500 with Spring Boot's empty error body. Its own log is not in the bundle
(the on-call engineer's note says the pod looked healthy). Loud: ts-preserve-service's failed
bookings at `[getTripAllDetailInformation]`, ts-travel-plan-service's failed plans and the
dashboard's 500s. Decoys: ts-basic-service's and ts-seat-service's workload falling to almost
nothing (nothing reaches them; the note asks whether basic is down), a stale ts-seat-service
restart at 01:13 after a node drain, and ts-order-service's usual slow Mongo query warning."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxAccess, Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 8, 27, 1, 10, tzinfo=UTC)
CST = timezone(timedelta(hours=8))
STEP = 1
MINUTES = 32
POINTS = MINUTES * 60
FAULT = 14 * 60 + 22
FULL = FAULT + 70
TRIPS = ["G1234", "G1235", "G1236", "D1345", "Z1234", "T1235", "K1345"]
STATIONS = ["shanghai", "nanjing", "suzhou", "wuxi", "hangzhou", "beijing", "jinan", "xuzhou"]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-9{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def date(rng: random.Random) -> str:
    return f"2024-08-{rng.randrange(28, 31)}"


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.2:
        return "INFO", f"[preserve][Step 1][Check Security][Check Account Id: {uuid(rng)}]", ()
    if roll < 0.4:
        return (
            "INFO",
            f"[getTripAllDetailInformation][Get Trip All Detail Information][TripId: {rng.choice(TRIPS)}, from: {rng.choice(STATIONS)}, travelDate: {date(rng)}]",
            (),
        )
    if roll < 0.6:
        return "INFO", f"[preserve][Step 4][Do Order][Order Price: {rng.randrange(50, 900)}.0]", ()
    if roll < 0.8:
        return "INFO", f"[preserve][Step 6][Create Order Success][OrderId: {uuid(rng)}]", ()
    return (
        "INFO",
        f"[preserve][Preserve Success][OrderId: {uuid(rng)}, TripId: {rng.choice(TRIPS)}]",
        (),
    )


def preserve_failure(rng: random.Random) -> Line:
    trip = rng.choice(TRIPS)
    body = '[{"timestamp":"@STAMP@","status":500,"error":"Internal Server Error","message":"","path":"/api/v1/travelservice/trip_detail"}]'
    return (
        "ERROR",
        f"[getTripAllDetailInformation][Get Trip All Detail Information Fail][TripId: {trip}, message: 500 : {body}]",
        tuple(
            java_trace(
                f"org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 : {body}",
                [
                    "org.springframework.web.client.HttpServerErrorException.create(HttpServerErrorException.java:100)",
                    "org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:188)",
                    "org.springframework.web.client.RestTemplate.handleResponse(RestTemplate.java:819)",
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:777)",
                    "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:666)",
                    "preserve.service.PreserveServiceImpl.getTripAllDetailInformation(PreserveServiceImpl.java:312)",
                    "preserve.service.PreserveServiceImpl.preserve(PreserveServiceImpl.java:93)",
                ],
                more=58,
            )
        ),
    )


def stamped(records: list[Record]) -> list[Record]:
    """Put each record's own time (less a few milliseconds, as ts-travel-service answered) into its error body."""
    out = []
    for record in records:
        answered = (record.time - timedelta(milliseconds=7)).isoformat(timespec="milliseconds")
        out.append(
            replace(
                record,
                message=record.message.replace("@STAMP@", answered),
                trailer=tuple(line.replace("@STAMP@", answered) for line in record.trailer),
            )
        )
    return out


def preserve_fail_summary(rng: random.Random) -> Line:
    return (
        "WARN",
        f"[preserve][Preserve Fail][Step 2 travel detail unavailable][TripId: {rng.choice(TRIPS)}, AccountId: {uuid(rng)}]",
        (),
    )


def plan_line(rng: random.Random) -> Line:
    a, b = rng.sample(STATIONS, 2)
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"[getByCheapest][Get Travel Plan By Cheapest][from: {a}, to: {b}, size: {rng.randrange(1, 8)}]",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"[getByQuickest][Get Travel Plan By Quickest][from: {a}, to: {b}, size: {rng.randrange(1, 8)}]",
            (),
        )
    return (
        "INFO",
        f"[getByMinStation][Get Travel Plan By Min Station][from: {a}, to: {b}, size: {rng.randrange(1, 5)}]",
        (),
    )


def plan_failure(rng: random.Random) -> Line:
    a, b = rng.sample(STATIONS, 2)
    how = rng.choice(["getByCheapest", "getByQuickest", "getByMinStation"])
    return (
        "ERROR",
        f"[{how}][Get Travel Plan Fail][from: {a}, to: {b}] org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 : [no body] from POST http://ts-travel-service:12346/api/v1/travelservice/trips/left",
        (),
    )


def basic_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "INFO",
            f"[queryForTravel][Query for travel][TripId: {rng.choice(TRIPS)}, startPlace: {rng.choice(STATIONS)}]",
            (),
        )
    return (
        "INFO",
        f"[queryForStationId][Query For Station Id][stationName: {rng.choice(STATIONS)}]",
        (),
    )


def order_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"[create][Create Order][Create Order Success][OrderId: {uuid(rng)}]", ()
    if roll < 0.97:
        return (
            "INFO",
            f"[queryOrdersForRefresh][Query Orders][AccountId: {uuid(rng)}, size: {rng.randrange(9)}]",
            (),
        )
    return (
        "WARN",
        f'Slow query: db.orders.find({{ accountId: "{uuid(rng)}" }}).sort({{ boughtDate: -1 }}) took {rng.randrange(420, 980)}ms',
        (),
    )


def gateway_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/api/v1/travelplanservice/travelPlan/cheapest",
            "/api/v1/travelplanservice/travelPlan/quickest",
            "/api/v1/preserveservice/preserve",
            "/api/v1/orderservice/order/refresh",
            "/api/v1/travelservice/trips/left",
            "/api/v1/stationservice/stations",
            "/api/v1/contactservice/contacts/account/" + uuid(rng),
        ]
    )
    return (
        "INFO",
        f'"POST {path} HTTP/1.1" 200 {rng.randrange(200, 9000)} "http://ts-ui-dashboard:8080/client_ticket_book.html" "Mozilla/5.0 (X11; Linux x86_64) locust/2.15" {rng.randrange(8, 240) / 1000:.3f}',
        (),
    )


def gateway_failure(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/api/v1/travelplanservice/travelPlan/cheapest",
            "/api/v1/travelplanservice/travelPlan/quickest",
            "/api/v1/preserveservice/preserve",
            "/api/v1/preserveservice/preserve",
            "/api/v1/travelservice/trips/left",
        ]
    )
    return (
        "INFO",
        f'"POST {path} HTTP/1.1" 500 {rng.randrange(110, 260)} "http://ts-ui-dashboard:8080/client_ticket_book.html" "Mozilla/5.0 (X11; Linux x86_64) locust/2.15" {rng.randrange(20, 160) / 1000:.3f}',
        (),
    )


NOTES = """# TT load test, 27 Aug morning (Wen Jie, pasted from the channel)

- 09:26 (+08:00) locust shows booking and travel plan failures, about 60% of POSTs red.
- ts-travel-service pod looks fine: Running, 0 restarts, /actuator/health says UP. Its logs
  did not come through to Loki for this window (the fluent-bit on that node was still on the
  old output config), so only the callers' logs are attached.
- ts-basic-service QPS dropped to almost nothing around 09:25, is basic down? Its pod is
  Running too.
- ts-seat-service was restarted at 09:13 by the node drain for worker-4, came back at 09:14.
- metrics.csv is the RE2 export from the collector, 1 s step, unix seconds.
"""


def bundle() -> Bundle:
    rng = random.Random(1167)
    full = FULL / 60
    after = MINUTES - full

    def spring(name: str, loggers: tuple[str, ...]) -> LogFile:
        return LogFile(f"logs/{name}.log", SpringBoot(loggers, pid=1, rng=rng))

    preserve = spring(
        "ts-preserve-service",
        ("preserve.service.PreserveServiceImpl", "preserve.controller.PreserveController"),
    )
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 2300))
    preserve.add(stamped(loud(rng, START, full + 0.05, after - 0.1, 230, preserve_failure)))
    preserve.add(loud(rng, START, full + 0.06, after - 0.1, 260, preserve_fail_summary))
    plan = spring("ts-travel-plan-service", ("travelplan.service.TravelPlanServiceImpl",))
    plan.add(traffic(rng, plan_line, START, MINUTES, 1700))
    plan.add(loud(rng, START, full + 0.04, after - 0.1, 520, plan_failure))
    basic = spring("ts-basic-service", ("fdse.microservice.service.BasicServiceImpl",))
    basic.add(traffic(rng, basic_line, START, full, 1500))
    basic.add(traffic(rng, basic_line, START + timedelta(minutes=full), after, 70))
    order = spring("ts-order-service", ("order.service.OrderServiceImpl",))
    order.add(traffic(rng, order_line, START, MINUTES, 1400))
    seat = spring("ts-seat-service", ("seat.service.SeatServiceImpl",))
    seat.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[distributeSeat][Distribute seat][TrainNumber: {r.choice(TRIPS)}, seatType: {r.choice([2, 3])}]"
                ),
            ),
            START,
            3.0,
            140,
        )
    )
    seat.add(
        [
            at(
                START,
                3.02,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
            ),
            at(START, 3.03, "INFO", "Graceful shutdown complete"),
            at(
                START,
                4.1,
                "INFO",
                "Starting SeatApplication v1.0 using Java 1.8.0_312 with PID 1 (/app/ts-seat-service-1.0.jar started by root in /app)",
            ),
            at(START, 4.55, "INFO", "Tomcat started on port(s): 18898 (http) with context path ''"),
            at(
                START,
                4.56,
                "INFO",
                "Started SeatApplication in 26.417 seconds (JVM running for 28.902)",
            ),
        ]
    )
    seat.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[distributeSeat][Distribute seat][TrainNumber: {r.choice(TRIPS)}, seatType: {r.choice([2, 3])}]"
                ),
            ),
            START + timedelta(minutes=4.6),
            full - 4.6,
            420,
        )
    )
    seat.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[getLeftTicketOfInterval][Get left ticket][TrainNumber: {r.choice(TRIPS)}]"
                ),
            ),
            START + timedelta(minutes=full),
            after,
            25,
        )
    )
    gateway = LogFile("logs/ts-ui-dashboard-access.log", NginxAccess(rng=rng, zone=CST))
    gateway.add(traffic(rng, gateway_line, START, MINUTES, 3900))
    gateway.add(loud(rng, START, full + 0.05, after - 0.1, 880, gateway_failure))

    levels = {
        "ts-ui-dashboard": (0.152, 61, (0.0138, 0.0622), 41.7, 212),
        "ts-travel-service": (0.241, 702, (0.0311, 0.0904), 14.9, 63),
        "ts-travel-plan-service": (0.118, 655, (0.0722, 0.2013), 6.3, 48),
        "ts-route-plan-service": (0.094, 641, (0.0517, 0.1402), 4.2, 39),
        "ts-preserve-service": (0.287, 719, (0.1491, 0.3962), 5.8, 71),
        "ts-basic-service": (0.206, 688, (0.0188, 0.0552), 22.6, 57),
        "ts-seat-service": (0.173, 660, (0.0217, 0.0631), 17.3, 52),
        "ts-station-service": (0.121, 612, (0.0061, 0.0173), 39.8, 44),
        "ts-order-service": (0.231, 734, (0.0166, 0.0592), 16.1, 58),
        "ts-route-service": (0.088, 597, (0.0083, 0.0231), 12.4, 35),
        "ts-price-service": (0.047, 571, (0.0049, 0.0142), 8.8, 27),
    }
    services = {}
    for name, (cpu, mem, latency, workload, sockets) in levels.items():
        series = usual_series(rng, cpu, mem, latency, workload)
        series["socket"] = shift(rng, sockets, sockets, 0, 0.05)
        services[name] = series
    travel = services["ts-travel-service"]
    travel["socket"] = shift(rng, 63, 27140, FAULT, 0.01, ramp=70)
    travel["cpu"] = shift(rng, 0.241, 0.318, FAULT, 0.08)
    travel["latency-50"] = shift(rng, 0.0311, 0.0094, FULL, 0.1)
    travel["latency-90"] = shift(rng, 0.0904, 0.0287, FULL, 0.12)
    for name, before, after_level in (
        ("ts-basic-service", 22.6, 0.9),
        ("ts-seat-service", 17.3, 1.1),
    ):
        services[name]["workload"] = shift(rng, before, after_level, FULL + 1, 0.1)
        services[name]["cpu"] = shift(rng, levels[name][0], levels[name][0] * 0.35, FULL + 1, 0.1)
    services["ts-preserve-service"]["latency-90"] = shift(rng, 0.3962, 0.2100, FULL + 2, 0.15)
    services["ts-travel-plan-service"]["cpu"] = shift(rng, 0.118, 0.171, FULL + 2, 0.1)
    seat_cpu = services["ts-seat-service"]["cpu"]
    services["ts-seat-service"]["cpu"] = lambda index: (
        seat_cpu(index) * (0.02 if 181 <= index < 258 else 1.0)
    )

    files = {
        "metrics.csv": wide_csv(START, STEP, POINTS, services),
        "logs/ts-ui-dashboard-access.log": gateway.render(),
        "logs/ts-preserve-service.log": preserve.render(),
        "logs/ts-travel-plan-service.log": plan.render(),
        "logs/ts-basic-service.log": basic.render(),
        "logs/ts-seat-service.log": seat.render(),
        "logs/ts-order-service.log": order.render(),
        "notes.md": NOTES,
    }
    return Bundle(
        question="From about 09:25 (+08:00) most ticket bookings and travel-plan searches in our Train-Ticket load test fail with 500. Which service is the root cause?",
        category="network",
        component="ts-travel-service",
        statement="From 01:24:22 UTC (09:24:22 +08:00) a socket-exhaustion fault in the ts-travel-service container drives its open sockets from about 60 to over 27,000 by 01:25:32, after which it can open no connection to ts-basic-service or ts-seat-service and answers 500; ts-preserve-service's bookings and ts-travel-plan-service's plans fail and the dashboard returns 500, while basic and seat only go quiet.",
        files=files,
        proofs=[Proof("metrics.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 3))],
        decoys=[
            "is basic down?",
            "Get Travel Plan Fail",
            "Started SeatApplication",
            "Slow query: db.orders.find",
        ],
    )
