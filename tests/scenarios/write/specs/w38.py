# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""carts leaks memory until its container is killed at the limit and restarts; orders and the
front-end shout about carts and orders, and only the memory series shows the climb."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import table
from metrics import Series, csv_text, service_metrics, shift
from records import KubectlTimestamps, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 7, 8, 14, 0, tzinfo=UTC)
STEP = 30
CUSTOMERS = [
    "57a98d98e4b00679b4a830af",
    "57a98d98e4b00679b4a830b2",
    "57a98d98e4b00679b4a830b5",
    "5a9d1c3f9c1a2b0001e2c4d7",
]
ITEMS = [
    "03fef6ac-1896-4ce8-bd69-b798f85c6e0b",
    "3395a43e-2d88-40de-b95f-e00e1502085b",
    "510a0d7e-8e83-4193-b483-e27e09ddc34d",
    "808a2de1-1aaa-4c25-a9b9-6612e8f29a38",
    "a0a4f044-b040-410d-8ead-4de0446aec7e",
    "zzz4f044-b040-410d-8ead-4de0446aec7e",
]

PODS = [
    "carts-6d8b7c4f9d-wq2lm|1/1|Running|1 (18m ago)|6d|10.244.2.31|worker-2|<none>|<none>",
    "carts-db-5c7f9b8d4-qm7xw|1/1|Running|0|6d|10.244.1.12|worker-1|<none>|<none>",
    "catalogue-7d4b4f6c9-5kz2p|1/1|Running|0|6d|10.244.3.8|worker-3|<none>|<none>",
    "catalogue-db-6b9c8d7f5-lx4tn|1/1|Running|0|6d|10.244.3.9|worker-3|<none>|<none>",
    "front-end-7f8c9d6b4-2hv8r|1/1|Running|0|6d|10.244.1.40|worker-1|<none>|<none>",
    "orders-84c7d9f8b-v7q2x|1/1|Running|0|6d|10.244.2.18|worker-2|<none>|<none>",
    "orders-db-6f4b5c9d8-c8r2m|1/1|Running|0|6d|10.244.1.27|worker-1|<none>|<none>",
    "payment-5b8c7d6f4-tx9kq|1/1|Running|0|6d|10.244.3.14|worker-3|<none>|<none>",
    "queue-master-6c9d8f7b5-4jw8n|1/1|Running|2 (5d22h ago)|6d|10.244.2.7|worker-2|<none>|<none>",
    "rabbitmq-7b6c5d4f8-9pl2z|2/2|Running|0|6d|10.244.1.5|worker-1|<none>|<none>",
    "shipping-6f5d4c8b7-m2kx6|1/1|Running|0|6d|10.244.3.22|worker-3|<none>|<none>",
    "user-7c6b5d9f8-hq4zt|1/1|Running|0|6d|10.244.2.44|worker-2|<none>|<none>",
    "user-db-5d8c7b6f9-zt6vm|1/1|Running|0|6d|10.244.1.33|worker-1|<none>|<none>",
]
"""`kubectl get pods -o wide` rows, cells separated by `|`."""


def carts_line(rng: random.Random) -> Line:
    customer = rng.choice(CUSTOMERS)
    roll = rng.random()
    if roll < 0.35:
        return (
            "DEBUG",
            f"Adding item to cart: Item{{id='{rng.getrandbits(96):024x}', itemId='{rng.choice(ITEMS)}', quantity=1, unitPrice={rng.choice([10.99, 12.0, 14.5, 17.15, 99.99])}}}",
            (),
        )
    if roll < 0.65:
        return (
            "DEBUG",
            f"Found cart for customer id: {customer} with {rng.randrange(0, 6)} items",
            (),
        )
    if roll < 0.8:
        return (
            "DEBUG",
            f"Merging carts for customer id: {customer} and session id: {rng.getrandbits(96):024x}",
            (),
        )
    if roll < 0.92:
        return (
            "INFO",
            f"Opened connection [connectionId{{localValue:{rng.randrange(3, 90)}, serverValue:{rng.randrange(100, 9000)}}}] to carts-db:27017",
            (),
        )
    return "DEBUG", f"Deleting cart for customer id: {customer}", ()


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"Order created: {rng.getrandbits(96):024x} for customer {rng.choice(CUSTOMERS)} total={rng.randrange(10, 300)}.{rng.randrange(100):02d}",
            (),
        )
    if roll < 0.8:
        return (
            "DEBUG",
            f"Sending payment request: PaymentRequest{{address=Address{{number='{rng.randrange(1, 300)}', street='Whitelees Road'}}, amount={rng.randrange(10, 300)}.{rng.randrange(100):02d}}}",
            (),
        )
    if roll < 0.95:
        return (
            "DEBUG",
            f"Received payment response: PaymentResponse{{authorised=true, message='Payment authorised'}} in {rng.randrange(8, 90)}ms",
            (),
        )
    return "WARN", f"Shipping queue publish took {rng.randrange(500, 1300)}ms (rabbitmq)", ()


