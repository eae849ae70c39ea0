# ruff: noqa: E501
# Hand-written Elasticsearch, zap and pasted _cat lines are data, kept whole on one line.
"""Elasticsearch, a data node's heap raised past the compressed-oops limit: after a RAM upgrade
es-data-04 was restarted on 3 February at 09:20 UTC with `-Xms48g -Xmx48g` (its siblings run
30g). Above ~32 GB the JVM turns compressed ordinary object pointers off, so every reference
doubles in size and the bigger heap holds less; the G1 collector falls behind under the
morning indexing load and es-data-04 spends most of its time in GC, misses follower checks and
is dropped by the master again and again. Loud: search-api's timeouts and 503s, shards
reallocating, the cluster yellow. Decoys: a low disk watermark on es-data-02, a deprecation
warning, a slow query in the search slow log."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Record, Zap
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 2, 3, 9, 0, tzinfo=UTC)
MINUTES = 150.0
RESTART = 20.0
TROUBLE = 64.0


@dataclass
class EsLog:
    """Elasticsearch's plain-text log: `[time][LEVEL][logger] [node] message`."""

    node: str

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        logger = record.logger or next(
            name for prefix, name in LOGGERS if record.message.startswith(prefix)
        )
        return [
            f"[{stamp}][{record.level:<5}][{logger:<25}] [{self.node}] {record.message}",
            *record.trailer,
        ]


LOGGERS = (
    ("[gc]", "o.e.m.j.JvmGcMonitorService"),
    ("[logs", "o.e.c.m.MetadataMappingService"),
    ("[ignore", "o.e.d.r.a.s.RestSearchAction"),
    ("", "o.e.c.r.a.AllocationService"),
)


