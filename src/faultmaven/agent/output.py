"""The model's final answer: a typed document mirroring the diagnosis draft's hypotheses."""

from pydantic import BaseModel, Field

from faultmaven.domain.diagnosis import Category, DiagnosisStatus


class CitedLines(BaseModel):
    """Lines of one evidence item that support a hypothesis."""

    evidence_name: str = Field(description="The evidence name exactly as shown in the blocks")
    line_start: int = Field(ge=1, description="First cited line number")
    line_end: int = Field(ge=1, description="Last cited line number (inclusive)")
    quote: str | None = Field(
        default=None, description="Optionally, the cited lines' text exactly as shown"
    )


class ProposedHypothesis(BaseModel):
    """One root cause the model proposes."""

    title: str = Field(description="A short title")
    statement: str = Field(description="The root cause in one sentence")
    category: Category
    component: str | None = Field(
        default=None, description="Service, host, pod or table the cause lives in"
    )
    confidence: float = Field(ge=0.0, le=1.0)
    reasoning: str = Field(description="Why the cited lines support this cause")
    citations: list[CitedLines] = Field(default_factory=list)


class ProposedStep(BaseModel):
    """Something the engineer should do next."""

    action: str
    why: str
    command: str | None = None
    hypothesis_number: int | None = Field(
        default=None, ge=1, description="The 1-based position of the hypothesis it tests"
    )


class FinalAnswer(BaseModel):
    """The diagnosis: what is wrong, the lines that show it, and what to do next."""

    summary: str = Field(description="One to three sentences")
    status: DiagnosisStatus
    hypotheses: list[ProposedHypothesis] = Field(
        default_factory=list, description="At most 5, best first"
    )
    next_steps: list[ProposedStep] = Field(default_factory=list)
    missing_evidence: list[str] = Field(default_factory=list)
