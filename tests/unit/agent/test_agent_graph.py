"""The agent's graph with a scripted chat model: tools, bounds, citations and fallbacks."""

from contextlib import AbstractContextManager, nullcontext
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver

from agent.twins import (
    APP_LOG,
    MemoryContext,
    failing,
    final_answer,
    offline_draft,
    scripted,
    tool_call,
)
from faultmaven.agent.answer import refine_with_llm
from faultmaven.agent.citations import UNCITED_NOTE
from faultmaven.agent.graph import MAX_TOOL_ROUNDS
from faultmaven.agent.settings import LlmSettings

SETTINGS = LlmSettings(provider="openai", model="gpt-4o-mini", api_key="sk-test")

POOL_ANSWER: dict[str, Any] = {
    "summary": "checkout exhausted its database connection pool.",
    "status": "diagnosed",
    "hypotheses": [
        {
            "title": "Database connection pool exhausted",
            "statement": "checkout hit max_connections=20 and requests timed out waiting.",
            "category": "connection_pool",
            "component": "checkout",
            "confidence": 0.85,
            "reasoning": "line 2 shows the pool limit, line 3 the timeouts it caused",
            "citations": [{"evidence_name": "app.log", "line_start": 2, "line_end": 3}],
        }
    ],
    "next_steps": [
        {"action": "Raise the pool size", "why": "it is saturated", "hypothesis_number": 1}
    ],
}


class Events:
    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, event: str, data: dict[str, Any]) -> None:
        self.seen.append((event, data))

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [data for event, data in self.seen if event == kind]


def _tool_replies(prompts: list[list[BaseMessage]]) -> list[ToolMessage]:
    return [message for message in prompts[-1] if isinstance(message, ToolMessage)]


def test_a_correct_run_calls_tools_and_returns_the_refined_diagnosis() -> None:
    context = MemoryContext({"app.log": APP_LOG})
    model = scripted(
        [tool_call("search_logs", text="pool"), "The pool limit explains the timeouts."],
        [final_answer(**POOL_ANSWER)],
    )
    events = Events()
    draft, engine, usage = refine_with_llm(
        context, offline_draft(context), "why does checkout fail?", SETTINGS, events, model=model
    )
    assert engine.name == "llm" and engine.fallback_reason is None
    assert (engine.provider, engine.model) == ("openai", "gpt-4o-mini")
    [hypothesis] = draft.hypotheses
    assert hypothesis.id == "h-offline-pool"
    assert hypothesis.citations[0].text == "\n".join(APP_LOG[1:3])
    assert hypothesis.confidence == 0.85
    assert draft.next_steps[0].hypothesis_id == "h-offline-pool"
    [tool] = events.of("tool")
    assert tool == {
        "name": "search_logs",
        "arguments": {"text": "pool"},
        "summary": "app.log:2 [- -] 2026-11-25T10:01:00Z ERROR checkout pool exhausted:"
        " max_connections=20 reached",
    }
    tokens = [data["text"] for data in events.of("token")]
    assert tokens == ["The pool limit explains the timeouts.", POOL_ANSWER["summary"]]
    assert usage is not None and (usage.input_tokens, usage.output_tokens) == (100, 20)
    assert usage.cost_usd == pytest.approx((100 * 0.15 + 20 * 0.60) / 1_000_000)


def test_malformed_tool_arguments_are_answered_with_an_error_and_the_run_goes_on() -> None:
    context = MemoryContext({"app.log": APP_LOG})
    broken_json = AIMessage(
        "",
        invalid_tool_calls=[
            {"name": "search_logs", "args": '{"text": "po', "id": "call_bad", "error": "bad JSON"}
        ],
    )
    model = scripted(
        [tool_call("search_logs", limit="many"), broken_json, "done"],
        [final_answer(**POOL_ANSWER)],
    )
    events = Events()
    _draft, engine, _usage = refine_with_llm(
        context, offline_draft(context), "why?", SETTINGS, events, model=model
    )
    assert engine.name == "llm"
    summaries = [data["summary"] for data in events.of("tool")]
    assert summaries[0].startswith("error: ValidationError")
    assert summaries[1] == "error: bad JSON"
    replies = _tool_replies(model.prompts)
    assert [reply.status for reply in replies] == ["error", "error"]
    assert [reply.tool_call_id for reply in replies][1] == "call_bad"
    assert context.calls == []


