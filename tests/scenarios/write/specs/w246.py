# ruff: noqa: E501
# kubectl output, chrony output and hand-written log lines are data, kept whole on one line.
"""Kubernetes on vSphere: worker k8s-media-w03 was rebuilt yesterday from an old VM template
with chronyd masked; at 08:09 UTC vSphere suspended and resumed it during a host evacuation and
its clock came back about 17 minutes behind, with nothing to correct it. The media-upload pod
there gets `403 RequestTimeTooSkewed` from the MinIO object store on every upload (SigV4
signatures stamped in the past, beyond the 15 minute window), so about a quarter of uploads
fail; the pods on the other workers are fine. Decoys: an MinIO 503
SlowDown retried successfully, 413s for oversized files at the ingress, and a slow virus scan
warning."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events, table
from records import Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 12, 1, 7, 20, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 9, 50, tzinfo=UTC)
SKEWED_FROM = 49.0  # 08:09, the suspend and resume
BAD = "k8s-media-w03"
PODS = [
    ("media-upload-6d7f8c9b45-2hjwk", "k8s-media-w01", "10.244.8.203"),
    ("media-upload-6d7f8c9b45-8rmxv", BAD, "10.244.9.88"),
    ("media-upload-6d7f8c9b45-qn4bz", "k8s-media-w04", "10.244.10.41"),
    ("media-upload-6d7f8c9b45-vw9tc", "k8s-media-w02", "10.244.8.74"),
]


def bundle() -> Bundle:
    rng = random.Random(2460)
    total = (NOW - START).total_seconds() / 60
    files: dict[str, str] = {}
    for name, node, _ip in PODS:
        log = LogFile(
            f"logs/{name}.log",
            Zap(("upload/handler.go:118", "upload/s3.go:77", "scan/client.go:52"), rng=rng),
        )
        log.add(
            traffic(rng, web_api("media-upload", ["uploads", "thumbnails"]), START, total, 1300)
        )
        if node == BAD:
            log.add(
                loud(
                    rng,
                    START,
                    SKEWED_FROM,
                    total - SKEWED_FROM - 0.5,
                    700,
                    fixed(
                        "ERROR",
                        lambda r: (
                            f"upload {r.getrandbits(48):012x} failed: operation error S3: PutObject, https response error StatusCode: 403, RequestID: {r.getrandbits(64):016X}, HostID: {r.getrandbits(160):040x}=, api error RequestTimeTooSkewed: The difference between the request time and the server's time is too large."
                        ),
                    ),
                )
            )
            # After the resume the pod writes its times from the node's clock, 17 min 4 s behind.
            lag = timedelta(minutes=17, seconds=4)
            log.records = [
                replace(record, time=record.time - lag)
                if record.time >= START + timedelta(minutes=SKEWED_FROM)
                else record
                for record in log.records
            ]
        if name.endswith("2hjwk"):
            log.add(
                [
                    at(
                        START,
                        36.4,
                        "WARN",
                        "PutObject attempt 1 failed: api error SlowDown: Please reduce your request rate. (retrying in 212ms)",
                        logger="upload/s3.go:77",
                    ),
                    at(
                        START,
                        36.41,
                        "INFO",
                        "PutObject attempt 2 succeeded for key media/2026/12/01/7c1e4a9b.jpg",
                        logger="upload/s3.go:77",
                    ),
                ]
            )
        if name.endswith("qn4bz"):
            log.add(
                [
                    at(
                        START,
                        88.2,
                        "WARN",
                        "virus scan took 9.8s for 412 MB video (clamd at scan-svc:3310), above 5s budget",
                        logger="scan/client.go:52",
                    )
                ]
            )
        files[log.name] = log.render()

    edge = "\n".join(
        [
            "# ingress-nginx, 4xx and 5xx for upload.media.example.com since 07:20 UTC, by status (from the controller logs)",
            *table(
                ("STATUS", "COUNT", "UPSTREAM"),
                [
                    ("403", "703", "media-media-upload-8080"),
                    ("413", "58", "-"),
                    ("502", "2", "media-media-upload-8080"),
                ],
            ),
            "",
        ]
    )
    nodes = "\n".join(
        [
            "$ kubectl -n media get pods -l app=media-upload -o wide",
            *table(
                (
                    "NAME",
                    "READY",
                    "STATUS",
                    "RESTARTS",
                    "AGE",
                    "IP",
                    "NODE",
                    "NOMINATED NODE",
                    "READINESS GATES",
                ),
                [
                    (name, "1/1", "Running", "0", "2h19m", ip, node, "<none>", "<none>")
                    for name, node, ip in PODS
                ],
            ),
            "",
            "$ kubectl get nodes -l node-role.example.com/media=true -o wide",
            *table(
                (
                    "NAME",
                    "STATUS",
                    "ROLES",
                    "AGE",
                    "VERSION",
                    "INTERNAL-IP",
                    "EXTERNAL-IP",
                    "OS-IMAGE",
                    "KERNEL-VERSION",
                    "CONTAINER-RUNTIME",
                ),
                [
                    (
                        "k8s-media-w01",
                        "Ready",
                        "<none>",
                        "212d",
                        "v1.30.6",
                        "10.40.12.21",
                        "<none>",
                        "Ubuntu 22.04.5 LTS",
                        "5.15.0-125-generic",
                        "containerd://1.7.22",
                    ),
                    (
                        "k8s-media-w02",
                        "Ready",
                        "<none>",
                        "212d",
                        "v1.30.6",
                        "10.40.12.22",
                        "<none>",
                        "Ubuntu 22.04.5 LTS",
                        "5.15.0-125-generic",
                        "containerd://1.7.22",
                    ),
                    (
                        "k8s-media-w03",
                        "Ready",
                        "<none>",
                        "21h",
                        "v1.30.6",
                        "10.40.12.23",
                        "<none>",
                        "Ubuntu 22.04.4 LTS",
                        "5.15.0-101-generic",
                        "containerd://1.7.22",
                    ),
                    (
                        "k8s-media-w04",
                        "Ready",
                        "<none>",
                        "212d",
                        "v1.30.6",
                        "10.40.12.24",
                        "<none>",
                        "Ubuntu 22.04.5 LTS",
                        "5.15.0-125-generic",
                        "containerd://1.7.22",
                    ),
                ],
            ),
            "",
            "$ kubectl debug node/k8s-media-w01 -it --image=harbor.corp.example/library/ubuntu:22.04 -- chroot /host sh -c 'date -u; chronyc tracking'",
            "Tue Dec  1 09:48:57 UTC 2026",
            "Reference ID    : 0A280A05 (ntp1.corp.example)",
            "Stratum         : 4",
            "Ref time (UTC)  : Tue Dec 01 09:46:12 2026",
            "System time     : 0.000012904 seconds fast of NTP time",
            "Last offset     : +0.000003117 seconds",
            "RMS offset      : 0.000011842 seconds",
            "Frequency       : 3.781 ppm slow",
            "Residual freq   : +0.000 ppm",
            "Skew            : 0.016 ppm",
            "Root delay      : 0.000391284 seconds",
            "Root dispersion : 0.000268921 seconds",
            "Update interval : 16.1 seconds",
            "Leap status     : Normal",
            "",
            f"$ kubectl debug node/{BAD} -it --image=harbor.corp.example/library/ubuntu:22.04 -- chroot /host sh -c 'date -u; chronyc tracking; systemctl is-enabled chronyd'",
            "Tue Dec  1 09:32:03 UTC 2026",
            "506 Cannot talk to daemon",
            "masked",
            "",
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["thumbnailer", "scan-svc", "media-api"], 20, [p[1] for p in PODS], namespace="media"
    )
    signal = [
        (
            ago(SKEWED_FROM - 0.5),
            ("Normal", "NodeNotReady", f"node/{BAD}", f"Node {BAD} status is now: NodeNotReady"),
        ),
        (
            ago(SKEWED_FROM + 0.2),
            ("Normal", "NodeReady", f"node/{BAD}", f"Node {BAD} status is now: NodeReady"),
        ),
    ]
    events = event_listing(routine, signal)
    return Bundle(
        question="Since about 08:10 UTC roughly one upload in four fails with a 403 from the object store; the other uploads work and nothing was deployed. What is the root cause?",
        category="clock",
        component=BAD,
        statement="Worker k8s-media-w03, rebuilt from an old template with chronyd masked, came back from a vSphere suspend and resume at 08:09 UTC about 17 minutes behind; the media-upload pod on it signs object-store requests in the past and every upload from it fails with 403 RequestTimeTooSkewed.",
        files={
            **files,
            "ingress-summary.txt": edge,
            "kubectl-nodes.txt": nodes,
            "kubectl-get-events.txt": events,
        },
        proofs=[Proof("kubectl-nodes.txt", "Tue Dec  1 09:32:03 UTC 2026", "masked")],
        decoys=[
            "api error SlowDown: Please reduce your request rate.",
            "virus scan took 9.8s for 412 MB video",
            "413      58",
        ],
    )
