# ruff: noqa: E501
# Hand-written log lines and kubectl rows are data, kept whole on one line.
"""Black Friday traffic lifts search-api's in-flight requests, and each one buffers its
aggregation results; the 512Mi memory limit, sized for an ordinary evening, is crossed and the
kernel OOM-kills the pods one after another. The HPA, scaling on CPU, sits at maxReplicas 12 and
reports ScalingLimited, and the ingress and the app's Elasticsearch timeouts are the loudest
lines; the OOMKilled last state and the kernel's kills are quieter."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from kube import Container, Pod, describe_events, describe_pod, event_listing, routine_events, table
from records import NginxError, Record, Zap
from scenes import fixed, loud
from traffic import Line, traffic

START = datetime(2025, 11, 28, 18, 30, tzinfo=UTC)
PEAK = 30.0
SNAPSHOT = 76.0
NAMESPACE = "shop"
NODES = [
    "gke-shop-pool-b-5c1e9a7d-4q2m",
    "gke-shop-pool-b-5c1e9a7d-7hxk",
    "gke-shop-pool-b-5c1e9a7d-c9tw",
    "gke-shop-pool-b-5c1e9a7d-j3vr",
    "gke-shop-pool-b-5c1e9a7d-pz81",
]
RS = "search-api-7f4b8c6d9"
PODS = [
    f"{RS}-{suffix}"
    for suffix in (
        "2bq4x",
        "5kz9m",
        "7wdtn",
        "8cjfp",
        "9mxr2",
        "d4n7v",
        "fq2ls",
        "h6tkw",
        "k8rbz",
        "n3vpd",
        "t5gxc",
        "z9wqm",
    )
]
QUERIES = [
    "winter jacket",
    "running shoes",
    "tv 55 inch",
    "air fryer",
    "lego",
    "headphones",
    "coffee machine",
    "gift card",
]


def describe_hpa() -> str:
    lines = [
        "Name:                                                  search-api",
        f"Namespace:                                             {NAMESPACE}",
        "Labels:                                                app.kubernetes.io/name=search-api",
        "Annotations:                                           <none>",
        "CreationTimestamp:                                     Mon, 03 Feb 2025 10:14:22 +0000",
        "Reference:                                             Deployment/search-api",
        "Metrics:                                               ( current / target )",
        "  resource cpu on pods  (as a percentage of request):  131% (656m) / 70%",
        "Min replicas:                                          4",
        "Max replicas:                                          12",
        "Deployment pods:                                       12 current / 12 desired",
        "Conditions:",
        *table(
            ("Type", "Status", "Reason", "Message"),
            [
                ("----", "------", "------", "-------"),
                (
                    "AbleToScale",
                    "True",
                    "ReadyForNewScale",
                    "recommended size matches current size",
                ),
                (
                    "ScalingActive",
                    "True",
                    "ValidMetricFound",
                    "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
                ),
                (
                    "ScalingLimited",
                    "True",
                    "TooManyReplicas",
                    "the desired replica count is more than the maximum replica count",
                ),
            ],
            indent="  ",
        ),
        *describe_events(
            [
                (
                    "Normal",
                    "SuccessfulRescale",
                    "44m",
                    "horizontal-pod-autoscaler",
                    "New size: 8; reason: cpu resource utilization (percentage of request) above target",
                ),
                (
                    "Normal",
                    "SuccessfulRescale",
                    "40m",
                    "horizontal-pod-autoscaler",
                    "New size: 12; reason: cpu resource utilization (percentage of request) above target",
                ),
                (
                    "Warning",
                    "FailedGetResourceMetric",
                    "21m (x6 over 38m)",
                    "horizontal-pod-autoscaler",
                    "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
                ),
            ]
        ),
    ]
    return "\n".join(lines) + "\n"


def top_pods(rng: random.Random) -> str:
    rows = []
    for name in PODS:
        rows.append((name, f"{rng.randrange(540, 990)}m", f"{rng.randrange(380, 505)}Mi"))
    return "\n".join(table(("NAME", "CPU(cores)", "MEMORY(bytes)"), rows)) + "\n"


def pods_text(rng: random.Random) -> str:
    rows = []
    for index, name in enumerate(PODS):
        restarts = [4, 3, 5, 2, 4, 3, 1, 3, 2, 4, 0, 2][index]
        ready = "0/1" if index in (2, 6, 9) else "1/1"
        status = (
            "CrashLoopBackOff" if index == 2 else ("OOMKilled" if index in (6, 9) else "Running")
        )
        when = f" ({rng.randrange(1, 9)}m ago)" if restarts else ""
        rows.append(
            (
                name,
                ready,
                status,
                f"{restarts}{when}",
                "3d" if index < 4 else f"{rng.randrange(36, 45)}m",
            )
        )
    return "\n".join(table(("NAME", "READY", "STATUS", "RESTARTS", "AGE"), rows)) + "\n"


def oom_pod(rng: random.Random) -> str:
    container = Container(
        name="search-api",
        image="europe-docker.pkg.dev/shop-prod/apps/search-api:3.18.2",
        state=["Running", "  Started:      Fri, 28 Nov 2025 19:41:07 +0000"],
        last_state=[
            "Terminated",
            "  Reason:       OOMKilled",
            "  Exit Code:    137",
            "  Started:      Fri, 28 Nov 2025 19:33:52 +0000",
            "  Finished:     Fri, 28 Nov 2025 19:41:05 +0000",
        ],
        ready=True,
        restarts=5,
        limits={"cpu": "1", "memory": "512Mi"},
        requests={"cpu": "500m", "memory": "384Mi"},
        probes=[
            "Liveness:   http-get http://:8080/healthz delay=10s timeout=1s period=10s #success=1 #failure=3",
            "Readiness:  http-get http://:8080/readyz delay=5s timeout=1s period=5s #success=1 #failure=2",
        ],
        environment=[
            "GOMEMLIMIT:        0",
            "ES_URL:            http://search-es-http.search.svc:9200",
            "MAX_INFLIGHT:      0",
        ],
    )
    pod = Pod(
        name=PODS[2],
        namespace=NAMESPACE,
        node=NODES[1],
        app="search-api",
        containers=[container],
        start_time="Tue, 25 Nov 2025 09:02:18 +0000",
        ip="10.44.3.19",
        labels=["app.kubernetes.io/name=search-api", "pod-template-hash=7f4b8c6d9"],
        events=[
            (
                "Warning",
                "Unhealthy",
                "31m (x9 over 44m)",
                "kubelet",
                'Readiness probe failed: Get "http://10.44.3.19:8080/readyz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            ),
            (
                "Normal",
                "Pulled",
                "4m48s (x6 over 3d)",
                "kubelet",
                'Container image "europe-docker.pkg.dev/shop-prod/apps/search-api:3.18.2" already present on machine',
            ),
            ("Normal", "Created", "4m48s (x6 over 3d)", "kubelet", "Created container search-api"),
            ("Normal", "Started", "4m47s (x6 over 3d)", "kubelet", "Started container search-api"),
            (
                "Warning",
                "BackOff",
                "4m50s (x3 over 19m)",
                "kubelet",
                "Back-off restarting failed container search-api in pod "
                + PODS[2]
                + "_shop(4f1d2c3b-9e8a-47b6-a5c4-3d2e1f0a9b8c)",
            ),
        ],
    )
    return describe_pod(pod, rng)


def app_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.7:
        return (
            "INFO",
            f'search served q="{rng.choice(QUERIES)}" hits={rng.randrange(0, 4000)} took_ms={rng.randrange(8, 120)} facets={rng.randrange(3, 12)}',
            (),
        )
    if roll < 0.9:
        return (
            "INFO",
            f'suggest served prefix="{rng.choice(QUERIES)[:3]}" took_ms={rng.randrange(2, 20)}',
            (),
        )
    return "DEBUG", f"es pool: active={rng.randrange(2, 20)} idle={rng.randrange(10, 40)}", ()


def runtime_stats(start: datetime, minutes: float, rng: random.Random) -> list[Record]:
    """One pod's once-a-minute runtime line: flat before the peak, then heap climbing to the limit
    and starting over after each kill (the restart line follows)."""
    pod = PODS[1]
    records = []
    climb = 0.0
    for index in range(int(minutes)):
        minute = index + 0.5
        inflight = (
            40 + rng.randrange(0, 15)
            if minute < PEAK
            else 160 + int((minute - PEAK) * 5) + rng.randrange(0, 40)
        )
        heap = 118 + inflight * 0.9 + rng.randrange(-6, 6)
        if minute >= PEAK:
            climb += 55 + rng.randrange(0, 25)
            if climb > 310:
                climb = 0.0
                records.append(
                    Record(
                        start + timedelta(minutes=minute - 0.3, milliseconds=rng.randrange(1000)),
                        "INFO",
                        f"search-api 3.18.2 starting: pod={pod} listen=:8080 es=http://search-es-http.search.svc:9200 GOMAXPROCS=1",
                        (),
                        "main.go:44",
                    )
                )
            heap = 150 + climb + rng.randrange(-6, 6)
        rss = heap * 1.08 + 14
        records.append(
            Record(
                start + timedelta(minutes=minute, milliseconds=rng.randrange(1000)),
                "INFO",
                f"runtime stats pod={pod} heap_inuse_mb={heap:.0f} rss_mb={rss:.0f} goroutines={inflight * 3 + 41} inflight={inflight} gc_cpu_fraction={0.012 + inflight / 9000:.3f}",
                (),
                "metrics/runtime.go:58",
            )
        )
    return records


def bundle() -> Bundle:
    rng = random.Random(1104)
    routine = routine_events(
        rng, ["cart-api", "catalog-api", "storefront-web"], 300, NODES, namespace=NAMESPACE
    )
    signal = [
        (
            int((SNAPSHOT - 32) * 60),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/search-api",
                "New size: 8; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
        (
            int((SNAPSHOT - 36) * 60),
            (
                "Normal",
                "SuccessfulRescale",
                "horizontalpodautoscaler/search-api",
                "New size: 12; reason: cpu resource utilization (percentage of request) above target",
            ),
        ),
    ]
    for index in range(26):
        seconds = int((SNAPSHOT - PEAK - 5) * 60) - index * 92 - rng.randrange(0, 40)
        pod = PODS[rng.randrange(len(PODS))]
        node = rng.choice(NODES)
        pid = rng.randrange(10000, 90000)
        signal.append(
            (
                seconds,
                (
                    "Warning",
                    "OOMKilling",
                    f"node/{node}",
                    f"Memory cgroup out of memory: Killed process {pid} (search-api) total-vm:{rng.randrange(1900000, 2100000)}kB, anon-rss:{rng.randrange(520100, 524200)}kB, file-rss:{rng.randrange(9000, 14000)}kB, shmem-rss:0kB, UID:65532 pgtables:{rng.randrange(1400, 1700)}kB oom_score_adj:{rng.choice([984, 986])}",
                ),
            )
        )
        signal.append(
            (
                seconds - 2,
                (
                    "Warning",
                    "BackOff",
                    f"pod/{pod}",
                    "Back-off restarting failed container search-api in pod "
                    + pod
                    + "_shop(4f1d2c3b-9e8a-47b6-a5c4-3d2e1f0a9b8c)",
                ),
            )
        )
        signal.append(
            (
                seconds - 1,
                (
                    "Warning",
                    "Unhealthy",
                    f"pod/{pod}",
                    'Readiness probe failed: Get "http://10.44.3.19:8080/readyz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
                ),
            )
        )
    app = LogFile(
        "search-api.log",
        Zap(("search/handler.go:112", "search/suggest.go:40", "es/pool.go:77"), rng=rng),
    )
    app.add(traffic(rng, app_line, START, SNAPSHOT, 5200))
    app.add(loud(rng, START, PEAK, SNAPSHOT - PEAK, 4400, app_line))
    app.add(runtime_stats(START, SNAPSHOT, rng))
    app.add(
        [
            replace(record, logger="es/client.go:203")
            for record in loud(
                rng,
                START,
                PEAK + 8,
                SNAPSHOT - PEAK - 8,
                520,
                fixed(
                    "ERROR",
                    lambda r: (
                        f'elasticsearch query failed q="{r.choice(QUERIES)}": context deadline exceeded (timeout 2s, index products-v41)'
                    ),
                ),
            )
        ]
    )
    app.add(
        [
            replace(record, logger="search/handler.go:131")
            for record in loud(
                rng,
                START,
                PEAK + 5,
                SNAPSHOT - PEAK - 5,
                260,
                fixed(
                    "WARN",
                    lambda r: (
                        f'slow search q="{r.choice(QUERIES)}" took_ms={r.randrange(1500, 6000)} aggregation_buckets={r.randrange(20000, 90000)}'
                    ),
                ),
            )
        ]
    )
    ingress = LogFile("ingress-nginx-error.log", NginxError(rng))
    ingress.add(
        loud(
            rng,
            START,
            0,
            SNAPSHOT,
            90,
            fixed(
                "WARN",
                lambda r: (
                    f'an upstream response is buffered to a temporary file /tmp/nginx/client-body/{r.randrange(10**10):010d} while reading upstream, client: 10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(256)}, server: www.example-store.de, request: "GET /api/search?q=lego HTTP/2.0"'
                ),
            ),
        )
    )
    ingress.add(
        loud(
            rng,
            START,
            PEAK + 9,
            SNAPSHOT - PEAK - 9,
            900,
            fixed(
                "ERROR",
                lambda r: (
                    f'upstream prematurely closed connection while reading response header from upstream, client: 10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(256)}, server: www.example-store.de, request: "GET /api/search?q={r.choice(QUERIES).replace(" ", "+")} HTTP/2.0", upstream: "http://10.44.{r.randrange(8)}.{r.randrange(2, 250)}:8080/api/search", host: "www.example-store.de"'
                ),
            ),
        )
    )
    ingress.add(
        loud(
            rng,
            START,
            PEAK + 10,
            SNAPSHOT - PEAK - 10,
            700,
            fixed(
                "ERROR",
                lambda r: (
                    f'connect() failed (111: Connection refused) while connecting to upstream, client: 10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(256)}, server: www.example-store.de, request: "GET /api/search?q={r.choice(QUERIES).replace(" ", "+")} HTTP/2.0", upstream: "http://10.44.{r.randrange(8)}.{r.randrange(2, 250)}:8080/api/search", host: "www.example-store.de"'
                ),
            ),
        )
    )
    return Bundle(
        question="Black Friday: search is throwing 502s since ~19:10 UTC even though the HPA already scaled search-api to its max of 12. Do we just raise maxReplicas?",
        category="memory",
        component="search-api",
        statement="Under the Black Friday peak each search-api pod's memory grows past its 512Mi limit and the kernel OOM-kills the container (exit 137) over and over, so pods keep restarting and dropping out while the HPA, scaling on CPU, is already pinned at maxReplicas 12.",
        files={
            "describe-hpa.txt": describe_hpa(),
            "get-pods.txt": pods_text(rng),
            "top-pods.txt": top_pods(rng),
            "describe-pod.txt": oom_pod(rng),
            "events.txt": event_listing(routine, signal),
            "search-api.log": app.render(),
            "ingress-nginx-error.log": ingress.render(),
        },
        proofs=[
            Proof("describe-pod.txt", "Reason:       OOMKilled", "Exit Code:    137"),
            Proof("describe-pod.txt", "memory: 512Mi"),
        ],
        decoys=[
            "TooManyReplicas",
            "upstream prematurely closed connection",
            "elasticsearch query failed",
        ],
    )
