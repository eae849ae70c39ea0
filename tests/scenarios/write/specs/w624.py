# ruff: noqa: E501
# kubectl rows, pasted command output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the platform team let Karpenter's `general` NodePool launch arm64 (Graviton)
instances at 13:05 (America/Sao_Paulo, UTC-3). invoice-renderer 3.8.1 was published by CI for
linux/amd64 only (a single-platform manifest, no index). Pods that land on the new arm64 nodes
exit at once with `exec /usr/local/bin/invoice-renderer: exec format error` and go into
CrashLoopBackOff; pods on the older amd64 nodes keep working, so billing-api sees a share of
its PDF renders fail (503 from the Service when the healthy pods are busy, connection refused
on the crashing ones). Decoys: a Karpenter consolidation of an underused amd64 node, an
image pull of a sidecar that was slow, and billing-api's SMTP relay timeout."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import JsonLines, Log4j
from scenes import at, fixed, loud
from traffic import traffic, web_api

BRT = timezone(timedelta(hours=-3))
START = datetime(2026, 5, 6, 15, 20, tzinfo=UTC)  # 12:20 BRT
NOW = datetime(2026, 5, 6, 17, 35, tzinfo=UTC)
TOTAL = (NOW - START).total_seconds() / 60
POOL = 45.0  # 16:05 UTC, 13:05 BRT
ARM = ["ip-10-61-34-201.sa-east-1.compute.internal", "ip-10-61-50-17.sa-east-1.compute.internal"]
AMD = [
    "ip-10-61-33-12.sa-east-1.compute.internal",
    "ip-10-61-41-88.sa-east-1.compute.internal",
    "ip-10-61-52-140.sa-east-1.compute.internal",
]
IMAGE = "314159265358.dkr.ecr.sa-east-1.amazonaws.com/billing/invoice-renderer:3.8.1"
BAD = [
    "invoice-renderer-6f7d9c8b54-2kqzn",
    "invoice-renderer-6f7d9c8b54-w8r4t",
    "invoice-renderer-6f7d9c8b54-hx6jd",
]
GOOD = [
    "invoice-renderer-6f7d9c8b54-9mnb2",
    "invoice-renderer-6f7d9c8b54-tq5lv",
    "invoice-renderer-6f7d9c8b54-zc7fp",
]


