# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""stress-ng burns the carts container's whole CPU limit; carts logs nothing unusual, its CPU
saturates and its latency climbs, while orders times out fetching carts and front-end logs 500s
on checkout and the basket page."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import KubectlTimestamps, SpringBoot
from scenes import fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 4, 18, 9, 0, tzinfo=UTC)
STEP = 5
POINTS = 40 * 60 // STEP
FAULT = 23 * 60 // STEP + 2


def hexid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def carts_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return "DEBUG", f"Creating cart for customer {hexid(rng)}", ()
    if roll < 0.6:
        return "DEBUG", f"Merging carts for customer {hexid(rng)} and session {hexid(rng)}", ()
    if roll < 0.8:
        return (
            "INFO",
            f"Adding item {rng.getrandbits(32):08x}-{rng.getrandbits(16):04x} to cart {hexid(rng)} (quantity={rng.randrange(1, 4)})",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"Opened connection [connectionId{{localValue:{rng.randrange(5, 400)}, serverValue:{rng.randrange(100, 9000)}}}] to carts-db:27017",
            (),
        )
    return (
        "INFO",
        f"Closed connection [connectionId{{localValue:{rng.randrange(5, 400)}}}] to carts-db:27017 because it had been idle too long",
        (),
    )


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"Order created: {hexid(rng)} total={rng.randrange(10, 120)}.{rng.randrange(100):02d} items={rng.randrange(1, 6)}",
            (),
        )
    if roll < 0.7:
        return (
            "DEBUG",
            f"Received payment response: PaymentResponse{{authorised=true, message=Payment authorised}} for customer {hexid(rng)}",
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            f"Received shipment task: Shipment{{id='{hexid(rng)}', name='{rng.choice(['Eve', 'Lance', 'Mia'])}'}}",
            (),
        )
    return "INFO", f"Starting calls to address, card, customer and items for order {hexid(rng)}", ()


def front_line(rng: random.Random) -> Line:
    roll = rng.random()
    path, ms = rng.choice(
        [
            ("/catalogue?page=1&size=6", 18),
            ("/cart", 22),
            ("/cart", 22),
            (f"/catalogue/{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}", 9),
            ("/tags", 4),
            ("/orders", 70),
            (f"/customers/{hexid(rng)}", 25),
        ]
    )
    if roll < 0.9:
        return (
            "INFO",
            f"GET {path} 200 {rng.randrange(max(1, ms // 3), ms * 2)}.{rng.randrange(1000):03d} ms - {rng.randrange(2, 4000)}",
            (),
        )
    if roll < 0.97:
        return (
            "INFO",
            f"POST /cart 201 {rng.randrange(15, 60)}.{rng.randrange(1000):03d} ms - -",
            (),
        )
    return "INFO", f"GET /login 401 {rng.randrange(10, 40)}.{rng.randrange(1000):03d} ms - -", ()


def orders_timeout(rng: random.Random) -> Line:
    order = hexid(rng)
    return (
        "ERROR",
        f"Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.TimeoutException] with root cause (order {order})",
        tuple(
            java_trace(
                "java.util.concurrent.TimeoutException: null",
                [
                    "java.util.concurrent.CompletableFuture.timedGet(CompletableFuture.java:1784)",
                    "java.util.concurrent.CompletableFuture.get(CompletableFuture.java:1928)",
                    "works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:97)",
                    "sun.reflect.GeneratedMethodAccessor91.invoke(Unknown Source)",
                ],
            )
        ),
    )


