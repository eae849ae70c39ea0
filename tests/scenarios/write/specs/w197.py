# ruff: noqa: E501
# kubectl output, YAML and hand-written log lines are data, kept whole on one line.
"""Kubernetes: at 14:02 UTC Argo CD synced the `pipelines-rbac` chart 2.4.0, whose Role
`job-dispatcher` now lists `jobs` under the core API group ("") instead of `batch`. The
job-dispatcher's ServiceAccount can no longer create Jobs (`jobs.batch is forbidden`), so no
transcode Job starts; uploads pile up, upload-api's status polls time out and its queue depth
grows. Loud: upload-api's "transcode not started" warnings and 504s. Decoys: the cluster
autoscaler scaling a node group down, a slow S3 PUT warning, and an earlier OOMKilled
thumbnail-worker."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api, worker

START = datetime(2025, 9, 3, 13, 20, tzinfo=UTC)
NOW = datetime(2025, 9, 3, 15, 5, tzinfo=UTC)
SYNC = 42.0  # 14:02
NODES = [
    "ip-10-42-11-87.eu-west-1.compute.internal",
    "ip-10-42-13-204.eu-west-1.compute.internal",
    "ip-10-42-15-19.eu-west-1.compute.internal",
]


def forbidden(rng: random.Random) -> str:
    job = f"transcode-{rng.getrandbits(32):08x}"
    return f'create job {job} failed: jobs.batch is forbidden: User "system:serviceaccount:pipelines:job-dispatcher" cannot create resource "jobs" in API group "batch" in the namespace "pipelines"'


def bundle() -> Bundle:
    rng = random.Random(1197)
    total = (NOW - START).total_seconds() / 60
    dispatcher = LogFile(
        "logs/job-dispatcher.log",
        Zap(("dispatch/loop.go:88", "dispatch/queue.go:141", "kube/client.go:57"), rng=rng),
    )
    dispatcher.add(
        traffic(rng, worker("job-dispatcher", ["uploads.new", "uploads.retry"]), START, SYNC, 900)
    )
    dispatcher.add(
        traffic(rng, worker("job-dispatcher", ["uploads.new", "uploads.retry"]), START, total, 600)
    )
    dispatcher.add(
        [
            at(
                START,
                SYNC + 0.4,
                "INFO",
                "informer cache resynced (jobs.batch, pods) after watch restart",
                logger="kube/client.go:57",
            ),
            at(
                START,
                SYNC + 0.6,
                "ERROR",
                'create job transcode-5c81e0d9 failed: jobs.batch is forbidden: User "system:serviceaccount:pipelines:job-dispatcher" cannot create resource "jobs" in API group "batch" in the namespace "pipelines"',
                logger="dispatch/loop.go:88",
            ),
        ]
    )
    dispatcher.add(loud(rng, START, SYNC + 0.8, total - SYNC - 1, 520, fixed("ERROR", forbidden)))
    dispatcher.add(
        loud(
            rng,
            START,
            SYNC + 1,
            total - SYNC - 1.5,
            260,
            fixed(
                "WARN",
                lambda r: (
                    f"requeue upload {r.getrandbits(40):010x} (attempt {r.randrange(2, 9)}), backoff {r.choice([5, 10, 20, 40])}s"
                ),
            ),
        )
    )
    upload = LogFile("logs/upload-api.log", JsonLines("upload-api", rng=rng))
    upload.add(
        traffic(rng, web_api("upload-api", ["uploads", "media", "renditions"]), START, total, 3400)
    )
    upload.add(
        loud(
            rng,
            START,
            SYNC + 5,
            total - SYNC - 5.5,
            700,
            fixed(
                "WARN",
                lambda r: (
                    f"upload {r.getrandbits(40):010x} still queued: transcode not started after {r.randrange(300, 2400)}s"
                ),
            ),
        )
    )
    upload.add(
        loud(
            rng,
            START,
            SYNC + 8,
            total - SYNC - 9,
            380,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /api/v1/uploads/{r.randrange(10**6)}/status 504 {r.randrange(29000, 30100)}ms client=10.42.{r.randrange(256)}.{r.randrange(1, 255)}"
                ),
            ),
        )
    )
    upload.add(
        [
            at(
                START,
                18.3,
                "WARN",
                "S3 PutObject media-raw-prod/2025/09/03/a81f.mp4 took 4812ms (multipart, 14 parts)",
            ),
            at(START, SYNC + 30, "WARN", "transcode backlog 1843 uploads (alert threshold 500)"),
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["upload-api", "thumbnail-worker", "media-indexer"], 22, NODES, namespace="pipelines"
    )
    signal = [
        (
            ago(-60),
            (
                "Warning",
                "BackOff",
                "pod/thumbnail-worker-7b9d4c6f5-2kq8r",
                "Back-off restarting failed container thumbnail-worker in pod thumbnail-worker-7b9d4c6f5-2kq8r_pipelines(0b4f8e3a-7d1c-4e52-9a60-3f1c2b8d7e41)",
            ),
        ),
        (
            ago(-58),
            (
                "Normal",
                "Pulled",
                "pod/thumbnail-worker-7b9d4c6f5-2kq8r",
                'Container image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/thumbnail-worker:3.8.1" already present on machine',
            ),
        ),
        (
            ago(SYNC + 12),
            (
                "Normal",
                "ScaleDown",
                "node/ip-10-42-17-66.eu-west-1.compute.internal",
                "marked the node as toBeDeleted/unschedulable",
            ),
        ),
        (
            ago(SYNC + 14),
            (
                "Normal",
                "NodeNotReady",
                "node/ip-10-42-17-66.eu-west-1.compute.internal",
                "Node ip-10-42-17-66.eu-west-1.compute.internal status is now: NodeNotReady",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    pods = "\n".join(
        [
            "$ kubectl -n pipelines get pods",
            "NAME                                READY   STATUS      RESTARTS        AGE",
            "job-dispatcher-6f7c9d8b54-m2x4t     1/1     Running     0               6d2h",
            "thumbnail-worker-7b9d4c6f5-2kq8r    1/1     Running     3 (2h46m ago)   9d",
            "thumbnail-worker-7b9d4c6f5-v8w1n    1/1     Running     0               9d",
            "transcode-3a9f02c7-4jq7d            0/1     Completed   0               64m",
            "transcode-b51d7e80-xk2lz            0/1     Completed   0               66m",
            "upload-api-58d9b7c4f6-dl5qz         1/1     Running     0               6d2h",
            "upload-api-58d9b7c4f6-t9hrv         1/1     Running     0               6d2h",
            "",
            "$ kubectl -n pipelines get role job-dispatcher -o yaml",
            "apiVersion: rbac.authorization.k8s.io/v1",
            "kind: Role",
            "metadata:",
            "  annotations:",
            "    meta.helm.sh/release-name: pipelines-rbac",
            "    meta.helm.sh/release-namespace: pipelines",
            '  creationTimestamp: "2024-11-18T09:41:27Z"',
            "  labels:",
            "    app.kubernetes.io/instance: pipelines-rbac",
            "    app.kubernetes.io/managed-by: Helm",
            "    helm.sh/chart: pipelines-rbac-2.4.0",
            "  name: job-dispatcher",
            "  namespace: pipelines",
            '  resourceVersion: "418827731"',
            "  uid: 6c2d1f0e-93b8-4a77-b5f4-2e8a1d6c9b03",
            "rules:",
            "- apiGroups:",
            '  - ""',
            "  resources:",
            "  - pods",
            "  - pods/log",
            "  verbs:",
            "  - get",
            "  - list",
            "  - watch",
            "- apiGroups:",
            '  - ""',
            "  resources:",
            "  - jobs",
            "  verbs:",
            "  - create",
            "  - delete",
            "  - get",
            "  - list",
            "  - watch",
            "",
        ]
    )
    notes = "\n".join(
        [
            "# INC-7731 transcodes stuck (pipelines)",
            "",
            "- 14:35 backlog alert, uploads stay 'processing'. upload-api pods healthy, no restarts today.",
            "- Autoscaler removed a node at ~14:14, first guess was that it took running transcode jobs with it.",
            "- Argo CD history for app `pipelines-rbac`: synced 14:02 UTC, 2.3.7 -> 2.4.0 (PR #912 'tidy RBAC templates').",
            "",
            "```",
            "$ kubectl auth can-i list pods -n pipelines --as=system:serviceaccount:pipelines:job-dispatcher",
            "yes",
            "$ kubectl auth can-i create jobs.batch -n pipelines --as=system:serviceaccount:pipelines:job-dispatcher",
            "no",
            "```",
            "",
        ]
    )
    return Bundle(
        question="Uploaded videos have been stuck in 'processing' since a bit after 14:00 UTC and upload-api status calls time out. What is the root cause?",
        category="permission",
        component="job-dispatcher",
        statement='The pipelines-rbac 2.4.0 sync at 14:02 UTC moved `jobs` in the job-dispatcher Role to the core API group (""), so the job-dispatcher ServiceAccount is forbidden to create jobs.batch; no transcode Job has started since, and uploads pile up behind it.',
        files={
            "notes.md": notes,
            "kubectl-get-events.txt": events,
            "kubectl-output.txt": pods,
            "logs/job-dispatcher.log": dispatcher.render(),
            "logs/upload-api.log": upload.render(),
        },
        proofs=[
            Proof("logs/job-dispatcher.log", "create job transcode-5c81e0d9 failed"),
            Proof("notes.md", "auth can-i create jobs.batch", "no"),
        ],
        decoys=[
            "marked the node as toBeDeleted/unschedulable",
            "S3 PutObject media-raw-prod/2025/09/03/a81f.mp4 took 4812ms",
            "Back-off restarting failed container thumbnail-worker",
        ],
    )
