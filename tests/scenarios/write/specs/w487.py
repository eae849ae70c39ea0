# ruff: noqa: E501
# klog lines, kubectl output and the pasted shell session are data, kept whole on one line.
"""Kubernetes (kubeadm, on premises): worker wh-k8s-w07 was joined on 14 June 2025 from an old
node template whose kubelet config.yaml has `rotateCertificates: false`. Its bootstrapped client
certificate (one-year signing duration) was never renewed and expired on 14 June 2026 at
03:26:51 UTC. From then on the API server answers the kubelet with 401 Unauthorized
(`x509: certificate has expired`); the node lease and status stop, the node goes Unknown/NotReady
at 03:27:31, its pods are taken out of endpoints and, 300 s later, evicted: they stay
Terminating (the kubelet never hears of the deletion), and two of the three slotting-api
replacements stay Pending for lack of CPU. slotting-api, down to two or three pods, is slow.
Decoys: a VPA webhook failing open in the API server, an earlier inventory-sync readiness
failure, and slotting-api's Redis latency warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import describe_events, event_listing, routine_events, table
from metrics import csv_text, shift
from records import PythonLogging, Record
from scenes import at, loud
from traffic import Line, traffic, web_api

CEST = timezone(timedelta(hours=2))
START = datetime(2026, 6, 14, 2, 30, tzinfo=UTC)
NOW = datetime(2026, 6, 14, 4, 5, tzinfo=UTC)
EXPIRY = datetime(2026, 6, 14, 3, 26, 51, tzinfo=UTC)
UNKNOWN = datetime(2026, 6, 14, 3, 27, 31, tzinfo=UTC)
EVICT = UNKNOWN + timedelta(seconds=300)
NODE = "wh-k8s-w07"
NODE_IP = "10.31.8.47"
WORKERS = ["wh-k8s-w03", "wh-k8s-w04", "wh-k8s-w05", "wh-k8s-w06", NODE, "wh-k8s-w08"]
SERIAL = 0x6E2F0A91C4D37B5E
AKID = "3A:91:C4:0D:7E:22:B8:5F:61:A0:9C:4E:17:D3:F2:08:6B:C5:90:1E"
APPS = ["slotting-api", "pick-planner", "inventory-sync", "label-printer-gw", "dock-scheduler"]
ON_NODE = {
    "slotting-api": [
        "slotting-api-7c9d5f8b64-4kq2n",
        "slotting-api-7c9d5f8b64-x8r5t",
        "slotting-api-7c9d5f8b64-m2w9z",
    ],
    "pick-planner": ["pick-planner-5b8f7d9c6-tq7vl"],
    "inventory-sync": ["inventory-sync-6d4c8b7f95-rw3kc"],
}


def minute(moment: datetime) -> float:
    return (moment - START).total_seconds() / 60


def klog(record: Record, pid: int) -> str:
    letter = {"INFO": "I", "WARN": "W", "ERROR": "E"}.get(record.level, "I")
    stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
    return f"{letter}{stamp} {pid:>7} {record.message}"


@dataclass
class KubeletJournal:
    """`journalctl -u kubelet -o short-iso` on the worker: klog lines behind the journal prefix."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+0000")
        return [f"{stamp} {NODE} kubelet[1342]: {klog(record, 1342)}"]


@dataclass
class ApiserverLog:
    """`kubectl -n kube-system logs kube-apiserver-wh-k8s-cp01`: bare klog lines."""

    def render(self, record: Record) -> list[str]:
        if "(STARTED-" in record.message:
            took = int(record.message.split("(STARTED-")[1].split(")")[0])
            began = record.time - timedelta(milliseconds=took)
            stamp = began.strftime("%d-%b-%Y %H:%M:%S.") + f"{began.microsecond // 1000:03d}"
            record = Record(
                record.time, record.level, record.message.replace(f"STARTED-{took}", stamp)
            )
        return [klog(record, 1)]


