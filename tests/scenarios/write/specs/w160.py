# ruff: noqa: E501
# kubectl rows, hand-written log lines and series definitions are data, kept whole on one line.
"""Kubernetes: pdf-export 2.6.0 (deployed the evening before) keeps every rendered page's assets
in a cache under /tmp/render-cache, on the container's writable layer, and never expires them
(`maxAgeSeconds=0`). The container's ephemeral-storage limit is 2Gi: under the Monday-morning
report load each pod fills it in 40-60 minutes and the kubelet evicts it (`Pod ephemeral local
storage usage exceeds the total limit of containers 2Gi.`); in-flight exports are cut off and
reports-gateway answers 502. Loud: the gateway's 502s and resets, the churn of Evicted pods.
Decoys: an S3 SlowDown retry, Chromium's fontconfig warnings, and expired-token 401s at the
gateway."""

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, table
from metrics import csv_text
from records import JsonLines, Pino
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 2, 3, 7, 0, tzinfo=UTC)
NOW = datetime(2025, 2, 3, 9, 30, tzinfo=UTC)
EVICTIONS = [58.0, 71.5, 96.0, 109.0, 121.5, 138.0]  # minutes after START
POD = "pdf-export-6cf9d7b84d-w7lzq"


def render_line(rng: random.Random) -> Line:
    roll = rng.random()
    report = f"rpt_{rng.getrandbits(40):010x}"
    if roll < 0.55:
        return (
            "INFO",
            f"rendered {report} pages={rng.randrange(2, 60)} bytes={rng.randrange(80_000, 4_000_000)} took={rng.randrange(300, 9000)}ms",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"uploaded {report}.pdf to s3://acme-reports-prod/exports/2025/02/03/ in {rng.randrange(40, 400)}ms",
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            f"render cache store key={rng.getrandbits(64):016x} size={rng.randrange(20_000, 900_000)}",
            (),
        )
    return (
        "WARN",
        'Fontconfig warning: "/etc/fonts/fonts.conf", line 86: unknown element "blank"',
        (),
    )


def gateway_ok(rng: random.Random) -> Line:
    return (
        "INFO",
        f"POST /v1/exports status=200 upstream=pdf-export duration_ms={rng.randrange(400, 9500)} tenant=t{rng.randrange(100, 999)}",
        (),
    )


