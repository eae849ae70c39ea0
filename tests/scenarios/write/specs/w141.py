# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: storefront's readiness probe (`/health/ready`) checks every dependency listed in
READINESS_DEPENDENCIES, including the optional reviews-api that only feeds the reviews widget.
During the announced reviews-db maintenance (02:00-02:40 UTC) reviews-api is scaled to zero at
02:03:40; from 02:04 every storefront pod fails readiness with 503 at the same moment, all six
are removed from the Service's endpoints and ingress-nginx answers 503 for the whole shop,
although no storefront pod restarts and its database and Redis are fine. Loud: the ingress'
503s and `does not have any active Endpoint` warnings. Decoys: reviews-api's own connection
errors (expected during the maintenance), a cert-manager renewal warning, and checkout-worker's
Redis reconnect at 01:41."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, table
from records import Record, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 8, 21, 1, 30, tzinfo=UTC)
NOW = datetime(2025, 8, 21, 2, 26, tzinfo=UTC)
DOWN = datetime(2025, 8, 21, 2, 3, 40, tzinfo=UTC)
PODS = [
    "storefront-84c7d9f6b5-2jq8w",
    "storefront-84c7d9f6b5-6tmxz",
    "storefront-84c7d9f6b5-9vfkl",
    "storefront-84c7d9f6b5-hb4rc",
    "storefront-84c7d9f6b5-q7nzd",
    "storefront-84c7d9f6b5-x5wpg",
]


