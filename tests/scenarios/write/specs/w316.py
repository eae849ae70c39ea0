# ruff: noqa: E501
# nginx lines, command output and hand-written log lines are data, kept whole on one line.
"""Clock skew on one host: a config-management run three weeks ago pointed api-07's chrony at
ntp.corp.internal, which that subnet cannot reach; chronyd has had no selectable source since and
the VM's clock has drifted about 76 s behind. Tokens minted by the auth service carry an `iat` that
api-07 sees as in the future for their first minute or so and it rejects them (401), so freshly
logged-in users get bounced back to login whenever nginx routes them to api-07. Decoys: an
upstream timeout to api-02, a /var/log usage warning on api-07, a Redis reconnect on api-03."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, NginxError, PythonLogging, Syslog3164
from scenes import at, fixed, loud
from traffic import Line, host_traffic, traffic, web_api

START = datetime(2026, 10, 19, 12, 0, tzinfo=UTC)
NOW = datetime(2026, 10, 19, 14, 10, tzinfo=UTC)
UPSTREAMS = {f"api-0{n}": f"10.20.1.{10 + n}" for n in range(1, 9)}
SKEWED = "10.20.1.17"


def access(rng: random.Random) -> Line:
    host = rng.choice(list(UPSTREAMS.values()))
    path = rng.choice(
        [
            "/api/v3/me",
            "/api/v3/projects",
            "/api/v3/projects/{id}/tasks",
            "/api/v3/notifications",
            "/api/v3/search?q=x",
        ]
    ).replace("{id}", str(rng.randrange(10**5)))
    status = rng.choices([200, 204, 304, 404], [80, 6, 10, 4])[0]
    t = rng.randrange(5, 160) / 1000
    return (
        "INFO",
        f'"GET {path} HTTP/1.1" {status} {rng.randrange(100, 9000)} "https://app.taskforge.example/" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6)" rt={t:.3f} uct=0.001 urt={t:.3f} upstream={host}:8000',
        (),
    )


def rejected(rng: random.Random) -> Line:
    t = rng.randrange(2, 9) / 1000
    path = rng.choice(["/api/v3/me", "/api/v3/projects", "/api/v3/notifications"])
    return (
        "INFO",
        f'"GET {path} HTTP/1.1" 401 61 "https://app.taskforge.example/login/callback" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" rt={t:.3f} uct=0.000 urt={t:.3f} upstream={SKEWED}:8000',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(31610)
    total = (NOW - START).total_seconds() / 60
    lb = LogFile("lb-01/nginx-access.log", NginxAccess(rng=rng))
    lb.add(traffic(rng, access, START, total, 7000))
    lb.add(traffic(rng, rejected, START, total, 260))
    lberr = LogFile("lb-01/nginx-error.log", NginxError(rng=rng))
    lberr.add(
        [
            at(
                START,
                47.2,
                "ERROR",
                'upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.8.4.31, server: app.taskforge.example, request: "GET /api/v3/search?q=roadmap HTTP/1.1", upstream: "http://10.20.1.12:8000/api/v3/search?q=roadmap", host: "app.taskforge.example"',
            )
        ]
    )
    app7 = LogFile(
        "api-07/app.log",
        PythonLogging(("taskforge.api", "taskforge.auth", "gunicorn.access"), rng=rng),
    )
    app7.add(
        traffic(
            rng,
            web_api("taskforge-api", ["projects", "tasks", "notifications"]),
            START,
            total,
            2600,
        )
    )
    app7.add(
        loud(
            rng,
            START,
            0.5,
            total - 1,
            255,
            fixed(
                "WARN",
                lambda r: (
                    f"auth: rejecting bearer token for user {r.randrange(10**6)}: jwt.exceptions.ImmatureSignatureError: The token is not yet valid (iat)"
                ),
            ),
        )
    )
    app7.add(
        [
            at(
                START,
                3.1,
                "WARN",
                "auth: token iat=1792411386 is 76s ahead of local clock (leeway 10s); rejecting",
            )
        ]
    )
    app3 = LogFile(
        "api-03/app.log",
        PythonLogging(("taskforge.api", "taskforge.auth", "gunicorn.access"), rng=rng),
    )
    app3.add(
        traffic(
            rng,
            web_api("taskforge-api", ["projects", "tasks", "notifications"]),
            START,
            total,
            2600,
        )
    )
    app3.add(
        [
            at(
                START,
                88.4,
                "WARN",
                "redis: Error 104 connecting to cache-01:6379. Connection reset by peer. Reconnected on retry 1",
            )
        ]
    )
    sys7 = LogFile("api-07/syslog", Syslog3164("api-07", "chronyd", 811))
    sys7.add(host_traffic(rng, START, total, 800))
    for minute in range(7, int(total), 30):
        sys7.add(
            [
                at(
                    START,
                    minute + 0.2,
                    "INFO",
                    "Can't synchronise: no selectable sources (1 unreachable)",
                    logger="chronyd[811]",
                )
            ]
        )
    sys7.add(
        [
            at(
                START,
                64.0,
                "WARN",
                "disk-watch: /var/log usage 81% (threshold 80%)",
                logger="disk-watch[3320]",
            )
        ]
    )
    for log in (app7, sys7):
        log.records = [
            replace(record, time=record.time - timedelta(seconds=76)) for record in log.records
        ]
    commands = "\n".join(
        [
            "$ for h in api-06 api-07 api-08; do ssh $h 'hostname; date -u +%T.%N'; done",
            "api-06",
            "14:08:31.402118350",
            "api-07",
            "14:07:15.870093122",
            "api-08",
            "14:08:31.977624810",
            "",
            "$ ssh api-07 chronyc tracking",
            "Reference ID    : 00000000 ()",
            "Stratum         : 0",
            "Ref time (UTC)  : Mon Sep 28 09:14:03 2026",
            "System time     : 0.000000000 seconds fast of NTP time",
            "Last offset     : +0.000000000 seconds",
            "RMS offset      : 0.000000000 seconds",
            "Frequency       : 41.207 ppm slow",
            "Residual freq   : +0.000 ppm",
            "Skew            : 0.000 ppm",
            "Root delay      : 1.000000000 seconds",
            "Root dispersion : 1.000000000 seconds",
            "Update interval : 0.0 seconds",
            "Leap status     : Not synchronised",
            "",
            "$ ssh api-07 chronyc sources",
            "MS Name/IP address         Stratum Poll Reach LastRx Last sample",
            "===============================================================================",
            "^? ntp.corp.internal             0  10     0     -     +0ns[   +0ns] +/-    0ns",
            "",
            "$ ssh api-07 grep -v '^#' /etc/chrony/chrony.conf",
            "server ntp.corp.internal iburst   # managed by ansible role base-ntp v2.4",
            "driftfile /var/lib/chrony/chrony.drift",
            "makestep 1.0 3",
            "rtcsync",
            "",
            "$ ssh api-06 chronyc sources",
            "MS Name/IP address         Stratum Poll Reach LastRx Last sample",
            "===============================================================================",
            "^* 169.254.169.123               3   4   377    11   -18us[  -21us] +/-  412us",
            "",
        ]
    )
    return Bundle(
        question="Since this morning some users are bounced back to the login page right after signing in; retrying a minute later usually works. What is causing it?",
        category="clock",
        component="api-07",
        statement="api-07's chrony points at ntp.corp.internal, which it cannot reach, so its clock has drifted about 76 s behind; it rejects freshly issued JWTs as not yet valid (iat in the future), so users routed to api-07 right after login get 401s.",
        files={
            "lb-01/nginx-access.log": lb.render(),
            "lb-01/nginx-error.log": lberr.render(),
            "api-07/app.log": app7.render(),
            "api-03/app.log": app3.render(),
            "api-07/syslog": sys7.render(),
            "host-commands.txt": commands,
        },
        proofs=[
            Proof("host-commands.txt", "14:07:15.870093122"),
            Proof("host-commands.txt", "^? ntp.corp.internal"),
            Proof("host-commands.txt", "Leap status     : Not synchronised"),
            Proof("api-07/app.log", "is 76s ahead of local clock"),
        ],
        decoys=[
            "upstream timed out (110: Connection timed out)",
            "disk-watch: /var/log usage 81%",
            "Error 104 connecting to cache-01:6379",
        ],
    )
