"""Chat models for the agent, one per provider, and what their tokens cost.

Each provider's LangChain package is imported only when that provider is chosen, so a
FaultMaven without an LLM never loads a vendor SDK.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from langchain_core.language_models import BaseChatModel

from faultmaven.agent.settings import LlmSettings
from faultmaven.domain.errors import InvalidInputError

# Local servers behind the OpenAI protocol often ignore the key, but the client insists on one.
UNUSED_API_KEY = "unused"


@dataclass(frozen=True)
class Price:
    """USD per million input and output tokens."""

    input_per_million: float
    output_per_million: float


# Published list prices (USD per 1M tokens) of models whose price we know; a model id matches
# an entry exactly or as that entry plus a release date (`gpt-4o-2024-08-06`). Anything else
# (newer, local or unknown models) costs 0 here rather than a guess.
PRICES: dict[str, dict[str, Price]] = {
    "openai": {
        "gpt-4o-mini": Price(0.15, 0.60),
        "gpt-4o": Price(2.50, 10.00),
        "gpt-4.1-nano": Price(0.10, 0.40),
        "gpt-4.1-mini": Price(0.40, 1.60),
        "gpt-4.1": Price(2.00, 8.00),
        "o3-mini": Price(1.10, 4.40),
        "o4-mini": Price(1.10, 4.40),
    },
    "anthropic": {
        "claude-3-haiku": Price(0.25, 1.25),
        "claude-3-5-haiku": Price(0.80, 4.00),
        "claude-3-5-sonnet": Price(3.00, 15.00),
        "claude-3-7-sonnet": Price(3.00, 15.00),
        "claude-sonnet-4": Price(3.00, 15.00),
        "claude-sonnet-4-5": Price(3.00, 15.00),
        "claude-haiku-4-5": Price(1.00, 5.00),
        "claude-opus-4": Price(15.00, 75.00),
        "claude-opus-4-1": Price(15.00, 75.00),
        "claude-opus-4-5": Price(5.00, 25.00),
    },
}
_RELEASE_DATE = re.compile(r"(-\d{4}-?\d{2}-?\d{2}|-latest)?")


def price_of(provider: str, model: str | None) -> Price:
    """Return the model's price; local, unknown and unlisted models cost nothing we can know."""
    for listed, price in PRICES.get(provider, {}).items():
        if model and model.startswith(listed) and _RELEASE_DATE.fullmatch(model[len(listed) :]):
            return price
    return Price(0.0, 0.0)


def cost_usd(provider: str, model: str | None, input_tokens: int, output_tokens: int) -> float:
    """Return what the tokens cost at the model's list price, rounded to a millionth."""
    price = price_of(provider, model)
    total = input_tokens * price.input_per_million + output_tokens * price.output_per_million
    return round(total / 1_000_000, 6)


def _require(value: str | None, what: str, settings: LlmSettings) -> str:
    if not value:
        raise InvalidInputError(
            f"the {settings.provider} LLM provider needs FAULTMAVEN_LLM_{what.upper()}"
        )
    return value


def _openai(settings: LlmSettings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    return ChatOpenAI(
        model=_require(settings.model, "model", settings),
        api_key=SecretStr(_require(settings.api_key, "api_key", settings)),
        base_url=settings.base_url,
        timeout=settings.timeout_seconds,
        max_retries=settings.max_retries,
    )


def _openai_compatible(settings: LlmSettings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    return ChatOpenAI(
        model=_require(settings.model, "model", settings),
        api_key=SecretStr(settings.api_key or UNUSED_API_KEY),
        base_url=_require(settings.base_url, "base_url", settings),
        timeout=settings.timeout_seconds,
        max_retries=settings.max_retries,
    )


def _anthropic(settings: LlmSettings) -> BaseChatModel:
    from langchain_anthropic import ChatAnthropic
    from pydantic import SecretStr

    return ChatAnthropic(
        model=_require(settings.model, "model", settings),
        anthropic_api_key=SecretStr(_require(settings.api_key, "api_key", settings)),
        anthropic_api_url=settings.base_url,
        default_request_timeout=settings.timeout_seconds,
        max_retries=settings.max_retries,
    )


def _ollama(settings: LlmSettings) -> BaseChatModel:
    from langchain_ollama import ChatOllama

    return ChatOllama(
        model=_require(settings.model, "model", settings),
        base_url=settings.base_url,
        client_kwargs={"timeout": settings.timeout_seconds},
    )


PROVIDERS: dict[str, Callable[[LlmSettings], BaseChatModel]] = {
    "openai": _openai,
    "openai_compatible": _openai_compatible,
    "anthropic": _anthropic,
    "ollama": _ollama,
}


StructuredOutputMethod = Literal["function_calling", "json_schema"]


def structured_output_method(provider: str) -> StructuredOutputMethod:
    """Return how the provider is best made to answer in the answer schema.

    Ollama ignores a forced tool choice, but constrains its output to a JSON schema given
    as `format`; the OpenAI protocol and Anthropic honour a forced tool call.
    """
    return "json_schema" if provider == "ollama" else "function_calling"


def chat_model(settings: LlmSettings) -> BaseChatModel:
    """Build the LangChain chat model the settings name."""
    build = PROVIDERS.get(settings.provider)
    if build is None:
        known = ", ".join(sorted(PROVIDERS))
        raise InvalidInputError(f"unknown LLM provider {settings.provider!r}; use one of {known}")
    return build(settings)
