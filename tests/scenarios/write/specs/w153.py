# ruff: noqa: E501
# klog lines, kubectl output and shell output are data, kept whole on one line.
"""Kubernetes (kubeadm, on premises): the kubelet client certificate embedded in
/etc/kubernetes/kubelet.conf on worker k8s-wrk-05 expires at 02:13:41 UTC, one year after the
node joined; an old Ansible role set `rotateCertificates: false`, so it was never renewed. From
02:13:52 the API server answers the kubelet `Unauthorized`, the node stops renewing its lease,
goes NotReady at 02:14:33 and its pods are evicted five minutes later; ledger and fx-rates lose
capacity and payments-api logs timeouts to pod IPs on that node. At 02:40 the on-call engineer
restarts the kubelet, which then fails at start because the bootstrap kubeconfig is gone.
Decoys: the kubelet's `Failed to get system container stats` errors (all day), a calico-node
BIRD warning on k8s-wrk-02, and payments-api's timeouts."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import table
from records import Logfmt, Record
from scenes import loud
from traffic import Line, traffic

START = datetime(2025, 11, 3, 1, 40, tzinfo=UTC)
EXPIRY = datetime(2025, 11, 3, 2, 13, 41, tzinfo=UTC)
FIRST_REJECT = datetime(2025, 11, 3, 2, 13, 52, 402117, tzinfo=UTC)
RESTART = datetime(2025, 11, 3, 2, 40, 9, tzinfo=UTC)
NOW = datetime(2025, 11, 3, 2, 47, tzinfo=UTC)
NODE = "k8s-wrk-05"
PID = 1187


class KubeletJournal:
    """`journalctl -u kubelet -o short-iso` of the node: klog lines under kubelet[pid], systemd's own."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
        if record.logger and record.logger.startswith("systemd"):
            return [f"{stamp} {NODE} systemd[1]: {record.message}"]
        pid, source = (record.logger or f"{PID} kubelet.go:2421").split(" ", 1)
        head = (
            record.level[0]
            + record.time.strftime("%m%d %H:%M:%S.")
            + f"{record.time.microsecond:06d}"
        )
        return [f"{stamp} {NODE} kubelet[{pid}]: {head} {pid:>7} {source}] {record.message}"]


class Klog:
    """A control-plane component's klog lines (`kubectl logs` of a static pod)."""

    def render(self, record: Record) -> list[str]:
        head = (
            record.level[0]
            + record.time.strftime("%m%d %H:%M:%S.")
            + f"{record.time.microsecond:06d}"
        )
        return [f"{head}       1 {record.logger}] {record.message}"]


def pod_name(rng: random.Random) -> str:
    app = rng.choice(["ledger", "fx-rates", "statement-render", "node-exporter", "fluent-bit"])
    namespace = "monitoring" if app in ("node-exporter", "fluent-bit") else "payments"
    return f"{namespace}/{app}-{rng.getrandbits(36):09x}-{rng.getrandbits(20):05x}"


def kubelet_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.25:
        return (
            "ERROR",
            'summary_sys_containers.go:51] "Failed to get system container stats" err="failed to get cgroup stats for \\"/system.slice/containerd.service\\": failed to get container info for \\"/system.slice/containerd.service\\": unknown container \\"/system.slice/containerd.service\\"" containerName="/system.slice/containerd.service"',
            (),
        )
    if roll < 0.45:
        return (
            "INFO",
            f'kubelet.go:2421] "SyncLoop UPDATE" source="api" pods=["{pod_name(rng)}"]',
            (),
        )
    if roll < 0.6:
        return (
            "INFO",
            f'operation_generator.go:721] "MountVolume.SetUp succeeded for volume \\"kube-api-access-{rng.getrandbits(20):05x}\\" (UniqueName: \\"kubernetes.io/projected/{rng.getrandbits(32):08x}-kube-api-access\\") pod \\"{pod_name(rng).split("/")[1]}\\"" pod="{pod_name(rng)}"',
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f'kubelet.go:2453] "SyncLoop (probe)" probe="readiness" status="ready" pod="{pod_name(rng)}"',
            (),
        )
    if roll < 0.88:
        return (
            "INFO",
            f'pod_startup_latency_tracker.go:104] "Observed pod startup duration" pod="{pod_name(rng)}" podStartSLOduration={rng.randrange(1, 9)}.{rng.randrange(10**6):06d}',
            (),
        )
    return "INFO", f'scope.go:117] "RemoveContainer" containerID="{rng.getrandbits(256):064x}"', ()


