# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""Train-Ticket (RCAEval RE2 layout, one wide CSV with a `diskio` series per service): a disk I/O
hog (stress-ng --hdd) in the ts-auth-service container from 22:47:15 UTC. Its diskio series
jumps from well under 1 MB/s to about 190 MB/s; its synchronous console logging and token
writes stall behind the saturated volume, so its p90 climbs to several seconds and its own log
only thins out, with gaps of seconds between lines. Loud: the dashboard's nginx
`upstream timed out` errors and 504s on POST /api/v1/users/login and the load generator's
login failures; ts-verification-code-service goes quieter (fewer logins reach it). Decoys:
ts-order-service, always the busiest disk writer, ts-verification-code-service's ordinary wrong
captcha warnings, and a stale 502 burst at 22:38 while ts-route-service was being redeployed."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import shift
from rcaeval import stamp, usual_series, wide_csv
from records import NginxError, Record, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2024, 7, 2, 22, 35, tzinfo=UTC)
MINUTES = 24
POINTS = MINUTES * 60
FAULT = 12 * 60 + 15


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def client(rng: random.Random) -> str:
    return f"10.42.{rng.randrange(0, 4)}.{rng.randrange(2, 250)}"


def auth_line(rng: random.Random) -> Line:
    roll = rng.random()
    user = rng.choice(
        ["fdse_microservice", "fdse_microservice", "admin"] + [f"user_{n}" for n in range(1, 40)]
    )
    if roll < 0.45:
        return "INFO", f"[login][User login][username: {user}]", ()
    if roll < 0.85:
        return (
            "INFO",
            f"[getToken][Success][USER NAME: {user}, ROLES: [ROLE_USER], TOKEN EXPIRE: 3600000]",
            (),
        )
    return "INFO", f"[getAllUser][Get All Users][size: {rng.randrange(40, 60)}]", ()


def verification_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"[getImageCode][Generate verification code][cookieId: {uuid(rng)}]", ()
    if roll < 0.93:
        return "INFO", f"[verifyCode][Verify code success][cookieId: {uuid(rng)}]", ()
    return (
        "WARN",
        f"[verifyCode][Verify code failed][cookieId: {uuid(rng)}, receivedCode: {rng.choice('ABCDEFGHJK')}{rng.randrange(100, 999)}, message: verification code mismatch]",
        (),
    )


def upstream_timeout(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: {client(rng)}, server: localhost, request: "POST /api/v1/users/login HTTP/1.1", upstream: "http://10.43.118.27:12340/api/v1/users/login", host: "ts-ui-dashboard:8080", referrer: "http://ts-ui-dashboard:8080/client_login.html"',
        (),
    )


def stale_502(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'connect() failed (111: Connection refused) while connecting to upstream, client: {client(rng)}, server: localhost, request: "POST /api/v1/routeservice/routes/byIds HTTP/1.1", upstream: "http://10.43.90.214:11178/api/v1/routeservice/routes/byIds", host: "ts-ui-dashboard:8080"',
        (),
    )


def nginx_notice(rng: random.Random) -> Line:
    return (
        "WARN",
        f'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{rng.randrange(1, 9)}/{rng.randrange(10, 99)}/{rng.randrange(10**9, 10**10)} while reading upstream, client: {client(rng)}, server: localhost, request: "GET /api/v1/trainservice/trains HTTP/1.1", upstream: "http://10.43.77.5:14567/api/v1/trainservice/trains", host: "ts-ui-dashboard:8080"',
        (),
    )


@dataclass
class Locust:
    """Locust's console log (`[time] host/LEVEL/logger: message`)."""

    def render(self, record: Record) -> list[str]:
        text = record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        level = {"WARN": "WARNING"}.get(record.level, record.level)
        return [
            f"[{text}] tt-locust-0/{level}/{record.logger or 'locust.runners'}: {record.message}"
        ]


