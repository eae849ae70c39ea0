# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""pricing-api 5.2.0 reads its cache address from PRICING_CACHE_URL instead of REDIS_URL, but
the Deployment still sets REDIS_URL. The new ReplicaSet's pods start, warn once that the cache
is not configured and then fail every readiness probe; with maxUnavailable 50% the rollout
has already scaled the old ReplicaSet from 6 to 3, stalls at ProgressDeadlineExceeded, and the
three old pods carry the evening peak: database pool timeouts, 503s and 504s at the ingress."""

import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import PythonLogging, Record
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2025, 3, 11, 17, 0, tzinfo=UTC)
ROLLOUT = 18.4
SNAPSHOT = 54.6
NAMESPACE = "storefront"
NEW_RS = "pricing-api-6d8f7b9c54"
OLD_RS = "pricing-api-5b7c9d6f8"
NEW_PODS = [f"{NEW_RS}-{suffix}" for suffix in ("4kq2z", "8wxnp", "b7d5r", "hm29t", "v6jcs")]
OLD_PODS = [f"{OLD_RS}-{suffix}" for suffix in ("2lqzx", "9fgtk", "rw7mb")]
NODES = [
    "ip-10-31-4-17.eu-west-1.compute.internal",
    "ip-10-31-5-203.eu-west-1.compute.internal",
    "ip-10-31-6-88.eu-west-1.compute.internal",
]
SKUS = ["SKU-100231", "SKU-448812", "SKU-903311", "SKU-220918", "SKU-771023", "SKU-118734"]


@dataclass
class IngressAccess:
    """ingress-nginx's default `upstreaminfo` access log."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%d/%b/%Y:%H:%M:%S +0000")
        client = f"172.16.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
        return [f"{client} - - [{stamp}] {record.message} {self.rng.getrandbits(128):032x}"]


def with_loggers(records: list[Record]) -> list[Record]:
    """Give each record the logger that writes it: uvicorn's access log or the app's own."""
    return [
        replace(
            record,
            logger=record.logger
            or ("uvicorn.access" if '"GET ' in record.message else "pricing.app"),
        )
        for record in records
    ]


def access(rng: random.Random, statuses: tuple[int, ...] = (200,), slow: float = 1.0) -> Line:
    sku = rng.choice(SKUS)
    path = rng.choice(
        [
            f"/api/prices/{sku}",
            f"/api/prices/{sku}?currency=EUR",
            "/api/prices/batch",
            f"/api/catalog/items/{rng.randrange(10**5)}",
        ]
    )
    upstream = "storefront-pricing-api-8080" if "prices" in path else "storefront-catalog-8080"
    status = rng.choice(statuses) if "prices" in path else 200
    seconds = rng.lognormvariate(0, 0.5) * 0.031 * slow
    if status == 504:
        seconds = 10.0 + rng.random() * 0.004
    address = f"10.31.{rng.randrange(4, 7)}.{rng.randrange(2, 250)}:8080"
    length = str(rng.randrange(600, 4000))
    if status == 503 and rng.random() < 0.5:
        address, length, upstream_time, upstream_status = "-", "-", "-", "-"
    else:
        upstream_time, upstream_status = f"{seconds:.3f}", str(status)
    return (
        "INFO",
        f'"GET {path} HTTP/2.0" {status} {rng.randrange(120, 4000) if status == 200 else 190} "https://www.example-shop.eu/" "Mozilla/5.0 (iPhone; CPU iPhone OS 18_3 like Mac OS X)" {rng.randrange(40, 90)} {seconds:.3f} [{NAMESPACE}-{upstream.split("-", 1)[1]}] [] {address} {length} {upstream_time} {upstream_status}',
        (),
    )


def old_pod_line(rng: random.Random) -> Line:
    roll = rng.random()
    sku = rng.choice(SKUS)
    if roll < 0.6:
        return (
            "INFO",
            f'10.31.{rng.randrange(4, 7)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)} - "GET /api/prices/{sku} HTTP/1.1" 200',
            (),
        )
    if roll < 0.8:
        return "INFO", f"price cache hit sku={sku} currency={rng.choice(['EUR', 'GBP', 'SEK'])}", ()
    if roll < 0.95:
        return (
            "INFO",
            f'10.31.{rng.randrange(4, 7)}.1:{rng.randrange(30000, 60000)} - "GET /readyz HTTP/1.1" 200',
            (),
        )
    return (
        "INFO",
        f"price rules reloaded: {rng.randrange(1800, 1900)} rules, {rng.randrange(40, 60)} promotions",
        (),
    )


