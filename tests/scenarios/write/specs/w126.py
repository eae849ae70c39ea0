# ruff: noqa: E501
# Hand-written log lines, psql output and series definitions are data, kept whole on one line.
"""PostgreSQL hot standby pg-orders-replica-1 runs with max_standby_streaming_delay = -1 (set weeks
ago so analysts' reports stop being cancelled). At 08:06:41 UTC a Metabase report that has been
running since 07:58 holds a snapshot that an autovacuum prune on the primary conflicts with, and
WAL replay waits for it indefinitely: the replica falls further and further behind. orders-api
reads orders from the replica, so orders placed after 08:06 are "not found" and customers retry
and call support. The proof is one `recovery still waiting` line on the replica and its lag in
the pasted pg_stat_replication. Decoys: the primary's checkpoint warnings, Redis timeouts in
orders-api, and a stale authentication failure on the replica."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from metrics import csv_text, shift
from records import Logfmt, Record, space_millis
from scenes import at, fixed, loud
from traffic import Line, database_server, traffic

START = datetime(2025, 6, 10, 7, 30, tzinfo=UTC)
CONFLICT = 36 + 41 / 60
MINUTES = 84
REPORT_PID = 48213
STARTUP_PID = 57


@dataclass
class PgLog:
    """PostgreSQL stderr log, `log_line_prefix = '%m [%p] '`; a record's trailer lines (DETAIL,
    HINT, CONTEXT, STATEMENT) carry the same prefix, and its logger, when set, is the pid."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "LOG", "WARN": "WARNING", "DEBUG": "DEBUG1"}.get(
            record.level, record.level
        )
        pid = record.logger or str(self.rng.randrange(1000, 65000))
        prefix = f"{space_millis(record.time)} UTC [{pid}] "
        return [f"{prefix}{level}:  {record.message}", *(prefix + line for line in record.trailer)]


