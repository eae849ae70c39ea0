# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""stress-ng pins ts-seat-service's container at its 2-core limit; its CPU saturates first,
then its latency and the latency of ts-travel-service and ts-preserve-service, while the
gateway logs upstream timeouts against ts-travel-service."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from metrics import Series, shift
from rcaeval import usual_series
from records import NginxError, SpringBoot
from scenes import fixed, loud
from traffic import Line, traffic

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2024, 5, 20, 6, 0, tzinfo=UTC)
STEP = 10
POINTS = 50 * 60 // STEP
FAULT = 19 * 60 // STEP + 4
TRAINS = ["G1234", "G1235", "G1236", "G1237", "D1345", "Z1234", "Z1235", "T1235", "K1235"]
STATIONS = ["shanghai", "nanjing", "suzhou", "wuxi", "beijing", "taiyuan", "shijiazhuang"]


def trip(rng: random.Random) -> str:
    return rng.choice(TRAINS)


def local_rows(services: dict[str, dict[str, Series]]) -> str:
    """One CSV, `time` in Shanghai local time, columns `<service>_<metric>`."""
    columns = {
        f"{service}_{metric}": function
        for service, series in services.items()
        for metric, function in series.items()
    }
    lines = [",".join(["time", *columns])]
    for index in range(POINTS):
        moment = (START + timedelta(seconds=index * STEP)).astimezone(SHANGHAI)
        lines.append(
            ",".join(
                [
                    moment.strftime("%Y-%m-%d %H:%M:%S%z"),
                    *(f"{function(index):.4f}" for function in columns.values()),
                ]
            )
        )
    return "\n".join(lines) + "\n"


def row_time(index: int) -> str:
    return (START + timedelta(seconds=index * STEP)).astimezone(SHANGHAI).strftime(
        "%Y-%m-%d %H:%M:%S%z"
    ) + ","


def seat_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"[distributeSeat][TravelId: {trip(rng)}][Seat class: {rng.choice([2, 3])}][Number: {rng.randrange(1, 20)}]",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"[getLeftTicketOfInterval][TrainNumber: {trip(rng)}][Start: {rng.choice(STATIONS)}][End: {rng.choice(STATIONS)}][Left: {rng.randrange(0, 1200)}]",
            (),
        )
    return (
        "INFO",
        f"[getLeftTicketOfInterval][Order info][SoldTicket size: {rng.randrange(0, 400)}]",
        (),
    )