def kubelet_line(rng: random.Random) -> Line:
    app = rng.choice(list(ON_NODE))
    pod = f"warehouse/{rng.choice(ON_NODE[app])}"
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f'prober.go:107] "Probe succeeded" probeType="Readiness" pod="{pod}" podUID="{rng.getrandbits(128):032x}" containerName="{app}"',
            (),
        )
    if roll < 0.6:
        return (
            "INFO",
            f'kubelet.go:2474] "SyncLoop (PLEG): event for pod" pod="{pod}" event={{"ID":"{rng.getrandbits(64):016x}","Type":"ContainerStarted","Data":"{rng.getrandbits(128):032x}"}}',
            (),
        )
    if roll < 0.78:
        return (
            "INFO",
            f'kubelet_volumes.go:163] "Cleaned up orphaned pod volumes dir" podUID="{rng.getrandbits(128):032x}" path="/var/lib/kubelet/pods/{rng.getrandbits(128):032x}/volumes"',
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f'image_gc_manager.go:{rng.choice([272, 309])}] "Disk usage on image filesystem is within threshold" usage={rng.randrange(41, 47)} highThreshold=85',
            (),
        )
    return (
        "INFO",
        f'reconciler_common.go:{rng.choice([159, 218])}] "operationExecutor.VerifyControllerAttachedVolume started for volume \\"kube-api-access-{rng.getrandbits(20):05x}\\"" pod="{pod}"',
        (),
    )


def apiserver_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.3:
        took = rng.randrange(510, 1900)
        return (
            "INFO",
            f'trace.go:236] Trace[{rng.randrange(10**9)}]: "List" accept:application/json, */*,audit-id:{rng.getrandbits(128):032x},client:10.31.{rng.randrange(4, 9)}.{rng.randrange(10, 60)},api-group:,api-version:v1,name:,subresource:,namespace:,protocol:HTTP/2.0,resource:pods,scope:cluster,url:/api/v1/pods,user-agent:kube-state-metrics/v2.13.0,verb:LIST (STARTED-{took}) (total time: {took}ms):',
            (),
        )
    if roll < 0.5:
        return (
            "INFO",
            f"controller.go:615] quota admission added evaluator for: {rng.choice(['jobs.batch', 'leases.coordination.k8s.io', 'endpointslices.discovery.k8s.io', 'events.events.k8s.io'])}",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f'alloc.go:330] "allocated clusterIPs" service="{rng.choice(["ci", "warehouse", "monitoring"])}/{rng.choice(["preview", "runner", "probe"])}-{rng.getrandbits(20):05x}" clusterIPs={{"IPv4":"10.96.{rng.randrange(256)}.{rng.randrange(1, 255)}"}}',
            (),
        )
    if roll < 0.9:
        return (
            "WARN",
            f"watcher.go:{rng.choice([93, 338])}] Fast watcher, slow processing. Probably caused by slow decoding, user not receiving fast, or other processing logic",
            (),
        )
    return (
        "INFO",
        f'cacher.go:{rng.choice([1107, 1142])}] "Forcing watcher close due to unresponsiveness" key="/pods" numPendingEvents={rng.randrange(10, 40)}',
        (),
    )


def unauthorized_kubelet(rng: random.Random) -> Line:
    return rng.choice(
        [
            (
                "ERROR",
                f'kubelet_node_status.go:549] "Error updating node status, will retry" err="error getting node \\"{NODE}\\": Unauthorized"',
                (),
            ),
            (
                "ERROR",
                f'controller.go:145] "Failed to ensure lease exists, will retry" err="Unauthorized" interval="{rng.choice([7, 7, 7, 6])}s"',
                (),
            ),
            (
                "WARN",
                f"reflector.go:561] k8s.io/client-go/informers/factory.go:160: failed to list *v1.{rng.choice(['Service', 'Node', 'CSIDriver', 'RuntimeClass'])}: Unauthorized",
                (),
            ),
            (
                "ERROR",
                'reflector.go:158] "Unhandled Error" err="pkg/kubelet/config/apiserver.go:66: Failed to watch *v1.Pod: failed to list *v1.Pod: Unauthorized" logger="UnhandledError"',
                (),
            ),
            (
                "ERROR",
                f'kubelet.go:{rng.choice([1928, 1928, 2112])}] "Failed creating a mirror pod" err="Unauthorized" pod="kube-system/haproxy-{NODE}"',
                (),
            ),
        ]
    )