def bundle() -> Bundle:
    rng = random.Random(188)
    minute = FAULT * STEP / 60
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(
            (
                "w.w.s.carts.controllers.CartsController",
                "w.w.s.carts.controllers.ItemsController",
                "org.mongodb.driver.connection",
            ),
            pid=7,
            rng=rng,
        ),
    )
    carts.add(traffic(rng, carts_line, START, 40, 2300))
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            (
                "w.w.s.orders.controllers.OrdersController",
                "w.w.s.orders.services.AsyncGetService",
                "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
            pid=7,
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, 40, 900))
    orders.add(loud(rng, START, minute + 0.3, 16, 133, orders_timeout))
    orders.add(
        loud(
            rng,
            START,
            minute + 0.5,
            15.5,
            61,
            fixed(
                "WARN",
                lambda r: (
                    f"Failed to save order {hexid(r)}: com.mongodb.MongoWaitQueueFullException: Too many threads are already waiting for a connection. Max number of threads (maxWaitQueueSize) of 500 has been exceeded."
                ),
            ),
        )
    )
    front = LogFile("logs/front-end.log", KubectlTimestamps())
    front.add(traffic(rng, front_line, START, 40, 3400))
    front.add(
        loud(
            rng,
            START,
            minute + 0.2,
            16.5,
            311,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /cart 500 {r.randrange(3000, 9000)}.{r.randrange(1000):03d} ms - 55"
                ),
            ),
        )
    )
    front.add(
        loud(
            rng,
            START,
            minute + 0.4,
            16,
            127,
            fixed(
                "ERROR",
                lambda r: "POST /orders 500 - - Error: ESOCKETTIMEDOUT",
                lambda r: [
                    "    at ClientRequest.<anonymous> (/usr/src/app/node_modules/request/request.js:816:19)",
                    "    at Object.onceWrapper (node:events:628:26)",
                    "    at ClientRequest.emit (node:events:513:28)",
                    "    at Socket.emitRequestTimeout (node:_http_client:847:9)",
                ],
            ),
        )
    )
    series = {
        "front-end": usual_series(rng, 0.103, 97, (0.0146, 0.0512), 34.8),
        "carts": usual_series(rng, 0.214, 412, (0.0094, 0.0311), 14.2),
        "carts-db": usual_series(rng, 0.028, 188, (0.0011, 0.0034), 19.6),
        "catalogue": usual_series(rng, 0.019, 13, (0.0029, 0.0081), 21.7),
        "orders": usual_series(rng, 0.187, 433, (0.0384, 0.1177), 1.6),
        "orders-db": usual_series(rng, 0.021, 171, (0.0013, 0.0041), 3.2),
        "payment": usual_series(rng, 0.004, 9, (0.0008, 0.0022), 1.6),
        "shipping": usual_series(rng, 0.131, 352, (0.0058, 0.0177), 1.6),
        "user": usual_series(rng, 0.011, 17, (0.0026, 0.0091), 6.4),
    }
    series["carts"]["cpu"] = shift(rng, 0.214, 0.991, FAULT, 0.015)
    series["carts"]["latency-50"] = shift(rng, 0.0094, 0.2372, FAULT + 1, 0.2, ramp=4)
    series["carts"]["latency-90"] = shift(rng, 0.0311, 1.1843, FAULT + 1, 0.25, ramp=4)
    series["carts"]["workload"] = shift(rng, 14.2, 9.1, FAULT + 2, 0.12, ramp=6)
    series["carts-db"]["workload"] = shift(rng, 19.6, 12.4, FAULT + 2, 0.1, ramp=6)
    series["orders"]["latency-90"] = shift(rng, 0.1177, 5.0412, FAULT + 2, 0.1, ramp=6)
    series["orders"]["cpu"] = shift(rng, 0.187, 0.263, FAULT + 3, 0.1, ramp=10)
    series["orders"]["mem"] = shift(rng, 433, 518, FAULT + 3, 0.01, ramp=40)
    series["front-end"]["latency-90"] = shift(rng, 0.0512, 3.2481, FAULT + 2, 0.15, ramp=5)
    files = {
        f"metrics/{name}.csv": unix_rows(
            START,
            STEP,
            POINTS,
            {f"{name}_{metric}": values for metric, values in columns.items()},
            4,
        )
        for name, columns in series.items()
    }
    return Bundle(
        question="Sock Shop: customers get errors on the basket page and checkout since roughly 09:23 UTC, orders is complaining about its Mongo connection pool. What is the root cause?",
        category="cpu",
        component="carts",
        statement="The carts container's CPU is saturated at its one-core limit from 09:23:10 UTC (a CPU hog), so carts answers slowly while its log stays normal, and orders times out waiting for carts and front-end's /cart and /orders requests fail with 500s.",
        files={
            "logs/front-end.log": front.render(),
            "logs/orders.log": orders.render(),
            "logs/carts.log": carts.render(),
            **files,
        },
        proofs=[
            Proof("metrics/carts.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 2))
        ],
        decoys=[
            "com.mongodb.MongoWaitQueueFullException",
            "java.util.concurrent.TimeoutException",
            "Error: ESOCKETTIMEDOUT",
        ],
    )
