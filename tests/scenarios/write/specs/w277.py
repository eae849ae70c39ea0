# ruff: noqa: E501
# kubectl rows, klog lines and pasted drain output are data, kept whole on one line.
"""Kubernetes: a node group upgrade stalls because ledger-api's PodDisruptionBudget keeps
`minAvailable: 3` while a values change cut the Deployment to 3 replicas. Allowed disruptions
stay at 0, so `kubectl drain` (and the managed upgrade behind it) retries the eviction for ever
and the cluster-autoscaler cannot scale the old nodes down. Loud: the drain's retry loop and the
upgrade's PodEvictionFailure. Decoys: a DaemonSet warning in the drain, a slow query warning in
ledger-api, and a readiness failure of another app."""

import random
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events, table
from records import JsonLines, Record
from scenes import at, loud
from traffic import traffic, web_api

ZONE = ZoneInfo("Europe/Berlin")
START = datetime(2026, 4, 14, 13, 10, tzinfo=ZONE)
NOW = datetime(2026, 4, 14, 15, 25, tzinfo=ZONE)
UPGRADE = 50.0  # 14:00 local
OLD = [
    "ip-10-42-11-87.eu-central-1.compute.internal",
    "ip-10-42-12-140.eu-central-1.compute.internal",
    "ip-10-42-13-19.eu-central-1.compute.internal",
]
NEW = [
    "ip-10-42-11-203.eu-central-1.compute.internal",
    "ip-10-42-12-9.eu-central-1.compute.internal",
]
VICTIM = "ledger-api-6b8f9c7d54-q2xkt"


@dataclass
class Klog:
    """klog's header: `I0414 12:01:02.123456       1 file.go:123] message`, in UTC."""

    def render(self, record: Record) -> list[str]:
        utc = record.time.astimezone(ZoneInfo("UTC"))
        letter = {"INFO": "I", "WARN": "W", "ERROR": "E", "DEBUG": "I", "FATAL": "F"}[record.level]
        source = record.logger or "static_autoscaler.go:290"
        return [
            f"{letter}{utc:%m%d %H:%M:%S}.{utc.microsecond:06d}       1 {source}] {record.message}"
        ]


def autoscaler_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    node = rng.choice(OLD + NEW)
    return rng.choice(
        [
            ("INFO", "Scale-down calculation: ignoring 1 nodes unremovable in the last 5m0s", ()),
            ("INFO", f"Node {node} - cpu utilization {rng.uniform(0.2, 0.8):.6f}", ()),
            ("INFO", "No unschedulable pods", ()),
            (
                "INFO",
                f"Node {node} is not suitable for removal - cpu utilization too big ({rng.uniform(0.5, 0.9):.6f})",
                (),
            ),
            ("INFO", "Starting main loop", ()),
            (
                "INFO",
                f"Pod kube-system/aws-node-{rng.getrandbits(20):05x} is a DaemonSet pod, skipping",
                (),
            ),
        ]
    )