def deployment_text() -> str:
    conditions = table(
        ("Type", "Status", "Reason"),
        [
            ("----", "------", "------"),
            ("Available", "False", "MinimumReplicasUnavailable"),
            ("Progressing", "False", "ProgressDeadlineExceeded"),
        ],
        indent="  ",
    )
    events = table(
        ("Type", "Reason", "Age", "From", "Message"),
        [
            ("----", "------", "----", "----", "-------"),
            (
                "Normal",
                "ScalingReplicaSet",
                "36m",
                "deployment-controller",
                f"Scaled up replica set {NEW_RS} to 2",
            ),
            (
                "Normal",
                "ScalingReplicaSet",
                "36m",
                "deployment-controller",
                f"Scaled down replica set {OLD_RS} to 3 from 6",
            ),
            (
                "Normal",
                "ScalingReplicaSet",
                "36m",
                "deployment-controller",
                f"Scaled up replica set {NEW_RS} to 5 from 2",
            ),
        ],
        indent="  ",
    )
    lines = [
        "Name:                   pricing-api",
        f"Namespace:              {NAMESPACE}",
        "CreationTimestamp:      Tue, 14 May 2024 08:12:40 +0000",
        "Labels:                 app.kubernetes.io/name=pricing-api",
        "                        app.kubernetes.io/part-of=storefront",
        "Annotations:            deployment.kubernetes.io/revision: 41",
        "                        kubernetes.io/change-cause: argocd sync storefront@c41e0d2 (pricing-api 5.2.0)",
        "Selector:               app.kubernetes.io/name=pricing-api",
        "Replicas:               6 desired | 5 updated | 8 total | 3 available | 5 unavailable",
        "StrategyType:           RollingUpdate",
        "MinReadySeconds:        0",
        "RollingUpdateStrategy:  50% max unavailable, 25% max surge",
        "Pod Template:",
        "  Labels:           app.kubernetes.io/name=pricing-api",
        "  Service Account:  pricing-api",
        "  Containers:",
        "   pricing-api:",
        "    Image:      registry.example-shop.eu/storefront/pricing-api:5.2.0",
        "    Port:       8080/TCP",
        "    Host Port:  0/TCP",
        "    Limits:",
        "      cpu:     1",
        "      memory:  768Mi",
        "    Requests:",
        "      cpu:      500m",
        "      memory:   512Mi",
        "    Readiness:  http-get http://:8080/readyz delay=5s timeout=2s period=10s #success=1 #failure=3",
        "    Environment:",
        "      DATABASE_URL:     <set to the key 'url' in secret 'pricing-db'>  Optional: false",
        "      REDIS_URL:        redis://pricing-cache.storefront.svc:6379/2",
        "      DB_POOL_SIZE:     20",
        "      LOG_LEVEL:        info",
        "    Mounts:             <none>",
        "  Volumes:              <none>",
        "Conditions:",
        *conditions,
        f"OldReplicaSets:  {OLD_RS} (3/3 replicas created)",
        f"NewReplicaSet:   {NEW_RS} (5/5 replicas created)",
        "Events:",
        *events,
    ]
    return "\n".join(lines) + "\n"


def pods_text(rng: random.Random) -> str:
    rows = [
        (
            name,
            "0/1",
            "Running",
            "0",
            "36m",
            f"10.31.{rng.randrange(4, 7)}.{rng.randrange(2, 250)}",
            rng.choice(NODES),
        )
        for name in NEW_PODS
    ]
    rows += [
        (
            name,
            "1/1",
            "Running",
            "0",
            "6d2h",
            f"10.31.{rng.randrange(4, 7)}.{rng.randrange(2, 250)}",
            rng.choice(NODES),
        )
        for name in OLD_PODS
    ]
    for app in ["catalog", "catalog", "cart-api", "cart-api", "pricing-cache-0"]:
        name = (
            app
            if app.endswith("-0")
            else f"{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}"
        )
        rows.append(
            (
                name,
                "1/1",
                "Running",
                "0",
                f"{rng.randrange(2, 9)}d",
                f"10.31.{rng.randrange(4, 7)}.{rng.randrange(2, 250)}",
                rng.choice(NODES),
            )
        )
    rows.sort()
    return (
        "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"), rows)) + "\n"
    )


