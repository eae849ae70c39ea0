# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""An injected code fault in catalogue (RCAEval RE3): the rebuilt catalogue answers
GET /catalogue/{id} with `price: 0` while its listing path stays correct. Its own log shows only
the restart and ordinary `method=Get ... err=null` lines; front-end quietly forwards
`unitPrice: 0` to carts, and orders and payment reject the orders loudly."""

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import unix_rows, usual_series
from records import Log4j, Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 10, 3, 9, 50, tzinfo=UTC)
STEP = 1
POINTS = 36 * 60
DEPLOY = 14.3
SOCKS = {
    "03fef6ac-1896-4ce8-bd69-b798f85c6e0b": 99.99,
    "3395a43e-2d88-40de-b95f-e00e1502085b": 18.0,
    "510a0d7e-8e83-4193-b483-e27e09ddc34d": 15.0,
    "808a2de1-1aaa-4c25-a9b9-6612e8f29a38": 17.32,
    "819e1fbf-8b7e-4f6d-811f-693534916a8b": 14.0,
    "837ab141-399e-4c1f-9abc-bace40296bac": 17.32,
    "a0a4f044-b040-410d-8ead-4de0446aec7e": 7.99,
    "d3588630-ad8e-49df-bbd7-3167f7efb246": 10.99,
    "zzz4f044-b040-410d-8ead-4de0446aec7e": 99.99,
}


class GoKit:
    """go-kit's logfmt logger as catalogue and payment write it: `ts=... caller=... key=value`."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}" + "Z"
        return [f"ts={stamp} caller={record.logger or 'logging.go:62'} {record.message}"]


def catalogue_line(rng: random.Random) -> Line:
    roll = rng.random()
    took = (
        f"{rng.uniform(0.6, 4.5):.6f}ms"
        if rng.random() < 0.6
        else f"{rng.randrange(300, 999)}.{rng.randrange(999):03d}µs"
    )
    if roll < 0.45:
        sock = rng.choice(list(SOCKS))
        return "INFO", f"method=Get id={sock} sock={sock} err=null took={took}", ()
    if roll < 0.8:
        return (
            "INFO",
            f"method=List tags={rng.choice(['', '', 'brown', 'geek', 'formal', 'sport'])} order=id pageNum=1 pageSize={rng.choice([6, 9])} result={rng.randrange(3, 10)} err=null took={took}",
            (),
        )
    if roll < 0.93:
        return "INFO", f"method=Count tags= result=9 err=null took={took}", ()
    return "INFO", f"method=Tags result=12 err=null took={took}", ()


def front_line(price_zero: bool) -> Callable[[random.Random], Line]:
    def line(rng: random.Random) -> Line:
        roll = rng.random()
        sock = rng.choice(list(SOCKS))
        if roll < 0.35:
            return "INFO", f"GET /catalogue/{sock} 200 {rng.randrange(3, 30)}ms", ()
        if roll < 0.55:
            price = 0 if price_zero else SOCKS[sock]
            return (
                "INFO",
                f'req={rng.getrandbits(32):08x} Sending to cart service: {{"itemId":"{sock}","unitPrice":{price}}}',
                (),
            )
        if roll < 0.8:
            return (
                "INFO",
                f"GET /catalogue?page=1&size={rng.choice([6, 9])}&tags= 200 {rng.randrange(4, 40)}ms",
                (),
            )
        if roll < 0.93:
            return "INFO", f"GET /cart 200 {rng.randrange(3, 25)}ms", ()
        return "INFO", f"POST /orders 201 {rng.randrange(80, 400)}ms", ()

    return line


def carts_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "DEBUG", f"Creating item for customer: {rng.getrandbits(96):024x}", ()
    if roll < 0.8:
        return "DEBUG", f"Found item in cart. Incrementing for user: {rng.getrandbits(96):024x}", ()
    return (
        "INFO",
        f"Merging carts for customer id: {rng.getrandbits(96):024x} and session id: {rng.getrandbits(128):032x}",
        (),
    )


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
            (),
        )
    if roll < 0.8:
        return "DEBUG", f"Starting calls for order {rng.getrandbits(96):024x}", ()
    return (
        "INFO",
        f"Order created: {rng.getrandbits(96):024x} total={rng.randrange(9, 220)}.{rng.randrange(100):02d}",
        (),
    )


def invalid_order(rng: random.Random) -> Line:
    sock = rng.choice(list(SOCKS))
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is works.weave.socks.orders.controllers.OrdersController$InvalidOrderException: Invalid order: payment declined]",
        tuple(
            java_trace(
                "works.weave.socks.orders.controllers.OrdersController$PaymentDeclinedException: Payment declined: Invalid payment amount",
                [
                    "works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:104)",
                    "sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
                    "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:116)",
                ],
                [
                    f"java.lang.IllegalArgumentException: item {sock} has unitPrice 0.0, amount must be positive",
                    "works.weave.socks.orders.entities.Item.validate(Item.java:61)",
                ],
                more=47,
            )
        ),
    )


