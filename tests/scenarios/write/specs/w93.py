# ruff: noqa: E501
# Hand-written log lines, kubectl output and series definitions are data, kept whole on one line.
"""Release 4.8.0 of catalog ships chart values with a 250m CPU limit (it was 2 cores); the JVM
is throttled for most of every CFS period, readiness probes time out with a 1 s timeout, pods
flap out of the Service, and ingress-nginx answers 502/503/504 while catalog logs slow
queries and Hikari starvation warnings."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from metrics import prometheus_text, shift
from records import Record, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 6, 24, 10, 0, tzinfo=UTC)
NOW_MINUTE = 55
RELEASE = 21.0
STEP = 30
POINTS = NOW_MINUTE * 60 // STEP
NODES = [
    "ip-172-31-20-14.ec2.internal",
    "ip-172-31-33-201.ec2.internal",
    "ip-172-31-47-96.ec2.internal",
]
APPS = ["cart", "checkout", "web", "search", "reviews"]
POD = "catalog-7c5d8f9b6d-r4w2k"
PANELS = """# Grafana "Shop / Workloads" dashboard, exported 10:55 UTC (last 55 minutes, step 30s)

- Panel 3, "CFS throttling (share of periods)":
  `sum by (container, namespace) (rate(container_cpu_cfs_throttled_periods_total{namespace="shop", container!=""}[5m])) / sum by (container, namespace) (rate(container_cpu_cfs_periods_total{namespace="shop", container!=""}[5m]))`
- Panel 4, "CPU usage (cores, per pod average)":
  `avg by (container, namespace) (rate(container_cpu_usage_seconds_total{namespace="shop", container!=""}[5m]))`
"""


def pod() -> Pod:
    return Pod(
        name=POD,
        namespace="shop",
        node=NODES[1],
        app="catalog",
        ip="10.1.33.58",
        start_time="Tue, 24 Jun 2025 10:21:14 +0000",
        status="Running",
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                name="catalog",
                image="123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/catalog:4.8.0",
                state=["Running", "  Started:      Tue, 24 Jun 2025 10:49:02 +0000"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    143",
                    "  Started:      Tue, 24 Jun 2025 10:38:40 +0000",
                    "  Finished:     Tue, 24 Jun 2025 10:49:01 +0000",
                ],
                ready=False,
                restarts=3,
                limits={"cpu": "250m", "memory": "1536Mi"},
                requests={"cpu": "200m", "memory": "1Gi"},
                probes=[
                    "Liveness:   http-get http://:8080/actuator/health/liveness delay=60s timeout=1s period=10s #success=1 #failure=6",
                    "Readiness:  http-get http://:8080/actuator/health/readiness delay=20s timeout=1s period=10s #success=1 #failure=3",
                ],
                environment=[
                    "JAVA_TOOL_OPTIONS:  -XX:MaxRAMPercentage=75 -XX:+UseG1GC",
                    "SPRING_PROFILES_ACTIVE:  prod",
                ],
            )
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "34m",
                "default-scheduler",
                f"Successfully assigned shop/{POD} to {NODES[1]}",
            ),
            (
                "Normal",
                "Pulled",
                "34m",
                "kubelet",
                'Container image "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/catalog:4.8.0" already present on machine',
            ),
            (
                "Warning",
                "Unhealthy",
                "2m3s (x61 over 32m)",
                "kubelet",
                'Readiness probe failed: Get "http://10.1.33.58:8080/actuator/health/readiness": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
            (
                "Warning",
                "Unhealthy",
                "6m12s (x19 over 27m)",
                "kubelet",
                'Liveness probe failed: Get "http://10.1.33.58:8080/actuator/health/liveness": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
            (
                "Normal",
                "Killing",
                "6m12s (x3 over 27m)",
                "kubelet",
                "Container catalog failed liveness probe, will be restarted",
            ),
        ],
    )


def top(rng: random.Random) -> str:
    rows = [
        (POD, "249m", "912Mi"),
        ("catalog-7c5d8f9b6d-8qjzn", "250m", "887Mi"),
        ("catalog-7c5d8f9b6d-x7mvd", "248m", "934Mi"),
    ]
    for app in APPS:
        for _ in range(2):
            rows.append(
                (
                    f"{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}",
                    f"{rng.randrange(12, 380)}m",
                    f"{rng.randrange(90, 700)}Mi",
                )
            )
    rows.sort()
    return "\n".join(table(("NAME", "CPU(cores)", "MEMORY(bytes)"), rows)) + "\n"


@dataclass
class IngressNginx:
    """ingress-nginx's access log format."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%d/%b/%Y:%H:%M:%S +0000")
        return [
            f"172.31.{self.rng.randrange(16, 64)}.{self.rng.randrange(2, 250)} - - [{stamp}] {record.message}"
        ]


