"""Answering a question in a case: the diagnosis path shared by the API and the CLI."""

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from faultmaven.agent.settings import LlmSettings
from faultmaven.domain.diagnosis import (
    Citation,
    Diagnosis,
    DiagnosisDraft,
    EngineInfo,
    Hypothesis,
)
from faultmaven.domain.errors import NotFoundError
from faultmaven.domain.evidence import Evidence, EvidenceKind
from faultmaven.domain.messages import Message, Role
from faultmaven.domain.tenants import Principal
from faultmaven.knowledge.embeddings import Embedder
from faultmaven.logs.components import component_of
from faultmaven.reasoning.calibration import calibrate_draft
from faultmaven.reasoning.candidates import CaseFacts
from faultmaven.reasoning.certificates import CERTIFICATE_VALIDITY
from faultmaven.reasoning.cluster_and_metrics import (
    CitedFinding,
    with_kubernetes,
    with_metric_changes,
)
from faultmaven.reasoning.diagnose import reason
from faultmaven.reasoning.hypothesis_states import reconcile
from faultmaven.reasoning.loopback_listeners import refused_ports
from faultmaven.reasoning.pod_nodes import on_their_nodes
from faultmaven.services.answer import render_answer
from faultmaven.services.apikeys import tenant_uuid
from faultmaven.services.case_clock import on_case_clock
from faultmaven.services.cases import require_case
from faultmaven.services.event_citations import cite_whole_events
from faultmaven.services.evidence import ready_evidence
from faultmaven.services.evidence_findings import (
    ClusterEvidence,
    MetricsEvidence,
    metric_changes,
    read_cluster,
    read_metrics_evidence,
)
from faultmaven.services.ids import parse_id
from faultmaven.services.log_analysis import LogAnalysis, analyse_logs, anomaly_timeline
from faultmaven.services.metric_lines import metric_change_lines
from faultmaven.services.pasted_pod_logs import pasted_pod_log_lines
from faultmaven.services.pasted_texts import pasted_texts, with_prompt_hosts
from faultmaven.services.playbook_matches import (
    all_signatures,
    case_templates,
    event_failures,
    first_events,
    with_playbook_matches,
    with_quiet_counts,
)
from faultmaven.services.playbook_steps import add_playbook_steps
from faultmaven.services.question_routing import (
    focus_on,
    plan_names,
    referenced_hypothesis,
    route_in_case,
)
from faultmaven.services.related_knowledge import related_knowledge
from faultmaven.services.service_addresses import service_addresses
from faultmaven.services.setting_lines import setting_lines
from faultmaven.services.snapshot_lines import snapshot_lines
from faultmaven.services.trace_lines import trace_lines
from faultmaven.store import conversation as conversation_store
from faultmaven.store import evidence as evidence_store
from faultmaven.store import hypotheses as hypothesis_store
from faultmaven.store import logs as log_store
from faultmaven.store import tenant_templates

NOTABLE_LINES_PER_EVIDENCE = 20_000
GROUPS_PER_EVIDENCE = 5_000

Progress = Callable[[str, dict[str, Any]], None]
"""Receives progress events (`plan`, `step`) while a question is answered."""


def _ignore_progress(event: str, data: dict[str, Any]) -> None:
    """Drop progress events when nobody listens."""