def bundle() -> Bundle:
    rng = random.Random(624)

    def ago(minute: float) -> int:
        return int((TOTAL - minute) * 60)

    karp = LogFile(
        "karpenter-controller.log",
        JsonLines(
            "karpenter",
            keys=("time", "level", "message"),
            service_key="logger",
            lower_level=False,
            rng=rng,
        ),
    )
    karp.add(
        traffic(
            rng,
            lambda r: (
                "DEBUG" if r.random() < 0.6 else "INFO",
                r.choice(
                    [
                        f"discovered subnets, subnets=[subnet-0{r.getrandbits(60):015x}]",
                        f"computed new nodeclaim(s) to fit pod(s), nodeclaims=0, pods={r.randrange(0, 3)}",
                        "discovered security groups, security-groups=[sg-07b3c1a9e2d4f6081]",
                        f"discovered amis, ids=ami-0{r.getrandbits(60):015x}, count=2",
                    ]
                ),
                (),
            ),
            START,
            TOTAL,
            900,
        )
    )
    karp.add(
        [
            at(
                START,
                31.0,
                "INFO",
                "disrupting nodeclaim(s) via delete, terminating 1 nodes (3 pods) ip-10-61-44-9.sa-east-1.compute.internal/m6i.large/on-demand, reason=Underutilized, decision=consolidation",
            ),
            at(
                START,
                POOL,
                "INFO",
                'updated nodepool "general": requirements kubernetes.io/arch In [amd64 arm64], instance-category In [c m r] (was kubernetes.io/arch In [amd64])',
            ),
            at(
                START,
                POOL + 3.1,
                "INFO",
                'created nodeclaim, NodePool=general, NodeClaim=general-7xk2p, requests={"cpu":"3150m","memory":"5Gi","pods":"9"}, instance-types=c7g.xlarge, m7g.xlarge and 14 other(s)',
            ),
            at(
                START,
                POOL + 4.0,
                "INFO",
                'launched nodeclaim, NodeClaim=general-7xk2p, provider-id=aws:///sa-east-1a/i-0a91c3e5b7d2f4068, instance-type=c7g.xlarge, zone=sa-east-1a, capacity-type=spot, allocatable={"cpu":"3920m","memory":"6584Mi"}',
            ),
            at(
                START,
                POOL + 5.2,
                "INFO",
                f"registered nodeclaim, NodeClaim=general-7xk2p, Node={ARM[0]}",
            ),
            at(
                START,
                71.0,
                "INFO",
                'launched nodeclaim, NodeClaim=general-q4c9d, provider-id=aws:///sa-east-1c/i-03f8e6d4c2b0a9175, instance-type=m7g.large, zone=sa-east-1c, capacity-type=spot, allocatable={"cpu":"1930m","memory":"6584Mi"}',
            ),
            at(
                START, 72.3, "INFO", f"registered nodeclaim, NodeClaim=general-q4c9d, Node={ARM[1]}"
            ),
        ]
    )

    crash_logs = "\n".join(
        [
            f"$ kubectl -n billing logs {BAD[0]} --previous",
            "exec /usr/local/bin/invoice-renderer: exec format error",
            f"$ kubectl -n billing logs {GOOD[0]} --tail=4",
            "2026-05-06 14:31:02,114 [main] INFO  c.l.render.Application - invoice-renderer 3.8.1 started on port 8080 (JVM 21.0.3, 4 render workers)",
            "2026-05-06 14:31:40,882 [render-2] INFO  c.l.render.PdfJob - rendered invoice INV-2026-0581120 (3 pages) in 611ms",
            "2026-05-06 14:31:41,307 [render-1] INFO  c.l.render.PdfJob - rendered invoice INV-2026-0581121 (1 pages) in 244ms",
            "2026-05-06 14:31:43,950 [render-4] INFO  c.l.render.PdfJob - rendered invoice INV-2026-0581122 (2 pages) in 402ms",
            "",
        ]
    )
    pods_rows = [("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE")]
    for name, node in zip(GOOD, AMD, strict=True):
        pods_rows.append(
            (
                name,
                "1/1",
                "Running",
                "0",
                "3h2m",
                f"10.61.{rng.randrange(32, 56)}.{rng.randrange(2, 250)}",
                node,
            )
        )
    for name, node, restarts in zip(
        BAD,
        [ARM[0], ARM[0], ARM[1]],
        ["19 (2m14s ago)", "19 (4m1s ago)", "13 (58s ago)"],
        strict=True,
    ):
        pods_rows.append(
            (
                name,
                "0/1",
                "CrashLoopBackOff",
                restarts,
                "81m" if node == ARM[0] else "62m",
                f"10.61.{rng.randrange(32, 56)}.{rng.randrange(2, 250)}",
                node,
            )
        )
    pods_rows.append(
        ("billing-api-85c4f7d9b6-jr2wq", "1/1", "Running", "0", "2d4h", "10.61.41.203", AMD[1])
    )
    pods_rows.append(
        (
            "billing-api-85c4f7d9b6-m7xkc",
            "1/1",
            "Running",
            "1 (29h ago)",
            "2d4h",
            "10.61.52.77",
            AMD[2],
        )
    )
    pods = (
        "$ kubectl -n billing get pods -o wide\n"
        + "\n".join(table(pods_rows[0], pods_rows[1:]))
        + "\n"
    )
    nodes_rows = [
        ("NAME", "STATUS", "ROLES", "AGE", "VERSION", "ARCH", "NODEPOOL"),
        *[
            (
                n,
                "Ready",
                "<none>",
                rng.choice(["9d", "12d", "6d"]),
                "v1.30.4-eks-a737599",
                "amd64",
                "general",
            )
            for n in AMD
        ],
        (ARM[0], "Ready", "<none>", "85m", "v1.30.4-eks-a737599", "arm64", "general"),
        (ARM[1], "Ready", "<none>", "63m", "v1.30.4-eks-a737599", "arm64", "general"),
    ]
    nodes = (
        "$ kubectl get nodes -L kubernetes.io/arch,karpenter.sh/nodepool\n"
        + "\n".join(table(nodes_rows[0], nodes_rows[1:]))
        + "\n"
    )
    manifest = "\n".join(
        [
            f"$ crane manifest {IMAGE} | jq '{{mediaType, config: .config.digest}}'",
            "{",
            '  "mediaType": "application/vnd.docker.distribution.manifest.v2+json",',
            '  "config": "sha256:7be0c2d41f96a3e8d5b7c9a01e2f4d6b8a0c3e5f7a9b1d3f5e7c9a0b2d4f6e81"',
            "}",
            f"$ crane config {IMAGE} | jq -c '{{architecture, os}}'",
            '{"architecture":"amd64","os":"linux"}',
            "$ crane config 314159265358.dkr.ecr.sa-east-1.amazonaws.com/billing/billing-api:5.2.0 | jq -c '{architecture, os}'",
            "crane: image index with 2 manifests; pass --platform (linux/amd64, linux/arm64)",
            "",
        ]
    )
    pod = Pod(
        name=BAD[0],
        namespace="billing",
        node=ARM[0],
        app="invoice-renderer",
        status="Running",
        ip="10.61.34.118",
        start_time="Wed, 06 May 2026 16:14:22 +0000",
        containers=[
            Container(
                "invoice-renderer",
                IMAGE,
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    255",
                    "  Started:      Wed, 06 May 2026 17:32:59 +0000",
                    "  Finished:     Wed, 06 May 2026 17:32:59 +0000",
                ],
                ready=False,
                restarts=19,
                limits={"memory": "1Gi"},
                requests={"cpu": "500m", "memory": "768Mi"},
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
                "Normal",
                "Scheduled",
                "81m",
                "default-scheduler",
                f"Successfully assigned billing/{BAD[0]} to {ARM[0]}",
            ),
            (
                "Normal",
                "Pulled",
                "78m (x19 over 81m)",
                "kubelet",
                f'Container image "{IMAGE}" already present on machine',
            ),
            (
                "Normal",
                "Created",
                "78m (x19 over 81m)",
                "kubelet",
                "Created container invoice-renderer",
            ),
            (
                "Normal",
                "Started",
                "78m (x19 over 81m)",
                "kubelet",
                "Started container invoice-renderer",
            ),
            (
                "Warning",
                "BackOff",
                "2m (x352 over 81m)",
                "kubelet",
                f"Back-off restarting failed container invoice-renderer in pod {BAD[0]}_billing(5c2a8e1d-0f4b-4d7a-9e36-b1c8f2a7d940)",
            ),
        ],
    )
    describe = describe_pod(pod, rng)

    routine = routine_events(
        rng, ["billing-api", "ledger-sync", "otel-collector"], 20, AMD + ARM, namespace="billing"
    )
    signal = [
        (
            ago(POOL + 6.0),
            (
                "Normal",
                "Scheduled",
                f"pod/{BAD[0]}",
                f"Successfully assigned billing/{BAD[0]} to {ARM[0]}",
            ),
        ),
        (
            ago(POOL + 6.5),
            (
                "Normal",
                "Pulling",
                "pod/otel-collector-agent-x2x9k",
                'Pulling image "otel/opentelemetry-collector-contrib:0.102.1"',
            ),
        ),
        (
            ago(POOL + 8.8),
            (
                "Normal",
                "Pulled",
                "pod/otel-collector-agent-x2x9k",
                'Successfully pulled image "otel/opentelemetry-collector-contrib:0.102.1" in 2m17.412s (2m17.412s including waiting). Image size: 78140233 bytes.',
            ),
        ),
        (
            ago(TOTAL - 1),
            (
                "Warning",
                "BackOff",
                f"pod/{BAD[0]}",
                "Back-off restarting failed container invoice-renderer in pod "
                + BAD[0]
                + "_billing(5c2a8e1d-0f4b-4d7a-9e36-b1c8f2a7d940)",
            ),
        ),
        (
            ago(TOTAL - 0.5),
            (
                "Warning",
                "BackOff",
                f"pod/{BAD[2]}",
                "Back-off restarting failed container invoice-renderer in pod "
                + BAD[2]
                + "_billing(e07b3d9c-6a1f-4c85-b2d4-9f3e8a1c6b57)",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    api = LogFile(
        "billing-api.log",
        Log4j(
            (
                "com.ledgerly.billing.InvoiceController",
                "com.ledgerly.billing.RenderClient",
                "com.ledgerly.billing.MailOutbox",
            ),
            threads="http-nio-8080-exec",
            rng=rng,
        ),
    )
    api.add(
        traffic(
            rng, web_api("billing-api", ["invoices", "accounts", "statements"]), START, TOTAL, 4200
        )
    )
    api.add(
        [
            at(
                START,
                22.0,
                "WARN",
                "SMTP relay smtp.internal:587 timed out after 10000ms, message queued for retry (outbox id 88213)",
                logger="com.ledgerly.billing.MailOutbox",
            )
        ]
    )
    api.add(
        loud(
            rng,
            START,
            POOL + 6.6,
            TOTAL - POOL - 7,
            520,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        f"render of invoice INV-2026-05{r.randrange(80000, 99999)} failed: POST http://invoice-renderer.billing.svc:8080/v1/render -> Connection refused (attempt 3/3)",
                        f"render of invoice INV-2026-05{r.randrange(80000, 99999)} failed: POST http://invoice-renderer.billing.svc:8080/v1/render -> 503 Service Unavailable (attempt 3/3)",
                    ]
                ),
            ),
        )
    )
    return Bundle(
        question="Since roughly 13:10 (São Paulo time) about a third of invoice PDF renders from billing-api fail with connection refused or 503. Nothing was deployed to billing today. What is the root cause?",
        category="deployment",
        component="invoice-renderer",
        statement="invoice-renderer 3.8.1 was published for linux/amd64 only; after the general NodePool started launching arm64 (Graviton) instances at 13:05 BRT, its containers placed there fail with `exec format error` and crash-loop, while the copies on amd64 machines keep working.",
        files={
            "karpenter-controller.log": karp.render(),
            "billing-api.log": api.render(),
            "kubectl-get-pods-billing.txt": pods,
            "kubectl-get-nodes.txt": nodes,
            f"kubectl-describe-pod-{BAD[0]}.txt": describe,
            "kubectl-get-events-billing.txt": events,
            "kubectl-logs-invoice-renderer.txt": crash_logs,
            "crane-invoice-renderer.txt": manifest,
        },
        proofs=[
            Proof("kubectl-logs-invoice-renderer.txt", "exec format error"),
            Proof("crane-invoice-renderer.txt", '{"architecture":"amd64","os":"linux"}'),
            Proof("karpenter-controller.log", "requirements kubernetes.io/arch In [amd64 arm64]"),
        ],
        decoys=[
            "reason=Underutilized, decision=consolidation",
            "in 2m17.412s",
            "SMTP relay smtp.internal:587 timed out",
        ],
    )
