# ruff: noqa: E501
# klog lines, kubectl output and hand-written log lines are data, kept whole on one line.
"""Kubernetes: tenant-operator's chart 0.19.0 (upgraded at 14:05 UTC) changed the client
defaults to `--kube-api-qps=5 --kube-api-burst=10` (they were 50/100). Each new tenant needs
about 40 API calls and the periodic resync of 1,900 tenant namespaces competes for the same
budget, so the operator's requests wait seconds each on client-side throttling and new tenants'
namespaces are provisioned 20-40 minutes late; signup-api's readiness wait times out. Decoys:
etcd's `apply request took too long`, a Stripe 429 retried by signup-api, and a slow
validating-webhook warning from the API server."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import PythonLogging, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 12, 4, 13, 20, tzinfo=UTC)
NOW = datetime(2026, 12, 4, 15, 50, tzinfo=UTC)
UPGRADE = 45.0  # 14:05 UTC
TORONTO = ZoneInfo("America/Toronto")
NODES = ["cp-pool-a-1", "cp-pool-a-2", "apps-pool-b-4", "apps-pool-b-7"]


@dataclass
class Klog:
    """klog's header: `I1204 14:05:12.123456       1 file.go:123] message`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        letter = record.level[0]
        stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
        source = record.logger or "controller.go:231"
        return [f"{letter}{stamp}       1 {source}] {record.message}"]


def operator_ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    tenant = f"t-{rng.getrandbits(28):07x}"
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f'"Reconciled tenant" controller="tenant" tenant="{tenant}" namespace="{tenant}" duration="{rng.randrange(20, 400)}ms" result="unchanged"',
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f'"Synced quota" tenant="{tenant}" cpu="{rng.choice([4, 8, 16])}" memory="{rng.choice([8, 16, 32])}Gi"',
            (),
        )
    return "INFO", f'"Resync tick" queued={rng.randrange(1850, 1950)} workers=8', ()


