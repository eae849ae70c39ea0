# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""inventory-api's live heap grows to nearly its 4 GB maximum after a supplier import, as its stock index
doubles; G1 falls into back-to-back Full GCs with multi-second pauses, and the loud part is
HikariCP's clock-leap warnings, Kafka rebalances and orders' read timeouts."""

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import Log4j, Logfmt, Record
from scenes import at, fixed, loud
from traffic import Line, traffic, web_api

START = datetime(2025, 3, 9, 13, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
BOOT = START - timedelta(hours=31, seconds=418)


@dataclass
class UnifiedGcLog:
    """JDK unified logging with `-Xlog:gc:file=gc.log:time,uptime,level,tags` in the host's zone."""

    zone: ZoneInfo

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(self.zone)
        stamp = (
            local.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{local.microsecond // 1000:03d}"
            + local.strftime("%z")
        )
        uptime = (record.time - BOOT) // timedelta(milliseconds=1) / 1000
        return [
            f"[{stamp}][{uptime:.3f}s][{record.level.lower()}][{record.logger or 'gc'}] {record.message}"
        ]


def young_pause(heap: tuple[int, int, int, int]) -> Callable[[random.Random], Line]:
    """Young pauses between heap sizes (low, high before; low, high after), numbered later."""

    def make(rng: random.Random) -> Line:
        before = rng.randrange(heap[0], heap[1])
        after = rng.randrange(heap[2], heap[3])
        return (
            "INFO",
            f"GC(#) Pause Young (Normal) (G1 Evacuation Pause) {before}M->{after}M(4096M) {rng.uniform(8, 38):.3f}ms",
            (),
        )

    return make


def full_pause(rng: random.Random) -> Line:
    before = rng.randrange(4060, 4096)
    after = rng.randrange(3920, 3990)
    return (
        "INFO",
        f"GC(#) Pause Full (G1 Compaction Pause) {before}M->{after}M(4096M) {rng.uniform(3800, 7400):.3f}ms",
        (),
    )


def numbered(records: list[Record], first: int) -> list[Record]:
    """The records in time order, each `GC(#)` given the next event number, as the JVM counts."""
    ordered = sorted(records, key=lambda record: record.time)
    return [
        replace(record, message=record.message.replace("GC(#)", f"GC({first + index})"))
        for index, record in enumerate(ordered)
    ]


def bundle() -> Bundle:
    rng = random.Random(161)
    events = [
        *traffic(rng, young_pause((2300, 2700, 1150, 1450)), START, 14.9, 600),
        *traffic(
            rng, young_pause((3300, 3700, 2900, 3500)), START + timedelta(minutes=15), 2.3, 95
        ),
        at(
            START,
            17.4,
            "INFO",
            "GC(#) Pause Young (Normal) (G1 Evacuation Pause) (To-space exhausted) 4071M->4088M(4096M) 212.406ms",
        ),
        at(
            START,
            17.41,
            "INFO",
            "GC(#) Pause Full (G1 Compaction Pause) 4095M->3948M(4096M) 4127.551ms",
        ),
        *traffic(rng, full_pause, START + timedelta(minutes=17.6), 42, 341),
        *traffic(
            rng, young_pause((4000, 4090, 3930, 4000)), START + timedelta(minutes=17.6), 42, 180
        ),
    ]
    gc = LogFile("inventory-api-gc.log", UnifiedGcLog(BERLIN))
    gc.add(numbered(events, 40212))
    inventory = LogFile(
        "inventory-api.log",
        Log4j(
            (
                "com.acme.inventory.web.StockController",
                "com.acme.inventory.index.StockIndex",
                "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            threads="http-nio-8080-exec",
            rng=rng,
        ),
    )
    inventory.add(
        traffic(
            rng, web_api("inventory-api", ["stock", "reservations", "warehouses"]), START, 60, 2310
        )
    )
    inventory.add(
        [
            at(
                START,
                14.9,
                "INFO",
                "stock index rebuilt after supplier catalog import: 18412330 entries (previous 9204117), estimated retained size 2.31 GB",
                logger="com.acme.inventory.index.StockIndex",
            )
        ]
    )
    inventory.add(
        loud(
            rng,
            START,
            18,
            41,
            147,
            fixed(
                "WARN",
                lambda r: (
                    f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={r.randrange(4, 9)}s{r.randrange(1000)}ms)."
                ),
                None,
            ),
        )
    )
    inventory.add(
        loud(
            rng,
            START,
            18.5,
            40,
            63,
            fixed(
                "WARN",
                lambda r: (
                    f"[Consumer clientId=inventory-api-{r.randrange(3)}, groupId=inventory-reservations] consumer poll timeout has expired. This means the time between subsequent calls to poll() was longer than the configured max.poll.interval.ms, which typically implies that the poll loop is spending too much time processing messages."
                ),
            ),
        )
    )
    inventory.add(
        loud(
            rng,
            START,
            18.5,
            40,
            71,
            fixed(
                "INFO",
                lambda r: (
                    f"[Consumer clientId=inventory-api-{r.randrange(3)}, groupId=inventory-reservations] Request joining group due to: rebalance failed due to 'The group is rebalancing, so a rejoin is needed.' (RebalanceInProgressException)"
                ),
            ),
        )
    )
    orders = LogFile("orders.log", Logfmt("orders", rng))
    orders.add(traffic(rng, web_api("orders", ["orders", "shipments"]), START, 60, 1730))
    orders.add(
        loud(
            rng,
            START,
            18,
            41,
            389,
            fixed(
                "ERROR",
                lambda r: (
                    f'reserve stock for order {r.randrange(10**7)} failed: Get "http://inventory-api.internal:8080/api/v1/stock/{r.randrange(10**6)}": context deadline exceeded (Client.Timeout exceeded while awaiting headers) after 3000ms'
                ),
            ),
        )
    )
    orders.add(
        loud(
            rng,
            START,
            19,
            40,
            58,
            fixed(
                "WARN",
                lambda r: (
                    f"circuit breaker inventory-api state=open failures={r.randrange(50, 400)} window=60s"
                ),
            ),
        )
    )
    step = 60
    series = {
        "inventory_heap_after_gc_mb": shift(rng, 1300, 3950, 15, 0.01, ramp=3),
        "inventory_gc_pause_seconds_per_min": shift(rng, 0.6, 41, 17, 0.08, ramp=2),
        "inventory_cpu_percent": shift(rng, 34, 96, 17, 0.04, ramp=2),
        "inventory_p99_ms": shift(rng, 110, 7400, 17, 0.1, ramp=2),
        "orders_error_rate_percent": shift(rng, 0.2, 38, 18, 0.1, ramp=2),
        "kafka_consumer_lag_inventory_reservations": shift(rng, 40, 92000, 18, 0.1, ramp=20),
    }
    return Bundle(
        question="Order placement has been failing on and off since about 14:18 local (CET); orders says inventory-api times out, and inventory's Kafka consumers keep rebalancing. What is wrong?",
        category="memory",
        component="inventory-api",
        statement="inventory-api's live heap grew to about 3.9 GB of its 4 GB maximum after the stock index doubled, so G1 runs back-to-back Full GCs with 4-7 second stop-the-world pauses that stall every request and consumer.",
        files={
            "inventory-api-gc.log": gc.render(),
            "inventory-api.log": inventory.render(),
            "orders.log": orders.render(),
            "metrics.csv": csv_text(START, step, 60, series),
        },
        proofs=[
            Proof(
                "inventory-api-gc.log",
                "(To-space exhausted) 4071M",
                "Pause Full (G1 Compaction Pause) 4095M->3948M",
            ),
            Proof("inventory-api.log", "stock index rebuilt after supplier catalog import"),
        ],
        decoys=[
            "Thread starvation or clock leap detected",
            "consumer poll timeout has expired",
            "context deadline exceeded (Client.Timeout exceeded",
            "circuit breaker inventory-api state=open",
        ],
    )
