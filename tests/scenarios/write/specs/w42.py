# ruff: noqa: E501
# Hand-written log lines and series definitions are data, kept whole on one line.
"""ts-preserve-service 1.0.3 builds a new HTTP client per call and never closes it; its leaked
sockets use up the ephemeral ports, and its errors name the services it was calling."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from metrics import Series, csv_text, service_metrics, shift
from records import NginxAccess, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, http_access, traffic

START = datetime(2025, 11, 4, 11, 0, tzinfo=UTC)
STEP = 30
EXHAUSTED_MINUTE = 34
CALLEES = [
    ("ts-security-service", 11188, "/api/v1/securityservice/securityConfigs/check/"),
    ("ts-contacts-service", 12347, "/api/v1/contactservice/contacts/"),
    ("ts-travel-service", 12346, "/api/v1/travelservice/trip_detail"),
    ("ts-seat-service", 18898, "/api/v1/seatservice/seats"),
    ("ts-order-service", 12031, "/api/v1/orderservice/order"),
    ("ts-assurance-service", 18888, "/api/v1/assuranceservice/assurances"),
]


def uuid(rng: random.Random) -> str:
    return f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"


def preserve_line(rng: random.Random) -> Line:
    order = uuid(rng)
    roll = rng.random()
    if roll < 0.2:
        return "INFO", f"[preserve][Step 1][Check Security][Account Id: {uuid(rng)}]", ()
    if roll < 0.4:
        return "INFO", f"[preserve][Step 2][Find contacts][Contacts Id: {uuid(rng)}]", ()
    if roll < 0.55:
        return (
            "INFO",
            f"[preserve][Step 3][Check tickets num][TripId: G{rng.randrange(1234, 1240)}]",
            (),
        )
    if roll < 0.75:
        return "INFO", f"[preserve][Step 4][Do Order][Order Id: {order}]", ()
    if roll < 0.9:
        return (
            "INFO",
            f"[preserve][Step 5][Buy Assurance][Order Id: {order}][Assurance Type: 1]",
            (),
        )
    if roll < 0.98:
        return "INFO", f"[preserve][Step 7][Send Email][Order Id: {order}]", ()
    return (
        "WARN",
        f"[preserve][Step 2][Check Security Fail][Reason: Too much order in last one hour][Account Id: {uuid(rng)}]",
        (),
    )


def security_line(rng: random.Random) -> Line:
    if rng.random() < 0.8:
        return (
            "INFO",
            f"[check][Check Security][CheckDateTime: 2025-11-04][AccountId: {uuid(rng)}][Orders in last hour: {rng.randrange(0, 4)}]",
            (),
        )
    return (
        "INFO",
        f"[findAllSecurityConfig][Find All Security Config][Size: {rng.randrange(2, 4)}]",
        (),
    )


def ports_in_use(rng: random.Random) -> Series:
    def value(index: int) -> float:
        minute = index * STEP / 60
        level = 240.0 if minute < 3 else min(28232.0, 240 + (minute - 3) * 905)
        return max(0.0, min(28232.0, level + rng.gauss(0, 25)))

    return value


def bundle() -> Bundle:
    rng = random.Random(142)
    zone = ZoneInfo("Europe/Madrid")
    preserve = LogFile(
        "ts-preserve-service.log",
        SpringBoot(
            ("preserve.service.PreserveServiceImpl", "preserve.controller.PreserveController"),
            pid=1,
            rng=rng,
            zone=zone,
        ),
    )
    preserve.add(traffic(rng, preserve_line, START, EXHAUSTED_MINUTE, 1390))
    preserve.add(
        [
            at(
                START,
                2.5,
                "INFO",
                "Starting PreserveApplication v1.0.3 using Java 17.0.9 with PID 1 (/app/ts-preserve-service-1.0.3.jar started by root in /app)",
                logger="preserve.PreserveApplication",
            ),
            at(
                START,
                2.8,
                "INFO",
                "Downstream calls use a new HttpComponentsClientHttpRequestFactory per request (pooling=false, connectTimeout=2000ms, readTimeout=5000ms)",
                logger="preserve.config.RestTemplateConfig",
            ),
            at(
                START,
                3.0,
                "INFO",
                "Started PreserveApplication in 17.482 seconds (process running for 18.9)",
                logger="preserve.PreserveApplication",
            ),
            at(
                START,
                EXHAUSTED_MINUTE,
                "ERROR",
                '[preserve][Step 1][Check Security Fail][I/O error on GET request for "http://ts-security-service:11188/api/v1/securityservice/securityConfigs/check/4d2a7e1c-90b3-4f6e-b1a2-6c5d3e8f9a01": Cannot assign requested address]',
                java_trace(
                    'org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://ts-security-service:11188/api/v1/securityservice/securityConfigs/check/4d2a7e1c-90b3-4f6e-b1a2-6c5d3e8f9a01": Cannot assign requested address',
                    [
                        "org.springframework.web.client.RestTemplate.createResourceAccessException(RestTemplate.java:905)",
                        "org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:885)",
                        "preserve.service.PreserveServiceImpl.checkSecurity(PreserveServiceImpl.java:214)",
                    ],
                    caused_by=[
                        "java.net.NoRouteToHostException: Cannot assign requested address",
                        "java.base/sun.nio.ch.Net.connect0(Native Method)",
                        "java.base/sun.nio.ch.Net.connect(Net.java:579)",
                        "org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:159)",
                    ],
                    more=61,
                ),
                logger="preserve.service.PreserveServiceImpl",
            ),
        ]
    )
    preserve.add(
        loud(
            rng,
            START,
            EXHAUSTED_MINUTE + 0.1,
            25,
            611,
            fixed(
                "ERROR",
                lambda r: (
                    lambda callee: (
                        f'[preserve][Call {callee[0]} failed][I/O error on {r.choice(["GET", "POST"])} request for "http://{callee[0]}:{callee[1]}{callee[2]}": Cannot assign requested address]'
                    )
                )(r.choice(CALLEES)),
            ),
        )
    )
    security = LogFile(
        "ts-security-service.log",
        SpringBoot(
            ("security.service.SecurityServiceImpl", "security.controller.SecurityController"),
            pid=1,
            rng=rng,
            zone=zone,
        ),
    )
    security.add(traffic(rng, security_line, START, 60, 1320))
    security.add(
        loud(
            rng,
            START,
            20,
            40,
            74,
            fixed(
                "WARN",
                lambda r: (
                    f"[check][Get order other info failed][ts-order-other-service responded in {r.randrange(1100, 2600)}ms]"
                ),
            ),
        )
    )
    ui = LogFile("ts-ui-dashboard-access.log", NginxAccess(rng, zone=zone))
    ui.add(
        traffic(
            rng,
            http_access(
                [
                    "/api/v1/travelservice/trips/left",
                    "/api/v1/preserveservice/preserve",
                    "/api/v1/orderservice/order/refresh",
                    "/index.html",
                    "/api/v1/users/login",
                ],
                upstream_ms=60,
            ),
            START,
            60,
            3100,
        )
    )
    ui.add(
        loud(
            rng,
            START,
            EXHAUSTED_MINUTE + 0.1,
            25,
            390,
            fixed(
                "INFO",
                lambda r: (
                    f'"POST /api/v1/preserveservice/preserve HTTP/1.1" 500 {r.randrange(180, 260)} "-" "python-requests/2.31" 0.0{r.randrange(10, 99)}'
                ),
            ),
        )
    )
    points = 3600 // STEP
    exhausted = EXHAUSTED_MINUTE * 60 // STEP
    preserve_series = service_metrics(rng, 21, 610, (120, 420), 0.4, 14)
    preserve_series["error_rate_percent"] = shift(rng, 0.4, 93, exhausted, 0.03)
    preserve_series["latency_p50_ms"] = shift(rng, 120, 12, exhausted, 0.2)
    preserve_series["memory_usage_mb"] = shift(rng, 610, 1180, 6, 0.01, ramp=60)
    preserve_series["tcp_sockets_in_use"] = ports_in_use(rng)
    security_series = service_metrics(rng, 9, 402, (8, 35), 0.0, 15)
    security_series["requests_per_s"] = shift(rng, 15, 0.3, exhausted, 0.2)
    security_series["latency_p99_ms"] = shift(rng, 35, 2100, 20 * 60 // STEP, 0.2, ramp=4)
    security_series["tcp_sockets_in_use"] = shift(rng, 120, 120, 0, 0.05)
    order_series = service_metrics(rng, 16, 530, (11, 60), 0.1, 40)
    order_series["requests_per_s"] = shift(rng, 40, 26, exhausted, 0.06)
    order_series["tcp_sockets_in_use"] = shift(rng, 180, 180, 0, 0.05)
    contacts_series = service_metrics(rng, 6, 380, (5, 21), 0.0, 15)
    contacts_series["requests_per_s"] = shift(rng, 15, 0.3, exhausted, 0.2)
    contacts_series["tcp_sockets_in_use"] = shift(rng, 90, 90, 0, 0.05)
    travel_series = service_metrics(rng, 23, 600, (60, 240), 0.3, 22)
    travel_series["tcp_sockets_in_use"] = shift(rng, 260, 260, 0, 0.05)
    return Bundle(
        question="Booking tickets fails with 500 since 12:34 CET; the preserve logs blame ts-security-service and others. Which service is the root cause?",
        category="network",
        component="ts-preserve-service",
        statement="ts-preserve-service 1.0.3 creates a new, never-closed HTTP client for each downstream call, so its leaked sockets used up all ephemeral ports by 11:34 UTC and every outgoing connect fails with Cannot assign requested address.",
        files={
            "ts-preserve-service.log": preserve.render(),
            "ts-security-service.log": security.render(),
            "ts-ui-dashboard-access.log": ui.render(),
            "metrics/ts-preserve-service.csv": csv_text(
                START, STEP, points, preserve_series, decimals=1
            ),
            "metrics/ts-security-service.csv": csv_text(
                START, STEP, points, security_series, decimals=1
            ),
            "metrics/ts-order-service.csv": csv_text(START, STEP, points, order_series, decimals=1),
            "metrics/ts-contacts-service.csv": csv_text(
                START, STEP, points, contacts_series, decimals=1
            ),
            "metrics/ts-travel-service.csv": csv_text(
                START, STEP, points, travel_series, decimals=1
            ),
        },
        proofs=[
            Proof("ts-preserve-service.log", "per request (pooling=false"),
            Proof(
                "ts-preserve-service.log",
                'securityConfigs/check/4d2a7e1c-90b3-4f6e-b1a2-6c5d3e8f9a01": Cannot assign requested address]',
                "java.net.NoRouteToHostException",
            ),
            Proof("metrics/ts-preserve-service.csv", "2025-11-04T11:34:00Z"),
        ],
        decoys=[
            "Check Security Fail",
            "Get order other info failed",
            '"POST /api/v1/preserveservice/preserve HTTP/1.1" 500',
        ],
    )