def auth_error(when: datetime, rng: random.Random) -> Record:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    expired = EXPIRY.strftime("%Y-%m-%dT%H:%M:%SZ")
    why = f"x509: certificate has expired or is not yet valid: current time {stamp} is after {expired}"
    return Record(
        when + timedelta(microseconds=rng.randrange(10**6)),
        "ERROR",
        f'authentication.go:73] "Unable to authenticate the request" err="[{why}, verifying certificate SN={SERIAL}, SKID=, AKID={AKID} failed: {why}]"',
    )


def describe_node() -> str:
    head = f"""$ kubectl get nodes -o wide
NAME          STATUS     ROLES           AGE    VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION      CONTAINER-RUNTIME
wh-k8s-cp01   Ready      control-plane   2y41d  v1.30.6   10.31.8.11    <none>        Ubuntu 22.04.5 LTS   5.15.0-119-generic  containerd://1.7.22
wh-k8s-cp02   Ready      control-plane   2y41d  v1.30.6   10.31.8.12    <none>        Ubuntu 22.04.5 LTS   5.15.0-119-generic  containerd://1.7.22
wh-k8s-cp03   Ready      control-plane   2y41d  v1.30.6   10.31.8.13    <none>        Ubuntu 22.04.5 LTS   5.15.0-119-generic  containerd://1.7.22
wh-k8s-w03    Ready      <none>          97d    v1.30.6   10.31.8.43    <none>        Ubuntu 22.04.5 LTS   5.15.0-119-generic  containerd://1.7.22
wh-k8s-w04    Ready      <none>          97d    v1.30.6   10.31.8.44    <none>        Ubuntu 22.04.5 LTS   5.15.0-119-generic  containerd://1.7.22
wh-k8s-w05    Ready      <none>          212d   v1.30.6   10.31.8.45    <none>        Ubuntu 22.04.5 LTS   5.15.0-119-generic  containerd://1.7.22
wh-k8s-w06    Ready      <none>          212d   v1.30.6   10.31.8.46    <none>        Ubuntu 22.04.5 LTS   5.15.0-119-generic  containerd://1.7.22
wh-k8s-w07    NotReady   <none>          365d   v1.30.6   10.31.8.47    <none>        Ubuntu 22.04.5 LTS   5.15.0-119-generic  containerd://1.7.22
wh-k8s-w08    Ready      <none>          97d    v1.30.6   10.31.8.48    <none>        Ubuntu 22.04.5 LTS   5.15.0-119-generic  containerd://1.7.22

$ kubectl describe node {NODE}
Name:               {NODE}
Roles:              <none>
Labels:             beta.kubernetes.io/arch=amd64
                    beta.kubernetes.io/os=linux
                    kubernetes.io/arch=amd64
                    kubernetes.io/hostname={NODE}
                    kubernetes.io/os=linux
                    topology.kubernetes.io/zone=hall-b
Annotations:        kubeadm.alpha.kubernetes.io/cri-socket: unix:///var/run/containerd/containerd.sock
                    node.alpha.kubernetes.io/ttl: 0
                    volumes.kubernetes.io/controller-managed-attach-detach: true
CreationTimestamp:  Sat, 14 Jun 2025 03:26:49 +0000
Taints:             node.kubernetes.io/unreachable:NoExecute
                    node.kubernetes.io/unreachable:NoSchedule
Unschedulable:      false
Lease:
  HolderIdentity:  {NODE}
  AcquireTime:     <unset>
  RenewTime:       Sun, 14 Jun 2026 03:26:47 +0000
Conditions:
  Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message
  ----             ------    -----------------                 ------------------                ------              -------
  MemoryPressure   Unknown   Sun, 14 Jun 2026 03:26:39 +0000   Sun, 14 Jun 2026 03:27:31 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
  DiskPressure     Unknown   Sun, 14 Jun 2026 03:26:39 +0000   Sun, 14 Jun 2026 03:27:31 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
  PIDPressure      Unknown   Sun, 14 Jun 2026 03:26:39 +0000   Sun, 14 Jun 2026 03:27:31 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
  Ready            Unknown   Sun, 14 Jun 2026 03:26:39 +0000   Sun, 14 Jun 2026 03:27:31 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
Addresses:
  InternalIP:  {NODE_IP}
  Hostname:    {NODE}
Capacity:
  cpu:                16
  ephemeral-storage:  203056560Ki
  hugepages-1Gi:      0
  hugepages-2Mi:      0
  memory:             65842364Ki
  pods:               110
Allocatable:
  cpu:                15800m
  ephemeral-storage:  187136328948
  hugepages-1Gi:      0
  hugepages-2Mi:      0
  memory:             64691388Ki
  pods:               110
System Info:
  Machine ID:                 4b7e0c2a91d34f6e8a5c1d07b3f92e64
  System UUID:                4c4c4544-0051-3710-8047-b4c04f4e3532
  Boot ID:                    e2a7c9d1-5b34-4f08-9c6e-71d0a4b8f213
  Kernel Version:             5.15.0-119-generic
  OS Image:                   Ubuntu 22.04.5 LTS
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  containerd://1.7.22
  Kubelet Version:            v1.30.6
  Kube-Proxy Version:         v1.30.6
PodCIDR:                      10.244.7.0/24
PodCIDRs:                     10.244.7.0/24
Non-terminated Pods:          (9 in total)
  Namespace                   Name                                CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----                                ------------  ----------  ---------------  -------------  ---
  kube-system                 calico-node-5xk2q                   250m (1%)     0 (0%)      0 (0%)           0 (0%)         365d
  kube-system                 kube-proxy-r8w4m                    0 (0%)        0 (0%)      0 (0%)           0 (0%)         41d
  kube-system                 haproxy-{NODE}                   25m (0%)      0 (0%)      32Mi (0%)        0 (0%)         365d
  monitoring                  node-exporter-j7d9t                 100m (0%)     250m (1%)   64Mi (0%)        128Mi (0%)     180d
  warehouse                   slotting-api-7c9d5f8b64-4kq2n       2 (12%)       3 (18%)     3Gi (4%)         4Gi (6%)       9d
  warehouse                   slotting-api-7c9d5f8b64-x8r5t       2 (12%)       3 (18%)     3Gi (4%)         4Gi (6%)       9d
  warehouse                   slotting-api-7c9d5f8b64-m2w9z       2 (12%)       3 (18%)     3Gi (4%)         4Gi (6%)       9d
  warehouse                   pick-planner-5b8f7d9c6-tq7vl        1 (6%)        2 (12%)     2Gi (3%)         2Gi (3%)       16d
  warehouse                   inventory-sync-6d4c8b7f95-rw3kc     500m (3%)     1 (6%)      512Mi (0%)       1Gi (1%)       16d
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests       Limits
  --------           --------       ------
  cpu                7875m (49%)    12250m (77%)
  memory             11872Mi (18%)  15488Mi (24%)
  ephemeral-storage  0 (0%)         0 (0%)
"""
    events = describe_events(
        [
            (
                "Normal",
                "NodeNotReady",
                "37m",
                "node-controller",
                f"Node {NODE} status is now: NodeNotReady",
            ),
        ]
    )
    return head + "\n".join(events) + "\n"


