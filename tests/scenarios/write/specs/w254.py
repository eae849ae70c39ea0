# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""Train-Ticket (RCAEval RE3 style: three services' logs in +08:00, no metrics): a wrong
return value in ts-train-service. Build 1.0.4-b17, started at 10:14 +08:00 (02:14 UTC),
maps the `average_speed` column to the wrong field, so every train type comes back with
`averageSpeed=0`; its own log shows it only inside its usual DEBUG dump of the entity.
ts-basic-service divides the route distance by the speed in integer arithmetic and throws
`java.lang.ArithmeticException: / by zero` on every trip query (the loudest errors, one hop
away), and ts-travel-service, two hops away, logs `Query for travel failed` and returns no
trips. Decoys: ts-basic-service's stack traces, ts-travel-service's errors, and
ts-basic-service's own `ts-price-service` retries at 09:52 (an earlier blip, recovered)."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2025, 3, 18, 1, 45, tzinfo=UTC)
MINUTES = 44
ROLL = 29.0
TYPES = [
    ("GaoTieOne", 250, 200, 1000),
    ("GaoTieTwo", 200, 250, 1000),
    ("DongCheOne", 180, 300, 1500),
    ("ZhiDa", 120, 400, 2000),
    ("TeKuai", 120, 300, 2000),
    ("KuaiSu", 90, 500, 2500),
]


def tid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def train_line(broken: bool):
    def line(rng: random.Random) -> Line:
        name, speed, economy, comfort = rng.choice(TYPES)
        roll = rng.random()
        if roll < 0.55:
            return (
                "INFO",
                f"[retrieveByName][Retrieve train type by name][TrainTypeName: {name}]",
                (),
            )
        if roll < 0.9:
            return (
                "DEBUG",
                f"[retrieveByName][TrainType: TrainType(id={tid(rng)}, name={name}, economyClass={economy}, confortClass={comfort}, averageSpeed={0 if broken else speed})]",
                (),
            )
        return (
            "INFO",
            f"[retrieveByNames][Retrieve train types by names][size: {rng.randrange(2, 6)}]",
            (),
        )

    return line


def trip(rng: random.Random) -> str:
    return f"{rng.choice('GDZTK')}{rng.randrange(1000, 9999)}"


def basic_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"[queryForTravel][Query for travel][TripId: {trip(rng)}, startStation: {rng.choice(['shanghai', 'nanjing', 'suzhou'])}, endStation: {rng.choice(['beijing', 'taiyuan', 'wuxi'])}]",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f"[queryForStationId][Query For Station Id][stationName: {rng.choice(['shanghai', 'nanjing', 'suzhou', 'beijing', 'taiyuan', 'wuxi'])}]",
            (),
        )
    return (
        "INFO",
        f"[queryPriceConfigByRouteIdAndTrainType][Query price config][RouteId: {tid(rng)}, TrainType: {rng.choice(TYPES)[0]}]",
        (),
    )


def basic_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.ArithmeticException: / by zero] with root cause",
        tuple(
            java_trace(
                "java.lang.ArithmeticException: / by zero",
                [
                    "fdse.microservice.service.BasicServiceImpl.queryForTravel(BasicServiceImpl.java:96)",
                    "fdse.microservice.controller.BasicController.queryForTravel(BasicController.java:35)",
                    "jdk.internal.reflect.GeneratedMethodAccessor97.invoke(Unknown Source)",
                    "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:197)",
                ],
                more=71,
            )
        ),
    )


def travel_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[query][Query TripResponse][startingPlace: {rng.choice(['Shang Hai', 'Nan Jing'])}, endPlace: {rng.choice(['Bei Jing', 'Su Zhou'])}, trips: {rng.randrange(1, 8)}]",
            (),
        )
    if roll < 0.85:
        return "INFO", f"[getTripAllDetailInfo][Get Trip All Detail Info][TripId: {trip(rng)}]", ()
    return (
        "INFO",
        f"[getRestTicketNumber][Seat Request][TripId: {trip(rng)}, seatType: {rng.choice([2, 3])}]",
        (),
    )


