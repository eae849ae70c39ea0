"""Log hypotheses and drafts for the rules that join them with Kubernetes findings."""

from faultmaven.domain.diagnosis import (
    Category,
    Citation,
    DiagnosisDraft,
    DiagnosisStatus,
    Hypothesis,
)


def logged_hypothesis(
    identity: str, category: Category, component: str, confidence: float, text: str
) -> Hypothesis:
    """A hypothesis the logs formed, citing line 5 of `<component>.log`."""
    return Hypothesis(
        id=identity,
        rank=1,
        title=f"{category.value} in {component}",
        statement=f"{component} shows {category.value} trouble.",
        category=category,
        component=component,
        confidence=confidence,
        reasoning="seen in the evidence.",
        citations=[
            Citation(
                evidence_id="e2",
                evidence_name=f"{component}.log",
                line_start=5,
                line_end=5,
                text=text,
            )
        ],
    )


def logs_draft(*hypotheses: Hypothesis) -> DiagnosisDraft:
    """The logs' draft diagnosis holding `hypotheses`."""
    return DiagnosisDraft(summary="logs", status=DiagnosisStatus.DIAGNOSED, hypotheses=hypotheses)
