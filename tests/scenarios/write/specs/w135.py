# ruff: noqa: E501
# Cassandra log lines, nodetool and CQL output are data, kept whole on one line.
"""Cassandra 4.1: since notification-service 5.1.0 (a week ago) marks notifications read by
deleting each row of notifications.user_inbox one by one, the partitions of the busiest
recipients (the broadcast accounts every tenant follows) have piled up row tombstones that live
for gc_grace_seconds (10 days). Reads of the newest 50 rows of those partitions scan first tens
of thousands of tombstones (tombstone_warn_threshold warnings) and from 14:21 UTC more than
100,000, so Cassandra aborts them (`Scanned over 100001 tombstones ... query aborted`). inbox-api
answers 500 for those users and retries; its p99 collapses everyone else's reads. Decoys: long
G1 pauses on cassandra-2, an incremental repair's anticompaction, and hints replayed to a node
restarted on Sunday."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record, SpringBoot
from scenes import at, fixed, java_trace, loud
from traffic import Line, traffic

START = datetime(2025, 7, 8, 13, 30, tzinfo=UTC)
MINUTES = 80
ABORT = 51.4
HOT = [
    "b1c0a7e2-55f3-4d1e-9a0c-3e7f21d4c6a8",
    "0f9d2c4e-7a61-4b3f-8e25-9c1d6b0a4f73",
    "6e2a9f10-3c8b-4d57-a1e4-72b9c0d5e8f1",
]


@dataclass
class CassandraLog:
    """Cassandra's system.log layout: `LEVEL [thread] date time,ms File.java:line - message`."""

    rng: random.Random

    def render(self, record: Record) -> list[str]:
        thread, source = (record.logger or "CompactionExecutor:4|CompactionTask.java:253").split(
            "|"
        )
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        return [
            f"{record.level:<5} [{thread}] {stamp} {source} - {record.message}",
            *record.trailer,
        ]


def cassandra_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.4:
        table = rng.choice(["user_inbox", "user_settings", "delivery_log", "device_tokens"])
        return (
            "INFO",
            f"Compacted (task id: {rng.getrandbits(128):032x}, compaction history id: {rng.getrandbits(128):032x}) {rng.randrange(2, 5)} sstables to [/var/lib/cassandra/data/notifications/{table}-3f2a1c0e9b7d11efa8c5d1e2f3a4b5c6/nb-{rng.randrange(1000, 9000)}-big,] to level=0.  {rng.randrange(10, 900)}.{rng.randrange(1000):03d}MiB to {rng.randrange(10, 900)}.{rng.randrange(1000):03d}MiB (~{rng.randrange(60, 99)}% of original) in {rng.randrange(300, 9000)}ms.",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"Writing Memtable-{rng.choice(['user_inbox', 'delivery_log', 'device_tokens'])}@{rng.getrandbits(32)}({rng.randrange(1, 60)}.{rng.randrange(100):02d}MiB serialized bytes, {rng.randrange(10000, 400000)} ops, {rng.randrange(1, 12)}%/0% of on/off-heap limit), flushed range = (min(-9223372036854775808), max(9223372036854775807)]",
            (),
        )
    return (
        "INFO",
        f"Completed flushing /var/lib/cassandra/data/notifications/delivery_log-8a1b2c3d9b7d11efa8c5d1e2f3a4b5c6/nb-{rng.randrange(1000, 9000)}-big-Data.db ({rng.randrange(1, 90)}.{rng.randrange(100):02d}MiB) for commitlog position CommitLogPosition(segmentId={rng.randrange(10**12, 10**13)}, position={rng.randrange(10**6, 10**8)})",
        (),
    )


def tombstone_warning(count_low: int, count_high: int) -> Callable[[random.Random], Line]:
    def make(rng: random.Random) -> Line:
        return (
            "WARN",
            f"Read 50 live rows and {rng.randrange(count_low, count_high)} tombstone cells for query SELECT * FROM notifications.user_inbox WHERE recipient_id = {rng.choice(HOT)} LIMIT 50; token {rng.randrange(-9 * 10**18, 9 * 10**18)} (see tombstone_warn_threshold)",
            (),
        )

    return make


def aborted(rng: random.Random) -> Line:
    recipient = rng.choice(HOT)
    return (
        "ERROR",
        f"Scanned over 100001 tombstones during query 'SELECT * FROM notifications.user_inbox WHERE recipient_id = {recipient} LIMIT 50' (last scanned row token was {rng.randrange(-9 * 10**18, 9 * 10**18)} and partion key was (({recipient}), 2025-06-{rng.randrange(28, 31)} {rng.randrange(24):02d}:{rng.randrange(60):02d}Z)); query aborted",
        (),
    )


