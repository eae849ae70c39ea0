# ruff: noqa: E501
# gunicorn lines, kubectl rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes: pricing-engine's gunicorn config sizes its worker count from the CPU count it sees
(`cpu_count() * 2 + 1`), not from the pod's CPU limit. The node-pool migration moves its pods
from 8-vCPU nodes to new 48-vCPU nodes (pool `np-c48`): a pod there boots 97 workers, each
importing the pricing model, and is OOMKilled at its 2Gi limit before it is ready. Pods still
on the old pool are fine; as the drain proceeds capacity falls and quote-gateway gets 503s.
Decoys: a slow-request warning on an old pod, a kernel `nf_conntrack` note on a node, and
quote-gateway's retry of a currency service."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

SAO = ZoneInfo("America/Sao_Paulo")
START = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)  # 09:00 BRT
NOW = datetime(2026, 11, 10, 13, 50, tzinfo=UTC)
DRAIN = 41.0  # 12:41 UTC
OLD = ["gke-prices-np-n8-3f1a9c2e-7bqk", "gke-prices-np-n8-3f1a9c2e-m2xd"]
NEW = ["gke-prices-np-c48-81d0e4b7-2wlp", "gke-prices-np-c48-81d0e4b7-k9cs"]


@dataclass
class Gunicorn:
    """gunicorn's error log: `[2026-11-10 12:41:07 +0000] [1] [INFO] message`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        level = {"WARN": "WARNING"}.get(record.level, record.level)
        pid = record.logger or "1"
        return [
            f"[{record.time.strftime('%Y-%m-%d %H:%M:%S +0000')}] [{pid}] [{level}] {record.message}"
        ]


def bundle() -> Bundle:
    rng = random.Random(35307)
    total = (NOW - START).total_seconds() / 60

    boot = LogFile("kubectl-logs-pricing-engine-previous.txt", Gunicorn(rng=rng))
    begin = datetime(2026, 11, 10, 13, 44, 2, tzinfo=UTC)
    records = [
        Record(begin, "INFO", "Starting gunicorn 22.0.0"),
        Record(begin + timedelta(milliseconds=4), "INFO", "Listening at: http://0.0.0.0:8000 (1)"),
        Record(begin + timedelta(milliseconds=5), "INFO", "Using worker: sync"),
        Record(
            begin + timedelta(milliseconds=6),
            "INFO",
            "pricing-engine 2.31.0: workers=97 (cpu_count=48, formula cpu*2+1), timeout=60, preload_app=False",
        ),
    ]
    for index in range(97):
        records.append(
            Record(
                begin + timedelta(milliseconds=20 + index * 31),
                "INFO",
                f"Booting worker with pid: {8 + index}",
            )
        )
    for index in range(49):
        records.append(
            Record(
                begin + timedelta(seconds=3, milliseconds=index * 170),
                "INFO",
                f"pricing model v2026.11 loaded in worker (tariff tables {rng.randrange(38, 44)}.{rng.randrange(10)} MiB rss)",
                logger=str(8 + index),
            )
        )
    boot.add(records)

    old = LogFile(
        "logs/pricing-engine-58d4c7b9f6-t7wq9.log",
        JsonLines(
            "pricing-engine", keys=("time", "levelname", "message"), lower_level=False, rng=rng
        ),
    )
    old.add(traffic(rng, web_api("pricing-engine", ["quotes", "tariffs"]), START, total, 2700))
    old.add(
        [
            at(
                START,
                14.0,
                "WARN",
                "slow request POST /api/v1/quotes took 2140ms (threshold 1000ms) tariff_table=interstate-2026q4",
            )
        ]
    )

    gateway = LogFile("logs/quote-gateway.log", JsonLines("quote-gateway", rng=rng, zone=SAO))
    gateway.add(traffic(rng, web_api("quote-gateway", ["quotes", "shipments"]), START, total, 3000))
    gateway.add(
        [
            at(
                START,
                27.0,
                "WARN",
                "currency-svc GET /rates/BRL timed out after 800ms, retry 1 of 2 succeeded",
            )
        ]
    )
    gateway.add(
        loud(
            rng,
            START,
            DRAIN + 9,
            total - DRAIN - 9,
            470,
            fixed(
                "ERROR",
                lambda r: (
                    f"POST http://pricing-engine.pricing.svc:8000/api/v1/quotes -> 503 upstream connect error or disconnect/reset before headers (quote {r.getrandbits(36):09x})"
                ),
            ),
        )
    )

    pods = "\n".join(
        [
            "$ kubectl -n pricing get pods -l app=pricing-engine -o wide",
            "NAME                              READY   STATUS             RESTARTS        AGE    IP             NODE                              NOMINATED NODE   READINESS GATES",
            f"pricing-engine-58d4c7b9f6-t7wq9   1/1     Running            0               6d     10.64.1.23     {OLD[0]}    <none>           <none>",
            f"pricing-engine-58d4c7b9f6-xk2mn   1/1     Running            0               6d     10.64.2.41     {OLD[1]}    <none>           <none>",
            f"pricing-engine-58d4c7b9f6-4hfzr   0/1     CrashLoopBackOff   12 (94s ago)    68m    10.64.7.18     {NEW[0]}   <none>           <none>",
            f"pricing-engine-58d4c7b9f6-b8vns   0/1     CrashLoopBackOff   12 (2m1s ago)   68m    10.64.8.52     {NEW[1]}   <none>           <none>",
            f"pricing-engine-58d4c7b9f6-q6lpd   0/1     OOMKilled          11 (5m ago)     52m    10.64.7.77     {NEW[0]}   <none>           <none>",
            "",
            "$ kubectl get nodes -L cloud.google.com/gke-nodepool,node.kubernetes.io/instance-type -o custom-columns=NAME:.metadata.name,POOL:.metadata.labels.cloud\\.google\\.com/gke-nodepool,TYPE:.metadata.labels.node\\.kubernetes\\.io/instance-type,CPU:.status.capacity.cpu,SCHED:.spec.unschedulable",
            "NAME                              POOL      TYPE             CPU   SCHED",
            f"{OLD[0]}    np-n8     n2-standard-8    8     true",
            f"{OLD[1]}    np-n8     n2-standard-8    8     true",
            f"{NEW[0]}   np-c48    c3-standard-44   48    <none>",
            f"{NEW[1]}   np-c48    c3-standard-44   48    <none>",
            "",
            "$ kubectl -n pricing exec pricing-engine-58d4c7b9f6-t7wq9 -- cat /app/gunicorn.conf.py",
            "import multiprocessing",
            "",
            'bind = "0.0.0.0:8000"',
            "workers = multiprocessing.cpu_count() * 2 + 1",
            "timeout = 60",
            "preload_app = False",
            'accesslog = "-"',
            "",
        ]
    )

    describe = describe_pod(
        Pod(
            name="pricing-engine-58d4c7b9f6-4hfzr",
            namespace="pricing",
            node=NEW[0],
            app="pricing-engine",
            ip="10.64.7.18",
            start_time="Tue, 10 Nov 2026 12:42:10 +0000",
            conditions={
                "Initialized": "True",
                "Ready": "False",
                "ContainersReady": "False",
                "PodScheduled": "True",
            },
            containers=[
                Container(
                    name="pricing-engine",
                    image="southamerica-east1-docker.pkg.dev/fretex-prod/pricing/pricing-engine:2.31.0",
                    state=["Waiting", "  Reason:       CrashLoopBackOff"],
                    last_state=[
                        "Terminated",
                        "  Reason:       OOMKilled",
                        "  Exit Code:    137",
                        "  Started:      Tue, 10 Nov 2026 13:44:02 +0000",
                        "  Finished:     Tue, 10 Nov 2026 13:44:14 +0000",
                    ],
                    ready=False,
                    restarts=12,
                    limits={"cpu": "2", "memory": "2Gi"},
                    requests={"cpu": "1", "memory": "1536Mi"},
                    probes=[
                        "Readiness:  http-get http://:8000/healthz delay=5s timeout=2s period=10s #success=1 #failure=3"
                    ],
                    port="8000/TCP",
                )
            ],
            events=[
                (
                    "Normal",
                    "Scheduled",
                    "68m",
                    "default-scheduler",
                    f"Successfully assigned pricing/pricing-engine-58d4c7b9f6-4hfzr to {NEW[0]}",
                ),
                (
                    "Normal",
                    "Pulled",
                    "4m (x13 over 68m)",
                    "kubelet",
                    'Container image "southamerica-east1-docker.pkg.dev/fretex-prod/pricing/pricing-engine:2.31.0" already present on machine',
                ),
                (
                    "Warning",
                    "BackOff",
                    "94s (x270 over 67m)",
                    "kubelet",
                    "Back-off restarting failed container pricing-engine in pod pricing-engine-58d4c7b9f6-4hfzr_pricing(2d7e9c41-58ab-4f06-9e13-c7a0b5d4f812)",
                ),
            ],
        ),
        rng,
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["quote-gateway", "tariff-sync"], 18, OLD + NEW, namespace="pricing"
    )
    signal = [
        (
            ago(DRAIN),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{OLD[0]}",
                f"Node {OLD[0]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(DRAIN + 0.2),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{OLD[1]}",
                f"Node {OLD[1]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(DRAIN + 1),
            (
                "Normal",
                "Killing",
                "pod/pricing-engine-58d4c7b9f6-9zc2d",
                "Stopping container pricing-engine",
            ),
        ),
        (
            ago(DRAIN + 17),
            (
                "Normal",
                "Killing",
                "pod/pricing-engine-58d4c7b9f6-r4mtx",
                "Stopping container pricing-engine",
            ),
        ),
        (
            ago(35),
            (
                "Normal",
                "ConntrackFull",
                f"node/{OLD[1]}",
                "nf_conntrack: table 61% full (hashsize 65536), no drops",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    return Bundle(
        question="Quote requests have been returning 503 since about 09:50 BRT while we move pricing to the new node pool. What is the root cause?",
        category="memory",
        component="pricing-engine",
        statement="pricing-engine's gunicorn.conf.py sets `workers = cpu_count() * 2 + 1`, so on the new 48-vCPU np-c48 nodes each pod starts 97 workers and is OOMKilled at its 2Gi memory limit before becoming ready; as the old 8-vCPU pool drains, only two pods serve and quote-gateway gets 503s.",
        files={
            "kubectl-logs-pricing-engine-previous.txt": boot.render(),
            "kubectl-pods-nodes-config.txt": pods,
            "kubectl-describe-pod.txt": describe,
            "kubectl-get-events.txt": events,
            "logs/pricing-engine-58d4c7b9f6-t7wq9.log": old.render(),
            "logs/quote-gateway.log": gateway.render(),
        },
        proofs=[
            Proof("kubectl-logs-pricing-engine-previous.txt", "workers=97 (cpu_count=48"),
            Proof("kubectl-pods-nodes-config.txt", "workers = multiprocessing.cpu_count() * 2 + 1"),
            Proof("kubectl-describe-pod.txt", "Reason:       OOMKilled"),
        ],
        decoys=[
            "slow request POST /api/v1/quotes took 2140ms",
            "nf_conntrack: table 61% full",
            "currency-svc GET /rates/BRL timed out after 800ms",
        ],
    )
