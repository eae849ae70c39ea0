"""Failed lookups while the resolver they use drops queries past its limit are its doing."""

from datetime import UTC, datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason

START = datetime(2026, 3, 11, 6, 0, tzinfo=UTC)
LOOKUP = "dial tcp: lookup registry.ci.internal on 10.140.0.1:53: server misbehaving"
SATURATED = "ci-gw-1 dnsmasq[811]: Maximum number of concurrent DNS queries reached (max: 150)"


def _line(name: str, n: int, text: str, minute: float, component: str) -> AnalysedLine:
    return AnalysedLine(
        evidence_id=f"ev-{name}",
        evidence_name=f"{name}.log",
        n=n,
        text=text,
        time=START + timedelta(minutes=minute),
        level=Level.ERROR,
        group=text,
        signature=match_signature(text),
        component=component,
    )


def _log(name: str) -> EvidenceSummary:
    return EvidenceSummary(
        evidence_id=f"ev-{name}",
        evidence_name=f"{name}.log",
        kind=EvidenceKind.LOG,
        line_count=3000,
        problem_line_count=100,
        first_time=START,
        last_time=START + timedelta(hours=2),
        group_counts={},
    )


def test_lookups_failing_as_the_forwarder_saturates_follow_from_it() -> None:
    failed = [_line("jobs", 10 + i, LOOKUP, 62 + i / 10, "gitlab-runner") for i in range(300)]
    warned = [_line("syslog", 900 + i, SATURATED, 63 + i, "ci-gw-1") for i in range(40)]
    told = reason([*failed, *warned], [_log("jobs"), _log("syslog")], "why do jobs fail?")
    top = told.hypotheses[0]
    assert (top.category, top.component) == (Category.DNS, "ci-gw-1")
    assert "dns-forward-max" in top.statement


def test_lookups_failing_long_before_the_forwarder_saturates_are_not_its() -> None:
    failed = [_line("jobs", 10 + i, LOOKUP, 2 + i / 10, "gitlab-runner") for i in range(300)]
    warned = [_line("syslog", 900 + i, SATURATED, 90 + i, "ci-gw-1") for i in range(20)]
    told = reason([*failed, *warned], [_log("jobs"), _log("syslog")], "why do jobs fail?")
    assert told.hypotheses[0].component == "gitlab-runner"
