# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""PostgreSQL is shut down by a maintenance script; three services flood with connection errors."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Logfmt, Postgres, PythonLogging
from scenes import at, fixed, loud
from traffic import database_server, traffic, web_api, worker

START = datetime(2024, 3, 3, 2, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(113)
    postgres = LogFile("postgresql.log", Postgres(rng))
    postgres.add(traffic(rng, database_server(), START, 15, 323))
    postgres.add(
        [
            at(START, 15.0, "INFO", "received fast shutdown request"),
            at(START, 15.01, "INFO", "aborting any active transactions"),
            at(
                START,
                15.05,
                "INFO",
                'background worker "logical replication launcher" (PID 812) exited with exit code 1',
            ),
            at(START, 15.2, "INFO", "shutting down"),
            at(START, 15.4, "INFO", "database system is shut down"),
        ]
    )
    api = LogFile("api.log", JsonLines("api", ("ts", "level", "msg"), rng=rng))
    api.add(traffic(rng, web_api("api", ["accounts", "orders"]), START, 45, 454))
    api.add(
        loud(
            rng,
            START,
            15.3,
            30,
            259,
            fixed(
                "ERROR",
                lambda r: (
                    f'psycopg.OperationalError: connection failed: connection to server at "10.0.2.15", port 5432 failed: Connection refused (request {r.getrandbits(40):010x})'
                ),
            ),
        )
    )
    jobs = LogFile(
        "jobs.log", PythonLogging(("jobs.scheduler", "jobs.billing", "celery.worker"), rng)
    )
    jobs.add(traffic(rng, worker("jobs", ["billing", "emails"]), START, 45, 388))
    jobs.add(
        loud(
            rng,
            START,
            15.5,
            29,
            129,
            fixed(
                "ERROR",
                lambda r: (
                    f"Task jobs.billing.invoice[{r.getrandbits(64):016x}] raised unexpected: OperationalError('server closed the connection unexpectedly')"
                ),
            ),
        )
    )
    web = LogFile("web.log", Logfmt("web", rng))
    web.add(traffic(rng, web_api("web", ["pages"]), START, 45, 323))
    web.add(
        loud(
            rng,
            START,
            15.6,
            29,
            129,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /account 500 upstream api error: 500 Internal Server Error ({r.randrange(3, 40)}ms)"
                ),
            ),
        )
    )
    web.add([at(START, 25.0, "WARN", "redis latency spike 180ms on GET session (threshold 100ms)")])
    return Bundle(
        question="Everything is down since 02:15 — api, jobs and the web front all error. Where do we start?",
        category="dependency",
        component="postgresql",
        statement="The PostgreSQL server was shut down (fast shutdown request at 02:15), so every service that uses it fails to connect.",
        files={
            "postgresql.log": postgres.render(),
            "api.log": api.render(),
            "jobs.log": jobs.render(),
            "web.log": web.render(),
        },
        proofs=[
            Proof(
                "postgresql.log", "received fast shutdown request", "database system is shut down"
            )
        ],
        decoys=[
            "redis latency spike",
            "500 Internal Server Error",
            "server closed the connection unexpectedly",
        ],
    )
