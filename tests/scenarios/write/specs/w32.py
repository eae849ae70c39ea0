# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""The exporter's IAM role loses s3:PutObject on the reports bucket; nightly exports fail."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import JsonLines, PythonLogging
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, web_api, worker

START = datetime(2025, 9, 8, 1, 0, tzinfo=UTC)


def denied(rng: random.Random) -> list[str]:
    return python_traceback(
        [
            (
                "/app/exporter/upload.py",
                41,
                "upload",
                "self.s3.put_object(Bucket=bucket, Key=key, Body=body)",
            ),
            (
                "/usr/local/lib/python3.12/site-packages/botocore/client.py",
                1023,
                "_make_api_call",
                "raise error_class(parsed_response, operation_name)",
            ),
        ],
        "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::418273645510:assumed-role/exporter-task/"
        + f'{rng.getrandbits(64):016x} is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::shop-reports/daily/2025-09-08/part-{rng.randrange(1000):04d}.parquet" because no identity-based policy allows the s3:PutObject action',
    )


def bundle() -> Bundle:
    rng = random.Random(132)
    exporter = LogFile(
        "exporter.log",
        PythonLogging(("exporter.job", "exporter.upload", "botocore.credentials"), rng),
    )
    exporter.add(traffic(rng, worker("exporter", ["export-requests"]), START, 50, 577))
    exporter.add(
        [
            at(
                START,
                5.0,
                "INFO",
                "Found credentials from IAM role: exporter-task (policy version v7 attached 2025-09-07T18:22:10Z)",
                logger="botocore.credentials",
            ),
            at(
                START,
                5.3,
                "ERROR",
                "upload of daily/2025-09-08/part-0000.parquet failed",
                denied(rng),
                logger="exporter.upload",
            ),
        ]
    )
    exporter.add(
        loud(
            rng,
            START,
            5.4,
            44,
            127,
            fixed("ERROR", lambda r: "upload failed, will retry in 60s", denied),
        )
    )
    exporter.add(
        loud(
            rng,
            START,
            10,
            40,
            58,
            fixed(
                "WARN",
                lambda r: (
                    f"local staging dir /var/lib/exporter at {r.randrange(70, 90)}% ({r.randrange(30, 45)} GiB)"
                ),
            ),
        )
    )
    bi = LogFile(
        "dashboards.log", JsonLines("dashboards", ("timestamp", "level", "message"), rng=rng)
    )
    bi.add(traffic(rng, web_api("dashboards", ["dashboards", "widgets"]), START, 50, 384))
    bi.add(
        loud(
            rng,
            START,
            30,
            20,
            96,
            fixed(
                "ERROR",
                lambda r: (
                    f"dataset daily_sales missing partition 2025-09-08, widget {r.randrange(10**4)} shows stale data"
                ),
            ),
        )
    )
    return Bundle(
        question="Today's sales dashboards are empty. What broke the nightly export?",
        category="permission",
        component="exporter",
        statement="The exporter's IAM role exporter-task no longer allows s3:PutObject on the shop-reports bucket (policy v7), so every upload is denied with AccessDenied.",
        files={"exporter.log": exporter.render(), "dashboards.log": bi.render()},
        proofs=[
            Proof(
                "exporter.log",
                "upload of daily/2025-09-08/part-0000.parquet failed",
                "is not authorized to perform: s3:PutObject",
            )
        ],
        decoys=["local staging dir /var/lib/exporter", "missing partition"],
    )