def access_line(rng: random.Random) -> Line:
    service, path = rng.choice(
        [
            ("web", "/"),
            ("catalog", f"/api/catalog/products/{rng.randrange(10**5)}"),
            ("catalog", "/api/catalog/categories"),
            ("search", "/api/search?q=lamp"),
            ("cart", "/api/cart"),
            ("reviews", f"/api/reviews/{rng.randrange(10**5)}"),
        ]
    )
    took = rng.randrange(3, 180) / 1000
    status = rng.choices([200, 304, 404], [90, 6, 4])[0]
    return (
        "INFO",
        f'"GET {path} HTTP/2.0" {status} {rng.randrange(90, 9000)} "https://shop.example.com/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)" {rng.randrange(30, 90)} {took:.3f} [shop-{service}-8080] [] 10.1.{rng.randrange(16, 64)}.{rng.randrange(2, 250)}:8080 {rng.randrange(90, 9000)} {took:.3f} {status}',
        (),
    )


def catalog_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return (
            "INFO",
            f"GET /api/catalog/products/{rng.randrange(10**5)} -> 200 in {rng.randrange(4, 40)}ms",
            (),
        )
    if roll < 0.8:
        return (
            "DEBUG",
            f"cache hit category={rng.choice(['lamps', 'chairs', 'desks', 'rugs'])} entries={rng.randrange(20, 400)}",
            (),
        )
    return "INFO", f"price refresh applied to {rng.randrange(10, 300)} products", ()


