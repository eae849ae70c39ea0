# ruff: noqa: E501
# Hand-written Elasticsearch, Logstash and service lines and pasted API answers are data, kept whole on one line.
"""Elasticsearch, a daily index's dynamic mapping decided by the wrong first document:
fulfillment-api 3.2.0 (deployed 17 June 15:10 UTC) adds the upstream HTTP status code to its
order events under the field `status`, which every other producer fills with a word (`packed`,
`shipped`). The order-events-2026.06.17 index already mapped `status` as keyword, so its numbers
were accepted. At 00:00 UTC the first event of the day came from fulfillment-api, the new index
order-events-2026.06.18 was created with `status` mapped as long (the template has no mapping
for it), and from then on Logstash's bulk requests fail with document_parsing_exception for
every event with a word in `status`: the order-tracking dashboards are empty since 09:00 JST.
Decoys: a high disk watermark on es-data-3, GC overhead notes, Logstash's slow Kafka fetch."""

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import traffic, web_api

START = datetime(2026, 6, 17, 22, 40, tzinfo=UTC)
MINUTES = 150.0
MIDNIGHT = 80.0


@dataclass
class EsJson:
    """Elasticsearch 8's ECS JSON server log."""

    node: str
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        body = {
            "@timestamp": record.time.strftime("%Y-%m-%dT%H:%M:%S.")
            + f"{record.time.microsecond // 1000:03d}Z",
            "log.level": record.level if record.level != "WARN" else "WARN",
            "message": record.message,
            "ecs.version": "1.2.0",
            "service.name": "ES_ECS",
            "event.dataset": "elasticsearch.server",
            "process.thread.name": f"elasticsearch[{self.node}][{self.rng.choice(['masterService#updateTask', 'clusterApplierService#updateTask', 'write', 'generic'])}][T#{self.rng.randrange(1, 9)}]",
            "log.logger": record.logger
            or "org.elasticsearch.cluster.routing.allocation.DiskThresholdMonitor",
            "elasticsearch.cluster.name": "orders-es",
            "elasticsearch.node.name": self.node,
        }
        return [json.dumps(body)]


