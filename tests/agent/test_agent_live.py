"""Opt-in: the agent against a live endpoint named by environment variables.

Skipped unless `FAULTMAVEN_LIVE_LLM_PROVIDER` is set (`openai`, `anthropic`, `ollama` or
`openai_compatible`), with `FAULTMAVEN_LIVE_LLM_MODEL` and, as the provider needs them,
`FAULTMAVEN_LIVE_LLM_BASE_URL` and `FAULTMAVEN_LIVE_LLM_API_KEY`.
"""

import os

import pytest

from agent.twins import APP_LOG, MemoryContext, offline_draft
from faultmaven.agent.answer import refine_with_llm
from faultmaven.agent.settings import LlmSettings

PROVIDER = os.environ.get("FAULTMAVEN_LIVE_LLM_PROVIDER")

pytestmark = pytest.mark.skipif(not PROVIDER, reason="FAULTMAVEN_LIVE_LLM_PROVIDER is not set")


def test_a_live_model_refines_the_diagnosis_citing_real_lines() -> None:
    settings = LlmSettings(
        provider=PROVIDER or "",
        model=os.environ.get("FAULTMAVEN_LIVE_LLM_MODEL"),
        base_url=os.environ.get("FAULTMAVEN_LIVE_LLM_BASE_URL"),
        api_key=os.environ.get("FAULTMAVEN_LIVE_LLM_API_KEY"),
        timeout_seconds=120,
    )
    context = MemoryContext({"app.log": APP_LOG})
    draft, engine, usage = refine_with_llm(
        context,
        offline_draft(context),
        "why does checkout fail?",
        settings,
        lambda event, data: None,
    )
    assert engine.name == "llm", engine.fallback_reason
    assert draft.hypotheses, "the model proposed no hypothesis"
    assert all(
        citation.text == "\n".join(APP_LOG[citation.line_start - 1 : citation.line_end])
        for hypothesis in draft.hypotheses
        for citation in hypothesis.citations
    )
    assert usage is not None and usage.input_tokens > 0
