# ruff: noqa: E501
# kubectl output and log lines are data, kept whole on one line.
"""Kubernetes: chart order-reconciler 2.0.0, rolled out at 02:14 UTC, runs the controller under
a new ServiceAccount `order-reconciler` (it was `fulfilment-controller`), but the chart's
RoleBinding still names the old account. The new pod starts, passes its probes and shows no
restarts, yet it can never read or create its leader-election Lease (`leases.coordination.k8s.io
... is forbidden`), so no replica becomes leader and no order is moved to shipping. Loud:
order-api's `stuck in PAYMENT_CONFIRMED` warnings and the carrier webhook's retries. Decoys:
order-api's stuck-order warnings (a symptom), the carrier API's ordinary 429s, and an earlier
Postgres failover at 00:40 that recovered."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 6, 12, 0, 30, tzinfo=UTC)
MINUTES = 150
ROLLOUT = 104.0
POD = "order-reconciler-5d47c9f6b8-m2xlr"


class Klog:
    def render(self, record: Record) -> list[str]:
        letter = record.level[0]
        text = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
        return [f"{letter}{text}       1 {record.logger or 'reconciler.go:118'}] {record.message}"]


def reconcile_ok(rng: random.Random) -> Line:
    order = f"ord_{rng.getrandbits(40):010x}"
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f'"Reconciled order" order="{order}" phase="PAYMENT_CONFIRMED->PICKING" duration="{rng.randrange(4, 90)}ms"',
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f'"Reconciled order" order="{order}" phase="PICKING->SHIPPING" carrier="{rng.choice(["dhl", "ups", "postnl"])}" duration="{rng.randrange(30, 400)}ms"',
            (),
        )
    if roll < 0.97:
        return "INFO", f'"Requeue" order="{order}" reason="carrier label pending" after="30s"', ()
    return (
        "WARN",
        f'"Carrier API throttled, backing off" order="{order}" status=429 retryAfter="{rng.choice([2, 5, 10])}s"',
        (),
    )


def api_ok(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "info",
            f"POST /v2/orders 201 {rng.randrange(20, 180)}ms order=ord_{rng.getrandbits(40):010x}",
            (),
        )
    if roll < 0.95:
        return (
            "info",
            f"GET /v2/orders/ord_{rng.getrandbits(40):010x} 200 {rng.randrange(3, 40)}ms",
            (),
        )
    return "info", f"payment webhook accepted provider=adyen psp_ref={rng.getrandbits(52):013X}", ()


def api_stuck(rng: random.Random) -> Line:
    return (
        "warn",
        f"order ord_{rng.getrandbits(40):010x} stuck in PAYMENT_CONFIRMED for {rng.randrange(16, 52)}m (SLA 15m), customer notified",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1192)
    rec = LogFile("logs/order-reconciler.log", Klog())
    rec.add(traffic(rng, reconcile_ok, START, ROLLOUT - 0.5, 2600))
    rec.add(
        [
            at(
                START,
                ROLLOUT - 0.3,
                "INFO",
                '"Stopping and waiting for non leader election runnables"',
                logger="internal.go:538",
            ),
            at(
                START,
                ROLLOUT + 0.4,
                "INFO",
                '"Starting order-reconciler" version="2.0.0" gitCommit="9c1e04f" serviceAccount="order-reconciler"',
                logger="main.go:87",
            ),
            at(
                START,
                ROLLOUT + 0.42,
                "INFO",
                '"Starting metrics server" bindAddress=":8080"',
                logger="server.go:185",
            ),
            at(
                START,
                ROLLOUT + 0.43,
                "INFO",
                '"Starting probes server" bindAddress=":8081"',
                logger="server.go:83",
            ),
            at(
                START,
                ROLLOUT + 0.45,
                "INFO",
                "attempting to acquire leader lease fulfilment/order-reconciler-lock...",
                logger="leaderelection.go:254",
            ),
            at(
                START,
                ROLLOUT + 0.46,
                "ERROR",
                'error retrieving resource lock fulfilment/order-reconciler-lock: leases.coordination.k8s.io "order-reconciler-lock" is forbidden: User "system:serviceaccount:fulfilment:order-reconciler" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "fulfilment"',
                logger="leaderelection.go:436",
            ),
        ]
    )
    rec.add(
        loud(
            rng,
            START,
            ROLLOUT + 0.6,
            MINUTES - ROLLOUT - 0.7,
            150,
            fixed(
                "ERROR",
                lambda r: (
                    'error retrieving resource lock fulfilment/order-reconciler-lock: leases.coordination.k8s.io "order-reconciler-lock" is forbidden: User "system:serviceaccount:fulfilment:order-reconciler" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "fulfilment"'
                ),
            ),
        )
    )
    api = LogFile(
        "logs/order-api.log", JsonLines("order-api", keys=("time", "level", "msg"), rng=rng)
    )
    api.add(traffic(rng, api_ok, START, MINUTES, 4200))
    api.add(loud(rng, START, ROLLOUT + 16, MINUTES - ROLLOUT - 16.2, 230, api_stuck))
    api.add(
        [
            at(
                START,
                10.2,
                "error",
                "pq: the database system is in recovery mode (SQLSTATE 57P03); retrying in 2s",
            ),
            at(
                START,
                10.3,
                "error",
                "pq: the database system is in recovery mode (SQLSTATE 57P03); retrying in 2s",
            ),
            at(
                START,
                10.9,
                "info",
                "database connection pool re-established host=orders-pg-rw.fulfilment.svc port=5432",
            ),
        ]
    )
    pod = Pod(
        name=POD,
        namespace="fulfilment",
        node="gke-prod-eu-pool-2-7a1c9e3b-q8zt",
        app="order-reconciler",
        service_account="order-reconciler",
        start_time="Thu, 12 Jun 2025 02:14:02 +0000",
        ip="10.52.7.31",
        containers=[
            Container(
                name="manager",
                image="europe-docker.pkg.dev/acme-prod/fulfilment/order-reconciler:2.0.0",
                state=["Running", "  Started:      Thu, 12 Jun 2025 02:14:19 +0000"],
                limits={"cpu": "500m", "memory": "256Mi"},
                requests={"cpu": "100m", "memory": "128Mi"},
                probes=[
                    "Liveness:   http-get http://:8081/healthz delay=15s timeout=1s period=20s #success=1 #failure=3",
                    "Readiness:  http-get http://:8081/readyz delay=5s timeout=1s period=10s #success=1 #failure=3",
                ],
                environment=[
                    "LEADER_ELECT:      true",
                    "LEASE_NAMESPACE:   fulfilment",
                    "CARRIER_API_URL:   https://api.carrierhub.example/v3",
                ],
                port="8080/TCP",
            )
        ],
        events=[
            (
                "Normal",
                "Scheduled",
                "38m",
                "default-scheduler",
                f"Successfully assigned fulfilment/{POD} to gke-prod-eu-pool-2-7a1c9e3b-q8zt",
            ),
            (
                "Normal",
                "Pulling",
                "38m",
                "kubelet",
                'Pulling image "europe-docker.pkg.dev/acme-prod/fulfilment/order-reconciler:2.0.0"',
            ),
            (
                "Normal",
                "Pulled",
                "38m",
                "kubelet",
                'Successfully pulled image "europe-docker.pkg.dev/acme-prod/fulfilment/order-reconciler:2.0.0" in 3.112s (3.112s including waiting). Image size: 21874310 bytes.',
            ),
            ("Normal", "Created", "38m", "kubelet", "Created container manager"),
            ("Normal", "Started", "38m", "kubelet", "Started container manager"),
        ],
    )
    binding = """$ kubectl -n fulfilment get rolebinding order-reconciler-leader-election -o yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  annotations:
    meta.helm.sh/release-name: order-reconciler
    meta.helm.sh/release-namespace: fulfilment
  creationTimestamp: "2024-09-03T08:11:47Z"
  labels:
    app.kubernetes.io/managed-by: Helm
    app.kubernetes.io/name: order-reconciler
    helm.sh/chart: order-reconciler-2.0.0
  name: order-reconciler-leader-election
  namespace: fulfilment
  resourceVersion: "418827731"
  uid: 6b0f1d2e-93a4-4c57-8e1b-2f7d09c4a6e5
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: order-reconciler-leader-election
subjects:
- kind: ServiceAccount
  name: fulfilment-controller
  namespace: fulfilment