@dataclass
class Logstash:
    """Logstash's plain log: `[2026-06-18T00:00:01,123][WARN ][logstash.outputs.elasticsearch][main][es-out] ...`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        logger = record.logger or "logstash.outputs.elasticsearch"
        return [f"[{stamp}][{record.level:<5}][{logger}][main][es-out] {record.message}"]


def bundle() -> Bundle:
    rng = random.Random(42020)
    es = LogFile("logs/es-master-1.json", EsJson("es-master-1", rng))

    def es_line(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        roll = r.random()
        if roll < 0.55:
            return (
                "INFO",
                f"[gc][{r.randrange(10**5, 10**6)}] overhead, spent [{r.randrange(250, 700)}ms] collecting in the last [1s]",
                (),
            )
        if roll < 0.85:
            return (
                "INFO",
                f"[order-events-2026.06.{r.choice(['15', '16', '17'])}/{r.getrandbits(40):010x}] update_mapping [_doc]",
                (),
            )
        return (
            "INFO",
            f"Cluster health status changed from [YELLOW] to [GREEN] (reason: [shards started [[order-events-2026.06.1{r.randrange(5, 8)}][0]]]).",
            (),
        )

    es.add(traffic(rng, es_line, START, MINUTES, 420))
    es.add(
        [
            at(
                START,
                30.0,
                "WARN",
                "high disk watermark [90%] exceeded on [Fq2nPd9QTmKx-8l1aZ0vYw][es-data-3][/var/lib/elasticsearch] free: 38.1gb[9.6%], shards will be relocated away from this node; currently relocating away shards totalling [0b] bytes",
                logger="org.elasticsearch.cluster.routing.allocation.DiskThresholdMonitor",
            ),
            at(
                START,
                MIDNIGHT + 0.01,
                "INFO",
                "[order-events-2026.06.18] creating index, cause [auto(bulk api)], templates [order-events], shards [1]/[1]",
                logger="org.elasticsearch.cluster.metadata.MetadataCreateIndexService",
            ),
            at(
                START,
                MIDNIGHT + 0.02,
                "INFO",
                "[order-events-2026.06.18/kP3vX1QmRZ2oJ8u0a9eYbw] create_mapping",
                logger="org.elasticsearch.cluster.metadata.MetadataMappingService",
            ),
        ]
    )
    ls = LogFile("logs/logstash-2-plain.log", Logstash(rng))
    ls.add(
        loud(
            rng,
            START,
            0,
            MINUTES,
            240,
            fixed(
                "INFO",
                lambda r: (
                    f"[kafka-consumer] fetch of order-events partition {r.randrange(12)} took {r.randrange(500, 2600)}ms, {r.randrange(50, 500)} records"
                ),
            ),
        )
    )
    ls.records = [
        Record(x.time, x.level, x.message, x.trailer, "logstash.inputs.kafka") for x in ls.records
    ]
    ls.add(
        loud(
            rng,
            START,
            MIDNIGHT + 0.05,
            MINUTES - MIDNIGHT - 1,
            2400,
            fixed(
                "WARN",
                lambda r: (
                    'Could not index event to Elasticsearch. {:status=>400, :action=>["index", {:_id=>nil, :_index=>"order-events-2026.06.18", :routing=>nil}, {"order_id"=>"'
                    + f"O{r.randrange(10**8):08d}"
                    + '", "source"=>"'
                    + r.choice(["warehouse-scanner", "carrier-sync", "checkout"])
                    + '", "status"=>"'
                    + (
                        word := r.choice(
                            ["packed", "shipped", "out_for_delivery", "delivered", "created"]
                        )
                    )
                    + '"}], :response=>{"index"=>{"status"=>400, "error"=>{"type"=>"document_parsing_exception", "reason"=>"[1:'
                    + str(r.randrange(90, 400))
                    + "] failed to parse field [status] of type [long] in document with id '"
                    + f"{r.getrandbits(60):015x}"
                    + "'. Preview of field's value: '"
                    + word
                    + '\'", "caused_by"=>{"type"=>"illegal_argument_exception", "reason"=>"For input string: \\"'
                    + word
                    + '\\""}}}}}'
                ),
            ),
        )
    )
    ls.add(
        [
            at(
                START,
                5.0,
                "INFO",
                'Pipeline started {"pipeline.id"=>"main"}',
                logger="logstash.javapipeline",
            )
        ]
    )
    api = LogFile(
        "logs/fulfillment-api.json",
        JsonLines("fulfillment-api", ("time", "severity", "message"), "app", False, rng),
    )
    api.add(
        traffic(
            rng, web_api("fulfillment-api", ["shipments", "picks", "labels"]), START, MINUTES, 3800
        )
    )
    api.add(
        [
            at(
                START,
                MIDNIGHT - 0.05,
                "INFO",
                'emitted order event O20417755 to order-events: {"order_id":"O20417755","source":"fulfillment-api","status":200,"label_carrier":"yamato"}',
            ),
        ]
    )
    api.add(
        [
            at(
                START - timedelta(hours=8),
                30.0,
                "INFO",
                "fulfillment-api 3.2.0 starting (event schema v3: events now carry the carrier's HTTP status in 'status')",
            ),
        ]
    )
    pasted = "\n".join(
        [
            "GET order-events-2026.06.17/_mapping/field/status",
            '{"order-events-2026.06.17":{"mappings":{"status":{"full_name":"status","mapping":{"status":{"type":"keyword","ignore_above":256}}}}}}',
            "",
            "GET order-events-2026.06.18/_mapping/field/status",
            '{"order-events-2026.06.18":{"mappings":{"status":{"full_name":"status","mapping":{"status":{"type":"long"}}}}}}',
            "",
            "GET _index_template/order-events?filter_path=index_templates.index_template.template.mappings",
            '{"index_templates":[{"index_template":{"template":{"mappings":{"dynamic":"true","properties":{"order_id":{"type":"keyword"},"@timestamp":{"type":"date"},"source":{"type":"keyword"}}}}}}]}',
            "",
            "GET _cat/indices/order-events-*?v&h=index,health,docs.count,store.size",
            "index                    health docs.count store.size",
            "order-events-2026.06.16  green     4812207      2.1gb",
            "order-events-2026.06.17  green     4790118      2.1gb",
            "order-events-2026.06.18  green       31822     14.2mb",
            "",
        ]
    )
    notes = "\n".join(
        [
            "Order tracking dashboard empty since 09:00 JST (18 Jun)",
            "- Kibana shows only fulfillment-api events for today; yesterday's index looks complete",
            "- es-data-3 over the high watermark since last night (ticket OPS-3390, disk expansion scheduled)",
            "- Logstash Kafka fetches slow but lag is stable",
            "- fulfillment-api 3.2.0 went out yesterday 15:10 UTC (carrier status tracking)",
            "",
        ]
    )
    return Bundle(
        question="The order-tracking dashboards show nothing for today since 09:00 JST, except fulfillment events. What is the root cause?",
        category="data",
        component="fulfillment-api",
        statement="fulfillment-api 3.2.0 writes the carrier's numeric HTTP status into the shared `status` field; its event was the first of the day, so the new daily index order-events-2026.06.18 mapped `status` as long, and Elasticsearch rejects every other producer's event whose status is a word (document_parsing_exception).",
        files={
            "notes.md": notes,
            "es-console.txt": pasted,
            "logs/logstash-2-plain.log": ls.render(),
            "logs/es-master-1.json": es.render(),
            "logs/fulfillment-api.json": api.render(),
        },
        proofs=[
            Proof("logs/fulfillment-api.json", "emitted order event O20417755"),
            Proof("es-console.txt", '"mapping":{"status":{"type":"long"}}'),
            Proof("logs/es-master-1.json", "[order-events-2026.06.18] creating index"),
        ],
        decoys=[
            "high disk watermark [90%] exceeded",
            "overhead, spent",
            "[kafka-consumer] fetch of order-events",
        ],
    )
