# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval RE2 layout: one CSV per service under metrics/, latency in seconds):
network delay (tc netem, 900 ms +/- 200 ms) on user's pod from 15:07:40 UTC. user's own
go-kit log keeps reporting sub-millisecond `took=` values (the delay is on the wire, not in
the handler), so its log looks healthy; only its p50/p90 series jump. orders, which reads
customers, addresses and cards from user before every order, times out (`Read timed out`)
and the front-end answers 500 on POST /orders and is slow on /login: the loudest errors are
one and two hops upstream. Decoys: orders' stack traces, catalogue's restart at 14:52
(an earlier, unrelated rollout), and carts' ordinary slow-query warnings."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, unix_rows, usual_series
from records import Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 10, 7, 14, 45, tzinfo=UTC)
MINUTES = 40
STEP = 5
FAULT = (22 * 60 + 40) // STEP


@dataclass
class GoKit:
    def render(self, record: Record) -> list[str]:
        return [
            f"ts={record.time.strftime('%Y-%m-%dT%H:%M:%S.')}{record.time.microsecond:06d}Z {record.message}"
        ]


@dataclass
class FrontEnd:
    """The Node front-end's stdout: morgan `dev` lines and its own console messages."""

    def render(self, record: Record) -> list[str]:
        return [record.message, *record.trailer]


def cid(rng: random.Random) -> str:
    return f"5a{rng.getrandbits(88):022x}"


def user_line(rng: random.Random) -> Line:
    roll = rng.random()
    took = f"{rng.uniform(0.35, 2.9):.6f}ms"
    if roll < 0.3:
        return "INFO", f"method=GetCustomer id={cid(rng)} result=1 err=null took={took}", ()
    if roll < 0.55:
        return "INFO", f"method=GetAddresses id={cid(rng)} result=1 err=null took={took}", ()
    if roll < 0.75:
        return "INFO", f"method=GetCards id={cid(rng)} result=1 err=null took={took}", ()
    if roll < 0.93:
        return (
            "INFO",
            f"method=Login username={rng.choice(['user', 'user1', 'Eve_Berger', 'kyle.m', 'hana_s'])} result={cid(rng)} err=null took={took}",
            (),
        )
    return "INFO", f"method=Health result=2 took={rng.uniform(0.8, 3.1):.6f}ms", ()


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"Order created: CustomerOrder{{id='{cid(rng)}', customerId='{cid(rng)}', total={rng.uniform(12, 140):.2f}}}",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
            (),
        )
    return "DEBUG", f"Starting calls: customer http://user/customers/{cid(rng)}", ()


def orders_timeout(rng: random.Random) -> Line:
    what = rng.choice(["addresses", "cards", ""])
    url = f"http://user/customers/{cid(rng)}" + (f"/{what}" if what else "")
    return (
        "ERROR",
        f'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.ResourceAccessException: I/O error on GET request for "{url}": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out] with root cause',
        tuple(
            java_trace(
                "java.net.SocketTimeoutException: Read timed out",
                [
                    "java.net.SocketInputStream.socketRead0(Native Method)",
                    "java.net.SocketInputStream.read(SocketInputStream.java:171)",
                    "sun.net.www.http.HttpClient.parseHTTPHeader(HttpClient.java:735)",
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:652)",
                    "works.weave.socks.orders.services.AsyncGetService.getResource(AsyncGetService.java:61)",
                ],
                more=24,
            )
        ),
    )


def front_line(rng: random.Random) -> Line:
    path, size = rng.choice(
        [
            ("/catalogue?page=1&size=6&tags=", 2871),
            ("/catalogue/size?tags=", 15),
            ("/cart", 406),
            ("/tags", 107),
            ("/basket.html", 8012),
            ("/orders", 1820),
            ("/login", 0),
        ]
    )
    took = rng.lognormvariate(0, 0.5) * 14
    return "INFO", f"GET {path} 200 {took:.3f} ms - {size}", ()


