# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""Chart 4.4.0 of recommender brings new default resources that cut its memory limit from
1536Mi to 384Mi; the pods load their 1.1 GiB embeddings index at start, are OOMKilled and
crash-loop, and the storefront gateway answers 503 for every recommendations call."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import PythonLogging, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 2, 18, 13, 0, tzinfo=UTC)
UPGRADE_MINUTE = 14.5
NODES = [
    "ip-10-42-11-87.eu-west-1.compute.internal",
    "ip-10-42-12-203.eu-west-1.compute.internal",
    "ip-10-42-13-54.eu-west-1.compute.internal",
]
PODS = ["recommender-6f7d9b8c5-4kqzt", "recommender-6f7d9b8c5-n8wlx", "recommender-6f7d9b8c5-v2pjd"]


@dataclass
class EnvoyAccess:
    """Envoy's default access log format, the record's message holding the request part."""

    def render(self, record: Record) -> list[str]:
        text = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [f"[{text}] {record.message}"]


def gateway_line(rng: random.Random) -> Line:
    upstream, path = rng.choice(
        [
            ("catalog", "/api/products/{n}"),
            ("catalog", "/api/products?page={n}"),
            ("cart", "/api/cart"),
            ("recommender", "/api/recommendations?item={n}"),
            ("search", "/api/search?q=shoes&page={n}"),
            ("accounts", "/api/me"),
        ]
    )
    path = path.replace("{n}", str(rng.randrange(1, 99999)))
    took = max(1, int(rng.lognormvariate(0, 0.5) * 18))
    return (
        "INFO",
        f'"GET {path} HTTP/1.1" 200 - via_upstream - "-" 0 {rng.randrange(200, 9000)} {took} {max(1, took - 1)} "{rng.randrange(1, 255)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}" "Mozilla/5.0" "{rng.getrandbits(64):016x}" "{upstream}.storefront.svc:8080" "10.42.{rng.randrange(11, 14)}.{rng.randrange(2, 250)}:8080"',
        (),
    )


def gateway_line_without_recommender(rng: random.Random) -> Line:
    while True:
        line = gateway_line(rng)
        if "recommender.storefront" not in line[1]:
            return line


def recommender_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"GET /recommendations item={rng.randrange(1, 99999)} k=12 hits=12 took={rng.lognormvariate(0, 0.4) * 11:.1f}ms",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f'10.42.{rng.randrange(11, 14)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)} - "GET /recommendations HTTP/1.1" 200',
            (),
        )
    return "DEBUG", f"cache refresh: {rng.randrange(10, 300)} popular items re-ranked", ()


def history() -> str:
    return """$ kubectl -n storefront rollout history deployment/recommender
deployment.apps/recommender
REVISION  CHANGE-CAUSE
39        helm upgrade recommender charts/recommender --version 4.2.3 (image 2.17.0)
40        helm upgrade recommender charts/recommender --version 4.3.0 (image 2.18.0)
41        helm upgrade recommender charts/recommender --version 4.3.1 (image 2.18.1)
42        helm upgrade recommender charts/recommender --version 4.4.0 (image 2.18.1)

$ kubectl -n storefront rollout history deployment/recommender --revision=41
deployment.apps/recommender with revision #41
Pod Template:
  Labels:	app=recommender
	pod-template-hash=84c6b7f9d
  Annotations:	kubernetes.io/change-cause: helm upgrade recommender charts/recommender --version 4.3.1 (image 2.18.1)
  Containers:
   recommender:
    Image:	123456789012.dkr.ecr.eu-west-1.amazonaws.com/storefront/recommender:2.18.1
    Port:	8080/TCP
    Host Port:	0/TCP
    Limits:
      cpu:	2
      memory:	1536Mi
    Requests:
      cpu:	500m
      memory:	1280Mi
    Readiness:	http-get http://:8080/healthz delay=20s timeout=2s period=10s #success=1 #failure=3
    Environment:
      INDEX_PATH:	/models/item-embeddings-v7.faiss
      WORKERS:	2
    Mounts:	<none>
  Volumes:	<none>

$ kubectl -n storefront rollout history deployment/recommender --revision=42
deployment.apps/recommender with revision #42
Pod Template:
  Labels:	app=recommender
	pod-template-hash=6f7d9b8c5
  Annotations:	kubernetes.io/change-cause: helm upgrade recommender charts/recommender --version 4.4.0 (image 2.18.1)
  Containers:
   recommender:
    Image:	123456789012.dkr.ecr.eu-west-1.amazonaws.com/storefront/recommender:2.18.1
    Port:	8080/TCP
    Host Port:	0/TCP
    Limits:
      cpu:	1
      memory:	384Mi
    Requests:
      cpu:	250m
      memory:	256Mi
    Readiness:	http-get http://:8080/healthz delay=20s timeout=2s period=10s #success=1 #failure=3
    Environment:
      INDEX_PATH:	/models/item-embeddings-v7.faiss
      WORKERS:	2
    Mounts:	<none>
  Volumes:	<none>
"""


