"""Evidence: what the engineer hands over, and the numbered lines FaultMaven cites."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class EvidenceKind(StrEnum):
    """What a piece of evidence is (CONTRACTS.md section 1)."""

    LOG = "log"
    METRICS = "metrics"
    KUBERNETES = "kubernetes"
    TEXT = "text"
    IMAGE = "image"


class EvidenceStatus(StrEnum):
    """Processing state of a piece of evidence."""

    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class Level(StrEnum):
    """Normalised severity of a log line."""

    TRACE = "TRACE"
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARN = "WARN"
    ERROR = "ERROR"
    FATAL = "FATAL"


LEVEL_RANK: dict[Level, int] = {level: rank for rank, level in enumerate(Level)}


def is_problem_level(level: Level | None) -> bool:
    """Tell whether a line's severity marks it as a warning or worse."""
    return level is not None and LEVEL_RANK[level] >= LEVEL_RANK[Level.WARN]


class PastedEvidence(BaseModel):
    """Evidence posted as JSON text instead of a file."""

    name: str = Field(min_length=1, max_length=500)
    content: str
    kind: EvidenceKind | None = None
    source_url: str | None = Field(default=None, max_length=4_000)
    timezone: str | None = Field(default=None, max_length=64)


class Evidence(BaseModel):
    """A piece of evidence as clients see it."""

    id: str
    name: str
    kind: EvidenceKind
    status: EvidenceStatus
    size_bytes: int
    line_count: int
    decode_errors: int
    error: str | None
    created_at: datetime
    source_url: str | None = None
    timezone: str | None = None
    """The IANA zone the upload gave for timestamps without one (None: UTC)."""


class EvidenceBatch(BaseModel):
    """The answer to an archive upload: one item per member."""

    items: list[Evidence]


class NumberedLine(BaseModel):
    """One physical line of decoded evidence text (1-based `n`)."""

    n: int
    text: str


class LineWindow(BaseModel):
    """The lines `start`..`end` (inclusive) of one piece of evidence."""

    lines: list[NumberedLine]


@dataclass(frozen=True, slots=True)
class AnalysedLine:
    """A line with what the log engine recognised in it.

    `group` is the line's template (variables as `<*>`) so that repeats of one
    message fall together; `signature` is the id of the built-in failure signature
    the line matched, if any.
    """

    evidence_id: str
    evidence_name: str
    n: int
    text: str
    time: datetime | None
    level: Level | None
    group: str
    signature: str | None = None
    component: str | None = None
    """The component the line is about when its source says so (a metric series' service)."""
    strength: float | None = None
    """How far a metric sample's series moved, |ln(after / before)|; None for other lines."""
    host: str | None = None
    """The host a pasted command ran on when its shell prompt names it."""
    continuation: tuple[str, ...] = ()
    """Lines after `text` that belong to the same snapshot finding (a command's whole output)."""


@dataclass(frozen=True, slots=True)
class EvidenceSummary:
    """Facts about one ready piece of evidence that a reasoner weighs beside its lines.

    `group_counts` maps each template to how often it occurs among the
    evidence's notable lines (warnings and worse, or signature matches), so a reasoner
    can tell a one-off from a flood without reading every line.
    """

    evidence_id: str
    evidence_name: str
    kind: EvidenceKind
    line_count: int
    problem_line_count: int
    first_time: datetime | None
    last_time: datetime | None
    group_counts: dict[str, int]
