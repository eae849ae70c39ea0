"""The agent's view of a real case: searches, timelines and lines read from PostgreSQL."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from agent.twins import final_answer, scripted
from faultmaven.agent.answer import refine_with_llm
from faultmaven.agent.context import LogQuery
from faultmaven.agent.redaction import Redactor
from faultmaven.agent.settings import LlmSettings
from faultmaven.agent.tools import case_tools
from faultmaven.domain.cases import CaseCreate
from faultmaven.domain.diagnosis import DiagnosisDraft, DiagnosisStatus
from faultmaven.domain.evidence import Evidence, PastedEvidence
from faultmaven.services import cases, evidence
from faultmaven.services.agent_context import CaseAgentContext
from faultmaven.services.apikeys import tenant_principal, tenant_uuid

SERVED = [f"2026-11-25T10:00:{n:02d}Z INFO served order {n} in 12ms" for n in range(30)]
FAILED = [
    f"2026-11-25T10:{minute:02d}:{n:02d}Z ERROR pool exhausted: waited 30s for connection {n}"
    for minute in (3, 4)
    for n in range(5)
]
LEAK = ["2026-11-25T10:05:00Z WARN retrying with password=hunter2 for ops@example.com"]


@pytest.fixture
def context(engine: Engine, tmp_path: Path) -> CaseAgentContext:
    principal = tenant_principal(engine, f"t-{uuid.uuid4().hex[:8]}")
    case = cases.create_case(engine, principal, CaseCreate(title="orders fail"))
    stored = evidence.add_pasted_evidence(
        engine,
        principal,
        case.id,
        PastedEvidence(name="orders.log", content="\n".join(SERVED + FAILED + LEAK)),
        spool=tmp_path,
        max_bytes=1 << 20,
    )
    assert isinstance(stored, Evidence)
    return CaseAgentContext(
        engine, tenant_uuid(principal), uuid.UUID(case.id), [stored], embedder=None
    )


def test_logs_are_searched_by_text_regex_template_and_time(context: CaseAgentContext) -> None:
    by_text = context.search_logs(LogQuery(text="POOL EXHAUSTED", limit=50))
    assert [line.n for line in by_text] == list(range(31, 41))
    by_regex = context.search_logs(LogQuery(regex=r"connection [34]$"))
    assert [line.n for line in by_regex] == [34, 35, 39, 40]
    by_template = context.search_logs(LogQuery(template="served order", limit=3))
    assert [line.n for line in by_template] == [1, 2, 3]
    in_minute_four = context.search_logs(
        LogQuery(
            since=datetime(2026, 11, 25, 10, 4, tzinfo=UTC),
            until=datetime(2026, 11, 25, 10, 4, 59, tzinfo=UTC),
        )
    )
    assert [line.n for line in in_minute_four] == [36, 37, 38, 39, 40]
    assert in_minute_four[0].level == "ERROR" and in_minute_four[0].evidence_name == "orders.log"


def test_a_template_timeline_counts_occurrences_per_bucket(context: CaseAgentContext) -> None:
    buckets = context.template_timeline("pool exhausted", bucket_minutes=1)
    assert [(bucket.start.minute, bucket.count) for bucket in buckets] == [(3, 5), (4, 5)]


def test_lines_are_read_only_from_the_case_evidence(context: CaseAgentContext) -> None:
    item = context.evidence()[0]
    assert context.read_lines(item.id, 31, 31) == [(31, FAILED[0])]
    assert context.read_lines(str(uuid.uuid4()), 1, 1) == []


def test_tool_results_are_redacted_quoted_and_name_their_lines(context: CaseAgentContext) -> None:
    tools = {tool.name: tool for tool in case_tools(context, Redactor())}
    assert set(tools) == {
        "search_logs",
        "log_summary",
        "template_timeline",
        "anomalies",
        "kubernetes_findings",
        "metric_changes",
        "search_knowledge",
    }
    found = tools["search_logs"].invoke({"text": "retrying"})
    assert found.startswith('<tool_result name="search_logs">')
    assert "orders.log:41" in found
    assert "hunter2" not in found and "ops@example.com" not in found
    assert "[REDACTED:secret#1]" in found and "[REDACTED:email#1]" in found
    summary = tools["log_summary"].invoke({})
    assert summary.startswith('<tool_result name="log_summary">') and "pool exhausted" in summary
    anomalies = tools["anomalies"].invoke({})
    assert anomalies.startswith('<tool_result name="anomalies">')
    assert tools["kubernetes_findings"].invoke({}).count("no Kubernetes findings") == 1
    assert "no metric changes" in tools["metric_changes"].invoke({})
    assert tools["search_logs"].description.startswith("Search the case's log events")


def test_the_case_conversation_is_kept_in_postgresql_between_questions(
    context: CaseAgentContext, engine: Engine
) -> None:
    answer = {"summary": "the pool is exhausted", "status": "insufficient_evidence"}
    settings = LlmSettings(provider="openai", model="gpt-4o-mini")
    draft = DiagnosisDraft(summary="offline", status=DiagnosisStatus.INSUFFICIENT_EVIDENCE)
    first = scripted(["looking"], [final_answer(**answer)])
    refine_with_llm(context, draft, "what broke first?", settings, lambda *_: None, model=first)
    second = scripted(["again"], [final_answer(**answer)])
    refine_with_llm(context, draft, "and what next?", settings, lambda *_: None, model=second)
    seen = "\n".join(str(message.content) for message in second.prompts[0])
    assert "what broke first?" in seen and "and what next?" in seen
    with engine.connect() as connection:
        threads = connection.execute(
            text("SELECT count(DISTINCT checkpoint_id) FROM checkpoints WHERE thread_id = :case"),
            {"case": context.case_id},
        ).scalar()
    assert threads and threads >= 2
