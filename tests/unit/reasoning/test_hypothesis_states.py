"""Hypotheses carried across turns: verdicts lead or sink, unsupported ones stay visible."""

from datetime import UTC, datetime

from faultmaven.domain.diagnosis import (
    Category,
    DiagnosisDraft,
    DiagnosisStatus,
    Hypothesis,
    HypothesisState,
    NextStep,
)
from faultmaven.domain.hypotheses import TrackedHypothesis
from faultmaven.reasoning.hypothesis_states import reconcile

SEEN = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def _hypothesis(hypothesis_id: str, rank: int, confidence: float = 0.6) -> Hypothesis:
    return Hypothesis(
        id=hypothesis_id,
        rank=rank,
        title=f"cause {hypothesis_id}",
        statement=f"{hypothesis_id} broke.",
        category=Category.DATABASE,
        component="orders",
        confidence=confidence,
        reasoning="seen in the logs",
        citations=[],
    )


def _draft(*hypotheses: Hypothesis) -> DiagnosisDraft:
    return DiagnosisDraft(
        summary=f"Most likely cause: {hypotheses[0].statement}" if hypotheses else "nothing",
        status=DiagnosisStatus.DIAGNOSED if hypotheses else DiagnosisStatus.INSUFFICIENT_EVIDENCE,
        hypotheses=list(hypotheses),
        next_steps=[
            NextStep(action=f"check {h.id}", why="to confirm", hypothesis_id=h.id)
            for h in hypotheses
        ],
    )


def _tracked(hypothesis: Hypothesis, state: HypothesisState, *, decided: bool) -> TrackedHypothesis:
    return TrackedHypothesis(
        hypothesis=hypothesis.model_copy(update={"state": state}),
        decided_by_user=decided,
        first_seen_at=SEEN,
        updated_at=SEEN,
    )


def test_first_answer_marks_the_leading_hypothesis_active_and_the_rest_proposed() -> None:
    result = reconcile(_draft(_hypothesis("a", 1), _hypothesis("b", 2)), [])
    assert [(h.id, h.rank, h.state) for h in result.hypotheses] == [
        ("a", 1, HypothesisState.ACTIVE),
        ("b", 2, HypothesisState.PROPOSED),
    ]
    assert result.summary == "Most likely cause: a broke."


def test_refuted_hypothesis_sinks_below_the_others_and_loses_its_next_steps() -> None:
    refuted = _tracked(_hypothesis("a", 1), HypothesisState.REFUTED, decided=True)
    result = reconcile(_draft(_hypothesis("a", 1, 0.9), _hypothesis("b", 2)), [refuted])
    assert [(h.id, h.state) for h in result.hypotheses] == [
        ("b", HypothesisState.ACTIVE),
        ("a", HypothesisState.REFUTED),
    ]
    assert result.hypotheses[1].confidence <= 0.05
    assert [step.hypothesis_id for step in result.next_steps] == ["b"]
    assert result.summary.startswith("Most likely remaining cause: b broke.")
    assert "Ruled out by the engineer: cause a." in result.summary


def test_confirmed_hypothesis_leads_even_when_new_evidence_no_longer_produces_it() -> None:
    confirmed = _tracked(_hypothesis("a", 3, 0.4), HypothesisState.CONFIRMED, decided=True)
    result = reconcile(_draft(_hypothesis("b", 1), _hypothesis("c", 2)), [confirmed])
    assert [(h.id, h.rank, h.state) for h in result.hypotheses] == [
        ("a", 1, HypothesisState.CONFIRMED),
        ("b", 2, HypothesisState.PROPOSED),
        ("c", 3, HypothesisState.PROPOSED),
    ]
    assert result.hypotheses[0].confidence >= 0.95
    assert result.summary.startswith("Confirmed root cause: a broke.")


def test_confirmed_cause_turns_an_insufficient_answer_into_a_diagnosis() -> None:
    confirmed = _tracked(_hypothesis("a", 1), HypothesisState.CONFIRMED, decided=True)
    result = reconcile(_draft(), [confirmed])
    assert result.status is DiagnosisStatus.DIAGNOSED
    assert [h.id for h in result.hypotheses] == ["a"]


def test_earlier_hypothesis_no_longer_supported_stays_as_inconclusive_after_fresh_ones() -> None:
    earlier = _tracked(_hypothesis("old", 1), HypothesisState.ACTIVE, decided=False)
    result = reconcile(_draft(_hypothesis("new", 1)), [earlier])
    assert [(h.id, h.state) for h in result.hypotheses] == [
        ("new", HypothesisState.ACTIVE),
        ("old", HypothesisState.INCONCLUSIVE),
    ]


def test_never_more_than_five_hypotheses_and_refuted_ones_go_first_when_trimming() -> None:
    fresh = [_hypothesis(f"h{n}", n) for n in range(1, 6)]
    refuted = _tracked(fresh[0], HypothesisState.REFUTED, decided=True)
    carried = _tracked(_hypothesis("old", 1), HypothesisState.PROPOSED, decided=False)
    result = reconcile(_draft(*fresh), [refuted, carried])
    assert [h.id for h in result.hypotheses] == ["h2", "h3", "h4", "h5", "old"]
    assert [h.rank for h in result.hypotheses] == [1, 2, 3, 4, 5]
