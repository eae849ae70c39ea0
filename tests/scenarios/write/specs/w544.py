# ruff: noqa: E501
# Hand-written Elasticsearch, shipper lines and pasted API answers are data, kept whole on one line.
"""Elasticsearch, an allocation exclusion left behind: when es-metrics-04 (10.4.2.31) was
decommissioned in March, `cluster.routing.allocation.exclude._ip: 10.4.2.31` was set to drain
it and never removed. Its replacement es-metrics-06 got the same address from the subnet and
joined on 12 May, but the allocator never places a shard on it. The other four data nodes kept
growing until es-metrics-02 crossed the high watermark on 28 May; at the 00:00 UTC rollover the
new daily indices cannot place primaries and go red; the shipper's bulk requests fail. Decoys:
a deprecation warning about a legacy template, a slow GC on es-metrics-01, and a Kibana
saved-object migration warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Logfmt, Record
from scenes import at, fixed, loud
from traffic import traffic

START = datetime(2026, 5, 28, 22, 40, tzinfo=UTC)
MINUTES = 140.0
ROLL = 80.0


@dataclass
class EsLog:
    """Elasticsearch's plaintext log: `[2026-05-28T22:40:00,123][WARN ][o.e.c.r.a.DiskThresholdMonitor] [node] msg`."""

    node: str

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S") + f",{record.time.microsecond // 1000:03d}"
        )
        logger = record.logger or "o.e.c.m.MetadataCreateIndexService"
        return [
            f"[{stamp}][{record.level:<5}][{logger}] [{self.node}] {record.message}",
            *record.trailer,
        ]


