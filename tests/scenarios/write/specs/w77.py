# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""A CPU hog (stress-ng) in the Sock Shop user container pins it at its limit; user's own log
only shows slower calls, while orders times out reading customers, addresses and cards and the
front-end answers 500 on checkout and login."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import Record, SpringBoot
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2024, 4, 22, 16, 0, tzinfo=UTC)
STEP = 1
POINTS = 36 * 60
FAULT = 19 * 60 + 42
SOCKS = [
    "a0a4f044-b040-410d-8ead-4de0446aec7e",
    "808a2de1-1aaa-4c25-a9b9-6612e8f29a38",
    "510a0d7e-8e83-4193-b483-e27e09ddc34d",
    "03fef6ac-1896-4ce8-bd69-b798f85c6e0b",
    "d3588630-ad8e-49df-bbd7-3167f7efb246",
    "3395a43e-2d88-40de-b95f-e00e1502085b",
    "837ab141-399e-4c1f-9abc-bace40296bac",
]


def hex_id(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


@dataclass
class GoKit:
    """go-kit's logfmt logger as the Sock Shop Go services write it."""

    def render(self, record: Record) -> list[str]:
        text = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        return [f"ts={text} caller={record.logger or 'logging.go:40'} {record.message}"]


@dataclass
class Morgan:
    """The Node front-end: morgan's `dev` request lines and console errors, no timestamps
    of its own, so `kubectl logs --timestamps` adds them."""

    def render(self, record: Record) -> list[str]:
        text = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}000Z"
        return [f"{text} {record.message}", *(f"{text} {line}" for line in record.trailer)]


def front_end_line(rng: random.Random) -> Line:
    roll = rng.random()
    took = rng.lognormvariate(0, 0.5) * 9
    if roll < 0.35:
        return (
            "INFO",
            f"GET /catalogue/{rng.choice(SOCKS)} 200 {took:.3f} ms - {rng.randrange(280, 340)}",
            (),
        )
    if roll < 0.55:
        return (
            "INFO",
            f"GET /catalogue?page=1&size={rng.choice([3, 6, 9])}&tags= 200 {took:.3f} ms - {rng.randrange(900, 2900)}",
            (),
        )
    if roll < 0.68:
        return "INFO", f"GET /cart 200 {took * 1.4:.3f} ms - {rng.randrange(2, 900)}", ()
    if roll < 0.76:
        return "INFO", f"POST /cart 201 {took * 2:.3f} ms - -", ()
    if roll < 0.84:
        return (
            "INFO",
            f"GET /customers/{hex_id(rng)} 200 {took * 1.2:.3f} ms - {rng.randrange(300, 420)}",
            (),
        )
    if roll < 0.89:
        return "INFO", f"GET /login 200 {took * 3:.3f} ms - -", ()
    if roll < 0.93:
        return "INFO", f"POST /orders 201 {took * 18:.3f} ms - {rng.randrange(700, 900)}", ()
    if roll < 0.98:
        return "INFO", f"GET /health 200 {took / 4:.3f} ms - 152", ()
    return "INFO", f"GET /detail.html?id={rng.choice(SOCKS)} 304 {took / 3:.3f} ms - -", ()


def user_line(rng: random.Random) -> Line:
    roll = rng.random()
    took = rng.lognormvariate(0, 0.5) * 1.1
    if roll < 0.3:
        return "INFO", f"method=GetUsers id={hex_id(rng)} result=1 err=null took={took:.6f}ms", ()
    if roll < 0.5:
        return (
            "INFO",
            f"method=GetAddresses id={hex_id(rng)} result=1 err=null took={took:.6f}ms",
            (),
        )
    if roll < 0.7:
        return "INFO", f"method=GetCards id={hex_id(rng)} result=1 err=null took={took:.6f}ms", ()
    if roll < 0.85:
        return (
            "INFO",
            f"method=Login username={rng.choice(['user', 'user1', 'Eve_Berger', 'demo'])} result={hex_id(rng)} err=null took={took * 6:.6f}ms",
            (),
        )
    if roll < 0.97:
        return "INFO", f"method=Health result=2 took={took / 9:.6f}ms", ()
    return (
        "INFO",
        f'method=GetUsers id={hex_id(rng)} result=0 err="mongo: not found" took={took:.6f}ms',
        (),
    )


