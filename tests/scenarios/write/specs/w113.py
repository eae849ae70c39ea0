# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""A noisy neighbour on one GKE node: the logging team's Elasticsearch started rejecting bulk
writes (429), and the fluent-bit DaemonSet pod on gke-prod-eu-default-pool-3b7e91d2-x4mf,
whose tail input has no Mem_Buf_Limit and whose container has no memory limit, buffers every
unsent chunk in memory until it holds almost 6 GiB. The node reports MemoryPressure and the
kubelet evicts the storefront pods that use more than they request (fluent-bit is
system-node-critical, so it stays). The loud part: Evicted checkout and cart pods, the
ingress's 503s, and fluent-bit's own 429 retries."""

import random
import re
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, table
from records import Record
from scenes import at, loud
from traffic import Line, traffic

NOW = datetime(2024, 10, 22, 10, 42, tzinfo=UTC)
START = datetime(2024, 10, 22, 9, 0, tzinfo=UTC)
PRESSURE = datetime(2024, 10, 22, 9, 58, 31, tzinfo=UTC)
NODE = "gke-prod-eu-default-pool-3b7e91d2-x4mf"
OTHER_NODES = [
    "gke-prod-eu-default-pool-3b7e91d2-9qzt",
    "gke-prod-eu-default-pool-3b7e91d2-tr6w",
    "gke-prod-eu-default-pool-3b7e91d2-b8np",
]
FLUENT_POD = "fluent-bit-7xk9q"


def rfc1123(time: datetime) -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000")


class FluentBitLog:
    """fluent-bit's own log: `[2024/10/22 09:12:03] [ warn] [engine] message`."""

    def render(self, record: Record) -> list[str]:
        level = {"WARN": " warn", "ERROR": "error", "INFO": " info", "DEBUG": "debug"}[record.level]
        return [
            f"[{record.time.strftime('%Y/%m/%d %H:%M:%S')}] [{level}] {record.message}",
            *record.trailer,
        ]


