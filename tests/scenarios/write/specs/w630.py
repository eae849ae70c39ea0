# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval layout, one wide CSV with `diskio`): a disk I/O hog (stress-ng --hdd 4)
inside the ts-order-service container from 22:31:30 UTC. Its diskio series jumps about forty
times while its CPU barely moves; its p50 and p90 climb as its log writes and temporary files
queue behind the hog. Its own log keeps ordinary lines, fewer. Loud: ts-preserve-service's and
ts-cancel-service's `Read timed out` calling ts-order-service, and the gateway's 504s. Decoys:
ts-order-other-service (its own stale `Lock wait timeout`), ts-auth-service's JWT clock-skew
warning, and ts-preserve-service's errors (the loudest)."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import traffic

KST = timezone(timedelta(hours=9))
START = datetime(2025, 6, 3, 22, 10, tzinfo=UTC)
MINUTES = 38
FAULT = 21 * 60 + 30


def tid(rng: random.Random) -> str:
    return f"{rng.choice('GDZTK')}{rng.randrange(1000, 9999)}"


def bundle() -> Bundle:
    rng = random.Random(63030)
    fault = FAULT / 60

    def spring(*loggers: str) -> SpringBoot:
        return SpringBoot(loggers, rng=rng, zone=KST)

    order = LogFile(
        "logs/ts-order-service.log",
        spring("order.service.OrderServiceImpl", "order.controller.OrderController"),
    )

    def order_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "INFO",
            r.choice(
                [
                    f"[queryOrders][Query Orders][AccountId: {r.getrandbits(32):08x}-{r.getrandbits(16):04x}, size: {r.randrange(0, 12)}]",
                    f"[getSoldTickets][Get sold tickets][TrainNumber: {tid(r)}, date: 2025-06-0{r.randrange(4, 9)}]",
                    f"[create][Create Order][Order created][OrderId: {r.getrandbits(32):08x}-{r.getrandbits(16):04x}]",
                ]
            ),
            (),
        )

    order.add(traffic(rng, order_line, START, fault, 2600))
    order.add(traffic(rng, order_line, START + timedelta(minutes=fault), MINUTES - fault, 800))
    preserve = LogFile(
        "logs/ts-preserve-service.log", spring("preserve.service.PreserveServiceImpl")
    )
    preserve.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[preserve][Step 1 - Check Contacts Exists][Contacts Id: {r.getrandbits(32):08x}]",
                (),
            ),
            START,
            MINUTES,
            900,
        )
    )
    preserve.add(
        loud(
            rng,
            START,
            fault + 0.7,
            MINUTES - fault - 0.8,
            240,
            fixed(
                "ERROR",
                lambda r: (
                    f'[preserve][Step 5 - Create Order][Create order failed][TripId: {tid(r)}, message: I/O error on POST request for "http://ts-order-service:12031/api/v1/orderservice/order": Read timed out]'
                ),
            ),
        )
    )
    cancel = LogFile("logs/ts-cancel-service.log", spring("cancel.service.CancelServiceImpl"))
    cancel.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[cancelOrder][Cancel Order][OrderId: {r.getrandbits(32):08x}, refund: {r.randrange(20, 400)}.0]",
                (),
            ),
            START,
            MINUTES,
            400,
        )
    )
    cancel.add(
        loud(
            rng,
            START,
            fault + 0.8,
            MINUTES - fault - 0.9,
            70,
            fixed(
                "ERROR",
                lambda r: (
                    'Servlet.service() for servlet [dispatcherServlet] threw exception [Request processing failed; nested exception is org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://ts-order-service:12031/api/v1/orderservice/order/'
                    + f"{r.getrandbits(32):08x}"
                    + '": Read timed out] with root cause'
                ),
                lambda r: java_trace(
                    "java.net.SocketTimeoutException: Read timed out",
                    [
                        "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)",
                        "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)",
                        "cancel.service.CancelServiceImpl.getOrderByIdFromOrder(CancelServiceImpl.java:412)",
                    ],
                    more=68,
                ),
            ),
        )
    )
    other = LogFile(
        "logs/ts-order-other-service.log", spring("other.service.OrderOtherServiceImpl")
    )
    other.add(traffic(rng, order_line, START, MINUTES, 900))
    other.add(
        [
            at(
                START,
                5.5,
                "ERROR",
                "SQL Error: 1205, SQLState: 40001 - Lock wait timeout exceeded; try restarting transaction (retried, ok)",
            )
        ]
    )
    auth = LogFile("logs/ts-auth-service.log", spring("auth.security.jwt.JWTProvider"))
    auth.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[getToken][Login success][UserName: fdse_{r.randrange(100, 999)}]",
                (),
            ),
            START,
            MINUTES,
            600,
        )
    )
    auth.add(
        [
            at(
                START,
                14.2,
                "WARN",
                "[validateToken][Token issued in the future, allowed clock skew 60s][iat skew: 3s]",
            )
        ]
    )
    gateway = LogFile("logs/ts-gateway-service.log", spring("reactor.netty.http.server.AccessLog"))
    gateway.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'10.0.{r.randrange(256)}.{r.randrange(1, 255)} - - "POST /api/v1/{r.choice(["travelservice/trips/left", "preserveservice/preserve", "orderservice/order/refresh"])} HTTP/1.1" 200 {r.randrange(200, 9000)} {r.randrange(10, 300)}',
                (),
            ),
            START,
            MINUTES,
            3600,
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            fault + 0.9,
            MINUTES - fault - 1,
            260,
            fixed(
                "WARN",
                lambda r: (
                    f'10.0.{r.randrange(256)}.{r.randrange(1, 255)} - - "POST /api/v1/{r.choice(["preserveservice/preserve", "orderservice/order/refresh", "cancelservice/cancel"])} HTTP/1.1" 504 0 {r.randrange(10000, 12000)}'
                ),
            ),
        )
    )
    levels = {
        "ts-ui-dashboard": (0.162, 59.8, (0.0151, 0.0642), 40.3, 0.02),
        "ts-gateway-service": (0.211, 512.4, (0.0183, 0.0741), 40.1, 0.05),
        "ts-order-service": (0.198, 688.2, (0.0162, 0.0537), 15.8, 0.41),
        "ts-order-other-service": (0.121, 640.5, (0.0143, 0.0481), 6.2, 0.33),
        "ts-preserve-service": (0.264, 701.1, (0.1431, 0.3802), 5.1, 0.08),
        "ts-cancel-service": (0.058, 577.9, (0.0301, 0.0822), 1.9, 0.06),
        "ts-auth-service": (0.093, 602.3, (0.0402, 0.0911), 3.1, 0.07),
        "ts-travel-service": (0.236, 699.8, (0.0331, 0.0962), 14.1, 0.09),
        "ts-seat-service": (0.141, 633.0, (0.0208, 0.0571), 9.0, 0.05),
        "ts-food-service": (0.067, 590.6, (0.0188, 0.0471), 4.8, 0.05),
        "ts-user-service": (0.049, 561.2, (0.0071, 0.0188), 6.0, 0.04),
    }
    series = {
        name: usual_series(rng, *value[:4], diskio=value[4]) for name, value in levels.items()
    }
    o = series["ts-order-service"]
    o["diskio"] = shift(rng, 0.41, 17.83, FAULT, 0.15)
    o["cpu"] = shift(rng, 0.198, 0.236, FAULT, 0.08, ramp=5)
    o["latency-50"] = shift(rng, 0.0162, 0.8841, FAULT + 4, 0.12, ramp=25)
    o["latency-90"] = shift(rng, 0.0537, 3.2093, FAULT + 4, 0.12, ramp=25)
    o["workload"] = shift(rng, 15.8, 7.9, FAULT + 8, 0.1, ramp=20)
    series["ts-preserve-service"]["latency-90"] = shift(
        rng, 0.3802, 6.8312, FAULT + 10, 0.07, ramp=30
    )
    series["ts-gateway-service"]["latency-90"] = shift(
        rng, 0.0741, 5.4405, FAULT + 12, 0.07, ramp=30
    )
    series["ts-order-other-service"]["latency-90"] = shift(
        rng, 0.0481, 0.0803, FAULT + 40, 0.1, ramp=60
    )
    files = {"metrics/data.csv": wide_csv(START, 1, MINUTES * 60, series)}
    for log in (preserve, cancel, gateway, order, other, auth):
        files[log.name] = log.render()
    return Bundle(
        question="Since about 07:32 KST (22:32 UTC) Train-Ticket bookings and cancellations time out at the gateway with 504. Which service is the root cause, and what is it?",
        category="disk",
        component="ts-order-service",
        statement="From 22:31:30 UTC a disk I/O hog inside the ts-order-service container raises its diskio about forty-fold and its latency to seconds while its CPU barely moves; bookings and cancellations, which call it, hit Read timed out and the gateway answers 504.",
        files=files,
        proofs=[Proof("metrics/data.csv", stamp(START, 1, FAULT), stamp(START, 1, FAULT + 2))],
        decoys=["Lock wait timeout exceeded", "Token issued in the future", "Create order failed"],
    )
