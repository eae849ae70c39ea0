# ruff: noqa: E501
# kubectl rows, ingress-nginx and log4j lines are data, kept whole on one line.
"""Kubernetes: search-api chart 4.0.0 (deployed Monday) turned the pod anti-affinity on
`kubernetes.io/hostname` from preferred to required. The dedicated search node pool has six
fixed nodes, so when the evening peak makes the HPA ask for 9 replicas, three new pods stay
Pending (`didn't match pod anti-affinity rules`) and six pods take the whole load: latency
climbs and the ingress returns 503/504. Loud: ingress upstream timeouts and search-api's
queue-full rejections. Decoys: a GC pause in search-api, an ingress-nginx reload, and a
certificate renewal event."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_pod, event_listing, routine_events, table
from records import Log4j, NginxAccess
from scenes import at, loud
from traffic import http_access, traffic, web_api

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 5, 13, 17, 0, tzinfo=LONDON)
NOW = datetime(2026, 5, 13, 19, 35, tzinfo=LONDON)
PEAK = 78.0  # 18:18 BST
NODES = [
    f"gke-prod-search-pool-7a1c2e90-{s}" for s in ("0bq4", "2m8x", "5kd1", "9tzr", "c3wh", "h6np")
]
GENERAL = [f"gke-prod-general-pool-3f5d8b21-{s}" for s in ("1xq7", "4vbn", "8plm")]
PENDING = [
    "search-api-66c9b7d8f5-fk2tz",
    "search-api-66c9b7d8f5-n8rwq",
    "search-api-66c9b7d8f5-x4jdv",
]
SCHED = "0/9 nodes are available: 3 node(s) had untolerated taint {pool: general}, 6 node(s) didn't match pod anti-affinity rules. preemption: 0/9 nodes are available: 3 Preemption is not helpful for scheduling, 6 No preemption victims found for incoming pod."


def bundle() -> Bundle:
    rng = random.Random(28105)
    total = (NOW - START).total_seconds() / 60
    search = LogFile(
        "logs/search-api.log",
        Log4j(
            (
                "com.shopline.search.QueryController",
                "com.shopline.search.IndexReader",
                "com.shopline.search.RankingService",
            ),
            threads="search-worker",
            rng=rng,
        ),
    )
    search.add(
        traffic(rng, web_api("search-api", ["search", "suggest", "facets"]), START, total, 3600)
    )
    search.add(
        loud(
            rng,
            START,
            PEAK + 6,
            total - PEAK - 7,
            520,
            lambda r: (
                "WARN",
                f"rejecting query q_{r.getrandbits(32):08x}: executor queue full (active=64, queued=512, capacity=512) pod=search-api-66c9b7d8f5-{r.choice(['b7w2k', 'd9q5s', 'g4m1c', 'k2x8p', 'r6t3v', 'z5h7n'])}",
                (),
            ),
        )
    )
    search.add(
        [
            at(
                START,
                51.3,
                "WARN",
                "GC pause (G1 Evacuation Pause) 612ms, heap 3811M->1904M(6144M)",
                logger="gc",
            )
        ]
    )

    ingress = LogFile("logs/ingress-nginx-access.log", NginxAccess(rng, zone=LONDON))
    ingress.add(
        traffic(
            rng,
            http_access(
                ["/api/search?q={id}", "/api/suggest?prefix={id}", "/api/facets/{id}", "/healthz"],
                60,
            ),
            START,
            total,
            4200,
        )
    )
    ingress.add(
        loud(
            rng,
            START,
            PEAK + 7,
            total - PEAK - 8,
            900,
            lambda r: (
                "ERROR",
                f'"GET /api/search?q={r.randrange(10**6)} HTTP/2.0" {r.choice([503, 504, 504])} 0 "https://www.shopline.example/" "Mozilla/5.0 (iPhone; CPU iPhone OS 18_4 like Mac OS X)" {r.uniform(5, 10):.3f} [shop-search-api-8080] [] 10.84.{r.randrange(1, 7)}.{r.randrange(2, 250)}:8080 0 {r.uniform(5, 10):.3f} 504',
                (),
            ),
        )
    )

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    routine = routine_events(
        rng, ["search-api", "storefront", "catalog-sync"], 22, NODES + GENERAL, namespace="shop"
    )
    signal = [
        (
            ago(PEAK),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/search-api",
                "New size: 9; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            ago(PEAK - 0.02),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/search-api",
                "Scaled up replica set search-api-66c9b7d8f5 to 9 from 6",
            ),
        ),
        (
            ago(22),
            (
                "Normal",
                "UPDATE",
                "configmap/ingress-nginx-controller",
                "ConfigMap ingress-nginx/ingress-nginx-controller",
            ),
        ),
        (
            ago(40),
            (
                "Normal",
                "Issuing",
                "certificate/shop-tls",
                "Renewing certificate as renewal was scheduled at 2026-05-13 17:40:11 +0000 UTC",
            ),
        ),
    ]
    for pod in PENDING:
        signal.append((ago(PEAK - 0.05), ("Warning", "FailedScheduling", f"pod/{pod}", SCHED)))
    events = event_listing(routine, signal)

    running = [
        (
            f"search-api-66c9b7d8f5-{s}",
            "1/1",
            "Running",
            "0",
            "2d3h",
            f"10.84.{i + 1}.{rng.randrange(2, 250)}",
            NODES[i],
        )
        for i, s in enumerate(["b7w2k", "d9q5s", "g4m1c", "k2x8p", "r6t3v", "z5h7n"])
    ]
    pending = [(p, "0/1", "Pending", "0", "77m", "<none>", "<none>") for p in PENDING]
    wide = table(("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"), running + pending)
    pod = Pod(
        name=PENDING[0],
        namespace="shop",
        node="",
        app="search-api",
        status="Pending",
        start_time="",
        labels=["app.kubernetes.io/name=search-api", "pod-template-hash=66c9b7d8f5"],
        containers=[
            Container(
                "search-api",
                "europe-west2-docker.pkg.dev/shopline-prod/apps/search-api:4.0.0",
                state=[],
                limits={"memory": "6Gi"},
                requests={"cpu": "3", "memory": "6Gi"},
            )
        ],
        conditions={"PodScheduled": "False"},
        node_selectors="pool=search",
        events=[("Warning", "FailedScheduling", "77m (x19 over 78m)", "default-scheduler", SCHED)],
    )
    affinity = "\n".join(
        [
            "$ kubectl -n shop get deploy search-api -o jsonpath='{.spec.template.spec.affinity}' | jq .",
            "{",
            '  "podAntiAffinity": {',
            '    "requiredDuringSchedulingIgnoredDuringExecution": [',
            "      {",
            '        "labelSelector": {',
            '          "matchLabels": {',
            '            "app.kubernetes.io/name": "search-api"',
            "          }",
            "        },",
            '        "topologyKey": "kubernetes.io/hostname"',
            "      }",
            "    ]",
            "  }",
            "}",
            "$ helm -n shop history search-api | tail -2",
            "REVISION  UPDATED                   STATUS      CHART             APP VERSION  DESCRIPTION",
            "57        Mon May 11 10:02:44 2026  deployed    search-api-4.0.0  4.0.0        Upgrade complete",
            "$ kubectl -n shop get hpa search-api",
            "NAME         REFERENCE               TARGETS        MINPODS   MAXPODS   REPLICAS   AGE",
            "search-api   Deployment/search-api   cpu: 141%/60%  4         12        9          214d",
            "$ gcloud container node-pools describe search-pool --cluster prod --region europe-west2 --format='value(autoscaling.enabled,initialNodeCount,config.machineType)'",
            "\t2\tn2-highmem-8",
            "",
        ]
    )
    return Bundle(
        question="Search on the shop has been slow and returning 503/504 since about 18:20 this evening (UK time), right when traffic peaks. What is the root cause?",
        category="scheduling",
        component="search-api",
        statement="search-api chart 4.0.0 made its pod anti-affinity on kubernetes.io/hostname required; the search pool has six fixed nodes, so when the HPA scaled to 9 at the 18:18 peak three pods stayed Pending (didn't match pod anti-affinity rules) and six overloaded pods answered slowly or not at all.",
        files={
            "kubectl-get-pods-wide.txt": "$ kubectl -n shop get pods -l app.kubernetes.io/name=search-api -o wide\n"
            + "\n".join(wide)
            + "\n",
            "kubectl-describe-pod.txt": f"$ kubectl -n shop describe pod {PENDING[0]}\n"
            + describe_pod(pod, rng),
            "kubectl-affinity.txt": affinity,
            "kubectl-get-events.txt": events,
            "logs/search-api.log": search.render(),
            "logs/ingress-nginx-access.log": ingress.render(),
        },
        proofs=[
            Proof("kubectl-affinity.txt", '"requiredDuringSchedulingIgnoredDuringExecution"'),
            Proof("kubectl-describe-pod.txt", "didn't match pod anti-affinity rules"),
        ],
        decoys=[
            "GC pause (G1 Evacuation Pause) 612ms",
            "ConfigMap ingress-nginx/ingress-nginx-controller",
            "Renewing certificate as renewal was scheduled",
        ],
    )
