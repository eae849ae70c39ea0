# ruff: noqa: E501
# Hand-written log lines, INFO fields and series definitions are data, kept whole on one line.
"""The catalog-cache Redis reaches its 2 GB maxmemory and allkeys-lru starts evicting hot product
keys; the hit ratio collapses, catalog's reads fall through to PostgreSQL, and the database's CPU,
slow queries, catalog's pool timeouts and the storefront's 504s are what everybody sees."""

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import NginxAccess, Postgres, PythonLogging
from scenes import at, fixed, loud
from traffic import database_server, http_access, traffic, web_api

START = datetime(2025, 12, 6, 18, 0, tzinfo=UTC)
CHICAGO = ZoneInfo("America/Chicago")


def redis_info() -> str:
    lines = [
        "$ redis-cli -h catalog-cache.internal -p 6379 INFO memory",
        "# Memory",
        "used_memory:2147451904",
        "used_memory_human:2.00G",
        "used_memory_rss:2301878272",
        "used_memory_rss_human:2.14G",
        "used_memory_peak:2147483136",
        "used_memory_peak_human:2.00G",
        "used_memory_peak_perc:100.00%",
        "used_memory_overhead:61845232",
        "used_memory_dataset:2085606672",
        "used_memory_dataset_perc:97.11%",
        "total_system_memory:8232873984",
        "total_system_memory_human:7.67G",
        "maxmemory:2147483648",
        "maxmemory_human:2.00G",
        "maxmemory_policy:allkeys-lru",
        "mem_fragmentation_ratio:1.07",
        "mem_allocator:jemalloc-5.3.0",
        "",
        "$ redis-cli -h catalog-cache.internal -p 6379 INFO stats",
        "# Stats",
        "total_connections_received:4410382",
        "total_commands_processed:9183770219",
        "instantaneous_ops_per_sec:38211",
        "rejected_connections:0",
        "expired_keys:18337102",
        "expired_stale_perc:0.41",
        "evicted_keys:31877412",
        "evicted_clients:0",
        "total_eviction_exceeded_time:2714338",
        "current_eviction_exceeded_time:41",
        "keyspace_hits:8122360114",
        "keyspace_misses:611873307",
        "latest_fork_usec:0",
        "",
        "$ redis-cli -h catalog-cache.internal -p 6379 INFO keyspace",
        "# Keyspace",
        "db0:keys=6244018,expires=1183224,avg_ttl=2811604",
    ]
    return "\n".join(lines) + "\n"


def bundle() -> Bundle:
    rng = random.Random(160)
    catalog = LogFile(
        "catalog.log",
        PythonLogging(
            ("catalog.views", "catalog.cache", "catalog.repository", "gunicorn.access"), rng
        ),
    )
    catalog.add(
        traffic(rng, web_api("catalog", ["products", "categories", "prices"]), START, 60, 2140)
    )
    catalog.add(
        [
            at(
                START,
                17.5,
                "INFO",
                "cache stats last 60s: hits=1402188 misses=58210 hit_ratio=0.960 (catalog-cache:6379)",
                logger="catalog.cache",
            )
        ]
    )
    catalog.add(
        [
            at(
                START,
                21.5,
                "WARN",
                "cache stats last 60s: hits=808410 misses=1163088 hit_ratio=0.410 (catalog-cache:6379)",
                logger="catalog.cache",
            )
        ]
    )
    catalog.add(
        loud(
            rng,
            START,
            23,
            37,
            318,
            fixed(
                "ERROR",
                lambda r: (
                    f"GET /api/v1/products/{r.randrange(10**6)} failed: QueuePool limit of size 20 overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)"
                ),
            ),
        )
    )
    catalog.add(
        loud(
            rng,
            START,
            22.5,
            37,
            204,
            fixed(
                "WARN",
                lambda r: (
                    f"slow query {r.randrange(1200, 9000)}ms: SELECT products.id, products.sku, products.title, prices.amount FROM products JOIN prices ON prices.product_id = products.id WHERE products.id = %(id)s"
                ),
            ),
        )
    )
    database = LogFile("postgresql.log", Postgres(rng))
    database.add(traffic(rng, database_server(), START, 60, 1610))
    database.add(
        loud(
            rng,
            START,
            22.8,
            37,
            241,
            fixed(
                "INFO",
                lambda r: (
                    f"duration: {r.randrange(1000, 9000)}.{r.randrange(1000):03d} ms  execute <unnamed>: SELECT products.id, products.sku, products.title, prices.amount FROM products JOIN prices ON prices.product_id = products.id WHERE products.id = $1"
                ),
            ),
        )
    )
    database.add(
        loud(
            rng,
            START,
            25,
            35,
            88,
            fixed("ERROR", lambda r: "canceling statement due to statement timeout"),
        )
    )
    database.add(
        loud(
            rng,
            START,
            27,
            33,
            41,
            fixed(
                "WARN",
                lambda r: (
                    f"checkpoints are occurring too frequently ({r.randrange(8, 25)} seconds apart)"
                ),
            ),
        )
    )
    edge = LogFile("storefront-access.log", NginxAccess(rng, zone=CHICAGO))
    edge.add(
        traffic(
            rng,
            http_access(["/", "/c/{id}", "/p/{id}", "/api/v1/products/{id}", "/cart"]),
            START,
            60,
            1880,
        )
    )
    edge.add(
        loud(
            rng,
            START,
            23.5,
            36,
            377,
            fixed(
                "INFO",
                lambda r: (
                    f'"GET /p/{r.randrange(10**6)} HTTP/1.1" 504 562 "-" "Mozilla/5.0 (X11; Linux x86_64)" 60.00{r.randrange(1, 9)}'
                ),
            ),
        )
    )
    step = 60
    series = {
        "cache_used_memory_mb": shift(rng, 1790, 2048, 4, 0.002, ramp=16),
        "cache_evicted_keys_per_s": shift(rng, 0.01, 5200, 20, 0.15, ramp=2),
        "cache_hit_ratio_percent": shift(rng, 96, 41, 20, 0.03, ramp=2),
        "db_cpu_percent": shift(rng, 31, 98, 22, 0.02, ramp=2),
        "db_active_connections": shift(rng, 24, 97, 22, 0.05, ramp=3),
        "catalog_p99_ms": shift(rng, 85, 30000, 23, 0.1, ramp=2),
        "storefront_5xx_per_s": shift(rng, 0.1, 36, 23, 0.1, ramp=2),
    }
    return Bundle(
        question="Saturday flash sale: product pages time out with 504 and the catalog database is pegged at 100% CPU since ~12:20 Chicago time. Do we need a bigger database?",
        category="memory",
        component="catalog-cache",
        statement="The catalog-cache Redis reached its 2 GB maxmemory and allkeys-lru began evicting hot product keys, so the hit ratio fell from 96% to 41% and catalog's reads fell through to PostgreSQL, overloading it.",
        files={
            "redis-info.txt": redis_info(),
            "catalog.log": catalog.render(),
            "postgresql.log": database.render(),
            "storefront-access.log": edge.render(),
            "metrics.csv": csv_text(START, step, 60, series),
        },
        proofs=[
            Proof("redis-info.txt", "used_memory_human:2.00G", "maxmemory_policy:allkeys-lru"),
            Proof("redis-info.txt", "evicted_keys:"),
            Proof("catalog.log", "hit_ratio=0.410"),
        ],
        decoys=[
            "QueuePool limit of size 20 overflow 10 reached",
            "canceling statement due to statement timeout",
            "checkpoints are occurring too frequently",
            '" 504 ',
        ],
    )
