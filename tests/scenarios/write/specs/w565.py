# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes (EKS): the apps node group was replaced at 08:10 EDT by ng-apps-al2023, whose
nodes use cgroup v2. invoice-renderer still runs on Java 8u232, which only reads cgroup v1
limits: on the new nodes it sizes its default heap from the 30 GiB host (7.48 GiB max heap)
instead of the 1536Mi container limit. Month-end PDF batches grow the heap past the limit and
the container is OOMKilled again and again; billing-api's invoice downloads fail. Decoys: a
missing font fallback in invoice-renderer, a payment provider's retried timeouts in billing-api,
and the cluster autoscaler's scale-down of an old node."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import JsonLines, SpringBoot
from scenes import at, fixed, loud
from traffic import traffic, web_api, worker

EDT = timezone(timedelta(hours=-4))
START = datetime(2026, 9, 30, 11, 50, tzinfo=UTC)
NOW = datetime(2026, 9, 30, 14, 5, tzinfo=UTC)
REPLACED = 20.0  # 12:10 UTC = 08:10 EDT
STARTS = [31.0, 52.0, 66.0, 79.0, 93.0, 104.0, 117.0]
APP = "c.a.invoice.InvoiceRendererApplication"
NODES = [
    "ip-172-20-41-9.ec2.internal",
    "ip-172-20-57-201.ec2.internal",
    "ip-172-20-70-33.ec2.internal",
]


