"""The LLM troubleshooting agent: refines the offline diagnosis with tools over the case.

Only the light settings type is exported here; `faultmaven.agent.answer.refine_with_llm`
loads LangChain and LangGraph, so callers import it when an LLM is actually configured.
"""

from faultmaven.agent.settings import LlmSettings

__all__ = ["LlmSettings"]
