# ruff: noqa: E501
# kubectl output, calico lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes (kubeadm on vSphere): three workers built from the new Ubuntu 24.04 template
joined at 07:30 UTC; their NIC is `ens192`, while the calico-node DaemonSet pins
`IP_AUTODETECTION_METHOD=interface=eth0` (the old template's name). calico-node on those nodes
cannot find an address, terminates and crash-loops; the install-cni init container already
wrote the CNI config, so the nodes report Ready and get pods, whose sandboxes fail (`plugin
type="calico" failed (add): stat /var/lib/calico/nodename`). The 08:05 order-service rollout
lands its new pods there, and the 08:16 drain of two old workers moves four old pods there too;
all sit in ContainerCreating, one order-service pod is left and the gateway returns 503. Loud: the gateway's 503s and the stuck rollout. Decoys: the
order-service release itself, the planned drain, a vSphere CSI attach warning, and a
node-exporter scrape gap."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events, table
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 2, 10, 7, 0, tzinfo=UTC)
NOW = datetime(2026, 2, 10, 8, 52, tzinfo=UTC)
JOIN = 30.0  # 07:30
ROLLOUT = 65.0  # 08:05
DRAIN = 76.0  # 08:16
OLD = ["k8s-wrk-11", "k8s-wrk-12", "k8s-wrk-13", "k8s-wrk-14"]
NEW = ["k8s-wrk-21", "k8s-wrk-22", "k8s-wrk-23"]
SANDBOX = 'plugin type="calico" failed (add): stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container is running and has mounted /var/lib/calico/'


