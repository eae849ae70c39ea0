# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE3 layout, one CSV per service): a carts build (0.4.11) deployed at
13:06 UTC throws a NullPointerException in CartsController.mergeCarts when the anonymous
session's cart has never been created: every login of a visitor who did not add an item first
fails with 500 at front-end (GET /carts/{id}/merge). carts logs the full stack trace once and
a one-line error after; the metrics barely move. Decoys: user's rejected password logins,
carts' MongoDB pool warning, catalogue's slow image request."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import unix_rows, usual_series
from records import Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 8, 26, 12, 50, tzinfo=UTC)
MINUTES = 42
STEP = 1


class Morgan:
    def render(self, record: Record) -> list[str]:
        return [
            f"{record.time.strftime('%Y-%m-%dT%H:%M:%S.')}{record.time.microsecond // 1000:03d}Z {record.message}"
        ]


class GoKit:
    def render(self, record: Record) -> list[str]:
        return [
            f"ts={record.time.strftime('%Y-%m-%dT%H:%M:%S.')}{record.time.microsecond:06d}083Z {record.message}"
        ]


def cid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


def carts_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "DEBUG", f"Getting cart for customer {cid(rng)}", ()
    if roll < 0.8:
        return (
            "DEBUG",
            f"Adding item to cart: Item{{id='{cid(rng)}', itemId='{rng.getrandbits(128):032x}', quantity={rng.randrange(1, 4)}, unitPrice={rng.randrange(7, 99)}.{rng.randrange(10, 99)}}}",
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            f"Merging carts for customer {cid(rng)} with session {cid(rng)}: {rng.randrange(1, 6)} item(s)",
            (),
        )
    return "DEBUG", f"Deleting cart for customer {cid(rng)}", ()


def carts_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException] with root cause (GET /carts/{cid(rng)}/merge)",
        (),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?page=1&size=6",
            "/cart",
            "/tags",
            "/card",
            "/address",
            "/login",
            "/catalogue/size?tags=",
        ]
    )
    return (
        "INFO",
        f"GET {path} 200 {rng.randrange(2, 80)}.{rng.randrange(100, 999)} ms - {rng.randrange(30, 3000)}",
        (),
    )


def front_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        "GET /login 500 " + f"{rng.randrange(40, 160)}.{rng.randrange(100, 999)} ms - 72",
        (),
    )


def front_merge(rng: random.Random) -> Line:
    return "ERROR", f"Error: Merging carts failed for customer {cid(rng)}: statusCode 500", ()


def user_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "INFO",
            f"caller=logging.go:{rng.choice([22, 30])} method=Login username={rng.choice(['user', 'amy', 'jon', 'lee', 'ivy'])}{rng.randrange(1000)} took={rng.randrange(2, 9)}.{rng.randrange(100, 999)}ms err=null",
            (),
        )
    return (
        "INFO",
        f"caller=logging.go:{rng.choice([64, 71])} method=GetAddresses id={cid(rng)} result=1 took={rng.randrange(1, 4)}.{rng.randrange(100, 999)}ms err=null",
        (),
    )


