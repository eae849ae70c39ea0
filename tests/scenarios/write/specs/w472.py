# ruff: noqa: E501
# Log lines, kubectl rows and Patroni lines are data, kept whole on one line.
"""Kubernetes: booking-api's liveness probe points at `/actuator/health`, whose group includes
the database check. A planned Patroni switchover of bookings-pg at 19:02 JST takes 38 s; in
that window every booking-api pod fails three liveness probes and the kubelet restarts all
eight at once. The JVMs need ~2 minutes to start and warm up, so a 38 s database blip
becomes a 6-minute outage of booking-api (gateway 503s). Decoys: the switchover itself
(planned, finished at 19:02:41), a slow query warning on bookings-pg, and a Redis sentinel
notice."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import JsonLines, SpringBoot
from scenes import at, loud
from traffic import traffic, web_api

JST = timezone(timedelta(hours=9))
START = datetime(2026, 7, 7, 9, 20, tzinfo=UTC)  # 18:20 JST
NOW = datetime(2026, 7, 7, 10, 30, tzinfo=UTC)
SWITCH = 42.0  # 10:02 UTC, 19:02 JST


class Patroni:
    """Patroni's default `%(asctime)s %(levelname)s: %(message)s` log lines."""

    def render(self, record):
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        level = {"WARN": "WARNING"}.get(record.level, record.level)
        return [f"{stamp} {level}: {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(47206)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    pg = LogFile("logs/bookings-pg-1-patroni.log", Patroni())
    for minute in range(0, int(total), 1):
        if not SWITCH - 1 <= minute <= SWITCH + 1:
            role = (
                "the leader with the lock"
                if minute < SWITCH
                else "a secondary, and following a leader (bookings-pg-0)"
            )
            pg.add([at(START, minute + 0.05, "INFO", f"no action. I am (bookings-pg-1), {role}")])
    pg.add(
        [
            at(
                START,
                SWITCH - 0.05,
                "INFO",
                "received switchover request with leader=bookings-pg-1 candidate=bookings-pg-0 scheduled_at=None",
            ),
            at(
                START,
                SWITCH,
                "INFO",
                'Got response from bookings-pg-0 http://10.12.3.40:8008/patroni: {"state": "running", "role": "replica", "xlog": {"received_location": 91277348184}}',
            ),
            at(START, SWITCH + 0.02, "INFO", "manual failover: demoting myself"),
            at(START, SWITCH + 0.3, "INFO", "Demoting self (graceful)"),
            at(START, SWITCH + 0.65, "INFO", "Lock owner: bookings-pg-0; I am bookings-pg-1"),
            at(
                START, SWITCH + 0.67, "INFO", "switchover finished, new leader bookings-pg-0 (38 s)"
            ),
            at(
                START,
                17.0,
                "WARN",
                "postgres: duration: 2874.112 ms  statement: SELECT count(*) FROM reservations WHERE created_at > now() - interval '30 days'",
            ),
        ]
    )

    app = LogFile(
        "logs/booking-api.log",
        SpringBoot(
            (
                "j.t.booking.api.ReservationController",
                "o.s.b.a.health.HealthEndpointSupport",
                "com.zaxxer.hikari.pool.HikariPool",
            ),
            rng=rng,
            zone=JST,
        ),
    )
    app.add(traffic(rng, web_api("booking-api", ["reservations", "rooms"]), START, SWITCH, 2300))
    app.add(
        traffic(
            rng,
            web_api("booking-api", ["reservations", "rooms"]),
            START + timedelta(minutes=SWITCH + 6.2),
            total - SWITCH - 6.2,
            1800,
        )
    )
    app.add(
        loud(
            rng,
            START,
            SWITCH + 0.05,
            0.55,
            24,
            lambda r: (
                "WARN",
                f"Health contributor db (DataSourceHealthIndicator) is DOWN: HikariPool-1 - Connection is not available, request timed out after {r.choice([2000, 2001, 2003])}ms",
                (),
            ),
        )
    )
    app.add(
        [
            at(
                START,
                SWITCH + 0.02,
                "WARN",
                "Health contributor db (DataSourceHealthIndicator) is DOWN: HikariPool-1 - Connection is not available, request timed out after 2004ms",
                logger="o.s.b.a.health.HealthEndpointSupport",
            )
        ]
    )
    app.add(
        [
            at(
                START,
                SWITCH + 0.7 + i * 0.013,
                "INFO",
                "Commencing graceful shutdown. Waiting for active requests to complete",
                logger="o.s.b.w.e.tomcat.GracefulShutdown",
            )
            for i in range(8)
        ]
    )
    app.add(
        [
            at(
                START,
                SWITCH + 0.9 + i * 0.011,
                "INFO",
                "Starting BookingApiApplication v4.8.2 using Java 21.0.3 with PID 1",
                logger="j.t.booking.BookingApiApplication",
            )
            for i in range(8)
        ]
    )
    app.add(
        [
            at(
                START,
                SWITCH + 5.8 + i * 0.03,
                "INFO",
                f"Started BookingApiApplication in {rng.uniform(118, 131):.3f} seconds (process running for {rng.uniform(121, 134):.3f})",
                logger="j.t.booking.BookingApiApplication",
            )
            for i in range(8)
        ]
    )
    app.add(
        [
            at(
                START,
                26.0,
                "INFO",
                "Redis sentinel: +switch-master cache 10.12.5.8 6379 10.12.5.9 6379",
                logger="i.l.core.RedisClient",
            )
        ]
    )

    gw = LogFile(
        "logs/gateway.log",
        JsonLines("gateway", keys=("@timestamp", "level", "message"), rng=rng, zone=JST),
    )
    gw.add(traffic(rng, web_api("gateway", ["bookings", "search"]), START, total, 3000))
    gw.add(
        loud(
            rng,
            START,
            SWITCH + 0.8,
            5.3,
            700,
            lambda r: (
                "ERROR",
                f"upstream booking-api.booking.svc:8080 returned 503 no healthy upstream for POST /bookings/{r.randrange(10**6)}",
                (),
            ),
        )
    )

    pod = Pod(
        name="booking-api-84f6d9c7b5-q7lzx",
        namespace="booking",
        node="ip-10-12-4-77.ap-northeast-1.compute.internal",
        app="booking-api",
        ip="10.12.4.119",
        start_time="Mon, 06 Jul 2026 11:40:02 +0900",
        containers=[
            Container(
                name="booking-api",
                image="7788.dkr.ecr.ap-northeast-1.amazonaws.com/booking-api:4.8.2",
                state=["Running", "  Started:      Tue, 07 Jul 2026 19:02:56 +0900"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    143",
                    "  Started:      Mon, 06 Jul 2026 11:40:09 +0900",
                    "  Finished:     Tue, 07 Jul 2026 19:02:53 +0900",
                ],
                restarts=1,
                limits={"memory": "3Gi"},
                requests={"cpu": "1", "memory": "3Gi"},
                probes=[
                    "Liveness:       http-get http://:8080/actuator/health delay=0s timeout=2s period=10s #success=1 #failure=3",
                    "Readiness:      http-get http://:8080/actuator/health/readiness delay=0s timeout=2s period=5s #success=1 #failure=3",
                    "Startup:        http-get http://:8080/actuator/health/liveness delay=20s timeout=2s period=5s #success=1 #failure=40",
                ],
                environment=[
                    "SPRING_DATASOURCE_URL:  jdbc:postgresql://bookings-pg.booking.svc:5432/bookings",
                    "MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE:  readinessState,db",
                ],
            )
        ],
        events=[
            (
                "Warning",
                "Unhealthy",
                "27m (x3 over 27m)",
                "kubelet",
                "Liveness probe failed: HTTP probe failed with statuscode: 503",
            ),
            (
                "Normal",
                "Killing",
                "27m",
                "kubelet",
                "Container booking-api failed liveness probe, will be restarted",
            ),
            (
                "Warning",
                "Unhealthy",
                "25m (x24 over 27m)",
                "kubelet",
                'Startup probe failed: Get "http://10.12.4.119:8080/actuator/health/liveness": dial tcp 10.12.4.119:8080: connect: connection refused',
            ),
        ],
    )
    routine = routine_events(
        rng,
        ["booking-api", "gateway", "search"],
        14,
        [
            "ip-10-12-4-77.ap-northeast-1.compute.internal",
            "ip-10-12-6-21.ap-northeast-1.compute.internal",
        ],
        namespace="booking",
    )
    names = ["q7lzx", "2mw8t", "c9vfn", "h5kqr", "tt4bz", "x8d2p", "l6rjw", "p3nsm"]
    signal = [
        (
            ago(SWITCH + 0.6),
            (
                "Normal",
                "Killing",
                f"pod/booking-api-84f6d9c7b5-{name}",
                "Container booking-api failed liveness probe, will be restarted",
            ),
        )
        for name in names
    ]
    signal += [
        (
            ago(SWITCH + 0.5),
            (
                "Warning",
                "Unhealthy",
                f"pod/booking-api-84f6d9c7b5-{name}",
                "Liveness probe failed: HTTP probe failed with statuscode: 503",
            ),
        )
        for name in names
    ]
    events = event_listing(routine, signal)
    return Bundle(
        question="The planned bookings-pg switchover at 19:02 JST took under a minute, but booking-api was down until about 19:08. Why was the outage so long?",
        category="scheduling",
        component="booking-api",
        statement="booking-api's liveness probe uses /actuator/health, which includes the database check; during the 38 s switchover every pod failed three liveness probes and the kubelet restarted all eight at once, and their two-minute JVM start-up turned the blip into a six-minute outage.",
        files={
            "kubectl-describe-pod.txt": describe_pod(pod, rng),
            "kubectl-get-events.txt": events,
            pg.name: pg.render(),
            app.name: app.render(),
            gw.name: gw.render(),
        },
        proofs=[
            Proof(
                "kubectl-describe-pod.txt",
                "Liveness:       http-get http://:8080/actuator/health delay=0s",
            ),
            Proof(
                "kubectl-describe-pod.txt",
                "Container booking-api failed liveness probe, will be restarted",
            ),
            Proof(
                app.name,
                "Health contributor db (DataSourceHealthIndicator) is DOWN: HikariPool-1 - Connection is not available, request timed out after 2004ms",
            ),
        ],
        decoys=[
            "switchover finished, new leader bookings-pg-0",
            "duration: 2874.112 ms",
            "+switch-master cache",
        ],
    )