def front_error(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return "ERROR", f"POST /orders 500 {rng.uniform(5000, 5400):.3f} ms - 223", ()
    return "WARN", f"GET /login 200 {rng.uniform(1900, 3400):.3f} ms - -", ()


def carts_line(rng: random.Random) -> Line:
    if rng.random() < 0.96:
        return "INFO", f"Found cart with id {cid(rng)}; {rng.randrange(1, 6)} items", ()
    return (
        "WARN",
        f"Query on carts.cart took {rng.randrange(205, 460)}ms (slow query threshold 200ms)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(20248)
    user = LogFile("logs/user.log", GoKit())
    user.add(traffic(rng, user_line, START, MINUTES, 2600))
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
    orders.add(traffic(rng, orders_line, START, MINUTES, 1500))
    orders.add(loud(rng, START, 22.9, MINUTES - 23.0, 210, orders_timeout))
    front = LogFile("logs/front-end.log", FrontEnd())
    front.add(traffic(rng, front_line, START, MINUTES, 3600))
    front.add(loud(rng, START, 22.95, MINUTES - 23.0, 260, front_error))
    front.add(
        [
            at(
                START,
                23.4,
                "ERROR",
                "Error with log in: Error: ESOCKETTIMEDOUT",
                (
                    "    at ClientRequest.<anonymous> (/usr/src/app/node_modules/request/request.js:816:19)",
                    "    at Object.onceWrapper (events.js:313:30)",
                    "    at emitNone (events.js:106:13)",
                    "    at ClientRequest.emit (events.js:208:7)",
                ),
            )
        ]
    )
    catalogue = LogFile("logs/catalogue.log", GoKit())
    catalogue.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"method=List tags= order=id pageNum=1 pageSize={r.choice([6, 6, 12])} result={r.choice([6, 6, 9])} err=null took={r.uniform(1.1, 6.8):.6f}ms",
                (),
            ),
            START,
            MINUTES,
            1700,
        )
    )
    catalogue.add(
        [
            at(START, 6.9, "INFO", 'transport=HTTP msg="received signal" signal=terminated'),
            at(
                START,
                7.3,
                "ERROR",
                'err="dial tcp 10.36.0.14:3306: connect: connection refused" msg="Unable to connect to Database" DSN=catalogue_user:default_password@tcp(catalogue-db:3306)/socksdb',
            ),
            at(START, 7.8, "INFO", "transport=HTTP port=80"),
        ]
    )
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(("works.weave.socks.cart.controllers.CartsController",), rng=rng),
    )
    carts.add(traffic(rng, carts_line, START, MINUTES, 1300))
    levels = {
        "front-end": (0.118, 77.2, (0.0142, 0.0417), 38.5),
        "orders": (0.131, 412.8, (0.0520, 0.1381), 2.4),
        "user": (0.024, 12.9, (0.0021, 0.0063), 17.9),
        "user-db": (0.019, 68.1, (0.0009, 0.0024), 17.9),
        "catalogue": (0.036, 9.8, (0.0048, 0.0139), 21.3),
        "carts": (0.172, 398.6, (0.0197, 0.0522), 9.6),
        "payment": (0.008, 6.1, (0.0011, 0.0031), 2.4),
        "shipping": (0.044, 344.0, (0.0089, 0.0233), 2.4),
    }
    services = {name: usual_series(rng, *value) for name, value in levels.items()}
    u = services["user"]
    u["latency-50"] = shift(rng, 0.0021, 0.902, FAULT, 0.1)
    u["latency-90"] = shift(rng, 0.0063, 1.161, FAULT, 0.1)
    u["workload"] = shift(rng, 17.9, 11.2, FAULT + 1, 0.08)
    o = services["orders"]
    o["latency-50"] = shift(rng, 0.0520, 2.84, FAULT + 1, 0.1)
    o["latency-90"] = shift(rng, 0.1381, 5.02, FAULT + 1, 0.05)
    services["front-end"]["latency-90"] = shift(rng, 0.0417, 2.71, FAULT + 1, 0.12)
    cat = services["catalogue"]
    cat["cpu"] = lambda i, base=cat["cpu"]: base(i) * (4.0 if 83 <= i < 95 else 1.0)
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, MINUTES * 60 // STEP, {f"{name}_{m}": f for m, f in series.items()}, 4
        )
        for name, series in services.items()
    }
    files |= {
        "logs/front-end.log": front.render(),
        "logs/orders.log": orders.render(),
        "logs/user.log": user.render(),
        "logs/catalogue.log": catalogue.render(),
        "logs/carts.log": carts.render(),
    }
    return Bundle(
        question="Sock Shop checkouts fail with 500 and logins are slow since about 15:08 UTC. Which service is the root cause?",
        category="network",
        component="user",
        statement="From 15:07:40 UTC about 0.9 s of network delay was injected on user's pod: its p50/p90 jump while its handler times stay sub-millisecond; orders' calls to http://user/customers/... hit `Read timed out` and front-end's POST /orders answers 500 while its /login is slow.",
        files=files,
        proofs=[Proof("metrics/user.csv", stamp(START, STEP, FAULT))],
        decoys=[
            "SocketTimeoutException: Read timed out",
            "Unable to connect to Database",
            "slow query threshold",
        ],
    )
