# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE3 style, code fault): carts 0.4.9 rolled out at 13:02 UTC. Its new
item-merging code builds a map keyed by item id with `Collectors.toMap` and throws
`IllegalStateException: Duplicate key` for any cart holding the same sock twice, which is
every cart merged at login from a guest session that had the same item. carts answers 500 on
GET /carts/{id}/items for those customers only; front-end's cart page and orders' checkout
fail for them (orders logs `HttpServerErrorException: 500`), metrics barely move. Decoys:
user's failed logins, catalogue's unknown sock id lookups, a queue-master restart at 12:47,
and orders' 500s themselves."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import unix_rows, usual_series
from records import KubectlTimestamps, Logfmt, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 12, 2, 12, 40, tzinfo=UTC)
MINUTES = 45
STEP = 10
RELEASE = 22.0
SOCKS = [
    "03fef6ac-1896-4ce8-bd69-b798f85c6e0b",
    "3395a43e-2d88-40de-b95f-e00e1502085b",
    "510a0d7e-8e83-4193-b483-e27e09ddc34d",
    "808a2de1-1aaa-4c25-a9b9-6612e8f29a38",
    "819e1fbf-8b7e-4f6d-811f-693534916a8b",
    "a0a4f044-b040-410d-8ead-4de0446aec7e",
    "d3588630-ad8e-49df-bbd7-3167f7efb246",
    "zzz4f044-b040-410d-8ead-4de0446aec7e",
]


def oid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def dup_trace(rng: random.Random, sock: str, quantity: int) -> list[str]:
    return java_trace(
        f"java.lang.IllegalStateException: Duplicate key {sock} (attempted merging values Item{{id='{oid(rng)}', itemId='{sock}', quantity=1, unitPrice=18.0}} and Item{{id='{oid(rng)}', itemId='{sock}', quantity={quantity}, unitPrice=18.0}})",
        [
            "java.util.stream.Collectors.duplicateKeyException(Collectors.java:135)",
            "java.util.stream.Collectors.lambda$uniqKeysMapAccumulator$1(Collectors.java:182)",
            "java.util.stream.ReduceOps$3ReducingSink.accept(ReduceOps.java:169)",
            "java.util.ArrayList$ArrayListSpliterator.forEachRemaining(ArrayList.java:1625)",
            "java.util.stream.ReferencePipeline.collect(ReferencePipeline.java:682)",
            "works.weave.socks.cart.cart.CartContentsResource.itemsById(CartContentsResource.java:71)",
            "works.weave.socks.cart.cart.CartContentsResource.contents(CartContentsResource.java:38)",
            "works.weave.socks.cart.controllers.ItemsController.getItems(ItemsController.java:44)",
        ],
        more=52,
    )


def carts_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "DEBUG",
            f"Merging carts for customer id: {oid(rng)} and session id: {oid(rng)[:20]}",
            (),
        )
    if roll < 0.7:
        return (
            "DEBUG",
            f"Item found in cart. Incrementing for user: {oid(rng)}, Item: {rng.choice(SOCKS[:-1])}",
            (),
        )
    return (
        "DEBUG",
        f"Adding item to cart: Item{{id='null', itemId='{rng.choice(SOCKS[:-1])}', quantity=1, unitPrice={rng.choice(['18.0', '99.99', '7.99', '14.0'])}}}",
        (),
    )


def carts_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.IllegalStateException: Duplicate key] with root cause",
        tuple(dup_trace(rng, rng.choice([SOCKS[0], *SOCKS[2:-1]]), rng.randrange(2, 4))),
    )


def orders_line(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "DEBUG",
            f"Order created: CustomerOrder{{id='{oid(rng)}', customerId='{oid(rng)}', total={rng.randrange(10, 140)}.{rng.randrange(100):02d}}}",
            (),
        )
    return (
        "INFO",
        "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
        (),
    )


def orders_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.HttpServerErrorException: 500 null] with root cause",
        tuple(
            java_trace(
                "org.springframework.web.client.HttpServerErrorException: 500 null",
                [
                    "org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:94)",
                    "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:531)",
                    f"works.weave.socks.orders.services.AsyncGetService.getDataList(AsyncGetService.java:{rng.choice([71, 71, 73])})",
                ],
                more=40,
            )
        ),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?size=6",
            "/catalogue/" + rng.choice(SOCKS[:-1]),
            "/cart",
            "/customers/" + oid(rng),
            "/tags",
            "/address",
        ]
    )
    return (
        "INFO",
        f"GET {path} 200 {rng.randrange(4, 90)}.{rng.randrange(1000):03d} ms - {rng.randrange(40, 5000)}",
        (),
    )


