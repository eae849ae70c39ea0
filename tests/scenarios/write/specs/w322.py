# ruff: noqa: E501
# klog lines, audit events and kubectl output are data, kept whole on one line.
"""Kubernetes: quota-reconciler builds its REST client from the projected service-account token
read once at start-up (an old hand-rolled config) and never rereads the file the kubelet
refreshes. The API server accepted the stale token for a year because of its extended
expiration for legacy clients (the audit log flagged it as stale on every request); the pod has
now run 365 days and at 08:10 UTC on 20 November the token expired. Every list and update is
401 Unauthorized, approved quota increases are never written, and team-payments' deploys fail
with `exceeded quota`. Decoys: client-side throttling waits, a slow etcd request warning in the
API server, and a NodeNotReady event."""

import json
import random
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record
from scenes import at

START = datetime(2026, 11, 20, 6, 40, tzinfo=UTC)
NOW = datetime(2026, 11, 20, 10, 5, tzinfo=UTC)
EXPIRY = 90.7  # 08:10:42
POD_START = datetime(2025, 11, 20, 8, 10, 31, tzinfo=UTC)
SA = "system:serviceaccount:platform:quota-reconciler"


@dataclass
class Klog:
    """klog's header: `I1120 08:10:44.123456       1 file.go:42] message`."""

    pid: int = 1

    def render(self, record: Record) -> list[str]:
        letter = {"INFO": "I", "WARN": "W", "ERROR": "E", "FATAL": "F", "DEBUG": "I"}[record.level]
        return [
            f"{letter}{record.time.strftime('%m%d %H:%M:%S')}.{record.time.microsecond + (zlib.crc32(record.message.encode()) % 1000 if record.time.microsecond % 1000 == 0 else 0):06d}{self.pid:>8} {record.logger or 'controller.go:118'}] {record.message}"
        ]


