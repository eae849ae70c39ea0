# ruff: noqa: E501
# Hand-written log lines, stack frames and series definitions are data, kept whole on one line.
"""pricing 2.8.0 joins sub-quotes on the same 16-thread pool that runs the quotes; under the
evening load every worker waits on work queued behind it, pricing starves and checkout times out."""

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, service_metrics, shift
from records import JsonLines, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2026, 2, 10, 17, 0, tzinfo=UTC)
RELEASE_MINUTE = 9
STARVED_MINUTE = 21.5
STEP = 30
JDK = "java.base@21.0.2"


def worker_stack(number: int, rng: random.Random) -> list[str]:
    return [
        f'"pricing-worker-{number}" #{40 + number} [{76 + number}] prio=5 os_prio=0 cpu={rng.randrange(900, 4000)}.{rng.randrange(100):02d}ms elapsed=1139.{rng.randrange(10, 99)}s tid=0x00007f3a2c{rng.getrandbits(24):06x} nid={76 + number} waiting on condition  [0x00007f39f{rng.getrandbits(20):05x}000]',
        "   java.lang.Thread.State: WAITING (parking)",
        f"\tat jdk.internal.misc.Unsafe.park({JDK}/Native Method)",
        f"\t- parking to wait for  <0x00000000e{rng.getrandbits(28):07x}> (a java.util.concurrent.CompletableFuture$Signaller)",
        f"\tat java.util.concurrent.locks.LockSupport.park({JDK}/LockSupport.java:221)",
        f"\tat java.util.concurrent.CompletableFuture$Signaller.block({JDK}/CompletableFuture.java:1864)",
        f"\tat java.util.concurrent.ForkJoinPool.unmanagedBlock({JDK}/ForkJoinPool.java:3780)",
        f"\tat java.util.concurrent.ForkJoinPool.managedBlock({JDK}/ForkJoinPool.java:3725)",
        f"\tat java.util.concurrent.CompletableFuture.waitingGet({JDK}/CompletableFuture.java:1898)",
        f"\tat java.util.concurrent.CompletableFuture.join({JDK}/CompletableFuture.java:2117)",
        "\tat com.acme.pricing.quote.QuoteService.lambda$quote$2(QuoteService.java:88)",
        "\tat com.acme.pricing.quote.QuoteService$$Lambda/0x00007f39c8512a10.get(Unknown Source)",
        f"\tat java.util.concurrent.CompletableFuture$AsyncSupply.run({JDK}/CompletableFuture.java:1768)",
        f"\tat java.util.concurrent.ThreadPoolExecutor.runWorker({JDK}/ThreadPoolExecutor.java:1144)",
        f"\tat java.util.concurrent.ThreadPoolExecutor$Worker.run({JDK}/ThreadPoolExecutor.java:642)",
        f"\tat java.lang.Thread.runWith({JDK}/Thread.java:1596)",
        f"\tat java.lang.Thread.run({JDK}/Thread.java:1583)",
        "",
    ]


def request_stack(number: int, rng: random.Random) -> list[str]:
    return [
        f'"http-nio-8080-exec-{number}" #{100 + number} [{140 + number}] daemon prio=5 os_prio=0 cpu={rng.randrange(100, 900)}.{rng.randrange(100):02d}ms elapsed=1140.{rng.randrange(10, 99)}s tid=0x00007f3a30{rng.getrandbits(24):06x} nid={140 + number} waiting on condition  [0x00007f39e{rng.getrandbits(20):05x}000]',
        "   java.lang.Thread.State: TIMED_WAITING (parking)",
        f"\tat jdk.internal.misc.Unsafe.park({JDK}/Native Method)",
        f"\t- parking to wait for  <0x00000000e{rng.getrandbits(28):07x}> (a java.util.concurrent.CompletableFuture$Signaller)",
        f"\tat java.util.concurrent.locks.LockSupport.parkNanos({JDK}/LockSupport.java:269)",
        f"\tat java.util.concurrent.CompletableFuture$Signaller.block({JDK}/CompletableFuture.java:1866)",
        f"\tat java.util.concurrent.CompletableFuture.timedGet({JDK}/CompletableFuture.java:1939)",
        f"\tat java.util.concurrent.CompletableFuture.get({JDK}/CompletableFuture.java:2095)",
        "\tat com.acme.pricing.web.QuoteController.quote(QuoteController.java:41)",
        f"\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke({JDK}/DirectMethodHandleAccessor.java:103)",
        "\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)",
        "\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
        "\tat org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)",
        "\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)",
        f"\tat java.lang.Thread.runWith({JDK}/Thread.java:1596)",
        f"\tat java.lang.Thread.run({JDK}/Thread.java:1583)",
        "",
    ]


