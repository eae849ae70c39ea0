# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE3 layout, one wide CSV): a new carts build (0.4.9-rc3) rolled in at
11:02 UTC throws a NullPointerException in ItemsController.addToCart whenever the item is not
already in the cart (the merge path was refactored); only "add to cart" of a new item fails with
500, so metrics barely move. front-end logs the 500s loudly. Decoys: front-end's errors, an
orders `Payment declined` for a test card, and carts-db's slow-query notice."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 5, 28, 10, 40, tzinfo=UTC)
MINUTES = 45
STEP = 1
DEPLOY = 22.0


@dataclass
class NodeConsole:
    def render(self, record: Record) -> list[str]:
        return [record.message, *record.trailer]


def oid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


ITEMS = [
    "03fef6ac-1896-4ce8-bd69-b798f85c6e0b",
    "3395a43e-2d88-40de-b95f-e00e1502085b",
    "510a0d7e-8e83-4193-b483-e27e09ddc34d",
    "808a2de1-1aaa-4c25-a9b9-6612e8f29a38",
    "d3588630-ad8e-49df-bbd7-3167f7efb246",
    "zzz4f044-b040-410d-8ead-4de0446aec7e",
]


def carts_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "DEBUG", f"Found cart for customer: {oid(rng)}", ()
    if roll < 0.8:
        return (
            "DEBUG",
            f"Found item in cart. Incrementing for user: {oid(rng)}, {{itemId='{rng.choice(ITEMS)}', quantity={rng.randrange(2, 5)}}}",
            (),
        )
    return "DEBUG", f"Merging carts for user id: {oid(rng)} and session id: {oid(rng)}", ()


def carts_npe(rng: random.Random) -> Line:
    return (
        "ERROR",
        'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException: Cannot invoke "works.weave.socks.cart.entities.Item.quantity()" because "existing" is null] with root cause',
        tuple(
            java_trace(
                'java.lang.NullPointerException: Cannot invoke "works.weave.socks.cart.entities.Item.quantity()" because "existing" is null',
                [
                    "works.weave.socks.cart.item.FoundItem.mergeQuantity(FoundItem.java:41)",
                    "works.weave.socks.cart.controllers.ItemsController.addToCart(ItemsController.java:62)",
                    "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
                    "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:117)",
                ],
                more=51,
            )
        ),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?size=5",
            "/cart",
            f"/customers/{oid(rng)}",
            "/catalogue/size?tags=",
            "/tags",
            "/cart/update",
            f"/catalogue/{rng.choice(ITEMS)}",
        ]
    )
    return (
        "INFO",
        f"GET {path} 200 {rng.randrange(3, 80)}.{rng.randrange(100, 999)} ms - {rng.randrange(40, 4000)}",
        (),
    )


