# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Sock Shop (RCAEval-style wide CSV plus kubectl output): a memory hog in the user container
from 06:14:05 UTC takes its memory from about 12 MiB to its 200Mi limit in a minute and a half;
user's latency climbs as the container reclaims, and at 06:16:12 the kernel OOM-kills the
container. It restarts at once but its readiness probe waits 180 s, so until about 06:19:15
user has no ready endpoint. user's own log shows only a fresh start-up; `kubectl describe` shows
the OOMKilled last state. Loud: orders' read timeouts and then connection refusals towards
user, and the front-end's 500s on /login and checkout. Decoys: carts' own OOMKilled three days
earlier, user-db's burst of `end connection` lines when user's pool dies, and orders' errors."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, table
from metrics import Series, shift
from rcaeval import stamp, usual_series, wide_csv
from records import Pino, SpringBoot, iso_millis
from scenes import at, java_trace, loud
from traffic import Line, traffic

START = datetime(2024, 12, 3, 6, 0, tzinfo=UTC)
MINUTES = 30
POINTS = MINUTES * 60
FAULT = 14 * 60 + 5
KILLED = 16 * 60 + 12
READY = 19 * 60 + 15


def oid(rng: random.Random) -> str:
    return f"{rng.getrandbits(96):024x}"


class UserLog:
    """go-kit logfmt as Sock Shop's user service writes it."""

    def render(self, record) -> list[str]:
        return [f"ts={iso_millis(record.time)} {record.message}"]


class MongoLog:
    """MongoDB 3.4's text log."""

    def render(self, record) -> list[str]:
        stamp_text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}+0000"
        )
        return [f"{stamp_text} {record.message}"]


def user_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f"caller=logging.go:{rng.choice([43, 58])} method=GetUser id={oid(rng)} took={rng.randrange(400, 3000)}.{rng.randrange(1000):03d}µs err=null",
            (),
        )
    if roll < 0.6:
        return (
            "INFO",
            f"caller=logging.go:80 method=GetAddresses id={oid(rng)} result=1 took={rng.randrange(500, 3500)}.{rng.randrange(1000):03d}µs err=null",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"caller=logging.go:96 method=GetCards id={oid(rng)} result=1 took={rng.randrange(500, 3500)}.{rng.randrange(1000):03d}µs err=null",
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            f"caller=logging.go:27 method=Login username=user{rng.randrange(1, 400)} took={rng.randrange(1, 9)}.{rng.randrange(1000):03d}ms err=null",
            (),
        )
    return (
        "INFO",
        f"caller=logging.go:144 method=Health result={rng.choice([2, 2, 2])} took={rng.randrange(2, 50)}.{rng.randrange(1000):03d}µs",
        (),
    )


def slow_user_line(rng: random.Random) -> Line:
    level, message, trailer = user_line(rng)
    if "took=" in message and "Health" not in message:
        head = message.split(" took=")[0]
        tail = " err=null"
        micros = rng.randrange(300_000, 4_200_000)
        took = (
            f"{micros // 1000}.{micros % 1000:03d}ms"
            if micros < 1_000_000
            else f"{micros // 1_000_000}.{micros % 1_000_000:06d}s"
        )
        message = f"{head} took={took}{tail}"
    return level, message, trailer


def userdb_line(rng: random.Random) -> Line:
    conn = rng.randrange(2000, 2300)
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"I NETWORK  [thread1] connection accepted from 10.244.2.{rng.randrange(20, 60)}:{rng.randrange(40000, 60000)} #{conn} ({rng.randrange(9, 14)} connections now open)",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f'I NETWORK  [conn{conn}] received client metadata from 10.244.2.{rng.randrange(20, 60)}:{rng.randrange(40000, 60000)} conn{conn}: {{ driver: {{ name: "mgo", version: "r2016.08.01" }} }}',
            (),
        )
    return (
        "INFO",
        f"I COMMAND  [conn{conn}] command users.customers command: find {{ find: \"customers\", filter: {{ _id: ObjectId('{oid(rng)}') }} }} planSummary: IDHACK keysExamined:1 docsExamined:1 idhack:1 numYields:0 nreturned:1 reslen:402 locks:{{}} protocol:op_query 0ms",
        (),
    )


def userdb_drop(rng: random.Random) -> Line:
    return (
        "INFO",
        f"I -        [conn{rng.randrange(2000, 2300)}] end connection 10.244.2.31:{rng.randrange(40000, 60000)} ({rng.randrange(1, 12)} connections now open)",
        (),
    )


def orders_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            f"Order created: {oid(rng)} customer={oid(rng)} total={rng.randrange(10, 99)}.{rng.randrange(100):02d}",
            (),
        )
    if roll < 0.8:
        return (
            "DEBUG",
            "Received payment response: PaymentResponse{authorised=true, message=Payment authorised}",
            (),
        )
    return "INFO", f"GET /orders/search/customerId?custId={oid(rng)} 200", ()


