# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""An Argo CD sync of the security baseline adds a default-deny ingress NetworkPolicy to the
ledger namespace; only Prometheus keeps an allow rule, so checkout's and refunds' calls to
ledger-api time out while ledger-api itself sees nothing but probes and scrapes."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import Record, SpringBoot
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2025, 4, 8, 10, 0, tzinfo=UTC)
POLICY_MINUTE = 41.3
END_MINUTE = 70
NODES = ["ip-10-31-4-18.ec2.internal", "ip-10-31-5-202.ec2.internal", "ip-10-31-6-77.ec2.internal"]
LEDGER_IP = "172.20.141.9"


@dataclass
class Logfmt:
    """Go's log/slog text handler: `time=... level=INFO msg="..." k=v`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [f"time={stamp} level={record.level} {record.message}"]


def describe_policies() -> str:
    return """Name:         allow-prometheus-scrape
Namespace:    ledger
Created on:   2024-11-19 08:14:52 +0000 UTC
Labels:       app.kubernetes.io/part-of=observability
Annotations:  <none>
Spec:
  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)
  Allowing ingress traffic:
    To Port: 9090/TCP
    From:
      NamespaceSelector: kubernetes.io/metadata.name=monitoring
  Not affecting egress traffic
  Policy Types: Ingress


Name:         default-deny-ingress
Namespace:    ledger
Created on:   2025-04-08 10:41:18 +0000 UTC
Labels:       app.kubernetes.io/instance=security-baseline
              app.kubernetes.io/managed-by=argocd
Annotations:  argocd.argoproj.io/tracking-id: security-baseline:networking.k8s.io/NetworkPolicy:ledger/default-deny-ingress
Spec:
  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)
  Allowing ingress traffic:
    <none> (Selected pods are isolated for ingress connectivity)
  Not affecting egress traffic
  Policy Types: Ingress
