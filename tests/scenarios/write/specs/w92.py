# ruff: noqa: E501
# Hand-written log lines and kubectl output are data, kept whole on one line.
"""An edit of the coredns ConfigMap points `forward .` at the kube-dns ClusterIP itself; at
the next restart the loop plugin detects the forwarding loop and exits, both CoreDNS pods go
into CrashLoopBackOff, and every service logs name-resolution failures (Postgres, Kafka,
HTTP calls) while the ingress answers 502."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events, table
from records import JsonLines, Record, SpringBoot, Zap
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2025, 5, 6, 8, 0, tzinfo=UTC)
NOW_MINUTE = 48
BROKEN = 29.3
NODES = [
    "gke-prod-pool-2-8c1e0a4f-7kq2",
    "gke-prod-pool-2-8c1e0a4f-m9vd",
    "gke-prod-pool-2-8c1e0a4f-x3tz",
]
APPS = ["invoices", "ledger", "billing-api", "notifier", "pdf-render"]


def config_map() -> str:
    return """apiVersion: v1
data:
  Corefile: |
    .:53 {
        errors
        health {
           lameduck 5s
        }
        ready
        kubernetes cluster.local in-addr.arpa ip6.arpa {
           pods insecure
           fallthrough in-addr.arpa ip6.arpa
           ttl 30
        }
        prometheus :9153
        forward . 10.96.0.10 {
           max_concurrent 1000
        }
        cache 30
        loop
        reload
        loadbalance
    }
    corp.example.net:53 {
        errors
        cache 30
        forward . 10.20.0.2 10.20.0.3
    }
kind: ConfigMap
metadata:
  creationTimestamp: "2024-01-22T10:41:09Z"
  managedFields:
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:data: {}
    manager: kubeadm
    operation: Update
    time: "2024-01-22T10:41:09Z"
  - apiVersion: v1
    fieldsType: FieldsV1
    fieldsV1:
      f:data:
        f:Corefile: {}
    manager: kubectl-edit
    operation: Update
    time: "2025-05-06T08:27:52Z"
  name: coredns
  namespace: kube-system
  resourceVersion: "184467219"
  uid: 6f1d2c0e-8b3a-4e57-9c1d-0a2b7e4f9d13
"""


def coredns_previous() -> str:
    return """.:53
corp.example.net.:53
[INFO] plugin/reload: Running configuration SHA512 = 3c9a4e6f1d0b7a52e8c1f49d2b6a0e7c5d3f8a1b9c2e4d6f7a0b1c3d5e7f9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f
CoreDNS-1.11.1
linux/amd64, go1.20.7, ae2bbc2
[FATAL] plugin/loop: Loop (127.0.0.1:47819 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO 7184926610350211946.5529364092717342184."
"""


def pods(rng: random.Random) -> str:
    rows = [
        ("coredns-5d78c9869d-4xk7p", "0/1", "CrashLoopBackOff", "7 (2m11s ago)", "41d"),
        ("coredns-5d78c9869d-qz8wn", "0/1", "CrashLoopBackOff", "7 (1m48s ago)", "41d"),
        ("etcd-control-plane", "1/1", "Running", "0", "41d"),
        ("konnectivity-agent-6d9f7c8b5-2xq9l", "1/1", "Running", "0", "12d"),
        ("kube-proxy-8w2lk", "1/1", "Running", "0", "41d"),
        ("kube-proxy-fq7d4", "1/1", "Running", "0", "41d"),
        ("kube-proxy-tn5zr", "1/1", "Running", "0", "41d"),
        ("metrics-server-7f9c7b6d5-8jz2c", "1/1", "Running", "3 (9d ago)", "41d"),
        (f"pdcsi-node-{rng.getrandbits(20):05x}", "2/2", "Running", "0", "41d"),
        (f"pdcsi-node-{rng.getrandbits(20):05x}", "2/2", "Running", "0", "41d"),
    ]
    return "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE"), rows)) + "\n"


def invoices_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"GET /v1/invoices/{rng.randrange(10**6)} 200 {rng.randrange(3, 60)}ms", ()
    if roll < 0.8:
        return (
            "INFO",
            f"invoice {rng.getrandbits(40):010x} finalised total={rng.randrange(10, 9000)}.{rng.randrange(100):02d} EUR",
            (),
        )
    return (
        "DEBUG",
        f"pgx pool stat total=10 idle={rng.randrange(4, 10)} acquired={rng.randrange(0, 6)}",
        (),
    )


def ledger_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"Posted journal entry {rng.getrandbits(48):012x} debit={rng.randrange(1, 9000)} credit={rng.randrange(1, 9000)}",
            (),
        )
    return (
        "INFO",
        f"Consumed {rng.randrange(1, 200)} records from billing.events partition {rng.randrange(6)}",
        (),
    )


def notifier_line(rng: random.Random) -> Line:
    if rng.random() < 0.7:
        return (
            "INFO",
            f"email queued template=invoice_ready to=user{rng.randrange(10**5)}@example.org",
            (),
        )
    return (
        "INFO",
        f"webhook delivered endpoint=https://hooks.partner{rng.randrange(9)}.example.com status=200",
        (),
    )


@dataclass
class Ingress:
    """GKE-style ingress-nginx access log."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%d/%b/%Y:%H:%M:%S +0000")
        return [
            f"10.128.{self.rng.randrange(4)}.{self.rng.randrange(2, 250)} - - [{stamp}] {record.message}"
        ]