def slow_user_line(rng: random.Random) -> Line:
    took = rng.lognormvariate(0, 0.4) * 640
    method = rng.choice(["GetUsers", "GetAddresses", "GetCards", "GetCards", "Login"])
    return "INFO", f"method={method} id={hex_id(rng)} result=1 err=null took={took:.6f}ms", ()


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.3:
        return (
            "INFO",
            f"Order created with ID: {hex_id(rng)} and date: {rng.randrange(1, 28)}/4/2024",
            (),
        )
    if roll < 0.55:
        return (
            "DEBUG",
            f"Received shipping request: Shipment{{id='{hex_id(rng)}', name='{hex_id(rng)}'}}",
            (),
        )
    if roll < 0.8:
        return (
            "DEBUG",
            f"Paid: PaymentResponse{{authorised=true, message=Payment authorised}} amount={rng.randrange(10, 120)}.{rng.randrange(100):02d}",
            (),
        )
    return "INFO", f"Starting calls to customer, address, card for customer {hex_id(rng)}", ()


def carts_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "DEBUG",
            f"Merging carts for customer {hex_id(rng)} and session {rng.getrandbits(64):016x}",
            (),
        )
    if roll < 0.85:
        return "DEBUG", f"Adding item {rng.choice(SOCKS)} to cart {hex_id(rng)} quantity=1", ()
    return "DEBUG", f"Found 1 carts for customer {hex_id(rng)}", ()


def payment_line(rng: random.Random) -> Line:
    took = rng.lognormvariate(0, 0.4) * 0.02
    if rng.random() < 0.9:
        return "INFO", f"method=Authorise result=true took={took:.6f}ms", ()
    return "INFO", f"method=Health result=1 took={took / 5:.6f}ms", ()


def catalogue_line(rng: random.Random) -> Line:
    took = rng.lognormvariate(0, 0.5) * 1.8
    if rng.random() < 0.55:
        return (
            "INFO",
            f"method=Get id={rng.choice(SOCKS)} sock={rng.choice(SOCKS)} err=null took={took:.6f}ms",
            (),
        )
    return (
        "INFO",
        f"method=List tags= order=id pageNum=1 pageSize={rng.choice([3, 6, 9])} result={rng.choice([3, 6, 9])} err=null took={took:.6f}ms",
        (),
    )


def orders_trace() -> list[str]:
    return [
        'org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://user/cards/57a98d98e4b00679b4a830b1": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out',
        "\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:666)",
        "\tat org.springframework.web.client.RestTemplate.execute(RestTemplate.java:628)",
        "\tat org.springframework.hateoas.client.Traverson$TraversalBuilder.toObject(Traverson.java:344)",
        "\tat works.weave.socks.orders.services.AsyncGetService.getResource(AsyncGetService.java:47)",
        "Caused by: java.net.SocketTimeoutException: Read timed out",
        "\tat java.net.SocketInputStream.socketRead0(Native Method)",
        "\t... 28 more",
    ]


