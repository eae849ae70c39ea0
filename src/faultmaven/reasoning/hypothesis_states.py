"""Carry hypotheses across the turns of a case, so verdicts and earlier findings persist.

A new answer is reasoned afresh from the evidence, then reconciled with what the case
remembers: a hypothesis the engineer confirmed leads every later answer (even when the
new evidence no longer produces it), one they refuted never outranks the others and its
next steps are dropped, and an earlier hypothesis the new reasoning no longer supports
stays visible as `inconclusive` while there is room, instead of silently vanishing.
"""

from faultmaven.domain.diagnosis import DiagnosisDraft, DiagnosisStatus, Hypothesis, HypothesisState
from faultmaven.domain.hypotheses import TrackedHypothesis

MAX_HYPOTHESES = 5
CONFIRMED_CONFIDENCE = 0.95
REFUTED_CONFIDENCE = 0.05


def reconcile(draft: DiagnosisDraft, tracked: list[TrackedHypothesis]) -> DiagnosisDraft:
    """Return the draft with hypotheses ordered and stated in the light of the case's past."""
    known = {item.id: item for item in tracked}
    fresh = [_with_verdict(hypothesis, known.get(hypothesis.id)) for hypothesis in draft.hypotheses]
    fresh_ids = {hypothesis.id for hypothesis in fresh}
    carried_confirmed = [
        _with_verdict(item.hypothesis, item)
        for item in tracked
        if item.decided_by_user
        and item.state is HypothesisState.CONFIRMED
        and item.id not in fresh_ids
    ]
    carried_unsupported = [
        item.hypothesis.model_copy(update={"state": HypothesisState.INCONCLUSIVE})
        for item in tracked
        if not item.decided_by_user and item.id not in fresh_ids
    ]
    confirmed = carried_confirmed + [h for h in fresh if h.state is HypothesisState.CONFIRMED]
    open_ = [
        h for h in fresh if h.state not in (HypothesisState.CONFIRMED, HypothesisState.REFUTED)
    ]
    refuted = [h for h in fresh if h.state is HypothesisState.REFUTED]
    ordered = (confirmed + open_ + carried_unsupported + refuted)[:MAX_HYPOTHESES]
    hypotheses = [_engine_state(h, rank, confirmed) for rank, h in enumerate(ordered, start=1)]
    refuted_ids = {h.id for h in hypotheses if h.state is HypothesisState.REFUTED}
    return draft.model_copy(
        update={
            "hypotheses": hypotheses,
            "next_steps": [s for s in draft.next_steps if s.hypothesis_id not in refuted_ids],
            "summary": _summary(draft, hypotheses),
            "status": DiagnosisStatus.DIAGNOSED if confirmed else draft.status,
        }
    )


def _with_verdict(hypothesis: Hypothesis, known: TrackedHypothesis | None) -> Hypothesis:
    """Apply the engineer's verdict on a hypothesis the new reasoning produced again."""
    if known is None or not known.decided_by_user:
        return hypothesis
    if known.state is HypothesisState.CONFIRMED:
        confidence = max(hypothesis.confidence, CONFIRMED_CONFIDENCE)
    else:
        confidence = min(hypothesis.confidence, REFUTED_CONFIDENCE)
    return hypothesis.model_copy(update={"state": known.state, "confidence": confidence})


def _engine_state(hypothesis: Hypothesis, rank: int, confirmed: list[Hypothesis]) -> Hypothesis:
    """Give the hypothesis its rank; the one being pursued is `active`."""
    state = hypothesis.state
    if state in (HypothesisState.PROPOSED, HypothesisState.ACTIVE):
        pursued = rank == 1 and not confirmed
        state = HypothesisState.ACTIVE if pursued else HypothesisState.PROPOSED
    return hypothesis.model_copy(update={"rank": rank, "state": state})


def _summary(draft: DiagnosisDraft, hypotheses: list[Hypothesis]) -> str:
    """Lead with the confirmed cause, and never present a ruled-out cause as the likely one."""
    confirmed = [h for h in hypotheses if h.state is HypothesisState.CONFIRMED]
    refuted = [h for h in hypotheses if h.state is HypothesisState.REFUTED]
    parts = []
    if confirmed:
        parts.append(f"Confirmed root cause: {confirmed[0].statement}")
    elif draft.hypotheses and draft.hypotheses[0].id in {h.id for h in refuted}:
        remaining = [h for h in hypotheses if h.state is not HypothesisState.REFUTED]
        if remaining:
            parts.append(f"Most likely remaining cause: {remaining[0].statement}")
        else:
            parts.append("Every hypothesis found so far has been ruled out.")
    else:
        parts.append(draft.summary)
    if refuted:
        titles = "; ".join(h.title for h in refuted)
        parts.append(f"Ruled out by the engineer: {titles}.")
    return " ".join(parts)
