# ruff: noqa: E501
# Hand-written Elasticsearch, reindex and API lines and pasted curl output are data, kept whole on one line.
"""Elasticsearch, refresh left off: the nightly catalog-reindex job sets `refresh_interval: -1`
on products-v7 for its bulk load and restores it at the end; last night it crashed halfway
(a mapping error on one document batch) and never restored the setting. The index stays
searchable but nothing written since 01:40 (America/New_York) becomes visible: new products and
price changes never appear in search. Decoys: a GC overhead warning and
a disk watermark note on another node."""

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import PythonLogging, SpringBoot
from scenes import at, fixed, loud, python_traceback
from traffic import traffic, web_api

NY = ZoneInfo("America/New_York")
START = datetime(2025, 4, 8, 1, 0, tzinfo=NY)
MINUTES = 600.0
SET = 38.0
CRASH = 71.0


def bundle() -> Bundle:
    rng = random.Random(48105)
    job = LogFile(
        "logs/catalog-reindex.log",
        PythonLogging(("reindex", "reindex.bulk", "elastic_transport.transport"), rng),
    )

    def bulk(r: random.Random):
        return (
            "INFO",
            f"bulk batch {r.randrange(10**4)}: {r.randrange(900, 1000)} docs indexed in {r.randrange(180, 900)}ms (products-v7)",
            (),
        )

    job.add(traffic(rng, bulk, START.replace(minute=38, second=30), CRASH - SET - 1, 1400))
    job.add(
        [
            at(
                START,
                SET - 0.5,
                "INFO",
                "catalog-reindex 3.4.1 starting: source=pim export 2025-04-08T01:30, target index products-v7",
            ),
            at(
                START,
                SET,
                "INFO",
                'PUT /products-v7/_settings {"index": {"refresh_interval": "-1", "number_of_replicas": 0}} -> 200 acknowledged',
            ),
            at(
                START,
                CRASH,
                "ERROR",
                "bulk batch 7713 rejected",
                python_traceback(
                    [
                        (
                            "/opt/reindex/reindex/bulk.py",
                            141,
                            "flush",
                            "raise BulkIndexError(f'{len(errors)} document(s) failed to index.', errors)",
                        )
                    ],
                    "elasticsearch.helpers.BulkIndexError: 12 document(s) failed to index. (mapper_parsing_exception: failed to parse field [dimensions.weight] of type [float] in document with id 'SKU-88120-B')",
                ),
            ),
            at(
                START,
                CRASH + 0.01,
                "FATAL",
                "reindex aborted after 7713 batches; exiting with status 1",
            ),
        ]
    )
    es = LogFile(
        "logs/es-data-2.log",
        SpringBoot(
            (
                "o.e.m.j.JvmGcMonitorService",
                "o.e.c.r.a.DiskThresholdMonitor",
                "o.e.i.s.IndexingSlowLog",
                "o.e.c.m.MetadataUpdateSettingsService",
            ),
            1,
            rng,
            NY,
        ),
    )

    def es_line(r: random.Random):
        return (
            "INFO",
            f"[es-data-2] [gc][{r.randrange(10**5)}] overhead, spent [{r.randrange(100, 300)}ms] collecting in the last [1s]",
            (),
        )

    es.add(traffic(rng, es_line, START, MINUTES, 300, logger="o.e.m.j.JvmGcMonitorService"))
    es.add(
        [
            at(
                START,
                SET + 0.01,
                "INFO",
                "[es-data-2] updating number_of_replicas to [0] for indices [products-v7]",
                logger="o.e.c.m.MetadataUpdateSettingsService",
            ),
            at(
                START,
                210.0,
                "WARN",
                "[es-data-2] [gc][71211] overhead, spent [1.2s] collecting in the last [1.4s]",
                logger="o.e.m.j.JvmGcMonitorService",
            ),
            at(
                START,
                330.0,
                "WARN",
                "high disk watermark [90%] exceeded on [Yq8x0bQ9R4q][es-data-4][/var/lib/elasticsearch] free: 41.2gb[9.1%], shards will be relocated away from this node",
                logger="o.e.c.r.a.DiskThresholdMonitor",
            ),
        ]
    )
    api = LogFile(
        "logs/catalog-api.log",
        SpringBoot(("c.m.catalog.SearchController", "c.m.catalog.ProductWriter"), 1, rng, NY),
    )
    api.add(
        traffic(rng, web_api("catalog-api", ["products", "prices", "search"]), START, MINUTES, 3800)
    )
    api.add(
        loud(
            rng,
            START,
            420,
            MINUTES - 421,
            300,
            fixed(
                "WARN",
                lambda r: (
                    f"product SKU-{r.randrange(10**5)} saved at {r.randrange(1, 9)}:{r.randrange(10, 59)} but not found by search (index products-v7, lag check failed)"
                ),
            ),
        )
    )
    pasted = "\n".join(
        [
            "$ curl -s 'es-data-1:9200/products-v7/_settings?include_defaults=false&filter_path=**.refresh_interval,**.number_of_replicas&pretty'",
            '{ "products-v7" : { "settings" : { "index" : { "refresh_interval" : "-1", "number_of_replicas" : "0" } } } }',
            "$ curl -s 'es-data-1:9200/_cat/indices/products-*?v&h=index,health,docs.count,pri,rep'",
            "index       health docs.count pri rep",
            "products-v7 green     2388121   6   0",
            "$ curl -s 'es-data-1:9200/_cat/aliases/products?v'",
            "alias    index       filter routing.index routing.search is_write_index",
            "products products-v7 -      -             -              -",
            "",
        ]
    )
    notes = (
        "Merch team, 10:55 ET: products created this morning don't show up in search; price changes from 07:00 not visible either. catalog-api writes return 201.\n- es-data-2 GC overhead at 04:30 ET, recovered.\n- es-data-4 over high watermark since yesterday, ticket OPS-771.\n\n"
        + pasted
    )
    return Bundle(
        question="New products and price changes saved this morning do not appear in search results (writes succeed). What is the root cause?",
        category="configuration",
        component="catalog-reindex",
        statement="The nightly catalog-reindex job set refresh_interval -1 (and replicas 0) on products-v7 at 01:38 ET for its bulk load, then crashed on a mapping error and never restored the settings; the index is never refreshed, so documents written since are invisible to search.",
        files={
            "notes.md": notes,
            "logs/catalog-reindex.log": job.render(),
            "logs/es-data-2.log": es.render(),
            "logs/catalog-api.log": api.render(),
        },
        proofs=[
            Proof("logs/catalog-reindex.log", '"refresh_interval": "-1"'),
            Proof("logs/catalog-reindex.log", "reindex aborted after 7713 batches"),
            Proof("notes.md", '"refresh_interval" : "-1"'),
        ],
        decoys=["overhead, spent [1.2s]", "high disk watermark [90%] exceeded"],
    )
