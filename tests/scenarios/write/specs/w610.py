# ruff: noqa: E501
# kubectl output, logfmt and CoreDNS lines are data, kept whole on one line.
"""Kubernetes: a hardening change at 09:30 JST (00:30 UTC) added the NetworkPolicy
`geo-enricher-egress` (policyTypes Egress) allowing geo-enricher's pods to reach only PostgreSQL
(10.60.0.0/16:5432) and tiles-cache (6379). It has no rule for port 53 to kube-dns, so every
name lookup from those pods times out: new connections to tiles-cache and to the external
geocoder fail while pooled database connections keep working. ingest-api times out on
geo-enricher. CoreDNS is healthy and simply never sees the queries. Decoys: a CoreDNS reload,
a slow PostgreSQL query warning, and a tile-renderer liveness failure."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, Logfmt, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 4, 15, 23, 45, tzinfo=UTC)
NOW = datetime(2026, 4, 16, 1, 50, tzinfo=UTC)
POLICY = 45.0  # 00:30 UTC, 09:30 JST
NODES = ["node-tyo-a-12", "node-tyo-c-03", "node-tyo-d-08"]
PODS = {
    "10.244.3.17": "geo-enricher-6b9d8f7c54-4xk9p",
    "10.244.5.40": "geo-enricher-6b9d8f7c54-qm2rv",
}


class CoreDns:
    """CoreDNS `log` plugin lines plus its own `[INFO]` notices."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def render(self, record: Record) -> list[str]:
        if record.logger == "notice":
            return [record.message]
        return [f"[INFO] {record.message}s"]