class IngressAccess:
    """ingress-nginx's default upstream log format."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        client = f"35.{self.rng.randrange(190, 220)}.{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}"
        stamp = record.time.strftime("%d/%b/%Y:%H:%M:%S +0000")
        return [f"{client} - - [{stamp}] {record.message}"]


def ingress_line(rng: random.Random) -> Line:
    path, service, port = rng.choice(
        [
            ("/api/cart", "cart", 8080),
            ("/api/checkout", "checkout", 8080),
            ("/api/products?page=" + str(rng.randrange(1, 40)), "catalog", 9000),
            ("/", "web", 3000),
            ("/static/app." + f"{rng.getrandbits(32):08x}" + ".js", "web", 3000),
        ]
    )
    took = rng.randrange(2, 140) / 1000
    return (
        "INFO",
        f'"GET {path} HTTP/2.0" 200 {rng.randrange(200, 40000)} "-" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X)" {rng.randrange(40, 600)} {took:.3f} [storefront-{service}-{port}] [] 10.48.{rng.randrange(0, 6)}.{rng.randrange(2, 250)}:{port} {rng.randrange(200, 40000)} {took:.3f} 200 {rng.getrandbits(128):032x}',
        (),
    )


def ingress_503(rng: random.Random) -> Line:
    service = rng.choice(["checkout", "cart", "checkout"])
    return (
        "INFO",
        f'"POST /api/{service} HTTP/2.0" 503 190 "-" "Mozilla/5.0 (Linux; Android 14)" {rng.randrange(300, 900)} 0.000 [storefront-{service}-8080] [] - - - - {rng.getrandbits(128):032x}',
        (),
    )


def fluent_line(rng: random.Random) -> Line:
    roll = rng.random()
    app = rng.choice(["catalog", "web", "catalog"])
    if roll < 0.6:
        return (
            "INFO",
            f"[input:tail:tail.0] inotify_fs_add(): inode={rng.randrange(10**6, 10**7)} watch_fd={rng.randrange(20, 90)} name=/var/log/containers/{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}_storefront_{app}-{rng.getrandbits(64):016x}.log",
            (),
        )
    return (
        "INFO",
        f"[input:tail:tail.0] inotify_fs_remove(): inode={rng.randrange(10**6, 10**7)} watch_fd={rng.randrange(20, 90)}",
        (),
    )


def flush_failure(rng: random.Random) -> Line:
    if rng.random() < 0.5:
        return (
            "ERROR",
            f'[output:es:es.0] HTTP status=429 URI=/_bulk, response:{{"error":{{"root_cause":[{{"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation [coordinating_and_primary_bytes={rng.randrange(400, 520)}mb, replica_bytes=0, all_bytes={rng.randrange(400, 520)}mb, coordinating_operation_bytes={rng.randrange(2, 9)}mb, max_coordinating_and_primary_bytes=512mb]"}}]}},"status":429}}',
            (),
        )
    return (
        "WARN",
        f"[engine] failed to flush chunk '1-{rng.randrange(1729580000, 1729590000)}.{rng.randrange(10**8, 10**9)}.flb', retry in {rng.randrange(6, 300)} seconds: task_id={rng.randrange(1, 2047)}, input=tail.0 > output=es.0 (out_id=0)",
        (),
    )


def describe_node() -> str:
    stamp = rfc1123(NOW - timedelta(seconds=25))
    heartbeat = rfc1123(NOW - timedelta(seconds=49))
    conditions = table(
        ("Type", "Status", "LastHeartbeatTime", "LastTransitionTime", "Reason", "Message"),
        [
            ("----", "------", "-----------------", "------------------", "------", "-------"),
            (
                "MemoryPressure",
                "True",
                heartbeat,
                rfc1123(PRESSURE),
                "KubeletHasInsufficientMemory",
                "kubelet has insufficient memory available",
            ),
            (
                "DiskPressure",
                "False",
                heartbeat,
                "Mon, 07 Oct 2024 06:13:02 +0000",
                "KubeletHasNoDiskPressure",
                "kubelet has no disk pressure",
            ),
            (
                "PIDPressure",
                "False",
                heartbeat,
                "Mon, 07 Oct 2024 06:13:02 +0000",
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
            ),
            (
                "Ready",
                "True",
                heartbeat,
                "Mon, 07 Oct 2024 06:13:12 +0000",
                "KubeletReady",
                "kubelet is posting ready status. AppArmor enabled",
            ),
        ],
        indent="  ",
    )
    pods = table(
        (
            "Namespace",
            "Name",
            "CPU Requests",
            "CPU Limits",
            "Memory Requests",
            "Memory Limits",
            "Age",
        ),
        [
            (
                "---------",
                "----",
                "------------",
                "----------",
                "---------------",
                "-------------",
                "---",
            ),
            (
                "kube-system",
                "kube-proxy-gke-prod-eu-default-pool-3b7e91d2-x4mf",
                "100m (2%)",
                "0 (0%)",
                "0 (0%)",
                "0 (0%)",
                "15d",
            ),
            (
                "kube-system",
                "pdcsi-node-8hx2v",
                "10m (0%)",
                "0 (0%)",
                "20Mi (0%)",
                "100Mi (0%)",
                "15d",
            ),
            (
                "kube-system",
                "fluentbit-gke-4m7tq",
                "100m (2%)",
                "0 (0%)",
                "200Mi (1%)",
                "500Mi (3%)",
                "15d",
            ),
            ("logging", FLUENT_POD, "100m (2%)", "0 (0%)", "100Mi (0%)", "0 (0%)", "15d"),
            (
                "monitoring",
                "node-exporter-r5c2d",
                "50m (1%)",
                "250m (6%)",
                "64Mi (0%)",
                "128Mi (0%)",
                "15d",
            ),
            (
                "storefront",
                "catalog-6c9f7b8d54-w2kx8",
                "500m (12%)",
                "1 (25%)",
                "1Gi (7%)",
                "1536Mi (11%)",
                "3d4h",
            ),
            (
                "storefront",
                "web-5f8b9c6d7-lq4zt",
                "250m (6%)",
                "500m (12%)",
                "256Mi (1%)",
                "512Mi (3%)",
                "3d4h",
            ),
        ],
        indent="  ",
    )
    allocated = table(
        ("Resource", "Requests", "Limits"),
        [
            ("--------", "--------", "------"),
            ("cpu", "1110m (28%)", "1750m (44%)"),
            ("memory", "1688Mi (13%)", "2800Mi (21%)"),
            ("ephemeral-storage", "0 (0%)", "0 (0%)"),
            ("hugepages-1Gi", "0 (0%)", "0 (0%)"),
            ("hugepages-2Mi", "0 (0%)", "0 (0%)"),
        ],
        indent="  ",
    )
    events = table(
        ("Type", "Reason", "Age", "From", "Message"),
        [
            ("----", "------", "----", "----", "-------"),
            (
                "Normal",
                "NodeHasInsufficientMemory",
                "43m",
                "kubelet",
                f"Node {NODE} status is now: NodeHasInsufficientMemory",
            ),
            (
                "Warning",
                "EvictionThresholdMet",
                "2m14s (x31 over 43m)",
                "kubelet",
                "Attempting to reclaim memory",
            ),
        ],
        indent="  ",
    )
    lines = [
        f"Name:               {NODE}",
        "Roles:              <none>",
        "Labels:             beta.kubernetes.io/arch=amd64",
        "                    beta.kubernetes.io/instance-type=e2-standard-4",
        "                    cloud.google.com/gke-nodepool=default-pool",
        "                    cloud.google.com/gke-os-distribution=cos",
        "                    kubernetes.io/arch=amd64",
        f"                    kubernetes.io/hostname={NODE}",
        "                    kubernetes.io/os=linux",
        "                    node.kubernetes.io/instance-type=e2-standard-4",
        "                    topology.kubernetes.io/zone=europe-west4-b",
        "Annotations:        container.googleapis.com/instance_id: 4812093357716620184",
        "                    node.alpha.kubernetes.io/ttl: 0",
        "                    volumes.kubernetes.io/controller-managed-attach-detach: true",
        "CreationTimestamp:  Mon, 07 Oct 2024 06:12:44 +0000",
        "Taints:             node.kubernetes.io/memory-pressure:NoSchedule",
        "Unschedulable:      false",
        "Lease:",
        f"  HolderIdentity:  {NODE}",
        "  AcquireTime:     <unset>",
        f"  RenewTime:       {stamp}",
        "Conditions:",
        *conditions,
        "Addresses:",
        "  InternalIP:  10.164.0.23",
        "  ExternalIP:  ",
        f"  Hostname:    {NODE}",
        "Capacity:",
        "  cpu:                4",
        "  ephemeral-storage:  98831908Ki",
        "  hugepages-1Gi:      0",
        "  hugepages-2Mi:      0",
        "  memory:             16393292Ki",
        "  pods:               110",
        "Allocatable:",
        "  cpu:                3920m",
        "  ephemeral-storage:  47060071478",
        "  hugepages-1Gi:      0",
        "  hugepages-2Mi:      0",
        "  memory:             13292108Ki",
        "  pods:               110",
        "System Info:",
        "  Machine ID:                 8a0c51f7e2d94b36a1c07e5f92d8b413",
        "  System UUID:                8a0c51f7-e2d9-4b36-a1c0-7e5f92d8b413",
        "  Boot ID:                    c37e4b19-5d02-4f8a-9e61-0b7a2d4c9f85",
        "  Kernel Version:             6.1.100+",
        "  OS Image:                   Container-Optimized OS from Google",
        "  Operating System:           linux",
        "  Architecture:               amd64",
        "  Container Runtime Version:  containerd://1.7.22",
        "  Kubelet Version:            v1.30.5-gke.1014001",
        "  Kube-Proxy Version:         v1.30.5-gke.1014001",
        "PodCIDR:                      10.48.3.0/24",
        "PodCIDRs:                     10.48.3.0/24",
        "ProviderID:                   gce://shop-prod-eu/europe-west4-b/gke-prod-eu-default-pool-3b7e91d2-x4mf",
        "Non-terminated Pods:          (7 in total)",
        *pods,
        "Allocated resources:",
        "  (Total limits may be over 100 percent, i.e., overcommitted.)",
        *allocated,
        "Events:",
        *events,
    ]
    return "\n".join(lines) + "\n"


def pods_wide() -> str:
    rows = [
        ("cart-7d4b9f6c58-2jq7k", "0/1", "Evicted", "0", "3d4h", "<none>", NODE),
        ("cart-7d4b9f6c58-8mhxw", "1/1", "Running", "0", "3d4h", "10.48.1.37", OTHER_NODES[0]),
        ("cart-7d4b9f6c58-fz5rn", "0/1", "Pending", "0", "11m", "<none>", "<none>"),
        ("catalog-6c9f7b8d54-w2kx8", "1/1", "Running", "0", "3d4h", "10.48.3.18", NODE),
        ("catalog-6c9f7b8d54-zq9lp", "1/1", "Running", "0", "3d4h", "10.48.2.41", OTHER_NODES[1]),
        ("checkout-59c8d7f6b4-4vtkm", "0/1", "Evicted", "0", "3d4h", "<none>", NODE),
        ("checkout-59c8d7f6b4-h2xpd", "0/1", "Evicted", "0", "39m", "<none>", NODE),
        (
            "checkout-59c8d7f6b4-nw8cr",
            "1/1",
            "Running",
            "2 (51m ago)",
            "3d4h",
            "10.48.1.52",
            OTHER_NODES[0],
        ),
        ("checkout-59c8d7f6b4-t7rjz", "0/1", "Pending", "0", "17m", "<none>", "<none>"),
        ("web-5f8b9c6d7-lq4zt", "1/1", "Running", "0", "3d4h", "10.48.3.9", NODE),
        ("web-5f8b9c6d7-pk3wc", "1/1", "Running", "0", "3d4h", "10.48.2.15", OTHER_NODES[2]),
    ]
    return (
        "$ kubectl get pods -n storefront -o wide\n"
        + "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"), rows))
        + "\n"
    )


def top_pods() -> str:
    rows = [
        ("logging", FLUENT_POD, "412m", "5893Mi"),
        ("storefront", "catalog-6c9f7b8d54-w2kx8", "318m", "1104Mi"),
        ("storefront", "catalog-6c9f7b8d54-zq9lp", "296m", "1087Mi"),
        ("storefront", "checkout-59c8d7f6b4-nw8cr", "361m", "702Mi"),
        ("storefront", "cart-7d4b9f6c58-8mhxw", "147m", "433Mi"),
        ("monitoring", "prometheus-k8s-0", "221m", "2411Mi"),
        ("kube-system", "fluentbit-gke-4m7tq", "18m", "61Mi"),
        ("logging", "fluent-bit-2lwx8", "39m", "74Mi"),
        ("logging", "fluent-bit-m9d4r", "41m", "69Mi"),
        ("logging", "fluent-bit-qc7hn", "37m", "71Mi"),
        ("storefront", "web-5f8b9c6d7-lq4zt", "22m", "118Mi"),
        ("storefront", "web-5f8b9c6d7-pk3wc", "24m", "121Mi"),
    ]
    rows.sort(key=lambda row: -int(row[3][:-2]))
    return (
        "$ kubectl top pods -A --sort-by=memory\n"
        + "\n".join(table(("NAMESPACE", "NAME", "CPU(cores)", "MEMORY(bytes)"), rows))
        + "\n"
    )


CONFIG = """apiVersion: v1
kind: ConfigMap
metadata:
  name: fluent-bit
  namespace: logging
  labels:
    app.kubernetes.io/name: fluent-bit
