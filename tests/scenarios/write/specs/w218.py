# ruff: noqa: E501
# Hand-written log lines, GC log lines and series definitions are data, kept whole on one line.
"""JVM, memory: pricing-rules (Spring Boot on host app-pr-02, JDK 17, `-XX:MaxMetaspaceSize=384m`)
reloads its Groovy rule scripts every five minutes into a fresh GroovyClassLoader; the old loaders
stay reachable through a ThreadLocal in the rule context, so every reload leaks ~1.6 MB of class
metadata. Nothing changed recently: the leak has grown for six days since the last restart. On
Thursday at 10:38 UTC Metaspace reaches its cap: back-to-back Full GCs "(Metadata GC Threshold)"
that free almost nothing, then `java.lang.OutOfMemoryError: Metaspace` on the reload thread and
on request threads; the service answers slowly, then 503s. Loud: checkout-api's timeouts and
fallbacks to list prices. Decoys: a heap-usage alert (heap is fine), checkout-api's Redis
command timeouts, and checkout-api's own deploy two days earlier."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import traffic, web_api

START = datetime(2025, 6, 12, 9, 0, tzinfo=UTC)
END = datetime(2025, 6, 12, 11, 10, tzinfo=UTC)
CAP = datetime(2025, 6, 12, 10, 38, tzinfo=UTC)
BOOT = datetime(2025, 6, 6, 7, 12, tzinfo=UTC)


@dataclass
class UnifiedGc:
    """JDK unified logging `-Xlog:gc*:file=gc.log:time,level,tags` (tags padded)."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+0000"
        )
        level = record.level.lower().replace("warn", "warning")
        return [f"[{stamp}][{level}][{record.logger:<13}] {record.message}"]


def named(records: list[Record], logger: str) -> list[Record]:
    """The same records written by one logger."""
    return [Record(r.time, r.level, r.message, r.trailer, logger) for r in records]


