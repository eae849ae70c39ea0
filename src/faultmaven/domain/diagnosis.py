"""The diagnosis document: one schema for every path (CONTRACTS.md section 2)."""

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class Category(StrEnum):
    """Root-cause taxonomy; where two fit, the more specific wins."""

    MEMORY = "memory"
    DISK = "disk"
    CPU = "cpu"
    FILE_DESCRIPTORS = "file_descriptors"
    CONNECTION_POOL = "connection_pool"
    DATABASE = "database"
    NETWORK = "network"
    DNS = "dns"
    TLS = "tls"
    DEPENDENCY = "dependency"
    CONFIGURATION = "configuration"
    DEPLOYMENT = "deployment"
    CODE_ERROR = "code_error"
    DATA = "data"
    RATE_LIMIT = "rate_limit"
    SCHEDULING = "scheduling"
    PERMISSION = "permission"
    CLOCK = "clock"
    HARDWARE = "hardware"
    UNKNOWN = "unknown"


class DiagnosisStatus(StrEnum):
    """Whether the evidence was enough to name a cause."""

    DIAGNOSED = "diagnosed"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"


class HypothesisState(StrEnum):
    """Where a hypothesis stands in the investigation."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    INCONCLUSIVE = "inconclusive"


class TimelineKind(StrEnum):
    """What a timeline entry marks."""

    FIRST_ERROR = "first_error"
    ANOMALY = "anomaly"
    CHANGE = "change"
    SYMPTOM = "symptom"
    ALERT = "alert"
    NOTE = "note"


class KnowledgeKind(StrEnum):
    """What kind of document a knowledge hit comes from."""

    PLAYBOOK = "playbook"
    RUNBOOK = "runbook"
    POSTMORTEM = "postmortem"
    CASE = "case"
    DOC = "doc"


class Citation(BaseModel):
    """Lines `line_start`..`line_end` (inclusive) of one evidence, quoted in `text`.

    `text` is those lines joined by a line feed, byte for byte as stored.
    """

    evidence_id: str
    evidence_name: str
    line_start: int = Field(ge=1)
    line_end: int = Field(ge=1)
    text: str

    @classmethod
    def of_line(
        cls,
        evidence_id: str,
        evidence_name: str,
        number: int,
        text: str,
        following: Sequence[str] = (),
    ) -> "Citation":
        """Cite one line exactly as the evidence holds it, with the `following` lines if any."""
        return cls(
            evidence_id=evidence_id,
            evidence_name=evidence_name,
            line_start=number,
            line_end=number + len(following),
            text="\n".join((text, *following)),
        )


class ComponentRank(BaseModel):
    """A service or host ranked as the likely place of the cause."""

    name: str
    rank: int = Field(ge=1)
    score: float = Field(ge=0.0)
    reason: str


class Hypothesis(BaseModel):
    """One candidate root cause with the lines that support it."""

    id: str
    rank: int = Field(ge=1)
    title: str
    statement: str
    category: Category
    component: str | None
    confidence: float = Field(ge=0.0, le=1.0)
    state: HypothesisState = HypothesisState.PROPOSED
    reasoning: str
    citations: list[Citation]
    counter_evidence: list[Citation] = Field(default_factory=list)


class NextStep(BaseModel):
    """Something to do next, and why."""

    action: str
    why: str
    command: str | None = None
    hypothesis_id: str | None = None


class RelatedKnowledge(BaseModel):
    """A runbook, playbook, postmortem or past case that bears on the diagnosis."""

    document_id: str
    title: str
    kind: KnowledgeKind
    source: str
    url: str | None = None
    heading: str | None = None
    snippet: str = Field(max_length=300)
    score: float


class TimelineEntry(BaseModel):
    """One moment in the incident's story."""

    time: datetime | None
    event: str
    kind: TimelineKind
    citation: Citation | None = None


class EngineInfo(BaseModel):
    """Which engine produced the diagnosis, and why it fell back if it did."""

    name: str = "offline"
    provider: str | None = None
    model: str | None = None
    fallback_reason: str | None = None


class Usage(BaseModel):
    """Tokens and money an LLM spent on one answer."""

    input_tokens: int
    output_tokens: int
    cost_usd: float


class Diagnosis(BaseModel):
    """The answer to "what is wrong and what do I do next?"."""

    case_id: str
    created_at: datetime
    question: str | None
    intent: str
    summary: str
    status: DiagnosisStatus
    components: list[ComponentRank] = Field(default_factory=list)
    hypotheses: list[Hypothesis] = Field(default_factory=list, max_length=5)
    next_steps: list[NextStep] = Field(default_factory=list)
    related_knowledge: list[RelatedKnowledge] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    missing_evidence: list[str] = Field(default_factory=list)
    engine: EngineInfo = Field(default_factory=EngineInfo)
    usage: Usage | None = None
    elapsed_ms: int = 0


class DiagnosisDraft(BaseModel):
    """What a reasoner concludes; the diagnose service adds case, question, intent and timing."""

    summary: str
    status: DiagnosisStatus
    components: list[ComponentRank] = Field(default_factory=list)
    hypotheses: list[Hypothesis] = Field(default_factory=list, max_length=5)
    next_steps: list[NextStep] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(default_factory=list)
    missing_evidence: list[str] = Field(default_factory=list)
