"""Each provider becomes its LangChain chat model; missing settings are named; tokens are priced."""

import pytest
from langchain_anthropic import ChatAnthropic
from langchain_ollama import ChatOllama
from langchain_openai import ChatOpenAI

from faultmaven.agent.providers import chat_model, cost_usd, price_of
from faultmaven.agent.settings import LlmSettings
from faultmaven.domain.errors import InvalidInputError


def test_each_provider_builds_its_own_client_with_timeout_and_retries() -> None:
    openai = chat_model(LlmSettings("openai", "gpt-4o", api_key="sk-x", timeout_seconds=7))
    assert isinstance(openai, ChatOpenAI)
    assert (openai.request_timeout, openai.max_retries) == (7, 2)
    anthropic = chat_model(
        LlmSettings("anthropic", "claude-sonnet-4-5", api_key="k", max_retries=4)
    )
    assert isinstance(anthropic, ChatAnthropic) and anthropic.max_retries == 4
    ollama = chat_model(LlmSettings("ollama", "llama3.1", base_url="http://127.0.0.1:11434"))
    assert isinstance(ollama, ChatOllama) and ollama.base_url == "http://127.0.0.1:11434"
    local = chat_model(
        LlmSettings("openai_compatible", "qwen", base_url="http://127.0.0.1:8080/v1")
    )
    assert isinstance(local, ChatOpenAI) and local.openai_api_base == "http://127.0.0.1:8080/v1"


@pytest.mark.parametrize(
    ("settings", "missing"),
    [
        (LlmSettings("openai", api_key="sk-x"), "FAULTMAVEN_LLM_MODEL"),
        (LlmSettings("anthropic", "claude-sonnet-4-5"), "FAULTMAVEN_LLM_API_KEY"),
        (LlmSettings("openai_compatible", "qwen"), "FAULTMAVEN_LLM_BASE_URL"),
    ],
)
def test_a_missing_setting_is_named(settings: LlmSettings, missing: str) -> None:
    with pytest.raises(InvalidInputError, match=missing):
        chat_model(settings)


def test_an_unknown_provider_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="unknown LLM provider 'gemini'"):
        chat_model(LlmSettings("gemini", "g"))


def test_known_models_and_their_dated_releases_are_priced_and_others_are_free() -> None:
    assert price_of("openai", "gpt-4o-mini-2024-07-18").input_per_million == 0.15
    assert price_of("openai", "gpt-4o-2024-08-06").input_per_million == 2.50
    assert cost_usd("anthropic", "claude-sonnet-4-5", 1_000_000, 100_000) == 4.5
    assert cost_usd("anthropic", "claude-opus-4-20250514", 1_000_000, 0) == 15.0
    assert cost_usd("anthropic", "claude-opus-4-8", 1_000_000, 0) == 0.0
    assert cost_usd("ollama", "llama3.1", 10_000, 10_000) == 0.0
    assert cost_usd("openai_compatible", "gpt-4o", 10_000, 10_000) == 0.0
    assert cost_usd("openai", "some-future-model", 10_000, 10_000) == 0.0


def test_the_api_key_never_shows_in_the_settings_repr() -> None:
    assert "sk-secret" not in repr(LlmSettings("openai", "gpt-4o", api_key="sk-secret"))
