# ruff: noqa: E501
# kubectl rows, registry output and hand-written log lines are data, kept whole on one line.
"""Kubernetes, single-architecture image: report-renderer 2.4.0 was rolled out at 10:12 UTC
(Europe/Amsterdam 12:12). Its CI job was moved to a new runner whose buildx step only targets
linux/amd64, so the tag is not a multi-arch index any more, while the cluster's `general` node
pool is mostly Graviton (arm64). New pods scheduled on arm64 nodes exit at once with
`exec /app/report-renderer: exec format error` and sit in CrashLoopBackOff; the two on amd64
nodes run. exports-api logs loud render failures (connection refused / 503) on about 60% of
exports. Decoys: Karpenter's consolidation of an amd64 node, exports-api's S3 SlowDown
retries, and an older OOMKilled report-renderer pod from last week's runbook."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import KubectlTimestamps, Pino
from scenes import at, loud
from traffic import traffic

START = datetime(2026, 5, 28, 9, 40, tzinfo=UTC)
NOW = datetime(2026, 5, 28, 11, 5, tzinfo=UTC)
ROLLOUT = 32.0  # 10:12
ARM = [
    "ip-172-31-18-44.eu-central-1.compute.internal",
    "ip-172-31-27-190.eu-central-1.compute.internal",
    "ip-172-31-40-9.eu-central-1.compute.internal",
]
AMD = [
    "ip-172-31-33-151.eu-central-1.compute.internal",
    "ip-172-31-9-212.eu-central-1.compute.internal",
]
PODS = [
    ("report-renderer-7b5c9d4f86-2jkxw", ARM[0]),
    ("report-renderer-7b5c9d4f86-6pqtz", AMD[0]),
    ("report-renderer-7b5c9d4f86-bn84r", ARM[1]),
    ("report-renderer-7b5c9d4f86-hw3vd", ARM[2]),
    ("report-renderer-7b5c9d4f86-s9lfm", AMD[1]),
]
IMAGE = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/docs/report-renderer:2.4.0"


def bundle() -> Bundle:
    rng = random.Random(55933)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    exports = LogFile("logs/exports-api.log", Pino("exports-api-58d6c7b9f4-lq2vn", rng=rng))

    def export_ok(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "INFO",
            f"export {r.getrandbits(48):012x} rendered ({r.choice(['pdf', 'pdf', 'xlsx', 'csv'])}, {r.randrange(1, 90)} pages) in {r.randrange(180, 2400)}ms",
            (),
        )

    exports.add(traffic(rng, export_ok, START, total, 2600))
    exports.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"request completed GET /v1/exports/{r.getrandbits(48):012x} 200 {r.randrange(3, 60)}ms",
                (),
            ),
            START,
            total,
            2400,
        )
    )
    exports.add(
        loud(
            rng,
            START,
            ROLLOUT + 1.2,
            total - ROLLOUT - 1.3,
            780,
            lambda r: (
                "ERROR",
                f"export {r.getrandbits(48):012x} failed: render request to http://report-renderer.docs.svc:8080/render {r.choice(['failed: connect ECONNREFUSED 10.96.142.17:8080', 'returned 503 Service Unavailable', 'failed: socket hang up'])}",
                (),
            ),
        )
    )
    exports.add(
        [
            at(
                START,
                m,
                "WARN",
                f"S3 PutObject to docs-exports-prod throttled (SlowDown), retry {k}/3 after {k * 200}ms",
            )
            for k, m in ((1, 14.7), (2, 14.8), (1, 58.2))
        ]
    )
    prev = LogFile("kubectl-logs-report-renderer-previous.txt", KubectlTimestamps())
    prev.add([at(START, total - 1.1, "ERROR", "exec /app/report-renderer: exec format error")])
    routine = routine_events(
        rng, ["exports-api", "docs-web", "thumbnailer"], 20, ARM + AMD, namespace="docs"
    )
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/report-renderer",
                "Scaled up replica set report-renderer-7b5c9d4f86 to 2",
            ),
        ),
        (
            ago(ROLLOUT - 0.1),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/report-renderer",
                "Scaled down replica set report-renderer-6d4f8b7c59 to 3 from 5",
            ),
        ),
        (
            ago(ROLLOUT + 3),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/report-renderer",
                "Scaled down replica set report-renderer-6d4f8b7c59 to 0 from 3",
            ),
        ),
        (
            ago(total - 0.7),
            (
                "Warning",
                "BackOff",
                f"pod/{PODS[0][0]}",
                f"Back-off restarting failed container report-renderer in pod {PODS[0][0]}_docs(4b1f0e7a-9c3d-4e25-8a61-d7c2f9b0e384)",
            ),
        ),
        (
            ago(total - 0.4),
            (
                "Warning",
                "BackOff",
                f"pod/{PODS[3][0]}",
                f"Back-off restarting failed container report-renderer in pod {PODS[3][0]}_docs(a96e2d51-0f7b-4c83-b214-5e8d0c3a7f19)",
            ),
        ),
        (
            ago(ROLLOUT - 9),
            (
                "Normal",
                "DisruptionBlocked",
                "node/ip-172-31-21-77.eu-central-1.compute.internal",
                "Cannot disrupt Node: state node is nominated for a pending pod",
            ),
        ),
        (
            ago(ROLLOUT - 6),
            (
                "Normal",
                "Unconsolidatable",
                "nodeclaim/general-amd64-x7k2m",
                "Can't replace with a cheaper node",
            ),
        ),
        (
            ago(ROLLOUT - 5),
            (
                "Normal",
                "DisruptionTerminating",
                "node/ip-172-31-21-77.eu-central-1.compute.internal",
                "Disrupting Node: Consolidation/Delete",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    restarts = int((total - ROLLOUT) / 5) + 2
    pod = Pod(
        name=PODS[0][0],
        namespace="docs",
        node=PODS[0][1],
        app="report-renderer",
        status="Running",
        ip="172.31.19.208",
        start_time="Thu, 28 May 2026 10:12:06 +0000",
        containers=[
            Container(
                "report-renderer",
                IMAGE,
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    255",
                    "  Started:      Thu, 28 May 2026 11:03:51 +0000",
                    "  Finished:     Thu, 28 May 2026 11:03:51 +0000",
                ],
                ready=False,
                restarts=restarts,
                limits={"memory": "1Gi"},
                requests={"cpu": "500m", "memory": "512Mi"},
            )
        ],
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        node_selectors="karpenter.sh/nodepool=general",
        events=[
            (
                "Normal",
                "Pulled",
                f"3m (x{restarts} over 52m)",
                "kubelet",
                f'Container image "{IMAGE}" already present on machine',
            ),
            (
                "Warning",
                "BackOff",
                f"42s (x{restarts * 9} over 52m)",
                "kubelet",
                f"Back-off restarting failed container report-renderer in pod {PODS[0][0]}_docs(4b1f0e7a-9c3d-4e25-8a61-d7c2f9b0e384)",
            ),
        ],
    )
    crashing = {PODS[0][0], PODS[2][0], PODS[3][0]}
    rows = [
        (
            name,
            "0/1" if name in crashing else "1/1",
            "CrashLoopBackOff" if name in crashing else "Running",
            f"{restarts - i} (52s ago)" if name in crashing else "0",
            "53m",
            f"172.31.{rng.randrange(8, 48)}.{rng.randrange(2, 250)}",
            node,
        )
        for i, (name, node) in enumerate(PODS)
    ]
    rows.append(
        (
            "report-renderer-6d4f8b7c59-qq7nd",
            "0/1",
            "OOMKilled",
            "0",
            "6d21h",
            "<none>",
            "ip-172-31-21-77.eu-central-1.compute.internal",
        )
    )
    node_rows = [
        (n, "Ready", "<none>", "9d", "v1.31.2-eks-94953ac", "arm64", "m7g.2xlarge") for n in ARM
    ] + [(n, "Ready", "<none>", "2d", "v1.31.2-eks-94953ac", "amd64", "m6i.2xlarge") for n in AMD]
    pasted = "\n".join(
        [
            "$ kubectl -n docs get pods -l app=report-renderer -o wide",
            *table(("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"), rows),
            "",
            "$ kubectl get nodes -L kubernetes.io/arch,node.kubernetes.io/instance-type",
            *table(
                ("NAME", "STATUS", "ROLES", "AGE", "VERSION", "ARCH", "INSTANCE-TYPE"), node_rows
            ),
            "",
            f"$ docker buildx imagetools inspect {IMAGE}",
            f"Name:      {IMAGE}",
            "MediaType: application/vnd.docker.distribution.manifest.v2+json",
            "Digest:    sha256:5e0c7a91d3b24f68a1c9e07d4b3f2a85c6e19d70b4a3f8e2c51d6b09a7e4f3c2",
            "",
            "$ docker buildx imagetools inspect 123456789012.dkr.ecr.eu-central-1.amazonaws.com/docs/report-renderer:2.3.7",
            "Name:      123456789012.dkr.ecr.eu-central-1.amazonaws.com/docs/report-renderer:2.3.7",
            "MediaType: application/vnd.oci.image.index.v1+json",
            "Digest:    sha256:a4d19e3c07b6f25e8c1d40a97b3e6f52d0c8a1b94e7f3d26c5b0a9e81f4d7c63",
            "",
            "Manifests:",
            "  Name:      123456789012.dkr.ecr.eu-central-1.amazonaws.com/docs/report-renderer:2.3.7@sha256:0c6f2b9e4d1a7358c2e90f4b6d3a1e8c75b2f09d4e6a3c18b7f5d02e9a4c6b81",
            "  MediaType: application/vnd.oci.image.manifest.v1+json",
            "  Platform:  linux/amd64",
            "",
            "  Name:      123456789012.dkr.ecr.eu-central-1.amazonaws.com/docs/report-renderer:2.3.7@sha256:e71b4d0a9c3f5e28d6b1a47c0e9f3d52b8a6c1e04f7d29b3a5c8e60d1f4b7a92",
            "  MediaType: application/vnd.oci.image.manifest.v1+json",
            "  Platform:  linux/arm64",
            "",
        ]
    )
    return Bundle(
        question="About 60% of document exports have failed since roughly 10:13 UTC; exports-api can't reach report-renderer most of the time. What is the root cause?",
        category="deployment",
        component="report-renderer",
        statement="report-renderer 2.4.0, rolled out at 10:12 UTC, was built for linux/amd64 only (no multi-arch index, unlike 2.3.7), so its pods on the arm64 Graviton nodes exit with `exec format error` and crash-loop; only the two pods on amd64 nodes serve, so most calls from exports-api fail.",
        files={
            "kubectl-describe-pod-report-renderer.txt": describe_pod(pod, rng),
            "kubectl-get-events.txt": events,
            "kubectl-get.txt": pasted,
            prev.name: prev.render(),
            "logs/exports-api.log": exports.render(),
        },
        proofs=[
            Proof(prev.name, "exec /app/report-renderer: exec format error"),
            Proof(
                "kubectl-get.txt", "MediaType: application/vnd.docker.distribution.manifest.v2+json"
            ),
        ],
        decoys=[
            "Disrupting Node: Consolidation/Delete",
            "throttled (SlowDown)",
            "OOMKilled",
        ],
    )
