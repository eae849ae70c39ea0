"""A second opinion from a language model, asked only when the rules and embeddings are unsure."""

import logging
from collections.abc import Callable
from dataclasses import replace

from faultmaven.router.outcome import Intent, Method, Route

logger = logging.getLogger(__name__)

Refiner = Callable[[str], Intent | None]
"""Returns the intent a model reads in the question, or None when it cannot tell."""

REFINE_BELOW = 0.6
# A model's label beats unsure rules, yet a model can be wrong too.
MODEL_CONFIDENCE = 0.75


def refined(
    route: Route, question: str, refine: Refiner | None, *, threshold: float = REFINE_BELOW
) -> Route:
    """Return the route, relabelled by `refine` when its confidence is below `threshold`.

    A refiner that fails leaves the route as it was, with the failure in `fallback_reason`.
    """
    if refine is None or route.confidence >= threshold or not question.strip():
        return route
    try:
        answer = refine(question)
    except Exception as error:  # the model is optional; the route stands
        logger.warning("router: intent refinement failed, keeping %s: %s", route.intent, error)
        return replace(route, fallback_reason=f"refiner {type(error).__name__}: {error}")
    if answer is None:
        return route
    return replace(
        route,
        intent=Intent(answer),
        confidence=max(route.confidence, MODEL_CONFIDENCE),
        method=Method.LLM,
    )
