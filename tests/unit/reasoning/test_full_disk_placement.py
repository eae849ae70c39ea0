"""A disk several programs find full is placed at the first to hit it, not the loudest."""

from datetime import UTC, datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason

START = datetime(2025, 11, 4, 2, 0, tzinfo=UTC)


def _syslog(n: int, program: str, message: str, seconds: int) -> AnalysedLine:
    text = f"Nov  4 02:{seconds // 60:02d}:{seconds % 60:02d} docs-1 {program}[31]: {message}"
    return AnalysedLine(
        evidence_id="ev-syslog",
        evidence_name="syslog",
        n=n,
        text=text,
        time=START + timedelta(seconds=seconds),
        level=Level.ERROR,
        group=f"{program} {message}",
        signature=match_signature(text),
        component=program,
    )


def test_the_writer_that_filled_the_disk_outranks_the_program_complaining_most() -> None:
    lines = [_syslog(10, "export-orders", "write failed: /tmp/x.csv: No space left on device", 25)]
    lines += [
        _syslog(20 + i, "postgres", "could not write to log file: No space left on device", 40 + i)
        for i in range(30)
    ]
    summary = EvidenceSummary(
        evidence_id="ev-syslog",
        evidence_name="syslog",
        kind=EvidenceKind.LOG,
        line_count=500,
        problem_line_count=31,
        first_time=START,
        last_time=START + timedelta(hours=1),
        group_counts={},
    )
    draft = reason(lines, [summary], "invoices fail since 02:00, why?")
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DISK, "export-orders")
    assert (top.citations[0].evidence_name, top.citations[0].line_start) == ("syslog", 10)
    assert "postgres" not in [
        h.component for h in draft.hypotheses[1:] if h.category is Category.DISK
    ]