def locust_failure(rng: random.Random) -> Line:
    if rng.random() < 0.8:
        return (
            "ERROR",
            "POST /api/v1/users/login: HTTPError('504 Server Error: Gateway Time-out for url: http://ts-ui-dashboard:8080/api/v1/users/login')",
            (),
        )
    return (
        "ERROR",
        "POST /api/v1/users/login: ReadTimeout(\"HTTPConnectionPool(host='ts-ui-dashboard', port=8080): Read timed out. (read timeout=30)\")",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1173)
    fault = FAULT / 60
    after = MINUTES - fault
    auth = LogFile(
        "logs/ts-auth-service.log",
        SpringBoot(
            (
                "auth.service.impl.UserServiceImpl",
                "auth.service.impl.TokenServiceImpl",
                "auth.controller.UserController",
            ),
            rng=rng,
        ),
    )
    auth.add(traffic(rng, auth_line, START, fault, 1900))
    auth.add(traffic(rng, auth_line, START + timedelta(minutes=fault), after, 140))
    verification = LogFile(
        "logs/ts-verification-code-service.log",
        SpringBoot(("verifycode.service.impl.VerifyCodeServiceImpl",), rng=rng),
    )
    verification.add(traffic(rng, verification_line, START, fault, 1300))
    verification.add(traffic(rng, verification_line, START + timedelta(minutes=fault), after, 310))
    nginx = LogFile("logs/ts-ui-dashboard-error.log", NginxError(rng=rng))
    nginx.add(traffic(rng, nginx_notice, START, MINUTES, 120))
    nginx.add(loud(rng, START, 3.1, 0.6, 40, stale_502))
    nginx.add(loud(rng, START, fault + 1.05, after - 1.1, 560, upstream_timeout))
    locust = LogFile("logs/locust.log", Locust())
    locust.add(
        [
            at(START, 0.05, "INFO", "Ramping to 120 users at a rate of 2.00 per second"),
            at(START, 1.1, "INFO", 'All users spawned: {"TrainTicketUser": 120} (120 total users)'),
        ]
    )
    locust.add(
        loud(
            rng,
            START,
            3.1,
            0.6,
            25,
            fixed(
                "ERROR",
                lambda r: (
                    "POST /api/v1/routeservice/routes/byIds: HTTPError('502 Server Error: Bad Gateway for url: http://ts-ui-dashboard:8080/api/v1/routeservice/routes/byIds')"
                ),
            ),
        )
    )
    locust.add(loud(rng, START, fault + 1.05, after - 1.1, 330, locust_failure))

    levels = {
        "ts-ui-dashboard": (0.148, 60, (0.0131, 0.0598), 40.2, 0.21),
        "ts-auth-service": (0.118, 624, (0.0412, 0.1136), 7.9, 0.38),
        "ts-verification-code-service": (0.061, 548, (0.0094, 0.0281), 7.8, 0.12),
        "ts-user-service": (0.052, 571, (0.0081, 0.0233), 3.1, 0.15),
        "ts-travel-service": (0.236, 699, (0.0307, 0.0911), 14.6, 0.44),
        "ts-order-service": (0.228, 731, (0.0171, 0.0586), 16.3, 3.12),
        "ts-route-service": (0.087, 596, (0.0084, 0.0236), 12.1, 0.29),
        "ts-station-service": (0.119, 613, (0.0062, 0.0171), 38.9, 0.31),
        "ts-contacts-service": (0.058, 566, (0.0079, 0.0219), 8.3, 0.22),
        "ts-preserve-service": (0.281, 716, (0.1488, 0.3941), 5.6, 0.35),
    }
    services = {}
    for name, (cpu, mem, latency, workload, disk) in levels.items():
        services[name] = usual_series(rng, cpu, mem, latency, workload, diskio=disk)
    a = services["ts-auth-service"]
    a["diskio"] = shift(rng, 0.38, 189.6, FAULT, 0.05, ramp=3)
    a["cpu"] = shift(rng, 0.118, 0.162, FAULT, 0.1)
    a["latency-50"] = shift(rng, 0.0412, 1.9270, FAULT + 4, 0.2, ramp=20)
    a["latency-90"] = shift(rng, 0.1136, 8.4410, FAULT + 4, 0.18, ramp=20)
    a["workload"] = shift(rng, 7.9, 4.4, FAULT + 20, 0.1)
    services["ts-verification-code-service"]["workload"] = shift(rng, 7.8, 3.2, FAULT + 25, 0.1)
    services["ts-ui-dashboard"]["latency-90"] = shift(
        rng, 0.0598, 11.7350, FAULT + 20, 0.15, ramp=30
    )
    route_cpu = services["ts-route-service"]["cpu"]
    services["ts-route-service"]["cpu"] = lambda i: route_cpu(i) * (3.4 if 186 <= i < 222 else 1.0)
    files = {
        "metrics.csv": wide_csv(START, 1, POINTS, services),
        "logs/ts-ui-dashboard-error.log": nginx.render(),
        "logs/locust.log": locust.render(),
        "logs/ts-auth-service.log": auth.render(),
        "logs/ts-verification-code-service.log": verification.render(),
    }
    return Bundle(
        question="Since about 22:48 UTC logins to Train-Ticket time out with 504 in our load test; everything else answers. Which service is the root cause?",
        category="disk",
        component="ts-auth-service",
        statement="From 22:47:15 UTC a disk I/O hog in the ts-auth-service container drives its disk I/O from under 1 MB/s to about 190 MB/s; its request threads stall on the saturated volume and its p90 climbs to several seconds, so the dashboard's nginx times out on POST /api/v1/users/login and returns 504 from about 22:48:18.",
        files=files,
        proofs=[Proof("metrics.csv", stamp(START, 1, FAULT), stamp(START, 1, FAULT + 3))],
        decoys=[
            "verification code mismatch",
            "while connecting to upstream",
            "Gateway Time-out",
        ],
    )
