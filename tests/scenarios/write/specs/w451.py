# ruff: noqa: E501
# Logstash lines and pasted Elasticsearch API output are data, kept whole on one line.
"""Elasticsearch shard limit: on 2 May an edit of the `logs-default` ILM policy on the
es-logging cluster (to lengthen the warm phase) dropped its delete phase. Old daily indices
are no longer removed; at midnight UTC on 30 May the cluster reaches
`cluster.max_shards_per_node` (1000 x 3 data nodes) and the new day's indices cannot be
created. Logstash gets validation_exception for every bulk request to a new index, so
today's logs are missing in Kibana. Decoys: a GC overhead line on a data node, a Logstash
pipeline worker warning, a yellow status from a replica being relocated."""

import random
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 5, 29, 22, 0, tzinfo=UTC)
MINUTES = 180.0
MIDNIGHT = 120.0


class LogstashPlain:
    """Logstash's plain log: `[2026-05-29T22:00:00,123][INFO ][logger] message`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        return [
            f"[{stamp}][{record.level:<5}][{record.logger or 'logstash.outputs.elasticsearch'}] {record.message}"
        ]


def ordinary(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = r.random()
    if roll < 0.5:
        return (
            "INFO",
            f"[main] bulk request sent: {r.randrange(200, 2500)} events, took {r.randrange(8, 140)}ms, index=logs-{r.choice(['app', 'nginx', 'audit'])}-2026.05.29",
            (),
        )
    if roll < 0.8:
        return (
            "DEBUG",
            f"[main] flushing batch of {r.randrange(100, 125)} events from beats input (pipeline.batch.size=125)",
            (),
        )
    return (
        "INFO",
        f"[main] Beats connection from 10.90.{r.randrange(1, 20)}.{r.randrange(2, 250)}:{r.randrange(30000, 60000)} established",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(45105)
    ls = LogFile("logstash/logstash-plain.log", LogstashPlain())
    ls.add(traffic(rng, ordinary, START, MIDNIGHT, 2600))
    after = START + timedelta(minutes=MIDNIGHT)
    ls.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[main] bulk request sent: {r.randrange(200, 2500)} events, took {r.randrange(8, 140)}ms, index=logs-audit-2026.05.29",
                (),
            ),
            after,
            MINUTES - MIDNIGHT,
            300,
        )
    )
    ls.add(
        loud(
            rng,
            START,
            MIDNIGHT + 0.02,
            MINUTES - MIDNIGHT - 0.5,
            900,
            fixed(
                "WARN",
                lambda r: (
                    'Could not index event to Elasticsearch. status: 400, action: ["index", {:_id=>nil, :_index=>"logs-'
                    + r.choice(["app", "nginx"])
                    + '-2026.05.30", :routing=>nil}, {...}], response: {"index"=>{"status"=>400, "error"=>{"type"=>"validation_exception", "reason"=>"Validation Failed: 1: this action would add [2] shards, but this cluster currently has [3000]/[3000] maximum normal shards open;"}}}'
                ),
            ),
        )
    )
    ls.add(
        [
            at(
                START,
                47.5,
                "WARN",
                "[main] CAUTION: Recommended inflight events max exceeded! Logstash will run with up to 2000 events in memory in your current configuration.",
                logger="logstash.javapipeline",
            ),
        ]
    )
    api = "\n".join(
        [
            "$ curl -s 'https://es-logging.obs.internal:9200/_cluster/health?pretty'",
            "{",
            '  "cluster_name" : "es-logging",',
            '  "status" : "yellow",',
            '  "number_of_nodes" : 3,',
            '  "number_of_data_nodes" : 3,',
            '  "active_primary_shards" : 1500,',
            '  "active_shards" : 2999,',
            '  "relocating_shards" : 1,',
            '  "unassigned_shards" : 1,',
            '  "active_shards_percent_as_number" : 99.96',
            "}",
            "$ curl -s 'https://es-logging.obs.internal:9200/_cluster/settings?include_defaults&filter_path=**.max_shards_per_node&pretty'",
            '{ "defaults" : { "cluster" : { "max_shards_per_node" : "1000" } } }',
            "$ curl -s 'https://es-logging.obs.internal:9200/_cat/indices/logs-*?h=index&s=index' | sed -n '1p;$p'; curl -s 'https://es-logging.obs.internal:9200/_cat/indices/logs-*?h=index' | wc -l",
            "logs-app-2026.02.28",
            "logs-nginx-2026.05.29",
            "750",
            "$ curl -s 'https://es-logging.obs.internal:9200/_ilm/policy/logs-default?filter_path=*.version,*.modified_date,*.policy.phases.*.min_age&pretty'",
            "{",
            '  "logs-default" : {',
            '    "version" : 7,',
            '    "modified_date" : "2026-05-02T14:11:09.220Z",',
            '    "policy" : { "phases" : { "hot" : { "min_age" : "0ms" }, "warm" : { "min_age" : "7d" }, "cold" : { "min_age" : "45d" } } }',
            "  }",
            "}",
            '$ ssh es-data-2 \'grep -c "gc overhead" /var/log/elasticsearch/es-logging.log; grep "gc overhead" /var/log/elasticsearch/es-logging.log | tail -1\'',
            "3",
            "[2026-05-29T23:41:12,405][INFO ][o.e.m.j.JvmGcMonitorService] [es-data-2] [gc][881233] overhead, spent [312ms] collecting in the last [1s]",
            "",
        ]
    )
    return Bundle(
        question="Kibana shows no application or nginx logs since midnight UTC; Logstash is running. What is the root cause?",
        category="configuration",
        component="es-logging",
        statement="The logs-default ILM policy on es-logging lost its delete phase in the 2 May edit, so daily indices accumulated until the cluster hit max_shards_per_node (3000/3000 shards); from midnight the new day's indices cannot be created and Logstash's bulk writes fail with validation_exception.",
        files={
            "logstash/logstash-plain.log": ls.render(),
            "es-api.txt": api,
        },
        proofs=[
            Proof("es-api.txt", '"policy" : { "phases" : { "hot" : { "min_age" : "0ms" }'),
            Proof("es-api.txt", '"modified_date" : "2026-05-02T14:11:09.220Z"'),
            Proof("es-api.txt", '"max_shards_per_node" : "1000"'),
        ],
        decoys=[
            "[gc][881233] overhead",
            "Recommended inflight events max exceeded",
            '"status" : "yellow"',
        ],
    )
