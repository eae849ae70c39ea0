# ruff: noqa: E501
# Hand-written Elasticsearch, Logstash lines and pasted API answers are data, kept whole on one line.
"""Elasticsearch, shard allocation left disabled after a rolling restart: during the evening
maintenance on the es-logs cluster the runbook's first step set
`cluster.routing.allocation.enable` to `none` (21:41 UTC); the restarts went fine but the
automation failed before its last step, so the setting was never set back to `all`. Existing
shards were already assigned and the cluster went green after recovery... until 00:00 UTC,
when the daily indices are created: their primaries cannot be allocated, the cluster turns red
and every Logstash bulk request to the new indices fails with `unavailable_shards_exception`.
Loud: Logstash's 503 retries and DLQ. Decoys: a low disk watermark on one data node, GC overhead
on another, a slow Logstash filter warning."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Record
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 9, 2, 21, 20, tzinfo=UTC)
MINUTES = 200.0
DISABLE = 21.0
MIDNIGHT = 160.0


@dataclass
class EsJson:
    """Elasticsearch 8's ECS JSON server log; a record's logger is the Java logger."""

    node: str

    def render(self, record: Record) -> list[str]:
        body = {
            "@timestamp": record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}Z",
            "log.level": record.level if record.level != "WARN" else "WARN",
            "message": record.message,
            "ecs.version": "1.2.0",
            "service.name": "ES_ECS",
            "event.dataset": "elasticsearch.server",
            "process.thread.name": f"elasticsearch[{self.node}][clusterApplierService#updateTask][T#1]",
            "log.logger": record.logger or "org.elasticsearch.cluster.service.MasterService",
            "elasticsearch.cluster.name": "es-logs",
            "elasticsearch.node.name": self.node,
        }
        return [json.dumps(body)]


@dataclass
class LogstashLog:
    """Logstash's plain log: `[time][LEVEL][logger][pipeline] message`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        level = f"{record.level:<5}"
        logger = record.logger or "logstash.outputs.elasticsearch"
        return [f"[{stamp}][{level}][{logger}][main] {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(36133)
    master = LogFile("logs/es-logs-master-1.json", EsJson("es-logs-master-1"))
    master.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"[logs-app-2026.09.02/{r.getrandbits(40):010x}] update_mapping [_doc]",
                        (),
                    ),
                    (
                        "INFO",
                        f"took [{r.randrange(1, 30)}ms] to compute cluster state update for [put-mapping [logs-app-2026.09.02/{r.getrandbits(20):05x}][_doc]]",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            700,
        )
    )
    settings = "org.elasticsearch.common.settings.ClusterSettings"
    master.add(
        [
            at(
                START,
                DISABLE,
                "INFO",
                "updating [cluster.routing.allocation.enable] from [all] to [none]",
                logger=settings,
            ),
            at(
                START,
                DISABLE + 0.5,
                "INFO",
                "updating [indices.recovery.max_bytes_per_sec] from [40mb] to [200mb]",
                logger=settings,
            ),
            at(
                START,
                25.0,
                "INFO",
                "node-left[{es-logs-data-1}{Qm3w}{...}{10.40.2.11}{10.40.2.11:9300}{dh} reason: disconnected], term: 19, version: 88211, delta: removed {{es-logs-data-1}}",
                logger="org.elasticsearch.cluster.service.MasterService",
            ),
            at(
                START,
                33.0,
                "INFO",
                "node-join[{es-logs-data-1}{Qm3w}{...}{10.40.2.11}{10.40.2.11:9300}{dh} rejoin], term: 19, version: 88260, delta: added {{es-logs-data-1}}",
                logger="org.elasticsearch.cluster.service.MasterService",
            ),
            at(
                START,
                62.0,
                "INFO",
                "node-left[{es-logs-data-2}{b7Tx}{...}{10.40.2.12}{10.40.2.12:9300}{dh} reason: disconnected], term: 19, version: 88711, delta: removed {{es-logs-data-2}}",
                logger="org.elasticsearch.cluster.service.MasterService",
            ),
            at(
                START,
                70.0,
                "INFO",
                "node-join[{es-logs-data-2}{b7Tx}{...}{10.40.2.12}{10.40.2.12:9300}{dh} rejoin], term: 19, version: 88740, delta: added {{es-logs-data-2}}",
                logger="org.elasticsearch.cluster.service.MasterService",
            ),
            at(
                START,
                88.0,
                "INFO",
                "Cluster health status changed from [YELLOW] to [GREEN] (reason: [shards started [[logs-app-2026.09.02][2]]]).",
                logger="org.elasticsearch.cluster.routing.allocation.AllocationService",
            ),
            at(
                START,
                120.0,
                "WARN",
                "high disk watermark [90%] not exceeded, low disk watermark [85%] exceeded on [b7Tx][es-logs-data-2][/var/lib/elasticsearch] free: 142.1gb[14.2%], replicas will not be assigned to this node",
                logger="org.elasticsearch.cluster.routing.allocation.DiskThresholdMonitor",
            ),
            at(
                START,
                MIDNIGHT + 0.01,
                "INFO",
                "[logs-app-2026.09.03] creating index, cause [auto(bulk api)], templates [logs-app], shards [3]/[1]",
                logger="org.elasticsearch.cluster.metadata.MetadataCreateIndexService",
            ),
            at(
                START,
                MIDNIGHT + 0.02,
                "INFO",
                "[logs-audit-2026.09.03] creating index, cause [auto(bulk api)], templates [logs-audit], shards [1]/[1]",
                logger="org.elasticsearch.cluster.metadata.MetadataCreateIndexService",
            ),
            at(
                START,
                MIDNIGHT + 0.03,
                "WARN",
                "Cluster health status changed from [GREEN] to [RED] (reason: [index [logs-app-2026.09.03] created]).",
                logger="org.elasticsearch.cluster.routing.allocation.AllocationService",
            ),
        ]
    )
    data3 = LogFile("logs/es-logs-data-3.json", EsJson("es-logs-data-3"))
    data3.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[gc][{r.randrange(10**5)}] overhead, spent [{r.randrange(100, 300)}ms] collecting in the last [{r.randrange(1, 2)}s]",
                (),
            ),
            START,
            MINUTES,
            140,
            logger="org.elasticsearch.monitor.jvm.JvmGcMonitorService",
        )
    )
    data3.add(
        [
            at(
                START,
                140.0,
                "WARN",
                "[gc][81220] overhead, spent [1.4s] collecting in the last [1.9s]",
                logger="org.elasticsearch.monitor.jvm.JvmGcMonitorService",
            )
        ]
    )
    ls = LogFile("logs/logstash-ingest-2.log", LogstashLog())
    ls.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"Elasticsearch pool URLs updated {{:changes=>{{:removed=>[], :added=>[https://es-logs-data-{r.randrange(1, 4)}:9200/]}}}}",
                        (),
                    ),
                    (
                        "WARN",
                        f'Restored connection to ES instance {{:url=>"https://es-logs-data-{r.randrange(1, 4)}:9200/"}}',
                        (),
                    ),
                    (
                        "INFO",
                        f"Pipeline main events: in={r.randrange(10**4, 10**5)} filtered={r.randrange(10**4, 10**5)} out={r.randrange(10**4, 10**5)}",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            900,
            logger="logstash.outputs.elasticsearch",
        )
    )
    ls.add(
        [
            at(
                START,
                100.0,
                "WARN",
                "Slow filter: grok pattern %{COMBINEDAPACHELOG} took 3.2s on one event (pipeline main, plugin grok_access)",
                logger="logstash.filters.grok",
            )
        ]
    )
    ls.add(
        loud(
            rng,
            START,
            MIDNIGHT + 1.1,
            MINUTES - MIDNIGHT - 2,
            560,
            fixed(
                "WARN",
                lambda r: (
                    f'Retrying failed action {{:status=>503, :action=>["index", {{:_id=>nil, :_index=>"logs-app-2026.09.03", :routing=>nil}}, {{"host"=>"web-{r.randrange(1, 40)}"}}], :error=>{{"type"=>"unavailable_shards_exception", "reason"=>"[logs-app-2026.09.03][{r.randrange(3)}] primary shard is not active Timeout: [1m], request: [BulkShardRequest [[logs-app-2026.09.03][{r.randrange(3)}]] containing [{r.randrange(20, 500)}] requests]"}}}}'
                ),
            ),
        )
    )
    ls.add(
        loud(
            rng,
            START,
            MIDNIGHT + 6,
            MINUTES - MIDNIGHT - 7,
            90,
            fixed(
                "ERROR",
                lambda r: (
                    f"Max retries exceeded, writing {r.randrange(20, 500)} events to the dead letter queue (index logs-app-2026.09.03)"
                ),
            ),
        )
    )
    api = "\n".join(
        [
            "GET _cluster/health?filter_path=status,number_of_nodes,unassigned_shards,active_shards_percent_as_number",
            '{"status":"red","number_of_nodes":6,"unassigned_shards":8,"active_shards_percent_as_number":98.6}',
            "",
            "GET _cluster/allocation/explain",
            "{",
            '  "index" : "logs-app-2026.09.03",',
            '  "shard" : 0,',
            '  "primary" : true,',
            '  "current_state" : "unassigned",',
            '  "unassigned_info" : { "reason" : "INDEX_CREATED", "at" : "2026-09-03T00:00:00.912Z", "last_allocation_status" : "no" },',
            '  "can_allocate" : "no",',
            '  "allocate_explanation" : "Elasticsearch isn\'t allowed to allocate this shard to any of the nodes in the cluster. Choose a node to which you expect this shard to be allocated, find this node in the node-by-node explanation, and address the reasons which prevent Elasticsearch from allocating this shard there.",',
            '  "node_allocation_decisions" : [',
            '    { "node_name" : "es-logs-data-1", "node_decision" : "no", "deciders" : [ { "decider" : "enable", "decision" : "NO", "explanation" : "no allocations are allowed due to cluster setting [cluster.routing.allocation.enable=none]" } ] },',
            '    { "node_name" : "es-logs-data-2", "node_decision" : "no", "deciders" : [ { "decider" : "enable", "decision" : "NO", "explanation" : "no allocations are allowed due to cluster setting [cluster.routing.allocation.enable=none]" }, { "decider" : "disk_threshold", "decision" : "NO", "explanation" : "the node is above the low watermark cluster setting [cluster.routing.allocation.disk.watermark.low=85%]" } ] },',
            '    { "node_name" : "es-logs-data-3", "node_decision" : "no", "deciders" : [ { "decider" : "enable", "decision" : "NO", "explanation" : "no allocations are allowed due to cluster setting [cluster.routing.allocation.enable=none]" } ] }',
            "  ]",
            "}",
            "",
        ]
    )
    notes = "\n".join(
        [
            "00:35 UTC page: Kibana shows no application logs after midnight, Logstash DLQ growing.",
            "Last night's maintenance MNT-771 (rolling restart of es-logs for the JVM patch) reported 'completed with warnings' by the automation.",
            "es-logs-data-2 disk at 86% (known, retention change pending).",
            "",
        ]
    )
    return Bundle(
        question="No application logs reach Kibana since midnight UTC and Logstash keeps retrying with 503s. What is the root cause?",
        category="configuration",
        component="es-logs",
        statement="The maintenance's rolling restart set cluster.routing.allocation.enable to none on es-logs at 21:41 UTC and never set it back to all; at midnight the new daily indices' primaries cannot be allocated, the cluster goes red and Logstash's bulk writes fail with unavailable_shards_exception.",
        files={
            "notes.txt": notes,
            "es-api.txt": api,
            "logs/es-logs-master-1.json": master.render(),
            "logs/es-logs-data-3.json": data3.render(),
            "logs/logstash-ingest-2.log": ls.render(),
        },
        proofs=[
            Proof("logs/es-logs-master-1.json", "from [all] to [none]"),
            Proof("es-api.txt", '"node_name" : "es-logs-data-1", "node_decision"'),
        ],
        decoys=[
            "low disk watermark [85%] exceeded",
            "spent [1.4s] collecting",
            "Slow filter: grok pattern",
        ],
    )
