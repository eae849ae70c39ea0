# ruff: noqa: E501
# Elasticsearch log lines, _cat tables and hand-written log lines are data, kept whole on one line.
"""Elasticsearch 7.17: data node es-data-2 fills up (a forced merge of a large index left its
disk at 95.3%). The elected master's DiskThresholdMonitor logs the low and high watermarks, then
at 11:47:36 UTC the flood-stage watermark, and marks every index with a shard on es-data-2
read-only-allow-delete. From then on audit-writer's bulk requests to today's audit index come
back with status 429 `cluster_block_exception ... disk usage exceeded flood-stage watermark`, and
it retries and buffers. Decoys: the 429 status itself (it looks like throttling), GC overhead
warnings on es-data-0, and a rejected search on the write thread pool from the night before."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Log4j, Record
from scenes import at, fixed, loud
from traffic import Line, traffic

START = datetime(2025, 5, 14, 11, 0, tzinfo=UTC)
MINUTES = 75
FLOOD = 47.6
NODE_ID = "pV3kqz1XTLa9m0sQw7dYbg"


@dataclass
class EsJson:
    """Elasticsearch 7's JSON server log (one object per line)."""

    node: str

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S,") + f"{record.time.microsecond // 1000:03d}Z"
        )
        body = {
            "type": "server",
            "timestamp": stamp,
            "level": record.level,
            "component": record.logger or "o.e.c.m.MetadataMappingService",
            "cluster.name": "logs-prod",
            "node.name": self.node,
            "message": record.message,
            "cluster.uuid": "hQ2n7GkUS1yR0fVd3a8LwA",
            "node.id": "c1Lr8vJ0QmWm4nQ2Zc9x6Q"
            if self.node == "es-master-0"
            else "Yt5bHw2aR3q8sL0xPz4nKw",
        }
        return [json.dumps(body)]


def master_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.5:
        return "INFO", f"[audit-2025.05.14/{rng.getrandbits(64):016x}] update_mapping [_doc]", ()
    if roll < 0.8:
        return "INFO", f"[app-{rng.randrange(1, 9)}-2025.05.14] create_mapping [_doc]", ()
    return (
        "INFO",
        f"Cluster health status changed from [YELLOW] to [GREEN] (reason: [shards started [[app-{rng.randrange(1, 9)}-2025.05.{rng.randrange(10, 14)}][{rng.randrange(0, 5)}]]]).",
        (),
    )


def writer_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"bulk flush ok: index=audit-2025.05.14 docs={rng.randrange(200, 1000)} took={rng.randrange(20, 140)}ms",
            (),
        )
    if roll < 0.9:
        return (
            "DEBUG",
            f"consumed {rng.randrange(50, 400)} events from kafka topic audit.events partition={rng.randrange(12)}",
            (),
        )
    return "INFO", f"buffer usage {rng.randrange(1, 6)}% ({rng.randrange(1000, 9000)} events)", ()


