# ruff: noqa: E501
# Hand-written Elasticsearch and client lines and pasted host output are data, kept whole on one line.
"""Elasticsearch, a data node's heap swapped out: es-data-05 was rebuilt on 3 Sep (06:02 UTC) from a new
image that has a 16 GB swap file and lacks the systemd drop-in with `LimitMEMLOCK=infinity`, so
`bootstrap.memory_lock: true` fails at start-up with only a warning. Over the day the kernel
pages idle heap out; old-generation collections then fault it back in, GC pauses reach 20-40 s,
the master drops the node (followers check), shards recover elsewhere and search-api times out.
Decoys: a disk high-watermark notice on es-data-02, a deprecation warning, a client's 400."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, Record
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2025, 9, 3, 6, 0, tzinfo=UTC)
MINUTES = 420.0
BOOT = 2.0
PAUSES = 301.0
LEFT = 352.0


@dataclass
class EsJson:
    """Elasticsearch 8's ECS JSON server log, one object per line."""

    node: str
    rng: random.Random

    def render(self, record: Record) -> list[str]:
        body = {
            "@timestamp": record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}Z",
            "log.level": record.level,
            "message": record.message,
            "ecs.version": "1.2.0",
            "service.name": "ES_ECS",
            "event.dataset": "elasticsearch.server",
            "process.thread.name": f"elasticsearch[{self.node}][{self.rng.choice(['generic', 'management', 'write', 'search'])}][T#{self.rng.randrange(1, 12)}]",
            "log.logger": record.logger or "org.elasticsearch.index.shard.IndexShard",
            "elasticsearch.cluster.name": "search-prod",
            "elasticsearch.node.name": self.node,
        }
        return [json.dumps(body)]