def bundle() -> Bundle:
    rng = random.Random(2218)
    total = (END - START).total_seconds() / 60
    cap_minute = (CAP - START).total_seconds() / 60

    service = LogFile(
        "logs/pricing-rules.log",
        SpringBoot(
            (
                "c.n.pricing.web.PriceController",
                "c.n.pricing.rules.RuleEvaluator",
                "c.n.pricing.rules.RuleRepository",
                "o.s.web.servlet.DispatcherServlet",
            ),
            pid=4121,
            rng=rng,
        ),
    )
    service.add(
        traffic(
            rng, web_api("pricing-rules", ["prices", "quotes", "rules"]), START, cap_minute, 2600
        )
    )
    service.add(
        traffic(
            rng,
            web_api("pricing-rules", ["prices", "quotes", "rules"]),
            CAP,
            total - cap_minute,
            300,
        )
    )
    reload_minute = 2.0
    loaded = 4518
    while reload_minute < total:
        if reload_minute < cap_minute:
            service.add(
                [
                    at(
                        START,
                        reload_minute,
                        "INFO",
                        f"Reloaded 412 rule scripts from s3://nw-pricing-rules/prod/ in {rng.randrange(900, 1400)} ms (generation {loaded})",
                        logger="c.n.pricing.rules.RuleRepository",
                    )
                ]
            )
        loaded += 1
        reload_minute += 5
    service.add(
        [
            at(
                START,
                cap_minute + 4.0,
                "ERROR",
                "Rule reload failed, keeping generation 4537",
                java_trace(
                    "java.lang.OutOfMemoryError: Metaspace",
                    [
                        "java.base/java.lang.ClassLoader.defineClass1(Native Method)",
                        "java.base/java.lang.ClassLoader.defineClass(ClassLoader.java:1017)",
                        "groovy.lang.GroovyClassLoader$ClassCollector.createClass(GroovyClassLoader.java:531)",
                        "groovy.lang.GroovyClassLoader.doParseClass(GroovyClassLoader.java:354)",
                        "groovy.lang.GroovyClassLoader.parseClass(GroovyClassLoader.java:300)",
                        "com.northwind.pricing.rules.RuleRepository.compile(RuleRepository.java:142)",
                        "com.northwind.pricing.rules.RuleRepository.reload(RuleRepository.java:97)",
                    ],
                    more=9,
                ),
                logger="c.n.pricing.rules.RuleRepository",
            ),
        ]
    )
    service.add(
        loud(
            rng,
            START,
            cap_minute + 1,
            total - cap_minute - 2,
            160,
            fixed(
                "ERROR",
                lambda r: (
                    "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Handler dispatch failed: java.lang.OutOfMemoryError: Metaspace] with root cause"
                ),
                lambda r: java_trace(
                    "java.lang.OutOfMemoryError: Metaspace",
                    [
                        "java.base/java.lang.ClassLoader.defineClass1(Native Method)",
                        "java.base/jdk.internal.reflect.MethodAccessorGenerator.generate(MethodAccessorGenerator.java:398)",
                        "com.northwind.pricing.rules.RuleEvaluator.evaluate(RuleEvaluator.java:64)",
                    ],
                    more=48,
                ),
            ),
        )
    )
    service.add(
        loud(
            rng,
            START,
            cap_minute - 6,
            total - cap_minute + 5,
            140,
            fixed(
                "WARN",
                lambda r: f"POST /api/v1/quotes took {r.randrange(2200, 9800)}ms (threshold 500ms)",
            ),
        )
    )

    gc = LogFile("logs/pricing-rules-gc.log", UnifiedGc())
    minute = 0.0
    gc_id = 88120
    while minute < total:
        heap_before = rng.randrange(1180, 1500)
        gc.add(
            [
                Record(
                    START + timedelta(minutes=minute, milliseconds=rng.randrange(1000)),
                    "INFO",
                    f"GC({gc_id}) Pause Young (Normal) (G1 Evacuation Pause) {heap_before}M->{rng.randrange(430, 520)}M(2048M) {rng.uniform(6, 19):.3f}ms",
                    (),
                    "gc",
                )
            ]
        )
        gc_id += 1
        minute += rng.uniform(0.6, 1.4) if minute < cap_minute - 8 else rng.uniform(0.2, 0.5)
    full_minute = cap_minute - 7.5
    meta = 391604
    while full_minute < total:
        after = min(393180, meta + rng.randrange(-20, 40))
        gc.add(
            [
                Record(
                    START + timedelta(minutes=full_minute),
                    "INFO",
                    f"GC({gc_id}) Pause Full (Metadata GC Threshold) {rng.randrange(520, 640)}M->{rng.randrange(505, 520)}M(2048M) {rng.uniform(1400, 2300):.3f}ms",
                    (),
                    "gc",
                ),
                Record(
                    START + timedelta(minutes=full_minute, microseconds=200),
                    "INFO",
                    f"GC({gc_id}) Metaspace: {meta}K(393216K)->{after}K(393216K) NonClass: {meta - 52100}K(340992K)->{after - 52100}K(340992K) Class: 52100K(52224K)->52100K(52224K)",
                    (),
                    "gc,metaspace",
                ),
            ]
        )
        meta = after
        gc_id += 1
        full_minute += rng.uniform(0.3, 1.1)

    checkout = LogFile(
        "logs/checkout-api.log",
        SpringBoot(
            (
                "c.n.checkout.web.CartController",
                "c.n.checkout.client.PricingClient",
                "c.n.checkout.cache.RedisCartStore",
            ),
            pid=2877,
            rng=rng,
        ),
    )
    checkout.add(
        traffic(rng, web_api("checkout-api", ["carts", "checkout", "orders"]), START, total, 3200)
    )
    checkout.add(
        named(
            loud(
                rng,
                START,
                cap_minute - 5,
                total - cap_minute + 4,
                420,
                fixed(
                    "WARN",
                    lambda r: (
                        f"pricing-rules quote failed for cart {r.getrandbits(32):08x}: Read timed out after 3000 ms, falling back to list prices"
                    ),
                ),
            ),
            "c.n.checkout.client.PricingClient",
        )
    )
    checkout.add(
        named(
            loud(
                rng,
                START,
                cap_minute + 1,
                total - cap_minute - 2,
                260,
                fixed(
                    "ERROR",
                    lambda r: (
                        f"pricing-rules quote failed for cart {r.getrandbits(32):08x}: 503 Service Unavailable from POST http://app-pr-02:8080/api/v1/quotes"
                    ),
                ),
            ),
            "c.n.checkout.client.PricingClient",
        )
    )
    checkout.add(
        named(
            loud(
                rng,
                START,
                0,
                total,
                45,
                fixed(
                    "WARN",
                    lambda r: (
                        f"Redis command timed out after 200 ms (GET cart:{r.getrandbits(32):08x}), served from database"
                    ),
                ),
            ),
            "c.n.checkout.cache.RedisCartStore",
        )
    )

    points = int((END - BOOT).total_seconds() // 900)
    cap_index = int((CAP - BOOT).total_seconds() // 900)
    metrics = csv_text(
        BOOT,
        900,
        points,
        {
            "app_pr_02_jvm_heap_used_mb": steady(rng, 1010, 0.18),
            "app_pr_02_jvm_heap_max_mb": steady(rng, 2048, 0.0),
            "app_pr_02_jvm_metaspace_used_mb": lambda index: min(
                383.9, 58 + 326 * index / cap_index + rng.uniform(-0.4, 0.4)
            ),
            "app_pr_02_jvm_classes_loaded": lambda index: min(
                214800, 21400 + 193400 * index / cap_index + rng.randrange(-60, 60)
            ),
            "app_pr_02_gc_pause_seconds_per_min": shift(rng, 0.4, 38.0, cap_index - 1, 0.1, ramp=2),
            "app_pr_02_cpu_percent": shift(rng, 22, 96, cap_index - 1, 0.06, ramp=2),
            "checkout_api_pricing_fallback_per_min": shift(
                rng, 0.2, 310, cap_index - 1, 0.2, ramp=2
            ),
        },
    )
    alerts = "\n".join(
        [
            "FIRING  JvmHeapUsageHigh        app-pr-02  heap_used/heap_max > 0.7 for 10m     since 2025-06-12 07:55 UTC  (also fired 06-10 and 06-11, self-resolved)",
            "FIRING  CheckoutPricingFallback checkout-api  fallback rate > 50/min              since 2025-06-12 10:36 UTC",
            "FIRING  PricingRulesLatencyP99  pricing-rules  p99 > 2s                            since 2025-06-12 10:33 UTC",
            "RESOLVED CheckoutRedisTimeouts  checkout-api  redis timeouts > 20/min              2025-06-12 09:12 -> 09:19 UTC",
            "",
            "Change log (last 7 days):",
            "2025-06-10 16:02 UTC  checkout-api 3.41.0 deployed (cart merge for logged-in users)",
            "2025-06-06 07:10 UTC  pricing-rules 2.18.3 restarted on app-pr-02 (host patching)",
            "",
        ]
    )
    files = {
        "alerts.txt": alerts,
        "logs/checkout-api.log": checkout.render(),
        "logs/pricing-rules.log": service.render(),
        "logs/pricing-rules-gc.log": gc.render(),
        "jvm-metrics-15m.csv": metrics,
    }
    return Bundle(
        question="Checkout has been falling back to list prices since about 10:35 UTC and the pricing quotes time out or return 503. Nothing was deployed today. What is the root cause?",
        category="memory",
        component="pricing-rules",
        statement="pricing-rules on app-pr-02 leaks Metaspace: each five-minute reload of its Groovy rule scripts loads new classes that are never unloaded, so six days after its last restart Metaspace reaches MaxMetaspaceSize (384 MB) at about 10:38 UTC Thursday; back-to-back Full GCs (Metadata GC Threshold) and OutOfMemoryError: Metaspace make quotes time out and fail with 503.",
        files=files,
        proofs=[
            Proof(
                "logs/pricing-rules.log",
                "Rule reload failed, keeping generation 4537",
                "java.lang.OutOfMemoryError: Metaspace",
            ),
            Proof("logs/pricing-rules-gc.log", "Metaspace: 391604K(393216K)"),
        ],
        decoys=[
            "JvmHeapUsageHigh",
            "Redis command timed out",
            "checkout-api 3.41.0 deployed",
        ],
    )