def ask(
    engine: Engine,
    principal: Principal,
    case_id: str,
    question: str,
    progress: Progress = _ignore_progress,
    *,
    embedder: Embedder | None = None,
    llm: LlmSettings | None = None,
) -> tuple[Message, Diagnosis]:
    """Diagnose the case for `question`; store the question, the answer and the diagnosis.

    With `llm`, the model refines the offline draft (or the draft stands, with the reason).
    """
    started = time.perf_counter()
    asked_at = datetime.now(UTC)
    with engine.connect() as connection:
        tenant_id, case_uuid = require_case(connection, principal, case_id)
        ready = ready_evidence(connection, tenant_id, case_uuid)
        kinds = [item.kind.value for item in ready]
        route, shown = route_in_case(connection, tenant_id, case_uuid, question, kinds, embedder)
        intent = route.intent
        progress("plan", {"intent": intent.value, "steps": plan_names(route, kinds)})
        draft = _reason_over(connection, tenant_id, case_uuid, ready, question, progress)
        tracked = hypothesis_store.list_hypotheses(connection, tenant_id, case_uuid)
    engine_info, usage = EngineInfo(), None
    if llm is not None:
        from faultmaven.services.agent_context import refine_draft

        draft, engine_info, usage = refine_draft(
            engine, tenant_id, case_uuid, ready, embedder, draft, question, llm, progress
        )
    progress("step", {"name": "search knowledge", "status": "running", "detail": None})
    knowledge = related_knowledge(engine, embedder, tenant_id, question, draft)
    progress(
        "step",
        {"name": "search knowledge", "status": "done", "detail": f"{len(knowledge)} documents"},
    )
    diagnosis = Diagnosis(
        case_id=str(case_uuid),
        created_at=datetime.now(UTC),
        question=question,
        intent=intent.value,
        elapsed_ms=round((time.perf_counter() - started) * 1000),
        related_knowledge=knowledge,
        engine=engine_info,
        usage=usage,
        **focus_on(reconcile(draft, tracked), referenced_hypothesis(route, shown)).model_dump(),
    )
    with engine.begin() as connection:
        conversation_store.insert_message(
            connection,
            tenant_id=tenant_id,
            case_id=case_uuid,
            role=Role.USER,
            content=question,
            created_at=asked_at,
        )
        answer = conversation_store.insert_message(
            connection,
            tenant_id=tenant_id,
            case_id=case_uuid,
            role=Role.ASSISTANT,
            content=render_answer(diagnosis),
            created_at=diagnosis.created_at,
        )
        conversation_store.insert_diagnosis(
            connection, tenant_id=tenant_id, diagnosis=diagnosis, message_id=uuid.UUID(answer.id)
        )
        hypothesis_store.save_shown(
            connection, tenant_id, case_uuid, diagnosis.hypotheses, diagnosis.created_at
        )
    return answer, diagnosis


def _reason_over(
    connection: Connection,
    tenant_id: uuid.UUID,
    case_id: uuid.UUID,
    ready: list[Evidence],
    question: str,
    progress: Progress,
) -> DiagnosisDraft:
    # The Kubernetes reader interprets cluster state; its lines are not log lines.
    names = {
        uuid.UUID(item.id): item.name for item in ready if item.kind is not EvidenceKind.KUBERNETES
    }
    progress(
        "step",
        {"name": "find notable lines", "status": "running", "detail": f"{len(ready)} evidence"},
    )
    lines = log_store.notable_events(connection, case_id, names, NOTABLE_LINES_PER_EVIDENCE)
    templates = case_templates(connection, case_id)
    events = first_events(connection, templates, lines)
    lines = with_playbook_matches(connection, case_id, names, lines, templates, events)
    metrics = read_metrics_evidence(connection, ready)
    lines += metric_change_lines(metrics)
    texts = pasted_texts(connection, ready)
    lines = with_prompt_hosts(lines, texts, {CERTIFICATE_VALIDITY})
    lines += snapshot_lines(connection, case_id, ready, texts)
    lines += pasted_pod_log_lines(ready, texts)
    traced = trace_lines(connection, ready)
    # A span table's rows read as log lines only repeat, garbled, what its spans say.
    span_tables = {line.evidence_id for line in traced}
    lines = [line for line in lines if line.evidence_id not in span_tables] + traced
    summaries = log_store.evidence_summaries(connection, case_id, ready, GROUPS_PER_EVIDENCE)
    summaries = with_quiet_counts(connection, summaries, lines, templates)
    lines, summaries = on_case_clock(connection, lines, summaries, question)
    progress(
        "step", {"name": "find notable lines", "status": "done", "detail": f"{len(lines)} lines"}
    )
    progress("step", {"name": "rank hypotheses", "status": "running", "detail": None})
    draft = reason(
        lines,
        summaries,
        question,
        component_of=component_of,
        signatures=all_signatures(),
        facts=CaseFacts(
            earlier_cases=tenant_templates.cases_with_templates(connection, tenant_id, case_id),
            failures=event_failures(templates, events),
            addresses=service_addresses(connection, case_id, names),
            settings=setting_lines(connection, ready, texts),
            refused_ports=refused_ports(texts.values()),
        ),
    )
    progress(
        "step",
        {
            "name": "rank hypotheses",
            "status": "done",
            "detail": f"{len(draft.hypotheses)} hypotheses",
        },
    )
    progress("step", {"name": "find anomalies", "status": "running", "detail": None})
    analysis = analyse_logs(connection, case_id, ready)
    draft = _with_anomalies(draft, analysis)
    progress(
        "step",
        {"name": "find anomalies", "status": "done", "detail": f"{len(analysis.anomalies)} found"},
    )
    cluster = _read_cluster(connection, ready, progress)
    findings = cluster.findings
    draft = on_their_nodes(draft, cluster.pod_nodes)
    draft = _with_cluster_and_metrics(metrics, draft, analysis, findings, progress)
    draft = calibrate_draft(add_playbook_steps(draft, findings))
    progress("step", {"name": "check citations", "status": "running", "detail": None})
    checked = _keep_real_citations(connection, cite_whole_events(connection, draft))
    progress("step", {"name": "check citations", "status": "done", "detail": None})
    return checked


