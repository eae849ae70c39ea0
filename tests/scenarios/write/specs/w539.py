# ruff: noqa: E501
# Log lines, kubectl output and YAML are data, kept whole on one line.
"""Kubernetes (EKS, Asia/Singapore): a cost review replaced the eight-node m5.xlarge group with
node group `apps-m5-8xl` (three m5.8xlarge) at 03:05 UTC. Each Nitro instance can attach only
about 26 EBS volumes to the CSI driver however large it is, and the cluster runs one small
StatefulSet with its own volume per tenant (83 volumes). After the move 78 fit; every tenant
database pod rescheduled beyond that stays Pending with `node(s) exceed max volume count`, and
those tenants' API calls fail. Decoys: kubelet's InvalidDiskCapacity at node start, a JWT clock
leeway message, an autovacuum log line."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, table
from records import Postgres, Zap
from scenes import at, loud
from traffic import database_server, traffic, web_api

START = datetime(2026, 8, 18, 2, 30, tzinfo=UTC)
NOW = datetime(2026, 8, 18, 4, 10, tzinfo=UTC)
MOVE = 35.0  # 03:05 UTC
NODES = [
    "ip-10-81-12-144.ap-southeast-1.compute.internal",
    "ip-10-81-27-160.ap-southeast-1.compute.internal",
    "ip-10-81-40-219.ap-southeast-1.compute.internal",
]
PENDING = [
    "tenant-db-harbourline-0",
    "tenant-db-kopi-lab-0",
    "tenant-db-marina-fx-0",
    "tenant-db-orchid-hr-0",
    "tenant-db-sentosa-ops-0",
]


def cluster() -> str:
    nodes = table(
        ("NAME", "STATUS", "ROLES", "AGE", "VERSION", "INSTANCE-TYPE", "NODEGROUP"),
        [
            (n, "Ready", "<none>", "63m", "v1.31.2-eks-7f9249a", "m5.8xlarge", "apps-m5-8xl")
            for n in NODES
        ],
    )
    csinode = table(
        ("NAME", "DRIVER", "ALLOCATABLE"),
        [(n, "ebs.csi.aws.com", "26") for n in NODES],
    )
    return (
        "\n".join(
            [
                "$ kubectl get nodes -L node.kubernetes.io/instance-type,eks.amazonaws.com/nodegroup",
                *nodes,
                "",
                "$ kubectl get csinode -o custom-columns=NAME:.metadata.name,DRIVER:.spec.drivers[0].name,ALLOCATABLE:.spec.drivers[0].allocatable.count",
                *csinode,
                "",
                "$ kubectl get volumeattachments -o jsonpath='{range .items[*]}{.spec.nodeName}{\"\\n\"}{end}' | sort | uniq -c",
                *(f"     26 {n}" for n in NODES),
                "",
                "$ kubectl get pvc -A --no-headers | wc -l",
                "83",
                "",
            ]
        )
        + "\n"
    )


def bundle() -> Bundle:
    rng = random.Random(53997)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    sched = "0/3 nodes are available: 3 node(s) exceed max volume count. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    pod = Pod(
        name="tenant-db-marina-fx-0",
        namespace="tenants",
        node="",
        app="tenant-db",
        status="Pending",
        start_time="",
        controller="StatefulSet/tenant-db-marina-fx",
        labels=[
            "app=tenant-db",
            "apps.kubernetes.io/pod-index=0",
            "controller-revision-hash=tenant-db-marina-fx-6d4b9c7f58",
            "statefulset.kubernetes.io/pod-name=tenant-db-marina-fx-0",
            "tenant=marina-fx",
        ],
        containers=[
            Container(
                name="postgres",
                image="public.ecr.aws/docker/library/postgres:16.4",
                state=[],
                ready=False,
                limits={"memory": "1Gi"},
                requests={"cpu": "250m", "memory": "1Gi"},
                port="5432/TCP",
            )
        ],
        conditions={"PodScheduled": "False"},
        volumes=[
            "  data:",
            "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
            "    ClaimName:  data-tenant-db-marina-fx-0",
            "    ReadOnly:   false",
        ],
        events=[("Warning", "FailedScheduling", "2m (x13 over 61m)", "default-scheduler", sched)],
    )

    api = LogFile(
        "logs/tenant-api.log",
        Zap(("api/handler.go:212", "store/pool.go:88", "auth/jwt.go:57"), rng=rng),
    )
    api.add(
        traffic(rng, web_api("tenant-api", ["tenants", "invoices", "users"]), START, total, 3100)
    )
    api.add(
        [
            at(
                START,
                14.0,
                "INFO",
                "jwt: token iat 2s in the future accepted within 5s leeway (issuer sso.tidewater.sg)",
                logger="auth/jwt.go:57",
            )
        ]
    )
    tenants = [p.removeprefix("tenant-db-").removesuffix("-0") for p in PENDING]
    api.add(
        loud(
            rng,
            START,
            MOVE + 4,
            total - MOVE - 4.5,
            280,
            lambda r: (
                "ERROR",
                f"tenant {r.choice(tenants)}: store unavailable: failed to connect to `host=tenant-db-{r.choice(tenants)}.tenants.svc user=app database=app`: dial error (dial tcp 172.20.{r.randrange(30, 250)}.{r.randrange(2, 250)}:5432: connect: connection refused)",
                (),
            ),
        )
    )

    db = LogFile("logs/tenant-db-lumen-grid-0.log", Postgres(rng=rng))
    db.add(traffic(rng, database_server(), START, total, 700))
    db.add(
        [
            at(
                START,
                52.0,
                "INFO",
                'automatic vacuum of table "app.public.audit_events": index scans: 1, pages: 0 removed, 41872 remain',
            )
        ]
    )

    rows = [
        (
            ago(MOVE) + 300,
            (
                "Normal",
                "NodeReady",
                f"node/{NODES[0]}",
                f"Node {NODES[0]} status is now: NodeReady",
            ),
        ),
        (
            ago(MOVE) + 310,
            (
                "Warning",
                "InvalidDiskCapacity",
                f"node/{NODES[1]}",
                "invalid capacity 0 on image filesystem",
            ),
        ),
    ]
    for i, name in enumerate(PENDING):
        rows.append(
            (
                ago(MOVE) - 20 * i,
                (
                    "Normal",
                    "SuccessfulCreate",
                    f"statefulset/{name[:-2]}",
                    f"create Pod {name} in StatefulSet {name[:-2]} successful",
                ),
            )
        )
        rows.append((60 + 37 * i, ("Warning", "FailedScheduling", f"pod/{name}", sched)))
    events = "$ kubectl -n tenants get events --sort-by=.lastTimestamp\n" + event_listing([], rows)

    return Bundle(
        question="Five tenants have been unable to use the app since about 11:05 SGT and their database pods are Pending. What is the root cause?",
        category="scheduling",
        component="apps-m5-8xl",
        statement="The new node group apps-m5-8xl has only three m5.8xlarge nodes, and each can attach at most 26 EBS volumes through the CSI driver; with 83 per-tenant volumes, all 78 slots are used and the remaining tenant-db pods stay Pending with 'node(s) exceed max volume count'.",
        files={
            "kubectl-nodes-and-volumes.txt": cluster(),
            "kubectl-describe-pod-tenant-db.txt": "$ kubectl -n tenants describe pod tenant-db-marina-fx-0\n"
            + describe_pod(pod, rng),
            "kubectl-get-events.txt": events,
            api.name: api.render(),
            db.name: db.render(),
        },
        proofs=[
            Proof("kubectl-describe-pod-tenant-db.txt", "exceed max volume count"),
            Proof(
                "kubectl-nodes-and-volumes.txt",
                "ALLOCATABLE:.spec",
                f"{NODES[2]}   ebs.csi.aws.com",
            ),
            Proof("kubectl-nodes-and-volumes.txt", "| sort | uniq -c", f"     26 {NODES[2]}"),
        ],
        decoys=["InvalidDiskCapacity", "within 5s leeway", "audit_events"],
    )
