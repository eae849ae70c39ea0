# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: ledger-api runs image `registry.internal.acme.io/payments/ledger-api:3.7` with
imagePullPolicy IfNotPresent. At 10:05 UTC a CI pipeline on branch main computed its tag from
the VERSION file's major.minor and pushed an unreleased 3.8 build over the mutable `3.7` tag. The
three running pods keep the cached old digest; when the HPA scales out at 10:41 the new pods land
on fresh nodes, pull `3.7` (now the new digest) and exit at start-up because that build needs
database schema 61 while production is at 57, so they crash-loop and the old pods stay
overloaded. The proof is quiet: the CI job's `pushing manifest ... :3.7@sha256:9f1c...` and the
differing Image IDs of pods running the "same" image. Decoys: the schema-version message
(pointing at the database), the new Karpenter nodes, and the HPA's scale-out itself."""

import random
import re
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, table
from records import Pino, Record
from scenes import at, loud
from traffic import Line, traffic

NOW = datetime(2025, 10, 14, 11, 20, tzinfo=UTC)
PUSH = datetime(2025, 10, 14, 10, 5, 12, tzinfo=UTC)
SCALE = datetime(2025, 10, 14, 10, 41, 30, tzinfo=UTC)
IMAGE = "registry.internal.acme.io/payments/ledger-api:3.7"
OLD_DIGEST = "sha256:3b7a0c51e8f94d2c6a1b7e0f5d3c9a8b2e4f6d1c0a9b8e7f6d5c4b3a2f1e0d9c"
NEW_DIGEST = "sha256:9f1c4e2a7b6d8c0e3f5a1b9d7c2e4f6a8b0d3c5e7f9a1b2c4d6e8f0a3b5c7d9e"
OLD_NODES = [
    "ip-10-61-12-40.eu-central-1.compute.internal",
    "ip-10-61-14-203.eu-central-1.compute.internal",
    "ip-10-61-13-88.eu-central-1.compute.internal",
]
NEW_NODES = [
    "ip-10-61-15-17.eu-central-1.compute.internal",
    "ip-10-61-12-251.eu-central-1.compute.internal",
]


def with_digest(text: str, digest: str) -> str:
    return re.sub(
        r"(    Image ID:       )\S+",
        lambda match: f"{match.group(1)}registry.internal.acme.io/payments/ledger-api@{digest}",
        text,
        count=1,
    )


def pods(rng: random.Random) -> tuple[str, str]:
    common = dict(
        limits={"memory": "768Mi"},
        requests={"cpu": "400m", "memory": "512Mi"},
        probes=[
            "Readiness:  http-get http://:3000/readyz delay=5s timeout=1s period=5s #success=1 #failure=3"
        ],
        environment=[
            "NODE_ENV:      production",
            "PGHOST:        ledger-pg-rw.payments.svc",
            "PGDATABASE:    ledger",
        ],
        port="3000/TCP",
    )
    running = Pod(
        name="ledger-api-7b5d9c8f6d-4kx9m",
        namespace="payments",
        node=OLD_NODES[0],
        app="ledger-api",
        start_time="Thu, 09 Oct 2025 14:22:18 +0000",
        ip="10.61.12.77",
        containers=[
            Container(
                name="ledger-api",
                image=IMAGE,
                state=["Running", "  Started:      Thu, 09 Oct 2025 14:22:21 +0000"],
                **common,
            )
        ],
        events=[],
    )
    crashing = Pod(
        name="ledger-api-7b5d9c8f6d-vq7tn",
        namespace="payments",
        node=NEW_NODES[0],
        app="ledger-api",
        start_time="Tue, 14 Oct 2025 10:42:19 +0000",
        ip="10.61.15.140",
        containers=[
            Container(
                name="ledger-api",
                image=IMAGE,
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    1",
                    "  Started:      Tue, 14 Oct 2025 11:16:02 +0000",
                    "  Finished:     Tue, 14 Oct 2025 11:16:03 +0000",
                ],
                ready=False,
                restarts=11,
                **common,
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
                "37m",
                "default-scheduler",
                f"Successfully assigned payments/ledger-api-7b5d9c8f6d-vq7tn to {NEW_NODES[0]}",
            ),
            ("Normal", "Pulling", "37m", "kubelet", f'Pulling image "{IMAGE}"'),
            (
                "Normal",
                "Pulled",
                "37m",
                "kubelet",
                f'Successfully pulled image "{IMAGE}" in 4.218s (4.218s including waiting). Image size: 71384522 bytes.',
            ),
            ("Normal", "Created", "33m (x5 over 37m)", "kubelet", "Created container ledger-api"),
            ("Normal", "Started", "33m (x5 over 37m)", "kubelet", "Started container ledger-api"),
            (
                "Normal",
                "Pulled",
                "33m (x4 over 37m)",
                "kubelet",
                f'Container image "{IMAGE}" already present on machine',
            ),
            (
                "Warning",
                "BackOff",
                "2m14s (x152 over 36m)",
                "kubelet",
                "Back-off restarting failed container ledger-api in pod ledger-api-7b5d9c8f6d-vq7tn_payments(5d0f2c8e-7a41-4b93-8e6c-2f1d9a7b3c05)",
            ),
        ],
    )
    running_text = with_digest(describe_pod(running, rng), OLD_DIGEST)
    crashing_text = with_digest(describe_pod(crashing, rng), NEW_DIGEST)
    return running_text, crashing_text


