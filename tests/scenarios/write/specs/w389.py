# ruff: noqa: E501
# Hand-written Kafka, Terraform and consumer lines are data, kept whole on one line.
"""Kafka, a topic's retention cut to one hour by a Terraform module change: on 19 May at 02:12
UTC (10:12 in Singapore) a change meant to shorten the clickstream topics' retention also set
`retention.ms = 3600000` on settlement-events (a shared locals map). The brokers start deleting
every segment older than an hour. The settlement-reconciler consumes that topic once a night at
01:00 SGT from its last committed offset; its offsets now point below the log start, the client
resets to the earliest offset still on disk, and the run reconciles only the last hour of the
day. Loud: the reconciliation's mismatch report and the finance alert. Decoys: an ISR shrink and
expand on another topic, a consumer-group rebalance, an unknown-topic warning."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bundle import Bundle, LogFile, Proof
from records import JsonLines, Record
from scenes import at, fixed, loud
from traffic import traffic

SGT = ZoneInfo("Asia/Singapore")
START = datetime(2026, 5, 19, 1, 0, tzinfo=UTC)
MINUTES = 1500.0
APPLY = 72.2
RUN = 960.0  # 20 May 01:00 SGT


@dataclass
class KafkaServer:
    """Kafka's server.log: `[2026-05-19 02:12:04,123] INFO message (logger)`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%d %H:%M:%S,") + f"{record.time.microsecond // 1000:03d}"
        )
        return [
            f"[{stamp}] {record.level} {record.message} ({record.logger or 'kafka.log.LogManager'})"
        ]


