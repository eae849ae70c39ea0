# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""inventory's new liveness probe checks port 9090, where nothing listens; the kubelet kills a
healthy container about a minute after every start, and orders sees refused connections."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Log4j, Record
from scenes import fixed
from traffic import Line, traffic

START = datetime(2025, 4, 9, 9, 0, tzinfo=UTC)
NODES = [
    "aks-system-31284561-vmss000000",
    "aks-apps-31284561-vmss000002",
    "aks-apps-31284561-vmss000003",
    "aks-apps-31284561-vmss000005",
]
POD = "inventory-6cf8d7b9c4-rk2tw"
POD_IP = "10.244.3.27"
SKUS = [f"SKU-{number:05d}" for number in range(100, 160)]


@dataclass
class Loki:
    """A Loki/Grafana export: `time pod | line`, the line as the app printed it (Spring Boot)."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        level = record.level.replace("WARN", "WARN ").replace("INFO", "INFO ")
        return [
            f"{stamp} {POD} | {level:5} 1 --- [{record.logger or 'http-nio-8080-exec-1'}] {record.message}"
        ]


def served(rng: random.Random) -> Line:
    roll = rng.random()
    sku = rng.choice(SKUS)
    if roll < 0.5:
        return (
            "INFO",
            f"c.s.inventory.web.StockController : GET /api/stock/{sku} -> available={rng.randrange(0, 400)} ({rng.randrange(2, 30)}ms)",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"c.s.inventory.service.ReservationService : reserved {rng.randrange(1, 4)} x {sku} for order {rng.randrange(10**7)}",
            (),
        )
    if roll < 0.95:
        return (
            "DEBUG",
            f"c.s.inventory.cache.StockCache : refreshed {rng.randrange(100, 400)} entries from warehouse feed",
            (),
        )
    return (
        "WARN",
        f"c.s.inventory.service.ReservationService : reservation for {sku} rejected: insufficient stock",
        (),
    )


def cycle_starts() -> list[tuple[float, float]]:
    """(start, killed) minutes of each container run: up ~62 s, then the kubelet's back-off."""
    runs, minute, backoff = [], 0.0, 10
    while minute < 40:
        runs.append((minute, minute + 62 / 60))
        minute += 62 / 60 + backoff / 60
        backoff = min(300, backoff * 2)
    return runs


def startup(start: datetime, index: int) -> list[Record]:
    step = timedelta(milliseconds=410 + index * 7)
    lines = [
        (
            "main",
            "c.s.inventory.InventoryApplication : Starting InventoryApplication v2.7.0 using Java 21.0.2 with PID 1 (/app/app.jar started by app in /app)",
        ),
        (
            "main",
            "o.s.b.w.embedded.tomcat.TomcatWebServer : Tomcat initialized with port 8080 (http)",
        ),
        ("main", "com.zaxxer.hikari.HikariDataSource : HikariPool-1 - Starting..."),
        ("main", "com.zaxxer.hikari.HikariDataSource : HikariPool-1 - Start completed."),
        (
            "main",
            "o.s.b.a.e.web.EndpointLinksResolver : Exposing 3 endpoint(s) beneath base path '/actuator'",
        ),
        (
            "main",
            "o.s.b.w.embedded.tomcat.TomcatWebServer : Tomcat started on port 8080 (http) with context path ''",
        ),
        (
            "main",
            f"c.s.inventory.InventoryApplication : Started InventoryApplication in {11 + index * 0.37:.3f} seconds (process running for {12 + index * 0.41:.3f})",
        ),
    ]
    first = start + timedelta(milliseconds=137 + index * 31)
    return [
        Record(first + step * number + timedelta(seconds=number * 2), "INFO", message, (), thread)
        for number, (thread, message) in enumerate(lines)
    ]