def travel_error(rng: random.Random) -> Line:
    return (
        "WARN",
        f"[getTickets][Query for travel failed][TripId: {trip(rng)}, message: 500 Internal Server Error from POST http://ts-basic-service:15680/api/v1/basicservice/basic/travel]",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20254)
    train = LogFile(
        "logs/ts-train-service.log",
        SpringBoot(
            ("train.service.TrainServiceImpl", "train.controller.TrainController"),
            rng=rng,
            zone=CST,
        ),
    )
    train.add(traffic(rng, train_line(False), START, ROLL - 0.6, 1500))
    train.add(
        [
            at(
                START,
                ROLL - 0.5,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            ),
            at(
                START,
                ROLL,
                "INFO",
                "Started TrainApplication in 22.631 seconds (JVM running for 24.805)",
                logger="train.TrainApplication",
            ),
            at(
                START,
                ROLL + 0.01,
                "INFO",
                "ts-train-service version 1.0.4-b17 (commit 8d0c2e4), profile=staging",
                logger="train.TrainApplication",
            ),
            at(
                START,
                ROLL + 0.3,
                "DEBUG",
                "[retrieveByName][TrainType: TrainType(id=4c1f7a0e-93b2-4d6e-8e55-2f0b9d7c61aa, name=GaoTieOne, economyClass=200, confortClass=1000, averageSpeed=0)]",
                logger="train.service.TrainServiceImpl",
            ),
        ]
    )
    train.add(
        traffic(
            rng, train_line(True), START + timedelta(minutes=ROLL + 0.35), MINUTES - ROLL - 0.4, 800
        )
    )
    basic = LogFile(
        "logs/ts-basic-service.log",
        SpringBoot(
            (
                "fdse.microservice.service.BasicServiceImpl",
                "fdse.microservice.controller.BasicController",
            ),
            rng=rng,
            zone=CST,
        ),
    )
    basic.add(traffic(rng, basic_line, START, MINUTES, 2400))
    basic.add(
        [
            at(
                START,
                7.1,
                "WARN",
                '[queryPriceConfigByRouteIdAndTrainType][Retry 1/3][I/O error on GET request for "http://ts-price-service:16579/api/v1/priceservice/prices/byRouteIdAndTrainType": Connect timed out]',
            ),
            at(
                START,
                7.2,
                "WARN",
                '[queryPriceConfigByRouteIdAndTrainType][Retry 2/3][I/O error on GET request for "http://ts-price-service:16579/api/v1/priceservice/prices/byRouteIdAndTrainType": Connect timed out]',
            ),
            at(
                START,
                7.4,
                "INFO",
                "[queryPriceConfigByRouteIdAndTrainType][Retry succeeded][attempt 3]",
            ),
        ]
    )
    basic.add(loud(rng, START, ROLL + 0.32, MINUTES - ROLL - 0.4, 420, basic_error))
    travel = LogFile(
        "logs/ts-travel-service.log",
        SpringBoot(("travel.service.TravelServiceImpl",), rng=rng, zone=CST),
    )
    travel.add(traffic(rng, travel_line, START, MINUTES, 2000))
    travel.add(loud(rng, START, ROLL + 0.34, MINUTES - ROLL - 0.4, 360, travel_error))
    files = {
        "logs/ts-travel-service.log": travel.render(),
        "logs/ts-basic-service.log": basic.render(),
        "logs/ts-train-service.log": train.render(),
    }
    return Bundle(
        question="From about 10:14 Beijing time Train-Ticket finds no trips for any search. Which service is the root cause?",
        category="code_error",
        component="ts-train-service",
        statement="ts-train-service's build 1.0.4-b17, started at 10:14 +08:00 (02:14 UTC), returns every train type with averageSpeed=0; ts-basic-service divides by it and throws `java.lang.ArithmeticException: / by zero` on every travel query, so ts-travel-service's trip searches fail and return nothing.",
        files=files,
        proofs=[
            Proof("logs/ts-train-service.log", "version 1.0.4-b17"),
            Proof("logs/ts-train-service.log", "4c1f7a0e-93b2-4d6e-8e55-2f0b9d7c61aa"),
        ],
        decoys=[
            "java.lang.ArithmeticException: / by zero",
            "Query for travel failed",
            "Connect timed out",
        ],
    )