def rejected(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.3:
        return (
            "ERROR",
            f'kubelet_node_status.go:549] "Error updating node status, will retry" err="error getting node \\"{NODE}\\": Unauthorized"',
            (),
        )
    if roll < 0.45:
        return (
            "ERROR",
            'kubelet_node_status.go:536] "Unable to update node status" err="update node status exceeds retry count"',
            (),
        )
    if roll < 0.65:
        return (
            "ERROR",
            f'controller.go:145] "Failed to ensure lease exists, will retry" err="Unauthorized" interval="{rng.choice([7, 7, 7, 6])}s"',
            (),
        )
    if roll < 0.85:
        kind = rng.choice(["Node", "Service", "Pod", "RuntimeClass", "CSIDriver"])
        return (
            "ERROR",
            f'reflector.go:158] "Unhandled Error" err="k8s.io/client-go/informers/factory.go:160: Failed to watch *v1.{kind}: failed to list *v1.{kind}: Unauthorized" logger="UnhandledError"',
            (),
        )
    return (
        "ERROR",
        f'event.go:368] "Server rejected event (will not retry!)" err="Unauthorized" event="&Event{{ObjectMeta:{{{NODE}.{rng.getrandbits(64):x}  default ...}}}}"',
        (),
    )


def as_kubelet(records: list[Record]) -> list[Record]:
    """Move the `file:line]` prefix of each message into the logger slot the journal prints."""
    out = []
    for record in records:
        source, message = record.message.split("] ", 1)
        out.append(Record(record.time, record.level, message, (), f"{PID} {source}"))
    return out


def apiserver_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"controller.go:615] quota admission added evaluator for: {rng.choice(['leases.coordination.k8s.io', 'endpointslices.discovery.k8s.io', 'events.events.k8s.io'])}",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f'alloc.go:330] "allocated clusterIPs" service="payments/{rng.choice(["ledger", "fx-rates"])}-canary-{rng.randrange(100)}" clusterIPs={{"IPv4":"10.96.{rng.randrange(256)}.{rng.randrange(1, 255)}"}}',
            (),
        )
    return (
        "WARN",
        'dispatcher.go:217] Failed calling webhook, failing open policy.kyverno.svc-fail: failed calling webhook "policy.kyverno.svc-fail": failed to call webhook: Post "https://kyverno-svc.kyverno.svc:443/validate/fail?timeout=10s": context deadline exceeded',
        (),
    )


def auth_failure(rng: random.Random) -> Line:
    return (
        "ERROR",
        'authentication.go:73] "Unable to authenticate the request" err="[x509: certificate has expired or is not yet valid: current time @NOW@ is after 2025-11-03T02:13:41Z, verifying certificate SN=187234650912873346501198234477102938477, SKID=, AKID=9F:3C:21:A8:07:5B:E4:19:C2:6D:80:4F:13:AA:E7:52:9B:0D:6C:31 failed: x509: certificate has expired or is not yet valid: current time @NOW@ is after 2025-11-03T02:13:41Z]"',
        (),
    )


def as_klog(records: list[Record]) -> list[Record]:
    out = []
    for record in records:
        source, message = record.message.split("] ", 1)
        message = message.replace("@NOW@", record.time.strftime("%Y-%m-%dT%H:%M:%SZ"))
        out.append(Record(record.time, record.level, message, (), source))
    return out


def payments_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f"payment {rng.getrandbits(48):012x} settled amount={rng.randrange(100, 90000) / 100:.2f} currency={rng.choice(['EUR', 'USD', 'CHF'])} ledger_ms={rng.randrange(3, 60)}",
            (),
        )
    return (
        "INFO",
        f"fx quote {rng.choice(['EURUSD', 'EURCHF', 'USDCHF'])} refreshed rate={rng.uniform(0.9, 1.2):.5f}",
        (),
    )


