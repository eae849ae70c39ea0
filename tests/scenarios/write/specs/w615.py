# ruff: noqa: E501
# Elasticsearch, Logstash lines and pasted API output are data, kept whole on one line.
"""Elasticsearch, a daily index created with one primary shard: on 1 April a platform engineer
replaced the composable template `logs-app` with a copy from a staging cluster that sets
`number_of_shards: 1` (production had 6). At the 00:00 UTC rollover the index logs-app-2026.04.02
got one primary on es-logs-data-3 and one replica; every bulk write now lands on that node. At
the morning peak its write thread pool queue (10000) fills and it rejects bulk items with 429
es_rejected_execution_exception; Logstash retries and falls behind, dashboards lag by an hour.
Decoys: a slow GC notice on es-logs-data-1, a deprecation warning, a Logstash pipeline worker
warning about a dead-letter queue being disabled."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Record
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 4, 2, 4, 50, tzinfo=UTC)
MINUTES = 140.0
PEAK = 40.0  # 05:30 UTC


@dataclass
class EsJson:
    """Elasticsearch 8's ECS JSON server log."""

    node: str

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        logger = record.logger or "org.elasticsearch.cluster.service.MasterService"
        return [
            '{"@timestamp":"'
            + stamp
            + '", "log.level": "'
            + record.level
            + '", "message":"'
            + record.message.replace('"', '\\"')
            + '", "ecs.version": "1.2.0","service.name":"ES_ECS","event.dataset":"elasticsearch.server","process.thread.name":"elasticsearch['
            + self.node
            + "][write][T#"
            + str(len(record.message) % 16 + 1)
            + ']","log.logger":"'
            + logger
            + '","elasticsearch.cluster.name":"es-logs","elasticsearch.node.name":"'
            + self.node
            + '"}'
        ]


