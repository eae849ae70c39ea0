# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one wide CSV, logs in +08:00): stress-ng pins the
ts-verification-code-service container's CPU from 15:47:31 CST (07:47:31 UTC). Its own log only
writes fewer captcha lines; its CPU sits at the limit and its latency climbs to seconds a few
seconds later. Every login goes through it (captcha image, then the code check from
ts-auth-service), so ts-auth-service logs read timeouts and the UI gateway answers 500 and 504
for logins while searches and bookings of users already logged in still work. Decoys:
ts-auth-service's read timeouts (the caller), ts-order-service's MySQL `Communications link
failure` at 15:24 that recovered, and ts-notification-service's mail-server errors."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxAccess, SpringBoot
from scenes import at, java_trace, loud
from traffic import Line, traffic

CST = timezone(timedelta(hours=8))
START = datetime(2025, 6, 17, 15, 20, tzinfo=CST).astimezone(UTC)
STEP = 1
MINUTES = 42
POINTS = MINUTES * 60
FAULT = 27 * 60 + 31


def account(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}"


def gateway_line(rng: random.Random) -> Line:
    roll = rng.random()
    agent = '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"'
    if roll < 0.08:
        return (
            "INFO",
            f'"GET /api/v1/verifycode/generate HTTP/1.1" 200 {rng.randrange(2100, 2900)} "http://ts.example.cn/client_login.html" {agent}',
            (),
        )
    if roll < 0.15:
        return (
            "INFO",
            f'"POST /api/v1/users/login HTTP/1.1" 200 {rng.randrange(560, 640)} "http://ts.example.cn/client_login.html" {agent}',
            (),
        )
    path = rng.choice(
        [
            "POST /api/v1/travelservice/trips/left",
            "POST /api/v1/travel2service/trips/left",
            f"GET /api/v1/orderservice/order/{account(rng)}",
            "POST /api/v1/preserveservice/preserve",
            "GET /api/v1/stationservice/stations",
            f"GET /api/v1/contactservice/contacts/account/{account(rng)}",
            "GET /api/v1/foodservice/foods/2025-06-18/shanghai/suzhou/D1345",
        ]
    )
    return (
        "INFO",
        f'"{path} HTTP/1.1" 200 {rng.randrange(120, 9000)} "http://ts.example.cn/client_ticket_book.html" {agent}',
        (),
    )


def gateway_failure(rng: random.Random) -> Line:
    agent = '"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"'
    if rng.random() < 0.55:
        return (
            "ERROR",
            f'"POST /api/v1/users/login HTTP/1.1" 500 {rng.randrange(230, 260)} "http://ts.example.cn/client_login.html" {agent}',
            (),
        )
    return (
        "ERROR",
        f'"GET /api/v1/verifycode/generate HTTP/1.1" 504 {rng.randrange(160, 170)} "http://ts.example.cn/client_login.html" {agent}',
        (),
    )


def auth_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"[getToken][Login start][username: {rng.choice(['fdse_microservice', 'ts_user', 'guest'])}{rng.randrange(500)}]",
            (),
        )
    if roll < 0.8:
        return "INFO", f"[getToken][Login success][userId: {account(rng)}]", ()
    return (
        "WARN",
        f"[getToken][Incorrect username or password][username: ts_user{rng.randrange(500)}]",
        (),
    )


def auth_timeout(rng: random.Random) -> Line:
    code = "".join(rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(4))
    return (
        "ERROR",
        f'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://ts-verification-code-service:15678/api/v1/verifycode/verify/{code}": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out] with root cause',
        tuple(
            java_trace(
                "java.net.SocketTimeoutException: Read timed out",
                [
                    "java.net.SocketInputStream.socketRead0(Native Method)",
                    "java.net.SocketInputStream.read(SocketInputStream.java:171)",
                    "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:744)",
                    "auth.service.impl.TokenServiceImpl.getToken(TokenServiceImpl.java:71)",
                    "auth.controller.UserController.getToken(UserController.java:46)",
                ],
            )
        ),
    )