def payments_timeout(rng: random.Random) -> Line:
    target = rng.choice(["ledger", "ledger", "ledger", "fx-rates"])
    return (
        "WARN",
        f"{target} call took {rng.randrange(1100, 3900)}ms (slow, threshold 1000ms) path=/v1/{'entries' if target == 'ledger' else 'quotes'}",
        (),
    )


def get_nodes() -> str:
    rows = [
        ("k8s-cp-01", "Ready", "control-plane", "418d", "v1.30.6"),
        ("k8s-cp-02", "Ready", "control-plane", "418d", "v1.30.6"),
        ("k8s-cp-03", "Ready", "control-plane", "418d", "v1.30.6"),
        ("k8s-wrk-01", "Ready", "<none>", "411d", "v1.30.6"),
        ("k8s-wrk-02", "Ready", "<none>", "411d", "v1.30.6"),
        ("k8s-wrk-03", "Ready", "<none>", "389d", "v1.30.6"),
        ("k8s-wrk-04", "Ready", "<none>", "371d", "v1.30.6"),
        (NODE, "NotReady", "<none>", "365d", "v1.30.6"),
        ("k8s-wrk-06", "Ready", "<none>", "212d", "v1.30.6"),
        ("k8s-wrk-07", "Ready", "<none>", "97d", "v1.30.6"),
    ]
    return (
        "$ kubectl get nodes\n"
        + "\n".join(table(("NAME", "STATUS", "ROLES", "AGE", "VERSION"), rows))
        + "\n"
    )


