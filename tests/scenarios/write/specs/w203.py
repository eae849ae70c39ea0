# ruff: noqa: E501
# kubectl output, metric rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: thumbnailer 4.2.0 (06:10 UTC) moved its originals cache to /scratch, an
`emptyDir` with `medium: Memory` and no sizeLimit, "for faster re-renders". tmpfs pages count
against the container's 2Gi memory limit and the cache is never pruned, so every pod's working
set climbs about 40 MiB a minute while the Go heap stays near 300 MiB; after ~40 minutes the
kernel OOM-kills the container (exit 137), and the image edge gets resets and 502s during each
restart. Loud: media-edge's upstream errors, the restarts. Decoys: the Go heap (flat), a CPU
throttling series, and a slow object-store read warning."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod
from metrics import Series, csv_text, steady
from records import NginxError, Zap
from scenes import at, fixed, loud
from traffic import traffic, worker

START = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
RELEASE = 70  # 06:10
CYCLE = 41  # minutes from a fresh start to the OOM kill
POD = "thumbnailer-7d5c9b6f48-mx4qk"


def working_set(rng: random.Random) -> Series:
    def value(index: int) -> float:
        if index < RELEASE:
            return 372 + rng.gauss(0, 9)
        since = (index - RELEASE) % CYCLE
        return 372 + since * 41.5 + rng.gauss(0, 6)

    return value


def restarts(index: int) -> float:
    return 0 if index < RELEASE else (index - RELEASE) // CYCLE


