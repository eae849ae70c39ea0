# ruff: noqa: E501
# kubectl rows, ingress-nginx lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes: a kernel-patch playbook drained worker `ip-10-42-7-118.us-east-2.compute.internal`
at 02:02 local time (America/Chicago) and failed on its reboot-wait step, so the uncordon never
ran: the node stays `SchedulingDisabled` with nothing on it. At the noon peak the HPA scales
catalog-search from 6 to 10 and the four new pods stay Pending (`1 node(s) were unschedulable,
3 Insufficient cpu`); the six pods saturate and ingress-nginx returns 504s. Decoys: a
readiness probe failure on another app, an image GC warning on another node, and the HPA's
scale-up itself."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Journal, Record, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api

CHICAGO = ZoneInfo("America/Chicago")
START = datetime(2026, 11, 27, 16, 20, tzinfo=UTC)  # 10:20 CST
NOW = datetime(2026, 11, 27, 18, 45, tzinfo=UTC)  # 12:45 CST
PEAK = 98.0  # 17:58 UTC, 11:58 CST
CORDONED = "ip-10-42-7-118.us-east-2.compute.internal"
NODES = [
    "ip-10-42-4-31.us-east-2.compute.internal",
    "ip-10-42-5-209.us-east-2.compute.internal",
    "ip-10-42-6-77.us-east-2.compute.internal",
    CORDONED,
]


