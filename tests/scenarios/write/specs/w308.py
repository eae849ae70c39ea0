# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Disk I/O hog injected in the carts container (Sock Shop, RCAEval style) at 03:17:20 UTC: a dd/
stress-ng writer saturates the volume, carts' diskio series jumps twentyfold, its JVM stalls on
writes (a GC pause whose real time dwarfs user+sys, slow Mongo writes) and its latency climbs.
front-end and orders then time out on /carts. Decoys: a user-db slow auth warning, shipping's
RabbitMQ reconnect, a catalogue 404 burst."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Log4j, Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic


class Console(SpringBoot):
    """The container's stdout: logback lines, plus lines the JVM itself prints unformatted."""

    def render(self, record: Record) -> list[str]:
        if record.logger == "gc":
            return [record.message]
        return super().render(record)


START = datetime(2025, 7, 22, 2, 58, tzinfo=UTC)
STEP = 1
MINUTES = 38
POINTS = MINUTES * 60
INJECT = 19.33  # 03:17:20


def cust(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def carts_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return "DEBUG", f"Creating item for customer: {cust(rng)}", ()
    if roll < 0.7:
        return "DEBUG", f"Found item in cart. Incrementing for user: {cust(rng)}", ()
    if roll < 0.9:
        return (
            "INFO",
            f"Merging carts for customer id: {cust(rng)} and session id: {rng.getrandbits(128):032x}",
            (),
        )
    return "DEBUG", f"Deleting cart for user: {cust(rng)}", ()


def front_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f"GET /catalogue/{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x} 200 {rng.randrange(3, 30)}ms",
            (),
        )
    if roll < 0.6:
        return "INFO", f"GET /cart 200 {rng.randrange(4, 35)}ms", ()
    if roll < 0.8:
        return "INFO", f"POST /cart 201 {rng.randrange(8, 60)}ms", ()
    if roll < 0.95:
        return "INFO", f"GET /customers/{cust(rng)} 200 {rng.randrange(3, 25)}ms", ()
    return "INFO", f"POST /orders 201 {rng.randrange(90, 420)}ms", ()