def inbox_line(rng: random.Random) -> Line:
    roll = rng.random()
    if roll < 0.6:
        return (
            "INFO",
            f"GET /v1/inbox?limit=50 200 {rng.randrange(3, 40)}ms user={rng.getrandbits(32):08x}",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"POST /v1/inbox/{rng.getrandbits(64):016x}/read 204 {rng.randrange(2, 15)}ms",
            (),
        )
    return "INFO", f"GET /v1/inbox/unread-count 200 {rng.randrange(2, 12)}ms", ()


def inbox_failure(rng: random.Random) -> Line:
    if rng.random() < 0.6:
        return (
            "ERROR",
            f"GET /v1/inbox?limit=50 500 {rng.randrange(900, 2100)}ms user={rng.getrandbits(32):08x}: inbox query failed",
            tuple(
                java_trace(
                    "com.datastax.oss.driver.api.core.servererrors.ReadFailureException: Cassandra failure during read query at consistency LOCAL_QUORUM (2 responses were required but only 0 replica responded, 2 failed)",
                    [
                        "com.datastax.oss.driver.api.core.servererrors.ReadFailureException.copy(ReadFailureException.java:130)",
                        "com.datastax.oss.driver.internal.core.util.concurrent.CompletableFutures.getUninterruptibly(CompletableFutures.java:149)",
                        "com.datastax.oss.driver.internal.core.cql.CqlRequestSyncProcessor.process(CqlRequestSyncProcessor.java:53)",
                        "com.acme.inbox.store.InboxRepository.latest(InboxRepository.java:74)",
                    ],
                    more=88,
                )
            ),
        )
    return (
        "WARN",
        f"GET /v1/inbox?limit=50 200 {rng.randrange(1800, 6000)}ms user={rng.getrandbits(32):08x} (slow, retried 1x)",
        (),
    )


TABLESTATS = """$ nodetool tablestats notifications.user_inbox
Total number of tables: 9
----------------
Keyspace : notifications
	Read Count: 418877102
	Read Latency: 3.482 ms
	Write Count: 902114761
	Write Latency: 0.031 ms
	Pending Flushes: 0
		Table: user_inbox
		SSTable count: 14
		Space used (live): 48112904113
		Space used (total): 48112904113
		Number of partitions (estimate): 1841207
		Memtable cell count: 388120
		Memtable data size: 61277211
		Local read count: 201998004
		Local read latency: 11.870 ms
		Local write count: 611002487
		Local write latency: 0.027 ms
		Bloom filter false positives: 0
		Compacted partition minimum bytes: 61
		Compacted partition maximum bytes: 386857368
		Compacted partition mean bytes: 9887
		Average live cells per slice (last five minutes): 48.7
		Maximum live cells per slice (last five minutes): 50
		Average tombstones per slice (last five minutes): 8214.3
		Maximum tombstones per slice (last five minutes): 100001
		Dropped Mutations: 0

$ cqlsh -e "DESCRIBE TABLE notifications.user_inbox"
CREATE TABLE notifications.user_inbox (
    recipient_id uuid,
    created_at timestamp,
    notification_id timeuuid,
    body text,
    kind text,
    PRIMARY KEY (recipient_id, created_at, notification_id)
) WITH CLUSTERING ORDER BY (created_at DESC, notification_id ASC)
    AND bloom_filter_fp_chance = 0.01
    AND caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'}
    AND compaction = {'class': 'org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy', 'max_threshold': '32', 'min_threshold': '4'}
    AND default_time_to_live = 0
    AND gc_grace_seconds = 864000;
"""

NOTES = """inbox incident 2025-07-08, pasted by on-call (15:45 UTC)

- 14:22 alerts: inbox-api 5xx > 5 %, p99 > 2 s. Mostly users who follow the big broadcast accounts?
- cassandra-2 has long GC pauses this afternoon, we bounced nothing yet.
- an incremental repair of the notifications keyspace is running since 13:00 (weekly schedule).
- deploys this week: notification-service 5.1.0 on 07-01 ("mark as read now removes the row from the inbox"), inbox-api untouched since June.
"""


