# ruff: noqa: E501
# fluent-bit lines, kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: worker-c7-19 was replaced yesterday from the new node image (golden-2026.11.3),
which no longer ships /etc/sysctl.d/90-inotify.conf: `fs.inotify.max_user_instances` is back
at the kernel default of 128. With ~40 pods' watchers on the node the limit is used up; the
fluent-bit pod there cannot start its tail input (`inotify_init1: Too many open files`) and
ships nothing, and `kubectl logs -f` against pods on that node fails. Logs from every pod on the
node are missing in Loki. Decoys: a Loki per-stream rate-limit warning for another tenant,
fluent-bit's retried flush on another node, and a kubelet image GC warning."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Journal, Logfmt, Record
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)  # 08:00 NZDT (+13)
NOW = datetime(2026, 12, 1, 21, 30, tzinfo=UTC)
NODE = "worker-c7-19"
NODES = ["worker-c7-11", "worker-c7-14", "worker-c7-17", NODE]


@dataclass
class FluentBit:
    """fluent-bit's own log: `[2026/12/01 19:00:00] [ info] [component] message`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        level = {"INFO": " info", "WARN": " warn", "ERROR": "error", "DEBUG": "debug"}[record.level]
        return [f"[{record.time.strftime('%Y/%m/%d %H:%M:%S')}] [{level}] {record.message}"]


def flb_ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    pod = f"{rng.choice(['orders', 'cart', 'search', 'auth'])}-{rng.getrandbits(36):09x}"
    if roll < 0.55:
        return (
            "INFO",
            f"[input:tail:tail.0] inotify_fs_add(): inode={rng.randrange(10**6, 10**7)} watch_fd={rng.randrange(20, 90)} name=/var/log/containers/{pod}_shop_app-{rng.getrandbits(64):016x}.log",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"[input:tail:tail.0] inotify_fs_remove(): inode={rng.randrange(10**6, 10**7)} watch_fd={rng.randrange(20, 90)}",
            (),
        )
    return "DEBUG", "[output:loki:loki.0] loki-gateway.logging.svc:3100, HTTP status=204", ()


def bundle() -> Bundle:
    rng = random.Random(35509)
    total = (NOW - START).total_seconds() / 60

    flb_other = LogFile("kubectl-logs-fluent-bit-8x2kd.txt", FluentBit(rng=rng))
    flb_other.add(traffic(rng, flb_ok, START, total, 2100))
    flb_other.add(
        [
            at(
                START,
                37.0,
                "WARN",
                "[engine] failed to flush chunk '1-1764616620.412337091.flb', retry in 9 seconds: task_id=3, input=tail.0 > output=loki.0 (out_id=0)",
            ),
            at(
                START,
                37.2,
                "INFO",
                "[engine] flush chunk '1-1764616620.412337091.flb' succeeded at retry 1: task_id=3, input=tail.0 > output=loki.0 (out_id=0)",
            ),
        ]
    )

    flb_bad = LogFile("kubectl-logs-fluent-bit-q7mvn-previous.txt", FluentBit(rng=rng))
    crash = datetime(2026, 12, 1, 21, 24, 10, tzinfo=UTC)
    flb_bad.add(
        [
            at(crash, 0.0, "INFO", "[fluent bit] version=3.1.9, commit=431fa79ae2, pid=1"),
            at(
                crash,
                0.001,
                "INFO",
                "[storage] ver=1.5.2, type=memory+filesystem, sync=normal, checksum=off, max_chunks_up=128",
            ),
            at(crash, 0.002, "INFO", "[cmetrics] version=0.9.5"),
            at(crash, 0.003, "INFO", "[input:tail:tail.0] initializing"),
            at(
                crash,
                0.004,
                "INFO",
                "[input:tail:tail.0] storage_strategy='filesystem' (memory + filesystem)",
            ),
            at(
                crash,
                0.005,
                "ERROR",
                "[input:tail:tail.0] inotify_init1 failed: Too many open files",
            ),
            at(crash, 0.006, "ERROR", "[input:tail:tail.0] could not initialize event loop"),
            at(crash, 0.007, "ERROR", "failed initialize input tail.0"),
            at(crash, 0.008, "ERROR", "[engine] input initialization failed"),
        ]
    )

    loki = LogFile("logs/loki-distributor.log", Logfmt("loki-distributor", rng=rng))
    loki.add(
        loud(
            rng,
            START,
            0,
            total,
            1600,
            fixed(
                "INFO",
                lambda r: (
                    f'caller=push.go:{r.randrange(150, 190)} component=distributor tenant=prod msg="received push" streams={r.randrange(5, 80)} entries={r.randrange(50, 3000)} node={r.choice(NODES[:3])}'
                ),
            ),
        )
    )
    loki.add(
        [
            at(
                START,
                52.0,
                "WARN",
                'caller=validation.go:112 component=distributor tenant=staging msg="Per stream rate limit exceeded (limit: 3MB/sec) while attempting to ingest for stream \'{app=\\"load-gen\\"}\' totaling 4.1MB"',
            )
        ]
    )

    pasted = "\n".join(
        [
            "$ kubectl -n logging get pods -l app.kubernetes.io/name=fluent-bit -o wide",
            "NAME               READY   STATUS             RESTARTS        AGE   IP            NODE           NOMINATED NODE   READINESS GATES",
            "fluent-bit-2m9tx   1/1     Running            0               34d   10.42.1.7     worker-c7-11   <none>           <none>",
            "fluent-bit-8x2kd   1/1     Running            0               34d   10.42.2.4     worker-c7-14   <none>           <none>",
            "fluent-bit-l4hcz   1/1     Running            1 (12d ago)     34d   10.42.3.9     worker-c7-17   <none>           <none>",
            "fluent-bit-q7mvn   0/1     CrashLoopBackOff   187 (4m ago)    19h   10.42.4.3     worker-c7-19   <none>           <none>",
            "",
            "$ kubectl -n shop logs -f cart-6d9b7c5f48-ptx2w --tail=1",
            "failed to create fsnotify watcher: too many open files",
            "",
            "$ kubectl get nodes -L image.example.io/golden --no-headers -o custom-columns=NAME:.metadata.name,IMAGE:.metadata.labels.image\\.example\\.io/golden,AGE:.metadata.creationTimestamp",
            "worker-c7-11   golden-2026.10.1   2026-10-28T03:12:40Z",
            "worker-c7-14   golden-2026.10.1   2026-10-28T03:14:02Z",
            "worker-c7-17   golden-2026.10.1   2026-10-28T03:15:31Z",
            "worker-c7-19   golden-2026.11.3   2026-12-01T02:06:55Z",
            "",
            "$ for n in worker-c7-17 worker-c7-19; do kubectl debug node/$n -q --image=busybox:1.36 -- sh -c 'echo $(hostname) $(cat /proc/sys/fs/inotify/max_user_instances) $(cat /proc/sys/fs/inotify/max_user_watches)'; done",
            "worker-c7-17 8192 1048576",
            "worker-c7-19 128 1048576",
            "",
        ]
    )

    journal = LogFile("worker-c7-19-journal.txt", Journal(NODE, "kubelet", 1187))
    jstart = datetime(2026, 12, 1, 2, 7, tzinfo=UTC)
    journal.add(
        [
            at(
                jstart,
                0.0,
                "INFO",
                'I1201 02:07:00.118204    1187 server.go:484] "Kubelet version" kubeletVersion="v1.31.3"',
            ),
            at(
                jstart,
                0.02,
                "INFO",
                'I1201 02:07:01.402912    1187 container_manager_linux.go:300] "Creating Container Manager object based on Node Config"',
            ),
        ]
    )
    for record in loud(rng, START, 0, total, 40, fixed("INFO", lambda r: "")):
        stamp = record.time.strftime("%H:%M:%S.") + f"{record.time.microsecond:06d}"
        journal.add(
            [
                Record(
                    record.time,
                    "INFO",
                    f'I1201 {stamp}    1187 kuberuntime_manager.go:1050] "Back-off restarting failed container" containerName="fluent-bit" pod="logging/fluent-bit-q7mvn"',
                )
            ]
        )
    journal.add(
        [
            at(
                START,
                71.0,
                "WARN",
                'W1201 20:11:00.592771    1187 image_gc_manager.go:401] "Failed to garbage collect required amount of images" bytesToFree=734003200 bytesFreed=0',
            )
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(rng, ["orders", "cart", "search"], 24, NODES, namespace="shop")
    signal = [
        (
            ago(total - 5),
            (
                "Warning",
                "BackOff",
                "pod/fluent-bit-q7mvn",
                "Back-off restarting failed container fluent-bit in pod fluent-bit-q7mvn_logging(7c1e2a90-4b3d-4f58-a6c2-9d0e8f7b1a34)",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    return Bundle(
        question="Since yesterday's node replacement, logs from some pods (cart, search...) no longer show up in Grafana/Loki, and kubectl logs -f fails for them. Others are fine. Why?",
        category="file_descriptors",
        component=NODE,
        statement="worker-c7-19, rebuilt from node image golden-2026.11.3, has fs.inotify.max_user_instances at the default 128 instead of 8192; the inotify instances are used up, so fluent-bit on that node cannot initialise its tail input (inotify_init1: Too many open files) and crash-loops, and `kubectl logs -f` fails for pods there, so no logs from that node reach Loki.",
        files={
            "kubectl-logs-fluent-bit-8x2kd.txt": flb_other.render(),
            "kubectl-logs-fluent-bit-q7mvn-previous.txt": flb_bad.render(),
            "logs/loki-distributor.log": loki.render(),
            "kubectl-pasted.txt": pasted,
            "worker-c7-19-journal.txt": journal.render(),
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof("kubectl-pasted.txt", "worker-c7-19 128 1048576"),
            Proof(
                "kubectl-logs-fluent-bit-q7mvn-previous.txt",
                "inotify_init1 failed: Too many open files",
            ),
            Proof("kubectl-pasted.txt", "failed to create fsnotify watcher: too many open files"),
        ],
        decoys=[
            "Per stream rate limit exceeded",
            "failed to flush chunk '1-1764616620.412337091.flb'",
            "Failed to garbage collect required amount of images",
        ],
    )