def test_an_unknown_tool_is_refused_with_the_list_of_real_ones() -> None:
    context = MemoryContext({"app.log": APP_LOG})
    model = scripted(
        [tool_call("drop_database", table="cases"), "ok"], [final_answer(**POOL_ANSWER)]
    )
    events = Events()
    _draft, engine, _usage = refine_with_llm(
        context, offline_draft(context), "why?", SETTINGS, events, model=model
    )
    assert engine.name == "llm"
    [reply] = _tool_replies(model.prompts)
    assert reply.status == "error"
    assert "no tool named 'drop_database'" in str(reply.content)
    assert "search_logs" in str(reply.content)


def test_a_model_that_never_stops_calling_tools_is_cut_off_after_the_bound() -> None:
    context = MemoryContext({"app.log": APP_LOG})
    endless = [tool_call("template_timeline", template="pool exhausted") for _ in range(50)]
    model = scripted(endless, [final_answer(**POOL_ANSWER)])
    events = Events()
    draft, engine, _usage = refine_with_llm(
        context, offline_draft(context), "why?", SETTINGS, events, model=model
    )
    assert engine.name == "llm"
    assert len(events.of("tool")) == MAX_TOOL_ROUNDS
    assert len(context.calls) == MAX_TOOL_ROUNDS
    assert draft.hypotheses[0].title == "Database connection pool exhausted"


def test_a_citation_of_missing_lines_is_removed_and_its_hypothesis_downgraded() -> None:
    context = MemoryContext({"app.log": APP_LOG})
    answer = {
        **POOL_ANSWER,
        "hypotheses": [
            {
                **POOL_ANSWER["hypotheses"][0],
                "citations": [
                    {"evidence_name": "app.log", "line_start": 40, "line_end": 41},
                    {"evidence_name": "nginx.log", "line_start": 1, "line_end": 1},
                    {
                        "evidence_name": "app.log",
                        "line_start": 1,
                        "line_end": 1,
                        "quote": "ERROR everything is on fire",
                    },
                ],
            },
            {
                "title": "Slow queries",
                "statement": "queries hold connections",
                "category": "database",
                "component": "checkout",
                "confidence": 0.5,
                "reasoning": "timeouts",
                "citations": [
                    {
                        "evidence_name": "app.log",
                        "line_start": 3,
                        "line_end": 3,
                        "quote": APP_LOG[2],
                    }
                ],
            },
        ],
    }
    model = scripted(["no tools needed"], [final_answer(**answer)])
    draft, engine, _usage = refine_with_llm(
        context, offline_draft(context), "why?", SETTINGS, Events(), model=model
    )
    assert engine.name == "llm"
    first, second = draft.hypotheses
    assert (first.title, first.rank, first.confidence) == ("Slow queries", 1, 0.5)
    assert first.citations[0].text == APP_LOG[2]
    assert (second.rank, second.citations, second.confidence) == (2, [], 0.425)
    assert second.reasoning.endswith(UNCITED_NOTE)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (
            final_answer(summary="missing status and hypotheses' fields"),
            "InvalidAnswerError: invalid structured output",
        ),
        (AIMessage("I think it is the pool."), "InvalidAnswerError: no structured answer given"),
        (
            final_answer(summary="s", status="diagnosed", hypotheses=[{"title": "t"}]),
            "InvalidAnswerError: invalid structured output",
        ),
    ],
)
def test_invalid_structured_output_falls_back_to_the_offline_answer_with_the_reason(
    answer: AIMessage, reason: str
) -> None:
    context = MemoryContext({"app.log": APP_LOG})
    offline = offline_draft(context)
    model = scripted(["thinking"], [answer])
    draft, engine, _usage = refine_with_llm(
        context, offline, "why?", SETTINGS, Events(), model=model
    )
    assert draft == offline
    assert engine.name == "offline"
    assert engine.fallback_reason is not None and engine.fallback_reason.startswith(reason)