def bundle() -> Bundle:
    rng = random.Random(193)
    now = NOW_MINUTE * 60
    ingress = LogFile("ingress-nginx.log", IngressNginx(rng))
    ingress.add(traffic(rng, access_line, START, NOW_MINUTE, 4400))
    ingress.add(
        loud(
            rng,
            START,
            RELEASE + 2.5,
            NOW_MINUTE - RELEASE - 3,
            533,
            fixed(
                "ERROR",
                lambda r: (
                    f'"GET /api/catalog/products/{r.randrange(10**5)} HTTP/2.0" {r.choice([502, 503, 503, 504])} 150 "https://shop.example.com/" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)" {r.randrange(30, 90)} {r.randrange(1, 30)}.{r.randrange(1000):03d} [shop-catalog-8080] [] 10.1.33.{r.randrange(2, 250)}:8080 0 {r.randrange(1, 30)}.{r.randrange(1000):03d} 502'
                ),
            ),
        )
    )
    app = LogFile(
        "catalog.log",
        SpringBoot(
            (
                "c.e.shop.catalog.ProductController",
                "c.e.shop.catalog.PriceRefresher",
                "com.zaxxer.hikari.pool.HikariPool",
                "org.hibernate.SQL_SLOW",
            ),
            pid=1,
            rng=rng,
        ),
    )
    app.add(traffic(rng, catalog_line, START, RELEASE, 1500))
    app.add(
        traffic(
            rng, catalog_line, START.replace(minute=int(RELEASE) + 2), NOW_MINUTE - RELEASE - 2, 900
        )
    )
    app.add(
        [
            at(
                START,
                RELEASE + 0.25,
                "INFO",
                "Starting CatalogApplication v4.8.0 using Java 21.0.3 with PID 1 (/app/catalog.jar started by app in /app)",
            ),
            at(
                START,
                RELEASE + 1.9,
                "INFO",
                "Started CatalogApplication in 98.412 seconds (process running for 104.907)",
            ),
        ]
    )
    app.add(
        loud(
            rng,
            START,
            RELEASE + 2.2,
            NOW_MINUTE - RELEASE - 3,
            144,
            fixed(
                "WARN",
                lambda r: (
                    f"HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta={r.randrange(40, 59)}s{r.randrange(1000)}ms)."
                ),
                None,
            ),
        )
    )
    app.add(
        loud(
            rng,
            START,
            RELEASE + 2.4,
            NOW_MINUTE - RELEASE - 3,
            203,
            fixed(
                "WARN",
                lambda r: (
                    f"SlowQuery: {r.randrange(1200, 4800)} milliseconds. SQL: 'select p1_0.id,p1_0.name,p1_0.price from product p1_0 where p1_0.category_id=? order by p1_0.rank fetch first ? rows only'"
                ),
                None,
            ),
        )
    )
    cpu = {}
    throttle = {}
    for name, usage in [
        ("catalog", 0.61),
        ("cart", 0.12),
        ("checkout", 0.09),
        ("web", 0.21),
        ("search", 0.33),
    ]:
        labels = (("container", name), ("namespace", "shop"))
        throttle[labels] = shift(rng, 0.018, 0.018, 0, 0.5)
        cpu[labels] = shift(rng, usage, usage, 0, 0.1)
    release_point = int(RELEASE * 60 / STEP)
    throttle[(("container", "catalog"), ("namespace", "shop"))] = shift(
        rng, 0.021, 0.874, release_point + 1, 0.05, ramp=8
    )
    cpu[(("container", "catalog"), ("namespace", "shop"))] = shift(
        rng, 0.61, 0.74, release_point + 1, 0.03, ramp=8
    )
    routine = routine_events(rng, APPS, 300, NODES, namespace="shop")
    signal = [
        (
            now - int(RELEASE * 60),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/catalog",
                "Scaled up replica set catalog-7c5d8f9b6d to 1",
            ),
        ),
        (
            now - int(RELEASE * 60) - 40,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/catalog",
                "Scaled down replica set catalog-66b9d7f4c8 to 2 from 3",
            ),
        ),
        (
            now - int(RELEASE * 60) - 150,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/catalog",
                "Scaled down replica set catalog-66b9d7f4c8 to 0 from 1",
            ),
        ),
        (
            now - int(RELEASE * 60) - 160,
            (
                "Warning",
                "Unhealthy",
                f"pod/{POD}",
                'Readiness probe failed: Get "http://10.1.33.58:8080/actuator/health/readiness": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            now - int(RELEASE * 60) - 600,
            (
                "Warning",
                "Unhealthy",
                "pod/catalog-7c5d8f9b6d-8qjzn",
                'Liveness probe failed: Get "http://10.1.20.77:8080/actuator/health/liveness": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            now - int(RELEASE * 60) - 900,
            (
                "Warning",
                "BackOff",
                "pod/catalog-7c5d8f9b6d-x7mvd",
                "Back-off restarting failed container catalog in pod catalog-7c5d8f9b6d-x7mvd_shop(4f2a9c1e-7d3b-4e6a-9b8c-1d0e5f7a2c93)",
            ),
        ),
        (
            now - int(RELEASE * 60) - 1000,
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/catalog",
                "failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)",
            ),
        ),
    ]
    return Bundle(
        question="Since the 10:21 catalog deploy the shop's product pages fail with 502/503/504 on and off. Pods are up. Is it the database?",
        category="cpu",
        component="catalog",
        statement="Release 4.8.0 set catalog's CPU limit to 250m, so its JVM is CFS-throttled in most periods (about 87% from 10:21 UTC) and pinned at 250m, its readiness and liveness probes time out, pods drop out of the Service and restart, and ingress-nginx's requests to catalog end in 5xx.",
        files={
            "describe-pod.txt": describe_pod(pod(), rng),
            "kubectl-top-pods.txt": top(rng),
            "grafana-panel-3.json": prometheus_text(START, STEP, POINTS, throttle),
            "grafana-panel-4.json": prometheus_text(START, STEP, POINTS, cpu),
            "panels.md": PANELS,
            "events.txt": event_listing(routine, signal),
            "ingress-nginx.log": ingress.render(),
            "catalog.log": app.render(),
        },
        proofs=[
            Proof("describe-pod.txt", "    Limits:", "cpu:"),
            Proof("kubectl-top-pods.txt", POD),
        ],
        decoys=[
            "SlowQuery:",
            "Thread starvation or clock leap detected",
            "FailedGetResourceMetric",
        ],
    )
