# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout, one CSV per service): about a third of the packets to and
from the payment pod are dropped (tc netem loss) from 21:42:13 UTC. payment's own log keeps
authorising every request it receives in microseconds; only its p90 latency (retransmissions)
and its falling workload show the fault. orders waits on payment after the user lookups and
fails with `Unable to create order due to timeout from one of the services.`, which names no
service, and the front-end returns 500 for about one checkout in three. Decoys: orders' timeout
errors, a carts MongoDB socket error at 21:19 that recovered, and the front-end's MemoryStore
warning at start."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 11, 19, 21, 15, tzinfo=UTC)
STEP = 1
MINUTES = 36
POINTS = MINUTES * 60
FAULT = 27 * 60 + 13


@dataclass
class GoKit:
    """go-kit's logfmt logger as Sock Shop's Go services use it."""

    def render(self, record: Record) -> list[str]:
        when = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        return [f"ts={when} caller={record.logger or 'logging.go:29'} {record.message}"]


@dataclass
class Console:
    """The front-end's console output (morgan `dev` lines and plain messages)."""

    def render(self, record: Record) -> list[str]:
        return [record.message, *record.trailer]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}"


def oid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def payment_line(rng: random.Random) -> Line:
    if rng.random() < 0.8:
        return (
            "INFO",
            f"method=Authorise result=true took={rng.randrange(2, 40)}.{rng.randrange(1000):03d}µs",
            (),
        )
    return (
        "INFO",
        f"method=Health result=1 took={rng.randrange(2, 9)}.{rng.randrange(1000):03d}µs",
        (),
    )


def user_line(rng: random.Random) -> Line:
    method = rng.choice(
        ["GetUsers", "GetAddresses", "GetCards", "GetAddresses", "GetCards", "Login"]
    )
    return (
        "INFO",
        f"method={method} result={rng.choice([1, 1, 2])} took={rng.randrange(1, 9)}.{rng.randrange(1000):03d}ms",
        (),
    )


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    customer = oid(rng)
    if roll < 0.3:
        return (
            "DEBUG",
            f"Order created: CustomerOrder{{id='{oid(rng)}', customerId='{customer}', total={rng.randrange(1000, 12000) / 100}}}",
            (),
        )
    if roll < 0.55:
        return (
            "INFO",
            f"Sending payment request: PaymentRequest{{address=Address{{id='{oid(rng)}', country='United Kingdom'}}, customer=Customer{{id='{customer}'}}, amount={rng.randrange(1000, 12000) / 100}}}",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
            (),
        )
    return (
        "DEBUG",
        f"Received data: Item{{id='{oid(rng)}', itemId='{uid(rng)}', quantity={rng.randrange(1, 4)}}}",
        (),
    )


def orders_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.IllegalStateException: Unable to create order due to timeout from one of the services.] with root cause",
        tuple(
            java_trace(
                "java.util.concurrent.TimeoutException: null",
                [
                    "java.util.concurrent.FutureTask.get(FutureTask.java:205)",
                    "works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:108)",
                    "sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
                    "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:116)",
                    "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:963)",
                ],
                more=0,
            )
        ),
    )


def frontend_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            f"/catalogue/{uid(rng)}",
            "/catalogue?page=1&size=6&tags=",
            "/cart",
            "/customers/" + oid(rng)[:24],
            "/catalogue/size?tags=",
            "/orders",
            "/tags",
        ]
    )
    method = "GET"
    status = 200
    if path == "/orders" and rng.random() < 0.4:
        method, status = "POST", 201
    if path == "/cart" and rng.random() < 0.3:
        method, status = "POST", 201
    return (
        "INFO",
        f"{method} {path} {status} {rng.randrange(2, 90)}.{rng.randrange(1000):03d} ms - {rng.randrange(2, 4000)}",
        (),
    )


def order_failed(rng: random.Random) -> Line:
    return (
        "ERROR",
        'Order response: {"timestamp":@MS@,"status":500,"error":"Internal Server Error","exception":"java.lang.IllegalStateException","message":"Unable to create order due to timeout from one of the services.","path":"/orders"}',
        (f"POST /orders 500 {rng.randrange(5000, 5200)}.{rng.randrange(1000):03d} ms - 201",),
    )