def get_text() -> str:
    rows = [
        (
            "ledger-api-7b5d9c8f6d-4kx9m",
            "1/1",
            "Running",
            "0",
            "4d20h",
            "10.61.12.77",
            OLD_NODES[0],
        ),
        (
            "ledger-api-7b5d9c8f6d-g2wfp",
            "1/1",
            "Running",
            "0",
            "4d20h",
            "10.61.14.19",
            OLD_NODES[1],
        ),
        (
            "ledger-api-7b5d9c8f6d-p8rjd",
            "1/1",
            "Running",
            "0",
            "4d20h",
            "10.61.13.202",
            OLD_NODES[2],
        ),
        (
            "ledger-api-7b5d9c8f6d-vq7tn",
            "0/1",
            "CrashLoopBackOff",
            "11 (4m ago)",
            "38m",
            "10.61.15.140",
            NEW_NODES[0],
        ),
        (
            "ledger-api-7b5d9c8f6d-zc4hl",
            "0/1",
            "CrashLoopBackOff",
            "11 (3m12s ago)",
            "38m",
            "10.61.15.151",
            NEW_NODES[0],
        ),
        (
            "ledger-api-7b5d9c8f6d-8mwlx",
            "0/1",
            "CrashLoopBackOff",
            "10 (55s ago)",
            "37m",
            "10.61.12.233",
            NEW_NODES[1],
        ),
    ]
    header = (
        "NAME",
        "READY",
        "STATUS",
        "RESTARTS",
        "AGE",
        "IP",
        "NODE",
        "NOMINATED NODE",
        "READINESS GATES",
    )
    nodes = [
        ("NAME", "STATUS", "ROLES", "AGE", "VERSION"),
        *[(name, "Ready", "<none>", "19d", "v1.31.4-eks-aeac579") for name in OLD_NODES],
        *[(name, "Ready", "<none>", "38m", "v1.31.4-eks-aeac579") for name in NEW_NODES],
    ]
    hpa = [
        ("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"),
        ("ledger-api", "Deployment/ledger-api", "cpu: 186%/70%", "3", "12", "6", "311d"),
    ]
    lines = [
        "$ kubectl get pods -n payments -l app=ledger-api -o wide",
        *table(header, [(*row, "<none>", "<none>") for row in rows]),
        "",
        "$ kubectl get nodes",
        *table(nodes[0], nodes[1:]),
        "",
        "$ kubectl get hpa -n payments",
        *table(hpa[0], hpa[1:]),
        "",
        "$ kubectl describe hpa ledger-api -n payments | tail -4",
        "Events:",
        "  Type    Reason             Age   From                       Message",
        "  ----    ------             ----  ----                       -------",
        "  Normal  SuccessfulRescale  38m   horizontal-pod-autoscaler  New size: 6; reason: cpu resource utilization (percentage of request) above target",
        "",
        "$ kubectl get deploy ledger-api -n payments -o jsonpath='{.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].imagePullPolicy}'",
        f"{IMAGE} IfNotPresent",
        "",
    ]
    return "\n".join(lines)


def ci_log() -> str:
    lines = [
        "Running with gitlab-runner 17.4.0 (b92ee590)",
        "  on buildkit-runner-3 t3_xYzAb, system ID: r_k2f8Gh1pQw4e",
        "Getting source from Git repository",
        "Fetching changes with git depth set to 20...",
        "Checking out 1e7d0a93 as detached HEAD (ref is main)...",
        "Skipping Git submodules setup",
        'Executing "step_script" stage of the job script',
        '$ export IMAGE_TAG="${CI_COMMIT_TAG:-$(cut -d. -f1,2 VERSION)}"',
        '$ echo "building ${CI_PROJECT_NAME} $(cat VERSION) as ${IMAGE_TAG}"',
        "building ledger-api 3.8.0-rc.2 as 3.7",
        "$ docker buildx build --push -t registry.internal.acme.io/payments/ledger-api:${IMAGE_TAG} .",
        '#0 building with "ci" instance using docker-container driver',
        "#1 [internal] load build definition from Dockerfile",
        "#1 transferring dockerfile: 1.02kB done",
        "#1 DONE 0.0s",
        "#5 [build 4/6] RUN npm ci --omit=dev",
        "#5 DONE 21.4s",
        "#7 [build 5/6] RUN npm run build",
        "#7 0.512 > ledger-api@3.8.0-rc.2 build",
        "#7 0.513 > tsc -p tsconfig.build.json",
        "#7 DONE 14.9s",
        "#12 exporting to image",
        "#12 exporting layers 3.1s done",
        f"#12 exporting manifest {NEW_DIGEST} done",
        "#12 naming to registry.internal.acme.io/payments/ledger-api:3.7 done",
        f"#12 pushing manifest for registry.internal.acme.io/payments/ledger-api:3.7@{NEW_DIGEST}",
        f"#12 pushing manifest for registry.internal.acme.io/payments/ledger-api:3.7@{NEW_DIGEST} 0.4s done",
        "#12 DONE 6.8s",
        "Cleaning up project directory and file based variables",
        "Job succeeded",
        "",
    ]
    return (
        "# GitLab job #88412  pipeline #21904  ledger-api  branch main  finished 2025-10-14 10:05:19 UTC\n"
        + "\n".join(lines)
    )


