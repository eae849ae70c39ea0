# ruff: noqa: E501
# kubectl rows, klog lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes (kubeadm, self-managed): the kubelet on worker k8s-worker-07 was joined a year ago
with certificate rotation turned off (`rotateCertificates: false` left in its config). Its
client certificate expires at 08:14:07 UTC; from then on the API server rejects it (x509 expired,
401) and the kubelet cannot renew its lease or post status. The node goes NotReady/Unknown at
08:14:50, is tainted, and its pods are evicted five minutes later. Loud: NodeNotReady,
TaintManagerEviction, pods stuck Terminating, the ledger-api's reduced capacity. Decoys: an
ImageGCFailed on another worker, containerd's CNI config reload warning, and a ledger-api slow
Postgres query."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events, table
from records import Record, SpringBoot
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 4, 2, 7, 40, tzinfo=UTC)
NOW = datetime(2025, 4, 2, 9, 5, tzinfo=UTC)
EXPIRY = 34.1  # 08:14:07
HOST = "k8s-worker-07"
NODES = ["k8s-worker-03", "k8s-worker-05", "k8s-worker-07", "k8s-worker-09"]


@dataclass
class KlogJournal:
    """klog lines (`E0402 08:14:09.902311    pid file:line] msg`), inside journalctl short-iso lines when `host` is set."""

    host: str
    program: str
    pid: int

    def render(self, record: Record) -> list[str]:
        t = record.time
        letter = {"INFO": "I", "WARN": "W", "ERROR": "E", "DEBUG": "I"}[record.level]
        source = record.logger or "kubelet.go:2420"
        prefix = (
            f"{t.strftime('%Y-%m-%dT%H:%M:%S+0000')} {self.host} {self.program}[{self.pid}]: "
            if self.host
            else ""
        )
        return [
            f"{prefix}{letter}{t.strftime('%m%d %H:%M:%S.')}{t.microsecond:06d}    {self.pid} {source}] {record.message}"
        ]


def kubelet_line(rng: random.Random) -> Line:
    roll = rng.random()
    pod = rng.choice(
        [
            "ledger-api-6cf9d8b7d4-x5kpl",
            "fx-rates-5b7d9c8f6-nq2vh",
            "node-exporter-8jx4t",
            "fluent-bit-r7w2m",
        ]
    )
    if roll < 0.4:
        return (
            "INFO",
            f'"SyncLoop (probe)" probe="readiness" status="ready" pod="finance/{pod}"',
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f'"Cleaned up orphaned pod volumes dir" podUID="{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-8{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}" path="/var/lib/kubelet/pods"',
            (),
        )
    return "INFO", f'"Image garbage collection succeeded" freed={rng.randrange(0, 400)}MB', ()


