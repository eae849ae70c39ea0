# ruff: noqa: E501
# Hand-written log lines, stack frames and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE3 layout: logs and one CSV per service): ts-consign-price-service was
rebuilt and redeployed at 03:21 UTC (image 1.0.4-hotfix2). The new build reads the price
configuration's `withinPrice` as a boxed Double and the document stored for consigns beyond the
region has none, so `getPriceByWeightAndRegion(weight, false)` unboxes null and throws a
NullPointerException for every out-of-region consign (within-region ones still work). The service
answers 500 quickly, so its metrics barely move (HotSpot omits the stack trace after the first
throws); ts-consign-service logs `consign price query
failed` for each booking with a consign (the loudest errors), and ts-preserve-service logs
failed consign steps. Decoys: ts-consign-service's own errors, a Mongo slow-query warning in
ts-consign-service, and a ts-food-service restart at 03:12."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import unix_rows, usual_series
from records import SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2026, 10, 2, 3, 8, tzinfo=UTC)
MINUTES = 40
STEP = 1
DEPLOY = 13.0
FIRST = 13.9
FRAMES = [
    "consignprice.service.ConsignPriceServiceImpl.getPriceByWeightAndRegion(ConsignPriceServiceImpl.java:47)",
    "consignprice.controller.ConsignPriceController.getPriceByWeightAndRegion(ConsignPriceController.java:36)",
    "sun.reflect.GeneratedMethodAccessor214.invoke(Unknown Source)",
    "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:205)",
    "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1038)",
]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-b{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def price_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return (
            "INFO",
            f"[getPriceByWeightAndRegion][Calculate consign price][weight: {rng.randrange(1, 40)}.{rng.randrange(10)}, isWithinRegion: true]",
            (),
        )
    if roll < 0.8:
        return "INFO", "[getPriceInfo][Get price info][index: 0]", ()
    return "INFO", "[queryPriceInformation][Query price information]", ()


def price_line_before(rng: random.Random) -> Line:
    if rng.random() < 0.3:
        return (
            "INFO",
            f"[getPriceByWeightAndRegion][Calculate consign price][weight: {rng.randrange(1, 40)}.{rng.randrange(10)}, isWithinRegion: false]",
            (),
        )
    return price_line(rng)


def price_npe(rng: random.Random) -> Line:
    return (
        "ERROR",
        "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException] with root cause",
        ("java.lang.NullPointerException",),
    )


def consign_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[insertConsignRecord][Insert consign record][orderId: {uid(rng)}, accountId: {uid(rng)}]",
            (),
        )
    if roll < 0.8:
        return "INFO", f"[queryByAccountId][Query consign by accountId][accountId: {uid(rng)}]", ()
    return "WARN", f"[queryByOrderId][No Content according to orderId][orderId: {uid(rng)}]", ()