def frontend_line(rng: random.Random) -> Line:
    path, status = rng.choice(
        [
            ("/catalogue?size=5", 200),
            ("/catalogue/size?tags=", 200),
            ("/cart", 200),
            ("/cart", 200),
            ("/login", 200),
            ("/orders", 200),
            ("/card", 200),
            (f"/catalogue/{rng.choice(ITEMS)}", 200),
            ("/metrics", 200),
            ("/catalogue/images/puma_1.jpeg", 304),
        ]
    )
    return (
        "INFO",
        f"GET {path} {status} {rng.randrange(2, 80)}.{rng.randrange(1000):03d} ms - {rng.randrange(2, 4000)}",
        (),
    )


def carts_memory(rng: random.Random) -> Series:
    """Resident memory of carts: steady, a leak from minute 8, killed at 1024 MiB at 14:41, again."""

    def value(index: int) -> float:
        minute = index * STEP / 60
        if minute < 8:
            level = 392.0
        elif minute < 41:
            level = 392 + (1012 - 392) * (minute - 8) / 33
        elif minute < 41.5:
            level = 0.0
        else:
            level = 371 + (minute - 41.5) * 17.6
        return max(0.0, level + rng.gauss(0, 3))

    return value


def carts_latency(rng: random.Random) -> Series:
    def value(index: int) -> float:
        minute = index * STEP / 60
        level = 9.0 if minute < 30 else (9 + (minute - 30) * 310 if minute < 41 else 12.0)
        return max(1.0, level + rng.gauss(0, level * 0.1))

    return value


