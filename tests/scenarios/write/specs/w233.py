# ruff: noqa: E501
# kubectl rows, YAML and hand-written log lines are data, kept whole on one line.
"""Kubernetes, configuration: the platform's shared Helm library chart acme-service 3.0.0 turns on
`readOnlyRootFilesystem: true` by default. thumbnailer (Python, gunicorn) was re-released with it
at 10:02 UTC without an emptyDir on /tmp; gunicorn's worker cannot create its heartbeat file
(`OSError: [Errno 30] Read-only file system: '/tmp/wgunicorn-...'`), so every new pod exits with
code 3 (`Worker failed to boot.`) and crash-loops. The rollout stalls with one old pod removed;
three old pods carry the afternoon load, queue and time out. Loud: upload-api's 504s and
timeouts to thumbnailer, liveness failures of the overloaded old pods. Decoys: upload-api's
errors, a Kyverno `disallow-latest-tag` policy warning about another Deployment, and the old
pods' liveness failures."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, table
from records import JsonLines
from scenes import loud, python_traceback
from traffic import Line, traffic

NOW = datetime(2025, 8, 12, 10, 47, tzinfo=UTC)
RELEASE = datetime(2025, 8, 12, 10, 2, 40, tzinfo=UTC)
NEW = ["thumbnailer-84c6f9d7b5-jx4pk", "thumbnailer-84c6f9d7b5-r8mtz"]
OLD = [
    "thumbnailer-6d5b8fcf49-9qk2s",
    "thumbnailer-6d5b8fcf49-lw7hb",
    "thumbnailer-6d5b8fcf49-zt5nd",
]


def gunicorn_crash(stamp: datetime, worker_pid: int, tmp: str) -> list[str]:
    text = stamp.strftime("%Y-%m-%d %H:%M:%S +0000")
    return [
        f"[{text}] [1] [INFO] Starting gunicorn 22.0.0",
        f"[{text}] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)",
        f"[{text}] [1] [INFO] Using worker: gthread",
        f"[{text}] [{worker_pid}] [INFO] Booting worker with pid: {worker_pid}",
        f"[{text}] [{worker_pid}] [ERROR] Exception in worker process",
        *python_traceback(
            [
                (
                    "/usr/local/lib/python3.12/site-packages/gunicorn/arbiter.py",
                    608,
                    "spawn_worker",
                    "worker = self.worker_class(self.worker_age, self.pid, self.LISTENERS,",
                ),
                (
                    "/usr/local/lib/python3.12/site-packages/gunicorn/workers/base.py",
                    66,
                    "__init__",
                    "self.tmp = WorkerTmp(cfg)",
                ),
                (
                    "/usr/local/lib/python3.12/site-packages/gunicorn/workers/workertmp.py",
                    22,
                    "__init__",
                    'fd, name = tempfile.mkstemp(prefix="wgunicorn-", dir=fdir)',
                ),
                (
                    "/usr/local/lib/python3.12/tempfile.py",
                    357,
                    "mkstemp",
                    "return _mkstemp_inner(dir, prefix, suffix, flags, output_type)",
                ),
                (
                    "/usr/local/lib/python3.12/tempfile.py",
                    256,
                    "_mkstemp_inner",
                    "fd = _os.open(file, flags, 0o600)",
                ),
            ],
            f"OSError: [Errno 30] Read-only file system: '/tmp/wgunicorn-{tmp}'",
        ),
        f"[{text}] [{worker_pid}] [INFO] Worker exiting (pid: {worker_pid})",
        f"[{text}] [1] [ERROR] Worker (pid:{worker_pid}) exited with code 3",
        f"[{text}] [1] [ERROR] Shutting down: Master",
        f"[{text}] [1] [ERROR] Reason: Worker failed to boot.",
    ]


def upload_line(rng: random.Random) -> Line:
    return (
        "info",
        rng.choice(
            [
                f"POST /v1/uploads 201 {rng.randrange(40, 400)}ms size={rng.randrange(20, 9000)}KB",
                f"thumbnail ready asset={rng.getrandbits(48):012x} took={rng.randrange(80, 900)}ms",
                f"GET /v1/assets/{rng.getrandbits(48):012x} 200 {rng.randrange(3, 40)}ms",
            ]
        ),
        (),
    )


def upload_error(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "error",
            f'thumbnail request failed asset={rng.getrandbits(48):012x}: Post "http://thumbnailer.media.svc:8000/render": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            (),
        )
    return "warn", f"POST /v1/uploads 504 30001ms size={rng.randrange(800, 9000)}KB", ()


def bundle() -> Bundle:
    rng = random.Random(20233)
    crash = RELEASE + timedelta(minutes=42, seconds=11)
    logs = (
        "$ kubectl -n media logs thumbnailer-84c6f9d7b5-r8mtz --previous\n"
        + "\n".join(gunicorn_crash(crash, 7, "k3d9_x1q"))
        + "\n"
    )
    pod = Pod(
        name=NEW[1],
        namespace="media",
        node="aks-general-31852914-vmss00000c",
        app="thumbnailer",
        ip="10.244.6.91",
        start_time="Tue, 12 Aug 2025 10:02:44 +0000",
        conditions={
            "PodReadyToStartContainers": "True",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        labels=[
            "app=thumbnailer",
            "app.kubernetes.io/managed-by=Helm",
            "helm.sh/chart=acme-service-3.0.0",
            "pod-template-hash=84c6f9d7b5",
        ],
        containers=[
            Container(
                "thumbnailer",
                "acmecr.azurecr.io/media/thumbnailer:5.3.1",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    3",
                    "  Started:      Tue, 12 Aug 2025 10:44:51 +0000",
                    "  Finished:     Tue, 12 Aug 2025 10:44:52 +0000",
                ],
                ready=False,
                restarts=13,
                limits={"cpu": "2", "memory": "2Gi"},
                requests={"cpu": "1", "memory": "1Gi"},
                probes=[
                    "Liveness:       http-get http://:8000/healthz delay=10s timeout=2s period=10s #success=1 #failure=3",
                    "Readiness:      http-get http://:8000/ready delay=5s timeout=2s period=5s #success=1 #failure=3",
                ],
                environment=[
                    "GUNICORN_CMD_ARGS:  --workers=4 --threads=8 --timeout=60",
                    "STORAGE_BUCKET:     media-originals",
                ],
                port="8000/TCP",
            )
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "44m",
                "default-scheduler",
                f"Successfully assigned media/{NEW[1]} to aks-general-31852914-vmss00000c",
            ),
            (
                "Normal",
                "Pulled",
                "44m",
                "kubelet",
                'Successfully pulled image "acmecr.azurecr.io/media/thumbnailer:5.3.1" in 2.913s (2.913s including waiting). Image size: 187441920 bytes.',
            ),
            ("Normal", "Created", "2m (x14 over 44m)", "kubelet", "Created container thumbnailer"),
            ("Normal", "Started", "2m (x14 over 44m)", "kubelet", "Started container thumbnailer"),
            (
                "Warning",
                "BackOff",
                "9s (x198 over 43m)",
                "kubelet",
                f"Back-off restarting failed container thumbnailer in pod {NEW[1]}_media(c41f0b8e-2a7d-4d55-9e13-8b60f3a2d7c1)",
            ),
        ],
    )
    describe = describe_pod(pod, rng)
    yaml = "\n".join(
        [
            "$ kubectl -n media get deployment thumbnailer -o yaml | sed -n '/template:/,/status:/p'",
            "  template:",
            "    metadata:",
            "      labels:",
            "        app: thumbnailer",
            "        app.kubernetes.io/managed-by: Helm",
            "        helm.sh/chart: acme-service-3.0.0",
            "    spec:",
            "      containers:",
            "      - env:",
            "        - name: GUNICORN_CMD_ARGS",
            "          value: --workers=4 --threads=8 --timeout=60",
            "        - name: STORAGE_BUCKET",
            "          value: media-originals",
            "        image: acmecr.azurecr.io/media/thumbnailer:5.3.1",
            "        imagePullPolicy: IfNotPresent",
            "        name: thumbnailer",
            "        ports:",
            "        - containerPort: 8000",
            "          protocol: TCP",
            "        resources:",
            "          limits:",
            '            cpu: "2"',
            "            memory: 2Gi",
            "          requests:",
            '            cpu: "1"',
            "            memory: 1Gi",
            "        securityContext:",
            "          allowPrivilegeEscalation: false",
            "          capabilities:",
            "            drop:",
            "            - ALL",
            "          readOnlyRootFilesystem: true",
            "          runAsNonRoot: true",
            "          runAsUser: 10001",
            "      dnsPolicy: ClusterFirst",
            "      restartPolicy: Always",
            "      schedulerName: default-scheduler",
            "      securityContext: {}",
            "      terminationGracePeriodSeconds: 30",
            "status:",
            "",
            "$ helm -n media history thumbnailer",
            "REVISION\tUPDATED                 \tSTATUS    \tCHART               \tAPP VERSION\tDESCRIPTION",
            "41      \tThu Jul 31 14:20:07 2025\tsuperseded\tacme-service-2.14.1\t5.3.0      \tUpgrade complete",
            "42      \tTue Aug 12 10:02:38 2025\tdeployed  \tacme-service-3.0.0 \t5.3.1      \tUpgrade complete",
            "",
        ]
    )
    pods = [("NAME", "READY", "STATUS", "RESTARTS", "AGE")]
    pods += [(name, "1/1", "Running", str(rng.choice([0, 2, 4])), "12d") for name in OLD]
    pods += [
        (NEW[0], "0/1", "CrashLoopBackOff", "13 (2m ago)", "44m"),
        (NEW[1], "0/1", "CrashLoopBackOff", "13 (3m ago)", "44m"),
    ]
    pods += [
        ("media-indexer-7f6d9c5b8-c2vpl", "1/1", "Running", "0", "6d"),
        ("media-indexer-7f6d9c5b8-hw9zr", "1/1", "Running", "0", "6d"),
    ]
    get_pods = "$ kubectl -n media get pods\n" + "\n".join(table(pods[0], pods[1:])) + "\n"
    rows = [
        (
            "44m",
            "Normal",
            "ScalingReplicaSet",
            "deployment/thumbnailer",
            "Scaled up replica set thumbnailer-84c6f9d7b5 to 1",
        ),
        (
            "44m",
            "Normal",
            "ScalingReplicaSet",
            "deployment/thumbnailer",
            "Scaled down replica set thumbnailer-6d5b8fcf49 to 3 from 4",
        ),
        (
            "44m",
            "Normal",
            "ScalingReplicaSet",
            "deployment/thumbnailer",
            "Scaled up replica set thumbnailer-84c6f9d7b5 to 2 from 1",
        ),
        (
            "44m",
            "Normal",
            "Killing",
            "pod/thumbnailer-6d5b8fcf49-fm2xd",
            "Stopping container thumbnailer",
        ),
        (
            "38m",
            "Warning",
            "PolicyViolation",
            "deployment/media-indexer",
            "policy disallow-latest-tag/require-image-tag fail: validation error: An image tag is required. rule require-image-tag failed at path /spec/template/spec/containers/0/image/",
        ),
        (
            "33m",
            "Warning",
            "ProgressDeadlineExceeded",
            "deployment/thumbnailer",
            'ReplicaSet "thumbnailer-84c6f9d7b5" has timed out progressing.',
        ),
        (
            "6m",
            "Warning",
            "Unhealthy",
            f"pod/{OLD[0]}",
            'Liveness probe failed: Get "http://10.244.3.17:8000/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
        ),
        (
            "4m",
            "Warning",
            "Unhealthy",
            f"pod/{OLD[2]}",
            'Liveness probe failed: Get "http://10.244.5.40:8000/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
        ),
        (
            "2m",
            "Warning",
            "BackOff",
            f"pod/{NEW[0]}",
            "Back-off restarting failed container thumbnailer in pod "
            + NEW[0]
            + "_media(0f3b7c21-6e1d-4a9f-b8c2-51d4e97a3b60)",
        ),
        (
            "9s",
            "Warning",
            "BackOff",
            f"pod/{NEW[1]}",
            "Back-off restarting failed container thumbnailer in pod "
            + NEW[1]
            + "_media(c41f0b8e-2a7d-4d55-9e13-8b60f3a2d7c1)",
        ),
    ]
    events = (
        "$ kubectl -n media get events --sort-by=.lastTimestamp\n"
        + "\n".join(table(("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"), rows))
        + "\n"
    )
    upload = LogFile("logs/upload-api.log", JsonLines("upload-api", rng=rng))
    start = NOW - timedelta(minutes=75)
    upload.add(traffic(rng, upload_line, start, 75, 3900))
    upload.add(loud(rng, start, 52, 23, 700, upload_error))
    return Bundle(
        question="Uploads have been getting slow and timing out since late morning; the thumbnailer team released at 10:02. What is the root cause?",
        category="configuration",
        component="thumbnailer",
        statement="thumbnailer's release at 10:02 UTC moved it to the acme-service 3.0.0 chart, which sets readOnlyRootFilesystem: true without a writable /tmp; gunicorn cannot create its worker temp file (OSError: [Errno 30] Read-only file system: '/tmp/wgunicorn-...'), so the new pods crash-loop with exit code 3, the rollout stalls and three old pods carry the load, so uploads time out with 504s.",
        files={
            "kubectl-get-pods.txt": get_pods,
            "kubectl-describe-pod.txt": describe,
            "kubectl-logs-previous.txt": logs,
            "deployment-and-history.txt": yaml,
            "kubectl-get-events.txt": events,
            "logs/upload-api.log": upload.render(),
        },
        proofs=[
            Proof("kubectl-logs-previous.txt", "OSError: [Errno 30] Read-only file system"),
            Proof("deployment-and-history.txt", "readOnlyRootFilesystem: true"),
        ],
        decoys=[
            "context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
            "disallow-latest-tag",
            "Liveness probe failed",
        ],
    )