def pods_wide(rng: random.Random) -> str:
    rows = [
        ("slotting-api-7c9d5f8b64-4kq2n", "1/1", "Terminating", "0", "9d", "10.244.7.31", NODE),
        ("slotting-api-7c9d5f8b64-x8r5t", "1/1", "Terminating", "0", "9d", "10.244.7.58", NODE),
        (
            "slotting-api-7c9d5f8b64-m2w9z",
            "1/1",
            "Terminating",
            "1 (4d ago)",
            "9d",
            "10.244.7.102",
            NODE,
        ),
        ("slotting-api-7c9d5f8b64-dl6hv", "1/1", "Running", "0", "9d", "10.244.4.77", "wh-k8s-w04"),
        ("slotting-api-7c9d5f8b64-p3sjf", "1/1", "Running", "0", "9d", "10.244.6.19", "wh-k8s-w06"),
        (
            "slotting-api-7c9d5f8b64-h6p4d",
            "1/1",
            "Running",
            "0",
            "33m",
            "10.244.3.140",
            "wh-k8s-w03",
        ),
        ("slotting-api-7c9d5f8b64-v7c2s", "0/1", "Pending", "0", "33m", "<none>", "<none>"),
        ("slotting-api-7c9d5f8b64-b9t5k", "0/1", "Pending", "0", "33m", "<none>", "<none>"),
        ("pick-planner-5b8f7d9c6-tq7vl", "1/1", "Terminating", "0", "16d", "10.244.7.66", NODE),
        ("pick-planner-5b8f7d9c6-zc8m4", "1/1", "Running", "0", "33m", "10.244.8.23", "wh-k8s-w08"),
        ("pick-planner-5b8f7d9c6-fw2nd", "1/1", "Running", "0", "16d", "10.244.5.90", "wh-k8s-w05"),
        ("inventory-sync-6d4c8b7f95-rw3kc", "1/1", "Terminating", "0", "16d", "10.244.7.12", NODE),
        (
            "inventory-sync-6d4c8b7f95-4tq9x",
            "1/1",
            "Running",
            "0",
            "33m",
            "10.244.5.141",
            "wh-k8s-w05",
        ),
    ]
    for app in [
        "label-printer-gw",
        "label-printer-gw",
        "dock-scheduler",
        "dock-scheduler",
        "dock-scheduler",
    ]:
        node = rng.choice(["wh-k8s-w03", "wh-k8s-w04", "wh-k8s-w05", "wh-k8s-w06", "wh-k8s-w08"])
        rows.append(
            (
                f"{app}-{'6f9b4c7d58' if app == 'label-printer-gw' else '84d7c5b9f6'}-{rng.getrandbits(25):05x}",
                "1/1",
                "Running",
                str(rng.choice([0, 0, 1])),
                f"{rng.randrange(3, 30)}d",
                f"10.244.{node[-1]}.{rng.randrange(2, 250)}",
                node,
            )
        )
    rows.sort()
    rows = [(*row, "<none>", "<none>") for row in rows]
    header = (
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
    return "$ kubectl -n warehouse get pods -o wide\n" + "\n".join(table(header, rows)) + "\n"


def node_checks() -> str:
    return f"""$ kubectl get csr --sort-by=.metadata.creationTimestamp | tail -6
NAME        AGE    SIGNERNAME                                    REQUESTOR                REQUESTEDDURATION   CONDITION
csr-q8x2v   41d    kubernetes.io/kube-apiserver-client-kubelet   system:node:wh-k8s-w05   <none>              Approved,Issued
csr-m4k7d   39d    kubernetes.io/kube-apiserver-client-kubelet   system:node:wh-k8s-w06   <none>              Approved,Issued
csr-z2n8r   12d    kubernetes.io/kube-apiserver-client-kubelet   system:node:wh-k8s-w03   <none>              Approved,Issued
csr-t6w4p   11d    kubernetes.io/kube-apiserver-client-kubelet   system:node:wh-k8s-w08   <none>              Approved,Issued
csr-h9c5j   11d    kubernetes.io/kube-apiserver-client-kubelet   system:node:wh-k8s-w04   <none>              Approved,Issued

$ sudo kubeadm certs check-expiration    # on wh-k8s-cp01
[check-expiration] Reading configuration from the cluster...
[check-expiration] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'

CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED
admin.conf                 Apr 02, 2027 09:14 UTC   292d            ca                      no
apiserver                  Apr 02, 2027 09:14 UTC   292d            ca                      no
apiserver-etcd-client      Apr 02, 2027 09:14 UTC   292d            etcd-ca                 no
apiserver-kubelet-client   Apr 02, 2027 09:14 UTC   292d            ca                      no
controller-manager.conf    Apr 02, 2027 09:14 UTC   292d            ca                      no
etcd-healthcheck-client    Apr 02, 2027 09:14 UTC   292d            etcd-ca                 no
etcd-peer                  Apr 02, 2027 09:14 UTC   292d            etcd-ca                 no
etcd-server                Apr 02, 2027 09:14 UTC   292d            etcd-ca                 no
front-proxy-client         Apr 02, 2027 09:14 UTC   292d            front-proxy-ca          no
scheduler.conf             Apr 02, 2027 09:14 UTC   292d            ca                      no

CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED
ca                      Apr 30, 2034 08:02 UTC   7y              no
etcd-ca                 Apr 30, 2034 08:02 UTC   7y              no
front-proxy-ca          Apr 30, 2034 08:02 UTC   7y              no

$ ssh ops@{NODE}
ops@{NODE}:~$ date -u
Sun Jun 14 04:03:37 UTC 2026
ops@{NODE}:~$ systemctl is-active kubelet containerd
active
active
ops@{NODE}:~$ sudo crictl pods --namespace warehouse --state ready -q | wc -l
5
ops@{NODE}:~$ sudo ls -l /var/lib/kubelet/pki/
total 12
-rw------- 1 root root 1118 Jun 14  2025 kubelet-client-2025-06-14-03-26-51.pem
lrwxrwxrwx 1 root root   59 Jun 14  2025 kubelet-client-current.pem -> /var/lib/kubelet/pki/kubelet-client-2025-06-14-03-26-51.pem
-rw-r--r-- 1 root root 2262 Jun 14  2025 kubelet.crt
-rw------- 1 root root 1679 Jun 14  2025 kubelet.key
ops@{NODE}:~$ sudo openssl x509 -in /var/lib/kubelet/pki/kubelet-client-current.pem -noout -subject -serial -dates
subject=O = system:nodes, CN = system:node:{NODE}
serial={SERIAL:X}
notBefore=Jun 14 03:21:51 2025 GMT
notAfter=Jun 14 03:26:51 2026 GMT
ops@{NODE}:~$ sudo grep -n -i -e rotate -e serverTLSBootstrap /var/lib/kubelet/config.yaml
31:rotateCertificates: false
ops@{NODE}:~$ ping -c 2 -q 10.31.8.10
--- 10.31.8.10 ping statistics ---
2 packets transmitted, 2 received, 0% packet loss, time 1001ms
rtt min/avg/max/mdev = 0.212/0.247/0.282/0.035 ms
ops@{NODE}:~$ exit

$ ssh ops@wh-k8s-w05 'sudo ls /var/lib/kubelet/pki/ && sudo grep -n rotateCertificates /var/lib/kubelet/config.yaml'
kubelet-client-2025-11-13-22-40-07.pem
kubelet-client-2026-05-04-01-12-55.pem
kubelet-client-current.pem
kubelet.crt
kubelet.key
33:rotateCertificates: true
"""


def slotting_line(rng: random.Random) -> Line:
    return web_api("slotting-api", ["slots", "plans", "locations"])(rng)


def bundle() -> Bundle:
    rng = random.Random(48707)
    total = minute(NOW)
    expiry = minute(EXPIRY)
    unknown = minute(UNKNOWN)
    evict = minute(EVICT)

    journal = LogFile(f"kubelet-{NODE}.journal", KubeletJournal())
    journal.add(traffic(rng, kubelet_line, START, total, 1500))
    journal.add(
        [
            Record(
                EXPIRY + timedelta(seconds=7, microseconds=412633),
                "ERROR",
                f'kubelet_node_status.go:549] "Error updating node status, will retry" err="error getting node \\"{NODE}\\": Unauthorized"',
            ),
            Record(
                EXPIRY + timedelta(seconds=7, microseconds=419802),
                "ERROR",
                'controller.go:145] "Failed to ensure lease exists, will retry" err="Unauthorized" interval="200ms"',
            ),
            Record(
                EXPIRY + timedelta(seconds=7, microseconds=655120),
                "ERROR",
                'kubelet_node_status.go:536] "Unable to update node status" err="update node status exceeds retry count"',
            ),
        ]
    )
    journal.add(loud(rng, START, expiry + 0.25, total - expiry - 0.3, 900, unauthorized_kubelet))

    api = LogFile("kube-apiserver-wh-k8s-cp01.log", ApiserverLog())
    api.add(traffic(rng, apiserver_line, START, total, 700))
    api.add([auth_error(EXPIRY + timedelta(seconds=7), rng)])
    second = EXPIRY + timedelta(seconds=12)
    while second < NOW:
        api.add([auth_error(second, rng)])
        second += timedelta(seconds=rng.choice([3, 5, 7, 9, 11]))
    api.add(
        [
            at(
                START,
                18.3,
                "WARN",
                'dispatcher.go:217] Failed calling webhook, failing open vpa.k8s.io: failed calling webhook "vpa.k8s.io": failed to call webhook: Post "https://vpa-webhook.kube-system.svc:443/?timeout=10s": context deadline exceeded',
            ),
            at(
                START,
                18.31,
                "ERROR",
                'dispatcher.go:225] "Unhandled Error" err="failed calling webhook \\"vpa.k8s.io\\": failed to call webhook: Post \\"https://vpa-webhook.kube-system.svc:443/?timeout=10s\\": context deadline exceeded" logger="UnhandledError"',
            ),
            at(
                START,
                unknown + 0.01,
                "INFO",
                f'node_lifecycle_controller.go:1017] "Node is NotReady" node="{NODE}"',
            ),
        ]
    )

    slot = LogFile(
        "logs/slotting-api.log",
        PythonLogging(
            ("slotting.api", "slotting.planner", "slotting.cache", "uvicorn.access"), rng=rng
        ),
    )
    slot.add(traffic(rng, slotting_line, START, total, 4200))
    slot.add(
        [
            at(
                START,
                9.4,
                "WARN",
                "redis GET slot-index:hall-b took 212ms (> 150ms), serving from local copy",
                logger="slotting.cache",
            )
        ]
    )
    slot.add(
        loud(
            rng,
            START,
            unknown + 0.3,
            total - unknown - 0.5,
            700,
            lambda r: (
                "WARN",
                f"slow request POST /api/v2/plans/pick-wave took {r.randrange(2600, 9800)}ms inflight={r.randrange(38, 64)} worker_queue={r.randrange(20, 120)}",
                (),
            ),
        )
    )
    slot.add(
        loud(
            rng,
            START,
            unknown + 1.5,
            total - unknown - 2,
            140,
            lambda r: (
                "ERROR",
                f"request POST /api/v2/plans/pick-wave cancelled after 15000ms: client disconnected (wave={r.randrange(10**5)})",
                (),
            ),
        )
    )

    points = int(total)
    at_unknown = int(unknown) + 1
    at_new = int(evict) + 2
    series = {
        "slotting_api_ready_endpoints": shift(rng, 5, 2, at_unknown, 0.0),
        "slotting_api_p95_ms": shift(rng, 340, 5200, at_unknown, 0.12, ramp=3),
        "slotting_api_cpu_cores_per_pod": shift(rng, 1.3, 2.95, at_unknown, 0.03, ramp=2),
        "slotting_api_requests_per_s": shift(rng, 410, 395, at_unknown, 0.06),
    }
    ready = series["slotting_api_ready_endpoints"]
    series["slotting_api_ready_endpoints"] = lambda index: (
        ready(index) + (1 if index >= at_new else 0)
    )
    metrics = csv_text(START, 60, points, series, decimals=2)

    def ago(moment: datetime) -> int:
        return int((NOW - moment).total_seconds())

    routine = routine_events(
        rng, APPS, 18, [w for w in WORKERS if w != NODE], namespace="warehouse"
    )
    signal = [
        (
            ago(UNKNOWN),
            ("Normal", "NodeNotReady", f"pod/{pod}", "Node is not ready"),
        )
        for pods in ON_NODE.values()
        for pod in pods
    ]
    signal += [
        (
            ago(EVICT),
            (
                "Normal",
                "TaintManagerEviction",
                f"pod/{pod}",
                f"Marking for deletion Pod warehouse/{pod}",
            ),
        )
        for pods in ON_NODE.values()
        for pod in pods
    ]
    signal += [
        (
            ago(EVICT) - 1,
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/slotting-api-7c9d5f8b64",
                f"Created pod: slotting-api-7c9d5f8b64-{suffix}",
            ),
        )
        for suffix in ["h6p4d", "v7c2s", "b9t5k"]
    ]
    signal += [
        (
            ago(EVICT) - 1,
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/pick-planner-5b8f7d9c6",
                "Created pod: pick-planner-5b8f7d9c6-zc8m4",
            ),
        ),
        (
            ago(EVICT) - 1,
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/inventory-sync-6d4c8b7f95",
                "Created pod: inventory-sync-6d4c8b7f95-4tq9x",
            ),
        ),
        (
            ago(EVICT) - 2,
            (
                "Normal",
                "Scheduled",
                "pod/slotting-api-7c9d5f8b64-h6p4d",
                "Successfully assigned warehouse/slotting-api-7c9d5f8b64-h6p4d to wh-k8s-w03",
            ),
        ),
    ]
    unsched = "0/9 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 5 Insufficient cpu. preemption: 0/9 nodes are available: 4 Preemption is not helpful for scheduling, 5 No preemption victims found for incoming pod."
    for seconds in (ago(EVICT) - 2, 600, 60):
        for suffix in ["v7c2s", "b9t5k"]:
            signal.append(
                (
                    seconds,
                    (
                        "Warning",
                        "FailedScheduling",
                        f"pod/slotting-api-7c9d5f8b64-{suffix}",
                        unsched,
                    ),
                )
            )
    signal.append(
        (
            ago(START + timedelta(minutes=12)),
            (
                "Warning",
                "Unhealthy",
                "pod/inventory-sync-6d4c8b7f95-rw3kc",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        )
    )
    events = "$ kubectl -n warehouse get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Since about 05:30 CEST the pick screens are very slow, slotting-api seems to have only two or three working pods and two of its pods have been Pending for half an hour. What is the root cause?",
        category="tls",
        component=NODE,
        statement=f"The kubelet client certificate of worker {NODE} (joined a year ago with rotateCertificates: false) expired at 03:26:51 UTC and was never renewed, so the API server rejects the kubelet as Unauthorized; the node went NotReady at 03:27:31, its three slotting-api pods (and others) were evicted and are stuck Terminating, and the replacements cannot all be scheduled for lack of CPU.",
        files={
            "kubectl-nodes.txt": describe_node(),
            "kubectl-get-pods-warehouse.txt": pods_wide(rng),
            "kubectl-get-events.txt": events,
            journal.name: journal.render(),
            api.name: api.render(),
            slot.name: slot.render(),
            "slotting-api-metrics.csv": metrics,
            "node-checks.txt": node_checks(),
        },
        proofs=[
            Proof("node-checks.txt", "notAfter=Jun 14 03:26:51 2026 GMT"),
            Proof("node-checks.txt", "31:rotateCertificates: false"),
            Proof("kube-apiserver-wh-k8s-cp01.log", "current time 2026-06-14T03:26:58Z is after"),
            Proof(journal.name, "E0614 03:26:58.412633"),
        ],
        decoys=[
            "Failed calling webhook, failing open vpa.k8s.io",
            "Readiness probe failed: HTTP probe failed with statuscode: 503",
            "redis GET slot-index:hall-b took 212ms",
        ],
    )
