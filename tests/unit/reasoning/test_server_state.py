"""A server's lasting state, seen by its clients: where it is placed and how long it counts."""

from datetime import UTC, datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason

START = datetime(2026, 5, 20, 1, 0, tzinfo=UTC)
OOM_REPLY = (
    "bid cache write failed (SET bidcache:pl-56265): OOM command not allowed when used memory"
    " > 'maxmemory'."
)
CLEANER = (
    "[2026-04-28 22:41:03,118] WARN [kafka-log-cleaner-thread-2]: Unexpected exception thrown"
    " when cleaning log Log(dir=/var/lib/kafka/data/__consumer_offsets-17, topic=x)"
)
LOADING = (
    "[Consumer clientId=c-1, groupId=billing] JoinGroup failed: The coordinator is loading"
    " and hence can't process requests. Need to re-join the group."
)


def _line(evidence: str, n: int, time: datetime, text: str, component: str) -> AnalysedLine:
    return AnalysedLine(
        evidence_id=f"ev-{evidence}",
        evidence_name=evidence,
        n=n,
        text=text,
        time=time,
        level=Level.ERROR,
        group=text[:40],
        signature=match_signature(text),
        component=component,
    )


def _summary(evidence: str, first: datetime, last: datetime) -> EvidenceSummary:
    return EvidenceSummary(
        evidence_id=f"ev-{evidence}",
        evidence_name=evidence,
        kind=EvidenceKind.LOG,
        line_count=2000,
        problem_line_count=50,
        first_time=first,
        last_time=last,
        group_counts={},
    )


def test_a_clients_oom_reply_from_redis_is_placed_at_the_cases_redis() -> None:
    lines = [
        _line("bidgate/bidgate.log", 10 + i, START + timedelta(seconds=5 * i), OOM_REPLY, "bidgate")
        for i in range(20)
    ]
    summaries = [
        _summary("bidgate/bidgate.log", START, START + timedelta(hours=1)),
        _summary("redis-fcap/redis-cli.txt", START, START),
    ]
    top = reason(lines, summaries, "bids fail since 11:11, why?").hypotheses[0]
    assert (top.category, top.component) == (Category.MEMORY, "redis-fcap")
    assert "bidgate's writes" in top.statement


def test_a_log_cleaner_that_died_weeks_ago_explains_the_coordinator_loading_now() -> None:
    died = START - timedelta(days=21)
    lines = [_line("kafka-3/log-cleaner.log", 125, died, CLEANER, "kafka-3")]
    lines += [
        _line("kafka-3/server.log", 1700 + i, START + timedelta(seconds=30 * i), LOADING, "kafka-3")
        for i in range(30)
    ]
    summaries = [
        _summary("kafka-3/log-cleaner.log", died, START + timedelta(hours=1)),
        _summary("kafka-3/server.log", START - timedelta(hours=1), START + timedelta(hours=1)),
    ]
    top = reason(lines, summaries, "consumers stall since 01:00, why?").hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "kafka-3")
    assert top.citations[0].evidence_name == "kafka-3/log-cleaner.log"