def bundle() -> Bundle:
    rng = random.Random(1148)
    fault_minute = FAULT / 60
    after = MINUTES - fault_minute
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            ("w.w.s.o.controllers.OrdersController", "w.w.s.o.services.AsyncGetService"), rng=rng
        ),
    )
    orders.add(
        traffic(
            rng, orders_line, START, MINUTES, 2600, logger="w.w.s.o.controllers.OrdersController"
        )
    )
    orders.add(loud(rng, START, fault_minute + 0.12, after - 0.2, 120, orders_timeout))
    orders.records = [
        Record(r.time, r.level, r.message, r.trailer, "o.a.c.c.C.[.[.[/].[dispatcherServlet]")
        if r.level == "ERROR"
        else r
        for r in orders.records
    ]
    payment = LogFile("logs/payment.log", GoKit())
    payment.add(traffic(rng, payment_line, START, fault_minute, 880))
    payment.add(traffic(rng, payment_line, START + timedelta(minutes=fault_minute), after, 410))
    user = LogFile("logs/user.log", GoKit())
    user.add(traffic(rng, user_line, START, MINUTES, 1900))
    frontend = LogFile("logs/front-end.log", Console())
    frontend.add(
        [
            at(
                START,
                0.02,
                "WARN",
                "Warning: connect.session() MemoryStore is not designed for a\nproduction environment, as it will leak memory, and will not scale past a single process.",
            )
        ]
    )
    frontend.add([at(START, 0.05, "INFO", "App now running in production mode on port 8079")])
    frontend.add(traffic(rng, frontend_line, START, MINUTES, 3900))
    frontend.add(
        [
            Record(
                r.time,
                r.level,
                r.message.replace("@MS@", str(int(r.time.timestamp() * 1000))),
                r.trailer,
            )
            for r in loud(rng, START, fault_minute + 0.14, after - 0.2, 118, order_failed)
        ]
    )
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(
            ("w.w.s.cart.controllers.CartsController", "org.mongodb.driver.connection"), rng=rng
        ),
    )
    carts.add(
        traffic(
            rng,
            lambda r: (
                "DEBUG",
                f"Merging carts for customer id: {oid(r)} and session id: {uid(r)}",
                (),
            ),
            START,
            MINUTES,
            1100,
        )
    )
    carts.add(
        [
            at(
                START,
                4.3,
                "WARN",
                "Exception in monitor thread while connecting to server carts-db:27017",
                java_trace(
                    "com.mongodb.MongoSocketReadException: Prematurely reached end of stream",
                    [
                        "com.mongodb.connection.SocketStream.read(SocketStream.java:88)",
                        "com.mongodb.connection.InternalStreamConnection.receiveResponseBuffers(InternalStreamConnection.java:494)",
                        "com.mongodb.connection.DefaultServerMonitor$ServerMonitorRunnable.run(DefaultServerMonitor.java:114)",
                    ],
                ),
                logger="org.mongodb.driver.cluster",
            ),
            at(
                START,
                4.6,
                "INFO",
                "Monitor thread successfully connected to server with description ServerDescription{address=carts-db:27017, type=STANDALONE, state=CONNECTED, ok=true, version=ServerVersion{versionList=[3, 4, 24]}}",
                logger="org.mongodb.driver.cluster",
            ),
        ]
    )

    levels = {
        "front-end": (0.071, 88, (0.0114, 0.0592), 18.4),
        "orders": (0.094, 412, (0.0612, 0.1835), 1.7),
        "payment": (0.006, 9, (0.0012, 0.0031), 1.7),
        "user": (0.021, 12, (0.0031, 0.0078), 6.9),
        "carts": (0.088, 398, (0.0093, 0.0312), 7.8),
        "catalogue": (0.012, 8, (0.0041, 0.0102), 13.6),
        "shipping": (0.044, 371, (0.0052, 0.0141), 1.2),
        "queue-master": (0.031, 355, (0.0021, 0.0058), 1.2),
        "rabbitmq": (0.026, 118, (0.0009, 0.0024), 2.4),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    services["payment"]["latency-50"] = shift(rng, 0.0012, 0.0019, FAULT, 0.3)
    services["payment"]["latency-90"] = shift(rng, 0.0031, 0.4470, FAULT, 0.35)
    services["payment"]["workload"] = shift(rng, 1.7, 1.08, FAULT, 0.12, ramp=4)
    services["orders"]["latency-90"] = shift(rng, 0.1835, 3.42, FAULT + 3, 0.25, ramp=8)
    services["orders"]["latency-50"] = shift(rng, 0.0612, 0.2890, FAULT + 3, 0.3, ramp=8)
    services["front-end"]["latency-90"] = shift(rng, 0.0592, 1.31, FAULT + 4, 0.3, ramp=8)
    services["shipping"]["workload"] = shift(rng, 1.2, 0.81, FAULT + 5, 0.12, ramp=8)
    files = {
        f"metrics/{name}.csv": unix_rows(START, STEP, POINTS, series, 4)
        for name, series in services.items()
    }
    files |= {
        "logs/orders.log": orders.render(),
        "logs/payment.log": payment.render(),
        "logs/user.log": user.render(),
        "logs/front-end.log": frontend.render(),
        "logs/carts.log": carts.render(),
    }
    return Bundle(
        question="Since about 21:42 UTC roughly one Sock Shop checkout in three fails with a 500 after five seconds. Which service is the root cause?",
        category="network",
        component="payment",
        statement="From 21:42:13 UTC about a third of the packets to and from the payment pod are dropped: payment's own handling stays in microseconds but its p90 latency jumps to about 0.45 s and its workload falls, so orders' payment calls time out (`Unable to create order due to timeout from one of the services.`) and about one checkout in three fails with a 500.",
        files=files,
        proofs=[
            Proof("metrics/payment.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 4))
        ],
        decoys=[
            "Unable to create order due to timeout from one of the services.",
            "Prematurely reached end of stream",
            "MemoryStore is not designed",
        ],
    )
