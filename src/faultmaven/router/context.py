"""What the router knows about the case besides the question."""

from collections.abc import Iterable
from dataclasses import dataclass

from faultmaven.domain.diagnosis import Hypothesis


@dataclass(frozen=True)
class PreviousHypothesis:
    """A hypothesis the engineer has already been shown in this case."""

    id: str
    rank: int
    title: str
    category: str | None = None


@dataclass(frozen=True)
class CaseContext:
    """The case around a question: its evidence and what earlier answers proposed."""

    evidence_kinds: tuple[str, ...] = ()
    has_previous_diagnosis: bool = False
    previous_hypotheses: tuple[PreviousHypothesis, ...] = ()

    @classmethod
    def after(
        cls, hypotheses: Iterable[Hypothesis], evidence_kinds: Iterable[str] = ()
    ) -> "CaseContext":
        """Build the context of a case whose latest diagnosis proposed `hypotheses`."""
        return cls(
            evidence_kinds=tuple(evidence_kinds),
            has_previous_diagnosis=True,
            previous_hypotheses=tuple(
                PreviousHypothesis(
                    id=hypothesis.id,
                    rank=hypothesis.rank,
                    title=hypothesis.title,
                    category=str(hypothesis.category),
                )
                for hypothesis in hypotheses
            ),
        )