def other_stacks() -> list[str]:
    return [
        '"HikariPool-1 housekeeper" #33 [69] daemon prio=5 os_prio=0 cpu=210.44ms elapsed=1141.02s tid=0x00007f3a2c0a1000 nid=69 waiting on condition  [0x00007f39f7dfe000]',
        "   java.lang.Thread.State: TIMED_WAITING (parking)",
        f"\tat jdk.internal.misc.Unsafe.park({JDK}/Native Method)",
        f"\tat java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue.take({JDK}/ScheduledThreadPoolExecutor.java:1182)",
        "",
        '"kafka-producer-network-thread | pricing-1" #35 [71] daemon prio=5 os_prio=0 cpu=4410.87ms elapsed=1140.88s tid=0x00007f3a2c0b7800 nid=71 runnable  [0x00007f39f7bfe000]',
        "   java.lang.Thread.State: RUNNABLE",
        f"\tat sun.nio.ch.EPoll.wait({JDK}/Native Method)",
        "\tat org.apache.kafka.common.network.Selector.poll(Selector.java:487)",
        "",
        '"G1 Young RemSet Sampling" os_prio=0 cpu=112.37ms elapsed=1142.51s tid=0x00007f3a2c02e000 nid=14 runnable',
        '"VM Periodic Task Thread" os_prio=0 cpu=812.09ms elapsed=1142.33s tid=0x00007f3a2c1a2000 nid=31 waiting on condition',
        "",
        "JNI global refs: 24, weak refs: 0",
    ]


def thread_dump(rng: random.Random) -> str:
    lines = [
        "2026-02-10 17:31:07",
        "Full thread dump OpenJDK 64-Bit Server VM (21.0.2+13-LTS mixed mode, sharing):",
        "",
    ]
    for number in range(1, 17):
        lines += worker_stack(number, rng)
    for number in range(1, 201):
        lines += request_stack(number, rng)
    lines += other_stacks()
    return "\n".join(lines) + "\n"


def pricing_line(rng: random.Random) -> Line:
    roll = rng.random()
    sku = f"SKU-{rng.randrange(10000, 99999)}"
    if roll < 0.5:
        return (
            "INFO",
            f"quote {rng.getrandbits(32):08x} for cart with {rng.randrange(1, 9)} lines computed in {rng.randrange(8, 60)}ms",
            (),
        )
    if roll < 0.75:
        return "DEBUG", f"promotion rules evaluated for {sku}: {rng.randrange(0, 4)} matched", ()
    if roll < 0.9:
        return (
            "DEBUG",
            f"tax rate cache hit region={rng.choice(['DE-BY', 'FR-IDF', 'NL-NH', 'ES-MD', 'IT-LO'])}",
            (),
        )
    return "INFO", f"price list refresh: {rng.randrange(10, 300)} changed items applied", ()