@dataclass
class Audit:
    """kube-apiserver audit log (JSON lines); the record's message is the event body."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        body = json.loads(record.message)
        body = {
            "kind": "Event",
            "apiVersion": "audit.k8s.io/v1",
            "level": "Metadata",
            "auditID": body.pop("id"),
            "stage": "ResponseComplete",
            **body,
            "requestReceivedTimestamp": stamp,
            "stageTimestamp": stamp,
        }
        return [json.dumps(body, separators=(",", ":"))]


def audit_event(
    rng: random.Random,
    user: str,
    verb: str,
    uri: str,
    code: int,
    annotations: dict[str, str] | None = None,
) -> str:
    body: dict[str, object] = {
        "id": f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(16):04x}-{rng.getrandbits(48):012x}",
        "requestURI": uri,
        "verb": verb,
        "user": {
            "username": user,
            "groups": ["system:serviceaccounts", "system:authenticated"]
            if user.startswith("system:serviceaccount")
            else ["system:nodes", "system:authenticated"],
        },
        "sourceIPs": [f"10.30.{rng.randrange(0, 8)}.{rng.randrange(2, 250)}"],
        "userAgent": "quota-reconciler/v0.9.2 (linux/amd64) kubernetes/$Format"
        if "quota" in user
        else rng.choice(
            [
                "kubelet/v1.31.4 (linux/amd64) kubernetes/a78aa47",
                "argocd-application-controller/v0.0.0 (linux/amd64) kubernetes/$Format",
                "kube-controller-manager/v1.31.4 (linux/amd64) kubernetes/a78aa47/system:serviceaccount:kube-system:endpointslice-controller",
            ]
        ),
        "responseStatus": {"metadata": {}, "code": code},
    }
    if annotations:
        body["annotations"] = annotations
    return json.dumps(body)


def bundle() -> Bundle:
    rng = random.Random(3220)
    total = (NOW - START).total_seconds() / 60

    rec = LogFile("logs/quota-reconciler.log", Klog())
    audit = LogFile("kube-apiserver-audit.jsonl", Audit())
    api = LogFile("logs/kube-apiserver.log", Klog(pid=11))
    teams = [
        "team-payments",
        "team-search",
        "team-growth",
        "team-data",
        "team-identity",
        "team-mobile",
    ]
    minute = 0.0
    last_stale = 0
    while minute < total:
        team = rng.choice(teams)
        ok = minute < EXPIRY
        if ok:
            rec.add(
                [
                    at(
                        START,
                        minute,
                        "INFO",
                        f'"Reconciled quota" namespace="{team}" quota="compute" requests.cpu="{rng.randrange(20, 80)}" requests.memory="{rng.randrange(64, 320)}Gi" changed=false',
                        logger="reconcile.go:97",
                    )
                ]
            )
            if rng.random() < 0.5:
                seconds = (
                    int((START + timedelta(minutes=minute) - POD_START).total_seconds()) - 3607
                )
                last_stale = seconds
                audit.add(
                    [
                        Record(
                            START + timedelta(minutes=minute, milliseconds=rng.randrange(900)),
                            "INFO",
                            audit_event(
                                rng,
                                SA,
                                rng.choice(["get", "update", "list"]),
                                f"/api/v1/namespaces/{team}/resourcequotas/compute",
                                200,
                                {
                                    "authentication.k8s.io/stale-token": f"subject: {SA}, seconds after warning threshold: {seconds}",
                                    "authorization.k8s.io/decision": "allow",
                                    "authorization.k8s.io/reason": 'RBAC: allowed by ClusterRoleBinding "quota-reconciler" of ClusterRole "quota-reconciler" to ServiceAccount "quota-reconciler/platform"',
                                },
                            ),
                        )
                    ]
                )
        else:
            rec.add(
                [
                    at(
                        START,
                        minute,
                        "ERROR",
                        f'"Reconcile failed" err="resourcequotas \\"compute\\" is forbidden: Unauthorized" namespace="{team}"'
                        if rng.random() < 0.1
                        else f'"Reconcile failed" err="Unauthorized" namespace="{team}" requeueAfter="30s"',
                        logger="reconcile.go:84",
                    )
                ]
            )
            audit.add(
                [
                    Record(
                        START + timedelta(minutes=minute, milliseconds=rng.randrange(900)),
                        "INFO",
                        audit_event(
                            rng,
                            "system:anonymous",
                            "get",
                            f"/api/v1/namespaces/{team}/resourcequotas/compute",
                            401,
                        ),
                    )
                ]
            )
            if rng.random() < 0.4:
                api.add(
                    [
                        at(
                            START,
                            minute + 0.001,
                            "ERROR",
                            '"Unable to authenticate the request" err="[invalid bearer token, service account token has expired]"',
                            logger="authentication.go:73",
                        )
                    ]
                )
        minute += 0.2 + rng.random() * 0.3
    for _ in range(2600):
        m = rng.random() * total
        audit.add(
            [
                Record(
                    START + timedelta(minutes=m),
                    "INFO",
                    audit_event(
                        rng,
                        rng.choice(
                            [
                                "system:node:ip-10-30-2-41.ec2.internal",
                                "system:node:ip-10-30-5-18.ec2.internal",
                                "system:serviceaccount:argocd:argocd-application-controller",
                                "system:serviceaccount:kube-system:endpointslice-controller",
                            ]
                        ),
                        rng.choice(["get", "watch", "patch", "list"]),
                        rng.choice(
                            [
                                "/api/v1/nodes/ip-10-30-2-41.ec2.internal/status",
                                "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/ip-10-30-5-18.ec2.internal",
                                "/apis/apps/v1/deployments?limit=500",
                                "/apis/discovery.k8s.io/v1/namespaces/team-search/endpointslices",
                            ]
                        ),
                        200,
                    ),
                )
            ]
        )
    for _ in range(1500):
        m = rng.random() * total
        api.add(
            [
                at(
                    START,
                    m,
                    "INFO",
                    rng.choice(
                        [
                            f'"Trace[{rng.randrange(10**9)}]: ---\\"Writing http response done\\" count:{rng.randrange(10, 900)} {rng.randrange(100, 700)}ms"',
                            f'"Caches populated" type="*v1.{rng.choice(["Secret", "ConfigMap", "Pod"])}" reflector="k8s.io/client-go/informers/factory.go:160"',
                            '"watch chan error" err="etcdserver: mvcc: required revision has been compacted"'
                            if rng.random() < 0.05
                            else f'"Update endpoints" service="team-search/search-api" ready={rng.randrange(3, 9)} notReady=0',
                        ]
                    ),
                    logger=rng.choice(
                        ["trace.go:236", "reflector.go:368", "endpointslice_controller.go:312"]
                    ),
                )
            ]
        )
    api.add(
        [
            at(
                START,
                47.3,
                "WARN",
                '"apply request took too long" took="213.884012ms" expected-duration="100ms" prefix="read-only range " request="key:\\"/registry/events/\\" range_end:\\"/registry/events0\\" count_only:true " response="range_response_count:0 size:9"',
                logger="etcd.go:171",
            )
        ]
    )
    rec.add(
        [
            at(
                START,
                0.0,
                "WARN",
                "Waited for 1.184530112s due to client-side throttling, not priority and fairness, request: GET:https://172.20.0.1:443/api/v1/namespaces/team-data/resourcequotas/compute",
                logger="request.go:697",
            ),
            at(
                START,
                EXPIRY + 0.01,
                "ERROR",
                "k8s.io/client-go@v0.17.4/tools/cache/reflector.go:105: Failed to list *v1.ResourceQuota: Unauthorized",
                logger="reflector.go:153",
            ),
        ]
    )

    pods = """$ kubectl -n platform get pods -l app=quota-reconciler -o wide