def bundle() -> Bundle:
    rng = random.Random(46060)
    price = LogFile(
        "logs/ts-consign-price-service.log",
        SpringBoot(
            (
                "consignprice.service.ConsignPriceServiceImpl",
                "consignprice.controller.ConsignPriceController",
            ),
            rng=rng,
        ),
    )
    price.add(traffic(rng, price_line_before, START, DEPLOY - 0.2, 600))
    price.add(
        traffic(
            rng, price_line, START.replace(minute=8 + int(DEPLOY) + 1), MINUTES - DEPLOY - 1, 1300
        )
    )
    price.add(
        [
            at(
                START,
                DEPLOY - 0.15,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            ),
            at(
                START,
                DEPLOY + 0.3,
                "INFO",
                "Starting ConsignPriceApplication v1.0.4-hotfix2 using Java 1.8.0_392 on ts-consign-price-service-6f7d9c8b54-t2wqz with PID 1 (/app/ts-consign-price-service-1.0.jar started by root in /app)",
                logger="consignprice.ConsignPriceApplication",
            ),
            at(
                START,
                DEPLOY + 0.63,
                "INFO",
                "Started ConsignPriceApplication in 17.804 seconds (JVM running for 19.233)",
                logger="consignprice.ConsignPriceApplication",
            ),
            at(
                START,
                FIRST - 0.01,
                "INFO",
                "[getPriceByWeightAndRegion][Calculate consign price][weight: 12.5, isWithinRegion: false]",
                logger="consignprice.service.ConsignPriceServiceImpl",
            ),
            at(
                START,
                FIRST,
                "ERROR",
                "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException] with root cause",
                tuple(java_trace("java.lang.NullPointerException", FRAMES)),
                logger="o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
        ]
    )
    price.add(loud(rng, START, FIRST + 0.3, MINUTES - FIRST - 0.4, 210, price_npe))
    consign = LogFile(
        "logs/ts-consign-service.log",
        SpringBoot(
            ("consign.service.ConsignServiceImpl", "consign.controller.ConsignController"), rng=rng
        ),
    )
    consign.add(traffic(rng, consign_line, START, MINUTES, 1700))
    consign.add(
        loud(
            rng,
            START,
            FIRST + 0.02,
            MINUTES - FIRST - 0.1,
            230,
            fixed(
                "ERROR",
                lambda r: (
                    f'[insertConsignRecord][consign price query failed][orderId: {uid(r)}] org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 : [{{"timestamp":"2026-10-02T03:{r.randrange(22, 47)}:{r.randrange(60):02d}.{r.randrange(1000):03d}+0000","status":500,"error":"Internal Server Error","path":"/api/v1/consignpriceservice/consignprice/{r.randrange(1, 40)}.{r.randrange(10)}/false"}}]'
                ),
            ),
        )
    )
    consign.add(
        [
            at(
                START,
                6.7,
                "WARN",
                "Slow query: 1274 ms for find on ts.consign_record filter {accountId: ...} (threshold 1000 ms)",
                logger="o.s.data.mongodb.core.MongoTemplate",
            )
        ]
    )
    preserve = LogFile(
        "logs/ts-preserve-service.log",
        SpringBoot(("preserve.service.PreserveServiceImpl",), rng=rng),
    )
    preserve.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"[preserve][Step 4][Do Order Complete] orderId: {uid(r)}"),
            START,
            MINUTES,
            800,
        )
    )
    preserve.add(
        loud(
            rng,
            START,
            FIRST + 0.05,
            MINUTES - FIRST - 0.1,
            110,
            fixed(
                "ERROR",
                lambda r: (
                    f"[preserve][Step 7][Add Consign Fail] orderId: {uid(r)}, message: consign price query failed"
                ),
            ),
        )
    )
    food = LogFile(
        "logs/ts-food-service.log", SpringBoot(("foodsearch.service.FoodServiceImpl",), rng=rng)
    )
    food.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[getAllFood][Get All Food][date: 2026-10-03, startStation: {r.choice(['shanghai', 'nanjing'])}, tripId: G{r.randrange(1230, 1240)}]"
                ),
            ),
            START,
            MINUTES,
            700,
        )
    )
    food.add(
        [
            at(
                START,
                4.0,
                "WARN",
                "[getAllFood][Get the Get Food Request Failed!] ts-station-food-service: I/O error on GET request: Connection refused; retrying",
            ),
            at(
                START,
                4.2,
                "INFO",
                "Started FoodApplication in 21.117 seconds (JVM running for 22.906)",
            ),
        ]
    )
    levels = {
        "ts-consign-price-service": (0.061, 431.0, (0.0041, 0.0112), 6.2),
        "ts-consign-service": (0.083, 512.0, (0.0132, 0.0371), 6.2),
        "ts-preserve-service": (0.121, 633.0, (0.173, 0.398), 4.0),
        "ts-food-service": (0.072, 488.0, (0.0212, 0.0583), 5.1),
        "ts-order-service": (0.188, 701.0, (0.0117, 0.0341), 12.2),
        "ts-ui-dashboard": (0.302, 209.0, (0.0401, 0.1129), 40.0),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    index = int(DEPLOY * 60 // STEP)
    services["ts-consign-price-service"]["mem"] = shift(rng, 431.0, 402.0, index, 0.01, ramp=40)
    points = MINUTES * 60 // STEP
    files = {
        f"metrics/{name}.csv": unix_rows(
            START, STEP, points, {f"{name}_{m}": f for m, f in series.items()}, 4
        )
        for name, series in services.items()
    }
    files |= {
        "logs/ts-consign-price-service.log": price.render(),
        "logs/ts-consign-service.log": consign.render(),
        "logs/ts-preserve-service.log": preserve.render(),
        "logs/ts-food-service.log": food.render(),
    }
    return Bundle(
        question="Since about 03:22 UTC bookings that add a consignment fail at the last step. Which service is at fault and why?",
        category="code_error",
        component="ts-consign-price-service",
        statement="ts-consign-price-service's new build (v1.0.4-hotfix2, deployed 03:21 UTC) throws a NullPointerException in ConsignPriceServiceImpl.getPriceByWeightAndRegion for every out-of-region consign, so ts-consign-service's price queries get 500 and bookings with a consign fail.",
        files=files,
        proofs=[
            Proof(
                "logs/ts-consign-price-service.log",
                "ConsignPriceServiceImpl.getPriceByWeightAndRegion(ConsignPriceServiceImpl.java:47)",
            ),
            Proof(
                "logs/ts-consign-price-service.log",
                "Starting ConsignPriceApplication v1.0.4-hotfix2",
            ),
        ],
        decoys=[
            "consign price query failed",
            "Slow query: 1274 ms",
            "Get the Get Food Request Failed!",
        ],
    )