def bundle() -> Bundle:
    rng = random.Random(30802)
    inject = int(INJECT * 60)
    carts = LogFile(
        "logs/carts.log",
        Console(
            (
                "w.w.s.cart.CartDAO$Default",
                "w.w.s.controllers.ItemsController",
                "w.w.s.cart.CartResource",
                "w.w.s.controllers.CartsController",
            ),
            pid=1,
            rng=rng,
        ),
    )
    carts.add(traffic(rng, carts_line, START, MINUTES, 3900))
    carts.add(
        [
            Record(
                START + timedelta(minutes=INJECT + 0.21, milliseconds=318),
                "INFO",
                "[2025-07-22T03:17:32.718+0000][info][gc] GC(3187) Pause Young (Normal) (G1 Evacuation Pause) 301M->118M(512M) 2417.806ms [Times: user=0.03 sys=0.01, real=2.42 secs]",
                (),
                "gc",
            ),
            at(
                START,
                INJECT + 0.55,
                "WARN",
                "Slow write: cart.save took 3184ms (mongo connection pool 4/100 in use, fsync wait)",
            ),
        ]
    )
    carts.add(
        loud(
            rng,
            START,
            INJECT + 1.0,
            MINUTES - INJECT - 1.2,
            90,
            fixed(
                "WARN",
                lambda r: (
                    f"Slow write: cart.save took {r.randrange(1100, 4900)}ms (mongo connection pool {r.randrange(3, 9)}/100 in use)"
                ),
            ),
        )
    )
    front = LogFile("logs/front-end.log", Log4j(("front-end",), threads="node", rng=rng))
    front.add(traffic(rng, front_line, START, MINUTES, 4300))
    front.add(
        loud(
            rng,
            START,
            INJECT + 1.3,
            MINUTES - INJECT - 1.5,
            380,
            fixed(
                "ERROR",
                lambda r: (
                    f"Error: ESOCKETTIMEDOUT GET http://carts/carts/{cust(r)}/items after 5000ms"
                ),
            ),
        )
    )
    front.add(
        loud(
            rng,
            START,
            INJECT + 1.6,
            MINUTES - INJECT - 2,
            120,
            fixed("ERROR", lambda r: f"POST /cart 500 {r.randrange(5000, 5030)}ms"),
        )
    )
    front.add([at(START, 11.8, "WARN", "GET /catalogue/size?tags=skiwear 404 3ms")])
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            ("w.w.s.o.controllers.OrdersController", "w.w.s.o.services.AsyncGetService"),
            pid=1,
            rng=rng,
        ),
    )
    orders.add(
        traffic(
            rng,
            fixed("DEBUG", lambda r: f"Starting calls for order {cust(r)}"),
            START,
            MINUTES,
            700,
        )
    )
    orders.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"Order created: {cust(r)} total={r.randrange(9, 220)}.{r.randrange(100):02d}"
                ),
            ),
            START,
            INJECT + 1.2,
            300,
        )
    )
    orders.add(
        loud(
            rng,
            START,
            INJECT + 1.5,
            MINUTES - INJECT - 2,
            110,
            fixed(
                "ERROR",
                lambda r: (
                    'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://carts/carts/'
                    + cust(r)
                    + '/items": Read timed out]'
                ),
                lambda r: java_trace(
                    "java.net.SocketTimeoutException: Read timed out",
                    [
                        "java.net.SocketInputStream.socketRead0(Native Method)",
                        "java.net.SocketInputStream.read(SocketInputStream.java:171)",
                        "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:666)",
                        "works.weave.socks.orders.services.AsyncGetService.getDataList(AsyncGetService.java:58)",
                    ],
                    more=31,
                ),
            ),
        )
    )
    user = LogFile("logs/user.log", Log4j(("user",), threads="http", rng=rng))
    user.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"GET /customers/{cust(r)} 200 {r.randrange(1, 12)}ms"),
            START,
            MINUTES,
            1400,
        )
    )
    user.add(
        [
            at(
                START,
                6.4,
                "WARN",
                "slow authentication for user Eve_Berger: user-db query took 1288ms",
            )
        ]
    )
    shipping = LogFile(
        "logs/shipping.log",
        SpringBoot(
            ("w.w.s.s.controllers.ShippingController", "o.s.a.r.c.CachingConnectionFactory"),
            pid=1,
            rng=rng,
        ),
    )
    shipping.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"Adding shipment to queue... id={cust(r)}"),
            START,
            MINUTES,
            500,
        )
    )
    shipping.add(
        [
            at(
                START,
                29.1,
                "WARN",
                "Attempting to connect to: [rabbitmq:5672] (connection reset, channel re-created)",
            )
        ]
    )

    levels = {
        "front-end": (0.152, 92, (0.0141, 0.0584), 44.2),
        "carts": (0.171, 412, (0.0087, 0.0301), 16.3),
        "carts-db": (0.041, 188, (0.0011, 0.0034), 16.3),
        "catalogue": (0.022, 12, (0.0020, 0.0060), 36.4),
        "orders": (0.079, 388, (0.0498, 0.1377), 1.9),
        "payment": (0.007, 9, (0.0004, 0.0011), 1.9),
        "shipping": (0.012, 341, (0.0030, 0.0091), 1.9),
        "user": (0.018, 14, (0.0033, 0.0101), 12.1),
        "user-db": (0.029, 176, (0.0010, 0.0031), 12.1),
    }
    files: dict[str, str] = {}
    for name, (cpu, memory, latency, workload) in levels.items():
        series = usual_series(rng, cpu, memory, latency, workload, diskio=rng.uniform(30, 90))
        if name == "carts":
            series["diskio"] = shift(rng, 61.0, 1384.0, inject, 0.15)
            series["latency-50"] = shift(rng, 0.0087, 1.2211, inject + 6, 0.2, ramp=20)
            series["latency-90"] = shift(rng, 0.0301, 4.8812, inject + 6, 0.2, ramp=20)
            series["cpu"] = shift(rng, 0.171, 0.244, inject, 0.07)
        if name == "front-end":
            series["latency-90"] = shift(rng, 0.0584, 5.0102, inject + 70, 0.1, ramp=10)
        if name == "orders":
            series["latency-90"] = shift(rng, 0.1377, 5.2441, inject + 80, 0.1, ramp=10)
        files[f"metrics/{name}.csv"] = unix_rows(
            START, STEP, POINTS, {f"{name}_{key}": value for key, value in series.items()}, 4
        )
    files |= {
        "logs/front-end.log": front.render(),
        "logs/carts.log": carts.render(),
        "logs/orders.log": orders.render(),
        "logs/user.log": user.render(),
        "logs/shipping.log": shipping.render(),
    }
    return Bundle(
        question="Sock Shop customers can't add items to the cart or place orders since about 03:18 UTC; requests hang and then fail. What is the root cause?",
        category="disk",
        component="carts",
        statement="A disk I/O hog injected into the carts container at 03:17:20 UTC saturated its volume (carts diskio jumps about twentyfold); the carts JVM stalls on I/O and its latency climbs until front-end and orders time out on the carts API.",
        files=files,
        proofs=[
            Proof("metrics/carts.csv", stamp(START, STEP, inject)),
            Proof("logs/carts.log", "GC(3187) Pause Young (Normal)"),
            Proof("logs/carts.log", "Slow write: cart.save took 3184ms"),
        ],
        decoys=[
            "slow authentication for user Eve_Berger",
            "Attempting to connect to: [rabbitmq:5672]",
            "GET /catalogue/size?tags=skiwear 404",
        ],
    )