def bundle() -> Bundle:
    rng = random.Random(138)
    kolkata = ZoneInfo("Asia/Kolkata")
    carts = LogFile(
        "carts.log",
        SpringBoot(
            (
                "w.w.s.cart.controller.CartsController",
                "w.w.s.cart.cart.CartResource",
                "org.mongodb.driver.connection",
            ),
            pid=1,
            rng=rng,
            zone=kolkata,
        ),
    )
    carts.add(traffic(rng, carts_line, START, 41, 1520))
    carts.add(traffic(rng, carts_line, START.replace(minute=42, second=10), 18, 640))
    carts.add(
        [
            at(
                START,
                41.6,
                "INFO",
                "Starting CartApplication v0.4.8 on carts-6d8b7c4f9d-wq2lm with PID 1 (/usr/src/app/app.jar started by root in /)",
                logger="works.weave.socks.cart.CartApplication",
            ),
            at(
                START,
                41.62,
                "INFO",
                "No active profile set, falling back to default profiles: default",
                logger="works.weave.socks.cart.CartApplication",
            ),
            at(
                START,
                41.9,
                "INFO",
                "Tomcat initialized with port(s): 80 (http)",
                logger="o.s.b.c.e.t.TomcatEmbeddedServletContainer",
            ),
            at(
                START,
                42.1,
                "INFO",
                "Cluster created with settings {hosts=[carts-db:27017], mode=SINGLE, requiredClusterType=UNKNOWN, serverSelectionTimeout='30000 ms', maxWaitQueueSize=500}",
                logger="org.mongodb.driver.cluster",
            ),
            at(
                START,
                42.15,
                "INFO",
                "Started CartApplication in 31.774 seconds (JVM running for 33.109)",
                logger="works.weave.socks.cart.CartApplication",
            ),
        ]
    )
    orders = LogFile(
        "orders.log",
        SpringBoot(
            (
                "w.w.s.orders.controllers.OrdersController",
                "w.w.s.orders.services.AsyncGetService",
                "w.w.s.orders.config.RabbitMqConfiguration",
            ),
            pid=1,
            rng=rng,
            zone=kolkata,
        ),
    )
    orders.add(traffic(rng, orders_line, START, 60, 930))
    orders.add(
        loud(
            rng,
            START,
            33,
            8,
            96,
            fixed(
                "WARN",
                lambda r: (
                    f"Request to http://carts/carts/{r.choice(CUSTOMERS)}/items took {r.randrange(2500, 9000)}ms"
                ),
            ),
        )
    )
    orders.add(
        loud(
            rng,
            START,
            40.9,
            1.4,
            141,
            fixed(
                "ERROR",
                lambda r: (
                    f'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://carts/carts/{r.choice(CUSTOMERS)}/items": Connection refused (Connection refused); nested exception is java.net.ConnectException: Connection refused (Connection refused)] with root cause'
                ),
            ),
        )
    )
    orders.add(
        loud(
            rng,
            START,
            41.0,
            2.0,
            58,
            fixed(
                "ERROR",
                lambda r: (
                    f"Unable to create order: OrderCreationException: Unable to create order due to unspecified IO error. customer={r.choice(CUSTOMERS)}"
                ),
            ),
        )
    )
    frontend = LogFile("front-end.log", KubectlTimestamps())
    frontend.add(traffic(rng, frontend_line, START, 60, 2480))
    frontend.add(
        loud(
            rng,
            START,
            40.9,
            1.6,
            212,
            fixed(
                "ERROR",
                lambda r: (
                    f"Error: connect ECONNREFUSED 10.96.{r.choice([41, 41, 112])}.{r.choice([17, 17, 203])}:80"
                ),
            ),
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            40.9,
            1.8,
            87,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /orders 500 {r.randrange(20, 400)}.{r.randrange(1000):03d} ms - 198"
                ),
            ),
        )
    )
    frontend.add(
        loud(
            rng,
            START,
            33,
            9,
            120,
            fixed(
                "INFO",
                lambda r: (
                    f"GET /cart 200 {r.randrange(2500, 9800)}.{r.randrange(1000):03d} ms - {r.randrange(2, 900)}"
                ),
            ),
        )
    )
    points = 3600 // STEP
    carts_series = service_metrics(rng, 18, 392, (9, 40), 0.1, 52)
    carts_series["memory_usage_mb"] = carts_memory(rng)
    carts_series["latency_p50_ms"] = carts_latency(rng)
    carts_series["cpu_usage_percent"] = shift(rng, 18, 71, 30 * 60 // STEP, 0.1, ramp=20)
    orders_series = service_metrics(rng, 12, 520, (45, 190), 0.2, 6)
    orders_series["error_rate_percent"] = shift(rng, 0.2, 0.3, 0, 0.3)
    orders_series["latency_p99_ms"] = shift(rng, 190, 4100, 33 * 60 // STEP, 0.1, ramp=16)
    frontend_series = service_metrics(rng, 24, 118, (14, 95), 0.3, 88)
    frontend_series["latency_p99_ms"] = shift(rng, 95, 5200, 33 * 60 // STEP, 0.1, ramp=16)
    payment_series = service_metrics(rng, 3, 14, (2, 9), 0.0, 6)
    catalogue_series = service_metrics(rng, 8, 22, (4, 19), 0.0, 120)
    user_series = service_metrics(rng, 7, 26, (5, 24), 0.1, 31)
    pods = table(
        (
            "NAME",
            "READY",
            "STATUS",
            "RESTARTS",
            "AGE",
            "IP",
            "NODE",
            "NOMINATED NODE",
            "READINESS GATES",
        ),
        [row.split("|") for row in PODS],
    )
    return Bundle(
        question="Sock Shop: orders failed in a burst around 20:11 IST and the cart page was very slow before that. What is the root cause?",
        category="memory",
        component="carts",
        statement="carts' memory grew steadily from 14:08 UTC until its container was killed at the 1 GiB limit at 14:41 and restarted, so cart calls slowed (GC) and then were refused while it restarted.",
        files={
            "carts.log": carts.render(),
            "orders.log": orders.render(),
            "front-end.log": frontend.render(),
            "get-pods.txt": "\n".join(pods) + "\n",
            "metrics/carts.csv": csv_text(START, STEP, points, carts_series, decimals=1),
            "metrics/orders.csv": csv_text(START, STEP, points, orders_series, decimals=1),
            "metrics/front-end.csv": csv_text(START, STEP, points, frontend_series, decimals=1),
            "metrics/payment.csv": csv_text(START, STEP, points, payment_series, decimals=1),
            "metrics/catalogue.csv": csv_text(START, STEP, points, catalogue_series, decimals=1),
            "metrics/user.csv": csv_text(START, STEP, points, user_series, decimals=1),
        },
        proofs=[
            Proof("metrics/carts.csv", "2025-07-08T14:40:00Z", "2025-07-08T14:41:00Z"),
            Proof("carts.log", "Starting CartApplication v0.4.8"),
            Proof("get-pods.txt", "carts-6d8b7c4f9d-wq2lm"),
        ],
        decoys=[
            "Unable to create order",
            "POST /orders 500",
            "Connection refused (Connection refused)",
        ],
    )
