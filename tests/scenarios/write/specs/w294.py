# ruff: noqa: E501
# Hand-written log lines, kubectl rows and series definitions are data, kept whole on one line.
"""Sock Shop RE3 (code fault, one CSV per service, logs in UTC; the question in IST): a user
build (0.4.9, rolled at 04:18 UTC) builds the self link of each address from a field a
refactor emptied, so `GET /customers/{id}/addresses` hands out `http://user/addresses/`
without an id. The front-end passes that link into every order; orders fetches it and gets
404 from user, and the front-end answers 500 on POST /orders. user's log shows only quiet
`method=GetAddress id= ... err="not found"` lines; orders' stack traces are the loudest.
Metrics barely move. Decoys: orders' HttpClientErrorException, a carts `No cart found`
warning, and the front-end's session store reconnect."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from rcaeval import unix_rows, usual_series
from records import KubectlTimestamps, Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 3, 11, 4, 0, tzinfo=UTC)
MINUTES = 42
STEP = 5


@dataclass
class GoKit:
    def render(self, record: Record) -> list[str]:
        return [
            f"ts={record.time.strftime('%Y-%m-%dT%H:%M:%S.')}{record.time.microsecond:06d}Z caller=logging.go:{record.logger or '31'} {record.message}"
        ]


def cid(rng: random.Random) -> str:
    return f"5b{rng.getrandbits(88):022x}"


def user_line(rng: random.Random) -> Line:
    took = f"{rng.uniform(0.4, 3.1):.6f}ms"
    roll = rng.random()
    if roll < 0.3:
        return "INFO", f"method=GetCustomer id={cid(rng)} result=1 err=null took={took}", ()
    if roll < 0.5:
        return "INFO", f"method=GetAddresses id={cid(rng)} result=1 err=null took={took}", ()
    if roll < 0.65:
        return "INFO", f"method=GetAddress id={cid(rng)} result=1 err=null took={took}", ()
    if roll < 0.8:
        return "INFO", f"method=GetCards id={cid(rng)} result=1 err=null took={took}", ()
    if roll < 0.93:
        return (
            "INFO",
            f"method=Login username={rng.choice(['user', 'user1', 'Eve_Berger', 'morgan.k', 'deva'])} result={cid(rng)} err=null took={took}",
            (),
        )
    return "INFO", f"method=Health result=2 took={took}", ()


def user_empty(rng: random.Random) -> Line:
    return (
        "INFO",
        f'method=GetAddress id= result=0 err="not found" took={rng.uniform(0.2, 0.9):.6f}ms',
        (),
    )


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return "INFO", f"Starting calls for order: http://user/customers/{cid(rng)}", ()
    return (
        "DEBUG",
        f"Received payment response: PaymentResponse{{authorised=true, message=Payment authorised}} in {rng.randrange(3, 40)} ms",
        (),
    )


def orders_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.HttpClientErrorException: 404 Not Found] with root cause",
        tuple(
            java_trace(
                "org.springframework.web.client.HttpClientErrorException: 404 Not Found",
                [
                    "org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:63)",
                    "org.springframework.web.client.RestTemplate.handleResponse(RestTemplate.java:700)",
                    "org.springframework.web.client.RestTemplate.getForObject(RestTemplate.java:321)",
                    "works.weave.socks.orders.services.AsyncGetService.getResource(AsyncGetService.java:65)",
                    "works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:71)",
                ],
                more=71,
            )
        ),
    )


def orders_start_bad(rng: random.Random) -> Line:
    return (
        "INFO",
        f"Starting calls for order: http://user/customers/{cid(rng)}, address=http://user/addresses/",
        (),
    )


def front_line(rng: random.Random) -> Line:
    path, code = rng.choice(
        [
            ("GET /catalogue?size=5", 200),
            ("GET /cart", 200),
            ("GET /address", 200),
            ("GET /card", 200),
            ("GET /orders", 200),
            ("GET /customers/" + cid(rng), 200),
            ("POST /cart", 201),
            ("GET /basket.html", 200),
        ]
    )
    return (
        "INFO",
        f"{path} {code} {rng.lognormvariate(0, 0.6) * 13:.3f} ms - {rng.randrange(150, 8000)}",
        (),
    )


def front_order_ok(rng: random.Random) -> Line:
    return (
        "INFO",
        f"POST /orders 201 {rng.lognormvariate(0, 0.4) * 85:.3f} ms - {rng.randrange(380, 460)}",
        (),
    )


def front_error(rng: random.Random) -> Line:
    return "ERROR", f"POST /orders 500 {rng.uniform(18, 60):.3f} ms - 221", ()


def carts_line(rng: random.Random) -> Line:
    if rng.random() < 0.97:
        return (
            "INFO",
            f"Merging carts for customer id: {cid(rng)} and session id: {rng.getrandbits(96):024x}",
            (),
        )
    return "WARN", f"No cart found for customer {cid(rng)}, creating a new one", ()


KUBECTL = """$ kubectl -n sock-shop rollout history deployment/user
deployment.apps/user
REVISION  CHANGE-CAUSE
6         image weaveworksdemos/user:0.4.7
7         image weaveworksdemos/user:0.4.8
8         image registry.shop.internal/sock-shop/user:0.4.9