def bundle() -> Bundle:
    rng = random.Random(156)
    pricing = LogFile(
        "pricing.log",
        SpringBoot(
            (
                "c.a.pricing.quote.QuoteService",
                "c.a.pricing.rules.PromotionEngine",
                "c.a.pricing.tax.TaxRates",
            ),
            pid=1,
            rng=rng,
        ),
    )
    pricing.add(traffic(rng, pricing_line, START, STARVED_MINUTE, 1900))
    pricing.add(traffic(rng, pricing_line, START + timedelta(minutes=STARVED_MINUTE), 10, 30))
    pricing.add(
        [
            at(
                START,
                RELEASE_MINUTE,
                "INFO",
                "Starting PricingApplication v2.8.0 using Java 21.0.2 with PID 1 (/app/pricing.jar started by app in /app)",
                logger="c.a.pricing.PricingApplication",
            ),
            at(
                START,
                RELEASE_MINUTE + 0.2,
                "INFO",
                "quote executor 'pricing-worker' configured: core=16 max=16 queue=unbounded (sub-quotes: tax, promotions, shipping run on the same executor)",
                logger="c.a.pricing.config.ExecutorConfig",
            ),
            at(
                START,
                RELEASE_MINUTE + 0.3,
                "INFO",
                "Started PricingApplication in 12.66 seconds (process running for 13.9)",
                logger="c.a.pricing.PricingApplication",
            ),
        ]
    )
    for index in range(62):
        minute = index * 0.5 + 0.07
        if minute < RELEASE_MINUTE:
            active, queued = rng.randrange(1, 6), 0
        elif minute < STARVED_MINUTE:
            active, queued = rng.randrange(4, 13), rng.randrange(0, 8)
        else:
            active, queued = 16, int((minute - STARVED_MINUTE) * 410 + 37)
        pricing.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"executor pricing-worker stats: pool=16 active={active} queued={queued} completed={int(min(minute, STARVED_MINUTE) * 5400) + rng.randrange(100)}",
                    logger="c.a.pricing.metrics.ExecutorMonitor",
                )
            ]
        )
    checkout = LogFile(
        "checkout.log",
        JsonLines("checkout", ("ts", "level", "msg"), rng=rng, zone=ZoneInfo("Europe/Berlin")),
    )
    checkout.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"order {r.randrange(10**7)} placed total={r.randrange(5, 500)}.{r.randrange(100):02d} EUR pricing={r.randrange(10, 80)}ms",
                (),
            ),
            START,
            STARVED_MINUTE,
            1400,
        )
    )
    checkout.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"cart {r.getrandbits(40):010x} viewed, {r.randrange(1, 9)} lines",
                (),
            ),
            START,
            31,
            700,
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            STARVED_MINUTE + 0.1,
            9.4,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"pricing call failed for cart {r.getrandbits(40):010x}: java.net.http.HttpTimeoutException: request timed out after 2000ms"
                ),
            ),
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            STARVED_MINUTE + 0.8,
            9,
            140,
            fixed(
                "WARN",
                lambda r: "CircuitBreaker 'pricing' is OPEN and does not permit further calls",
            ),
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            STARVED_MINUTE + 1,
            9,
            90,
            fixed(
                "WARN",
                lambda r: (
                    f"Redis command timed out after 500ms (GET cart:{r.getrandbits(40):010x}); served from DB"
                ),
            ),
        )
    )
    points = 31 * 60 // STEP + 1
    starved = int(STARVED_MINUTE * 60 // STEP)
    pricing_series = service_metrics(rng, 38, 1310, (24, 110), 0.1, 410)
    pricing_series["cpu_usage_percent"] = shift(rng, 38, 4, starved, 0.15)
    pricing_series["latency_p99_ms"] = shift(rng, 110, 30000, starved, 0.02)
    pricing_series["requests_per_s"] = shift(rng, 410, 190, starved + 1, 0.05)
    pricing_series["tomcat_threads_busy"] = shift(rng, 14, 200, starved, 0.02, ramp=3)
    checkout_series = service_metrics(rng, 22, 870, (60, 240), 0.2, 95)
    checkout_series["error_rate_percent"] = shift(rng, 0.2, 64, starved, 0.05)
    redis_series = service_metrics(rng, 7, 610, (0.3, 1.5), 0.0, 2100)
    redis_series["latency_p99_ms"] = shift(rng, 1.5, 6, starved + 2, 0.3)
    return Bundle(
        question="Checkout is failing with pricing timeouts since 17:21 UTC, but pricing's CPU is nearly idle and it logs no errors. Thread dump attached. What is wrong?",
        category="connection_pool",
        component="pricing",
        statement="pricing 2.8.0 runs quotes and their sub-quotes on the same 16-thread pricing-worker pool and blocks in CompletableFuture.join; under load all 16 workers wait for sub-tasks queued behind them, the pool starves (thread-pool deadlock) and every request times out.",
        files={
            "pricing.log": pricing.render(),
            "pricing-jstack.txt": thread_dump(rng),
            "checkout.log": checkout.render(),
            "metrics.csv": csv_text(
                START,
                STEP,
                points,
                {f"pricing_{name}": series for name, series in pricing_series.items()}
                | {f"checkout_{name}": series for name, series in checkout_series.items()}
                | {f"redis_{name}": series for name, series in redis_series.items()},
                decimals=1,
            ),
        },
        proofs=[
            Proof("pricing-jstack.txt", '"pricing-worker-1" #41', "QuoteService.lambda$quote$2"),
            Proof("pricing.log", "sub-quotes: tax, promotions, shipping run on the same executor"),
            Proof("pricing.log", "pool=16 active=16 queued=65 "),
        ],
        decoys=[
            "CircuitBreaker 'pricing' is OPEN",
            "Redis command timed out",
            "HttpTimeoutException",
        ],
    )