class IngressNginx:
    """ingress-nginx's controller output: klog lines and the upstream access-log format."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        if record.logger == "klog":
            level = record.level[0]
            stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
            return [f"{level}{stamp}       7 controller.go:1216] {record.message}"]
        rng = self.rng
        client = f"{rng.choice([81, 84, 91, 176, 188])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        stamp = record.time.strftime("%d/%b/%Y:%H:%M:%S +0000")
        return [f"{client} - - [{stamp}] {record.message} {rng.getrandbits(128):032x}"]


def page(rng: random.Random) -> str:
    return rng.choice(
        [
            "/",
            "/c/shoes",
            "/c/jackets",
            f"/p/{rng.randrange(10**5)}",
            "/cart",
            "/search?q=boots",
            f"/p/{rng.randrange(10**5)}/reviews",
        ]
    )


def ok_request(rng: random.Random) -> Line:
    took = rng.randrange(8, 240) / 1000
    return (
        "INFO",
        f'"GET {page(rng)} HTTP/2.0" 200 {rng.randrange(4000, 60000)} "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X)" {rng.randrange(40, 90)} {took:.3f} [shop-storefront-8080] [] 10.44.{rng.randrange(1, 6)}.{rng.randrange(2, 250)}:8080 {rng.randrange(4000, 60000)} {took - 0.001:.3f} 200',
        (),
    )


def unavailable(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'"GET {page(rng)} HTTP/2.0" 503 190 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {rng.randrange(40, 90)} 0.000 [shop-storefront-8080] [] - - - -',
        (),
    )


def storefront_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return "INFO", f"GET {page(rng)} -> 200 in {rng.randrange(6, 220)} ms", ()
    if roll < 0.75:
        return "DEBUG", "readiness ok: postgres=UP redis=UP reviews-api=UP", ()
    if roll < 0.9:
        return (
            "INFO",
            f"cart {rng.getrandbits(40):010x} merged for session {rng.getrandbits(64):016x}",
            (),
        )
    return (
        "WARN",
        f"slow render of /c/{rng.choice(['shoes', 'jackets', 'bags'])} took {rng.randrange(1000, 1900)} ms",
        (),
    )


def readiness_fail(rng: random.Random) -> Line:
    return (
        "WARN",
        f"readiness DOWN: postgres=UP redis=UP reviews-api=DOWN (Connection refused, probe {rng.randrange(2, 9)} ms)",
        (),
    )


def reviews_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"GET /v2/products/{rng.randrange(10**5)}/reviews?limit=5 200 {rng.randrange(4, 40)}ms",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1141)
    total = (NOW - START).total_seconds() / 60
    down = (DOWN - START).total_seconds() / 60
    ingress = LogFile("logs/ingress-nginx-controller.log", IngressNginx(rng))
    ingress.add(traffic(rng, ok_request, START, down + 0.35, 3100))
    ingress.add(loud(rng, START, down + 0.4, total - down - 0.5, 1900, unavailable))
    ingress.add(
        traffic(
            rng,
            fixed("WARN", lambda r: 'Service "shop/storefront" does not have any active Endpoint.'),
            START + timedelta(minutes=down + 0.4),
            total - down - 0.5,
            140,
            logger="klog",
        )
    )
    storefront = LogFile(
        f"logs/{PODS[3]}.log",
        SpringBoot(
            ("c.s.web.PageController", "c.s.cart.CartService", "c.s.health.ReadinessIndicator"),
            rng=rng,
        ),
    )
    storefront.add(traffic(rng, storefront_line, START, down + 0.3, 1700))
    storefront.add(
        [
            at(
                START,
                down + 0.33,
                "WARN",
                "dependency check reviews-api failed: GET http://reviews-api.shop.svc.cluster.local:8080/health -> java.net.ConnectException: Connection refused",
                logger="c.s.health.ReadinessIndicator",
            ),
            at(
                START,
                down + 0.34,
                "WARN",
                "readiness state changed UP -> DOWN (required dependencies: postgres, redis, reviews-api)",
                logger="c.s.health.ReadinessIndicator",
            ),
        ]
    )
    storefront.add(
        traffic(
            rng,
            readiness_fail,
            START + timedelta(minutes=down + 0.4),
            total - down - 0.5,
            270,
            logger="c.s.health.ReadinessIndicator",
        )
    )
    reviews = LogFile(
        "logs/reviews-api.log",
        SpringBoot(("c.s.reviews.ReviewController", "com.zaxxer.hikari.pool.HikariPool"), rng=rng),
    )
    reviews.add(traffic(rng, reviews_line, START, 28.5, 900))
    reviews.add(
        [
            at(
                START,
                29.6,
                "ERROR",
                "HikariPool-1 - Connection is not available, request timed out after 30000ms.",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
            at(
                START,
                30.4,
                "WARN",
                "HikariPool-1 - Failed to validate connection org.postgresql.jdbc.PgConnection@5d1c9a3e (This connection has been closed.). Possibly consider using a shorter maxLifetime value.",
                logger="com.zaxxer.hikari.pool.PoolBase",
            ),
            at(
                START,
                31.1,
                "ERROR",
                "Exception in getReviews: org.postgresql.util.PSQLException: FATAL: terminating connection due to administrator command",
                logger="c.s.reviews.ReviewController",
            ),
            at(
                START,
                33.5,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            ),
            at(
                START,
                33.6,
                "INFO",
                "Graceful shutdown complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            ),
        ]
    )
    worker = LogFile(
        "logs/checkout-worker.log", SpringBoot(("c.s.checkout.OrderListener",), rng=rng)
    )
    worker.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"order {r.randrange(10**7)} handed to fulfilment"),
            START,
            down,
            160,
        )
    )
    worker.add(
        [
            at(
                START,
                11.2,
                "WARN",
                "Reconnecting, last destination was redis-master.shop.svc.cluster.local/10.43.8.21:6379",
                logger="io.lettuce.core.protocol.ConnectionWatchdog",
            ),
            at(
                START,
                11.3,
                "INFO",
                "Reconnected to redis-master.shop.svc.cluster.local/<unresolved>:6379",
                logger="io.lettuce.core.protocol.ReconnectionHandler",
            ),
        ]
    )
    pod = Pod(
        name=PODS[3],
        namespace="shop",
        node="ip-10-44-3-118.eu-west-1.compute.internal",
        app="storefront",
        start_time="Mon, 18 Aug 2025 09:41:06 +0000",
        ip="10.44.3.77",
        containers=[
            Container(
                name="storefront",
                image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/storefront:7.3.1",
                state=["Running", "  Started:      Mon, 18 Aug 2025 09:41:19 +0000"],
                ready=False,
                restarts=0,
                limits={"memory": "1536Mi"},
                requests={"cpu": "500m", "memory": "1Gi"},
                probes=[
                    "Liveness:   http-get http://:8080/health/live delay=30s timeout=2s period=10s #success=1 #failure=3",
                    "Readiness:  http-get http://:8080/health/ready delay=10s timeout=1s period=5s #success=1 #failure=2",
                ],
                environment=[
                    "SPRING_PROFILES_ACTIVE:  prod",
                    "DB_URL:                  jdbc:postgresql://storefront-db.shop.svc.cluster.local:5432/storefront",
                    "REDIS_HOST:              redis-master.shop.svc.cluster.local",
                    "REVIEWS_BASE_URL:        http://reviews-api.shop.svc.cluster.local:8080",
                    "READINESS_DEPENDENCIES:  postgres,redis,reviews-api",
                ],
            )
        ],
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Warning",
                "Unhealthy",
                "2m1s (x271 over 22m)",
                "kubelet",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            )
        ],
    )
    pods = [("NAME", "READY", "STATUS", "RESTARTS", "AGE")]
    pods += [(name, "0/1", "Running", "0", "2d16h") for name in PODS]
    pods += [
        ("storefront-db-0", "1/1", "Running", "0", "41d"),
        ("redis-master-0", "1/1", "Running", "0", "41d"),
        ("checkout-worker-6c9b7d8f4d-kq2vw", "1/1", "Running", "1 (45m ago)", "9d"),
    ]
    deployments = [
        ("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"),
        ("storefront", "0/6", "6", "0", "214d"),
        ("reviews-api", "0/0", "0", "0", "214d"),
        ("checkout-worker", "1/1", "1", "1", "180d"),
    ]
    endpoints = [
        ("NAME", "ENDPOINTS", "AGE"),
        ("storefront", "<none>", "214d"),
        ("reviews-api", "<none>", "214d"),
        ("storefront-db", "10.44.2.31:5432", "214d"),
        ("redis-master", "10.44.1.12:6379", "214d"),
    ]
    get_text = "\n".join(
        [
            "$ kubectl get pods -n shop",
            *table(pods[0], pods[1:]),
            "",
            "$ kubectl get deploy -n shop",
            *table(deployments[0], deployments[1:]),
            "",
            "$ kubectl get endpoints -n shop",
            *table(endpoints[0], endpoints[1:]),
            "",
            "$ kubectl get certificate -n shop",
            *table(("NAME", "READY", "SECRET", "AGE"), [("shop-tls", "False", "shop-tls", "301d")]),
            "",
            "$ kubectl describe certificate shop-tls -n shop | tail -3",
            '  Warning  Failed  14m  cert-manager-certificates-issuing  The certificate request has failed to complete and will be retried: Failed to wait for order resource "shop-tls-1-2287014417" to become ready: order is in "errored" state: Failed to finalize Order: 429 urn:ietf:params:acme:error:rateLimited',
            "",
        ]
    )
    notes = "\n".join(
        [
            "Maintenance calendar (announced Tue):",
            "  2025-08-21 02:00-02:40 UTC  reviews-db major upgrade 15 -> 16. Reviews widget will be hidden;",
            "  reviews-api scaled to 0 for the window. No customer impact expected.",
            "",
            "Pager 02:05 UTC: ShopAvailability critical, www 5xx ratio 100%.",
            "",
        ]
    )
    files = {
        "notes.txt": notes,
        "kubectl-get.txt": get_text,
        "kubectl-describe-pod.txt": describe_pod(pod, rng),
        "logs/ingress-nginx-controller.log": ingress.render(),
        f"logs/{PODS[3]}.log": storefront.render(),
        "logs/reviews-api.log": reviews.render(),
        "logs/checkout-worker.log": worker.render(),
    }
    return Bundle(
        question="Every page of the web shop has returned 503 since about 02:04 UTC; no pod is crashing. What is the root cause?",
        category="scheduling",
        component="storefront",
        statement="storefront's readiness probe /health/ready requires every entry of READINESS_DEPENDENCIES, including the optional reviews-api; when reviews-api was scaled to zero for the planned reviews-db maintenance at 02:03:40 UTC, all six storefront pods failed readiness (503) together, the storefront Service lost every endpoint and every page behind ingress-nginx's shop-storefront upstream returned 503.",
        files=files,
        proofs=[
            Proof("kubectl-describe-pod.txt", "READINESS_DEPENDENCIES:"),
            Proof(f"logs/{PODS[3]}.log", "readiness state changed UP -> DOWN"),
        ],
        decoys=[
            "terminating connection due to administrator command",
            "rateLimited",
            "Reconnecting, last destination was redis-master",
        ],
    )
