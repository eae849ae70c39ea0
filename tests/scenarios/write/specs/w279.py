# ruff: noqa: E501
# CoreDNS, zap and nginx lines and pasted kubectl output are data, kept whole on one line.
"""Kubernetes: the orders database moved from Aurora cluster orders-aurora-v1 to a restored
orders-aurora-v2 last week; the apps' config was updated, but the ExternalName Service
`orders-db` in the fulfilment namespace still names the v1 cluster endpoint. When the DBA's
retention job deleted v1 at 09:14 CDT, its DNS name disappeared: CoreDNS answers NXDOMAIN for
the CNAME target and fulfilment-api, which connects through `orders-db`, fails every query.
Loud: fulfilment-api's `no such host` errors and the gateway's 503s. Decoys: ordinary
search-path NXDOMAINs, a Kafka leader change, and an HPA scale-up."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import KubectlTimestamps, NginxAccess, Zap
from scenes import at, loud
from traffic import http_access, traffic, web_api

ZONE = ZoneInfo("America/Chicago")
START = datetime(2026, 9, 22, 8, 20, tzinfo=ZONE)
NOW = datetime(2026, 9, 22, 10, 5, tzinfo=ZONE)
GONE = 54.0  # 09:14 CDT
V1 = "orders-aurora-v1.cluster-c8x2k1m0qz7e.us-east-2.rds.amazonaws.com"
V2 = "orders-aurora-v2.cluster-c8x2k1m0qz7e.us-east-2.rds.amazonaws.com"
NODES = [
    "ip-10-12-4-31.us-east-2.compute.internal",
    "ip-10-12-5-118.us-east-2.compute.internal",
    "ip-10-12-6-72.us-east-2.compute.internal",
]


def coredns_ok(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    client = f"10.12.{rng.randrange(4, 7)}.{rng.randrange(2, 250)}:{rng.randrange(30000, 60000)}"
    qid = rng.randrange(1, 65535)
    name, answer = rng.choice(
        [
            ("kafka-0.kafka-headless.streaming.svc.cluster.local.", "NOERROR qr,aa,rd 110"),
            ("fulfilment-api.fulfilment.svc.cluster.local.", "NOERROR qr,aa,rd 106"),
            ("redis.fulfilment.svc.cluster.local.", "NOERROR qr,aa,rd 96"),
            ("api.shipengine.com.fulfilment.svc.cluster.local.", "NXDOMAIN qr,aa,rd 169"),
            ("api.shipengine.com.svc.cluster.local.", "NXDOMAIN qr,aa,rd 158"),
            ("api.shipengine.com.cluster.local.", "NXDOMAIN qr,aa,rd 154"),
            ("api.shipengine.com.us-east-2.compute.internal.", "NXDOMAIN qr,rd,ra 168"),
            ("api.shipengine.com.", "NOERROR qr,rd,ra 118"),
            ("sts.us-east-2.amazonaws.com.", "NOERROR qr,rd,ra 130"),
        ]
    )
    kind = rng.choice(["A", "A", "AAAA"])
    return (
        "INFO",
        f'[INFO] {client} - {qid} "{kind} IN {name} udp {rng.randrange(50, 90)} false 512" {answer} {rng.uniform(0.00004, 0.003):.9f}s',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(27903)
    total = (NOW - START).total_seconds() / 60
    dns = LogFile("logs/coredns.log", KubectlTimestamps())
    dns.add(traffic(rng, coredns_ok, START, total, 3600))
    dns.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'[INFO] 10.12.{r.randrange(4, 7)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} - {r.randrange(1, 65535)} "A IN orders-db.fulfilment.svc.cluster.local. udp 56 false 512" NOERROR qr,aa,rd,ra 198 {r.uniform(0.0004, 0.004):.9f}s',
                (),
            ),
            START,
            GONE,
            160,
        )
    )
    dns.add(
        loud(
            rng,
            START,
            GONE + 0.2,
            total - GONE - 0.3,
            520,
            lambda r: (
                "INFO",
                f'[INFO] 10.12.{r.randrange(4, 7)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} - {r.randrange(1, 65535)} "A IN orders-db.fulfilment.svc.cluster.local. udp 56 false 512" NXDOMAIN qr,aa,rd,ra 236 {r.uniform(0.001, 0.02):.9f}s',
                (),
            ),
        )
    )
    api = LogFile(
        "logs/fulfilment-api.log",
        Zap(
            (
                "orders/repo.go:88",
                "http/server.go:142",
                "picking/plan.go:57",
                "kafka/producer.go:203",
            ),
            rng=rng,
        ),
    )
    api.add(
        traffic(
            rng, web_api("fulfilment-api", ["picklists", "shipments", "orders"]), START, total, 3000
        )
    )
    api.add(
        loud(
            rng,
            START,
            GONE + 0.25,
            total - GONE - 0.4,
            700,
            lambda r: (
                "ERROR",
                f"query orders failed: failed to connect to `host=orders-db.fulfilment.svc.cluster.local user=fulfilment database=orders`: hostname resolving error (lookup orders-db.fulfilment.svc.cluster.local on 172.20.0.10:53: no such host) picklist={r.randrange(10**6)}",
                (),
            ),
        )
    )
    api.add(
        [
            at(
                START,
                31.5,
                "WARN",
                "kafka: NOT_LEADER_OR_FOLLOWER for fulfilment.events-3, refreshing metadata (leader moved 2 -> 0)",
                logger="kafka/producer.go:203",
            )
        ]
    )
    gw = LogFile("logs/gateway-access.log", NginxAccess(rng, zone=ZONE))
    gw.add(
        traffic(
            rng,
            http_access(
                [
                    "/api/v1/picklists/{id}",
                    "/api/v1/shipments/{id}",
                    "/api/v1/orders/{id}/status",
                    "/healthz",
                ],
                45,
            ),
            START,
            total,
            3800,
        )
    )
    gw.add(
        loud(
            rng,
            START,
            GONE + 0.3,
            total - GONE - 0.5,
            600,
            lambda r: (
                "ERROR",
                f'"GET /api/v1/picklists/{r.randrange(10**6)} HTTP/1.1" 503 61 "-" "picker-ui/4.2.0 (Android 14)" {r.uniform(0.01, 0.09):.3f}',
                (),
            ),
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["fulfilment-api", "label-printer", "picker-ui"], 20, NODES, namespace="fulfilment"
    )
    signal = [
        (
            ago(GONE + 9),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/fulfilment-api",
                "New size: 6; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(GONE + 6),
            (
                "Warning",
                "Unhealthy",
                "pod/fulfilment-api-5d7c9b8f4-k3v2n",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
        (
            ago(GONE + 6.5),
            (
                "Warning",
                "Unhealthy",
                "pod/fulfilment-api-5d7c9b8f4-p8w4z",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
    ]
    events = event_listing(routine, signal)
    gets = "\n".join(
        [
            "$ kubectl -n fulfilment get svc",
            "NAME             TYPE           CLUSTER-IP      EXTERNAL-IP                                                            PORT(S)    AGE",
            "fulfilment-api   ClusterIP      172.20.91.14    <none>                                                                 8080/TCP   2y",
            f"orders-db        ExternalName   <none>          {V1}   5432/TCP   2y",
            "picker-ui        ClusterIP      172.20.40.211   <none>                                                                 80/TCP     2y",
            "redis            ClusterIP      172.20.17.3     <none>                                                                 6379/TCP   2y",
            "",
            '$ kubectl -n fulfilment get deploy fulfilment-api -o jsonpath=\'{.spec.template.spec.containers[0].env[?(@.name=="PGHOST")].value}{"\\n"}\'',
            "orders-db.fulfilment.svc.cluster.local",
            "",
            "$ kubectl -n fulfilment get cm fulfilment-api-config -o jsonpath='{.data.DATABASE_READER_HOST}{\"\\n\"}'",
            "orders-aurora-v2.cluster-ro-c8x2k1m0qz7e.us-east-2.rds.amazonaws.com",
            "",
            "$ kubectl -n fulfilment run dnscheck --rm -it --restart=Never --image=registry.k8s.io/e2e-test-images/agnhost:2.39 -- nslookup orders-db.fulfilment.svc.cluster.local",
            "Server:\t\t172.20.0.10",
            "Address:\t172.20.0.10#53",
            "",
            f"orders-db.fulfilment.svc.cluster.local\tcanonical name = {V1}.",
            f"** server can't find {V1}: NXDOMAIN",
            "",
            'pod "dnscheck" deleted',
            "",
            "$ aws rds describe-db-clusters --query 'DBClusters[].[DBClusterIdentifier,Status,Endpoint]' --output text",
            f"orders-aurora-v2\tavailable\t{V2}",
            "reporting-aurora\tavailable\treporting-aurora.cluster-c8x2k1m0qz7e.us-east-2.rds.amazonaws.com",
            "",
        ]
    )
    notes = "\n".join(
        [
            "## #dba-changes (pasted)",
            "- Sep 15 orders DB migrated to orders-aurora-v2 (restored from snapshot, engine 16.4). App configs updated in fulfilment-api-config.",
            "- Sep 22 09:14 CDT retention job: orders-aurora-v1 deleted (final snapshot orders-aurora-v1-final-20260922).",
            "",
        ]
    )
    return Bundle(
        question="Pickers get 503s on every picklist since about 09:15 CDT and fulfilment-api cannot reach its database. Nothing was deployed today. What is the root cause?",
        category="dns",
        component="orders-db",
        statement="The ExternalName Service orders-db still points at orders-aurora-v1's endpoint after the migration to orders-aurora-v2; when v1 was deleted at 09:14 CDT its DNS name vanished, so orders-db.fulfilment.svc.cluster.local resolves to a CNAME that is NXDOMAIN and fulfilment-api fails every database connection with `no such host`.",
        files={
            "kubectl-get.txt": gets,
            "dba-notes.md": notes,
            "kubectl-get-events.txt": events,
            "logs/coredns.log": dns.render(),
            "logs/fulfilment-api.log": api.render(),
            "logs/gateway-access.log": gw.render(),
        },
        proofs=[
            Proof("kubectl-get.txt", "orders-db        ExternalName"),
            Proof("kubectl-get.txt", f"** server can't find {V1}"),
        ],
        decoys=[
            "api.shipengine.com.fulfilment.svc.cluster.local.",
            "NOT_LEADER_OR_FOLLOWER",
            "New size: 6; reason: cpu resource utilization",
        ],
    )