def describe_node() -> str:
    lines = [
        f"Name:               {NODE}",
        "Roles:              <none>",
        "Labels:             beta.kubernetes.io/arch=amd64",
        "                    beta.kubernetes.io/os=linux",
        "                    kubernetes.io/arch=amd64",
        f"                    kubernetes.io/hostname={NODE}",
        "                    kubernetes.io/os=linux",
        "                    topology.kubernetes.io/zone=dc2-row-b",
        "Annotations:        kubeadm.alpha.kubernetes.io/cri-socket: unix:///var/run/containerd/containerd.sock",
        "                    node.alpha.kubernetes.io/ttl: 0",
        "                    projectcalico.org/IPv4Address: 10.40.12.25/24",
        "                    projectcalico.org/IPv4IPIPTunnelAddr: 10.244.5.0",
        "                    volumes.kubernetes.io/controller-managed-attach-detach: true",
        "CreationTimestamp:  Sun, 03 Nov 2024 02:18:12 +0000",
        "Taints:             node.kubernetes.io/unreachable:NoExecute",
        "                    node.kubernetes.io/unreachable:NoSchedule",
        "Unschedulable:      false",
        "Lease:",
        f"  HolderIdentity:  {NODE}",
        "  AcquireTime:     <unset>",
        "  RenewTime:       Mon, 03 Nov 2025 02:13:49 +0000",
        "Conditions:",
        *table(
            ("Type", "Status", "LastHeartbeatTime", "LastTransitionTime", "Reason", "Message"),
            [
                ("----", "------", "-----------------", "------------------", "------", "-------"),
                (
                    "NetworkUnavailable",
                    "False",
                    "Thu, 30 Oct 2025 11:02:40 +0000",
                    "Thu, 30 Oct 2025 11:02:40 +0000",
                    "CalicoIsUp",
                    "Calico is running on this node",
                ),
                (
                    "MemoryPressure",
                    "Unknown",
                    "Mon, 03 Nov 2025 02:13:48 +0000",
                    "Mon, 03 Nov 2025 02:14:33 +0000",
                    "NodeStatusUnknown",
                    "Kubelet stopped posting node status.",
                ),
                (
                    "DiskPressure",
                    "Unknown",
                    "Mon, 03 Nov 2025 02:13:48 +0000",
                    "Mon, 03 Nov 2025 02:14:33 +0000",
                    "NodeStatusUnknown",
                    "Kubelet stopped posting node status.",
                ),
                (
                    "PIDPressure",
                    "Unknown",
                    "Mon, 03 Nov 2025 02:13:48 +0000",
                    "Mon, 03 Nov 2025 02:14:33 +0000",
                    "NodeStatusUnknown",
                    "Kubelet stopped posting node status.",
                ),
                (
                    "Ready",
                    "Unknown",
                    "Mon, 03 Nov 2025 02:13:48 +0000",
                    "Mon, 03 Nov 2025 02:14:33 +0000",
                    "NodeStatusUnknown",
                    "Kubelet stopped posting node status.",
                ),
            ],
            indent="  ",
        ),
        "Addresses:",
        "  InternalIP:  10.40.12.25",
        f"  Hostname:    {NODE}",
        "Capacity:",
        "  cpu:                16",
        "  ephemeral-storage:  205314024Ki",
        "  hugepages-1Gi:      0",
        "  hugepages-2Mi:      0",
        "  memory:             65843188Ki",
        "  pods:               110",
        "Allocatable:",
        "  cpu:                16",
        "  ephemeral-storage:  189217404155",
        "  hugepages-1Gi:      0",
        "  hugepages-2Mi:      0",
        "  memory:             65740788Ki",
        "  pods:               110",
        "System Info:",
        "  Machine ID:                 4b1e8a27c9d04f6e9a3b52d170c8e6f1",
        "  System UUID:                4c4c4544-0042-3510-8057-b7c04f4d5332",
        "  Boot ID:                    e2a9c1d7-58b3-4f0e-a6d4-91c7b3e05f28",
        "  Kernel Version:             6.8.0-48-generic",
        "  OS Image:                   Ubuntu 24.04.1 LTS",
        "  Operating System:           linux",
        "  Architecture:               amd64",
        "  Container Runtime Version:  containerd://1.7.22",
        "  Kubelet Version:            v1.30.6",
        "  Kube-Proxy Version:         v1.30.6",
        "PodCIDR:                      10.244.5.0/24",
        "PodCIDRs:                     10.244.5.0/24",
        "Non-terminated Pods:          (9 in total)",
        *table(
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
                    "calico-system",
                    "calico-node-8kx2f",
                    "0 (0%)",
                    "0 (0%)",
                    "0 (0%)",
                    "0 (0%)",
                    "4d",
                ),
                ("kube-system", "kube-proxy-t9vzq", "0 (0%)", "0 (0%)", "0 (0%)", "0 (0%)", "21d"),
                (
                    "monitoring",
                    "node-exporter-5mz7c",
                    "100m (0%)",
                    "250m (1%)",
                    "64Mi (0%)",
                    "128Mi (0%)",
                    "21d",
                ),
                (
                    "monitoring",
                    "fluent-bit-q2w8d",
                    "100m (0%)",
                    "0 (0%)",
                    "128Mi (0%)",
                    "256Mi (0%)",
                    "21d",
                ),
                (
                    "payments",
                    "ledger-7d8b9c6f54-h4k2p",
                    "500m (3%)",
                    "2 (12%)",
                    "1Gi (1%)",
                    "2Gi (3%)",
                    "6d",
                ),
                (
                    "payments",
                    "ledger-7d8b9c6f54-x7q9m",
                    "500m (3%)",
                    "2 (12%)",
                    "1Gi (1%)",
                    "2Gi (3%)",
                    "6d",
                ),
                (
                    "payments",
                    "fx-rates-5c7f8d9b6-lw3zn",
                    "250m (1%)",
                    "1 (6%)",
                    "512Mi (0%)",
                    "1Gi (1%)",
                    "13d",
                ),
                (
                    "payments",
                    "statement-render-6f9d8c7b5-2pcxv",
                    "1 (6%)",
                    "2 (12%)",
                    "2Gi (3%)",
                    "4Gi (6%)",
                    "2d",
                ),
                ("ci", "buildkitd-0", "2 (12%)", "4 (25%)", "4Gi (6%)", "8Gi (12%)", "9d"),
            ],
            indent="  ",
        ),
        "Events:",
        *table(
            ("Type", "Reason", "Age", "From", "Message"),
            [
                ("----", "------", "----", "----", "-------"),
                (
                    "Normal",
                    "NodeNotReady",
                    "32m",
                    "node-controller",
                    f"Node {NODE} status is now: NodeNotReady",
                ),
            ],
            indent="  ",
        ),
    ]
    return f"$ kubectl describe node {NODE}\n" + "\n".join(lines) + "\n"