def _read_cluster(
    connection: Connection, ready: list[Evidence], progress: Progress
) -> ClusterEvidence:
    """Read the case's Kubernetes evidence once for the hypotheses and the playbook steps."""
    if all(item.kind is not EvidenceKind.KUBERNETES for item in ready):
        return ClusterEvidence([], {})
    progress("step", {"name": "read Kubernetes state", "status": "running", "detail": None})
    cluster = read_cluster(connection, ready)
    detail = f"{len(cluster.findings)} findings"
    progress("step", {"name": "read Kubernetes state", "status": "done", "detail": detail})
    return cluster


def _with_cluster_and_metrics(
    metrics: list[MetricsEvidence],
    draft: DiagnosisDraft,
    analysis: LogAnalysis,
    findings: list[CitedFinding],
    progress: Progress,
) -> DiagnosisDraft:
    """Fold in Kubernetes findings and metric changes when the case has such evidence."""
    draft = with_kubernetes(draft, findings)
    if metrics:
        progress("step", {"name": "find metric changes", "status": "running", "detail": None})
        times = [anomaly.start for anomaly in analysis.anomalies if anomaly.start is not None]
        changed = 0
        for report, cited in metric_changes(metrics, times):
            draft = with_metric_changes(draft, report, cited)
            changed += len(cited)
        progress(
            "step",
            {"name": "find metric changes", "status": "done", "detail": f"{changed} changes"},
        )
    return draft


def _with_anomalies(draft: DiagnosisDraft, analysis: LogAnalysis) -> DiagnosisDraft:
    """Add the most abnormal moments to the timeline, skipping lines it already shows."""
    shown = {
        (entry.citation.evidence_id, entry.citation.line_start)
        for entry in draft.timeline
        if entry.citation is not None
    }
    extra = [
        entry
        for entry in anomaly_timeline(analysis)
        if entry.citation is not None
        and (entry.citation.evidence_id, entry.citation.line_start) not in shown
    ]
    if not extra:
        return draft
    timed = sorted(
        (entry for entry in [*draft.timeline, *extra] if entry.time is not None),
        key=lambda entry: entry.time.timestamp() if entry.time else 0.0,
    )
    untimed = [entry for entry in draft.timeline if entry.time is None]
    return draft.model_copy(update={"timeline": timed + untimed})


def _keep_real_citations(connection: Connection, draft: DiagnosisDraft) -> DiagnosisDraft:
    """Drop any citation whose text is not exactly the stored lines it points at."""

    def real(citation: Citation) -> bool:
        lines = evidence_store.read_lines(
            connection, uuid.UUID(citation.evidence_id), citation.line_start, citation.line_end
        )
        expected = citation.line_end - citation.line_start + 1
        return len(lines) == expected and "\n".join(line.text for line in lines) == citation.text

    hypotheses: list[Hypothesis] = [
        hypothesis.model_copy(
            update={
                "citations": [c for c in hypothesis.citations if real(c)],
                "counter_evidence": [c for c in hypothesis.counter_evidence if real(c)],
            }
        )
        for hypothesis in draft.hypotheses
    ]
    timeline = [
        entry
        if entry.citation is None or real(entry.citation)
        else entry.model_copy(update={"citation": None})
        for entry in draft.timeline
    ]
    return draft.model_copy(update={"hypotheses": hypotheses, "timeline": timeline})


def latest_diagnosis(engine: Engine, principal: Principal, case_id: str) -> Diagnosis:
    """Return the case's most recent diagnosis."""
    tenant_id = tenant_uuid(principal)
    case_uuid = parse_id(case_id, "case")
    with engine.connect() as connection:
        found = conversation_store.latest_diagnosis(connection, tenant_id, case_uuid)
    if found is None:
        raise NotFoundError(f"case {case_id!r} has no diagnosis yet: ask a question first")
    return found


def list_messages(engine: Engine, principal: Principal, case_id: str) -> list[Message]:
    """Return the case's conversation, oldest first."""
    with engine.connect() as connection:
        tenant_id, case_uuid = require_case(connection, principal, case_id)
        return conversation_store.list_messages(connection, tenant_id, case_uuid)
