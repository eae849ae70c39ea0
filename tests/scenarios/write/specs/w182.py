# ruff: noqa: E501
# Hand-written log lines, pasted notes and series definitions are data, kept whole on one line.
"""S3 throttling by a noisy neighbour on the same prefix: at 14:05:09 UTC the data team starts
clickstream-backfill (a one-off job, 64 workers) that rewrites 30 days of events into
s3://acme-clickstream-raw/events/, the prefix event-archiver writes live batches to. The
bucket's PUT rate on that prefix jumps from about 800/s to about 3,900/s, past what S3 serves
for one prefix before it has repartitioned, and S3 answers `503 SlowDown` to both writers.
boto3 in the backfill retries quietly (its progress line counts the retries); event-archiver's
Go SDK exhausts its retry quota, its buffer fills and it drops events; ingest-gateway returns 503
to clients (loud). Decoys: event-archiver's config-only deploy at 13:40, an AWS Health notice
about S3 in another region, and ingest-gateway's own 503s."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift, steady
from records import JsonLines, PythonLogging, Record, Zap
from scenes import at, fixed, loud
from traffic import Line, traffic, web_api

START = datetime(2025, 8, 4, 13, 20, tzinfo=UTC)
BACKFILL = datetime(2025, 8, 4, 14, 5, 9, 377000, tzinfo=UTC)
END = datetime(2025, 8, 4, 14, 50, tzinfo=UTC)


def request_id(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHJKMNPQRSTVWXYZ0123456789") for _ in range(16))


def host_id(rng: random.Random) -> str:
    return (
        "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/")
            for _ in range(76)
        )
        + "="
    )


def archiver_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f"uploaded batch bucket=acme-clickstream-raw key=events/2025/08/04/14/{rng.getrandbits(64):016x}.json.zst events={rng.randrange(800, 5000)} bytes={rng.randrange(200000, 2000000)} took={rng.randrange(40, 260)}ms",
            (),
        )
    if roll < 0.9:
        return "INFO", f"consumer lag partition={rng.randrange(24)} lag={rng.randrange(0, 900)}", ()
    return (
        "DEBUG",
        f"buffer fill {rng.randrange(2, 18)}% ({rng.randrange(100, 900)} MiB of 4096 MiB)",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1182)
    total = (END - START).total_seconds() / 60
    start = (BACKFILL - START).total_seconds() / 60

    archiver = LogFile(
        "logs/event-archiver.log",
        Zap(("archive/uploader.go:142", "archive/buffer.go:88", "kafka/consumer.go:211"), rng=rng),
    )
    archiver.add(traffic(rng, archiver_line, START, total, 3200))
    archiver.add(
        [
            at(
                START,
                20.0,
                "INFO",
                "config reloaded: log.level=info -> debug (release 3.11.2)",
                logger="cmd/archiver/main.go:77",
            ),
            at(
                START,
                20.1,
                "INFO",
                "starting event-archiver version=3.11.2 commit=9c41e0d",
                logger="cmd/archiver/main.go:52",
            ),
        ]
    )
    archiver.add(
        loud(
            rng,
            START,
            start + 0.3,
            total - start - 0.5,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"upload failed, will retry batch: operation error S3: PutObject, https response error StatusCode: 503, RequestID: {request_id(r)}, HostID: {host_id(r)}, api error SlowDown: Please reduce your request rate."
                ),
            ),
        )
    )
    archiver.add(
        loud(
            rng,
            START,
            start + 2,
            total - start - 2.5,
            260,
            fixed(
                "ERROR",
                lambda r: (
                    "upload failed, will retry batch: operation error S3: PutObject, failed to get rate limit token, retry quota exceeded, 0 available, 5 requested"
                ),
            ),
        )
    )
    archiver.add(
        loud(
            rng,
            START,
            start + 9,
            total - start - 9.5,
            180,
            fixed(
                "WARN",
                lambda r: (
                    f"buffer full (4096 MiB), dropping {r.randrange(500, 9000)} events from partition {r.randrange(24)}"
                ),
            ),
        )
    )

    gateway = LogFile("logs/ingest-gateway.log", JsonLines("ingest-gateway", rng=rng))
    gateway.add(
        traffic(
            rng, web_api("ingest-gateway", ["events", "sessions", "identify"]), START, total, 2400
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            start + 9.2,
            total - start - 9.5,
            700,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /v1/events 503 archive backpressure: archiver buffer full, rejecting batch of {r.randrange(1, 200)} events sdk={r.choice(['js/4.2.1', 'ios/2.9.0', 'android/2.8.3'])}"
                ),
            ),
        )
    )

    backfill = LogFile(
        "logs/clickstream-backfill.log", PythonLogging(("backfill.main", "backfill.copy"), rng=rng)
    )
    backfill.add(
        [
            Record(
                BACKFILL - timedelta(seconds=3, milliseconds=120),
                "INFO",
                "loaded manifest s3://acme-data-manifests/clickstream/2025-07-05..2025-08-03.parquet (4,212,640 objects, 1.9 TiB)",
                (),
                "backfill.main",
            ),
            Record(
                BACKFILL,
                "INFO",
                "rewriting 4,212,640 objects into s3://acme-clickstream-raw/events/ with 64 workers (max_pool_connections=128, retries={'mode': 'adaptive', 'max_attempts': 10})",
                (),
                "backfill.main",
            ),
        ]
    )
    copied = 0
    retries = 0
    time = BACKFILL + timedelta(minutes=1)
    while time < END:
        copied += rng.randrange(170000, 205000)
        retries += rng.randrange(9000, 16000)
        backfill.add(
            [
                Record(
                    time,
                    "INFO",
                    f"progress: {copied:,}/4,212,640 objects ({copied / 4212640:.1%}), {rng.randrange(2900, 3400)} obj/s, retries so far {retries:,}",
                    (),
                    "backfill.copy",
                )
            ]
        )
        time += timedelta(minutes=1, milliseconds=rng.randrange(-400, 400))
    backfill.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: (
                    f"slow object events/2025/07/{r.randrange(5, 32):02d}/{r.randrange(24):02d}/{r.getrandbits(64):016x}.json.zst took {r.uniform(5, 22):.1f}s ({r.randrange(3, 9)} attempts)"
                ),
            ),
            BACKFILL + timedelta(minutes=1),
            total - start - 1.2,
            40,
            logger="backfill.copy",
        )
    )

    index = int(start * 2)
    metrics = csv_text(
        START,
        30,
        int(total * 2),
        {
            "s3_bucket_put_requests_per_s": shift(rng, 810, 3900, index + 1, 0.05, ramp=2),
            "s3_bucket_5xx_errors_per_s": shift(rng, 0.02, 340, index + 1, 0.2, ramp=2),
            "s3_bucket_first_byte_latency_p99_ms": shift(rng, 95, 410, index + 1, 0.1, ramp=2),
            "event_archiver_put_attempts_per_s": steady(rng, 805, 0.05),
            "event_archiver_buffer_fill_percent": shift(rng, 9, 100, index + 2, 0.05, ramp=17),
            "event_archiver_dropped_events_per_s": shift(rng, 0, 2200, index + 19, 0.2),
            "ingest_gateway_5xx_per_s": shift(rng, 0.1, 95, index + 19, 0.15),
            "kafka_clickstream_consumer_lag": shift(rng, 400, 2100000, index + 3, 0.05, ramp=60),
        },
    )
    notes = "\n".join(
        [
            "Incident channel #inc-clickstream, pasted 14:48 UTC",
            "",
            "- ingest-gateway is rejecting event batches (503) since ~14:14; dashboards show a gap.",
            "- event-archiver: tons of S3 503s. It was deployed at 13:40 (3.11.2, log level only).",
            "- AWS Health Dashboard: 'Increased PUT error rates for Amazon S3 in the EU (Paris) region (eu-west-3)' - our bucket acme-clickstream-raw is in eu-west-1.",
            "- No alert from S3 itself. Bucket has request metrics enabled (metrics.csv, 30s).",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "metrics.csv": metrics,
        "logs/event-archiver.log": archiver.render(),
        "logs/ingest-gateway.log": gateway.render(),
        "logs/clickstream-backfill.log": backfill.render(),
    }
    return Bundle(
        question="Clickstream events are being rejected since about 14:14 UTC and event-archiver is full of S3 503 errors. What is causing this?",
        category="rate_limit",
        component="clickstream-backfill",
        statement="At 14:05:09 UTC clickstream-backfill started rewriting 4.2 million objects into s3://acme-clickstream-raw/events/ with 64 workers, raising the prefix's PUT rate from about 800/s to 3,900/s; S3 throttles the prefix with 503 SlowDown, event-archiver runs out of retries, fills its buffer and drops events, and ingest-gateway rejects batches.",
        files=files,
        proofs=[
            Proof(
                "logs/clickstream-backfill.log",
                "rewriting 4,212,640 objects into s3://acme-clickstream-raw/events/ with 64 workers",
            ),
        ],
        decoys=[
            "release 3.11.2",
            "Increased PUT error rates for Amazon S3 in the EU (Paris)",
            "POST /v1/events 503",
        ],
    )
