# ruff: noqa: E501
# klog lines, kubectl output and pasted commands are data, kept whole on one line.
"""Kubernetes (kubeadm, on-premises): k8s-worker-07 was joined a year ago with a hand-written
kubelet config carrying `rotateCertificates: false`. Its kubelet client certificate expires at
03:12:40 UTC; from then the API server rejects it (`x509: certificate has expired`), the kubelet
logs `Unauthorized` on every call, the node goes NotReady/Unknown and its pods are marked for
deletion after the 300 s toleration. kafka-2 (a StatefulSet pod on that node) is stuck
Terminating, so the invoice-worker's consumers lose partition leaders and error loudly. Decoys:
etcd's slow apply warning, calico-node's brief readiness failure on worker-04, and the
invoice-worker's earlier consumer rebalance."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 6, 3, 2, 40, tzinfo=UTC)
NOW = datetime(2026, 6, 3, 3, 46, tzinfo=UTC)
EXPIRY = 32.67  # 03:12:40
NODES = ["k8s-worker-03", "k8s-worker-04", "k8s-worker-05", "k8s-worker-06"]


class Klog:
    """klog's header: `E0603 03:12:41.118402    1187 file.go:123] message`."""

    def __init__(self, pid: int, rng: random.Random) -> None:
        self.pid = pid
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        mark = {"ERROR": "E", "WARN": "W"}.get(record.level, "I")
        source = record.logger or "kubelet.go:2421"
        return [
            f"{mark}{record.time.strftime('%m%d %H:%M:%S.%f')} {self.pid:>7} {source}] {record.message}"
        ]


class KlogJournal(Klog):
    """`journalctl -u kubelet` wrapping klog lines."""

    def render(self, record: Record) -> list[str]:
        return [
            f"{record.time.strftime('%b %d %H:%M:%S')} k8s-worker-07 kubelet[{self.pid}]: {line}"
            for line in super().render(record)
        ]


def kubelet_line(rng: random.Random) -> Line:
    pod = rng.choice(
        [
            "kafka-2",
            "invoice-worker-7c9d5f8b6-pq2xz",
            "node-exporter-8kq4t",
            "calico-node-m2r7d",
            "ledger-api-59f8d7c6b4-wk3nd",
        ]
    )
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f'"SyncLoop (PLEG): event for pod" pod="billing/{pod}" event={{"ID":"{rng.getrandbits(64):016x}","Type":"ContainerStarted"}}',
            (),
        )
    if roll < 0.7:
        return "INFO", f'"RemoveContainer" containerID="{rng.getrandbits(128):032x}"', ()
    return (
        "INFO",
        f'"Volume detached for volume" volume="kube-api-access-{rng.getrandbits(20):05x}" pod="billing/{pod}"',
        (),
    )


def kubelet_unauthorized(rng: random.Random) -> Line:
    kind = rng.choice(["*v1.Service", "*v1.Node", "*v1.ConfigMap", "*v1.Pod", "*v1.CSIDriver"])
    if rng.random() < 0.5:
        return (
            "ERROR",
            f'"Unhandled Error" err="k8s.io/client-go/informers/factory.go:160: Failed to watch {kind}: failed to list {kind}: Unauthorized" logger="UnhandledError"',
            (),
        )
    return (
        "ERROR",
        '"Error updating node status, will retry" err="error getting node \\"k8s-worker-07\\": Unauthorized"',
        (),
    )


def apiserver_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f'"Trace[{rng.randrange(10**9)}]: ---\\"Writing http response done\\" count:{rng.randrange(1, 400)} {rng.randrange(100, 800)}ms (03:00:00.000)"',
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f'"Update ClusterIP for service" service="billing/svc-{rng.randrange(40)}" clusterIP="10.96.{rng.randrange(256)}.{rng.randrange(1, 255)}"',
            (),
        )
    return "INFO", '"Successfully processed API request" verb="GET" resource="leases"', ()


def apiserver_reject(rng: random.Random) -> Line:
    now = f"2026-06-03T03:{rng.randrange(13, 46):02d}:{rng.randrange(60):02d}Z"
    return (
        "ERROR",
        f'"Unable to authenticate the request" err="[x509: certificate has expired or is not yet valid: current time {now} is after 2026-06-03T03:12:40Z, verifying certificate SN=288449176301227750319853660231458872291, SKID=, AKID=4F:9A:1C:77:D2:03:5B:E8:61:0C:A4:3E:92:7B:1D:C8:55:E0:2A:91 failed: x509: certificate has expired or is not yet valid: current time {now} is after 2026-06-03T03:12:40Z]"',
        (),
    )