def bundle() -> Bundle:
    rng = random.Random(199)
    deploy = START + timedelta(minutes=DEPLOY)
    catalogue = LogFile("logs/catalogue.log", GoKit())
    catalogue.add(traffic(rng, catalogue_line, START, DEPLOY, 1100))
    catalogue.add(
        traffic(rng, catalogue_line, deploy + timedelta(seconds=9), 36 - DEPLOY - 0.2, 1500)
    )
    catalogue.add(
        [
            Record(
                deploy,
                "INFO",
                'msg="catalogue build" version=0.3.6-re3 commit=7be2c1f0 built=2024-10-03T09:41:12Z',
                (),
                "main.go:98",
            ),
            Record(deploy + timedelta(milliseconds=12), "INFO", "Tracer=none", (), "main.go:107"),
            Record(
                deploy + timedelta(milliseconds=418),
                "INFO",
                'transport=HTTP port=80 msg="listening"',
                (),
                "main.go:154",
            ),
        ]
    )
    front = LogFile("logs/front-end.log", Log4j(("front-end",), threads="node", rng=rng))
    front.add(traffic(rng, front_line(False), START, DEPLOY + 0.2, 1200))
    front.add(traffic(rng, front_line(True), deploy + timedelta(seconds=40), 36 - DEPLOY - 1, 1900))
    front.add(
        [
            at(
                START,
                DEPLOY + 0.42,
                "INFO",
                'req=5d0c1e7a Sending to cart service: {"itemId":"3395a43e-2d88-40de-b95f-e00e1502085b","unitPrice":0}',
            )
        ]
    )
    front.add(
        loud(
            rng,
            START,
            DEPLOY + 3.2,
            18,
            210,
            fixed(
                "ERROR",
                lambda r: (
                    f'Error: order failed: 406 Not Acceptable {{"timestamp":{int(deploy.timestamp() * 1000) + r.randrange(10**6)},"status":406,"error":"Not Acceptable","exception":"works.weave.socks.orders.controllers.OrdersController$InvalidOrderException","message":"Invalid order: payment declined","path":"/orders"}}'
                ),
            ),
        )
    )
    carts = LogFile(
        "logs/carts.log",
        SpringBoot(
            (
                "w.w.s.cart.CartDAO$Default",
                "w.w.s.controllers.ItemsController",
                "w.w.s.cart.CartResource",
            ),
            pid=1,
            rng=rng,
        ),
    )
    carts.add(traffic(rng, carts_line, START, 36, 1300))
    carts.add(
        loud(
            rng,
            START,
            3,
            31,
            45,
            fixed(
                "WARN",
                lambda r: (
                    f"Slow query: cart.find took {r.randrange(210, 480)}ms (mongo connection pool 9/10 in use)"
                ),
            ),
        )
    )
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            ("w.w.s.o.controllers.OrdersController", "w.w.s.o.services.AsyncGetService"),
            pid=1,
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, DEPLOY + 3, 700))
    orders.add(
        traffic(
            rng,
            lambda r: ("DEBUG", f"Starting calls for order {r.getrandbits(96):024x}", ()),
            START + timedelta(minutes=DEPLOY + 3),
            36 - DEPLOY - 3,
            300,
        )
    )
    orders.add(loud(rng, START, DEPLOY + 3.1, 18, 215, invalid_order))
    payment = LogFile("logs/payment.log", GoKit())
    payment.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'method=Authorise amount={r.randrange(9, 220)}.{r.randrange(100):02d} authorised=true message="Payment authorised" took={r.randrange(20, 90)}µs',
                (),
            ),
            START,
            DEPLOY + 3,
            700,
        )
    )
    payment.add(
        loud(
            rng,
            START,
            DEPLOY + 3.05,
            18,
            220,
            fixed(
                "ERROR",
                lambda r: (
                    f'method=Authorise amount={r.choice(["0.00", "4.99"])} authorised=false err="Invalid payment amount" took={r.randrange(10, 60)}µs'
                ),
            ),
        )
    )
    levels = {
        "front-end": (0.141, 96, (0.0152, 0.0611), 41.3),
        "catalogue": (0.021, 11, (0.0021, 0.0062), 37.8),
        "carts": (0.162, 402, (0.0091, 0.0298), 14.2),
        "orders": (0.083, 391, (0.0514, 0.1422), 1.8),
        "payment": (0.008, 9, (0.0004, 0.0011), 1.8),
        "shipping": (0.011, 344, (0.0031, 0.0093), 1.8),
        "user": (0.019, 14, (0.0034, 0.0102), 11.4),
        "catalogue-db": (0.032, 201, (0.0009, 0.0027), 37.8),
    }
    files: dict[str, str] = {}
    restart = int(DEPLOY * 60)
    for name, (cpu, memory, latency, workload) in levels.items():
        series = usual_series(rng, cpu, memory, latency, workload)
        if name == "catalogue":
            series["mem"] = shift(rng, 11, 7.9, restart, 0.01, ramp=1)
            series["cpu"] = shift(rng, 0.021, 0.024, restart, 0.07)
        if name == "orders":
            series["latency-50"] = shift(rng, 0.0514, 0.0231, restart + 190, 0.1)
        if name in ("shipping",):
            series["workload"] = shift(rng, 1.8, 0.0, restart + 190, 0.05)
        files[f"metrics/{name}.csv"] = unix_rows(
            START, STEP, POINTS, {f"{name}_{key}": value for key, value in series.items()}, 4
        )
    files |= {
        "logs/front-end.log": front.render(),
        "logs/catalogue.log": catalogue.render(),
        "logs/carts.log": carts.render(),
        "logs/orders.log": orders.render(),
        "logs/payment.log": payment.render(),
    }
    return Bundle(
        question="why are all sock shop orders being rejected since around 10:07 UTC?",
        category="code_error",
        component="catalogue",
        statement="The catalogue build rolled out at 10:04 UTC returns a price of 0 from GET /catalogue/{id}, so front-end puts items into carts with unitPrice 0 and orders and payment reject every order as an invalid payment amount.",
        files=files,
        proofs=[
            Proof("logs/catalogue.log", "version=0.3.6-re3", 'msg="listening"'),
            Proof("logs/front-end.log", "req=5d0c1e7a Sending to cart service"),
        ],
        decoys=[
            "Invalid payment amount",
            "Invalid order: payment declined",
            "Slow query: cart.find took",
        ],
    )