$ kubectl -n sock-shop get rs -l name=user -o wide
NAME              DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES                                          SELECTOR
user-5d7f9c6b8    0         0         0       19d   user         weaveworksdemos/user:0.4.8                      name=user,pod-template-hash=5d7f9c6b8
user-7b9c4f8d5    1         1         1       27m   user         registry.shop.internal/sock-shop/user:0.4.9     name=user,pod-template-hash=7b9c4f8d5

$ kubectl -n sock-shop get pods
NAME                            READY   STATUS    RESTARTS   AGE
carts-6c9f7b8d4-fq7zl           1/1     Running   0          19d
front-end-7d8f6c5b9-2ntxk       1/1     Running   0          19d
orders-5b8d7f9c6-kd4mw          1/1     Running   0          19d
payment-6f9c8d7b5-x2vqp         1/1     Running   0          19d
shipping-7c6d9f8b4-r8hjs        1/1     Running   0          19d
user-7b9c4f8d5-wq6tn            1/1     Running   0          27m
user-db-5f8c7d6b9-m4zkx         1/1     Running   0          19d
"""


def bundle() -> Bundle:
    rng = random.Random(20294)
    fault = 18.4
    user = LogFile("logs/user.log", GoKit())
    user.add(traffic(rng, user_line, START, MINUTES, 2600))
    user.add(
        [
            at(START, 18.1, "INFO", "transport=HTTP port=80 version=0.4.9", logger="110"),
            at(START, 18.12, "INFO", 'msg="Connected to database" db=user-db:27017', logger="97"),
        ]
    )
    user.add(loud(rng, START, fault + 0.3, MINUTES - fault - 0.4, 170, user_empty))
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
    orders.add(traffic(rng, orders_line, START, MINUTES, 900))
    orders.add(loud(rng, START, fault + 0.3, MINUTES - fault - 0.4, 170, orders_start_bad))
    orders.add(loud(rng, START, fault + 0.32, MINUTES - fault - 0.4, 170, orders_error))
    front = LogFile("logs/front-end.log", KubectlTimestamps())
    front.add(traffic(rng, front_line, START, MINUTES, 3500))
    front.add(traffic(rng, front_order_ok, START, fault, 130))
    front.add(loud(rng, START, fault + 0.33, MINUTES - fault - 0.4, 170, front_error))
    front.add(
        [
            at(START, 7.6, "WARN", "Redis connection to session-db:6379 failed - read ECONNRESET"),
            at(START, 7.63, "INFO", "Redis session store reconnected"),
        ]
    )
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(("works.weave.socks.cart.controllers.CartsController",), rng=rng),
    )
    carts.add(traffic(rng, carts_line, START, MINUTES, 1100))
    levels = {
        "front-end": (0.119, 85.1, (0.0120, 0.0480), 40.9),
        "user": (0.024, 12.3, (0.0031, 0.0093), 8.4),
        "user-db": (0.013, 61.8, (0.0008, 0.0025), 8.4),
        "orders": (0.063, 401.9, (0.0470, 0.1181), 2.8),
        "carts": (0.070, 389.0, (0.0107, 0.0333), 12.2),
        "payment": (0.006, 7.0, (0.0012, 0.0036), 2.8),
        "shipping": (0.031, 371.9, (0.0047, 0.0134), 2.8),
        "catalogue": (0.028, 9.7, (0.0037, 0.0120), 29.8),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": s for m, s in series.items()}, 4
        )
        for name, series in services.items()
    }
    files |= {
        "kubectl.txt": KUBECTL,
        "logs/front-end.log": front.render(),
        "logs/orders.log": orders.render(),
        "logs/user.log": user.render(),
        "logs/carts.log": carts.render(),
    }
    return Bundle(
        question="No order has gone through since about 09:48 IST: checkout shows an error right away. What is the root cause?",
        category="code_error",
        component="user",
        statement='The user build 0.4.9 rolled at 04:18 UTC hands out address links without an id (`http://user/addresses/`); orders fetches that link for every order, gets 404 from user (`method=GetAddress id= ... err="not found"`), and the front-end answers 500 on POST /orders.',
        files=files,
        proofs=[
            Proof("logs/user.log", "version=0.4.9"),
            Proof("kubectl.txt", "user-7b9c4f8d5    1"),
        ],
        decoys=[
            "HttpClientErrorException: 404 Not Found",
            "No cart found for customer",
            "Redis connection to session-db:6379 failed",
        ],
    )
