# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE3 style, logs only, in +08:00): a rebuilt ts-security-service starts
at 05:41:07 UTC (13:41:07 +08:00) whose SecurityServiceImpl.check dereferences the data of
ts-order-other-service's answer without a null check; for accounts with no order on the
other trains that data is null, so about two bookings in five fail there with a
NullPointerException. Its own log shows the start-up and the first traces in full, then only
`java.lang.NullPointerException: null` once the JIT omits the stack. Loud: ts-preserve-service's
and ts-preserve-other-service's 500s with the security service's empty error body, and the
dashboard's 500s on /preserve. Decoys: a HikariCP `Thread starvation or clock leap detected`
warning in ts-order-other-service at 13:33, ts-order-other-service's ordinary `No Content`
answers for accounts without orders, and ts-preserve-service's own errors."""

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2024, 6, 18, 5, 30, tzinfo=UTC)
MINUTES = 28
RESTART = 11 * 60 + 7
FIRST_ACCOUNT = "4d2a8f17-93c6-4e05-b1d8-7a6e0c53f29b"
TRAINS = ["Z1234", "Z1235", "K1345", "T1235", "G1234", "G1236", "D1345"]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


NPE_FRAMES = [
    "security.service.SecurityServiceImpl.check(SecurityServiceImpl.java:131)",
    "security.controller.SecurityController.check(SecurityController.java:61)",
    "sun.reflect.GeneratedMethodAccessor142.invoke(Unknown Source)",
    "sun.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)",
    "java.lang.reflect.Method.invoke(Method.java:498)",
    "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:190)",
    "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1006)",
]
SERVLET = "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is java.lang.NullPointerException] with root cause"


def security_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return "INFO", f"[check][Check Security][CheckDate: 2024-06-18, AccountId: {uuid(rng)}]", ()
    if roll < 0.9:
        return (
            "INFO",
            f"[check][Check Security Success][AccountId: {uuid(rng)}, orderNumInLastOneHour: {rng.randrange(0, 3)}, orderNumOfValidOrder: {rng.randrange(0, 6)}]",
            (),
        )
    return "INFO", "[findAllSecurityConfig][Find All][size: 2]", ()


def security_npe(rng: random.Random) -> Line:
    return "ERROR", SERVLET, ("java.lang.NullPointerException: null",)


def preserve_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.2:
        return "INFO", f"[preserve][Step 1][Check Security][Check Account Id: {uuid(rng)}]", ()
    if roll < 0.4:
        return "INFO", f"[preserve][Step 2][Check Security][Check Account Id: {uuid(rng)}]", ()
    if roll < 0.6:
        return "INFO", f"[preserve][Step 3][Check Contacts Exists][Contacts Id: {uuid(rng)}]", ()
    if roll < 0.8:
        return "INFO", f"[preserve][Step 6][Create Order Success][OrderId: {uuid(rng)}]", ()
    return (
        "INFO",
        f"[preserve][Preserve Success][OrderId: {uuid(rng)}, TripId: {rng.choice(TRIPS_FAST)}]",
        (),
    )


TRIPS_FAST = ["G1234", "G1235", "G1236", "D1345"]
TRIPS_SLOW = ["Z1234", "Z1235", "K1345", "T1235", "K1234"]


def preserve_other_line(rng: random.Random) -> Line:
    level, message, trailer = preserve_line(rng)
    message = message.replace("[preserve]", "[preserveOther]")
    for fast in TRIPS_FAST:
        message = message.replace(f"TripId: {fast}]", f"TripId: {rng.choice(TRIPS_SLOW)}]")
    return level, message, trailer


def caller_failure(service_path: str) -> Callable[[random.Random], Line]:
    def make(rng: random.Random) -> Line:
        account = uuid(rng)
        body = f'[{{"timestamp":"@STAMP@","status":500,"error":"Internal Server Error","message":"","path":"/api/v1/securityservice/securityConfigs/2024-06-18/{account}"}}]'
        return (
            "ERROR",
            f"Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 : {body}] with root cause",
            tuple(
                java_trace(
                    f"org.springframework.web.client.HttpServerErrorException$InternalServerError: 500 : {body}",
                    [
                        "org.springframework.web.client.HttpServerErrorException.create(HttpServerErrorException.java:100)",
                        "org.springframework.web.client.DefaultResponseErrorHandler.handleError(DefaultResponseErrorHandler.java:188)",
                        "org.springframework.web.client.RestTemplate.handleResponse(RestTemplate.java:819)",
                        "org.springframework.web.client.RestTemplate.exchange(RestTemplate.java:666)",
                        f"{service_path}.checkSecurity(PreserveServiceImpl.java:452)",
                        f"{service_path}.preserve(PreserveServiceImpl.java:71)",
                    ],
                    more=61,
                )
            ),
        )

    return make


