"""A private DNS zone takes the failures to resolve names under it, and only those."""

from datetime import UTC, datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID
from faultmaven.reasoning.snapshot_signatures import SNAPSHOT_SIGNATURES_BY_ID

START = datetime(2025, 5, 20, 0, 30, tzinfo=UTC)
SIGNATURES = {**SIGNATURES_BY_ID, **SNAPSHOT_SIGNATURES_BY_ID}
UNRESOLVED = (
    "ERROR metadata lookup failed: Failed to resolve '{host}' ([Errno -2] Name or service"
    " not known)"
)


def _lines(host: str) -> list[AnalysedLine]:
    logged = [
        AnalysedLine(
            evidence_id="ev-etl",
            evidence_name="etl-runner.log",
            n=700 + i,
            text=UNRESOLVED.format(host=host),
            time=START + timedelta(seconds=30 * i),
            level=Level.ERROR,
            group=UNRESOLVED,
            signature=match_signature(UNRESOLVED.format(host=host)),
        )
        for i in range(6)
    ]
    zone = AnalysedLine(
        evidence_id="ev-aws",
        evidence_name="aws-cli.txt",
        n=12,
        text='    "VPCs": [',
        time=None,
        level=Level.WARN,
        group="private_zone corp.internal corp.internal",
        signature="snapshot_private_zone",
        component="corp.internal",
    )
    return [*logged, zone]


def _summary() -> list[EvidenceSummary]:
    return [
        EvidenceSummary(
            evidence_id="ev-etl",
            evidence_name="etl-runner.log",
            kind=EvidenceKind.LOG,
            line_count=1000,
            problem_line_count=6,
            first_time=START,
            last_time=START + timedelta(hours=1),
            group_counts={},
        )
    ]


def test_lookups_failing_under_a_private_zone_are_placed_at_the_zone() -> None:
    draft = reason(
        _lines("catalog.corp.internal"), _summary(), "why did the load fail?", signatures=SIGNATURES
    )
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "corp.internal")
    assert ("aws-cli.txt", 12) in {(c.evidence_name, c.line_start) for c in top.citations}


def test_a_private_zone_without_failing_lookups_under_it_is_dropped() -> None:
    draft = reason(
        _lines("api.example.com"), _summary(), "why did the load fail?", signatures=SIGNATURES
    )
    assert draft.hypotheses[0].category is Category.DNS
    assert "corp.internal" not in {h.component for h in draft.hypotheses}