def bundle() -> Bundle:
    rng = random.Random(177)
    minute = FAULT / 60
    front_end = LogFile("logs/front-end.log", Morgan())
    front_end.add(traffic(rng, front_end_line, START, 36, 3100))
    front_end.add(
        loud(
            rng,
            START,
            minute + 0.6,
            15,
            164,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /orders 500 {r.randrange(5000, 5100)}.{r.randrange(1000):03d} ms - 148"
                ),
            ),
        )
    )
    front_end.add(
        loud(
            rng,
            START,
            minute + 0.7,
            15,
            112,
            fixed("ERROR", lambda r: "Error with log in: Error: ESOCKETTIMEDOUT"),
        )
    )
    front_end.add(
        loud(
            rng,
            START,
            minute + 0.5,
            15.5,
            231,
            fixed(
                "WARN",
                lambda r: (
                    f"GET /customers/{hex_id(r)} 200 {r.randrange(700, 2900)}.{r.randrange(1000):03d} ms - {r.randrange(300, 420)}"
                ),
            ),
        )
    )
    user = LogFile("logs/user.log", GoKit())
    user.add(traffic(rng, user_line, START, minute, int(1900 * minute / 36)))
    user.add(traffic(rng, slow_user_line, START + timedelta(seconds=FAULT), 36 - minute, 640))
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            ("w.w.s.orders.controllers.OrdersController", "w.w.s.orders.services.AsyncGetService"),
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, 36, 1500))
    orders.add(
        loud(
            rng,
            START,
            minute + 0.6,
            15,
            158,
            fixed(
                "ERROR",
                lambda r: (
                    'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://user/cards/57a98d98e4b00679b4a830b1": Read timed out] with root cause'
                ),
                lambda r: orders_trace(),
            ),
        )
    )
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(
            ("w.w.s.cart.controllers.CartsController", "w.w.s.cart.cart.CartResource"), rng=rng
        ),
    )
    carts.add(traffic(rng, carts_line, START, 36, 1400))
    catalogue = LogFile("logs/catalogue.log", GoKit())
    catalogue.add(traffic(rng, catalogue_line, START, 36, 2200))
    payment = LogFile("logs/payment.log", GoKit())
    payment.add(traffic(rng, payment_line, START, 36, 700))
    services = {
        "carts": usual_series(rng, 0.081, 392, (0.0061, 0.0214), 11.2),
        "catalogue": usual_series(rng, 0.024, 8.4, (0.0021, 0.0063), 38.5),
        "front-end": usual_series(rng, 0.063, 92, (0.0102, 0.0391), 61.7),
        "orders": usual_series(rng, 0.047, 418, (0.0517, 0.1124), 1.4),
        "payment": usual_series(rng, 0.004, 6.1, (0.0008, 0.0021), 1.4),
        "shipping": usual_series(rng, 0.019, 371, (0.0034, 0.0089), 1.4),
        "user": usual_series(rng, 0.031, 11.7, (0.0019, 0.0071), 14.9),
        "queue-master": usual_series(rng, 0.012, 356, (0.0022, 0.0069), 1.4),
    }
    services["user"]["cpu"] = shift(rng, 0.031, 0.992, FAULT, 0.015, ramp=3)
    services["user"]["latency-50"] = shift(rng, 0.0019, 0.4731, FAULT + 4, 0.12, ramp=6)
    services["user"]["latency-90"] = shift(rng, 0.0071, 1.6402, FAULT + 4, 0.15, ramp=6)
    services["orders"]["latency-50"] = shift(rng, 0.0517, 2.9813, FAULT + 9, 0.1, ramp=10)
    services["orders"]["latency-90"] = shift(rng, 0.1124, 5.0172, FAULT + 9, 0.02, ramp=10)
    services["front-end"]["latency-90"] = shift(rng, 0.0391, 4.8821, FAULT + 10, 0.06, ramp=12)
    services["front-end"]["cpu"] = shift(rng, 0.063, 0.118, FAULT + 12, 0.08, ramp=30)
    services["orders"]["cpu"] = shift(rng, 0.047, 0.083, FAULT + 15, 0.08, ramp=30)
    services["payment"]["workload"] = shift(rng, 1.4, 0.6, FAULT + 20, 0.2, ramp=20)
    services["shipping"]["workload"] = shift(rng, 1.4, 0.6, FAULT + 20, 0.2, ramp=20)
    return Bundle(
        question="Sock Shop orders started failing with 500s around 16:20 UTC and logins time out. Which service is the root cause?",
        category="cpu",
        component="user",
        statement="A CPU hog in the user container pins its CPU at the limit from 16:19:42 UTC, so user's calls slow from about 2 ms to half a second or more and orders' and the front-end's reads of customers, addresses and cards time out.",
        files={
            "metrics.csv": wide_csv(START, STEP, POINTS, services),
            "logs/front-end.log": front_end.render(),
            "logs/orders.log": orders.render(),
            "logs/user.log": user.render(),
            "logs/carts.log": carts.render(),
            "logs/catalogue.log": catalogue.render(),
            "logs/payment.log": payment.render(),
        },
        proofs=[Proof("metrics.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 3))],
        decoys=["POST /orders 500", "ESOCKETTIMEDOUT", "I/O error on GET request for"],
    )
