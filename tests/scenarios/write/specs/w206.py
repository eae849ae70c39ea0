# ruff: noqa: E501
# kubectl output, kernel lines, metric rows and hand-written log lines are data, kept whole on one line.
"""Kubernetes (EKS): the node ip-10-12-7-91 was launched yesterday from the security team's
hardened AMI, whose sysctl baseline sets `net.netfilter.nf_conntrack_max = 65536` (the other
nodes run with 262144). At the evening peak (18:05 UTC) its conntrack table fills and the
kernel drops new flows (`nf_conntrack: table full, dropping packet`). Every pod on that node
sees connect and DNS timeouts while the same services on other nodes are fine; the node stays
Ready. Loud: cart-api's DNS lookup timeouts and Redis dial errors from the pods on that node,
the ingress's 504s. Decoys: the DNS timeouts themselves (CoreDNS is healthy), a Redis
slowlog warning, and an ALB target health blip."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import table
from metrics import csv_text, shift, steady
from records import JsonLines
from scenes import at, fixed, loud
from traffic import Line, traffic, web_api

START = datetime(2026, 5, 18, 17, 30, tzinfo=UTC)
NOW = datetime(2026, 5, 18, 18, 50, tzinfo=UTC)
FULL = 35.0  # 18:05
BAD = "ip-10-12-7-91.eu-central-1.compute.internal"
GOOD = [
    "ip-10-12-4-18.eu-central-1.compute.internal",
    "ip-10-12-5-203.eu-central-1.compute.internal",
    "ip-10-12-6-77.eu-central-1.compute.internal",
]


def dial_error(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.45:
        return (
            "ERROR",
            f"get cart {rng.getrandbits(48):012x}: dial tcp: lookup redis-cart.shop.svc.cluster.local on 172.20.0.10:53: read udp 10.12.7.{rng.randrange(100, 140)}:{rng.randrange(32768, 61000)}->172.20.0.10:53: i/o timeout",
            (),
        )
    if roll < 0.8:
        return (
            "ERROR",
            f"get cart {rng.getrandbits(48):012x}: dial tcp 10.12.{rng.randrange(4, 7)}.{rng.randrange(2, 250)}:6379: i/o timeout",
            (),
        )
    return (
        "ERROR",
        f"POST http://pricing.shop.svc.cluster.local:8080/v1/quote: dial tcp 172.20.{rng.randrange(30, 200)}.{rng.randrange(2, 250)}:8080: connect: connection timed out",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1206)
    total = (NOW - START).total_seconds() / 60
    sick = LogFile(
        "logs/cart-api-7f8d6c5b9-pz4lw.log",
        JsonLines("cart-api", keys=("ts", "level", "msg"), rng=rng),
    )
    sick.add(traffic(rng, web_api("cart-api", ["carts", "items", "quotes"]), START, FULL, 900))
    sick.add(
        traffic(
            rng,
            web_api("cart-api", ["carts", "items", "quotes"]),
            START + timedelta(minutes=FULL),
            total - FULL,
            500,
        )
    )
    sick.add(loud(rng, START, FULL + 0.3, total - FULL - 0.5, 1100, dial_error))
    healthy = LogFile(
        "logs/cart-api-7f8d6c5b9-2nmxq.log",
        JsonLines("cart-api", keys=("ts", "level", "msg"), rng=rng),
    )
    healthy.add(traffic(rng, web_api("cart-api", ["carts", "items", "quotes"]), START, total, 2600))
    healthy.add(
        [at(START, FULL + 12.2, "WARN", "redis slowlog: HGETALL cart:* took 14ms (threshold 10ms)")]
    )
    ingress = LogFile(
        "logs/alb-ingress-events.log",
        JsonLines("alb-controller", keys=("time", "level", "message"), rng=rng),
    )
    ingress.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"target group k8s-shop-cartapi-{r.getrandbits(40):010x}: {r.randrange(5, 7)}/6 healthy, p99 {r.randrange(40, 180)}ms, 5xx {r.randrange(0, 3)}",
                (),
            ),
            START,
            total,
            480,
        )
    )
    ingress.add(
        loud(
            rng,
            START,
            FULL + 1,
            total - FULL - 1.5,
            380,
            fixed(
                "WARN",
                lambda r: (
                    f"target group k8s-shop-cartapi-d41f07be93: 5/6 healthy, p99 {r.randrange(4000, 10000)}ms, 5xx {r.randrange(40, 260)} (HTTPCode_Target_5XX and TargetConnectionErrorCount rising)"
                ),
            ),
        )
    )
    ingress.add(
        [
            at(
                START,
                12.6,
                "WARN",
                "target 10.12.5.44:8080 of k8s-shop-cartapi-d41f07be93 unhealthy (Target.Timeout), recovered after 2 checks",
            )
        ]
    )
    points = int(total)
    series = {
        f'node_nf_conntrack_entries{{node="{BAD}"}}': shift(
            rng, 31000, 66900, int(FULL) - 8, 0.03, ramp=9
        ),
        f'node_nf_conntrack_entries_limit{{node="{BAD}"}}': steady(rng, 65536, 0.0),
        f'node_nf_conntrack_entries{{node="{GOOD[0]}"}}': shift(
            rng, 33000, 71000, int(FULL) - 8, 0.04, ramp=9
        ),
        f'node_nf_conntrack_entries_limit{{node="{GOOD[0]}"}}': steady(rng, 262144, 0.0),
        f'node_nf_conntrack_entries{{node="{GOOD[1]}"}}': shift(
            rng, 29000, 66000, int(FULL) - 8, 0.04, ramp=9
        ),
        f'node_nf_conntrack_entries_limit{{node="{GOOD[1]}"}}': steady(rng, 262144, 0.0),
        "coredns_dns_request_duration_p99_ms": steady(rng, 4, 0.2),
    }
    entries = series[f'node_nf_conntrack_entries{{node="{BAD}"}}']
    series[f'node_nf_conntrack_entries{{node="{BAD}"}}'] = lambda index: min(
        65536.0, entries(index)
    )
    metrics = csv_text(START, 60, points, series, decimals=0)
    debug = "\n".join(
        [
            "$ kubectl -n shop get pods -l app=cart-api -o wide",
            *table(
                (
                    "NAME",
                    "READY",
                    "STATUS",
                    "RESTARTS",
                    "AGE",
                    "IP",
                    "NODE",
                    "NOMINATED NODE",
                    "READINESS GATES",
                ),
                [
                    (
                        "cart-api-7f8d6c5b9-2nmxq",
                        "1/1",
                        "Running",
                        "0",
                        "4d",
                        "10.12.4.61",
                        GOOD[0],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "cart-api-7f8d6c5b9-8kdwr",
                        "1/1",
                        "Running",
                        "0",
                        "4d",
                        "10.12.5.44",
                        GOOD[1],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "cart-api-7f8d6c5b9-c7vhn",
                        "1/1",
                        "Running",
                        "0",
                        "4d",
                        "10.12.6.130",
                        GOOD[2],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "cart-api-7f8d6c5b9-pz4lw",
                        "1/1",
                        "Running",
                        "0",
                        "19h",
                        "10.12.7.118",
                        BAD,
                        "<none>",
                        "<none>",
                    ),
                    (
                        "cart-api-7f8d6c5b9-t2xbj",
                        "1/1",
                        "Running",
                        "0",
                        "4d",
                        "10.12.4.97",
                        GOOD[0],
                        "<none>",
                        "<none>",
                    ),
                    (
                        "cart-api-7f8d6c5b9-wq9fz",
                        "1/1",
                        "Running",
                        "0",
                        "19h",
                        "10.12.7.104",
                        BAD,
                        "<none>",
                        "<none>",
                    ),
                ],
            ),
            "",
            "$ kubectl get nodes",
            *table(
                ("NAME", "STATUS", "ROLES", "AGE", "VERSION"),
                [
                    *((node, "Ready", "<none>", "23d", "v1.31.4-eks-aeac579") for node in GOOD),
                    (BAD, "Ready", "<none>", "19h", "v1.31.4-eks-aeac579"),
                ],
            ),
            "",
            "$ kubectl -n kube-system get pods -l k8s-app=kube-dns",
            "NAME                       READY   STATUS    RESTARTS   AGE",
            "coredns-6d4f8b9c7b-hx2mj   1/1     Running   0          23d",
            "coredns-6d4f8b9c7b-v5rzt   1/1     Running   0          23d",
            "",
            f"$ kubectl debug node/{BAD} -it --image=public.ecr.aws/amazonlinux/amazonlinux:2023 -- chroot /host sh",
            "Creating debugging pod node-debugger-ip-10-12-7-91.eu-central-1.compute.internal-8x2kd with container debugger on node ip-10-12-7-91.eu-central-1.compute.internal.",
            "sh-5.2# dmesg -T | tail -6",
            "[Mon May 18 18:04:52 2026] IPv6: ADDRCONF(NETDEV_CHANGE): eni8a21f4c7d93: link becomes ready",
            "[Mon May 18 18:05:07 2026] nf_conntrack: nf_conntrack: table full, dropping packet",
            "[Mon May 18 18:05:12 2026] net_ratelimit: 1873 callbacks suppressed",
            "[Mon May 18 18:05:12 2026] nf_conntrack: nf_conntrack: table full, dropping packet",
            "[Mon May 18 18:05:17 2026] net_ratelimit: 2206 callbacks suppressed",
            "[Mon May 18 18:05:17 2026] nf_conntrack: nf_conntrack: table full, dropping packet",
            "sh-5.2# sysctl net.netfilter.nf_conntrack_max net.netfilter.nf_conntrack_count",
            "net.netfilter.nf_conntrack_max = 65536",
            "net.netfilter.nf_conntrack_count = 65536",
            "sh-5.2# grep -r conntrack /etc/sysctl.d/",
            "/etc/sysctl.d/99-cis-hardening.conf:net.netfilter.nf_conntrack_max = 65536",
            "sh-5.2# exit",
            "",
        ]
    )
    return Bundle(
        question="About a third of cart requests fail with timeouts since 18:05 UTC; the logs are full of DNS and Redis timeouts. What is the root cause?",
        category="network",
        component=BAD,
        statement="The node ip-10-12-7-91.eu-central-1.compute.internal, launched from the hardened AMI with net.netfilter.nf_conntrack_max = 65536 (other nodes 262144), filled its conntrack table at the 18:05 UTC peak and drops new flows (nf_conntrack: table full, dropping packet), so the cart-api pods on it time out on DNS, Redis and pricing while those on other nodes work.",
        files={
            "kubectl-output.txt": debug,
            "metrics.csv": metrics,
            "logs/cart-api-7f8d6c5b9-pz4lw.log": sick.render(),
            "logs/cart-api-7f8d6c5b9-2nmxq.log": healthy.render(),
            "logs/alb-ingress-events.log": ingress.render(),
        },
        proofs=[
            Proof(
                "kubectl-output.txt",
                "[Mon May 18 18:05:07 2026] nf_conntrack: nf_conntrack: table full, dropping packet",
            ),
            Proof(
                "kubectl-output.txt", "99-cis-hardening.conf:net.netfilter.nf_conntrack_max = 65536"
            ),
        ],
        decoys=[
            "lookup redis-cart.shop.svc.cluster.local on 172.20.0.10:53",
            "redis slowlog: HGETALL cart:* took 14ms",
            "unhealthy (Target.Timeout), recovered after 2 checks",
        ],
    )
