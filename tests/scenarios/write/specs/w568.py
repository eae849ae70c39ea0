# ruff: noqa: E501
# kubectl output, journal lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes (private EKS, no internet egress): the node group ng-apps-v5, built from a new
custom AMI, replaced ng-apps-v4 from 13:40 BRT. The AMI's containerd config sets
`sandbox_image = "registry.k8s.io/pause:3.9"` instead of the regional ECR mirror; with no
route to the internet no pod sandbox can be created on the new nodes (FailedCreatePodSandBox,
i/o timeout). As old nodes are drained, pods land on new nodes and stay ContainerCreating;
payments-api drops to one pod and checkout gets 503s. Decoys: an aws-node API connectivity
retry, a slow PSP call in payments-api and a readiness failure on the overloaded pod."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import Line, traffic, web_api

BRT = timezone(timedelta(hours=-3))
START = datetime(2026, 10, 21, 16, 0, tzinfo=UTC)
NOW = datetime(2026, 10, 21, 18, 10, tzinfo=UTC)
ROTATE = 40.0  # 16:40 UTC = 13:40 BRT
DRAINED = 63.0
OLD = ["ip-10-64-12-38.sa-east-1.compute.internal", "ip-10-64-27-190.sa-east-1.compute.internal"]
NEW = [
    "ip-10-64-14-221.sa-east-1.compute.internal",
    "ip-10-64-29-7.sa-east-1.compute.internal",
    "ip-10-64-40-95.sa-east-1.compute.internal",
]


class ContainerdJournal:
    """`journalctl -u containerd -o short-iso`, containerd's logrus fields after the prefix."""

    def __init__(self, host: str) -> None:
        self.host = host

    def render(self, record: Record) -> list[str]:
        prefix = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond:06d}{record.time.microsecond % 997:03d}Z"
        )
        return [f'{prefix} {self.host} containerd[3127]: time="{stamp}" {record.message}']


PAUSE = 'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to get sandbox image "registry.k8s.io/pause:3.9": failed to pull image "registry.k8s.io/pause:3.9": failed to pull and unpack image "registry.k8s.io/pause:3.9": failed to resolve reference "registry.k8s.io/pause:3.9": failed to do request: Head "https://registry.k8s.io/v2/pause/manifests/3.9": dial tcp 34.96.108.209:443: i/o timeout'


