"""What the router decides: the intent, which step decided it, and what it extracted."""

from dataclasses import dataclass
from enum import StrEnum

from faultmaven.router.extract import HypothesisReference


class Intent(StrEnum):
    """The kinds of question an on-call engineer asks (CONTRACTS.md: `Diagnosis.intent`)."""

    WHAT_IS_WRONG = "what_is_wrong"
    WHY = "why"
    WHEN_STARTED = "when_started"
    WHAT_CHANGED = "what_changed"
    HOW_TO_FIX = "how_to_fix"
    EXPLAIN_LINE = "explain_line"
    FOLLOW_UP = "follow_up"
    GENERAL = "general"


class Method(StrEnum):
    """Which step of the router decided the intent."""

    DEFAULT = "default"
    RULES = "rules"
    EMBEDDINGS = "embeddings"
    RULES_AND_EMBEDDINGS = "rules+embeddings"
    LLM = "llm"


@dataclass(frozen=True)
class Route:
    """The router's answer: the intent, how sure it is, which step decided, what it extracted."""

    intent: Intent
    confidence: float
    method: Method
    hypothesis: HypothesisReference | None = None
    time_expression: str | None = None
    log_lines: tuple[str, ...] = ()
    fallback_reason: str | None = None
