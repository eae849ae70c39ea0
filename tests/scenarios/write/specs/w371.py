# ruff: noqa: E501
# kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: the billing-worker chart 0.9.0 (helm upgrade at 08:12 UTC) added a NetworkPolicy
`billing-worker-egress` with `policyTypes: [Egress]` that allows only PostgreSQL (5432) and the
payment provider's range (443). It has no rule for DNS, so the pods' lookups to kube-dns
(UDP/TCP 53) are dropped: the new pods fail `Temporary failure in name resolution` on start and
crash-loop, and invoices stop being issued. CoreDNS itself is healthy. Decoys: a CoreDNS health
check warning, an HPA event on another app, and a node's image garbage collection warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import PythonLogging, Record
from scenes import at, python_traceback
from traffic import Line, traffic

START = datetime(2026, 4, 22, 7, 40, tzinfo=UTC)
NOW = datetime(2026, 4, 22, 8, 31, tzinfo=UTC)
UPGRADE = 32.0
NODES = [
    "ip-10-42-17-88.eu-west-1.compute.internal",
    "ip-10-42-33-140.eu-west-1.compute.internal",
    "ip-10-42-51-9.eu-west-1.compute.internal",
]
POLICY = """$ kubectl -n billing get networkpolicy billing-worker-egress -o yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  annotations:
    meta.helm.sh/release-name: billing-worker
    meta.helm.sh/release-namespace: billing
  creationTimestamp: "2026-04-22T08:12:37Z"
  generation: 1
  labels:
    app.kubernetes.io/managed-by: Helm
    app.kubernetes.io/name: billing-worker
    helm.sh/chart: billing-worker-0.9.0
  name: billing-worker-egress
  namespace: billing
  resourceVersion: "88412907"
  uid: 4f1d2c8e-7a9b-4e61-b3d2-91c0a7e5f214
spec:
  egress:
  - ports:
    - port: 5432
      protocol: TCP
    to:
    - podSelector:
        matchLabels:
          app: ledger-db
  - ports:
    - port: 443
      protocol: TCP
    to:
    - ipBlock:
        cidr: 198.51.100.0/24
  podSelector:
    matchLabels:
      app: billing-worker
  policyTypes:
  - Egress
"""


@dataclass
class Raw:
    def render(self, record: Record) -> list[str]:
        return [record.message, *record.trailer]


def worker_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f"issued invoice INV-2026-{rng.randrange(10**5, 10**6)} for account {rng.randrange(10**4, 10**5)} amount={rng.randrange(10, 900)}.{rng.randrange(100):02d} EUR",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"captured payment intent pi_{rng.getrandbits(48):012x} via psp.pay-gw.example.net in {rng.randrange(90, 400)}ms",
            (),
        )
    return "DEBUG", f"poll: {rng.randrange(0, 30)} invoices due in batch window", ()


def coredns_line(rng: random.Random) -> Line:
    name = rng.choice(
        [
            "ledger-db.billing.svc.cluster.local.",
            "orders.shop.svc.cluster.local.",
            "redis.cache.svc.cluster.local.",
            "sqs.eu-west-1.amazonaws.com.",
            "catalog.shop.svc.cluster.local.",
        ]
    )
    ip = f"10.42.{rng.randrange(0, 64)}.{rng.randrange(2, 254)}"
    return (
        "INFO",
        f'[INFO] {ip}:{rng.randrange(30000, 60000)} - {rng.randrange(1, 65535)} "{rng.choice(["A", "AAAA"])} IN {name} udp {rng.randrange(40, 90)} false 512" NOERROR qr,aa,rd {rng.randrange(90, 300)} 0.000{rng.randrange(100, 999)}s',
        (),
    )


def crash(rng: random.Random, attempt: int) -> list[str]:
    return python_traceback(
        [
            ("/app/worker/main.py", 41, "<module>", "run()"),
            ("/app/worker/main.py", 33, "run", "pool = db.connect(settings.DATABASE_URL)"),
            (
                "/usr/local/lib/python3.12/site-packages/psycopg/connection.py",
                119,
                "connect",
                "raise last_ex.with_traceback(None)",
            ),
        ],
        'psycopg.OperationalError: [Errno -3] Temporary failure in name resolution: failed to resolve host "ledger-db.billing.svc.cluster.local"',
    )


