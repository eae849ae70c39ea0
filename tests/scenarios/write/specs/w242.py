# ruff: noqa: E501
# kubectl output, iptables rules and hand-written log lines are data, kept whole on one line.
"""Kubernetes: at 10:22 UTC the pricing Service in namespace catalog was patched to
`internalTrafficPolicy: Local` (a cross-zone traffic cost saving). pricing runs 3 pods on 3 of
the 7 nodes; kube-proxy on the other nodes now drops ClusterIP traffic to it ("has no local
endpoints"), so the web-frontend pods on those nodes time out on every pricing call while the
ones beside a pricing pod work. Loud: two frontends' timeouts and 502s. Decoys: pricing's own GC
pause warning, a frontend's Redis timeout, and an HPA scale event for web-frontend."""

import random
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events, table
from records import JsonLines, Log4j
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 8, 11, 9, 40, tzinfo=UTC)
NOW = datetime(2026, 8, 11, 11, 5, tzinfo=UTC)
PATCH = 42.0  # 10:22
NODES = [
    f"gke-shop-prod-default-pool-5e1a9c3d-{suffix}"
    for suffix in ("2kfx", "8hqm", "c7vt", "dd4p", "m0zs", "r3nk", "w9jb")
]
FRONTENDS = [
    ("web-frontend-7f8b6c9d54-4tqzx", NODES[0], "10.84.0.37", False),
    ("web-frontend-7f8b6c9d54-9kv2m", NODES[2], "10.84.2.51", True),
    ("web-frontend-7f8b6c9d54-hx7wd", NODES[4], "10.84.4.19", False),
    ("web-frontend-7f8b6c9d54-p5rcl", NODES[5], "10.84.5.80", True),
]
PRICING = [
    ("pricing-5c9d8f7b66-b2nqs", NODES[0], "10.84.0.44"),
    ("pricing-5c9d8f7b66-lz8vf", NODES[3], "10.84.3.12"),
    ("pricing-5c9d8f7b66-x6wtc", NODES[4], "10.84.4.27"),
]


