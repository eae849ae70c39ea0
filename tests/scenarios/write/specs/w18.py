# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""risk starts without FRAUD_SCORE_URL and falls back to localhost; every score call is refused."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, PythonLogging
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, web_api

START = datetime(2024, 7, 1, 6, 0, tzinfo=UTC)


def refused(rng: random.Random) -> list[str]:
    return python_traceback(
        [
            (
                "/app/risk/scoring.py",
                57,
                "score",
                "response = self.session.post(self.url, json=payload, timeout=2)",
            ),
            (
                "/usr/local/lib/python3.11/site-packages/requests/adapters.py",
                519,
                "send",
                "raise ConnectionError(e, request=request)",
            ),
        ],
        f"requests.exceptions.ConnectionError: HTTPConnectionPool(host='localhost', port=9000): Max retries exceeded with url: /v1/score (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f{rng.getrandbits(36):09x}>: Failed to establish a new connection: [Errno 111] Connection refused'))",
    )


def bundle() -> Bundle:
    rng = random.Random(118)
    risk = LogFile(
        "risk.log",
        PythonLogging(("risk.app", "risk.scoring", "risk.config", "uvicorn.access"), rng),
    )
    risk.add(traffic(rng, web_api("risk", ["assessments", "rules"]), START, 30, 295))
    risk.add(
        [
            at(
                START,
                30.0,
                "INFO",
                "Shutting down (SIGTERM, rolling restart 2024-07-01T06:30 by deploy-bot)",
                logger="uvicorn.error",
            ),
            at(START, 30.4, "INFO", "Started server process [1]", logger="uvicorn.error"),
            at(
                START,
                30.41,
                "WARN",
                "FRAUD_SCORE_URL is not set; falling back to default http://localhost:9000/v1/score",
                logger="risk.config",
            ),
            at(START, 30.42, "INFO", "Application startup complete.", logger="uvicorn.error"),
        ]
    )
    risk.add(
        traffic(rng, web_api("risk", ["assessments", "rules"]), START.replace(minute=31), 25, 295)
    )
    risk.add(
        loud(
            rng,
            START,
            31.0,
            25,
            118,
            fixed(
                "ERROR",
                lambda r: (
                    f"assessment {r.getrandbits(40):010x} failed, defaulting to manual review"
                ),
                refused,
            ),
        )
    )
    orders = LogFile(
        "orders.log",
        JsonLines("orders", ("time", "severity", "message"), lower_level=False, rng=rng),
    )
    orders.add(traffic(rng, web_api("orders", ["orders"]), START, 56, 413))
    orders.add(
        loud(
            rng,
            START,
            31.5,
            24,
            176,
            fixed(
                "WARN",
                lambda r: (
                    f"order {r.randrange(10**7)} held for manual review: risk decision MANUAL_REVIEW (reason scoring_unavailable)"
                ),
            ),
        )
    )
    orders.add([at(START, 40.0, "ERROR", "manual review queue has 4812 orders, SLA breached")])
    return Bundle(
        question="Since the 06:30 restart every order goes to manual review. What changed?",
        category="configuration",
        component="risk",
        statement="risk was restarted without the FRAUD_SCORE_URL environment variable and fell back to http://localhost:9000, where nothing listens, so every fraud score call is refused.",
        files={"risk.log": risk.render(), "orders.log": orders.render()},
        proofs=[Proof("risk.log", "FRAUD_SCORE_URL is not set")],
        decoys=["manual review queue has 4812 orders", "Connection refused"],
    )