def bundle() -> Bundle:
    rng = random.Random(5653)
    total = (NOW - START).total_seconds() / 60
    renderer = LogFile(
        "logs/invoice-renderer.log",
        SpringBoot(
            (
                "c.a.invoice.render.PdfBatchRenderer",
                "c.a.invoice.api.RenderController",
                "o.a.fontbox.util.autodetect.FontFileFinder",
            ),
            rng=rng,
            zone=EDT,
        ),
    )
    renderer.add(
        traffic(
            rng,
            worker("invoice-renderer", ["invoice.render", "invoice.reissue"]),
            START,
            total,
            2800,
        )
    )
    for begin in STARTS:
        renderer.add(
            [
                at(
                    START,
                    begin,
                    "INFO",
                    "Starting InvoiceRendererApplication v4.12.1 using Java 1.8.0_232 with PID 1",
                    logger=APP,
                ),
                at(
                    START,
                    begin + 0.02,
                    "INFO",
                    f"JVM memory: maxHeap=7.48 GiB, initialHeap=484 MiB, freeHeap={rng.randrange(380, 470)} MiB, availableProcessors=8, UseContainerSupport=true",
                    logger=APP,
                ),
                at(
                    START,
                    begin + 0.3,
                    "INFO",
                    "Started InvoiceRendererApplication in 17.2 seconds (JVM running for 18.9)",
                    logger=APP,
                ),
                at(
                    START,
                    begin + 5,
                    "INFO",
                    f"month-end batch resumed: {rng.randrange(1800, 4200)} invoices queued, concurrency 6",
                ),
            ]
        )
    renderer.add(
        [
            at(
                START,
                12.5,
                "WARN",
                "Using fallback font 'LiberationSans' for 'Frutiger LT 55 Roman', PDF may differ from template",
            )
        ]
    )

    billing = LogFile("logs/billing-api.log", JsonLines("billing-api", rng=rng, zone=EDT))
    billing.add(
        traffic(
            rng, web_api("billing-api", ["invoices", "accounts", "statements"]), START, total, 3200
        )
    )
    for begin in STARTS[1:]:
        billing.add(
            loud(
                rng,
                START,
                begin - 1.5,
                1.5,
                45,
                fixed(
                    "ERROR",
                    lambda r: (
                        f"GET /api/v1/invoices/INV-{r.randrange(10**6)}/pdf 503: invoice-renderer.billing.svc:8080 connect: connection refused"
                    ),
                ),
            )
        )
    billing.add(
        loud(
            rng,
            START,
            40,
            6,
            14,
            fixed(
                "WARN",
                lambda r: (
                    f"payment provider timeout on POST /v3/charges (attempt 1 of 3), retrying in {r.randrange(200, 900)}ms"
                ),
            ),
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["billing-api", "statement-mailer", "invoice-renderer"], 18, NODES, namespace="billing"
    )
    signal = [
        (
            ago(REPLACED - 6),
            (
                "Normal",
                "ScaleDown",
                "node/ip-172-20-33-148.ec2.internal",
                "marked the node as toBeDeleted/unschedulable",
            ),
        ),
        (
            ago(REPLACED),
            (
                "Normal",
                "Scheduled",
                "pod/invoice-renderer-84c7d9b6f5-vx2pn",
                f"Successfully assigned billing/invoice-renderer-84c7d9b6f5-vx2pn to {NODES[1]}",
            ),
        ),
    ]
    for begin in STARTS[1:]:
        signal.append(
            (
                ago(begin - 0.3),
                (
                    "Warning",
                    "OOMKilling",
                    f"node/{NODES[1]}",
                    f"Memory cgroup out of memory: Killed process {rng.randrange(3000, 30000)} (java) total-vm:{rng.randrange(9_800_000, 10_400_000)}kB, anon-rss:1571{rng.randrange(100, 999)}kB, file-rss:{rng.randrange(20000, 30000)}kB, shmem-rss:0kB, UID:10001 pgtables:{rng.randrange(3500, 4200)}kB oom_score_adj:{rng.choice([968, 969])}",
                ),
            )
        )
        signal.append(
            (
                ago(begin - 0.1),
                (
                    "Warning",
                    "BackOff",
                    "pod/invoice-renderer-84c7d9b6f5-vx2pn",
                    "Back-off restarting failed container invoice-renderer in pod invoice-renderer-84c7d9b6f5-vx2pn_billing(3b8e1f20-7c4d-4a96-b1e5-d0f29c6a8e47)",
                ),
            )
        )
    events = event_listing(routine, signal)

    pod = Pod(
        name="invoice-renderer-84c7d9b6f5-vx2pn",
        namespace="billing",
        node=NODES[1],
        app="invoice-renderer",
        ip="172.20.58.144",
        start_time="Wed, 30 Sep 2026 12:10:22 +0000",
        containers=[
            Container(
                name="invoice-renderer",
                image="742113508261.dkr.ecr.us-east-1.amazonaws.com/billing/invoice-renderer:4.12.1",
                state=["Running", "  Started:      Wed, 30 Sep 2026 13:47:04 +0000"],
                last_state=[
                    "Terminated",
                    "  Reason:       OOMKilled",
                    "  Exit Code:    137",
                    "  Started:      Wed, 30 Sep 2026 13:33:51 +0000",
                    "  Finished:     Wed, 30 Sep 2026 13:46:41 +0000",
                ],
                restarts=6,
                limits={"memory": "1536Mi"},
                requests={"cpu": "500m", "memory": "1536Mi"},
                environment=[
                    "JAVA_OPTS:  -XX:+UseG1GC -Dfile.encoding=UTF-8",
                    "SPRING_PROFILES_ACTIVE:  prod",
                ],
            )
        ],
        events=[
            (
                "Warning",
                "BackOff",
                "18m (x6 over 95m)",
                "kubelet",
                "Back-off restarting failed container invoice-renderer in pod invoice-renderer-84c7d9b6f5-vx2pn_billing(3b8e1f20-7c4d-4a96-b1e5-d0f29c6a8e47)",
            )
        ],
    )
    nodes = "\n".join(
        [
            "$ kubectl get nodes -L eks.amazonaws.com/nodegroup -o custom-columns=NAME:.metadata.name,STATUS:.status.conditions[-1].type,OS:.status.nodeInfo.osImage,KERNEL:.status.nodeInfo.kernelVersion,GROUP:.metadata.labels.eks\\.amazonaws\\.com/nodegroup",
            "NAME                            STATUS   OS                                KERNEL                          GROUP",
            f"{NODES[0]}     Ready    Amazon Linux 2023.5.20240916      6.1.109-118.189.amzn2023.x86_64   ng-apps-al2023",
            f"{NODES[1]}   Ready    Amazon Linux 2023.5.20240916      6.1.109-118.189.amzn2023.x86_64   ng-apps-al2023",
            f"{NODES[2]}    Ready    Amazon Linux 2023.5.20240916      6.1.109-118.189.amzn2023.x86_64   ng-apps-al2023",
            "",
            f"$ kubectl debug node/{NODES[1]} -it --image=busybox:1.36 -- sh -c 'stat -fc %T /host/sys/fs/cgroup; grep MemTotal /host/proc/meminfo'",
            "cgroup2fs",
            "MemTotal:       31704532 kB",
            "",
            "$ kubectl -n billing top pod -l app=invoice-renderer --containers",
            "POD                                 NAME               CPU(cores)   MEMORY(bytes)",
            "invoice-renderer-84c7d9b6f5-vx2pn   invoice-renderer   1874m        1311Mi",
            "",
        ]
    )
    return Bundle(
        question="Invoice PDF downloads in billing keep failing with 503 since about 08:30 EDT, and invoice-renderer keeps restarting. What is the root cause?",
        category="memory",
        component="invoice-renderer",
        statement="After the node group moved to Amazon Linux 2023 (cgroup v2) at 08:10 EDT, invoice-renderer's Java 8u232, which cannot read cgroup v2 limits, sizes its heap from the 30 GiB node (maxHeap 7.48 GiB) instead of its 1536Mi limit; the month-end batch grows the heap past the limit and the container is OOMKilled repeatedly.",
        files={
            "logs/invoice-renderer.log": renderer.render(),
            "logs/billing-api.log": billing.render(),
            "kubectl-get-events-billing.txt": events,
            "kubectl-describe-pod-invoice-renderer.txt": describe_pod(pod, rng),
            "kubectl-cluster.txt": nodes,
        },
        proofs=[
            Proof("logs/invoice-renderer.log", "freeHeap=469 MiB"),
            Proof("kubectl-describe-pod-invoice-renderer.txt", "Reason:       OOMKilled"),
            Proof("kubectl-cluster.txt", "cgroup2fs"),
        ],
        decoys=[
            "Using fallback font 'LiberationSans'",
            "payment provider timeout on POST /v3/charges",
            "marked the node as toBeDeleted/unschedulable",
        ],
    )