def bundle() -> Bundle:
    rng = random.Random(27701)
    total = (NOW - START).total_seconds() / 60
    ca = LogFile("logs/cluster-autoscaler.log", Klog())
    ca.add(traffic(rng, autoscaler_line, START, total, 2600))
    ca.add(
        loud(
            rng,
            START,
            UPGRADE + 6,
            total - UPGRADE - 7,
            120,
            lambda r: (
                "INFO",
                f"Node {OLD[1]} cannot be removed: not enough pod disruption budget to move ledger/{VICTIM}",
                (),
            ),
        )
    )
    ledger = LogFile(
        "logs/ledger-api.log",
        JsonLines("ledger-api", keys=("@timestamp", "level", "message"), rng=rng, zone=ZONE),
    )
    ledger.add(
        traffic(rng, web_api("ledger-api", ["entries", "accounts", "postings"]), START, total, 3200)
    )
    ledger.add(
        [
            at(
                START,
                71.2,
                "WARN",
                "slow query (1840 ms): SELECT * FROM postings WHERE account_id = $1 ORDER BY booked_at DESC LIMIT 500",
            ),
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["ledger-api", "fx-rates", "statement-worker"], 24, OLD + NEW, namespace="ledger"
    )
    signal = [
        (
            ago(UPGRADE + 1),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{OLD[0]}",
                f"Node {OLD[0]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(UPGRADE + 4),
            (
                "Normal",
                "Killing",
                "pod/statement-worker-58d6c4b9f-h7r2m",
                "Stopping container statement-worker",
            ),
        ),
        (
            ago(UPGRADE + 5),
            (
                "Normal",
                "NodeNotSchedulable",
                f"node/{OLD[1]}",
                f"Node {OLD[1]} status is now: NodeNotSchedulable",
            ),
        ),
        (
            ago(UPGRADE + 6),
            ("Normal", "Killing", "pod/fx-rates-7d94b6c85-wq6ps", "Stopping container fx-rates"),
        ),
        (
            ago(88),
            (
                "Warning",
                "Unhealthy",
                "pod/fx-rates-7d94b6c85-b5n8d",
                'Readiness probe failed: Get "http://10.42.12.77:8081/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
    ]
    events = event_listing(routine, signal)

    drain = [
        f"$ kubectl drain {OLD[1]} --ignore-daemonsets --delete-emptydir-data --timeout=0s",
        f"node/{OLD[1]} cordoned",
        "Warning: ignoring DaemonSet-managed Pods: kube-system/aws-node-5xk2p, kube-system/ebs-csi-node-q8v7d, kube-system/kube-proxy-m4h9s, monitoring/node-exporter-c2r6t",
        f"evicting pod ledger/{VICTIM}",
        "evicting pod ledger/fx-rates-7d94b6c85-wq6ps",
        "evicting pod ledger/statement-worker-58d6c4b9f-zz4lk",
    ]
    for i in range(14):
        drain.append(
            f'error when evicting pods/"{VICTIM}" -n "ledger" (will retry after 5s): Cannot evict pod as it would violate the pod\'s disruption budget.'
        )
        if i == 1:
            drain += [
                "pod/fx-rates-7d94b6c85-wq6ps evicted",
                "pod/statement-worker-58d6c4b9f-zz4lk evicted",
            ]
        if i == 3:
            drain.append(f"evicting pod ledger/{VICTIM}")
    drain += ["^C", ""]

    pdbs = table(
        ("NAMESPACE", "NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"),
        [
            ("kube-system", "coredns", "N/A", "1", "1", "212d"),
            ("kube-system", "ebs-csi-controller", "N/A", "1", "1", "212d"),
            ("ledger", "fx-rates", "1", "N/A", "1", "97d"),
            ("ledger", "ledger-api", "3", "N/A", "0", "97d"),
            ("ledger", "statement-worker", "N/A", "1", "1", "41d"),
            ("monitoring", "prometheus-server", "N/A", "1", "1", "160d"),
        ],
    )
    pdb_yaml = [
        "$ kubectl -n ledger get pdb ledger-api -o yaml",
        "apiVersion: policy/v1",
        "kind: PodDisruptionBudget",
        "metadata:",
        "  annotations:",
        "    meta.helm.sh/release-name: ledger-api",
        "    meta.helm.sh/release-namespace: ledger",
        '  creationTimestamp: "2026-01-07T09:41:12Z"',
        "  generation: 1",
        "  labels:",
        "    app.kubernetes.io/managed-by: Helm",
        "    app.kubernetes.io/name: ledger-api",
        "  name: ledger-api",
        "  namespace: ledger",
        "spec:",
        "  minAvailable: 3",
        "  selector:",
        "    matchLabels:",
        "      app.kubernetes.io/name: ledger-api",
        "status:",
        "  conditions:",
        '  - lastTransitionTime: "2026-04-09T08:15:40Z"',
        '    message: ""',
        "    observedGeneration: 1",
        "    reason: InsufficientPods",
        '    status: "False"',
        "    type: DisruptionAllowed",
        "  currentHealthy: 3",
        "  desiredHealthy: 3",
        "  disruptionsAllowed: 0",
        "  expectedPods: 3",
        "  observedGeneration: 1",
        "",
        "$ helm -n ledger get values ledger-api --revision 31 | grep -E 'replicaCount|minAvailable'",
        "replicaCount: 5",
        "  minAvailable: 3",
        "$ helm -n ledger get values ledger-api --revision 32 | grep -E 'replicaCount|minAvailable'",
        "replicaCount: 3     # cost review FIN-2207, 09 Apr",
        "  minAvailable: 3",
        "",
    ]
    nodegroup = "\n".join(
        [
            "$ aws eks describe-update --name eu-prod-1 --nodegroup-name ng-general-v2 --update-id 4f1d0c2e-7b83-3a95-9e64-2d8b1f7ac530 --output yaml",
            "update:",
            "  createdAt: '2026-04-14T14:00:07.412000+02:00'",
            "  errors:",
            "  - errorCode: PodEvictionFailure",
            "    errorMessage: Reached max retries while trying to evict pods from nodes in node group ng-general-v2",
            "    resourceIds:",
            f"    - {OLD[1]}",
            "  id: 4f1d0c2e-7b83-3a95-9e64-2d8b1f7ac530",
            "  params:",
            "  - type: ReleaseVersion",
            "    value: 1.31.4-20260402",
            "  status: InProgress",
            "  type: VersionUpdate",
            "",
        ]
    )
    return Bundle(
        question="The ng-general-v2 node group upgrade started at 14:00 (Berlin time) and has been stuck on the second node for over an hour; the manual drain never finishes either. What is blocking it?",
        category="configuration",
        component="ledger-api",
        statement="ledger-api's PodDisruptionBudget still requires minAvailable: 3 after helm revision 32 cut the Deployment to 3 replicas, so disruptionsAllowed is 0: every eviction of a ledger-api pod is refused and the drain, the managed node group upgrade and the autoscaler's scale-down all stall.",
        files={
            "kubectl-drain.txt": "\n".join(drain),
            "kubectl-get-pdb.txt": "$ kubectl get pdb -A\n"
            + "\n".join(pdbs)
            + "\n\n"
            + "\n".join(pdb_yaml),
            "eks-nodegroup-update.yaml": nodegroup,
            "kubectl-get-events.txt": events,
            "logs/cluster-autoscaler.log": ca.render(),
            "logs/ledger-api.log": ledger.render(),
        },
        proofs=[
            Proof("kubectl-get-pdb.txt", "ledger        ledger-api"),
            Proof("kubectl-get-pdb.txt", "  disruptionsAllowed: 0"),
            Proof("kubectl-get-pdb.txt", "replicaCount: 3"),
        ],
        decoys=[
            "Warning: ignoring DaemonSet-managed Pods",
            "slow query (1840 ms)",
            'Readiness probe failed: Get "http://10.42.12.77:8081/ready"',
        ],
    )
