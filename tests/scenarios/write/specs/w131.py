# ruff: noqa: E501
# kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the platform team's namespace baseline added a LimitRange `baseline-limits` to the
reporting namespace on Monday (default memory limit 256Mi, default request 128Mi). pdf-render's
Deployment sets no resources, and its running pods predate the LimitRange, so nothing happened
until Wednesday's 3.2.0 rollout at 08:05 UTC recreated them: the LimitRanger admission plugin
gave each new pod a 256Mi memory limit (the `kubernetes.io/limit-ranger` annotation says so), and
headless Chromium rendering a monthly statement needs about 700Mi, so every large render is
OOMKilled. Loud: reports-api's 502s and ECONNRESET from pdf-render and CrashLoopBackOff. Decoys:
the 3.2.0 rollout itself (it only changed a font package), a readiness probe failing during
restarts, and a monthly export job's FailedScheduling for lack of node memory."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, age, describe_pod, table
from records import Pino, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

NOW = datetime(2025, 3, 12, 9, 22, tzinfo=UTC)
ROLLOUT = datetime(2025, 3, 12, 8, 5, 40, tzinfo=UTC)
NEW_PODS = [
    "pdf-render-7c6d9b8f54-2xkpl",
    "pdf-render-7c6d9b8f54-hq7vz",
    "pdf-render-7c6d9b8f54-tn4cm",
]


def describe(rng: random.Random) -> str:
    pod = Pod(
        name=NEW_PODS[1],
        namespace="reporting",
        node="aks-general-28411736-vmss00000c",
        app="pdf-render",
        containers=[
            Container(
                name="pdf-render",
                image="reportingacr.azurecr.io/pdf-render:3.2.0",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Wed, 12 Mar 2025 09:14:02 +0000",
                    "  Finished:     Wed, 12 Mar 2025 09:16:47 +0000",
                ],
                ready=False,
                restarts=9,
                limits={"cpu": "500m", "memory": "256Mi"},
                requests={"cpu": "100m", "memory": "128Mi"},
                probes=[
                    "Readiness:      http-get http://:3000/healthz delay=5s timeout=2s period=10s #success=1 #failure=3"
                ],
                environment=[
                    "NODE_ENV:            production",
                    "CHROMIUM_FLAGS:      --no-sandbox --disable-dev-shm-usage",
                    "RENDER_CONCURRENCY:  2",
                ],
                port="3000/TCP",
            )
        ],
        status="Running",
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
                "76m",
                "default-scheduler",
                f"Successfully assigned reporting/{NEW_PODS[1]} to aks-general-28411736-vmss00000c",
            ),
            (
                "Normal",
                "Pulled",
                "76m",
                "kubelet",
                'Successfully pulled image "reportingacr.azurecr.io/pdf-render:3.2.0" in 4.118s (4.118s including waiting). Image size: 412336871 bytes.',
            ),
            ("Normal", "Created", "6m1s (x10 over 76m)", "kubelet", "Created container pdf-render"),
            ("Normal", "Started", "6m (x10 over 76m)", "kubelet", "Started container pdf-render"),
            (
                "Warning",
                "Unhealthy",
                "5m41s (x14 over 75m)",
                "kubelet",
                'Readiness probe failed: Get "http://10.244.7.31:3000/healthz": dial tcp 10.244.7.31:3000: connect: connection refused',
            ),
            (
                "Warning",
                "BackOff",
                "2m12s (x31 over 58m)",
                "kubelet",
                f"Back-off restarting failed container pdf-render in pod {NEW_PODS[1]}_reporting(5e2a91c7-0d4b-4f38-b6e2-7a1c9f3d8e40)",
            ),
        ],
        ip="10.244.7.31",
        start_time="Wed, 12 Mar 2025 08:05:52 +0000",
    )
    text = describe_pod(pod, rng)
    return text.replace(
        "Annotations:      <none>",
        "Annotations:      kubernetes.io/limit-ranger: LimitRanger plugin set: cpu, memory request for container pdf-render; cpu, memory limit for container pdf-render",
    )


LIMITRANGE = """$ kubectl describe limitrange -n reporting
Name:       baseline-limits
Namespace:  reporting
Type        Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio
----        --------  ---  ---  ---------------  -------------  -----------------------
Container   cpu       -    -    100m             500m           -
Container   memory    -    -    128Mi            256Mi          -

$ kubectl get limitrange -n reporting
NAME              CREATED AT
baseline-limits   2025-03-10T14:31:09Z
"""


