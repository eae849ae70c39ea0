# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (self-managed, Europe/Lisbon): the logging platform moved the logs-es-data
StatefulSet to a new Bottlerocket node pool on 2026-05-12. The old nodes had vm.max_map_count
raised by a bootstrap script; the new ones keep 65530, and the chart's privileged `sysctl` init
container had been disabled months earlier (`sysctlInitContainer.enabled: false`). Each data pod
rescheduled onto the new pool fails Elasticsearch's bootstrap check and exits, so shards go
unassigned, the cluster turns red and the log shippers' bulk requests are rejected. Decoys: a
deprecation WARN, a shipper's own back-pressure message before the move, and a disk watermark
INFO on a master."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod
from records import JsonLines, Logfmt
from scenes import at, loud
from traffic import traffic, worker

START = datetime(2026, 5, 12, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 5, 12, 10, 30, tzinfo=UTC)
MOVE = 31.0


def es_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[logs-{rng.choice(['app', 'audit', 'ingress'])}-2026.05.12][{rng.randrange(6)}] primary-replica resync completed with {rng.randrange(0, 40)} operations",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[gc][{rng.randrange(10000, 99999)}] overhead, spent [{rng.randrange(80, 300)}ms] collecting in the last [1s]",
            (),
        )
    return (
        "INFO",
        f"updating number_of_replicas to [1] for indices [logs-app-2026.05.12-{rng.randrange(100):06d}]",
        (),
    )


def pod_text(rng: random.Random) -> str:
    pod = Pod(
        name="logs-es-data-2",
        namespace="logging",
        node="ip-10-8-21-77.eu-south-2.compute.internal",
        app="logs-es-data",
        controller="StatefulSet/logs-es-data",
        labels=[
            "app=logs-es-data",
            "statefulset.kubernetes.io/pod-name=logs-es-data-2",
            "role=data",
        ],
        ip="10.8.21.140",
        start_time="Tue, 12 May 2026 09:31:12 +0000",
        node_selectors="nodepool=logging-br",
        containers=[
            Container(
                name="elasticsearch",
                image="docker.elastic.co/elasticsearch/elasticsearch:8.13.4",
                state=["Waiting", "  Reason:       CrashLoopBackOff"],
                last_state=[
                    "Terminated",
                    "  Reason:       Error",
                    "  Exit Code:    78",
                    "  Started:      Tue, 12 May 2026 10:21:40 +0000",
                    "  Finished:     Tue, 12 May 2026 10:22:03 +0000",
                ],
                ready=False,
                restarts=11,
                limits={"memory": "16Gi"},
                requests={"cpu": "2", "memory": "16Gi"},
                probes=[
                    "Readiness:  exec [bash -c /usr/share/elasticsearch/bin/readiness.sh] delay=10s timeout=5s period=10s #success=1 #failure=3"
                ],
                environment=["ES_JAVA_OPTS:  -Xms8g -Xmx8g", "node.roles:    data,ingest"],
                port="9200/TCP, 9300/TCP",
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
                "59m",
                "default-scheduler",
                "Successfully assigned logging/logs-es-data-2 to ip-10-8-21-77.eu-south-2.compute.internal",
            ),
            (
                "Normal",
                "Pulled",
                "8m (x12 over 59m)",
                "kubelet",
                'Container image "docker.elastic.co/elasticsearch/elasticsearch:8.13.4" already present on machine',
            ),
            (
                "Warning",
                "BackOff",
                "2m (x231 over 58m)",
                "kubelet",
                "Back-off restarting failed container elasticsearch in pod logs-es-data-2_logging(4be1c0d2-7a93-4f21-a6e8-1d9c52f03b77)",
            ),
        ],
    )
    return "$ kubectl -n logging describe pod logs-es-data-2\n" + describe_pod(pod, rng)


def kubectl_misc() -> str:
    return """$ kubectl -n logging get pods -o wide -l app=logs-es-data
NAME             READY   STATUS             RESTARTS        AGE   IP            NODE                                         NOMINATED NODE   READINESS GATES
logs-es-data-0   0/1     CrashLoopBackOff   12 (3m ago)     59m   10.8.20.31    ip-10-8-20-12.eu-south-2.compute.internal    <none>           <none>
logs-es-data-1   0/1     CrashLoopBackOff   12 (4m ago)     58m   10.8.22.205   ip-10-8-22-164.eu-south-2.compute.internal   <none>           <none>
logs-es-data-2   0/1     CrashLoopBackOff   11 (8m ago)     59m   10.8.21.140   ip-10-8-21-77.eu-south-2.compute.internal    <none>           <none>
logs-es-data-3   1/1     Running            0               14d   10.8.4.19     ip-10-8-4-233.eu-south-2.compute.internal    <none>           <none>

$ helm -n logging get values logs-es | grep -A2 -i sysctl
sysctlInitContainer:
  enabled: false
# node image sets vm.max_map_count (see bootstrap/es-nodes.sh)

$ kubectl get nodes -l nodepool=logging-br -o custom-columns=NAME:.metadata.name,OS:.status.nodeInfo.osImage,AGE:.metadata.creationTimestamp
NAME                                         OS                               AGE
ip-10-8-20-12.eu-south-2.compute.internal    Bottlerocket OS 1.19.5 (aws-k8s-1.29)   2026-05-11T16:40:02Z
ip-10-8-21-77.eu-south-2.compute.internal    Bottlerocket OS 1.19.5 (aws-k8s-1.29)   2026-05-11T16:40:09Z
ip-10-8-22-164.eu-south-2.compute.internal   Bottlerocket OS 1.19.5 (aws-k8s-1.29)   2026-05-11T16:40:11Z

$ kubectl -n logging exec logs-es-master-0 -- curl -s localhost:9200/_cluster/health?pretty | head -8
{
  "cluster_name" : "logs-es",
  "status" : "red",
  "timed_out" : false,
  "number_of_nodes" : 4,
  "number_of_data_nodes" : 1,
  "active_primary_shards" : 212,
  "unassigned_shards" : 388,
"""