def stamped(records: list[Record]) -> list[Record]:
    out = []
    for record in records:
        answered = (
            (record.time - timedelta(milliseconds=11))
            .astimezone(CST)
            .isoformat(timespec="milliseconds")
        )
        out.append(
            replace(
                record,
                message=record.message.replace("@STAMP@", answered),
                trailer=tuple(line.replace("@STAMP@", answered) for line in record.trailer),
            )
        )
    return out


def order_other_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f"[securityInfoCheck][Security Info Get][AccountId: {uuid(rng)}, orderNumInLastOneHour: {rng.randrange(0, 2)}]",
            (),
        )
    if roll < 0.55:
        return (
            "WARN",
            f"[securityInfoCheck][No Content][AccountId: {uuid(rng)}, no orders on other trains]",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[create][Create Order][Create Order Success][OrderId: {uuid(rng)}, TrainNumber: {rng.choice(TRIPS_SLOW)}]",
            (),
        )
    return (
        "INFO",
        f"[queryOrdersForRefresh][Query Orders][AccountId: {uuid(rng)}, size: {rng.randrange(0, 7)}]",
        (),
    )


def dashboard_line(rng: random.Random) -> Line:
    path = rng.choice(
        [
            "/api/v1/travelservice/trips/left",
            "/api/v1/travel2service/trips/left",
            "/api/v1/contactservice/contacts/account/" + uuid(rng),
            "/api/v1/orderservice/order/refresh",
            "/api/v1/preserveservice/preserve",
            "/api/v1/preserveotherservice/preserveOther",
            "/api/v1/assuranceservice/assurances/types",
            "/api/v1/foodservice/foods/2024-06-19/shanghai/suzhou/G1234",
        ]
    )
    method = "POST" if "preserve" in path or "trips" in path or "refresh" in path else "GET"
    return (
        "INFO",
        f'"{method} {path} HTTP/1.1" 200 {rng.randrange(90, 7000)} "http://10.20.8.14:32677/client_ticket_book.html" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/125.0" {rng.randrange(10, 400) / 1000:.3f}',
        (),
    )