def travel_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[queryInfo][Query TripResponse][Start: {rng.choice(STATIONS)}][End: {rng.choice(STATIONS)}][Date: 2024-05-2{rng.randrange(1, 9)}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[getTickets][Trip id: {trip(rng)}][Start: {rng.choice(STATIONS)}][Left seats: {rng.randrange(0, 1200)}]",
            (),
        )
    if roll < 0.97:
        return "INFO", f"[getTripAllDetailInfo][TripId: {trip(rng)}]", ()
    return "WARN", f"[queryInfo][No trip found][Start: {rng.choice(STATIONS)}][End: xian]", ()


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"[preserve][Step 1] Check Security Complete[AccountId: {rng.getrandbits(128):032x}]",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"[preserve][Step 4] Do Order Complete[OrderId: {rng.getrandbits(128):032x}]",
            (),
        )
    return (
        "INFO",
        f"[preserve][Step 5] Buy Assurance Success[Type: 1][Price: {rng.randrange(50, 900)}.0]",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(167)
    minute = FAULT * STEP / 60
    spring = ("seat.controller.SeatController", "seat.service.SeatServiceImpl")
    seat = LogFile("ts-seat-service.log", SpringBoot(spring, rng=rng, zone=SHANGHAI))
    seat.add(traffic(rng, seat_line, START, 50, 2100))
    travel = LogFile(
        "ts-travel-service.log",
        SpringBoot(
            ("travel.controller.TravelController", "travel.service.TravelServiceImpl"),
            rng=rng,
            zone=SHANGHAI,
        ),
    )
    travel.add(traffic(rng, travel_line, START, 50, 2600))
    travel.add(
        loud(
            rng,
            START,
            minute + 1.2,
            28,
            214,
            fixed(
                "ERROR",
                lambda r: (
                    f'[getTickets][Query seat error][TripId: {trip(r)}] I/O error on POST request for "http://ts-seat-service:18898/api/v1/seatservice/seats/left_tickets": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out'
                ),
                lambda r: [
                    "java.net.SocketTimeoutException: Read timed out",
                    "\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:283)",
                    "\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
                    "\tat travel.service.TravelServiceImpl.getRestTicketNumber(TravelServiceImpl.java:412)",
                ],
            ),
        )
    )
    travel.add(
        loud(
            rng,
            START,
            minute + 2.5,
            27,
            38,
            fixed(
                "WARN",
                lambda r: (
                    f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={r.randrange(61, 95)}s{r.randrange(100, 999)}ms)."
                ),
            ),
        )
    )
    preserve = LogFile(
        "ts-preserve-service.log",
        SpringBoot(("preserve.service.PreserveServiceImpl",), rng=rng, zone=SHANGHAI),
    )
    preserve.add(traffic(rng, preserve_line, START, 50, 900))
    preserve.add(
        loud(
            rng,
            START,
            minute + 1.5,
            28,
            96,
            fixed(
                "ERROR",
                lambda r: (
                    f"[preserve][Step 3] Distribute seat failed: 504 Gateway Timeout (TripId: {trip(r)}); order {r.getrandbits(128):032x} cancelled"
                ),
            ),
        )
    )
    gateway = LogFile("ts-ui-dashboard-error.log", NginxError(rng))
    gateway.add(
        loud(
            rng,
            START,
            minute + 1.3,
            28,
            301,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.244.{r.randrange(1, 4)}.{r.randrange(2, 250)}, server: localhost, request: "POST /api/v1/travelservice/trips/left HTTP/1.1", upstream: "http://10.96.{r.randrange(10, 250)}.{r.randrange(2, 250)}:12346/api/v1/travelservice/trips/left", host: "ts-ui-dashboard:8080"'
                ),
            ),
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            2,
            45,
            24,
            fixed(
                "WARN",
                lambda r: (
                    f"an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{r.randrange(1, 9)}/{r.randrange(10, 99)}/00000{r.randrange(10000, 99999)} while reading upstream"
                ),
            ),
        )
    )
    services = {
        "ts-seat-service": usual_series(rng, 0.214, 612, (0.0142, 0.0391), 18.4),
        "ts-travel-service": usual_series(rng, 0.361, 702, (0.0488, 0.1311), 14.9),
        "ts-preserve-service": usual_series(rng, 0.097, 655, (0.2103, 0.4412), 1.7),
        "ts-order-service": usual_series(rng, 0.152, 684, (0.0101, 0.0322), 9.4),
        "ts-route-service": usual_series(rng, 0.088, 590, (0.0063, 0.0177), 16.2),
        "ts-station-service": usual_series(rng, 0.121, 571, (0.0039, 0.0102), 44.0),
        "ts-basic-service": usual_series(rng, 0.173, 633, (0.0322, 0.0871), 15.1),
        "ts-ui-dashboard": usual_series(rng, 0.061, 38, (0.0611, 0.1672), 21.3),
    }
    seat_series = services["ts-seat-service"]
    seat_series["cpu"] = shift(rng, 0.214, 1.987, FAULT, 0.01, ramp=2)
    seat_series["latency-50"] = shift(rng, 0.0142, 0.8123, FAULT + 3, 0.1, ramp=4)
    seat_series["latency-90"] = shift(rng, 0.0391, 2.9416, FAULT + 3, 0.1, ramp=4)
    seat_series["workload"] = shift(rng, 18.4, 11.2, FAULT + 4, 0.08, ramp=3)
    services["ts-travel-service"]["latency-90"] = shift(
        rng, 0.1311, 5.0102, FAULT + 5, 0.05, ramp=4
    )
    services["ts-travel-service"]["cpu"] = shift(rng, 0.361, 0.552, FAULT + 6, 0.08, ramp=6)
    services["ts-preserve-service"]["latency-90"] = shift(
        rng, 0.4412, 3.8211, FAULT + 5, 0.08, ramp=4
    )
    services["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.1672, 5.0021, FAULT + 6, 0.03, ramp=3)
    return Bundle(
        question="用户反馈余票查询超时 — trip search on Train-Ticket has been timing out since roughly 14:19 Beijing time. Which service caused it?",
        category="cpu",
        component="ts-seat-service",
        statement="A CPU hog in ts-seat-service's container pins it at its 2-core limit from 14:19:40 (+08:00), before any latency moves, so seat queries slow to seconds and ts-travel-service and ts-preserve-service time out behind it.",
        files={
            "metrics.csv": local_rows(services),
            "ts-seat-service.log": seat.render(),
            "ts-travel-service.log": travel.render(),
            "ts-preserve-service.log": preserve.render(),
            "ts-ui-dashboard-error.log": gateway.render(),
        },
        proofs=[Proof("metrics.csv", row_time(FAULT), row_time(FAULT + 3))],
        decoys=[
            "upstream timed out (110: Connection timed out)",
            "Thread starvation or clock leap detected",
            "java.net.SocketTimeoutException: Read timed out",
        ],
    )
