# ruff: noqa: E501
# Log lines, kubectl rows and YAML are data, kept whole on one line.
"""Kubernetes: the platform team installed descheduler at 10:15 JST with a LowNodeUtilization
profile (thresholds 20/50 %) running every 5 minutes. Since the cluster autoscaler added two
nearly empty nodes at night, the old nodes count as overutilized and each cycle evicts the
largest evictable pods there: catalog-cache's. Each evicted catalog-cache pod restarts cold and
spends about three minutes warming 1.4 M items from catalog-db, so the database is hammered and
product pages time out in waves every five minutes. Decoys: the autoscaler scale-up (old and
harmless), PostgreSQL's checkpoint warning, and a 404 storm for a withdrawn SKU."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, Postgres, Record
from scenes import at, loud
from traffic import database_server, traffic, web_api

JST = timezone(timedelta(hours=9))
START = datetime(2026, 6, 11, 0, 30, tzinfo=UTC)  # 09:30 JST
NOW = datetime(2026, 6, 11, 3, 0, tzinfo=UTC)
INSTALL = 45.0  # 01:15 UTC, 10:15 JST
NODES_OLD = [
    "ip-10-8-21-14.ap-northeast-1.compute.internal",
    "ip-10-8-22-90.ap-northeast-1.compute.internal",
    "ip-10-8-23-31.ap-northeast-1.compute.internal",
]
NODES_NEW = [
    "ip-10-8-21-201.ap-northeast-1.compute.internal",
    "ip-10-8-23-177.ap-northeast-1.compute.internal",
]


@dataclass
class Klog:
    def render(self, record: Record) -> list[str]:
        t = record.time
        letter = {"INFO": "I", "WARN": "W", "ERROR": "E"}[record.level]
        return [
            f"{letter}{t.strftime('%m%d %H:%M:%S')}.{t.microsecond:06d}       1 {record.message}"
        ]


def bundle() -> Bundle:
    rng = random.Random(4415)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    cycles = [INSTALL + 0.5 + 5 * k for k in range(int((total - INSTALL - 1) // 5) + 1)]
    desched = LogFile("kubectl-logs-descheduler.txt", Klog())
    desched.add(
        [
            at(START, INSTALL, "INFO", "secure_serving.go:213] Serving securely on [::]:10258"),
        ]
    )
    evictions = []
    for index, minute in enumerate(cycles):
        node = NODES_OLD[index % 3]
        pod = f"catalog-cache-5f7b9c6d8-{suffix(rng)}"
        evictions.append((minute, node, pod))
        desched.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f'nodeutilization.go:207] "Node is overutilized" node="{node}" usage={{"cpu":"71.25","memory":"64.80","pods":"19.09"}} usagePercentage={{"cpu":71.25,"memory":64.8,"pods":19.09}}',
                ),
                at(
                    START,
                    minute + 0.01,
                    "INFO",
                    f'nodeutilization.go:204] "Node is underutilized" node="{NODES_NEW[0]}" usage={{"cpu":"6.25","memory":"4.10","pods":"3.64"}} usagePercentage={{"cpu":6.25,"memory":4.1,"pods":3.64}}',
                ),
                at(
                    START,
                    minute + 0.02,
                    "INFO",
                    'lownodeutilization.go:143] "Criteria for a node under utilization" CPU=20 Mem=20 Pods=20',
                ),
                at(
                    START,
                    minute + 0.03,
                    "INFO",
                    'lownodeutilization.go:148] "Criteria for a node above target utilization" CPU=50 Mem=50 Pods=50',
                ),
                at(
                    START,
                    minute + 0.04,
                    "INFO",
                    f'evictions.go:551] "Evicted pod" pod="catalog/{pod}" reason="" strategy="LowNodeUtilization" node="{node}" profile="platform-balance"',
                ),
                at(
                    START,
                    minute + 0.05,
                    "INFO",
                    f'nodeutilization.go:273] "Updated node usage" node="{node}" CPU=2150 Mem=9126805504 Pods=20',
                ),
                at(
                    START,
                    minute + 0.06,
                    "INFO",
                    'profile.go:356] "Total number of evictions/requests" extension point="Balance" evictedPods=1 evictionRequests=0',
                ),
                at(
                    START,
                    minute + 0.07,
                    "INFO",
                    'descheduler.go:403] "Number of evictions/requests" totalEvicted=1 evictionRequests=0',
                ),
            ]
        )

    cache = LogFile("logs/catalog-cache.log", JsonLines("catalog-cache", rng=rng, zone=JST))
    cache.add(
        traffic(
            rng,
            lambda r: ("INFO", f"GET /items/{r.randrange(10**7)} hit {r.randrange(1, 4)}ms", ()),
            START,
            total,
            2400,
        )
    )
    for minute, _node, _pod in evictions:
        cache.add(
            [
                at(
                    START,
                    minute + 0.06,
                    "INFO",
                    "received SIGTERM, shutting down (in-memory cache will be lost)",
                ),
                at(
                    START,
                    minute + 0.16,
                    "INFO",
                    f"catalog-cache-5f7b9c6d8-{suffix(rng)} starting, cache empty, warming from catalog-db (batch 5000, 16 workers)",
                ),
                at(
                    START,
                    minute + 3.4,
                    "INFO",
                    f"warm-up complete: 1412877 items in {r_s(rng)}s, now ready",
                ),
            ]
        )

    db = LogFile("logs/catalog-db.log", Postgres(rng=rng))
    db.add(traffic(rng, database_server(), START, total, 1600))
    db.add(
        [
            at(START, 27.0, "INFO", "checkpoints are occurring too frequently (24 seconds apart)"),
            at(
                START,
                27.01,
                "INFO",
                'HINT:  Consider increasing the configuration parameter "max_wal_size".',
            ),
        ]
    )
    for minute, _node, _pod in evictions:
        db.add(
            loud(
                rng,
                START,
                minute + 0.2,
                3.1,
                40,
                lambda r: (
                    "INFO",
                    f"duration: {r.uniform(900, 4800):.3f} ms  execute <unnamed>: SELECT id, sku, title, attrs, price FROM items WHERE id > $1 ORDER BY id LIMIT 5000",
                    (),
                ),
            )
        )

    api = LogFile(
        "logs/product-api.log",
        JsonLines("product-api", keys=("time", "level", "message"), rng=rng, zone=JST),
    )
    api.add(traffic(rng, web_api("product-api", ["products", "categories"]), START, total, 3400))
    api.add(
        loud(
            rng,
            START,
            20.0,
            6.0,
            120,
            lambda r: (
                "WARN",
                f"GET /api/v1/products/SKU-77120-{r.randrange(10)} 404 withdrawn product",
                (),
            ),
        )
    )
    for minute, _node, _pod in evictions:
        api.add(
            loud(
                rng,
                START,
                minute + 0.3,
                3.0,
                60,
                lambda r: (
                    "ERROR",
                    f"GET /api/v1/products/{r.randrange(10**6)} 504: catalog-cache call timed out after 800ms, fell back to catalog-db (slow)",
                    (),
                ),
            )
        )

    routine = routine_events(
        rng,
        ["product-api", "catalog-cache", "search-ui"],
        18,
        NODES_OLD + NODES_NEW,
        namespace="catalog",
    )
    signal = [
        (
            ago(m + 0.005),
            (
                "Normal",
                "Descheduled",
                f"pod/{p}",
                f"pod eviction from {n} node by sigs.k8s.io/descheduler",
            ),
        )
        for m, n, p in evictions[-6:]
    ]
    signal += [
        (
            ago(m + 0.02),
            (
                "Normal",
                "SuccessfulCreate",
                "replicaset/catalog-cache-5f7b9c6d8",
                f"Created pod: catalog-cache-5f7b9c6d8-{suffix(rng)}",
            ),
        )
        for m, _n, _p in evictions[-6:]
    ]
    events = "$ kubectl -n catalog get events --sort-by=.lastTimestamp\n" + event_listing(
        routine, signal
    )

    get = "\n".join(
        [
            "$ kubectl get nodes",
            "NAME                                              STATUS   ROLES    AGE    VERSION",
            *(f"{n:<50}Ready    <none>   41d    v1.30.6-eks-94953ac" for n in NODES_OLD),
            *(f"{n:<50}Ready    <none>   9h     v1.30.6-eks-94953ac" for n in NODES_NEW),
            "",
            "$ kubectl -n kube-system get events --field-selector involvedObject.name=cluster-autoscaler-status",
            "LAST SEEN   TYPE     REASON             OBJECT                                MESSAGE",
            "9h          Normal   ScaledUpGroup      configmap/cluster-autoscaler-status   Scale-up: setting group eks-apps-2a4c6e8f size to 5 instead of 3 (max: 8)",
            "",
            "$ helm -n kube-system history descheduler",
            "REVISION   UPDATED                    STATUS     CHART               APP VERSION   DESCRIPTION",
            "1          Thu Jun 11 10:14:52 2026   deployed   descheduler-0.31.0  0.31.0        Install complete",
            "",
            "$ kubectl -n kube-system get deploy descheduler -o jsonpath='{.spec.template.spec.containers[0].args}'",
            '["--policy-config-file=/policy-dir/policy.yaml","--descheduling-interval=5m","--v=3"]',
            "",
            "$ kubectl -n kube-system get configmap descheduler -o jsonpath='{.data.policy\\.yaml}'",
            "apiVersion: descheduler/v1alpha2",
            "kind: DeschedulerPolicy",
            "profiles:",
            "  - name: platform-balance",
            "    pluginConfig:",
            "      - name: DefaultEvictor",
            "        args:",
            "          evictLocalStoragePods: true",
            "      - name: LowNodeUtilization",
            "        args:",
            "          thresholds:",
            "            cpu: 20",
            "            memory: 20",
            "            pods: 20",
            "          targetThresholds:",
            "            cpu: 50",
            "            memory: 50",
            "            pods: 50",
            "    plugins:",
            "      balance:",
            "        enabled:",
            "          - LowNodeUtilization",
            "",
            "$ kubectl -n catalog get pdb",
            "No resources found in catalog namespace.",
            "",
        ]
    )
    return Bundle(
        question="Product pages slow down and return 504s in waves roughly every five minutes since about 10:20 JST, and catalog-db is very busy. What is the root cause?",
        category="scheduling",
        component="descheduler",
        statement="descheduler, installed at 10:15 JST with a LowNodeUtilization profile run every 5 minutes, treats the three old nodes as overutilized next to two new empty ones and evicts a catalog-cache pod each cycle; every replacement starts cold and bulk-loads 1.4 M items from catalog-db, so the database is overloaded and product-api times out in five-minute waves.",
        files={
            "kubectl-get.txt": get,
            desched.name: desched.render(),
            "kubectl-get-events.txt": events,
            cache.name: cache.render(),
            db.name: db.render(),
            api.name: api.render(),
        },
        proofs=[
            Proof(desched.name, f'"Evicted pod" pod="catalog/{evictions[0][2]}"'),
            Proof(
                "kubectl-get.txt", "1          Thu Jun 11 10:14:52 2026   deployed   descheduler"
            ),
            Proof("kubectl-get.txt", "          - LowNodeUtilization"),
        ],
        decoys=[
            "Scale-up: setting group eks-apps-2a4c6e8f size to 5",
            "checkpoints are occurring too frequently",
            "404 withdrawn product",
        ],
    )


def r_s(rng: random.Random) -> str:
    return f"{rng.uniform(188, 214):.1f}"


def suffix(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5))
