"""A failure a finding shows to be the cause stops following the failures it explains."""

from datetime import UTC, datetime

from faultmaven.domain.evidence import AnalysedLine, Level
from faultmaven.reasoning.candidates import Candidate
from faultmaven.reasoning.metric_signatures import METRIC_SIGNATURES_BY_ID
from faultmaven.reasoning.snapshot_blame import others_follow

AT = datetime(2025, 10, 7, 14, 14, tzinfo=UTC)


def _cpu_move(id: str, instance: str) -> Candidate:
    text = f"cpu of {instance} stepped up"
    line = AnalysedLine(
        evidence_id="ev-1",
        evidence_name="metrics/targets.csv",
        n=76,
        text=text,
        time=AT,
        level=Level.WARN,
        group=text,
        signature="metric_cpu",
    )
    return Candidate(
        id=id,
        signature=METRIC_SIGNATURES_BY_ID["metric_cpu"],
        component=instance,
        group=text,
        lines=[line],
        keys=[(AT, 0, 76)],
    )


def test_the_cause_no_longer_follows_what_it_explains() -> None:
    earliest, blamed = _cpu_move("c1", "i-0a11"), _cpu_move("c2", "i-0a7b")
    blamed.follows_from(earliest)  # metric moves linked to the earliest of them
    others_follow(blamed, [earliest, blamed], lambda _candidate: True)
    assert blamed.consequence_of is None
    assert earliest.consequence_of is blamed
    assert earliest.explains == []
    assert blamed.explains == [earliest]
