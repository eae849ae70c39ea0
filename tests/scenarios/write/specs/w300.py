# ruff: noqa: E501
# Hand-written Elasticsearch, Logstash and application lines and pasted API output are data, kept whole on one line.
"""Elasticsearch, a mapping explosion: billing-api 4.2.0 (deployed 11:05 CEST) logs its request
context as a JSON object keyed by invoice line ids (`ctx.line_88121_amount`, ...), so every log
event adds new dynamic fields to the shared daily index logs-app-2025.10.02. At 11:39 CEST the index
reaches `index.mapping.total_fields.limit` 1000; from then every event that brings a field not yet
mapped, from any service, is rejected with 400 illegal_argument_exception and goes to Logstash's
dead letter queue. Loud: Logstash's "Could not index event" warnings for many services. Decoys:
the disk low watermark on es-logs-3, a long young GC on es-logs-1, a Logstash pipeline worker
warning."""

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2025, 10, 2, 8, 30, tzinfo=UTC)
MINUTES = 150.0
DEPLOY = 35.0
LIMIT = 69.0
PARIS = ZoneInfo("Europe/Paris")
SERVICES = ["checkout-api", "billing-api", "catalog", "notifier", "auth", "search-gw"]


@dataclass
class EcsLog:
    """Elasticsearch 8's ECS JSON server log; a record's logger is `log.logger`."""

    node: str

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        body = {
            "@timestamp": stamp,
            "log.level": record.level,
            "message": record.message,
            "ecs.version": "1.2.0",
            "service.name": "ES_ECS",
            "event.dataset": "elasticsearch.server",
            "process.thread.name": f"elasticsearch[{self.node}][masterService#updateTask][T#1]"
            if "mapping" in record.message
            else f"elasticsearch[{self.node}][generic][T#{int(record.time.timestamp()) % 9 + 1}]",
            "log.logger": record.logger
            or "org.elasticsearch.cluster.metadata.MetadataMappingService",
            "elasticsearch.cluster.name": "logs-prod",
            "elasticsearch.node.name": self.node,
        }
        return [json.dumps(body, separators=(",", ":"))]


@dataclass
class BillingJson:
    """billing-api's JSON lines in local time; a record's logger carries its `ctx` object as JSON."""

    zone: ZoneInfo

    def render(self, record: Record) -> list[str]:
        body: dict[str, object] = {
            "ts": record.time.astimezone(self.zone).isoformat(timespec="milliseconds"),
            "level": record.level.lower(),
            "service": "billing-api",
            "msg": record.message,
        }
        if record.logger:
            body["ctx"] = json.loads(record.logger)
        return [json.dumps(body)]


@dataclass
class LogstashPlain:
    """Logstash's logstash-plain.log: `[2025-10-02T10:41:03,112][WARN ][logger][main] message` in local time."""

    zone: ZoneInfo

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(self.zone)
        stamp = local.strftime("%Y-%m-%dT%H:%M:%S,") + f"{local.microsecond // 1000:03d}"
        return [
            f"[{stamp}][{record.level:<5}][{record.logger or 'logstash.outputs.elasticsearch'}][main] {record.message}"
        ]


