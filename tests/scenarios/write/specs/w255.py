# ruff: noqa: E501
# Hand-written log lines and span rows are data, kept whole on one line.
"""Sock Shop (RCAEval RE3 style with traces: orders' and front-end's logs plus a span export;
shipping's own log was not collected): an exception thrown in one method of shipping. A
shipping build rolled out at 11:31 UTC parses the shipment's name as a numeric order number
in `ShippingController.postShipping`, so every POST /shipping throws
`java.lang.NumberFormatException: For input string: "<customer id>"` and answers 500 after
payment has already been authorised. orders (one hop) logs `500 Internal Server Error` stack
traces, and the front-end (two hops) answers 500 on POST /orders. Only the spans name the
exception, on shipping's span (tags `error=true`, `exception=java.lang.NumberFormatException`)
and the span's `version` tag shows the new build. Decoys: orders' loud stack traces,
payment's declined cards (customers over the limit, before and after), and payment's slower
spans from 11:05 to 11:12 (recovered)."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 1, 22, 11, 0, tzinfo=UTC)
MINUTES = 48
ROLL = 31.2


@dataclass
class FrontEnd:
    def render(self, record: Record) -> list[str]:
        return [record.message, *record.trailer]


def hexid(rng: random.Random, digits: int = 24) -> str:
    return f"{rng.getrandbits(digits * 4):0{digits}x}"


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f"Order created: CustomerOrder{{id='{hexid(rng)}', customerId='{hexid(rng)}', total={rng.uniform(9, 150):.2f}}}",
            (),
        )
    if roll < 0.65:
        return (
            "INFO",
            "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
            (),
        )
    if roll < 0.95:
        return "DEBUG", f"Sending shipping request: Shipment{{id='null', name='{hexid(rng)}'}}", ()
    return (
        "INFO",
        "Received payment response: PaymentResponse{authorised=false, message=Payment declined: amount exceeds 100.00}",
        (),
    )


def orders_error(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.HttpServerErrorException: 500 Internal Server Error] with root cause",
        tuple(
            java_trace(
                "org.springframework.web.client.HttpServerErrorException: 500 Internal Server Error",
                [
                    "org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:94)",
                    "org.springframework.web.client.RestTemplate.handleResponse(RestTemplate.java:667)",
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:620)",
                    "works.weave.socks.orders.services.AsyncGetService.postResource(AsyncGetService.java:82)",
                    "works.weave.socks.orders.controllers.OrdersController.newOrder(OrdersController.java:128)",
                ],
                more=42,
            )
        ),
    )


def front_line(rng: random.Random) -> Line:
    path, size = rng.choice(
        [
            ("/catalogue?page=1&size=6&tags=", 2871),
            ("/cart", 406),
            ("/orders", 1820),
            ("/tags", 107),
            ("/customers/" + hexid(rng), 241),
            ("/card", 190),
        ]
    )
    return "INFO", f"GET {path} 200 {rng.lognormvariate(0, 0.5) * 13:.3f} ms - {size}", ()


def front_error(rng: random.Random) -> Line:
    return "ERROR", f"POST /orders 500 {rng.uniform(110, 420):.3f} ms - 224", ()


def spans(
    rng: random.Random,
    begin: datetime,
    minutes: float,
    count: int,
    broken: bool,
    slow_payment: bool = False,
) -> list[tuple[int, str]]:
    rows = []
    for _ in range(count):
        t = begin + timedelta(seconds=rng.random() * minutes * 60)
        us = int(t.timestamp() * 1_000_000)
        trace = hexid(rng, 16)
        root, o, p, s = (hexid(rng, 16) for _ in range(4))
        pay = rng.randrange(2500, 9000) * (40 if slow_payment else 1)
        ship = rng.randrange(3000, 12000)
        status = "500" if broken else "201"
        version = "0.4.9" if broken else "0.4.8"
        extra = ";exception=java.lang.NumberFormatException" if broken else ""
        rows.append(
            (
                us,
                f"{trace},{root},,front-end,POST /orders,{us},{pay + ship + 60000},{status},{'error=true' if broken else ''}",
            )
        )
        rows.append(
            (
                us + 500,
                f"{trace},{o},{root},orders,POST /orders,{us + 500},{pay + ship + 40000},{status},{'error=true' if broken else ''}",
            )
        )
        rows.append(
            (us + 20000, f"{trace},{p},{o},payment,POST /paymentAuth,{us + 20000},{pay},200,")
        )
        rows.append(
            (
                us + 21000 + pay,
                f"{trace},{s},{o},shipping,POST /shipping,{us + 21000 + pay},{ship},{status},version={version}{(';error=true' + extra) if broken else ''}",
            )
        )
    return rows


def bundle() -> Bundle:
    rng = random.Random(20255)
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
    orders.add(traffic(rng, orders_line, START, MINUTES, 2300))
    orders.add(loud(rng, START, ROLL + 0.5, MINUTES - ROLL - 0.6, 290, orders_error))
    orders.add(
        [
            at(
                START,
                11.9,
                "INFO",
                "Received payment response: PaymentResponse{authorised=true, message=Payment authorised} (took 2381 ms)",
            )
        ]
    )
    front = LogFile("logs/front-end.log", FrontEnd())
    front.add(traffic(rng, front_line, START, MINUTES, 3300))
    front.add(loud(rng, START, ROLL + 0.52, MINUTES - ROLL - 0.6, 290, front_error))
    t0 = START + timedelta(minutes=ROLL + 0.5)
    rows = (
        spans(rng, START, 5, 40, False)
        + spans(rng, START + timedelta(minutes=5), 7, 60, False, True)
        + spans(rng, START + timedelta(minutes=12), ROLL - 12.2, 160, False)
        + spans(rng, t0 + timedelta(seconds=2), MINUTES - ROLL - 0.6, 170, True)
    )
    first = int(t0.timestamp() * 1_000_000)
    rows.append(
        (
            first,
            f"7e0d41c9a25b3f86,5d18c0b7e92a4f31,,front-end,POST /orders,{first},92690,500,error=true",
        )
    )
    rows.append(
        (
            first + 500,
            f"7e0d41c9a25b3f86,c2a7d9e4f1b03568,5d18c0b7e92a4f31,orders,POST /orders,{first + 500},71934,500,error=true",
        )
    )
    rows.append(
        (
            first + 20000,
            f"7e0d41c9a25b3f86,0f6a3c58d7e2b914,c2a7d9e4f1b03568,payment,POST /paymentAuth,{first + 20000},4411,200,",
        )
    )
    rows.append(
        (
            first + 21000 + 4411,
            f'7e0d41c9a25b3f86,3b9e2f07c4d1a865,c2a7d9e4f1b03568,shipping,POST /shipping,{first + 25411},8123,500,"version=0.4.9;error=true;exception=java.lang.NumberFormatException;message=For input string: ""57a98d98e4b00679b4a830b2"""',
        )
    )
    traces = (
        "trace_id,span_id,parent_span_id,service,operation,start_us,duration_us,http_status,tags\n"
        + "\n".join(row for _, row in sorted(rows))
        + "\n"
    )
    files = {
        "logs/front-end.log": front.render(),
        "logs/orders.log": orders.render(),
        "traces.csv": traces,
    }
    return Bundle(
        question="Every Sock Shop order fails with 500 since about 11:31 UTC, although cards are charged fine. Which service is the root cause?",
        category="code_error",
        component="shipping",
        statement="shipping's build 0.4.9, rolled out at 11:31 UTC, throws `java.lang.NumberFormatException` in POST /shipping on every shipment; orders gets `500 Internal Server Error` from it after payment succeeded and front-end's POST /orders answers 500.",
        files=files,
        proofs=[Proof("traces.csv", "3b9e2f07c4d1a865")],
        decoys=[
            "HttpServerErrorException: 500 Internal Server Error",
            "Payment declined",
            "took 2381 ms",
        ],
    )
