# ruff: noqa: E501
# kubectl output, metric rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: pricing-engine (Go, CPU limit 2) does not set GOMAXPROCS from its CPU quota; the
Go runtime sizes itself to the node's cores. Karpenter consolidated the pool at 11:20 UTC onto
c6i.24xlarge nodes (96 vCPUs, formerly 8), so the rescheduled pods start with GOMAXPROCS=96 and
burn their 200 ms per 100 ms CFS quota in a few milliseconds of parallel GC and work: throttled
in most periods, p99 from 40 ms to over a second, storefront's price calls time out. Decoys: the
consolidation events themselves, a Redis pool timeout that retried, and a storefront readiness
probe failure during its own restart."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from metrics import csv_text, shift
from records import JsonLines, Zap
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 11, 6, 10, 30, tzinfo=UTC)
NOW = datetime(2026, 11, 6, 12, 20, tzinfo=UTC)
MOVE = 50.0  # 11:20
NEW_NODE = "ip-10-8-14-203.eu-west-1.compute.internal"
NODES = [
    NEW_NODE,
    "ip-10-8-9-61.eu-west-1.compute.internal",
    "ip-10-8-12-118.eu-west-1.compute.internal",
]
POD = "pricing-engine-6f9b7c4d85-jx5mr"

NODE_TEXT = f"""$ kubectl describe node {NEW_NODE} | sed -n '1,12p;/^Capacity/,/^System Info/p'
Name:               {NEW_NODE}
Roles:              <none>
Labels:             beta.kubernetes.io/arch=amd64
                    karpenter.sh/capacity-type=on-demand
                    karpenter.sh/nodepool=general
                    kubernetes.io/arch=amd64
                    node.kubernetes.io/instance-type=c6i.24xlarge
                    topology.kubernetes.io/zone=eu-west-1b
Annotations:        karpenter.k8s.aws/ec2nodeclass-hash: 11823907311429873342
                    node.alpha.kubernetes.io/ttl: 0
CreationTimestamp:  Fri, 06 Nov 2026 11:16:52 +0000
Taints:             <none>
Capacity:
  cpu:                96
  ephemeral-storage:  104845292Ki
  hugepages-1Gi:      0
  hugepages-2Mi:      0
  memory:             195903760Ki
  pods:               737
Allocatable:
  cpu:                95690m
  ephemeral-storage:  95551679124
  hugepages-1Gi:      0
  hugepages-2Mi:      0
  memory:             189347088Ki
  pods:               737
System Info:

$ kubectl get nodes -L node.kubernetes.io/instance-type --sort-by=.metadata.creationTimestamp | tail -5
NAME                                         STATUS   ROLES    AGE    VERSION               INSTANCE-TYPE
ip-10-8-3-77.eu-west-1.compute.internal      Ready    <none>   12d    v1.30.6-eks-94953ac   m6i.2xlarge
ip-10-8-9-61.eu-west-1.compute.internal      Ready    <none>   64m    v1.30.6-eks-94953ac   c6i.24xlarge
ip-10-8-12-118.eu-west-1.compute.internal    Ready    <none>   63m    v1.30.6-eks-94953ac   c6i.24xlarge
ip-10-8-14-203.eu-west-1.compute.internal    Ready    <none>   63m    v1.30.6-eks-94953ac   c6i.24xlarge
"""


