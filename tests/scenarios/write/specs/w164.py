# ruff: noqa: E501
# kubectl rows, klog lines and hand-written log lines are data, kept whole on one line.
"""Kubernetes (EKS): kube-proxy runs in IPVS mode. A new managed node group `general-v3` built
from the security team's hardened AMI (which blacklists rarely used kernel modules, ip_vs among
them) joins at 12:50 UTC and the cluster autoscaler puts the afternoon's extra pods there. On
those nodes kube-proxy exits at start (`can't use the IPVS proxier: ... required kernel modules
are not loaded: [ip_vs ip_vs_rr ip_vs_wrr ip_vs_sh]`) and crash-loops, so no Service rules
exist there: every pod on a general-v3 node times out calling any ClusterIP (orders-db, redis,
payments), while the same workloads on older nodes are fine. Loud: orders-api's i/o timeouts
and 500s from a third of its pods. Decoys: the cluster-autoscaler scale-up, an aws-node IP
warm-pool warning, and a slow query on orders-db."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import table
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 4, 17, 12, 30, tzinfo=UTC)
NOW = datetime(2025, 4, 17, 13, 46, tzinfo=UTC)
JOIN = 20.0  # 12:50
OLD = [
    "ip-10-30-11-204.eu-central-1.compute.internal",
    "ip-10-30-27-96.eu-central-1.compute.internal",
    "ip-10-30-40-17.eu-central-1.compute.internal",
]
NEW = [
    "ip-10-30-13-250.eu-central-1.compute.internal",
    "ip-10-30-29-41.eu-central-1.compute.internal",
    "ip-10-30-44-138.eu-central-1.compute.internal",
]
OLD_PODS = [
    "orders-api-7f9b6d5c84-2kq7t",
    "orders-api-7f9b6d5c84-fw8xn",
    "orders-api-7f9b6d5c84-p4zcm",
    "orders-api-7f9b6d5c84-vr6hd",
]
NEW_PODS = ["orders-api-7f9b6d5c84-8mtj2", "orders-api-7f9b6d5c84-x2wlb"]
PROXY = "kube-proxy-7xq4d"


class Klog:
    """klog's `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg`, the logger holding `file:line`."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
        return [f"{record.level[0]}{stamp}       1 {record.logger}] {record.message}"]


def ok(rng: random.Random) -> Line:
    pod = rng.choice(OLD_PODS)
    roll = rng.random()
    if roll < 0.6:
        return "info", f"pod={pod} POST /v1/orders 201 {rng.randrange(20, 160)}ms", ()
    if roll < 0.9:
        return (
            "info",
            f"pod={pod} GET /v1/orders/{rng.randrange(10**7)} 200 {rng.randrange(3, 60)}ms",
            (),
        )
    return "warn", f"pod={pod} GET /v1/orders/{rng.randrange(10**7)} 404 order not found", ()


