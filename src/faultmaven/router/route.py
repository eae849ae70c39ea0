"""Decide what a question asks: rules first, sentence embeddings where the rules are unsure."""

import logging
import math
from dataclasses import replace

from faultmaven.knowledge.embeddings import Embedder
from faultmaven.router.context import CaseContext
from faultmaven.router.embedding import similarity_scores
from faultmaven.router.extract import hypothesis_reference, log_lines, time_expression
from faultmaven.router.outcome import Intent, Method, Route
from faultmaven.router.refine import Refiner, refined
from faultmaven.router.rules import STRONG, rule_scores

logger = logging.getLogger(__name__)

# On a tie the more specific request wins: a fix or a line over a general complaint.
PRECEDENCE: tuple[Intent, ...] = (
    Intent.FOLLOW_UP,
    Intent.HOW_TO_FIX,
    Intent.EXPLAIN_LINE,
    Intent.WHEN_STARTED,
    Intent.WHAT_CHANGED,
    Intent.WHY,
    Intent.GENERAL,
    Intent.WHAT_IS_WRONG,
)
EMBEDDING_WEIGHT = 0.6
SOFTMAX_TEMPERATURE = 0.05
UNSURE_CONFIDENCE = 0.3
# How far a strong cue must lead another strong cue to decide without the embeddings.
DECISIVE_MARGIN = 0.05


def route_question(
    question: str | None,
    context: CaseContext | None = None,
    *,
    embedder: Embedder | None = None,
    refine: Refiner | None = None,
) -> Route:
    """Route a question by rules, then nearest prototypes where the rules are not decisive.

    `refine` (a language model's reading) is asked only when the result is still unsure.
    """
    route = _route(question, context or CaseContext(), embedder)
    return refined(route, question or "", refine)


def _route(question: str | None, context: CaseContext, embedder: Embedder | None) -> Route:
    if not question or not question.strip():
        return Route(Intent.WHAT_IS_WRONG, 1.0, Method.DEFAULT)
    reference = hypothesis_reference(question, context.previous_hypotheses)
    quoted = log_lines(question)
    extracted = Route(
        Intent.GENERAL,
        0.0,
        Method.DEFAULT,
        hypothesis=reference,
        time_expression=time_expression(question),
        log_lines=quoted,
    )
    rules = rule_scores(question, context, reference, quoted)
    if embedder is None or _rules_decide(rules):
        return _by_rules(extracted, rules, context)
    try:
        similarities = similarity_scores(question, embedder)
    except Exception as error:  # any provider failure means rules alone
        logger.warning("router: embeddings unavailable, using rules alone: %s", error)
        fallback = _by_rules(extracted, rules, context)
        return replace(fallback, fallback_reason=f"{type(error).__name__}: {error}")
    return _by_rules_and_embeddings(extracted, rules, similarities)


def ordered(scores: dict[Intent, float]) -> list[tuple[Intent, float]]:
    """Intents by score, best first, ties broken by `PRECEDENCE`."""
    return sorted(scores.items(), key=lambda item: (-item[1], PRECEDENCE.index(item[0])))


def softmax(scores: dict[Intent, float]) -> dict[Intent, float]:
    """Turn scores into shares that sum to one (sharp: similarities differ by hundredths)."""
    top = max(scores.values())
    weights = {
        intent: math.exp((score - top) / SOFTMAX_TEMPERATURE) for intent, score in scores.items()
    }
    total = sum(weights.values())
    return {intent: weight / total for intent, weight in weights.items()}


def _rules_decide(rules: dict[Intent, float]) -> bool:
    """Return whether a strong cue stands clear of every other intent's score."""
    ranked = ordered(rules)
    if not ranked or ranked[0][1] < STRONG:
        return False
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    return runner_up < STRONG or round(ranked[0][1] - runner_up, 6) >= DECISIVE_MARGIN


def _by_rules(extracted: Route, rules: dict[Intent, float], context: CaseContext) -> Route:
    if not rules:
        fallback = Intent.WHAT_IS_WRONG if context.evidence_kinds else Intent.GENERAL
        return replace(extracted, intent=fallback, confidence=UNSURE_CONFIDENCE)
    ranked = ordered(rules)
    best, score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = max(0.0, min(1.0, score - 0.5 * runner_up))
    return replace(extracted, intent=best, confidence=round(confidence, 3), method=Method.RULES)


def _by_rules_and_embeddings(
    extracted: Route, rules: dict[Intent, float], similarities: dict[Intent, float]
) -> Route:
    shares = softmax(similarities)
    combined = {
        intent: rules.get(intent, 0.0) + EMBEDDING_WEIGHT * shares[intent] for intent in shares
    }
    best, _ = ordered(combined)[0]
    method = Method.RULES_AND_EMBEDDINGS if rules else Method.EMBEDDINGS
    confidence = combined[best] / sum(combined.values())
    return replace(extracted, intent=best, confidence=round(confidence, 3), method=method)
