"""The case as the agent's tools see it, built on the service and store functions the API uses.

Imported only when an LLM is configured: it loads LangChain and LangGraph.
"""

import re
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from functools import cached_property
from itertools import islice

from langgraph.checkpoint.base import BaseCheckpointSaver
from sqlalchemy import Engine

from faultmaven.agent.answer import refine_with_llm
from faultmaven.agent.context import FoundLine, LogQuery, TimelineBucket
from faultmaven.agent.graph import Progress
from faultmaven.agent.settings import LlmSettings
from faultmaven.domain.diagnosis import DiagnosisDraft, EngineInfo, Usage
from faultmaven.domain.evidence import Evidence, EvidenceKind
from faultmaven.domain.knowledge import KnowledgeHit
from faultmaven.domain.logs import LogReport, TemplateOccurrence
from faultmaven.knowledge.embeddings import Embedder
from faultmaven.reasoning.cluster_and_metrics import CitedChange, CitedFinding
from faultmaven.services.evidence_findings import (
    kubernetes_findings,
    metric_changes,
    read_metrics_evidence,
)
from faultmaven.services.knowledge_search import search_for_tenant
from faultmaven.services.log_analysis import analyse_logs, log_report
from faultmaven.store import evidence as evidence_store
from faultmaven.store import logs as log_store
from faultmaven.store.checkpoints import open_checkpointer

# A search reads at most this many events, so one tool call stays within seconds.
MAX_SCANNED_EVENTS = 1_000_000
TEXT_BATCH = 2_000
MAX_BUCKETS = 240
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _matches_template(occurrence: TemplateOccurrence, wanted: str | None) -> bool:
    if wanted is None:
        return True
    return occurrence.group == wanted or wanted.lower() in occurrence.template.lower()


def _in_range(occurrence: TemplateOccurrence, query: LogQuery) -> bool:
    if query.since is None and query.until is None:
        return True
    if occurrence.time is None:
        return False
    since = query.since.replace(tzinfo=query.since.tzinfo or UTC) if query.since else None
    until = query.until.replace(tzinfo=query.until.tzinfo or UTC) if query.until else None
    return (since is None or occurrence.time >= since) and (
        until is None or occurrence.time <= until
    )


