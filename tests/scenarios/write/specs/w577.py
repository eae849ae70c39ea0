# ruff: noqa: E501
# Elasticsearch ECS JSON lines, Fluent Bit lines and pasted _cat output are data, kept whole on one line.
"""Elasticsearch, fielddata on a text field: a dashboard built at 03:40 UTC on es-logs wanted a
terms aggregation on `message` and failed ("Fielddata is disabled on [message]"); at 03:52 an
engineer enabled `fielddata: true` on `message` in the app-logs mapping. From then every
refresh of that panel uninverts the full-text field into the heap; within 15 minutes the
data nodes' fielddata is at 11 GB each and the parent circuit breaker rejects bulk and search
requests with 429. Loud: Fluent Bit's 429 bulk rejections and retries, GC overhead warnings.
Decoys: a low disk watermark on es-logs-data-3, a deprecation warning, and one earlier
Fluent Bit flush retry."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Record, iso_millis
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 6, 3, 3, 0, tzinfo=UTC)  # 13:00 AEST
MINUTES = 110.0
FAILED_AGG = 40.0
MAPPING = 52.0
BREAKER = 66.0
NODES = ["es-logs-data-1", "es-logs-data-2", "es-logs-data-3"]


@dataclass
class EsJson:
    """Elasticsearch 8's ECS JSON server log; the record's logger is `node|logger|thread`."""

    def render(self, record: Record) -> list[str]:
        node, logger, thread = (
            record.logger
            or "es-logs-data-1|o.e.c.m.MetadataMappingService|masterService#updateTask"
        ).split("|")
        body = {
            "@timestamp": iso_millis(record.time),
            "log.level": record.level,
            "message": record.message,
            "ecs.version": "1.2.0",
            "service.name": "ES_ECS",
            "event.dataset": "elasticsearch.server",
            "process.thread.name": f"elasticsearch[{node}][{thread}]",
            "log.logger": logger,
            "elasticsearch.cluster.name": "es-logs",
            "elasticsearch.node.name": node,
        }
        if record.trailer:
            body["error.stack_trace"] = "\n".join(record.trailer)
        return [json.dumps(body)]


def es_line(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    node = rng.choice(NODES)
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"[app-logs-2026.06.03][{rng.randrange(6)}] flushed, translog generation {rng.randrange(100, 900)}",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"[gc][{rng.randrange(10000, 90000)}] young collection, took [{rng.randrange(8, 60)}ms]",
            (),
        )
    if roll < 0.9:
        return "INFO", f"[metrics-2026.06.03/{rng.getrandbits(64):016x}] update_mapping [_doc]", ()
    return (
        "INFO",
        f"added {{{node}}}{{{rng.getrandbits(32):08x}}} to recovery source for shard [traces-2026.06.03][{rng.randrange(4)}]",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(57705)
    es = LogFile("es-logs/elasticsearch.json", EsJson())
    es.add(traffic(rng, es_line, START, MINUTES, 2300))
    es.add(
        [
            at(
                START,
                9.0,
                "WARN",
                "high disk watermark [85%] not exceeded, low disk watermark [80%] exceeded on [Qm3xR1][es-logs-data-3][/var/lib/elasticsearch] free: 176.2gb[19.4%], replicas will not be assigned to this node",
                logger="es-logs-data-1|o.e.c.r.a.DiskThresholdMonitor|management",
            ),
            at(
                START,
                15.0,
                "WARN",
                "[types removal] Specifying types in search requests is deprecated.",
                logger="es-logs-data-2|o.e.d.r.a.s.RestSearchAction|http_server_worker",
            ),
            at(
                START,
                FAILED_AGG,
                "WARN",
                "path: /app-logs-*/_search, params: {index=app-logs-*}, status: 400",
                (
                    "java.lang.IllegalArgumentException: Fielddata is disabled on [message] in [app-logs-2026.06.03]. Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [message] in order to load field data by uninverting the inverted index. Note that this can use significant memory.",
                ),
                logger="es-logs-data-2|r.suppressed|search",
            ),
            at(
                START,
                MAPPING,
                "INFO",
                "[app-logs-2026.06.03/Zk8q1TRmQ9uv0sXbN4a2Lw] update_mapping [_doc]",
                logger="es-logs-data-1|o.e.c.m.MetadataMappingService|masterService#updateTask",
            ),
            at(
                START,
                MAPPING + 0.02,
                "INFO",
                "updating index template [app-logs] for index patterns [app-logs-*]",
                logger="es-logs-data-1|o.e.c.m.MetadataIndexTemplateService|masterService#updateTask",
            ),
        ]
    )
    es.add(
        loud(
            rng,
            START,
            BREAKER - 6,
            MINUTES - BREAKER + 5,
            220,
            fixed(
                "WARN",
                lambda r: (
                    f"[gc][{r.randrange(90000, 99999)}] overhead, spent [{r.uniform(2.1, 4.4):.1f}s] collecting in the last [{r.uniform(4.5, 5.2):.1f}s]"
                ),
            ),
        )
    )

    def tripped(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        used = r.uniform(30.5, 31.4)
        kind = r.choice(
            [
                "indices:data/write/bulk[s]",
                "indices:data/read/search[phase/query]",
                "<http_request>",
            ]
        )
        return (
            "WARN",
            f"path: /_bulk, params: {{}}, status: 429 CircuitBreakingException[[parent] Data too large, data for [{kind}] would be [{used * 1024**3:.0f}/{used:.1f}gb], which is larger than the limit of [32641751449/30.4gb], real usage: [{(used - 0.1) * 1024**3:.0f}/{used - 0.1:.1f}gb], new bytes reserved: [{r.randrange(10**5, 10**7)}/{r.uniform(0.1, 9):.1f}mb], usages [fielddata={r.uniform(10.8, 11.9):.1f}gb, request=0/0b, inflight_requests={r.randrange(10**5, 10**7)}/{r.uniform(0.1, 9):.1f}mb, model_inference=0/0b, eql_sequence=0/0b]]",
            (),
        )

    es.add(loud(rng, START, BREAKER, MINUTES - BREAKER - 1, 600, tripped))
    for index, record in enumerate(es.records):
        if "CircuitBreakingException" in record.message or "overhead, spent" in record.message:
            thread = "write" if "CircuitBreaking" in record.message else "scheduler"
            logger = (
                "r.suppressed"
                if "CircuitBreaking" in record.message
                else "o.e.m.j.JvmGcMonitorService"
            )
            es.records[index] = Record(
                record.time,
                record.level,
                record.message,
                record.trailer,
                f"{rng.choice(NODES)}|{logger}|{thread}",
            )

    fb = LogFile("fluent-bit/fluent-bit.log", FluentBit())
    fb.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"[output:es:es.0] HTTP status=200 URI=/_bulk, {r.randrange(200, 5000)} records",
                (),
            ),
            START,
            MINUTES,
            1500,
        )
    )
    fb.add(
        [
            at(
                START,
                24.0,
                "WARN",
                "[engine] failed to flush chunk '1-1780459441.812304233.flb', retry in 7 seconds: task_id=3, input=tail.0 > output=es.0 (out_id=0)",
            )
        ]
    )
    fb.add(
        loud(
            rng,
            START,
            BREAKER + 0.2,
            MINUTES - BREAKER - 1,
            700,
            fixed(
                "ERROR",
                lambda r: (
                    '[output:es:es.0] HTTP status=429 URI=/_bulk, response:{"error":{"root_cause":[{"type":"circuit_breaking_exception","reason":"[parent] Data too large"}],"status":429}'
                ),
            ),
        )
    )
    cat = "\n".join(
        [
            "GET _cat/fielddata?v&fields=*&s=size:desc",
            "id                     host       ip         node           field           size",
            "Hk2pQ0sYTpWn4J8aVbC1xQ 10.8.1.21  10.8.1.21  es-logs-data-1 message        11.2gb",
            "Qm3xR1aLQ7e2Z5vMnO8pTg 10.8.1.23  10.8.1.23  es-logs-data-3 message        10.9gb",
            "Tb7cE4nWR2yX1uKfGh6sDw 10.8.1.22  10.8.1.22  es-logs-data-2 message        11.6gb",
            "Hk2pQ0sYTpWn4J8aVbC1xQ 10.8.1.21  10.8.1.21  es-logs-data-1 _id             4.1mb",
            "Tb7cE4nWR2yX1uKfGh6sDw 10.8.1.22  10.8.1.22  es-logs-data-2 _id             3.8mb",
            "",
            "GET _cat/nodes?v&h=name,heap.percent,ram.percent,cpu,load_1m,node.role",
            "name           heap.percent ram.percent cpu load_1m node.role",
            "es-logs-data-1           97          99  88   11.42 dhimrs",
            "es-logs-data-2           98          99  91   12.07 dhimrs",
            "es-logs-data-3           96          98  86   10.88 dhimrs",
            "",
            "GET app-logs-2026.06.03/_mapping/field/message",
            '{"app-logs-2026.06.03":{"mappings":{"message":{"full_name":"message","mapping":{"message":{"type":"text","fielddata":true}}}}}}',
            "",
        ]
    )
    notes = "\n".join(
        [
            "#logging-platform (AEST)",
            "13:40 kai: new 'top error messages' panel on the Ops overview board, terms agg on message, fails with 400, looking",
            "13:52 kai: fixed the mapping, panel works now, refresh every 30s",
            "14:06 pager: es-logs heap > 95% on all data nodes",
            "14:07 fluent-bit retry queue growing, 429 from _bulk",
            "",
        ]
    )
    return Bundle(
        question="Log ingestion into es-logs started failing with 429 around 14:06 AEST and dashboards time out. What is the root cause?",
        category="memory",
        component="es-logs",
        statement="At 13:52 AEST fielddata was enabled on the text field message in es-logs' app-logs mapping so a terms panel would work; the panel's aggregations uninvert it into the heap (about 11 GB per data node) and the parent circuit breaker rejects bulk and query requests with 429.",
        files={
            "es-logs/elasticsearch.json": es.render(),
            "es-logs/dev-tools.txt": cat,
            "fluent-bit/fluent-bit.log": fb.render(),
            "slack-logging-platform.txt": notes,
        },
        proofs=[
            Proof(
                "es-logs/elasticsearch.json",
                "[app-logs-2026.06.03/Zk8q1TRmQ9uv0sXbN4a2Lw] update_mapping [_doc]",
            ),
            Proof("es-logs/dev-tools.txt", '"message":{"type":"text","fielddata":true}'),
            Proof("es-logs/dev-tools.txt", "es-logs-data-2 message        11.6gb"),
        ],
        decoys=[
            "low disk watermark [80%] exceeded",
            "Specifying types in search requests is deprecated",
            "failed to flush chunk '1-1780459441.812304233.flb'",
        ],
    )


@dataclass
class FluentBit:
    """Fluent Bit's own log: `[2026/06/03 03:00:00] [ info] [component] message`."""

    def render(self, record: Record) -> list[str]:
        level = {"INFO": " info", "WARN": " warn", "ERROR": "error"}.get(record.level, "debug")
        return [f"[{record.time.strftime('%Y/%m/%d %H:%M:%S')}] [{level}] {record.message}"]
