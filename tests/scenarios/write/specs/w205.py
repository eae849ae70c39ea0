# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: pdf-renderer runs `gotenberg/gotenberg:8.12.0` straight from Docker Hub with no
imagePullSecret, through the cluster's single NAT address, which the CI runners also use. At
the month-end billing peak (09:00 UTC) the HPA asks for 8 renderers and the cluster autoscaler
adds nodes; every new pod on a fresh node fails to pull with `429 Too Many Requests -
toomanyrequests: You have reached your pull rate limit`, so only the two pods on old nodes
serve. billing-portal's invoice downloads queue and time out. Loud: billing-portal's 504s and
timeouts, the autoscaler and HPA events. Decoys: the scale-up itself, a slow SQL warning, and
a Chromium font warning."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Pino
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 4, 30, 8, 15, tzinfo=UTC)
NOW = datetime(2026, 4, 30, 9, 48, tzinfo=UTC)
PEAK = 45.0  # 09:00
IMAGE = "gotenberg/gotenberg:8.12.0"
LIMIT = 'Failed to pull image "gotenberg/gotenberg:8.12.0": failed to pull and unpack image "docker.io/gotenberg/gotenberg:8.12.0": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/gotenberg/gotenberg/manifests/sha256:5b2e8f0c1d7a94e36b1f0c8d2a7e5b94c3d61f08a2e7c5b9d4f1a63e80c27b1d: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit'
OLD_NODES = ["gke-billing-prod-default-6a1f3c9e-2bnx", "gke-billing-prod-default-6a1f3c9e-wq7d"]
NEW_NODES = [
    "gke-billing-prod-default-6a1f3c9e-8kzt",
    "gke-billing-prod-default-6a1f3c9e-j4vm",
    "gke-billing-prod-default-6a1f3c9e-s9fh",
]