def gateway_cut(rng: random.Random) -> Line:
    return (
        "ERROR",
        f'POST /v1/exports status=502 upstream=pdf-export duration_ms={rng.randrange(1000, 30000)} error="read tcp 10.24.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)}->10.96.77.{rng.randrange(2, 250)}:80: read: connection reset by peer"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1160)
    total = (NOW - START).total_seconds() / 60
    app = LogFile(f"logs/{POD}.log", Pino(POD, rng=rng))
    app.add(
        [
            at(START, 12.0, "INFO", "pdf-export 2.6.0 listening on :3000 (node v20.18.1)"),
            at(START, 12.02, "INFO", "chromium 131.0.6778.85 launched headless, pool size 4"),
            at(
                START,
                12.04,
                "INFO",
                "render cache enabled dir=/tmp/render-cache maxAgeSeconds=0 maxEntries=unbounded",
            ),
        ]
    )
    app.add(traffic(rng, render_line, START + timedelta(minutes=12.1), 58.0 + 13.5 - 12.2, 1700))
    app.add(
        [
            at(
                START,
                41.3,
                "WARN",
                "S3 PutObject retry 1/3 for rpt_7f01c2a9e4.pdf: SlowDown: Please reduce your request rate.",
            ),
            at(START, 71.45, "INFO", "received SIGTERM, draining 3 in-flight renders"),
        ]
    )
    gateway = LogFile("logs/reports-gateway.log", JsonLines("reports-gateway", rng=rng))
    gateway.add(traffic(rng, gateway_ok, START, total, 3800))
    for minute in EVICTIONS:
        gateway.add(loud(rng, START, minute, 1.2, rng.randrange(60, 110), gateway_cut))
    gateway.add(
        loud(
            rng,
            START,
            0,
            total,
            140,
            fixed(
                "WARN",
                lambda r: (
                    f'POST /v1/exports status=401 error="token expired" tenant=t{r.randrange(100, 999)}'
                ),
            ),
        )
    )
    pod = Pod(
        name=POD,
        namespace="reporting",
        node="aks-render-23810457-vmss00000b",
        app="pdf-export",
        status="Failed",
        start_time="Mon, 03 Feb 2025 07:12:03 +0000",
        ip="10.24.5.38",
        containers=[
            Container(
                name="pdf-export",
                image="acmereports.azurecr.io/reporting/pdf-export:2.6.0",
                state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    137",
                    "  Started:      Mon, 03 Feb 2025 07:12:05 +0000",
                    "  Finished:     Mon, 03 Feb 2025 08:11:58 +0000",
                ],
                ready=False,
                port="3000/TCP",
                limits={"cpu": "2", "ephemeral-storage": "2Gi", "memory": "3Gi"},
                requests={"cpu": "1", "ephemeral-storage": "1Gi", "memory": "2Gi"},
                probes=[
                    "Readiness:  http-get http://:3000/ready delay=5s timeout=2s period=10s #success=1 #failure=3"
                ],
                environment=[
                    "NODE_ENV:        production",
                    "RENDER_POOL:     4",
                    "S3_BUCKET:       acme-reports-prod",
                ],
            )
        ],
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Warning",
                "Evicted",
                "78m",
                "kubelet",
                "Pod ephemeral local storage usage exceeds the total limit of containers 2Gi.",
            ),
            ("Normal", "Killing", "78m", "kubelet", "Stopping container pdf-export"),
        ],
    )
    described = describe_pod(pod, rng).replace(
        "Status:           Failed\n",
        "Status:           Failed\nReason:           Evicted\nMessage:          Pod ephemeral local storage usage exceeds the total limit of containers 2Gi. \n",
    )
    pods = [("NAME", "READY", "STATUS", "RESTARTS", "AGE")]
    ages = ["2h18m", "2h4m", "1h52m", "1h38m", "1h26m", "1h9m"]
    names = [POD] + [
        f"pdf-export-6cf9d7b84d-{''.join(rng.choice('bcdfghjklmnpqrstvwxz2456789') for _ in range(5))}"
        for _ in range(8)
    ]
    for name, pod_age in zip(names[:6], ages, strict=True):
        pods.append((name, "0/1", "Evicted", "0", pod_age))
    for name, pod_age in zip(names[6:], ["52m", "31m", "19m"], strict=True):
        pods.append((name, "1/1", "Running", "0", pod_age))
    pods += [
        ("reports-gateway-5b8f6c9d7-9xkpt", "1/1", "Running", "0", "9d"),
        ("reports-gateway-5b8f6c9d7-r4m2v", "1/1", "Running", "0", "9d"),
    ]
    top_nodes = [
        ("NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"),
        ("aks-render-23810457-vmss00000a", "2381m", "30%", "9120Mi", "33%"),
        ("aks-render-23810457-vmss00000b", "2966m", "37%", "10411Mi", "38%"),
    ]
    kubectl = "\n".join(
        [
            "$ kubectl -n reporting get pods",
            *table(pods[0], pods[1:]),
            "",
            "$ kubectl top nodes -l agentpool=render",
            *table(top_nodes[0], top_nodes[1:]),
            "",
            "$ kubectl describe node aks-render-23810457-vmss00000b | grep -A7 Conditions",
            "Conditions:",
            "  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message",
            "  ----             ------  -----------------                 ------------------                ------                       -------",
            "  MemoryPressure   False   Mon, 03 Feb 2025 09:29:12 +0000   Tue, 21 Jan 2025 03:10:44 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available",
            "  DiskPressure     False   Mon, 03 Feb 2025 09:29:12 +0000   Tue, 21 Jan 2025 03:10:44 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure",
            "  PIDPressure      False   Mon, 03 Feb 2025 09:29:12 +0000   Tue, 21 Jan 2025 03:10:44 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available",
            "  Ready            True    Mon, 03 Feb 2025 09:29:12 +0000   Tue, 21 Jan 2025 03:10:44 +0000   KubeletReady                 kubelet is posting ready status",
            "",
            "$ helm -n reporting history pdf-export | tail -3",
            "REVISION  UPDATED                   STATUS      CHART              APP VERSION  DESCRIPTION",
            "40        Thu Jan 23 16:02:11 2025  superseded  pdf-export-1.19.0  2.5.4        Upgrade complete",
            "41        Sun Feb  2 18:40:37 2025  deployed    pdf-export-1.20.0  2.6.0        Upgrade complete",
            "",
        ]
    )
    borns = [total - 52, total - 31, total - 19]

    def growing(born: float) -> Callable[[int], float]:
        return lambda index: (
            0.0 if index < born else min(2040.0, 170 + (index - born) * 30.5 + rng.gauss(0, 9))
        )

    series = {
        f'container_fs_usage_mib{{pod="{name}"}}': growing(born)
        for name, born in zip(names[6:], borns, strict=True)
    }
    series['node_fs_used_percent{node="aks-render-23810457-vmss00000b"}'] = lambda index: (
        31.0 + rng.gauss(0, 0.6)
    )
    metrics = csv_text(START, 60, int(total), series)
    files = {
        "kubectl.txt": kubectl,
        "kubectl-describe-pod.txt": described,
        "metrics.csv": metrics,
        f"logs/{POD}.log": app.render(),
        "logs/reports-gateway.log": gateway.render(),
    }
    return Bundle(
        question="Report exports keep failing with 502 this morning, in waves, and pods keep getting replaced. What is going on?",
        category="disk",
        component="pdf-export",
        statement="pdf-export 2.6.0 (deployed 2 Feb 18:40 UTC) caches rendered assets under /tmp/render-cache without expiry; each pod fills its 2Gi ephemeral-storage limit within about an hour of load and the kubelet evicts it (first at 07:58 UTC), cutting off in-flight exports so reports-gateway answers 502 in waves.",
        files=files,
        proofs=[
            Proof(
                "kubectl-describe-pod.txt",
                "Message:          Pod ephemeral local storage usage exceeds",
            ),
            Proof(f"logs/{POD}.log", "render cache enabled dir=/tmp/render-cache"),
        ],
        decoys=[
            "SlowDown: Please reduce your request rate.",
            "Fontconfig warning",
            "token expired",
        ],
    )
