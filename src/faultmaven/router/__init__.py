"""Question + evidence -> intent and a plan of analyses.

Rules read clear cues, sentence embeddings settle what the rules leave open, and an optional
language-model callable relabels what is still unsure.
"""

from faultmaven.router.context import CaseContext, PreviousHypothesis
from faultmaven.router.extract import HypothesisReference
from faultmaven.router.outcome import Intent, Method, Route
from faultmaven.router.plan import PlanStep, plan
from faultmaven.router.refine import Refiner, refined
from faultmaven.router.route import route_question

__all__ = [
    "CaseContext",
    "HypothesisReference",
    "Intent",
    "Method",
    "PlanStep",
    "PreviousHypothesis",
    "Refiner",
    "Route",
    "plan",
    "refined",
    "route_question",
]
