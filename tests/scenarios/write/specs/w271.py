# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: a values change for invoice-renderer (revision 31, 13:02 UTC) raised the JVM heap
to `-Xmx1536m` through JAVA_TOOL_OPTIONS while the container's memory limit stayed 1Gi. Once the
month-end batch fills the heap past ~1 GiB the kernel OOM-kills the container (exit 137, reason
OOMKilled) without any Java OutOfMemoryError; pods restart and PDF requests fail with 502 at the
ingress. Decoys: the JVM's GC pause warnings, billing-api's 502s from invoice-renderer, and a
node's image garbage-collection event."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import SpringBoot
from scenes import at, loud
from traffic import traffic, web_api

START = datetime(2026, 5, 29, 12, 40, tzinfo=UTC)
NOW = datetime(2026, 5, 29, 14, 25, tzinfo=UTC)
NODES = [
    "gke-fin-prod-pool-b-5d1c7e2a-9xkq",
    "gke-fin-prod-pool-b-5d1c7e2a-h3tn",
    "gke-fin-prod-pool-b-5d1c7e2a-zp84",
]
POD = "invoice-renderer-7b9d4c6f58-qm2xs"


def bundle() -> Bundle:
    rng = random.Random(27105)
    total = (NOW - START).total_seconds() / 60
    app = LogFile(
        "logs/invoice-renderer.log",
        SpringBoot(
            ("com.ledgerly.render.PdfController", "com.ledgerly.render.BatchRunner"), rng=rng
        ),
    )
    app.add(
        traffic(rng, web_api("invoice-renderer", ["invoices", "templates"]), START, total, 2600)
    )
    app.add(
        [
            at(
                START,
                22.4,
                "INFO",
                "Picked up JAVA_TOOL_OPTIONS: -Xms512m -Xmx1536m -XX:+UseG1GC -XX:MaxGCPauseMillis=200",
                logger="jvm",
            )
        ]
    )
    for n, minute in enumerate([41.0, 63.5, 78.2, 89.9]):
        app.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"month-end batch: rendering chunk {n + 1} ({rng.randrange(1800, 2600)} invoices)",
                    logger="com.ledgerly.render.BatchRunner",
                ),
                at(
                    START,
                    minute + 3.1,
                    "WARN",
                    f"[gc] GC(1{n}7) Pause Young (Normal) (G1 Evacuation Pause) {rng.randrange(900, 1010)}M->{rng.randrange(980, 1080)}M(1536M) {rng.randrange(210, 390)}.{rng.randrange(999)}ms",
                    logger="jvm",
                ),
                at(
                    START,
                    minute + 4.4,
                    "INFO",
                    "Starting InvoiceRendererApplication v4.12.0 using Java 17.0.11 with PID 1",
                    logger="com.ledgerly.render.InvoiceRendererApplication",
                ),
                at(
                    START,
                    minute + 4.5,
                    "INFO",
                    "Picked up JAVA_TOOL_OPTIONS: -Xms512m -Xmx1536m -XX:+UseG1GC -XX:MaxGCPauseMillis=200 ",
                    logger="jvm",
                ),
            ]
        )
    billing = LogFile(
        "logs/billing-api.log", SpringBoot(("com.ledgerly.billing.InvoiceClient",), rng=rng)
    )
    billing.add(
        traffic(rng, web_api("billing-api", ["accounts", "statements"]), START, total, 2200)
    )
    for minute in [45.1, 67.6, 82.3, 94.0]:
        billing.add(
            loud(
                rng,
                START,
                minute,
                1.3,
                70,
                lambda r: (
                    "ERROR",
                    f"PDF fetch failed for invoice INV-2026-05-{r.randrange(10**5):05d}: 502 Bad Gateway from http://invoice-renderer.billing.svc:8080/v1/invoices/render",
                    (),
                ),
            )
        )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["billing-api", "statement-mailer", "ledger-sync"], 20, NODES, namespace="billing"
    )
    signal = [
        (
            ago(22.0),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/invoice-renderer",
                "Scaled up replica set invoice-renderer-7b9d4c6f58 to 2",
            ),
        ),
        (
            ago(30.0),
            (
                "Normal",
                "ImageGCFailed",
                f"node/{NODES[1]}",
                "failed to garbage collect required amount of images. Attempted to free 812349440 bytes, but only found 0 bytes eligible to free.",
            ),
        ),
    ]
    for minute in [45.0, 67.5, 82.2, 93.9]:
        signal.append(
            (
                ago(minute),
                (
                    "Warning",
                    "BackOff",
                    f"pod/{POD}",
                    f"Back-off restarting failed container invoice-renderer in pod {POD}_billing(4f0a2c1e-7d3b-4b9a-9e61-0c5d2f8a7b13)",
                ),
            )
        )
    events = event_listing(routine, signal)
    pod = Pod(
        name=POD,
        namespace="billing",
        node=NODES[0],
        app="invoice-renderer",
        ip="10.48.2.117",
        start_time="Fri, 29 May 2026 13:02:20 +0000",
        containers=[
            Container(
                name="invoice-renderer",
                image="europe-west1-docker.pkg.dev/ledgerly/apps/invoice-renderer:4.12.0",
                state=["Running", "  Started:      Fri, 29 May 2026 14:14:31 +0000"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Fri, 29 May 2026 13:58:49 +0000",
                    "  Finished:     Fri, 29 May 2026 14:14:29 +0000",
                ],
                restarts=4,
                limits={"cpu": "2", "memory": "1Gi"},
                requests={"cpu": "500m", "memory": "1Gi"},
                probes=[
                    "Readiness:  http-get http://:8080/actuator/health/readiness delay=20s timeout=2s period=10s #success=1 #failure=3"
                ],
                environment=[
                    "JAVA_TOOL_OPTIONS:  -Xms512m -Xmx1536m -XX:+UseG1GC -XX:MaxGCPauseMillis=200",
                    "SPRING_PROFILES_ACTIVE:  prod",
                    "RENDER_THREADS:  6",
                ],
            )
        ],
        events=[
            (
                "Warning",
                "BackOff",
                "10m (x3 over 74m)",
                "kubelet",
                "Back-off restarting failed container invoice-renderer in pod "
                + POD
                + "_billing(4f0a2c1e-7d3b-4b9a-9e61-0c5d2f8a7b13)",
            )
        ],
    )
    history = "\n".join(
        [
            "$ helm -n billing history invoice-renderer --max 3",
            "REVISION\tUPDATED                 \tSTATUS    \tCHART                  \tAPP VERSION\tDESCRIPTION",
            "29      \tTue May 12 09:14:02 2026\tsuperseded\tinvoice-renderer-4.11.2\t4.11.2     \tUpgrade complete",
            "30      \tWed May 20 16:40:55 2026\tsuperseded\tinvoice-renderer-4.12.0\t4.12.0     \tUpgrade complete",
            "31      \tFri May 29 13:02:11 2026\tdeployed  \tinvoice-renderer-4.12.0\t4.12.0     \tUpgrade complete",
            "",
            "$ helm -n billing get values invoice-renderer --revision 30 | grep -A3 -E 'javaOpts|memory'",
            "javaOpts: -Xms512m -Xmx640m -XX:+UseG1GC -XX:MaxGCPauseMillis=200",
            "    memory: 1Gi",
            "",
            "$ helm -n billing get values invoice-renderer --revision 31 | grep -A3 -E 'javaOpts|memory'",
            "javaOpts: -Xms512m -Xmx1536m -XX:+UseG1GC -XX:MaxGCPauseMillis=200",
            "    memory: 1Gi",
            "",
        ]
    )
    return Bundle(
        question="Invoice PDFs keep failing with 502 in bursts during the month-end run this afternoon, and the renderer pods restart. Why?",
        category="memory",
        component="invoice-renderer",
        statement="Release revision 31 (13:02 UTC) raised invoice-renderer's JVM heap to -Xmx1536m while its container memory limit stayed 1Gi; during the month-end batch the heap grows past the limit and the kernel OOM-kills the container (exit 137, OOMKilled), so PDF requests fail with 502 while it restarts.",
        files={
            "kubectl-describe-pod.txt": describe_pod(pod, rng),
            "kubectl-get-events.txt": events,
            "helm.txt": history,
            "logs/invoice-renderer.log": app.render(),
            "logs/billing-api.log": billing.render(),
        },
        proofs=[
            Proof("kubectl-describe-pod.txt", "Reason:       OOMKilled", "Exit Code:    137"),
            Proof("kubectl-describe-pod.txt", "JAVA_TOOL_OPTIONS:  -Xms512m -Xmx1536m"),
            Proof("helm.txt", "javaOpts: -Xms512m -Xmx1536m"),
        ],
        decoys=[
            "G1 Evacuation Pause",
            "502 Bad Gateway from http://invoice-renderer",
            "ImageGCFailed",
        ],
    )
