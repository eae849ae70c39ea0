"""Counting the tokens one answer spends, from the usage every chat model reports."""

import threading
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, LLMResult

from faultmaven.agent.providers import cost_usd
from faultmaven.agent.settings import LlmSettings
from faultmaven.domain.diagnosis import Usage


class TokenCounter(BaseCallbackHandler):
    """Adds up input and output tokens over every model call of a run.

    LangChain's own usage handler skips replies without a model name (some local servers
    send none); this one counts every reply that reports usage.
    """

    def __init__(self) -> None:
        self.input_tokens = 0
        self.output_tokens = 0
        self._lock = threading.Lock()

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        """Add the usage of one model reply."""
        for generations in response.generations:
            for generation in generations:
                message = generation.message if isinstance(generation, ChatGeneration) else None
                if isinstance(message, AIMessage) and message.usage_metadata:
                    with self._lock:
                        self.input_tokens += message.usage_metadata.get("input_tokens", 0)
                        self.output_tokens += message.usage_metadata.get("output_tokens", 0)

    @property
    def spent(self) -> bool:
        """Tell whether any tokens were reported."""
        return bool(self.input_tokens or self.output_tokens)

    def usage(self, settings: LlmSettings) -> Usage:
        """Return the tokens and their cost at the model's list price."""
        return Usage(
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            cost_usd=cost_usd(
                settings.provider, settings.model, self.input_tokens, self.output_tokens
            ),
        )
