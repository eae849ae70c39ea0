"""Deferring a hypothesis to the one that explains it: lower it, and say why."""

from faultmaven.domain.diagnosis import Hypothesis
from faultmaven.reasoning.candidates import DEFERRED_FACTOR


def deferred(hypothesis: Hypothesis, why: str) -> Hypothesis:
    """Lower a hypothesis another explains (`DEFERRED_FACTOR`), adding why to its reasoning."""
    return hypothesis.model_copy(
        update={
            "confidence": round(hypothesis.confidence * DEFERRED_FACTOR, 3),
            "reasoning": f"{hypothesis.reasoning} {why}",
        }
    )
