# ruff: noqa: E501
# Elasticsearch, Logstash and pasted _cat lines are data, kept whole on one line.
"""Elasticsearch flood-stage watermark: es-data-03 was added last month on a 500 GB volume
while the other data nodes have 1 TB, and shard allocation balances by count, so it fills
first. The master logs the high watermark at 03:12 UTC (relocations cannot keep up with the
nightly index growth), then the flood stage at 04:19: every index with a shard on es-data-03
gets `read-only-allow-delete`, which includes today's app-logs index. Logstash retries every
bulk with loud `429 cluster_block_exception ... TOO_MANY_REQUESTS/12/disk usage exceeded
flood-stage watermark`, which reads like throttling. Decoys: a GC overhead warning on
es-data-01, a Beats client reset, and an ILM rollover retry for another index."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 11, 12, 2, 40, tzinfo=UTC)
MINUTES = 150.0
HIGH = 32.0  # 03:12
FLOOD = 99.0  # 04:19
NODE3 = "Hs9qV1bZTmW2c0kPp4xR7g"


@dataclass
class EsLog:
    """Elasticsearch's plain-text log: `[time][LEVEL][logger] [node] message`."""

    node: str

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        return [
            f"[{stamp}][{record.level:<5}][{record.logger or 'o.e.c.m.MetadataMappingService'}] [{self.node}] {record.message}",
            *record.trailer,
        ]