def query(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    client = r.choice(["10.244.1.22", "10.244.2.9", "10.244.4.61", "10.244.6.15", "10.244.3.88"])
    name = r.choice(
        [
            "postgres-main.maps.svc.cluster.local.",
            "tiles-cache.maps.svc.cluster.local.",
            "ingest-api.maps.svc.cluster.local.",
            "kafka-0.kafka-headless.streams.svc.cluster.local.",
            "api.geocode.example.jp.",
        ]
    )
    kind = r.choice(["A", "AAAA"])
    code = "NOERROR" if kind == "A" or r.random() < 0.5 else "NXDOMAIN"
    flags = "qr,aa,rd" if name.endswith("cluster.local.") else "qr,rd,ra"
    return (
        "INFO",
        f'{client}:{r.randrange(30000, 61000)} - {r.randrange(1, 65535)} "{kind} IN {name} udp {r.randrange(40, 120)} false 1232" {code} {flags} {r.randrange(90, 300)} 0.000{r.randrange(100, 999)}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(6101)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    geo = LogFile("logs/geo-enricher.log", Logfmt("geo-enricher", rng=rng))
    geo.add(
        traffic(
            rng, web_api("geo-enricher", ["points", "regions", "addresses"]), START, POLICY, 1500
        )
    )
    geo.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"enriched batch size={r.randrange(20, 200)} db_ms={r.randrange(2, 40)} cache=hit"
                ),
            ),
            START,
            POLICY,
            600,
        )
    )
    geo.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"enriched batch size={r.randrange(20, 200)} db_ms={r.randrange(2, 40)} cache=skipped geocoder=skipped"
                ),
            ),
            START + timedelta(minutes=POLICY + 1),
            total - POLICY - 1,
            380,
        )
    )
    geo.add(
        [
            at(
                START,
                18.4,
                "WARN",
                "slow query 1.9s: SELECT region_id FROM admin_regions WHERE ST_Contains(geom, $1)",
            ),
            at(START, 66.0, "INFO", "db pool stats open=12 idle=9 in_use=3 wait_count=0"),
        ]
    )
    geo.add(
        loud(
            rng,
            START,
            POLICY + 0.4,
            total - POLICY - 1,
            520,
            fixed(
                "ERROR",
                lambda r: (
                    f"tiles-cache dial failed: dial tcp: lookup tiles-cache.maps.svc.cluster.local on 10.96.0.10:53: read udp {r.choice(list(PODS))}:{r.randrange(30000, 61000)}->10.96.0.10:53: i/o timeout"
                ),
            ),
        )
    )
    geo.add(
        loud(
            rng,
            START,
            POLICY + 0.4,
            total - POLICY - 1,
            330,
            fixed(
                "ERROR",
                lambda r: (
                    f'geocode request failed: Get "https://api.geocode.example.jp/v3/reverse?lat=35.{r.randrange(10**5)}&lon=139.{r.randrange(10**5)}": dial tcp: lookup api.geocode.example.jp on 10.96.0.10:53: read udp {r.choice(list(PODS))}:{r.randrange(30000, 61000)}->10.96.0.10:53: i/o timeout'
                ),
            ),
        )
    )
    geo.add(
        loud(
            rng,
            START,
            POLICY + 0.5,
            total - POLICY - 1,
            260,
            fixed(
                "WARN",
                lambda r: (
                    f"POST /v1/enrich 504 deadline exceeded after 5000ms batch={r.getrandbits(32):08x}"
                ),
            ),
        )
    )

    dns = LogFile("kubectl-logs-coredns.txt", CoreDns(rng))
    dns.add(traffic(rng, query, START, total, 3200))
    dns.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f'{r.choice(list(PODS))}:{r.randrange(30000, 61000)} - {r.randrange(1, 65535)} "A IN tiles-cache.maps.svc.cluster.local. udp 63 false 1232" NOERROR qr,aa,rd 124 0.000{r.randrange(100, 999)}',
                (),
            ),
            START,
            POLICY - 0.2,
            420,
        )
    )
    dns.add(
        [
            Record(
                START + timedelta(minutes=71.3),
                "INFO",
                "[INFO] Reloading\n[INFO] plugin/reload: Running configuration SHA512 = 7f3c2b0e9d1a84c5\n[INFO] Reloading complete",
                (),
                "notice",
            )
        ]
    )
    dns_text = (
        "$ kubectl -n kube-system logs -l k8s-app=kube-dns --since=2h --prefix=false\n"
        + dns.render()
    )

    ingest = LogFile("logs/ingest-api.log", JsonLines("ingest-api", rng=rng))
    ingest.add(traffic(rng, web_api("ingest-api", ["uploads", "tracks"]), START, total, 2800))
    ingest.add(
        loud(
            rng,
            START,
            POLICY + 0.5,
            total - POLICY - 1,
            400,
            fixed(
                "ERROR",
                lambda r: (
                    f"enrichment call to geo-enricher.maps.svc:8080 failed: context deadline exceeded (track {r.getrandbits(40):010x}, queued for retry)"
                ),
            ),
        )
    )

    policy = "\n".join(
        [
            "$ kubectl -n maps get networkpolicy",
            "NAME                  POD-SELECTOR       AGE",
            "allow-from-ingress    app=geo-enricher   241d",
            "geo-enricher-egress   app=geo-enricher   80m",
            "",
            "$ kubectl -n maps describe networkpolicy geo-enricher-egress",
            "Name:         geo-enricher-egress",
            "Namespace:    maps",
            "Created on:   2026-04-16 09:30:07 +0900 JST",
            "Labels:       app.kubernetes.io/part-of=egress-hardening",
            "              change=SEC-2291",
            "Annotations:  <none>",
            "Spec:",
            "  PodSelector:     app=geo-enricher",
            "  Not affecting ingress traffic",
            "  Allowing egress traffic:",
            "    To Port: 5432/TCP",
            "    To:",
            "      IPBlock:",
            "        CIDR: 10.60.0.0/16",
            "        Except: ",
            "    ----------",
            "    To Port: 6379/TCP",
            "    To:",
            "      PodSelector: app=tiles-cache",
            "  Policy Types: Egress",
            "",
            "$ kubectl -n maps get pods -l app=geo-enricher -o wide",
            "NAME                            READY   STATUS    RESTARTS   AGE   IP            NODE            NOMINATED NODE   READINESS GATES",
            f"geo-enricher-6b9d8f7c54-4xk9p   1/1     Running   0          6d    10.244.3.17   {NODES[0]}   <none>           <none>",
            f"geo-enricher-6b9d8f7c54-qm2rv   1/1     Running   0          6d    10.244.5.40   {NODES[2]}   <none>           <none>",
            "",
            "$ kubectl -n kube-system get svc kube-dns",
            "NAME       TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                  AGE",
            "kube-dns   ClusterIP   10.96.0.10   <none>        53/UDP,53/TCP,9153/TCP   1y",
            "",
        ]
    )

    routine = routine_events(
        rng, ["tiles-cache", "ingest-api", "tile-renderer"], 20, NODES, namespace="maps"
    )
    signal = [
        (
            ago(58.0),
            (
                "Warning",
                "Unhealthy",
                "pod/tile-renderer-7c5f9d8b46-zq4wd",
                'Liveness probe failed: Get "http://10.244.6.15:9090/livez": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
    ]
    events = "$ kubectl -n maps get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    return Bundle(
        question="Since about 09:30 JST ingest-api's calls to geo-enricher time out and geo-enricher logs DNS i/o timeouts, yet CoreDNS looks perfectly healthy. What is the root cause?",
        category="network",
        component="geo-enricher",
        statement="The NetworkPolicy geo-enricher-egress added at 09:30 JST restricts geo-enricher's egress to PostgreSQL (5432) and tiles-cache (6379) with no rule for port 53 to kube-dns, so all its name lookups time out; new connections fail while pooled database connections keep working.",
        files={
            "logs/geo-enricher.log": geo.render(),
            "logs/ingest-api.log": ingest.render(),
            "kubectl-logs-coredns.txt": dns_text,
            "kubectl-maps-netpol.txt": policy,
            "kubectl-get-events.txt": events,
        },
        proofs=[
            Proof("kubectl-maps-netpol.txt", "Policy Types: Egress"),
            Proof(
                "kubectl-maps-netpol.txt",
                "  Allowing egress traffic:",
                "PodSelector: app=tiles-cache",
            ),
            Proof("kubectl-maps-netpol.txt", "geo-enricher-egress   app=geo-enricher   80m"),
        ],
        decoys=[
            "[INFO] Reloading complete",
            "slow query 1.9s",
            'Liveness probe failed: Get "http://10.244.6.15:9090/livez"',
        ],
    )
