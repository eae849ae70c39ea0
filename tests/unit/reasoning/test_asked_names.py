"""A component is named as the question names it when its evidence file says the same."""

from datetime import UTC, datetime, timedelta

from faultmaven.domain.evidence import AnalysedLine, EvidenceKind, EvidenceSummary, Level
from faultmaven.reasoning import match_signature, reason

START = datetime(2025, 5, 12, 4, 0, tzinfo=UTC)
FULL = 'PANIC:  could not write to file "pg_wal/xlogtemp.2841": No space left on device'


def _line(name: str, n: int, message: str) -> AnalysedLine:
    text = f"2025-05-12 04:17:{n % 60:02d}.604 UTC [2841] {message}"
    return AnalysedLine(
        evidence_id=f"ev-{name}",
        evidence_name=name,
        n=n,
        text=text,
        time=START + timedelta(seconds=n),
        level=Level.ERROR,
        group=message,
        signature=match_signature(text),
    )


def _summary(name: str) -> EvidenceSummary:
    return EvidenceSummary(
        evidence_id=f"ev-{name}",
        evidence_name=name,
        kind=EvidenceKind.LOG,
        line_count=2000,
        problem_line_count=3,
        first_time=START,
        last_time=START + timedelta(hours=1),
        group_counts={},
    )


def _top_component(names: list[str], question: str) -> str | None:
    lines = [_line(name, 10 + index, FULL) for index, name in enumerate(names)]
    draft = reason(lines, [_summary(name) for name in names], question)
    assert draft.components[0].name == draft.hypotheses[0].component
    return draft.hypotheses[0].component


def test_the_instance_the_question_names_is_the_component() -> None:
    question = "orders-db-1 went down at 04:17 and won't come back up. What happened?"
    assert _top_component(["logs/orders-db-1.log"], question) == "orders-db-1"


def test_without_the_name_in_the_question_the_file_stem_stays() -> None:
    question = "the orders database went down at 04:17. What happened?"
    assert _top_component(["logs/orders-db-1.log"], question) == "orders-db"


def test_a_name_not_in_every_file_of_the_component_is_not_taken() -> None:
    question = "orders-db-1 went down at 04:17. What happened?"
    files = ["logs/orders-db-1.log", "logs/orders-db-2.log"]
    assert _top_component(files, question) == "orders-db"


def test_a_name_no_cited_file_holds_is_not_taken() -> None:
    question = "checkout-2 fails since 04:17. What happened?"
    assert _top_component(["logs/orders-db-1.log"], question) == "orders-db"


def test_a_server_named_by_its_program_is_the_host_the_question_runs_it_on() -> None:
    question = "ledger-api fails and pg-ledger-02's PostgreSQL will not come back up. Why?"
    assert _top_component(["logs/postgresql-16-main.log"], question) == "pg-ledger-02"
    other = "ledger-api fails; the PostgreSQL on pg-ledger-02 will not come back up. Why?"
    assert _top_component(["logs/postgresql-16-main.log"], other) == "pg-ledger-02"


def test_two_hosts_asked_about_leave_the_servers_name() -> None:
    question = "db-1's PostgreSQL and db-2's PostgreSQL both stopped. Why?"
    assert _top_component(["logs/postgresql-16-main.log"], question) == "postgres"