def cluster_text(rng: random.Random) -> str:
    pods = [("NAME", "READY", "STATUS", "RESTARTS", "AGE")]
    restarts = {NEW_PODS[0]: "8 (3m ago)", NEW_PODS[1]: "9 (5m41s ago)", NEW_PODS[2]: "7 (11m ago)"}
    for name in NEW_PODS:
        pods.append(
            (
                name,
                "0/1",
                "CrashLoopBackOff" if name != NEW_PODS[2] else "Running",
                restarts[name],
                "76m",
            )
        )
    for name, pod_age in (
        ("reports-api-5f9c7d6b48-8mzrw", "9d"),
        ("reports-api-5f9c7d6b48-q2c6j", "9d"),
        ("statement-scheduler-6d8b7c5f9-vk4pn", "23d"),
    ):
        pods.append((name, "1/1", "Running", "0", pod_age))
    events: list[tuple[int, str, str, str, str]] = []
    since = int((NOW - ROLLOUT).total_seconds())
    events.append(
        (
            since,
            "Normal",
            "ScalingReplicaSet",
            "deployment/pdf-render",
            "Scaled up replica set pdf-render-7c6d9b8f54 to 1",
        )
    )
    events.append(
        (
            since - 40,
            "Normal",
            "ScalingReplicaSet",
            "deployment/pdf-render",
            "Scaled down replica set pdf-render-84b5f6d7c9 to 2 from 3",
        )
    )
    events.append(
        (
            since - 80,
            "Normal",
            "ScalingReplicaSet",
            "deployment/pdf-render",
            "Scaled up replica set pdf-render-7c6d9b8f54 to 3 from 2",
        )
    )
    events.append(
        (
            since - 120,
            "Normal",
            "ScalingReplicaSet",
            "deployment/pdf-render",
            "Scaled down replica set pdf-render-84b5f6d7c9 to 0 from 1",
        )
    )
    for index, pod in enumerate(NEW_PODS):
        events.append(
            (
                since - index * 40,
                "Normal",
                "SuccessfulCreate",
                "replicaset/pdf-render-7c6d9b8f54",
                f"Created pod: {pod}",
            )
        )
        for _ in range(3):
            ago = rng.randrange(60, since - 300)
            events.append(
                (
                    ago,
                    "Warning",
                    "BackOff",
                    f"pod/{pod}",
                    f"Back-off restarting failed container pdf-render in pod {pod}_reporting({rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x})",
                )
            )
            events.append(
                (
                    ago + 20,
                    "Warning",
                    "Unhealthy",
                    f"pod/{pod}",
                    'Readiness probe failed: Get "http://10.244.7.31:3000/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
                )
            )
    for _ in range(25):
        pod = f"statement-scheduler-6d8b7c5f9-{rng.getrandbits(20):05x}"
        ago = rng.randrange(300, 7000)
        events.append(
            (
                ago,
                "Normal",
                "Pulled",
                f"pod/{pod}",
                'Container image "reportingacr.azurecr.io/statement-scheduler:1.9.2" already present on machine',
            )
        )
    events.sort(key=lambda row: -row[0])
    rows = [
        ("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"),
        *((age(a), *rest) for a, *rest in events),
    ]
    rollout_history = [
        "$ kubectl rollout history deployment/pdf-render -n reporting",
        "deployment.apps/pdf-render",
        "REVISION  CHANGE-CAUSE",
        "14        chart pdf-render-3.1.4: bump puppeteer to 22.6.0",
        "15        chart pdf-render-3.2.0: add fonts-noto-cjk for JP statements",
    ]
    top = [
        "$ kubectl top pods -n reporting",
        *table(
            ("NAME", "CPU(cores)", "MEMORY(bytes)"),
            [
                (NEW_PODS[0], "412m", "247Mi"),
                (NEW_PODS[1], "0m", "0Mi"),
                (NEW_PODS[2], "388m", "239Mi"),
                ("reports-api-5f9c7d6b48-8mzrw", "61m", "188Mi"),
                ("reports-api-5f9c7d6b48-q2c6j", "58m", "191Mi"),
                ("statement-scheduler-6d8b7c5f9-vk4pn", "4m", "71Mi"),
            ],
        ),
    ]
    node_events = [
        "$ kubectl get events -n reporting --field-selector reason=FailedScheduling",
        *table(
            ("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"),
            [
                (
                    "52m",
                    "Warning",
                    "FailedScheduling",
                    "pod/monthly-export-29031120-4tqzr",
                    "0/4 nodes are available: 4 Insufficient memory. preemption: 0/4 nodes are available: 4 No preemption victims found for incoming pod.",
                )
            ],
        ),
    ]
    return (
        "\n".join(
            [
                "$ kubectl get pods -n reporting",
                *table(pods[0], pods[1:]),
                "",
                "$ kubectl get events -n reporting --sort-by=.lastTimestamp",
                *table(rows[0], rows[1:]),
                "",
                *rollout_history,
                "",
                *top,
                "",
                *node_events,
            ]
        )
        + "\n"
    )