def front_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        rng.choice(
            [
                f"GET /cart 500 {rng.randrange(20, 80)}.{rng.randrange(1000):03d} ms - 34",
                f"POST /orders 500 {rng.randrange(60, 200)}.{rng.randrange(1000):03d} ms - 212",
            ]
        ),
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(52443)
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(
            (
                "works.weave.socks.cart.controllers.CartsController",
                "works.weave.socks.cart.controllers.ItemsController",
                "works.weave.socks.cart.cart.CartDAO",
            ),
            rng=rng,
        ),
    )
    carts.add(traffic(rng, carts_line, START, MINUTES, 2600))
    carts.add(
        [
            at(
                START,
                RELEASE - 0.6,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            ),
            at(
                START,
                RELEASE,
                "INFO",
                "Starting CartApplication v0.4.9 using Java 17.0.9 on carts-7b9c5d8f4-wz2qk with PID 1 (/usr/src/app/app.jar started by root in /usr/src/app)",
                logger="works.weave.socks.cart.CartApplication",
            ),
            at(
                START,
                RELEASE + 0.4,
                "INFO",
                "Started CartApplication in 21.604 seconds (process running for 23.18)",
                logger="works.weave.socks.cart.CartApplication",
            ),
            at(
                START,
                RELEASE + 1.3,
                "ERROR",
                "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.IllegalStateException: Duplicate key] with root cause",
                tuple(dup_trace(rng, "3395a43e-2d88-40de-b95f-e00e1502085b", 2)),
                logger="o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
        ]
    )
    carts.add(loud(rng, START, RELEASE + 1.5, MINUTES - RELEASE - 1.6, 120, carts_error))
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            (
                "works.weave.socks.orders.controllers.OrdersController",
                "works.weave.socks.orders.services.AsyncGetService",
            ),
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, MINUTES, 700))
    orders.add(loud(rng, START, RELEASE + 1.6, MINUTES - RELEASE - 1.7, 40, orders_error))
    front = LogFile("logs/front-end.log", KubectlTimestamps())
    front.add(traffic(rng, front_line, START, MINUTES, 3400))
    front.add(loud(rng, START, RELEASE + 1.4, MINUTES - RELEASE - 1.5, 150, front_error))
    user = LogFile("logs/user.log", Logfmt("user", rng=rng))
    user.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"method=GetUser id={oid(r)} took={r.randrange(300, 4000)}µs err=null",
                (),
            ),
            START,
            MINUTES,
            900,
        )
    )
    user.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            14,
            lambda r: (
                "WARN",
                f'method=Login username={r.choice(["user", "user1", "eve", "admin"])} took={r.randrange(900, 3000)}µs err="invalid username or password"',
                (),
            ),
        )
    )
    catalogue = LogFile("logs/catalogue.log", Logfmt("catalogue", rng=rng))
    catalogue.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"method=Get id={r.choice(SOCKS[:-1])} sock={r.choice(['Holy', 'Crossed', 'Figueroa', 'Colourful', 'SuperSport XL'])} err=null took={r.randrange(400, 3000)}µs",
                (),
            ),
            START,
            MINUTES,
            1500,
        )
    )
    catalogue.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            9,
            lambda r: (
                "WARN",
                f'method=Get id={SOCKS[-1]} sock=null err="not found" took={r.randrange(400, 2000)}µs',
                (),
            ),
        )
    )
    queue = LogFile(
        "logs/queue-master.log",
        SpringBoot(
            (
                "works.weave.socks.queuemaster.ShippingTaskHandler",
                "org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer",
            ),
            rng=rng,
        ),
    )
    queue.add(
        traffic(
            rng, lambda r: ("INFO", f"Received shipment task: {oid(r)}", ()), START, MINUTES, 300
        )
    )
    queue.add(
        [
            at(
                START,
                7.0,
                "WARN",
                "Consumer raised exception, processing can restart if the connection factory supports it. Exception summary: org.springframework.amqp.AmqpIOException: java.io.EOFException",
            ),
            at(
                START,
                7.4,
                "INFO",
                "Started QueueMasterApplication in 18.871 seconds (JVM running for 20.3)",
            ),
        ]
    )
    levels = {
        "front-end": (0.088, 86.9, (0.012, 0.049), 43.7),
        "carts": (0.063, 391.2, (0.008, 0.026), 18.9),
        "carts-db": (0.019, 70.1, (0.0012, 0.0041), 19.1),
        "orders": (0.051, 399.7, (0.041, 0.118), 4.1),
        "orders-db": (0.016, 69.9, (0.0018, 0.0061), 6.2),
        "catalogue": (0.012, 9.4, (0.003, 0.009), 25.9),
        "catalogue-db": (0.014, 201.3, (0.0011, 0.0037), 25.6),
        "payment": (0.004, 7.1, (0.0006, 0.0021), 4.0),
        "user": (0.009, 11.6, (0.004, 0.012), 14.2),
        "shipping": (0.027, 349.5, (0.006, 0.019), 3.9),
        "queue-master": (0.021, 322.4, (0.004, 0.011), 3.9),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    point = int(RELEASE * 60 // STEP)
    c = services["carts"]
    c["cpu"] = shift(rng, 0.063, 0.071, point, 0.07)
    c["mem"] = shift(rng, 391.2, 405.8, point, 0.008)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": f for m, f in series.items()}, 4
        )
        for name, series in services.items()
    }
    for log in (carts, orders, front, user, catalogue, queue):
        files[log.name] = log.render()
    return Bundle(
        question="Since shortly after 13:00 UTC some customers get an error on the cart page and cannot check out, others are fine. What is the root cause?",
        category="code_error",
        component="carts",
        statement="carts 0.4.9, rolled out at 13:02 UTC, builds a map of cart items keyed by item id and throws `IllegalStateException: Duplicate key` for carts that hold the same sock twice (carts merged at login); GET /carts/{id}/items answers 500 for those customers, so front-end's cart page and orders' checkout fail for them.",
        files=files,
        proofs=[
            Proof("logs/carts.log", "Starting CartApplication v0.4.9"),
            Proof(
                "logs/carts.log",
                "Duplicate key 3395a43e-2d88-40de-b95f-e00e1502085b",
                "CartContentsResource.itemsById",
            ),
        ],
        decoys=[
            "invalid username or password",
            "sock=null",
            "AmqpIOException: java.io.EOFException",
            "HttpServerErrorException: 500 null",
        ],
    )
