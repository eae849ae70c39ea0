# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""The ingest worker's spool volume fills up; the API answers 503 and blames the queue."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, PythonLogging
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, web_api, worker

START = datetime(2024, 4, 2, 13, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(103)
    ingest = LogFile(
        "ingest.log",
        PythonLogging(
            ("ingest.consumer", "ingest.spool", "ingest.flush", "kafka.coordinator"), rng
        ),
    )
    ingest.add(
        traffic(rng, worker("ingest", ["clicks", "impressions", "conversions"]), START, 50, 934)
    )
    ingest.add(
        [
            at(
                START,
                18.0,
                "WARN",
                "spool volume /var/spool/ingest at 96% (free 1.9 GiB of 50.0 GiB)",
                logger="ingest.spool",
            ),
            at(
                START,
                22.4,
                "ERROR",
                "flush of segment 000000000004812 failed",
                python_traceback(
                    [
                        ("/app/ingest/flush.py", 88, "write_segment", "handle.write(encoded)"),
                        (
                            "/usr/local/lib/python3.11/gzip.py",
                            289,
                            "write",
                            "self.fileobj.write(self.compress.compress(data))",
                        ),
                    ],
                    "OSError: [Errno 28] No space left on device: '/var/spool/ingest/segment-000000000004812.gz'",
                ),
                logger="ingest.flush",
            ),
        ]
    )
    ingest.add(
        loud(
            rng,
            START,
            22.6,
            27,
            115,
            fixed(
                "ERROR",
                lambda r: (
                    f"consumer paused: {r.randrange(1000, 90000)} records waiting, spool not accepting writes (partition {r.randrange(24)})"
                ),
            ),
        )
    )
    api = LogFile("api.log", JsonLines("api", ("time", "level", "message"), rng=rng))
    api.add(traffic(rng, web_api("api", ["events", "sessions", "campaigns"]), START, 50, 646))
    api.add(
        loud(
            rng,
            START,
            23.0,
            27,
            301,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /api/v1/events 503 queue producer timeout: Local: Message timed out (broker kafka-{r.randrange(3)}:9092) after {r.randrange(30000, 31000)}ms"
                ),
            ),
        )
    )
    api.add(
        [
            at(
                START,
                31.0,
                "FATAL",
                "event buffer full (100000 events), dropping events until the producer recovers",
            )
        ]
    )
    return Bundle(
        question="Our event API started returning 503 around 13:23, why?",
        category="disk",
        component="ingest",
        statement="The ingest worker's spool volume /var/spool/ingest ran out of space (Errno 28), so it stopped consuming and the API's producer timed out.",
        files={"ingest.log": ingest.render(), "api.log": api.render()},
        proofs=[
            Proof("ingest.log", "OSError: [Errno 28] No space left on device"),
            Proof("ingest.log", "spool volume /var/spool/ingest at 96%"),
        ],
        decoys=["queue producer timeout", "event buffer full", "Message timed out"],
    )