def test_a_provider_failure_falls_back_with_the_error_named() -> None:
    context = MemoryContext({"app.log": APP_LOG})
    offline = offline_draft(context)
    model = failing(TimeoutError("the provider did not answer within 60 s"))
    draft, engine, usage = refine_with_llm(
        context, offline, "why?", SETTINGS, Events(), model=model
    )
    assert draft == offline
    assert engine.name == "offline"
    assert engine.fallback_reason == "TimeoutError: the provider did not answer within 60 s"
    assert usage is None


def test_a_secret_in_a_provider_error_does_not_reach_the_fallback_reason() -> None:
    context = MemoryContext({"app.log": APP_LOG})
    model = failing(PermissionError("Incorrect API key provided: sk-proj-abcdefghijklmnopqrstu"))
    _draft, engine, _usage = refine_with_llm(
        context, offline_draft(context), "why?", SETTINGS, Events(), model=model
    )
    assert engine.fallback_reason == (
        "PermissionError: Incorrect API key provided: [REDACTED:api_key#1]"
    )


def test_a_missing_model_name_falls_back_with_a_clear_reason() -> None:
    context = MemoryContext({"app.log": APP_LOG})
    _draft, engine, _usage = refine_with_llm(
        context, offline_draft(context), "why?", LlmSettings(provider="openai"), Events()
    )
    assert engine.fallback_reason == (
        "InvalidInputError: the openai LLM provider needs FAULTMAVEN_LLM_MODEL"
    )


class SavingContext(MemoryContext):
    def __init__(self, saver: InMemorySaver, files: dict[str, list[str]], case_id: str) -> None:
        super().__init__(files, case_id)
        self.saver = saver

    def checkpointer(self) -> AbstractContextManager[BaseCheckpointSaver[str] | None]:
        return nullcontext(self.saver)


def test_the_conversation_of_a_case_carries_over_to_its_next_question() -> None:
    saver = InMemorySaver()
    context = SavingContext(saver, {"app.log": APP_LOG}, "case-1")
    first = scripted(["looking"], [final_answer(**POOL_ANSWER)])
    refine_with_llm(
        context, offline_draft(context), "first question", SETTINGS, Events(), model=first
    )
    second = scripted(["again"], [final_answer(**POOL_ANSWER)])
    refine_with_llm(
        context, offline_draft(context), "second question", SETTINGS, Events(), model=second
    )
    seen = "\n".join(str(message.content) for message in second.prompts[0])
    assert "first question" in seen and "second question" in seen
    other = SavingContext(saver, {"app.log": APP_LOG}, "case-2")
    third = scripted(["fresh"], [final_answer(**POOL_ANSWER)])
    refine_with_llm(other, offline_draft(other), "third question", SETTINGS, Events(), model=third)
    assert "first question" not in "\n".join(str(m.content) for m in third.prompts[0])


class BrokenSearchContext(MemoryContext):
    def search_logs(self, query: Any) -> Any:
        raise RuntimeError("the database went away")


def test_a_failing_tool_is_answered_with_an_error_so_the_stored_conversation_stays_valid() -> None:
    context = BrokenSearchContext({"app.log": APP_LOG})
    model = scripted([tool_call("search_logs", text="pool"), "ok"], [final_answer(**POOL_ANSWER)])
    events = Events()
    _draft, engine, _usage = refine_with_llm(
        context, offline_draft(context), "why?", SETTINGS, events, model=model
    )
    assert engine.name == "llm"
    [reply] = _tool_replies(model.prompts)
    assert (reply.status, reply.content) == ("error", "error: the tool failed (RuntimeError)")


def test_more_than_five_hypotheses_are_cut_to_the_five_most_confident() -> None:
    context = MemoryContext({"app.log": APP_LOG})
    proposed = [
        {**POOL_ANSWER["hypotheses"][0], "title": f"cause {n}", "confidence": n / 10}
        for n in range(1, 8)
    ]
    model = scripted(["ok"], [final_answer(**{**POOL_ANSWER, "hypotheses": proposed})])
    draft, engine, _usage = refine_with_llm(
        context, offline_draft(context), "why?", SETTINGS, Events(), model=model
    )
    assert engine.name == "llm"
    assert [h.title for h in draft.hypotheses] == [f"cause {n}" for n in (7, 6, 5, 4, 3)]
    assert len({h.id for h in draft.hypotheses}) == 5
    assert draft.hypotheses[0].id == "h-offline-pool"