def bundle() -> Bundle:
    rng = random.Random(38903)
    broker = LogFile("logs/kafka-b2-server.log", KafkaServer())

    def chatter(r: random.Random) -> tuple[str, str, tuple[str, ...]]:
        topic = r.choice(
            [
                "clickstream-raw",
                "clickstream-enriched",
                "payments-out",
                "settlement-events",
                "audit-trail",
            ]
        )
        roll = r.random()
        if roll < 0.35:
            return (
                "INFO",
                f"[LocalLog partition={topic}-{r.randrange(12)}, dir=/var/lib/kafka/data] Rolled new log segment at offset {r.randrange(10**7, 9 * 10**7)} in {r.randrange(0, 4)} ms.",
                (),
            )
        if roll < 0.6:
            return (
                "INFO",
                f"[GroupCoordinator 2]: Member {r.choice(['enricher', 'payout-writer', 'audit-sink'])}-{r.getrandbits(32):08x} in group {r.choice(['enricher', 'payout-writer', 'audit-sink'])} has left, removing it from the group",
                (),
            )
        if roll < 0.8:
            return (
                "INFO",
                f"[ProducerStateManager partition={topic}-{r.randrange(12)}] Wrote producer snapshot at offset {r.randrange(10**7, 9 * 10**7)} with {r.randrange(0, 30)} producer ids in {r.randrange(0, 5)} ms.",
                (),
            )
        return (
            "INFO",
            f"[UnifiedLog partition=clickstream-raw-{r.randrange(12)}, dir=/var/lib/kafka/data] Deleting segment LogSegment(baseOffset={r.randrange(10**7, 9 * 10**7)}, size={r.randrange(10**8, 10**9)}, lastModifiedTime={r.randrange(10**12, 2 * 10**12)}, largestRecordTimestamp=Some({r.randrange(10**12, 2 * 10**12)})) due to retention time 86400000ms breach based on the largest record timestamp in the segment",
            (),
        )

    broker.add(traffic(rng, chatter, START, MINUTES, 2400))
    broker.add(
        [
            at(
                START,
                APPLY,
                "INFO",
                "Processing override for entityPath: topics/settlement-events with config: HashMap(retention.ms -> 3600000, cleanup.policy -> delete, min.insync.replicas -> 2)",
                logger="kafka.server.DynamicConfigManager",
            ),
            at(
                START,
                APPLY + 0.05,
                "INFO",
                "Processing override for entityPath: topics/clickstream-raw with config: HashMap(retention.ms -> 3600000, segment.bytes -> 268435456)",
                logger="kafka.server.DynamicConfigManager",
            ),
            at(
                START,
                410.0,
                "INFO",
                "[Partition audit-trail-4 broker=2] Shrinking ISR from 2,3,1 to 2,1. Leader: (highWatermark: 4410291, endOffset: 4410307). Out of sync replicas: (brokerId: 3, endOffset: 4410255, lastCaughtUpTimeMs: 1779181123114).",
                logger="kafka.cluster.Partition",
            ),
            at(
                START,
                411.5,
                "INFO",
                "[Partition audit-trail-4 broker=2] ISR updated to 2,3,1 and version updated to 88",
                logger="kafka.cluster.Partition",
            ),
        ]
    )
    broker.add(
        loud(
            rng,
            START,
            APPLY + 4.5,
            MINUTES - APPLY - 5,
            420,
            fixed(
                "INFO",
                lambda r: (
                    f"[UnifiedLog partition=settlement-events-{r.randrange(6)}, dir=/var/lib/kafka/data] Deleting segment LogSegment(baseOffset={r.randrange(10**6, 3 * 10**7)}, size={r.randrange(10**7, 10**9)}, lastModifiedTime={r.randrange(1779150000000, 1779240000000)}, largestRecordTimestamp=Some({r.randrange(1779150000000, 1779240000000)})) due to retention time 3600000ms breach based on the largest record timestamp in the segment"
                ),
            ),
        )
    )
    recon = LogFile(
        "logs/settlement-reconciler.jsonl",
        JsonLines("settlement-reconciler", ("@timestamp", "level", "message"), rng=rng, zone=SGT),
    )
    recon.add(
        traffic(
            rng,
            lambda r: r.choice(
                [
                    (
                        "DEBUG",
                        f"scheduler idle, next run 2026-05-20T01:00:00+08:00, heap used {r.randrange(180, 260)}MB",
                        (),
                    ),
                    ("INFO", f"GET /healthz 200 {r.randrange(1, 9)}ms", ()),
                    (
                        "INFO",
                        f"ledger snapshot sync ok rows={r.randrange(10**5, 6 * 10**5)} in {r.randrange(800, 4000)}ms",
                        (),
                    ),
                ]
            ),
            START,
            RUN - 1,
            700,
        )
    )
    recon.add(
        [
            at(
                START,
                RUN,
                "INFO",
                "nightly run 2026-05-19 starting: group=settlement-reconciler topic=settlement-events auto.offset.reset=earliest",
            ),
            at(
                START,
                RUN + 0.3,
                "INFO",
                "[Consumer clientId=reconciler-1, groupId=settlement-reconciler] Successfully joined group with generation Generation{generationId=212, memberId='reconciler-1-3f0b', protocol='range'}",
            ),
            at(
                START,
                RUN + 0.35,
                "WARN",
                "[Consumer clientId=reconciler-1, groupId=settlement-reconciler] Error while fetching metadata with correlation id 7 : {settlement-events-legacy=UNKNOWN_TOPIC_OR_PARTITION}",
            ),
        ]
    )
    for partition in range(6):
        committed = 18_800_000 + partition * 311_117
        start = committed + 2_390_000 + partition * 1_201
        recon.add(
            [
                at(
                    START,
                    RUN + 0.4 + partition * 0.02,
                    "INFO",
                    f"[Consumer clientId=reconciler-1, groupId=settlement-reconciler] Fetch position FetchPosition{{offset={committed}, offsetEpoch=Optional[14], currentLeader=LeaderAndEpoch{{leader=Optional[kafka-b{partition % 3 + 1}:9092 (id: {partition % 3 + 1} rack: ap-southeast-1{'abc'[partition % 3]})], epoch=14}}}} is out of range for partition settlement-events-{partition}, resetting offset",
                ),
                at(
                    START,
                    RUN + 0.41 + partition * 0.02,
                    "INFO",
                    f"[Consumer clientId=reconciler-1, groupId=settlement-reconciler] Resetting offset for partition settlement-events-{partition} to position FetchPosition{{offset={start}, offsetEpoch=Optional.empty, currentLeader=LeaderAndEpoch{{leader=Optional[kafka-b{partition % 3 + 1}:9092 (id: {partition % 3 + 1} rack: ap-southeast-1{'abc'[partition % 3]})], epoch=14}}}}.",
                ),
            ]
        )
    recon.add(
        loud(
            rng,
            START,
            RUN + 1,
            25,
            900,
            fixed(
                "INFO",
                lambda r: (
                    f"processed batch partition=settlement-events-{r.randrange(6)} records={r.randrange(200, 500)} matched={r.randrange(200, 500)} lag={r.randrange(0, 4000)}"
                ),
            ),
        )
    )
    recon.add(
        loud(
            rng,
            START,
            RUN + 1,
            25,
            60,
            fixed(
                "INFO",
                lambda r: (
                    f"[Consumer clientId=reconciler-1, groupId=settlement-reconciler] Request joining group due to: group is already rebalancing (generation {r.randrange(212, 216)})"
                ),
            ),
        )
    )
    recon.add(
        loud(
            rng,
            START,
            RUN + 27,
            6,
            260,
            fixed(
                "ERROR",
                lambda r: (
                    f"unmatched ledger entry settlement_id=STL-{r.randrange(10**8):08d} amount={r.randrange(100, 900000) / 100:.2f} SGD merchant=M{r.randrange(10**5):05d}: no settlement event found"
                ),
            ),
        )
    )
    recon.add(
        [
            at(
                START,
                RUN + 33.5,
                "ERROR",
                "reconciliation 2026-05-19 FAILED: ledger entries=512904 settlement events=41877 matched=41822 unmatched=471082 (threshold 50)",
            ),
            at(
                START,
                RUN + 33.6,
                "INFO",
                "report written s3://fin-recon-reports/2026/05/19/summary.csv; paging finance-ops",
            ),
        ]
    )
    terraform = "\n".join(
        [
            "Terraform will perform the following actions:",
            "",
            '  # module.kafka_topics.kafka_topic.this["clickstream-raw"] will be updated in-place',
            '  ~ resource "kafka_topic" "this" {',
            "      ~ config             = {",
            '          ~ "retention.ms"   = "86400000" -> "3600000"',
            "            # (1 unchanged element hidden)",
            "        }",
            '        id                 = "clickstream-raw"',
            '        name               = "clickstream-raw"',
            "        # (2 unchanged attributes hidden)",
            "    }",
            "",
            '  # module.kafka_topics.kafka_topic.this["settlement-events"] will be updated in-place',
            '  ~ resource "kafka_topic" "this" {',
            "      ~ config             = {",
            '          ~ "retention.ms"        = "1209600000" -> "3600000"',
            "            # (2 unchanged elements hidden)",
            "        }",
            '        id                 = "settlement-events"',
            '        name               = "settlement-events"',
            "        # (2 unchanged attributes hidden)",
            "    }",
            "",
            "Plan: 0 to add, 2 to change, 0 to destroy.",
            "",
            "(PR #1184 'shorter retention for clickstream to save disk' - approved, applied by atlantis 19 May 10:12 SGT)",
            "",
            "$ kafka-consumer-groups.sh --bootstrap-server kafka-b1:9092 --describe --group settlement-reconciler   # 20 May 08:40 SGT",
            "GROUP                  TOPIC             PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  CONSUMER-ID  HOST  CLIENT-ID",
            "settlement-reconciler  settlement-events 0          21201633        21201633        0    -            -     -",
            "settlement-reconciler  settlement-events 1          21513951        21513951        0    -            -     -",
            "settlement-reconciler  settlement-events 2          21826270        21826270        0    -            -     -",
            "",
        ]
    )
    return Bundle(
        question="Last night's settlement reconciliation reports ~470k unmatched ledger entries for 19 May, but payments look normal. What is the root cause?",
        category="configuration",
        component="settlement-events",
        statement="A Terraform change meant for clickstream also set retention.ms=3600000 on settlement-events at 10:12 SGT; the brokers deleted every segment older than an hour, so the nightly settlement-reconciler's committed offsets were out of range, it reset to the earliest remaining offset and saw only the last hour of events.",
        files={
            "terraform-plan-pr1184.txt": terraform,
            "logs/kafka-b2-server.log": broker.render(),
            "logs/settlement-reconciler.jsonl": recon.render(),
        },
        proofs=[
            Proof("terraform-plan-pr1184.txt", '"retention.ms"        = "1209600000" -> "3600000"'),
            Proof("logs/kafka-b2-server.log", "entityPath: topics/settlement-events"),
            Proof(
                "logs/settlement-reconciler.jsonl",
                "is out of range for partition settlement-events-0",
            ),
        ],
        decoys=[
            "Shrinking ISR from 2,3,1 to 2,1",
            "UNKNOWN_TOPIC_OR_PARTITION",
            "group is already rebalancing",
        ],
    )