def dashboard_failure(rng: random.Random) -> Line:
    path = rng.choice(
        ["/api/v1/preserveservice/preserve", "/api/v1/preserveotherservice/preserveOther"]
    )
    return (
        "INFO",
        f'"POST {path} HTTP/1.1" 500 {rng.randrange(150, 260)} "http://10.20.8.14:32677/client_ticket_book.html" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/125.0" {rng.randrange(30, 120) / 1000:.3f}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1170)
    restart = RESTART / 60
    first = restart + 0.62
    after = MINUTES - first

    def spring(name: str, loggers: tuple[str, ...], pid: int = 1) -> LogFile:
        return LogFile(f"logs/{name}.log", SpringBoot(loggers, pid=pid, rng=rng, zone=CST))

    security = spring(
        "ts-security-service",
        ("security.service.SecurityServiceImpl", "security.controller.SecurityController"),
    )
    security.add(traffic(rng, security_line, START, restart - 0.5, 820))
    security.add(
        [
            at(
                START,
                restart - 0.45,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            ),
            at(
                START,
                restart,
                "INFO",
                "Starting SecurityApplication v1.0 using Java 1.8.0_412 on ts-security-service-7b6d9f5c48-hv2pq with PID 1 (/app/ts-security-service-1.0.jar started by root in /app)",
                logger="security.SecurityApplication",
            ),
            at(
                START,
                restart + 0.02,
                "INFO",
                'No active profile set, falling back to 1 default profile: "default"',
                logger="security.SecurityApplication",
            ),
            at(
                START,
                restart + 0.38,
                "INFO",
                "Tomcat started on port(s): 11188 (http) with context path ''",
                logger="o.s.b.w.embedded.tomcat.TomcatWebServer",
            ),
            at(
                START,
                restart + 0.4,
                "INFO",
                "Started SecurityApplication in 23.872 seconds (JVM running for 25.431)",
                logger="security.SecurityApplication",
            ),
            at(
                START,
                first - 0.01,
                "INFO",
                f"[check][Check Security][CheckDate: 2024-06-18, AccountId: {FIRST_ACCOUNT}]",
                logger="security.service.SecurityServiceImpl",
            ),
            at(
                START,
                first,
                "ERROR",
                SERVLET,
                java_trace("java.lang.NullPointerException: null", NPE_FRAMES, more=44),
                logger="o.a.c.c.C.[.[.[/].[dispatcherServlet]",
            ),
        ]
    )
    security.add(
        traffic(
            rng,
            security_line,
            START + timedelta(minutes=restart + 0.45),
            MINUTES - restart - 0.45,
            700,
        )
    )
    security.add(
        loud(
            rng,
            START,
            first + 0.05,
            1.6,
            38,
            lambda r: (
                "ERROR",
                SERVLET,
                tuple(java_trace("java.lang.NullPointerException: null", NPE_FRAMES, more=44)),
            ),
        )
    )
    security.add(loud(rng, START, first + 1.7, after - 1.8, 290, security_npe))

    preserve = spring("ts-preserve-service", ("preserve.service.PreserveServiceImpl",))
    preserve.add(traffic(rng, preserve_line, START, MINUTES, 1900))
    preserve.add(
        stamped(
            loud(
                rng,
                START,
                first + 0.01,
                after - 0.1,
                230,
                caller_failure("preserve.service.PreserveServiceImpl"),
            )
        )
    )
    other = spring("ts-preserve-other-service", ("preserveOther.service.PreserveOtherServiceImpl",))
    other.add(traffic(rng, preserve_other_line, START, MINUTES, 1200))
    other.add(
        stamped(
            loud(
                rng,
                START,
                first + 0.03,
                after - 0.1,
                100,
                caller_failure("preserveOther.service.PreserveOtherServiceImpl"),
            )
        )
    )
    order_other = spring("ts-order-other-service", ("other.service.OrderOtherServiceImpl",))
    order_other.add(traffic(rng, order_other_line, START, MINUTES, 1500))
    order_other.add(
        [
            at(
                START,
                3.4,
                "WARN",
                "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m4s194ms).",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
        ]
    )
    dashboard = LogFile("logs/ts-ui-dashboard-access.log", NginxAccess(rng=rng, zone=CST))
    dashboard.add(traffic(rng, dashboard_line, START, MINUTES, 3400))
    dashboard.add(loud(rng, START, first + 0.02, after - 0.1, 330, dashboard_failure))
    dashboard.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /api/v1/users/login HTTP/1.1" 200 {r.randrange(400, 700)} "http://10.20.8.14:32677/client_login.html" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/125.0" {r.randrange(20, 90) / 1000:.3f}'
                ),
            ),
            START,
            MINUTES,
            260,
        )
    )
    notes = """Booking test run 18 June (Zhao Lei)

13:43  bookings start failing, roughly 40% of "Buy" clicks, both G/D and Z/K/T trains.
       UI shows "order failed". Search, login, contacts, food all fine.
13:46  ts-order-other-service had a Hikari warning earlier, DBA says MySQL is fine.
13:50  still failing. Attached: dashboard access log, both preserve services,
       ts-security-service, ts-order-other-service (kubectl logs --since=30m, times in +08:00).
"""
    files = {
        "logs/ts-ui-dashboard-access.log": dashboard.render(),
        "logs/ts-preserve-service.log": preserve.render(),
        "logs/ts-preserve-other-service.log": other.render(),
        "logs/ts-security-service.log": security.render(),
        "logs/ts-order-other-service.log": order_other.render(),
        "notes.txt": notes,
    }
    return Bundle(
        question="Since about 13:42 (+08:00) around 40% of Train-Ticket bookings fail with 'order failed' on every kind of train. What is the root cause?",
        category="code_error",
        component="ts-security-service",
        statement="The ts-security-service build started at 05:41:07 UTC (13:41:07 +08:00) throws a NullPointerException in SecurityServiceImpl.check for accounts whose ts-order-other-service answer carries no data (from 05:41:44 UTC), so the security check answers 500 and ts-preserve-service and ts-preserve-other-service fail about two bookings in five.",
        files=files,
        proofs=[
            Proof(
                "logs/ts-security-service.log",
                f"AccountId: {FIRST_ACCOUNT}",
                "SecurityServiceImpl.check(SecurityServiceImpl.java:131)",
            ),
        ],
        decoys=[
            "Thread starvation or clock leap detected",
            "no orders on other trains",
            "HttpServerErrorException$InternalServerError",
        ],
    )