def ledger_line(rng: random.Random) -> Line:
    if rng.random() < 0.8:
        return (
            "INFO",
            f"POST /api/postings 201 {rng.randrange(12, 180)}ms batch={rng.randrange(1, 50)}",
            (),
        )
    return (
        "INFO",
        f"GET /api/accounts/ACC{rng.randrange(10**6):06d}/balance 200 {rng.randrange(4, 60)}ms",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(59943)
    total = (NOW - START).total_seconds() / 60
    journal = LogFile(f"{HOST}-journal.txt", KlogJournal(HOST, "kubelet", 1184))
    journal.add(traffic(rng, kubelet_line, START, total, 1900, logger="kubelet.go:2420"))
    journal.add(
        [
            at(
                START,
                3.2,
                "WARN",
                '"CNI config reload: ignoring file with unsupported extension" path="/etc/cni/net.d/10-calico.conflist.bak"',
                logger="cni.go:212",
            ),
            at(
                START,
                EXPIRY + 0.05,
                "ERROR",
                '"Failed to update lease" err="Unauthorized"',
                logger="controller.go:195",
            ),
            at(
                START,
                EXPIRY + 0.06,
                "ERROR",
                '"Error updating node status, will retry" err="error getting node \\"k8s-worker-07\\": Unauthorized"',
                logger="kubelet_node_status.go:540",
            ),
            at(
                START,
                EXPIRY + 0.5,
                "ERROR",
                "part of the existing bootstrap client certificate in /etc/kubernetes/kubelet.conf is expired: 2025-04-02 08:14:07 +0000 UTC",
                logger="bootstrap.go:266",
            ),
        ]
    )
    journal.add(
        loud(
            rng,
            START,
            EXPIRY + 0.1,
            total - EXPIRY - 0.2,
            520,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        '"Failed to update lease" err="Unauthorized"',
                        '"Error updating node status, will retry" err="error getting node \\"k8s-worker-07\\": Unauthorized"',
                        '"Unable to update node status" err="update node status exceeds retry count"',
                        "failed to list *v1.Service: Unauthorized",
                    ]
                ),
            ),
        )
    )
    apiserver = LogFile(
        "kubectl-logs-kube-apiserver-k8s-cp-01.txt", KlogJournal("", "kube-apiserver", 1)
    )
    apiserver.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f'"Trace" name="List" url="/api/v1/namespaces/{r.choice(["finance", "kube-system", "monitoring"])}/pods" total={r.randrange(100, 900)}ms'
                ),
            ),
            START,
            total,
            600,
            logger="trace.go:236",
        )
    )
    for offset in sorted(rng.uniform(EXPIRY + 0.05, total - 0.1) for _ in range(300)):
        when = START + timedelta(minutes=offset)
        now = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        apiserver.add(
            [
                Record(
                    when,
                    "ERROR",
                    f'"Unable to authenticate the request" err="[x509: certificate has expired or is not yet valid: current time {now} is after 2025-04-02T08:14:07Z, verifying certificate SN=51293364172980045173269315830214792118, SKID=, AKID=9C:41:0E:77:AB:20:5D:3F:12:C8:6B:E4:90:1A:7F:D3:55:2B:08:C6 failed: x509: certificate has expired or is not yet valid: current time {now} is after 2025-04-02T08:14:07Z]"',
                    (),
                    "authentication.go:73",
                )
            ]
        )
    ledger = LogFile(
        "logs/ledger-api.log",
        SpringBoot(("c.f.ledger.PostingController", "c.f.ledger.AccountController"), rng=rng),
    )
    ledger.add(traffic(rng, ledger_line, START, total, 2800))
    ledger.add(
        [
            at(
                START,
                12.5,
                "WARN",
                "Slow query (1840 ms): SELECT ... FROM postings WHERE account_id = ? ORDER BY booked_at DESC LIMIT 500",
                logger="c.f.ledger.db.SlowQueryLogger",
            )
        ]
    )
    ledger.add(
        loud(
            rng,
            START,
            EXPIRY + 7,
            total - EXPIRY - 8,
            220,
            fixed(
                "WARN",
                lambda r: (
                    f"postings queue backlog {r.randrange(1200, 9000)} messages, consumers 2/3 active"
                ),
            ),
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["ledger-api", "fx-rates", "statement-gen"], 22, NODES, namespace="finance"
    )
    signal = [
        (
            ago(EXPIRY + 0.7),
            (
                "Normal",
                "NodeNotReady",
                "node/k8s-worker-07",
                "Node k8s-worker-07 status is now: NodeNotReady",
            ),
        ),
        (
            ago(EXPIRY + 5.8),
            (
                "Warning",
                "TaintManagerEviction",
                "pod/ledger-api-6cf9d8b7d4-x5kpl",
                "Marking for deletion Pod finance/ledger-api-6cf9d8b7d4-x5kpl",
            ),
        ),
        (
            ago(EXPIRY + 5.81),
            (
                "Warning",
                "TaintManagerEviction",
                "pod/fx-rates-5b7d9c8f6-nq2vh",
                "Marking for deletion Pod finance/fx-rates-5b7d9c8f6-nq2vh",
            ),
        ),
        (
            ago(EXPIRY + 5.9),
            (
                "Warning",
                "FailedScheduling",
                "pod/ledger-api-6cf9d8b7d4-h8t2c",
                "0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 3 Insufficient memory. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.",
            ),
        ),
        (
            ago(21),
            (
                "Warning",
                "ImageGCFailed",
                "node/k8s-worker-03",
                "failed to garbage collect required amount of images. Attempted to free 1264530022 bytes, but only found 0 bytes eligible to free.",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    nodes = (
        "\n".join(
            table(
                ("NAME", "STATUS", "ROLES", "AGE", "VERSION"),
                [
                    ("k8s-cp-01", "Ready", "control-plane", "412d", "v1.29.6"),
                    ("k8s-worker-03", "Ready", "<none>", "412d", "v1.29.6"),
                    ("k8s-worker-05", "Ready", "<none>", "398d", "v1.29.6"),
                    ("k8s-worker-07", "NotReady", "<none>", "365d", "v1.29.6"),
                    ("k8s-worker-09", "Ready", "<none>", "88d", "v1.29.6"),
                ],
            )
        )
        + "\n"
    )
    describe = (
        "\n".join(
            [
                "Name:               k8s-worker-07",
                "Roles:              <none>",
                "Labels:             kubernetes.io/hostname=k8s-worker-07",
                "                    node.kubernetes.io/pool=general",
                "CreationTimestamp:  Tue, 02 Apr 2024 08:19:07 +0000",
                "Taints:             node.kubernetes.io/unreachable:NoExecute",
                "                    node.kubernetes.io/unreachable:NoSchedule",
                "Unschedulable:      false",
                "Conditions:",
                *table(
                    (
                        "Type",
                        "Status",
                        "LastHeartbeatTime",
                        "LastTransitionTime",
                        "Reason",
                        "Message",
                    ),
                    [
                        (
                            "----",
                            "------",
                            "-----------------",
                            "------------------",
                            "------",
                            "-------",
                        ),
                        (
                            "MemoryPressure",
                            "Unknown",
                            "Wed, 02 Apr 2025 08:14:02 +0000",
                            "Wed, 02 Apr 2025 08:14:49 +0000",
                            "NodeStatusUnknown",
                            "Kubelet stopped posting node status.",
                        ),
                        (
                            "DiskPressure",
                            "Unknown",
                            "Wed, 02 Apr 2025 08:14:02 +0000",
                            "Wed, 02 Apr 2025 08:14:49 +0000",
                            "NodeStatusUnknown",
                            "Kubelet stopped posting node status.",
                        ),
                        (
                            "PIDPressure",
                            "Unknown",
                            "Wed, 02 Apr 2025 08:14:02 +0000",
                            "Wed, 02 Apr 2025 08:14:49 +0000",
                            "NodeStatusUnknown",
                            "Kubelet stopped posting node status.",
                        ),
                        (
                            "Ready",
                            "Unknown",
                            "Wed, 02 Apr 2025 08:14:02 +0000",
                            "Wed, 02 Apr 2025 08:14:49 +0000",
                            "NodeStatusUnknown",
                            "Kubelet stopped posting node status.",
                        ),
                    ],
                    indent="  ",
                ),
                "Addresses:",
                "  InternalIP:  10.41.7.19",
                "  Hostname:    k8s-worker-07",
                "System Info:",
                "  Kernel Version:             5.15.0-122-generic",
                "  OS Image:                   Ubuntu 22.04.4 LTS",
                "  Container Runtime Version:  containerd://1.7.19",
                "  Kubelet Version:            v1.29.6",
                "Events:",
                *table(
                    ("Type", "Reason", "Age", "From", "Message"),
                    [
                        ("----", "------", "----", "----", "-------"),
                        (
                            "Normal",
                            "NodeNotReady",
                            "50m",
                            "node-controller",
                            "Node k8s-worker-07 status is now: NodeNotReady",
                        ),
                    ],
                    indent="  ",
                ),
                "",
                "$ ssh k8s-worker-07 'sudo openssl x509 -noout -subject -enddate -in /var/lib/kubelet/pki/kubelet-client-current.pem; sudo grep -i rotate /var/lib/kubelet/config.yaml'",
                "subject=O = system:nodes, CN = system:node:k8s-worker-07",
                "notAfter=Apr  2 08:14:07 2025 GMT",
                "rotateCertificates: false",
                "",
            ]
        )
        + "\n"
    )
    return Bundle(
        question="Around 08:15 UTC k8s-worker-07 went NotReady and its pods were evicted a few minutes later; ledger-api has been short of capacity since. The VM is up and reachable over SSH. What is the root cause?",
        category="tls",
        component="k8s-worker-07",
        statement="The kubelet on k8s-worker-07 has certificate rotation disabled (rotateCertificates: false) and its client certificate expired at 08:14:07 UTC; the API server rejects it as x509 expired (Unauthorized), so the kubelet cannot renew its lease or post status, k8s-worker-07 goes NotReady and its workloads are evicted.",
        files={
            "kubectl-get-nodes.txt": nodes,
            "kubectl-describe-node-k8s-worker-07.txt": describe,
            "kubectl-get-events.txt": events,
            f"{HOST}-journal.txt": journal.render(),
            "kubectl-logs-kube-apiserver-k8s-cp-01.txt": apiserver.render(),
            "logs/ledger-api.log": ledger.render(),
        },
        proofs=[
            Proof(
                "kubectl-describe-node-k8s-worker-07.txt",
                "notAfter=Apr  2 08:14:07 2025 GMT",
                "rotateCertificates: false",
            ),
            Proof(
                f"{HOST}-journal.txt",
                "bootstrap client certificate in /etc/kubernetes/kubelet.conf is expired",
            ),
        ],
        decoys=["ImageGCFailed", "10-calico.conflist.bak", "Slow query (1840 ms)"],
    )