def access_line(rng: random.Random) -> Line:
    path = rng.choice(
        ["/v1/invoices/{}", "/v1/invoices/{}/pdf", "/v1/ledger/balance", "/healthz"]
    ).replace("{}", str(rng.randrange(10**6)))
    took = rng.randrange(3, 200) / 1000
    return (
        "INFO",
        f'"GET {path} HTTP/1.1" 200 {rng.randrange(90, 9000)} "-" "okhttp/4.12.0" {rng.randrange(100, 400)} {took:.3f} [billing-billing-api-80] [] 10.244.{rng.randrange(3)}.{rng.randrange(2, 250)}:8080 {rng.randrange(90, 9000)} {took:.3f} 200',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(192)
    now = NOW_MINUTE * 60
    broken = int(BROKEN * 60)
    invoices = LogFile(
        "invoices.log",
        Zap(("db/pool.go:77", "http/server.go:141", "invoice/finalise.go:58"), rng=rng),
    )
    invoices.add(traffic(rng, invoices_line, START, NOW_MINUTE, 2200))
    invoices.add(
        loud(
            rng,
            START,
            BROKEN + 0.3,
            NOW_MINUTE - BROKEN - 0.5,
            341,
            fixed(
                "ERROR",
                lambda r: (
                    f"failed to connect to `host=postgres-billing.billing.svc.cluster.local user=invoices database=invoices`: hostname resolving error (lookup postgres-billing.billing.svc.cluster.local on 10.96.0.10:53: {r.choice(['read udp 10.244.1.' + str(r.randrange(2, 250)) + ':' + str(r.randrange(30000, 60000)) + '->10.96.0.10:53: i/o timeout', 'read udp 10.244.1.' + str(r.randrange(2, 250)) + ':' + str(r.randrange(30000, 60000)) + '->10.96.0.10:53: read: connection refused'])})"
                ),
            ),
        )
    )
    invoices.add(
        loud(
            rng,
            START,
            BROKEN + 0.6,
            NOW_MINUTE - BROKEN - 1,
            122,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /v1/invoices/{r.randrange(10**6)} 500 {r.randrange(5000, 10000)}ms: database unavailable"
                ),
            ),
        )
    )
    ledger = LogFile(
        "ledger.log",
        SpringBoot(
            (
                "c.e.ledger.JournalService",
                "o.a.k.c.c.internals.ConsumerCoordinator",
                "o.a.kafka.clients.NetworkClient",
            ),
            pid=1,
            rng=rng,
        ),
    )
    ledger.add(traffic(rng, ledger_line, START, NOW_MINUTE, 1800))
    ledger.add(
        loud(
            rng,
            START,
            BROKEN + 0.4,
            NOW_MINUTE - BROKEN - 0.6,
            266,
            fixed(
                "WARN",
                lambda r: (
                    f"[Consumer clientId=ledger-{r.randrange(3)}, groupId=ledger] Error connecting to node kafka-{r.randrange(3)}.kafka-headless.messaging.svc.cluster.local:9092 (id: {r.randrange(3)} rack: null)"
                ),
                lambda r: [
                    "java.net.UnknownHostException: kafka-0.kafka-headless.messaging.svc.cluster.local: Temporary failure in name resolution",
                    "\tat java.base/java.net.Inet6AddressImpl.lookupAllHostAddr(Native Method)",
                    "\tat java.base/java.net.InetAddress$PlatformNameService.lookupAllHostAddr(InetAddress.java:934)",
                ],
            ),
        )
    )
    notifier = LogFile("notifier.log", JsonLines("notifier", rng=rng))
    notifier.add(traffic(rng, notifier_line, START, NOW_MINUTE, 900))
    notifier.add(
        loud(
            rng,
            START,
            BROKEN + 0.5,
            NOW_MINUTE - BROKEN - 1,
            151,
            fixed(
                "ERROR",
                lambda r: (
                    f"webhook failed endpoint=https://hooks.partner{r.randrange(9)}.example.com error=getaddrinfo EAI_AGAIN hooks.partner{r.randrange(9)}.example.com"
                ),
            ),
        )
    )
    ingress = LogFile("ingress-access.log", Ingress(rng))
    ingress.add(traffic(rng, access_line, START, NOW_MINUTE, 3000))
    ingress.add(
        loud(
            rng,
            START,
            BROKEN + 0.8,
            NOW_MINUTE - BROKEN - 1,
            377,
            fixed(
                "ERROR",
                lambda r: (
                    f'"GET /v1/invoices/{r.randrange(10**6)} HTTP/1.1" {r.choice([500, 502, 502, 504])} 150 "-" "okhttp/4.12.0" {r.randrange(100, 400)} {r.randrange(5, 30)}.{r.randrange(1000):03d} [billing-billing-api-80] [] 10.244.{r.randrange(3)}.{r.randrange(2, 250)}:8080 150 {r.randrange(5, 30)}.{r.randrange(1000):03d} 502'
                ),
            ),
        )
    )
    routine = routine_events(rng, APPS, 360, NODES, namespace="billing")
    signal = [
        (
            now - broken + 20,
            ("Normal", "Killing", "pod/coredns-5d78c9869d-4xk7p", "Stopping container coredns"),
        ),
        (
            now - broken + 5,
            (
                "Normal",
                "Pulled",
                "pod/coredns-5d78c9869d-4xk7p",
                'Container image "registry.k8s.io/coredns/coredns:v1.11.1" already present on machine',
            ),
        ),
        (
            now - broken,
            (
                "Warning",
                "Unhealthy",
                "pod/coredns-5d78c9869d-4xk7p",
                "Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ),
        (
            now - broken - 30,
            (
                "Warning",
                "BackOff",
                "pod/coredns-5d78c9869d-4xk7p",
                "Back-off restarting failed container coredns in pod coredns-5d78c9869d-4xk7p_kube-system(0c7e1a9d-4b2f-4e8c-a6d1-3f9b2c7e5a10)",
            ),
        ),
        (
            now - broken - 40,
            (
                "Warning",
                "BackOff",
                "pod/coredns-5d78c9869d-qz8wn",
                "Back-off restarting failed container coredns in pod coredns-5d78c9869d-qz8wn_kube-system(9a2d4f6b-1c3e-4a5b-8d7f-2e0c6b4a9d31)",
            ),
        ),
        (
            now - broken - 300,
            (
                "Warning",
                "FailedGetResourceMetric",
                "horizontalpodautoscaler/billing-api",
                "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
            ),
        ),
        (
            now - broken - 420,
            (
                "Warning",
                "Unhealthy",
                "pod/billing-api-6f8d9c7b54-w2k8x",
                'Liveness probe failed: Get "http://10.244.1.88:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
    ]
    return Bundle(
        question="Billing is down: every service is logging connection errors to postgres, kafka and partners since about 08:30 UTC. Where do we start?",
        category="dns",
        component="coredns",
        statement="The coredns ConfigMap edited at 08:27 UTC forwards `.` to 10.96.0.10, the kube-dns ClusterIP of CoreDNS itself, so the loop plugin detects a forwarding loop and CoreDNS exits into CrashLoopBackOff, and every service's name lookups fail.",
        files={
            "kubectl-get-pods-kube-system.txt": pods(rng),
            "coredns-previous.log": coredns_previous(),
            "configmap.yaml": config_map(),
            "events.txt": event_listing(routine, signal),
            "invoices.log": invoices.render(),
            "ledger.log": ledger.render(),
            "notifier.log": notifier.render(),
            "ingress-access.log": ingress.render(),
        },
        proofs=[
            Proof("coredns-previous.log", "[FATAL] plugin/loop: Loop"),
            Proof("configmap.yaml", "forward . 10.96.0.10 {"),
        ],
        decoys=[
            "hostname resolving error",
            "java.net.UnknownHostException",
            "Liveness probe failed",
        ],
    )