def bundle() -> Bundle:
    rng = random.Random(2420)
    total = (NOW - START).total_seconds() / 60
    files: dict[str, str] = {}
    for name, _node, _ip, cut in FRONTENDS:
        log = LogFile(
            f"logs/{name}.log",
            JsonLines(
                "web-frontend", keys=("time", "severity", "message"), lower_level=False, rng=rng
            ),
        )
        log.add(
            traffic(
                rng, web_api("web-frontend", ["products", "cart", "search"]), START, total, 1500
            )
        )
        if cut:
            log.add(
                loud(
                    rng,
                    START,
                    PATCH + 0.3,
                    total - PATCH - 0.8,
                    520,
                    fixed(
                        "ERROR",
                        lambda r: (
                            f'price lookup failed for sku {r.randrange(10**6, 10**7)}: Get "http://pricing.catalog.svc.cluster.local:8080/v2/prices?sku={r.randrange(10**6, 10**7)}": dial tcp 10.88.14.203:8080: i/o timeout'
                        ),
                    ),
                )
            )
            log.add(
                loud(
                    rng,
                    START,
                    PATCH + 0.5,
                    total - PATCH - 1,
                    260,
                    fixed(
                        "ERROR",
                        lambda r: (
                            f"GET /product/{r.randrange(10**6, 10**7)} 502 upstream pricing unavailable after 3 attempts ({r.randrange(3000, 3200)}ms)"
                        ),
                    ),
                )
            )
        if name.endswith("hx7wd"):
            log.add(
                [
                    at(
                        START,
                        61.7,
                        "WARN",
                        "redis GET session:7f3a91c2: i/o timeout after 250ms, served without session cache",
                    )
                ]
            )
        files[log.name] = log.render()

    pricing = LogFile(
        "logs/pricing-5c9d8f7b66-lz8vf.log",
        Log4j(
            ("c.s.pricing.PriceResource", "c.s.pricing.RuleCache", "o.e.jetty.server.RequestLog"),
            rng=rng,
        ),
    )
    pricing.add(traffic(rng, web_api("pricing", ["prices", "rules"]), START, total, 1400))
    pricing.add(
        [
            at(
                START,
                55.2,
                "WARN",
                "GC pause (G1 Evacuation Pause) 612ms, heap 1.4G->0.9G(2.0G)",
                logger="c.s.pricing.RuleCache",
            )
        ]
    )
    files[pricing.name] = pricing.render()

    get = "\n".join(
        [
            "$ kubectl -n catalog get svc pricing -o yaml",
            "apiVersion: v1",
            "kind: Service",
            "metadata:",
            "  annotations:",
            "    cloud.google.com/neg: '{\"ingress\":true}'",
            '  creationTimestamp: "2025-02-19T08:31:40Z"',
            "  labels:",
            "    app: pricing",
            "  name: pricing",
            "  namespace: catalog",
            '  resourceVersion: "418820417"',
            "  uid: 3f8e2a61-9b4d-4c07-8e15-a2d6c9b07f43",
            "spec:",
            "  clusterIP: 10.88.14.203",
            "  clusterIPs:",
            "  - 10.88.14.203",
            "  internalTrafficPolicy: Local",
            "  ipFamilies:",
            "  - IPv4",
            "  ipFamilyPolicy: SingleStack",
            "  ports:",
            "  - name: http",
            "    port: 8080",
            "    protocol: TCP",
            "    targetPort: 8080",
            "  selector:",
            "    app: pricing",
            "  sessionAffinity: None",
            "  type: ClusterIP",
            "status:",
            "  loadBalancer: {}",
            "",
            "$ kubectl -n catalog get endpointslices -l kubernetes.io/service-name=pricing",
            *table(
                ("NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"),
                [("pricing-7kq2d", "IPv4", "8080", "10.84.0.44,10.84.3.12,10.84.4.27", "538d")],
            ),
            "",
            "$ kubectl -n catalog get pods -l 'app in (pricing,web-frontend)' -o wide",
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
                sorted(
                    [
                        (name, "1/1", "Running", "0", "2d3h", ip, node, "<none>", "<none>")
                        for name, node, ip in PRICING
                    ]
                    + [
                        (
                            name,
                            "1/1",
                            "Running",
                            "0",
                            "26h" if i < 3 else "71m",
                            ip,
                            node,
                            "<none>",
                            "<none>",
                        )
                        for i, (name, node, ip, _c) in enumerate(FRONTENDS)
                    ]
                ),
            ),
            "",
            f"# on {NODES[2]} (toolbox)",
            "$ iptables-save -t filter | grep catalog/pricing",
            '-A KUBE-SERVICES -d 10.88.14.203/32 -p tcp -m comment --comment "catalog/pricing:http has no local endpoints" -m tcp --dport 8080 -j DROP',
            "",
        ]
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(rng, ["search", "cart", "checkout"], 20, NODES, namespace="catalog")
    signal = [
        (
            ago(14),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/web-frontend",
                "New size: 4; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(13.9),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/web-frontend",
                "Scaled up replica set web-frontend-7f8b6c9d54 to 4 from 3",
            ),
        ),
        (
            ago(PATCH + 5),
            (
                "Warning",
                "Unhealthy",
                "pod/web-frontend-7f8b6c9d54-9kv2m",
                'Readiness probe failed: Get "http://10.84.2.51:3000/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
        ),
    ]
    files["kubectl-get-events.txt"] = event_listing(routine, signal)
    files["kubectl-get.txt"] = get
    return Bundle(
        question="About half of product page loads fail with 502 since roughly 10:20 UTC; the pricing pods look healthy. What is going on?",
        category="network",
        component="pricing",
        statement="At 10:22 UTC the pricing Service was set to internalTrafficPolicy: Local; its 3 pods run on 3 of 7 nodes, so kube-proxy on the other nodes drops traffic to the ClusterIP ('has no local endpoints') and web-frontend pods on those nodes time out on every price lookup and return 502.",
        files=files,
        proofs=[
            Proof("kubectl-get.txt", "  internalTrafficPolicy: Local"),
            Proof("kubectl-get.txt", "has no local endpoints"),
        ],
        decoys=[
            "GC pause (G1 Evacuation Pause) 612ms",
            "redis GET session:7f3a91c2: i/o timeout",
            "New size: 4; reason: cpu resource utilization",
        ],
    )