def bundle() -> Bundle:
    rng = random.Random(1205)
    total = (NOW - START).total_seconds() / 60
    portal = LogFile("logs/billing-portal.log", Pino("billing-portal-75f9c8d6b4-h2lrx", rng=rng))
    portal.add(
        traffic(
            rng,
            web_api("billing-portal", ["invoices", "accounts", "payments", "statements"]),
            START,
            total,
            4300,
        )
    )
    portal.add(
        loud(
            rng,
            START,
            PEAK + 4,
            total - PEAK - 5,
            860,
            fixed(
                "ERROR",
                lambda r: (
                    f"render invoice INV-2026-04-{r.randrange(10**5, 10**6)} failed: POST http://pdf-renderer.billing.svc:3000/forms/chromium/convert/html timed out after 30000ms (queue depth {r.randrange(40, 400)})"
                ),
            ),
        )
    )
    portal.add(
        loud(
            rng,
            START,
            PEAK + 6,
            total - PEAK - 7,
            420,
            fixed(
                "WARN",
                lambda r: (
                    f"GET /api/v1/invoices/{r.randrange(10**6)}/pdf 504 {r.randrange(30000, 30200)}ms"
                ),
            ),
        )
    )
    portal.add(
        [
            at(
                START,
                21.4,
                "WARN",
                "slow query 1912ms: select * from invoice_lines where account_id = $1 order by created_at desc (rows=18432)",
            )
        ]
    )
    renderer = LogFile(
        "logs/pdf-renderer-5d8b7c9f66-tq4ms.log", Pino("pdf-renderer-5d8b7c9f66-tq4ms", rng=rng)
    )
    renderer.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"request handled POST /forms/chromium/convert/html 200 in {r.randrange(400, 2600)}ms (pdf {r.randrange(40, 900)} KiB)",
                (),
            ),
            START,
            total,
            1700,
        )
    )
    renderer.add(
        loud(
            rng,
            START,
            PEAK + 3,
            total - PEAK - 4,
            300,
            fixed(
                "WARN",
                lambda r: (
                    f"request queue full ({r.randrange(10, 11)}/10), waiting for a Chromium instance"
                ),
            ),
        )
    )
    renderer.add(
        [
            at(
                START,
                2.2,
                "WARN",
                "Chromium: Fontconfig error: Cannot load default config file: No such file: (null)",
            )
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["billing-portal", "statement-worker", "dunning"], 22, OLD_NODES, namespace="billing"
    )
    new_pods = [
        f"pdf-renderer-5d8b7c9f66-{suffix}"
        for suffix in ("6mfrz", "9cx2w", "bq7nd", "gk4ls", "r2wzp", "xh8vt")
    ]
    signal = [
        (
            ago(PEAK + 0.5),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/pdf-renderer",
                "New size: 8; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(PEAK + 0.6),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/pdf-renderer",
                "Scaled up replica set pdf-renderer-5d8b7c9f66 to 8 from 2",
            ),
        ),
        (
            ago(PEAK + 0.8),
            (
                "Normal",
                "TriggeredScaleUp",
                f"pod/{new_pods[0]}",
                "pod triggered scale-up: [{https://www.googleapis.com/compute/v1/projects/acme-billing/zones/europe-west4-b/instanceGroups/gke-billing-prod-default-6a1f3c9e-grp 2->5 (max: 10)}]",
            ),
        ),
    ]
    for index, pod in enumerate(new_pods):
        minute = PEAK + 3.1 + index * 0.4
        node = NEW_NODES[index % 3]
        signal += [
            (
                ago(minute),
                (
                    "Normal",
                    "Scheduled",
                    f"pod/{pod}",
                    f"Successfully assigned billing/{pod} to {node}",
                ),
            ),
            (ago(minute + 0.1), ("Normal", "Pulling", f"pod/{pod}", f'Pulling image "{IMAGE}"')),
            (
                ago(minute + 0.2),
                (
                    "Warning",
                    "Failed",
                    f"pod/{pod}",
                    LIMIT
                    if index == 0
                    else LIMIT.replace(
                        "5b2e8f0c1d7a94e36b1f0c8d2a7e5b94c3d61f08a2e7c5b9d4f1a63e80c27b1d",
                        f"{rng.getrandbits(256):064x}",
                    ),
                ),
            ),
            (ago(minute + 0.21), ("Warning", "Failed", f"pod/{pod}", "Error: ErrImagePull")),
        ]
    signal.append(
        (
            ago(total - 0.7),
            ("Normal", "BackOff", f"pod/{new_pods[2]}", f'Back-off pulling image "{IMAGE}"'),
        )
    )
    events = event_listing(routine, signal)
    stuck = Pod(
        name=new_pods[0],
        namespace="billing",
        node=NEW_NODES[0],
        app="pdf-renderer",
        status="Pending",
        ip="10.88.5.14",
        start_time="Thu, 30 Apr 2026 09:03:06 +0000",
        containers=[
            Container(
                "pdf-renderer",
                IMAGE,
                state=["Waiting", "  Reason:       ImagePullBackOff"],
                ready=False,
                limits={"memory": "2Gi"},
                requests={"cpu": "1", "memory": "2Gi"},
                probes=[
                    "Readiness:  http-get http://:3000/health delay=5s timeout=3s period=10s #success=1 #failure=3"
                ],
                environment=["API_TIMEOUT:  60s", "CHROMIUM_MAX_QUEUE_SIZE:  10"],
                port="3000/TCP",
            )
        ],
        conditions={
            "PodReadyToStartContainers": "True",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Normal",
                "Scheduled",
                "44m",
                "default-scheduler",
                f"Successfully assigned billing/{new_pods[0]} to {NEW_NODES[0]}",
            ),
            ("Normal", "Pulling", "41m (x4 over 44m)", "kubelet", f'Pulling image "{IMAGE}"'),
            ("Warning", "Failed", "41m (x4 over 44m)", "kubelet", LIMIT),
            ("Warning", "Failed", "41m (x4 over 44m)", "kubelet", "Error: ErrImagePull"),
            (
                "Normal",
                "BackOff",
                "4m12s (x187 over 44m)",
                "kubelet",
                f'Back-off pulling image "{IMAGE}"',
            ),
            ("Warning", "Failed", "4m12s (x187 over 44m)", "kubelet", "Error: ImagePullBackOff"),
        ],
    )
    describe = describe_pod(stuck, rng)
    describe = "\n".join(
        "    Container ID:"
        if line.startswith("    Container ID:")
        else "    Image ID:"
        if line.startswith("    Image ID:")
        else line
        for line in describe.split("\n")
    )
    get = "\n".join(
        [
            "$ kubectl -n billing get pods -l app=pdf-renderer -o wide",
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
                    (
                        "pdf-renderer-5d8b7c9f66-tq4ms",
                        "1/1",
                        "Running",
                        "0",
                        "9d",
                        "10.88.1.23",
                        OLD_NODES[0],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "pdf-renderer-5d8b7c9f66-w7pkc",
                        "1/1",
                        "Running",
                        "0",
                        "9d",
                        "10.88.2.41",
                        OLD_NODES[1],
                        "<none>",
                        "<none>",
                    ),
                ]
                + [
                    (
                        name,
                        "0/1",
                        "ImagePullBackOff" if index % 2 == 0 else "ErrImagePull",
                        "0",
                        f"{44 - index}m",
                        f"10.88.{5 + index % 3}.{14 + index}",
                        NEW_NODES[index % 3],
                        "<none>",
                        "<none>",
                    )
                    for index, name in enumerate(new_pods)
                ],
            ),
            "",
            '$ kubectl -n billing get deploy pdf-renderer -o jsonpath=\'{.spec.template.spec.imagePullSecrets}{"|"}{.spec.template.spec.containers[0].image}{"\\n"}\'',
            f"|{IMAGE}",
            "",
        ]
    )
    return Bundle(
        question="Invoice PDF downloads time out since the month-end peak started at 09:00 UTC, even though pdf-renderer scaled out. What is the root cause?",
        category="rate_limit",
        component="pdf-renderer",
        statement="pdf-renderer pulls gotenberg/gotenberg:8.12.0 anonymously from Docker Hub through the cluster's shared NAT address; when it scaled from 2 to 8 pods at 09:00 UTC onto new nodes, every pull was refused with 429 toomanyrequests (pull rate limit), so only two renderers serve and billing-portal's invoice renders time out.",
        files={
            "kubectl-describe-pod.txt": describe,
            "kubectl-get.txt": get,
            "kubectl-get-events.txt": events,
            "logs/billing-portal.log": portal.render(),
            "logs/pdf-renderer-5d8b7c9f66-tq4ms.log": renderer.render(),
        },
        proofs=[
            Proof(
                "kubectl-get-events.txt",
                "manifests/sha256:5b2e8f0c1d7a94e36b1f0c8d2a7e5b94c3d61f08a2e7c5b9d4f1a63e80c27b1d: 429",
            ),
            Proof(
                "kubectl-describe-pod.txt",
                "429 Too Many Requests - Server message: toomanyrequests",
            ),
        ],
        decoys=[
            "pod triggered scale-up",
            "slow query 1912ms",
            "Fontconfig error: Cannot load default config file",
        ],
    )
