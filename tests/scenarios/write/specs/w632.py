# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE3 layout, one CSV per service): ts-consign-service was redeployed at
19:20:40 UTC with a build that parses the consignment weight with `Integer.parseInt`; any
booking with a consignment whose weight has a decimal part (`2.5`) throws
NumberFormatException and answers 500, so ts-preserve-service's step 7 (consign) fails for
those bookings, which it reports as `Consign Fail`. Whole-number weights still work, and the
metrics barely move (a small CPU blip at the restart). Decoys: ts-preserve-service's loud
errors, ts-food-service's `no food stores` warnings, and a ts-consign-price-service config
reload."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import unix_rows, usual_series
from records import Log4j
from scenes import at, fixed, java_trace, loud
from traffic import traffic

START = datetime(2025, 12, 2, 19, 5, tzinfo=UTC)
MINUTES = 33
RESTART = 15 + 40 / 60
FIRST = RESTART + 1.3


def trace(weight: str) -> list[str]:
    return java_trace(
        f'java.lang.NumberFormatException: For input string: "{weight}"',
        [
            "java.base/java.lang.NumberFormatException.forInputString(NumberFormatException.java:67)",
            "java.base/java.lang.Integer.parseInt(Integer.java:662)",
            "java.base/java.lang.Integer.parseInt(Integer.java:778)",
            "consign.service.ConsignServiceImpl.toWeightUnits(ConsignServiceImpl.java:214)",
            "consign.service.ConsignServiceImpl.insertConsignRecord(ConsignServiceImpl.java:58)",
            "consign.controller.ConsignController.insertConsign(ConsignController.java:41)",
        ],
        more=52,
    )