def bundle() -> Bundle:
    rng = random.Random(54404)
    es = LogFile("logs/es-metrics-01.log", EsLog("es-metrics-01"))
    es.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "INFO",
                        f"[metrics-2026.05.28][{r.randrange(6)}] primary-replica resync completed with {r.randrange(0, 40)} operations",
                        (),
                    ),
                    (
                        "INFO",
                        f"added {{{{es-metrics-0{r.randrange(1, 6)}}}}}, term: 41, version: {r.randrange(90000, 99000)}, reason: Publication{{term=41, version={r.randrange(90000, 99000)}}}",
                        (),
                    ),
                    (
                        "INFO",
                        f"[.monitoring-es-7-2026.05.28/{r.getrandbits(40):010x}] update_mapping [_doc]",
                        (),
                    ),
                    (
                        "INFO",
                        f"Cluster health status changed from [YELLOW] to [GREEN] (reason: [shards started [[apm-2026.05.28][{r.randrange(3)}]]]).",
                        (),
                    ),
                ]
            ),
            START,
            MINUTES,
            700,
            logger="o.e.c.r.a.AllocationService",
        )
    )
    es.add(
        [
            at(
                START,
                9.0,
                "WARN",
                "high disk watermark [90%] exceeded on [q1Y2kU8WT6m1h3p0ZfXn4A][es-metrics-02][/var/lib/elasticsearch] free: 178.2gb[9.6%], shards will be relocated away from this node; currently relocating away shards totalling [0b] bytes; the node is expected to continue to exceed the high disk watermark when these relocations are complete",
                logger="o.e.c.r.a.DiskThresholdMonitor",
            ),
            at(
                START,
                31.0,
                "WARN",
                "[gc][2211904] overhead, spent [1.2s] collecting in the last [1.6s]",
                logger="o.e.m.j.JvmGcMonitorService",
            ),
            at(
                START,
                55.0,
                "WARN",
                "legacy template [metrics-legacy] has index patterns [metrics-old-*] matching patterns from existing composable templates [metrics]; this will be ignored in a future version",
                logger="o.e.d.c.m.MetadataIndexTemplateService",
            ),
            at(
                START,
                ROLL + 0.02,
                "INFO",
                "[metrics-2026.05.29] creating index, cause [auto(bulk api)], templates [metrics], shards [6]/[1]",
                logger="o.e.c.m.MetadataCreateIndexService",
            ),
            at(
                START,
                ROLL + 0.05,
                "INFO",
                "[apm-2026.05.29] creating index, cause [auto(bulk api)], templates [apm], shards [3]/[1]",
                logger="o.e.c.m.MetadataCreateIndexService",
            ),
            at(
                START,
                ROLL + 0.3,
                "WARN",
                "Cluster health status changed from [YELLOW] to [RED] (reason: [index [metrics-2026.05.29] created]).",
                logger="o.e.c.r.a.AllocationService",
            ),
        ]
    )
    es.add(
        loud(
            rng,
            START,
            ROLL + 1.2,
            MINUTES - ROLL - 2,
            180,
            fixed(
                "WARN",
                lambda r: (
                    f"path: /_bulk, params: {{}}, status: 503 unavailable_shards_exception: [metrics-2026.05.29][{r.randrange(6)}] primary shard is not active Timeout: [1m], request: [BulkShardRequest [[metrics-2026.05.29][{r.randrange(6)}]] containing [{r.randrange(200, 1000)}] requests]"
                ),
            ),
        )
    )
    ship = LogFile("logs/metrics-shipper.log", Logfmt("metrics-shipper", rng))
    ship.add(
        traffic(
            rng,
            lambda r: (
                "INFO",
                f"bulk indexed index=metrics-2026.05.28 docs={r.randrange(800, 2000)} took_ms={r.randrange(40, 300)} queue={r.randrange(0, 30)}",
                (),
            ),
            START,
            ROLL,
            2600,
        )
    )
    ship.add(
        loud(
            rng,
            START,
            ROLL + 1.1,
            MINUTES - ROLL - 2,
            1300,
            fixed(
                "ERROR",
                lambda r: (
                    f"bulk request failed index=metrics-2026.05.29 status=503 error=unavailable_shards_exception retry={r.randrange(1, 6)}/5 buffered_events={r.randrange(40000, 900000)}"
                ),
            ),
        )
    )
    ship.add(
        [
            at(
                START,
                61.0,
                "WARN",
                "kibana saved object migration .kibana_8.13.4_001 reported 2 unknown types, ignored",
            )
        ]
    )
    pasted = "\n".join(
        [
            "GET _cat/nodes?v&h=name,ip,node.role,disk.used_percent,heap.percent",
            "name          ip         node.role disk.used_percent heap.percent",
            "es-metrics-01 10.4.2.11  cdhimrs               88.12           61",
            "es-metrics-02 10.4.2.12  cdhimrs               90.41           58",
            "es-metrics-03 10.4.2.13  cdhimrs               88.77           66",
            "es-metrics-05 10.4.2.15  cdhimrs               89.30           52",
            "es-metrics-06 10.4.2.31  cdhimrs                0.94           12",
            "",
            "GET _cat/allocation?v",
            "shards disk.indices disk.used disk.avail disk.total disk.percent host      ip        node",
            "   212        1.5tb     1.6tb    222.1gb      1.8tb           88 10.4.2.11 10.4.2.11 es-metrics-01",
            "   209        1.6tb     1.6tb    178.2gb      1.8tb           90 10.4.2.12 10.4.2.12 es-metrics-02",
            "   214        1.5tb     1.6tb    207.4gb      1.8tb           88 10.4.2.13 10.4.2.13 es-metrics-03",
            "   211        1.5tb     1.6tb    196.0gb      1.8tb           89 10.4.2.15 10.4.2.15 es-metrics-05",
            "     0           0b    17.1gb      1.7tb      1.8tb            0 10.4.2.31 10.4.2.31 es-metrics-06",
            "    18                                                                               UNASSIGNED",
            "",
            "GET _cluster/settings?flat_settings",
            "{",
            '  "persistent" : {',
            '    "cluster.routing.allocation.exclude._ip" : "10.4.2.31",',
            '    "cluster.routing.allocation.disk.watermark.high" : "90%",',
            '    "xpack.monitoring.collection.enabled" : "true"',
            "  },",
            '  "transient" : { }',
            "}",
            "",
            'GET _cluster/allocation/explain {"index":"metrics-2026.05.29","shard":2,"primary":true}',
            "{",
            '  "index" : "metrics-2026.05.29",',
            '  "shard" : 2,',
            '  "primary" : true,',
            '  "current_state" : "unassigned",',
            '  "unassigned_info" : { "reason" : "INDEX_CREATED", "at" : "2026-05-29T00:00:01.118Z", "last_allocation_status" : "no" },',
            '  "can_allocate" : "no",',
            '  "allocate_explanation" : "Elasticsearch isn\'t allowed to allocate this shard to any of the nodes in the cluster. Choose a node to which you expect this shard to be allocated, find this node in the node-by-node explanation, and address the reasons which prevent Elasticsearch from allocating this shard there.",',
            '  "node_allocation_decisions" : [',
            '    { "node_name" : "es-metrics-06", "node_decision" : "no", "deciders" : [ { "decider" : "filter", "decision" : "NO", "explanation" : "node matches cluster setting [cluster.routing.allocation.exclude] filters [_ip:\\"10.4.2.31\\"]" } ] },',
            '    { "node_name" : "es-metrics-01", "node_decision" : "no", "deciders" : [ { "decider" : "disk_threshold", "decision" : "NO", "explanation" : "the node is above the high watermark cluster setting [cluster.routing.allocation.disk.watermark.high=90%], having less than the minimum required [184.3gb] free space, actual free: [181.9gb], actual used: [90.1%]" } ] },',
            '    { "node_name" : "es-metrics-02", "node_decision" : "no", "deciders" : [ { "decider" : "disk_threshold", "decision" : "NO", "explanation" : "the node is above the high watermark cluster setting [cluster.routing.allocation.disk.watermark.high=90%], having less than the minimum required [184.3gb] free space, actual free: [176.0gb], actual used: [90.4%]" } ] }',
            "  ]",
            "}",
            "",
        ]
    )
    history = "\n".join(
        [
            "es-metrics change history (from the ops wiki)",
            "",
            "2026-03-19  OPS-2207  decommission es-metrics-04 (10.4.2.31): drain via allocation exclude, stop, terminate instance",
            "2026-05-12  OPS-2391  add es-metrics-06 (capacity for Q3), joined cluster, green",
            "2026-05-27  OPS-2410  disk alert es-metrics-02 88% -> 'should balance onto 06 over the next days'",
            "",
        ]
    )
    return Bundle(
        question="Since the 00:00 UTC rollover metrics-shipper cannot index anything into metrics-2026.05.29 and the cluster is red. We added a whole new node two weeks ago, so why are we out of space?",
        category="configuration",
        component="es-metrics",
        statement="The es-metrics cluster still carries cluster.routing.allocation.exclude._ip=10.4.2.31 from es-metrics-04's decommissioning; the new node es-metrics-06 reused that address, so no shard is ever allocated to it, the other nodes pass the high watermark and the new day's primaries cannot be assigned.",
        files={
            "es-change-history.txt": history,
            "es-api-output.txt": pasted,
            "logs/es-metrics-01.log": es.render(),
            "logs/metrics-shipper.log": ship.render(),
        },
        proofs=[
            Proof("es-api-output.txt", '"cluster.routing.allocation.exclude._ip" : "10.4.2.31"'),
            Proof(
                "es-api-output.txt",
                "node matches cluster setting [cluster.routing.allocation.exclude]",
            ),
            Proof("es-change-history.txt", "OPS-2207"),
        ],
        decoys=[
            "legacy template [metrics-legacy]",
            "[gc][2211904] overhead",
            "kibana saved object migration",
        ],
    )