def api_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"GET /v1/statements/{rng.randrange(10**7)} 200 {rng.randrange(5, 80)}ms", ()
    if roll < 0.8:
        return (
            "INFO",
            f"POST /v1/statements/{rng.randrange(10**7)}/pdf 200 {rng.randrange(800, 4200)}ms pages={rng.randrange(1, 4)}",
            (),
        )
    return (
        "INFO",
        f"GET /v1/accounts/{rng.randrange(10**6)}/statements?year=2025 200 {rng.randrange(8, 60)}ms",
        (),
    )


def api_failure(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "ERROR",
            f"POST /v1/statements/{rng.randrange(10**7)}/pdf 502 {rng.randrange(2000, 9000)}ms render failed: request to http://pdf-render.reporting.svc:3000/render failed, reason: socket hang up (ECONNRESET)",
            (),
        )
    return (
        "ERROR",
        f"POST /v1/statements/{rng.randrange(10**7)}/pdf 502 {rng.randrange(1, 20)}ms render failed: request to http://pdf-render.reporting.svc:3000/render failed, reason: connect ECONNREFUSED 10.0.148.22:3000",
        (),
    )


class Plain:
    """The render service's own console lines, as `kubectl logs --previous` prints them."""

    def render(self, record: Record) -> list[str]:
        return [
            f"{record.time.strftime('%Y-%m-%dT%H:%M:%S.')}{record.time.microsecond // 1000:03d}Z {record.message}"
        ]


def render_log(rng: random.Random) -> str:
    log = LogFile("logs/pdf-render-previous.log", Plain())
    start = datetime(2025, 3, 12, 9, 14, 2, tzinfo=UTC)
    log.add(
        [
            at(
                start,
                0.0,
                "INFO",
                "pdf-render 3.2.0 listening on :3000 (puppeteer 22.6.0, chromium 123.0.6312.58, concurrency 2)",
            )
        ]
    )
    log.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"render ok statement={r.randrange(10**7)} pages={r.randrange(1, 4)} took={r.randrange(700, 2400)}ms rss={r.randrange(150, 205)}MB"
                ),
            ),
            start + timedelta(seconds=4),
            2.2,
            22,
        )
    )
    log.add(
        [
            at(
                start,
                2.55,
                "INFO",
                "render start statement=8841307 template=monthly-business pages=38",
            )
        ]
    )
    log.add([at(start, 2.68, "WARN", "browser page 2 memory: jsHeapUsed=96MB, rss=251MB")])
    return log.render()


def bundle() -> Bundle:
    rng = random.Random(1131)
    api = LogFile("logs/reports-api.log", Pino("reports-api-5f9c7d6b48-8mzrw", rng=rng))
    start = NOW - timedelta(minutes=110)
    api.add(traffic(rng, api_line, start, 110, 2600))
    fault_minute = (ROLLOUT - start).total_seconds() / 60 + 3
    api.add(loud(rng, start, fault_minute, 110 - fault_minute, 380, api_failure))
    return Bundle(
        question="Statement PDF downloads fail with 502 since this morning's pdf-render release (about 08:10 UTC). What is the root cause?",
        category="memory",
        component="pdf-render",
        statement="Since the 08:05 UTC rollout recreated pdf-render's pods, the reporting namespace's LimitRange baseline-limits (added Monday) defaults their memory limit to 256Mi because the Deployment sets none; rendering large statements needs far more, so the containers are OOMKilled and crash-loop and reports-api returns 502.",
        files={
            "kubectl-describe-pod.txt": describe(rng),
            "kubectl-get.txt": cluster_text(rng) + "\n" + LIMITRANGE,
            "logs/pdf-render-previous.log": render_log(rng),
            "logs/reports-api.log": api.render(),
        },
        proofs=[
            Proof("kubectl-describe-pod.txt", "kubernetes.io/limit-ranger: LimitRanger plugin set"),
            Proof("kubectl-get.txt", "Container   memory"),
            Proof("kubectl-describe-pod.txt", "Reason:       OOMKilled"),
        ],
        decoys=["add fonts-noto-cjk", "Readiness probe failed", "4 Insufficient memory"],
    )