def pods(rng: random.Random) -> str:
    rows = [
        (PODS[0], "0/1", "CrashLoopBackOff", "9 (2m11s ago)", "31m"),
        (PODS[1], "0/1", "CrashLoopBackOff", "8 (4m50s ago)", "30m"),
        (PODS[2], "0/1", "OOMKilled", "9 (24s ago)", "30m"),
    ]
    for app in ["catalog", "catalog", "cart", "cart", "search", "accounts", "gateway", "gateway"]:
        rows.append(
            (
                f"{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}",
                "1/1",
                "Running",
                "0",
                f"{rng.randrange(2, 9)}d",
            )
        )
    rows.sort()
    return "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE"), rows)) + "\n"


def bundle() -> Bundle:
    rng = random.Random(181)
    container = Container(
        name="recommender",
        image="123456789012.dkr.ecr.eu-west-1.amazonaws.com/storefront/recommender:2.18.1",
        state=["Waiting", "  Reason:       CrashLoopBackOff"],
        last_state=[
            "Terminated",
            "  Reason:       OOMKilled",
            "  Exit Code:    137",
            "  Started:      Tue, 18 Feb 2025 13:43:02 +0000",
            "  Finished:     Tue, 18 Feb 2025 13:43:39 +0000",
        ],
        ready=False,
        restarts=9,
        limits={"cpu": "1", "memory": "384Mi"},
        requests={"cpu": "250m", "memory": "256Mi"},
        probes=[
            "Readiness:      http-get http://:8080/healthz delay=20s timeout=2s period=10s #success=1 #failure=3"
        ],
        environment=["INDEX_PATH:  /models/item-embeddings-v7.faiss", "WORKERS:     2"],
    )
    pod = Pod(
        name=PODS[0],
        namespace="storefront",
        node=NODES[1],
        app="recommender",
        containers=[container],
        conditions={
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        start_time="Tue, 18 Feb 2025 13:14:52 +0000",
        ip="10.42.12.77",
        events=[
            (
                "Normal",
                "Scheduled",
                "31m",
                "default-scheduler",
                f"Successfully assigned storefront/{PODS[0]} to {NODES[1]}",
            ),
            (
                "Normal",
                "Pulled",
                "31m",
                "kubelet",
                'Successfully pulled image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/storefront/recommender:2.18.1" in 1.212s (1.212s including waiting)',
            ),
            (
                "Normal",
                "Created",
                "2m52s (x10 over 31m)",
                "kubelet",
                "Created container recommender",
            ),
            (
                "Normal",
                "Started",
                "2m52s (x10 over 31m)",
                "kubelet",
                "Started container recommender",
            ),
            (
                "Warning",
                "Unhealthy",
                "2m31s (x27 over 31m)",
                "kubelet",
                'Readiness probe failed: Get "http://10.42.12.77:8080/healthz": dial tcp 10.42.12.77:8080: connect: connection refused',
            ),
            (
                "Warning",
                "BackOff",
                "14s (x121 over 29m)",
                "kubelet",
                f"Back-off restarting failed container recommender in pod {PODS[0]}_storefront(5e0b7f1c-3a9d-4c62-9b4e-7a1f0c2d8e63)",
            ),
        ],
    )
    routine = routine_events(
        rng, ["catalog", "cart", "search", "accounts"], 300, NODES, namespace="storefront"
    )
    signal = [
        (
            1870,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/recommender",
                "Scaled up replica set recommender-6f7d9b8c5 to 1",
            ),
        ),
        (
            1850,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/recommender",
                "Scaled down replica set recommender-84c6b7f9d to 2 from 3",
            ),
        ),
        (
            1790,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/recommender",
                "Scaled down replica set recommender-84c6b7f9d to 0 from 1",
            ),
        ),
        (
            1580,
            (
                "Warning",
                "OOMKilling",
                f"node/{NODES[1]}",
                "Memory cgroup out of memory: Killed process 48213 (python) total-vm:2210344kB, anon-rss:391208kB, file-rss:10872kB, shmem-rss:0kB, UID:10001 pgtables:1280kB oom_score_adj:992",
            ),
        ),
        (
            900,
            (
                "Warning",
                "BackOff",
                f"pod/{PODS[1]}",
                "Back-off restarting failed container recommender",
            ),
        ),
        (
            610,
            (
                "Warning",
                "Unhealthy",
                f"pod/{PODS[2]}",
                'Readiness probe failed: Get "http://10.42.13.18:8080/healthz": dial tcp 10.42.13.18:8080: connect: connection refused',
            ),
        ),
        (
            120,
            (
                "Warning",
                "BackOff",
                f"pod/{PODS[0]}",
                "Back-off restarting failed container recommender",
            ),
        ),
    ]
    previous = LogFile(
        "kubectl-logs-previous.txt",
        PythonLogging(("recommender.app", "recommender.index", "uvicorn.access"), rng=rng),
    )
    boot = START + timedelta(minutes=43, seconds=2)
    previous.add(
        [
            Record(
                boot + timedelta(seconds=1.2),
                "INFO",
                "Started server process [1]",
                (),
                "uvicorn.error",
            ),
            Record(
                boot + timedelta(seconds=1.3),
                "INFO",
                "Waiting for application startup.",
                (),
                "uvicorn.error",
            ),
            Record(
                boot + timedelta(seconds=1.6),
                "INFO",
                "loading item index from /models/item-embeddings-v7.faiss (2481220 vectors, dim 96, 1.09 GiB)",
                (),
                "recommender.index",
            ),
            Record(
                boot + timedelta(seconds=19.8),
                "INFO",
                "index shard 1/3 mapped (372 MiB)",
                (),
                "recommender.index",
            ),
            Record(
                boot + timedelta(seconds=34.1),
                "INFO",
                "index shard 2/3 mapped (744 MiB)",
                (),
                "recommender.index",
            ),
        ]
    )
    gateway = LogFile("gateway.log", EnvoyAccess())
    gateway.add(traffic(rng, gateway_line, START, UPGRADE_MINUTE + 1.5, 1100))
    gateway.add(
        traffic(
            rng,
            gateway_line_without_recommender,
            START + timedelta(minutes=UPGRADE_MINUTE + 1.5),
            60 - UPGRADE_MINUTE - 1.5,
            2700,
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            UPGRADE_MINUTE + 1.5,
            45,
            612,
            fixed(
                "ERROR",
                lambda r: (
                    f'"GET /api/recommendations?item={r.randrange(1, 99999)} HTTP/1.1" 503 UF,URX upstream_reset_before_response_started{{connection_failure}} - "-" 0 91 {r.randrange(1, 30)} - "{r.randrange(1, 255)}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(256)}" "Mozilla/5.0" "{r.getrandbits(64):016x}" "recommender.storefront.svc:8080" "-"'
                ),
            ),
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            UPGRADE_MINUTE + 3,
            43,
            140,
            fixed(
                "ERROR",
                lambda r: (
                    f'"GET /api/recommendations?item={r.randrange(1, 99999)} HTTP/1.1" 503 UH no_healthy_upstream - "-" 0 19 0 - "{r.randrange(1, 255)}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(256)}" "Mozilla/5.0" "{r.getrandbits(64):016x}" "recommender.storefront.svc:8080" "-"'
                ),
            ),
        )
    )
    old = LogFile("recommender.log", PythonLogging(("recommender.app", "uvicorn.access"), rng=rng))
    old.add(traffic(rng, recommender_line, START, UPGRADE_MINUTE, 900))
    old.add(
        [
            at(START, UPGRADE_MINUTE + 0.3, "INFO", "Shutting down"),
            at(START, UPGRADE_MINUTE + 0.32, "INFO", "Finished server process [1]"),
        ]
    )
    return Bundle(
        question="Recommendations on the storefront are all 503 since about 13:15 UTC. The recommender pods keep restarting; why?",
        category="memory",
        component="recommender",
        statement="The helm upgrade to chart 4.4.0 (revision 42) cut recommender's memory limit from 1536Mi to 384Mi, so each pod is OOMKilled (exit 137) while loading its 1.09 GiB item index and crash-loops.",
        files={
            "get-pods.txt": pods(rng),
            "describe-pod.txt": describe_pod(pod, rng),
            "rollout-history.txt": history(),
            "events.txt": event_listing(routine, signal),
            "kubectl-logs-previous.txt": previous.render(),
            "recommender.log": old.render(),
            "gateway.log": gateway.render(),
        },
        proofs=[
            Proof("describe-pod.txt", "Reason:       OOMKilled", "Exit Code:    137"),
            Proof("rollout-history.txt", "memory:\t384Mi"),
            Proof("rollout-history.txt", "memory:\t1536Mi"),
        ],
        decoys=[
            "503 UF,URX",
            "no_healthy_upstream",
            "Readiness probe failed",
            "Back-off restarting failed container",
        ],
    )