def bundle() -> Bundle:
    rng = random.Random(1135)
    node1 = LogFile("logs/cassandra-1-system.log", CassandraLog(rng))
    node1.add(traffic(rng, cassandra_line, START, MINUTES, 1400))
    node1.add(loud(rng, START, 0.5, ABORT - 0.5, 90, tombstone_warning(21000, 99000)))
    node1.add(
        [
            Record(r.time, r.level, r.message, r.trailer, "ReadStage-3|ReadCommand.java:606")
            for r in traffic(
                rng,
                tombstone_warning(70000, 99999),
                START + timedelta(minutes=ABORT),
                MINUTES - ABORT,
                60,
            )
        ]
    )
    node1.add(
        [
            Record(r.time, r.level, r.message, r.trailer, "ReadStage-2|ReadCommand.java:557")
            for r in traffic(
                rng, aborted, START + timedelta(minutes=ABORT + 0.05), MINUTES - ABORT - 0.1, 150
            )
        ]
    )
    node1.records = [
        Record(r.time, r.level, r.message, r.trailer, "ReadStage-1|ReadCommand.java:606")
        if r.logger is None and "tombstone_warn_threshold" in r.message
        else r
        for r in node1.records
    ]
    threads = {
        "Writing Memtable": "PerDiskMemtableFlushWriter_0:3|Flushing.java:145",
        "Completed flushing": "PerDiskMemtableFlushWriter_0:3|Flushing.java:153",
    }

    def flush_thread(records: list[Record]) -> list[Record]:
        fixed_records = []
        for r in records:
            logger = next(
                (thread for key, thread in threads.items() if r.message.startswith(key)), r.logger
            )
            fixed_records.append(Record(r.time, r.level, r.message, r.trailer, logger))
        return fixed_records

    node1.records = flush_thread(node1.records)
    node1.add(
        [
            at(
                START,
                1.2,
                "INFO",
                "[repair #4e0b9c21-5be3-11f0-9a1d-7f3b2c6e1d90] Starting anticompaction for notifications.user_inbox on 6/14 sstables",
                logger="CompactionExecutor:7|CompactionManager.java:760",
            ),
            at(
                START,
                9.6,
                "INFO",
                "Finished hinted handoff of file 7d3c1a90-4e2b-4c61-8f7a-0b9d2e5c3a14-1751790211345-2.hints to endpoint /10.60.2.13:7000: 7d3c1a90-4e2b-4c61-8f7a-0b9d2e5c3a14",
                logger="HintsDispatcher:2|HintsDispatchExecutor.java:289",
            ),
        ]
    )
    node2 = LogFile("logs/cassandra-2-system.log", CassandraLog(rng))
    node2.add(traffic(rng, cassandra_line, START, MINUTES, 1100))
    node2.add(
        loud(
            rng,
            START,
            30.0,
            45.0,
            70,
            fixed(
                "WARN",
                lambda r: (
                    f"G1 Young Generation GC in {r.randrange(520, 1400)}ms.  G1 Eden Space: {r.randrange(2000, 4000)}000000 -> 0; G1 Old Gen: {r.randrange(5000, 7000)}000000 -> {r.randrange(5000, 7000)}000000; G1 Survivor Space: 201326592 -> 184549376;"
                ),
            ),
        )
    )
    node2.records = flush_thread(
        [
            Record(r.time, r.level, r.message, r.trailer, "Service Thread|GCInspector.java:294")
            if "G1 Young" in r.message
            else r
            for r in node2.records
        ]
    )
    inbox = LogFile(
        "logs/inbox-api.log",
        SpringBoot(("c.a.inbox.web.InboxController", "c.a.inbox.store.InboxRepository"), rng=rng),
    )
    inbox.add(traffic(rng, inbox_line, START, MINUTES, 3600))
    inbox.add(loud(rng, START, ABORT + 0.2, MINUTES - ABORT - 0.3, 330, inbox_failure))
    return Bundle(
        question="inbox-api has been throwing 500s and slow responses since about 14:21 UTC, mostly for some users. What is the root cause?",
        category="database",
        component="user_inbox",
        statement="Since notification-service 5.1.0 deletes read notifications row by row, the hottest partitions of notifications.user_inbox carry huge numbers of tombstones (gc_grace_seconds 10 days); from 14:21 UTC reads of them scan over 100,000 tombstones and Cassandra aborts them, so inbox-api's LOCAL_QUORUM reads fail with ReadFailureException and it returns 500s.",
        files={
            "logs/cassandra-1-system.log": node1.render(),
            "logs/cassandra-2-system.log": node2.render(),
            "logs/inbox-api.log": inbox.render(),
            "nodetool-and-cql.txt": TABLESTATS,
            "notes.md": NOTES,
        },
        proofs=[
            Proof(
                "nodetool-and-cql.txt", "Maximum tombstones per slice (last five minutes): 100001"
            ),
            Proof("nodetool-and-cql.txt", "gc_grace_seconds = 864000"),
        ],
        decoys=["G1 Young Generation GC in", "Starting anticompaction", "Finished hinted handoff"],
    )
