# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""chrony on api-3 loses its time sources and the clock drifts; tokens issued there are rejected."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, traffic, web_api

START = datetime(2025, 10, 6, 10, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(133)
    chrony = LogFile("api-3-syslog.log", Syslog3164("api-3", "chronyd", 611))
    chrony.add(host_traffic(rng, START, 60, 325))
    chrony.add(
        [
            at(START, 3.0, "WARN", "Can't synchronise: no selectable sources"),
            at(START, 41.0, "WARN", "System clock wrong by -94.213883 seconds"),
        ]
    )
    auth = LogFile("auth-api-3.log", JsonLines("auth", ("time", "level", "msg"), rng=rng))
    auth.add(traffic(rng, web_api("auth", ["tokens", "sessions"]), START, 60, 568))
    orders = LogFile("orders.log", JsonLines("orders", ("timestamp", "level", "message"), rng=rng))
    orders.add(traffic(rng, web_api("orders", ["orders"]), START, 60, 731))
    orders.add(
        loud(
            rng,
            START,
            42,
            18,
            284,
            fixed(
                "WARN",
                lambda r: (
                    f"rejected bearer token kid=api-3 sub=user-{r.randrange(10**5)}: jwt: token used before issued (iat {1728208800 + r.randrange(3000)} is {r.randrange(80, 95)}s in the future)"
                ),
            ),
        )
    )
    orders.add(
        loud(
            rng,
            START,
            42,
            18,
            97,
            fixed(
                "ERROR",
                lambda r: f"GET /api/v1/orders 401 Unauthorized for client {r.getrandbits(32):08x}",
            ),
        )
    )
    orders.add(
        [at(START, 45, "WARN", "auth: JWKS cache refreshed (2 keys) after 37 unknown kid errors")]
    )
    return Bundle(
        question="About a third of users get 401 from orders since ~10:40 right after logging in. Why?",
        category="clock",
        component="api-3",
        statement="chronyd on host api-3 lost all time sources and its clock drifted about 94 s ahead, so tokens it issues carry an iat in the future and are rejected as used before issued.",
        files={
            "api-3-syslog.log": chrony.render(),
            "auth-api-3.log": auth.render(),
            "orders.log": orders.render(),
        },
        proofs=[
            Proof("api-3-syslog.log", "System clock wrong by -94.213883 seconds"),
            Proof("api-3-syslog.log", "Can't synchronise: no selectable sources"),
        ],
        decoys=["JWKS cache refreshed", "401 Unauthorized"],
    )