"""


def checkout_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"Order {rng.randrange(10**7, 10**8)} placed for customer {rng.randrange(10**6)} total={rng.randrange(5, 400)}.{rng.randrange(100):02d} EUR",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"Ledger entry {rng.getrandbits(64):016x} posted for order {rng.randrange(10**7, 10**8)} in {rng.randrange(8, 60)} ms",
            (),
        )
    if roll < 0.9:
        return "DEBUG", f"Cart {rng.getrandbits(48):012x} priced: {rng.randrange(1, 9)} lines", ()
    return (
        "WARN",
        f"Stock reservation for SKU-{rng.randrange(10**5)} retried (optimistic lock), succeeded on attempt 2",
        (),
    )


def refunds_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return (
            "INFO",
            f'msg="refund issued" refund_id=rf_{rng.getrandbits(40):010x} order={rng.randrange(10**7, 10**8)} amount_cents={rng.randrange(100, 40000)} ledger_ms={rng.randrange(6, 50)}',
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f'msg="refund request accepted" refund_id=rf_{rng.getrandbits(40):010x} reason={rng.choice(["damaged", "late", "not_as_described", "changed_mind"])}',
            (),
        )
    return "DEBUG", f'msg="poll queue" queue=refunds-pending depth={rng.randrange(0, 12)}', ()


def ledger_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        return (
            "INFO",
            f'msg="entry posted" entry={rng.getrandbits(64):016x} account=acct_{rng.randrange(10**5)} amount_cents={rng.randrange(-40000, 40000)} caller={rng.choice(["checkout", "checkout", "refunds"])}',
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f'msg="balance read" account=acct_{rng.randrange(10**5)} caller={rng.choice(["checkout", "refunds"])}',
            (),
        )
    return "DEBUG", 'msg="GET /metrics" status=200 remote=10.31.7.12', ()


def probe_line(rng: random.Random) -> Line:
    return (
        "DEBUG",
        f'msg="GET /healthz" status=200 remote=10.31.{rng.randrange(4, 7)}.{rng.randrange(2, 250)} user_agent=kube-probe/1.29+',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(172)
    checkout = LogFile(
        "checkout.log",
        SpringBoot(
            (
                "c.a.shop.checkout.OrderService",
                "c.a.shop.checkout.LedgerClient",
                "o.s.web.client.RestTemplate",
            ),
            rng=rng,
        ),
    )
    checkout.add(traffic(rng, checkout_line, START, POLICY_MINUTE, 1900))
    checkout.add(
        traffic(
            rng,
            lambda r: (
                checkout_line(r)
                if r.random() < 0.4
                else (
                    "DEBUG",
                    f"Cart {r.getrandbits(48):012x} priced: {r.randrange(1, 9)} lines",
                    (),
                )
            ),
            START + timedelta(minutes=POLICY_MINUTE),
            END_MINUTE - POLICY_MINUTE,
            900,
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            POLICY_MINUTE + 0.1,
            END_MINUTE - POLICY_MINUTE - 0.2,
            420,
            fixed(
                "ERROR",
                lambda r: (
                    f'Posting ledger entry for order {r.randrange(10**7, 10**8)} failed: I/O error on POST request for "https://ledger-api.ledger.svc.cluster.local:8443/v1/entries": Connect timed out'
                ),
                lambda r: [
                    'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "https://ledger-api.ledger.svc.cluster.local:8443/v1/entries": Connect timed out',
                    "\tat org.springframework.web.client.RestTemplate.createResourceAccessException(RestTemplate.java:915)",
                    "\tat c.a.shop.checkout.LedgerClient.post(LedgerClient.java:61)",
                    "Caused by: java.net.SocketTimeoutException: Connect timed out",
                    "\tat java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:546)",
                ],
            ),
        )
    )
    checkout.add(
        loud(
            rng,
            START,
            POLICY_MINUTE + 1.5,
            END_MINUTE - POLICY_MINUTE - 2,
            260,
            fixed(
                "WARN",
                lambda r: "CircuitBreaker 'ledger' is OPEN and does not permit further calls",
            ),
        )
    )
    refunds = LogFile("refunds.log", Logfmt())
    refunds.add(traffic(rng, refunds_line, START, END_MINUTE, 1300))
    refunds.add(
        loud(
            rng,
            START,
            12,
            1.2,
            17,
            fixed(
                "WARN",
                lambda r: (
                    f'msg="ledger call failed, will retry" err="Post \\"https://ledger-api.ledger.svc.cluster.local:8443/v1/entries\\": dial tcp: lookup ledger-api.ledger.svc.cluster.local on 172.20.0.10:53: read udp 10.31.5.{r.randrange(2, 250)}:{r.randrange(30000, 60000)}->172.20.0.10:53: i/o timeout"'
                ),
            ),
        )
    )
    refunds.add(
        loud(
            rng,
            START,
            POLICY_MINUTE + 0.2,
            END_MINUTE - POLICY_MINUTE - 0.4,
            330,
            fixed(
                "ERROR",
                lambda r: (
                    f'msg="ledger call failed, will retry" err="Post \\"https://ledger-api.ledger.svc.cluster.local:8443/v1/entries\\": dial tcp {LEDGER_IP}:8443: i/o timeout" attempt={r.randrange(1, 6)} refund_id=rf_{r.getrandbits(40):010x}'
                ),
            ),
        )
    )
    ledger = LogFile("ledger-api.log", Logfmt())
    ledger.add(traffic(rng, ledger_line, START, POLICY_MINUTE, 2100))
    ledger.add(traffic(rng, probe_line, START, END_MINUTE, 840))
    ledger.add(
        traffic(
            rng,
            lambda r: ("DEBUG", 'msg="GET /metrics" status=200 remote=10.31.7.12', ()),
            START + timedelta(minutes=POLICY_MINUTE),
            END_MINUTE - POLICY_MINUTE,
            120,
        )
    )
    routine = routine_events(
        rng,
        ["ledger-api", "ledger-reconciler", "checkout", "refunds"],
        360,
        NODES,
        namespace="ledger",
    )
    signal = [
        (
            1725,
            (
                "Normal",
                "OperationStarted",
                "application/security-baseline",
                "Initiated automated sync to '7c41e09ad2f35b8e1c0d94a6f2b3e8d51a0c7f29'",
            ),
        ),
        (
            1722,
            (
                "Normal",
                "ResourceUpdated",
                "application/security-baseline",
                "Updated sync status: OutOfSync -> Synced",
            ),
        ),
        (
            1721,
            (
                "Normal",
                "OperationCompleted",
                "application/security-baseline",
                "Sync operation to 7c41e09ad2f35b8e1c0d94a6f2b3e8d51a0c7f29 succeeded",
            ),
        ),
        (
            1500,
            (
                "Warning",
                "Unhealthy",
                "pod/ledger-reconciler-6d9f7b8c5-lk2rt",
                'Liveness probe failed: Get "http://10.31.5.88:8081/livez": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
        (
            1380,
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/checkout",
                "New size: 6; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
    ]
    return Bundle(
        question="Checkout cannot post to the ledger since about 10:41 UTC: 'Connect timed out' everywhere, ledger-api pods look healthy. What broke?",
        category="network",
        component="ledger-api",
        statement="The NetworkPolicy default-deny-ingress synced into the ledger namespace at 10:41:18 UTC selects every pod and allows no ingress (only Prometheus scrapes on 9090 stay allowed), so checkout's and refunds' connections to ledger-api on 8443 are dropped and time out.",
        files={
            "describe-networkpolicy.txt": describe_policies(),
            "events.txt": event_listing(routine, signal),
            "checkout.log": checkout.render(),
            "refunds.log": refunds.render(),
            "ledger-api.log": ledger.render(),
        },
        proofs=[
            Proof(
                "describe-networkpolicy.txt",
                "Name:         default-deny-ingress",
                "<none> (Selected pods are isolated for ingress connectivity)",
            )
        ],
        decoys=["CircuitBreaker 'ledger' is OPEN", "read udp", "Liveness probe failed"],
    )