NAME                                READY   STATUS    RESTARTS   AGE    IP            NODE                          NOMINATED NODE   READINESS GATES
quota-reconciler-84c6f7d5b9-lq2vx   1/1     Running   0          365d   10.30.4.211   ip-10-30-4-77.ec2.internal    <none>           <none>

$ kubectl -n platform get pod quota-reconciler-84c6f7d5b9-lq2vx -o jsonpath='{.status.startTime}{"\\n"}{.spec.volumes[?(@.projected)].projected.sources[0]}{"\\n"}'
2025-11-20T08:10:31Z
{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}}

$ kubectl -n team-payments get resourcequota compute
NAME      AGE    REQUEST                                            LIMIT
compute   498d   requests.cpu: 38500m/40, requests.memory: 141Gi/160Gi   limits.memory: 188Gi/220Gi

$ kubectl -n team-payments get events --field-selector reason=FailedCreate
LAST SEEN   TYPE      REASON         OBJECT                              MESSAGE
4m          Warning   FailedCreate   replicaset/payments-api-5c7b9f8d64   Error creating: pods "payments-api-5c7b9f8d64-m2x7c" is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=38500m, limited: requests.cpu=40
11m         Warning   FailedCreate   replicaset/payments-api-5c7b9f8d64   Error creating: pods "payments-api-5c7b9f8d64-t8q2n" is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=38500m, limited: requests.cpu=40

$ kubectl get events -A --field-selector reason=NodeNotReady
NAMESPACE   LAST SEEN   TYPE     REASON         OBJECT                              MESSAGE
default     52m         Normal   NodeNotReady   node/ip-10-30-6-145.ec2.internal    Node ip-10-30-6-145.ec2.internal status is now: NodeNotReady

# capacity-portal: request CAP-2291 (team-payments, requests.cpu 40 -> 64) approved 2026-11-19 16:02 UTC, status "pending sync"
"""
    return Bundle(
        question="team-payments' deploys have failed with 'exceeded quota' since this morning although their quota increase was approved yesterday afternoon. What is the root cause?",
        category="permission",
        component="quota-reconciler",
        statement="quota-reconciler read its service-account token once at start-up and never reloads it; after 365 days the API server's extended expiry for that stale token ran out at 08:10 UTC, every request is 401 Unauthorized, and approved quota increases are no longer applied.",
        files={
            "logs/quota-reconciler.log": rec.render(),
            "logs/kube-apiserver.log": api.render(),
            "kube-apiserver-audit.jsonl": audit.render(),
            "kubectl-notes.txt": pods,
        },
        proofs=[
            Proof("logs/quota-reconciler.log", "Failed to list *v1.ResourceQuota: Unauthorized"),
            Proof(
                "kubectl-notes.txt",
                "quota-reconciler-84c6f7d5b9-lq2vx   1/1     Running   0          365d",
            ),
            Proof("kube-apiserver-audit.jsonl", f'seconds after warning threshold: {last_stale}"'),
        ],
        decoys=["due to client-side throttling", "apply request took too long", "NodeNotReady"],
    )