def bundle() -> Bundle:
    rng = random.Random(1203)
    total = int((NOW - START).total_seconds() / 60)
    kills = [RELEASE + CYCLE * n for n in range(1, 5)]
    service = LogFile(
        "logs/thumbnailer.log",
        Zap(("render/pipeline.go:211", "cache/store.go:64", "httpserver/server.go:98"), rng=rng),
    )
    service.add(
        traffic(
            rng,
            worker("thumbnailer", ["renders.requested", "renders.priority"]),
            START,
            total,
            3900,
        )
    )
    service.add(
        loud(
            rng,
            START,
            RELEASE,
            total - RELEASE,
            1300,
            fixed(
                "DEBUG",
                lambda r: (
                    f"cached original /scratch/originals/{r.getrandbits(64):016x}.{r.choice(['jpg', 'png', 'webp', 'heic'])} ({r.randrange(900, 14000)} KiB)"
                ),
            ),
        )
    )
    service.add(
        [
            at(
                START,
                RELEASE + 0.2,
                "INFO",
                "thumbnailer 4.2.0 starting: cache_dir=/scratch/originals cache_eviction=none workers=8 GOMEMLIMIT=1536MiB",
                logger="cmd/thumbnailer/main.go:47",
            )
        ]
    )
    for kill in kills:
        service.add(
            [
                at(
                    START,
                    kill - 3,
                    "INFO",
                    f"runtime stats heap_inuse={rng.randrange(280, 330)}MiB goroutines={rng.randrange(60, 90)} gc_cycles={rng.randrange(900, 1400)}",
                    logger="httpserver/server.go:98",
                ),
                at(
                    START,
                    kill + 0.4,
                    "INFO",
                    "thumbnailer 4.2.0 starting: cache_dir=/scratch/originals cache_eviction=none workers=8 GOMEMLIMIT=1536MiB "
                    + f"(restart {kills.index(kill) + 1})",
                    logger="cmd/thumbnailer/main.go:47",
                ),
            ]
        )
    service.add(
        [
            at(
                START,
                22.5,
                "WARN",
                "object store GET originals/2026/03/02/9c1f77a2.heic took 3140ms (retry 1/3 after 503 SlowDown)",
                logger="cache/store.go:64",
            )
        ]
    )
    edge = LogFile("logs/media-edge-error.log", NginxError(rng=rng))
    for kill in kills:
        edge.add(
            loud(
                rng,
                START,
                kill - 0.2,
                1.6,
                140,
                fixed(
                    "ERROR",
                    lambda r: (
                        f'upstream prematurely closed connection while reading response header from upstream, client: 10.8.{r.randrange(256)}.{r.randrange(1, 255)}, server: img.shopfront.example, request: "GET /t/{r.getrandbits(48):012x}/640x480.webp HTTP/1.1", upstream: "http://10.20.{r.randrange(1, 9)}.{r.randrange(2, 250)}:8080/render", host: "img.shopfront.example"'
                    ),
                ),
            )
        )
        edge.add(
            loud(
                rng,
                START,
                kill + 0.1,
                2.4,
                90,
                fixed(
                    "ERROR",
                    lambda r: (
                        f'connect() failed (111: Connection refused) while connecting to upstream, client: 10.8.{r.randrange(256)}.{r.randrange(1, 255)}, server: img.shopfront.example, request: "GET /t/{r.getrandbits(48):012x}/320x240.webp HTTP/1.1", upstream: "http://10.20.{r.randrange(1, 9)}.{r.randrange(2, 250)}:8080/render", host: "img.shopfront.example"'
                    ),
                ),
            )
        )
    edge.add(
        loud(
            rng,
            START,
            0,
            total,
            260,
            fixed(
                "WARN",
                lambda r: (
                    f'an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{r.randrange(10)}/{r.randrange(10, 99)}/{r.randrange(10**9, 10**10)} while reading upstream, client: 10.8.{r.randrange(256)}.{r.randrange(1, 255)}, server: img.shopfront.example, request: "GET /o/{r.getrandbits(48):012x}.jpg HTTP/1.1", upstream: "http://10.20.3.17:8080/original", host: "img.shopfront.example"'
                ),
            ),
        )
    )
    series = {
        f'container_memory_working_set_mib{{pod="{POD}"}}': working_set(rng),
        f'go_memstats_heap_inuse_mib{{pod="{POD}"}}': steady(rng, 305, 0.05),
        f'kube_pod_container_status_restarts_total{{pod="{POD}"}}': restarts,
        f'container_cpu_cfs_throttled_ratio{{pod="{POD}"}}': steady(rng, 0.31, 0.15),
        "container_spec_memory_limit_mib": steady(rng, 2048, 0.0),
    }
    metrics = csv_text(START, 60, total, series, decimals=2)
    pod = Pod(
        name=POD,
        namespace="media",
        node="ip-10-20-41-7.ec2.internal",
        app="thumbnailer",
        ip="10.20.3.17",
        start_time="Tue, 03 Mar 2026 06:10:22 +0000",
        containers=[
            Container(
                "thumbnailer",
                "public.ecr.aws/shopfront/thumbnailer:4.2.0",
                state=["Running", "  Started:      Tue, 03 Mar 2026 08:54:03 +0000"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Tue, 03 Mar 2026 08:13:29 +0000",
                    "  Finished:     Tue, 03 Mar 2026 08:54:02 +0000",
                ],
                restarts=4,
                limits={"cpu": "2", "memory": "2Gi"},
                requests={"cpu": "1", "memory": "2Gi"},
                probes=[
                    "Readiness:  http-get http://:8080/healthz delay=5s timeout=1s period=10s #success=1 #failure=3"
                ],
                environment=["GOMEMLIMIT:  1536MiB", "CACHE_DIR:   /scratch/originals"],
            )
        ],
        volumes=[
            "  scratch:",
            "    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)",
            "    Medium:     Memory",
            "    SizeLimit:  <unset>",
        ],
        events=[
            (
                "Normal",
                "Pulled",
                "6m (x5 over 3h50m)",
                "kubelet",
                'Container image "public.ecr.aws/shopfront/thumbnailer:4.2.0" already present on machine',
            ),
            ("Normal", "Created", "6m (x5 over 3h50m)", "kubelet", "Created container thumbnailer"),
            ("Normal", "Started", "6m (x5 over 3h50m)", "kubelet", "Started container thumbnailer"),
            (
                "Warning",
                "Unhealthy",
                "6m (x9 over 2h48m)",
                "kubelet",
                'Readiness probe failed: Get "http://10.20.3.17:8080/healthz": dial tcp 10.20.3.17:8080: connect: connection refused',
            ),
        ],
    )
    describe = describe_pod(pod, rng).replace(
        "    Mounts:\n      /var/run/secrets",
        "    Mounts:\n      /scratch from scratch (rw)\n      /var/run/secrets",
    )
    notes = "\n".join(
        [
            "thumbnailer keeps restarting since this morning, image edge throws 502 bursts every ~40 min.",
            "Checked pprof on a live pod at 08:40: heap_inuse ~300MiB, nothing growing, so not a Go leak?",
            "CPU throttling is at ~30% but it has been like that for months.",
            "",
            "4.2.0 release notes (deployed 06:10): 'cache originals locally for faster re-renders'. Helm values diff:",
            "",
            "```",
            "+  extraEnv:",
            "+    CACHE_DIR: /scratch/originals",
            "+  extraVolumes:",
            "+    - name: scratch",
            "+      emptyDir:",
            "+        medium: Memory",
            "+  extraVolumeMounts:",
            "+    - name: scratch",
            "+      mountPath: /scratch",
            "```",
            "",
        ]
    )
    return Bundle(
        question="thumbnailer pods restart every 40 minutes or so since this morning and the image edge throws 502 bursts. The Go heap looks flat. What is the root cause?",
        category="memory",
        component="thumbnailer",
        statement="Since thumbnailer 4.2.0 at 06:10 UTC, originals are cached without eviction in /scratch, an emptyDir with medium: Memory and no sizeLimit; the tmpfs pages count against the 2Gi memory limit, so each pod's working set grows ~40 MiB a minute until it is OOMKilled (exit 137) about every 41 minutes, while the Go heap stays near 300 MiB.",
        files={
            "notes.md": notes,
            "kubectl-describe-pod.txt": describe,
            "metrics.csv": metrics,
            "logs/thumbnailer.log": service.render(),
            "logs/media-edge-error.log": edge.render(),
        },
        proofs=[
            Proof("kubectl-describe-pod.txt", "    Medium:     Memory"),
            Proof("kubectl-describe-pod.txt", "      Reason:       OOMKilled"),
            Proof("notes.md", "+        medium: Memory"),
        ],
        decoys=[
            "go_memstats_heap_inuse_mib",
            "container_cpu_cfs_throttled_ratio",
            "object store GET originals/2026/03/02/9c1f77a2.heic took 3140ms",
        ],
    )