def bundle() -> Bundle:
    rng = random.Random(35610)
    total = (NOW - START).total_seconds() / 60

    op = LogFile("kubectl-logs-tenant-operator.txt", Klog(rng=rng))
    op.add(traffic(rng, operator_ok, START, UPGRADE, 900))
    op.add(traffic(rng, operator_ok, START.replace(minute=6, hour=14), total - UPGRADE - 1, 260))
    op.add(
        [
            at(
                START,
                UPGRADE + 0.7,
                "INFO",
                '"Starting tenant-operator" version="0.19.0" commit="8e1f2c7"',
                logger="main.go:88",
            ),
            at(
                START,
                UPGRADE + 0.71,
                "INFO",
                '"Kubernetes client configured" qps=5 burst=10 host="https://10.96.0.1:443"',
                logger="main.go:112",
            ),
            at(
                START,
                UPGRADE + 0.75,
                "INFO",
                '"Starting workers" controller="tenant" worker count=8',
                logger="controller.go:220",
            ),
        ]
    )

    def throttled(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        tenant = f"t-{r.getrandbits(28):07x}"
        kind = r.choice(
            [
                "resourcequotas/compute",
                "limitranges/defaults",
                "rolebindings/tenant-admin",
                "networkpolicies/default-deny",
                "serviceaccounts/tenant-ci",
            ]
        )
        group = (
            "apis/rbac.authorization.k8s.io/v1"
            if "rolebindings" in kind
            else ("apis/networking.k8s.io/v1" if "network" in kind else "api/v1")
        )
        return (
            "INFO",
            f"Waited for {r.randrange(1, 9)}.{r.randrange(100, 999)}s due to client-side throttling, not priority and fairness, request: GET:https://10.96.0.1:443/{group}/namespaces/{tenant}/{kind}",
            (),
        )

    op.add(
        [
            Record(record.time, record.level, record.message, (), "request.go:697")
            for record in loud(rng, START, UPGRADE + 1, total - UPGRADE - 1, 1400, throttled)
        ]
    )

    signup = LogFile(
        "logs/signup-api.log",
        PythonLogging(
            ("signup.api", "signup.provision", "signup.billing", "uvicorn.access"), rng=rng
        ),
    )
    signup.add(traffic(rng, web_api("signup-api", ["signups", "plans"]), START, total, 2400))
    signup.add(
        [
            at(
                START,
                30.0,
                "WARN",
                "stripe: 429 Too Many Requests on POST /v1/customers (request req_8dKq2LwV0x), retried after 1.0s, ok",
                logger="signup.billing",
            )
        ]
    )
    signup.add(
        loud(
            rng,
            START,
            UPGRADE + 16,
            total - UPGRADE - 16,
            190,
            fixed(
                "ERROR",
                lambda r: (
                    f"tenant t-{r.getrandbits(28):07x} not ready after 600s (namespace Active, quota/rbac/networkpolicy missing); signup {r.getrandbits(40):010x} marked PROVISIONING_DELAYED"
                ),
            ),
        )
    )

    apiserver = LogFile("kube-apiserver.log", Klog(rng=rng))
    apiserver.add(
        loud(
            rng,
            START,
            0,
            total,
            900,
            fixed(
                "INFO",
                lambda r: (
                    f'"HTTP" verb="{r.choice(["GET", "LIST", "WATCH", "PATCH"])}" URI="/api/v1/namespaces/{r.choice(["shop", "kube-system", "monitoring"])}/pods" latency="{r.randrange(1, 90)}.{r.randrange(100, 999)}ms" userAgent="{r.choice(["kubelet/v1.30.6", "kube-controller-manager/v1.30.6", "prometheus/2.55.1"])}" audit-ID="{r.getrandbits(128):032x}" srcIP="10.0.{r.randrange(0, 4)}.{r.randrange(2, 250)}:{r.randrange(30000, 61000)}" resp=200'
                ),
            ),
        )
    )
    apiserver.add(
        [
            at(
                START,
                66.0,
                "WARN",
                'etcd: "apply request took too long" took="212.4ms" expected-duration="100ms" prefix="read-only range " request="key:\\"/registry/leases/kube-node-lease/apps-pool-b-4\\""',
                logger="trace.go:236",
            ),
            at(
                START,
                92.0,
                "WARN",
                'Failed calling webhook, failing open policy.kyverno.svc: context deadline exceeded after 10s for "validate.kyverno.svc-fail"',
                logger="dispatcher.go:205",
            ),
        ]
    )

    pasted = "\n".join(
        [
            "$ helm -n platform history tenant-operator | tail -2",
            "REVISION  UPDATED                   STATUS      CHART                   APP VERSION  DESCRIPTION",
            "22        Fri Dec  4 14:05:02 2026  deployed    tenant-operator-0.19.0  0.19.0       Upgrade complete",
            "",
            "$ kubectl -n platform get deploy tenant-operator -o jsonpath='{.spec.template.spec.containers[0].args}'",
            '["--leader-elect","--metrics-bind-address=:8080","--max-concurrent-reconciles=8","--resync-period=10m","--kube-api-qps=5","--kube-api-burst=10"]',
            "",
            "$ kubectl get ns -l tenant.example.io/managed=true --no-headers | wc -l",
            "1912",
            "",
            "$ kubectl get flowschemas,prioritylevelconfigurations -o wide | grep -i tenant",
            "flowschema.flowcontrol.apiserver.k8s.io/tenant-operator   workload-high   800   ByUser   92d   False",
            "",
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["signup-api", "tenant-operator", "billing-webhooks"], 20, NODES, namespace="platform"
    )
    events = event_listing(
        routine,
        [
            (
                ago(UPGRADE + 0.5),
                (
                    "Normal",
                    "ScalingReplicaSet",
                    "deployment/tenant-operator",
                    "Scaled up replica set tenant-operator-6d7f8c9b4a to 1",
                ),
            )
        ],
    )

    return Bundle(
        question=f"New customer sign-ups have been stuck in PROVISIONING_DELAYED since about {START.replace(hour=14, minute=20).astimezone(TORONTO).strftime('%H:%M')} Toronto time; tenant namespaces appear but take 20-40 minutes to be fully set up. The API server looks healthy. What is the root cause?",
        category="rate_limit",
        component="tenant-operator",
        statement="tenant-operator's chart 0.19.0 (14:05 UTC) set the Kubernetes client to --kube-api-qps=5 --kube-api-burst=10; with ~1,900 tenant namespaces resyncing, every request waits seconds on client-side throttling, so new tenants' quota, RBAC and network policies are created 20-40 minutes late and signup-api times out.",
        files={
            "kubectl-logs-tenant-operator.txt": op.render(),
            "logs/signup-api.log": signup.render(),
            "kube-apiserver.log": apiserver.render(),
            "kubectl-pasted.txt": pasted,
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof(
                "kubectl-logs-tenant-operator.txt", '"Kubernetes client configured" qps=5 burst=10'
            ),
            Proof("kubectl-pasted.txt", '"--kube-api-qps=5","--kube-api-burst=10"'),
        ],
        decoys=[
            "apply request took too long",
            "stripe: 429 Too Many Requests",
            "Failed calling webhook, failing open policy.kyverno.svc",
        ],
    )