def psql(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """psql's aligned output: centred headers, left-aligned cells, a row count."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [
        " "
        + " | ".join(
            name.center(width) for name, width in zip(header, widths, strict=True)
        ).rstrip()
    ]
    lines.append("-" + "-+-".join("-" * width for width in widths) + "-")
    for row in rows:
        lines.append(
            (
                " " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            ).rstrip()
        )
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return lines


def order_id(rng: random.Random) -> str:
    return f"ord_{rng.getrandbits(48):012x}"


def api_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.35:
        return (
            "INFO",
            f"GET /v1/orders/{order_id(rng)} status=200 duration={rng.randrange(3, 30)}ms db=replica",
            (),
        )
    if roll < 0.5:
        return (
            "INFO",
            f"POST /v1/orders status=201 duration={rng.randrange(30, 140)}ms db=primary order={order_id(rng)}",
            (),
        )
    if roll < 0.75:
        return (
            "INFO",
            f"GET /v1/customers/{rng.randrange(10**6)}/orders status=200 duration={rng.randrange(5, 60)}ms db=replica rows={rng.randrange(0, 40)}",
            (),
        )
    if roll < 0.9:
        return "DEBUG", f"redis GET session:{rng.getrandbits(64):016x} hit", ()
    return (
        "INFO",
        f"PATCH /v1/orders/{order_id(rng)}/address status=200 duration={rng.randrange(20, 90)}ms db=primary",
        (),
    )


def not_found(rng: random.Random) -> Line:
    return (
        "WARN",
        f'GET /v1/orders/{order_id(rng)} status=404 duration={rng.randrange(2, 9)}ms db=replica err="order not found"',
        (),
    )


def replica_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        return (
            "INFO",
            f"connection authorized: user=orders_ro database=orders application_name=orders-api-{rng.randrange(6)}",
            (),
        )
    if roll < 0.65:
        return (
            "INFO",
            f"disconnection: session time: 0:0{rng.randrange(10)}:{rng.randrange(60):02d}.{rng.randrange(1000):03d} user=orders_ro database=orders host=10.20.{rng.randrange(4, 8)}.{rng.randrange(2, 250)} port={rng.randrange(30000, 60000)}",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"restartpoint complete: wrote {rng.randrange(200, 5000)} buffers ({rng.random() * 5:.1f}%); 0 WAL file(s) added, 0 removed, {rng.randrange(1, 9)} recycled; write={rng.random() * 200:.3f} s, sync={rng.random():.3f} s, total={rng.random() * 200:.3f} s",
            (),
        )
    return (
        "INFO",
        f"duration: {rng.random() * 30:.3f} ms  statement: SELECT id, status, total_cents FROM orders WHERE id = $1",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(1126)
    replica = LogFile("logs/postgresql-replica.log", PgLog(rng=rng))
    replica.add(traffic(rng, replica_line, START, MINUTES, 2400))
    replica.add(
        [
            at(
                START,
                2.4,
                "FATAL",
                'password authentication failed for user "grafana"',
                (
                    'DETAIL:  Connection matched file "/etc/postgresql/16/main/pg_hba.conf" line 104: "host all all 10.20.0.0/16 scram-sha-256"',
                ),
            ),
            at(
                START,
                28.2,
                "INFO",
                'connection authorized: user=metabase database=orders application_name="Metabase v0.49.12 [4f0b9d2e-7d1c-4a55-b0a6-3c9e81f2d7aa]"',
                logger=str(REPORT_PID),
            ),
            at(
                START,
                CONFLICT,
                "INFO",
                "recovery still waiting after 1000.146 ms: recovery conflict on snapshot",
                (
                    "DETAIL:  Conflicting process: 48213.",
                    "CONTEXT:  WAL redo at 1A/7C3F21D8 for Heap2/PRUNE: snapshotConflictHorizon: 918273645, nredirected: 0, ndead: 41, isCatalogRel: F, nunused: 0, redirected: [], dead: [12, 13, 17, 22, 23, 29, 30, 31], unused: []; blkref #0: rel 1663/16403/16519, blk 88107",
                ),
                logger=str(STARTUP_PID),
            ),
        ]
    )
    primary = LogFile("logs/postgresql-primary.log", PgLog(rng=rng))
    primary.add(traffic(rng, database_server(), START, MINUTES, 2600))
    primary.add(
        loud(
            rng,
            START,
            12.0,
            40.0,
            14,
            fixed(
                "INFO",
                lambda r: (
                    f"checkpoints are occurring too frequently ({r.randrange(12, 28)} seconds apart)"
                ),
                lambda r: [
                    'HINT:  Consider increasing the configuration parameter "max_wal_size".'
                ],
            ),
        )
    )
    primary.add(
        [
            at(
                START,
                CONFLICT - 0.05,
                "INFO",
                'automatic vacuum of table "orders.public.order_items": index scans: 1 pages: 0 removed, 412903 remain, 88211 scanned (21.36% of total) tuples: 18344 removed, 9113842 remain, 0 are dead but not yet removable',
            )
        ]
    )
    api = LogFile("logs/orders-api.log", Logfmt("orders-api", rng=rng))
    api.add(traffic(rng, api_line, START, MINUTES, 5200))
    api.add(loud(rng, START, CONFLICT + 0.8, MINUTES - CONFLICT - 1.0, 160, not_found))
    api.add(loud(rng, START, CONFLICT + 12, MINUTES - CONFLICT - 13, 520, not_found))
    api.add(
        loud(
            rng,
            START,
            55.0,
            9.0,
            40,
            fixed(
                "WARN",
                lambda r: (
                    f"redis GET session:{r.getrandbits(64):016x} failed: i/o timeout after 250ms, falling back to db"
                ),
            ),
        )
    )
    api.add(
        loud(
            rng,
            START,
            CONFLICT + 20,
            MINUTES - CONFLICT - 21,
            60,
            fixed(
                "ERROR",
                lambda r: (
                    f'POST /v1/orders/{order_id(r)}/cancel status=409 duration={r.randrange(5, 30)}ms db=primary err="order already being fulfilled" (client read stale status from replica)'
                ),
            ),
        )
    )
    points = MINUTES * 4
    conflict_sample = int(CONFLICT * 4)
    series = {
        "pg_replica_replay_lag_seconds": shift(rng, 0.4, 0.4, 10**9, 0.3),
        "pg_replica_apply_wal_bytes_per_s": shift(rng, 5.2e6, 0, conflict_sample + 1, 0.03),
        "orders_api_http_404_per_min": shift(rng, 0.6, 2.0, conflict_sample + 4, 0.3),
        "orders_api_http_requests_per_min": shift(rng, 3100, 3600, conflict_sample + 30, 0.05),
        "redis_commands_latency_p99_ms": shift(rng, 1.1, 1.1, 0, 0.2),
        "pg_primary_cpu_percent": shift(rng, 38, 38, 0, 0.08),
    }
    lag = series["pg_replica_replay_lag_seconds"]
    series["pg_replica_replay_lag_seconds"] = lambda index: (
        lag(index)
        if index <= conflict_sample
        else (index - conflict_sample - 1) * 15 + 4 + lag(index)
    )
    not_found_rate = series["orders_api_http_404_per_min"]
    series["orders_api_http_404_per_min"] = lambda index: (
        not_found_rate(index)
        if index < conflict_sample + 4
        else min(24.0, (index - conflict_sample) * 0.25) + not_found_rate(index)
    )
    redis = series["redis_commands_latency_p99_ms"]
    series["redis_commands_latency_p99_ms"] = lambda index: (
        redis(index) * (180 if 220 <= index < 256 else 1)
    )
    notes = "\n".join(
        [
            "support escalation 08:40 UTC: 'my order disappeared' / order page says not found right after paying; some customers paid twice.",
            "",
            "orders-api reads go to the replica (db=replica in logs), writes to the primary.",
            "",
            "primary=# SELECT application_name, client_addr, state, sent_lsn, write_lsn, flush_lsn, replay_lsn, write_lag, flush_lag, replay_lag FROM pg_stat_replication;",
            *psql(
                (
                    "application_name",
                    "client_addr",
                    "state",
                    "sent_lsn",
                    "write_lsn",
                    "flush_lsn",
                    "replay_lsn",
                    "write_lag",
                    "flush_lag",
                    "replay_lag",
                ),
                [
                    (
                        "pg-orders-replica-1",
                        "10.20.3.41",
                        "streaming",
                        "1A/B9E04C10",
                        "1A/B9E04C10",
                        "1A/B9E04C10",
                        "1A/7C3F21D8",
                        "00:00:00.000912",
                        "00:00:00.001377",
                        "00:45:51.208331",
                    ),
                    (
                        "pg-orders-standby-dr",
                        "10.30.1.12",
                        "streaming",
                        "1A/B9E04C10",
                        "1A/B9E04C10",
                        "1A/B9E04C10",
                        "1A/B9E04C10",
                        "00:00:00.012044",
                        "00:00:00.013190",
                        "00:00:00.014702",
                    ),
                ],
            ),
            "",
            "replica=# SELECT pid, usename, application_name, state, backend_xmin, now() - xact_start AS xact_age, left(query, 60) AS query FROM pg_stat_activity WHERE state <> 'idle' ORDER BY xact_start;",
            *psql(
                (
                    "pid",
                    "usename",
                    "application_name",
                    "state",
                    "backend_xmin",
                    "xact_age",
                    "query",
                ),
                [
                    (
                        "48213",
                        "metabase",
                        "Metabase v0.49.12 [4f0b9d2e-7d1c-4a55-b0a6",
                        "active",
                        "918273601",
                        "00:54:40.117209",
                        "-- Metabase:: userID: 17 queryType: native queryHash: 9be1c",
                    ),
                    (
                        "51877",
                        "orders_ro",
                        "orders-api-3",
                        "active",
                        "918273601",
                        "00:00:00.004121",
                        "SELECT id, status, total_cents FROM orders WHERE id = $1",
                    ),
                ],
            ),
            "",
            "replica=# SHOW max_standby_streaming_delay;",
            " max_standby_streaming_delay",
            "-----------------------------",
            " -1",
            "(1 row)",
            "",
            "(redis timeouts around 08:25 were the cache failover drill, planned.)",
            "",
        ]
    )
    return Bundle(
        question="Since around 08:07 UTC customers say orders they just placed show as 'not found' and some pay twice. What is the root cause?",
        category="database",
        component="pg-orders-replica-1",
        statement="On the hot standby pg-orders-replica-1, which runs with max_standby_streaming_delay = -1, WAL replay has been waiting since 08:06:41 UTC on a recovery conflict with a Metabase report (pid 48213) holding an old snapshot, so the replica falls 45 minutes behind and orders-api, which reads orders from it, answers 'order not found' for every order placed since.",
        files={
            "notes.md": notes,
            "metrics.csv": csv_text(START, 15, points, series, decimals=2),
            "logs/orders-api.log": api.render(),
            "logs/postgresql-replica.log": replica.render(),
            "logs/postgresql-primary.log": primary.render(),
        },
        proofs=[
            Proof(
                "logs/postgresql-replica.log",
                "recovery still waiting after 1000.146 ms",
                "CONTEXT:  WAL redo at 1A/7C3F21D8",
            ),
            Proof("notes.md", "00:45:51.208331"),
        ],
        decoys=[
            "checkpoints are occurring too frequently",
            "failed: i/o timeout after 250ms",
            'password authentication failed for user "grafana"',
        ],
    )