data:
  fluent-bit.conf: |
    [SERVICE]
        Daemon        Off
        Flush         1
        Log_Level     info
        Parsers_File  /fluent-bit/etc/parsers.conf
        HTTP_Server   On
        HTTP_Listen   0.0.0.0
        HTTP_Port     2020
        Health_Check  On

    [INPUT]
        Name              tail
        Path              /var/log/containers/*.log
        multiline.parser  docker, cri
        Tag               kube.*
        Skip_Long_Lines   On
        Refresh_Interval  10

    [FILTER]
        Name                kubernetes
        Match               kube.*
        Merge_Log           On
        Keep_Log            Off
        K8S-Logging.Parser  On
        K8S-Logging.Exclude On

    [OUTPUT]
        Name                es
        Match               kube.*
        Host                logs-es-http.logging-es.svc
        Port                9200
        Logstash_Format     On
        Suppress_Type_Name  On
        Retry_Limit         False
        Replace_Dots        On
"""


def bundle() -> Bundle:
    rng = random.Random(1113)
    evicted = Pod(
        name="checkout-59c8d7f6b4-4vtkm",
        namespace="storefront",
        node=NODE,
        app="checkout",
        status="Failed",
        ip="10.48.3.27",
        start_time="Fri, 18 Oct 2024 06:31:09 +0000",
        containers=[
            Container(
                "checkout",
                "europe-west4-docker.pkg.dev/shop-prod-eu/storefront/checkout:4.12.3",
                state=[
                    "Terminated",
                    "  Reason:    ContainerStatusUnknown",
                    "  Message:   The container could not be located when the pod was terminated",
                    "  Exit Code: 137",
                    "  Started:   Mon, 01 Jan 0001 00:00:00 +0000",
                    "  Finished:  Mon, 01 Jan 0001 00:00:00 +0000",
                ],
                ready=False,
                limits={"cpu": "1", "memory": "1Gi"},
                requests={"cpu": "250m", "memory": "512Mi"},
            )
        ],
        conditions={
            "DisruptionTarget": "True",
            "Initialized": "True",
            "Ready": "False",
            "ContainersReady": "False",
            "PodScheduled": "True",
        },
        events=[
            (
                "Warning",
                "Evicted",
                "41m",
                "kubelet",
                "The node was low on resource: memory. Threshold quantity: 100Mi, available: 88412Ki. Container checkout was using 611284Ki, request is 512Mi, has larger consumption of memory.",
            ),
            ("Normal", "Killing", "41m", "kubelet", "Stopping container checkout"),
        ],
    )
    text = re.sub(r"(Node:\s+\S+/)\S+", r"\g<1>10.164.0.23", describe_pod(evicted, rng))
    text = text.replace(
        "Status:           Failed\n",
        "Status:           Failed\nReason:           Evicted\nMessage:          The node was low on resource: memory. Threshold quantity: 100Mi, available: 88412Ki. Container checkout was using 611284Ki, request is 512Mi, has larger consumption of memory.\n",
    )
    fluent = LogFile("logs/fluent-bit-7xk9q.log", FluentBitLog())
    fluent.add(traffic(rng, fluent_line, START, 102, 700))
    growth = 9.5
    fluent.add(loud(rng, START, growth, 102 - growth, 1500, flush_failure))
    fluent.add(
        [
            at(START, 1.0, "INFO", "[engine] started (pid=1)"),
            at(
                START,
                1.2,
                "INFO",
                "[storage] ver=1.5.2, type=memory, sync=normal, checksum=off, max_chunks_up=128",
            ),
            at(START, 1.3, "INFO", "[output:es:es.0] worker #0 started"),
        ]
    )
    ingress = LogFile("logs/ingress-nginx-controller.log", IngressAccess(rng))
    ingress.add(traffic(rng, ingress_line, START, 102, 3200))
    ingress.add(
        loud(rng, START, (PRESSURE - START).total_seconds() / 60 + 2.5, 40, 380, ingress_503)
    )
    return Bundle(
        question="Checkout and cart return 503s on and off since about 10:00 UTC and their pods keep getting evicted. What is the root cause?",
        category="memory",
        component="fluent-bit",
        statement="From about 09:10 UTC Elasticsearch rejects fluent-bit's bulk writes and the fluent-bit pod fluent-bit-7xk9q on gke-prod-eu-default-pool-3b7e91d2-x4mf, with memory buffering and no Mem_Buf_Limit or memory limit, grows to about 5.9 GiB; at 09:58 UTC the node hits MemoryPressure and the kubelet evicts checkout and cart pods, which then cannot be rescheduled for lack of room, so requests to them get 503s.",
        files={
            "describe-node.txt": describe_node(),
            "get-pods-wide.txt": pods_wide(),
            "describe-pod.txt": text,
            "top-pods.txt": top_pods(),
            "configmap.yaml": CONFIG,
            "logs/fluent-bit-7xk9q.log": fluent.render(),
            "logs/ingress-nginx-controller.log": ingress.render(),
        },
        proofs=[
            Proof("top-pods.txt", "5893Mi"),
            Proof("describe-node.txt", FLUENT_POD),
        ],
        decoys=[
            "Container checkout was using 611284Ki",
            "HTTP status=429",
            "prometheus-k8s-0",
            "503 190",
        ],
    )
