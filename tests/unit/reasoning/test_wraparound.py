"""A database nearing transaction-ID wraparound: its lines, where it lives, what holds it back."""

from datetime import UTC, datetime, timedelta

from faultmaven.domain.diagnosis import Category
from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason
from faultmaven.reasoning.metric_signatures import METRIC_SIGNATURES_BY_ID
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID
from faultmaven.reasoning.snapshot_signatures import SNAPSHOT_SIGNATURES_BY_ID

START = datetime(2026, 1, 8, 3, 0, tzinfo=UTC)
SIGNATURES = {**SIGNATURES_BY_ID, **SNAPSHOT_SIGNATURES_BY_ID}
REFUSED = (
    'ERROR:  database is not accepting commands to avoid wraparound data loss in database "ledger"'
)
WARNED = 'WARNING:  database "ledger" must be vacuumed within 8348372 transactions'
CLIENT = "ERROR c.k.payout.BatchCommitter : Commit of payout batch 92731 failed, will retry"


def _line(evidence: str, n: int, text: str, minutes: int, signature: str) -> AnalysedLine:
    return AnalysedLine(
        evidence_id=f"ev-{evidence}",
        evidence_name=f"{evidence}.log",
        n=n,
        text=text,
        time=START + timedelta(minutes=minutes),
        level=Level.ERROR,
        group=text,
        signature=signature,
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
            last_time=START + timedelta(hours=2),
            group_counts={},
        )
        for name in names
    ]


def test_wraparound_warnings_and_refusals_are_recognised() -> None:
    assert match_signature(REFUSED) == "xid_wraparound"
    assert match_signature(WARNED) == "xid_wraparound"
    assert match_signature("WARNING:  oldest xmin is far in the past") == "xid_wraparound"


def test_a_clients_report_naming_no_database_joins_the_one_the_case_names() -> None:
    lines = [_line("postgresql", 4 + i, WARNED, i, "xid_wraparound") for i in range(3)]
    lines += [_line("postgresql", 90 + i, REFUSED, 30 + i, "xid_wraparound") for i in range(5)]
    # The client's trace names the database only in a continuation line.
    lines += [_line("payout-worker", 10 + i, CLIENT, 31 + i, "xid_wraparound") for i in range(9)]
    draft = reason(lines, _summaries("postgresql", "payout-worker"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DATABASE, "ledger")
    assert "payout-worker" not in {h.component for h in draft.hypotheses}


def test_a_transaction_left_open_takes_the_wraparound_refusals() -> None:
    lines = [_line("postgresql", 90 + i, REFUSED, 30 + i, "xid_wraparound") for i in range(5)]
    row = AnalysedLine(
        evidence_id="ev-psql",
        evidence_name="psql.txt",
        n=40,
        text=" 48213 | m.okonkwo | 2025-11-26 16:47:12+00 | idle in transaction",
        time=None,
        level=Level.WARN,
        group="transaction_left_open ledger",
        signature="snapshot_transaction_left_open",
        component="ledger",
    )
    draft = reason([*lines, row], _summaries("postgresql"), signatures=SIGNATURES)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DATABASE, "ledger")
    assert ("psql.txt", 40) in {(c.evidence_name, c.line_start) for c in top.citations}


def test_a_prepared_transaction_takes_its_servers_resource_moves() -> None:
    """Bloat behind a transaction holding back vacuum shows as CPU climbing hours before."""
    signatures = {**SIGNATURES, **METRIC_SIGNATURES_BY_ID}
    timeout = "ERROR:  canceling statement due to statement timeout"
    lines = [_line("jobs-db", 800 + i, timeout, 240 + i, match_signature(timeout) or "")
             for i in range(8)]  # fmt: skip
    cpu = AnalysedLine(
        evidence_id="ev-metrics",
        evidence_name="jobs-db-metrics.csv",
        n=154,
        text="2026-01-08T04:00:00Z,97.1",
        time=START + timedelta(minutes=60),
        level=Level.WARN,
        group="metric cpu",
        signature="metric_cpu",
        component="jobs-db",
        strength=1.5,
    )
    row = AnalysedLine(
        evidence_id="ev-psql",
        evidence_name="psql.txt",
        n=15,
        text=" 131077_Y29yZS1wYXltZW50cw== | 2025-05-09 23:41:07+00 | payments | jobs",
        time=None,
        level=Level.WARN,
        group="prepared_transaction jobs",
        signature="snapshot_prepared_transaction",
        component="jobs-db",
    )
    draft = reason([*lines, cpu, row], _summaries("jobs-db"), signatures=signatures)
    top = draft.hypotheses[0]
    assert (top.category, top.component) == (Category.DATABASE, "jobs-db")
    assert ("psql.txt", 15) in {(c.evidence_name, c.line_start) for c in top.citations}