"""
    notes = """# orders not shipping (pasted in #inc-fulfilment, 03:00 UTC)

- CS reports paid orders not moving to "picking" since ~02:15. No alerts fired except the SLA one.
- order-reconciler pod is Running 1/1, 0 restarts, probes green (see describe).
- We upgraded the order-reconciler chart 1.14.3 -> 2.0.0 at 02:14 (values unchanged, chart now
  creates its own ServiceAccount).
- DB failover around 00:40 was the other thing tonight, but order-api reconnected in seconds.
- carrierhub 429s are normal at this hour.

$ helm -n fulfilment history order-reconciler | tail -2
REVISION  UPDATED                   STATUS      CHART                     APP VERSION  DESCRIPTION
31        Tue Jun 10 09:12:40 2025  superseded  order-reconciler-1.14.3   1.14.3       Upgrade complete
32        Thu Jun 12 02:13:58 2025  deployed    order-reconciler-2.0.0    2.0.0        Upgrade complete
"""
    files = {
        "notes.md": notes,
        "kubectl-describe-pod.txt": describe_pod(pod, rng),
        "kubectl-get-rolebinding.yaml": binding,
        "logs/order-reconciler.log": rec.render(),
        "logs/order-api.log": api.render(),
    }
    return Bundle(
        question="Paid orders have stopped moving to picking since about 02:15 UTC, and the reconciler pod looks healthy. What is the root cause?",
        category="permission",
        component="order-reconciler",
        statement="The order-reconciler 2.0.0 chart rolled out at 02:14 UTC runs the controller as ServiceAccount order-reconciler, but the leader-election RoleBinding still names fulfilment-controller; the controller is forbidden to get its Lease, never becomes leader and reconciles nothing, so paid orders stay in PAYMENT_CONFIRMED.",
        files=files,
        proofs=[
            Proof(
                "logs/order-reconciler.log",
                'serviceAccount="order-reconciler"',
                'is forbidden: User "system:serviceaccount:fulfilment:order-reconciler"',
            ),
            Proof("kubectl-get-rolebinding.yaml", "name: fulfilment-controller"),
        ],
        decoys=[
            "stuck in PAYMENT_CONFIRMED",
            "Carrier API throttled",
            "the database system is in recovery mode",
        ],
    )