class CaseAgentContext:
    """One case's evidence, logs, findings and knowledge, read on demand for the agent."""

    def __init__(
        self,
        engine: Engine,
        tenant_id: uuid.UUID,
        case_id: uuid.UUID,
        ready: list[Evidence],
        embedder: Embedder | None,
    ) -> None:
        self._engine = engine
        self._tenant_id = tenant_id
        self._case_id = case_id
        self._ready = ready
        self._embedder = embedder

    @property
    def case_id(self) -> str:
        """The case the conversation belongs to."""
        return str(self._case_id)

    def evidence(self) -> list[Evidence]:
        """Return the case's ready evidence."""
        return list(self._ready)

    def read_lines(self, evidence_id: str, start: int, end: int) -> list[tuple[int, str]]:
        """Return stored lines `start`..`end` of one of the case's evidence items."""
        if evidence_id not in {item.id for item in self._ready}:
            return []
        with self._engine.connect() as connection:
            rows = evidence_store.read_lines(connection, uuid.UUID(evidence_id), start, end)
        return [(row.n, row.text) for row in rows]

    def _occurrences(self, evidence_name: str | None) -> Iterator[TemplateOccurrence]:
        names = {
            uuid.UUID(item.id): item.name
            for item in self._ready
            if item.kind is EvidenceKind.LOG and evidence_name in (None, item.name)
        }
        with self._engine.connect() as connection:
            yield from islice(
                log_store.occurrences(connection, self._case_id, names), MAX_SCANNED_EVENTS
            )

    def search_logs(self, query: LogQuery) -> list[FoundLine]:
        """Return events matching every criterion of the query, first lines only."""
        pattern = re.compile(query.regex) if query.regex else None
        needle = query.text.lower() if query.text else None
        found: list[FoundLine] = []
        batch: list[TemplateOccurrence] = []
        for occurrence in self._occurrences(query.evidence_name):
            if _matches_template(occurrence, query.template) and _in_range(occurrence, query):
                batch.append(occurrence)
            if len(batch) >= TEXT_BATCH:
                found += self._with_text(batch, needle, pattern)
                batch = []
                if len(found) >= query.limit:
                    break
        found += self._with_text(batch, needle, pattern)
        return found[: query.limit]

    def _with_text(
        self,
        batch: list[TemplateOccurrence],
        needle: str | None,
        pattern: re.Pattern[str] | None,
    ) -> list[FoundLine]:
        if not batch:
            return []
        with self._engine.connect() as connection:
            texts = log_store.first_lines(
                connection, [(o.evidence_id, o.line_start) for o in batch]
            )
        found = []
        for occurrence in batch:
            text = texts.get((occurrence.evidence_id, occurrence.line_start), "")
            if needle is not None and needle not in text.lower():
                continue
            if pattern is not None and not pattern.search(text):
                continue
            found.append(
                FoundLine(
                    evidence_name=occurrence.evidence_name,
                    n=occurrence.line_start,
                    text=text,
                    time=occurrence.time,
                    level=occurrence.level.value if occurrence.level else None,
                    template=occurrence.template,
                )
            )
        return found

    @cached_property
    def _report(self) -> LogReport:
        with self._engine.connect() as connection:
            return log_report(analyse_logs(connection, self._case_id, self._ready))

    def log_report(self) -> LogReport:
        """Return the abnormal items and the compact summary of the case's logs."""
        return self._report

    def template_timeline(self, template: str, bucket_minutes: int) -> list[TimelineBucket]:
        """Count the template's events per bucket of `bucket_minutes` minutes."""
        width = timedelta(minutes=bucket_minutes)
        counts: dict[datetime, int] = {}
        for occurrence in self._occurrences(None):
            if occurrence.time is None or not _matches_template(occurrence, template):
                continue
            start = _EPOCH + ((occurrence.time - _EPOCH) // width) * width
            counts[start] = counts.get(start, 0) + 1
        ordered = sorted(counts.items())[:MAX_BUCKETS]
        return [TimelineBucket(start=start, count=count) for start, count in ordered]

    @cached_property
    def _findings(self) -> list[CitedFinding]:
        with self._engine.connect() as connection:
            return kubernetes_findings(connection, self._ready)

    def kubernetes_findings(self) -> list[CitedFinding]:
        """Return what the case's Kubernetes evidence shows."""
        return self._findings

    def metric_changes(self) -> list[CitedChange]:
        """Return the ranked metric changes, judged against the log anomalies' times."""
        times = [item.start for item in self._report.abnormal if item.start is not None]
        with self._engine.connect() as connection:
            reports = metric_changes(read_metrics_evidence(connection, self._ready), times)
        return [cited for _, changes in reports for cited in changes]

    def search_knowledge(self, query: str, limit: int) -> list[KnowledgeHit]:
        """Search the tenant's and the bundled knowledge."""
        return search_for_tenant(self._engine, self._embedder, self._tenant_id, query, limit=limit)

    def checkpointer(self) -> AbstractContextManager[BaseCheckpointSaver[str] | None]:
        """Open the PostgreSQL saver that keeps the case's conversation between turns."""
        return open_checkpointer(self._engine)


def refine_draft(
    engine: Engine,
    tenant_id: uuid.UUID,
    case_id: uuid.UUID,
    ready: list[Evidence],
    embedder: Embedder | None,
    draft: DiagnosisDraft,
    question: str,
    llm: LlmSettings,
    progress: Progress,
) -> tuple[DiagnosisDraft, EngineInfo, Usage | None]:
    """Let the configured model refine the offline draft over this case's evidence."""
    progress("step", {"name": "ask the LLM", "status": "running", "detail": llm.provider})
    context = CaseAgentContext(engine, tenant_id, case_id, ready, embedder)
    refined, engine_info, usage = refine_with_llm(context, draft, question, llm, progress)
    detail = engine_info.fallback_reason or f"{engine_info.provider} {engine_info.model}"
    progress("step", {"name": "ask the LLM", "status": "done", "detail": detail})
    return refined, engine_info, usage