def bundle() -> Bundle:
    rng = random.Random(371_6620)
    old = LogFile("x", PythonLogging(("worker.invoices", "worker.psp"), rng=rng))
    old.add(traffic(rng, worker_line, START, UPGRADE, 1400))
    new = LogFile("y", PythonLogging(("worker.main",), rng=rng))
    t = 46.99
    new.add(
        [
            at(START, t, "INFO", "billing-worker 3.14.0 starting (batch_window=60s)"),
            at(START, t + 0.01, "INFO", "connecting to ledger-db.billing.svc.cluster.local:5432"),
        ]
    )
    new.add(
        [
            at(
                START,
                t + 0.2,
                "ERROR",
                "could not connect to ledger-db after 5 attempts, exiting",
                crash(rng, 1),
            )
        ]
    )
    old_text = old.render()
    new_text = (
        "$ kubectl -n billing logs billing-worker-7b8f4d9c65-z8mhd --previous\n" + new.render()
    )
    dns = LogFile("kubectl-logs-coredns.txt", Raw())
    dns.add(traffic(rng, coredns_line, START, 51, 2600))
    dns.add(
        [
            at(
                START,
                21.4,
                "WARN",
                '[WARNING] plugin/health: Local health request to "http://:8080/health" took more than 1s: 1.204511937s',
            )
        ]
    )
    pods = [
        Pod(
            name="billing-worker-7b8f4d9c65-z8mhd",
            namespace="billing",
            node=NODES[1],
            app="billing-worker",
            ip="10.42.33.201",
            start_time="Wed, 22 Apr 2026 08:12:41 +0000",
            status="Running",
            conditions={
                "Initialized": "True",
                "Ready": "False",
                "ContainersReady": "False",
                "PodScheduled": "True",
            },
            containers=[
                Container(
                    name="billing-worker",
                    image="registry.example.com/billing/billing-worker:3.14.0",
                    state=["Waiting", "  Reason:       CrashLoopBackOff"],
                    last_state=[
                        "Terminated",
                        "  Reason:       Error",
                        "  Exit Code:    1",
                        "  Started:      Wed, 22 Apr 2026 08:26:59 +0000",
                        "  Finished:     Wed, 22 Apr 2026 08:27:13 +0000",
                    ],
                    ready=False,
                    restarts=7,
                    limits={"memory": "512Mi"},
                    requests={"cpu": "200m", "memory": "256Mi"},
                    environment=[
                        "DATABASE_URL:  <set to the key 'url' in secret 'ledger-db-credentials'>  Optional: false",
                        "PSP_ENDPOINT:  https://psp.pay-gw.example.net/v2",
                    ],
                    port="<none>",
                )
            ],
            events=[
                (
                    "Normal",
                    "Scheduled",
                    "18m",
                    "default-scheduler",
                    f"Successfully assigned billing/billing-worker-7b8f4d9c65-z8mhd to {NODES[1]}",
                ),
                (
                    "Normal",
                    "Pulled",
                    "18m",
                    "kubelet",
                    'Successfully pulled image "registry.example.com/billing/billing-worker:3.14.0" in 2.114s',
                ),
                (
                    "Normal",
                    "Created",
                    "4m (x8 over 18m)",
                    "kubelet",
                    "Created container billing-worker",
                ),
                (
                    "Normal",
                    "Started",
                    "4m (x8 over 18m)",
                    "kubelet",
                    "Started container billing-worker",
                ),
                (
                    "Warning",
                    "BackOff",
                    "52s (x71 over 17m)",
                    "kubelet",
                    "Back-off restarting failed container billing-worker in pod billing-worker-7b8f4d9c65-z8mhd_billing(0c7e1f44-8a21-4b5e-9d0f-2f6a3b9c1d87)",
                ),
            ],
        )
    ]
    rows = [
        (
            "billing-worker-7b8f4d9c65-z8mhd",
            "0/1",
            "CrashLoopBackOff",
            "7 (52s ago)",
            "18m",
            "10.42.33.201",
            NODES[1],
        ),
        (
            "billing-worker-7b8f4d9c65-r2n6p",
            "0/1",
            "CrashLoopBackOff",
            "7 (1m3s ago)",
            "18m",
            "10.42.51.77",
            NODES[2],
        ),
        ("ledger-db-0", "1/1", "Running", "0", "41d", "10.42.17.140", NODES[0]),
        ("invoice-api-6d4c8b7f9-5ptwq", "1/1", "Running", "0", "3d2h", "10.42.17.31", NODES[0]),
        ("invoice-api-6d4c8b7f9-kx7jd", "1/1", "Running", "0", "3d2h", "10.42.51.12", NODES[2]),
    ]
    get_pods = (
        "$ kubectl -n billing get pods -o wide\n"
        + "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"), rows))
        + "\n"
    )
    get_pods += (
        "\n$ kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide\n"
        + "\n".join(
            table(
                ("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"),
                [
                    (
                        "coredns-5d78c9869d-7hq2x",
                        "1/1",
                        "Running",
                        "0",
                        "12d",
                        "10.42.17.5",
                        NODES[0],
                    ),
                    (
                        "coredns-5d78c9869d-ngw4c",
                        "1/1",
                        "Running",
                        "0",
                        "12d",
                        "10.42.33.6",
                        NODES[1],
                    ),
                ],
            )
        )
        + "\n"
    )
    get_pods += (
        "\n$ kubectl -n billing get networkpolicy\n"
        + "\n".join(
            table(
                ("NAME", "POD-SELECTOR", "AGE"),
                [
                    ("billing-worker-egress", "app=billing-worker", "19m"),
                    ("default-allow-same-namespace", "<none>", "214d"),
                ],
            )
        )
        + "\n"
    )
    routine = routine_events(
        rng, ["invoice-api", "statement-renderer"], 40, NODES, namespace="billing"
    )
    signal = [
        (
            1080,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/billing-worker",
                "Scaled up replica set billing-worker-7b8f4d9c65 to 2",
            ),
        ),
        (
            1070,
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/billing-worker",
                "Scaled down replica set billing-worker-5c9d7f6b8 to 0 from 2",
            ),
        ),
        (
            52,
            (
                "Warning",
                "BackOff",
                "pod/billing-worker-7b8f4d9c65-z8mhd",
                "Back-off restarting failed container billing-worker in pod billing-worker-7b8f4d9c65-z8mhd_billing(0c7e1f44-8a21-4b5e-9d0f-2f6a3b9c1d87)",
            ),
        ),
        (
            63,
            (
                "Warning",
                "BackOff",
                "pod/billing-worker-7b8f4d9c65-r2n6p",
                "Back-off restarting failed container billing-worker in pod billing-worker-7b8f4d9c65-r2n6p_billing(a91d3e70-2c4b-4f8e-8e1a-7b5c0d2e9f33)",
            ),
        ),
        (
            1500,
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/invoice-api",
                "New size: 2; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            2400,
            (
                "Warning",
                "ImageGCFailed",
                f"node/{NODES[2]}",
                "wanted to free 1288490188 bytes, but freed 0 bytes space with errors in image deletion",
            ),
        ),
    ]
    files = {
        "kubectl-get-networkpolicy-billing-worker-egress.yaml.txt": POLICY,
        "kubectl-get-pods.txt": get_pods,
        "kubectl-describe-pod-billing-worker.txt": f"$ kubectl -n billing describe pod {pods[0].name}\n"
        + describe_pod(pods[0], rng),
        "kubectl-get-events.txt": "$ kubectl -n billing get events --sort-by=.lastTimestamp\n"
        + event_listing(routine, signal),
        "kubectl-logs-billing-worker-previous.txt": new_text,
        "billing-worker-log-export-0740-0813.txt": old_text,
        "kubectl-logs-coredns.txt": "$ kubectl -n kube-system logs coredns-5d78c9869d-ngw4c --since=1h\n"
        + dns.render(),
    }
    return Bundle(
        question="Invoices stopped going out after this morning's billing-worker upgrade; the new pods crash-loop saying they cannot resolve ledger-db. CoreDNS pods look fine. What is the root cause?",
        category="network",
        component="billing-worker",
        statement="The billing-worker chart 0.9.0 added the NetworkPolicy billing-worker-egress with policyTypes Egress that allows only TCP 5432 to ledger-db and 443 to the provider; with no rule for DNS to kube-dns on port 53, the pods' name lookups are dropped, so they fail `Temporary failure in name resolution` and crash-loop.",
        files=files,
        proofs=[
            Proof(
                "kubectl-get-networkpolicy-billing-worker-egress.yaml.txt",
                "  egress:",
                "cidr: 198.51.100.0/24",
            ),
            Proof("kubectl-get-networkpolicy-billing-worker-egress.yaml.txt", "  - Egress"),
        ],
        decoys=[
            "plugin/health: Local health request",
            "cpu resource utilization (percentage of request) above target",
            "ImageGCFailed",
        ],
    )
