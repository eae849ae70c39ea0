"""Hypotheses as the case remembers them between questions, and the engineer's verdicts."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from faultmaven.domain.diagnosis import Hypothesis, HypothesisState


class Verdict(StrEnum):
    """What an engineer may decide about a hypothesis (`PATCH .../hypotheses/{id}`)."""

    CONFIRMED = "confirmed"
    REFUTED = "refuted"


class HypothesisVerdict(BaseModel):
    """The body of `PATCH /v1/cases/{id}/hypotheses/{hypothesis_id}`."""

    state: Verdict
    note: str | None = Field(default=None, max_length=5_000)


class TrackedHypothesis(BaseModel):
    """A hypothesis of the case with its latest form and who decided its state.

    `hypothesis` is the document as last shown (citations included), so a confirmed cause
    stays in the answer even when a later question's evidence no longer produces it.
    """

    hypothesis: Hypothesis
    decided_by_user: bool = False
    note: str | None = None
    first_seen_at: datetime
    updated_at: datetime

    @property
    def id(self) -> str:
        """The hypothesis' stable id."""
        return self.hypothesis.id

    @property
    def state(self) -> HypothesisState:
        """Where the hypothesis stands now."""
        return self.hypothesis.state
