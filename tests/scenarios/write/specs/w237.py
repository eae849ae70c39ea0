# ruff: noqa: E501
# etcd, kube-apiserver and etcdctl lines are data, kept whole on one line.
"""Kubernetes: the control plane's etcd reaches its 2 GiB backend quota (`--quota-backend-bytes`)
at 10:41 UTC, after a workflow controller kept thousands of finished Workflow objects; etcd
raises the NOSPACE alarm and refuses writes. Every write through the API server fails with
`etcdserver: mvcc: database space exceeded`: CI deploys fail, leases cannot be renewed, pods
are not created. Decoys: an older `apply request took too long` warning, a CI runner's registry
timeout, and a kube-apiserver audit webhook warning."""

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record, iso_millis
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 3, 9, 9, 50, tzinfo=UTC)
NOW = datetime(2026, 3, 9, 11, 20, tzinfo=UTC)
ALARM = 51.0  # 10:41


@dataclass
class EtcdJson:
    """etcd's zap JSON logger: level, ts with offset, caller, msg, then fields."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        caller, _, rest = record.message.partition("|")
        body: dict[str, object] = {
            "level": record.level.lower(),
            "ts": record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond:06d}Z",
            "caller": caller,
        }
        body.update(json.loads(rest))
        return [json.dumps(body, separators=(",", ":"))]


def etcd_routine(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    if roll < 0.45:
        return (
            "INFO",
            "mvcc/index.go:214|"
            + json.dumps(
                {"msg": "compact tree index", "revision": rng.randrange(48_100_000, 48_900_000)}
            ),
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            "mvcc/kvstore_compaction.go:66|"
            + json.dumps(
                {
                    "msg": "finished scheduled compaction",
                    "compact-revision": rng.randrange(48_100_000, 48_900_000),
                    "took": f"{rng.randrange(40, 900)}.{rng.randrange(1000):03d}ms",
                }
            ),
            (),
        )
    if roll < 0.95:
        return (
            "INFO",
            "mvcc/hash.go:137|"
            + json.dumps(
                {
                    "msg": "storing new hash",
                    "hash": rng.getrandbits(32),
                    "revision": rng.randrange(48_100_000, 48_900_000),
                    "compact-revision": rng.randrange(48_000_000, 48_100_000),
                }
            ),
            (),
        )
    return (
        "INFO",
        "etcdserver/server.go:1379|"
        + json.dumps(
            {
                "msg": "triggering snapshot",
                "local-member-id": "8e9e05c52164694d",
                "local-member-applied-index": rng.randrange(61_000_000, 62_000_000),
                "local-member-snapshot-index": rng.randrange(60_000_000, 61_000_000),
                "local-member-snapshot-count": 10000,
            }
        ),
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(2370)
    total = (NOW - START).total_seconds() / 60
    etcd = LogFile("logs/etcd-cp-1.log", EtcdJson(rng=rng))
    etcd.add(traffic(rng, etcd_routine, START, total, 1400))
    etcd.add(
        [
            at(
                START,
                8.2,
                "WARN",
                "etcdserver/util.go:170|"
                + json.dumps(
                    {
                        "msg": "apply request took too long",
                        "took": "412.733ms",
                        "expected-duration": "100ms",
                        "prefix": "read-only range ",
                        "request": 'key:"/registry/events/" range_end:"/registry/events0" count_only:true',
                        "response": "range_response_count:0 size:9",
                    }
                ),
            ),
            at(
                START,
                ALARM - 0.05,
                "WARN",
                "etcdserver/v3_server.go:840|"
                + json.dumps(
                    {
                        "msg": "backend quota reached",
                        "quota-size-bytes": 2147483648,
                        "quota-size": "2.1 GB",
                        "current-db-size-bytes": 2147490112,
                        "current-db-size": "2.1 GB",
                    }
                ),
            ),
            at(
                START,
                ALARM,
                "WARN",
                "etcdserver/server.go:2104|"
                + json.dumps(
                    {"msg": "alarm raised", "alarm": "NOSPACE", "from": "8e9e05c52164694d"}
                ),
            ),
        ]
    )

    def refused(r: random.Random) -> str:
        took = f"{r.randrange(8, 90)}.{r.randrange(1000):03d}µs"
        request_id = r.getrandbits(62)
        key = r.choice(
            [
                "leases/kube-node-lease/ip-10-40-3-17.eu-west-1.compute.internal",
                "pods/shop/cart-7b9c8d6f5-" + f"{r.getrandbits(25):05x}",
                "events/argo/wf-nightly-etl-" + str(r.randrange(10**5)),
                "deployments/shop/checkout",
            ]
        )
        fields = {
            "msg": "failed to apply request",
            "took": took,
            "request": f'header:<ID:{request_id} > put:<key:"/registry/{key}" >',
            "response": f"size:{r.randrange(20, 40)}",
            "error": "etcdserver: mvcc: database space exceeded",
        }
        return "etcdserver/v3_server.go:826|" + json.dumps(fields)

    etcd.add(loud(rng, START, ALARM + 0.2, total - ALARM - 1, 380, fixed("WARN", refused)))

    api = LogFile("logs/kube-apiserver-cp-1.log", KlogLines())
    api.add(traffic(rng, api_routine, START, total, 1800))
    api.add(
        [
            at(
                START,
                22.6,
                "WARN",
                'dispatcher.go:170] Failed calling webhook, failing open audit-sink.logging.svc: failed calling webhook "audit-sink.logging.svc": context deadline exceeded',
            )
        ]
    )
    api.add(
        loud(
            rng,
            START,
            ALARM + 0.1,
            total - ALARM - 0.6,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    'status.go:71] apiserver received an error that is not an metav1.Status: rpctypes.EtcdError{code:0x8, desc:"etcdserver: mvcc: database space exceeded"}: etcdserver: mvcc: database space exceeded'
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            ALARM + 0.3,
            total - ALARM - 1,
            90,
            fixed(
                "ERROR",
                lambda r: (
                    f'controller.go:{r.choice([176, 188])}] "Unable to update lease" err="etcdserver: mvcc: database space exceeded" lease="kube-node-lease/ip-10-40-{r.randrange(1, 6)}-{r.randrange(10, 250)}.eu-west-1.compute.internal"'
                ),
            ),
        )
    )

    ci = LogFile("logs/deploy-pipeline.log", CiLines())
    ci.add(traffic(rng, ci_routine, START, total, 260))
    ci.add(
        [
            at(
                START,
                31.0,
                "WARN",
                "docker push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/search:4.12.0: net/http: TLS handshake timeout (retry 1/3)",
            ),
            at(
                START,
                31.4,
                "INFO",
                "docker push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/search:4.12.0: pushed digest sha256:9c1e...",
            ),
        ]
    )
    ci.add(
        loud(
            rng,
            START,
            ALARM + 2,
            total - ALARM - 3,
            40,
            fixed(
                "ERROR",
                lambda r: (
                    f"kubectl apply -f k8s/{r.choice(['checkout', 'cart', 'search', 'payments'])}.yaml: Error from server: error when applying patch: etcdserver: mvcc: database space exceeded"
                ),
            ),
        )
    )

    status = "\n".join(
        [
            "$ ETCDCTL_API=3 etcdctl --endpoints=https://10.40.0.11:2379,https://10.40.0.12:2379,https://10.40.0.13:2379 endpoint status -w table",
            "+--------------------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------------------------------+",
            "|         ENDPOINT         |        ID        | VERSION | DB SIZE | IS LEADER | IS LEARNER | RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX |             ERRORS             |",
            "+--------------------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------------------------------+",
            "| https://10.40.0.11:2379  | 8e9e05c52164694d |  3.5.12 |  2.1 GB |      true |      false |        14 |   61884210 |           61884210 |  memberID:10276657743932975437 |",
            "|                          |                  |         |         |           |            |           |            |                    |                  alarm:NOSPACE |",
            "| https://10.40.0.12:2379  | 91bc3c398fb3c146 |  3.5.12 |  2.1 GB |     false |      false |        14 |   61884210 |           61884210 |  memberID:10276657743932975437 |",
            "|                          |                  |         |         |           |            |           |            |                    |                  alarm:NOSPACE |",
            "| https://10.40.0.13:2379  | fd422379fda50e48 |  3.5.12 |  2.1 GB |     false |      false |        14 |   61884210 |           61884210 |  memberID:10276657743932975437 |",
            "|                          |                  |         |         |           |            |           |            |                    |                  alarm:NOSPACE |",
            "+--------------------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------------------------------+",
            "",
            "$ ETCDCTL_API=3 etcdctl alarm list",
            "memberID:10276657743932975437 alarm:NOSPACE",
            "",
            "$ kubectl get workflows -A --no-headers | wc -l",
            "Error from server: etcdserver: mvcc: database space exceeded",
            "",
            "$ kubectl -n argo get workflows --no-headers 2>/dev/null | awk '{print $2}' | sort | uniq -c",
            "  41873 Succeeded",
            "    212 Failed",
            "      3 Running",
            "",
        ]
    )
    return Bundle(
        question="Since about 10:40 UTC nothing can be deployed, new pods are not created and node leases fail to renew. Which component is the root cause?",
        category="disk",
        component="etcd",
        statement="At 10:41 UTC etcd's backend reached its 2.1 GB quota (about 42,000 retained Argo Workflow objects) and raised the NOSPACE alarm; from then on every write through the API server fails with `etcdserver: mvcc: database space exceeded`, so deploys, lease renewals and pod creation fail.",
        files={
            "logs/etcd-cp-1.log": etcd.render(),
            "logs/kube-apiserver-cp-1.log": api.render(),
            "logs/deploy-pipeline.log": ci.render(),
            "etcdctl-output.txt": status,
        },
        proofs=[
            Proof("logs/etcd-cp-1.log", '"msg":"backend quota reached"', '"alarm":"NOSPACE"'),
            Proof("etcdctl-output.txt", "memberID:10276657743932975437 alarm:NOSPACE"),
        ],
        decoys=[
            '"msg":"apply request took too long"',
            "net/http: TLS handshake timeout (retry 1/3)",
            "Failed calling webhook, failing open audit-sink.logging.svc",
        ],
    )


@dataclass
class KlogLines:
    """klog: `E0309 10:41:03.123456       1 file.go:71] message`."""

    def render(self, record: Record) -> list[str]:
        letter = {"WARN": "W", "ERROR": "E", "FATAL": "F"}.get(record.level, "I")
        stamp = record.time.strftime("%m%d %H:%M:%S.") + f"{record.time.microsecond:06d}"
        return [f"{letter}{stamp}       1 {record.message}"]


def api_routine(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f'alloc.go:330] "allocated clusterIPs" service="argo/wf-{rng.randrange(10**5)}-metrics" clusterIPs={{"IPv4":"172.20.{rng.randrange(256)}.{rng.randrange(1, 255)}"}}',
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"controller.go:624] quota admission added evaluator for: {rng.choice(['workflows.argoproj.io', 'replicasets.apps', 'endpoints', 'leases.coordination.k8s.io'])}",
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f'trace.go:236] Trace[{rng.randrange(10**9)}]: "List" accept:application/json,audit-id:{rng.getrandbits(64):016x},client:10.40.{rng.randrange(1, 6)}.{rng.randrange(10, 250)},resource:pods (09-Mar-2026) (total time: {rng.randrange(500, 900)}ms):',
            (),
        )
    return (
        (
            "WARN",
            f"watcher.go:{rng.choice([338, 342])}] watch chan error: etcdserver: no leader",
            (),
        )
        if rng.random() < 0.02
        else (
            "INFO",
            'cacher.go:1198] Forcing watcher close due to unresponsiveness: key: "/pods", labels: "", fields: ""',
            (),
        )
    )


@dataclass
class CiLines:
    """A CI job log: `2026-03-09T10:41:03.123Z [deploy] message`."""

    def render(self, record: Record) -> list[str]:
        return [f"{iso_millis(record.time)} [{record.level.lower():5}] {record.message}"]


def ci_routine(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    app = rng.choice(["checkout", "cart", "search", "payments", "catalog"])
    roll = rng.random()
    if roll < 0.5:
        return ("INFO", f"kubectl apply -f k8s/{app}.yaml: deployment.apps/{app} configured", ())
    if roll < 0.8:
        return (
            "INFO",
            f"kubectl rollout status deployment/{app} -n shop: successfully rolled out",
            (),
        )
    return (
        "INFO",
        f"pipeline #{rng.randrange(8000, 9000)} stage deploy-{app} finished in {rng.randrange(30, 240)}s",
        (),
    )


_ = timedelta
