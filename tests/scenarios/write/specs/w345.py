# ruff: noqa: E501
# Hand-written log lines are data, kept whole on one line.
"""Elasticsearch cluster `logs-prod` (node es-data-04 among others): a new Kibana dashboard
panel saved at 10:03 UTC runs a terms aggregation on `client.ip` with size 500000 every
minute. The parent circuit breaker trips on the data nodes (`[parent] Data too large`) and
ordinary searches and bulk writes are rejected with 429 circuit_breaking_exception; the log
shippers back off. Decoys: a slow GC warning before the change, a disk watermark notice, and
the shippers' loud 429 retries."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import Record
from scenes import at, loud
from traffic import Line, traffic

START = datetime(2026, 9, 14, 9, 40, tzinfo=UTC)
MINUTES = 55


@dataclass
class EsLog:
    node: str

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        return [
            f"[{stamp}][{record.level:<5}][{record.logger or 'o.e.c.r.a.AllocationService'}] [{self.node}] {record.message}",
            *record.trailer,
        ]


def es_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"[logs-app-2026.09.14][{rng.randrange(6)}] recovery of shard completed from local store",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"[gc][{rng.randrange(100000, 200000)}] overhead, spent [{rng.randrange(100, 300)}ms] collecting in the last [1s]",
            (),
        )
    return (
        "INFO",
        f"rolling over index [logs-app-2026.09.14-{rng.randrange(1, 60):06d}] (max_primary_shard_size [50gb])",
        (),
    )


def breaker(rng: random.Random) -> Line:
    used = rng.randrange(30_100_000_000, 30_600_000_000)
    return (
        "WARN",
        f"path: /logs-app-*/_search, params: {{index=logs-app-*}}, status: 429 org.elasticsearch.common.breaker.CircuitBreakingException: [parent] Data too large, data for [<http_request>] would be [{used}/{used / 2**30:.1f}gb], which is larger than the limit of [30601641984/28.5gb], real usage: [{used - 40000}/{used / 2**30:.1f}gb], new bytes reserved: [{rng.randrange(200, 9000)}/{rng.randrange(1, 9)}kb]",
        (),
    )


def shipper_line(rng: random.Random) -> Line:
    return (
        "INFO",
        f"Non-zero metrics in the last 30s: events.acked={rng.randrange(8000, 14000)} output.write.bytes={rng.randrange(10**6, 9 * 10**6)}",
        (),
    )


def shipper_error(rng: random.Random) -> Line:
    return (
        "WARN",
        f'failed to publish events: 429 Too Many Requests: {{"error":{{"type":"circuit_breaking_exception","reason":"[parent] Data too large"}},"status":429}}; retrying in {rng.choice([1, 2, 4, 8, 16, 32])}s',
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(345_914)
    es = LogFile("logs/es-data-04.log", EsLog("es-data-04"))
    es.add(traffic(rng, es_line, START, MINUTES, 900))
    es.add(
        [
            at(
                START,
                8.2,
                "WARN",
                "[gc][150211] overhead, spent [1.6s] collecting in the last [2.1s]",
                logger="o.e.m.j.JvmGcMonitorService",
            ),
            at(
                START,
                15.4,
                "INFO",
                "low disk watermark [85%] exceeded on [Xk2pQ9rZT0mYb7d1vF3s2A][es-data-02][/var/lib/elasticsearch] free: 142.3gb[14.2%], replicas will not be assigned to this node",
                logger="o.e.c.r.a.DiskThresholdMonitor",
            ),
        ]
    )
    first = at(
        START,
        24.3,
        "WARN",
        '[es-data-04] slow search: took[41.2s], source[{"size":0,"aggs":{"by_client":{"terms":{"field":"client.ip","size":500000}}}}], id[kibana:dashboard/edge-clients-v2]',
        logger="i.s.s.query",
    )
    es.add([first])
    es.add(loud(rng, START, 24.6, MINUTES - 24.8, 380, breaker))
    kib = LogFile("logs/kibana.log", EsLog("kibana-0"))
    kib.add(
        [
            at(
                START,
                23.1,
                "INFO",
                '[saved_objects] Saved dashboard "Edge clients v2" (id=edge-clients-v2) by user m.okafor; panel "Top clients" aggregation terms(client.ip, size=500000), refresh every 1m',
                logger="plugins.dashboards",
            )
        ]
    )
    kib.add(
        traffic(
            rng,
            lambda r: ("INFO", f"GET /api/status 200 {r.randrange(4, 40)}ms - 19.8KB", ()),
            START,
            MINUTES,
            200,
        )
    )
    ship = LogFile("logs/filebeat-edge-07.log", EsLog("filebeat"))
    ship.add(traffic(rng, shipper_line, START, MINUTES, 110))
    ship.add(loud(rng, START, 24.7, MINUTES - 24.9, 520, shipper_error))
    return Bundle(
        question="Log search in Kibana fails and the shippers report 429s since about 10:04 UTC. What is the root cause?",
        category="memory",
        component="es-data-04",
        statement="A dashboard panel saved at 10:03 UTC runs a terms aggregation on client.ip with size 500000 every minute; its buckets fill the data nodes' heap and the parent circuit breaker rejects searches and bulk writes with 429 `[parent] Data too large`.",
        files={
            "logs/es-data-04.log": es.render(),
            "logs/kibana.log": kib.render(),
            "logs/filebeat-edge-07.log": ship.render(),
        },
        proofs=[
            Proof("logs/kibana.log", 'Saved dashboard "Edge clients v2"'),
            Proof("logs/es-data-04.log", "slow search: took[41.2s]"),
        ],
        decoys=[
            "collecting in the last [2.1s]",
            "low disk watermark",
            "failed to publish events: 429",
        ],
    )