def node_shell() -> str:
    return "\n".join(
        [
            f"root@{NODE}:~# systemctl status kubelet --no-pager | head -6",
            "● kubelet.service - kubelet: The Kubernetes Node Agent",
            "     Loaded: loaded (/usr/lib/systemd/system/kubelet.service; enabled; preset: enabled)",
            "    Drop-In: /usr/lib/systemd/system/kubelet.service.d",
            "             └─10-kubeadm.conf",
            "     Active: activating (auto-restart) (Result: exit-code) since Mon 2025-11-03 02:46:52 UTC; 4s ago",
            "       Docs: https://kubernetes.io/docs/",
            f"root@{NODE}:~# ls -l /etc/kubernetes/",
            "total 12",
            "-rw------- 1 root root 1969 Nov  3  2024 kubelet.conf",
            "drwxr-xr-x 2 root root 4096 Nov  3  2024 manifests",
            "drwxr-xr-x 2 root root 4096 Nov  3  2024 pki",
            f"root@{NODE}:~# grep -iE 'rotate|serverTLSBootstrap' /var/lib/kubelet/config.yaml",
            "rotateCertificates: false",
            f"root@{NODE}:~# timedatectl | grep -E 'Local time|synchronized'",
            "               Local time: Mon 2025-11-03 02:46:58 UTC",
            "System clock synchronized: yes",
            f"root@{NODE}:~# df -h / /var/lib/containerd",
            "Filesystem                         Size  Used Avail Use% Mounted on",
            "/dev/mapper/ubuntu--vg-ubuntu--lv  196G   71G  116G  38% /",
            "/dev/mapper/ubuntu--vg-ubuntu--lv  196G   71G  116G  38% /",
            f"root@{NODE}:~# free -g | head -2",
            "               total        used        free      shared  buff/cache   available",
            "Mem:              62          19          21           0          22          42",
            "",
        ]
    )


