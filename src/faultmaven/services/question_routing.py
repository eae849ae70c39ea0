"""Route a question in the light of its case, and answer follow-ups about one hypothesis.

The router reads the question; the case adds what it already knows (the evidence kinds,
the hypotheses of the last answer), so "is it the pool?" or "#2 looks wrong" are read as
follow-ups about a hypothesis the engineer has been shown.
"""

import uuid

from sqlalchemy import Connection

from faultmaven.domain.diagnosis import DiagnosisDraft, Hypothesis
from faultmaven.knowledge.embeddings import Embedder
from faultmaven.router import CaseContext, Route, plan, route_question
from faultmaven.store import conversation as conversation_store


def route_in_case(
    connection: Connection,
    tenant_id: uuid.UUID,
    case_id: uuid.UUID,
    question: str,
    evidence_kinds: list[str],
    embedder: Embedder | None,
) -> tuple[Route, list[Hypothesis]]:
    """Route the question; also return the hypotheses of the case's last answer."""
    previous = conversation_store.latest_diagnosis(connection, tenant_id, case_id)
    shown = previous.hypotheses if previous is not None else []
    context = (
        CaseContext.after(shown, evidence_kinds)
        if previous is not None
        else CaseContext(evidence_kinds=tuple(evidence_kinds))
    )
    return route_question(question, context, embedder=embedder), shown


def plan_names(route: Route, evidence_kinds: list[str]) -> list[str]:
    """Name the analyses the plan runs, for the `plan` event."""
    return [step.name for step in plan(route, evidence_kinds)]


def referenced_hypothesis(route: Route, shown: list[Hypothesis]) -> Hypothesis | None:
    """Return the hypothesis of the last answer that the question points at, if any."""
    reference = route.hypothesis
    if reference is None or not shown:
        return None
    if reference.id is not None:
        return next((h for h in shown if h.id == reference.id), None)
    if reference.rank == 0:
        return shown[-1]
    if reference.rank is not None:
        return next((h for h in shown if h.rank == reference.rank), None)
    return None


def focus_on(draft: DiagnosisDraft, asked_about: Hypothesis | None) -> DiagnosisDraft:
    """Open the answer with where the hypothesis the engineer asked about now stands."""
    if asked_about is None:
        return draft
    now = next((h for h in draft.hypotheses if h.id == asked_about.id), None)
    if now is None:
        lead = (
            f"On “{asked_about.title}”: the evidence no longer supports it; it is not among"
            " the current hypotheses."
        )
    else:
        lead = (
            f"On “{now.title}”: it is now hypothesis {now.rank}, {now.state.value}, with"
            f" confidence {now.confidence:.0%}. {now.reasoning}"
        )
    return draft.model_copy(update={"summary": f"{lead} {draft.summary}"})