def worker_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"[invoice-worker] processed invoice INV-{rng.randrange(10**7):07d} partition={rng.randrange(12)} offset={rng.randrange(10**6)}",
            (),
        )
    return "INFO", f"[invoice-worker] batch committed: {rng.randrange(20, 200)} records", ()


def worker_error(rng: random.Random) -> Line:
    return rng.choice(
        [
            (
                "WARN",
                "[Consumer clientId=invoice-worker-1, groupId=invoicing] Connection to node 2 (kafka-2.kafka-headless.billing.svc.cluster.local/10.44.7.23:9092) could not be established. Node may not be available.",
                (),
            ),
            (
                "ERROR",
                f"[invoice-worker] failed to publish invoice.issued for INV-{rng.randrange(10**7):07d}: org.apache.kafka.common.errors.TimeoutException: Expiring 14 record(s) for invoice-events-{rng.choice([2, 5, 8, 11])}:120003 ms has passed since batch creation",
                (),
            ),
        ]
    )


def bundle() -> Bundle:
    rng = random.Random(43232)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    kubelet = LogFile("journalctl-kubelet-k8s-worker-07.txt", KlogJournal(1187, rng))
    kubelet.add(traffic(rng, kubelet_line, START, EXPIRY, 800))
    kubelet.add(loud(rng, START, EXPIRY + 0.02, total - EXPIRY - 0.5, 900, kubelet_unauthorized))
    api = LogFile("kubectl-logs-kube-apiserver.txt", Klog(1, rng))
    api.add(traffic(rng, apiserver_line, START, total, 1900, logger="httplog.go:134"))
    api.add(
        traffic(
            rng,
            apiserver_reject,
            START + timedelta(minutes=EXPIRY + 0.3),
            total - EXPIRY - 0.8,
            420,
            logger="authentication.go:74",
        )
    )
    api.add(
        [
            at(
                START,
                EXPIRY + 0.015,
                "ERROR",
                '"Unable to authenticate the request" err="[x509: certificate has expired or is not yet valid: current time 2026-06-03T03:12:41Z is after 2026-06-03T03:12:40Z, verifying certificate SN=288449176301227750319853660231458872291, SKID=, AKID=4F:9A:1C:77:D2:03:5B:E8:61:0C:A4:3E:92:7B:1D:C8:55:E0:2A:91 failed: x509: certificate has expired or is not yet valid: current time 2026-06-03T03:12:41Z is after 2026-06-03T03:12:40Z]"',
                logger="authentication.go:74",
            )
        ]
    )
    api.add(
        [
            at(
                START,
                19.2,
                "WARN",
                '"apply request took too long" took="214.66ms" expected-duration="100ms" prefix="read-only range " request="key:\\"/registry/leases/kube-node-lease/\\" range_end:\\"/registry/leases/kube-node-lease0\\" " response="range_response_count:9 size:3812"',
                logger="trace.go:236",
            )
        ]
    )
    worker = LogFile("logs/invoice-worker.log", _Plain())
    worker.add(traffic(rng, worker_line, START, total, 2400))
    worker.add(loud(rng, START, EXPIRY + 6.0, total - EXPIRY - 6.5, 520, worker_error))
    worker.add(
        [
            at(
                START,
                8.4,
                "INFO",
                "[Consumer clientId=invoice-worker-1, groupId=invoicing] Request joining group due to: group is already rebalancing",
            ),
            at(
                START,
                8.5,
                "WARN",
                "[Consumer clientId=invoice-worker-1, groupId=invoicing] Synchronous auto-commit of offsets {invoice-events-3=OffsetAndMetadata{offset=818221}} failed: Commit cannot be completed since the group has already rebalanced",
            ),
        ]
    )
    nodes = "\n".join(
        [
            "$ kubectl get nodes -o wide",
            "NAME            STATUS     ROLES           AGE    VERSION   INTERNAL-IP    EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION      CONTAINER-RUNTIME",
            "k8s-cp-01       Ready      control-plane   412d   v1.30.6   10.44.0.11     <none>        Ubuntu 22.04.4 LTS   5.15.0-112-generic  containerd://1.7.19",
            "k8s-worker-03   Ready      <none>          412d   v1.30.6   10.44.0.23     <none>        Ubuntu 22.04.4 LTS   5.15.0-112-generic  containerd://1.7.19",
            "k8s-worker-04   Ready      <none>          412d   v1.30.6   10.44.0.24     <none>        Ubuntu 22.04.4 LTS   5.15.0-112-generic  containerd://1.7.19",
            "k8s-worker-05   Ready      <none>          298d   v1.30.6   10.44.0.25     <none>        Ubuntu 22.04.4 LTS   5.15.0-112-generic  containerd://1.7.19",
            "k8s-worker-06   Ready      <none>          298d   v1.30.6   10.44.0.26     <none>        Ubuntu 22.04.4 LTS   5.15.0-112-generic  containerd://1.7.19",
            "k8s-worker-07   NotReady   <none>          365d   v1.30.6   10.44.0.27     <none>        Ubuntu 22.04.4 LTS   5.15.0-112-generic  containerd://1.7.19",
            "",
            "$ kubectl describe node k8s-worker-07 | sed -n '/^Taints/,/^Addresses/p'",
            "Taints:             node.kubernetes.io/unreachable:NoExecute",
            "                    node.kubernetes.io/unreachable:NoSchedule",
            "Unschedulable:      false",
            "Lease:",
            "  HolderIdentity:  k8s-worker-07",
            "  AcquireTime:     <unset>",
            "  RenewTime:       Wed, 03 Jun 2026 03:12:38 +0000",
            "Conditions:",
            "  Type                 Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message",
            "  ----                 ------    -----------------                 ------------------                ------              -------",
            "  MemoryPressure       Unknown   Wed, 03 Jun 2026 03:12:31 +0000   Wed, 03 Jun 2026 03:13:22 +0000   NodeStatusUnknown   Kubelet stopped posting node status.",
            "  DiskPressure         Unknown   Wed, 03 Jun 2026 03:12:31 +0000   Wed, 03 Jun 2026 03:13:22 +0000   NodeStatusUnknown   Kubelet stopped posting node status.",
            "  PIDPressure          Unknown   Wed, 03 Jun 2026 03:12:31 +0000   Wed, 03 Jun 2026 03:13:22 +0000   NodeStatusUnknown   Kubelet stopped posting node status.",
            "  Ready                Unknown   Wed, 03 Jun 2026 03:12:31 +0000   Wed, 03 Jun 2026 03:13:22 +0000   NodeStatusUnknown   Kubelet stopped posting node status.",
            "Addresses:",
            "",
            "$ kubectl -n billing get pods -o wide | grep -E 'NAME|k8s-worker-07|kafka'",
            "NAME                              READY   STATUS        RESTARTS   AGE    IP            NODE            NOMINATED NODE   READINESS GATES",
            "kafka-0                           1/1     Running       0          41d    10.44.3.18    k8s-worker-03   <none>           <none>",
            "kafka-1                           1/1     Running       0          41d    10.44.5.40    k8s-worker-05   <none>           <none>",
            "kafka-2                           1/1     Terminating   0          41d    10.44.7.23    k8s-worker-07   <none>           <none>",
            "invoice-worker-7c9d5f8b6-pq2xz    1/1     Terminating   0          6d     10.44.7.51    k8s-worker-07   <none>           <none>",
            "ledger-api-59f8d7c6b4-wk3nd       1/1     Terminating   0          6d     10.44.7.66    k8s-worker-07   <none>           <none>",
            "",
        ]
    )
    host = "\n".join(
        [
            "# console session on k8s-worker-07 (via the hypervisor, 03:41 UTC)",
            "root@k8s-worker-07:~# systemctl is-active kubelet containerd",
            "active",
            "active",
            "root@k8s-worker-07:~# grep -iE 'rotate|serverTLSBootstrap' /var/lib/kubelet/config.yaml",
            "rotateCertificates: false",
            "root@k8s-worker-07:~# ls -l /var/lib/kubelet/pki/",
            "-rw------- 1 root root 2830 Jun  3  2025 kubelet-client-2025-06-03-03-17-40.pem",
            "lrwxrwxrwx 1 root root   59 Jun  3  2025 kubelet-client-current.pem -> /var/lib/kubelet/pki/kubelet-client-2025-06-03-03-17-40.pem",
            "-rw-r--r-- 1 root root 2287 Jun  3  2025 kubelet.crt",
            "-rw------- 1 root root 1679 Jun  3  2025 kubelet.key",
            "root@k8s-worker-07:~# openssl x509 -noout -subject -enddate -in /var/lib/kubelet/pki/kubelet-client-current.pem",
            "subject=O = system:nodes, CN = system:node:k8s-worker-07",
            "notAfter=Jun  3 03:12:40 2026 GMT",
            "root@k8s-worker-07:~# date -u",
            "Wed Jun  3 03:41:52 UTC 2026",
            "root@k8s-worker-07:~# chronyc tracking | grep -E 'System time|Leap'",
            "System time     : 0.000021337 seconds slow of NTP time",
            "Leap status     : Normal",
            "",
        ]
    )
    routine = routine_events(
        rng, ["ledger-api", "invoice-worker", "billing-ui"], 18, NODES, namespace="billing"
    )
    signal = [
        (ago(EXPIRY + 0.7), ("Normal", "NodeNotReady", "pod/kafka-2", "Node is not ready")),
        (
            ago(EXPIRY + 0.7),
            ("Normal", "NodeNotReady", "pod/ledger-api-59f8d7c6b4-wk3nd", "Node is not ready"),
        ),
        (
            ago(EXPIRY + 5.8),
            (
                "Normal",
                "TaintManagerEviction",
                "pod/kafka-2",
                "Marking for deletion Pod billing/kafka-2",
            ),
        ),
        (
            ago(EXPIRY + 5.8),
            (
                "Normal",
                "TaintManagerEviction",
                "pod/invoice-worker-7c9d5f8b6-pq2xz",
                "Marking for deletion Pod billing/invoice-worker-7c9d5f8b6-pq2xz",
            ),
        ),
        (
            ago(EXPIRY + 5.8),
            (
                "Normal",
                "TaintManagerEviction",
                "pod/ledger-api-59f8d7c6b4-wk3nd",
                "Marking for deletion Pod billing/ledger-api-59f8d7c6b4-wk3nd",
            ),
        ),
        (
            ago(EXPIRY + 5.9),
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/ledger-api-59f8d7c6b4",
                "Created pod: ledger-api-59f8d7c6b4-r8d2j",
            ),
        ),
        (
            ago(22.5),
            (
                "Warning",
                "Unhealthy",
                "pod/calico-node-x9c4v",
                "Readiness probe failed: calico/node is not ready: BIRD is not ready: BGP not established with 10.44.0.26",
            ),
        ),
    ]
    return Bundle(
        question="Since about 03:15 UTC invoice publishing has been failing with Kafka timeouts and several billing pods show Terminating. What is the root cause?",
        category="tls",
        component="k8s-worker-07",
        statement="k8s-worker-07's kubelet runs with `rotateCertificates: false`, and its client certificate expired at 03:12:40 UTC; the API server rejects it (x509 expired), the kubelet gets Unauthorized and stops posting status, the node goes NotReady and its pods, kafka-2 among them, are marked for deletion, so invoice-worker loses a Kafka broker.",
        files={
            "kubectl-nodes-and-pods.txt": nodes,
            "kubectl-get-events.txt": "$ kubectl -n billing get events --sort-by=.lastTimestamp\n"
            + event_listing(routine, signal),
            "journalctl-kubelet-k8s-worker-07.txt": "$ journalctl -u kubelet --since '02:40' --no-pager\n"
            + kubelet.render(),
            "kubectl-logs-kube-apiserver.txt": "$ kubectl -n kube-system logs kube-apiserver-k8s-cp-01 --since=70m\n"
            + api.render(),
            "worker-07-console.txt": host,
            "logs/invoice-worker.log": worker.render(),
        },
        proofs=[
            Proof("worker-07-console.txt", "notAfter=Jun  3 03:12:40 2026 GMT"),
            Proof("worker-07-console.txt", "rotateCertificates: false"),
            Proof("kubectl-logs-kube-apiserver.txt", "current time 2026-06-03T03:12:41Z is after"),
        ],
        decoys=[
            "apply request took too long",
            "BGP not established with 10.44.0.26",
            "group has already rebalanced",
        ],
    )


class _Plain:
    """The worker's own `time level message` lines."""

    def render(self, record: Record) -> list[str]:
        return [
            f"{record.time.strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3]}Z {record.level:<5} {record.message}"
        ]