def bundle() -> Bundle:
    rng = random.Random(1153)
    total = (NOW - START).total_seconds() / 60
    reject = (FIRST_REJECT - START).total_seconds() / 60
    restart = (RESTART - START).total_seconds() / 60
    journal = LogFile("journal-kubelet.log", KubeletJournal())
    journal.add(as_kubelet(traffic(rng, kubelet_line, START, reject, 1500)))
    journal.add(
        [
            Record(
                FIRST_REJECT,
                "ERROR",
                f'"Error updating node status, will retry" err="error getting node \\"{NODE}\\": Unauthorized"',
                (),
                f"{PID} kubelet_node_status.go:549",
            ),
        ]
    )
    journal.add(as_kubelet(loud(rng, START, reject + 0.01, restart - reject - 0.05, 900, rejected)))
    journal.add(
        as_kubelet(
            traffic(
                rng, kubelet_line, START + timedelta(minutes=reject), restart - reject - 0.05, 300
            )
        )
    )
    journal.add(
        [
            Record(
                RESTART - timedelta(seconds=1),
                "INFO",
                "Stopping kubelet.service - kubelet: The Kubernetes Node Agent...",
                (),
                "systemd",
            ),
            Record(
                RESTART - timedelta(milliseconds=700),
                "INFO",
                "kubelet.service: Deactivated successfully.",
                (),
                "systemd",
            ),
            Record(
                RESTART - timedelta(milliseconds=690),
                "INFO",
                "Stopped kubelet.service - kubelet: The Kubernetes Node Agent.",
                (),
                "systemd",
            ),
        ]
    )
    attempt = RESTART
    for number in range(1, 40):
        pid = 48211 + number * 37
        journal.add(
            [
                Record(
                    attempt,
                    "INFO",
                    "Started kubelet.service - kubelet: The Kubernetes Node Agent.",
                    (),
                    "systemd",
                ),
                Record(
                    attempt + timedelta(milliseconds=212),
                    "INFO",
                    "Flag --container-runtime-endpoint has been deprecated, This parameter should be set via the config file specified by the Kubelet's --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.",
                    (),
                    f"{pid} flags.go:64",
                ),
                Record(
                    attempt + timedelta(milliseconds=231),
                    "INFO",
                    '"Kubelet version" kubeletVersion="v1.30.6"',
                    (),
                    f"{pid} server.go:484",
                ),
                Record(
                    attempt + timedelta(milliseconds=232),
                    "INFO",
                    '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""',
                    (),
                    f"{pid} server.go:486",
                ),
                Record(
                    attempt + timedelta(milliseconds=234),
                    "INFO",
                    '"Using bootstrap kubeconfig to generate TLS client cert, key and kubeconfig file"',
                    (),
                    f"{pid} bootstrap.go:84",
                ),
                Record(
                    attempt + timedelta(milliseconds=236),
                    "ERROR",
                    "part of the existing bootstrap client certificate in /etc/kubernetes/kubelet.conf is expired: 2025-11-03 02:13:41 +0000 UTC",
                    (),
                    f"{pid} bootstrap.go:266",
                ),
                Record(
                    attempt + timedelta(milliseconds=237),
                    "ERROR",
                    '"command failed" err="failed to run Kubelet: unable to load bootstrap kubeconfig: stat /etc/kubernetes/bootstrap-kubelet.conf: no such file or directory"',
                    (),
                    f"{pid} run.go:74",
                ),
                Record(
                    attempt + timedelta(milliseconds=251),
                    "INFO",
                    "kubelet.service: Main process exited, code=exited, status=1/FAILURE",
                    (),
                    "systemd",
                ),
                Record(
                    attempt + timedelta(milliseconds=252),
                    "INFO",
                    "kubelet.service: Failed with result 'exit-code'.",
                    (),
                    "systemd",
                ),
                Record(
                    attempt + timedelta(seconds=10, milliseconds=120),
                    "INFO",
                    f"kubelet.service: Scheduled restart job, restart counter is at {number}.",
                    (),
                    "systemd",
                ),
            ]
        )
        attempt += timedelta(seconds=10, milliseconds=131)
        if attempt > NOW:
            break

    apiserver = LogFile("logs/kube-apiserver-k8s-cp-02.log", Klog())
    apiserver.add(as_klog(traffic(rng, apiserver_line, START, total, 700)))
    apiserver.add(
        as_klog(loud(rng, START, reject + 0.005, restart - reject - 0.05, 380, auth_failure))
    )
    payments = LogFile("logs/payments-api.log", Logfmt("payments-api", rng=rng))
    payments.add(traffic(rng, payments_line, START, total, 3300))
    payments.add(loud(rng, START, reject + 0.9, 7.5, 260, payments_timeout))
    calico = LogFile("logs/calico-node-k8s-wrk-02.log", Logfmt("calico-node", rng=rng))
    calico.add(
        [
            Record(
                START + timedelta(minutes=m),
                "WARN",
                "BIRD is not ready: BGP not established with 10.40.12.26",
                (),
                None,
            )
            for m in (3.1, 3.2, 3.3)
        ]
    )
    calico.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"Summarising {r.randrange(12, 30)} dataplane reconciliation loops over {r.randrange(60, 62)}.{r.randrange(10)}s: avg={r.randrange(3, 14)}ms longest={r.randrange(15, 90)}ms (resync-filter-v4)",
                (),
            ),
            START,
            total,
            60,
        )
    )

    pods = [
        (
            "payments",
            "ledger-7d8b9c6f54-h4k2p",
            "1/1",
            "Terminating",
            "0",
            "6d",
            "10.244.5.31",
            NODE,
        ),
        (
            "payments",
            "ledger-7d8b9c6f54-x7q9m",
            "1/1",
            "Terminating",
            "0",
            "6d",
            "10.244.5.47",
            NODE,
        ),
        (
            "payments",
            "ledger-7d8b9c6f54-9dz4r",
            "1/1",
            "Running",
            "0",
            "6d",
            "10.244.3.66",
            "k8s-wrk-03",
        ),
        (
            "payments",
            "ledger-7d8b9c6f54-b8n5w",
            "0/1",
            "Running",
            "0",
            "27m",
            "10.244.6.120",
            "k8s-wrk-06",
        ),
        ("payments", "ledger-7d8b9c6f54-kq2hv", "0/1", "Pending", "0", "27m", "<none>", "<none>"),
        (
            "payments",
            "fx-rates-5c7f8d9b6-lw3zn",
            "1/1",
            "Terminating",
            "0",
            "13d",
            "10.244.5.18",
            NODE,
        ),
        (
            "payments",
            "fx-rates-5c7f8d9b6-r6c2t",
            "1/1",
            "Running",
            "0",
            "27m",
            "10.244.7.41",
            "k8s-wrk-07",
        ),
        (
            "payments",
            "payments-api-6b8d7f9c45-4jx8k",
            "1/1",
            "Running",
            "0",
            "3d",
            "10.244.1.93",
            "k8s-wrk-01",
        ),
        (
            "payments",
            "payments-api-6b8d7f9c45-wn2tz",
            "1/1",
            "Running",
            "0",
            "3d",
            "10.244.2.17",
            "k8s-wrk-02",
        ),
        (
            "payments",
            "statement-render-6f9d8c7b5-2pcxv",
            "1/1",
            "Terminating",
            "0",
            "2d",
            "10.244.5.77",
            NODE,
        ),
        (
            "payments",
            "statement-render-6f9d8c7b5-v5m8q",
            "1/1",
            "Running",
            "0",
            "27m",
            "10.244.4.52",
            "k8s-wrk-04",
        ),
    ]
    get_pods = (
        "$ kubectl get pods -n payments -o wide\n"
        + "\n".join(
            table(
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
                [(*row[1:], "<none>", "<none>") for row in pods],
            )
        )
        + "\n"
    )
    notes = "\n".join(
        [
            "02:19 UTC page: KubeNodeNotReady k8s-wrk-05 (fired 02:19), then PaymentsLedgerLatencyHigh 02:20",
            "payments-api logged slow ledger calls for ~8 minutes, better since the replacement pods came up; ledger still short of replicas (one Pending: insufficient cpu)",
            "node is up: ssh fine, load 0.4, disks fine, no OOM in dmesg. containerd running, containers still running on it",
            "02:40 restarted kubelet (systemctl restart kubelet) -> now it does not stay up at all",
            "calico on wrk-02 complained about BGP at 01:43, looked transient",
            "nothing deployed tonight; last infra change: kernel patching of wrk-01..04 on Friday",
            "",
        ]
    )
    files = {
        "kubectl-get-nodes.txt": get_nodes(),
        "kubectl-describe-node.txt": describe_node(),
        "kubectl-get-pods.txt": get_pods,
        "journal-kubelet.log": journal.render(),
        "node-shell.txt": node_shell(),
        "logs/kube-apiserver-k8s-cp-02.log": apiserver.render(),
        "logs/payments-api.log": payments.render(),
        "logs/calico-node-k8s-wrk-02.log": calico.render(),
        "notes.md": notes,
    }
    return Bundle(
        question="Worker k8s-wrk-05 went NotReady at 02:14 UTC and its payments pods were evicted, although the machine itself looks healthy; restarting the kubelet made it worse. What happened?",
        category="tls",
        component=NODE,
        statement="The kubelet client certificate embedded in /etc/kubernetes/kubelet.conf on k8s-wrk-05 expired at 02:13:41 UTC (rotateCertificates: false, so it was never renewed); from 02:13:52 the API server rejects the kubelet as Unauthorized, the node stops posting status and goes NotReady, its pods are evicted, and after the 02:40 restart the kubelet cannot start without a bootstrap kubeconfig.",
        files=files,
        proofs=[
            Proof("journal-kubelet.log", f"kubelet[{48211 + 37}]: E1103 02:40:09.236000"),
            Proof("node-shell.txt", "rotateCertificates: false"),
        ],
        decoys=[
            "Failed to get system container stats",
            "BIRD is not ready",
            "(slow, threshold 1000ms)",
        ],
    )