class CalicoLog:
    """calico-node's own log layout: `2026-02-10 07:31:02.118 [INFO][9] startup/startup.go 431: ...`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S.") + f"{record.time.microsecond // 1000:03d}"
        )
        if record.logger == "raw":
            return [record.message]
        level = {"WARN": "WARNING"}.get(record.level, record.level)
        return [f"{stamp} [{level}][9] {record.logger} {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(1202)
    total = (NOW - START).total_seconds() / 60
    restart = 82.0
    calico = LogFile("kubectl-logs-previous.txt", CalicoLog())
    steps = [
        ("INFO", "startup/startup.go 431:", "Early log level set to info"),
        ("INFO", "startup/utils.go 126:", "Using NODENAME environment for node name k8s-wrk-22"),
        ("INFO", "startup/utils.go 138:", "Determined node name: k8s-wrk-22"),
        ("INFO", "startup/startup.go 95:", "Starting node k8s-wrk-22 with version v3.27.3"),
        ("INFO", "startup/startup.go 436:", "Checking datastore connection"),
        ("INFO", "startup/startup.go 460:", "Datastore connection verified"),
        ("INFO", "startup/startup.go 105:", "Datastore is ready"),
        ("INFO", "startup/startup.go 489:", "Initialize BGP data"),
        (
            "WARN",
            "startup/autodetection_methods.go 99:",
            "Unable to auto-detect an IPv4 address using interface regexes [eth0]: no valid host interfaces found",
        ),
        (
            "WARN",
            "startup/startup.go 511:",
            "Couldn't autodetect an IPv4 address. If auto-detecting, choose a different autodetection method. Otherwise provide an explicit address.",
        ),
        (
            "INFO",
            "startup/startup.go 327:",
            'Clearing out-of-date IPv4 address from this node IP=""',
        ),
        ("WARN", "startup/utils.go 48:", "Terminating"),
    ]
    base = START + timedelta(minutes=restart, seconds=11)
    calico.add(
        [
            Record(
                base - timedelta(seconds=30),
                "INFO",
                "$ kubectl -n kube-system logs calico-node-9qk7w -c calico-node --previous",
                (),
                "raw",
            )
        ]
    )
    calico.add(
        [
            Record(
                base + timedelta(milliseconds=index * 3 + (40 if index > 4 else 0)),
                level,
                message,
                (),
                logger,
            )
            for index, (level, logger, message) in enumerate(steps)
        ]
    )
    calico.add(
        [
            Record(
                base + timedelta(milliseconds=120), "INFO", "Calico node failed to start", (), "raw"
            )
        ]
    )
    gateway = LogFile(
        "logs/api-gateway.log",
        JsonLines("api-gateway", keys=("time", "severity", "message"), lower_level=False, rng=rng),
    )
    gateway.add(
        traffic(
            rng,
            web_api("api-gateway", ["orders", "catalog", "customers", "invoices"]),
            START,
            total,
            4700,
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            DRAIN + 1,
            total - DRAIN - 1.5,
            980,
            fixed(
                "ERROR",
                lambda r: (
                    f"upstream order-service unavailable: 503 no healthy upstream (POST /api/v1/orders, attempt {r.randrange(1, 4)}/3, {r.randrange(1, 40)}ms)"
                ),
            ),
        )
    )
    gateway.add(
        loud(
            rng,
            START,
            DRAIN + 0.5,
            total - DRAIN - 1,
            260,
            fixed(
                "WARN",
                lambda r: (
                    f"order-service endpoints {r.choice([1, 1, 0, 2])}/6 ready, circuit half-open"
                ),
            ),
        )
    )
    gateway.add(
        [
            at(
                START,
                43.1,
                "WARN",
                "scrape of node-exporter on k8s-wrk-13:9100 failed: context deadline exceeded (metrics gap 45s)",
            )
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(rng, ["catalog", "customers", "invoices"], 24, OLD, namespace="shop")
    pending = [
        "order-service-6b7f9d8c5d-4tq2n",
        "order-service-6b7f9d8c5d-8wzkp",
        "order-service-85c4f6d7b9-c9m3x",
        "order-service-85c4f6d7b9-hr6vd",
        "order-service-85c4f6d7b9-l2fsb",
        "order-service-85c4f6d7b9-n7gqe",
    ]
    drained = [
        ("k8s-wrk-13", "order-service-85c4f6d7b9-b8kx2"),
        ("k8s-wrk-13", "order-service-85c4f6d7b9-f3pwm"),
        ("k8s-wrk-14", "order-service-85c4f6d7b9-jq5tz"),
        ("k8s-wrk-14", "order-service-85c4f6d7b9-v9rcd"),
    ]
    signal = [
        (
            ago(ROLLOUT),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/order-service",
                "Scaled up replica set order-service-6b7f9d8c5d to 2",
            ),
        ),
        (
            ago(ROLLOUT + 0.01),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/order-service",
                "Scaled down replica set order-service-85c4f6d7b9 to 5 from 6",
            ),
        ),
        (
            ago(36),
            (
                "Warning",
                "FailedAttachVolume",
                "pod/invoices-pdf-0",
                'AttachVolume.Attach failed for volume "pvc-2b7d1e94-6c0a-4f3b-9e58-a1d7c3f20b64" : rpc error: code = Internal desc = failed to attach disk: "[vsanDatastore] fcd/8c1f.vmdk" with node: "k8s-wrk-12" err: ServerFaultCode: A general system error occurred: Error: Operation timed out',
            ),
        ),
        (
            ago(37.5),
            (
                "Normal",
                "SuccessfulAttachVolume",
                "pod/invoices-pdf-0",
                'AttachVolume.Attach succeeded for volume "pvc-2b7d1e94-6c0a-4f3b-9e58-a1d7c3f20b64"',
            ),
        ),
    ]
    for index, pod in enumerate(pending):
        node = NEW[index % 3]
        minute = ROLLOUT + 0.1 + index * 0.3 if index < 2 else DRAIN + 0.4 + index * 0.2
        signal.append(
            (
                ago(minute),
                (
                    "Normal",
                    "Scheduled",
                    f"pod/{pod}",
                    f"Successfully assigned shop/{pod} to {node}",
                ),
            )
        )
        sandbox = f"{rng.getrandbits(256):064x}"
        signal.append(
            (
                ago(minute + 0.3),
                (
                    "Warning",
                    "FailedCreatePodSandBox",
                    f"pod/{pod}",
                    f'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "{sandbox}": {SANDBOX}',
                ),
            )
        )
    signal += [
        *(
            (
                ago(DRAIN + index * 0.02),
                (
                    "Normal",
                    "NodeNotSchedulable",
                    f"node/{node}",
                    f"Node {node} status is now: NodeNotSchedulable",
                ),
            )
            for index, node in enumerate(["k8s-wrk-13", "k8s-wrk-14"])
        ),
        *(
            (
                ago(DRAIN + 0.1 + index * 0.02),
                ("Normal", "Killing", f"pod/{pod}", "Stopping container order-service"),
            )
            for index, (_, pod) in enumerate(drained)
        ),
        (
            ago(total - 1),
            (
                "Warning",
                "BackOff",
                "pod/calico-node-9qk7w",
                "Back-off restarting failed container calico-node in pod calico-node-9qk7w_kube-system(3e1d7a52-8f04-4c69-b2a1-d95f0c6e7b38)",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    nodes = [
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
        )
    ]
    for name in ["k8s-cp-01", *OLD]:
        nodes.append(
            (
                name,
                "Ready",
                "control-plane" if "cp" in name else "<none>",
                "412d",
                "v1.30.6",
                f"10.30.4.{rng.randrange(10, 60)}",
                "<none>",
                "Ubuntu 22.04.5 LTS",
                "5.15.0-126-generic",
                "containerd://1.7.22",
            )
        )
    for name in NEW:
        nodes.append(
            (
                name,
                "Ready",
                "<none>",
                "82m",
                "v1.30.6",
                f"10.30.4.{rng.randrange(100, 140)}",
                "<none>",
                "Ubuntu 24.04.1 LTS",
                "6.8.0-51-generic",
                "containerd://1.7.22",
            )
        )
    calico_pods = [
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
        )
    ]
    for name, node in zip(
        [
            "calico-node-2fxkd",
            "calico-node-5jw8h",
            "calico-node-b4rtn",
            "calico-node-hn9vz",
            "calico-node-q8cdl",
        ],
        ["k8s-cp-01", *OLD],
        strict=True,
    ):
        calico_pods.append(
            (
                name,
                "1/1",
                "Running",
                "0",
                "97d",
                nodes[[n[0] for n in nodes].index(node)][5],
                node,
                "<none>",
                "<none>",
            )
        )
    for name, node, restarts in zip(
        ["calico-node-7mgzt", "calico-node-9qk7w", "calico-node-xs2lp"],
        NEW,
        ["21 (2m51s ago)", "21 (4m3s ago)", "20 (58s ago)"],
        strict=True,
    ):
        calico_pods.append(
            (
                name,
                "0/1",
                "CrashLoopBackOff",
                restarts,
                "82m",
                nodes[[n[0] for n in nodes].index(node)][5],
                node,
                "<none>",
                "<none>",
            )
        )
    describe_ds = [
        "$ kubectl -n kube-system describe ds calico-node | sed -n '1,12p;/calico-node:/,/Mounts:/p'",
        "Name:           calico-node",
        "Selector:       k8s-app=calico-node",
        "Node-Selector:  kubernetes.io/os=linux",
        "Labels:         k8s-app=calico-node",
        "Annotations:    deprecated.daemonset.template.generation: 3",
        "Desired Number of Nodes Scheduled: 8",
        "Current Number of Nodes Scheduled: 8",
        "Number of Nodes Scheduled with Up-to-date Pods: 8",
        "Number of Nodes Scheduled with Available Pods: 5",
        "Number of Nodes Misscheduled: 0",
        "Pods Status:  8 Running / 0 Waiting / 0 Succeeded / 0 Failed",
        "Pod Template:",
        "   calico-node:",
        "    Image:      docker.io/calico/node:v3.27.3",
        "    Port:       <none>",
        "    Host Port:  <none>",
        "    Requests:",
        "      cpu:      250m",
        "    Liveness:   exec [/bin/calico-node -felix-live -bird-live] delay=10s timeout=10s period=10s #success=1 #failure=6",
        "    Readiness:  exec [/bin/calico-node -felix-ready -bird-ready] delay=0s timeout=10s period=10s #success=1 #failure=3",
        "    Environment Variables from:",
        "      kubernetes-services-endpoint  ConfigMap  Optional: true",
        "    Environment:",
        "      DATASTORE_TYPE:                     kubernetes",
        "      WAIT_FOR_DATASTORE:                 true",
        "      NODENAME:                            (v1:spec.nodeName)",
        "      CALICO_NETWORKING_BACKEND:          <set to the key 'calico_backend' of config map 'calico-config'>  Optional: false",
        "      CLUSTER_TYPE:                       k8s,bgp",
        "      IP:                                 autodetect",
        "      IP_AUTODETECTION_METHOD:            interface=eth0",
        "      CALICO_IPV4POOL_IPIP:               Always",
        "      CALICO_IPV4POOL_CIDR:               192.168.0.0/16",
        "      CALICO_DISABLE_FILE_LOGGING:        true",
        "      FELIX_DEFAULTENDPOINTTOHOSTACTION:  ACCEPT",
        "      FELIX_HEALTHENABLED:                true",
        "    Mounts:",
    ]
    get = "\n".join(
        [
            "$ kubectl get nodes -o wide",
            *table(nodes[0], nodes[1:]),
            "",
            "$ kubectl -n kube-system get pods -l k8s-app=calico-node -o wide",
            *table(calico_pods[0], calico_pods[1:]),
            "",
            "$ kubectl -n shop get pods -l app=order-service -o wide",
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
                        "order-service-85c4f6d7b9-zr4wq",
                        "1/1",
                        "Running",
                        "0",
                        "6d",
                        "192.168.81.37",
                        "k8s-wrk-12",
                        "<none>",
                        "<none>",
                    )
                ]
                + [
                    (
                        pod,
                        "0/1",
                        "ContainerCreating",
                        "0",
                        "47m" if index < 2 else "36m",
                        "<none>",
                        NEW[index % 3],
                        "<none>",
                        "<none>",
                    )
                    for index, pod in enumerate(pending)
                ],
            ),
            "",
            *describe_ds,
            "",
        ]
    )
    notes = "\n".join(
        [
            "# orders down, 2026-02-10",
            "",
            "08:17 alert GatewayUpstream5xx for order-service. order-service 2.8.1 rollout started 08:05 (pipeline #4471),",
            "paused it at 08:20, new pods never came up. Not rolled back yet, waiting for the dev team to look at 2.8.1.",
            "",
            "Infra side: INFRA-903 (hardware refresh) phase 1 this morning, k8s-wrk-21/22/23 joined at ~07:30 (new VM template tpl-ubuntu-2404-v3);",
            "phase 2 cordoned and drained k8s-wrk-13/14 at 08:16 for decommission, as planned.",
            "",
        ]
    )
    return Bundle(
        question="Orders fail with 503 at the gateway since about 08:16 UTC; the 08:05 order-service rollout never finished and its pods never start. What is the root cause?",
        category="network",
        component="calico-node",
        statement="The calico-node DaemonSet pins IP_AUTODETECTION_METHOD=interface=eth0, but the three workers joined at 07:30 UTC from the Ubuntu 24.04 template name their NIC ens192; calico-node there finds no address and crash-loops, so every pod scheduled on them fails sandbox creation (stat /var/lib/calico/nodename); after the 08:05 rollout and the 08:16 drain moved order-service pods onto them, one order-service pod was left serving.",
        files={
            "notes.md": notes,
            "kubectl-get.txt": get,
            "kubectl-get-events.txt": events,
            "kubectl-logs-previous.txt": calico.render(),
            "logs/api-gateway.log": gateway.render(),
        },
        proofs=[
            Proof(
                "kubectl-logs-previous.txt",
                "Unable to auto-detect an IPv4 address using interface regexes [eth0]",
                "Calico node failed to start",
            ),
            Proof("kubectl-get.txt", "IP_AUTODETECTION_METHOD:            interface=eth0"),
        ],
        decoys=[
            "order-service 2.8.1 rollout started 08:05",
            "AttachVolume.Attach failed for volume",
            "scrape of node-exporter on k8s-wrk-13:9100 failed",
        ],
    )