def broken(rng: random.Random) -> Line:
    pod = rng.choice(NEW_PODS)
    target = rng.choice(
        [
            ("orders-db", "10.100.61.20:5432"),
            ("redis-sessions", "10.100.148.7:6379"),
            ("payments", "10.100.9.233:80"),
        ]
    )
    return (
        "error",
        f'pod={pod} POST /v1/orders 500 {rng.randrange(3000, 3100)}ms err="{target[0]}: dial tcp {target[1]}: i/o timeout"',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1164)
    total = (NOW - START).total_seconds() / 60
    orders = LogFile(
        "logs/orders-api.log", JsonLines("orders-api", keys=("time", "level", "message"), rng=rng)
    )
    orders.add(traffic(rng, ok, START, total, 4600))
    orders.add(loud(rng, START, JOIN + 6.0, total - JOIN - 6.2, 1500, broken))
    orders.add(
        [
            at(
                START,
                9.4,
                "WARN",
                "pod=orders-api-7f9b6d5c84-fw8xn slow query on orders-db: SELECT ... FROM order_lines WHERE order_id = ANY($1) took 2412ms",
            )
        ]
    )
    proxy = LogFile(f"logs/{PROXY}-previous.log", Klog())
    begin = datetime(2025, 4, 17, 13, 41, 7, 301554, tzinfo=UTC)
    lines = [
        (0.000, "I", "flags.go:64", 'FLAG: --config="/var/lib/kube-proxy-config/config"'),
        (
            0.002,
            "I",
            "flags.go:64",
            'FLAG: --hostname-override="ip-10-30-29-41.eu-central-1.compute.internal"',
        ),
        (0.031, "I", "feature_gate.go:254", "feature gates: &{map[]}"),
        (0.118, "I", "server.go:1062", '"Successfully retrieved node IP(s)" IPs=["10.30.29.41"]'),
        (0.121, "I", "conntrack.go:58", '"Setting nf_conntrack_max" nfConntrackMax=262144'),
        (
            0.140,
            "E",
            "server_linux.go:157",
            '"Can\'t use the IPVS proxier" err="IPVS proxier will not be used because the following required kernel modules are not loaded: [ip_vs ip_vs_rr ip_vs_wrr ip_vs_sh]"',
        ),
        (
            0.141,
            "E",
            "run.go:74",
            '"command failed" err="can\'t use the IPVS proxier: IPVS proxier will not be used because the following required kernel modules are not loaded: [ip_vs ip_vs_rr ip_vs_wrr ip_vs_sh]"',
        ),
    ]
    for seconds, level, where, message in lines:
        proxy.records.append(
            Record(
                begin + timedelta(seconds=seconds),
                {"I": "INFO", "E": "ERROR", "W": "WARN"}[level],
                message,
                (),
                where,
            )
        )
    autoscaler = LogFile("logs/cluster-autoscaler.log", Klog())
    autoscaler.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    "No unschedulable pods" if r.random() < 0.7 else "Calculating unneeded nodes"
                ),
            ),
            START,
            total,
            500,
            logger="static_autoscaler.go:589",
        )
    )
    autoscaler.add(
        [
            at(
                START,
                JOIN - 1.6,
                "INFO",
                "Pod orders/orders-api-7f9b6d5c84-8mtj2 is unschedulable",
                logger="klogx.go:87",
            ),
            at(
                START,
                JOIN - 1.5,
                "INFO",
                "Best option to resize: eks-general-v3-2ac8f1e0-5c4b-93d1-7e22-0d8b1f44a6c9",
                logger="orchestrator.go:188",
            ),
            at(
                START,
                JOIN - 1.4,
                "INFO",
                "Final scale-up plan: [{eks-general-v3-2ac8f1e0-5c4b-93d1-7e22-0d8b1f44a6c9 0->3 (max: 12)}]",
                logger="orchestrator.go:239",
            ),
            at(
                START,
                JOIN - 1.35,
                "INFO",
                "Scale-up: setting group eks-general-v3-2ac8f1e0-5c4b-93d1-7e22-0d8b1f44a6c9 size to 3",
                logger="executor.go:147",
            ),
        ]
    )
    proxies = [("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE")]
    proxies += [
        (
            f"kube-proxy-{name}",
            "1/1",
            "Running",
            "0",
            "23d",
            f"10.30.{node.split('-')[3]}.{node.split('-')[4].split('.')[0]}",
            node,
        )
        for name, node in zip(["9bn2f", "hk5wz", "tr8qm"], OLD, strict=True)
    ]
    proxies += [
        (
            f"kube-proxy-{name}",
            "0/1",
            "CrashLoopBackOff",
            restarts,
            "56m",
            f"10.30.{node.split('-')[3]}.{node.split('-')[4].split('.')[0]}",
            node,
        )
        for name, node, restarts in zip(
            ["c5l9v", PROXY[11:], "m2j6s"],
            NEW,
            ["15 (4m ago)", "15 (5m ago)", "15 (2m50s ago)"],
            strict=True,
        )
    ]
    nodes = [("NAME", "STATUS", "ROLES", "AGE", "VERSION", "NODEGROUP")]
    nodes += [(node, "Ready", "<none>", "23d", "v1.31.5-eks-5d632ec", "general-v2") for node in OLD]
    nodes += [(node, "Ready", "<none>", "56m", "v1.31.5-eks-5d632ec", "general-v3") for node in NEW]
    pods = [("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE")]
    for pod, node in zip(OLD_PODS, OLD + OLD[:1], strict=True):
        pods.append(
            (
                pod,
                "1/1",
                "Running",
                "0",
                "4d6h",
                f"10.30.{node.split('-')[3]}.{rng.randrange(2, 250)}",
                node,
            )
        )
    for pod, node in zip(NEW_PODS, NEW[1:], strict=True):
        pods.append(
            (
                pod,
                "1/1",
                "Running",
                "0",
                "53m",
                f"10.30.{node.split('-')[3]}.{rng.randrange(2, 250)}",
                node,
            )
        )
    kubectl = "\n".join(
        [
            "$ kubectl get nodes -L eks.amazonaws.com/nodegroup",
            *table(nodes[0], nodes[1:]),
            "",
            "$ kubectl -n orders get pods -o wide",
            *table(pods[0], pods[1:]),
            "",
            "$ kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide",
            *table(proxies[0], proxies[1:]),
            "",
            "$ kubectl -n kube-system get cm kube-proxy-config -o jsonpath='{.data.config}' | grep -E '^(mode|  scheduler|  strictARP)'",
            '  scheduler: "rr"',
            "  strictARP: false",
            'mode: "ipvs"',
            "",
            "$ kubectl -n kube-system logs ds/aws-node --since=2h | grep -i warn | tail -1",
            '{"level":"warn","ts":"2025-04-17T12:52:40.118Z","caller":"ipamd/ipamd.go:1240","msg":"IP pool is too low: available (0) < ENI target (1) * addrsPerENI (14)"}',
            "",
        ]
    )
    notes = "\n".join(
        [
            "13:02 Alert OrdersApi5xx > 2%. Only some pods affected (8mtj2, x2wlb); restarting them did not help, new ones land on the same nodes.",
            "13:15 orders-db CPU 22%, connections 140/2000, nothing in RDS logs. payments and redis fine from other pods.",
            "13:20 general-v3 = new node group with the hardened AMI (SEC-311), rolled in by the autoscaler today.",
            "",
        ]
    )
    files = {
        "notes.txt": notes,
        "kubectl.txt": kubectl,
        "logs/orders-api.log": orders.render(),
        f"logs/{PROXY}-previous.log": proxy.render(),
        "logs/cluster-autoscaler.log": autoscaler.render(),
    }
    return Bundle(
        question="Since about 12:56 UTC a third of orders-api's requests fail with i/o timeouts to orders-db, redis and payments; the databases look healthy. What is the root cause?",
        category="network",
        component="kube-proxy",
        statement="kube-proxy runs in IPVS mode, but the hardened AMI of the general-v3 node group (joined 12:50 UTC) lacks the ip_vs kernel modules; kube-proxy on those nodes exits at start (can't use the IPVS proxier) and crash-loops, so pods there have no Service rules and every ClusterIP call from orders-api's pods on general-v3 times out.",
        files=files,
        proofs=[
            Proof(
                f"logs/{PROXY}-previous.log", '"command failed" err="can\'t use the IPVS proxier'
            ),
            Proof("kubectl.txt", "kube-proxy-c5l9v", "kube-proxy-m2j6s"),
        ],
        decoys=[
            "Final scale-up plan",
            "IP pool is too low",
            "slow query on orders-db",
        ],
    )