def verify_line(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return (
            "INFO",
            f"[getImageCode][Generate verification code][cookie: YsbCaptcha={account(rng)}]",
            (),
        )
    return (
        "INFO",
        f"[verifyCode][Verify code][received: {''.join(rng.choice('ABCDEFGHJKMNPQRSTUVWXYZ23456789') for _ in range(4))}, result: true]",
        (),
    )


def order_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"[queryOrders][Query Orders][for accountId: {account(rng)}]", ()
    if roll < 0.8:
        return (
            "INFO",
            f"[getSoldTickets][Get sold tickets][travel date: 2025-06-{rng.randrange(18, 28)}, trainNumber: G{rng.randrange(1230, 1240)}]",
            (),
        )
    return "INFO", f"[create][Create Order][Order Created, orderId: {account(rng)}]", ()


def bundle() -> Bundle:
    rng = random.Random(1149)
    fault_minute = FAULT / 60
    after = MINUTES - fault_minute
    gateway = LogFile("logs/ts-ui-dashboard-access.log", NginxAccess(rng=rng, zone=CST))
    gateway.add(traffic(rng, gateway_line, START, MINUTES, 5200))
    gateway.add(loud(rng, START, fault_minute + 0.2, after - 0.3, 640, gateway_failure))
    auth = LogFile(
        "logs/ts-auth-service.log",
        SpringBoot(
            ("auth.service.impl.TokenServiceImpl", "auth.controller.UserController"),
            rng=rng,
            zone=CST,
        ),
    )
    auth.add(
        traffic(
            rng, auth_line, START, fault_minute, 1300, logger="auth.service.impl.TokenServiceImpl"
        )
    )
    auth.add(
        traffic(
            rng,
            auth_line,
            START + timedelta(minutes=fault_minute + 0.2),
            after - 0.3,
            90,
            logger="auth.service.impl.TokenServiceImpl",
        )
    )
    auth.add(loud(rng, START, fault_minute + 0.2, after - 0.3, 260, auth_timeout))
    verify = LogFile(
        "logs/ts-verification-code-service.log",
        SpringBoot(("verifycode.controller.VerifyCodeController",), rng=rng, zone=CST),
    )
    verify.add(traffic(rng, verify_line, START, fault_minute, 2200))
    verify.add(traffic(rng, verify_line, START + timedelta(minutes=fault_minute), after, 310))
    order = LogFile(
        "logs/ts-order-service.log",
        SpringBoot(
            ("order.service.OrderServiceImpl", "com.zaxxer.hikari.pool.HikariPool"),
            rng=rng,
            zone=CST,
        ),
    )
    order.add(
        traffic(rng, order_line, START, MINUTES, 2100, logger="order.service.OrderServiceImpl")
    )
    order.add(
        [
            at(
                START,
                4.1,
                "WARN",
                "HikariPool-1 - Failed to validate connection com.mysql.cj.jdbc.ConnectionImpl@3b8a51e2 (Communications link failure\n\nThe last packet successfully received from the server was 1,204,117 milliseconds ago. The last packet sent successfully to the server was 1,204,118 milliseconds ago.). Possibly consider using a shorter maxLifetime value.",
                logger="com.zaxxer.hikari.pool.PoolBase",
            ),
            at(
                START,
                4.12,
                "INFO",
                "HikariPool-1 - Added connection com.mysql.cj.jdbc.ConnectionImpl@71c0a8f4",
                logger="com.zaxxer.hikari.pool.HikariPool",
            ),
        ]
    )
    notification = LogFile(
        "logs/ts-notification-service.log",
        SpringBoot(("notification.service.MailService",), rng=rng, zone=CST),
    )
    notification.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[preserveSuccess][Send email to user][username: ts_user{r.randrange(500)}]",
                (),
            ),
            START,
            MINUTES,
            420,
        )
    )
    for minute in (9.4, 21.7, 33.2):
        notification.add(
            [
                at(
                    START,
                    minute,
                    "ERROR",
                    "[sendEmail][Send email failed][org.springframework.mail.MailSendException: Mail server connection failed; nested exception is javax.mail.MessagingException: Could not connect to SMTP host: smtp.example.cn, port: 25, response: -1]",
                    logger="notification.service.MailService",
                )
            ]
        )

    levels = {
        "ts-ui-dashboard": (0.088, 41, (0.0102, 0.0655), 44.1),
        "ts-auth-service": (0.121, 688, (0.0236, 0.0611), 3.1),
        "ts-verification-code-service": (0.047, 402, (0.0058, 0.0141), 6.3),
        "ts-user-service": (0.052, 611, (0.0091, 0.0232), 2.2),
        "ts-travel-service": (0.161, 735, (0.0454, 0.1217), 9.8),
        "ts-travel2-service": (0.092, 702, (0.0391, 0.1044), 6.1),
        "ts-order-service": (0.134, 744, (0.0173, 0.0488), 8.4),
        "ts-preserve-service": (0.066, 659, (0.1921, 0.4410), 1.3),
        "ts-station-service": (0.102, 642, (0.0062, 0.0171), 31.7),
        "ts-contacts-service": (0.038, 598, (0.0079, 0.0203), 2.6),
        "ts-notification-service": (0.021, 566, (0.0112, 0.0291), 1.1),
    }
    services = {name: usual_series(rng, *values) for name, values in levels.items()}
    services["ts-verification-code-service"]["cpu"] = shift(rng, 0.047, 1.994, FAULT, 0.02, ramp=3)
    services["ts-verification-code-service"]["latency-50"] = shift(
        rng, 0.0058, 1.31, FAULT + 6, 0.25, ramp=12
    )
    services["ts-verification-code-service"]["latency-90"] = shift(
        rng, 0.0141, 4.86, FAULT + 6, 0.2, ramp=12
    )
    services["ts-auth-service"]["latency-90"] = shift(rng, 0.0611, 5.02, FAULT + 9, 0.15, ramp=12)
    services["ts-auth-service"]["latency-50"] = shift(rng, 0.0236, 1.44, FAULT + 9, 0.2, ramp=12)
    services["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.0655, 2.41, FAULT + 10, 0.2, ramp=12)
    services["ts-auth-service"]["cpu"] = shift(rng, 0.121, 0.083, FAULT + 10, 0.08, ramp=20)
    files = {
        "metrics.csv": wide_csv(START, STEP, POINTS, services),
        "logs/ts-ui-dashboard-access.log": gateway.render(),
        "logs/ts-auth-service.log": auth.render(),
        "logs/ts-verification-code-service.log": verify.render(),
        "logs/ts-order-service.log": order.render(),
        "logs/ts-notification-service.log": notification.render(),
    }
    return Bundle(
        question="Since about 15:47 Beijing time most Train-Ticket users cannot log in (the login page hangs, then an error), while searches by users already logged in still work. Which service is the root cause?",
        category="cpu",
        component="ts-verification-code-service",
        statement="From 15:47:31 CST (07:47:31 UTC) a CPU hog pins the ts-verification-code-service container at its limit; its latency climbs to seconds, so the captcha images and ts-auth-service's code checks time out and logins fail with 500 and 504 at the UI gateway.",
        files=files,
        proofs=[Proof("metrics.csv", stamp(START, STEP, FAULT), stamp(START, STEP, FAULT + 3))],
        decoys=[
            "Read timed out",
            "Communications link failure",
            "Mail server connection failed",
        ],
    )