def bundle() -> Bundle:
    rng = random.Random(3230)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    pe = LogFile(
        "logs/pricing-engine.log",
        Zap(("server/grpc.go:74", "pricing/quote.go:212", "cache/redis.go:58"), rng=rng),
    )
    pe.add(
        traffic(
            rng, web_api("pricing-engine", ["prices", "quotes", "promotions"]), START, total, 3400
        )
    )
    pe.add(
        [
            at(
                START,
                3.2,
                "INFO",
                "pricing-engine 3.7.2 starting gomaxprocs=8 numcpu=8 go=go1.22.9 cpu_limit=2",
                logger="cmd/main.go:41",
            ),
            at(
                START,
                27.8,
                "WARN",
                "redis: connection pool timeout (pool 64/64), retry 1 succeeded",
                logger="cache/redis.go:91",
            ),
            at(
                START,
                MOVE + 0.6,
                "INFO",
                "pricing-engine 3.7.2 starting gomaxprocs=96 numcpu=96 go=go1.22.9 cpu_limit=2",
                logger="cmd/main.go:41",
            ),
        ]
    )
    pe.add(
        loud(
            rng,
            START,
            MOVE + 2,
            total - MOVE - 2,
            600,
            fixed(
                "WARN",
                lambda r: r.choice(
                    [
                        f"slow quote sku={r.randrange(10**6)} took {r.randrange(700, 2600)}ms (budget 150ms)",
                        f"gc pause total {r.randrange(80, 400)}ms over last 10s (gc cycles {r.randrange(12, 40)})",
                    ]
                ),
            ),
        )
    )

    sf = LogFile(
        "logs/storefront.log",
        JsonLines(
            "storefront",
            keys=("@timestamp", "severity", "message"),
            rng=rng,
            zone=ZoneInfo("Europe/Dublin"),
            lower_level=False,
        ),
    )
    sf.add(
        traffic(rng, web_api("storefront", ["products", "baskets", "search"]), START, total, 3800)
    )
    sf.add(
        loud(
            rng,
            START,
            MOVE + 3,
            total - MOVE - 3,
            900,
            fixed(
                "ERROR",
                lambda r: (
                    f"price lookup for sku {r.randrange(10**6)} failed: rpc error: code = DeadlineExceeded desc = context deadline exceeded (pricing-engine.pricing.svc:9090, 800ms)"
                ),
            ),
        )
    )

    points = int(total * 2)
    metrics = csv_text(
        START,
        30,
        points,
        {
            "pricing_engine_cpu_usage_cores": shift(rng, 1.1, 1.9, int(MOVE * 2) + 2, 0.06),
            "pricing_engine_cpu_limit_cores": shift(rng, 2.0, 2.0, 0, 0.0),
            "pricing_engine_cfs_throttled_periods_ratio": shift(
                rng, 0.03, 0.81, int(MOVE * 2) + 2, 0.08
            ),
            "pricing_engine_p99_ms": shift(rng, 41, 1240, int(MOVE * 2) + 2, 0.15),
            "pricing_engine_rps": shift(rng, 820, 790, 0, 0.05),
            "storefront_error_rate_percent": shift(rng, 0.2, 9.5, int(MOVE * 2) + 5, 0.2),
        },
        decimals=3,
    )

    routine = routine_events(
        rng, ["storefront", "basket", "pricing-engine"], 20, NODES, namespace="retail"
    )
    signal = [
        (
            ago(MOVE - 4),
            (
                "Normal",
                "DisruptionLaunching",
                "nodeclaim/general-8q2dk",
                "Launching NodeClaim: Consolidation/Replace",
            ),
        ),
        (
            ago(MOVE - 1),
            (
                "Normal",
                "DisruptionTerminating",
                "node/ip-10-8-5-142.eu-west-1.compute.internal",
                "Disrupting Node: Consolidation/Replace",
            ),
        ),
        (
            ago(MOVE),
            (
                "Normal",
                "Scheduled",
                f"pod/{POD}",
                f"Successfully assigned retail/{POD} to {NEW_NODE}",
            ),
        ),
        (
            ago(MOVE + 20),
            (
                "Warning",
                "Unhealthy",
                "pod/storefront-58d6c9b7f4-2xmqp",
                'Readiness probe failed: Get "http://10.8.9.140:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
    ]
    pod = Pod(
        name=POD,
        namespace="retail",
        node=NEW_NODE,
        app="pricing-engine",
        ip="10.8.14.88",
        start_time="Fri, 06 Nov 2026 11:20:09 +0000",
        containers=[
            Container(
                name="pricing-engine",
                image="ghcr.io/northwind-retail/pricing-engine:3.7.2",
                state=["Running", "  Started:      Fri, 06 Nov 2026 11:20:31 +0000"],
                limits={"cpu": "2", "memory": "1Gi"},
                requests={"cpu": "1", "memory": "768Mi"},
                probes=[
                    "Readiness:  grpc <pod>:9090  delay=0s timeout=1s period=10s #success=1 #failure=3"
                ],
                environment=[
                    "GOMEMLIMIT:     900MiB",
                    "REDIS_ADDR:     redis-pricing.retail.svc:6379",
                    "LOG_LEVEL:      info",
                ],
                port="9090/TCP",
            )
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "60m",
                "default-scheduler",
                f"Successfully assigned retail/{POD} to {NEW_NODE}",
            )
        ],
    )
    return Bundle(
        question="Storefront price lookups have been timing out since about 11:20 UTC and pricing-engine's p99 is over a second, with no release today. What is the root cause?",
        category="cpu",
        component="pricing-engine",
        statement="pricing-engine does not size GOMAXPROCS to its 2-CPU limit; after Karpenter moved it onto 96-vCPU nodes it runs with GOMAXPROCS=96 and is CFS-throttled in most periods, so its latency explodes and storefront's calls hit their deadline.",
        files={
            "logs/pricing-engine.log": pe.render(),
            "logs/storefront.log": sf.render(),
            "metrics/pricing-engine-cadvisor.csv": metrics,
            "kubectl-describe-pod-pricing-engine.txt": describe_pod(pod, rng).replace(
                "/10.0.", "/10.8."
            ),
            "kubectl-node-notes.txt": NODE_TEXT,
            "kubectl-get-events-retail.txt": event_listing(routine, signal),
        },
        proofs=[
            Proof("logs/pricing-engine.log", "gomaxprocs=96 numcpu=96"),
            Proof("kubectl-describe-pod-pricing-engine.txt", "    Limits:", "      memory: 1Gi"),
            Proof("kubectl-node-notes.txt", "  cpu:                96"),
        ],
        decoys=[
            "Consolidation/Replace",
            "redis: connection pool timeout",
            "Readiness probe failed",
        ],
    )