def bundle() -> Bundle:
    rng = random.Random(63232)
    restart_at = START + timedelta(minutes=RESTART)

    def log4j(*loggers: str) -> Log4j:
        return Log4j(loggers, threads="http-nio-16111-exec", rng=rng)

    consign = LogFile(
        "logs/ts-consign-service.log",
        log4j("consign.service.ConsignServiceImpl", "consign.controller.ConsignController"),
    )

    def consign_ok(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        w = r.choice(["1", "2", "3", "5", "8", "10"])
        return (
            "INFO",
            r.choice(
                [
                    f"[insertConsignRecord][Insert Consign Record][OrderId: {r.getrandbits(32):08x}-{r.getrandbits(16):04x}, Weight: {w}, Price: {int(w) * 8 + 2}.0]",
                    f"[queryByAccountId][Find consign by account id][AccountId: {r.getrandbits(32):08x}, size: {r.randrange(0, 5)}]",
                ]
            ),
            (),
        )

    consign.add(traffic(rng, consign_ok, START, RESTART, 520))
    consign.add(
        traffic(rng, consign_ok, restart_at + timedelta(minutes=0.5), MINUTES - RESTART - 0.5, 560)
    )
    consign.add(
        [
            at(
                START,
                RESTART,
                "INFO",
                "Starting ConsignApplication v1.0.3-rc2 using Java 17.0.11 with PID 1 (/app/ts-consign-service.jar started by root in /app)",
                logger="consign.ConsignApplication",
            ),
            at(
                START,
                RESTART + 0.3,
                "INFO",
                "Started ConsignApplication in 21.482 seconds (process running for 23.107)",
                logger="consign.ConsignApplication",
            ),
            at(
                START,
                FIRST,
                "ERROR",
                'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: java.lang.NumberFormatException: For input string: "2.5"] with root cause',
                trace("2.5"),
                logger="org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/].[dispatcherServlet]",
            ),
        ]
    )
    consign.add(
        loud(
            rng,
            START,
            FIRST + 0.4,
            MINUTES - FIRST - 0.6,
            95,
            fixed(
                "ERROR",
                lambda r: (
                    f"[insertConsignRecord][Insert consign failed][OrderId: {r.getrandbits(32):08x}-{r.getrandbits(16):04x}, Weight: {r.choice(['0.5', '1.5', '2.5', '3.2', '4.75', '7.5'])}] NumberFormatException"
                ),
                None,
            ),
        )
    )
    preserve = LogFile(
        "logs/ts-preserve-service.log", log4j("preserve.service.PreserveServiceImpl")
    )
    preserve.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f"[preserve][Step 1 - Check Contacts Exists][Contacts Id: {r.getrandbits(32):08x}]",
                        f"[preserve][Step 6 - Buy Food][Food order created][OrderId: {r.getrandbits(32):08x}]",
                        f"[preserve][Step 7 - Add Consign][Consign success][OrderId: {r.getrandbits(32):08x}]",
                    ]
                ),
                (),
            ),
            START,
            MINUTES,
            1400,
        )
    )
    preserve.add(
        loud(
            rng,
            START,
            FIRST + 0.05,
            MINUTES - FIRST - 0.3,
            110,
            fixed(
                "ERROR",
                lambda r: (
                    f"[preserve][Step 7 - Add Consign][Consign Fail][OrderId: {r.getrandbits(32):08x}, status: 500 INTERNAL_SERVER_ERROR from POST http://ts-consign-service:16111/api/v1/consignservice/consigns]"
                ),
            ),
        )
    )
    food = LogFile("logs/ts-food-service.log", log4j("foodsearch.service.FoodServiceImpl"))
    food.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[getAllFood][Get Train Food List][TripId: {r.choice('GDZTK')}{r.randrange(1000, 9999)}, size: {r.randrange(1, 6)}]",
                (),
            ),
            START,
            MINUTES,
            900,
        )
    )
    food.add(
        loud(
            rng,
            START,
            2,
            MINUTES - 3,
            30,
            fixed(
                "WARN",
                lambda r: (
                    f"[getAllFood][Get the Get Food Request Failed!][No food stores for station: {r.choice(['taiyuan', 'xuzhou', 'jinan'])}]"
                ),
            ),
        )
    )
    price = LogFile(
        "logs/ts-consign-price-service.log", log4j("consignprice.service.ConsignPriceServiceImpl")
    )
    price.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[getPriceByWeightAndRegion][Calculate price][weight: {r.choice(['1', '2.5', '4', '7.5'])}, isWithinRegion: {r.choice(['true', 'false'])}]",
                (),
            ),
            START,
            MINUTES,
            500,
        )
    )
    price.add(
        [
            at(
                START,
                11.0,
                "WARN",
                "[updatePriceConfig][Price config reloaded][initialWeight: 1.0, initialPrice: 8.0, withinPrice: 2.0, beyondPrice: 4.0] (previous config index 3)",
            )
        ]
    )
    levels = {
        "ts-ui-dashboard": (0.148, 60.2, (0.0139, 0.0598), 38.6),
        "ts-preserve-service": (0.271, 712.3, (0.1488, 0.3911), 5.2),
        "ts-consign-service": (0.061, 566.4, (0.0102, 0.0298), 3.4),
        "ts-consign-price-service": (0.032, 548.0, (0.0048, 0.0119), 3.6),
        "ts-food-service": (0.071, 593.2, (0.0191, 0.0480), 4.9),
        "ts-order-service": (0.201, 690.7, (0.0159, 0.0530), 15.5),
        "ts-travel-service": (0.233, 701.3, (0.0327, 0.0958), 14.0),
        "ts-seat-service": (0.139, 637.7, (0.0205, 0.0569), 9.1),
        "ts-contacts-service": (0.044, 558.1, (0.0065, 0.0170), 5.3),
    }
    series = {name: usual_series(rng, *value) for name, value in levels.items()}
    idx = int(RESTART * 60)
    base_cpu = series["ts-consign-service"]["cpu"]
    series["ts-consign-service"]["cpu"] = lambda i: (
        base_cpu(i) * (9.0 if idx <= i < idx + 25 else 1.0)
    )
    series["ts-consign-service"]["mem"] = shift(rng, 566.4, 489.7, idx, 0.01, ramp=90)
    files = {
        f"metrics/{name}.csv": unix_rows(START, 1, MINUTES * 60, cols, 4)
        for name, cols in series.items()
    }
    for log in (preserve, consign, food, price):
        files[log.name] = log.render()
    return Bundle(
        question="Some Train-Ticket bookings with consignments started failing shortly after 19:20 UTC; others still go through. Metrics look normal. What is the root cause?",
        category="code_error",
        component="ts-consign-service",
        statement="The ts-consign-service build redeployed at 19:20:40 UTC parses the consignment weight with Integer.parseInt, so any consignment with a decimal weight (2.5) throws NumberFormatException and returns 500, failing the consign step of those bookings.",
        files=files,
        proofs=[
            Proof(
                "logs/ts-consign-service.log",
                'Request processing failed: java.lang.NumberFormatException: For input string: "2.5"',
                "ConsignServiceImpl.toWeightUnits",
            ),
        ],
        decoys=["Consign Fail", "No food stores for station", "Price config reloaded"],
    )
