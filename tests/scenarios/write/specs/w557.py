# ruff: noqa: E501
# kubectl rows, YAML and hand-written log lines are data, kept whole on one line.
"""Kubernetes, zonal volume: last night's node group upgrade (02:05-02:35 UTC) replaced the
worker nodes, and the new launch template only lists subnets in us-east-2a and us-east-2c. The
single-replica StatefulSet invoice-db (PostgreSQL) was evicted by the drain at 02:37; its gp3
PersistentVolume lives in us-east-2b, so invoice-db-0 stays Pending: `volume node affinity
conflict` on every node. With no ready pod the headless service has no address, and invoice-api
logs loud `could not translate host name` errors, which look like DNS. Decoys: a CoreDNS upstream
timeout, billing-worker's HPA metrics warning, invoice-api's own name errors, a PDB note."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Logfmt, PythonLogging
from scenes import at, loud, python_traceback
from traffic import traffic, web_api, worker

START = datetime(2026, 10, 6, 1, 30, tzinfo=UTC)
NOW = datetime(2026, 10, 6, 4, 10, tzinfo=UTC)
EVICT = 67.0  # 02:37
NODES = [
    "ip-10-42-17-201.us-east-2.compute.internal",
    "ip-10-42-21-88.us-east-2.compute.internal",
    "ip-10-42-49-163.us-east-2.compute.internal",
    "ip-10-42-53-12.us-east-2.compute.internal",
]
SCHED = "0/4 nodes are available: 4 node(s) had volume node affinity conflict. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."


def bundle() -> Bundle:
    rng = random.Random(55771)
    total = (NOW - START).total_seconds() / 60
    api = LogFile(
        "logs/invoice-api.log",
        PythonLogging(("invoice_api.views", "invoice_api.render", "uvicorn.access"), rng=rng),
    )
    api.add(
        traffic(rng, web_api("invoice-api", ["invoices", "customers", "pdf"]), START, total, 4300)
    )
    api.add(
        [
            at(
                START,
                EVICT + 0.1,
                "WARN",
                "psycopg_pool: discarding closed connection: server closed the connection unexpectedly",
                logger="psycopg.pool",
            )
        ]
    )

    def name_error(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        return (
            "ERROR",
            f"GET /v1/invoices/{r.randrange(10**7)} failed",
            tuple(
                python_traceback(
                    [
                        (
                            "/app/invoice_api/db.py",
                            58,
                            "connection",
                            "conn = pool.getconn(timeout=5)",
                        ),
                        (
                            "/usr/local/lib/python3.12/site-packages/psycopg_pool/pool.py",
                            203,
                            "getconn",
                            "raise PoolTimeout(",
                        ),
                    ],
                    'psycopg.OperationalError: connection failed: could not translate host name "invoice-db-0.invoice-db.billing.svc.cluster.local" to address: Name or service not known',
                )
            ),
        )

    api.add(loud(rng, START, EVICT + 0.4, total - EVICT - 0.5, 520, name_error))
    wk = LogFile("logs/billing-worker.log", Logfmt("billing-worker", rng=rng))
    wk.add(
        traffic(
            rng,
            worker("billing-worker", ["invoice.requested", "payment.settled"]),
            START,
            total,
            2200,
        )
    )
    wk.add(
        loud(
            rng,
            START,
            EVICT + 0.6,
            total - EVICT - 0.7,
            240,
            lambda r: (
                "ERROR",
                f"job invoice.render id={r.getrandbits(40):010x} failed: upstream invoice-api returned 500, will retry (attempt {r.randrange(1, 6)}/5)",
                (),
            ),
        )
    )
    dns = LogFile("logs/coredns.log", Logfmt("coredns", rng=rng))
    dns.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'[INFO] 10.42.{r.randrange(16, 60)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} - {r.randrange(1, 65535)} "A IN {r.choice(["invoice-api.billing.svc.cluster.local.", "sqs.us-east-2.amazonaws.com.", "billing-worker.billing.svc.cluster.local."])} udp 64 false 512" NOERROR qr,aa,rd 118 0.000{r.randrange(100, 999)}s',
                (),
            ),
            START,
            total,
            900,
        )
    )
    dns.add(
        [
            at(
                START,
                31.4,
                "ERROR",
                "[ERROR] plugin/errors: 2 sts.us-east-2.amazonaws.com. AAAA: read udp 10.42.21.14:51122->10.42.0.2:53: i/o timeout",
            )
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["invoice-api", "billing-worker", "statement-cron"], 20, NODES, namespace="billing"
    )
    signal = [
        (
            ago(EVICT - 0.2),
            ("Normal", "Killing", "pod/invoice-db-0", "Stopping container postgres"),
        ),
        (
            ago(EVICT - 0.25),
            (
                "Normal",
                "Evicted",
                "pod/invoice-db-0",
                "Evicted pod: drain of node ip-10-42-33-97.us-east-2.compute.internal",
            ),
        ),
        (
            ago(EVICT + 0.5),
            (
                "Normal",
                "SuccessfulCreate",
                "statefulset/invoice-db",
                "create Pod invoice-db-0 in StatefulSet invoice-db successful",
            ),
        ),
        (ago(total - 2.5), ("Warning", "FailedScheduling", "pod/invoice-db-0", SCHED)),
        (
            ago(EVICT + 2),
            (
                "Normal",
                "NotTriggerScaleUp",
                "pod/invoice-db-0",
                "pod didn't trigger scale-up: 2 node(s) had volume node affinity conflict",
            ),
        ),
        (
            ago(EVICT - 5),
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/billing-worker",
                "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
            ),
        ),
        (
            ago(EVICT - 1),
            ("Normal", "NoPods", "poddisruptionbudget/invoice-db", "No matching pods found"),
        ),
    ]
    events = event_listing(routine, signal)
    pod = Pod(
        name="invoice-db-0",
        namespace="billing",
        node="",
        app="invoice-db",
        status="Pending",
        start_time="",
        controller="StatefulSet/invoice-db",
        labels=[
            "app=invoice-db",
            "apps.kubernetes.io/pod-index=0",
            "controller-revision-hash=invoice-db-7c9b5d6f48",
            "statefulset.kubernetes.io/pod-name=invoice-db-0",
        ],
        containers=[
            Container(
                "postgres",
                "public.ecr.aws/docker/library/postgres:16.4",
                state=[],
                port="5432/TCP",
                limits={"memory": "4Gi"},
                requests={"cpu": "1", "memory": "4Gi"},
            )
        ],
        conditions={"PodScheduled": "False"},
        volumes=[
            "  pgdata:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  pgdata-invoice-db-0",
            "    ReadOnly:   false",
        ],
        events=[
            (
                "Warning",
                "FailedScheduling",
                f"{int(total - EVICT - 1)}m (x{int((total - EVICT) / 5)} over {int(total - EVICT)}m)",
                "default-scheduler",
                SCHED,
            )
        ],
    )
    nodes = table(
        ("NAME", "STATUS", "ROLES", "AGE", "VERSION", "ZONE"),
        [
            (NODES[0], "Ready", "<none>", "118m", "v1.30.4-eks-a737599", "us-east-2a"),
            (NODES[1], "Ready", "<none>", "112m", "v1.30.4-eks-a737599", "us-east-2a"),
            (NODES[2], "Ready", "<none>", "105m", "v1.30.4-eks-a737599", "us-east-2c"),
            (NODES[3], "Ready", "<none>", "99m", "v1.30.4-eks-a737599", "us-east-2c"),
        ],
    )
    pasted = "\n".join(
        [
            "$ kubectl get nodes -L topology.kubernetes.io/zone",
            *nodes,
            "",
            "$ kubectl -n billing get pvc pgdata-invoice-db-0",
            "NAME                  STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   AGE",
            "pgdata-invoice-db-0   Bound    pvc-5b0e7c1a-93d2-4f7e-b8a6-21c4d9e0f3b7   200Gi      RWO            gp3            287d",
            "",
            "$ kubectl get pv pvc-5b0e7c1a-93d2-4f7e-b8a6-21c4d9e0f3b7 -o yaml | sed -n '/nodeAffinity/,/persistentVolumeReclaimPolicy/p'",
            "  nodeAffinity:",
            "    required:",
            "      nodeSelectorTerms:",
            "      - matchExpressions:",
            "        - key: topology.kubernetes.io/zone",
            "          operator: In",
            "          values:",
            "          - us-east-2b",
            "  persistentVolumeReclaimPolicy: Retain",
            "",
            "$ kubectl -n billing get endpoints invoice-db",
            "NAME         ENDPOINTS   AGE",
            "invoice-db   <none>      287d",
            "",
            "$ aws eks describe-nodegroup --cluster-name fin-prod --nodegroup-name general-v7 --query 'nodegroup.subnets' --output text",
            "subnet-0a41c7e2d98b3f015\tsubnet-0c93e5a7b21d4e6f8",
            "",
        ]
    )
    return Bundle(
        question="Invoice generation has been failing since about 02:37 UTC and invoice-api says it cannot resolve the database host. What is the root cause?",
        category="scheduling",
        component="invoice-db",
        statement="After the node group upgrade the only nodes are in us-east-2a and us-east-2c, while invoice-db's PersistentVolume is pinned to us-east-2b; when the drain evicted invoice-db-0 at 02:37 it could not be rescheduled (volume node affinity conflict) and stayed Pending, so the headless service has no address and invoice-api cannot reach its database.",
        files={
            "kubectl-describe-pod-invoice-db-0.txt": describe_pod(pod, rng),
            "kubectl-get-events.txt": events,
            "kubectl-get.txt": pasted,
            "logs/invoice-api.log": api.render(),
            "logs/billing-worker.log": wk.render(),
            "logs/coredns.log": dns.render(),
        },
        proofs=[
            Proof(
                "kubectl-describe-pod-invoice-db-0.txt",
                "4 node(s) had volume node affinity conflict",
            ),
            Proof("kubectl-get.txt", "          - us-east-2b"),
        ],
        decoys=[
            "plugin/errors: 2 sts.us-east-2.amazonaws.com. AAAA",
            "FailedGetResourceMetric",
            "could not translate host name",
            "No matching pods found",
        ],
    )