def writer_failure(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.55:
        failed = rng.randrange(200, 1000)
        return (
            "ERROR",
            f'bulk request partially failed: {failed}/{failed} items rejected, first failure: {{"index":{{"_index":"audit-2025.05.14","_id":"{rng.getrandbits(80):020x}","status":429,"error":{{"type":"cluster_block_exception","reason":"index [audit-2025.05.14] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];"}}}}}}',
            (),
        )
    if roll < 0.85:
        return (
            "WARN",
            f"Elasticsearch returned 429 Too Many Requests, backing off {rng.choice([1, 2, 4, 8, 16, 30])}s before retry (attempt {rng.randrange(2, 9)})",
            (),
        )
    return (
        "WARN",
        f"buffer usage {rng.randrange(40, 97)}% ({rng.randrange(200000, 900000)} events), kafka consumption paused",
        (),
    )


ALLOCATION = """$ curl -s 'http://es-master-0:9200/_cat/allocation?v'
shards disk.indices disk.used disk.avail disk.total disk.percent host         ip           node
   212      842.1gb   874.4gb    125.5gb    999.9gb           87 10.40.3.21   10.40.3.21   es-data-0
   209      858.7gb   889.2gb    110.7gb    999.9gb           88 10.40.3.22   10.40.3.22   es-data-1
   214      921.9gb   952.8gb     47.1gb    999.9gb           95 10.40.3.23   10.40.3.23   es-data-2
   207      839.4gb   871.0gb    128.9gb    999.9gb           87 10.40.3.24   10.40.3.24   es-data-3

$ curl -s 'http://es-master-0:9200/_cluster/health?pretty'
{
  "cluster_name" : "logs-prod",
  "status" : "green",
  "timed_out" : false,
  "number_of_nodes" : 7,
  "number_of_data_nodes" : 4,
  "active_primaries" : 421,
  "active_shards" : 842,
  "relocating_shards" : 2,
  "initializing_shards" : 0,
  "unassigned_shards" : 0,
  "delayed_unassigned_shards" : 0,
  "number_of_pending_tasks" : 0,
  "number_of_in_flight_fetch" : 0,
  "task_max_waiting_in_queue_millis" : 0,
  "active_shards_percent_as_number" : 100.0
}
"""


def bundle() -> Bundle:
    rng = random.Random(1133)
    master = LogFile("logs/es-master-0.log", EsJson("es-master-0"))
    master.add(traffic(rng, master_line, START, MINUTES, 900, "o.e.c.s.MasterService"))
    disk = "o.e.c.r.a.DiskThresholdMonitor"
    master.add(
        [
            at(
                START,
                8.2,
                "INFO",
                f"low disk watermark [85%] exceeded on [{NODE_ID}][es-data-2][/usr/share/elasticsearch/data/nodes/0] free: 141.2gb[14.1%], replicas will not be assigned to this node",
                logger=disk,
            ),
            at(
                START,
                31.9,
                "WARN",
                f"high disk watermark [90%] exceeded on [{NODE_ID}][es-data-2][/usr/share/elasticsearch/data/nodes/0] free: 98.6gb[9.8%], shards will be relocated away from this node; currently relocating away shards totalling [0b]",
                logger=disk,
            ),
            at(
                START,
                FLOOD,
                "WARN",
                f"flood stage disk watermark [95%] exceeded on [{NODE_ID}][es-data-2][/usr/share/elasticsearch/data/nodes/0] free: 47.1gb[4.7%], all indices on this node will be marked read-only",
                logger=disk,
            ),
            at(
                START,
                40.3,
                "INFO",
                "[audit-2025.04.30] force merge requested: max_num_segments [1], flush [true]",
                logger="o.e.a.a.i.f.TransportForceMergeAction",
            ),
        ]
    )
    data0 = LogFile("logs/es-data-0.log", EsJson("es-data-0"))
    data0.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[audit-2025.05.14][{r.randrange(5)}] global checkpoint sync, local checkpoint [{r.randrange(10**6, 10**7)}]"
                ),
            ),
            START,
            MINUTES,
            500,
            "o.e.i.s.IndexShard",
        )
    )
    data0.add(
        loud(
            rng,
            START,
            52.0,
            9.0,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f"[gc][{r.randrange(180000, 190000)}] overhead, spent [{r.randrange(1000, 2400)}ms] collecting in the last [{r.randrange(2, 4)}s]"
                ),
            ),
        )
    )
    data0.add(
        [
            Record(
                START - timedelta(hours=9, minutes=12),
                "DEBUG",
                "[es-data-0][write][T#3] rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=4291033, max_coordinating_and_primary_bytes=429496729]",
                (),
                "o.e.a.s.TransportSearchAction",
            )
        ]
    )
    writer = LogFile(
        "logs/audit-writer.log",
        Log4j(("com.acme.audit.EsBulkSink", "com.acme.audit.KafkaSource"), threads="bulk-sink"),
    )
    writer.add(traffic(rng, writer_line, START, FLOOD + 0.2, 1900))
    writer.add(
        traffic(
            rng, writer_line, START + timedelta(minutes=FLOOD + 0.2), MINUTES - FLOOD - 0.2, 300
        )
    )
    writer.add(loud(rng, START, FLOOD + 0.15, MINUTES - FLOOD - 0.3, 620, writer_failure))
    return Bundle(
        question="audit-writer has been failing to index into Elasticsearch since about 11:48 UTC, lots of 429s; is Elasticsearch throttling us?",
        category="disk",
        component="es-data-2",
        statement="Data node es-data-2's disk crossed the low, high and, at 11:47:36 UTC, the 95% flood-stage watermark; Elasticsearch then put a read-only-allow-delete block on every index with a shard there, so audit-writer's bulk writes are rejected with 429 cluster_block_exception. It is a full disk, not rate limiting.",
        files={
            "logs/es-master-0.log": master.render(),
            "logs/es-data-0.log": data0.render(),
            "logs/audit-writer.log": writer.render(),
            "cat-allocation.txt": ALLOCATION,
        },
        proofs=[
            Proof("logs/es-master-0.log", "flood stage disk watermark [95%] exceeded"),
            Proof("cat-allocation.txt", "95 10.40.3.23"),
        ],
        decoys=[
            "429 Too Many Requests",
            "overhead, spent",
            "rejected execution of coordinating operation",
        ],
    )
