# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: transcode-dispatcher 5.2.0 (rolled out Monday 09:12 JST) builds its per-upload
Jobs with a new builder that no longer sets `ttlSecondsAfterFinished: 600`, so finished Jobs
are never cleaned up. The media namespace's ResourceQuota allows 500 Jobs; on Wednesday at
11:20 JST the count reaches 500 and every new transcode Job is forbidden (exceeded quota).
Uploads stay "processing". Decoys: one Job failing on a corrupt upload (BackoffLimitExceeded),
a slow S3 multipart upload warning and ffmpeg's timestamp warnings."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, table
from records import Logfmt, Zap
from scenes import at, fixed, loud
from traffic import Line, traffic, web_api

JST = timezone(timedelta(hours=9))
START = datetime(2026, 7, 15, 1, 30, tzinfo=UTC)
NOW = datetime(2026, 7, 15, 3, 40, tzinfo=UTC)
FULL = 50.0  # 02:20 UTC = 11:20 JST


def job_name(rng: random.Random) -> str:
    return "transcode-" + "".join(rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(8))


def bundle() -> Bundle:
    rng = random.Random(5697)
    total = (NOW - START).total_seconds() / 60
    dispatcher = LogFile(
        "logs/transcode-dispatcher.log",
        Zap(("dispatch/jobs.go:118", "dispatch/queue.go:64", "dispatch/watch.go:201"), rng=rng),
    )

    def created(r: random.Random) -> Line:
        if r.random() < 0.5:
            return (
                "INFO",
                f"created job media/{job_name(r)} for upload up_{r.getrandbits(48):012x} profile={r.choice(['h264-1080p', 'h264-720p', 'hls-ladder'])}",
                (),
            )
        if r.random() < 0.7:
            return (
                "INFO",
                f"job media/{job_name(r)} succeeded in {r.randrange(40, 900)}s, upload marked ready",
                (),
            )
        return "DEBUG", f"queue poll: {r.randrange(0, 6)} uploads waiting", ()

    dispatcher.add(traffic(rng, created, START, FULL, 900))
    dispatcher.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"job media/{job_name(r)} succeeded in {r.randrange(40, 900)}s, upload marked ready",
                (),
            ),
            START + timedelta(minutes=FULL),
            25,
            60,
        )
    )
    dispatcher.add(
        loud(
            rng,
            START,
            FULL,
            total - FULL,
            640,
            fixed(
                "ERROR",
                lambda r: (
                    f'create job for upload up_{r.getrandbits(48):012x} failed, requeued: jobs.batch "{job_name(r)}" is forbidden: exceeded quota: media-objects, requested: count/jobs.batch=1, used: count/jobs.batch=500, limited: count/jobs.batch=500'
                ),
            ),
        )
    )
    dispatcher.add(
        loud(
            rng,
            START,
            FULL + 2,
            total - FULL - 3,
            300,
            fixed("DEBUG", lambda r: f"queue poll: {r.randrange(40, 400)} uploads waiting"),
        )
    )
    dispatcher.add(
        [
            at(
                START,
                33.2,
                "WARN",
                "job media/transcode-q8mk3v2x failed: BackoffLimitExceeded (upload up_5c81e2a09f37: ffprobe: Invalid data found when processing input)",
            )
        ]
    )

    upload = LogFile("logs/upload-api.log", Logfmt("upload-api", rng=rng))
    upload.add(
        traffic(rng, web_api("upload-api", ["uploads", "videos", "thumbnails"]), START, total, 3100)
    )
    upload.add(
        loud(
            rng,
            START,
            FULL + 20,
            total - FULL - 21,
            260,
            fixed(
                "WARN",
                lambda r: (
                    f"upload up_{r.getrandbits(48):012x} still processing after {r.randrange(20, 75)}m (customer {r.randrange(10**5)})"
                ),
            ),
        )
    )
    upload.add(
        [
            at(
                START,
                14.8,
                "WARN",
                "S3 multipart upload to media-raw-apne1 slow: part 37/120 took 8.4s (retrying part)",
            )
        ]
    )

    worker = LogFile("logs/ffmpeg-runner.log", Logfmt("ffmpeg-runner", rng=rng))
    worker.add(
        loud(
            rng,
            START,
            5,
            40,
            300,
            fixed(
                "INFO",
                lambda r: (
                    f"frame={r.randrange(100, 50000)} fps={r.randrange(40, 160)} q=23.0 size={r.randrange(2000, 90000)}kB time=00:{r.randrange(0, 59):02d}:{r.randrange(0, 59):02d}.{r.randrange(0, 99):02d} bitrate={r.randrange(1800, 6500)}.{r.randrange(10)}kbits/s speed={r.randrange(1, 6)}.{r.randrange(10)}x"
                ),
            ),
        )
    )
    worker.add(
        loud(
            rng,
            START,
            8,
            30,
            6,
            fixed(
                "WARN",
                lambda r: (
                    f"[mp4 @ 0x55d{r.getrandbits(24):06x}] Application provided invalid, non monotonically increasing dts to muxer in stream 1: {r.randrange(10**6)} >= {r.randrange(10**6)}"
                ),
            ),
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    signal = []
    for _ in range(26):
        minute = rng.uniform(0, FULL)
        name = job_name(rng)
        signal.append(
            (
                ago(minute),
                (
                    "Normal",
                    "SuccessfulCreate",
                    f"job/{name}",
                    f"Created pod: {name}-{''.join(rng.choice('bcdfghjklmnpqrstvwxz2456789') for _ in range(5))}",
                ),
            )
        )
        signal.append(
            (
                ago(minute + rng.uniform(1, 12)),
                ("Normal", "Completed", f"job/{name}", "Job completed"),
            )
        )
    signal.append(
        (
            ago(33.1),
            (
                "Warning",
                "BackoffLimitExceeded",
                "job/transcode-q8mk3v2x",
                "Job has reached the specified backoff limit",
            ),
        )
    )
    events = event_listing([], [item for item in signal if item[0] > 0])

    now_jst = NOW.astimezone(JST)
    jobs = [
        (job_name(rng), "1/1", f"{rng.randrange(40, 600)}s", shown)
        for shown in ["2d1h", "2d1h", "2d", "46h", "41h", "33h", "26h", "20h"]
    ]
    paste = "\n".join(
        [
            f"# pasted by on-call, {now_jst.strftime('%Y-%m-%d %H:%M')} JST",
            "$ kubectl -n media describe resourcequota media-objects",
            "Name:                   media-objects",
            "Namespace:              media",
            "Resource                Used   Hard",
            "--------                ----   ----",
            "configmaps              14     100",
            "count/jobs.batch        500    500",
            "persistentvolumeclaims  3      20",
            "pods                    19     300",
            "requests.cpu            31     160",
            "requests.memory         74Gi   640Gi",
            "services                4      40",
            "",
            "$ kubectl -n media get jobs --sort-by=.metadata.creationTimestamp | head -9",
            *table(("NAME", "COMPLETIONS", "DURATION", "AGE"), jobs),
            "",
            "$ kubectl -n media get jobs --no-headers | wc -l",
            "500",
            "$ kubectl -n media get jobs -o jsonpath='{range .items[*]}{.spec.ttlSecondsAfterFinished}{\"\\n\"}{end}' | sort | uniq -c",
            "    500 ",
            "",
            "$ kubectl -n media rollout history deploy/transcode-dispatcher | tail -3",
            "REVISION  CHANGE-CAUSE",
            "57        transcode-dispatcher 5.1.4",
            "58        transcode-dispatcher 5.2.0 (jobbuilder v2, Mon 09:12 JST)",
            "",
            "$ kubectl -n media get job transcode-7wq4hzm2 -o yaml | grep -E 'ttlSecondsAfterFinished|backoffLimit|app.kubernetes.io/version'",
            "    app.kubernetes.io/version: 5.2.0",
            "  backoffLimit: 2",
            "",
        ]
    )
    return Bundle(
        question="Since about 11:20 JST new video uploads stay in 'processing' and never become ready. What is the root cause?",
        category="deployment",
        component="transcode-dispatcher",
        statement="transcode-dispatcher 5.2.0, rolled out Monday, creates its Jobs without ttlSecondsAfterFinished, so finished Jobs accumulate until the namespace's ResourceQuota count/jobs.batch=500 is reached at 11:20 JST; every new Job is then forbidden (exceeded quota) and videos stay in processing.",
        files={
            "logs/transcode-dispatcher.log": dispatcher.render(),
            "logs/upload-api.log": upload.render(),
            "logs/ffmpeg-runner.log": worker.render(),
            "kubectl-get-events.txt": events,
            "kubectl-oncall-paste.txt": paste,
        },
        proofs=[
            Proof("kubectl-oncall-paste.txt", "count/jobs.batch        500    500"),
            Proof("kubectl-oncall-paste.txt", "{.spec.ttlSecondsAfterFinished}", "    500 "),
            Proof("kubectl-oncall-paste.txt", "58        transcode-dispatcher 5.2.0"),
        ],
        decoys=[
            "BackoffLimitExceeded",
            "S3 multipart upload to media-raw-apne1 slow",
            "non monotonically increasing dts",
        ],
    )