def bundle() -> Bundle:
    rng = random.Random(50461)
    total = (NOW - START).total_seconds() / 60
    es = LogFile(
        "logs/logs-es-data-2.log",
        JsonLines(
            "logs-es",
            keys=("@timestamp", "log.level", "message"),
            service_key="service.name",
            lower_level=False,
            rng=rng,
        ),
    )
    es.add(traffic(rng, es_line, START, MOVE - 1, 700))
    base = MOVE + 50.6
    es.add(
        [
            at(
                START,
                base,
                "INFO",
                "version[8.13.4], pid[7], build[docker/da95df1183c1], OS[Linux/6.1.90/amd64], JVM[Eclipse Adoptium/OpenJDK 64-Bit Server VM/21.0.2/21.0.2+13-58]",
            ),
            at(
                START,
                base + 0.02,
                "WARN",
                "[xpack.monitoring.collection.enabled] setting was deprecated in Elasticsearch and will be removed in a future release.",
            ),
            at(
                START,
                base + 0.2,
                "INFO",
                "bound or publishing to a non-loopback address, enforcing bootstrap checks",
            ),
            at(
                START,
                base + 0.22,
                "ERROR",
                "node validation exception\n[1] bootstrap checks failed. You must address the points described in the following [1] lines before starting Elasticsearch.\nbootstrap check failure [1] of [1]: max virtual memory areas vm.max_map_count [65530] is too low, increase to at least [262144]",
            ),
            at(START, base + 0.25, "INFO", "stopping ..."),
            at(START, base + 0.27, "INFO", "stopped"),
        ]
    )
    ship = LogFile("logs/log-shipper.log", Logfmt("vector-aggregator", rng=rng))
    ship.add(traffic(rng, worker("vector-aggregator", ["k8s-logs", "audit"]), START, total, 2400))
    ship.add(
        [
            at(
                START,
                14.0,
                "WARN",
                "buffer 72% full component=es_sink, applying back-pressure to sources",
            )
        ]
    )
    ship.add(
        loud(
            rng,
            START,
            MOVE + 4,
            total - MOVE - 4.5,
            280,
            lambda r: (
                "ERROR",
                f'Service call failed. No retries or retries exhausted. component=es_sink error="bulk rejected: cluster_block / no shard available, index logs-app-2026.05.12" batch={r.getrandbits(32):08x}',
                (),
            ),
        )
    )
    master = LogFile(
        "logs/logs-es-master-0.log",
        JsonLines(
            "logs-es",
            keys=("@timestamp", "log.level", "message"),
            service_key="service.name",
            lower_level=False,
            rng=rng,
        ),
    )
    master.add(traffic(rng, es_line, START, total, 600))
    master.add(
        [
            at(
                START,
                20.0,
                "INFO",
                "low disk watermark [85%] exceeded on [logs-es-data-3][/usr/share/elasticsearch/data] free: 61.2gb[14.1%], replicas will not be assigned to this node",
            )
        ]
    )
    master.add(
        loud(
            rng,
            START,
            MOVE + 2,
            total - MOVE - 3,
            60,
            lambda r: (
                "WARN",
                f"Cluster health status changed from [YELLOW] to [RED] (reason: [shards failed to allocate, {r.randrange(100, 400)} unassigned]).",
                (),
            ),
        )
    )
    return Bundle(
        question="Log search has been down and the shippers are dropping batches since about 10:35 Lisbon time, right after we moved the Elasticsearch data nodes to the new node pool. Three data pods crash-loop. What is the root cause?",
        category="configuration",
        component="logs-es-data",
        statement="The new Bottlerocket node pool keeps vm.max_map_count at 65530 and the chart's sysctl init container is disabled, so every logs-es-data pod moved there fails Elasticsearch's bootstrap check (needs 262144) and exits with code 78; shards go unassigned and bulk writes are rejected.",
        files={
            "kubectl-describe-pod.txt": pod_text(rng),
            "kubectl-output.txt": kubectl_misc(),
            es.name: es.render(),
            ship.name: ship.render(),
            master.name: master.render(),
        },
        proofs=[
            Proof(es.name, "vm.max_map_count [65530] is too low"),
            Proof("kubectl-output.txt", "sysctlInitContainer:", "  enabled: false"),
            Proof("kubectl-describe-pod.txt", "Exit Code:    78"),
        ],
        decoys=["xpack.monitoring.collection.enabled", "buffer 72% full", "low disk watermark"],
    )