def ordinary(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = r.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[products-v7][{r.randrange(10)}] flushed, translog generation {r.randrange(1000, 9000)}",
            (),
        )
    if roll < 0.8:
        return (
            "INFO",
            f"[gc][{r.randrange(10**4, 10**5)}] overhead, spent [{r.randrange(110, 400)}ms] collecting in the last [1s]",
            (),
        )
    return (
        "INFO",
        f"[products-v7][{r.randrange(10)}] merge segment [_{r.getrandbits(20):x}] done: took [{r.randrange(1, 40)}s]",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(51505)
    data = LogFile("logs/es-data-05.json", EsJson("es-data-05", rng))
    data.add(traffic(rng, ordinary, START, MINUTES, 1900))
    data.add(
        [
            at(
                START,
                BOOT,
                "INFO",
                "version[8.14.3], pid[1881], build[default/deb/...], OS[Linux/6.8.0-1014-aws/amd64], JVM[Oracle Corporation/OpenJDK 64-Bit Server VM/22.0.1/22.0.1+8-16]",
                logger="org.elasticsearch.node.Node",
            ),
            at(
                START,
                BOOT + 0.01,
                "INFO",
                "JVM arguments [-Xms31g, -Xmx31g, -XX:+UseG1GC, -Djava.io.tmpdir=/tmp/elasticsearch-1204, -XX:+HeapDumpOnOutOfMemoryError]",
                logger="org.elasticsearch.node.Node",
            ),
            at(
                START,
                BOOT + 0.02,
                "WARN",
                "Unable to lock JVM Memory: error=12, reason=Cannot allocate memory",
                logger="org.elasticsearch.bootstrap.JNANatives",
            ),
            at(
                START,
                BOOT + 0.03,
                "WARN",
                "This can result in part of the JVM being swapped out.",
                logger="org.elasticsearch.bootstrap.JNANatives",
            ),
            at(
                START,
                BOOT + 0.04,
                "WARN",
                "Increase RLIMIT_MEMLOCK, soft limit: 8388608, hard limit: 8388608",
                logger="org.elasticsearch.bootstrap.JNANatives",
            ),
            at(
                START,
                9.0,
                "WARN",
                "[ignore_throttled] parameter is deprecated because frozen indices have been deprecated.",
                logger="org.elasticsearch.deprecation.rest.RestController",
            ),
        ]
    )
    data.add(
        loud(
            rng,
            START,
            PAUSES,
            MINUTES - PAUSES - 1,
            70,
            fixed(
                "WARN",
                lambda r: (
                    f"[gc][old][{r.randrange(18000, 26000)}][{r.randrange(40, 90)}] duration [{r.randrange(19, 44)}.{r.randrange(10)}s], collections [1]/[{r.randrange(45, 60)}.{r.randrange(10)}s], total [{r.randrange(19, 44)}.{r.randrange(10)}s]/[{r.randrange(3, 9)}.{r.randrange(10)}m], memory [{r.randrange(27, 30)}.{r.randrange(10)}gb]->[{r.randrange(9, 14)}.{r.randrange(10)}gb]/[31gb]"
                ),
            ),
        )
    )
    master_lines = []
    for _k in range(500):
        t = START + timedelta(minutes=rng.random() * MINUTES)
        master_lines.append(
            (
                t,
                f"[{t.strftime('%Y-%m-%dT%H:%M:%S,')}{t.microsecond // 1000:03d}][INFO ][o.e.c.m.MetadataMappingService] [es-master-1] [products-v7/{rng.getrandbits(40):x}] update_mapping [_doc]",
            )
        )
    for _k in range(60):
        t = START + timedelta(minutes=rng.random() * MINUTES)
        master_lines.append(
            (
                t,
                f"[{t.strftime('%Y-%m-%dT%H:%M:%S,')}{t.microsecond // 1000:03d}][INFO ][o.e.c.r.a.DiskThresholdMonitor] [es-master-1] high disk watermark [90%] exceeded on [es-data-02][/var/lib/elasticsearch] free: 41.2gb[9.7%], shards will be relocated away from this node",
            )
        )
    for minute, text in [
        (
            LEFT,
            "[WARN ][o.e.c.c.FollowersChecker] [es-master-1] FollowerChecker{discoveryNode={es-data-05}{hQ7x1MZ2Tq-9sYy3b0aKdw}{10.72.3.15}{10.72.3.15:9300}{d}, failureCountSinceLastSuccess=3, timeoutCountSinceLastSuccess=3, [cluster.fault_detection.follower_check.retry_count]=3} failed too many times",
        ),
        (
            LEFT + 0.02,
            "[INFO ][o.e.c.s.MasterService] [es-master-1] node-left[{es-data-05}{hQ7x1MZ2Tq-9sYy3b0aKdw}{10.72.3.15}{10.72.3.15:9300}{d} reason: followers check retry count exceeded [timeouts=3, failures=0]], term: 41, version: 88123",
        ),
        (
            LEFT + 0.05,
            "[INFO ][o.e.c.r.a.AllocationService] [es-master-1] Cluster health status changed from [GREEN] to [YELLOW] (reason: [{es-data-05}{hQ7x1MZ2Tq-9sYy3b0aKdw} reason: followers check retry count exceeded [timeouts=3, failures=0]]).",
        ),
        (
            LEFT + 2.4,
            "[INFO ][o.e.c.s.MasterService] [es-master-1] node-join[{es-data-05}{hQ7x1MZ2Tq-9sYy3b0aKdw}{10.72.3.15}{10.72.3.15:9300}{d} joining after restart], term: 41, version: 88140",
        ),
    ]:
        t = START + timedelta(minutes=minute)
        master_lines.append(
            (t, f"[{t.strftime('%Y-%m-%dT%H:%M:%S,')}{t.microsecond // 1000:03d}]{text}")
        )
    master_text = "\n".join(line for _, line in sorted(master_lines)) + "\n"
    client = LogFile(
        "logs/search-api.log", PythonLogging(("search.api", "search.es", "uvicorn.access"), rng)
    )
    client.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f'10.72.{r.randrange(8, 12)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} - "GET /search?q={r.choice(["boots", "lamp", "desk", "kettle", "tent"])}&page={r.randrange(1, 5)} HTTP/1.1" 200'
                ),
            ),
            START,
            MINUTES,
            3500,
        )
    )
    client.add(
        loud(
            rng,
            START,
            PAUSES + 1,
            MINUTES - PAUSES - 2,
            420,
            fixed(
                "ERROR",
                lambda r: (
                    "search failed: ConnectionTimeout caused by - ReadTimeoutError(HTTPSConnectionPool(host='es.search.internal', port=9200): Read timed out. (read timeout=10))"
                ),
                lambda r: [],
            ),
        )
    )
    client.add(
        [
            at(
                START,
                140.0,
                "WARN",
                "search rejected by cluster: BadRequestError(400, 'search_phase_execution_exception', 'failed to parse query [price:>>20]')",
                logger="search.es",
            )
        ]
    )
    host = "\n".join(
        [
            "[admin@es-data-05 ~]$ free -m",
            "               total        used        free      shared  buff/cache   available",
            "Mem:           63821       61020         412          12        2389        1944",
            "Swap:          16383        9871        6512",
            "[admin@es-data-05 ~]$ vmstat 5 3",
            "procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----",
            " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st",
            " 3  9 10108012 421188  10212 2433100 18211 3350 19012  4410 9811 12011 11  9 41 39  0",
            " 2 11 10131200 409112  10212 2430012 21120 4102 22018  5120 9920 12433  9 10 38 43  0",
            "[admin@es-data-05 ~]$ systemctl show elasticsearch -p LimitMEMLOCK",
            "LimitMEMLOCK=8388608",
            "[admin@es-data-04 ~]$ systemctl show elasticsearch -p LimitMEMLOCK; swapon --show",
            "LimitMEMLOCK=infinity",
            "",
        ]
    )
    notes = "\n".join(
        [
            "search-prod incident, 13:10 UTC: product search timing out for a large share of users since ~11:00 UTC",
            "es-data-05 rebuilt on the 2025.09 base image this morning, started 06:02 UTC (OPS-1841); rejoined cleanly, cluster green by 06:40",
            "es-data-02 disk at 90% (ticket open since last week, relocation ongoing)",
            "",
        ]
    )
    return Bundle(
        question="Product search has been timing out since about 11:00 UTC. What is the root cause?",
        category="memory",
        component="es-data-05",
        statement="es-data-05 was rebuilt with swap enabled and without LimitMEMLOCK=infinity, so memory_lock failed at start-up; the kernel swapped out part of its 31 GB heap, GC pauses reached 20-40 s, the cluster dropped the node and searches timed out.",
        files={
            "notes.md": notes,
            "es-data-05-host.txt": host,
            "logs/es-data-05.json": data.render(),
            "logs/es-master-1.log": master_text,
            "logs/search-api.log": client.render(),
        },
        proofs=[
            Proof("logs/es-data-05.json", "Unable to lock JVM Memory"),
            Proof("es-data-05-host.txt", "Swap:          16383"),
        ],
        decoys=[
            "high disk watermark [90%] exceeded on [es-data-02]",
            "[ignore_throttled] parameter is deprecated",
            "failed to parse query",
        ],
    )