def new_pod(rng: random.Random) -> str:
    container = Container(
        name="pricing-api",
        image="registry.example-shop.eu/storefront/pricing-api:5.2.0",
        state=["Running", "  Started:      Tue, 11 Mar 2025 17:18:41 +0000"],
        ready=False,
        limits={"cpu": "1", "memory": "768Mi"},
        requests={"cpu": "500m", "memory": "512Mi"},
        probes=[
            "Readiness:  http-get http://:8080/readyz delay=5s timeout=2s period=10s #success=1 #failure=3"
        ],
        environment=[
            "DATABASE_URL:  <set to the key 'url' in secret 'pricing-db'>  Optional: false",
            "REDIS_URL:     redis://pricing-cache.storefront.svc:6379/2",
            "DB_POOL_SIZE:  20",
            "LOG_LEVEL:     info",
        ],
    )
    pod = Pod(
        name=NEW_PODS[0],
        namespace=NAMESPACE,
        node=NODES[1],
        app="pricing-api",
        containers=[container],
        conditions={
            "PodReadyToStartContainers": "True",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        start_time="Tue, 11 Mar 2025 17:18:33 +0000",
        ip="10.31.5.142",
        service_account="pricing-api",
        labels=["app.kubernetes.io/name=pricing-api", "pod-template-hash=6d8f7b9c54"],
        events=[
            (
                "Normal",
                "Scheduled",
                "36m",
                "default-scheduler",
                f"Successfully assigned {NAMESPACE}/{NEW_PODS[0]} to {NODES[1]}",
            ),
            (
                "Normal",
                "Pulled",
                "36m",
                "kubelet",
                'Successfully pulled image "registry.example-shop.eu/storefront/pricing-api:5.2.0" in 2.114s (2.114s including waiting). Image size: 61873402 bytes.',
            ),
            ("Normal", "Created", "36m", "kubelet", "Created container pricing-api"),
            ("Normal", "Started", "36m", "kubelet", "Started container pricing-api"),
            (
                "Warning",
                "Unhealthy",
                "74s (x213 over 35m)",
                "kubelet",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ],
    )
    return describe_pod(pod, rng)


def bundle() -> Bundle:
    rng = random.Random(1101)
    routine = routine_events(
        rng, ["catalog", "cart-api", "checkout-web"], 260, NODES, namespace=NAMESPACE
    )
    ago = int((SNAPSHOT - ROLLOUT) * 60)
    signal = [
        (
            ago,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/pricing-api",
                f"Scaled up replica set {NEW_RS} to 2",
            ),
        ),
        (
            ago,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/pricing-api",
                f"Scaled down replica set {OLD_RS} to 3 from 6",
            ),
        ),
        (
            ago - 1,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/pricing-api",
                f"Scaled up replica set {NEW_RS} to 5 from 2",
            ),
        ),
        (ago - 2, ("Normal", "Killing", f"pod/{OLD_RS}-x8kdq", "Stopping container pricing-api")),
        (ago - 2, ("Normal", "Killing", f"pod/{OLD_RS}-mc4ls", "Stopping container pricing-api")),
        (ago - 2, ("Normal", "Killing", f"pod/{OLD_RS}-t2wzp", "Stopping container pricing-api")),
        *[
            (
                60 + index * 11,
                (
                    "Warning",
                    "Unhealthy",
                    f"pod/{name}",
                    "Readiness probe failed: HTTP probe failed with statuscode: 503",
                ),
            )
            for index, name in enumerate(NEW_PODS)
        ],
        (
            ago - 600,
            (
                "Warning",
                "ProgressDeadlineExceeded",
                "deployment/pricing-api",
                f'ReplicaSet "{NEW_RS}" has timed out progressing.',
            ),
        ),
        (
            ago - 620,
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/pricing-api",
                "failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)",
            ),
        ),
    ]
    new_log = LogFile(
        f"logs-{NEW_PODS[0]}.txt",
        PythonLogging(("pricing.app", "uvicorn.access", "uvicorn.error"), rng=rng),
    )
    rollout = START + timedelta(minutes=ROLLOUT + 0.14)
    new_log.add(
        [
            Record(rollout, "INFO", "Started server process [1]", (), "uvicorn.error"),
            Record(
                rollout + timedelta(milliseconds=4),
                "INFO",
                "Waiting for application startup.",
                (),
                "uvicorn.error",
            ),
            Record(
                rollout + timedelta(milliseconds=187),
                "INFO",
                "pricing-api 5.2.0 starting (settings: DATABASE_URL, PRICING_CACHE_URL, DB_POOL_SIZE, LOG_LEVEL)",
                (),
                "pricing.app",
            ),
            Record(
                rollout + timedelta(milliseconds=191),
                "WARN",
                "PRICING_CACHE_URL is not set; price cache disabled until configured",
                (),
                "pricing.config",
            ),
            Record(
                rollout + timedelta(milliseconds=402),
                "INFO",
                "database pool ready (20 connections)",
                (),
                "pricing.app",
            ),
            Record(
                rollout + timedelta(milliseconds=405),
                "INFO",
                "Application startup complete.",
                (),
                "uvicorn.error",
            ),
            Record(
                rollout + timedelta(milliseconds=409),
                "INFO",
                "Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)",
                (),
                "uvicorn.error",
            ),
        ]
    )
    new_log.add(
        with_loggers(
            loud(
                rng,
                START,
                ROLLOUT + 0.2,
                SNAPSHOT - ROLLOUT - 0.2,
                212,
                fixed(
                    "INFO",
                    lambda r: f'10.31.5.1:{r.randrange(30000, 60000)} - "GET /readyz HTTP/1.1" 503',
                ),
            )
        )
    )
    new_log.add(
        with_loggers(
            loud(
                rng,
                START,
                ROLLOUT + 0.2,
                SNAPSHOT - ROLLOUT - 0.2,
                212,
                fixed("WARN", lambda r: "readiness: dependency 'price-cache' not ready"),
            )
        )
    )
    old_log = LogFile(
        f"logs-{OLD_PODS[0]}.txt", PythonLogging(("pricing.app", "uvicorn.access"), rng=rng)
    )
    old_log.add(with_loggers(traffic(rng, old_pod_line, START, SNAPSHOT, 3200)))
    old_log.add(
        with_loggers(
            loud(
                rng,
                START,
                ROLLOUT + 4,
                SNAPSHOT - ROLLOUT - 4,
                260,
                fixed(
                    "ERROR",
                    lambda r: (
                        f"GET /api/prices/{r.choice(SKUS)} failed: sqlalchemy.exc.TimeoutError: QueuePool limit of size 20 overflow 10 reached, connection timed out, timeout 30.00"
                    ),
                ),
            )
        )
    )
    old_log.add(
        with_loggers(
            loud(
                rng,
                START,
                ROLLOUT + 3,
                SNAPSHOT - ROLLOUT - 3,
                140,
                fixed(
                    "WARN",
                    lambda r: (
                        f"slow request GET /api/prices/batch took {r.randrange(2500, 9800)}ms (event loop busy {r.randrange(60, 99)}%)"
                    ),
                ),
            )
        )
    )
    ingress = LogFile("ingress-nginx-controller.log", IngressAccess(rng))
    ingress.add(traffic(rng, access, START, SNAPSHOT, 5200))
    ingress.add(
        loud(
            rng,
            START,
            ROLLOUT + 3,
            SNAPSHOT - ROLLOUT - 3,
            1100,
            lambda r: access(r, (200, 200, 200, 503, 504, 503), slow=9.0),
        )
    )
    return Bundle(
        question="Prices on the shop time out or 503 since ~17:20 UTC and the pricing-api deploy never finished. What's going on?",
        category="configuration",
        component="pricing-api",
        statement="pricing-api 5.2.0 reads its cache address from PRICING_CACHE_URL but the Deployment still sets only REDIS_URL, so every new pod fails its readiness probe, the rollout stalls at ProgressDeadlineExceeded with the old ReplicaSet scaled down to 3 of 6, and the remaining old pods run out of database connections under the evening load.",
        files={
            "describe-deployment.txt": deployment_text(),
            "get-pods.txt": pods_text(rng),
            "describe-pod.txt": new_pod(rng),
            "events.txt": event_listing(routine, signal),
            f"logs-{NEW_PODS[0]}.txt": new_log.render(),
            f"logs-{OLD_PODS[0]}.txt": old_log.render(),
            "ingress-nginx-controller.log": ingress.render(),
        },
        proofs=[
            Proof(f"logs-{NEW_PODS[0]}.txt", "PRICING_CACHE_URL is not set"),
            Proof("describe-pod.txt", "REDIS_URL:     redis://pricing-cache"),
        ],
        decoys=[
            "QueuePool limit of size 20 overflow 10 reached",
            "ProgressDeadlineExceeded",
            "failed to get cpu utilization",
        ],
    )
