"""Refining the offline diagnosis with a language model, or saying why it was not refined."""

import logging
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage
from langchain_core.runnables import RunnableConfig

from faultmaven.agent.citations import CitationChecker, refined_draft
from faultmaven.agent.context import AgentContext
from faultmaven.agent.graph import MAX_TOOL_ROUNDS, Progress, build_graph, recursion_limit
from faultmaven.agent.output import FinalAnswer
from faultmaven.agent.prompts import briefing
from faultmaven.agent.providers import chat_model, structured_output_method
from faultmaven.agent.redaction import Redactor
from faultmaven.agent.settings import LlmSettings
from faultmaven.agent.tools import case_tools
from faultmaven.agent.usage import TokenCounter
from faultmaven.domain.diagnosis import DiagnosisDraft, EngineInfo, Usage

logger = logging.getLogger(__name__)

MAX_REASON_CHARS = 300


def _reason(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    detail = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
    return detail[:MAX_REASON_CHARS]


def _run(
    context: AgentContext,
    model: BaseChatModel,
    request: str,
    settings: LlmSettings,
    redactor: Redactor,
    progress: Progress,
    config: RunnableConfig,
) -> FinalAnswer:
    with context.checkpointer() as saver:
        graph = build_graph(
            model,
            case_tools(context, redactor),
            progress,
            checkpointer=saver,
            structured_method=structured_output_method(settings.provider),
        )
        state: dict[str, Any] = graph.invoke(
            {"messages": [HumanMessage(request)], "tool_rounds": 0, "answer": None},
            config=config,
        )
    return FinalAnswer.model_validate(state["answer"])


def refine_with_llm(
    context: AgentContext,
    offline_draft: DiagnosisDraft,
    question: str,
    settings: LlmSettings,
    progress: Progress,
    *,
    model: BaseChatModel | None = None,
) -> tuple[DiagnosisDraft, EngineInfo, Usage | None]:
    """Let the model refine the offline draft; fall back to the draft when anything fails.

    `model` replaces the one the settings name (tests script one). The fallback's engine
    says `offline` and why in `fallback_reason`; any tokens already spent are still counted.
    """
    redactor = Redactor(redact_ips=settings.redact_ips)
    counter = TokenCounter()
    config: RunnableConfig = {
        "configurable": {"thread_id": context.case_id},
        "callbacks": [counter],
        "recursion_limit": recursion_limit(MAX_TOOL_ROUNDS),
    }
    try:
        chosen = model if model is not None else chat_model(settings)
        request = briefing(
            question, offline_draft, context.evidence(), context.log_report().summary, redactor
        )
        answer = _run(context, chosen, request, settings, redactor, progress, config)
        draft = refined_draft(answer, offline_draft, CitationChecker(context, redactor))
    except Exception as error:  # the provider boundary: any failure means the offline answer
        logger.warning("LLM refinement failed; answering offline", exc_info=True)
        reason = redactor.redact(_reason(error))
        engine = EngineInfo(
            name="offline",
            provider=settings.provider,
            model=settings.model,
            fallback_reason=reason,
        )
        return offline_draft, engine, counter.usage(settings) if counter.spent else None
    engine = EngineInfo(name="llm", provider=settings.provider, model=settings.model)
    return draft, engine, counter.usage(settings)