def es_chatter(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    index = f"logs-app-2026.02.{r.choice(['01', '02', '03'])}"
    roll = r.random()
    if roll < 0.2:
        return (
            "INFO",
            f"[gc][{r.randrange(100, 9000)}] overhead, spent [{r.randrange(260, 480)}ms] collecting in the last [1s]",
            (),
        )
    if roll < 0.7:
        return ("INFO", f"[{index}/{r.getrandbits(40):010x}] update_mapping [_doc]", ())
    if roll < 0.9:
        return (
            "INFO",
            f"Cluster health status changed from [YELLOW] to [GREEN] (reason: [shards started [[{index}][{r.randrange(6)}]]]).",
            (),
        )
    return (
        "WARN",
        "[ignore_throttled] parameter is deprecated because frozen indices have been deprecated. Consider cold or frozen tiers in place of frozen indices.",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(39004)
    data4 = LogFile("logs/es-data-04.log", EsLog("es-data-04"))
    data4.add(
        [
            at(
                START,
                RESTART,
                "INFO",
                "version[8.12.2], pid[3311], build[deb/48a287ab9497e852de30327444b0809e55d46466/2024-02-19T10:04:32.774273190Z], OS[Linux/5.15.0-94-generic/amd64], JVM[Oracle Corporation/OpenJDK 64-Bit Server VM/21.0.2/21.0.2+13-58]",
                logger="o.e.n.Node",
            ),
            at(
                START,
                RESTART + 0.01,
                "INFO",
                "JVM home [/usr/share/elasticsearch/jdk], using bundled JDK [true]",
                logger="o.e.n.Node",
            ),
            at(
                START,
                RESTART + 0.02,
                "INFO",
                "JVM arguments [-Des.networkaddress.cache.ttl=60, -XX:+UseG1GC, -Djava.io.tmpdir=/tmp/elasticsearch-6127, -Xms48g, -Xmx48g, -XX:MaxDirectMemorySize=25769803776, -XX:G1HeapRegionSize=32m]",
                logger="o.e.n.Node",
            ),
            at(
                START,
                RESTART + 0.2,
                "INFO",
                "using [1] data paths, mounts [[/var/lib/elasticsearch (/dev/nvme1n1)]], net usable_space [1.2tb], net total_space [3.4tb], types [xfs]",
                logger="o.e.e.NodeEnvironment",
            ),
            at(
                START,
                RESTART + 0.21,
                "INFO",
                "heap size [48gb], compressed ordinary object pointers [false]",
                logger="o.e.e.NodeEnvironment",
            ),
            at(
                START,
                RESTART + 0.6,
                "INFO",
                "started {es-data-04}{qI3V0s2bT7aWk1Yk2sPq9A}{Hh2o}{es-data-04}{10.30.4.14}{10.30.4.14:9300}{dh}",
                logger="o.e.n.Node",
            ),
        ]
    )
    data4.add(traffic(rng, es_chatter, START, MINUTES, 600))
    data4.add(
        loud(
            rng,
            START,
            TROUBLE,
            MINUTES - TROUBLE,
            160,
            fixed(
                "WARN",
                lambda r: r.choice(
                    [
                        f"[gc][{r.randrange(2000, 9000)}] overhead, spent [{r.randrange(9, 24)}.{r.randrange(10)}s] collecting in the last [{r.randrange(25, 27)}.{r.randrange(10)}s]",
                        f"[gc][old][{r.randrange(2000, 9000)}][{r.randrange(10, 90)}] duration [{r.randrange(8, 22)}.{r.randrange(10)}s], collections [1]/[{r.randrange(10, 24)}.{r.randrange(10)}s], total [{r.randrange(8, 22)}.{r.randrange(10)}s]/[{r.randrange(2, 9)}m], memory [{r.randrange(44, 47)}.{r.randrange(10)}gb]->[{r.randrange(41, 45)}.{r.randrange(10)}gb]/[48gb], all_pools {{[young] [0b]->[0b]/[0b]}}{{[old] [{r.randrange(44, 47)}gb]->[{r.randrange(41, 45)}gb]/[48gb]}}",
                    ]
                ),
            ),
        )
    )
    master = LogFile("logs/es-master-1.log", EsLog("es-master-1"))
    master.add(traffic(rng, es_chatter, START, MINUTES, 500))
    master.add(
        [
            at(
                START,
                31.0,
                "INFO",
                "low disk watermark [85%] exceeded on [Rk2W0kQnS8ePq7lH3dZ1bw][es-data-02][/var/lib/elasticsearch] free: 402.6gb[14.3%], replicas will not be assigned to this node",
                logger="o.e.c.r.a.DiskThresholdMonitor",
            ),
        ]
    )
    for n, minute in enumerate([TROUBLE + 6.0, TROUBLE + 29.0, TROUBLE + 55.0, TROUBLE + 77.0]):
        master.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"node-left[{{es-data-04}}{{qI3V0s2bT7aWk1Yk2sPq9A}}{{Hh2o}}{{es-data-04}}{{10.30.4.14}}{{10.30.4.14:9300}}{{dh}} reason: followers check retry count exceeded [timeouts=3, failures=0]], term: 41, version: {88120 + n * 7}, delta: removed {{{{es-data-04}}}}",
                    logger="o.e.c.s.MasterService",
                ),
                at(
                    START,
                    minute + 0.05,
                    "INFO",
                    "Cluster health status changed from [GREEN] to [YELLOW] (reason: [{es-data-04}... reason: followers check retry count exceeded]).",
                    logger="o.e.c.r.a.AllocationService",
                ),
                at(
                    START,
                    minute + 2.4,
                    "INFO",
                    f"node-join[{{es-data-04}}{{qI3V0s2bT7aWk1Yk2sPq9A}}{{Hh2o}}{{es-data-04}}{{10.30.4.14}}{{10.30.4.14:9300}}{{dh}} joining], term: 41, version: {88123 + n * 7}, delta: added {{{{es-data-04}}}}",
                    logger="o.e.c.s.MasterService",
                ),
            ]
        )
    api = LogFile(
        "logs/search-api.log",
        Zap(("search/handler.go:88", "search/es.go:141", "search/cache.go:52")),
    )
    api.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"search ok q_len={r.randrange(3, 40)} hits={r.randrange(0, 5000)} took={r.randrange(8, 120)}ms",
                        (),
                    ),
                    (
                        "INFO",
                        f"search ok q_len={r.randrange(3, 40)} hits={r.randrange(0, 5000)} took={r.randrange(8, 120)}ms",
                        (),
                    ),
                    ("DEBUG", f"cache hit key=facets:{r.getrandbits(32):08x}", ()),
                    (
                        "WARN",
                        f"slow query took={r.randrange(1200, 2600)}ms index=logs-app-* agg=terms(user.id) size=10000",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            5200,
        )
    )
    api.add(
        loud(
            rng,
            START,
            TROUBLE + 1,
            MINUTES - TROUBLE - 1,
            620,
            fixed(
                "ERROR",
                lambda r: r.choice(
                    [
                        f"search failed: elasticsearch: context deadline exceeded after 5000ms (shard failures: {r.randrange(1, 6)}/18)",
                        "search failed: es status 503: search_phase_execution_exception all shards failed, node es-data-04 not connected",
                        f"search partial: {r.randrange(1, 6)} of 18 shards timed out on es-data-04",
                    ]
                ),
            ),
        )
    )
    cat = "\n".join(
        [
            "GET _cat/nodes?v&h=name,node.role,heap.max,heap.percent,ram.percent,cpu,load_1m&s=name",
            "name        node.role heap.max heap.percent ram.percent cpu load_1m",
            "es-data-01  dh         30gb            71          96  38    6.21",
            "es-data-02  dh         30gb            68          97  35    5.90",
            "es-data-03  dh         30gb            74          96  41    6.48",
            "es-data-04  dh         48gb            97          71  88   17.35",
            "es-master-1 m           4gb            41          62   3    0.22",
            "",
            "GET _nodes/es-data-04,es-data-03/jvm?filter_path=nodes.*.name,nodes.*.jvm.using_compressed_ordinary_object_pointers",
            '{"nodes":{"qI3V0s2bT7aWk1Yk2sPq9A":{"name":"es-data-04","jvm":{"using_compressed_ordinary_object_pointers":"false"}},"Ow8rL1cVQxSgY6b2mZ0e4Q":{"name":"es-data-03","jvm":{"using_compressed_ordinary_object_pointers":"true"}}}}',
            "",
            "# hardware ticket HW-3307: es-data-04 RAM 64 -> 128 GB done 3 Feb 09:15; heap.options bumped to 48g 'to use the new memory'",
            "",
        ]
    )
    return Bundle(
        question="search-api has been timing out and returning 503s since about 10:05 UTC and the cluster keeps flapping yellow. What is the root cause?",
        category="memory",
        component="es-data-04",
        statement="es-data-04 was restarted at 09:20 with a 48 GB heap, above the compressed-oops limit, so the JVM runs without compressed object pointers; under the indexing load its old generation stays full, it spends most of its time in GC, misses follower checks and is dropped by the master repeatedly, failing searches.",
        files={
            "cat-nodes.txt": cat,
            "logs/es-data-04.log": data4.render(),
            "logs/es-master-1.log": master.render(),
            "logs/search-api.log": api.render(),
        },
        proofs=[
            Proof("logs/es-data-04.log", "compressed ordinary object pointers [false]"),
            Proof("logs/es-data-04.log", "-Xms48g, -Xmx48g"),
            Proof("cat-nodes.txt", "es-data-04  dh         48gb"),
        ],
        decoys=[
            "low disk watermark [85%] exceeded on",
            "[ignore_throttled] parameter is deprecated",
            "slow query took=",
        ],
    )
