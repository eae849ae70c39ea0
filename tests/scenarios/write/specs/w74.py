# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""profile-api 3.0.0 (Spring Boot 3) serves its health under /actuator/health/* while the chart
still points the liveness probe at /healthz; every probe gets 404, the kubelet restarts each
container about once a minute, and the ALB logs 502s for requests cut off by the restarts."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Record, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 3, 19, 8, 0, tzinfo=UTC)
SYDNEY = ZoneInfo("Australia/Sydney")
RELEASE_MINUTE = 18.0
NODES = [
    "ip-10-40-11-23.ap-southeast-2.compute.internal",
    "ip-10-40-12-187.ap-southeast-2.compute.internal",
    "ip-10-40-13-66.ap-southeast-2.compute.internal",
]
POD = "profile-api-7f6b9c5d48-rx2vh"


@dataclass
class AlbAccess:
    """AWS Application Load Balancer access-log entries; the message holds the fields after the time."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z"
        kind, rest = record.message.split(" ", 1)
        return [f"{kind} {stamp} {rest}"]


def alb_line(rng: random.Random, status: str = "200", target: str | None = None) -> str:
    path = rng.choice(
        [
            f"/v2/profiles/{rng.randrange(10**7)}",
            "/v2/profiles/me",
            f"/v2/profiles/{rng.randrange(10**7)}/preferences",
            "/v2/avatars/upload-url",
        ]
    )
    client = f"{rng.randrange(1, 223)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}:{rng.randrange(1024, 65535)}"
    target = target or f"10.40.1{rng.randrange(1, 4)}.{rng.randrange(2, 250)}:8080"
    timing = f"0.000 {rng.randrange(3, 120) / 1000:.3f} 0.000" if status == "200" else "0.000 -1 -1"
    target_status = status if status == "200" else "-"
    return f'h2 app/edge-prod/8c1e4a7b2d9f3e60 {client} {target} {timing} {status} {target_status} {rng.randrange(200, 900)} {rng.randrange(100, 4000) if status == "200" else 272} "GET https://api.example.com.au:443{path} HTTP/2.0" "{rng.choice(["ExampleApp/7.3.1 (iOS 17.4)", "ExampleApp/7.3.0 (Android 14)", "Mozilla/5.0"])}" TLS_AES_128_GCM_SHA256 TLSv1.3 arn:aws:elasticloadbalancing:ap-southeast-2:112233445566:targetgroup/k8s-profile-api/5f0c9e2b7a1d3c48 "Root=1-{rng.getrandbits(32):08x}-{rng.getrandbits(96):024x}" "api.example.com.au" "session-reused" 0 "forward" "-" "-" "{target}" "{target_status}" "-" "-"'


def profile_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"Profile {rng.randrange(10**7)} loaded in {rng.randrange(2, 40)} ms (cache {rng.choice(['hit', 'hit', 'miss'])})",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"Preferences updated for profile {rng.randrange(10**7)}: {rng.choice(['locale', 'marketing_opt_in', 'timezone', 'theme'])}",
            (),
        )
    return (
        "DEBUG",
        f"Avatar upload URL signed for profile {rng.randrange(10**7)} (expires in 900s)",
        (),
    )


def restart(start: datetime, minute: float, number: int) -> list[Record]:
    return [
        at(
            start,
            minute,
            "INFO",
            "Commencing graceful shutdown. Waiting for active requests to complete",
            logger="o.s.b.w.e.tomcat.GracefulShutdown",
        ),
        at(
            start,
            minute + 0.02,
            "INFO",
            "HikariPool-1 - Shutdown initiated...",
            logger="com.zaxxer.hikari.HikariDataSource",
        ),
        at(
            start,
            minute + 0.08,
            "INFO",
            "Starting ProfileApplication v3.0.0 using Java 21.0.2 with PID 1",
            logger="c.e.profile.ProfileApplication",
        ),
        at(
            start,
            minute + 0.4,
            "INFO",
            f"Started ProfileApplication in 19.{number % 10}41 seconds (process running for 20.{number % 10}03)",
            logger="c.e.profile.ProfileApplication",
        ),
    ]


def pods(rng: random.Random) -> str:
    rows = [
        (POD, "1/1", "Running", "31 (52s ago)", "33m"),
        ("profile-api-7f6b9c5d48-9wq4n", "0/1", "Running", "30 (14s ago)", "33m"),
        ("profile-api-7f6b9c5d48-kt7mj", "1/1", "Running", "31 (38s ago)", "32m"),
    ]
    for app in ["accounts-api", "accounts-api", "notifications", "feed-api", "feed-api"]:
        rows.append(
            (
                f"{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}",
                "1/1",
                "Running",
                "0",
                f"{rng.randrange(2, 20)}d",
            )
        )
    rows.sort()
    return "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE"), rows)) + "\n"


def bundle() -> Bundle:
    rng = random.Random(174)
    container = Container(
        name="profile-api",
        image="112233445566.dkr.ecr.ap-southeast-2.amazonaws.com/profile-api:3.0.0",
        state=["Running", "  Started:      Wed, 19 Mar 2025 08:50:41 +0000"],
        last_state=[
            "Terminated",
            "  Reason:       Error",
            "  Exit Code:    143",
            "  Started:      Wed, 19 Mar 2025 08:49:32 +0000",
            "  Finished:     Wed, 19 Mar 2025 08:50:40 +0000",
        ],
        ready=True,
        restarts=31,
        limits={"cpu": "2", "memory": "2Gi"},
        requests={"cpu": "500m", "memory": "1536Mi"},
        probes=[
            "Liveness:       http-get http://:8080/healthz delay=30s timeout=2s period=10s #success=1 #failure=3",
            "Readiness:      http-get http://:8080/actuator/health/readiness delay=20s timeout=2s period=5s #success=1 #failure=3",
        ],
        environment=[
            "SPRING_PROFILES_ACTIVE:  prod",
            "JAVA_TOOL_OPTIONS:       -XX:MaxRAMPercentage=75",
        ],
    )
    pod = Pod(
        name=POD,
        namespace="identity",
        node=NODES[0],
        app="profile-api",
        containers=[container],
        start_time="Wed, 19 Mar 2025 08:18:09 +0000",
        ip="10.40.11.142",
        events=[
            (
                "Normal",
                "Pulled",
                "33m",
                "kubelet",
                'Successfully pulled image "112233445566.dkr.ecr.ap-southeast-2.amazonaws.com/profile-api:3.0.0" in 4.112s (4.112s including waiting)',
            ),
            (
                "Warning",
                "Unhealthy",
                "3m (x62 over 32m)",
                "kubelet",
                'Readiness probe failed: Get "http://10.40.11.142:8080/actuator/health/readiness": dial tcp 10.40.11.142:8080: connect: connection refused',
            ),
            (
                "Warning",
                "Unhealthy",
                "52s (x93 over 32m)",
                "kubelet",
                "Liveness probe failed: HTTP probe failed with statuscode: 404",
            ),
            (
                "Normal",
                "Killing",
                "52s (x31 over 32m)",
                "kubelet",
                "Container profile-api failed liveness probe, will be restarted",
            ),
            (
                "Warning",
                "BackOff",
                "9m (x4 over 21m)",
                "kubelet",
                f"Back-off restarting failed container profile-api in pod {POD}_identity(8e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b)",
            ),
        ],
    )
    app = LogFile(
        "profile-api.log",
        SpringBoot(
            ("c.e.profile.web.ProfileController", "c.e.profile.service.ProfileService"),
            rng=rng,
            zone=SYDNEY,
        ),
    )
    app.add(traffic(rng, profile_line, START, 51, 3100))
    minute = RELEASE_MINUTE + 0.6
    number = 0
    while minute < 50.5:
        app.add(
            [
                at(
                    START,
                    minute + offset,
                    "WARN",
                    "No mapping for GET /healthz",
                    logger="o.s.web.servlet.PageNotFound",
                )
                for offset in (0.5, 0.67, 0.83)
            ]
        )
        number += 1
        app.add(restart(START, minute + 0.84, number))
        minute += 1.05 + rng.random() * 0.05
    app.add(
        loud(
            rng,
            START,
            RELEASE_MINUTE + 1,
            32,
            85,
            fixed(
                "WARN",
                lambda r: (
                    f"HikariPool-1 - Connection is not available, request timed out after {r.randrange(30000, 30100)}ms (total=10, active=0, idle=0, waiting={r.randrange(0, 4)})"
                ),
            ),
        )
    )
    edge = LogFile("edge-alb-access.log", AlbAccess())
    edge.add(traffic(rng, lambda r: ("INFO", alb_line(r), ()), START, 51, 3600))
    edge.add(
        loud(
            rng, START, RELEASE_MINUTE + 0.8, 32, 470, fixed("ERROR", lambda r: alb_line(r, "502"))
        )
    )
    edge.add(
        loud(
            rng,
            START,
            RELEASE_MINUTE + 1.0,
            31,
            120,
            fixed("ERROR", lambda r: alb_line(r, "503", "-")),
        )
    )
    routine = routine_events(
        rng, ["accounts-api", "notifications", "feed-api"], 300, NODES, namespace="identity"
    )
    signal = [
        (
            1990,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/profile-api",
                "Scaled up replica set profile-api-7f6b9c5d48 to 3 from 0",
            ),
        ),
        (
            1985,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/profile-api",
                "Scaled down replica set profile-api-59c8d7b6f4 to 0 from 3",
            ),
        ),
        (
            52,
            (
                "Warning",
                "Unhealthy",
                f"pod/{POD}",
                "Liveness probe failed: HTTP probe failed with statuscode: 404",
            ),
        ),
        (
            52,
            (
                "Normal",
                "Killing",
                f"pod/{POD}",
                "Container profile-api failed liveness probe, will be restarted",
            ),
        ),
        (
            14,
            (
                "Warning",
                "Unhealthy",
                "pod/profile-api-7f6b9c5d48-9wq4n",
                'Readiness probe failed: Get "http://10.40.12.31:8080/actuator/health/readiness": dial tcp 10.40.12.31:8080: connect: connection refused',
            ),
        ),
        (
            700,
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/feed-api",
                "failed to get memory utilization: missing request for memory in container feed-api of Pod feed-api-6d5c4b3a29-zz8rq",
            ),
        ),
    ]
    return Bundle(
        question="Since this morning's profile-api 3.0.0 release (19:18 AEDT) the mobile apps see intermittent 502/503 from api.example.com.au. Why?",
        category="scheduling",
        component="profile-api",
        statement="profile-api 3.0.0 answers health checks only under /actuator/health, but its liveness probe still GETs /healthz, which returns 404, so the kubelet kills every container about once a minute (31 restarts, exit 143) and the ALB returns 502/503 while pods restart.",
        files={
            "get-pods.txt": pods(rng),
            "describe-pod.txt": describe_pod(pod, rng),
            "events.txt": event_listing(routine, signal),
            "profile-api.log": app.render(),
            "edge-alb-access.log": edge.render(),
        },
        proofs=[
            Proof("describe-pod.txt", "Liveness:       http-get http://:8080/healthz"),
            Proof(
                "describe-pod.txt",
                "Liveness probe failed: HTTP probe failed with statuscode: 404",
                "Container profile-api failed liveness probe, will be restarted",
            ),
        ],
        decoys=["HikariPool-1 - Connection is not available", "Readiness probe failed", " 502 - "],
    )