def bundle() -> Bundle:
    rng = random.Random(30019)
    master = LogFile("logs/es-logs-1.json", EcsLog("es-logs-1"))
    master.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                "[logs-app-2025.10.02/Qm3hT0YkRFa1x2vE8nL0wA] update_mapping [_doc]"
                if r.random() < 0.05
                else r.choice(
                    [
                        f"[gc][{r.randrange(10**5)}] overhead, spent [{r.randrange(150, 400)}ms] collecting in the last [1s]",
                        f"[.ds-metrics-{r.choice(['system', 'nginx'])}-2025.10.02-000{r.randrange(1, 9)}] creating index, cause [rollover_data_stream], templates [metrics], shards [1]/[1]",
                        f'moving index [.ds-logs-audit-2025.09.{r.randrange(10, 30)}-000001] from [{{"phase":"hot"}}] to [{{"phase":"warm"}}] in policy [logs-default]',
                    ]
                ),
                (),
            ),
            START,
            MINUTES,
            380,
        )
    )
    master.add(
        loud(
            rng,
            START,
            DEPLOY + 1,
            LIMIT - DEPLOY - 1,
            260,
            fixed(
                "INFO",
                lambda r: "[logs-app-2025.10.02/Qm3hT0YkRFa1x2vE8nL0wA] update_mapping [_doc]",
            ),
        )
    )
    master.add(
        [
            at(
                START,
                22.0,
                "WARN",
                "[gc][young][8812][1403] duration [1.4s], collections [1]/[1.9s], total [1.4s]/[6.1m], memory [19.8gb]->[6.2gb]/[30gb], all_pools {[young] [13.6gb]->[0b]/[0b]}{[old] [6.1gb]->[6.1gb]/[30gb]}",
                logger="org.elasticsearch.monitor.jvm.JvmGcMonitorService",
            ),
            at(
                START,
                58.0,
                "INFO",
                "low disk watermark [85%] exceeded on [xV1cN8aYQ0mZl4Zr2bHk9g][es-logs-3][/var/lib/elasticsearch] free: 61.2gb[14.3%], replicas will not be assigned to this node",
                logger="org.elasticsearch.cluster.routing.allocation.DiskThresholdMonitor",
            ),
        ]
    )

    logstash = LogFile("logs/logstash-plain.log", LogstashPlain(PARIS))
    logstash.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                r.choice(
                    [
                        f'Pipeline started {{"pipeline.id"=>"beats-{r.randrange(1, 4)}"}}',
                        f'Restored connection to ES instance {{:url=>"https://es-logs-{r.randrange(1, 4)}:9200/"}}',
                        "Elasticsearch pool URLs updated {:changes=>{:removed=>[], :added=>[]}}",
                    ]
                ),
                (),
            ),
            START,
            MINUTES,
            90,
        )
    )

    def rejected(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        service = r.choices(SERVICES, [3, 10, 2, 2, 2, 1])[0]
        return (
            "WARN",
            f'Could not index event to Elasticsearch. status: 400, action: ["index", {{"_id"=>nil, "_index"=>"logs-app-2025.10.02", "routing"=>nil}}, {{"service"=>"{service}", "host"=>"{service}-{r.getrandbits(20):05x}"}}], response: {{"index"=>{{"status"=>400, "error"=>{{"type"=>"illegal_argument_exception", "reason"=>"Limit of total fields [1000] has been exceeded while adding new fields [{r.randrange(1, 6)}]"}}}}}}',
            (),
        )

    logstash.add(loud(rng, START, LIMIT, MINUTES - LIMIT - 1, 900, rejected))
    logstash.add(
        [
            at(
                START,
                14.0,
                "WARN",
                "CAUTION: Recommended inflight events max exceeded! Logstash will run with up to 16000 events in memory in your current configuration. If your message sizes are large this may cause instability with the default heap size.",
                logger="logstash.javapipeline",
            ),
        ]
    )

    billing = LogFile(
        "logs/billing-api.log",
        BillingJson(PARIS),
    )
    billing.add(
        traffic(
            rng,
            web_api("billing-api", ["invoices", "credit-notes", "payments"]),
            START,
            DEPLOY,
            700,
        )
    )
    billing.add(
        [
            at(
                START,
                DEPLOY,
                "INFO",
                "billing-api 4.2.0 starting (build 2025-10-01.3, profile=prod)",
            ),
            at(
                START,
                DEPLOY + 0.05,
                "INFO",
                "logging: request context enabled (LOG_CONTEXT=full): invoice lines attached to every event as ctx.line_<id>_<attr>",
            ),
        ]
    )
    post = traffic(
        rng,
        web_api("billing-api", ["invoices", "credit-notes", "payments"]),
        START.replace(minute=6, hour=9),
        MINUTES - DEPLOY - 1,
        2100,
    )
    for record in post:
        line = rng.randrange(10**4, 10**5)
        ctx = {
            f"line_{line}_amount": rng.randrange(100, 90000) / 100,
            f"line_{line}_sku": f"SKU-{rng.randrange(10**5)}",
        }
        billing.add(
            [Record(record.time, record.level, record.message, record.trailer, json.dumps(ctx))]
        )

    pasted = "\n".join(
        [
            "$ curl -s 'https://es-logs-1:9200/logs-app-2025.10.02/_settings/index.mapping.total_fields.limit?include_defaults=true&pretty' | jq -c '.[].defaults.index.mapping'",
            '{"total_fields":{"limit":"1000","ignore_dynamic_beyond_limit":"false"}}',
            "$ curl -s 'https://es-logs-1:9200/logs-app-2025.10.02/_mapping' | jq '[paths(type == \"object\" and has(\"type\"))] | length'",
            "1000",
            "$ curl -s 'https://es-logs-1:9200/logs-app-2025.10.02/_mapping' | jq -r '.[].mappings.properties | to_entries[] | \"\\(.key) \\(.value.properties // {} | length)\"' | sort -k2 -nr | head -6",
            "ctx 811",
            "http 64",
            "event 23",
            "error 11",
            "labels 9",
            "kubernetes 8",
            "$ curl -s 'https://es-logs-1:9200/logs-app-2025.10.01/_mapping' | jq '[paths(type == \"object\" and has(\"type\"))] | length'",
            "187",
            "$ curl -s 'https://es-logs-1:9200/_cat/allocation?v&h=node,disk.percent,shards'",
            "node      disk.percent shards",
            "es-logs-1           61    412",
            "es-logs-2           63    409",
            "es-logs-3           86    398",
            "",
        ]
    )
    return Bundle(
        question="Since about 11:40 CEST logs from several services are missing in Kibana and Logstash's dead letter queue keeps growing. What is the root cause?",
        category="data",
        component="billing-api",
        statement="billing-api 4.2.0 (11:05 CEST) logs its request context with invoice line ids in the key names (ctx.line_<id>_<attr>), adding dynamic fields to logs-app-2025.10.02 until it hit the 1000-field limit at 11:39; since then every event bringing a new field is rejected with 400 'Limit of total fields [1000] has been exceeded'.",
        files={
            "es-mapping.txt": pasted,
            "logs/logstash-plain.log": logstash.render(),
            "logs/es-logs-1.json": master.render(),
            "logs/billing-api.log": billing.render(),
        },
        proofs=[
            Proof("logs/billing-api.log", "request context enabled (LOG_CONTEXT=full)"),
            Proof("es-mapping.txt", "ctx 811"),
        ],
        decoys=[
            "low disk watermark [85%] exceeded",
            "[gc][young][8812]",
            "Recommended inflight events max exceeded",
        ],
    )