def bundle() -> Bundle:
    rng = random.Random(5686)
    total = (NOW - START).total_seconds() / 60
    payments = LogFile(
        "logs/payments-api.log",
        JsonLines("payments-api", keys=("@timestamp", "log.level", "message"), rng=rng, zone=BRT),
    )
    payments.add(
        traffic(
            rng, web_api("payments-api", ["payments", "refunds", "intents"]), START, total, 3400
        )
    )
    payments.add(
        loud(
            rng,
            START,
            DRAINED + 2,
            total - DRAINED - 3,
            380,
            fixed(
                "WARN",
                lambda r: (
                    f"POST /api/v1/payments took {r.randrange(2400, 9000)}ms (worker pool saturated, queue={r.randrange(40, 200)})"
                ),
            ),
        )
    )
    payments.add(
        [
            at(
                START,
                27.4,
                "WARN",
                "PSP adquirente-x responded in 3412ms to POST /v2/authorizations (threshold 2000ms)",
            )
        ]
    )
    checkout = LogFile("logs/checkout-web.log", JsonLines("checkout-web", rng=rng, zone=BRT))
    checkout.add(
        traffic(rng, web_api("checkout-web", ["checkout", "cart", "shipping"]), START, total, 3000)
    )
    checkout.add(
        loud(
            rng,
            START,
            DRAINED + 3,
            total - DRAINED - 4,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST /checkout/confirm 503: payments-api.pay.svc.cluster.local:8080 responded 503 upstream connect error or timeout after {r.choice([5000, 5001, 5002])}ms"
                ),
            ),
        )
    )

    node = NEW[1]
    journal = LogFile(f"{node.split('.')[0]}-journal.txt", ContainerdJournal(node.split(".")[0]))
    names = ["payments-api-5c7d9f8b6-x7rkd", "ledger-worker-7f6c5d4b9-kq8vz"]
    uids = {
        name: f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"
        for name in names
    }

    def sandbox(r: random.Random) -> Line:
        name = r.choice(names)
        meta = f"&PodSandboxMetadata{{Name:{name},Namespace:pay,Uid:{uids[name]},Attempt:0,}}"
        if r.random() < 0.5:
            return "INFO", f'level=info msg="RunPodSandbox for {meta}"', ()
        return (
            "ERROR",
            f'level=error msg="RunPodSandbox for {meta} failed" error="failed to get sandbox image \\"registry.k8s.io/pause:3.9\\": failed to pull image \\"registry.k8s.io/pause:3.9\\": failed to pull and unpack image \\"registry.k8s.io/pause:3.9\\": failed to resolve reference \\"registry.k8s.io/pause:3.9\\": failed to do request: Head \\"https://registry.k8s.io/v2/pause/manifests/3.9\\": dial tcp 34.96.108.209:443: i/o timeout"',
            (),
        )

    def routine_cd(r: random.Random) -> Line:
        return (
            "INFO",
            r.choice(
                [
                    'level=info msg="ImageCreate event name:\\"381492650117.dkr.ecr.sa-east-1.amazonaws.com/pay/ledger-worker:2.9.1\\""',
                    'level=info msg="cleaning up dead shim" namespace=k8s.io',
                    'level=info msg="shim disconnected" namespace=k8s.io',
                ]
            ),
            (),
        )

    journal.add(loud(rng, START, DRAINED + 1, total - DRAINED - 2, 360, sandbox))
    journal.add(loud(rng, START, ROTATE - 2, total - ROTATE + 1, 90, routine_cd))
    journal.add(
        [
            at(
                START,
                ROTATE - 3,
                "INFO",
                'level=info msg="starting containerd" revision=ae71819c4f5e67bb4d5ae76a6b735f29cc25774e version=1.7.22',
            ),
            at(
                START,
                ROTATE - 2.99,
                "INFO",
                'level=info msg="Start cri plugin with config {PluginConfig:{ContainerdConfig:{Snapshotter:overlayfs DefaultRuntimeName:runc} SandboxImage:registry.k8s.io/pause:3.9 StatsCollectPeriod:10 SystemdCgroup:true} ContainerdRootDir:/var/lib/containerd}"',
            ),
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["ledger-worker", "fraud-score", "payments-api"], 16, OLD, namespace="pay"
    )
    signal = [
        (
            ago(ROTATE),
            (
                "Normal",
                "RegisteredNode",
                f"node/{NEW[0]}",
                f"Node {NEW[0]} event: Registered Node {NEW[0]} in Controller",
            ),
        ),
        (
            ago(DRAINED - 1),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{OLD[0]}",
                f"Node {OLD[0]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(DRAINED),
            (
                "Normal",
                "Killing",
                "pod/payments-api-5c7d9f8b6-m4wzp",
                "Stopping container payments-api",
            ),
        ),
        (
            ago(74),
            (
                "Warning",
                "Unhealthy",
                "pod/payments-api-5c7d9f8b6-h2t8q",
                'Readiness probe failed: Get "http://10.64.27.51:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            ago(31),
            (
                "Warning",
                "MissingClusterDNS",
                "pod/aws-node-7xk2p",
                'pod: "aws-node-7xk2p_kube-system". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
            ),
        ),
    ]
    for index, pod in enumerate(
        [
            "payments-api-5c7d9f8b6-x7rkd",
            "ledger-worker-7f6c5d4b9-kq8vz",
            "fraud-score-6b8d7c9f5-2nbl4",
            "payments-api-5c7d9f8b6-vq9jn",
        ]
    ):
        signal.append(
            (
                ago(DRAINED + 2 + index * 9),
                ("Warning", "FailedCreatePodSandBox", f"pod/{pod}", PAUSE),
            )
        )
    events = event_listing(routine, signal)

    pods = "\n".join(
        [
            "$ kubectl -n pay get pods -o wide",
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
                        "fraud-score-6b8d7c9f5-2nbl4",
                        "0/1",
                        "ContainerCreating",
                        "0",
                        "58m",
                        "<none>",
                        NEW[0],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "fraud-score-6b8d7c9f5-t6cwd",
                        "1/1",
                        "Running",
                        "0",
                        "6d2h",
                        "10.64.30.18",
                        OLD[1],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "ledger-worker-7f6c5d4b9-kq8vz",
                        "0/1",
                        "ContainerCreating",
                        "0",
                        "87m",
                        "<none>",
                        NEW[1],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "payments-api-5c7d9f8b6-h2t8q",
                        "1/1",
                        "Running",
                        "0",
                        "6d2h",
                        "10.64.27.51",
                        OLD[1],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "payments-api-5c7d9f8b6-vq9jn",
                        "0/1",
                        "ContainerCreating",
                        "0",
                        "40m",
                        "<none>",
                        NEW[2],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "payments-api-5c7d9f8b6-x7rkd",
                        "0/1",
                        "ContainerCreating",
                        "0",
                        "64m",
                        "<none>",
                        NEW[1],
                        "<none>",
                        "<none>",
                    ),
                ],
            ),
            "",
            "$ kubectl get nodes -L eks.amazonaws.com/nodegroup,node.kubernetes.io/instance-type",
            *table(
                ("NAME", "STATUS", "ROLES", "AGE", "VERSION", "NODEGROUP", "INSTANCE-TYPE"),
                [
                    (
                        OLD[0],
                        "Ready,SchedulingDisabled",
                        "<none>",
                        "41d",
                        "v1.30.4-eks-a737599",
                        "ng-apps-v4",
                        "m6i.2xlarge",
                    ),
                    (
                        OLD[1],
                        "Ready",
                        "<none>",
                        "41d",
                        "v1.30.4-eks-a737599",
                        "ng-apps-v4",
                        "m6i.2xlarge",
                    ),
                    (
                        NEW[0],
                        "Ready",
                        "<none>",
                        "90m",
                        "v1.30.4-eks-a737599",
                        "ng-apps-v5",
                        "m7i.2xlarge",
                    ),
                    (
                        NEW[1],
                        "Ready",
                        "<none>",
                        "90m",
                        "v1.30.4-eks-a737599",
                        "ng-apps-v5",
                        "m7i.2xlarge",
                    ),
                    (
                        NEW[2],
                        "Ready",
                        "<none>",
                        "89m",
                        "v1.30.4-eks-a737599",
                        "ng-apps-v5",
                        "m7i.2xlarge",
                    ),
                ],
            ),
            "",
            f"$ aws ssm start-session --target i-0c4e1b7a92d3f8065   # {NEW[1]}",
            "sh-5.2$ sudo grep -n sandbox_image /etc/containerd/config.toml",
            '14:  sandbox_image = "registry.k8s.io/pause:3.9"',
            f"$ aws ssm start-session --target i-07a9d2e3c1b4f5860   # {OLD[1]}",
            "sh-4.2$ sudo grep -n sandbox_image /etc/containerd/config.toml",
            '11:  sandbox_image = "602401143452.dkr.ecr.sa-east-1.amazonaws.com/eks/pause:3.5"',
            "",
        ]
    )
    victim = Pod(
        name="payments-api-5c7d9f8b6-x7rkd",
        namespace="pay",
        node=NEW[1],
        app="payments-api",
        status="Pending",
        ip="",
        start_time="Wed, 21 Oct 2026 17:05:12 +0000",
        conditions={
            "PodReadyToStartContainers": "False",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        containers=[
            Container(
                name="payments-api",
                image="381492650117.dkr.ecr.sa-east-1.amazonaws.com/pay/payments-api:7.3.0",
                state=["Waiting", "  Reason:       ContainerCreating"],
                ready=False,
                limits={"memory": "1Gi"},
                requests={"cpu": "750m", "memory": "1Gi"},
            )
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "64m",
                "default-scheduler",
                f"Successfully assigned pay/payments-api-5c7d9f8b6-x7rkd to {NEW[1]}",
            ),
            ("Warning", "FailedCreatePodSandBox", "2m13s (x21 over 63m)", "kubelet", PAUSE),
        ],
    )
    return Bundle(
        question="Checkout has been getting 503s from payments-api since about 14:05 BRT; only one payments-api pod is serving and the others never start. What is the root cause?",
        category="configuration",
        component="ng-apps-v5",
        statement="The new node group ng-apps-v5's AMI sets sandbox_image to registry.k8s.io/pause:3.9, which this private cluster without internet egress cannot pull; every pod scheduled on the new nodes fails with FailedCreatePodSandBox, so after the old nodes were drained payments-api runs on one pod and checkout-web gets 503s.",
        files={
            "logs/payments-api.log": payments.render(),
            "logs/checkout-web.log": checkout.render(),
            f"{node.split('.')[0]}-journal.txt": journal.render(),
            "kubectl-get-events-pay.txt": events,
            "kubectl-describe-pod-payments-api.txt": describe_pod(victim, rng),
            "kubectl-and-ssm.txt": pods,
        },
        proofs=[
            Proof("kubectl-and-ssm.txt", '14:  sandbox_image = "registry.k8s.io/pause:3.9"'),
            Proof(f"{node.split('.')[0]}-journal.txt", "SandboxImage:registry.k8s.io/pause:3.9"),
            Proof("kubectl-describe-pod-payments-api.txt", "FailedCreatePodSandBox"),
        ],
        decoys=[
            "PSP adquirente-x responded in 3412ms",
            'Readiness probe failed: Get "http://10.64.27.51:8080/ready"',
            "kubelet does not have ClusterDNS IP configured",
        ],
    )
