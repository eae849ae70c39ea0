"""Pasted tables say where a dated failure lives (who holds the connections) or what it is."""

from datetime import UTC, datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID
from faultmaven.reasoning.snapshot_signatures import SNAPSHOT_SIGNATURES_BY_ID

START = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
SIGNATURES = {**SIGNATURES_BY_ID, **SNAPSHOT_SIGNATURES_BY_ID}
TOO_MANY = "FATAL:  remaining connection slots are reserved for non-replication superuser"


def _logged(evidence: str, n: int, text: str, seconds: int) -> AnalysedLine:
    return AnalysedLine(
        evidence_id=f"ev-{evidence}",
        evidence_name=f"{evidence}.log",
        n=n,
        text=text,
        time=START + timedelta(seconds=seconds),
        level=Level.ERROR,
        group=text,
        signature=match_signature(text),
    )


def _pasted(
    n: int, text: str, signature: str, component: str | None, host: str | None = None
) -> AnalysedLine:
    return AnalysedLine(
        evidence_id="ev-notes",
        evidence_name="notes.txt",
        n=n,
        text=text,
        time=None,
        level=Level.WARN,
        group=f"{signature} {n}",
        signature=signature,
        component=component,
        host=host,
    )


def _summaries(*names: str) -> list[EvidenceSummary]:
    return [
        EvidenceSummary(
            evidence_id=f"ev-{name}",
            evidence_name=f"{name}.log",
            kind=EvidenceKind.LOG,
            line_count=1000,
            problem_line_count=10,
            first_time=START,
            last_time=START + timedelta(hours=1),
            group_counts={},
        )
        for name in names
    ]


def test_database_refusing_clients_is_placed_at_the_client_holding_its_sessions() -> None:
    lines = [_logged("postgresql", 6 + i, TOO_MANY, 60 + i) for i in range(5)]
    row = " report-worker | orders_app | idle | 27"
    lines.append(_pasted(4, row, "snapshot_connections_held", "report-worker"))
    draft = reason(lines, _summaries("postgresql"), "why 500s?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONNECTION_POOL, "report-worker")
    assert "holds most of the database's connections" in top.statement
    cited = {(c.evidence_name, c.line_start) for c in top.citations}
    assert {("postgresql.log", 6), ("notes.txt", 4)} <= cited


def test_df_row_is_cited_with_the_disk_failure_it_shows() -> None:
    enospc = "write failed: /var/lib/app/x.tmp: No space left on device"
    lines = [_logged("app", 10 + i, enospc, 30 + i) for i in range(4)]
    lines.append(_pasted(3, "/dev/root 49G 49G 0 100% /", "snapshot_filesystem_full", None))
    draft = reason(lines, _summaries("app"), "why?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DISK, "app")
    assert ("notes.txt", 3) in {(c.evidence_name, c.line_start) for c in top.citations}
    assert len(draft.hypotheses) == 1 or draft.hypotheses[1].component != "notes"


def test_full_inode_table_turns_no_space_into_inode_exhaustion() -> None:
    enospc = "open /srv/sessions/sess_91ac: No space left on device"
    lines = [_logged("app", 10 + i, enospc, 30 + i) for i in range(4)]
    lines.append(_pasted(2, "/dev/sdb1 6553600 6553600 0 100% /srv", "snapshot_inodes_full", None))
    draft = reason(lines, _summaries("app"), "why?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert top.category is Category.DISK
    assert "inodes" in top.statement


def test_a_snapshot_that_explains_no_dated_failure_stays_a_hypothesis() -> None:
    lines = [_pasted(4, " billing | app | idle | 40", "snapshot_connections_held", "billing")]
    draft = reason(lines, _summaries(), "why?", signatures=SIGNATURES)
    assert [(h.category, h.component) for h in draft.hypotheses] == [
        (Category.CONNECTION_POOL, "billing")
    ]


def test_a_starved_pool_explains_why_the_service_its_callers_wait_on_is_slow() -> None:
    timeout = "ERROR upstream request timeout calling pricing: read ETIMEDOUT"
    callers = [
        AnalysedLine(
            evidence_id="ev-checkout",
            evidence_name="checkout.log",
            n=100 + i,
            text=timeout,
            time=START + timedelta(seconds=60 + i),
            level=Level.ERROR,
            group="upstream request timeout calling pricing",
            signature="timeout",
            component="pricing",
        )
        for i in range(10)
    ]
    header = '"pricing-worker-1" #41 [77] prio=5 os_prio=0 waiting on condition'
    dump = _pasted(4, header, "snapshot_pool_starved", "pricing")
    draft = reason([*callers, dump], _summaries("checkout"), "why?", signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.CONNECTION_POOL, "pricing")
    assert ("notes.txt", 4) in {(c.evidence_name, c.line_start) for c in top.citations}


def test_a_failure_quoted_in_undated_notes_is_the_dated_failure_not_a_new_component() -> None:
    enospc = "write failed: /var/lib/app/x.tmp: No space left on device"
    lines = [_logged("app", 10 + i, enospc, 30 + i) for i in range(4)]
    quoted = AnalysedLine(
        evidence_id="ev-notes",
        evidence_name="notes.txt",
        n=3,
        text='08:05 paged: checkout 500s, "No space left on device" in the PHP errors',
        time=None,
        level=Level.ERROR,
        group="paged: <*>",
        signature="disk_full",
    )
    draft = reason([*lines, quoted], _summaries("app"), "why?", signatures=SIGNATURES)
    assert [h.component for h in draft.hypotheses] == ["app"]


def test_notes_that_are_all_the_case_holds_keep_their_hypothesis() -> None:
    quoted = AnalysedLine(
        evidence_id="ev-notes",
        evidence_name="notes.txt",
        n=3,
        text="ERROR: could not extend file: No space left on device",
        time=None,
        level=Level.ERROR,
        group="could not extend file: <*>",
        signature="disk_full",
    )
    draft = reason([quoted], [], "why?", signatures=SIGNATURES)
    assert [h.category for h in draft.hypotheses] == [Category.DISK]


def test_a_full_filesystem_several_programs_report_is_placed_at_the_host_df_ran_on() -> None:
    lines = [
        _logged("nginx", 10 + i, "open() failed (28: No space left on device)", i) for i in range(4)
    ]
    lines += [
        _logged("php-fpm", 40 + i, "write failed: No space left on device", 1900 + i)
        for i in range(3)
    ]
    lines.append(
        _pasted(
            23,
            "/dev/nvme0n1p1 6553600 6553600 0 100% /",
            "snapshot_inodes_full",
            "web-02",
            "web-02",
        )
    )
    draft = reason(
        lines, _summaries("nginx", "php-fpm"), "what is filling up?", signatures=SIGNATURES
    )
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DISK, "web-02")
    assert "inodes" in top.statement
    assert all(
        hypothesis.component not in ("nginx", "php-fpm") or hypothesis.category is not Category.DISK
        for hypothesis in draft.hypotheses[1:]
    )


def test_a_full_filesystem_one_program_reports_stays_with_it_whatever_host_df_ran_on() -> None:
    enospc = "write failed: /var/lib/app/x.tmp: No space left on device"
    lines = [_logged("app", 10 + i, enospc, 30 + i) for i in range(4)]
    lines.append(
        _pasted(3, "/dev/root 49G 49G 0 100% /", "snapshot_filesystem_full", "web-02", "web-02")
    )
    draft = reason(lines, _summaries("app"), "why?", signatures=SIGNATURES)
    assert (draft.hypotheses[0].category, draft.hypotheses[0].component) == (Category.DISK, "app")