def user_denied(rng: random.Random) -> Line:
    return (
        "INFO",
        f'caller=logging.go:22 method=Login username=user{rng.randrange(1000)} took=3.{rng.randrange(100, 999)}ms err="User not found"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(59205)
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(
            (
                "w.w.s.cart.controllers.CartsController",
                "w.w.s.cart.controllers.ItemsController",
                "w.w.s.cart.cart.CartDAO",
            ),
            1,
            random.Random(5920),
        ),
    )
    carts.add(traffic(rng, carts_line, START, 15.6, 1100))
    carts.add(
        [
            at(
                START,
                15.7,
                "INFO",
                "Starting CartApplication v0.4.11 on carts-7cd9c6b5f4-x8r2n with PID 1 (/usr/src/app/app.jar started by myuser in /usr/src/app)",
                logger="works.weave.socks.cart.CartApplication",
            ),
            at(
                START,
                15.9,
                "WARN",
                "Exception in monitor thread while connecting to server carts-db:27017 (Timed out after 1000 ms while waiting to connect); retrying",
                logger="org.mongodb.driver.cluster",
            ),
            at(
                START,
                16.3,
                "INFO",
                "Started CartApplication in 21.884 seconds (JVM running for 23.512)",
                logger="works.weave.socks.cart.CartApplication",
            ),
            at(
                START,
                17.42,
                "ERROR",
                "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException] with root cause",
                java_trace(
                    'java.lang.NullPointerException: Cannot invoke "works.weave.socks.cart.entities.Cart.contents()" because "sessionCart" is null',
                    [
                        "works.weave.socks.cart.controllers.CartsController.mergeCarts(CartsController.java:71)",
                        "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
                        "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:205)",
                        "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)",
                    ],
                    more=38,
                ),
                logger="o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
        ]
    )
    carts.add(
        traffic(rng, carts_line, START.replace(minute=6, hour=13, second=30), MINUTES - 16.5, 1600)
    )
    carts.add(loud(rng, START, 17.6, MINUTES - 17.7, 120, carts_error))
    front = LogFile("logs/front-end.log", Morgan())
    front.add(traffic(rng, front_line, START, MINUTES, 3600))
    front.add(loud(rng, START, 17.45, MINUTES - 17.5, 120, front_merge))
    front.add(loud(rng, START, 17.45, MINUTES - 17.5, 120, front_error))
    user = LogFile("logs/user.log", GoKit())
    user.add(traffic(rng, user_line, START, MINUTES, 1300))
    user.add(loud(rng, START, 4.0, 30, 40, user_denied))
    catalogue = LogFile("logs/catalogue.log", GoKit())
    catalogue.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"caller=logging.go:{r.choice([47, 58])} method=List tags= order= pageNum=1 pageSize=6 result=6 err=null took={r.randrange(1, 9)}.{r.randrange(100, 999)}ms",
                (),
            ),
            START,
            MINUTES,
            1400,
        )
    )
    catalogue.add(
        [
            at(
                START,
                27.3,
                "INFO",
                "caller=logging.go:79 method=Get id=819e1fbf-8b7e-4f6d-811f-693534916a8b sock=Figueroa err=null took=1.284s",
            )
        ]
    )
    levels = {
        "front-end": (0.148, 87.3, (0.0239, 0.0897), 45.1),
        "carts": (0.081, 379.2, (0.0088, 0.0247), 17.4),
        "catalogue": (0.022, 12.1, (0.0033, 0.0094), 30.6),
        "user": (0.019, 14.0, (0.0043, 0.0121), 12.6),
        "orders": (0.059, 398.8, (0.0322, 0.0811), 3.7),
        "payment": (0.004, 9.6, (0.0011, 0.0028), 3.7),
        "shipping": (0.021, 351.3, (0.0061, 0.0178), 3.6),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    restart = (16 * 60) // STEP
    services["carts"]["mem"] = shift(rng, 379.2, 344.6, restart - 20, 0.01, ramp=90)
    services["orders"]["workload"] = shift(rng, 3.7, 3.1, restart + 100, 0.08)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": fn for m, fn in series.items()}, 4
        )
        for name, series in services.items()
    }
    files |= {
        "logs/carts.log": carts.render(),
        "logs/front-end.log": front.render(),
        "logs/user.log": user.render(),
        "logs/catalogue.log": catalogue.render(),
    }
    return Bundle(
        question="Since shortly after 13:07 UTC many customers cannot log in to the sock shop: the login page answers 500. What is the root cause?",
        category="code_error",
        component="carts",
        statement="The carts build v0.4.11 deployed at 13:06 UTC throws a NullPointerException in CartsController.mergeCarts when the visitor's session cart does not exist, so the cart merge that front-end runs at login fails with 500 and the login fails.",
        files=files,
        proofs=[
            Proof("logs/carts.log", 'because "sessionCart" is null', "more"),
            Proof("logs/carts.log", "Starting CartApplication v0.4.11"),
        ],
        decoys=[
            "User not found",
            "Exception in monitor thread while connecting to server carts-db",
            "took=1.284s",
        ],
    )
