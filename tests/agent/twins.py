"""Test twins for the agent's two seams: the chat model (a vendor process) and the case context.

`ScriptedChatModel` replays scripted AI messages (tool calls included) through LangChain's
own fake chat model; `MemoryContext` is an in-memory case with a few evidence lines.
"""

import itertools
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult
from langgraph.checkpoint.base import BaseCheckpointSaver

from faultmaven.agent.context import FoundLine, LogQuery, TimelineBucket
from faultmaven.domain.diagnosis import (
    Category,
    Citation,
    DiagnosisDraft,
    DiagnosisStatus,
    Hypothesis,
)
from faultmaven.domain.evidence import Evidence, EvidenceKind, EvidenceStatus
from faultmaven.domain.knowledge import KnowledgeHit, KnowledgeKind
from faultmaven.domain.logs import LogReport
from faultmaven.reasoning.cluster_and_metrics import CitedChange, CitedFinding

_ids = itertools.count(1)


def tool_call(name: str, **arguments: Any) -> AIMessage:
    """An assistant turn asking for one tool."""
    return AIMessage("", tool_calls=[{"name": name, "args": arguments, "id": f"call_{next(_ids)}"}])


def final_answer(**answer: Any) -> AIMessage:
    """An assistant turn giving the structured answer (as the FinalAnswer tool call)."""
    return AIMessage(
        "",
        tool_calls=[{"name": "FinalAnswer", "args": answer, "id": f"call_{next(_ids)}"}],
        usage_metadata={"input_tokens": 100, "output_tokens": 20, "total_tokens": 120},
    )


class ScriptedChatModel(GenericFakeChatModel):
    """Replays `messages` for tool turns and `answers` for the structured answer.

    Every prompt it receives is kept in `prompts`, so tests can read what the model saw.
    """

    answers: Iterator[AIMessage] = iter(())
    prompts: list[list[BaseMessage]] = []

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Any:  # type: ignore[override]
        names = [getattr(tool, "name", getattr(tool, "__name__", "")) for tool in tools]
        if names == ["FinalAnswer"]:
            return _AnswerModel(messages=self.answers, prompts=self.prompts)
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.prompts.append(list(messages))
        return super()._generate(messages, *args, **kwargs)


class _AnswerModel(GenericFakeChatModel):
    prompts: list[list[BaseMessage]]

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.prompts.append(list(messages))
        return super()._generate(messages, *args, **kwargs)


def scripted(turns: Sequence[AIMessage | str], answers: Sequence[AIMessage]) -> ScriptedChatModel:
    """A model that plays `turns` in the agent loop and `answers` when asked for the answer."""
    return ScriptedChatModel(messages=iter(turns), answers=iter(answers), prompts=[])


APP_LOG = [
    "2026-11-25T10:00:00Z INFO checkout started",
    "2026-11-25T10:01:00Z ERROR checkout pool exhausted: max_connections=20 reached",
    "2026-11-25T10:01:05Z ERROR checkout request failed: timeout acquiring connection",
    "2026-11-25T10:02:00Z INFO checkout retrying",
]


def evidence(name: str, lines: int, kind: EvidenceKind = EvidenceKind.LOG) -> Evidence:
    return Evidence(
        id=str(uuid.uuid4()),
        name=name,
        kind=kind,
        status=EvidenceStatus.READY,
        size_bytes=100,
        line_count=lines,
        decode_errors=0,
        error=None,
        created_at=datetime(2026, 11, 25, tzinfo=UTC),
    )


class MemoryContext:
    """A case held in memory: evidence name to lines, searched naively."""

    def __init__(self, files: dict[str, list[str]], case_id: str | None = None) -> None:
        self.files = files
        self.items = [evidence(name, len(lines)) for name, lines in files.items()]
        self._case_id = case_id or str(uuid.uuid4())
        self.calls: list[tuple[str, Any]] = []

    @property
    def case_id(self) -> str:
        return self._case_id

    def evidence(self) -> list[Evidence]:
        return list(self.items)

    def _lines(self, evidence_id: str) -> list[str]:
        item = next(item for item in self.items if item.id == evidence_id)
        return self.files[item.name]

    def read_lines(self, evidence_id: str, start: int, end: int) -> list[tuple[int, str]]:
        lines = self._lines(evidence_id)
        return [(n, lines[n - 1]) for n in range(start, min(end, len(lines)) + 1)]

    def search_logs(self, query: LogQuery) -> list[FoundLine]:
        self.calls.append(("search_logs", query))
        return [
            FoundLine(name, n, text, None, None, text)
            for name, lines in self.files.items()
            for n, text in enumerate(lines, start=1)
            if query.text is None or query.text.lower() in text.lower()
        ][: query.limit]

    def log_report(self) -> LogReport:
        return LogReport(events=4, templates=3, abnormal=[], summary="4 events; 2 errors")

    def template_timeline(self, template: str, bucket_minutes: int) -> list[TimelineBucket]:
        self.calls.append(("template_timeline", template))
        return [TimelineBucket(datetime(2026, 11, 25, 10, 1, tzinfo=UTC), 2)]

    def kubernetes_findings(self) -> list[CitedFinding]:
        return []

    def metric_changes(self) -> list[CitedChange]:
        return []

    def search_knowledge(self, query: str, limit: int) -> list[KnowledgeHit]:
        self.calls.append(("search_knowledge", query))
        return [
            KnowledgeHit(
                document_id="d1",
                title="Connection pool exhausted",
                kind=KnowledgeKind.PLAYBOOK,
                source="bundled",
                text="Raise the pool size or find the leak.",
                score=1.0,
            )
        ]

    def checkpointer(self) -> AbstractContextManager[BaseCheckpointSaver[str] | None]:
        return nullcontext(None)


def offline_draft(context: MemoryContext) -> DiagnosisDraft:
    """The offline reasoner's draft over APP_LOG: one pool hypothesis citing line 2."""
    item = context.items[0]
    return DiagnosisDraft(
        summary="checkout's connection pool is exhausted",
        status=DiagnosisStatus.DIAGNOSED,
        hypotheses=[
            Hypothesis(
                id="h-offline-pool",
                rank=1,
                title="Connection pool exhausted",
                statement="checkout ran out of database connections",
                category=Category.CONNECTION_POOL,
                component="checkout",
                confidence=0.6,
                reasoning="pool exhausted errors",
                citations=[Citation.of_line(item.id, item.name, 2, context.files[item.name][1])],
            )
        ],
    )


class FailingChatModel(ScriptedChatModel):
    """A model whose every call fails as a provider can (timeout, refused connection)."""

    error: Exception

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        raise self.error


def failing(error: Exception) -> FailingChatModel:
    return FailingChatModel(messages=iter(()), prompts=[], error=error)
