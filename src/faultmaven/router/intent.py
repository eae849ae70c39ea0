"""The router's stable entry points: the intent of a question and the names of its plan's steps."""

from collections.abc import Sequence

from faultmaven.knowledge.embeddings import Embedder
from faultmaven.router.context import CaseContext, PreviousHypothesis
from faultmaven.router.outcome import Intent, Method, Route
from faultmaven.router.plan import plan
from faultmaven.router.route import route_question

__all__ = ["Intent", "classify_intent", "plan_steps"]


def classify_intent(
    question: str | None,
    *,
    has_previous_diagnosis: bool = False,
    previous_hypotheses: Sequence[PreviousHypothesis] = (),
    evidence_kinds: Sequence[str] = (),
    embedder: Embedder | None = None,
) -> Intent:
    """Return the intent of a question; no question means "what is wrong?"."""
    context = CaseContext(
        evidence_kinds=tuple(evidence_kinds),
        has_previous_diagnosis=has_previous_diagnosis or bool(previous_hypotheses),
        previous_hypotheses=tuple(previous_hypotheses),
    )
    return route_question(question, context, embedder=embedder).intent


def plan_steps(
    intent: Intent, evidence_kinds: Sequence[str], sources: Sequence[str] = ()
) -> list[str]:
    """Return the names of the analyses to run for the intent over the case's evidence, in order."""
    route = Route(intent=intent, confidence=1.0, method=Method.DEFAULT)
    return [step.name for step in plan(route, evidence_kinds, sources)]