def shutdown(killed: datetime) -> list[Record]:
    return [
        Record(
            killed,
            "INFO",
            "o.s.b.w.e.tomcat.GracefulShutdown : Commencing graceful shutdown. Waiting for active requests to complete",
            (),
            "SpringApplicationShutdownHook",
        ),
        Record(
            killed + timedelta(milliseconds=380),
            "INFO",
            "o.s.b.w.e.tomcat.GracefulShutdown : Graceful shutdown complete",
            (),
            "tomcat-shutdown",
        ),
        Record(
            killed + timedelta(milliseconds=520),
            "INFO",
            "com.zaxxer.hikari.HikariDataSource : HikariPool-1 - Shutdown initiated...",
            (),
            "SpringApplicationShutdownHook",
        ),
        Record(
            killed + timedelta(milliseconds=640),
            "INFO",
            "com.zaxxer.hikari.HikariDataSource : HikariPool-1 - Shutdown completed.",
            (),
            "SpringApplicationShutdownHook",
        ),
    ]


def refused(rng: random.Random, since: datetime, until: datetime) -> list[Record]:
    """orders' failed reservations while no inventory container is listening."""
    seconds = (until - since).total_seconds()
    message = fixed(
        "ERROR",
        lambda r: (
            f'stock reservation failed for order {r.randrange(10**7)}: I/O error on POST request for "http://inventory:8080/api/reservations": Connect to inventory:8080 [inventory/10.0.214.90] failed: Connection refused'
        ),
    )
    return traffic(rng, message, since, seconds / 60 + 0.3, int(seconds * 1.1))


