# ruff: noqa: E501
# Log lines, kubectl rows and YAML are data, kept whole on one line.
"""Kubernetes: search-api chart 6.0.0 (deployed 14:05 IST, +01:00) added the annotation
`service.kubernetes.io/topology-mode: Auto` to the Service. The EndpointSlice controller now
gives each zone hints, and kube-proxy on every node routes only to endpoints of its own zone.
The web frontends run mostly in eu-west-1a (6 of 8) while search-api's pods there are 2 of 9;
those two sit at their CPU limit and answer slowly, the seven in 1b and 1c idle, and the
web tier times out on search at the afternoon peak. Decoys: an OpenSearch slow log line, a
spot interruption notice for a node in eu-west-1c, and a cache eviction warning."""

import random
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from kube import event_listing, routine_events
from records import JsonLines, Pino
from scenes import at, loud
from traffic import traffic, web_api

IST = timezone(timedelta(hours=1))
START = datetime(2026, 9, 3, 12, 30, tzinfo=UTC)  # 13:30 IST
NOW = datetime(2026, 9, 3, 15, 10, tzinfo=UTC)
RELEASE = 35.0  # 13:05 UTC, 14:05 IST
PEAK = 120.0  # 14:30 UTC, 15:30 IST
HOT = ("search-api-66c8b9d4f7-a1kdq", "search-api-66c8b9d4f7-a7mzt")


