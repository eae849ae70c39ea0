# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""The sessions Redis reaches maxmemory with noeviction; writes fail, logins bounce, metrics show the order."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import JsonLines, NginxAccess, Pino
from scenes import at, fixed, loud
from traffic import http_access, traffic, web_api

START = datetime(2025, 12, 1, 8, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(135)
    sessions = LogFile("session-service.log", Pino("session-service-0", rng))
    sessions.add(traffic(rng, web_api("session-service", ["sessions"]), START, 60, 583))
    sessions.add(
        [
            at(
                START,
                22.0,
                "ERROR",
                "ReplyError: OOM command not allowed when used memory > 'maxmemory'. (command SET sess:9f2c41d07ab3, redis sessions-cache:6379)",
            )
        ]
    )
    sessions.add(
        loud(
            rng,
            START,
            22.1,
            38,
            146,
            fixed(
                "ERROR",
                lambda r: f"failed to persist session {r.getrandbits(48):012x}: ReplyError (SET)",
            ),
        )
    )
    web = LogFile("web.log", JsonLines("web", ("ts", "level", "msg"), rng=rng))
    web.add(traffic(rng, web_api("web", ["pages", "account"]), START, 60, 465))
    web.add(
        loud(
            rng,
            START,
            24,
            36,
            203,
            fixed(
                "WARN",
                lambda r: (
                    f"user {r.randrange(10**6)} redirected to /login: session cookie present but session not found"
                ),
            ),
        )
    )
    access = LogFile("edge-access.log", NginxAccess(rng))
    access.add(
        traffic(rng, http_access(["/account", "/", "/api/v1/cart/{id}", "/login"]), START, 60, 408)
    )
    access.add(
        loud(
            rng,
            START,
            24,
            36,
            146,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /account HTTP/1.1" 302 0 "-" "Mozilla/5.0 (X11; Linux x86_64)" 0.00{r.randrange(1, 9)}'
                ),
            ),
        )
    )
    step = 60
    at_index = 22
    series = {
        "redis_used_memory_bytes": shift(rng, 3.1e9, 4.29e9, 2, 0.003, ramp=20),
        "redis_maxmemory_bytes": shift(rng, 4.29e9, 4.29e9, 0, 0.0),
        "redis_rejected_writes_per_s": shift(rng, 0, 41, at_index, 0.1),
        "web_login_redirects_per_s": shift(rng, 0.4, 19, at_index + 2, 0.1, ramp=2),
        "edge_p99_latency_ms": shift(rng, 120, 135, at_index + 2, 0.05),
    }
    return Bundle(
        question="Since about 08:24 users get logged out right after signing in. What is causing it?",
        category="memory",
        component="sessions-cache",
        statement="The sessions-cache Redis reached maxmemory with the noeviction policy, so it refuses writes (OOM command not allowed) and new sessions are never stored.",
        files={
            "session-service.log": sessions.render(),
            "web.log": web.render(),
            "edge-access.log": access.render(),
            "metrics.csv": csv_text(START, step, 60, series, decimals=0),
        },
        proofs=[
            Proof("session-service.log", "OOM command not allowed when used memory > 'maxmemory'")
        ],
        decoys=["redirected to /login", '"GET /account HTTP/1.1" 302'],
    )
