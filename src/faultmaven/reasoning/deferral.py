"""A cause and the failures it explains: the cause rises above them, they defer to it."""

from typing import Any

from faultmaven.domain.diagnosis import Hypothesis
from faultmaven.reasoning.candidates import DEFERRED_FACTOR, MAX_CONFIDENCE, PROMOTION


def deferred(hypothesis: Hypothesis, why: str) -> Hypothesis:
    """Lower a hypothesis another explains (`DEFERRED_FACTOR`), adding why to its reasoning."""
    return hypothesis.model_copy(
        update={
            "confidence": round(hypothesis.confidence * DEFERRED_FACTOR, 3),
            "reasoning": f"{hypothesis.reasoning} {why}",
        }
    )


def promoted_over(
    cause: Hypothesis, strongest: float, cited: Hypothesis, note: str = ""
) -> Hypothesis:
    """Raise a cause above the strongest failure it explains (by `PROMOTION`).

    It cites its own first lines, then `cited`'s; `note` is added to its statement.
    """
    update: dict[str, Any] = {
        "confidence": min(MAX_CONFIDENCE, round(max(cause.confidence, strongest) + PROMOTION, 3)),
        "citations": [*cause.citations[:3], *cited.citations[:2]][:5],
    }
    if note:
        update["statement"] = f"{cause.statement} {note}"
    return cause.model_copy(update=update)
