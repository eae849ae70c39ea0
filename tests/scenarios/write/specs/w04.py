# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""The thumbnailer's cache volume runs out of inodes while blocks are free; the frontend sees 500s."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, Syslog3164, Zap
from scenes import at, fixed, loud
from traffic import host_traffic, http_access, traffic, web_api

START = datetime(2024, 5, 6, 21, 0, tzinfo=UTC)


def bundle() -> Bundle:
    rng = random.Random(104)
    thumbs = LogFile(
        "thumbnailer.log",
        Zap(("server/handler.go:88", "cache/store.go:141", "resize/pipeline.go:57"), rng),
    )
    thumbs.add(traffic(rng, web_api("thumbnailer", ["thumbs", "images"]), START, 45, 700))
    thumbs.add(
        [
            at(
                START,
                19.5,
                "ERROR",
                "cache write failed: open /var/cache/thumbs/7f/3a/7f3a91c2e0d4_320x240.webp: no space left on device",
                logger="cache/store.go:141",
            )
        ]
    )
    thumbs.add(
        loud(
            rng,
            START,
            19.6,
            25,
            190,
            fixed(
                "ERROR",
                lambda r: (
                    f"resize failed for image {r.getrandbits(48):012x}: write /tmp/resize-{r.randrange(10**6)}: no space left on device"
                ),
            ),
        )
    )
    host = LogFile("syslog", Syslog3164("media-02", "node_exporter", 812))
    host.add(host_traffic(rng, START, 45, 318))
    host.add(
        [
            at(
                START,
                19.2,
                "INFO",
                "filesystem /var/cache/thumbs (/dev/nvme1n1p1): 41.7% blocks used, 100.0% inodes used (6553600 of 6553600)",
            )
        ]
    )
    front = LogFile("frontend-access.log", NginxAccess(rng))
    front.add(
        traffic(
            rng,
            http_access(["/img/{id}/320x240.webp", "/img/{id}/64x64.webp", "/", "/api/v1/feed"]),
            START,
            45,
            574,
        )
    )
    front.add(
        loud(
            rng,
            START,
            19.7,
            25,
            222,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /img/{r.randrange(10**6)}/320x240.webp HTTP/1.1" 500 0 "-" "Mozilla/5.0 (X11; Linux x86_64)" {r.randrange(5, 90) / 1000:.3f}'
                ),
            ),
        )
    )
    return Bundle(
        question="Image thumbnails return 500 since 21:19 although df shows the disk less than half full. Why?",
        category="disk",
        component="thumbnailer",
        statement="The thumbnailer's cache filesystem /var/cache/thumbs exhausted its inodes (6553600 of 6553600 used), so new files cannot be created.",
        files={
            "thumbnailer.log": thumbs.render(),
            "syslog": host.render(),
            "frontend-access.log": front.render(),
        },
        proofs=[
            Proof("syslog", "100.0% inodes used (6553600 of 6553600)"),
            Proof("thumbnailer.log", "cache write failed: open /var/cache/thumbs/7f/3a"),
        ],
        decoys=["resize failed for image", '500 0 "-"'],
    )