def orders_timeout(rng: random.Random) -> Line:
    what = rng.choice(["customers", "addresses", "cards"])
    return (
        "ERROR",
        f'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://user/{what}/{oid(rng)}": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out] with root cause',
        tuple(
            java_trace(
                "java.net.SocketTimeoutException: Read timed out",
                [
                    "java.net.SocketInputStream.socketRead0(Native Method)",
                    "java.net.SocketInputStream.read(SocketInputStream.java:171)",
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:666)",
                    "works.weave.socks.orders.services.AsyncGetService.getResource(AsyncGetService.java:54)",
                ],
                more=52,
            )
        ),
    )


def orders_refused(rng: random.Random) -> Line:
    what = rng.choice(["customers", "addresses", "cards"])
    return (
        "ERROR",
        f'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.util.concurrent.ExecutionException: org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://user/{what}/{oid(rng)}": Connection refused (Connection refused); nested exception is java.net.ConnectException: Connection refused (Connection refused)] with root cause',
        tuple(
            java_trace(
                "java.net.ConnectException: Connection refused (Connection refused)",
                [
                    "java.net.PlainSocketImpl.socketConnect(Native Method)",
                    "java.net.AbstractPlainSocketImpl.doConnect(AbstractPlainSocketImpl.java:350)",
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:666)",
                    "works.weave.socks.orders.services.AsyncGetService.getResource(AsyncGetService.java:54)",
                ],
                more=52,
            )
        ),
    )


def front_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/catalogue?page=1&size=6",
            "/cart",
            f"/customers/{oid(rng)}",
            "/catalogue/size",
            "/tags",
            f"/catalogue/{oid(rng)}",
            "/orders",
        ]
    )
    return "INFO", f"GET {path} 200 {rng.randrange(3, 90)}ms", ()


def front_failure(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "ERROR",
            f"GET /login 500 {rng.randrange(3000, 5200)}ms - Error: Request to user failed: socket hang up",
            (),
        )
    if roll < 0.75:
        return (
            "ERROR",
            f"POST /orders 500 {rng.randrange(900, 5400)}ms - Error: Request to orders failed: 500 Internal Server Error",
            (),
        )
    return (
        "ERROR",
        f"GET /customers/{oid(rng)} 500 {rng.randrange(5, 40)}ms - Error: connect ECONNREFUSED 10.96.133.21:80",
        (),
    )


def user_memory(rng: random.Random) -> Series:
    climb = shift(rng, 12.1, 197.6, FAULT, 0.004, ramp=KILLED - FAULT - 8)
    fresh = shift(rng, 11.3, 11.3, 0, 0.01)
    return lambda index: climb(index) if index < KILLED else fresh(index)


