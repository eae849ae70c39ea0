"""A failure on one of several numbered instances is named after that instance."""

from datetime import UTC, datetime, timedelta

from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason

START = datetime(2025, 9, 18, 10, 0, tzinfo=UTC)
STALE = "We are too stale to use candidate as a sync source. Denylisting this sync source"
SLOW = "Slow query: insert orders took 5012ms"


def _line(name: str, n: int, text: str, seconds: int) -> AnalysedLine:
    return AnalysedLine(
        evidence_id=f"ev-{name}",
        evidence_name=f"logs/{name}.log",
        n=n,
        text=text,
        time=START + timedelta(seconds=seconds),
        level=Level.ERROR,
        group=text,
        signature=match_signature(text),
    )


def _summaries(*names: str) -> list[EvidenceSummary]:
    return [
        EvidenceSummary(
            evidence_id=f"ev-{name}",
            evidence_name=f"logs/{name}.log",
            kind=EvidenceKind.LOG,
            line_count=500,
            problem_line_count=10,
            first_time=START,
            last_time=START + timedelta(hours=1),
            group_counts={},
        )
        for name in names
    ]


def test_a_failure_in_one_of_several_instances_logs_is_named_after_that_instance() -> None:
    lines = [_line("mongo-2", 5 + i, STALE, 60 + i) for i in range(3)]
    draft = reason(lines, _summaries("mongo-1", "mongo-2"), "which component is at fault?")
    assert draft.hypotheses[0].component == "mongo-2"


def test_a_failure_on_every_instance_or_with_one_instance_keeps_the_service_name() -> None:
    both = [_line(name, 5 + i, SLOW, 60 + i) for name in ("web-1", "web-2") for i in range(3)]
    draft = reason(both, _summaries("web-1", "web-2"), "why slow?")
    assert draft.hypotheses[0].component == "web"
    alone = [_line("mongo-2", 5 + i, STALE, 60 + i) for i in range(3)]
    draft = reason(alone, _summaries("mongo-2"), "which component is at fault?")
    assert draft.hypotheses[0].component == "mongo"


def test_a_file_spelling_an_instance_another_file_names_keeps_the_instances_name() -> None:
    slow = [_line("cache-01-access", 5 + i, SLOW, 60 + i) for i in range(3)]
    summaries = _summaries("cache-01-access", "cache-01-messages")
    assert reason(slow, summaries, "why slow?").hypotheses[0].component == "cache-01"
