# ruff: noqa: E501
# Log lines, kubectl rows and YAML are data, kept whole on one line.
"""Kubernetes (GKE): the workloads are being moved to a new node pool, `batch-v2`, created from
a hardened template whose kubelet config sets `podPidsLimit: 256`. pricing-engine (a JVM with
a 200-thread request pool plus ForkJoin, gRPC and GC threads) needs about 300 threads at the
morning revaluation. On batch-v2 nodes its pods hit the pids cgroup limit: `pthread_create
failed (EAGAIN)`, `OutOfMemoryError: unable to create native thread`, and the kernel's `fork
rejected by pids controller`; pods on the old default-pool stay healthy. Memory is far from its
limit. Decoys: a GC pause warning, a market-data feed reconnect, and the old pool's cordon."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import Journal, Log4j
from scenes import at, java_trace, loud
from traffic import traffic, web_api

START = datetime(2026, 1, 27, 6, 0, tzinfo=UTC)
NOW = datetime(2026, 1, 27, 8, 30, tzinfo=UTC)
REVAL = 62.0  # 07:02 UTC
NEW_NODE = "gke-prod-ldn-batch-v2-5e1f9a3c-q7d2"
OLD_NODE = "gke-prod-ldn-default-pool-8b2c4d6e-x1m9"
BAD = "pricing-engine-5d8b7c9f6-wz4kr"


def bundle() -> Bundle:
    rng = random.Random(4461)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    app = LogFile(
        f"logs/{BAD}.log",
        Log4j(
            (
                "com.lombard.pricing.ValuationService",
                "com.lombard.pricing.feed.MarketDataClient",
                "com.lombard.pricing.grpc.PricingEndpoint",
            ),
            threads="grpc-default-executor",
            rng=rng,
        ),
    )
    app.add(traffic(rng, web_api("pricing-engine", ["valuations", "curves"]), START, total, 2600))
    app.add(
        [
            at(
                START,
                28.5,
                "WARN",
                "GC pause (G1 Evacuation Pause) 612ms, heap 2.9G->1.8G(6.0G)",
                logger="gc",
            )
        ]
    )
    app.add(
        [
            at(
                START,
                44.1,
                "WARN",
                "market data feed md-gw.risk.svc:7010 disconnected (peer reset), reconnected in 1.2s, resubscribed 1840 instruments",
                logger="com.lombard.pricing.feed.MarketDataClient",
            )
        ]
    )
    app.add(
        [
            at(
                START,
                REVAL,
                "INFO",
                "morning revaluation started: 48211 trades, parallelism=96",
                logger="com.lombard.pricing.ValuationService",
            )
        ]
    )
    app.add(
        [
            at(
                START,
                REVAL + 0.9,
                "WARN",
                '[warning][os,thread] Failed to start thread "Unknown thread" - pthread_create failed (EAGAIN) for attributes: stacksize: 1024k, guardsize: 0k, detached.',
                logger="jvm",
            )
        ]
    )
    trace = java_trace(
        "java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached",
        [
            "java.base/java.lang.Thread.start0(Native Method)",
            "java.base/java.lang.Thread.start(Thread.java:1526)",
            "java.base/java.util.concurrent.ForkJoinPool.createWorker(ForkJoinPool.java:1530)",
            "java.base/java.util.concurrent.ForkJoinPool.signalWork(ForkJoinPool.java:1848)",
            "com.lombard.pricing.ValuationService.revalue(ValuationService.java:212)",
        ],
    )
    app.add(
        loud(
            rng,
            START,
            REVAL + 1.0,
            40.0,
            90,
            lambda r: ("ERROR", f"valuation batch {r.randrange(10**5)} failed", tuple(trace)),
        )
    )
    app.add(
        loud(
            rng,
            START,
            REVAL + 1.0,
            40.0,
            220,
            lambda r: (
                "ERROR",
                f"rpc Price(trade={r.randrange(10**7)}) failed: io.grpc.StatusRuntimeException: UNAVAILABLE: executor rejected (unable to create native thread)",
                (),
            ),
        )
    )

    kern = LogFile(f"journalctl-k-{NEW_NODE}.txt", Journal(NEW_NODE, "kernel", 0))

    def churn(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        veth = f"veth{r.getrandbits(32):08x}"
        return (
            "INFO",
            r.choice(
                [
                    f"IPv6: ADDRCONF(NETDEV_CHANGE): {veth}: link becomes ready",
                    f"cbr0: port {r.randrange(2, 60)}({veth}) entered forwarding state",
                    f"cbr0: port {r.randrange(2, 60)}({veth}) entered disabled state",
                    f"device {veth} left promiscuous mode",
                    f"eth0: renamed from tmp{r.getrandbits(24):06x}",
                ]
            ),
            (),
        )

    kern.add(traffic(rng, churn, START, total, 140))
    kern.add(
        [
            at(
                START,
                minute,
                "INFO",
                "cgroup: fork rejected by pids controller in /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3a9c1e7f_52d4_4b8e_9f01_c6d2e8a4b7f3.slice/cri-containerd-"
                + f"{rng.getrandbits(256):064x}.scope",
            )
            for minute in (REVAL + 0.85, REVAL + 3.5, REVAL + 5.6, REVAL + 7.9)
        ]
    )
    journal = kern.render().replace(" kernel[0]: ", " kernel: ")

    routine = routine_events(
        rng,
        ["pricing-engine", "md-gw", "curve-builder"],
        16,
        [NEW_NODE, "gke-prod-ldn-batch-v2-5e1f9a3c-t3h8"],
        namespace="risk",
    )
    signal = [
        (
            ago(5),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{OLD_NODE}",
                f"Node {OLD_NODE} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(REVAL + 6),
            (
                "Warning",
                "Unhealthy",
                f"pod/{BAD}",
                'Liveness probe failed: Get "http://10.72.14.9:8081/health/live": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            ago(REVAL + 7),
            (
                "Normal",
                "Killing",
                f"pod/{BAD}",
                "Container pricing-engine failed liveness probe, will be restarted",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    pod = Pod(
        name=BAD,
        namespace="risk",
        node=NEW_NODE,
        app="pricing-engine",
        ip="10.72.14.9",
        start_time="Mon, 26 Jan 2026 16:44:03 +0000",
        node_selectors="cloud.google.com/gke-nodepool=batch-v2",
        containers=[
            Container(
                name="pricing-engine",
                image="europe-west2-docker.pkg.dev/lombard-risk/apps/pricing-engine:7.3.1",
                state=["Running", "  Started:      Tue, 27 Jan 2026 07:09:47 +0000"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    137",
                    "  Started:      Mon, 26 Jan 2026 16:44:15 +0000",
                    "  Finished:     Tue, 27 Jan 2026 07:09:41 +0000",
                ],
                restarts=3,
                limits={"cpu": "8", "memory": "8Gi"},
                requests={"cpu": "4", "memory": "8Gi"},
                probes=[
                    "Liveness:   http-get http://:8081/health/live delay=60s timeout=3s period=10s #success=1 #failure=3"
                ],
                environment=[
                    "JAVA_TOOL_OPTIONS:  -XX:MaxRAMPercentage=75 -Xss1m",
                    "SERVER_THREADS:     200",
                ],
            )
        ],
        events=[
            (
                "Warning",
                "Unhealthy",
                "18m (x9 over 82m)",
                "kubelet",
                'Liveness probe failed: Get "http://10.72.14.9:8081/health/live": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            )
        ],
    )
    get = "\n".join(
        [
            "$ kubectl -n risk get pods -l app=pricing-engine -o wide",
            "NAME                             READY   STATUS    RESTARTS      AGE   IP             NODE",
            f"pricing-engine-5d8b7c9f6-b2n6t   1/1     Running   0             9d    10.72.3.21     {OLD_NODE}",
            "pricing-engine-5d8b7c9f6-h9c4s   1/1     Running   0             9d    10.72.5.88     gke-prod-ldn-default-pool-8b2c4d6e-r4k2",
            f"{BAD}   1/1     Running   3 (81m ago)   15h   10.72.14.9     {NEW_NODE}",
            "pricing-engine-5d8b7c9f6-m5v8j   0/1     Running   4 (6m ago)    15h   10.72.15.40    gke-prod-ldn-batch-v2-5e1f9a3c-t3h8",
            "",
            "$ kubectl -n risk top pod " + BAD + " --containers",
            "POD                              NAME             CPU(cores)   MEMORY(bytes)",
            f"{BAD}   pricing-engine   3120m        3411Mi",
            "",
            f"$ kubectl -n risk exec {BAD} -- sh -c 'cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids.current; ls /proc/1/task | wc -l'",
            "256",
            "256",
            "243",
            "",
            "$ gcloud container node-pools describe batch-v2 --cluster prod-ldn --region europe-west2 --format='yaml(config.kubeletConfig,config.machineType,management)'",
            "config:",
            "  kubeletConfig:",
            "    cpuCfsQuota: true",
            "    insecureKubeletReadonlyPortEnabled: false",
            "    podPidsLimit: '256'",
            "  machineType: n2-standard-16",
            "management:",
            "  autoRepair: true",
            "  autoUpgrade: true",
            "",
            "$ gcloud container node-pools describe default-pool --cluster prod-ldn --region europe-west2 --format='yaml(config.kubeletConfig)'",
            "config:",
            "  kubeletConfig:",
            "    insecureKubeletReadonlyPortEnabled: false",
            "",
        ]
    )
    return Bundle(
        question="The morning revaluation (started 07:02 GMT) is failing: pricing-engine pods throw OutOfMemoryError and restart, but only some of them, and memory graphs show they use less than half of their limit. What is the root cause?",
        category="configuration",
        component="batch-v2",
        statement="The new batch-v2 node pool's kubelet config sets podPidsLimit 256; pricing-engine needs about 300 threads during the revaluation, so its pods on batch-v2 nodes hit the pids cgroup limit (pthread_create EAGAIN, `unable to create native thread`, `fork rejected by pids controller`) while those on default-pool are fine.",
        files={
            "kubectl-get.txt": get,
            f"kubectl-describe-pod-{BAD}.txt": describe_pod(pod, rng),
            "kubectl-get-events.txt": events,
            kern.name: journal,
            app.name: app.render(),
        },
        proofs=[
            Proof("kubectl-get.txt", "    podPidsLimit: '256'"),
            Proof("kubectl-get.txt", "/sys/fs/cgroup/pids.max", "256"),
            Proof(app.name, "pthread_create failed (EAGAIN)"),
        ],
        decoys=[
            "GC pause (G1 Evacuation Pause) 612ms",
            "disconnected (peer reset), reconnected in 1.2s",
            f"Node {OLD_NODE} status is now: NodeNotSchedulable",
        ],
    )