@dataclass
class LogstashPlain:
    """Logstash's plain log: `[time][LEVEL][logger][pipeline] message`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        logger = record.logger or "logstash.outputs.elasticsearch"
        return [f"[{stamp}][{record.level:<5}][{logger:<32}][main] {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(61503)
    data3 = LogFile("es-logs-data-3/elasticsearch.json", EsJson("es-logs-data-3"))
    data3.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"[logs-app-2026.04.0{r.choice([1, 2])}][0] global checkpoint sync complete, checkpoint={r.randrange(10**6, 10**8)}",
                        (),
                    ),
                    (
                        "INFO",
                        f"[gc][{r.randrange(10**5)}] overhead, spent [{r.randrange(100, 280)}ms] collecting in the last [1s]",
                        (),
                    ),
                    (
                        "INFO",
                        f"flushing shard [logs-audit-2026.04.0{r.choice([1, 2])}][{r.randrange(3)}] after {r.randrange(200, 600)}mb of translog",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            700,
        )
    )
    data3.add(
        loud(
            rng,
            START,
            PEAK,
            MINUTES - PEAK - 1,
            420,
            fixed(
                "WARN",
                lambda r: (
                    f"failed to execute bulk item (index) index {{[logs-app-2026.04.02][_doc][{r.getrandbits(64):016x}]}}: rejected execution of org.elasticsearch.action.support.replication.TransportWriteAction$1 on EsThreadPoolExecutor[name = es-logs-data-3/write, queue capacity = 10000, task execution EWMA = {r.randrange(8, 40)}.{r.randrange(10)}ms, active threads = 8, queued tasks = 10000, completed tasks = {r.randrange(10**8, 2 * 10**8)}]"
                ),
            ),
        )
    )
    master = LogFile("es-logs-master-1/elasticsearch.json", EsJson("es-logs-master-1"))
    master.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"[logs-audit-2026.04.02/{r.getrandbits(48):012x}] update_mapping [_doc]",
                        (),
                    ),
                    (
                        "INFO",
                        f"added {{es-logs-ingest-{r.randrange(1, 3)}}}, term: 88, version: {r.randrange(40000, 41000)}, reason: Publication{{term=88}}",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            90,
        )
    )
    master.add(
        [
            at(
                START,
                1.0,
                "WARN",
                "[component template [logs-app-settings] uses deprecated setting [index.lifecycle.rollover_alias]; this setting is no longer needed for data streams",
                logger="org.elasticsearch.deprecation.common.settings.Settings",
            ),
            at(
                START,
                2.0,
                "INFO",
                "took [12.4s], which is over [10s], to compute cluster state update for [put-mapping [logs-audit-2026.04.02/Zx81QmTrRk2c0a1YwE4p3g][_doc]]",
                logger="org.elasticsearch.cluster.service.MasterService",
            ),
        ]
    )
    ls = LogFile("logstash-2/logstash-plain.log", LogstashPlain(rng))
    ls.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"Pipeline main: batch of {r.randrange(100, 125)} events flushed to https://es-logs-ingest:9200 in {r.randrange(20, 120)}ms",
                        (),
                    ),
                    (
                        "INFO",
                        f"[main] beats input: connection from 10.70.{r.randrange(1, 9)}.{r.randrange(2, 250)} accepted",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            2600,
        )
    )
    ls.add(
        [
            at(
                START,
                0.5,
                "WARN",
                "Dead letter queue is disabled for pipeline main; events failing with 400/404 will be dropped",
                logger="logstash.outputs.elasticsearch",
            )
        ]
    )
    ls.add(
        loud(
            rng,
            START,
            PEAK + 0.5,
            MINUTES - PEAK - 2,
            480,
            fixed(
                "INFO",
                lambda r: (
                    f'Retrying failed action {{:status=>429, :action=>["index", {{:_id=>nil, :_index=>"logs-app-2026.04.02", :routing=>nil}}, {{}}], :error=>{{"type"=>"es_rejected_execution_exception", "reason"=>"rejected execution of coordinating operation [coordinating_and_primary_bytes={r.randrange(10**8, 4 * 10**8)}, replica_bytes=0, all_bytes={r.randrange(4 * 10**8, 5 * 10**8)}] on node es-logs-data-3"}}}}'
                ),
            ),
        )
    )
    ls.add(
        loud(
            rng,
            START,
            PEAK + 20,
            MINUTES - PEAK - 21,
            60,
            fixed(
                "WARN",
                lambda r: (
                    f"Pipeline main: persisted queue at {r.randrange(70, 99)}% of queue.max_bytes 8gb, oldest event {r.randrange(30, 75)}m old; inputs will block when full"
                ),
            ),
        )
    )
    api = "\n".join(
        [
            "GET _cat/thread_pool/write?v&h=node_name,active,queue,rejected",
            "node_name        active queue rejected",
            "es-logs-data-1        2     0        0",
            "es-logs-data-2        1     0        0",
            "es-logs-data-3        8 10000   884213",
            "es-logs-data-4        0     0        0",
            "es-logs-data-5        2     0        0",
            "es-logs-data-6        1     0        0",
            "",
            "GET _cat/shards/logs-app-2026.04.0*?v&h=index,shard,prirep,state,docs,store,node",
            "index               shard prirep state     docs   store node",
            "logs-app-2026.04.01 0     p      STARTED 51022871 41.2gb es-logs-data-1",
            "logs-app-2026.04.01 0     r      STARTED 51022871 41.2gb es-logs-data-4",
            "logs-app-2026.04.01 1     p      STARTED 50998102 41.1gb es-logs-data-2",
            "logs-app-2026.04.01 1     r      STARTED 50998102 41.1gb es-logs-data-5",
            "logs-app-2026.04.01 2     p      STARTED 51104337 41.3gb es-logs-data-3",
            "logs-app-2026.04.01 2     r      STARTED 51104337 41.3gb es-logs-data-6",
            "logs-app-2026.04.01 3     p      STARTED 50877410 41.0gb es-logs-data-4",
            "logs-app-2026.04.01 3     r      STARTED 50877410 41.0gb es-logs-data-1",
            "logs-app-2026.04.01 4     p      STARTED 51066915 41.2gb es-logs-data-5",
            "logs-app-2026.04.01 4     r      STARTED 51066915 41.2gb es-logs-data-2",
            "logs-app-2026.04.01 5     p      STARTED 50931208 41.1gb es-logs-data-6",
            "logs-app-2026.04.01 5     r      STARTED 50931208 41.1gb es-logs-data-3",
            "logs-app-2026.04.02 0     p      STARTED 61233091 49.8gb es-logs-data-3",
            "logs-app-2026.04.02 0     r      STARTED 58912442 47.9gb es-logs-data-5",
            "",
            "GET _index_template/logs-app?filter_path=index_templates.index_template.template.settings,index_templates.index_template._meta",
            "{",
            '  "index_templates" : [ {',
            '      "index_template" : {',
            '        "template" : { "settings" : { "index" : { "number_of_shards" : "1", "number_of_replicas" : "1", "refresh_interval" : "30s" } } },',
            '        "_meta" : { "updated_by" : "kpatel", "updated" : "2026-04-01T15:22:09Z", "source" : "copied from es-logs-staging" }',
            "      }",
            "  } ]",
            "}",
            "",
        ]
    )
    return Bundle(
        question="Kibana dashboards for the app logs are over an hour behind this morning and Logstash keeps retrying with 429s. What is the root cause?",
        category="configuration",
        component="es-logs",
        statement="The logs-app index template on es-logs was replaced on 1 April with a staging copy setting number_of_shards 1, so today's logs-app-2026.04.02 has a single primary on es-logs-data-3; all bulk writes queue on that node, its write thread pool rejects them (429) and logstash-2 falls behind.",
        files={
            "es-logs-api.txt": api,
            "es-logs-data-3/elasticsearch.json": data3.render(),
            "es-logs-master-1/elasticsearch.json": master.render(),
            "logstash-2/logstash-plain.log": ls.render(),
        },
        proofs=[
            Proof("es-logs-api.txt", '"number_of_shards" : "1"'),
            Proof("es-logs-api.txt", "logs-app-2026.04.02 0     p"),
        ],
        decoys=[
            "index.lifecycle.rollover_alias",
            "Dead letter queue is disabled",
            "to compute cluster state update for [put-mapping",
        ],
    )
