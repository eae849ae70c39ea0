"""A server refusing connections across its restart is down because it could not start again."""

from datetime import UTC, datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason
from faultmaven.reasoning.candidates import Candidate
from faultmaven.reasoning.failed_starts import link_refusals_to_failed_start
from faultmaven.reasoning.quiet_signatures import QUIET_SIGNATURES
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID

# Quiet signatures are matched at question time, not by `match_signature`.
BY_ID = {**SIGNATURES_BY_ID, **{signature.id: signature for signature in QUIET_SIGNATURES}}

START = datetime(2026, 11, 3, 1, 55, tzinfo=UTC)
REFUSED = (
    'couldn\'t send a block to "http://vm-store-03:8428/api/v1/write": Post'
    ' "http://vm-store-03:8428/api/v1/write": dial tcp 10.70.4.9:8428: connect: connection refused'
)
SKIPPED = "Dependency failed for srv-vmdata.mount - /srv/vmdata."


def _line(evidence: str, n: int, seconds: int, text: str, component: str) -> AnalysedLine:
    return AnalysedLine(
        evidence_id=f"ev-{evidence}",
        evidence_name=evidence,
        n=n,
        text=text,
        time=START + timedelta(seconds=seconds),
        level=Level.ERROR,
        group=text[:40],
        signature="mount_skipped" if text == SKIPPED else match_signature(text),
        component=component,
    )


def _summary(evidence: str, lines: int) -> EvidenceSummary:
    return EvidenceSummary(
        evidence_id=f"ev-{evidence}",
        evidence_name=evidence,
        kind=EvidenceKind.LOG,
        line_count=1000,
        problem_line_count=lines,
        first_time=START,
        last_time=START + timedelta(hours=1),
        group_counts={},
    )


def _case(skipped_at: int, refused_until: int) -> tuple[list[AnalysedLine], list[EvidenceSummary]]:
    """vmagent refused from 5 minutes in (the host stops for a reboot); the mount fails later."""
    refusals = [
        _line("vmagent.log", 10 + i, 300 + 2 * i, REFUSED, "vmagent")
        for i in range((refused_until - 300) // 2)
    ]
    journal = [_line("vm-store-03-journal.txt", 276, skipped_at, SKIPPED, "vm-store-03")]
    summaries = [
        _summary("vmagent.log", len(refusals)),
        _summary("vm-store-03-journal.txt", len(journal)),
    ]
    return refusals + journal, summaries


def test_a_mount_skipped_at_boot_outranks_the_refusals_that_began_when_the_host_stopped() -> None:
    lines, summaries = _case(skipped_at=520, refused_until=1500)
    draft = reason(lines, summaries, "dashboards are blank since 02:03, why?", signatures=BY_ID)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONFIGURATION, "vm-store-03")
    assert top.citations[0].evidence_name == "vm-store-03-journal.txt"
    assert "service" in top.statement


def _candidate(signature_id: str, component: str, seconds: list[int]) -> Candidate:
    signature = BY_ID[signature_id]
    lines = [_line("x.log", n, s, SKIPPED, component) for n, s in enumerate(seconds)]
    keys = [(START + timedelta(seconds=s), 0, n) for n, s in enumerate(seconds)]
    return Candidate(f"c-{signature_id}", signature, component, "g", lines, keys)


def test_refusals_that_stopped_before_the_failure_are_not_its_consequence() -> None:
    refusals = _candidate("connection_refused", "vm-store-03", [300, 302, 304])
    skipped = _candidate("mount_skipped", "vm-store-03", [520])
    link_refusals_to_failed_start([refusals, skipped])
    assert refusals.consequence_of is None
    assert skipped.cause_category is Category.DISK


def test_a_failure_long_after_the_refusals_began_or_at_another_host_explains_nothing() -> None:
    refusals = _candidate("connection_refused", "vm-store-03", [300, 4000])
    late = _candidate("mount_skipped", "vm-store-03", [300 + 11 * 60])
    elsewhere = _candidate("mount_skipped", "vm-store-04", [400])
    link_refusals_to_failed_start([refusals, late, elsewhere])
    assert refusals.consequence_of is None


def test_a_known_cause_at_the_server_keeps_its_own_category_when_it_explains_refusals() -> None:
    refusals = _candidate("connection_refused", "db-01", [300, 900])
    full = _candidate("disk_full", "db-01", [360])
    link_refusals_to_failed_start([refusals, full])
    assert refusals.consequence_of is full
    assert full.cause_category is Category.DISK
