# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Memory hog injected in ts-order-service (Train-Ticket, RCAEval style) at 21:44:30 UTC: a
stress process in the container allocates until the container sits near its 2 GiB limit. Its mem
series climbs first; the JVM then fails to commit heap (os::commit_memory errno=12) and stalls in
GC, its latency climbs, and ts-preserve-service and the dashboard nginx report timeouts and 504s.
Decoys: a ts-auth-service token expiry warning, ts-travel-service slow query, and a
ts-notification-service SMTP retry."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxAccess, Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic


class Console(SpringBoot):
    """The container's stdout: logback lines, plus lines the JVM itself prints unformatted."""

    def render(self, record: Record) -> list[str]:
        if record.logger == "jvm":
            return [record.message]
        return super().render(record)


START = datetime(2025, 9, 5, 21, 25, tzinfo=UTC)
STEP = 1
MINUTES = 40
POINTS = MINUTES * 60
INJECT = 19.5  # 21:44:30
STATIONS = [
    "shanghai",
    "beijing",
    "nanjing",
    "suzhou",
    "taiyuan",
    "shijiazhuang",
    "zhenjiang",
    "wuxi",
]


def uid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def order_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f"[queryOrdersForRefresh][Query Orders for refresh][AccountId: {uid(rng)}]",
            (),
        )
    if roll < 0.6:
        return (
            "INFO",
            f"[getSoldTickets][Seat Sold][TrainNumber: G{rng.randrange(1000, 1300)}, date: 2025-09-{rng.randrange(6, 20)}]",
            (),
        )
    if roll < 0.8:
        return "INFO", f"[create][Create Order][Order Created Success][OrderId: {uid(rng)}]", ()
    return "INFO", f"[getOrderById][Get Order By Id Success][OrderId: {uid(rng)}]", ()


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"[preserve][Step 1][Check Security][AccountId: {uid(rng)}]", ()
    if roll < 0.8:
        return (
            "INFO",
            f"[preserve][Step 3][Get Trip Info][From: {rng.choice(STATIONS)} To: {rng.choice(STATIONS)}]",
            (),
        )
    return "INFO", f"[preserve][Step 5][Create Order Success][OrderId: {uid(rng)}]", ()


