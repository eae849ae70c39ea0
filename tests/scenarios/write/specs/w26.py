# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""notifier exhausts its daily SMS quota; the gateway answers 429 and retries pile up."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Pino
from scenes import at, fixed, loud
from traffic import traffic, web_api, worker

START = datetime(2025, 3, 10, 17, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(126)
    notifier = LogFile("notifier.log", Pino("notifier-2", rng))
    notifier.add(
        traffic(rng, worker("notifier", ["sms-requests", "push-requests"]), START, 50, 918)
    )
    notifier.add(
        [
            at(
                START,
                21.0,
                "WARN",
                "smsgate POST /v1/messages -> 429 Too Many Requests (X-RateLimit-Limit: 10000, X-RateLimit-Remaining: 0, X-RateLimit-Reset: 25200); daily quota reached",
            )
        ]
    )
    notifier.add(
        loud(
            rng,
            START,
            21.1,
            29,
            267,
            fixed(
                "ERROR",
                lambda r: (
                    f"sms {r.getrandbits(40):010x} to +4479{r.randrange(10**8):08d} failed after 5 attempts; requeued"
                ),
            ),
        )
    )
    notifier.add(
        loud(
            rng,
            START,
            25,
            25,
            92,
            fixed(
                "WARN",
                lambda r: (
                    f"redis queue sms-retry length {r.randrange(5000, 90000)} above threshold 5000"
                ),
            ),
        )
    )
    auth = LogFile("auth.log", JsonLines("auth", ("timestamp", "level", "message"), rng=rng))
    auth.add(traffic(rng, web_api("auth", ["logins", "otp"]), START, 50, 536))
    auth.add(
        loud(
            rng,
            START,
            22,
            28,
            198,
            fixed(
                "ERROR",
                lambda r: (
                    f"OTP for login {r.getrandbits(32):08x} not delivered within 60s; user locked out of 2FA"
                ),
            ),
        )
    )
    return Bundle(
        question="Users can't log in since 17:21 because the one-time codes never arrive. Why?",
        category="rate_limit",
        component="notifier",
        statement="notifier reached the SMS gateway's daily quota of 10000 messages, so smsgate answers 429 Too Many Requests and no one-time codes are sent.",
        files={"notifier.log": notifier.render(), "auth.log": auth.render()},
        proofs=[Proof("notifier.log", "429 Too Many Requests (X-RateLimit-Limit: 10000")],
        decoys=["redis queue sms-retry length", "user locked out of 2FA"],
    )