@dataclass
class LogstashLog:
    """Logstash's plain log: `[time][LEVEL][logger][pipeline] message`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        return [
            f"[{stamp}][{record.level:<5}][{record.logger or 'logstash.outputs.elasticsearch'}][main] {record.message}"
        ]


def master_line(rng: random.Random) -> Line:
    roll = rng.random()
    index = rng.choice(
        ["app-logs-2026.11.12", "metrics-2026.11.12", "audit-2026.11.12", "traces-2026.11.12"]
    )
    if roll < 0.8:
        return "INFO", f"[{index}/{rng.getrandbits(64):016x}] update_mapping [_doc]", ()
    return "INFO", f"[{index}/{rng.getrandbits(64):016x}] create_mapping", ()


def data_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"[gc][{rng.randrange(100000, 200000)}] young collection took [{rng.randrange(20, 90)}ms]",
        (),
    )


def ls_ok(rng: random.Random) -> Line:
    return (
        "INFO",
        f"Bulk request to https://es-ingest-0{rng.randrange(1, 3)}:9200/_bulk completed: {rng.randrange(400, 2000)} docs in {rng.randrange(60, 400)}ms",
        (),
    )


def ls_block(rng: random.Random) -> Line:
    return (
        "INFO",
        f'Retrying failed action {{:status=>429, :action=>["index", {{:_id=>nil, :_index=>"app-logs-2026.11.12", :routing=>nil}}, {{"host"=>"app-{rng.randrange(10, 60)}", "service"=>"{rng.choice(["checkout", "search", "auth", "catalog"])}"}}], :error=>{{"type"=>"cluster_block_exception", "reason"=>"index [app-logs-2026.11.12] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];"}}}}',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(56233)
    master = LogFile("logs/es-master-01.log", EsLog("es-master-01"))
    master.add(traffic(rng, master_line, START, MINUTES, 1400))
    monitor = "o.e.c.r.a.DiskThresholdMonitor"
    master.add(
        [
            at(
                START,
                HIGH,
                "WARN",
                f"high disk watermark [90%] exceeded on [{NODE3}][es-data-03][/var/lib/elasticsearch] free: 49.6gb[9.9%], shards will be relocated away from this node; currently relocating away shards totalling [0b] bytes; the node is expected to continue to exceed the high disk watermark when these relocations are complete",
                logger=monitor,
            ),
            at(
                START,
                58.0,
                "WARN",
                f"high disk watermark [90%] exceeded on [{NODE3}][es-data-03][/var/lib/elasticsearch] free: 38.2gb[7.6%], shards will be relocated away from this node; currently relocating away shards totalling [41.3gb] bytes; the node is expected to continue to exceed the high disk watermark when these relocations are complete",
                logger=monitor,
            ),
            at(
                START,
                FLOOD,
                "WARN",
                f"flood stage disk watermark [95%] exceeded on [{NODE3}][es-data-03][/var/lib/elasticsearch] free: 24.8gb[4.9%], all indices on this node will be marked read-only",
                logger=monitor,
            ),
            at(
                START,
                71.4,
                "WARN",
                'policy [logs-default] for index [audit-2026.11.11] failed on step [{"phase":"hot","action":"rollover","name":"attempt-rollover"}]. Moving to ERROR step',
                logger="o.e.x.i.IndexLifecycleRunner",
            ),
            at(
                START,
                76.9,
                "INFO",
                "policy [logs-default] for index [audit-2026.11.11] retrying step [attempt-rollover] (attempt 1)",
                logger="o.e.x.i.IndexLifecycleRunner",
            ),
        ]
    )
    data1 = LogFile("logs/es-data-01.log", EsLog("es-data-01"))
    data1.add(traffic(rng, data_line, START, MINUTES, 500))
    data1.add(
        [
            at(
                START,
                47.3,
                "WARN",
                "[gc][148213] overhead, spent [1.2s] collecting in the last [1.7s]",
                logger="o.e.m.j.JvmGcMonitorService",
            )
        ]
    )
    data3 = LogFile("logs/es-data-03.log", EsLog("es-data-03"))
    data3.add(traffic(rng, data_line, START, MINUTES, 480))
    logstash = LogFile("logs/logstash-01.log", LogstashLog())
    logstash.add(traffic(rng, ls_ok, START, FLOOD + 0.2, 2400))
    logstash.add(
        [
            at(
                START,
                88.6,
                "WARN",
                "An exception occurred in the beats input: Connection reset by peer (client 10.30.8.114:51872)",
                logger="org.logstash.beats.BeatsHandler",
            )
        ]
    )
    logstash.add(loud(rng, START, FLOOD + 0.3, MINUTES - FLOOD - 0.4, 1600, ls_block))
    logstash.add(
        loud(
            rng,
            START,
            FLOOD + 0.5,
            MINUTES - FLOOD - 0.6,
            60,
            lambda r: (
                "WARN",
                f"Pipeline worker back-pressure: queue full ({r.randrange(950, 1024)}/1024 pages), pausing inputs",
                (),
            ),
        )
    )
    cat = "\n".join(
        [
            "$ curl -s 'https://es-master-01:9200/_cat/allocation?v&s=disk.percent:desc'",
            "shards disk.indices disk.used disk.avail disk.total disk.percent host        ip           node",
            "   212      463.2gb   475.1gb    24.8gb    499.9gb           95 10.30.4.23  10.30.4.23   es-data-03",
            "   211      655.9gb   671.4gb   328.5gb    999.9gb           67 10.30.4.21  10.30.4.21   es-data-01",
            "   213      642.7gb   660.8gb   339.1gb    999.9gb           66 10.30.4.22  10.30.4.22   es-data-02",
            "   212      631.0gb   646.2gb   353.7gb    999.9gb           64 10.30.4.24  10.30.4.24   es-data-04",
            "",
            "$ curl -s 'https://es-master-01:9200/app-logs-2026.11.12/_settings/index.blocks*?flat_settings'",
            '{"app-logs-2026.11.12":{"settings":{"index.blocks.read_only_allow_delete":"true"}}}',
            "",
            "$ curl -s 'https://es-master-01:9200/_cluster/settings?include_defaults&flat_settings' | jq -r '.defaults | with_entries(select(.key|test(\"watermark|balance.shard\")))'",
            "{",
            '  "cluster.routing.allocation.balance.shard": "0.45",',
            '  "cluster.routing.allocation.disk.watermark.flood_stage": "95%",',
            '  "cluster.routing.allocation.disk.watermark.high": "90%",',
            '  "cluster.routing.allocation.disk.watermark.low": "85%"',
            "}",
            "",
        ]
    )
    return Bundle(
        question="Application logs stopped showing up in Kibana around 04:20 UTC; Logstash keeps retrying bulk requests with 429. What is the root cause?",
        category="disk",
        component="es-data-03",
        statement="es-data-03 has a 500 GB volume while its peers have 1 TB, and shards are balanced by count, so it filled first: it passed the high watermark at 03:12 UTC and the 95% flood stage at 04:19, and Elasticsearch put a read-only-allow-delete block on every index with a shard there, including today's application index, so every bulk write from the log shipper is rejected with 429.",
        files={
            "logs/es-master-01.log": master.render(),
            "logs/es-data-01.log": data1.render(),
            "logs/es-data-03.log": data3.render(),
            "logs/logstash-01.log": logstash.render(),
            "es-cat.txt": cat,
        },
        proofs=[
            Proof("logs/es-master-01.log", "flood stage disk watermark [95%] exceeded on"),
            Proof("es-cat.txt", "   212      463.2gb   475.1gb    24.8gb    499.9gb           95"),
            Proof("logs/es-master-01.log", "free: 49.6gb[9.9%]"),
        ],
        decoys=[
            "[gc][148213] overhead, spent [1.2s]",
            "An exception occurred in the beats input",
            "policy [logs-default] for index [audit-2026.11.11] failed",
            "TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark",
        ],
    )