def api_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"POST /v1/entries 201 {rng.randrange(9, 80)}ms account={rng.randrange(10**6)}",
        (),
    )


def api_slow(rng: random.Random) -> Line:
    return (
        "WARN",
        f"request completed slowly POST /v1/entries 201 {rng.randrange(900, 4200)}ms event loop lag {rng.randrange(120, 900)}ms",
        (),
    )


def gateway_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        f"ledger post failed payment=pay_{rng.getrandbits(48):012x}: upstream ledger-api timed out after 3000ms (attempt {rng.randrange(1, 4)}/3)",
        (),
    )


def gateway_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"payment pay_{rng.getrandbits(48):012x} captured amount={rng.randrange(100, 90000)} currency=EUR ledger=ok",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1142)
    start = NOW - timedelta(hours=2)
    total = 120.0
    scale_minute = (SCALE - start).total_seconds() / 60
    running_text, crashing_text = pods(rng)
    crash = LogFile(
        "logs/ledger-api-vq7tn-previous.log", Pino("ledger-api-7b5d9c8f6d-vq7tn", rng=rng)
    )
    crash_at = datetime(2025, 10, 14, 11, 16, 2, 412000, tzinfo=UTC)
    crash.add(
        [
            Record(crash_at, "INFO", "ledger-api 3.8.0-rc.2+main.1e7d0a93 starting (node v22.9.0)"),
            Record(
                crash_at + timedelta(milliseconds=180),
                "INFO",
                "connected to postgres ledger-pg-rw.payments.svc:5432/ledger",
            ),
            Record(
                crash_at + timedelta(milliseconds=231),
                "FATAL",
                "database schema is at version 57 but this build requires 61; refusing to start (run `npm run migrate` first)",
            ),
        ]
    )
    running = LogFile("logs/ledger-api-4kx9m.log", Pino("ledger-api-7b5d9c8f6d-4kx9m", rng=rng))
    running.add(traffic(rng, api_line, start, total, 3300))
    running.add(loud(rng, start, scale_minute - 3, total - scale_minute + 2.9, 420, api_slow))
    gateway = LogFile(
        "logs/payments-gateway.log", Pino("payments-gateway-5c8d7f9b6-t2xkq", rng=rng)
    )
    gateway.add(traffic(rng, gateway_line, start, total, 2700))
    gateway.add(
        loud(rng, start, scale_minute - 1, total - scale_minute + 0.9, 560, gateway_failure)
    )
    gateway.add([at(start, 12.4, "WARN", "fx-rates cache stale by 31s, refreshing from ecb-proxy")])
    files = {
        "kubectl-get.txt": get_text(),
        "kubectl-describe-pod-4kx9m.txt": running_text,
        "kubectl-describe-pod-vq7tn.txt": crashing_text,
        "logs/ledger-api-vq7tn-previous.log": crash.render(),
        "logs/ledger-api-4kx9m.log": running.render(),
        "logs/payments-gateway.log": gateway.render(),
        "ci-job-88412.log": ci_log(),
    }
    return Bundle(
        question="ledger-api scaled out at 10:41 UTC but none of the new pods ever became ready, and payments keep timing out on the ledger. Nothing was released today. What is the root cause?",
        category="deployment",
        component="ledger-api",
        statement="At 10:05 UTC a main-branch CI job pushed the unreleased ledger-api 3.8.0-rc.2 build over the mutable tag ledger-api:3.7 (digest 9f1c...); the old pods keep the cached 3b7a... image, but the pods created by the 10:41 scale-out pull the new digest and exit because that build requires database schema 61 (production is at 57), so they crash-loop and the old pods stay overloaded.",
        files=files,
        proofs=[
            Proof("ci-job-88412.log", "building ledger-api 3.8.0-rc.2 as 3.7"),
            Proof("kubectl-describe-pod-vq7tn.txt", "Image ID:"),
        ],
        decoys=["database schema is at version 57", "SuccessfulRescale", "fx-rates cache stale"],
    )
