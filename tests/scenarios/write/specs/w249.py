# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 style: a wide metrics CSV at 5 s, one caller's log in +08:00 and
a human's notes): a memory hog (stress-ng --vm, 1.3 GiB) in ts-order-other-service's container
from 21:34:10 +08:00 (13:34:10 UTC). Its `mem` series climbs from ~610 MiB towards its 2 GiB
limit and the JVM inside is squeezed (its p90 roughly triples, CPU up from GC); its own log is
not in the bundle. ts-travel2-service, which asks it for sold tickets on every search of
other trains (K/Z/T), logs `Read timed out` on POST
http://ts-order-other-service:12032/... and the dashboard returns 504s. Decoys: ts-travel2-service's
stack traces and CPU (retries), the notes' suspicion of a ts-route-service rollout, and
ts-station-service's workload bump from a crawler."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import SpringBoot
from scenes import java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2025, 9, 3, 13, 15, tzinfo=UTC)
MINUTES = 38
STEP = 5
FAULT = (19 * 60 + 10) // STEP


def trip(rng: random.Random) -> str:
    return f"{rng.choice('KZT')}{rng.randrange(1000, 9999)}"


def travel2_line(rng: random.Random) -> Line:
    roll = rng.random()
    stations = rng.sample(
        ["shanghai", "nanjing", "suzhou", "wuxi", "taiyuan", "beijing", "shijiazhuang"], 2
    )
    if roll < 0.45:
        return (
            "INFO",
            f"[query][Query TripResponse][startingPlace: {stations[0]}, endPlace: {stations[1]}, departureTime: 2025-09-0{rng.randrange(4, 9)}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[getTickets][Get Tickets][TripId: {trip(rng)}, soldTicket size: {rng.randrange(0, 90)}]",
            (),
        )
    if roll < 0.95:
        return "INFO", f"[getTripAllDetailInfo][Get Trip All Detail Info][TripId: {trip(rng)}]", ()
    return (
        "WARN",
        f"[getRestTicketNumber][Get Rest tickets num][seat type: {rng.choice([2, 3])}, no seat left for trip {trip(rng)}]",
        (),
    )


def travel2_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-order-other-service:12032/api/v1/orderOtherService/orderOther/tickets": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out] with root cause',
        tuple(
            java_trace(
                "java.net.SocketTimeoutException: Read timed out",
                [
                    "java.base/java.net.SocketInputStream.socketRead0(Native Method)",
                    "java.base/java.net.SocketInputStream.read(SocketInputStream.java:168)",
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:751)",
                    "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:637)",
                    "travel2.service.TravelServiceImpl.getSoldTickets(TravelServiceImpl.java:398)",
                    "travel2.service.TravelServiceImpl.query(TravelServiceImpl.java:241)",
                ],
                more=88,
            )
        ),
    )


NOTES = """## Train-Ticket staging, searches of K/Z/T trains hanging (handover 21:58 CST)

- 21:36 CST: synthetic check "search other trains" red, dashboard gives 504 after ~30 s.
  G/D (high-speed) searches are fine.
- ts-travel2-service is the one throwing: pages of `Read timed out`. Its CPU is up too.
  I have not restarted it yet.
- ts-route-service got a new image at 21:20 (route cache change, ticket TT-4471). Route
  lookups are used by both travel services though, and high-speed search is fine, so not sure.
- station workload jumped around 21:25; Li says that is the timetable crawler again.
- Attached: metrics.csv (RCAEval export, 5 s), ts-travel2-service log. Other logs were not
  collected before the log shipper rotated them.
"""


def bundle() -> Bundle:
    rng = random.Random(20249)
    travel2 = LogFile(
        "logs/ts-travel2-service.log",
        SpringBoot(
            ("travel2.service.TravelServiceImpl", "travel2.controller.Travel2Controller"),
            rng=rng,
            zone=CST,
        ),
    )
    travel2.add(traffic(rng, travel2_line, START, MINUTES, 3100))
    travel2.add(loud(rng, START, 20.4, MINUTES - 20.5, 240, travel2_timeout))
    levels = {
        "ts-ui-dashboard": (0.161, 58.7, (0.0141, 0.0612), 36.4),
        "ts-travel-service": (0.241, 702.4, (0.0352, 0.1006), 13.1),
        "ts-travel2-service": (0.188, 689.9, (0.0401, 0.1138), 7.6),
        "ts-order-service": (0.221, 728.3, (0.0166, 0.0571), 15.2),
        "ts-order-other-service": (0.097, 611.5, (0.0149, 0.0497), 8.3),
        "ts-route-service": (0.089, 598.2, (0.0072, 0.0203), 24.8),
        "ts-station-service": (0.117, 607.0, (0.0058, 0.0169), 37.9),
        "ts-basic-service": (0.142, 633.6, (0.0231, 0.0688), 20.5),
        "ts-seat-service": (0.108, 652.1, (0.0294, 0.0817), 9.9),
        "ts-ticketinfo-service": (0.071, 590.4, (0.0188, 0.0561), 19.7),
        "ts-train-service": (0.049, 571.2, (0.0049, 0.0142), 22.0),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    other = services["ts-order-other-service"]
    other["mem"] = shift(rng, 611.5, 1934.0, FAULT, 0.01, ramp=18)
    other["cpu"] = shift(rng, 0.097, 0.232, FAULT + 10, 0.1, ramp=8)
    other["latency-90"] = shift(rng, 0.0497, 0.1580, FAULT + 12, 0.15, ramp=8)
    t2 = services["ts-travel2-service"]
    t2["latency-50"] = shift(rng, 0.0401, 6.71, FAULT + 14, 0.1, ramp=4)
    t2["latency-90"] = shift(rng, 0.1138, 15.9, FAULT + 14, 0.08, ramp=4)
    t2["cpu"] = shift(rng, 0.188, 0.351, FAULT + 14, 0.1)
    services["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.0612, 9.88, FAULT + 14, 0.12, ramp=4)
    station = services["ts-station-service"]
    base = station["workload"]
    station["workload"] = lambda i: base(i) * (1.9 if 120 <= i < 170 else 1.0)
    files = {
        "notes.md": NOTES,
        "metrics.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "logs/ts-travel2-service.log": travel2.render(),
    }
    return Bundle(
        question="Searches for K/Z/T trains hang and end in 504 since about 21:36 CST; high-speed searches work. Which service is the root cause?",
        category="memory",
        component="ts-order-other-service",
        statement="From 21:34:10 +08:00 (13:34:10 UTC) a memory hog in ts-order-other-service's container drives its memory from ~610 MiB to ~1.9 GiB and slows it; ts-travel2-service's sold-ticket calls to it hit `Read timed out` and the dashboard's searches of other trains return 504.",
        files=files,
        proofs=[Proof("metrics.csv", stamp(START, STEP, FAULT + 6))],
        decoys=[
            "java.net.SocketTimeoutException: Read timed out",
            "ts-route-service got a new image",
            "ts-station-service_workload",
        ],
    )
