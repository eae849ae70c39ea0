# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one wide CSV): network delay (tc netem, +1.8 s) injected on
ts-verification-code-service's interface from 14:26:00 +08:00 (06:26:00 UTC). Its own log stays
clean and its latency columns jump first; ts-auth-service's logins, which verify a captcha
there, fail with `Read timed out`, and the dashboard's nginx answers 504 on /api/v1/users/login.
Decoys: ts-auth-service's timeouts, a ts-user-service slow query warning, and ts-auth-service's
JWT key reload."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxAccess, SpringBoot
from scenes import at, loud
from traffic import Line, http_access, traffic, web_api

CST = timezone(timedelta(hours=8))
START = datetime(2026, 2, 17, 6, 4, tzinfo=UTC)
MINUTES = 40
STEP = 1
FAULT = 22 * 60


def verify_line(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return (
            "INFO",
            f"[getImageCode][Generate verification code][code: {''.join(rng.choice('ABCDEFGHJKMNPQRSTUVWXYZ23456789') for _ in range(4))}]",
            (),
        )
    return (
        "INFO",
        f"[verifyCode][Verify code][receivedCode: {''.join(rng.choice('ABCDEFGHJKMNPQRSTUVWXYZ23456789') for _ in range(4))}, result: true]",
        (),
    )


def auth_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"[login][Login success][userName: fdse_{rng.randrange(10**4)}]", ()
    if roll < 0.8:
        return (
            "INFO",
            f"[getToken][Get token][userId: {rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}]",
            (),
        )
    return "DEBUG", f"[loadUserByUsername][Load user][username: fdse_{rng.randrange(10**4)}]", ()


def auth_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'[login][Verify code failed][userName: fdse_{rng.randrange(10**4)}] I/O error on GET request for "http://ts-verification-code-service:15678/api/v1/verifycode/verify/{"".join(rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(4))}": Read timed out; nested exception is java.net.SocketTimeoutException: Read timed out',
        (),
    )


def gateway_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'"POST /api/v1/users/login HTTP/1.1" 504 167 "http://ts.example.internal/client_login.html" "Mozilla/5.0 (X11; Linux x86_64)" {rng.uniform(3.0, 3.02):.3f}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(39701)
    verify = LogFile(
        "logs/ts-verification-code-service.log",
        SpringBoot(
            (
                "verifycode.controller.VerifyCodeController",
                "verifycode.service.impl.VerifyCodeServiceImpl",
            ),
            pid=1,
            rng=rng,
            zone=CST,
        ),
    )
    verify.add(traffic(rng, verify_line, START, MINUTES, 1900))
    auth = LogFile(
        "logs/ts-auth-service.log",
        SpringBoot(
            (
                "auth.service.impl.UserServiceImpl",
                "auth.service.impl.TokenServiceImpl",
                "auth.security.jwt.JWTProvider",
            ),
            pid=1,
            rng=rng,
            zone=CST,
        ),
    )
    auth.add(traffic(rng, auth_line, START, MINUTES, 2300))
    auth.add(
        [
            at(
                START,
                9.4,
                "INFO",
                "[JWTProvider][Reloading signing key][kid: ts-2026-02, keys loaded: 2]",
                logger="auth.security.jwt.JWTProvider",
            )
        ]
    )
    auth.add(loud(rng, START, 22.05, MINUTES - 22.1, 310, auth_timeout))
    user = LogFile(
        "logs/ts-user-service.log",
        SpringBoot(
            ("user.service.impl.UserServiceImpl", "org.hibernate.SQL"), pid=1, rng=rng, zone=CST
        ),
    )
    user.add(traffic(rng, web_api("ts-user-service", ["users", "accounts"]), START, MINUTES, 1400))
    user.add(
        [
            at(
                START,
                15.2,
                "WARN",
                "HHH000104: slow query 1284 ms: select u.user_id, u.user_name from user u where u.document_num=?",
                logger="org.hibernate.SQL",
            )
        ]
    )
    ui = LogFile("logs/ts-ui-dashboard-access.log", NginxAccess(rng=rng, zone=CST))
    ui.add(
        traffic(
            rng,
            http_access(
                [
                    "/api/v1/travelservice/trips/left",
                    "/api/v1/users/login",
                    "/api/v1/orderservice/order/refresh",
                    "/index.html",
                    "/api/v1/stationservice/stations",
                ]
            ),
            START,
            MINUTES,
            3000,
        )
    )
    ui.add(loud(rng, START, 22.1, MINUTES - 22.2, 260, gateway_timeout))
    levels = {
        "ts-ui-dashboard": (0.21, 41.0, (0.031, 0.094), 52.0),
        "ts-auth-service": (0.09, 412.0, (0.062, 0.148), 9.4),
        "ts-verification-code-service": (0.04, 296.0, (0.0041, 0.0112), 9.6),
        "ts-user-service": (0.06, 388.0, (0.018, 0.051), 12.2),
        "ts-travel-service": (0.17, 455.0, (0.084, 0.221), 21.5),
        "ts-order-service": (0.12, 478.0, (0.037, 0.102), 14.0),
        "ts-station-service": (0.08, 351.0, (0.008, 0.024), 33.1),
        "ts-route-service": (0.07, 344.0, (0.011, 0.029), 18.7),
        "ts-basic-service": (0.10, 362.0, (0.026, 0.071), 24.9),
        "ts-seat-service": (0.09, 371.0, (0.031, 0.083), 15.3),
    }
    services = {name: usual_series(rng, *v) for name, v in levels.items()}
    v = services["ts-verification-code-service"]
    v["latency-50"] = shift(rng, 0.0041, 1.806, FAULT, 0.02)
    v["latency-90"] = shift(rng, 0.0112, 1.861, FAULT, 0.03)
    v["workload"] = shift(rng, 9.6, 5.1, FAULT + 2, 0.1)
    a = services["ts-auth-service"]
    a["latency-50"] = shift(rng, 0.062, 1.94, FAULT + 3, 0.05)
    a["latency-90"] = shift(rng, 0.148, 3.01, FAULT + 3, 0.02)
    services["ts-ui-dashboard"]["latency-90"] = shift(rng, 0.094, 3.02, FAULT + 4, 0.03)
    files = {
        "metrics/data.csv": wide_csv(START, STEP, MINUTES * 60 // STEP, services),
        "logs/ts-verification-code-service.log": verify.render(),
        "logs/ts-auth-service.log": auth.render(),
        "logs/ts-user-service.log": user.render(),
        "logs/ts-ui-dashboard-access.log": ui.render(),
    }
    return Bundle(
        question="Users can't log in to the ticketing site since about 14:26 (Beijing time); the login call returns 504. Which service is at fault and why?",
        category="network",
        component="ts-verification-code-service",
        statement="From 14:26:00 +08:00 network delay of about 1.8 s on ts-verification-code-service makes its latency jump while its log stays clean; ts-auth-service's captcha verification calls to it hit `Read timed out`, so logins fail with 504 at the dashboard.",
        files=files,
        proofs=[Proof("metrics/data.csv", stamp(START, STEP, FAULT))],
        decoys=[
            "Read timed out; nested exception is java.net.SocketTimeoutException",
            "HHH000104: slow query 1284 ms",
            "[JWTProvider][Reloading signing key]",
        ],
    )