def front_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'Error adding item to cart: StatusCodeError: 500 - {{"timestamp":{rng.randrange(10**12, 2 * 10**12)},"status":500,"error":"Internal Server Error","path":"/carts/{oid(rng)}/items"}}\nPOST /cart 500 {rng.randrange(20, 90)}.{rng.randrange(100, 999)} ms - 21',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(40004)
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(
            (
                "works.weave.socks.cart.controllers.CartsController",
                "works.weave.socks.cart.controllers.ItemsController",
            ),
            pid=1,
            rng=rng,
        ),
    )
    carts.add(traffic(rng, carts_line, START, MINUTES, 2400))
    carts.add(
        [
            at(
                START,
                DEPLOY - 0.6,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="org.springframework.boot.web.embedded.tomcat.GracefulShutdown",
            ),
            at(
                START,
                DEPLOY,
                "INFO",
                "Starting CartApplication v0.4.9-rc3 using Java 17.0.11 with PID 1 (/usr/src/app/app.jar started by root in /usr/src/app)",
                logger="works.weave.socks.cart.CartApplication",
            ),
            at(
                START,
                DEPLOY + 0.2,
                "INFO",
                "Tomcat started on port(s): 80 (http) with context path ''",
                logger="org.springframework.boot.web.embedded.tomcat.TomcatWebServer",
            ),
            at(
                START,
                DEPLOY + 0.21,
                "INFO",
                "Started CartApplication in 11.842 seconds (process running for 12.61)",
                logger="works.weave.socks.cart.CartApplication",
            ),
        ]
    )
    carts.add(loud(rng, START, DEPLOY + 0.9, MINUTES - DEPLOY - 1.0, 190, carts_npe))
    front = LogFile("logs/front-end.log", NodeConsole())
    front.add(traffic(rng, front_line, START, MINUTES, 2900))
    front.add(loud(rng, START, DEPLOY + 0.9, MINUTES - DEPLOY - 1.0, 190, front_error))
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(("works.weave.socks.orders.controllers.OrdersController",), pid=1, rng=rng),
    )
    orders.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
                (),
            ),
            START,
            MINUTES,
            300,
        )
    )
    orders.add(
        [
            at(
                START,
                14.1,
                "WARN",
                "Payment declined: PaymentResponse{authorised=false, message=Payment declined: amount exceeds 100.00}",
            )
        ]
    )
    cartsdb = LogFile("logs/carts-db.log", NodeConsole())
    cartsdb.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"2026-05-28T10:{r.randrange(40, 60)}:{r.randrange(10, 60)}.{r.randrange(100, 999)}+0000 I NETWORK  [listener] connection accepted from 10.36.2.{r.randrange(2, 250)}:{r.randrange(33000, 60000)} #{r.randrange(100, 999)}",
                (),
            ),
            START,
            MINUTES,
            240,
        )
    )
    cartsdb.add(
        [
            at(
                START,
                31.5,
                "INFO",
                '2026-05-28T11:11:31.208+0000 I COMMAND  [conn311] command data.cart command: find { find: "cart", filter: { customerId: "57a98d98e4b00679b4a830af" } } planSummary: COLLSCAN keysExamined:0 docsExamined:48211 numYields:376 nreturned:1 reslen:312 412ms',
            )
        ]
    )
    levels = {
        "front-end": (0.29, 86.0, (0.0117, 0.0431), 43.0),
        "carts": (0.17, 388.0, (0.0091, 0.0257), 18.2),
        "carts-db": (0.06, 70.0, (0.0012, 0.0036), 18.2),
        "catalogue": (0.04, 11.5, (0.0021, 0.0060), 22.0),
        "orders": (0.13, 398.0, (0.0381, 0.0902), 3.8),
        "payment": (0.02, 9.1, (0.0009, 0.0021), 3.8),
        "shipping": (0.07, 341.0, (0.0062, 0.0149), 3.8),
        "user": (0.04, 12.2, (0.0030, 0.0086), 9.9),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    services["carts"]["latency-50"] = shift(rng, 0.0091, 0.0083, int(DEPLOY * 60), 0.08)
    services["carts"]["mem"] = shift(rng, 388.0, 402.0, int(DEPLOY * 60), 0.008)
    files = {
        "metrics/data.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "logs/carts.log": carts.render(),
        "logs/front-end.log": front.render(),
        "logs/orders.log": orders.render(),
        "logs/carts-db.log": cartsdb.render(),
    }
    return Bundle(
        question="Since about 11:03 UTC customers say 'Add to cart' sometimes does nothing and shows an error; the rest of the shop looks fine. What is the root cause?",
        category="code_error",
        component="carts",
        statement="carts 0.4.9-rc3, started at 11:02 UTC, throws a NullPointerException in ItemsController.addToCart (FoundItem.mergeQuantity) whenever the added item is not already in the cart, so front-end's POST /cart returns 500.",
        files=files,
        proofs=[
            Proof(
                "logs/carts.log",
                "Starting CartApplication v0.4.9-rc3",
                "mergeQuantity(FoundItem.java:41)",
            ),
        ],
        decoys=[
            "Error adding item to cart: StatusCodeError: 500",
            "Payment declined: PaymentResponse{authorised=false",
            "planSummary: COLLSCAN keysExamined:0 docsExamined:48211",
        ],
    )