@dataclass
class IngressNginx:
    """ingress-nginx's default upstream log format."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(CHICAGO)
        stamp = local.strftime("%d/%b/%Y:%H:%M:%S %z")
        client = f"172.{self.rng.randrange(16, 32)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
        return [f"{client} - - [{stamp}] {record.message} {self.rng.getrandbits(128):032x}"]


def ingress_ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    path = rng.choice(
        ["/search?q=boots", "/search?q=parka", "/search/suggest?q=wo", "/search?q=gloves&page=2"]
    )
    t = rng.randrange(20, 300) / 1000
    pod = f"10.42.{rng.choice([4, 5, 6])}.{rng.randrange(10, 250)}:8080"
    return (
        "INFO",
        f'"GET {path} HTTP/2.0" 200 {rng.randrange(900, 14000)} "https://shop.tallgrass.example/" "Mozilla/5.0" {rng.randrange(40, 90)} {t:.3f} [storefront-catalog-search-8080] [] {pod} {rng.randrange(900, 14000)} {t:.3f} 200',
        (),
    )


def ingress_504(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    pod = f"10.42.{rng.choice([4, 5, 6])}.{rng.randrange(10, 250)}:8080"
    return (
        "ERROR",
        f'"GET /search?q={rng.choice(["boots", "parka", "scarf", "mittens"])} HTTP/2.0" 504 160 "https://shop.tallgrass.example/" "Mozilla/5.0" {rng.randrange(40, 90)} 10.001 [storefront-catalog-search-8080] [] {pod} 0 10.001 504',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(34802)
    total = (NOW - START).total_seconds() / 60

    ingress = LogFile("ingress-nginx-controller.log", IngressNginx(rng=rng))
    ingress.add(traffic(rng, ingress_ok, START, total, 3800))
    ingress.add(loud(rng, START, PEAK + 6, total - PEAK - 6, 520, ingress_504))

    search = LogFile(
        "logs/catalog-search.log",
        SpringBoot(
            (
                "c.t.search.QueryController",
                "c.t.search.IndexClient",
                "o.a.c.c.C.[Tomcat].[localhost]",
            ),
            rng=rng,
            zone=CHICAGO,
        ),
    )
    search.add(traffic(rng, web_api("catalog-search", ["products", "facets"]), START, total, 3100))
    search.add(
        loud(
            rng,
            START,
            PEAK + 4,
            total - PEAK - 4,
            260,
            fixed(
                "WARN",
                lambda r: (
                    f"Tomcat thread pool busy {r.randrange(196, 201)}/200, request queue {r.randrange(40, 400)}; opensearch query took {r.randrange(3000, 9800)}ms"
                ),
            ),
        )
    )

    node_journal = LogFile(
        "ops-runner-02-journal.txt", Journal("ops-runner-02", "ansible-playbook", 4121)
    )
    base = datetime(2026, 11, 27, 8, 2, tzinfo=UTC)
    node_journal.add(
        [
            at(
                base,
                0.0,
                "INFO",
                "patch run 2026-11-27 starting for kernel 6.1.112-124.190.amzn2023 (playbook node-patch.yml, serial=1)",
            ),
            at(base, 0.2, "INFO", f"node/{CORDONED} cordoned"),
            at(base, 0.5, "INFO", "evicting pod storefront/catalog-search-6b8f7d9c54-pl2rx"),
            at(base, 0.6, "INFO", "evicting pod storefront/cart-api-5c7d9e8f61-hq4vt"),
            at(base, 1.6, "INFO", f"node/{CORDONED} drained"),
            at(base, 1.8, "INFO", "dnf upgrade kernel: installed 6.1.112-124.190.amzn2023.x86_64"),
            at(base, 2.0, "INFO", "rebooting"),
            at(
                base,
                14.1,
                "ERROR",
                "wait_for_connection: timed out waiting for ssh after 600s; aborting play for this host (uncordon step skipped)",
            ),
        ]
    )

    nodes = "\n".join(
        [
            "$ kubectl get nodes -o wide",
            *table(
                (
                    "NAME",
                    "STATUS",
                    "ROLES",
                    "AGE",
                    "VERSION",
                    "INTERNAL-IP",
                    "EXTERNAL-IP",
                    "OS-IMAGE",
                    "KERNEL-VERSION",
                    "CONTAINER-RUNTIME",
                ),
                [
                    (
                        NODES[0],
                        "Ready",
                        "<none>",
                        "41d",
                        "v1.30.4-eks-a737599",
                        "10.42.4.31",
                        "<none>",
                        "Amazon Linux 2023.5.20241001",
                        "6.1.109-118.189.amzn2023.x86_64",
                        "containerd://1.7.22",
                    ),
                    (
                        NODES[1],
                        "Ready",
                        "<none>",
                        "41d",
                        "v1.30.4-eks-a737599",
                        "10.42.5.209",
                        "<none>",
                        "Amazon Linux 2023.5.20241001",
                        "6.1.109-118.189.amzn2023.x86_64",
                        "containerd://1.7.22",
                    ),
                    (
                        NODES[2],
                        "Ready",
                        "<none>",
                        "38d",
                        "v1.30.4-eks-a737599",
                        "10.42.6.77",
                        "<none>",
                        "Amazon Linux 2023.5.20241001",
                        "6.1.109-118.189.amzn2023.x86_64",
                        "containerd://1.7.22",
                    ),
                    (
                        CORDONED,
                        "Ready,SchedulingDisabled",
                        "<none>",
                        "41d",
                        "v1.30.4-eks-a737599",
                        "10.42.7.118",
                        "<none>",
                        "Amazon Linux 2023.6.20241111",
                        "6.1.112-124.190.amzn2023.x86_64",
                        "containerd://1.7.22",
                    ),
                ],
            ),
            "",
            f"$ kubectl describe node {CORDONED} | sed -n '/Taints/,/Unschedulable/p;/Allocated resources/,/Events/p'",
            "Taints:             node.kubernetes.io/unschedulable:NoSchedule",
            "Unschedulable:      true",
            "Allocated resources:",
            "  (Total limits may be over 100 percent, i.e., overcommitted.)",
            "  Resource           Requests     Limits",
            "  --------           --------     ------",
            "  cpu                310m (7%)    0 (0%)",
            "  memory             420Mi (2%)   768Mi (5%)",
            "  ephemeral-storage  0 (0%)       0 (0%)",
            "Events:",
            "  Type    Reason                   Age    From     Message",
            "  ----    ------                   ----   ----     -------",
            "  Normal  NodeNotSchedulable       10h    kubelet  Node "
            + CORDONED
            + " status is now: NodeNotSchedulable",
            "  Normal  Starting                 10h    kubelet  Starting kubelet.",
            "  Normal  NodeReady                10h    kubelet  Node "
            + CORDONED
            + " status is now: NodeReady",
            "",
            "$ kubectl -n storefront get hpa catalog-search",
            "NAME             REFERENCE                   TARGETS        MINPODS   MAXPODS   REPLICAS   AGE",
            "catalog-search   Deployment/catalog-search   cpu: 97%/60%   6         16        10         212d",
            "",
        ]
    )

    pending = describe_pod(
        Pod(
            name="catalog-search-6b8f7d9c54-w7zqd",
            namespace="storefront",
            node="",
            app="catalog-search",
            status="Pending",
            start_time="",
            conditions={"PodScheduled": "False"},
            containers=[
                Container(
                    name="catalog-search",
                    image="123456789012.dkr.ecr.us-east-2.amazonaws.com/storefront/catalog-search:7.14.2",
                    state=[],
                    ready=False,
                    limits={"memory": "3Gi"},
                    requests={"cpu": "1500m", "memory": "3Gi"},
                )
            ],
            events=[
                (
                    "Warning",
                    "FailedScheduling",
                    "46m (x9 over 47m)",
                    "default-scheduler",
                    "0/4 nodes are available: 1 node(s) were unschedulable, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.",
                )
            ],
        ),
        rng,
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["cart-api", "storefront-web", "catalog-search"], 24, NODES[:3], namespace="storefront"
    )
    signal = [
        (
            ago(PEAK),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/catalog-search",
                "New size: 10; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(PEAK + 0.1),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/catalog-search",
                "Scaled up replica set catalog-search-6b8f7d9c54 to 10 from 6",
            ),
        ),
        (
            ago(PEAK + 0.2),
            (
                "Warning",
                "FailedScheduling",
                "pod/catalog-search-6b8f7d9c54-w7zqd",
                "0/4 nodes are available: 1 node(s) were unschedulable, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.",
            ),
        ),
        (
            ago(PEAK + 0.2),
            (
                "Warning",
                "FailedScheduling",
                "pod/catalog-search-6b8f7d9c54-9kd2h",
                "0/4 nodes are available: 1 node(s) were unschedulable, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.",
            ),
        ),
        (
            ago(PEAK + 0.3),
            (
                "Normal",
                "NotTriggerScaleUp",
                "pod/catalog-search-6b8f7d9c54-w7zqd",
                "pod didn't trigger scale-up: 1 max node group size reached",
            ),
        ),
        (
            ago(61),
            (
                "Warning",
                "Unhealthy",
                "pod/storefront-web-7f9c8b6d5-tx4lm",
                'Readiness probe failed: Get "http://10.42.5.61:3000/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            ago(80),
            (
                "Warning",
                "ImageGCFailed",
                f"node/{NODES[1]}",
                "wanted to free 1288490188 bytes, but freed 0 bytes space with errors in image deletion",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    return Bundle(
        question="Search on the storefront has been timing out (504) since about noon Central during the peak, even though the HPA scaled catalog-search up. Why isn't it keeping up?",
        category="scheduling",
        component=CORDONED,
        statement=f"The overnight kernel-patch run drained {CORDONED} and aborted before its uncordon step, so the node stayed SchedulingDisabled; when the HPA scaled catalog-search to 10 at the peak, the new pods stayed Pending (1 node unschedulable, 3 Insufficient cpu, node group at max) and the six running pods saturated, giving 504s.",
        files={
            "ingress-nginx-controller.log": ingress.render(),
            "logs/catalog-search.log": search.render(),
            "ops-runner-02-journal.txt": node_journal.render(),
            "kubectl-nodes.txt": nodes,
            "kubectl-describe-pod-pending.txt": pending,
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof("kubectl-nodes.txt", "Ready,SchedulingDisabled"),
            Proof("ops-runner-02-journal.txt", "uncordon step skipped"),
            Proof(
                "kubectl-describe-pod-pending.txt",
                "1 node(s) were unschedulable, 3 Insufficient cpu",
            ),
        ],
        decoys=[
            'Readiness probe failed: Get "http://10.42.5.61:3000/healthz"',
            "wanted to free 1288490188 bytes, but freed 0 bytes",
            "New size: 10; reason: cpu resource utilization",
        ],
    )