def dash_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/api/v1/travelservice/trips/left",
            "/api/v1/orderservice/order/refresh",
            "/api/v1/preserveservice/preserve",
            "/api/v1/stationservice/stations",
            "/index.html",
            "/api/v1/users/login",
        ]
    )
    return (
        "INFO",
        f'"POST {path} HTTP/1.1" 200 {rng.randrange(200, 9000)} "http://ts-ui-dashboard:8080/client_ticket_book.html" "Mozilla/5.0 (X11; Linux x86_64)" {rng.randrange(5, 120) / 1000:.3f}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(30903)
    inject = int(INJECT * 60)
    order = LogFile(
        "logs/ts-order-service.log",
        Console(
            ("order.service.OrderServiceImpl", "order.controller.OrderController"), pid=1, rng=rng
        ),
    )
    order.add(traffic(rng, order_line, START, MINUTES, 3600))
    order.add(
        [
            Record(
                START + timedelta(minutes=INJECT + 0.95, milliseconds=77),
                "WARN",
                "OpenJDK 64-Bit Server VM warning: INFO: os::commit_memory(0x00000000d6a00000, 178257920, 0) failed; error='Not enough space' (errno=12)",
                (),
                "jvm",
            ),
            at(
                START,
                INJECT + 1.3,
                "WARN",
                "Retrying Hikari housekeeper: Thread starvation or clock leap detected (housekeeper delta=14s218ms)",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
        ]
    )
    preserve = LogFile(
        "logs/ts-preserve-service.log",
        SpringBoot(
            ("preserve.service.PreserveServiceImpl", "preserve.controller.PreserveController"),
            pid=1,
            rng=rng,
        ),
    )
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 2200))
    preserve.add(
        loud(
            rng,
            START,
            INJECT + 1.6,
            MINUTES - INJECT - 2,
            260,
            fixed(
                "ERROR",
                lambda r: (
                    '[preserve][Step 5][Create Order Fail][I/O error on POST request for "http://ts-order-service:12031/api/v1/orderservice/order": Read timed out]'
                ),
                lambda r: java_trace(
                    'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://ts-order-service:12031/api/v1/orderservice/order": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out',
                    [
                        "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:748)",
                        "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:637)",
                        "preserve.service.PreserveServiceImpl.createOrder(PreserveServiceImpl.java:412)",
                        "preserve.service.PreserveServiceImpl.preserve(PreserveServiceImpl.java:161)",
                    ],
                    more=88,
                ),
            ),
        )
    )
    dash = LogFile("logs/ts-ui-dashboard.log", NginxAccess(rng=rng))
    dash.add(traffic(rng, dash_line, START, MINUTES, 5200))
    dash.add(
        loud(
            rng,
            START,
            INJECT + 1.7,
            MINUTES - INJECT - 2,
            420,
            fixed(
                "INFO",
                lambda r: (
                    f'"{r.choice(["POST /api/v1/orderservice/order/refresh", "POST /api/v1/preserveservice/preserve", "GET /api/v1/orderservice/order/" + uid(r)])} HTTP/1.1" 504 {r.randrange(160, 190)} "http://ts-ui-dashboard:8080/client_order_list.html" "Mozilla/5.0 (X11; Linux x86_64)" 60.00{r.randrange(1, 9)}'
                ),
            ),
        )
    )
    auth = LogFile(
        "logs/ts-auth-service.log",
        SpringBoot(("auth.service.impl.TokenServiceImpl",), pid=1, rng=rng),
    )
    auth.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: f"[getToken][Login success][USER: fdse_microservice, USER_ID: {uid(r)}]",
            ),
            START,
            MINUTES,
            900,
        )
    )
    auth.add(
        [
            at(
                START,
                9.7,
                "WARN",
                "[validateToken][Token expired][JWT expired at 2025-09-05T21:34:18Z. Current time: 2025-09-05T21:34:42Z]",
            )
        ]
    )
    travel = LogFile(
        "logs/ts-travel-service.log",
        SpringBoot(("travel.service.TravelServiceImpl",), pid=1, rng=rng),
    )
    travel.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[queryInfo][Query TripResponse][From: {r.choice(STATIONS)} To: {r.choice(STATIONS)}]"
                ),
            ),
            START,
            MINUTES,
            1700,
        )
    )
    travel.add(
        [
            at(
                START,
                31.2,
                "WARN",
                "[query][Slow query][findByStartStationAndTerminalStation took 1843 ms]",
            )
        ]
    )
    notif = LogFile(
        "logs/ts-notification-service.log",
        SpringBoot(("notification.service.MailService",), pid=1, rng=rng),
    )
    notif.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"[preserveSuccess][Send email to user][{uid(r)}]"),
            START,
            MINUTES,
            400,
        )
    )
    notif.add(
        [
            at(
                START,
                14.6,
                "WARN",
                "[sendEmail][Mail server connection refused, retry 1/3][smtp.example.com:587]",
            )
        ]
    )

    levels = {
        "ts-ui-dashboard": (0.061, 41, (0.0181, 0.0642), 52.3),
        "ts-order-service": (0.211, 612, (0.0211, 0.0733), 18.2),
        "ts-preserve-service": (0.082, 538, (0.1121, 0.2841), 3.1),
        "ts-travel-service": (0.163, 571, (0.0411, 0.1318), 21.7),
        "ts-auth-service": (0.051, 497, (0.0091, 0.0288), 6.4),
        "ts-user-service": (0.031, 463, (0.0071, 0.0212), 4.8),
        "ts-station-service": (0.044, 482, (0.0063, 0.0198), 29.9),
        "ts-seat-service": (0.101, 521, (0.0311, 0.0922), 12.6),
        "ts-notification-service": (0.012, 441, (0.0041, 0.0121), 3.1),
        "ts-payment-service": (0.019, 455, (0.0081, 0.0231), 2.2),
    }
    services = {}
    for name, (cpu, memory, latency, workload) in levels.items():
        series = usual_series(rng, cpu, memory, latency, workload)
        if name == "ts-order-service":
            series["mem"] = shift(rng, 612, 1968, inject, 0.006, ramp=45)
            series["cpu"] = shift(rng, 0.211, 0.934, inject + 40, 0.08, ramp=15)
            series["latency-50"] = shift(rng, 0.0211, 2.412, inject + 55, 0.15, ramp=20)
            series["latency-90"] = shift(rng, 0.0733, 9.881, inject + 55, 0.15, ramp=20)
        if name == "ts-preserve-service":
            series["latency-90"] = shift(rng, 0.2841, 10.12, inject + 90, 0.1, ramp=10)
        if name == "ts-ui-dashboard":
            series["latency-90"] = shift(rng, 0.0642, 30.4, inject + 95, 0.1, ramp=20)
        services[name] = series
    files = {
        "metrics/data.csv": wide_csv(START, STEP, POINTS, services),
        "logs/ts-order-service.log": order.render(),
        "logs/ts-preserve-service.log": preserve.render(),
        "logs/ts-ui-dashboard.log": dash.render(),
        "logs/ts-auth-service.log": auth.render(),
        "logs/ts-travel-service.log": travel.render(),
        "logs/ts-notification-service.log": notif.render(),
    }
    return Bundle(
        question="Train ticket booking started returning 504s around 21:46 UTC and the order list page hangs. What's the root cause?",
        category="memory",
        component="ts-order-service",
        statement="A memory hog injected into ts-order-service at 21:44:30 UTC drove its memory from about 610 MiB to near 2 GiB; the JVM could not commit heap (errno=12) and stalled, so its latency soared and preserve and the dashboard timed out with 504s.",
        files=files,
        proofs=[
            Proof("metrics/data.csv", stamp(START, STEP, inject)),
            Proof("logs/ts-order-service.log", "os::commit_memory(0x00000000d6a00000"),
        ],
        decoys=[
            "JWT expired at 2025-09-05T21:34:18Z",
            "findByStartStationAndTerminalStation took 1843 ms",
            "Mail server connection refused, retry 1/3",
        ],
    )