def bundle() -> Bundle:
    rng = random.Random(1169)
    user = LogFile("logs/user.log", UserLog())
    user.add(traffic(rng, user_line, START, FAULT / 60 + 0.6, 1500))
    user.add(
        traffic(
            rng,
            slow_user_line,
            START + timedelta(minutes=FAULT / 60 + 0.6),
            (KILLED - FAULT) / 60 - 0.6,
            60,
        )
    )
    user.add(traffic(rng, user_line, START + timedelta(seconds=READY), MINUTES - READY / 60, 950))
    restart = KILLED / 60 + 0.04
    user.add(
        [
            at(START, restart, "INFO", "caller=main.go:86 transport=HTTP port=80"),
            at(START, restart + 0.01, "INFO", "caller=main.go:112 tracer=Zipkin type=Noop"),
        ]
    )
    user.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"caller=logging.go:144 method=Health result=2 took={r.randrange(2, 50)}.{r.randrange(1000):03d}µs",
                (),
            ),
            START + timedelta(minutes=restart + 0.05),
            READY / 60 - restart - 0.05,
            40,
        )
    )
    userdb = LogFile("logs/user-db.log", MongoLog())
    userdb.add(traffic(rng, userdb_line, START, MINUTES, 1300))
    userdb.add(loud(rng, START, KILLED / 60 + 0.005, 0.03, 11, userdb_drop))
    userdb.add(loud(rng, START, KILLED / 60 + 0.3, 0.05, 6, userdb_drop))
    orders = LogFile(
        "logs/orders.log",
        SpringBoot(
            (
                "works.weave.socks.orders.controllers.OrdersController",
                "works.weave.socks.orders.services.AsyncGetService",
            ),
            rng=rng,
        ),
    )
    orders.add(traffic(rng, orders_line, START, MINUTES, 1100))
    orders.add(loud(rng, START, FAULT / 60 + 0.8, (KILLED - FAULT) / 60 - 0.8, 70, orders_timeout))
    orders.add(
        loud(rng, START, KILLED / 60 + 0.05, (READY - KILLED) / 60 - 0.1, 150, orders_refused)
    )
    front = LogFile("logs/front-end.log", Pino("front-end-6649b9c6b7-t5hql", rng=rng))
    front.add(traffic(rng, front_line, START, MINUTES, 3300))
    front.add(loud(rng, START, FAULT / 60 + 0.7, (READY - FAULT) / 60 - 0.75, 520, front_failure))

    def age(seconds_before_capture: int) -> str:
        minutes = seconds_before_capture // 60
        return f"{minutes}m" if minutes < 60 else f"{minutes // 60}h{minutes % 60}m"

    capture = 30 * 60
    pods = [
        ("carts-5c8d7f6b9d-hq2wz", "1/1", "Running", "1 (3d2h ago)", "6d"),
        ("carts-db-69669d658f-8xk4m", "1/1", "Running", "0", "6d"),
        ("catalogue-7c8b6f5d4-zt9pn", "1/1", "Running", "0", "6d"),
        ("catalogue-db-6ddc796b66-pl2vh", "1/1", "Running", "0", "6d"),
        ("front-end-6649b9c6b7-t5hql", "1/1", "Running", "0", "6d"),
        ("orders-7d95c8f5b4-wq6mz", "1/1", "Running", "0", "6d"),
        ("orders-db-7cc5d4c8b7-c4rkh", "1/1", "Running", "0", "6d"),
        ("payment-6c9b9f8d77-f7rkd", "1/1", "Running", "0", "6d"),
        ("queue-master-5f98bbd67-x8tsn", "1/1", "Running", "0", "6d"),
        ("rabbitmq-6b8c4d9f5c-mm7vx", "2/2", "Running", "0", "6d"),
        ("shipping-5d4d8c9f7b-bq5lc", "1/1", "Running", "0", "6d"),
        ("user-6b8f7d9c5-4xkqp", "1/1", "Running", f"1 ({age(capture - KILLED)} ago)", "21h"),
        ("user-db-5f68c8d5d7-ghf2n", "1/1", "Running", "0", "6d"),
    ]
    get_pods = "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE"), pods)) + "\n"
    probes = [
        "Liveness:   http-get http://:80/health delay=300s timeout=5s period=3s #success=1 #failure=3",
        "Readiness:  http-get http://:80/health delay=180s timeout=5s period=3s #success=1 #failure=3",
    ]
    user_pod = Pod(
        name="user-6b8f7d9c5-4xkqp",
        namespace="sock-shop",
        node="sockshop-worker-3",
        app="user",
        labels=["name=user", "pod-template-hash=6b8f7d9c5"],
        ip="10.244.2.31",
        start_time="Mon, 02 Dec 2024 09:12:44 +0000",
        containers=[
            Container(
                name="user",
                image="weaveworksdemos/user:0.4.7",
                port="80/TCP",
                state=["Running", "  Started:      Tue, 03 Dec 2024 06:16:14 +0000"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Mon, 02 Dec 2024 09:12:51 +0000",
                    "  Finished:     Tue, 03 Dec 2024 06:16:12 +0000",
                ],
                restarts=1,
                limits={"cpu": "300m", "memory": "200Mi"},
                requests={"cpu": "100m", "memory": "100Mi"},
                probes=probes,
                environment=["mongo:  user-db:27017"],
            )
        ],
        node_selectors="beta.kubernetes.io/os=linux",
        events=[
            (
                "Normal",
                "Pulled",
                "13m (x2 over 21h)",
                "kubelet",
                'Container image "weaveworksdemos/user:0.4.7" already present on machine',
            ),
            ("Normal", "Created", "13m (x2 over 21h)", "kubelet", "Created container user"),
            ("Normal", "Started", "13m (x2 over 21h)", "kubelet", "Started container user"),
        ],
    )
    carts_pod = Pod(
        name="carts-5c8d7f6b9d-hq2wz",
        namespace="sock-shop",
        node="sockshop-worker-1",
        app="carts",
        labels=["name=carts", "pod-template-hash=5c8d7f6b9d"],
        ip="10.244.1.18",
        start_time="Wed, 27 Nov 2024 08:40:02 +0000",
        containers=[
            Container(
                name="carts",
                image="weaveworksdemos/carts:0.4.8",
                port="80/TCP",
                state=["Running", "  Started:      Sun, 01 Dec 2024 03:52:37 +0000"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Wed, 27 Nov 2024 08:40:09 +0000",
                    "  Finished:     Sun, 01 Dec 2024 03:52:35 +0000",
                ],
                restarts=1,
                limits={"cpu": "300m", "memory": "500Mi"},
                requests={"cpu": "100m", "memory": "200Mi"},
                environment=[
                    "JAVA_OPTS:  -Xms64m -Xmx128m -XX:+UseG1GC -Djava.security.egd=file:/dev/urandom -Dspring.zipkin.enabled=false"
                ],
            )
        ],
        node_selectors="beta.kubernetes.io/os=linux",
    )
    describe = describe_pod(user_pod, rng) + "\n\n" + describe_pod(carts_pod, rng)

    levels = {
        "front-end": (0.168, 97, (0.0112, 0.0574), 40.6),
        "user": (0.041, 12.1, (0.0046, 0.0131), 9.4),
        "user-db": (0.019, 71, (0.0006, 0.0019), 9.3),
        "orders": (0.091, 412, (0.0402, 0.1188), 2.8),
        "orders-db": (0.012, 86, (0.0007, 0.0021), 2.8),
        "carts": (0.121, 388, (0.0063, 0.0199), 10.9),
        "catalogue": (0.035, 15, (0.0028, 0.0079), 25.3),
        "payment": (0.008, 9, (0.0009, 0.0025), 2.8),
        "shipping": (0.045, 371, (0.0081, 0.0246), 2.8),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    u = services["user"]
    u["mem"] = user_memory(rng)
    slow50 = shift(rng, 0.0046, 0.7810, FAULT + 35, 0.15, ramp=40)
    slow90 = shift(rng, 0.0131, 3.9420, FAULT + 35, 0.12, ramp=40)
    base50 = shift(rng, 0.0046, 0.0046, 0, 0.08)
    base90 = shift(rng, 0.0131, 0.0131, 0, 0.12)
    u["latency-50"] = lambda i: (
        slow50(i) if FAULT <= i < KILLED else (0.0 if KILLED <= i < READY else base50(i))
    )
    u["latency-90"] = lambda i: (
        slow90(i) if FAULT <= i < KILLED else (0.0 if KILLED <= i < READY else base90(i))
    )
    work = shift(rng, 9.4, 9.4, 0, 0.06)
    u["workload"] = lambda i: (
        0.0 if KILLED <= i < READY else work(i) * (0.55 if FAULT + 40 <= i < KILLED else 1.0)
    )
    ucpu = shift(rng, 0.041, 0.041, 0, 0.07)
    u["cpu"] = lambda i: (
        ucpu(i) * (2.3 if FAULT <= i < KILLED else (0.3 if KILLED <= i < READY else 1.0))
    )
    o90 = shift(rng, 0.1188, 0.1188, 0, 0.12)
    services["orders"]["latency-90"] = lambda i: (
        o90(i) * (24.0 if FAULT + 45 <= i < KILLED else (3.1 if KILLED <= i < READY else 1.0))
    )
    f90 = shift(rng, 0.0574, 0.0574, 0, 0.12)
    services["front-end"]["latency-90"] = lambda i: (
        f90(i) * (38.0 if FAULT + 50 <= i < READY else 1.0)
    )
    db = shift(rng, 9.3, 9.3, 0, 0.06)
    services["user-db"]["workload"] = lambda i: (
        db(i) * (0.5 if FAULT + 40 <= i < KILLED else (0.02 if KILLED <= i < READY else 1.0))
    )
    files = {
        "data.csv": wide_csv(START, 1, POINTS, services),
        "logs/front-end.log": front.render(),
        "logs/orders.log": orders.render(),
        "logs/user.log": user.render(),
        "logs/user-db.log": userdb.render(),
        "kubectl-get-pods.txt": get_pods,
        "kubectl-describe-pods.txt": describe,
    }
    return Bundle(
        question="Between about 06:14 and 06:19 UTC Sock Shop logins and checkouts failed with 500, then it recovered by itself. Which service was the root cause?",
        category="memory",
        component="user",
        statement="From 06:14:05 UTC a memory hog in the user container drives its memory from about 12 MiB to its 200Mi limit, its latency climbs to seconds and at 06:16:12 the container is OOMKilled; the restarted container waits out its 180 s readiness delay until about 06:19:15, so orders times out and is then refused by user and the front-end returns 500 on /login and checkout.",
        files=files,
        proofs=[
            Proof("data.csv", stamp(START, 1, FAULT), stamp(START, 1, FAULT + 3)),
            Proof("kubectl-describe-pods.txt", "Finished:     Tue, 03 Dec 2024 06:16:12 +0000"),
        ],
        decoys=[
            "Finished:     Sun, 01 Dec 2024 03:52:35 +0000",
            "end connection 10.244.2.31",
            "Connection refused (Connection refused)",
            "Request to user failed",
        ],
    )
