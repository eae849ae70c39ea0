# ruff: noqa: E501
# Hand-written log lines, GC lines and series definitions are data, kept whole on one line.
"""ts-order-service's heap leaks from 08:03 UTC: what survives each young collection grows
for half an hour, full collections recover nothing, the JVM dies with OutOfMemoryError and the
container restarts; ts-preserve-service and ts-cancel-service log connection resets and
refusals, the dashboard answers 502."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import usual_series, wide_csv
from records import NginxAccess, Record, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2024, 9, 12, 8, 0, tzinfo=UTC)
JVM_START = START - timedelta(hours=5, seconds=13.4)
LEAK_MINUTE = 3.2
OOM_MINUTE = 34.6
END_MINUTE = 42
STEP = 1
POINTS = END_MINUTE * 60


STARTUP = ("Starting OrderApplication", "Tomcat started on port", "Started OrderApplication")


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


@dataclass
class UnifiedGc:
    """JDK 11 unified logging: `[time][uptime][level][tags] message` (-Xlog:gc:file:time,uptime,level,tags)."""

    def render(self, record: Record) -> list[str]:
        text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+0000"
        )
        uptime = (record.time - JVM_START).total_seconds()
        return [f"[{text}][{uptime:.3f}s][{record.level.lower()}][gc] {record.message}"]


def gc_records(rng: random.Random) -> list[Record]:
    """Young pauses every few seconds; survivors grow after the leak starts, full pauses near the end."""
    records = []
    minute, number = 0.0, 48211
    while minute < OOM_MINUTE - 0.05:
        leaked = max(0.0, minute - LEAK_MINUTE) / (OOM_MINUTE - LEAK_MINUTE)
        live = 262 + 735 * leaked**1.15 + rng.gauss(0, 6)
        before = min(1012, live + rng.randrange(560, 640) * (1 - leaked * 0.93))
        pause = rng.lognormvariate(0, 0.3) * (4 + 30 * leaked)
        time = START + timedelta(minutes=minute)
        if leaked > 0.9 and rng.random() < 0.35:
            records.append(
                Record(
                    time,
                    "INFO",
                    f"GC({number}) Pause Full (G1 Compaction Pause) {1015 + rng.randrange(8)}M->{live + rng.randrange(2, 9):.0f}M(1024M) {rng.lognormvariate(0, 0.2) * 870:.3f}ms",
                )
            )
        else:
            records.append(
                Record(
                    time,
                    "INFO",
                    f"GC({number}) Pause Young (Normal) (G1 Evacuation Pause) {before:.0f}M->{live:.0f}M(1024M) {pause:.3f}ms",
                )
            )
        number += 1
        minute += (rng.lognormvariate(0, 0.3) * 7.5 * (1 - leaked * 0.88)) / 60
    records.append(
        at(
            START,
            OOM_MINUTE - 0.03,
            "INFO",
            f"GC({number}) Pause Full (G1 Compaction Pause) 1023M->1019M(1024M) 1204.772ms",
        )
    )
    records.append(at(START, OOM_MINUTE - 0.01, "INFO", f"GC({number + 1}) To-space exhausted"))
    return records


def order_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return "INFO", f"[create][Create Order][Order Created][OrderId: {uuid(rng)}]", ()
    if roll < 0.6:
        return (
            "INFO",
            f"[queryOrdersForRefresh][Query Orders for refresh][AccountId: {uuid(rng)}]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[getSoldTickets][Get Sold Ticket][Travel Date: 2024-09-1{rng.randrange(2, 9)}, TrainNumber: {rng.choice(['G1234', 'D1345', 'Z1235', 'K1345'])}]",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"[modifyOrder][Modify order status][OrderId: {uuid(rng)}, status: {rng.randrange(0, 4)}]",
            (),
        )
    return (
        "INFO",
        f"[checkSecurityAboutOrder][Check security][AccountId: {uuid(rng)}, orderNum: {rng.randrange(0, 5)}]",
        (),
    )


def caller_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return "INFO", f"[preserve][Step 1][Check Security][Account: {uuid(rng)}]", ()
    if roll < 0.7:
        return "INFO", f"[preserve][Step 4][Do Order][Order id: {uuid(rng)}]", ()
    if roll < 0.9:
        return (
            "INFO",
            f"[cancelOrder][Cancel Order][OrderId: {uuid(rng)}, refund: {rng.randrange(50, 900)}.0]",
            (),
        )
    return (
        "INFO",
        f"[preserve][Step 6][Send Email][Success][email: user{rng.randrange(1000)}@example.com]",
        (),
    )


def reset_trace(target: str) -> list[str]:
    return [
        f'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-order-service:12031/api/v1/orderservice/{target}": Connection reset; nested exception is java.net.SocketException: Connection reset',
        "\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:751)",
        "\tat org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:637)",
        "Caused by: java.net.SocketException: Connection reset",
        "\tat java.net.SocketInputStream.read(SocketInputStream.java:210)",
        "\t... 87 more",
    ]


def dashboard_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/api/v1/preserveservice/preserve",
            "/api/v1/orderservice/order/refresh",
            "/api/v1/cancelservice/cancel/" + uuid(rng),
            "/api/v1/travelservice/trips/left",
            "/api/v1/users/login",
            "/index.html",
        ]
    )
    return (
        "INFO",
        f'"POST {path} HTTP/1.1" 200 {rng.randrange(200, 5000)} "-" "Apache-HttpClient/4.5.13 (Java/11.0.22)" {rng.lognormvariate(0, 0.5) * 0.09:.3f}',
        (),
    )


def jvm_lines(text: str) -> str:
    """The JVM prints its own exit on stderr, and Spring starts up on the main thread."""
    lines = []
    for line in text.splitlines():
        if "Terminating due to java.lang.OutOfMemoryError" in line:
            line = "Terminating due to java.lang.OutOfMemoryError: Java heap space"
        elif any(marker in line for marker in STARTUP):
            head, message = line.split(" : ", 1)
            stamp_and_level = head.split(" --- ")[0]
            line = (
                f"{stamp_and_level} --- [{'main':>15}] {'order.OrderApplication':<40} : {message}"
            )
        lines.append(line)
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(179)
    gc = LogFile("ts-order-service/gc.log", UnifiedGc())
    gc.add(gc_records(rng))
    order = LogFile(
        "ts-order-service/app.log",
        SpringBoot(("order.service.OrderServiceImpl", "order.controller.OrderController"), rng=rng),
    )
    order.add(traffic(rng, order_line, START, OOM_MINUTE, 2700))
    order.add(
        traffic(
            rng,
            order_line,
            START + timedelta(minutes=OOM_MINUTE + 1.4),
            END_MINUTE - OOM_MINUTE - 1.4,
            520,
        )
    )
    order.add(
        loud(
            rng,
            START,
            27,
            OOM_MINUTE - 27.2,
            22,
            fixed(
                "WARN",
                lambda r: (
                    f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={r.randrange(41, 79)}s{r.randrange(100, 999)}ms)."
                ),
            ),
        )
    )
    order.add(
        [
            at(
                START,
                OOM_MINUTE,
                "ERROR",
                "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Handler dispatch failed; nested exception is java.lang.OutOfMemoryError: Java heap space] with root cause",
                [
                    "java.lang.OutOfMemoryError: Java heap space",
                    "\tat java.util.Arrays.copyOf(Arrays.java:3745)",
                    "\tat java.util.ArrayList.grow(ArrayList.java:267)",
                    "\tat order.service.OrderServiceImpl.queryOrdersForRefresh(OrderServiceImpl.java:212)",
                ],
                "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
            at(
                START,
                OOM_MINUTE + 0.02,
                "ERROR",
                "Terminating due to java.lang.OutOfMemoryError: Java heap space",
            ),
            at(
                START,
                OOM_MINUTE + 1.2,
                "INFO",
                "Starting OrderApplication v1.0 using Java 11.0.22 with PID 1 (/app/ts-order-service-1.0.jar started by root in /app)",
            ),
            at(
                START,
                OOM_MINUTE + 1.35,
                "INFO",
                "Tomcat started on port(s): 12031 (http) with context path ''",
            ),
            at(
                START,
                OOM_MINUTE + 1.36,
                "INFO",
                "Started OrderApplication in 14.82 seconds (JVM running for 16.077)",
            ),
        ]
    )
    preserve = LogFile(
        "ts-preserve-service.log", SpringBoot(("preserve.service.PreserveServiceImpl",), rng=rng)
    )
    preserve.add(traffic(rng, caller_line, START, END_MINUTE, 2300))
    preserve.add(
        loud(
            rng,
            START,
            OOM_MINUTE - 4,
            4,
            31,
            fixed(
                "WARN",
                lambda r: (
                    f"[preserve][Step 4][Do Order][Create order slow][took {r.randrange(3100, 9800)}ms]"
                ),
            ),
        )
    )
    preserve.add(
        loud(
            rng,
            START,
            OOM_MINUTE,
            0.15,
            46,
            fixed(
                "ERROR",
                lambda r: "[preserve][Step 4][Do Order][Create Order Fail]",
                lambda r: reset_trace("order"),
            ),
        )
    )
    preserve.add(
        loud(
            rng,
            START,
            OOM_MINUTE + 0.15,
            1.2,
            137,
            fixed(
                "ERROR",
                lambda r: (
                    'I/O error on POST request for "http://ts-order-service:12031/api/v1/orderservice/order": Connect to ts-order-service:12031 [ts-order-service/10.96.44.17] failed: Connection refused (Connection refused)'
                ),
            ),
        )
    )
    cancel = LogFile(
        "ts-cancel-service.log", SpringBoot(("cancel.service.CancelServiceImpl",), rng=rng)
    )
    cancel.add(traffic(rng, caller_line, START, END_MINUTE, 1100))
    cancel.add(
        loud(
            rng,
            START,
            OOM_MINUTE,
            0.2,
            19,
            fixed(
                "ERROR",
                lambda r: "[cancelOrder][Get order by id][Fail]",
                lambda r: reset_trace("order/modify"),
            ),
        )
    )
    dashboard = LogFile("ts-ui-dashboard.log", NginxAccess(rng=rng))
    dashboard.add(traffic(rng, dashboard_line, START, END_MINUTE, 3300))
    dashboard.add(
        loud(
            rng,
            START,
            OOM_MINUTE,
            1.4,
            188,
            fixed(
                "ERROR",
                lambda r: (
                    f'"POST /api/v1/preserveservice/preserve HTTP/1.1" 502 {r.randrange(150, 170)} "-" "Apache-HttpClient/4.5.13 (Java/11.0.22)" {r.random() * 0.05:.3f}'
                ),
            ),
        )
    )
    leak = int(LEAK_MINUTE * 60)
    oom = int(OOM_MINUTE * 60)
    services = {
        name: usual_series(rng, cpu, memory, latency, workload)
        for name, cpu, memory, latency, workload in [
            ("ts-order-service", 0.173, 742, (0.0137, 0.0401), 23.8),
            ("ts-preserve-service", 0.091, 688, (0.1121, 0.2894), 3.1),
            ("ts-cancel-service", 0.032, 604, (0.0412, 0.1033), 0.9),
            ("ts-travel-service", 0.166, 725, (0.0788, 0.2314), 11.6),
            ("ts-user-service", 0.044, 583, (0.0061, 0.0172), 5.2),
            ("ts-ui-dashboard", 0.019, 37, (0.0894, 0.3011), 22.9),
        ]
    }

    def order_memory(index: int) -> float:
        if index >= oom + 80:
            return 612 + rng.gauss(0, 4) + (index - oom - 80) * 0.02
        if index >= oom:
            return 0.0
        leaked = max(0, index - leak) / (oom - leak)
        return 742 + 1060 * leaked**1.15 + rng.gauss(0, 5)

    services["ts-order-service"]["mem"] = order_memory
    services["ts-order-service"]["cpu"] = shift(rng, 0.173, 0.612, oom - 420, 0.1, ramp=400)
    services["ts-order-service"]["latency-90"] = shift(
        rng, 0.0401, 1.9034, oom - 300, 0.2, ramp=280
    )
    services["ts-preserve-service"]["latency-90"] = shift(
        rng, 0.2894, 3.8812, oom - 260, 0.15, ramp=240
    )
    return Bundle(
        question="Ticket booking on Train-Ticket failed with 502s and connection resets for about two minutes at 08:35 UTC; preserve and cancel both threw. What happened?",
        category="memory",
        component="ts-order-service",
        statement="ts-order-service leaks heap from about 08:03 UTC: the live set left after each collection climbs from about 260 MB to the 1 GiB maximum, full collections recover nothing and the JVM dies with OutOfMemoryError at 08:34:36 and restarts, resetting its callers' connections.",
        files={
            "metrics.csv": wide_csv(START, STEP, POINTS, services),
            "ts-ui-dashboard.log": dashboard.render(),
            "ts-preserve-service.log": preserve.render(),
            "ts-cancel-service.log": cancel.render(),
            "ts-order-service/app.log": jvm_lines(order.render()),
            "ts-order-service/gc.log": gc.render(),
        },
        proofs=[
            Proof(
                "ts-order-service/gc.log",
                "Pause Full (G1 Compaction Pause) 1023M->1019M(1024M)",
                "To-space exhausted",
            ),
            Proof("ts-order-service/app.log", "Terminating due to java.lang.OutOfMemoryError"),
        ],
        decoys=[
            "Connection reset",
            "failed: Connection refused",
            "Thread starvation or clock leap detected",
            "502 ",
        ],
    )