def bundle() -> Bundle:
    rng = random.Random(147)
    inventory = LogFile("inventory-loki-export.log", Loki())
    orders = LogFile(
        "orders.log",
        Log4j(
            ("com.shop.orders.client.InventoryClient", "com.shop.orders.api.OrderResource"),
            "order-worker",
            rng,
        ),
    )
    runs = cycle_starts()
    down_from = 0.0
    for index, (start, killed) in enumerate(runs):
        begin = START + timedelta(minutes=start)
        end = START + timedelta(minutes=min(killed, 40))
        inventory.add(startup(begin, index))
        serving = begin + timedelta(seconds=16)
        inventory.add(
            [
                Record(
                    record.time,
                    record.level,
                    record.message,
                    (),
                    f"http-nio-8080-exec-{rng.randrange(1, 200)}",
                )
                for record in traffic(
                    rng, served, serving, (end - serving).total_seconds() / 60, 160
                )
            ]
        )
        if killed < 40:
            inventory.add(shutdown(end))
        if index:
            orders.add(refused(rng, START + timedelta(minutes=down_from), begin))
        down_from = killed
    orders.add(refused(rng, START + timedelta(minutes=down_from), START + timedelta(minutes=40)))
    orders.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"order {r.randrange(10**7)} accepted, {r.randrange(1, 6)} lines, total {r.randrange(5, 400)}.{r.randrange(100):02d} EUR"
                ),
            ),
            START,
            40,
            1500,
        )
    )
    orders.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: (
                    f"order {r.randrange(10**7)} parked for retry: inventory unavailable (circuit breaker OPEN, {r.randrange(1, 30)}s remaining)"
                ),
            ),
            START + timedelta(minutes=6),
            34,
            260,
        )
    )
    container = Container(
        name="inventory",
        image="acr-shop.azurecr.io/inventory:2.7.0",
        state=["Waiting", "  Reason:       CrashLoopBackOff"],
        last_state=[
            "Terminated",
            "  Reason:       Error",
            "  Exit Code:    143",
            "  Started:      Wed, 09 Apr 2025 09:34:28 +0000",
            "  Finished:     Wed, 09 Apr 2025 09:35:30 +0000",
        ],
        ready=False,
        restarts=len(runs),
        limits={"cpu": "1", "memory": "1Gi"},
        requests={"cpu": "250m", "memory": "768Mi"},
        probes=[
            "Liveness:     http-get http://:9090/healthz delay=30s timeout=1s period=10s #success=1 #failure=3",
            "Readiness:    http-get http://:8080/actuator/health/readiness delay=10s timeout=1s period=5s #success=1 #failure=3",
        ],
        environment=[
            "SPRING_PROFILES_ACTIVE:  prod",
            "JAVA_TOOL_OPTIONS:       -XX:MaxRAMPercentage=75",
        ],
    )
    pod = Pod(
        name=POD,
        namespace="shop",
        node=NODES[2],
        app="inventory",
        containers=[container],
        ip=POD_IP,
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        start_time="Wed, 09 Apr 2025 08:59:48 +0000",
        events=[
            (
                "Normal",
                "Scheduled",
                "40m",
                "default-scheduler",
                f"Successfully assigned shop/{POD} to {NODES[2]}",
            ),
            (
                "Normal",
                "Pulled",
                "40m",
                "kubelet",
                'Successfully pulled image "acr-shop.azurecr.io/inventory:2.7.0" in 2.113s (2.113s including waiting)',
            ),
            (
                "Warning",
                "Unhealthy",
                "38m (x2 over 40m)",
                "kubelet",
                f'Readiness probe failed: Get "http://{POD_IP}:8080/actuator/health/readiness": dial tcp {POD_IP}:8080: connect: connection refused',
            ),
            (
                "Warning",
                "Unhealthy",
                f"4m30s (x{3 * len(runs)} over 39m)",
                "kubelet",
                f'Liveness probe failed: Get "http://{POD_IP}:9090/healthz": dial tcp {POD_IP}:9090: connect: connection refused',
            ),
            (
                "Normal",
                "Killing",
                f"4m30s (x{len(runs)} over 39m)",
                "kubelet",
                "Container inventory failed liveness probe, will be restarted",
            ),
            (
                "Warning",
                "BackOff",
                f"12s (x{4 * len(runs)} over 38m)",
                "kubelet",
                f"Back-off restarting failed container inventory in pod {POD}_shop(7a3c9e1f-2b4d-4c6e-8f0a-1b3d5e7f9c21)",
            ),
            (
                "Normal",
                "Pulled",
                f"4m28s (x{len(runs)} over 39m)",
                "kubelet",
                'Container image "acr-shop.azurecr.io/inventory:2.7.0" already present on machine',
            ),
        ],
    )
    routine = routine_events(rng, ["orders", "catalog", "search", "cart"], 720, NODES)
    signal = [
        (
            2410,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/inventory",
                "Scaled up replica set inventory-6cf8d7b9c4 to 1",
            ),
        ),
        (
            2395,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/inventory",
                "Scaled down replica set inventory-58d9c6b7f5 to 0 from 1",
            ),
        ),
        (
            2300,
            (
                "Warning",
                "Unhealthy",
                f"pod/{POD}",
                f'Liveness probe failed: Get "http://{POD_IP}:9090/healthz": dial tcp {POD_IP}:9090: connect: connection refused',
            ),
        ),
        (
            2280,
            (
                "Normal",
                "Killing",
                f"pod/{POD}",
                "Container inventory failed liveness probe, will be restarted",
            ),
        ),
        (
            1500,
            (
                "Warning",
                "BackOff",
                f"pod/{POD}",
                f"Back-off restarting failed container inventory in pod {POD}_shop(7a3c9e1f-2b4d-4c6e-8f0a-1b3d5e7f9c21)",
            ),
        ),
    ]
    return Bundle(
        question="inventory keeps restarting (10 restarts in 40 minutes) since the 2.7.0 rollout, yet its logs show no error. What is killing it?",
        category="scheduling",
        component="inventory",
        statement="inventory's liveness probe was changed to http://:9090/healthz but the app only listens on 8080, so every probe is refused and the kubelet kills the healthy container about a minute after each start.",
        files={
            "describe-pod.txt": describe_pod(pod, rng),
            "events.txt": event_listing(routine, signal),
            "inventory-loki-export.log": inventory.render(),
            "orders.log": orders.render(),
        },
        proofs=[
            Proof("describe-pod.txt", "Liveness:     http-get http://:9090/healthz"),
            Proof("describe-pod.txt", f'Liveness probe failed: Get "http://{POD_IP}:9090/healthz"'),
        ],
        decoys=[
            "Connection refused",
            "circuit breaker OPEN",
            "Exit Code:    143",
            "Back-off restarting failed container",
        ],
    )