def bundle() -> Bundle:
    rng = random.Random(47408)
    total = (NOW - START).total_seconds() / 60

    def ago(minute: float) -> int:
        return int((total - minute) * 60)

    api = LogFile(
        "logs/search-api.log",
        JsonLines("search-api", keys=("timestamp", "level", "message"), rng=rng, zone=IST),
    )
    api.add(traffic(rng, web_api("search-api", ["search", "suggest"]), START, total, 4200))
    api.add(
        loud(
            rng,
            START,
            PEAK,
            total - PEAK,
            520,
            lambda r: (
                "WARN",
                f"pod={r.choice(HOT)} request queue depth {r.randrange(180, 256)}/256, GET /v1/search took {r.randrange(3100, 9800)}ms",
                (),
            ),
        )
    )
    api.add(
        [
            at(
                START,
                80.0,
                "WARN",
                'opensearch slow query: index=products took[2.1s] total_hits=18412 source={"query":{"match":{"title":"usb c dock"}}}',
            )
        ]
    )
    api.add([at(START, 96.0, "WARN", "local result cache full (200000 entries), evicting 10% LRU")])

    web = LogFile("logs/web-frontend.log", Pino("web-frontend-7f9d", rng=rng))
    web.add(traffic(rng, web_api("web-frontend", ["pages", "search"]), START, total, 3800))
    web.add(
        loud(
            rng,
            START,
            PEAK + 1,
            total - PEAK - 2,
            640,
            lambda r: (
                "ERROR",
                f"GET /search?q=... 504: upstream search-api.catalog.svc.cluster.local:8080 timed out after 5000ms (node zone eu-west-1a, pod web-frontend-7f9d8c6b5-{r.choice(['pq2x7', 'tz81k', 'm4c9w', 'v6hnd', 'bb3r0', 'kk7yq'])})",
                (),
            ),
        )
    )

    routine = routine_events(
        rng,
        ["search-api", "web-frontend", "indexer"],
        16,
        [
            "ip-10-30-1-44.eu-west-1.compute.internal",
            "ip-10-30-2-17.eu-west-1.compute.internal",
            "ip-10-30-3-90.eu-west-1.compute.internal",
        ],
        namespace="catalog",
    )
    signal = [
        (
            ago(RELEASE),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/search-api",
                "Scaled up replica set search-api-66c8b9d4f7 to 3",
            ),
        ),
        (
            ago(RELEASE + 2.5),
            (
                "Normal",
                "ScalingReplicaSet",
                "deployment/search-api",
                "Scaled down replica set search-api-5d47c8b6f9 to 0 from 3",
            ),
        ),
        (
            ago(70.0),
            (
                "Warning",
                "SpotInterruption",
                "node/ip-10-30-3-12.eu-west-1.compute.internal",
                "Spot instance interruption notice received; node will be terminated in 2 minutes",
            ),
        ),
    ]
    events = event_listing(routine, signal)

    get = "\n".join(
        [
            "~ kubectl -n catalog get svc search-api -o yaml | yq '.metadata.annotations'",
            "meta.helm.sh/release-name: search-api",
            "meta.helm.sh/release-namespace: catalog",
            "service.kubernetes.io/topology-mode: Auto",
            "",
            "~ kubectl -n catalog get pods -o wide -L topology.kubernetes.io/zone | awk '{print $1, $3, $7, $NF}' | column -t",
            "NAME                           STATUS   NODE                                        ZONE",
            "search-api-66c8b9d4f7-a1kdq    Running  ip-10-30-1-44.eu-west-1.compute.internal    eu-west-1a",
            "search-api-66c8b9d4f7-a7mzt    Running  ip-10-30-1-71.eu-west-1.compute.internal    eu-west-1a",
            "search-api-66c8b9d4f7-b2s9v    Running  ip-10-30-2-17.eu-west-1.compute.internal    eu-west-1b",
            "search-api-66c8b9d4f7-b5lqe    Running  ip-10-30-2-17.eu-west-1.compute.internal    eu-west-1b",
            "search-api-66c8b9d4f7-b8wnr    Running  ip-10-30-2-58.eu-west-1.compute.internal    eu-west-1b",
            "search-api-66c8b9d4f7-b9cdx    Running  ip-10-30-2-58.eu-west-1.compute.internal    eu-west-1b",
            "search-api-66c8b9d4f7-c3hjk    Running  ip-10-30-3-90.eu-west-1.compute.internal    eu-west-1c",
            "search-api-66c8b9d4f7-c6pzm    Running  ip-10-30-3-90.eu-west-1.compute.internal    eu-west-1c",
            "search-api-66c8b9d4f7-c7ytf    Running  ip-10-30-3-51.eu-west-1.compute.internal    eu-west-1c",
            "web-frontend-7f9d8c6b5-pq2x7   Running  ip-10-30-1-44.eu-west-1.compute.internal    eu-west-1a",
            "web-frontend-7f9d8c6b5-tz81k   Running  ip-10-30-1-44.eu-west-1.compute.internal    eu-west-1a",
            "web-frontend-7f9d8c6b5-m4c9w   Running  ip-10-30-1-71.eu-west-1.compute.internal    eu-west-1a",
            "web-frontend-7f9d8c6b5-v6hnd   Running  ip-10-30-1-71.eu-west-1.compute.internal    eu-west-1a",
            "web-frontend-7f9d8c6b5-bb3r0   Running  ip-10-30-1-102.eu-west-1.compute.internal   eu-west-1a",
            "web-frontend-7f9d8c6b5-kk7yq   Running  ip-10-30-1-102.eu-west-1.compute.internal   eu-west-1a",
            "web-frontend-7f9d8c6b5-r2g5s   Running  ip-10-30-2-58.eu-west-1.compute.internal    eu-west-1b",
            "web-frontend-7f9d8c6b5-w0e8j   Running  ip-10-30-3-51.eu-west-1.compute.internal    eu-west-1c",
            "",
            "~ kubectl -n catalog top pods -l app.kubernetes.io/name=search-api",
            "NAME                          CPU(cores)   MEMORY(bytes)",
            "search-api-66c8b9d4f7-a1kdq   1000m        1411Mi",
            "search-api-66c8b9d4f7-a7mzt   999m         1398Mi",
            "search-api-66c8b9d4f7-b2s9v   61m          702Mi",
            "search-api-66c8b9d4f7-b5lqe   58m          688Mi",
            "search-api-66c8b9d4f7-b8wnr   73m          711Mi",
            "search-api-66c8b9d4f7-b9cdx   49m          694Mi",
            "search-api-66c8b9d4f7-c3hjk   66m          705Mi",
            "search-api-66c8b9d4f7-c6pzm   52m          690Mi",
            "search-api-66c8b9d4f7-c7ytf   70m          713Mi",
            "",
            "~ kubectl -n catalog get endpointslices -l kubernetes.io/service-name=search-api -o yaml | yq '.items[].endpoints[] | [.targetRef.name, .zone, .hints.forZones[0].name] | @tsv' | head -3",
            "search-api-66c8b9d4f7-a1kdq\teu-west-1a\teu-west-1a",
            "search-api-66c8b9d4f7-a7mzt\teu-west-1a\teu-west-1a",
            "search-api-66c8b9d4f7-b2s9v\teu-west-1b\teu-west-1b",
            "",
        ]
    )
    return Bundle(
        question="From about 15:30 IST search on the website times out (504) although search-api has nine pods and most of them look idle. What is the root cause?",
        category="configuration",
        component="search-api",
        statement="search-api chart 6.0.0 (14:05 IST) set `service.kubernetes.io/topology-mode: Auto` on the Service, so traffic stays in its zone; the web frontends are mostly in eu-west-1a where search-api has only 2 of 9 pods, which saturate at their CPU limit while the other zones idle, and searches time out.",
        files={
            "kubectl-catalog.txt": get,
            "kubectl-get-events.txt": events,
            api.name: api.render(),
            web.name: web.render(),
        },
        proofs=[
            Proof("kubectl-catalog.txt", "service.kubernetes.io/topology-mode: Auto"),
            Proof(
                "kubectl-catalog.txt",
                "search-api-66c8b9d4f7-a1kdq   1000m",
                "search-api-66c8b9d4f7-a7mzt   999m",
            ),
            Proof("kubectl-catalog.txt", "search-api-66c8b9d4f7-a1kdq\teu-west-1a\teu-west-1a"),
        ],
        decoys=[
            "opensearch slow query: index=products",
            "Spot instance interruption notice",
            "local result cache full",
        ],
    )
